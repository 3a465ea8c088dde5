//! Readiness for a review: the lab steps' state, the account audit and the
//! latest quiz score, brought together per `##` section of the chapter
//! into strengths and gaps. Each gap says what to read (the section
//! anchors that teach it) and which lab steps to redo. One model
//! ([`Review`]) that every writer (`report::review`) and the TUI's review
//! screen show; its JSON is the stable `labbook-review/1` document
//! (documented in `assets/schema/review.md`).
//!
//! Pure: takes the chapter, the labs, step states, audit findings and a
//! quiz summary as data, and never reads files, progress, AWS or the
//! clock (the caller passes the time). Depends on [`crate::course`],
//! [`crate::markdown`] (the chapter's outline), [`crate::labs`],
//! [`crate::checks`] and [`crate::audit`].
//!
//! ## The threshold
//!
//! Ready means all of:
//! - a quiz score exists, at least [`Threshold::QUIZ_PERCENT`] (80%) right
//!   overall, and no `##` section with questions below
//!   [`Threshold::SECTION_PERCENT`] (50%);
//! - every required lab step passes (a manual step: marked done); advice
//!   steps never block;
//! - every audit rule passes; `unknown` blocks too, because a review must
//!   show evidence, and the gap names the permission that was missing.
//!
//! Why 80%: certification exams commonly pass at 70–75% under exam
//! conditions; this quiz can be retaken with explanations at hand, so the
//! bar sits higher. Why a 50% floor per section: a strong overall score
//! must not hide a topic the learner has not understood, the way a score
//! report's domain breakdown shows it.

use serde::Serialize;

use crate::audit::Finding;
use crate::checks::{Evidence, Status};
use crate::course::Chapter;
use crate::labs::Labs;

/// How an audit gap that could not be verified begins.
pub const UNVERIFIED: &str = "Account, could not verify:";

/// The JSON document's schema id; bumped only with an incompatible change.
pub const SCHEMA: &str = "labbook-review/1";

/// What "ready" means; see the module documentation for why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Threshold {
    /// Least overall quiz score, percent.
    pub quiz_percent: u32,
    /// Least quiz score of any `##` section with questions, percent.
    pub section_percent: u32,
    /// Required lab steps must all be done.
    pub all_required_steps: bool,
    /// Audit rules must all pass (`unknown` included).
    pub all_audit_rules: bool,
}

impl Threshold {
    pub const QUIZ_PERCENT: u32 = 80;
    pub const SECTION_PERCENT: u32 = 50;
}

pub const THRESHOLD: Threshold = Threshold {
    quiz_percent: Threshold::QUIZ_PERCENT,
    section_percent: Threshold::SECTION_PERCENT,
    all_required_steps: true,
    all_audit_rules: true,
};

// ---------------------------------------------------------------- inputs

/// What a lab step shows, as the review sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    Pass,
    Fail,
    Unknown,
    /// A manual step not marked done.
    Manual,
    /// A manual step the learner marked done.
    MarkedDone,
    NotChecked,
}

impl StepStatus {
    pub fn of(status: Option<Status>, marked_done: bool) -> StepStatus {
        match status {
            Some(Status::Manual) | None if marked_done => StepStatus::MarkedDone,
            Some(Status::Pass) => StepStatus::Pass,
            Some(Status::Fail) => StepStatus::Fail,
            Some(Status::Unknown) => StepStatus::Unknown,
            Some(Status::Manual) => StepStatus::Manual,
            None => StepStatus::NotChecked,
        }
    }

    pub fn is_done(self) -> bool {
        matches!(self, StepStatus::Pass | StepStatus::MarkedDone)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Pass => "pass",
            StepStatus::Fail => "fail",
            StepStatus::Unknown => "unknown",
            StepStatus::Manual => "manual",
            StepStatus::MarkedDone => "marked-done",
            StepStatus::NotChecked => "not-checked",
        }
    }
}

/// One lab step's state (from a run, or from progress).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepState {
    pub lab: String,
    pub step: String,
    pub status: StepStatus,
    pub message: String,
}

