//! Helpers for the selfsign, kid, verify and preflight tests: independent JWT
//! verification (the `jsonwebtoken` crate with its RustCrypto backend, and
//! `openssl dgst -verify`), digests and dates computed by openssl, and small
//! fixture builders. Needs `mod common;` next to `mod support_jwt;`.
//!
//! `jsonwebtoken` is a dev-dependency without its `use_pem` feature, so keys go to it
//! as PKCS#1 DER, converted by openssl (`openssl rsa -RSAPublicKey_out` / `-traditional`).

use std::path::Path;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{json, Value};

use crate::common::{path_str, s, td, Run, Sandbox};

/// Google's token endpoint, the default `aud` of the google profile.
pub const GOOGLE_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
/// Salesforce's production login endpoint, the default `aud` of the salesforce profile.
pub const SALESFORCE_LOGIN: &str = "https://login.salesforce.com";
/// The password of the Google P12 fixtures.
pub const GOOGLE_P12_PASSWORD: &str = "notasecret";
/// A consumer key shaped like Salesforce's.
pub const CONSUMER_KEY: &str = "3MVG9certkitTestConsumerKey.0123456789";

/// base64url without padding.
pub fn b64url(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

/// base64url (no padding) decoded.
#[track_caller]
pub fn b64url_decode(s: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(s)
        .unwrap_or_else(|e| panic!("not base64url ({e}): {s}"))
}

/// Standard base64 with padding.
pub fn b64std(data: &[u8]) -> String {
    STANDARD.encode(data)
}

/// The client e-mail of `google-sample.json`, read from the fixture itself.
pub fn google_client_email() -> String {
    let v: Value =
        serde_json::from_slice(&std::fs::read(td("google-sample.json")).expect("json key"))
            .expect("google-sample.json parses");
    s(&v, "client_email").to_string()
}

/// The `private_key_id` of `google-sample.json`, read from the fixture itself.
pub fn google_private_key_id() -> String {
    let v: Value =
        serde_json::from_slice(&std::fs::read(td("google-sample.json")).expect("json key"))
            .expect("google-sample.json parses");
    s(&v, "private_key_id").to_string()
}

/// Run openssl and return its stdout bytes, failing the test when it fails.
#[track_caller]
pub fn openssl_bytes(sb: &Sandbox, args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new("openssl")
        .args(args)
        .current_dir(sb.dir())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("start openssl");
    assert!(
        out.status.success(),
        "openssl {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Digest of a file's bytes by `openssl dgst -<alg> -binary` (`alg` is sha1, sha256...).
pub fn openssl_digest(sb: &Sandbox, alg: &str, file: &str) -> Vec<u8> {
    openssl_bytes(sb, &["dgst", &format!("-{alg}"), "-binary", file])
}

/// A PEM certificate as DER, by openssl; returns the DER file's path.
pub fn cert_der_file(sb: &Sandbox, cert_pem: &str, name: &str) -> String {
    let out = sb.p(name);
    sb.openssl(&["x509", "-in", cert_pem, "-outform", "DER", "-out", &out])
        .ok();
    out
}

/// `openssl x509 -fingerprint -<alg>` of a PEM certificate, as `AA:BB:...`.
pub fn openssl_fingerprint(sb: &Sandbox, cert_pem: &str, alg: &str) -> String {
    let r = sb.openssl(&[
        "x509",
        "-in",
        cert_pem,
        "-noout",
        "-fingerprint",
        &format!("-{alg}"),
    ]);
    r.ok();
    let (_, fp) = r
        .stdout
        .trim()
        .split_once('=')
        .unwrap_or_else(|| panic!("unexpected openssl output: {}", r.stdout));
    fp.trim().to_ascii_uppercase()
}

/// The RSA modulus of a PEM certificate, big-endian bytes, from `openssl x509 -modulus`.
pub fn openssl_modulus(sb: &Sandbox, cert_pem: &str) -> Vec<u8> {
    let r = sb.openssl(&["x509", "-in", cert_pem, "-noout", "-modulus"]);
    r.ok();
    let hex = r
        .stdout
        .trim()
        .strip_prefix("Modulus=")
        .unwrap_or_else(|| panic!("unexpected openssl output: {}", r.stdout))
        .to_string();
    from_hex(&hex)
}

/// Bytes of a hex string (either case, even length).
#[track_caller]
pub fn from_hex(hex: &str) -> Vec<u8> {
    assert!(hex.len().is_multiple_of(2), "odd hex length: {hex}");
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex digit"))
        .collect()
}

/// The RFC 7638 JWK thumbprint of an RSA key with exponent 65537 (`AQAB`), computed
/// here: canonical JSON built by hand, SHA-256 by `openssl dgst`.
pub fn rfc7638_thumbprint(sb: &Sandbox, modulus: &[u8], e: &[u8], tag: &str) -> String {
    let canonical = format!(
        r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
        b64url(e),
        b64url(modulus)
    );
    let f = sb.path(&format!("jwk-canonical-{tag}.json"));
    std::fs::write(&f, canonical).expect("write canonical jwk");
    b64url(&openssl_digest(sb, "sha256", &path_str(&f)))
}

/// Extract the SubjectPublicKeyInfo PEM of a certificate (`openssl x509 -pubkey -noout`).
pub fn cert_pubkey_pem(sb: &Sandbox, cert_pem: &str, name: &str) -> String {
    let out = sb.p(name);
    let r = sb.openssl(&["x509", "-in", cert_pem, "-pubkey", "-noout", "-out", &out]);
    r.ok();
    out
}

/// PKCS#1 RSAPublicKey DER of a public key PEM (what `DecodingKey::from_rsa_der` takes).
pub fn rsa_public_pkcs1_der(sb: &Sandbox, pub_pem: &str) -> Vec<u8> {
    openssl_bytes(
        sb,
        &[
            "rsa",
            "-pubin",
            "-in",
            pub_pem,
            "-RSAPublicKey_out",
            "-outform",
            "DER",
        ],
    )
}

/// PKCS#1 RSAPrivateKey DER of a private key PEM (what `EncodingKey::from_rsa_der` takes).
pub fn rsa_private_pkcs1_der(sb: &Sandbox, key_pem: &str) -> Vec<u8> {
    openssl_bytes(
        sb,
        &["rsa", "-in", key_pem, "-traditional", "-outform", "DER"],
    )
}

/// The three parts of a compact token.
#[track_caller]
pub fn split_token(token: &str) -> (String, String, String) {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "not a compact JWS: {token}");
    (
        parts[0].to_string(),
        parts[1].to_string(),
        parts[2].to_string(),
    )
}

/// A token's header and claims, decoded here (no signature check).
pub fn decode_parts(token: &str) -> (Value, Value) {
    let (h, c, _) = split_token(token);
    (
        serde_json::from_slice(&b64url_decode(&h)).expect("header JSON"),
        serde_json::from_slice(&b64url_decode(&c)).expect("claims JSON"),
    )
}

/// The `jsonwebtoken` algorithm for a JOSE name.
pub fn jwt_alg(alg: &str) -> Algorithm {
    match alg {
        "RS256" => Algorithm::RS256,
        "RS512" => Algorithm::RS512,
        other => panic!("unexpected alg {other}"),
    }
}

/// Verify a token with `jsonwebtoken` (RustCrypto backend) against the public key of
/// `cert_pem`, requiring `alg`, and `aud` / `iss` when given. Returns the claims.
#[track_caller]
pub fn jsonwebtoken_verify(
    sb: &Sandbox,
    token: &str,
    cert_pem: &str,
    alg: &str,
    aud: Option<&str>,
    iss: Option<&str>,
) -> Value {
    let pubpem = cert_pubkey_pem(sb, cert_pem, "jwt-verify-pub.pem");
    let der = rsa_public_pkcs1_der(sb, &pubpem);
    let key = DecodingKey::from_rsa_der(&der);
    let mut v = Validation::new(jwt_alg(alg));
    match aud {
        Some(a) => v.set_audience(&[a]),
        None => v.validate_aud = false,
    }
    if let Some(i) = iss {
        v.set_issuer(&[i]);
    }
    let mut required = vec!["exp", "iat"];
    if aud.is_some() {
        required.push("aud");
    }
    if iss.is_some() {
        required.push("iss");
    }
    v.set_required_spec_claims(&required);
    let data = jsonwebtoken::decode::<Value>(token, &key, &v)
        .unwrap_or_else(|e| panic!("jsonwebtoken rejects the token ({e}): {token}"));
    data.claims
}

/// Whether `jsonwebtoken` accepts the token's signature with `cert_pem`'s key (claims unchecked).
pub fn jsonwebtoken_signature_ok(sb: &Sandbox, token: &str, cert_pem: &str, alg: &str) -> bool {
    let pubpem = cert_pubkey_pem(sb, cert_pem, "jwt-sigonly-pub.pem");
    let der = rsa_public_pkcs1_der(sb, &pubpem);
    let key = DecodingKey::from_rsa_der(&der);
    let mut v = Validation::new(jwt_alg(alg));
    v.validate_aud = false;
    v.validate_exp = false;
    v.set_required_spec_claims::<&str>(&[]);
    jsonwebtoken::decode::<Value>(token, &key, &v).is_ok()
}

/// Verify the token's signature with `openssl dgst -<sha> -verify pub.pem -signature sig.bin`
/// over the signing input `header.payload`. Returns whether openssl says "Verified OK".
pub fn openssl_dgst_verifies(sb: &Sandbox, token: &str, cert_pem: &str, alg: &str) -> bool {
    let (h, c, sig) = split_token(token);
    let pubpem = cert_pubkey_pem(sb, cert_pem, "dgst-pub.pem");
    let input = sb.path("dgst-input.bin");
    let sigf = sb.path("dgst-sig.bin");
    std::fs::write(&input, format!("{h}.{c}")).expect("write signing input");
    std::fs::write(&sigf, b64url_decode(&sig)).expect("write signature");
    let md = match alg {
        "RS256" => "-sha256",
        "RS512" => "-sha512",
        other => panic!("unexpected alg {other}"),
    };
    let r = sb.openssl(&[
        "dgst",
        md,
        "-verify",
        &pubpem,
        "-signature",
        &path_str(&sigf),
        &path_str(&input),
    ]);
    r.code == 0 && r.stdout.contains("Verified OK")
}

/// Assert that both independent verifiers accept `token` with `cert_pem`'s key.
#[track_caller]
pub fn assert_independently_verified(
    sb: &Sandbox,
    token: &str,
    cert_pem: &str,
    alg: &str,
    aud: Option<&str>,
    iss: Option<&str>,
) -> Value {
    assert!(
        openssl_dgst_verifies(sb, token, cert_pem, alg),
        "openssl dgst does not verify the {alg} token with {cert_pem}: {token}"
    );
    jsonwebtoken_verify(sb, token, cert_pem, alg, aud, iss)
}

/// Sign claims with `jsonwebtoken` (RS256 unless told) with a PEM private key.
pub fn jsonwebtoken_sign(
    sb: &Sandbox,
    key_pem: &str,
    alg: &str,
    kid: Option<&str>,
    claims: &Value,
) -> String {
    let der = rsa_private_pkcs1_der(sb, key_pem);
    let key = EncodingKey::from_rsa_der(&der);
    let mut header = Header::new(jwt_alg(alg));
    header.kid = kid.map(str::to_string);
    jsonwebtoken::encode(&header, claims, &key).expect("jsonwebtoken signs")
}

/// Google token-exchange claims: iss, scope, aud, iat = now, exp = now + 3600.
pub fn google_claims(iss: &str, scope: &str) -> Value {
    let now = jsonwebtoken::get_current_timestamp();
    json!({
        "iss": iss,
        "scope": scope,
        "aud": GOOGLE_TOKEN_URI,
        "iat": now,
        "exp": now + 3600,
    })
}

/// The one check with `id` in a `--json` report's `checks`, or a test failure.
#[track_caller]
pub fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap_or_else(|| panic!("no checks array in {report}"))
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id} in {report:#}"))
}

/// Status of the check `id` ("pass", "warn", "fail").
#[track_caller]
pub fn status<'a>(report: &'a Value, id: &str) -> &'a str {
    check(report, id)["status"].as_str().expect("status")
}

