//! Bytes to text for course files: invalid UTF-8 is replaced (never a
//! panic) and mojibake is repaired. Pure: no I/O, no other labbook module.
//!
//! Mojibake here means UTF-8 text that was decoded with a legacy single-byte
//! code page and saved again as UTF-8: "—" (E2 80 94) reads "â€”" through
//! Windows-1252, and "🔐" (F0 9F 94 90) reads "ğŸ”" through Windows-1254,
//! where 0xF0 is "ğ". Which code page did it cannot be told from one
//! character, so it is decided once per file: the code page under which the
//! most sequences decode to valid UTF-8 wins.
//!
//! Each code page leaves a few bytes undefined (0x90 in all of them, 0x8E and
//! 0x9E only in Windows-1254, ...). Some tools kept those as C1 controls,
//! others dropped them, so a character may come back one byte short. The
//! candidates that make a valid character are then weighed by what the file
//! itself shows: whether it is written with emoji-presentation characters,
//! whether an emoji sequence is being continued, which characters and
//! Unicode blocks survived intact elsewhere, an opening quote on the same
//! line, and which dropped bytes the file's unambiguous repairs needed. Such
//! a character is counted as inferred; a character with two bytes lost, or
//! with no candidate at all, becomes U+FFFD and is counted as lost.

use std::collections::HashSet;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthChar;

/// The result of decoding one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Byte sequences that were not UTF-8 and became U+FFFD.
    pub invalid_sequences: usize,
    /// The code page whose round trip was undone, if the file was mojibake.
    pub code_page: Option<CodePage>,
    /// Characters rebuilt from mojibake (including the inferred ones).
    pub repaired: usize,
    /// Repaired characters that had lost a byte with several possible values,
    /// chosen from evidence in the rest of the file.
    pub inferred: usize,
    /// Damaged characters whose lost bytes could not be determined (now U+FFFD).
    pub unrecoverable: usize,
}

impl Decoded {
    /// A one-line warning for the user, or `None` when the file was clean.
    pub fn warning(&self, name: &str) -> Option<String> {
        let mut parts = Vec::new();
        if self.invalid_sequences > 0 {
            parts.push(format!(
                "replaced {} invalid UTF-8 sequence{}",
                self.invalid_sequences,
                plural(self.invalid_sequences)
            ));
        }
        if self.repaired > 0 {
            let page = self.code_page.map_or("a legacy code page", CodePage::name);
            let mut part = format!(
                "repaired {} character{} garbled by a {page} round trip",
                self.repaired,
                plural(self.repaired)
            );
            if self.inferred > 0 {
                part.push_str(&format!(
                    " ({} inferred from the rest of the file where a dropped byte left several candidates)",
                    self.inferred
                ));
            }
            parts.push(part);
        }
        if self.unrecoverable > 0 {
            parts.push(format!(
                "{} damaged character{} could not be recovered (shown as \u{FFFD})",
                self.unrecoverable,
                plural(self.unrecoverable)
            ));
        }
        if parts.is_empty() {
            None
        } else {
            Some(format!("{name}: {}", parts.join("; ")))
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Decode `bytes` as UTF-8, replacing invalid sequences and repairing mojibake.
pub fn decode(bytes: &[u8]) -> Decoded {
    let (text, invalid_sequences) = match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), 0),
        Err(_) => lossy(bytes),
    };
    let repair = repair_mojibake(&text);
    Decoded {
        text: repair.text.unwrap_or(text),
        invalid_sequences,
        code_page: repair.code_page,
        repaired: repair.repaired,
        inferred: repair.inferred,
        unrecoverable: repair.lost,
    }
}

fn lossy(mut bytes: &[u8]) -> (String, usize) {
    let mut out = String::with_capacity(bytes.len());
    let mut count = 0;
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                return (out, count);
            }
            Err(e) => {
                let (good, rest) = bytes.split_at(e.valid_up_to());
                // `good` is valid by construction.
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                out.push('\u{FFFD}');
                count += 1;
                let skip = e.error_len().unwrap_or(rest.len());
                bytes = &rest[skip..];
            }
        }
    }
}

