//! The screens, one room each: a screen owns its state, its update (an
//! action in, a [`Reply`] out) and its draw, and lists the actions its hint
//! bar shows. A screen borrows what the screens share
//! ([`super::shared::Shared`]) and never reaches the app or another screen:
//! what crosses screens (going to the labs, opening a chapter section) is a
//! [`Reply`] the app routes. A new screen is a new file here.

use super::keys::{self, Action};
use super::msg::Effect;

pub mod class;
pub mod labs;
pub mod quiz;
pub mod reader;
pub mod review;

/// What a screen's update asks of the app.
#[derive(Debug)]
pub enum Reply {
    /// Handled here.
    Done,
    /// Not this screen's action; the app's shared handling applies.
    Unhandled,
    /// Handled, and the loop must carry this out.
    Effect(Effect),
    /// Go to another screen or place.
    Goto(Goto),
}

/// A place another screen is asked to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Goto {
    Reader,
    Labs,
    /// A lab step, selected on the labs screen.
    Step {
        lab: String,
        step: String,
    },
    /// The chapter section with this anchor, in whichever chapter has it.
    Section(String),
    /// The labs screen with this learner's results (the class view).
    Learner(String),
}

/// One entry of a hint bar: the actions (their keys joined with `/`) and
/// what they do.
pub type Hint = (&'static [Action], &'static str);

/// The keys of a hint as the bar writes them, e.g. `j/k`.
pub fn hint_keys(actions: &[Action]) -> String {
    actions
        .iter()
        .map(|a| keys::key_name(*a))
        .collect::<Vec<_>>()
        .join("/")
}

/// The title row of a screen named after the app (the quiz, the review):
/// `labbook · {screen}` on the left, `right` (if any) on the right.
pub fn app_title(screen: &str, right: Option<String>) -> (String, String) {
    (
        format!(" {} · {screen}", crate::strings::APP),
        right.map(|r| format!("{r} ")).unwrap_or_default(),
    )
}

/// A box of `lines` titled `title` over whatever was drawn in `area` (the
/// help, the reader's links).
pub fn draw_overlay(
    frame: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    title: &str,
    lines: Vec<ratatui::text::Line>,
) {
    use ratatui::style::{Color, Style};
    use ratatui::widgets::{Block, Clear, Paragraph};
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(title)
                .border_style(Style::new().fg(Color::Cyan)),
        ),
        area,
    );
}

/// The colour of what a step shows, the same on every screen (the markers
/// themselves are `report::marker`).
pub fn shown_colour(shown: crate::progress::Shown, advice: bool) -> ratatui::style::Color {
    use crate::checks::Status;
    use crate::progress::Shown;
    use ratatui::style::Color;
    match shown {
        Shown::NotChecked => Color::DarkGray,
        Shown::Running => Color::Cyan,
        Shown::MarkedDone | Shown::Status(Status::Pass) => Color::Green,
        Shown::Status(Status::Fail) if advice => Color::Yellow,
        Shown::Status(Status::Fail) => Color::Red,
        Shown::Status(Status::Unknown) => Color::Yellow,
        Shown::Status(Status::Manual) => Color::Blue,
    }
}
