//! `kms-key/rotation`: automatic rotation is enabled on the lab's key.
//! Keys that cannot rotate automatically (asymmetric, HMAC, imported
//! material) never fail this step and never count as the lab's key.

use super::{CheckMeta, KEYS, Outcome, Params, REGION_PARAM, ev, run};
use crate::facts::{Collected, Facts, KmsKey};

use super::kms_cmk::{label, not_lab_key};

pub const META: CheckMeta = CheckMeta {
    kind: "kms-cmk-rotation",
    title: "Automatic rotation is on for the customer-managed key",
    reads: &[KEYS, &["kms:GetKeyRotationStatus"]],
    params: &[REGION_PARAM],
};

/// Whether `k` rotates automatically; `unknown` when unread.
pub(crate) fn judge(_facts: &Facts, k: &KmsKey, _params: &Params) -> Outcome {
    if let Some(why) = not_lab_key(k) {
        // Never reached through `evaluate`: such keys are never the lab's.
        return Outcome::fail(format!(
            "Key {} is {why}, so it is not the lab's key; rotate a customer-managed symmetric key instead.",
            label(k)
        ));
    }
    match &k.rotation_enabled {
        Collected::Ok(true) => Outcome::pass(format!("Key {} rotates automatically.", label(k))),
        Collected::Ok(false) => Outcome::fail(format!(
            "Key {} does not rotate automatically; enable automatic key rotation on it.",
            label(k)
        ))
        .with_all(vec![ev(&label(k), "rotation off")]),
        Collected::Unavailable(u) => {
            Outcome::unavailable(&format!("rotation of key {}", label(k)), u)
        }
    }
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| match super::kms_cmk::lab_key(facts, params)? {
        Some(k) => Ok(judge(facts, k, params)),
        None => Ok(Outcome::fail(
            "There is no enabled customer-managed symmetric key to rotate yet; finish step `key` first (asymmetric, HMAC and imported keys cannot rotate and do not count).",
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;
    use crate::facts::Unavailable;

    #[test]
    fn fails_when_the_cmk_does_not_rotate() {
        let mut f = finished();
        for k in &mut ok_mut(&mut f.kms).keys {
            if not_lab_key(k).is_none() {
                k.rotation_enabled = Collected::Ok(false);
            }
        }
        assert_status(&eval(&META, &f), Status::Fail);
    }

    #[test]
    fn a_non_rotating_asymmetric_key_beside_a_rotating_cmk_never_fails() {
        let f = finished();
        let kms = f.kms.ok().expect("kms");
        assert!(
            kms.keys.iter().any(|k| k.key_spec != "SYMMETRIC_DEFAULT"),
            "the demo has an asymmetric key"
        );
        assert_status(&eval(&META, &f), Status::Pass);
    }

    #[test]
    fn asymmetric_hmac_or_imported_keys_alone_are_not_the_lab_key() {
        let mut f = finished();
        let kms = ok_mut(&mut f.kms);
        kms.keys = vec![
            KmsKey {
                key_id: "rsa".into(),
                key_manager: "CUSTOMER".into(),
                key_state: "Enabled".into(),
                key_spec: "RSA_2048".into(),
                key_usage: "SIGN_VERIFY".into(),
                origin: "AWS_KMS".into(),
                rotation_enabled: Collected::Unavailable(Unavailable::new("not supported")),
                aliases: vec![],
            },
            KmsKey {
                key_id: "imported".into(),
                key_manager: "CUSTOMER".into(),
                key_state: "Enabled".into(),
                key_spec: "SYMMETRIC_DEFAULT".into(),
                key_usage: "ENCRYPT_DECRYPT".into(),
                origin: "EXTERNAL".into(),
                rotation_enabled: Collected::Ok(false),
                aliases: vec![],
            },
        ];
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "step `key`");
        assert!(
            !o.message.contains("imported ("),
            "never blames the imported key: {}",
            o.message
        );
    }

    #[test]
    fn unreadable_rotation_status_is_unknown() {
        let mut f = finished();
        for k in &mut ok_mut(&mut f.kms).keys {
            k.rotation_enabled =
                Collected::Unavailable(Unavailable::denied("kms:GetKeyRotationStatus"));
        }
        assert_status(&eval(&META, &f), Status::Unknown);
    }
}
