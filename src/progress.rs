//! Progress: per AWS account and lab step, the last outcome, its message,
//! when it was checked, and the learner's manual marks. One JSON file in the
//! data directory (`progress.json`), with a `format_version`, written
//! atomically; a corrupt or newer-format file is moved aside with a message
//! (both through [`crate::state`]), never silently discarded.
//!
//! Owns the progress file format and what a step shows ([`Shown`]) and when a
//! lab counts as done ([`lab_done`]). Depends on [`crate::checks`] for the
//! outcome type, [`crate::labs`] for steps and [`crate::state`] for files; knows nothing about AWS,
//! the runner or the UI.
//!
//! Since format 2 it also keeps, per chapter, the latest quiz score (what
//! `labbook review` reports) and the Leitner box of every question answered
//! (what the next practice session asks first). Quiz results belong to the
//! learner, not to an AWS account, so they sit beside the accounts.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::checks::{Evidence, Outcome, Status};
use crate::labs::{Action, Lab, Step};
use crate::quiz::{Leitner, Score};
use crate::state;

/// Set to `1` to abort the process after the temporary progress file is
/// written and before it is renamed over the old one (crash-safety tests).
pub const CRASH_ENV: &str = "LABBOOK_TEST_CRASH_BEFORE_RENAME";

#[derive(Debug, thiserror::Error)]
pub enum ProgressError {
    #[error("could not save progress to {path}: {source}")]
    Save {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub format_version: u32,
    /// Account id -> its steps.
    #[serde(default)]
    pub accounts: BTreeMap<String, AccountProgress>,
    /// Chapter id -> its quiz results (format 2).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub quizzes: BTreeMap<String, QuizProgress>,
}

/// A chapter's quiz: the latest score and the Leitner boxes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizProgress {
    /// The latest scored attempt (an answer file, a practice or an exam session).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<QuizRecord>,
    #[serde(default)]
    pub leitner: Leitner,
}

