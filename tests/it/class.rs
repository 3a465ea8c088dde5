//! Instructor mode against moto: a class of learners, each a separate moto
//! account in a different state, one whose role the guard refuses to
//! assume (moto accepts every AssumeRole; the binary's test-only switch
//! refuses it for that account). The instructor is another fresh account.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use aws_sdk_organizations::types::OrganizationFeatureSet;

use crate::support::seed::{self, Learner};
use crate::support::{Account, block_on};

const REFUSE: &str = "LABBOOK_TEST_REFUSE_ASSUME";

fn run(instructor: &Account, data: &Path, args: &[&str], refuse: &str) -> Output {
    instructor.labbook_with_env(data, args, &[(REFUSE, refuse)])
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn roster(dir: &Path, class: &str, learners: &[(&str, &str)]) -> String {
    let mut text = format!(
        "class: {class}\nrole_name: LabbookInstructor\nmember_role: LabbookReadOnly\nexternal_id: course-x\nlearners:\n"
    );
    for (name, account) in learners {
        text.push_str(&format!("  - name: {name}\n    account: \"{account}\"\n"));
    }
    let path = dir.join("roster.yaml");
    std::fs::write(&path, text).expect("roster");
    path.display().to_string()
}

#[derive(serde::Deserialize)]
struct ClassJson {
    class: String,
    learners: Vec<LearnerJson>,
}

#[derive(serde::Deserialize)]
struct LearnerJson {
    name: String,
    account: String,
    error: Option<String>,
    results: Vec<crate::support::Result_>,
}

/// `learner -> lab/step -> outcome`, from any format, to compare formats.
type Grid = BTreeMap<String, BTreeMap<String, String>>;

fn grid_of_json(text: &str) -> (Grid, BTreeMap<String, Option<String>>) {
    let doc: ClassJson = serde_json::from_str(text).expect("class JSON");
    assert_eq!(doc.class, "class-formats");
    let mut grid = Grid::new();
    let mut errors = BTreeMap::new();
    for l in doc.learners {
        assert_eq!(l.account.len(), 12);
        errors.insert(l.name.clone(), l.error);
        grid.insert(
            l.name,
            l.results
                .into_iter()
                .map(|r| (format!("{}/{}", r.lab, r.step), r.outcome))
                .collect(),
        );
    }
    (grid, errors)
}

#[track_caller]
fn outcome<'a>(grid: &'a Grid, learner: &str, step: &str) -> &'a str {
    grid[learner]
        .get(step)
        .unwrap_or_else(|| panic!("{learner} has no {step}"))
}

/// Elements balance, attributes are quoted, entities are known: enough of
/// XML's well-formedness to catch a writer's mistakes.
fn assert_well_formed_xml(text: &str) {
    let body = text
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .expect("XML declaration");
    let mut stack: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        let textual = &rest[..lt];
        assert_entities(textual);
        let gt = rest[lt..].find('>').expect("unclosed tag") + lt;
        let tag = &rest[lt + 1..gt];
        assert!(!tag.contains('<'), "< inside a tag: {tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "mismatched </{name}>");
        } else {
            let self_closing = tag.ends_with('/');
            let inner = tag.trim_end_matches('/');
            let name = inner
                .split_whitespace()
                .next()
                .expect("tag name")
                .to_string();
            let attrs = &inner[name.len()..];
            assert_eq!(
                attrs.matches('"').count() % 2,
                0,
                "unbalanced quotes: {tag}"
            );
            assert_entities(attrs);
            if !self_closing {
                stack.push(name);
            }
        }
        rest = &rest[gt + 1..];
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
}

fn assert_entities(s: &str) {
    for (i, _) in s.match_indices('&') {
        let known = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
            .iter()
            .any(|e| s[i..].starts_with(e));
        assert!(known, "bare & in {s:?}");
    }
}

