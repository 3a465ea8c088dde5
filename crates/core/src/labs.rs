//! Lab definitions: `labs/*.yaml` parsed into [`Lab`]s and validated.
//!
//! Owns the lab file format, its validation (unknown fields and check kinds
//! with file, line, column and a "did you mean", duplicate ids, section
//! anchors that must exist in the course's chapters) and the JSON Schema
//! generated from the same check registry. One broken file never stops the
//! others: it becomes a [`LabEntry`] without a lab, carrying its errors.
//!
//! Depends on [`crate::checks`] (kinds and parameters), [`crate::course`]
//! (the files) and [`crate::markdown`] (heading anchors); knows nothing about
//! facts, AWS, progress or the UI.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

use crate::checks::{self, Check, ParamDefault, ParamValue, Params};
use crate::course::{Course, SourceFile};
use crate::suggest::suggest;
use crate::yaml::{self, Locator, is_id, with_suggestion};

/// A problem in a lab file, located.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabError {
    /// The file is not a lab: YAML syntax, an unknown field or check kind, a wrong type.
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The file parses but breaks a rule (duplicate id, unknown section, ...).
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

impl LabError {
    /// Whether the lab can still be run (a missing section anchor does not stop checks).
    fn is_fatal(&self) -> bool {
        match self {
            LabError::Syntax { .. } => true,
            LabError::Invalid { message, .. } => !message.starts_with(SECTION_PROBLEM),
        }
    }
}

const SECTION_PROBLEM: &str = "section";

/// One lab, ready to run.
#[derive(Debug, Clone)]
pub struct Lab {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub steps: Vec<Step>,
    /// The file it came from, for messages.
    pub path: String,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub id: String,
    pub title: String,
    /// Markdown.
    pub instructions: String,
    /// Revealed one at a time.
    pub hints: Vec<String>,
    /// The chapter heading anchor that teaches this step.
    pub section: String,
    /// Terraform resource types a learner would use.
    pub terraform: Vec<String>,
    /// Worth doing, but not a failure of the lab when it fails.
    pub advice: bool,
    pub action: Action,
}

#[derive(Debug, Clone)]
pub enum Action {
    Check {
        check: &'static Check,
        params: Params,
    },
    Manual,
}

impl Step {
    /// The check kind, or `None` for manual steps.
    pub fn kind(&self) -> Option<&'static str> {
        match &self.action {
            Action::Check { check, .. } => Some(check.meta.kind),
            Action::Manual => None,
        }
    }
}

/// A lab file as loaded: the lab when it is usable, and every problem found.
#[derive(Debug, Clone)]
pub struct LabEntry {
    pub path: String,
    /// The lab's id, or the file stem when the file did not parse.
    pub id: String,
    pub lab: Option<Lab>,
    pub problems: Vec<LabError>,
}

/// Every lab of a course, broken ones included.
#[derive(Debug, Clone, Default)]
pub struct Labs {
    pub entries: Vec<LabEntry>,
}

impl Labs {
    /// Parses and validates the course's lab files against its chapters' anchors.
    pub fn load(course: &Course) -> Labs {
        // The chapters' anchors in teaching order (each chapter rendered once).
        let order: Vec<String> = course
            .chapters
            .iter()
            .flat_map(|c| crate::markdown::heading_anchors(&c.source.text))
            .collect();
        let anchors: BTreeSet<String> = order.iter().cloned().collect();
        let anchors = (!course.chapters.is_empty()).then_some(anchors);
        let mut labs = Labs::from_sources(&course.labs, anchors.as_ref());
        // Labs in the order the chapters teach them; file order otherwise.
        labs.entries.sort_by_key(|e| {
            e.lab
                .as_ref()
                .and_then(|l| l.steps.first())
                .and_then(|s| order.iter().position(|a| *a == s.section))
                .unwrap_or(usize::MAX)
        });
        labs
    }