/// One scored attempt, as kept: totals, the score per `##` section and the
/// questions missed. Its own shape (not the scorer's), so the file format
/// stays put when scoring grows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizRecord {
    /// RFC 3339 UTC.
    pub at: String,
    /// `answers` (`labbook quiz --answers`), `practice` or `exam`.
    pub mode: String,
    pub total: usize,
    pub answered: usize,
    pub right: usize,
    pub percent: u32,
    #[serde(default)]
    pub sections: Vec<QuizSectionRecord>,
    /// Questions not answered right (wrong, partial or unanswered).
    #[serde(default)]
    pub missed: Vec<MissedQuestion>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizSectionRecord {
    /// The `##` section's anchor.
    pub anchor: String,
    pub title: String,
    pub count: usize,
    pub right: usize,
    pub percent: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissedQuestion {
    pub id: String,
    /// The anchor that teaches it.
    pub section: String,
    /// Its `##` section.
    pub topic: String,
}

impl QuizRecord {
    /// The record as the review reads it.
    pub fn summary(&self) -> crate::readiness::QuizSummary {
        use crate::readiness::{MissedQuestion as Missed, QuizSectionScore, QuizSummary};
        QuizSummary {
            at: self.at.clone(),
            mode: self.mode.clone(),
            right: self.right,
            total: self.total,
            percent: self.percent,
            sections: self
                .sections
                .iter()
                .map(|s| QuizSectionScore {
                    anchor: s.anchor.clone(),
                    count: s.count,
                    right: s.right,
                    percent: s.percent,
                })
                .collect(),
            missed: self
                .missed
                .iter()
                .map(|m| Missed {
                    id: m.id.clone(),
                    section: m.section.clone(),
                    topic: m.topic.clone(),
                })
                .collect(),
        }
    }

    pub fn of(score: &Score, mode: &str, at: &str) -> QuizRecord {
        QuizRecord {
            at: at.to_string(),
            mode: mode.to_string(),
            total: score.total,
            answered: score.answered,
            right: score.right,
            percent: score.percent,
            sections: score
                .sections
                .iter()
                .map(|s| QuizSectionRecord {
                    anchor: s.anchor.clone(),
                    title: s.title.clone(),
                    count: s.count,
                    right: s.right,
                    percent: s.percent,
                })
                .collect(),
            missed: score
                .missed()
                .map(|q| MissedQuestion {
                    id: q.id.clone(),
                    section: q.section.clone(),
                    topic: q.topic.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AccountProgress {
    /// `lab/step` -> record.
    #[serde(default)]
    pub steps: BTreeMap<String, StepRecord>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StepRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Status>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// RFC 3339 UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_at: Option<String>,
    /// When the learner marked this (manual) step done; `None` when not marked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marked_done_at: Option<String>,
}

pub fn key(lab: &str, step: &str) -> String {
    format!("{lab}/{step}")
}

impl Progress {
    /// 2 added `quizzes` (latest quiz score and Leitner boxes per chapter).
    pub const VERSION: u32 = 2;
    const FILE: &'static str = "progress.json";

    pub fn path() -> PathBuf {
        state::data_dir().join(Self::FILE)
    }

    /// Loads progress; the message says when a bad file was moved aside.
    pub fn load() -> (Progress, Option<String>) {
        let (p, msg) = state::load_versioned::<Progress>(&Self::path(), Self::VERSION);
        (p.migrated(), msg)
    }

    /// Brings a file of an older format up to [`Progress::VERSION`]:
    /// format 1 had no quiz results, so its quizzes start empty and its
    /// steps and marks are kept as they are.
    pub fn migrated(mut self) -> Progress {
        if self.format_version < 2 {
            self.quizzes.clear();
        }
        self.format_version = Self::VERSION;
        self
    }

    /// Records a scored quiz attempt: it becomes the chapter's latest score,
    /// and every answered question moves in its Leitner box.
    pub fn record_quiz(&mut self, score: &Score, mode: &str, at: &str) {
        let q = self.quizzes.entry(score.chapter.clone()).or_default();
        q.last = Some(QuizRecord::of(score, mode, at));
        q.leitner.record_score(score);
    }

    /// The latest quiz score of a chapter.
    pub fn last_quiz(&self, chapter: &str) -> Option<&QuizRecord> {
        self.quizzes.get(chapter)?.last.as_ref()
    }

    /// The Leitner boxes of a chapter's questions (empty when never practised).
    pub fn leitner(&self, chapter: &str) -> Leitner {
        self.quizzes
            .get(chapter)
            .map(|q| q.leitner.clone())
            .unwrap_or_default()
    }

    /// Replaces a chapter's Leitner boxes (the TUI records answers one by one).
    pub fn set_leitner(&mut self, chapter: &str, leitner: Leitner) {
        self.quizzes.entry(chapter.to_string()).or_default().leitner = leitner;
    }

    pub fn save(&self) -> Result<(), ProgressError> {
        let path = Self::path();
        let err = |source| ProgressError::Save {
            path: path.display().to_string(),
            source,
        };
        let mut json = serde_json::to_vec_pretty(self).map_err(|e| err(e.into()))?;
        json.push(b'\n');
        let crash = std::env::var(CRASH_ENV).is_ok_and(|v| v == "1");
        state::write_atomic_then(&path, &json, || {
            if crash {
                std::process::abort();
            }
        })
        .map_err(err)
    }

    pub fn get(&self, account: &str, lab: &str, step: &str) -> Option<&StepRecord> {
        self.accounts.get(account)?.steps.get(&key(lab, step))
    }

    /// What `step` of `lab` shows from what is recorded for `account`.
    pub fn shown(&self, account: Option<&str>, lab: &str, step: &Step) -> Shown {
        let r = account.and_then(|a| self.get(a, lab, &step.id));
        Shown::of(
            step,
            r.and_then(|r| r.outcome),
            r.is_some_and(|r| r.marked_done_at.is_some()),
        )
    }

    fn entry(&mut self, account: &str, lab: &str, step: &str) -> &mut StepRecord {
        self.accounts
            .entry(account.to_string())
            .or_default()
            .steps
            .entry(key(lab, step))
            .or_default()
    }

    /// Records a check's outcome. A manual step's mark is kept.
    pub fn record(&mut self, account: &str, lab: &str, step: &str, outcome: &Outcome, at: &str) {
        let r = self.entry(account, lab, step);
        r.outcome = Some(outcome.status);
        r.message = outcome.message.clone();
        r.evidence = outcome.evidence.clone();
        r.checked_at = Some(at.to_string());
    }

    /// Marks or unmarks a manual step as done.
    pub fn mark(&mut self, account: &str, lab: &str, step: &str, done: bool, at: &str) {
        self.entry(account, lab, step).marked_done_at = done.then(|| at.to_string());
    }

    /// The account whose steps were checked most recently.
    pub fn latest_account(&self) -> Option<&str> {
        self.accounts
            .iter()
            .filter_map(|(id, a)| {
                let latest = a
                    .steps
                    .values()
                    .filter_map(|r| r.checked_at.as_deref().or(r.marked_done_at.as_deref()))
                    .max()?;
                Some((latest, id.as_str()))
            })
            .max()
            .map(|(_, id)| id)
    }
}

/// What a step shows, wherever it is shown (the labs screen, `labbook
/// labs`, `labbook check`): the one owner of that rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Never checked (or never marked, for a manual step: shown as manual).
    NotChecked,
    /// Being checked right now.
    Running,
    /// A manual step the learner marked done.
    MarkedDone,
    Status(Status),
}

impl Shown {
    /// What a step shows from its last outcome (this run's or the
    /// recorded one) and the learner's mark. A manual step's mark wins over
    /// its `manual` outcome; a checked step's outcome wins over a stale mark.
    pub fn of(step: &Step, outcome: Option<Status>, marked_done: bool) -> Shown {
        let manual = matches!(step.action, Action::Manual);
        match outcome {
            _ if marked_done && (manual || outcome.is_none()) => Shown::MarkedDone,
            Some(s) => Shown::Status(s),
            None if manual => Shown::Status(Status::Manual),
            None => Shown::NotChecked,
        }
    }

    /// Counts toward a lab's done steps.
    pub fn is_done(self) -> bool {
        matches!(self, Shown::MarkedDone | Shown::Status(Status::Pass))
    }
}

/// (done, total) of a lab: only required steps count; an advice step is
/// worth doing but neither adds to the total nor to the done steps.
pub fn lab_done(lab: &Lab, shown: impl Fn(&Step) -> Shown) -> (usize, usize) {
    let required: Vec<&Step> = lab.steps.iter().filter(|s| !s.advice).collect();
    let done = required.iter().filter(|s| shown(s).is_done()).count();
    (done, required.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_outcomes_per_account_and_keeps_manual_marks() {
        let mut p = Progress::default();
        p.mark("1", "kms-key", "round-trip", true, "2026-03-02T10:00:00Z");
        p.record(
            "1",
            "kms-key",
            "round-trip",
            &Outcome::manual(),
            "2026-03-02T10:05:00Z",
        );
        p.record(
            "2",
            "org",
            "exists",
            &Outcome::pass("ok"),
            "2026-03-02T09:00:00Z",
        );
        let r = p.get("1", "kms-key", "round-trip").expect("record");
        assert_eq!(r.marked_done_at.as_deref(), Some("2026-03-02T10:00:00Z"));
        assert_eq!(r.outcome, Some(Status::Manual));
        assert!(p.get("2", "kms-key", "round-trip").is_none());
        assert_eq!(p.latest_account(), Some("1"));
        p.mark("1", "kms-key", "round-trip", false, "x");
        assert!(
            p.get("1", "kms-key", "round-trip")
                .expect("r")
                .marked_done_at
                .is_none()
        );
    }

    #[test]
    fn round_trips_through_json_with_its_version() {
        let mut p = Progress {
            format_version: Progress::VERSION,
            ..Progress::default()
        };
        p.record(
            "1",
            "org",
            "exists",
            &Outcome::fail("no org").with("k", "v"),
            "t",
        );
        let json = serde_json::to_string(&p).expect("json");
        assert!(json.contains("\"format_version\":2"));
        assert_eq!(serde_json::from_str::<Progress>(&json).expect("parse"), p);
    }

    #[test]
    fn a_format_1_file_keeps_its_steps_and_gains_empty_quizzes() {
        let v1 = br#"{"format_version": 1, "accounts": {"1": {"steps": {"org/exists": {"outcome": "pass", "checked_at": "t"}}}}}"#;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("progress.json");
        std::fs::write(&path, v1).expect("write");
        let (p, msg) = state::load_versioned::<Progress>(&path, Progress::VERSION);
        assert!(msg.is_none(), "{msg:?}");
        let p = p.migrated();
        assert_eq!(p.format_version, 2);
        assert!(p.quizzes.is_empty());
        assert_eq!(
            p.get("1", "org", "exists").and_then(|r| r.outcome),
            Some(Status::Pass)
        );
        let json = serde_json::to_string(&p).expect("json");
        assert!(json.contains("\"format_version\":2"), "{json}");
    }

    #[test]
    fn a_quiz_attempt_is_the_latest_score_and_moves_the_leitner_boxes() {
        use crate::quiz::{Outcome as Answer, QuestionResult, Score, SectionScore};
        let result = |id: &str, outcome: Answer| QuestionResult {
            id: id.into(),
            section: "iam".into(),
            topic: "iam-identity-center-and-organization-scps".into(),
            subtopic: None,
            kind: crate::quiz::Kind::Single,
            chosen: vec!["a".into()],
            answer: vec!["a".into()],
            outcome,
        };
        let score = Score {
            chapter: "03".into(),
            total: 2,
            answered: 2,
            right: 1,
            partial: 0,
            unanswered: 0,
            percent: 50,
            sections: vec![SectionScore {
                anchor: "iam-identity-center-and-organization-scps".into(),
                title: "IAM".into(),
                count: 2,
                answered: 2,
                right: 1,
                partial: 0,
                percent: 50,
            }],
            subsections: vec![],
            questions: vec![result("good", Answer::Right), result("bad", Answer::Wrong)],
            problems: vec![],
        };
        let mut p = Progress::default();
        p.record_quiz(&score, "answers", "2026-03-02T10:00:00Z");
        let last = p.last_quiz("03").expect("recorded");
        assert_eq!((last.right, last.total, last.percent), (1, 2, 50));
        assert_eq!(last.missed.len(), 1);
        assert_eq!(last.missed[0].id, "bad");
        let boxes = p.leitner("03");
        assert_eq!(boxes.box_of("good"), Some(2));
        assert_eq!(boxes.box_of("bad"), Some(1));
        let back: Progress =
            serde_json::from_str(&serde_json::to_string(&p).expect("json")).expect("parse");
        assert_eq!(back, p);
    }

    #[test]
    fn a_newer_progress_file_is_moved_aside_not_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("progress.json");
        std::fs::write(&path, br#"{"format_version": 7, "accounts": {}}"#).expect("write");
        let (p, msg) = state::load_versioned::<Progress>(&path, Progress::VERSION);
        assert_eq!(p, Progress::default());
        assert!(msg.is_some_and(|m| m.contains("newer labbook") && m.contains("moved to")));
        assert!(!path.exists());
    }
}
