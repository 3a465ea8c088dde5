//! Markdown to styled, width-wrapped terminal lines.
//!
//! [`render`] turns a document into a [`Doc`]: ratatui [`Line`]s no wider than
//! the width asked for, a table of contents with each heading's line, and
//! the links with their targets. Pure: no terminal I/O, no knowledge of the
//! TUI, so the same output feeds the reader, `labbook read` and the tests.
//!
//! Widths are measured per grapheme with `unicode-width`, exactly as
//! ratatui's buffer places them, so emoji and CJK line up in tables.
//! Control characters are never passed through: a course file cannot send
//! escape sequences to the terminal.

use std::collections::HashMap;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::highlight;

/// The pulldown-cmark extensions the course uses.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_FOOTNOTES
}

/// GitHub-style anchor of a heading's text: lower case, spaces to `-`,
/// punctuation other than `-` and `_` dropped.
pub fn slug(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c.to_lowercase().collect::<String>())
            } else if c == ' ' {
                Some("-".to_string())
            } else {
                None
            }
        })
        .collect()
}

/// Every heading anchor of a document, in order: the explicit `{#id}` when
/// given, else the slug of its text, made unique with `-1`, `-2`, ... as GitHub does.
pub fn heading_anchors(markdown: &str) -> Vec<String> {
    render(markdown, 80)
        .toc
        .into_iter()
        .map(|t| t.anchor)
        .collect()
}

/// Makes `base` unique among the anchors seen so far.
fn unique(base: String, seen: &mut HashMap<String, usize>) -> String {
    let n = seen.entry(base.clone()).or_insert(0);
    let out = if *n == 0 {
        base.clone()
    } else {
        format!("{base}-{n}")
    };
    *n += 1;
    out
}

/// A heading, where it landed in the rendered lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub title: String,
    pub anchor: String,
    pub line: usize,
}

/// A link: its visible text, its target and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub line: usize,
    pub text: String,
    pub target: String,
}

/// A rendered document.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub width: u16,
    pub lines: Vec<Line<'static>>,
    pub toc: Vec<TocEntry>,
    pub links: Vec<Link>,
}

impl Doc {
    /// The line a heading anchor starts on.
    pub fn anchor_line(&self, anchor: &str) -> Option<usize> {
        let anchor = anchor.trim_start_matches('#');
        self.toc.iter().find(|t| t.anchor == anchor).map(|t| t.line)
    }

    /// The index in [`Doc::toc`] of the section that contains `line`.
    pub fn section_at(&self, line: usize) -> Option<usize> {
        self.toc.iter().rposition(|t| t.line <= line)
    }

    /// The text of a line without styles.
    pub fn plain(&self, line: usize) -> String {
        self.lines.get(line).map(line_text).unwrap_or_default()
    }
}

/// The text of a line without styles.
pub fn line_text(line: &Line<'_>) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

/// Display width of a string, summed per grapheme as ratatui's buffer does.
pub fn width_of(s: &str) -> usize {
    // Printable ASCII, by far the common case, is one column a byte.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return s.len();
    }
    s.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// The theme: one place for every style the renderer uses.
mod theme {
    use super::*;
    pub fn h(level: u8) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        match level {
            1 => s.fg(Color::LightMagenta),
            2 => s.fg(Color::LightCyan),
            3 => s.fg(Color::Yellow),
            4 => s.fg(Color::LightGreen),
            _ => s.add_modifier(Modifier::ITALIC),
        }
    }
    pub fn code() -> Style {
        Style::new().fg(Color::LightYellow)
    }
    pub fn link() -> Style {
        Style::new()
            .fg(Color::LightBlue)
            .add_modifier(Modifier::UNDERLINED)
    }
    pub fn dim() -> Style {
        Style::new().fg(Color::DarkGray)
    }
    pub fn quote() -> Style {
        Style::new().fg(Color::Blue)
    }
    pub fn border() -> Style {
        Style::new().fg(Color::DarkGray)
    }
    pub fn marker() -> Style {
        Style::new().fg(Color::LightCyan)
    }
}

/// Inline content before wrapping.
#[derive(Debug, Clone)]
enum Inline {
    Text(String, Style),
    Break,
}

#[derive(Debug, Clone)]
enum Container {
    Quote,
    List { next: Option<u64> },
    Item { marker: String, first: bool },
}

struct Table {
    aligns: Vec<Alignment>,
    rows: Vec<Vec<Vec<Inline>>>,
    header_rows: usize,
}

struct Renderer {
    width: usize,
    lines: Vec<Line<'static>>,
    containers: Vec<Container>,
    inline: Vec<Inline>,
    styles: Vec<Style>,
    pending_blank: bool,
    heading: Option<(u8, Option<String>)>,
    code: Option<(String, String)>,
    table: Option<Table>,
    links: Vec<(String, usize)>,
    doc_links: Vec<Link>,
    /// Links whose text has not been laid out yet (indices into `doc_links`).
    unplaced_links: Vec<usize>,
    toc: Vec<TocEntry>,
    seen: HashMap<String, usize>,
    in_image: bool,
}

/// Renders `markdown` into lines at most `width` columns wide.
pub fn render(markdown: &str, width: u16) -> Doc {
    let mut r = Renderer {
        width: usize::from(width.max(1)),
        lines: Vec::new(),
        containers: Vec::new(),
        inline: Vec::new(),
        styles: Vec::new(),
        pending_blank: false,
        heading: None,
        code: None,
        table: None,
        links: Vec::new(),
        doc_links: Vec::new(),
        unplaced_links: Vec::new(),
        toc: Vec::new(),
        seen: HashMap::new(),
        in_image: false,
    };
    for event in Parser::new_ext(markdown, options()) {
        r.event(event);
    }
    r.flush_paragraph(false);
    Doc {
        width,
        lines: r.lines,
        toc: r.toc,
        links: r.doc_links,
    }
}

