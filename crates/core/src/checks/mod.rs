//! The lab checks: one file per check kind, each a pure function from
//! [`Facts`] and the step's parameters to an [`Outcome`], with its metadata
//! (`META`) beside it. The registry ([`ALL`]) lists every kind.
//!
//! Owns the check kinds, their parameters and defaults, and the outcome type.
//! Must not depend on the AWS SDK, the network, the clock, the file system or
//! any UI: a check sees only the facts of the operations in `META.reads`. A fact
//! group that could not be collected makes a check `unknown` (naming the
//! permission), never `fail`. Steps decided by what a policy allows go
//! through [`crate::policy`], never through string matching.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::facts::{Collected, FactGroup, Facts, Organization, Unavailable};

pub mod auditmanager_fsbp;
pub mod cognito_client;
pub mod cognito_domain;
pub mod cognito_mfa;
pub mod cognito_oauth;
pub mod cognito_pool;
pub mod cognito_signup;
pub mod detective_graph;
pub mod guardduty_auto_enable;
pub mod guardduty_delegated_admin;
pub mod guardduty_detectors;
pub mod iam_scoped_policy;
pub mod iam_user_has_policy;
pub mod iam_user_not_admin;
pub mod kms_cmk;
pub mod kms_cmk_rotation;
pub mod macie_admin;
pub mod org_all_features;
pub mod org_structure;
pub mod pick;
pub mod root_mfa;
pub mod root_no_access_keys;
pub mod scp_full_access_kept;
pub mod scp_policy_type;
pub mod scp_region_deny;
pub mod scp_region_deny_attached;
pub mod securityhub_fsbp;
pub mod sso_assignments;
pub mod sso_groups;
pub mod sso_instance;
pub mod sso_permission_set;
pub mod sso_restricted_permission_set;
pub mod trail_bucket_elsewhere;
pub mod trail_coverage;
pub mod trail_insights;
pub mod trail_logging;
pub mod trail_org;
pub mod trail_validation;

// ---------------------------------------------------------------- what checks read
// Named groups of the operations in `CheckMeta::reads`, so each group is
// written once.

/// Operations several checks read: org tree.
pub const ORG_TREE: &[&str] = &[
    "organizations:DescribeOrganization",
    "organizations:ListRoots",
    "organizations:ListOrganizationalUnitsForParent",
    "organizations:ListAccountsForParent",
];
/// Operations several checks read: scps.
pub const SCPS: &[&str] = &[
    "organizations:ListPolicies",
    "organizations:DescribePolicy",
    "organizations:ListTargetsForPolicy",
];
/// Operations several checks read: member.
pub const MEMBER: &[&str] = &["sts:AssumeRole"];
/// Operations several checks read: iam policies.
pub const IAM_POLICIES: &[&str] = &["iam:ListPolicies", "iam:GetPolicyVersion"];
/// Operations several checks read: iam users.
pub const IAM_USERS: &[&str] = &[
    "iam:ListUsers",
    "iam:ListGroupsForUser",
    "iam:ListAttachedUserPolicies",
    "iam:ListGroups",
    "iam:ListAttachedGroupPolicies",
];
/// Operations several checks read: permission sets.
pub const PERMISSION_SETS: &[&str] = &[
    "sso:ListInstances",
    "sso:ListPermissionSets",
    "sso:DescribePermissionSet",
    "sso:ListManagedPoliciesInPermissionSet",
    "sso:GetInlinePolicyForPermissionSet",
    "sso:ListCustomerManagedPolicyReferencesInPermissionSet",
];
/// Operations several checks read: user pools.
pub const USER_POOLS: &[&str] = &["cognito-idp:ListUserPools", "cognito-idp:DescribeUserPool"];
/// Operations several checks read: pool clients.
pub const POOL_CLIENTS: &[&str] = &[
    "cognito-idp:ListUserPoolClients",
    "cognito-idp:DescribeUserPoolClient",
];
/// Operations several checks read: trails.
pub const TRAILS: &[&str] = &[
    "organizations:DescribeOrganization",
    "cloudtrail:DescribeTrails",
];
/// Operations several checks read: keys.
pub const KEYS: &[&str] = &["kms:ListKeys", "kms:DescribeKey", "kms:ListAliases"];
/// Operations several checks read: detectors.
pub const DETECTORS: &[&str] = &["guardduty:ListDetectors", "guardduty:GetDetector"];
/// Operations several checks read: org.
pub const ORG: &[&str] = &["organizations:DescribeOrganization"];

