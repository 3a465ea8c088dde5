//! Command-line interface: argument parsing and the subcommands that run
//! without the TUI. Subcommands never enter raw mode; they print and exit.
//!
//! Exit status: 0 success, 1 a checked thing failed, 2 usage or content error.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "labbook",
    version,
    about = "Read the course and check the labs in your AWS account."
)]
pub struct Cli {
    /// Load the course from DIR (a folder with content/course.yaml and labs/) instead of the embedded one.
    #[arg(long, global = true, value_name = "DIR")]
    pub content: Option<PathBuf>,

    /// In the TUI, check the labs against a facts snapshot (JSON) instead of the live account.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,

    #[command(flatten)]
    pub aws: AwsArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How to reach AWS for live checks; the standard AWS chain decides the rest
/// (environment, `AWS_PROFILE`, SSO and assume-role profiles, `AWS_ENDPOINT_URL`).
#[derive(Debug, Clone, Args)]
pub struct AwsArgs {
    /// AWS profile from ~/.aws/config (SSO, assume-role or static keys).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// AWS region for regional reads (default: the profile's, else eu-central-1).
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// Send AWS requests to this endpoint (an emulator such as moto).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Role assumed in member accounts (security, log-archive) to read them.
    #[arg(
        long,
        global = true,
        value_name = "NAME",
        default_value = "OrganizationAccountAccessRole"
    )]
    pub member_role: String,
    /// Attempts per AWS call, retries included (1 turns retries off).
    #[arg(
        long,
        global = true,
        value_name = "N",
        default_value_t = 4,
        hide = true
    )]
    pub max_attempts: u32,
}

