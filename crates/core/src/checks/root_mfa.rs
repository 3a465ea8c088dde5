//! `root-user/mfa`: `iam:GetAccountSummary` reports `AccountMFAEnabled = 1`.
//!
//! Read live: the credential report can be hours old, so a learner who just
//! enabled MFA must see a pass. The report is used only for advice: a root
//! sign-in within the last day (the learner just did, to enable MFA).

use super::{CheckMeta, Outcome, Params, ev, need, run};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "root-mfa",
    title: "The root user has MFA (live account summary, not the credential report)",
    reads: &[&["iam:GetAccountSummary"]],
    params: &[],
};

/// Advice when root signed in within a day of the collection time.
pub(crate) fn recent_root_sign_in(facts: &Facts) -> Option<String> {
    let iam = facts.iam.ok()?;
    let root = iam.credential_report_root.ok()?.as_ref()?;
    let used = crate::clock::parse_rfc3339(root.password_last_used.as_deref()?)?;
    let now = crate::clock::parse_rfc3339(facts.collected_at.as_deref()?)?;
    (now - used < 24 * 3600 && now >= used).then(|| {
        "The root user signed in within the last day: that was you enabling MFA, which is fine; from now on use it only for the few tasks that need root.".to_string()
    })
}

pub fn evaluate(facts: &Facts, _params: &Params) -> Outcome {
    run(|| {
        let iam = need(&facts.iam, "the root user's MFA")?;
        let summary = need(&iam.account_summary, "the root user's MFA")?;
        let mut o = Outcome::pass_if(
            summary.account_mfa_enabled == 1,
            format!(
                "The root user of account {} has MFA enabled.",
                facts.account_id
            ),
            format!(
                "The root user of account {} has no MFA; sign in as root and add an MFA device under Security credentials.",
                facts.account_id
            ),
        );
        o = o.with("AccountMFAEnabled", summary.account_mfa_enabled.to_string());
        if let Some(advice) = recent_root_sign_in(facts) {
            o.evidence.push(ev("advice", advice));
        }
        Ok(o)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;
    use crate::facts::{Collected, RootCredentials, Unavailable};

    #[test]
    fn fails_when_the_summary_says_no_mfa() {
        let mut f = finished();
        ok_mut(&mut ok_mut(&mut f.iam).account_summary).account_mfa_enabled = 0;
        assert_status(&eval(&META, &f), Status::Fail);
    }

    #[test]
    fn a_stale_credential_report_without_mfa_does_not_fail_a_fresh_fix() {
        let mut f = finished();
        ok_mut(&mut f.iam).credential_report_root = Collected::Ok(Some(RootCredentials {
            password_last_used: None,
            mfa_active: false,
        }));
        assert_status(&eval(&META, &f), Status::Pass);
    }

    #[test]
    fn a_credential_report_with_mfa_does_not_pass_a_summary_without() {
        let mut f = finished();
        let iam = ok_mut(&mut f.iam);
        ok_mut(&mut iam.account_summary).account_mfa_enabled = 0;
        iam.credential_report_root = Collected::Ok(Some(RootCredentials {
            password_last_used: None,
            mfa_active: true,
        }));
        assert_status(&eval(&META, &f), Status::Fail);
    }

    #[test]
    fn denied_summary_is_unknown_naming_the_permission() {
        let mut f = finished();
        ok_mut(&mut f.iam).account_summary =
            Collected::Unavailable(Unavailable::denied("iam:GetAccountSummary"));
        let o = eval(&META, &f);
        assert_names(&o, Status::Unknown, "iam:GetAccountSummary");
    }

    #[test]
    fn a_root_sign_in_today_is_kind_advice_not_a_failure() {
        let mut f = finished();
        f.collected_at = Some("2026-03-02T10:00:00Z".into());
        ok_mut(&mut f.iam).credential_report_root = Collected::Ok(Some(RootCredentials {
            password_last_used: Some("2026-03-02T09:15:00Z".into()),
            mfa_active: true,
        }));
        let o = eval(&META, &f);
        assert_status(&o, Status::Pass);
        assert!(
            o.evidence
                .iter()
                .any(|e| e.key == "advice" && e.value.contains("that was you"))
        );
    }

    #[test]
    fn an_old_root_sign_in_gives_no_advice() {
        let mut f = finished();
        f.collected_at = Some("2026-03-09T10:00:00Z".into());
        ok_mut(&mut f.iam).credential_report_root = Collected::Ok(Some(RootCredentials {
            password_last_used: Some("2026-03-02T09:15:00Z".into()),
            mfa_active: true,
        }));
        assert!(eval(&META, &f).evidence.iter().all(|e| e.key != "advice"));
    }
}
