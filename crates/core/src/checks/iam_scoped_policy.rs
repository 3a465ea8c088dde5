//! `iam-cost-explorer/policy`: a customer-managed policy whose default
//! version, evaluated, allows the Cost Explorer read actions in
//! `eu-central-1` only and nothing outside `ce:`.
//!
//! Decided by [`crate::policy`]: every way of writing the policy (wildcards,
//! lists, `StringEquals`/`StringLike`/`IgnoreCase`, a Deny with
//! `StringNotEquals`) is accepted because the evaluator decides, not the
//! spelling. Every commercial region (and one that does not exist yet) is
//! tested, each over every request the region leaves open
//! ([`policy::allowed_for_some`]): an Allow conditioned on MFA or a tag
//! counts, since some request meets it.

use super::{CheckMeta, IAM_POLICIES, Outcome, ParamDefault, ParamSpec, Params, ev, need, run};
use crate::facts::{Facts, Iam, ManagedPolicy};
use crate::policy::{self, COMMERCIAL_REGIONS, FUTURE_REGION, Pins, Policy, PolicySet};

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
///
/// Decided over every request, not one sample per region: the actions must
/// be allowed for some request in the region (confirmed by evaluating one),
/// for no request in any other region (today's and one that does not exist
/// yet), and no action outside the service for any request. A statement
/// conditioned on another key (MFA, a tag, the source IP) counts whenever
/// some request satisfies it.
pub(crate) fn judge(policy: &ManagedPolicy, params: &Params) -> Result<(), String> {
    let parsed = Policy::parse(&policy.document)
        .map_err(|e| format!("its default version does not parse ({e})"))?;
    let set = PolicySet {
        identity: vec![parsed],
        ..PolicySet::default()
    };
    let region = params.str("region");
    for action in params.list("actions") {
        match policy::allowed_for_some(&set, action, &Pins::region(region)) {
            Some(w) if w.confirmed() => {}
            Some(_) => {
                return Err(format!(
                    "no request for {action} in {region} could be confirmed as allowed"
                ));
            }
            None => return Err(format!("it does not allow {action} in {region}")),
        }
        let others = COMMERCIAL_REGIONS
            .iter()
            .copied()
            .chain([FUTURE_REGION])
            .filter(|r| *r != region);
        for r in others {
            if let Some(w) = policy::allowed_for_some(&set, action, &Pins::region(r)) {
                return Err(format!(
                    "{} allows {action} in {r}{}",
                    w.statement,
                    w.when_text()
                ));
            }
        }
    }
    let service = params.str("service");
    if let Some(w) = policy::outside_service_allowed(&set, service, &Pins::none()) {
        let what = w
            .action()
            .map_or_else(|| "an action".to_string(), |a| a.to_string());
        return Err(format!(
            "{} allows {what}, outside `{service}:`{}",
            w.statement,
            w.when_text()
        ));
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
    fn passes_with_string_equals_and_an_action_list() {
        assert_status(&eval(&META, &with_document(CONDITION_EQUALS)), Status::Pass);
    }

    #[test]
    fn passes_with_a_wildcard_and_string_like() {
        let doc = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ce:Get*","Resource":"*","Condition":{"StringLike":{"aws:RequestedRegion":"eu-central-1"}}}}"#;
        let doc_list = doc.replace("\"ce:Get*\"", "[\"ce:Get*\",\"ce:List*\"]");
        assert_status(&eval(&META, &with_document(&doc_list)), Status::Pass);
    }

    #[test]
    fn passes_with_ignore_case() {
        let doc = CONDITION_EQUALS.replace("StringEquals", "StringEqualsIgnoreCase");
        assert_status(&eval(&META, &with_document(&doc)), Status::Pass);
    }

    #[test]
    fn passes_with_ce_star_and_a_deny_string_not_equals() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ce:*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-central-1"}}}]}"#;
        assert_status(&eval(&META, &with_document(doc)), Status::Pass);
    }

    #[test]
    fn a_policy_without_the_region_condition_fails() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ce:*","Resource":"*"}]}"#;
        let o = eval(&META, &with_document(doc));
        assert_names(&o, Status::Fail, "allows ce:GetCostAndUsage in af-south-1");
    }

    #[test]
    fn a_policy_pinned_to_another_region_fails() {
        let doc = CONDITION_EQUALS.replace("eu-central-1", "us-east-1");
        assert_status(&eval(&META, &with_document(&doc)), Status::Fail);
    }

    #[test]
    fn a_policy_missing_one_action_fails() {
        let doc = CONDITION_EQUALS.replace(",\"ce:ListCostCategoryDefinitions\"", "");
        let o = eval(&META, &with_document(&doc));
        assert_names(&o, Status::Fail, "ce:ListCostCategoryDefinitions");
    }

    #[test]
    fn a_policy_that_also_allows_other_services_fails_least_privilege() {
        let doc = CONDITION_EQUALS.replace(
            "\"ce:ListCostCategoryDefinitions\"]",
            "\"ce:ListCostCategoryDefinitions\",\"s3:ListBucket\"]",
        );
        let o = eval(&META, &with_document(&doc));
        assert_names(&o, Status::Fail, "outside `ce:`");
    }

    #[test]
    fn a_string_that_merely_mentions_the_actions_is_not_enough() {
        // Spelled right, but the effect is Deny: string matching would pass it.
        let doc = CONDITION_EQUALS.replace("\"Allow\"", "\"Deny\"");
        assert_status(&eval(&META, &with_document(&doc)), Status::Fail);
    }

    #[test]
    fn an_allow_under_mfa_outside_the_region_fails_naming_the_statement_and_the_request() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Frankfurt","Effect":"Allow","Action":["ce:GetCostAndUsage","ce:ListCostCategoryDefinitions"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-central-1"}}},{"Sid":"WithMfa","Effect":"Allow","Action":"ce:GetCostAndUsage","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#;
        let o = eval(&META, &with_document(doc));
        assert_names(&o, Status::Fail, "WithMfa");
        assert!(
            o.message.contains(
                "allows ce:GetCostAndUsage in af-south-1 when aws:MultiFactorAuthPresent is true"
            ),
            "{}",
            o.message
        );
    }

    #[test]
    fn a_region_deny_that_a_tag_can_lift_fails() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ce:*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-central-1","aws:PrincipalTag/team":"finance"}}}]}"#;
        let o = eval(&META, &with_document(doc));
        assert_names(&o, Status::Fail, "when aws:PrincipalTag/team is finance");
    }

    #[test]
    fn an_allow_of_another_service_on_one_resource_fails_least_privilege() {
        let doc = CONDITION_EQUALS.replace(
            "]}",
            r#",{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}"#,
        );
        let o = eval(&META, &with_document(&doc));
        assert_names(&o, Status::Fail, "s3:getobject");
        assert!(o.message.contains("outside `ce:`"), "{}", o.message);
    }

    #[test]
    fn a_deny_list_of_todays_other_regions_fails_for_a_future_region() {
        let others: Vec<String> = COMMERCIAL_REGIONS
            .iter()
            .filter(|r| **r != "eu-central-1")
            .map(|r| format!("\"{r}\""))
            .collect();
        let doc = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"ce:*","Resource":"*"}},{{"Effect":"Deny","Action":"*","Resource":"*","Condition":{{"StringEquals":{{"aws:RequestedRegion":[{}]}}}}}}]}}"#,
            others.join(",")
        );
        let o = eval(&META, &with_document(&doc));
        assert_names(&o, Status::Fail, FUTURE_REGION);
    }

    #[test]
    fn an_allow_conditioned_only_on_mfa_in_the_region_passes() {
        // Allowed for some request in eu-central-1 (with MFA), none elsewhere.
        let doc = CONDITION_EQUALS.replace(
            r#""StringEquals":{"aws:RequestedRegion":"eu-central-1"}"#,
            r#""StringEquals":{"aws:RequestedRegion":"eu-central-1"},"Bool":{"aws:MultiFactorAuthPresent":"true"}"#,
        );
        assert_status(&eval(&META, &with_document(&doc)), Status::Pass);
    }

    #[test]
    fn no_customer_managed_policy_fails() {
        let mut f = finished();
        ok_mut(&mut f.iam).policies.clear();
        assert_status(&eval(&META, &f), Status::Fail);
    }

    #[test]
    fn unreadable_iam_is_unknown() {
        let mut f = finished();
        f.iam = Collected::Unavailable(crate::facts::Unavailable::denied("iam:ListPolicies"));
        assert_status(&eval(&META, &f), Status::Unknown);
    }

    #[test]
    fn the_detail_mentions_that_cost_explorer_lives_in_us_east_1() {
        let o = eval(&META, &finished());
        assert!(o.evidence.iter().any(|e| e.value.contains("us-east-1")));
    }
}
