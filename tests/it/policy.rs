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
            Err(e) => Err(format!(
                "error at {} ({}), expected at {want}",
                e.path, e.message
            )),
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
        return if got == *want {
            Ok(())
        } else {
            Err(format!("allows_outside_service({service}) = {got}"))
        };
    }
    if let Some(want) = c.admin {
        let p = set.identity.first().ok_or("no policy")?;
        let got = is_effectively_admin(p);
        return if got == want {
            Ok(())
        } else {
            Err(format!("is_effectively_admin = {got}"))
        };
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
        return if &got == want {
            Ok(())
        } else {
            Err(format!("allowed in {got:?}"))
        };
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
        return Err(format!(
            "got {:?}; explanation: {:#?}",
            eval.decision, eval.explanation
        ));
    }
    if policy::decide(&set, &request) != eval.decision {
        return Err("decide() disagrees with evaluate()".into());
    }
    for needle in &c.explain {
        if !eval.explanation.iter().any(|l| l.contains(needle.as_str())) {
            return Err(format!(
                "explanation lacks {needle:?}: {:#?}",
                eval.explanation
            ));
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
                assert!(
                    !c.rule.trim().is_empty(),
                    "{}: {} case {i} cites no rule",
                    file.display(),
                    g.name
                );
                if let Err(e) = run_case(g, c) {
                    failures.push(format!(
                        "{} / {} / case {i} ({:?} {:?})\n  rule: {}\n  {e}",
                        file.file_name()
                            .map(|f| f.to_string_lossy())
                            .unwrap_or_default(),
                        g.name,
                        c.action,
                        c.context,
                        c.rule
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(total >= 200, "the corpus has only {total} cases");
}

// ---------------------------------------------------------------------------
// Property tests: generated policies over a vocabulary that exercises every
// element and operator family, and generated requests over matching values.

mod props {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const ACTION_PATTERNS: &[&str] = &[
        "*",
        "*:*",
        "s3:*",
        "s3:Get*",
        "s3:GetObject",
        "ec2:*",
        "ec2:RunInstances",
        "ce:*",
        "ce:Get*",
        "iam:*",
        "iam:Create?ser",
        "*:Get*",
        "c?:*",
        "S3:getobject",
        "sts:AssumeRole",
    ];
    const ACTIONS: &[&str] = &[
        "s3:GetObject",
        "s3:PutObject",
        "ec2:RunInstances",
        "ce:GetCostAndUsage",
        "iam:CreateUser",
        "cx:GetFoo",
        "sts:AssumeRole",
        "CE:listcostcategorydefinitions",
        "zz:GetThing",
        "iam:LabbookProbe",
    ];
    const RESOURCE_PATTERNS: &[&str] = &[
        "*",
        "arn:aws:s3:::b/*",
        "arn:aws:s3:::b/${aws:username}/*",
        "arn:aws:iam::*:role/x",
        "arn:aws:s3:::?",
        "arn:aws:*:*:*:*",
    ];
    const RESOURCES: &[&str] = &[
        "*",
        "arn:aws:s3:::b/k",
        "arn:aws:s3:::b/alice/k",
        "arn:aws:iam::1:role/x",
        "arn:aws:s3:::a",
    ];
    /// (operator, key, values): values valid for the operator, so documents parse.
    const CONDITIONS: &[(&str, &str, &[&str])] = &[
        ("StringEquals", "aws:RequestedRegion", &["eu-central-1"]),
        (
            "StringNotEquals",
            "aws:RequestedRegion",
            &["eu-central-1", "eu-central-2"],
        ),
        ("StringLike", "aws:RequestedRegion", &["eu-*"]),
        (
            "StringNotEqualsIgnoreCase",
            "aws:RequestedRegion",
            &["EU-CENTRAL-1"],
        ),
        (
            "StringEqualsIgnoreCaseIfExists",
            "aws:RequestedRegion",
            &["Eu-Central-1"],
        ),
        (
            "ForAnyValue:StringNotEquals",
            "aws:RequestedRegion",
            &["eu-central-1"],
        ),
        ("ForAnyValue:StringEquals", "aws:TagKeys", &["a", "b"]),
        ("ForAllValues:StringNotLike", "aws:TagKeys", &["x*"]),
        ("ForAllValues:StringEquals", "aws:TagKeys", &["a"]),
        ("BoolIfExists", "aws:MultiFactorAuthPresent", &["false"]),
        ("Bool", "aws:MultiFactorAuthPresent", &["true"]),
        (
            "IpAddress",
            "aws:SourceIp",
            &["10.0.0.0/8", "2001:db8::/32"],
        ),
        ("NotIpAddress", "aws:SourceIp", &["10.0.0.0/8"]),
        ("NumericLessThan", "s3:max-keys", &["10"]),
        ("NumericNotEquals", "s3:max-keys", &["5"]),
        ("DateGreaterThan", "aws:CurrentTime", &["2026-01-01"]),
        (
            "DateLessThanEquals",
            "aws:CurrentTime",
            &["2026-01-01T00:00:00Z"],
        ),
        ("Null", "aws:username", &["true"]),
        ("Null", "aws:username", &["false"]),
        ("ArnLike", "aws:PrincipalArn", &["arn:aws:iam::*:role/a*"]),
        (
            "ArnNotEquals",
            "aws:PrincipalArn",
            &["arn:aws:iam::1:role/admin"],
        ),
        ("StringEqualsIfExists", "aws:username", &["${aws:username}"]),
        ("BinaryEquals", "aws:bin", &["aGk="]),
        ("StringEquals", "aws:PrincipalTag/team", &["dev"]),
        ("StringNotEqualsIfExists", "aws:PrincipalTag/team", &["ops"]),
        ("ForAnyValue:StringLike", "aws:RequestedRegion", &["us-*"]),
        (
            "ArnNotLike",
            "aws:PrincipalArn",
            &["arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_*"],
        ),
        ("BoolIfExists", "aws:SecureTransport", &["true"]),
        ("Null", "aws:PrincipalTag/team", &["false"]),
    ];
    /// (key, possible values; a list means a multivalued key).
    const CONTEXT: &[(&str, &[&[&str]])] = &[
        (
            "aws:RequestedRegion",
            &[
                &["eu-central-1"],
                &["us-east-1"],
                &["EU-CENTRAL-1"],
                &["eu-central-2"],
            ],
        ),
        ("aws:TagKeys", &[&["a"], &["a", "x1"], &["c"], &[]]),
        ("aws:MultiFactorAuthPresent", &[&["true"], &["false"]]),
        (
            "aws:SourceIp",
            &[&["10.1.2.3"], &["192.168.1.1"], &["2001:db8::1"]],
        ),
        ("s3:max-keys", &[&["5"], &["20"], &["x"]]),
        (
            "aws:CurrentTime",
            &[&["2025-06-01T00:00:00Z"], &["2026-06-01T00:00:00Z"]],
        ),
        ("aws:username", &[&["alice"], &["*"]]),
        (
            "aws:PrincipalArn",
            &[
                &["arn:aws:iam::1:role/admin"],
                &["arn:aws:iam::1:role/dev"],
                &[
                    "arn:aws:iam::1:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_Dev_abc",
                ],
            ],
        ),
        ("aws:bin", &[&["aGk="], &["aGk"], &["bad*"]]),
        ("aws:PrincipalTag/team", &[&["dev"], &["ops"], &["qa"]]),
        ("aws:SecureTransport", &[&["true"], &["false"]]),
    ];

    fn pick<T: Clone + std::fmt::Debug + 'static>(xs: &'static [T]) -> impl Strategy<Value = T> {
        proptest::sample::select(xs)
    }

    prop_compose! {
        fn statement(effect: Option<&'static str>)(
            eff in pick(&["Allow", "Deny"]),
            not_action in proptest::bool::weighted(0.2),
            actions in proptest::collection::vec(pick(ACTION_PATTERNS), 1..3),
            not_resource in proptest::bool::weighted(0.15),
            resources in proptest::collection::vec(pick(RESOURCE_PATTERNS), 1..3),
            conds in proptest::collection::vec(pick(CONDITIONS), 0..3),
            sid in proptest::option::of("[A-Za-z0-9]{1,6}"),
        ) -> Value {
            let mut st = serde_json::Map::new();
            if let Some(sid) = sid { st.insert("Sid".into(), json!(sid)); }
            st.insert("Effect".into(), json!(effect.unwrap_or(eff)));
            st.insert((if not_action { "NotAction" } else { "Action" }).into(), json!(actions));
            st.insert((if not_resource { "NotResource" } else { "Resource" }).into(), json!(resources));
            if !conds.is_empty() {
                let mut block = serde_json::Map::new();
                for (op, key, values) in conds {
                    let entry = block.entry(op.to_string()).or_insert_with(|| json!({}));
                    if let Some(m) = entry.as_object_mut() { m.insert(key.to_string(), json!(values)); }
                }
                st.insert("Condition".into(), Value::Object(block));
            }
            Value::Object(st)
        }
    }

    prop_compose! {
        fn policy_doc()(
            v2012 in proptest::bool::weighted(0.8),
            statements in proptest::collection::vec(statement(None), 0..4),
            as_object in proptest::bool::weighted(0.1),
        ) -> Value {
            // Sids must be unique within a policy: keep the generated ones
            // but make them distinct.
            let statements: Vec<Value> = statements.into_iter().enumerate().map(|(i, mut st)| {
                if let Some(sid) = st.get("Sid").and_then(Value::as_str).map(str::to_string) {
                    st["Sid"] = json!(format!("{sid}{i}"));
                }
                st
            }).collect();
            let stmt = if as_object && statements.len() == 1 { statements[0].clone() } else { json!(statements) };
            if v2012 { json!({"Version": "2012-10-17", "Statement": stmt}) } else { json!({"Statement": stmt}) }
        }
    }

    prop_compose! {
        fn request()(
            action in pick(ACTIONS),
            resource in pick(RESOURCES),
            ctx in proptest::collection::vec((0..CONTEXT.len(), 0usize..4), 0..6),
        ) -> Request {
            let mut context = BTreeMap::new();
            for (k, v) in ctx {
                let (key, values) = CONTEXT[k];
                let vals = values[v % values.len()];
                context.insert(key.to_string(), vals.iter().map(|s| s.to_string()).collect());
            }
            Request { action: action.to_string(), resource: resource.to_string(), context }
        }
    }

    fn parse_ok(v: &Value) -> Policy {
        Policy::parse(&v.to_string())
            .unwrap_or_else(|e| panic!("generated policy failed to parse: {e}\n{v}"))
    }

    fn identity_only(p: Policy) -> PolicySet {
        PolicySet {
            identity: vec![p],
            ..PolicySet::default()
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn adding_a_deny_statement_never_turns_a_denial_into_an_allow(
            doc in policy_doc(), deny in statement(Some("Deny")), req in request()
        ) {
            let before = evaluate(&identity_only(parse_ok(&doc)), &req).decision;
            let mut with = doc.clone();
            let mut list = match &with["Statement"] { Value::Array(l) => l.clone(), one => vec![one.clone()] };
            let mut deny = deny;
            if deny.get("Sid").is_some() {
                deny["Sid"] = json!("AddedDeny");
            }
            list.push(deny);
            with["Statement"] = json!(list);
            let after = evaluate(&identity_only(parse_ok(&with)), &req).decision;
            if before != Decision::Allow {
                prop_assert_ne!(after, Decision::Allow);
            }
            if before == Decision::ExplicitDeny {
                prop_assert_eq!(after, Decision::ExplicitDeny);
            }
        }

        #[test]
        fn an_scp_layer_never_widens_what_identity_policies_allow(
            id in policy_doc(), layers in proptest::collection::vec(proptest::collection::vec(policy_doc(), 0..3), 1..4),
            req in request()
        ) {
            let identity = parse_ok(&id);
            let scp_layers: Vec<Vec<Policy>> = layers.iter().map(|l| l.iter().map(parse_ok).collect()).collect();
            let alone = evaluate(&identity_only(identity.clone()), &req).decision;
            let with = PolicySet { identity: vec![identity.clone()], scp_layers: scp_layers.clone(), management_account: false };
            let layered = evaluate(&with, &req).decision;
            if layered == Decision::Allow {
                prop_assert_eq!(alone, Decision::Allow);
            }
            if alone == Decision::ExplicitDeny {
                prop_assert_eq!(layered, Decision::ExplicitDeny);
            }
            // The management account ignores SCPs entirely.
            let mgmt = PolicySet { identity: vec![identity], scp_layers, management_account: true };
            prop_assert_eq!(evaluate(&mgmt, &req).decision, alone);
        }

        #[test]
        fn evaluation_is_deterministic_and_the_fast_path_agrees(
            id in policy_doc(), scp in policy_doc(), req in request()
        ) {
            let set = PolicySet { identity: vec![parse_ok(&id)], scp_layers: vec![vec![parse_ok(&scp)]], management_account: false };
            let a = evaluate(&set, &req);
            let b = evaluate(&set, &req);
            prop_assert_eq!(&a, &b);
            prop_assert_eq!(policy::decide(&set, &req), a.decision);
            prop_assert!(!a.explanation.is_empty());
        }

        #[test]
        fn allowed_regions_agrees_with_evaluating_each_region(id in policy_doc(), scp in policy_doc(), action in pick(ACTIONS)) {
            let set = PolicySet { identity: vec![parse_ok(&id)], scp_layers: vec![vec![parse_ok(&scp)]], management_account: false };
            let fast = allowed_regions(&set, action, COMMERCIAL_REGIONS);
            let slow: Vec<String> = COMMERCIAL_REGIONS.iter()
                .filter(|r| evaluate(&set, &Request::in_region(action, r)).decision == Decision::Allow)
                .map(|r| r.to_string()).collect();
            prop_assert_eq!(fast, slow);
        }

        #[test]
        fn a_policy_said_to_stay_inside_a_service_allows_nothing_outside_it(
            doc in policy_doc(), req in request(), service in pick(&["s3", "ce", "ec2", "iam"])
        ) {
            let p = parse_ok(&doc);
            let req_service = req.action.split(':').next().unwrap_or("").to_ascii_lowercase();
            if !allows_outside_service(&p, service) && req_service != service {
                prop_assert_ne!(evaluate(&identity_only(p), &req).decision, Decision::Allow);
            }
        }

        #[test]
        fn an_admin_policy_without_denies_allows_the_plain_probe_requests(doc in policy_doc()) {
            // "Not an administrator" is the sound answer: if one request
            // allows every probe, the policy must be called an administrator.
            let p = parse_ok(&doc);
            let all_probes_allowed = [policy::PROBE_SERVICE, "iam", "organizations", "account"].iter().all(|svc| {
                let req = Request { action: format!("{svc}:{}", policy::PROBE_ACTION), resource: "*".into(), context: BTreeMap::new() };
                evaluate(&identity_only(p.clone()), &req).decision == Decision::Allow
            });
            if all_probes_allowed {
                prop_assert!(is_effectively_admin(&p));
            }
        }

        // Soundness of the whole-request analysis: "never allowed" is never
        // contradicted by a concrete request, "allowed for every request" is
        // never contradicted, and every witness is a request evaluate allows.
        #[test]
        fn the_analysis_never_misses_an_allowed_request_and_its_witnesses_are_real(
            id in policy_doc(), id2 in policy_doc(),
            layers in proptest::collection::vec(proptest::collection::vec(policy_doc(), 1..3), 0..3),
            req in request(),
            pin_mask in 0u8..16, pin_resource in proptest::bool::weighted(0.3),
        ) {
            let set = PolicySet {
                identity: vec![parse_ok(&id), parse_ok(&id2)],
                scp_layers: layers.iter().map(|l| l.iter().map(parse_ok).collect()).collect(),
                management_account: false,
            };
            // Pin a subset of the request's keys; the rest are open.
            let mut pins = policy::Pins::none();
            for (i, (k, v)) in req.context.iter().enumerate() {
                if pin_mask & (1 << (i % 4)) != 0 {
                    pins.context.insert(k.clone(), v.clone());
                }
            }
            if pin_resource {
                pins.resource = Some(req.resource.clone());
            }
            let decision = evaluate(&set, &req).decision;
            let some = policy::allowed_for_some(&set, &req.action, &pins);
            if decision == Decision::Allow {
                prop_assert!(some.is_some(), "analysis said never allowed, but {:?} is allowed", req);
            }
            if let Some(w) = &some
                && let Some(r) = &w.request
            {
                prop_assert_eq!(evaluate(&set, r).decision, Decision::Allow, "witness {:?}", w);
                prop_assert!(r.action.eq_ignore_ascii_case(&req.action));
                for (k, v) in &pins.context {
                    prop_assert_eq!(r.context.get(k), Some(v));
                }
                if let Some(res) = &pins.resource {
                    prop_assert_eq!(&r.resource, res);
                }
            }
            match policy::allowed_for_every(&set, &req.action, &pins) {
                Ok(()) => prop_assert_eq!(decision, Decision::Allow, "said allowed for every request"),
                Err(w) => if let Some(r) = &w.request {
                    prop_assert_ne!(evaluate(&set, r).decision, Decision::Allow, "denial witness {:?}", w);
                },
            }
        }

        #[test]
        fn service_questions_are_sound_over_sets(
            id in policy_doc(), scp in policy_doc(), req in request(),
            service in pick(&["s3", "ce", "ec2", "iam"]),
        ) {
            let set = PolicySet { identity: vec![parse_ok(&id)], scp_layers: vec![vec![parse_ok(&scp)]], management_account: false };
            let allowed = evaluate(&set, &req).decision == Decision::Allow;
            let req_service = req.action.split(':').next().unwrap_or("").to_ascii_lowercase();
            let none = policy::Pins::none();
            if allowed && req_service != service {
                prop_assert!(policy::outside_service_allowed(&set, service, &none).is_some(), "{:?}", req);
            }
            if allowed {
                prop_assert!(policy::service_allowed(&set, &req_service, &none).is_some(), "{:?}", req);
            }
            // zz is named by no pattern: it stands for every unnamed service.
            if allowed && req_service == "zz" && (req.resource == "*" || req.resource.starts_with("arn:aws:zz:")) {
                prop_assert!(policy::allows_every_service(&set, &none).is_some(), "{:?}", req);
            }
            for q in [policy::outside_service_allowed(&set, service, &none), policy::allows_every_service(&set, &none)].into_iter().flatten() {
                if let Some(r) = &q.request {
                    prop_assert_eq!(evaluate(&set, r).decision, Decision::Allow, "{:?}", q);
                }
            }
        }

        #[test]
        fn parsing_arbitrary_text_never_panics(text in ".{0,200}") {
            let _ = Policy::parse(&text);
        }

        #[test]
        fn parsing_damaged_policies_never_panics_and_errors_carry_a_path(doc in policy_doc(), cut in 0usize..400, junk in "[\\[\\]{}\",:a-z0-9 *?$]{0,8}") {
            let text = doc.to_string();
            let cut = cut.min(text.len());
            let damaged = format!("{}{}{}", &text[..cut], junk, &text[cut..]);
            if let Err(e) = Policy::parse(&damaged) {
                prop_assert!(e.path.starts_with('$'), "{}", e.path);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// `labbook policy explain`, run as a user runs it.

mod explain_cli {
    use crate::cli::labbook;

    fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("write policy");
        p
    }

    const CE_POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "CostExplorerFrankfurt", "Effect": "Allow",
        "Action": ["ce:Get*", "ce:List*"], "Resource": "*",
        "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-central-1"}}}]}"#;
    const REGION_SCP: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Sid": "DenyOtherRegions", "Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-central-2"]}}}]}"#;

    /// Runs `labbook policy explain` with these arguments (paths or strings).
    fn explain<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> std::process::Output {
        labbook()
            .args(["policy", "explain"])
            .args(args)
            .output()
            .expect("run labbook")
    }

    /// `labbook policy explain` of `ce:GetCostAndUsage` against the lab's
    /// Cost Explorer policy, with this `--context`.
    fn explain_cost_explorer(context: &str) -> std::process::Output {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write(&dir, "ce.json", CE_POLICY);
        explain(&[
            p.as_os_str(),
            "--action".as_ref(),
            "ce:GetCostAndUsage".as_ref(),
            "--context".as_ref(),
            context.as_ref(),
        ])
    }

    #[test]
    fn explain_prints_allowed_with_the_matching_statement_and_exits_0() {
        let out = explain_cost_explorer("aws:RequestedRegion=eu-central-1");
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{text}");
        assert!(text.contains("ce:GetCostAndUsage: ALLOWED"), "{text}");
        assert!(text.contains("Sid \"CostExplorerFrankfurt\""), "{text}");
        assert!(
            text.contains("StringEquals aws:RequestedRegion [eu-central-1]` is true"),
            "{text}"
        );
    }

    #[test]
    fn explain_names_the_false_condition_and_exits_1_on_implicit_deny() {
        let out = explain_cost_explorer("aws:RequestedRegion=us-east-1");
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(text.contains("DENIED (implicit deny)"), "{text}");
        assert!(
            text.contains("is false (request value(s): [us-east-1])"),
            "{text}"
        );
    }

    #[test]
    fn explain_with_scp_layers_names_the_denying_layer() {
        let dir = tempfile::tempdir().expect("tempdir");
        let admin = write(
            &dir,
            "admin.json",
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
        );
        let root = write(
            &dir,
            "root.json",
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
        );
        let ou = write(&dir, "ou.json", REGION_SCP);
        let run = |region: &str| {
            let context = format!("aws:RequestedRegion={region}");
            explain(&[
                admin.as_os_str(),
                "--scp".as_ref(),
                root.as_os_str(),
                "--scp".as_ref(),
                ou.as_os_str(),
                "--action".as_ref(),
                "ec2:RunInstances".as_ref(),
                "--resource".as_ref(),
                "*".as_ref(),
                "--context".as_ref(),
                context.as_ref(),
            ])
        };
        let out = run("us-east-1");
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(text.contains("DENIED (explicit deny)"), "{text}");
        assert!(
            text.contains("explicit deny in SCP layer 2 (account)"),
            "{text}"
        );
        assert!(text.contains("DenyOtherRegions"), "{text}");
        let out = run("eu-central-2");
        assert_eq!(out.status.code(), Some(0), "{}", crate::cli::stdout(&out));
    }

    #[test]
    fn explain_reports_a_malformed_policy_with_its_json_path_and_exits_2() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write(
            &dir,
            "bad.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":"x"}}]}"#,
        );
        let out = explain(&[p.as_os_str(), "--action".as_ref(), "s3:GetObject".as_ref()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("$.Statement[1].Condition.StringEquals"),
            "{err}"
        );
    }

    #[test]
    fn explain_rejects_a_context_without_equals_sign_with_exit_2() {
        let out = explain_cost_explorer("aws:RequestedRegion");
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("expected KEY=VALUE"));
    }

    #[test]
    fn explain_exits_2_when_the_policy_file_is_missing() {
        let out = explain(&["/nonexistent/policy.json", "--action", "s3:GetObject"]);
        assert_eq!(out.status.code(), Some(2));
    }
    #[test]
    fn several_identity_policies_are_decided_together() {
        let dir = tempfile::tempdir().expect("tempdir");
        let allow = write(
            &dir,
            "allow.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
        );
        let deny = write(
            &dir,
            "deny.json",
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoDelete","Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}"#,
        );
        let out = explain(&[
            allow.as_os_str(),
            deny.as_os_str(),
            "--action".as_ref(),
            "s3:DeleteBucket".as_ref(),
        ]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(text.contains("DENIED (explicit deny)"), "{text}");
        assert!(text.contains("NoDelete"), "{text}");
        let out = explain(&[
            allow.as_os_str(),
            deny.as_os_str(),
            "--action".as_ref(),
            "s3:GetObject".as_ref(),
        ]);
        assert_eq!(out.status.code(), Some(0));
    }

    #[test]
    fn an_scp_layer_of_several_documents_allows_what_any_of_them_allows() {
        let dir = tempfile::tempdir().expect("tempdir");
        let identity = write(
            &dir,
            "admin.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        );
        let full = write(
            &dir,
            "full.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        );
        let only_ec2 = write(
            &dir,
            "ec2.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#,
        );
        let layer = format!("{},{}", only_ec2.display(), full.display());
        // The OU layer holds an allow-list SCP beside FullAWSAccess: s3 is
        // still allowed, since one document of a layer is enough.
        let out = explain(&[
            identity.as_os_str(),
            "--scp".as_ref(),
            full.as_os_str(),
            "--scp-layer".as_ref(),
            layer.as_ref(),
            "--action".as_ref(),
            "s3:CreateBucket".as_ref(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", crate::cli::stdout(&out));
        // Without FullAWSAccess in that layer, s3 is implicitly denied there.
        let out = explain(&[
            identity.as_os_str(),
            "--scp".as_ref(),
            full.as_os_str(),
            "--scp-layer".as_ref(),
            only_ec2.as_os_str(),
            "--action".as_ref(),
            "s3:CreateBucket".as_ref(),
        ]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(text.contains("implicit deny"), "{text}");
    }

    #[test]
    fn json_output_has_the_decision_and_the_explanation() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write(&dir, "ce.json", CE_POLICY);
        let scp = write(&dir, "scp.json", REGION_SCP);
        for (region, decision, code) in [
            ("eu-central-1", "Allow", 0),
            ("us-east-1", "ExplicitDeny", 1),
        ] {
            let context = format!("aws:RequestedRegion={region}");
            let out = explain(&[
                p.as_os_str(),
                "--scp".as_ref(),
                scp.as_os_str(),
                "--action".as_ref(),
                "ce:GetCostAndUsage".as_ref(),
                "--context".as_ref(),
                context.as_ref(),
                "--format".as_ref(),
                "json".as_ref(),
            ]);
            assert_eq!(out.status.code(), Some(code));
            let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
            assert_eq!(doc["decision"], decision, "{doc}");
            assert!(
                doc["explanation"].as_array().is_some_and(|e| !e.is_empty()),
                "{doc}"
            );
        }
        let out = explain(&[
            p.as_os_str(),
            "--action".as_ref(),
            "ce:GetCostAndUsage".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(doc["decision"], "ImplicitDeny", "{doc}");
    }
}
