//! `security-hub-on`: Security Hub is enabled in the security account (the
//! standard it runs is the security-baseline lab's concern).

use super::RuleMeta;
use crate::checks::{Outcome, need, need_account, need_org, run};
use crate::facts::Facts;

/// The account the chapter runs the security services in.
pub const SECURITY_ACCOUNT: &str = "security";

pub const META: RuleMeta = RuleMeta {
    id: "security-hub-on",
    title: "Security Hub is on in the security account",
    section: "security-hub-best-practices",
    fixes: &["security-baseline/security-hub"],
    remedy: "Enable Security Hub in the security account, with the Foundational Security Best Practices standard.",
    reads: &[
        "organizations:DescribeOrganization",
        "organizations:ListRoots",
        "organizations:ListOrganizationalUnitsForParent",
        "organizations:ListAccountsForParent",
        "sts:AssumeRole",
        "securityhub:DescribeHub",
    ],
};

pub fn evaluate(facts: &Facts) -> Outcome {
    run(|| {
        let hub = need(&facts.security_hub, "Security Hub")?;
        let org = need_org(facts)?;
        let id = need_account(org, SECURITY_ACCOUNT)?;
        let Some(acct) = hub.accounts.get(id) else {
            return Ok(Outcome::unknown(format!(
                "Could not verify Security Hub in account {SECURITY_ACCOUNT}: it was not looked at."
            )));
        };
        let acct = need(acct, &format!("Security Hub in account {SECURITY_ACCOUNT}"))?;
        Ok(Outcome::pass_if(
            acct.enabled,
            format!("Security Hub is on in account {SECURITY_ACCOUNT} ({id})."),
            format!(
                "Security Hub is not enabled in account {SECURITY_ACCOUNT} ({id}); enable it there."
            ),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::*;
    use crate::checks::Status;
    use crate::facts::{Collected, Unavailable};

    fn security_id(f: &Facts) -> String {
        f.organization
            .ok()
            .and_then(|o| o.as_ref())
            .and_then(|o| o.account_by_name(SECURITY_ACCOUNT))
            .map(|a| a.id.clone())
            .expect("a security account")
    }

    #[test]
    fn fails_when_disabled() {
        let mut f = finished();
        let id = security_id(&f);
        let hub = ok_mut(&mut f.security_hub);
        ok_mut(hub.accounts.get_mut(&id).expect("looked at")).enabled = false;
        assert_status(&eval(&META, &f), Status::Fail);
    }

    #[test]
    fn an_account_that_cannot_be_entered_is_unknown_naming_the_permission() {
        let mut f = finished();
        let id = security_id(&f);
        ok_mut(&mut f.security_hub).accounts.insert(
            id,
            Collected::Unavailable(Unavailable::denied("securityhub:DescribeHub")),
        );
        let o = eval(&META, &f);
        assert_names(&o, Status::Unknown, "securityhub:DescribeHub");
    }
}
