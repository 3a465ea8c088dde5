//! `access-key-age`: no IAM user has an active access key older than 90
//! days. Age is measured from when the facts were collected, never from
//! the wall clock, so a snapshot reads the same tomorrow.

use super::RuleMeta;
use crate::checks::{Outcome, and_list, ev, need, run};
use crate::facts::Facts;

/// The chapter's "rotate often": a key older than this must go.
pub const MAX_AGE_DAYS: i64 = 90;

pub const META: RuleMeta = RuleMeta {
    id: "access-key-age",
    title: "No active access key is older than 90 days",
    section: "security-patterns-worth-following",
    fixes: &[],
    remedy: "Replace long-lived keys with roles or Identity Center; where a key must stay, create a new one, switch to it, then deactivate and delete the old one.",
    reads: &[
        "iam:ListUsers",
        "iam:ListGroupsForUser",
        "iam:ListAttachedUserPolicies",
        "iam:ListAccessKeys",
    ],
};

pub fn evaluate(facts: &Facts) -> Outcome {
    run(|| {
        let iam = need(&facts.iam, "the IAM users' access keys")?;
        let Some(now) = facts
            .collected_at
            .as_deref()
            .and_then(crate::clock::parse_rfc3339)
        else {
            return Ok(Outcome::unknown(
                "Could not verify the age of access keys: the facts do not say when they were collected (collect them again with `labbook collect`).",
            ));
        };
        let mut old = Vec::new();
        let mut evidence = Vec::new();
        let mut active = 0;
        for u in &iam.users {
            let keys = need(
                &u.access_keys,
                &format!("the access keys of IAM user `{}`", u.name),
            )?;
            for k in keys.iter().filter(|k| k.status == "Active") {
                active += 1;
                let Some(created) = k.created.as_deref().and_then(crate::clock::parse_rfc3339)
                else {
                    return Ok(Outcome::unknown(format!(
                        "Could not verify the age of access key …{} of IAM user `{}`: AWS gave no creation date.",
                        k.id_ending, u.name
                    )));
                };
                let days = (now - created) / 86_400;
                if days > MAX_AGE_DAYS {
                    old.push(format!("`{}` (key …{}, {days} days)", u.name, k.id_ending));
                    evidence.push(ev(
                        &format!("{} key …{}", u.name, k.id_ending),
                        format!(
                            "active, created {}, {days} days old",
                            k.created.as_deref().unwrap_or_default()
                        ),
                    ));
                }
            }
        }
        if old.is_empty() {
            return Ok(Outcome::pass(format!(
                "No active access key is older than {MAX_AGE_DAYS} days ({active} active key(s) looked at)."
            )));
        }
        Ok(Outcome::fail(format!(
            "Active access keys older than {MAX_AGE_DAYS} days: {}; rotate them or, better, replace them with roles.",
            and_list(&old)
        ))
        .with_all(evidence))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::*;
    use crate::checks::Status;
    use crate::facts::{AccessKey, Collected, Unavailable};

    fn key(status: &str, created: &str) -> AccessKey {
        AccessKey {
            id_ending: "ABCD".into(),
            status: status.into(),
            created: Some(created.into()),
        }
    }

    #[test]
    fn a_key_younger_than_90_days_passes() {
        assert_status(&eval(&META, &finished()), Status::Pass);
    }

    #[test]
    fn an_active_key_older_than_90_days_at_collection_time_fails() {
        let mut f = finished();
        f.collected_at = Some("2026-03-02T10:00:00Z".into());
        ok_mut(&mut f.iam).users[1].access_keys =
            Collected::Ok(vec![key("Active", "2025-11-01T00:00:00Z")]);
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "key …ABCD, 121 days");
    }

    #[test]
    fn the_collection_time_decides_not_the_wall_clock() {
        let mut f = finished();
        ok_mut(&mut f.iam).users[1].access_keys =
            Collected::Ok(vec![key("Active", "2025-11-01T00:00:00Z")]);
        f.collected_at = Some("2025-12-01T00:00:00Z".into());
        assert_status(&eval(&META, &f), Status::Pass);
        f.collected_at = None;
        assert_status(&eval(&META, &f), Status::Unknown);
    }

    #[test]
    fn an_old_inactive_key_is_not_held_against_the_learner() {
        let mut f = finished();
        ok_mut(&mut f.iam).users[1].access_keys =
            Collected::Ok(vec![key("Inactive", "2020-01-01T00:00:00Z")]);
        assert_status(&eval(&META, &f), Status::Pass);
    }

    #[test]
    fn the_halfway_learner_has_an_old_ci_key() {
        let o = eval(&META, &halfway());
        assert_names(&o, Status::Fail, "`ci-deployer`");
    }

    #[test]
    fn unreadable_keys_are_unknown_naming_the_operation() {
        let mut f = finished();
        ok_mut(&mut f.iam).users[0].access_keys =
            Collected::Unavailable(Unavailable::denied("iam:ListAccessKeys"));
        let o = eval(&META, &f);
        assert_names(&o, Status::Unknown, "iam:ListAccessKeys");
    }
}
