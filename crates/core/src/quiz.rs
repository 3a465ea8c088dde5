//! Quizzes: the question bank (`quizzes/*.yaml`), its validation, scoring
//! of a prepared answer file, and the pure parts of practice and exam mode.
//!
//! Owns the quiz file format and its JSON Schema, the answer file format,
//! per-section scores, the bank listing without answers, deterministic
//! option shuffling, Leitner boxes and the practice order, and exam timing
//! as plain data. Every problem is located (file:line:column) and unknown
//! names get a "did you mean". No I/O: callers hand in text and a file name;
//! the shipped bank is embedded in the binary.
//!
//! Depends on [`crate::course`] (chapters) and [`crate::markdown`] (heading
//! anchors and levels, so a question's `section` is checked against the
//! chapter and grouped under its `##` section). Must not depend on the TUI,
//! the CLI, the collector, facts or progress: those call in, never the reverse.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use include_dir::{Dir, include_dir};
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::checks::backticked;
use crate::course::{Chapter, Course, SourceFile};
use crate::suggest::suggest;
use crate::yaml::{self, is_id, with_suggestion};

static EMBEDDED_QUIZZES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../quizzes");

// ---------------------------------------------------------------- errors

/// A problem in a quiz file or an answer file, located.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{path}:{line}:{column}: {message}")]
pub struct QuizError {
    pub path: String,
    /// 1-based.
    pub line: usize,
    /// 1-based.
    pub column: usize,
    pub message: String,
}

// ---------------------------------------------------------------- the model

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Exactly one option is right.
    Single,
    /// One or more options are right; only the exact set scores.
    Multiple,
    /// The options are `true` and `false`.
    TrueFalse,
}

impl Kind {
    const NAMES: [&'static str; 3] = ["single", "multiple", "true-false"];
}

/// One option of a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// What an answer file names, e.g. `b` (`true`/`false` for true/false questions).
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: String,
    /// The chapter heading anchor that teaches it (any level).
    pub section: String,
    /// The anchor of the `##` section that contains `section`: scores group by it.
    pub topic: String,
    /// The anchor of the `###` section that contains `section`, if any
    /// (IAM, Identity Center and SCPs are `###` sections of one `##`).
    pub subtopic: Option<String>,
    pub kind: Kind,
    pub prompt: String,
    /// In file order; true/false questions get `true` and `false`.
    pub options: Vec<Choice>,
    /// The right option ids, in option order.
    pub answer: Vec<String>,
    pub explanation: String,
}

/// A `##` section of the chapter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Topic {
    pub anchor: String,
    pub title: String,
}

/// A validated quiz for one chapter.
#[derive(Debug, Clone)]
pub struct Quiz {
    /// The chapter id, e.g. `03-identity-access-security`.
    pub chapter: String,
    pub title: String,
    /// The file it came from, for messages.
    pub path: String,
    /// Every `##` section of the chapter, in chapter order, with or without questions.
    pub topics: Vec<Topic>,
    /// Every `###` section of the chapter, in chapter order.
    pub subtopics: Vec<Topic>,
    pub questions: Vec<Question>,
}

impl Quiz {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn topic(&self, anchor: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.anchor == anchor)
    }
}

/// The quizzes of a course, and every problem found in their files.
#[derive(Debug, Clone, Default)]
pub struct Quizzes {
    pub quizzes: Vec<Quiz>,
    pub problems: Vec<QuizError>,
}

impl Quizzes {
    /// The embedded bank, validated against the course's chapters.
    pub fn load(course: &Course) -> Quizzes {
        Quizzes::from_sources(&embedded_files(), &course.chapters)
    }

    /// Parses and validates quiz files; a broken file is left out and its
    /// problems kept. A question id used by two files breaks the second file.
    pub fn from_sources(files: &[SourceFile], chapters: &[Chapter]) -> Quizzes {
        let mut out = Quizzes::default();
        let mut seen = BTreeMap::<String, String>::new();
        for f in files {
            match parse(&f.text, &f.path, chapters) {
                Ok(quiz) => {
                    let clashes: Vec<QuizError> = quiz
                        .questions
                        .iter()
                        .filter_map(|q| {
                            let first = seen.get(&q.id)?;
                            let (line, column) = Lines::new(&f.text).value("id", &q.id, 0);
                            Some(QuizError {
                                path: f.path.clone(),
                                line,
                                column,
                                message: format!(
                                    "duplicate question id `{}`: {first} already defines it",
                                    q.id
                                ),
                            })
                        })
                        .collect();
                    if clashes.is_empty() {
                        for q in &quiz.questions {
                            seen.insert(q.id.clone(), f.path.clone());
                        }
                        out.quizzes.push(quiz);
                    } else {
                        out.problems.extend(clashes);
                    }
                }
                Err(problems) => out.problems.extend(problems),
            }
        }
        out
    }

    pub fn for_chapter(&self, chapter: &str) -> Option<&Quiz> {
        self.quizzes.iter().find(|q| q.chapter == chapter)
    }
}

