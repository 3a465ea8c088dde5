//! The terminal UI. Terminal setup and teardown live here and nowhere else:
//! the error hook is installed first, then `ratatui::init()`, and every exit
//! path, panics included, restores the terminal (mouse capture too).
//!
//! `app` owns state and its synchronous update; `view` draws `&App`;
//! `keys` is the one key map. Nothing here talks to AWS.

pub mod app;
pub mod keys;
pub mod labs;
pub mod labs_view;
pub mod view;

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind,
};
use ratatui::crossterm::execute;
use ratatui::layout::Rect;

use crate::course::Course;
use crate::progress::Progress;
use crate::runner::{self, FactsSource, RunEvent};
use crate::state::ReaderState;

/// Makes a fresh facts source for each run of checks (live AWS or a
/// snapshot); the jobs say where a live source must look.
pub type SourceFactory = Box<dyn Fn(&[runner::Job]) -> Box<dyn FactsSource>>;

/// Opens the reader on the course; checks in the lab view use `source`.
/// Returns the exit status.
pub fn run(content: Option<&Path>, source: Option<SourceFactory>) -> anyhow::Result<i32> {
    // Everything that can fail with a message happens before raw mode.
    let course = Course::load(content)?;
    let (state, state_warning) = ReaderState::load();
    let (progress, progress_warning) = Progress::load();

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
        let mut app = app::App::new(course, state, Rect::new(0, 0, size.width, size.height));
        app.labs.progress = progress;
        app.labs.account = app.labs.progress.latest_account().map(str::to_string);
        if let Some(make) = &source {
            app.labs.source = Ok(make(&[]).describe());
        }
        if let Some(w) = state_warning.or(progress_warning) {
            app.status = Some(w);
        }
        let panic_key = std::env::var("LABBOOK_TEST_PANIC_KEY").ok();
        let mut run: Option<std::sync::mpsc::Receiver<RunEvent>> = None;
        while !app.quit {
            if let (Some(jobs), Some(make)) = (app.labs.pending_run.take(), &source) {
                run = Some(runner::spawn(make(&jobs), jobs));
            }
            if let Some(rx) = &run {
                loop {
                    match rx.try_recv() {
                        Ok(ev) => {
                            let now = crate::clock::now_rfc3339();
                            if let Some(msg) = app.labs.on_run_event(ev, &now) {
                                app.status = Some(msg);
                            }
                        }
                        Err(std::sync::mpsc::TryRecvError::Empty) => break,
                        Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                            run = None;
                            break;
                        }
                    }
                }
                app.labs.tick = app.labs.tick.wrapping_add(1);
            }
            if app.labs.dirty {
                app.labs.dirty = false;
                if let Err(e) = app.labs.progress.save() {
                    app.status = Some(format!("Could not save progress: {e}"));
                }
            }
            terminal.draw(|f| view::draw(f, &app))?;
            // Poll faster while a run streams in, for the spinner.
            let wait = if run.is_some() { 80 } else { 250 };
            if !event::poll(Duration::from_millis(wait))? {
                continue;
            }
            match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => {
                    // A test hook: proves the terminal is restored after a panic.
                    if let (Some(p), event::KeyCode::Char(c)) = (&panic_key, k.code)
                        && p.starts_with(c)
                    {
                        panic!("panic requested by LABBOOK_TEST_PANIC_KEY");
                    }
                    app.on_key(k);
                }
                Event::Mouse(m) => app.on_mouse(m),
                Event::Resize(w, h) => app.resize(Rect::new(0, 0, w, h)),
                _ => {}
            }
        }
        Ok(app.state)
    })();

    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    let state = result?;
    state.save().with_context(|| {
        format!(
            "saving the reading position to {}",
            ReaderState::path().display()
        )
    })?;
    Ok(0)
}
