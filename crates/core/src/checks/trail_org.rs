//! `org-trail/trail`: a trail with `IsOrganizationTrail` in the management account.

use super::pick::{self, Step};
use super::{CheckMeta, Outcome, Params, TRAILS, need, need_org, run};
use crate::facts::{Facts, Organization, Trail};

pub const META: CheckMeta = CheckMeta {
    kind: "trail-org",
    title: "An organization trail exists in the management account",
    reads: &[TRAILS],
    params: &[],
};

/// The lab's six steps, for choosing the lab's trail ([`lab_trail`]).
const STEPS: &[Step<Trail>] = &[
    Step { meta: &META, judge },
    Step {
        meta: &super::trail_coverage::META,
        judge: super::trail_coverage::judge,
    },
    Step {
        meta: &super::trail_validation::META,
        judge: super::trail_validation::judge,
    },
    Step {
        meta: &super::trail_logging::META,
        judge: super::trail_logging::judge,
    },
    Step {
        meta: &super::trail_bucket_elsewhere::META,
        judge: super::trail_bucket_elsewhere::judge,
    },
    Step {
        meta: &super::trail_insights::META,
        judge: super::trail_insights::judge,
    },
];

/// Whether `t` is an organization trail owned by the management account.
fn is_org_trail(org: &Organization, t: &Trail) -> bool {
    t.is_organization_trail && t.account_id == org.management_account_id
}

/// The lab's trail: among the management account's organization trails the
/// one meeting the most of the lab's steps (judged with `step`, the current
/// step's parameters), ties by name then ARN. Only when there is no such
/// trail is another trail chosen the same way (step `trail` then fails
/// naming it). `None` when there is no trail at all.
pub(crate) fn lab_trail<'a>(facts: &'a Facts, step: &Params) -> Result<Option<&'a Trail>, Outcome> {
    let ct = need(&facts.cloudtrail, "the CloudTrail trails")?;
    let org = need_org(facts)?;
    let (org_trails, others): (Vec<&Trail>, Vec<&Trail>) =
        ct.trails.iter().partition(|t| is_org_trail(org, t));
    let candidates = if org_trails.is_empty() {
        others
    } else {
        org_trails
    };
    Ok(pick::lab_resource(facts, candidates, STEPS, step, |t| {
        (t.name.as_str(), t.arn.as_str())
    }))
}

/// The lab's trail when it is an organization trail of the management
/// account; otherwise a `fail` naming it and pointing back at step `trail`.
pub(crate) fn org_trail<'a>(facts: &'a Facts, step: &Params) -> Result<&'a Trail, Outcome> {
    match lab_trail(facts, step)? {
        None => Err(Outcome::fail(
            "There is no organization trail in the management account yet; finish step `trail` first.",
        )),
        Some(t) if is_org_trail(need_org(facts)?, t) => Ok(t),
        Some(t) => Err(Outcome::fail(format!(
            "Trail `{}` is not an organization trail of the management account yet; finish step `trail` first.",
            t.name
        ))),
    }
}

/// Whether `t` is an organization trail owned by the management account.
pub(crate) fn judge(facts: &Facts, t: &Trail, _params: &Params) -> Outcome {
    let org = match need_org(facts) {
        Ok(org) => org,
        Err(o) => return o,
    };
    if is_org_trail(org, t) {
        Outcome::pass(format!(
            "Trail `{}` is an organization trail in the management account.",
            t.name
        ))
    } else if t.is_organization_trail {
        Outcome::fail(format!(
            "Trail `{}` is an organization trail of account {}, not of the management account; create the organization trail from the management account.",
            t.name, t.account_id
        ))
    } else {
        Outcome::fail(format!(
            "Trail `{}` is not an organization trail; enable it for all accounts in the organization.",
            t.name
        ))
    }
}

