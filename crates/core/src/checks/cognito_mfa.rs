//! `cognito/mfa`: MFA is `ON` with SMS as a factor; `OPTIONAL` with SMS
//! passes with a warning. The state comes from `GetUserPoolMfaConfig`.

use super::{CheckMeta, Outcome, Params, REGION_PARAM, USER_POOLS, ev};
use crate::facts::{Collected, Facts, UserPool};

pub const META: CheckMeta = CheckMeta {
    kind: "cognito-mfa",
    title: "The user pool requires MFA with SMS",
    reads: &[USER_POOLS, &["cognito-idp:GetUserPoolMfaConfig"]],
    params: &[REGION_PARAM],
};

/// `pool`'s MFA: `ON` with SMS passes, `OPTIONAL` with SMS passes with a
/// warning, anything else fails; an unread configuration is `unknown`.
pub(crate) fn judge(_facts: &Facts, pool: &UserPool, _params: &Params) -> Outcome {
    let cfg = match &pool.mfa {
        Collected::Ok(c) => c,
        Collected::Unavailable(u) => {
            return Outcome::unavailable(&format!("the MFA of user pool `{}`", pool.name), u);
        }
    };
    let evidence = vec![
        ev("MfaConfiguration", &cfg.mfa_configuration),
        ev("SMS", cfg.sms_enabled.to_string()),
    ];
    match (cfg.mfa_configuration.as_str(), cfg.sms_enabled) {
        ("ON", true) => Outcome::pass(format!(
            "User pool `{}` requires MFA with SMS.",
            pool.name
        ))
        .with_all(evidence),
        ("OPTIONAL", true) => Outcome::pass(format!(
            "User pool `{}` offers SMS MFA but leaves it OPTIONAL; set it to required so every user has a second factor.",
            pool.name
        ))
        .with_all(evidence)
        .with("warning", "MFA is optional: users can skip it"),
        (mode, sms) => {
            let what = if mode == "OFF" {
                "has MFA turned off".to_string()
            } else if !sms {
                format!("has MFA {mode} without SMS")
            } else {
                format!("has MFA set to {mode}")
            };
            Outcome::fail(format!(
                "User pool `{}` {what}; require MFA with SMS as a factor.",
                pool.name
            ))
            .with_all(evidence)
        }
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
    use crate::facts::{MfaConfig, Unavailable};

    fn with_mfa(mode: &str, sms: bool) -> Facts {
        with_pool(|p| {
            p.mfa = Collected::Ok(MfaConfig {
                mfa_configuration: mode.into(),
                sms_enabled: sms,
                software_token_enabled: true,
                email_enabled: false,
            })
        })
    }

    #[test]
    fn on_with_sms_passes_cleanly() {
        let o = eval(&META, &with_mfa("ON", true));
        assert_status(&o, Status::Pass);
        assert!(o.evidence.iter().all(|e| e.key != "warning"));
    }

    #[test]
    fn optional_with_sms_passes_with_a_warning() {
        let o = eval(&META, &with_mfa("OPTIONAL", true));
        assert_status(&o, Status::Pass);
        assert!(o.evidence.iter().any(|e| e.key == "warning"));
        assert!(o.message.contains("OPTIONAL"));
    }

    #[test]
    fn off_fails() {
        assert_status(&eval(&META, &with_mfa("OFF", false)), Status::Fail);
    }

    #[test]
    fn on_with_only_an_authenticator_app_fails() {
        let o = eval(&META, &with_mfa("ON", false));
        assert_names(&o, Status::Fail, "without SMS");
    }

    #[test]
    fn unreadable_mfa_config_is_unknown() {
        let f = with_pool(|p| {
            p.mfa = Collected::Unavailable(Unavailable::denied("cognito-idp:GetUserPoolMfaConfig"))
        });
        let o = eval(&META, &f);
        assert_names(&o, Status::Unknown, "cognito-idp:GetUserPoolMfaConfig");
    }
}
