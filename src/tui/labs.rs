//! The lab view's state: the list of labs and steps, the selected step,
//! revealed hints, manual marks, and results streaming in from a run.
//!
//! Synchronous like the rest of the app: starting a run only queues the jobs
//! (`pending_run`); the event loop spawns the runner and feeds its
//! `RunEvent`s back through [`LabsPane::on_run_event`]. Saving progress is
//! left to the loop too (`dirty`).

use std::collections::{BTreeMap, HashMap};

use crate::checks::{Outcome, Status};
use crate::labs::{Action as StepAction, Lab, Labs, Step};
use crate::progress::{self, Progress};
use crate::runner::{self, Job, RunEvent};

/// One row of the left-hand list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// A lab (index into `Labs::entries`).
    Lab(usize),
    /// A step of a lab.
    Step(usize, usize),
}

/// A run under way.
#[derive(Debug, Clone, Default)]
pub struct Running {
    pub total: usize,
    pub done: usize,
    /// `lab/step` keys still waiting for a result.
    pub waiting: Vec<String>,
}

/// What the lab view shows for one step's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    NotChecked,
    Running,
    Status(Status),
    /// A manual step the learner marked done.
    MarkedDone,
}

pub struct LabsPane {
    pub labs: Labs,
    pub rows: Vec<Row>,
    pub selected: usize,
    /// `lab/step` -> hints revealed so far.
    pub hints_shown: HashMap<String, usize>,
    pub progress: Progress,
    /// The account results are recorded under: the last one checked
    /// (manual marks made before any check go under `local`).
    pub account: Option<String>,
    /// Results of the last run not yet recorded: the run under way, or one
    /// whose account could not be read.
    pub fresh: BTreeMap<String, Outcome>,
    pub running: Option<Running>,
    /// Jobs for the event loop to run.
    pub pending_run: Option<Vec<Job>>,
    /// Progress changed and should be saved.
    pub dirty: bool,
    /// Whether checks can run at all (a facts source was given), and if not, why.
    pub source: Result<String, String>,
    pub tick: usize,
}

impl LabsPane {
    pub fn new(labs: Labs, progress: Progress, source: Result<String, String>) -> LabsPane {
        let mut rows = Vec::new();
        for (i, entry) in labs.entries.iter().enumerate() {
            rows.push(Row::Lab(i));
            if let Some(lab) = &entry.lab {
                rows.extend((0..lab.steps.len()).map(|s| Row::Step(i, s)));
            }
        }
        let account = progress.latest_account().map(str::to_string);
        // Start on the first step, where there is something to do.
        let selected = rows
            .iter()
            .position(|r| matches!(r, Row::Step(..)))
            .unwrap_or(0);
        LabsPane {
            labs,
            rows,
            selected,
            hints_shown: HashMap::new(),
            progress,
            account,
            fresh: BTreeMap::new(),
            running: None,
            pending_run: None,
            dirty: false,
            source,
            tick: 0,
        }
    }

    pub fn lab(&self, i: usize) -> Option<&Lab> {
        self.labs.entries.get(i).and_then(|e| e.lab.as_ref())
    }

    /// The selected lab and step (step `None` on a lab row).
    pub fn selection(&self) -> Option<(usize, Option<usize>)> {
        match self.rows.get(self.selected)? {
            Row::Lab(l) => Some((*l, None)),
            Row::Step(l, s) => Some((*l, Some(*s))),
        }
    }

