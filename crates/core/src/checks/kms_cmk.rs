//! `kms-key/key`: a customer-managed, enabled, symmetric encryption key
//! exists. AWS-managed keys (manager `AWS`, aliases `alias/aws/*`), keys
//! pending deletion, asymmetric and HMAC keys, and keys with imported or
//! external material are not the lab's key.

use super::pick::{self, Step};
use super::{CheckMeta, KEYS, Outcome, Params, REGION_PARAM, ev, need, run};
use crate::facts::{Facts, KmsKey};

pub const META: CheckMeta = CheckMeta {
    kind: "kms-cmk",
    title: "A customer-managed symmetric encryption key exists",
    reads: &[KEYS],
    params: &[REGION_PARAM],
};

/// Why a key is not the lab's key (`None` when it is).
pub(crate) fn not_lab_key(k: &KmsKey) -> Option<&'static str> {
    if k.key_manager != "CUSTOMER" || k.aliases.iter().any(|a| a.starts_with("alias/aws/")) {
        Some("AWS-managed")
    } else if k.key_state == "PendingDeletion" || k.key_state == "PendingReplicaDeletion" {
        Some("pending deletion")
    } else if k.key_state != "Enabled" {
        Some("not enabled")
    } else if k.key_spec != "SYMMETRIC_DEFAULT" || k.key_usage != "ENCRYPT_DECRYPT" {
        Some("asymmetric or HMAC, cannot rotate automatically")
    } else if k.origin != "AWS_KMS" {
        Some("imported or external key material, cannot rotate automatically")
    } else {
        None
    }
}

/// The lab's two automated steps, for choosing the lab's key ([`lab_key`]).
const STEPS: &[Step<KmsKey>] = &[
    Step { meta: &META, judge },
    Step {
        meta: &super::kms_cmk_rotation::META,
        judge: super::kms_cmk_rotation::judge,
    },
];

/// A key's name: its smallest alias (listing order does not matter), else its id.
fn name(k: &KmsKey) -> &str {
    k.aliases
        .iter()
        .min()
        .map_or(k.key_id.as_str(), String::as_str)
}

/// The key as messages name it: `alias (id)`, or the id.
pub(crate) fn label(k: &KmsKey) -> String {
    match k.aliases.iter().min() {
        Some(a) => format!("{a} ({})", k.key_id),
        None => k.key_id.clone(),
    }
}

/// The lab's key: among the keys that can be it ([`not_lab_key`] is `None`;
/// the others never count and are never held against the learner), the one
/// meeting the most of the lab's steps, ties by name then id. `None` when no
/// key can be the lab's.
pub(crate) fn lab_key<'a>(facts: &'a Facts, step: &Params) -> Result<Option<&'a KmsKey>, Outcome> {
    let kms = need(&facts.kms, "the KMS keys")?;
    Ok(pick::lab_resource(
        facts,
        kms.keys.iter().filter(|k| not_lab_key(k).is_none()),
        STEPS,
        step,
        |k| (name(k), k.key_id.as_str()),
    ))
}

