//! IAM Identity Center: instances, permission sets with their policies,
//! account assignments (per account and permission set), and the identity
//! store's groups, users and memberships.

use aws_sdk_identitystore::types::MemberId;
use std::collections::BTreeMap;

use futures_util::future::{join_all, join3, try_join4};

use super::call::{call, client, pages};
use super::org;
use super::session::Ctx;
use crate::facts::{
    AccountAssignment, Collected, CustomerManagedPolicy, FactGroup, GroupMembership,
    IdentityCenter, IdentityStoreGroup, IdentityStoreUser, PermissionSet, SsoInstance, Unavailable,
};

pub async fn collect(ctx: &Ctx) -> Collected<IdentityCenter> {
    inner(ctx).await.into()
}

async fn inner(ctx: &Ctx) -> Result<IdentityCenter, Unavailable> {
    let conf = ctx.regional(FactGroup::IdentityCenter);
    let sso = client!(aws_sdk_ssoadmin, ctx, &conf);
    let ids = client!(aws_sdk_identitystore, ctx, &conf);
    let listed = pages!(ctx, "sso:ListInstances", sso.list_instances())?;
    let instances: Vec<SsoInstance> = listed
        .iter()
        .map(|i| SsoInstance {
            instance_arn: i.instance_arn().unwrap_or_default().to_string(),
            identity_store_id: i.identity_store_id().unwrap_or_default().to_string(),
        })
        .collect();
    let Some(instance) = instances.first().cloned() else {
        return Ok(IdentityCenter::default());
    };
    let arn = instance.instance_arn.as_str();
    let store = instance.identity_store_id.as_str();

    let permission_sets = async {
        let arns = pages!(
            ctx,
            "sso:ListPermissionSets",
            sso.list_permission_sets().instance_arn(arn)
        )?;
        join_all(arns.iter().map(|ps| {
            let sso = &sso;
            async move {
                let (described, managed, inline, customer) = try_join4(
                    async {
                        call!(
                            ctx,
                            "sso:DescribePermissionSet",
                            sso.describe_permission_set()
                                .instance_arn(arn)
                                .permission_set_arn(ps)
                        )
                    },
                    async {
                        pages!(
                            ctx,
                            "sso:ListManagedPoliciesInPermissionSet",
                            sso.list_managed_policies_in_permission_set()
                                .instance_arn(arn)
                                .permission_set_arn(ps)
                        )
                    },
                    async {
                        call!(
                            ctx,
                            "sso:GetInlinePolicyForPermissionSet",
                            sso.get_inline_policy_for_permission_set()
                                .instance_arn(arn)
                                .permission_set_arn(ps)
                        )
                    },
                    async {
                        pages!(
                            ctx,
                            "sso:ListCustomerManagedPolicyReferencesInPermissionSet",
                            sso.list_customer_managed_policy_references_in_permission_set()
                                .instance_arn(arn)
                                .permission_set_arn(ps)
                        )
                    },
                )
                .await?;
                Ok::<_, Unavailable>(PermissionSet {
                    arn: ps.clone(),
                    name: described
                        .permission_set()
                        .and_then(|p| p.name())
                        .unwrap_or_default()
                        .to_string(),
                    managed_policies: managed
                        .iter()
                        .filter_map(|m| m.arn().map(str::to_string))
                        .collect(),
                    inline_policy: inline
                        .inline_policy()
                        .filter(|p| !p.trim().is_empty())
                        .map(str::to_string),
                    customer_managed_policies: customer
                        .iter()
                        .map(|r| CustomerManagedPolicy {
                            name: r.name().to_string(),
                            path: r.path().unwrap_or("/").to_string(),
                            documents: BTreeMap::new(),
                        })
                        .collect(),
                })
            }
        }))
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
    };

    // Groups, users and memberships are kept apart: `groups` needs all
    // three, `assignments` only the groups' names.
    let directory = async {
        let (groups, users) = futures_util::future::join(
            async {
                pages!(
                    ctx,
                    "identitystore:ListGroups",
                    ids.list_groups().identity_store_id(store)
                )
            },
            async {
                pages!(
                    ctx,
                    "identitystore:ListUsers",
                    ids.list_users().identity_store_id(store)
                )
            },
        )
        .await;
        let groups = ctx.keep(groups);
        let users = ctx.keep(users);
        let memberships = join_all(groups.iter().map(|g| {
            let ids = &ids;
            async move {
                pages!(
                    ctx,
                    "identitystore:ListGroupMemberships",
                    ids.list_group_memberships()
                        .identity_store_id(store)
                        .group_id(g.group_id())
                )
            }
        }))
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>();
        let memberships = ctx.keep(memberships);
        Ok::<_, Unavailable>((groups, users, memberships))
    };

    let (permission_sets, directory, accounts) =
        join3(permission_sets, directory, org_account_ids(ctx)).await;
    let permission_sets = ctx.keep(permission_sets);
    let (groups, users, memberships) = ctx.keep(directory);
    let accounts = ctx.keep(accounts);

    // ListAccountAssignments per account and permission set: what is
    // assigned, independent of provisioning status.
    let pairs: Vec<(&String, &PermissionSet)> = accounts
        .iter()
        .flat_map(|a| permission_sets.iter().map(move |p| (a, p)))
        .collect();
    let assignments = join_all(pairs.iter().map(|(account, ps)| {
        let sso = &sso;
        async move {
            pages!(
                ctx,
                "sso:ListAccountAssignments",
                sso.list_account_assignments()
                    .instance_arn(arn)
                    .account_id(account.as_str())
                    .permission_set_arn(&ps.arn)
            )
        }
    }))
    .await
    .into_iter()
    .collect::<Result<Vec<_>, _>>();
    let assignments = ctx.keep(assignments);
    let mut permission_sets = permission_sets;
    read_customer_managed(ctx, &mut permission_sets, &assignments).await;

    Ok(IdentityCenter {
        instances,
        permission_sets,
        groups: groups
            .iter()
            .map(|g| IdentityStoreGroup {
                id: g.group_id().to_string(),
                display_name: g.display_name().unwrap_or_default().to_string(),
            })
            .collect(),
        users: users
            .iter()
            .map(|u| IdentityStoreUser {
                id: u.user_id().to_string(),
                user_name: u.user_name().unwrap_or_default().to_string(),
            })
            .collect(),
        group_memberships: memberships
            .iter()
            .flatten()
            .filter_map(|m| match m.member_id() {
                Some(MemberId::UserId(user)) => Some(GroupMembership {
                    group_id: m.group_id().unwrap_or_default().to_string(),
                    user_id: user.clone(),
                }),
                _ => None,
            })
            .collect(),
        account_assignments: assignments
            .iter()
            .flatten()
            .map(|a| AccountAssignment {
                account_id: a.account_id().unwrap_or_default().to_string(),
                permission_set_arn: a.permission_set_arn().unwrap_or_default().to_string(),
                principal_type: a
                    .principal_type()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default(),
                principal_id: a.principal_id().unwrap_or_default().to_string(),
            })
            .collect(),
    })
}

