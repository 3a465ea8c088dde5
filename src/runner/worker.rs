//! The worker: one long-lived thread that owns a facts source and runs the
//! orders it is sent, one after another. For the live account the source
//! holds the tokio runtime and the AWS session, so connecting (and
//! assuming roles) happens once, not once per check; the ordinary checks
//! and every cycle of a watch go through the same worker.

use std::sync::mpsc::{Receiver, Sender, channel};

use super::{FactsSource, Job, RunEvent};
use crate::collect::Scope;

/// One run: the jobs, what to read for them, and where their events go.
struct Order {
    jobs: Vec<Job>,
    scope: Scope,
    events: Sender<RunEvent>,
}

/// A handle on the worker thread; dropping it ends the thread after the
/// order under way.
pub struct Worker {
    orders: Sender<Order>,
    describe: String,
}

impl Worker {
    /// Starts the worker thread with `source`.
    pub fn start(source: Box<dyn FactsSource>) -> Worker {
        let describe = source.describe();
        let (orders, inbox) = channel::<Order>();
        let work = move || {
            for order in inbox {
                super::run_planned(source.as_ref(), &order.jobs, &order.scope, &order.events);
            }
        };
        if let Err(e) = std::thread::Builder::new()
            .name("labbook-worker".to_string())
            .spawn(work)
        {
            // Every run then ends at once as "could not be read" (see `run`).
            eprintln!("labbook: cannot start the worker thread: {e}");
        }
        Worker { orders, describe }
    }

    /// What the worker reads ("your AWS account", "snapshot …").
    pub fn describe(&self) -> &str {
        &self.describe
    }

    /// Queues a run of `jobs`; its events arrive on the receiver. When the
    /// worker is gone, the run ends at once with every step unknown.
    pub fn run(&self, jobs: Vec<Job>) -> Receiver<RunEvent> {
        let scope = super::plan(&jobs);
        self.order(jobs, scope)
    }

    /// Queues one watch cycle of `jobs`: [`Worker::run`], reading only the
    /// operations the steps read ([`super::plan_watch`]).
    pub fn watch(&self, jobs: Vec<Job>) -> Receiver<RunEvent> {
        let scope = super::plan_watch(&jobs);
        self.order(jobs, scope)
    }

    fn order(&self, jobs: Vec<Job>, scope: Scope) -> Receiver<RunEvent> {
        let (events, rx) = channel();
        if let Err(failed) = self.orders.send(Order {
            jobs,
            scope,
            events,
        }) {
            let Order {
                jobs,
                scope,
                events,
            } = failed.0;
            // The worker is gone: nothing can be read.
            let gone = super::Unreadable {
                describe: self.describe.clone(),
                why: "the checking thread stopped".to_string(),
            };
            super::run_planned(&gone, &jobs, &scope, &events);
        }
        rx
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;

    #[test]
    fn one_worker_serves_one_run_after_another_from_the_same_source() {
        let labs = crate::labs::Labs::load(&crate::course::Course::embedded());
        let jobs = super::super::select(&labs, &["root-user/mfa".to_string()]).expect("step");
        let worker = Worker::start(Box::new(super::super::Loaded(
            crate::facts::demo::finished(),
        )));
        for _ in 0..3 {
            let events: Vec<RunEvent> = worker.run(jobs.clone()).iter().collect();
            assert!(events.iter().any(|e| matches!(e, RunEvent::StepFinished { outcome, .. } if outcome.status == Status::Pass)), "{events:?}");
            assert!(matches!(
                events.last(),
                Some(RunEvent::Finished {
                    account_id: Some(_)
                })
            ));
        }
    }
}