    pub fn selected_step(&self) -> Option<(&Lab, &Step)> {
        let (l, s) = self.selection()?;
        let lab = self.lab(l)?;
        Some((lab, lab.steps.get(s?)?))
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn move_to(&mut self, end: bool) {
        self.selected = if end {
            self.rows.len().saturating_sub(1)
        } else {
            0
        };
    }

    /// What to show for a step right now.
    pub fn shown(&self, lab: &str, step: &Step) -> Shown {
        let key = progress::key(lab, &step.id);
        if self
            .running
            .as_ref()
            .is_some_and(|r| r.waiting.contains(&key))
        {
            return Shown::Running;
        }
        if let Some(o) = self.fresh.get(&key) {
            return self.manual_or(step, lab, Shown::Status(o.status));
        }
        let record = self
            .account
            .as_deref()
            .and_then(|a| self.progress.get(a, lab, &step.id));
        match record {
            Some(r) if r.marked_done_at.is_some() => Shown::MarkedDone,
            Some(r) => r.outcome.map_or(Shown::NotChecked, Shown::Status),
            None => self.manual_or(step, lab, Shown::NotChecked),
        }
    }

    fn manual_or(&self, step: &Step, lab: &str, otherwise: Shown) -> Shown {
        let marked = self
            .account
            .as_deref()
            .and_then(|a| self.progress.get(a, lab, &step.id))
            .is_some_and(|r| r.marked_done_at.is_some());
        if matches!(step.action, StepAction::Manual) && marked {
            Shown::MarkedDone
        } else {
            otherwise
        }
    }

    /// The last result of a step: this run's, else the recorded one, with when it was checked.
    pub fn last_result(&self, lab: &str, step: &str) -> Option<(Outcome, Option<String>)> {
        let key = progress::key(lab, step);
        if let Some(o) = self.fresh.get(&key) {
            return Some((o.clone(), None));
        }
        let r = self.progress.get(self.account.as_deref()?, lab, step)?;
        Some((
            Outcome {
                status: r.outcome?,
                message: r.message.clone(),
                evidence: r.evidence.clone(),
            },
            r.checked_at.clone(),
        ))
    }

    /// (done, total) of a lab's required steps: advice steps don't count.
    pub fn lab_progress(&self, lab: &Lab) -> (usize, usize) {
        let required: Vec<&Step> = lab.steps.iter().filter(|s| !s.advice).collect();
        let done = required
            .iter()
            .filter(|s| {
                matches!(
                    self.shown(&lab.id, s),
                    Shown::Status(Status::Pass) | Shown::MarkedDone
                )
            })
            .count();
        (done, required.len())
    }

    /// Reveals the next hint of the selected step; returns a message when there is none.
    pub fn reveal_hint(&mut self) -> Option<String> {
        let (lab, step) = self.selected_step()?;
        let key = progress::key(&lab.id, &step.id);
        let total = step.hints.len();
        let n = self.hints_shown.get(&key).copied().unwrap_or(0);
        if n >= total {
            return Some(if total == 0 {
                "This step has no hints.".to_string()
            } else {
                "All hints are shown.".to_string()
            });
        }
        self.hints_shown.insert(key, n + 1);
        None
    }

    /// Marks or unmarks the selected manual step; returns a message for the status line.
    pub fn toggle_mark(&mut self, now: &str) -> String {
        let Some((lab, step)) = self.selected_step() else {
            return "Select a step first.".to_string();
        };
        if !matches!(step.action, StepAction::Manual) {
            return "Only manual steps are marked by hand; press c to check this one.".to_string();
        }
        let (lab_id, step_id) = (lab.id.clone(), step.id.clone());
        let account = self.account.clone().unwrap_or_else(|| "local".to_string());
        let done = self
            .progress
            .get(&account, &lab_id, &step_id)
            .is_none_or(|r| r.marked_done_at.is_none());
        self.progress.mark(&account, &lab_id, &step_id, done, now);
        self.account = Some(account);
        self.dirty = true;
        if done {
            format!("Marked {lab_id}/{step_id} done.")
        } else {
            format!("Unmarked {lab_id}/{step_id}.")
        }
    }

    /// Queues a check of the selected step (or, on a lab row, the whole lab), or of everything.
    pub fn request_check(&mut self, all: bool) -> String {
        if self.running.is_some() {
            return "A check is already running.".to_string();
        }
        if let Err(why) = &self.source {
            return why.clone();
        }
        let target = match (all, self.selection()) {
            (true, _) | (false, None) => Vec::new(),
            (false, Some((l, step))) => {
                let Some(lab) = self.lab(l) else {
                    return "This lab could not be loaded; see its error.".to_string();
                };
                match step {
                    Some(s) => vec![format!("{}/{}", lab.id, lab.steps[s].id)],
                    None => vec![lab.id.clone()],
                }
            }
        };
        match runner::select(&self.labs, &target) {
            Ok(jobs) => {
                self.fresh.clear();
                let n = jobs.len();
                self.running = Some(Running {
                    total: n,
                    done: 0,
                    waiting: jobs
                        .iter()
                        .map(|j| progress::key(&j.lab, &j.step))
                        .collect(),
                });
                self.pending_run = Some(jobs);
                format!("Checking {n} step{}…", if n == 1 { "" } else { "s" })
            }
            Err(e) => e.to_string(),
        }
    }

    /// Takes one event of the run under way; returns a status line when the run ends.
    pub fn on_run_event(&mut self, event: RunEvent, now: &str) -> Option<String> {
        match event {
            RunEvent::Started { total } => {
                if let Some(r) = self.running.as_mut() {
                    r.total = total;
                }
                None
            }
            RunEvent::StepStarted { .. } => None,
            RunEvent::StepFinished { lab, step, outcome } => {
                let key = progress::key(&lab, &step);
                if let Some(r) = self.running.as_mut() {
                    r.done += 1;
                    r.waiting.retain(|k| *k != key);
                }
                self.fresh.insert(key, outcome);
                None
            }
            RunEvent::Finished { account_id } => {
                self.running = None;
                // Without an account id the facts could not be read at all:
                // the results stay on screen but are not recorded, so an
                // outage never overwrites what an account had.
                let Some(account) = account_id else {
                    return Some(
                        "The account could not be read; the results are shown but not recorded."
                            .to_string(),
                    );
                };
                let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
                for (key, outcome) in std::mem::take(&mut self.fresh) {
                    if let Some((lab, step)) = key.split_once('/') {
                        self.progress.record(&account, lab, step, &outcome, now);
                    }
                    *counts.entry(outcome.status.as_str()).or_default() += 1;
                }
                self.account = Some(account.clone());
                self.dirty = true;
                let summary: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
                Some(format!(
                    "Checked account {account}: {}.",
                    summary.join(", ")
                ))
            }
        }
    }
}
