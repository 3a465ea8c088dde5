//! Drawing the lab view: labs with progress bars and their steps on the
//! left, the selected step's instructions, hints, Terraform hint and last
//! result on the right. Reads `&App` only.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

use super::app::App;
use super::labs::{Row, Shown};
use crate::checks::Status;
use crate::labs::{Action as StepAction, Lab, Step};
use crate::markdown::{self, truncate, width_of};
use crate::strings;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The left list and the right details, inside the body area.
pub fn split(body: Rect) -> (Rect, Rect) {
    let list_width = (body.width * 2 / 5).clamp(30, 48).min(body.width);
    let [list, detail] =
        Layout::horizontal([Constraint::Length(list_width), Constraint::Min(1)]).areas(body);
    (list, detail)
}

/// The icon and style for a step's state.
fn icon(shown: Shown, advice: bool, tick: usize) -> (String, Style) {
    let s = Style::new();
    match shown {
        Shown::NotChecked => (strings::MARK_NEVER.into(), s.fg(Color::DarkGray)),
        Shown::Running => (SPINNER[tick % SPINNER.len()].into(), s.fg(Color::Cyan)),
        Shown::MarkedDone => ("☑".into(), s.fg(Color::Green)),
        Shown::Status(Status::Pass) => (strings::MARK_PASS.into(), s.fg(Color::Green)),
        Shown::Status(Status::Fail) if advice => (strings::MARK_ADVICE.into(), s.fg(Color::Yellow)),
        Shown::Status(Status::Fail) => (strings::MARK_FAIL.into(), s.fg(Color::Red)),
        Shown::Status(Status::Unknown) => (strings::MARK_UNKNOWN.into(), s.fg(Color::Yellow)),
        Shown::Status(Status::Manual) => (strings::MARK_MANUAL.into(), s.fg(Color::Blue)),
    }
}

fn bar(done: usize, total: usize, cells: usize) -> String {
    let filled = (done * cells).checked_div(total).unwrap_or(0);
    format!("{}{}", "█".repeat(filled), "░".repeat(cells - filled))
}

pub fn draw(frame: &mut Frame, app: &App, body: Rect) {
    let (list_area, detail_area) = split(body);
    draw_list(frame, app, list_area);
    draw_detail(frame, app, detail_area);
}

fn draw_list(frame: &mut Frame, app: &App, area: Rect) {
    let pane = &app.labs;
    let room = usize::from(area.width).saturating_sub(1);
    let items: Vec<ListItem> = pane
        .rows
        .iter()
        .map(|row| match *row {
            Row::Lab(i) => {
                let entry = &pane.labs.entries[i];
                match &entry.lab {
                    Some(lab) => {
                        let (done, total) = pane.lab_progress(lab);
                        let right = format!(" {} {done}/{total}", bar(done, total, 6));
                        let name_room = room.saturating_sub(width_of(&right));
                        let name = truncate(&lab.title, name_room);
                        let pad = name_room.saturating_sub(width_of(&name));
                        ListItem::new(Line::from(vec![
                            Span::styled(name, Style::new().add_modifier(Modifier::BOLD)),
                            Span::raw(" ".repeat(pad)),
                            Span::styled(right, Style::new().fg(Color::Green)),
                        ]))
                    }
                    None => ListItem::new(Line::from(Span::styled(
                        truncate(&format!("✘ {} (cannot load)", entry.id), room),
                        Style::new().fg(Color::Red),
                    ))),
                }
            }
            Row::Step(l, s) => {
                let Some(lab) = pane.lab(l) else {
                    return ListItem::new("");
                };
                let step = &lab.steps[s];
                let (mark, style) = icon(pane.shown(&lab.id, step), step.advice, pane.tick);
                let tag = if step.advice {
                    " (advice)"
                } else if matches!(step.action, StepAction::Manual) {
                    " (manual)"
                } else {
                    ""
                };
                let text = format!("{}{tag}", step.id);
                ListItem::new(Line::from(vec![
                    Span::raw("  "),
                    Span::styled(format!("{mark} "), style),
                    Span::raw(truncate(&text, room.saturating_sub(4))),
                ]))
            }
        })
        .collect();
    let list = List::new(items)
        .block(
            Block::new()
                .borders(Borders::RIGHT)
                .border_style(Style::new().fg(Color::Cyan))
                .title(Span::styled(" Labs ", Style::new().fg(Color::Cyan))),
        )
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED));
    let mut state = ListState::default().with_selected(Some(pane.selected));
    frame.render_stateful_widget(list, area, &mut state);
}