/// Replaces control characters so no escape sequence reaches the terminal.
fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

impl Renderer {
    fn style(&self) -> Style {
        self.styles
            .iter()
            .fold(Style::default(), |acc, s| acc.patch(*s))
    }

    fn push_text(&mut self, text: &str, extra: Style) {
        let style = self.style().patch(extra);
        if let Some((_, code)) = self.code.as_mut() {
            // Code keeps its newlines; each line is sanitized when it is laid out.
            code.push_str(text);
            return;
        }
        let text = sanitize(text);
        if let Some(table) = self.table.as_mut()
            && let Some(cell) = table.rows.last_mut().and_then(|r| r.last_mut())
        {
            cell.push(Inline::Text(text, style));
            return;
        }
        self.inline.push(Inline::Text(text, style));
    }

    fn push_break(&mut self) {
        if let Some(table) = self.table.as_mut()
            && let Some(cell) = table.rows.last_mut().and_then(|r| r.last_mut())
        {
            cell.push(Inline::Break);
            return;
        }
        self.inline.push(Inline::Break);
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.push_text(&t, Style::default()),
            Event::Code(t) => self.push_text(&t, theme::code()),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.push_text(&t, theme::code()),
            Event::SoftBreak => self.push_text(" ", Style::default()),
            Event::HardBreak => self.push_break(),
            Event::Html(t) | Event::InlineHtml(t) => {
                let tag = t.trim().to_ascii_lowercase();
                if matches!(tag.as_str(), "<br>" | "<br/>" | "<br />") {
                    self.push_break();
                } else if !tag.starts_with("<!--") {
                    self.push_text(t.trim_end_matches('\n'), theme::dim());
                }
            }
            Event::FootnoteReference(label) => {
                self.push_text(&format!("[{label}]"), theme::link());
            }
            Event::Rule => {
                self.flush_paragraph(false);
                self.block_start();
                let avail = self.avail();
                self.emit(vec![Span::styled("─".repeat(avail), theme::border())]);
                self.pending_blank = true;
            }
            Event::TaskListMarker(done) => {
                let mark = if done { "☑ " } else { "☐ " };
                if let Some(Container::Item {
                    marker,
                    first: true,
                }) = self.containers.last_mut()
                {
                    *marker = mark.to_string();
                } else {
                    self.push_text(mark, theme::marker());
                }
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => self.flush_paragraph(false),
            Tag::Heading { level, id, .. } => {
                self.flush_paragraph(false);
                let level = heading_level(level);
                self.heading = Some((level, id.map(|s| s.to_string())));
                self.styles.push(theme::h(level));
                match level {
                    3 => self.push_text("▌ ", Style::default()),
                    4 => self.push_text("▸ ", Style::default()),
                    5 | 6 => self.push_text("· ", Style::default()),
                    _ => {}
                }
            }
            Tag::BlockQuote(_) => {
                self.flush_paragraph(false);
                self.block_start();
                self.containers.push(Container::Quote);
            }
            Tag::CodeBlock(kind) => {
                self.flush_paragraph(false);
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Tag::List(start) => {
                // Text of the enclosing item goes out before the nested list.
                self.flush_paragraph(false);
                if !self
                    .containers
                    .iter()
                    .any(|c| matches!(c, Container::Item { .. }))
                {
                    self.block_start();
                }
                self.containers.push(Container::List { next: start });
            }
            Tag::Item => {
                self.flush_paragraph(false);
                let depth = self
                    .containers
                    .iter()
                    .filter(|c| matches!(c, Container::List { next: None }))
                    .count();
                let marker = match self.containers.last_mut() {
                    Some(Container::List { next: Some(n) }) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => ["• ", "◦ ", "▪ "][depth.saturating_sub(1) % 3].to_string(),
                };
                self.containers.push(Container::Item {
                    marker,
                    first: true,
                });
            }
            Tag::Table(aligns) => {
                self.flush_paragraph(false);
                self.table = Some(Table {
                    aligns,
                    rows: Vec::new(),
                    header_rows: 0,
                });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(Vec::new());
                }
            }
            Tag::Emphasis => self
                .styles
                .push(Style::new().add_modifier(Modifier::ITALIC)),
            Tag::Strong => self.styles.push(Style::new().add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => self
                .styles
                .push(Style::new().add_modifier(Modifier::CROSSED_OUT)),
            Tag::Link { dest_url, .. } => {
                self.links.push((dest_url.to_string(), self.lines.len()));
                self.styles.push(theme::link());
            }
            Tag::Image { .. } => {
                self.in_image = true;
                self.push_text("[image: ", theme::dim());
            }
            Tag::FootnoteDefinition(label) => {
                self.flush_paragraph(false);
                self.block_start();
                self.push_text(&format!("[{label}]: "), theme::link());
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.flush_paragraph(true),
            TagEnd::Heading(_) => {
                self.styles.pop();
                let (level, id) = self.heading.take().unwrap_or((1, None));
                let title: String = self
                    .inline
                    .iter()
                    .filter_map(|i| match i {
                        Inline::Text(t, _) => Some(t.as_str()),
                        Inline::Break => None,
                    })
                    .collect::<String>();
                let title = title
                    .trim_start_matches(['▌', '▸', '·', ' '])
                    .trim()
                    .to_string();
                let anchor = unique(id.unwrap_or_else(|| slug(&title)), &mut self.seen);
                self.block_start();
                let line = self.lines.len();
                self.toc.push(TocEntry {
                    level,
                    title,
                    anchor,
                    line,
                });
                let inline = std::mem::take(&mut self.inline);
                let widest = self.wrap_emit(&inline);
                let rule = match level {
                    1 => Some("═"),
                    2 => Some("─"),
                    _ => None,
                };
                if let Some(rule) = rule {
                    let w = widest.min(self.avail()).max(1);
                    self.emit(vec![Span::styled(rule.repeat(w), theme::h(level))]);
                }
                self.pending_blank = true;
            }
            TagEnd::BlockQuote(_) => {
                self.flush_paragraph(false);
                self.pop_container(|c| matches!(c, Container::Quote));
                self.pending_blank = true;
            }
            TagEnd::CodeBlock => {
                if let Some((lang, text)) = self.code.take() {
                    self.code_block(&lang, &text);
                }
            }
            TagEnd::List(_) => {
                self.flush_paragraph(false);
                self.pop_container(|c| matches!(c, Container::List { .. }));
                if !self
                    .containers
                    .iter()
                    .any(|c| matches!(c, Container::Item { .. }))
                {
                    self.pending_blank = true;
                }
            }
            TagEnd::Item => {
                self.flush_paragraph(false);
                // An item with no text still shows its marker.
                if let Some(Container::Item { first: true, .. }) = self.containers.last() {
                    self.emit(Vec::new());
                }
                self.pop_container(|c| matches!(c, Container::Item { .. }));
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.table_block(t);
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.header_rows = t.rows.len();
                }
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                self.styles.pop();
            }
            TagEnd::Link => {
                self.styles.pop();
                if let Some((target, line)) = self.links.pop() {
                    let text = self.recent_text_since_link();
                    if !target.starts_with('#') && text.trim() != target && !target.is_empty() {
                        self.push_text(&format!(" <{target}>"), theme::dim());
                    }
                    self.unplaced_links.push(self.doc_links.len());
                    self.doc_links.push(Link { line, text, target });
                }
            }
            TagEnd::Image => {
                self.in_image = false;
                self.push_text("]", theme::dim());
            }
            TagEnd::FootnoteDefinition => self.flush_paragraph(true),
            _ => {}
        }
    }

    /// The link text just rendered: the trailing run of link-styled text.
    fn recent_text_since_link(&self) -> String {
        let link = theme::link();
        let items: Box<dyn Iterator<Item = &Inline>> = match self.table.as_ref() {
            Some(t) => Box::new(
                t.rows
                    .last()
                    .and_then(|r| r.last())
                    .map(|c| c.iter())
                    .into_iter()
                    .flatten(),
            ),
            None => Box::new(self.inline.iter()),
        };
        let mut parts: Vec<&str> = items
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .map_while(|i| match i {
                Inline::Text(t, s) if s.fg == link.fg => Some(t.as_str()),
                _ => None,
            })
            .collect();
        parts.reverse();
        parts.concat()
    }

    fn pop_container(&mut self, is: impl Fn(&Container) -> bool) {
        if let Some(pos) = self.containers.iter().rposition(is) {
            self.containers.truncate(pos);
        }
    }

    /// Emits the blank line owed before a new block.
    fn block_start(&mut self) {
        if self.pending_blank && !self.lines.is_empty() {
            let prefix = self.quote_prefix();
            self.lines.push(clip(prefix, self.width));
        }
        self.pending_blank = false;
    }

    fn quote_prefix(&self) -> Vec<Span<'static>> {
        self.containers
            .iter()
            .filter(|c| matches!(c, Container::Quote))
            .map(|_| Span::styled("│ ", theme::quote()))
            .collect()
    }

