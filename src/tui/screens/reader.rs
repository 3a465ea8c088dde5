//! The reader screen: a chapter rendered to the terminal's width, its table
//! of contents, search, the links on screen and the reading positions. Owns
//! that state, its update and its draw; borrows the course, the size, the
//! status line and the history from [`Shared`]. No I/O: the positions are
//! saved by the caller when the UI ends.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, List, ListItem, ListState, Paragraph, Scrollbar, ScrollbarOrientation,
    ScrollbarState,
};

use super::super::keys::{Action, key_name};
use super::super::layout;
use super::super::shared::{Location, Shared, View};
use super::{Goto, Hint, Reply};
use crate::markdown::{self, Doc, truncate, width_of};
use crate::state::{Position, ReaderState};

/// What the reader's hint bar shows.
pub const HINTS: &[Hint] = &[
    (&[Action::Down, Action::Up], "scroll"),
    (&[Action::SwitchFocus], "contents"),
    (&[Action::Search], "search"),
    (&[Action::Back], "back"),
    (&[Action::Labs], "labs"),
    (&[Action::Help], "help"),
    (&[Action::Quit], "quit"),
];

/// Where the keyboard goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Text,
    Toc,
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

pub struct Reader {
    pub chapter: usize,
    pub doc: Doc,
    pub scroll: usize,
    pub focus: Focus,
    pub toc_selected: usize,
    pub search: Search,
    /// The list of links on screen is open.
    pub show_links: bool,
    /// The reading positions, saved when the UI ends.
    pub state: ReaderState,
}

impl Reader {
    /// The first chapter at the position `state` remembers for it.
    pub fn new(state: ReaderState, cx: &Shared) -> Reader {
        let mut r = Reader {
            chapter: 0,
            doc: Doc::default(),
            scroll: 0,
            focus: Focus::Text,
            toc_selected: 0,
            search: Search::default(),
            show_links: false,
            state,
        };
        r.rerender(cx);
        r.restore_position(cx);
        r
    }

    fn chapter_key(&self, cx: &Shared) -> Option<String> {
        let c = cx.course.chapters.get(self.chapter)?;
        Some(ReaderState::key(&cx.course.title, &c.id))
    }

    fn restore_position(&mut self, cx: &Shared) {
        let Some(key) = self.chapter_key(cx) else {
            return;
        };
        if let Some(p) = self.state.positions.get(&key).cloned() {
            let line = p
                .anchor
                .as_deref()
                .and_then(|a| self.doc.anchor_line(a))
                .map(|l| l + p.offset)
                .unwrap_or(p.line);
            self.scroll_to(line, cx);
        }
        self.sync_toc(cx);
    }

    /// Records the current position in the reader state (saved by the caller).
    pub fn remember_position(&mut self, cx: &Shared) {
        let Some(key) = self.chapter_key(cx) else {
            return;
        };
        let here = self.location(cx);
        self.state.positions.insert(
            key,
            Position {
                line: self.scroll,
                anchor: here.anchor,
                offset: here.offset,
            },
        );
    }

    /// Where the reader is, on the screen showing.
    pub fn location(&self, cx: &Shared) -> Location {
        match self.doc.section_at(self.scroll) {
            Some(i) => Location {
                view: cx.view,
                chapter: self.chapter,
                anchor: Some(self.doc.toc[i].anchor.clone()),
                offset: self.scroll - self.doc.toc[i].line,
            },
            None => Location {
                view: cx.view,
                chapter: self.chapter,
                anchor: None,
                offset: self.scroll,
            },
        }
    }

    /// Shows `loc` (its screen too), without touching the history.
    pub fn go(&mut self, loc: &Location, cx: &mut Shared) {
        cx.view = loc.view;
        if loc.chapter != self.chapter && loc.chapter < cx.course.chapters.len() {
            self.remember_position(cx);
            self.chapter = loc.chapter;
            self.rerender(cx);
            self.rerun_search();
        }
        let line = match loc.anchor.as_deref().and_then(|a| self.doc.anchor_line(a)) {
            Some(l) => l + loc.offset,
            None => loc.offset,
        };
        self.scroll_to(line, cx);
        self.sync_toc(cx);
    }

