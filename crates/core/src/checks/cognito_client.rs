//! `cognito/client`: an app client named `web-client` with a client secret.
//! Only whether a secret exists is known; the secret is never read or shown.

use super::pick;
use super::{
    CheckMeta, Outcome, POOL_CLIENTS, ParamDefault, ParamSpec, Params, REGION_PARAM, USER_POOLS,
};
use crate::facts::{AppClient, Facts, UserPool};

pub const META: CheckMeta = CheckMeta {
    kind: "cognito-client",
    title: "The user pool has the web app client with a secret",
    reads: &[USER_POOLS, POOL_CLIENTS],
    params: &[CLIENT_NAME_PARAM, REGION_PARAM],
};

/// The `client_name` parameter of the steps about the lab's app client.
pub(crate) const CLIENT_NAME_PARAM: ParamSpec = ParamSpec {
    name: "client_name",
    doc: "App client name",
    default: ParamDefault::Str("web-client"),
};

/// The lab's app client in `pool`: the client named as the step says (the
/// kind's `client_name`, see [`pick::lab_params`]). Cognito does not keep
/// client names unique, so among clients of that name the one meeting more
/// of `client` and `oauth` is chosen, ties by id.
pub(crate) fn lab_client<'a>(pool: &'a UserPool, step: &Params) -> Option<&'a AppClient> {
    let name = pick::lab_params(&META, step).str("client_name").to_string();
    let oauth = pick::lab_params(&super::cognito_oauth::META, step);
    pick::choose(
        pool.clients.iter().filter(|c| c.name == name),
        |c| {
            usize::from(c.has_secret)
                + usize::from(super::cognito_oauth::lacks(c, &oauth).is_empty())
        },
        |c| c.id.as_str(),
    )
}

/// The `fail` for a pool without the lab's client.
pub(crate) fn no_client(pool: &UserPool, step: &Params) -> Outcome {
    Outcome::fail(format!(
        "User pool `{}` has no app client named `{}`; create it under App integration.",
        pool.name,
        pick::lab_params(&META, step).str("client_name")
    ))
}

/// Whether `pool`'s lab client has a secret.
pub(crate) fn judge(_facts: &Facts, pool: &UserPool, params: &Params) -> Outcome {
    let Some(client) = lab_client(pool, params) else {
        return no_client(pool, params);
    };
    Outcome::pass_if(
        client.has_secret,
        format!(
            "App client `{}` of user pool `{}` has a client secret.",
            client.name, pool.name
        ),
        format!(
            "App client `{}` of user pool `{}` has no client secret; a secret cannot be added later, so create a confidential client.",
            client.name, pool.name
        ),
    )
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
    fn fails_without_a_secret_or_with_another_name() {
        let f = with_client(|c| c.has_secret = false);
        assert_status(&eval(&META, &f), Status::Fail);
        let o = eval(&META, &with_client(|c| c.name = "webclient".into()));
        assert_names(&o, Status::Fail, "`web-client`");
    }

    #[test]
    fn the_outcome_never_carries_a_secret() {
        let o = eval(&META, &finished());
        let text = serde_json::to_string(&o).expect("json");
        assert!(!text.to_lowercase().contains("clientsecret"));
    }
}
