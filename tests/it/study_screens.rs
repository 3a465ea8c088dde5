//! The quiz and review screens, drawn into a `TestBackend` and driven as
//! the event loop drives them: practice with feedback after each answer,
//! missed questions first next time, an exam scored at the end (timed or
//! not) with Enter on a missed question opening its section, and the
//! review of the halfway learner with Enter on a gap opening the step.

use labbook::quiz::Kind;
use labbook::tui::app::App;
use labbook::tui::keys::Action;
use labbook::tui::msg::{Effect, Msg};
use labbook::tui::screens::quiz::{Mode, Phase};
use labbook::tui::shared::View;
use ratatui::crossterm::event::KeyCode;

use crate::screens::{app, key, screen, snapshot_path};

/// The letter shown for a right option (`right`) or a wrong one.
fn letter(a: &App, right: bool) -> char {
    let s = a.quiz.session().expect("asking");
    let quiz = a.quiz.quiz.as_ref().expect("quiz");
    let q = &quiz.questions[s.order[s.at]];
    s.shown
        .iter()
        .find(|o| q.answer.contains(&o.option) == right)
        .map(|o| o.letter)
        .expect("an option")
}

/// Answers the current question (every right option, or one wrong one).
fn answer(a: &mut App, right: bool) -> Vec<Effect> {
    let s = a.quiz.session().expect("asking");
    let quiz = a.quiz.quiz.as_ref().expect("quiz");
    let q = &quiz.questions[s.order[s.at]];
    let letters: Vec<char> = if right && q.kind == Kind::Multiple {
        s.shown
            .iter()
            .filter(|o| q.answer.contains(&o.option))
            .map(|o| o.letter)
            .collect()
    } else {
        vec![letter(a, right)]
    };
    for c in letters {
        key(a, KeyCode::Char(c));
    }
    key(a, KeyCode::Enter)
}

fn current_question(a: &App) -> String {
    let s = a.quiz.session().expect("asking");
    a.quiz.quiz.as_ref().expect("quiz").questions[s.order[s.at]]
        .id
        .clone()
}

#[test]
fn practice_shows_feedback_and_the_explanation_after_an_answer_100x30() {
    let mut a = app(100, 30);
    a.update(Action::Quiz);
    assert_eq!(a.view(), View::Quiz);
    insta::assert_snapshot!("quiz_menu_100x30", screen(&a));
    key(&mut a, KeyCode::Char('p'));
    let wrong = letter(&a, false);
    key(&mut a, KeyCode::Char(wrong));
    key(&mut a, KeyCode::Enter);
    let s = screen(&a);
    assert!(s.contains("practice · question 1 of 10"), "{s}");
    assert!(s.contains("Taught in #"), "{s}");
    insta::assert_snapshot!("quiz_practice_feedback_100x30", s);
}

#[test]
fn questions_missed_in_practice_come_back_first_next_time() {
    let mut a = app(100, 30);
    a.update(Action::Quiz);
    key(&mut a, KeyCode::Char('p'));
    let missed = current_question(&a);
    let mut saves = 0;
    for i in 0..10 {
        answer(&mut a, i != 0);
        // Feedback first, then Enter moves on (and the last one finishes).
        let effects = key(&mut a, KeyCode::Enter);
        saves += effects
            .iter()
            .filter(|e| matches!(e, Effect::SaveProgress))
            .count();
    }
    assert_eq!(saves, 1, "the finished session asks for one save");
    let Phase::Results { mode, score, .. } = &a.quiz.phase else {
        panic!("results expected");
    };
    assert_eq!(*mode, Mode::Practice);
    assert_eq!((score.right, score.total), (9, 10));
    let chapter = a.quiz.quiz.as_ref().expect("quiz").chapter.clone();
    assert_eq!(a.shared.progress.leitner(&chapter).box_of(&missed), Some(1));
    assert!(
        a.shared.progress.last_quiz(&chapter).is_none(),
        "practice never replaces the latest (whole-bank) score"
    );
    key(&mut a, KeyCode::Char('p'));
    assert_eq!(
        current_question(&a),
        missed,
        "the missed question comes first"
    );
}