/// The latest quiz score, as the review needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QuizSummary {
    /// RFC 3339.
    pub at: String,
    /// `answers`, `practice` or `exam`.
    pub mode: String,
    pub right: usize,
    pub total: usize,
    pub percent: u32,
    #[serde(skip)]
    pub sections: Vec<QuizSectionScore>,
    #[serde(skip)]
    pub missed: Vec<MissedQuestion>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QuizSectionScore {
    pub anchor: String,
    pub count: usize,
    pub right: usize,
    pub percent: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MissedQuestion {
    pub id: String,
    pub section: String,
    pub topic: String,
}

/// Everything a review is made of.
pub struct Inputs<'a> {
    pub chapter: &'a Chapter,
    pub labs: &'a Labs,
    pub steps: &'a [StepState],
    pub findings: &'a [Finding],
    pub quiz: Option<&'a QuizSummary>,
    pub account: &'a str,
    /// Where the lab and audit facts came from ("live, read-only", "snapshot FILE").
    pub source: &'a str,
    /// RFC 3339: when the review was made.
    pub time: &'a str,
}

// ---------------------------------------------------------------- the model

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    /// [`SCHEMA`].
    pub schema: &'static str,
    pub chapter: Place,
    pub account: String,
    pub source: String,
    pub time: String,
    pub threshold: Threshold,
    pub ready: bool,
    /// Why it is not ready, one sentence each; empty when ready.
    pub reasons: Vec<String>,
    pub totals: Totals,
    /// Every `##` section of the chapter, in chapter order.
    pub sections: Vec<SectionReview>,
}

