//! The class view (instructor mode): a matrix of learners × steps, one
//! coloured marker per cell ([`crate::report::marker`]; the colours are this
//! screen's), each learner's total on the left and each step's share of
//! passing learners under its column, the selected learner and step in
//! detail below. Owns that state, its update and its draw.
//!
//! - **Sorting** (`s` cycles): roster order, by progress (fewest passed
//!   required steps first, so who needs help is on top; learners not read
//!   last), by name.
//! - **Filtering** (`f` opens a prompt; it applies as you type, Enter keeps
//!   it, Esc clears it): a learner stays when their name contains the text,
//!   or when a required step they *fail* has an id (`lab/step`) containing
//!   it, case-insensitively. `scp-regions` keeps everyone failing a step of
//!   that lab, `attached` everyone failing a step with that id, `ada` the
//!   learner ada. A learner who could not be read fails no step, so only
//!   their name matches. The step totals count the learners shown.
//! - **Changes**: a cell whose outcome differs from that learner's previous
//!   run (the run before it in the history, or the result this view
//!   replaced) is bold and underlined, and the row counts them (`Δ2`).
//! - A learner who could not be read is a grey row with the reason.
//!
//! No I/O: re-checking is [`Effect::CheckClass`], whose events come back
//! through [`ClassScreen::on_msg`]; opening a learner's labs is
//! [`Goto::Learner`], which the app carries out.

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::super::keys::{Action, ClassAction, class_key_name, key_name};
use super::super::layout;
use super::super::msg::{ClassMsg, Effect};
use super::super::shared::Shared;
use super::{Goto, Reply, hint_keys};
use crate::checks::Status;
use crate::class::{ClassEvent, ClassRun, LearnerResult, StepResult};
use crate::labs::Action as StepAction;
use crate::markdown::{truncate, width_of};
use crate::progress::Shown;
use crate::report;
use crate::runner::Job;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The share of learners passing a step, from none to all.
const SHARE: [&str; 9] = ["_", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/// The hint bar: keys (as the key maps name them) and what they do.
pub fn hints() -> Vec<(String, &'static str)> {
    vec![
        (class_key_name(ClassAction::Filter), "filter"),
        (class_key_name(ClassAction::Sort), "sort"),
        (key_name(Action::Open), "learner's labs"),
        (key_name(Action::Check), "re-check"),
        (key_name(Action::CheckAll), "re-check all"),
        (hint_keys(&[Action::Down, Action::Up]), "learner"),
        (
            format!(
                "{}/{}",
                class_key_name(ClassAction::PrevStep),
                class_key_name(ClassAction::NextStep)
            ),
            "step",
        ),
        (key_name(Action::Help), "keys"),
        (key_name(Action::Quit), "quit"),
    ]
}

/// A checked step: one column of the matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub lab: String,
    pub step: String,
    pub advice: bool,
}

impl Column {
    pub fn id(&self) -> String {
        format!("{}/{}", self.lab, self.step)
    }
}

/// One learner's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Learner {
    pub name: String,
    pub account: String,
    /// The latest result shown; `None` before the first check.
    pub result: Option<LearnerResult>,
    /// The result before it, to mark what changed.
    pub previous: Option<LearnerResult>,
}

impl Learner {
    fn step(&self, c: &Column) -> Option<&StepResult> {
        self.result
            .as_ref()?
            .results
            .iter()
            .find(|r| r.lab == c.lab && r.step == c.step)
    }

    /// Read (there is a result and no error).
    pub fn read(&self) -> bool {
        self.result.as_ref().is_some_and(|r| r.error.is_none())
    }

    /// (passed, required): required checked steps only, as the reports count.
    pub fn tally(&self) -> (usize, usize) {
        let Some(r) = &self.result else {
            return (0, 0);
        };
        let required = r
            .results
            .iter()
            .filter(|s| !s.advice && s.outcome.status != Status::Manual);
        let (mut passed, mut total) = (0, 0);
        for s in required {
            total += 1;
            passed += usize::from(s.outcome.status == Status::Pass);
        }
        (passed, total)
    }

