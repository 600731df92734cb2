#!/usr/bin/env bash
# certkit for Windows (x86_64-pc-windows-gnu) on the pure-Rust backend, cross-built on Debian
# with mingw-w64, and a Wine prefix to run it in for the tests.
#
#   scripts/build-windows.sh     -> target/windows/x86_64-pc-windows-gnu/release/certkit.exe
#                                   target/windows/wine/bin/certkit (runs the .exe under Wine;
#                                   the tests' CERTKIT_BIN, named `certkit` for the commands
#                                   they paste into sh)
#
# Needs: rustup's x86_64-pc-windows-gnu standard library (`rustup target add`), Debian's
# mingw-w64 (the linker, and the C compiler ring's assembly needs) and wine64 (to run it).
# scripts/install-deps.sh installs them. Prints the path of the .exe last.
#
# Under Wine only: Wine 8 (Debian 12) lacks bcryptprimitives.dll, from which Rust's standard
# library takes random bytes on Windows 10 and later; scripts/wine/bcryptprimitives.c is a
# stand-in built here and put into the test's Wine prefix, never next to the .exe.
# docs/windows.md says what the Windows build does differently.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=x86_64-pc-windows-gnu
cargo build --release --locked --no-default-features --features rust-crypto --target "$target" --target-dir target/windows "$@"
exe="target/windows/$target/release/certkit.exe"
# A Windows program (PE32+), with no OpenSSL in it.
# (grep without -q: with pipefail, -q's early exit would kill the writer with SIGPIPE and the
# pipeline would report failure for a match.)
file "$exe" | grep "PE32+ executable.*x86-64" >/dev/null || { echo "build-windows: $exe is not a 64-bit Windows program" >&2; exit 1; }
if strings "$exe" | grep -E "^OpenSSL [0-9]+\.[0-9]+\.[0-9]+ " >/dev/null; then
    echo "build-windows: $exe holds OpenSSL" >&2
    exit 1
fi

# The Wine prefix of the tests: made once, with the stand-in DLL.
prefix="$root/target/windows/wine"
export WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
if ! [ -f "$prefix/system.reg" ]; then
    # wineboot returns before the prefix is complete: wineserver -w waits for it.
    wineboot --init </dev/null >/dev/null 2>&1 || { echo "build-windows: wineboot could not make the Wine prefix $prefix" >&2; exit 1; }
    wineserver -w
fi
x86_64-w64-mingw32-gcc -O2 -shared -o "$prefix/drive_c/windows/system32/bcryptprimitives.dll" \
    scripts/wine/bcryptprimitives.c scripts/wine/bcryptprimitives.def -lbcrypt
mkdir -p "$prefix/bin"
wrapper="$prefix/bin/certkit"
cat >"$wrapper" <<WRAP
#!/bin/sh
# certkit.exe under Wine, for CERTKIT_BIN (made by scripts/build-windows.sh).
WINEPREFIX='$prefix' WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml=' exec wine '$root/$exe' "\$@"
WRAP
chmod +x "$wrapper"
"$wrapper" --version >/dev/null </dev/null || { echo "build-windows: $exe does not run under Wine ($wrapper --version)" >&2; exit 1; }
echo "$exe"
