//! The facts model: everything the lab checks read from an AWS account, as
//! plain serde data. A facts snapshot is this model saved as JSON
//! (`assets/demo/*.json`).
//!
//! Owns the shape of the data and small read-only helpers over it (the OU
//! tree, account lookups). Must not depend on any AWS SDK type: the collector
//! (`collect`) translates SDK answers into these structs, so checks stay
//! pure and are tested with literal facts.
//!
//! Anything that might not be collectable (access denied, service not
//! enabled, a role that cannot be assumed) is a [`Collected`] value: either
//! the data or [`Unavailable`] with the reason and, when known, the missing
//! permission. In JSON, collected data is written as itself and an
//! unavailable group as `{"unavailable": {"reason": ..., "permission": ...}}`.
//! A group missing from a snapshot file reads as unavailable ("not in the
//! snapshot"), never as empty.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Errors reading or writing a facts snapshot.
#[derive(Debug, thiserror::Error)]
pub enum FactsError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a facts snapshot: {source}")]
    Json {
        path: String,
        #[source]
        source: serde_json::Error,
    },
    #[error(
        "{path}: a facts snapshot of format {found}, newer than this labbook reads; collect it again with `labbook collect --out FILE` or update labbook"
    )]
    Newer { path: String, found: u64 },
}

/// The groups of facts a check can need; the collector gathers only the
/// groups the selected checks declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactGroup {
    Organization,
    Iam,
    IdentityCenter,
    Cognito,
    CloudTrail,
    Kms,
    GuardDuty,
    SecurityHub,
    Macie,
    Detective,
    AuditManager,
}

impl FactGroup {
    /// Read in one region the labs name (the global services IAM,
    /// Organizations and CloudTrail's trail list are not; GuardDuty has its
    /// own list of regions).
    pub fn is_regional(self) -> bool {
        matches!(
            self,
            FactGroup::IdentityCenter
                | FactGroup::Cognito
                | FactGroup::Kms
                | FactGroup::SecurityHub
                | FactGroup::Macie
                | FactGroup::Detective
                | FactGroup::AuditManager
        )
    }

    /// The group an operation's answer belongs to (`iam:ListUsers` is IAM);
    /// `None` for STS, which every group may use to reach member accounts.
    pub fn of_operation(operation: &str) -> Option<FactGroup> {
        let service = operation.split(':').next().unwrap_or_default();
        Some(match service {
            "organizations" => FactGroup::Organization,
            "iam" => FactGroup::Iam,
            "sso" | "identitystore" => FactGroup::IdentityCenter,
            "cognito-idp" => FactGroup::Cognito,
            "cloudtrail" | "s3" => FactGroup::CloudTrail,
            "kms" => FactGroup::Kms,
            "guardduty" => FactGroup::GuardDuty,
            "securityhub" => FactGroup::SecurityHub,
            "macie2" => FactGroup::Macie,
            "detective" => FactGroup::Detective,
            "auditmanager" => FactGroup::AuditManager,
            _ => return None,
        })
    }
}

/// Why a group of facts could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unavailable {
    /// What happened, in words: "access denied", "Macie is not enabled", ...
    pub reason: String,
    /// The IAM permission that was missing, e.g. `organizations:ListPoliciesForTarget`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
    /// The operation that failed (`iam:ListUsers`) when it is not the
    /// missing permission already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
}

impl Unavailable {
    pub fn new(reason: impl Into<String>) -> Unavailable {
        Unavailable {
            reason: reason.into(),
            permission: None,
            operation: None,
        }
    }

    /// The caller may not call an operation: `permission` is its IAM
    /// action, which names the operation too.
    pub fn denied(permission: impl Into<String>) -> Unavailable {
        Unavailable {
            reason: "access denied".to_string(),
            permission: Some(permission.into()),
            operation: None,
        }
    }

    /// The operation that failed: named, or the permission it lacked.
    pub fn failed_operation(&self) -> Option<&str> {
        self.operation.as_deref().or(self.permission.as_deref())
    }
}

/// A group of facts, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Collected<T> {
    Ok(T),
    Unavailable(Unavailable),
}

impl<T> From<Result<T, Unavailable>> for Collected<T> {
    fn from(r: Result<T, Unavailable>) -> Collected<T> {
        match r {
            Ok(v) => Collected::Ok(v),
            Err(u) => Collected::Unavailable(u),
        }
    }
}

