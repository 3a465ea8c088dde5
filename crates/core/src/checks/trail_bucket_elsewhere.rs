//! `org-trail/bucket-elsewhere`: the organization trail's bucket is not in
//! the management account (it belongs in `log-archive`). The bucket's owner
//! is confirmed from inside the log-archive account; when that role cannot
//! be assumed, the step is `unknown`, not `fail`.

use super::{
    CheckMeta, MEMBER, ORG_TREE, Outcome, ParamDefault, ParamSpec, Params, ev, need, need_org, run,
};
use crate::facts::{Facts, Trail};

pub const META: CheckMeta = CheckMeta {
    kind: "trail-bucket-elsewhere",
    title: "The organization trail's bucket lives outside the management account",
    reads: &[
        ORG_TREE,
        MEMBER,
        &["cloudtrail:DescribeTrails", "s3:ListAllMyBuckets"],
    ],
    params: &[ParamSpec {
        name: "log_archive_account",
        doc: "Name of the account meant to hold the bucket",
        default: ParamDefault::Str("log-archive"),
    }],
};

/// Whether `t`'s bucket is outside the management account; `unknown` when
/// its owner could not be confirmed.
pub(crate) fn judge(facts: &Facts, t: &Trail, params: &Params) -> Outcome {
    run(|| {
        let org = need_org(facts)?;
        let owner = need(
            &t.bucket_account_id,
            &format!(
                "who owns bucket `{}` of trail `{}`",
                t.s3_bucket_name, t.name
            ),
        )?;
        let archive = params.str("log_archive_account");
        let evidence = vec![ev("bucket", &t.s3_bucket_name), ev("bucket account", owner)];
        if *owner == org.management_account_id {
            return Ok(Outcome::fail(format!(
                "Bucket `{}` of trail `{}` is in the management account; move the logs to a bucket in the {archive} account.",
                t.s3_bucket_name, t.name
            ))
            .with_all(evidence));
        }
        let name = org.account_name(owner).unwrap_or(owner);
        let mut o = Outcome::pass(format!(
            "Bucket `{}` of trail `{}` is in account {name}, outside the management account.",
            t.s3_bucket_name, t.name
        ))
        .with_all(evidence);
        if name != archive {
            o = o.with(
                "note",
                format!("the chapter keeps it in the {archive} account"),
            );
        }
        Ok(o)
    })
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    super::trail_org::evaluate_step(facts, params, judge)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;
    use crate::facts::{Collected, Unavailable};

    #[test]
    fn a_bucket_in_the_management_account_fails() {
        let f = with_trail(|t| t.bucket_account_id = Collected::Ok("111111111111".into()));
        assert_status(&eval(&META, &f), Status::Fail);
    }

    #[test]
    fn no_role_into_log_archive_is_unknown_naming_the_permission() {
        let f = with_trail(|t| {
            t.bucket_account_id = Collected::Unavailable(Unavailable {
                reason: "could not assume OrganizationAccountAccessRole in log-archive".into(),
                permission: Some("sts:AssumeRole".into()),
                operation: None,
            })
        });
        let o = eval(&META, &f);
        assert_names(&o, Status::Unknown, "sts:AssumeRole");
    }
}
