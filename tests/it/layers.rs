//! The module map in `src/lib.rs` stays true: every module path a file of
//! `src/` uses (`use crate::…`, `use super::…`, inline `crate::x::y` paths,
//! and macros defined in another file) is read, and the test fails when a
//! module reaches one in a layer above its own, when modules depend on each
//! other in a cycle (top-level modules, or files of one directory), or when
//! the map and `src/` disagree on which modules exist. The layers below
//! the collector live in `crates/core/src/` (re-exported by `labbook` under
//! the same names) and are read as part of the same map.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One source file: its module path (`collect::org`) and its text.
struct File {
    module: Vec<String>,
    text: String,
}

/// A dependency of one module on another, with the file that makes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    from: Vec<String>,
    to: Vec<String>,
}

/// The layers of the map, bottom first: `leaf  encoding clock …` lines in
/// the `text` block headed "Layers" of `lib.rs`'s doc.
fn layers_of(lib_rs: &str) -> Vec<(String, Vec<String>)> {
    let mut layers = Vec::new();
    // 0: before "Layers", 1: after it, 2: inside its code block.
    let mut state = 0;
    for line in lib_rs.lines() {
        let Some(doc) = line.strip_prefix("//!") else {
            continue;
        };
        let doc = doc.trim();
        match state {
            0 if doc.starts_with("Layers") => state = 1,
            1 if doc.starts_with("```") => state = 2,
            2 if doc.starts_with("```") => break,
            _ => {}
        }
        if state != 2 || doc.starts_with("```") {
            continue;
        }
        let mut words = doc.split_whitespace();
        if let Some(name) = words.next() {
            layers.push((name.to_string(), words.map(String::from).collect()));
        }
    }
    layers
}

/// Removes comments, string and char literals, and `#[cfg(test)]` items,
/// keeping line structure; what remains is code.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').map_or(b.len(), |n| i + n);
            i = end;
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(b.len(), |n| i + n + 2);
            i = end;
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") {
            let hashes = rest[1..].bytes().take_while(|&c| c == b'#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let start = i + 2 + hashes;
            let end = text[start..]
                .find(&close)
                .map_or(b.len(), |n| start + n + close.len());
            out.push_str("\"\"");
            i = end;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            i = j + 1;
        } else if b[i] == b'\'' && char_literal_len(rest).is_some() {
            out.push_str("' '");
            i += char_literal_len(rest).unwrap_or(1);
        } else if rest.starts_with("#[cfg(test)]") {
            i += skip_item(&text[i..]);
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The byte length of the char literal `text` starts with ('a', '\n',
/// '\u{20AC}'), or `None` for a lifetime ('a), which has no closing quote.
fn char_literal_len(text: &str) -> Option<usize> {
    let mut chars = text.char_indices().skip(1);
    let (_, first) = chars.next()?;
    if first == '\\' {
        return text[2..].find('\'').map(|n| n + 3);
    }
    let (at, next) = chars.next()?;
    (next == '\'').then_some(at + 1)
}

/// The length of the attribute and the item it is on (through its braces or `;`).
fn skip_item(text: &str) -> usize {
    let mut depth = 0usize;
    for (i, c) in text.char_indices().skip("#[cfg(test)]".len()) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            ';' if depth == 0 => return i + 1,
            _ => {}
        }
    }
    text.len()
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every path the code names from `crate::`, `$crate::` or `super::`, and
/// every `use` tree expanded (`use crate::{a, b::c}` gives `a` and `b::c`).
fn paths(code: &str) -> Vec<(bool, Vec<String>)> {
    let mut found = Vec::new();
    // `use` trees first: they may group paths in braces.
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + 4..];
        rest = after;
        if before.is_some_and(is_ident) {
            continue;
        }
        let end = after.find(';').unwrap_or(after.len());
        expand(after[..end].trim(), &mut Vec::new(), &mut found);
    }
    // Inline paths anywhere (`crate::facts::Facts::load(..)`, macros' `$crate::`).
    for root in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(root) {
            let start = from + at;
            from = start + root.len();
            let prev = code[..start].chars().next_back();
            if prev.is_some_and(|c| is_ident(c) || c == ':') && prev != Some('$') {
                continue;
            }
            let tail: String = code[start..]
                .chars()
                .take_while(|&c| is_ident(c) || c == ':')
                .collect();
            let segs: Vec<String> = tail
                .split("::")
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            found.push((root == "super::", segs));
        }
    }
    found
        .into_iter()
        .filter(|(_, segs)| matches!(segs.first().map(String::as_str), Some("crate" | "super")))
        .map(|(_, segs)| (segs[0] == "super", segs))
        .collect()
}

