//! The app: holds what the screens share ([`Shared`]: the course, the size,
//! the status line, which screen is showing, progress, the history) and the
//! screens themselves, and routes each [`Msg`] to the screen it is for. Its
//! [`App::update`] is synchronous and does no I/O: what must happen outside
//! comes back as [`Effect`]s for the event loop (or a test) to carry out.
//! Actions that are the same everywhere (quit, help, back, forward) are
//! handled here; the rest belong to the screen showing.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;

use super::keys::{self, Action, key_name};
use super::msg::{Effect, Msg};
use super::screens::labs::LabsScreen;
use super::screens::reader::Reader;
use super::screens::{Goto, Reply};
use super::shared::{History, Location, Shared, View};
use crate::course::Course;
use crate::labs::Labs;
use crate::progress::Progress;
use crate::state::ReaderState;

pub struct App {
    pub shared: Shared,
    pub reader: Reader,
    pub labs: LabsScreen,
    /// The help overlay is open (over any screen).
    pub show_help: bool,
}

impl App {
    /// The reader on `course` at the position `state` remembers, with labs
    /// that cannot be checked until a facts source is set on `app.labs.source`.
    pub fn new(course: Course, state: ReaderState, progress: Progress, size: Rect) -> App {
        let labs = Labs::load(&course);
        let labs = LabsScreen::new(
            labs,
            &progress,
            Err(crate::strings::NO_FACTS_SOURCE.to_string()),
        );
        let status = course.warnings.first().map(|w| format!("warning: {w}"));
        let shared = Shared {
            course,
            size,
            status,
            progress,
            history: History::default(),
            view: View::Reader,
            now: crate::clock::now_rfc3339,
        };
        let reader = Reader::new(state, &shared);
        App {
            shared,
            reader,
            labs,
            show_help: false,
        }
    }

    /// The screen showing.
    pub fn view(&self) -> View {
        self.shared.view
    }

    /// Where we are: the screen and the reader's place in the course.
    pub fn location(&self) -> Location {
        self.reader.location(&self.shared)
    }

    /// Takes one message; returns what the loop must do because of it.
    pub fn update(&mut self, msg: impl Into<Msg>) -> Vec<Effect> {
        let cx = &mut self.shared;
        match msg.into() {
            Msg::Key(k) => return self.on_key(k),
            Msg::Act(a) => return self.act(a),
            Msg::Mouse(m) => {
                if cx.view == View::Reader {
                    self.reader.on_mouse(m, cx);
                }
            }
            Msg::Resize(size) => {
                if size != cx.size {
                    let here = self.reader.location(cx);
                    cx.size = size;
                    self.reader.reflow(&here, cx);
                }
            }
            Msg::Run(ev) => return self.labs.on_run_event(ev, cx).into_iter().collect(),
            Msg::Tick => self.labs.tick = self.labs.tick.wrapping_add(1),
            Msg::SaveFailed(why) => cx.say(format!("Could not save progress: {why}")),
        }
        Vec::new()
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if self.reader.prompt_open() {
            self.reader.on_prompt_key(key, &mut self.shared);
            return Vec::new();
        }
        if self.show_help {
            // Any key closes the help; `q` still quits.
            self.show_help = false;
            if keys::action_for(key) == Some(Action::Quit) {
                return self.act(Action::Quit);
            }
            return Vec::new();
        }
        if key.code == KeyCode::Esc {
            self.shared.status = None;
            self.reader.cancel_search();
            return Vec::new();
        }
        match keys::action_for(key) {
            Some(action) => self.act(action),
            None => Vec::new(),
        }
    }

    /// An action: the screen showing handles it, else the app does.
    fn act(&mut self, action: Action) -> Vec<Effect> {
        let cx = &mut self.shared;
        let mut reply = match cx.view {
            View::Reader => self.reader.update(action, cx),
            View::Labs => self.labs.update(action, cx),
        };
        // What the labs leave (the chapter keys) still moves the reader.
        if matches!(reply, Reply::Unhandled) && cx.view == View::Labs {
            reply = self.reader.update(action, cx);
        }
        match reply {
            Reply::Done => Vec::new(),
            Reply::Effect(e) => vec![e],
            Reply::Goto(to) => {
                self.goto(to);
                Vec::new()
            }
            Reply::Unhandled => self.shared_action(action),
        }
    }

    fn goto(&mut self, to: Goto) {
        let cx = &mut self.shared;
        match to {
            Goto::Reader => cx.view = View::Reader,
            Goto::Labs => cx.view = View::Labs,
            Goto::Section(anchor) => {
                if self.reader.open_section(&anchor, cx) {
                    cx.say(format!(
                        "Press {} to go back to the labs.",
                        key_name(Action::Back)
                    ));
                } else {
                    cx.say(format!("The chapter has no section #{anchor}."));
                }
            }
        }
    }

    /// The actions that are the same on every screen.
    fn shared_action(&mut self, action: Action) -> Vec<Effect> {
        let cx = &mut self.shared;
        match action {
            Action::Quit => {
                self.reader.remember_position(cx);
                return vec![Effect::Quit];
            }
            Action::Help => self.show_help = !self.show_help,
            Action::Back => match cx.history.back.pop() {
                Some(loc) => {
                    let here = self.reader.location(cx);
                    cx.history.forward.push(here);
                    self.reader.go(&loc, cx);
                }
                None => cx.say("Nothing to go back to."),
            },
            Action::Forward => {
                if let Some(loc) = cx.history.forward.pop() {
                    let here = self.reader.location(cx);
                    cx.history.back.push(here);
                    self.reader.go(&loc, cx);
                }
            }
            _ => {}
        }
        Vec::new()
    }
}
