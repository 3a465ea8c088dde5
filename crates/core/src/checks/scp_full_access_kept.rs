//! `scp-regions/full-access-kept`: `FullAWSAccess` is still attached to the
//! root and the `management` OU (the deny-list strategy), and evaluated along
//! the chain root → OU → nested OUs → account, for every account under the
//! OU (by position: the OU of that name directly under the root), an action
//! in the allowed region is allowed for every request of the chapter's
//! identities ([`crate::policy::allowed_for_every`]).

use super::{CheckMeta, ORG_TREE, Outcome, ParamDefault, ParamSpec, Params, SCPS, ev, run};
use crate::facts::{Facts, Scp};
use crate::policy;

pub const META: CheckMeta = CheckMeta {
    kind: "scp-full-access-kept",
    title: "FullAWSAccess stays on the root and the OU, and work in the allowed region is still allowed",
    reads: &[ORG_TREE, SCPS],
    params: &[
        ParamSpec {
            name: "ou",
            doc: "The OU whose chain is evaluated",
            default: ParamDefault::Str("management"),
        },
        ParamSpec {
            name: "action",
            doc: "An action that must stay allowed",
            default: ParamDefault::Str("ec2:RunInstances"),
        },
        ParamSpec {
            name: "region",
            doc: "The region it must stay allowed in",
            default: ParamDefault::Str("eu-central-1"),
        },
    ],
};

fn is_full_access(s: &Scp) -> bool {
    s.aws_managed && (s.name == "FullAWSAccess" || s.id == "p-FullAWSAccess")
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let (org, scps, lab) = super::scp_region_deny_attached::lab_ou_scps(facts, params)?;
        let (ou_name, ou) = (params.str("ou"), lab.ou);
        let Some(root) = org.roots.first() else {
            return Ok(Outcome::fail(
                "The organization has no root; finish lab org first.",
            ));
        };
        let full = scps.iter().find(|s| is_full_access(s));
        let mut missing = Vec::new();
        for (id, name) in [
            (&root.id, "the root".to_string()),
            (&ou.id, format!("OU `{ou_name}`")),
        ] {
            if !full.is_some_and(|f| f.targets.contains(id)) {
                missing.push(name);
            }
        }
        if !missing.is_empty() {
            return Ok(Outcome::fail(format!(
                "FullAWSAccess is no longer attached to {}; reattach it, the chapter's deny-list strategy needs it.",
                missing.join(" and ")
            )));
        }
        let admin = super::scp_region_deny::full_access()?;
        let (action, region) = (params.str("action"), params.str("region"));
        let mut evidence = Vec::new();
        for place in super::scp_region_deny_attached::admin_sets_under(org, &lab, scps, &admin) {
            let (label, set, account) = place?;
            // Every request of the people's identities, not one sample.
            let denied = super::scp_region_deny::chapter_identities(&account)
                .into_iter()
                .find_map(|(who, pins)| {
                    policy::allowed_for_every(
                        &set,
                        action,
                        &pins.with("aws:RequestedRegion", region),
                    )
                    .err()
                    .map(|w| (who, w))
                });
            match denied {
                None => evidence.push(ev(&label, "allowed")),
                Some((who, w)) => {
                    evidence.push(ev(&label, format!("denied for {who}")));
                    let mut o = Outcome::fail(format!(
                        "The SCPs deny {action} in {region} for {label} ({} for {who}{}); every layer from the root down must allow it, so keep FullAWSAccess attached at each level.",
                        w.statement,
                        w.when_text()
                    ))
                    .with_all(evidence);
                    if let Some(req) = &w.request {
                        for line in policy::evaluate(&set, req).explanation {
                            o = o.with("why", line);
                        }
                    }
                    return Ok(o);
                }
            }
        }
        Ok(Outcome::pass(format!(
            "FullAWSAccess is attached to the root and OU `{ou_name}`, and {action} in {region} is allowed along the chain."
        ))
        .with_all(evidence))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    fn ou_id(f: &Facts, name: &str) -> String {
        f.organization
            .ok()
            .and_then(|o| o.as_ref())
            .and_then(|o| o.top_level_ou(name))
            .expect("ou")
            .id
            .clone()
    }

    #[test]
    fn a_deny_in_the_allowed_region_unless_tagged_fails_naming_the_condition() {
        let mut f = finished();
        ok_mut(&mut org_mut(&mut f).policies).push(Scp {
            id: "p-tag".into(),
            name: "OnlyTagged".into(),
            aws_managed: false,
            content: r#"{"Version":"2012-10-17","Statement":[{"Sid":"NeedsTeamTag","Effect":"Deny","Action":"ec2:*","Resource":"*","Condition":{"Null":{"aws:PrincipalTag/team":"true"}}}]}"#.into(),
            targets: vec!["ou-ab12-mgmt0001".into()],
        });
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "NeedsTeamTag");
    }

    #[test]
    fn full_access_removed_from_the_ou_fails() {
        let mut f = finished();
        let ou = ou_id(&f, "management");
        for s in ok_mut(&mut org_mut(&mut f).policies) {
            if s.aws_managed {
                s.targets.retain(|t| *t != ou);
            }
        }
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "OU `management`");
    }

    #[test]
    fn full_access_replaced_by_the_region_deny_alone_denies_everything() {
        // FullAWSAccess stays on root and OU, but an account in the OU
        // loses it: nothing allows at the account layer, so all is denied.
        let mut f = finished();
        for s in ok_mut(&mut org_mut(&mut f).policies) {
            if s.aws_managed {
                s.targets.retain(|t| t != "222222222222");
            }
        }
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "account security");
    }
}
