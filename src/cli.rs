//! Command-line interface: argument parsing and the subcommands that run
//! without the TUI. Subcommands never enter raw mode; they print and exit.
//!
//! Exit status: 0 success, 1 a checked thing failed, 2 usage or content error.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "labbook",
    version,
    about = "Read the course and check the labs in your AWS account."
)]
pub struct Cli {
    /// Load the course from DIR (a folder with content/course.yaml and labs/) instead of the embedded one.
    #[arg(long, global = true, value_name = "DIR")]
    pub content: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a chapter (by number, id or title words) or any Markdown file, rendered, without the TUI.
    Read(ReadArgs),
    /// Work with IAM policies offline.
    #[command(subcommand)]
    Policy(PolicyCommand),
}

#[derive(Debug, Args)]
pub struct ReadArgs {
    /// A chapter of the course (number, id or part of its title) or a path to a Markdown file. Default: the first chapter.
    pub target: Option<String>,
    /// Wrap to N columns (default: the terminal's width, or 100 when not a terminal).
    #[arg(long, value_name = "N")]
    pub width: Option<u16>,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Decide one request against a policy (and SCPs) and explain why.
    Explain(crate::policy::ExplainArgs),
}
