//! The review as one self-contained HTML file: the styles inline, no
//! scripts, no fonts, images or links to fetch, so it opens anywhere and
//! prints cleanly (a print style drops the colours and keeps sections
//! whole).

use std::fmt::Write as _;

use super::{state_word, threshold_sentence, totals, verdict};
use crate::readiness::{Gap, Review, SectionState};

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    crate::report::escape_markup(s.chars(), "&#39;")
}

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}
.meta{color:#555;margin-top:0}
.verdict{font-size:1.2rem;font-weight:700;padding:.5rem .8rem;border-radius:.3rem;display:inline-block}
.ready{background:#e3f4e6;color:#14532d}.not-ready{background:#fdecea;color:#7f1d1d}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
section{border-top:1px solid #ddd;margin-top:1.2rem;page-break-inside:avoid;break-inside:avoid}
h2 .state{font-size:.85rem;font-weight:400;color:#555;margin-left:.5rem}
li.strength::marker{content:'✔  '}li.gap::marker{content:'✘  '}li.advice::marker{content:'!  '}
.how{color:#333;font-size:.92rem;margin:.1rem 0 .4rem}
code{background:#f3f3f3;padding:0 .2rem;border-radius:.2rem}
@media print{body{margin:0;max-width:none}.verdict{border:2px solid #000;background:none;color:#000}section{break-inside:avoid}}
";

fn gap_item(out: &mut String, g: &Gap) {
    let class = if g.blocking { "gap" } else { "advice" };
    let note = if g.blocking {
        ""
    } else {
        " <em>(does not block)</em>"
    };
    let _ = writeln!(out, "<li class=\"{class}\">{}{note}", esc(&g.what));
    for p in &g.read {
        let _ = writeln!(
            out,
            "<div class=\"how\">Read: <em>{}</em> (<code>#{}</code>)</div>",
            esc(&p.title),
            esc(&p.anchor)
        );
    }
    for r in &g.redo {
        let _ = writeln!(
            out,
            "<div class=\"how\">Redo: <code>{}</code> ({})</div>",
            esc(&r.id()),
            esc(&r.title)
        );
    }
    out.push_str("</li>\n");
}

pub fn write(review: &Review) -> String {
    let mut out = String::new();
    let title = format!("Readiness review: {}", review.chapter.title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&title)
    );
    let _ = writeln!(out, "<h1>{}</h1>", esc(&title));
    let _ = writeln!(
        out,
        "<p class=\"meta\">Account <code>{}</code> · {} · {}</p>",
        esc(&review.account),
        esc(&review.source),
        esc(&review.time)
    );
    let class = if review.ready { "ready" } else { "not-ready" };
    let _ = writeln!(out, "<p class=\"verdict {class}\">{}</p>", verdict(review));
    if !review.reasons.is_empty() {
        out.push_str("<ul>\n");
        for r in &review.reasons {
            let _ = writeln!(out, "<li>{}</li>", esc(r));
        }
        out.push_str("</ul>\n");
    }
    let _ = writeln!(out, "<p>{}</p>", esc(&threshold_sentence()));
    out.push_str("<table>\n");
    for (label, value) in totals(review) {
        let _ = writeln!(out, "<tr><th>{label}</th><td>{}</td></tr>", esc(&value));
    }
    out.push_str("</table>\n");
    for s in &review.sections {
        if s.state == SectionState::NotAssessed {
            continue;
        }
        let _ = writeln!(
            out,
            "<section id=\"{}\">\n<h2>{}<span class=\"state\">{}</span></h2>",
            esc(&s.anchor),
            esc(&s.title),
            state_word(s.state)
        );
        if !s.strengths.is_empty() || !s.gaps.is_empty() {
            out.push_str("<ul>\n");
            for st in &s.strengths {
                let _ = writeln!(out, "<li class=\"strength\">{}</li>", esc(st));
            }
            for g in &s.gaps {
                gap_item(&mut out, g);
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_self_contained_escaped_and_printable() {
        let html = write(&super::super::testing::halfway());
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<style>") && html.contains("@media print"));
        for outside in [
            // Addresses may appear as text (a Cognito callback URL), never as a fetch.
            "<script", "<link", "<img", "<iframe", "src=", "href=", "@import", "url(",
        ] {
            assert!(
                !html.contains(outside),
                "fetches or runs something: {outside}"
            );
        }
        assert!(html.contains("trail-bucket-&lt;elsewhere&gt;"), "escaped");
        assert!(html.contains("Not ready yet"));
        assert!(html.trim_end().ends_with("</html>"));
    }
}
