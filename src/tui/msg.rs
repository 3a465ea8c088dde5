//! What goes into the app and what comes out of it. Everything that happens
//! to the UI arrives as a [`Msg`] (a key, a resize, a runner event, a tick of
//! the spinner); everything the UI needs done outside itself leaves as an
//! [`Effect`] that the event loop in `tui/mod.rs` carries out, and that tests
//! carry out the same way. Plain data; depends on nothing else in `tui`
//! except the key map's `Action`.

use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use ratatui::layout::Rect;

use super::keys::Action;
use crate::runner::{Job, RunEvent};

/// Something that happened.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key press, read through the key map (and the open prompt, if any).
    Key(KeyEvent),
    /// An action, as if its key were pressed with nothing open.
    Act(Action),
    Mouse(MouseEvent),
    /// The terminal has a new size.
    Resize(Rect),
    /// One event of the run under way, from the runner's channel.
    Run(RunEvent),
    /// Time passed while a run streams in or a watch is on (the spinner
    /// turns; a watch checks again when it is due).
    Tick,
    /// Saving progress failed, with why.
    SaveFailed(String),
    /// The facts for the review, read on a background thread (or why not).
    ReviewFacts(Result<Box<crate::facts::Facts>, String>),
    /// One event of the class check under way (the class view).
    Class(ClassMsg),
}

/// What a class check running in the background reports to the class view.
#[derive(Debug, Clone)]
pub enum ClassMsg {
    /// A learner started or finished (with what was found).
    Event(crate::class::ClassEvent),
    /// The check ended: stopped early (`partial`), and whether the run was
    /// stored in the class history (or why not).
    Finished {
        partial: bool,
        stored: Result<(), String>,
    },
}

impl From<KeyEvent> for Msg {
    fn from(k: KeyEvent) -> Msg {
        Msg::Key(k)
    }
}

impl From<Action> for Msg {
    fn from(a: Action) -> Msg {
        Msg::Act(a)
    }
}

impl From<RunEvent> for Msg {
    fn from(e: RunEvent) -> Msg {
        Msg::Run(e)
    }
}

/// Something the app needs done outside itself.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Run these checks on a background thread; its events come back as
    /// [`Msg::Run`].
    StartRun(Vec<Job>),
    /// One cycle of a watch: the steps' own reads only.
    WatchCycle(Vec<Job>),
    /// Progress changed: write it to disk ([`Msg::SaveFailed`] if that fails).
    SaveProgress,
    /// Read the facts for the review on a background thread; they come
    /// back as [`Msg::ReviewFacts`].
    LoadReview,
    /// Ring the terminal bell (a watched step turned green); the loop
    /// leaves it out when the bell is turned off.
    Bell,
    /// Check these learners of the class (none named: everyone) on a
    /// background thread; its events come back as [`Msg::Class`].
    CheckClass(Vec<String>),
    /// Leave the UI (the reading position is already remembered).
    Quit,
}
