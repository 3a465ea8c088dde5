//! What the screens share, held by the app and lent to the screen that
//! handles a message: the course, the terminal size, the status line, the
//! learner's progress, the history of jumps (Back and Forward cross
//! screens) and the clock. Depends on nothing else in `tui`; the screens
//! depend on it, never on the app.

use ratatui::layout::Rect;

use crate::course::Course;
use crate::progress::Progress;

/// Which screen is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Reader,
    Labs,
    Quiz,
    Review,
    /// The class view (instructor mode).
    Class,
}

/// A place in the course that survives reflow: the screen, the chapter,
/// the section anchor and the lines below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub view: View,
    pub chapter: usize,
    pub anchor: Option<String>,
    pub offset: usize,
}

/// Where Back and Forward go.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub back: Vec<Location>,
    pub forward: Vec<Location>,
}

impl History {
    /// Remembers `here` before a jump somewhere else.
    pub fn leave(&mut self, here: Location) {
        self.back.push(here);
        self.forward.clear();
    }
}

pub struct Shared {
    pub course: Course,
    /// The terminal size the layout was computed for.
    pub size: Rect,
    pub status: Option<String>,
    pub progress: Progress,
    pub history: History,
    /// The screen showing.
    pub view: View,
    /// The time stamps of results and marks (RFC 3339); tests fix it.
    pub now: fn() -> String,
}

impl Shared {
    pub fn say(&mut self, msg: impl Into<String>) {
        self.status = Some(msg.into());
    }
}
