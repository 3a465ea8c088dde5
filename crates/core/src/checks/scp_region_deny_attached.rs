//! `scp-regions/attached`: the region SCP is attached to the `management` OU
//! (the OU of that name directly under the root) and restricts in effect.
//! Finding the SCP is not enough: one that exists but is attached elsewhere
//! (or nowhere) fails, naming where it is attached; one attached there is
//! evaluated along the real chain root → OU → nested OUs → account for
//! every account in the OU's subtree, over every request of the chapter's
//! identities in every region (see `scp_region_deny::region_problem`), so an
//! allow-list SCP beside `FullAWSAccess` at the same level fails, saying why.

use super::{
    CheckMeta, ORG_TREE, Outcome, ParamDefault, ParamSpec, Params, SCPS, and_list, ev, need,
    need_org, run,
};
use crate::facts::{Facts, LabOu, Organization, Scp};
use crate::policy::{self, Pins, Policy, PolicySet};

pub const META: CheckMeta = CheckMeta {
    kind: "scp-region-deny-attached",
    title: "The region SCP is attached to the management OU",
    reads: &[ORG_TREE, SCPS],
    params: &[
        ParamSpec {
            name: "ou",
            doc: "The OU the SCP must be attached to",
            default: ParamDefault::Str("management"),
        },
        super::scp_region_deny::ALLOWED_REGIONS,
        super::scp_region_deny::REGIONAL_ACTIONS,
    ],
};

/// A target id in words: `root r-abcd`, `OU sandbox`, `account test`.
pub(crate) fn target_name(org: &Organization, id: &str) -> String {
    if org.roots.iter().any(|r| r.id == id) {
        return format!("the root {id}");
    }
    fn find<'a>(ous: &'a [crate::facts::OrganizationalUnit], id: &str) -> Option<&'a str> {
        ous.iter().find_map(|o| {
            if o.id == id {
                Some(o.name.as_str())
            } else {
                find(&o.organizational_units, id)
            }
        })
    }
    for r in &org.roots {
        if let Some(name) = find(&r.organizational_units, id) {
            return format!("OU {name}");
        }
    }
    match org.account_name(id) {
        Some(n) => format!("account {n}"),
        None => id.to_string(),
    }
}

/// The SCP layers along `chain` (root, OUs, then the account): at each
/// target, every SCP attached there.
pub(crate) fn layers_along(scps: &[Scp], chain: &[String]) -> Result<Vec<Vec<Policy>>, Outcome> {
    chain
        .iter()
        .map(|target| {
            scps.iter()
                .filter(|s| s.targets.contains(target))
                .map(|s| {
                    Policy::parse(&s.content).map_err(|e| {
                        Outcome::unknown(format!("Could not evaluate SCP `{}`: {e}.", s.name))
                    })
                })
                .collect()
        })
        .collect()
}

/// Each place to evaluate under a lab OU: every account in its subtree with
/// its real chain (root, OU, nested OUs, account), or the OU itself when it
/// holds no account yet. `(label, chain, account id)`.
pub(crate) fn places_under(org: &Organization, lab: &LabOu) -> Vec<(String, Vec<String>, String)> {
    let mut places: Vec<(String, Vec<String>, String)> = lab
        .accounts
        .iter()
        .map(|p| {
            let mut chain = p.chain.clone();
            chain.push(p.account.id.clone());
            let mut path = vec!["root".to_string()];
            path.extend(p.ou_names.iter().cloned());
            path.push(p.account.name.clone());
            (
                format!("account {} ({})", p.account.name, path.join(" → ")),
                chain,
                p.account.id.clone(),
            )
        })
        .collect();
    if places.is_empty() {
        let root = org.roots.first().map(|r| r.id.clone()).unwrap_or_default();
        places.push((
            format!("OU {} (no account in it yet)", lab.ou.name),
            vec![root, lab.ou.id.clone()],
            "123456789012".to_string(),
        ));
    }
    places
}