/// Whether `k` is a customer-managed, enabled, symmetric encryption key.
pub(crate) fn judge(_facts: &Facts, k: &KmsKey, _params: &Params) -> Outcome {
    match not_lab_key(k) {
        None => Outcome::pass(format!(
            "Key {} is a customer-managed, enabled, symmetric encryption key.",
            label(k)
        )),
        Some(why) => Outcome::fail(format!(
            "Key {} is {why}; create a customer-managed symmetric encryption key instead.",
            label(k)
        )),
    }
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let kms = need(&facts.kms, "the KMS keys")?;
        let mut evidence: Vec<_> = kms
            .keys
            .iter()
            .filter(|k| k.key_manager == "CUSTOMER")
            .map(|k| ev(&label(k), not_lab_key(k).unwrap_or("eligible")))
            .collect();
        evidence.sort_by(|a, b| (&a.key, &a.value).cmp(&(&b.key, &b.value)));
        Ok(match lab_key(facts, params)? {
            Some(k) => judge(facts, k, params).with_all(evidence),
            None => Outcome::fail(format!(
                "Account {} has no enabled customer-managed symmetric encryption key; create one in KMS (key type Symmetric, usage Encrypt and decrypt).",
                facts.account_id
            ))
            .with_all(evidence),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    fn only(change: impl FnOnce(&mut KmsKey)) -> Facts {
        let mut f = finished();
        let kms = ok_mut(&mut f.kms);
        kms.keys.retain(|k| not_lab_key(k).is_none());
        kms.keys.truncate(1);
        change(&mut kms.keys[0]);
        f
    }

    #[test]
    fn passes_with_an_enabled_symmetric_cmk() {
        assert_status(&eval(&META, &only(|_| {})), Status::Pass);
    }

    #[test]
    fn aws_managed_keys_do_not_count() {
        assert_status(
            &eval(&META, &only(|k| k.key_manager = "AWS".into())),
            Status::Fail,
        );
        assert_status(
            &eval(&META, &only(|k| k.aliases = vec!["alias/aws/s3".into()])),
            Status::Fail,
        );
    }

    #[test]
    fn a_key_pending_deletion_does_not_count() {
        assert_status(
            &eval(&META, &only(|k| k.key_state = "PendingDeletion".into())),
            Status::Fail,
        );
    }

    #[test]
    fn asymmetric_hmac_and_imported_keys_do_not_count() {
        assert_status(
            &eval(
                &META,
                &only(|k| {
                    k.key_spec = "RSA_2048".into();
                    k.key_usage = "SIGN_VERIFY".into();
                }),
            ),
            Status::Fail,
        );
        assert_status(
            &eval(
                &META,
                &only(|k| {
                    k.key_spec = "HMAC_256".into();
                    k.key_usage = "GENERATE_VERIFY_MAC".into();
                }),
            ),
            Status::Fail,
        );
        assert_status(
            &eval(&META, &only(|k| k.origin = "EXTERNAL".into())),
            Status::Fail,
        );
    }

    use crate::checks::pick::testing::{assert_order_independent, outcomes, reorder};
    use crate::facts::Collected;

    const KINDS: &[&str] = &["kms-cmk", "kms-cmk-rotation"];

    fn lab_key_named(alias: &str, rotating: bool) -> KmsKey {
        let mut k = finished().kms.ok().expect("kms").keys[0].clone();
        k.key_id = format!("id-{alias}");
        k.aliases = vec![format!("alias/{alias}")];
        k.rotation_enabled = Collected::Ok(rotating);
        k
    }

    fn with_keys(keys: Vec<KmsKey>) -> Facts {
        let mut f = finished();
        ok_mut(&mut f.kms).keys = keys;
        f
    }

    #[test]
    fn the_rotating_key_is_the_lab_key_in_every_order() {
        let demo = finished().kms.ok().expect("kms").keys.clone();
        let mut keys = vec![lab_key_named("a-first-but-not-rotating", false)];
        keys.extend(demo);
        let mut aliased = lab_key_named("z-lab", true);
        aliased.aliases.push("alias/b-second-alias".into());
        keys.push(aliased);
        let f = with_keys(keys);
        let got = assert_order_independent(&f, KINDS, 5, |f, order| {
            let keys = &mut ok_mut(&mut f.kms).keys;
            reorder(keys, order);
            for k in keys {
                k.aliases.reverse();
            }
        });
        for (kind, o) in &got {
            assert_eq!(o.status, Status::Pass, "{kind}: {}", o.message);
            assert!(
                o.message.contains("alias/b-second-alias (id-z-lab)"),
                "{kind}: {}",
                o.message
            );
        }
    }

    #[test]
    fn equal_keys_are_told_apart_by_alias() {
        let f = with_keys(vec![lab_key_named("b", false), lab_key_named("a", false)]);
        let got = outcomes(&f, KINDS);
        for (kind, o) in &got {
            assert!(o.message.contains("alias/a"), "{kind}: {}", o.message);
            assert!(!o.message.contains("alias/b"), "{kind}: {}", o.message);
        }
        assert_eq!(got[1].1.status, Status::Fail);
        let mut swapped = f.clone();
        ok_mut(&mut swapped.kms).keys.reverse();
        assert_eq!(outcomes(&swapped, KINDS), got);
    }

    #[test]
    fn keys_that_cannot_be_the_lab_key_never_decide_a_step() {
        let mut aws = lab_key_named("aws/s3", true);
        aws.key_manager = "AWS".into();
        let mut doomed = lab_key_named("a-doomed", true);
        doomed.key_state = "PendingDeletion".into();
        let mut off = lab_key_named("a-disabled", true);
        off.key_state = "Disabled".into();
        let f = with_keys(vec![aws, doomed, off, lab_key_named("mine", false)]);
        let got = outcomes(&f, KINDS);
        assert_eq!(got[0].1.status, Status::Pass);
        assert_eq!(got[1].1.status, Status::Fail);
        for (kind, o) in &got {
            assert!(o.message.contains("alias/mine"), "{kind}: {}", o.message);
        }
    }
}
