//! `guardduty-everywhere`: GuardDuty runs in both lab regions in the
//! security account and enrolls every member account, new and existing.
//! The judgements are the GuardDuty lab's own (`guardduty-detectors` and
//! `guardduty-auto-enable`, with the chapter's regions).

use super::RuleMeta;
use crate::checks::Outcome;
use crate::facts::Facts;

pub const META: RuleMeta = RuleMeta {
    id: "guardduty-everywhere",
    title: "GuardDuty is on in both lab regions and enrolls every member account",
    section: "guardduty-best-practices",
    fixes: &["guardduty/detector", "guardduty/auto-enable"],
    remedy: "From the delegated administrator, enable GuardDuty in eu-central-1 and eu-central-2 and choose \"Enable for all accounts\".",
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
};

pub fn evaluate(facts: &Facts) -> Outcome {
    super::all_of(
        vec![
            super::run_check("guardduty-detectors", facts),
            super::run_check("guardduty-auto-enable", facts),
        ],
        "GuardDuty is on in both lab regions and enrolls every member account.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::*;
    use crate::checks::Status;
    use crate::facts::{Collected, GuardDutyOrgConfig, Unavailable};

    #[test]
    fn the_reads_cover_both_lab_checks() {
        for kind in ["guardduty-detectors", "guardduty-auto-enable"] {
            for op in super::super::check_reads(kind) {
                assert!(META.reads.contains(&op), "{op}");
            }
        }
    }

    #[test]
    fn a_region_without_a_detector_fails() {
        let mut f = finished();
        let gd = ok_mut(&mut f.guardduty);
        ok_mut(&mut gd.detectors).retain(|d| d.region != "eu-central-2");
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "eu-central-2");
    }

    #[test]
    fn new_members_only_fails() {
        let mut f = finished();
        *ok_mut(&mut ok_mut(&mut f.guardduty).organization_config) = Some(GuardDutyOrgConfig {
            auto_enable_organization_members: "NEW".into(),
        });
        assert_status(&eval(&META, &f), Status::Fail);
    }

    #[test]
    fn an_unreadable_organization_configuration_is_unknown_naming_it() {
        let mut f = finished();
        ok_mut(&mut f.guardduty).organization_config = Collected::Unavailable(Unavailable::denied(
            "guardduty:DescribeOrganizationConfiguration",
        ));
        let o = eval(&META, &f);
        assert_names(
            &o,
            Status::Unknown,
            "guardduty:DescribeOrganizationConfiguration",
        );
    }
}
