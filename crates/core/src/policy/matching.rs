//! Pattern matching for policy strings: `*`/`?` wildcards, ARN matching
//! segment by segment, and policy variables (`${aws:username}`).
//!
//! Patterns are compiled once at parse time into the cheapest form that
//! matches them (any, exact, prefix, glob, per-segment ARN glob, or a
//! template that needs the request context), so evaluating a request does
//! not allocate unless the pattern contains a policy variable.

use super::context::Context;

/// One element of a compiled glob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PChar {
    /// A literal character (already lower-cased for case-insensitive patterns).
    Ch(char),
    /// `*`: any run of characters, including none.
    Star,
    /// `?`: exactly one character.
    One,
}

/// One piece of a pattern that contains policy variables.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TPart {
    Chars(Vec<PChar>),
    /// `${key}` or `${key, 'default'}`.
    Var {
        key: String,
        default: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// `*` alone.
    Any,
    Exact(String),
    /// Literal text followed by a single trailing `*`.
    Prefix(String),
    Glob(Box<[PChar]>),
    /// An ARN pattern with wildcards inside its first five segments: each of
    /// the six colon-separated segments is matched on its own, so `*` never
    /// spans a colon there (the sixth segment may contain colons).
    Arn(Box<[Box<[PChar]>]>),
    /// Contains policy variables; resolved against the request context.
    Template(Vec<TPart>),
}

/// How a pattern's text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Syntax {
    /// `*` and `?` are wildcards (false for `StringEquals` values).
    pub wildcards: bool,
    /// Compare case-insensitively (actions, `...IgnoreCase`).
    pub ignore_case: bool,
    /// `${...}` policy variables are substituted (Version 2012-10-17 only).
    pub variables: bool,
    /// Match ARNs segment by segment (resources, `Arn*` operators).
    pub arn: bool,
}

/// A compiled pattern plus the text it was written as (for explanations).
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    pub source: String,
    kind: Kind,
    syntax: Syntax,
}

impl Pattern {
    pub(crate) fn compile(source: &str, syntax: Syntax) -> Pattern {
        let kind = compile_kind(source, syntax);
        Pattern {
            source: source.to_string(),
            kind,
            syntax,
        }
    }

    /// Does `text` match? `ctx` supplies policy variables.
    pub(crate) fn matches(&self, text: &str, ctx: &dyn Context) -> bool {
        let ci = self.syntax.ignore_case;
        match &self.kind {
            Kind::Any => true,
            Kind::Exact(s) => eq(s, text, ci),
            Kind::Prefix(p) => {
                text.len() >= p.len()
                    && text.is_char_boundary(p.len())
                    && eq(p, &text[..p.len()], ci)
            }
            Kind::Glob(g) => glob(g, text, ci),
            Kind::Arn(segs) => arn_match(segs, text, ci),
            Kind::Template(parts) => match resolve(parts, ctx) {
                Some(chars) => {
                    if self.syntax.arn
                        && let Some(segs) = split_arn(&chars)
                    {
                        arn_match(&segs, text, ci)
                    } else {
                        glob(&chars, text, ci)
                    }
                }
                // A variable with no value and no default matches nothing.
                None => false,
            },
        }
    }

