//! The review for the terminal: the verdict and why, the totals, then each
//! assessed section with its strengths and gaps (what to read, what to redo).

use std::fmt::Write as _;

use super::{gap_marker, state_word, threshold_sentence, totals, verdict};
use crate::readiness::{Review, SectionState};
use crate::strings;

pub fn write(review: &Review) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Readiness review: {}", review.chapter.title);
    let _ = writeln!(
        out,
        "Account {} ({}), {}",
        review.account, review.source, review.time
    );
    let _ = writeln!(out, "\n{}.", verdict(review));
    for r in &review.reasons {
        let _ = writeln!(out, "  - {r}");
    }
    let _ = writeln!(out, "{}", threshold_sentence());
    let _ = writeln!(out);
    for (label, value) in totals(review) {
        let _ = writeln!(out, "  {label:<14} {value}");
    }
    for s in &review.sections {
        if s.state == SectionState::NotAssessed {
            continue;
        }
        let _ = writeln!(out, "\n{} ({})", s.title, state_word(s.state));
        for st in &s.strengths {
            let _ = writeln!(out, "  {} {st}", strings::MARK_PASS);
        }
        for g in &s.gaps {
            let _ = writeln!(out, "  {} {}", gap_marker(g), g.what);
            let read: Vec<String> = g
                .read
                .iter()
                .map(|p| format!("{} (#{})", p.title, p.anchor))
                .collect();
            if !read.is_empty() {
                let _ = writeln!(out, "      read: {}", read.join("; "));
            }
            let redo: Vec<String> = g.redo.iter().map(|r| r.id()).collect();
            if !redo.is_empty() {
                let _ = writeln!(out, "      redo: {}", redo.join(", "));
            }
        }
    }
    out
}
