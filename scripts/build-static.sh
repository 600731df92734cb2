#!/usr/bin/env bash
# One self-contained certkit binary: OpenSSL built from source and linked in (the `vendored`
# feature), glibc linked statically as a static PIE (so ASLR stays), relative relocations
# packed (DT_RELR: the loader's start-up work shrinks to almost nothing).
#
#   scripts/build-static.sh            -> target/static/x86_64-unknown-linux-gnu/release/certkit
#
# Trade-off: OpenSSL's security fixes then come with a new certkit build, not with the
# system's updates. DNS names are resolved with glibc's getaddrinfo, which a static binary
# can only use for files and DNS lookups (/etc/hosts, /etc/resolv.conf), not for other NSS
# modules (LDAP, mDNS...). Needs perl and make to build OpenSSL (Debian's build-essential).
set -euo pipefail
cd "$(dirname "$0")/.."
target=x86_64-unknown-linux-gnu
# RUSTFLAGS apply to the target only (with --target, build scripts and proc macros are built
# for the host without them).
export RUSTFLAGS="-C target-feature=+crt-static -C relocation-model=pie -C link-arg=-Wl,-z,pack-relative-relocs"
cargo build --release --locked --features vendored --target "$target" --target-dir target/static "$@"
bin="target/static/$target/release/certkit"
# Check what was built: static, position independent, no libssl.
file "$bin" | grep -q "static-pie linked" || { file "$bin"; echo "build-static: not a static PIE" >&2; exit 1; }
if ldd "$bin" 2>&1 | grep -q "libssl\|libcrypto"; then
    echo "build-static: $bin links OpenSSL dynamically" >&2
    exit 1
fi
"$bin" --version >/dev/null
echo "$bin"
