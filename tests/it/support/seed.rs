//! Seeds moto with a learner's organization, lab by lab, as the chapter
//! builds it. Test code: these are the mutating calls a learner makes.

use std::collections::BTreeMap;

use aws_sdk_organizations::types::{OrganizationFeatureSet, PolicyType};

use super::{Account, REGION};

pub const SCP_REGIONS: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideFrankfurtZurich","Effect":"Deny","NotAction":["iam:*","organizations:*","sts:*","support:*","cloudfront:*","route53:*","budgets:*","health:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-central-1","eu-central-2"]}}}]}"#;

pub const CE_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ce:GetCostAndUsage","ce:ListCostCategoryDefinitions"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-central-1"}}}]}"#;

/// A learner's management account with its organization.
pub struct Learner {
    pub mgmt: Account,
    pub root: String,
    /// OU name -> id.
    pub ous: BTreeMap<String, String>,
    /// Account name -> id (the management account is `management`).
    pub accounts: BTreeMap<String, String>,
}

impl Learner {
    /// A management account without an organization (for the labs that
    /// need none).
    pub fn without_organization(mgmt: Account) -> Learner {
        Learner {
            mgmt,
            root: String::new(),
            ous: BTreeMap::new(),
            accounts: BTreeMap::new(),
        }
    }

    pub fn id(&self, name: &str) -> &str {
        &self.accounts[name]
    }

    /// A session inside a member account (as the member role would give).
    pub async fn member(&self, name: &str) -> Account {
        Account::enter_async(self.id(name)).await
    }

    /// The ARN of the management account's Identity Center instance.
    pub async fn identity_center_arn(&self) -> String {
        let sso = aws_sdk_ssoadmin::Client::new(&self.mgmt.conf);
        let instances = sso.list_instances().send().await.expect("instances");
        instances.instances()[0]
            .instance_arn()
            .expect("instance arn")
            .to_string()
    }

    /// The organization of the `org` lab: all features, OUs management and
    /// sandbox, accounts security/configuration/network and test, plus
    /// log-archive under the root.
    pub async fn organization(mgmt: Account, feature_set: OrganizationFeatureSet) -> Learner {
        let org = aws_sdk_organizations::Client::new(&mgmt.conf);
        org.create_organization()
            .feature_set(feature_set)
            .send()
            .await
            .expect("create organization");
        let roots = org.list_roots().send().await.expect("roots");
        let root = roots.roots()[0].id().expect("root id").to_string();
        let mut ous = BTreeMap::new();
        for name in ["management", "sandbox"] {
            let ou = org
                .create_organizational_unit()
                .parent_id(&root)
                .name(name)
                .send()
                .await
                .expect("create OU");
            ous.insert(
                name.to_string(),
                ou.organizational_unit()
                    .and_then(|o| o.id())
                    .expect("ou id")
                    .to_string(),
            );
        }
        let mut accounts = BTreeMap::from([("management".to_string(), mgmt.id.clone())]);
        for (name, ou) in [
            ("security", Some("management")),
            ("configuration", Some("management")),
            ("network", Some("management")),
            ("test", Some("sandbox")),
            ("log-archive", None),
        ] {
            let created = org
                .create_account()
                .account_name(name)
                .email(format!("{name}@example.com"))
                .send()
                .await
                .expect("create account");
            let id = created
                .create_account_status()
                .and_then(|s| s.account_id())
                .expect("account id")
                .to_string();
            if let Some(ou) = ou {
                org.move_account()
                    .account_id(&id)
                    .source_parent_id(&root)
                    .destination_parent_id(&ous[ou])
                    .send()
                    .await
                    .expect("move account");
            }
            accounts.insert(name.to_string(), id);
        }
        Learner {
            mgmt,
            root,
            ous,
            accounts,
        }
    }

