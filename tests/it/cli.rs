//! The built binary, run as a user runs it.

use std::path::Path;
use std::process::{Command, Output};

pub fn labbook() -> Command {
    Command::new(env!("CARGO_BIN_EXE_labbook"))
}

/// The binary run with `args`, its data directory `data`.
pub fn labbook_in(data: &Path, args: &[&str]) -> Output {
    labbook()
        .env("LABBOOK_DATA_DIR", data)
        .args(args)
        .output()
        .expect("run labbook")
}

/// What a run wrote to standard output, as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What a run wrote to standard error, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn help_lists_the_subcommands() {
    let out = labbook().arg("--help").output().expect("run labbook");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("read"), "{text}");
}

#[test]
fn completions_are_generated_for_bash_zsh_and_fish_from_the_argument_types() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef labbook"),
        ("fish", "complete -c labbook"),
    ] {
        let out = labbook()
            .args(["completions", shell])
            .output()
            .expect("run labbook");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(marker), "{shell}: {text}");
        // Every subcommand is completed, the ones added later included.
        for sub in [
            "check", "collect", "labs", "validate", "read", "policy", "class", "quiz", "review",
        ] {
            assert!(text.contains(sub), "{shell} lacks {sub}");
        }
    }
}

#[test]
fn text_output_shows_a_passing_steps_note() {
    let data = tempfile::tempdir().expect("dir");
    let out = labbook()
        .env("LABBOOK_DATA_DIR", data.path())
        .args([
            "check",
            "iam-cost-explorer/policy",
            "--snapshot",
            concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/finished.json"),
        ])
        .output()
        .expect("run labbook");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("note: Cost Explorer's API is served from us-east-1"),
        "{text}"
    );
}
