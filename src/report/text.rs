//! Text for people: the steps grouped by lab with their markers, the
//! evidence worth reading, and a summary line.

use std::fmt::Write as _;

use super::{Report, marker};

pub fn write(report: &Report) -> String {
    let mut out = String::new();
    let account = &report.account;
    let _ = writeln!(out, "Checking account {account} ({})", report.source);
    let width = report
        .results
        .iter()
        .map(|r| r.step.len())
        .max()
        .unwrap_or(0);
    for (lab, steps) in report.by_lab() {
        let title = steps.first().map(|s| s.lab_title.as_str()).unwrap_or("");
        let _ = writeln!(out, "\n{lab} — {title}");
        for r in steps {
            let tag = if r.advice { " (advice)" } else { "" };
            let _ = writeln!(
                out,
                "  {} {:width$}  {}{tag}",
                marker(r.shown(), r.advice),
                r.step,
                r.display_message()
            );
            for e in r.shown_evidence() {
                let _ = writeln!(out, "      {}: {}", e.key, e.value);
            }
        }
    }
    let _ = writeln!(out, "\n{}, account {account})", report.tally().summary());
    out
}
