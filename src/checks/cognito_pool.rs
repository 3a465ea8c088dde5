//! `cognito/pool`: a user pool whose schema requires `name` and `email`.

use super::{CheckMeta, Outcome, ParamDefault, ParamSpec, Params, and_list, need, run};
use crate::facts::{Facts, UserPool};

pub const META: CheckMeta = CheckMeta {
    kind: "cognito-pool",
    title: "A Cognito user pool requires the expected attributes",
    reads: &[
        "cognito-idp:ListUserPools",
        "cognito-idp:DescribeUserPool",
        "cognito-idp:GetUserPoolMfaConfig",
        "cognito-idp:ListUserPoolClients",
        "cognito-idp:DescribeUserPoolClient",
    ],
    params: &[ParamSpec {
        name: "required_attributes",
        doc: "Schema attributes the pool must require",
        default: ParamDefault::List(&["name", "email"]),
    }],
};

/// The user pools, or `unknown`/`fail` when there are none to look at.
pub(crate) fn pools(facts: &Facts) -> Result<&[UserPool], Outcome> {
    let cognito = need(&facts.cognito, "the Cognito user pools")?;
    if cognito.user_pools.is_empty() {
        return Err(Outcome::fail(format!(
            "Account {} has no Cognito user pool; create one as the lab describes.",
            facts.account_id
        )));
    }
    Ok(&cognito.user_pools)
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let pools = pools(facts)?;
        let want = params.list("required_attributes");
        if let Some(p) = pools
            .iter()
            .find(|p| want.iter().all(|a| p.required_attributes.contains(a)))
        {
            return Ok(Outcome::pass(format!(
                "User pool `{}` requires {}.",
                p.name,
                and_list(want)
            )));
        }
        let p = &pools[0];
        let missing: Vec<&String> = want
            .iter()
            .filter(|a| !p.required_attributes.contains(a))
            .collect();
        Ok(Outcome::fail(format!(
            "User pool `{}` does not require {}; required attributes are fixed at creation, so create a new pool that requires them.",
            p.name,
            and_list(&missing)
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    #[test]
    fn passes_with_name_and_email_required_and_fails_without_name() {
        let c = check(META.kind);
        assert_status(&eval(c, &finished()), Status::Pass);
        let mut f = finished();
        ok_mut(&mut f.cognito).user_pools[0]
            .required_attributes
            .retain(|a| a != "name");
        let o = eval(c, &f);
        assert_status(&o, Status::Fail);
        assert!(o.message.contains("name"));
    }
}
