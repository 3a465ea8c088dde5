//! Parsing policy JSON into [`Policy`]: every shape AWS accepts (a single
//! statement object or a list, string-or-list elements, numbers and booleans
//! as condition values), with errors that carry the JSON path of the problem.
//!
//! Element names and `Effect` values are case-sensitive as in AWS's grammar;
//! condition operators and keys are not. Duplicate JSON keys are not
//! detected: `serde_json` keeps the last one.

use serde_json::{Map, Value};

use super::condition::{Condition, parse_operator};
use super::matching::{Pattern, Syntax};
use super::{
    ActionSpec, Effect, Policy, PolicyError, PrincipalSpec, Principals, ResourceSpec, Statement,
    Version,
};

fn err(path: &str, message: impl Into<String>) -> PolicyError {
    PolicyError {
        path: path.to_string(),
        message: message.into(),
    }
}

/// `$.a` for identifier-like keys, `$["aws:x"]` otherwise, so a path can be
/// read back unambiguously.
pub(crate) fn child(path: &str, key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("{path}.{key}")
    } else {
        format!("{path}[{}]", Value::String(key.to_string()))
    }
}

fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

const ACTION: Syntax = Syntax {
    wildcards: true,
    ignore_case: true,
    variables: false,
    arn: false,
};

pub(crate) fn parse(json: &str) -> Result<Policy, PolicyError> {
    let doc: Value =
        serde_json::from_str(json).map_err(|e| err("$", format!("not valid JSON: {e}")))?;
    let Value::Object(top) = doc else {
        return Err(err("$", "a policy must be a JSON object"));
    };
    for key in top.keys() {
        if !matches!(key.as_str(), "Version" | "Id" | "Statement") {
            return Err(err(&child("$", key), format!("unknown element `{key}`")));
        }
    }
    // AWS treats a policy without Version as 2008-10-17.
    let version = match top.get("Version") {
        None => Version::V2008,
        Some(Value::String(v)) if v == "2012-10-17" => Version::V2012,
        Some(Value::String(v)) if v == "2008-10-17" => Version::V2008,
        Some(other) => {
            return Err(err(
                "$.Version",
                format!("Version must be \"2012-10-17\" or \"2008-10-17\", not {other}"),
            ));
        }
    };
    let id = match top.get("Id") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(err("$.Id", "Id must be a string")),
    };
    let variables = version == Version::V2012;
    let statements = match top.get("Statement") {
        None => return Err(err("$", "missing element `Statement`")),
        Some(Value::Object(s)) => vec![statement(s, "$.Statement", variables)?],
        Some(Value::Array(list)) => list
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let path = index("$.Statement", i);
                match s {
                    Value::Object(s) => statement(s, &path, variables),
                    _ => Err(err(&path, "a statement must be an object")),
                }
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(err(
                "$.Statement",
                "Statement must be an object or a list of objects",
            ));
        }
    };
    // IAM rejects a policy whose statements share a Sid.
    let statements: Vec<Statement> = statements;
    for (i, st) in statements.iter().enumerate() {
        if let Some(sid) = &st.sid
            && statements[..i].iter().any(|o| o.sid.as_ref() == Some(sid))
        {
            return Err(err(
                &child(&index("$.Statement", i), "Sid"),
                format!("duplicate Sid `{sid}`: statement ids must be unique within a policy"),
            ));
        }
    }
    Ok(Policy {
        version,
        id,
        statements,
    })
}

fn statement(
    s: &Map<String, Value>,
    path: &str,
    variables: bool,
) -> Result<Statement, PolicyError> {
    for key in s.keys() {
        if !matches!(
            key.as_str(),
            "Sid"
                | "Effect"
                | "Principal"
                | "NotPrincipal"
                | "Action"
                | "NotAction"
                | "Resource"
                | "NotResource"
                | "Condition"
        ) {
            return Err(err(&child(path, key), format!("unknown element `{key}`")));
        }
    }
    let sid = match s.get("Sid") {
        None => None,
        Some(Value::String(v)) => Some(v.clone()),
        Some(_) => return Err(err(&child(path, "Sid"), "Sid must be a string")),
    };
    let effect = match s.get("Effect") {
        Some(Value::String(e)) if e == "Allow" => Effect::Allow,
        Some(Value::String(e)) if e == "Deny" => Effect::Deny,
        Some(other) => {
            return Err(err(
                &child(path, "Effect"),
                format!("Effect must be \"Allow\" or \"Deny\", not {other}"),
            ));
        }
        None => return Err(err(path, "missing element `Effect`")),
    };
    let actions = match (s.get("Action"), s.get("NotAction")) {
        (Some(_), Some(_)) => return Err(err(path, "both `Action` and `NotAction`")),
        (None, None) => return Err(err(path, "missing element `Action` or `NotAction`")),
        (Some(a), None) => ActionSpec::Action(action_list(a, &child(path, "Action"))?),
        (None, Some(a)) => ActionSpec::NotAction(action_list(a, &child(path, "NotAction"))?),
    };
    let rsyntax = Syntax {
        wildcards: true,
        ignore_case: false,
        variables,
        arn: true,
    };
    let resources = match (s.get("Resource"), s.get("NotResource")) {
        (Some(_), Some(_)) => return Err(err(path, "both `Resource` and `NotResource`")),
        // AWS rejects identity policies and SCPs without a resource element.
        (None, None) => return Err(err(path, "missing element `Resource` or `NotResource`")),
        (Some(r), None) => ResourceSpec::Resource(
            strings(r, &child(path, "Resource"))?
                .iter()
                .map(|r| Pattern::compile(r, rsyntax))
                .collect(),
        ),
        (None, Some(r)) => ResourceSpec::NotResource(
            strings(r, &child(path, "NotResource"))?
                .iter()
                .map(|r| Pattern::compile(r, rsyntax))
                .collect(),
        ),
    };
    let principal = match (s.get("Principal"), s.get("NotPrincipal")) {
        (Some(_), Some(_)) => return Err(err(path, "both `Principal` and `NotPrincipal`")),
        (None, None) => None,
        (Some(p), None) => Some(PrincipalSpec::Principal(principals(
            p,
            &child(path, "Principal"),
        )?)),
        (None, Some(p)) => Some(PrincipalSpec::NotPrincipal(principals(
            p,
            &child(path, "NotPrincipal"),
        )?)),
    };
    let conditions = match s.get("Condition") {
        None => Vec::new(),
        Some(c) => conditions(c, &child(path, "Condition"), variables)?,
    };
    Ok(Statement {
        sid,
        effect,
        principal,
        actions,
        resources,
        conditions,
    })
}

