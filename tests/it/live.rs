//! `labbook check` against a real AWS API emulator (moto): for every lab
//! step moto can express, a solved account passes and each trap in LABS.md
//! fails with the right message. Each test uses its own fresh account(s).

use aws_sdk_organizations::types::OrganizationFeatureSet;

use crate::support::seed::{self, CognitoLab, Learner};
use crate::support::{Account, block_on, check, expect};

/// Steps moto cannot answer (no GuardDuty organization configuration, no
/// Security Hub standards, no Detective, no Audit Manager): unknown, never
/// fail. Their collectors are covered with the SDK's mocks (live_mocks.rs).
const NOT_IN_MOTO: &[&str] = &[
    "guardduty/auto-enable",
    "security-baseline/security-hub",
    "security-baseline/detective",
    "security-baseline/audit-manager",
];

#[test]
fn a_finished_learner_passes_every_step_moto_can_express() {
    let learner = block_on(seed::finished());
    let results = check(&learner.mgmt, &[]);
    for (step, r) in &results {
        let want = if NOT_IN_MOTO.contains(&step.as_str()) {
            "unknown"
        } else if r.outcome == "manual" {
            "manual"
        } else {
            "pass"
        };
        assert_eq!(r.outcome, want, "{step}: {}", r.message);
    }
    for step in [
        "org/exists",
        "org/structure",
        "iam-cost-explorer/policy",
        "iam-cost-explorer/user",
        "identity-center/assignments",
        "root-user/mfa",
        "scp-regions/full-access-kept",
        "cognito/oauth",
        "org-trail/bucket-elsewhere",
        "kms-key/rotation",
        "guardduty/detector",
        "security-baseline/macie",
    ] {
        assert_eq!(results[step].outcome, "pass", "{step}");
    }
    assert!(
        results["guardduty/auto-enable"].message.contains("HTTP"),
        "{}",
        results["guardduty/auto-enable"].message
    );
}

#[test]
fn org_traps_consolidated_billing_and_an_account_in_the_wrong_ou_fail() {
    let billing = block_on(Learner::organization(
        Account::fresh(),
        OrganizationFeatureSet::ConsolidatedBilling,
    ));
    let r = check(&billing.mgmt, &["org/exists"]);
    expect(&r, "org/exists", "fail", "all features");

    let l = block_on(Learner::organization(
        Account::fresh(),
        OrganizationFeatureSet::All,
    ));
    expect(&check(&l.mgmt, &["org"]), "org/structure", "pass", "");
    block_on(async {
        aws_sdk_organizations::Client::new(&l.mgmt.conf)
            .move_account()
            .account_id(l.id("test"))
            .source_parent_id(&l.ous["sandbox"])
            .destination_parent_id(&l.ous["management"])
            .send()
            .await
            .expect("move");
    });
    expect(
        &check(&l.mgmt, &["org/structure"]),
        "org/structure",
        "fail",
        "test",
    );

    let lone = Account::fresh();
    expect(
        &check(&lone, &["org/exists"]),
        "org/exists",
        "fail",
        "not in an organization",
    );
}

#[test]
fn root_user_traps_no_mfa_and_access_keys_fail_and_the_live_summary_wins() {
    let a = Account::fresh();
    a.set_root(true, false, None);
    let r = check(&a, &["root-user"]);
    expect(&r, "root-user/mfa", "pass", "MFA");
    expect(&r, "root-user/no-access-keys", "pass", "");
    expect(&r, "root-user/email-alias", "manual", "");
    a.set_root(false, true, None);
    let r = check(&a, &["root-user"]);
    expect(&r, "root-user/mfa", "fail", "has no MFA");
    expect(&r, "root-user/no-access-keys", "fail", "access key");
}