    /// Parses and validates lab files; `anchors` is `None` when the course
    /// has no chapters (then one problem says so instead of one per step).
    pub fn from_sources(files: &[SourceFile], anchors: Option<&BTreeSet<String>>) -> Labs {
        let mut entries: Vec<LabEntry> = files.iter().map(|f| parse_file(f, anchors)).collect();
        let mut seen = BTreeMap::<String, String>::new();
        for e in &mut entries {
            if e.lab.is_none() {
                continue;
            }
            if let Some(first) = seen.get(&e.id) {
                let file = files.iter().find(|f| f.path == e.path);
                let (line, column) = file
                    .map(|f| Locator::new(&f.text).find("id", &e.id, 0))
                    .unwrap_or((1, 1));
                e.problems.push(LabError::Invalid {
                    path: e.path.clone(),
                    line,
                    column,
                    message: format!("duplicate lab id `{}`: {first} already defines it", e.id),
                });
                e.lab = None;
            } else {
                seen.insert(e.id.clone(), e.path.clone());
            }
        }
        if anchors.is_none() && entries.iter().any(|e| e.lab.is_some()) {
            let path = entries.first().map(|e| e.path.clone()).unwrap_or_default();
            if let Some(first) = entries.first_mut() {
                first.problems.push(LabError::Invalid {
                    path,
                    line: 1,
                    column: 1,
                    message: format!(
                        "{SECTION_PROBLEM} anchors cannot be checked: the course has no chapters"
                    ),
                });
            }
        }
        Labs { entries }
    }

    /// The labs that can run, in file order.
    pub fn labs(&self) -> impl Iterator<Item = &Lab> {
        self.entries.iter().filter_map(|e| e.lab.as_ref())
    }

    pub fn problems(&self) -> impl Iterator<Item = &LabError> {
        self.entries.iter().flat_map(|e| &e.problems)
    }

    pub fn find(&self, lab: &str) -> Option<&LabEntry> {
        self.entries.iter().find(|e| e.id == lab)
    }

    /// The content self-test a course author runs with `labbook validate`
    /// (the embedded course's unit tests run the same): every step has
    /// instructions, and no automated step passes on an empty
    /// account (a check that does proves nothing). One sentence per problem,
    /// naming `lab/step`.
    pub fn self_test(&self) -> Vec<String> {
        let empty = crate::facts::Facts::empty_account("000000000000");
        let mut problems = Vec::new();
        for lab in self.labs() {
            for step in &lab.steps {
                let id = format!("{}/{}", lab.id, step.id);
                if step.instructions.trim().is_empty() {
                    problems.push(format!("{id}: the step has no instructions"));
                }
                if let Action::Check { check, params } = &step.action {
                    let o = check.run(&empty, params);
                    if !matches!(o.status, checks::Status::Fail | checks::Status::Unknown) {
                        problems.push(format!(
                            "{id}: check `{}` gives {} on an empty account; it must fail there",
                            check.meta.kind,
                            o.status.as_str()
                        ));
                    }
                }
            }
        }
        problems
    }

    pub fn step_count(&self) -> usize {
        self.labs().map(|l| l.steps.len()).sum()
    }
}

// ---------------------------------------------------------------- the file format

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLab {
    id: String,
    title: String,
    summary: String,
    steps: Vec<RawStep>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    id: String,
    title: String,
    instructions: String,
    #[serde(default)]
    hints: Vec<String>,
    section: String,
    #[serde(default)]
    terraform: Vec<String>,
    #[serde(default)]
    advice: bool,
    #[serde(default)]
    check: Option<RawCheck>,
    #[serde(default)]
    manual: bool,
}

/// `check: {kind: ..., param: value, ...}`: the kind is looked up and the
/// parameters checked while parsing, so errors carry a location.
#[derive(Debug)]
struct RawCheck {
    check: &'static Check,
    params: Params,
}

impl<'de> Deserialize<'de> for RawCheck {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawCheck;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a check: a map with `kind` and the kind's parameters")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawCheck, A::Error> {
                let mut check: Option<&'static Check> = None;
                let mut given = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "kind" {
                        let kind: String = map.next_value()?;
                        check = Some(find_kind(&kind).map_err(de::Error::custom)?);
                        continue;
                    }
                    let value: ParamValue = map.next_value().map_err(|_| {
                        de::Error::custom(format!(
                            "parameter `{key}` must be a string or a list of strings"
                        ))
                    })?;
                    // Typical files name the kind first: check each parameter where it stands.
                    if let Some(c) = check
                        && !c.meta.params.iter().any(|p| p.name == key)
                    {
                        return Err(de::Error::custom(checks::unknown_param_message(
                            c.meta, &key,
                        )));
                    }
                    given.insert(key, value);
                }
                let Some(check) = check else {
                    return Err(de::Error::custom(format!(
                        "a check needs a `kind`, one of {}",
                        checks::backticked(&kinds())
                    )));
                };
                let params = Params::resolve(check.meta, given).map_err(de::Error::custom)?;
                Ok(RawCheck { check, params })
            }
        }
        d.deserialize_map(V)
    }
}

