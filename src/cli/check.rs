//! `labbook check`: run the selected steps against the live account or a
//! snapshot, record the outcomes, and write the report in the chosen format.
//! `--watch` checks again and again through the runner's worker (one AWS
//! session), paced by [`crate::watch`], printing a line per change.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use super::{AwsArgs, CheckArgs, Format, STATS_ENV, WatchArgs, load_labs, select_or_exit};
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
    let jobs = match select_or_exit("labbook check", &labs, &args.targets) {
        Ok(jobs) => jobs,
        Err(status) => return Ok(status),
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

/// `labbook check TARGET --watch`: checks the automated steps of the
/// targets until they all pass (exit 0), 15 minutes pass without a change
/// (exit 1) or Ctrl-C (exit 130); a line per change of verdict or message.
/// A manual step cannot be watched (exit 2 at once). Never enters raw mode.
pub fn watch(
    content: Option<&Path>,
    args: &CheckArgs,
    aws: &AwsArgs,
    pace: &WatchArgs,
) -> anyhow::Result<i32> {
    let (_, labs) = load_labs(content)?;
    if args.targets.is_empty() {
        eprintln!(
            "labbook check: --watch needs a lab or a step to watch, e.g. `labbook check org/exists --watch`."
        );
        return Ok(2);
    }
    let jobs = match select_or_exit("labbook check", &labs, &args.targets) {
        Ok(jobs) => jobs,
        Err(status) => return Ok(status),
    };
    let what = args.targets.join(" ");
    let checked: Vec<runner::Job> = jobs
        .into_iter()
        .filter(|j| !matches!(j.action, crate::labs::Action::Manual))
        .collect();
    if checked.is_empty() {
        eprintln!(
            "labbook check: {what} is checked by hand (a manual step), so it cannot be watched; mark it done in the labs screen (`labbook`, then m)."
        );
        return Ok(2);
    }
    let mut required: Vec<String> = checked
        .iter()
        .filter(|j| !j.advice)
        .map(|j| crate::progress::key(&j.lab, &j.step))
        .collect();
    if required.is_empty() {
        // Only advice: wait for it to pass, as asked.
        required = checked
            .iter()
            .map(|j| crate::progress::key(&j.lab, &j.step))
            .collect();
    }

    let interrupted = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGINT, interrupted.clone())?;
    let stopped = || {
        let hit = interrupted.load(Ordering::Relaxed);
        if hit {
            eprintln!("labbook check: stopped watching (Ctrl-C).");
        }
        hit
    };

    let source: Box<dyn runner::FactsSource> = match &args.snapshot {
        Some(path) => Box::new(runner::SnapshotFile(path.clone())),
        None => Box::new(runner::LiveSession::new(aws.reach())),
    };
    let worker = runner::Worker::start(source);
    let (settings, note) = pace.settings();
    if let Some(note) = note {
        eprintln!("labbook check: {note}");
    }
    let mut watch = crate::watch::Watch::new(settings, Instant::now(), required);
    println!(
        "Watching {what} in {}: checking every {}; Ctrl-C stops.",
        worker.describe(),
        crate::watch::secs(settings.interval)
    );
    let stats = std::env::var_os(STATS_ENV).is_some();
    let (mut progress, _) = Progress::load();
    let mut cycles = 0u32;
    loop {
        cycles += 1;
        let rx = worker.watch(checked.clone());
        let mut outcomes = Vec::new();
        let mut account = None;
        let mut throttled = false;
        let mut requests = None;
        loop {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(RunEvent::Collected {
                    requests: r,
                    throttled: t,
                }) => {
                    requests = r;
                    throttled = t;
                }
                Ok(RunEvent::StepFinished { lab, step, outcome }) => {
                    outcomes.push((crate::progress::key(&lab, &step), outcome));
                }
                Ok(RunEvent::Finished { account_id }) => account = account_id,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {
                    if stopped() {
                        return Ok(130);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        if stats && let Some(n) = requests {
            eprintln!("labbook: watch cycle {cycles}: {n} AWS requests");
        }
        let trouble = match &account {
            None => Some(crate::watch::Trouble::Failed(
                outcomes
                    .first()
                    .map(|(_, o)| o.message.clone())
                    .unwrap_or_default(),
            )),
            Some(_) if throttled => Some(crate::watch::Trouble::Throttled),
            Some(_) => None,
        };
        let now = Instant::now();
        let seen = watch.observe(
            now,
            crate::watch::Cycle {
                outcomes: outcomes.clone(),
                trouble,
            },
        );
        let stamp = crate::clock::now_rfc3339();
        let time = stamp.get(11..19).unwrap_or_default();
        for c in &seen.changes {
            let advice = checked
                .iter()
                .any(|j| crate::progress::key(&j.lab, &j.step) == c.key && j.advice);
            let marker = report::marker(crate::progress::Shown::Status(c.after.status), advice);
            let still = if c.after.status == Status::Unknown {
                " (still watching)"
            } else {
                ""
            };
            println!(
                "{time} {marker} {} — {}{still}",
                c.headline(),
                c.after.message
            );
        }
        if let Some(why) = &seen.backing_off {
            println!("{time} {why}");
        }
        if let Some(account) = account.as_deref()
            && !seen.changes.is_empty()
        {
            for (key, outcome) in &outcomes {
                if let Some((lab, step)) = key.split_once('/') {
                    progress.record(account, lab, step, outcome, &stamp);
                }
            }
            if let Err(e) = progress.save() {
                eprintln!("labbook: {e}");
            }
        }
        if seen.all_pass {
            println!("{time} {} {what} passes.", strings::MARK_PASS);
            return Ok(0);
        }
        while Instant::now() < watch.next_at() {
            if stopped() {
                return Ok(130);
            }
            if watch.expired(Instant::now()) {
                println!(
                    "Stopped watching {what}: nothing changed for {}.",
                    crate::watch::secs(settings.quiet_limit)
                );
                return Ok(1);
            }
            let left = watch.next_at().saturating_duration_since(Instant::now());
            std::thread::sleep(left.min(Duration::from_millis(100)));
        }
        if watch.expired(Instant::now()) {
            println!(
                "Stopped watching {what}: nothing changed for {}.",
                crate::watch::secs(settings.quiet_limit)
            );
            return Ok(1);
        }
    }
}