/// Expands one `use` tree into full paths.
fn expand(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<(bool, Vec<String>)>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head = &tree[..open];
        let close = tree.rfind('}').unwrap_or(tree.len());
        let inner = &tree[open + 1..close];
        let n = prefix.len();
        prefix.extend(
            head.split("::")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from),
        );
        for part in split_top(inner) {
            expand(part, prefix, out);
        }
        prefix.truncate(n);
    } else {
        let path = tree.split(" as ").next().unwrap_or(tree);
        let mut segs = prefix.clone();
        segs.extend(
            path.split("::")
                .map(str::trim)
                .filter(|s| !s.is_empty() && *s != "*" && *s != "self")
                .map(String::from),
        );
        if !segs.is_empty() {
            out.push((false, segs));
        }
    }
}

/// Splits `a, b::{c, d}, e` at the commas outside braces.
fn split_top(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// The module a path names: its longest prefix that is a module of the crate.
fn resolve(file: &File, segs: &[String], modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    let mut base: Vec<String> = Vec::new();
    let mut rest = segs;
    match segs.first().map(String::as_str) {
        Some("crate") => rest = &segs[1..],
        Some("super") => {
            // A file's module is its path (`facts/a.rs` is `facts::a`,
            // `facts/mod.rs` is `facts`), so each `super` is one step up.
            base = file.module.clone();
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        _ => return None,
    }
    let mut best = None;
    let mut cur = base;
    for s in rest {
        cur.push(s.clone());
        if modules.contains(&cur) {
            best = Some(cur.clone());
        }
    }
    best
}

/// Every dependency between modules that the files make.
fn edges(files: &[File]) -> BTreeSet<Edge> {
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| f.module.clone()).collect();
    let codes: Vec<String> = files.iter().map(|f| code_only(&f.text)).collect();
    // Macros defined with `macro_rules!` in one file and used in another.
    let mut macros: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (f, code) in files.iter().zip(&codes) {
        let mut rest = code.as_str();
        while let Some(at) = rest.find("macro_rules!") {
            rest = &rest[at + "macro_rules!".len()..];
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|&c| is_ident(c))
                .collect();
            macros.insert(name, f.module.clone());
        }
    }
    let mut out = BTreeSet::new();
    for (f, code) in files.iter().zip(&codes) {
        for (_, segs) in paths(code) {
            if let Some(to) = resolve(f, &segs, &modules) {
                out.insert(Edge {
                    from: f.module.clone(),
                    to,
                });
            }
        }
        for (name, home) in &macros {
            let used = code.match_indices(&format!("{name}!")).any(|(i, _)| {
                !code[..i].chars().next_back().is_some_and(is_ident)
                    && !code[..i].ends_with("macro_rules! ")
            });
            if used && *home != f.module {
                out.insert(Edge {
                    from: f.module.clone(),
                    to: home.clone(),
                });
            }
        }
    }
    out.retain(|e| e.from != e.to);
    out
}

