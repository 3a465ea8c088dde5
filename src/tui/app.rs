//! The reader's state and its synchronous update: no I/O happens here
//! except through the caller, so every behaviour can be driven by tests.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use super::keys::{self, Action};
use super::labs::LabsPane;
use super::view;
use crate::course::Course;
use crate::labs::Labs;
use crate::markdown::{self, Doc};
use crate::progress::Progress;
use crate::state::{Position, ReaderState};

/// Where the keyboard goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Text,
    Toc,
}

/// Which screen is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Reader,
    Labs,
}

/// A place in the course that survives reflow: the screen, the chapter,
/// the section anchor and the lines below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub view: View,
    pub chapter: usize,
    pub anchor: Option<String>,
    pub offset: usize,
}

/// A search and its matches: (line, byte range in the line's plain text).
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// `Some` while the user is typing a query.
    pub input: Option<String>,
    pub query: String,
    pub matches: Vec<(usize, std::ops::Range<usize>)>,
    pub current: Option<usize>,
}

pub struct App {
    pub view: View,
    pub labs: LabsPane,
    /// Lines the lab view's detail pane is scrolled by.
    pub detail_scroll: usize,
    pub course: Course,
    pub chapter: usize,
    pub doc: Doc,
    /// The terminal size the layout was computed for.
    pub size: Rect,
    pub scroll: usize,
    pub focus: Focus,
    pub toc_selected: usize,
    pub back: Vec<Location>,
    pub forward: Vec<Location>,
    pub search: Search,
    pub show_help: bool,
    /// The list of links on screen is open.
    pub show_links: bool,
    pub status: Option<String>,
    pub quit: bool,
    pub state: ReaderState,
}

impl App {
    /// The reader on `course`, with labs that cannot be checked until a facts
    /// source is set on `app.labs.source`.
    pub fn new(course: Course, state: ReaderState, size: Rect) -> App {
        let labs = Labs::load(&course);
        let pane = LabsPane::new(
            labs,
            Progress::default(),
            Err(crate::strings::NO_FACTS_SOURCE.to_string()),
        );
        let mut app = App {
            view: View::Reader,
            labs: pane,
            detail_scroll: 0,
            course,
            chapter: 0,
            doc: Doc::default(),
            size,
            scroll: 0,
            focus: Focus::Text,
            toc_selected: 0,
            back: Vec::new(),
            forward: Vec::new(),
            search: Search::default(),
            show_help: false,
            show_links: false,
            status: None,
            quit: false,
            state,
        };
        app.status = app.course.warnings.first().map(|w| format!("warning: {w}"));
        app.rerender();
        app.restore_position();
        app
    }

    fn chapter_key(&self) -> Option<String> {
        let c = self.course.chapters.get(self.chapter)?;
        Some(ReaderState::key(&self.course.title, &c.id))
    }

    fn restore_position(&mut self) {
        let Some(key) = self.chapter_key() else {
            return;
        };
        if let Some(p) = self.state.positions.get(&key).cloned() {
            let line = p
                .anchor
                .as_deref()
                .and_then(|a| self.doc.anchor_line(a))
                .map(|l| l + p.offset)
                .unwrap_or(p.line);
            self.scroll_to(line);
        }
        self.sync_toc();
    }

    /// Records the current position in the reader state (saved by the caller).
    pub fn remember_position(&mut self) {
        let Some(key) = self.chapter_key() else {
            return;
        };
        let here = self.location();
        self.state.positions.insert(
            key,
            Position {
                line: self.scroll,
                anchor: here.anchor,
                offset: here.offset,
            },
        );
    }

    pub fn location(&self) -> Location {
        match self.doc.section_at(self.scroll) {
            Some(i) => Location {
                view: self.view,
                chapter: self.chapter,
                anchor: Some(self.doc.toc[i].anchor.clone()),
                offset: self.scroll - self.doc.toc[i].line,
            },
            None => Location {
                view: self.view,
                chapter: self.chapter,
                anchor: None,
                offset: self.scroll,
            },
        }
    }

    fn go(&mut self, loc: &Location) {
        self.view = loc.view;
        if loc.chapter != self.chapter && loc.chapter < self.course.chapters.len() {
            self.remember_position();
            self.chapter = loc.chapter;
            self.rerender();
            self.rerun_search();
        }
        let line = match loc.anchor.as_deref().and_then(|a| self.doc.anchor_line(a)) {
            Some(l) => l + loc.offset,
            None => loc.offset,
        };
        self.scroll_to(line);
        self.sync_toc();
    }

