//! `scp-regions/policy`: an SCP that, *evaluated*, denies regional actions in
//! every commercial region except the allowed ones and none in those.
//!
//! Decided by [`crate::policy`] over every region of
//! [`COMMERCIAL_REGIONS`] and a region that does not exist yet
//! ([`FUTURE_REGION`]: a deny-list of today's other regions fails), each
//! over every request ([`policy::allowed_for_some`] outside,
//! [`policy::allowed_for_every`] inside). Conditions on the principal are
//! judged for the identities the chapter gives people (Identity Center
//! roles, IAM users; see [`chapter_identities`]). Two ways of using an SCP are tried: deny-list
//! (attached beside `FullAWSAccess`) and allow-list (attached instead of
//! it), so `StringNotEquals`, `IgnoreCase`, lists, `NotAction` exemptions,
//! `ForAnyValue:` and an Allow-list SCP are all accepted.

use super::{
    CheckMeta, ORG, Outcome, ParamDefault, ParamSpec, Params, and_list, ev, need, need_org, run,
};
use crate::facts::{Facts, Scp};
use crate::policy::{
    self, COMMERCIAL_REGIONS, Decision, FUTURE_REGION, Pins, Policy, PolicySet, Request,
};

/// The regions the SCP leaves open; shared by the checks that find that SCP.
pub(crate) const ALLOWED_REGIONS: ParamSpec = ParamSpec {
    name: "allowed_regions",
    doc: "Regions where regional actions must stay allowed",
    default: ParamDefault::List(&["eu-central-1", "eu-central-2"]),
};

/// The regional actions tested in every commercial region.
pub(crate) const REGIONAL_ACTIONS: ParamSpec = ParamSpec {
    name: "actions",
    doc: "Regional actions tested in every commercial region",
    default: ParamDefault::List(&[
        "ec2:RunInstances",
        "s3:CreateBucket",
        "lambda:CreateFunction",
        "rds:CreateDBInstance",
    ]),
};

pub const META: CheckMeta = CheckMeta {
    kind: "scp-region-deny",
    title: "An SCP denies regional actions outside the allowed regions",
    reads: &[
        ORG,
        &["organizations:ListPolicies", "organizations:DescribePolicy"],
    ],
    params: &[
        ALLOWED_REGIONS,
        REGIONAL_ACTIONS,
        ParamSpec {
            name: "global_actions",
            doc: "Actions of global services, to advise on NotAction exemptions",
            default: ParamDefault::List(&[
                "iam:CreateRole",
                "organizations:DescribeOrganization",
                "sts:GetCallerIdentity",
                "support:DescribeCases",
                "cloudfront:CreateDistribution",
                "route53:ChangeResourceRecordSets",
                "budgets:ViewBudget",
            ]),
        },
    ],
};

/// `FullAWSAccess`, the SCP AWS attaches everywhere by default.
pub(crate) const FULL_AWS_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

pub(crate) fn full_access() -> Result<Policy, Outcome> {
    Policy::parse(FULL_AWS_ACCESS)
        .map_err(|e| Outcome::unknown(format!("Could not evaluate SCPs: {e}.")))
}

/// The policy set of an administrator in a member account under `layer`.
fn under(layer: Vec<Policy>, admin: &Policy) -> PolicySet {
    PolicySet {
        identity: vec![admin.clone()],
        scp_layers: vec![layer],
        management_account: false,
    }
}

/// The Identity Center permission sets the chapter creates; their roles are
/// the identities people use, so principal conditions are judged for them.
const CHAPTER_PERMISSION_SETS: &[&str] = &[
    "AdminRole",
    "CloudCompetenceCenterRole",
    "DeveloperRole",
    "AnyOtherSet",
];

