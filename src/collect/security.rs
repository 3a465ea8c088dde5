//! The security services, read mostly from inside the security account
//! (through the member role): GuardDuty, Security Hub, Macie, Detective;
//! and Audit Manager in the caller's account.

use std::collections::BTreeMap;

use futures_util::future::{join, join_all};

use super::call::{call, client, code, is_denied, message, paged, pages, unavailable};
use super::org;
use super::session::Ctx;
use crate::facts::{
    Assessment, AuditManager, Collected, Detective, Detector, FactGroup, GuardDuty, GuardDutyAdmin,
    GuardDutyOrgConfig, Macie, MacieSession, SecurityHub, SecurityHubAccount, Unavailable,
};

/// The security account's id and SDK config; `Ok(None)` when the
/// organization has no such account (the checks then say so).
async fn security_account(
    ctx: &Ctx,
) -> Result<Option<(String, aws_config::SdkConfig)>, Unavailable> {
    let name = ctx.scope.security_account.clone();
    let Some(id) = org::account_named(ctx, &name).await? else {
        return Ok(None);
    };
    let conf = ctx.member(&id).await;
    Ok(Some((id, conf?)))
}

// ---------------------------------------------------------------- GuardDuty

pub async fn guardduty(ctx: &Ctx) -> Collected<GuardDuty> {
    // The delegated administrator is per region: listed in every lab region.
    let admins = async {
        let per_region = join_all(ctx.scope.regions.iter().map(|region| async move {
            let c = client!(
                aws_sdk_guardduty,
                ctx,
                &ctx.conf_in(&ctx.caller, Some(region))
            );
            let listed = pages!(
                ctx,
                "guardduty:ListOrganizationAdminAccounts",
                c.list_organization_admin_accounts()
            )
            .map_err(|mut u| {
                u.reason = format!("in {region}: {}", u.reason);
                u
            })?;
            Ok::<_, Unavailable>(
                listed
                    .iter()
                    .map(|a| GuardDutyAdmin {
                        account_id: a.admin_account_id().unwrap_or_default().to_string(),
                        region: region.clone(),
                        status: a
                            .admin_status()
                            .map(|s| s.as_str().to_string())
                            .unwrap_or_default(),
                    })
                    .collect::<Vec<_>>(),
            )
        }))
        .await;
        per_region
            .into_iter()
            .collect::<Result<Vec<_>, _>>()
            .map(|v| v.into_iter().flatten().collect::<Vec<_>>())
    };
    let inside = async {
        let Some((id, conf)) = security_account(ctx).await? else {
            return Ok((Vec::new(), BTreeMap::new(), BTreeMap::new()));
        };
        // Each region at once; in a region, the detectors' details and the
        // organization configuration (which lives with the administrator's
        // detector) both need only the detector ids, so they go together.
        let per_region = join_all(ctx.scope.regions.iter().map(|region| {
            let conf = ctx.conf_in(&conf, Some(region));
            let id = id.clone();
            async move {
                let c = client!(aws_sdk_guardduty, ctx, &conf);
                let ids = pages!(ctx, "guardduty:ListDetectors", c.list_detectors())?;
                let detectors = join_all(ids.iter().map(|d| {
                    let c = &c;
                    let id = id.clone();
                    async move {
                        let out = call!(
                            ctx,
                            "guardduty:GetDetector",
                            c.get_detector().detector_id(d)
                        )?;
                        Ok::<_, Unavailable>(Detector {
                            account_id: id,
                            region: region.clone(),
                            detector_id: d.clone(),
                            status: out
                                .status()
                                .map(|s| s.as_str().to_string())
                                .unwrap_or_default(),
                        })
                    }
                }));
                let config = async {
                    match ids.first() {
                        Some(d) => call!(
                            ctx,
                            "guardduty:DescribeOrganizationConfiguration",
                            c.describe_organization_configuration().detector_id(d)
                        )
                        .map(|o| {
                            Some(GuardDutyOrgConfig {
                                auto_enable_organization_members: o
                                    .auto_enable_organization_members()
                                    .map(|a| a.as_str().to_string())
                                    .unwrap_or_else(|| "NONE".to_string()),
                            })
                        })
                        .into(),
                        None => Collected::Ok(None),
                    }
                };
                let (detectors, config) = join(detectors, config).await;
                let detectors = detectors.into_iter().collect::<Result<Vec<_>, _>>()?;
                Ok::<_, Unavailable>((detectors, config))
            }
        }))
        .await;
        // A region that cannot be read is kept apart: the other still counts.
        let mut unavailable_regions = BTreeMap::new();
        let mut detectors = Vec::new();
        let mut configs = BTreeMap::new();
        for (region, r) in ctx.scope.regions.iter().zip(per_region) {
            let config = match r {
                Ok((region_detectors, config)) => {
                    detectors.extend(region_detectors);
                    config
                }
                Err(mut u) => {
                    u.reason = format!("in {region}: {}", u.reason);
                    unavailable_regions.insert(region.clone(), u.clone());
                    Collected::Unavailable(u)
                }
            };
            configs.insert(region.clone(), config);
        }
        Ok::<_, Unavailable>((detectors, unavailable_regions, configs))
    };
    let (admins, inside) = join(admins, inside).await;
    let (detectors, unavailable_regions, by_region) = match inside {
        Ok((d, r, c)) => (Collected::Ok(d), r, c),
        Err(u) => {
            let all = ctx
                .scope
                .regions
                .iter()
                .map(|r| (r.clone(), Collected::Unavailable(u.clone())))
                .collect();
            (Collected::Unavailable(u), BTreeMap::new(), all)
        }
    };
    let organization_config = ctx
        .scope
        .regions
        .first()
        .and_then(|r| by_region.get(r).cloned())
        .unwrap_or(Collected::Ok(None));
    Collected::Ok(GuardDuty {
        admin_accounts: admins.into(),
        detectors,
        unavailable_regions,
        organization_config,
        organization_config_by_region: by_region,
    })
}

