//! The account audit: the chapter's own best practices, checked over the
//! same [`Facts`] the labs read. One rule per file, each a pure function
//! from facts to an [`Outcome`], with its metadata beside it: what it
//! confirms, the chapter section that teaches it, the lab steps that fix
//! it (when a lab does), and the operations it reads.
//!
//! Owns the rules and their registry ([`ALL`]). Depends on [`crate::facts`]
//! and [`crate::checks`] (the outcome type, `need`, and the lab checks a
//! rule shares its judgement with, such as the organization trail's);
//! never on the SDK, the clock, files or a UI. "Recently" and "older than"
//! are measured from `Facts::collected_at`, never the wall clock. A rule
//! is `unknown` only when an operation it reads could not be read, and
//! then it names the operation; rules never guess.

use crate::checks::{Outcome, ev};
use crate::facts::{FactGroup, Facts};

pub mod access_key_age;
pub mod customer_keys_rotate;
pub mod guardduty_everywhere;
pub mod humans_use_identity_center;
pub mod no_direct_admin;
pub mod org_trail_logging;
pub mod root_locked;
pub mod security_hub_on;

/// What a rule is, what teaches it and what fixes it.
#[derive(Debug)]
pub struct RuleMeta {
    /// The rule's id, e.g. `access-key-age`; the file is `access_key_age.rs`.
    pub id: &'static str,
    /// One line: the best practice the account should show.
    pub title: &'static str,
    /// The chapter heading anchor that teaches it.
    pub section: &'static str,
    /// Lab steps (`lab/step`) that put it right; empty when no lab does.
    pub fixes: &'static [&'static str],
    /// What to do when no lab step fixes it (or in addition to the steps).
    pub remedy: &'static str,
    /// The AWS operations its facts come from; the rule is `unknown`
    /// exactly when one of them failed.
    pub reads: &'static [&'static str],
}

/// A rule: its metadata and its evaluation.
#[derive(Clone, Copy)]
pub struct Rule {
    pub meta: &'static RuleMeta,
    pub evaluate: fn(&Facts) -> Outcome,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.meta.id).finish()
    }
}

macro_rules! registry {
    ($($module:ident),* $(,)?) => {
        /// Every rule, in the order the chapter teaches them.
        pub const ALL: &[Rule] = &[
            $(Rule { meta: &$module::META, evaluate: $module::evaluate },)*
        ];
        #[cfg(test)]
        const MODULES: &[&str] = &[$(stringify!($module)),*];
    };
}

registry!(
    humans_use_identity_center,
    access_key_age,
    no_direct_admin,
    root_locked,
    org_trail_logging,
    guardduty_everywhere,
    security_hub_on,
    customer_keys_rotate,
);

impl Rule {
    /// Judges the account: `unknown` naming the operation when one the rule
    /// reads could not be read, else the rule's verdict.
    pub fn run(&self, facts: &Facts) -> Outcome {
        if let Some((op, u)) = self
            .meta
            .reads
            .iter()
            .find_map(|op| facts.unread.get(*op).map(|u| (*op, u)))
        {
            return Outcome::unavailable(&format!("this rule ({op} could not be read)"), u);
        }
        (self.evaluate)(facts)
    }
}

/// One rule's verdict on an account.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub outcome: Outcome,
}

/// Runs every rule.
pub fn audit(facts: &Facts) -> Vec<Finding> {
    ALL.iter()
        .map(|r| Finding {
            rule: r.meta,
            outcome: r.run(facts),
        })
        .collect()
}

/// The fact groups the rules read (the collector gathers these for a review).
pub fn needs() -> std::collections::BTreeSet<FactGroup> {
    ALL.iter()
        .flat_map(|r| r.meta.reads)
        .filter_map(|op| FactGroup::of_operation(op))
        .collect()
}

/// Finds a rule.
pub fn find(id: &str) -> Option<&'static Rule> {
    ALL.iter().find(|r| r.meta.id == id)
}

/// The operations of a lab check, for rules that share its judgement
/// (their tests keep the rule's `reads` covering the check's).
#[cfg(test)]
pub(crate) fn check_reads(kind: &str) -> Vec<&'static str> {
    crate::checks::find(kind).map_or(Vec::new(), |c| c.meta.operations().collect())
}

/// A lab check run with its chapter defaults, for rules that share its judgement.
pub(crate) fn run_check(kind: &str, facts: &Facts) -> Outcome {
    match crate::checks::find(kind) {
        Some(c) => c.run(facts, &crate::checks::Params::defaults(c.meta)),
        None => Outcome::unknown(format!(
            "Could not verify this rule: check `{kind}` is missing."
        )),
    }
}

