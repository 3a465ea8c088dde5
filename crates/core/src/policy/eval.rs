//! Deciding requests: statement matching, one policy list ("layer"), and
//! the layered decision across identity policies and SCPs, following the
//! AWS IAM User Guide, "Policy evaluation logic":
//!
//! 1. an explicit `Deny` in any identity policy or any SCP layer denies;
//! 2. every SCP layer (root → OUs → account) must contain an `Allow` that
//!    applies, or the request is implicitly denied by that layer — unless the
//!    principal is in the management account, which SCPs never restrict;
//! 3. some identity policy must allow; otherwise the default, implicit deny.
//!
//! One generic core serves both the explained path ([`evaluate`]) and the
//! fast path ([`decide`], [`allowed_regions`]): the tracer is a type
//! parameter, so the fast path compiles to code that never formats or
//! allocates an explanation.

use super::context::{Context, RegionContext};
use super::{
    ActionSpec, Decision, Effect, Evaluation, Policy, PolicySet, PrincipalSpec, Principals,
    Request, ResourceSpec, Statement,
};

/// Collects explanation lines, or not.
pub(crate) trait Trace {
    fn on(&self) -> bool;
    fn note(&mut self, line: String);
}

/// The fast path: records nothing.
pub(crate) struct Quiet;

impl Trace for Quiet {
    #[inline(always)]
    fn on(&self) -> bool {
        false
    }
    #[inline(always)]
    fn note(&mut self, _line: String) {}
}

impl Trace for Vec<String> {
    fn on(&self) -> bool {
        true
    }
    fn note(&mut self, line: String) {
        self.push(line);
    }
}

/// A request in borrowed form.
pub(crate) struct Req<'a> {
    pub action: &'a str,
    pub resource: &'a str,
    pub ctx: &'a dyn Context,
}