    /// The `scp-regions` lab: SCPs on, the region SCP attached to `target`.
    pub async fn scp_regions(&self, target: &str) -> String {
        let org = aws_sdk_organizations::Client::new(&self.mgmt.conf);
        org.enable_policy_type()
            .root_id(&self.root)
            .policy_type(PolicyType::ServiceControlPolicy)
            .send()
            .await
            .expect("enable SCPs");
        let p = org
            .create_policy()
            .name("deny-outside-frankfurt-zurich")
            .description("regions")
            .content(SCP_REGIONS)
            .r#type(PolicyType::ServiceControlPolicy)
            .send()
            .await
            .expect("create SCP");
        let id = p
            .policy()
            .and_then(|p| p.policy_summary())
            .and_then(|s| s.id())
            .expect("policy id")
            .to_string();
        org.attach_policy()
            .policy_id(&id)
            .target_id(target)
            .send()
            .await
            .expect("attach SCP");
        id
    }

    /// The `iam-cost-explorer` lab: the scoped policy attached to a user.
    pub async fn cost_explorer(&self, document: &str, attach: bool) {
        let iam = aws_sdk_iam::Client::new(&self.mgmt.conf);
        let p = iam
            .create_policy()
            .policy_name("CostExplorerFrankfurt")
            .policy_document(document)
            .send()
            .await
            .expect("create policy");
        iam.create_user()
            .user_name("cost-viewer")
            .send()
            .await
            .expect("create user");
        if attach {
            iam.attach_user_policy()
                .user_name("cost-viewer")
                .policy_arn(p.policy().and_then(|p| p.arn()).expect("arn"))
                .send()
                .await
                .expect("attach");
        }
    }

    /// The `identity-center` lab. `dev_on` lists the accounts Dev is
    /// assigned on (the solved lab: the sandbox's).
    pub async fn identity_center(&self, dev_policy: &str, dev_on: &[&str]) {
        use aws_sdk_identitystore::types::MemberId;
        use aws_sdk_ssoadmin::types::{PrincipalType, TargetType};
        let sso = aws_sdk_ssoadmin::Client::new(&self.mgmt.conf);
        let ids = aws_sdk_identitystore::Client::new(&self.mgmt.conf);
        let inst = sso.list_instances().send().await.expect("instances");
        let inst = &inst.instances()[0];
        let arn = inst.instance_arn().expect("instance arn");
        let store = inst.identity_store_id().expect("store");
        let user = ids
            .create_user()
            .identity_store_id(store)
            .user_name("learner")
            .display_name("Learner")
            .name(
                aws_sdk_identitystore::types::Name::builder()
                    .given_name("Lea")
                    .family_name("Rner")
                    .build(),
            )
            .send()
            .await
            .expect("user");
        let all: Vec<&str> = self.accounts.keys().map(String::as_str).collect();
        let ccc: Vec<&str> = vec!["security", "configuration", "network", "test"];
        for (group, set, policy, on) in [
            (
                "Admin",
                "AdminRole",
                "arn:aws:iam::aws:policy/AdministratorAccess",
                all.as_slice(),
            ),
            (
                "CCC",
                "CloudCompetenceCenterRole",
                "arn:aws:iam::aws:policy/PowerUserAccess",
                ccc.as_slice(),
            ),
            ("Dev", "DeveloperRole", dev_policy, dev_on),
        ] {
            let g = ids
                .create_group()
                .identity_store_id(store)
                .display_name(group)
                .send()
                .await
                .expect("group");
            ids.create_group_membership()
                .identity_store_id(store)
                .group_id(g.group_id())
                .member_id(MemberId::UserId(user.user_id().to_string()))
                .send()
                .await
                .expect("membership");
            let ps = sso
                .create_permission_set()
                .instance_arn(arn)
                .name(set)
                // moto's default (a number) is not what the SDK expects.
                .session_duration("PT1H")
                .send()
                .await
                .expect("permission set");
            let ps_arn = ps
                .permission_set()
                .and_then(|p| p.permission_set_arn())
                .expect("ps arn")
                .to_string();
            sso.attach_managed_policy_to_permission_set()
                .instance_arn(arn)
                .permission_set_arn(&ps_arn)
                .managed_policy_arn(policy)
                .send()
                .await
                .expect("attach managed policy");
            for name in on {
                sso.create_account_assignment()
                    .instance_arn(arn)
                    .target_id(self.id(name))
                    .target_type(TargetType::AwsAccount)
                    .permission_set_arn(&ps_arn)
                    .principal_type(PrincipalType::Group)
                    .principal_id(g.group_id())
                    .send()
                    .await
                    .expect("assignment");
            }
        }
    }

