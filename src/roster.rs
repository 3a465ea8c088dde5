//! The class roster: who is in a class and how the instructor reaches each
//! learner's AWS Organization. Read from YAML (the full shape) or CSV
//! (`name,account,role_arn` with a header row, for class lists kept in
//! spreadsheets; class-wide settings take their defaults).
//!
//! Owns parsing and validation only: every problem names the file, line and
//! column; a duplicate learner name or account is an error. Knows nothing
//! about AWS clients, checks or output (the class runner in
//! [`crate::class`] turns a learner into a facts source).

use std::path::Path;

use serde::Deserialize;

use crate::yaml::{self, Locator};

/// The role assumed in each learner's management account by default.
pub const DEFAULT_ROLE_NAME: &str = "LabbookInstructor";
/// The read-only role assumed from there in member accounts by default.
/// Never `OrganizationAccountAccessRole`: that is an administrator role.
pub const DEFAULT_MEMBER_ROLE: &str = "LabbookReadOnly";
/// The role session name by default: what the learner's CloudTrail shows.
pub const DEFAULT_SESSION_NAME: &str = "labbook-instructor";

#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error("cannot read the roster {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

/// A class: its learners and the class-wide way in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    /// The class's name; history is kept per class.
    pub class: String,
    /// Assumed in each learner's management account (unless a learner has a `role_arn`).
    pub role_name: String,
    /// Assumed from the management account into member accounts.
    pub member_role: String,
    /// The external id the learner's role trust policy requires.
    pub external_id: Option<String>,
    /// The role session name (shows in the learner's CloudTrail).
    pub session_name: String,
    pub learners: Vec<Learner>,
}

/// One learner: a name and their organization's management account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Learner {
    pub name: String,
    /// 12 digits.
    pub account: String,
    /// Overrides `arn:aws:iam::ACCOUNT:role/ROLE_NAME`.
    pub role_arn: Option<String>,
}

