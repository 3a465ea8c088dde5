//! Markdown for a chat or a ticket: a table of learners with their
//! progress and first failing step, the steps not yet passed by everyone,
//! and the changes since the last run.

use std::fmt::Write as _;

use super::class::ClassReport;
use crate::checks::Status;

/// Text safe inside a table cell: pipes escaped, line breaks flattened.
pub fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

pub fn write_class(report: &ClassReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Class {} — {}{}\n",
        cell(&report.class),
        report.time,
        if report.partial { " (partial)" } else { "" }
    );
    out.push_str("| Learner | Account | Passed | Failed | Unknown | First failing step |\n");
    out.push_str("|---|---|---:|---:|---:|---|\n");
    for l in &report.learners {
        let p = l.progress();
        let _ = match &l.error {
            Some(e) => writeln!(
                out,
                "| {} | {} | – | – | – | could not be read: {} |",
                cell(&l.name),
                l.account,
                cell(e)
            ),
            None => writeln!(
                out,
                "| {} | {} | {}/{} | {} | {} | {} |",
                cell(&l.name),
                l.account,
                p.passed,
                p.required,
                p.failed,
                p.unknown,
                l.first_failing()
                    .map(|s| format!("`{s}`"))
                    .unwrap_or_else(|| "—".into())
            ),
        };
    }
    let steps: Vec<(String, usize, usize)> = report
        .steps()
        .into_iter()
        .filter(|(lab, step, advice)| {
            !advice
                && report
                    .learners
                    .iter()
                    .filter_map(|l| l.result(lab, step))
                    .any(|r| r.outcome != Status::Manual)
        })
        .map(|(lab, step, _)| {
            let (p, n) = report.step_total(lab, step);
            (format!("{lab}/{step}"), p, n)
        })
        .filter(|(_, p, n)| p < n)
        .collect();
    if !steps.is_empty() {
        out.push_str("\n| Step | Passed |\n|---|---:|\n");
        for (s, p, n) in steps {
            let _ = writeln!(out, "| `{s}` | {p}/{n} |");
        }
    }
    if let Some(c) = &report.changes {
        let _ = writeln!(out, "\n**Changes since {}**\n", c.since);
        if c.steps.is_empty() && c.stuck.is_empty() {
            out.push_str("- none\n");
        }
        for s in &c.steps {
            let _ = writeln!(out, "- {}: `{}` {}", cell(&s.learner), s.step, s.change);
        }
        for s in &c.stuck {
            let _ = writeln!(
                out,
                "- stuck: {} on `{}` for {} runs",
                cell(&s.learner),
                s.step,
                s.runs
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_markdown_table_has_a_row_per_learner_and_escapes_pipes() {
        let md = write_class(&super::super::class::tests::sample());
        insta::assert_snapshot!(md);
        let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| ")).collect();
        // Header, three learners, step header, one step.
        assert_eq!(rows.len(), 6, "{md}");
        for r in &rows[..4] {
            assert_eq!(r.matches(" | ").count(), 5, "six cells: {r}");
        }
        assert_eq!(cell("a|b\nc"), "a\\|b c");
    }
}
