//! Organizations: the organization, roots with their policy types, the OU
//! tree with its accounts, SCPs with content and targets. (Delegated
//! administrators are not read: no check needs them.)

use std::future::Future;
use std::pin::Pin;

use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::PolicyType;
use futures_util::future::{join_all, try_join};

use super::call::{call, code, paged, unavailable};
use super::session::Ctx;
use crate::facts::{
    Account, Collected, Organization, OrganizationalUnit, PolicyTypeStatus, Root, Scp, Unavailable,
};

/// The organization, collected once per run and shared by every collector
/// that needs to find accounts.
pub async fn shared(ctx: &Ctx) -> &Collected<Option<Organization>> {
    ctx.org.get_or_init(|| collect(ctx)).await
}

/// The id of the member account named `name`, or why there is none.
pub async fn account_named(ctx: &Ctx, name: &str) -> Result<Option<String>, Unavailable> {
    match shared(ctx).await {
        Collected::Ok(Some(org)) => Ok(org.account_by_name(name).map(|a| a.id.clone())),
        Collected::Ok(None) => Ok(None),
        Collected::Unavailable(u) => Err(u.clone()),
    }
}

pub fn client(ctx: &Ctx) -> Client {
    super::call::client!(aws_sdk_organizations, ctx, &ctx.caller)
}

pub async fn collect(ctx: &Ctx) -> Collected<Option<Organization>> {
    let c = client(ctx);
    // The tree and the policies do not wait for the organization's own
    // description: all three go out together (one round trip, not two),
    // and the tree's answers are dropped outside an organization.
    let described = async {
        let _slot = ctx.permit().await;
        c.describe_organization().send().await
    };
    let (described, (roots, policies)) = futures_util::future::join(
        described,
        futures_util::future::join(roots(ctx, &c), scps(ctx, &c)),
    )
    .await;
    let org = match described {
        Ok(out) => match out.organization() {
            Some(o) => o.clone(),
            None => return Collected::Ok(None),
        },
        Err(e) if code(&e) == Some("AWSOrganizationsNotInUseException") => {
            return Collected::Ok(None);
        }
        Err(e) => {
            let u = unavailable("organizations:DescribeOrganization", &e);
            ctx.note(u.clone());
            return Collected::Unavailable(u);
        }
    };
    // The organization answered: what its tree or policies fail to give
    // is noted per operation, so `org/exists` is still decided.
    let roots = ctx.keep(roots);
    if let Err(u) = &policies {
        ctx.note(u.clone());
    }
    Collected::Ok(Some(Organization {
        id: org.id().unwrap_or_default().to_string(),
        feature_set: org
            .feature_set()
            .map(|f| f.as_str().to_string())
            .unwrap_or_default(),
        management_account_id: org.master_account_id().unwrap_or_default().to_string(),
        roots,
        policies: policies.into(),
        delegated_administrators: None,
    }))
}

async fn roots(ctx: &Ctx, c: &Client) -> Result<Vec<Root>, Unavailable> {
    let listed = paged!(ctx, "organizations:ListRoots", c.list_roots(), |p| p
        .roots())?;
    let mut out = Vec::new();
    for r in listed {
        let id = r.id().unwrap_or_default().to_string();
        // A tree that cannot be listed is noted; the root and its policy
        // types still count (`scp-regions/policy-type` needs only them).
        let (accounts, organizational_units) = ctx.keep(children(ctx, c, id.clone()).await);
        out.push(Root {
            id,
            name: r.name().unwrap_or_default().to_string(),
            policy_types: r
                .policy_types()
                .iter()
                .map(|p| PolicyTypeStatus {
                    policy_type: p
                        .r#type()
                        .map(|t| t.as_str().to_string())
                        .unwrap_or_default(),
                    status: p
                        .status()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                })
                .collect(),
            accounts,
            organizational_units,
        });
    }
    Ok(out)
}

type Children = (Vec<Account>, Vec<OrganizationalUnit>);

/// The accounts and OUs under a parent, recursively; siblings concurrently.
fn children<'a>(
    ctx: &'a Ctx,
    c: &'a Client,
    parent: String,
) -> Pin<Box<dyn Future<Output = Result<Children, Unavailable>> + 'a>> {
    Box::pin(async move {
        let accounts = async {
            paged!(
                ctx,
                "organizations:ListAccountsForParent",
                c.list_accounts_for_parent().parent_id(&parent),
                |p| p.accounts()
            )
        };
        let ous = async {
            paged!(
                ctx,
                "organizations:ListOrganizationalUnitsForParent",
                c.list_organizational_units_for_parent().parent_id(&parent),
                |p| p.organizational_units()
            )
        };
        let (accounts, ous) = try_join(accounts, ous).await?;
        let accounts = accounts
            .iter()
            .map(|a| Account {
                id: a.id().unwrap_or_default().to_string(),
                name: a.name().unwrap_or_default().to_string(),
                email: a.email().unwrap_or_default().to_string(),
                status: a
                    .state()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
            })
            .collect();
        let nested = join_all(ous.iter().map(|ou| {
            let id = ou.id().unwrap_or_default().to_string();
            async move {
                let (accounts, organizational_units) = children(ctx, c, id.clone()).await?;
                Ok::<_, Unavailable>(OrganizationalUnit {
                    id,
                    name: ou.name().unwrap_or_default().to_string(),
                    accounts,
                    organizational_units,
                })
            }
        }))
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
        Ok((accounts, nested))
    })
}

async fn scps(ctx: &Ctx, c: &Client) -> Result<Vec<Scp>, Unavailable> {
    let listed = paged!(
        ctx,
        "organizations:ListPolicies",
        c.list_policies().filter(PolicyType::ServiceControlPolicy),
        |p| p.policies()
    )?;
    join_all(listed.iter().map(|p| async move {
        let id = p.id().unwrap_or_default().to_string();
        let (described, targets) = futures_util::future::join(
            async {
                call!(
                    ctx,
                    "organizations:DescribePolicy",
                    c.describe_policy().policy_id(&id)
                )
            },
            async {
                paged!(
                    ctx,
                    "organizations:ListTargetsForPolicy",
                    c.list_targets_for_policy().policy_id(&id),
                    |p| p.targets()
                )
            },
        )
        .await;
        let described = described?;
        // Where it is attached is noted apart: what it says still counts.
        let targets = ctx.keep(targets);
        Ok(Scp {
            id: id.clone(),
            name: p.name().unwrap_or_default().to_string(),
            aws_managed: p.aws_managed(),
            content: described
                .policy()
                .and_then(|p| p.content())
                .unwrap_or_default()
                .to_string(),
            targets: targets
                .iter()
                .filter_map(|t| t.target_id().map(str::to_string))
                .collect(),
        })
    }))
    .await
    .into_iter()
    .collect()
}