impl Roster {
    /// Reads a roster: CSV when the file ends in `.csv`, YAML otherwise.
    pub fn load(path: &Path) -> Result<Roster, RosterError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| RosterError::Io {
            path: shown.clone(),
            source,
        })?;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "class".to_string());
        let is_csv = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if is_csv {
            Roster::from_csv(&shown, &stem, &text)
        } else {
            Roster::from_yaml(&shown, &stem, &text)
        }
    }

    /// The role the instructor assumes in `learner`'s management account.
    pub fn role_arn(&self, learner: &Learner) -> String {
        learner
            .role_arn
            .clone()
            .unwrap_or_else(|| format!("arn:aws:iam::{}:role/{}", learner.account, self.role_name))
    }

    /// The learner of that name.
    pub fn learner(&self, name: &str) -> Option<&Learner> {
        self.learners.iter().find(|l| l.name == name)
    }

    /// Parses the YAML shape; `stem` names the class when `class:` is absent.
    pub fn from_yaml(path: &str, stem: &str, text: &str) -> Result<Roster, RosterError> {
        let invalid = |line, column, message: String| RosterError::Invalid {
            path: path.to_string(),
            line,
            column,
            message,
        };
        let raw: RawRoster = serde_norway::from_str(text).map_err(|e| {
            let (line, column, message) = yaml::syntax_error(&e);
            invalid(line, column, message)
        })?;
        let at = Locator::new(text);
        let setting =
            |value: Option<String>, default: &str| value.unwrap_or_else(|| default.to_string());
        let roster = Roster {
            class: setting(raw.class, stem),
            role_name: setting(raw.role_name, DEFAULT_ROLE_NAME),
            member_role: setting(raw.member_role, DEFAULT_MEMBER_ROLE),
            external_id: raw.external_id,
            session_name: setting(raw.session_name, DEFAULT_SESSION_NAME),
            learners: Vec::new(),
        };
        for (key, value) in [
            ("class", Some(&roster.class)),
            ("role_name", Some(&roster.role_name)),
            ("member_role", Some(&roster.member_role)),
            ("external_id", roster.external_id.as_ref()),
            ("session_name", Some(&roster.session_name)),
        ] {
            if let Some(value) = value
                && let Err(message) = check_setting(key, value)
            {
                let (line, column) = at.find(key, "", 0);
                return Err(invalid(line, column, message));
            }
        }
        let mut learners = Vec::new();
        for raw in raw.learners {
            let account = match raw.account {
                AccountId::Text(s) => s,
                AccountId::Number(n) => n.to_string(),
            };
            learners.push(Learner {
                name: raw.name,
                account,
                role_arn: raw.role_arn,
            });
        }
        let located = |field: &str, value: &str, nth: usize| at.find(field, value, nth);
        validate(path, roster, learners, &located)
    }

    /// Parses a CSV class list: a header row naming `name` and `account`
    /// (and optionally `role_arn`), in any order; class-wide settings take
    /// their defaults and the file's stem names the class.
    pub fn from_csv(path: &str, stem: &str, text: &str) -> Result<Roster, RosterError> {
        let invalid = |line, column, message: String| RosterError::Invalid {
            path: path.to_string(),
            line,
            column,
            message,
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let rows = csv_rows(text).map_err(|(line, column, m)| invalid(line, column, m))?;
        let mut rows = rows
            .into_iter()
            .filter(|r| !(r.len() == 1 && r[0].text.trim().is_empty()));
        let Some(header) = rows.next() else {
            return Err(invalid(
                1,
                1,
                "the roster is empty; the first row must be the header `name,account,role_arn`"
                    .to_string(),
            ));
        };
        let mut columns: [Option<usize>; 3] = [None; 3];
        for (i, cell) in header.iter().enumerate() {
            let name = cell.text.trim().to_ascii_lowercase();
            let slot = match name.as_str() {
                "name" => 0,
                "account" => 1,
                "role_arn" => 2,
                _ => {
                    let hint = crate::suggest::suggest(&name, &["name", "account", "role_arn"])
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_else(|| " (columns are: name, account, role_arn)".to_string());
                    return Err(invalid(
                        cell.line,
                        cell.column,
                        format!("unknown column `{}`{hint}", cell.text.trim()),
                    ));
                }
            };
            if columns[slot].is_some() {
                return Err(invalid(
                    cell.line,
                    cell.column,
                    format!("column `{name}` appears twice"),
                ));
            }
            columns[slot] = Some(i);
        }
        for (slot, name) in [(0, "name"), (1, "account")] {
            if columns[slot].is_none() {
                return Err(invalid(
                    header[0].line,
                    1,
                    format!(
                        "the header row has no `{name}` column; the first row must be `name,account,role_arn`"
                    ),
                ));
            }
        }
        let mut learners = Vec::new();
        let mut places: Vec<[(usize, usize); 3]> = Vec::new();
        for row in rows {
            let line = row[0].line;
            let cell = |slot: usize| columns[slot].and_then(|i| row.get(i));
            let mut place = [(line, 1); 3];
            let mut value = |slot: usize| -> String {
                match cell(slot) {
                    Some(c) => {
                        place[slot] = (c.line, c.column);
                        c.text.trim().to_string()
                    }
                    None => String::new(),
                }
            };
            let name = value(0);
            let account = value(1);
            let role_arn = value(2);
            if row.len() > header.len() {
                let extra = &row[header.len()];
                return Err(invalid(
                    extra.line,
                    extra.column,
                    format!(
                        "this row has {} fields but the header has {}",
                        row.len(),
                        header.len()
                    ),
                ));
            }
            learners.push(Learner {
                name,
                account,
                role_arn: (!role_arn.is_empty()).then_some(role_arn),
            });
            places.push(place);
        }
        let roster = Roster {
            class: stem.to_string(),
            role_name: DEFAULT_ROLE_NAME.to_string(),
            member_role: DEFAULT_MEMBER_ROLE.to_string(),
            external_id: None,
            session_name: DEFAULT_SESSION_NAME.to_string(),
            learners: Vec::new(),
        };
        // The nth learner whose field has this value is the row to point at.
        let located = |field: &str, value: &str, nth: usize| -> (usize, usize) {
            let slot = match field {
                "name" => 0,
                "account" => 1,
                _ => 2,
            };
            let mut seen = 0;
            for (l, p) in learners.iter().zip(&places) {
                let v = match slot {
                    0 => l.name.as_str(),
                    1 => l.account.as_str(),
                    _ => l.role_arn.as_deref().unwrap_or(""),
                };
                if v == value {
                    if seen == nth {
                        return p[slot];
                    }
                    seen += 1;
                }
            }
            (1, 1)
        };
        validate(path, roster, learners.clone(), &located)
    }
}

