//! A class: one [`FactsSource`] per learner, checked concurrently with the
//! same steps and checks learner mode runs, bounded by a worker count.
//!
//! Each learner's source is independent: live, a learner's credentials are
//! assumed from the instructor's ([`crate::collect::Reach::assume`]) in the
//! learner's own session, so a learner whose role cannot be assumed, who is
//! throttled or denied, is that learner's row only (every checked step
//! `unknown` with the reason). Offline, a learner's source is a snapshot
//! written by `labbook class collect`.
//!
//! Owns the class run and its plain results; knows nothing about output
//! formats (the writers in `report` read a [`ClassRun`]) or terminals.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};

use crate::checks::Outcome;
use crate::collect::{Assume, Reach, Scope};
use crate::facts::Facts;
use crate::roster::Roster;
use crate::runner::{self, FactsSource, Job, Loaded, RunError, RunEvent};

/// Workers (learners read at once) when `--concurrency` is not given:
/// enough to keep a remote API busy, few enough not to be throttled.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// AWS calls in flight per learner in a class run (learner mode uses more;
/// a class multiplies it by the workers).
const CALLS_PER_LEARNER: usize = 6;

/// AWS requests sent by the live learner sources of this process (for
/// `LABBOOK_STATS`).
static REQUESTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// AWS requests the live learner sources have sent so far.
pub fn requests_sent() -> u64 {
    REQUESTS.load(Ordering::Relaxed)
}

/// One learner's facts source: a name, the account, where facts come from.
pub struct Member {
    pub name: String,
    pub account: String,
    pub source: Box<dyn FactsSource + Sync>,
}

/// A learner's live account, reached through their own assumed session.
#[derive(Debug, Clone)]
pub struct LearnerAccount {
    pub name: String,
    pub reach: Reach,
}

impl FactsSource for LearnerAccount {
    fn describe(&self) -> String {
        format!("the account of learner {}", self.name)
    }
    fn collect(&self, scope: &Scope) -> Result<Facts, RunError> {
        let (facts, stats) = crate::collect::collect_blocking(&self.reach, scope)?;
        let sent: u32 = stats.requests.values().sum();
        REQUESTS.fetch_add(u64::from(sent), Ordering::Relaxed);
        Ok(facts)
    }
}

/// How to reach each learner of `roster` from the instructor's `base`:
/// the learner's role (the roster's `role_name`, or their `role_arn`), the
/// class's external id and session name, and the roster's member role for
/// member accounts. Nothing of one learner's reach is shared with another's.
pub fn live_members(roster: &Roster, base: &Reach) -> Vec<Member> {
    roster
        .learners
        .iter()
        .map(|l| Member {
            name: l.name.clone(),
            account: l.account.clone(),
            source: Box::new(LearnerAccount {
                name: l.name.clone(),
                reach: learner_reach(roster, l, base),
            }),
        })
        .collect()
}

/// One learner's reach: the instructor's, plus the learner's role to
/// assume first and the class's member role.
pub fn learner_reach(roster: &Roster, learner: &crate::roster::Learner, base: &Reach) -> Reach {
    Reach {
        member_role: roster.member_role.clone(),
        concurrency: CALLS_PER_LEARNER,
        assume: Some(Assume {
            role_arn: roster.role_arn(learner),
            external_id: roster.external_id.clone(),
            session_name: roster.session_name.clone(),
        }),
        ..base.clone()
    }
}

/// One step of one learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepResult {
    pub lab: String,
    pub step: String,
    pub advice: bool,
    pub outcome: Outcome,
}

/// What one learner's check found; `error` when their facts could not be
/// had at all (then every checked step is `unknown` with that reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LearnerResult {
    pub name: String,
    pub account: String,
    pub error: Option<String>,
    pub results: Vec<StepResult>,
}

/// A whole class run.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassRun {
    pub class: String,
    /// When the run started (RFC 3339 UTC).
    pub time: String,
    /// Stopped before every learner was read; what finished is kept.
    pub partial: bool,
    /// In roster order.
    pub learners: Vec<LearnerResult>,
}

impl ClassRun {
    /// A learner could not be read (the class exit status 1).
    pub fn any_error(&self) -> bool {
        self.learners.iter().any(|l| l.error.is_some())
    }
}

/// What a class run reports while it goes (for a progress display).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClassEvent {
    Started {
        learners: usize,
    },
    LearnerStarted {
        name: String,
    },
    /// `failing`: a required step failed; `error`: the learner could not be
    /// read; `result`: what a check found (the class view shows it as it
    /// comes; `None` when only collecting).
    LearnerFinished {
        name: String,
        failing: bool,
        error: bool,
        result: Option<Box<LearnerResult>>,
    },
}

