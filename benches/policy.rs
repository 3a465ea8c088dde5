//! Evaluations per second for the SCP region check (the `scp-regions` lab:
//! every commercial region, root → OU → account) in three forms:
//! `allowed_regions` (the checks' fast path), `decide` on prebuilt requests,
//! and `evaluate` with its explanation; then the whole-request analysis
//! (`allowed_for_some` / `allowed_for_every` over every region and the
//! chapter's identities) as the chapter's policy checks run it on a finished
//! learner's facts (`assets/demo/finished.json`), and every check of the
//! chapter on those facts (target: under 2 ms).
//! Run: `cargo bench --bench policy`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use labbook::checks::{self, Params, Status};
use labbook::facts::Facts;
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

/// Time one call of `f` (averaged over as many calls as fit in `budget`).
fn time_per_call(name: &str, budget: Duration, mut f: impl FnMut()) {
    for _ in 0..3 {
        f();
    }
    let start = Instant::now();
    let mut calls = 0u64;
    while start.elapsed() < budget {
        f();
        calls += 1;
    }
    let per = start.elapsed().as_secs_f64() / calls as f64;
    println!("{name:<48} {:>12.3} ms per run", per * 1e3);
}

fn chapter_checks(budget: Duration) {
    let facts: Facts = match serde_json::from_str(include_str!("../assets/demo/finished.json")) {
        Ok(f) => f,
        Err(e) => panic!("finished.json: {e}"),
    };
    let policy_kinds = [
        "iam-scoped-policy",
        "sso-restricted-permission-set",
        "scp-region-deny",
        "scp-region-deny-attached",
        "scp-full-access-kept",
    ];
    let policy_checks: Vec<_> = checks::ALL
        .iter()
        .filter(|c| policy_kinds.contains(&c.meta.kind))
        .collect();
    assert_eq!(policy_checks.len(), policy_kinds.len());
    for c in &policy_checks {
        let o = (c.evaluate)(&facts, &Params::defaults(c.meta));
        assert_eq!(o.status, Status::Pass, "{}: {}", c.meta.kind, o.message);
    }
    time_per_call("per-request analysis: the 5 policy checks", budget, || {
        for c in &policy_checks {
            black_box((c.evaluate)(black_box(&facts), &Params::defaults(c.meta)));
        }
    });
    time_per_call("every check of the chapter, finished facts", budget, || {
        for c in checks::ALL {
            black_box((c.evaluate)(black_box(&facts), &Params::defaults(c.meta)));
        }
    });
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
    chapter_checks(budget);
}
