//! `security-baseline/macie`: Macie is enabled with `security` as the
//! organization's Macie administrator.

use super::{
    CheckMeta, MEMBER, ORG_TREE, Outcome, Params, REGION_PARAM, account_param, need,
    need_named_account, run,
};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "macie-admin",
    title: "Macie is enabled and administered by the security account",
    reads: &[
        ORG_TREE,
        MEMBER,
        &[
            "macie2:ListOrganizationAdminAccounts",
            "macie2:GetMacieSession",
        ],
    ],
    params: &[
        account_param("Name of the account that administers Macie"),
        REGION_PARAM,
    ],
};

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let macie = need(&facts.macie, "Macie")?;
        let admin = need(&macie.admin_account, "Macie's administrator account")?;
        let (name, id) = need_named_account(facts, params)?;
        if admin.as_deref() != Some(id) {
            return Ok(Outcome::fail(format!(
                "Account {name} ({id}) is not Macie's administrator; designate it in Macie's Settings from the management account."
            )));
        }
        match macie
            .accounts
            .get(id)
            .map(|s| need(s, &format!("Macie in account {name}")))
        {
            Some(Ok(s)) if s.status == "ENABLED" => Ok(Outcome::pass(format!(
                "Macie is enabled and administered by account {name}."
            ))),
            Some(Ok(s)) => Ok(Outcome::fail(format!(
                "Macie in account {name} is {}; resume it.",
                s.status
            ))),
            Some(Err(unknown)) => Ok(unknown),
            None => Ok(Outcome::fail(format!(
                "Macie is not enabled in account {name}; enable it there."
            ))),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;
    use crate::facts::MacieSession;

    #[test]
    fn fails_when_paused_or_administered_elsewhere() {
        let mut f = finished();
        *ok_mut(
            ok_mut(&mut f.macie)
                .accounts
                .get_mut("222222222222")
                .expect("acct"),
        ) = MacieSession {
            status: "PAUSED".into(),
        };
        assert_status(&eval(&META, &f), Status::Fail);
        let mut f = finished();
        *ok_mut(&mut ok_mut(&mut f.macie).admin_account) = Some("111111111111".into());
        assert_status(&eval(&META, &f), Status::Fail);
    }
}
