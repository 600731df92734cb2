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

/// The core crate's sources.
fn core_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/certkit-core/src")
}

/// Every Rust source of the workspace's crates (the binary's `src/` and each `crates/*/src`).
fn workspace_sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    for e in std::fs::read_dir(root.join("crates")).expect("read crates/") {
        rust_files(&e.expect("dir entry").path().join("src"), &mut files);
    }
    files
}

/// The core library's files, with their top-level module
/// and their code without unit tests and comments.
fn library() -> Vec<(String, PathBuf, String)> {
    let src = core_src();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(&src).ok()?.to_string_lossy().into_owned();
            if rel == "lib.rs" {
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

/// The crates only a front end may use: the command line, the terminal, the process, files
/// written in place, the network.
const FRONT_END_CRATES: [&str; 8] = [
    "clap",
    "clap_complete",
    "clap_mangen",
    "rpassword",
    "ureq",
    "rustix",
    "tempfile",
    "zeroizing-alloc",
];

/// The core's normal dependencies, transitive, as `cargo tree` resolves them for this platform.
fn core_dependency_tree() -> BTreeSet<String> {
    core_dependency_tree_with(&[])
}

/// The same, with the core's cargo features chosen by `features` (`cargo tree` arguments).
fn core_dependency_tree_with(features: &[&str]) -> BTreeSet<String> {
    dependency_tree("certkit-core", features)
}

/// The crates `package` depends on (normal dependencies) with the cargo features `features`.
fn dependency_tree(package: &str, features: &[&str]) -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["tree", "-p", package, "-e", "normal", "--prefix", "none"])
        .args(features)
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "cargo tree: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// The crate boundary is the compiler's: the core cannot call what it does not depend on.
#[test]
fn the_core_crate_depends_on_no_front_end_crate() {
    let tree = core_dependency_tree();
    assert!(
        tree.contains("certkit-core") && tree.contains("openssl") && tree.len() > 20,
        "{tree:?}"
    );
    let found: Vec<&str> = FRONT_END_CRATES
        .into_iter()
        .filter(|c| tree.contains(*c))
        .collect();
    assert!(found.is_empty(), "certkit-core depends on {found:?}");
    // And the binary does use them: the list names real crates, not misspellings.
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .expect("Cargo.toml");
    for c in FRONT_END_CRATES {
        assert!(
            manifest.contains(&format!("\n{c} = ")),
            "the binary does not use {c}"
        );
    }
}

/// The core on the pure-Rust backend alone links no OpenSSL (the static build's premise).
#[test]
fn the_core_on_the_pure_rust_backend_depends_on_no_openssl() {
    let tree = core_dependency_tree_with(&["--no-default-features", "--features", "rust-crypto"]);
    assert!(tree.contains("rsa") && tree.contains("pkcs8"), "{tree:?}");
    let c: Vec<&String> = tree.iter().filter(|c| c.contains("openssl")).collect();
    assert!(c.is_empty(), "{c:?}");
}

/// The binary on the pure-Rust backend links no OpenSSL either: its TLS is rustls with the
/// system's trust store (rustls-platform-verifier). openssl-probe, which rustls-native-certs
/// uses to find the system's certificate files where OpenSSL would, is Rust that reads paths
/// and links nothing of OpenSSL's.
#[test]
fn the_binary_on_the_pure_rust_backend_depends_on_no_openssl() {
    let tree = dependency_tree(
        "certkit",
        &["--no-default-features", "--features", "rust-crypto"],
    );
    for needed in ["rsa", "rustls", "rustls-platform-verifier", "ureq"] {
        assert!(tree.contains(needed), "{needed} missing: {tree:?}");
    }
    let c: Vec<&String> = tree
        .iter()
        .filter(|c| {
            (c.contains("openssl") && *c != "openssl-probe")
                || c.contains("native-tls")
                || c.contains("aws-lc")
        })
        .collect();
    assert!(c.is_empty(), "{c:?}");
    // The default build keeps OpenSSL for both (the control: the filter finds it there).
    let default = dependency_tree("certkit", &[]);
    assert!(
        default.contains("openssl") && default.contains("native-tls"),
        "{default:?}"
    );
}

/// Exit codes are the binary's (`src/cli/error.rs` maps each error to its code): the library's
/// errors say what went wrong, not how the process ends.
#[test]
fn the_library_knows_no_exit_code() {
    for (_, path, code) in library() {
        assert!(
            !code.contains("exit_code"),
            "{} names an exit code: the binary maps errors to exit codes",
            path.display()
        );
    }
}

/// What the standard library offers that only a front end may use: files, the process's
/// environment and exit, the terminal's streams, sockets.
const FRONT_END_CALLS: [&str; 11] = [
    "std::fs",
    "std::env::var",
    "std::process",
    "io::stdin(",
    "io::stdout(",
    "io::stderr(",
    "println!",
    "print!(",
    "TcpStream",
    "UdpSocket",
    "/dev/tty",
];

/// The core asks its host for files, passwords and prompts (`host.rs`); it opens nothing itself.
#[test]
fn the_core_reads_no_file_terminal_or_environment_itself() {
    let mut found = Vec::new();
    for (_, path, code) in library() {
        for call in FRONT_END_CALLS {
            if code.contains(call) {
                found.push(format!("{}: {call}", path.display()));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
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

/// The enums that name an integration, or map to one: a `match` over them lists every
/// variant, so a new one cannot silently fall into another's arm. `Target::` counts with
/// preflight's variants only (convert has a `Target` of its own).
const INTEGRATION_PATTERNS: [&str; 7] = [
    "Integration::",
    "Profile::",
    "Provider::",
    "Target::SalesforceImport",
    "Target::ConnectedApp",
    "Target::Google",
    "Target::SalesforceJwt",
];

/// Whether `pattern` names one of [`INTEGRATION_PATTERNS`] as a whole word.
fn names_an_integration(pattern: &str) -> bool {
    INTEGRATION_PATTERNS.iter().any(|p| {
        pattern.match_indices(p).any(|(i, _)| {
            !pattern[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    })
}

/// The arms' patterns of every `match` in `code` (string and char literals skipped), one
/// list per `match`.
fn match_arms(code: &str) -> Vec<Vec<String>> {
    let b: Vec<char> = code.chars().collect();
    // Code with literals blanked, so that braces and `=>` in them do not count.
    let mut clean = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let prev_ident = i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_');
        if b[i] == 'r' && !prev_ident && matches!(b.get(i + 1), Some('"') | Some('#')) {
            let hashes = b[i + 1..].iter().take_while(|c| **c == '#').count();
            if b.get(i + 1 + hashes) == Some(&'"') {
                let close: String = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                let rest: String = b[i + 2 + hashes..].iter().collect();
                let end = rest.find(&close).map_or(b.len(), |e| {
                    i + 2 + hashes + rest[..e].chars().count() + close.len()
                });
                clean.extend(std::iter::repeat_n(' ', end - i));
                i = end;
                continue;
            }
        }
        if b[i] == '"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != '"' {
                j += if b[j] == '\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(b.len());
            clean.extend(std::iter::repeat_n(' ', end - i));
            i = end;
            continue;
        }
        if b[i] == '\'' {
            let end = if b.get(i + 1) == Some(&'\\') {
                b[i + 2..]
                    .iter()
                    .position(|c| *c == '\'')
                    .map(|e| i + 3 + e)
            } else if b.get(i + 2) == Some(&'\'') {
                Some(i + 3)
            } else {
                None // a lifetime
            };
            if let Some(end) = end {
                clean.extend(std::iter::repeat_n(' ', end - i));
                i = end;
                continue;
            }
        }
        clean.push(b[i]);
        i += 1;
    }
    let text: String = clean.into_iter().collect();
    let c: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (start, _) in text.match_indices("match ") {
        let start = text[..start].chars().count();
        if start > 0 && (c[start - 1].is_alphanumeric() || c[start - 1] == '_') {
            continue;
        }
        // The `{` that opens the arms: the first one outside the scrutinee's brackets.
        let mut depth = 0i32;
        let mut open = None;
        for (k, ch) in c.iter().enumerate().skip(start + 6) {
            match ch {
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                '{' if depth == 0 => {
                    open = Some(k);
                    break;
                }
                '{' => depth += 1,
                '}' => depth -= 1,
                ';' if depth == 0 => break,
                _ => {}
            }
        }
        let Some(open) = open else { continue };
        let mut arms = Vec::new();
        let mut pattern = String::new();
        let mut in_pattern = true;
        let mut depth = 1;
        let mut k = open + 1;
        while k < c.len() && depth > 0 {
            let ch = c[k];
            match ch {
                '{' | '(' | '[' => depth += 1,
                '}' | ')' | ']' => {
                    depth -= 1;
                    if depth == 1 && ch == '}' && !in_pattern {
                        // A block body ended: the next arm begins (after an optional comma).
                        in_pattern = true;
                        pattern.clear();
                        k += 1;
                        continue;
                    }
                }
                _ => {}
            }
            if depth == 1 && in_pattern && ch == '=' && c.get(k + 1) == Some(&'>') {
                arms.push(pattern.trim().trim_start_matches(',').trim().to_string());
                pattern.clear();
                in_pattern = false;
                k += 2;
                continue;
            }
            if depth == 1 && !in_pattern && ch == ',' {
                in_pattern = true;
                pattern.clear();
            } else if in_pattern && depth >= 1 {
                pattern.push(ch);
            }
            k += 1;
        }
        out.push(arms);
    }
    out
}

/// The `match`es in `code` over an integration enum that have a catch-all `_` arm.
fn catch_alls_over_integrations(code: &str) -> Vec<String> {
    match_arms(code)
        .into_iter()
        .filter(|arms| arms.iter().any(|a| names_an_integration(a)))
        .filter(|arms| arms.iter().any(|a| a == "_" || a.starts_with("_ if ")))
        .map(|arms| arms.join(" | "))
        .collect()
}

#[test]
fn no_match_over_an_integration_has_a_catch_all_arm() {
    let files = workspace_sources();
    let mut found = Vec::new();
    let mut matches = 0;
    for p in files {
        let text = std::fs::read_to_string(&p).expect("read a source file");
        let code: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        matches += match_arms(&code)
            .iter()
            .filter(|arms| arms.iter().any(|a| names_an_integration(a)))
            .count();
        for m in catch_alls_over_integrations(&code) {
            found.push(format!("{}: {m}", p.display()));
        }
    }
    assert!(
        matches > 20,
        "only {matches} matches over integrations found"
    );
    assert!(found.is_empty(), "catch-all arms:\n{}", found.join("\n"));
}

#[test]
fn the_catch_all_check_finds_a_wildcard_over_a_profile_and_nothing_else() {
    let bad = "fn f(p: Profile) -> &'static str {\n    match p {\n        Profile::Google => \"{\",\n        _ => '}'.to_string(),\n    }\n}";
    assert_eq!(
        catch_alls_over_integrations(bad),
        ["Profile::Google | _"],
        "{:?}",
        match_arms(bad)
    );
    let nested = "let x = match (a, p) {\n    (Some(_), Provider::Google) => { if y { 1 } else { 2 } }\n    (_, Provider::Salesforce) => match s { \"x\" => 1, _ => 2 },\n    _ if z => 3,\n};";
    assert_eq!(
        catch_alls_over_integrations(nested),
        ["(Some(_), Provider::Google) | (_, Provider::Salesforce) | _ if z"]
    );
    let fine = "match t { Target::Jks => 1, _ => 2 }\nmatch i { Integration::Google => 1, Integration::Salesforce | Integration::ThirdParty => 2 }\nmatch k { TlsProvider::X => 1, _ => 2 }";
    assert!(catch_alls_over_integrations(fine).is_empty());
}

/// The functions of `code` longer than `max` lines (signature to closing brace), as
/// `(name, first line, length)`, unless the line above carries a `// long: <reason>` comment.
/// Reads rustfmt-formatted code: a body ends at the first `}` at the `fn` line's indentation.
fn long_functions(code: &str, max: usize) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let mut words = body.split_whitespace().skip_while(|w| {
            w.starts_with("pub") || ["async", "const", "unsafe", "extern", "\"C\""].contains(w)
        });
        if words.next() != Some("fn") {
            continue;
        }
        let Some(name) = words
            .next()
            .map(|w| w.split(['(', '<']).next().unwrap_or_default().to_string())
        else {
            continue;
        };
        // A declaration without a body (in a trait) ends with `;` before any `{`.
        let Some(open) = lines[i..].iter().position(|l| {
            let t = l.trim_end();
            t.ends_with('{') || t.ends_with(';') || t.ends_with('}')
        }) else {
            continue;
        };
        let opener = lines[i + open].trim_end();
        if opener.ends_with(';') {
            continue;
        }
        let len = if opener.ends_with('}') {
            open + 1
        } else {
            let close = format!("{indent}}}");
            match lines[i + open + 1..]
                .iter()
                .position(|l| l.trim_end() == close)
            {
                Some(end) => open + end + 2,
                None => continue,
            }
        };
        let reasoned = i > 0 && lines[i - 1].trim_start().starts_with("// long: ");
        if len > max && !reasoned {
            out.push((name, i + 1, len));
        }
    }
    out
}

/// No function of the core or the binary (outside `src/cli` and unit tests) is longer than 60
/// lines, unless the line above it says why (`// long: <reason>`).
#[test]
fn no_function_is_longer_than_60_lines_without_a_reason() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut long = Vec::new();
    for p in workspace_sources() {
        let rel = p
            .strip_prefix(root)
            .expect("under the root")
            .to_string_lossy();
        if rel.starts_with("src/cli") {
            continue;
        }
        let text = std::fs::read_to_string(&p).expect("read source");
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (name, line, len) in long_functions(code, 60) {
            long.push(format!("{rel}:{line} {name}: {len} lines"));
        }
    }
    long.sort();
    assert!(
        long.is_empty(),
        "split these, or say why on the line above (`// long: <reason>`):\n{}",
        long.join("\n")
    );
}

#[test]
fn the_length_check_counts_bodies_and_reads_reasons() {
    let body = |n: usize| "    x();\n".repeat(n);
    let code = format!(
        "fn short() {{\n{}}}\n\npub(crate) fn long<T>(a: T) {{\n{}}}\n\n// long: a table\nfn excused() {{\n{}}}\ntrait T {{\n    fn decl(&self);\n}}\n",
        body(3),
        body(5),
        body(9)
    );
    assert_eq!(long_functions(&code, 5), [("long".to_string(), 7, 7)]);
    assert!(long_functions(&code, 7).is_empty());
}

/// Each string literal of a piece of code, with the functions it is in (outermost first).
/// Comments, character literals and lifetimes are skipped; raw strings are read.
fn string_literals(code: &str) -> Vec<(Vec<String>, String)> {
    let c: Vec<char> = code.chars().collect();
    let ident = |ch: char| ch.is_alphanumeric() || ch == '_';
    let (mut out, mut stack, mut pending) = (Vec::new(), Vec::<(String, i32)>::new(), None);
    let (mut i, mut depth) = (0, 0);
    let in_fns = |stack: &Vec<(String, i32)>| stack.iter().map(|f| f.0.clone()).collect();
    while i < c.len() {
        let prev_ident = i > 0 && ident(c[i - 1]);
        match c[i] {
            '/' if c.get(i + 1) == Some(&'/') => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if c.get(i + 1) == Some(&'*') => {
                i += 2;
                while i + 1 < c.len() && !(c[i] == '*' && c[i + 1] == '/') {
                    i += 1;
                }
                i += 1;
            }
            '\'' if c.get(i + 1) == Some(&'\\') => {
                i += 2;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
            }
            '\'' if c.get(i + 2) == Some(&'\'') => i += 2,
            'r' if !prev_ident && matches!(c.get(i + 1), Some('"' | '#')) => {
                let hashes = c[i + 1..].iter().take_while(|ch| **ch == '#').count();
                if c.get(i + 1 + hashes) == Some(&'"') {
                    let start = i + 2 + hashes;
                    let end = (start..c.len())
                        .find(|&j| {
                            c[j] == '"'
                                && c[j + 1..]
                                    .iter()
                                    .take(hashes)
                                    .filter(|ch| **ch == '#')
                                    .count()
                                    == hashes
                        })
                        .unwrap_or(c.len());
                    out.push((in_fns(&stack), c[start..end].iter().collect()));
                    i = end + hashes;
                }
            }
            '"' => {
                let mut s = String::new();
                i += 1;
                while i < c.len() && c[i] != '"' {
                    if c[i] == '\\' {
                        s.push(c[i]);
                        i += 1;
                    }
                    if let Some(ch) = c.get(i) {
                        s.push(*ch);
                    }
                    i += 1;
                }
                out.push((in_fns(&stack), s));
            }
            'f' if !prev_ident && c.get(i + 1) == Some(&'n') && c.get(i + 2) == Some(&' ') => {
                i += 3;
                let name: String = c[i..].iter().take_while(|ch| ident(**ch)).collect();
                i += name.len().saturating_sub(1);
                pending = Some(name);
            }
            ';' => pending = None,
            '{' => {
                if let Some(name) = pending.take() {
                    stack.push((name, depth));
                }
                depth += 1;
            }
            '}' => {
                depth -= 1;
                if stack.last().is_some_and(|f| f.1 == depth) {
                    stack.pop();
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Whether a literal names a command-line flag: `--` and a letter (or a `format!` argument
/// that builds one, `--{prefix}password-file`), or `-o ` (the output).
fn names_a_flag(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len()).any(|i| {
        let word_start = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        let long = b[i..].starts_with(b"--")
            && b.get(i + 2)
                .is_some_and(|c| c.is_ascii_lowercase() || *c == b'{');
        word_start && (long || b[i..].starts_with(b"-o "))
    })
}

/// Where the core may name flags: text that is a whole certkit command the user pastes, which
/// is product content, not an option of the operation at hand. (File, function or `None` for
/// the whole file, reason.)
const FLAGS_ALLOWED: [(&str, Option<&str>, &str); 8] = [
    (
        "rules/",
        None,
        "the rule registries' fixes name whole certkit commands as remedies",
    ),
    ("diagnose.rs", None, "the checklist's commands, to paste"),
    (
        "ops/metadata.rs",
        Some("key_words"),
        "the key's words in the generated exchange command",
    ),
    (
        "ops/metadata.rs",
        Some("exchange_command"),
        "the certkit exchange command the README gives",
    ),
    (
        "ops/metadata.rs",
        Some("import_step"),
        "the p12-to-jks command of the generated steps",
    ),
    (
        "ops/metadata.rs",
        Some("client_app_steps"),
        "the sf commands of the generated steps",
    ),
    (
        "ops/metadata.rs",
        Some("steps"),
        "the sf and certkit commands of the generated steps",
    ),
    (
        "ops/credential.rs",
        Some("source_flags"),
        "an input's password flags, in pasted commands",
    ),
];

/// Nothing below a front end names a flag: a message that asks for an option names a
/// `Setting`, which each front end renders (the binary as its flag, in `src/cli/render.rs`).
#[test]
fn no_string_in_the_core_names_a_flag_outside_pasted_commands() {
    let (mut found, mut used) = (Vec::new(), BTreeSet::new());
    for (_, path, code) in library() {
        let rel = path
            .strip_prefix(core_src())
            .expect("under src")
            .to_string_lossy()
            .into_owned();
        for (fns, s) in string_literals(&code) {
            if !names_a_flag(&s) {
                continue;
            }
            let allowed = FLAGS_ALLOWED.iter().position(|(file, f, _)| {
                rel.starts_with(file) && f.is_none_or(|f| fns.iter().any(|n| n == f))
            });
            match allowed {
                Some(i) => _ = used.insert(i),
                None => found.push(format!("{rel} (in {}): \"{s}\"", fns.join("::"))),
            }
        }
    }
    assert!(
        found.is_empty(),
        "the core names flags:\n{}",
        found.join("\n")
    );
    // The list stays as small as the code: an entry that allows nothing goes.
    let unused: Vec<_> = (0..FLAGS_ALLOWED.len())
        .filter(|i| !used.contains(i))
        .map(|i| FLAGS_ALLOWED[i])
        .collect();
    assert!(unused.is_empty(), "allowed but naming no flag: {unused:?}");
}

#[test]
fn the_flag_check_reads_strings_and_functions_and_nothing_else() {
    let code = "fn a() -> &'static str {\n    let c = '\"'; // \"--in-a-comment\"\n    \"give it with --token-url URL\"\n}\nfn b<'x>(s: &'x str) { f(r#\"name it with -o FILE\"#, \"a\\\"--b\") }\nconst C: &str = \"well-known --\";";
    let found = string_literals(code);
    let expect =
        |fns: &[&str], s: &str| (fns.iter().map(|f| f.to_string()).collect(), s.to_string());
    assert_eq!(
        found,
        [
            expect(&["a"], "give it with --token-url URL"),
            expect(&["b"], "name it with -o FILE"),
            expect(&["b"], "a\\\"--b"),
            expect(&[], "well-known --"),
        ]
    );
    let flags: Vec<bool> = found.iter().map(|(_, s)| names_a_flag(s)).collect();
    assert_eq!(flags, [true, true, true, false]);
    assert!(names_a_flag("--{prefix}password-file {}"));
    assert!(
        !names_a_flag("-----BEGIN CERTIFICATE-----")
            && !names_a_flag("x--y")
            && !names_a_flag("auto-o x")
    );
}
