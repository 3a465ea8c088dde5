//! A class's history: every class run stored in one SQLite database in the
//! data directory (`history.sqlite`), and what changed between runs.
//!
//! The schema is versioned (`PRAGMA user_version`) and migrated forward in
//! order ([`MIGRATIONS`]); a database from a newer labbook is refused, never
//! rewritten. A run is written in one transaction, so a run killed midway
//! leaves the previous history as it was. Only verdicts, messages and
//! evidence are stored (what the reports show), never credentials; on Unix
//! the file is created readable by its user only, since it describes other
//! people's accounts. Knows nothing about output formats.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use crate::checks::{Evidence, Outcome, Status};
use crate::class::{ClassRun, LearnerResult, StepResult};

/// The schema, one migration per version (index + 1 is the version).
pub const MIGRATIONS: &[&str] = &[
    // 1: runs, the learners of each run, and their step results.
    "CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        class TEXT NOT NULL,
        time TEXT NOT NULL,
        partial INTEGER NOT NULL
    );
    CREATE TABLE learners (
        run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        account TEXT NOT NULL,
        error TEXT,
        PRIMARY KEY (run, name)
    );
    CREATE TABLE results (
        run INTEGER NOT NULL,
        learner TEXT NOT NULL,
        lab TEXT NOT NULL,
        step TEXT NOT NULL,
        outcome TEXT NOT NULL,
        advice INTEGER NOT NULL,
        message TEXT NOT NULL,
        evidence TEXT NOT NULL,
        PRIMARY KEY (run, learner, lab, step),
        FOREIGN KEY (run, learner) REFERENCES learners(run, name) ON DELETE CASCADE
    );",
    // 2: the labbook version that wrote a run; runs of a class by time.
    "ALTER TABLE runs ADD COLUMN labbook TEXT NOT NULL DEFAULT '';
    CREATE INDEX runs_by_class ON runs(class, id);",
];

/// Runs a learner must have failed the same step in a row to be "stuck".
pub const STUCK_RUNS: usize = 3;

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("class history {path}: {source}")]
    Sqlite {
        path: String,
        source: rusqlite::Error,
    },
    #[error("class history {path}: cannot create it ({source})")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "class history {path} was written by a newer labbook (schema {found}, this one knows {known}); upgrade labbook to read it"
    )]
    Newer {
        path: String,
        found: i64,
        known: usize,
    },
}

/// The class history database.
pub struct History {
    conn: Connection,
    path: String,
}

/// A stored run, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunInfo {
    pub id: i64,
    pub time: String,
    pub partial: bool,
}

/// A learner's progress in one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub run: RunInfo,
    pub error: Option<String>,
    pub passed: usize,
    pub failed: usize,
    pub unknown: usize,
    /// Checked steps (manual and advice steps excluded).
    pub required: usize,
    /// The first failing required step, `lab/step`.
    pub first_failing: Option<String>,
}

/// How one learner's step changed between two runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    NewlyPassing,
    NewlyFailing,
    /// Another change of outcome (to or from unknown, for example).
    Changed,
    /// Only in the newer run (a new or renamed step id).
    Added,
    /// Only in the older run.
    Removed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::NewlyPassing => "newly passing",
            Change::NewlyFailing => "newly failing",
            Change::Changed => "changed",
            Change::Added => "added",
            Change::Removed => "removed",
        }
    }
}

/// One change of one learner's step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepChange {
    pub learner: String,
    /// `lab/step`.
    pub step: String,
    pub change: Change,
    pub before: Option<Status>,
    pub after: Option<Status>,
}

/// What changed between the last two complete runs of a class.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diff {
    pub from: Option<RunInfo>,
    pub to: Option<RunInfo>,
    pub changes: Vec<StepChange>,
    /// Learners failing the same required step in the last [`STUCK_RUNS`]
    /// complete runs: (learner, `lab/step`).
    pub stuck: Vec<(String, String)>,
    /// Partial runs after `from` that were skipped.
    pub skipped_partial: usize,
}

