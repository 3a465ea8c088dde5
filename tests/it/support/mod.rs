//! Test support: ONE moto server per test run (started on first use, on a
//! free loopback port, gone when the test process exits) and fresh random
//! AWS accounts inside it, so tests run in parallel without resets.

// Used by the benchmarks (they include this module too).
#[allow(dead_code)]
pub mod measure;
pub mod relay;
pub mod seed;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::{Mutex, OnceLock};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::config::Credentials;

pub const REGION: &str = "eu-central-1";

/// Steps of four different labs that a watch is tried on (the watch test
/// and the live benchmark): one IAM read, a key and its rotation, the
/// organization's tree, and a member account's detectors.
pub const WATCHED_STEPS: [&str; 4] = [
    "root-user/mfa",
    "kms-key/rotation",
    "org/structure",
    "guardduty/detector",
];

pub struct Moto {
    pub endpoint: String,
    // Held for the life of the process: when it exits, the server's stdin
    // closes and the server exits too.
    _child: Mutex<Child>,
    _stdin: Mutex<ChildStdin>,
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The moto server of this test run.
pub fn moto() -> &'static Moto {
    static MOTO: OnceLock<Moto> = OnceLock::new();
    MOTO.get_or_init(|| {
        let python = std::env::var_os("LABBOOK_MOTO_PYTHON")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo().join(".venv/bin/python"));
        assert!(
            python.exists(),
            "moto is not installed ({}); run scripts/test.sh, which creates .venv with moto[server]==5.2.5",
            python.display()
        );
        let mut child = Command::new(&python)
            .arg(repo().join("tests/support/moto_server.py"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("moto prints its port");
        let port: u16 = line.trim().parse().expect("a port number");
        Moto {
            endpoint: format!("http://127.0.0.1:{port}"),
            _child: Mutex::new(child),
            _stdin: Mutex::new(stdin),
        }
    })
}

/// A small runtime for seeding.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// A random 12-digit account id, different in every test.
pub fn random_account_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    format!("{}", 100_000_000_000 + h.finish() % 900_000_000_000)
}

/// Credentials issued by moto for a role in `account_id`: requests made
/// with them land in that account.
#[derive(Clone)]
pub struct Account {
    pub id: String,
    pub conf: SdkConfig,
    pub key: String,
    pub secret: String,
    pub token: String,
}

fn base_conf(creds: Credentials) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .http_client(labbook::collect::session::https_client())
        .region(Region::new(REGION))
        .endpoint_url(&moto().endpoint)
        .credentials_provider(aws_sdk_sts::config::SharedCredentialsProvider::new(creds))
        .build()
}

impl Account {
    /// How the collector reaches this account: moto, one attempt, with
    /// the operations in `refuse` refused before they are sent.
    pub fn reach(&self, refuse: &[&str]) -> labbook::collect::Reach {
        labbook::collect::Reach {
            endpoint_url: Some(moto().endpoint.clone()),
            region: Some(REGION.to_string()),
            credentials: Some(Credentials::new(
                &self.key,
                &self.secret,
                Some(self.token.clone()),
                None,
                "test",
            )),
            max_attempts: 1,
            refuse: refuse.iter().map(|s| s.to_string()).collect(),
            ..labbook::collect::Reach::default()
        }
    }

    /// A fresh account nobody else uses.
    pub fn fresh() -> Account {
        Account::enter(&random_account_id())
    }

    /// [`Account::fresh`] inside async code.
    pub async fn fresh_async() -> Account {
        Account::enter_async(&random_account_id()).await
    }

    /// A session in `id` (any 12 digits; moto creates the account).
    pub fn enter(id: &str) -> Account {
        block_on(Account::enter_async(id))
    }

