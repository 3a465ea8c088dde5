//! The runner: picks the steps to check, gets facts from a [`FactsSource`]
//! once (only the groups the selected checks declare), evaluates each step
//! on a background thread, and streams [`RunEvent`]s over a std channel.
//!
//! Owns step selection (`LAB` / `LAB/STEP`) and the run loop. Knows nothing
//! about terminals, output formats or progress files: the TUI and the CLI
//! consume the events. A check that panics becomes an `unknown` step, never
//! a crash of the run.
//!
//! [`Worker`] is the long-lived form: one thread that owns the facts source
//! (for the live account: one runtime and one AWS session, see
//! [`LiveSession`]) and runs every order it is given, the ordinary checks
//! and the cycles of a watch alike.

mod worker;

pub use worker::Worker;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::checks::{Outcome, Status};
use crate::collect::{Connection, Reach, Scope, Stats};
use crate::facts::{FactGroup, Facts, FactsError};
use crate::labs::{Action, Labs};

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Facts(#[from] FactsError),
    #[error("no lab `{name}`{hint}")]
    UnknownLab { name: String, hint: String },
    #[error("lab `{lab}` has no step `{step}`{hint}")]
    UnknownStep {
        lab: String,
        step: String,
        hint: String,
    },
    #[error("lab `{lab}` cannot run: {problems}")]
    BrokenLab { lab: String, problems: String },
    #[error(transparent)]
    Collect(#[from] crate::collect::CollectError),
}

/// Where facts come from: a snapshot, facts in memory, the live account
/// (a class of learners adds one source per learner).
pub trait FactsSource: Send {
    /// For messages: "snapshot assets/demo/halfway.json".
    fn describe(&self) -> String;
    /// The facts, with at least the groups of `scope` collected.
    fn collect(&self, scope: &Scope) -> Result<Facts, RunError>;
    /// [`FactsSource::collect`], with what it sent to AWS when it sent anything.
    fn collect_counted(&self, scope: &Scope) -> Result<(Facts, Option<Stats>), RunError> {
        self.collect(scope).map(|f| (f, None))
    }
}

/// A facts snapshot file (JSON).
#[derive(Debug, Clone)]
pub struct SnapshotFile(pub PathBuf);

impl FactsSource for SnapshotFile {
    fn describe(&self) -> String {
        format!("snapshot {}", self.0.display())
    }
    fn collect(&self, _scope: &Scope) -> Result<Facts, RunError> {
        Ok(Facts::load(&self.0)?)
    }
}

/// Facts already in memory (a loaded snapshot, tests).
#[derive(Debug, Clone)]
pub struct Loaded(pub Facts);

impl FactsSource for Loaded {
    fn describe(&self) -> String {
        format!("facts of account {}", self.0.account_id)
    }
    fn collect(&self, _scope: &Scope) -> Result<Facts, RunError> {
        Ok(self.0.clone())
    }
}

/// Facts known to be out of reach: every collection fails with `why` (a
/// class learner whose snapshot is missing, a worker that stopped).
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub describe: String,
    pub why: String,
}

impl Unreadable {
    /// Described by the reason itself.
    pub fn because(why: String) -> Unreadable {
        Unreadable {
            describe: why.clone(),
            why,
        }
    }
}

impl FactsSource for Unreadable {
    fn describe(&self) -> String {
        self.describe.clone()
    }
    fn collect(&self, _scope: &Scope) -> Result<Facts, RunError> {
        Err(RunError::Collect(
            crate::collect::CollectError::Credentials {
                message: self.why.clone(),
            },
        ))
    }
}

/// The live AWS account, read (read-only) through [`crate::collect`].
#[derive(Debug, Clone)]
pub struct Live(pub Reach);

impl FactsSource for Live {
    fn describe(&self) -> String {
        "your AWS account".to_string()
    }
    fn collect(&self, scope: &Scope) -> Result<Facts, RunError> {
        Ok(crate::collect::collect_blocking(&self.0, scope)?.0)
    }
}

/// The live AWS account through one kept [`Connection`]: the session is
/// made on the first collection and serves every later one (a watch, the
/// TUI's checks), so a cycle sends only its steps' own requests.
pub struct LiveSession {
    reach: Reach,
    connection: std::sync::OnceLock<Result<Connection, String>>,
}

impl LiveSession {
    pub fn new(reach: Reach) -> LiveSession {
        LiveSession {
            reach,
            connection: std::sync::OnceLock::new(),
        }
    }
}

