//! `security-baseline/security-hub`: Security Hub is enabled in `security`
//! with the AWS Foundational Security Best Practices standard.

use super::{
    CheckMeta, MEMBER, ORG_TREE, Outcome, ParamDefault, ParamSpec, Params, REGION_PARAM,
    account_param, need, need_named_account, run,
};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "securityhub-fsbp",
    title: "Security Hub runs the Foundational Security Best Practices standard in the security account",
    reads: &[
        ORG_TREE,
        MEMBER,
        &["securityhub:DescribeHub", "securityhub:GetEnabledStandards"],
    ],
    params: &[
        account_param("Name of the account that runs Security Hub"),
        ParamSpec {
            name: "standard",
            doc: "Part of the standard's ARN that identifies it",
            default: ParamDefault::Str("aws-foundational-security-best-practices"),
        },
        REGION_PARAM,
    ],
};

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let hub = need(&facts.security_hub, "Security Hub")?;
        let (name, id) = need_named_account(facts, params)?;
        let Some(acct) = hub.accounts.get(id) else {
            return Ok(Outcome::unknown(format!(
                "Could not verify Security Hub in account {name}: it was not looked at."
            )));
        };
        let acct = need(acct, &format!("Security Hub in account {name}"))?;
        if !acct.enabled {
            return Ok(Outcome::fail(format!(
                "Security Hub is not enabled in account {name} ({id}); enable it there."
            )));
        }
        let standard = params.str("standard");
        if acct.standards.iter().any(|s| s.contains(standard)) {
            Ok(Outcome::pass(format!(
                "Security Hub in account {name} runs the AWS Foundational Security Best Practices standard."
            )))
        } else {
            Ok(Outcome::fail(format!(
                "Security Hub in account {name} does not run the AWS Foundational Security Best Practices standard; enable it under Security standards."
            )))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;
    use crate::facts::{Collected, Unavailable};

    #[test]
    fn cis_only_or_disabled_fails() {
        let mut f = finished();
        let acct = ok_mut(
            ok_mut(&mut f.security_hub)
                .accounts
                .get_mut("222222222222")
                .expect("acct"),
        );
        acct.standards =
            vec!["arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0".into()];
        assert_status(&eval(&META, &f), Status::Fail);
        let mut f = finished();
        ok_mut(
            ok_mut(&mut f.security_hub)
                .accounts
                .get_mut("222222222222")
                .expect("acct"),
        )
        .enabled = false;
        assert_status(&eval(&META, &f), Status::Fail);
    }

    #[test]
    fn no_role_into_security_is_unknown() {
        let mut f = finished();
        ok_mut(&mut f.security_hub).accounts.insert(
            "222222222222".into(),
            Collected::Unavailable(Unavailable::denied("sts:AssumeRole")),
        );
        assert_status(&eval(&META, &f), Status::Unknown);
    }
}
