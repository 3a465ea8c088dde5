//! `identity-center/dev-set`: permission set `DeveloperRole` exists and is
//! not an administrator in disguise: none of the forbidden managed policies,
//! and no inline policy that evaluates to `*:*` (decided by
//! [`crate::policy::is_effectively_admin`], not by reading the text).

use super::{
    CheckMeta, Outcome, PERMISSION_SETS, ParamDefault, ParamSpec, Params, REGION_PARAM, and_list,
    need, run,
};
use crate::facts::Facts;
use crate::policy::{self, Policy};

pub const META: CheckMeta = CheckMeta {
    kind: "sso-restricted-permission-set",
    title: "A permission set exists without administrator or power-user rights",
    reads: &[PERMISSION_SETS],
    params: &[
        ParamSpec {
            name: "name",
            doc: "Permission set name",
            default: ParamDefault::Str("DeveloperRole"),
        },
        ParamSpec {
            name: "forbidden_policies",
            doc: "ARNs of AWS-managed policies it must not carry",
            default: ParamDefault::List(&[
                "arn:aws:iam::aws:policy/AdministratorAccess",
                "arn:aws:iam::aws:policy/PowerUserAccess",
            ]),
        },
        REGION_PARAM,
    ],
};

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let idc = need(&facts.identity_center, "the permission sets")?;
        let name = params.str("name");
        let Some(set) = idc.permission_sets.iter().find(|p| p.name == name) else {
            return Ok(Outcome::fail(format!(
                "There is no permission set `{name}`; create it with only the permissions developers need."
            )));
        };
        let forbidden: Vec<&str> = set
            .managed_policies
            .iter()
            .filter(|p| params.list("forbidden_policies").contains(p))
            .map(|p| p.rsplit('/').next().unwrap_or(p))
            .collect();
        if !forbidden.is_empty() {
            return Ok(Outcome::fail(format!(
                "Permission set `{name}` carries {}; detach it and grant developers narrower rights.",
                and_list(&forbidden)
            )));
        }
        if let Some(doc) = &set.inline_policy {
            let parsed = Policy::parse(doc).map_err(|e| {
                Outcome::unknown(format!(
                    "Could not verify permission set `{name}`: its inline policy does not parse ({e})."
                ))
            })?;
            if policy::is_effectively_admin(&parsed) {
                return Ok(Outcome::fail(format!(
                    "Permission set `{name}` has an inline policy that allows every action on every resource; narrow it."
                )));
            }
        }
        Ok(Outcome::pass(format!(
            "Permission set `{name}` exists and is not an administrator set."
        )))
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

    fn with_dev(f: &mut Facts, edit: impl FnOnce(&mut crate::facts::PermissionSet)) {
        let idc = ok_mut(&mut f.identity_center);
        let set = idc
            .permission_sets
            .iter_mut()
            .find(|p| p.name == "DeveloperRole")
            .expect("set");
        edit(set);
    }

    #[test]
    fn passes_with_a_narrow_inline_policy() {
        assert_status(&eval(c(), &finished()), Status::Pass);
    }

    #[test]
    fn power_user_access_fails() {
        let mut f = finished();
        with_dev(&mut f, |s| {
            s.managed_policies
                .push("arn:aws:iam::aws:policy/PowerUserAccess".into())
        });
        let o = eval(c(), &f);
        assert_status(&o, Status::Fail);
        assert!(o.message.contains("PowerUserAccess"));
    }

    #[test]
    fn administrator_access_fails() {
        let mut f = finished();
        with_dev(&mut f, |s| {
            s.managed_policies
                .push("arn:aws:iam::aws:policy/AdministratorAccess".into())
        });
        assert_status(&eval(c(), &f), Status::Fail);
    }

    #[test]
    fn an_inline_star_star_fails_however_it_is_written() {
        for doc in [
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["*:*"],"Resource":["*"]}}"#,
        ] {
            let mut f = finished();
            with_dev(&mut f, |s| s.inline_policy = Some(doc.into()));
            assert_status(&eval(c(), &f), Status::Fail);
        }
    }

    #[test]
    fn a_missing_set_fails() {
        let mut f = finished();
        ok_mut(&mut f.identity_center)
            .permission_sets
            .retain(|p| p.name != "DeveloperRole");
        assert_status(&eval(c(), &f), Status::Fail);
    }
}
