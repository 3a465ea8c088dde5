//! The class view (instructor mode), drawn into a `TestBackend` as the
//! terminal would show it, driven as the event loop drives it: keys in,
//! effects out, a class check carried out by the real background source
//! (`ClassSource::spawn`) and its messages fed back.
//!
//! The class: ada (halfway, then finished when re-checked), bob
//! (finished), cy (halfway) and dan, whose snapshot is missing (unreadable).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use labbook::class::Member;
use labbook::course::Course;
use labbook::progress::Progress;
use labbook::runner::{self, SnapshotFile};
use labbook::state::ReaderState;
use labbook::tui::app::App;
use labbook::tui::classrun::ClassSource;
use labbook::tui::msg::{Effect, Msg};
use labbook::tui::screens::class::ClassScreen;
use labbook::tui::shared::View;
use labbook::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Modifier;

fn demo(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/demo")
        .join(name)
}

struct Class {
    app: App,
    source: ClassSource,
    dir: tempfile::TempDir,
}

impl Class {
    /// The class view at `w`×`h`, everyone checked once (as on opening).
    fn open(w: u16, h: u16) -> Class {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::copy(demo("halfway.json"), dir.path().join("ada.json")).expect("copy");
        let snap = |name: &str| -> Box<SnapshotFile> {
            Box::new(SnapshotFile(match name {
                "ada" => dir.path().join("ada.json"),
                "bob" => demo("finished.json"),
                "cy" => demo("halfway.json"),
                _ => PathBuf::from("/no/such/dan.json"),
            }))
        };
        let accounts = [
            ("ada", "111122223333"),
            ("bob", "444455556666"),
            ("cy", "777788889999"),
            ("dan", "121212121212"),
        ];
        let members: Vec<Member> = accounts
            .iter()
            .map(|(name, account)| Member {
                name: name.to_string(),
                account: account.to_string(),
                source: snap(name),
            })
            .collect();
        let course = Course::embedded();
        let labs = labbook::labs::Labs::load(&course);
        let jobs = runner::select(&labs, &[]).expect("jobs");
        let source = ClassSource {
            class: "aws-course".into(),
            members: Arc::new(members),
            jobs: Arc::new(jobs),
            concurrency: 2,
            history: Some(dir.path().join("history.sqlite")),
            stop: labbook::class::stop_flag(),
        };
        let mut app = App::new(
            course,
            ReaderState::default(),
            Progress::default(),
            Rect::new(0, 0, w, h),
        );
        app.shared.now = || "2026-11-28T12:00:00Z".to_string();
        let screen = ClassScreen::new("aws-course", &source.jobs, &source.roster(), None, None);
        app.open_class(screen);
        let mut c = Class { app, source, dir };
        c.act(labbook::tui::keys::Action::CheckAll);
        c
    }

    /// Carries out effects as the event loop does, waiting for a class
    /// check to finish.
    fn carry(&mut self, mut effects: Vec<Effect>) {
        while let Some(e) = effects.pop() {
            if let Effect::CheckClass(names) = e {
                for m in self.source.spawn(names) {
                    effects.extend(self.app.update(Msg::Class(m)));
                }
            }
        }
    }

    fn key(&mut self, code: KeyCode) {
        let effects = self.app.update(KeyEvent::new(code, KeyModifiers::NONE));
        self.carry(effects);
    }

    fn act(&mut self, a: labbook::tui::keys::Action) {
        let effects = self.app.update(a);
        self.carry(effects);
    }

