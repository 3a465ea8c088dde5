//! `labbook quiz`: score a prepared answer file without the TUI
//! (`--answers FILE`), or list the question bank without answers
//! (`--list`). A scored file becomes the chapter's latest quiz score in
//! progress (what `labbook review` reports) and moves the questions'
//! Leitner boxes, as a practice session does.
//!
//! Exit status: 0 scored (or listed); 2 when the answer file cannot be
//! read or parsed, names a question or option the bank does not have, or
//! the chapter has no quiz. Every problem is printed as `file:line:column:
//! message`, and nothing is recorded.

use std::path::Path;

use anyhow::Context;

use super::{QuizArgs, QuizFormat};
use crate::course::{Course, SourceFile};
use crate::progress::Progress;
use crate::quiz::{self, Quiz, Quizzes};
use crate::report;

pub fn run(content: Option<&Path>, args: &QuizArgs) -> anyhow::Result<i32> {
    let course = Course::load(content)?;
    let quizzes = load(content, &course)?;
    for p in &quizzes.problems {
        eprintln!("labbook quiz: {p}");
    }
    if args.list {
        let Some(quiz) = pick(&quizzes, args.chapter.as_deref(), None) else {
            return Ok(2);
        };
        let listing = quiz.listing();
        match args.format {
            QuizFormat::Text => print!("{}", report::quiz::listing_text(&listing)),
            QuizFormat::Json => println!("{}", serde_json::to_string_pretty(&listing)?),
        }
        return Ok(0);
    }
    let Some(path) = &args.answers else {
        eprintln!("labbook quiz: give --answers FILE to score, or --list to see the questions");
        return Ok(2);
    };
    let shown = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("labbook quiz: {shown}: cannot read the answer file: {e}");
            return Ok(2);
        }
    };
    let sheet = match quiz::parse_answers(&text, &shown) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return Ok(2);
        }
    };
    let Some(quiz) = pick(&quizzes, args.chapter.as_deref(), sheet.chapter.as_deref()) else {
        return Ok(2);
    };
    let score = quiz::score(quiz, &sheet);
    if !score.problems.is_empty() {
        for p in &score.problems {
            eprintln!("{p}");
        }
        eprintln!(
            "labbook quiz: {} problem(s) in {shown}; nothing was scored (see `labbook quiz --list` for the question and option ids)",
            score.problems.len()
        );
        return Ok(2);
    }
    match args.format {
        QuizFormat::Text => print!("{}", report::quiz::text(quiz, &score)),
        QuizFormat::Json => println!("{}", serde_json::to_string_pretty(&score)?),
    }
    let (mut progress, moved) = Progress::load();
    if let Some(m) = moved {
        eprintln!("labbook: {m}");
    }
    progress.record_quiz(&score, "answers", &crate::clock::now_rfc3339());
    if let Err(e) = progress.save() {
        eprintln!("labbook: {e}");
    }
    Ok(0)
}

/// The quiz of `chapter` (or of the answer file's chapter, or the only
/// one); `None` after saying why there is none.
fn pick<'q>(quizzes: &'q Quizzes, chapter: Option<&str>, sheet: Option<&str>) -> Option<&'q Quiz> {
    let wanted = chapter.or(sheet);
    let found = match wanted {
        Some(c) => quizzes.for_chapter(c),
        None => quizzes.quizzes.first(),
    };
    if found.is_none() {
        let known: Vec<&str> = quizzes.quizzes.iter().map(|q| q.chapter.as_str()).collect();
        match wanted {
            Some(c) => eprintln!(
                "labbook quiz: chapter `{c}` has no quiz (quizzes: {})",
                crate::checks::backticked(&known)
            ),
            None => eprintln!("labbook quiz: the course has no quiz"),
        }
    }
    found
}

/// The quiz files of a course: `DIR/quizzes/*.yaml` for `--content DIR`
/// when that folder exists, else the ones shipped in the binary.
pub(super) fn files(content: Option<&Path>) -> anyhow::Result<Vec<SourceFile>> {
    let Some(dir) = content.map(|d| d.join("quizzes")).filter(|d| d.is_dir()) else {
        return Ok(quiz::embedded_files());
    };
    let mut files = Vec::new();
    let entries = std::fs::read_dir(&dir)
        .with_context(|| format!("reading the quizzes in {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading the quiz file {}", path.display()))?;
            files.push(SourceFile {
                path: path.display().to_string(),
                text,
            });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The course's quizzes, validated against its chapters.
pub(super) fn load(content: Option<&Path>, course: &Course) -> anyhow::Result<Quizzes> {
    Ok(Quizzes::from_sources(&files(content)?, &course.chapters))
}
