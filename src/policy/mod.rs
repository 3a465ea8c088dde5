//! IAM policy evaluation: parse identity policies and SCPs, decide what a
//! request is allowed to do across layers, and explain the decision.
//!
//! Pure: no AWS SDK, no I/O. Checks that depend on what a policy *allows*
//! (rather than how it is spelled) go through this module.
//!
//! INTERFACE STUB: the types and function signatures below are the contract
//! the lab checks code against; the evaluator issue fills in the bodies.

use std::collections::BTreeMap;

/// Every commercial AWS region (partition `aws`), for checks that must test
/// every region rather than a sample.
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

/// A parsed policy document (identity policy, permission-set inline policy or SCP).
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    _private: (),
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
    pub fn parse(_json: &str) -> Result<Policy, PolicyError> {
        todo!("policy evaluator issue")
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

/// Decide one request against a whole policy set.
pub fn evaluate(_set: &PolicySet, _request: &Request) -> Evaluation {
    todo!("policy evaluator issue")
}

/// Decide one request against a single policy on its own (identity semantics).
pub fn evaluate_policy(_policy: &Policy, _request: &Request) -> Evaluation {
    todo!("policy evaluator issue")
}

/// The regions (of `regions`) in which `action` on `*` is allowed by `set`.
pub fn allowed_regions(_set: &PolicySet, _action: &str, _regions: &[&str]) -> Vec<String> {
    todo!("policy evaluator issue")
}

/// Does `policy` allow any action outside service prefix `service` (e.g. `ce`)?
pub fn allows_outside_service(_policy: &Policy, _service: &str) -> bool {
    todo!("policy evaluator issue")
}

/// Is `policy` effectively `*:*` on `*` (admin)?
pub fn is_effectively_admin(_policy: &Policy) -> bool {
    todo!("policy evaluator issue")
}

/// Arguments of `labbook policy explain`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExplainArgs {
    /// The identity policy (JSON file).
    pub policy: std::path::PathBuf,
    /// An SCP layer file; repeat for each layer from the root down.
    #[arg(long = "scp", value_name = "FILE")]
    pub scps: Vec<std::path::PathBuf>,
    /// The action, e.g. ec2:RunInstances.
    #[arg(long)]
    pub action: String,
    /// The resource ARN (default `*`).
    #[arg(long, default_value = "*")]
    pub resource: String,
    /// A context key, e.g. aws:RequestedRegion=eu-west-1; repeat for more.
    #[arg(long = "context", value_name = "KEY=VALUE")]
    pub context: Vec<String>,
}

/// Run `labbook policy explain`: print the decision and its explanation.
/// Returns the process exit status (0 allowed, 1 denied, 2 bad input).
pub fn run_explain(_args: &ExplainArgs) -> anyhow::Result<i32> {
    todo!("policy evaluator issue")
}