/// The quiz files shipped in the binary (`quizzes/*.yaml`), sorted by path.
pub fn embedded_files() -> Vec<SourceFile> {
    let mut files: Vec<SourceFile> = EMBEDDED_QUIZZES
        .files()
        .filter(|f| {
            matches!(
                f.path().extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            )
        })
        .map(|f| SourceFile {
            path: format!("quizzes/{}", f.path().display()),
            text: String::from_utf8_lossy(f.contents()).into_owned(),
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

// ---------------------------------------------------------------- the quiz file format

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuiz {
    chapter: String,
    title: String,
    questions: Vec<RawQuestion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    section: String,
    kind: Kind,
    prompt: String,
    #[serde(default)]
    options: Option<RawOptions>,
    answer: RawAnswer,
    explanation: String,
}

/// `options: {a: text, b: text}`, kept in file order.
#[derive(Debug)]
struct RawOptions(Vec<(String, String)>);

impl<'de> Deserialize<'de> for RawOptions {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawOptions;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of option ids to option texts, like `a: The first option`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawOptions, A::Error> {
                let mut out: Vec<(String, String)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let text: String = map.next_value().map_err(|_| {
                        de::Error::custom(format!("the text of option `{key}` must be a string"))
                    })?;
                    if out.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format!("duplicate option `{key}`")));
                    }
                    out.push((key, text));
                }
                Ok(RawOptions(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// `answer: b`, `answer: [a, c]` or `answer: true`.
#[derive(Debug)]
enum RawAnswer {
    Bool(bool),
    Ids(Vec<String>),
}

impl<'de> Deserialize<'de> for RawAnswer {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawAnswer;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an option id (`b`), a list of option ids (`[a, c]`) or true/false")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawAnswer, E> {
                Ok(RawAnswer::Bool(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawAnswer, E> {
                Ok(RawAnswer::Ids(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawAnswer, A::Error> {
                let mut ids = Vec::new();
                while let Some(id) = seq.next_element::<String>()? {
                    ids.push(id);
                }
                Ok(RawAnswer::Ids(ids))
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses and validates one quiz file against the course's chapters.
///
/// `path` is only used in messages. All problems are returned, not just the first.
pub fn parse(text: &str, path: &str, chapters: &[Chapter]) -> Result<Quiz, Vec<QuizError>> {
    let raw: RawQuiz = serde_norway::from_str(text).map_err(|e| vec![yaml_error(&e, path)])?;
    let lines = Lines::new(text);
    let mut problems = Vec::new();
    let mut invalid = |(line, column): (usize, usize), message: String| {
        problems.push(QuizError {
            path: path.to_string(),
            line,
            column,
            message,
        });
    };

    let chapter = chapters.iter().find(|c| c.id == raw.chapter);
    let outline = chapter.map(|c| Outline::new(&c.source.text));
    if chapter.is_none() {
        let ids: Vec<&str> = chapters.iter().map(|c| c.id.as_str()).collect();
        let mut msg = format!(
            "chapter `{}` is not a chapter of the course (known: {})",
            raw.chapter,
            backticked(&ids)
        );
        if let Some(s) = suggest(&raw.chapter, &ids) {
            msg.push_str(&format!("; did you mean `{s}`?"));
        }
        invalid(lines.value("chapter", &raw.chapter, 0), msg);
    }
    if raw.questions.is_empty() {
        invalid(
            lines.key("questions", 0),
            "the quiz has no questions".into(),
        );
    }

    let mut id_count = BTreeMap::<&str, usize>::new();
    let mut questions = Vec::new();
    for rq in &raw.questions {
        let nth = id_count.get(rq.id.as_str()).copied().unwrap_or(0);
        *id_count.entry(&rq.id).or_default() += 1;
        let at_id = lines.value("id", &rq.id, nth);
        let at = |key: &str| lines.key_after(key, at_id.0);
        let id = &rq.id;
        if nth > 0 {
            invalid(at_id, format!("duplicate question id `{id}`"));
        }
        if !is_id(id) {
            invalid(
                at_id,
                format!("question id `{id}` must be lower-case letters, digits and dashes"),
            );
        }
        for (key, value) in [("prompt", &rq.prompt), ("explanation", &rq.explanation)] {
            if value.trim().is_empty() {
                invalid(at(key), format!("question `{id}` has an empty `{key}`"));
            }
        }

        // Where the question sits in the chapter.
        let mut topic = String::new();
        let mut subtopic = None;
        if let Some(outline) = &outline {
            match outline.place(&rq.section) {
                Some(Ok((t, sub))) => {
                    topic = t.to_string();
                    subtopic = sub.map(str::to_string);
                }
                Some(Err(())) => invalid(
                    at("section"),
                    format!(
                        "section `{}` of question `{id}` is the chapter's title; name a heading inside the chapter",
                        rq.section
                    ),
                ),
                None => {
                    let names: Vec<&str> = outline.anchors().collect();
                    let mut msg = format!(
                        "section `{}` of question `{id}` is not a heading anchor of chapter `{}`",
                        rq.section, raw.chapter
                    );
                    if let Some(s) = suggest(&rq.section, &names) {
                        msg.push_str(&format!("; did you mean `{s}`?"));
                    }
                    invalid(at("section"), msg);
                }
            }
        }

        // Options and the answer, by kind.
        let mut options: Vec<Choice> = Vec::new();
        let mut answer: Vec<String> = Vec::new();
        match rq.kind {
            Kind::TrueFalse => {
                if rq.options.is_some() {
                    invalid(
                        at("options"),
                        format!(
                            "true-false question `{id}` takes no `options`; its answer is `true` or `false`"
                        ),
                    );
                }
                match &rq.answer {
                    RawAnswer::Bool(b) => answer.push(b.to_string()),
                    RawAnswer::Ids(_) => invalid(
                        at("answer"),
                        format!(
                            "the answer of true-false question `{id}` must be `true` or `false` (unquoted)"
                        ),
                    ),
                }
                options = true_false_options();
            }
            Kind::Single | Kind::Multiple => {
                let raw_options = rq.options.as_ref().map(|o| o.0.as_slice()).unwrap_or(&[]);
                if raw_options.len() < 2 {
                    invalid(
                        if rq.options.is_some() {
                            at("options")
                        } else {
                            at_id
                        },
                        format!("question `{id}` needs at least two `options`"),
                    );
                }
                if raw_options.len() > 26 {
                    invalid(
                        at("options"),
                        format!("question `{id}` has more than 26 options"),
                    );
                }
                for (oid, text) in raw_options {
                    if !is_id(oid) {
                        invalid(
                            lines.key_after(oid, at_id.0),
                            format!(
                                "option id `{oid}` of question `{id}` must be lower-case letters, digits and dashes"
                            ),
                        );
                    }
                    if text.trim().is_empty() {
                        invalid(
                            lines.key_after(oid, at_id.0),
                            format!("option `{oid}` of question `{id}` has no text"),
                        );
                    }
                    options.push(Choice {
                        id: oid.clone(),
                        text: text.clone(),
                    });
                }
                match &rq.answer {
                    RawAnswer::Bool(_) => invalid(
                        at("answer"),
                        format!(
                            "the answer of question `{id}` must name options, like `b` or `[a, c]`; true/false answers need `kind: true-false`"
                        ),
                    ),
                    RawAnswer::Ids(ids) => {
                        let names: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
                        let mut chosen = BTreeSet::new();
                        for a in ids {
                            if !chosen.insert(a.as_str()) {
                                invalid(
                                    at("answer"),
                                    format!("answer `{a}` of question `{id}` is listed twice"),
                                );
                            }
                            if !names.contains(&a.as_str()) {
                                let mut msg = format!(
                                    "answer `{a}` of question `{id}` is not one of its options ({})",
                                    backticked(&names)
                                );
                                if let Some(s) = suggest(a, &names) {
                                    msg.push_str(&format!("; did you mean `{s}`?"));
                                }
                                invalid(at("answer"), msg);
                            }
                        }
                        if rq.kind == Kind::Single && ids.len() != 1 {
                            invalid(
                                at("answer"),
                                format!(
                                    "single-choice question `{id}` needs exactly one answer, not {}; use `kind: multiple` for more",
                                    ids.len()
                                ),
                            );
                        }
                        if rq.kind == Kind::Multiple && ids.is_empty() {
                            invalid(
                                at("answer"),
                                format!(
                                    "multiple-choice question `{id}` needs at least one answer"
                                ),
                            );
                        }
                        answer = options
                            .iter()
                            .filter(|o| chosen.contains(o.id.as_str()))
                            .map(|o| o.id.clone())
                            .collect();
                    }
                }
            }
        }
        questions.push(Question {
            id: rq.id.clone(),
            section: rq.section.clone(),
            topic,
            subtopic,
            kind: rq.kind,
            prompt: rq.prompt.trim().to_string(),
            options,
            answer,
            explanation: rq.explanation.trim().to_string(),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Quiz {
        chapter: raw.chapter,
        title: raw.title,
        path: path.to_string(),
        topics: outline.as_ref().map(|o| o.level(2)).unwrap_or_default(),
        subtopics: outline.as_ref().map(|o| o.level(3)).unwrap_or_default(),
        questions,
    })
}

fn true_false_options() -> Vec<Choice> {
    vec![
        Choice {
            id: "true".into(),
            text: "True".into(),
        },
        Choice {
            id: "false".into(),
            text: "False".into(),
        },
    ]
}

/// The headings of a chapter: level, anchor and title, in order.
struct Outline {
    headings: Vec<(u8, String, String)>,
}

impl Outline {
    fn new(markdown: &str) -> Outline {
        Outline {
            headings: crate::markdown::render(markdown, 80)
                .toc
                .into_iter()
                .map(|t| (t.level, t.anchor, t.title))
                .collect(),
        }
    }

    fn anchors(&self) -> impl Iterator<Item = &str> {
        self.headings.iter().map(|(_, a, _)| a.as_str())
    }

    /// The `##` and `###` anchors containing `anchor`; `Err` for the `#`
    /// title, `None` when unknown.
    #[allow(clippy::type_complexity)]
    fn place(&self, anchor: &str) -> Option<Result<(&str, Option<&str>), ()>> {
        let at = self.headings.iter().position(|(_, a, _)| a == anchor)?;
        let mut sub = None;
        for (level, a, _) in self.headings[..=at].iter().rev() {
            match level {
                3 if sub.is_none() => sub = Some(a.as_str()),
                2 => return Some(Ok((a.as_str(), sub))),
                0 | 1 => break,
                _ => {}
            }
        }
        Some(Err(()))
    }

    fn level(&self, wanted: u8) -> Vec<Topic> {
        self.headings
            .iter()
            .filter(|(level, _, _)| *level == wanted)
            .map(|(_, anchor, title)| Topic {
                anchor: anchor.clone(),
                title: title.clone(),
            })
            .collect()
    }
}

// ---------------------------------------------------------------- helpers

fn yaml_error(e: &serde_norway::Error, path: &str) -> QuizError {
    let (line, column, text) = yaml::syntax_error(e);
    QuizError {
        path: path.to_string(),
        line,
        column,
        message: with_suggestion(text),
    }
}

fn json_error(e: &serde_json::Error, path: &str) -> QuizError {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let text = text
        .strip_suffix(&suffix)
        .map(str::to_string)
        .unwrap_or(text);
    QuizError {
        path: path.to_string(),
        line: e.line().max(1),
        column: e.column().max(1),
        message: with_suggestion(text),
    }
}

/// Finds keys in YAML or JSON text, to locate problems serde cannot.
struct Lines<'a> {
    lines: Vec<&'a str>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        Lines {
            lines: text.lines().collect(),
        }
    }

    /// Where `key` starts on `line` (0-based) when it is a key there:
    /// `key:`, `- key:`, `"key":` or `'key':`, possibly after `{` or `,`.
    fn key_on(line: &str, key: &str) -> Option<usize> {
        let mut from = 0;
        while let Some(i) = line[from..].find(key).map(|i| i + from) {
            from = i + key.len();
            let before = line[..i].trim_end_matches(['"', '\'']);
            let opened = line[..i].len() - before.len();
            let before_ok = before
                .chars()
                .next_back()
                .is_none_or(|c| matches!(c, ' ' | '\t' | '{' | ','));
            let after = &line[i + key.len()..];
            let closed = after.trim_start_matches(['"', '\'']);
            let after_ok =
                (after.len() - closed.len()) == opened && closed.trim_start().starts_with(':');
            if before_ok && after_ok {
                return Some(i - opened);
            }
        }
        None
    }

    /// 1-based line and column of the `nth` (0-based) occurrence of `key` as a key.
    fn key(&self, key: &str, nth: usize) -> (usize, usize) {
        self.lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| Lines::key_on(l, key).map(|c| (i + 1, c + 1)))
            .nth(nth)
            .unwrap_or((1, 1))
    }

    /// The first `key` at or after 1-based `line`; `line` itself when not found.
    fn key_after(&self, key: &str, line: usize) -> (usize, usize) {
        self.lines
            .iter()
            .enumerate()
            .skip(line.saturating_sub(1))
            .find_map(|(i, l)| Lines::key_on(l, key).map(|c| (i + 1, c + 1)))
            .unwrap_or((line.max(1), 1))
    }

    /// The `nth` `key: value` line.
    fn value(&self, key: &str, value: &str, nth: usize) -> (usize, usize) {
        self.lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let c = Lines::key_on(l, key)?;
                let rest = l[c..].split_once(':')?.1;
                let v = rest
                    .trim()
                    .trim_end_matches(',')
                    .trim_matches(|c| c == '"' || c == '\'');
                (v == value).then_some((i + 1, c + 1))
            })
            .nth(nth)
            .unwrap_or((1, 1))
    }
}

// ---------------------------------------------------------------- answer files

/// A prepared answer file, parsed but not yet scored.
///
/// The format, YAML or JSON (chosen by the file name: `.json` is read as
/// JSON, anything else as YAML):
///
/// ```yaml
/// chapter: 03-identity-access-security   # optional; checked against the bank
/// answers:
///   scp-intersection: a            # single choice: one option id
///   root-only-tasks: [a, c]        # multiple choice: every option you pick
///   scp-never-grants: false        # true/false: true or false
///   kms-envelope-encryption: []    # [] or ~ (null): skipped, counts as unanswered
/// ```
///
/// ```json
/// {"answers": {"scp-intersection": "a", "root-only-tasks": ["a", "c"], "scp-never-grants": false}}
/// ```
///
/// Questions not listed are unanswered. Option ids are the ones of the bank
/// (`labbook quiz --list --format json`), not shuffled display letters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerSheet {
    pub path: String,
    pub chapter: Option<String>,
    /// In file order.
    pub entries: Vec<AnswerEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerEntry {
    pub question: String,
    /// Option ids as written (`true`/`false` for booleans); empty when skipped.
    pub chosen: Vec<String>,
    /// Where the question id stands, 1-based.
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSheet {
    #[serde(default)]
    chapter: Option<String>,
    answers: RawAnswers,
}

struct RawAnswers(Vec<(String, Vec<String>)>);

impl std::fmt::Debug for RawAnswers {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_list().entries(&self.0).finish()
    }
}

impl<'de> Deserialize<'de> for RawAnswers {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawAnswers;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of question ids to answers, like `scp-intersection: a`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawAnswers, A::Error> {
                let mut out: Vec<(String, Vec<String>)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let pick: RawPick = map.next_value()?;
                    if out.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format!(
                            "question `{key}` is answered twice"
                        )));
                    }
                    out.push((key, pick.0));
                }
                Ok(RawAnswers(out))
            }
        }
        d.deserialize_map(V)
    }
}

