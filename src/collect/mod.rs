//! Live collection: reads an AWS account through the official SDK and fills
//! [`Facts`]. The only module that imports `aws_sdk_*`.
//!
//! Owns credentials and reach (the standard `aws-config` chain, `--profile`,
//! `--region`, `--endpoint-url`, roles assumed into member accounts), the
//! list of operations labbook may call ([`operations::OPERATIONS`], enforced
//! by an interceptor on every client), bounded concurrency, retries and
//! timeouts, and the translation of SDK answers into plain facts. Must not
//! depend on checks, the runner's UI consumers, or anything that writes to
//! AWS: only read operations, and secrets (Cognito client secrets, keys,
//! tokens) are never copied into facts, logs or messages.
//!
//! A denied or unsupported call makes the fact groups that needed it
//! [`Unavailable`] with the missing permission; the rest still arrives.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::pin::Pin;

use crate::facts::{
    AuditManager, CloudTrail, Cognito, Collected, Detective, FactGroup, Facts, GuardDuty, Iam,
    IdentityCenter, Kms, Macie, SecurityHub,
};

mod call;
pub mod operations;
mod org;
mod security;
mod services;
pub mod session;
mod sso;

pub use operations::{OPERATIONS, Recorder};

/// Errors that stop a live collection altogether (everything else becomes
/// an unavailable fact group).
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// No usable credentials: the message is one sentence with the fix.
    #[error("{message}")]
    Credentials { message: String },
    #[error(
        "Cannot reach {endpoint} ({detail}); check the network, the region, or --endpoint-url."
    )]
    Unreachable { endpoint: String, detail: String },
    #[error("{service}:{operation} failed: {detail}")]
    Call {
        service: &'static str,
        operation: &'static str,
        detail: String,
    },
    /// The role of a learner's account could not be assumed (instructor
    /// mode): that learner only; the instructor's credentials are untouched.
    #[error("could not assume {role_arn}: {detail}")]
    Assume { role_arn: String, detail: String },
    #[error("cannot start the network runtime: {0}")]
    Runtime(#[from] std::io::Error),
}

/// How to reach AWS: credentials, endpoint, the member role, retries and
/// concurrency. Nothing here says what to read.
#[derive(Debug, Clone)]
pub struct Reach {
    /// A profile from `~/.aws/config` (SSO, assume-role, static...).
    pub profile: Option<String>,
    pub region: Option<String>,
    /// An emulator or a private endpoint; `AWS_ENDPOINT_URL` also works.
    pub endpoint_url: Option<String>,
    /// The role assumed in member accounts.
    pub member_role: String,
    /// Attempts per call (1 = no retries).
    pub max_attempts: u32,
    /// Calls in flight at once.
    pub concurrency: usize,
    /// Credentials to use instead of the chain (embedding, tests); their
    /// `Debug` is redacted.
    pub credentials: Option<aws_credential_types::Credentials>,
    /// Operations the guard refuses as if access were denied. Test-only:
    /// no flag sets it; the denial tests use it to refuse one operation at
    /// a time.
    #[doc(hidden)]
    pub refuse: Vec<String>,
    /// A role to assume first, from the credentials above, and read as
    /// (instructor mode: the learner's management account). Every session
    /// of the run, member accounts included, starts from it.
    pub assume: Option<Assume>,
    /// Assumed credentials are assumed again when they have less than
    /// this left ([`session::REFRESH_BEFORE`]). Test-only: no flag sets
    /// it; the refresh test makes every run renew.
    #[doc(hidden)]
    pub refresh_before: std::time::Duration,
}

/// A role assumed before reading (see [`Reach::assume`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assume {
    pub role_arn: String,
    /// Required by the role's trust policy, when it has one.
    pub external_id: Option<String>,
    /// Shows in the learner's CloudTrail: who looked.
    pub session_name: String,
}

impl Default for Reach {
    fn default() -> Reach {
        Reach {
            profile: None,
            region: None,
            endpoint_url: None,
            member_role: "OrganizationAccountAccessRole".to_string(),
            max_attempts: 4,
            // A whole-chapter check sends about 90 requests; 12 in flight
            // made the bound, not the dependencies, its critical path
            // (measured through a 100 ms relay: 10.3 round trips).
            concurrency: 32,
            credentials: None,
            refuse: Vec::new(),
            assume: None,
            refresh_before: session::REFRESH_BEFORE,
        }
    }
}