// ---------------------------------------------------------------- Security Hub

pub async fn security_hub(ctx: &Ctx) -> Collected<SecurityHub> {
    let found = match security_account(ctx).await {
        Ok(f) => f,
        Err(u) => {
            // The account exists but cannot be entered: unknown for it only.
            return match org::account_named(ctx, &ctx.scope.security_account).await {
                Ok(Some(id)) => Collected::Ok(SecurityHub {
                    accounts: BTreeMap::from([(id, Collected::Unavailable(u))]),
                }),
                _ => Collected::Unavailable(u),
            };
        }
    };
    let Some((id, conf)) = found else {
        return Collected::Ok(SecurityHub::default());
    };
    let c = client!(
        aws_sdk_securityhub,
        ctx,
        &ctx.regional_in(&conf, FactGroup::SecurityHub)
    );
    let hub = {
        let _slot = ctx.permit().await;
        c.describe_hub().send().await
    };
    let account: Result<SecurityHubAccount, Unavailable> = match hub {
        Err(e)
            if matches!(
                code(&e),
                Some("InvalidAccessException" | "ResourceNotFoundException")
            ) || message(&e).contains("not subscribed") =>
        {
            Ok(SecurityHubAccount::default())
        }
        Err(e) => Err(unavailable("securityhub:DescribeHub", &e)),
        Ok(_) => pages!(
            ctx,
            "securityhub:GetEnabledStandards",
            c.get_enabled_standards()
        )
        .map(|subs| SecurityHubAccount {
            enabled: true,
            standards: subs
                .iter()
                .filter(|s| {
                    s.standards_status()
                        .is_none_or(|st| matches!(st.as_str(), "READY" | "PENDING" | "INCOMPLETE"))
                })
                .filter_map(|s| s.standards_arn().map(str::to_string))
                .collect(),
        }),
    };
    Collected::Ok(SecurityHub {
        accounts: BTreeMap::from([(id, account.into())]),
    })
}

// ---------------------------------------------------------------- Macie

