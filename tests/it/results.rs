//! What the tests read from `labbook check --format json`, shared by the
//! snapshot tests and the live ones.

/// The `lab/step` id of one entry of the report's `results`.
pub fn step_id(result: &serde_json::Value) -> String {
    format!(
        "{}/{}",
        result["lab"].as_str().unwrap_or(""),
        result["step"].as_str().unwrap_or("")
    )
}