impl AwsArgs {
    /// Collector options for these flags, looking where the selected steps
    /// point (their `account`, `log_archive_account` and `regions` parameters).
    pub fn options(&self, jobs: &[runner::Job]) -> crate::collect::Options {
        use crate::facts::FactGroup;
        let mut o = crate::collect::Options {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            member_role: self.member_role.clone(),
            max_attempts: self.max_attempts,
            ..crate::collect::Options::default()
        };
        for job in jobs {
            let crate::labs::Action::Check { check, params } = &job.action else {
                continue;
            };
            let security_group = check.meta.needs.iter().any(|g| {
                matches!(
                    g,
                    FactGroup::GuardDuty
                        | FactGroup::SecurityHub
                        | FactGroup::Macie
                        | FactGroup::Detective
                )
            });
            if security_group && !params.str("account").is_empty() {
                o.security_account = params.str("account").to_string();
            }
            if !params.str("log_archive_account").is_empty() {
                o.log_archive_account = params.str("log_archive_account").to_string();
            }
            if check.meta.needs.contains(&FactGroup::GuardDuty)
                && !params.list("regions").is_empty()
            {
                o.regions = params.list("regions").to_vec();
            }
        }
        o
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a chapter (by number, id or title words) or any Markdown file, rendered, without the TUI.
    Read(ReadArgs),
    /// Work with IAM policies offline.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Check lab steps against an AWS account (for now: a facts snapshot) and record the results.
    Check(CheckArgs),
    /// List the labs and their steps with the last known outcome.
    Labs(LabsArgs),
    /// Validate the lab files: every problem, with file, line and column.
    Validate,
    /// Read the AWS account (read-only) and write the facts snapshot the checks use, without secrets.
    Collect(CollectArgs),
}

#[derive(Debug, Args)]
pub struct CollectArgs {
    /// Labs or steps whose facts to collect; default: every step's.
    #[arg(value_name = "LAB[/STEP]")]
    pub targets: Vec<String>,
    /// Write the snapshot here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also print the requests sent, per operation, to standard error.
    #[arg(long)]
    pub stats: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Labs (`org`) or steps (`org/exists`) to check; default: every step.
    #[arg(value_name = "LAB[/STEP]")]
    pub targets: Vec<String>,
    /// Check a facts snapshot (JSON) instead of the live account, e.g. assets/demo/halfway.json.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// Output for people (text), tools (json) or CI (junit).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Junit,
}

#[derive(Debug, Args)]
pub struct LabsArgs {
    /// Show progress for this AWS account id (default: the one checked most recently).
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReadArgs {
    /// A chapter of the course (number, id or part of its title) or a path to a Markdown file. Default: the first chapter.
    pub target: Option<String>,
    /// Wrap to N columns (default: the terminal's width, or 100 when not a terminal).
    #[arg(long, value_name = "N")]
    pub width: Option<u16>,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Decide one request against a policy (and SCPs) and explain why.
    Explain(crate::policy::ExplainArgs),
}

/// Run `labbook read`: render a chapter or a Markdown file to stdout.
pub fn run_read(args: &ReadArgs, content: Option<&std::path::Path>) -> anyhow::Result<i32> {
    use std::io::{IsTerminal, Write};

    use anyhow::Context;

    use crate::course::{self, Course};

    let target = args.target.as_deref();
    let file = target
        .map(std::path::Path::new)
        .filter(|p| p.extension().is_some_and(|e| e == "md") || p.is_file());
    let (chapter, warnings) = match file {
        Some(path) => {
            let (chapter, warning) = course::read_markdown_file(path)?;
            (chapter, warning.into_iter().collect::<Vec<_>>())
        }
        None => {
            let course = Course::load(content)?;
            let index = match target {
                Some(t) => course.find_chapter(t).with_context(|| {
                    let names: Vec<String> = course
                        .chapters
                        .iter()
                        .enumerate()
                        .map(|(i, c)| format!("{} ({})", i + 1, c.title))
                        .collect();
                    format!("no chapter matches {t:?}; chapters: {}", names.join(", "))
                })?,
                None => 0,
            };
            let chapter = course
                .chapters
                .get(index)
                .cloned()
                .context("the course has no chapters")?;
            (chapter, course.warnings)
        }
    };
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let width = args.width.unwrap_or_else(|| {
        if tty {
            ratatui::crossterm::terminal::size()
                .map(|(w, _)| w)
                .unwrap_or(100)
        } else {
            100
        }
    });
    let color = tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let doc = crate::markdown::render(&chapter.source.text, width.max(20));
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in &doc.lines {
        let text = if color {
            crate::ansi::line(line)
        } else {
            crate::markdown::line_text(line)
        };
        // A closed pipe (`labbook read | head`) is not an error worth a message.
        if writeln!(out, "{}", text.trim_end()).is_err() {
            return Ok(0);
        }
    }
    let _ = out.flush();
    Ok(0)
}

// ---------------------------------------------------------------- check, labs, validate

use std::fmt::Write as _;
use std::path::Path;

use crate::checks::{Outcome, Status};
use crate::course::Course;
use crate::facts::Facts;
use crate::labs::Labs;
use crate::progress::Progress;
use crate::runner::{self, RunEvent};
use crate::strings;

/// One checked step, as reported.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Reported {
    pub lab: String,
    pub step: String,
    pub outcome: Status,
    pub message: String,
    pub evidence: Vec<crate::checks::Evidence>,
    /// An advice step: a failure is worth fixing but does not fail the run.
    pub advice: bool,
}

fn load_labs(content: Option<&Path>) -> anyhow::Result<(Course, Labs)> {
    let course = Course::load(content)?;
    let labs = Labs::load(&course);
    Ok((course, labs))
}

/// `labbook check`. Returns the exit status: 0 nothing failed, 1 a step
/// failed, 2 a usage or content error.
pub fn run_check(content: Option<&Path>, args: &CheckArgs, aws: &AwsArgs) -> anyhow::Result<i32> {
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
        None => crate::collect::collect_blocking(&aws.options(&jobs), &runner::needs(&jobs))
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
            eprintln!("labbook check: {e}");
            return Ok(2);
        }
    };
    let account = facts.account_id.clone();
    let advice: Vec<(String, String)> = jobs
        .iter()
        .filter(|j| j.advice)
        .map(|j| (j.lab.clone(), j.step.clone()))
        .collect();
    let rx = runner::spawn(Box::new(runner::Loaded(facts)), jobs);
    let mut results = Vec::new();
    for event in rx {
        if let RunEvent::StepFinished { lab, step, outcome } = event {
            let is_advice = advice.iter().any(|(l, s)| *l == lab && *s == step);
            results.push(reported(lab, step, outcome, is_advice));
        }
    }
    let time = crate::clock::now_rfc3339();

    let (mut progress, moved) = Progress::load();
    if let Some(m) = moved {
        eprintln!("labbook: {m}");
    }
    for r in &results {
        let outcome = Outcome {
            status: r.outcome,
            message: r.message.clone(),
            evidence: r.evidence.clone(),
        };
        progress.record(&account, &r.lab, &r.step, &outcome, &time);
    }
    if let Err(e) = progress.save() {
        eprintln!("labbook: {e}");
    }
    let marked = |r: &Reported| {
        progress
            .get(&account, &r.lab, &r.step)
            .is_some_and(|p| p.marked_done_at.is_some())
    };

    let out = match args.format {
        Format::Text => text_report(&labs, &results, &account, &args.snapshot, marked),
        Format::Json => json_report(&results, &account, &time)?,
        Format::Junit => junit_report(&results, &account, &time),
    };
    print!("{out}");
    for b in &broken {
        eprintln!("labbook check: {b}");
    }
    if !broken.is_empty() {
        return Ok(2);
    }
    let failed = results
        .iter()
        .any(|r| r.outcome == Status::Fail && !r.advice);
    Ok(i32::from(failed))
}