    /// Jumps somewhere, remembering where we were for `Back`.
    fn jump(&mut self, loc: Location) {
        let here = self.location();
        if here != loc {
            self.back.push(here);
            self.forward.clear();
        }
        self.go(&loc);
    }

    /// Jumps to a heading anchor of the current chapter; false when it does not exist.
    pub fn jump_to_anchor(&mut self, anchor: &str) -> bool {
        let anchor = anchor.trim_start_matches('#');
        if self.doc.anchor_line(anchor).is_none() {
            return false;
        }
        self.jump(Location {
            view: View::Reader,
            chapter: self.chapter,
            anchor: Some(anchor.to_string()),
            offset: 0,
        });
        true
    }

    /// The width the text is rendered at, from the layout.
    fn text_width(&self) -> u16 {
        view::layout(self.size, self.show_toc()).text.width.max(1)
    }

    pub fn page_height(&self) -> usize {
        usize::from(view::layout(self.size, self.show_toc()).text.height.max(1))
    }

    /// The table of contents is hidden on narrow terminals.
    pub fn show_toc(&self) -> bool {
        self.size.width >= 70
    }

    fn rerender(&mut self) {
        let markdown = self
            .course
            .chapters
            .get(self.chapter)
            .map(|c| c.source.text.as_str())
            .unwrap_or("*This course has no chapters.*");
        self.doc = markdown::render(markdown, self.text_width());
    }

    /// A new terminal size: reflow the text and keep the reader in the same place.
    pub fn resize(&mut self, size: Rect) {
        if size == self.size {
            return;
        }
        let here = self.location();
        self.size = size;
        self.rerender();
        self.rerun_search();
        self.go(&here);
    }

    fn max_scroll(&self) -> usize {
        self.doc.lines.len().saturating_sub(self.page_height())
    }

    fn scroll_to(&mut self, line: usize) {
        self.scroll = line.min(self.max_scroll());
    }

    fn scroll_by(&mut self, delta: isize) {
        let target = self.scroll.saturating_add_signed(delta);
        self.scroll_to(target);
        self.sync_toc();
    }

    /// Keeps the table-of-contents selection on the section being read.
    fn sync_toc(&mut self) {
        if let Some(i) = self.current_section() {
            self.toc_selected = i;
        }
    }

    /// The index in the TOC of the section being read: the one at the top of
    /// the view, except at the very end, where short last sections can never
    /// reach the top and the last heading on screen is the one being read.
    pub fn current_section(&self) -> Option<usize> {
        if self.scroll > 0 && self.scroll >= self.max_scroll() {
            let bottom = self.scroll + self.page_height();
            if let Some(i) = self.doc.toc.iter().rposition(|t| t.line < bottom) {
                return Some(i);
            }
        }
        self.doc.section_at(self.scroll)
    }

