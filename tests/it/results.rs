//! What the tests read from labbook's JSON output (`check`, `quiz`,
//! `review`), shared by the snapshot tests and the live ones.

/// The `lab/step` id of one entry of the report's `results`.
pub fn step_id(result: &serde_json::Value) -> String {
    format!(
        "{}/{}",
        result["lab"].as_str().unwrap_or(""),
        result["step"].as_str().unwrap_or("")
    )
}

/// The entry of the JSON list `list` whose `key` is `value`.
pub fn entry<'a>(list: &'a serde_json::Value, key: &str, value: &str) -> &'a serde_json::Value {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .find(|e| e[key] == value)
        .unwrap_or_else(|| panic!("an entry with {key} {value:?}"))
}
