//! Progress: per AWS account and lab step, the last outcome, its message,
//! when it was checked, and the learner's manual marks. One JSON file in the
//! data directory (`progress.json`), with a `format_version`, written
//! atomically; a corrupt or newer-format file is moved aside with a message
//! (both through [`crate::state`]), never silently discarded.
//!
//! Owns the progress file format. Depends on [`crate::checks`] for the
//! outcome type and [`crate::state`] for files; knows nothing about AWS,
//! the runner or the UI.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::checks::{Evidence, Outcome, Status};
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
