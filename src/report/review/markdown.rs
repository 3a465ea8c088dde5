//! The review as Markdown: a document to keep beside a review's other
//! evidence. Sections without anything assessed are listed at the end.

use std::fmt::Write as _;

use super::{gap_marker, state_word, threshold_sentence, totals, verdict};
use crate::readiness::{Review, SectionState};
use crate::strings;

/// Text inside Markdown: characters that would start markup are escaped.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub fn write(review: &Review) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Readiness review: {}\n", md(&review.chapter.title));
    let _ = writeln!(
        out,
        "Account `{}` · {} · {}\n",
        review.account,
        md(&review.source),
        review.time
    );
    let _ = writeln!(out, "**{}.**", verdict(review));
    if !review.reasons.is_empty() {
        out.push('\n');
        for r in &review.reasons {
            let _ = writeln!(out, "- {}", md(r));
        }
    }
    let _ = writeln!(out, "\n{}\n", md(&threshold_sentence()));
    let _ = writeln!(out, "| | |\n|---|---|");
    for (label, value) in totals(review) {
        let _ = writeln!(out, "| {label} | {} |", md(&value));
    }
    let mut unassessed = Vec::new();
    for s in &review.sections {
        if s.state == SectionState::NotAssessed {
            unassessed.push(md(&s.title));
            continue;
        }
        let _ = writeln!(out, "\n## {} ({})\n", md(&s.title), state_word(s.state));
        if !s.strengths.is_empty() {
            let _ = writeln!(out, "Strengths:\n");
            for st in &s.strengths {
                let _ = writeln!(out, "- {} {}", strings::MARK_PASS, md(st));
            }
        }
        if !s.gaps.is_empty() {
            let _ = writeln!(
                out,
                "{}Gaps:\n",
                if s.strengths.is_empty() { "" } else { "\n" }
            );
            for g in &s.gaps {
                let blocking = if g.blocking {
                    ""
                } else {
                    " *(does not block)*"
                };
                let _ = writeln!(out, "- {} {}{blocking}", gap_marker(g), md(&g.what));
                for p in &g.read {
                    let _ = writeln!(out, "  - Read: *{}* (`#{}`)", md(&p.title), p.anchor);
                }
                for r in &g.redo {
                    let _ = writeln!(out, "  - Redo: `{}` ({})", r.id(), md(&r.title));
                }
            }
        }
    }
    if !unassessed.is_empty() {
        let _ = writeln!(
            out,
            "\nNot assessed (no questions, lab steps or audit rules): {}.",
            unassessed.join(", ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_messages_is_escaped() {
        let text = write(&super::super::testing::halfway());
        assert!(text.contains("trail-bucket-\\<elsewhere\\>"), "{text}");
        assert!(text.starts_with("# Readiness review: "));
        assert!(
            text.contains("- Redo: `root-user/no-access-keys`"),
            "{text}"
        );
    }
}