/// A chapter heading: its anchor and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    pub anchor: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Required steps done (passed, or marked done when manual).
    pub steps_done: usize,
    pub steps_required: usize,
    pub audit_passed: usize,
    pub audit_failed: usize,
    pub audit_unknown: usize,
    pub audit_rules: usize,
    /// `null` when no quiz was taken.
    pub quiz: Option<QuizSummary>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionState {
    /// Assessed, and no gap.
    Strong,
    /// At least one gap.
    Gaps,
    /// No question, lab step or audit rule belongs to it.
    NotAssessed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionReview {
    pub anchor: String,
    pub title: String,
    pub state: SectionState,
    /// The section's quiz score; `null` without a quiz or questions here.
    pub quiz: Option<QuizSectionScore>,
    pub steps: Vec<StepLine>,
    pub audit: Vec<AuditLine>,
    pub strengths: Vec<String>,
    pub gaps: Vec<Gap>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepLine {
    pub lab: String,
    pub step: String,
    pub title: String,
    pub status: StepStatus,
    pub advice: bool,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditLine {
    pub rule: String,
    pub title: String,
    pub status: Status,
    pub message: String,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GapKind {
    Quiz,
    LabStep,
    Audit,
}

/// Something to work on: what is wrong, what to read, what to redo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub kind: GapKind,
    /// Whether it keeps the review from being ready.
    pub blocking: bool,
    pub what: String,
    /// The chapter sections that teach it.
    pub read: Vec<Place>,
    /// The lab steps to do again.
    pub redo: Vec<StepRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepRef {
    pub lab: String,
    pub step: String,
    pub title: String,
}

impl StepRef {
    /// `lab/step`.
    pub fn id(&self) -> String {
        format!("{}/{}", self.lab, self.step)
    }
}

impl Review {
    /// Every gap with its section, in chapter order, blocking ones first
    /// within a section (the order the review screen lists them).
    pub fn gaps(&self) -> Vec<(&SectionReview, &Gap)> {
        let mut out = Vec::new();
        for s in &self.sections {
            let mut gaps: Vec<&Gap> = s.gaps.iter().collect();
            gaps.sort_by_key(|g| !g.blocking);
            out.extend(gaps.into_iter().map(|g| (s, g)));
        }
        out
    }
}

// ---------------------------------------------------------------- building

/// The chapter's headings: level, anchor, title.
struct Outline(Vec<(u8, String, String)>);

impl Outline {
    fn new(chapter: &Chapter) -> Outline {
        Outline(
            crate::markdown::render(&chapter.source.text, 80)
                .toc
                .into_iter()
                .map(|t| (t.level, t.anchor, t.title))
                .collect(),
        )
    }

    /// The `##` section containing `anchor`.
    fn topic(&self, anchor: &str) -> Option<&str> {
        let at = self.0.iter().position(|(_, a, _)| a == anchor)?;
        self.0[..=at]
            .iter()
            .rev()
            .find(|(level, _, _)| *level == 2)
            .map(|(_, a, _)| a.as_str())
    }

    fn place(&self, anchor: &str) -> Place {
        Place {
            anchor: anchor.to_string(),
            title: self
                .0
                .iter()
                .find(|(_, a, _)| a == anchor)
                .map(|(_, _, t)| t.clone())
                .unwrap_or_else(|| anchor.to_string()),
        }
    }

    fn topics(&self) -> impl Iterator<Item = Place> + '_ {
        self.0
            .iter()
            .filter(|(level, _, _)| *level == 2)
            .map(|(_, a, t)| Place {
                anchor: a.clone(),
                title: t.clone(),
            })
    }
}

fn step_ref(labs: &Labs, id: &str) -> StepRef {
    let (lab, step) = id.split_once('/').unwrap_or((id, ""));
    let title = labs
        .labs()
        .find(|l| l.id == lab)
        .and_then(|l| l.steps.iter().find(|s| s.id == step))
        .map(|s| s.title.clone())
        .unwrap_or_default();
    StepRef {
        lab: lab.to_string(),
        step: step.to_string(),
        title,
    }
}

/// Builds the review.
pub fn review(inputs: &Inputs) -> Review {
    let outline = Outline::new(inputs.chapter);
    let mut sections: Vec<SectionReview> = outline
        .topics()
        .map(|p| SectionReview {
            anchor: p.anchor,
            title: p.title,
            state: SectionState::NotAssessed,
            quiz: None,
            steps: Vec::new(),
            audit: Vec::new(),
            strengths: Vec::new(),
            gaps: Vec::new(),
        })
        .collect();
    let mut reasons = Vec::new();

    // The quiz.
    if let Some(quiz) = inputs.quiz {
        for s in &mut sections {
            let Some(score) = quiz.sections.iter().find(|q| q.anchor == s.anchor) else {
                continue;
            };
            s.quiz = Some(score.clone());
            let missed: Vec<&MissedQuestion> =
                quiz.missed.iter().filter(|m| m.topic == s.anchor).collect();
            if missed.is_empty() {
                s.strengths.push(format!(
                    "Quiz: {}/{} right ({}%).",
                    score.right, score.count, score.percent
                ));
                continue;
            }
            let mut read: Vec<Place> = Vec::new();
            for m in &missed {
                if !read.iter().any(|p| p.anchor == m.section) {
                    read.push(outline.place(&m.section));
                }
            }
            let ids: Vec<&str> = missed.iter().map(|m| m.id.as_str()).collect();
            s.gaps.push(Gap {
                kind: GapKind::Quiz,
                blocking: score.percent < THRESHOLD.section_percent,
                what: format!(
                    "Quiz: {}/{} right ({}%); missed {}.",
                    score.right,
                    score.count,
                    score.percent,
                    ids.join(", ")
                ),
                read,
                redo: Vec::new(),
            });
            if score.percent < THRESHOLD.section_percent {
                reasons.push(format!(
                    "The quiz score in \"{}\" is {}%, below the {}% every section needs.",
                    s.title, score.percent, THRESHOLD.section_percent
                ));
            }
        }
        if quiz.percent < THRESHOLD.quiz_percent {
            reasons.insert(
                0,
                format!(
                    "The latest quiz score is {}% ({}/{}), below the {}% needed.",
                    quiz.percent, quiz.right, quiz.total, THRESHOLD.quiz_percent
                ),
            );
        }
    } else {
        reasons.push(
            "No quiz score yet: take the quiz in the TUI or score an answer file with `labbook quiz --answers FILE`."
                .to_string(),
        );
    }

    // The lab steps of this chapter, by the section each teaches in.
    let mut steps_done = 0;
    let mut steps_required = 0;
    let mut open_steps = 0;
    for lab in inputs.labs.labs() {
        let mut lab_sections: Vec<(usize, usize, usize)> = Vec::new(); // (section, done, required)
        for step in &lab.steps {
            let Some(topic) = outline.topic(&step.section) else {
                continue;
            };
            let Some(si) = sections.iter().position(|s| s.anchor == topic) else {
                continue;
            };
            let state = inputs
                .steps
                .iter()
                .find(|s| s.lab == lab.id && s.step == step.id);
            let status = state.map_or(StepStatus::NotChecked, |s| s.status);
            let message = state.map(|s| s.message.clone()).unwrap_or_default();
            let s = &mut sections[si];
            s.steps.push(StepLine {
                lab: lab.id.clone(),
                step: step.id.clone(),
                title: step.title.clone(),
                status,
                advice: step.advice,
                message: message.clone(),
            });
            let entry = match lab_sections.iter_mut().find(|(i, _, _)| *i == si) {
                Some(e) => e,
                None => {
                    lab_sections.push((si, 0, 0));
                    lab_sections.last_mut().expect("just pushed")
                }
            };
            if !step.advice {
                steps_required += 1;
                entry.2 += 1;
                if status.is_done() {
                    steps_done += 1;
                    entry.1 += 1;
                }
            }
            if status.is_done() {
                continue;
            }
            let blocking = !step.advice;
            if blocking {
                open_steps += 1;
            }
            let why = match status {
                StepStatus::NotChecked => "is not checked yet".to_string(),
                StepStatus::Manual => "is not marked done".to_string(),
                StepStatus::Unknown => format!("could not be verified: {message}"),
                _ => format!("fails: {message}"),
            };
            let kind = if step.advice {
                "Advice step"
            } else {
                "Lab step"
            };
            s.gaps.push(Gap {
                kind: GapKind::LabStep,
                blocking,
                what: format!("{kind} {}/{} ({}) {why}", lab.id, step.id, step.title)
                    .trim_end_matches([' ', ':'])
                    .to_string(),
                read: vec![outline.place(&step.section)],
                redo: vec![StepRef {
                    lab: lab.id.clone(),
                    step: step.id.clone(),
                    title: step.title.clone(),
                }],
            });
        }
        for (si, done, required) in lab_sections {
            if required > 0 && done == required {
                sections[si].strengths.push(format!(
                    "Lab {} ({}): all {required} required step(s) done.",
                    lab.id, lab.title
                ));
            }
        }
    }
    if open_steps > 0 {
        reasons.push(format!(
            "{open_steps} required lab step(s) of {steps_required} are not done."
        ));
    }

    // The audit.
    let (mut passed, mut failed, mut unknown) = (0, 0, 0);
    for f in inputs.findings {
        let topic = outline.topic(f.rule.section);
        let Some(s) = sections
            .iter_mut()
            .find(|s| Some(s.anchor.as_str()) == topic)
        else {
            continue;
        };
        s.audit.push(AuditLine {
            rule: f.rule.id.to_string(),
            title: f.rule.title.to_string(),
            status: f.outcome.status,
            message: f.outcome.message.clone(),
            evidence: f.outcome.evidence.clone(),
        });
        match f.outcome.status {
            Status::Pass => {
                passed += 1;
                s.strengths.push(format!("Account: {}.", f.rule.title));
                continue;
            }
            Status::Unknown => unknown += 1,
            _ => failed += 1,
        }
        let what = match f.outcome.status {
            Status::Unknown => format!("{UNVERIFIED} {}", f.outcome.message),
            _ => format!("Account: {}", f.outcome.message),
        };
        let redo: Vec<StepRef> = f
            .rule
            .fixes
            .iter()
            .map(|id| step_ref(inputs.labs, id))
            .collect();
        let what = if redo.is_empty() {
            format!("{what} {}", f.rule.remedy)
        } else {
            what
        };
        s.gaps.push(Gap {
            kind: GapKind::Audit,
            blocking: true,
            what,
            read: vec![outline.place(f.rule.section)],
            redo,
        });
    }
    if failed > 0 {
        reasons.push(format!(
            "{failed} of {} account audit rule(s) fail.",
            inputs.findings.len()
        ));
    }
    if unknown > 0 {
        reasons.push(format!(
            "{unknown} account audit rule(s) could not be verified; a review needs the evidence."
        ));
    }

    for s in &mut sections {
        s.state = if !s.gaps.is_empty() {
            SectionState::Gaps
        } else if s.quiz.is_some() || !s.steps.is_empty() || !s.audit.is_empty() {
            SectionState::Strong
        } else {
            SectionState::NotAssessed
        };
    }

    Review {
        schema: SCHEMA,
        chapter: Place {
            anchor: inputs.chapter.id.clone(),
            title: inputs.chapter.title.clone(),
        },
        account: inputs.account.to_string(),
        source: inputs.source.to_string(),
        time: inputs.time.to_string(),
        threshold: THRESHOLD,
        ready: reasons.is_empty(),
        reasons,
        totals: Totals {
            steps_done,
            steps_required,
            audit_passed: passed,
            audit_failed: failed,
            audit_unknown: unknown,
            audit_rules: inputs.findings.len(),
            quiz: inputs.quiz.cloned(),
        },
        sections,
    }
}

/// Every lab step judged over `facts` (the same `Check::run` every run
/// uses); a manual step is done when `marked_done(lab, step)` says so.
pub fn steps_from_facts(
    labs: &Labs,
    facts: &crate::facts::Facts,
    marked_done: &dyn Fn(&str, &str) -> bool,
) -> Vec<StepState> {
    labs.labs()
        .flat_map(|l| {
            l.steps.iter().map(move |s| {
                let outcome = match &s.action {
                    crate::labs::Action::Check { check, params } => check.run(facts, params),
                    crate::labs::Action::Manual => crate::checks::Outcome::manual(),
                };
                StepState {
                    lab: l.id.clone(),
                    step: s.id.clone(),
                    status: StepStatus::of(Some(outcome.status), marked_done(&l.id, &s.id)),
                    message: outcome.message,
                }
            })
        })
        .collect()
}

/// The chapter a review is about: the one with a quiz, else the one that
/// teaches the first lab step.
pub fn chapter_to_review<'c>(
    course: &'c crate::course::Course,
    quizzes: &crate::quiz::Quizzes,
    labs: &Labs,
) -> Option<&'c Chapter> {
    let by_quiz = quizzes
        .quizzes
        .iter()
        .find_map(|q| course.chapters.iter().find(|c| c.id == q.chapter));
    by_quiz.or_else(|| {
        let section = labs
            .labs()
            .flat_map(|l| l.steps.first())
            .next()?
            .section
            .clone();
        course
            .chapters
            .iter()
            .find(|c| crate::markdown::heading_anchors(&c.source.text).contains(&section))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::Course;

    pub(crate) fn chapter(course: &Course) -> &Chapter {
        course
            .chapters
            .iter()
            .find(|c| c.id == "03-identity-access-security")
            .expect("chapter 3")
    }

    /// Every step of every lab in the given state.
    fn all_steps(labs: &Labs, status: StepStatus) -> Vec<StepState> {
        labs.labs()
            .flat_map(|l| {
                l.steps.iter().map(move |s| StepState {
                    lab: l.id.clone(),
                    step: s.id.clone(),
                    status,
                    message: String::new(),
                })
            })
            .collect()
    }

    fn perfect_quiz() -> QuizSummary {
        QuizSummary {
            at: "2026-03-02T09:00:00Z".into(),
            mode: "answers".into(),
            right: 10,
            total: 10,
            percent: 100,
            sections: vec![QuizSectionScore {
                anchor: "aws-cloudtrail".into(),
                count: 10,
                right: 10,
                percent: 100,
            }],
            missed: vec![],
        }
    }

    fn build(
        steps: &[StepState],
        quiz: Option<&QuizSummary>,
        facts: &crate::facts::Facts,
    ) -> Review {
        let course = Course::embedded();
        let labs = Labs::load(&course);
        let findings = crate::audit::audit(facts);
        review(&Inputs {
            chapter: chapter(&course),
            labs: &labs,
            steps,
            findings: &findings,
            quiz,
            account: "111111111111",
            source: "test",
            time: "2026-03-02T12:00:00Z",
        })
    }

    #[test]
    fn everything_done_and_a_good_quiz_is_ready() {
        let labs = Labs::load(&Course::embedded());
        let steps = all_steps(&labs, StepStatus::Pass);
        let r = build(
            &steps,
            Some(&perfect_quiz()),
            &crate::facts::demo::finished(),
        );
        assert!(r.ready, "{:#?}", r.reasons);
        assert!(r.reasons.is_empty());
        assert_eq!(r.totals.steps_done, r.totals.steps_required);
        let trail = r
            .sections
            .iter()
            .find(|s| s.anchor == "aws-cloudtrail")
            .expect("section");
        assert_eq!(trail.state, SectionState::Strong);
        assert!(trail.strengths.iter().any(|s| s.starts_with("Quiz: 10/10")));
    }

    #[test]
    fn no_quiz_is_not_ready_and_says_how_to_take_it() {
        let labs = Labs::load(&Course::embedded());
        let steps = all_steps(&labs, StepStatus::Pass);
        let r = build(&steps, None, &crate::facts::demo::finished());
        assert!(!r.ready);
        assert!(
            r.reasons
                .iter()
                .any(|x| x.contains("labbook quiz --answers")),
            "{:?}",
            r.reasons
        );
    }

    #[test]
    fn a_weak_section_blocks_even_with_a_good_overall_score() {
        let labs = Labs::load(&Course::embedded());
        let steps = all_steps(&labs, StepStatus::Pass);
        let mut quiz = perfect_quiz();
        quiz.right = 9;
        quiz.percent = 90;
        quiz.sections.push(QuizSectionScore {
            anchor: "macie".into(),
            count: 2,
            right: 0,
            percent: 0,
        });
        quiz.missed.push(MissedQuestion {
            id: "macie-q".into(),
            section: "macie-best-practices".into(),
            topic: "macie".into(),
        });
        let r = build(&steps, Some(&quiz), &crate::facts::demo::finished());
        assert!(!r.ready);
        let macie = r
            .sections
            .iter()
            .find(|s| s.anchor == "macie")
            .expect("macie");
        let gap = &macie.gaps[0];
        assert!(gap.blocking && gap.kind == GapKind::Quiz);
        assert_eq!(gap.read[0].anchor, "macie-best-practices");
        assert!(r.reasons.iter().any(|x| x.contains("below the 50%")));
    }

    #[test]
    fn a_failing_step_is_a_gap_with_the_section_and_the_step_to_redo() {
        let labs = Labs::load(&Course::embedded());
        let mut steps = all_steps(&labs, StepStatus::Pass);
        let s = steps
            .iter_mut()
            .find(|s| s.lab == "org-trail" && s.step == "logging")
            .expect("step");
        s.status = StepStatus::Fail;
        s.message = "Trail is not logging.".into();
        let r = build(
            &steps,
            Some(&perfect_quiz()),
            &crate::facts::demo::finished(),
        );
        assert!(!r.ready);
        let (section, gap) = r
            .gaps()
            .into_iter()
            .find(|(_, g)| g.kind == GapKind::LabStep)
            .expect("a step gap");
        assert_eq!(section.anchor, "aws-cloudtrail");
        assert_eq!(gap.redo[0].id(), "org-trail/logging");
        assert_eq!(gap.read[0].anchor, "lab-org-trail");
        assert!(
            gap.what.contains("fails: Trail is not logging."),
            "{}",
            gap.what
        );
    }

    #[test]
    fn an_advice_step_never_blocks() {
        let course = Course::embedded();
        let labs = Labs::load(&course);
        let mut steps = all_steps(&labs, StepStatus::Pass);
        let advice: Vec<(String, String)> = labs
            .labs()
            .flat_map(|l| {
                l.steps
                    .iter()
                    .filter(|s| s.advice)
                    .map(|s| (l.id.clone(), s.id.clone()))
            })
            .collect();
        assert!(!advice.is_empty(), "the course has advice steps");
        for s in &mut steps {
            if advice.contains(&(s.lab.clone(), s.step.clone())) {
                s.status = StepStatus::Fail;
            }
        }
        let r = build(
            &steps,
            Some(&perfect_quiz()),
            &crate::facts::demo::finished(),
        );
        assert!(r.ready, "{:?}", r.reasons);
        assert!(r.gaps().iter().any(|(_, g)| !g.blocking));
    }

    #[test]
    fn audit_gaps_name_the_section_and_the_lab_steps_that_fix_them() {
        let labs = Labs::load(&Course::embedded());
        let steps = all_steps(&labs, StepStatus::Pass);
        let r = build(
            &steps,
            Some(&perfect_quiz()),
            &crate::facts::demo::halfway(),
        );
        assert!(!r.ready);
        let gaps = r.gaps();
        let root = gaps
            .iter()
            .find(|(_, g)| {
                g.kind == GapKind::Audit && g.read[0].anchor == "protecting-the-root-user"
            })
            .expect("root gap");
        let redo: Vec<String> = root.1.redo.iter().map(StepRef::id).collect();
        assert_eq!(redo, ["root-user/mfa", "root-user/no-access-keys"]);
        let keys = gaps
            .iter()
            .find(|(_, g)| g.what.contains("ci-deployer"))
            .expect("old key gap");
        assert!(keys.1.redo.is_empty());
        assert!(
            keys.1.what.contains("Replace long-lived keys"),
            "{}",
            keys.1.what
        );
    }

    #[test]
    fn every_section_of_the_chapter_is_listed_in_order() {
        let r = build(&[], None, &crate::facts::demo::halfway());
        let course = Course::embedded();
        let want: Vec<String> = Outline::new(chapter(&course))
            .topics()
            .map(|p| p.anchor)
            .collect();
        let got: Vec<String> = r.sections.iter().map(|s| s.anchor.clone()).collect();
        assert_eq!(got, want);
        assert!(
            r.sections
                .iter()
                .any(|s| s.state == SectionState::NotAssessed)
        );
    }
}