    fn type_text(&mut self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn terminal(&self) -> Terminal<TestBackend> {
        let size = self.app.shared.size;
        let mut t = Terminal::new(TestBackend::new(size.width, size.height)).expect("terminal");
        t.draw(|f| view::draw(f, &self.app)).expect("draw");
        t
    }

    fn screen(&self) -> String {
        self.terminal().backend().to_string()
    }

    /// The names of the learner rows, top to bottom.
    fn rows(&self) -> Vec<String> {
        let s = self.screen();
        s.lines()
            .skip(3)
            .take_while(|l| !l.contains("passing"))
            .filter_map(|l| {
                let l = l.trim_start_matches('"').trim_start();
                let l = l.trim_start_matches('▶').trim_start();
                let name = l.split_whitespace().next()?;
                ["ada", "bob", "cy", "dan"]
                    .contains(&name)
                    .then(|| name.to_string())
            })
            .collect()
    }

    /// Re-checks ada after she finished the labs.
    fn ada_finishes(&mut self) {
        std::fs::copy(demo("finished.json"), self.dir.path().join("ada.json")).expect("copy");
        self.app.class.as_mut().expect("class").selected = 0;
        self.key(KeyCode::Char('c'));
    }
}

#[test]
fn the_class_matrix_with_an_unreadable_learner_120x40() {
    let c = Class::open(120, 40);
    let s = c.screen();
    assert!(s.contains("could not be read"), "{s}");
    assert!(s.contains("/no/such/dan.json"), "the reason is shown:\n{s}");
    assert!(
        s.contains("Checked 4 learners, stored in the class history"),
        "{s}"
    );
    assert_eq!(c.rows(), ["ada", "bob", "cy", "dan"], "roster order");
    insta::assert_snapshot!(s);
}

#[test]
fn the_class_matrix_fits_80x24() {
    let c = Class::open(80, 24);
    insta::assert_snapshot!(c.screen());
}

#[test]
fn a_recheck_marks_the_cells_that_changed_since_the_previous_run_120x40() {
    let mut c = Class::open(120, 40);
    c.ada_finishes();
    let s = c.screen();
    assert!(
        s.contains("Checked 1 learner (not everyone), stored"),
        "{s}"
    );
    let ada = s.lines().find(|l| l.contains(" ada ")).expect("ada's row");
    assert!(ada.contains('Δ'), "ada's row counts her changes: {ada}");
    assert!(ada.contains("39/39") || !ada.contains('✘'), "{ada}");
    // A changed cell is bold and underlined.
    let t = c.terminal();
    let buf = t.backend().buffer();
    let y = s.lines().position(|l| l.contains(" ada ")).expect("row") as u16;
    let marked = (0..buf.area.width)
        .filter(|&x| {
            let m = buf[(x, y)].modifier;
            m.contains(Modifier::UNDERLINED) && m.contains(Modifier::BOLD)
        })
        .count();
    assert!(marked > 0, "no changed cell is marked");
    // Bob did not change: his row has no marks.
    let bob = s.lines().find(|l| l.contains(" bob ")).expect("bob's row");
    assert!(!bob.contains('Δ'), "{bob}");
    insta::assert_snapshot!(s);

    // The history has both runs; the second is partial (one learner).
    let h = labbook::history::History::open(&c.dir.path().join("history.sqlite")).expect("db");
    let runs = h.runs("aws-course").expect("runs");
    assert_eq!(runs.len(), 2);
    assert!(!runs[0].partial && runs[1].partial);
}

#[test]
fn sorting_by_progress_then_by_name_80x24() {
    let mut c = Class::open(80, 24);
    c.ada_finishes();
    c.key(KeyCode::Char('s'));
    let s = c.screen();
    assert!(s.contains("Sorted by progress"), "{s}");
    // cy is halfway, ada and bob finished; dan was not read and goes last.
    assert_eq!(c.rows(), ["cy", "ada", "bob", "dan"], "{s}");
    insta::assert_snapshot!(s);
    c.key(KeyCode::Char('s'));
    assert_eq!(c.rows(), ["ada", "bob", "cy", "dan"]);
    assert!(c.screen().contains("Sorted by name"));
}

#[test]
fn filtering_keeps_the_learners_failing_a_matching_step_120x40() {
    let mut c = Class::open(120, 40);
    c.key(KeyCode::Char('f'));
    c.type_text("scp-regions");
    let typing = c.screen();
    assert!(typing.contains("filter: scp-regions█"), "{typing}");
    c.key(KeyCode::Enter);
    let s = c.screen();
    // ada and cy (halfway) fail an SCP step; bob passes them all; dan was not read.
    assert_eq!(c.rows(), ["ada", "cy"], "{s}");
    assert!(
        s.contains("2 of 4 learners shown, filter \"scp-regions\""),
        "{s}"
    );
    insta::assert_snapshot!(s);
    // A name filters too; Esc in the prompt clears the filter.
    c.key(KeyCode::Char('f'));
    c.key(KeyCode::Esc);
    assert_eq!(c.rows().len(), 4);
    c.key(KeyCode::Char('f'));
    c.type_text("bob");
    c.key(KeyCode::Enter);
    assert_eq!(c.rows(), ["bob"]);
}

#[test]
fn a_filter_that_matches_nobody_says_so_80x24() {
    let mut c = Class::open(80, 24);
    c.key(KeyCode::Char('f'));
    c.type_text("no-such-step");
    c.key(KeyCode::Enter);
    let s = c.screen();
    assert!(s.contains("No learner matches the filter"), "{s}");
    assert!(c.rows().is_empty());
}

#[test]
fn the_unreadable_learners_detail_gives_the_reason_80x24() {
    let mut c = Class::open(80, 24);
    for _ in 0..3 {
        c.key(KeyCode::Down);
    }
    let s = c.screen();
    assert!(s.contains("dan · account 121212121212"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn enter_opens_the_learners_labs_and_back_returns_to_the_matrix() {
    let mut c = Class::open(100, 30);
    c.key(KeyCode::Down); // bob
    c.key(KeyCode::Enter);
    assert_eq!(c.app.view(), View::Labs);
    let s = c.screen();
    assert!(s.contains("account 444455556666"), "bob's results:\n{s}");
    assert!(s.contains("Learner bob's labs"), "{s}");
    assert!(s.contains("✔ policy"), "{s}");
    c.key(KeyCode::Char('['));
    assert_eq!(c.app.view(), View::Class);
    assert!(c.screen().contains("Class aws-course"));
    // The selection is where it was.
    let sel = c.app.class.as_ref().expect("class").selected;
    assert_eq!(
        c.app.class.as_ref().expect("class").learners[sel].name,
        "bob"
    );
}

#[test]
fn the_help_lists_the_class_keys() {
    let mut c = Class::open(120, 40);
    c.key(KeyCode::Char('?'));
    let s = c.screen();
    for (keys, what) in labbook::tui::keys::class_help_rows() {
        assert!(s.contains(what), "help row {keys} {what} missing:\n{s}");
    }
}

#[test]
fn the_view_answers_keys_while_a_check_runs() {
    let mut c = Class::open(100, 30);
    let effects = c.app.update(labbook::tui::keys::Action::CheckAll);
    assert!(matches!(effects[..], [Effect::CheckClass(ref n)] if n.is_empty()));
    // Before any result: the view sorts, filters and refuses a second check.
    c.key(KeyCode::Char('s'));
    let again = c.app.update(labbook::tui::keys::Action::CheckAll);
    assert!(again.is_empty());
    assert!(
        c.screen().contains("A class check is already running."),
        "{}",
        c.screen()
    );
    c.app.shared.status = None;
    assert!(c.screen().contains("checking 0/4"), "{}", c.screen());
    c.carry(effects);
    assert!(c.app.class.as_ref().expect("class").running.is_none());
}
