//! Benchmark: the whole chapter checked live against moto.
//!
//! Starts moto (the test support's server), seeds a finished learner
//! organization in a fresh account, then runs the real `labbook check`
//! (every lab, retries off) a few times and prints wall time, the number of
//! HTTP requests sent (counted by the collector's interceptor), how many
//! were repeats, labbook's and moto's CPU seconds per check, and the
//! process's peak RSS. Then the same check through a relay that adds
//! 100 ms to every request (`support::relay`): the round trips on its
//! critical path, (wall with the delay − wall without) / delay.
//!
//! Then the watch: four steps of different labs watched through the
//! runner's worker (one kept session), printing the requests of the first
//! cycle (which connects) and of each later cycle, per operation, and a
//! steady cycle's round trips.
//!
//! Run: `cargo bench --bench live` (release settings), or
//! `cargo bench --profile dev --bench live` to reuse the test build.
//! `LABBOOK_BENCH_BIN=path/to/labbook` times another build of the binary on
//! the same seeds. Needs `.venv` with moto, which scripts/test.sh creates.
//! Targets: under 1 s, no call repeated, under 50 MB, at most 10 round
//! trips for the whole chapter.

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
    let moto = support::measure::moto_pid();
    let (cpu0, moto0) = (
        support::measure::children_cpu(),
        moto.map(support::measure::cpu_of).unwrap_or(0.0),
    );
    let runs = 5;
    for _ in 0..runs {
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
    let cpu = (support::measure::children_cpu() - cpu0) / runs as f64;
    let moto_cpu = (moto.map(support::measure::cpu_of).unwrap_or(0.0) - moto0) / runs as f64;
    walls.sort();
    println!(
        "labbook check (whole chapter, 42 steps): wall min {:.0?}, median {:.0?}, max {:.0?}; CPU per check: labbook {cpu:.3} s, moto {moto_cpu:.3} s",
        walls[0],
        walls[walls.len() / 2],
        walls[walls.len() - 1]
    );
    println!("{last}");
    let rounds = rounds(&learner, &dir, walls[walls.len() / 2]);
    println!(
        "round trips on the critical path (whole chapter, {DELAY:?} added to every request): {rounds:.1}"
    );
    let _ = std::fs::remove_dir_all(&dir);
    watch_cycles(&learner);
}

/// The delay the relay adds to every request when counting round trips.
const DELAY: std::time::Duration = std::time::Duration::from_millis(100);

/// Sequential round trips of a whole-chapter check: its wall time through
/// a relay that adds [`DELAY`] to every request, less `plain` (the median
/// without), divided by the delay.
fn rounds(
    learner: &support::seed::Learner,
    dir: &std::path::Path,
    plain: std::time::Duration,
) -> f64 {
    let relay = support::relay::Relay::start(&support::moto().endpoint, DELAY);
    let mut walls = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let out = learner.mgmt.labbook_with_env(
            dir,
            &["check", "--format", "json"],
            &[("AWS_ENDPOINT_URL", relay.endpoint.as_str())],
        );
        walls.push(t.elapsed());
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    walls.sort();
    let delayed = walls[walls.len() / 2];
    println!(
        "labbook check through the relay: wall median {:.0} ms (without: {:.0} ms)",
        delayed.as_secs_f64() * 1e3,
        plain.as_secs_f64() * 1e3
    );
    delayed.saturating_sub(plain).as_secs_f64() / DELAY.as_secs_f64()
}

/// Requests per watch cycle for steps of different labs, through the
/// worker as the TUI and `check --watch` use it.
fn watch_cycles(learner: &support::seed::Learner) {
    use labbook::runner::{self, LiveSession, RunEvent, Worker};
    let labs = labbook::labs::Labs::load(&labbook::course::Course::embedded());
    let reach = learner.mgmt.reach(&[]);
    let relay = support::relay::Relay::start(&support::moto().endpoint, DELAY);
    println!(
        "watch cycles (requests; the first cycle connects: sts:GetCallerIdentity, and assumes member roles; round trips with {DELAY:?} added):"
    );
    for step in support::WATCHED_STEPS {
        let jobs = runner::select(&labs, &[step.to_string()]).expect("step");
        let worker = Worker::start(Box::new(LiveSession::new(reach.clone())));
        let mut counts = Vec::new();
        let mut walls = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            let mut n = 0;
            for ev in worker.watch(jobs.clone()) {
                if let RunEvent::Collected { requests, .. } = ev {
                    n = requests.unwrap_or(0);
                }
            }
            walls.push(t.elapsed());
            counts.push(n);
        }
        // The operations of a steady cycle, from the same plan.
        let conn = labbook::collect::Connection::new(reach.clone()).expect("runtime");
        let plan = runner::plan_watch(&jobs);
        conn.collect(&plan).expect("first");
        let t = Instant::now();
        let (_, stats) = conn.collect(&plan).expect("steady");
        let direct = t.elapsed();
        // The same steady cycle through the relay: its round trips.
        let relayed = labbook::collect::Connection::new(labbook::collect::Reach {
            endpoint_url: Some(relay.endpoint.clone()),
            ..reach.clone()
        })
        .expect("runtime");
        relayed.collect(&plan).expect("first, relayed");
        let t = Instant::now();
        relayed.collect(&plan).expect("steady, relayed");
        let rounds = t.elapsed().saturating_sub(direct).as_secs_f64() / DELAY.as_secs_f64();
        let ops: Vec<String> = stats
            .requests
            .iter()
            .map(|(op, n)| format!("{op} ×{n}"))
            .collect();
        println!(
            "  {step:<20} first {:>2}, then {:>2} per cycle ({:.0?} per steady cycle, {rounds:.1} round trips): {}",
            counts[0],
            counts[1],
            walls[1..].iter().sum::<std::time::Duration>() / (walls.len() as u32 - 1),
            ops.join(", ")
        );
        assert!(
            counts[1..].iter().all(|n| *n == counts[1]),
            "{step}: {counts:?}"
        );
    }
}
