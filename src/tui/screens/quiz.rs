//! The quiz room: practice mode (feedback and the explanation after each
//! answer; the questions missed last time come first, by their Leitner
//! boxes) and exam mode (the whole bank, feedback only at the end, with an
//! optional time limit), options shuffled per session, a score per chapter
//! section at the end, and a list of the questions missed where Enter opens
//! the section that teaches each one.
//!
//! Option letters are typed directly (`a`…`f`), so this room reads those
//! keys before the key map ([`QuizScreen::on_key`]); everything else goes
//! through the map. A practice session moves the Leitner boxes; an exam
//! also becomes the chapter's latest quiz score (what the review reports).
//! Both ask the loop to save progress.

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::time::Duration;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Goto, Hint, Reply};
use crate::quiz::{self, AnswerEntry, AnswerSheet, ExamClock, Kind, Outcome, Quiz, Score, Shown};
use crate::strings;
use crate::tui::keys::{Action, key_name};
use crate::tui::layout;
use crate::tui::msg::Effect;
use crate::tui::shared::Shared;

/// Questions in a practice session.
pub const PRACTICE_LENGTH: usize = 10;
/// The time a timed exam allows per question.
pub const SECONDS_PER_QUESTION: u64 = 60;

pub const HINTS: &[Hint] = &[
    (&[Action::Open], "answer / next / open"),
    (&[Action::Down, Action::Up], "select"),
    (&[Action::Back], "back"),
    (&[Action::Quit], "quit"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Practice,
    Exam,
}

impl Mode {
    fn word(self) -> &'static str {
        match self {
            Mode::Practice => "practice",
            Mode::Exam => "exam",
        }
    }
}

/// A session under way.
#[derive(Debug, Clone)]
pub struct Session {
    pub mode: Mode,
    /// Indexes into the quiz's questions, in the order asked.
    pub order: Vec<usize>,
    /// The question being asked (index into `order`).
    pub at: usize,
    /// The current question's options as displayed.
    pub shown: Vec<Shown>,
    /// Option ids chosen for the current question.
    pub chosen: BTreeSet<String>,
    /// Question id and the option ids given, in the order answered.
    pub answers: Vec<(String, Vec<String>)>,
    /// Practice: the verdict on the current question once answered.
    pub feedback: Option<Outcome>,
    /// Exam: when it started and its limit.
    pub clock: Option<ExamClock>,
    seed: u64,
}

#[derive(Debug, Clone)]
pub enum Phase {
    /// Choosing a mode.
    Menu,
    Asking(Session),
    /// A finished session: its score and the missed question selected.
    Results {
        mode: Mode,
        score: Score,
        selected: usize,
    },
}

pub struct QuizScreen {
    /// The chapter's quiz; `None` when the course has none.
    pub quiz: Option<Quiz>,
    pub phase: Phase,
}

/// A number from the time stamp: a new option order every session, the
/// same one for tests that fix the clock.
fn seed_of(now: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    now.hash(&mut h);
    h.finish()
}

fn seconds(now: &str) -> i64 {
    crate::clock::parse_rfc3339(now).unwrap_or(0)
}

impl QuizScreen {
    pub fn new(quiz: Option<Quiz>) -> QuizScreen {
        QuizScreen {
            quiz,
            phase: Phase::Menu,
        }
    }

    pub fn session(&self) -> Option<&Session> {
        match &self.phase {
            Phase::Asking(s) => Some(s),
            _ => None,
        }
    }

    /// Starts a session: practice asks the questions missed last time
    /// first; an exam asks every question, optionally against the clock.
    pub fn start(&mut self, mode: Mode, timed: bool, cx: &mut Shared) {
        let Some(quiz) = &self.quiz else {
            cx.say("The course has no quiz.");
            return;
        };
        let now = (cx.now)();
        let seed = seed_of(&now);
        let boxes = match mode {
            Mode::Practice => cx.progress.leitner(&quiz.chapter),
            Mode::Exam => quiz::Leitner::default(),
        };
        let mut order: Vec<usize> = quiz::practice_order(quiz, &boxes, seed)
            .into_iter()
            .filter_map(|q| quiz.questions.iter().position(|x| x.id == q.id))
            .collect();
        if mode == Mode::Practice {
            order.truncate(PRACTICE_LENGTH);
        }
        let clock = (mode == Mode::Exam).then(|| {
            let limit =
                timed.then(|| Duration::from_secs(SECONDS_PER_QUESTION * order.len() as u64));
            ExamClock::new(seconds(&now), limit)
        });
        let mut s = Session {
            mode,
            order,
            at: 0,
            shown: Vec::new(),
            chosen: BTreeSet::new(),
            answers: Vec::new(),
            feedback: None,
            clock,
            seed,
        };
        s.shown = quiz::shuffle(&quiz.questions[s.order[0]], seed);
        self.phase = Phase::Asking(s);
        cx.status = None;
    }

