//! Whole-policy questions that no single request answers, decided over
//! every request the question leaves open: "is `ce:GetCostAndUsage` allowed
//! in us-east-1 for *some* request?", "is every request for `ec2:RunInstances`
//! in eu-central-1 allowed?", "is any action outside `ce:` allowed?", "is
//! this an administrator in effect?", "does it reach every service?".
//!
//! A question pins some parts of the request ([`Pins`]: context keys such as
//! `aws:RequestedRegion` or `aws:PrincipalArn`, optionally the resource) and
//! leaves the rest open: every other context key may have any values or be
//! absent, the resource may be anything. Two steps answer it:
//!
//! 1. A three-valued evaluation ([`Tri`]) of every statement: a condition on
//!    an open key (or with a policy variable naming one) is `Depends`; an
//!    open resource matches `Resource: "*"` and never `NotResource: "*"`, and
//!    `Depends` otherwise; an open action of a service S matches `S:*` and
//!    `*`, never `T:...` for another literal service T, and `Depends`
//!    otherwise. Statements, layers and the decision combine with Kleene's
//!    and/or/not, so the result is *sound*: `No` means no request the
//!    question allows is allowed by [`evaluate`](super::evaluate), `Yes`
//!    means every such request is allowed.
//! 2. When the answer is `Depends`, a search over candidate requests built
//!    from the policies' own literals (each condition value and values
//!    beside it, the key absent, a value matching nothing; sampled resource
//!    ARNs and actions) looks for a concrete request that settles it; each
//!    candidate is decided by the real evaluator, so a witness is always
//!    a request `evaluate` really allows (or denies). When none is found the
//!    answer stays on the safe side for the checks: "may be allowed" for
//!    `allowed_for_some`, "may be denied" for `allowed_for_every`, with
//!    [`Witness::request`] `None`.
//!
//! "Wildcard over services" uses a service that does not exist
//! ([`PROBE_SERVICE`], `labbookprobe`): any service no pattern names
//! literally is decided exactly like it, so a policy that allows the probe
//! reaches every service AWS will ever add. An administrator in effect
//! allows a nonexistent action of the probe service and of `iam`,
//! `organizations` and `account` (so `Allow NotAction iam:DeleteUser` is an
//! administrator; PowerUserAccess, which excludes those three services,
//! is not, but it reaches every service).

use std::collections::BTreeMap;

use super::context::Context;
use super::eval::{Quiet, Req, applies, decide_with, layer_name, principal_in, stmt_label};
use super::matching::Syntax;
use super::{
    ActionSpec, Decision, Effect, Pattern, Policy, PolicySet, PrincipalSpec, Principals, Request,
    ResourceSpec, Statement,
};

/// A service that does not exist: the probe for "every service".
pub const PROBE_SERVICE: &str = "labbookprobe";
/// An action name no service has: the probe for "every action of a service".
pub const PROBE_ACTION: &str = "LabbookProbe";
/// Account id used in sampled ARNs when the question pins none.
const PROBE_ACCOUNT: &str = "123456789012";
/// At most this many candidate requests per question (the search only runs
/// when the three-valued answer is `Depends`).
const SEARCH_CAP: usize = 4096;

const ACTION: Syntax = Syntax {
    wildcards: true,
    ignore_case: true,
    variables: false,
    arn: false,
};

/// A three-valued truth: for every request the question allows, the
/// statement (layer, decision) is true (`Yes`), false (`No`), or it depends
/// on something the question leaves open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    Yes,
    No,
    Depends,
}

impl Tri {
    fn of(b: bool) -> Tri {
        if b { Tri::Yes } else { Tri::No }
    }

    fn and(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Yes, Tri::Yes) => Tri::Yes,
            _ => Tri::Depends,
        }
    }

    fn or(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::No, Tri::No) => Tri::No,
            _ => Tri::Depends,
        }
    }

    fn not(self) -> Tri {
        match self {
            Tri::Yes => Tri::No,
            Tri::No => Tri::Yes,
            Tri::Depends => Tri::Depends,
        }
    }
}

