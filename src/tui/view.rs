//! Drawing the reader: views take `&App` and only read it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Clear, List, ListItem, ListState, Paragraph, Scrollbar, ScrollbarOrientation,
    ScrollbarState,
};

use super::app::{App, Focus, View};
use super::{keys, labs_view};
use crate::markdown::{truncate, width_of};

/// The screen's regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub title: Rect,
    pub toc: Option<Rect>,
    pub text: Rect,
    pub scrollbar: Rect,
    pub status: Rect,
}

/// Splits the terminal into regions; the app renders text at `text.width`.
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

pub fn draw(frame: &mut Frame, app: &App) {
    let areas = layout(frame.area(), app.show_toc());
    draw_title(frame, app, areas.title);
    if app.view == View::Labs {
        let body = Rect {
            y: areas.title.y + 1,
            height: frame.area().height.saturating_sub(2),
            ..frame.area()
        };
        labs_view::draw(frame, app, body);
        draw_status(frame, app, areas.status);
        if app.show_help {
            draw_help(frame, frame.area());
        }
        return;
    }
    if let Some(toc) = areas.toc {
        draw_toc(frame, app, toc);
    }
    draw_text(frame, app, areas.text);
    let mut sb = ScrollbarState::new(app.doc.lines.len().saturating_sub(app.page_height()))
        .position(app.scroll);
    frame.render_stateful_widget(
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None),
        areas.scrollbar,
        &mut sb,
    );
    draw_status(frame, app, areas.status);
    if app.show_links {
        draw_links(frame, app, areas.text);
    }
    if app.show_help {
        draw_help(frame, frame.area());
    }
}

/// The numbered links on screen, over the bottom of the text.
fn draw_links(frame: &mut Frame, app: &App, text: Rect) {
    let links = app.visible_links();
    let lines: Vec<Line> = links
        .iter()
        .enumerate()
        .map(|(i, l)| {
            Line::from(vec![
                Span::styled(
                    format!(" {} ", i + 1),
                    Style::new().fg(Color::Black).bg(Color::Cyan),
                ),
                Span::raw(format!(" {} ", l.text)),
                Span::styled(l.target.clone(), Style::new().fg(Color::DarkGray)),
            ])
        })
        .collect();
    let h = (lines.len() as u16 + 2).min(text.height);
    let area = Rect {
        y: text.y + text.height - h,
        height: h,
        ..text
    };
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(" Links on screen — press a digit, any other key closes ")
                .border_style(Style::new().fg(Color::Cyan)),
        ),
        area,
    );
}

fn draw_title(frame: &mut Frame, app: &App, area: Rect) {
    let chapter = app
        .course
        .chapters
        .get(app.chapter)
        .map(|c| c.title.as_str())
        .unwrap_or("");
    let total = app.doc.lines.len().max(1);
    let shown = (app.scroll + app.page_height()).min(total);
    let pct = format!(" {:>3}% ", shown * 100 / total);
    let (left, pct) = match app.view {
        View::Reader => (format!(" {} › {} ", app.course.title, chapter), pct),
        View::Labs => {
            let account = app
                .labs
                .account
                .as_deref()
                .map(|a| format!("account {a}"))
                .unwrap_or_else(|| "no account checked yet".to_string());
            (
                format!(" {} › Labs ", app.course.title),
                format!(" {account} "),
            )
        }
    };
    let pad = usize::from(area.width).saturating_sub(width_of(&left) + width_of(&pct));
    let style = Style::new().fg(Color::Black).bg(Color::Cyan);
    let line = Line::from(vec![
        Span::styled(left, style.add_modifier(Modifier::BOLD)),
        Span::styled(" ".repeat(pad), style),
        Span::styled(pct, style),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

fn draw_toc(frame: &mut Frame, app: &App, area: Rect) {
    let current = app.current_section();
    let focused = app.focus == Focus::Toc;
    let items: Vec<ListItem> = app
        .doc
        .toc
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let indent = "  ".repeat(usize::from(entry.level.saturating_sub(2)));
            let marker = if Some(i) == current { "▶ " } else { "  " };
            let mut style = match entry.level {
                1 | 2 => Style::new().add_modifier(Modifier::BOLD),
                _ => Style::new(),
            };
            if Some(i) == current {
                style = style.fg(Color::Yellow).add_modifier(Modifier::BOLD);
            }
            let full = format!("{marker}{indent}{}", entry.title);
            // One column for the border; an ellipsis shows a cut title.
            let room = usize::from(area.width).saturating_sub(1);
            let shown = if width_of(&full) > room {
                format!("{}…", truncate(&full, room.saturating_sub(1)))
            } else {
                full
            };
            ListItem::new(Line::from(Span::styled(shown, style)))
        })
        .collect();
    let border_style = if focused {
        Style::new().fg(Color::Cyan)
    } else {
        Style::new().fg(Color::DarkGray)
    };
    let list = List::new(items)
        .block(
            Block::new()
                .borders(Borders::RIGHT)
                .border_style(border_style)
                .title(Span::styled(" Contents ", border_style)),
        )
        .highlight_style(if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        });
    let selected = if focused {
        app.toc_selected
    } else {
        current.unwrap_or(0)
    };
    let mut state = ListState::default().with_selected(Some(selected));
    frame.render_stateful_widget(list, area, &mut state);
}

