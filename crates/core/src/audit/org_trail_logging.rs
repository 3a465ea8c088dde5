//! `org-trail-logging`: an organization trail exists and is logging. The
//! judgement is the org-trail lab's own (`trail-logging`), so the lab and
//! the audit never disagree.

use super::RuleMeta;
use crate::checks::Outcome;
use crate::facts::Facts;

pub const META: RuleMeta = RuleMeta {
    id: "org-trail-logging",
    title: "An organization trail records every account and is logging",
    section: "cloudtrail-best-practices",
    fixes: &["org-trail/trail", "org-trail/logging"],
    remedy: "Create one multi-region organization trail from the management account and start logging on it.",
    reads: &[
        "organizations:DescribeOrganization",
        "cloudtrail:DescribeTrails",
        "cloudtrail:GetTrailStatus",
    ],
};

pub fn evaluate(facts: &Facts) -> Outcome {
    super::run_check("trail-logging", facts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::*;
    use crate::checks::Status;
    use crate::facts::{Collected, TrailStatus};

    #[test]
    fn the_reads_are_the_lab_checks_reads() {
        assert_eq!(
            META.reads.to_vec(),
            super::super::check_reads("trail-logging")
        );
    }

    #[test]
    fn fails_when_stopped_or_missing() {
        let mut f = finished();
        ok_mut(&mut f.cloudtrail).trails[0].status =
            Collected::Ok(TrailStatus { is_logging: false });
        assert_status(&eval(&META, &f), Status::Fail);
        let mut f = finished();
        ok_mut(&mut f.cloudtrail).trails.clear();
        assert_status(&eval(&META, &f), Status::Fail);
    }

    #[test]
    fn an_unreadable_status_is_unknown_naming_the_operation() {
        assert_unknown_when_unread(&META, "cloudtrail:GetTrailStatus");
    }
}