fn reported(lab: String, step: String, outcome: Outcome, advice: bool) -> Reported {
    Reported {
        lab,
        step,
        outcome: outcome.status,
        message: outcome.message,
        evidence: outcome.evidence,
        advice,
    }
}

fn marker(r: &Reported, marked_done: bool) -> &'static str {
    match r.outcome {
        Status::Pass => strings::MARK_PASS,
        Status::Fail if r.advice => strings::MARK_ADVICE,
        Status::Fail => strings::MARK_FAIL,
        Status::Unknown => strings::MARK_UNKNOWN,
        Status::Manual if marked_done => strings::MARK_PASS,
        Status::Manual => strings::MARK_MANUAL,
    }
}

fn text_report(
    labs: &Labs,
    results: &[Reported],
    account: &str,
    snapshot: &Option<PathBuf>,
    marked: impl Fn(&Reported) -> bool,
) -> String {
    let mut out = String::new();
    let source = snapshot
        .as_ref()
        .map(|p| format!("snapshot {}", p.display()))
        .unwrap_or_else(|| strings::LIVE_SOURCE.to_string());
    let _ = writeln!(out, "Checking account {account} ({source})");
    let width = results.iter().map(|r| r.step.len()).max().unwrap_or(0);
    let mut current = "";
    for r in results {
        if r.lab != current {
            current = &r.lab;
            let title = labs
                .labs()
                .find(|l| l.id == r.lab)
                .map(|l| l.title.as_str())
                .unwrap_or_default();
            let _ = writeln!(out, "\n{} — {title}", r.lab);
        }
        let done = marked(r);
        let message = if r.outcome == Status::Manual && done {
            strings::MANUAL_DONE
        } else {
            &r.message
        };
        let tag = if r.advice { " (advice)" } else { "" };
        let _ = writeln!(
            out,
            "  {} {:width$}  {message}{tag}",
            marker(r, done),
            r.step
        );
        for e in &r.evidence {
            // Unknown messages already name the cause and the permission.
            if r.outcome == Status::Fail || e.key == "warning" || e.key == "advice" {
                let _ = writeln!(out, "      {}: {}", e.key, e.value);
            }
        }
    }
    let count = |f: &dyn Fn(&Reported) -> bool| results.iter().filter(|r| f(r)).count();
    let _ = writeln!(
        out,
        "\n{} passed, {} failed, {} unknown, {} manual, {} advice to consider ({} steps, account {account})",
        count(&|r| r.outcome == Status::Pass),
        count(&|r| r.outcome == Status::Fail && !r.advice),
        count(&|r| r.outcome == Status::Unknown),
        count(&|r| r.outcome == Status::Manual),
        count(&|r| r.outcome == Status::Fail && r.advice),
        results.len(),
    );
    out
}

