//! Benchmark: a class checked live against moto, and a big class graded
//! offline. Prints numbers; times nothing against a threshold.
//!
//! Seeds LEARNERS learner organizations in moto, each finished to a
//! different point, then runs the real `labbook class check` and prints
//! wall time, labbook's CPU time (user+sys of the child), the moto server's
//! CPU time during the run (from `/proc`), requests and peak RSS; the same
//! for one learner's `labbook check`. Then grades 1,000 learners' snapshots
//! offline (`class check --snapshots`).
//!
//! Run: `cargo bench --profile dev --bench class` (40 learners unless
//! `CLASS_LEARNERS=N`; the default concurrency unless `CLASS_CONCURRENCY`
//! lists others, e.g. `4,8,16`). Needs `.venv` with moto
//! (`LABBOOK_MOTO_PYTHON`).

#[path = "../tests/it/support/mod.rs"]
#[allow(dead_code)]
mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use aws_sdk_organizations::types::OrganizationFeatureSet;
use support::measure::{children_cpu, cpu_of, moto_pid};
use support::seed::{self, CognitoLab, Learner};

/// A learner finished to point `n % 6`.
async fn learner(n: usize) -> String {
    let mgmt = support::Account::enter_async(&support::random_account_id()).await;
    if n.is_multiple_of(6) {
        return seed::finished().await.mgmt.id;
    }
    let l = Learner::organization(mgmt, OrganizationFeatureSet::All).await;
    if n % 6 >= 2 {
        l.scp_regions(&l.ous["management"].clone()).await;
    }
    if n % 6 >= 3 {
        seed::kms_key(&l.mgmt, n.is_multiple_of(2)).await;
    }
    if n % 6 >= 4 {
        CognitoLab::solved().seed(&l.mgmt).await;
    }
    if n % 6 >= 5 {
        l.org_trail("log-archive", true, true, true).await;
    }
    l.mgmt.id
}

struct Measured {
    wall: Duration,
    labbook_cpu: f64,
    moto_cpu: f64,
    stderr: String,
    code: Option<i32>,
}

fn measure(moto: Option<u32>, f: impl FnOnce() -> std::process::Output) -> Measured {
    let cpu0 = children_cpu();
    let moto0 = moto.map(cpu_of).unwrap_or(0.0);
    let t = Instant::now();
    let out = f();
    Measured {
        wall: t.elapsed(),
        labbook_cpu: children_cpu() - cpu0,
        moto_cpu: moto.map(cpu_of).unwrap_or(0.0) - moto0,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code(),
    }
}

fn stats_line(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| l.contains("AWS requests"))
        .collect::<Vec<_>>()
        .join(" | ")
}