    /// The outcome this step had before, when it changed since (a learner
    /// not read in either run has no changes: nothing was seen).
    pub fn changed(&self, c: &Column) -> Option<Status> {
        let (now, before) = (self.result.as_ref()?, self.previous.as_ref()?);
        if now.error.is_some() || before.error.is_some() {
            return None;
        }
        let a = self.step(c)?.outcome.status;
        let b = before
            .results
            .iter()
            .find(|r| r.lab == c.lab && r.step == c.step)?
            .outcome
            .status;
        (a != b).then_some(b)
    }

    fn first_failing(&self) -> Option<String> {
        self.result
            .as_ref()?
            .results
            .iter()
            .find(|r| !r.advice && r.outcome.status == Status::Fail)
            .map(|r| format!("{}/{}", r.lab, r.step))
    }
}

/// How the learners are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Roster,
    Progress,
    Name,
}

impl Order {
    fn next(self) -> Order {
        match self {
            Order::Roster => Order::Progress,
            Order::Progress => Order::Name,
            Order::Name => Order::Roster,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Order::Roster => "roster order",
            Order::Progress => "progress (fewest passed first)",
            Order::Name => "name",
        }
    }
}

/// A class check under way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Running {
    /// Learners still waiting for a result.
    pub waiting: BTreeSet<String>,
    pub total: usize,
    pub done: usize,
}

pub struct ClassScreen {
    pub class: String,
    pub columns: Vec<Column>,
    /// In roster order.
    pub learners: Vec<Learner>,
    pub order: Order,
    /// The filter applied (see the module docs).
    pub filter: String,
    /// The filter prompt is open.
    pub input: Option<String>,
    /// The selected learner (index into `learners`).
    pub selected: usize,
    /// The selected step (index into `columns`).
    pub column: usize,
    pub running: Option<Running>,
    /// Turns of the spinner.
    pub tick: usize,
}

impl ClassScreen {
    /// The class's learners (name, account) in roster order, with the
    /// latest stored run and the one before it when the history has them.
    pub fn new(
        class: &str,
        jobs: &[Job],
        roster: &[(String, String)],
        latest: Option<&ClassRun>,
        previous: Option<&ClassRun>,
    ) -> ClassScreen {
        let columns = jobs
            .iter()
            .filter(|j| !matches!(j.action, StepAction::Manual))
            .map(|j| Column {
                lab: j.lab.clone(),
                step: j.step.clone(),
                advice: j.advice,
            })
            .collect();
        let find = |run: Option<&ClassRun>, name: &str| {
            run.and_then(|r| r.learners.iter().find(|l| l.name == name).cloned())
        };
        let learners = roster
            .iter()
            .map(|(name, account)| Learner {
                name: name.clone(),
                account: account.clone(),
                result: find(latest, name),
                previous: find(previous, name),
            })
            .collect();
        ClassScreen {
            class: class.to_string(),
            columns,
            learners,
            order: Order::Roster,
            filter: String::new(),
            input: None,
            selected: 0,
            column: 0,
            running: None,
            tick: 0,
        }
    }

    /// Whether a learner passes the filter (see the module docs).
    pub fn matches(&self, l: &Learner) -> bool {
        let q = self.filter.trim().to_lowercase();
        if q.is_empty() || l.name.to_lowercase().contains(&q) {
            return true;
        }
        l.read()
            && l.result.as_ref().is_some_and(|r| {
                r.results.iter().any(|s| {
                    !s.advice
                        && s.outcome.status == Status::Fail
                        && format!("{}/{}", s.lab, s.step).to_lowercase().contains(&q)
                })
            })
    }