/// Checks the learners (names, accounts, role ARNs, duplicates) and puts
/// them in the roster; `located(field, value, nth)` finds the nth learner's
/// field with that value in the file.
fn validate(
    path: &str,
    mut roster: Roster,
    learners: Vec<Learner>,
    located: &dyn Fn(&str, &str, usize) -> (usize, usize),
) -> Result<Roster, RosterError> {
    let invalid = |(line, column): (usize, usize), message: String| RosterError::Invalid {
        path: path.to_string(),
        line,
        column,
        message,
    };
    if learners.is_empty() {
        return Err(invalid(
            located("learners", "", 0),
            "the roster has no learners".to_string(),
        ));
    }
    for l in &learners {
        let nth_name = roster.learners.iter().filter(|o| o.name == l.name).count();
        let nth_account = roster
            .learners
            .iter()
            .filter(|o| o.account == l.account)
            .count();
        if l.name.is_empty() {
            return Err(invalid(
                located("name", "", nth_name),
                "a learner has no name".to_string(),
            ));
        }
        if l.name.chars().any(char::is_control) {
            return Err(invalid(
                located("name", &l.name, nth_name),
                format!("learner name {:?} contains a control character", l.name),
            ));
        }
        if let Err(message) = check_account(&l.account) {
            return Err(invalid(
                located("account", &l.account, nth_account),
                format!("learner `{}`: {message}", l.name),
            ));
        }
        if let Some(first) = roster.learners.iter().find(|o| o.name == l.name) {
            let (line, _) = located("name", &first.name, 0);
            return Err(invalid(
                located("name", &l.name, nth_name),
                format!(
                    "learner `{}` is listed twice (first on line {line})",
                    l.name
                ),
            ));
        }
        if let Some(first) = roster.learners.iter().find(|o| o.account == l.account) {
            return Err(invalid(
                located("account", &l.account, nth_account),
                format!(
                    "account {} is listed twice (learners `{}` and `{}`)",
                    l.account, first.name, l.name
                ),
            ));
        }
        if let Some(arn) = &l.role_arn
            && let Err(message) = check_role_arn(arn, &l.account)
        {
            let nth = roster
                .learners
                .iter()
                .filter(|o| o.role_arn.as_deref() == Some(arn))
                .count();
            return Err(invalid(
                located("role_arn", arn, nth),
                format!("learner `{}`: {message}", l.name),
            ));
        }
        roster.learners.push(l.clone());
    }
    Ok(roster)
}

fn check_account(account: &str) -> Result<(), String> {
    if account.is_empty() {
        return Err("no account id".to_string());
    }
    if !account.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "account `{account}` is not an AWS account id (12 digits)"
        ));
    }
    if account.len() != 12 {
        let hint = if account.len() < 12 {
            "; a spreadsheet or an unquoted YAML number may have dropped leading zeros: quote it"
        } else {
            ""
        };
        return Err(format!(
            "account `{account}` has {} digits; an AWS account id has 12{hint}",
            account.len()
        ));
    }
    Ok(())
}

fn check_role_arn(arn: &str, account: &str) -> Result<(), String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let shape = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[3].is_empty()
        && parts[5].starts_with("role/")
        && parts[5].len() > "role/".len();
    if !shape {
        return Err(format!(
            "role_arn `{arn}` is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)"
        ));
    }
    if parts[4] != account {
        return Err(format!(
            "role_arn `{arn}` is in account {} but the learner's account is {account}",
            parts[4]
        ));
    }
    Ok(())
}