    /// Keys this room reads before the key map: option letters while a
    /// question is asked, and the mode letters on the menu and results.
    pub fn on_key(&mut self, key: KeyEvent, cx: &mut Shared) -> Option<Reply> {
        let KeyCode::Char(c) = key.code else {
            return None;
        };
        // Capitals keep their key-map meaning (`Q`, `R`, `C`, `G`).
        if !c.is_ascii_lowercase()
            || key.modifiers.contains(KeyModifiers::CONTROL)
            || key.modifiers.contains(KeyModifiers::ALT)
        {
            return None;
        }
        if matches!(self.phase, Phase::Menu | Phase::Results { .. }) {
            match c {
                'p' => self.start(Mode::Practice, false, cx),
                'e' => self.start(Mode::Exam, false, cx),
                't' => self.start(Mode::Exam, true, cx),
                _ => return None,
            }
            return Some(Reply::Done);
        }
        let (Some(quiz), Phase::Asking(s)) = (&self.quiz, &mut self.phase) else {
            return None;
        };
        let option = quiz::option_for_letter(&s.shown, c)?.to_string();
        if s.feedback.is_some() {
            return Some(Reply::Done);
        }
        let q = &quiz.questions[s.order[s.at]];
        if q.kind == Kind::Multiple {
            if !s.chosen.remove(&option) {
                s.chosen.insert(option);
            }
        } else {
            s.chosen = BTreeSet::from([option]);
        }
        Some(Reply::Done)
    }

    pub fn update(&mut self, action: Action, cx: &mut Shared) -> Reply {
        match action {
            Action::Open => self.enter(cx),
            Action::Down | Action::Up => {
                if let Phase::Results {
                    score, selected, ..
                } = &mut self.phase
                {
                    let n = score.missed().count();
                    if n > 0 {
                        *selected = if action == Action::Down {
                            (*selected + 1).min(n - 1)
                        } else {
                            selected.saturating_sub(1)
                        };
                    }
                }
                Reply::Done
            }
            _ => Reply::Unhandled,
        }
    }

    fn enter(&mut self, cx: &mut Shared) -> Reply {
        enum Then {
            Start,
            Open(String),
            Next,
            Finish,
            Done,
        }
        let now = seconds(&(cx.now)());
        let then = match (&self.quiz, &mut self.phase) {
            (None, _) => Then::Done,
            (Some(_), Phase::Menu) => Then::Start,
            (
                Some(_),
                Phase::Results {
                    score, selected, ..
                },
            ) => score
                .missed()
                .nth(*selected)
                .map_or(Then::Done, |r| Then::Open(r.section.clone())),
            (Some(quiz), Phase::Asking(s)) => {
                if s.clock.is_some_and(|c| c.is_over(now)) {
                    cx.say("Time is up: the exam is scored as it stands.");
                    Then::Finish
                } else if s.feedback.is_some() {
                    Then::Next
                } else if s.chosen.is_empty() {
                    cx.say("Choose an option first: type its letter.");
                    Then::Done
                } else {
                    let q = &quiz.questions[s.order[s.at]];
                    let chosen: Vec<String> = s.chosen.iter().cloned().collect();
                    s.answers.push((q.id.clone(), chosen.clone()));
                    match s.mode {
                        Mode::Practice => {
                            s.feedback = Some(quiz::judge(q, &chosen));
                            Then::Done
                        }
                        Mode::Exam => Then::Next,
                    }
                }
            }
        };
        match then {
            Then::Start => {
                self.start(Mode::Practice, false, cx);
                Reply::Done
            }
            Then::Open(anchor) => Reply::Goto(Goto::Section(anchor)),
            Then::Next => self.next(cx),
            Then::Finish => self.finish(cx),
            Then::Done => Reply::Done,
        }
    }

    /// The next question, or the results after the last one.
    fn next(&mut self, cx: &mut Shared) -> Reply {
        let (Some(quiz), Phase::Asking(s)) = (&self.quiz, &mut self.phase) else {
            return Reply::Done;
        };
        if s.at + 1 >= s.order.len() {
            return self.finish(cx);
        }
        s.at += 1;
        s.chosen.clear();
        s.feedback = None;
        s.shown = quiz::shuffle(&quiz.questions[s.order[s.at]], s.seed);
        Reply::Done
    }

