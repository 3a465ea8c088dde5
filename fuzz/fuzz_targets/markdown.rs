//! Bytes → encoding repair → Markdown renderer at a width from the input.
//! Must never panic, and no rendered line may be wider than asked.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&w, rest)) = data.split_first() else {
        return;
    };
    let width = u16::from(w % 160).max(1);
    let decoded = labbook::encoding::decode(rest);
    let doc = labbook::markdown::render(&decoded.text, width);
    for line in &doc.lines {
        let text = labbook::markdown::line_text(line);
        assert!(
            labbook::markdown::width_of(&text) <= usize::from(width),
            "line wider than {width}: {text:?}"
        );
        assert!(!text.chars().any(char::is_control), "control character in {text:?}");
    }
    for entry in &doc.toc {
        assert!(entry.line <= doc.lines.len());
    }
});
