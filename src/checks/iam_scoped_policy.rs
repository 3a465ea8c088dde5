//! `iam-cost-explorer/policy`: a customer-managed policy whose default
//! version, evaluated, allows the Cost Explorer read actions in
//! `eu-central-1` only and nothing outside `ce:`.
//!
//! Decided by [`crate::policy`]: every way of writing the policy (wildcards,
//! lists, `StringEquals`/`StringLike`/`IgnoreCase`, a Deny with
//! `StringNotEquals`) is accepted because the evaluator decides, not the
//! spelling. Every commercial region is tested, not a sample.

use super::{CheckMeta, IAM_POLICIES, Outcome, ParamDefault, ParamSpec, Params, ev, need, run};
use crate::facts::{Facts, Iam, ManagedPolicy};
use crate::policy::{self, COMMERCIAL_REGIONS, Decision, Policy, Request};

pub const META: CheckMeta = CheckMeta {
    kind: "iam-scoped-policy",
    title: "A customer-managed policy allows the Cost Explorer reads in one region and nothing else",
    reads: &[IAM_POLICIES],
    params: &[
        ParamSpec {
            name: "actions",
            doc: "Actions the policy must allow in the region",
            default: ParamDefault::List(&["ce:GetCostAndUsage", "ce:ListCostCategoryDefinitions"]),
        },
        ParamSpec {
            name: "region",
            doc: "The only region (aws:RequestedRegion) the actions may be allowed in",
            default: ParamDefault::Str("eu-central-1"),
        },
        ParamSpec {
            name: "service",
            doc: "Service prefix the policy must not reach beyond (least privilege)",
            default: ParamDefault::Str("ce"),
        },
    ],
};

/// Why a policy is not the lab's policy, in words (`Ok` when it is).
pub(crate) fn judge(policy: &ManagedPolicy, params: &Params) -> Result<(), String> {
    let parsed = Policy::parse(&policy.document)
        .map_err(|e| format!("its default version does not parse ({e})"))?;
    let region = params.str("region");
    for action in params.list("actions") {
        let here = policy::evaluate_policy(&parsed, &Request::in_region(action, region));
        if here.decision != Decision::Allow {
            return Err(format!("it does not allow {action} in {region}"));
        }
        let elsewhere: Vec<&str> = COMMERCIAL_REGIONS
            .iter()
            .copied()
            .filter(|r| *r != region)
            .filter(|r| {
                policy::evaluate_policy(&parsed, &Request::in_region(action, r)).decision
                    == Decision::Allow
            })
            .collect();
        if let Some(first) = elsewhere.first() {
            return Err(format!(
                "it also allows {action} in {} other region(s), e.g. {first}",
                elsewhere.len()
            ));
        }
    }
    let service = params.str("service");
    if policy::allows_outside_service(&parsed, service) {
        return Err(format!("it also allows actions outside `{service}:`"));
    }
    Ok(())
}

