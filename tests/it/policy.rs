//! The policy evaluator against the table-driven corpus in `tests/policy/`,
//! property tests of its invariants, and `labbook policy explain` run as a
//! user runs it.
//!
//! Corpus format (YAML; policies are written as JSON, which YAML accepts):
//! a list of groups, each with the policies under test and its `cases`.
//! Every case names the documented AWS rule it pins in `rule:` and asserts
//! exactly one of: `expect` (a decision, with `explain` substrings),
//! `regions_allowed` (over every commercial region), `outside` (service and
//! answer for `allows_outside_service`), `admin` (`is_effectively_admin`),
//! or `error_path` (the JSON path of a parse error).

use std::collections::BTreeMap;
use std::path::Path;

use labbook::policy::{
    self, COMMERCIAL_REGIONS, Decision, Policy, PolicySet, Request, allowed_regions,
    allows_outside_service, evaluate, is_effectively_admin,
};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Group {
    name: String,
    /// The identity policy (a JSON object, or a JSON string for malformed text).
    #[serde(default)]
    policy: Option<Value>,
    /// More identity policies.
    #[serde(default)]
    identity: Vec<Value>,
    /// SCP layers, root first.
    #[serde(default)]
    scps: Vec<Vec<Value>>,
    #[serde(default)]
    management_account: bool,
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    rule: String,
    /// Overrides the group's identity policy.
    #[serde(default)]
    policy: Option<Value>,
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    resource: Option<String>,
    #[serde(default)]
    context: BTreeMap<String, Value>,
    #[serde(default)]
    expect: Option<String>,
    #[serde(default)]
    explain: Vec<String>,
    #[serde(default)]
    regions_allowed: Option<Vec<String>>,
    #[serde(default)]
    outside: Option<(String, bool)>,
    #[serde(default)]
    admin: Option<bool>,
    #[serde(default)]
    error_path: Option<String>,
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn parse(v: &Value) -> Result<Policy, String> {
    Policy::parse(&text(v)).map_err(|e| e.to_string())
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Run one case; `Err` describes the mismatch.
fn run_case(g: &Group, c: &Case) -> Result<(), String> {
    let policy_value = c.policy.as_ref().or(g.policy.as_ref());
    if let Some(want) = &c.error_path {
        let v = policy_value.ok_or("error_path case without a policy")?;
        return match Policy::parse(&text(v)) {
            Ok(_) => Err(format!("parsed, expected an error at {want}")),
            Err(e) if &e.path == want => Ok(()),
            Err(e) => Err(format!("error at {} ({}), expected at {want}", e.path, e.message)),
        };
    }
    let mut identity = Vec::new();
    if let Some(v) = policy_value {
        identity.push(parse(v)?);
    }
    for v in &g.identity {
        identity.push(parse(v)?);
    }
    let scp_layers = g
        .scps
        .iter()
        .map(|layer| layer.iter().map(parse).collect::<Result<Vec<_>, _>>())
        .collect::<Result<Vec<_>, _>>()?;
    let set = PolicySet {
        identity,
        scp_layers,
        management_account: g.management_account,
    };
    if let Some((service, want)) = &c.outside {
        let p = set.identity.first().ok_or("no policy")?;
        let got = allows_outside_service(p, service);
        return if got == *want { Ok(()) } else { Err(format!("allows_outside_service({service}) = {got}")) };
    }
    if let Some(want) = c.admin {
        let p = set.identity.first().ok_or("no policy")?;
        let got = is_effectively_admin(p);
        return if got == want { Ok(()) } else { Err(format!("is_effectively_admin = {got}")) };
    }
    let action = c.action.as_deref().ok_or("case without action")?;
    if let Some(want) = &c.regions_allowed {
        let got = allowed_regions(&set, action, COMMERCIAL_REGIONS);
        // The fast path must agree with the explained one, region by region.
        for r in COMMERCIAL_REGIONS {
            let slow = evaluate(&set, &Request::in_region(action, r)).decision == Decision::Allow;
            if slow != got.iter().any(|g| g == r) {
                return Err(format!("allowed_regions and evaluate disagree on {r}"));
            }
        }
        return if &got == want { Ok(()) } else { Err(format!("allowed in {got:?}")) };
    }
    let context = c
        .context
        .iter()
        .map(|(k, v)| {
            let vals = match v {
                Value::Array(items) => items.iter().map(scalar).collect(),
                other => vec![scalar(other)],
            };
            (k.clone(), vals)
        })
        .collect();
    let request = Request {
        action: action.to_string(),
        resource: c.resource.clone().unwrap_or_else(|| "*".to_string()),
        context,
    };
    let eval = evaluate(&set, &request);
    let want = match c.expect.as_deref() {
        Some("allow") => Decision::Allow,
        Some("explicit-deny") => Decision::ExplicitDeny,
        Some("implicit-deny") => Decision::ImplicitDeny,
        other => return Err(format!("bad or missing expect: {other:?}")),
    };
    if eval.decision != want {
        return Err(format!("got {:?}; explanation: {:#?}", eval.decision, eval.explanation));
    }
    if policy::decide(&set, &request) != eval.decision {
        return Err("decide() disagrees with evaluate()".into());
    }
    for needle in &c.explain {
        if !eval.explanation.iter().any(|l| l.contains(needle.as_str())) {
            return Err(format!("explanation lacks {needle:?}: {:#?}", eval.explanation));
        }
    }
    Ok(())
}

#[test]
fn corpus_cases_decide_as_the_aws_rules_they_cite() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/policy");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/policy")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let mut total = 0;
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read corpus");
        let groups: Vec<Group> =
            serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for g in &groups {
            for (i, c) in g.cases.iter().enumerate() {
                total += 1;
                assert!(!c.rule.trim().is_empty(), "{}: {} case {i} cites no rule", file.display(), g.name);
                if let Err(e) = run_case(g, c) {
                    failures.push(format!(
                        "{} / {} / case {i} ({:?} {:?})\n  rule: {}\n  {e}",
                        file.file_name().map(|f| f.to_string_lossy()).unwrap_or_default(),
                        g.name,
                        c.action,
                        c.context,
                        c.rule
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {total} cases failed:\n{}", failures.len(), failures.join("\n"));
    assert!(total >= 200, "the corpus has only {total} cases");
}
