//! labbook: a terminal course and lab runner.
//!
//! The map, one direction only:
//!
//! ```text
//! content (markdown, yaml) ─┐
//!                           ├─> checks (pure: Facts -> Outcome) ─> runner ─> report ─> tui / cli
//! AWS APIs ─> collect ─> Facts ┘
//! ```
//!
//! Layers, bottom first; a module uses its own layer and those below, never
//! one above, and no two modules use each other (`tests/it/layers.rs` reads
//! every file of `src/` and `crates/core/src/` and keeps this true). The
//! layers below `io` are the crate `labbook-core` (`crates/core`, no AWS
//! SDK), re-exported here under the same names:
//!
//! ```text
//! leaf     encoding clock state strings suggest yaml
//! text     course markdown highlight ansi
//! model    facts policy
//! pure     checks labs quiz audit readiness
//! io       collect runner watch progress roster class history
//! present  report
//! front    cli tui
//! ```
//!
//! - [`encoding`]: bytes to text: UTF-8 validation and mojibake repair.
//! - [`clock`]: RFC 3339 timestamps without a date-time crate.
//! - [`state`]: the data directory and atomic, versioned files.
//! - [`strings`]: user-facing words that appear in more than one place.
//! - [`suggest`]: "did you mean …?" for typos in ids, kinds and fields.
//! - [`yaml`]: what the YAML files share: syntax errors and unknown fields
//!   with file, line and column and a "did you mean", `key: value` lines
//!   located, ids.
//! - [`course`]: finds and loads a course (embedded or a directory), repairing
//!   encoding damage; knows nothing about rendering.
//! - [`markdown`]: Markdown to styled, width-wrapped lines plus a table of
//!   contents and link targets; pure, no terminal I/O.
//! - [`highlight`]: a small syntax highlighter for the code languages the
//!   course uses (json, hcl/terraform, bash, yaml).
//! - [`ansi`]: rendered lines as ANSI-styled text for `labbook read`.
//! - [`facts`]: the plain-data model of what the checks read from AWS; a
//!   snapshot is this model as JSON. No SDK types.
//! - [`policy`]: the IAM policy evaluator (pure; reads no files).
//! - [`checks`]: one pure check per file (`Facts` + params -> `Outcome`),
//!   with metadata and a registry.
//! - [`labs`]: lab files (YAML) parsed and validated against the checks
//!   registry and the chapters' anchors; the content self-test; the JSON
//!   Schema for editors.
//! - [`quiz`]: the question bank (`quizzes/*.yaml`) validated against the
//!   chapters' anchors, answer-file scoring per section, option shuffling,
//!   Leitner boxes and exam timing; pure, no UI.
//! - [`audit`]: the account audit: the chapter's best practices as pure
//!   rules over `Facts`, each with its evidence, the section that teaches
//!   it and the lab steps that fix it.
//! - [`readiness`]: the review model: lab steps, audit and the latest quiz
//!   score per chapter section, with strengths, gaps and the threshold.
//! - [`collect`]: the live collector: reads AWS through the official SDK
//!   (read-only operations from one list) into `Facts`; the only SDK user.
//! - [`runner`]: selects steps, plans what to read for them, runs them
//!   against a `FactsSource` on a background thread and streams
//!   `RunEvent`s; no UI.
//! - [`watch`]: watching steps: when to check again (interval, floor,
//!   back-off), what changed, which turned green, when a quiet watch stops;
//!   pure, driven by `labbook check --watch` and the labs screen through
//!   the runner's worker.
//! - [`roster`]: a class's learners and how the instructor reaches each
//!   (YAML or CSV), validated with file, line and column.
//! - [`class`]: a class run: one facts source per learner (their own
//!   assumed session, or a snapshot), checked concurrently and bounded.
//! - [`history`]: every class run in a versioned SQLite database; a
//!   learner's progress over time, the diff of the last two runs, forget.
//! - [`progress`]: per-account, per-step outcomes and manual marks, saved
//!   atomically; what a step shows and when a lab is done.
//! - [`report`]: the report model of a run and one writer per output format
//!   (text, json, junit; csv, markdown and html for a class; the quiz score;
//!   the readiness review); the status markers and the escaping of markup.
//! - [`cli`]: the argument types, dispatch, and one file per subcommand.
//! - [`tui`]: the ratatui application: state, key map, screens (the
//!   learner's, and the instructor's class view over a class run).

// The layers below the collector live in `crates/core` (no AWS SDK, so a
// change there rebuilds and tests without the SDK); re-exported here under
// their own names.
pub use labbook_core::{
    ansi, audit, checks, clock, course, encoding, facts, highlight, labs, markdown, policy, quiz,
    readiness, state, strings, suggest, yaml,
};

pub mod class;
pub mod cli;
pub mod collect;
pub mod history;
pub mod progress;
pub mod report;
pub mod roster;
pub mod runner;
pub mod tui;
pub mod watch;