/// Class-wide settings: names AWS accepts where they are used.
fn check_setting(key: &str, value: &str) -> Result<(), String> {
    let ok = |extra: &str, min: usize, max: usize| {
        (min..=max).contains(&value.chars().count())
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
    };
    let (valid, rule) = match key {
        "class" => (
            !value.trim().is_empty() && !value.chars().any(char::is_control),
            "a class name without control characters",
        ),
        "role_name" | "member_role" => (
            ok("+=,.@_-", 1, 64),
            "an IAM role name (up to 64 of A-Z a-z 0-9 +=,.@_-)",
        ),
        "external_id" => (
            ok("+=,.@:/_-", 2, 1224),
            "an external id (2 to 1224 of A-Z a-z 0-9 +=,.@:/_-)",
        ),
        "session_name" => (
            ok("+=,.@_-", 2, 64),
            "a role session name (2 to 64 of A-Z a-z 0-9 +=,.@_-)",
        ),
        _ => (true, ""),
    };
    if valid {
        Ok(())
    } else {
        Err(format!("{key} {value:?} is not {rule}"))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoster {
    class: Option<String>,
    role_name: Option<String>,
    member_role: Option<String>,
    external_id: Option<String>,
    session_name: Option<String>,
    learners: Vec<RawLearner>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLearner {
    name: String,
    account: AccountId,
    #[serde(default)]
    role_arn: Option<String>,
}

/// An account id as written: quoted, or a YAML number (checked for 12 digits).
#[derive(Deserialize)]
#[serde(untagged)]
enum AccountId {
    Text(String),
    Number(u64),
}

/// One CSV field and where it starts (1-based).
struct Cell {
    text: String,
    line: usize,
    column: usize,
}

/// RFC 4180 rows: fields separated by commas, optionally double-quoted
/// (a quote inside is doubled), rows ended by CRLF or LF.
fn csv_rows(text: &str) -> Result<Vec<Vec<Cell>>, (usize, usize, String)> {
    let mut rows = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let (mut line, mut column) = (1usize, 1usize);
    let mut chars = text.chars().peekable();
    let mut cell = Cell {
        text: String::new(),
        line,
        column,
    };
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.text.push('"');
                    column += 2;
                    continue;
                }
                '"' => quoted = false,
                '\n' => {
                    cell.text.push(c);
                    line += 1;
                    column = 0;
                }
                _ => cell.text.push(c),
            }
            column += 1;
            continue;
        }
        match c {
            '"' if cell.text.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            '"' => {
                return Err((
                    line,
                    column,
                    "a quote inside an unquoted field; quote the whole field and double the quote (\"\")"
                        .to_string(),
                ));
            }
            ',' => {
                let next = Cell {
                    text: String::new(),
                    line,
                    column: column + 1,
                };
                row.push(std::mem::replace(&mut cell, next));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::replace(
                    &mut cell,
                    Cell {
                        text: String::new(),
                        line: line + 1,
                        column: 1,
                    },
                ));
                rows.push(std::mem::take(&mut row));
                was_quoted = false;
                line += 1;
                column = 0;
            }
            _ if was_quoted => {
                return Err((
                    line,
                    column,
                    "text after a closing quote; a quoted field ends at its closing quote"
                        .to_string(),
                ));
            }
            _ => cell.text.push(c),
        }
        column += 1;
    }
    if quoted {
        return Err((
            cell.line,
            cell.column,
            "a quoted field is never closed".to_string(),
        ));
    }
    if !cell.text.is_empty() || !row.is_empty() || was_quoted {
        row.push(cell);
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUE: &str = r#"class: aws-course-2026-12
role_name: LabbookInstructor        # assumed in each learner's management account
member_role: LabbookReadOnly        # then assumed from there in security and log-archive
external_id: course-2026-12
learners:
  - name: ada
    account: "111122223333"
  - name: grace
    account: "444455556666"
    role_arn: arn:aws:iam::444455556666:role/CustomInstructorRole
"#;

    fn yaml(text: &str) -> Result<Roster, RosterError> {
        Roster::from_yaml("class.yaml", "class", text)
    }

    fn csv(text: &str) -> Result<Roster, RosterError> {
        Roster::from_csv("class.csv", "class", text)
    }

    fn error(r: Result<Roster, RosterError>) -> String {
        r.expect_err("an error").to_string()
    }

    #[test]
    fn the_shape_in_the_issue_reads_with_its_role_arns() {
        let r = yaml(ISSUE).expect("valid");
        assert_eq!(r.class, "aws-course-2026-12");
        assert_eq!(r.member_role, "LabbookReadOnly");
        assert_eq!(r.external_id.as_deref(), Some("course-2026-12"));
        assert_eq!(r.session_name, DEFAULT_SESSION_NAME);
        let names: Vec<&str> = r.learners.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["ada", "grace"]);
        assert_eq!(
            r.role_arn(&r.learners[0]),
            "arn:aws:iam::111122223333:role/LabbookInstructor"
        );
        assert_eq!(
            r.role_arn(&r.learners[1]),
            "arn:aws:iam::444455556666:role/CustomInstructorRole"
        );
    }

    #[test]
    fn class_settings_default_and_the_file_stem_names_the_class() {
        let r = Roster::from_yaml(
            "x.yaml",
            "week-3",
            "learners:\n  - name: ada\n    account: 111122223333\n",
        )
        .expect("valid");
        assert_eq!(r.class, "week-3");
        assert_eq!(r.role_name, DEFAULT_ROLE_NAME);
        assert_eq!(r.member_role, DEFAULT_MEMBER_ROLE);
        assert_eq!(r.external_id, None);
        assert_eq!(r.learners[0].account, "111122223333");
    }

    #[test]
    fn a_duplicate_name_or_account_names_the_line_and_column_of_the_second() {
        let dup_name = "learners:\n  - name: ada\n    account: \"111122223333\"\n  - name: ada\n    account: \"444455556666\"\n";
        assert_eq!(
            error(yaml(dup_name)),
            "class.yaml:4:5: learner `ada` is listed twice (first on line 2)"
        );
        let dup_account = "learners:\n  - name: ada\n    account: \"111122223333\"\n  - name: grace\n    account: \"111122223333\"\n";
        assert_eq!(
            error(yaml(dup_account)),
            "class.yaml:5:5: account 111122223333 is listed twice (learners `ada` and `grace`)"
        );
        let csv_dup = "name,account\nada,111122223333\ngrace,111122223333\n";
        assert_eq!(
            error(csv(csv_dup)),
            "class.csv:3:7: account 111122223333 is listed twice (learners `ada` and `grace`)"
        );
    }

    #[test]
    fn yaml_syntax_and_unknown_fields_name_the_place() {
        let e = error(yaml(
            "learners:\n  - name: ada\n    acount: \"111122223333\"\n",
        ));
        assert!(e.starts_with("class.yaml:3:5: "), "{e}");
        assert!(e.contains("unknown field `acount`"), "{e}");
        let e = error(yaml("learners: [\n"));
        assert!(
            e.starts_with("class.yaml:2:1: ") || e.starts_with("class.yaml:1:"),
            "{e}"
        );
    }

    #[test]
    fn bad_accounts_and_role_arns_are_explained() {
        let e = error(yaml("learners:\n  - name: ada\n    account: 11112222333\n"));
        assert_eq!(
            e,
            "class.yaml:3:5: learner `ada`: account `11112222333` has 11 digits; an AWS account id has 12; a spreadsheet or an unquoted YAML number may have dropped leading zeros: quote it"
        );
        let e = error(yaml(
            "learners:\n  - name: ada\n    account: \"111122223333\"\n    role_arn: arn:aws:iam::999999999999:role/X\n",
        ));
        assert!(
            e.starts_with("class.yaml:4:5: learner `ada`: role_arn"),
            "{e}"
        );
        assert!(e.contains("is in account 999999999999"), "{e}");
        let e = error(yaml(
            "session_name: \"a b\"\nlearners:\n  - name: ada\n    account: \"111122223333\"\n",
        ));
        assert!(e.starts_with("class.yaml:1:1: session_name"), "{e}");
        let e = error(yaml("class: x\nlearners: []\n"));
        assert_eq!(e, "class.yaml:2:1: the roster has no learners");
    }

    #[test]
    fn csv_with_header_quotes_crlf_and_a_bom_reads() {
        let text = "\u{feff}name,account,role_arn\r\nada,111122223333,\r\n\"Grace \"\"G\"\" Hopper\",444455556666,arn:aws:iam::444455556666:role/Custom\r\n\r\n";
        let r = csv(text).expect("valid");
        assert_eq!(r.class, "class");
        assert_eq!(r.learners.len(), 2);
        assert_eq!(r.learners[0].role_arn, None);
        assert_eq!(r.learners[1].name, "Grace \"G\" Hopper");
        assert_eq!(
            r.role_arn(&r.learners[1]),
            "arn:aws:iam::444455556666:role/Custom"
        );
        let r = csv("account,name\n111122223333,ada\n").expect("columns in any order");
        assert_eq!(r.learners[0].name, "ada");
    }

    #[test]
    fn csv_problems_name_line_and_column() {
        assert_eq!(
            error(csv("name,acount\nada,111122223333\n")),
            "class.csv:1:6: unknown column `acount`; did you mean `account`?"
        );
        assert_eq!(
            error(csv("name,account\nada,1111x2223333\n")),
            "class.csv:2:5: learner `ada`: account `1111x2223333` is not an AWS account id (12 digits)"
        );
        assert_eq!(
            error(csv("name,account\nada,111122223333,extra\n")),
            "class.csv:2:18: this row has 3 fields but the header has 2"
        );
        assert_eq!(
            error(csv("name,account\n\"ada,111122223333\n")),
            "class.csv:2:1: a quoted field is never closed"
        );
        assert_eq!(
            error(csv("role_arn\nx\n")),
            "class.csv:1:1: the header row has no `name` column; the first row must be `name,account,role_arn`"
        );
        assert_eq!(
            error(csv("")),
            "class.csv:1:1: the roster is empty; the first row must be the header `name,account,role_arn`"
        );
    }

    #[test]
    fn load_picks_csv_by_extension_and_names_a_missing_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("week-2.csv");
        std::fs::write(&p, "name,account\nada,111122223333\n").expect("write");
        let r = Roster::load(&p).expect("valid");
        assert_eq!(r.class, "week-2");
        let e = Roster::load(&dir.path().join("none.yaml"))
            .expect_err("missing")
            .to_string();
        assert!(
            e.starts_with("cannot read the roster ") && e.contains("none.yaml"),
            "{e}"
        );
    }
}
