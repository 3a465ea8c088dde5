//! Whole-policy questions that no single request answers: "does this policy
//! allow anything outside service S?" and "is this effectively `*:*`?".
//!
//! Both reason about patterns, not about AWS's (unknown here, ever-growing)
//! list of actions, and both err on the side the checks need:
//!
//! - [`allows_outside_service`] is *sound*: it never says "no" when some
//!   request outside S could be allowed. It may say "yes" for a policy that
//!   only allows nonexistent actions (e.g. `ce*:Get` could match a service
//!   `cex`). An `Allow` counts whatever its resources and conditions, since
//!   some request satisfies them; a `Deny` removes allowed actions only when
//!   it applies unconditionally (no `Condition`, no `Principal`, resource
//!   `*`) and provably covers them: `Deny` + `NotAction` whose patterns all
//!   name service S itself removes everything outside S; `Deny` + `Action`
//!   removes an allowed pattern when it is `*` / `*:*`, or is `svc:*` for the
//!   allowed pattern's literal service `svc`.
//! - [`is_effectively_admin`]: an unconditional `Allow` of every action
//!   (`*`, `*:*`) on every resource (`*`), not addressed to particular
//!   principals, and no unconditional `Deny` in the same policy (one would
//!   remove something on every request). Conditional denies (require MFA,
//!   deny outside two regions) leave the ordinary request fully allowed, so
//!   they do not stop a policy from counting as admin. `Allow` + `NotAction`
//!   is never admin: it excludes whatever it names (PowerUserAccess), even
//!   though naming a nonexistent action would exclude nothing in practice.

use super::{ActionSpec, Effect, Pattern, Policy, PrincipalSpec, ResourceSpec, Statement};

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

fn unconditional(st: &Statement) -> bool {
    let everyone = match &st.principal {
        None => true,
        Some(PrincipalSpec::Principal(p)) => p.any,
        Some(PrincipalSpec::NotPrincipal(_)) => false,
    };
    let all_resources =
        matches!(&st.resources, ResourceSpec::Resource(rs) if rs.iter().any(Pattern::is_universal));
    st.conditions.is_empty() && everyone && all_resources
}

/// Does `policy` allow any action outside service prefix `service` (e.g. `ce`)?
pub fn allows_outside_service(policy: &Policy, service: &str) -> bool {
    let service = service.to_ascii_lowercase();
    let denies: Vec<&Statement> = policy
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Deny && unconditional(s))
        .collect();
    // Deny NotAction [S:...]: everything outside S is denied on every request.
    let outside_denied = denies.iter().any(|d| match &d.actions {
        ActionSpec::NotAction(ps) => ps
            .iter()
            .all(|p| literal_service(p).is_some_and(|s| s == service)),
        ActionSpec::Action(_) => false,
    });
    if outside_denied {
        return false;
    }
    let removed = |allowed: &Pattern| {
        denies.iter().any(|d| match &d.actions {
            ActionSpec::Action(ps) => ps.iter().any(|dp| {
                action_universal(dp)
                    || (whole_service(dp)
                        && literal_service(dp).is_some()
                        && literal_service(dp) == literal_service(allowed))
            }),
            ActionSpec::NotAction(_) => false,
        })
    };
    let everything_denied = denies.iter().any(|d| match &d.actions {
        ActionSpec::Action(ps) => ps.iter().any(action_universal),
        ActionSpec::NotAction(_) => false,
    });
    policy
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
        .any(|st| match &st.actions {
            // NotAction allows every action it does not name: infinitely many
            // outside S, unless it names everything.
            ActionSpec::NotAction(ps) => !ps.iter().any(action_universal) && !everything_denied,
            ActionSpec::Action(ps) => ps.iter().any(|p| {
                let outside = match literal_service(p) {
                    Some(s) => s != service,
                    // `*`, `c?:*`, `*:Get*`: a wildcard service part can
                    // match another service.
                    None => true,
                };
                outside && !removed(p)
            }),
        })
}

/// Is `policy` effectively `*:*` on `*` (admin)?
pub fn is_effectively_admin(policy: &Policy) -> bool {
    let full_allow = policy.statements.iter().any(|st| {
        st.effect == Effect::Allow
            && unconditional(st)
            && matches!(&st.actions, ActionSpec::Action(ps) if ps.iter().any(action_universal))
    });
    let carved = policy
        .statements
        .iter()
        .any(|st| st.effect == Effect::Deny && st.conditions.is_empty());
    full_allow && !carved
}
