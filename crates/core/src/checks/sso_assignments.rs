//! `identity-center/assignments`: each group has its permission set on
//! exactly the accounts the chapter says. Admin+AdminRole on every account
//! (the management account too); CCC+CloudCompetenceCenterRole on every
//! account in the `management` and `sandbox` OUs (nested OUs included);
//! Dev+DeveloperRole on every account in `sandbox` and on none outside it.
//!
//! OUs are found by position ([`crate::facts::Organization::lab_ou`]); a
//! missing OU fails the step. Reads account assignments
//! (`ListAccountAssignments`), not provisioning status. A fail names every missing and every extra assignment.

use std::collections::BTreeSet;

use super::{
    CheckMeta, ORG_TREE, Outcome, PERMISSION_SETS, ParamDefault, ParamSpec, Params, REGION_PARAM,
    ev, need, need_org, run,
};
use crate::facts::{Facts, IdentityCenter, Organization};

pub const META: CheckMeta = CheckMeta {
    kind: "sso-assignments",
    title: "Each group has its permission set on exactly the right accounts",
    reads: &[
        ORG_TREE,
        PERMISSION_SETS,
        &["identitystore:ListGroups", "sso:ListAccountAssignments"],
    ],
    params: &[
        ParamSpec {
            name: "admin_group",
            doc: "Group assigned everywhere",
            default: ParamDefault::Str("Admin"),
        },
        ParamSpec {
            name: "admin_set",
            doc: "Permission set of the admin group",
            default: ParamDefault::Str("AdminRole"),
        },
        ParamSpec {
            name: "ccc_group",
            doc: "Group assigned to both OUs",
            default: ParamDefault::Str("CCC"),
        },
        ParamSpec {
            name: "ccc_set",
            doc: "Permission set of the CCC group",
            default: ParamDefault::Str("CloudCompetenceCenterRole"),
        },
        ParamSpec {
            name: "dev_group",
            doc: "Group assigned to the sandbox only",
            default: ParamDefault::Str("Dev"),
        },
        ParamSpec {
            name: "dev_set",
            doc: "Permission set of the developer group",
            default: ParamDefault::Str("DeveloperRole"),
        },
        ParamSpec {
            name: "management_ou",
            doc: "OU of the shared accounts",
            default: ParamDefault::Str("management"),
        },
        ParamSpec {
            name: "sandbox_ou",
            doc: "OU of the sandbox accounts",
            default: ParamDefault::Str("sandbox"),
        },
        REGION_PARAM,
    ],
};

/// Account ids on which `group` has `set`.
fn assigned(idc: &IdentityCenter, group: &str, set: &str) -> BTreeSet<String> {
    let Some(gid) = idc.group(group).map(|g| &g.id) else {
        return BTreeSet::new();
    };
    let arns: Vec<&str> = idc
        .permission_sets
        .iter()
        .filter(|p| p.name == set)
        .map(|p| p.arn.as_str())
        .collect();
    idc.account_assignments
        .iter()
        .filter(|a| a.principal_type == "GROUP" && &a.principal_id == gid)
        .filter(|a| arns.contains(&a.permission_set_arn.as_str()))
        .map(|a| a.account_id.clone())
        .collect()
}

fn label(org: &Organization, id: &str) -> String {
    match org.account_name(id) {
        Some(name) => format!("{name} ({id})"),
        None if id == org.management_account_id => format!("management account ({id})"),
        None => id.to_string(),
    }
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let idc = need(&facts.identity_center, "the account assignments")?;
        let org = need_org(facts)?;
        let mut everywhere: BTreeSet<String> = org
            .accounts()
            .iter()
            .map(|p| p.account.id.clone())
            .collect();
        everywhere.insert(org.management_account_id.clone());
        // OUs by position: the OUs of these names directly under the root.
        // Without them the assignments cannot match the chapter.
        let (management_ou, sandbox_ou) = (params.str("management_ou"), params.str("sandbox_ou"));
        let (management, sandbox_lab) = (org.lab_ou(management_ou), org.lab_ou(sandbox_ou));
        let missing_ous: Vec<String> = [(management_ou, &management), (sandbox_ou, &sandbox_lab)]
            .into_iter()
            .filter(|(_, lab)| lab.is_none())
            .map(|(name, _)| format!("`{name}`"))
            .collect();
        let (Some(management), Some(sandbox_lab)) = (management, sandbox_lab) else {
            return Ok(Outcome::fail(format!(
                "Organization {} has no OU {} directly under the root, so the Identity Center assignments cannot match the chapter; create it first (lab org).",
                org.id,
                super::and_list(&missing_ous)
            )));
        };
        let mut both = management.account_ids();
        both.extend(sandbox_lab.account_ids());
        let sandbox = sandbox_lab.account_ids();

        let mut missing = Vec::new();
        let mut extra = Vec::new();
        let mut evidence = Vec::new();
        for (group, set, want, exact) in [
            (
                params.str("admin_group"),
                params.str("admin_set"),
                &everywhere,
                false,
            ),
            (params.str("ccc_group"), params.str("ccc_set"), &both, false),
            (
                params.str("dev_group"),
                params.str("dev_set"),
                &sandbox,
                true,
            ),
        ] {
            let have = assigned(idc, group, set);
            evidence.push(ev(
                &format!("{group}+{set}"),
                have.iter()
                    .map(|a| label(org, a))
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
            for a in want.difference(&have) {
                missing.push(format!("{} {group} {set}", label(org, a)));
            }
            if exact {
                for a in have.difference(want) {
                    extra.push(format!("{} {group} {set}", label(org, a)));
                }
            }
        }
        if want_nothing(&everywhere) {
            return Ok(Outcome::fail(
                "The organization has no accounts to assign yet; finish lab org first.",
            ));
        }
        if missing.is_empty() && extra.is_empty() {
            return Ok(Outcome::pass(format!(
                "Admin, CCC and Dev are assigned on exactly the chapter's {} accounts.",
                everywhere.len()
            ))
            .with_all(evidence));
        }
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("missing: {}", missing.join("; ")));
        }
        if !extra.is_empty() {
            parts.push(format!(
                "extra (remove it, developers belong in {} only): {}",
                params.str("sandbox_ou"),
                extra.join("; ")
            ));
        }
        let mut o = Outcome::fail(format!(
            "Identity Center assignments do not match the chapter; {}.",
            parts.join("; ")
        ))
        .with_all(evidence);
        for m in &missing {
            o = o.with("missing", m);
        }
        for x in &extra {
            o = o.with("extra", x);
        }
        Ok(o)
    })
}