/// The customer-managed policies that are the lab's policy.
pub(crate) fn qualifying<'a>(iam: &'a Iam, params: &Params) -> Vec<&'a ManagedPolicy> {
    iam.policies
        .iter()
        .filter(|p| judge(p, params).is_ok())
        .collect()
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let iam = need(&facts.iam, "the IAM policies")?;
        let actions = params.list("actions").join(" and ");
        let region = params.str("region");
        let note = ev(
            "note",
            "Cost Explorer's API is served from us-east-1, so a policy pinned to eu-central-1 by aws:RequestedRegion blocks CLI and SDK calls; the lab is written this way on purpose.",
        );
        if iam.policies.is_empty() {
            return Ok(Outcome::fail(format!(
                "Account {} has no customer-managed policy; create one that allows {actions} only in {region}.",
                facts.account_id
            ))
            .with_all(vec![note]));
        }
        let mut evidence = Vec::new();
        let mut good = Vec::new();
        for p in &iam.policies {
            match judge(p, params) {
                Ok(()) => {
                    evidence.push(ev(&p.name, "allows exactly what the lab asks"));
                    good.push(p.name.clone());
                }
                Err(why) => evidence.push(ev(&p.name, why)),
            }
        }
        evidence.push(note);
        if let Some(name) = good.first() {
            return Ok(Outcome::pass(format!(
                "Policy `{name}` allows {actions} in {region} only, and nothing outside `{}:`.",
                params.str("service")
            ))
            .with_all(evidence));
        }
        let closest = &evidence[0];
        Ok(Outcome::fail(format!(
            "No customer-managed policy allows {actions} in {region} alone: `{}` fails because {}; fix its default version.",
            closest.key, closest.value
        ))
        .with_all(evidence))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;
    use crate::facts::Collected;

    fn c() -> &'static crate::checks::Check {
        check(META.kind)
    }

    fn with_document(doc: &str) -> Facts {
        let mut f = finished();
        let iam = ok_mut(&mut f.iam);
        iam.policies = vec![ManagedPolicy {
            name: "CostExplorerFrankfurt".into(),
            arn: "arn:aws:iam::111111111111:policy/CostExplorerFrankfurt".into(),
            default_version_id: "v1".into(),
            document: doc.into(),
        }];
        f
    }

    const CONDITION_EQUALS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ce:GetCostAndUsage","ce:ListCostCategoryDefinitions"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-central-1"}}}]}"#;

    #[test]
    fn passes_on_the_finished_account() {
        assert_status(&eval(c(), &finished()), Status::Pass);
    }

    #[test]
    fn passes_with_string_equals_and_an_action_list() {
        assert_status(&eval(c(), &with_document(CONDITION_EQUALS)), Status::Pass);
    }

    #[test]
    fn passes_with_a_wildcard_and_string_like() {
        let doc = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ce:Get*","Resource":"*","Condition":{"StringLike":{"aws:RequestedRegion":"eu-central-1"}}}}"#;
        let doc_list = doc.replace("\"ce:Get*\"", "[\"ce:Get*\",\"ce:List*\"]");
        assert_status(&eval(c(), &with_document(&doc_list)), Status::Pass);
    }

    #[test]
    fn passes_with_ignore_case() {
        let doc = CONDITION_EQUALS.replace("StringEquals", "StringEqualsIgnoreCase");
        assert_status(&eval(c(), &with_document(&doc)), Status::Pass);
    }

    #[test]
    fn passes_with_ce_star_and_a_deny_string_not_equals() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ce:*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-central-1"}}}]}"#;
        assert_status(&eval(c(), &with_document(doc)), Status::Pass);
    }

    #[test]
    fn a_policy_without_the_region_condition_fails() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ce:*","Resource":"*"}]}"#;
        let o = eval(c(), &with_document(doc));
        assert_status(&o, Status::Fail);
        assert!(o.message.contains("other region"), "{}", o.message);
    }

    #[test]
    fn a_policy_pinned_to_another_region_fails() {
        let doc = CONDITION_EQUALS.replace("eu-central-1", "us-east-1");
        assert_status(&eval(c(), &with_document(&doc)), Status::Fail);
    }

    #[test]
    fn a_policy_missing_one_action_fails() {
        let doc = CONDITION_EQUALS.replace(",\"ce:ListCostCategoryDefinitions\"", "");
        let o = eval(c(), &with_document(&doc));
        assert_status(&o, Status::Fail);
        assert!(
            o.message.contains("ce:ListCostCategoryDefinitions"),
            "{}",
            o.message
        );
    }

    #[test]
    fn a_policy_that_also_allows_other_services_fails_least_privilege() {
        let doc = CONDITION_EQUALS.replace(
            "\"ce:ListCostCategoryDefinitions\"]",
            "\"ce:ListCostCategoryDefinitions\",\"s3:ListBucket\"]",
        );
        let o = eval(c(), &with_document(&doc));
        assert_status(&o, Status::Fail);
        assert!(o.message.contains("outside `ce:`"), "{}", o.message);
    }

    #[test]
    fn a_string_that_merely_mentions_the_actions_is_not_enough() {
        // Spelled right, but the effect is Deny: string matching would pass it.
        let doc = CONDITION_EQUALS.replace("\"Allow\"", "\"Deny\"");
        assert_status(&eval(c(), &with_document(&doc)), Status::Fail);
    }

    #[test]
    fn no_customer_managed_policy_fails() {
        let mut f = finished();
        ok_mut(&mut f.iam).policies.clear();
        assert_status(&eval(c(), &f), Status::Fail);
    }

    #[test]
    fn unreadable_iam_is_unknown() {
        let mut f = finished();
        f.iam = Collected::Unavailable(crate::facts::Unavailable::denied("iam:ListPolicies"));
        assert_status(&eval(c(), &f), Status::Unknown);
    }

    #[test]
    fn the_detail_mentions_that_cost_explorer_lives_in_us_east_1() {
        let o = eval(c(), &finished());
        assert!(o.evidence.iter().any(|e| e.value.contains("us-east-1")));
    }
}
