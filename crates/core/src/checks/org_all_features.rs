//! `org/exists`: the caller's account is the management account of an
//! organization with all features enabled.

use super::{CheckMeta, ORG, Outcome, Params, ev, need_org, run};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "org-all-features",
    title: "The caller's account manages an organization with all features enabled",
    reads: &[ORG],
    params: &[],
};

pub fn evaluate(facts: &Facts, _params: &Params) -> Outcome {
    run(|| {
        let org = need_org(facts)?;
        let evidence = vec![
            ev("organization", &org.id),
            ev("feature set", &org.feature_set),
            ev("management account", &org.management_account_id),
            ev("caller account", &facts.account_id),
        ];
        if org.management_account_id != facts.account_id {
            return Ok(Outcome::fail(format!(
                "Account {} is a member of organization {}, not its management account; run the checks with the management account's credentials.",
                facts.account_id, org.id
            ))
            .with_all(evidence));
        }
        if org.feature_set != "ALL" {
            return Ok(Outcome::fail(format!(
                "Organization {} has only {} features; enable all features in the Organizations console.",
                org.id, org.feature_set
            ))
            .with_all(evidence));
        }
        Ok(Outcome::pass(format!(
            "Account {} manages organization {} with all features enabled.",
            facts.account_id, org.id
        ))
        .with_all(evidence))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;
    use crate::facts::{Collected, Unavailable};

    #[test]
    fn a_member_account_fails() {
        let mut f = finished();
        f.account_id = "222222222222".into();
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "not its management account");
    }

    #[test]
    fn consolidated_billing_only_fails() {
        let mut f = finished();
        org_mut(&mut f).feature_set = "CONSOLIDATED_BILLING".into();
        assert_status(&eval(&META, &f), Status::Fail);
    }

    #[test]
    fn no_organization_fails() {
        let mut f = finished();
        f.organization = Collected::Ok(None);
        assert_status(&eval(&META, &f), Status::Fail);
    }

    #[test]
    fn access_denied_is_unknown() {
        let mut f = finished();
        f.organization =
            Collected::Unavailable(Unavailable::denied("organizations:DescribeOrganization"));
        let o = eval(&META, &f);
        assert_names(&o, Status::Unknown, "organizations:DescribeOrganization");
    }
}