/// The `region` parameter of a check of a regional service: where the lab
/// uses it, whatever region the learner's profile names.
pub const REGION_PARAM: ParamSpec = ParamSpec {
    name: "region",
    doc: "The region the lab uses this service in (not the profile's region)",
    default: ParamDefault::Str("eu-central-1"),
};

/// The `regions` parameter of the GuardDuty checks: the lab's two regions.
pub const GUARDDUTY_REGIONS_PARAM: ParamSpec = ParamSpec {
    name: "regions",
    doc: "The regions GuardDuty must cover (the lab's two)",
    default: ParamDefault::List(&["eu-central-1", "eu-central-2"]),
};

/// The `account` parameter of a check about a service run by one member
/// account (the chapter's `security`); `doc` says what that account does.
pub const fn account_param(doc: &'static str) -> ParamSpec {
    ParamSpec {
        name: "account",
        doc,
        default: ParamDefault::Str("security"),
    }
}

/// A check kind: its metadata and its evaluation function.
#[derive(Clone, Copy)]
pub struct Check {
    pub meta: &'static CheckMeta,
    pub evaluate: fn(&Facts, &Params) -> Outcome,
    /// The source file, so the registry test can match kinds to files.
    pub file: &'static str,
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Check")
            .field("kind", &self.meta.kind)
            .finish()
    }
}

macro_rules! registry {
    ($($module:ident),* $(,)?) => {
        /// Every check kind, sorted by kind.
        pub const ALL: &[Check] = &[
            $(Check { meta: &$module::META, evaluate: $module::evaluate, file: file!() },)*
        ];
        /// The module name of each registry entry, in the same order as [`ALL`].
        #[cfg(test)]
        const MODULES: &[&str] = &[$(stringify!($module)),*];
    };
}

registry!(
    auditmanager_fsbp,
    cognito_client,
    cognito_domain,
    cognito_mfa,
    cognito_oauth,
    cognito_pool,
    cognito_signup,
    detective_graph,
    guardduty_auto_enable,
    guardduty_delegated_admin,
    guardduty_detectors,
    iam_scoped_policy,
    iam_user_has_policy,
    iam_user_not_admin,
    kms_cmk,
    kms_cmk_rotation,
    macie_admin,
    org_all_features,
    org_structure,
    root_mfa,
    root_no_access_keys,
    scp_full_access_kept,
    scp_policy_type,
    scp_region_deny,
    scp_region_deny_attached,
    securityhub_fsbp,
    sso_assignments,
    sso_groups,
    sso_instance,
    sso_permission_set,
    sso_restricted_permission_set,
    trail_bucket_elsewhere,
    trail_coverage,
    trail_insights,
    trail_logging,
    trail_org,
    trail_validation,
);

impl CheckMeta {
    /// The fact groups its operations belong to; the collector gathers only these.
    pub fn needs(&self) -> std::collections::BTreeSet<FactGroup> {
        self.operations()
            .filter_map(FactGroup::of_operation)
            .collect()
    }

    /// Every operation it reads, once per group it is listed in.
    pub fn operations(&self) -> impl Iterator<Item = &'static str> {
        self.reads.iter().flat_map(|group| group.iter().copied())
    }
}

impl Check {
    /// Judges a step: `unknown` naming the operation and its permission when
    /// an operation the step reads could not be read, else the check's
    /// verdict. Every way of running checks goes through here.
    pub fn run(&self, facts: &Facts, params: &Params) -> Outcome {
        if let Some((op, u)) = self
            .meta
            .operations()
            .find_map(|op| facts.unread.get(op).map(|u| (op, u)))
        {
            return Outcome::unavailable(&format!("this step ({op} could not be read)"), u);
        }
        (self.evaluate)(facts, params)
    }
}

/// Finds a check kind.
pub fn find(kind: &str) -> Option<&'static Check> {
    ALL.iter().find(|c| c.meta.kind == kind)
}