impl<'a> Req<'a> {
    fn of(r: &'a Request) -> Req<'a> {
        Req {
            action: &r.action,
            resource: &r.resource,
            ctx: &r.context,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct LayerOutcome {
    denied: bool,
    allowed: bool,
}

pub(crate) fn action_matches(st: &Statement, req: &Req) -> bool {
    match &st.actions {
        ActionSpec::Action(ps) => ps.iter().any(|p| p.matches(req.action, req.ctx)),
        ActionSpec::NotAction(ps) => !ps.iter().any(|p| p.matches(req.action, req.ctx)),
    }
}

pub(crate) fn resource_matches(st: &Statement, req: &Req) -> bool {
    match &st.resources {
        ResourceSpec::Resource(ps) => ps.iter().any(|p| p.matches(req.resource, req.ctx)),
        ResourceSpec::NotResource(ps) => !ps.iter().any(|p| p.matches(req.resource, req.ctx)),
    }
}

/// Is the calling principal one of `ps`? Without the principal context keys
/// nothing but `"*"` matches.
pub(crate) fn principal_in(ps: &Principals, ctx: &dyn Context) -> bool {
    if ps.any {
        return true;
    }
    let one = |key: &str| ctx.values(key).and_then(|v| v.get(0));
    let arn = one("aws:PrincipalArn");
    let account = one("aws:PrincipalAccount");
    let service = one("aws:PrincipalServiceName");
    ps.by_type.iter().any(|(kind, ids)| {
        ids.iter().any(|id| match kind.as_str() {
            "AWS" => {
                // An account id or `arn:aws:iam::ID:root` stands for the whole account.
                let acct = id
                    .strip_prefix("arn:aws:iam::")
                    .and_then(|r| r.strip_suffix(":root"))
                    .unwrap_or(id);
                Some(id.as_str()) == arn
                    || (acct.len() == 12
                        && acct.bytes().all(|b| b.is_ascii_digit())
                        && Some(acct) == account)
            }
            "Service" => Some(id.as_str()) == service,
            _ => false,
        })
    })
}

pub(crate) fn principal_matches(st: &Statement, req: &Req) -> bool {
    match &st.principal {
        None => true,
        Some(PrincipalSpec::Principal(ps)) => principal_in(ps, req.ctx),
        Some(PrincipalSpec::NotPrincipal(ps)) => !principal_in(ps, req.ctx),
    }
}

pub(crate) fn stmt_label(st: &Statement, i: usize) -> String {
    let effect = match st.effect {
        Effect::Allow => "Allow",
        Effect::Deny => "Deny",
    };
    match &st.sid {
        Some(sid) => format!("Statement[{i}] (Sid \"{sid}\", {effect})"),
        None => format!("Statement[{i}] ({effect})"),
    }
}

/// Does `st` apply to `req` (action, resource, principal and every condition)?
pub(crate) fn applies(st: &Statement, req: &Req) -> bool {
    action_matches(st, req)
        && resource_matches(st, req)
        && principal_matches(st, req)
        && st.conditions.iter().all(|c| c.eval(req.ctx))
}

/// Scan one list of policies (all identity policies, or one SCP layer).
fn scan<T: Trace>(
    policies: &[Policy],
    label: &dyn Fn(usize) -> String,
    req: &Req,
    tr: &mut T,
) -> LayerOutcome {
    let mut out = LayerOutcome::default();
    for (pi, policy) in policies.iter().enumerate() {
        for (si, st) in policy.statements.iter().enumerate() {
            // A Deny cannot change a layer that already denies, and an Allow
            // cannot change one that already allows; skip those when quiet.
            let settled = match st.effect {
                Effect::Deny => out.denied,
                Effect::Allow => out.allowed,
            };
            if settled && !tr.on() {
                continue;
            }
            if !(action_matches(st, req) && resource_matches(st, req) && principal_matches(st, req))
            {
                continue;
            }
            let failed = st.conditions.iter().find(|c| !c.eval(req.ctx));
            if let Some(c) = failed {
                if tr.on() {
                    tr.note(format!(
                        "{} {}: action and resource match, but condition `{}` is false ({})",
                        label(pi),
                        stmt_label(st, si),
                        c.describe(),
                        c.request_values(req.ctx)
                    ));
                }
                continue;
            }
            if tr.on() {
                let mut line = format!("{} {} applies", label(pi), stmt_label(st, si));
                for c in &st.conditions {
                    line.push_str(&format!(
                        "; condition `{}` is true ({})",
                        c.describe(),
                        c.request_values(req.ctx)
                    ));
                }
                tr.note(line);
            }
            match st.effect {
                Effect::Deny => out.denied = true,
                Effect::Allow => out.allowed = true,
            }
        }
    }
    out
}

pub(crate) fn layer_name(i: usize, n: usize) -> String {
    if i == 0 {
        "root".to_string()
    } else if i + 1 == n {
        "account".to_string()
    } else {
        format!("OU level {i}")
    }
}

pub(crate) fn decide_with<T: Trace>(set: &PolicySet, req: &Req, tr: &mut T) -> Decision {
    decide_parts(
        &set.identity,
        &set.scp_layers,
        set.management_account,
        req,
        tr,
    )
}

fn decide_parts<T: Trace>(
    identity: &[Policy],
    scp_layers: &[Vec<Policy>],
    management_account: bool,
    req: &Req,
    tr: &mut T,
) -> Decision {
    let identity = scan(
        identity,
        &|p| format!("identity policy #{}", p + 1),
        req,
        tr,
    );
    let n = scp_layers.len();
    let mut scp_deny: Option<usize> = None;
    let mut scp_no_allow: Option<usize> = None;
    if management_account {
        if n > 0 && tr.on() {
            tr.note("management account: SCPs do not apply".to_string());
        }
    } else {
        for (li, layer) in scp_layers.iter().enumerate() {
            let name = layer_name(li, n);
            let label = |p: usize| format!("SCP layer {} ({name}) policy #{}", li + 1, p + 1);
            let o = scan(layer, &label, req, tr);
            if o.denied && scp_deny.is_none() {
                scp_deny = Some(li);
            }
            if !o.allowed && scp_no_allow.is_none() {
                scp_no_allow = Some(li);
            }
            // Once a layer denies outright nothing below can change the result.
            if o.denied && !tr.on() {
                break;
            }
        }
    }
    if identity.denied || scp_deny.is_some() {
        if tr.on() {
            if identity.denied {
                tr.note("decision: explicit deny in an identity policy (an explicit deny overrides every allow)".into());
            }
            if let Some(li) = scp_deny {
                tr.note(format!(
                    "decision: explicit deny in SCP layer {} ({}) (an explicit deny overrides every allow)",
                    li + 1,
                    layer_name(li, n)
                ));
            }
        }
        return Decision::ExplicitDeny;
    }
    if let Some(li) = scp_no_allow {
        if tr.on() {
            tr.note(format!(
                "decision: implicit deny: no statement in SCP layer {} ({}) allows this request (every SCP layer must allow)",
                li + 1,
                layer_name(li, n)
            ));
        }
        return Decision::ImplicitDeny;
    }
    if !identity.allowed {
        if tr.on() {
            tr.note(
                "decision: implicit deny: no identity policy statement allows this request".into(),
            );
        }
        return Decision::ImplicitDeny;
    }
    if tr.on() {
        let scps = if n == 0 || management_account {
            ""
        } else {
            " and every SCP layer allows"
        };
        tr.note(format!(
            "decision: allowed: an identity policy allows{scps}, and nothing denies"
        ));
    }
    Decision::Allow
}

/// Decide one request against a whole policy set.
pub fn evaluate(set: &PolicySet, request: &Request) -> Evaluation {
    let mut lines = Vec::new();
    let decision = decide_with(set, &Req::of(request), &mut lines);
    Evaluation {
        decision,
        explanation: lines,
    }
}

/// The decision alone, without building an explanation (for hot loops).
pub fn decide(set: &PolicySet, request: &Request) -> Decision {
    decide_with(set, &Req::of(request), &mut Quiet)
}

/// Decide one request against a single policy on its own (identity semantics).
pub fn evaluate_policy(policy: &Policy, request: &Request) -> Evaluation {
    let mut lines = Vec::new();
    let decision = decide_parts(
        std::slice::from_ref(policy),
        &[],
        false,
        &Req::of(request),
        &mut lines,
    );
    Evaluation {
        decision,
        explanation: lines,
    }
}

/// The regions (of `regions`) in which `action` on `*` is allowed by `set`.
/// Same result as `evaluate(set, &Request::in_region(action, r))` for each
/// region, without building a request or an explanation per region.
pub fn allowed_regions(set: &PolicySet, action: &str, regions: &[&str]) -> Vec<String> {
    regions
        .iter()
        .filter(|r| {
            let ctx = RegionContext(r);
            let req = Req {
                action,
                resource: "*",
                ctx: &ctx,
            };
            decide_with(set, &req, &mut Quiet) == Decision::Allow
        })
        .map(|r| r.to_string())
        .collect()
}
