//! The actions and the one default key map. The help overlay, the hint
//! bars and every message that names a key ("press c …") are generated from
//! this map ([`key_name`]), so a key is never written by hand twice. Depends
//! on nothing else in `tui`.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can do, on any screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Leave labbook, remembering the reading position.
    Quit,
    /// Scroll down a line, or move down the table of contents.
    Down,
    /// Scroll up a line, or move up the table of contents.
    Up,
    /// Scroll down a page.
    PageDown,
    /// Scroll up a page.
    PageUp,
    /// Go to the top.
    Top,
    /// Go to the bottom.
    Bottom,
    /// Move between the table of contents and the text.
    SwitchFocus,
    /// Jump to the selected section of the table of contents.
    Open,
    /// Go back to where you were before the last jump.
    Back,
    /// Go forward again after going back.
    Forward,
    /// List the links on screen; a digit follows one.
    Links,
    /// Search the chapter.
    Search,
    /// Next search match.
    NextMatch,
    /// Previous search match.
    PrevMatch,
    /// Next chapter.
    NextChapter,
    /// Previous chapter.
    PrevChapter,
    /// Show or hide this help.
    Help,
    /// Switch between the chapter and the labs.
    Labs,
    /// Check the selected step (or lab) against the account.
    Check,
    /// Check every step of every lab.
    CheckAll,
    /// Reveal the next hint of the selected step.
    Hint,
    /// Mark or unmark a manual step as done.
    Mark,
    /// Watch the selected step (or lab): check it again every few seconds
    /// until the key is pressed again.
    Watch,
    /// Open the chapter's quiz (practice or exam).
    Quiz,
    /// Open the readiness review of the account.
    Review,
}

impl Action {
    /// What the help overlay says the action does.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit (your place is remembered)",
            Action::Down => "scroll down; next entry in contents or labs",
            Action::Up => "scroll up; previous entry",
            Action::PageDown => "page down (labs: scroll the details)",
            Action::PageUp => "page up (labs: scroll the details)",
            Action::Top => "go to the top",
            Action::Bottom => "go to the bottom",
            Action::SwitchFocus => "switch between contents and text",
            Action::Open => "open a section (labs: the step's section)",
            Action::Back => "back to where you were before a jump",
            Action::Forward => "forward again",
            Action::Links => "links on screen; a digit follows one",
            Action::Search => "search; Enter to find, Esc to cancel",
            Action::NextMatch => "next match",
            Action::PrevMatch => "previous match",
            Action::NextChapter => "next chapter",
            Action::PrevChapter => "previous chapter",
            Action::Help => "show or hide this help",
            Action::Labs => "switch between chapter and labs",
            Action::Check => "labs: check the step, or a whole lab",
            Action::CheckAll => "labs: check every step",
            Action::Hint => "labs: reveal the next hint",
            Action::Mark => "labs: mark a manual step done, or undo",
            Action::Watch => "labs: watch the step or lab; again stops",
            Action::Quiz => "the quiz: practice or exam",
            Action::Review => "readiness review: labs, audit, quiz",
        }
    }
}

/// A key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

const fn alt(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::ALT,
    }
}

/// The default key map, in the order the help shows it.
pub const KEYMAP: &[(Action, &[Key])] = &[
    (Action::Down, &[key(KeyCode::Char('j')), key(KeyCode::Down)]),
    (Action::Up, &[key(KeyCode::Char('k')), key(KeyCode::Up)]),
    (
        Action::PageDown,
        &[key(KeyCode::PageDown), key(KeyCode::Char(' ')), ctrl('f')],
    ),
    (Action::PageUp, &[key(KeyCode::PageUp), ctrl('b')]),
    (Action::Top, &[key(KeyCode::Char('g')), key(KeyCode::Home)]),
    (
        Action::Bottom,
        &[key(KeyCode::Char('G')), key(KeyCode::End)],
    ),
    (
        Action::SwitchFocus,
        &[key(KeyCode::Tab), key(KeyCode::Char('t'))],
    ),
    (Action::Open, &[key(KeyCode::Enter)]),
    (
        Action::Back,
        &[
            // `[` first: it is the key messages and hints name.
            key(KeyCode::Char('[')),
            key(KeyCode::Backspace),
            alt(KeyCode::Left),
        ],
    ),
    (
        Action::Forward,
        &[key(KeyCode::Char(']')), alt(KeyCode::Right)],
    ),
    (Action::Links, &[key(KeyCode::Char('o'))]),
    (Action::Search, &[key(KeyCode::Char('/'))]),
    (Action::NextMatch, &[key(KeyCode::Char('n'))]),
    (Action::PrevMatch, &[key(KeyCode::Char('N'))]),
    (Action::NextChapter, &[key(KeyCode::Char('>'))]),
    (Action::PrevChapter, &[key(KeyCode::Char('<'))]),
    (
        Action::Labs,
        &[key(KeyCode::Char('l')), key(KeyCode::Char('L'))],
    ),
    (Action::Check, &[key(KeyCode::Char('c'))]),
    (Action::CheckAll, &[key(KeyCode::Char('C'))]),
    (Action::Hint, &[key(KeyCode::Char('h'))]),
    (Action::Mark, &[key(KeyCode::Char('m'))]),
    (Action::Watch, &[key(KeyCode::Char('w'))]),
    (Action::Quiz, &[key(KeyCode::Char('Q'))]),
    (Action::Review, &[key(KeyCode::Char('R'))]),
    (Action::Help, &[key(KeyCode::Char('?')), key(KeyCode::F(1))]),
    (Action::Quit, &[key(KeyCode::Char('q')), ctrl('c')]),
];