#[test]
fn a_class_in_every_format_carries_each_learners_outcome_and_the_unreachable_one_has_an_error() {
    let (ada, bob) = block_on(async {
        let ada = seed::finished().await;
        let bob =
            Learner::organization(Account::fresh_async().await, OrganizationFeatureSet::All).await;
        seed::kms_key(&bob.mgmt, false).await;
        (ada, bob)
    });
    let cy = Account::fresh();
    let dan = crate::support::random_account_id();
    let instructor = Account::fresh();
    let data = tempfile::tempdir().expect("tempdir");
    let path = roster(
        data.path(),
        "class-formats",
        &[
            ("ada", &ada.mgmt.id),
            ("bob", &bob.mgmt.id),
            ("cy", &cy.id),
            ("dan", &dan),
        ],
    );

    // Live, JSON to a file.
    let out_file = data.path().join("class.json");
    let out_s = out_file.display().to_string();
    let o = run(
        &instructor,
        data.path(),
        &[
            "class", "check", "--roster", &path, "--format", "json", "--out", &out_s,
        ],
        &dan,
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "a learner could not be read: {}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("dan"), "{}", stderr(&o));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out_file)
            .expect("out")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "--out is readable by the user only");
    }
    let (grid, errors) = grid_of_json(&std::fs::read_to_string(&out_file).expect("read"));
    let names: Vec<&str> = grid.keys().map(String::as_str).collect();
    assert_eq!(names, ["ada", "bob", "cy", "dan"]);
    assert_eq!(outcome(&grid, "ada", "org/exists"), "pass");
    assert_eq!(outcome(&grid, "ada", "kms-key/rotation"), "pass");
    assert_eq!(
        outcome(&grid, "ada", "org-trail/bucket-elsewhere"),
        "pass",
        "member role chained"
    );
    assert_eq!(outcome(&grid, "bob", "org/structure"), "pass");
    assert_eq!(outcome(&grid, "bob", "kms-key/key"), "pass");
    assert_eq!(outcome(&grid, "bob", "kms-key/rotation"), "fail");
    assert_eq!(outcome(&grid, "bob", "scp-regions/policy-type"), "fail");
    assert_eq!(outcome(&grid, "cy", "org/exists"), "fail");
    for name in ["ada", "bob", "cy"] {
        assert_eq!(errors[name], None, "{name} was read");
    }
    let why = errors["dan"].as_deref().expect("dan has an error");
    assert!(
        why.contains("could not assume") && why.contains(&dan),
        "{why}"
    );
    for (step, o) in &grid["dan"] {
        assert!(o == "unknown" || o == "manual", "dan {step}: {o}");
    }
    assert_eq!(outcome(&grid, "dan", "org/exists"), "unknown");
    let raw = std::fs::read_to_string(&out_file).expect("read");
    assert!(!raw.contains(&instructor.secret) && !raw.contains(&instructor.token));

    // Collect once, then grade offline in every format.
    let snaps = data.path().join("snaps");
    let snaps_s = snaps.display().to_string();
    let o = run(
        &instructor,
        data.path(),
        &["class", "collect", "--roster", &path, "--out", &snaps_s],
        &dan,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(snaps.join(format!("{}.json", ada.mgmt.id)).exists());
    assert!(!snaps.join(format!("{dan}.json")).exists());
    let offline = |format: &str| {
        let o = run(
            &instructor,
            data.path(),
            &[
                "class",
                "check",
                "--snapshots",
                &snaps_s,
                "--format",
                format,
                "--no-history",
            ],
            "",
        );
        assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
        stdout(&o)
    };
    let (offline_grid, offline_errors) = grid_of_json(&offline("json"));
    assert_eq!(offline_grid, grid, "offline grading matches the live run");
    assert!(
        offline_errors["dan"]
            .as_deref()
            .is_some_and(|e| e.contains("could not assume"))
    );

    let csv_text = offline("csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().expect("header").clone();
    let col = |n: &str| header.iter().position(|h| h == n).expect(n);
    let mut csv_grid = Grid::new();
    for row in reader.records() {
        let row = row.expect("a CSV row");
        if &row[col("learner")] == "dan" {
            assert!(row[col("error")].contains("could not assume"));
        } else {
            assert_eq!(&row[col("error")], "");
        }
        csv_grid
            .entry(row[col("learner")].to_string())
            .or_default()
            .insert(
                format!("{}/{}", &row[col("lab")], &row[col("step")]),
                row[col("outcome")].to_string(),
            );
    }
    assert_eq!(csv_grid, grid, "CSV: one row per learner and step");

    let junit = offline("junit");
    assert_well_formed_xml(&junit);
    assert_eq!(
        junit.matches("<testsuite ").count(),
        4,
        "one suite per learner"
    );
    assert!(junit.contains(&format!("<testsuite name=\"dan ({dan})\"")));
    assert!(
        junit.contains("<testcase classname=\"bob.kms-key\" name=\"kms-key/rotation\"><failure")
    );
    assert!(junit.contains("<testcase classname=\"ada.kms-key\" name=\"kms-key/rotation\"/>"));
    assert!(junit.contains("<testcase classname=\"dan.org\" name=\"org/exists\"><error"));

    let html = offline("html");
    for external in ["<script", "<link", "src=", "url(", "http://", "https://"] {
        assert!(!html.contains(external), "{external} in the page");
    }
    assert!(
        html.contains("<td class=\"unread\""),
        "dan's row is greyed with the reason"
    );
    assert!(html.contains("title=\"kms-key/rotation: "));
    let rows = html
        .matches("<tr><td class=\"name\"><a href=\"#learner-")
        .count();
    assert_eq!(rows, 4, "one heatmap row per learner");

    let md = offline("markdown");
    assert!(
        md.contains("| dan |") && md.contains("could not be read"),
        "{md}"
    );
    assert!(md.contains("| bob |"), "{md}");
    let text = offline("text");
    assert!(text.contains("3 of 4 learners read"), "{text}");
}

#[test]
fn history_records_two_runs_and_the_diff_shows_what_a_learner_changed_between_them() {
    let (ada, bob) = block_on(async {
        let ada =
            Learner::organization(Account::fresh_async().await, OrganizationFeatureSet::All).await;
        let bob =
            Learner::organization(Account::fresh_async().await, OrganizationFeatureSet::All).await;
        (ada, bob)
    });
    let instructor = Account::fresh();
    let data = tempfile::tempdir().expect("tempdir");
    let path = roster(
        data.path(),
        "class-history",
        &[("ada", &ada.mgmt.id), ("bob", &bob.mgmt.id)],
    );
    let check = || {
        let o = run(
            &instructor,
            data.path(),
            &["class", "check", "--roster", &path, "kms-key", "org"],
            "",
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let first = check();
    assert!(
        first.contains("ada") && first.contains("kms-key/key"),
        "{first}"
    );
    block_on(seed::kms_key(&bob.mgmt, true));
    let second = check();
    assert!(
        second.contains("bob: kms-key/key newly passing"),
        "the report has a changes section: {second}"
    );

    let o = run(
        &instructor,
        data.path(),
        &["class", "diff", "--roster", &path],
        "",
    );
    let diff = stdout(&o);
    assert!(diff.contains("bob: kms-key/key newly passing"), "{diff}");
    assert!(
        diff.contains("bob: kms-key/rotation newly passing"),
        "{diff}"
    );
    assert!(!diff.contains("ada:"), "ada changed nothing: {diff}");

    let o = run(
        &instructor,
        data.path(),
        &["class", "history", "--roster", &path, "--learner", "bob"],
        "",
    );
    let history = stdout(&o);
    let runs: Vec<&str> = history.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(runs.len(), 2, "{history}");
    assert!(runs[0].contains("first kms-key/key"), "{history}");
    assert!(runs[1].contains(" 0 failing"), "{history}");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.path().join("history.sqlite"))
            .expect("history")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let db = std::fs::read(data.path().join("history.sqlite")).expect("db");
    let db = String::from_utf8_lossy(&db);
    assert!(!db.contains(&instructor.secret) && !db.contains(&instructor.key));

    let o = run(
        &instructor,
        data.path(),
        &["class", "forget", "--roster", &path, "--learner", "bob"],
        "",
    );
    assert!(stdout(&o).contains("Forgot learner bob"), "{}", stdout(&o));
    let o = run(
        &instructor,
        data.path(),
        &["class", "history", "--roster", &path],
        "",
    );
    assert!(!stdout(&o).contains("bob"), "{}", stdout(&o));
}

#[test]
fn a_roster_error_names_the_file_line_and_column_and_exits_2() {
    let data = tempfile::tempdir().expect("tempdir");
    let path = data.path().join("roster.yaml");
    std::fs::write(
        &path,
        "learners:\n  - name: ada\n    account: \"111122223333\"\n  - name: ada\n    account: \"444455556666\"\n",
    )
    .expect("roster");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_labbook"))
        .env("LABBOOK_DATA_DIR", data.path())
        .args(["class", "check", "--roster"])
        .arg(&path)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains(&format!(
            "{}:4:5: learner `ada` is listed twice",
            path.display()
        )),
        "{e}"
    );
}

/// The text of `NAME = [ ... ]` in HCL (the list's inside).
fn tf_list<'a>(hcl: &'a str, name: &str) -> Option<&'a str> {
    let after = &hcl[hcl.find(name)? + name.len()..];
    let list = after
        .trim_start()
        .strip_prefix('=')?
        .trim_start()
        .strip_prefix('[')?;
    Some(&list[..list.find(']')?])
}

