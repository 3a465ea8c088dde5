//! `guardduty/auto-enable`: new *and existing* member accounts are enrolled
//! automatically (`AutoEnableOrganizationMembers = ALL`; `NEW` misses the
//! accounts that already exist).

use super::{
    CheckMeta, DETECTORS, MEMBER, ORG_TREE, Outcome, ParamDefault, ParamSpec, Params, and_list,
    need, run,
};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "guardduty-auto-enable",
    title: "GuardDuty enrolls new and existing member accounts automatically",
    reads: &[
        ORG_TREE,
        MEMBER,
        DETECTORS,
        &["guardduty:DescribeOrganizationConfiguration"],
    ],
    params: &[ParamSpec {
        name: "regions",
        doc: "The regions GuardDuty must cover (the lab's two)",
        default: ParamDefault::List(&["eu-central-1", "eu-central-2"]),
    }],
};

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let gd = need(&facts.guardduty, "GuardDuty")?;
        let regions = params.list("regions");
        // Per lab region; a snapshot before format 2 holds the first only.
        let mut new_only = Vec::new();
        let mut none = Vec::new();
        for region in regions {
            let cfg = match gd.organization_config_by_region.get(region) {
                Some(c) => c,
                None if gd.organization_config_by_region.is_empty() => &gd.organization_config,
                None => {
                    return Err(Outcome::unknown(format!(
                        "Could not verify GuardDuty's organization configuration in {region}: it was not read."
                    )));
                }
            };
            let cfg = need(
                cfg,
                &format!("GuardDuty's organization configuration in {region}"),
            )?;
            match cfg
                .as_ref()
                .map(|c| c.auto_enable_organization_members.as_str())
            {
                Some("ALL") => {}
                Some("NEW") => new_only.push(region),
                _ => none.push(region),
            }
        }
        Ok(if !none.is_empty() {
            Outcome::fail(format!(
                "GuardDuty does not enroll member accounts automatically in {}; from the delegated administrator, enable it for all accounts there.",
                and_list(&none)
            ))
        } else if !new_only.is_empty() {
            Outcome::fail(format!(
                "GuardDuty enrolls only new member accounts in {}; choose \"Enable for all accounts\" in the delegated administrator's Accounts page so existing ones are covered too.",
                and_list(&new_only)
            ))
        } else {
            Outcome::pass(format!(
                "GuardDuty enrolls all member accounts, new and existing, automatically in {}.",
                and_list(regions)
            ))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;
    use crate::facts::GuardDutyOrgConfig;

    #[test]
    fn new_only_fails_none_fails() {
        for mode in ["NEW", "NONE"] {
            let mut f = finished();
            *ok_mut(&mut ok_mut(&mut f.guardduty).organization_config) = Some(GuardDutyOrgConfig {
                auto_enable_organization_members: mode.into(),
            });
            assert_status(&eval(&META, &f), Status::Fail);
        }
    }

    #[test]
    fn each_lab_region_must_enroll_all_members() {
        let mut f = finished();
        let gd = ok_mut(&mut f.guardduty);
        let all = Some(GuardDutyOrgConfig {
            auto_enable_organization_members: "ALL".into(),
        });
        let new = Some(GuardDutyOrgConfig {
            auto_enable_organization_members: "NEW".into(),
        });
        gd.organization_config_by_region.insert(
            "eu-central-1".into(),
            crate::facts::Collected::Ok(all.clone()),
        );
        gd.organization_config_by_region
            .insert("eu-central-2".into(), crate::facts::Collected::Ok(new));
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "eu-central-2");
        ok_mut(&mut f.guardduty)
            .organization_config_by_region
            .insert("eu-central-2".into(), crate::facts::Collected::Ok(all));
        assert_status(&eval(&META, &f), Status::Pass);
    }
}
