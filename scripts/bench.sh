#!/usr/bin/env bash
# Benchmarks certkit against the tools it replaces (keytool, openssl) with
# hyperfine, measures peak memory with /usr/bin/time, and prints a Markdown
# table for the README.
#
#   scripts/bench.sh            full run (certkit 30 runs, keytool 10, openssl 30)
#   scripts/bench.sh --quick    fewer runs, for a smoke test
#
# Progress, hyperfine's own output and per-benchmark summaries go to stderr;
# only the Markdown table goes to stdout, so `scripts/bench.sh > bench.md`
# gives a file that can be pasted as is.
#
# Needs: cargo, keytool (JDK), openssl, python3; installs hyperfine and time
# with apt-get when they are missing.
set -euo pipefail

QUICK=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown argument: $arg (use --quick or --help)" >&2; exit 2 ;;
  esac
done

if [ "$QUICK" = 1 ]; then
  WARMUP=1 CK_RUNS=10 OSSL_RUNS=10 KT_RUNS=3
else
  WARMUP=3 CK_RUNS=30 OSSL_RUNS=30 KT_RUNS=10
fi

cd "$(dirname "$0")/.."
ROOT=$(pwd)

log() { printf '%s\n' "$*" >&2; }

# ------------------------------------------------------------------ tools
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi

apt_install() {  # apt_install PACKAGE: install, running apt-get update only if needed
  log "Installing $1 with apt-get"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "$1" >&2 \
    || { DEBIAN_FRONTEND=noninteractive $SUDO apt-get update >&2 \
         && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "$1" >&2; }
}

command -v hyperfine >/dev/null 2>&1 || apt_install hyperfine
[ -x /usr/bin/time ] || apt_install time
for tool in cargo keytool openssl python3; do
  command -v "$tool" >/dev/null 2>&1 || { log "bench.sh: $tool is required"; exit 1; }
done

log "Building certkit (cargo build --release)"
cargo build --release >&2
CERTKIT="$ROOT/target/release/certkit"
P12="$ROOT/testdata/google-sample.p12"
[ -f "$P12" ] || { log "bench.sh: missing $P12"; exit 1; }

# ---------------------------------------------------------------- scratch
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
PWFILE="$SCRATCH/pw.txt"
printf 'abc12345\n' > "$PWFILE"
mkdir -p "$SCRATCH/selfsign"

q() { printf '%q' "$1"; }   # quote a path for the bash command lines below

hf() {  # hf JSON_NAME RUNS WARMUP [hyperfine args...] COMMAND
  local json="$SCRATCH/$1.json" runs=$2 warmup=$3
  shift 3
  hyperfine --shell=bash --style basic --runs "$runs" --warmup "$warmup" \
    --export-json "$json" "$@" >&2
}

stats() {  # stats JSON [BASE_JSON] -> "mean ± sd ms" (and "ratio x" against BASE)
  python3 - "$@" <<'PY'
import json, sys
def load(p):
    r = json.load(open(p))["results"][0]
    return r["mean"] * 1000, (r.get("stddev") or 0.0) * 1000
m, s = load(sys.argv[1])
out = f"{m:.1f} ms ± {s:.1f} ms"
if len(sys.argv) > 2:
    b, _ = load(sys.argv[2])
    out += f"  (ratio vs certkit: {m / b:.2f}x)"
print(out)
PY
}

peak_kb() {  # peak_kb NAME COMMAND...: one run under /usr/bin/time, max RSS (KB) to $SCRATCH/NAME.rss
  local name=$1; shift
  /usr/bin/time -f %M -o "$SCRATCH/$name.rss" "$@" >/dev/null 2>&1 \
    || { log "bench.sh: '$*' failed under /usr/bin/time"; exit 1; }
}

cd "$SCRATCH"

# ------------------------------------------------ benchmark 1: p12-to-jks
log ""
log "== Benchmark 1: P12 -> JKS (certkit p12-to-jks vs keytool -importkeystore)"
CK_P12="$(q "$CERTKIT") p12-to-jks $(q "$P12") -o $(q "$SCRATCH/OUT.jks") --out-password-file $(q "$PWFILE") --force"
KT_P12="keytool -importkeystore -srckeystore $(q "$P12") -srcstoretype PKCS12 -srcstorepass notasecret -srcalias privatekey -destkeystore $(q "$SCRATCH/OUT2.jks") -deststoretype JKS -deststorepass abc12345 -destkeypass abc12345 -destalias privatekey -noprompt"
RM_OUT2="rm -f $(q "$SCRATCH/OUT2.jks")"

hf p12_certkit "$CK_RUNS" "$WARMUP" -n "certkit p12-to-jks" "$CK_P12"
hf p12_keytool "$KT_RUNS" 1 --prepare "$RM_OUT2" -n "keytool -importkeystore" "$KT_P12"