/// What a question fixes about the requests it ranges over; everything else
/// (every other context key, and the resource unless set) is open.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pins {
    /// Context keys fixed to these values.
    pub context: BTreeMap<String, Vec<String>>,
    /// The resource, when the question fixes it.
    pub resource: Option<String>,
}

impl Pins {
    /// Nothing pinned: every request.
    pub fn none() -> Pins {
        Pins::default()
    }

    /// Requests in `region` (`aws:RequestedRegion`).
    pub fn region(region: &str) -> Pins {
        Pins::none().with("aws:RequestedRegion", region)
    }

    /// Also pin `key` to the single value `value`.
    pub fn with(mut self, key: &str, value: &str) -> Pins {
        self.context
            .insert(key.to_string(), vec![value.to_string()]);
        self
    }

    /// Also pin the resource.
    pub fn on_resource(mut self, resource: &str) -> Pins {
        self.resource = Some(resource.to_string());
        self
    }
}

/// Why a question came out the way it did: the statement responsible and a
/// request that shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Witness {
    /// The statement that allows (or denies) it, e.g.
    /// `Statement[1] (Sid "Mfa", Allow)`, or the layer that lacks an Allow.
    pub statement: String,
    /// A concrete request the evaluator decides that way; `None` when the
    /// search found none although the analysis could not rule one out.
    pub request: Option<Request>,
    /// The open parts of that request, in words:
    /// `aws:MultiFactorAuthPresent is true`.
    pub when: Vec<String>,
}

impl Witness {
    /// Was the answer confirmed by evaluating a concrete request?
    pub fn confirmed(&self) -> bool {
        self.request.is_some()
    }

    /// The action of the request (the question's, or a sampled one).
    pub fn action(&self) -> Option<&str> {
        self.request.as_ref().map(|r| r.action.as_str())
    }

    /// `""`, or ` when aws:MultiFactorAuthPresent is true and ...`.
    pub fn when_text(&self) -> String {
        match self.when.as_slice() {
            [] => String::new(),
            [one] => format!(" when {one}"),
            [rest @ .., last] => format!(" when {} and {last}", rest.join(", ")),
        }
    }
}

