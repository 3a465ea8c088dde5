//! A scored answer file for people: the total, the score per chapter
//! section, and each question missed with what was chosen and the section
//! to read again. `--format json` is the [`Score`] itself.

use std::fmt::Write as _;

use crate::quiz::{Listing, Outcome, Quiz, Score};
use crate::strings;

/// One row per chapter section, titles padded to one width:
/// `  title  right/count percent%` (the text report and the quiz screen).
pub fn section_rows(score: &Score) -> Vec<String> {
    let width = score
        .sections
        .iter()
        .map(|s| s.title.chars().count())
        .max()
        .unwrap_or(0);
    score
        .sections
        .iter()
        .map(|s| {
            format!(
                "  {:width$}  {:>2}/{:<2} {:>3}%",
                s.title, s.right, s.count, s.percent
            )
        })
        .collect()
}

/// The score as text.
pub fn text(quiz: &Quiz, score: &Score) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} (chapter {})", quiz.title, quiz.chapter);
    let _ = writeln!(
        out,
        "Score: {}/{} right ({}%), {} partially right, {} unanswered",
        score.right, score.total, score.percent, score.partial, score.unanswered
    );
    let _ = writeln!(out, "\nBy section:");
    for row in section_rows(score) {
        let _ = writeln!(out, "{row}");
    }
    let missed: Vec<_> = score.missed().collect();
    if missed.is_empty() {
        let _ = writeln!(out, "\nEvery question right.");
        return out;
    }
    let _ = writeln!(out, "\nTo review ({}):", missed.len());
    for r in missed {
        let (mark, how) = match &r.outcome {
            Outcome::Right => continue,
            Outcome::Wrong => (
                strings::MARK_FAIL,
                format!(
                    "wrong: chose {}, the answer is {}",
                    r.chosen.join(", "),
                    r.answer.join(", ")
                ),
            ),
            Outcome::Partial {
                chosen_wrong,
                missed,
                ..
            } => {
                let mut parts = Vec::new();
                if !missed.is_empty() {
                    parts.push(format!("missed {}", missed.join(", ")));
                }
                if !chosen_wrong.is_empty() {
                    parts.push(format!("{} not right", chosen_wrong.join(", ")));
                }
                (
                    strings::MARK_ADVICE,
                    format!(
                        "partially right ({}), counts as wrong; the answer is {}",
                        parts.join("; "),
                        r.answer.join(", ")
                    ),
                )
            }
            Outcome::Unanswered => (strings::MARK_NEVER, "unanswered".to_string()),
        };
        let _ = writeln!(out, "  {mark} {}: {how}", r.id);
        let _ = writeln!(out, "      read: #{}", r.section);
    }
    out
}

/// The bank without answers, for people.
pub fn listing_text(listing: &Listing) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} (chapter {}), {} questions",
        listing.title,
        listing.chapter,
        listing.questions.len()
    );
    for q in &listing.questions {
        let kind = serde_json::to_value(q.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(out, "\n{} [{kind}] #{}", q.id, q.section);
        let _ = writeln!(out, "  {}", q.prompt.trim());
        for o in &q.options {
            let _ = writeln!(out, "    {}: {}", o.id, o.text);
        }
    }
    out
}
