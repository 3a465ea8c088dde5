//! A course: its title, its chapters in order and its lab files, loaded
//! either from the copy embedded in the binary or from a directory laid out
//! like the repository (`content/course.yaml`, `content/*.md`, `labs/*.yaml`).
//!
//! Loading never stops at the first problem: a missing chapter or an
//! undecodable file becomes a warning and the rest of the course loads.
//! This module knows nothing about rendering or checking.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use serde::Deserialize;

use crate::encoding;

static EMBEDDED_CONTENT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../content");
static EMBEDDED_LABS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../labs");

/// A text file of the course, decoded, with the path to show in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// `labs/org.yaml` for embedded files, the real path for a directory.
    pub path: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    /// The file stem, e.g. `03-identity-access-security`.
    pub id: String,
    /// The first `#` heading, or the id when there is none.
    pub title: String,
    pub source: SourceFile,
}

#[derive(Debug, Clone)]
pub struct Course {
    pub title: String,
    pub chapters: Vec<Chapter>,
    /// Lab definitions, sorted by path; parsed by the labs module.
    pub labs: Vec<SourceFile>,
    /// One line each: repaired encodings, missing chapters, ...
    pub warnings: Vec<String>,
    /// Where the course came from, for messages and state keys.
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Embedded,
    Directory(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error(
        "{dir}: not a course directory (expected {dir}/content/course.yaml and {dir}/labs/)",
        dir = .dir.display()
    )]
    NotACourse { dir: PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Manifest {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    title: String,
    chapters: Vec<ManifestChapter>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestChapter {
    file: String,
}

/// A read-only view of files, so the embedded and on-disk courses load through one path.
trait Files {
    fn read(&self, rel: &str) -> Option<Result<Vec<u8>, std::io::Error>>;
    fn labs(&self) -> Vec<(String, Vec<u8>)>;
    fn display(&self, rel: &str) -> String;
}

struct EmbeddedFiles;

impl Files for EmbeddedFiles {
    fn read(&self, rel: &str) -> Option<Result<Vec<u8>, std::io::Error>> {
        let inner = rel.strip_prefix("content/")?;
        EMBEDDED_CONTENT
            .get_file(inner)
            .map(|f| Ok(f.contents().to_vec()))
    }
    fn labs(&self) -> Vec<(String, Vec<u8>)> {
        EMBEDDED_LABS
            .files()
            .filter(|f| is_yaml(f.path()))
            .map(|f| {
                (
                    format!("labs/{}", f.path().display()),
                    f.contents().to_vec(),
                )
            })
            .collect()
    }
    fn display(&self, rel: &str) -> String {
        rel.to_string()
    }
}

struct DirFiles(PathBuf);

impl Files for DirFiles {
    fn read(&self, rel: &str) -> Option<Result<Vec<u8>, std::io::Error>> {
        let path = self.0.join(rel);
        match std::fs::read(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            other => Some(other),
        }
    }
    fn labs(&self) -> Vec<(String, Vec<u8>)> {
        let Ok(entries) = std::fs::read_dir(self.0.join("labs")) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| is_yaml(p))
            .map(|p| {
                let bytes = std::fs::read(&p).unwrap_or_default();
                (p.display().to_string(), bytes)
            })
            .collect()
    }
    fn display(&self, rel: &str) -> String {
        self.0.join(rel).display().to_string()
    }
}

fn is_yaml(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

impl Course {
    /// The course shipped inside the binary.
    pub fn embedded() -> Course {
        // The embedded manifest is checked by tests, so this cannot fail in a release.
        match load(&EmbeddedFiles, Origin::Embedded) {
            Ok(course) => course,
            // The labs do not depend on the manifest: keep them usable.
            Err(e) => {
                let mut warnings = vec![format!("the embedded course is broken: {e}")];
                let labs = load_labs(&EmbeddedFiles, &mut warnings);
                Course {
                    title: "labbook".to_string(),
                    chapters: Vec::new(),
                    labs,
                    warnings,
                    origin: Origin::Embedded,
                }
            }
        }
    }

    /// A course directory laid out like the repository.
    pub fn from_dir(dir: &Path) -> Result<Course, ContentError> {
        if !dir.join("content/course.yaml").is_file() {
            return Err(ContentError::NotACourse {
                dir: dir.to_path_buf(),
            });
        }
        load(
            &DirFiles(dir.to_path_buf()),
            Origin::Directory(dir.to_path_buf()),
        )
    }

    /// `--content DIR` if given, else the embedded course.
    pub fn load(dir: Option<&Path>) -> Result<Course, ContentError> {
        match dir {
            Some(d) => Course::from_dir(d),
            None => Ok(Course::embedded()),
        }
    }

    /// Finds a chapter by 1-based number, id, or a case-insensitive part of its title.
    pub fn find_chapter(&self, query: &str) -> Option<usize> {
        // "3" also finds "3. Identity ..." when chapters are numbered in their titles.
        if let Ok(n) = query.parse::<usize>()
            && (1..=self.chapters.len()).contains(&n)
        {
            return Some(n - 1);
        }
        let q = query.to_lowercase();
        self.chapters
            .iter()
            .position(|c| c.id == query)
            .or_else(|| {
                self.chapters.iter().position(|c| {
                    let t = c.title.to_lowercase();
                    t.starts_with(&format!("{q}.")) || t.starts_with(&format!("{q} "))
                })
            })
            .or_else(|| {
                self.chapters
                    .iter()
                    .position(|c| c.title.to_lowercase().contains(&q) || c.id.contains(&q))
            })
    }
}

/// Reads a standalone Markdown file (for `labbook read FILE.md`).
pub fn read_markdown_file(path: &Path) -> Result<(Chapter, Option<String>), ContentError> {
    let display = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| ContentError::Io {
        path: display.clone(),
        source,
    })?;
    let decoded = encoding::decode(&bytes);
    let warning = decoded.warning(&display);
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((chapter(id, display, decoded.text), warning))
}

fn chapter(id: String, path: String, text: String) -> Chapter {
    let title = first_heading(&text).unwrap_or_else(|| id.clone());
    Chapter {
        id,
        title,
        source: SourceFile { path, text },
    }
}

fn first_heading(text: &str) -> Option<String> {
    let mut in_fence = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if !in_fence && let Some(rest) = t.strip_prefix("# ") {
            return Some(strip_heading_attrs(rest).trim().to_string());
        }
    }
    None
}

/// Removes a trailing `{#id .class}` attribute block from a heading line.
fn strip_heading_attrs(s: &str) -> &str {
    let t = s.trim_end();
    if t.ends_with('}')
        && let Some(open) = t.rfind('{')
    {
        return &t[..open];
    }
    t
}

/// The lab files, decoded and sorted by path.
fn load_labs(files: &dyn Files, warnings: &mut Vec<String>) -> Vec<SourceFile> {
    let mut labs: Vec<SourceFile> = files
        .labs()
        .into_iter()
        .map(|(path, bytes)| {
            let decoded = encoding::decode(&bytes);
            warnings.extend(decoded.warning(&path));
            SourceFile {
                path,
                text: decoded.text,
            }
        })
        .collect();
    labs.sort_by(|a, b| a.path.cmp(&b.path));
    labs
}

fn load(files: &dyn Files, origin: Origin) -> Result<Course, ContentError> {
    let manifest_path = "content/course.yaml";
    let bytes = match files.read(manifest_path) {
        Some(Ok(b)) => b,
        Some(Err(source)) => {
            return Err(ContentError::Io {
                path: files.display(manifest_path),
                source,
            });
        }
        None => {
            return Err(ContentError::Io {
                path: files.display(manifest_path),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "file not found"),
            });
        }
    };
    let mut warnings = Vec::new();
    let decoded = encoding::decode(&bytes);
    warnings.extend(decoded.warning(&files.display(manifest_path)));
    let manifest: Manifest = serde_norway::from_str(&decoded.text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        ContentError::Manifest {
            path: files.display(manifest_path),
            line,
            column,
            message: e.to_string(),
        }
    })?;

    let mut chapters = Vec::new();
    for entry in &manifest.chapters {
        let rel = format!("content/{}", entry.file);
        let shown = files.display(&rel);
        match files.read(&rel) {
            Some(Ok(bytes)) => {
                let decoded = encoding::decode(&bytes);
                warnings.extend(decoded.warning(&shown));
                let id = Path::new(&entry.file)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| entry.file.clone());
                chapters.push(chapter(id, shown, decoded.text));
            }
            Some(Err(e)) => warnings.push(format!("{shown}: {e}; chapter skipped")),
            None => warnings.push(format!(
                "{}: lists chapter {}, which does not exist; chapter skipped",
                files.display(manifest_path),
                entry.file
            )),
        }
    }

    let labs = load_labs(files, &mut warnings);

    Ok(Course {
        title: manifest.title,
        chapters,
        labs,
        warnings,
        origin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_course_has_the_chapter_and_no_warnings() {
        let c = Course::embedded();
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        assert!(!c.chapters.is_empty());
        assert!(c.chapters[0].title.contains("Identity"));
    }

    #[test]
    fn finds_chapters_by_number_id_and_title() {
        let c = Course::embedded();
        assert_eq!(c.find_chapter("1"), Some(0));
        assert_eq!(c.find_chapter("3"), Some(0));
        assert_eq!(c.find_chapter("identity"), Some(0));
        assert_eq!(c.find_chapter("no such chapter"), None);
    }

    #[test]
    fn heading_attributes_are_not_part_of_the_title() {
        assert_eq!(
            first_heading("```\n# not this\n```\n# Real title {#top}\n").as_deref(),
            Some("Real title")
        );
    }
}
