//! `org-trail/logging`: `GetTrailStatus.IsLogging` is true for the organization trail.

use super::{CheckMeta, Outcome, Params, TRAILS};
use crate::facts::{Collected, Facts, Trail};

pub const META: CheckMeta = CheckMeta {
    kind: "trail-logging",
    title: "The organization trail is logging",
    reads: &[TRAILS, &["cloudtrail:GetTrailStatus"]],
    params: &[],
};

/// Whether `t` is logging (`GetTrailStatus`); `unknown` when unread.
pub(crate) fn judge(_facts: &Facts, t: &Trail, _params: &Params) -> Outcome {
    match &t.status {
        Collected::Ok(s) if s.is_logging => {
            Outcome::pass(format!("Organization trail `{}` is logging.", t.name))
        }
        Collected::Ok(_) => Outcome::fail(format!(
            "Organization trail `{}` is not logging; start logging on the trail.",
            t.name
        )),
        Collected::Unavailable(u) => {
            Outcome::unavailable(&format!("whether trail `{}` is logging", t.name), u)
        }
    }
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    super::trail_org::evaluate_step(facts, params, judge)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;
    use crate::facts::{TrailStatus, Unavailable};

    #[test]
    fn fails_when_stopped() {
        let f = with_trail(|t| t.status = Collected::Ok(TrailStatus { is_logging: false }));
        assert_status(&eval(&META, &f), Status::Fail);
    }

    #[test]
    fn unreadable_status_is_unknown() {
        let f = with_trail(|t| {
            t.status = Collected::Unavailable(Unavailable::denied("cloudtrail:GetTrailStatus"))
        });
        assert_status(&eval(&META, &f), Status::Unknown);
    }
}