    /// Jumps somewhere, remembering where we were for `Back`.
    fn jump(&mut self, loc: Location, cx: &mut Shared) {
        let here = self.location(cx);
        if here != loc {
            cx.history.leave(here);
        }
        self.go(&loc, cx);
    }

    /// Jumps to a heading anchor of the current chapter; false when it does not exist.
    pub fn jump_to_anchor(&mut self, anchor: &str, cx: &mut Shared) -> bool {
        let anchor = anchor.trim_start_matches('#');
        if self.doc.anchor_line(anchor).is_none() {
            return false;
        }
        self.jump(
            Location {
                view: View::Reader,
                chapter: self.chapter,
                anchor: Some(anchor.to_string()),
                offset: 0,
            },
            cx,
        );
        true
    }

    /// Opens the section `anchor` in whichever chapter has it (the current
    /// one first), remembering where we were; false when no chapter has it.
    pub fn open_section(&mut self, anchor: &str, cx: &mut Shared) -> bool {
        let chapter = if self.doc.anchor_line(anchor).is_some() {
            Some(self.chapter)
        } else {
            (0..cx.course.chapters.len()).find(|&c| {
                markdown::heading_anchors(&cx.course.chapters[c].source.text)
                    .iter()
                    .any(|a| a == anchor)
            })
        };
        let Some(c) = chapter else {
            return false;
        };
        let here = self.location(cx);
        cx.history.leave(here);
        self.go(
            &Location {
                view: View::Reader,
                chapter: c,
                anchor: Some(anchor.to_string()),
                offset: 0,
            },
            cx,
        );
        true
    }

    pub fn page_height(&self, cx: &Shared) -> usize {
        layout::page_height(cx.size)
    }

    fn rerender(&mut self, cx: &Shared) {
        let markdown = cx
            .course
            .chapters
            .get(self.chapter)
            .map(|c| c.source.text.as_str())
            .unwrap_or("*This course has no chapters.*");
        let width = layout::layout(cx.size, layout::shows_toc(cx.size))
            .text
            .width
            .max(1);
        self.doc = markdown::render(markdown, width);
    }

    /// The size changed (already in `cx`): reflow the text and stay at `here`.
    pub fn reflow(&mut self, here: &Location, cx: &mut Shared) {
        self.rerender(cx);
        self.rerun_search();
        self.go(here, cx);
    }

    fn max_scroll(&self, cx: &Shared) -> usize {
        self.doc.lines.len().saturating_sub(self.page_height(cx))
    }

    fn scroll_to(&mut self, line: usize, cx: &Shared) {
        self.scroll = line.min(self.max_scroll(cx));
    }

    fn scroll_by(&mut self, delta: isize, cx: &Shared) {
        let target = self.scroll.saturating_add_signed(delta);
        self.scroll_to(target, cx);
        self.sync_toc(cx);
    }

    /// Keeps the table-of-contents selection on the section being read.
    fn sync_toc(&mut self, cx: &Shared) {
        if let Some(i) = self.current_section(cx) {
            self.toc_selected = i;
        }
    }

    /// The index in the TOC of the section being read: the one at the top of
    /// the view, except at the very end, where short last sections can never
    /// reach the top and the last heading on screen is the one being read.
    pub fn current_section(&self, cx: &Shared) -> Option<usize> {
        if self.scroll > 0 && self.scroll >= self.max_scroll(cx) {
            let bottom = self.scroll + self.page_height(cx);
            if let Some(i) = self.doc.toc.iter().rposition(|t| t.line < bottom) {
                return Some(i);
            }
        }
        self.doc.section_at(self.scroll)
    }

    pub fn on_mouse(&mut self, m: MouseEvent, cx: &Shared) {
        match m.kind {
            MouseEventKind::ScrollDown => self.scroll_by(3, cx),
            MouseEventKind::ScrollUp => self.scroll_by(-3, cx),
            _ => {}
        }
    }

    /// A prompt (the search input, the list of links) takes every key.
    pub fn prompt_open(&self) -> bool {
        self.search.input.is_some() || self.show_links
    }

