//! A failed call makes unknown only the steps that need it. Against a
//! finished learner's organization in moto, every operation labbook may call
//! is refused in turn (the operation guard's test-only switch); the steps
//! that turn `unknown` must be exactly the steps that depend on it, and
//! every other verdict must stay as it was, message included.
//!
//! The expected steps per operation are written here by hand, from what
//! each lab step is about (LABS.md), not derived from the checks' own
//! `reads` table: a test that read that table would prove nothing.

use std::collections::{BTreeMap, BTreeSet};

use labbook::checks::{Outcome, Status};
use labbook::collect::{self, Recorder};
use labbook::course::Course;
use labbook::labs::{Action, Labs};
use labbook::runner;

use crate::support::seed;
use crate::support::{Account, block_on};

const ORG_TREE: &[&str] = &[
    "org/structure",
    "identity-center/assignments",
    "scp-regions/attached",
    "scp-regions/full-access-kept",
    "org-trail/bucket-elsewhere",
    "guardduty/delegated-admin",
    "guardduty/detector",
    "guardduty/auto-enable",
    "security-baseline/security-hub",
    "security-baseline/macie",
    "security-baseline/detective",
];

const ORG_TRAIL: &[&str] = &[
    "org-trail/trail",
    "org-trail/coverage",
    "org-trail/validation",
    "org-trail/logging",
    "org-trail/bucket-elsewhere",
    "org-trail/insights",
];

const COGNITO: &[&str] = &[
    "cognito/pool",
    "cognito/mfa",
    "cognito/client",
    "cognito/domain",
    "cognito/oauth",
    "cognito/signup",
];

const IAM_USER: &[&str] = &["iam-cost-explorer/user", "iam-cost-explorer/no-admin"];

const PERMISSION_SETS: &[&str] = &[
    "identity-center/admin-set",
    "identity-center/ccc-set",
    "identity-center/dev-set",
    "identity-center/assignments",
];