/// Ids of the failing checks of a report.
pub fn failing(report: &Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|c| c["status"] == "fail")
                .map(|c| c["id"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Seconds since the epoch of openssl's `-dateopt iso_8601` form, `2026-11-24 22:58:28Z`.
#[track_caller]
pub fn parse_iso(s: &str) -> i64 {
    let s = s.trim().trim_end_matches('Z');
    let (date, time) = s.split_once(' ').unwrap_or_else(|| panic!("bad date {s}"));
    let d: Vec<i64> = date.split('-').map(|x| x.parse().expect("date")).collect();
    let t: Vec<i64> = time.split(':').map(|x| x.parse().expect("time")).collect();
    days_from_civil(d[0], d[1], d[2]) * 86_400 + t[0] * 3600 + t[1] * 60 + t[2]
}

/// notBefore and notAfter of a PEM certificate by openssl, in seconds since the epoch.
pub fn openssl_validity(sb: &Sandbox, cert_pem: &str) -> (i64, i64) {
    let r = sb.openssl(&[
        "x509", "-in", cert_pem, "-noout", "-dates", "-dateopt", "iso_8601",
    ]);
    r.ok();
    let field = |name: &str| {
        r.stdout
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}=")))
            .map(parse_iso)
            .unwrap_or_else(|| panic!("no {name} in {}", r.stdout))
    };
    (field("notBefore"), field("notAfter"))
}

/// A self-signed certificate for `key_pem` with explicit dates (`YYYYMMDDHHMMSSZ`), made by
/// `openssl ca -selfsign` (openssl 3.0's `req -x509` cannot set dates in the past).
/// Extensions: CA:FALSE, digitalSignature. Returns the certificate's path.
pub fn openssl_cert_with_dates(
    sb: &Sandbox,
    key_pem: &str,
    cn: &str,
    start: &str,
    end: &str,
    tag: &str,
) -> String {
    let dir = sb.path(&format!("ca-{tag}"));
    std::fs::create_dir_all(&dir).expect("ca dir");
    std::fs::write(dir.join("index.txt"), "").expect("index");
    std::fs::write(dir.join("serial"), "01\n").expect("serial");
    let cnf = format!(
        "[ ca ]\ndefault_ca = d\n[ d ]\ndatabase = {db}\nserial = {serial}\nnew_certs_dir = {dir}\n\
         default_md = sha256\npolicy = p\nunique_subject = no\nemail_in_dn = no\n\
         [ p ]\ncommonName = supplied\n[ req ]\ndistinguished_name = dn\nprompt = no\n\
         [ dn ]\nCN = {cn}\n[ ext ]\nbasicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\n",
        db = path_str(&dir.join("index.txt")),
        serial = path_str(&dir.join("serial")),
        dir = path_str(&dir),
    );
    let cnf_path = path_str(&dir.join("ca.cnf"));
    std::fs::write(&cnf_path, cnf).expect("ca.cnf");
    let csr = path_str(&dir.join("req.csr"));
    let out = path_str(&dir.join("cert.pem"));
    sb.openssl(&[
        "req", "-new", "-key", key_pem, "-config", &cnf_path, "-out", &csr,
    ])
    .ok();
    sb.openssl(&[
        "ca",
        "-batch",
        "-config",
        &cnf_path,
        "-selfsign",
        "-keyfile",
        key_pem,
        "-in",
        &csr,
        "-startdate",
        start,
        "-enddate",
        end,
        "-extensions",
        "ext",
        "-notext",
        "-out",
        &out,
    ])
    .ok();
    out
}

/// `YYYYMMDDHHMMSSZ` of now plus `days` (UTC), for `openssl ca -enddate`.
pub fn openssl_date_in_days(days: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let t = now + days * 86_400;
    let (z, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    // civil_from_days
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}Z",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}

/// Concatenate files into one (a PEM key followed by its certificate).
pub fn concat(sb: &Sandbox, name: &str, parts: &[&str]) -> String {
    let mut all = Vec::new();
    for p in parts {
        all.extend(std::fs::read(p).unwrap_or_else(|e| panic!("read {p}: {e}")));
    }
    let out = sb.path(name);
    std::fs::write(&out, all).expect("write concatenation");
    path_str(&out)
}

/// Run `certkit selfsign --cn CN --out-dir DIR` with extra arguments, requiring exit 0.
pub fn selfsign(sb: &Sandbox, cn: &str, extra: &[&str]) -> Run {
    let mut args = vec!["selfsign", "--cn", cn, "--out-dir", ".", "--json"];
    args.extend_from_slice(extra);
    let r = sb.certkit(&args);
    r.ok();
    r
}

/// The mode bits of a file (permissions only).
pub fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("stat {}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}
