//! The screen's regions, computed from the terminal size alone: the title
//! row, the body (contents and text for the reader, list and details for
//! the labs) and the status row. Owns no state; used by the app (the width
//! the text is rendered at) and by every screen's draw. Depends on nothing
//! else in `tui`.

use ratatui::layout::{Constraint, Layout, Rect};

/// The reader's regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub title: Rect,
    pub toc: Option<Rect>,
    pub text: Rect,
    pub scrollbar: Rect,
    pub status: Rect,
}

/// The table of contents is hidden on narrow terminals.
pub fn shows_toc(size: Rect) -> bool {
    size.width >= 70
}

/// Splits the terminal into regions; the reader renders text at `text.width`.
pub fn layout(size: Rect, show_toc: bool) -> Areas {
    let [title, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(size);
    let (toc, main) = if show_toc {
        let toc_width = (size.width / 3).clamp(24, 38);
        let [toc, main] =
            Layout::horizontal([Constraint::Length(toc_width), Constraint::Min(1)]).areas(body);
        (Some(toc), main)
    } else {
        (None, body)
    };
    // One column of margin on the left, the scrollbar on the right.
    let text = Rect {
        x: main.x + 1,
        y: main.y,
        width: main.width.saturating_sub(3).max(1),
        height: main.height,
    };
    let scrollbar = Rect {
        x: (main.x + main.width).saturating_sub(1),
        y: main.y,
        width: 1,
        height: main.height,
    };
    Areas {
        title,
        toc,
        text,
        scrollbar,
        status,
    }
}

/// The lines a page of text has at this size (at least one).
pub fn page_height(size: Rect) -> usize {
    usize::from(layout(size, shows_toc(size)).text.height.max(1))
}

/// Everything between the title and the status row.
pub fn body(size: Rect) -> Rect {
    Rect {
        y: size.y + 1,
        height: size.height.saturating_sub(2),
        ..size
    }
}

/// The body less a column at each side, for the screens of running text
/// (the quiz, the review).
pub fn text_body(size: Rect) -> Rect {
    let body = body(size);
    Rect {
        x: body.x + 1,
        width: body.width.saturating_sub(2),
        ..body
    }
}

/// The labs screen's left list and right details, inside the body.
pub fn list_and_detail(body: Rect) -> (Rect, Rect) {
    let list_width = (body.width * 2 / 5).clamp(30, 48).min(body.width);
    let [list, detail] =
        Layout::horizontal([Constraint::Length(list_width), Constraint::Min(1)]).areas(body);
    (list, detail)
}