fn json_report(results: &[Reported], account: &str, time: &str) -> anyhow::Result<String> {
    let doc = serde_json::json!({
        "account": account,
        "time": time,
        "results": results,
    });
    Ok(format!("{}\n", serde_json::to_string_pretty(&doc)?))
}

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn junit_report(results: &[Reported], account: &str, time: &str) -> String {
    let failed = |r: &Reported| r.outcome == Status::Fail && !r.advice;
    let skipped = |r: &Reported| r.outcome != Status::Pass && !failed(r);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"labbook {}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" timestamp=\"{}\">",
        xml(account),
        results.len(),
        results.iter().filter(|r| failed(r)).count(),
        results.iter().filter(|r| skipped(r)).count(),
        xml(time)
    );
    let mut labs: Vec<&str> = Vec::new();
    for r in results {
        if !labs.contains(&r.lab.as_str()) {
            labs.push(&r.lab);
        }
    }
    for lab in labs {
        let rs: Vec<&Reported> = results.iter().filter(|r| r.lab == lab).collect();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">",
            xml(lab),
            rs.len(),
            rs.iter().filter(|r| failed(r)).count(),
            rs.iter().filter(|r| skipped(r)).count()
        );
        for r in rs {
            let name = format!("{}/{}", r.lab, r.step);
            let evidence: String = r
                .evidence
                .iter()
                .map(|e| format!("{}: {}\n", e.key, e.value))
                .collect();
            let body = match r.outcome {
                Status::Pass => None,
                Status::Fail if !r.advice => Some(format!(
                    "<failure message=\"{}\">{}</failure>",
                    xml(&r.message),
                    xml(&evidence)
                )),
                _ => Some(format!(
                    "<skipped message=\"{}{}\"/>",
                    if r.advice { "advice: " } else { "" },
                    xml(&format!("{}: {}", r.outcome.as_str(), r.message))
                )),
            };
            match body {
                None => {
                    let _ = writeln!(
                        out,
                        "    <testcase classname=\"{}\" name=\"{}\"/>",
                        xml(&r.lab),
                        xml(&name)
                    );
                }
                Some(b) => {
                    let _ = writeln!(
                        out,
                        "    <testcase classname=\"{}\" name=\"{}\">{b}</testcase>",
                        xml(&r.lab),
                        xml(&name)
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// `labbook labs`: labs and steps with the last known outcome.
pub fn run_labs(content: Option<&Path>, args: &LabsArgs) -> anyhow::Result<i32> {
    let (_, labs) = load_labs(content)?;
    let (progress, moved) = Progress::load();
    if let Some(m) = moved {
        eprintln!("labbook: {m}");
    }
    let account = args
        .account
        .as_deref()
        .or_else(|| progress.latest_account());
    let mut out = String::new();
    match account {
        Some(a) => {
            let _ = writeln!(out, "Progress of account {a}");
        }
        None => {
            let _ = writeln!(
                out,
                "No step checked yet; run `labbook check --snapshot FILE` to see outcomes here."
            );
        }
    }
    for entry in &labs.entries {
        let Some(lab) = &entry.lab else {
            let _ = writeln!(out, "\n{}  (cannot run)", entry.id);
            for p in &entry.problems {
                let _ = writeln!(out, "    {p}");
            }
            continue;
        };
        let record = |step: &str| account.and_then(|a| progress.get(a, &lab.id, step));
        let done = lab
            .steps
            .iter()
            .filter(|s| {
                record(&s.id)
                    .is_some_and(|r| r.outcome == Some(Status::Pass) || r.marked_done_at.is_some())
            })
            .count();
        let _ = writeln!(
            out,
            "\n{} — {}  {done}/{}",
            lab.id,
            lab.title,
            lab.steps.len()
        );
        let width = lab.steps.iter().map(|s| s.id.len()).max().unwrap_or(0);
        for s in &lab.steps {
            let r = record(&s.id);
            let mark = match r {
                Some(r) if r.marked_done_at.is_some() => strings::MARK_PASS,
                Some(r) => match r.outcome {
                    Some(Status::Pass) => strings::MARK_PASS,
                    Some(Status::Fail) if s.advice => strings::MARK_ADVICE,
                    Some(Status::Fail) => strings::MARK_FAIL,
                    Some(Status::Unknown) => strings::MARK_UNKNOWN,
                    Some(Status::Manual) => strings::MARK_MANUAL,
                    None => strings::MARK_NEVER,
                },
                None if s.kind().is_none() => strings::MARK_MANUAL,
                None => strings::MARK_NEVER,
            };
            let when = r
                .and_then(|r| r.checked_at.as_deref())
                .map(|t| format!("  (checked {t})"))
                .unwrap_or_default();
            let tag = if s.advice { " (advice)" } else { "" };
            let _ = writeln!(out, "  {mark} {:width$}  {}{tag}{when}", s.id, s.title);
        }
    }
    print!("{out}");
    Ok(0)
}

/// `labbook validate`: every problem in the lab files; exit 2 on any.
pub fn run_validate(content: Option<&Path>) -> anyhow::Result<i32> {
    let course = match Course::load(content) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("labbook validate: {e}");
            return Ok(2);
        }
    };
    for w in &course.warnings {
        eprintln!("warning: {w}");
    }
    let labs = Labs::load(&course);
    let problems: Vec<String> = labs.problems().map(ToString::to_string).collect();
    for p in &problems {
        println!("{p}");
    }
    let runnable = labs.labs().count();
    println!(
        "{} lab file(s), {runnable} runnable, {} step(s), {} problem(s)",
        labs.entries.len(),
        labs.step_count(),
        problems.len()
    );
    Ok(if problems.is_empty() { 0 } else { 2 })
}

/// Set to print, after a live collection, the requests sent and peak memory
/// to standard error (the benchmark reads it).
pub const STATS_ENV: &str = "LABBOOK_STATS";

/// `labbook collect`: the live facts the selected steps need, as a snapshot.
pub fn run_collect(
    content: Option<&Path>,
    args: &CollectArgs,
    aws: &AwsArgs,
) -> anyhow::Result<i32> {
    use anyhow::Context;

    let (_, labs) = load_labs(content)?;
    let jobs = match runner::select(&labs, &args.targets) {
        Ok(jobs) => jobs,
        Err(e) => {
            eprintln!("labbook collect: {e}");
            return Ok(2);
        }
    };
    let (facts, stats) =
        match crate::collect::collect_blocking(&aws.options(&jobs), &runner::needs(&jobs)) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("labbook collect: {e}");
                return Ok(2);
            }
        };
    let json = serde_json::to_string_pretty(&facts)? + "\n";
    match &args.out {
        Some(path) => crate::state::write_atomic(path, json.as_bytes())
            .with_context(|| format!("writing the snapshot to {}", path.display()))?,
        None => print!("{json}"),
    }
    if args.stats || std::env::var_os(STATS_ENV).is_some() {
        for (action, n) in &stats.requests {
            eprintln!("{n:>4} {action}");
        }
        eprintln!("labbook: {}", stats.summary());
    }
    Ok(0)
}
