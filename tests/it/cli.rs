//! The built binary, run as a user runs it.

use std::process::Command;

pub fn labbook() -> Command {
    Command::new(env!("CARGO_BIN_EXE_labbook"))
}

#[test]
fn help_lists_the_subcommands() {
    let out = labbook().arg("--help").output().expect("run labbook");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("read"), "{text}");
}