    fn prefix_width(&self) -> usize {
        self.containers
            .iter()
            .map(|c| match c {
                Container::Quote => 2,
                Container::List { .. } => 0,
                Container::Item { marker, .. } => width_of(marker),
            })
            .sum()
    }

    /// Columns left for content after the container prefixes.
    fn avail(&self) -> usize {
        let p = self.prefix_width();
        if p + 1 > self.width {
            self.width
        } else {
            self.width - p
        }
    }

    /// Pushes one content line behind the container prefixes.
    fn emit(&mut self, content: Vec<Span<'static>>) {
        let mut spans = Vec::new();
        if self.prefix_width() < self.width {
            for c in &self.containers {
                match c {
                    Container::Quote => spans.push(Span::styled("│ ", theme::quote())),
                    Container::List { .. } => {}
                    Container::Item { marker, first } => {
                        if *first {
                            spans.push(Span::styled(marker.clone(), theme::marker()));
                        } else {
                            spans.push(Span::raw(" ".repeat(width_of(marker))));
                        }
                    }
                }
            }
        }
        for c in &mut self.containers {
            if let Container::Item { first, .. } = c {
                *first = false;
            }
        }
        spans.extend(content);
        self.lines.push(clip(spans, self.width));
    }

    /// Wraps inline content to the available width and emits it; returns the widest line.
    fn wrap_emit(&mut self, inline: &[Inline]) -> usize {
        let avail = self.avail();
        let mut widest = 0;
        let start = self.lines.len();
        for line in wrap(inline, avail) {
            widest = widest.max(line.iter().map(|s| width_of(&s.content)).sum());
            self.emit(line);
        }
        self.place_links(start);
        widest
    }

    /// Puts the links laid out since `start` on the line their text begins on.
    fn place_links(&mut self, start: usize) {
        let mut from = start;
        for i in std::mem::take(&mut self.unplaced_links) {
            let link = &mut self.doc_links[i];
            let first_word = link.text.split_whitespace().next().unwrap_or("");
            if let Some(found) =
                (from..self.lines.len()).find(|&l| line_text(&self.lines[l]).contains(first_word))
            {
                link.line = found;
                // Links appear in order: the next one is not above this one.
                from = found;
            }
        }
    }

