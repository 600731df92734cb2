#!/usr/bin/env bash
# Regenerates the certkit test fixtures in testdata/ with keytool (OpenJDK 17)
# and openssl 3 only; python3 is used for JSON writing and cross-checks.
# These are TEST keys with fixed, documented passwords (see testdata/README.md).
# Idempotent: deletes every file it owns in testdata/ and writes it again.
# Keys are random, so every run produces new keys and fingerprints;
# testdata/expected.json records the values of the current run.
set -euo pipefail

export LANG=C.UTF-8 LC_ALL=C.UTF-8   # keytool must read the non-ASCII password as UTF-8
cd "$(dirname "$0")/.."
OUT=testdata
mkdir -p "$OUT"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# ---------------------------------------------------------------- passwords
GOOGLE_PW=notasecret
OSSL_PW=changeit
STORE_PW=storepw1
KEY_PW2=keypass2
UNICODE_PW='pässwörd€'
TMP_PW=tmppass1      # only for temp PKCS12 files in $TMP

OWNED=(
  google-sample.p12 google-sample.key.pem google-sample.crt.pem
  google-sample.key.der google-sample.crt.der
  google-1024.p12
  openssl-modern.p12 openssl-modern.key.pem openssl-modern.crt.pem
  openssl-nomac-noname.p12
  ec-key.p12 ec-key.key.pem
  keytool-store.jks keytool-store.mykey.key.der keytool-store.mykey.crt.der
  keytool-multi.jks
  keytool-multi.alpha.key.der keytool-multi.alpha.crt.der
  keytool-multi.beta.key.der keytool-multi.beta.crt.der
  keytool-keypass.jks keytool-keypass.split.key.der keytool-keypass.split.crt.der
  keytool-unicode.jks keytool-unicode.unicode.key.der keytool-unicode.unicode.crt.der
  keytool-default.p12
  keytool-trusted-only.jks
  google-sample.json google-sample.x509-metadata.json
  other-2048.crt.pem other-2048.key.pem
  pkcs1-rsa.key.pem
  expected.json
)
for f in "${OWNED[@]}"; do rm -f "$OUT/$f"; done

die() { echo "make-fixtures: FAIL: $*" >&2; exit 1; }
log() { echo "make-fixtures: $*" >&2; }