fn main() {
    let n: usize = std::env::var("CLASS_LEARNERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let t = Instant::now();
    let accounts: Vec<String> = support::block_on(async { futures_for(n).await });
    println!("seeded {n} learner organizations in {:.1?}", t.elapsed());
    let moto = moto_pid();
    let dir = std::env::temp_dir().join(format!("labbook-class-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let mut roster = String::from("class: bench\nlearners:\n");
    for (i, a) in accounts.iter().enumerate() {
        roster.push_str(&format!("  - name: learner{i:03}\n    account: \"{a}\"\n"));
    }
    let roster_path = dir.join("roster.yaml");
    std::fs::write(&roster_path, roster).expect("roster");
    let instructor = support::Account::fresh();
    let rp = roster_path.display().to_string();

    let one = measure(moto, || {
        support::Account::enter(&accounts[0]).labbook_with_env(
            &dir,
            &["check", "--format", "json"],
            &[("LABBOOK_STATS", "1")],
        )
    });
    println!(
        "one learner's labbook check: wall {:.2?}, labbook CPU {:.2} s, moto CPU {:.2} s; {}",
        one.wall,
        one.labbook_cpu,
        one.moto_cpu,
        stats_line(&one.stderr)
    );
    let default = labbook::class::DEFAULT_CONCURRENCY.to_string();
    let sweep = std::env::var("CLASS_CONCURRENCY").unwrap_or(default);
    for concurrency in sweep.split(',').map(str::trim) {
        let class = measure(moto, || {
            instructor.labbook_with_env(
                &dir,
                &[
                    "class",
                    "check",
                    "--roster",
                    &rp,
                    "--format",
                    "json",
                    "--out",
                    &dir.join("out.json").display().to_string(),
                    "--no-history",
                    "--concurrency",
                    concurrency,
                ],
                &[("LABBOOK_STATS", "1")],
            )
        });
        println!(
            "class check, {n} learners, concurrency {concurrency}: exit {:?}, wall {:.2?}, labbook CPU {:.2} s ({:.3} s per learner, {:.2}x one learner's check), moto CPU {:.2} s, wall/moto-CPU {:.2}; {}",
            class.code,
            class.wall,
            class.labbook_cpu,
            class.labbook_cpu / n as f64,
            class.labbook_cpu / n as f64 / one.labbook_cpu.max(0.001),
            class.moto_cpu,
            class.wall.as_secs_f64() / class.moto_cpu.max(0.001),
            stats_line(&class.stderr),
        );
    }

    // 1,000 learners' snapshots graded offline.
    let snaps = dir.join("snaps");
    let collect = measure(moto, || {
        instructor.labbook(
            &dir,
            &[
                "class",
                "collect",
                "--roster",
                &rp,
                "--out",
                &snaps.display().to_string(),
            ],
        )
    });
    println!(
        "class collect, {n} learners: wall {:.2?} (exit {:?})",
        collect.wall, collect.code
    );
    let big = dir.join("big");
    make_big(&snaps, &big, 1000);
    let offline = measure(None, || {
        instructor.labbook_with_env(
            &dir,
            &[
                "class",
                "check",
                "--snapshots",
                &big.display().to_string(),
                "--format",
                "csv",
                "--out",
                &dir.join("big.csv").display().to_string(),
                "--no-history",
            ],
            &[("LABBOOK_STATS", "1")],
        )
    });
    println!(
        "class check --snapshots, 1000 learners: exit {:?}, wall {:.2?}, CPU {:.2} s{}",
        offline.code,
        offline.wall,
        offline.labbook_cpu,
        peak_rss_note(&offline.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn peak_rss_note(stderr: &str) -> String {
    stderr
        .lines()
        .find_map(|l| l.split("peak RSS ").nth(1))
        .map(|r| format!(", peak RSS {r}"))
        .unwrap_or_default()
}

async fn futures_for(n: usize) -> Vec<String> {
    let mut out = Vec::new();
    // A few at a time: moto is one process.
    for chunk in (0..n).collect::<Vec<_>>().chunks(4) {
        let got = futures_util::future::join_all(chunk.iter().map(|i| learner(*i))).await;
        out.extend(got);
    }
    out
}

/// A snapshot directory of `count` learners made from the collected ones.
fn make_big(from: &Path, to: &Path, count: usize) {
    std::fs::create_dir_all(to).expect("dir");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(from.join("class.json")).expect("manifest"))
            .expect("json");
    let sources: Vec<String> = manifest["learners"]
        .as_array()
        .expect("learners")
        .iter()
        .filter_map(|l| l["snapshot"].as_str().map(String::from))
        .collect();
    let mut learners = Vec::new();
    for i in 0..count {
        let account = format!("{:012}", 500_000_000_000u64 + i as u64);
        let src = &sources[i % sources.len()];
        std::fs::copy(from.join(src), to.join(format!("{account}.json"))).expect("copy");
        learners.push(serde_json::json!({"name": format!("l{i:04}"), "account": account, "snapshot": format!("{account}.json")}));
    }
    let m =
        serde_json::json!({"class": "big", "time": "2026-01-01T00:00:00Z", "learners": learners});
    std::fs::write(to.join("class.json"), m.to_string()).expect("manifest");
}