pub async fn macie(ctx: &Ctx) -> Collected<Macie> {
    let admin = async {
        let c = client!(aws_sdk_macie2, ctx, &ctx.regional(FactGroup::Macie));
        let listed = pages!(
            ctx,
            "macie2:ListOrganizationAdminAccounts",
            c.list_organization_admin_accounts()
        )?;
        Ok::<_, Unavailable>(
            listed
                .iter()
                .find(|a| a.status().is_some_and(|s| s.as_str() == "ENABLED"))
                .and_then(|a| a.account_id().map(str::to_string)),
        )
    };
    let session = async {
        let Some((id, conf)) = security_account(ctx).await? else {
            return Ok(BTreeMap::new());
        };
        let c = client!(
            aws_sdk_macie2,
            ctx,
            &ctx.regional_in(&conf, FactGroup::Macie)
        );
        let answer = {
            let _slot = ctx.permit().await;
            c.get_macie_session().send().await
        };
        let mut accounts = BTreeMap::new();
        match answer {
            Ok(s) => {
                let status = s
                    .status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default();
                accounts.insert(id, Collected::Ok(MacieSession { status }));
            }
            // Macie answers "not enabled" as a denial; that is a fact, not a gap.
            Err(e)
                if (is_denied(&e) && message(&e).to_ascii_lowercase().contains("not enabled"))
                    || code(&e) == Some("ResourceNotFoundException") => {}
            Err(e) => {
                accounts.insert(
                    id,
                    Collected::Unavailable(unavailable("macie2:GetMacieSession", &e)),
                );
            }
        }
        Ok::<_, Unavailable>(accounts)
    };
    let (admin, session) = join(admin, session).await;
    match session {
        Ok(accounts) => Collected::Ok(Macie {
            admin_account: admin.into(),
            accounts,
        }),
        Err(u) => Collected::Unavailable(u),
    }
}

// ---------------------------------------------------------------- Detective

pub async fn detective(ctx: &Ctx) -> Collected<Detective> {
    let found = match security_account(ctx).await {
        Ok(f) => f,
        Err(u) => return Collected::Unavailable(u),
    };
    let Some((id, conf)) = found else {
        return Collected::Ok(Detective::default());
    };
    let c = client!(
        aws_sdk_detective,
        ctx,
        &ctx.regional_in(&conf, FactGroup::Detective)
    );
    let graphs = paged!(ctx, "detective:ListGraphs", c.list_graphs(), |p| p
        .graph_list())
    .map(|g| {
        g.iter()
            .filter_map(|g| g.arn().map(str::to_string))
            .collect::<Vec<_>>()
    });
    Collected::Ok(Detective {
        accounts: BTreeMap::from([(id, graphs.into())]),
    })
}

// ---------------------------------------------------------------- Audit Manager

pub async fn audit_manager(ctx: &Ctx) -> Collected<AuditManager> {
    let c = client!(
        aws_sdk_auditmanager,
        ctx,
        &ctx.regional(FactGroup::AuditManager)
    );
    let listed = {
        let _slot = ctx.permit().await;
        c.list_assessments()
            .into_paginator()
            .send()
            .try_collect()
            .await
            .map(|pages| {
                pages
                    .iter()
                    .flat_map(|p| p.assessment_metadata())
                    .cloned()
                    .collect::<Vec<_>>()
            })
    };
    let listed = match listed {
        Ok(l) => l,
        // Audit Manager not set up in this account: no assessments.
        Err(e) if is_denied(&e) && message(&e).to_ascii_lowercase().contains("setup") => {
            return Collected::Ok(AuditManager::default());
        }
        Err(e) => return Collected::Unavailable(unavailable("auditmanager:ListAssessments", &e)),
    };
    join_all(listed.iter().map(|a| {
        let c = &c;
        async move {
            let id = a.id().unwrap_or_default();
            let out = call!(
                ctx,
                "auditmanager:GetAssessment",
                c.get_assessment().assessment_id(id)
            )?;
            Ok::<_, Unavailable>(Assessment {
                name: a.name().unwrap_or_default().to_string(),
                framework_name: out
                    .assessment()
                    .and_then(|x| x.framework())
                    .and_then(|f| f.metadata())
                    .and_then(|m| m.name())
                    .unwrap_or_default()
                    .to_string(),
                status: a
                    .status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
            })
        }
    }))
    .await
    .into_iter()
    .collect::<Result<Vec<_>, _>>()
    .map(|assessments| AuditManager { assessments })
    .into()
}