impl<T> Collected<T> {
    pub fn as_result(&self) -> Result<&T, &Unavailable> {
        match self {
            Collected::Ok(v) => Ok(v),
            Collected::Unavailable(u) => Err(u),
        }
    }

    pub fn ok(&self) -> Option<&T> {
        self.as_result().ok()
    }
}

impl<T> Default for Collected<T> {
    fn default() -> Self {
        Collected::Unavailable(Unavailable::new("not in the snapshot"))
    }
}

impl<T: Serialize> Serialize for Collected<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wrapper<'a> {
            unavailable: &'a Unavailable,
        }
        match self {
            Collected::Ok(v) => v.serialize(s),
            Collected::Unavailable(u) => Wrapper { unavailable: u }.serialize(s),
        }
    }
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Collected<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        if let serde_json::Value::Object(map) = &value
            && map.len() == 1
            && let Some(inner) = map.get("unavailable")
        {
            return Unavailable::deserialize(inner)
                .map(Collected::Unavailable)
                .map_err(serde::de::Error::custom);
        }
        T::deserialize(value)
            .map(Collected::Ok)
            .map_err(serde::de::Error::custom)
    }
}

/// Everything the checks know about one account (the caller's, normally the
/// organization's management account) and the accounts it can look into.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    /// The snapshot format ([`Facts::VERSION`]); absent in the first format.
    #[serde(default = "first_format")]
    pub format_version: u32,
    /// The caller's account id (from `sts:GetCallerIdentity`).
    pub account_id: String,
    /// When the facts were collected (RFC 3339, UTC); checks that reason
    /// about "recently" use this, never the wall clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<String>,
    /// `None` inside: the account is not in an organization.
    #[serde(default)]
    pub organization: Collected<Option<Organization>>,
    #[serde(default)]
    pub iam: Collected<Iam>,
    #[serde(default)]
    pub identity_center: Collected<IdentityCenter>,
    #[serde(default)]
    pub cognito: Collected<Cognito>,
    #[serde(default)]
    pub cloudtrail: Collected<CloudTrail>,
    #[serde(default)]
    pub kms: Collected<Kms>,
    #[serde(default)]
    pub guardduty: Collected<GuardDuty>,
    #[serde(default)]
    pub security_hub: Collected<SecurityHub>,
    #[serde(default)]
    pub macie: Collected<Macie>,
    #[serde(default)]
    pub detective: Collected<Detective>,
    #[serde(default)]
    pub audit_manager: Collected<AuditManager>,
    /// Operations (`iam:ListUsers`) that failed while the rest of their
    /// group was read; the data they feed is empty. A step that reads one of
    /// them is `unknown` (see `checks::Check::run`), every other step is
    /// judged: one failure never silences steps that did not need it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unread: BTreeMap<String, Unavailable>,
}

fn first_format() -> u32 {
    1
}

impl Facts {
    /// The snapshot format this labbook writes. 2 added `format_version`
    /// and `unread`; a format-1 snapshot means the same with nothing
    /// unread, so it is migrated on load.
    pub const VERSION: u32 = 2;

