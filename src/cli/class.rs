//! `labbook class …`: instructor mode. `check` reads every learner of a
//! roster (live, through each learner's own assumed session, or offline
//! from `collect`'s snapshots), writes the class report and stores the run
//! in the history; `collect` writes one snapshot per learner; `history`,
//! `diff` and `forget` read and prune the history.
//!
//! Exit status: 0 every learner was read (failing steps are a class's
//! normal state), 1 a learner could not be read, 2 usage or roster errors,
//! 130 stopped by Ctrl-C.
//!
//! Ctrl-C in `check` and `collect` stops cleanly: learners not started are
//! skipped, the ones being read finish, and what finished is kept (the
//! report is written, the run stored as partial, which `diff` skips). A
//! second Ctrl-C ends at once. These commands never enter raw mode.

use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::Context;
use clap::{Args, Subcommand};
use serde::{Deserialize, Serialize};

use super::{AwsArgs, load_labs, select_or_exit};
use crate::class::{self, ClassEvent, ClassRun, Member};
use crate::history::History;
use crate::report::class::ClassReport;
use crate::roster::Roster;
use crate::runner;
use crate::state::write_private;

/// Test-only: comma-separated learner account ids whose role the guard
/// refuses to assume, as if access were denied (moto accepts every
/// AssumeRole). Never set in a real run.
pub const REFUSE_ENV: &str = "LABBOOK_TEST_REFUSE_ASSUME";

/// Test-only: milliseconds each learner's facts take to read, so a test can
/// interrupt a run midway without racing it; each learner's start is
/// written to standard error. Never set in a real run.
pub const SLOW_ENV: &str = "LABBOOK_TEST_SLOW_LEARNER_MS";

/// The exit status of a run stopped by Ctrl-C (128 + SIGINT, as shells do).
pub const INTERRUPTED: i32 = 130;

/// The manifest `class collect` writes beside the snapshots.
const MANIFEST: &str = "class.json";

#[derive(Debug, Args)]
pub struct ClassArgs {
    #[command(subcommand)]
    pub command: Option<ClassCommand>,
    /// The class roster (YAML, or CSV `name,account,role_arn`), for the class view.
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// Open the class view on the snapshots `labbook class collect` wrote to DIR.
    #[arg(long, value_name = "DIR")]
    pub snapshots: Option<PathBuf>,
    /// Learners read at once in the class view.
    #[arg(long, value_name = "N", default_value_t = class::DEFAULT_CONCURRENCY)]
    pub concurrency: usize,
}

#[derive(Debug, Subcommand)]
pub enum ClassCommand {
    /// Check every learner of the roster (read-only) and write the class report.
    Check(ClassCheckArgs),
    /// Read every learner's account and write one facts snapshot per learner (no secrets) to DIR.
    Collect(ClassCollectArgs),
    /// Each learner's progress over the stored runs.
    History(ClassHistoryArgs),
    /// What changed between the last two complete runs, and who is stuck.
    Diff(RosterArg),
    /// Delete the stored history of one learner or of the whole class.
    Forget(ClassHistoryArgs),
}

#[derive(Debug, Args)]
pub struct RosterArg {
    /// The class roster (YAML, or CSV `name,account,role_arn`).
    #[arg(long, value_name = "FILE")]
    pub roster: PathBuf,
}

