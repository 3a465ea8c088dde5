//! `labbook collect`: the live facts the selected steps need, as a snapshot.

use std::path::Path;

use anyhow::Context;

use super::{AwsArgs, CollectArgs, STATS_ENV, load_labs, select_or_exit};
use crate::runner;

pub fn run(content: Option<&Path>, args: &CollectArgs, aws: &AwsArgs) -> anyhow::Result<i32> {
    let (_, labs) = load_labs(content)?;
    let jobs = match select_or_exit("labbook collect", &labs, &args.targets) {
        Ok(jobs) => jobs,
        Err(status) => return Ok(status),
    };
    let (facts, stats) = match crate::collect::collect_blocking(&aws.reach(), &runner::plan(&jobs))
    {
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
