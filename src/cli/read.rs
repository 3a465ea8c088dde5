//! `labbook read`: a chapter or any Markdown file, rendered without the TUI;
//! styled on a terminal, plain when piped or with `NO_COLOR`.

use super::ReadArgs;

/// Run `labbook read`: render a chapter or a Markdown file to stdout.
pub fn run(args: &ReadArgs, content: Option<&std::path::Path>) -> anyhow::Result<i32> {
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