    /// Reads a facts snapshot (JSON): an older format is migrated, a newer
    /// one refused with how to collect it again.
    pub fn load(path: &std::path::Path) -> Result<Facts, FactsError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| FactsError::Io {
            path: shown.clone(),
            source,
        })?;
        Facts::from_json(&bytes).map_err(|e| match e {
            FactsError::Json { source, .. } => FactsError::Json {
                path: shown.clone(),
                source,
            },
            FactsError::Newer { found, .. } => FactsError::Newer {
                path: shown.clone(),
                found,
            },
            other => other,
        })
    }

    /// Parses a snapshot; see [`Facts::load`].
    pub fn from_json(bytes: &[u8]) -> Result<Facts, FactsError> {
        let json = |source| FactsError::Json {
            path: String::new(),
            source,
        };
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(json)?;
        let found = value
            .get("format_version")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(1);
        if found > u64::from(Facts::VERSION) {
            return Err(FactsError::Newer {
                path: String::new(),
                found,
            });
        }
        let mut facts: Facts = serde_json::from_value(value).map_err(json)?;
        facts.format_version = Facts::VERSION;
        Ok(facts)
    }

    /// An account where every service answered and nothing has been done:
    /// no organization, no users, no keys, and the root user as an old
    /// account may have it (no MFA, an access key). Every lab step fails on it.
    pub fn empty_account(account_id: &str) -> Facts {
        Facts {
            format_version: Facts::VERSION,
            account_id: account_id.to_string(),
            collected_at: None,
            organization: Collected::Ok(None),
            iam: Collected::Ok(Iam {
                account_summary: Collected::Ok(AccountSummary {
                    account_mfa_enabled: 0,
                    account_access_keys_present: 1,
                }),
                credential_report_root: Collected::Ok(None),
                ..Iam::default()
            }),
            identity_center: Collected::Ok(IdentityCenter::default()),
            cognito: Collected::Ok(Cognito::default()),
            cloudtrail: Collected::Ok(CloudTrail::default()),
            kms: Collected::Ok(Kms::default()),
            guardduty: Collected::Ok(GuardDuty {
                admin_accounts: Collected::Ok(Vec::new()),
                detectors: Collected::Ok(Vec::new()),
                unavailable_regions: BTreeMap::new(),
                organization_config: Collected::Ok(None),
                organization_config_by_region: BTreeMap::new(),
            }),
            security_hub: Collected::Ok(SecurityHub::default()),
            macie: Collected::Ok(Macie {
                admin_account: Collected::Ok(None),
                accounts: BTreeMap::new(),
            }),
            detective: Collected::Ok(Detective::default()),
            audit_manager: Collected::Ok(AuditManager::default()),
            unread: BTreeMap::new(),
        }
    }
}

// ---------------------------------------------------------------- Organizations

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    pub id: String,
    /// `ALL` or `CONSOLIDATED_BILLING`.
    pub feature_set: String,
    pub management_account_id: String,
    pub roots: Vec<Root>,
    /// Service control policies with their content and targets.
    #[serde(default)]
    pub policies: Collected<Vec<Scp>>,
    /// Read by labbook before format 2; no check needs it, so it is no
    /// longer collected (an older snapshot's value is accepted and dropped).
    #[serde(default, skip_serializing)]
    pub delegated_administrators: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Root {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// Enabled (or enabling) policy types, e.g. `SERVICE_CONTROL_POLICY`.
    #[serde(default)]
    pub policy_types: Vec<PolicyTypeStatus>,
    /// Accounts directly under the root.
    #[serde(default)]
    pub accounts: Vec<Account>,
    #[serde(default)]
    pub organizational_units: Vec<OrganizationalUnit>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyTypeStatus {
    #[serde(rename = "type")]
    pub policy_type: String,
    /// `ENABLED`, `PENDING_ENABLE` or `PENDING_DISABLE`.
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationalUnit {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub accounts: Vec<Account>,
    #[serde(default)]
    pub organizational_units: Vec<OrganizationalUnit>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    /// `ACTIVE`, `SUSPENDED`, ...
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scp {
    pub id: String,
    pub name: String,
    /// `FullAWSAccess` and other policies AWS owns.
    #[serde(default)]
    pub aws_managed: bool,
    /// The policy document (JSON text).
    pub content: String,
    /// Ids of the roots, OUs and accounts it is attached to.
    #[serde(default)]
    pub targets: Vec<String>,
}

/// Where an account sits: the chain of targets from the root down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountPlace<'a> {
    pub account: &'a Account,
    /// Root id, then each OU id from the top down.
    pub chain: Vec<String>,
    /// The OU names along the chain (root excluded).
    pub ou_names: Vec<String>,
}

impl Organization {
    /// Every account of the organization with its place in the tree.
    pub fn accounts(&self) -> Vec<AccountPlace<'_>> {
        fn walk<'a>(
            ou: &'a OrganizationalUnit,
            chain: &mut Vec<String>,
            names: &mut Vec<String>,
            out: &mut Vec<AccountPlace<'a>>,
        ) {
            chain.push(ou.id.clone());
            names.push(ou.name.clone());
            for a in &ou.accounts {
                out.push(AccountPlace {
                    account: a,
                    chain: chain.clone(),
                    ou_names: names.clone(),
                });
            }
            for child in &ou.organizational_units {
                walk(child, chain, names, out);
            }
            chain.pop();
            names.pop();
        }
        let mut out = Vec::new();
        for root in &self.roots {
            for a in &root.accounts {
                out.push(AccountPlace {
                    account: a,
                    chain: vec![root.id.clone()],
                    ou_names: Vec::new(),
                });
            }
            let mut chain = vec![root.id.clone()];
            let mut names = Vec::new();
            for ou in &root.organizational_units {
                walk(ou, &mut chain, &mut names, &mut out);
            }
        }
        out
    }

    /// The OU directly under a root with this name (see [`Organization::lab_ou`]
    /// for the lab's rule).
    pub fn top_level_ou(&self, name: &str) -> Option<&OrganizationalUnit> {
        self.roots
            .iter()
            .flat_map(|r| &r.organizational_units)
            .find(|o| o.name == name)
    }

    pub fn account_by_name(&self, name: &str) -> Option<&Account> {
        self.accounts()
            .into_iter()
            .map(|p| p.account)
            .find(|a| a.name == name)
    }

    pub fn account_name(&self, id: &str) -> Option<&str> {
        self.accounts()
            .into_iter()
            .map(|p| p.account)
            .find(|a| a.id == id)
            .map(|a| a.name.as_str())
    }
}

