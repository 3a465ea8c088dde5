//! Benchmark: the whole chapter checked live against moto.
//!
//! Starts moto (the test support's server), seeds a finished learner
//! organization in a fresh account, then runs the real `labbook check`
//! (every lab, retries off) a few times and prints wall time, the number of
//! HTTP requests sent (counted by the collector's interceptor), how many
//! were repeats, and the process's peak RSS.
//!
//! Run: `cargo bench --profile dev --bench live` (reuses the test build; a
//! plain `cargo bench` builds the SDK optimized first). Needs `.venv` with
//! moto, which scripts/test.sh creates. Targets: under 1 s, no call
//! repeated, under 50 MB.

#[path = "../tests/it/support/mod.rs"]
#[allow(dead_code)]
mod support;

use std::time::Instant;

fn main() {
    let started = Instant::now();
    let learner = support::block_on(support::seed::finished());
    println!(
        "seeded a finished learner organization in {:.2?} (moto at {})",
        started.elapsed(),
        support::moto().endpoint
    );
    let dir = std::env::temp_dir().join(format!("labbook-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut walls = Vec::new();
    let mut last = String::new();
    for _ in 0..5 {
        let t = Instant::now();
        let out = learner.mgmt.labbook_with_env(
            &dir,
            &["check", "--format", "json"],
            &[("LABBOOK_STATS", "1")],
        );
        walls.push(t.elapsed());
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        last = String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| l.contains("AWS requests"))
            .collect::<Vec<_>>()
            .join(" ");
    }
    let _ = std::fs::remove_dir_all(&dir);
    walls.sort();
    println!(
        "labbook check (whole chapter, 42 steps): wall min {:.0?}, median {:.0?}, max {:.0?}",
        walls[0],
        walls[walls.len() / 2],
        walls[walls.len() - 1]
    );
    println!("{last}");
}
