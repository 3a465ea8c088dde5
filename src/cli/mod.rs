//! Command-line interface: the argument types (clap) and the dispatch to one
//! file per subcommand (`read`, `check`, `labs`, `validate`, `collect`,
//! `policy`, `quiz`, `review`, `completions`, `class`). Subcommands never enter raw mode; they print
//! and exit. Output formats are writers in [`crate::report`]; what to read
//! for a set of steps is planned by [`crate::runner::plan`].
//!
//! Exit status: 0 success, 1 a checked thing failed, 2 usage or content error.

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

mod check;
pub mod class;
mod collect;
mod completions;
mod labs;
mod policy;
mod quiz;
mod read;
mod review;
mod validate;

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

    #[command(flatten)]
    pub watch: WatchArgs,

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
    /// How to reach AWS with these flags.
    pub fn reach(&self) -> crate::collect::Reach {
        crate::collect::Reach {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            member_role: self.member_role.clone(),
            max_attempts: self.max_attempts,
            ..crate::collect::Reach::default()
        }
    }
}

/// How a watch paces itself and whether it rings: options of the TUI (its
/// labs screen's `w`) and of `labbook check --watch`, and of nothing else.
#[derive(Debug, Clone, Default, Args)]
pub struct WatchArgs {
    /// Watching: check again every N seconds (default 10, at least 5).
    #[arg(long, value_name = "SECONDS")]
    pub interval: Option<u64>,
    /// Do not ring the terminal bell when a watched step turns green (also LABBOOK_BELL=0).
    #[arg(long)]
    pub no_bell: bool,
}

/// Test-only: the watch interval in milliseconds, with no floor (so tests
/// need not wait 5 s). Not for learners: a real account deserves the floor.
pub const TEST_INTERVAL_ENV: &str = "LABBOOK_TEST_WATCH_INTERVAL_MS";
/// Test-only: how long a watch may go without a change, in milliseconds.
pub const TEST_QUIET_ENV: &str = "LABBOOK_TEST_WATCH_QUIET_MS";
/// `LABBOOK_BELL=0` turns the watch's bell off.
pub const BELL_ENV: &str = "LABBOOK_BELL";