fn want_nothing(everywhere: &BTreeSet<String>) -> bool {
    everywhere.len() <= 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;
    use crate::facts::AccountAssignment;

    fn set_arn(f: &Facts, name: &str) -> String {
        f.identity_center
            .ok()
            .and_then(|i| i.permission_set(name))
            .expect("set")
            .arn
            .clone()
    }

    fn group_id(f: &Facts, name: &str) -> String {
        f.identity_center
            .ok()
            .and_then(|i| i.group(name))
            .expect("group")
            .id
            .clone()
    }

    #[test]
    fn dev_outside_the_sandbox_is_an_extra() {
        let mut f = finished();
        let (arn, gid) = (set_arn(&f, "DeveloperRole"), group_id(&f, "Dev"));
        ok_mut(&mut f.identity_center)
            .account_assignments
            .push(AccountAssignment {
                account_id: "222222222222".into(),
                permission_set_arn: arn,
                principal_type: "GROUP".into(),
                principal_id: gid,
            });
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "extra");
        assert!(
            o.message
                .contains("security (222222222222) Dev DeveloperRole"),
            "{}",
            o.message
        );
    }

    #[test]
    fn admin_missing_on_the_management_account_fails() {
        let mut f = finished();
        let arn = set_arn(&f, "AdminRole");
        ok_mut(&mut f.identity_center)
            .account_assignments
            .retain(|a| !(a.account_id == "111111111111" && a.permission_set_arn == arn));
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "111111111111");
    }

    #[test]
    fn ccc_missing_on_a_nested_sandbox_account_fails() {
        let mut f = finished();
        let arn = set_arn(&f, "CloudCompetenceCenterRole");
        ok_mut(&mut f.identity_center)
            .account_assignments
            .retain(|a| !(a.account_id == "555555555555" && a.permission_set_arn == arn));
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "test (555555555555) CCC");
    }

    #[test]
    fn a_missing_sandbox_ou_fails_assignments_whatever_exists() {
        let mut f = finished();
        let org = org_mut(&mut f);
        // The sandbox OU is gone; its account now sits directly under the root.
        let i = org.roots[0]
            .organizational_units
            .iter()
            .position(|o| o.name == "sandbox")
            .expect("sandbox");
        let sandbox = org.roots[0].organizational_units.remove(i);
        org.roots[0].accounts.extend(sandbox.accounts);
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "no OU `sandbox`");
    }

    #[test]
    fn dev_in_a_same_name_sandbox_nested_elsewhere_is_an_extra() {
        // A `sandbox` OU nested inside management does not make its accounts
        // sandbox accounts: Dev assigned there is outside the sandbox.
        let mut f = finished();
        let (arn, gid) = (set_arn(&f, "DeveloperRole"), group_id(&f, "Dev"));
        let org = org_mut(&mut f);
        let m = org.roots[0]
            .organizational_units
            .iter_mut()
            .find(|o| o.name == "management")
            .expect("management");
        let i = m
            .accounts
            .iter()
            .position(|a| a.name == "network")
            .expect("network");
        let network = m.accounts.remove(i);
        m.organizational_units
            .push(crate::facts::OrganizationalUnit {
                id: "ou-fake-sandbox".into(),
                name: "sandbox".into(),
                accounts: vec![network],
                organizational_units: vec![],
            });
        ok_mut(&mut f.identity_center)
            .account_assignments
            .push(AccountAssignment {
                account_id: "444444444444".into(),
                permission_set_arn: arn,
                principal_type: "GROUP".into(),
                principal_id: gid,
            });
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "network (444444444444) Dev DeveloperRole");
    }

    #[test]
    fn a_user_assignment_does_not_count_for_the_group() {
        let mut f = finished();
        let gid = group_id(&f, "Dev");
        for a in &mut ok_mut(&mut f.identity_center).account_assignments {
            if a.principal_id == gid {
                a.principal_type = "USER".into();
            }
        }
        assert_status(&eval(&META, &f), Status::Fail);
    }
}