#[derive(Clone, Copy)]
enum Act<'a> {
    Exact(&'a str),
    /// Any action of this (lower-case) service.
    Service(&'a str),
}

#[derive(Clone, Copy)]
enum Res<'a> {
    Exact(&'a str),
    Any,
    /// `*` or any ARN `arn:aws:SERVICE:...`.
    Service(&'a str),
}

/// An abstract request: the pinned parts concrete, the rest open.
struct Abs<'a> {
    action: Act<'a>,
    resource: Res<'a>,
    ctx: &'a BTreeMap<String, Vec<String>>,
}

fn pinned(ctx: &BTreeMap<String, Vec<String>>, key: &str) -> bool {
    Context::values(ctx, key).is_some()
}

/// `*`, `**`, `*:*`: matches every action.
fn action_universal(p: &Pattern) -> bool {
    let s = p.source.as_str();
    let stars = |x: &str| !x.is_empty() && x.bytes().all(|b| b == b'*');
    if stars(s) {
        return true;
    }
    match s.split_once(':') {
        Some((a, b)) => stars(a) && stars(b),
        None => false,
    }
}

/// The service part of an action pattern, lower-cased, when it is literal.
fn literal_service(p: &Pattern) -> Option<String> {
    let (svc, _) = p.source.split_once(':')?;
    (!svc.contains(['*', '?'])).then(|| svc.to_ascii_lowercase())
}

/// The action part is all stars (`svc:*`).
fn whole_service(p: &Pattern) -> bool {
    p.source
        .split_once(':')
        .is_some_and(|(_, a)| !a.is_empty() && a.bytes().all(|b| b == b'*'))
}

fn action_pattern_tri(p: &Pattern, a: &Abs) -> Tri {
    match a.action {
        Act::Exact(x) => Tri::of(p.matches(x, a.ctx)),
        Act::Service(svc) => {
            if p.is_universal() || action_universal(p) {
                return Tri::Yes;
            }
            match literal_service(p) {
                Some(s) if s != svc => Tri::No,
                Some(_) if whole_service(p) => Tri::Yes,
                _ => Tri::Depends,
            }
        }
    }
}

/// Can an ARN pattern never match `*` nor `arn:aws:SVC:...`? True when it
/// starts with a literal `arn:PARTITION:SERVICE:` naming something else.
fn arn_of_other_service(source: &str, svc: &str) -> bool {
    let Some(rest) = source.strip_prefix("arn:") else {
        return false;
    };
    let mut parts = rest.splitn(3, ':');
    let (Some(partition), Some(service), Some(_)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let literal = |s: &str| !s.contains(['*', '?', '$']);
    literal(partition) && literal(service) && (partition != "aws" || service != svc)
}

fn resource_pattern_tri(p: &Pattern, a: &Abs) -> Tri {
    match a.resource {
        Res::Exact(r) => {
            if p.variable_keys().iter().all(|k| pinned(a.ctx, k)) {
                Tri::of(p.matches(r, a.ctx))
            } else {
                Tri::Depends
            }
        }
        Res::Any => {
            if p.is_universal() {
                Tri::Yes
            } else {
                Tri::Depends
            }
        }
        Res::Service(svc) => {
            if p.is_universal() {
                Tri::Yes
            } else if arn_of_other_service(&p.source, svc) {
                Tri::No
            } else {
                Tri::Depends
            }
        }
    }
}

fn any_tri<'p>(ps: impl Iterator<Item = &'p Pattern>, f: impl Fn(&Pattern) -> Tri) -> Tri {
    let mut t = Tri::No;
    for p in ps {
        t = t.or(f(p));
        if t == Tri::Yes {
            break;
        }
    }
    t
}

const PRINCIPAL_KEYS: [&str; 3] = [
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalServiceName",
];

fn principal_tri(st: &Statement, a: &Abs) -> Tri {
    let inside = |ps: &Principals| {
        if ps.any {
            Tri::Yes
        } else if PRINCIPAL_KEYS.iter().all(|k| pinned(a.ctx, k)) {
            Tri::of(principal_in(ps, a.ctx))
        } else {
            Tri::Depends
        }
    };
    match &st.principal {
        None => Tri::Yes,
        Some(PrincipalSpec::Principal(ps)) => inside(ps),
        Some(PrincipalSpec::NotPrincipal(ps)) => inside(ps).not(),
    }
}

/// Does `st` apply, for every / no / some requests of `a`?
fn statement_tri(st: &Statement, a: &Abs) -> Tri {
    let action = match &st.actions {
        ActionSpec::Action(ps) => any_tri(ps.iter(), |p| action_pattern_tri(p, a)),
        ActionSpec::NotAction(ps) => any_tri(ps.iter(), |p| action_pattern_tri(p, a)).not(),
    };
    if action == Tri::No {
        return Tri::No;
    }
    let resource = match &st.resources {
        ResourceSpec::Resource(ps) => any_tri(ps.iter(), |p| resource_pattern_tri(p, a)),
        ResourceSpec::NotResource(ps) => any_tri(ps.iter(), |p| resource_pattern_tri(p, a)).not(),
    };
    let mut t = action.and(resource).and(principal_tri(st, a));
    for c in &st.conditions {
        if t == Tri::No {
            break;
        }
        let cond = if c.keys().iter().all(|k| pinned(a.ctx, k)) {
            Tri::of(c.eval(a.ctx))
        } else {
            Tri::Depends
        };
        t = t.and(cond);
    }
    t
}

/// (some Allow applies, some Deny applies) for one list of policies.
fn scan3(policies: &[Policy], a: &Abs) -> (Tri, Tri) {
    let (mut allowed, mut denied) = (Tri::No, Tri::No);
    for st in policies.iter().flat_map(|p| &p.statements) {
        let slot = match st.effect {
            Effect::Allow => &mut allowed,
            Effect::Deny => &mut denied,
        };
        if *slot != Tri::Yes {
            *slot = slot.or(statement_tri(st, a));
        }
    }
    (allowed, denied)
}

/// Is the request allowed, for every / no / some requests of `a`?
fn decision_tri(set: &PolicySet, a: &Abs) -> Tri {
    let (allowed, denied) = scan3(&set.identity, a);
    let mut t = allowed.and(denied.not());
    if !set.management_account {
        for layer in &set.scp_layers {
            if t == Tri::No {
                break;
            }
            let (allowed, denied) = scan3(layer, a);
            t = t.and(allowed).and(denied.not());
        }
    }
    t
}

fn all_statements(set: &PolicySet) -> impl Iterator<Item = &Statement> {
    set.identity
        .iter()
        .chain(set.scp_layers.iter().flatten())
        .flat_map(|p| &p.statements)
}

fn action_patterns(st: &Statement) -> &[Pattern] {
    match &st.actions {
        ActionSpec::Action(ps) | ActionSpec::NotAction(ps) => ps,
    }
}

fn resource_patterns(st: &Statement) -> &[Pattern] {
    match &st.resources {
        ResourceSpec::Resource(ps) | ResourceSpec::NotResource(ps) => ps,
    }
}

fn push_new(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// Candidate requests for the search.
struct Candidates {
    actions: Vec<String>,
    resources: Vec<String>,
    /// Open keys with the values to try (`None` = absent).
    keys: Vec<(String, Vec<Option<Vec<String>>>)>,
}

fn candidates(set: &PolicySet, a: &Abs) -> Candidates {
    let no_ctx: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let actions = match a.action {
        Act::Exact(x) => vec![x.to_string()],
        Act::Service(svc) => {
            let mut v = vec![format!("{svc}:{PROBE_ACTION}")];
            for p in all_statements(set).flat_map(action_patterns) {
                if let Some((sp, ap)) = p.source.split_once(':')
                    && Pattern::compile(sp, ACTION).matches(svc, &no_ctx)
                {
                    push_new(
                        &mut v,
                        format!("{svc}:{}", Pattern::compile(ap, ACTION).sample()),
                    );
                }
            }
            v
        }
    };
    let account = Context::values(a.ctx, "aws:PrincipalAccount")
        .and_then(|v| v.get(0))
        .unwrap_or(PROBE_ACCOUNT)
        .to_string();
    let samples = || {
        all_statements(set)
            .flat_map(resource_patterns)
            .map(Pattern::sample)
    };
    let resources = match a.resource {
        Res::Exact(r) => vec![r.to_string()],
        Res::Any => {
            let mut v = vec!["*".to_string()];
            for s in samples() {
                push_new(&mut v, s);
            }
            push_new(
                &mut v,
                format!("arn:aws:{PROBE_SERVICE}:eu-central-1:{account}:labbook-probe"),
            );
            v
        }
        Res::Service(svc) => {
            let mut v = vec![
                "*".to_string(),
                format!("arn:aws:{svc}:eu-central-1:{account}:labbook-probe"),
                format!("arn:aws:{svc}::{account}:labbook-probe"),
            ];
            let prefix = format!("arn:aws:{svc}:");
            for s in samples().filter(|s| s.starts_with(&prefix)) {
                push_new(&mut v, s);
            }
            v
        }
    };
    let mut values: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |key: &str, vals: Vec<String>| {
        if pinned(a.ctx, key) {
            return;
        }
        let slot = match values.iter().position(|(k, _)| k.eq_ignore_ascii_case(key)) {
            Some(i) => &mut values[i].1,
            None => {
                values.push((key.to_string(), Vec::new()));
                &mut values.last_mut().expect("just pushed").1
            }
        };
        for v in vals {
            push_new(slot, v);
        }
    };
    for st in all_statements(set) {
        for c in &st.conditions {
            add(&c.key, c.sample_values());
            for k in c.keys().into_iter().skip(1) {
                add(k, vec!["x".to_string()]);
            }
        }
        for p in action_patterns(st).iter().chain(resource_patterns(st)) {
            for k in p.variable_keys() {
                add(k, vec!["x".to_string()]);
            }
        }
    }
    let keys = values
        .into_iter()
        .map(|(k, vals)| {
            let mut out: Vec<Option<Vec<String>>> = vec![None];
            for v in &vals {
                out.push(Some(vec![v.clone()]));
            }
            out.push(Some(vec!["labbook-other".to_string()]));
            if vals.len() > 1 {
                out.push(Some(vals));
            }
            (k, out)
        })
        .collect();
    Candidates {
        actions,
        resources,
        keys,
    }
}

/// A concrete request of `a` that the evaluator allows (`want_allowed`) or
/// does not allow.
fn search(set: &PolicySet, a: &Abs, want_allowed: bool) -> Option<Request> {
    let c = candidates(set, a);
    let per_ctx = c.actions.len() * c.resources.len();
    let total = c
        .keys
        .iter()
        .fold(per_ctx, |n, (_, vs)| n.saturating_mul(vs.len()))
        .min(SEARCH_CAP);
    for n in 0..total {
        let (action, resource) = (
            &c.actions[n % c.actions.len()],
            &c.resources[(n / c.actions.len()) % c.resources.len()],
        );
        let mut rest = n / per_ctx;
        let mut ctx = a.ctx.clone();
        for (k, vs) in &c.keys {
            if let Some(v) = &vs[rest % vs.len()] {
                ctx.insert(k.clone(), v.clone());
            }
            rest /= vs.len();
        }
        let req = Req {
            action,
            resource,
            ctx: &ctx,
        };
        let allowed = decide_with(set, &req, &mut Quiet) == Decision::Allow;
        if allowed == want_allowed {
            return Some(Request {
                action: action.clone(),
                resource: resource.clone(),
                context: ctx,
            });
        }
    }
    None
}

/// The request with only the pinned parts (open keys absent).
fn plain(a: &Abs) -> Request {
    Request {
        action: match a.action {
            Act::Exact(x) => x.to_string(),
            Act::Service(svc) => format!("{svc}:{PROBE_ACTION}"),
        },
        resource: match a.resource {
            Res::Exact(r) => r.to_string(),
            Res::Any | Res::Service(_) => "*".to_string(),
        },
        context: a.ctx.clone(),
    }
}

fn identity_label(set: &PolicySet, pi: usize, st: &Statement, si: usize) -> String {
    if set.identity.len() > 1 {
        format!("identity policy #{} {}", pi + 1, stmt_label(st, si))
    } else {
        stmt_label(st, si)
    }
}

fn scp_label(set: &PolicySet, li: usize, pi: usize, st: &Statement, si: usize) -> String {
    format!(
        "SCP layer {} ({}) policy #{} {}",
        li + 1,
        layer_name(li, set.scp_layers.len()),
        pi + 1,
        stmt_label(st, si)
    )
}

/// The open parts of `req`, in words.
fn open_parts(req: &Request, a: &Abs) -> Vec<String> {
    let mut out: Vec<String> = req
        .context
        .iter()
        .filter(|(k, _)| !pinned(a.ctx, k))
        .map(|(k, v)| match v.as_slice() {
            [one] => format!("{k} is {one}"),
            many => format!("{k} is [{}]", many.join(", ")),
        })
        .collect();
    if matches!(a.resource, Res::Any | Res::Service(_)) && req.resource != "*" {
        out.push(format!("the resource is {}", req.resource));
    }
    out
}

/// The keys the `Depends` conditions of `st` read.
fn open_keys(st: &Statement, a: &Abs) -> Vec<String> {
    let mut keys = Vec::new();
    for c in &st.conditions {
        for k in c.keys() {
            if !pinned(a.ctx, k) {
                push_new(&mut keys, k.to_string());
            }
        }
    }
    keys
}

fn unconfirmed(statement: String, keys: Vec<String>) -> Witness {
    let when = if keys.is_empty() {
        vec![
            "its resource or principal matches (no request was found, but none is ruled out)"
                .to_string(),
        ]
    } else {
        vec![format!(
            "its conditions on {} hold (no request was found, but none is ruled out)",
            keys.join(", ")
        )]
    };
    Witness {
        statement,
        request: None,
        when,
    }
}

/// Every statement of the identity policies with its policy's and its own
/// index (for [`identity_label`]), in order.
fn identity_statements(set: &PolicySet) -> impl Iterator<Item = (usize, usize, &Statement)> {
    set.identity.iter().enumerate().flat_map(|(pi, p)| {
        p.statements
            .iter()
            .enumerate()
            .map(move |(si, st)| (pi, si, st))
    })
}

/// The witness for an allowed request: the first identity Allow that applies.
fn allow_witness(set: &PolicySet, a: &Abs, req: Request) -> Witness {
    let r = Req {
        action: &req.action,
        resource: &req.resource,
        ctx: &req.context,
    };
    let statement = identity_statements(set)
        .find(|(_, _, st)| st.effect == Effect::Allow && applies(st, &r))
        .map(|(pi, si, st)| identity_label(set, pi, st, si))
        .unwrap_or_else(|| "an identity policy".to_string());
    Witness {
        statement,
        when: open_parts(&req, a),
        request: Some(req),
    }
}

/// The witness for a request that is not allowed: the Deny that applies,
/// else the first layer without an applicable Allow.
fn deny_witness(set: &PolicySet, a: &Abs, req: Request) -> Witness {
    let r = Req {
        action: &req.action,
        resource: &req.resource,
        ctx: &req.context,
    };
    let scps: &[Vec<Policy>] = if set.management_account {
        &[]
    } else {
        &set.scp_layers
    };
    let mut statement = None;
    'find: for (pi, p) in set.identity.iter().enumerate() {
        for (si, st) in p.statements.iter().enumerate() {
            if st.effect == Effect::Deny && applies(st, &r) {
                statement = Some(identity_label(set, pi, st, si));
                break 'find;
            }
        }
    }
    if statement.is_none() {
        'layers: for (li, layer) in scps.iter().enumerate() {
            for (pi, p) in layer.iter().enumerate() {
                for (si, st) in p.statements.iter().enumerate() {
                    if st.effect == Effect::Deny && applies(st, &r) {
                        statement = Some(scp_label(set, li, pi, st, si));
                        break 'layers;
                    }
                }
            }
        }
    }
    if statement.is_none() {
        statement = scps
            .iter()
            .enumerate()
            .find(|(_, layer)| {
                !layer
                    .iter()
                    .flat_map(|p| &p.statements)
                    .any(|st| st.effect == Effect::Allow && applies(st, &r))
            })
            .map(|(li, _)| {
                format!(
                    "no statement of SCP layer {} ({})",
                    li + 1,
                    layer_name(li, scps.len())
                )
            });
    }
    Witness {
        statement: statement.unwrap_or_else(|| "no identity policy statement".to_string()),
        when: open_parts(&req, a),
        request: Some(req),
    }
}

