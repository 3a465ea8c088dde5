//! `org-trail/validation`: log file validation is on for the organization trail.

use super::{CheckMeta, Outcome, Params, TRAILS};
use crate::facts::{Facts, Trail};

pub const META: CheckMeta = CheckMeta {
    kind: "trail-validation",
    title: "The organization trail validates its log files",
    reads: &[TRAILS],
    params: &[],
};

/// Whether `t` validates its log files.
pub(crate) fn judge(_facts: &Facts, t: &Trail, _params: &Params) -> Outcome {
    Outcome::pass_if(
        t.log_file_validation_enabled,
        format!(
            "Organization trail `{}` has log file validation on.",
            t.name
        ),
        format!(
            "Organization trail `{}` has log file validation off; turn it on in the trail's settings.",
            t.name
        ),
    )
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    super::trail_org::evaluate_step(facts, params, judge)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    #[test]
    fn fails_without_validation() {
        let f = with_trail(|t| t.log_file_validation_enabled = false);
        assert_status(&eval(&META, &f), Status::Fail);
    }
}
