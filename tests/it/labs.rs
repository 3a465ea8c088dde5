//! Labs through the built binary (`check`, `labs`, `validate`) and the
//! broken-lab fixtures.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use labbook::course::SourceFile;
use labbook::labs::Labs;

use crate::cli::{stderr, stdout};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn demo(name: &str) -> String {
    root().join("assets/demo").join(name).display().to_string()
}

/// The binary with a private data directory.
fn labbook(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_labbook"));
    c.env("LABBOOK_DATA_DIR", data)
        .env_remove(labbook::progress::CRASH_ENV);
    c
}

fn run(data: &Path, args: &[&str]) -> Output {
    labbook(data).args(args).output().expect("run labbook")
}

/// The heading anchors of the shipped chapters, which lab steps point at.
fn anchors() -> std::collections::BTreeSet<String> {
    labbook::course::Course::embedded()
        .chapters
        .iter()
        .flat_map(|c| labbook::markdown::heading_anchors(&c.source.text))
        .collect()
}

#[test]
fn each_broken_lab_fixture_gives_its_expected_error() {
    let dir = root().join("tests/fixtures/broken_labs");
    let anchors = anchors();
    let bless = std::env::var_os("LABBOOK_BLESS").is_some();
    let mut seen = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let file = SourceFile {
            path: format!("broken_labs/{name}"),
            text: std::fs::read_to_string(&path).expect("read"),
        };
        let labs = Labs::from_sources(&[file], Some(&anchors));
        let got: String = labs.problems().map(|p| format!("{p}\n")).collect();
        assert!(!got.is_empty(), "{name} gave no error");
        let expected_path = path.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, &got).expect("bless");
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} is missing", expected_path.display()));
        assert_eq!(got, expected, "{name}");
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} fixtures");
}

#[test]
fn check_text_marks_each_outcome_and_exits_1_when_a_step_fails() {
    let data = tempfile::tempdir().expect("tempdir");
    let out = run(data.path(), &["check", "--snapshot", &demo("halfway.json")]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}\n{}", stderr(&out));
    for marker in ["✔", "✘", "?", "✎"] {
        assert!(text.contains(marker), "no {marker} in\n{text}");
    }
    assert!(text.contains("✘ assignments"), "{text}");
    assert!(text.contains("extra"), "{text}");
    let summary = text.lines().last().expect("summary");
    assert!(
        summary.contains("passed")
            && summary.contains("failed")
            && summary.contains("111111111111"),
        "{summary}"
    );
}

#[test]
fn check_exits_0_on_the_finished_demo() {
    let data = tempfile::tempdir().expect("tempdir");
    let out = run(
        data.path(),
        &["check", "--snapshot", &demo("finished.json")],
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}\n{}", stderr(&out));
    assert!(!text.contains("✘"), "{text}");
    assert!(text.contains(" 0 failed, 0 unknown"), "{text}");
}