fn some_allowed(set: &PolicySet, a: &Abs) -> Option<Witness> {
    match decision_tri(set, a) {
        Tri::No => None,
        tri => {
            if tri == Tri::Yes {
                let req = plain(a);
                if decide(set, &req) {
                    return Some(allow_witness(set, a, req));
                }
            }
            if let Some(req) = search(set, a, true) {
                return Some(allow_witness(set, a, req));
            }
            let (label, keys) = identity_statements(set)
                .find(|(_, _, st)| st.effect == Effect::Allow && statement_tri(st, a) != Tri::No)
                .map(|(pi, si, st)| (identity_label(set, pi, st, si), open_keys(st, a)))
                .unwrap_or_else(|| ("an identity policy".to_string(), Vec::new()));
            Some(unconfirmed(label, keys))
        }
    }
}

fn decide(set: &PolicySet, req: &Request) -> bool {
    let r = Req {
        action: &req.action,
        resource: &req.resource,
        ctx: &req.context,
    };
    decide_with(set, &r, &mut Quiet) == Decision::Allow
}

fn resource_of(pins: &Pins) -> Res<'_> {
    pins.resource.as_deref().map_or(Res::Any, Res::Exact)
}

/// Is `action` allowed for *some* request that has the pinned keys (and the
/// pinned resource, if any)? `None` means no such request is allowed
/// (sound); `Some` carries the statement and a request that shows it.
pub fn allowed_for_some(set: &PolicySet, action: &str, pins: &Pins) -> Option<Witness> {
    let a = Abs {
        action: Act::Exact(action),
        resource: resource_of(pins),
        ctx: &pins.context,
    };
    some_allowed(set, &a)
}

