//! `cognito/oauth`: the web client enables the Cognito identity provider,
//! the callback and sign-out URLs, and the authorization-code grant.

use super::{
    CheckMeta, Outcome, POOL_CLIENTS, ParamDefault, ParamSpec, Params, REGION_PARAM, USER_POOLS,
    and_list,
};
use crate::facts::{AppClient, Facts, UserPool};

pub const META: CheckMeta = CheckMeta {
    kind: "cognito-oauth",
    title: "The web client is set up for the hosted UI with the code grant",
    reads: &[USER_POOLS, POOL_CLIENTS],
    params: &[
        super::cognito_client::CLIENT_NAME_PARAM,
        ParamSpec {
            name: "callback_url",
            doc: "Allowed callback URL",
            default: ParamDefault::Str("https://example.com/callback"),
        },
        ParamSpec {
            name: "logout_url",
            doc: "Allowed sign-out URL",
            default: ParamDefault::Str("https://example.com/signout"),
        },
        REGION_PARAM,
    ],
};

/// What client `c` lacks of the hosted-UI setup `params` asks for (empty
/// when it has everything).
pub(crate) fn lacks(c: &AppClient, params: &Params) -> Vec<String> {
    let (callback, logout) = (params.str("callback_url"), params.str("logout_url"));
    let mut missing = Vec::new();
    if !c
        .supported_identity_providers
        .iter()
        .any(|p| p == "COGNITO")
    {
        missing.push("the Cognito user pool identity provider".to_string());
    }
    if !c.callback_urls.iter().any(|u| u == callback) {
        missing.push(format!("callback URL {callback}"));
    }
    if !c.logout_urls.iter().any(|u| u == logout) {
        missing.push(format!("sign-out URL {logout}"));
    }
    if !c.allowed_oauth_flows_user_pool_client || !c.allowed_oauth_flows.iter().any(|f| f == "code")
    {
        missing.push("the authorization code grant".to_string());
    }
    missing
}

/// Whether `pool`'s lab client is set up for the hosted UI.
pub(crate) fn judge(_facts: &Facts, pool: &UserPool, params: &Params) -> Outcome {
    let Some(c) = super::cognito_client::lab_client(pool, params) else {
        return super::cognito_client::no_client(pool, params);
    };
    let missing = lacks(c, params);
    Outcome::pass_if(
        missing.is_empty(),
        format!(
            "App client `{}` of user pool `{}` uses the hosted UI with the code grant and the lab's URLs.",
            c.name, pool.name
        ),
        format!(
            "App client `{}` of user pool `{}` lacks {}; set it in the client's hosted UI settings.",
            c.name,
            pool.name,
            and_list(&missing)
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
    fn implicit_grant_only_fails() {
        let o = eval(
            &META,
            &with_client(|c| c.allowed_oauth_flows = vec!["implicit".into()]),
        );
        assert_names(&o, Status::Fail, "authorization code");
    }

    #[test]
    fn wrong_callback_fails_naming_it() {
        let o = eval(
            &META,
            &with_client(|c| c.callback_urls = vec!["https://example.com/cb".into()]),
        );
        assert_names(&o, Status::Fail, "https://example.com/callback");
    }

    #[test]
    fn missing_signout_or_provider_fails() {
        assert_status(
            &eval(&META, &with_client(|c| c.logout_urls.clear())),
            Status::Fail,
        );
        assert_status(
            &eval(
                &META,
                &with_client(|c| c.supported_identity_providers.clear()),
            ),
            Status::Fail,
        );
    }
}
