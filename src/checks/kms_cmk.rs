//! `kms-key/key`: a customer-managed, enabled, symmetric encryption key
//! exists. AWS-managed keys (manager `AWS`, aliases `alias/aws/*`), keys
//! pending deletion, asymmetric and HMAC keys, and keys with imported or
//! external material are not the lab's key.

use super::{CheckMeta, Outcome, Params, ev, need, run};
use crate::facts::{Facts, KmsKey};

pub const META: CheckMeta = CheckMeta {
    kind: "kms-cmk",
    title: "A customer-managed symmetric encryption key exists",
    reads: &["kms:ListKeys", "kms:DescribeKey", "kms:ListAliases"],
    params: &[],
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

pub(crate) fn label(k: &KmsKey) -> String {
    match k.aliases.first() {
        Some(a) => format!("{a} ({})", k.key_id),
        None => k.key_id.clone(),
    }
}

pub fn evaluate(facts: &Facts, _params: &Params) -> Outcome {
    run(|| {
        let kms = need(&facts.kms, "the KMS keys")?;
        let evidence: Vec<_> = kms
            .keys
            .iter()
            .filter(|k| k.key_manager == "CUSTOMER")
            .map(|k| ev(&label(k), not_lab_key(k).unwrap_or("eligible")))
            .collect();
        if let Some(k) = kms.keys.iter().find(|k| not_lab_key(k).is_none()) {
            return Ok(Outcome::pass(format!(
                "Key {} is a customer-managed, enabled, symmetric encryption key.",
                label(k)
            ))
            .with_all(evidence));
        }
        Ok(Outcome::fail(format!(
            "Account {} has no enabled customer-managed symmetric encryption key; create one in KMS (key type Symmetric, usage Encrypt and decrypt).",
            facts.account_id
        ))
        .with_all(evidence))
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
        assert_status(&eval(c(), &finished()), Status::Pass);
        assert_status(&eval(c(), &only(|_| {})), Status::Pass);
    }

    #[test]
    fn aws_managed_keys_do_not_count() {
        assert_status(
            &eval(c(), &only(|k| k.key_manager = "AWS".into())),
            Status::Fail,
        );
        assert_status(
            &eval(c(), &only(|k| k.aliases = vec!["alias/aws/s3".into()])),
            Status::Fail,
        );
    }

    #[test]
    fn a_key_pending_deletion_does_not_count() {
        assert_status(
            &eval(c(), &only(|k| k.key_state = "PendingDeletion".into())),
            Status::Fail,
        );
    }

    #[test]
    fn asymmetric_hmac_and_imported_keys_do_not_count() {
        assert_status(
            &eval(
                c(),
                &only(|k| {
                    k.key_spec = "RSA_2048".into();
                    k.key_usage = "SIGN_VERIFY".into();
                }),
            ),
            Status::Fail,
        );
        assert_status(
            &eval(
                c(),
                &only(|k| {
                    k.key_spec = "HMAC_256".into();
                    k.key_usage = "GENERATE_VERIFY_MAC".into();
                }),
            ),
            Status::Fail,
        );
        assert_status(
            &eval(c(), &only(|k| k.origin = "EXTERNAL".into())),
            Status::Fail,
        );
    }
}
