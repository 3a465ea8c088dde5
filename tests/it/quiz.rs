//! `labbook quiz` as a learner runs it: a prepared answer file is scored
//! per chapter section (multiple choice right only when exactly right,
//! partial reported as partial), its score kept for `labbook review`, and
//! a broken file or an unknown question refused with its location and exit 2.

use std::path::Path;
use std::process::Output;

use crate::cli::{labbook_in, stderr, stdout};
use crate::results::entry;

/// Writes an answer file into `dir` and scores it.
fn score(dir: &Path, name: &str, text: &str, format: &str) -> Output {
    let file = dir.join(name);
    std::fs::write(&file, text).expect("write answers");
    labbook_in(
        dir,
        &[
            "quiz",
            "--answers",
            &file.display().to_string(),
            "--format",
            format,
        ],
    )
}

const ANSWERS: &str = "\
chapter: 03-identity-access-security
answers:
  least-privilege-lambda-table: b          # single, right
  least-privilege-blast-radius: a          # single, wrong
  least-privilege-nothing-missing: false   # true/false, right
  shared-responsibility-your-side: [a]     # multiple, partial
  patterns-separate-environments: [b, a]   # multiple, right in any order
  patterns-unused-permissions: []          # skipped
";

#[test]
fn an_answer_file_is_scored_per_section_with_partial_reported_and_exit_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = score(dir.path(), "answers.yaml", ANSWERS, "json");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json score");
    assert_eq!(v["chapter"], "03-identity-access-security");
    assert_eq!(v["right"], 3);
    assert_eq!(v["partial"], 1);
    assert_eq!(v["answered"], 5);
    let total = v["total"].as_u64().expect("total");
    assert!(total >= 40, "{total}");
    let outcome = |id: &str| entry(&v["questions"], "id", id)["outcome"].clone();
    assert_eq!(outcome("least-privilege-lambda-table"), "right");
    assert_eq!(outcome("least-privilege-blast-radius"), "wrong");
    assert_eq!(outcome("shared-responsibility-your-side"), "partial");
    assert_eq!(outcome("patterns-separate-environments"), "right");
    assert_eq!(outcome("patterns-unused-permissions"), "unanswered");
    let patterns = entry(
        &v["sections"],
        "anchor",
        "security-patterns-worth-following",
    );
    assert_eq!(patterns["right"], 1);
}

#[test]
fn text_output_names_each_missed_question_and_the_section_to_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = score(dir.path(), "answers.yaml", ANSWERS, "text");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Score: 3/"), "{text}");
    assert!(text.contains("1 partially right"), "{text}");
    assert!(
        text.contains("shared-responsibility-your-side: partially right (missed c)"),
        "{text}"
    );
    assert!(
        text.contains("least-privilege-blast-radius: wrong: chose a, the answer is b"),
        "{text}"
    );
    assert!(text.contains("read: #why-it-matters"), "{text}");
    assert!(text.contains("The principle of least privilege"), "{text}");
}

#[test]
fn a_json_answer_file_scores_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = r#"{"answers": {"least-privilege-lambda-table": "b", "least-privilege-nothing-missing": false}}"#;
    let out = score(dir.path(), "answers.json", json, "json");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(v["right"], 2);
}

#[test]
fn an_unknown_question_id_is_located_with_a_suggestion_and_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "answers:\n  least-privilege-lambda-table: b\n  least-privilege-lamda-table: b\n";
    let out = score(dir.path(), "answers.yaml", text, "text");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("answers.yaml:3:3: unknown question id `least-privilege-lamda-table`; did you mean `least-privilege-lambda-table`?"),
        "{err}"
    );
    assert!(
        stdout(&out).is_empty(),
        "no score printed: {}",
        stdout(&out)
    );
    assert!(
        !dir.path().join("progress.json").exists(),
        "nothing recorded for a refused file"
    );
}

