//! `cognito/domain`: the user pool has a hosted-UI domain.

use super::{CheckMeta, Outcome, Params, REGION_PARAM, USER_POOLS};
use crate::facts::{Facts, UserPool};

pub const META: CheckMeta = CheckMeta {
    kind: "cognito-domain",
    title: "The user pool has a hosted-UI domain",
    reads: &[USER_POOLS],
    params: &[REGION_PARAM],
};

/// Whether `pool` has a hosted-UI domain (a custom one or a prefix).
pub(crate) fn judge(_facts: &Facts, pool: &UserPool, _params: &Params) -> Outcome {
    match pool.custom_domain.as_ref().or(pool.domain.as_ref()) {
        Some(d) => Outcome::pass(format!(
            "User pool `{}` has hosted-UI domain `{d}`.",
            pool.name
        )),
        None => Outcome::fail(format!(
            "User pool `{}` has no hosted-UI domain; add a Cognito domain under App integration > Domain.",
            pool.name
        )),
    }
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    super::cognito_pool::evaluate_step(facts, params, judge)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    #[test]
    fn fails_without_a_domain() {
        let f = with_pool(|p| {
            p.domain = None;
            p.custom_domain = None;
        });
        assert_status(&eval(&META, &f), Status::Fail);
    }
}