struct RawPick(Vec<String>);

impl<'de> Deserialize<'de> for RawPick {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawPick;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "an answer: an option id (`b`), a list of option ids (`[a, c]`), true/false, or `[]` to skip",
                )
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawPick, E> {
                Ok(RawPick(vec![v.to_string()]))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawPick, E> {
                Ok(RawPick(vec![v.to_string()]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawPick, E> {
                Ok(RawPick(Vec::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<RawPick, E> {
                Ok(RawPick(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawPick, A::Error> {
                let mut ids = Vec::new();
                while let Some(id) = seq.next_element::<String>()? {
                    ids.push(id);
                }
                Ok(RawPick(ids))
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses an answer file (format on [`AnswerSheet`]); `path` picks YAML or
/// JSON by its extension and appears in messages.
pub fn parse_answers(text: &str, path: &str) -> Result<AnswerSheet, QuizError> {
    let is_json = std::path::Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let raw: RawSheet = if is_json {
        serde_json::from_str(text).map_err(|e| json_error(&e, path))?
    } else {
        serde_norway::from_str(text).map_err(|e| yaml_error(&e, path))?
    };
    let lines = Lines::new(text);
    let entries = raw
        .answers
        .0
        .into_iter()
        .map(|(question, chosen)| {
            let (line, column) = lines.key_after(&question, lines.key("answers", 0).0);
            AnswerEntry {
                question,
                chosen,
                line,
                column,
            }
        })
        .collect();
    Ok(AnswerSheet {
        path: path.to_string(),
        chapter: raw.chapter,
        entries,
    })
}

// ---------------------------------------------------------------- scoring

/// How one question was answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    /// Exactly the right options.
    Right,
    /// Nothing right was chosen (or a single/true-false question was missed).
    Wrong,
    /// Multiple choice with some right options chosen but not exactly the
    /// right set. Counts as wrong.
    Partial {
        /// Right options that were chosen.
        chosen_right: Vec<String>,
        /// Chosen options that are not right.
        chosen_wrong: Vec<String>,
        /// Right options that were not chosen.
        missed: Vec<String>,
    },
    Unanswered,
}

impl Outcome {
    pub fn is_right(&self) -> bool {
        matches!(self, Outcome::Right)
    }
}

/// Judges one answer: `chosen` are option ids; duplicates are ignored.
pub fn judge(question: &Question, chosen: &[String]) -> Outcome {
    let chosen: BTreeSet<&str> = chosen.iter().map(String::as_str).collect();
    if chosen.is_empty() {
        return Outcome::Unanswered;
    }
    let right: BTreeSet<&str> = question.answer.iter().map(String::as_str).collect();
    if chosen == right {
        return Outcome::Right;
    }
    let in_order = |pred: &dyn Fn(&str) -> bool| -> Vec<String> {
        let mut ids: Vec<String> = question
            .options
            .iter()
            .map(|o| o.id.as_str())
            .filter(|id| pred(id))
            .map(str::to_string)
            .collect();
        // Ids that are not options at all still count as wrong choices.
        ids.extend(
            chosen
                .iter()
                .filter(|c| pred(c) && !question.options.iter().any(|o| o.id == **c))
                .map(|c| c.to_string()),
        );
        ids
    };
    let chosen_right = in_order(&|id| chosen.contains(id) && right.contains(id));
    if question.kind != Kind::Multiple || chosen_right.is_empty() {
        return Outcome::Wrong;
    }
    Outcome::Partial {
        chosen_right,
        chosen_wrong: in_order(&|id| chosen.contains(id) && !right.contains(id)),
        missed: in_order(&|id| right.contains(id) && !chosen.contains(id)),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionResult {
    pub id: String,
    /// The anchor that teaches it: where "review" jumps to.
    pub section: String,
    /// The `##` section it is scored under.
    pub topic: String,
    /// The `###` section it is also scored under, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtopic: Option<String>,
    pub kind: Kind,
    /// As answered (empty when unanswered).
    pub chosen: Vec<String>,
    /// The right option ids.
    pub answer: Vec<String>,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The score of one `##` section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionScore {
    pub anchor: String,
    pub title: String,
    /// Questions in the section.
    pub count: usize,
    pub answered: usize,
    pub right: usize,
    pub partial: usize,
    /// `right * 100 / count`, rounded down; unanswered questions count as not right.
    pub percent: u32,
}

/// A scored answer file. Problems (unknown question ids, options that do
/// not exist, ...) do not stop scoring; a caller may refuse to report a
/// score that has any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    pub chapter: String,
    /// Questions in the bank.
    pub total: usize,
    pub answered: usize,
    pub right: usize,
    /// Among the wrong ones.
    pub partial: usize,
    pub unanswered: usize,
    /// `right * 100 / total`, rounded down.
    pub percent: u32,
    /// `##` sections with questions, in chapter order.
    pub sections: Vec<SectionScore>,
    /// `###` sections with questions, in chapter order (finer: IAM,
    /// Identity Center, the root user and SCPs share one `##`).
    pub subsections: Vec<SectionScore>,
    /// Every question of the bank, in bank order.
    pub questions: Vec<QuestionResult>,
    pub problems: Vec<QuizError>,
}

impl Score {
    /// The questions not answered right (wrong, partial, unanswered), in bank order.
    pub fn missed(&self) -> impl Iterator<Item = &QuestionResult> {
        self.questions.iter().filter(|q| !q.outcome.is_right())
    }
}

fn percent(right: usize, count: usize) -> u32 {
    (right * 100)
        .checked_div(count)
        .map_or(0, |p| u32::try_from(p).unwrap_or(100))
}

/// Scores an answer sheet against a quiz.
pub fn score(quiz: &Quiz, sheet: &AnswerSheet) -> Score {
    let mut problems = Vec::new();
    if let Some(chapter) = &sheet.chapter
        && *chapter != quiz.chapter
    {
        problems.push(QuizError {
            path: sheet.path.clone(),
            line: 1,
            column: 1,
            message: format!(
                "the answers are for chapter `{chapter}`, the quiz is for `{}`",
                quiz.chapter
            ),
        });
    }
    let mut problem = |e: &AnswerEntry, message: String| {
        problems.push(QuizError {
            path: sheet.path.clone(),
            line: e.line,
            column: e.column,
            message,
        });
    };
    let ids: Vec<&str> = quiz.questions.iter().map(|q| q.id.as_str()).collect();
    let mut given = BTreeMap::<&str, &AnswerEntry>::new();
    for e in &sheet.entries {
        let Some(q) = quiz.question(&e.question) else {
            let mut msg = format!("unknown question id `{}`", e.question);
            if let Some(s) = suggest(&e.question, &ids) {
                msg.push_str(&format!("; did you mean `{s}`?"));
            }
            problem(e, msg);
            continue;
        };
        let names: Vec<&str> = q.options.iter().map(|o| o.id.as_str()).collect();
        for c in &e.chosen {
            if !names.contains(&c.as_str()) {
                let mut msg = format!(
                    "`{c}` is not an option of question `{}` ({})",
                    q.id,
                    backticked(&names)
                );
                if let Some(s) = suggest(c, &names) {
                    msg.push_str(&format!("; did you mean `{s}`?"));
                }
                problem(e, msg);
            }
        }
        let distinct: BTreeSet<&String> = e.chosen.iter().collect();
        if q.kind != Kind::Multiple && distinct.len() > 1 {
            problem(
                e,
                format!(
                    "question `{}` takes one answer, {} were given",
                    q.id,
                    distinct.len()
                ),
            );
        }
        given.insert(&q.id, e);
    }

    let questions: Vec<QuestionResult> = quiz
        .questions
        .iter()
        .map(|q| {
            let chosen = given
                .get(q.id.as_str())
                .map(|e| e.chosen.clone())
                .unwrap_or_default();
            QuestionResult {
                id: q.id.clone(),
                section: q.section.clone(),
                topic: q.topic.clone(),
                subtopic: q.subtopic.clone(),
                kind: q.kind,
                outcome: judge(q, &chosen),
                chosen,
                answer: q.answer.clone(),
            }
        })
        .collect();

    let sections = section_scores(&quiz.topics, &questions, |r| Some(&r.topic));
    let subsections = section_scores(&quiz.subtopics, &questions, |r| r.subtopic.as_ref());
    let all: Vec<&QuestionResult> = questions.iter().collect();
    let (right, partial, unanswered) = tally(&all);
    Score {
        chapter: quiz.chapter.clone(),
        total: questions.len(),
        answered: questions.len() - unanswered,
        right,
        partial,
        unanswered,
        percent: percent(right, questions.len()),
        sections,
        subsections,
        questions,
        problems,
    }
}

/// Right, partial and unanswered counts.
fn tally(results: &[&QuestionResult]) -> (usize, usize, usize) {
    let right = results.iter().filter(|r| r.outcome.is_right()).count();
    let partial = results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Partial { .. }))
        .count();
    let unanswered = results
        .iter()
        .filter(|r| r.outcome == Outcome::Unanswered)
        .count();
    (right, partial, unanswered)
}

fn section_scores(
    sections: &[Topic],
    results: &[QuestionResult],
    key: impl Fn(&QuestionResult) -> Option<&String>,
) -> Vec<SectionScore> {
    sections
        .iter()
        .filter_map(|t| {
            let inside: Vec<&QuestionResult> = results
                .iter()
                .filter(|r| key(r) == Some(&t.anchor))
                .collect();
            if inside.is_empty() {
                return None;
            }
            let (right, partial, unanswered) = tally(&inside);
            Some(SectionScore {
                anchor: t.anchor.clone(),
                title: t.title.clone(),
                count: inside.len(),
                answered: inside.len() - unanswered,
                right,
                partial,
                percent: percent(right, inside.len()),
            })
        })
        .collect()
}

// ---------------------------------------------------------------- the listing

/// The bank without answers or explanations (`labbook quiz --list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listing {
    pub chapter: String,
    pub title: String,
    pub questions: Vec<ListedQuestion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedQuestion {
    pub id: String,
    pub section: String,
    pub topic: String,
    pub kind: Kind,
    pub prompt: String,
    /// The ids an answer file uses; `true`/`false` for true/false questions.
    pub options: Vec<Choice>,
}

impl Quiz {
    pub fn listing(&self) -> Listing {
        Listing {
            chapter: self.chapter.clone(),
            title: self.title.clone(),
            questions: self
                .questions
                .iter()
                .map(|q| ListedQuestion {
                    id: q.id.clone(),
                    section: q.section.clone(),
                    topic: q.topic.clone(),
                    kind: q.kind,
                    prompt: q.prompt.clone(),
                    options: q.options.clone(),
                })
                .collect(),
        }
    }
}

// ---------------------------------------------------------------- practice: shuffling

/// An option as displayed: its letter and the option id it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    /// `a`, `b`, ... in display order.
    pub letter: char,
    /// The option id an answer is recorded with.
    pub option: String,
    pub text: String,
}

/// The options in a display order that depends only on `seed` and the
/// question id (the same seed shows the same order again). True/false
/// questions keep True before False.
pub fn shuffle(question: &Question, seed: u64) -> Vec<Shown> {
    let mut order: Vec<usize> = (0..question.options.len()).collect();
    if question.kind != Kind::TrueFalse {
        let mut rng = SplitMix(seed ^ fnv1a(&question.id));
        for i in (1..order.len()).rev() {
            let j = usize::try_from(rng.next() % (i as u64 + 1)).unwrap_or(0);
            order.swap(i, j);
        }
    }
    order
        .into_iter()
        .zip('a'..='z')
        .map(|(i, letter)| Shown {
            letter,
            option: question.options[i].id.clone(),
            text: question.options[i].text.clone(),
        })
        .collect()
}

/// The option id behind a displayed letter (either case).
pub fn option_for_letter(shown: &[Shown], letter: char) -> Option<&str> {
    let letter = letter.to_ascii_lowercase();
    shown
        .iter()
        .find(|s| s.letter == letter)
        .map(|s| s.option.as_str())
}

/// FNV-1a: a hash that stays the same across Rust versions, unlike `DefaultHasher`.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// SplitMix64: small, fast, and good enough to shuffle four options.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

// ---------------------------------------------------------------- practice: Leitner boxes

/// A question's Leitner card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    /// 1..=5: a wrong answer sends the card to box 1, a right one up a box.
    #[serde(rename = "box")]
    pub level: u8,
    /// Whether the latest answer was right.
    pub last_right: bool,
    /// How many times it was answered.
    pub answered: u32,
}

/// A Leitner box per question, keyed by question id; kept with progress.
/// Questions never answered have no card.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leitner {
    pub cards: BTreeMap<String, Card>,
}

impl Leitner {
    pub const TOP_BOX: u8 = 5;

    /// The question's box, `None` when it was never answered.
    pub fn box_of(&self, question: &str) -> Option<u8> {
        self.cards
            .get(question)
            .map(|c| c.level.clamp(1, Self::TOP_BOX))
    }

    /// Records an answer: wrong goes to box 1, right moves up one box (at
    /// most to box 5). A first answer starts from box 1, so right lands in 2.
    pub fn record(&mut self, question: &str, right: bool) {
        let card = self.cards.entry(question.to_string()).or_insert(Card {
            level: 1,
            last_right: false,
            answered: 0,
        });
        card.level = if right {
            (card.level.clamp(1, Self::TOP_BOX) + 1).min(Self::TOP_BOX)
        } else {
            1
        };
        card.last_right = right;
        card.answered = card.answered.saturating_add(1);
    }

    /// Records every answered question of a score (unanswered ones are left alone).
    pub fn record_score(&mut self, score: &Score) {
        for r in &score.questions {
            if r.outcome != Outcome::Unanswered {
                self.record(&r.id, r.outcome.is_right());
            }
        }
    }

    /// Drops cards of questions the quiz no longer has.
    pub fn retain_known(&mut self, quiz: &Quiz) {
        self.cards.retain(|id, _| quiz.question(id).is_some());
    }
}

/// The order of the next practice session: questions missed last time
/// first, then questions never answered, then by box, lowest first. Within
/// each group the order is shuffled by `seed`, deterministically.
pub fn practice_order<'q>(quiz: &'q Quiz, leitner: &Leitner, seed: u64) -> Vec<&'q Question> {
    let mut questions: Vec<&Question> = quiz.questions.iter().collect();
    questions.sort_by_key(|q| {
        let group = match leitner.cards.get(&q.id) {
            Some(c) if !c.last_right => 0,
            None => 1,
            Some(c) => 1 + c.level.clamp(1, Leitner::TOP_BOX),
        };
        (group, SplitMix(seed ^ fnv1a(&q.id)).next())
    });
    questions
}

// ---------------------------------------------------------------- exam timing

/// Exam mode's clock as data: when it started and the optional time limit.
/// Times are Unix seconds; the caller supplies "now".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamClock {
    pub started_at: i64,
    pub limit_secs: Option<u64>,
}

impl ExamClock {
    pub fn new(started_at: i64, limit: Option<Duration>) -> ExamClock {
        ExamClock {
            started_at,
            limit_secs: limit.map(|d| d.as_secs()),
        }
    }

    /// When answers stop being accepted; `None` without a limit.
    pub fn deadline(&self) -> Option<i64> {
        let limit = i64::try_from(self.limit_secs?).unwrap_or(i64::MAX);
        Some(self.started_at.saturating_add(limit))
    }

    /// Time left at `now` (zero once over); `None` without a limit.
    pub fn remaining(&self, now: i64) -> Option<Duration> {
        let left = self.deadline()?.saturating_sub(now).max(0);
        Some(Duration::from_secs(left.unsigned_abs()))
    }

    pub fn is_over(&self, now: i64) -> bool {
        self.deadline().is_some_and(|d| now >= d)
    }
}

// ---------------------------------------------------------------- JSON Schema

/// The JSON Schema of a quiz file (`assets/schema/quiz.schema.json` is this,
/// pretty-printed; a test keeps both and the parser's fields in step).
pub fn json_schema() -> serde_json::Value {
    use serde_json::json;
    let id_pattern = "^[a-z0-9][a-z0-9-]*$";
    let options = json!({
        "type": "object",
        "description": "Option id to option text, in display order before shuffling",
        "minProperties": 2,
        "maxProperties": 26,
        "propertyNames": {"pattern": id_pattern},
        "additionalProperties": {"type": "string", "minLength": 1},
    });
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "labbook quiz file",
        "description": "Self-assessment questions for one chapter, each pointing at the section that teaches it.",
        "type": "object",
        "additionalProperties": false,
        "required": ["chapter", "title", "questions"],
        "properties": {
            "chapter": {"type": "string", "description": "The chapter's id: its file name without .md"},
            "title": {"type": "string"},
            "questions": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/question"}},
        },
        "$defs": {
            "question": {
                "type": "object",
                "additionalProperties": false,
                "required": ["id", "section", "kind", "prompt", "answer", "explanation"],
                "properties": {
                    "id": {"type": "string", "pattern": id_pattern, "description": "Unique across all quizzes; answer files use it"},
                    "section": {"type": "string", "description": "A heading anchor of the chapter that teaches the answer"},
                    "kind": {"enum": Kind::NAMES},
                    "prompt": {"type": "string", "minLength": 1},
                    "options": options,
                    "answer": {
                        "description": "single: one option id; multiple: a list of option ids; true-false: true or false",
                        "oneOf": [
                            {"type": "string", "pattern": id_pattern},
                            {"type": "array", "minItems": 1, "uniqueItems": true, "items": {"type": "string", "pattern": id_pattern}},
                            {"type": "boolean"},
                        ],
                    },
                    "explanation": {"type": "string", "minLength": 1, "description": "Why the right answer is right"},
                },
                "oneOf": [
                    {
                        "properties": {
                            "kind": {"const": "single"},
                            "answer": {"oneOf": [
                                {"type": "string"},
                                {"type": "array", "minItems": 1, "maxItems": 1},
                            ]},
                        },
                        "required": ["options"],
                    },
                    {
                        "properties": {"kind": {"const": "multiple"}, "answer": {"type": ["string", "array"]}},
                        "required": ["options"],
                    },
                    {
                        "properties": {"kind": {"const": "true-false"}, "answer": {"type": "boolean"}},
                        "not": {"required": ["options"]},
                    },
                ],
            },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAPTER: &str = "# 9. Test chapter\n\nIntro.\n\n## Alpha\n\nText.\n\n### Alpha detail\n\nMore.\n\n## Beta {#beta}\n\nText.\n\n## Gamma\n\nNothing asked here.\n";

    fn chapters() -> Vec<Chapter> {
        vec![Chapter {
            id: "09-test".into(),
            title: "9. Test chapter".into(),
            source: SourceFile {
                path: "content/09-test.md".into(),
                text: CHAPTER.into(),
            },
        }]
    }

    const GOOD: &str = "\
chapter: 09-test
title: Test quiz
questions:
  - id: one
    section: alpha-detail
    kind: single
    prompt: Pick b.
    options:
      a: First
      b: Second
      c: Third
    answer: b
    explanation: Because.
  - id: many
    section: alpha
    kind: multiple
    prompt: Pick a and c.
    options:
      a: First
      b: Second
      c: Third
      d: Fourth
    answer: [a, c]
    explanation: Because.
  - id: yes-or-no
    section: beta
    kind: true-false
    prompt: Is it false?
    answer: false
    explanation: It is.
";

    fn quiz() -> Quiz {
        match parse(GOOD, "quizzes/t.yaml", &chapters()) {
            Ok(q) => q,
            Err(e) => panic!("{e:#?}"),
        }
    }

    /// The messages of a broken quiz file.
    fn problems(text: &str) -> Vec<String> {
        match parse(text, "quizzes/t.yaml", &chapters()) {
            Ok(_) => panic!("parsed but should not have"),
            Err(e) => e.iter().map(ToString::to_string).collect(),
        }
    }

    fn sheet(text: &str) -> AnswerSheet {
        match parse_answers(text, "answers.yaml") {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        }
    }

    fn outcome<'s>(score: &'s Score, id: &str) -> &'s Outcome {
        &score
            .questions
            .iter()
            .find(|r| r.id == id)
            .expect("question in score")
            .outcome
    }

    // ------------------------------------------------------------ the file format

    #[test]
    fn a_good_quiz_parses_with_topics_and_true_false_options() {
        let q = quiz();
        assert_eq!(q.questions.len(), 3);
        assert_eq!(
            q.questions[0].topic, "alpha",
            "a ### section scores under its ##"
        );
        assert_eq!(q.questions[2].topic, "beta");
        assert_eq!(q.questions[0].subtopic.as_deref(), Some("alpha-detail"));
        assert_eq!(q.questions[1].subtopic, None, "a question on the ## itself");
        assert_eq!(q.questions[1].answer, ["a", "c"]);
        let tf: Vec<&str> = q.questions[2]
            .options
            .iter()
            .map(|o| o.id.as_str())
            .collect();
        assert_eq!(tf, ["true", "false"]);
        assert_eq!(q.questions[2].answer, ["false"]);
        let topics: Vec<&str> = q.topics.iter().map(|t| t.anchor.as_str()).collect();
        assert_eq!(topics, ["alpha", "beta", "gamma"]);
    }

    #[test]
    fn an_unknown_field_is_located_with_a_suggestion() {
        let text = GOOD.replace(
            "    explanation: Because.\n  - id: many",
            "    explanaton: Because.\n  - id: many",
        );
        let p = problems(&text);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("quizzes/t.yaml:13:5: questions[0]: unknown field `explanaton`"),
            "{p:?}"
        );
        assert!(p[0].ends_with("did you mean `explanation`?"), "{p:?}");
    }

    #[test]
    fn a_missing_field_is_named_with_its_question() {
        let p = problems(&GOOD.replace("    explanation: It is.\n", ""));
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("quizzes/t.yaml:25:5: questions[2]: missing field `explanation`"),
            "{p:?}"
        );
    }

    #[test]
    fn an_unknown_kind_gets_a_suggestion() {
        let p = problems(&GOOD.replace("kind: single", "kind: singel"));
        assert!(
            p[0].starts_with("quizzes/t.yaml:6:11: questions[0].kind: unknown variant `singel`"),
            "{p:?}"
        );
        assert!(p[0].ends_with("did you mean `single`?"), "{p:?}");
    }

    #[test]
    fn duplicate_question_ids_are_reported_at_the_second() {
        let p = problems(&GOOD.replace("id: many", "id: one"));
        assert_eq!(p, ["quizzes/t.yaml:14:5: duplicate question id `one`"]);
    }

    #[test]
    fn an_answer_that_is_not_an_option_is_reported() {
        let p = problems(&GOOD.replace("answer: b", "answer: e"));
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("quizzes/t.yaml:12:5: answer `e` of question `one` is not one of its options (`a`, `b`, `c`)"),
            "{p:?}"
        );
    }

    #[test]
    fn single_choice_needs_exactly_one_answer() {
        let p = problems(&GOOD.replace("answer: b", "answer: [a, b]"));
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].contains("single-choice question `one` needs exactly one answer, not 2"),
            "{p:?}"
        );
        let p = problems(&GOOD.replace("answer: b", "answer: []"));
        assert!(p[0].contains("needs exactly one answer, not 0"), "{p:?}");
    }

    #[test]
    fn true_false_questions_take_no_options_and_a_boolean() {
        let with_options = GOOD.replace(
            "    answer: false\n",
            "    options:\n      a: Yes\n      b: No\n    answer: false\n",
        );
        let p = problems(&with_options);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with(
                "quizzes/t.yaml:29:5: true-false question `yes-or-no` takes no `options`"
            ),
            "{p:?}"
        );
        let p = problems(&GOOD.replace("answer: false", "answer: \"false\""));
        assert!(
            p[0].contains("must be `true` or `false` (unquoted)"),
            "{p:?}"
        );
        let p = problems(&GOOD.replace("answer: b", "answer: true"));
        assert!(p[0].contains("need `kind: true-false`"), "{p:?}");
    }

    #[test]
    fn a_section_that_is_not_a_heading_of_the_chapter_is_reported() {
        let p = problems(&GOOD.replace("section: beta", "section: betta"));
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("quizzes/t.yaml:26:5: section `betta` of question `yes-or-no` is not a heading anchor of chapter `09-test`"),
            "{p:?}"
        );
        assert!(p[0].ends_with("did you mean `beta`?"), "{p:?}");
        let p = problems(&GOOD.replace("section: beta", "section: 9-test-chapter"));
        assert!(p[0].contains("is the chapter's title"), "{p:?}");
    }

    #[test]
    fn an_unknown_chapter_is_reported_with_a_suggestion() {
        let p = problems(&GOOD.replace("chapter: 09-test", "chapter: 09-tests"));
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("quizzes/t.yaml:1:1: chapter `09-tests`"),
            "{p:?}"
        );
        assert!(p[0].ends_with("did you mean `09-test`?"), "{p:?}");
    }

    #[test]
    fn duplicate_options_and_too_few_options_are_reported() {
        let p = problems(&GOOD.replace(
            "      b: Second\n      c: Third\n    answer: b",
            "      a: Second\n    answer: a",
        ));
        assert!(p[0].contains("duplicate option `a`"), "{p:?}");
        let p = problems(&GOOD.replace(
            "      b: Second\n      c: Third\n    answer: b",
            "    answer: a",
        ));
        assert!(
            p[0].contains("question `one` needs at least two `options`"),
            "{p:?}"
        );
    }

    #[test]
    fn every_problem_of_a_file_is_reported_at_once() {
        let text = GOOD
            .replace("answer: b", "answer: e")
            .replace("section: beta", "section: nowhere");
        assert_eq!(problems(&text).len(), 2);
    }

    #[test]
    fn a_question_id_used_by_two_files_breaks_the_second_file() {
        let files = [
            SourceFile {
                path: "quizzes/a.yaml".into(),
                text: GOOD.into(),
            },
            SourceFile {
                path: "quizzes/b.yaml".into(),
                text: GOOD.into(),
            },
        ];
        let q = Quizzes::from_sources(&files, &chapters());
        assert_eq!(q.quizzes.len(), 1);
        assert_eq!(q.problems.len(), 3);
        assert!(q.problems[0].to_string().starts_with(
            "quizzes/b.yaml:4:5: duplicate question id `one`: quizzes/a.yaml already defines it"
        ));
    }

    // ------------------------------------------------------------ scoring

    #[test]
    fn right_answers_score_per_section() {
        let s = score(
            &quiz(),
            &sheet("answers:\n  one: b\n  many: [c, a]\n  yes-or-no: false\n"),
        );
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        assert_eq!((s.total, s.answered, s.right, s.percent), (3, 3, 3, 100));
        let sections: Vec<(&str, usize, usize, u32)> = s
            .sections
            .iter()
            .map(|x| (x.anchor.as_str(), x.count, x.right, x.percent))
            .collect();
        assert_eq!(
            sections,
            [("alpha", 2, 2, 100), ("beta", 1, 1, 100)],
            "sections without questions are left out"
        );
        let subs: Vec<(&str, usize)> = s
            .subsections
            .iter()
            .map(|x| (x.anchor.as_str(), x.count))
            .collect();
        assert_eq!(subs, [("alpha-detail", 1)]);
    }

    #[test]
    fn a_wrong_answer_counts_as_wrong() {
        let s = score(&quiz(), &sheet("answers:\n  one: a\n  yes-or-no: true\n"));
        assert_eq!(outcome(&s, "one"), &Outcome::Wrong);
        assert_eq!(outcome(&s, "yes-or-no"), &Outcome::Wrong);
        assert_eq!(s.right, 0);
    }

    #[test]
    fn multiple_choice_is_right_only_with_exactly_the_right_options() {
        let q = quiz();
        let partial = score(&q, &sheet("answers:\n  many: [a]\n"));
        assert_eq!(
            outcome(&partial, "many"),
            &Outcome::Partial {
                chosen_right: vec!["a".into()],
                chosen_wrong: vec![],
                missed: vec!["c".into()]
            }
        );
        let too_many = score(&q, &sheet("answers:\n  many: [a, b, c]\n"));
        assert_eq!(
            outcome(&too_many, "many"),
            &Outcome::Partial {
                chosen_right: vec!["a".into(), "c".into()],
                chosen_wrong: vec!["b".into()],
                missed: vec![]
            }
        );
        let none_right = score(&q, &sheet("answers:\n  many: [b, d]\n"));
        assert_eq!(outcome(&none_right, "many"), &Outcome::Wrong);
        for s in [&partial, &too_many] {
            assert_eq!((s.right, s.partial), (0, 1), "partial counts as wrong");
            assert_eq!(s.sections[0].partial, 1);
        }
    }

    #[test]
    fn unanswered_and_skipped_questions_are_reported() {
        let s = score(
            &quiz(),
            &sheet("answers:\n  one: b\n  many: []\n  yes-or-no: ~\n"),
        );
        assert_eq!(
            (s.answered, s.unanswered, s.right, s.percent),
            (1, 2, 1, 33)
        );
        assert_eq!(outcome(&s, "many"), &Outcome::Unanswered);
        let missed: Vec<&str> = s.missed().map(|r| r.id.as_str()).collect();
        assert_eq!(missed, ["many", "yes-or-no"]);
        assert_eq!(s.sections[0].answered, 1);
        assert_eq!(s.sections[0].percent, 50);
    }

    #[test]
    fn an_unknown_question_id_is_an_error_with_its_location() {
        let s = score(
            &quiz(),
            &sheet("chapter: 09-test\nanswers:\n  one: b\n  mny: [a, c]\n"),
        );
        let p: Vec<String> = s.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            p,
            ["answers.yaml:4:3: unknown question id `mny`; did you mean `many`?"]
        );
        assert_eq!(outcome(&s, "many"), &Outcome::Unanswered);
    }

    #[test]
    fn an_answer_is_located_by_its_whole_question_id() {
        let s = score(
            &quiz(),
            &sheet("answers:\n  not-one: b\n  \"one\": b\n  one-more: a\n"),
        );
        let p: Vec<String> = s.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            p,
            [
                "answers.yaml:2:3: unknown question id `not-one`",
                "answers.yaml:4:3: unknown question id `one-more`"
            ]
        );
        assert_eq!(outcome(&s, "one"), &Outcome::Right);
    }

    #[test]
    fn an_option_the_question_does_not_have_is_an_error() {
        let s = score(
            &quiz(),
            &sheet("answers:\n  one: z\n  yes-or-no: \"True\"\n  many: [a, b]\n"),
        );
        let p: Vec<String> = s.problems.iter().map(ToString::to_string).collect();
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p[0].starts_with("answers.yaml:2:3: `z` is not an option of question `one`"),
            "{p:?}"
        );
        assert!(p[1].ends_with("did you mean `true`?"), "{p:?}");
        assert_eq!(outcome(&s, "one"), &Outcome::Wrong);
    }

    #[test]
    fn two_answers_to_a_single_choice_question_are_an_error() {
        let s = score(&quiz(), &sheet("answers:\n  one: [a, b]\n"));
        assert!(
            s.problems[0]
                .message
                .contains("takes one answer, 2 were given")
        );
        assert_eq!(
            outcome(&s, "one"),
            &Outcome::Wrong,
            "never partial for single choice"
        );
    }

    #[test]
    fn answers_for_another_chapter_are_an_error() {
        let s = score(&quiz(), &sheet("chapter: 01-intro\nanswers: {}\n"));
        assert!(s.problems[0].message.contains("for chapter `01-intro`"));
    }

    #[test]
    fn json_answer_files_score_the_same() {
        let json = r#"{"chapter": "09-test", "answers": {"one": "b", "many": ["a", "c"], "yes-or-no": false}}"#;
        let s = score(&quiz(), &parse_answers(json, "a.json").expect("json"));
        assert!(s.problems.is_empty());
        assert_eq!(s.right, 3);
        let bad = r#"{"answers": {"one": "b", "nope": "a"}}"#;
        let s = score(&quiz(), &parse_answers(bad, "a.json").expect("json"));
        assert_eq!(
            s.problems[0].to_string(),
            "a.json:1:26: unknown question id `nope`"
        );
    }

    #[test]
    fn a_malformed_answer_file_gives_a_located_message() {
        let e = parse_answers("answers:\n  one: b\n  many: [a, c\n", "answers.yaml")
            .expect_err("broken");
        assert_eq!(e.path, "answers.yaml");
        assert!(e.line >= 3, "{e}");
        let e = parse_answers("answer:\n  one: b\n", "answers.yaml").expect_err("typo");
        assert!(
            e.to_string()
                .starts_with("answers.yaml:1:1: unknown field `answer`"),
            "{e}"
        );
        assert!(e.to_string().ends_with("did you mean `answers`?"), "{e}");
        let e = parse_answers("answers:\n  one: 3\n", "answers.yaml").expect_err("number");
        assert!(
            e.to_string()
                .starts_with("answers.yaml:2:8: answers.one: invalid type: integer `3`"),
            "{e}"
        );
        let e = parse_answers("answers:\n  one: b\n  one: c\n", "answers.yaml").expect_err("twice");
        assert!(
            e.message.contains("answered twice") || e.message.contains("duplicate"),
            "{e}"
        );
        let e = parse_answers("{\"answers\": {\"one\": [\"a\",]}}", "a.json").expect_err("json");
        assert!(e.to_string().starts_with("a.json:1:"), "{e}");
    }

    #[test]
    fn the_listing_has_no_answers_or_explanations() {
        let q = quiz();
        let json = serde_json::to_value(q.listing()).expect("json");
        let first = &json["questions"][0];
        assert_eq!(first["id"], "one");
        assert_eq!(first["kind"], "single");
        assert_eq!(first["options"][1]["id"], "b");
        assert_eq!(json["questions"][2]["kind"], "true-false");
        let text = json.to_string();
        assert!(
            !text.contains("answer") && !text.contains("Because"),
            "{text}"
        );
    }

    #[test]
    fn the_score_serializes_outcomes_by_name() {
        let s = score(&quiz(), &sheet("answers:\n  many: [a]\n"));
        let json = serde_json::to_value(&s).expect("json");
        assert_eq!(json["questions"][1]["outcome"], "partial");
        assert_eq!(json["questions"][1]["missed"][0], "c");
        assert_eq!(json["questions"][0]["outcome"], "unanswered");
    }

    // ------------------------------------------------------------ practice

    #[test]
    fn shuffled_letters_map_back_to_the_option_ids() {
        let q = quiz();
        let many = &q.questions[1];
        let mut orders = BTreeSet::new();
        for seed in 0..50 {
            let shown = shuffle(many, seed);
            assert_eq!(shuffle(many, seed), shown, "deterministic");
            let letters: String = shown.iter().map(|s| s.letter).collect();
            assert_eq!(letters, "abcd");
            for s in &shown {
                let id = option_for_letter(&shown, s.letter).expect("letter");
                let option = many.options.iter().find(|o| o.id == id).expect("option");
                assert_eq!(option.text, s.text);
            }
            let mut ids: Vec<&str> = shown.iter().map(|s| s.option.as_str()).collect();
            orders.insert(ids.join(""));
            ids.sort();
            assert_eq!(ids, ["a", "b", "c", "d"]);
            // Choosing the displayed letters of the right options scores right.
            let picked: Vec<String> = shown
                .iter()
                .filter(|s| many.answer.contains(&s.option))
                .map(|s| {
                    option_for_letter(&shown, s.letter.to_ascii_uppercase())
                        .expect("upper")
                        .to_string()
                })
                .collect();
            assert_eq!(judge(many, &picked), Outcome::Right);
        }
        assert!(orders.len() > 5, "seeds give different orders: {orders:?}");
        assert_eq!(option_for_letter(&shuffle(many, 1), 'e'), None);
    }

    #[test]
    fn true_false_keeps_true_first() {
        let q = quiz();
        let shown = shuffle(&q.questions[2], 7);
        let ids: Vec<&str> = shown.iter().map(|s| s.option.as_str()).collect();
        assert_eq!(ids, ["true", "false"]);
    }

    #[test]
    fn leitner_wrong_goes_to_box_one_and_right_moves_up_to_five() {
        let mut l = Leitner::default();
        assert_eq!(l.box_of("one"), None);
        l.record("one", true);
        assert_eq!(l.box_of("one"), Some(2));
        for _ in 0..10 {
            l.record("one", true);
        }
        assert_eq!(l.box_of("one"), Some(5), "never above box 5");
        l.record("one", false);
        assert_eq!(l.box_of("one"), Some(1));
        l.record("one", true);
        assert_eq!(l.box_of("one"), Some(2));
        assert_eq!(l.cards["one"].answered, 13);
        let json = serde_json::to_string(&l).expect("json");
        assert_eq!(
            json,
            r#"{"cards":{"one":{"box":2,"last_right":true,"answered":13}}}"#
        );
        let back: Leitner = serde_json::from_str(&json).expect("back");
        assert_eq!(back, l);
    }

    #[test]
    fn missed_questions_come_first_then_new_then_low_boxes() {
        let q = quiz();
        let mut l = Leitner::default();
        // `one` is in box 3, `yes-or-no` was missed, `many` is new.
        l.record("one", true);
        l.record("one", true);
        l.record("yes-or-no", false);
        for seed in 0..20 {
            let order: Vec<&str> = practice_order(&q, &l, seed)
                .iter()
                .map(|x| x.id.as_str())
                .collect();
            assert_eq!(order, ["yes-or-no", "many", "one"]);
        }
        l.record("many", true);
        l.record("yes-or-no", true);
        let order: Vec<&str> = practice_order(&q, &l, 0)
            .iter()
            .map(|x| x.id.as_str())
            .collect();
        assert_eq!(order.last(), Some(&"one"), "box 3 after two cards in box 2");
    }

    #[test]
    fn recording_a_score_moves_only_answered_questions() {
        let q = quiz();
        let s = score(&q, &sheet("answers:\n  one: b\n  many: [a]\n"));
        let mut l = Leitner::default();
        l.record_score(&s);
        assert_eq!(l.box_of("one"), Some(2));
        assert_eq!(l.box_of("many"), Some(1), "partial is wrong");
        assert_eq!(l.box_of("yes-or-no"), None);
        l.record("gone", true);
        l.retain_known(&q);
        assert_eq!(l.box_of("gone"), None);
    }

    #[test]
    fn the_exam_clock_has_a_deadline_only_with_a_limit() {
        let c = ExamClock::new(1_000, Some(Duration::from_secs(600)));
        assert_eq!(c.deadline(), Some(1_600));
        assert_eq!(c.remaining(1_100), Some(Duration::from_secs(500)));
        assert_eq!(c.remaining(2_000), Some(Duration::ZERO));
        assert!(!c.is_over(1_599));
        assert!(c.is_over(1_600));
        let open = ExamClock::new(1_000, None);
        assert_eq!(
            (
                open.deadline(),
                open.remaining(5_000),
                open.is_over(i64::MAX)
            ),
            (None, None, false)
        );
    }

    // ------------------------------------------------------------ schema

    /// The field names serde expects, read from its unknown-field message,
    /// so the schema is compared with the parser and not with a hand-kept list.
    fn expected_fields<T: serde::de::DeserializeOwned + std::fmt::Debug>(
        probe: &str,
    ) -> BTreeSet<String> {
        let e = serde_norway::from_str::<T>(probe).expect_err("unknown field");
        let msg = e.to_string();
        let rest = &msg[msg.find("expected").expect("expected")..];
        rest.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    fn schema_keys(v: &serde_json::Value) -> BTreeSet<String> {
        v.as_object().expect("object").keys().cloned().collect()
    }

    #[test]
    fn the_schema_has_exactly_the_parsers_fields_and_kinds() {
        let schema = json_schema();
        assert_eq!(
            schema_keys(&schema["properties"]),
            expected_fields::<RawQuiz>("zzz: 1")
        );
        let question = &schema["$defs"]["question"];
        assert_eq!(
            schema_keys(&question["properties"]),
            expected_fields::<RawQuestion>("zzz: 1")
        );
        let kinds: BTreeSet<String> = question["properties"]["kind"]["enum"]
            .as_array()
            .expect("enum")
            .iter()
            .map(|k| k.as_str().expect("str").to_string())
            .collect();
        assert_eq!(kinds, expected_fields::<Kind>("zzz"));
    }

    #[test]
    fn the_published_schema_is_generated_from_the_model() {
        crate::yaml::testing::assert_published_schema(
            "quiz.schema.json",
            &json_schema(),
            "quiz::tests::the_published_schema",
        );
    }

    // ------------------------------------------------------------ the shipped bank

    fn shipped() -> (Course, Quizzes) {
        let course = Course::embedded();
        let quizzes = Quizzes::load(&course);
        (course, quizzes)
    }

    #[test]
    fn the_shipped_bank_validates_against_the_chapter() {
        let (_, quizzes) = shipped();
        let problems: Vec<String> = quizzes.problems.iter().map(ToString::to_string).collect();
        assert!(problems.is_empty(), "{problems:#?}");
        let quiz = quizzes
            .for_chapter("03-identity-access-security")
            .expect("chapter 3 quiz");
        assert!(
            quiz.questions.len() >= 40,
            "{} questions",
            quiz.questions.len()
        );
        for kind in [Kind::Single, Kind::Multiple, Kind::TrueFalse] {
            assert!(
                quiz.questions.iter().any(|q| q.kind == kind),
                "no {kind:?} question"
            );
        }
    }

    #[test]
    fn every_section_of_the_chapter_has_questions() {
        let (course, quizzes) = shipped();
        let chapter = course
            .chapters
            .iter()
            .find(|c| c.id == "03-identity-access-security")
            .expect("chapter 3");
        let quiz = quizzes.for_chapter(&chapter.id).expect("quiz");
        let h2: Vec<String> = crate::markdown::render(&chapter.source.text, 80)
            .toc
            .into_iter()
            .filter(|t| t.level == 2)
            .map(|t| t.anchor)
            .collect();
        assert!(h2.len() >= 10, "{h2:?}");
        let uncovered: Vec<&String> = h2
            .iter()
            .filter(|a| !quiz.questions.iter().any(|q| q.topic == **a))
            .collect();
        assert!(
            uncovered.is_empty(),
            "## sections without questions: {uncovered:?}"
        );
    }

    #[test]
    fn the_embedded_bank_matches_the_files_on_disk() {
        // include_dir cannot tell cargo what it read: catch a stale binary.
        for f in embedded_files() {
            let disk = std::fs::read_to_string(
                concat!(env!("CARGO_MANIFEST_DIR"), "/../../").to_string() + &f.path,
            )
            .expect("file on disk");
            assert!(
                disk == f.text,
                "{} is stale in the binary; touch src/quiz.rs",
                f.path
            );
        }
    }

    #[test]
    fn a_full_answer_sheet_of_the_shipped_bank_scores_every_section() {
        let (_, quizzes) = shipped();
        let quiz = quizzes
            .for_chapter("03-identity-access-security")
            .expect("quiz");
        let mut text = String::from("answers:\n");
        for q in &quiz.questions {
            text.push_str(&format!("  {}: [{}]\n", q.id, q.answer.join(", ")));
        }
        let s = score(quiz, &sheet(&text));
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        assert_eq!((s.right, s.percent), (quiz.questions.len(), 100));
        assert_eq!(s.sections.len(), quiz.topics.len());
    }

    /// The policy questions of the bank agree with labbook's own evaluator,
    /// which implements AWS's rules (a missing key makes a negated operator true).
    #[test]
    fn the_banks_policy_answers_agree_with_the_policy_evaluator() {
        use crate::policy::{Decision, Policy, PolicySet, Request, decide};
        let (_, quizzes) = shipped();
        let quiz = quizzes
            .for_chapter("03-identity-access-security")
            .expect("quiz");
        let answer = |id: &str| quiz.question(id).expect(id).answer.clone();
        let policy = |json: &str| Policy::parse(json).expect("policy");
        let allow = |actions: &str| {
            policy(&format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": {actions}, "Resource": "*"}}]}}"#
            ))
        };
        let full = || allow(r#""*""#);

        // A Deny with StringNotEquals on aws:RequestedRegion, request without the key.
        let deny_regions = policy(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-central-2"]}}}]}"#,
        );
        let set = PolicySet {
            identity: vec![full()],
            scp_layers: vec![vec![full()], vec![full(), deny_regions]],
            management_account: false,
        };
        let no_region = Request {
            action: "ec2:DescribeInstances".into(),
            resource: "*".into(),
            ..Request::default()
        };
        assert_eq!(answer("scp-missing-region-key"), ["a"]);
        assert_eq!(decide(&set, &no_region), Decision::ExplicitDeny);

        // The intersection of SCP layers and IAM.
        let set = PolicySet {
            identity: vec![allow(r#"["ec2:*", "s3:*"]"#)],
            scp_layers: vec![
                vec![full()],
                vec![allow(r#"["s3:*", "dynamodb:*"]"#)],
                vec![full()],
            ],
            management_account: false,
        };
        assert_eq!(answer("scp-intersection"), ["a"], "only S3");
        let allowed: Vec<&str> = ["s3:GetObject", "dynamodb:GetItem", "ec2:RunInstances"]
            .into_iter()
            .filter(|a| decide(&set, &Request::in_region(a, "eu-central-1")) == Decision::Allow)
            .collect();
        assert_eq!(allowed, ["s3:GetObject"]);

        // The management account is never restricted, whatever its SCPs say.
        let set = PolicySet {
            identity: vec![full()],
            scp_layers: vec![vec![allow(r#""s3:*""#)]],
            management_account: true,
        };
        assert_eq!(answer("scp-testing-in-management-account"), ["a"]);
        assert_eq!(
            decide(&set, &Request::in_region("ec2:RunInstances", "eu-west-1")),
            Decision::Allow
        );

        // Cost Explorer's requests carry us-east-1, so an eu-central-1 pin denies them.
        let pinned = policy(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ce:Get*", "ce:List*"], "Resource": "*",
                "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-central-1"}}}]}"#,
        );
        let set = PolicySet {
            identity: vec![pinned],
            ..PolicySet::default()
        };
        assert_eq!(answer("iam-cost-explorer-region"), ["b"]);
        assert_eq!(
            decide(&set, &Request::in_region("ce:GetCostAndUsage", "us-east-1")),
            Decision::ImplicitDeny
        );
    }
}
