//! Sessions: the caller's SDK configuration (credential chain, region,
//! endpoint, retries, timeouts), roles assumed into member accounts, the
//! request bound, and turning SDK errors into [`Unavailable`] facts.
//!
//! A [`Session`] is connected once and may serve many collections (a watch
//! re-checks every few seconds): it keeps the caller's identity and the
//! member accounts' assumed credentials, and assumes a role again when its
//! credentials come within [`REFRESH_BEFORE`] of expiring. Each collection
//! gets its own [`Ctx`] (what to read, the organization read once, what
//! failed, the request bound).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{Region, SdkConfig};
use aws_sdk_sts::config::{Credentials, ProvideCredentials, SharedCredentialsProvider};
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::interceptors::SharedInterceptor;
use tokio::sync::{OnceCell, Semaphore, SemaphorePermit};

use super::call::{error_chain, error_text, unavailable};
use super::operations::{Guard, Recorder};
use super::{CollectError, Reach, Scope};
use crate::facts::{Collected, Organization, Unavailable};

/// The region used when neither `--region` nor the profile names one.
pub const DEFAULT_REGION: &str = "eu-central-1";

/// A member account's config, assumed at most once per run (or why it
/// could not be).
type MemberSession = OnceCell<Result<SdkConfig, Unavailable>>;

/// How long the member roles are assumed for.
pub const MEMBER_SESSION: Duration = Duration::from_secs(900);

/// Assumed credentials are assumed again when they have less than this
/// left: longer than the longest pause between two watch cycles plus a
/// collection, so no cycle starts with credentials that run out under it.
pub const REFRESH_BEFORE: Duration = Duration::from_secs(300);

/// Whether credentials that expire at `expires` must be renewed at `now`
/// (`margin` before they run out).
pub fn needs_refresh(expires: SystemTime, now: SystemTime, margin: Duration) -> bool {
    expires
        .duration_since(now)
        .map_or(true, |left| left < margin)
}

/// Assumed credentials kept between collections, with when they expire.
#[derive(Clone)]
struct Assumed {
    conf: SdkConfig,
    expires: SystemTime,
}

/// A connection to AWS kept between collections: the caller's config and
/// account, and the member accounts' assumed sessions (renewed before they
/// expire). Cheap to share; every collection makes a [`Ctx`] from it.
pub struct Session {
    /// The caller's config before [`Reach::assume`] (to assume it again).
    base: SdkConfig,
    caller: Mutex<Assumed>,
    /// Whether the caller's credentials are [`Reach::assume`]'s role.
    caller_assumed: bool,
    caller_account: String,
    reach: Reach,
    refuse: Arc<[String]>,
    members: Arc<Mutex<HashMap<String, Assumed>>>,
    extra: Vec<SharedInterceptor>,
}

impl Session {
    /// The account the session reads as.
    pub fn account(&self) -> &str {
        &self.caller_account
    }

    /// A context for one collection of `scope`, its requests recorded in
    /// `recorder`; the caller's assumed role is renewed first if it is
    /// about to expire.
    pub async fn ctx(&self, scope: &Scope, recorder: Recorder) -> Result<Ctx, CollectError> {
        let guard = Guard {
            recorder,
            refuse: self.refuse.clone(),
            only: scope.operations.clone().map(Arc::new),
        };
        let mut caller =
            self.caller
                .lock()
                .map(|c| c.clone())
                .map_err(|_| CollectError::Credentials {
                    message: "internal error: the session lock is poisoned".to_string(),
                })?;
        if self.caller_assumed
            && let Some(assume) = &self.reach.assume
            && needs_refresh(caller.expires, SystemTime::now(), self.reach.refresh_before)
        {
            let sts = sts_client(&self.base, &guard, &self.extra);
            caller = assume_first(&self.base, &sts, assume).await?;
            if let Ok(mut c) = self.caller.lock() {
                *c = caller.clone();
            }
        }
        Ok(Ctx {
            caller: caller.conf,
            caller_account: self.caller_account.clone(),
            reach: self.reach.clone(),
            scope: scope.clone(),
            guard,
            bound: Semaphore::new(self.reach.concurrency.max(1)),
            members: Mutex::new(HashMap::new()),
            kept: self.members.clone(),
            org: OnceCell::new(),
            unread: Mutex::new(BTreeMap::new()),
            extra: self.extra.clone(),
        })
    }
}

fn sts_client(conf: &SdkConfig, guard: &Guard, extra: &[SharedInterceptor]) -> aws_sdk_sts::Client {
    let mut b = aws_sdk_sts::config::Builder::from(conf).interceptor(guard.clone());
    for i in extra {
        b.push_interceptor(i.clone());
    }
    aws_sdk_sts::Client::from_conf(b.build())
}

