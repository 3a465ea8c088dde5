//! Collectors in the caller's account: IAM, Cognito, CloudTrail (with the
//! trail bucket's owner, looked up through S3) and KMS.

use std::collections::BTreeMap;

use aws_sdk_iam::types::{PolicyScopeType, SummaryKeyType};
use futures_util::future::{join, join_all, join3, try_join};

use super::call::{call, client, code, pages, unavailable};
use super::org;
use super::session::Ctx;
use crate::facts::{
    AccessKey, AccountSummary, AdvancedEventSelector, AppClient, AttachedPolicy, CloudTrail,
    Cognito, Collected, EventSelector, FactGroup, FieldSelector, Iam, IamGroup, IamUser, Kms,
    KmsKey, ManagedPolicy, MfaConfig, RootCredentials, Trail, TrailStatus, Unavailable, UserPool,
};

// ---------------------------------------------------------------- IAM

pub async fn iam(ctx: &Ctx) -> Collected<Iam> {
    let c = client!(aws_sdk_iam, ctx, &ctx.caller);
    let summary = async {
        let out = call!(ctx, "iam:GetAccountSummary", c.get_account_summary())?;
        let map = out.summary_map();
        let get = |k: SummaryKeyType| {
            map.and_then(|m| m.get(&k))
                .map(|v| u32::try_from(*v).unwrap_or(0))
                .unwrap_or(0)
        };
        Ok(AccountSummary {
            account_mfa_enabled: get(SummaryKeyType::AccountMfaEnabled),
            account_access_keys_present: get(SummaryKeyType::AccountAccessKeysPresent),
        })
    };
    let report = credential_report_root(ctx, &c);
    let rest = join3(
        iam_users(ctx, &c),
        iam_groups(ctx, &c),
        iam_policies(ctx, &c),
    );
    let (summary, report, (users, groups, policies)) = join3(summary, report, rest).await;
    Collected::Ok(Iam {
        account_summary: summary.into(),
        users: ctx.keep(users),
        groups: ctx.keep(groups),
        policies: ctx.keep(policies),
        credential_report_root: report.into(),
    })
}

fn attached(list: &[aws_sdk_iam::types::AttachedPolicy]) -> Vec<AttachedPolicy> {
    list.iter()
        .map(|p| AttachedPolicy {
            name: p.policy_name().unwrap_or_default().to_string(),
            arn: p.policy_arn().unwrap_or_default().to_string(),
        })
        .collect()
}

async fn iam_users(ctx: &Ctx, c: &aws_sdk_iam::Client) -> Result<Vec<IamUser>, Unavailable> {
    let users = pages!(ctx, "iam:ListUsers", c.list_users())?;
    join_all(users.iter().map(|u| async move {
        let name = u.user_name();
        let (groups, policies) = try_join(
            async {
                pages!(
                    ctx,
                    "iam:ListGroupsForUser",
                    c.list_groups_for_user().user_name(name)
                )
            },
            async {
                pages!(
                    ctx,
                    "iam:ListAttachedUserPolicies",
                    c.list_attached_user_policies().user_name(name)
                )
            },
        )
        .await?;
        let (access_keys, console_password) =
            join(access_keys(ctx, c, name), console_password(ctx, c, name)).await;
        Ok(IamUser {
            name: name.to_string(),
            arn: u.arn().to_string(),
            groups: groups.iter().map(|g| g.group_name().to_string()).collect(),
            attached_policies: attached(&policies),
            access_keys: noted(ctx, access_keys),
            console_password: noted(ctx, console_password),
        })
    }))
    .await
    .into_iter()
    .collect()
}

/// A per-user read: kept on the user, and its failure also noted under the
/// operation, so whatever reads it is `unknown` naming the operation while
/// the rest of the user (groups, policies) still counts.
fn noted<T>(ctx: &Ctx, result: Result<T, Unavailable>) -> Collected<T> {
    match result {
        Ok(v) => Collected::Ok(v),
        Err(u) => {
            ctx.note(u.clone());
            Collected::Unavailable(u)
        }
    }
}

