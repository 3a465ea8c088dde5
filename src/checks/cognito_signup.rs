//! `cognito/signup`: at least one user has signed up.

use super::{CheckMeta, Outcome, Params, run};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "cognito-signup",
    title: "At least one user has signed up to the user pool",
    reads: &[
        "cognito-idp:ListUserPools",
        "cognito-idp:DescribeUserPool",
        "cognito-idp:GetUserPoolMfaConfig",
        "cognito-idp:ListUserPoolClients",
        "cognito-idp:DescribeUserPoolClient",
    ],
    params: &[],
};

pub fn evaluate(facts: &Facts, _params: &Params) -> Outcome {
    run(|| {
        let pools = super::cognito_pool::pools(facts)?;
        if let Some(p) = pools.iter().find(|p| p.estimated_number_of_users > 0) {
            return Ok(Outcome::pass(format!(
                "User pool `{}` has {} user(s).",
                p.name, p.estimated_number_of_users
            )));
        }
        Ok(Outcome::fail(format!(
            "User pool `{}` has no users yet; open the hosted UI and sign up.",
            pools[0].name
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    #[test]
    fn passes_with_a_user_and_fails_with_none() {
        let c = check(META.kind);
        assert_status(&eval(c, &finished()), Status::Pass);
        let mut f = finished();
        ok_mut(&mut f.cognito).user_pools[0].estimated_number_of_users = 0;
        assert_status(&eval(c, &f), Status::Fail);
    }
}