#[test]
fn an_exam_scores_at_the_end_and_enter_opens_a_missed_questions_section_100x30() {
    let mut a = app(100, 30);
    a.update(Action::Quiz);
    key(&mut a, KeyCode::Char('e'));
    let total = a.quiz.session().expect("asking").order.len();
    let mut effects = Vec::new();
    for i in 0..total {
        // No feedback in an exam: Enter goes straight to the next question.
        assert!(!screen(&a).contains("Taught in #"));
        effects = answer(&mut a, i % 4 != 0);
    }
    assert!(matches!(effects[..], [Effect::SaveProgress]), "{effects:?}");
    let s = screen(&a);
    assert!(s.contains("Exam finished"), "{s}");
    insta::assert_snapshot!("quiz_exam_results_100x30", s);
    let Phase::Results { score, .. } = &a.quiz.phase else {
        panic!("results");
    };
    let first_missed = score
        .missed()
        .next()
        .expect("a missed question")
        .section
        .clone();
    let chapter = a.quiz.quiz.as_ref().expect("quiz").chapter.clone();
    let last = a
        .shared
        .progress
        .last_quiz(&chapter)
        .expect("the exam is the latest score");
    assert_eq!(last.mode, "exam");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.view(), View::Reader);
    assert_eq!(a.location().anchor.as_deref(), Some(first_missed.as_str()));
    a.update(Action::Back);
    assert_eq!(a.view(), View::Quiz, "back returns to the results");
}

#[test]
fn a_timed_exam_stops_taking_answers_when_time_is_up() {
    let mut a = app(100, 30);
    a.update(Action::Quiz);
    key(&mut a, KeyCode::Char('t'));
    assert!(screen(&a).contains("time left 72:00"), "{}", screen(&a));
    answer(&mut a, true);
    a.shared.now = || "2026-11-28T14:00:00Z".to_string();
    let pick = letter(&a, true);
    key(&mut a, KeyCode::Char(pick));
    key(&mut a, KeyCode::Enter);
    let Phase::Results { score, .. } = &a.quiz.phase else {
        panic!("scored when time ran out");
    };
    assert_eq!(score.answered, 1);
    assert!(screen(&a).contains("Time is up"));
}

fn halfway_app() -> App {
    let mut a = app(100, 30);
    a.labs.source = Ok(format!(
        "snapshot {}/assets/demo/halfway.json",
        env!("CARGO_MANIFEST_DIR")
    ));
    a
}

/// Opens the review as the loop would: the facts come back as a message.
fn open_review(a: &mut App) {
    let effects = a.update(Action::Review);
    assert!(matches!(effects[..], [Effect::LoadReview]), "{effects:?}");
    let path = snapshot_path(a);
    let facts = labbook::facts::Facts::load(std::path::Path::new(&path))
        .map(Box::new)
        .map_err(|e| e.to_string());
    a.update(Msg::ReviewFacts(facts));
}

#[test]
fn the_review_screen_of_the_halfway_learner_100x30() {
    let mut a = halfway_app();
    open_review(&mut a);
    assert_eq!(a.view(), View::Review);
    let s = screen(&a).replace(env!("CARGO_MANIFEST_DIR"), "REPO");
    assert!(s.contains("Not ready yet."), "{s}");
    insta::assert_snapshot!("review_halfway_100x30", s);
}

#[test]
fn enter_on_a_gap_opens_the_lab_step_or_the_section_that_teaches_it() {
    let mut a = halfway_app();
    open_review(&mut a);
    let gaps: Vec<(Option<String>, String)> = a
        .review
        .review
        .as_ref()
        .expect("review")
        .gaps()
        .iter()
        .map(|(_, g)| (g.redo.first().map(|r| r.id()), g.read[0].anchor.clone()))
        .collect();
    let step_gap = gaps
        .iter()
        .position(|(r, _)| r.is_some())
        .expect("a gap with a step");
    for _ in 0..step_gap {
        a.update(Action::Down);
    }
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.view(), View::Labs);
    let (lab, step) = a.labs.selected_step().expect("a step selected");
    assert_eq!(Some(format!("{}/{}", lab.id, step.id)), gaps[step_gap].0);
    a.update(Action::Back);
    assert_eq!(a.view(), View::Review);

    let section_gap = gaps
        .iter()
        .position(|(r, _)| r.is_none())
        .expect("a gap to read about");
    a.update(Action::Top);
    for _ in 0..section_gap {
        a.update(Action::Down);
    }
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.view(), View::Reader);
    assert_eq!(
        a.location().anchor.as_deref(),
        Some(gaps[section_gap].1.as_str())
    );
}
