//! `cognito/signup`: at least one user has signed up.

use super::{CheckMeta, Outcome, Params, REGION_PARAM, USER_POOLS};
use crate::facts::{Facts, UserPool};

pub const META: CheckMeta = CheckMeta {
    kind: "cognito-signup",
    title: "At least one user has signed up to the user pool",
    reads: &[USER_POOLS, &["cognito-idp:ListUsers"]],
    params: &[REGION_PARAM],
};

/// Whether anyone has signed up to `pool`.
pub(crate) fn judge(_facts: &Facts, pool: &UserPool, _params: &Params) -> Outcome {
    if pool.estimated_number_of_users > 0 {
        Outcome::pass(format!(
            "User pool `{}` has {} user(s).",
            pool.name, pool.estimated_number_of_users
        ))
    } else if pool.listed_user == Some(true) {
        // The estimate lags behind a fresh sign-up; the listing does not.
        Outcome::pass(format!("User pool `{}` has a user.", pool.name))
    } else {
        Outcome::fail(format!(
            "User pool `{}` has no users yet; open the hosted UI and sign up.",
            pool.name
        ))
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
    fn fails_with_no_user() {
        let f = with_pool(|p| p.estimated_number_of_users = 0);
        assert_status(&eval(&META, &f), Status::Fail);
    }

    #[test]
    fn a_lagging_estimate_of_zero_is_settled_by_the_listing() {
        let listed = |user| {
            with_pool(|p| {
                p.estimated_number_of_users = 0;
                p.listed_user = Some(user);
            })
        };
        assert_status(&eval(&META, &listed(true)), Status::Pass);
        assert_status(&eval(&META, &listed(false)), Status::Fail);
    }
}
