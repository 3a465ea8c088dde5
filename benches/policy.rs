//! Evaluations per second for the SCP region check (the `scp-regions` lab:
//! every commercial region, root → OU → account) in three forms:
//! `allowed_regions` (the checks' fast path), `decide` on prebuilt requests,
//! and `evaluate` with its explanation. Run: `cargo bench --bench policy`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use labbook::policy::{
    COMMERCIAL_REGIONS, Decision, Policy, PolicySet, Request, allowed_regions, decide, evaluate,
};

const FULL_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const REGION_SCP: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyAllOutsideRequestedRegions","Effect":"Deny",
  "NotAction":["cloudfront:*","iam:*","organizations:*","route53:*","budgets:*","ce:*","globalaccelerator:*",
               "support:*","sts:*","waf:*","health:*","trustedadvisor:*"],
  "Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-central-1","eu-central-2"]}}}]}"#;

fn parse(s: &str) -> Policy {
    match Policy::parse(s) {
        Ok(p) => p,
        Err(e) => panic!("bench policy: {e}"),
    }
}

/// Run `f` (which performs `per_call` evaluations) for about `budget`.
fn measure(name: &str, per_call: usize, budget: Duration, mut f: impl FnMut()) {
    for _ in 0..100 {
        f();
    }
    let start = Instant::now();
    let mut calls = 0u64;
    while start.elapsed() < budget {
        for _ in 0..100 {
            f();
        }
        calls += 100;
    }
    let secs = start.elapsed().as_secs_f64();
    let evals = calls as f64 * per_call as f64;
    println!(
        "{name:<48} {:>12.0} evaluations/s  ({:.0} ns each)",
        evals / secs,
        secs * 1e9 / evals
    );
}

fn main() {
    let set = PolicySet {
        identity: vec![parse(FULL_ACCESS)],
        scp_layers: vec![
            vec![parse(FULL_ACCESS)],
            vec![parse(FULL_ACCESS), parse(REGION_SCP)],
            vec![parse(FULL_ACCESS)],
        ],
        management_account: false,
    };
    let allowed = allowed_regions(&set, "ec2:RunInstances", COMMERCIAL_REGIONS);
    assert_eq!(allowed, ["eu-central-1", "eu-central-2"]);
    let budget = Duration::from_millis(1500);
    let n = COMMERCIAL_REGIONS.len();

    measure(
        "allowed_regions(ec2:RunInstances, every region)",
        n,
        budget,
        || {
            black_box(allowed_regions(
                black_box(&set),
                black_box("ec2:RunInstances"),
                COMMERCIAL_REGIONS,
            ));
        },
    );
    measure(
        "allowed_regions(iam:CreateUser, exempted)",
        n,
        budget,
        || {
            black_box(allowed_regions(
                black_box(&set),
                black_box("iam:CreateUser"),
                COMMERCIAL_REGIONS,
            ));
        },
    );
    let requests: Vec<Request> = COMMERCIAL_REGIONS
        .iter()
        .map(|r| Request::in_region("ec2:RunInstances", r))
        .collect();
    measure("decide(prebuilt request), every region", n, budget, || {
        for r in &requests {
            black_box(decide(black_box(&set), r) == Decision::Allow);
        }
    });
    measure(
        "evaluate(with explanation), every region",
        n,
        budget,
        || {
            for r in &requests {
                black_box(evaluate(black_box(&set), r));
            }
        },
    );
}
