//! `customer-keys-rotate`: every customer-managed symmetric key that can
//! rotate automatically does. Keys that cannot (asymmetric, HMAC, imported
//! or external material) and keys that are disabled or pending deletion
//! are never held against the learner.

use super::RuleMeta;
use crate::checks::{Outcome, and_list, ev, need, run};
use crate::facts::{Collected, Facts, KmsKey};

pub const META: RuleMeta = RuleMeta {
    id: "customer-keys-rotate",
    title: "Every customer-managed key that can rotate automatically does",
    section: "kms-best-practices",
    fixes: &["kms-key/rotation"],
    remedy: "Enable automatic rotation on each customer-managed symmetric key (Key rotation tab, or `aws kms enable-key-rotation`).",
    reads: &[
        "kms:ListKeys",
        "kms:DescribeKey",
        "kms:ListAliases",
        "kms:GetKeyRotationStatus",
    ],
};

/// The key as messages name it: its smallest alias with the id, or the id.
fn label(k: &KmsKey) -> String {
    match k.aliases.iter().min() {
        Some(a) => format!("{a} ({})", k.key_id),
        None => k.key_id.clone(),
    }
}

pub fn evaluate(facts: &Facts) -> Outcome {
    run(|| {
        let kms = need(&facts.kms, "the KMS keys")?;
        // The lab's own test of "can this key rotate": the same keys count.
        let rotatable: Vec<&KmsKey> = kms
            .keys
            .iter()
            .filter(|k| crate::checks::kms_cmk::not_lab_key(k).is_none())
            .collect();
        let mut off = Vec::new();
        for k in &rotatable {
            match &k.rotation_enabled {
                Collected::Ok(true) => {}
                Collected::Ok(false) => off.push(label(k)),
                Collected::Unavailable(u) => {
                    return Ok(Outcome::unavailable(
                        &format!("rotation of key {}", label(k)),
                        u,
                    ));
                }
            }
        }
        let skipped = kms.keys.len() - rotatable.len();
        if off.is_empty() {
            return Ok(Outcome::pass(format!(
                "All {} customer-managed key(s) that can rotate do ({skipped} other key(s) cannot rotate automatically or are AWS-managed, and do not count).",
                rotatable.len()
            )));
        }
        let mut o = Outcome::fail(format!(
            "Customer-managed key {} does not rotate automatically; enable key rotation.",
            and_list(&off)
        ));
        for k in &off {
            o.evidence.push(ev(k, "rotation off"));
        }
        Ok(o)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::*;
    use crate::checks::Status;
    use crate::facts::Unavailable;

    fn key(id: &str, spec: &str, origin: &str, rotation: Collected<bool>) -> KmsKey {
        KmsKey {
            key_id: id.into(),
            key_manager: "CUSTOMER".into(),
            key_state: "Enabled".into(),
            key_spec: spec.into(),
            key_usage: if spec == "SYMMETRIC_DEFAULT" {
                "ENCRYPT_DECRYPT"
            } else {
                "SIGN_VERIFY"
            }
            .into(),
            origin: origin.into(),
            rotation_enabled: rotation,
            aliases: vec![],
        }
    }

    #[test]
    fn a_second_symmetric_key_without_rotation_fails_naming_it() {
        let mut f = finished();
        ok_mut(&mut f.kms).keys.push(key(
            "k-2",
            "SYMMETRIC_DEFAULT",
            "AWS_KMS",
            Collected::Ok(false),
        ));
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "k-2");
    }

    #[test]
    fn keys_that_cannot_rotate_are_never_held_against_the_learner() {
        let mut f = finished();
        let kms = ok_mut(&mut f.kms);
        kms.keys = vec![
            key(
                "rsa",
                "RSA_2048",
                "AWS_KMS",
                Collected::Unavailable(Unavailable::new("not supported")),
            ),
            key(
                "imported",
                "SYMMETRIC_DEFAULT",
                "EXTERNAL",
                Collected::Ok(false),
            ),
        ];
        assert_status(&eval(&META, &f), Status::Pass);
    }

    #[test]
    fn an_unreadable_rotation_status_is_unknown_naming_the_operation() {
        let mut f = finished();
        ok_mut(&mut f.kms).keys.push(key(
            "k-3",
            "SYMMETRIC_DEFAULT",
            "AWS_KMS",
            Collected::Unavailable(Unavailable::denied("kms:GetKeyRotationStatus")),
        ));
        let o = eval(&META, &f);
        assert_names(&o, Status::Unknown, "kms:GetKeyRotationStatus");
    }
}