    fn flush_paragraph(&mut self, ends_block: bool) {
        if self.inline.is_empty() {
            if ends_block {
                self.pending_blank = true;
            }
            return;
        }
        let inline = std::mem::take(&mut self.inline);
        // Tight list items continue straight after their marker line.
        let in_item = matches!(self.containers.last(), Some(Container::Item { .. }));
        if !in_item || ends_block {
            self.block_start();
        }
        self.wrap_emit(&inline);
        if ends_block {
            self.pending_blank = true;
        }
    }

    fn code_block(&mut self, lang: &str, text: &str) {
        self.block_start();
        let avail = self.avail();
        let label = if lang.is_empty() {
            "╭─".to_string()
        } else {
            format!("╭─ {}", sanitize(lang))
        };
        let label = truncate(&label, avail);
        self.emit(vec![Span::styled(label, theme::border())]);
        let inner = avail.saturating_sub(2).max(1);
        let text = text.strip_suffix('\n').unwrap_or(text);
        for raw in text.split('\n') {
            let raw = raw.replace('\t', "    ");
            let pieces: Vec<Inline> = highlight::highlight_line(lang, &raw)
                .into_iter()
                .map(|(t, c)| Inline::Text(sanitize(&t), c.style()))
                .collect();
            for (i, line) in hard_wrap(&pieces, inner).into_iter().enumerate() {
                let bar = if i == 0 { "│ " } else { "┆ " };
                let mut spans = vec![Span::styled(bar, theme::border())];
                spans.extend(line);
                self.emit(spans);
            }
        }
        self.emit(vec![Span::styled("╰─", theme::border())]);
        self.pending_blank = true;
    }

    fn table_block(&mut self, table: Table) {
        self.block_start();
        let avail = self.avail();
        let start = self.lines.len();
        for line in layout_table(&table, avail) {
            self.emit(line);
        }
        self.place_links(start);
        self.pending_blank = true;
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The last line of defence for "never wider than asked": on widths too
/// small for a construct's decoration (a code bar in three columns), the
/// line is cut rather than overflowing.
fn clip(spans: Vec<Span<'static>>, width: usize) -> Line<'static> {
    let total: usize = spans.iter().map(|s| width_of(&s.content)).sum();
    if total <= width {
        return Line::from(spans);
    }
    let mut left = width;
    let mut out = Vec::new();
    for s in spans {
        if left == 0 {
            break;
        }
        let w = width_of(&s.content);
        if w <= left {
            left -= w;
            out.push(s);
        } else {
            let cut = truncate(&s.content, left);
            left -= width_of(&cut);
            out.push(Span::styled(cut, s.style));
        }
    }
    Line::from(out)
}

/// The longest prefix of `s` at most `width` columns wide.
pub fn truncate(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    for g in s.graphemes(true) {
        let gw = g.width();
        if w + gw > width {
            break;
        }
        w += gw;
        out.push_str(g);
    }
    out
}

/// A word-wrapping token: a run of graphemes with their styles, borrowed
/// from the inline content (no allocation per grapheme).
enum Token<'a> {
    Word(Vec<(&'a str, Style)>, usize),
    Space(Style),
    Break,
}

fn tokens(inline: &[Inline]) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut word: Vec<(&str, Style)> = Vec::new();
    let mut word_w = 0;
    fn flush<'a>(out: &mut Vec<Token<'a>>, word: &mut Vec<(&'a str, Style)>, w: &mut usize) {
        if !word.is_empty() {
            out.push(Token::Word(std::mem::take(word), *w));
            *w = 0;
        }
    }
    for item in inline {
        match item {
            Inline::Break => {
                flush(&mut out, &mut word, &mut word_w);
                out.push(Token::Break);
            }
            Inline::Text(text, style) => {
                // Split at white space first: most runs are plain ASCII words.
                let mut rest = text.as_str();
                while !rest.is_empty() {
                    let ws = rest.find(char::is_whitespace).unwrap_or(rest.len());
                    let (run, tail) = rest.split_at(ws);
                    if !run.is_empty() {
                        word_w += width_of(run);
                        // Keep a word's run whole; wrap() splits by grapheme only when it must.
                        word.push((run, *style));
                    }
                    if let Some(c) = tail.chars().next() {
                        flush(&mut out, &mut word, &mut word_w);
                        if !matches!(out.last(), Some(Token::Space(_))) {
                            out.push(Token::Space(*style));
                        }
                        rest = &tail[c.len_utf8()..];
                    } else {
                        rest = tail;
                    }
                }
            }
        }
    }
    flush(&mut out, &mut word, &mut word_w);
    out
}

/// Collects graphemes into spans, merging neighbours of the same style.
#[derive(Default)]
struct LineBuf {
    spans: Vec<(String, Style)>,
    width: usize,
}

impl LineBuf {
    fn push(&mut self, g: &str, style: Style, w: usize) {
        match self.spans.last_mut() {
            Some((t, s)) if *s == style => t.push_str(g),
            _ => self.spans.push((g.to_string(), style)),
        }
        self.width += w;
    }
    /// Takes back `g`, the last grapheme pushed.
    fn pop(&mut self, g: &str, w: usize) {
        if let Some((t, _)) = self.spans.last_mut() {
            t.truncate(t.len().saturating_sub(g.len()));
            if t.is_empty() {
                self.spans.pop();
            }
        }
        self.width = self.width.saturating_sub(w);
    }
    fn finish(&mut self) -> Vec<Span<'static>> {
        self.width = 0;
        std::mem::take(&mut self.spans)
            .into_iter()
            .map(|(t, s)| Span::styled(t, s))
            .collect()
    }
}

/// Word-wraps inline content to `width` columns; words wider than a line are split.
fn wrap(inline: &[Inline], width: usize) -> Vec<Vec<Span<'static>>> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut cur = LineBuf::default();
    let mut space: Option<Style> = None;
    let mut any = false;
    for token in tokens(inline) {
        match token {
            Token::Break => {
                lines.push(cur.finish());
                space = None;
                any = false;
            }
            Token::Space(style) => {
                if any {
                    space = Some(style);
                }
            }
            Token::Word(graphemes, w) => {
                let sep = usize::from(space.is_some());
                if any && cur.width + sep + w > width {
                    lines.push(cur.finish());
                    space = None;
                } else if let Some(style) = space.take() {
                    cur.push(" ", style, 1);
                }
                if cur.width + w <= width {
                    for (run, style) in graphemes {
                        cur.push(run, style, 0);
                    }
                    cur.width += w;
                } else {
                    split_word(&graphemes, width, &mut cur, &mut lines);
                }
                any = true;
            }
        }
    }
    if !cur.spans.is_empty() || lines.is_empty() {
        lines.push(cur.finish());
    }
    lines
}

/// Characters that close what comes before them. A reader takes ". This" at
/// the start of a line for a new sentence with a stray dot, so they are never
/// the first thing on a wrapped line.
fn is_closing_punctuation(g: &str) -> bool {
    g.chars().next().is_some_and(|c| {
        matches!(
            c,
            '.' | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | ')'
                | ']'
                | '}'
                | '>'
                | '%'
                | '»'
                | '›'
                | '\u{201D}'
                | '\u{2019}'
                | '…'
                | '、'
                | '。'
                | '，'
                | '．'
                | '：'
                | '；'
                | '！'
                | '？'
                | '）'
                | '」'
                | '』'
                | '】'
                | '〉'
                | '》'
        )
    })
}

/// Splits a word wider than a line by grapheme. Where a break would fall
/// before closing punctuation (a link target's "/>." or a long path's "),"),
/// the grapheme before it moves down too, so the line starts with text.
fn split_word(
    runs: &[(&str, Style)],
    width: usize,
    cur: &mut LineBuf,
    lines: &mut Vec<Vec<Span<'static>>>,
) {
    let graphemes: Vec<(&str, Style, usize)> = runs
        .iter()
        .flat_map(|&(run, style)| run.graphemes(true).map(move |g| (g, style, g.width())))
        .collect();
    // Graphemes of this word on the current line, most recent last.
    let mut on_line: Vec<(&str, Style, usize)> = Vec::new();
    let mut i = 0;
    while i < graphemes.len() {
        let (g, style, gw) = graphemes[i];
        if cur.width + gw > width && cur.width > 0 {
            // Move back over closing punctuation, but keep at least one
            // grapheme of the word on the line so every line makes progress.
            let mut back = 0;
            while i - back > 0
                && back + 1 < on_line.len()
                && is_closing_punctuation(graphemes[i - back].0)
            {
                back += 1;
            }
            for _ in 0..back {
                if let Some((pg, _, pw)) = on_line.pop() {
                    cur.pop(pg, pw);
                }
            }
            lines.push(cur.finish());
            on_line.clear();
            i -= back;
            continue;
        }
        cur.push(g, style, gw);
        on_line.push((g, style, gw));
        i += 1;
    }
}

/// Breaks content at exactly `width` columns, keeping spaces (for code).
fn hard_wrap(inline: &[Inline], width: usize) -> Vec<Vec<Span<'static>>> {
    let mut lines = Vec::new();
    let mut cur = LineBuf::default();
    for item in inline {
        if let Inline::Text(text, style) = item {
            for g in text.graphemes(true) {
                let gw = g.width();
                if cur.width + gw > width && cur.width > 0 {
                    lines.push(cur.finish());
                }
                cur.push(g, *style, gw);
            }
        }
    }
    lines.push(cur.finish());
    lines
}

