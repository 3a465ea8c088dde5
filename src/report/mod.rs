//! The report model and its writers: what a run of checks found, built once
//! ([`Report`]) and written by one writer per format (`text`, `json`,
//! `junit`; the quiz score in `quiz`; the readiness review in `review/`,
//! text, markdown, html and json); a class run ([`class::ClassReport`])
//! adds `csv`, `markdown` and `html`.
//!
//! Also the one owner of how an outcome looks: the status markers
//! ([`marker`]) and the words of the summary line, shared by the CLI and the
//! TUI. Pure: no files, no terminal, no AWS; a writer returns a `String`.

use serde::Serialize;

use crate::checks::{Evidence, Outcome, Status};
use crate::progress::Shown;
use crate::strings;

pub mod class;
pub mod csv;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod quiz;
pub mod review;
pub mod text;

/// One checked step, as reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepReport {
    pub lab: String,
    pub step: String,
    pub outcome: Status,
    pub message: String,
    pub evidence: Vec<Evidence>,
    /// An advice step: a failure is worth fixing but does not fail the run.
    pub advice: bool,
    /// The lab's title, for people (not part of the JSON object).
    #[serde(skip)]
    pub lab_title: String,
    /// A manual step the learner marked done (not part of the JSON object).
    #[serde(skip)]
    pub marked_done: bool,
}

impl StepReport {
    pub fn new(lab: &str, step: &str, outcome: Outcome, advice: bool) -> StepReport {
        StepReport {
            lab: lab.to_string(),
            step: step.to_string(),
            outcome: outcome.status,
            message: outcome.message,
            evidence: outcome.evidence,
            advice,
            lab_title: String::new(),
            marked_done: false,
        }
    }

    /// What the step shows.
    pub fn shown(&self) -> Shown {
        if self.outcome == Status::Manual && self.marked_done {
            Shown::MarkedDone
        } else {
            Shown::Status(self.outcome)
        }
    }

    /// A failure that fails the run (advice never does).
    pub fn failed(&self) -> bool {
        self.outcome == Status::Fail && !self.advice
    }

    /// The message for people: a marked manual step says so.
    pub fn display_message(&self) -> &str {
        if self.shown() == Shown::MarkedDone {
            strings::MANUAL_DONE
        } else {
            &self.message
        }
    }

    /// Evidence worth printing beside the message: everything of a failure,
    /// warnings, advice and notes always (an unknown's message already names
    /// the cause and the permission).
    pub fn shown_evidence(&self) -> impl Iterator<Item = &Evidence> {
        self.evidence.iter().filter(|e| {
            self.outcome == Status::Fail || matches!(e.key.as_str(), "warning" | "advice" | "note")
        })
    }
}

/// What one run of checks found in one account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub account: String,
    /// RFC 3339 UTC.
    pub time: String,
    /// Where the facts came from, for people ("live, read-only", "snapshot FILE").
    #[serde(skip)]
    pub source: String,
    pub results: Vec<StepReport>,
}

/// Counts of a report's steps by what they show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub unknown: usize,
    pub manual: usize,
    pub advice: usize,
    pub total: usize,
}

impl Report {
    pub fn tally(&self) -> Tally {
        let mut t = Tally {
            total: self.results.len(),
            ..Tally::default()
        };
        for r in &self.results {
            match r.outcome {
                Status::Pass => t.passed += 1,
                Status::Fail if r.advice => t.advice += 1,
                Status::Fail => t.failed += 1,
                Status::Unknown => t.unknown += 1,
                Status::Manual => t.manual += 1,
            }
        }
        t
    }

    /// A required step failed (the exit status of `labbook check`).
    pub fn any_failed(&self) -> bool {
        self.results.iter().any(StepReport::failed)
    }

    /// The labs in the order they first appear, with their steps.
    pub fn by_lab(&self) -> Vec<(&str, Vec<&StepReport>)> {
        let mut labs: Vec<(&str, Vec<&StepReport>)> = Vec::new();
        for r in &self.results {
            match labs.iter_mut().find(|(l, _)| *l == r.lab) {
                Some((_, steps)) => steps.push(r),
                None => labs.push((&r.lab, vec![r])),
            }
        }
        labs
    }
}

impl Tally {
    /// "3 passed, 1 failed, …": the summary line's words, in one place.
    pub fn summary(&self) -> String {
        format!(
            "{} passed, {} failed, {} unknown, {} manual, {} advice to consider ({} steps",
            self.passed, self.failed, self.unknown, self.manual, self.advice, self.total
        )
    }
}

/// The marker of what a step shows (text output and the TUI alike);
/// `Running` has none of its own (the TUI animates a spinner).
pub fn marker(shown: Shown, advice: bool) -> &'static str {
    match shown {
        Shown::NotChecked => strings::MARK_NEVER,
        Shown::Running => strings::MARK_RUNNING,
        Shown::MarkedDone => strings::MARK_MARKED_DONE,
        Shown::Status(Status::Pass) => strings::MARK_PASS,
        Shown::Status(Status::Fail) if advice => strings::MARK_ADVICE,
        Shown::Status(Status::Fail) => strings::MARK_FAIL,
        Shown::Status(Status::Unknown) => strings::MARK_UNKNOWN,
        Shown::Status(Status::Manual) => strings::MARK_MANUAL,
    }
}

/// `chars` escaped for XML or HTML content and attribute values: `&`, `<`,
/// `>`, `"` and `'` as entities, the apostrophe written as `apostrophe`
/// (`&apos;` in XML, `&#39;` in the review's HTML).
pub(crate) fn escape_markup(chars: impl Iterator<Item = char>, apostrophe: &str) -> String {
    let mut out = String::new();
    for c in chars {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str(apostrophe),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(lab: &str, id: &str, status: Status, advice: bool) -> StepReport {
        let outcome = Outcome {
            status,
            message: format!("{id} message"),
            evidence: Vec::new(),
        };
        StepReport::new(lab, id, outcome, advice)
    }

    fn report(results: Vec<StepReport>) -> Report {
        Report {
            account: "1".into(),
            time: "t".into(),
            source: "s".into(),
            results,
        }
    }

    #[test]
    fn a_failed_advice_step_is_counted_as_advice_and_does_not_fail_the_run() {
        let report = report(vec![
            step("a", "x", Status::Pass, false),
            step("a", "y", Status::Fail, true),
        ]);
        let t = report.tally();
        assert_eq!((t.passed, t.failed, t.advice, t.total), (1, 0, 1, 2));
        assert!(!report.any_failed());
    }

    #[test]
    fn a_manual_step_marked_done_has_one_marker_everywhere() {
        let mut s = step("a", "m", Status::Manual, false);
        s.marked_done = true;
        assert_eq!(marker(s.shown(), false), strings::MARK_MARKED_DONE);
        assert_eq!(s.display_message(), strings::MANUAL_DONE);
        assert_ne!(strings::MARK_MARKED_DONE, strings::MARK_PASS);
    }

    #[test]
    fn labs_keep_their_first_order() {
        let report = report(vec![
            step("b", "x", Status::Pass, false),
            step("a", "y", Status::Pass, false),
            step("b", "z", Status::Pass, false),
        ]);
        let labs: Vec<(&str, usize)> = report
            .by_lab()
            .into_iter()
            .map(|(l, s)| (l, s.len()))
            .collect();
        assert_eq!(labs, [("b", 2), ("a", 1)]);
    }
}
