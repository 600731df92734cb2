#!/usr/bin/env bash
# Every crate in Cargo.lock and fuzz/Cargo.lock checked against the RustSec advisory database
# (cargo audit): a dependency with a known vulnerability fails (exit 1). Ignored advisories,
# each with its reason, are in .cargo/audit.toml.
#
#   scripts/audit.sh              fetches the database (https://github.com/rustsec/advisory-db)
#   scripts/audit.sh --db DIR     uses a local clone of it, without the network
#
# .ci/run calls it when github.com answers. The project's CI machines cannot reach github.com
# (only the package registries), so there it is skipped with a message, not passed: run it
# where GitHub can be reached, before a release and when a dependency changes.
set -euo pipefail
args=()
case "${1:-}" in
    "") ;;
    --db)
        [ -d "${2:-}" ] || { echo "audit.sh: --db needs a folder: a clone of rustsec/advisory-db" >&2; exit 2; }
        # Resolved before the cd below, so a relative path works.
        args=(--db "$(realpath "$2")" --no-fetch)
        [ $# -eq 2 ] || { echo "audit.sh: unexpected arguments after --db DIR: ${*:3}" >&2; exit 2; }
        ;;
    *) echo "usage: scripts/audit.sh [--db DIR]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
if ! command -v cargo-audit >/dev/null 2>&1; then
    cargo install cargo-audit --locked --version 0.22.2
fi
cargo audit "${args[@]}"
cargo audit "${args[@]}" --file fuzz/Cargo.lock
