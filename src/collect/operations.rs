//! The one list of AWS operations labbook may call, and the interceptor
//! that enforces it on every SDK client the collector builds.
//!
//! `assets/iam/labbook-readonly-policy.json` grants exactly [`OPERATIONS`];
//! a test keeps the two equal and checks every entry is a read. The
//! [`Guard`] interceptor refuses, before anything is sent, any operation not
//! in the list, and counts every HTTP request (retries included) so runs and
//! tests can see what was sent.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// Every operation the collectors may call, as IAM actions, sorted.
///
/// Decided: `iam:GenerateCredentialReport` is not here. It starts a report
/// job, which is a change, however small; labbook reads the report that
/// exists and reports `unknown` (with the command to create one) when none does.
pub const OPERATIONS: &[&str] = &[
    "auditmanager:GetAssessment",
    "auditmanager:ListAssessments",
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetEventSelectors",
    "cloudtrail:GetInsightSelectors",
    "cloudtrail:GetTrailStatus",
    "cognito-idp:DescribeUserPool",
    "cognito-idp:DescribeUserPoolClient",
    "cognito-idp:GetUserPoolMfaConfig",
    "cognito-idp:ListUserPoolClients",
    "cognito-idp:ListUserPools",
    "cognito-idp:ListUsers",
    "detective:ListGraphs",
    "guardduty:DescribeOrganizationConfiguration",
    "guardduty:GetDetector",
    "guardduty:ListDetectors",
    "guardduty:ListOrganizationAdminAccounts",
    "iam:GetAccountSummary",
    "iam:GetCredentialReport",
    "iam:GetLoginProfile",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "iam:ListAccessKeys",
    "iam:ListAttachedGroupPolicies",
    "iam:ListAttachedUserPolicies",
    "iam:ListGroups",
    "iam:ListGroupsForUser",
    "iam:ListPolicies",
    "iam:ListUsers",
    "identitystore:ListGroupMemberships",
    "identitystore:ListGroups",
    "identitystore:ListUsers",
    "kms:DescribeKey",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListKeys",
    "macie2:GetMacieSession",
    "macie2:ListOrganizationAdminAccounts",
    "organizations:DescribeOrganization",
    "organizations:DescribePolicy",
    "organizations:ListAccountsForParent",
    "organizations:ListOrganizationalUnitsForParent",
    "organizations:ListPolicies",
    "organizations:ListRoots",
    "organizations:ListTargetsForPolicy",
    "s3:ListAllMyBuckets",
    "securityhub:DescribeHub",
    "securityhub:GetEnabledStandards",
    "sso:DescribePermissionSet",
    "sso:GetInlinePolicyForPermissionSet",
    "sso:ListAccountAssignments",
    "sso:ListCustomerManagedPolicyReferencesInPermissionSet",
    "sso:ListInstances",
    "sso:ListManagedPoliciesInPermissionSet",
    "sso:ListPermissionSets",
    "sts:AssumeRole",
    "sts:GetCallerIdentity",
];

/// The IAM action an SDK operation needs, from the SDK's service and
/// operation names (`"SSO Admin"`, `"ListInstances"` -> `sso:ListInstances`).
pub fn action_for(service: &str, operation: &str) -> String {
    let prefix = match service {
        "SSO Admin" => "sso",
        "Cognito Identity Provider" => "cognito-idp",
        other => {
            return format!(
                "{}:{}",
                other.to_ascii_lowercase(),
                rename(other, operation)
            );
        }
    };
    format!("{prefix}:{operation}")
}

/// Operations whose IAM action is named differently from the API.
fn rename<'a>(service: &str, operation: &'a str) -> &'a str {
    match (service, operation) {
        ("S3", "ListBuckets") => "ListAllMyBuckets",
        _ => operation,
    }
}

/// Whether `text` is spelled like an IAM action (`service:Operation`):
/// tests use it to find the actions a file names.
pub fn is_action_name(text: &str) -> bool {
    text.split_once(':').is_some_and(|(svc, op)| {
        !svc.is_empty()
            && svc
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && op.starts_with(|c: char| c.is_ascii_uppercase())
            && op.chars().all(|c| c.is_ascii_alphanumeric())
    })
}