# ------------------------------------------------------------------ helpers
# rsa_key OUT BITS  -> unencrypted PKCS#8 PEM
rsa_key() { openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" -out "$1" 2>/dev/null; }

# google_cert KEY CN OUT  -> self-signed sha1WithRSA cert shaped like Google's P12 certs
google_cert() {
  cat >"$TMP/google.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
x509_extensions = ext
[dn]
CN = $2
[ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = none
authorityKeyIdentifier = none
EOF
  openssl req -x509 -new -key "$1" -sha1 -days 3650 -config "$TMP/google.cnf" -out "$3"
}

# plain_cert KEY SUBJ OUT  -> ordinary openssl self-signed cert (sha256, openssl defaults)
plain_cert() { openssl req -x509 -new -key "$1" -sha256 -days 3650 -subj "$2" -out "$3"; }

# legacy_p12 KEY CERT OUT  -> Google-style legacy PKCS#12
legacy_p12() {
  openssl pkcs12 -export -legacy -inkey "$1" -in "$2" -out "$3" \
    -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-RC2-40 -macalg sha1 -iter 2048 \
    -name privatekey -passout "pass:$GOOGLE_PW"
}

# p12_info FILE PASS [extra openssl flags]  -> stderr+stdout of pkcs12 -info
p12_info() {
  local f=$1 pw=$2; shift 2
  openssl pkcs12 -info -in "$f" -passin "pass:$pw" -nokeys -nocerts "$@" 2>&1
}

# expect_in TEXT PATTERN WHAT
expect_in() { grep -qF -- "$2" <<<"$1" || die "$3: expected '$2' in:"$'\n'"$1"; }

# check_legacy_p12 FILE
check_legacy_p12() {
  local info
  info=$(p12_info "$1" "$GOOGLE_PW" -legacy) || die "$1: openssl cannot read it"
  expect_in "$info" "MAC: sha1, Iteration 2048" "$1"
  expect_in "$info" "PKCS7 Encrypted data: pbeWithSHA1And40BitRC2-CBC, Iteration 2048" "$1"
  expect_in "$info" "Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048" "$1"
  # without -legacy openssl 3 must refuse it (that is the point of the fixture)
  if openssl pkcs12 -in "$1" -passin "pass:$GOOGLE_PW" -nokeys -noout 2>/dev/null; then
    die "$1: openssl 3 read it without -legacy; not a legacy file"
  fi
  info=$(openssl pkcs12 -in "$1" -passin "pass:$GOOGLE_PW" -legacy -nodes 2>/dev/null)
  expect_in "$info" "friendlyName: privatekey" "$1"
}

# check_modern_p12 FILE PASS [ITER]   (openssl 3 uses 2048 iterations, keytool 17 10000)
check_modern_p12() {
  local info
  info=$(p12_info "$1" "$2") || die "$1: openssl cannot read it"
  expect_in "$info" "MAC: sha256, Iteration ${3:-2048}" "$1"
  expect_in "$info" "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC" "$1"
  expect_in "$info" "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC" "$1"
}

# check_key_matches_cert KEY(PEM|DER) CERT(PEM|DER)
check_key_matches_cert() {
  local kf=PEM cf=PEM
  [[ $1 == *.der ]] && kf=DER
  [[ $2 == *.der ]] && cf=DER
  [[ "$(openssl pkey -inform $kf -in "$1" -pubout -outform DER | openssl sha256)" == \
     "$(openssl x509 -inform $cf -in "$2" -noout -pubkey | openssl pkey -pubin -outform DER | openssl sha256)" ]] \
    || die "$1 does not match $2"
}

# jks_check STORE STOREPASS ALIAS:TYPE...   (TYPE = PrivateKeyEntry | trustedCertEntry)
jks_check() {
  local store=$1 pw=$2; shift 2
  local listing
  listing=$(keytool -list -v -keystore "$store" -storetype JKS -storepass "$pw" 2>&1) \
    || die "$store: keytool -list failed:"$'\n'"$listing"
  expect_in "$listing" "Keystore type: JKS" "$store"
  expect_in "$listing" "Your keystore contains $# entr" "$store"
  local spec
  for spec in "$@"; do
    expect_in "$listing" "Alias name: ${spec%%:*}" "$store"
    expect_in "$listing" "Entry type: ${spec#*:}" "$store"
  done
}

# jks_export STORE STOREPASS ALIAS KEYPASS PREFIX
#   -> PREFIX.ALIAS.key.der (PKCS#8 DER) and PREFIX.ALIAS.crt.der
jks_export() {
  local store=$1 sp=$2 alias=$3 kp=$4 prefix=$5
  local p12="$TMP/export-$alias.p12"
  rm -f "$p12"
  keytool -importkeystore -noprompt \
    -srckeystore "$store" -srcstoretype JKS -srcstorepass "$sp" -srcalias "$alias" -srckeypass "$kp" \
    -destkeystore "$p12" -deststoretype PKCS12 -deststorepass "$TMP_PW" -destkeypass "$TMP_PW" \
    -destalias "$alias" >/dev/null 2>&1 || die "$store: cannot export $alias"
  openssl pkcs12 -in "$p12" -passin "pass:$TMP_PW" -nodes -nocerts 2>/dev/null \
    | openssl pkcs8 -topk8 -nocrypt -outform DER -out "$prefix.$alias.key.der"
  keytool -exportcert -keystore "$store" -storetype JKS -storepass "$sp" -alias "$alias" \
    -file "$prefix.$alias.crt.der" >/dev/null 2>&1 || die "$store: cannot export cert $alias"
  check_key_matches_cert "$prefix.$alias.key.der" "$prefix.$alias.crt.der"
}

# genkey_jks STORE STOREPASS KEYPASS ALIAS BITS DNAME [VALIDITY]
genkey_jks() {
  keytool -genkeypair -storetype JKS -keyalg RSA -keysize "$5" -alias "$4" -dname "$6" \
    -keystore "$1" -storepass "$2" -keypass "$3" -validity "${7:-3650}" >/dev/null 2>&1 \
    || die "keytool -genkeypair $1 $4 failed"
}

sha1_hex() { openssl x509 -in "$1" -noout -fingerprint -sha1 | sed 's/^.*=//; s/://g' | tr 'A-F' 'a-f'; }

# ------------------------------------------------ 1. google-sample (legacy P12)
log "google-sample"
rsa_key "$OUT/google-sample.key.pem" 2048
google_cert "$OUT/google-sample.key.pem" certkit-sample@certkit-demo.iam.gserviceaccount.com "$OUT/google-sample.crt.pem"
openssl pkcs8 -topk8 -nocrypt -in "$OUT/google-sample.key.pem" -outform DER -out "$OUT/google-sample.key.der"
openssl x509 -in "$OUT/google-sample.crt.pem" -outform DER -out "$OUT/google-sample.crt.der"
legacy_p12 "$OUT/google-sample.key.pem" "$OUT/google-sample.crt.pem" "$OUT/google-sample.p12"
check_legacy_p12 "$OUT/google-sample.p12"
check_key_matches_cert "$OUT/google-sample.key.der" "$OUT/google-sample.crt.der"
head -1 "$OUT/google-sample.key.pem" | grep -qx -- '-----BEGIN PRIVATE KEY-----' || die "google-sample.key.pem not PKCS#8"
openssl x509 -in "$OUT/google-sample.crt.pem" -noout -text | grep -q 'Signature Algorithm: sha1WithRSAEncryption' \
  || die "google-sample cert not sha1WithRSA"

# ------------------------------------------------ 2. google-1024
log "google-1024"
rsa_key "$TMP/g1024.key.pem" 1024
google_cert "$TMP/g1024.key.pem" old-1024@certkit-demo.iam.gserviceaccount.com "$TMP/g1024.crt.pem"
legacy_p12 "$TMP/g1024.key.pem" "$TMP/g1024.crt.pem" "$OUT/google-1024.p12"
check_legacy_p12 "$OUT/google-1024.p12"

# ------------------------------------------------ 3. openssl-modern
log "openssl-modern"
rsa_key "$OUT/openssl-modern.key.pem" 2048
plain_cert "$OUT/openssl-modern.key.pem" "/O=certkit/CN=openssl modern test" "$OUT/openssl-modern.crt.pem"
openssl pkcs12 -export -inkey "$OUT/openssl-modern.key.pem" -in "$OUT/openssl-modern.crt.pem" \
  -name modern -passout "pass:$OSSL_PW" -out "$OUT/openssl-modern.p12"
check_modern_p12 "$OUT/openssl-modern.p12" "$OSSL_PW"
info=$(openssl pkcs12 -in "$OUT/openssl-modern.p12" -passin "pass:$OSSL_PW" -nodes 2>/dev/null)
expect_in "$info" "friendlyName: modern" openssl-modern.p12

# ------------------------------------------------ 4. openssl-nomac-noname
log "openssl-nomac-noname"
# openssl 3.0 with -nomac silently leaves the cert bag unencrypted unless -certpbe is given
openssl pkcs12 -export -nomac -keypbe AES-256-CBC -certpbe AES-256-CBC \
  -inkey "$OUT/openssl-modern.key.pem" -in "$OUT/openssl-modern.crt.pem" \
  -passout "pass:$OSSL_PW" -out "$OUT/openssl-nomac-noname.p12"
info=$(p12_info "$OUT/openssl-nomac-noname.p12" "$OSSL_PW")
expect_in "$info" "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC" openssl-nomac-noname.p12
expect_in "$info" "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC" openssl-nomac-noname.p12
grep -q '^MAC:' <<<"$info" && die "openssl-nomac-noname.p12 has a MAC"
info=$(openssl pkcs12 -in "$OUT/openssl-nomac-noname.p12" -passin "pass:$OSSL_PW" -nodes 2>/dev/null)
expect_in "$info" "localKeyID:" openssl-nomac-noname.p12
grep -q friendlyName <<<"$info" && die "openssl-nomac-noname.p12 has a friendlyName"

# ------------------------------------------------ 5. ec-key
log "ec-key"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$OUT/ec-key.key.pem"
plain_cert "$OUT/ec-key.key.pem" "/O=certkit/CN=ec test" "$TMP/ec.crt.pem"
openssl pkcs12 -export -inkey "$OUT/ec-key.key.pem" -in "$TMP/ec.crt.pem" \
  -name eckey -passout "pass:$OSSL_PW" -out "$OUT/ec-key.p12"
check_modern_p12 "$OUT/ec-key.p12" "$OSSL_PW"

# ------------------------------------------------ 14. other-2048 (needed by 11)
log "other-2048"
rsa_key "$OUT/other-2048.key.pem" 2048
plain_cert "$OUT/other-2048.key.pem" "/O=certkit/CN=unrelated test" "$OUT/other-2048.crt.pem"

# ------------------------------------------------ 15. pkcs1-rsa
log "pkcs1-rsa"
openssl pkey -in "$OUT/google-sample.key.pem" -traditional -out "$OUT/pkcs1-rsa.key.pem"
head -1 "$OUT/pkcs1-rsa.key.pem" | grep -qx -- '-----BEGIN RSA PRIVATE KEY-----' || die "pkcs1-rsa.key.pem not PKCS#1"

# ------------------------------------------------ 6. keytool-store.jks
log "keytool-store.jks"
keytool -genkeypair -storetype JKS -keyalg RSA -keysize 2048 -alias mykey -dname "CN=keytool test, O=certkit" \
  -keystore "$OUT/keytool-store.jks" -storepass "$STORE_PW" -keypass "$STORE_PW" -validity 3650 >/dev/null 2>&1 \
  || die "keytool-store.jks"
jks_check "$OUT/keytool-store.jks" "$STORE_PW" mykey:PrivateKeyEntry
jks_export "$OUT/keytool-store.jks" "$STORE_PW" mykey "$STORE_PW" "$OUT/keytool-store"

# ------------------------------------------------ 7. keytool-multi.jks
log "keytool-multi.jks"
genkey_jks "$OUT/keytool-multi.jks" "$STORE_PW" "$STORE_PW" alpha 2048 "CN=alpha test, O=certkit"
genkey_jks "$OUT/keytool-multi.jks" "$STORE_PW" "$STORE_PW" beta 3072 "CN=beta test, O=certkit"
keytool -importcert -noprompt -storetype JKS -keystore "$OUT/keytool-multi.jks" -storepass "$STORE_PW" \
  -alias trusted-ca -file "$OUT/openssl-modern.crt.pem" >/dev/null 2>&1 || die "keytool-multi.jks trusted-ca"
jks_check "$OUT/keytool-multi.jks" "$STORE_PW" alpha:PrivateKeyEntry beta:PrivateKeyEntry trusted-ca:trustedCertEntry
jks_export "$OUT/keytool-multi.jks" "$STORE_PW" alpha "$STORE_PW" "$OUT/keytool-multi"
jks_export "$OUT/keytool-multi.jks" "$STORE_PW" beta "$STORE_PW" "$OUT/keytool-multi"

# ------------------------------------------------ 8. keytool-keypass.jks
log "keytool-keypass.jks"
genkey_jks "$OUT/keytool-keypass.jks" "$STORE_PW" "$KEY_PW2" split 2048 "CN=split password test, O=certkit"
jks_check "$OUT/keytool-keypass.jks" "$STORE_PW" split:PrivateKeyEntry
jks_export "$OUT/keytool-keypass.jks" "$STORE_PW" split "$KEY_PW2" "$OUT/keytool-keypass"

# ------------------------------------------------ 9. keytool-unicode.jks
log "keytool-unicode.jks"
genkey_jks "$OUT/keytool-unicode.jks" "$UNICODE_PW" "$UNICODE_PW" unicode 2048 "CN=unicode password test, O=certkit"
jks_check "$OUT/keytool-unicode.jks" "$UNICODE_PW" unicode:PrivateKeyEntry
jks_export "$OUT/keytool-unicode.jks" "$UNICODE_PW" unicode "$UNICODE_PW" "$OUT/keytool-unicode"

# ------------------------------------------------ 10. keytool-default.p12
log "keytool-default.p12"
keytool -genkeypair -keyalg RSA -keysize 2048 -alias mykey -dname "CN=keytool default test, O=certkit" \
  -keystore "$OUT/keytool-default.p12" -storepass "$STORE_PW" -validity 3650 >/dev/null 2>&1 \
  || die "keytool-default.p12"
listing=$(keytool -list -keystore "$OUT/keytool-default.p12" -storepass "$STORE_PW" 2>&1)
expect_in "$listing" "Keystore type: PKCS12" keytool-default.p12
expect_in "$listing" "mykey," keytool-default.p12
check_modern_p12 "$OUT/keytool-default.p12" "$STORE_PW" 10000
[[ "$(head -c4 "$OUT/keytool-default.p12" | od -An -tx1 | tr -d ' \n')" != feedfeed ]] || die "keytool-default.p12 is JKS"

# ------------------------------------------------ 11. keytool-trusted-only.jks
log "keytool-trusted-only.jks"
keytool -importcert -noprompt -storetype JKS -keystore "$OUT/keytool-trusted-only.jks" -storepass "$STORE_PW" \
  -alias onlycert -file "$OUT/other-2048.crt.pem" >/dev/null 2>&1 || die "keytool-trusted-only.jks"
jks_check "$OUT/keytool-trusted-only.jks" "$STORE_PW" onlycert:trustedCertEntry

# ------------------------------------------------ 12./13. Google JSON files
log "google-sample.json, google-sample.x509-metadata.json"
GS_KID=$(sha1_hex "$OUT/google-sample.crt.pem")
MOD_KID=$(sha1_hex "$OUT/openssl-modern.crt.pem")
[[ $GS_KID =~ ^[0-9a-f]{40}$ ]] || die "bad key id $GS_KID"
# cross-check: SHA-1 of the DER file
[[ "$(openssl sha1 -r "$OUT/google-sample.crt.der" | cut -c1-40)" == "$GS_KID" ]] || die "key id mismatch"

python3 - "$OUT" "$GS_KID" "$MOD_KID" <<'PY'
import json, sys
out, gs_kid, mod_kid = sys.argv[1:]
email = "certkit-sample@certkit-demo.iam.gserviceaccount.com"
with open(f"{out}/google-sample.key.pem") as f:
    key_pem = f.read()
doc = {
    "type": "service_account",
    "project_id": "certkit-demo",
    "private_key_id": gs_kid,
    "private_key": key_pem,
    "client_email": email,
    "client_id": "100000000000000000001",
    "auth_uri": "https://accounts.google.com/o/oauth2/auth",
    "token_uri": "https://oauth2.googleapis.com/token",
    "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
    "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/"
                            + email.replace("@", "%40"),
    "universe_domain": "googleapis.com",
}
with open(f"{out}/google-sample.json", "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
meta = {}
for kid, name in ((gs_kid, "google-sample"), (mod_kid, "openssl-modern")):
    with open(f"{out}/{name}.crt.pem") as f:
        meta[kid] = f.read()
with open(f"{out}/google-sample.x509-metadata.json", "w") as f:
    json.dump(meta, f, indent=2)
    f.write("\n")
PY

# ------------------------------------------------ expected.json + JKS cross-checks
log "expected.json"
python3 - "$OUT" <<'PY'
"""Parse every JKS independently (format per docs/jks-format.md),
verify the integrity digest and decrypt each key with the documented key
protector, compare with the exported *.key.der / *.crt.der, then write
expected.json. Exits non-zero on any mismatch."""
import hashlib, json, re, struct, subprocess, sys

out = sys.argv[1]
PW = {"google": "notasecret", "ossl": "changeit", "store": "storepw1",
      "keypass2": "keypass2", "unicode": "pässwörd€"}

def fail(msg):
    sys.exit(f"make-fixtures: FAIL: {msg}")

def ossl(*args, data=None):
    return subprocess.run(["openssl", *args], input=data, check=True,
                          capture_output=True).stdout

def colon(digest):
    return ":".join(f"{b:02X}" for b in digest)

def cert_info(der):
    text = ossl("x509", "-inform", "DER", "-noout", "-text", data=der).decode()
    subj = ossl("x509", "-inform", "DER", "-noout", "-subject", "-nameopt", "RFC2253",
                data=der).decode().strip().removeprefix("subject=")
    m = re.search(r"Public-Key: \((\d+) bit\)", text)
    alg = re.search(r"Public Key Algorithm: (\S+)", text).group(1)
    sig = re.search(r"Signature Algorithm: (\S+)", text).group(1)
    return {"subject": subj, "sha256": colon(hashlib.sha256(der).digest()),
            "sha1_hex": hashlib.sha1(der).hexdigest(),
            "key_algorithm": alg, "key_bits": int(m.group(1)), "signature_algorithm": sig}

def pem_to_der(path):
    return ossl("x509", "-in", path, "-outform", "DER")

def key_bits(der):
    text = ossl("pkey", "-inform", "DER", "-noout", "-text", data=der).decode()
    return int(re.search(r"Private-Key: \((\d+) bit", text).group(1))

def pw_bytes(pw):
    return pw.encode("utf-16-be")

def read_jks(path, storepass):
    data = open(path, "rb").read()
    body, trailer = data[:-20], data[-20:]
    want = hashlib.sha1(pw_bytes(storepass) + b"Mighty Aphrodite" + body).digest()
    if want != trailer:
        fail(f"{path}: JKS integrity digest mismatch (password encoding?)")
    p = 0
    def take(n):
        nonlocal p
        v = body[p:p + n]; p += n; return v
    def u32(): return struct.unpack(">I", take(4))[0]
    def utf(): return take(struct.unpack(">H", take(2))[0]).decode("utf-8")
    magic, version, count = u32(), u32(), u32()
    if magic != 0xFEEDFEED or version != 2:
        fail(f"{path}: bad magic/version")
    entries = []
    for _ in range(count):
        tag = u32(); alias = utf(); take(8)
        if tag == 1:
            epki = take(u32())
            chain = []
            for _ in range(u32()):
                if utf() != "X.509": fail("cert type")
                chain.append(take(u32()))
            entries.append({"tag": 1, "alias": alias, "epki": epki, "chain": chain})
        elif tag == 2:
            if utf() != "X.509": fail("cert type")
            entries.append({"tag": 2, "alias": alias, "cert": take(u32())})
        else:
            fail(f"{path}: tag {tag}")
    if p != len(body):
        fail(f"{path}: trailing bytes")
    return entries

def jks_decrypt(epki, password):
    prefix = bytes.fromhex("300e060a2b060104012a021101010500")
    # SEQUENCE { AlgId, OCTET STRING blob } with long-form lengths as keytool writes
    if epki[0] != 0x30 or epki[4:4 + len(prefix)] != prefix:
        fail("unexpected EncryptedPrivateKeyInfo header")
    q = 4 + len(prefix)
    if epki[q] != 0x04: fail("no octet string")
    nlen = epki[q + 1] & 0x7F
    blen = int.from_bytes(epki[q + 2:q + 2 + nlen], "big")
    blob = epki[q + 2 + nlen:q + 2 + nlen + blen]
    pw = pw_bytes(password)
    salt, enc, check = blob[:20], blob[20:-20], blob[-20:]
    stream, d = b"", salt
    while len(stream) < len(enc):
        d = hashlib.sha1(pw + d).digest(); stream += d
    plain = bytes(a ^ b for a, b in zip(enc, stream))
    if hashlib.sha1(pw + plain).digest() != check:
        fail("Cannot recover key (checksum mismatch)")
    return plain

expected = {"_note": "Generated by scripts/make-fixtures.sh; values change on every run.",
            "keystores": {}, "files": {}}

JKS = {
    "keytool-store.jks": (PW["store"], {"mykey": PW["store"]}),
    "keytool-multi.jks": (PW["store"], {"alpha": PW["store"], "beta": PW["store"]}),
    "keytool-keypass.jks": (PW["store"], {"split": PW["keypass2"]}),
    "keytool-unicode.jks": (PW["unicode"], {"unicode": PW["unicode"]}),
    "keytool-trusted-only.jks": (PW["store"], {}),
}
for name, (spw, keypws) in JKS.items():
    stem = name[:-4]
    entries = read_jks(f"{out}/{name}", spw)
    rec = {"type": "JKS", "store_password": spw, "aliases": [e["alias"] for e in entries],
           "entries": {}}
    for e in entries:
        a = e["alias"]
        if e["tag"] == 1:
            key = jks_decrypt(e["epki"], keypws[a])
            exp_key = open(f"{out}/{stem}.{a}.key.der", "rb").read()
            exp_crt = open(f"{out}/{stem}.{a}.crt.der", "rb").read()
            if key != exp_key: fail(f"{name}/{a}: decrypted key != {stem}.{a}.key.der")
            if len(e["chain"]) != 1 or e["chain"][0] != exp_crt:
                fail(f"{name}/{a}: chain != {stem}.{a}.crt.der")
            ci = cert_info(e["chain"][0])
            rec["entries"][a] = {"entry_type": "PrivateKeyEntry", "key_password": keypws[a],
                                 "key_bits": key_bits(key), "chain_length": 1,
                                 "key_der": f"{stem}.{a}.key.der",
                                 "cert_der": f"{stem}.{a}.crt.der", "cert": ci}
            if ci["key_bits"] != rec["entries"][a]["key_bits"]: fail("bits")
        else:
            rec["entries"][a] = {"entry_type": "trustedCertEntry", "cert": cert_info(e["cert"])}
    if keypws.keys() - {e["alias"] for e in entries if e["tag"] == 1}: fail(f"{name}: aliases")
    expected["keystores"][name] = rec

def p12_rec(name, pw, legacy, friendly, cert_der, key_der, **extra):
    args = ["pkcs12", "-in", f"{out}/{name}", "-passin", f"pass:{pw}", "-nodes"]
    if legacy: args.append("-legacy")
    dump = ossl(*args).decode()
    names = list(dict.fromkeys(re.findall(r"friendlyName: (.*)", dump)))  # key+cert bag
    k = ossl("pkcs8", "-topk8", "-nocrypt", "-outform", "DER", data=dump.encode())  # PKCS#8, as the .key.der files
    c = ossl("x509", "-outform", "DER", data=dump.encode())
    if key_der is not None and k != key_der: fail(f"{name}: key differs from source")
    if cert_der is not None and c != cert_der: fail(f"{name}: cert differs from source")
    ci = cert_info(c)
    alias = names[0] if names else None
    if alias != friendly: fail(f"{name}: friendlyName {names}")
    info = subprocess.run(["openssl", *args[:5], "-info", "-nokeys", "-nocerts"]
                          + (["-legacy"] if legacy else []),
                          capture_output=True, check=True).stderr.decode()
    mac = re.search(r"MAC: (\S+), Iteration (\d+)", info)
    return {"type": "PKCS12", "store_password": pw, "needs_legacy_provider": legacy,
            "friendly_names": names, "aliases": [alias] if alias else [],
            "mac": {"alg": mac.group(1), "iterations": int(mac.group(2))} if mac else None,
            "key_bag": re.search(r"Shrouded Keybag: (.*)", info).group(1).strip(),
            "cert_bag": re.search(r"PKCS7 Encrypted data: (.*)", info).group(1).strip(),
            "key_bits": key_bits(k), "cert": ci, **extra}

def rd(f): return open(f"{out}/{f}", "rb").read()
def pemkey(f): return ossl("pkcs8", "-topk8", "-nocrypt", "-in", f"{out}/{f}", "-outform", "DER")

ks = expected["keystores"]
ks["google-sample.p12"] = p12_rec("google-sample.p12", PW["google"], True, "privatekey",
                                  rd("google-sample.crt.der"), rd("google-sample.key.der"),
                                  key_der_file="google-sample.key.der",
                                  cert_der_file="google-sample.crt.der")
ks["google-1024.p12"] = p12_rec("google-1024.p12", PW["google"], True, "privatekey", None, None)
ks["openssl-modern.p12"] = p12_rec("openssl-modern.p12", PW["ossl"], False, "modern",
                                   pem_to_der(f"{out}/openssl-modern.crt.pem"),
                                   pemkey("openssl-modern.key.pem"))
ks["openssl-nomac-noname.p12"] = p12_rec("openssl-nomac-noname.p12", PW["ossl"], False, None,
                                         pem_to_der(f"{out}/openssl-modern.crt.pem"),
                                         pemkey("openssl-modern.key.pem"))
ks["ec-key.p12"] = p12_rec("ec-key.p12", PW["ossl"], False, "eckey", None, pemkey("ec-key.key.pem"))
ks["keytool-default.p12"] = p12_rec("keytool-default.p12", PW["store"], False, "mykey", None, None)

if ks["google-sample.p12"]["mac"] != {"alg": "sha1", "iterations": 2048}: fail("google mac")
if ks["google-1024.p12"]["key_bits"] != 1024: fail("google-1024 bits")
if ks["openssl-nomac-noname.p12"]["mac"] is not None: fail("nomac has mac")

files = expected["files"]
for f in ("google-sample.crt.pem", "openssl-modern.crt.pem", "other-2048.crt.pem"):
    files[f] = {"cert": cert_info(pem_to_der(f"{out}/{f}"))}
for f in ("google-sample.key.pem", "openssl-modern.key.pem", "other-2048.key.pem",
          "ec-key.key.pem", "pkcs1-rsa.key.pem"):
    first = open(f"{out}/{f}").readline().strip()
    files[f] = {"pem_label": first.removeprefix("-----BEGIN ").removesuffix("-----"),
                "key_bits": key_bits(pemkey(f)),
                "public_key_sha256": hashlib.sha256(
                    ossl("pkey", "-in", f"{out}/{f}", "-pubout", "-outform", "DER")).hexdigest()}
if pemkey("pkcs1-rsa.key.pem") != rd("google-sample.key.der"): fail("pkcs1 is not google-sample key")
gj = json.load(open(f"{out}/google-sample.json"))
if gj["private_key_id"] != ks["google-sample.p12"]["cert"]["sha1_hex"]: fail("json kid")
if gj["private_key"] != open(f"{out}/google-sample.key.pem").read(): fail("json key")
files["google-sample.json"] = {"private_key_id": gj["private_key_id"],
                               "client_email": gj["client_email"], "same_key_as": "google-sample.p12"}
meta = json.load(open(f"{out}/google-sample.x509-metadata.json"))
files["google-sample.x509-metadata.json"] = {"key_ids": {
    kid: ("google-sample.crt.pem" if kid == gj["private_key_id"] else "openssl-modern.crt.pem")
    for kid in meta}}

with open(f"{out}/expected.json", "w") as fh:
    json.dump(expected, fh, indent=2, ensure_ascii=False)
    fh.write("\n")
PY

for f in "${OWNED[@]}"; do [[ -s "$OUT/$f" ]] || die "missing $OUT/$f"; done
log "OK: ${#OWNED[@]} files in $OUT/"