fn inline_width(cell: &[Inline]) -> (usize, usize) {
    // (whole width on one line, widest word)
    let mut longest = 0;
    let mut total = 0;
    let mut line = 0;
    for t in tokens(cell) {
        match t {
            Token::Word(_, w) => {
                longest = longest.max(w);
                line += w;
            }
            Token::Space(_) => line += 1,
            Token::Break => {
                total = total.max(line);
                line = 0;
            }
        }
    }
    (total.max(line), longest)
}

/// Lays a table out in `width` columns with box-drawing borders. When even
/// three columns per cell do not fit, each row becomes `header: value` lines.
fn layout_table(table: &Table, width: usize) -> Vec<Vec<Span<'static>>> {
    let ncols = table.rows.iter().map(Vec::len).max().unwrap_or(0);
    if ncols == 0 {
        return Vec::new();
    }
    let overhead = 3 * ncols + 1;
    if width < overhead + 3 * ncols {
        return table_as_list(table, width);
    }
    let avail = width - overhead;
    let mut natural = vec![1usize; ncols];
    let mut minimum = vec![1usize; ncols];
    for row in &table.rows {
        for (i, cell) in row.iter().enumerate() {
            let (n, m) = inline_width(cell);
            natural[i] = natural[i].max(n);
            minimum[i] = minimum[i].max(m.min(20));
        }
    }
    let widths = distribute(&natural, &minimum, avail);
    let border = theme::border();
    let rule = |l: &str, m: &str, r: &str, fill: &str| -> Vec<Span<'static>> {
        let body: Vec<String> = widths.iter().map(|w| fill.repeat(w + 2)).collect();
        vec![Span::styled(format!("{l}{}{r}", body.join(m)), border)]
    };
    let mut out = vec![rule("┌", "┬", "┐", "─")];
    let wrapped: Vec<Vec<Vec<Vec<Span<'static>>>>> = table
        .rows
        .iter()
        .map(|row| {
            (0..ncols)
                .map(|i| row.get(i).map(|c| wrap(c, widths[i])).unwrap_or_default())
                .collect()
        })
        .collect();
    let multi_line_body = wrapped
        .iter()
        .skip(table.header_rows)
        .any(|r| r.iter().any(|c| c.len() > 1));
    for (r, row) in wrapped.into_iter().enumerate() {
        let header = r < table.header_rows;
        if r > 0 && r == table.header_rows {
            out.push(rule("╞", "╪", "╡", "═"));
        } else if r > table.header_rows && multi_line_body {
            out.push(rule("├", "┼", "┤", "─"));
        }
        let height = row.iter().map(Vec::len).max().unwrap_or(1).max(1);
        for l in 0..height {
            let mut spans = vec![Span::styled("│", border)];
            for (i, cell) in row.iter().enumerate() {
                let content = cell.get(l).cloned().unwrap_or_default();
                let w: usize = content.iter().map(|s| width_of(&s.content)).sum();
                let pad = widths[i].saturating_sub(w);
                let (left, right) = match table.aligns.get(i) {
                    Some(Alignment::Right) => (pad, 0),
                    Some(Alignment::Center) => (pad / 2, pad - pad / 2),
                    _ => (0, pad),
                };
                spans.push(Span::raw(" ".repeat(left + 1)));
                for s in content {
                    if header {
                        let style = s.style.add_modifier(Modifier::BOLD);
                        spans.push(Span::styled(s.content, style));
                    } else {
                        spans.push(s);
                    }
                }
                spans.push(Span::raw(" ".repeat(right + 1)));
                spans.push(Span::styled("│", border));
            }
            out.push(spans);
        }
    }
    out.push(rule("└", "┴", "┘", "─"));
    out
}