    /// Scores the session, records it, and shows the results.
    fn finish(&mut self, cx: &mut Shared) -> Reply {
        let (Some(quiz), Phase::Asking(s)) = (&self.quiz, &self.phase) else {
            return Reply::Done;
        };
        let sheet = AnswerSheet {
            path: "the quiz screen".into(),
            chapter: Some(quiz.chapter.clone()),
            entries: s
                .answers
                .iter()
                .map(|(id, chosen)| AnswerEntry {
                    question: id.clone(),
                    chosen: chosen.clone(),
                    line: 1,
                    column: 1,
                })
                .collect(),
        };
        let mode = s.mode;
        let score = match mode {
            // A practice session is scored over the questions it asked, and
            // only moves the Leitner boxes: the latest score a review
            // reports is a whole bank's.
            Mode::Practice => {
                let mut asked = quiz.clone();
                let ids: Vec<&str> = s
                    .order
                    .iter()
                    .map(|i| quiz.questions[*i].id.as_str())
                    .collect();
                asked.questions.retain(|q| ids.contains(&q.id.as_str()));
                let score = quiz::score(&asked, &sheet);
                let mut boxes = cx.progress.leitner(&quiz.chapter);
                boxes.record_score(&score);
                cx.progress.set_leitner(&quiz.chapter, boxes);
                score
            }
            Mode::Exam => {
                let score = quiz::score(quiz, &sheet);
                cx.progress.record_quiz(&score, mode.word(), &(cx.now)());
                score
            }
        };
        self.phase = Phase::Results {
            mode,
            score,
            selected: 0,
        };
        Reply::Effect(Effect::SaveProgress)
    }

    pub fn title(&self, _cx: &Shared) -> (String, String) {
        super::app_title("Quiz", self.quiz.as_ref().map(|q| q.title.clone()))
    }

    pub fn draw(&self, frame: &mut Frame, cx: &Shared) {
        let area = layout::text_body(cx.size);
        let lines = match (&self.quiz, &self.phase) {
            (None, _) => vec![Line::from("The course has no quiz.")],
            (Some(q), Phase::Menu) => menu_lines(q, cx),
            (Some(q), Phase::Asking(s)) => asking_lines(q, s, cx),
            (
                Some(q),
                Phase::Results {
                    mode,
                    score,
                    selected,
                },
            ) => results_lines(q, *mode, score, *selected),
        };
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
    }
}

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

fn key_style() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

fn menu_lines(quiz: &Quiz, cx: &Shared) -> Vec<Line<'static>> {
    let boxes = cx.progress.leitner(&quiz.chapter);
    let missed = quiz
        .questions
        .iter()
        .filter(|q| boxes.cards.get(&q.id).is_some_and(|c| !c.last_right))
        .count();
    let mut lines = vec![
        Line::styled(quiz.title.clone(), bold()),
        Line::from(format!(
            "{} questions over {} sections of the chapter.",
            quiz.questions.len(),
            quiz.topics.len()
        )),
        Line::from(""),
    ];
    let entry = |k: &str, what: String| {
        Line::from(vec![
            Span::styled(format!("  {k}  "), key_style()),
            Span::raw(what),
        ])
    };
    lines.push(entry(
        "p",
        format!("practice: {PRACTICE_LENGTH} questions, feedback and explanation after each; missed ones come back first ({missed} missed last time)"),
    ));
    lines.push(entry(
        "e",
        format!(
            "exam: all {} questions, feedback at the end; becomes your latest score",
            quiz.questions.len()
        ),
    ));
    lines.push(entry(
        "t",
        format!(
            "timed exam: the same, {} minute(s) per question",
            SECONDS_PER_QUESTION / 60
        ),
    ));
    if let Some(last) = cx.progress.last_quiz(&quiz.chapter) {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!(
                "Latest score: {}% ({}/{}, {} on {})",
                last.percent, last.right, last.total, last.mode, last.at
            ),
            dim(),
        ));
    }
    lines
}