#[derive(Debug, Args)]
pub struct ClassCheckArgs {
    /// Labs or steps to check; default: every step.
    #[arg(value_name = "LAB[/STEP]")]
    pub targets: Vec<String>,
    /// The class roster (YAML, or CSV `name,account,role_arn`).
    #[arg(long, value_name = "FILE", required_unless_present = "snapshots")]
    pub roster: Option<PathBuf>,
    /// Grade the snapshots `labbook class collect` wrote to DIR instead of reading AWS.
    #[arg(long, value_name = "DIR")]
    pub snapshots: Option<PathBuf>,
    /// Learners read at once.
    #[arg(long, value_name = "N", default_value_t = class::DEFAULT_CONCURRENCY)]
    pub concurrency: usize,
    #[arg(long, value_enum, default_value_t = ClassFormat::Text)]
    pub format: ClassFormat,
    /// Write the report here (readable by you only) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Do not store this run in the class history.
    #[arg(long)]
    pub no_history: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClassFormat {
    Text,
    Json,
    Csv,
    Junit,
    Markdown,
    Html,
}

#[derive(Debug, Args)]
pub struct ClassCollectArgs {
    /// Labs or steps whose facts to collect; default: every step's.
    #[arg(value_name = "LAB[/STEP]")]
    pub targets: Vec<String>,
    #[arg(long, value_name = "FILE")]
    pub roster: PathBuf,
    /// The directory for the snapshots (created readable by you only).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[arg(long, value_name = "N", default_value_t = class::DEFAULT_CONCURRENCY)]
    pub concurrency: usize,
}

#[derive(Debug, Args)]
pub struct ClassHistoryArgs {
    #[arg(long, value_name = "FILE")]
    pub roster: PathBuf,
    /// Only this learner.
    #[arg(long, value_name = "NAME")]
    pub learner: Option<String>,
}

/// One learner in the snapshot manifest.
#[derive(Debug, Serialize, Deserialize)]
struct ManifestLearner {
    name: String,
    account: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    snapshot: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    class: String,
    time: String,
    learners: Vec<ManifestLearner>,
}

pub fn run(content: Option<&Path>, args: &ClassArgs, aws: &AwsArgs) -> anyhow::Result<i32> {
    let Some(command) = &args.command else {
        return view(content, args, aws);
    };
    match command {
        ClassCommand::Check(a) => check(content, a, aws),
        ClassCommand::Collect(a) => collect(content, a, aws),
        ClassCommand::History(a) => history(a),
        ClassCommand::Diff(a) => diff(&a.roster),
        ClassCommand::Forget(a) => forget(a),
    }
}

/// The class view: every learner checked in the background as it opens,
/// the last stored runs shown meanwhile.
fn view(content: Option<&Path>, args: &ClassArgs, aws: &AwsArgs) -> anyhow::Result<i32> {
    let (_, labs) = load_labs(content)?;
    let jobs = runner::select(&labs, &[])?;
    let Some((class_name, members)) = members(
        "labbook class",
        args.roster.as_deref(),
        args.snapshots.as_deref(),
        aws,
    )?
    else {
        return Ok(2);
    };
    let path = History::default_path();
    let (latest, previous) = match last_two(&path, &class_name) {
        Ok(runs) => runs,
        Err(e) => {
            eprintln!(
                "labbook class: the class history cannot be read ({e}); showing this run only"
            );
            (None, None)
        }
    };
    let source = crate::tui::classrun::ClassSource {
        class: class_name.clone(),
        members: std::sync::Arc::new(members),
        jobs: std::sync::Arc::new(jobs),
        concurrency: args.concurrency,
        history: Some(path),
        stop: class::stop_flag(),
    };
    let screen = crate::tui::screens::class::ClassScreen::new(
        &class_name,
        &source.jobs,
        &source.roster(),
        latest.as_ref(),
        previous.as_ref(),
    );
    crate::tui::run_class(content, source, screen)
}

/// The last two complete runs of a class in the history, newest first.
fn last_two(
    path: &Path,
    class_name: &str,
) -> Result<(Option<ClassRun>, Option<ClassRun>), crate::history::HistoryError> {
    if !path.exists() {
        return Ok((None, None));
    }
    let h = History::open(path)?;
    let runs = h.runs(class_name)?;
    let mut complete = runs.iter().rev().filter(|r| !r.partial);
    let latest = complete.next().map(|r| h.load(class_name, r)).transpose()?;
    let previous = complete.next().map(|r| h.load(class_name, r)).transpose()?;
    Ok((latest, previous))
}

/// The class's name and learners from a roster (live) or a snapshot
/// directory; `None` after a usage or roster error was printed.
fn members(
    who: &str,
    roster_path: Option<&Path>,
    snapshots: Option<&Path>,
    aws: &AwsArgs,
) -> anyhow::Result<Option<(String, Vec<Member>)>> {
    let roster = match roster_path {
        Some(p) => match roster(p) {
            Some(r) => Some(r),
            None => return Ok(None),
        },
        None => None,
    };
    Ok(match (snapshots, &roster) {
        (Some(dir), r) => match offline(dir, r.as_ref()) {
            Ok(v) => Some(v),
            Err(e) => {
                eprintln!("{who}: {e:#}");
                None
            }
        },
        (None, Some(r)) => Some((r.class.clone(), live(r, aws))),
        (None, None) => {
            eprintln!("{who}: give --roster FILE or --snapshots DIR");
            None
        }
    })
}

fn roster(path: &Path) -> Option<Roster> {
    match Roster::load(path) {
        Ok(r) => Some(r),
        Err(e) => {
            eprintln!("labbook class: {e}");
            None
        }
    }
}

/// The learners' live sources, with the test-only refusal applied.
fn live(roster: &Roster, aws: &AwsArgs) -> Vec<Member> {
    let base = aws.reach();
    let refused: Vec<String> = std::env::var(REFUSE_ENV)
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect())
        .unwrap_or_default();
    roster
        .learners
        .iter()
        .map(|l| {
            let mut reach = class::learner_reach(roster, l, &base);
            if refused.contains(&l.account) {
                reach.refuse = vec!["sts:AssumeRole".to_string()];
            }
            Member {
                name: l.name.clone(),
                account: l.account.clone(),
                source: Box::new(class::LearnerAccount {
                    name: l.name.clone(),
                    reach,
                }),
            }
        })
        .collect()
}

