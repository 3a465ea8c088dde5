//! One self-contained HTML file (no external assets: styles inline, no
//! scripts, no fonts or images fetched): a heatmap of learners × steps with
//! totals per step and per learner, the changes since the last run, and a
//! detail section per learner. Readable in any browser and printable.

use std::fmt::Write as _;

use super::class::ClassReport;
use super::junit::xml as esc;
use crate::checks::Status;

const STYLE: &str = "
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;font-size:.8rem}
th,td{border:1px solid #ccc;padding:.2rem .35rem;text-align:center}
th.step{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:normal}
td.name,th.name{text-align:left;white-space:nowrap}
td.pass{background:#2e7d32;color:#fff}td.fail{background:#c62828;color:#fff}
td.advice{background:#f9a825}td.unknown{background:#9e9e9e;color:#fff}
td.manual{background:#e3f2fd}td.unread{background:#e0e0e0;color:#555;text-align:left;font-style:italic}
td.msg{text-align:left}
.legend span{display:inline-block;padding:0 .4rem;margin-right:.3rem}
section.learner{break-inside:avoid}
@media print{body{margin:0}th.step{font-size:.65rem}td{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
";

fn class_of(outcome: Status, advice: bool) -> &'static str {
    match outcome {
        Status::Pass => "pass",
        Status::Fail if advice => "advice",
        Status::Fail => "fail",
        Status::Unknown => "unknown",
        Status::Manual => "manual",
    }
}

fn symbol(outcome: Status, advice: bool) -> &'static str {
    match outcome {
        Status::Pass => "✓",
        Status::Fail if advice => "!",
        Status::Fail => "✗",
        Status::Unknown => "?",
        Status::Manual => "·",
    }
}

pub fn write_class(report: &ClassReport) -> String {
    let steps = report.steps();
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Class {} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&report.class),
        esc(&report.time)
    );
    let _ = writeln!(
        out,
        "<h1>Class {} — {}{}</h1>",
        esc(&report.class),
        esc(&report.time),
        if report.partial {
            " (partial: stopped early)"
        } else {
            ""
        }
    );
    out.push_str("<p class=\"legend\"><span class=\"pass\" style=\"background:#2e7d32;color:#fff\">✓ pass</span><span style=\"background:#c62828;color:#fff\">✗ fail</span><span style=\"background:#f9a825\">! advice</span><span style=\"background:#9e9e9e;color:#fff\">? unknown</span><span style=\"background:#e3f2fd\">· manual</span></p>\n");
    out.push_str("<table class=\"heatmap\">\n<thead><tr><th class=\"name\">learner</th>");
    for (lab, step, _) in &steps {
        let _ = write!(out, "<th class=\"step\">{}/{}</th>", esc(lab), esc(step));
    }
    out.push_str("<th>passed</th></tr></thead>\n<tbody>\n");
    for l in &report.learners {
        let _ = write!(
            out,
            "<tr><td class=\"name\"><a href=\"#learner-{}\">{}</a></td>",
            anchor(&l.name),
            esc(&l.name)
        );
        match &l.error {
            Some(e) => {
                let _ = write!(
                    out,
                    "<td class=\"unread\" colspan=\"{}\" title=\"{}\">could not be read: {}</td><td>–</td>",
                    steps.len().max(1),
                    esc(e),
                    esc(e)
                );
            }
            None => {
                for (lab, step, _) in &steps {
                    match l.result(lab, step) {
                        Some(r) => {
                            let _ = write!(
                                out,
                                "<td class=\"{}\" title=\"{}/{}: {}\">{}</td>",
                                class_of(r.outcome, r.advice),
                                esc(lab),
                                esc(step),
                                esc(&r.message),
                                symbol(r.outcome, r.advice)
                            );
                        }
                        None => out.push_str("<td></td>"),
                    }
                }
                let p = l.progress();
                let _ = write!(out, "<td>{}/{}</td>", p.passed, p.required);
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n<tfoot><tr><th class=\"name\">passed</th>");
    for (lab, step, _) in &steps {
        let (p, n) = report.step_total(lab, step);
        let _ = write!(out, "<td>{p}/{n}</td>");
    }
    out.push_str("<td></td></tr></tfoot>\n</table>\n");
    if let Some(c) = &report.changes {
        let _ = writeln!(out, "<h2>Changes since {}</h2>\n<ul>", esc(&c.since));
        if c.steps.is_empty() && c.stuck.is_empty() {
            out.push_str("<li>none</li>\n");
        }
        for s in &c.steps {
            let _ = writeln!(
                out,
                "<li>{}: <code>{}</code> {}</li>",
                esc(&s.learner),
                esc(&s.step),
                s.change
            );
        }
        for s in &c.stuck {
            let _ = writeln!(
                out,
                "<li>stuck: {} on <code>{}</code> for {} runs</li>",
                esc(&s.learner),
                esc(&s.step),
                s.runs
            );
        }
        out.push_str("</ul>\n");
    }
    for l in &report.learners {
        let _ = writeln!(
            out,
            "<section class=\"learner\" id=\"learner-{}\">\n<h2>{} <small>{}</small></h2>",
            anchor(&l.name),
            esc(&l.name),
            esc(&l.account)
        );
        if let Some(e) = &l.error {
            let _ = writeln!(out, "<p><strong>Could not be read:</strong> {}</p>", esc(e));
        }
        out.push_str(
            "<table>\n<tr><th>step</th><th>outcome</th><th class=\"name\">message</th></tr>\n",
        );
        for r in &l.results {
            let evidence: String = r
                .shown_evidence()
                .map(|e| format!("<br><small>{}: {}</small>", esc(&e.key), esc(&e.value)))
                .collect();
            let _ = writeln!(
                out,
                "<tr><td class=\"name\">{}/{}</td><td class=\"{}\">{}{}</td><td class=\"msg\">{}{evidence}</td></tr>",
                esc(&r.lab),
                esc(&r.step),
                class_of(r.outcome, r.advice),
                r.outcome.as_str(),
                if r.advice { " (advice)" } else { "" },
                esc(&r.message)
            );
        }
        out.push_str("</table>\n</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// An id attribute value for a learner name.
fn anchor(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_is_self_contained_and_has_a_cell_per_learner_and_step() {
        let html = write_class(&super::super::class::tests::sample());
        for external in [
            "<script", "<link", "src=", "url(", "@import", "http://", "https://",
        ] {
            assert!(!html.contains(external), "{external} in the page");
        }
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert_eq!(
            html.matches("<td class=\"fail\"").count(),
            2,
            "ada's fail in the map and detail"
        );
        assert!(html.contains("<td class=\"unread\" colspan=\"4\""));
        assert!(html.contains("&lt;&amp;&gt;"), "messages are escaped");
        assert!(
            html.contains("<td>2/2</td>"),
            "grace passed both required steps"
        );
    }
}
