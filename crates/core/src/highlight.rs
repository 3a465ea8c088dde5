//! A small line-based syntax highlighter for the languages the course's code
//! blocks use: json, hcl/terraform, bash/sh/shell and yaml. Other languages
//! are shown unhighlighted.
//!
//! Line-based on purpose: code blocks are short, every line is independent
//! enough for these languages, and a full grammar engine would cost more
//! build time than the whole renderer.

use ratatui::style::{Color, Modifier, Style};

/// A token class; the theme maps classes to styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Plain,
    Keyword,
    Key,
    Str,
    Number,
    Comment,
    Variable,
    Flag,
    Punct,
}

impl Class {
    pub fn style(self) -> Style {
        let s = Style::default();
        match self {
            Class::Plain => s,
            Class::Keyword => s.fg(Color::Magenta).add_modifier(Modifier::BOLD),
            Class::Key => s.fg(Color::Cyan),
            Class::Str => s.fg(Color::Green),
            Class::Number => s.fg(Color::Yellow),
            Class::Comment => s.fg(Color::DarkGray).add_modifier(Modifier::ITALIC),
            Class::Variable => s.fg(Color::LightRed),
            Class::Flag => s.fg(Color::LightBlue),
            Class::Punct => s.fg(Color::Gray),
        }
    }
}

struct Lang {
    /// Line comment markers; `#` only counts at the start or after white space.
    comments: &'static [&'static str],
    keywords: &'static [&'static str],
    /// The character that turns a preceding word or string into a key.
    key_sep: Option<char>,
    variables: bool,
    flags: bool,
}

const JSON: Lang = Lang {
    comments: &[],
    keywords: &["true", "false", "null"],
    key_sep: Some(':'),
    variables: false,
    flags: false,
};
const YAML: Lang = Lang {
    comments: &["#"],
    keywords: &["true", "false", "null", "yes", "no", "on", "off", "~"],
    key_sep: Some(':'),
    variables: false,
    flags: false,
};
const BASH: Lang = Lang {
    comments: &["#"],
    keywords: &[
        "if",
        "then",
        "else",
        "elif",
        "fi",
        "for",
        "in",
        "do",
        "done",
        "while",
        "case",
        "esac",
        "function",
        "export",
        "local",
        "return",
        "aws",
        "terraform",
    ],
    key_sep: None,
    variables: true,
    flags: true,
};
const HCL: Lang = Lang {
    comments: &["#", "//"],
    keywords: &[
        "resource",
        "data",
        "variable",
        "output",
        "provider",
        "module",
        "locals",
        "terraform",
        "true",
        "false",
        "null",
        "for_each",
        "count",
        "depends_on",
    ],
    key_sep: Some('='),
    variables: true,
    flags: false,
};

fn lang(name: &str) -> Option<&'static Lang> {
    match name.to_ascii_lowercase().as_str() {
        "json" | "jsonc" => Some(&JSON),
        "yaml" | "yml" => Some(&YAML),
        "bash" | "sh" | "shell" | "zsh" | "console" => Some(&BASH),
        "hcl" | "terraform" | "tf" => Some(&HCL),
        _ => None,
    }
}

/// Whether `language` (a fence info string's first word) is highlighted.
pub fn supports(language: &str) -> bool {
    lang(language).is_some()
}

