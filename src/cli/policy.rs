//! `labbook policy explain`: read the policy files, decide one request and
//! print the decision with its explanation. The evaluator itself
//! ([`crate::policy`]) reads no files and knows no arguments.
//!
//! Bad input (unreadable file, malformed policy, `--context` without `=`)
//! is reported on stderr with exit status 2, distinct from a denial (1).

use std::collections::BTreeMap;
use std::path::Path;

use super::{ExplainArgs, ExplainFormat};
use crate::policy::{Decision, Policy, PolicySet, Request, evaluate};

/// Read and parse one policy file; the error names the file and JSON path.
fn load(path: &Path) -> Result<Policy, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Policy::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn build(args: &ExplainArgs) -> Result<(PolicySet, Request), String> {
    let identity = args
        .policies
        .iter()
        .map(|p| load(p))
        .collect::<Result<Vec<_>, _>>()?;
    let scp_layers = args
        .scp_layers
        .iter()
        .map(|layer| {
            layer
                .split(',')
                .filter(|p| !p.is_empty())
                .map(|p| load(Path::new(p)))
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut context: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for kv in &args.context {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| format!("--context `{kv}`: expected KEY=VALUE"))?;
        if k.is_empty() {
            return Err(format!("--context `{kv}`: the key is empty"));
        }
        // Repeating a key gives it several values (a multivalued key).
        context
            .entry(k.to_string())
            .or_default()
            .push(v.to_string());
    }
    let set = PolicySet {
        identity,
        scp_layers,
        management_account: false,
    };
    let request = Request {
        action: args.action.clone(),
        resource: args.resource.clone(),
        context,
    };
    Ok((set, request))
}

fn decision_name(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "Allow",
        Decision::ExplicitDeny => "ExplicitDeny",
        Decision::ImplicitDeny => "ImplicitDeny",
    }
}

/// Run `labbook policy explain`: print the decision and its explanation.
/// Returns the process exit status (0 allowed, 1 denied, 2 bad input).
pub fn run_explain(args: &ExplainArgs) -> anyhow::Result<i32> {
    let (set, request) = match build(args) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("labbook policy explain: {e}");
            return Ok(2);
        }
    };
    let eval = evaluate(&set, &request);
    match args.format {
        ExplainFormat::Json => {
            let doc = serde_json::json!({
                "decision": decision_name(eval.decision),
                "explanation": eval.explanation,
            });
            println!("{}", serde_json::to_string_pretty(&doc)?);
        }
        ExplainFormat::Text => {
            let word = match eval.decision {
                Decision::Allow => "ALLOWED",
                Decision::ExplicitDeny => "DENIED (explicit deny)",
                Decision::ImplicitDeny => "DENIED (implicit deny)",
            };
            println!("{}: {word}", request.action);
            for line in &eval.explanation {
                println!("  - {line}");
            }
        }
    }
    Ok(i32::from(eval.decision != Decision::Allow))
}