/// The members of a snapshot directory: the manifest's learners (or the
/// roster's, matched by account), each its snapshot file; a learner
/// without one keeps the reason it could not be collected.
fn offline(dir: &Path, roster: Option<&Roster>) -> anyhow::Result<(String, Vec<Member>)> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "reading {} (write it with `labbook class collect --roster FILE --out {}`)",
            path.display(),
            dir.display()
        )
    })?;
    let manifest: Manifest = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a class snapshot manifest", path.display()))?;
    let wanted: Vec<(String, String)> = match roster {
        Some(r) => r
            .learners
            .iter()
            .map(|l| (l.name.clone(), l.account.clone()))
            .collect(),
        None => manifest
            .learners
            .iter()
            .map(|l| (l.name.clone(), l.account.clone()))
            .collect(),
    };
    let class = roster.map_or(manifest.class.clone(), |r| r.class.clone());
    let members = wanted
        .into_iter()
        .map(|(name, account)| {
            let entry = manifest.learners.iter().find(|m| m.account == account);
            let source: Box<dyn runner::FactsSource + Sync> = match entry {
                Some(ManifestLearner {
                    snapshot: Some(file),
                    ..
                }) => Box::new(runner::SnapshotFile(dir.join(file))),
                Some(ManifestLearner { error: Some(e), .. }) => {
                    Box::new(runner::Unreadable::because(e.clone()))
                }
                _ => Box::new(runner::Unreadable::because(format!(
                    "no snapshot of account {account} in {}",
                    dir.display()
                ))),
            };
            Member {
                name,
                account,
                source,
            }
        })
        .collect();
    Ok((class, members))
}

/// Ctrl-C sets `stop` (the run stops starting learners); a second one,
/// with `stop` already set, ends the process at once.
fn stop_on_ctrl_c(stop: &Arc<AtomicBool>) {
    use signal_hook::consts::SIGINT;
    // The order matters: the exit is armed only for the second signal.
    let armed = signal_hook::flag::register_conditional_shutdown(SIGINT, INTERRUPTED, stop.clone())
        .and_then(|_| signal_hook::flag::register(SIGINT, stop.clone()));
    if let Err(e) = armed {
        eprintln!("labbook class: Ctrl-C will not stop cleanly ({e})");
    }
}

/// With [`SLOW_ENV`] set, every member's facts take that long (tests).
fn slowed(members: Vec<Member>) -> Vec<Member> {
    let Some(ms) = std::env::var(SLOW_ENV).ok().and_then(|v| v.parse().ok()) else {
        return members;
    };
    members
        .into_iter()
        .map(|m| Member {
            source: Box::new(Slow {
                name: m.name.clone(),
                delay: std::time::Duration::from_millis(ms),
                inner: m.source,
            }),
            ..m
        })
        .collect()
}

/// A facts source that takes its time (see [`SLOW_ENV`]).
struct Slow {
    name: String,
    delay: std::time::Duration,
    inner: Box<dyn runner::FactsSource + Sync>,
}

impl runner::FactsSource for Slow {
    fn describe(&self) -> String {
        self.inner.describe()
    }
    fn collect(
        &self,
        scope: &crate::collect::Scope,
    ) -> Result<crate::facts::Facts, runner::RunError> {
        eprintln!("labbook: (test) reading learner {}", self.name);
        std::thread::sleep(self.delay);
        self.inner.collect(scope)
    }
}

/// A progress line on standard error when it is a terminal.
struct Meter {
    tty: bool,
    total: Mutex<(usize, usize, usize, usize, usize)>,
}

impl Meter {
    fn new() -> Meter {
        Meter {
            tty: std::io::stderr().is_terminal(),
            total: Mutex::new((0, 0, 0, 0, 0)),
        }
    }

