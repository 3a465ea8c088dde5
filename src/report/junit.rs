//! JUnit XML for CI: one test suite per lab, a failure per failed required
//! step; unknown, manual and advice steps are `skipped` with their reason.

use std::fmt::Write as _;

use super::{Report, StepReport};
use crate::checks::Status;

/// Text escaped for an XML attribute or element; control characters that
/// XML 1.0 forbids are dropped.
pub fn xml(s: &str) -> String {
    let allowed = |c: &char| (*c as u32) >= 0x20 || matches!(c, '\n' | '\t' | '\r');
    super::escape_markup(s.chars().filter(allowed), "&apos;")
}

fn skipped(r: &StepReport) -> bool {
    r.outcome != Status::Pass && !r.failed()
}

/// What a `<testcase>` holds for step `r`: nothing for a pass, a
/// `<failure>` with the evidence for a failed required step, `<skipped>`
/// with the reason otherwise.
fn verdict(r: &StepReport) -> Option<String> {
    match r.outcome {
        Status::Pass => None,
        Status::Fail if !r.advice => Some(format!(
            "<failure message=\"{}\">{}</failure>",
            xml(&r.message),
            xml(&r
                .evidence
                .iter()
                .map(|e| format!("{}: {}\n", e.key, e.value))
                .collect::<String>())
        )),
        _ => Some(format!(
            "<skipped message=\"{}{}\"/>",
            if r.advice { "advice: " } else { "" },
            xml(&format!("{}: {}", r.outcome.as_str(), r.message))
        )),
    }
}

/// Writes one `<testcase>` line: `open` (the tag without its end) closed
/// empty, or around `body`.
fn testcase(out: &mut String, open: &str, body: Option<String>) {
    let _ = match body {
        None => writeln!(out, "{open}/>"),
        Some(b) => writeln!(out, "{open}>{b}</testcase>"),
    };
}

pub fn write(report: &Report) -> String {
    let results = &report.results;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"labbook {}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" timestamp=\"{}\">",
        xml(&report.account),
        results.len(),
        results.iter().filter(|r| r.failed()).count(),
        results.iter().filter(|r| skipped(r)).count(),
        xml(&report.time)
    );
    for (lab, rs) in report.by_lab() {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">",
            xml(lab),
            rs.len(),
            rs.iter().filter(|r| r.failed()).count(),
            rs.iter().filter(|r| skipped(r)).count()
        );
        for r in rs {
            let name = format!("{}/{}", r.lab, r.step);
            let open = format!(
                "    <testcase classname=\"{}\" name=\"{}\"",
                xml(&r.lab),
                xml(&name)
            );
            testcase(&mut out, &open, verdict(r));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// A class run: one test suite per learner (`name (account)`); a learner
/// who could not be read has an `<error>` on every checked step, with the
/// reason.
pub fn write_class(report: &super::class::ClassReport) -> String {
    let all: Vec<&StepReport> = report.learners.iter().flat_map(|l| &l.results).collect();
    let errors = |l: &super::class::LearnerReport| {
        if l.error.is_some() {
            l.results
                .iter()
                .filter(|r| r.outcome != Status::Manual)
                .count()
        } else {
            0
        }
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"labbook class {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" timestamp=\"{}\">",
        xml(&report.class),
        all.len(),
        all.iter().filter(|r| r.failed()).count(),
        report.learners.iter().map(errors).sum::<usize>(),
        xml(&report.time)
    );
    for l in &report.learners {
        let rs = &l.results;
        let suite_errors = errors(l);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{} ({})\" tests=\"{}\" failures=\"{}\" errors=\"{suite_errors}\" skipped=\"{}\">",
            xml(&l.name),
            xml(&l.account),
            rs.len(),
            rs.iter().filter(|r| r.failed()).count(),
            rs.iter()
                .filter(|r| skipped(r) && (l.error.is_none() || r.outcome == Status::Manual))
                .count()
        );
        for r in rs {
            let open = format!(
                "    <testcase classname=\"{}.{}\" name=\"{}/{}\"",
                xml(&l.name),
                xml(&r.lab),
                xml(&r.lab),
                xml(&r.step)
            );
            let body = match (&l.error, r.outcome) {
                (_, Status::Pass) => None,
                (Some(e), s) if s != Status::Manual => {
                    Some(format!("<error message=\"{}\"/>", xml(e)))
                }
                _ => verdict(r),
            };
            testcase(&mut out, &open, body);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
