//! The documentation generated from the flag definitions (shell completions, man pages) works
//! with the real tools (bash, man), the README's tables agree with the binary, and the pages of
//! `docs/` the code cites exist and are indexed, and no file cites notes a clone does not have.

use crate::common::{Sandbox, COMMANDS};

#[test]
fn bash_completion_loads_and_completes_p12_to_p12_to_jks() {
    let sb = Sandbox::new();
    let r = sb.certkit(&["completions", "bash"]);
    r.ok();
    std::fs::write(sb.path("certkit.bash"), &r.stdout).unwrap();
    let complete = |line: &str| -> Vec<String> {
        let words: Vec<&str> = line.split(' ').collect();
        let script = format!(
            "source ./certkit.bash && COMP_WORDS=({words}) && COMP_CWORD={cword} && \
             COMP_LINE='{line}' && COMP_POINT={point} && _certkit certkit '{cur}' '{prev}' && \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            words = words.join(" "),
            cword = words.len() - 1,
            point = line.len(),
            cur = words[words.len() - 1],
            prev = words[words.len() - 2],
        );
        let out = sb.shell(&format!("bash -c {}", crate::common::shell_word(&script)));
        out.ok();
        out.stdout.lines().map(str::to_string).collect()
    };
    assert_eq!(complete("certkit p12"), ["p12-to-jks"]);
    let flags = complete("certkit p12-to-jks --out-pass");
    assert!(
        flags.contains(&"--out-password-file".to_string()),
        "{flags:?}"
    );
    let targets = complete("certkit preflight x --target salesforce-");
    assert!(
        targets.contains(&"salesforce-import".to_string()),
        "{targets:?}"
    );
}

#[test]
fn completions_for_every_shell_name_every_command() {
    let sb = Sandbox::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = sb.certkit(&["completions", shell]);
        r.ok();
        for cmd in COMMANDS {
            assert!(r.stdout.contains(cmd), "{shell} completion lacks {cmd}");
        }
    }
}

#[test]
fn man_pages_render_with_man_and_carry_examples_and_exit_codes() {
    let sb = Sandbox::new();
    let mut pages = vec![(None, "certkit".to_string())];
    pages.extend(COMMANDS.iter().map(|c| (Some(*c), format!("certkit {c}"))));
    for (cmd, title) in pages {
        let mut args = vec!["man"];
        args.extend(cmd);
        let r = sb.certkit(&args);
        r.ok();
        std::fs::write(sb.path("page.1"), &r.stdout).unwrap();
        let shown = sb.shell("MANWIDTH=100 man -l page.1 2>&1");
        shown.ok();
        let text = shown.stdout;
        assert!(text.contains("NAME"), "{title}:\n{text}");
        assert!(text.contains(&title), "{title}:\n{text}");
        assert!(text.contains("EXIT STATUS"), "{title}:\n{text}");
        assert!(text.contains("101  internal error"), "{title}:\n{text}");
        if cmd.is_some() {
            assert!(text.contains("EXAMPLES"), "{title}:\n{text}");
            // Examples are not refilled: each "certkit" command starts its own line.
            assert!(
                text.lines().any(|l| l
                    .trim_start()
                    .starts_with(&format!("certkit {}", cmd.unwrap()))),
                "{title}:\n{text}"
            );
        }
    }
}

#[test]
fn man_out_dir_writes_one_page_per_command() {
    let sb = Sandbox::new();
    sb.certkit(&["man", "--out-dir", "."]).ok();
    let mut want = vec!["certkit.1".to_string()];
    want.extend(COMMANDS.iter().map(|c| format!("certkit-{c}.1")));
    want.sort();
    assert_eq!(sb.files(), want);
    for f in sb
        .files()
        .into_iter()
        .filter(|_| crate::common::unix_modes())
    {
        assert_eq!(
            crate::support_jwt::mode(&sb.path(&f)) & 0o777,
            0o644,
            "{f}: man pages are for everyone"
        );
    }
    // Again: the same pages are left as they are and the install step succeeds (a page that
    // differs still needs --force: new_user::man_out_dir_twice_...).
    sb.certkit(&["man", "--out-dir", "."]).ok();
    sb.certkit(&["man", "--out-dir", ".", "--force"]).ok();
}

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README")
}

/// The rows of the README table under `heading`: the first cell of each.
fn readme_table(heading: &str) -> Vec<String> {
    let text = readme();
    let start = text
        .find(heading)
        .unwrap_or_else(|| panic!("README has no {heading}"));
    text[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| l.split('|').nth(1).unwrap_or("").trim().to_string())
        .collect()
}

