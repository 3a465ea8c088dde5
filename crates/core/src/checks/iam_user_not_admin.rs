//! `iam-cost-explorer/no-admin` (advice): the user with the Cost Explorer
//! policy does not also have `AdministratorAccess` (directly or via a group).

use super::{
    CheckMeta, IAM_POLICIES, IAM_USERS, Outcome, ParamDefault, ParamSpec, Params, and_list, need,
    run,
};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "iam-user-not-admin",
    title: "The Cost Explorer user is not also an administrator",
    reads: &[IAM_POLICIES, IAM_USERS],
    params: &[
        ParamSpec {
            name: "actions",
            doc: "Actions the lab's policy allows (identifies the policy)",
            default: ParamDefault::List(&["ce:GetCostAndUsage", "ce:ListCostCategoryDefinitions"]),
        },
        ParamSpec {
            name: "region",
            doc: "The region the lab's policy is pinned to",
            default: ParamDefault::Str("eu-central-1"),
        },
        ParamSpec {
            name: "service",
            doc: "Service prefix of the lab's policy",
            default: ParamDefault::Str("ce"),
        },
        ParamSpec {
            name: "admin_policy",
            doc: "ARN of the administrator policy the user must not have",
            default: ParamDefault::Str("arn:aws:iam::aws:policy/AdministratorAccess"),
        },
    ],
};

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let iam = need(&facts.iam, "the IAM users and policies")?;
        let mut users = Vec::new();
        for p in super::iam_scoped_policy::qualifying(iam, params) {
            for (u, _) in super::iam_user_has_policy::holders(iam, &p.arn) {
                if !users
                    .iter()
                    .any(|x: &&crate::facts::IamUser| x.name == u.name)
                {
                    users.push(u);
                }
            }
        }
        if users.is_empty() {
            return Ok(Outcome::fail(
                "No IAM user has the lab's Cost Explorer policy yet; finish steps `policy` and `user` first.",
            ));
        }
        let admin = params.str("admin_policy");
        let admins: Vec<String> = super::iam_user_has_policy::holders(iam, admin)
            .into_iter()
            .filter(|(u, _)| users.iter().any(|x| x.name == u.name))
            .map(|(u, how)| format!("`{}` ({how})", u.name))
            .collect();
        let names: Vec<String> = users.iter().map(|u| format!("`{}`", u.name)).collect();
        if admins.is_empty() {
            Ok(Outcome::pass(format!(
                "IAM user {} has the Cost Explorer policy and no AdministratorAccess.",
                and_list(&names)
            )))
        } else {
            Ok(Outcome::fail(format!(
                "IAM user {} also has AdministratorAccess, which makes the scoped policy pointless; detach it.",
                and_list(&admins)
            ))
            .with("admin policy", admin))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;
    use crate::facts::{AttachedPolicy, IamGroup};

    fn admin() -> AttachedPolicy {
        AttachedPolicy {
            name: "AdministratorAccess".into(),
            arn: "arn:aws:iam::aws:policy/AdministratorAccess".into(),
        }
    }

    #[test]
    fn admin_attached_directly_fails() {
        let mut f = finished();
        user_mut(&mut f, "cost-viewer")
            .attached_policies
            .push(admin());
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "cost-viewer");
    }

    #[test]
    fn admin_through_a_group_fails() {
        let mut f = finished();
        ok_mut(&mut f.iam).groups.push(IamGroup {
            name: "admins".into(),
            attached_policies: vec![admin()],
        });
        user_mut(&mut f, "cost-viewer").groups.push("admins".into());
        assert_status(&eval(&META, &f), Status::Fail);
    }
}