/// What a check is, what it reads and what it accepts.
#[derive(Debug)]
pub struct CheckMeta {
    /// The kind used in lab files, e.g. `root-mfa`; the file is `root_mfa.rs`.
    pub kind: &'static str,
    /// One line: what the check confirms.
    pub title: &'static str,
    /// The AWS operations (IAM actions) its facts come from, directly or
    /// to find the accounts they live in: the one table of what a step
    /// depends on. The fact groups to collect follow from it
    /// ([`CheckMeta::needs`]), and a step is `unknown` exactly when one of
    /// these failed ([`Check::run`]).
    pub reads: &'static [&'static [&'static str]],
    /// The parameters a lab step may set, with the chapter's values as defaults.
    pub params: &'static [ParamSpec],
}

/// One parameter of a check kind.
#[derive(Debug)]
pub struct ParamSpec {
    pub name: &'static str,
    pub doc: &'static str,
    pub default: ParamDefault,
}

#[derive(Debug)]
pub enum ParamDefault {
    Str(&'static str),
    List(&'static [&'static str]),
}

/// A parameter value from a lab file (or its default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    Str(String),
    List(Vec<String>),
}

impl ParamDefault {
    fn value(&self) -> ParamValue {
        match self {
            ParamDefault::Str(s) => ParamValue::Str((*s).to_string()),
            ParamDefault::List(l) => ParamValue::List(l.iter().map(|s| (*s).to_string()).collect()),
        }
    }

    /// The JSON type name, for messages and the schema.
    pub fn type_name(&self) -> &'static str {
        match self {
            ParamDefault::Str(_) => "string",
            ParamDefault::List(_) => "array",
        }
    }
}

/// A step's parameters, every declared one present (given or defaulted).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    values: BTreeMap<String, ParamValue>,
}

impl Params {
    /// Fills in defaults and checks names and types; the error is one sentence.
    pub fn resolve(
        meta: &CheckMeta,
        given: BTreeMap<String, ParamValue>,
    ) -> Result<Params, String> {
        let mut values = BTreeMap::new();
        for (name, value) in given {
            let Some(spec) = meta.params.iter().find(|p| p.name == name) else {
                return Err(unknown_param_message(meta, &name));
            };
            let value = match (&spec.default, value) {
                (ParamDefault::Str(_), v @ ParamValue::Str(_)) => v,
                (ParamDefault::List(_), v @ ParamValue::List(_)) => v,
                // A single string where a list is expected is a list of one.
                (ParamDefault::List(_), ParamValue::Str(s)) => ParamValue::List(vec![s]),
                (ParamDefault::Str(_), ParamValue::List(_)) => {
                    return Err(format!(
                        "parameter `{name}` of check `{}` must be a string, not a list",
                        meta.kind
                    ));
                }
            };
            values.insert(name, value);
        }
        for spec in meta.params {
            values
                .entry(spec.name.to_string())
                .or_insert_with(|| spec.default.value());
        }
        Ok(Params { values })
    }

    /// The defaults of a check kind.
    pub fn defaults(meta: &CheckMeta) -> Params {
        Params::resolve(meta, BTreeMap::new()).unwrap_or_default()
    }

    /// A string parameter; empty when the kind does not declare it.
    pub fn str(&self, name: &str) -> &str {
        match self.values.get(name) {
            Some(ParamValue::Str(s)) => s,
            _ => "",
        }
    }

    /// A list parameter; empty when the kind does not declare it.
    pub fn list(&self, name: &str) -> &[String] {
        match self.values.get(name) {
            Some(ParamValue::List(l)) => l,
            _ => &[],
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &ParamValue)> {
        self.values.iter()
    }

    /// Sets a parameter (tests and course authors' tooling).
    pub fn with(mut self, name: &str, value: ParamValue) -> Params {
        self.values.insert(name.to_string(), value);
        self
    }
}

pub fn unknown_param_message(meta: &CheckMeta, name: &str) -> String {
    let names: Vec<&str> = meta.params.iter().map(|p| p.name).collect();
    let mut msg = format!("unknown parameter `{name}` for check `{}`", meta.kind);
    if let Some(s) = crate::suggest::suggest(name, &names) {
        msg.push_str(&format!("; did you mean `{s}`?"));
    }
    if names.is_empty() {
        msg.push_str(" (it takes no parameters)");
    } else {
        msg.push_str(&format!(" (expected one of {})", backticked(&names)));
    }
    msg
}

pub fn backticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The four outcomes a step can have; never more, never fewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Unknown,
    Manual,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
            Status::Manual => "manual",
        }
    }
}

