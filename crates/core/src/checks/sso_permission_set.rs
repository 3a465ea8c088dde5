//! `identity-center/admin-set` and `ccc-set`: a permission set with a given
//! name carries a given AWS-managed policy.

use super::{
    CheckMeta, Outcome, PERMISSION_SETS, ParamDefault, ParamSpec, Params, REGION_PARAM, ev, need,
    run,
};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "sso-permission-set",
    title: "A permission set carries the expected AWS-managed policy",
    reads: &[PERMISSION_SETS],
    params: &[
        ParamSpec {
            name: "name",
            doc: "Permission set name",
            default: ParamDefault::Str("AdminRole"),
        },
        ParamSpec {
            name: "managed_policy",
            doc: "ARN of the AWS-managed policy it must carry",
            default: ParamDefault::Str("arn:aws:iam::aws:policy/AdministratorAccess"),
        },
        REGION_PARAM,
    ],
};

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let idc = need(&facts.identity_center, "the permission sets")?;
        let name = params.str("name");
        let policy = params.str("managed_policy");
        let short = policy.rsplit('/').next().unwrap_or(policy);
        let Some(set) = idc.permission_set(name) else {
            return Ok(Outcome::fail(format!(
                "There is no permission set `{name}`; create it in IAM Identity Center with the {short} policy."
            )));
        };
        let evidence = vec![ev("managed policies", set.managed_policies.join(", "))];
        if set.managed_policies.iter().any(|p| p == policy) {
            Ok(
                Outcome::pass(format!("Permission set `{name}` carries {short}."))
                    .with_all(evidence),
            )
        } else {
            Ok(Outcome::fail(format!(
                "Permission set `{name}` does not carry {short}; attach that AWS-managed policy to it."
            ))
            .with_all(evidence))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::checks::{ParamValue, Status};

    fn ccc() -> Params {
        Params::defaults(&META)
            .with("name", ParamValue::Str("CloudCompetenceCenterRole".into()))
            .with(
                "managed_policy",
                ParamValue::Str("arn:aws:iam::aws:policy/PowerUserAccess".into()),
            )
    }

    #[test]
    fn admin_and_ccc_sets_pass_on_the_finished_account() {
        assert_status(
            &evaluate(&finished(), &Params::defaults(&META)),
            Status::Pass,
        );
        assert_status(&evaluate(&finished(), &ccc()), Status::Pass);
    }

    #[test]
    fn a_set_with_the_wrong_policy_fails() {
        let mut f = finished();
        permission_set_mut(&mut f, "CloudCompetenceCenterRole").managed_policies =
            vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()];
        let o = evaluate(&f, &ccc());
        assert_names(&o, Status::Fail, "PowerUserAccess");
    }

    #[test]
    fn a_missing_set_fails_naming_it() {
        let mut f = finished();
        ok_mut(&mut f.identity_center)
            .permission_sets
            .retain(|p| p.name != "AdminRole");
        let o = evaluate(&f, &Params::defaults(&META));
        assert_names(&o, Status::Fail, "`AdminRole`");
    }
}
