//! Watching a step: the cycles against moto through the runner's worker (a
//! step fixed while watched passes at the next cycle, which sends only its
//! own requests, on the session kept from the first), member credentials
//! renewed before they expire, and `labbook check --watch`'s exit statuses.
//! Cycles are driven, or paced by the hidden test interval; nothing here
//! asserts how long anything took.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use aws_sdk_organizations::types::OrganizationFeatureSet;
use labbook::checks::Status;
use labbook::collect::{Connection, Reach, Scope};
use labbook::facts::FactGroup;
use labbook::runner::{self, LiveSession, RunEvent, Worker};
use labbook::watch::{Cycle, Settings, Watch};

use crate::support::seed::Learner;
use crate::support::{Account, block_on};

/// One watch cycle through the worker: the outcomes and the requests it sent.
fn cycle(worker: &Worker, jobs: &[runner::Job]) -> (Cycle, Option<u32>) {
    let mut c = Cycle::default();
    let mut requests = None;
    for ev in worker.watch(jobs.to_vec()) {
        match ev {
            RunEvent::Collected { requests: r, .. } => requests = r,
            RunEvent::StepFinished { lab, step, outcome } => {
                c.outcomes.push((format!("{lab}/{step}"), outcome))
            }
            _ => {}
        }
    }
    (c, requests)
}

#[test]
fn a_step_fixed_while_watched_passes_at_the_next_cycle_on_the_same_session() {
    let a = Account::fresh();
    a.set_root(false, false, None);
    let labs = labbook::labs::Labs::load(&labbook::course::Course::embedded());
    let jobs = runner::select(&labs, &["root-user/mfa".to_string()]).expect("step");
    let worker = Worker::start(Box::new(LiveSession::new(a.reach(&[]))));
    let t0 = Instant::now();
    let mut watch = Watch::new(Settings::default(), t0, ["root-user/mfa".to_string()]);

    let (first, connecting) = cycle(&worker, &jobs);
    let seen = watch.observe(t0, first);
    assert_eq!(
        seen.changes[0].after.status,
        Status::Fail,
        "{:?}",
        seen.changes
    );
    assert!(seen.changes[0].after.message.contains("has no MFA"));
    assert!(!seen.all_pass);

    // The learner turns MFA on in the console.
    a.set_root(true, false, None);
    assert!(watch.due(t0 + Settings::default().interval));
    let (second, requests) = cycle(&worker, &jobs);
    let seen = watch.observe(t0 + Settings::default().interval, second);
    assert_eq!(seen.turned_green(), ["root-user/mfa"]);
    assert!(seen.all_pass);
    assert_eq!(seen.changes[0].headline(), "root-user/mfa: fail → pass");

    // The session was kept: the second cycle did not connect again.
    let (connecting, requests) = (connecting.expect("counted"), requests.expect("counted"));
    assert!(
        requests < connecting && requests > 0,
        "first cycle {connecting} requests (connecting), next {requests}"
    );
}

#[test]
fn a_watch_cycle_sends_only_the_requests_its_step_reads_and_judges_it_as_a_full_check_does() {
    let l = block_on(crate::support::seed::finished());
    let labs = labbook::labs::Labs::load(&labbook::course::Course::embedded());
    for step in crate::support::WATCHED_STEPS {
        let jobs = runner::select(&labs, &[step.to_string()]).expect("step");
        let labbook::labs::Action::Check { check, params } = &jobs[0].action else {
            panic!("{step} is automated");
        };
        let reads: std::collections::BTreeSet<&str> = check.meta.operations().collect();
        let c = Connection::new(l.mgmt.reach(&[])).expect("runtime");
        let (full, all) = c.collect(&runner::plan(&jobs)).expect("a full check");
        let (watched, sent) = c
            .collect(&runner::plan_watch(&jobs))
            .expect("a watch cycle");
        let strays: Vec<&String> = sent
            .requests
            .keys()
            .filter(|op| !reads.contains(op.as_str()) && !op.starts_with("sts:"))
            .collect();
        assert!(strays.is_empty(), "{step} sent {strays:?} it does not read");
        assert!(
            sent.total() <= all.total(),
            "{step}: {} requests watched, {} in a full check",
            sent.total(),
            all.total()
        );
        let (a, b) = (check.run(&full, params), check.run(&watched, params));
        assert_eq!(a.status, Status::Pass, "{step}: {}", a.message);
        assert_eq!((b.status, &b.message), (a.status, &a.message), "{step}");
    }
}

#[test]
fn member_credentials_are_kept_between_cycles_and_renewed_near_their_expiry() {
    let l = block_on(Learner::organization(
        Account::fresh(),
        OrganizationFeatureSet::All,
    ));
    let scope = Scope::of([FactGroup::GuardDuty]);
    let assumes = |r: Reach| -> Vec<u32> {
        let c = Connection::new(r).expect("runtime");
        (0..3)
            .map(|_| {
                let (facts, stats) = c.collect(&scope).expect("collect");
                assert!(facts.guardduty.ok().is_some(), "{:?}", facts.guardduty);
                stats.requests.get("sts:AssumeRole").copied().unwrap_or(0)
            })
            .collect()
    };
    // Assumed once for 15 minutes, then reused.
    assert_eq!(assumes(l.mgmt.reach(&[])), [1, 0, 0]);
    // Credentials inside the renewal margin are assumed again each time.
    let always = Reach {
        refresh_before: Duration::from_secs(3600),
        ..l.mgmt.reach(&[])
    };
    assert_eq!(assumes(always), [1, 1, 1]);
}