/// A string or a non-empty list of strings.
fn strings(v: &Value, path: &str) -> Result<Vec<String>, PolicyError> {
    match v {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(list) if list.is_empty() => Err(err(path, "the list must not be empty")),
        Value::Array(list) => list
            .iter()
            .enumerate()
            .map(|(i, x)| match x {
                Value::String(s) => Ok(s.clone()),
                _ => Err(err(&index(path, i), "expected a string")),
            })
            .collect(),
        _ => Err(err(path, "expected a string or a list of strings")),
    }
}

fn action_list(v: &Value, path: &str) -> Result<Vec<Pattern>, PolicyError> {
    let list = strings(v, path)?;
    let single = matches!(v, Value::String(_));
    list.iter()
        .enumerate()
        .map(|(i, a)| {
            // `*` alone, or `service:action` with a non-empty service prefix.
            let ok = a == "*"
                || a.split_once(':')
                    .is_some_and(|(svc, act)| !svc.is_empty() && !act.is_empty());
            if ok {
                Ok(Pattern::compile(a, ACTION))
            } else {
                let p = if single {
                    path.to_string()
                } else {
                    index(path, i)
                };
                Err(err(&p, format!("`{a}` is not `*` or `service:action`")))
            }
        })
        .collect()
}

fn principals(v: &Value, path: &str) -> Result<Principals, PolicyError> {
    match v {
        Value::String(s) if s == "*" => Ok(Principals {
            any: true,
            by_type: Vec::new(),
        }),
        Value::Object(map) => {
            let mut by_type = Vec::new();
            for (kind, ids) in map {
                let p = child(path, kind);
                if !matches!(
                    kind.as_str(),
                    "AWS" | "Service" | "Federated" | "CanonicalUser"
                ) {
                    return Err(err(&p, format!("unknown principal type `{kind}`")));
                }
                by_type.push((kind.clone(), strings(ids, &p)?));
            }
            // AWS documents `{"AWS": "*"}` as equivalent to `"*"`.
            let any = by_type
                .iter()
                .any(|(kind, ids)| kind == "AWS" && ids.iter().any(|id| id == "*"));
            Ok(Principals { any, by_type })
        }
        _ => Err(err(path, "a principal must be \"*\" or an object")),
    }
}

fn conditions(v: &Value, path: &str, variables: bool) -> Result<Vec<Condition>, PolicyError> {
    let Value::Object(ops) = v else {
        return Err(err(path, "Condition must be an object"));
    };
    let mut out = Vec::new();
    for (op, keys) in ops {
        let op_path = child(path, op);
        // Check the operator before its keys, so `{"Bogus": {}}` is an error too.
        parse_operator(op).map_err(|e| err(&op_path, e))?;
        let Value::Object(keys) = keys else {
            return Err(err(
                &op_path,
                "a condition operator takes an object of keys",
            ));
        };
        for (key, values) in keys {
            let key_path = child(&op_path, key);
            let single = !values.is_array();
            let list: Vec<String> = match values {
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        scalar(x).ok_or_else(|| {
                            err(&index(&key_path, i), "expected a string, number or boolean")
                        })
                    })
                    .collect::<Result<_, _>>()?,
                x => vec![scalar(x).ok_or_else(|| {
                    err(
                        &key_path,
                        "expected a string, number, boolean or a list of them",
                    )
                })?],
            };
            let c = Condition::compile(op, key, list, variables).map_err(|(i, msg)| match i {
                Some(i) if !single => err(&index(&key_path, i), msg),
                Some(_) | None => err(&key_path, msg),
            })?;
            out.push(c);
        }
    }
    Ok(out)
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