fn draw_text(frame: &mut Frame, app: &App, area: Rect) {
    let end = (app.scroll + usize::from(area.height)).min(app.doc.lines.len());
    let lines: Vec<Line> = (app.scroll..end)
        .map(|i| {
            let ranges: Vec<(std::ops::Range<usize>, bool)> = app
                .search
                .matches
                .iter()
                .enumerate()
                .filter(|(_, (l, _))| *l == i)
                .map(|(n, (_, r))| (r.clone(), Some(n) == app.search.current))
                .collect();
            if ranges.is_empty() {
                app.doc.lines[i].clone()
            } else {
                highlight(&app.doc.lines[i], &ranges)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// Restyles the byte ranges of a line's plain text as search matches.
fn highlight(line: &Line<'static>, ranges: &[(std::ops::Range<usize>, bool)]) -> Line<'static> {
    let mut out: Vec<Span<'static>> = Vec::new();
    let mut offset = 0;
    for span in &line.spans {
        let text = span.content.as_ref();
        let mut piece_start = 0;
        let mut cuts: Vec<usize> = ranges
            .iter()
            .flat_map(|(r, _)| [r.start, r.end])
            .filter(|&b| b > offset && b < offset + text.len())
            .map(|b| b - offset)
            .filter(|&b| text.is_char_boundary(b))
            .collect();
        cuts.sort_unstable();
        cuts.push(text.len());
        for cut in cuts {
            if cut <= piece_start {
                continue;
            }
            let abs = offset + piece_start;
            let hit = ranges.iter().find(|(r, _)| r.contains(&abs));
            let style = match hit {
                Some((_, true)) => span.style.fg(Color::Black).bg(Color::LightYellow),
                Some((_, false)) => span.style.fg(Color::Black).bg(Color::Yellow),
                None => span.style,
            };
            out.push(Span::styled(text[piece_start..cut].to_string(), style));
            piece_start = cut;
        }
        offset += text.len();
    }
    Line::from(out)
}

fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let line = if let Some(input) = &app.search.input {
        Line::from(vec![
            Span::styled("/", Style::new().fg(Color::Yellow)),
            Span::raw(input.clone()),
            Span::styled("█", Style::new().fg(Color::Gray)),
        ])
    } else if let Some(status) = &app.status {
        Line::from(Span::styled(status.clone(), Style::new().fg(Color::Yellow)))
    } else {
        let hint = Style::new().fg(Color::DarkGray);
        let key = Style::new().fg(Color::Cyan);
        let mut spans = Vec::new();
        let hints: &[(&str, &str)] = match app.view {
            View::Reader => &[
                ("j/k", "scroll"),
                ("Tab", "contents"),
                ("/", "search"),
                ("[", "back"),
                ("l", "labs"),
                ("?", "help"),
                ("q", "quit"),
            ],
            View::Labs => &[
                ("j/k", "select"),
                ("c", "check"),
                ("C", "check all"),
                ("h", "hint"),
                ("m", "mark"),
                ("Enter", "chapter"),
                ("l", "chapter"),
                ("q", "quit"),
            ],
        };
        if let Some(r) = &app.labs.running {
            spans.push(Span::styled(
                format!(" checking {}/{} ", r.done, r.total),
                Style::new().fg(Color::Cyan),
            ));
        }
        for &(k, what) in hints {
            spans.push(Span::styled(format!(" {k} "), key));
            spans.push(Span::styled(format!("{what} "), hint));
        }
        Line::from(spans)
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn draw_help(frame: &mut Frame, screen: Rect) {
    let rows = keys::help_rows();
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
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(" Keys — any key closes ")
                .border_style(Style::new().fg(Color::Cyan)),
        ),
        area,
    );
}