/// Every account of the organization (or just the caller's outside one).
async fn org_account_ids(ctx: &Ctx) -> Result<Vec<String>, Unavailable> {
    match org::shared(ctx).await {
        Collected::Ok(Some(org)) => Ok(org
            .accounts()
            .iter()
            .map(|p| p.account.id.clone())
            .collect()),
        Collected::Ok(None) => Ok(vec![ctx.caller_account.clone()]),
        // Noted under its own operation by the organization's collector.
        Collected::Unavailable(u) => Err(u.clone()),
    }
}

/// The documents of each permission set's customer-managed policy
/// references, read in every account the set is assigned to (the policy
/// lives there, under the same name and path), through the member role.
/// A document that cannot be read is kept as unavailable: the step that
/// judges the set is then `unknown`, never `pass`.
async fn read_customer_managed(
    ctx: &Ctx,
    sets: &mut [PermissionSet],
    assignments: &[Vec<aws_sdk_ssoadmin::types::AccountAssignment>],
) {
    // Every reference of every set at once: they depend on nothing but
    // the assignments already read.
    let reads = sets.iter_mut().flat_map(|set| {
        let mut accounts: Vec<String> = assignments
            .iter()
            .flatten()
            .filter(|a| a.permission_set_arn() == Some(set.arn.as_str()))
            .filter_map(|a| a.account_id().map(str::to_string))
            .collect();
        accounts.sort();
        accounts.dedup();
        set.customer_managed_policies
            .iter_mut()
            .map(move |reference| {
                let accounts = accounts.clone();
                async move {
                    let reads = accounts.iter().map(|account| {
                        let (name, path) = (reference.name.clone(), reference.path.clone());
                        async move {
                            let doc = policy_document(ctx, account, &path, &name).await;
                            (account.clone(), doc.into())
                        }
                    });
                    reference.documents = join_all(reads).await.into_iter().collect();
                }
            })
    });
    join_all(reads).await;
}

async fn policy_document(
    ctx: &Ctx,
    account: &str,
    path: &str,
    name: &str,
) -> Result<String, Unavailable> {
    let conf = ctx.member(account).await?;
    let iam = client!(aws_sdk_iam, ctx, &conf);
    let arn = format!("arn:aws:iam::{account}:policy{path}{name}");
    let policy = call!(ctx, "iam:GetPolicy", iam.get_policy().policy_arn(&arn))?;
    let version = policy
        .policy()
        .and_then(|p| p.default_version_id())
        .unwrap_or_default()
        .to_string();
    let out = call!(
        ctx,
        "iam:GetPolicyVersion",
        iam.get_policy_version()
            .policy_arn(&arn)
            .version_id(&version)
    )?;
    Ok(super::services::url_decode(
        out.policy_version()
            .and_then(|v| v.document())
            .unwrap_or_default(),
    ))
}