    /// A key while a prompt is open.
    pub fn on_prompt_key(&mut self, key: KeyEvent, cx: &mut Shared) {
        if let Some(input) = self.search.input.as_mut() {
            match key.code {
                KeyCode::Esc => self.search.input = None,
                KeyCode::Enter => {
                    let q = input.clone();
                    self.search.input = None;
                    self.start_search(q, cx);
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
                self.follow_link(n as usize, cx);
            }
        }
    }

    /// Esc: forget the search.
    pub fn cancel_search(&mut self) {
        self.search = Search::default();
    }

    pub fn update(&mut self, action: Action, cx: &mut Shared) -> Reply {
        let page = self.page_height(cx).saturating_sub(2).max(1) as isize;
        let toc_len = self.doc.toc.len();
        match (action, self.focus) {
            (Action::Quit | Action::Help | Action::Back | Action::Forward, _) => {
                return Reply::Unhandled;
            }
            (Action::Down, Focus::Toc) => {
                self.toc_selected = (self.toc_selected + 1).min(toc_len.saturating_sub(1))
            }
            (Action::Up, Focus::Toc) => self.toc_selected = self.toc_selected.saturating_sub(1),
            (Action::Down, Focus::Text) => self.scroll_by(1, cx),
            (Action::Up, Focus::Text) => self.scroll_by(-1, cx),
            (Action::PageDown, _) => self.scroll_by(page, cx),
            (Action::PageUp, _) => self.scroll_by(-page, cx),
            (Action::Top, Focus::Toc) => self.toc_selected = 0,
            (Action::Bottom, Focus::Toc) => self.toc_selected = toc_len.saturating_sub(1),
            (Action::Top, Focus::Text) => {
                self.scroll_to(0, cx);
                self.sync_toc(cx);
            }
            (Action::Bottom, Focus::Text) => {
                self.scroll_to(usize::MAX, cx);
                self.sync_toc(cx);
            }
            (Action::SwitchFocus, _) => {
                self.focus = match self.focus {
                    Focus::Text if layout::shows_toc(cx.size) => Focus::Toc,
                    _ => Focus::Text,
                };
            }
            (Action::Open, Focus::Toc) => {
                if let Some(entry) = self.doc.toc.get(self.toc_selected) {
                    let anchor = entry.anchor.clone();
                    self.jump_to_anchor(&anchor, cx);
                    self.focus = Focus::Text;
                }
            }
            (Action::Open, Focus::Text) => {}
            (Action::Links, _) => {
                if self.visible_links(cx).is_empty() {
                    cx.say("No links on this screen.");
                } else {
                    self.show_links = true;
                }
            }
            (Action::Search, _) => self.search.input = Some(String::new()),
            (Action::NextMatch, _) => self.step_match(true, cx),
            (Action::PrevMatch, _) => self.step_match(false, cx),
            (Action::NextChapter, _) | (Action::PrevChapter, _) => {
                let n = cx.course.chapters.len();
                let next = if action == Action::NextChapter {
                    self.chapter + 1
                } else {
                    self.chapter.wrapping_sub(1)
                };
                if next < n {
                    self.remember_position(cx);
                    self.chapter = next;
                    self.rerender(cx);
                    self.scroll = 0;
                    self.restore_position(cx);
                    self.rerun_search();
                } else {
                    cx.say("No more chapters that way.");
                }
            }
            (Action::Labs, _) => {
                self.focus = Focus::Text;
                return Reply::Goto(Goto::Labs);
            }
            (Action::Check | Action::CheckAll | Action::Hint | Action::Mark | Action::Watch, _) => {
                cx.say(format!(
                    "That works in the labs: press {} to open them.",
                    key_name(Action::Labs)
                ));
            }
            // The app opens the quiz and the review from any screen.
            (Action::Quiz | Action::Review, _) => return Reply::Unhandled,
        }
        Reply::Done
    }

    /// The links whose text starts on screen, at most nine (one digit each).
    pub fn visible_links(&self, cx: &Shared) -> Vec<&markdown::Link> {
        let end = self.scroll + self.page_height(cx);
        self.doc
            .links
            .iter()
            .filter(|l| (self.scroll..end).contains(&l.line))
            .take(9)
            .collect()
    }

    /// Follows link `n` (1-based) of those on screen: a `#section` jumps
    /// there (Back returns); a web address is shown to open elsewhere.
    fn follow_link(&mut self, n: usize, cx: &mut Shared) {
        let Some(link) = n
            .checked_sub(1)
            .and_then(|i| self.visible_links(cx).get(i).map(|l| (*l).clone()))
        else {
            return;
        };
        match link.target.strip_prefix('#') {
            Some(anchor) => {
                if !self.jump_to_anchor(anchor, cx) {
                    cx.say(format!("This chapter has no section #{anchor}."));
                }
            }
            None => cx.say(format!("{} → {}", link.text, link.target)),
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

    fn start_search(&mut self, query: String, cx: &mut Shared) {
        self.search.matches = self.find_matches(&query);
        self.search.query = query;
        self.search.current = None;
        if self.search.matches.is_empty() {
            cx.say(format!("Not found: {}", self.search.query));
            return;
        }
        // The first match at or below the top of the view, else wrap to the first.
        let i = self
            .search
            .matches
            .iter()
            .position(|(l, _)| *l >= self.scroll)
            .unwrap_or(0);
        self.show_match(i, cx);
    }

    fn rerun_search(&mut self) {
        if !self.search.query.is_empty() {
            self.search.matches = self.find_matches(&self.search.query);
            self.search.current = None;
        }
    }

    fn step_match(&mut self, forward: bool, cx: &mut Shared) {
        let n = self.search.matches.len();
        if n == 0 {
            cx.say(if self.search.query.is_empty() {
                format!(
                    "No search yet: press {} to search.",
                    key_name(Action::Search)
                )
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
        self.show_match(i, cx);
    }

    fn show_match(&mut self, i: usize, cx: &mut Shared) {
        let line = self.search.matches[i].0;
        let here = self.location(cx);
        self.search.current = Some(i);
        // Keep a little context above the match.
        let target = line.saturating_sub(2);
        if line < self.scroll || line >= self.scroll + self.page_height(cx) {
            cx.history.leave(here);
            self.scroll_to(target, cx);
            self.sync_toc(cx);
        }
        cx.say(format!(
            "Match {} of {} for \"{}\"",
            i + 1,
            self.search.matches.len(),
            self.search.query
        ));
    }

    /// The title bar's left and right: where we are and how far.
    pub fn title(&self, cx: &Shared) -> (String, String) {
        let chapter = cx
            .course
            .chapters
            .get(self.chapter)
            .map(|c| c.title.as_str())
            .unwrap_or("");
        let total = self.doc.lines.len().max(1);
        let shown = (self.scroll + self.page_height(cx)).min(total);
        (
            format!(" {} › {} ", cx.course.title, chapter),
            format!(" {:>3}% ", shown * 100 / total),
        )
    }

    /// The prompt the status row shows instead of the status, if one is open.
    pub fn prompt(&self) -> Option<Line<'static>> {
        let input = self.search.input.as_ref()?;
        Some(Line::from(vec![
            Span::styled(key_name(Action::Search), Style::new().fg(Color::Yellow)),
            Span::raw(input.clone()),
            Span::styled("█", Style::new().fg(Color::Gray)),
        ]))
    }

    /// Draws the contents, the text, the scrollbar and the open list of links.
    pub fn draw(&self, frame: &mut Frame, cx: &Shared) {
        let areas = layout::layout(frame.area(), layout::shows_toc(cx.size));
        if let Some(toc) = areas.toc {
            self.draw_toc(frame, toc, cx);
        }
        self.draw_text(frame, areas.text);
        let mut sb = ScrollbarState::new(self.doc.lines.len().saturating_sub(self.page_height(cx)))
            .position(self.scroll);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None),
            areas.scrollbar,
            &mut sb,
        );
        if self.show_links {
            self.draw_links(frame, areas.text, cx);
        }
    }

    /// The numbered links on screen, over the bottom of the text.
    fn draw_links(&self, frame: &mut Frame, text: Rect, cx: &Shared) {
        let links = self.visible_links(cx);
        let lines: Vec<Line> = links
            .iter()
            .enumerate()
            .map(|(i, l)| {
                Line::from(vec![
                    Span::styled(
                        format!(" {} ", i + 1),
                        Style::new().fg(Color::Black).bg(Color::Cyan),
                    ),
                    Span::raw(format!(" {} ", l.text)),
                    Span::styled(l.target.clone(), Style::new().fg(Color::DarkGray)),
                ])
            })
            .collect();
        let h = (lines.len() as u16 + 2).min(text.height);
        let area = Rect {
            y: text.y + text.height - h,
            height: h,
            ..text
        };
        super::draw_overlay(
            frame,
            area,
            " Links on screen — press a digit, any other key closes ",
            lines,
        );
    }

    fn draw_toc(&self, frame: &mut Frame, area: Rect, cx: &Shared) {
        let current = self.current_section(cx);
        let focused = self.focus == Focus::Toc;
        let items: Vec<ListItem> = self
            .doc
            .toc
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                let indent = "  ".repeat(usize::from(entry.level.saturating_sub(2)));
                let marker = if Some(i) == current { "▶ " } else { "  " };
                let mut style = match entry.level {
                    1 | 2 => Style::new().add_modifier(Modifier::BOLD),
                    _ => Style::new(),
                };
                if Some(i) == current {
                    style = style.fg(Color::Yellow).add_modifier(Modifier::BOLD);
                }
                let full = format!("{marker}{indent}{}", entry.title);
                // One column for the border; an ellipsis shows a cut title.
                let room = usize::from(area.width).saturating_sub(1);
                let shown = if width_of(&full) > room {
                    format!("{}…", truncate(&full, room.saturating_sub(1)))
                } else {
                    full
                };
                ListItem::new(Line::from(Span::styled(shown, style)))
            })
            .collect();
        let border_style = if focused {
            Style::new().fg(Color::Cyan)
        } else {
            Style::new().fg(Color::DarkGray)
        };
        let list = List::new(items)
            .block(
                Block::new()
                    .borders(Borders::RIGHT)
                    .border_style(border_style)
                    .title(Span::styled(" Contents ", border_style)),
            )
            .highlight_style(if focused {
                Style::new().add_modifier(Modifier::REVERSED)
            } else {
                Style::new()
            });
        let selected = if focused {
            self.toc_selected
        } else {
            current.unwrap_or(0)
        };
        let mut state = ListState::default().with_selected(Some(selected));
        frame.render_stateful_widget(list, area, &mut state);
    }

    fn draw_text(&self, frame: &mut Frame, area: Rect) {
        let end = (self.scroll + usize::from(area.height)).min(self.doc.lines.len());
        let lines: Vec<Line> = (self.scroll..end)
            .map(|i| {
                let ranges: Vec<(std::ops::Range<usize>, bool)> = self
                    .search
                    .matches
                    .iter()
                    .enumerate()
                    .filter(|(_, (l, _))| *l == i)
                    .map(|(n, (_, r))| (r.clone(), Some(n) == self.search.current))
                    .collect();
                if ranges.is_empty() {
                    self.doc.lines[i].clone()
                } else {
                    highlight(&self.doc.lines[i], &ranges)
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
    }
}

/// Restyles the byte ranges of a line's plain text as search matches.
fn highlight(line: &Line<'static>, ranges: &[(std::ops::Range<usize>, bool)]) -> Line<'static> {
    let mut out: Vec<Span<'static>> = Vec::new();
    let mut offset = 0;
    for span in &line.spans {
        let text = span.content.as_ref();
        let mut piece_start = 0;
        let mut cuts: Vec<usize> = ranges
            .iter()
            .flat_map(|(r, _)| [r.start, r.end])
            .filter(|&b| b > offset && b < offset + text.len())
            .map(|b| b - offset)
            .filter(|&b| text.is_char_boundary(b))
            .collect();
        cuts.sort_unstable();
        cuts.push(text.len());
        for cut in cuts {
            if cut <= piece_start {
                continue;
            }
            let abs = offset + piece_start;
            let hit = ranges.iter().find(|(r, _)| r.contains(&abs));
            let style = match hit {
                Some((_, true)) => span.style.fg(Color::Black).bg(Color::LightYellow),
                Some((_, false)) => span.style.fg(Color::Black).bg(Color::Yellow),
                None => span.style,
            };
            out.push(Span::styled(text[piece_start..cut].to_string(), style));
            piece_start = cut;
        }
        offset += text.len();
    }
    Line::from(out)
}