/// Runs `work` on every item with at most `workers` at once, in the
/// calling thread's scope; results in item order. Items not started when
/// `stop` is set are `None`.
fn pool<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    stop: &AtomicBool,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<Option<R>> {
    let next = Mutex::new(0usize);
    let results: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..workers.clamp(1, items.len().max(1)) {
            s.spawn(|| {
                loop {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let i = {
                        let Ok(mut n) = next.lock() else { return };
                        let i = *n;
                        *n += 1;
                        i
                    };
                    let Some(item) = items.get(i) else { return };
                    let r = work(item);
                    if let Ok(mut slot) = results[i].lock() {
                        *slot = Some(r);
                    }
                }
            });
        }
    });
    results
        .into_iter()
        .map(|m| m.into_inner().ok().flatten())
        .collect()
}

/// The jobs' outcomes for a learner who could not be read: every step
/// unknown with the reason, manual ones too (nothing is known of that
/// learner; a reachable learner's manual steps stay manual).
fn unreadable(jobs: &[Job], reason: &str) -> Vec<StepResult> {
    jobs.iter()
        .map(|j| StepResult {
            lab: j.lab.clone(),
            step: j.step.clone(),
            advice: j.advice,
            outcome: Outcome::unknown(format!("Could not verify this step: {reason}")),
        })
        .collect()
}

/// The jobs run on one learner's facts (the runner's own loop).
fn evaluate(facts: Facts, jobs: &[Job]) -> Vec<StepResult> {
    let (tx, rx) = channel();
    runner::run(&Loaded(facts), jobs, &tx);
    drop(tx);
    rx.iter()
        .filter_map(|e| match e {
            RunEvent::StepFinished { lab, step, outcome } => {
                let advice = jobs
                    .iter()
                    .any(|j| j.lab == lab && j.step == step && j.advice);
                Some(StepResult {
                    lab,
                    step,
                    advice,
                    outcome,
                })
            }
            _ => None,
        })
        .collect()
}

/// Checks every member with at most `concurrency` learners read at once;
/// `on_event` hears each learner start and finish (from worker threads).
/// When `stop` is set, learners not started are skipped and the run is
/// partial. `members` may be owned or borrowed (the class view re-checks a
/// few learners of its roster).
pub fn check<M: std::borrow::Borrow<Member> + Sync>(
    class: &str,
    members: &[M],
    jobs: &[Job],
    concurrency: usize,
    stop: &AtomicBool,
    on_event: &(dyn Fn(ClassEvent) + Sync),
) -> ClassRun {
    let time = crate::clock::now_rfc3339();
    let scope = runner::plan(jobs);
    on_event(ClassEvent::Started {
        learners: members.len(),
    });
    let done = pool(members, concurrency, stop, |m| {
        let m: &Member = m.borrow();
        on_event(ClassEvent::LearnerStarted {
            name: m.name.clone(),
        });
        let (error, results) = match m.source.collect(&scope) {
            Ok(facts) => (None, evaluate(facts, jobs)),
            Err(e) => {
                // The cause alone: every report and screen says "could not
                // be read" and names the learner itself.
                let why = e.to_string();
                let results = unreadable(jobs, &why);
                (Some(why), results)
            }
        };
        let failing = results
            .iter()
            .any(|r| r.outcome.status == crate::checks::Status::Fail && !r.advice);
        let result = LearnerResult {
            name: m.name.clone(),
            account: m.account.clone(),
            error,
            results,
        };
        on_event(ClassEvent::LearnerFinished {
            name: m.name.clone(),
            failing,
            error: result.error.is_some(),
            result: Some(Box::new(result.clone())),
        });
        result
    });
    let partial = done.iter().any(Option::is_none);
    ClassRun {
        class: class.to_string(),
        time,
        partial,
        learners: done.into_iter().flatten().collect(),
    }
}

/// One learner's collected facts, or why they could not be had.
pub struct Collected {
    pub name: String,
    pub account: String,
    pub facts: Result<Facts, String>,
}

/// Collects every member's facts for `jobs` (for `class collect`); `None`
/// for learners skipped after `stop`.
pub fn collect(
    members: &[Member],
    jobs: &[Job],
    concurrency: usize,
    stop: &AtomicBool,
    on_event: &(dyn Fn(ClassEvent) + Sync),
) -> Vec<Option<Collected>> {
    let scope = runner::plan(jobs);
    on_event(ClassEvent::Started {
        learners: members.len(),
    });
    pool(members, concurrency, stop, |m| {
        on_event(ClassEvent::LearnerStarted {
            name: m.name.clone(),
        });
        // The bare cause: grading the snapshots later says whose it is.
        let facts = m.source.collect(&scope).map_err(|e| e.to_string());
        on_event(ClassEvent::LearnerFinished {
            name: m.name.clone(),
            failing: false,
            error: facts.is_err(),
            result: None,
        });
        Collected {
            name: m.name.clone(),
            account: m.account.clone(),
            facts,
        }
    })
}