/// Several operations that the same steps depend on.
fn each(
    e: &mut BTreeMap<&'static str, Vec<&'static str>>,
    ops: &[&'static str],
    steps: Vec<&'static str>,
) {
    for op in ops {
        e.insert(op, steps.clone());
    }
}

/// Per operation, the steps that depend on it, by hand.
fn expected() -> BTreeMap<&'static str, Vec<&'static str>> {
    let with = |base: &[&'static str], more: &[&'static str]| -> Vec<&'static str> {
        base.iter().chain(more).copied().collect()
    };
    let mut e: BTreeMap<&'static str, Vec<&'static str>> = BTreeMap::new();
    // Organizations: the organization itself, then its tree, then its SCPs.
    e.insert(
        "organizations:DescribeOrganization",
        with(
            ORG_TREE,
            &[
                "org/exists",
                "scp-regions/policy-type",
                "scp-regions/policy",
                "org-trail/trail",
                "org-trail/coverage",
                "org-trail/validation",
                "org-trail/logging",
                "org-trail/insights",
            ],
        ),
    );
    e.insert(
        "organizations:ListRoots",
        with(ORG_TREE, &["scp-regions/policy-type"]),
    );
    e.insert(
        "organizations:ListOrganizationalUnitsForParent",
        ORG_TREE.to_vec(),
    );
    e.insert("organizations:ListAccountsForParent", ORG_TREE.to_vec());
    let scps = vec![
        "scp-regions/policy",
        "scp-regions/attached",
        "scp-regions/full-access-kept",
    ];
    e.insert("organizations:ListPolicies", scps.clone());
    e.insert("organizations:DescribePolicy", scps);
    e.insert(
        "organizations:ListTargetsForPolicy",
        vec!["scp-regions/attached", "scp-regions/full-access-kept"],
    );
    // IAM.
    e.insert(
        "iam:GetAccountSummary",
        vec!["root-user/mfa", "root-user/no-access-keys"],
    );
    // The per-user key and password reads feed the readiness audit, not a lab step.
    e.insert("iam:ListAccessKeys", vec![]);
    e.insert("iam:GetLoginProfile", vec![]);
    // The credential report only feeds advice beside root-user/mfa.
    e.insert("iam:GetCredentialReport", vec![]);
    each(
        &mut e,
        &["iam:ListPolicies", "iam:GetPolicyVersion"],
        with(IAM_USER, &["iam-cost-explorer/policy"]),
    );
    each(
        &mut e,
        &[
            "iam:ListUsers",
            "iam:ListGroupsForUser",
            "iam:ListAttachedUserPolicies",
            "iam:ListGroups",
        ],
        IAM_USER.to_vec(),
    );
    // The finished learner's user has the policy directly and is in no
    // group: nothing asks for a group's policies.
    e.insert("iam:ListAttachedGroupPolicies", vec![]);
    // Identity Center.
    e.insert(
        "sso:ListInstances",
        with(
            PERMISSION_SETS,
            &["identity-center/instance", "identity-center/groups"],
        ),
    );
    each(
        &mut e,
        &[
            "sso:ListPermissionSets",
            "sso:DescribePermissionSet",
            "sso:ListManagedPoliciesInPermissionSet",
            "sso:GetInlinePolicyForPermissionSet",
            "sso:ListCustomerManagedPolicyReferencesInPermissionSet",
        ],
        PERMISSION_SETS.to_vec(),
    );
    // The finished learner's sets reference no customer-managed policy, so
    // no policy is looked up in the accounts they are assigned to.
    e.insert("iam:GetPolicy", vec![]);
    e.insert(
        "identitystore:ListGroups",
        vec!["identity-center/groups", "identity-center/assignments"],
    );
    e.insert("identitystore:ListUsers", vec!["identity-center/groups"]);
    // `assignments` names groups, so their memberships do not matter to it.
    e.insert(
        "identitystore:ListGroupMemberships",
        vec!["identity-center/groups"],
    );
    e.insert(
        "sso:ListAccountAssignments",
        vec!["identity-center/assignments"],
    );
    // Cognito: one lab pool, chosen by all six steps.
    // Cognito: one lab pool; a piece of it that cannot be read is unknown
    // for the steps whose rule reads it.
    each(
        &mut e,
        &["cognito-idp:ListUserPools", "cognito-idp:DescribeUserPool"],
        COGNITO.to_vec(),
    );
    e.insert("cognito-idp:GetUserPoolMfaConfig", vec!["cognito/mfa"]);
    each(
        &mut e,
        &[
            "cognito-idp:ListUserPoolClients",
            "cognito-idp:DescribeUserPoolClient",
        ],
        vec!["cognito/client", "cognito/oauth"],
    );
    // The finished learner's pool counts its user already: no listing.
    e.insert("cognito-idp:ListUsers", vec![]);
    // CloudTrail.
    e.insert("cloudtrail:DescribeTrails", ORG_TRAIL.to_vec());
    e.insert("cloudtrail:GetTrailStatus", vec!["org-trail/logging"]);
    e.insert("cloudtrail:GetEventSelectors", vec!["org-trail/coverage"]);
    e.insert("cloudtrail:GetInsightSelectors", vec!["org-trail/insights"]);
    e.insert("s3:ListAllMyBuckets", vec!["org-trail/bucket-elsewhere"]);
    // KMS.
    each(
        &mut e,
        &["kms:ListKeys", "kms:DescribeKey", "kms:ListAliases"],
        vec!["kms-key/key", "kms-key/rotation"],
    );
    e.insert("kms:GetKeyRotationStatus", vec!["kms-key/rotation"]);
    // GuardDuty and the rest of the security services.
    e.insert(
        "guardduty:ListOrganizationAdminAccounts",
        vec!["guardduty/delegated-admin"],
    );
    each(
        &mut e,
        &["guardduty:ListDetectors", "guardduty:GetDetector"],
        vec!["guardduty/detector", "guardduty/auto-enable"],
    );
    e.insert(
        "guardduty:DescribeOrganizationConfiguration",
        vec!["guardduty/auto-enable"],
    );
    each(
        &mut e,
        &["securityhub:DescribeHub", "securityhub:GetEnabledStandards"],
        vec!["security-baseline/security-hub"],
    );
    each(
        &mut e,
        &[
            "macie2:ListOrganizationAdminAccounts",
            "macie2:GetMacieSession",
        ],
        vec!["security-baseline/macie"],
    );
    e.insert("detective:ListGraphs", vec!["security-baseline/detective"]);
    each(
        &mut e,
        &["auditmanager:ListAssessments", "auditmanager:GetAssessment"],
        vec!["security-baseline/audit-manager"],
    );
    // Member accounts are read through the member role.
    e.insert(
        "sts:AssumeRole",
        vec![
            "org-trail/bucket-elsewhere",
            "guardduty/detector",
            "guardduty/auto-enable",
            "security-baseline/security-hub",
            "security-baseline/macie",
            "security-baseline/detective",
        ],
    );
    e
}