impl FactsSource for LiveSession {
    fn describe(&self) -> String {
        "your AWS account".to_string()
    }
    fn collect(&self, scope: &Scope) -> Result<Facts, RunError> {
        Ok(self.collect_counted(scope)?.0)
    }
    fn collect_counted(&self, scope: &Scope) -> Result<(Facts, Option<Stats>), RunError> {
        let connection = self
            .connection
            .get_or_init(|| Connection::new(self.reach.clone()).map_err(|e| e.to_string()));
        match connection {
            Ok(c) => {
                let (facts, stats) = c.collect(scope)?;
                Ok((facts, Some(stats)))
            }
            Err(e) => Err(RunError::Collect(
                crate::collect::CollectError::Credentials { message: e.clone() },
            )),
        }
    }
}

/// One step to run.
#[derive(Debug, Clone)]
pub struct Job {
    pub lab: String,
    pub step: String,
    pub advice: bool,
    pub action: Action,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RunEvent {
    Started {
        total: usize,
    },
    /// The facts were read (before any step is evaluated): the requests
    /// sent, when the source counts them, and whether AWS throttled some
    /// of them through the retries.
    Collected {
        requests: Option<u32>,
        throttled: bool,
    },
    StepStarted {
        lab: String,
        step: String,
    },
    StepFinished {
        lab: String,
        step: String,
        outcome: Outcome,
    },
    /// `account_id` is `None` when the facts could not be had at all.
    Finished {
        account_id: Option<String>,
    },
}

/// The steps named by `targets` (`LAB` or `LAB/STEP`), in lab order; all
/// runnable steps when `targets` is empty.
pub fn select(labs: &Labs, targets: &[String]) -> Result<Vec<Job>, RunError> {
    let jobs_of = |lab: &crate::labs::Lab, only: Option<&str>| -> Vec<Job> {
        lab.steps
            .iter()
            .filter(|s| only.is_none_or(|o| o == s.id))
            .map(|s| Job {
                lab: lab.id.clone(),
                step: s.id.clone(),
                advice: s.advice,
                action: s.action.clone(),
            })
            .collect()
    };
    if targets.is_empty() {
        return Ok(labs.labs().flat_map(|l| jobs_of(l, None)).collect());
    }
    let lab_ids: Vec<&str> = labs.entries.iter().map(|e| e.id.as_str()).collect();
    let mut jobs: Vec<Job> = Vec::new();
    for t in targets {
        let (lab_id, step_id) = match t.split_once('/') {
            Some((l, s)) => (l, Some(s)),
            None => (t.as_str(), None),
        };
        let Some(entry) = labs.find(lab_id) else {
            return Err(RunError::UnknownLab {
                name: lab_id.to_string(),
                hint: did_you_mean(lab_id, &lab_ids),
            });
        };
        let Some(lab) = &entry.lab else {
            return Err(RunError::BrokenLab {
                lab: lab_id.to_string(),
                problems: entry
                    .problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            });
        };
        if let Some(step) = step_id
            && !lab.steps.iter().any(|s| s.id == step)
        {
            let ids: Vec<&str> = lab.steps.iter().map(|s| s.id.as_str()).collect();
            return Err(RunError::UnknownStep {
                lab: lab_id.to_string(),
                step: step.to_string(),
                hint: did_you_mean(step, &ids),
            });
        }
        for j in jobs_of(lab, step_id) {
            if !jobs.iter().any(|x| x.lab == j.lab && x.step == j.step) {
                jobs.push(j);
            }
        }
    }
    Ok(jobs)
}

fn did_you_mean(word: &str, candidates: &[&str]) -> String {
    match crate::suggest::suggest(word, candidates) {
        Some(s) => format!("; did you mean `{s}`?"),
        None => format!(" (there are: {})", candidates.join(", ")),
    }
}

/// The checks of the automated jobs.
fn checks_of(jobs: &[Job]) -> impl Iterator<Item = &'static crate::checks::Check> + '_ {
    jobs.iter().filter_map(|j| match &j.action {
        Action::Check { check, .. } => Some(*check),
        Action::Manual => None,
    })
}

/// The fact groups the jobs need, and nothing more.
pub fn needs(jobs: &[Job]) -> BTreeSet<FactGroup> {
    checks_of(jobs).flat_map(|c| c.meta.needs()).collect()
}

/// What to read for the jobs: their fact groups, and the accounts and
/// regions their parameters point at (`account` of a security-service
/// step, `log_archive_account`, GuardDuty's `regions`). Steps are planned
/// here, beside the runner, so every way of running checks reads the same.
pub fn plan(jobs: &[Job]) -> Scope {
    let mut scope = Scope::of(needs(jobs));
    for job in jobs {
        let Action::Check { check, params } = &job.action else {
            continue;
        };
        let needs = check.meta.needs();
        let in_security_account = needs.iter().any(|g| {
            matches!(
                g,
                FactGroup::GuardDuty
                    | FactGroup::SecurityHub
                    | FactGroup::Macie
                    | FactGroup::Detective
            )
        });
        if in_security_account && !params.str("account").is_empty() {
            scope.security_account = params.str("account").to_string();
        }
        if !params.str("log_archive_account").is_empty() {
            scope.log_archive_account = params.str("log_archive_account").to_string();
        }
        if needs.contains(&FactGroup::GuardDuty) && !params.list("regions").is_empty() {
            scope.regions = params.list("regions").to_vec();
        }
        // A regional service is read where the step says (its `region`),
        // whatever region the caller's profile names.
        if !params.str("region").is_empty() {
            for group in needs.iter().filter(|g| g.is_regional()) {
                scope
                    .service_regions
                    .entry(*group)
                    .or_insert_with(|| params.str("region").to_string());
            }
        }
    }
    scope
}

/// Runs the jobs on a background thread; events arrive on the receiver.
pub fn spawn(source: Box<dyn FactsSource>, jobs: Vec<Job>) -> Receiver<RunEvent> {
    let (tx, rx) = channel();
    std::thread::spawn(move || run(source.as_ref(), &jobs, &tx));
    rx
}

/// What one watch cycle reads for the jobs: [`plan`], narrowed to the
/// operations the steps themselves read (their `reads`), so a cycle sends
/// only the step's own requests. Everything else in those fact groups is
/// left unread, which no watched step looks at ([`crate::checks::Check::run`]
/// judges a step by its own reads alone).
pub fn plan_watch(jobs: &[Job]) -> Scope {
    let mut scope = plan(jobs);
    scope.operations = Some(
        checks_of(jobs)
            .flat_map(|c| c.meta.operations())
            .map(str::to_string)
            .collect(),
    );
    scope
}

/// Runs the jobs on this thread, sending events to `tx`; stops early when
/// nobody listens any more.
pub fn run(source: &dyn FactsSource, jobs: &[Job], tx: &Sender<RunEvent>) {
    run_planned(source, jobs, &plan(jobs), tx)
}

/// [`run`], reading `scope` ([`plan`] or [`plan_watch`] of the jobs).
pub fn run_planned(source: &dyn FactsSource, jobs: &[Job], scope: &Scope, tx: &Sender<RunEvent>) {
    if tx.send(RunEvent::Started { total: jobs.len() }).is_err() {
        return;
    }
    let facts = match source.collect_counted(scope) {
        Ok((facts, stats)) => {
            let collected = RunEvent::Collected {
                requests: stats.as_ref().map(Stats::total),
                throttled: stats.is_some_and(|s| s.throttled > 0),
            };
            if tx.send(collected).is_err() {
                return;
            }
            Ok(facts)
        }
        Err(e) => Err(e),
    };
    for job in jobs {
        let started = RunEvent::StepStarted {
            lab: job.lab.clone(),
            step: job.step.clone(),
        };
        if tx.send(started).is_err() {
            return;
        }
        let outcome = match (&job.action, &facts) {
            (Action::Manual, _) => Outcome::manual(),
            (Action::Check { check, params }, Ok(facts)) => {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check.run(facts, params)))
                    .unwrap_or_else(|panic| {
                        let why = panic
                            .downcast_ref::<&str>()
                            .map(|s| s.to_string())
                            .or_else(|| panic.downcast_ref::<String>().cloned())
                            .unwrap_or_default();
                        Outcome {
                            status: Status::Unknown,
                            message: format!(
                                "Could not verify this step: check `{}` stopped with an internal error ({why}).",
                                check.meta.kind
                            ),
                            evidence: Vec::new(),
                        }
                    })
            }
            (Action::Check { .. }, Err(e)) => Outcome::unknown(format!(
                "Could not verify this step: {} could not be read ({e}).",
                source.describe()
            )),
        };
        let finished = RunEvent::StepFinished {
            lab: job.lab.clone(),
            step: job.step.clone(),
            outcome,
        };
        if tx.send(finished).is_err() {
            return;
        }
    }
    let _ = tx.send(RunEvent::Finished {
        account_id: facts.ok().map(|f| f.account_id),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::SourceFile;

    fn labs() -> Labs {
        let text = "id: t\ntitle: T\nsummary: S\nsteps:\n  - id: mfa\n    title: A\n    instructions: x\n    section: s\n    check:\n      kind: root-mfa\n  - id: note\n    title: B\n    instructions: x\n    section: s\n    manual: true\n";
        Labs::from_sources(
            &[SourceFile {
                path: "labs/t.yaml".into(),
                text: text.into(),
            }],
            Some(&["s".to_string()].into_iter().collect()),
        )
    }

    #[test]
    fn selects_labs_and_steps_and_suggests_on_typos() {
        let l = labs();
        assert_eq!(select(&l, &[]).expect("all").len(), 2);
        assert_eq!(select(&l, &["t/mfa".into()]).expect("one").len(), 1);
        let err = select(&l, &["t/mfaa".into()])
            .expect_err("typo")
            .to_string();
        assert!(err.contains("did you mean `mfa`"), "{err}");
        let err = select(&l, &["u".into()]).expect_err("no lab").to_string();
        assert!(err.contains("no lab `u`"), "{err}");
    }

    #[test]
    fn regional_services_are_read_where_the_labs_say_not_in_the_profile_region() {
        let labs = Labs::load(&crate::course::Course::embedded());
        let scope = plan(&select(&labs, &[]).expect("all"));
        for group in [
            FactGroup::IdentityCenter,
            FactGroup::Cognito,
            FactGroup::Kms,
            FactGroup::SecurityHub,
            FactGroup::Macie,
            FactGroup::Detective,
            FactGroup::AuditManager,
        ] {
            assert_eq!(scope.region_of(group), "eu-central-1", "{group:?}");
        }
        assert_eq!(scope.regions, ["eu-central-1", "eu-central-2"]);
        let text = "id: t\ntitle: T\nsummary: S\nsteps:\n  - id: key\n    title: A\n    instructions: x\n    section: s\n    check:\n      kind: kms-cmk\n      region: eu-west-3\n";
        let moved = Labs::from_sources(
            &[SourceFile {
                path: "labs/t.yaml".into(),
                text: text.into(),
            }],
            Some(&["s".to_string()].into_iter().collect()),
        );
        let scope = plan(&select(&moved, &[]).expect("all"));
        assert_eq!(scope.region_of(FactGroup::Kms), "eu-west-3");
        assert_eq!(scope.region_of(FactGroup::Cognito), "eu-central-1");
    }

    #[test]
    fn collects_only_the_groups_the_selected_checks_need() {
        let jobs = select(&labs(), &[]).expect("all");
        assert_eq!(needs(&jobs), BTreeSet::from([FactGroup::Iam]));
    }

    #[test]
    fn streams_started_each_step_and_finished_from_a_background_thread() {
        let jobs = select(&labs(), &[]).expect("all");
        let rx = spawn(Box::new(Loaded(crate::facts::demo::finished())), jobs);
        let events: Vec<RunEvent> = rx.iter().collect();
        assert_eq!(events.first(), Some(&RunEvent::Started { total: 2 }));
        assert_eq!(
            events.last(),
            Some(&RunEvent::Finished {
                account_id: Some("111111111111".into())
            })
        );
        let outcomes: Vec<Status> = events
            .iter()
            .filter_map(|e| match e {
                RunEvent::StepFinished { outcome, .. } => Some(outcome.status),
                _ => None,
            })
            .collect();
        assert_eq!(outcomes, [Status::Pass, Status::Manual]);
    }

    #[test]
    fn an_unreadable_snapshot_makes_every_checked_step_unknown() {
        let jobs = select(&labs(), &[]).expect("all");
        let rx = spawn(Box::new(SnapshotFile("/no/such/file.json".into())), jobs);
        let events: Vec<RunEvent> = rx.iter().collect();
        assert!(events.iter().any(|e| matches!(e, RunEvent::StepFinished { outcome, .. } if outcome.status == Status::Unknown && outcome.message.contains("/no/such/file.json"))));
        assert_eq!(
            events.last(),
            Some(&RunEvent::Finished { account_id: None })
        );
    }
}
