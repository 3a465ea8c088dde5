//! `root-locked`: the root user has MFA and no access keys, read live from
//! the account summary (the credential report can be hours old).

use super::RuleMeta;
use crate::checks::{Outcome, need, run};
use crate::facts::Facts;

pub const META: RuleMeta = RuleMeta {
    id: "root-locked",
    title: "The root user has MFA and no access keys",
    section: "protecting-the-root-user",
    fixes: &["root-user/mfa", "root-user/no-access-keys"],
    remedy: "Sign in as root, add an MFA device and delete every root access key.",
    reads: &["iam:GetAccountSummary"],
};

pub fn evaluate(facts: &Facts) -> Outcome {
    run(|| {
        let iam = need(&facts.iam, "the root user")?;
        let s = need(&iam.account_summary, "the root user")?;
        let mut wrong = Vec::new();
        if s.account_mfa_enabled != 1 {
            wrong.push("has no MFA");
        }
        if s.account_access_keys_present != 0 {
            wrong.push("has access keys");
        }
        let o = Outcome::pass_if(
            wrong.is_empty(),
            format!(
                "The root user of account {} has MFA and no access keys.",
                facts.account_id
            ),
            format!(
                "The root user of account {} {}; add MFA and delete its access keys.",
                facts.account_id,
                wrong.join(" and ")
            ),
        );
        Ok(
            o.with("AccountMFAEnabled", s.account_mfa_enabled.to_string())
                .with(
                    "AccountAccessKeysPresent",
                    s.account_access_keys_present.to_string(),
                ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::*;
    use crate::checks::Status;
    use crate::facts::{Collected, Unavailable};

    #[test]
    fn fails_with_root_access_keys_or_without_mfa() {
        let o = eval(&META, &halfway());
        assert_names(&o, Status::Fail, "has access keys");
        let mut f = finished();
        ok_mut(&mut ok_mut(&mut f.iam).account_summary).account_mfa_enabled = 0;
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "has no MFA");
    }

    #[test]
    fn an_unreadable_summary_is_unknown_naming_the_permission() {
        let mut f = finished();
        ok_mut(&mut f.iam).account_summary =
            Collected::Unavailable(Unavailable::denied("iam:GetAccountSummary"));
        let o = eval(&META, &f);
        assert_names(&o, Status::Unknown, "iam:GetAccountSummary");
    }
}