/// A single-byte code page a UTF-8 file may have been misread with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePage {
    /// Western European, the Windows default in most of the world.
    Windows1252,
    /// Turkish: Windows-1252 with ğ Ğ ı İ ş Ş in place of ð Ð ý Ý þ Þ.
    Windows1254,
    /// Central European.
    Windows1250,
    /// ISO-8859-1: every byte is defined, 0x80..0x9F as C1 controls.
    Latin1,
}

/// Bytes 0x80..=0xFF of each Windows code page; 0 marks an undefined byte.
/// Generated from the platform's codec tables, not written by hand.
#[rustfmt::skip]
const WINDOWS_1252: [u16; 128] = [
    0x20AC, 0x0000, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x0000, 0x017D, 0x0000,
    0x0000, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x0000, 0x017E, 0x0178,
    0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
    0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
    0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
    0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
    0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
    0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF,
    0x00D0, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7,
    0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF,
    0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
    0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF,
    0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,
    0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF,
];

/// Windows-1252 with the Turkish letters in place of the Icelandic ones,
/// and 0x8E and 0x9E (Ž ž) left undefined.
const WINDOWS_1254: [u16; 128] = {
    let mut t = WINDOWS_1252;
    let turkish: [(u8, u16); 8] = [
        (0x8E, 0x0000),
        (0x9E, 0x0000),
        (0xD0, 0x011E), // Ğ
        (0xDD, 0x0130), // İ
        (0xDE, 0x015E), // Ş
        (0xF0, 0x011F), // ğ
        (0xFD, 0x0131), // ı
        (0xFE, 0x015F), // ş
    ];
    let mut i = 0;
    while i < turkish.len() {
        t[(turkish[i].0 - 0x80) as usize] = turkish[i].1;
        i += 1;
    }
    t
};

#[rustfmt::skip]
const WINDOWS_1250: [u16; 128] = [
    0x20AC, 0x0000, 0x201A, 0x0000, 0x201E, 0x2026, 0x2020, 0x2021,
    0x0000, 0x2030, 0x0160, 0x2039, 0x015A, 0x0164, 0x017D, 0x0179,
    0x0000, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x0000, 0x2122, 0x0161, 0x203A, 0x015B, 0x0165, 0x017E, 0x017A,
    0x00A0, 0x02C7, 0x02D8, 0x0141, 0x00A4, 0x0104, 0x00A6, 0x00A7,
    0x00A8, 0x00A9, 0x015E, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x017B,
    0x00B0, 0x00B1, 0x02DB, 0x0142, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
    0x00B8, 0x0105, 0x015F, 0x00BB, 0x013D, 0x02DD, 0x013E, 0x017C,
    0x0154, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x0139, 0x0106, 0x00C7,
    0x010C, 0x00C9, 0x0118, 0x00CB, 0x011A, 0x00CD, 0x00CE, 0x010E,
    0x0110, 0x0143, 0x0147, 0x00D3, 0x00D4, 0x0150, 0x00D6, 0x00D7,
    0x0158, 0x016E, 0x00DA, 0x0170, 0x00DC, 0x00DD, 0x0162, 0x00DF,
    0x0155, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x013A, 0x0107, 0x00E7,
    0x010D, 0x00E9, 0x0119, 0x00EB, 0x011B, 0x00ED, 0x00EE, 0x010F,
    0x0111, 0x0144, 0x0148, 0x00F3, 0x00F4, 0x0151, 0x00F6, 0x00F7,
    0x0159, 0x016F, 0x00FA, 0x0171, 0x00FC, 0x00FD, 0x0163, 0x02D9,
];

