//! The labs screen: labs with progress bars and their steps on the left; the
//! selected step's instructions, hints, Terraform hint and last result on
//! the right; checks streaming in from a run. Owns that state, its update
//! and its draw; the learner's progress is shared ([`Shared::progress`]).
//!
//! What a step shows and when a lab counts as done are
//! [`crate::progress`]'s rules ([`Shown`], [`progress::lab_done`]), its
//! marker is [`crate::report::marker`]; only the colours are this screen's.
//! No I/O: starting a run is [`Effect::StartRun`], whose events come back
//! through [`LabsScreen::on_run_event`]; saving is [`Effect::SaveProgress`].
//!
//! A watch ([`Watching`]) re-checks the selected step or lab when
//! [`crate::watch`] says it is due (on [`LabsScreen::on_tick`]), through
//! the same runs; it shows when it last checked and what changed, flashes
//! and rings the bell ([`Effect::Bell`]) when a step turns green, and stops
//! when the learner presses its key again, leaves the row, or nothing
//! changed for 15 minutes. It never moves on by itself.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

use super::super::keys::{Action, key_name};
use super::super::layout;
use super::super::msg::Effect;
use super::super::shared::Shared;
use super::{Goto, Hint, Reply};
use crate::checks::Outcome;
use crate::labs::{Action as StepAction, Lab, Labs, Step};
use crate::markdown::{self, truncate, width_of};
use crate::progress::{self, Progress, Shown};
use crate::report;
use crate::runner::{self, RunEvent};
use crate::strings;
use crate::watch::{self, Cycle, Settings, Trouble, Watch};

/// How long a step that turned green stays highlighted.
pub const FLASH: Duration = Duration::from_millis(2500);

/// What the labs' hint bar shows.
pub const HINTS: &[Hint] = &[
    (&[Action::Down, Action::Up], "select"),
    (&[Action::Check], "check"),
    (&[Action::CheckAll], "check all"),
    (&[Action::Hint], "hint"),
    (&[Action::Mark], "mark"),
    (&[Action::Watch], "watch"),
    (&[Action::Open], "chapter"),
    (&[Action::Labs], "chapter"),
    (&[Action::Quit], "quit"),
];

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

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
    /// This run is a cycle of the watch.
    pub watch_cycle: bool,
    /// AWS throttled some of this run's requests.
    pub throttled: bool,
}

/// A watch under way: the row it watches, its jobs, and what it last saw.
#[derive(Debug, Clone)]
pub struct Watching {
    /// The row watched; leaving it stops the watch.
    pub row: usize,
    /// `lab/step`, or `lab` for a whole lab.
    pub target: String,
    pub jobs: Vec<runner::Job>,
    pub watch: Watch,
    /// What changed at the last check that changed something.
    pub changed: Vec<String>,
    /// Until when the steps that turned green are highlighted.
    pub flash_until: Option<Instant>,
    /// The steps that turned green last.
    pub green: Vec<String>,
}

pub struct LabsScreen {
    pub labs: Labs,
    pub rows: Vec<Row>,
    pub selected: usize,
    /// Lines the detail pane is scrolled by.
    pub detail_scroll: usize,
    /// `lab/step` -> hints revealed so far.
    pub hints_shown: HashMap<String, usize>,
    /// The account results are recorded under: the last one checked
    /// (manual marks made before any check go under `local`).
    pub account: Option<String>,
    /// Results of the last run not yet recorded: the run under way, or one
    /// whose account could not be read.
    pub fresh: BTreeMap<String, Outcome>,
    pub running: Option<Running>,
    /// Whether checks can run at all (a facts source was given), and if not, why.
    pub source: Result<String, String>,
    /// Turns of the spinner.
    pub tick: usize,
    /// The watch under way, if any.
    pub watching: Option<Watching>,
    /// How a watch paces itself (`--interval`).
    pub watch_settings: Settings,
    /// Where time comes from (tests move it by hand).
    pub clock: fn() -> Instant,
    /// The time of the last message, for drawing.
    pub now: Instant,
}