/// Is `action` allowed for *every* request that has the pinned keys? `Ok`
/// only when that is proven; `Err` names the statement (or layer) that
/// denies and, when found, a request it denies.
pub fn allowed_for_every(set: &PolicySet, action: &str, pins: &Pins) -> Result<(), Witness> {
    let a = Abs {
        action: Act::Exact(action),
        resource: resource_of(pins),
        ctx: &pins.context,
    };
    match decision_tri(set, &a) {
        // Every request is allowed; confirm on the plain one all the same.
        Tri::Yes if decide(set, &plain(&a)) => Ok(()),
        Tri::Yes | Tri::No => Err(deny_witness(set, &a, plain(&a))),
        Tri::Depends => match search(set, &a, false) {
            Some(req) => Err(deny_witness(set, &a, req)),
            None => {
                let keys = all_statements(set)
                    .filter(|st| statement_tri(st, &a) == Tri::Depends)
                    .flat_map(|st| open_keys(st, &a))
                    .fold(Vec::new(), |mut v, k| {
                        push_new(&mut v, k);
                        v
                    });
                Err(unconfirmed("a conditional statement".to_string(), keys))
            }
        },
    }
}

/// Services worth asking about separately: every literal service prefix in
/// the set, samples of wildcard prefixes (`c?:*` gives `ca`), and a probe
/// service no pattern names (which stands for every unnamed service).
fn candidate_services(set: &PolicySet) -> Vec<String> {
    let mut out = Vec::new();
    for p in all_statements(set).flat_map(action_patterns) {
        match literal_service(p) {
            Some(s) => push_new(&mut out, s),
            None => {
                if let Some((sp, _)) = p.source.split_once(':') {
                    push_new(
                        &mut out,
                        Pattern::compile(sp, ACTION).sample().to_ascii_lowercase(),
                    );
                }
            }
        }
    }
    let probe = (0..)
        .map(|i| {
            if i == 0 {
                PROBE_SERVICE.to_string()
            } else {
                format!("{PROBE_SERVICE}{i}")
            }
        })
        .find(|p| !out.contains(p))
        .unwrap_or_else(|| PROBE_SERVICE.to_string());
    out.insert(0, probe);
    out
}