/// Highest code point any table above holds: anything beyond (CJK, emoji,
/// box drawing) cannot be a misread byte, which keeps clean files cheap.
const HIGHEST_MAPPED: u32 = 0x2122;

impl CodePage {
    /// Tried in this order; on a tie the earlier, more common one wins.
    pub const ALL: [CodePage; 4] = [
        CodePage::Windows1252,
        CodePage::Windows1254,
        CodePage::Windows1250,
        CodePage::Latin1,
    ];

    /// The name used in warnings.
    pub fn name(self) -> &'static str {
        match self {
            CodePage::Windows1252 => "Windows-1252",
            CodePage::Windows1254 => "Windows-1254",
            CodePage::Windows1250 => "Windows-1250",
            CodePage::Latin1 => "Latin-1",
        }
    }

    fn table(self) -> Option<&'static [u16; 128]> {
        match self {
            CodePage::Windows1252 => Some(&WINDOWS_1252),
            CodePage::Windows1254 => Some(&WINDOWS_1254),
            CodePage::Windows1250 => Some(&WINDOWS_1250),
            CodePage::Latin1 => None,
        }
    }

    /// What a byte 0x80..=0xFF reads as, or `None` where it is undefined.
    pub fn char_of(self, byte: u8) -> Option<char> {
        if byte < 0x80 {
            return Some(byte as char);
        }
        match self.table() {
            None => char::from_u32(u32::from(byte)),
            Some(t) => match t[usize::from(byte - 0x80)] {
                0 => None,
                u => char::from_u32(u32::from(u)),
            },
        }
    }

    /// Whether a round trip through this code page may have dropped `byte`.
    pub fn is_undefined(self, byte: u8) -> bool {
        byte >= 0x80 && self.char_of(byte).is_none()
    }

    /// The non-ASCII byte that reads as `c`. An undefined byte kept as its C1
    /// control (what lenient decoders do) maps back to itself.
    fn byte_of(self, c: char) -> Option<u8> {
        let u = c as u32;
        if !(0x80..=HIGHEST_MAPPED).contains(&u) {
            return None;
        }
        if u <= 0xFF && self.char_of(u as u8) == Some(c) {
            return Some(u as u8);
        }
        if u <= 0x9F && self.is_undefined(u as u8) {
            return Some(u as u8);
        }
        let t = self.table()?;
        t.iter()
            .position(|&v| u32::from(v) == u)
            .map(|i| 0x80 + i as u8)
    }

    /// The bytes this code page leaves undefined.
    fn undefined_bytes(self) -> impl Iterator<Item = u8> {
        (0x80..=0xFFu8).filter(move |&b| self.is_undefined(b))
    }
}

fn is_continuation(b: u8) -> bool {
    (0x80..=0xBF).contains(&b)
}

/// How many bytes a UTF-8 sequence starting with `b` has (2..=4), if `b` can lead one.
fn sequence_len(b: u8) -> Option<usize> {
    match b {
        0xC2..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF4 => Some(4),
        _ => None,
    }
}

