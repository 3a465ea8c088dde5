//! What labbook keeps between runs, in the user's data directory
//! (`$XDG_DATA_HOME/labbook`, or `LABBOOK_DATA_DIR` when set), and the one
//! way it writes files: atomically (temporary file, fsync, rename), so a
//! crash never leaves a half-written file behind.
//!
//! A file that cannot be read, or comes from a newer labbook, is moved aside
//! with a message, never silently discarded.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// The directory labbook keeps its files in.
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("LABBOOK_DATA_DIR") {
        return PathBuf::from(dir);
    }
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("labbook")
}

/// Writes `bytes` to `path` atomically: a reader sees the old file or the new one, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_then(path, bytes, || {})
}

/// [`write_atomic`], calling `before_rename` once the temporary file is
/// written and synced; tests use it to crash at the worst moment.
pub fn write_atomic_then(
    path: &Path,
    bytes: &[u8],
    before_rename: impl FnOnce(),
) -> std::io::Result<()> {
    write_via_temp(path, bytes, false, before_rename)
}

/// [`write_atomic`], the file readable by the user only (0600 on Unix):
/// reports and snapshots of a class describe other people's accounts.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_via_temp(path, bytes, true, || {})
}

/// Writes a temporary file beside `path` (user-only when `private`),
/// syncs it, then renames it over `path` and syncs the directory.
fn write_via_temp(
    path: &Path,
    bytes: &[u8],
    private: bool,
    before_rename: impl FnOnce(),
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    {
        let mut f = opts.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    before_rename();
    std::fs::rename(&tmp, path)?;
    // Make the rename itself durable.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// A versioned JSON file. Loading returns the default plus a message when
/// the file had to be moved aside.
pub fn load_versioned<T>(path: &Path, current_version: u32) -> (T, Option<String>)
where
    T: DeserializeOwned + Default,
{
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (T::default(), None),
        Err(e) => {
            return (
                T::default(),
                Some(format!("{}: could not be read ({e})", path.display())),
            );
        }
    };
    #[derive(Deserialize)]
    struct Version {
        format_version: Option<u32>,
    }
    let problem = match serde_json::from_slice::<Version>(&bytes) {
        Ok(Version {
            format_version: Some(v),
        }) if v > current_version => {
            format!("written by a newer labbook (format {v}, this one reads {current_version})")
        }
        Ok(_) => match serde_json::from_slice::<T>(&bytes) {
            Ok(value) => return (value, None),
            Err(e) => format!("is not valid ({e})"),
        },
        Err(e) => format!("is corrupt ({e})"),
    };
    let aside = move_aside(path);
    let msg = match aside {
        Ok(to) => format!(
            "{} {problem}; moved to {} and starting fresh",
            path.display(),
            to.display()
        ),
        Err(e) => format!(
            "{} {problem}; could not move it aside ({e}), so it will be left alone",
            path.display()
        ),
    };
    (T::default(), Some(msg))
}

fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let to = path.with_extension(format!("json.bad-{stamp}"));
    std::fs::rename(path, &to)?;
    Ok(to)
}

/// Where the reader was in each chapter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReaderState {
    pub format_version: u32,
    /// `course title / chapter id` -> heading anchor and line offset within it.
    pub positions: BTreeMap<String, Position>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// The top line of the view; kept as a fallback when the anchor is gone.
    pub line: usize,
    /// The anchor of the section the view was in, so a position survives a
    /// different terminal width.
    pub anchor: Option<String>,
    /// Lines below that anchor (at the width it was saved with).
    pub offset: usize,
}

impl ReaderState {
    pub const VERSION: u32 = 1;
    const FILE: &'static str = "reader.json";

    pub fn path() -> PathBuf {
        data_dir().join(Self::FILE)
    }

    pub fn load() -> (ReaderState, Option<String>) {
        let (mut s, msg) = load_versioned::<ReaderState>(&Self::path(), Self::VERSION);
        s.format_version = Self::VERSION;
        (s, msg)
    }

    pub fn save(&self) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        write_atomic(&Self::path(), &json)
    }

    pub fn key(course: &str, chapter: &str) -> String {
        format!("{course} / {chapter}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupt_file_is_moved_aside_with_a_message() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("reader.json");
        std::fs::write(&p, b"{ not json").expect("write");
        let (s, msg) = load_versioned::<ReaderState>(&p, 1);
        assert_eq!(s, ReaderState::default());
        let msg = msg.expect("a message");
        assert!(msg.contains("corrupt") && msg.contains("moved to"), "{msg}");
        assert!(!p.exists());
        let moved: Vec<_> = std::fs::read_dir(dir.path()).expect("ls").collect();
        assert_eq!(moved.len(), 1);
    }

    #[test]
    fn newer_format_is_not_overwritten_silently() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("reader.json");
        std::fs::write(&p, br#"{"format_version": 9, "positions": {}}"#).expect("write");
        let (_, msg) = load_versioned::<ReaderState>(&p, 1);
        assert!(msg.is_some_and(|m| m.contains("newer labbook")));
    }

    #[test]
    fn atomic_write_replaces_content() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("sub/x.json");
        write_atomic(&p, b"one").expect("write");
        write_atomic(&p, b"two").expect("write");
        assert_eq!(std::fs::read(&p).expect("read"), b"two");
        assert_eq!(
            std::fs::read_dir(p.parent().expect("dir"))
                .expect("ls")
                .count(),
            1
        );
    }
}