/// One of the later steps of the lab: the lab's organization trail
/// ([`org_trail`]), then `judge` on it.
pub(crate) fn evaluate_step(
    facts: &Facts,
    params: &Params,
    judge: fn(&Facts, &Trail, &Params) -> Outcome,
) -> Outcome {
    run(|| Ok(judge(facts, org_trail(facts, params)?, params)))
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| match lab_trail(facts, params)? {
        Some(t) => Ok(judge(facts, t, params)),
        None => Ok(Outcome::fail(format!(
            "Management account {} has no organization trail; create a trail with \"Enable for all accounts in my organization\".",
            need_org(facts)?.management_account_id
        ))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    #[test]
    fn a_single_account_trail_fails() {
        let mut f = finished();
        for t in &mut ok_mut(&mut f.cloudtrail).trails {
            t.is_organization_trail = false;
        }
        assert_status(&eval(&META, &f), Status::Fail);
    }

    #[test]
    fn an_org_trail_owned_by_a_member_account_does_not_count() {
        let mut f = finished();
        for t in &mut ok_mut(&mut f.cloudtrail).trails {
            t.account_id = "222222222222".into();
        }
        assert_status(&eval(&META, &f), Status::Fail);
    }

    use crate::checks::pick::testing::{assert_order_independent, outcomes, reorder};
    use crate::facts::{Collected, TrailStatus};

    const KINDS: &[&str] = &[
        "trail-org",
        "trail-coverage",
        "trail-validation",
        "trail-logging",
        "trail-bucket-elsewhere",
        "trail-insights",
    ];

    fn finished_trail(name: &str) -> Trail {
        let mut t = finished().cloudtrail.ok().expect("trails").trails[0].clone();
        t.name = name.into();
        t.arn = format!("arn:aws:cloudtrail:eu-central-1:111111111111:trail/{name}");
        t
    }

    /// An organization trail of the management account with nothing else done.
    fn bare(name: &str) -> Trail {
        Trail {
            is_multi_region_trail: false,
            log_file_validation_enabled: false,
            bucket_account_id: Collected::Ok("111111111111".into()),
            status: Collected::Ok(TrailStatus { is_logging: false }),
            event_selectors: vec![],
            insight_selectors: vec![],
            ..finished_trail(name)
        }
    }

    fn with_trails(trails: Vec<Trail>) -> Facts {
        let mut f = finished();
        ok_mut(&mut f.cloudtrail).trails = trails;
        f
    }

    fn names_only(got: &[(String, crate::checks::Outcome)], name: &str, other: &str) {
        for (kind, o) in got {
            assert!(
                o.message.contains(&format!("`{name}`")),
                "{kind}: {}",
                o.message
            );
            assert!(!o.message.contains(other), "{kind}: {}", o.message);
        }
    }

    fn status_of(got: &[(String, crate::checks::Outcome)], kind: &str) -> Status {
        got.iter()
            .find(|(k, _)| k == kind)
            .map(|(_, o)| o.status)
            .expect("kind")
    }

    #[test]
    fn the_org_trail_meeting_more_steps_is_judged_by_every_step_and_named() {
        let mut a = bare("a-trail");
        a.insight_selectors = vec!["ApiCallRateInsight".into()];
        let mut b = finished_trail("b-trail");
        b.insight_selectors.clear();
        let got = outcomes(&with_trails(vec![a, b]), KINDS);
        names_only(&got, "b-trail", "a-trail");
        assert_eq!(status_of(&got, "trail-insights"), Status::Fail);
        for kind in &KINDS[..5] {
            assert_eq!(status_of(&got, kind), Status::Pass, "{kind}");
        }
    }

    #[test]
    fn verdicts_do_not_depend_on_the_order_trails_or_selectors_are_listed() {
        let mut single = finished_trail("a-single-account");
        single.is_organization_trail = false;
        let mut half = bare("b-half");
        half.log_file_validation_enabled = true;
        let f = with_trails(vec![single, half, finished_trail("c-org")]);
        let got = assert_order_independent(&f, KINDS, 3, |f, order| {
            let trails = &mut ok_mut(&mut f.cloudtrail).trails;
            reorder(trails, order);
            for t in trails {
                t.insight_selectors.reverse();
                t.event_selectors.reverse();
            }
        });
        names_only(&got, "c-org", "b-half");
        for (kind, o) in &got {
            assert_eq!(o.status, Status::Pass, "{kind}: {}", o.message);
        }
    }

    #[test]
    fn an_org_trail_is_chosen_over_a_more_finished_single_account_trail() {
        let mut single = finished_trail("a-single-account");
        single.is_organization_trail = false;
        let got = outcomes(&with_trails(vec![single, bare("z-org")]), KINDS);
        names_only(&got, "z-org", "a-single-account");
        assert_eq!(status_of(&got, "trail-org"), Status::Pass);
        assert_eq!(status_of(&got, "trail-coverage"), Status::Fail);
    }

    #[test]
    fn without_an_org_trail_the_most_finished_trail_is_named_and_every_step_fails() {
        let mut near = finished_trail("z-near");
        near.is_organization_trail = false;
        let mut far = bare("a-far");
        far.is_organization_trail = false;
        let got = outcomes(&with_trails(vec![far, near]), KINDS);
        names_only(&got, "z-near", "a-far");
        for (kind, o) in &got {
            assert_eq!(o.status, Status::Fail, "{kind}: {}", o.message);
        }
        let trail = &got[0].1;
        assert!(
            trail.message.contains("not an organization trail"),
            "{}",
            trail.message
        );
        assert!(
            got[1].1.message.contains("step `trail`"),
            "{}",
            got[1].1.message
        );
    }

    #[test]
    fn equal_trails_are_told_apart_by_name() {
        let got = outcomes(&with_trails(vec![bare("zeta"), bare("alpha")]), KINDS);
        names_only(&got, "alpha", "zeta");
        let again = outcomes(&with_trails(vec![bare("alpha"), bare("zeta")]), KINDS);
        assert_eq!(got, again);
    }

    #[test]
    fn an_org_trail_of_a_member_account_is_named_when_it_is_all_there_is() {
        let mut t = finished_trail("member-trail");
        t.account_id = "222222222222".into();
        let o = eval(&META, &with_trails(vec![t]));
        assert_status(&o, Status::Fail);
        assert!(
            o.message.contains("`member-trail`") && o.message.contains("222222222222"),
            "{}",
            o.message
        );
    }

    #[test]
    fn no_trail_at_all_fails_every_step() {
        for (kind, o) in outcomes(&with_trails(vec![]), KINDS) {
            assert_eq!(o.status, Status::Fail, "{kind}: {}", o.message);
        }
    }
}