#[test]
fn a_root_sign_in_today_from_the_credential_report_is_kind_advice_not_a_failure() {
    let a = Account::fresh();
    let now = labbook::clock::now_rfc3339().replace('Z', "+00:00");
    a.set_root(true, false, Some(&now));
    let r = check(&a, &["root-user/mfa"]);
    expect(&r, "root-user/mfa", "pass", "MFA");
    assert!(
        !r["root-user/mfa"]
            .evidence
            .iter()
            .any(|e| e.key == "advice"),
        "no report generated yet, so no advice"
    );
    block_on(async {
        aws_sdk_iam::Client::new(&a.conf)
            .generate_credential_report()
            .send()
            .await
            .expect("report");
    });
    let r = check(&a, &["root-user/mfa"]);
    expect(&r, "root-user/mfa", "pass", "MFA");
    let advice = r["root-user/mfa"]
        .evidence
        .iter()
        .find(|e| e.key == "advice")
        .map(|e| e.value.clone())
        .unwrap_or_default();
    assert!(
        advice.contains("signed in within the last day"),
        "{advice:?}"
    );
}

#[test]
fn scp_traps_type_off_attached_to_root_and_full_access_removed_fail() {
    let l = block_on(Learner::organization(
        Account::fresh(),
        OrganizationFeatureSet::All,
    ));
    let r = check(&l.mgmt, &["scp-regions"]);
    expect(&r, "scp-regions/policy-type", "fail", "");
    // The SCP attached to the root instead of the management OU.
    let id = block_on(l.scp_regions(&l.root.clone()));
    let r = check(&l.mgmt, &["scp-regions"]);
    expect(&r, "scp-regions/policy-type", "pass", "");
    expect(&r, "scp-regions/policy", "pass", "");
    expect(&r, "scp-regions/attached", "fail", "management");
    // Moved to the OU, but FullAWSAccess taken off the OU.
    block_on(async {
        let org = aws_sdk_organizations::Client::new(&l.mgmt.conf);
        org.detach_policy()
            .policy_id(&id)
            .target_id(&l.root)
            .send()
            .await
            .expect("detach");
        org.attach_policy()
            .policy_id(&id)
            .target_id(&l.ous["management"])
            .send()
            .await
            .expect("attach");
        org.detach_policy()
            .policy_id("p-FullAWSAccess")
            .target_id(&l.ous["management"])
            .send()
            .await
            .expect("detach FullAWSAccess");
    });
    // Without FullAWSAccess nothing is allowed in the OU: the SCP is on the
    // right OU, but in effect it also denies inside the two regions.
    let r = check(&l.mgmt, &["scp-regions"]);
    expect(&r, "scp-regions/attached", "fail", "in eu-central-1");
    expect(&r, "scp-regions/full-access-kept", "fail", "FullAWSAccess");
}

#[test]
fn cost_explorer_traps_any_region_an_unattached_policy_and_admin_too_fail() {
    let l = Learner::without_organization(Account::fresh());
    let any_region = seed::CE_POLICY.replace(
        r#","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-central-1"}}"#,
        "",
    );
    block_on(l.cost_explorer(&any_region, false));
    let r = check(&l.mgmt, &["iam-cost-explorer"]);
    expect(&r, "iam-cost-explorer/policy", "fail", "");
    expect(&r, "iam-cost-explorer/user", "fail", "");

    // The scoped policy attached, but the user also holds AdministratorAccess.
    let admin = Learner::without_organization(Account::fresh());
    block_on(async {
        admin.cost_explorer(seed::CE_POLICY, true).await;
        aws_sdk_iam::Client::new(&admin.mgmt.conf)
            .attach_user_policy()
            .user_name("cost-viewer")
            .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
            .send()
            .await
            .expect("attach AdministratorAccess");
    });
    let r = check(&admin.mgmt, &["iam-cost-explorer"]);
    expect(&r, "iam-cost-explorer/policy", "pass", "");
    expect(&r, "iam-cost-explorer/user", "pass", "");
    expect(
        &r,
        "iam-cost-explorer/no-admin",
        "fail",
        "AdministratorAccess",
    );
}