/// Is some action of `service` allowed for some request with the pins?
pub fn service_allowed(set: &PolicySet, service: &str, pins: &Pins) -> Option<Witness> {
    let svc = service.to_ascii_lowercase();
    let a = Abs {
        action: Act::Service(&svc),
        resource: resource_of(pins),
        ctx: &pins.context,
    };
    some_allowed(set, &a)
}

/// Is any action *outside* `service` (e.g. `ce`) allowed for some request
/// with the pins, on any resource? `None` is sound: nothing outside is.
pub fn outside_service_allowed(set: &PolicySet, service: &str, pins: &Pins) -> Option<Witness> {
    let service = service.to_ascii_lowercase();
    candidate_services(set)
        .iter()
        .filter(|s| **s != service)
        .find_map(|s| service_allowed(set, s, pins))
}

/// Does the set reach every service (a wildcard over services: `*`,
/// `NotAction`, `*:Get*`, PowerUserAccess, ...)? Asked of a service that
/// does not exist, on its own resources.
pub fn allows_every_service(set: &PolicySet, pins: &Pins) -> Option<Witness> {
    let probe = candidate_services(set).swap_remove(0);
    let a = Abs {
        action: Act::Service(&probe),
        resource: Res::Service(&probe),
        ctx: &pins.context,
    };
    some_allowed(set, &a)
}