/// A stop flag for Ctrl-C; shared with the signal handler.
pub fn stop_flag() -> Arc<AtomicBool> {
    Arc::new(AtomicBool::new(false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::course::SourceFile;
    use crate::labs::Labs;

    fn jobs() -> Vec<Job> {
        let text = "id: t\ntitle: T\nsummary: S\nsteps:\n  - id: mfa\n    title: A\n    instructions: x\n    section: s\n    check:\n      kind: root-mfa\n  - id: note\n    title: B\n    instructions: x\n    section: s\n    manual: true\n";
        let labs = Labs::from_sources(
            &[SourceFile {
                path: "labs/t.yaml".into(),
                text: text.into(),
            }],
            Some(&["s".to_string()].into_iter().collect()),
        );
        runner::select(&labs, &[]).expect("all")
    }

    fn member(name: &str, source: Box<dyn FactsSource + Sync>) -> Member {
        Member {
            name: name.into(),
            account: "111111111111".into(),
            source,
        }
    }

    #[test]
    fn an_unreadable_learner_is_their_row_only_and_the_others_complete() {
        let members = vec![
            member("ada", Box::new(Loaded(crate::facts::demo::finished()))),
            member(
                "bob",
                Box::new(runner::SnapshotFile("/no/such/bob.json".into())),
            ),
            member("cy", Box::new(Loaded(crate::facts::demo::finished()))),
        ];
        let events = Mutex::new(Vec::new());
        let stop = AtomicBool::new(false);
        let run = check("c", &members, &jobs(), 2, &stop, &|e| {
            events.lock().expect("lock").push(e)
        });
        assert!(!run.partial);
        let names: Vec<&str> = run.learners.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["ada", "bob", "cy"], "roster order");
        assert!(run.any_error());
        let bob = &run.learners[1];
        let why = bob.error.as_deref().expect("bob has an error");
        assert!(why.contains("/no/such/bob.json"), "{why}");
        assert_eq!(bob.results[0].outcome.status, Status::Unknown);
        assert!(bob.results[0].outcome.message.contains(why));
        assert_eq!(bob.results[1].outcome.status, Status::Unknown, "manual too");
        assert_eq!(run.learners[0].results[1].outcome.status, Status::Manual);
        for l in [&run.learners[0], &run.learners[2]] {
            assert_eq!(l.error, None);
            assert_eq!(l.results[0].outcome.status, Status::Pass);
        }
        let finished = events
            .lock()
            .expect("lock")
            .iter()
            .filter(|e| matches!(e, ClassEvent::LearnerFinished { .. }))
            .count();
        assert_eq!(finished, 3);
    }

    #[test]
    fn a_stopped_run_is_partial_and_keeps_what_finished() {
        let members = vec![
            member("ada", Box::new(Loaded(crate::facts::demo::finished()))),
            member("bob", Box::new(Loaded(crate::facts::demo::finished()))),
        ];
        let stop = AtomicBool::new(false);
        let run = check("c", &members, &jobs(), 1, &stop, &|e| {
            if matches!(e, ClassEvent::LearnerFinished { .. }) {
                stop.store(true, Ordering::Relaxed);
            }
        });
        assert!(run.partial);
        assert_eq!(run.learners.len(), 1);
        assert_eq!(run.learners[0].name, "ada");
    }

    #[test]
    fn each_learner_reaches_their_own_role_with_the_class_settings() {
        let roster = Roster::from_yaml(
            "r.yaml",
            "r",
            "external_id: ext-1\nlearners:\n  - name: ada\n    account: \"111122223333\"\n  - name: grace\n    account: \"444455556666\"\n    role_arn: arn:aws:iam::444455556666:role/Custom\n",
        )
        .expect("roster");
        let base = Reach {
            region: Some("eu-central-1".into()),
            ..Reach::default()
        };
        let grace = learner_reach(&roster, &roster.learners[1], &base);
        assert_eq!(grace.region.as_deref(), Some("eu-central-1"));
        assert_eq!(grace.member_role, crate::roster::DEFAULT_MEMBER_ROLE);
        assert_eq!(
            grace.assume,
            Some(Assume {
                role_arn: "arn:aws:iam::444455556666:role/Custom".into(),
                external_id: Some("ext-1".into()),
                session_name: crate::roster::DEFAULT_SESSION_NAME.into(),
            })
        );
        let ada = learner_reach(&roster, &roster.learners[0], &base);
        assert_eq!(
            ada.assume.map(|a| a.role_arn).as_deref(),
            Some("arn:aws:iam::111122223333:role/LabbookInstructor")
        );
        let members = live_members(&roster, &base);
        assert_eq!(members[1].source.describe(), "the account of learner grace");
    }
}
