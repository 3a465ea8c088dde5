//! `org/structure`: OUs `management` and `sandbox` under the root, with the
//! chapter's accounts in them (matched by account name; nested OUs count).
//! OUs are found by position ([`crate::facts::Organization::lab_ou`]): an OU
//! of the same name deeper in the tree is not the lab's OU.

use super::{
    CheckMeta, ORG_TREE, Outcome, ParamDefault, ParamSpec, Params, and_list, ev, need_org, run,
};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "org-structure",
    title: "The organization has the chapter's OUs and accounts",
    reads: &[ORG_TREE],
    params: &[
        ParamSpec {
            name: "management_ou",
            doc: "Name of the OU for shared accounts",
            default: ParamDefault::Str("management"),
        },
        ParamSpec {
            name: "management_accounts",
            doc: "Account names expected in the management OU (nested OUs count)",
            default: ParamDefault::List(&["security", "configuration", "network"]),
        },
        ParamSpec {
            name: "sandbox_ou",
            doc: "Name of the OU for experiments",
            default: ParamDefault::Str("sandbox"),
        },
        ParamSpec {
            name: "sandbox_accounts",
            doc: "Account names expected in the sandbox OU (nested OUs count)",
            default: ParamDefault::List(&["test"]),
        },
    ],
};

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let org = need_org(facts)?;
        let mut problems = Vec::new();
        let mut evidence = Vec::new();
        for (ou_param, accounts_param) in [
            ("management_ou", "management_accounts"),
            ("sandbox_ou", "sandbox_accounts"),
        ] {
            let ou = params.str(ou_param);
            // By position: only the OU of that name directly under the root.
            let Some(lab) = org.lab_ou(ou) else {
                problems.push(format!("create OU `{ou}` directly under the root"));
                continue;
            };
            let present: Vec<&str> = lab
                .accounts
                .iter()
                .map(|p| p.account.name.as_str())
                .collect();
            evidence.push(ev(&format!("OU {ou}"), present.join(", ")));
            for want in params.list(accounts_param) {
                if !present.contains(&want.as_str()) {
                    problems.push(format!("put account `{want}` in OU `{ou}`"));
                }
            }
        }
        if problems.is_empty() {
            Ok(Outcome::pass(format!(
                "Organization {} has OUs `{}` and `{}` with the expected accounts.",
                org.id,
                params.str("management_ou"),
                params.str("sandbox_ou")
            ))
            .with_all(evidence))
        } else {
            Ok(Outcome::fail(format!(
                "Organization {} is not laid out as the chapter draws it: {}.",
                org.id,
                and_list(&problems)
            ))
            .with_all(evidence))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;
    use crate::facts::{Account, OrganizationalUnit};

    #[test]
    fn an_account_in_a_nested_ou_counts() {
        let mut f = finished();
        let org = org_mut(&mut f);
        let sandbox = org.roots[0]
            .organizational_units
            .iter_mut()
            .find(|o| o.name == "sandbox")
            .expect("sandbox");
        let test = sandbox.accounts.remove(0);
        sandbox.organizational_units.push(OrganizationalUnit {
            id: "ou-nest".into(),
            name: "experiments".into(),
            accounts: vec![test],
            organizational_units: vec![],
        });
        assert_status(&eval(&META, &f), Status::Pass);
    }

    #[test]
    fn a_missing_ou_fails_and_names_it() {
        let mut f = finished();
        org_mut(&mut f).roots[0]
            .organizational_units
            .retain(|o| o.name != "sandbox");
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "`sandbox`");
    }

    #[test]
    fn a_same_name_nested_ou_is_not_the_lab_ou() {
        // No top-level sandbox; a `sandbox` OU nested inside management holds test.
        let mut f = finished();
        let org = org_mut(&mut f);
        let mut sandbox = org.roots[0]
            .organizational_units
            .iter()
            .position(|o| o.name == "sandbox")
            .map(|i| org.roots[0].organizational_units.remove(i))
            .expect("sandbox");
        sandbox.id = "ou-nested-sandbox".into();
        org.roots[0]
            .organizational_units
            .iter_mut()
            .find(|o| o.name == "management")
            .expect("management")
            .organizational_units
            .push(sandbox);
        let o = eval(&META, &f);
        assert_names(
            &o,
            Status::Fail,
            "create OU `sandbox` directly under the root",
        );
    }

    #[test]
    fn an_account_under_a_same_name_ou_elsewhere_is_not_in_the_lab_ou() {
        // test sits in sandbox/…; a second `management` OU nested in sandbox
        // holds network: network is not in the management OU.
        let mut f = finished();
        let org = org_mut(&mut f);
        let ous = &mut org.roots[0].organizational_units;
        let network = {
            let m = ous.iter_mut().find(|o| o.name == "management").expect("m");
            let i = m
                .accounts
                .iter()
                .position(|a| a.name == "network")
                .expect("n");
            m.accounts.remove(i)
        };
        ous.iter_mut()
            .find(|o| o.name == "sandbox")
            .expect("sandbox")
            .organizational_units
            .push(OrganizationalUnit {
                id: "ou-deep-mgmt".into(),
                name: "management".into(),
                accounts: vec![network],
                organizational_units: vec![],
            });
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "put account `network` in OU `management`");
    }

    #[test]
    fn an_account_in_the_wrong_ou_fails() {
        let mut f = finished();
        let org = org_mut(&mut f);
        for ou in &mut org.roots[0].organizational_units {
            ou.accounts.retain(|a| a.name != "network");
        }
        org.roots[0].accounts.push(Account {
            id: "444444444444".into(),
            name: "network".into(),
            ..Account::default()
        });
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "`network`");
    }

    #[test]
    fn renamed_ous_are_parameters() {
        let mut f = finished();
        for ou in &mut org_mut(&mut f).roots[0].organizational_units {
            if ou.name == "sandbox" {
                ou.name = "playground".into();
            }
        }
        let p = Params::defaults(&META).with(
            "sandbox_ou",
            crate::checks::ParamValue::Str("playground".into()),
        );
        assert_status(&evaluate(&f, &p), Status::Pass);
    }
}