/// One thing the learner can inspect: `key: value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub key: String,
    pub value: String,
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub status: Status,
    /// One sentence naming the resource and, unless it passed, what to do.
    pub message: String,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

impl Outcome {
    pub fn pass(message: impl Into<String>) -> Outcome {
        Outcome {
            status: Status::Pass,
            message: message.into(),
            evidence: Vec::new(),
        }
    }

    pub fn fail(message: impl Into<String>) -> Outcome {
        Outcome {
            status: Status::Fail,
            message: message.into(),
            evidence: Vec::new(),
        }
    }

    pub fn unknown(message: impl Into<String>) -> Outcome {
        Outcome {
            status: Status::Unknown,
            message: message.into(),
            evidence: Vec::new(),
        }
    }

    /// `pass` with message `pass` when `ok`, else `fail` with message `fail`.
    pub fn pass_if(ok: bool, pass: impl Into<String>, fail: impl Into<String>) -> Outcome {
        if ok {
            Outcome::pass(pass)
        } else {
            Outcome::fail(fail)
        }
    }

    pub fn manual() -> Outcome {
        Outcome {
            status: Status::Manual,
            message: crate::strings::MANUAL_STEP.to_string(),
            evidence: Vec::new(),
        }
    }

    /// `unknown`, naming what could not be read and the missing permission.
    pub fn unavailable(what: &str, u: &Unavailable) -> Outcome {
        let mut o = Outcome::unknown(match &u.permission {
            Some(p) => format!(
                "Could not verify {what}: {} (the caller lacks {p}).",
                u.reason
            ),
            None => format!("Could not verify {what}: {}.", u.reason),
        });
        o.evidence.push(ev("reason", &u.reason));
        if let Some(p) = &u.permission {
            o.evidence.push(ev("missing permission", p));
        }
        o
    }

    pub fn with(mut self, key: &str, value: impl Into<String>) -> Outcome {
        self.evidence.push(ev(key, value));
        self
    }

    pub fn with_all(mut self, evidence: Vec<Evidence>) -> Outcome {
        self.evidence.extend(evidence);
        self
    }
}

pub fn ev(key: &str, value: impl Into<String>) -> Evidence {
    Evidence {
        key: key.to_string(),
        value: value.into(),
    }
}

/// `Ok(data)` or the `unknown` outcome for it; use with `?` inside a check.
pub fn need<'a, T>(c: &'a Collected<T>, what: &str) -> Result<&'a T, Outcome> {
    c.as_result().map_err(|u| Outcome::unavailable(what, u))
}

/// The organization, or `unknown` / `fail` when there is none.
pub fn need_org(facts: &Facts) -> Result<&Organization, Outcome> {
    match need(&facts.organization, "the organization")? {
        Some(org) => Ok(org),
        None => Err(Outcome::fail(format!(
            "Account {} is not in an organization; create one from this account first (lab org).",
            facts.account_id
        ))),
    }
}

/// The id of the account named `name` in the organization, or a `fail`.
pub fn need_account<'a>(org: &'a Organization, name: &str) -> Result<&'a str, Outcome> {
    org.account_by_name(name)
        .map(|a| a.id.as_str())
        .ok_or_else(|| {
            Outcome::fail(format!(
                "The organization has no account named `{name}`; create it first (lab org)."
            ))
        })
}

/// The account the step's `account` parameter ([`account_param`]) names and
/// its id, or the `unknown` / `fail` of [`need_org`] and [`need_account`].
pub fn need_named_account<'p, 'f>(
    facts: &'f Facts,
    params: &'p Params,
) -> Result<(&'p str, &'f str), Outcome> {
    let name = params.str("account");
    Ok((name, need_account(need_org(facts)?, name)?))
}

