//! The terminal UI. Terminal setup and teardown live here and nowhere else:
//! the error hook is installed first, then `ratatui::init()`, and every exit
//! path, panics included, restores the terminal (mouse capture too).
//!
//! The event loop here is the only place with I/O: it turns terminal events,
//! runner events and ticks into [`msg::Msg`]s for [`app::App::update`], and
//! carries out the [`msg::Effect`]s it returns (start a run, save progress,
//! quit, read the facts for a review). `app` routes messages to the rooms
//! in `screens/` (the reader, the labs, the quiz and the review, each with
//! its state, update and draw) and holds what they share
//! (`shared`); `view` draws a frame from `&App`; `layout` computes regions;
//! `keys` is the one key map. Nothing here talks to AWS, and nothing below
//! `tui` knows it exists.

pub mod app;
pub mod classrun;
pub mod keys;
pub mod layout;
pub mod msg;
pub mod screens;
pub mod shared;
pub mod view;

use std::path::Path;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Duration;

use anyhow::Context;
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind,
};
use ratatui::crossterm::execute;
use ratatui::layout::Rect;

use app::App;
use msg::{Effect, Msg};

use crate::course::Course;
use crate::progress::Progress;
use crate::runner::{self, FactsSource, RunEvent};
use crate::state::ReaderState;

/// Makes a facts source (live AWS or a snapshot): one for the runner's
/// worker, which serves every check and watch, and one for each review.
pub type SourceFactory = Box<dyn Fn(&[runner::Job]) -> Box<dyn FactsSource>>;

/// How the UI behaves beyond the course: the watch's pace and its bell.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Ring the terminal bell when a watched step turns green.
    pub bell: bool,
    pub watch: crate::watch::Settings,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            bell: true,
            watch: crate::watch::Settings::default(),
        }
    }
}

/// Opens the reader on the course; checks in the lab view use `source`.
/// Returns the exit status.
pub fn run(content: Option<&Path>, source: Option<SourceFactory>) -> anyhow::Result<i32> {
    run_with(content, source, Options::default(), None)
}

/// Instructor mode: opens the class view on `class` (and checks everyone
/// at once, in the background); Enter on a learner opens the labs screen
/// with their results. Returns the exit status.
pub fn run_class(
    content: Option<&Path>,
    source: classrun::ClassSource,
    class: screens::class::ClassScreen,
) -> anyhow::Result<i32> {
    run_with(content, None, Options::default(), Some((source, class)))
}

/// [`run`] with `options`, and in instructor mode the class to show.
pub fn run_with(
    content: Option<&Path>,
    source: Option<SourceFactory>,
    options: Options,
    class: Option<(classrun::ClassSource, screens::class::ClassScreen)>,
) -> anyhow::Result<i32> {
    // Everything that can fail with a message happens before raw mode.
    let course = Course::load(content)?;
    let (state, state_warning) = ReaderState::load();
    // Instructor mode keeps the learners' results in memory only: the
    // instructor's own progress is neither shown nor overwritten.
    let (progress, progress_warning) = match class {
        Some(_) => (Progress::default(), None),
        None => Progress::load(),
    };
    let (class_source, class_screen) = class.unzip();

    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Only a panic of the UI thread ends the UI; the runner catches its
        // own (a broken check becomes `unknown`), and restoring the terminal
        // under a live UI would break it.
        if std::thread::current().name() == Some("main") {
            let _ = execute!(std::io::stdout(), DisableMouseCapture);
            ratatui::restore();
        }
        previous(info);
    }));
    let mut terminal = ratatui::init();
    let _ = execute!(std::io::stdout(), EnableMouseCapture);

    let result = (|| -> anyhow::Result<ReaderState> {
        let size = terminal.size().context("reading the terminal size")?;
        let mut app = App::new(
            course,
            state,
            progress,
            Rect::new(0, 0, size.width, size.height),
        );
        // One worker for every check and watch: for the live account it
        // connects once and keeps the session.
        let worker = source.as_ref().map(|make| runner::Worker::start(make(&[])));
        if let Some(w) = &worker {
            app.labs.source = Ok(w.describe().to_string());
        }
        app.labs.watch_settings = options.watch;
        let env = Env {
            source: source.as_ref(),
            worker: worker.as_ref(),
            bell: options.bell,
        };
        if let Some(w) = state_warning.or(progress_warning) {
            app.shared.status = Some(w);
        }
        let panic_key = std::env::var("LABBOOK_TEST_PANIC_KEY").ok();
        let mut run: Option<Receiver<RunEvent>> = None;
        let mut review: Option<Receiver<ReviewFacts>> = None;
        let mut bg = Background {
            class: class_source.as_ref(),
            checking: None,
        };
        if let Some(screen) = class_screen {
            app.open_class(screen);
            // Everyone is checked when the view opens; the stored run shows meanwhile.
            let effects = app.update(Msg::Act(keys::Action::CheckAll));
            carry_out(&mut app, effects, &env, &mut run, &mut review, &mut bg);
        }
        loop {
            if let Some(rx) = &bg.checking {
                let (effects, open) = drain(&mut app, rx, Msg::Class);
                if !open {
                    bg.checking = None;
                }
                if carry_out(&mut app, effects, &env, &mut run, &mut review, &mut bg) {
                    break;
                }
            }
            if let Some(rx) = &review {
                match rx.try_recv() {
                    Ok(facts) => {
                        review = None;
                        let effects = app.update(Msg::ReviewFacts(facts));
                        if carry_out(&mut app, effects, &env, &mut run, &mut review, &mut bg) {
                            break;
                        }
                    }
                    Err(TryRecvError::Empty) => {}
                    Err(TryRecvError::Disconnected) => review = None,
                }
            }
            if let Some(rx) = &run {
                let (effects, open) = drain(&mut app, rx, Msg::Run);
                if !open {
                    run = None;
                }
                if carry_out(&mut app, effects, &env, &mut run, &mut review, &mut bg) {
                    break;
                }
            } else if app.labs.watching.is_some() {
                // A watch checks again when it is due.
                let effects = app.update(Msg::Tick);
                if carry_out(&mut app, effects, &env, &mut run, &mut review, &mut bg) {
                    break;
                }
            }
            terminal.draw(|f| view::draw(f, &app))?;
            // Poll faster while a run streams in, for the spinner.
            let wait = if run.is_some() || review.is_some() || bg.checking.is_some() {
                80
            } else {
                250
            };
            if !event::poll(Duration::from_millis(wait))? {
                continue;
            }
            let msg = match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => {
                    // A test hook: proves the terminal is restored after a panic.
                    if let (Some(p), event::KeyCode::Char(c)) = (&panic_key, k.code)
                        && p.starts_with(c)
                    {
                        panic!("panic requested by LABBOOK_TEST_PANIC_KEY");
                    }
                    Msg::Key(k)
                }
                Event::Mouse(m) => Msg::Mouse(m),
                Event::Resize(w, h) => Msg::Resize(Rect::new(0, 0, w, h)),
                _ => continue,
            };
            let effects = app.update(msg);
            if carry_out(&mut app, effects, &env, &mut run, &mut review, &mut bg) {
                break;
            }
        }
        Ok(app.reader.state)
    })();

    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    // A class check still running stops at the next learner; the process
    // ending ends it.
    if let Some(c) = &class_source {
        c.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    let state = result?;
    state.save().with_context(|| {
        format!(
            "saving the reading position to {}",
            ReaderState::path().display()
        )
    })?;
    Ok(0)
}