#[test]
fn identity_center_traps_admin_dev_set_and_dev_outside_the_sandbox_fail() {
    let l = block_on(async {
        let l =
            Learner::organization(Account::fresh_async().await, OrganizationFeatureSet::All).await;
        l.identity_center(
            "arn:aws:iam::aws:policy/AdministratorAccess",
            &["test", "network"],
        )
        .await;
        l
    });
    let r = check(&l.mgmt, &["identity-center"]);
    expect(&r, "identity-center/instance", "pass", "");
    expect(&r, "identity-center/admin-set", "pass", "");
    expect(&r, "identity-center/groups", "pass", "");
    expect(&r, "identity-center/dev-set", "fail", "AdministratorAccess");
    expect(&r, "identity-center/assignments", "fail", "network");
}

#[test]
fn cognito_traps_mfa_off_no_secret_no_domain_no_users_fail() {
    let a = Account::fresh();
    block_on(
        CognitoLab {
            mfa: aws_sdk_cognitoidentityprovider::types::UserPoolMfaType::Off,
            secret: false,
            domain: false,
            users: 0,
        }
        .seed(&a),
    );
    let r = check(&a, &["cognito"]);
    expect(&r, "cognito/pool", "pass", "");
    expect(&r, "cognito/oauth", "pass", "");
    expect(&r, "cognito/mfa", "fail", "");
    expect(&r, "cognito/client", "fail", "secret");
    expect(&r, "cognito/domain", "fail", "");
    expect(&r, "cognito/signup", "fail", "");
    let snapshot = collect_json(&a, &["cognito"]);
    assert!(snapshot.contains("\"has_secret\": false"), "{snapshot}");
}

#[test]
fn cognito_client_secrets_never_reach_the_snapshot() {
    let a = Account::fresh();
    block_on(CognitoLab::solved().seed(&a));
    let secret = block_on(async {
        let c = aws_sdk_cognitoidentityprovider::Client::new(&a.conf);
        let pools = c
            .list_user_pools()
            .max_results(10)
            .send()
            .await
            .expect("pools");
        let pool = pools.user_pools()[0].id().expect("id").to_string();
        let clients = c
            .list_user_pool_clients()
            .user_pool_id(&pool)
            .send()
            .await
            .expect("clients");
        let d = c
            .describe_user_pool_client()
            .user_pool_id(&pool)
            .client_id(clients.user_pool_clients()[0].client_id().expect("id"))
            .send()
            .await
            .expect("client");
        d.user_pool_client()
            .and_then(|c| c.client_secret())
            .expect("a secret")
            .to_string()
    });
    let snapshot = collect_json(&a, &["cognito"]);
    assert!(snapshot.contains("\"has_secret\": true"), "{snapshot}");
    assert!(
        !snapshot.contains(&secret),
        "the secret leaked into the snapshot"
    );
    let out = a.labbook(
        tempfile::tempdir().expect("dir").path(),
        &["check", "cognito", "--format", "json"],
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&secret));
    assert!(!String::from_utf8_lossy(&out.stderr).contains(&secret));
}

#[test]
fn org_trail_traps_bucket_at_home_single_region_no_validation_not_logging_fail() {
    let l = block_on(async {
        let l =
            Learner::organization(Account::fresh_async().await, OrganizationFeatureSet::All).await;
        l.org_trail("management", false, false, false).await;
        l
    });
    let r = check(&l.mgmt, &["org-trail"]);
    expect(&r, "org-trail/trail", "pass", "");
    expect(&r, "org-trail/insights", "pass", "");
    expect(
        &r,
        "org-trail/bucket-elsewhere",
        "fail",
        "management account",
    );
    expect(&r, "org-trail/coverage", "fail", "");
    expect(&r, "org-trail/validation", "fail", "");
    expect(&r, "org-trail/logging", "fail", "");
}

#[test]
fn kms_traps_no_key_then_a_key_without_rotation_fail() {
    let a = Account::fresh();
    let r = check(&a, &["kms-key"]);
    expect(&r, "kms-key/key", "fail", "no enabled customer-managed");
    block_on(seed::kms_key(&a, false));
    let r = check(&a, &["kms-key"]);
    expect(&r, "kms-key/key", "pass", "alias/lab-key");
    expect(&r, "kms-key/rotation", "fail", "rotation");
}

