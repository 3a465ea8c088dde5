//! `org-trail/validation`: log file validation is on for the organization trail.

use super::{CheckMeta, Outcome, Params, run};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "trail-validation",
    title: "The organization trail validates its log files",
    reads: &[
        "organizations:DescribeOrganization",
        "cloudtrail:DescribeTrails",
    ],
    params: &[],
};

pub fn evaluate(facts: &Facts, _params: &Params) -> Outcome {
    run(|| {
        let trails = super::trail_org::org_trails(facts)?;
        Ok(
            match trails.iter().find(|t| t.log_file_validation_enabled) {
                Some(t) => Outcome::pass(format!(
                    "Organization trail `{}` has log file validation on.",
                    t.name
                )),
                None => Outcome::fail(format!(
                    "Organization trail `{}` has log file validation off; turn it on in the trail's settings.",
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
    fn passes_with_validation_and_fails_without() {
        let c = check(META.kind);
        assert_status(&eval(c, &finished()), Status::Pass);
        let mut f = finished();
        ok_mut(&mut f.cloudtrail).trails[0].log_file_validation_enabled = false;
        assert_status(&eval(c, &f), Status::Fail);
    }
}
