//! The `labbook` binary: parse arguments, run a subcommand or the TUI.

use std::process::ExitCode;

use clap::Parser;
use labbook::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match labbook::cli::dispatch(&cli) {
        Some(result) => result,
        None => {
            // The lab view checks a snapshot when given one, else the live account.
            let source: labbook::tui::SourceFactory = match cli.snapshot.clone() {
                Some(path) => Box::new(move |_jobs| {
                    Box::new(labbook::runner::SnapshotFile(path.clone()))
                        as Box<dyn labbook::runner::FactsSource>
                }),
                None => {
                    let reach = cli.aws.reach();
                    Box::new(move |_jobs| {
                        Box::new(labbook::runner::LiveSession::new(reach.clone()))
                    })
                }
            };
            labbook::tui::run_with(
                cli.content.as_deref(),
                Some(source),
                cli.watch.tui_options(),
                None,
            )
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