/// Everything a collector needs: the caller's config, member sessions, the
/// request bound and the guard.
pub struct Ctx {
    pub caller: SdkConfig,
    pub caller_account: String,
    /// How to reach AWS.
    pub reach: Reach,
    /// What to read, and where.
    pub scope: Scope,
    pub guard: Guard,
    bound: Semaphore,
    /// This run's member sessions: each assumed at most once per run.
    members: Mutex<HashMap<String, Arc<MemberSession>>>,
    /// Member sessions kept by the [`Session`] between runs.
    kept: Arc<Mutex<HashMap<String, Assumed>>>,
    pub org: OnceCell<Collected<Option<Organization>>>,
    /// Operations that failed while the rest of their group was read.
    unread: Mutex<BTreeMap<String, Unavailable>>,
    /// More interceptors on every client (tests: the SDK's mock responses).
    pub extra: Vec<SharedInterceptor>,
}

impl Ctx {
    /// Waits for a slot: at most `reach.concurrency` calls in flight.
    pub async fn permit(&self) -> Option<SemaphorePermit<'_>> {
        self.bound.acquire().await.ok()
    }

    /// The piece `result` read, or its default with the failure noted under
    /// the operation that failed (see [`crate::facts::Facts::unread`]), so
    /// the rest of the group still arrives.
    pub fn keep<T: Default>(&self, result: Result<T, Unavailable>) -> T {
        match result {
            Ok(v) => v,
            Err(u) => {
                self.note(u);
                T::default()
            }
        }
    }

    /// Notes a failed operation (the first failure of each is kept).
    pub fn note(&self, u: Unavailable) {
        let key = u
            .failed_operation()
            .unwrap_or("unknown operation")
            .to_string();
        if let Ok(mut m) = self.unread.lock() {
            m.entry(key).or_insert(u);
        }
    }

    /// Every failed operation noted so far.
    pub fn unread(&self) -> BTreeMap<String, Unavailable> {
        self.unread.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// The caller's config in the region `group` is read in.
    pub fn regional(&self, group: crate::facts::FactGroup) -> SdkConfig {
        self.conf_in(&self.caller, Some(self.scope.region_of(group)))
    }

    /// A member account's config (`conf`) in the region `group` is read in.
    pub fn regional_in(&self, conf: &SdkConfig, group: crate::facts::FactGroup) -> SdkConfig {
        self.conf_in(conf, Some(self.scope.region_of(group)))
    }

    /// The primary region (the configured one).
    pub fn region(&self) -> String {
        self.caller
            .region()
            .map(|r| r.to_string())
            .unwrap_or_else(|| DEFAULT_REGION.to_string())
    }

    /// A service config builder source for `conf` in `region`, with the guard.
    pub fn conf_in(&self, conf: &SdkConfig, region: Option<&str>) -> SdkConfig {
        match region {
            Some(r) => conf.to_builder().region(Region::new(r.to_string())).build(),
            None => conf.clone(),
        }
    }

    /// The SDK config for a member account, assuming `--member-role` there
    /// at most once per run, and only when the session holds no credentials
    /// for it that last a while yet; unavailable (naming `sts:AssumeRole`)
    /// when it cannot.
    pub async fn member(&self, account_id: &str) -> Result<SdkConfig, Unavailable> {
        if account_id == self.caller_account {
            return Ok(self.caller.clone());
        }
        let cell = {
            let Ok(mut m) = self.members.lock() else {
                return Err(Unavailable::new(
                    "internal error: member session lock poisoned",
                ));
            };
            m.entry(account_id.to_string()).or_default().clone()
        };
        cell.get_or_init(|| self.kept_or_assume(account_id))
            .await
            .clone()
    }

    async fn kept_or_assume(&self, account_id: &str) -> Result<SdkConfig, Unavailable> {
        let kept = self
            .kept
            .lock()
            .ok()
            .and_then(|m| m.get(account_id).cloned());
        if let Some(k) = kept
            && !needs_refresh(k.expires, SystemTime::now(), self.reach.refresh_before)
        {
            return Ok(k.conf);
        }
        // A failure is not kept: the next run tries again (the learner
        // may be fixing the role).
        let assumed = self.assume(account_id).await?;
        if let Ok(mut m) = self.kept.lock() {
            m.insert(account_id.to_string(), assumed.clone());
        }
        Ok(assumed.conf)
    }

    async fn assume(&self, account_id: &str) -> Result<Assumed, Unavailable> {
        let role = &self.reach.member_role;
        let arn = format!("arn:aws:iam::{account_id}:role/{role}");
        let sts = super::call::client!(aws_sdk_sts, self, &self.caller);
        let _p = self.permit().await;
        let out = sts
            .assume_role()
            .role_arn(&arn)
            .role_session_name(
                self.reach
                    .assume
                    .as_ref()
                    .map_or("labbook", |a| a.session_name.as_str()),
            )
            .duration_seconds(MEMBER_SESSION.as_secs() as i32)
            .send()
            .await
            .map_err(|e| {
                let mut u = unavailable("sts:AssumeRole", &e);
                u.reason = format!(
                    "could not assume {role} in account {account_id}: {}",
                    u.reason
                );
                u.permission = Some("sts:AssumeRole".to_string());
                u
            })?;
        let Some(c) = out.credentials() else {
            return Err(Unavailable::new(format!(
                "sts:AssumeRole into {account_id} returned no credentials"
            )));
        };
        let expires = expiry(c.expiration(), MEMBER_SESSION);
        let creds = Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_string()),
            Some(expires),
            "labbook-member-role",
        );
        Ok(Assumed {
            conf: self
                .caller
                .to_builder()
                .credentials_provider(SharedCredentialsProvider::new(creds))
                .build(),
            expires,
        })
    }
}