/// The user's access keys: status and creation date, and only the last
/// four characters of the key id (never the secret, which IAM never returns).
async fn access_keys(
    ctx: &Ctx,
    c: &aws_sdk_iam::Client,
    user: &str,
) -> Result<Vec<AccessKey>, Unavailable> {
    let keys = pages!(
        ctx,
        "iam:ListAccessKeys",
        c.list_access_keys().user_name(user)
    )?;
    Ok(keys
        .iter()
        .map(|k| {
            let id = k.access_key_id().unwrap_or_default();
            let ending: String = id
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            AccessKey {
                id_ending: ending,
                status: k
                    .status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                created: k
                    .create_date()
                    .and_then(|d| d.fmt(aws_smithy_types::date_time::Format::DateTime).ok()),
            }
        })
        .collect())
}

/// Whether the user has a console password: `GetLoginProfile` answers for
/// a user with one and `NoSuchEntity` for a user without.
async fn console_password(
    ctx: &Ctx,
    c: &aws_sdk_iam::Client,
    user: &str,
) -> Result<bool, Unavailable> {
    let answer = {
        let _slot = ctx.permit().await;
        c.get_login_profile().user_name(user).send().await
    };
    match answer {
        Ok(_) => Ok(true),
        Err(e) if code(&e) == Some("NoSuchEntity") => Ok(false),
        Err(e) => Err(unavailable("iam:GetLoginProfile", &e)),
    }
}

async fn iam_groups(ctx: &Ctx, c: &aws_sdk_iam::Client) -> Result<Vec<IamGroup>, Unavailable> {
    let groups = pages!(ctx, "iam:ListGroups", c.list_groups())?;
    join_all(groups.iter().map(|g| async move {
        let name = g.group_name();
        let policies = pages!(
            ctx,
            "iam:ListAttachedGroupPolicies",
            c.list_attached_group_policies().group_name(name)
        )?;
        Ok(IamGroup {
            name: name.to_string(),
            attached_policies: attached(&policies),
        })
    }))
    .await
    .into_iter()
    .collect()
}

async fn iam_policies(
    ctx: &Ctx,
    c: &aws_sdk_iam::Client,
) -> Result<Vec<ManagedPolicy>, Unavailable> {
    let policies = pages!(
        ctx,
        "iam:ListPolicies",
        c.list_policies().scope(PolicyScopeType::Local)
    )?;
    join_all(policies.iter().map(|p| async move {
        let arn = p.arn().unwrap_or_default();
        let version = p.default_version_id().unwrap_or_default();
        let out = call!(
            ctx,
            "iam:GetPolicyVersion",
            c.get_policy_version().policy_arn(arn).version_id(version)
        )?;
        let raw = out
            .policy_version()
            .and_then(|v| v.document())
            .unwrap_or_default();
        Ok(ManagedPolicy {
            name: p.policy_name().unwrap_or_default().to_string(),
            arn: arn.to_string(),
            default_version_id: version.to_string(),
            document: url_decode(raw),
        })
    }))
    .await
    .into_iter()
    .collect()
}

/// IAM returns policy documents URL-encoded (RFC 3986); `+` stays `+`.
pub fn url_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The `<root_account>` row of the existing credential report. labbook
/// never generates a report (that starts a job in the account).
async fn credential_report_root(
    ctx: &Ctx,
    c: &aws_sdk_iam::Client,
) -> Result<Option<RootCredentials>, Unavailable> {
    let answer = {
        let _slot = ctx.permit().await;
        c.get_credential_report().send().await
    };
    let out = match answer {
        Ok(out) => out,
        Err(e)
            if matches!(
                code(&e),
                Some("ReportNotPresent" | "ReportExpired" | "ReportInProgress")
            ) =>
        {
            return Err(Unavailable::new(
                "no current credential report; create one with `aws iam generate-credential-report`",
            ));
        }
        Err(e) => return Err(unavailable("iam:GetCredentialReport", &e)),
    };
    let text = out
        .content()
        .map(|b| String::from_utf8_lossy(b.as_ref()).into_owned())
        .unwrap_or_default();
    Ok(parse_root_row(&text))
}

