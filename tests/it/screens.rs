//! Snapshots of the reader's key screens, drawn into a `TestBackend` exactly
//! as the terminal would show them. The app is driven as the event loop
//! drives it: messages in, effects out and carried out here.

use labbook::course::Course;
use labbook::progress::Progress;
use labbook::state::ReaderState;
use labbook::tui::app::App;
use labbook::tui::keys::Action;
use labbook::tui::layout;
use labbook::tui::msg::{Effect, Msg};
use labbook::tui::shared::View;
use labbook::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

/// The app on the embedded course at `w`×`h`, its clock fixed (screen tests share it).
pub(crate) fn app(w: u16, h: u16) -> App {
    let mut a = App::new(
        Course::embedded(),
        ReaderState::default(),
        Progress::default(),
        Rect::new(0, 0, w, h),
    );
    a.shared.now = || "2026-11-28T12:00:00Z".to_string();
    a
}

/// The screen as text, drawn by the real view.
pub(crate) fn screen(app: &App) -> String {
    let size = app.shared.size;
    let mut t = Terminal::new(TestBackend::new(size.width, size.height)).expect("terminal");
    t.draw(|f| view::draw(f, app)).expect("draw");
    t.backend().to_string()
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// Presses a key; returns what the app asked the loop to do.
pub(crate) fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(KeyEvent::new(code, KeyModifiers::NONE))
}

#[test]
fn opening_screen_80x24() {
    insta::assert_snapshot!(screen(&app(80, 24)));
}

#[test]
fn opening_screen_120x40() {
    insta::assert_snapshot!(screen(&app(120, 40)));
}