fn asking_lines(quiz: &Quiz, s: &Session, cx: &Shared) -> Vec<Line<'static>> {
    let q = &quiz.questions[s.order[s.at]];
    let topic = quiz
        .topic(&q.topic)
        .map(|t| t.title.clone())
        .unwrap_or_default();
    let mut head = vec![Span::styled(
        format!(
            "{} · question {} of {} · {topic}",
            s.mode.word(),
            s.at + 1,
            s.order.len()
        ),
        dim(),
    )];
    if let Some(left) = s.clock.and_then(|c| c.remaining(seconds(&(cx.now)()))) {
        let secs = left.as_secs();
        head.push(Span::styled(
            format!("   time left {}:{:02}", secs / 60, secs % 60),
            Style::new().fg(Color::Yellow),
        ));
    }
    let kind = match q.kind {
        Kind::Multiple => "choose every right option, then Enter",
        _ => "choose one, then Enter",
    };
    let mut lines = vec![
        Line::from(head),
        Line::from(""),
        Line::styled(q.prompt.trim().to_string(), bold()),
        Line::styled(format!("({kind})"), dim()),
        Line::from(""),
    ];
    let right: BTreeSet<&str> = q.answer.iter().map(String::as_str).collect();
    for o in &s.shown {
        let picked = s.chosen.contains(&o.option);
        let mark = match (q.kind, picked) {
            (Kind::Multiple, true) => "[x]",
            (Kind::Multiple, false) => "[ ]",
            (_, true) => "(•)",
            (_, false) => "( )",
        };
        let mut style = Style::new();
        if s.feedback.is_some() && right.contains(o.option.as_str()) {
            style = style.fg(Color::Green);
        } else if s.feedback.is_some() && picked {
            style = style.fg(Color::Red);
        }
        lines.push(Line::from(vec![
            Span::raw(format!("  {mark} ")),
            Span::styled(format!("{}) ", o.letter), key_style()),
            Span::styled(o.text.clone(), style),
        ]));
    }
    if let Some(outcome) = &s.feedback {
        let letters = |ids: &[String]| -> String {
            s.shown
                .iter()
                .filter(|o| ids.contains(&o.option))
                .map(|o| o.letter.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (mark, words, color) = match outcome {
            Outcome::Right => (strings::MARK_PASS, "Right.".to_string(), Color::Green),
            Outcome::Partial {
                missed,
                chosen_wrong,
                ..
            } => {
                let mut w = "Partially right, which counts as wrong".to_string();
                if !missed.is_empty() {
                    w.push_str(&format!("; also right: {}", letters(missed)));
                }
                if !chosen_wrong.is_empty() {
                    w.push_str(&format!("; not right: {}", letters(chosen_wrong)));
                }
                (strings::MARK_ADVICE, format!("{w}."), Color::Yellow)
            }
            _ => (
                strings::MARK_FAIL,
                format!("Wrong: the answer is {}.", letters(&q.answer)),
                Color::Red,
            ),
        };
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!("{mark} {words}"),
            Style::new().fg(color).add_modifier(Modifier::BOLD),
        ));
        lines.push(Line::from(q.explanation.trim().to_string()));
        lines.push(Line::styled(
            format!("Taught in #{}; Enter: next question.", q.section),
            dim(),
        ));
    }
    lines
}

fn results_lines(quiz: &Quiz, mode: Mode, score: &Score, selected: usize) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::styled(
            format!(
                "{} finished: {}/{} right ({}%), {} partially right",
                capital(mode.word()),
                score.right,
                score.total,
                score.percent,
                score.partial
            ),
            bold(),
        ),
        Line::from(""),
        Line::styled("By section", dim()),
    ];
    lines.extend(
        crate::report::quiz::section_rows(score)
            .into_iter()
            .map(Line::from),
    );
    let missed: Vec<_> = score.missed().collect();
    lines.push(Line::from(""));
    if missed.is_empty() {
        lines.push(Line::from("Every question right."));
    } else {
        lines.push(Line::styled(
            format!(
                "Missed ({}): {} opens the section that teaches it",
                missed.len(),
                key_name(Action::Open)
            ),
            dim(),
        ));
        for (i, r) in missed.iter().enumerate() {
            let prompt = quiz
                .question(&r.id)
                .map(|q| q.prompt.trim().to_string())
                .unwrap_or_default();
            let style = if i == selected {
                Style::new().add_modifier(Modifier::REVERSED)
            } else {
                Style::new()
            };
            let mark = match r.outcome {
                Outcome::Partial { .. } => strings::MARK_ADVICE,
                Outcome::Unanswered => strings::MARK_NEVER,
                _ => strings::MARK_FAIL,
            };
            lines.push(Line::styled(
                format!(
                    "  {mark} {} — #{}",
                    crate::markdown::truncate(&prompt, 60),
                    r.section
                ),
                style,
            ));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        "p practice again · e exam · t timed exam",
        dim(),
    ));
    lines
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