    pub fn on_mouse(&mut self, m: MouseEvent) {
        match m.kind {
            MouseEventKind::ScrollDown => self.scroll_by(3),
            MouseEventKind::ScrollUp => self.scroll_by(-3),
            _ => {}
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) {
        if let Some(input) = self.search.input.as_mut() {
            match key.code {
                KeyCode::Esc => self.search.input = None,
                KeyCode::Enter => {
                    let q = input.clone();
                    self.search.input = None;
                    self.start_search(q);
                }
                KeyCode::Backspace => {
                    input.pop();
                }
                KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => input.push(c),
                _ => {}
            }
            return;
        }
        if self.show_links {
            self.show_links = false;
            if let KeyCode::Char(c) = key.code
                && let Some(n) = c.to_digit(10)
            {
                self.follow_link(n as usize);
            }
            return;
        }
        if self.show_help {
            // Any key closes the help; `q` still quits.
            self.show_help = false;
            if keys::action_for(key) == Some(Action::Quit) {
                self.update(Action::Quit);
            }
            return;
        }
        if key.code == KeyCode::Esc {
            self.status = None;
            self.search = Search::default();
            return;
        }
        if let Some(action) = keys::action_for(key) {
            self.update(action);
        }
    }

    pub fn update(&mut self, action: Action) {
        if self.view == View::Labs && self.update_labs(action) {
            return;
        }
        let page = self.page_height().saturating_sub(2).max(1) as isize;
        let toc_len = self.doc.toc.len();
        match (action, self.focus) {
            (Action::Quit, _) => {
                self.remember_position();
                self.quit = true;
            }
            (Action::Down, Focus::Toc) => {
                self.toc_selected = (self.toc_selected + 1).min(toc_len.saturating_sub(1))
            }
            (Action::Up, Focus::Toc) => self.toc_selected = self.toc_selected.saturating_sub(1),
            (Action::Down, Focus::Text) => self.scroll_by(1),
            (Action::Up, Focus::Text) => self.scroll_by(-1),
            (Action::PageDown, _) => self.scroll_by(page),
            (Action::PageUp, _) => self.scroll_by(-page),
            (Action::Top, Focus::Toc) => self.toc_selected = 0,
            (Action::Bottom, Focus::Toc) => self.toc_selected = toc_len.saturating_sub(1),
            (Action::Top, Focus::Text) => {
                self.scroll_to(0);
                self.sync_toc();
            }
            (Action::Bottom, Focus::Text) => {
                self.scroll_to(usize::MAX);
                self.sync_toc();
            }
            (Action::SwitchFocus, _) => {
                self.focus = match self.focus {
                    Focus::Text if self.show_toc() => Focus::Toc,
                    _ => Focus::Text,
                };
            }
            (Action::Open, Focus::Toc) => {
                if let Some(entry) = self.doc.toc.get(self.toc_selected) {
                    let anchor = entry.anchor.clone();
                    self.jump_to_anchor(&anchor);
                    self.focus = Focus::Text;
                }
            }
            (Action::Open, Focus::Text) => {}
            (Action::Back, _) => {
                if let Some(loc) = self.back.pop() {
                    self.forward.push(self.location());
                    self.go(&loc);
                } else {
                    self.status = Some("Nothing to go back to.".to_string());
                }
            }
            (Action::Forward, _) => {
                if let Some(loc) = self.forward.pop() {
                    self.back.push(self.location());
                    self.go(&loc);
                }
            }
            (Action::Links, _) => {
                if self.visible_links().is_empty() {
                    self.status = Some("No links on this screen.".to_string());
                } else {
                    self.show_links = true;
                }
            }
            (Action::Search, _) => self.search.input = Some(String::new()),
            (Action::NextMatch, _) => self.step_match(true),
            (Action::PrevMatch, _) => self.step_match(false),
            (Action::NextChapter, _) | (Action::PrevChapter, _) => {
                let n = self.course.chapters.len();
                let next = if action == Action::NextChapter {
                    self.chapter + 1
                } else {
                    self.chapter.wrapping_sub(1)
                };
                if next < n {
                    self.remember_position();
                    self.chapter = next;
                    self.rerender();
                    self.scroll = 0;
                    self.restore_position();
                    self.rerun_search();
                } else {
                    self.status = Some("No more chapters that way.".to_string());
                }
            }
            (Action::Help, _) => self.show_help = !self.show_help,
            (Action::Labs, _) => {
                self.view = View::Labs;
                self.focus = Focus::Text;
            }
            (Action::Check | Action::CheckAll | Action::Hint | Action::Mark, _) => {
                self.status = Some("That works in the labs: press l to open them.".to_string());
            }
        }
    }

    /// Handles an action in the lab view; false lets the reader's handling run
    /// (quit, help, back and forward are the same everywhere).
    fn update_labs(&mut self, action: Action) -> bool {
        let page = self.page_height().saturating_sub(2).max(1);
        match action {
            Action::Down => self.select_step(1),
            Action::Up => self.select_step(-1),
            Action::Top => {
                self.labs.move_to(false);
                self.detail_scroll = 0;
            }
            Action::Bottom => {
                self.labs.move_to(true);
                self.detail_scroll = 0;
            }
            Action::PageDown => self.detail_scroll += page,
            Action::PageUp => self.detail_scroll = self.detail_scroll.saturating_sub(page),
            Action::Labs | Action::SwitchFocus => self.view = View::Reader,
            Action::Open => self.open_step_section(),
            Action::Check => self.status = Some(self.labs.request_check(false)),
            Action::CheckAll => self.status = Some(self.labs.request_check(true)),
            Action::Hint => self.status = self.labs.reveal_hint(),
            Action::Mark => {
                let now = crate::clock::now_rfc3339();
                self.status = Some(self.labs.toggle_mark(&now));
            }
            Action::Search | Action::NextMatch | Action::PrevMatch | Action::Links => {
                self.status = Some("Search works in the chapter: press l to go back to it.".into())
            }
            Action::NextChapter | Action::PrevChapter => return false,
            Action::Quit | Action::Help | Action::Back | Action::Forward => return false,
        }
        true
    }

    /// The links whose text starts on screen, at most nine (one digit each).
    pub fn visible_links(&self) -> Vec<&markdown::Link> {
        let end = self.scroll + self.page_height();
        self.doc
            .links
            .iter()
            .filter(|l| (self.scroll..end).contains(&l.line))
            .take(9)
            .collect()
    }

    /// Follows link `n` (1-based) of those on screen: a `#section` jumps
    /// there (Back returns); a web address is shown to open elsewhere.
    fn follow_link(&mut self, n: usize) {
        let Some(link) = n
            .checked_sub(1)
            .and_then(|i| self.visible_links().get(i).map(|l| (*l).clone()))
        else {
            return;
        };
        match link.target.strip_prefix('#') {
            Some(anchor) => {
                if !self.jump_to_anchor(anchor) {
                    self.status = Some(format!("This chapter has no section #{anchor}."));
                }
            }
            None => self.status = Some(format!("{} → {}", link.text, link.target)),
        }
    }

    fn select_step(&mut self, delta: isize) {
        self.labs.move_by(delta);
        self.detail_scroll = 0;
    }

    /// Opens the chapter at the section that teaches the selected step (or lab).
    fn open_step_section(&mut self) {
        // A lab row opens the section of its first step.
        let section = match self.labs.selection() {
            Some((_, Some(_))) => self.labs.selected_step().map(|(_, s)| s.section.clone()),
            Some((l, None)) => self
                .labs
                .lab(l)
                .and_then(|lab| lab.steps.first())
                .map(|s| s.section.clone()),
            None => None,
        };
        let Some(anchor) = section else {
            self.status = Some("This row has no chapter section.".to_string());
            return;
        };
        // The section may be in any chapter of the course; the current one
        // is already rendered.
        let chapter = if self.doc.anchor_line(&anchor).is_some() {
            Some(self.chapter)
        } else {
            (0..self.course.chapters.len()).find(|&c| {
                crate::markdown::heading_anchors(&self.course.chapters[c].source.text)
                    .contains(&anchor)
            })
        };
        match chapter {
            Some(c) => {
                let here = self.location();
                self.back.push(here);
                self.forward.clear();
                self.go(&Location {
                    view: View::Reader,
                    chapter: c,
                    anchor: Some(anchor),
                    offset: 0,
                });
                self.status = Some("Press [ to go back to the labs.".to_string());
            }
            None => self.status = Some(format!("The chapter has no section #{anchor}.")),
        }
    }

    fn find_matches(&self, query: &str) -> Vec<(usize, std::ops::Range<usize>)> {
        let needle = query.to_lowercase();
        if needle.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for i in 0..self.doc.lines.len() {
            let text = self.doc.plain(i);
            // Lower-casing can change byte lengths; only match where it does not.
            let hay = text.to_lowercase();
            if hay.len() != text.len() {
                continue;
            }
            let mut from = 0;
            while let Some(pos) = hay[from..].find(&needle) {
                let start = from + pos;
                out.push((i, start..start + needle.len()));
                from = start + needle.len().max(1);
            }
        }
        out
    }

    fn start_search(&mut self, query: String) {
        self.search.matches = self.find_matches(&query);
        self.search.query = query;
        self.search.current = None;
        if self.search.matches.is_empty() {
            self.status = Some(format!("Not found: {}", self.search.query));
            return;
        }
        // The first match at or below the top of the view, else wrap to the first.
        let i = self
            .search
            .matches
            .iter()
            .position(|(l, _)| *l >= self.scroll)
            .unwrap_or(0);
        self.show_match(i);
    }

    fn rerun_search(&mut self) {
        if !self.search.query.is_empty() {
            self.search.matches = self.find_matches(&self.search.query);
            self.search.current = None;
        }
    }

    fn step_match(&mut self, forward: bool) {
        let n = self.search.matches.len();
        if n == 0 {
            self.status = Some(if self.search.query.is_empty() {
                "No search yet: press / to search.".to_string()
            } else {
                format!("Not found: {}", self.search.query)
            });
            return;
        }
        let i = match self.search.current {
            Some(c) if forward => (c + 1) % n,
            Some(c) => (c + n - 1) % n,
            None if forward => self
                .search
                .matches
                .iter()
                .position(|(l, _)| *l > self.scroll)
                .unwrap_or(0),
            None => self
                .search
                .matches
                .iter()
                .rposition(|(l, _)| *l < self.scroll)
                .unwrap_or(n - 1),
        };
        self.show_match(i);
    }

    fn show_match(&mut self, i: usize) {
        let line = self.search.matches[i].0;
        let here = self.location();
        self.search.current = Some(i);
        // Keep a little context above the match.
        let target = line.saturating_sub(2);
        if line < self.scroll || line >= self.scroll + self.page_height() {
            self.back.push(here);
            self.forward.clear();
            self.scroll_to(target);
            self.sync_toc();
        }
        self.status = Some(format!(
            "Match {} of {} for \"{}\"",
            i + 1,
            self.search.matches.len(),
            self.search.query
        ));
    }
}