#[test]
fn narrow_terminal_hides_the_contents() {
    let a = app(60, 20);
    let s = screen(&a);
    assert!(!s.contains("Contents"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn jump_from_contents_to_the_scp_lab_120x40() {
    let mut a = app(120, 40);
    key(&mut a, KeyCode::Tab);
    let target = a
        .reader
        .doc
        .toc
        .iter()
        .position(|t| t.anchor == "lab-scp-regions")
        .expect("the SCP lab heading");
    for _ in 0..target {
        a.update(Action::Down);
    }
    key(&mut a, KeyCode::Enter);
    let s = screen(&a);
    assert_eq!(
        a.reader.scroll,
        a.reader.doc.anchor_line("lab-scp-regions").expect("anchor")
    );
    insta::assert_snapshot!(s);
    // Back returns to the top.
    key(&mut a, KeyCode::Char('['));
    assert_eq!(a.reader.scroll, 0);
}

#[test]
fn search_highlights_and_counts_matches_80x24() {
    let mut a = app(80, 24);
    key(&mut a, KeyCode::Char('/'));
    type_text(&mut a, "guardduty");
    let typing = screen(&a);
    assert!(typing.contains("/guardduty█"), "{typing}");
    key(&mut a, KeyCode::Enter);
    let s = screen(&a);
    assert!(s.contains("Match 1 of"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn help_is_generated_from_the_key_map_80x24() {
    let mut a = app(80, 24);
    key(&mut a, KeyCode::Char('?'));
    let s = screen(&a);
    for (keys, what) in labbook::tui::keys::help_rows() {
        assert!(s.contains(what), "help row {keys} {what} missing");
    }
    insta::assert_snapshot!(s);
    key(&mut a, KeyCode::Char('x'));
    assert!(!a.show_help);
}

#[test]
fn resizing_reflows_and_keeps_the_section() {
    let mut a = app(120, 40);
    assert!(a.reader.jump_to_anchor("lab-kms-key", &mut a.shared));
    let before = a.location();
    a.update(Msg::Resize(Rect::new(0, 0, 72, 30)));
    assert_eq!(a.reader.doc.width, a.reader.doc.width.min(72));
    assert_eq!(a.location().anchor, before.anchor);
    let size = a.shared.size;
    let text_width = layout::layout(size, layout::shows_toc(size)).text.width;
    assert!(text_width < 72);
    assert!(
        a.reader
            .doc
            .lines
            .iter()
            .all(|l| l.width() <= usize::from(text_width))
    );
}

#[test]
fn reading_position_survives_a_restart_at_another_width() {
    let mut a = app(120, 40);
    assert!(a.reader.jump_to_anchor("lab-cognito", &mut a.shared));
    a.update(Action::Down);
    a.update(Action::Down);
    let effects = a.update(Action::Quit);
    assert!(matches!(effects[..], [Effect::Quit]), "{effects:?}");
    let saved = a.reader.state.clone();
    let b = App::new(
        Course::embedded(),
        saved,
        Progress::default(),
        Rect::new(0, 0, 90, 30),
    );
    let loc = b.location();
    assert_eq!(loc.anchor.as_deref(), Some("lab-cognito"));
    assert_eq!(loc.offset, 2);
}

/// Carries out effects as the event loop does, except that a run goes
/// synchronously (its events come back as messages, in order) and saving
/// is only counted. Returns how many saves were asked for.
fn carry_out(a: &mut App, effects: Vec<Effect>) -> usize {
    carry_out_ringing(a, effects).0
}

/// The snapshot file `a`'s labs were checked against (the tests' source).
pub(crate) fn snapshot_path(a: &App) -> String {
    a.labs
        .source
        .as_deref()
        .ok()
        .and_then(|s| s.strip_prefix("snapshot "))
        .expect("a snapshot source")
        .to_string()
}

/// [`carry_out`], also counting the bells rung: (saves, bells).
fn carry_out_ringing(a: &mut App, effects: Vec<Effect>) -> (usize, usize) {
    let mut saves = 0;
    let mut bells = 0;
    let mut queue = effects;
    while let Some(effect) = queue.pop() {
        match effect {
            Effect::StartRun(jobs) | Effect::WatchCycle(jobs) => {
                let path = snapshot_path(a);
                let (tx, rx) = std::sync::mpsc::channel();
                labbook::runner::run(&labbook::runner::SnapshotFile(path.into()), &jobs, &tx);
                drop(tx);
                for ev in rx {
                    queue.extend(a.update(Msg::Run(ev)));
                }
            }
            Effect::LoadReview => {
                let facts = labbook::facts::Facts::load(std::path::Path::new(
                    a.labs
                        .source
                        .as_deref()
                        .ok()
                        .and_then(|s| s.strip_prefix("snapshot "))
                        .expect("a snapshot source"),
                ))
                .map(Box::new)
                .map_err(|e| e.to_string());
                queue.extend(a.update(Msg::ReviewFacts(facts)));
            }
            Effect::SaveProgress => saves += 1,
            Effect::Bell => bells += 1,
            Effect::Quit | Effect::CheckClass(_) => {}
        }
    }
    (saves, bells)
}

/// Checks every step against a demo snapshot through the app's own
/// update/effect path; returns how many saves were asked for.
fn check_all_against(a: &mut App, snapshot: &str) -> usize {
    let path = format!("{}/assets/demo/{snapshot}", env!("CARGO_MANIFEST_DIR"));
    a.labs.source = Ok(format!("snapshot {path}"));
    let effects = key(a, KeyCode::Char('C'));
    assert!(
        matches!(effects[..], [Effect::StartRun(_)]),
        "jobs queued: {effects:?}"
    );
    carry_out(a, effects)
}

fn select(a: &mut App, lab: &str, step: &str) {
    let row = a
        .labs
        .rows
        .iter()
        .position(|r| match *r {
            labbook::tui::screens::labs::Row::Step(l, s) => {
                let lab_ = a.labs.lab(l).expect("lab");
                lab_.id == lab && lab_.steps[s].id == step
            }
            _ => false,
        })
        .expect("step row");
    a.labs.selected = row;
}

#[test]
fn lab_view_before_any_check_120x40() {
    let mut a = app(120, 40);
    key(&mut a, KeyCode::Char('l'));
    let s = screen(&a);
    assert!(s.contains(" Labs "), "{s}");
    assert!(
        s.contains("No account to check"),
        "without a source the step says how to get one"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn lab_view_after_checking_the_halfway_learner_120x40() {
    let mut a = app(120, 40);
    key(&mut a, KeyCode::Char('l'));
    check_all_against(&mut a, "halfway.json");
    assert_eq!(a.labs.account.as_deref(), Some("111111111111"));
    assert!(a.labs.running.is_none());
    select(&mut a, "identity-center", "assignments");
    let s = screen(&a);
    assert!(s.contains("✘ assignments"), "{s}");
    assert!(
        s.contains("Last result (checked 2026-11-28T12:00:00Z)"),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn lab_view_80x24_with_hints_revealed_one_at_a_time() {
    let mut a = app(80, 24);
    key(&mut a, KeyCode::Char('l'));
    select(&mut a, "scp-regions", "policy");
    key(&mut a, KeyCode::Char('h'));
    let one = screen(&a);
    assert!(one.contains("Hints (1 of"), "{one}");
    key(&mut a, KeyCode::Char('h'));
    let two = screen(&a);
    assert!(two.contains("Hints (2 of"), "{two}");
    insta::assert_snapshot!(two);
}

#[test]
fn manual_steps_are_marked_and_unmarked() {
    let mut a = app(100, 30);
    key(&mut a, KeyCode::Char('l'));
    select(&mut a, "kms-key", "round-trip");
    let effects = key(&mut a, KeyCode::Char('m'));
    assert!(
        a.shared
            .status
            .as_deref()
            .is_some_and(|s| s.contains("Marked kms-key/round-trip done"))
    );
    assert!(screen(&a).contains("☑ round-trip"));
    assert_eq!(carry_out(&mut a, effects), 1, "the mark is saved");
    key(&mut a, KeyCode::Char('m'));
    assert!(!screen(&a).contains("☑ round-trip"));
    // A checked step cannot be marked by hand.
    select(&mut a, "kms-key", "rotation");
    key(&mut a, KeyCode::Char('m'));
    assert!(
        a.shared
            .status
            .as_deref()
            .is_some_and(|s| s.contains("Only manual steps"))
    );
}

#[test]
fn enter_opens_the_teaching_section_and_back_returns_to_the_labs() {
    let mut a = app(120, 40);
    key(&mut a, KeyCode::Char('l'));
    select(&mut a, "cognito", "oauth");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.view(), View::Reader);
    assert_eq!(
        a.reader.scroll,
        a.reader.doc.anchor_line("lab-cognito").expect("anchor")
    );
    key(&mut a, KeyCode::Char('['));
    assert_eq!(a.view(), View::Labs);
    assert!(screen(&a).contains("oauth"));
}

#[test]
fn finished_learner_fills_every_progress_bar() {
    let mut a = app(120, 40);
    key(&mut a, KeyCode::Char('l'));
    check_all_against(&mut a, "finished.json");
    let labs: Vec<_> = a.labs.labs.labs().cloned().collect();
    for lab in &labs {
        let (done, total) = a.labs.lab_progress(&a.shared.progress, lab);
        let manual = lab
            .steps
            .iter()
            .filter(|s| matches!(s.action, labbook::labs::Action::Manual))
            .count();
        assert_eq!(done + manual, total, "{}: only manual steps left", lab.id);
    }
}

#[test]
fn links_on_screen_are_listed_and_an_internal_one_is_followed_80x24() {
    let mut a = app(80, 24);
    // The chapter's overview links to its sections.
    key(&mut a, KeyCode::Char('o'));
    assert!(a.reader.show_links);
    let s = screen(&a);
    assert!(s.contains("Links on screen"), "{s}");
    insta::assert_snapshot!(s);
    let links = a.reader.visible_links(&a.shared);
    let n = links
        .iter()
        .position(|l| l.target.starts_with('#'))
        .expect("an internal link on the first screen");
    let target = links[n].target.clone();
    let digit = char::from_digit(n as u32 + 1, 10).expect("digit");
    key(&mut a, KeyCode::Char(digit));
    assert!(!a.reader.show_links);
    let anchor = target.trim_start_matches('#');
    assert_eq!(a.location().anchor.as_deref(), Some(anchor));
    key(&mut a, KeyCode::Char('['));
    assert_eq!(a.reader.scroll, 0, "back returns to where the link was");
    // A web address is shown, not followed.
    key(&mut a, KeyCode::Char('o'));
    key(&mut a, KeyCode::Char('1'));
    assert!(
        a.shared
            .status
            .as_deref()
            .is_some_and(|s| s.contains("→ https://aws.amazon.com/")),
        "{:?}",
        a.shared.status
    );
}

#[test]
fn a_run_that_cannot_read_the_account_shows_unknown_and_records_nothing() {
    let mut a = app(120, 40);
    key(&mut a, KeyCode::Char('l'));
    let saves = check_all_against(&mut a, "no-such-snapshot.json");
    assert!(a.shared.progress.accounts.is_empty(), "nothing recorded");
    assert_eq!(saves, 0, "nothing to save");
    assert!(
        a.shared
            .status
            .as_deref()
            .is_some_and(|s| s.contains("not recorded")),
        "{:?}",
        a.shared.status
    );
    let s = screen(&a);
    assert!(
        s.contains("? policy"),
        "the steps say unknown, not fail:\n{s}"
    );
    assert!(!s.contains("✘"), "{s}");
}

// A clock the watch tests move by hand: a fixed start plus [`advance`]d
// time, per test thread (the app runs on the test's own thread).
thread_local! {
    static CLOCK: (std::time::Instant, std::cell::Cell<u64>) =
        (std::time::Instant::now(), std::cell::Cell::new(0));
}

fn fake_now() -> std::time::Instant {
    CLOCK.with(|(start, secs)| *start + std::time::Duration::from_secs(secs.get()))
}

fn advance(a: &mut App, secs: u64) -> Vec<Effect> {
    CLOCK.with(|(_, s)| s.set(s.get() + secs));
    a.update(Msg::Tick)
}

#[test]
fn watching_a_step_rechecks_it_flashes_and_rings_when_it_turns_green_then_w_stops_it_100x30() {
    let dir = tempfile::tempdir().expect("dir");
    let snapshot = dir.path().join("account.json");
    let demo = |name: &str| format!("{}/assets/demo/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(demo("halfway.json"), &snapshot).expect("copy");
    let mut a = app(100, 30);
    a.labs.clock = fake_now;
    a.labs.source = Ok(format!("snapshot {}", snapshot.display()));
    key(&mut a, KeyCode::Char('l'));
    select(&mut a, "scp-regions", "attached");

    // w: the first check goes out at once.
    let effects = key(&mut a, KeyCode::Char('w'));
    assert!(
        matches!(effects[..], [Effect::WatchCycle(_)]),
        "{effects:?}"
    );
    let (saves, bells) = carry_out_ringing(&mut a, effects);
    assert_eq!(
        (saves, bells),
        (1, 0),
        "the first result is recorded, no bell"
    );
    let s = screen(&a);
    assert!(s.contains("✘ attached"), "{s}");
    assert!(
        s.contains("scp-regions/attached: fail"),
        "what changed:\n{s}"
    );

    // Between checks it says when it last looked, and sends nothing.
    assert!(advance(&mut a, 4).is_empty());
    let s = screen(&a);
    assert!(s.contains("watching · checked 4 s ago"), "{s}");

    // Nothing changes: the next cycle records and rings nothing.
    let effects = advance(&mut a, 6);
    assert!(
        matches!(effects[..], [Effect::WatchCycle(_)]),
        "due after 10 s: {effects:?}"
    );
    assert_eq!(carry_out_ringing(&mut a, effects), (0, 0));

    // The learner attaches the SCP; the next cycle sees it.
    std::fs::copy(demo("finished.json"), &snapshot).expect("fix");
    let effects = advance(&mut a, 10);
    assert_eq!(
        carry_out_ringing(&mut a, effects),
        (1, 1),
        "recorded, and the bell"
    );
    let s = screen(&a);
    assert!(s.contains("attached passes now!"), "the flash:\n{s}");
    assert!(s.contains("scp-regions/attached: fail → pass"), "{s}");
    insta::assert_snapshot!(s);
    assert!(
        a.shared
            .status
            .as_deref()
            .is_some_and(|m| m.contains("passes now")),
        "{:?}",
        a.shared.status
    );
    // It never moves on by itself, and the flash fades.
    advance(&mut a, 3);
    let s = screen(&a);
    assert!(!s.contains("passes now!"), "{s}");
    assert!(
        a.labs.watching.is_some(),
        "still watching until the learner stops it"
    );
    assert!(s.contains("✔ attached"), "{s}");

    // w again stops it.
    assert!(key(&mut a, KeyCode::Char('w')).is_empty());
    assert!(a.labs.watching.is_none());
    assert_eq!(
        a.shared.status.as_deref(),
        Some("Stopped watching scp-regions/attached.")
    );
    assert!(advance(&mut a, 60).is_empty(), "no more checks");
}

#[test]
fn leaving_the_watched_step_or_fifteen_quiet_minutes_stop_the_watch_and_manual_steps_are_not_watched()
 {
    let mut a = app(100, 30);
    a.labs.clock = fake_now;
    a.labs.source = Ok(format!(
        "snapshot {}/assets/demo/halfway.json",
        env!("CARGO_MANIFEST_DIR")
    ));
    key(&mut a, KeyCode::Char('l'));
    select(&mut a, "scp-regions", "attached");
    let effects = key(&mut a, KeyCode::Char('w'));
    carry_out(&mut a, effects);
    key(&mut a, KeyCode::Char('j'));
    assert!(a.labs.watching.is_none());
    assert_eq!(
        a.shared.status.as_deref(),
        Some("Stopped watching scp-regions/attached: you left it.")
    );

    // A whole lab on its row; quiet for 15 minutes, it stops.
    let row = a.labs.rows.iter().position(|r| matches!(*r, labbook::tui::screens::labs::Row::Lab(l) if a.labs.lab(l).is_some_and(|x| x.id == "scp-regions"))).expect("lab row");
    a.labs.selected = row;
    let effects = key(&mut a, KeyCode::Char('w'));
    carry_out(&mut a, effects);
    assert!(
        a.labs.watching.as_ref().is_some_and(|w| w.jobs.len() == 4),
        "every step of the lab"
    );
    for _ in 0..90 {
        let effects = advance(&mut a, 10);
        carry_out(&mut a, effects);
    }
    assert!(a.labs.watching.is_none());
    assert!(
        a.shared
            .status
            .as_deref()
            .is_some_and(|m| m.contains("nothing changed for 15 min")),
        "{:?}",
        a.shared.status
    );

    select(&mut a, "root-user", "email-alias");
    assert!(key(&mut a, KeyCode::Char('w')).is_empty());
    assert!(a.labs.watching.is_none());
    assert!(
        a.shared
            .status
            .as_deref()
            .is_some_and(|m| m.contains("cannot be watched") && m.contains("mark it done with m")),
        "{:?}",
        a.shared.status
    );
}