    fn event(&self, e: ClassEvent) {
        if !self.tty {
            return;
        }
        let Ok(mut t) = self.total.lock() else { return };
        let (learners, done, failing, unread, running) = &mut *t;
        match e {
            ClassEvent::Started { learners: n } => *learners = n,
            ClassEvent::LearnerStarted { .. } => *running += 1,
            ClassEvent::LearnerFinished {
                failing: f, error, ..
            } => {
                *running = running.saturating_sub(1);
                *done += 1;
                *failing += usize::from(f);
                *unread += usize::from(error);
            }
        }
        let mut err = std::io::stderr();
        let _ = write!(
            err,
            "\r\x1b[2Klearners {done}/{learners} done, {failing} failing a step, {unread} unreadable, {running} running"
        );
        let _ = err.flush();
    }

    fn finish(&self) {
        if self.tty {
            eprintln!();
        }
    }
}

fn check(content: Option<&Path>, args: &ClassCheckArgs, aws: &AwsArgs) -> anyhow::Result<i32> {
    let (_, labs) = load_labs(content)?;
    let jobs = match select_or_exit("labbook class check", &labs, &args.targets) {
        Ok(jobs) => jobs,
        Err(status) => return Ok(status),
    };
    let Some((class_name, members)) = members(
        "labbook class check",
        args.roster.as_deref(),
        args.snapshots.as_deref(),
        aws,
    )?
    else {
        return Ok(2);
    };
    let members = slowed(members);
    let meter = Meter::new();
    let stop = class::stop_flag();
    stop_on_ctrl_c(&stop);
    let run = class::check(
        &class_name,
        &members,
        &jobs,
        args.concurrency,
        &stop,
        &|e| meter.event(e),
    );
    meter.finish();
    if std::env::var_os(super::STATS_ENV).is_some() {
        let rss = crate::collect::peak_rss_kib()
            .map(|k| format!(", peak RSS {:.1} MB", k as f64 / 1024.0))
            .unwrap_or_default();
        eprintln!(
            "labbook: {} AWS requests for {} learners{rss}",
            class::requests_sent(),
            run.learners.len()
        );
    }
    // A partial run is stored (marked) but compared with nothing.
    let diff = if args.no_history {
        None
    } else {
        record(&run).filter(|_| !run.partial)
    };
    let report = ClassReport::new(&run, diff.as_ref());
    let text = write(&report, args.format)?;
    match &args.out {
        Some(path) => write_private(path, text.as_bytes())
            .with_context(|| format!("writing the report to {}", path.display()))?,
        None => print!("{text}"),
    }
    for l in run.learners.iter().filter(|l| l.error.is_some()) {
        eprintln!(
            "labbook class check: {}: {}",
            l.name,
            l.error.as_deref().unwrap_or_default()
        );
    }
    if stop.load(Ordering::Relaxed) {
        let stored = if args.no_history {
            ""
        } else {
            "; the run is stored as partial (diff skips it)"
        };
        eprintln!(
            "labbook class check: interrupted: {} of {} learners were read{stored}",
            run.learners.len(),
            members.len()
        );
        return Ok(INTERRUPTED);
    }
    Ok(i32::from(run.any_error()))
}

/// Stores the run; the diff of the last two complete runs after it.
fn record(run: &ClassRun) -> Option<crate::history::Diff> {
    let stored = History::open(&History::default_path()).and_then(|mut h| {
        h.record(run)?;
        h.diff(&run.class)
    });
    match stored {
        Ok(d) => Some(d),
        Err(e) => {
            eprintln!("labbook class check: the run was not stored: {e}");
            None
        }
    }
}

/// The class report in the chosen format.
pub fn write(report: &ClassReport, format: ClassFormat) -> anyhow::Result<String> {
    use crate::report;
    Ok(match format {
        ClassFormat::Text => report::class::text(report),
        ClassFormat::Json => report::class::json(report)?,
        ClassFormat::Csv => report::csv::write_class(report),
        ClassFormat::Junit => report::junit::write_class(report),
        ClassFormat::Markdown => report::markdown::write_class(report),
        ClassFormat::Html => report::html::write_class(report),
    })
}