/// Splits one line of code into classed fragments that concatenate back to the line.
pub fn highlight_line(language: &str, line: &str) -> Vec<(String, Class)> {
    let Some(l) = lang(language) else {
        return vec![(line.to_string(), Class::Plain)];
    };
    let chars: Vec<char> = line.chars().collect();
    let mut out: Vec<(String, Class)> = Vec::new();
    let mut push = |text: String, class: Class| {
        if let Some((last, c)) = out.last_mut()
            && *c == class
        {
            last.push_str(&text);
            return;
        }
        out.push((text, class));
    };
    let mut i = 0;
    let collect = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    while i < chars.len() {
        let c = chars[i];
        let at_word_start = i == 0 || chars[i - 1].is_whitespace();
        // Comments run to the end of the line.
        if l.comments.iter().any(|m| {
            let rest = &chars[i..];
            rest.len() >= m.len()
                && m.chars().zip(rest).all(|(a, b)| a == *b)
                && (*m != "#" || at_word_start)
        }) {
            push(collect(i, chars.len()), Class::Comment);
            break;
        }
        if c == '"' || c == '\'' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != c {
                if chars[i] == '\\' && c == '"' {
                    i += 1;
                }
                i += 1;
            }
            i = (i + 1).min(chars.len());
            let class = if is_key_next(&chars, i, l.key_sep) {
                Class::Key
            } else {
                Class::Str
            };
            push(collect(start, i), class);
            continue;
        }
        if l.variables && c == '$' {
            let start = i;
            i += 1;
            if chars.get(i) == Some(&'{') {
                while i < chars.len() && chars[i] != '}' {
                    i += 1;
                }
                i = (i + 1).min(chars.len());
            } else {
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
            }
            push(collect(start, i), Class::Variable);
            continue;
        }
        if l.flags && c == '-' && at_word_start {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '=' {
                i += 1;
            }
            push(collect(start, i), Class::Flag);
            continue;
        }
        if c.is_ascii_digit() && (i == 0 || !is_word(chars[i - 1])) {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
            push(collect(start, i), Class::Number);
            continue;
        }
        if is_word(c) || c == '~' {
            let start = i;
            while i < chars.len() && (is_word(chars[i]) || chars[i] == '-' || chars[i] == '.') {
                i += 1;
            }
            if c == '~' {
                i = start + 1;
            }
            let word = collect(start, i);
            let class = if is_key_next(&chars, i, l.key_sep) {
                Class::Key
            } else if l.keywords.contains(&word.as_str()) {
                Class::Keyword
            } else {
                Class::Plain
            };
            push(word, class);
            continue;
        }
        let class = if c.is_whitespace() {
            Class::Plain
        } else {
            Class::Punct
        };
        push(c.to_string(), class);
        i += 1;
    }
    out
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_key_next(chars: &[char], mut i: usize, sep: Option<char>) -> bool {
    let Some(sep) = sep else { return false };
    while i < chars.len() && chars[i] == ' ' {
        i += 1;
    }
    // `==` is a comparison, not an assignment.
    chars.get(i) == Some(&sep) && !(sep == '=' && chars.get(i + 1) == Some(&'='))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(lang: &str, line: &str) -> Vec<(String, Class)> {
        let out = highlight_line(lang, line);
        assert_eq!(
            out.iter().map(|(t, _)| t.as_str()).collect::<String>(),
            line
        );
        out.into_iter()
            .filter(|(t, _)| !t.trim().is_empty())
            .collect()
    }

    fn class_of(lang: &str, line: &str, token: &str) -> Class {
        classes(lang, line)
            .into_iter()
            .find(|(t, _)| t.trim() == token)
            .map(|(_, c)| c)
            .unwrap_or(Class::Plain)
    }

    #[test]
    fn json_keys_strings_numbers_and_literals() {
        let line = r#"  "Effect": "Deny", "Max": 10, "Ok": true"#;
        assert_eq!(class_of("json", line, "\"Effect\""), Class::Key);
        assert_eq!(class_of("json", line, "\"Deny\""), Class::Str);
        assert_eq!(class_of("json", line, "10"), Class::Number);
        assert_eq!(class_of("json", line, "true"), Class::Keyword);
    }

    #[test]
    fn hcl_blocks_attributes_interpolation_and_comments() {
        assert_eq!(
            class_of("hcl", r#"resource "aws_kms_key" "lab" {"#, "resource"),
            Class::Keyword
        );
        let line = r#"  name = "${var.prefix}-key" # note"#;
        assert_eq!(class_of("terraform", line, "name"), Class::Key);
        assert_eq!(class_of("hcl", line, "# note"), Class::Comment);
        assert_eq!(class_of("hcl", "  count = 2", "2"), Class::Number);
    }

    #[test]
    fn bash_flags_variables_strings_and_comments() {
        let line = r#"aws kms enable-key-rotation --key-id "$KEY_ID" # rotate"#;
        assert_eq!(class_of("bash", line, "--key-id"), Class::Flag);
        assert_eq!(class_of("bash", line, "\"$KEY_ID\""), Class::Str);
        assert_eq!(class_of("bash", "echo $HOME", "$HOME"), Class::Variable);
        assert_eq!(class_of("sh", line, "# rotate"), Class::Comment);
        // A `#` inside a word is not a comment.
        assert_eq!(class_of("bash", "echo a#b", "a#b"), Class::Plain);
    }

    #[test]
    fn yaml_keys_values_and_comments() {
        let line = "  - id: mfa  # the step";
        assert_eq!(class_of("yaml", line, "id"), Class::Key);
        assert_eq!(class_of("yaml", line, "# the step"), Class::Comment);
        assert_eq!(class_of("yml", "manual: true", "true"), Class::Keyword);
    }

    #[test]
    fn unknown_language_is_plain() {
        assert_eq!(
            highlight_line("python", "x = 1"),
            vec![("x = 1".to_string(), Class::Plain)]
        );
    }
}
