//! `identity-center/groups`: the groups exist in the identity store and one
//! user is a member of all of them.

use super::{
    CheckMeta, Outcome, ParamDefault, ParamSpec, Params, REGION_PARAM, and_list, ev, need, run,
};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "sso-groups",
    title: "The identity store has the groups and one user in all of them",
    reads: &[&[
        "sso:ListInstances",
        "identitystore:ListGroups",
        "identitystore:ListUsers",
        "identitystore:ListGroupMemberships",
    ]],
    params: &[
        ParamSpec {
            name: "groups",
            doc: "Group display names that must exist, with one user in all of them",
            default: ParamDefault::List(&["Admin", "CCC", "Dev"]),
        },
        REGION_PARAM,
    ],
};

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let idc = need(&facts.identity_center, "the identity store groups")?;
        let wanted = params.list("groups");
        let missing: Vec<String> = wanted
            .iter()
            .filter(|g| !idc.groups.iter().any(|x| &x.display_name == *g))
            .map(|g| format!("`{g}`"))
            .collect();
        if !missing.is_empty() {
            return Ok(Outcome::fail(format!(
                "The identity store has no group {}; create it in IAM Identity Center.",
                and_list(&missing)
            )));
        }
        let ids: Vec<&str> = wanted
            .iter()
            .filter_map(|g| idc.groups.iter().find(|x| &x.display_name == g))
            .map(|g| g.id.as_str())
            .collect();
        let member_of_all = idc.users.iter().find(|u| {
            ids.iter().all(|gid| {
                idc.group_memberships
                    .iter()
                    .any(|m| m.group_id == *gid && m.user_id == u.id)
            })
        });
        let groups: Vec<String> = wanted.iter().map(|g| format!("`{g}`")).collect();
        match member_of_all {
            Some(u) => Ok(Outcome::pass(format!(
                "Groups {} exist and user `{}` is in all of them.",
                and_list(&groups),
                u.user_name
            ))
            .with_all(vec![ev("user", &u.user_name)])),
            None => Ok(Outcome::fail(format!(
                "No identity-store user is a member of all of {}; add your user to each group.",
                and_list(&groups)
            ))),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    #[test]
    fn a_missing_group_fails_naming_it() {
        let mut f = finished();
        ok_mut(&mut f.identity_center)
            .groups
            .retain(|g| g.display_name != "CCC");
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "`CCC`");
    }

    #[test]
    fn members_spread_over_different_users_fail() {
        let mut f = finished();
        let idc = ok_mut(&mut f.identity_center);
        let dev = idc.group("Dev").expect("Dev").id.clone();
        for m in &mut idc.group_memberships {
            if m.group_id == dev {
                m.user_id = "someone-else".into();
            }
        }
        assert_status(&eval(&META, &f), Status::Fail);
    }
}