log "certkit p12-to-jks:      $(stats "$SCRATCH/p12_certkit.json")"
log "keytool -importkeystore: $(stats "$SCRATCH/p12_keytool.json" "$SCRATCH/p12_certkit.json")"

# ------------------------------------------------- benchmark 2: selfsign
SELFSIGN=0
if "$CERTKIT" selfsign --help >/dev/null 2>&1; then
  SELFSIGN=1
  log ""
  log "== Benchmark 2: RSA 2048 key + self-signed certificate (certkit selfsign vs openssl req vs keytool -genkeypair)"
  CK_SS="$(q "$CERTKIT") selfsign --cn bench --out-dir $(q "$SCRATCH/selfsign") --force"
  OSSL_SS="openssl req -x509 -newkey rsa:2048 -nodes -keyout $(q "$SCRATCH/k.pem") -out $(q "$SCRATCH/c.pem") -subj /CN=bench -days 365"
  KT_SS="keytool -genkeypair -keyalg RSA -keysize 2048 -alias bench -dname CN=bench -keystore $(q "$SCRATCH/ks.p12") -storepass abc12345 -validity 365"
  RM_KS="rm -f $(q "$SCRATCH/ks.p12")"

  hf ss_certkit "$CK_RUNS" "$WARMUP" -n "certkit selfsign" "$CK_SS"
  hf ss_openssl "$OSSL_RUNS" "$WARMUP" -n "openssl req -x509" "$OSSL_SS"
  hf ss_keytool "$KT_RUNS" 1 --prepare "$RM_KS" -n "keytool -genkeypair" "$KT_SS"

  log "certkit selfsign:    $(stats "$SCRATCH/ss_certkit.json")"
  log "openssl req -x509:   $(stats "$SCRATCH/ss_openssl.json" "$SCRATCH/ss_certkit.json")"
  log "keytool -genkeypair: $(stats "$SCRATCH/ss_keytool.json" "$SCRATCH/ss_certkit.json")"
else
  log ""
  log "selfsign: not available"
fi

# ------------------------------------------------------------ peak memory
log ""
log "== Peak memory (max RSS of one run, /usr/bin/time -f %M)"
peak_kb p12_certkit bash -c "$CK_P12"
rm -f "$SCRATCH/OUT2.jks"
peak_kb p12_keytool bash -c "$KT_P12"
if [ "$SELFSIGN" = 1 ]; then
  peak_kb ss_certkit bash -c "$CK_SS"
  peak_kb ss_openssl bash -c "$OSSL_SS"
  rm -f "$SCRATCH/ks.p12"
  peak_kb ss_keytool bash -c "$KT_SS"
fi

# ------------------------------------------------------------------ table
# Rows: label|result name|baseline result name (certkit of the same benchmark)
ROWS=(
  "\`certkit p12-to-jks\`|p12_certkit|p12_certkit"
  "\`keytool -importkeystore\`|p12_keytool|p12_certkit"
)
if [ "$SELFSIGN" = 1 ]; then
  ROWS+=(
    "\`certkit selfsign\` (RSA 2048)|ss_certkit|ss_certkit"
    "\`openssl req -x509 -newkey rsa:2048\`|ss_openssl|ss_certkit"
    "\`keytool -genkeypair\` (RSA 2048)|ss_keytool|ss_certkit"
  )
fi

CPU=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: *//' || true)
python3 - "$SCRATCH" "$(nproc)" "${CPU:-unknown CPU}" "$CK_RUNS" "$OSSL_RUNS" "$KT_RUNS" "${ROWS[@]}" <<'PY'
import json, os, sys
scratch, nproc, cpu, ck_runs, ossl_runs, kt_runs = sys.argv[1:7]
rows = [r.split("|") for r in sys.argv[7:]]

def load(name):
    r = json.load(open(os.path.join(scratch, name + ".json")))["results"][0]
    return r["mean"] * 1000, (r.get("stddev") or 0.0) * 1000

def rss_mb(name):
    with open(os.path.join(scratch, name + ".rss")) as f:
        kb = int(f.read().strip().splitlines()[-1])
    return kb / 1024

# peak memory, to stderr with the other progress output
for label, name, _ in rows:
    print(f"{label.replace('`', ''):45s} {rss_mb(name):7.1f} MB", file=sys.stderr)
print(file=sys.stderr)

print("| command | mean ms | ± | peak RSS MB | ratio |")
print("|---|---:|---:|---:|---:|")
for label, name, base in rows:
    mean, sd = load(name)
    ratio = mean / load(base)[0]
    ratio_s = "1.00× (baseline)" if name == base else f"{ratio:.2f}×"
    print(f"| {label} | {mean:.1f} | {sd:.1f} | {rss_mb(name):.1f} | {ratio_s} |")
print()
print(f"_hyperfine, mean of {ck_runs} runs (certkit, openssl) / {kt_runs} runs (keytool); "
      f"ratio = time / certkit time; {nproc} CPUs, {cpu}._")
PY
