//! Watching steps while the learner works in the console: when to check
//! again (the interval, never below a floor; exponential back-off while AWS
//! throttles or the account cannot be read, capped), what changed since the
//! last check (verdict or message), which steps turned green, whether every
//! watched step passes, and when a watch with no change for 15 minutes
//! stops. Pure: time comes in as [`Instant`]s and results as outcomes;
//! the drivers (`labbook check --watch`, the labs screen) wait, and check
//! through the runner's worker. Must not depend on the runner, a terminal
//! or the clock.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use crate::checks::{Outcome, Status};

/// How often a step is checked when nothing goes wrong.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(10);
/// Never more often than this against a real account.
pub const MIN_INTERVAL: Duration = Duration::from_secs(5);
/// The longest pause of the back-off.
pub const MAX_BACKOFF: Duration = Duration::from_secs(120);
/// A watch with no change for this long stops.
pub const QUIET_LIMIT: Duration = Duration::from_secs(15 * 60);

/// How a watch paces itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub interval: Duration,
    /// Stop after this long without a change.
    pub quiet_limit: Duration,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            interval: DEFAULT_INTERVAL,
            quiet_limit: QUIET_LIMIT,
        }
    }
}

impl Settings {
    /// The interval asked for (else the default), raised to `floor`
    /// ([`MIN_INTERVAL`] outside tests), with a note when it was raised.
    pub fn new(asked: Option<Duration>, floor: Duration) -> (Settings, Option<String>) {
        let wanted = asked.unwrap_or(DEFAULT_INTERVAL);
        let interval = wanted.max(floor);
        let note = (interval > wanted).then(|| {
            format!(
                "checking every {} (not more often, to be kind to the account's API limits)",
                secs(interval)
            )
        });
        (
            Settings {
                interval,
                ..Settings::default()
            },
            note,
        )
    }
}

/// The pause before the next check after `failures` troubled cycles in a
/// row: the interval, doubled for each, capped at [`MAX_BACKOFF`] (or the
/// interval, if that is longer).
pub fn backoff(interval: Duration, failures: u32) -> Duration {
    let cap = MAX_BACKOFF.max(interval);
    let factor = 1u32.checked_shl(failures.min(16)).unwrap_or(u32::MAX);
    interval.saturating_mul(factor).min(cap)
}

/// Why a cycle could not give a clean answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trouble {
    /// AWS throttled some requests through the retries.
    Throttled,
    /// The account could not be read at all (network, credentials), and why.
    Failed(String),
}

/// What one check of the watched steps gave.
#[derive(Debug, Clone, Default)]
pub struct Cycle {
    /// `lab/step` -> outcome.
    pub outcomes: Vec<(String, Outcome)>,
    pub trouble: Option<Trouble>,
}

/// A step whose verdict or message is not what it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// `lab/step`.
    pub key: String,
    /// `None` on the first check of a step nothing was known about.
    pub before: Option<Outcome>,
    pub after: Outcome,
}

impl Change {
    /// It passes now and did not before (a step first seen passing has
    /// not turned: it was green already).
    pub fn turned_green(&self) -> bool {
        self.after.status == Status::Pass
            && self
                .before
                .as_ref()
                .is_some_and(|b| b.status != Status::Pass)
    }

    /// `org/exists: fail → pass` (the verdicts), or the step alone when
    /// only its message changed.
    pub fn headline(&self) -> String {
        match &self.before {
            Some(b) if b.status != self.after.status => format!(
                "{}: {} → {}",
                self.key,
                b.status.as_str(),
                self.after.status.as_str()
            ),
            Some(_) => format!(
                "{}: still {}, new message",
                self.key,
                self.after.status.as_str()
            ),
            None => format!("{}: {}", self.key, self.after.status.as_str()),
        }
    }
}

/// The steps whose verdict or message differ between `before` and `after`.
pub fn diff(before: &BTreeMap<String, Outcome>, after: &[(String, Outcome)]) -> Vec<Change> {
    after
        .iter()
        .filter(|(key, o)| {
            before
                .get(key)
                .is_none_or(|b| b.status != o.status || b.message != o.message)
        })
        .map(|(key, o)| Change {
            key: key.clone(),
            before: before.get(key).cloned(),
            after: o.clone(),
        })
        .collect()
}