/// Column widths summing to at most `avail`: natural widths when they fit,
/// else every column gets its longest word (capped), and the rest goes to
/// the columns that lack the most.
fn distribute(natural: &[usize], minimum: &[usize], avail: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= avail {
        return natural.to_vec();
    }
    let n = natural.len();
    let mut widths: Vec<usize> = minimum
        .iter()
        .zip(natural)
        .map(|(m, nat)| (*m).min(*nat).max(1))
        .collect();
    // Shrink the widest columns until the minimums fit.
    while widths.iter().sum::<usize>() > avail {
        let Some((i, _)) = widths.iter().enumerate().max_by_key(|(_, w)| **w) else {
            break;
        };
        if widths[i] <= 3 {
            break;
        }
        widths[i] -= 1;
    }
    let mut extra = avail.saturating_sub(widths.iter().sum());
    // Water-filling: columns whose shortfall fits in a fair share get their
    // natural width, so short columns are never wrapped to feed a long one.
    loop {
        let open: Vec<usize> = (0..n).filter(|&i| widths[i] < natural[i]).collect();
        if open.is_empty() || extra == 0 {
            return widths;
        }
        let share = extra / open.len();
        let mut changed = false;
        for &i in &open {
            let need = natural[i] - widths[i];
            if need <= share {
                widths[i] = natural[i];
                extra -= need;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // What is left goes to the columns that lack the most, one at a time.
    while extra > 0 {
        let best = (0..n)
            .filter(|&i| widths[i] < natural[i])
            .max_by_key(|&i| natural[i] - widths[i]);
        let Some(i) = best else { break };
        widths[i] += 1;
        extra -= 1;
    }
    widths
}

/// A table too wide for any grid: each row as `header: value` lines.
fn table_as_list(table: &Table, width: usize) -> Vec<Vec<Span<'static>>> {
    let headers: Vec<String> = table
        .rows
        .first()
        .map(|r| {
            r.iter()
                .map(|c| {
                    c.iter()
                        .filter_map(|i| match i {
                            Inline::Text(t, _) => Some(t.as_str()),
                            Inline::Break => None,
                        })
                        .collect::<String>()
                })
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    for row in table.rows.iter().skip(table.header_rows) {
        for (i, cell) in row.iter().enumerate() {
            let mut inline = vec![Inline::Text(
                format!("{}: ", headers.get(i).map(String::as_str).unwrap_or("")),
                Style::new().add_modifier(Modifier::BOLD),
            )];
            inline.extend(cell.iter().cloned());
            out.extend(wrap(&inline, width));
        }
        out.push(vec![Span::styled(
            "─".repeat(width.min(3)),
            theme::border(),
        )]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(doc: &Doc) -> Vec<String> {
        (0..doc.lines.len()).map(|i| doc.plain(i)).collect()
    }

    fn assert_fits(doc: &Doc, width: usize) {
        for (i, l) in text(doc).iter().enumerate() {
            assert!(
                width_of(l) <= width,
                "line {i} is {} wide: {l:?}",
                width_of(l)
            );
        }
    }

    /// No wrapped line may begin with closing punctuation, at any width.
    fn assert_no_line_starts_with_closing_punctuation(
        markdown: &str,
        widths: std::ops::Range<u16>,
    ) {
        for width in widths {
            let doc = render(markdown, width);
            assert_fits(&doc, usize::from(width));
            for l in text(&doc) {
                let first = l.trim_start().graphemes(true).next().unwrap_or("");
                assert!(
                    !is_closing_punctuation(first),
                    "width {width}: line starts with {first:?}: {l:?}\n{:#?}",
                    text(&doc)
                );
            }
        }
    }

    #[test]
    fn the_period_after_a_link_target_stays_with_it() {
        let md = "AWS calls this the [shared responsibility model](https://aws.amazon.com/compliance/shared-responsibility-model/). This chapter is about your half.";
        // At 64 columns the target fills a line exactly, so a split by
        // grapheme used to put ". This chapter" at the start of the next one.
        let doc = render(md, 64);
        let lines = text(&doc);
        assert!(
            lines
                .iter()
                .any(|l| l == "<https://aws.amazon.com/compliance/shared-responsibility-model"),
            "{lines:#?}"
        );
        assert!(
            lines.iter().any(|l| l.starts_with("/>. This chapter")),
            "{lines:#?}"
        );
        assert_no_line_starts_with_closing_punctuation(md, 20..90);
    }

    #[test]
    fn punctuation_after_code_and_emphasis_never_starts_a_line() {
        assert_no_line_starts_with_closing_punctuation(
            "Run `aws iam list-users --output json`, then **root user**; check (*MFA*)! Done: `a-very-long-command-name-that-must-be-split`.",
            8..70,
        );
        // Ordinary words wrap as wholes, so their punctuation goes with them.
        let doc = render("one two three four, five.", 10);
        assert_eq!(text(&doc), ["one two", "three", "four,", "five."]);
    }

    #[test]
    fn wrapping_keeps_words_whole_and_fits() {
        let doc = render(
            "The principle of least privilege gives every identity only what it needs.",
            20,
        );
        assert_fits(&doc, 20);
        assert_eq!(text(&doc)[0], "The principle of");
        assert!(text(&doc).iter().all(|l| !l.starts_with(' ')));
    }

    #[test]
    fn words_longer_than_the_width_are_split_not_overflowing() {
        let doc = render("arn:aws:iam::123456789012:policy/VeryLongPolicyName", 12);
        assert_fits(&doc, 12);
        assert_eq!(
            text(&doc).concat(),
            "arn:aws:iam::123456789012:policy/VeryLongPolicyName"
        );
    }

    fn spans_with<'a>(doc: &'a Doc, needle: &str) -> Vec<&'a Span<'static>> {
        doc.lines
            .iter()
            .flat_map(|l| l.spans.iter())
            .filter(|s| s.content.contains(needle))
            .collect()
    }

    const FIXTURE: &str = include_str!("../../../tests/fixtures/constructs.md");

    #[test]
    fn heading_levels_are_visibly_distinct() {
        let doc = render(FIXTURE, 60);
        let t = text(&doc);
        let at = |s: &str| {
            t.iter()
                .position(|l| l == s)
                .unwrap_or_else(|| panic!("{s} missing"))
        };
        assert!(t[at("Title level one") + 1].starts_with("═══"));
        assert!(t[at("Level two") + 1].starts_with("───"));
        assert!(t.contains(&"▌ Level three".to_string()));
        assert!(t.contains(&"▸ Level four".to_string()));
        let colors: std::collections::HashSet<_> =
            ["Title level one", "Level two", "Level three", "Level four"]
                .iter()
                .map(|h| spans_with(&doc, h)[0].style.fg)
                .collect();
        assert_eq!(colors.len(), 4, "each level has its own colour");
        assert_eq!(
            doc.toc.iter().map(|e| e.level).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
    }

    #[test]
    fn inline_styles_are_applied() {
        let doc = render("*em* **strong** ~~gone~~ `code`", 40);
        let m = |n: &str| spans_with(&doc, n)[0].style;
        assert!(m("em").add_modifier.contains(Modifier::ITALIC));
        assert!(m("strong").add_modifier.contains(Modifier::BOLD));
        assert!(m("gone").add_modifier.contains(Modifier::CROSSED_OUT));
        assert_eq!(m("code").fg, theme::code().fg);
        assert_eq!(text(&doc)[0], "em strong gone code");
    }

    #[test]
    fn fenced_code_is_highlighted_per_language() {
        let doc = render(FIXTURE, 80);
        let t = text(&doc);
        for lang in ["json", "hcl", "bash", "yaml"] {
            assert!(t.contains(&format!("╭─ {lang}")), "{lang} label");
        }
        assert_eq!(
            spans_with(&doc, "\"Effect\"")[0].style,
            highlight::Class::Key.style()
        );
        assert_eq!(
            spans_with(&doc, "resource")[0].style,
            highlight::Class::Keyword.style()
        );
        assert_eq!(
            spans_with(&doc, "--profile")[0].style,
            highlight::Class::Flag.style()
        );
        assert_eq!(
            spans_with(&doc, "# root MFA")[0].style,
            highlight::Class::Comment.style()
        );
        // Indentation inside code is kept.
        assert!(t.contains(&"│   enable_key_rotation = true # rotate".to_string()));
    }

    #[test]
    fn long_code_lines_wrap_with_a_continuation_bar() {
        let doc = render(
            "```bash\naws organizations list-policies-for-target --target-id ou-abcd-12345678 --filter SERVICE_CONTROL_POLICY\n```",
            40,
        );
        assert_fits(&doc, 40);
        let t = text(&doc);
        assert!(t[1].starts_with("│ aws"));
        assert!(t[2].starts_with("┆ "));
    }

    #[test]
    fn block_quotes_carry_a_bar_on_every_line() {
        let doc = render("> one two three four five six seven eight nine ten", 20);
        let t = text(&doc);
        assert!(t.len() >= 2);
        assert!(t.iter().all(|l| l.starts_with("│ ")), "{t:?}");
    }

    #[test]
    fn nested_lists_indent_under_their_parent() {
        let doc = render(FIXTURE, 60);
        let t = text(&doc);
        for line in [
            "1. First ordered",
            "2. Second ordered",
            "   • nested bullet",
            "     ◦ deeper bullet",
            "       1. deep ordered",
            "3. Third ordered",
        ] {
            assert!(t.contains(&line.to_string()), "{line:?} in {t:#?}");
        }
    }

    #[test]
    fn list_item_text_wraps_under_the_text_not_the_marker() {
        let doc = render("- alpha beta gamma delta epsilon zeta", 16);
        let t = text(&doc);
        assert_eq!(t[0], "• alpha beta");
        assert_eq!(t[1], "  gamma delta");
    }

    #[test]
    fn task_lists_show_boxes() {
        let t = text(&render(FIXTURE, 60));
        assert!(t.contains(&"☐ open task".to_string()));
        assert!(t.contains(&"☑ done task".to_string()));
    }

    #[test]
    fn hard_breaks_end_the_line() {
        let t = text(&render("Region:  \neu-central-1 and more", 60));
        assert_eq!(t, ["Region:", "eu-central-1 and more"]);
        let t = text(&render("one<br>two", 60));
        assert_eq!(t, ["one", "two"]);
    }

    #[test]
    fn links_show_their_text_and_target() {
        let doc = render(
            "See [the docs](https://docs.aws.amazon.com/iam/) or [above](#top).",
            80,
        );
        assert_eq!(
            text(&doc)[0],
            "See the docs <https://docs.aws.amazon.com/iam/> or above."
        );
        assert!(
            spans_with(&doc, "the docs")[0]
                .style
                .add_modifier
                .contains(Modifier::UNDERLINED)
        );
        assert_eq!(doc.links.len(), 2);
        // Each link knows the line its text is on, even deep in a paragraph.
        let doc2 = render(
            "Intro words here.\n\nOne two three four five six seven [far link](#x) end.",
            20,
        );
        let l = &doc2.links[0];
        assert!(
            doc2.plain(l.line).contains("far"),
            "{:?} at {}",
            doc2.plain(l.line),
            l.line
        );
        assert!(l.line > 2);
        assert_eq!(doc.links[1].target, "#top");
        assert_eq!(doc.links[0].text, "the docs");
    }

    #[test]
    fn horizontal_rule_spans_the_width() {
        let t = text(&render("a\n\n---\n\nb", 30));
        assert!(t.contains(&"─".repeat(30)));
    }

    /// Column positions (in display cells) of the `│` borders of a table line.
    fn border_columns(line: &str) -> Vec<usize> {
        let mut col = 0;
        let mut out = Vec::new();
        for g in line.graphemes(true) {
            if "│┼╪┬┴┌┐└┘├┤╞╡".contains(g) {
                out.push(col);
            }
            col += g.width();
        }
        out
    }

    #[test]
    fn tables_are_box_drawn_aligned_and_emoji_safe() {
        let doc = render(FIXTURE, 60);
        let t = text(&doc);
        let top = t.iter().position(|l| l.starts_with('┌')).expect("table");
        let bottom = t
            .iter()
            .position(|l| l.starts_with('└'))
            .expect("table end");
        let rows = &t[top..=bottom];
        let expected = border_columns(&rows[0]);
        for r in rows {
            assert_eq!(width_of(r), width_of(&rows[0]), "{r:?}");
            assert_eq!(border_columns(r), expected, "borders line up in {r:?}");
        }
        // Right alignment: the number touches the right border.
        assert!(rows.iter().any(|r| r.ends_with(" 42 │")), "{rows:#?}");
        // Centre alignment: the header is centred.
        assert!(
            rows[1].contains("│  Center   │") || rows[1].contains("│ Center │"),
            "{}",
            rows[1]
        );
        // The header separator is double.
        assert!(rows[2].starts_with('╞'));
        assert!(
            spans_with(&doc, "Left")[0]
                .style
                .add_modifier
                .contains(Modifier::BOLD)
        );
    }

    #[test]
    fn tables_never_overflow_at_any_width() {
        for w in 8..=120 {
            let doc = render(FIXTURE, w);
            assert_fits(&doc, usize::from(w));
        }
    }

    #[test]
    fn tables_too_narrow_for_a_grid_become_lists() {
        let t = text(&render("| A | B | C |\n|---|---|---|\n| 1 | 2 | 3 |", 12));
        assert!(t.contains(&"A: 1".to_string()), "{t:?}");
    }

    #[test]
    fn wide_characters_wrap_by_display_width() {
        let doc = render("🔐🔐🔐🔐🔐🔐 日本語のテキスト", 8);
        assert_fits(&doc, 8);
        assert_eq!(text(&doc)[0], "🔐🔐🔐🔐");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let doc = render(
            // The fence's language label too (found by the fuzzer).
            "evil \u{1b}[2J text and `code\u{7}`\n\n```\nx\u{1b}]0;title\u{7}\n```\n\n```ba\u{1d}sh\nx\n```",
            60,
        );
        for l in text(&doc) {
            assert!(!l.chars().any(|c| c.is_control()), "{l:?}");
        }
    }

    #[test]
    fn anchors_use_explicit_ids_and_are_unique() {
        let md = "# Top\n## Same\n## Same\n### Hands-on: SCPs {#lab-scp-regions}\n## IAM & *Roles*";
        assert_eq!(
            heading_anchors(md),
            ["top", "same", "same-1", "lab-scp-regions", "iam--roles"]
        );
        let doc = render(md, 40);
        assert_eq!(doc.toc[3].title, "Hands-on: SCPs");
        assert_eq!(doc.anchor_line("#lab-scp-regions"), Some(doc.toc[3].line));
    }

    proptest::proptest! {
        #[test]
        fn no_line_is_ever_wider_than_asked(
            md in "([-*>#|`~ \\n\\[\\]()!0-9a-z.🔐✅日]|```|\\| --- \\||  \\n){0,300}",
            width in 1u16..100,
        ) {
            let doc = render(&md, width);
            for l in &doc.lines {
                let w = width_of(&line_text(l));
                proptest::prop_assert!(w <= usize::from(width), "{} > {width}: {:?}", w, line_text(l));
            }
        }
    }
}