/// A cycle in `graph` (as the list of its nodes), if there is one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in graph.get(n).into_iter().flatten() {
            match state.get(m.as_str()) {
                Some(1) => {
                    let from = stack.iter().position(|s| s == m).unwrap_or(0);
                    let mut c = stack[from..].to_vec();
                    c.push(m.clone());
                    return Some(c);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(m, graph, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if !state.contains_key(n.as_str())
            && let Some(c) = visit(n, graph, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

/// Two check files of the same lab family (`checks::kms_cmk`, `checks::kms_cmk_rotation`).
fn same_lab(a: &[String], b: &[String]) -> bool {
    let family = |m: &[String]| -> Option<String> {
        match m {
            [dir, file] if dir == "checks" => file.split('_').next().map(String::from),
            _ => None,
        }
    };
    family(a).is_some() && family(a) == family(b)
}

/// Every way `files` break the map of `lib_rs`, one sentence each.
fn problems(lib_rs: &str, files: &[File]) -> Vec<String> {
    let layers = layers_of(lib_rs);
    let layer_of: BTreeMap<&str, (usize, &str)> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, (name, mods))| mods.iter().map(move |m| (m.as_str(), (i, name.as_str()))))
        .collect();
    let mut out = Vec::new();
    let tops: BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.module.first().map(String::as_str))
        .filter(|m| *m != "main")
        .collect();
    for t in &tops {
        if !layer_of.contains_key(t) {
            out.push(format!("module `{t}` is not in the lib.rs map"));
        }
    }
    for m in layer_of.keys() {
        if !tops.contains(m) {
            out.push(format!("the lib.rs map names `{m}`, which is not a module"));
        }
    }
    let all = edges(files);
    let mut top_graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut siblings: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in &all {
        let (Some(a), Some(b)) = (e.from.first(), e.to.first()) else {
            continue;
        };
        if a != b {
            if let (Some((la, na)), Some((lb, nb))) =
                (layer_of.get(a.as_str()), layer_of.get(b.as_str()))
                && lb > la
            {
                out.push(format!(
                    "`{}` ({na}) uses `{}` ({nb}), a layer above it",
                    e.from.join("::"),
                    e.to.join("::")
                ));
            }
            top_graph.entry(a.clone()).or_default().insert(b.clone());
        } else if e.from.len() == e.to.len()
            && e.from.len() >= 2
            && e.from[..e.from.len() - 1] == e.to[..e.to.len() - 1]
        {
            // Two files of one directory (`collect::org` -> `collect::session`).
            // The check files of one lab (`checks::cognito_pool`,
            // `checks::cognito_mfa`, …) judge one shared lab resource, chosen
            // by every step's rule, so they may use each other; across labs,
            // and everywhere else, files stay acyclic.
            if !same_lab(&e.from, &e.to) {
                siblings
                    .entry(e.from.join("::"))
                    .or_default()
                    .insert(e.to.join("::"));
            }
        }
    }
    if let Some(c) = cycle(&top_graph) {
        out.push(format!("import cycle between modules: {}", c.join(" -> ")));
    }
    if let Some(c) = cycle(&siblings) {
        out.push(format!("import cycle between files: {}", c.join(" -> ")));
    }
    out
}

fn read_src(dir: &Path, root: &Path, files: &mut Vec<File>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_src(&path, root, files);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(root).expect("under src");
        let mut module: Vec<String> = rel
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
            module.pop();
        }
        let text = std::fs::read_to_string(&path).expect("read");
        files.push(File { module, text });
    }
}

/// The files of both crates: `src/` (io and above) and `crates/core/src/`
/// (the layers below), modules named as `labbook` re-exports them.
fn both_crates() -> (Vec<File>, Vec<File>) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (root, core) = (repo.join("src"), repo.join("crates/core/src"));
    let (mut upper, mut lower) = (Vec::new(), Vec::new());
    read_src(&root, &root, &mut upper);
    read_src(&core, &core, &mut lower);
    (upper, lower)
}

#[test]
fn src_follows_the_module_map_in_lib_rs_without_cycles() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = std::fs::read_to_string(repo.join("src/lib.rs")).expect("lib.rs");
    assert!(layers_of(&lib).len() >= 5, "lib.rs has no layer map");
    let (mut files, core) = both_crates();
    files.extend(core);
    let found = problems(&lib, &files);
    assert!(found.is_empty(), "{found:#?}");
}

/// The SDK-free core crate holds exactly the layers below `io`, the one
/// the collector opens: a module moved across the line moves in the map too.
#[test]
fn the_core_crate_holds_exactly_the_layers_below_the_collector() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = std::fs::read_to_string(repo.join("src/lib.rs")).expect("lib.rs");
    let layers = layers_of(&lib);
    let io = layers
        .iter()
        .position(|(name, _)| name == "io")
        .expect("an io layer");
    let below: BTreeSet<String> = layers[..io].iter().flat_map(|(_, m)| m.clone()).collect();
    let top = |files: &[File]| -> BTreeSet<String> {
        files
            .iter()
            .filter_map(|f| f.module.first().cloned())
            .collect()
    };
    let (upper, core) = both_crates();
    assert_eq!(
        top(&core),
        below,
        "crates/core/src holds the layers below io"
    );
    let misplaced: Vec<String> = top(&upper).intersection(&below).cloned().collect();
    assert!(misplaced.is_empty(), "in src/ but below io: {misplaced:?}");
}

// ---------------------------------------------------------------- the test's own tests

const MAP: &str = "//! Layers, bottom first:\n//! ```text\n//! leaf   words\n//! model  facts\n//! front  cli\n//! ```\n";

fn file(path: &str, text: &str) -> File {
    let mut module: Vec<String> = path
        .trim_end_matches(".rs")
        .split('/')
        .map(String::from)
        .collect();
    if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
        module.pop();
    }
    File {
        module,
        text: text.to_string(),
    }
}