fn decode_one(bytes: &[u8]) -> Option<char> {
    let s = std::str::from_utf8(bytes).ok()?;
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// Whether `bytes` can begin a UTF-8 sequence: the second byte's range
/// depends on the lead (no overlong forms, no surrogates, nothing past U+10FFFF).
fn valid_prefix(bytes: &[u8]) -> bool {
    let (Some(&lead), Some(&second)) = (bytes.first(), bytes.get(1)) else {
        return true;
    };
    let second_ok = match lead {
        0xE0 => (0xA0..=0xBF).contains(&second),
        0xED => (0x80..=0x9F).contains(&second),
        0xF0 => (0x90..=0xBF).contains(&second),
        0xF4 => (0x80..=0x8F).contains(&second),
        _ => is_continuation(second),
    };
    second_ok && bytes[2..].iter().all(|&b| is_continuation(b))
}

/// One stretch of the misread text.
#[derive(Debug, Clone)]
enum Piece {
    /// A character that is not part of any misread sequence.
    Literal(char),
    /// A complete misread sequence: `chars` characters of text that are one character.
    Whole {
        ch: char,
        chars: usize,
        bytes: usize,
    },
    /// A sequence that lost `missing` bytes: its surviving bytes, in order.
    Short {
        bytes: [u8; 4],
        len: usize,
        chars: usize,
        missing: usize,
    },
}

/// Reads `text` as if its characters were bytes of `page`, in one pass.
fn pieces(chars: &[char], page: CodePage) -> Vec<Piece> {
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let lead = page.byte_of(c);
        let Some(len) = lead.and_then(sequence_len) else {
            out.push(Piece::Literal(c));
            i += 1;
            continue;
        };
        let mut bytes = [lead.unwrap_or(0), 0, 0, 0];
        let mut n = 1;
        while n < len {
            match chars.get(i + n).and_then(|&next| page.byte_of(next)) {
                Some(b) if is_continuation(b) => {
                    bytes[n] = b;
                    n += 1;
                }
                _ => break,
            }
        }
        if n == len
            && let Some(ch) = decode_one(&bytes[..n])
        {
            out.push(Piece::Whole {
                ch,
                chars: n,
                bytes: n,
            });
            i += n;
        } else if n < len && len >= 3 && n >= 2 && valid_prefix(&bytes[..n]) {
            // Lead and at least one continuation survived: a character of
            // three or four bytes that lost some. A lone lead byte followed by
            // text is too weak a signal (it is usually a real letter).
            out.push(Piece::Short {
                bytes,
                len: n,
                chars: n,
                missing: len - n,
            });
            i += n;
        } else {
            out.push(Piece::Literal(c));
            i += 1;
        }
    }
    out
}

/// How well `page` explains the text, from one reading of it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Explanation {
    /// Complete sequences that decode to valid UTF-8.
    whole: usize,
    /// Complete sequences of three or four bytes: a run like "â€”" almost
    /// never occurs in genuine text, unlike two-byte ones such as "É»".
    long: usize,
    /// Characters taking part in a sequence.
    covered: usize,
    /// Other non-ASCII characters: genuine text that no sequence explains.
    orphans: usize,
}

fn explain(pieces: &[Piece]) -> Explanation {
    let mut e = Explanation::default();
    for p in pieces {
        match p {
            Piece::Literal(c) => e.orphans += usize::from(!c.is_ascii()),
            Piece::Whole { chars, bytes, .. } => {
                e.whole += 1;
                e.long += usize::from(*bytes >= 3);
                e.covered += chars;
            }
            Piece::Short { chars, .. } => e.covered += chars,
        }
    }
    e
}

impl Explanation {
    /// Whether the file is mojibake at all. A clean file is never changed, so
    /// the code page must account for most of the non-ASCII text (a clean
    /// chapter full of ✅ and "ğ" in Turkish words has many orphans), and a
    /// file explained only by two-byte sequences needs more than one.
    fn is_mojibake(&self) -> bool {
        self.whole > 0 && self.covered > self.orphans && (self.long > 0 || self.whole >= 2)
    }

    /// Ordering key for choosing the code page: most valid sequences, then
    /// the most text explained (a sequence that lost a byte still shows the
    /// code page read its other bytes).
    fn rank(&self) -> (usize, usize) {
        (self.whole, self.covered)
    }
}

/// The outcome of a repair; `text` is `None` when nothing was changed.
struct Repair {
    text: Option<String>,
    code_page: Option<CodePage>,
    repaired: usize,
    inferred: usize,
    lost: usize,
}

