//! `cognito/pool`: a user pool whose schema requires `name` and `email`.

use super::pick::{self, Step};
use super::{
    CheckMeta, Outcome, ParamDefault, ParamSpec, Params, REGION_PARAM, USER_POOLS, and_list, need,
    run,
};
use crate::facts::{Facts, UserPool};

pub const META: CheckMeta = CheckMeta {
    kind: "cognito-pool",
    title: "A Cognito user pool requires the expected attributes",
    reads: &[USER_POOLS],
    params: &[
        ParamSpec {
            name: "required_attributes",
            doc: "Schema attributes the pool must require",
            default: ParamDefault::List(&["name", "email"]),
        },
        REGION_PARAM,
    ],
};

/// The lab's six steps, for choosing the lab's pool ([`lab_pool`]).
const STEPS: &[Step<UserPool>] = &[
    Step { meta: &META, judge },
    Step {
        meta: &super::cognito_mfa::META,
        judge: super::cognito_mfa::judge,
    },
    Step {
        meta: &super::cognito_client::META,
        judge: super::cognito_client::judge,
    },
    Step {
        meta: &super::cognito_domain::META,
        judge: super::cognito_domain::judge,
    },
    Step {
        meta: &super::cognito_oauth::META,
        judge: super::cognito_oauth::judge,
    },
    Step {
        meta: &super::cognito_signup::META,
        judge: super::cognito_signup::judge,
    },
];

/// The lab's pool: the one meeting the most of the lab's steps (judged with
/// `step`, the current step's parameters), ties by name then id; `unknown`
/// or `fail` when there is none to look at.
pub(crate) fn lab_pool<'a>(facts: &'a Facts, step: &Params) -> Result<&'a UserPool, Outcome> {
    let cognito = need(&facts.cognito, "the Cognito user pools")?;
    pick::lab_resource(facts, &cognito.user_pools, STEPS, step, |p| {
        (p.name.as_str(), p.id.as_str())
    })
    .ok_or_else(|| {
        Outcome::fail(format!(
            "Account {} has no Cognito user pool; create one as the lab describes.",
            facts.account_id
        ))
    })
}

/// Whether `pool`'s schema requires the attributes of `params`.
pub(crate) fn judge(_facts: &Facts, pool: &UserPool, params: &Params) -> Outcome {
    let want = params.list("required_attributes");
    let missing: Vec<&String> = want
        .iter()
        .filter(|a| !pool.required_attributes.contains(a))
        .collect();
    Outcome::pass_if(
        missing.is_empty(),
        format!("User pool `{}` requires {}.", pool.name, and_list(want)),
        format!(
            "User pool `{}` does not require {}; required attributes are fixed at creation, so create a new pool that requires them.",
            pool.name,
            and_list(&missing)
        ),
    )
}