/// The detail pane's lines for a step, wrapped to `width`.
pub fn step_lines(app: &App, lab: &Lab, step: &Step, width: u16) -> Vec<Line<'static>> {
    let pane = &app.labs;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let heading = Style::new()
        .fg(Color::LightCyan)
        .add_modifier(Modifier::BOLD);
    let dim = Style::new().fg(Color::DarkGray);
    let (mark, style) = icon(pane.shown(&lab.id, step), step.advice, pane.tick);
    lines.push(Line::from(vec![
        Span::styled(format!("{mark} "), style),
        Span::styled(step.title.clone(), heading),
    ]));
    let kind = match &step.action {
        StepAction::Manual => "manual: mark it done with m".to_string(),
        StepAction::Check { check, .. } if step.advice => {
            format!("advice · checked by {}", check.meta.kind)
        }
        StepAction::Check { check, .. } => format!("checked by {}", check.meta.kind),
    };
    lines.push(Line::from(Span::styled(
        format!("{}/{} · {kind}", lab.id, step.id),
        dim,
    )));
    lines.push(Line::default());
    lines.extend(markdown::render(&step.instructions, width).lines);

    // Hints, revealed one at a time.
    let key = crate::progress::key(&lab.id, &step.id);
    let shown = pane.hints_shown.get(&key).copied().unwrap_or(0);
    if !step.hints.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            format!(
                "Hints ({shown} of {}{})",
                step.hints.len(),
                if shown < step.hints.len() {
                    "; h shows the next"
                } else {
                    ""
                }
            ),
            heading,
        )));
        for (i, hint) in step.hints.iter().take(shown).enumerate() {
            let md = format!("{}. {hint}", i + 1);
            lines.extend(markdown::render(&md, width).lines);
        }
    }
    if !step.terraform.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled("Terraform: ", heading),
            Span::styled(
                step.terraform.join(", "),
                Style::new().fg(Color::LightYellow),
            ),
        ]));
    }
    lines.push(Line::from(vec![
        Span::styled("Chapter: ", heading),
        Span::raw(format!("#{} (Enter opens it)", step.section)),
    ]));

    lines.push(Line::default());
    match pane.last_result(&lab.id, &step.id) {
        Some((outcome, when)) => {
            let when = when.map(|w| format!(" (checked {w})")).unwrap_or_default();
            lines.push(Line::from(Span::styled(
                format!("Last result{when}"),
                heading,
            )));
            let (mark, style) = icon(Shown::Status(outcome.status), step.advice, 0);
            let md = format!("{mark} {}", outcome.message);
            for (i, l) in markdown::render(&md, width).lines.into_iter().enumerate() {
                if i == 0 {
                    lines.push(l.patch_style(style));
                } else {
                    lines.push(l);
                }
            }
            for e in &outcome.evidence {
                let text = format!("{}: {}", e.key, e.value);
                for l in markdown::render(&format!("- `{}`", text.replace('`', "'")), width).lines {
                    lines.push(l);
                }
            }
        }
        None => lines.push(Line::from(Span::styled(
            if pane.source.is_ok() {
                "Not checked yet: press c to check this step."
            } else {
                strings::NO_FACTS_SOURCE
            },
            dim,
        ))),
    }
    lines
}

fn draw_detail(frame: &mut Frame, app: &App, area: Rect) {
    let inner = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2).max(1),
        ..area
    };
    let lines: Vec<Line> = match (app.labs.selection(), app.labs.selected_step()) {
        (_, Some((lab, step))) => step_lines(app, lab, step, inner.width),
        (Some((l, None)), None) => match &app.labs.labs.entries[l].lab {
            Some(lab) => {
                let (done, total) = app.labs.lab_progress(lab);
                let mut v = vec![
                    Line::from(Span::styled(
                        lab.title.clone(),
                        Style::new()
                            .fg(Color::LightCyan)
                            .add_modifier(Modifier::BOLD),
                    )),
                    Line::from(format!("{done} of {total} steps done")),
                    Line::default(),
                ];
                v.extend(markdown::render(&lab.summary, inner.width).lines);
                v.push(Line::default());
                v.push(Line::from(Span::styled(
                    "c checks the whole lab · Enter opens its chapter section",
                    Style::new().fg(Color::DarkGray),
                )));
                v
            }
            None => {
                let entry = &app.labs.labs.entries[l];
                let mut v = vec![Line::from(Span::styled(
                    format!("{} could not be loaded:", entry.path),
                    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
                ))];
                for p in &entry.problems {
                    v.extend(
                        markdown::render(
                            &format!("- {}", p.to_string().replace('`', "'")),
                            inner.width,
                        )
                        .lines,
                    );
                }
                v
            }
        },
        _ => vec![Line::from("No labs in this course.")],
    };
    let skip = app.detail_scroll.min(lines.len().saturating_sub(1));
    frame.render_widget(
        Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()),
        inner,
    );
}