    /// The learners shown, filtered and sorted (indexes into `learners`).
    pub fn shown(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.learners.len())
            .filter(|&i| self.matches(&self.learners[i]))
            .collect();
        match self.order {
            Order::Roster => {}
            Order::Name => v.sort_by_key(|&i| self.learners[i].name.to_lowercase()),
            Order::Progress => v.sort_by_key(|&i| {
                let l = &self.learners[i];
                (!l.read(), l.tally().0, l.name.to_lowercase())
            }),
        }
        v
    }

    /// The selected learner, if shown.
    pub fn selected_learner(&self) -> Option<&Learner> {
        self.shown()
            .contains(&self.selected)
            .then(|| self.learners.get(self.selected))
            .flatten()
    }

    /// Keeps the selection on a shown learner (the first one when the
    /// selected learner is filtered out).
    fn keep_selection(&mut self) {
        let shown = self.shown();
        if !shown.contains(&self.selected) {
            self.selected = shown.first().copied().unwrap_or(0);
        }
    }

    fn move_by(&mut self, delta: isize) {
        let shown = self.shown();
        let Some(pos) = shown.iter().position(|&i| i == self.selected) else {
            self.keep_selection();
            return;
        };
        let last = shown.len().saturating_sub(1);
        let to = pos.saturating_add_signed(delta).min(last);
        self.selected = shown[to];
    }

    pub fn update(&mut self, action: Action, cx: &mut Shared) -> Reply {
        let page = self.rows_visible(cx.size).max(1) as isize;
        match action {
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::PageDown => self.move_by(page),
            Action::PageUp => self.move_by(-page),
            Action::Top => self.move_by(isize::MIN / 2),
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::Open => match self.selected_learner() {
                Some(l) if l.result.is_some() => return Reply::Goto(Goto::Learner(l.name.clone())),
                Some(l) => cx.say(format!(
                    "{} has not been checked yet; press {} to check them.",
                    l.name,
                    key_name(Action::Check)
                )),
                None => cx.say("No learner is shown."),
            },
            Action::Check => match self.selected_learner() {
                Some(l) => {
                    let name = l.name.clone();
                    return self.request(vec![name], cx);
                }
                None => cx.say("No learner is shown."),
            },
            Action::CheckAll => return self.request(Vec::new(), cx),
            Action::Search => return self.act(ClassAction::Filter, cx),
            Action::Labs => cx.say(format!(
                "Press {} on a learner to open their labs.",
                key_name(Action::Open)
            )),
            Action::Quit | Action::Help | Action::Back | Action::Forward => {
                return Reply::Unhandled;
            }
            _ => {}
        }
        Reply::Done
    }

    /// One of the class view's own actions.
    pub fn act(&mut self, action: ClassAction, cx: &mut Shared) -> Reply {
        match action {
            ClassAction::Sort => {
                self.order = self.order.next();
                cx.say(format!("Sorted by {}.", self.order.as_str()));
            }
            ClassAction::Filter => self.input = Some(self.filter.clone()),
            ClassAction::NextStep => {
                self.column = (self.column + 1).min(self.columns.len().saturating_sub(1));
            }
            ClassAction::PrevStep => self.column = self.column.saturating_sub(1),
        }
        Reply::Done
    }

    /// A check of these learners (none: everyone), unless one runs already.
    pub fn request(&mut self, names: Vec<String>, cx: &mut Shared) -> Reply {
        if self.running.is_some() {
            cx.say("A class check is already running.");
            return Reply::Done;
        }
        let waiting: BTreeSet<String> = if names.is_empty() {
            self.learners.iter().map(|l| l.name.clone()).collect()
        } else {
            names.iter().cloned().collect()
        };
        let n = waiting.len();
        self.running = Some(Running {
            waiting,
            total: n,
            done: 0,
        });
        cx.say(format!(
            "Checking {n} learner{}…",
            if n == 1 { "" } else { "s" }
        ));
        Reply::Effect(Effect::CheckClass(names))
    }

    pub fn prompt_open(&self) -> bool {
        self.input.is_some()
    }

    /// A key while the filter prompt is open: it filters as you type.
    pub fn on_prompt_key(&mut self, key: KeyEvent) {
        let Some(input) = self.input.as_mut() else {
            return;
        };
        match key.code {
            KeyCode::Esc => {
                self.input = None;
                self.filter.clear();
            }
            KeyCode::Enter => self.input = None,
            KeyCode::Backspace => {
                input.pop();
                self.filter = input.clone();
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                input.push(c);
                self.filter = input.clone();
            }
            _ => {}
        }
        self.keep_selection();
    }

    /// The filter prompt for the status row.
    pub fn prompt(&self) -> Option<Line<'static>> {
        let input = self.input.as_ref()?;
        Some(Line::from(vec![
            Span::styled("filter: ", Style::new().fg(Color::Yellow)),
            Span::raw(input.clone()),
            Span::styled("█", Style::new().fg(Color::Gray)),
            Span::styled(
                "  (a name or a failing step; Enter keeps, Esc clears)",
                Style::new().fg(Color::DarkGray),
            ),
        ]))
    }

    /// Takes one message of the class check under way.
    pub fn on_msg(&mut self, msg: ClassMsg, cx: &mut Shared) {
        match msg {
            ClassMsg::Event(ClassEvent::Started { learners }) => {
                if let Some(r) = self.running.as_mut() {
                    r.total = learners;
                }
            }
            ClassMsg::Event(ClassEvent::LearnerStarted { .. }) => {}
            ClassMsg::Event(ClassEvent::LearnerFinished { name, result, .. }) => {
                if let Some(r) = self.running.as_mut() {
                    r.waiting.remove(&name);
                    r.done += 1;
                }
                if let (Some(result), Some(l)) =
                    (result, self.learners.iter_mut().find(|l| l.name == name))
                {
                    if let Some(old) = l.result.take() {
                        l.previous = Some(old);
                    }
                    l.result = Some(*result);
                }
            }
            ClassMsg::Finished { partial, stored } => {
                let done = self.running.take().map_or(0, |r| r.done);
                let changed: usize = self
                    .learners
                    .iter()
                    .map(|l| {
                        self.columns
                            .iter()
                            .filter(|c| l.changed(c).is_some())
                            .count()
                    })
                    .sum();
                let stopped = if partial && done < self.learners.len() {
                    " (not everyone)"
                } else {
                    ""
                };
                let kept = match stored {
                    Ok(()) => "stored in the class history".to_string(),
                    Err(why) => format!("not stored: {why}"),
                };
                cx.say(format!(
                    "Checked {done} learner{}{stopped}, {kept}; {changed} cell{} changed since the previous run.",
                    if done == 1 { "" } else { "s" },
                    if changed == 1 { "" } else { "s" },
                ));
            }
        }
        self.keep_selection();
    }

    /// The title bar's left and right.
    pub fn title(&self, cx: &Shared) -> (String, String) {
        let shown = self.shown().len();
        let n = self.learners.len();
        let filter = if self.filter.trim().is_empty() {
            String::new()
        } else {
            format!(", filter \"{}\"", self.filter.trim())
        };
        (
            format!(" {} › Class {} ", cx.course.title, self.class),
            format!(" {shown} of {n} learners shown{filter} "),
        )
    }

    /// What the status row shows before the hints while a check runs.
    pub fn badge(&self) -> Option<String> {
        let r = self.running.as_ref()?;
        Some(format!(" checking {}/{} ", r.done, r.total))
    }

    /// Learner rows that fit at this size.
    fn rows_visible(&self, size: Rect) -> usize {
        let body = layout::body(size);
        usize::from(body.height).saturating_sub(4 + detail_height(body))
    }

    fn name_width(&self) -> usize {
        self.learners
            .iter()
            .map(|l| width_of(&l.name))
            .max()
            .unwrap_or(4)
            .clamp(6, 14)
    }

    /// Each column's x offset in the cells area (a space between labs).
    fn offsets(&self) -> Vec<usize> {
        let mut x = 0;
        let mut out = Vec::with_capacity(self.columns.len());
        for (i, c) in self.columns.iter().enumerate() {
            if i > 0 && self.columns[i - 1].lab != c.lab {
                x += 1;
            }
            out.push(x);
            x += 1;
        }
        out
    }

    pub fn draw(&self, frame: &mut Frame, cx: &Shared) {
        let body = layout::body(frame.area());
        let width = usize::from(body.width);
        let name_w = self.name_width();
        // " ⠋ name…  12/30 Δ2  " then the cells.
        let left = 2 + name_w + 1 + 5 + 1 + 3 + 1;
        let offsets = self.offsets();
        let dim = Style::new().fg(Color::DarkGray);
        let mut lines: Vec<Line> = Vec::new();

        // The labs over their columns, then the selected column's marker.
        let mut labs = vec![Span::raw(format!("{:<left$}", " learner"))];
        let mut x = 0;
        let mut i = 0;
        while i < self.columns.len() {
            let lab = &self.columns[i].lab;
            let n = self.columns[i..]
                .iter()
                .take_while(|c| &c.lab == lab)
                .count();
            let pad = offsets[i].saturating_sub(x);
            labs.push(Span::raw(" ".repeat(pad)));
            let name = truncate_plain(lab, n);
            x = offsets[i] + width_of(&name);
            labs.push(Span::styled(name, Style::new().fg(Color::Cyan)));
            i += n;
        }
        lines.push(Line::from(labs));
        // "done" over the learners' counts, `▼` over the selected step.
        let mut marker = format!("{}done {}", " ".repeat(2 + name_w + 1), " ".repeat(5));
        if let Some(&at) = offsets.get(self.column) {
            marker.push_str(&" ".repeat(at));
            marker.push('▼');
        }
        lines.push(Line::from(Span::styled(marker, dim)));

        // The learners.
        let shown = self.shown();
        let visible = self.rows_visible(cx.size);
        let pos = shown.iter().position(|&i| i == self.selected).unwrap_or(0);
        let skip = (pos + 1).saturating_sub(visible);
        for &i in shown.iter().skip(skip).take(visible) {
            lines.push(self.row(
                &self.learners[i],
                i == self.selected,
                name_w,
                left,
                &offsets,
                width,
            ));
        }
        if shown.is_empty() {
            lines.push(Line::from(Span::styled(
                format!(
                    "  No learner matches the filter \"{}\".",
                    self.filter.trim()
                ),
                dim,
            )));
        }

        // Each step's share of the shown learners who pass it.
        let mut totals = vec![Span::styled(
            format!("{:>w$} ", "passing", w = left - 1),
            dim,
        )];
        let mut x = 0;
        for (c, &at) in self.columns.iter().zip(&offsets) {
            totals.push(Span::raw(" ".repeat(at - x)));
            let (passed, read) = self.step_total(&shown, c);
            let share = (passed * 8).div_ceil(read.max(1));
            let colour = match (passed, read) {
                (_, 0) => Color::DarkGray,
                (p, r) if p == r => Color::Green,
                (0, _) => Color::Red,
                _ => Color::Yellow,
            };
            totals.push(Span::styled(
                if read == 0 { " " } else { SHARE[share.min(8)] },
                Style::new().fg(colour),
            ));
            x = at + 1;
        }
        lines.push(Line::from(totals));
        lines.push(Line::default());

        let top = Rect {
            height: (lines.len() as u16).min(body.height),
            ..body
        };
        frame.render_widget(Paragraph::new(lines), top);
        let detail = Rect {
            x: body.x + 1,
            y: top.y + top.height,
            width: body.width.saturating_sub(2),
            height: body.height.saturating_sub(top.height),
        };
        frame.render_widget(
            Paragraph::new(self.detail(&shown)).wrap(Wrap { trim: true }),
            detail,
        );
    }

    /// Shown learners read who pass `c`, and shown learners read.
    pub fn step_total(&self, shown: &[usize], c: &Column) -> (usize, usize) {
        let mut passed = 0;
        let mut read = 0;
        for l in shown
            .iter()
            .map(|&i| &self.learners[i])
            .filter(|l| l.read())
        {
            if let Some(s) = l.step(c) {
                read += 1;
                passed += usize::from(s.outcome.status == Status::Pass);
            }
        }
        (passed, read)
    }

    fn row(
        &self,
        l: &Learner,
        selected: bool,
        name_w: usize,
        left: usize,
        offsets: &[usize],
        width: usize,
    ) -> Line<'static> {
        let waiting = self
            .running
            .as_ref()
            .is_some_and(|r| r.waiting.contains(&l.name));
        let lead = if waiting {
            SPINNER[self.tick % SPINNER.len()]
        } else if selected {
            "▶"
        } else {
            " "
        };
        let unread = l.result.as_ref().and_then(|r| r.error.as_deref());
        let base = if unread.is_some() {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        };
        let name_style = if selected {
            base.add_modifier(Modifier::REVERSED)
        } else {
            base
        };
        let (passed, total) = l.tally();
        let count = if l.result.is_none() || unread.is_some() {
            "  -  ".to_string()
        } else {
            format!("{passed:>2}/{total:<2}")
        };
        let changes = self
            .columns
            .iter()
            .filter(|c| l.changed(c).is_some())
            .count();
        let delta = if changes > 0 {
            format!("Δ{changes:<2}")
        } else {
            "   ".to_string()
        };
        let name = truncate(&l.name, name_w);
        let mut spans = vec![
            Span::styled(format!("{lead} "), Style::new().fg(Color::Cyan)),
            Span::styled(format!("{name:<name_w$}"), name_style),
            Span::styled(format!(" {count} "), base),
            Span::styled(format!("{delta} "), Style::new().fg(Color::Magenta)),
        ];
        if let Some(why) = unread {
            let room = width.saturating_sub(left);
            spans.push(Span::styled(
                truncate(&format!("could not be read: {why}"), room),
                Style::new()
                    .fg(Color::DarkGray)
                    .add_modifier(Modifier::ITALIC),
            ));
            return Line::from(spans);
        }
        let mut x = 0;
        for (ci, (c, &at)) in self.columns.iter().zip(offsets).enumerate() {
            if left + at >= width {
                break;
            }
            spans.push(Span::raw(" ".repeat(at - x)));
            let (text, mut style) = match l.step(c) {
                Some(s) => cell(Shown::Status(s.outcome.status), c.advice),
                None => cell(Shown::NotChecked, c.advice),
            };
            if l.changed(c).is_some() {
                style = style.add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
            }
            if selected && ci == self.column {
                style = style.add_modifier(Modifier::REVERSED);
            }
            spans.push(Span::styled(text, style));
            x = at + 1;
        }
        Line::from(spans)
    }

    /// The selected learner and step, in words.
    fn detail(&self, shown: &[usize]) -> Vec<Line<'static>> {
        let heading = Style::new()
            .fg(Color::LightCyan)
            .add_modifier(Modifier::BOLD);
        let dim = Style::new().fg(Color::DarkGray);
        let mut out = Vec::new();
        let Some(l) = self.selected_learner() else {
            return out;
        };
        let who = format!("{} · account {}", l.name, l.account);
        let about = match &l.result {
            None => "not checked yet".to_string(),
            Some(LearnerResult { error: Some(e), .. }) => format!("could not be read: {e}"),
            Some(_) => {
                let (p, t) = l.tally();
                let first = l
                    .first_failing()
                    .map(|s| format!(" · first failing {s}"))
                    .unwrap_or_default();
                format!("{p} of {t} required steps passed{first}")
            }
        };
        let about_style = if l.read() { Style::new() } else { dim };
        out.push(Line::from(vec![
            Span::styled(who, heading),
            Span::raw(" · "),
            Span::styled(about, about_style),
        ]));
        let Some(c) = self.columns.get(self.column) else {
            return out;
        };
        let (passed, read) = self.step_total(shown, c);
        let advice = if c.advice { " (advice)" } else { "" };
        out.push(Line::from(vec![
            Span::styled(format!("{}{advice}", c.id()), heading),
            Span::styled(
                format!(" · passed by {passed} of the {read} learners shown and read"),
                dim,
            ),
        ]));
        if l.read()
            && let Some(s) = l.step(c)
        {
            let (m, style) = cell(Shown::Status(s.outcome.status), c.advice);
            out.push(Line::from(vec![
                Span::styled(format!("{m} "), style),
                Span::raw(s.outcome.message.clone()),
            ]));
            if let Some(before) = l.changed(c) {
                let (was, style) = cell(Shown::Status(before), c.advice);
                out.push(Line::from(vec![
                    Span::styled("changed since the previous run: it was ", dim),
                    Span::styled(format!("{was} {}", before.as_str()), style),
                ]));
            }
        }
        out
    }
}

/// Rows the detail pane takes.
fn detail_height(body: Rect) -> usize {
    (usize::from(body.height) / 4).clamp(3, 6)
}

/// A cell's marker and colour (the labs screen's colours).
fn cell(shown: Shown, advice: bool) -> (&'static str, Style) {
    let colour = super::shown_colour(shown, advice);
    (report::marker(shown, advice), Style::new().fg(colour))
}

/// A lab id cut to `n` columns without an ellipsis (it heads its steps).
fn truncate_plain(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