impl History {
    /// `history.sqlite` in the data directory.
    pub fn default_path() -> PathBuf {
        crate::state::data_dir().join("history.sqlite")
    }

    /// Opens (creating, readable by the user only, and migrating) the database.
    pub fn open(path: &Path) -> Result<History, HistoryError> {
        let shown = path.display().to_string();
        create_private(path).map_err(|source| HistoryError::Io {
            path: shown.clone(),
            source,
        })?;
        let sql = |source| HistoryError::Sqlite {
            path: shown.clone(),
            source,
        };
        let mut conn = Connection::open(path).map_err(sql)?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")
            .map_err(sql)?;
        migrate(&mut conn, MIGRATIONS).map_err(|e| match e {
            Migrate::Sql(e) => sql(e),
            Migrate::Newer(found) => HistoryError::Newer {
                path: shown.clone(),
                found,
                known: MIGRATIONS.len(),
            },
        })?;
        Ok(History { conn, path: shown })
    }

    fn err(&self, source: rusqlite::Error) -> HistoryError {
        HistoryError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Stores a run in one transaction; returns its id.
    pub fn record(&mut self, run: &ClassRun) -> Result<i64, HistoryError> {
        self.record_then(run, || Ok(()))
    }

    /// [`History::record`], calling `before_commit` with everything written
    /// but not committed (tests kill the write there).
    pub fn record_then(
        &mut self,
        run: &ClassRun,
        before_commit: impl FnOnce() -> Result<(), String>,
    ) -> Result<i64, HistoryError> {
        let path = self.path.clone();
        let sql = |source| HistoryError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute(
            "INSERT INTO runs (class, time, partial, labbook) VALUES (?1, ?2, ?3, ?4)",
            params![run.class, run.time, run.partial, env!("CARGO_PKG_VERSION")],
        )
        .map_err(sql)?;
        let id = tx.last_insert_rowid();
        {
            let mut learner = tx
                .prepare("INSERT INTO learners (run, name, account, error) VALUES (?1, ?2, ?3, ?4)")
                .map_err(sql)?;
            let mut result = tx
                .prepare(
                    "INSERT INTO results (run, learner, lab, step, outcome, advice, message, evidence)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(sql)?;
            for l in &run.learners {
                learner
                    .execute(params![id, l.name, l.account, l.error])
                    .map_err(sql)?;
                for r in &l.results {
                    let evidence =
                        serde_json::to_string(&r.outcome.evidence).unwrap_or_else(|_| "[]".into());
                    result
                        .execute(params![
                            id,
                            l.name,
                            r.lab,
                            r.step,
                            r.outcome.status.as_str(),
                            r.advice,
                            r.outcome.message,
                            evidence
                        ])
                        .map_err(sql)?;
                }
            }
        }
        if let Err(e) = before_commit() {
            // Dropping the transaction rolls it back.
            return Err(HistoryError::Io {
                path: self.path.clone(),
                source: std::io::Error::other(e),
            });
        }
        tx.commit().map_err(sql)?;
        Ok(id)
    }

    /// The class's runs, oldest first.
    pub fn runs(&self, class: &str) -> Result<Vec<RunInfo>, HistoryError> {
        let mut st = self
            .conn
            .prepare("SELECT id, time, partial FROM runs WHERE class = ?1 ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map(params![class], |r| {
                Ok(RunInfo {
                    id: r.get(0)?,
                    time: r.get(1)?,
                    partial: r.get(2)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// A stored run, as it was recorded.
    pub fn load(&self, class: &str, run: &RunInfo) -> Result<ClassRun, HistoryError> {
        let mut learners: Vec<LearnerResult> = Vec::new();
        {
            let mut st = self
                .conn
                .prepare("SELECT name, account, error FROM learners WHERE run = ?1 ORDER BY rowid")
                .map_err(|e| self.err(e))?;
            let rows = st
                .query_map(params![run.id], |r| {
                    Ok(LearnerResult {
                        name: r.get(0)?,
                        account: r.get(1)?,
                        error: r.get(2)?,
                        results: Vec::new(),
                    })
                })
                .map_err(|e| self.err(e))?;
            for l in rows {
                learners.push(l.map_err(|e| self.err(e))?);
            }
        }
        let mut st = self
            .conn
            .prepare(
                "SELECT learner, lab, step, outcome, advice, message, evidence FROM results
                 WHERE run = ?1 ORDER BY rowid",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map(params![run.id], |r| {
                let outcome: String = r.get(3)?;
                let evidence: String = r.get(6)?;
                Ok((
                    r.get::<_, String>(0)?,
                    StepResult {
                        lab: r.get(1)?,
                        step: r.get(2)?,
                        advice: r.get(4)?,
                        outcome: Outcome {
                            status: status_of(&outcome),
                            message: r.get(5)?,
                            evidence: serde_json::from_str::<Vec<Evidence>>(&evidence)
                                .unwrap_or_default(),
                        },
                    },
                ))
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            let (learner, result) = row.map_err(|e| self.err(e))?;
            if let Some(l) = learners.iter_mut().find(|l| l.name == learner) {
                l.results.push(result);
            }
        }
        Ok(ClassRun {
            class: class.to_string(),
            time: run.time.clone(),
            partial: run.partial,
            learners,
        })
    }

    /// Each learner's progress over the class's runs (oldest first), for
    /// every learner or one.
    pub fn progress(
        &self,
        class: &str,
        learner: Option<&str>,
    ) -> Result<BTreeMap<String, Vec<Progress>>, HistoryError> {
        let mut out: BTreeMap<String, Vec<Progress>> = BTreeMap::new();
        for info in self.runs(class)? {
            let run = self.load(class, &info)?;
            for l in run
                .learners
                .iter()
                .filter(|l| learner.is_none_or(|n| n == l.name))
            {
                let required = || l.results.iter().filter(|r| counts(r));
                out.entry(l.name.clone()).or_default().push(Progress {
                    run: info.clone(),
                    error: l.error.clone(),
                    passed: required()
                        .filter(|r| r.outcome.status == Status::Pass)
                        .count(),
                    failed: required()
                        .filter(|r| r.outcome.status == Status::Fail)
                        .count(),
                    unknown: required()
                        .filter(|r| r.outcome.status == Status::Unknown)
                        .count(),
                    required: required().count(),
                    first_failing: first_failing(l),
                });
            }
        }
        Ok(out)
    }

    /// What changed between the last two complete runs (partial runs are
    /// skipped), and who is stuck.
    pub fn diff(&self, class: &str) -> Result<Diff, HistoryError> {
        let runs = self.runs(class)?;
        let complete: Vec<&RunInfo> = runs.iter().filter(|r| !r.partial).collect();
        let mut diff = Diff::default();
        let Some(&to) = complete.last() else {
            return Ok(diff);
        };
        let newest = self.load(class, to)?;
        if complete.len() >= 2 {
            let from = complete[complete.len() - 2];
            diff.skipped_partial = runs.iter().filter(|r| r.partial && r.id > from.id).count();
            diff.changes = changes(&self.load(class, from)?, &newest);
            diff.from = Some(from.clone());
        }
        diff.to = Some(to.clone());
        if complete.len() >= STUCK_RUNS {
            let recent: Vec<ClassRun> = complete[complete.len() - STUCK_RUNS..]
                .iter()
                .map(|r| self.load(class, r))
                .collect::<Result<_, _>>()?;
            diff.stuck = stuck(&recent);
        }
        Ok(diff)
    }

    /// Deletes the history of one learner of the class, or of the whole
    /// class; returns the learner rows deleted.
    pub fn forget(&mut self, class: &str, learner: Option<&str>) -> Result<usize, HistoryError> {
        let path = self.path.clone();
        let sql = |source| HistoryError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let n = match learner {
            Some(name) => tx
                .execute(
                    "DELETE FROM learners WHERE name = ?1 AND run IN (SELECT id FROM runs WHERE class = ?2)",
                    params![name, class],
                )
                .map_err(sql)?,
            None => {
                let n = tx
                    .execute(
                        "DELETE FROM learners WHERE run IN (SELECT id FROM runs WHERE class = ?1)",
                        params![class],
                    )
                    .map_err(sql)?;
                tx.execute("DELETE FROM runs WHERE class = ?1", params![class])
                    .map_err(sql)?;
                n
            }
        };
        tx.commit().map_err(sql)?;
        // Deleted pages are not left readable in the file.
        let _ = self.conn.execute_batch("VACUUM;");
        Ok(n)
    }

    /// The schema version of the open database.
    pub fn version(&self) -> Result<i64, HistoryError> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .optional()
            .map(|v| v.unwrap_or(0))
            .map_err(|e| self.err(e))
    }
}

/// A checked, required step: what progress counts.
fn counts(r: &StepResult) -> bool {
    !r.advice && r.outcome.status != Status::Manual
}

fn first_failing(l: &LearnerResult) -> Option<String> {
    l.results
        .iter()
        .find(|r| counts(r) && r.outcome.status == Status::Fail)
        .map(|r| format!("{}/{}", r.lab, r.step))
}

fn status_of(s: &str) -> Status {
    match s {
        "pass" => Status::Pass,
        "fail" => Status::Fail,
        "manual" => Status::Manual,
        _ => Status::Unknown,
    }
}

/// Per learner and step: what changed from `old` to `new`. A learner who
/// could not be read in either run has no changes (nothing was seen).
pub fn changes(old: &ClassRun, new: &ClassRun) -> Vec<StepChange> {
    let mut out = Vec::new();
    for n in &new.learners {
        let Some(o) = old.learners.iter().find(|o| o.name == n.name) else {
            continue;
        };
        if n.error.is_some() || o.error.is_some() {
            continue;
        }
        let before: BTreeMap<(&str, &str), Status> = o
            .results
            .iter()
            .map(|r| ((r.lab.as_str(), r.step.as_str()), r.outcome.status))
            .collect();
        let after: BTreeMap<(&str, &str), Status> = n
            .results
            .iter()
            .map(|r| ((r.lab.as_str(), r.step.as_str()), r.outcome.status))
            .collect();
        for r in &n.results {
            let key = (r.lab.as_str(), r.step.as_str());
            let a = r.outcome.status;
            let change = match before.get(&key) {
                None => Some(Change::Added),
                Some(&b) if b == a => None,
                Some(_) if a == Status::Pass => Some(Change::NewlyPassing),
                Some(_) if a == Status::Fail => Some(Change::NewlyFailing),
                Some(_) => Some(Change::Changed),
            };
            if let Some(change) = change {
                out.push(StepChange {
                    learner: n.name.clone(),
                    step: format!("{}/{}", r.lab, r.step),
                    change,
                    before: before.get(&key).copied(),
                    after: Some(a),
                });
            }
        }
        for r in &o.results {
            if !after.contains_key(&(r.lab.as_str(), r.step.as_str())) {
                out.push(StepChange {
                    learner: n.name.clone(),
                    step: format!("{}/{}", r.lab, r.step),
                    change: Change::Removed,
                    before: Some(r.outcome.status),
                    after: None,
                });
            }
        }
    }
    out
}

/// Learners whose first failing required step is the same in every run of
/// `runs` (each failing it).
pub fn stuck(runs: &[ClassRun]) -> Vec<(String, String)> {
    let Some(last) = runs.last() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for l in &last.learners {
        let Some(step) = first_failing(l) else {
            continue;
        };
        let everywhere = runs.iter().all(|run| {
            run.learners
                .iter()
                .find(|o| o.name == l.name)
                .is_some_and(|o| first_failing(o).as_deref() == Some(step.as_str()))
        });
        if everywhere {
            out.push((l.name.clone(), step));
        }
    }
    out
}

#[derive(Debug)]
enum Migrate {
    Sql(rusqlite::Error),
    Newer(i64),
}

/// Applies the migrations after the database's version, all in one
/// transaction.
fn migrate(conn: &mut Connection, migrations: &[&str]) -> Result<(), Migrate> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(Migrate::Sql)?;
    let known = i64::try_from(migrations.len()).unwrap_or(i64::MAX);
    if version > known {
        return Err(Migrate::Newer(version));
    }
    if version == known {
        return Ok(());
    }
    let tx = conn.transaction().map_err(Migrate::Sql)?;
    for m in migrations
        .iter()
        .skip(usize::try_from(version).unwrap_or(0))
    {
        tx.execute_batch(m).map_err(Migrate::Sql)?;
    }
    tx.execute_batch(&format!("PRAGMA user_version = {known};"))
        .map_err(Migrate::Sql)?;
    tx.commit().map_err(Migrate::Sql)
}

/// Creates the file readable and writable by its user only, if it does not
/// exist (SQLite gives its journal the database's permissions).
fn create_private(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(lab: &str, step: &str, status: Status) -> StepResult {
        StepResult {
            lab: lab.into(),
            step: step.into(),
            advice: false,
            outcome: Outcome {
                status,
                message: format!("{step} is {}", status.as_str()),
                evidence: vec![Evidence {
                    key: "pool".into(),
                    value: "learners".into(),
                }],
            },
        }
    }

    fn run(partial: bool, learners: Vec<(&str, Vec<StepResult>)>) -> ClassRun {
        ClassRun {
            class: "c".into(),
            time: "2026-12-01T10:00:00Z".into(),
            partial,
            learners: learners
                .into_iter()
                .map(|(name, results)| LearnerResult {
                    name: name.into(),
                    account: "111122223333".into(),
                    error: None,
                    results,
                })
                .collect(),
        }
    }

    fn open(dir: &tempfile::TempDir) -> History {
        History::open(&dir.path().join("history.sqlite")).expect("open")
    }

    #[test]
    fn a_run_round_trips_and_the_file_is_private() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = open(&dir);
        let r = run(
            false,
            vec![("ada", vec![step("org", "exists", Status::Pass)])],
        );
        h.record(&r).expect("record");
        let runs = h.runs("c").expect("runs");
        assert_eq!(runs.len(), 1);
        assert_eq!(h.load("c", &runs[0]).expect("load"), r);
        assert!(h.runs("other").expect("runs").is_empty());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("history.sqlite"))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_version_1_database_is_migrated_with_its_runs_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("history.sqlite");
        {
            let mut conn = Connection::open(&path).expect("open");
            migrate(&mut conn, &MIGRATIONS[..1]).expect("v1");
            conn.execute(
                "INSERT INTO runs (class, time, partial) VALUES ('c', '2026-01-01T00:00:00Z', 0)",
                [],
            )
            .expect("a v1 run");
        }
        let h = History::open(&path).expect("migrated");
        assert_eq!(h.version().expect("version"), MIGRATIONS.len() as i64);
        let runs = h.runs("c").expect("runs");
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].time, "2026-01-01T00:00:00Z");
    }

