//! `org-trail/insights` (advice): CloudTrail Insights events are enabled on
//! the organization trail (read from the insight selectors themselves).

use super::{CheckMeta, Outcome, Params, run};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "trail-insights",
    title: "The organization trail records Insights events",
    reads: &[
        "organizations:DescribeOrganization",
        "cloudtrail:DescribeTrails",
        "cloudtrail:GetInsightSelectors",
    ],
    params: &[],
};

pub fn evaluate(facts: &Facts, _params: &Params) -> Outcome {
    run(|| {
        let trails = super::trail_org::org_trails(facts)?;
        Ok(
            match trails.iter().find(|t| !t.insight_selectors.is_empty()) {
                Some(t) => Outcome::pass(format!(
                    "Organization trail `{}` records Insights events ({}).",
                    t.name,
                    t.insight_selectors.join(", ")
                )),
                None => Outcome::fail(format!(
                    "Organization trail `{}` has no Insights events; consider enabling API call rate and error rate insights.",
                    trails[0].name
                )),
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    #[test]
    fn passes_with_insights_and_fails_without() {
        let c = check(META.kind);
        assert_status(&eval(c, &finished()), Status::Pass);
        let mut f = finished();
        ok_mut(&mut f.cloudtrail).trails[0]
            .insight_selectors
            .clear();
        assert_status(&eval(c, &f), Status::Fail);
    }
}
