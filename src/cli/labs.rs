//! `labbook labs`: labs and steps with the last known outcome, marked and
//! counted exactly as the labs screen shows them.

use std::fmt::Write as _;
use std::path::Path;

use super::{LabsArgs, load_labs};
use crate::progress::{self, Progress};
use crate::report::marker;

pub fn run(content: Option<&Path>, args: &LabsArgs) -> anyhow::Result<i32> {
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
        let (done, total) = progress::lab_done(lab, |s| progress.shown(account, &lab.id, s));
        let _ = writeln!(out, "\n{} — {}  {done}/{total}", lab.id, lab.title);
        let width = lab.steps.iter().map(|s| s.id.len()).max().unwrap_or(0);
        for s in &lab.steps {
            let mark = marker(progress.shown(account, &lab.id, s), s.advice);
            let when = account
                .and_then(|a| progress.get(a, &lab.id, &s.id))
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