/// What the watch made of a cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    /// Empty after a troubled cycle: its results are not trusted.
    pub changes: Vec<Change>,
    /// Every step the watch waits for passes.
    pub all_pass: bool,
    /// The pause before the next check.
    pub next_in: Duration,
    /// The back-off under way, in words, when there is one.
    pub backing_off: Option<String>,
}

impl Observed {
    /// The steps that turned green in this cycle.
    pub fn turned_green(&self) -> Vec<&str> {
        self.changes
            .iter()
            .filter(|c| c.turned_green())
            .map(|c| c.key.as_str())
            .collect()
    }
}

/// A watch of one step or of a lab's steps.
#[derive(Debug, Clone)]
pub struct Watch {
    pub settings: Settings,
    /// The steps that must all pass (the automated, non-advice ones).
    required: BTreeSet<String>,
    /// The last trusted outcome of each step.
    last: BTreeMap<String, Outcome>,
    started: Instant,
    last_change: Instant,
    last_check: Option<Instant>,
    next_at: Instant,
    /// Troubled cycles in a row.
    failures: u32,
    trouble: Option<Trouble>,
}

impl Watch {
    /// A watch starting at `now` (the first check is due at once) that
    /// waits for every step of `required` to pass.
    pub fn new(
        settings: Settings,
        now: Instant,
        required: impl IntoIterator<Item = String>,
    ) -> Watch {
        Watch {
            settings,
            required: required.into_iter().collect(),
            last: BTreeMap::new(),
            started: now,
            last_change: now,
            last_check: None,
            next_at: now,
            failures: 0,
            trouble: None,
        }
    }

    /// What was known before the watch began (the last recorded results),
    /// so the first check can already show a step turning green.
    pub fn knowing(mut self, known: impl IntoIterator<Item = (String, Outcome)>) -> Watch {
        self.last.extend(known);
        self
    }

    /// A check is due.
    pub fn due(&self, now: Instant) -> bool {
        now >= self.next_at
    }

    /// When the next check is due.
    pub fn next_at(&self) -> Instant {
        self.next_at
    }

    /// No change for [`Settings::quiet_limit`]: the watch is over.
    pub fn expired(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.last_change) >= self.settings.quiet_limit
    }

    /// When the watch started.
    pub fn started(&self) -> Instant {
        self.started
    }

    /// The last trusted outcome of each step.
    pub fn last(&self) -> &BTreeMap<String, Outcome> {
        &self.last
    }

    /// Every required step passes, by the last trusted results.
    pub fn all_pass(&self) -> bool {
        !self.required.is_empty()
            && self
                .required
                .iter()
                .all(|k| self.last.get(k).is_some_and(|o| o.status == Status::Pass))
    }

    /// Takes the results of a check made at `now`.
    pub fn observe(&mut self, now: Instant, cycle: Cycle) -> Observed {
        self.last_check = Some(now);
        let changes = match &cycle.trouble {
            Some(_) => {
                self.failures = self.failures.saturating_add(1);
                Vec::new()
            }
            None => {
                self.failures = 0;
                let changes = diff(&self.last, &cycle.outcomes);
                self.last.extend(cycle.outcomes);
                changes
            }
        };
        self.trouble = cycle.trouble;
        if !changes.is_empty() {
            self.last_change = now;
        }
        let next_in = backoff(self.settings.interval, self.failures);
        self.next_at = now + next_in;
        Observed {
            changes,
            all_pass: self.all_pass(),
            next_in,
            backing_off: self.backing_off(),
        }
    }

    fn backing_off(&self) -> Option<String> {
        let why = match self.trouble.as_ref()? {
            Trouble::Throttled => "AWS is throttling the requests".to_string(),
            Trouble::Failed(why) => format!("the account could not be read ({why})"),
        };
        Some(format!(
            "{why}; backing off: next check in {}",
            secs(backoff(self.settings.interval, self.failures))
        ))
    }

    /// The status line: `watching · checked 4 s ago`, and the back-off
    /// when there is one.
    pub fn status(&self, now: Instant) -> String {
        let checked = match self.last_check {
            Some(at) => format!("checked {} ago", secs(now.saturating_duration_since(at))),
            None => "first check…".to_string(),
        };
        match &self.trouble {
            Some(Trouble::Throttled) => format!(
                "watching · {checked} · throttled, backing off: next check in {}",
                secs(self.next_at.saturating_duration_since(now))
            ),
            Some(Trouble::Failed(_)) => format!(
                "watching · {checked} · could not read the account, backing off: next check in {}",
                secs(self.next_at.saturating_duration_since(now))
            ),
            None => format!("watching · {checked}"),
        }
    }
}