#[test]
fn guardduty_and_macie_traps_wrong_admin_and_a_missing_region_fail() {
    let l = block_on(async {
        let l =
            Learner::organization(Account::fresh_async().await, OrganizationFeatureSet::All).await;
        l.guardduty("network", &["eu-central-1"]).await;
        l.security_baseline("network").await;
        l
    });
    let r = check(&l.mgmt, &["guardduty", "security-baseline/macie"]);
    expect(
        &r,
        "guardduty/delegated-admin",
        "fail",
        "not GuardDuty's delegated administrator",
    );
    expect(&r, "guardduty/detector", "fail", "eu-central-2");
    expect(
        &r,
        "security-baseline/macie",
        "fail",
        "not Macie's administrator",
    );
}

#[test]
fn collect_writes_a_snapshot_that_check_reads_back() {
    let a = Account::fresh();
    block_on(seed::kms_key(&a, true));
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("facts.json");
    let out = a.labbook(
        dir.path(),
        &["collect", "kms-key", "--out", file.to_str().expect("utf-8")],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let facts = labbook::facts::Facts::load(&file).expect("a facts snapshot");
    assert_eq!(facts.account_id, a.id);
    assert!(facts.kms.ok().is_some());
    assert!(facts.iam.ok().is_none(), "only the groups the steps need");
    let out = a.labbook(
        dir.path(),
        &[
            "check",
            "kms-key",
            "--snapshot",
            file.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", crate::cli::stdout(&out));
}

#[test]
fn an_unreachable_endpoint_is_one_clear_error_within_seconds() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let a = Account::fresh();
    let dir = tempfile::tempdir().expect("dir");
    let started = std::time::Instant::now();
    let url = format!("http://127.0.0.1:{port}");
    let out = a.labbook(dir.path(), &["--endpoint-url", &url, "check", "kms-key"]);
    let took = started.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("Cannot reach"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(took < std::time::Duration::from_secs(5), "{took:?}");
}

fn collect_json(a: &Account, targets: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("dir");
    let mut args = vec!["collect"];
    args.extend_from_slice(targets);
    let out = a.labbook(dir.path(), &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `labbook check` with an AWS config file and no credentials anywhere else.
fn without_credentials(config: &str, args: &[&str]) -> String {
    let home = tempfile::tempdir().expect("home");
    std::fs::write(home.path().join("aws-config"), config).expect("config");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_labbook"));
    for (k, _) in std::env::vars() {
        if k.starts_with("AWS_") {
            cmd.env_remove(k);
        }
    }
    let out = cmd
        .env("LABBOOK_DATA_DIR", home.path())
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", home.path().join("aws-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            home.path().join("aws-credentials"),
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .args(args)
        .output()
        .expect("run labbook");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
    err
}

#[test]
fn an_sso_profile_without_a_session_says_to_run_aws_sso_login() {
    let config = "[profile learner]\nsso_session = course\nsso_account_id = 111111111111\nsso_role_name = AdministratorAccess\nregion = eu-central-1\n\n[sso-session course]\nsso_start_url = https://example.awsapps.com/start\nsso_region = eu-central-1\nsso_registration_scopes = sso:account:access\n";
    let err = without_credentials(config, &["--profile", "learner", "check", "kms-key"]);
    assert!(err.contains("aws sso login --profile learner"), "{err}");
}

#[test]
fn an_unknown_profile_is_named_with_how_to_list_profiles() {
    let err = without_credentials(
        "[profile other]\nregion = eu-central-1\n",
        &["--profile", "nosuch", "check", "kms-key"],
    );
    assert!(err.contains("Profile nosuch"), "{err}");
    assert!(err.contains("aws configure list-profiles"), "{err}");
}

#[test]
fn without_reach_json_and_junit_still_write_the_whole_document() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let a = Account::fresh();
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("http://127.0.0.1:{port}");
    // `check kms-key` in `format`, against an endpoint nobody listens on.
    let unreached = |format: &str| {
        let out = a.labbook(
            dir.path(),
            &[
                "--endpoint-url",
                &url,
                "check",
                "kms-key",
                "--format",
                format,
            ],
        );
        assert_eq!(out.status.code(), Some(2));
        out
    };
    let out = unreached("json");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON document");
    let results = doc["results"].as_array().expect("results");
    let by_step: Vec<(String, String)> = results
        .iter()
        .map(|r| {
            (
                r["step"].as_str().unwrap_or_default().to_string(),
                r["outcome"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        by_step,
        [
            ("key".to_string(), "unknown".to_string()),
            ("rotation".to_string(), "unknown".to_string()),
            ("round-trip".to_string(), "manual".to_string()),
        ]
    );
    assert!(
        results[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("Cannot reach")),
        "{doc}"
    );
    let out = unreached("junit");
    let xml = String::from_utf8_lossy(&out.stdout);
    assert!(
        xml.contains("tests=\"3\"") && xml.contains("</testsuites>"),
        "{xml}"
    );
}

#[test]
fn a_member_accounts_credentials_fail_org_exists_saying_which_credentials_to_use() {
    let learner = block_on(seed::finished());
    let member = block_on(learner.member("security"));
    let r = check(&member, &["org/exists", "root-user/mfa"]);
    expect(&r, "org/exists", "fail", "management account's credentials");
    // A step that never needed the organization is still judged.
    assert_ne!(
        r["root-user/mfa"].outcome, "unknown",
        "{}",
        r["root-user/mfa"].message
    );
}

#[test]
fn a_profile_in_another_region_gets_the_same_verdicts() {
    let learner = block_on(seed::finished());
    let home = check(&learner.mgmt, &[]);
    let data = tempfile::tempdir().expect("tempdir");
    let out = learner.mgmt.labbook_with_env(
        data.path(),
        &["check", "--format", "json"],
        &[
            ("AWS_REGION", "us-east-1"),
            ("AWS_DEFAULT_REGION", "us-east-1"),
        ],
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let away: std::collections::BTreeMap<String, (String, String)> = doc["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                crate::results::step_id(r),
                (
                    r["outcome"].as_str().unwrap_or("").to_string(),
                    r["message"].as_str().unwrap_or("").to_string(),
                ),
            )
        })
        .collect();
    for (step, r) in &home {
        assert_eq!(
            away.get(step),
            Some(&(r.outcome.clone(), r.message.clone())),
            "{step} differs with a us-east-1 profile"
        );
    }
}

#[test]
fn a_customer_managed_reference_that_grants_everything_fails_dev_set_where_it_is_assigned() {
    use aws_sdk_ssoadmin::types::CustomerManagedPolicyReference;
    let learner = block_on(seed::finished());
    block_on(async {
        // The policy the reference names lives in the accounts the set is
        // assigned to: Dev is on the sandbox's `test` account.
        let test = learner.member("test").await;
        aws_sdk_iam::Client::new(&test.conf)
            .create_policy()
            .policy_name("DevPolicy")
            .policy_document(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:CreateUser","Resource":"*"}]}"#,
            )
            .send()
            .await
            .expect("policy");
        let sso = aws_sdk_ssoadmin::Client::new(&learner.mgmt.conf);
        let arn = learner.identity_center_arn().await;
        let sets = sso
            .list_permission_sets()
            .instance_arn(&arn)
            .send()
            .await
            .expect("sets");
        for ps in sets.permission_sets() {
            let d = sso
                .describe_permission_set()
                .instance_arn(&arn)
                .permission_set_arn(ps)
                .send()
                .await
                .expect("describe");
            if d.permission_set().and_then(|p| p.name()) == Some("DeveloperRole") {
                sso.attach_customer_managed_policy_reference_to_permission_set()
                    .instance_arn(&arn)
                    .permission_set_arn(ps)
                    .customer_managed_policy_reference(
                        CustomerManagedPolicyReference::builder()
                            .name("DevPolicy")
                            .build()
                            .expect("reference"),
                    )
                    .send()
                    .await
                    .expect("attach reference");
            }
        }
    });
    let r = check(&learner.mgmt, &["identity-center/dev-set"]);
    expect(&r, "identity-center/dev-set", "fail", "administrator");
    assert!(
        r["identity-center/dev-set"].message.contains("DevPolicy"),
        "{}",
        r["identity-center/dev-set"].message
    );
}
