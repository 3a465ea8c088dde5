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
//! - [`tui`]: the ratatui application: state, key map, views.
//! - [`cli`]: argument parsing and the non-interactive subcommands.
//! - [`strings`]: user-facing words that appear in more than one place.

pub mod ansi;
pub mod cli;
pub mod course;
pub mod encoding;
pub mod highlight;
pub mod markdown;
pub mod policy;
pub mod state;
pub mod strings;
pub mod tui;