/// The identities the chapter gives people in `account`, each as the pins of
/// its principal keys: the Identity Center role of every permission set
/// (`AWSReservedSSO_<set>_<hash>`, with and without the region in its path)
/// and an IAM user. Their tags stay open. A break-glass role is none of
/// these, so exempting it leaves the SCP denying for people.
pub(crate) fn chapter_identities(account: &str) -> Vec<(String, Pins)> {
    let mut out = Vec::new();
    for set in CHAPTER_PERMISSION_SETS {
        out.push((
            format!("Identity Center role AWSReservedSSO_{set}"),
            format!(
                "arn:aws:iam::{account}:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_{set}_0123456789abcdef"
            ),
        ));
    }
    out.push((
        "Identity Center role AWSReservedSSO_AnyOtherSet (path without a region)".to_string(),
        format!(
            "arn:aws:iam::{account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AnyOtherSet_0123456789abcdef"
        ),
    ));
    let mut identities: Vec<(String, Pins)> = out
        .into_iter()
        .map(|(label, arn)| {
            (
                label,
                Pins::none()
                    .with("aws:PrincipalArn", &arn)
                    .with("aws:PrincipalAccount", account),
            )
        })
        .collect();
    identities.push((
        "IAM user learner".to_string(),
        Pins::none()
            .with(
                "aws:PrincipalArn",
                &format!("arn:aws:iam::{account}:user/learner"),
            )
            .with("aws:PrincipalAccount", account)
            .with("aws:username", "learner"),
    ));
    identities
}

/// Does any SCP condition (or policy variable) read a principal key? When
/// none does, one identity stands for all of them.
fn reads_principal(set: &PolicySet) -> bool {
    set.scp_layers
        .iter()
        .flatten()
        .flat_map(|p| &p.statements)
        .flat_map(|st| &st.conditions)
        .any(|c| {
            let k = c.key.to_ascii_lowercase();
            k.starts_with("aws:principal")
                || k.starts_with("aws:user")
                || k == "aws:sourceidentity"
                || c.values.iter().any(|v| v.contains("${"))
        })
}

/// Every region a regional action must be denied in: every commercial
/// region but the allowed ones, and a region that does not exist yet.
fn outside_regions(allowed: &[String]) -> Vec<&'static str> {
    COMMERCIAL_REGIONS
        .iter()
        .copied()
        .chain([FUTURE_REGION])
        .filter(|r| !allowed.iter().any(|a| a == r))
        .collect()
}

/// Why `set` (an administrator under some SCP chain, in `account`) does not
/// deny the regional actions outside the allowed regions for every request
/// of the chapter's identities, or denies some request inside them.
/// `None` when it does exactly that.
pub(crate) fn region_problem(set: &PolicySet, params: &Params, account: &str) -> Option<String> {
    let allowed = params.list("allowed_regions");
    let outside = outside_regions(allowed);
    let mut identities = chapter_identities(account);
    let several = reads_principal(set);
    if !several {
        identities.truncate(1);
    }
    for action in params.list("actions") {
        for (who, pins) in &identities {
            let for_who = if several {
                format!(" for {who}")
            } else {
                String::new()
            };
            for r in allowed {
                if let Err(w) = policy::allowed_for_every(
                    set,
                    action,
                    &pins.clone().with("aws:RequestedRegion", r),
                ) {
                    return Some(format!(
                        "it denies {action} in {r}{for_who} ({}{})",
                        w.statement,
                        w.when_text()
                    ));
                }
            }
            let open: Vec<(&str, policy::Witness)> = outside
                .iter()
                .filter_map(|r| {
                    policy::allowed_for_some(
                        set,
                        action,
                        &pins.clone().with("aws:RequestedRegion", r),
                    )
                    .map(|w| (*r, w))
                })
                .collect();
            if let Some((r, w)) = open.first() {
                let future = if *r == FUTURE_REGION {
                    " (a region AWS has not launched yet: deny every region but the allowed ones with StringNotEquals instead of listing today's)"
                } else {
                    ""
                };
                return Some(format!(
                    "it still allows {action} in {} other region(s), e.g. {r}{future}{for_who}{}",
                    open.len(),
                    w.when_text()
                ));
            }
        }
    }
    None
}

/// Why this SCP is not the lab's region SCP (`Ok` when it is). Tried both
/// as a deny-list (beside `FullAWSAccess`) and as an allow-list (alone),
/// for every request of the chapter's identities in every region.
pub(crate) fn judge(scp: &Scp, params: &Params) -> Result<(), String> {
    let parsed =
        Policy::parse(&scp.content).map_err(|e| format!("its content does not parse ({e})"))?;
    let full = Policy::parse(FULL_AWS_ACCESS).map_err(|e| e.to_string())?;
    let mut first_problem = None;
    for layer in [vec![parsed.clone(), full.clone()], vec![parsed.clone()]] {
        let set = under(layer, &full);
        match region_problem(&set, params, PROBE_MEMBER_ACCOUNT) {
            None => return Ok(()),
            Some(p) => {
                first_problem.get_or_insert(p);
            }
        }
    }
    Err(first_problem.unwrap_or_default())
}