/// The organization, its SCPs and the lab's OU (parameter `ou`); a `fail`
/// when no OU of that name sits directly under the root.
pub(crate) fn lab_ou_scps<'a>(
    facts: &'a Facts,
    params: &Params,
) -> Result<(&'a Organization, &'a [Scp], LabOu<'a>), Outcome> {
    let org = need_org(facts)?;
    let scps = need(&org.policies, "the SCP attachments")?;
    let ou_name = params.str("ou");
    let lab = org.lab_ou(ou_name).ok_or_else(|| {
        Outcome::fail(format!(
            "Organization {} has no OU `{ou_name}` directly under the root; create it there first (lab org).",
            org.id
        ))
    })?;
    Ok((org, scps, lab))
}

/// Every place under `lab` ([`places_under`]: its label and an account in
/// it) with the policies in effect there for the chapter's administrator:
/// `admin` under the SCPs along the place's chain, read one place at a time.
pub(crate) fn admin_sets_under<'a>(
    org: &Organization,
    lab: &LabOu,
    scps: &'a [Scp],
    admin: &'a Policy,
) -> impl Iterator<Item = Result<(String, PolicySet, String), Outcome>> + 'a {
    places_under(org, lab)
        .into_iter()
        .map(move |(label, chain, account)| {
            let set = PolicySet {
                identity: vec![admin.clone()],
                scp_layers: layers_along(scps, &chain)?,
                management_account: false,
            };
            Ok((label, set, account))
        })
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let (org, scps, lab) = lab_ou_scps(facts, params)?;
        let (ou_name, ou) = (params.str("ou"), lab.ou);
        let admin = super::scp_region_deny::full_access()?;
        let found = super::scp_region_deny::qualifying(scps, params);
        let Some(first) = found.first() else {
            return Ok(Outcome::fail(
                "There is no region-restricting SCP to attach yet; finish step `policy` first.",
            ));
        };
        let Some(s) = found.iter().find(|s| s.targets.contains(&ou.id)) else {
            let where_: Vec<String> = first.targets.iter().map(|t| target_name(org, t)).collect();
            let attached = if where_.is_empty() {
                "attached nowhere".to_string()
            } else {
                format!("attached only to {}", where_.join(", "))
            };
            let mut o = Outcome::fail(format!(
                "SCP `{}` exists but is {attached}; attach it to OU `{ou_name}` ({}).",
                first.name, ou.id
            ));
            if !where_.is_empty() {
                o = o.with_all(vec![ev("targets", where_.join(", "))]);
            }
            return Ok(o);
        };
        // Attached is not enough: evaluated along the real chain to every
        // account under the OU, it must restrict exactly as the lab asks.
        let mut evidence = Vec::new();
        let mut places = 0;
        for place in admin_sets_under(org, &lab, scps, &admin) {
            let (label, set, account) = place?;
            places += 1;
            if let Some(problem) = super::scp_region_deny::region_problem(&set, params, &account) {
                let beside = beside_hint(scps, s, &ou.id);
                return Ok(Outcome::fail(format!(
                    "SCP `{}` is attached to OU `{ou_name}`, but in effect for {label} {problem}{beside}; fix the SCPs along that chain.",
                    s.name
                ))
                .with_all(evidence));
            }
            evidence.push(ev(&label, "restricted to the allowed regions"));
        }
        Ok(Outcome::pass(format!(
            "SCP `{}` is attached to OU `{ou_name}` ({}) and, along the chain to each of its {} place(s), denies regional actions outside {} and allows them there.",
            s.name,
            ou.id,
            places,
            and_list(params.list("allowed_regions"))
        ))
        .with_all(evidence))
    })
}