/// Runs a check body written with `?` and returns its outcome either way.
pub fn run(body: impl FnOnce() -> Result<Outcome, Outcome>) -> Outcome {
    body().unwrap_or_else(|o| o)
}

/// `a, b and c`.
pub fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let head: Vec<&str> = rest.iter().map(|s| s.as_ref()).collect();
            format!("{} and {}", head.join(", "), last.as_ref())
        }
    }
}

#[cfg(test)]
pub mod testing {
    //! Helpers for check tests: the finished demo account, mutated per trap.
    //! That every kind passes on the finished account itself is tested once,
    //! for all kinds, in this module's tests.
    use crate::facts::Facts;
    pub use crate::facts::demo::{finished, halfway};

    use super::{Check, CheckMeta, Outcome, Params, Status};

    /// The verdict of the kind `meta` describes on `facts`, with its defaults.
    pub fn eval(meta: &CheckMeta, facts: &Facts) -> Outcome {
        check(meta.kind).run(facts, &Params::defaults(meta))
    }

    #[track_caller]
    pub fn assert_status(o: &Outcome, status: Status) {
        assert_eq!(o.status, status, "{o:#?}");
        assert!(!o.message.is_empty());
    }

    /// `o` has `status` and its message names `needle` (the message is shown
    /// when it does not).
    #[track_caller]
    pub fn assert_names(o: &Outcome, status: Status, needle: &str) {
        assert_status(o, status);
        assert!(o.message.contains(needle), "{}", o.message);
    }

