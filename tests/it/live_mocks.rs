//! The collector in-process, against moto, with the SDK's own mocks
//! (aws-smithy-mocks) for what moto cannot produce: access denied,
//! throttling, Security Hub standards, GuardDuty's organization
//! configuration, Detective and Audit Manager. Unmatched requests pass
//! through to moto.

use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, mock};
use aws_smithy_runtime_api::client::interceptors::SharedInterceptor;
use aws_smithy_types::error::ErrorMetadata;
use labbook::checks::{self, Params, Status};
use labbook::collect::{self, Reach, Recorder, Scope};
use labbook::facts::{FactGroup, Facts};

use crate::support::seed::{self, Learner};
use crate::support::{Account, REGION, block_on};

fn collect_with(
    a: &Account,
    needs: &[FactGroup],
    rules: &[Rule],
    max_attempts: u32,
) -> (Facts, Recorder) {
    let mut mocks = MockResponseInterceptor::new()
        .rule_mode(RuleMode::MatchAny)
        .allow_passthrough();
    for r in rules {
        mocks = mocks.with_rule(r);
    }
    let recorder = Recorder::default();
    let facts = block_on(collect::collect_with(
        &Reach {
            max_attempts,
            ..a.reach(&[])
        },
        &Scope::of(needs.iter().copied()),
        recorder.clone(),
        vec![SharedInterceptor::new(mocks)],
    ))
    .expect("collect");
    (facts, recorder)
}

fn eval(kind: &str, facts: &Facts) -> checks::Outcome {
    let c = checks::find(kind).expect("kind");
    c.run(facts, &Params::defaults(c.meta))
}

fn err(code: &str, message: &str) -> ErrorMetadata {
    ErrorMetadata::builder().code(code).message(message).build()
}

fn security_learner() -> Learner {
    block_on(async {
        let l = Learner::organization(
            Account::fresh_async().await,
            aws_sdk_organizations::types::OrganizationFeatureSet::All,
        )
        .await;
        l.guardduty("security", &[REGION, "eu-central-2"]).await;
        l.security_baseline("security").await;
        l
    })
}

#[test]
fn access_denied_makes_only_the_groups_that_needed_it_unknown_naming_the_permission() {
    let l = block_on(async {
        let l = Learner::organization(
            Account::fresh_async().await,
            aws_sdk_organizations::types::OrganizationFeatureSet::All,
        )
        .await;
        l.scp_regions(&l.ous["management"].clone()).await;
        l
    });
    let denied = mock!(aws_sdk_organizations::Client::list_targets_for_policy)
        .then_error(|| {
            aws_sdk_organizations::operation::list_targets_for_policy::ListTargetsForPolicyError::generic(
                err("AccessDeniedException", "not authorized"),
            )
        });
    let (facts, _) = collect_with(
        &l.mgmt,
        &[FactGroup::Organization, FactGroup::Kms],
        &[denied],
        1,
    );
    let o = eval("scp-region-deny-attached", &facts);
    assert_eq!(o.status, Status::Unknown, "{o:?}");
    assert!(
        o.message.contains("organizations:ListTargetsForPolicy"),
        "{}",
        o.message
    );
    // The rest of the organization and other groups still arrived.
    assert_eq!(eval("org-structure", &facts).status, Status::Pass);
    assert_eq!(eval("scp-policy-type", &facts).status, Status::Pass);
    assert!(facts.kms.ok().is_some());
}

#[test]
fn a_denied_member_role_is_unknown_naming_sts_assume_role() {
    let l = security_learner();
    let denied = mock!(aws_sdk_sts::Client::assume_role).then_error(|| {
        aws_sdk_sts::operation::assume_role::AssumeRoleError::generic(err("AccessDenied", "no"))
    });
    let (facts, _) = collect_with(
        &l.mgmt,
        &[FactGroup::Organization, FactGroup::GuardDuty],
        &[denied],
        1,
    );
    let o = eval("guardduty-detectors", &facts);
    assert_eq!(o.status, Status::Unknown, "{o:?}");
    assert!(o.message.contains("sts:AssumeRole"), "{}", o.message);
    // Read from the management account, so still known.
    assert_eq!(
        eval("guardduty-delegated-admin", &facts).status,
        Status::Pass
    );
}

/// What IAM answers when throttling (a modeled error, so the SDK's own
/// retry classifier decides).
fn throttled() -> aws_sdk_iam::operation::get_account_summary::GetAccountSummaryError {
    aws_sdk_iam::operation::get_account_summary::GetAccountSummaryError::generic(err(
        "Throttling",
        "Rate exceeded",
    ))
}