/// Combines several verdicts: any fail fails (the failures' messages),
/// else any unknown is unknown, else pass with `pass_message`.
pub(crate) fn all_of(parts: Vec<Outcome>, pass_message: &str) -> Outcome {
    use crate::checks::Status;
    let failed: Vec<&Outcome> = parts.iter().filter(|o| o.status == Status::Fail).collect();
    if !failed.is_empty() {
        let msg = failed
            .iter()
            .map(|o| o.message.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let mut o = Outcome::fail(msg);
        for f in failed {
            o.evidence.extend(f.evidence.iter().cloned());
        }
        return o;
    }
    if let Some(u) = parts.iter().find(|o| o.status == Status::Unknown) {
        return u.clone();
    }
    let mut o = Outcome::pass(pass_message);
    for p in &parts {
        o.evidence.push(ev("confirmed", &p.message));
    }
    o
}

#[cfg(test)]
pub mod testing {
    //! Helpers for rule tests: the demo accounts and literal facts.
    use crate::checks::Outcome;
    pub use crate::checks::testing::{
        assert_names, assert_status, finished, halfway, ok_mut, org_mut, unread,
    };
    use crate::facts::Facts;

    pub fn rule(id: &str) -> &'static super::Rule {
        super::find(id).expect("registered rule")
    }

    /// The verdict of the rule `meta` describes on `f`.
    pub fn eval(meta: &super::RuleMeta, f: &Facts) -> Outcome {
        rule(meta.id).run(f)
    }

    /// The rule is `unknown`, naming `operation`, when that operation
    /// could not be read.
    #[track_caller]
    pub fn assert_unknown_when_unread(meta: &super::RuleMeta, operation: &str) {
        let o = eval(meta, &unread(operation));
        assert_names(&o, crate::checks::Status::Unknown, operation);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;

    #[test]
    fn ids_are_unique_and_match_their_files() {
        let mut ids: Vec<&str> = ALL.iter().map(|r| r.meta.id).collect();
        for (rule, module) in ALL.iter().zip(MODULES) {
            assert_eq!(rule.meta.id.replace('-', "_"), *module);
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len());
        let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/src/audit"))
            .expect("audit dir")
            .filter_map(Result::ok)
            .filter(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n.ends_with(".rs") && n != "mod.rs"
            })
            .count();
        assert_eq!(files, ALL.len(), "every file in src/audit is registered");
    }

    #[test]
    fn every_rule_names_a_section_of_the_chapter_and_steps_of_the_labs() {
        let course = crate::course::Course::embedded();
        let anchors: Vec<String> = course
            .chapters
            .iter()
            .flat_map(|c| crate::markdown::heading_anchors(&c.source.text))
            .collect();
        let labs = crate::labs::Labs::load(&course);
        for r in ALL {
            assert!(
                anchors.iter().any(|a| a == r.meta.section),
                "{}: no section #{}",
                r.meta.id,
                r.meta.section
            );
            for fix in r.meta.fixes {
                let (lab, step) = fix.split_once('/').expect("lab/step");
                let found = labs
                    .labs()
                    .any(|l| l.id == lab && l.steps.iter().any(|s| s.id == step));
                assert!(found, "{}: no lab step {fix}", r.meta.id);
            }
            // That every operation it reads is collected is tested beside
            // the operation list (`collect::operations`).
            assert!(!r.meta.reads.is_empty() && !r.meta.remedy.is_empty());
        }
    }

    #[test]
    fn the_finished_demo_passes_every_rule_and_an_empty_snapshot_is_unknown() {
        for f in audit(&crate::facts::demo::finished()) {
            assert_eq!(
                f.outcome.status,
                Status::Pass,
                "{}: {:?}",
                f.rule.id,
                f.outcome
            );
        }
        let empty = Facts {
            account_id: "111111111111".into(),
            ..Facts::default()
        };
        for f in audit(&empty) {
            assert_eq!(
                f.outcome.status,
                Status::Unknown,
                "{}: {:?}",
                f.rule.id,
                f.outcome
            );
        }
    }

    #[test]
    fn a_failed_operation_makes_only_the_rules_that_read_it_unknown_naming_it() {
        let f = testing::unread("iam:ListAccessKeys");
        for finding in audit(&f) {
            if finding.rule.id == "access-key-age" {
                assert_eq!(finding.outcome.status, Status::Unknown);
                assert!(finding.outcome.message.contains("iam:ListAccessKeys"));
            } else {
                assert_eq!(finding.outcome.status, Status::Pass, "{}", finding.rule.id);
            }
        }
    }
}