/// Every automated step's outcome with `refuse` refused.
fn verdicts(a: &Account, labs: &Labs, refuse: &[&str]) -> BTreeMap<String, Outcome> {
    let jobs = runner::select(labs, &[]).expect("every step");
    let scope = runner::plan(&jobs);
    let facts = block_on(collect::collect(
        &a.reach(refuse),
        &scope,
        Recorder::default(),
    ))
    .expect("collect");
    jobs.iter()
        .filter_map(|j| match &j.action {
            Action::Check { check, params } => {
                Some((format!("{}/{}", j.lab, j.step), check.run(&facts, params)))
            }
            Action::Manual => None,
        })
        .collect()
}

#[test]
fn each_refused_operation_makes_unknown_exactly_the_steps_that_need_it() {
    let learner = block_on(seed::finished());
    let labs = Labs::load(&Course::embedded());
    let baseline = verdicts(&learner.mgmt, &labs, &[]);
    let expected = expected();
    let listed: BTreeSet<&str> = collect::OPERATIONS
        .iter()
        .copied()
        .filter(|op| *op != "sts:GetCallerIdentity")
        .collect();
    let covered: BTreeSet<&str> = expected.keys().copied().collect();
    assert_eq!(
        listed, covered,
        "every operation labbook may call needs its expected steps here"
    );
    let mut wrong = Vec::new();
    for (op, steps) in &expected {
        let got = verdicts(&learner.mgmt, &labs, &[op]);
        for (step, outcome) in &got {
            let before = &baseline[step];
            if steps.contains(&step.as_str()) {
                if outcome.status != Status::Unknown {
                    wrong.push(format!(
                        "{op} refused: {step} should be unknown, is {:?}: {}",
                        outcome.status, outcome.message
                    ));
                } else if before.status != Status::Unknown && !outcome.message.contains(op) {
                    wrong.push(format!(
                        "{op} refused: {step} is unknown without naming {op}: {}",
                        outcome.message
                    ));
                }
            } else if outcome.status != before.status || outcome.message != before.message {
                wrong.push(format!(
                    "{op} refused: {step} changed from {:?} ({}) to {:?} ({})",
                    before.status, before.message, outcome.status, outcome.message
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} problems:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn an_answer_the_sdk_cannot_parse_makes_unknown_only_the_steps_that_need_it() {
    let learner = block_on(seed::finished());
    let labs = Labs::load(&Course::embedded());
    let baseline = verdicts(&learner.mgmt, &labs, &[]);
    // Without a session duration moto answers DescribePermissionSet with a
    // number where AWS sends an ISO-8601 string; the SDK fails the call.
    block_on(async {
        let sso = aws_sdk_ssoadmin::Client::new(&learner.mgmt.conf);
        let arn = learner.identity_center_arn().await;
        // The create's own answer carries the number too, so the SDK
        // reports an error although moto created the set.
        let _ = sso
            .create_permission_set()
            .instance_arn(arn)
            .name("Unparseable")
            .send()
            .await;
    });
    let got = verdicts(&learner.mgmt, &labs, &[]);
    for (step, outcome) in &got {
        if PERMISSION_SETS.contains(&step.as_str()) {
            assert_eq!(
                outcome.status,
                Status::Unknown,
                "{step}: {}",
                outcome.message
            );
            assert!(
                outcome.message.contains("sso:DescribePermissionSet"),
                "{step}: {}",
                outcome.message
            );
        } else {
            assert_eq!(
                (outcome.status, &outcome.message),
                (baseline[step].status, &baseline[step].message),
                "{step}"
            );
        }
    }
    assert_eq!(got["identity-center/groups"].status, Status::Pass);
}

#[test]
fn every_operation_a_step_reads_is_one_labbook_may_call() {
    for c in labbook::checks::ALL {
        for op in c.meta.operations() {
            assert!(
                collect::operations::allowed(op),
                "{}: {op} is not in OPERATIONS",
                c.meta.kind
            );
        }
    }
}
