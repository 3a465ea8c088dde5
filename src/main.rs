//! The `labbook` binary: parse arguments, run a subcommand or the TUI.

use std::process::ExitCode;

use clap::Parser;
use labbook::cli::{Cli, Command, PolicyCommand};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(Command::Policy(PolicyCommand::Explain(args))) => labbook::policy::run_explain(args),
        Some(Command::Check(args)) => {
            labbook::cli::run_check(cli.content.as_deref(), args, &cli.aws)
        }
        Some(Command::Labs(args)) => labbook::cli::run_labs(cli.content.as_deref(), args),
        Some(Command::Collect(args)) => {
            labbook::cli::run_collect(cli.content.as_deref(), args, &cli.aws)
        }
        Some(Command::Validate) => labbook::cli::run_validate(cli.content.as_deref()),
        Some(Command::Read(args)) => labbook::cli::run_read(args, cli.content.as_deref()),
        None => {
            // The lab view checks a snapshot when given one, else the live account.
            let source: labbook::tui::SourceFactory = match cli.snapshot.clone() {
                Some(path) => Box::new(move |_jobs| {
                    Box::new(labbook::runner::SnapshotFile(path.clone()))
                        as Box<dyn labbook::runner::FactsSource>
                }),
                None => {
                    let aws = cli.aws.clone();
                    Box::new(move |jobs| Box::new(labbook::runner::Live(aws.options(jobs))))
                }
            };
            labbook::tui::run(cli.content.as_deref(), Some(source))
        }
    };
    match result {
        Ok(code) => ExitCode::from(code.clamp(0, 255) as u8),
        Err(e) => {
            eprintln!("labbook: {e:#}");
            ExitCode::from(2)
        }
    }
}