/// The body of the HCL block opened by `header` (through its matching brace).
fn tf_block<'a>(hcl: &'a str, header: &str) -> Option<&'a str> {
    let start = hcl.find(header)? + header.len();
    let open = hcl[start..].find('{')? + start;
    let mut depth = 0;
    for (i, c) in hcl[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&hcl[open + 1..open + i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// `service:Operation` string literals of a text.
fn actions_in(text: &str) -> Vec<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| labbook::collect::operations::is_action_name(s))
        .map(String::from)
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

fn reads() -> Vec<String> {
    labbook::collect::OPERATIONS
        .iter()
        .filter(|o| **o != "sts:AssumeRole")
        .map(|s| s.to_string())
        .collect()
}

/// The actions of a CloudFormation role's inline policies, and the
/// resources it may assume.
fn cfn_role(role: &serde_norway::Value) -> (Vec<String>, Vec<String>) {
    let mut actions = Vec::new();
    let mut assumable = Vec::new();
    for p in role["Properties"]["Policies"]
        .as_sequence()
        .expect("policies")
    {
        for st in p["PolicyDocument"]["Statement"]
            .as_sequence()
            .expect("statements")
        {
            assert_eq!(st["Effect"].as_str(), Some("Allow"));
            let these: Vec<String> = match &st["Action"] {
                serde_norway::Value::String(a) => vec![a.clone()],
                serde_norway::Value::Sequence(s) => s
                    .iter()
                    .map(|a| a.as_str().expect("action").to_string())
                    .collect(),
                other => panic!("Action {other:?}"),
            };
            if these.contains(&"sts:AssumeRole".to_string()) {
                let r = &st["Resource"];
                let res = r
                    .as_str()
                    .or_else(|| r["Fn::Sub"].as_str())
                    .expect("one resource")
                    .to_string();
                assumable.push(res);
            }
            actions.extend(these);
        }
    }
    (sorted(actions), assumable)
}

#[test]
fn the_instructor_role_templates_grant_exactly_the_operation_list_and_never_the_admin_role() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/instructor-role");
    let cfn: serde_norway::Value = serde_norway::from_str(
        &std::fs::read_to_string(repo.join("cloudformation.yaml")).expect("template"),
    )
    .expect("CloudFormation YAML");
    let (actions, assumable) = cfn_role(&cfn["Resources"]["InstructorRole"]);
    assert_eq!(actions, labbook::collect::OPERATIONS);
    assert_eq!(assumable, ["arn:aws:iam::*:role/${MemberRoleName}"]);
    let trust = &cfn["Resources"]["InstructorRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        [0];
    assert!(trust["Condition"]["StringEquals"]["sts:ExternalId"].is_mapping());

    let stackset = &cfn["Resources"]["MemberRoles"];
    assert_eq!(
        stackset["Type"].as_str(),
        Some("AWS::CloudFormation::StackSet")
    );
    let member: serde_norway::Value = serde_norway::from_str(
        stackset["Properties"]["TemplateBody"]
            .as_str()
            .expect("inline member template"),
    )
    .expect("member template YAML");
    let (member_actions, member_assumable) = cfn_role(&member["Resources"]["MemberRole"]);
    assert_eq!(member_actions, reads());
    assert!(member_assumable.is_empty(), "a member role assumes nothing");

    let tf = std::fs::read_to_string(repo.join("terraform/main.tf")).expect("terraform");
    // The module reads its operations from a file of its own folder.
    assert!(
        tf.contains("read_operations = jsondecode(file(\"${path.module}/read-operations.json\"))")
    );
    let read_operations: Vec<String> = serde_json::from_str(
        &std::fs::read_to_string(repo.join("terraform/read-operations.json"))
            .expect("read-operations.json"),
    )
    .expect("a JSON list of operations");
    assert_eq!(sorted(read_operations.clone()), reads());
    // What the role's policy grants: the `actions` of the "read" document.
    let read_doc = tf_block(&tf, "data \"aws_iam_policy_document\" \"read\"").expect("read");
    let mut granted = Vec::new();
    let mut rest = read_doc;
    while let Some(at) = rest.find("actions") {
        let value = rest[at + "actions".len()..].trim_start();
        let value = value.strip_prefix('=').expect("actions = ...").trim_start();
        if value.starts_with("local.read_operations") {
            granted.extend(read_operations.clone());
        } else {
            granted.extend(actions_in(tf_list(&rest[at..], "actions").expect("a list")));
        }
        rest = &rest[at + 1..];
    }
    assert_eq!(sorted(granted), labbook::collect::OPERATIONS);
    assert!(tf.contains("resources = [\"arn:aws:iam::*:role/${statement.value}\"]"));
    assert!(
        tf.contains("variable = \"sts:ExternalId\""),
        "the trust requires the external id"
    );
    for text in [
        std::fs::read_to_string(repo.join("cloudformation.yaml")).expect("cfn"),
        tf.clone(),
    ] {
        let granting: Vec<&str> = text
            .lines()
            .filter(|l| {
                l.contains("OrganizationAccountAccessRole") && !l.trim_start().starts_with('#')
            })
            .collect();
        assert!(granting.is_empty(), "{granting:?}");
    }
    // Balanced braces: the module at least parses as blocks.
    assert_eq!(tf.matches('{').count(), tf.matches('}').count());
}

/// A snapshot directory of `n` learners (alternately halfway and finished)
/// and a roster naming them; returns the roster's path.
fn snapshot_class(dir: &Path, class: &str, n: usize) -> String {
    let demo = |f: &str| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/demo")
            .join(f)
    };
    let mut learners = Vec::new();
    let mut roster = format!("class: {class}\nlearners:\n");
    for i in 0..n {
        let account = format!("{:012}", 300_000_000_000u64 + i as u64);
        let from = if i % 2 == 0 {
            "halfway.json"
        } else {
            "finished.json"
        };
        std::fs::copy(demo(from), dir.join(format!("{account}.json"))).expect("copy");
        learners.push(serde_json::json!({
            "name": format!("l{i:03}"),
            "account": account,
            "snapshot": format!("{account}.json"),
        }));
        roster.push_str(&format!("  - name: l{i:03}\n    account: \"{account}\"\n"));
    }
    let manifest =
        serde_json::json!({"class": class, "time": "2026-01-01T00:00:00Z", "learners": learners});
    std::fs::write(dir.join("class.json"), manifest.to_string()).expect("manifest");
    let path = dir.join("roster.yaml");
    std::fs::write(&path, roster).expect("roster");
    path.display().to_string()
}