fn check(files: &[File]) -> Vec<String> {
    problems(MAP, files)
}

#[test]
fn a_use_of_a_module_above_is_caught() {
    let found = check(&[
        file("words.rs", "use crate::facts::Facts;\n"),
        file("facts.rs", ""),
        file("cli.rs", ""),
    ]);
    assert_eq!(
        found,
        ["`words` (leaf) uses `facts` (model), a layer above it"]
    );
}

#[test]
fn a_grouped_use_tree_is_caught() {
    let found = check(&[
        file("words.rs", "use crate::{x::y, cli::{Args, run}};\n"),
        file("facts.rs", ""),
        file("cli.rs", ""),
    ]);
    assert_eq!(
        found,
        ["`words` (leaf) uses `cli` (front), a layer above it"]
    );
}

#[test]
fn an_inline_crate_path_is_caught_but_not_one_in_a_comment_or_string() {
    let found = check(&[
        file(
            "facts.rs",
            "fn f() { let x = crate::cli::run(); }\n// crate::cli is fine here\nconst S: &str = \"crate::cli\";\n",
        ),
        file("words.rs", ""),
        file("cli.rs", ""),
    ]);
    assert_eq!(
        found,
        ["`facts` (model) uses `cli` (front), a layer above it"]
    );
    let clean = check(&[
        file("facts.rs", "/// See [`crate::cli`].\nfn f() {}\n"),
        file("words.rs", ""),
        file("cli.rs", ""),
    ]);
    assert!(clean.is_empty(), "{clean:?}");
}

#[test]
fn a_use_of_super_resolves_from_the_file_and_is_caught() {
    // `super` of facts/mod.rs is the crate root; of facts/a.rs it is `facts`.
    let found = check(&[
        file("facts/mod.rs", "use super::cli::Args;\n"),
        file("facts/a.rs", "use super::b::B;\n"),
        file("facts/b.rs", "use super::a::A;\n"),
        file("words.rs", ""),
        file("cli.rs", ""),
    ]);
    assert!(
        found.contains(&"`facts` (model) uses `cli` (front), a layer above it".to_string()),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("import cycle between files: facts::a -> facts::b")),
        "{found:?}"
    );
}

#[test]
fn a_macro_defined_in_another_file_is_a_dependency() {
    let found = check(&[
        file("cli.rs", "macro_rules! shout { () => {} }\n"),
        file("words.rs", "fn f() { shout!(); }\n"),
        file("facts.rs", ""),
    ]);
    assert_eq!(
        found,
        ["`words` (leaf) uses `cli` (front), a layer above it"]
    );
}

#[test]
fn a_cycle_within_one_layer_is_caught() {
    let map = "//! Layers\n//! ```text\n//! leaf  a b\n//! ```\n";
    let found = problems(
        map,
        &[
            file("a.rs", "use crate::b::X;\n"),
            file("b.rs", "use crate::a::Y;\n"),
        ],
    );
    assert_eq!(found, ["import cycle between modules: a -> b -> a"]);
}

#[test]
fn a_module_missing_from_the_map_is_caught() {
    let found = check(&[
        file("words.rs", ""),
        file("facts.rs", ""),
        file("cli.rs", ""),
        file("extra.rs", ""),
    ]);
    assert_eq!(found, ["module `extra` is not in the lib.rs map"]);
}

#[test]
fn test_code_does_not_count() {
    let found = check(&[
        file(
            "words.rs",
            "#[cfg(test)]\nmod tests {\n    use crate::cli::run;\n}\n",
        ),
        file("facts.rs", ""),
        file("cli.rs", ""),
    ]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn check_files_of_one_lab_may_share_their_resource_but_not_across_labs() {
    let map = "//! Layers\n//! ```text\n//! pure  checks\n//! ```\n";
    let same = problems(
        map,
        &[
            file("checks/mod.rs", ""),
            file("checks/kms_a.rs", "use super::kms_b::X;\n"),
            file("checks/kms_b.rs", "use super::kms_a::Y;\n"),
        ],
    );
    assert!(same.is_empty(), "{same:?}");
    let across = problems(
        map,
        &[
            file("checks/mod.rs", ""),
            file("checks/kms_a.rs", "use super::trail_b::X;\n"),
            file("checks/trail_b.rs", "use super::kms_a::Y;\n"),
        ],
    );
    assert_eq!(across.len(), 1, "{across:?}");
}
