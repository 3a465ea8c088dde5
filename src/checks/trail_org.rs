//! `org-trail/trail`: a trail with `IsOrganizationTrail` in the management account.

use super::{CheckMeta, Outcome, Params, need, need_org, run};
use crate::facts::{Facts, Trail};

pub const META: CheckMeta = CheckMeta {
    kind: "trail-org",
    title: "An organization trail exists in the management account",
    reads: &[
        "organizations:DescribeOrganization",
        "cloudtrail:DescribeTrails",
    ],
    params: &[],
};

/// The organization trails owned by the management account, or a `fail`
/// pointing back at step `trail`.
pub(crate) fn org_trails(facts: &Facts) -> Result<Vec<&Trail>, Outcome> {
    let ct = need(&facts.cloudtrail, "the CloudTrail trails")?;
    let org = need_org(facts)?;
    let trails: Vec<&Trail> = ct
        .trails
        .iter()
        .filter(|t| t.is_organization_trail && t.account_id == org.management_account_id)
        .collect();
    if trails.is_empty() {
        return Err(Outcome::fail(
            "There is no organization trail in the management account yet; finish step `trail` first.",
        ));
    }
    Ok(trails)
}

pub fn evaluate(facts: &Facts, _params: &Params) -> Outcome {
    run(|| {
        let trails = org_trails(facts).map_err(|o| match o.status {
            super::Status::Fail => Outcome::fail(format!(
                "Management account {} has no organization trail; create a trail with \"Enable for all accounts in my organization\".",
                facts.organization.ok().and_then(|o| o.as_ref()).map(|o| o.management_account_id.as_str()).unwrap_or(&facts.account_id)
            )),
            _ => o,
        })?;
        Ok(Outcome::pass(format!(
            "Trail `{}` is an organization trail in the management account.",
            trails[0].name
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    fn c() -> &'static crate::checks::Check {
        check(META.kind)
    }

    #[test]
    fn passes_with_an_org_trail() {
        assert_status(&eval(c(), &finished()), Status::Pass);
    }

    #[test]
    fn a_single_account_trail_fails() {
        let mut f = finished();
        for t in &mut ok_mut(&mut f.cloudtrail).trails {
            t.is_organization_trail = false;
        }
        assert_status(&eval(c(), &f), Status::Fail);
    }

    #[test]
    fn an_org_trail_owned_by_a_member_account_does_not_count() {
        let mut f = finished();
        for t in &mut ok_mut(&mut f.cloudtrail).trails {
            t.account_id = "222222222222".into();
        }
        assert_status(&eval(c(), &f), Status::Fail);
    }
}