#[test]
fn throttling_is_retried_and_then_succeeds() {
    let a = Account::fresh();
    a.set_root(true, false, None);
    let throttled = mock!(aws_sdk_iam::Client::get_account_summary)
        .sequence()
        .error(throttled)
        .times(2)
        .output(|| {
            aws_sdk_iam::operation::get_account_summary::GetAccountSummaryOutput::builder()
                .summary_map(aws_sdk_iam::types::SummaryKeyType::AccountMfaEnabled, 1)
                .summary_map(
                    aws_sdk_iam::types::SummaryKeyType::AccountAccessKeysPresent,
                    0,
                )
                .build()
        })
        .build();
    let (facts, recorder) = collect_with(&a, &[FactGroup::Iam], &[throttled], 3);
    let o = eval("root-mfa", &facts);
    assert_eq!(o.status, Status::Pass, "{o:?}");
    assert_eq!(
        recorder.requests()["iam:GetAccountSummary"],
        3,
        "two throttled attempts, then success"
    );
}

#[test]
fn throttling_that_outlasts_the_retries_is_unknown_not_fail() {
    let a = Account::fresh();
    let throttled = mock!(aws_sdk_iam::Client::get_account_summary)
        .sequence()
        .error(throttled)
        .repeatedly()
        .build();
    let (facts, recorder) = collect_with(&a, &[FactGroup::Iam], &[throttled], 2);
    let o = eval("root-mfa", &facts);
    assert_eq!(o.status, Status::Unknown, "{o:?}");
    assert!(o.message.contains("throttled"), "{}", o.message);
    assert_eq!(recorder.requests()["iam:GetAccountSummary"], 2);
}

fn gd_org_config(members: &'static str) -> Rule {
    mock!(aws_sdk_guardduty::Client::describe_organization_configuration).then_output(move || {
        aws_sdk_guardduty::operation::describe_organization_configuration::DescribeOrganizationConfigurationOutput::builder()
            .auto_enable_organization_members(members.into())
            .member_account_limit_reached(false)
            .build()
    })
}

#[test]
fn guardduty_auto_enable_reads_the_organization_configuration_from_the_security_account() {
    let l = security_learner();
    let (facts, _) = collect_with(
        &l.mgmt,
        &[FactGroup::Organization, FactGroup::GuardDuty],
        &[gd_org_config("ALL")],
        1,
    );
    assert_eq!(eval("guardduty-auto-enable", &facts).status, Status::Pass);
    assert_eq!(eval("guardduty-detectors", &facts).status, Status::Pass);
    let (facts, _) = collect_with(
        &l.mgmt,
        &[FactGroup::Organization, FactGroup::GuardDuty],
        &[gd_org_config("NEW")],
        1,
    );
    let o = eval("guardduty-auto-enable", &facts);
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("only new"), "{}", o.message);
}

fn standards(arn: &'static str) -> Rule {
    mock!(aws_sdk_securityhub::Client::get_enabled_standards).then_output(move || {
        aws_sdk_securityhub::operation::get_enabled_standards::GetEnabledStandardsOutput::builder()
            .standards_subscriptions(
                aws_sdk_securityhub::types::StandardsSubscription::builder()
                    .standards_subscription_arn(format!("{arn}/sub"))
                    .standards_arn(arn)
                    .standards_input("x", "y")
                    .standards_status(aws_sdk_securityhub::types::StandardsStatus::Ready)
                    .build(),
            )
            .build()
    })
}