#[test]
fn a_malformed_answer_file_gives_file_line_column_and_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = score(
        dir.path(),
        "answers.yaml",
        "answers:\n  least-privilege-lambda-table: [a, b\n",
        "json",
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("answers.yaml:"), "{err}");
    let located = err.split("answers.yaml:").nth(1).and_then(|rest| {
        rest.split(':')
            .take(2)
            .map(|n| n.parse::<usize>().ok())
            .collect::<Option<Vec<_>>>()
    });
    assert!(located.is_some(), "line and column: {err}");

    let out = score(dir.path(), "typo.yaml", "answer:\n  x: b\n", "text");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("typo.yaml:1:1"), "{}", stderr(&out));

    let missing = labbook_in(dir.path(), &["quiz", "--answers", "/no/such/file.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read the answer file"));
}

#[test]
fn an_option_that_does_not_exist_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = score(
        dir.path(),
        "answers.yaml",
        "answers:\n  least-privilege-lambda-table: z\n",
        "text",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`z` is not an option of question `least-privilege-lambda-table`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_score_is_kept_with_progress_for_the_review() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = score(dir.path(), "answers.yaml", ANSWERS, "text");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let progress: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("progress.json")).expect("progress written"),
    )
    .expect("json");
    assert_eq!(progress["format_version"], 2);
    let quiz = &progress["quizzes"]["03-identity-access-security"];
    assert_eq!(quiz["last"]["right"], 3);
    assert_eq!(quiz["last"]["mode"], "answers");
    assert_eq!(
        quiz["leitner"]["cards"]["least-privilege-blast-radius"]["box"],
        1
    );
    assert_eq!(
        quiz["leitner"]["cards"]["least-privilege-lambda-table"]["box"],
        2
    );
    assert!(
        quiz["leitner"]["cards"]["patterns-unused-permissions"].is_null(),
        "a skipped question gets no box"
    );
}

#[test]
fn the_listing_has_ids_sections_kinds_and_options_but_no_answers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = labbook_in(dir.path(), &["quiz", "--list", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert!(v["questions"].as_array().expect("questions").len() >= 40);
    let q = entry(&v["questions"], "id", "shared-responsibility-your-side");
    assert_eq!(q["kind"], "multiple");
    assert_eq!(q["section"], "what-this-chapter-covers");
    assert_eq!(q["options"].as_array().map(Vec::len), Some(4));
    assert!(
        q.get("answer").is_none() && q.get("explanation").is_none(),
        "{q}"
    );
    for secret in ["\"answer\"", "\"explanation\""] {
        assert!(!text.contains(secret), "the listing leaks {secret}");
    }
}

#[test]
fn validate_reports_a_broken_quiz_file_with_its_location() {
    let data = tempfile::tempdir().expect("tempdir");
    let course = tempfile::tempdir().expect("course");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["content", "labs", "quizzes"] {
        std::fs::create_dir_all(course.path().join(sub)).expect("dir");
        for e in std::fs::read_dir(root.join(sub)).expect("ls") {
            let p = e.expect("entry").path();
            if p.is_file() {
                std::fs::copy(
                    &p,
                    course.path().join(sub).join(p.file_name().expect("name")),
                )
                .expect("copy");
            }
        }
    }
    let dir = course.path().display().to_string();
    let ok = labbook_in(data.path(), &["validate", "--content", &dir]);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    std::fs::write(
        course.path().join("quizzes/99-broken.yaml"),
        "chapter: 03-identity-access-security\ntitle: Broken\nquestions:\n  - id: broken-one\n    section: iamm\n    kind: single\n    prompt: Which?\n    options:\n      a: A\n      b: B\n    answer: c\n    explanation: Because.\n",
    )
    .expect("write");
    let out = labbook_in(data.path(), &["validate", "--content", &dir]);
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(
        text.contains(
            "99-broken.yaml:5:5: section `iamm` of question `broken-one` is not a heading anchor"
        ),
        "{text}"
    );
    assert!(text.contains("99-broken.yaml:11:"), "{text}");
}
