//! `iam-cost-explorer/user`: an IAM user has the lab's policy, attached
//! directly or through a group.

use super::{CheckMeta, IAM_POLICIES, IAM_USERS, Outcome, Params, ev, need, run};
use crate::facts::{Facts, Iam, IamUser};

pub const META: CheckMeta = CheckMeta {
    kind: "iam-user-has-policy",
    title: "An IAM user has the Cost Explorer policy, directly or through a group",
    reads: &[IAM_POLICIES, IAM_USERS],
    params: super::iam_scoped_policy::META.params,
};

/// Users holding the policy `arn`, with how they hold it.
pub(crate) fn holders<'a>(iam: &'a Iam, arn: &str) -> Vec<(&'a IamUser, String)> {
    let mut out = Vec::new();
    for user in &iam.users {
        if user.attached_policies.iter().any(|p| p.arn == arn) {
            out.push((user, "attached directly".to_string()));
            continue;
        }
        let via = user.groups.iter().find(|g| {
            iam.groups
                .iter()
                .any(|grp| &grp.name == *g && grp.attached_policies.iter().any(|p| p.arn == arn))
        });
        if let Some(g) = via {
            out.push((user, format!("through group {g}")));
        }
    }
    out
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let iam = need(&facts.iam, "the IAM users and policies")?;
        let policies = super::iam_scoped_policy::qualifying(iam, params);
        let Some(first) = policies.first() else {
            return Ok(Outcome::fail(
                "No customer-managed policy is the lab's Cost Explorer policy yet; finish step `policy` first, then attach it to a user.",
            ));
        };
        for p in &policies {
            if let Some((user, how)) = holders(iam, &p.arn).into_iter().next() {
                return Ok(Outcome::pass(format!(
                    "IAM user `{}` has policy `{}` ({how}).",
                    user.name, p.name
                ))
                .with_all(vec![ev("user", &user.name), ev("policy", &p.arn)]));
            }
        }
        Ok(Outcome::fail(format!(
            "No IAM user has policy `{}`; attach it to a user directly or to one of the user's groups.",
            first.name
        ))
        .with("policy", &first.arn))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;
    use crate::facts::AttachedPolicy;

    #[test]
    fn passes_when_the_user_has_it_through_a_group() {
        let f = finished();
        let iam = f.iam.ok().expect("iam");
        let user = iam
            .users
            .iter()
            .find(|u| u.name == "cost-viewer")
            .expect("user");
        assert!(
            user.attached_policies.is_empty(),
            "the demo attaches it via a group"
        );
        assert_status(&eval(&META, &f), Status::Pass);
    }

    #[test]
    fn passes_when_attached_directly() {
        let mut f = finished();
        let iam = ok_mut(&mut f.iam);
        let arn = iam.groups[0].attached_policies[0].clone();
        iam.groups.clear();
        iam.users[0].groups.clear();
        iam.users[0]
            .attached_policies
            .push(AttachedPolicy { ..arn });
        assert_status(&eval(&META, &f), Status::Pass);
    }

    #[test]
    fn a_policy_nobody_holds_fails() {
        let mut f = finished();
        let iam = ok_mut(&mut f.iam);
        for u in &mut iam.users {
            u.groups.clear();
            u.attached_policies.clear();
        }
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "No IAM user has policy");
    }

    #[test]
    fn without_the_policy_it_fails_pointing_at_the_first_step() {
        let mut f = finished();
        ok_mut(&mut f.iam).policies.clear();
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "step `policy`");
    }
}