/// One step of the lab: the lab's pool ([`lab_pool`]), then `judge` on it.
pub(crate) fn evaluate_step(
    facts: &Facts,
    params: &Params,
    judge: fn(&Facts, &UserPool, &Params) -> Outcome,
) -> Outcome {
    run(|| Ok(judge(facts, lab_pool(facts, params)?, params)))
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    evaluate_step(facts, params, judge)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    #[test]
    fn fails_without_name_required() {
        let o = eval(
            &META,
            &with_pool(|p| p.required_attributes.retain(|a| a != "name")),
        );
        assert_names(&o, Status::Fail, "name");
    }

    use crate::checks::pick::testing::{assert_order_independent, outcomes, reorder};
    use crate::checks::{Outcome, ParamValue};
    use crate::facts::{Collected, MfaConfig, UserPool};

    const KINDS: &[&str] = &[
        "cognito-pool",
        "cognito-mfa",
        "cognito-client",
        "cognito-domain",
        "cognito-oauth",
        "cognito-signup",
    ];

    /// The finished demo's pool, renamed, with nothing of the lab done.
    fn bare(name: &str, id: &str) -> UserPool {
        UserPool {
            id: id.into(),
            name: name.into(),
            required_attributes: vec!["email".into()],
            mfa: Collected::Ok(MfaConfig {
                mfa_configuration: "OFF".into(),
                ..MfaConfig::default()
            }),
            clients: vec![],
            domain: None,
            custom_domain: None,
            estimated_number_of_users: 0,
            listed_user: None,
        }
    }

    fn finished_pool() -> UserPool {
        finished().cognito.ok().expect("cognito").user_pools[0].clone()
    }

    fn with_pools(pools: Vec<UserPool>) -> Facts {
        let mut f = finished();
        ok_mut(&mut f.cognito).user_pools = pools;
        f
    }

    /// A has MFA and a domain; B has the schema, the client, the hosted UI
    /// and a domain, but MFA off.
    fn two_attempts() -> Facts {
        let mut a = bare("a-pool", "eu-central-1_A");
        a.mfa = finished_pool().mfa;
        a.domain = Some("a-prefix".into());
        let mut b = bare("b-pool", "eu-central-1_B");
        b.required_attributes = vec!["name".into(), "email".into()];
        b.clients = finished_pool().clients;
        b.domain = Some("b-prefix".into());
        with_pools(vec![a, b])
    }

    fn all(f: &Facts) -> Vec<(String, Outcome)> {
        outcomes(f, KINDS)
    }

    #[test]
    fn the_pool_meeting_more_steps_is_judged_by_every_step_and_named() {
        let got = all(&two_attempts());
        for (kind, o) in &got {
            assert!(o.message.contains("`b-pool`"), "{kind}: {}", o.message);
            assert!(!o.message.contains("a-pool"), "{kind}: {}", o.message);
        }
        let status = |k: &str| {
            got.iter()
                .find(|(kind, _)| kind == k)
                .map(|(_, o)| o.status)
        };
        assert_eq!(
            status("cognito-mfa"),
            Some(Status::Fail),
            "A's MFA does not count"
        );
        assert_eq!(status("cognito-pool"), Some(Status::Pass));
        assert_eq!(status("cognito-client"), Some(Status::Pass));
        assert_eq!(status("cognito-oauth"), Some(Status::Pass));
        assert_eq!(status("cognito-domain"), Some(Status::Pass));
        assert_eq!(status("cognito-signup"), Some(Status::Fail));
    }

    #[test]
    fn verdicts_do_not_depend_on_the_order_pools_clients_or_attributes_are_listed() {
        let mut f = two_attempts();
        let mut extra = finished_pool();
        extra.name = "c-pool".into();
        extra.id = "eu-central-1_C".into();
        let mut second = extra.clients[0].clone();
        second.id = "second-web-client".into();
        second.has_secret = false;
        extra.clients.push(second);
        ok_mut(&mut f.cognito).user_pools.push(extra);
        let got = assert_order_independent(&f, KINDS, 3, |f, order| {
            let pools = &mut ok_mut(&mut f.cognito).user_pools;
            reorder(pools, order);
            for p in pools {
                p.clients.reverse();
                p.required_attributes.reverse();
            }
        });
        for (kind, o) in &got {
            assert_eq!(o.status, Status::Pass, "{kind}: {}", o.message);
            assert!(o.message.contains("`c-pool`"), "{kind}: {}", o.message);
        }
    }

    #[test]
    fn equal_pools_are_told_apart_by_name_then_id() {
        let f = with_pools(vec![bare("zeta", "1"), bare("alpha", "2")]);
        for (kind, o) in all(&f) {
            assert!(o.message.contains("`alpha`"), "{kind}: {}", o.message);
        }
        // Same name, same score: the smaller id, wherever it is listed.
        let mut second = bare("same", "id-2");
        second.estimated_number_of_users = 1;
        let mut first = bare("same", "id-1");
        first.estimated_number_of_users = 5;
        let mut twins = with_pools(vec![second, first]);
        let signup = check("cognito-signup");
        let o = eval(signup.meta, &twins);
        assert_names(&o, Status::Pass, "5 user(s)");
        ok_mut(&mut twins.cognito).user_pools.reverse();
        assert_eq!(eval(signup.meta, &twins), o);
    }

    #[test]
    fn the_steps_parameters_feed_the_choice() {
        // z-pool has a finished client named `app`; b-pool a finished
        // `web-client`; otherwise they are alike.
        let mut z = finished_pool();
        z.name = "z-pool".into();
        z.id = "z".into();
        z.clients[0].name = "app".into();
        let mut b = finished_pool();
        b.name = "b-pool".into();
        b.id = "b".into();
        let f = with_pools(vec![z, b]);
        let client = check("cognito-client");
        let defaults = Params::defaults(client.meta);
        let o = (client.evaluate)(&f, &defaults);
        assert_names(&o, Status::Pass, "`b-pool`");
        let renamed = defaults.with("client_name", ParamValue::Str("app".into()));
        let o = (client.evaluate)(&f, &renamed);
        assert_names(&o, Status::Pass, "`z-pool`");

        // A callback URL only b-pool's client lacks moves oauth to z-pool.
        let mut f = f;
        let url = "https://example.org/cb";
        ok_mut(&mut f.cognito).user_pools[0].clients[0].name = "web-client".into();
        ok_mut(&mut f.cognito).user_pools[0].clients[0]
            .callback_urls
            .push(url.into());
        let oauth = check("cognito-oauth");
        let p = Params::defaults(oauth.meta).with("callback_url", ParamValue::Str(url.into()));
        let o = (oauth.evaluate)(&f, &p);
        assert_names(&o, Status::Pass, "`z-pool`");
    }

    #[test]
    fn of_two_clients_with_the_lab_name_the_finished_one_counts_in_any_order() {
        let mut f = finished();
        let pool = &mut ok_mut(&mut f.cognito).user_pools[0];
        let mut half = pool.clients[0].clone();
        half.id = "0-half".into();
        half.has_secret = false;
        half.allowed_oauth_flows = vec!["implicit".into()];
        pool.clients.insert(0, half);
        let got = assert_order_independent(&f, KINDS, 2, |f, order| {
            reorder(&mut ok_mut(&mut f.cognito).user_pools[0].clients, order);
        });
        for (kind, o) in got {
            assert_eq!(o.status, Status::Pass, "{kind}: {}", o.message);
        }
    }

    #[test]
    fn no_pool_fails_and_unreadable_pools_are_unknown() {
        let f = with_pools(vec![]);
        for (kind, o) in all(&f) {
            assert_eq!(o.status, Status::Fail, "{kind}");
        }
        let mut f = finished();
        f.cognito = Collected::Unavailable(crate::facts::Unavailable::denied(
            "cognito-idp:ListUserPools",
        ));
        for (kind, o) in all(&f) {
            assert_eq!(o.status, Status::Unknown, "{kind}");
        }
    }
}
