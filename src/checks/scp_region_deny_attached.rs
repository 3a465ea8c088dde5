//! `scp-regions/attached`: the region SCP is attached to the `management` OU.
//! Finding the SCP is not enough: one that exists but is attached elsewhere
//! (or nowhere) fails, naming where it is attached.

use super::{
    CheckMeta, ORG_TREE, Outcome, ParamDefault, ParamSpec, Params, SCPS, ev, need, need_org,
    need_ou, run,
};
use crate::facts::{Facts, Organization};

pub const META: CheckMeta = CheckMeta {
    kind: "scp-region-deny-attached",
    title: "The region SCP is attached to the management OU",
    reads: &[ORG_TREE, SCPS],
    params: &[
        ParamSpec {
            name: "ou",
            doc: "The OU the SCP must be attached to",
            default: ParamDefault::Str("management"),
        },
        super::scp_region_deny::ALLOWED_REGIONS,
        super::scp_region_deny::REGIONAL_ACTIONS,
    ],
};

/// A target id in words: `root r-abcd`, `OU sandbox`, `account test`.
pub(crate) fn target_name(org: &Organization, id: &str) -> String {
    if org.roots.iter().any(|r| r.id == id) {
        return format!("the root {id}");
    }
    fn find<'a>(ous: &'a [crate::facts::OrganizationalUnit], id: &str) -> Option<&'a str> {
        ous.iter().find_map(|o| {
            if o.id == id {
                Some(o.name.as_str())
            } else {
                find(&o.organizational_units, id)
            }
        })
    }
    for r in &org.roots {
        if let Some(name) = find(&r.organizational_units, id) {
            return format!("OU {name}");
        }
    }
    match org.account_name(id) {
        Some(n) => format!("account {n}"),
        None => id.to_string(),
    }
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let org = need_org(facts)?;
        let scps = need(&org.policies, "the SCP attachments")?;
        let ou_name = params.str("ou");
        let ou = need_ou(org, ou_name)?;
        super::scp_region_deny::full_access()?;
        let found = super::scp_region_deny::qualifying(scps, params);
        let Some(first) = found.first() else {
            return Ok(Outcome::fail(
                "There is no region-restricting SCP to attach yet; finish step `policy` first.",
            ));
        };
        if let Some(s) = found.iter().find(|s| s.targets.contains(&ou.id)) {
            return Ok(Outcome::pass(format!(
                "SCP `{}` is attached to OU `{ou_name}` ({}).",
                s.name, ou.id
            )));
        }
        let where_: Vec<String> = first.targets.iter().map(|t| target_name(org, t)).collect();
        let attached = if where_.is_empty() {
            "attached nowhere".to_string()
        } else {
            format!("attached only to {}", where_.join(", "))
        };
        let mut o = Outcome::fail(format!(
            "SCP `{}` exists but is {attached}; attach it to OU `{ou_name}` ({}).",
            first.name, ou.id
        ));
        if !where_.is_empty() {
            o = o.with_all(vec![ev("targets", where_.join(", "))]);
        }
        Ok(o)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    fn c() -> &'static crate::checks::Check {
        check(META.kind)
    }

    fn retarget(targets: Vec<String>) -> Facts {
        let mut f = finished();
        let scps = ok_mut(&mut org_mut(&mut f).policies);
        scps.iter_mut()
            .find(|s| !s.aws_managed)
            .expect("custom")
            .targets = targets;
        f
    }

    #[test]
    fn passes_when_attached_to_the_management_ou() {
        assert_status(&eval(c(), &finished()), Status::Pass);
    }

    #[test]
    fn an_scp_found_but_attached_nowhere_fails() {
        let o = eval(c(), &retarget(vec![]));
        assert_status(&o, Status::Fail);
        assert!(o.message.contains("attached nowhere"), "{}", o.message);
    }

    #[test]
    fn an_scp_attached_to_the_sandbox_instead_fails_naming_it() {
        let f = finished();
        let sandbox = f
            .organization
            .ok()
            .and_then(|o| o.as_ref())
            .and_then(|o| o.top_level_ou("sandbox"))
            .expect("sandbox")
            .id
            .clone();
        let o = eval(c(), &retarget(vec![sandbox]));
        assert_status(&o, Status::Fail);
        assert!(o.message.contains("OU sandbox"), "{}", o.message);
    }
}
