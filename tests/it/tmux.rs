//! End to end: the real binary in a real terminal (tmux), driven by keys and
//! read back with `capture-pane`, as a person would use it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A private tmux server running one labbook session; killed on drop.
struct Tmux {
    socket: String,
    data: tempfile::TempDir,
}

impl Tmux {
    fn start(extra_env: &[(&str, &str)], args: &str) -> Tmux {
        let data = tempfile::tempdir().expect("data dir");
        let socket = format!(
            "labbook-test-{}-{}",
            std::process::id(),
            data.path()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        );
        let t = Tmux { socket, data };
        t.launch(extra_env, args);
        t
    }

    fn launch(&self, extra_env: &[(&str, &str)], args: &str) {
        let mut env = format!("LABBOOK_DATA_DIR={} ", self.data.path().display());
        for (k, v) in extra_env {
            env.push_str(&format!("{k}={v} "));
        }
        let cmd = format!(
            "env {env} {} {args}; echo \"EXIT=$?\"; sleep 60",
            env!("CARGO_BIN_EXE_labbook")
        );
        // Right after a kill-server the old server may still hold the
        // socket for a moment: try again briefly.
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let status = Command::new("tmux")
                .args([
                    "-L",
                    &self.socket,
                    "new-session",
                    "-d",
                    "-x",
                    "100",
                    "-y",
                    "30",
                ])
                .arg(&cmd)
                .env_remove("TMUX")
                .status()
                .expect("tmux must be installed (scripts/test.sh installs it)");
            if status.success() {
                return;
            }
            assert!(Instant::now() < deadline, "tmux new-session keeps failing");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p"])
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", k]);
        }
    }

    /// Waits until the screen satisfies `pred`; panics with the screen if it never does.
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn flag(&self, name: &str) -> String {
        self.tmux(&["display-message", "-p", &format!("#{{{name}}}")])
            .trim()
            .to_string()
    }

    fn assert_terminal_restored(&self) {
        assert_eq!(self.flag("alternate_on"), "0", "left the alternate screen");
        assert_eq!(self.flag("mouse_any_flag"), "0", "mouse capture off");
        assert_eq!(self.flag("cursor_flag"), "1", "cursor visible");
        assert_eq!(
            self.flag("keypad_cursor_flag"),
            "0",
            "cursor keys back to normal"
        );
    }

    fn data_file(&self, name: &str) -> PathBuf {
        self.data.path().join(name)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

/// The first line of the text pane (right of the contents), trimmed.
fn top_text_line(screen: &str) -> String {
    screen
        .lines()
        .nth(1)
        .and_then(|l| l.split('│').nth(1))
        .unwrap_or("")
        .trim()
        .trim_end_matches(['█', '║'])
        .trim()
        .to_string()
}

/// The chapter's last section (the ranking of services) is on screen: its heading in
/// the text and the current-section marker on it in the contents.
fn last_section_shown(screen: &str) -> bool {
    screen.contains("100%")
        && screen
            .lines()
            .any(|l| l.starts_with('▶') && l.contains("The services we use most"))
}

/// `n` of the "Match n of m" status line.
fn match_number(screen: &str) -> usize {
    screen
        .split("Match ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[test]
fn read_scroll_search_jump_back_help_and_quit_in_a_real_terminal() {
    let t = Tmux::start(&[], "");
    let first = t.wait_for("the reader", |s| {
        s.contains("Contents") && s.contains("3. Identity")
    });
    assert_eq!(t.flag("alternate_on"), "1");
    assert!(
        first.contains("▶ 3. Identity"),
        "current section marked:\n{first}"
    );

    // Scroll: j moves the text, the title line stays.
    let before = top_text_line(&first);
    t.keys(&["j", "j", "j"]);
    let s = t.wait_for("scrolling", |s| top_text_line(s) != before);
    assert!(s.starts_with(" AWS in Practice"));
    t.keys(&["PageDown"]);
    t.wait_for("a page further", |s| !s.contains(" 0% "));

    // Search.
    t.keys(&["/"]);
    t.tmux(&["send-keys", "-l", "Macie"]);
    t.keys(&["Enter"]);
    let s = t.wait_for("a search result", |s| s.contains("for \"Macie\""));
    let n = match_number(&s);
    assert!(s.contains("Macie"));
    t.keys(&["n"]);
    t.wait_for("the next match", |s| match_number(s) == n + 1);

    // Jump from the contents, then back.
    t.keys(&["g"]); // top of the text
    t.wait_for("the top", |s| {
        s.contains(" 0% ") || s.contains("▶ 3. Identity")
    });
    t.keys(&["Tab", "G", "Enter"]);
    let s = t.wait_for("the last section", last_section_shown);
    assert!(s.contains("100%"), "{s}");
    t.keys(&["["]);
    t.wait_for("back at the top", |s| {
        s.contains("3. Identity, Access and Security") && !s.contains("100%")
    });
    t.keys(&["]"]);
    let at_end = t.wait_for("forward again", last_section_shown);

    // Help, generated from the key map; any key closes it.
    t.keys(&["?"]);
    t.wait_for("the help", |s| {
        s.contains("Keys — any key closes") && s.contains("Ctrl-f")
    });
    t.keys(&["x"]);
    t.wait_for("help closed", |s| !s.contains("Keys — any key closes"));

    // Quit: the terminal comes back as it was and the position is saved.
    t.keys(&["q"]);
    t.wait_for("exit", |s| s.contains("EXIT=0"));
    t.assert_terminal_restored();
    let saved = std::fs::read_to_string(t.data_file("reader.json")).expect("position saved");
    assert!(saved.contains("\"format_version\": 1"), "{saved}");

    // Start again: the reader opens where it was left.
    t.tmux(&["kill-server"]);
    t.launch(&[], "");
    let s = t.wait_for("the reader again", |s| s.contains("Contents"));
    assert_eq!(top_text_line(&s), top_text_line(&at_end), "{s}");
}

#[test]
fn terminal_is_restored_after_a_panic() {
    let t = Tmux::start(&[("LABBOOK_TEST_PANIC_KEY", "%")], "");
    t.wait_for("the reader", |s| s.contains("Contents"));
    t.keys(&["%"]);
    let s = t.wait_for("the process to end", |s| s.contains("EXIT="));
    assert!(s.contains("EXIT=101"), "{s}");
    assert!(
        s.contains("panic requested"),
        "the panic message is readable:\n{s}"
    );
    t.assert_terminal_restored();
}

#[test]
fn resize_reflows_the_text() {
    let t = Tmux::start(&[], "");
    t.wait_for("the reader", |s| s.contains("Contents"));
    t.tmux(&["resize-window", "-x", "60", "-y", "20"]);
    let s = t.wait_for("the narrow layout", |s| !s.contains("Contents"));
    for line in s.lines() {
        assert!(labbook::markdown::width_of(line) <= 60, "{line:?}");
    }
    assert!(Path::new(env!("CARGO_BIN_EXE_labbook")).exists());
}

#[test]
fn labs_are_checked_against_a_demo_snapshot_and_the_results_are_kept() {
    let snapshot = format!("{}/assets/demo/halfway.json", env!("CARGO_MANIFEST_DIR"));
    let args = format!("--snapshot {snapshot}");
    let t = Tmux::start(&[], &args);
    t.wait_for("the reader", |s| s.contains("Contents"));
    t.keys(&["l"]);
    let s = t.wait_for("the labs", |s| {
        s.contains(" Labs ") && s.contains("no account checked yet")
    });
    assert!(s.contains("· policy"), "steps start unchecked:\n{s}");
    t.keys(&["C"]);
    let s = t.wait_for("the results", |s| {
        s.contains("Checked account 111111111111") && s.contains("2/2")
    });
    assert!(s.contains("✔ policy"), "{s}");
    assert!(s.contains("✘ no-access-keys"), "{s}");
    assert!(s.contains("██████ 2/2"), "a full progress bar:\n{s}");

    // The selected step shows its last result; Enter opens its chapter section.
    t.keys(&["G"]);
    let s = t.wait_for("the last step", |s| s.contains("Last result"));
    assert!(s.contains("Chapter: #lab-"), "{s}");
    t.keys(&["q"]);
    t.wait_for("exit", |s| s.contains("EXIT=0"));
    t.assert_terminal_restored();
    let progress = std::fs::read_to_string(t.data_file("progress.json")).expect("progress saved");
    assert!(progress.contains("111111111111") && progress.contains("scp-regions/attached"));

    // Next time, the results are there before any check runs.
    t.tmux(&["kill-server"]);
    t.launch(&[], &args);
    t.wait_for("the reader again", |s| s.contains("Contents"));
    t.keys(&["l"]);
    // The results are drawn in the same frame as the account, but a capture
    // can catch a redraw half-way: wait for the whole screen, then assert.
    let s = t.wait_for("the labs again with the kept results", |s| {
        s.contains("account 111111111111") && s.contains("✘ no-access-keys")
    });
    assert!(s.contains("✔ policy"), "{s}");
}

#[test]
fn practice_a_few_questions_then_open_the_review() {
    let snapshot = format!("{}/assets/demo/halfway.json", env!("CARGO_MANIFEST_DIR"));
    let t = Tmux::start(&[], &format!("--snapshot {snapshot}"));
    t.wait_for("the reader", |s| s.contains("Contents"));
    t.keys(&["Q"]);
    t.wait_for("the quiz menu", |s| s.contains("practice: 10 questions"));
    t.keys(&["p"]);
    t.wait_for("the first question", |s| s.contains("question 1 of 10"));
    t.keys(&["a", "Enter"]);
    let s = t.wait_for("feedback", |s| s.contains("Taught in #"));
    assert!(
        s.contains("Right.") || s.contains("Wrong") || s.contains("Partially"),
        "{s}"
    );
    t.keys(&["Enter"]);
    t.wait_for("the second question", |s| s.contains("question 2 of 10"));
    t.keys(&["b", "Enter"]);
    t.wait_for("feedback again", |s| s.contains("Taught in #"));
    t.keys(&["Enter"]);
    t.wait_for("the third question", |s| s.contains("question 3 of 10"));

    t.keys(&["R"]);
    let s = t.wait_for("the review", |s| s.contains("Not ready yet."));
    assert!(s.contains("Lab steps      16/39"), "{s}");
    t.keys(&["Enter"]);
    let s = t.wait_for("the gap's section", |s| {
        s.contains("to go back to the review")
    });
    assert!(s.contains("Security patterns worth following"), "{s}");
    t.keys(&["q"]);
    t.wait_for("exit", |s| s.contains("EXIT=0"));
    t.assert_terminal_restored();
}

#[test]
fn read_is_styled_on_a_terminal_and_plain_with_no_color() {
    let file = format!(
        "{}/tests/fixtures/constructs.md",
        env!("CARGO_MANIFEST_DIR")
    );
    let args = format!("read {file} --width 60");
    let t = Tmux::start(&[], &args);
    t.wait_for("the output", |s| s.contains("EXIT=0"));
    let styled = t.tmux(&["capture-pane", "-p", "-e", "-S", "-200"]);
    assert!(styled.contains("Title level one"), "{styled}");
    assert!(
        styled.contains("\u{1b}["),
        "styled on a terminal:\n{styled}"
    );
    t.tmux(&["kill-server"]);
    t.launch(&[("NO_COLOR", "1")], &args);
    t.wait_for("the output", |s| s.contains("EXIT=0"));
    let plain = t.tmux(&["capture-pane", "-p", "-e", "-S", "-200"]);
    assert!(plain.contains("Title level one"));
    assert!(
        !plain.contains("\u{1b}["),
        "NO_COLOR turns styles off:\n{plain}"
    );
}

#[test]
fn a_watch_is_started_and_stopped_with_w_and_sees_the_step_turn_green() {
    let dir = tempfile::tempdir().expect("dir");
    let snapshot = dir.path().join("account.json");
    let demo = |name: &str| format!("{}/assets/demo/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(demo("halfway.json"), &snapshot).expect("copy");
    // How far the failing step is below the first selected row.
    let screen = labbook::tui::screens::labs::LabsScreen::new(
        labbook::labs::Labs::load(&labbook::course::Course::embedded()),
        &labbook::progress::Progress::default(),
        Err(String::new()),
    );
    let target = screen
        .rows
        .iter()
        .position(|r| match *r {
            labbook::tui::screens::labs::Row::Step(l, s) => screen
                .lab(l)
                .is_some_and(|lab| lab.id == "root-user" && lab.steps[s].id == "no-access-keys"),
            _ => false,
        })
        .expect("row");
    let t = Tmux::start(
        &[
            ("LABBOOK_TEST_WATCH_INTERVAL_MS", "300"),
            ("LABBOOK_BELL", "0"),
        ],
        &format!("--snapshot {}", snapshot.display()),
    );
    t.wait_for("the reader", |s| s.contains("Contents"));
    t.keys(&["l"]);
    t.wait_for("the labs", |s| s.contains(" Labs "));
    for _ in screen.selected..target {
        t.keys(&["j"]);
    }
    t.wait_for("the step", |s| s.contains("root-user/no-access-keys ·"));
    t.keys(&["w"]);
    let s = t.wait_for("the watch", |s| s.contains("watching · checked"));
    assert!(s.contains("✘ no-access-keys"), "{s}");

    // The learner deletes the root access key: the watch sees it.
    std::fs::copy(demo("finished.json"), &snapshot).expect("fix");
    let s = t.wait_for("the step turning green", |s| {
        s.contains("no-access-keys passes now")
    });
    assert!(s.contains("✔ no-access-keys"), "{s}");
    t.keys(&["w"]);
    t.wait_for("the watch to stop", |s| {
        s.contains("Stopped watching root-user/no-access-keys.")
            && !s.contains("watching · checked")
    });
    t.keys(&["q"]);
    t.wait_for("exit", |s| s.contains("EXIT=0"));
    t.assert_terminal_restored();
}

#[test]
fn the_class_view_filters_drills_into_a_learner_and_comes_back() {
    // Two learners' snapshots, as `labbook class collect` writes them.
    let snaps = tempfile::tempdir().expect("snapshots");
    let demo = |f: &str| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/demo")
            .join(f)
    };
    std::fs::copy(demo("halfway.json"), snaps.path().join("111122223333.json")).expect("copy");
    std::fs::copy(
        demo("finished.json"),
        snaps.path().join("444455556666.json"),
    )
    .expect("copy");
    std::fs::write(
        snaps.path().join("class.json"),
        r#"{"class": "demo-class", "time": "2026-01-01T00:00:00Z", "learners": [
            {"name": "ada", "account": "111122223333", "snapshot": "111122223333.json"},
            {"name": "bob", "account": "444455556666", "snapshot": "444455556666.json"}]}"#,
    )
    .expect("manifest");
    let t = Tmux::start(
        &[],
        &format!("class --snapshots {}", snaps.path().display()),
    );
    let s = t.wait_for("the class checked", |s| {
        s.contains("Class demo-class") && s.contains("Checked 2 learners")
    });
    assert!(s.contains("2 of 2 learners shown"), "{s}");
    assert!(s.contains("ada") && s.contains("bob"), "{s}");
    assert!(s.contains("16/35") && s.contains("35/35"), "{s}");

    // Filter: only ada fails a step of the SCP lab.
    t.keys(&["f"]);
    t.tmux(&["send-keys", "-l", "scp-regions"]);
    t.wait_for("the prompt", |s| s.contains("filter: scp-regions"));
    t.keys(&["Enter"]);
    let s = t.wait_for("the filtered class", |s| {
        s.contains("1 of 2 learners shown")
    });
    assert!(!s.contains(" bob "), "{s}");

    // Drill into ada's labs, then back to the matrix.
    t.keys(&["Enter"]);
    let s = t.wait_for("ada's labs", |s| s.contains("Learner ada's labs"));
    assert!(
        s.contains("account 111122223333") && s.contains(" Labs "),
        "{s}"
    );
    assert!(
        s.contains("✘ no-access-keys"),
        "her results are shown:\n{s}"
    );
    t.keys(&["["]);
    let s = t.wait_for("the matrix again", |s| s.contains("Class demo-class"));
    assert!(
        s.contains("1 of 2 learners shown"),
        "the filter is kept:\n{s}"
    );

    t.keys(&["q"]);
    t.wait_for("exit", |s| s.contains("EXIT=0"));
    t.assert_terminal_restored();
    // The run is in the history; the learner's own progress file is untouched.
    assert!(t.data_file("history.sqlite").exists());
    assert!(!t.data_file("progress.json").exists());
}
