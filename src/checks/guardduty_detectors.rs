//! `guardduty/detector`: an enabled detector in the `security` account in
//! each of the lab's regions.

use super::{
    CheckMeta, Outcome, ParamDefault, ParamSpec, Params, and_list, need, need_account, need_org,
    run,
};
use crate::facts::{FactGroup, Facts};

pub const META: CheckMeta = CheckMeta {
    kind: "guardduty-detectors",
    title: "GuardDuty detectors are enabled in the security account in each region",
    needs: &[FactGroup::GuardDuty, FactGroup::Organization],
    params: &[
        ParamSpec {
            name: "account",
            doc: "Name of the account that runs the detectors",
            default: ParamDefault::Str("security"),
        },
        ParamSpec {
            name: "regions",
            doc: "Regions that need an enabled detector",
            default: ParamDefault::List(&["eu-central-1", "eu-central-2"]),
        },
    ],
};

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let gd = need(&facts.guardduty, "GuardDuty")?;
        let detectors = need(&gd.detectors, "the GuardDuty detectors")?;
        let org = need_org(facts)?;
        let name = params.str("account");
        let id = need_account(org, name)?;
        let missing: Vec<&String> = params
            .list("regions")
            .iter()
            .filter(|r| {
                !detectors
                    .iter()
                    .any(|d| d.account_id == id && &d.region == *r && d.status == "ENABLED")
            })
            .collect();
        if missing.is_empty() {
            Ok(Outcome::pass(format!(
                "Account {name} has an enabled GuardDuty detector in {}.",
                and_list(params.list("regions"))
            )))
        } else {
            Ok(Outcome::fail(format!(
                "Account {name} ({id}) has no enabled GuardDuty detector in {}; enable GuardDuty there.",
                and_list(&missing)
            )))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    fn c() -> &'static crate::checks::Check {
        check(META.kind)
    }

    #[test]
    fn passes_with_both_regions_enabled() {
        assert_status(&eval(c(), &finished()), Status::Pass);
    }

    #[test]
    fn zurich_missing_fails_naming_it() {
        let mut f = finished();
        ok_mut(&mut ok_mut(&mut f.guardduty).detectors).retain(|d| d.region != "eu-central-2");
        let o = eval(c(), &f);
        assert_status(&o, Status::Fail);
        assert!(o.message.contains("eu-central-2"));
    }

    #[test]
    fn a_suspended_detector_or_one_in_another_account_fails() {
        let mut f = finished();
        for d in ok_mut(&mut ok_mut(&mut f.guardduty).detectors) {
            d.status = "DISABLED".into();
        }
        assert_status(&eval(c(), &f), Status::Fail);
        let mut f = finished();
        for d in ok_mut(&mut ok_mut(&mut f.guardduty).detectors) {
            d.account_id = "111111111111".into();
        }
        assert_status(&eval(c(), &f), Status::Fail);
    }
}
