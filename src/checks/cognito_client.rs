//! `cognito/client`: an app client named `web-client` with a client secret.
//! Only whether a secret exists is known; the secret is never read or shown.

use super::{CheckMeta, Outcome, ParamDefault, ParamSpec, Params, run};
use crate::facts::{AppClient, Facts, UserPool};

pub const META: CheckMeta = CheckMeta {
    kind: "cognito-client",
    title: "The user pool has the web app client with a secret",
    reads: &[
        "cognito-idp:ListUserPools",
        "cognito-idp:DescribeUserPool",
        "cognito-idp:GetUserPoolMfaConfig",
        "cognito-idp:ListUserPoolClients",
        "cognito-idp:DescribeUserPoolClient",
    ],
    params: &[ParamSpec {
        name: "client_name",
        doc: "App client name",
        default: ParamDefault::Str("web-client"),
    }],
};

/// The app client named `name`, with its pool, or a `fail`.
pub(crate) fn find_client<'a>(
    facts: &'a Facts,
    name: &str,
) -> Result<(&'a UserPool, &'a AppClient), Outcome> {
    let pools = super::cognito_pool::pools(facts)?;
    pools
        .iter()
        .find_map(|p| p.clients.iter().find(|c| c.name == name).map(|c| (p, c)))
        .ok_or_else(|| {
            Outcome::fail(format!(
                "User pool `{}` has no app client named `{name}`; create it under App integration.",
                pools[0].name
            ))
        })
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let (pool, client) = find_client(facts, params.str("client_name"))?;
        if client.has_secret {
            Ok(Outcome::pass(format!(
                "App client `{}` of user pool `{}` has a client secret.",
                client.name, pool.name
            )))
        } else {
            Ok(Outcome::fail(format!(
                "App client `{}` of user pool `{}` has no client secret; a secret cannot be added later, so create a confidential client.",
                client.name, pool.name
            )))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    #[test]
    fn passes_with_a_secret_fails_without_or_with_another_name() {
        let c = check(META.kind);
        assert_status(&eval(c, &finished()), Status::Pass);
        let mut f = finished();
        ok_mut(&mut f.cognito).user_pools[0].clients[0].has_secret = false;
        assert_status(&eval(c, &f), Status::Fail);
        ok_mut(&mut f.cognito).user_pools[0].clients[0].name = "webclient".into();
        let o = eval(c, &f);
        assert_status(&o, Status::Fail);
        assert!(o.message.contains("`web-client`"));
    }

    #[test]
    fn the_outcome_never_carries_a_secret() {
        let o = eval(check(META.kind), &finished());
        let text = serde_json::to_string(&o).expect("json");
        assert!(!text.to_lowercase().contains("clientsecret"));
    }
}
