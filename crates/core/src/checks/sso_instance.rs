//! `identity-center/instance`: an IAM Identity Center instance exists.

use super::{CheckMeta, Outcome, Params, REGION_PARAM, need, run};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "sso-instance",
    title: "An IAM Identity Center instance exists",
    reads: &[&["sso:ListInstances"]],
    params: &[REGION_PARAM],
};

pub fn evaluate(facts: &Facts, _params: &Params) -> Outcome {
    run(|| {
        let idc = need(&facts.identity_center, "IAM Identity Center")?;
        match idc.instances.first() {
            Some(i) => Ok(Outcome::pass(format!(
                "IAM Identity Center instance {} is enabled (identity store {}).",
                i.instance_arn, i.identity_store_id
            ))),
            None => Ok(Outcome::fail(format!(
                "Account {} has no IAM Identity Center instance; enable Identity Center in the console (organization instance).",
                facts.account_id
            ))),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    #[test]
    fn fails_without_an_instance() {
        let mut f = finished();
        ok_mut(&mut f.identity_center).instances.clear();
        assert_status(&eval(&META, &f), Status::Fail);
    }
}