/// Whether an action is in [`OPERATIONS`].
pub fn allowed(action: &str) -> bool {
    OPERATIONS.binary_search(&action).is_ok()
}

/// What the guard saw: requests sent per action (retries count again).
#[derive(Debug, Default, Clone)]
pub struct Recorder {
    inner: Arc<Mutex<BTreeMap<String, u32>>>,
    /// How often each distinct request (action, URI and body) was sent.
    fingerprints: Arc<Mutex<HashMap<u64, u32>>>,
}

impl Recorder {
    /// Requests sent, per action.
    pub fn requests(&self) -> BTreeMap<String, u32> {
        self.inner.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// All requests sent.
    pub fn total(&self) -> u32 {
        self.requests().values().sum()
    }

    /// Requests sent more than once with the same action, URI and body
    /// (a repeated call; retries also count here).
    pub fn repeated(&self) -> u32 {
        self.fingerprints
            .lock()
            .map(|m| m.values().filter(|n| **n > 1).map(|n| n - 1).sum())
            .unwrap_or(0)
    }

    fn add(&self, action: String, fingerprint: u64) {
        if let Ok(mut m) = self.inner.lock() {
            *m.entry(action).or_default() += 1;
        }
        if let Ok(mut m) = self.fingerprints.lock() {
            *m.entry(fingerprint).or_default() += 1;
        }
    }
}

/// The interceptor on every client: refuses operations outside the list,
/// counts HTTP requests.
#[derive(Debug, Clone)]
pub struct Guard {
    pub recorder: Recorder,
    /// Operations to refuse as if access were denied: a test-only switch
    /// ([`crate::collect::Reach::refuse`]); empty in every real run.
    pub refuse: Arc<[String]>,
    /// Only these operations are sent ([`crate::collect::Scope::operations`]);
    /// others are held back as not needed, before anything is sent. The
    /// session's `sts:` calls always go.
    pub only: Option<Arc<std::collections::BTreeSet<String>>>,
}

fn action_of(cfg: &ConfigBag) -> String {
    match cfg.load::<Metadata>() {
        Some(m) => action_for(m.service(), m.name()),
        None => "unknown:Unknown".to_string(),
    }
}

impl Intercept for Guard {
    fn name(&self) -> &'static str {
        "labbook-operation-guard"
    }

    // Not `read_before_execution`: for client-level interceptors that runs
    // before the operation's metadata is in the config bag.
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let action = action_of(cfg);
        if self.refuse.contains(&action) {
            Err(format!("AccessDenied: {action} refused by the test switch").into())
        } else if let Some(only) = &self.only
            && !only.contains(&action)
            && !action.starts_with("sts:")
        {
            Err(format!("{action} was not read: no step being watched reads it").into())
        } else if allowed(&action) {
            Ok(())
        } else {
            Err(format!(
                "labbook refuses to call {action}: it is not in collect::OPERATIONS (the read-only list)"
            )
            .into())
        }
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let action = action_of(cfg);
        let request = context.request();
        let mut h = DefaultHasher::new();
        action.hash(&mut h);
        request.uri().hash(&mut h);
        request.body().bytes().hash(&mut h);
        // The same call in another account or region differs only in the
        // signature's scope (`Credential=KEY/date/region/service`), e.g.
        // behind a single emulator endpoint.
        request
            .headers()
            .get("authorization")
            .and_then(|a| a.split("Credential=").nth(1))
            .and_then(|c| c.split(',').next())
            .hash(&mut h);
        self.recorder.add(action, h.finish());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const READ_PREFIXES: &[&str] = &["Get", "List", "Describe", "BatchGet"];

    #[test]
    fn every_operation_a_step_or_an_audit_rule_reads_is_collected() {
        let checks = crate::checks::ALL
            .iter()
            .flat_map(|c| c.meta.operations().map(|op| (c.meta.kind, op)));
        let rules = crate::audit::ALL
            .iter()
            .flat_map(|r| r.meta.reads.iter().map(|op| (r.meta.id, *op)));
        for (who, op) in checks.chain(rules) {
            assert!(OPERATIONS.contains(&op), "{who}: {op} is not collected");
        }
    }