    /// Finds the registry entry for a module (tests use `check!()`).
    pub fn check(kind: &str) -> &'static Check {
        super::find(kind).expect("registered kind")
    }

    pub fn org_mut(f: &mut Facts) -> &mut crate::facts::Organization {
        match &mut f.organization {
            crate::facts::Collected::Ok(Some(o)) => o,
            _ => panic!("the demo facts have an organization"),
        }
    }

    pub fn ok_mut<T>(c: &mut crate::facts::Collected<T>) -> &mut T {
        match c {
            crate::facts::Collected::Ok(v) => v,
            crate::facts::Collected::Unavailable(u) => panic!("unavailable: {u:?}"),
        }
    }

    /// The finished account's IAM user with this name.
    pub fn user_mut<'a>(f: &'a mut Facts, name: &str) -> &'a mut crate::facts::IamUser {
        ok_mut(&mut f.iam)
            .users
            .iter_mut()
            .find(|u| u.name == name)
            .expect("user")
    }

    /// The finished account's permission set with this name.
    pub fn permission_set_mut<'a>(
        f: &'a mut Facts,
        name: &str,
    ) -> &'a mut crate::facts::PermissionSet {
        ok_mut(&mut f.identity_center)
            .permission_sets
            .iter_mut()
            .find(|p| p.name == name)
            .expect("permission set")
    }

    /// The finished account where `operation` could not be read (denied).
    pub fn unread(operation: &str) -> Facts {
        let mut f = finished();
        f.unread.insert(
            operation.into(),
            crate::facts::Unavailable::denied(operation),
        );
        f
    }

    /// The finished account with its (only, so the lab's) trail changed.
    pub fn with_trail(change: impl FnOnce(&mut crate::facts::Trail)) -> Facts {
        let mut f = finished();
        change(&mut ok_mut(&mut f.cloudtrail).trails[0]);
        f
    }

    /// The finished account with its (only, so the lab's) user pool changed.
    pub fn with_pool(change: impl FnOnce(&mut crate::facts::UserPool)) -> Facts {
        let mut f = finished();
        change(&mut ok_mut(&mut f.cognito).user_pools[0]);
        f
    }

    /// The finished account with the lab's app client changed.
    pub fn with_client(change: impl FnOnce(&mut crate::facts::AppClient)) -> Facts {
        with_pool(|p| change(&mut p.clients[0]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_unique_sorted_and_match_their_file_names() {
        let kinds: Vec<&str> = ALL.iter().map(|c| c.meta.kind).collect();
        let mut sorted = kinds.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(kinds, sorted, "kinds must be unique and sorted");
        for (check, module) in ALL.iter().zip(MODULES) {
            assert_eq!(check.meta.kind.replace('-', "_"), *module);
            let path = format!("{}/src/checks/{module}.rs", env!("CARGO_MANIFEST_DIR"));
            assert!(std::path::Path::new(&path).is_file(), "{path}");
        }
        let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/src/checks"))
            .expect("checks dir")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            // `pick.rs` is the lab-resource chooser the checks share, not a check.
            .filter(|n| n.ends_with(".rs") && n != "mod.rs" && n != "pick.rs")
            .count();
        assert_eq!(files, ALL.len(), "every file in src/checks is registered");
    }

    #[test]
    fn a_step_is_unknown_only_when_an_operation_it_reads_failed() {
        let f = testing::unread("iam:ListUsers");
        let user = find("iam-user-has-policy").expect("kind");
        let o = user.run(&f, &Params::defaults(user.meta));
        assert_eq!(o.status, Status::Unknown);
        assert!(o.message.contains("iam:ListUsers"), "{}", o.message);
        // The root steps never read the user list.
        let mfa = find("root-mfa").expect("kind");
        assert_eq!(
            mfa.run(&f, &Params::defaults(mfa.meta)).status,
            Status::Pass
        );
    }

    #[test]
    fn every_operation_a_check_reads_belongs_to_a_group_or_reaches_members() {
        for c in ALL {
            for op in c.meta.operations() {
                assert!(
                    FactGroup::of_operation(op).is_some() || op == "sts:AssumeRole",
                    "{}: {op}",
                    c.meta.kind
                );
            }
        }
    }

    #[test]
    fn every_check_declares_what_it_needs_and_a_title() {
        for c in ALL {
            assert!(!c.meta.needs().is_empty(), "{}", c.meta.kind);
            assert!(!c.meta.title.is_empty(), "{}", c.meta.kind);
            let mut names: Vec<_> = c.meta.params.iter().map(|p| p.name).collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), c.meta.params.len(), "{}", c.meta.kind);
        }
    }

    #[test]
    fn the_kind_list_is_stable() {
        let kinds: Vec<&str> = ALL.iter().map(|c| c.meta.kind).collect();
        insta::assert_snapshot!(kinds.join("\n"));
    }

    /// The finished demo account is the goal of every lab: each kind, with
    /// the chapter's values (its defaults), passes on it.
    #[test]
    fn every_kind_passes_on_the_finished_account() {
        let facts = testing::finished();
        for c in ALL {
            let o = testing::eval(c.meta, &facts);
            assert_eq!(o.status, Status::Pass, "{}: {}", c.meta.kind, o.message);
            assert!(!o.message.is_empty(), "{}", c.meta.kind);
        }
    }

    #[test]
    fn a_check_whose_facts_are_missing_is_unknown_never_fail() {
        let facts = Facts {
            account_id: "111111111111".into(),
            ..Facts::default()
        };
        for c in ALL {
            let o = (c.evaluate)(&facts, &Params::defaults(c.meta));
            assert_eq!(o.status, Status::Unknown, "{}: {o:?}", c.meta.kind);
        }
    }

    #[test]
    fn a_denied_group_names_the_missing_permission() {
        let o = Outcome::unavailable(
            "the SCPs",
            &Unavailable::denied("organizations:ListPoliciesForTarget"),
        );
        assert_eq!(o.status, Status::Unknown);
        assert!(o.message.contains("organizations:ListPoliciesForTarget"));
    }

    #[test]
    fn params_reject_unknown_names_with_a_suggestion_and_fill_defaults() {
        let meta = &sso_groups::META;
        let err = Params::resolve(
            meta,
            BTreeMap::from([("group".to_string(), ParamValue::Str("x".into()))]),
        )
        .expect_err("unknown");
        assert!(err.contains("did you mean `groups`"), "{err}");
        let p = Params::defaults(meta);
        assert_eq!(p.list("groups"), ["Admin", "CCC", "Dev"]);
    }

    #[test]
    fn and_list_reads_like_english() {
        assert_eq!(and_list(&["a"]), "a");
        assert_eq!(and_list(&["a", "b", "c"]), "a, b and c");
    }
}