/// When assumed credentials expire: as STS says, else `lasting` from now.
fn expiry(said: &aws_smithy_types::DateTime, lasting: Duration) -> SystemTime {
    SystemTime::try_from(*said).unwrap_or_else(|_| SystemTime::now() + lasting)
}

/// [`open`] a session and make the context of one collection from it.
pub async fn connect(
    reach: &Reach,
    scope: &Scope,
    recorder: Recorder,
    extra: Vec<SharedInterceptor>,
) -> Result<Ctx, CollectError> {
    open(reach, recorder.clone(), extra)
        .await?
        .ctx(scope, recorder)
        .await
}

/// The HTTPS client of one session: rustls on *ring*. The SDK's default
/// client uses aws-lc, whose C build cost a clean release build 72
/// CPU-seconds here (see the README, "Build time"). One per session, as the
/// SDK's default is: a pooled connection belongs to the runtime that opened
/// it.
pub fn https_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// Loads the caller's configuration through the standard chain and checks
/// that credentials resolve and the endpoint answers (`sts:GetCallerIdentity`);
/// assumes [`Reach::assume`] when set. Its requests go to `recorder`.
pub async fn open(
    reach: &Reach,
    recorder: Recorder,
    extra: Vec<SharedInterceptor>,
) -> Result<Session, CollectError> {
    // Standard retries (exponential backoff with jitter; throttling and
    // transient errors are retried), not adaptive: in aws-smithy-runtime
    // 1.16 the adaptive client-side limiter of a fresh client, after its
    // first throttle, caps the bucket at 1 token while a retry costs 5, so
    // the retry waits until the operation timeout (measured: 20 s, against
    // 0.8 s in standard mode for two throttles then success).
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(https_client())
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(reach.max_attempts.max(1))
                .with_initial_backoff(Duration::from_millis(200)),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(3))
                .read_timeout(Duration::from_secs(10))
                .operation_attempt_timeout(Duration::from_secs(10))
                .operation_timeout(Duration::from_secs(20))
                .build(),
        );
    if let Some(p) = &reach.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = &reach.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(e) = &reach.endpoint_url {
        loader = loader.endpoint_url(e);
    }
    if let Some(c) = &reach.credentials {
        loader = loader.credentials_provider(c.clone());
    }
    let mut caller = loader.load().await;
    if caller.region().is_none() {
        caller = caller
            .to_builder()
            .region(Region::new(DEFAULT_REGION))
            .build();
    }
    let named = reach
        .profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()));
    let profile = named.clone().unwrap_or_else(|| "default".to_string());
    let Some(provider) = caller.credentials_provider() else {
        return Err(no_credentials(&profile));
    };
    if let Err(e) = provider.provide_credentials().await {
        return Err(credentials_error(named.as_deref(), &e));
    }
    let guard = Guard {
        recorder,
        refuse: Arc::from(reach.refuse.clone()),
        only: None,
    };
    let sts = sts_client(&caller, &guard, &extra);
    let endpoint = reach
        .endpoint_url
        .clone()
        .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
        .unwrap_or_else(|| "AWS".to_string());
    let who = sts.get_caller_identity().send().await.map_err(|e| match &e {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => CollectError::Unreachable {
            endpoint: endpoint.clone(),
            detail: error_text(&e),
        },
        _ => match e.code() {
            Some("ExpiredToken" | "ExpiredTokenException") => CollectError::Credentials {
                message: format!(
                    "The credentials for profile {profile} have expired; run `aws sso login --profile {profile}` (or refresh them) and try again."
                ),
            },
            Some("InvalidClientTokenId" | "SignatureDoesNotMatch" | "UnrecognizedClientException") => {
                CollectError::Credentials {
                    message: format!(
                        "AWS rejected the credentials of profile {profile} ({}); check them with `aws sts get-caller-identity --profile {profile}`.",
                        e.code().unwrap_or_default()
                    ),
                }
            }
            _ => CollectError::Call {
                service: "sts",
                operation: "GetCallerIdentity",
                detail: error_text(&e),
            },
        },
    })?;
    let mut caller_account = who.account().unwrap_or_default().to_string();
    let base = caller.clone();
    let mut current = Assumed {
        conf: caller,
        // The chain's own provider renews its credentials itself.
        expires: SystemTime::now() + Duration::from_secs(u64::from(u32::MAX)),
    };
    if let Some(assume) = &reach.assume {
        current = assume_first(&base, &sts, assume).await?;
        caller_account = account_of_role(&assume.role_arn).unwrap_or(caller_account);
    }
    Ok(Session {
        base,
        caller: Mutex::new(current),
        caller_assumed: reach.assume.is_some(),
        caller_account,
        reach: reach.clone(),
        refuse: guard.refuse.clone(),
        members: Arc::new(Mutex::new(HashMap::new())),
        extra,
    })
}