/// The root row of a credential report (CSV with a header line).
pub fn parse_root_row(csv: &str) -> Option<RootCredentials> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next()?.split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (used, mfa) = (col("password_last_used")?, col("mfa_active")?);
    let row: Vec<&str> = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|r| r.first() == Some(&"<root_account>"))?;
    let last = row.get(used).copied().unwrap_or_default();
    let password_last_used = (last.len() >= 19 && last.as_bytes()[4] == b'-').then(|| {
        // `2026-11-28T10:00:00+00:00` -> `2026-11-28T10:00:00Z`.
        format!("{}Z", &last[..19])
    });
    Some(RootCredentials {
        password_last_used,
        mfa_active: row.get(mfa).is_some_and(|v| *v == "true"),
    })
}

// ---------------------------------------------------------------- Cognito

pub async fn cognito(ctx: &Ctx) -> Collected<Cognito> {
    let c = client!(
        aws_sdk_cognitoidentityprovider,
        ctx,
        &ctx.regional(FactGroup::Cognito)
    );
    let pools = match pages!(
        ctx,
        "cognito-idp:ListUserPools",
        c.list_user_pools().max_results(60)
    ) {
        Ok(p) => p,
        Err(u) => return Collected::Unavailable(u),
    };
    let pools = join_all(pools.iter().map(|p| user_pool(ctx, &c, p))).await;
    pools
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map(|user_pools| Cognito { user_pools })
        .into()
}

