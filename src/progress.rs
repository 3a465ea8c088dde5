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

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::checks::{Evidence, Outcome, Status};
use crate::labs::{Action, Lab, Step};
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
    pub const VERSION: u32 = 1;
    const FILE: &'static str = "progress.json";

    pub fn path() -> PathBuf {
        state::data_dir().join(Self::FILE)
    }

    /// Loads progress; the message says when a bad file was moved aside.
    pub fn load() -> (Progress, Option<String>) {
        let (mut p, msg) = state::load_versioned::<Progress>(&Self::path(), Self::VERSION);
        p.format_version = Self::VERSION;
        (p, msg)
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
        assert!(json.contains("\"format_version\":1"));
        assert_eq!(serde_json::from_str::<Progress>(&json).expect("parse"), p);
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
