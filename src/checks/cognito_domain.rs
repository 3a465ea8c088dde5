//! `cognito/domain`: the user pool has a hosted-UI domain.

use super::{CheckMeta, Outcome, Params, run};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "cognito-domain",
    title: "The user pool has a hosted-UI domain",
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
        for p in pools {
            if let Some(d) = p.custom_domain.as_ref().or(p.domain.as_ref()) {
                return Ok(Outcome::pass(format!(
                    "User pool `{}` has hosted-UI domain `{d}`.",
                    p.name
                )));
            }
        }
        Ok(Outcome::fail(format!(
            "User pool `{}` has no hosted-UI domain; add a Cognito domain under App integration > Domain.",
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
    fn passes_with_a_domain_and_fails_without() {
        let c = check(META.kind);
        assert_status(&eval(c, &finished()), Status::Pass);
        let mut f = finished();
        let pool = &mut ok_mut(&mut f.cognito).user_pools[0];
        pool.domain = None;
        pool.custom_domain = None;
        assert_status(&eval(c, &f), Status::Fail);
    }
}