fn kinds() -> Vec<&'static str> {
    checks::ALL.iter().map(|c| c.meta.kind).collect()
}

fn find_kind(kind: &str) -> Result<&'static Check, String> {
    checks::find(kind).ok_or_else(|| {
        let mut msg = format!("unknown check kind `{kind}`");
        match suggest(kind, &kinds()) {
            Some(s) => msg.push_str(&format!("; did you mean `{s}`?")),
            None => msg.push_str(" (see assets/schema/lab.schema.json for the list)"),
        }
        msg
    })
}

fn parse_file(file: &SourceFile, anchors: Option<&BTreeSet<String>>) -> LabEntry {
    let stem = std::path::Path::new(&file.path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let raw: RawLab = match serde_norway::from_str(&file.text) {
        Ok(raw) => raw,
        Err(e) => {
            let (line, column, text) = yaml::syntax_error(&e);
            return LabEntry {
                path: file.path.clone(),
                id: stem,
                lab: None,
                problems: vec![LabError::Syntax {
                    path: file.path.clone(),
                    line,
                    column,
                    message: with_suggestion(text),
                }],
            };
        }
    };
    let locator = Locator::new(&file.text);
    let mut problems = Vec::new();
    let mut invalid = |key: &str, value: &str, nth: usize, message: String| {
        let (line, column) = locator.find(key, value, nth);
        problems.push(LabError::Invalid {
            path: file.path.clone(),
            line,
            column,
            message,
        });
    };
    if !is_id(&raw.id) {
        invalid(
            "id",
            &raw.id,
            0,
            format!(
                "lab id `{}` must be lower-case letters, digits and dashes",
                raw.id
            ),
        );
    }
    if raw.steps.is_empty() {
        invalid("steps", "", 0, format!("lab `{}` has no steps", raw.id));
    }
    let mut ids_seen = BTreeMap::<&str, usize>::new();
    let mut section_seen = BTreeMap::<&str, usize>::new();
    let mut steps = Vec::new();
    for s in &raw.steps {
        // How many earlier `id:` lines carry this value (the lab's own id included).
        let nth_id =
            ids_seen.get(s.id.as_str()).copied().unwrap_or(0) + usize::from(s.id == raw.id);
        *ids_seen.entry(&s.id).or_default() += 1;
        if ids_seen[s.id.as_str()] > 1 {
            invalid(
                "id",
                &s.id,
                nth_id,
                format!("duplicate step id `{}` in lab `{}`", s.id, raw.id),
            );
        }
        if !is_id(&s.id) {
            invalid(
                "id",
                &s.id,
                nth_id,
                format!(
                    "step id `{}` must be lower-case letters, digits and dashes",
                    s.id
                ),
            );
        }
        let nth_section = section_seen.get(s.section.as_str()).copied().unwrap_or(0);
        *section_seen.entry(&s.section).or_default() += 1;
        if let Some(anchors) = anchors
            && !anchors.contains(&s.section)
        {
            let names: Vec<&str> = anchors.iter().map(String::as_str).collect();
            let mut msg = format!(
                "{SECTION_PROBLEM} `{}` of step `{}` is not a heading anchor in the course's chapters",
                s.section, s.id
            );
            if let Some(sug) = suggest(&s.section, &names) {
                msg.push_str(&format!("; did you mean `{sug}`?"));
            }
            invalid("section", &s.section, nth_section, msg);
        }
        for t in &s.terraform {
            if !(t.starts_with("aws_")
                && t.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            {
                invalid(
                    "terraform",
                    "",
                    0,
                    format!(
                        "terraform entry `{t}` of step `{}` is not a resource type like `aws_kms_key`",
                        s.id
                    ),
                );
            }
        }
        let action = match (&s.check, s.manual) {
            (Some(c), false) => Some(Action::Check {
                check: c.check,
                params: c.params.clone(),
            }),
            (None, true) => Some(Action::Manual),
            (Some(_), true) => {
                invalid(
                    "id",
                    &s.id,
                    nth_id,
                    format!(
                        "step `{}` has both `check` and `manual: true`; keep one",
                        s.id
                    ),
                );
                None
            }
            (None, false) => {
                invalid(
                    "id",
                    &s.id,
                    nth_id,
                    format!("step `{}` needs a `check` or `manual: true`", s.id),
                );
                None
            }
        };
        if let Some(action) = action {
            steps.push(Step {
                id: s.id.clone(),
                title: s.title.clone(),
                instructions: s.instructions.clone(),
                hints: s.hints.clone(),
                section: s.section.clone(),
                terraform: s.terraform.clone(),
                advice: s.advice,
                action,
            });
        }
    }
    let fatal = problems.iter().any(LabError::is_fatal);
    LabEntry {
        path: file.path.clone(),
        id: raw.id.clone(),
        lab: (!fatal).then(|| Lab {
            id: raw.id,
            title: raw.title,
            summary: raw.summary,
            steps,
            path: file.path.clone(),
        }),
        problems,
    }
}

// ---------------------------------------------------------------- JSON Schema

/// The JSON Schema of a lab file, generated from the check registry so the
/// two cannot drift (`assets/schema/lab.schema.json` is this, pretty-printed).
pub fn json_schema() -> serde_json::Value {
    use serde_json::json;
    let id_pattern = "^[a-z0-9][a-z0-9-]*$";
    let checks: Vec<serde_json::Value> = checks::ALL
        .iter()
        .map(|c| {
            let mut props = serde_json::Map::new();
            props.insert(
                "kind".into(),
                json!({"const": c.meta.kind, "description": c.meta.title}),
            );
            for p in c.meta.params {
                let schema = match &p.default {
                    ParamDefault::Str(d) => {
                        json!({"type": "string", "description": p.doc, "default": d})
                    }
                    ParamDefault::List(d) => json!({
                        "type": ["array", "string"],
                        "items": {"type": "string"},
                        "description": p.doc,
                        "default": d,
                    }),
                };
                props.insert(p.name.into(), schema);
            }
            json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["kind"],
                "properties": props,
            })
        })
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "labbook lab file",
        "description": "One hands-on lab: its steps, their instructions and hints, and how each is checked.",
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "title", "summary", "steps"],
        "properties": {
            "id": {"type": "string", "pattern": id_pattern},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "steps": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/step"}},
        },
        "$defs": {
            "step": {
                "type": "object",
                "additionalProperties": false,
                "required": ["id", "title", "instructions", "section"],
                "properties": {
                    "id": {"type": "string", "pattern": id_pattern},
                    "title": {"type": "string"},
                    "instructions": {"type": "string", "description": "Markdown"},
                    "hints": {"type": "array", "items": {"type": "string"}, "description": "Revealed one at a time"},
                    "section": {"type": "string", "description": "A heading anchor in the course's chapters"},
                    "terraform": {"type": "array", "items": {"type": "string", "pattern": "^aws_[a-z0-9_]+$"}},
                    "advice": {"type": "boolean", "default": false},
                    "check": {"$ref": "#/$defs/check"},
                    "manual": {"type": "boolean", "default": false},
                },
                "oneOf": [
                    {"required": ["check"], "not": {"properties": {"manual": {"const": true}}, "required": ["manual"]}},
                    {"required": ["manual"], "properties": {"manual": {"const": true}}, "not": {"required": ["check"]}},
                ],
            },
            "check": {"oneOf": checks},
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: "labs/t.yaml".into(),
            text: text.into(),
        }
    }

    fn anchors(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    const GOOD: &str = "id: t\ntitle: T\nsummary: S\nsteps:\n  - id: a\n    title: A\n    instructions: Do it.\n    section: here\n    check:\n      kind: root-mfa\n  - id: b\n    title: B\n    instructions: Do it.\n    section: here\n    manual: true\n";

    #[test]
    fn a_good_lab_parses_with_defaults_filled() {
        let labs = Labs::from_sources(&[file(GOOD)], Some(&anchors(&["here"])));
        assert_eq!(
            labs.problems().count(),
            0,
            "{:?}",
            labs.problems().collect::<Vec<_>>()
        );
        let lab = labs.labs().next().expect("lab");
        assert_eq!(lab.steps.len(), 2);
        assert_eq!(lab.steps[0].kind(), Some("root-mfa"));
        assert!(matches!(lab.steps[1].action, Action::Manual));
    }

    #[test]
    fn one_broken_file_does_not_stop_the_others() {
        let broken = SourceFile {
            path: "labs/broken.yaml".into(),
            text: "id: [".into(),
        };
        let labs = Labs::from_sources(&[broken, file(GOOD)], Some(&anchors(&["here"])));
        assert_eq!(labs.entries.len(), 2);
        assert!(labs.entries[0].lab.is_none());
        assert_eq!(labs.entries[0].id, "broken");
        assert!(labs.entries[1].lab.is_some());
    }

    #[test]
    fn a_missing_section_is_reported_but_the_lab_still_runs() {
        let labs = Labs::from_sources(&[file(GOOD)], Some(&anchors(&["heres"])));
        let problems: Vec<String> = labs.problems().map(|p| p.to_string()).collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].starts_with("labs/t.yaml:8:5: section `here`"),
            "{problems:?}"
        );
        assert!(problems[1].starts_with("labs/t.yaml:14:5:"), "{problems:?}");
        assert!(problems[0].contains("did you mean `heres`"));
        assert!(labs.labs().next().is_some());
    }

    #[test]
    fn a_course_without_chapters_gives_one_problem_not_one_per_step() {
        let labs = Labs::from_sources(&[file(GOOD)], None);
        let problems: Vec<String> = labs.problems().map(|p| p.to_string()).collect();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("no chapters"));
    }

    #[test]
    fn duplicate_lab_ids_across_files_break_the_second() {
        let second = SourceFile {
            path: "labs/u.yaml".into(),
            text: GOOD.into(),
        };
        let labs = Labs::from_sources(&[file(GOOD), second], Some(&anchors(&["here"])));
        assert!(labs.entries[0].lab.is_some());
        assert!(labs.entries[1].lab.is_none());
        assert!(
            labs.entries[1].problems[0]
                .to_string()
                .contains("labs/t.yaml already defines it")
        );
    }

    #[test]
    fn the_published_schema_is_generated_from_the_registry() {
        crate::yaml::testing::assert_published_schema(
            "lab.schema.json",
            &json_schema(),
            "published_schema",
        );
    }

    #[test]
    fn the_schema_lists_every_kind_and_its_parameters() {
        let schema = json_schema();
        let kinds = schema["$defs"]["check"]["oneOf"].as_array().expect("array");
        assert_eq!(kinds.len(), checks::ALL.len());
        for (k, c) in kinds.iter().zip(checks::ALL) {
            assert_eq!(k["properties"]["kind"]["const"], c.meta.kind);
            for p in c.meta.params {
                assert!(
                    k["properties"].get(p.name).is_some(),
                    "{}.{}",
                    c.meta.kind,
                    p.name
                );
            }
        }
    }

    /// The lab and step ids of LABS.md, the product spec.
    const SPEC: &[(&str, &[&str])] = &[
        (
            "cognito",
            &["pool", "mfa", "client", "domain", "oauth", "signup"],
        ),
        ("guardduty", &["delegated-admin", "detector", "auto-enable"]),
        ("iam-cost-explorer", &["policy", "user", "no-admin"]),
        (
            "identity-center",
            &[
                "instance",
                "admin-set",
                "ccc-set",
                "dev-set",
                "groups",
                "assignments",
            ],
        ),
        ("kms-key", &["key", "rotation", "round-trip"]),
        ("org", &["exists", "structure"]),
        (
            "org-trail",
            &[
                "trail",
                "coverage",
                "validation",
                "logging",
                "bucket-elsewhere",
                "insights",
            ],
        ),
        (
            "root-user",
            &["mfa", "no-access-keys", "email-alias", "recovery-tested"],
        ),
        (
            "scp-regions",
            &["policy-type", "policy", "attached", "full-access-kept"],
        ),
        (
            "security-baseline",
            &[
                "security-hub",
                "macie",
                "detective",
                "artifact",
                "audit-manager",
            ],
        ),
    ];

    /// The shipped labs, validated against the shipped chapter's anchors.
    fn shipped() -> Labs {
        Labs::load(&Course::embedded())
    }

    #[test]
    fn shipped_labs_have_exactly_the_step_ids_of_the_spec() {
        let labs = shipped();
        let mut got: Vec<(String, Vec<String>)> = labs
            .labs()
            .map(|l| (l.id.clone(), l.steps.iter().map(|s| s.id.clone()).collect()))
            .collect();
        got.sort();
        let want: Vec<(String, Vec<String>)> = SPEC
            .iter()
            .map(|(l, s)| (l.to_string(), s.iter().map(|x| x.to_string()).collect()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn shipped_labs_validate_against_the_chapter_anchors() {
        let labs = shipped();
        let problems: Vec<String> = labs.problems().map(|p| p.to_string()).collect();
        assert!(problems.is_empty(), "{problems:#?}");
        assert_eq!(labs.self_test(), Vec::<String>::new());
        for lab in labs.labs() {
            for step in &lab.steps {
                assert!(!step.hints.is_empty(), "{}/{} has no hint", lab.id, step.id);
            }
        }
    }

    #[test]
    fn the_self_test_names_a_step_without_instructions() {
        let text = "id: t\ntitle: T\nsummary: S\nsteps:\n  - id: bare\n    title: A\n    instructions: \" \"\n    section: s\n    check:\n      kind: root-mfa\n";
        let labs = Labs::from_sources(
            &[SourceFile {
                path: "labs/t.yaml".into(),
                text: text.into(),
            }],
            Some(&["s".to_string()].into_iter().collect()),
        );
        assert_eq!(labs.self_test(), ["t/bare: the step has no instructions"]);
    }

    #[test]
    fn shipped_labs_validate_against_the_embedded_course() {
        let course = Course::embedded();
        let labs = Labs::load(&course);
        let problems: Vec<String> = labs.problems().map(|p| p.to_string()).collect();
        if course.chapters.is_empty() {
            // The chapter lives on another branch until it is merged.
            assert_eq!(problems.len(), 1, "{problems:#?}");
            assert!(problems[0].contains("the course has no chapters"));
        } else {
            assert!(problems.is_empty(), "{problems:#?}");
        }
    }

    #[test]
    fn manual_and_advice_steps_are_the_ones_the_spec_names() {
        let labs = shipped();
        let mut manual = Vec::new();
        let mut advice = Vec::new();
        for lab in labs.labs() {
            for s in &lab.steps {
                let id = format!("{}/{}", lab.id, s.id);
                if matches!(s.action, Action::Manual) {
                    manual.push(id.clone());
                }
                if s.advice {
                    advice.push(id);
                }
            }
        }
        manual.sort();
        advice.sort();
        assert_eq!(
            manual,
            [
                "kms-key/round-trip",
                "root-user/email-alias",
                "root-user/recovery-tested",
                "security-baseline/artifact"
            ]
        );
        assert_eq!(
            advice,
            [
                "iam-cost-explorer/no-admin",
                "org-trail/insights",
                "security-baseline/audit-manager"
            ]
        );
    }

    /// rustlings' `dev check`: every automated step passes on a solved
    /// account and nothing passes on an empty one.
    #[test]
    fn every_automated_step_passes_on_the_finished_demo() {
        let facts = crate::facts::demo::finished();
        let mut failures = Vec::new();
        for lab in shipped().labs() {
            for s in &lab.steps {
                if let Action::Check { check, params } = &s.action {
                    let o = check.run(&facts, params);
                    if o.status != checks::Status::Pass {
                        failures.push(format!("{}/{}: {:?} {}", lab.id, s.id, o.status, o.message));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn every_step_fails_or_is_unknown_on_an_empty_account() {
        let facts = crate::facts::Facts::empty_account("123456789012");
        for lab in shipped().labs() {
            for s in &lab.steps {
                if let Action::Check { check, params } = &s.action {
                    let o = check.run(&facts, params);
                    assert!(
                        matches!(o.status, checks::Status::Fail | checks::Status::Unknown),
                        "{}/{} {:?}: {}",
                        lab.id,
                        s.id,
                        o.status,
                        o.message
                    );
                }
            }
        }
    }
}
