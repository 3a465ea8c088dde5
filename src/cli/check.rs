//! `labbook check`: run the selected steps against the live account or a
//! snapshot, record the outcomes, and write the report in the chosen format.

use std::path::Path;

use super::{AwsArgs, CheckArgs, Format, STATS_ENV, load_labs};
use crate::checks::{Outcome, Status};
use crate::facts::Facts;
use crate::progress::Progress;
use crate::report::{self, Report, StepReport};
use crate::runner::{self, RunEvent};
use crate::strings;

/// Returns the exit status: 0 nothing failed, 1 a step failed, 2 a usage,
/// content or credential error.
pub fn run(content: Option<&Path>, args: &CheckArgs, aws: &AwsArgs) -> anyhow::Result<i32> {
    let (_, labs) = load_labs(content)?;
    let jobs = match runner::select(&labs, &args.targets) {
        Ok(jobs) => jobs,
        Err(e) => {
            eprintln!("labbook check: {e}");
            return Ok(2);
        }
    };
    // Labs that cannot run are a content error, reported beside the results.
    let broken: Vec<String> = labs
        .entries
        .iter()
        .filter(|e| e.lab.is_none())
        .filter(|_| args.targets.is_empty())
        .flat_map(|e| {
            e.problems
                .iter()
                .map(|p| format!("lab `{}` cannot run: {p}", e.id))
        })
        .collect();
    let loaded = match &args.snapshot {
        Some(snapshot) => Facts::load(snapshot).map_err(|e| e.to_string()),
        None => crate::collect::collect_blocking(&aws.reach(), &runner::plan(&jobs))
            .map(|(facts, stats)| {
                if std::env::var_os(STATS_ENV).is_some() {
                    eprintln!("labbook: {}", stats.summary());
                }
                facts
            })
            .map_err(|e| e.to_string()),
    };
    let facts = match loaded {
        Ok(f) => f,
        Err(e) => {
            // Tools still get a whole document: every checkable step
            // unknown with the cause, manual steps manual.
            if args.format != Format::Text {
                let results = jobs
                    .iter()
                    .map(|j| {
                        let outcome = match &j.action {
                            crate::labs::Action::Manual => Outcome::manual(),
                            crate::labs::Action::Check { .. } => {
                                Outcome::unknown(format!("Could not verify this step: {e}"))
                            }
                        };
                        StepReport::new(&j.lab, &j.step, outcome, j.advice)
                    })
                    .collect();
                let report = Report {
                    account: String::new(),
                    time: crate::clock::now_rfc3339(),
                    source: String::new(),
                    results,
                };
                print!("{}", write(&report, args.format)?);
            }
            eprintln!("labbook check: {e}");
            return Ok(2);
        }
    };
    let account = facts.account_id.clone();
    let rx = runner::spawn(Box::new(runner::Loaded(facts)), jobs.clone());
    let mut results = Vec::new();
    for event in rx {
        if let RunEvent::StepFinished { lab, step, outcome } = event {
            let advice = jobs
                .iter()
                .any(|j| j.lab == lab && j.step == step && j.advice);
            results.push(StepReport::new(&lab, &step, outcome, advice));
        }
    }
    let time = crate::clock::now_rfc3339();

    let (mut progress, moved) = Progress::load();
    if let Some(m) = moved {
        eprintln!("labbook: {m}");
    }
    for r in &mut results {
        let outcome = Outcome {
            status: r.outcome,
            message: r.message.clone(),
            evidence: r.evidence.clone(),
        };
        progress.record(&account, &r.lab, &r.step, &outcome, &time);
        r.marked_done = r.outcome == Status::Manual
            && progress
                .get(&account, &r.lab, &r.step)
                .is_some_and(|p| p.marked_done_at.is_some());
        r.lab_title = labs
            .labs()
            .find(|l| l.id == r.lab)
            .map(|l| l.title.clone())
            .unwrap_or_default();
    }
    if let Err(e) = progress.save() {
        eprintln!("labbook: {e}");
    }
    let source = args
        .snapshot
        .as_ref()
        .map(|p| format!("snapshot {}", p.display()))
        .unwrap_or_else(|| strings::LIVE_SOURCE.to_string());
    let report = Report {
        account,
        time,
        source,
        results,
    };
    print!("{}", write(&report, args.format)?);
    for b in &broken {
        eprintln!("labbook check: {b}");
    }
    if !broken.is_empty() {
        return Ok(2);
    }
    Ok(i32::from(report.any_failed()))
}

/// The report in the chosen format.
fn write(report: &Report, format: Format) -> anyhow::Result<String> {
    Ok(match format {
        Format::Text => report::text::write(report),
        Format::Json => report::json::write(report)?,
        Format::Junit => report::junit::write(report),
    })
}
