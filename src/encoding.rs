//! Bytes to text for course files: invalid UTF-8 is replaced (never a
//! panic) and mojibake is repaired.
//!
//! Mojibake here means UTF-8 text that was decoded as Windows-1252 and saved
//! again as UTF-8: "—" (E2 80 94) reads "â€”", "✅" reads "âœ…". Windows-1252
//! leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined, so some tools dropped
//! those bytes and others kept them as the C1 controls U+0081...; both are
//! handled. Where a byte was dropped, the candidates that make a valid
//! character are tried; a single candidate or a clear preference repairs the
//! character, otherwise it becomes U+FFFD and is counted as lost.

/// The result of decoding one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Byte sequences that were not UTF-8 and became U+FFFD.
    pub invalid_sequences: usize,
    /// Characters rebuilt from mojibake.
    pub repaired: usize,
    /// Damaged characters whose lost byte could not be determined (now U+FFFD).
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
            parts.push(format!(
                "repaired {} character{} garbled by a Windows-1252 round trip",
                self.repaired,
                plural(self.repaired)
            ));
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
    let (text, repaired, unrecoverable) = repair_mojibake(&text);
    Decoded {
        text,
        invalid_sequences,
        repaired,
        unrecoverable,
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

/// The bytes Windows-1252 leaves undefined, which round trips may drop.
const UNDEFINED: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];

/// The Windows-1252 byte that decodes to `c`, if any. The undefined bytes
/// map to themselves as C1 controls (what lenient decoders produce).
fn cp1252_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if u < 0x80 {
        return None; // ASCII never takes part in a UTF-8 multi-byte sequence
    }
    if (0xA0..=0xFF).contains(&u) {
        return Some(u as u8);
    }
    if UNDEFINED.contains(&(u as u8)) && u <= 0x9F {
        return Some(u as u8);
    }
    Some(match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201C}' => 0x93,
        '\u{201D}' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    })
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

/// Repairs mojibake in `text`; returns the text, the number of characters
/// repaired and the number that could not be recovered.
fn repair_mojibake(text: &str) -> (String, usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    // Cheap exit for clean text: mojibake always contains a lead-byte
    // character (U+00C2..U+00F4) followed by a Windows-1252 continuation.
    let suspicious = chars.windows(2).any(|w| {
        cp1252_byte(w[0]).and_then(sequence_len).is_some()
            && cp1252_byte(w[1]).is_some_and(is_continuation)
    });
    if !suspicious {
        return (text.to_string(), 0, 0);
    }
    let mut out = String::with_capacity(text.len());
    let (mut repaired, mut lost) = (0, 0);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let Some(len) = cp1252_byte(c).and_then(sequence_len) else {
            out.push(c);
            i += 1;
            continue;
        };
        let mut bytes = vec![cp1252_byte(c).unwrap_or(0)];
        let mut j = i + 1;
        while bytes.len() < len {
            match chars.get(j).and_then(|&n| cp1252_byte(n)) {
                Some(b) if is_continuation(b) => {
                    bytes.push(b);
                    j += 1;
                }
                _ => break,
            }
        }
        if bytes.len() == len {
            if let Some(fixed) = decode_one(&bytes) {
                out.push(fixed);
                repaired += 1;
                i = j;
                continue;
            }
        } else if bytes.len() == len - 1 && len >= 3 {
            // One byte short: a dropped undefined byte. Only sequences of
            // three or four bytes are tried; for two-byte ones a single
            // surviving lead byte is too weak a signal.
            let candidates = dropped_byte_candidates(&bytes);
            if !candidates.is_empty() {
                match choose(&candidates, out.chars().last()) {
                    Some(fixed) => {
                        out.push(fixed);
                        repaired += 1;
                    }
                    None => {
                        out.push('\u{FFFD}');
                        lost += 1;
                    }
                }
                i = j;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    (out, repaired, lost)
}

/// Every character made by inserting one undefined byte at any position after the lead.
fn dropped_byte_candidates(bytes: &[u8]) -> Vec<char> {
    let mut found = Vec::new();
    for pos in 1..=bytes.len() {
        for b in UNDEFINED {
            let mut attempt = bytes.to_vec();
            attempt.insert(pos, b);
            if let Some(c) = decode_one(&attempt)
                && !found.contains(&c)
            {
                found.push(c);
            }
        }
    }
    found
}

/// Picks the intended character among candidates, or `None` when the bytes
/// do not say. `prev` is the character before it in the repaired text.
fn choose(candidates: &[char], prev: Option<char>) -> Option<char> {
    if let [only] = candidates {
        return Some(*only);
    }
    let after_emoji = prev.is_some_and(|p| p == '\u{FE0F}' || p as u32 >= 0x1F000);
    // Zero-width joiner inside emoji sequences (🕵️‍♂️); otherwise the
    // right double quotation mark, by far the most common E2 80 9D victim.
    let preferred: &[char] = if after_emoji {
        &['\u{200D}']
    } else {
        &['\u{201D}', '\u{2010}']
    };
    preferred.iter().copied().find(|p| candidates.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a Windows-1252 round trip does to UTF-8 text; `drop` removes the undefined bytes.
    fn garble(s: &str, drop: bool) -> String {
        let mut out = String::new();
        for &b in s.as_bytes() {
            if b < 0x80 {
                out.push(b as char);
            } else if UNDEFINED.contains(&b) {
                if !drop {
                    out.push(char::from_u32(b as u32).unwrap_or('?'));
                }
            } else if (0xA0..=0xFF).contains(&b) {
                out.push(char::from_u32(b as u32).unwrap_or('?'));
            } else {
                let c = (0x80u32..0x10000)
                    .filter_map(char::from_u32)
                    .find(|&c| (c as u32) >= 0x100 && cp1252_byte(c) == Some(b))
                    .unwrap_or('?');
                out.push(c);
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
    fn repairs_dash_and_check_mark() {
        let d = decode("Root â€” lock it âœ… away".as_bytes());
        assert_eq!(d.text, "Root — lock it ✅ away");
        assert_eq!(d.repaired, 2);
        assert!(
            d.warning("ch.md")
                .is_some_and(|w| w.contains("ch.md") && w.contains("repaired 2"))
        );
    }

    #[test]
    fn round_trip_with_kept_c1_bytes_repairs_everything() {
        let s = "“Quote” — 🔐 Root 🕵️‍♂️ Detective ✅ ❌ 👥";
        let d = decode(garble(s, false).as_bytes());
        assert_eq!(d.text, s);
        assert_eq!(d.unrecoverable, 0);
    }

    #[test]
    fn dropped_bytes_are_restored_where_the_bytes_allow() {
        // ” (E2 80 9D) and the ZWJ (E2 80 8D) lose a byte; both come back.
        let s = "“Quoted” 🕵️‍♂️ — done";
        let garbled = garble(s, true);
        assert_ne!(garbled, garble(s, false));
        let d = decode(garbled.as_bytes());
        assert_eq!(d.text, s);
    }

    #[test]
    fn ambiguous_dropped_byte_becomes_replacement_and_is_reported() {
        // 🔐 is F0 9F 94 90: without 0x90, 🔁 🔍 🔏 🔐 🔝 all fit.
        let d = decode(garble("🔐 Root", true).as_bytes());
        assert_eq!(d.text, "\u{FFFD} Root");
        assert_eq!(d.unrecoverable, 1);
        assert!(
            d.warning("r.md")
                .is_some_and(|w| w.contains("could not be recovered"))
        );
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
