//! `guardduty/detector`: an enabled detector in the `security` account in
//! each of the lab's regions.

use super::{
    CheckMeta, DETECTORS, GUARDDUTY_REGIONS_PARAM, MEMBER, ORG_TREE, Outcome, Params,
    account_param, and_list, need, need_named_account, run,
};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "guardduty-detectors",
    title: "GuardDuty detectors are enabled in the security account in each region",
    reads: &[ORG_TREE, MEMBER, DETECTORS],
    params: &[
        account_param("Name of the account that runs the detectors"),
        GUARDDUTY_REGIONS_PARAM,
    ],
};

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let gd = need(&facts.guardduty, "GuardDuty")?;
        let detectors = need(&gd.detectors, "the GuardDuty detectors")?;
        let (name, id) = need_named_account(facts, params)?;
        // A region that could not be read is unknown; a region read without
        // an enabled detector fails, whatever the other region says.
        let (unread, read): (Vec<&String>, Vec<&String>) = params
            .list("regions")
            .iter()
            .partition(|r| gd.unavailable_regions.contains_key(r.as_str()));
        let missing: Vec<&String> = read
            .into_iter()
            .filter(|r| {
                !detectors
                    .iter()
                    .any(|d| d.account_id == id && &d.region == *r && d.status == "ENABLED")
            })
            .collect();
        if missing.is_empty()
            && let Some(u) = unread
                .first()
                .and_then(|r| gd.unavailable_regions.get(r.as_str()))
        {
            return Ok(Outcome::unavailable(
                &format!("the GuardDuty detectors of account {name}"),
                u,
            ));
        }
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

    #[test]
    fn zurich_missing_fails_naming_it() {
        let mut f = finished();
        ok_mut(&mut ok_mut(&mut f.guardduty).detectors).retain(|d| d.region != "eu-central-2");
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "eu-central-2");
    }

    #[test]
    fn one_unreadable_region_is_unknown_and_never_hides_the_other() {
        let mut f = finished();
        ok_mut(&mut f.guardduty).unavailable_regions.insert(
            "eu-central-2".into(),
            crate::facts::Unavailable::denied("guardduty:ListDetectors"),
        );
        ok_mut(&mut ok_mut(&mut f.guardduty).detectors).retain(|d| d.region != "eu-central-2");
        let o = eval(&META, &f);
        assert_names(&o, Status::Unknown, "guardduty:ListDetectors");
        // The readable region without a detector is still a failure.
        ok_mut(&mut ok_mut(&mut f.guardduty).detectors).clear();
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "eu-central-1");
    }

    #[test]
    fn a_suspended_detector_or_one_in_another_account_fails() {
        let mut f = finished();
        for d in ok_mut(&mut ok_mut(&mut f.guardduty).detectors) {
            d.status = "DISABLED".into();
        }
        assert_status(&eval(&META, &f), Status::Fail);
        let mut f = finished();
        for d in ok_mut(&mut ok_mut(&mut f.guardduty).detectors) {
            d.account_id = "111111111111".into();
        }
        assert_status(&eval(&META, &f), Status::Fail);
    }
}
