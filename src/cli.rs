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

/// Run `labbook read`: render a chapter or a Markdown file to stdout.
pub fn run_read(args: &ReadArgs, content: Option<&std::path::Path>) -> anyhow::Result<i32> {
    use std::io::{IsTerminal, Write};

    use anyhow::Context;

    use crate::course::{self, Course};

    let target = args.target.as_deref();
    let file = target
        .map(std::path::Path::new)
        .filter(|p| p.extension().is_some_and(|e| e == "md") || p.is_file());
    let (chapter, warnings) = match file {
        Some(path) => {
            let (chapter, warning) = course::read_markdown_file(path)?;
            (chapter, warning.into_iter().collect::<Vec<_>>())
        }
        None => {
            let course = Course::load(content)?;
            let index = match target {
                Some(t) => course.find_chapter(t).with_context(|| {
                    let names: Vec<String> = course
                        .chapters
                        .iter()
                        .enumerate()
                        .map(|(i, c)| format!("{} ({})", i + 1, c.title))
                        .collect();
                    format!("no chapter matches {t:?}; chapters: {}", names.join(", "))
                })?,
                None => 0,
            };
            let chapter = course
                .chapters
                .get(index)
                .cloned()
                .context("the course has no chapters")?;
            (chapter, course.warnings)
        }
    };
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let width = args.width.unwrap_or_else(|| {
        if tty {
            ratatui::crossterm::terminal::size()
                .map(|(w, _)| w)
                .unwrap_or(100)
        } else {
            100
        }
    });
    let color = tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let doc = crate::markdown::render(&chapter.source.text, width.max(20));
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in &doc.lines {
        let text = if color {
            crate::ansi::line(line)
        } else {
            crate::markdown::line_text(line)
        };
        // A closed pipe (`labbook read | head`) is not an error worth a message.
        if writeln!(out, "{}", text.trim_end()).is_err() {
            return Ok(0);
        }
    }
    let _ = out.flush();
    Ok(0)
}