/// What a key does in the class view besides the [`Action`]s it shares
/// with every screen (move, Enter to open a learner, check, back, quit).
/// A map of its own, so the learner's screens never see these keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassAction {
    /// Sort the learners: roster order, by progress, by name.
    Sort,
    /// Filter the learners by name or by a step they fail.
    Filter,
    /// Select the next step (column).
    NextStep,
    /// Select the previous step (column).
    PrevStep,
}

impl ClassAction {
    /// What the help overlay says the action does.
    pub fn describe(self) -> &'static str {
        match self {
            ClassAction::Sort => "class: sort by roster, progress, name",
            ClassAction::Filter => "class: filter by name or failing step",
            ClassAction::NextStep => "class: next step (column)",
            ClassAction::PrevStep => "class: previous step (column)",
        }
    }
}

/// The class view's own keys, in the order the help shows them; none is
/// bound in [`KEYMAP`].
pub const CLASS_KEYMAP: &[(ClassAction, &[Key])] = &[
    (ClassAction::Sort, &[key(KeyCode::Char('s'))]),
    (ClassAction::Filter, &[key(KeyCode::Char('f'))]),
    (ClassAction::NextStep, &[key(KeyCode::Right)]),
    (ClassAction::PrevStep, &[key(KeyCode::Left)]),
];

/// The class view's action bound to a key press, if any.
pub fn class_action_for(event: KeyEvent) -> Option<ClassAction> {
    let mods = event.modifiers - KeyModifiers::SHIFT;
    CLASS_KEYMAP.iter().find_map(|(action, keys)| {
        keys.iter()
            .any(|k| k.code == event.code && k.mods == mods)
            .then_some(*action)
    })
}

/// How messages and hint bars name a class view key.
pub fn class_key_name(action: ClassAction) -> String {
    CLASS_KEYMAP
        .iter()
        .find(|(a, _)| *a == action)
        .and_then(|(_, keys)| keys.first())
        .map_or_else(|| "?".to_string(), |k| label(*k))
}

/// The help overlay's rows for the class view's own keys.
pub fn class_help_rows() -> Vec<(String, &'static str)> {
    CLASS_KEYMAP
        .iter()
        .map(|(a, keys)| (keys_of(keys), a.describe()))
        .collect()
}

/// The action bound to a key press, if any.
pub fn action_for(event: KeyEvent) -> Option<Action> {
    // Terminals report shifted letters with or without SHIFT; compare without it.
    let mods = event.modifiers - KeyModifiers::SHIFT;
    KEYMAP.iter().find_map(|(action, keys)| {
        keys.iter()
            .any(|k| k.code == event.code && k.mods == mods)
            .then_some(*action)
    })
}

/// The keys bound to an action, the one messages and hints name first.
pub fn keys_for(action: Action) -> &'static [Key] {
    KEYMAP
        .iter()
        .find(|(a, _)| *a == action)
        .map_or(&[], |(_, keys)| *keys)
}

/// How messages and hint bars name the key of an action: its first key in
/// the map (`c`, `Enter`, `[`).
pub fn key_name(action: Action) -> String {
    keys_for(action)
        .first()
        .map_or_else(|| "?".to_string(), |k| label(*k))
}