// ---------------------------------------------------------------- IAM

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct Iam {
    /// `iam:GetAccountSummary`, read live: the source of truth for root MFA and keys.
    pub account_summary: Collected<AccountSummary>,
    pub users: Vec<IamUser>,
    pub groups: Vec<IamGroup>,
    /// Customer-managed policies (scope `Local`).
    pub policies: Vec<ManagedPolicy>,
    /// The `<root_account>` row of the credential report; `None` inside when
    /// the report has no such row. Can be hours old: never the source of a pass or fail.
    pub credential_report_root: Collected<Option<RootCredentials>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSummary {
    pub account_mfa_enabled: u32,
    pub account_access_keys_present: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IamUser {
    pub name: String,
    #[serde(default)]
    pub arn: String,
    /// Names of the groups the user is in.
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub attached_policies: Vec<AttachedPolicy>,
    /// `iam:ListAccessKeys`: the user's access keys, metadata only (never a
    /// secret, and only the last four characters of the key id).
    #[serde(default)]
    pub access_keys: Collected<Vec<AccessKey>>,
    /// `iam:GetLoginProfile`: whether the user has a console password
    /// (`NoSuchEntity` means it has none).
    #[serde(default)]
    pub console_password: Collected<bool>,
}

/// An IAM user's access key, as the audit needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessKey {
    /// The last four characters of the access key id, to tell keys apart.
    pub id_ending: String,
    /// `Active` or `Inactive`.
    pub status: String,
    /// When the key was created (RFC 3339 UTC); `None` when AWS did not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IamGroup {
    pub name: String,
    #[serde(default)]
    pub attached_policies: Vec<AttachedPolicy>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachedPolicy {
    pub name: String,
    pub arn: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagedPolicy {
    pub name: String,
    pub arn: String,
    #[serde(default)]
    pub default_version_id: String,
    /// The default version's document, URL-decoded JSON text.
    pub document: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct RootCredentials {
    /// RFC 3339, `None` when the root password was never used.
    pub password_last_used: Option<String>,
    pub mfa_active: bool,
}

// ---------------------------------------------------------------- Identity Center

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct IdentityCenter {
    pub instances: Vec<SsoInstance>,
    pub permission_sets: Vec<PermissionSet>,
    pub groups: Vec<IdentityStoreGroup>,
    pub users: Vec<IdentityStoreUser>,
    pub group_memberships: Vec<GroupMembership>,
    /// From `ListAccountAssignments` per account and permission set.
    pub account_assignments: Vec<AccountAssignment>,
}

impl IdentityCenter {
    /// The permission set with this name.
    pub fn permission_set(&self, name: &str) -> Option<&PermissionSet> {
        self.permission_sets.iter().find(|p| p.name == name)
    }

    /// The identity-store group with this display name.
    pub fn group(&self, display_name: &str) -> Option<&IdentityStoreGroup> {
        self.groups.iter().find(|g| g.display_name == display_name)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SsoInstance {
    pub instance_arn: String,
    pub identity_store_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionSet {
    /// Opaque: never parse it (emulators use a different shape).
    pub arn: String,
    pub name: String,
    /// ARNs of attached AWS-managed policies.
    #[serde(default)]
    pub managed_policies: Vec<String>,
    /// The inline policy document, if any.
    #[serde(default)]
    pub inline_policy: Option<String>,
    /// Customer-managed policy references: a policy of this name and path
    /// in each account the set is assigned to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub customer_managed_policies: Vec<CustomerManagedPolicy>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerManagedPolicy {
    pub name: String,
    /// `/` unless the reference names one.
    pub path: String,
    /// Account id -> the policy's default version there, or why it could
    /// not be read.
    #[serde(default)]
    pub documents: BTreeMap<String, Collected<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityStoreGroup {
    pub id: String,
    pub display_name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityStoreUser {
    pub id: String,
    pub user_name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupMembership {
    pub group_id: String,
    pub user_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountAssignment {
    pub account_id: String,
    pub permission_set_arn: String,
    /// `GROUP` or `USER`.
    pub principal_type: String,
    pub principal_id: String,
}

// ---------------------------------------------------------------- Cognito

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct Cognito {
    pub user_pools: Vec<UserPool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserPool {
    pub id: String,
    pub name: String,
    /// Schema attributes marked required, e.g. `email`, `name`.
    #[serde(default)]
    pub required_attributes: Vec<String>,
    /// From `GetUserPoolMfaConfig`.
    #[serde(default)]
    pub mfa: Collected<MfaConfig>,
    #[serde(default)]
    pub clients: Vec<AppClient>,
    /// The hosted-UI prefix domain, if any.
    #[serde(default)]
    pub domain: Option<String>,
    #[serde(default)]
    pub custom_domain: Option<String>,
    #[serde(default)]
    pub estimated_number_of_users: u64,
    /// When the estimate is 0: whether a one-user listing found someone
    /// (`None` when not asked, because the estimate already counts users).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_user: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MfaConfig {
    /// `OFF`, `ON` or `OPTIONAL`.
    pub mfa_configuration: String,
    #[serde(default)]
    pub sms_enabled: bool,
    #[serde(default)]
    pub software_token_enabled: bool,
    #[serde(default)]
    pub email_enabled: bool,
}

/// An app client. Whether it has a secret is recorded; the secret never is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppClient {
    pub id: String,
    pub name: String,
    pub has_secret: bool,
    #[serde(default)]
    pub allowed_oauth_flows_user_pool_client: bool,
    /// `code`, `implicit`, `client_credentials`.
    #[serde(default)]
    pub allowed_oauth_flows: Vec<String>,
    #[serde(default)]
    pub allowed_oauth_scopes: Vec<String>,
    #[serde(default)]
    pub callback_urls: Vec<String>,
    #[serde(default)]
    pub logout_urls: Vec<String>,
    /// `COGNITO`, or external provider names.
    #[serde(default)]
    pub supported_identity_providers: Vec<String>,
}

// ---------------------------------------------------------------- CloudTrail

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct CloudTrail {
    pub trails: Vec<Trail>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trail {
    pub name: String,
    pub arn: String,
    #[serde(default)]
    pub home_region: String,
    /// The account that owns the trail.
    pub account_id: String,
    #[serde(default)]
    pub is_organization_trail: bool,
    #[serde(default)]
    pub is_multi_region_trail: bool,
    #[serde(default)]
    pub log_file_validation_enabled: bool,
    #[serde(default)]
    pub s3_bucket_name: String,
    /// The account owning the bucket, confirmed from inside the bucket's
    /// account when a role there can be assumed.
    #[serde(default)]
    pub bucket_account_id: Collected<String>,
    /// `GetTrailStatus`.
    #[serde(default)]
    pub status: Collected<TrailStatus>,
    #[serde(default)]
    pub event_selectors: Vec<EventSelector>,
    #[serde(default)]
    pub advanced_event_selectors: Vec<AdvancedEventSelector>,
    /// Insight types enabled, e.g. `ApiCallRateInsight`.
    #[serde(default)]
    pub insight_selectors: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrailStatus {
    pub is_logging: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSelector {
    /// `All`, `ReadOnly` or `WriteOnly`.
    pub read_write_type: String,
    pub include_management_events: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdvancedEventSelector {
    #[serde(default)]
    pub name: String,
    pub field_selectors: Vec<FieldSelector>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSelector {
    /// e.g. `eventCategory`, `readOnly`.
    pub field: String,
    #[serde(default)]
    pub equals: Vec<String>,
    #[serde(default)]
    pub not_equals: Vec<String>,
}

// ---------------------------------------------------------------- KMS

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct Kms {
    pub keys: Vec<KmsKey>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KmsKey {
    pub key_id: String,
    /// `CUSTOMER` or `AWS`.
    pub key_manager: String,
    /// `Enabled`, `Disabled`, `PendingDeletion`, ...
    pub key_state: String,
    /// `SYMMETRIC_DEFAULT`, `RSA_2048`, `HMAC_256`, ...
    pub key_spec: String,
    /// `ENCRYPT_DECRYPT`, `SIGN_VERIFY`, `GENERATE_VERIFY_MAC`, ...
    pub key_usage: String,
    /// `AWS_KMS`, `EXTERNAL` (imported material), `AWS_CLOUDHSM`, `EXTERNAL_KEY_STORE`.
    pub origin: String,
    /// `GetKeyRotationStatus`; unavailable for keys that cannot rotate.
    #[serde(default)]
    pub rotation_enabled: Collected<bool>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

// ---------------------------------------------------------------- GuardDuty

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardDuty {
    /// `ListOrganizationAdminAccounts`, from the management account.
    #[serde(default)]
    pub admin_accounts: Collected<Vec<GuardDutyAdmin>>,
    /// Detectors in the accounts and regions looked at (the delegated admin's).
    #[serde(default)]
    pub detectors: Collected<Vec<Detector>>,
    /// Regions whose detectors could not be read (the others are in `detectors`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unavailable_regions: BTreeMap<String, Unavailable>,
    /// `DescribeOrganizationConfiguration`, from the delegated administrator,
    /// in the first lab region (what snapshots before format 2 hold).
    #[serde(default)]
    pub organization_config: Collected<Option<GuardDutyOrgConfig>>,
    /// The same per lab region (empty in snapshots before format 2).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub organization_config_by_region: BTreeMap<String, Collected<Option<GuardDutyOrgConfig>>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardDutyAdmin {
    pub account_id: String,
    /// The region it was listed in; empty in snapshots before format 2
    /// (listed in the caller's region), which stands for every region.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub region: String,
    /// `ENABLED` or `DISABLE_IN_PROGRESS`.
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Detector {
    pub account_id: String,
    pub region: String,
    pub detector_id: String,
    /// `ENABLED` or `DISABLED`.
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardDutyOrgConfig {
    /// `NEW`, `ALL` or `NONE`.
    pub auto_enable_organization_members: String,
}

// ---------------------------------------------------------------- Security Hub, Macie, Detective, Audit Manager

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct SecurityHub {
    /// Per account id, looked at from inside that account.
    pub accounts: BTreeMap<String, Collected<SecurityHubAccount>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityHubAccount {
    pub enabled: bool,
    /// ARNs of enabled standards subscriptions' standards.
    #[serde(default)]
    pub standards: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct Macie {
    /// The organization's Macie administrator account, if any.
    pub admin_account: Collected<Option<String>>,
    /// Per account id: the Macie session status (`ENABLED`, `PAUSED`) or unavailable.
    pub accounts: BTreeMap<String, Collected<MacieSession>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MacieSession {
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct Detective {
    /// Per account id: the ARNs of its behavior graphs.
    pub accounts: BTreeMap<String, Collected<Vec<String>>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct AuditManager {
    pub assessments: Vec<Assessment>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    pub name: String,
    pub framework_name: String,
    #[serde(default)]
    pub status: String,
}

/// The demo snapshots, parsed, for tests (this crate's, and `labbook`'s
/// through the `testing` feature).
#[cfg(any(test, feature = "testing"))]
#[doc(hidden)]
pub mod demo {
    use super::Facts;

    pub fn finished() -> Facts {
        serde_json::from_str(include_str!("../../../assets/demo/finished.json"))
            .expect("finished.json is a facts snapshot")
    }

    pub fn halfway() -> Facts {
        serde_json::from_str(include_str!("../../../assets/demo/halfway.json"))
            .expect("halfway.json is a facts snapshot")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unavailable_groups_round_trip_readably() {
        let mut f = Facts::empty_account("111111111111");
        f.macie = Collected::Unavailable(Unavailable::denied("macie2:GetMacieSession"));
        let json = serde_json::to_string(&f).expect("json");
        assert!(
            json.contains(r#""macie":{"unavailable":{"reason":"access denied","permission":"macie2:GetMacieSession"}}"#),
            "{json}"
        );
        let back: Facts = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, f);
    }

    #[test]
    fn a_group_missing_from_a_snapshot_is_unavailable_not_empty() {
        let f: Facts = serde_json::from_str(r#"{"account_id": "1"}"#).expect("parse");
        assert!(f.kms.ok().is_none());
        assert_eq!(
            f.kms.as_result().err().map(|u| u.reason.as_str()),
            Some("not in the snapshot")
        );
    }

    #[test]
    fn a_snapshot_carrying_a_client_secret_is_rejected() {
        let mut v: serde_json::Value = serde_json::to_value(demo::finished()).expect("to json");
        v["cognito"]["user_pools"][0]["clients"][0]["client_secret"] = "s3cr3t".into();
        let err = serde_json::from_value::<Facts>(v).expect_err("secret rejected");
        assert!(err.to_string().contains("client_secret"), "{err}");
    }

    #[test]
    fn a_snapshot_of_the_first_format_is_migrated_and_a_newer_one_refused() {
        let old = br#"{"account_id": "1", "kms": {"keys": []}}"#;
        let f = Facts::from_json(old).expect("format 1 migrates");
        assert_eq!(f.format_version, Facts::VERSION);
        assert!(f.unread.is_empty());
        let newer = format!(
            r#"{{"format_version": {}, "account_id": "1"}}"#,
            Facts::VERSION + 1
        );
        let err = Facts::from_json(newer.as_bytes()).expect_err("newer refused");
        assert!(
            err.to_string().contains("labbook collect --out FILE"),
            "{err}"
        );
        let saved = serde_json::to_string(&Facts::empty_account("1")).expect("json");
        assert!(
            saved.contains(&format!("\"format_version\":{}", Facts::VERSION)),
            "{saved}"
        );
    }

    #[test]
    fn both_demo_snapshots_parse() {
        assert_eq!(demo::finished().account_id, "111111111111");
        assert_eq!(demo::halfway().account_id, "111111111111");
    }

    #[test]
    fn nested_ous_count_for_accounts_in_an_ou() {
        let f = demo::finished();
        let org = f.organization.ok().and_then(|o| o.as_ref()).expect("org");
        let names: Vec<_> = org
            .lab_ou("sandbox")
            .expect("sandbox")
            .accounts
            .iter()
            .map(|p| p.account.name.clone())
            .collect();
        assert!(names.contains(&"test".to_string()), "{names:?}");
    }
}

// ---------------------------------------------------------------- OUs by position

/// The lab's OU found by position: the OU of that name directly under a
/// root, with every account in its subtree (nested OUs included).
#[derive(Debug, Clone, PartialEq)]
pub struct LabOu<'a> {
    pub ou: &'a OrganizationalUnit,
    /// Every account in the OU or an OU nested in it, with its chain.
    pub accounts: Vec<AccountPlace<'a>>,
}

impl LabOu<'_> {
    /// Is the account with this id in the OU's subtree?
    pub fn contains(&self, account_id: &str) -> bool {
        self.accounts.iter().any(|p| p.account.id == account_id)
    }

    /// The ids of the accounts in the subtree.
    pub fn account_ids(&self) -> std::collections::BTreeSet<String> {
        self.accounts.iter().map(|p| p.account.id.clone()).collect()
    }
}

/// The one rule for "in OU `name`": the labs' OUs are identified by
/// position, not by name. `management` and `sandbox` are the OUs of those
/// names *directly under the root*; "in sandbox" means in that OU's
/// subtree; an OU of the same name deeper down is not it, and when there is
/// no such OU every step that depends on it fails.
impl Organization {
    /// The top-level OU named `name` and the accounts in its subtree;
    /// `None` when no OU of that name sits directly under a root.
    pub fn lab_ou(&self, name: &str) -> Option<LabOu<'_>> {
        let ou = self.top_level_ou(name)?;
        let accounts = self
            .accounts()
            .into_iter()
            .filter(|p| p.chain.get(1) == Some(&ou.id))
            .collect();
        Some(LabOu { ou, accounts })
    }
}