fn repair_mojibake(text: &str) -> Repair {
    let unchanged = Repair {
        text: None,
        code_page: None,
        repaired: 0,
        inferred: 0,
        lost: 0,
    };
    // Cheap exit: pure ASCII, or nothing any code page could have produced.
    if !text
        .chars()
        .any(|c| (0x80..=HIGHEST_MAPPED).contains(&(c as u32)))
    {
        return unchanged;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut best: Option<(CodePage, Vec<Piece>, Explanation)> = None;
    for page in CodePage::ALL {
        let p = pieces(&chars, page);
        let e = explain(&p);
        if e.is_mojibake() && best.as_ref().is_none_or(|(_, _, b)| e.rank() > b.rank()) {
            best = Some((page, p, e));
        }
    }
    let Some((page, pieces, _)) = best else {
        return unchanged;
    };
    let evidence = Evidence::gather(&pieces);
    // Two passes: the first learns which dropped bytes the unambiguous
    // repairs needed, the second uses that as the last word on ties.
    let first = resolve(&pieces, page, &evidence, &[0; 256]);
    let second = resolve(&pieces, page, &evidence, &first.needed);
    Repair {
        text: Some(second.text),
        code_page: Some(page),
        repaired: second.repaired,
        inferred: second.inferred,
        lost: second.lost,
    }
}

/// What the intact part of the file says about its characters.
struct Evidence {
    /// Characters that came back whole somewhere in the file.
    seen: HashSet<char>,
    /// Their blocks of 64 code points (the UTF-8 sequence minus its last byte).
    blocks: HashSet<u32>,
    /// The file writes emoji in emoji presentation (✅ rather than ✔).
    emoji_style: bool,
}

impl Evidence {
    fn gather(pieces: &[Piece]) -> Self {
        let mut seen = HashSet::new();
        for p in pieces {
            if let Piece::Whole { ch, .. } = p {
                seen.insert(*ch);
            }
        }
        let blocks = seen.iter().map(|&c| c as u32 >> 6).collect();
        let emoji_style = seen.iter().any(|&c| is_emoji_presentation(c));
        Evidence {
            seen,
            blocks,
            emoji_style,
        }
    }
}

/// Extended_Pictographic, asked of the grapheme segmenter rather than kept in
/// a table of our own: a zero-width joiner glues two pictographs into one
/// grapheme but does not glue a letter to one (UAX #29, rule GB11).
fn is_pictographic(c: char) -> bool {
    let mut buf = [0u8; 16];
    let after_emoji = {
        let s = format_pair(&mut buf, '\u{1F600}', c);
        s.graphemes(true).count() == 1
    };
    after_emoji && format_pair(&mut buf, 'a', c).graphemes(true).count() == 2
}

fn format_pair(buf: &mut [u8; 16], first: char, c: char) -> &str {
    let mut n = first.encode_utf8(&mut buf[..]).len();
    n += '\u{200D}'.encode_utf8(&mut buf[n..]).len();
    n += c.encode_utf8(&mut buf[n..]).len();
    std::str::from_utf8(&buf[..n]).unwrap_or_default()
}

/// Emoji shown as emoji without a selector: pictographs the width tables
/// make double-width (Emoji_Presentation is what makes them so).
fn is_emoji_presentation(c: char) -> bool {
    c.width() == Some(2) && is_pictographic(c)
}

fn is_variation_selector(c: char) -> bool {
    ('\u{FE00}'..='\u{FE0F}').contains(&c)
}

/// Characters a damaged sequence never stands for: controls, private use,
/// noncharacters.
fn is_implausible(c: char) -> bool {
    let u = c as u32;
    c.is_control()
        || (0xE000..=0xF8FF).contains(&u)
        || u >= 0xF0000
        || (0xFDD0..=0xFDEF).contains(&u)
        || (u & 0xFFFE) == 0xFFFE
}

/// Invisible spacing and direction marks: possible, but a weak guess.
fn is_invisible(c: char) -> bool {
    matches!(c as u32, 0x2000..=0x200C | 0x200E..=0x200F | 0x2028..=0x202F | 0x2060..=0x206F)
}

/// Quotation marks that close what an earlier one on the line opened.
const QUOTE_PAIRS: [(char, char); 4] = [
    ('\u{201C}', '\u{201D}'),
    ('\u{2018}', '\u{2019}'),
    ('«', '»'),
    ('‹', '›'),
];

/// A possible value of a damaged character.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    ch: char,
    /// The byte that was put back.
    byte: u8,
}

