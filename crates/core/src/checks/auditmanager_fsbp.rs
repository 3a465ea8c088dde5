//! `security-baseline/audit-manager` (advice): an Audit Manager assessment
//! on the AWS Foundational Security Best Practices framework exists.

use super::{CheckMeta, Outcome, ParamDefault, ParamSpec, Params, REGION_PARAM, need, run};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "auditmanager-fsbp",
    title: "An Audit Manager assessment uses the Foundational Security Best Practices framework",
    reads: &[&["auditmanager:ListAssessments", "auditmanager:GetAssessment"]],
    params: &[
        ParamSpec {
            name: "framework",
            doc: "Framework name the assessment must use",
            default: ParamDefault::Str("AWS Foundational Security Best Practices"),
        },
        REGION_PARAM,
    ],
};

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let am = need(&facts.audit_manager, "Audit Manager")?;
        let framework = params.str("framework");
        Ok(
            match am
                .assessments
                .iter()
                .find(|a| a.framework_name.eq_ignore_ascii_case(framework))
            {
                Some(a) => Outcome::pass(format!(
                    "Audit Manager assessment `{}` uses the {framework} framework.",
                    a.name
                )),
                None => Outcome::fail(format!(
                    "No Audit Manager assessment uses the {framework} framework; create one to collect evidence continuously."
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
    fn fails_with_another_framework() {
        let mut f = finished();
        for a in &mut ok_mut(&mut f.audit_manager).assessments {
            a.framework_name = "CIS AWS Benchmark v1.4.0".into();
        }
        assert_status(&eval(&META, &f), Status::Fail);
    }
}
