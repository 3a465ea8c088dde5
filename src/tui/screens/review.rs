//! The review room: the readiness report ([`crate::readiness::Review`]) on
//! its own screen: the verdict and why, then every gap by chapter section.
//! Enter on a gap opens the lab step to redo (on the labs screen) or, when
//! no step fixes it, the chapter section that teaches it.
//!
//! The facts come from the loop (the same source the labs use, read on a
//! background thread after [`Effect::LoadReview`]); this room builds the
//! review from them, the progress marks and the latest quiz score.

use ratatui::Frame;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Goto, Hint, Reply};
use crate::facts::Facts;
use crate::labs::Labs;
use crate::readiness::{self, Inputs, Review};
use crate::report::review as words;
use crate::tui::keys::Action;
use crate::tui::layout;
use crate::tui::msg::Effect;
use crate::tui::shared::Shared;

pub const HINTS: &[Hint] = &[
    (&[Action::Down, Action::Up], "select a gap"),
    (&[Action::Open], "open the step or section"),
    (&[Action::Check], "review again"),
    (&[Action::Back], "back"),
    (&[Action::Quit], "quit"),
];

pub struct ReviewScreen {
    pub labs: Labs,
    pub review: Option<Review>,
    /// "Reading the account …", or why there is no review.
    pub note: Option<String>,
    /// The selected gap (index into `Review::gaps`).
    pub selected: usize,
}

impl ReviewScreen {
    pub fn new(labs: Labs) -> ReviewScreen {
        ReviewScreen {
            labs,
            review: None,
            note: None,
            selected: 0,
        }
    }

    /// Asks the loop for the facts to review.
    pub fn request(&mut self) -> Effect {
        self.note = Some("Reading the account for the review …".to_string());
        Effect::LoadReview
    }

    /// Builds the review from the facts the loop read.
    pub fn on_facts(&mut self, facts: Result<Box<Facts>, String>, source: &str, cx: &mut Shared) {
        let facts = match facts {
            Ok(f) => f,
            Err(e) => {
                self.note = Some(format!("No review: {e}"));
                return;
            }
        };
        let quizzes = crate::quiz::Quizzes::load(&cx.course);
        let Some(chapter) = readiness::chapter_to_review(&cx.course, &quizzes, &self.labs) else {
            self.note =
                Some("The course has no chapter with a quiz or lab steps to review.".into());
            return;
        };
        let account = facts.account_id.clone();
        let progress = &cx.progress;
        let marked = |lab: &str, step: &str| {
            progress
                .get(&account, lab, step)
                .is_some_and(|r| r.marked_done_at.is_some())
        };
        let steps = readiness::steps_from_facts(&self.labs, &facts, &marked);
        let findings = crate::audit::audit(&facts);
        let quiz = progress.last_quiz(&chapter.id).map(|r| r.summary());
        let time = (cx.now)();
        self.review = Some(readiness::review(&Inputs {
            chapter,
            labs: &self.labs,
            steps: &steps,
            findings: &findings,
            quiz: quiz.as_ref(),
            account: &account,
            source,
            time: &time,
        }));
        self.note = None;
        self.selected = 0;
    }

    pub fn update(&mut self, action: Action, _cx: &mut Shared) -> Reply {
        let n = self.review.as_ref().map_or(0, |r| r.gaps().len());
        match action {
            Action::Down => {
                self.selected = (self.selected + 1).min(n.saturating_sub(1));
                Reply::Done
            }
            Action::Up => {
                self.selected = self.selected.saturating_sub(1);
                Reply::Done
            }
            Action::Top => {
                self.selected = 0;
                Reply::Done
            }
            Action::Bottom => {
                self.selected = n.saturating_sub(1);
                Reply::Done
            }
            Action::Check => Reply::Effect(self.request()),
            Action::Open => {
                let Some(review) = &self.review else {
                    return Reply::Done;
                };
                let gaps = review.gaps();
                let Some((_, gap)) = gaps.get(self.selected) else {
                    return Reply::Done;
                };
                if let Some(step) = gap.redo.first() {
                    Reply::Goto(Goto::Step {
                        lab: step.lab.clone(),
                        step: step.step.clone(),
                    })
                } else if let Some(place) = gap.read.first() {
                    Reply::Goto(Goto::Section(place.anchor.clone()))
                } else {
                    Reply::Done
                }
            }
            _ => Reply::Unhandled,
        }
    }

    pub fn title(&self, _cx: &Shared) -> (String, String) {
        super::app_title(
            "Review",
            self.review
                .as_ref()
                .map(|r| format!("account {}", r.account)),
        )
    }

    pub fn draw(&self, frame: &mut Frame, cx: &Shared) {
        let area = layout::text_body(cx.size);
        let Some(review) = &self.review else {
            let note = self
                .note
                .clone()
                .unwrap_or_else(|| "No review yet.".to_string());
            frame.render_widget(Paragraph::new(note), area);
            return;
        };
        let dim = Style::new().fg(Color::DarkGray);
        let verdict_style = if review.ready {
            Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
        };
        let mut lines = vec![Line::styled(
            format!("{}.", words::verdict(review)),
            verdict_style,
        )];
        for r in &review.reasons {
            lines.push(Line::from(format!("  - {r}")));
        }
        for (label, value) in words::totals(review) {
            lines.push(Line::styled(format!("  {label:<14} {value}"), dim));
        }
        lines.push(Line::from(""));
        // The selected gap's line, to keep it on screen.
        let mut selected_line = 0;
        let mut current = None;
        for (i, (section, gap)) in review.gaps().into_iter().enumerate() {
            if current != Some(section.anchor.as_str()) {
                current = Some(section.anchor.as_str());
                lines.push(Line::styled(
                    format!("{} ({})", section.title, words::state_word(section.state)),
                    Style::new().add_modifier(Modifier::BOLD),
                ));
            }
            let style = if i == self.selected {
                selected_line = lines.len();
                Style::new().add_modifier(Modifier::REVERSED)
            } else {
                Style::new()
            };
            lines.push(Line::from(vec![
                Span::raw(format!("  {} ", words::gap_marker(gap))),
                Span::styled(gap.what.clone(), style),
            ]));
            if i == self.selected {
                let read: Vec<String> = gap.read.iter().map(|p| format!("#{}", p.anchor)).collect();
                let redo: Vec<String> = gap.redo.iter().map(|r| r.id()).collect();
                let mut how = format!("      read {}", read.join(", "));
                if !redo.is_empty() {
                    how.push_str(&format!(" · redo {}", redo.join(", ")));
                }
                lines.push(Line::styled(how, Style::new().fg(Color::Cyan)));
            }
        }
        if review.gaps().is_empty() {
            lines.push(Line::from("No gaps: every section is strong."));
        }
        // Wrapped lines are counted roughly: enough to keep the selection visible.
        let height = usize::from(area.height);
        let scroll = selected_line.saturating_sub(height.saturating_sub(4).max(1) / 2);
        let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((scroll, 0)),
            area,
        );
    }
}
