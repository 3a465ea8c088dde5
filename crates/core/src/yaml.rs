//! What the content and class files written in YAML share: a syntax error's
//! line, column and message, serde's unknown-field message with a "did you
//! mean", the line and column of a `key: value`, and the ids they use. A
//! leaf: used by the lab parser, the question bank and the roster.

use crate::suggest::suggest;

/// 1-based line and column of `e` (line 1, column 1 when serde_norway has
/// none) and its message without serde_norway's " at line L column C" (the
/// location goes in front instead).
pub fn syntax_error(e: &serde_norway::Error) -> (usize, usize, String) {
    let (line, column) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((1, 1));
    let text = e.to_string();
    let message = text
        .strip_suffix(&format!(" at line {line} column {column}"))
        .map(str::to_string)
        .unwrap_or(text);
    (line, column, message)
}

/// Adds "did you mean" to serde's unknown-field and unknown-variant messages.
pub fn with_suggestion(message: String) -> String {
    let Some(rest) = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|p| message.find(p).map(|i| &message[i..]))
    else {
        return message;
    };
    let names: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let Some((unknown, expected)) = names.split_first() else {
        return message;
    };
    match suggest(unknown, expected) {
        Some(s) => format!("{message}; did you mean `{s}`?"),
        None => message,
    }
}

/// An id of a lab, step, question or option: lowercase letters, digits and
/// dashes, not starting with a dash.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Finds `key: value` lines in YAML text, to point at a problem serde
/// cannot locate.
pub struct Locator<'a> {
    text: &'a str,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Locator<'a> {
        Locator { text }
    }

    /// 1-based line and column of the `nth` (0-based) `key: value` (any
    /// value when `value` is empty; a trailing ` # comment` is not part of
    /// the value); line 1, column 1 when not found.
    pub fn find(&self, key: &str, value: &str, nth: usize) -> (usize, usize) {
        let mut count = 0;
        for (i, line) in self.text.lines().enumerate() {
            let trimmed = line.trim_start();
            let body = trimmed.strip_prefix("- ").unwrap_or(trimmed).trim_start();
            let Some(rest) = body.strip_prefix(key).and_then(|r| r.strip_prefix(':')) else {
                continue;
            };
            let v = rest.split(" #").next().unwrap_or("").trim();
            let v = v.trim_matches(|c| c == '"' || c == '\'');
            if value.is_empty() || v == value {
                if count == nth {
                    return (i + 1, line.len() - body.len() + 1);
                }
                count += 1;
            }
        }
        (1, 1)
    }
}

#[cfg(test)]
pub mod testing {
    //! The JSON Schema a file format publishes for editors, kept equal to
    //! the one the code generates.

    /// Asserts `assets/schema/{file}` is `generated`; rewrites the file first
    /// when `LABBOOK_WRITE_SCHEMA` is set. `test` names the test to run.
    #[track_caller]
    pub fn assert_published_schema(file: &str, generated: &serde_json::Value, test: &str) {
        let path = format!("{}/../../assets/schema/{file}", env!("CARGO_MANIFEST_DIR"));
        if std::env::var_os("LABBOOK_WRITE_SCHEMA").is_some() {
            let text = format!(
                "{}\n",
                serde_json::to_string_pretty(generated).expect("json")
            );
            std::fs::write(&path, text).expect("write schema");
        }
        let published = std::fs::read_to_string(&path).unwrap_or_default();
        // Compared as JSON values: the AWS SDK turns on serde_json's
        // `preserve_order`, which changes the key order of `json!` output.
        let published: serde_json::Value =
            serde_json::from_str(&published).unwrap_or(serde_json::Value::Null);
        assert!(
            &published == generated,
            "{path} is out of date; run LABBOOK_WRITE_SCHEMA=1 cargo test --lib {test}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_found_after_a_dash_and_its_value_before_a_comment() {
        let text = "id: lab\nsteps:\n  - id: one\n  - id: two # the second\n";
        let at = Locator::new(text);
        assert_eq!(at.find("id", "", 0), (1, 1));
        assert_eq!(at.find("id", "two", 0), (4, 5));
        assert_eq!(at.find("id", "", 2), (4, 5));
        assert_eq!(at.find("title", "", 0), (1, 1));
    }

    #[test]
    fn ids_are_lowercase_words_with_dashes() {
        assert!(is_id("org-trail-2"));
        assert!(!is_id("-x") && !is_id("") && !is_id("Org"));
    }
}