/// Is the set an administrator in effect: for some request, every action of
/// every service, `iam`, `organizations` and `account` included (asked of
/// actions that do not exist, so only wildcards count)? The witness is the
/// `iam` one.
pub fn is_administrator(set: &PolicySet, pins: &Pins) -> Option<Witness> {
    let probe = candidate_services(set).swap_remove(0);
    let mut iam = None;
    for svc in [probe.as_str(), "iam", "organizations", "account"] {
        let action = format!("{svc}:{PROBE_ACTION}");
        let a = Abs {
            action: Act::Exact(&action),
            resource: Res::Service(svc),
            ctx: &pins.context,
        };
        let w = some_allowed(set, &a)?;
        if svc == "iam" {
            iam = Some(w);
        }
    }
    iam
}

fn alone(policy: &Policy) -> PolicySet {
    PolicySet {
        identity: vec![policy.clone()],
        ..PolicySet::default()
    }
}

/// Does `policy` allow any action outside service prefix `service` (e.g.
/// `ce`) for some request? Sound: `false` means none is allowed.
pub fn allows_outside_service(policy: &Policy, service: &str) -> bool {
    outside_service_allowed(&alone(policy), service, &Pins::none()).is_some()
}

/// Is `policy` on its own an administrator in effect (see [`is_administrator`])?
pub fn is_effectively_admin(policy: &Policy) -> bool {
    is_administrator(&alone(policy), &Pins::none()).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(docs: &[&str]) -> PolicySet {
        PolicySet {
            identity: docs
                .iter()
                .map(|d| Policy::parse(d).expect("policy"))
                .collect(),
            ..PolicySet::default()
        }
    }

    #[test]
    fn an_allow_under_an_open_key_is_allowed_for_some_request_and_names_it() {
        let s = set(&[
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Mfa","Effect":"Allow","Action":"ce:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#,
        ]);
        let w = allowed_for_some(&s, "ce:GetCostAndUsage", &Pins::region("us-east-1"))
            .expect("allowed with MFA");
        assert!(w.confirmed());
        assert!(w.statement.contains("Mfa"), "{w:?}");
        assert_eq!(w.when_text(), " when aws:MultiFactorAuthPresent is true");
    }

    #[test]
    fn a_deny_under_an_open_key_may_not_apply() {
        let s = set(&[
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"finance"}}}]}"#,
        ]);
        let w = allowed_for_some(&s, "ec2:RunInstances", &Pins::none()).expect("allowed");
        assert_eq!(
            w.when_text(),
            " when aws:PrincipalTag/team is finance",
            "{w:?}"
        );
        assert!(allowed_for_every(&s, "ec2:RunInstances", &Pins::none()).is_err());
    }

    #[test]
    fn a_pinned_key_decides_exactly() {
        let s = set(&[
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ce:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-central-1"}}}]}"#,
        ]);
        assert!(allowed_for_some(&s, "ce:GetCostAndUsage", &Pins::region("us-east-1")).is_none());
        assert!(allowed_for_every(&s, "ce:GetCostAndUsage", &Pins::region("eu-central-1")).is_ok());
    }

    #[test]
    fn not_action_excluding_one_action_is_an_administrator() {
        let s = set(&[
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:DeleteUser","Resource":"*"}]}"#,
        ]);
        assert!(is_administrator(&s, &Pins::none()).is_some());
    }

    #[test]
    fn hand_written_power_user_reaches_every_service_but_is_not_an_administrator() {
        let s = set(&[
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},{"Effect":"Allow","Action":["iam:CreateServiceLinkedRole","iam:ListRoles","organizations:DescribeOrganization"],"Resource":"*"}]}"#,
        ]);
        assert!(is_administrator(&s, &Pins::none()).is_none());
        assert!(allows_every_service(&s, &Pins::none()).is_some());
    }

    #[test]
    fn star_on_arn_star_is_an_administrator_but_star_on_s3_arns_is_not() {
        let admin = set(&[
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:*"}]}"#,
        ]);
        assert!(is_administrator(&admin, &Pins::none()).is_some());
        let s3 = set(&[
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::*"}]}"#,
        ]);
        assert!(is_administrator(&s3, &Pins::none()).is_none());
        assert!(allows_every_service(&s3, &Pins::none()).is_none());
    }

    #[test]
    fn a_deny_of_one_action_leaves_the_rest_of_the_service() {
        let s = set(&[
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ce:*","iam:*"],"Resource":"*"},{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}"#,
        ]);
        let w = outside_service_allowed(&s, "ce", &Pins::none()).expect("iam");
        assert!(w.action().is_some_and(|a| a.starts_with("iam:")), "{w:?}");
    }
}
