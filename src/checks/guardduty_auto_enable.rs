//! `guardduty/auto-enable`: new *and existing* member accounts are enrolled
//! automatically (`AutoEnableOrganizationMembers = ALL`; `NEW` misses the
//! accounts that already exist).

use super::{CheckMeta, Outcome, Params, need, run};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "guardduty-auto-enable",
    title: "GuardDuty enrolls new and existing member accounts automatically",
    reads: &[
        "organizations:DescribeOrganization",
        "organizations:ListRoots",
        "organizations:ListOrganizationalUnitsForParent",
        "organizations:ListAccountsForParent",
        "sts:AssumeRole",
        "guardduty:ListDetectors",
        "guardduty:GetDetector",
        "guardduty:DescribeOrganizationConfiguration",
    ],
    params: &[],
};

pub fn evaluate(facts: &Facts, _params: &Params) -> Outcome {
    run(|| {
        let gd = need(&facts.guardduty, "GuardDuty")?;
        let cfg = need(
            &gd.organization_config,
            "GuardDuty's organization configuration",
        )?;
        Ok(
            match cfg
                .as_ref()
                .map(|c| c.auto_enable_organization_members.as_str())
            {
                Some("ALL") => Outcome::pass(
                    "GuardDuty enrolls all member accounts, new and existing, automatically.",
                ),
                Some("NEW") => Outcome::fail(
                    "GuardDuty enrolls only new member accounts; choose \"Enable for all accounts\" in the delegated administrator's Accounts page so existing ones are covered too.",
                ),
                _ => Outcome::fail(
                    "GuardDuty does not enroll member accounts automatically; from the delegated administrator, enable it for all accounts.",
                ),
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;
    use crate::facts::GuardDutyOrgConfig;

    #[test]
    fn all_passes_new_only_fails_none_fails() {
        let c = check(META.kind);
        assert_status(&eval(c, &finished()), Status::Pass);
        for mode in ["NEW", "NONE"] {
            let mut f = finished();
            *ok_mut(&mut ok_mut(&mut f.guardduty).organization_config) = Some(GuardDutyOrgConfig {
                auto_enable_organization_members: mode.into(),
            });
            assert_status(&eval(c, &f), Status::Fail);
        }
    }
}
