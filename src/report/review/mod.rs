//! Writers of the readiness review ([`crate::readiness::Review`]), one per
//! format: text for the terminal, Markdown to keep or share, HTML as one
//! self-contained printable file, and the stable JSON document
//! (`labbook-review/1`, documented in `assets/schema/review.md`). Each
//! returns a `String`; none reads anything.

use crate::readiness::{Gap, GapKind, Review, SectionState, StepStatus, THRESHOLD};
use crate::strings;

pub mod html;
pub mod json;
pub mod markdown;
pub mod text;

/// The verdict in words.
pub fn verdict(review: &Review) -> &'static str {
    if review.ready {
        "Ready"
    } else {
        "Not ready yet"
    }
}

/// The threshold in one sentence.
pub fn threshold_sentence() -> String {
    format!(
        "Ready means: the latest quiz at least {}% right overall and at least {}% in every section with questions; every required lab step done; every account audit rule passing (a rule that could not be verified counts against it).",
        THRESHOLD.quiz_percent, THRESHOLD.section_percent
    )
}

/// The totals as (label, value) rows.
pub fn totals(review: &Review) -> Vec<(&'static str, String)> {
    let t = &review.totals;
    let quiz = match &t.quiz {
        Some(q) => format!(
            "{}% ({}/{} right, {} on {})",
            q.percent, q.right, q.total, q.mode, q.at
        ),
        None => "not taken yet".to_string(),
    };
    vec![
        ("Quiz", quiz),
        (
            "Lab steps",
            format!("{}/{} required steps done", t.steps_done, t.steps_required),
        ),
        (
            "Account audit",
            format!(
                "{} passed, {} failed, {} could not be verified (of {} rules)",
                t.audit_passed, t.audit_failed, t.audit_unknown, t.audit_rules
            ),
        ),
    ]
}

/// How a section's state reads.
pub fn state_word(state: SectionState) -> &'static str {
    match state {
        SectionState::Strong => "strong",
        SectionState::Gaps => "gaps",
        SectionState::NotAssessed => "not assessed",
    }
}

/// The marker of a gap: blocking ones as failures, the rest as advice.
pub fn gap_marker(gap: &Gap) -> &'static str {
    if gap.blocking {
        match gap.kind {
            GapKind::Audit if gap.what.starts_with(crate::readiness::UNVERIFIED) => {
                strings::MARK_UNKNOWN
            }
            _ => strings::MARK_FAIL,
        }
    } else {
        strings::MARK_ADVICE
    }
}

/// The marker of a lab step in the review.
pub fn step_marker(status: StepStatus, advice: bool) -> &'static str {
    match status {
        StepStatus::Pass => strings::MARK_PASS,
        StepStatus::MarkedDone => strings::MARK_MARKED_DONE,
        StepStatus::Fail if advice => strings::MARK_ADVICE,
        StepStatus::Fail => strings::MARK_FAIL,
        StepStatus::Unknown => strings::MARK_UNKNOWN,
        StepStatus::Manual => strings::MARK_MANUAL,
        StepStatus::NotChecked => strings::MARK_NEVER,
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! The halfway demo learner's review, with a quiz taken.
    use crate::course::Course;
    use crate::labs::Labs;
    use crate::readiness::{self, Inputs, MissedQuestion, QuizSectionScore, QuizSummary, Review};

    pub fn halfway() -> Review {
        let course = Course::embedded();
        let labs = Labs::load(&course);
        let facts = crate::facts::demo::halfway();
        let steps = readiness::steps_from_facts(&labs, &facts, &|_, _| false);
        let findings = crate::audit::audit(&facts);
        let quiz = QuizSummary {
            at: "2026-02-20T17:00:00Z".into(),
            mode: "practice".into(),
            right: 6,
            total: 8,
            percent: 75,
            sections: vec![QuizSectionScore {
                anchor: "aws-cloudtrail".into(),
                count: 8,
                right: 6,
                percent: 75,
            }],
            missed: vec![MissedQuestion {
                id: "trail-bucket-<elsewhere>".into(),
                section: "cloudtrail-best-practices".into(),
                topic: "aws-cloudtrail".into(),
            }],
        };
        let chapter = course
            .chapters
            .iter()
            .find(|c| c.id == "03-identity-access-security")
            .expect("chapter");
        readiness::review(&Inputs {
            chapter,
            labs: &labs,
            steps: &steps,
            findings: &findings,
            quiz: Some(&quiz),
            account: "111111111111",
            source: "snapshot assets/demo/halfway.json",
            time: "2026-02-20T18:00:00Z",
        })
    }
}
