//! The shape of the code, checked: the library's modules import each other without a cycle,
//! nothing below the command line knows clap, and only `main.rs` exits.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src") {
        let p = e.expect("dir entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The library's files (not the command line, not the binary), with their top-level module
/// and their code without unit tests and comments.
fn library() -> Vec<(String, PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(&src).ok()?.to_string_lossy().into_owned();
            if rel.starts_with("cli") || rel == "main.rs" || rel == "lib.rs" {
                return None;
            }
            let top = rel.split('/').next()?.trim_end_matches(".rs").to_string();
            let text = std::fs::read_to_string(&p).ok()?;
            let code: String = text
                .split("#[cfg(test)]")
                .next()
                .unwrap_or("")
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            Some((top, p, code))
        })
        .collect()
}

/// The crate modules a piece of code names: `crate::x...` and `use crate::{x, y}`.
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + 7..];
        if let Some(group) = rest.strip_prefix('{') {
            // The top-level names of `{a::{b, c}, d}`: commas at depth 0 separate them.
            let mut depth = 0;
            let mut start = 0;
            for (j, ch) in group.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        let name = group[start..j]
                            .trim()
                            .split("::")
                            .next()
                            .unwrap_or("")
                            .trim();
                        if !name.is_empty() {
                            out.insert(name.to_string());
                        }
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        let name = group[start..j]
                            .trim()
                            .split("::")
                            .next()
                            .unwrap_or("")
                            .trim();
                        if !name.is_empty() {
                            out.insert(name.to_string());
                        }
                        start = j + 1;
                    }
                    _ => {}
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    out
}

#[test]
fn library_modules_import_each_other_without_a_cycle() {
    let files = library();
    let modules: BTreeSet<String> = files.iter().map(|f| f.0.clone()).collect();
    let mut graph = Graph::new();
    for (top, _, code) in &files {
        let deps = graph.entry(top.clone()).or_default();
        deps.extend(
            named_modules(code)
                .into_iter()
                .filter(|m| m != top && modules.contains(m)),
        );
    }
    assert!(graph.len() > 15, "{graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle: {cycle}");
    }
}

type Graph = BTreeMap<String, BTreeSet<String>>;

/// A cycle in the graph, as `a -> b -> a`, if there is one (depth-first search).
fn find_cycle(g: &Graph) -> Option<String> {
    fn visit(
        n: &str,
        g: &Graph,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<String> {
        if done.contains(n) {
            return None;
        }
        if let Some(i) = path.iter().position(|p| p == n) {
            return Some(format!("{} -> {n}", path[i..].join(" -> ")));
        }
        path.push(n.to_string());
        for d in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(d, g, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    g.keys()
        .find_map(|n| visit(n, g, &mut Vec::new(), &mut done))
}

#[test]
fn nothing_below_the_command_line_knows_clap_or_exits() {
    for (_, path, code) in library() {
        for word in ["clap", "process::exit", "crate::cli"] {
            assert!(
                !code.contains(word),
                "{} uses {word}: the library does not know the command line",
                path.display()
            );
        }
    }
}

#[test]
fn the_cycle_check_reads_imports_and_finds_a_cycle() {
    let code = "use crate::{keys::{a, b}, x509};\nfn f() { crate::model::Entry::default(); }";
    let named: Vec<String> = named_modules(code).into_iter().collect();
    assert_eq!(named, ["keys", "model", "x509"]);
    let edge = |a: &str, b: &str| (a.to_string(), [b.to_string()].into_iter().collect());
    let acyclic: Graph = [edge("x509", "keys"), edge("model", "x509")]
        .into_iter()
        .collect();
    assert_eq!(find_cycle(&acyclic), None);
    let cyclic: Graph = [edge("x509", "keys"), edge("keys", "x509")]
        .into_iter()
        .collect();
    assert_eq!(find_cycle(&cyclic).as_deref(), Some("keys -> x509 -> keys"));
}
