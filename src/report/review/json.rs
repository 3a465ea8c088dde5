//! `--format json`: the [`Review`] as the `labbook-review/1` document.
//! Field names and meanings are documented in `assets/schema/review.md`;
//! a test keeps every field of the output in that document.

use crate::readiness::Review;

pub fn write(review: &Review) -> Result<String, serde_json::Error> {
    Ok(format!("{}\n", serde_json::to_string_pretty(review)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    out.insert(k.clone());
                    keys(v, out);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }

    #[test]
    fn every_field_of_the_document_is_documented() {
        let doc = include_str!("../../../assets/schema/review.md");
        let v: serde_json::Value =
            serde_json::from_str(&write(&super::super::testing::halfway()).expect("json"))
                .expect("parse");
        let mut all = std::collections::BTreeSet::new();
        keys(&v, &mut all);
        for k in &all {
            assert!(
                doc.contains(&format!("`{k}`")),
                "`{k}` is not documented in assets/schema/review.md"
            );
        }
        assert_eq!(v["schema"], crate::readiness::SCHEMA);
    }
}