/// How a key is written, e.g. `Ctrl-f`, `PgDn`, `j`.
pub fn label(k: Key) -> String {
    let base = match k.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Down => "↓".to_string(),
        KeyCode::Up => "↑".to_string(),
        KeyCode::Left => "←".to_string(),
        KeyCode::Right => "→".to_string(),
        KeyCode::PageDown => "PgDn".to_string(),
        KeyCode::PageUp => "PgUp".to_string(),
        KeyCode::Home => "Home".to_string(),
        KeyCode::End => "End".to_string(),
        KeyCode::Tab => "Tab".to_string(),
        KeyCode::Enter => "Enter".to_string(),
        KeyCode::Backspace => "Backspace".to_string(),
        KeyCode::Esc => "Esc".to_string(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if k.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{base}")
    } else if k.mods.contains(KeyModifiers::ALT) {
        format!("Alt-{base}")
    } else {
        base
    }
}

impl Action {
    /// For the first of a pair of opposite actions, the partner and the
    /// description of both, so the help shows them on one row.
    fn pair(self) -> Option<(Action, &'static str)> {
        Some(match self {
            Action::Down => (Action::Up, "scroll down / up (contents, labs: move)"),
            Action::PageDown => (Action::PageUp, "page down / up (labs: the details)"),
            Action::Top => (Action::Bottom, "go to the top / bottom"),
            Action::Back => (Action::Forward, "back to before a jump / forward again"),
            Action::NextMatch => (Action::PrevMatch, "next / previous search match"),
            Action::NextChapter => (Action::PrevChapter, "next / previous chapter"),
            _ => return None,
        })
    }
}

fn keys_of(keys: &[Key]) -> String {
    keys.iter().map(|k| label(*k)).collect::<Vec<_>>().join(" ")
}

/// The help overlay's rows: keys and what they do, opposite actions
/// (down/up, back/forward, ...) sharing a row.
pub fn help_rows() -> Vec<(String, &'static str)> {
    let mut rows = Vec::new();
    let mut i = 0;
    while i < KEYMAP.len() {
        let (action, keys) = KEYMAP[i];
        match (action.pair(), KEYMAP.get(i + 1)) {
            (Some((partner, both)), Some((next, next_keys))) if *next == partner => {
                rows.push((format!("{} / {}", keys_of(keys), keys_of(next_keys)), both));
                i += 2;
            }
            _ => {
                rows.push((keys_of(keys), action.describe()));
                i += 1;
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice() {
        let mut seen = Vec::new();
        for (_, keys) in KEYMAP {
            for k in *keys {
                assert!(!seen.contains(k), "{} bound twice", label(*k));
                seen.push(*k);
            }
        }
    }

    #[test]
    fn shifted_letters_match_with_or_without_shift() {
        let g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(action_for(g), Some(Action::Bottom));
        let g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::NONE);
        assert_eq!(action_for(g), Some(Action::Bottom));
    }

    #[test]
    fn help_lists_every_key_once() {
        let rows = help_rows();
        let all: String = rows.iter().map(|(k, _)| format!("{k} ")).collect();
        for (_, keys) in KEYMAP {
            for k in *keys {
                let name = format!("{} ", label(*k));
                assert!(all.contains(&name), "{name} missing from the help");
            }
        }
        assert!(
            rows.iter()
                .any(|(k, d)| k.contains("Ctrl-f") && d.contains("page down"))
        );
        assert!(rows.len() < KEYMAP.len(), "opposite actions share rows");
    }

    #[test]
    fn the_class_keys_are_free_in_the_main_map_and_in_the_help() {
        for (action, keys) in CLASS_KEYMAP {
            for k in *keys {
                let event = KeyEvent::new(k.code, k.mods);
                assert_eq!(action_for(event), None, "{} is taken", label(*k));
                assert_eq!(class_action_for(event), Some(*action));
            }
        }
        let rows = class_help_rows();
        assert!(rows.iter().any(|(k, d)| k == "f" && d.contains("filter")));
        assert_eq!(class_key_name(ClassAction::Sort), "s");
    }

    #[test]
    fn every_action_has_a_key_to_name() {
        for (action, keys) in KEYMAP {
            assert!(!keys.is_empty(), "{action:?} has no key");
        }
        assert_eq!(key_name(Action::Check), "c");
        assert_eq!(key_name(Action::Back), "[");
        assert_eq!(key_name(Action::Open), "Enter");
    }
}
