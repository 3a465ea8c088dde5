//! `org-trail/logging`: `GetTrailStatus.IsLogging` is true for the organization trail.

use super::{CheckMeta, Outcome, Params, run};
use crate::facts::{Collected, Facts};

pub const META: CheckMeta = CheckMeta {
    kind: "trail-logging",
    title: "The organization trail is logging",
    reads: &[
        "organizations:DescribeOrganization",
        "cloudtrail:DescribeTrails",
        "cloudtrail:GetTrailStatus",
    ],
    params: &[],
};

pub fn evaluate(facts: &Facts, _params: &Params) -> Outcome {
    run(|| {
        let trails = super::trail_org::org_trails(facts)?;
        let mut unknown = None;
        let mut stopped = None;
        for t in &trails {
            match &t.status {
                Collected::Ok(s) if s.is_logging => {
                    return Ok(Outcome::pass(format!(
                        "Organization trail `{}` is logging.",
                        t.name
                    )));
                }
                Collected::Ok(_) => {
                    stopped.get_or_insert(t.name.clone());
                }
                Collected::Unavailable(u) => {
                    unknown.get_or_insert_with(|| {
                        Outcome::unavailable(&format!("whether trail `{}` is logging", t.name), u)
                    });
                }
            }
        }
        Ok(match (stopped, unknown) {
            (_, Some(u)) => u,
            (Some(name), None) => Outcome::fail(format!(
                "Organization trail `{name}` is not logging; start logging on the trail."
            )),
            (None, None) => Outcome::fail("No organization trail."),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;
    use crate::facts::{TrailStatus, Unavailable};

    fn c() -> &'static crate::checks::Check {
        check(META.kind)
    }

    #[test]
    fn passes_when_logging_and_fails_when_stopped() {
        assert_status(&eval(c(), &finished()), Status::Pass);
        let mut f = finished();
        ok_mut(&mut f.cloudtrail).trails[0].status =
            Collected::Ok(TrailStatus { is_logging: false });
        assert_status(&eval(c(), &f), Status::Fail);
    }

    #[test]
    fn unreadable_status_is_unknown() {
        let mut f = finished();
        ok_mut(&mut f.cloudtrail).trails[0].status =
            Collected::Unavailable(Unavailable::denied("cloudtrail:GetTrailStatus"));
        assert_status(&eval(c(), &f), Status::Unknown);
    }
}