/// When another SCP at the same target allows everything, an allow-list
/// SCP beside it restricts nothing: say so.
fn beside_hint(scps: &[Scp], scp: &Scp, target: &str) -> String {
    let everything = |doc: &str| {
        Policy::parse(doc).is_ok_and(|p| {
            let set = PolicySet {
                identity: vec![p],
                ..PolicySet::default()
            };
            policy::allowed_for_every(
                &set,
                "ec2:RunInstances",
                &Pins::region(policy::FUTURE_REGION),
            )
            .is_ok()
        })
    };
    let others: Vec<&str> = scps
        .iter()
        .filter(|o| o.id != scp.id && o.targets.iter().any(|t| t == target))
        .filter(|o| everything(&o.content))
        .map(|o| o.name.as_str())
        .collect();
    if others.is_empty() {
        String::new()
    } else {
        format!(
            " (`{}` attached beside it allows everything, and an Allow-list SCP restricts only where it is the only Allow at its level: deny the other regions with a Deny statement, or replace {} with it)",
            others.join("`, `"),
            and_list(&others)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    fn retarget(targets: Vec<String>) -> Facts {
        let mut f = finished();
        let scps = ok_mut(&mut org_mut(&mut f).policies);
        scps.iter_mut()
            .find(|s| !s.aws_managed)
            .expect("custom")
            .targets = targets;
        f
    }

    const ALLOW_LIST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":["eu-central-1","eu-central-2"]}}}]}"#;

    fn custom_mut(f: &mut Facts) -> &mut Scp {
        ok_mut(&mut org_mut(f).policies)
            .iter_mut()
            .find(|s| !s.aws_managed)
            .expect("custom")
    }

    #[test]
    fn an_allow_list_scp_beside_full_aws_access_restricts_nothing_and_fails_saying_why() {
        let mut f = finished();
        custom_mut(&mut f).content = ALLOW_LIST.into();
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "still allows");
        assert!(
            o.message.contains("`FullAWSAccess` attached beside it"),
            "{}",
            o.message
        );
    }

    #[test]
    fn an_allow_list_scp_that_replaces_full_aws_access_on_the_ou_passes() {
        let mut f = finished();
        custom_mut(&mut f).content = ALLOW_LIST.into();
        for s in ok_mut(&mut org_mut(&mut f).policies) {
            if s.aws_managed {
                s.targets.retain(|t| t != "ou-ab12-mgmt0001");
            }
        }
        assert_status(&eval(&META, &f), Status::Pass);
    }

    #[test]
    fn an_scp_attached_to_a_nested_ou_named_management_is_not_it() {
        let mut f = finished();
        let org = org_mut(&mut f);
        // Move the real management OU's name away and nest a `management` OU in sandbox.
        for ou in &mut org.roots[0].organizational_units {
            if ou.name == "management" {
                ou.name = "shared".into();
            }
        }
        let sandbox = org.roots[0]
            .organizational_units
            .iter_mut()
            .find(|o| o.name == "sandbox")
            .expect("sandbox");
        sandbox
            .organizational_units
            .push(crate::facts::OrganizationalUnit {
                id: "ou-ab12-nested01".into(),
                name: "management".into(),
                accounts: vec![],
                organizational_units: vec![],
            });
        custom_mut(&mut f).targets = vec!["ou-ab12-nested01".into()];
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "directly under the root");
    }

    #[test]
    fn a_deny_at_an_account_below_is_judged_for_every_account_in_the_subtree() {
        // An account-level SCP exempting security's people from the region deny.
        let mut f = finished();
        ok_mut(&mut org_mut(&mut f).policies).push(Scp {
            id: "p-lift".into(),
            name: "LiftForSecurity".into(),
            aws_managed: false,
            content: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#.into(),
            targets: vec!["222222222222".into()],
        });
        // Allow at the account level cannot lift a Deny above it: still a pass.
        assert_status(&eval(&META, &f), Status::Pass);
    }

    #[test]
    fn an_account_that_loses_full_aws_access_fails_as_denied_inside_the_regions() {
        let mut f = finished();
        for s in ok_mut(&mut org_mut(&mut f).policies) {
            if s.aws_managed {
                s.targets.retain(|t| t != "333333333333");
            }
        }
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "account configuration");
        assert!(
            o.message
                .contains("denies ec2:RunInstances in eu-central-1"),
            "{}",
            o.message
        );
    }

    #[test]
    fn an_scp_found_but_attached_nowhere_fails() {
        let o = eval(&META, &retarget(vec![]));
        assert_names(&o, Status::Fail, "attached nowhere");
    }

    #[test]
    fn an_scp_attached_to_the_sandbox_instead_fails_naming_it() {
        let f = finished();
        let sandbox = f
            .organization
            .ok()
            .and_then(|o| o.as_ref())
            .and_then(|o| o.top_level_ou("sandbox"))
            .expect("sandbox")
            .id
            .clone();
        let o = eval(&META, &retarget(vec![sandbox]));
        assert_names(&o, Status::Fail, "OU sandbox");
    }
}
