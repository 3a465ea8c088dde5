//! Where the class view's checks come from: the class's learners (one
//! facts source each, live or a snapshot), the steps, and the history the
//! runs are stored in. [`ClassSource::spawn`] carries out
//! [`Effect::CheckClass`](super::msg::Effect::CheckClass) on a background
//! thread and streams [`ClassMsg`]s back, so the view stays responsive;
//! the event loop and the tests call it alike. Depends on `msg` only.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{Receiver, channel};

use super::msg::ClassMsg;
use crate::class::{self, Member};
use crate::history::History;
use crate::runner::Job;

/// A class and how to check it.
#[derive(Clone)]
pub struct ClassSource {
    pub class: String,
    /// In roster order.
    pub members: Arc<Vec<Member>>,
    pub jobs: Arc<Vec<Job>>,
    /// Learners read at once.
    pub concurrency: usize,
    /// Where runs are stored; `None` stores nothing.
    pub history: Option<PathBuf>,
    /// Set to stop a run (leaving the view): learners not started are skipped.
    pub stop: Arc<AtomicBool>,
}

impl ClassSource {
    /// The learners (name, account) in roster order.
    pub fn roster(&self) -> Vec<(String, String)> {
        self.members
            .iter()
            .map(|m| (m.name.clone(), m.account.clone()))
            .collect()
    }

    /// Checks the named learners (none: everyone) on a background thread
    /// and stores the run (partial unless it read everyone). The receiver
    /// is disconnected after [`ClassMsg::Finished`].
    pub fn spawn(&self, names: Vec<String>) -> Receiver<ClassMsg> {
        let (tx, rx) = channel();
        let me = self.clone();
        std::thread::spawn(move || {
            let picked: Vec<&Member> = me
                .members
                .iter()
                .filter(|m| names.is_empty() || names.contains(&m.name))
                .collect();
            let everyone = picked.len() == me.members.len();
            let mut run = class::check(
                &me.class,
                &picked,
                &me.jobs,
                me.concurrency,
                &me.stop,
                &|e| {
                    let _ = tx.send(ClassMsg::Event(e));
                },
            );
            run.partial |= !everyone;
            let stored = match &me.history {
                Some(path) => History::open(path)
                    .and_then(|mut h| h.record(&run))
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                None => Err("no history in this session".to_string()),
            };
            let _ = tx.send(ClassMsg::Finished {
                partial: run.partial,
                stored,
            });
        });
        rx
    }
}
