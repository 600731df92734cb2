//! The GitHub Actions workflows, which only GitHub runs (`.ci/run` lints them with actionlint):
//! the release workflow builds every binary the README's table promises, on the runner and
//! for the target it names, and publishes them with a SHA256SUMS file. A text check: no YAML
//! parser is a dependency, and the files are written in the one shape these functions read.

use std::path::Path;

fn read(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// One release binary: its asset name, Rust target and runner.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Build {
    asset: String,
    target: String,
    runner: String,
}

/// The `matrix.include` entries of release.yml: each starts at `- runner:` and has a
/// `target:` and an `asset:`.
fn release_matrix(yaml: &str) -> Vec<Build> {
    let mut out: Vec<Build> = Vec::new();
    for line in yaml.lines().map(str::trim) {
        let value = |key: &str| line.strip_prefix(key).map(|v| v.trim().to_string());
        if let Some(runner) = value("- runner:") {
            out.push(Build {
                asset: String::new(),
                target: String::new(),
                runner,
            });
        } else if let (Some(v), Some(b)) = (value("target:"), out.last_mut()) {
            b.target = v;
        } else if let (Some(v), Some(b)) = (value("asset:"), out.last_mut()) {
            b.asset = v;
        }
    }
    out.sort();
    out
}

/// The rows of the README's release table: the backticked words of each row's cells.
fn readme_release_table() -> Vec<Build> {
    let readme = read("README.md");
    let start = readme
        .find("| release binary | target | built on |")
        .expect("the README has no release table");
    let mut out: Vec<Build> = readme[start..]
        .lines()
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|row| {
            let cell = |i: usize| -> String {
                let c = row.split('|').nth(i).unwrap_or("");
                c.split('`').nth(1).unwrap_or("").to_string()
            };
            Build {
                asset: cell(1),
                target: cell(2),
                runner: cell(3),
            }
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_release_workflow_builds_every_binary_the_readme_promises() {
    let promised = readme_release_table();
    let built = release_matrix(&read(".github/workflows/release.yml"));
    assert_eq!(
        built, promised,
        "release.yml's matrix and the README's table"
    );
    // The promise of issue 19: Linux static, Windows, macOS on Apple silicon and on Intel;
    // and of issue 20: the offline page.
    let mut targets: Vec<&str> = built.iter().map(|b| b.target.as_str()).collect();
    targets.sort();
    assert_eq!(
        targets,
        [
            "aarch64-apple-darwin",
            "wasm32-unknown-unknown",
            "x86_64-apple-darwin",
            "x86_64-pc-windows-gnu",
            "x86_64-unknown-linux-gnu"
        ]
    );
}

#[test]
fn the_release_workflow_publishes_the_binaries_with_sha256sums() {
    let yaml = read(".github/workflows/release.yml");
    for needed in [
        // Tags only; the static Linux binary by the script CI runs.
        "tags: [\"v*\"]",
        "bash scripts/build-static.sh",
        // Each binary an artifact, all of them gathered by the job that needs every build.
        "name: ${{ matrix.asset }}",
        "needs: build",
        "merge-multiple: true",
        // The four binaries and the page and nothing else, their sums, checked, then attached.
        "test \"$(find . -maxdepth 1 -type f | wc -l)\" -eq 5",
        "sha256sum -- * > SHA256SUMS",
        "sha256sum -c SHA256SUMS",
        "gh release create \"$TAG\" dist/*",
    ] {
        assert!(yaml.contains(needed), "release.yml lacks {needed:?}");
    }
    assert_eq!(
        release_matrix(&yaml).len(),
        5,
        "the file count the SHA256SUMS step checks"
    );
}

#[test]
fn the_workflows_read_only_by_default_and_ci_lints_them() {
    for file in [".github/workflows/ci.yml", ".github/workflows/release.yml"] {
        let yaml = read(file);
        assert!(
            yaml.contains("\npermissions:\n  contents: read\n"),
            "{file}: the default token is read-only"
        );
    }
    // Only the release job may write (the release itself).
    assert_eq!(
        read(".github/workflows/release.yml")
            .matches("contents: write")
            .count(),
        1
    );
    let ci = read(".github/workflows/ci.yml");
    for runner in [
        "runs-on: ubuntu-latest",
        "runner: macos-14",
        "runner: macos-15-intel",
        "runs-on: windows-latest",
    ] {
        assert!(ci.contains(runner), "ci.yml lacks {runner:?}");
    }
    assert!(ci.contains("bash .ci/run\n"), "Linux runs what CI runs");
    let run = read(".ci/run");
    assert!(
        run.contains(".venv/bin/actionlint -shellcheck \"$shellcheck_bin\""),
        ".ci/run lints the workflows"
    );
}

#[test]
fn the_matrix_reader_groups_each_entry() {
    let yaml = "include:\n  - runner: a\n    target: t1\n    asset: x\n  # c\n  - runner: b\n    asset: y\n    target: t2\n";
    assert_eq!(
        release_matrix(yaml),
        [
            Build {
                asset: "x".into(),
                target: "t1".into(),
                runner: "a".into()
            },
            Build {
                asset: "y".into(),
                target: "t2".into(),
                runner: "b".into()
            }
        ]
    );
}
