//! `labbook read`: the renderer through the real binary, and the encoding
//! fixtures as a user would meet them.

use std::path::Path;

use labbook::encoding::{CodePage, decode};

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
    // 🔐 lost its last byte: seven emoji of its block fit, so one is
    // inferred (an emoji, never mojibake) and the warning says so.
    let heading = out.lines().next().unwrap_or_default();
    let emoji = heading.strip_prefix("Root user — lock it away ");
    assert!(
        emoji.is_some_and(|e| e.chars().all(|c| ('\u{1F500}'..='\u{1F53F}').contains(&c))),
        "{heading}"
    );
    assert!(!out.contains('\u{FFFD}'), "{out}");
    assert!(err.contains("inferred from the rest of the file"), "{err}");
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

/// What a round trip through `page` does to UTF-8 text: each byte read as the
/// code page's character and saved again as UTF-8. `drop` loses the bytes the
/// code page leaves undefined; otherwise they survive as C1 controls.
fn garble(text: &str, page: CodePage, drop: bool) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for &b in text.as_bytes() {
        match page.char_of(b) {
            Some(c) => out.push(c),
            None if !drop => out.push(char::from(b)),
            None => {}
        }
    }
    out
}

fn shipped_chapter() -> String {
    let path = format!(
        "{}/content/03-identity-access-security.md",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).expect("shipped chapter")
}

#[test]
fn shipped_chapter_survives_a_round_trip_through_each_code_page() {
    let original = shipped_chapter();
    for page in CodePage::ALL {
        let kept = decode(garble(&original, page, false).as_bytes());
        assert_eq!(kept.code_page, Some(page));
        assert!(kept.text == original, "{page:?} with C1 bytes kept");
        assert_eq!((kept.inferred, kept.unrecoverable), (0, 0), "{page:?}");

        // Dropped bytes: whatever does not come back exactly must be among
        // the characters the decoder says it inferred or lost, never silent.
        let dropped = decode(garble(&original, page, true).as_bytes());
        assert_eq!(dropped.code_page, Some(page));
        let want: Vec<char> = original.chars().collect();
        let got: Vec<char> = dropped.text.chars().collect();
        assert_eq!(
            want.len(),
            got.len(),
            "{page:?}: one character per character"
        );
        let wrong = want.iter().zip(&got).filter(|(a, b)| a != b).count();
        println!(
            "{}: {wrong} of {} inferred characters differ, {} lost",
            page.name(),
            dropped.inferred,
            dropped.unrecoverable
        );
        assert!(
            wrong <= dropped.inferred + dropped.unrecoverable,
            "{page:?}: {wrong} wrong, {} inferred",
            dropped.inferred
        );
        assert!(!dropped.text.contains('\u{FFFD}'), "{page:?}");
    }
}

#[test]
fn delivered_chapter_is_repaired_without_mojibake() {
    let bytes = std::fs::read(fixture("encoding/chapter-3-as-delivered.md")).expect("fixture");
    let raw = String::from_utf8_lossy(&bytes);
    let count = |s: &str, c: char| s.chars().filter(|&x| x == c).count();
    let mojibake_lines = |s: &str| {
        s.lines()
            .filter(|l| l.contains("ğŸ") || l.contains("â€"))
            .count()
    };
    // Before: valid UTF-8, but every emoji is mojibake and no ❌ is left.
    assert_eq!((count(&raw, '\u{FFFD}'), count(&raw, '❌')), (0, 0));
    assert_eq!(mojibake_lines(&raw), 133);

    let d = decode(&bytes);
    assert_eq!(d.code_page, Some(CodePage::Windows1254));
    assert_eq!(count(&d.text, '❌'), 60, "every ❌ lost its middle byte");
    assert_eq!(count(&d.text, '✅'), 178);
    assert_eq!(mojibake_lines(&d.text), 0);
    // The two "IAM Roles" emoji lost two bytes each (0x8E and a stripped
    // soft hyphen): nothing in the file can say what they were.
    assert_eq!(count(&d.text, '\u{FFFD}'), 2);
    assert_eq!(d.unrecoverable, 2);
    assert!(
        d.text.contains("### 🕵️‍♂️ Key Features"),
        "ZWJ sequences rebuilt"
    );
    assert!(
        d.text.contains("“last accessed” data"),
        "closing quotes rebuilt"
    );

    let (code, out, err) = read(&[
        &fixture("encoding/chapter-3-as-delivered.md"),
        "--width",
        "100",
    ]);
    assert_eq!(code, 0);
    assert!(
        !out.contains("ğŸ") && !out.contains("â€"),
        "no mojibake rendered"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("Windows-1254") && err.contains(&format!("{} inferred", d.inferred)),
        "{err}"
    );
}

#[test]
fn clean_files_are_never_changed() {
    let mut files: Vec<_> = std::fs::read_dir(format!("{}/content", env!("CARGO_MANIFEST_DIR")))
        .expect("content dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.push(fixture("encoding/clean.md").into());
    files.push(fixture("constructs.md").into());
    files.push(fixture("encoding/genuine-accents.md").into());
    for path in files {
        let bytes = std::fs::read(&path).expect("read");
        let d = decode(&bytes);
        assert!(d.text.as_bytes() == bytes, "{} changed", path.display());
        assert_eq!(d.warning("f"), None, "{}", path.display());
    }
}