    #[test]
    fn the_list_is_sorted_unique_and_only_reads() {
        let mut sorted = OPERATIONS.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(
            sorted, OPERATIONS,
            "sorted and unique (allowed() searches it)"
        );
        for op in OPERATIONS {
            let (_, name) = op.split_once(':').expect("service:Operation");
            // sts:AssumeRole changes nothing in the account: it hands out
            // short-lived credentials for reading member accounts.
            let read = READ_PREFIXES.iter().any(|p| name.starts_with(p)) || *op == "sts:AssumeRole";
            assert!(read, "{op} is not a read operation");
        }
    }

    #[test]
    fn the_shipped_policy_grants_exactly_the_list() {
        let text = include_str!("../../assets/iam/labbook-readonly-policy.json");
        let policy: serde_json::Value = serde_json::from_str(text).expect("policy JSON");
        let mut granted: Vec<String> = Vec::new();
        for st in policy["Statement"].as_array().expect("statements") {
            assert_eq!(st["Effect"], "Allow", "{st}");
            match &st["Action"] {
                serde_json::Value::String(a) => granted.push(a.clone()),
                serde_json::Value::Array(a) => granted.extend(
                    a.iter()
                        .map(|v| v.as_str().expect("action string").to_string()),
                ),
                other => panic!("unexpected Action {other}"),
            }
            if st["Action"] == "sts:AssumeRole" {
                let res = st["Resource"].as_str().expect("one resource");
                assert!(
                    res.starts_with("arn:aws:iam::*:role/"),
                    "AssumeRole only on the member role, not {res}"
                );
            }
        }
        granted.sort();
        assert_eq!(granted, OPERATIONS);
    }

    #[test]
    fn the_guard_refuses_an_operation_outside_the_list_before_sending_it() {
        let recorder = Recorder::default();
        let conf = aws_sdk_iam::Config::builder()
            .behavior_version(aws_sdk_iam::config::BehaviorVersion::latest())
            .region(aws_sdk_iam::config::Region::new("eu-central-1"))
            .credentials_provider(aws_sdk_iam::config::Credentials::new(
                "AKIDTEST", "test", None, None, "test",
            ))
            .http_client(aws_smithy_mocks::create_mock_http_client())
            .interceptor(Guard {
                refuse: Arc::from(Vec::new()),
                only: None,
                recorder: recorder.clone(),
            })
            .build();
        let iam = aws_sdk_iam::Client::from_conf(conf);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let err = rt
            .block_on(iam.create_user().user_name("mallory").send())
            .expect_err("refused");
        let text = crate::collect::call::error_chain(&err);
        assert!(text.contains("refuses to call iam:CreateUser"), "{text}");
        assert_eq!(recorder.total(), 0, "nothing was sent");
    }

    /// `service:Operation` string literals in a source file.
    fn action_literals(src: &str) -> Vec<&str> {
        src.split('"')
            .skip(1)
            .step_by(2)
            .filter(|lit| is_action_name(lit))
            .collect()
    }

    #[test]
    fn every_permission_the_collectors_name_is_in_the_list() {
        let sources = [
            include_str!("mod.rs"),
            include_str!("org.rs"),
            include_str!("security.rs"),
            include_str!("services.rs"),
            include_str!("session.rs"),
            include_str!("sso.rs"),
        ];
        let named: Vec<&str> = sources.iter().flat_map(|s| action_literals(s)).collect();
        assert!(named.len() > 40, "{named:?}");
        for action in named {
            assert!(
                allowed(action),
                "{action} is named by a collector but not in OPERATIONS"
            );
        }
    }

    #[test]
    fn sdk_names_map_to_iam_actions() {
        assert_eq!(
            action_for("SSO Admin", "ListInstances"),
            "sso:ListInstances"
        );
        assert_eq!(
            action_for("Cognito Identity Provider", "ListUserPools"),
            "cognito-idp:ListUserPools"
        );
        assert_eq!(action_for("S3", "ListBuckets"), "s3:ListAllMyBuckets");
        assert_eq!(
            action_for("identitystore", "ListGroups"),
            "identitystore:ListGroups"
        );
        assert_eq!(
            action_for("Macie2", "GetMacieSession"),
            "macie2:GetMacieSession"
        );
        assert!(allowed("iam:GetAccountSummary"));
        assert!(!allowed("iam:CreateUser"));
        assert!(!allowed("iam:GenerateCredentialReport"));
    }
}