/// The facts a review is built from, as they come back from their thread.
type ReviewFacts = Result<Box<crate::facts::Facts>, String>;

/// What carrying out effects needs from the loop.
struct Env<'a> {
    source: Option<&'a SourceFactory>,
    worker: Option<&'a runner::Worker>,
    bell: bool,
}

/// The class check under way, and the class it checks (instructor mode).
/// Hands the app every message waiting on `rx` (as `msg`), then a tick:
/// the effects, and whether the sender is still there.
fn drain<T>(app: &mut App, rx: &Receiver<T>, msg: fn(T) -> Msg) -> (Vec<Effect>, bool) {
    let mut effects = Vec::new();
    let open = loop {
        match rx.try_recv() {
            Ok(m) => effects.extend(app.update(msg(m))),
            Err(TryRecvError::Empty) => break true,
            Err(TryRecvError::Disconnected) => break false,
        }
    };
    effects.extend(app.update(Msg::Tick));
    (effects, open)
}

struct Background<'a> {
    class: Option<&'a classrun::ClassSource>,
    checking: Option<Receiver<msg::ClassMsg>>,
}

/// Carries out what the app asked for (saving may answer with a message
/// that asks for more); true when the UI should end.
fn carry_out(
    app: &mut App,
    mut effects: Vec<Effect>,
    env: &Env<'_>,
    run: &mut Option<Receiver<RunEvent>>,
    review: &mut Option<Receiver<ReviewFacts>>,
    bg: &mut Background,
) -> bool {
    let source = env.source;
    while !effects.is_empty() {
        for effect in std::mem::take(&mut effects) {
            match effect {
                Effect::Quit => return true,
                Effect::StartRun(jobs) => {
                    if let Some(worker) = env.worker {
                        *run = Some(worker.run(jobs));
                    }
                }
                Effect::WatchCycle(jobs) => {
                    if let Some(worker) = env.worker {
                        *run = Some(worker.watch(jobs));
                    }
                }
                Effect::Bell => {
                    if env.bell {
                        use std::io::Write;
                        let mut out = std::io::stdout();
                        let _ = out.write_all(b"\x07").and_then(|()| out.flush());
                    }
                }
                Effect::LoadReview => match source {
                    Some(make) => {
                        // Every step and every audit rule, read off the UI thread.
                        let jobs = runner::select(&app.review.labs, &[]).unwrap_or_default();
                        let mut scope = runner::plan(&jobs);
                        scope.groups.extend(crate::audit::needs());
                        let from = make(&jobs);
                        let (tx, rx) = std::sync::mpsc::channel();
                        std::thread::spawn(move || {
                            let facts = from
                                .collect(&scope)
                                .map(Box::new)
                                .map_err(|e| e.to_string());
                            let _ = tx.send(facts);
                        });
                        *review = Some(rx);
                    }
                    None => effects.extend(app.update(Msg::ReviewFacts(Err(
                        crate::strings::NO_FACTS_SOURCE.to_string(),
                    )))),
                },
                Effect::CheckClass(names) => match bg.class {
                    Some(c) => bg.checking = Some(c.spawn(names)),
                    None => effects.extend(app.update(Msg::Class(msg::ClassMsg::Finished {
                        partial: true,
                        stored: Err("there is no class to check".to_string()),
                    }))),
                },
                // Instructor mode keeps the learners' results in memory only.
                Effect::SaveProgress if bg.class.is_some() => {}
                Effect::SaveProgress => {
                    if let Err(e) = app.shared.progress.save() {
                        effects.extend(app.update(Msg::SaveFailed(e.to_string())));
                    }
                }
            }
        }
    }
    false
}
