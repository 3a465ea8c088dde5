//! `--format json`: `{"account", "time", "results": [...]}`, one object per
//! step (`lab`, `step`, `outcome`, `message`, `evidence`, `advice`). Tools
//! and the class export read exactly these objects.

use super::Report;

pub fn write(report: &Report) -> Result<String, serde_json::Error> {
    Ok(format!("{}\n", serde_json::to_string_pretty(report)?))
}
