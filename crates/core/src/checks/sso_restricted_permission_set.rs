//! `identity-center/dev-set`: permission set `DeveloperRole` exists and is
//! not an administrator in disguise: none of the forbidden managed policies,
//! and what its documents grant, evaluated over every request, is neither
//! an administrator in effect nor a grant of every service ([`judge_grant`],
//! which takes any list of documents: the inline policy today, the
//! customer-managed policies it references once they are collected).

use super::{
    CheckMeta, Outcome, PERMISSION_SETS, ParamDefault, ParamSpec, Params, REGION_PARAM, and_list,
    need, run,
};
use crate::facts::Facts;
use crate::policy::{self, Pins, Policy, PolicySet};

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

/// What a permission set's policy documents grant, judged together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// Neither an administrator nor a grant of every service.
    Restricted,
    /// Every action of every service for some request (`why` names the
    /// statement and the document).
    Administrator { why: String },
    /// Some action of every service, including ones AWS has not made yet.
    EveryService { why: String },
    /// A document does not parse: the grant cannot be judged.
    Unreadable { document: String, error: String },
}

/// Judge the documents a permission set carries (its inline policy, the
/// customer-managed policies it references, ...), each `(label, JSON)`,
/// as one set of identity policies: decided by evaluation over every
/// request ([`policy::is_administrator`], [`policy::allows_every_service`]),
/// however the documents are written (`NotAction`, wildcards, `arn:*`).
pub fn judge_grant(documents: &[(String, String)]) -> Grant {
    let mut identity = Vec::with_capacity(documents.len());
    for (label, doc) in documents {
        match Policy::parse(doc) {
            Ok(p) => identity.push(p),
            Err(e) => {
                return Grant::Unreadable {
                    document: label.clone(),
                    error: e.to_string(),
                };
            }
        }
    }
    let set = PolicySet {
        identity,
        ..PolicySet::default()
    };
    let name = |w: &policy::Witness| -> String {
        match documents {
            [(label, _)] => format!("{} of its {label}", w.statement),
            _ => {
                for (i, (label, _)) in documents.iter().enumerate() {
                    let prefix = format!("identity policy #{} ", i + 1);
                    if let Some(rest) = w.statement.strip_prefix(&prefix) {
                        return format!("{rest} of its {label}");
                    }
                }
                w.statement.clone()
            }
        }
    };
    if let Some(w) = policy::is_administrator(&set, &Pins::none()) {
        return Grant::Administrator {
            why: format!(
                "{} allows every action, IAM and Organizations included{}",
                name(&w),
                w.when_text()
            ),
        };
    }
    if let Some(w) = policy::allows_every_service(&set, &Pins::none()) {
        return Grant::EveryService {
            why: format!(
                "{} allows actions of every service, even ones AWS has not launched yet{}",
                name(&w),
                w.when_text()
            ),
        };
    }
    Grant::Restricted
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let idc = need(&facts.identity_center, "the permission sets")?;
        let name = params.str("name");
        let Some(set) = idc.permission_set(name) else {
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
        let inline: Vec<(String, String)> = set
            .inline_policy
            .iter()
            .map(|d| ("inline policy".to_string(), d.clone()))
            .collect();
        // A customer-managed reference resolves in each account the set is
        // assigned to: the grant there is the inline policy plus those
        // documents. Any account's grant that is too broad fails; one that
        // cannot be read is unknown, never a pass.
        let mut accounts: Vec<&String> = set
            .customer_managed_policies
            .iter()
            .flat_map(|r| r.documents.keys())
            .collect();
        accounts.sort();
        accounts.dedup();
        let mut grants = vec![inline.clone()];
        for account in accounts {
            let mut documents = inline.clone();
            for r in &set.customer_managed_policies {
                match r.documents.get(account) {
                    Some(crate::facts::Collected::Ok(doc)) => documents.push((
                        format!("customer-managed policy `{}` in account {account}", r.name),
                        doc.clone(),
                    )),
                    Some(crate::facts::Collected::Unavailable(u)) => {
                        return Err(Outcome::unavailable(
                            &format!(
                                "customer-managed policy `{}` of permission set `{name}` in account {account}",
                                r.name
                            ),
                            u,
                        ));
                    }
                    None => {}
                }
            }
            grants.push(documents);
        }
        let grant = grants
            .iter()
            .map(|documents| judge_grant(documents))
            .find(|g| *g != Grant::Restricted)
            .unwrap_or(Grant::Restricted);
        match grant {
            Grant::Restricted => Ok(Outcome::pass(format!(
                "Permission set `{name}` exists and is neither an administrator set nor a grant of every service."
            ))),
            Grant::Administrator { why } => Ok(Outcome::fail(format!(
                "Permission set `{name}` is an administrator in effect: {why}; grant developers only the services they need."
            ))),
            Grant::EveryService { why } => Ok(Outcome::fail(format!(
                "Permission set `{name}` reaches every service: {why}; list the services developers need instead."
            ))),
            Grant::Unreadable { document, error } => Ok(Outcome::unknown(format!(
                "Could not verify permission set `{name}`: its {document} does not parse ({error})."
            ))),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    #[test]
    fn a_customer_managed_reference_is_judged_in_each_assigned_account() {
        use crate::facts::{Collected, CustomerManagedPolicy, Unavailable};
        let admin = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        let narrow = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
        let reference = |docs: Vec<(&str, Collected<String>)>| CustomerManagedPolicy {
            name: "DevPolicy".into(),
            path: "/".into(),
            documents: docs.into_iter().map(|(a, d)| (a.to_string(), d)).collect(),
        };
        let mut f = finished();
        with_dev(&mut f, |s| {
            s.customer_managed_policies = vec![reference(vec![
                ("222222222222", Collected::Ok(narrow.into())),
                ("333333333333", Collected::Ok(admin.into())),
            ])];
        });
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "333333333333");
        with_dev(&mut f, |s| {
            s.customer_managed_policies = vec![reference(vec![(
                "222222222222",
                Collected::Unavailable(Unavailable::denied("iam:GetPolicy")),
            )])];
        });
        let o = eval(&META, &f);
        assert_names(&o, Status::Unknown, "iam:GetPolicy");
        with_dev(&mut f, |s| {
            s.customer_managed_policies = vec![reference(vec![(
                "222222222222",
                Collected::Ok(narrow.into()),
            )])];
        });
        assert_status(&eval(&META, &f), Status::Pass);
    }

    fn with_dev(f: &mut Facts, edit: impl FnOnce(&mut crate::facts::PermissionSet)) {
        edit(permission_set_mut(f, "DeveloperRole"));
    }

    #[test]
    fn power_user_access_fails() {
        let mut f = finished();
        with_dev(&mut f, |s| {
            s.managed_policies
                .push("arn:aws:iam::aws:policy/PowerUserAccess".into())
        });
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "PowerUserAccess");
    }

    #[test]
    fn administrator_access_fails() {
        let mut f = finished();
        with_dev(&mut f, |s| {
            s.managed_policies
                .push("arn:aws:iam::aws:policy/AdministratorAccess".into())
        });
        assert_status(&eval(&META, &f), Status::Fail);
    }

    #[test]
    fn an_inline_star_star_fails_however_it_is_written() {
        for doc in [
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["*:*"],"Resource":["*"]}}"#,
        ] {
            let mut f = finished();
            with_dev(&mut f, |s| s.inline_policy = Some(doc.into()));
            assert_status(&eval(&META, &f), Status::Fail);
        }
    }

    fn with_inline(doc: &str) -> Outcome {
        let mut f = finished();
        with_dev(&mut f, |s| s.inline_policy = Some(doc.into()));
        eval(&META, &f)
    }

    #[test]
    fn an_allow_not_action_excluding_a_single_action_is_an_administrator() {
        let o = with_inline(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"AllButOne","Effect":"Allow","NotAction":"iam:DeleteUser","Resource":"*"}]}"#,
        );
        assert_names(&o, Status::Fail, "administrator in effect");
        assert!(o.message.contains("AllButOne"), "{}", o.message);
    }

    #[test]
    fn a_hand_written_power_user_access_counts_as_every_service() {
        let o = with_inline(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},{"Effect":"Allow","Action":["iam:CreateServiceLinkedRole","iam:ListRoles","organizations:DescribeOrganization"],"Resource":"*"}]}"#,
        );
        assert_names(&o, Status::Fail, "every service");
    }

    #[test]
    fn star_on_arn_star_is_an_administrator() {
        let o = with_inline(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*:*","Resource":"arn:*"}]}"#,
        );
        assert_names(&o, Status::Fail, "administrator in effect");
    }

    #[test]
    fn an_administrator_under_an_mfa_condition_is_still_an_administrator() {
        let o = with_inline(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#,
        );
        assert_names(&o, Status::Fail, "when aws:MultiFactorAuthPresent is true");
    }

    #[test]
    fn a_wildcard_read_of_every_service_fails() {
        let o = with_inline(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["*:Get*","*:List*"],"Resource":"*"}]}"#,
        );
        assert_names(&o, Status::Fail, "every service");
    }

    #[test]
    fn grants_are_judged_together_across_documents() {
        // Neither document alone is an administrator; together they are
        // (the second one fills in IAM, Organizations and Account).
        let docs = vec![
            (
                "inline policy".to_string(),
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"}]}"#.to_string(),
            ),
            (
                "customer-managed policy DevExtras".to_string(),
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","organizations:*","account:*"],"Resource":"*"}]}"#.to_string(),
            ),
        ];
        assert!(matches!(
            judge_grant(&docs[..1]),
            Grant::EveryService { .. }
        ));
        match judge_grant(&docs) {
            Grant::Administrator { why } => assert!(why.contains("of its"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_unparsable_document_is_unknown_never_pass() {
        let o = with_inline("{not json");
        assert_status(&o, Status::Unknown);
    }

    #[test]
    fn a_missing_set_fails() {
        let mut f = finished();
        ok_mut(&mut f.identity_center)
            .permission_sets
            .retain(|p| p.name != "DeveloperRole");
        assert_status(&eval(&META, &f), Status::Fail);
    }
}
