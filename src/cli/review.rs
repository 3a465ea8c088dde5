//! `labbook review`: a readiness report for a review (a certification, a
//! customer's security review): the lab steps' state and the account audit
//! (live, read-only, or from a facts snapshot) and the latest quiz score,
//! per chapter section, with strengths and gaps. Each gap says what to read
//! and which step to redo. The threshold is documented in
//! [`crate::readiness`] and `assets/schema/review.md`.
//!
//! Exit status: 0 ready, 1 not ready (so it can gate a pipeline), 2 an
//! error (no facts, no chapter to review, the output cannot be written).
//! The review reads progress (manual marks, the quiz score) and writes
//! nothing to it.

use std::path::Path;

use super::{AwsArgs, ReviewArgs, ReviewFormat, STATS_ENV};
use crate::course::Course;
use crate::facts::Facts;
use crate::labs::Labs;
use crate::progress::Progress;
use crate::readiness::{self, Inputs};
use crate::report::review as writers;
use crate::runner;
use crate::strings;

pub fn run(content: Option<&Path>, args: &ReviewArgs, aws: &AwsArgs) -> anyhow::Result<i32> {
    let course = Course::load(content)?;
    let labs = Labs::load(&course);
    let quizzes = super::quiz::load(content, &course)?;
    let Some(chapter) = readiness::chapter_to_review(&course, &quizzes, &labs) else {
        eprintln!("labbook review: the course has no chapter with a quiz or lab steps to review");
        return Ok(2);
    };
    let loaded = match &args.snapshot {
        Some(snapshot) => Facts::load(snapshot).map_err(|e| e.to_string()),
        None => {
            let jobs = runner::select(&labs, &[]).map_err(|e| e.to_string());
            jobs.and_then(|jobs| {
                let mut scope = runner::plan(&jobs);
                scope.groups.extend(crate::audit::needs());
                crate::collect::collect_blocking(&aws.reach(), &scope)
                    .map(|(facts, stats)| {
                        if std::env::var_os(STATS_ENV).is_some() {
                            eprintln!("labbook: {}", stats.summary());
                        }
                        facts
                    })
                    .map_err(|e| e.to_string())
            })
        }
    };
    let facts = match loaded {
        Ok(f) => f,
        Err(e) => {
            eprintln!("labbook review: {e}");
            return Ok(2);
        }
    };
    let (progress, moved) = Progress::load();
    if let Some(m) = moved {
        eprintln!("labbook: {m}");
    }
    let account = facts.account_id.clone();
    let marked = |lab: &str, step: &str| {
        progress
            .get(&account, lab, step)
            .is_some_and(|r| r.marked_done_at.is_some())
    };
    let steps = readiness::steps_from_facts(&labs, &facts, &marked);
    let findings = crate::audit::audit(&facts);
    let quiz = progress.last_quiz(&chapter.id).map(|r| r.summary());
    let source = args
        .snapshot
        .as_ref()
        .map(|p| format!("snapshot {}", p.display()))
        .unwrap_or_else(|| strings::LIVE_SOURCE.to_string());
    let time = crate::clock::now_rfc3339();
    let review = readiness::review(&Inputs {
        chapter,
        labs: &labs,
        steps: &steps,
        findings: &findings,
        quiz: quiz.as_ref(),
        account: &account,
        source: &source,
        time: &time,
    });
    let text = match args.format {
        ReviewFormat::Text => writers::text::write(&review),
        ReviewFormat::Markdown => writers::markdown::write(&review),
        ReviewFormat::Html => writers::html::write(&review),
        ReviewFormat::Json => writers::json::write(&review)?,
    };
    match &args.out {
        Some(path) => {
            if let Err(e) = crate::state::write_atomic(path, text.as_bytes()) {
                eprintln!("labbook review: cannot write {}: {e}", path.display());
                return Ok(2);
            }
            eprintln!(
                "labbook review: {} written to {}",
                writers::verdict(&review),
                path.display()
            );
        }
        None => print!("{text}"),
    }
    Ok(if review.ready { 0 } else { 1 })
}
