//! `labbook read`: the renderer through the real binary, and the encoding
//! fixtures as a user would meet them.

use std::path::Path;

use crate::cli::labbook;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn read(args: &[&str]) -> (i32, String, String) {
    let out = labbook()
        .arg("read")
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("run labbook read");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn reads_the_embedded_chapter_by_number_plain_when_piped() {
    let (code, out, err) = read(&["3", "--width", "100"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("3. Identity, Access and Security"),
        "{}",
        &out[..200.min(out.len())]
    );
    assert!(!out.contains('\x1b'), "no escape codes when piped");
    assert!(out.lines().all(|l| labbook::markdown::width_of(l) <= 100));
    // The chapter's tables are drawn and its explicit ids are not shown.
    assert!(out.contains('┌') && out.contains('╞'));
    assert!(!out.contains("{#lab-"));
}

#[test]
fn width_is_honoured() {
    let (_, out, _) = read(&["1", "--width", "50"]);
    let widest = out
        .lines()
        .map(labbook::markdown::width_of)
        .max()
        .unwrap_or(0);
    assert!((45..=50).contains(&widest), "widest line {widest}");
}

#[test]
fn renders_any_markdown_file() {
    let (code, out, _) = read(&[&fixture("constructs.md"), "--width", "60"]);
    assert_eq!(code, 0);
    assert!(out.contains("☑ done task"));
    assert!(out.contains("╭─ json"));
}

#[test]
fn mojibake_is_repaired_with_a_one_line_warning() {
    let clean = std::fs::read_to_string(fixture("encoding/clean.md")).expect("clean fixture");
    let (code, out, err) = read(&[&fixture("encoding/mojibake.md"), "--width", "80"]);
    let (_, expected, _) = read(&[&fixture("encoding/clean.md"), "--width", "80"]);
    assert_eq!(code, 0);
    assert_eq!(
        out, expected,
        "repaired text renders exactly like the clean file"
    );
    assert!(clean.contains("🕵️‍♂️"));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("mojibake.md") && err.contains("repaired"),
        "{err}"
    );
}

#[test]
fn mojibake_with_dropped_bytes_is_repaired_as_far_as_the_bytes_allow() {
    let (code, out, err) = read(&[&fixture("encoding/mojibake-dropped.md"), "--width", "80"]);
    assert_eq!(code, 0);
    assert!(out.contains("Root user — lock it away"), "{out}");
    assert!(out.contains("“today”, not “later”"), "{out}");
    assert!(out.contains("🕵️‍♂️ Detective"), "ZWJ sequence restored: {out}");
    // 🔐 lost its last byte: five emoji fit, so it cannot be known.
    assert!(out.contains("away \u{FFFD}"), "{out}");
    assert!(err.contains("could not be recovered"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn invalid_utf8_is_replaced_and_reported_not_a_crash() {
    let (code, out, err) = read(&[&fixture("encoding/invalid-utf8.md")]);
    assert_eq!(code, 0);
    assert!(out.contains("caf\u{FFFD}"), "{out}");
    assert!(err.contains("invalid UTF-8"), "{err}");
}

#[test]
fn unknown_chapter_and_missing_file_are_clear_errors() {
    let (code, _, err) = read(&["no-such-chapter"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no chapter matches") && err.contains("1 (3. Identity"),
        "{err}"
    );
    let (code, _, err) = read(&["missing.md"]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.md"), "{err}");
}

#[test]
fn another_course_directory_loads_with_content() {
    let dir = fixture("course");
    assert!(Path::new(&dir).join("content/course.yaml").is_file());
    let out = labbook()
        .args(["--content", &dir, "read", "--width", "70"])
        .output()
        .expect("run");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Title level one"));
    let out = labbook()
        .args(["--content", "/nonexistent", "read"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a course directory"));
}