impl WatchArgs {
    /// The watch's settings, and a note when the interval was raised to the floor.
    pub fn settings(&self) -> (crate::watch::Settings, Option<String>) {
        let ms = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse::<u64>().ok())
                .map(std::time::Duration::from_millis)
        };
        let (mut settings, note) = match ms(TEST_INTERVAL_ENV) {
            Some(test) => crate::watch::Settings::new(Some(test), std::time::Duration::ZERO),
            None => crate::watch::Settings::new(
                self.interval.map(std::time::Duration::from_secs),
                crate::watch::MIN_INTERVAL,
            ),
        };
        if let Some(quiet) = ms(TEST_QUIET_ENV) {
            settings.quiet_limit = quiet;
        }
        (settings, note)
    }

    /// Whether the bell rings: not with `--no-bell` or `LABBOOK_BELL=0`.
    pub fn bell(&self) -> bool {
        !self.no_bell && std::env::var(BELL_ENV).map_or(true, |v| v.trim() != "0")
    }

    /// The TUI's options from these flags.
    pub fn tui_options(&self) -> crate::tui::Options {
        crate::tui::Options {
            bell: self.bell(),
            watch: self.settings().0,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a chapter (by number, id or title words) or any Markdown file, rendered, without the TUI.
    Read(ReadArgs),
    /// Work with IAM policies offline.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Check lab steps against your AWS account (read-only) or a facts snapshot, and record the results.
    Check(CheckArgs),
    /// List the labs and their steps with the last known outcome.
    Labs(LabsArgs),
    /// Validate the course: every problem in the lab and quiz files with file, line and column, and every step resolved to a check and a chapter section.
    Validate,
    /// Read the AWS account (read-only) and write the facts snapshot the checks use, without secrets.
    Collect(CollectArgs),
    /// Score a prepared quiz answer file (YAML or JSON), or list the question bank without answers.
    Quiz(QuizArgs),
    /// A readiness report for a review: lab steps, an audit of the account against the chapter's best practices, and the latest quiz score, per chapter section. Exit 0 when ready, 1 when not.
    Review(ReviewArgs),
    /// Print a shell completion script (bash, zsh or fish).
    Completions(CompletionsArgs),
    /// Instructor mode: check a whole class's accounts from a roster, export the results, follow them over time.
    Class(class::ClassArgs),
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Review a facts snapshot (JSON) instead of the live account, e.g. assets/demo/halfway.json.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// Output for the terminal (text), to keep (markdown), to print (html: one self-contained file) or for tools (json).
    #[arg(long, value_enum, default_value_t = ReviewFormat::Text)]
    pub format: ReviewFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReviewFormat {
    Text,
    Markdown,
    Html,
    Json,
}

#[derive(Debug, Args)]
pub struct QuizArgs {
    /// The answer file to score: `answers: {question-id: b, other-id: [a, c], tf-id: true}`.
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "list",
        conflicts_with = "list"
    )]
    pub answers: Option<PathBuf>,
    /// List the questions (ids, sections, kinds, options) without answers or explanations.
    #[arg(long)]
    pub list: bool,
    /// The chapter whose quiz to use (default: the answer file's `chapter`, else the first quiz).
    #[arg(long, value_name = "ID")]
    pub chapter: Option<String>,
    /// Output for people (text) or tools (json).
    #[arg(long, value_enum, default_value_t = QuizFormat::Text)]
    pub format: QuizFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QuizFormat {
    Text,
    Json,
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
    /// Check again every few seconds (--interval) and print a line when a verdict or its message changes; exit 0 once the step (or every automated step of the lab) passes, 1 after 15 minutes without a change.
    #[arg(long, conflicts_with = "format")]
    pub watch: bool,
    #[command(flatten)]
    pub pace: WatchArgs,
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
    /// Decide one request against identity policies (and SCP layers) and explain why.
    Explain(ExplainArgs),
}

/// Arguments of `labbook policy explain`.
#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// The identity policies (JSON files) that apply to the principal.
    #[arg(required = true, value_name = "POLICY")]
    pub policies: Vec<PathBuf>,
    /// One SCP layer, root first: the documents attached at that level
    /// (`a.json,b.json`); repeat for each level down to the account.
    /// `--scp FILE` is the same with one document.
    #[arg(long = "scp-layer", visible_alias = "scp", value_name = "FILE[,FILE]")]
    pub scp_layers: Vec<String>,
    /// The action, e.g. ec2:RunInstances.
    #[arg(long)]
    pub action: String,
    /// The resource ARN (default `*`).
    #[arg(long, default_value = "*")]
    pub resource: String,
    /// A context key, e.g. aws:RequestedRegion=eu-west-1; repeat for more.
    #[arg(long = "context", value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// Output for people (text) or tools (json: `{"decision", "explanation"}`).
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// Set to print, after a live collection, the requests sent and peak memory
/// to standard error (the benchmark reads it).
pub const STATS_ENV: &str = "LABBOOK_STATS";

/// Runs a subcommand; `None` when there is none (the caller opens the TUI).
/// Returns the exit status.
pub fn dispatch(cli: &Cli) -> Option<anyhow::Result<i32>> {
    let content: Option<&Path> = cli.content.as_deref();
    Some(match cli.command.as_ref()? {
        Command::Read(args) => read::run(args, content),
        Command::Policy(PolicyCommand::Explain(args)) => policy::run_explain(args),
        Command::Check(args) if args.watch => check::watch(content, args, &cli.aws, &args.pace),
        Command::Check(args) => check::run(content, args, &cli.aws),
        Command::Labs(args) => labs::run(content, args),
        Command::Validate => validate::run(content),
        Command::Collect(args) => collect::run(content, args, &cli.aws),
        Command::Quiz(args) => quiz::run(content, args),
        Command::Review(args) => review::run(content, args, &cli.aws),
        Command::Completions(args) => completions::run(args),
        Command::Class(args) => class::run(content, args, &cli.aws),
    })
}

/// The course and its labs (lab problems are reported by the caller).
fn load_labs(content: Option<&Path>) -> anyhow::Result<(crate::course::Course, crate::labs::Labs)> {
    let course = crate::course::Course::load(content)?;
    let labs = crate::labs::Labs::load(&course);
    Ok((course, labs))
}

/// The jobs of the `targets` (every step when empty), or `Err(2)`, the
/// usage exit status, once `command` said which target is unknown.
fn select_or_exit(
    command: &str,
    labs: &crate::labs::Labs,
    targets: &[String],
) -> Result<Vec<crate::runner::Job>, i32> {
    crate::runner::select(labs, targets).map_err(|e| {
        eprintln!("{command}: {e}");
        2
    })
}