async fn user_pool(
    ctx: &Ctx,
    c: &aws_sdk_cognitoidentityprovider::Client,
    p: &aws_sdk_cognitoidentityprovider::types::UserPoolDescriptionType,
) -> Result<UserPool, Unavailable> {
    let id = p.id().unwrap_or_default();
    let described = async {
        call!(
            ctx,
            "cognito-idp:DescribeUserPool",
            c.describe_user_pool().user_pool_id(id)
        )
    };
    let mfa = async {
        let out = call!(
            ctx,
            "cognito-idp:GetUserPoolMfaConfig",
            c.get_user_pool_mfa_config().user_pool_id(id)
        )?;
        Ok::<_, Unavailable>(MfaConfig {
            mfa_configuration: out
                .mfa_configuration()
                .map(|m| m.as_str().to_string())
                .unwrap_or_else(|| "OFF".to_string()),
            sms_enabled: out.sms_mfa_configuration().is_some(),
            software_token_enabled: out
                .software_token_mfa_configuration()
                .is_some_and(|s| s.enabled()),
            email_enabled: out.email_mfa_configuration().is_some(),
        })
    };
    let clients = async {
        let listed = pages!(
            ctx,
            "cognito-idp:ListUserPoolClients",
            c.list_user_pool_clients().user_pool_id(id).max_results(60)
        )?;
        join_all(listed.iter().map(|cl| async move {
            let out = call!(
                ctx,
                "cognito-idp:DescribeUserPoolClient",
                c.describe_user_pool_client()
                    .user_pool_id(id)
                    .client_id(cl.client_id().unwrap_or_default())
            )?;
            let Some(d) = out.user_pool_client() else {
                return Err(Unavailable::new(
                    "DescribeUserPoolClient returned no client",
                ));
            };
            // Only whether a secret exists; the secret itself is dropped here.
            Ok(AppClient {
                id: d.client_id().unwrap_or_default().to_string(),
                name: d.client_name().unwrap_or_default().to_string(),
                has_secret: d.client_secret().is_some_and(|s| !s.is_empty()),
                allowed_oauth_flows_user_pool_client: d
                    .allowed_o_auth_flows_user_pool_client()
                    .unwrap_or(false),
                allowed_oauth_flows: d
                    .allowed_o_auth_flows()
                    .iter()
                    .map(|f| f.as_str().to_string())
                    .collect(),
                allowed_oauth_scopes: d.allowed_o_auth_scopes().to_vec(),
                callback_urls: d.callback_urls().to_vec(),
                logout_urls: d.logout_urls().to_vec(),
                supported_identity_providers: d.supported_identity_providers().to_vec(),
            })
        }))
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
    };
    let (described, mfa, clients) = join3(described, mfa, clients).await;
    let described = described?;
    let pool = described.user_pool();
    let estimated = pool
        .map(|u| u64::try_from(u.estimated_number_of_users()).unwrap_or(0))
        .unwrap_or(0);
    // The estimate lags behind sign-ups: when it says 0, one listed user
    // (no attributes kept) settles it.
    let listed_user = if estimated == 0 {
        let listed = call!(
            ctx,
            "cognito-idp:ListUsers",
            c.list_users()
                .user_pool_id(id)
                .limit(1)
                .set_attributes_to_get(Some(Vec::new()))
        );
        ctx.keep(listed.map(|o| Some(!o.users().is_empty())))
    } else {
        None
    };
    Ok(UserPool {
        id: id.to_string(),
        name: p.name().unwrap_or_default().to_string(),
        required_attributes: pool
            .map(|u| {
                u.schema_attributes()
                    .iter()
                    .filter(|a| a.required().unwrap_or(false))
                    .filter_map(|a| a.name().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        mfa: mfa.into(),
        clients: ctx.keep(clients),
        domain: pool.and_then(|u| u.domain()).map(str::to_string),
        custom_domain: pool.and_then(|u| u.custom_domain()).map(str::to_string),
        estimated_number_of_users: estimated,
        listed_user,
    })
}

// ---------------------------------------------------------------- CloudTrail

pub async fn cloudtrail(ctx: &Ctx) -> Collected<CloudTrail> {
    let c = client!(aws_sdk_cloudtrail, ctx, &ctx.caller);
    let described = match call!(ctx, "cloudtrail:DescribeTrails", c.describe_trails()) {
        Ok(d) => d,
        Err(u) => return Collected::Unavailable(u),
    };
    let region = ctx.region();
    let buckets: Vec<&str> = {
        let mut b: Vec<&str> = described
            .trail_list()
            .iter()
            .filter_map(|t| t.s3_bucket_name())
            .collect();
        b.sort();
        b.dedup();
        b
    };
    let owners = bucket_owners(ctx, &buckets);
    let trails = join_all(described.trail_list().iter().map(|t| {
        let region = region.clone();
        async move {
            let arn = t.trail_arn().unwrap_or_default();
            let home = t.home_region().unwrap_or(&region);
            // Status and selectors are read from the trail's home region.
            let conf = ctx.conf_in(&ctx.caller, (home != region).then_some(home));
            let hc = client!(aws_sdk_cloudtrail, ctx, &conf);
            let (status, selectors, insights) = join3(
                async {
                    call!(
                        ctx,
                        "cloudtrail:GetTrailStatus",
                        hc.get_trail_status().name(arn)
                    )
                },
                async {
                    call!(
                        ctx,
                        "cloudtrail:GetEventSelectors",
                        hc.get_event_selectors().trail_name(arn)
                    )
                },
                async {
                    let _slot = ctx.permit().await;
                    match hc.get_insight_selectors().trail_name(arn).send().await {
                        Ok(o) => Ok(o
                            .insight_selectors()
                            .iter()
                            .filter_map(|i| i.insight_type().map(|t| t.as_str().to_string()))
                            .collect()),
                        Err(e) if code(&e) == Some("InsightNotEnabledException") => Ok(Vec::new()),
                        Err(e) => Err(unavailable("cloudtrail:GetInsightSelectors", &e)),
                    }
                },
            )
            .await;
            // A selector read that fails is noted; the trail's other facts stay.
            let selectors = selectors.unwrap_or_else(|u| {
                ctx.note(u);
                aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput::builder()
                    .build()
            });
            Ok::<_, Unavailable>(Trail {
                name: t.name().unwrap_or_default().to_string(),
                arn: arn.to_string(),
                home_region: home.to_string(),
                account_id: arn.split(':').nth(4).unwrap_or_default().to_string(),
                is_organization_trail: t.is_organization_trail().unwrap_or(false),
                is_multi_region_trail: t.is_multi_region_trail().unwrap_or(false),
                log_file_validation_enabled: t.log_file_validation_enabled().unwrap_or(false),
                s3_bucket_name: t.s3_bucket_name().unwrap_or_default().to_string(),
                bucket_account_id: Collected::default(),
                status: status
                    .map(|s| TrailStatus {
                        is_logging: s.is_logging().unwrap_or(false),
                    })
                    .into(),
                event_selectors: selectors
                    .event_selectors()
                    .iter()
                    .map(|e| EventSelector {
                        read_write_type: e
                            .read_write_type()
                            .map(|r| r.as_str().to_string())
                            .unwrap_or_else(|| "All".to_string()),
                        include_management_events: e.include_management_events().unwrap_or(true),
                    })
                    .collect(),
                advanced_event_selectors: selectors
                    .advanced_event_selectors()
                    .iter()
                    .map(|a| AdvancedEventSelector {
                        name: a.name().unwrap_or_default().to_string(),
                        field_selectors: a
                            .field_selectors()
                            .iter()
                            .map(|f| FieldSelector {
                                field: f.field().to_string(),
                                equals: f.equals().to_vec(),
                                not_equals: f.not_equals().to_vec(),
                            })
                            .collect(),
                    })
                    .collect(),
                insight_selectors: ctx.keep(insights),
            })
        }
    }));
    let (trails, owners) = join(trails, owners).await;
    let mut out = Vec::new();
    for t in trails {
        match t {
            Ok(mut t) => {
                t.bucket_account_id = owners
                    .get(t.s3_bucket_name.as_str())
                    .cloned()
                    .unwrap_or_default();
                out.push(t);
            }
            Err(u) => return Collected::Unavailable(u),
        }
    }
    Collected::Ok(CloudTrail { trails: out })
}

/// Which account owns each bucket: the management account when its own
/// bucket list has it, else log-archive when the bucket is listed there
/// (through the member role).
async fn bucket_owners(ctx: &Ctx, buckets: &[&str]) -> BTreeMap<String, Collected<String>> {
    let mut out = BTreeMap::new();
    if buckets.is_empty() {
        return out;
    }
    let own = list_buckets(ctx, &ctx.caller).await;
    let mut rest = Vec::new();
    for b in buckets {
        match &own {
            Ok(list) if list.iter().any(|x| x == b) => {
                out.insert((*b).to_string(), Collected::Ok(ctx.caller_account.clone()));
            }
            _ => rest.push(*b),
        }
    }
    if rest.is_empty() {
        return out;
    }
    let archive_name = ctx.scope.log_archive_account.clone();
    let archive: Result<(String, Vec<String>), Unavailable> = async {
        let Some(id) = org::account_named(ctx, &archive_name).await? else {
            return Err(Unavailable::new(format!(
                "the organization has no account named {archive_name} to look for the bucket in"
            )));
        };
        let conf = ctx.member(&id).await?;
        Ok((id, list_buckets(ctx, &conf).await?))
    }
    .await;
    for b in rest {
        let owner = match (&archive, &own) {
            (Ok((id, list)), _) if list.iter().any(|x| x == b) => Collected::Ok(id.clone()),
            (Ok(_), Ok(_)) => Collected::Unavailable(Unavailable::new(format!(
                "bucket {b} is in neither the management account nor {archive_name}"
            ))),
            (Err(u), _) | (_, Err(u)) => Collected::Unavailable(u.clone()),
        };
        out.insert(b.to_string(), owner);
    }
    out
}

async fn list_buckets(ctx: &Ctx, conf: &aws_config::SdkConfig) -> Result<Vec<String>, Unavailable> {
    let s3 = client!(aws_sdk_s3, ctx, conf);
    let buckets = pages!(ctx, "s3:ListAllMyBuckets", s3.list_buckets())?;
    Ok(buckets
        .iter()
        .filter_map(|b| b.name().map(str::to_string))
        .collect())
}

// ---------------------------------------------------------------- KMS

pub async fn kms(ctx: &Ctx) -> Collected<Kms> {
    let c = client!(aws_sdk_kms, ctx, &ctx.regional(FactGroup::Kms));
    let (keys, aliases) = join(
        async { pages!(ctx, "kms:ListKeys", c.list_keys()) },
        async { pages!(ctx, "kms:ListAliases", c.list_aliases()) },
    )
    .await;
    let (keys, aliases) = match (keys, aliases) {
        (Ok(k), Ok(a)) => (k, a),
        (Err(u), _) | (_, Err(u)) => return Collected::Unavailable(u),
    };
    let (c, aliases) = (&c, &aliases);
    let keys = join_all(keys.iter().map(|k| {
        async move {
            let id = k.key_id().unwrap_or_default();
            let out = call!(ctx, "kms:DescribeKey", c.describe_key().key_id(id))?;
            let Some(m) = out.key_metadata() else {
                return Err(Unavailable::new("kms:DescribeKey returned no metadata"));
            };
            let key_spec = m
                .key_spec()
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|| "SYMMETRIC_DEFAULT".to_string());
            let mut key = KmsKey {
                key_id: id.to_string(),
                key_manager: m
                    .key_manager()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                key_state: m
                    .key_state()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                // AWS always names the usage; an emulator may not, and then
                // a symmetric key has the creation default.
                key_usage: m
                    .key_usage()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_else(|| {
                        if key_spec == "SYMMETRIC_DEFAULT" {
                            "ENCRYPT_DECRYPT"
                        } else {
                            ""
                        }
                        .to_string()
                    }),
                key_spec,
                origin: m
                    .origin()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                rotation_enabled: Collected::default(),
                aliases: aliases
                    .iter()
                    .filter(|a| a.target_key_id() == Some(id))
                    .filter_map(|a| a.alias_name().map(str::to_string))
                    .collect(),
            };
            key.rotation_enabled = if can_rotate(&key) {
                call!(
                    ctx,
                    "kms:GetKeyRotationStatus",
                    c.get_key_rotation_status().key_id(id)
                )
                .map(|r| r.key_rotation_enabled())
                .into()
            } else {
                Collected::Unavailable(Unavailable::new("this key cannot rotate automatically"))
            };
            Ok(key)
        }
    }))
    .await;
    keys.into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map(|keys| Kms { keys })
        .into()
}

/// Only enabled customer-managed symmetric keys with AWS key material
/// rotate automatically; asking about others is an error in AWS.
fn can_rotate(k: &KmsKey) -> bool {
    k.key_manager == "CUSTOMER"
        && k.key_state == "Enabled"
        && k.key_spec == "SYMMETRIC_DEFAULT"
        && k.origin == "AWS_KMS"
        && !k.aliases.iter().any(|a| a.starts_with("alias/aws/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_documents_are_url_decoded() {
        assert_eq!(
            url_decode("%7B%22Version%22%3A%20%222012-10-17%22%7D"),
            r#"{"Version": "2012-10-17"}"#
        );
        assert_eq!(url_decode("a+b%2"), "a+b%2");
    }

    #[test]
    fn the_root_row_is_read_from_the_credential_report() {
        let csv = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active\n\
                   alice,arn:aws:iam::1:user/alice,x,true,2026-01-01T00:00:00+00:00,x,x,false\n\
                   <root_account>,arn:aws:iam::1:root,x,not_supported,2026-11-28T10:00:00+00:00,x,x,true\n";
        let root = parse_root_row(csv).expect("root row");
        assert_eq!(
            root.password_last_used.as_deref(),
            Some("2026-11-28T10:00:00Z")
        );
        assert!(root.mfa_active);
        let never = csv.replace("2026-11-28T10:00:00+00:00", "no_information");
        assert_eq!(
            parse_root_row(&never).expect("row").password_last_used,
            None
        );
        assert_eq!(parse_root_row("user,password_last_used,mfa_active\n"), None);
    }
}
