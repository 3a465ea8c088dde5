//! `guardduty/delegated-admin`: the `security` account is GuardDuty's
//! delegated administrator.

use super::{
    CheckMeta, Outcome, ParamDefault, ParamSpec, Params, need, need_account, need_org, run,
};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "guardduty-delegated-admin",
    title: "The security account is GuardDuty's delegated administrator",
    reads: &[
        "organizations:DescribeOrganization",
        "organizations:ListRoots",
        "organizations:ListOrganizationalUnitsForParent",
        "organizations:ListAccountsForParent",
        "guardduty:ListOrganizationAdminAccounts",
    ],
    params: &[ParamSpec {
        name: "account",
        doc: "Name of the account that administers GuardDuty",
        default: ParamDefault::Str("security"),
    }],
};

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let gd = need(&facts.guardduty, "GuardDuty")?;
        let admins = need(&gd.admin_accounts, "GuardDuty's delegated administrator")?;
        let org = need_org(facts)?;
        let name = params.str("account");
        let id = need_account(org, name)?;
        if admins
            .iter()
            .any(|a| a.account_id == id && a.status == "ENABLED")
        {
            return Ok(Outcome::pass(format!(
                "Account {name} ({id}) is GuardDuty's delegated administrator."
            )));
        }
        let others: Vec<&str> = admins.iter().map(|a| a.account_id.as_str()).collect();
        let now = if others.is_empty() {
            "there is none".to_string()
        } else {
            format!("it is {}", others.join(", "))
        };
        Ok(Outcome::fail(format!(
            "Account {name} ({id}) is not GuardDuty's delegated administrator ({now}); designate it in GuardDuty's Settings from the management account."
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;
    use crate::facts::GuardDutyAdmin;

    #[test]
    fn passes_for_security_and_fails_for_another_account_or_none() {
        let c = check(META.kind);
        assert_status(&eval(c, &finished()), Status::Pass);
        let mut f = finished();
        *ok_mut(&mut ok_mut(&mut f.guardduty).admin_accounts) = vec![GuardDutyAdmin {
            account_id: "111111111111".into(),
            status: "ENABLED".into(),
        }];
        assert_status(&eval(c, &f), Status::Fail);
        ok_mut(&mut ok_mut(&mut f.guardduty).admin_accounts).clear();
        assert_status(&eval(c, &f), Status::Fail);
    }
}