/// What to read and where: the fact groups, and the accounts and regions
/// the selected steps point at (planned by [`crate::runner::plan`]).
#[derive(Debug, Clone)]
pub struct Scope {
    /// The fact groups to collect, and nothing else.
    pub groups: BTreeSet<FactGroup>,
    /// Regions that need GuardDuty detectors.
    pub regions: Vec<String>,
    /// The region each regional service is read in (Identity Center,
    /// Cognito, KMS, Security Hub, Macie, Detective, Audit Manager): the
    /// labs' `region` parameter, never the caller's profile region.
    pub service_regions: BTreeMap<FactGroup, String>,
    /// Name of the account running the security services.
    pub security_account: String,
    /// Name of the account holding the trail bucket.
    pub log_archive_account: String,
    /// Only these operations are sent (a watch cycle: its steps' own
    /// reads); the rest of each group is left unread, without a request.
    /// `None` reads every operation of the groups. The session's own
    /// `sts:` calls (who the caller is, roles assumed) are never held back.
    pub operations: Option<BTreeSet<String>>,
}

impl Default for Scope {
    fn default() -> Scope {
        Scope {
            groups: BTreeSet::new(),
            regions: vec!["eu-central-1".to_string(), "eu-central-2".to_string()],
            service_regions: BTreeMap::new(),
            security_account: "security".to_string(),
            log_archive_account: "log-archive".to_string(),
            operations: None,
        }
    }
}

/// The region a regional service is read in when no step names one.
pub const LAB_REGION: &str = "eu-central-1";

impl Scope {
    /// The region `group` is read in.
    pub fn region_of(&self, group: FactGroup) -> &str {
        self.service_regions
            .get(&group)
            .map(String::as_str)
            .unwrap_or(LAB_REGION)
    }

    /// The default places, reading `groups`.
    pub fn of(groups: impl IntoIterator<Item = FactGroup>) -> Scope {
        Scope {
            groups: groups.into_iter().collect(),
            ..Scope::default()
        }
    }
}

/// What a run sent: requests per action (retries included).
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub requests: std::collections::BTreeMap<String, u32>,
    /// Requests identical to one sent before (retries included).
    pub repeated: u32,
    /// Operations AWS still throttled after the retries.
    pub throttled: u32,
}

impl Stats {
    /// One line: requests, repeats and the process's peak memory.
    pub fn summary(&self) -> String {
        let total: u32 = self.requests.values().sum();
        let rss = peak_rss_kib()
            .map(|k| format!(", peak RSS {:.1} MB", k as f64 / 1024.0))
            .unwrap_or_default();
        format!("{total} AWS requests, {} repeated{rss}", self.repeated)
    }
}

/// The process's peak resident set size (Linux), in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Collects the fact groups of `scope` (and nothing else) on a small
/// single-threaded runtime; returns the facts and what was sent.
pub fn collect_blocking(reach: &Reach, scope: &Scope) -> Result<(Facts, Stats), CollectError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let recorder = Recorder::default();
    let facts = rt.block_on(collect(reach, scope, recorder.clone()))?;
    let stats = Stats::of(&recorder, &facts);
    Ok((facts, stats))
}

impl Stats {
    fn of(recorder: &Recorder, facts: &Facts) -> Stats {
        Stats {
            requests: recorder.requests(),
            repeated: recorder.repeated(),
            throttled: facts
                .unread
                .values()
                .filter(|u| u.reason == call::THROTTLED_REASON)
                .count() as u32,
        }
    }

    /// All requests sent.
    pub fn total(&self) -> u32 {
        self.requests.values().sum()
    }
}

/// A live connection kept between collections (a watch, or the TUI's
/// checks): one runtime and one [`session::Session`], connected on first
/// use and again after it failed, its assumed roles renewed before they
/// expire. Blocking: it lives on the runner's worker thread.
pub struct Connection {
    rt: tokio::runtime::Runtime,
    reach: Reach,
    session: std::sync::Mutex<Option<std::sync::Arc<session::Session>>>,
    extra: Vec<aws_smithy_runtime_api::client::interceptors::SharedInterceptor>,
}

impl Connection {
    /// A connection that will reach AWS as `reach` says (nothing is sent yet).
    pub fn new(reach: Reach) -> Result<Connection, CollectError> {
        Connection::with(reach, Vec::new())
    }

    /// [`Connection::new`] with more interceptors on every client (tests).
    pub fn with(
        reach: Reach,
        extra: Vec<aws_smithy_runtime_api::client::interceptors::SharedInterceptor>,
    ) -> Result<Connection, CollectError> {
        Ok(Connection {
            rt: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?,
            reach,
            session: std::sync::Mutex::new(None),
            extra,
        })
    }