/// A member account id for judging an SCP on its own.
const PROBE_MEMBER_ACCOUNT: &str = "123456789012";

/// The SCPs that are the lab's region SCP.
pub(crate) fn qualifying<'a>(scps: &'a [Scp], params: &Params) -> Vec<&'a Scp> {
    scps.iter()
        .filter(|s| !s.aws_managed && judge(s, params).is_ok())
        .collect()
}

/// Global-service actions this SCP denies (requests to global services carry `us-east-1`).
fn broken_global_services(scp: &Scp, params: &Params) -> Vec<String> {
    let (Ok(parsed), Ok(full)) = (Policy::parse(&scp.content), Policy::parse(FULL_AWS_ACCESS))
    else {
        return Vec::new();
    };
    let set = under(vec![parsed, full.clone()], &full);
    params
        .list("global_actions")
        .iter()
        .filter(|a| {
            policy::evaluate(&set, &Request::in_region(a, "us-east-1")).decision != Decision::Allow
        })
        .cloned()
        .collect()
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let org = need_org(facts)?;
        let scps = need(&org.policies, "the service control policies")?;
        let allowed = and_list(params.list("allowed_regions"));
        let custom: Vec<&Scp> = scps.iter().filter(|s| !s.aws_managed).collect();
        if custom.is_empty() {
            return Ok(Outcome::fail(format!(
                "Organization {} has no SCP of its own; create one that denies every region but {allowed}.",
                org.id
            )));
        }
        full_access()?;
        let mut evidence = Vec::new();
        let mut good = None;
        for s in &custom {
            match judge(s, params) {
                Ok(()) => {
                    evidence.push(ev(&s.name, format!("denies every region but {allowed}")));
                    good.get_or_insert(*s);
                }
                Err(why) => evidence.push(ev(&s.name, why)),
            }
        }
        evidence.push(ev(
            "note",
            "SCPs never restrict the management account; test from a member account.",
        ));
        let Some(scp) = good else {
            let first = &evidence[0];
            return Ok(Outcome::fail(format!(
                "No SCP denies regional actions everywhere but {allowed}: `{}` fails because {}.",
                first.key, first.value
            ))
            .with_all(evidence));
        };
        let broken = broken_global_services(scp, params);
        if !broken.is_empty() {
            evidence.push(ev(
                "advice",
                format!(
                    "{} would be denied: exempt global services (IAM, Organizations, STS, Support, CloudFront, Route 53, Budgets, ...) with NotAction.",
                    and_list(&broken)
                ),
            ));
        }
        Ok(Outcome::pass(format!(
            "SCP `{}` denies regional actions in every commercial region but {allowed}.",
            scp.name
        ))
        .with_all(evidence))
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;
    use crate::facts::{Collected, Unavailable};

    pub(crate) fn with_scp(content: &str) -> Facts {
        let mut f = finished();
        let org = org_mut(&mut f);
        let scps = ok_mut(&mut org.policies);
        let mine = scps
            .iter_mut()
            .find(|s| !s.aws_managed)
            .expect("custom scp");
        mine.content = content.into();
        f
    }

    const DENY_LIST: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyOtherRegions","Effect":"Deny","NotAction":["iam:*","organizations:*","sts:*","support:*","cloudfront:*","route53:*","budgets:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-central-1","eu-central-2"]}}}]}"#;

    #[test]
    fn passes_with_string_not_equals_and_not_action_ignore_case_for_any_value_or_an_allow_list() {
        for (what, doc) in [
            ("StringNotEquals and NotAction", DENY_LIST.to_string()),
            (
                "IgnoreCase",
                DENY_LIST.replace("StringNotEquals", "StringNotEqualsIgnoreCase"),
            ),
            (
                "ForAnyValue",
                DENY_LIST.replace("\"StringNotEquals\"", "\"ForAnyValue:StringNotEquals\""),
            ),
            (
                "an allow-list SCP",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":["eu-central-1","eu-central-2"]}}}]}"#.to_string(),
            ),
        ] {
            let o = eval(&META, &with_scp(&doc));
            assert_eq!(o.status, Status::Pass, "{what}: {o:#?}");
        }
    }

    #[test]
    fn only_one_allowed_region_fails_because_zurich_is_denied() {
        let doc = DENY_LIST.replace("[\"eu-central-1\",\"eu-central-2\"]", "\"eu-central-1\"");
        let o = eval(&META, &with_scp(&doc));
        assert_names(&o, Status::Fail, "eu-central-2");
    }

    #[test]
    fn a_region_left_out_of_the_deny_fails() {
        // Denies only us-east-1: every other region stays open.
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}]}"#;
        let o = eval(&META, &with_scp(doc));
        assert_names(&o, Status::Fail, "still allows");
    }

    #[test]
    fn an_scp_that_only_mentions_the_regions_in_a_sid_fails() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Sid":"eucentral1eucentral2","Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        assert_status(&eval(&META, &with_scp(doc)), Status::Fail);
    }

    #[test]
    fn without_a_not_action_exemption_it_passes_with_advice_about_global_services() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-central-1","eu-central-2"]}}}]}"#;
        let o = eval(&META, &with_scp(doc));
        assert_status(&o, Status::Pass);
        assert!(
            o.evidence
                .iter()
                .any(|e| e.key == "advice" && e.value.contains("iam:CreateRole"))
        );
    }

    /// An SCP denying, by name, today's commercial regions but the two lab
    /// regions and `also_open`.
    fn deny_list_of_todays_regions_but(also_open: &[&str]) -> String {
        let others: Vec<String> = COMMERCIAL_REGIONS
            .iter()
            .filter(|r| !r.starts_with("eu-central-") && !also_open.contains(r))
            .map(|r| format!("\"{r}\""))
            .collect();
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Action":"*","Resource":"*","Condition":{{"StringEquals":{{"aws:RequestedRegion":[{}]}}}}}}]}}"#,
            others.join(",")
        )
    }

    #[test]
    fn a_deny_list_of_todays_other_regions_fails_for_a_region_not_launched_yet() {
        let o = eval(&META, &with_scp(&deny_list_of_todays_regions_but(&[])));
        assert_names(&o, Status::Fail, FUTURE_REGION);
    }

    #[test]
    fn a_deny_list_missing_ap_southeast_6_fails() {
        let doc = deny_list_of_todays_regions_but(&["ap-southeast-6"]);
        let o = eval(&META, &with_scp(&doc));
        assert_names(&o, Status::Fail, "ap-southeast-6");
    }

    const EXEMPT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-central-1","eu-central-2"]},"ArnNotLike":{"aws:PrincipalArn":"PATTERN"}}}]}"#;

    #[test]
    fn an_exemption_for_one_break_glass_role_still_counts_as_denying() {
        let doc = EXEMPT.replace("PATTERN", "arn:aws:iam::*:role/BreakGlass");
        assert_status(&eval(&META, &with_scp(&doc)), Status::Pass);
    }

    #[test]
    fn an_exemption_for_every_identity_center_role_does_not_deny() {
        let doc = EXEMPT.replace(
            "PATTERN",
            "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_*",
        );
        let o = eval(&META, &with_scp(&doc));
        assert_names(&o, Status::Fail, "Identity Center role");
    }

    #[test]
    fn a_deny_that_a_principal_tag_lifts_fails_naming_the_tag() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-central-1","eu-central-2"],"aws:PrincipalTag/region-exempt":"yes"}}}]}"#;
        let o = eval(&META, &with_scp(doc));
        assert_names(
            &o,
            Status::Fail,
            "when aws:PrincipalTag/region-exempt is yes",
        );
    }

    #[test]
    fn a_deny_that_applies_only_without_mfa_fails() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-central-1","eu-central-2"]},"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}"#;
        let o = eval(&META, &with_scp(doc));
        assert_names(&o, Status::Fail, "aws:MultiFactorAuthPresent is true");
    }

    #[test]
    fn the_region_list_includes_ap_southeast_6_and_is_sorted_and_unique() {
        assert!(COMMERCIAL_REGIONS.contains(&"ap-southeast-6"));
        let mut sorted = COMMERCIAL_REGIONS.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, COMMERCIAL_REGIONS);
        assert!(!COMMERCIAL_REGIONS.contains(&FUTURE_REGION));
    }

    #[test]
    fn no_custom_scp_fails_and_denied_listing_is_unknown() {
        let mut f = finished();
        ok_mut(&mut org_mut(&mut f).policies).retain(|s| s.aws_managed);
        assert_status(&eval(&META, &f), Status::Fail);
        org_mut(&mut f).policies =
            Collected::Unavailable(Unavailable::denied("organizations:ListPolicies"));
        assert_status(&eval(&META, &f), Status::Unknown);
    }
}