/// Every character made by putting back one dropped byte anywhere after the lead.
fn candidates(bytes: &[u8], page: CodePage) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = Vec::new();
    for pos in 1..=bytes.len() {
        for b in page.undefined_bytes() {
            let mut attempt = [0u8; 4];
            attempt[..pos].copy_from_slice(&bytes[..pos]);
            attempt[pos] = b;
            attempt[pos + 1..=bytes.len()].copy_from_slice(&bytes[pos..]);
            if let Some(ch) = decode_one(&attempt[..=bytes.len()])
                && !is_implausible(ch)
                && !found.iter().any(|f| f.ch == ch)
            {
                found.push(Candidate { ch, byte: b });
            }
        }
    }
    found
}

/// What is known about the character after a damaged one.
#[derive(Debug, Clone, Copy)]
enum Next {
    Char(char),
    /// A damaged character that may be the emoji-presentation selector.
    MaybeEmojiSelector,
    Unknown,
}

impl Next {
    fn is_emoji_selector(self) -> bool {
        matches!(self, Next::Char('\u{FE0F}') | Next::MaybeEmojiSelector)
    }

    fn is_pictographic(self) -> bool {
        matches!(self, Next::Char(c) if is_pictographic(c))
    }
}

/// The state of the repaired text left of a damaged character.
struct Left {
    prev: Option<char>,
    /// Per `QUOTE_PAIRS` entry: openers minus closers on the current line.
    open_quotes: [i32; 4],
}

impl Left {
    fn push(&mut self, out: &mut String, c: char) {
        out.push(c);
        self.prev = Some(c);
        if c == '\n' {
            self.open_quotes = [0; 4];
        }
        for (i, (open, close)) in QUOTE_PAIRS.iter().enumerate() {
            if c == *open {
                self.open_quotes[i] += 1;
            } else if c == *close {
                self.open_quotes[i] -= 1;
            }
        }
    }

    /// Whether the previous character can carry a selector or a joiner.
    fn in_emoji(&self) -> bool {
        self.prev
            .is_some_and(|p| p == '\u{FE0F}' || is_pictographic(p))
    }

    fn closes_open_quote(&self, c: char) -> bool {
        QUOTE_PAIRS
            .iter()
            .zip(self.open_quotes)
            .any(|((_, close), open)| *close == c && open > 0)
    }
}

/// How well `c` fits where it stands, `None` where it cannot stand at all.
/// Compared as a tuple: the fit with its neighbours first, then what the file
/// shows intact, then how often the file needed the byte it puts back.
fn score(
    cand: Candidate,
    left: &Left,
    next: Next,
    evidence: &Evidence,
    needed: &[usize; 256],
) -> Option<(u8, u8, usize)> {
    let c = cand.ch;
    let fit = if is_variation_selector(c) {
        if !left.in_emoji() {
            return None;
        }
        // Emoji presentation in a file that writes emoji that way; text
        // presentation (FE0E) only where the file shows no emoji style.
        match c {
            '\u{FE0F}' => 4,
            '\u{FE0E}' if !evidence.emoji_style => 3,
            _ => 1,
        }
    } else if c == '\u{200D}' {
        if !(left.in_emoji() && next.is_pictographic()) {
            return None;
        }
        4
    } else if is_pictographic(c) {
        // A selector asks for emoji presentation, which only a pictograph
        // shown as text by default needs; without one, the file's own style
        // decides.
        let presentation = is_emoji_presentation(c);
        if next.is_emoji_selector() {
            if presentation { 3 } else { 4 }
        } else if evidence.emoji_style && presentation {
            4
        } else {
            3
        }
    } else if is_invisible(c) {
        1
    } else {
        3
    };
    let seen = if evidence.seen.contains(&c) || left.closes_open_quote(c) {
        2
    } else if evidence.blocks.contains(&(c as u32 >> 6)) {
        1
    } else {
        0
    };
    Some((fit, seen, needed[usize::from(cand.byte)]))
}

