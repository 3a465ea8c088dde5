//! Rebuild when the embedded course changes: `include_dir!` cannot tell
//! cargo which files it read, so a changed lab, chapter or quiz would
//! otherwise leave a stale copy in the binary.

fn main() {
    println!("cargo:rerun-if-changed=../../content");
    println!("cargo:rerun-if-changed=../../labs");
    println!("cargo:rerun-if-changed=../../quizzes");
    println!("cargo:rerun-if-changed=build.rs");
}