#[test]
fn check_json_is_an_object_with_account_time_and_results() {
    let data = tempfile::tempdir().expect("tempdir");
    let out = run(
        data.path(),
        &[
            "check",
            "org",
            "root-user/mfa",
            "--snapshot",
            &demo("halfway.json"),
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["account"], "111111111111");
    let time = v["time"].as_str().expect("time");
    assert!(labbook::clock::parse_rfc3339(time).is_some(), "{time}");
    let results = v["results"].as_array().expect("results");
    let ids: Vec<String> = results.iter().map(crate::results::step_id).collect();
    assert_eq!(ids, ["org/exists", "org/structure", "root-user/mfa"]);
    for r in results {
        assert_eq!(r["outcome"], "pass");
        assert!(r["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(r["evidence"].is_array());
    }
}

#[test]
fn check_junit_reports_failures_and_skips() {
    let data = tempfile::tempdir().expect("tempdir");
    let out = run(
        data.path(),
        &[
            "check",
            "--snapshot",
            &demo("halfway.json"),
            "--format",
            "junit",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let xml = stdout(&out);
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "),
        "{xml}"
    );
    assert!(xml.trim_end().ends_with("</testsuites>"));
    assert!(xml.contains("<testsuite name=\"identity-center\""));
    assert!(xml.contains("name=\"identity-center/assignments\"><failure message="));
    assert!(xml.contains("<skipped message=\"unknown: Could not verify"));
    assert_eq!(
        xml.matches("<testcase ").count(),
        42,
        "one testcase per step"
    );
}

#[test]
fn check_without_a_snapshot_or_credentials_says_how_to_sign_in_and_exits_2() {
    let data = tempfile::tempdir().expect("tempdir");
    let home = tempfile::tempdir().expect("home");
    let mut cmd = labbook(data.path());
    for (k, _) in std::env::vars() {
        if k.starts_with("AWS_") {
            cmd.env_remove(k);
        }
    }
    let out = cmd
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", home.path().join("config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            home.path().join("credentials"),
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .args(["check", "root-user"])
        .output()
        .expect("run labbook");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("No AWS credentials found"), "{err}");
    assert!(err.contains("aws sso login --profile"), "{err}");
    assert_eq!(err.lines().count(), 1, "one sentence: {err}");
}

#[test]
fn check_rejects_unknown_steps_with_a_suggestion_and_exit_2() {
    let data = tempfile::tempdir().expect("tempdir");
    let out = run(
        data.path(),
        &["check", "org/exist", "--snapshot", &demo("halfway.json")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `exists`"),
        "{}",
        stderr(&out)
    );
    let out = run(data.path(), &["check", "--snapshot", "/no/such.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/no/such.json"));
    let out = run(
        data.path(),
        &[
            "check",
            "--format",
            "xml",
            "--snapshot",
            &demo("halfway.json"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_records_progress_that_labs_shows() {
    let data = tempfile::tempdir().expect("tempdir");
    let out = run(data.path(), &["check", "--snapshot", &demo("halfway.json")]);
    assert_eq!(out.status.code(), Some(1));
    let saved: serde_json::Value = serde_json::from_slice(
        &std::fs::read(data.path().join("progress.json")).expect("progress.json"),
    )
    .expect("json");
    assert_eq!(
        saved["format_version"],
        labbook::progress::Progress::VERSION
    );
    let rec = &saved["accounts"]["111111111111"]["steps"]["identity-center/assignments"];
    assert_eq!(rec["outcome"], "fail");
    assert!(rec["checked_at"].as_str().is_some_and(|t| t.ends_with('Z')));

    let out = run(data.path(), &["labs"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("Progress of account 111111111111"), "{text}");
    assert!(
        text.contains("org — The organization the labs build on  2/2"),
        "{text}"
    );
    assert!(text.contains("✘ assignments"), "{text}");
}

#[test]
fn a_crash_between_writing_and_renaming_loses_no_progress() {
    let data = tempfile::tempdir().expect("tempdir");
    let first = run(data.path(), &["check", "--snapshot", &demo("halfway.json")]);
    assert_eq!(first.status.code(), Some(1));
    let path = data.path().join("progress.json");
    let before = std::fs::read(&path).expect("progress after the first run");

    let crashed = labbook(data.path())
        .env(labbook::progress::CRASH_ENV, "1")
        .args(["check", "--snapshot", &demo("finished.json")])
        .output()
        .expect("run");
    assert!(!crashed.status.success());
    assert_eq!(crashed.status.code(), None, "aborted by a signal");
    let tmp_files: Vec<_> = std::fs::read_dir(data.path())
        .expect("ls")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert_eq!(
        tmp_files.len(),
        1,
        "the new progress was written to a temporary file"
    );

    let after = std::fs::read(&path).expect("progress after the crash");
    assert_eq!(after, before, "the old progress file is intact");
    let parsed: labbook::progress::Progress = serde_json::from_slice(&after).expect("valid");
    assert!(
        parsed
            .get("111111111111", "identity-center", "assignments")
            .is_some()
    );

    let again = run(
        data.path(),
        &["check", "--snapshot", &demo("finished.json")],
    );
    assert_eq!(again.status.code(), Some(0));
    assert_ne!(std::fs::read(&path).expect("progress"), before);
}

#[test]
fn a_corrupt_progress_file_is_moved_aside_with_a_message() {
    let data = tempfile::tempdir().expect("tempdir");
    std::fs::write(data.path().join("progress.json"), b"{ half a file").expect("write");
    let out = run(
        data.path(),
        &["check", "org", "--snapshot", &demo("halfway.json")],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("moved to"), "{}", stderr(&out));
    let aside = std::fs::read_dir(data.path())
        .expect("ls")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".bad-"))
        .count();
    assert_eq!(aside, 1);
}

/// A copy of the shipped course (chapters and labs) in a directory.
fn course_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for sub in ["content", "labs"] {
        std::fs::create_dir_all(dir.path().join(sub)).expect("dir");
        for e in std::fs::read_dir(root().join(sub)).expect("ls") {
            let p = e.expect("entry").path();
            if p.is_file() {
                std::fs::copy(&p, dir.path().join(sub).join(p.file_name().expect("name")))
                    .expect("copy");
            }
        }
    }
    dir
}

#[test]
fn validate_exits_0_for_a_copy_of_the_shipped_course() {
    let data = tempfile::tempdir().expect("tempdir");
    let course = course_dir();
    let out = run(
        data.path(),
        &[
            "validate",
            "--content",
            &course.path().display().to_string(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("10 lab file(s), 10 runnable, 42 step(s), 1 quiz file(s) with 72 question(s), 0 problem(s)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn validate_reports_every_problem_with_its_location_and_exits_2() {
    let data = tempfile::tempdir().expect("tempdir");
    let course = course_dir();
    let fixtures = root().join("tests/fixtures/broken_labs");
    for name in ["unknown_kind.yaml", "unknown_section.yaml"] {
        let text = std::fs::read_to_string(fixtures.join(name))
            .expect("fixture")
            .replace(
                "id: broken",
                &format!("id: {}", name.trim_end_matches(".yaml").replace('_', "-")),
            );
        std::fs::write(course.path().join("labs").join(name), text).expect("write");
    }
    let out = run(
        data.path(),
        &[
            "validate",
            "--content",
            &course.path().display().to_string(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(text.contains("unknown_kind.yaml:10:7: steps[0].check: unknown check kind `root-mfaa`; did you mean `root-mfa`?"), "{text}");
    assert!(
        text.contains("unknown_section.yaml:8:5: section `lab-cognitoo`"),
        "{text}"
    );
    assert!(text.contains("2 problem(s)"), "{text}");
}
