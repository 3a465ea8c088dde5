//! Drawing a frame: the title row and the status row (the status, an open
//! prompt, or the hint bar of the screen showing), the screen's own draw in
//! between, and the help overlay over everything. Takes `&App` and only
//! reads it; the screens draw their bodies themselves.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::App;
use super::keys;
use super::layout;
use super::screens::{self, Hint, class, labs, quiz, reader, review};
use super::shared::View;
use crate::markdown::width_of;

pub fn draw(frame: &mut Frame, app: &App) {
    let areas = layout::layout(frame.area(), layout::shows_toc(app.shared.size));
    let cx = &app.shared;
    let (title, hints): ((String, String), Vec<(String, &str)>) = match cx.view {
        View::Reader => {
            app.reader.draw(frame, cx);
            (app.reader.title(cx), named(reader::HINTS))
        }
        View::Labs => {
            app.labs.draw(frame, cx);
            (app.labs.title(cx), named(labs::HINTS))
        }
        View::Quiz => {
            app.quiz.draw(frame, cx);
            (app.quiz.title(cx), named(quiz::HINTS))
        }
        View::Review => {
            app.review.draw(frame, cx);
            (app.review.title(cx), named(review::HINTS))
        }
        View::Class => match &app.class {
            Some(c) => {
                c.draw(frame, cx);
                (c.title(cx), class::hints())
            }
            None => ((String::new(), String::new()), Vec::new()),
        },
    };
    draw_title(frame, title, areas.title);
    draw_status(frame, app, &hints, areas.status);
    if app.show_help {
        draw_help(frame, frame.area(), app.class.is_some());
    }
}

/// A hint bar's entries with their keys named.
fn named(hints: &[Hint]) -> Vec<(String, &'static str)> {
    hints
        .iter()
        .map(|&(actions, what)| (screens::hint_keys(actions), what))
        .collect()
}

fn draw_title(frame: &mut Frame, (left, right): (String, String), area: Rect) {
    let pad = usize::from(area.width).saturating_sub(width_of(&left) + width_of(&right));
    let style = Style::new().fg(Color::Black).bg(Color::Cyan);
    let line = Line::from(vec![
        Span::styled(left, style.add_modifier(Modifier::BOLD)),
        Span::styled(" ".repeat(pad), style),
        Span::styled(right, style),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

fn draw_status(frame: &mut Frame, app: &App, hints: &[(String, &str)], area: Rect) {
    let class_prompt = app.class.as_ref().and_then(|c| c.prompt());
    let line = if let Some(prompt) = app.reader.prompt() {
        prompt
    } else if let Some(prompt) = class_prompt {
        prompt
    } else if let Some(status) = &app.shared.status {
        Line::from(Span::styled(status.clone(), Style::new().fg(Color::Yellow)))
    } else {
        let hint = Style::new().fg(Color::DarkGray);
        let key = Style::new().fg(Color::Cyan);
        let mut spans = Vec::new();
        // A run goes on whichever screen shows.
        let class_badge = app.class.as_ref().and_then(|c| c.badge());
        for badge in app.labs.badge().into_iter().chain(class_badge) {
            spans.push(Span::styled(badge, Style::new().fg(Color::Cyan)));
        }
        for (keys, what) in hints {
            spans.push(Span::styled(format!(" {keys} "), key));
            spans.push(Span::styled(format!("{what} "), hint));
        }
        Line::from(spans)
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn draw_help(frame: &mut Frame, screen: Rect, class: bool) {
    let mut rows = keys::help_rows();
    if class {
        rows.extend(keys::class_help_rows());
    }
    let key_w = rows.iter().map(|(k, _)| width_of(k)).max().unwrap_or(0);
    let lines: Vec<Line> = rows
        .iter()
        .map(|(k, d)| {
            Line::from(vec![
                Span::styled(
                    format!(" {k:<key_w$}  "),
                    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
                ),
                Span::raw(*d),
            ])
        })
        .collect();
    let w = (lines.iter().map(Line::width).max().unwrap_or(20) + 3).min(usize::from(screen.width))
        as u16;
    let h = (lines.len() + 2).min(usize::from(screen.height)) as u16;
    let area = Rect {
        x: screen.x + (screen.width - w) / 2,
        y: screen.y + (screen.height - h) / 2,
        width: w,
        height: h,
    };
    screens::draw_overlay(frame, area, " Keys — any key closes ", lines);
}
