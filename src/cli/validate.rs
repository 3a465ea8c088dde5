//! `labbook validate [--content DIR]`: every problem in the lab files (file,
//! line, column), then the content self-test the embedded course's tests
//! run (every step resolves to a check and a chapter section, ids unique,
//! every step has instructions and a hint, no check passes on an empty
//! account). Exit 2 on any problem.

use std::path::Path;

use crate::course::Course;
use crate::labs::Labs;

pub fn run(content: Option<&Path>) -> anyhow::Result<i32> {
    let course = match Course::load(content) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("labbook validate: {e}");
            return Ok(2);
        }
    };
    for w in &course.warnings {
        eprintln!("warning: {w}");
    }
    let labs = Labs::load(&course);
    let mut problems: Vec<String> = labs.problems().map(ToString::to_string).collect();
    problems.extend(labs.self_test());
    for p in &problems {
        println!("{p}");
    }
    let runnable = labs.labs().count();
    println!(
        "{} lab file(s), {runnable} runnable, {} step(s), {} problem(s)",
        labs.entries.len(),
        labs.step_count(),
        problems.len()
    );
    Ok(if problems.is_empty() { 0 } else { 2 })
}