struct Resolved {
    text: String,
    repaired: usize,
    inferred: usize,
    lost: usize,
    /// How often each dropped byte was put back where only one candidate fit best.
    needed: [usize; 256],
}

fn resolve(
    pieces: &[Piece],
    page: CodePage,
    evidence: &Evidence,
    needed: &[usize; 256],
) -> Resolved {
    let mut r = Resolved {
        text: String::new(),
        repaired: 0,
        inferred: 0,
        lost: 0,
        needed: [0; 256],
    };
    let mut left = Left {
        prev: None,
        open_quotes: [0; 4],
    };
    let mut out = String::with_capacity(pieces.len() * 2);
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Literal(c) => left.push(&mut out, *c),
            Piece::Whole { ch, .. } => {
                left.push(&mut out, *ch);
                r.repaired += 1;
            }
            Piece::Short {
                bytes,
                len,
                missing,
                ..
            } => {
                let found = if *missing == 1 {
                    candidates(&bytes[..*len], page)
                } else {
                    Vec::new()
                };
                let next = match pieces.get(i + 1) {
                    Some(Piece::Literal(c) | Piece::Whole { ch: c, .. }) => Next::Char(*c),
                    Some(Piece::Short { bytes, len, .. }) => {
                        if candidates(&bytes[..*len], page)
                            .iter()
                            .any(|c| c.ch == '\u{FE0F}')
                        {
                            Next::MaybeEmojiSelector
                        } else {
                            Next::Unknown
                        }
                    }
                    None => Next::Unknown,
                };
                let mut scored: Vec<(Candidate, (u8, u8, usize))> = found
                    .iter()
                    .filter_map(|&c| score(c, &left, next, evidence, needed).map(|s| (c, s)))
                    .collect();
                // Stable: among equals the first generated (byte put back
                // earliest, lowest value) wins, so the choice is repeatable.
                scored.sort_by_key(|&(_, s)| std::cmp::Reverse(s));
                match scored.first() {
                    Some(&(best, top)) => {
                        if scored.get(1).is_none_or(|second| second.1 < top) {
                            r.needed[usize::from(best.byte)] += 1;
                        }
                        r.repaired += 1;
                        r.inferred += usize::from(found.len() > 1);
                        left.push(&mut out, best.ch);
                    }
                    None => {
                        r.lost += 1;
                        left.push(&mut out, '\u{FFFD}');
                    }
                }
            }
        }
    }
    r.text = out;
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a round trip through `page` does to UTF-8 text; `drop` removes
    /// the undefined bytes, otherwise they are kept as C1 controls.
    fn garble(s: &str, page: CodePage, drop: bool) -> String {
        let mut out = String::new();
        for &b in s.as_bytes() {
            match page.char_of(b) {
                Some(c) => out.push(c),
                None if !drop => out.push(char::from(b)),
                None => {}
            }
        }
        out
    }

    #[test]
    fn clean_text_is_untouched() {
        let s = "Least privilege — naïve café ✅ 🔐 Ärger";
        let d = decode(s.as_bytes());
        assert_eq!(d.text, s);
        assert_eq!(d.warning("x.md"), None);
    }

    #[test]
    fn genuine_turkish_french_and_german_words_are_not_repaired() {
        let s = "Doğru, ağaç, İstanbul, ılık, şeker, ĞÜŞ; L'Haÿ-les-Roses, AŸ, \
                 pâté, château, crème brûlée, «CAFÉ» — Grüß’ dich, Straße";
        let d = decode(s.as_bytes());
        assert_eq!(d.text, s);
        assert_eq!(d.warning("x.md"), None);
    }

    #[test]
    fn repairs_dash_and_check_mark() {
        let d = decode("Root â€” lock it âœ… away".as_bytes());
        assert_eq!(d.text, "Root — lock it ✅ away");
        assert_eq!(d.repaired, 2);
        assert_eq!(d.code_page, Some(CodePage::Windows1252));
        assert!(d.warning("ch.md").is_some_and(|w| w.contains("ch.md")
            && w.contains("repaired 2")
            && w.contains("Windows-1252")));
    }

    #[test]
    fn turkish_round_trip_is_recognised_by_its_emoji() {
        let s = "🔒 Locked — “done” ✅";
        let d = decode(garble(s, CodePage::Windows1254, false).as_bytes());
        assert_eq!(d.text, s);
        assert_eq!(d.code_page, Some(CodePage::Windows1254));
    }

    #[test]
    fn round_trip_with_kept_c1_bytes_repairs_everything() {
        let s = "“Quote” — 🔐 Root 🕵️‍♂️ Detective ✅ ❌ 👥";
        for page in CodePage::ALL {
            let d = decode(garble(s, page, false).as_bytes());
            assert_eq!(d.text, s, "{page:?}");
            assert_eq!((d.unrecoverable, d.inferred), (0, 0), "{page:?}");
        }
    }

    #[test]
    fn dropped_bytes_are_restored_from_context() {
        // ” (E2 80 9D) and the ZWJ (E2 80 8D) lose a byte; ❌ (E2 9D 8C) and
        // FE0F (EF B8 8F) too. The quote closes an opened one, the joiner
        // sits between pictographs, and a file full of ✅ writes ❌.
        let s = "“Quoted” 🕵️‍♂️ — ✅ done, ❌ not done ⚠️";
        let garbled = garble(s, CodePage::Windows1252, true);
        assert_ne!(garbled, garble(s, CodePage::Windows1252, false));
        let d = decode(garbled.as_bytes());
        assert_eq!(d.text, s);
        assert!(d.inferred >= 4, "{d:?}");
        assert!(
            d.warning("x.md")
                .is_some_and(|w| w.contains(&format!("{} inferred", d.inferred)))
        );
    }

    #[test]
    fn two_lost_bytes_become_replacement_and_are_reported() {
        // 🎭 is F0 9F 8E AD; here both 8E and AD are gone.
        let d = decode("ğŸ IAM Roles âœ…".as_bytes());
        assert_eq!(d.text, "\u{FFFD} IAM Roles ✅");
        assert_eq!(d.unrecoverable, 1);
        assert!(
            d.warning("r.md")
                .is_some_and(|w| w.contains("could not be recovered"))
        );
    }

    #[test]
    fn pictographs_are_recognised() {
        for c in ['❌', '✅', '🔐', '⏱', '⚠', '♂', '🏛'] {
            assert!(is_pictographic(c), "{c}");
        }
        for c in ['a', 'é', '”', '⌁', '\u{FE0F}', '\u{200D}'] {
            assert!(!is_pictographic(c), "{c}");
        }
        assert!(is_emoji_presentation('❌') && is_emoji_presentation('🔐'));
        assert!(!is_emoji_presentation('⚠') && !is_emoji_presentation('⏱'));
    }

    #[test]
    fn invalid_utf8_is_replaced_not_panicking() {
        let bytes = b"ok \xff\xfe then \xe2\x80 end";
        let d = decode(bytes);
        assert!(d.text.starts_with("ok \u{FFFD}"));
        assert!(d.text.ends_with(" end"));
        assert!(d.invalid_sequences >= 2);
        assert!(
            d.warning("bad.md")
                .is_some_and(|w| w.contains("invalid UTF-8"))
        );
    }
}
