//! labbook: a terminal course and lab runner.
//!
//! The map, one direction only:
//!
//! ```text
//! content (markdown, yaml) ─┐
//!                           ├─> checks (pure: Facts -> Outcome) ─> runner ─> tui / cli
//! AWS APIs ─> collect ─> Facts ┘
//! ```
//!
//! - [`course`]: finds and loads a course (embedded or a directory), repairing
//!   encoding damage; knows nothing about rendering.
//! - [`encoding`]: bytes to text: UTF-8 validation and mojibake repair.
//! - [`markdown`]: Markdown to styled, width-wrapped lines plus a table of
//!   contents and link targets; pure, no terminal I/O.
//! - [`highlight`]: a small syntax highlighter for the code languages the
//!   course uses (json, hcl/terraform, bash, yaml).
//! - [`policy`]: the IAM policy evaluator (pure).
//! - [`collect`]: the live collector: reads AWS through the official SDK
//!   (read-only operations from one list) into `Facts`; the only SDK user.
//! - [`facts`]: the plain-data model of what the checks read from AWS; a
//!   snapshot is this model as JSON. No SDK types.
//! - [`checks`]: one pure check per file (`Facts` + params -> `Outcome`),
//!   with metadata and a registry.
//! - [`labs`]: lab files (YAML) parsed and validated against the checks
//!   registry and the chapters' anchors; the JSON Schema for editors.
//! - [`quiz`]: the question bank (`quizzes/*.yaml`) validated against the
//!   chapters' anchors, answer-file scoring per section, option shuffling,
//!   Leitner boxes and exam timing; pure, no UI.
//! - [`progress`]: per-account, per-step outcomes and manual marks, saved atomically.
//! - [`runner`]: runs selected steps against a facts source on a background
//!   thread and streams `RunEvent`s; no UI.
//! - [`clock`]: RFC 3339 timestamps without a date-time crate.
//! - [`tui`]: the ratatui application: state, key map, views.
//! - [`cli`]: argument parsing and the non-interactive subcommands.
//! - [`strings`]: user-facing words that appear in more than one place.
//! - [`state`]: the data directory and atomic, versioned files.

pub mod ansi;
pub mod checks;
pub mod cli;
pub mod clock;
pub mod collect;
pub mod course;
pub mod encoding;
pub mod facts;
pub mod highlight;
pub mod labs;
pub mod markdown;
pub mod policy;
pub mod progress;
pub mod quiz;
pub mod runner;
pub mod state;
pub mod strings;
pub mod tui;
