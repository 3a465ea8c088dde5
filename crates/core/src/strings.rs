//! User-facing words used in more than one place, so wording is reviewed together.

pub const APP: &str = "labbook";

/// The message of a manual step that has not been marked.
pub const MANUAL_STEP: &str =
    "This step cannot be checked through the AWS API; do it as described and mark it done.";
/// The message of a manual step the learner marked done.
pub const MANUAL_DONE: &str = "Marked done by you.";
/// How `labbook check` names a live run.
pub const LIVE_SOURCE: &str = "live, read-only";

/// Markers for the four outcomes in text output.
pub const MARK_PASS: &str = "✔";
pub const MARK_FAIL: &str = "✘";
pub const MARK_UNKNOWN: &str = "?";
pub const MARK_MANUAL: &str = "✎";
/// A failed advice step: worth doing, not a failure.
pub const MARK_ADVICE: &str = "!";
/// A step never checked.
pub const MARK_NEVER: &str = "·";
/// A manual step the learner marked done.
pub const MARK_MARKED_DONE: &str = "☑";
/// A step being checked (the TUI animates a spinner instead).
pub const MARK_RUNNING: &str = "…";

/// Why the labs cannot be checked when no facts source was given.
pub const NO_FACTS_SOURCE: &str =
    "No account to check: start labbook with --snapshot FILE (try assets/demo/halfway.json).";