#[test]
fn readme_exit_codes_are_the_ones_certkit_documents() {
    let sb = Sandbox::new();
    let help = sb.certkit(&["--help"]);
    help.ok();
    let from_help: Vec<String> = help
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Exit codes:"))
        .skip(1)
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    assert!(from_help.len() >= 10, "{}", help.stdout);
    assert_eq!(readme_table("## Exit codes"), from_help);
}

#[test]
fn readme_command_table_names_every_command() {
    let sb = Sandbox::new();
    let help = sb.certkit(&["--help"]);
    let listed: Vec<String> = readme_table("| command | what it does |")
        .into_iter()
        .map(|c| {
            c.trim_matches('`')
                .split_whitespace()
                .nth(1)
                .unwrap_or("")
                .to_string()
        })
        .collect();
    let commands: Vec<String> = help
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert_eq!(listed, commands);
}

/// The repository's root.
fn repo() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir`, recursively, sorted.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The `docs/NAME.md` pages named in one line of text.
fn docs_pages_named(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("docs/") {
        let after = &rest[i + "docs/".len()..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        // "docs/" inside a URL (developer.salesforce.com/docs/...) is not a page of ours.
        let in_url =
            rest[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '.' || c == '/');
        if name.ends_with(".md") && !in_url {
            out.push(name.clone());
        }
        rest = &after[name.len()..];
    }
    out
}

#[test]
fn every_docs_page_the_code_cites_exists_and_the_index_lists_every_page() {
    let root = repo();
    let mut cited = Vec::new();
    let sources = files_under(&root.join("src"))
        .into_iter()
        .chain(files_under(&root.join("crates")));
    for f in sources {
        if f.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let t = line.trim_start();
            if !(t.starts_with("//!") || t.starts_with("///")) {
                continue;
            }
            for page in docs_pages_named(t) {
                assert!(
                    root.join("docs").join(&page).is_file(),
                    "{}:{}: cites docs/{page}, which does not exist",
                    f.display(),
                    n + 1
                );
                cited.push(page);
            }
        }
    }
    // The modules that rely on outside facts cite them (rules, formats, metadata, diagnose).
    assert!(
        cited.len() >= 15,
        "only {} citations of docs/: {cited:?}",
        cited.len()
    );
    let index = std::fs::read_to_string(root.join("docs/README.md")).expect("docs/README.md");
    let mut pages = 0;
    for f in files_under(&root.join("docs")) {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        if name == "README.md" || !name.ends_with(".md") {
            continue;
        }
        pages += 1;
        assert!(
            index.contains(&format!("]({name})")),
            "docs/README.md does not link {name}"
        );
        assert!(cited.contains(&name), "no module cites docs/{name}");
    }
    assert!(pages >= 6, "{pages} pages in docs/");
    assert_eq!(
        readme().matches("docs/README.md").count(),
        1,
        "the README points to docs/README.md once"
    );
}

#[test]
fn the_repository_cites_public_sources_not_private_notes() {
    // Notes kept outside the repository, which a clone does not have.
    let private = ["shared/reference", "seed 0"];
    let root = repo();
    let this = root.join("tests/all/docs.rs");
    let mut files: Vec<std::path::PathBuf> = ["src", "tests", "scripts", "docs"]
        .iter()
        .flat_map(|d| files_under(&root.join(d)))
        .filter(|f| *f != this)
        .collect();
    files.push(root.join("README.md"));
    assert!(files.len() > 50, "{} files", files.len());
    for f in files {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).to_lowercase();
        for p in private {
            assert!(!text.contains(p), "{} cites {p:?}", f.display());
        }
    }
}

/// The paths one cell of the README's layout table names: `a/b.rs, c.rs` (a bare name is in
/// the folder of the path before it), `dir/*.rs`, `dir/<command>.rs`, `dir/`.
fn layout_cell_paths(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for token in cell.split('`').skip(1).step_by(2) {
        let path = match (token.contains('/'), out.last()) {
            (false, Some(prev)) => match prev.rfind('/') {
                Some(i) => format!("{}/{token}", &prev[..i]),
                None => token.to_string(),
            },
            _ => token.to_string(),
        };
        out.push(path);
    }
    out
}

/// Whether the layout table's `entry` covers the source file `file` (both relative to the
/// repository's root).
fn layout_covers(entry: &str, file: &str) -> bool {
    match entry.rsplit_once('/') {
        Some((dir, "*.rs" | "<command>.rs")) => file
            .strip_prefix(dir)
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(|name| !name.contains('/')),
        _ if entry.ends_with('/') => file.starts_with(entry),
        _ => file == entry,
    }
}

/// Every Rust source of the workspace is in a row of the README's layout table, and every
/// path a row names exists: the table cannot describe a tree that is gone.
#[test]
fn the_readme_layout_table_names_every_source_file_and_only_files_that_exist() {
    let root = repo();
    let entries: Vec<String> = readme_table("## How the code is laid out")
        .iter()
        .flat_map(|cell| layout_cell_paths(cell))
        .collect();
    assert!(entries.len() > 40, "{entries:?}");
    for e in &entries {
        let real = e.replace("/*.rs", "").replace("/<command>.rs", "");
        assert!(
            root.join(&real).exists(),
            "the README's layout table names {e}, which does not exist"
        );
    }
    let sources = files_under(&root.join("src"))
        .into_iter()
        .chain(files_under(&root.join("crates")))
        .filter(|f| f.extension().is_some_and(|x| x == "rs"));
    let mut missing = Vec::new();
    for f in sources {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if !entries.iter().any(|e| layout_covers(e, &rel)) {
            missing.push(rel);
        }
    }
    assert!(
        missing.is_empty(),
        "not in the README's layout table: {missing:?}"
    );
}

#[test]
fn the_layout_check_reads_cells_and_globs() {
    assert_eq!(
        layout_cell_paths("`crates/c/src/ops/convert.rs`, `renew.rs`, `src/cli/<command>.rs`"),
        [
            "crates/c/src/ops/convert.rs",
            "crates/c/src/ops/renew.rs",
            "src/cli/<command>.rs"
        ]
    );
    assert!(layout_covers("src/cli/<command>.rs", "src/cli/kid.rs"));
    assert!(!layout_covers("src/cli/<command>.rs", "src/cli/x/kid.rs"));
    assert!(layout_covers("tests/all/", "tests/all/kid.rs"));
    assert!(!layout_covers("src/main.rs", "src/main.rs.orig"));
}

/// The repository paths the README and the docs name in backticks exist (a file moved
/// leaves no stale path behind).
#[test]
fn every_repository_path_the_readme_and_the_docs_name_exists() {
    let root = repo();
    let mut texts = vec![("README.md".to_string(), readme())];
    // The pages; not the README's screenshots (docs/web/*.png).
    for f in files_under(&root.join("docs")) {
        if f.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        texts.push((f.display().to_string(), text));
    }
    let mut checked = 0;
    for (name, text) in texts {
        for token in text.split('`').skip(1).step_by(2) {
            let ours = ["src/", "crates/", "tests/", "scripts/", "docs/"]
                .iter()
                .any(|p| token.starts_with(p));
            let file = [".rs", ".sh", ".py", ".md"]
                .iter()
                .any(|x| token.ends_with(x));
            if !ours || !file || token.contains(['<', '*', ' ']) {
                continue;
            }
            checked += 1;
            assert!(
                root.join(token).exists(),
                "{name} names {token}, which does not exist"
            );
        }
    }
    assert!(checked > 30, "only {checked} paths checked");
}

/// Every test `tests/wine-exceptions.txt` leaves out of the run under Wine exists (a renamed
/// test would otherwise run there and fail, or a wrong name skip nothing), is named once, and
/// says why.
#[test]
fn every_test_left_out_under_wine_exists_and_has_its_reason() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let list = std::fs::read_to_string(root.join("tests/wine-exceptions.txt")).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for line in list
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let (name, why) = line.split_once('#').unwrap_or((line, ""));
        let name = name.trim();
        assert!(!why.trim().is_empty(), "{name}: no reason given");
        let (module, test) = name.split_once("::").expect("module::test");
        let source = std::fs::read_to_string(root.join(format!("tests/all/{module}.rs")))
            .unwrap_or_else(|e| panic!("{name}: tests/all/{module}.rs: {e}"));
        assert!(
            source.contains(&format!("#[test]\nfn {test}()")),
            "{name} is not a test in tests/all/{module}.rs"
        );
        assert!(seen.insert(name.to_string()), "{name} is listed twice");
    }
    assert!(seen.len() >= 10, "{seen:?}");
}
