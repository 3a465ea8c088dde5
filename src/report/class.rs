//! The report of a class run: per learner the very [`StepReport`]s of
//! `labbook check --format json`, and what changed since the last run. The
//! JSON writer and the text table for people live here; CSV, JUnit,
//! Markdown and HTML are writers beside the single-account ones.

use std::fmt::Write as _;

use serde::Serialize;

use super::{StepReport, marker};
use crate::checks::Status;
use crate::class::ClassRun;
use crate::history::Diff;

/// A class run as reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassReport {
    pub class: String,
    /// RFC 3339 UTC: when the run started.
    pub time: String,
    /// Stopped before every learner was read.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    pub learners: Vec<LearnerReport>,
    /// What changed since the previous complete run, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<Changes>,
}

/// One learner's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LearnerReport {
    pub name: String,
    pub account: String,
    /// Why the learner's account could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub results: Vec<StepReport>,
}

/// What changed between the last two complete runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changes {
    /// The earlier run's time.
    pub since: String,
    pub steps: Vec<ChangeReport>,
    /// Learners failing the same step for several runs.
    pub stuck: Vec<Stuck>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeReport {
    pub learner: String,
    /// `lab/step`.
    pub step: String,
    /// `newly passing`, `newly failing`, `changed`, `added`, `removed`.
    pub change: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Status>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stuck {
    pub learner: String,
    pub step: String,
    pub runs: usize,
}

/// A learner's counts: required checked steps only (advice and manual
/// steps do not count towards progress).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub passed: usize,
    pub failed: usize,
    pub unknown: usize,
    pub required: usize,
}

impl ClassReport {
    /// The report of `run`, with the changes of `diff` when it compares two runs.
    pub fn new(run: &ClassRun, diff: Option<&Diff>) -> ClassReport {
        let learners = run
            .learners
            .iter()
            .map(|l| LearnerReport {
                name: l.name.clone(),
                account: l.account.clone(),
                error: l.error.clone(),
                results: l
                    .results
                    .iter()
                    .map(|r| StepReport::new(&r.lab, &r.step, r.outcome.clone(), r.advice))
                    .collect(),
            })
            .collect();
        let changes = diff.and_then(|d| {
            let from = d.from.as_ref()?;
            Some(Changes {
                since: from.time.clone(),
                steps: d
                    .changes
                    .iter()
                    .map(|c| ChangeReport {
                        learner: c.learner.clone(),
                        step: c.step.clone(),
                        change: c.change.as_str(),
                        before: c.before,
                        after: c.after,
                    })
                    .collect(),
                stuck: d
                    .stuck
                    .iter()
                    .map(|(learner, step)| Stuck {
                        learner: learner.clone(),
                        step: step.clone(),
                        runs: crate::history::STUCK_RUNS,
                    })
                    .collect(),
            })
        });
        ClassReport {
            class: run.class.clone(),
            time: run.time.clone(),
            partial: run.partial,
            learners,
            changes,
        }
    }

    /// Every step of the run (`lab`, `step`, advice), in the order they first appear.
    pub fn steps(&self) -> Vec<(&str, &str, bool)> {
        let mut out: Vec<(&str, &str, bool)> = Vec::new();
        for l in &self.learners {
            for r in &l.results {
                if !out.iter().any(|(a, b, _)| *a == r.lab && *b == r.step) {
                    out.push((&r.lab, &r.step, r.advice));
                }
            }
        }
        out
    }

    /// Learners whose required step `lab/step` passed, and learners read.
    pub fn step_total(&self, lab: &str, step: &str) -> (usize, usize) {
        let mut passed = 0;
        let mut read = 0;
        for l in self.learners.iter().filter(|l| l.error.is_none()) {
            if let Some(r) = l.results.iter().find(|r| r.lab == lab && r.step == step) {
                read += 1;
                if r.outcome == Status::Pass {
                    passed += 1;
                }
            }
        }
        (passed, read)
    }

    /// A learner could not be read (the exit status 1).
    pub fn any_error(&self) -> bool {
        self.learners.iter().any(|l| l.error.is_some())
    }
}

impl LearnerReport {
    pub fn progress(&self) -> Progress {
        let mut p = Progress::default();
        for r in self
            .results
            .iter()
            .filter(|r| !r.advice && r.outcome != Status::Manual)
        {
            p.required += 1;
            match r.outcome {
                Status::Pass => p.passed += 1,
                Status::Fail => p.failed += 1,
                _ => p.unknown += 1,
            }
        }
        p
    }

    /// The first failing required step, `lab/step`.
    pub fn first_failing(&self) -> Option<String> {
        self.results
            .iter()
            .find(|r| r.failed())
            .map(|r| format!("{}/{}", r.lab, r.step))
    }

    /// The result of `lab/step`.
    pub fn result(&self, lab: &str, step: &str) -> Option<&StepReport> {
        self.results.iter().find(|r| r.lab == lab && r.step == step)
    }
}

/// `--format json`: `{"class", "time", "learners": [{"name", "account",
/// "error"?, "results": [...]}], "changes"?}`.
pub fn json(report: &ClassReport) -> Result<String, serde_json::Error> {
    Ok(format!("{}\n", serde_json::to_string_pretty(report)?))
}

