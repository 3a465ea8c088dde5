//! `labbook review` as a learner (or a pipeline) runs it: a readiness
//! report per chapter section from a snapshot, the progress marks and the
//! latest quiz score, in four formats, exiting 0 only when ready.

use std::path::{Path, PathBuf};

use crate::cli::{labbook_in, stderr, stdout};
use crate::results::entry;

use labbook::course::Course;
use labbook::quiz::{Kind, Quizzes};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn demo(name: &str) -> String {
    root().join("assets/demo").join(name).display().to_string()
}

/// The review with its time stamps (`2026-03-02T10:00:00Z`, which change
/// every run) replaced by `TIME`.
fn without_time(text: &str) -> String {
    let is_stamp = |s: &str| {
        let b = s.as_bytes();
        b.len() == 20
            && b[4] == b'-'
            && b[10] == b'T'
            && b[19] == b'Z'
            && b.iter()
                .enumerate()
                .all(|(i, c)| matches!(i, 4 | 7 | 10 | 13 | 16 | 19) || c.is_ascii_digit())
    };
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if rest.len() >= 20 && rest.is_char_boundary(20) && is_stamp(&rest[..20]) {
            out.push_str("TIME");
            rest = &rest[20..];
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// An answer file with every question answered right except `wrong`.
fn answers(wrong: &[&str]) -> String {
    let quizzes = Quizzes::load(&Course::embedded());
    let quiz = &quizzes.quizzes[0];
    let mut out = format!("chapter: {}\nanswers:\n", quiz.chapter);
    for q in &quiz.questions {
        let pick = if wrong.contains(&q.id.as_str()) {
            let other = q
                .options
                .iter()
                .find(|o| !q.answer.contains(&o.id))
                .expect("a wrong option");
            vec![other.id.clone()]
        } else {
            q.answer.clone()
        };
        let value = match q.kind {
            Kind::TrueFalse => pick[0].clone(),
            _ => format!("[{}]", pick.join(", ")),
        };
        out.push_str(&format!("  {}: {value}\n", q.id));
    }
    out
}

/// Scores `text` as the learner's latest quiz in `data`.
fn take_quiz(data: &Path, text: &str) {
    let file = data.join("answers.yaml");
    std::fs::write(&file, text).expect("write answers");
    let out = labbook_in(data, &["quiz", "--answers", &file.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Marks every manual step done for the demo account.
fn mark_manual_steps(data: &Path) {
    let path = data.join("progress.json");
    let mut p: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("progress")).expect("json");
    let labs = labbook::labs::Labs::load(&Course::embedded());
    for lab in labs.labs() {
        for s in &lab.steps {
            if matches!(s.action, labbook::labs::Action::Manual) {
                p["accounts"]["111111111111"]["steps"][format!("{}/{}", lab.id, s.id)] =
                    serde_json::json!({"marked_done_at": "2026-03-02T10:00:00Z"});
            }
        }
    }
    std::fs::write(&path, serde_json::to_vec(&p).expect("json")).expect("write");
}

/// `labbook review` of the demo snapshot `demo_name` (`halfway`, `finished`)
/// in one format.
fn review(data: &std::path::Path, demo_name: &str, format: &str) -> std::process::Output {
    labbook_in(
        data,
        &[
            "review",
            "--snapshot",
            &demo(&format!("{demo_name}.json")),
            "--format",
            format,
        ],
    )
}

#[test]
fn the_halfway_learner_is_not_ready_in_every_format_and_exits_1() {
    let data = tempfile::tempdir().expect("tempdir");
    for format in ["text", "markdown", "html", "json"] {
        let out = review(data.path(), "halfway", format);
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        assert!(!stdout(&out).is_empty(), "{format}");
    }
    let out = review(data.path(), "halfway", "json");
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(v["schema"], "labbook-review/1");
    assert_eq!(v["ready"], false);
    assert_eq!(v["threshold"]["quiz_percent"], 80);
    assert!(v["totals"]["quiz"].is_null());
    let cloudtrail = entry(&v["sections"], "anchor", "aws-cloudtrail");
    assert_eq!(cloudtrail["state"], "gaps");
    let gap = entry(&cloudtrail["gaps"], "kind", "audit");
    assert_eq!(gap["read"][0]["anchor"], "cloudtrail-best-practices");
    assert_eq!(gap["redo"][0]["lab"], "org-trail");
}

#[test]
fn the_halfway_review_as_markdown() {
    let data = tempfile::tempdir().expect("tempdir");
    take_quiz(
        data.path(),
        &answers(&[
            "least-privilege-blast-radius",
            "patterns-unused-permissions",
            "iam-cross-account-role",
        ]),
    );
    let out = labbook_in(
        data.path(),
        &[
            "review",
            "--snapshot",
            "assets/demo/halfway.json",
            "--format",
            "markdown",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!(without_time(&stdout(&out)));
}

#[test]
fn a_finished_learner_with_a_good_quiz_and_marked_steps_is_ready_and_exits_0() {
    let data = tempfile::tempdir().expect("tempdir");
    take_quiz(data.path(), &answers(&["least-privilege-blast-radius"]));
    mark_manual_steps(data.path());
    let out = review(data.path(), "finished", "text");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    assert!(text.contains("\nReady.\n"), "{text}");
    assert!(text.contains("98% (71/72 right"), "{text}");
}

#[test]
fn a_weak_quiz_section_keeps_a_finished_account_from_being_ready() {
    let data = tempfile::tempdir().expect("tempdir");
    let quizzes = Quizzes::load(&Course::embedded());
    let kms: Vec<&str> = quizzes.quizzes[0]
        .questions
        .iter()
        .filter(|q| q.topic == "aws-key-management-service")
        .map(|q| q.id.as_str())
        .collect();
    take_quiz(data.path(), &answers(&kms));
    mark_manual_steps(data.path());
    let out = review(data.path(), "finished", "json");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let reasons = v["reasons"].to_string();
    assert!(reasons.contains("AWS Key Management Service"), "{reasons}");
    let kms_section = entry(&v["sections"], "anchor", "aws-key-management-service");
    assert_eq!(kms_section["gaps"][0]["kind"], "quiz");
    assert_eq!(kms_section["gaps"][0]["blocking"], true);
}

#[test]
fn out_writes_one_self_contained_html_file() {
    let data = tempfile::tempdir().expect("tempdir");
    let file = data.path().join("review.html");
    let out = labbook_in(
        data.path(),
        &[
            "review",
            "--snapshot",
            &demo("halfway.json"),
            "--format",
            "html",
            "--out",
            &file.display().to_string(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("written to"), "{}", stderr(&out));
    let html = std::fs::read_to_string(&file).expect("written");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("@media print"));
    for outside in ["<script", "<link", "src=", "href=", "url("] {
        assert!(!html.contains(outside), "{outside}");
    }
}

#[test]
fn a_missing_snapshot_is_an_error_with_exit_2() {
    let data = tempfile::tempdir().expect("tempdir");
    let out = labbook_in(data.path(), &["review", "--snapshot", "/no/such.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/no/such.json"), "{}", stderr(&out));
}