    pub async fn enter_async(id: &str) -> Account {
        let conf = base_conf(Credentials::new("testing", "testing", None, None, "test"));
        let out = aws_sdk_sts::Client::new(&conf)
            .assume_role()
            .role_arn(format!(
                "arn:aws:iam::{id}:role/OrganizationAccountAccessRole"
            ))
            .role_session_name("labbook-test")
            .send()
            .await
            .expect("assume a role in a fresh account");
        let c = out.credentials().expect("credentials");
        let creds = Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_string()),
            None,
            "test",
        );
        Account {
            id: id.to_string(),
            conf: base_conf(creds),
            key: c.access_key_id().to_string(),
            secret: c.secret_access_key().to_string(),
            token: c.session_token().to_string(),
        }
    }

    /// In another region.
    pub fn conf_in(&self, region: &str) -> SdkConfig {
        self.conf
            .to_builder()
            .region(Region::new(region.to_string()))
            .build()
    }

    /// Sets the root user's state (the test-only moto extension).
    pub fn set_root(&self, mfa: bool, access_keys: bool, password_last_used: Option<&str>) {
        let body = serde_json::json!({
            "account_id": self.id,
            "mfa_enabled": u8::from(mfa),
            "access_keys_present": u8::from(access_keys),
            "password_last_used": password_last_used,
        });
        post_json(
            &format!("{}/_labbook/root-state", moto().endpoint),
            &body.to_string(),
        );
    }

    /// `labbook ARGS` as this account, against moto, retries off.
    pub fn labbook(&self, data: &Path, args: &[&str]) -> Output {
        self.labbook_with_env(data, args, &[])
    }

    /// [`Account::labbook`] with more environment variables.
    pub fn labbook_with_env(&self, data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.command(data, args, env).output().expect("run labbook")
    }

    /// The command [`Account::labbook_with_env`] runs, to start it and
    /// talk to it while it runs.
    pub fn command(&self, data: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
        // A benchmark may time another build of labbook (`LABBOOK_BENCH_BIN`,
        // e.g. one compiled with other profile settings) on the same seeds.
        let bin = std::env::var_os("LABBOOK_BENCH_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_labbook")));
        let mut cmd = Command::new(bin);
        for (k, _) in std::env::vars() {
            if k.starts_with("AWS_") {
                cmd.env_remove(k);
            }
        }
        cmd.env("LABBOOK_DATA_DIR", data)
            .env("HOME", data)
            .env("AWS_CONFIG_FILE", data.join("aws-config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", data.join("aws-credentials"))
            .env("AWS_ACCESS_KEY_ID", &self.key)
            .env("AWS_SECRET_ACCESS_KEY", &self.secret)
            .env("AWS_SESSION_TOKEN", &self.token)
            .env("AWS_REGION", REGION)
            .env("AWS_ENDPOINT_URL", &moto().endpoint)
            .env_remove(labbook::progress::CRASH_ENV)
            .envs(env.iter().copied())
            .args(["--max-attempts", "1"])
            .args(args);
        cmd
    }
}

/// A tiny HTTP/1.1 POST for the test-only route (no client crate needed).
fn post_json(url: &str, body: &str) {
    use std::io::{Read, Write};
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_once('/').expect("url with path");
    let mut s = std::net::TcpStream::connect(host).expect("connect to moto");
    write!(
        s,
        "POST /{path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut answer = String::new();
    s.read_to_string(&mut answer).expect("read");
    assert!(
        answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200"),
        "{answer}"
    );
}

/// One result of `labbook check --format json`.
#[derive(Debug, serde::Deserialize)]
pub struct Result_ {
    pub lab: String,
    pub step: String,
    pub outcome: String,
    pub message: String,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, serde::Deserialize)]
pub struct Evidence {
    pub key: String,
    pub value: String,
}

/// Runs `labbook check --format json TARGETS` and returns `lab/step -> result`.
pub fn check(account: &Account, targets: &[&str]) -> std::collections::BTreeMap<String, Result_> {
    let data = tempfile::tempdir().expect("tempdir");
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(targets);
    let out = account.labbook(data.path(), &args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "labbook check failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    #[derive(serde::Deserialize)]
    struct Report {
        results: Vec<Result_>,
    }
    let report: Report = serde_json::from_str(&stdout).expect("json report");
    report
        .results
        .into_iter()
        .map(|r| (format!("{}/{}", r.lab, r.step), r))
        .collect()
}

/// Asserts a step's outcome and, for fails, a phrase of its message.
#[track_caller]
pub fn expect(
    results: &std::collections::BTreeMap<String, Result_>,
    step: &str,
    outcome: &str,
    phrase: &str,
) {
    let r = results
        .get(step)
        .unwrap_or_else(|| panic!("no result for {step}: {:?}", results.keys()));
    assert_eq!(r.outcome, outcome, "{step}: {}", r.message);
    assert!(
        r.message.contains(phrase),
        "{step}: {:?} lacks {phrase:?}",
        r.message
    );
}
