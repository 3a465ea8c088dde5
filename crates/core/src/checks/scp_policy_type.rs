//! `scp-regions/policy-type`: service control policies are enabled on the root.

use super::{CheckMeta, ORG, Outcome, Params, need_org, run};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "scp-policy-type",
    title: "Service control policies are enabled on the organization root",
    reads: &[ORG, &["organizations:ListRoots"]],
    params: &[],
};

pub fn evaluate(facts: &Facts, _params: &Params) -> Outcome {
    run(|| {
        let org = need_org(facts)?;
        let Some(root) = org.roots.first() else {
            return Ok(Outcome::fail(format!(
                "Organization {} has no root; finish lab org first.",
                org.id
            )));
        };
        let enabled = root
            .policy_types
            .iter()
            .any(|t| t.policy_type == "SERVICE_CONTROL_POLICY" && t.status == "ENABLED");
        if enabled {
            Ok(Outcome::pass(format!(
                "Service control policies are enabled on root {}.",
                root.id
            )))
        } else {
            Ok(Outcome::fail(format!(
                "Service control policies are not enabled on root {}; enable them under Organizations > Policies.",
                root.id
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
    fn fails_when_pending_or_absent() {
        let mut f = finished();
        org_mut(&mut f).roots[0].policy_types[0].status = "PENDING_ENABLE".into();
        assert_status(&eval(&META, &f), Status::Fail);
        org_mut(&mut f).roots[0].policy_types.clear();
        assert_status(&eval(&META, &f), Status::Fail);
    }
}