/// A duration as people read it on a status line: `4 s`, `2 min 5 s`.
pub fn secs(d: Duration) -> String {
    if d < Duration::from_secs(1) && !d.is_zero() {
        return format!("{} ms", d.as_millis());
    }
    let s = d.as_secs();
    match (s / 60, s % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(status: Status, message: &str) -> Outcome {
        Outcome {
            status,
            message: message.to_string(),
            evidence: Vec::new(),
        }
    }

    fn cycle(status: Status, message: &str) -> Cycle {
        Cycle {
            outcomes: vec![("org/exists".to_string(), o(status, message))],
            trouble: None,
        }
    }

    fn troubled(t: Trouble) -> Cycle {
        Cycle {
            outcomes: vec![("org/exists".to_string(), o(Status::Unknown, "could not"))],
            trouble: Some(t),
        }
    }

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn the_interval_defaults_to_ten_seconds_and_never_goes_below_the_floor() {
        assert_eq!(Settings::new(None, MIN_INTERVAL).0.interval, 10 * S);
        assert_eq!(
            Settings::new(Some(30 * S), MIN_INTERVAL),
            (
                Settings {
                    interval: 30 * S,
                    quiet_limit: QUIET_LIMIT
                },
                None
            )
        );
        let (s, note) = Settings::new(Some(S), MIN_INTERVAL);
        assert_eq!(s.interval, 5 * S);
        assert!(note.unwrap_or_default().contains("every 5 s"));
        // Tests lower the floor; the note is only for a raised interval.
        assert_eq!(
            Settings::new(Some(Duration::from_millis(50)), Duration::ZERO)
                .0
                .interval,
            Duration::from_millis(50)
        );
    }

    #[test]
    fn back_off_doubles_per_troubled_cycle_and_is_capped() {
        let i = 10 * S;
        let pauses: Vec<Duration> = (0..7).map(|n| backoff(i, n)).collect();
        assert_eq!(
            pauses,
            [10 * S, 20 * S, 40 * S, 80 * S, 120 * S, 120 * S, 120 * S]
        );
        assert_eq!(backoff(i, u32::MAX), MAX_BACKOFF);
        // An interval longer than the cap is never shortened by it.
        assert_eq!(backoff(300 * S, 3), 300 * S);
    }

    #[test]
    fn the_first_check_is_due_at_once_and_the_next_one_an_interval_later() {
        let t0 = Instant::now();
        let mut w = Watch::new(Settings::default(), t0, ["org/exists".to_string()]);
        assert!(w.due(t0));
        let seen = w.observe(t0, cycle(Status::Fail, "no organization"));
        assert_eq!(seen.next_in, 10 * S);
        assert!(!w.due(t0 + 9 * S));
        assert!(w.due(t0 + 10 * S));
        assert_eq!(w.status(t0 + 4 * S), "watching · checked 4 s ago");
    }

    #[test]
    fn throttling_backs_off_says_so_and_a_clean_cycle_resets_the_pace() {
        let t0 = Instant::now();
        let mut w = Watch::new(Settings::default(), t0, ["org/exists".to_string()]);
        w.observe(t0, cycle(Status::Fail, "no organization"));
        let seen = w.observe(t0 + 10 * S, troubled(Trouble::Throttled));
        assert_eq!(seen.next_in, 20 * S);
        assert!(
            seen.changes.is_empty(),
            "a throttled cycle's unknowns are not changes"
        );
        assert!(
            seen.backing_off
                .as_deref()
                .unwrap_or_default()
                .contains("throttling")
        );
        assert!(
            w.status(t0 + 15 * S)
                .contains("throttled, backing off: next check in 15 s"),
            "{}",
            w.status(t0 + 15 * S)
        );
        let seen = w.observe(t0 + 30 * S, troubled(Trouble::Failed("timed out".into())));
        assert_eq!(seen.next_in, 40 * S);
        assert!(
            seen.backing_off
                .as_deref()
                .unwrap_or_default()
                .contains("timed out")
        );
        let seen = w.observe(t0 + 70 * S, cycle(Status::Fail, "no organization"));
        assert_eq!(seen.next_in, 10 * S);
        assert_eq!(seen.backing_off, None);
        assert!(
            seen.changes.is_empty(),
            "same verdict and message as before the trouble"
        );
    }

    #[test]
    fn a_change_of_verdict_or_message_is_reported_and_turning_green_is_marked() {
        let t0 = Instant::now();
        let mut w = Watch::new(Settings::default(), t0, ["org/exists".to_string()]);
        let first = w.observe(t0, cycle(Status::Fail, "no organization"));
        assert_eq!(first.changes.len(), 1);
        assert_eq!(first.changes[0].headline(), "org/exists: fail");
        assert!(first.turned_green().is_empty());
        assert!(
            w.observe(t0 + 10 * S, cycle(Status::Fail, "no organization"))
                .changes
                .is_empty()
        );
        let msg = w.observe(
            t0 + 20 * S,
            cycle(Status::Fail, "consolidated billing only"),
        );
        assert_eq!(
            msg.changes[0].headline(),
            "org/exists: still fail, new message"
        );
        let green = w.observe(t0 + 30 * S, cycle(Status::Pass, "all features"));
        assert_eq!(green.changes[0].headline(), "org/exists: fail → pass");
        assert_eq!(green.turned_green(), ["org/exists"]);
        assert!(green.all_pass);
    }

    #[test]
    fn a_step_already_green_when_first_seen_has_not_turned_but_one_known_red_has() {
        let t0 = Instant::now();
        let mut w = Watch::new(Settings::default(), t0, ["org/exists".to_string()]);
        assert!(
            w.observe(t0, cycle(Status::Pass, "ok"))
                .turned_green()
                .is_empty()
        );
        let mut w = Watch::new(Settings::default(), t0, ["org/exists".to_string()])
            .knowing([("org/exists".to_string(), o(Status::Fail, "no organization"))]);
        assert_eq!(
            w.observe(t0, cycle(Status::Pass, "ok")).turned_green(),
            ["org/exists"]
        );
    }

    #[test]
    fn a_lab_passes_only_when_every_required_step_does() {
        let t0 = Instant::now();
        let mut w = Watch::new(
            Settings::default(),
            t0,
            ["l/a".to_string(), "l/b".to_string()],
        );
        let both = |a: Status, b: Status| Cycle {
            outcomes: vec![
                ("l/a".into(), o(a, "")),
                ("l/b".into(), o(b, "")),
                ("l/advice".into(), o(Status::Fail, "")),
            ],
            trouble: None,
        };
        assert!(!w.observe(t0, both(Status::Pass, Status::Unknown)).all_pass);
        assert!(
            w.observe(t0 + 10 * S, both(Status::Pass, Status::Pass))
                .all_pass
        );
        // Nothing to wait for is never "all pass".
        assert!(!Watch::new(Settings::default(), t0, Vec::new()).all_pass());
    }

    #[test]
    fn fifteen_minutes_without_a_change_ends_the_watch_and_a_change_restarts_the_count() {
        let t0 = Instant::now();
        let mut w = Watch::new(Settings::default(), t0, ["org/exists".to_string()]);
        w.observe(t0, cycle(Status::Fail, "x"));
        assert!(!w.expired(t0 + 14 * 60 * S));
        w.observe(t0 + 10 * 60 * S, cycle(Status::Fail, "y"));
        assert!(
            !w.expired(t0 + 20 * 60 * S),
            "the change at 10 min restarted the count"
        );
        w.observe(t0 + 20 * 60 * S, cycle(Status::Fail, "y"));
        assert!(w.expired(t0 + 25 * 60 * S));
        // Trouble is not a change.
        let mut w = Watch::new(Settings::default(), t0, ["org/exists".to_string()]);
        w.observe(t0, cycle(Status::Fail, "x"));
        w.observe(t0 + 14 * 60 * S, troubled(Trouble::Throttled));
        assert!(w.expired(t0 + 15 * 60 * S));
    }

    #[test]
    fn durations_read_as_seconds_and_minutes() {
        assert_eq!(secs(Duration::from_millis(4_900)), "4 s");
        assert_eq!(secs(120 * S), "2 min");
        assert_eq!(secs(125 * S), "2 min 5 s");
        assert_eq!(secs(Duration::from_millis(200)), "200 ms");
    }
}