impl LabsScreen {
    /// The labs, on the account `progress` checked last.
    pub fn new(labs: Labs, progress: &Progress, source: Result<String, String>) -> LabsScreen {
        let mut rows = Vec::new();
        for (i, entry) in labs.entries.iter().enumerate() {
            rows.push(Row::Lab(i));
            if let Some(lab) = &entry.lab {
                rows.extend((0..lab.steps.len()).map(|s| Row::Step(i, s)));
            }
        }
        // Start on the first step, where there is something to do.
        let selected = rows
            .iter()
            .position(|r| matches!(r, Row::Step(..)))
            .unwrap_or(0);
        LabsScreen {
            labs,
            rows,
            selected,
            detail_scroll: 0,
            hints_shown: HashMap::new(),
            account: progress.latest_account().map(str::to_string),
            fresh: BTreeMap::new(),
            running: None,
            source,
            tick: 0,
            watching: None,
            watch_settings: Settings::default(),
            clock: Instant::now,
            now: Instant::now(),
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
        self.detail_scroll = 0;
    }

    pub fn move_to(&mut self, end: bool) {
        self.selected = if end {
            self.rows.len().saturating_sub(1)
        } else {
            0
        };
        self.detail_scroll = 0;
    }

    /// What a step shows right now: running, this run's result, else what
    /// progress recorded (by [`crate::progress`]'s rule).
    pub fn shown(&self, progress: &Progress, lab: &str, step: &Step) -> Shown {
        let key = progress::key(lab, &step.id);
        if self
            .running
            .as_ref()
            .is_some_and(|r| r.waiting.contains(&key))
        {
            return Shown::Running;
        }
        let account = self.account.as_deref();
        match self.fresh.get(&key) {
            Some(o) => {
                let marked = account
                    .and_then(|a| progress.get(a, lab, &step.id))
                    .is_some_and(|r| r.marked_done_at.is_some());
                Shown::of(step, Some(o.status), marked)
            }
            None => progress.shown(account, lab, step),
        }
    }

    /// (done, total) of a lab, by [`progress::lab_done`].
    pub fn lab_progress(&self, progress: &Progress, lab: &Lab) -> (usize, usize) {
        progress::lab_done(lab, |s| self.shown(progress, &lab.id, s))
    }

    /// The last result of a step: this run's, else the recorded one, with when it was checked.
    pub fn last_result(
        &self,
        progress: &Progress,
        lab: &str,
        step: &str,
    ) -> Option<(Outcome, Option<String>)> {
        let key = progress::key(lab, step);
        if let Some(o) = self.fresh.get(&key) {
            return Some((o.clone(), None));
        }
        let r = progress.get(self.account.as_deref()?, lab, step)?;
        Some((
            Outcome {
                status: r.outcome?,
                message: r.message.clone(),
                evidence: r.evidence.clone(),
            },
            r.checked_at.clone(),
        ))
    }

    pub fn update(&mut self, action: Action, cx: &mut Shared) -> Reply {
        let page = layout::page_height(cx.size).saturating_sub(2).max(1);
        self.now = (self.clock)();
        let reply = self.act(action, page, cx);
        if let Some(w) = &self.watching
            && w.row != self.selected
        {
            let target = w.target.clone();
            self.watching = None;
            cx.say(format!("Stopped watching {target}: you left it."));
        }
        reply
    }

    fn act(&mut self, action: Action, page: usize, cx: &mut Shared) -> Reply {
        match action {
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::Top => self.move_to(false),
            Action::Bottom => self.move_to(true),
            Action::PageDown => self.detail_scroll += page,
            Action::PageUp => self.detail_scroll = self.detail_scroll.saturating_sub(page),
            Action::Labs | Action::SwitchFocus => return Reply::Goto(Goto::Reader),
            Action::Open => match self.selected_section() {
                Some(anchor) => return Reply::Goto(Goto::Section(anchor)),
                None => cx.say("This row has no chapter section."),
            },
            Action::Check | Action::CheckAll => {
                let (msg, jobs) = self.request_check(action == Action::CheckAll);
                cx.say(msg);
                if let Some(jobs) = jobs {
                    return Reply::Effect(Effect::StartRun(jobs));
                }
            }
            Action::Hint => cx.status = self.reveal_hint(),
            Action::Watch => return self.toggle_watch(cx),
            Action::Mark => {
                let now = (cx.now)();
                let (msg, changed) = self.toggle_mark(&mut cx.progress, &now);
                cx.say(msg);
                if changed {
                    return Reply::Effect(Effect::SaveProgress);
                }
            }
            Action::Search | Action::NextMatch | Action::PrevMatch | Action::Links => {
                cx.say(format!(
                    "Search works in the chapter: press {} to go back to it.",
                    key_name(Action::Labs)
                ))
            }
            // The chapter keys move the reader from here too.
            // The app opens the quiz and the review from any screen.
            Action::NextChapter | Action::PrevChapter | Action::Quiz | Action::Review => {
                return Reply::Unhandled;
            }
            Action::Quit | Action::Help | Action::Back | Action::Forward => {
                return Reply::Unhandled;
            }
        }
        Reply::Done
    }

    /// The chapter section of the selected step; a lab row's is its first step's.
    fn selected_section(&self) -> Option<String> {
        match self.selection()? {
            (_, Some(_)) => self.selected_step().map(|(_, s)| s.section.clone()),
            (l, None) => self
                .lab(l)
                .and_then(|lab| lab.steps.first())
                .map(|s| s.section.clone()),
        }
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

    /// Marks or unmarks the selected manual step; returns a message for the
    /// status line and whether progress changed.
    pub fn toggle_mark(&mut self, progress: &mut Progress, now: &str) -> (String, bool) {
        let Some((lab, step)) = self.selected_step() else {
            return ("Select a step first.".to_string(), false);
        };
        if !matches!(step.action, StepAction::Manual) {
            let msg = format!(
                "Only manual steps are marked by hand; press {} to check this one.",
                key_name(Action::Check)
            );
            return (msg, false);
        }
        let (lab_id, step_id) = (lab.id.clone(), step.id.clone());
        let account = self.account.clone().unwrap_or_else(|| "local".to_string());
        let done = progress
            .get(&account, &lab_id, &step_id)
            .is_none_or(|r| r.marked_done_at.is_none());
        progress.mark(&account, &lab_id, &step_id, done, now);
        self.account = Some(account);
        let msg = if done {
            format!("Marked {lab_id}/{step_id} done.")
        } else {
            format!("Unmarked {lab_id}/{step_id}.")
        };
        (msg, true)
    }

    /// Starts watching the selected step (or lab), or stops the watch.
    pub fn toggle_watch(&mut self, cx: &mut Shared) -> Reply {
        if let Some(w) = self.watching.take() {
            cx.say(format!("Stopped watching {}.", w.target));
            return Reply::Done;
        }
        if let Err(why) = &self.source {
            cx.say(why.clone());
            return Reply::Done;
        }
        let Some((l, step)) = self.selection() else {
            cx.say("Select a step first.");
            return Reply::Done;
        };
        let Some(lab) = self.lab(l) else {
            cx.say("This lab could not be loaded; see its error.");
            return Reply::Done;
        };
        let target = match step {
            Some(s) => format!("{}/{}", lab.id, lab.steps[s].id),
            None => lab.id.clone(),
        };
        let jobs = match runner::select(&self.labs, std::slice::from_ref(&target)) {
            Ok(jobs) => jobs,
            Err(e) => {
                cx.say(e.to_string());
                return Reply::Done;
            }
        };
        let checked: Vec<runner::Job> = jobs
            .into_iter()
            .filter(|j| !matches!(j.action, StepAction::Manual))
            .collect();
        if checked.is_empty() {
            cx.say(format!(
                "{target} is checked by hand, so it cannot be watched: mark it done with {}.",
                key_name(Action::Mark)
            ));
            return Reply::Done;
        }
        let required: Vec<String> = checked
            .iter()
            .filter(|j| !j.advice)
            .map(|j| progress::key(&j.lab, &j.step))
            .collect();
        let known: Vec<(String, Outcome)> = checked
            .iter()
            .filter_map(|j| {
                self.last_result(&cx.progress, &j.lab, &j.step)
                    .map(|(o, _)| (progress::key(&j.lab, &j.step), o))
            })
            .collect();
        let now = (self.clock)();
        self.now = now;
        self.watching = Some(Watching {
            row: self.selected,
            target: target.clone(),
            jobs: checked,
            watch: Watch::new(self.watch_settings, now, required).knowing(known),
            changed: Vec::new(),
            flash_until: None,
            green: Vec::new(),
        });
        cx.say(format!(
            "Watching {target}: checking every {}; {} stops.",
            watch::secs(self.watch_settings.interval),
            key_name(Action::Watch)
        ));
        match self.next_cycle() {
            Some(e) => Reply::Effect(e),
            None => Reply::Done,
        }
    }

    /// Time passed: the spinner turns; a watch ends when it has been quiet
    /// too long, and checks again when it is due and nothing else runs.
    pub fn on_tick(&mut self, cx: &mut Shared) -> Option<Effect> {
        self.tick = self.tick.wrapping_add(1);
        let now = (self.clock)();
        self.now = now;
        let w = self.watching.as_mut()?;
        if w.flash_until.is_some_and(|t| now >= t) {
            w.flash_until = None;
        }
        if w.watch.expired(now) && self.running.is_none() {
            let target = w.target.clone();
            self.watching = None;
            cx.say(format!(
                "Stopped watching {target}: nothing changed for {}.",
                watch::secs(self.watch_settings.quiet_limit)
            ));
            return None;
        }
        self.next_cycle()
    }

    /// The next cycle of the watch, when it is due and no run is under way.
    fn next_cycle(&mut self) -> Option<Effect> {
        let w = self.watching.as_ref()?;
        if self.running.is_some() || !w.watch.due(self.now) {
            return None;
        }
        let jobs = w.jobs.clone();
        self.running = Some(Running {
            total: jobs.len(),
            done: 0,
            waiting: jobs
                .iter()
                .map(|j| progress::key(&j.lab, &j.step))
                .collect(),
            watch_cycle: true,
            throttled: false,
        });
        Some(Effect::WatchCycle(jobs))
    }

    /// The end of a watch cycle: what the watch makes of it, said on the
    /// status line; a step that turned green flashes and rings the bell.
    fn watch_cycle_done(
        &mut self,
        run: &Running,
        account: Option<&str>,
        cx: &mut Shared,
    ) -> Vec<Effect> {
        let now = (self.clock)();
        self.now = now;
        let Some(w) = self.watching.as_mut() else {
            return Vec::new();
        };
        let outcomes: Vec<(String, Outcome)> = w
            .jobs
            .iter()
            .filter_map(|j| {
                let key = progress::key(&j.lab, &j.step);
                self.fresh.get(&key).map(|o| (key, o.clone()))
            })
            .collect();
        let trouble = match account {
            None => Some(Trouble::Failed(
                outcomes
                    .first()
                    .map(|(_, o)| o.message.clone())
                    .unwrap_or_default(),
            )),
            Some(_) if run.throttled => Some(Trouble::Throttled),
            Some(_) => None,
        };
        let seen = w.watch.observe(now, Cycle { outcomes, trouble });
        let mut effects = Vec::new();
        if !seen.changes.is_empty() {
            w.changed = seen.changes.iter().map(|c| c.headline()).collect();
        }
        let green: Vec<String> = seen.turned_green().iter().map(|k| k.to_string()).collect();
        if let Some(why) = &seen.backing_off {
            cx.say(format!("Watching {}: {why}.", w.target));
        } else if !green.is_empty() {
            w.flash_until = Some(now + FLASH);
            w.green = green.clone();
            let all = if seen.all_pass && w.target.contains('/') {
                String::new()
            } else if seen.all_pass {
                format!("; every step of {} passes", w.target)
            } else {
                String::new()
            };
            cx.say(format!(
                "{} {} passes now{all}. {} stops watching.",
                strings::MARK_PASS,
                green.join(", "),
                key_name(Action::Watch)
            ));
            effects.push(Effect::Bell);
        } else if let Some(c) = seen.changes.first() {
            cx.say(format!(
                "Changed since the last check: {} — {}",
                c.headline(),
                c.after.message
            ));
        }
        // Results are recorded when they say something new.
        if let Some(account) = account {
            let record = !seen.changes.is_empty();
            let fresh = std::mem::take(&mut self.fresh);
            if record {
                let stamp = (cx.now)();
                for (key, outcome) in &fresh {
                    if let Some((lab, step)) = key.split_once('/') {
                        cx.progress.record(account, lab, step, outcome, &stamp);
                    }
                }
                self.account = Some(account.to_string());
                effects.push(Effect::SaveProgress);
            } else if self.account.as_deref() != Some(account) {
                // Nothing new to record, but keep showing what was read.
                self.fresh = fresh;
            }
        }
        effects
    }

    /// A check of the selected step (or, on a lab row, the whole lab), or of
    /// everything: the status line, and the jobs to run if there are any.
    pub fn request_check(&mut self, all: bool) -> (String, Option<Vec<runner::Job>>) {
        if self.running.is_some() {
            return ("A check is already running.".to_string(), None);
        }
        if let Err(why) = &self.source {
            return (why.clone(), None);
        }
        let target = match (all, self.selection()) {
            (true, _) | (false, None) => Vec::new(),
            (false, Some((l, step))) => {
                let Some(lab) = self.lab(l) else {
                    return (
                        "This lab could not be loaded; see its error.".to_string(),
                        None,
                    );
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
                    watch_cycle: false,
                    throttled: false,
                });
                let msg = format!("Checking {n} step{}…", if n == 1 { "" } else { "s" });
                (msg, Some(jobs))
            }
            Err(e) => (e.to_string(), None),
        }
    }

    /// Takes one event of the run under way; at its end, records the
    /// results, says so on the status line and asks for them to be saved.
    pub fn on_run_event(&mut self, event: RunEvent, cx: &mut Shared) -> Vec<Effect> {
        match event {
            RunEvent::Started { total } => {
                if let Some(r) = self.running.as_mut() {
                    r.total = total;
                }
                Vec::new()
            }
            RunEvent::Collected { throttled, .. } => {
                if let Some(r) = self.running.as_mut() {
                    r.throttled = throttled;
                }
                Vec::new()
            }
            RunEvent::StepStarted { .. } => Vec::new(),
            RunEvent::StepFinished { lab, step, outcome } => {
                let key = progress::key(&lab, &step);
                if let Some(r) = self.running.as_mut() {
                    r.done += 1;
                    r.waiting.retain(|k| *k != key);
                }
                self.fresh.insert(key, outcome);
                Vec::new()
            }
            RunEvent::Finished { account_id } => {
                let run = self.running.take().unwrap_or_default();
                if run.watch_cycle {
                    return self.watch_cycle_done(&run, account_id.as_deref(), cx);
                }
                // Without an account id the facts could not be read at all:
                // the results stay on screen but are not recorded, so an
                // outage never overwrites what an account had.
                let Some(account) = account_id else {
                    cx.say(
                        "The account could not be read; the results are shown but not recorded.",
                    );
                    return Vec::new();
                };
                let now = (cx.now)();
                let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
                for (key, outcome) in std::mem::take(&mut self.fresh) {
                    if let Some((lab, step)) = key.split_once('/') {
                        cx.progress.record(&account, lab, step, &outcome, &now);
                    }
                    *counts.entry(outcome.status.as_str()).or_default() += 1;
                }
                self.account = Some(account.clone());
                let summary: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
                cx.say(format!(
                    "Checked account {account}: {}.",
                    summary.join(", ")
                ));
                vec![Effect::SaveProgress]
            }
        }
    }

    /// The title bar's left and right: the labs and whose results they show.
    pub fn title(&self, cx: &Shared) -> (String, String) {
        let account = self
            .account
            .as_deref()
            .map(|a| format!("account {a}"))
            .unwrap_or_else(|| "no account checked yet".to_string());
        (
            format!(" {} › Labs ", cx.course.title),
            format!(" {account} "),
        )
    }

    /// What the status row shows before the hints while a run streams in.
    pub fn badge(&self) -> Option<String> {
        if let Some(w) = &self.watching {
            return Some(format!(" {} {} ", w.target, w.watch.status(self.now)));
        }
        let r = self.running.as_ref()?;
        Some(format!(" checking {}/{} ", r.done, r.total))
    }

    /// The watch's lines at the top of the detail pane (when the watched
    /// row is selected): its status, a flash when a step turned green, and
    /// what changed at the last check.
    fn watch_lines(&self) -> Vec<Line<'static>> {
        let Some(w) = self.watching.as_ref().filter(|w| w.row == self.selected) else {
            return Vec::new();
        };
        let mut lines = Vec::new();
        let checking = self.running.as_ref().is_some_and(|r| r.watch_cycle);
        let status = if checking {
            format!("{} · checking…", w.watch.status(self.now))
        } else {
            w.watch.status(self.now)
        };
        lines.push(Line::from(vec![
            Span::styled("◉ ", Style::new().fg(Color::Cyan)),
            Span::styled(status, Style::new().fg(Color::Cyan)),
            Span::styled(
                format!(" ({} stops)", key_name(Action::Watch)),
                Style::new().fg(Color::DarkGray),
            ),
        ]));
        if w.flash_until.is_some_and(|t| self.now < t) {
            lines.push(Line::from(Span::styled(
                format!(
                    " {} {} passes now! ",
                    strings::MARK_PASS,
                    w.green.join(", ")
                ),
                Style::new()
                    .fg(Color::Black)
                    .bg(Color::Green)
                    .add_modifier(Modifier::BOLD),
            )));
        }
        if !w.changed.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("Changed: {}", w.changed.join("; ")),
                Style::new().fg(Color::Yellow),
            )));
        }
        lines.push(Line::default());
        lines
    }

    pub fn draw(&self, frame: &mut Frame, cx: &Shared) {
        let (list_area, detail_area) = layout::list_and_detail(layout::body(frame.area()));
        self.draw_list(frame, list_area, cx);
        self.draw_detail(frame, detail_area, cx);
    }

    fn draw_list(&self, frame: &mut Frame, area: Rect, cx: &Shared) {
        let room = usize::from(area.width).saturating_sub(1);
        let items: Vec<ListItem> = self
            .rows
            .iter()
            .map(|row| match *row {
                Row::Lab(i) => {
                    let entry = &self.labs.entries[i];
                    match &entry.lab {
                        Some(lab) => {
                            let (done, total) = self.lab_progress(&cx.progress, lab);
                            let right = format!(" {} {done}/{total}", bar(done, total, 6));
                            let name_room = room.saturating_sub(width_of(&right));
                            let name = truncate(&lab.title, name_room);
                            let pad = name_room.saturating_sub(width_of(&name));
                            ListItem::new(Line::from(vec![
                                Span::styled(name, Style::new().add_modifier(Modifier::BOLD)),
                                Span::raw(" ".repeat(pad)),
                                Span::styled(right, Style::new().fg(Color::Green)),
                            ]))
                        }
                        None => ListItem::new(Line::from(Span::styled(
                            truncate(
                                &format!("{} {} (cannot load)", strings::MARK_FAIL, entry.id),
                                room,
                            ),
                            Style::new().fg(Color::Red),
                        ))),
                    }
                }
                Row::Step(l, s) => {
                    let Some(lab) = self.lab(l) else {
                        return ListItem::new("");
                    };
                    let step = &lab.steps[s];
                    let (mark, style) = mark(
                        self.shown(&cx.progress, &lab.id, step),
                        step.advice,
                        self.tick,
                    );
                    let tag = if step.advice {
                        " (advice)"
                    } else if matches!(step.action, StepAction::Manual) {
                        " (manual)"
                    } else {
                        ""
                    };
                    let text = format!("{}{tag}", step.id);
                    let flashing = self.watching.as_ref().is_some_and(|w| {
                        w.flash_until.is_some_and(|t| self.now < t)
                            && w.green.contains(&progress::key(&lab.id, &step.id))
                    });
                    if flashing {
                        return ListItem::new(Line::from(vec![
                            Span::raw("  "),
                            Span::raw(format!("{mark} ")),
                            Span::raw(truncate(&text, room.saturating_sub(4))),
                        ]))
                        .style(Style::new().fg(Color::Black).bg(Color::Green));
                    }
                    ListItem::new(Line::from(vec![
                        Span::raw("  "),
                        Span::styled(format!("{mark} "), style),
                        Span::raw(truncate(&text, room.saturating_sub(4))),
                    ]))
                }
            })
            .collect();
        let list = List::new(items)
            .block(
                Block::new()
                    .borders(Borders::RIGHT)
                    .border_style(Style::new().fg(Color::Cyan))
                    .title(Span::styled(" Labs ", Style::new().fg(Color::Cyan))),
            )
            .highlight_style(Style::new().add_modifier(Modifier::REVERSED));
        let mut state = ListState::default().with_selected(Some(self.selected));
        frame.render_stateful_widget(list, area, &mut state);
    }

    /// The detail pane's lines for a step, wrapped to `width`.
    pub fn step_lines(
        &self,
        lab: &Lab,
        step: &Step,
        width: u16,
        cx: &Shared,
    ) -> Vec<Line<'static>> {
        let mut lines: Vec<Line<'static>> = Vec::new();
        let heading = Style::new()
            .fg(Color::LightCyan)
            .add_modifier(Modifier::BOLD);
        let dim = Style::new().fg(Color::DarkGray);
        let (m, style) = mark(
            self.shown(&cx.progress, &lab.id, step),
            step.advice,
            self.tick,
        );
        lines.push(Line::from(vec![
            Span::styled(format!("{m} "), style),
            Span::styled(step.title.clone(), heading),
        ]));
        let kind = match &step.action {
            StepAction::Manual => format!("manual: mark it done with {}", key_name(Action::Mark)),
            StepAction::Check { check, .. } if step.advice => {
                format!("advice · checked by {}", check.meta.kind)
            }
            StepAction::Check { check, .. } => format!("checked by {}", check.meta.kind),
        };
        lines.push(Line::from(Span::styled(
            format!("{}/{} · {kind}", lab.id, step.id),
            dim,
        )));
        lines.push(Line::default());
        lines.extend(markdown::render(&step.instructions, width).lines);

        // Hints, revealed one at a time.
        let key = progress::key(&lab.id, &step.id);
        let shown = self.hints_shown.get(&key).copied().unwrap_or(0);
        if !step.hints.is_empty() {
            lines.push(Line::default());
            let next = if shown < step.hints.len() {
                format!("; {} shows the next", key_name(Action::Hint))
            } else {
                String::new()
            };
            lines.push(Line::from(Span::styled(
                format!("Hints ({shown} of {}{next})", step.hints.len()),
                heading,
            )));
            for (i, hint) in step.hints.iter().take(shown).enumerate() {
                let md = format!("{}. {hint}", i + 1);
                lines.extend(markdown::render(&md, width).lines);
            }
        }
        if !step.terraform.is_empty() {
            lines.push(Line::default());
            lines.push(Line::from(vec![
                Span::styled("Terraform: ", heading),
                Span::styled(
                    step.terraform.join(", "),
                    Style::new().fg(Color::LightYellow),
                ),
            ]));
        }
        lines.push(Line::from(vec![
            Span::styled("Chapter: ", heading),
            Span::raw(format!(
                "#{} ({} opens it)",
                step.section,
                key_name(Action::Open)
            )),
        ]));

        lines.push(Line::default());
        match self.last_result(&cx.progress, &lab.id, &step.id) {
            Some((outcome, when)) => {
                let when = when.map(|w| format!(" (checked {w})")).unwrap_or_default();
                lines.push(Line::from(Span::styled(
                    format!("Last result{when}"),
                    heading,
                )));
                let (m, style) = mark(Shown::Status(outcome.status), step.advice, 0);
                let md = format!("{m} {}", outcome.message);
                for (i, l) in markdown::render(&md, width).lines.into_iter().enumerate() {
                    if i == 0 {
                        lines.push(l.patch_style(style));
                    } else {
                        lines.push(l);
                    }
                }
                for e in &outcome.evidence {
                    let text = format!("{}: {}", e.key, e.value);
                    let md = format!("- `{}`", text.replace('`', "'"));
                    lines.extend(markdown::render(&md, width).lines);
                }
            }
            None => lines.push(Line::from(Span::styled(
                if self.source.is_ok() {
                    format!(
                        "Not checked yet: press {} to check this step.",
                        key_name(Action::Check)
                    )
                } else {
                    strings::NO_FACTS_SOURCE.to_string()
                },
                dim,
            ))),
        }
        lines
    }

    fn draw_detail(&self, frame: &mut Frame, area: Rect, cx: &Shared) {
        let inner = Rect {
            x: area.x + 1,
            width: area.width.saturating_sub(2).max(1),
            ..area
        };
        let lines: Vec<Line> = match (self.selection(), self.selected_step()) {
            (_, Some((lab, step))) => self.step_lines(lab, step, inner.width, cx),
            (Some((l, None)), None) => match &self.labs.entries[l].lab {
                Some(lab) => {
                    let (done, total) = self.lab_progress(&cx.progress, lab);
                    let mut v = vec![
                        Line::from(Span::styled(
                            lab.title.clone(),
                            Style::new()
                                .fg(Color::LightCyan)
                                .add_modifier(Modifier::BOLD),
                        )),
                        Line::from(format!("{done} of {total} steps done")),
                        Line::default(),
                    ];
                    v.extend(markdown::render(&lab.summary, inner.width).lines);
                    v.push(Line::default());
                    v.push(Line::from(Span::styled(
                        format!(
                            "{} checks the whole lab · {} opens its chapter section",
                            key_name(Action::Check),
                            key_name(Action::Open)
                        ),
                        Style::new().fg(Color::DarkGray),
                    )));
                    v
                }
                None => {
                    let entry = &self.labs.entries[l];
                    let mut v = vec![Line::from(Span::styled(
                        format!("{} could not be loaded:", entry.path),
                        Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
                    ))];
                    for p in &entry.problems {
                        v.extend(
                            markdown::render(
                                &format!("- {}", p.to_string().replace('`', "'")),
                                inner.width,
                            )
                            .lines,
                        );
                    }
                    v
                }
            },
            _ => vec![Line::from("No labs in this course.")],
        };
        let lines: Vec<Line> = self.watch_lines().into_iter().chain(lines).collect();
        let skip = self.detail_scroll.min(lines.len().saturating_sub(1));
        frame.render_widget(
            Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()),
            inner,
        );
    }
}

/// A step's marker ([`report::marker`]; the spinner while it runs) in this
/// screen's colour for what it shows.
fn mark(shown: Shown, advice: bool, tick: usize) -> (String, Style) {
    let text = match shown {
        Shown::Running => SPINNER[tick % SPINNER.len()],
        other => report::marker(other, advice),
    };
    let colour = super::shown_colour(shown, advice);
    (text.to_string(), Style::new().fg(colour))
}

fn bar(done: usize, total: usize, cells: usize) -> String {
    let filled = (done * cells).checked_div(total).unwrap_or(0);
    format!("{}{}", "█".repeat(filled), "░".repeat(cells - filled))
}