    /// Collects `scope` through the kept session (connecting first if there
    /// is none); what the collection sent, connecting included.
    pub fn collect(&self, scope: &Scope) -> Result<(Facts, Stats), CollectError> {
        let recorder = Recorder::default();
        let kept = self.session.lock().ok().and_then(|s| s.clone());
        let result = self.rt.block_on(async {
            let session = match kept {
                Some(s) => s,
                None => std::sync::Arc::new(
                    session::open(&self.reach, recorder.clone(), self.extra.clone()).await?,
                ),
            };
            let ctx = session.ctx(scope, recorder.clone()).await?;
            Ok::<_, CollectError>((session, gather(ctx).await))
        });
        match result {
            Ok((session, facts)) => {
                if let Ok(mut s) = self.session.lock() {
                    *s = Some(session);
                }
                let stats = Stats::of(&recorder, &facts);
                Ok((facts, stats))
            }
            Err(e) => {
                // Connect again next time: the credentials or the network
                // may be back.
                if let Ok(mut s) = self.session.lock() {
                    *s = None;
                }
                Err(e)
            }
        }
    }
}

type Piece<'a> = Pin<Box<dyn Future<Output = Part> + 'a>>;

enum Part {
    Organization,
    Iam(Collected<Iam>),
    IdentityCenter(Collected<IdentityCenter>),
    Cognito(Collected<Cognito>),
    CloudTrail(Collected<CloudTrail>),
    Kms(Collected<Kms>),
    GuardDuty(Collected<GuardDuty>),
    SecurityHub(Collected<SecurityHub>),
    Macie(Collected<Macie>),
    Detective(Collected<Detective>),
    AuditManager(Collected<AuditManager>),
}

/// Collects the fact groups of `scope`, recording requests in `recorder`.
pub async fn collect(
    reach: &Reach,
    scope: &Scope,
    recorder: Recorder,
) -> Result<Facts, CollectError> {
    collect_with(reach, scope, recorder, Vec::new()).await
}

/// [`collect`] with more interceptors on every client: tests use the SDK's
/// mock responses for what the emulator cannot answer.
pub async fn collect_with(
    reach: &Reach,
    scope: &Scope,
    recorder: Recorder,
    extra: Vec<aws_smithy_runtime_api::client::interceptors::SharedInterceptor>,
) -> Result<Facts, CollectError> {
    let ctx = session::connect(reach, scope, recorder, extra).await?;
    Ok(gather(ctx).await)
}

/// Reads the fact groups of the context's scope.
async fn gather(ctx: session::Ctx) -> Facts {
    let needs = &ctx.scope.groups;
    let mut facts = Facts {
        format_version: Facts::VERSION,
        account_id: ctx.caller_account.clone(),
        collected_at: Some(crate::clock::now_rfc3339()),
        ..Facts::default()
    };
    let mut pieces: Vec<Piece<'_>> = Vec::new();
    let c = &ctx;
    // One future per group, each collecting into its part of the facts.
    macro_rules! piece {
        ($part:ident, $collect:path) => {
            pieces.push(Box::pin(async move { Part::$part($collect(c).await) }))
        };
    }
    for group in needs {
        match group {
            // Collected once, on demand, and shared; added below.
            FactGroup::Organization => {}
            FactGroup::Iam => piece!(Iam, services::iam),
            FactGroup::IdentityCenter => piece!(IdentityCenter, sso::collect),
            FactGroup::Cognito => piece!(Cognito, services::cognito),
            FactGroup::CloudTrail => piece!(CloudTrail, services::cloudtrail),
            FactGroup::Kms => piece!(Kms, services::kms),
            FactGroup::GuardDuty => piece!(GuardDuty, security::guardduty),
            FactGroup::SecurityHub => piece!(SecurityHub, security::security_hub),
            FactGroup::Macie => piece!(Macie, security::macie),
            FactGroup::Detective => piece!(Detective, security::detective),
            FactGroup::AuditManager => piece!(AuditManager, security::audit_manager),
        }
    }
    if needs.contains(&FactGroup::Organization) {
        pieces.push(Box::pin(async move {
            // Starts the shared organization collection alongside the rest.
            org::shared(c).await;
            Part::Organization
        }));
    }
    for part in futures_util::future::join_all(pieces).await {
        match part {
            Part::Organization => {}
            Part::Iam(v) => facts.iam = v,
            Part::IdentityCenter(v) => facts.identity_center = v,
            Part::Cognito(v) => facts.cognito = v,
            Part::CloudTrail(v) => facts.cloudtrail = v,
            Part::Kms(v) => facts.kms = v,
            Part::GuardDuty(v) => facts.guardduty = v,
            Part::SecurityHub(v) => facts.security_hub = v,
            Part::Macie(v) => facts.macie = v,
            Part::Detective(v) => facts.detective = v,
            Part::AuditManager(v) => facts.audit_manager = v,
        }
    }
    if let Some(org) = ctx.org.get() {
        facts.organization = org.clone();
    }
    facts.unread = ctx.unread();
    facts
}