    /// The `org-trail` lab with the bucket in `bucket_in`.
    pub async fn org_trail(
        &self,
        bucket_in: &str,
        multi_region: bool,
        validation: bool,
        logging: bool,
    ) {
        use aws_sdk_cloudtrail::types::{
            EventSelector, InsightSelector, InsightType, ReadWriteType,
        };
        let owner = if bucket_in == "management" {
            self.mgmt.clone()
        } else {
            self.member(bucket_in).await
        };
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&owner.conf)
                .force_path_style(true)
                .build(),
        );
        let bucket = format!("org-trail-{}", self.mgmt.id);
        s3.create_bucket()
            .bucket(&bucket)
            .create_bucket_configuration(
                aws_sdk_s3::types::CreateBucketConfiguration::builder()
                    .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::EuCentral1)
                    .build(),
            )
            .send()
            .await
            .expect("bucket");
        let ct = aws_sdk_cloudtrail::Client::new(&self.mgmt.conf);
        ct.create_trail()
            .name("org-trail")
            .s3_bucket_name(&bucket)
            .is_multi_region_trail(multi_region)
            .is_organization_trail(true)
            .enable_log_file_validation(validation)
            .send()
            .await
            .expect("trail");
        if logging {
            ct.start_logging()
                .name("org-trail")
                .send()
                .await
                .expect("start logging");
        }
        ct.put_event_selectors()
            .trail_name("org-trail")
            .event_selectors(
                EventSelector::builder()
                    .read_write_type(ReadWriteType::All)
                    .include_management_events(true)
                    .build(),
            )
            .send()
            .await
            .expect("selectors");
        ct.put_insight_selectors()
            .trail_name("org-trail")
            .insight_selectors(
                InsightSelector::builder()
                    .insight_type(InsightType::ApiCallRateInsight)
                    .build(),
            )
            .send()
            .await
            .expect("insights");
    }

    /// The `guardduty` lab: `admin` delegated and detectors in security, in
    /// each of `regions` (GuardDuty's administrator is per region).
    pub async fn guardduty(&self, admin: &str, regions: &[&str]) {
        for r in regions {
            aws_sdk_guardduty::Client::new(&self.mgmt.conf_in(r))
                .enable_organization_admin_account()
                .admin_account_id(self.id(admin))
                .send()
                .await
                .expect("guardduty admin");
        }
        let security = self.member("security").await;
        for r in regions {
            aws_sdk_guardduty::Client::new(&security.conf_in(r))
                .create_detector()
                .enable(true)
                .send()
                .await
                .expect("detector");
        }
    }

    /// Macie administered by `admin`; Security Hub enabled in security.
    pub async fn security_baseline(&self, macie_admin: &str) {
        aws_sdk_macie2::Client::new(&self.mgmt.conf)
            .enable_organization_admin_account()
            .admin_account_id(self.id(macie_admin))
            .send()
            .await
            .expect("macie admin");
        let security = self.member("security").await;
        aws_sdk_securityhub::Client::new(&security.conf)
            .enable_security_hub()
            .send()
            .await
            .expect("security hub");
    }
}

