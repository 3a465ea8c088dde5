//! CSV (RFC 4180) for spreadsheets: one row per learner and step, with the
//! learner's error on each of their rows; fields quoted when they need it.

use super::class::ClassReport;

/// A field, quoted when it holds a comma, a quote or a line break, and
/// defused when a spreadsheet would read it as a formula.
pub fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn row(out: &mut String, fields: &[&str]) {
    let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

pub const HEADER: &[&str] = &[
    "class", "time", "learner", "account", "lab", "step", "outcome", "advice", "message",
    "evidence", "error",
];

pub fn write_class(report: &ClassReport) -> String {
    let mut out = String::new();
    row(&mut out, HEADER);
    for l in &report.learners {
        for r in &l.results {
            let evidence: Vec<String> = r
                .evidence
                .iter()
                .map(|e| format!("{}: {}", e.key, e.value))
                .collect();
            row(
                &mut out,
                &[
                    &report.class,
                    &report.time,
                    &l.name,
                    &l.account,
                    &r.lab,
                    &r.step,
                    r.outcome.as_str(),
                    if r.advice { "true" } else { "false" },
                    &r.message,
                    &evidence.join("; "),
                    l.error.as_deref().unwrap_or(""),
                ],
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(x)"), "'=HYPERLINK(x)");
    }

    #[test]
    fn the_class_csv_parses_with_one_row_per_learner_and_step() {
        let text = write_class(&super::super::class::tests::sample());
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(String::from)
            .collect();
        assert_eq!(header, HEADER);
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), 12);
        assert_eq!(&rows[1][2], "ada");
        assert_eq!(&rows[1][6], "fail");
        assert_eq!(
            &rows[1][8],
            "scp-regions/attached: fail <&> \"quoted\", comma"
        );
        assert!(rows[8][10].contains("could not assume"));
        assert_eq!(&rows[8][6], "unknown");
    }
}
