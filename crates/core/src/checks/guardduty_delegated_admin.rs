//! `guardduty/delegated-admin`: the `security` account is GuardDuty's
//! delegated administrator.

use super::{
    CheckMeta, GUARDDUTY_REGIONS_PARAM, ORG_TREE, Outcome, Params, account_param, and_list, need,
    need_named_account, run,
};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "guardduty-delegated-admin",
    title: "The security account is GuardDuty's delegated administrator",
    reads: &[ORG_TREE, &["guardduty:ListOrganizationAdminAccounts"]],
    params: &[
        account_param("Name of the account that administers GuardDuty"),
        GUARDDUTY_REGIONS_PARAM,
    ],
};

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let gd = need(&facts.guardduty, "GuardDuty")?;
        let admins = need(&gd.admin_accounts, "GuardDuty's delegated administrator")?;
        let (name, id) = need_named_account(facts, params)?;
        // The administrator is designated per region; an entry without a
        // region (older snapshots) stands for every region.
        let in_region = |r: &str| {
            admins.iter().any(|a| {
                a.account_id == id
                    && a.status == "ENABLED"
                    && (a.region == r || a.region.is_empty())
            })
        };
        let regions = params.list("regions");
        let missing: Vec<&String> = regions.iter().filter(|r| !in_region(r)).collect();
        if missing.is_empty() {
            return Ok(Outcome::pass(format!(
                "Account {name} ({id}) is GuardDuty's delegated administrator in {}.",
                and_list(regions)
            )));
        }
        if missing.len() < regions.len() {
            return Ok(Outcome::fail(format!(
                "Account {name} ({id}) is GuardDuty's delegated administrator, but not in {}; designate it there too from the management account.",
                and_list(&missing)
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
    fn fails_for_another_account_or_none() {
        let mut f = finished();
        *ok_mut(&mut ok_mut(&mut f.guardduty).admin_accounts) = vec![GuardDutyAdmin {
            account_id: "111111111111".into(),
            region: String::new(),
            status: "ENABLED".into(),
        }];
        assert_status(&eval(&META, &f), Status::Fail);
        ok_mut(&mut ok_mut(&mut f.guardduty).admin_accounts).clear();
        assert_status(&eval(&META, &f), Status::Fail);
    }

    #[test]
    fn an_administrator_in_one_lab_region_only_fails_naming_the_other() {
        let mut f = finished();
        let security = ok_mut(&mut ok_mut(&mut f.guardduty).admin_accounts)[0]
            .account_id
            .clone();
        *ok_mut(&mut ok_mut(&mut f.guardduty).admin_accounts) = vec![GuardDutyAdmin {
            account_id: security.clone(),
            region: "eu-central-1".into(),
            status: "ENABLED".into(),
        }];
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "eu-central-2");
        ok_mut(&mut ok_mut(&mut f.guardduty).admin_accounts).push(GuardDutyAdmin {
            account_id: security,
            region: "eu-central-2".into(),
            status: "ENABLED".into(),
        });
        assert_status(&eval(&META, &f), Status::Pass);
    }
}
