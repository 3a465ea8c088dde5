//! The TUI (in progress).
pub fn run(_content: Option<&std::path::Path>) -> anyhow::Result<i32> {
    Ok(0)
}
