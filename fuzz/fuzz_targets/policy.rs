//! Fuzz the policy parser and evaluator: any bytes must parse or fail with a
//! JSON-path error, and a parsed policy must evaluate without panicking, with
//! the fast path, the explained path and the region sweep agreeing.
//!
//! Input: `POLICY \0 ACTION \0 RESOURCE \0 KEY=VALUE\n...` (missing parts
//! default), so the fuzzer can vary the request as well as the document.

#![no_main]

use std::collections::BTreeMap;

use labbook::policy::{
    self, COMMERCIAL_REGIONS, Decision, Policy, PolicySet, Request, allowed_regions,
    allows_outside_service, evaluate, is_effectively_admin,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.split('\0');
    let doc = parts.next().unwrap_or("");
    let action = parts.next().unwrap_or("s3:GetObject");
    let resource = parts.next().unwrap_or("*");
    let mut context: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in parts.next().unwrap_or("").lines() {
        if let Some((k, v)) = line.split_once('=') {
            context
                .entry(k.to_string())
                .or_default()
                .push(v.to_string());
        }
    }
    let policy = match Policy::parse(doc) {
        Ok(p) => p,
        Err(e) => {
            assert!(e.path.starts_with('$'), "error path {:?}", e.path);
            return;
        }
    };
    let request = Request {
        action: action.to_string(),
        resource: resource.to_string(),
        context,
    };
    // The same document as identity policy and as an SCP layer.
    let set = PolicySet {
        identity: vec![policy.clone()],
        scp_layers: vec![vec![policy.clone()]],
        management_account: false,
    };
    let eval = evaluate(&set, &request);
    assert_eq!(policy::decide(&set, &request), eval.decision);
    assert_eq!(
        evaluate(&set, &request),
        eval,
        "evaluation is not deterministic"
    );
    let alone = policy::evaluate_policy(&policy, &request).decision;
    if eval.decision == Decision::Allow {
        assert_eq!(
            alone,
            Decision::Allow,
            "an SCP layer widened the identity policy"
        );
    }
    let regions = allowed_regions(&set, action, COMMERCIAL_REGIONS);
    for r in COMMERCIAL_REGIONS {
        let slow = evaluate(&set, &Request::in_region(action, r)).decision == Decision::Allow;
        assert_eq!(
            slow,
            regions.iter().any(|x| x == r),
            "region sweep disagrees on {r}"
        );
    }
    let service = action.split(':').next().unwrap_or("");
    let _ = allows_outside_service(&policy, service);
    let _ = is_effectively_admin(&policy);
});
