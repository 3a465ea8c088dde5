//! The terminal UI. Terminal setup and teardown live here and nowhere else:
//! the error hook is installed first, then `ratatui::init()`, and every exit
//! path, panics included, restores the terminal (mouse capture too).
//!
//! `app` owns state and its synchronous update; `view` draws `&App`;
//! `keys` is the one key map. Nothing here talks to AWS.

pub mod app;
pub mod keys;
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
use crate::state::ReaderState;

/// Opens the reader on the course. Returns the exit status.
pub fn run(content: Option<&Path>) -> anyhow::Result<i32> {
    // Everything that can fail with a message happens before raw mode.
    let course = Course::load(content)?;
    let (state, state_warning) = ReaderState::load();

    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        ratatui::restore();
        previous(info);
    }));
    let mut terminal = ratatui::init();
    let _ = execute!(std::io::stdout(), EnableMouseCapture);

    let result = (|| -> anyhow::Result<ReaderState> {
        let size = terminal.size().context("reading the terminal size")?;
        let mut app = app::App::new(course, state, Rect::new(0, 0, size.width, size.height));
        if let Some(w) = state_warning {
            app.status = Some(w);
        }
        let panic_key = std::env::var("LABBOOK_TEST_PANIC_KEY").ok();
        while !app.quit {
            terminal.draw(|f| view::draw(f, &app))?;
            if !event::poll(Duration::from_millis(250))? {
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
