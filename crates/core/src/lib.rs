//! labbook-core: the layers of labbook below the collector, with no AWS
//! SDK: text and encoding, the course and its renderer, the facts model,
//! the policy evaluator, the checks, labs, quizzes, the audit and the
//! readiness model. The `labbook` crate re-exports every module here under
//! the same name, so `labbook::checks` and `crate::checks` mean this.
//!
//! Layers, bottom first (the whole map is in `labbook`'s `src/lib.rs`, and
//! `tests/it/layers.rs` keeps both crates to it):
//!
//! ```text
//! leaf     encoding clock state strings suggest yaml
//! text     course markdown highlight ansi
//! model    facts policy
//! pure     checks labs quiz audit readiness
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

pub mod ansi;
pub mod audit;
pub mod checks;
pub mod clock;
pub mod course;
pub mod encoding;
pub mod facts;
pub mod highlight;
pub mod labs;
pub mod markdown;
pub mod policy;
pub mod quiz;
pub mod readiness;
pub mod state;
pub mod strings;
pub mod suggest;
pub mod yaml;
