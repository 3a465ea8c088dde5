//! IAM policy evaluation: parse identity policies and SCPs, decide what a
//! request is allowed to do across layers, and explain the decision.
//!
//! Pure: no AWS SDK. Checks that depend on what a policy *allows*
//! (rather than how it is spelled) go through this module. It reads no
//! files and owns no argument types (`labbook policy explain` is
//! `cli/policy.rs`).
//!
//! Layout: `parse` turns JSON into [`Policy`] with JSON-path errors;
//! `matching` compiles and matches wildcard/ARN patterns; `context` looks
//! up case-insensitive context keys; `condition` implements the condition operators; `eval` decides requests
//! across identity policies and SCP layers and records the explanation;
//! `analysis` answers the whole-policy questions over every request a
//! question leaves open (allowed for some / every request? outside a
//! service? an administrator? every service?), soundly.
//!
//! Not modelled: resource-based policies, permission boundaries, session
//! policies and RCPs (the labs need identity policies and SCPs only);
//! `Principal` is matched against the `aws:PrincipalArn`,
//! `aws:PrincipalAccount` and `aws:PrincipalServiceName` context keys
//! (without them only `"*"` / `{"AWS": "*"}` match).
//!
//! Speed: patterns are compiled at parse time (action patterns lower-cased,
//! literal/prefix fast paths), and [`decide`] / [`allowed_regions`] share
//! the evaluator with [`evaluate`] but never build explanation strings; see
//! `benches/policy.rs`.

use std::collections::BTreeMap;

mod analysis;
mod condition;
mod context;
mod eval;
mod matching;
mod parse;

pub use condition::{Condition, SetOp};
pub use matching::Pattern;

/// Every commercial AWS region (partition `aws`), for checks that must test
/// every region rather than a sample. Current as of 2025 (ap-southeast-6,
/// Asia Pacific (New Zealand), is the latest); checks also try
/// [`FUTURE_REGION`], so a list that falls behind cannot turn a deny-list
/// of today's regions into a pass.
pub const COMMERCIAL_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/// A region name that does not exist yet: a deny-list that enumerates
/// today's regions leaves it (and every region AWS adds) open.
pub const FUTURE_REGION: &str = "xx-future-1";

/// Policy language version. Policy variables (`${aws:username}`) are
/// substituted only in 2012-10-17; in 2008-10-17 (and when `Version` is
/// absent, which AWS treats as 2008-10-17) they are literal text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V2008,
    V2012,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// `Action` or `NotAction` (patterns are compiled lower-case: action names
/// are case-insensitive).
#[derive(Debug, Clone, PartialEq)]
pub enum ActionSpec {
    Action(Vec<Pattern>),
    NotAction(Vec<Pattern>),
}

/// `Resource` or `NotResource` (case-sensitive, ARN segment matching).
#[derive(Debug, Clone, PartialEq)]
pub enum ResourceSpec {
    Resource(Vec<Pattern>),
    NotResource(Vec<Pattern>),
}

/// The principals of a `Principal`/`NotPrincipal` element.
#[derive(Debug, Clone, PartialEq)]
pub struct Principals {
    /// `"*"` or `{"AWS": "*"}`: everyone.
    pub any: bool,
    /// `("AWS", [arn or account id, ...])`, `("Service", [...])`, ...
    pub by_type: Vec<(String, Vec<String>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PrincipalSpec {
    Principal(Principals),
    NotPrincipal(Principals),
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    pub principal: Option<PrincipalSpec>,
    pub actions: ActionSpec,
    pub resources: ResourceSpec,
    /// Every condition must hold (operators and keys are AND-ed).
    pub conditions: Vec<Condition>,
}

/// A parsed policy document (identity policy, permission-set inline policy or SCP).
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub version: Version,
    pub id: Option<String>,
    pub statements: Vec<Statement>,
}

/// A malformed policy document; `path` is the JSON path of the problem, e.g. `$.Statement[1].Condition`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct PolicyError {
    pub path: String,
    pub message: String,
}

impl Policy {
    /// Parse a policy document as AWS accepts it.
    pub fn parse(json: &str) -> Result<Policy, PolicyError> {
        parse::parse(json)
    }
}

/// One request to decide.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Request {
    /// `service:Action`, e.g. `ec2:RunInstances` (case-insensitive).
    pub action: String,
    /// Resource ARN, `*` when the action has no resource.
    pub resource: String,
    /// Context keys (`aws:RequestedRegion`, `aws:PrincipalTag/team`, ...): key -> values.
    /// Keys are case-insensitive; a single-valued key has one value.
    pub context: BTreeMap<String, Vec<String>>,
}

impl Request {
    /// A request for `action` on `*` in `region` (sets `aws:RequestedRegion`).
    pub fn in_region(action: &str, region: &str) -> Request {
        let mut context = BTreeMap::new();
        context.insert("aws:RequestedRegion".to_string(), vec![region.to_string()]);
        Request {
            action: action.to_string(),
            resource: "*".to_string(),
            context,
        }
    }
}

/// The policies that govern one principal.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    /// Identity-based policies (managed, inline, through groups, permission sets).
    pub identity: Vec<Policy>,
    /// SCP layers from the root down to the account: `[root, ou, ..., account]`.
    /// Each layer must allow; a deny in any layer denies. Empty = no SCPs apply.
    pub scp_layers: Vec<Vec<Policy>>,
    /// The management account is never restricted by SCPs.
    pub management_account: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}

/// A decision with its explanation: which statements matched, which
/// condition decided, which layer denied. One line per fact, for humans.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub decision: Decision,
    pub explanation: Vec<String>,
}

pub use analysis::{
    PROBE_ACTION, PROBE_SERVICE, Pins, Tri, Witness, allowed_for_every, allowed_for_some,
    allows_every_service, allows_outside_service, is_administrator, is_effectively_admin,
    outside_service_allowed, service_allowed,
};
pub use eval::{allowed_regions, decide, evaluate, evaluate_policy};
