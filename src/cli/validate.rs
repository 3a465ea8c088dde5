//! `labbook validate [--content DIR]`: every problem in the lab files (file,
//! line, column), then the content self-test the embedded course's tests
//! run (every step resolves to a check and a chapter section, ids unique,
//! every step has instructions and a hint, no check passes on an empty
//! account), then every problem in the quiz files (file, line, column; a
//! question whose section is not a heading of its chapter, an answer that
//! is not an option, ...). Exit 2 on any problem.

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
    let quiz_files = match super::quiz::files(content) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("labbook validate: {e:#}");
            return Ok(2);
        }
    };
    let quizzes = crate::quiz::Quizzes::from_sources(&quiz_files, &course.chapters);
    problems.extend(quizzes.problems.iter().map(ToString::to_string));
    for p in &problems {
        println!("{p}");
    }
    let runnable = labs.labs().count();
    let questions: usize = quizzes.quizzes.iter().map(|q| q.questions.len()).sum();
    println!(
        "{} lab file(s), {runnable} runnable, {} step(s), {} quiz file(s) with {questions} question(s), {} problem(s)",
        labs.entries.len(),
        labs.step_count(),
        quiz_files.len(),
        problems.len()
    );
    Ok(if problems.is_empty() { 0 } else { 2 })
}