#[test]
fn security_hub_standards_detective_and_audit_manager_through_sdk_mocks() {
    let l = security_learner();
    let fsbp = "arn:aws:securityhub:eu-central-1::standards/aws-foundational-security-best-practices/v/1.0.0";
    let graph = mock!(aws_sdk_detective::Client::list_graphs).then_output(|| {
        aws_sdk_detective::operation::list_graphs::ListGraphsOutput::builder()
            .graph_list(
                aws_sdk_detective::types::Graph::builder()
                    .arn("arn:aws:detective:eu-central-1:000000000000:graph:abc")
                    .build(),
            )
            .build()
    });
    let assessments = mock!(aws_sdk_auditmanager::Client::list_assessments).then_output(|| {
        aws_sdk_auditmanager::operation::list_assessments::ListAssessmentsOutput::builder()
            .assessment_metadata(
                aws_sdk_auditmanager::types::AssessmentMetadataItem::builder()
                    .id("a-1")
                    .name("baseline")
                    .build(),
            )
            .build()
    });
    let assessment = mock!(aws_sdk_auditmanager::Client::get_assessment).then_output(|| {
        use aws_sdk_auditmanager::types::{Assessment, AssessmentFramework, FrameworkMetadata};
        aws_sdk_auditmanager::operation::get_assessment::GetAssessmentOutput::builder()
            .assessment(
                Assessment::builder()
                    .framework(
                        AssessmentFramework::builder()
                            .metadata(
                                FrameworkMetadata::builder()
                                    .name("AWS Foundational Security Best Practices")
                                    .build(),
                            )
                            .build(),
                    )
                    .build(),
            )
            .build()
    });
    let needs = [
        FactGroup::Organization,
        FactGroup::SecurityHub,
        FactGroup::Detective,
        FactGroup::AuditManager,
        FactGroup::Macie,
    ];
    let (facts, _) = collect_with(
        &l.mgmt,
        &needs,
        &[standards(fsbp), graph, assessments, assessment],
        1,
    );
    for kind in [
        "securityhub-fsbp",
        "detective-graph",
        "auditmanager-fsbp",
        "macie-admin",
    ] {
        let o = eval(kind, &facts);
        assert_eq!(o.status, Status::Pass, "{kind}: {}", o.message);
    }

    // Traps: only CIS enabled, no graph, no assessment, Macie not enabled.
    let cis = standards("arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0");
    let no_graph = mock!(aws_sdk_detective::Client::list_graphs).then_output(|| {
        aws_sdk_detective::operation::list_graphs::ListGraphsOutput::builder().build()
    });
    let no_assessments = mock!(aws_sdk_auditmanager::Client::list_assessments).then_output(|| {
        aws_sdk_auditmanager::operation::list_assessments::ListAssessmentsOutput::builder().build()
    });
    let macie_off = mock!(aws_sdk_macie2::Client::get_macie_session).then_error(|| {
        aws_sdk_macie2::operation::get_macie_session::GetMacieSessionError::generic(err(
            "AccessDeniedException",
            "Macie is not enabled.",
        ))
    });
    let (facts, _) = collect_with(
        &l.mgmt,
        &needs,
        &[cis, no_graph, no_assessments, macie_off],
        1,
    );
    for (kind, phrase) in [
        ("securityhub-fsbp", "does not run"),
        ("detective-graph", "no Detective behavior graph"),
        ("auditmanager-fsbp", "No Audit Manager assessment"),
        ("macie-admin", "not enabled"),
    ] {
        let o = eval(kind, &facts);
        assert_eq!(o.status, Status::Fail, "{kind}: {}", o.message);
        assert!(o.message.contains(phrase), "{kind}: {}", o.message);
    }
}

#[test]
fn the_whole_chapter_sends_only_listed_operations_and_never_the_same_call_twice() {
    let l = block_on(seed::finished());
    let all: Vec<FactGroup> = checks::ALL.iter().flat_map(|c| c.meta.needs()).collect();
    let (facts, recorder) = collect_with(&l.mgmt, &all, &[], 1);
    assert_eq!(facts.account_id, l.mgmt.id);
    for action in recorder.requests().keys() {
        assert!(
            collect::operations::allowed(action),
            "{action} is not in OPERATIONS"
        );
    }
    assert_eq!(recorder.repeated(), 0, "{:?}", recorder.requests());
}

#[test]
fn the_runner_checks_live_facts_on_a_background_thread() {
    use labbook::runner::{self, RunEvent};
    let a = Account::fresh();
    block_on(seed::kms_key(&a, true));
    let course = labbook::course::Course::load(None).expect("embedded course");
    let labs = labbook::labs::Labs::load(&course);
    let jobs = runner::select(&labs, &["kms-key".to_string()]).expect("kms-key");
    let rx = runner::spawn(Box::new(runner::Live(a.reach(&[]))), jobs);
    let finished: Vec<(String, Status)> = rx
        .iter()
        .filter_map(|e| match e {
            RunEvent::StepFinished { step, outcome, .. } => Some((step, outcome.status)),
            _ => None,
        })
        .collect();
    assert_eq!(
        finished,
        [
            ("key".to_string(), Status::Pass),
            ("rotation".to_string(), Status::Pass),
            ("round-trip".to_string(), Status::Manual)
        ]
    );
}