/// The text table for people: one line per learner, then the steps that
/// are not yet passed by everyone, then the changes.
pub fn text(report: &ClassReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Class {} — {} learners, {}{}",
        report.class,
        report.learners.len(),
        report.time,
        if report.partial {
            " (partial: stopped early)"
        } else {
            ""
        }
    );
    let name_w = report
        .learners
        .iter()
        .map(|l| l.name.chars().count())
        .max()
        .unwrap_or(0)
        .max("learner".len());
    let _ = writeln!(
        out,
        "\n{:name_w$}  {:12}  {:>8}  {:>4}  {:>7}  first failing step",
        "learner", "account", "progress", "fail", "unknown"
    );
    for l in &report.learners {
        let p = l.progress();
        match &l.error {
            Some(e) => {
                let _ = writeln!(
                    out,
                    "{:name_w$}  {:12}  {:>8}  {:>4}  {:>7}  {} {e}",
                    l.name,
                    l.account,
                    "-",
                    "-",
                    "-",
                    crate::strings::MARK_UNKNOWN
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "{:name_w$}  {:12}  {:>8}  {:>4}  {:>7}  {}",
                    l.name,
                    l.account,
                    format!("{}/{}", p.passed, p.required),
                    p.failed,
                    p.unknown,
                    l.first_failing().unwrap_or_else(|| "—".to_string())
                );
            }
        }
    }
    let open: Vec<String> = report
        .steps()
        .into_iter()
        .filter(|(_, _, advice)| !advice)
        .filter_map(|(lab, step, _)| {
            let (passed, read) = report.step_total(lab, step);
            let manual = report
                .learners
                .iter()
                .filter_map(|l| l.result(lab, step))
                .all(|r| r.outcome == Status::Manual);
            (passed < read && !manual).then(|| format!("  {lab}/{step}: {passed}/{read} passed"))
        })
        .collect();
    if !open.is_empty() {
        let _ = writeln!(out, "\nSteps not yet passed by every learner read:");
        for line in open {
            let _ = writeln!(out, "{line}");
        }
    }
    changes_text(report, &mut out);
    let read = report.learners.iter().filter(|l| l.error.is_none()).count();
    let _ = writeln!(
        out,
        "\n{read} of {} learners read{}",
        report.learners.len(),
        if read < report.learners.len() {
            "; the others are unknown with the reason above"
        } else {
            ""
        }
    );
    out
}

fn changes_text(report: &ClassReport, out: &mut String) {
    let Some(c) = &report.changes else {
        return;
    };
    let _ = writeln!(out, "\nChanges since {}:", c.since);
    if c.steps.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for s in &c.steps {
        let mark = match s.after {
            Some(a) => marker(crate::progress::Shown::Status(a), false),
            None => " ",
        };
        let _ = writeln!(out, "  {mark} {}: {} {}", s.learner, s.step, s.change);
    }
    for s in &c.stuck {
        let _ = writeln!(
            out,
            "  stuck: {} on {} for {} runs",
            s.learner, s.step, s.runs
        );
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::checks::{Evidence, Outcome};
    use crate::class::{LearnerResult, StepResult};

    pub fn sample() -> ClassReport {
        let step = |lab: &str, step: &str, status: Status, advice: bool| StepResult {
            lab: lab.into(),
            step: step.into(),
            advice,
            outcome: Outcome {
                status,
                message: format!("{lab}/{step}: {} <&> \"quoted\", comma", status.as_str()),
                evidence: vec![Evidence {
                    key: "pool".into(),
                    value: "learners|a".into(),
                }],
            },
        };
        // Every learner has the same four steps: org/exists,
        // scp-regions/attached, the manual root-user/email-alias and the
        // advice org-trail/insights, with these outcomes of the three checked.
        let learner = |name: &str,
                       account: &str,
                       error: Option<&str>,
                       [org, scp, insights]: [Status; 3]| LearnerResult {
            name: name.into(),
            account: account.into(),
            error: error.map(String::from),
            results: vec![
                step("org", "exists", org, false),
                step("scp-regions", "attached", scp, false),
                step("root-user", "email-alias", Status::Manual, false),
                step("org-trail", "insights", insights, true),
            ],
        };
        use Status::{Fail, Pass, Unknown};
        let run = ClassRun {
            class: "aws-course".into(),
            time: "2026-12-01T10:00:00Z".into(),
            partial: false,
            learners: vec![
                learner("ada", "111122223333", None, [Pass, Fail, Fail]),
                learner("grace", "444455556666", None, [Pass, Pass, Pass]),
                learner(
                    "bob",
                    "777788889999",
                    Some(
                        "could not assume arn:aws:iam::777788889999:role/LabbookInstructor: access denied",
                    ),
                    [Unknown, Unknown, Unknown],
                ),
            ],
        };
        ClassReport::new(&run, None)
    }

    #[test]
    fn progress_counts_required_checked_steps_and_totals_skip_unread_learners() {
        let r = sample();
        assert_eq!(
            r.learners[0].progress(),
            Progress {
                passed: 1,
                failed: 1,
                unknown: 0,
                required: 2
            }
        );
        assert_eq!(r.step_total("scp-regions", "attached"), (1, 2));
        assert_eq!(
            r.learners[0].first_failing().as_deref(),
            Some("scp-regions/attached")
        );
    }

    #[test]
    fn json_has_the_issue_shape_with_check_results_inside() {
        let v: serde_json::Value =
            serde_json::from_str(&json(&sample()).expect("json")).expect("parse");
        assert_eq!(v["class"], "aws-course");
        assert!(v.get("changes").is_none() && v.get("partial").is_none());
        let ada = &v["learners"][0];
        assert!(ada.get("error").is_none());
        assert_eq!(
            ada["results"][1],
            serde_json::json!({"lab": "scp-regions", "step": "attached", "outcome": "fail",
                "message": "scp-regions/attached: fail <&> \"quoted\", comma",
                "evidence": [{"key": "pool", "value": "learners|a"}], "advice": false})
        );
        assert!(
            v["learners"][2]["error"]
                .as_str()
                .expect("error")
                .contains("could not assume")
        );
    }

    #[test]
    fn the_text_table_shows_progress_and_the_unread_learners_reason() {
        let t = text(&sample());
        insta::assert_snapshot!(t);
    }
}
