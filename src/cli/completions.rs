//! `labbook completions SHELL`: a completion script generated from the clap
//! types, so every subcommand and flag is completed as it is defined.

use clap::CommandFactory;
use clap_complete::{Shell as Target, generate};

use super::{Cli, CompletionsArgs, Shell};

pub fn run(args: &CompletionsArgs) -> anyhow::Result<i32> {
    let target = match args.shell {
        Shell::Bash => Target::Bash,
        Shell::Zsh => Target::Zsh,
        Shell::Fish => Target::Fish,
    };
    let mut cmd = Cli::command();
    generate(
        target,
        &mut cmd,
        crate::strings::APP,
        &mut std::io::stdout(),
    );
    Ok(0)
}