/// The `kms-key` lab in `account`: a symmetric key, rotating when asked.
pub async fn kms_key(account: &Account, rotate: bool) -> String {
    let kms = aws_sdk_kms::Client::new(&account.conf);
    let k = kms.create_key().send().await.expect("key");
    let id = k
        .key_metadata()
        .map(|m| m.key_id().to_string())
        .expect("key id");
    if rotate {
        kms.enable_key_rotation()
            .key_id(&id)
            .send()
            .await
            .expect("rotation");
    }
    kms.create_alias()
        .alias_name("alias/lab-key")
        .target_key_id(&id)
        .send()
        .await
        .expect("alias");
    id
}

/// The `cognito` lab in `account`.
pub struct CognitoLab {
    pub mfa: aws_sdk_cognitoidentityprovider::types::UserPoolMfaType,
    pub secret: bool,
    pub domain: bool,
    pub users: usize,
}

impl CognitoLab {
    pub fn solved() -> CognitoLab {
        CognitoLab {
            mfa: aws_sdk_cognitoidentityprovider::types::UserPoolMfaType::On,
            secret: true,
            domain: true,
            users: 1,
        }
    }

    pub async fn seed(&self, account: &Account) {
        use aws_sdk_cognitoidentityprovider::types::{
            AttributeDataType, OAuthFlowType, SchemaAttributeType, SmsConfigurationType,
            SmsMfaConfigType,
        };
        let c = aws_sdk_cognitoidentityprovider::Client::new(&account.conf);
        let attr = |n: &str| {
            SchemaAttributeType::builder()
                .name(n)
                .attribute_data_type(AttributeDataType::String)
                .required(true)
                .mutable(true)
                .build()
        };
        let pool = c
            .create_user_pool()
            .pool_name("learners")
            .schema(attr("name"))
            .schema(attr("email"))
            .send()
            .await
            .expect("pool");
        let id = pool
            .user_pool()
            .and_then(|p| p.id())
            .expect("pool id")
            .to_string();
        c.set_user_pool_mfa_config()
            .user_pool_id(&id)
            .mfa_configuration(self.mfa.clone())
            .sms_mfa_configuration(
                SmsMfaConfigType::builder()
                    .sms_configuration(
                        SmsConfigurationType::builder()
                            .sns_caller_arn(format!("arn:aws:iam::{}:role/cognito-sms", account.id))
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
            .expect("mfa");
        c.create_user_pool_client()
            .user_pool_id(&id)
            .client_name("web-client")
            .generate_secret(self.secret)
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_flows(OAuthFlowType::Code)
            .allowed_o_auth_scopes("openid")
            .allowed_o_auth_scopes("email")
            .callback_urls("https://example.com/callback")
            .logout_urls("https://example.com/signout")
            .supported_identity_providers("COGNITO")
            .send()
            .await
            .expect("client");
        if self.domain {
            c.create_user_pool_domain()
                .domain(format!("learner-{}", account.id))
                .user_pool_id(&id)
                .send()
                .await
                .expect("domain");
        }
        for i in 0..self.users {
            c.admin_create_user()
                .user_pool_id(&id)
                .username(format!("user{i}"))
                .send()
                .await
                .expect("user");
        }
    }
}

/// The whole chapter, solved, in a fresh account: what the benchmark and
/// the solved-account tests start from.
pub async fn finished() -> Learner {
    let mgmt = Account::enter_async(&super::random_account_id()).await;
    let l = Learner::organization(mgmt, OrganizationFeatureSet::All).await;
    l.scp_regions(&l.ous["management"].clone()).await;
    l.cost_explorer(CE_POLICY, true).await;
    l.identity_center("arn:aws:iam::aws:policy/ReadOnlyAccess", &["test"])
        .await;
    l.mgmt
        .set_root(true, false, Some("2020-01-01T00:00:00+00:00"));
    aws_sdk_iam::Client::new(&l.mgmt.conf)
        .generate_credential_report()
        .send()
        .await
        .expect("report");
    CognitoLab::solved().seed(&l.mgmt).await;
    l.org_trail("log-archive", true, true, true).await;
    kms_key(&l.mgmt, true).await;
    l.guardduty("security", &[REGION, "eu-central-2"]).await;
    l.security_baseline("security").await;
    l
}