/// `labbook ARGS` with a fresh data directory and the test watch pace.
fn labbook(args: &[&str], env: &[(&str, &str)]) -> (Command, tempfile::TempDir) {
    let data = tempfile::tempdir().expect("data dir");
    let mut cmd = crate::cli::labbook();
    cmd.env("LABBOOK_DATA_DIR", data.path())
        .env("HOME", data.path())
        .env("LABBOOK_TEST_WATCH_INTERVAL_MS", "100")
        .envs(env.iter().copied())
        .args(args);
    (cmd, data)
}

/// `check scp-regions/attached --watch` on the halfway demo, which fails it.
fn watch_attached_halfway(env: &[(&str, &str)]) -> (Command, tempfile::TempDir) {
    labbook(
        &[
            "check",
            "scp-regions/attached",
            "--watch",
            "--snapshot",
            &snapshot("halfway.json"),
        ],
        env,
    )
}

fn snapshot(name: &str) -> String {
    format!("{}/assets/demo/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The child's stdout, line by line, on a channel.
fn lines_of(child: &mut Child) -> Receiver<String> {
    let out = child.stdout.take().expect("piped stdout");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Waits for a line containing `what`; panics with what came if none does.
fn wait_line(rx: &Receiver<String>, what: &str) -> String {
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            if line.contains(what) {
                return line;
            }
            seen.push(line);
        }
    }
    panic!("no line with {what:?}; got {seen:#?}");
}

fn wait_exit(child: &mut Child) -> Option<i32> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.code();
        }
        assert!(Instant::now() < deadline, "labbook did not exit");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn watch_exits_0_when_the_step_passes_and_when_every_automated_step_of_a_lab_does() {
    for target in ["root-user/mfa", "iam-cost-explorer"] {
        let (mut cmd, _data) = labbook(
            &[
                "check",
                target,
                "--watch",
                "--snapshot",
                &snapshot("finished.json"),
            ],
            &[],
        );
        let out = cmd.output().expect("run");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{target}: {stdout}");
        assert!(stdout.contains(&format!("{target} passes.")), "{stdout}");
        assert!(stdout.contains("✔"), "{stdout}");
    }
}

#[test]
fn a_manual_step_cannot_be_watched_and_exits_2_at_once() {
    let (mut cmd, _data) = labbook(
        &[
            "check",
            "root-user/email-alias",
            "--watch",
            "--snapshot",
            &snapshot("finished.json"),
        ],
        &[],
    );
    let out = cmd.output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot be watched"), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing was watched");
}

#[test]
fn a_watch_with_no_change_for_the_quiet_limit_exits_1_saying_so() {
    let (mut cmd, _data) = watch_attached_halfway(&[("LABBOOK_TEST_WATCH_QUIET_MS", "500")]);
    let out = cmd.output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("✘ scp-regions/attached: fail — "),
        "{stdout}"
    );
    assert_eq!(
        stdout.matches("scp-regions/attached: fail").count(),
        1,
        "one line per change, not per check:\n{stdout}"
    );
    assert!(
        stdout.contains("Stopped watching scp-regions/attached: nothing changed"),
        "{stdout}"
    );
}

#[test]
fn ctrl_c_stops_a_watch_with_exit_130() {
    let (mut cmd, _data) = watch_attached_halfway(&[]);
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let lines = lines_of(&mut child);
    wait_line(&lines, "scp-regions/attached: fail");
    // SAFETY: signalling our own child by its pid.
    let pid = i32::try_from(child.id()).expect("pid");
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    assert_eq!(wait_exit(&mut child), Some(130));
}

#[test]
fn the_cli_watch_reports_a_fix_made_in_the_account_and_exits_0() {
    let a = Account::fresh();
    a.set_root(false, false, None);
    let data = tempfile::tempdir().expect("data dir");
    let mut child = a
        .command(
            data.path(),
            &["check", "root-user/mfa", "--watch"],
            &[("LABBOOK_TEST_WATCH_INTERVAL_MS", "200")],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let lines = lines_of(&mut child);
    let failed = wait_line(&lines, "root-user/mfa: fail");
    assert!(failed.contains("has no MFA"), "{failed}");
    a.set_root(true, false, None);
    wait_line(&lines, "root-user/mfa: fail → pass");
    wait_line(&lines, "root-user/mfa passes.");
    assert_eq!(wait_exit(&mut child), Some(0));
    let progress = std::fs::read_to_string(data.path().join("progress.json")).expect("recorded");
    assert!(progress.contains("root-user/mfa"), "{progress}");
}
