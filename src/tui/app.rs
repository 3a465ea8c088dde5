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
use super::screens::class::ClassScreen;
use super::screens::labs::{LabsScreen, Row};
use super::screens::quiz::QuizScreen;
use super::screens::reader::Reader;
use super::screens::review::ReviewScreen;
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
    pub quiz: QuizScreen,
    pub review: ReviewScreen,
    /// The class view, in instructor mode (`labbook class`).
    pub class: Option<ClassScreen>,
    /// The help overlay is open (over any screen).
    pub show_help: bool,
}

impl App {
    /// The reader on `course` at the position `state` remembers, with labs
    /// that cannot be checked until a facts source is set on `app.labs.source`.
    pub fn new(course: Course, state: ReaderState, progress: Progress, size: Rect) -> App {
        let labs = Labs::load(&course);
        let review = ReviewScreen::new(labs.clone());
        let quizzes = crate::quiz::Quizzes::load(&course);
        let quiz = readiness_chapter(&course, &quizzes, &labs)
            .and_then(|c| quizzes.for_chapter(&c).cloned())
            .or_else(|| quizzes.quizzes.first().cloned());
        let quiz = QuizScreen::new(quiz);
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
            quiz,
            review,
            class: None,
            show_help: false,
        }
    }

    /// Instructor mode: the class view shows first; the labs screen shows
    /// the learner opened from it (checks run from the class view only).
    pub fn open_class(&mut self, class: ClassScreen) {
        self.labs.source = Err(format!(
            "In the class view, checks run from the matrix: press {} to go back to it.",
            key_name(Action::Back)
        ));
        self.class = Some(class);
        self.shared.view = View::Class;
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
            Msg::Run(ev) => return self.labs.on_run_event(ev, cx),
            Msg::Tick => {
                if let Some(c) = self.class.as_mut() {
                    c.tick = c.tick.wrapping_add(1);
                }
                return self.labs.on_tick(cx).into_iter().collect();
            }
            Msg::Class(m) => {
                if let Some(c) = self.class.as_mut() {
                    c.on_msg(m, cx);
                }
            }
            Msg::SaveFailed(why) => cx.say(format!("Could not save progress: {why}")),
            Msg::ReviewFacts(facts) => {
                let source = self.labs.source.clone().unwrap_or_default();
                self.review.on_facts(facts, &source, cx);
            }
        }
        Vec::new()
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if self.reader.prompt_open() {
            self.reader.on_prompt_key(key, &mut self.shared);
            return Vec::new();
        }
        if self.shared.view == View::Class
            && let Some(class) = self.class.as_mut()
            && class.prompt_open()
        {
            class.on_prompt_key(key);
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
        if self.shared.view == View::Quiz
            && let Some(reply) = self.quiz.on_key(key, &mut self.shared)
        {
            return self.carry(reply, Action::Help);
        }
        if self.shared.view == View::Class
            && let Some(action) = keys::class_action_for(key)
            && let Some(class) = self.class.as_mut()
        {
            let reply = class.act(action, &mut self.shared);
            return self.carry(reply, Action::Help);
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
        let mut reply = match (cx.view, action) {
            (View::Quiz, Action::Quiz) | (View::Review, Action::Review) => {
                cx.view = View::Reader;
                Reply::Done
            }
            (_, Action::Quiz) => {
                cx.view = View::Quiz;
                Reply::Done
            }
            (_, Action::Review) => {
                cx.view = View::Review;
                Reply::Effect(self.review.request())
            }
            (View::Reader, _) => self.reader.update(action, cx),
            (View::Labs, _) => self.labs.update(action, cx),
            (View::Quiz, _) => self.quiz.update(action, cx),
            (View::Review, _) => self.review.update(action, cx),
            (View::Class, _) => match self.class.as_mut() {
                Some(class) => class.update(action, cx),
                None => Reply::Unhandled,
            },
        };
        // What the labs leave (the chapter keys) still moves the reader.
        if matches!(reply, Reply::Unhandled) && cx.view == View::Labs {
            reply = self.reader.update(action, cx);
        }
        self.carry(reply, action)
    }

    /// Carries out a screen's reply to `action`.
    fn carry(&mut self, reply: Reply, action: Action) -> Vec<Effect> {
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
            Goto::Step { lab, step } => {
                let here = self.reader.location(cx);
                let row = self.labs.rows.iter().position(|r| match *r {
                    Row::Step(l, s) => self.labs.lab(l).is_some_and(|x| {
                        x.id == lab && x.steps.get(s).is_some_and(|st| st.id == step)
                    }),
                    Row::Lab(_) => false,
                });
                match row {
                    Some(row) => {
                        cx.history.leave(here);
                        self.labs.selected = row;
                        cx.view = View::Labs;
                        cx.say(format!(
                            "Lab step {lab}/{step}; press {} to go back.",
                            key_name(Action::Back)
                        ));
                    }
                    None => cx.say(format!("There is no lab step {lab}/{step}.")),
                }
            }
            Goto::Learner(name) => self.open_learner(&name),
            Goto::Section(anchor) => {
                let from = cx.view;
                if self.reader.open_section(&anchor, cx) {
                    let to = match from {
                        View::Labs => " to the labs",
                        View::Quiz => " to the quiz",
                        View::Review => " to the review",
                        View::Class => " to the class",
                        View::Reader => "",
                    };
                    cx.say(format!("Press {} to go back{to}.", key_name(Action::Back)));
                } else {
                    cx.say(format!("The chapter has no section #{anchor}."));
                }
            }
        }
    }

    /// The labs screen with a learner's latest results (from the class
    /// view); Back returns to the class.
    fn open_learner(&mut self, name: &str) {
        let cx = &mut self.shared;
        let Some(l) = self
            .class
            .as_ref()
            .and_then(|c| c.learners.iter().find(|l| l.name == name))
        else {
            return;
        };
        let Some(result) = &l.result else {
            cx.say(format!("{name} has not been checked yet."));
            return;
        };
        let now = (cx.now)();
        // In instructor mode progress is in memory only: it holds the
        // learners' results for the labs screen and is never saved.
        for r in &result.results {
            cx.progress
                .record(&l.account, &r.lab, &r.step, &r.outcome, &now);
        }
        let here = self.reader.location(cx);
        cx.history.leave(here);
        self.labs.account = Some(l.account.clone());
        self.labs.fresh.clear();
        cx.view = View::Labs;
        let unread = if result.error.is_some() {
            " (could not be read: every checked step is unknown)"
        } else {
            ""
        };
        cx.say(format!(
            "Learner {name}'s labs{unread}; press {} to go back to the class.",
            key_name(Action::Back)
        ));
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

/// The chapter the quiz and the review are about.
fn readiness_chapter(
    course: &Course,
    quizzes: &crate::quiz::Quizzes,
    labs: &Labs,
) -> Option<String> {
    crate::readiness::chapter_to_review(course, quizzes, labs).map(|c| c.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::Action as StepAction;
    use crate::progress::Shown;

    fn app() -> App {
        let mut a = App::new(
            Course::embedded(),
            ReaderState::default(),
            Progress::default(),
            Rect::new(0, 0, 100, 30),
        );
        a.shared.now = || "2026-11-28T12:00:00Z".to_string();
        a
    }

    /// Selects the first manual step; returns its lab and step ids.
    fn select_manual(a: &mut App) -> (String, String) {
        let row = a
            .labs
            .rows
            .iter()
            .position(|r| match *r {
                crate::tui::screens::labs::Row::Step(l, s) => a
                    .labs
                    .lab(l)
                    .is_some_and(|lab| matches!(lab.steps[s].action, StepAction::Manual)),
                _ => false,
            })
            .expect("a manual step");
        a.labs.selected = row;
        let (lab, step) = a.labs.selected_step().expect("step");
        (lab.id.clone(), step.id.clone())
    }

    #[test]
    fn a_manual_step_never_marked_shows_manual_as_labbook_labs_does() {
        let mut a = app();
        select_manual(&mut a);
        let (lab, step) = a.labs.selected_step().expect("step");
        let shown = a.labs.shown(&a.shared.progress, &lab.id, step);
        assert_eq!(shown, a.shared.progress.shown(None, &lab.id, step));
        assert_eq!(shown, Shown::Status(crate::checks::Status::Manual));
    }

    #[test]
    fn marking_a_step_asks_for_a_save_and_quitting_for_the_end() {
        let mut a = app();
        a.update(Action::Labs);
        assert_eq!(a.view(), View::Labs);
        let (lab, step) = select_manual(&mut a);
        let effects = a.update(Action::Mark);
        assert!(matches!(effects[..], [Effect::SaveProgress]), "{effects:?}");
        let r = a.shared.progress.get("local", &lab, &step).expect("mark");
        assert_eq!(r.marked_done_at.as_deref(), Some("2026-11-28T12:00:00Z"));
        assert!(matches!(a.update(Action::Quit)[..], [Effect::Quit]));
    }

    #[test]
    fn messages_name_the_keys_of_the_key_map() {
        let mut a = app();
        a.update(Action::Check);
        let said = a.shared.status.clone().unwrap_or_default();
        assert!(
            said.contains(&format!("press {} ", key_name(Action::Labs))),
            "{said}"
        );
        a.update(Action::NextMatch);
        let said = a.shared.status.clone().unwrap_or_default();
        assert!(
            said.contains(&format!("press {} ", key_name(Action::Search))),
            "{said}"
        );
    }
}