    #[test]
    fn a_newer_database_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("history.sqlite");
        Connection::open(&path)
            .and_then(|c| c.execute_batch("PRAGMA user_version = 99;"))
            .expect("newer");
        let e = History::open(&path).err().expect("refused").to_string();
        assert!(e.contains("newer labbook (schema 99"), "{e}");
        let v: i64 = Connection::open(&path)
            .and_then(|c| c.query_row("PRAGMA user_version", [], |r| r.get(0)))
            .expect("version");
        assert_eq!(v, 99);
    }

    #[test]
    fn a_write_that_dies_before_commit_leaves_the_history_intact() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = open(&dir);
        h.record(&run(
            false,
            vec![("ada", vec![step("org", "exists", Status::Fail)])],
        ))
        .expect("first");
        let e = h.record_then(
            &run(
                false,
                vec![("ada", vec![step("org", "exists", Status::Pass)])],
            ),
            || Err("killed".into()),
        );
        assert!(e.is_err());
        drop(h);
        let h = open(&dir);
        let runs = h.runs("c").expect("runs");
        assert_eq!(runs.len(), 1);
        let first = h.load("c", &runs[0]).expect("load");
        assert_eq!(first.learners[0].results[0].outcome.status, Status::Fail);
    }

    #[test]
    fn diff_shows_newly_passing_and_failing_and_skips_partial_runs() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = open(&dir);
        h.record(&run(
            false,
            vec![(
                "ada",
                vec![
                    step("org", "exists", Status::Fail),
                    step("kms-key", "key", Status::Pass),
                ],
            )],
        ))
        .expect("1");
        h.record(&run(
            false,
            vec![(
                "ada",
                vec![
                    step("org", "exists", Status::Pass),
                    step("kms-key", "key", Status::Fail),
                ],
            )],
        ))
        .expect("2");
        // A partial run with everything unknown: skipped.
        h.record(&run(
            true,
            vec![("ada", vec![step("org", "exists", Status::Unknown)])],
        ))
        .expect("3");
        let d = h.diff("c").expect("diff");
        assert_eq!(d.skipped_partial, 1);
        let got: Vec<(&str, Change)> = d
            .changes
            .iter()
            .map(|c| (c.step.as_str(), c.change))
            .collect();
        assert_eq!(
            got,
            [
                ("org/exists", Change::NewlyPassing),
                ("kms-key/key", Change::NewlyFailing)
            ]
        );
    }

    #[test]
    fn a_renamed_step_is_removed_and_added_never_a_change() {
        let old = run(
            false,
            vec![("ada", vec![step("org", "exists", Status::Pass)])],
        );
        let new = run(
            false,
            vec![("ada", vec![step("org", "organization", Status::Fail)])],
        );
        let got: Vec<(String, Change)> = changes(&old, &new)
            .into_iter()
            .map(|c| (c.step, c.change))
            .collect();
        assert_eq!(
            got,
            [
                ("org/organization".to_string(), Change::Added),
                ("org/exists".to_string(), Change::Removed)
            ]
        );
    }

    #[test]
    fn a_learner_failing_the_same_step_three_runs_running_is_stuck() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = open(&dir);
        for _ in 0..STUCK_RUNS {
            h.record(&run(
                false,
                vec![
                    ("ada", vec![step("scp-regions", "attached", Status::Fail)]),
                    ("bob", vec![step("scp-regions", "attached", Status::Pass)]),
                ],
            ))
            .expect("run");
        }
        let d = h.diff("c").expect("diff");
        assert_eq!(
            d.stuck,
            [("ada".to_string(), "scp-regions/attached".to_string())]
        );
        let p = h.progress("c", Some("ada")).expect("progress");
        assert_eq!(p["ada"].len(), STUCK_RUNS);
        assert_eq!(
            p["ada"][0].first_failing.as_deref(),
            Some("scp-regions/attached")
        );
        assert!(!p.contains_key("bob"));
    }

    #[test]
    fn forget_deletes_one_learner_or_the_whole_class() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = open(&dir);
        let r = run(
            false,
            vec![
                ("ada", vec![step("org", "exists", Status::Pass)]),
                ("bob", vec![step("org", "exists", Status::Fail)]),
            ],
        );
        h.record(&r).expect("1");
        h.record(&r).expect("2");
        assert_eq!(h.forget("c", Some("bob")).expect("forget bob"), 2);
        let p = h.progress("c", None).expect("progress");
        assert!(p.contains_key("ada") && !p.contains_key("bob"));
        h.forget("c", None).expect("forget class");
        assert!(h.runs("c").expect("runs").is_empty());
        let left: i64 = h
            .conn
            .query_row("SELECT COUNT(*) FROM results", [], |r| r.get(0))
            .expect("count");
        assert_eq!(left, 0, "results go with their learners");
    }
}