#[test]
fn ctrl_c_stops_a_class_check_cleanly_keeps_what_finished_and_diff_skips_the_partial_run() {
    use std::io::BufRead;
    let data = tempfile::tempdir().expect("tempdir");
    let snaps = data.path().join("snaps");
    std::fs::create_dir_all(&snaps).expect("dir");
    let roster = snapshot_class(&snaps, "class-ctrl-c", 40);
    let snaps = snaps.display().to_string();
    let labbook = |args: &[&str], slow: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_labbook"));
        cmd.env("LABBOOK_DATA_DIR", data.path())
            .env_remove("LABBOOK_TEST_SLOW_LEARNER_MS")
            .args(args);
        if let Some(ms) = slow {
            cmd.env("LABBOOK_TEST_SLOW_LEARNER_MS", ms);
        }
        cmd
    };
    let check = ["class", "check", "--roster", &roster, "--snapshots", &snaps];
    let complete = labbook(&check, None).output().expect("run");
    assert_eq!(complete.status.code(), Some(0), "{}", stderr(&complete));

    // Slow learners, one at a time: interrupt once the second has started
    // (the first has finished, and the handler is long installed).
    let mut child = labbook(&[&check[..], &["--concurrency", "1"]].concat(), Some("800"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let err = std::io::BufReader::new(child.stderr.take().expect("stderr"));
    let mut lines = err.lines();
    let mut seen = String::new();
    for line in lines.by_ref() {
        let line = line.expect("line");
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("reading learner l001") {
            break;
        }
    }
    assert!(seen.contains("reading learner l000"), "{seen}");
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let out = child.wait_with_output().expect("wait");
    let stderr_text = format!("{seen}{}", rest.join("\n"));
    assert_eq!(out.status.code(), Some(130), "{stderr_text}");
    let read: usize = stderr_text
        .split("interrupted: ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no interruption message: {stderr_text}"));
    assert!((2..40).contains(&read), "{stderr_text}");
    assert!(stderr_text.contains("of 40 learners were read; the run is stored as partial"));
    assert!(
        !stderr_text.contains("reading learner l039"),
        "{stderr_text}"
    );
    let report = stdout(&out);
    assert!(report.contains("partial: stopped early"), "{report}");
    assert!(
        report.contains("l000") && report.contains("l001"),
        "{report}"
    );
    assert!(
        !report.contains("l039"),
        "learners not started are not in it: {report}"
    );

    // The history keeps it as partial; the diff compares the complete runs around it.
    let history = labbook(
        &["class", "history", "--roster", &roster, "--learner", "l000"],
        None,
    )
    .output()
    .expect("history");
    let history = stdout(&history);
    assert_eq!(history.matches("(partial run)").count(), 1, "{history}");
    let again = labbook(&check, None).output().expect("run");
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let diff = labbook(&["class", "diff", "--roster", &roster], None)
        .output()
        .expect("diff");
    let diff = stdout(&diff);
    assert!(
        diff.contains("(1 partial run(s) in between skipped)"),
        "{diff}"
    );
    assert!(
        diff.contains("none"),
        "nothing changed between the complete runs: {diff}"
    );
}