/// The caller's config with the credentials of `assume`'s role, assumed
/// from the caller's (a new provider: the caller's own is left as it was).
async fn assume_first(
    caller: &SdkConfig,
    sts: &aws_sdk_sts::Client,
    assume: &super::Assume,
) -> Result<Assumed, CollectError> {
    let failed = |detail: String| CollectError::Assume {
        role_arn: assume.role_arn.clone(),
        detail,
    };
    let out = sts
        .assume_role()
        .role_arn(&assume.role_arn)
        .set_external_id(assume.external_id.clone())
        .role_session_name(&assume.session_name)
        .duration_seconds(CALLER_SESSION.as_secs() as i32)
        .send()
        .await
        .map_err(|e| {
            let u = unavailable("sts:AssumeRole", &e);
            failed(match u.permission {
                Some(_) => format!(
                    "access denied (the role's trust policy must allow this account with the external id, and the caller needs sts:AssumeRole on it): {}",
                    error_text(&e)
                ),
                None => u.reason,
            })
        })?;
    let Some(c) = out.credentials() else {
        return Err(failed("sts:AssumeRole returned no credentials".to_string()));
    };
    let expires = expiry(c.expiration(), CALLER_SESSION);
    let creds = Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_string()),
        Some(expires),
        "labbook-instructor",
    );
    Ok(Assumed {
        conf: caller
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(creds))
            .build(),
        expires,
    })
}

/// How long [`Reach::assume`]'s role is assumed for.
const CALLER_SESSION: Duration = Duration::from_secs(3600);

/// The account of an IAM role ARN (`arn:aws:iam::ACCOUNT:role/NAME`).
fn account_of_role(arn: &str) -> Option<String> {
    let account = arn.split(':').nth(4)?;
    (account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()))
        .then(|| account.to_string())
}

fn no_credentials(profile: &str) -> CollectError {
    CollectError::Credentials {
        message: format!(
            "No AWS credentials found (profile {profile}); run `aws configure sso` or `aws sso login --profile NAME` and pass --profile NAME, or set AWS_PROFILE."
        ),
    }
}

fn credentials_error(
    named: Option<&str>,
    e: &aws_credential_types::provider::error::CredentialsError,
) -> CollectError {
    use aws_credential_types::provider::error::CredentialsError as E;
    let profile = named.unwrap_or("default");
    let detail = error_chain(e);
    let lower = detail.to_ascii_lowercase();
    let message = if lower.contains("sso") || lower.contains("token") && lower.contains("expired") {
        format!(
            "The SSO session for profile {profile} has expired or was never started; run `aws sso login --profile {profile}` and try again."
        )
    } else if let Some(name) = named.filter(|_| lower.contains("profile")) {
        format!(
            "Profile {name} is not in your AWS config or has no credentials; list your profiles with `aws configure list-profiles` and pass one with --profile."
        )
    } else if matches!(e, E::CredentialsNotLoaded(_)) || lower.contains("profile") {
        return no_credentials(profile);
    } else {
        format!(
            "Could not load AWS credentials for profile {profile}: {detail}. Check them with `aws sts get-caller-identity --profile {profile}`."
        )
    };
    CollectError::Credentials { message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_renewed_only_inside_the_margin_before_they_expire() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let margin = REFRESH_BEFORE;
        assert!(!needs_refresh(now + MEMBER_SESSION, now, margin));
        assert!(!needs_refresh(now + margin, now, margin));
        assert!(needs_refresh(
            now + margin - Duration::from_secs(1),
            now,
            margin
        ));
        assert!(needs_refresh(now, now, margin));
        assert!(needs_refresh(now - Duration::from_secs(5), now, margin));
        // A watch pauses at most its back-off cap between cycles: the margin
        // must outlast it, or a cycle could start on expiring credentials.
        assert!(margin > Duration::from_secs(120));
    }
}