fn collect(content: Option<&Path>, args: &ClassCollectArgs, aws: &AwsArgs) -> anyhow::Result<i32> {
    let (_, labs) = load_labs(content)?;
    let jobs = match select_or_exit("labbook class collect", &labs, &args.targets) {
        Ok(jobs) => jobs,
        Err(status) => return Ok(status),
    };
    let Some(roster) = roster(&args.roster) else {
        return Ok(2);
    };
    let members = slowed(live(&roster, aws));
    let meter = Meter::new();
    let stop = class::stop_flag();
    stop_on_ctrl_c(&stop);
    let time = crate::clock::now_rfc3339();
    let collected = class::collect(&members, &jobs, args.concurrency, &stop, &|e| {
        meter.event(e)
    });
    meter.finish();
    create_private_dir(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let mut manifest = Manifest {
        class: roster.class.clone(),
        time,
        learners: Vec::new(),
    };
    let mut failed = false;
    for c in collected.into_iter().flatten() {
        let mut entry = ManifestLearner {
            name: c.name.clone(),
            account: c.account.clone(),
            snapshot: None,
            error: None,
        };
        match c.facts {
            Ok(facts) => {
                let file = format!("{}.json", c.account);
                let json = serde_json::to_string_pretty(&facts)? + "\n";
                let path = args.out.join(&file);
                write_private(&path, json.as_bytes())
                    .with_context(|| format!("writing {}", path.display()))?;
                entry.snapshot = Some(file);
            }
            Err(e) => {
                eprintln!("labbook class collect: {e}");
                entry.error = Some(e);
                failed = true;
            }
        }
        manifest.learners.push(entry);
    }
    let path = args.out.join(MANIFEST);
    write_private(
        &path,
        (serde_json::to_string_pretty(&manifest)? + "\n").as_bytes(),
    )
    .with_context(|| format!("writing {}", path.display()))?;
    if stop.load(Ordering::Relaxed) {
        eprintln!(
            "labbook class collect: interrupted: {} of {} learners were collected",
            manifest.learners.len(),
            members.len()
        );
        return Ok(INTERRUPTED);
    }
    Ok(i32::from(failed))
}

fn history(args: &ClassHistoryArgs) -> anyhow::Result<i32> {
    let Some(roster) = roster(&args.roster) else {
        return Ok(2);
    };
    let h = History::open(&History::default_path())?;
    let progress = h.progress(&roster.class, args.learner.as_deref())?;
    if progress.is_empty() {
        println!("No stored runs for class {}.", roster.class);
        return Ok(0);
    }
    // Roster order, then learners no longer in the roster.
    let mut names: Vec<&String> = roster
        .learners
        .iter()
        .map(|l| &l.name)
        .filter(|n| progress.contains_key(*n))
        .collect();
    names.extend(progress.keys().filter(|n| roster.learner(n).is_none()));
    for name in names {
        println!("{name}");
        for p in &progress[name] {
            let partial = if p.run.partial { " (partial run)" } else { "" };
            match &p.error {
                Some(e) => println!("  {}  could not be read: {e}{partial}", p.run.time),
                None => println!(
                    "  {}  {}/{} passed, {} failing{}{partial}",
                    p.run.time,
                    p.passed,
                    p.required,
                    p.failed,
                    p.first_failing
                        .as_ref()
                        .map(|s| format!(", first {s}"))
                        .unwrap_or_default()
                ),
            }
        }
    }
    Ok(0)
}

fn diff(roster_path: &Path) -> anyhow::Result<i32> {
    let Some(roster) = roster(roster_path) else {
        return Ok(2);
    };
    let h = History::open(&History::default_path())?;
    let d = h.diff(&roster.class)?;
    let (Some(from), Some(to)) = (&d.from, &d.to) else {
        println!(
            "Class {} has fewer than two complete runs; nothing to compare.",
            roster.class
        );
        return Ok(0);
    };
    println!(
        "Changes in class {} from {} to {}:",
        roster.class, from.time, to.time
    );
    if d.skipped_partial > 0 {
        println!(
            "  ({} partial run(s) in between skipped)",
            d.skipped_partial
        );
    }
    if d.changes.is_empty() {
        println!("  none");
    }
    for c in &d.changes {
        println!("  {}: {} {}", c.learner, c.step, c.change.as_str());
    }
    for (learner, step) in &d.stuck {
        println!(
            "  stuck: {learner} on {step} for {} runs",
            crate::history::STUCK_RUNS
        );
    }
    Ok(0)
}

fn forget(args: &ClassHistoryArgs) -> anyhow::Result<i32> {
    let Some(roster) = roster(&args.roster) else {
        return Ok(2);
    };
    let mut h = History::open(&History::default_path())?;
    let n = h.forget(&roster.class, args.learner.as_deref())?;
    match &args.learner {
        Some(name) => println!(
            "Forgot learner {name} of class {} ({n} stored run(s)).",
            roster.class
        ),
        None => println!("Forgot class {} ({n} learner row(s)).", roster.class),
    }
    Ok(0)
}

/// Creates a directory readable by the user only.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}
