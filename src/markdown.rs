//! Markdown rendering (in progress).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

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
    let mut anchors = Vec::new();
    let mut seen = std::collections::HashMap::<String, usize>::new();
    let mut current: Option<(Option<String>, String)> = None;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Heading { id, .. }) => {
                current = Some((id.map(|s| s.to_string()), String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((id, text)) = current.take() {
                    anchors.push(unique(id.unwrap_or_else(|| slug(&text)), &mut seen));
                }
            }
            _ => {}
        }
    }
    anchors
}

/// Makes `base` unique among the anchors seen so far.
pub fn unique(base: String, seen: &mut std::collections::HashMap<String, usize>) -> String {
    let n = seen.entry(base.clone()).or_insert(0);
    let out = if *n == 0 {
        base.clone()
    } else {
        format!("{base}-{n}")
    };
    *n += 1;
    out
}
