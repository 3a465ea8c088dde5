//! `humans-use-identity-center`: people sign in through IAM Identity
//! Center, not as IAM users with console passwords. The lab's own test
//! user (the Cost Explorer lab's) counts too: the finding says to remove it,
//! or at least its password, once that lab is done.

use super::RuleMeta;
use crate::checks::{Outcome, Params, and_list, ev, need, run};
use crate::facts::Facts;

pub const META: RuleMeta = RuleMeta {
    id: "humans-use-identity-center",
    title: "People sign in through Identity Center, not as IAM users with console passwords",
    section: "choosing-between-iam-users-groups-roles-and-identity-center",
    fixes: &["identity-center/instance", "identity-center/assignments"],
    remedy: "Give each person an Identity Center user in a group with an account assignment, then delete the IAM users' console passwords (or the users).",
    reads: &[
        "iam:ListUsers",
        "iam:ListGroupsForUser",
        "iam:ListAttachedUserPolicies",
        "iam:GetLoginProfile",
        "sso:ListInstances",
    ],
};

/// The IAM users that hold the Cost Explorer lab's policy: the lab's test users.
fn lab_users(facts: &Facts) -> Vec<String> {
    let Some(iam) = facts.iam.ok() else {
        return Vec::new();
    };
    let params = Params::defaults(&crate::checks::iam_scoped_policy::META);
    crate::checks::iam_scoped_policy::qualifying(iam, &params)
        .into_iter()
        .flat_map(|p| crate::checks::iam_user_has_policy::holders(iam, &p.arn))
        .map(|(u, _)| u.name.clone())
        .collect()
}

pub fn evaluate(facts: &Facts) -> Outcome {
    run(|| {
        let iam = need(&facts.iam, "the IAM users")?;
        let mut with_password = Vec::new();
        for u in &iam.users {
            if *need(
                &u.console_password,
                &format!("whether IAM user `{}` has a console password", u.name),
            )? {
                with_password.push(u.name.as_str());
            }
        }
        if !with_password.is_empty() {
            let lab = lab_users(facts);
            let (test, others): (Vec<&str>, Vec<&str>) = with_password
                .iter()
                .partition(|n| lab.iter().any(|l| l == *n));
            let mut sentences = Vec::new();
            if !others.is_empty() {
                let names: Vec<String> = others.iter().map(|n| format!("`{n}`")).collect();
                sentences.push(format!(
                    "IAM user {} can sign in to the console with a password; give people Identity Center users instead and delete these passwords.",
                    and_list(&names)
                ));
            }
            if !test.is_empty() {
                let names: Vec<String> = test.iter().map(|n| format!("`{n}`")).collect();
                sentences.push(format!(
                    "IAM user {} is the Cost Explorer lab's test user and still has a console password; remove the user (or at least its password) once the lab is done.",
                    and_list(&names)
                ));
            }
            let mut o = Outcome::fail(sentences.join(" "));
            for n in &with_password {
                let lab_note = if test.contains(n) {
                    " (the lab's test user)"
                } else {
                    ""
                };
                o.evidence.push(ev(
                    &format!("IAM user {n}"),
                    format!("console password{lab_note}"),
                ));
            }
            return Ok(o);
        }
        let ic = need(&facts.identity_center, "IAM Identity Center")?;
        if ic.instances.is_empty() {
            return Ok(Outcome::fail(
                "No IAM user has a console password, but Identity Center is not enabled either, so people have no good way in; enable it (lab identity-center).",
            ));
        }
        Ok(Outcome::pass(format!(
            "No IAM user has a console password ({} user(s) looked at), and Identity Center is enabled for people to sign in.",
            iam.users.len()
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::*;
    use crate::checks::Status;
    use crate::facts::{Collected, Unavailable};

    #[test]
    fn a_user_with_a_console_password_fails_naming_it() {
        let mut f = finished();
        let u = &mut ok_mut(&mut f.iam).users[1];
        u.console_password = Collected::Ok(true);
        let name = u.name.clone();
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, &format!("`{name}`"));
        assert!(!o.message.contains("test user"), "{}", o.message);
    }

    #[test]
    fn the_labs_own_test_user_counts_and_is_told_to_go_once_the_lab_is_done() {
        let o = eval(&META, &halfway());
        assert_names(
            &o,
            Status::Fail,
            "`cost-viewer` is the Cost Explorer lab's test user",
        );
        assert!(o.message.contains("once the lab is done"), "{}", o.message);
    }

    #[test]
    fn no_identity_center_fails_even_without_passwords() {
        let mut f = finished();
        ok_mut(&mut f.identity_center).instances.clear();
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "Identity Center is not enabled");
    }

    #[test]
    fn an_unreadable_login_profile_is_unknown_naming_the_operation() {
        let mut f = finished();
        ok_mut(&mut f.iam).users[0].console_password =
            Collected::Unavailable(Unavailable::denied("iam:GetLoginProfile"));
        let o = eval(&META, &f);
        assert_names(&o, Status::Unknown, "iam:GetLoginProfile");

        assert_unknown_when_unread(&META, "sso:ListInstances");
    }
}
