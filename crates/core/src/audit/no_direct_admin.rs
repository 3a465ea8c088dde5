//! `no-direct-admin`: no IAM user or group has `AdministratorAccess`
//! attached. Administrators get it through an Identity Center permission
//! set (lab identity-center's `AdminRole`), for the time they need it.

use super::RuleMeta;
use crate::checks::{Outcome, and_list, ev, need, run};
use crate::facts::Facts;

pub const ADMIN_POLICY: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

pub const META: RuleMeta = RuleMeta {
    id: "no-direct-admin",
    title: "No IAM user or group has AdministratorAccess attached",
    section: "best-practices-for-iam",
    fixes: &["identity-center/admin-set", "iam-cost-explorer/no-admin"],
    remedy: "Detach AdministratorAccess from the users and groups; grant administration through an Identity Center permission set instead.",
    reads: &[
        "iam:ListUsers",
        "iam:ListGroupsForUser",
        "iam:ListAttachedUserPolicies",
        "iam:ListGroups",
        "iam:ListAttachedGroupPolicies",
    ],
};

pub fn evaluate(facts: &Facts) -> Outcome {
    run(|| {
        let iam = need(&facts.iam, "the IAM users and groups")?;
        let admin = |p: &crate::facts::AttachedPolicy| p.arn == ADMIN_POLICY;
        let mut holders = Vec::new();
        let mut evidence = Vec::new();
        for u in iam
            .users
            .iter()
            .filter(|u| u.attached_policies.iter().any(admin))
        {
            holders.push(format!("user `{}`", u.name));
            evidence.push(ev(
                &format!("IAM user {}", u.name),
                "AdministratorAccess attached",
            ));
        }
        for g in iam
            .groups
            .iter()
            .filter(|g| g.attached_policies.iter().any(admin))
        {
            let members: Vec<&str> = iam
                .users
                .iter()
                .filter(|u| u.groups.contains(&g.name))
                .map(|u| u.name.as_str())
                .collect();
            holders.push(format!("group `{}`", g.name));
            evidence.push(ev(
                &format!("IAM group {}", g.name),
                format!(
                    "AdministratorAccess attached; members: {}",
                    if members.is_empty() {
                        "none".to_string()
                    } else {
                        members.join(", ")
                    }
                ),
            ));
        }
        if holders.is_empty() {
            return Ok(Outcome::pass(format!(
                "No IAM user or group has AdministratorAccess attached ({} users, {} groups).",
                iam.users.len(),
                iam.groups.len()
            )));
        }
        Ok(Outcome::fail(format!(
            "AdministratorAccess is attached to IAM {}; detach it and give administrators an Identity Center permission set instead.",
            and_list(&holders)
        ))
        .with_all(evidence))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::*;
    use crate::checks::Status;
    use crate::facts::{AttachedPolicy, IamGroup};

    fn admin() -> AttachedPolicy {
        AttachedPolicy {
            name: "AdministratorAccess".into(),
            arn: ADMIN_POLICY.into(),
        }
    }

    #[test]
    fn a_user_with_it_attached_fails() {
        let mut f = finished();
        ok_mut(&mut f.iam).users[1].attached_policies.push(admin());
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "user `ci-deployer`");
    }

    #[test]
    fn a_group_with_it_attached_fails_naming_its_members() {
        let mut f = finished();
        let iam = ok_mut(&mut f.iam);
        iam.groups.push(IamGroup {
            name: "admins".into(),
            attached_policies: vec![admin()],
        });
        iam.users[0].groups.push("admins".into());
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "group `admins`");
        assert!(
            o.evidence
                .iter()
                .any(|e| e.value.contains("members: cost-viewer"))
        );
    }

    #[test]
    fn unreadable_group_policies_are_unknown_naming_the_operation() {
        assert_unknown_when_unread(&META, "iam:ListAttachedGroupPolicies");
    }
}