    /// The context keys of the policy variables in the pattern.
    pub(crate) fn variable_keys(&self) -> Vec<&str> {
        match &self.kind {
            Kind::Template(parts) => parts
                .iter()
                .filter_map(|p| match p {
                    TPart::Var { key, .. } => Some(key.as_str()),
                    TPart::Chars(_) => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// One string the pattern (probably) matches: each `*` and each
    /// variable without a default becomes `x`, each `?` becomes `a`. Used to
    /// build candidate requests; whatever it is used for is confirmed by
    /// evaluating the candidate, so a sample that does not match is harmless.
    pub(crate) fn sample(&self) -> String {
        fn chars(cs: &[PChar], out: &mut String) {
            for c in cs {
                match c {
                    PChar::Ch(c) => out.push(*c),
                    PChar::Star => out.push('x'),
                    PChar::One => out.push('a'),
                }
            }
        }
        let mut out = String::new();
        match &self.kind {
            Kind::Any => out.push('x'),
            Kind::Exact(s) => out.push_str(s),
            Kind::Prefix(p) => {
                out.push_str(p);
                out.push('x');
            }
            Kind::Glob(g) => chars(g, &mut out),
            Kind::Arn(segs) => {
                for (i, seg) in segs.iter().enumerate() {
                    if i > 0 {
                        out.push(':');
                    }
                    chars(seg, &mut out);
                }
            }
            Kind::Template(parts) => {
                for p in parts {
                    match p {
                        TPart::Chars(c) => chars(c, &mut out),
                        TPart::Var { default, .. } => {
                            out.push_str(default.as_deref().unwrap_or("x"));
                        }
                    }
                }
            }
        }
        out
    }

    /// True when the pattern matches every string (`*`, `**`, ...).
    pub(crate) fn is_universal(&self) -> bool {
        match &self.kind {
            Kind::Any => true,
            Kind::Glob(g) => g.iter().all(|c| *c == PChar::Star),
            _ => false,
        }
    }
}

fn eq(pattern: &str, text: &str, ci: bool) -> bool {
    if ci {
        // Patterns are lower-cased at compile time; compare char by char so
        // non-ASCII text needs no allocation either.
        if pattern.is_ascii() {
            pattern.len() == text.len() && pattern.as_bytes().eq_ignore_ascii_case(text.as_bytes())
        } else {
            pattern.chars().eq(text.chars().map(lower))
        }
    } else {
        pattern == text
    }
}

pub(crate) fn lower(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        // Single-char approximation of Unicode lower-casing: enough for the
        // identifiers policies compare, and it keeps matching allocation-free.
        c.to_lowercase().next().unwrap_or(c)
    }
}

fn to_pchars(s: &str, syntax: Syntax) -> Vec<PChar> {
    s.chars()
        .map(|c| match c {
            '*' if syntax.wildcards => PChar::Star,
            '?' if syntax.wildcards => PChar::One,
            c if syntax.ignore_case => PChar::Ch(lower(c)),
            c => PChar::Ch(c),
        })
        .collect()
}

fn compile_kind(source: &str, syntax: Syntax) -> Kind {
    if syntax.variables && source.contains("${") {
        let parts = parse_template(source, syntax);
        if parts.iter().any(|p| matches!(p, TPart::Var { .. })) {
            return Kind::Template(parts);
        }
        // Only escapes like `${*}`: flatten to plain characters.
        let chars: Vec<PChar> = parts
            .into_iter()
            .flat_map(|p| match p {
                TPart::Chars(c) => c,
                TPart::Var { .. } => Vec::new(),
            })
            .collect();
        return kind_from_chars(chars, syntax);
    }
    kind_from_chars(to_pchars(source, syntax), syntax)
}

fn kind_from_chars(chars: Vec<PChar>, syntax: Syntax) -> Kind {
    if chars.len() == 1 && chars[0] == PChar::Star {
        return Kind::Any;
    }
    let wild = chars.iter().filter(|c| !matches!(c, PChar::Ch(_))).count();
    let text = |cs: &[PChar]| -> String {
        cs.iter()
            .map(|c| match c {
                PChar::Ch(c) => *c,
                PChar::Star => '*',
                PChar::One => '?',
            })
            .collect()
    };
    if wild == 0 {
        return Kind::Exact(text(&chars));
    }
    // A case-insensitive non-ASCII prefix can change byte length when
    // lower-cased, so only ASCII (or case-sensitive) prefixes take the
    // byte-slice fast path; the rest go through the char-wise glob.
    let ascii = chars
        .iter()
        .all(|c| !matches!(c, PChar::Ch(c) if !c.is_ascii()));
    if wild == 1 && chars.last() == Some(&PChar::Star) && (ascii || !syntax.ignore_case) {
        // A trailing `*` in an ARN is always in the last segment (which may
        // contain colons), so a plain prefix test is exact there too.
        return Kind::Prefix(text(&chars[..chars.len() - 1]));
    }
    if syntax.arn
        && let Some(segs) = split_arn(&chars)
    {
        return Kind::Arn(segs);
    }
    Kind::Glob(chars.into_boxed_slice())
}

/// Split a pattern that looks like an ARN (`arn:` and at least five colons)
/// into its six segments; `None` for anything else, which is then matched as
/// one string.
fn split_arn(chars: &[PChar]) -> Option<Box<[Box<[PChar]>]>> {
    let prefix = [
        PChar::Ch('a'),
        PChar::Ch('r'),
        PChar::Ch('n'),
        PChar::Ch(':'),
    ];
    if !chars.starts_with(&prefix) {
        return None;
    }
    let mut segs: Vec<Box<[PChar]>> = Vec::with_capacity(6);
    let mut start = 0;
    for (i, c) in chars.iter().enumerate() {
        if segs.len() == 5 {
            break;
        }
        if *c == PChar::Ch(':') {
            segs.push(chars[start..i].into());
            start = i + 1;
        }
    }
    if segs.len() < 5 {
        return None;
    }
    segs.push(chars[start..].into());
    Some(segs.into_boxed_slice())
}

fn arn_match(segs: &[Box<[PChar]>], text: &str, ci: bool) -> bool {
    let mut parts = text.splitn(6, ':');
    for seg in segs {
        match parts.next() {
            Some(t) if glob(seg, t, ci) => {}
            _ => return false,
        }
    }
    true
}

/// Wildcard match in linear time for `*`/`?` (the classic two-pointer
/// algorithm: backtrack only to the most recent star, which is enough
/// because a later star can absorb whatever an earlier one would).
pub(crate) fn glob(p: &[PChar], t: &str, ci: bool) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let Some(c) = t[ti..].chars().next() else {
            break;
        };
        let clen = c.len_utf8();
        if pi < p.len() {
            match p[pi] {
                PChar::Star => {
                    star = Some((pi, ti));
                    pi += 1;
                    continue;
                }
                PChar::One => {
                    pi += 1;
                    ti += clen;
                    continue;
                }
                PChar::Ch(pc) => {
                    let c = if ci { lower(c) } else { c };
                    if pc == c {
                        pi += 1;
                        ti += clen;
                        continue;
                    }
                }
            }
        }
        match star {
            Some((sp, st)) => {
                let skip = t[st..].chars().next().map_or(1, char::len_utf8);
                star = Some((sp, st + skip));
                pi = sp + 1;
                ti = st + skip;
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|c| *c == PChar::Star)
}

/// Split `a${aws:username}b` into literal characters and variables.
/// `${*}`, `${?}` and `${$}` are the documented escapes for literal `*`,
/// `?` and `$`. An unterminated `${` is literal text.
fn parse_template(source: &str, syntax: Syntax) -> Vec<TPart> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut rest = source;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        lit.push_str(&rest[..start]);
        let inner = &rest[start + 2..start + len];
        rest = &rest[start + len + 1..];
        let mut chars = to_pchars(&lit, syntax);
        lit.clear();
        match inner {
            "*" | "?" | "$" => {
                let c = inner.chars().next().unwrap_or('$');
                chars.push(PChar::Ch(c));
                parts.push(TPart::Chars(chars));
            }
            _ => {
                parts.push(TPart::Chars(chars));
                let (key, default) = match inner.split_once(',') {
                    Some((k, d)) => {
                        let d = d.trim();
                        let d = d
                            .strip_prefix('\'')
                            .and_then(|d| d.strip_suffix('\''))
                            .unwrap_or(d);
                        (k.trim(), Some(d.to_string()))
                    }
                    None => (inner.trim(), None),
                };
                parts.push(TPart::Var {
                    key: key.to_string(),
                    default,
                });
            }
        }
    }
    lit.push_str(rest);
    parts.push(TPart::Chars(to_pchars(&lit, syntax)));
    parts
}

/// Substitute variables; the substituted text is literal (a `*` in a user
/// name is not a wildcard). `None` when a variable has no value and no
/// default, or has several values (only single-valued keys can be variables).
fn resolve(parts: &[TPart], ctx: &dyn Context) -> Option<Vec<PChar>> {
    let mut out = Vec::new();
    for part in parts {
        match part {
            TPart::Chars(c) => out.extend_from_slice(c),
            TPart::Var { key, default } => {
                let value = match ctx.values(key) {
                    Some(v) if v.len() == 1 => v.get(0).map(str::to_string),
                    _ => None,
                };
                let value = value.or_else(|| default.clone())?;
                out.extend(value.chars().map(PChar::Ch));
            }
        }
    }
    Some(out)
}

/// Resolve a literal (no-wildcard) template to a string, for `StringEquals`.
pub(crate) fn resolve_text<'a>(
    p: &'a Pattern,
    ctx: &dyn Context,
) -> Option<std::borrow::Cow<'a, str>> {
    match &p.kind {
        Kind::Exact(s) => Some(std::borrow::Cow::Borrowed(s)),
        Kind::Template(parts) => resolve(parts, ctx).map(|cs| {
            std::borrow::Cow::Owned(
                cs.iter()
                    .map(|c| match c {
                        PChar::Ch(c) => *c,
                        PChar::Star => '*',
                        PChar::One => '?',
                    })
                    .collect(),
            )
        }),
        Kind::Any => Some(std::borrow::Cow::Borrowed("*")),
        Kind::Prefix(_) | Kind::Glob(_) | Kind::Arn(_) => {
            Some(std::borrow::Cow::Borrowed(&p.source))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::context::NoContext;

    const ACTION: Syntax = Syntax {
        wildcards: true,
        ignore_case: true,
        variables: false,
        arn: false,
    };
    const RESOURCE: Syntax = Syntax {
        wildcards: true,
        ignore_case: false,
        variables: true,
        arn: true,
    };

    fn m(p: &str, t: &str, s: Syntax) -> bool {
        Pattern::compile(p, s).matches(t, &NoContext)
    }

    #[test]
    fn action_patterns_ignore_case_and_expand_wildcards() {
        assert!(m("ce:Get*", "CE:GETCOSTANDUSAGE", ACTION));
        assert!(m("s3:?etObject", "s3:GetObject", ACTION));
        assert!(!m("s3:?etObject", "s3:etObject", ACTION));
        assert!(m("*:*", "iam:CreateUser", ACTION));
        assert!(m("*Get*Usage", "ce:GetCostAndUsage", ACTION));
        assert!(!m("ce:Get*", "ce:ListCostCategoryDefinitions", ACTION));
    }

    #[test]
    fn arn_wildcards_stay_inside_their_segment() {
        assert!(m(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket/a:b",
            RESOURCE
        ));
        assert!(m(
            "arn:aws:iam::*:role/x",
            "arn:aws:iam::123:role/x",
            RESOURCE
        ));
        assert!(!m(
            "arn:aws:iam::*:role/x",
            "arn:aws:iam::1:2:role/x",
            RESOURCE
        ));
        assert!(!m("arn:aws:S3:::b", "arn:aws:s3:::b", RESOURCE));
    }

    #[test]
    fn non_ascii_action_prefixes_match_case_insensitively() {
        // U+212A KELVIN SIGN lower-cases to ASCII `k`: byte lengths differ.
        assert!(m("svc:\u{212A}*", "svc:kelvin", ACTION));
        assert!(m("svc:Ä*", "SVC:äx", ACTION));
    }

    #[test]
    fn glob_does_not_blow_up_on_many_stars() {
        let p = "*a*a*a*a*a*a*a*a*a*a*a*a*b";
        let t = "a".repeat(5000);
        assert!(!m(p, &t, RESOURCE));
    }
}
