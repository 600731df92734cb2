#!/usr/bin/env bash
# One self-contained certkit binary: OpenSSL built from source and linked in (the `vendored`
# feature), glibc linked statically as a static PIE (so ASLR stays), relative relocations
# packed (DT_RELR: the loader's start-up work shrinks to almost nothing).
#
#   scripts/build-static.sh            -> target/static/x86_64-unknown-linux-gnu/release/certkit
#   scripts/build-static.sh --pure-rust
#                                      -> target/static-pure/x86_64-unknown-linux-gnu/release/certkit
#
# --pure-rust: no OpenSSL at all (features `rust-crypto`: RustCrypto for keys and certificates,
# rustls with the system's trust store for TLS, ring as rustls's crypto provider); checked to
# hold none of OpenSSL's code.
#
# Trade-off: OpenSSL's security fixes then come with a new certkit build, not with the
# system's updates. DNS names are resolved with glibc's getaddrinfo, which a static binary
# can only use for files and DNS lookups (/etc/hosts, /etc/resolv.conf), not for other NSS
# modules (LDAP, mDNS...). Needs perl and make to build OpenSSL (Debian's build-essential).
set -euo pipefail
cd "$(dirname "$0")/.."
target=x86_64-unknown-linux-gnu
# RUSTFLAGS apply to the target only (with --target, build scripts and proc macros are built
# for the host without them). The getrandom crate finds glibc's getrandom() with dlsym, which
# a static binary cannot do, and falls back to polling /dev/random and reading /dev/urandom
# (five system calls, and no randomness where /dev is missing): the cfg makes it call
# getrandom(2) directly, as the default build does.
export RUSTFLAGS="-C target-feature=+crt-static -C relocation-model=pie -C link-arg=-Wl,-z,pack-relative-relocs --cfg getrandom_backend=\"linux_getrandom\""
pure=
if [[ "${1:-}" == "--pure-rust" ]]; then
    pure=1
    shift
    cargo build --release --locked --no-default-features --features rust-crypto --target "$target" --target-dir target/static-pure "$@"
    bin="target/static-pure/$target/release/certkit"
else
    cargo build --release --locked --features vendored --target "$target" --target-dir target/static "$@"
    bin="target/static/$target/release/certkit"
fi
# Check what was built (binutils' readelf, which the C toolchain brings): position
# independent (type DYN) with no program interpreter (no dynamic loader, so no libssl), and
# ldd finds no OpenSSL.
# (grep without -q: with pipefail, -q's early exit would kill the writer with SIGPIPE and the
# pipeline would report failure for a match.)
readelf -h "$bin" | grep "Type:.*DYN" >/dev/null || { echo "build-static: $bin is not position independent" >&2; exit 1; }
if readelf -l "$bin" | grep "INTERP" >/dev/null; then
    echo "build-static: $bin needs a dynamic loader (not static)" >&2
    exit 1
fi
deps=$(ldd "$bin" 2>&1 || true)
if grep -q "libssl\|libcrypto" <<<"$deps"; then
    echo "build-static: $bin links OpenSSL dynamically" >&2
    exit 1
fi
# No OpenSSL linked in statically either: its library's symbols (SSL_CTX_new, libssl's;
# OPENSSL_init_crypto, libcrypto's) and its version string are absent. (ring, rustls's
# provider, prefixes its C functions with ring_core_*: "OPENSSL_" alone would match them.)
if [[ -n "$pure" ]]; then
    if nm "$bin" 2>/dev/null | grep -wE "SSL_CTX_new|OPENSSL_init_crypto|EVP_PKEY_new" >/dev/null \
        || strings "$bin" | grep -E "^OpenSSL [0-9]+\.[0-9]+\.[0-9]+ " >/dev/null; then
        echo "build-static: $bin holds OpenSSL" >&2
        exit 1
    fi
fi
"$bin" --version >/dev/null
echo "$bin"
