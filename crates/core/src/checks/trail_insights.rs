//! `org-trail/insights` (advice): CloudTrail Insights events are enabled on
//! the organization trail (read from the insight selectors themselves).

use super::{CheckMeta, Outcome, Params, TRAILS};
use crate::facts::{Facts, Trail};

pub const META: CheckMeta = CheckMeta {
    kind: "trail-insights",
    title: "The organization trail records Insights events",
    reads: &[TRAILS, &["cloudtrail:GetInsightSelectors"]],
    params: &[],
};

/// Whether `t` records Insights events.
pub(crate) fn judge(_facts: &Facts, t: &Trail, _params: &Params) -> Outcome {
    if t.insight_selectors.is_empty() {
        return Outcome::fail(format!(
            "Organization trail `{}` has no Insights events; consider enabling API call rate and error rate insights.",
            t.name
        ));
    }
    let mut kinds: Vec<&str> = t.insight_selectors.iter().map(String::as_str).collect();
    kinds.sort_unstable();
    Outcome::pass(format!(
        "Organization trail `{}` records Insights events ({}).",
        t.name,
        kinds.join(", ")
    ))
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
    fn fails_without_insights() {
        let f = with_trail(|t| t.insight_selectors.clear());
        assert_status(&eval(&META, &f), Status::Fail);
    }
}
