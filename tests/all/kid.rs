//! `certkit kid` (issue 4): every identifier agrees with what openssl computes from the
//! certificate, JSON keys report their private_key_id, metadata documents are matched.

use crate::common::{expected_file, expected_keystore, path_str, s, td, Run, Sandbox};
use crate::support_jwt::*;
use serde_json::{json, Value};

/// `certkit kid INPUT --json` with the input's password in a file (when given).
fn kid(sb: &Sandbox, input: &str, password: Option<&str>, extra: &[&str]) -> Run {
    let mut args = vec!["kid", input, "--json"];
    let pwf;
    if let Some(pw) = password {
        pwf = sb.secret("in.pw", pw);
        args.extend(["--password-file", pwf.as_str()]);
    }
    args.extend_from_slice(extra);
    sb.certkit(&args)
}

/// Assert every certificate-derived identifier of a kid report equals openssl's, for `cert_pem`.
fn assert_ids_match_openssl(sb: &Sandbox, ids: &Value, cert_pem: &str) {
    let sha1_fp = openssl_fingerprint(sb, cert_pem, "sha1");
    let sha256_fp = openssl_fingerprint(sb, cert_pem, "sha256");
    assert_eq!(
        s(ids, "google_key_id"),
        sha1_fp.replace(':', "").to_ascii_lowercase(),
        "google_key_id is lower-case hex SHA-1 of the certificate"
    );
    assert_eq!(s(ids, "sha1_fingerprint"), sha1_fp);
    assert_eq!(s(ids, "sha256_fingerprint"), sha256_fp);
    let der = cert_der_file(sb, cert_pem, "kid-cert.der");
    assert_eq!(s(ids, "x5t"), b64url(&openssl_digest(sb, "sha1", &der)));
    assert_eq!(
        s(ids, "x5t#S256"),
        b64url(&openssl_digest(sb, "sha256", &der))
    );
    let modulus = openssl_modulus(sb, cert_pem);
    assert_eq!(
        s(ids, "jwk_thumbprint"),
        rfc7638_thumbprint(sb, &modulus, &[1, 0, 1], "kid")
    );
}

#[test]
fn kid_on_google_p12_agrees_with_openssl() {
    let sb = Sandbox::new();
    let r = kid(
        &sb,
        &td("google-sample.p12"),
        Some(GOOGLE_P12_PASSWORD),
        &[],
    );
    r.ok();
    let ids = r.json();
    assert_ids_match_openssl(&sb, &ids, &td("google-sample.crt.pem"));
    let exp = &expected_keystore("google-sample.p12")["cert"];
    assert_eq!(s(&ids, "google_key_id"), s(exp, "sha1_hex"));
    assert_eq!(s(&ids, "sha256_fingerprint"), s(exp, "sha256"));
    assert_eq!(s(&ids, "alias"), "privatekey");
}

#[test]
fn kid_on_selfsign_output_agrees_with_openssl() {
    let sb = Sandbox::new();
    let report = selfsign(&sb, "org2", &["--jks", "--generate-password"]).json();
    let pw = s(&report, "generated_password").to_string();
    let r = kid(&sb, &sb.p("org2.jks"), Some(&pw), &[]);
    r.ok();
    let ids = r.json();
    let crt = sb.p("org2.crt");
    assert_ids_match_openssl(&sb, &ids, &crt);
    assert_eq!(
        s(&ids, "alias"),
        "org2",
        "the alias is Salesforce's default kid"
    );
    // Subject key identifier and serial, as openssl prints them.
    let ski = sb.openssl(&[
        "x509",
        "-in",
        &crt,
        "-noout",
        "-ext",
        "subjectKeyIdentifier",
    ]);
    ski.ok();
    let ski_hex = ski
        .stdout
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .replace(':', "")
        .to_ascii_lowercase();
    assert_eq!(s(&ids, "subject_key_id"), ski_hex);
    let serial = sb.openssl(&["x509", "-in", &crt, "-noout", "-serial"]);
    serial.ok();
    let want = serial
        .stdout
        .trim()
        .strip_prefix("serial=")
        .unwrap()
        .to_ascii_lowercase();
    assert_eq!(
        s(&ids, "serial").trim_start_matches('0'),
        want.trim_start_matches('0')
    );
}

#[test]
fn kid_on_selfsign_pem_certificate_agrees_with_openssl() {
    let sb = Sandbox::new();
    selfsign(&sb, "org2", &[]);
    let crt = sb.p("org2.crt");
    let r = kid(&sb, &crt, None, &[]);
    r.ok();
    assert_ids_match_openssl(&sb, &r.json(), &crt);
}

#[test]
fn kid_on_google_json_key_reports_private_key_id_and_the_key_thumbprint() {
    let sb = Sandbox::new();
    let r = kid(&sb, &td("google-sample.json"), None, &[]);
    r.ok();
    let ids = r.json();
    assert_eq!(s(&ids, "google_key_id"), google_private_key_id());
    assert_eq!(
        s(&ids, "google_key_id"),
        s(expected_file("google-sample.json"), "private_key_id")
    );
    // Same key as google-sample.crt.pem: same RFC 7638 thumbprint.
    let modulus = openssl_modulus(&sb, &td("google-sample.crt.pem"));
    assert_eq!(
        s(&ids, "jwk_thumbprint"),
        rfc7638_thumbprint(&sb, &modulus, &[1, 0, 1], "json")
    );
}

#[test]
fn kid_metadata_names_the_key_id_that_is_this_key() {
    let sb = Sandbox::new();
    let meta = td("google-sample.x509-metadata.json");
    for (input, pw) in [
        ("google-sample.json", None),
        ("google-sample.p12", Some(GOOGLE_P12_PASSWORD)),
    ] {
        let r = kid(&sb, &td(input), pw, &["--metadata", &meta]);
        r.ok();
        let v = r.json();
        assert_eq!(
            s(&v["metadata"], "match"),
            google_private_key_id(),
            "{input}"
        );
        let mut listed: Vec<String> = v["metadata"]["key_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap().to_string())
            .collect();
        listed.sort();
        let mut want: Vec<String> = expected_file("google-sample.x509-metadata.json")["key_ids"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        want.sort();
        assert_eq!(listed, want);
    }
}

#[test]
fn kid_metadata_without_this_key_exits_1() {
    let sb = Sandbox::new();
    // The metadata document minus the google-sample certificate.
    let mut doc: Value = serde_json::from_slice(&crate::common::read_testdata(
        "google-sample.x509-metadata.json",
    ))
    .unwrap();
    doc.as_object_mut()
        .unwrap()
        .remove(&google_private_key_id());
    assert_eq!(doc.as_object().unwrap().len(), 1);
    let meta = sb.path("other-metadata.json");
    std::fs::write(&meta, serde_json::to_vec(&doc).unwrap()).unwrap();
    let r = kid(
        &sb,
        &td("google-sample.json"),
        None,
        &["--metadata", &path_str(&meta)],
    );
    r.code_is(1);
    assert!(r.json()["metadata"]["match"].is_null());
    // The text report says so.
    let t = sb.certkit(&[
        "kid",
        &td("google-sample.json"),
        "--metadata",
        &path_str(&meta),
    ]);
    t.code_is(1);
    assert!(t.stdout.contains("none of the 1 keys"), "{}", t.stdout);
}

#[test]
fn kid_metadata_jwk_set_built_from_openssl_modulus_names_the_matching_kid() {
    let sb = Sandbox::new();
    let jwk = |cert: &str, kid: &str| {
        json!({"kty": "RSA", "alg": "RS256", "use": "sig", "kid": kid,
               "n": b64url(&openssl_modulus(&sb, &td(cert))), "e": "AQAB"})
    };
    let doc = json!({"keys": [jwk("other-2048.crt.pem", "k-other"), jwk("google-sample.crt.pem", "k-ours")]});
    let meta = sb.path("jwks.json");
    std::fs::write(&meta, serde_json::to_vec(&doc).unwrap()).unwrap();
    let r = kid(
        &sb,
        &td("google-sample.json"),
        None,
        &["--metadata", &path_str(&meta)],
    );
    r.ok();
    assert_eq!(s(&r.json()["metadata"], "match"), "k-ours");
}

#[test]
fn kid_jwk_is_the_public_rsa_key_with_x5c_and_no_private_members() {
    let sb = Sandbox::new();
    let r = kid(
        &sb,
        &td("google-sample.p12"),
        Some(GOOGLE_P12_PASSWORD),
        &["--jwk"],
    );
    r.ok();
    let v = r.json();
    let jwk = &v["jwk"];
    assert_eq!(s(jwk, "kty"), "RSA");
    assert_eq!(
        s(jwk, "n"),
        b64url(&openssl_modulus(&sb, &td("google-sample.crt.pem")))
    );
    assert_eq!(s(jwk, "e"), "AQAB");
    assert!(
        jwk.get("alg").is_none(),
        "without --alg the JWK has no alg, so it matches RS256 and RS512 tokens: {jwk}"
    );
    assert_eq!(s(jwk, "use"), "sig");
    assert_eq!(
        s(jwk, "kid"),
        s(&v, "jwk_thumbprint"),
        "a JWK's kid is the RFC 7638 thumbprint, also for a Google key"
    );
    let x5c = jwk["x5c"].as_array().expect("x5c array");
    assert_eq!(x5c.len(), 1);
    let der = crate::common::read_testdata("google-sample.crt.der");
    assert_eq!(x5c[0].as_str().unwrap(), b64std(&der));
    assert_eq!(s(jwk, "x5t#S256"), s(&v, "x5t#S256"));
    for private in ["d", "p", "q", "dp", "dq", "qi"] {
        assert!(
            jwk.get(private).is_none(),
            "private member {private} in {jwk}"
        );
    }
    // A jsonwebtoken key built from the JWK's n and e verifies a token the fixture key signed.
    let token = jsonwebtoken_sign(
        &sb,
        &td("google-sample.key.pem"),
        "RS256",
        None,
        &google_claims("x@y.iam.gserviceaccount.com", "s"),
    );
    let key = jsonwebtoken::DecodingKey::from_rsa_components(s(jwk, "n"), s(jwk, "e")).unwrap();
    let mut val = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    val.validate_aud = false;
    jsonwebtoken::decode::<Value>(&token, &key, &val).expect("the JWK verifies");
}

// ---- One kid (issue 17 item 4) and a JWK a JWK consumer can use (item 6) ----

const API_TOKEN_URL: &str = "https://api.example.com/token";

/// The header of the single token `verify --print-token` wrote on standard output.
fn printed_header(r: &Run) -> Value {
    r.ok();
    let token = r.stdout.trim();
    assert_eq!(token.lines().count(), 1, "{}", r.stdout);
    decode_parts(token).0
}

/// The kid of the External Credential `metadata` wrote under `dir`.
fn metadata_kid(sb: &Sandbox, dir: &str) -> String {
    let folder = sb.path(&format!("{dir}/force-app/main/default/externalCredentials"));
    let file = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .next()
        .expect("an External Credential")
        .unwrap()
        .path();
    let xml = std::fs::read_to_string(&file).unwrap();
    // <parameterName>kid</parameterName> ... <parameterValue>KID</parameterValue>
    let Some(at) = xml.find("<parameterName>kid</parameterName>") else {
        return "(no kid claim)".into();
    };
    let end_of_param = at + xml[at..].find("</externalCredentialParameters>").unwrap();
    let start_of_param = xml[..at].rfind("<externalCredentialParameters>").unwrap();
    let param = &xml[start_of_param..end_of_param];
    let v = param
        .split("<parameterValue>")
        .nth(1)
        .and_then(|r| r.split("</parameterValue>").next())
        .unwrap_or_else(|| panic!("no value in {param}"));
    v.to_string()
}

/// The `kid` member, or a note that there is none.
fn kid_in(v: &Value) -> String {
    v["kid"]
        .as_str()
        .map_or_else(|| format!("(no kid in {v})"), str::to_string)
}

#[test]
fn one_kid_for_every_command_and_every_file_of_the_same_key() {
    // The same key as a JSON key, a P12, a JKS (p12-to-jks of the P12, alias "google_sa")
    // and a bare PEM key: every command that chooses a kid chooses the RFC 7638 thumbprint,
    // computed here from openssl's modulus; no keystore alias leaks in.
    let sb = Sandbox::new();
    let p12pw = sb.secret("p12.pw", GOOGLE_P12_PASSWORD);
    let jkspw = sb.secret("jks.pw", "abc12345");
    sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "-o",
        "g.jks",
        "--alias",
        "google_sa",
        "--password-file",
        &p12pw,
        "--out-password-file",
        &jkspw,
    ])
    .ok();
    let cert = td("google-sample.crt.pem");
    let modulus = openssl_modulus(&sb, &cert);
    let want = rfc7638_thumbprint(&sb, &modulus, &[1, 0, 1], "one");
    let srv = crate::servers::Server::start(
        &sb,
        "rfc7523",
        &[
            "--cert",
            &cert,
            "--iss",
            "a@example.com",
            "--sub",
            "b",
            "--log-secrets",
        ],
    );
    let token_url = srv.url("token");
    let json = td("google-sample.json");
    let p12 = td("google-sample.p12");
    let pem = td("google-sample.key.pem");
    let inputs: [(&str, Vec<&str>); 4] = [
        ("json", vec![&json]),
        ("p12", vec![&p12, "--password-file", &p12pw]),
        ("jks", vec!["g.jks", "--password-file", &jkspw]),
        ("pem", vec![&pem]),
    ];
    let generic = [
        "--iss",
        "a@example.com",
        "--sub",
        "b",
        "--aud",
        API_TOKEN_URL,
    ];
    let salesforce = [
        "--iss",
        CONSUMER_KEY,
        "--sub",
        "b",
        "--aud",
        "https://test.salesforce.com",
    ];
    let claims_of = |profile: &str| match profile {
        "salesforce" => salesforce,
        _ => generic,
    };
    for (kind, input) in &inputs {
        let with = |head: &[&str], tail: &[&str]| -> Vec<String> {
            head.iter()
                .chain(input.iter())
                .chain(tail.iter())
                .map(|s| s.to_string())
                .collect()
        };
        let run =
            |args: Vec<String>| sb.certkit(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let mut seen: Vec<(String, String)> = Vec::new();
        // kid --jwk: what the third party registers.
        let r = run(with(&["kid"], &["--jwk"]));
        r.ok();
        seen.push((
            "kid --jwk".into(),
            match serde_json::from_str::<Value>(&r.stdout) {
                Ok(jwk) => kid_in(&jwk),
                Err(_) => format!("(stdout is not a JWK: {:?})", r.stdout.lines().next()),
            },
        ));
        // metadata: what the External Credential sends, for a third party and for Salesforce.
        for profile in ["generic", "salesforce"] {
            let dir = format!("md-{kind}-{profile}");
            let mut tail = vec!["--profile", profile, "-o", &dir, "--name", "Api"];
            tail.extend_from_slice(&claims_of(profile));
            tail.extend([
                "--url",
                "https://api.example.com",
                "--cert-name",
                "api_cert",
            ]);
            run(with(&["metadata"], &tail)).ok();
            seen.push((
                format!("metadata --profile {profile}"),
                metadata_kid(&sb, &dir),
            ));
        }
        // exchange --dry-run: the request it would send.
        let mut tail = vec!["--profile", "generic", "--dry-run", "--json"];
        tail.extend_from_slice(&generic);
        let r = run(with(&["exchange"], &tail));
        r.ok();
        seen.push((
            "exchange --dry-run".into(),
            kid_in(&r.json()["request"]["assertion_header"]),
        ));
        // verify: the assertion it signs, with either non-Google profile.
        for profile in ["generic", "salesforce"] {
            let mut tail = vec!["--profile", profile, "--cert", &cert, "--print-token"];
            tail.extend_from_slice(&claims_of(profile));
            let h = printed_header(&run(with(&["verify"], &tail)));
            seen.push((format!("verify --profile {profile}"), kid_in(&h)));
        }
        // preflight --live: the assertion it sends (salesforce-jwt: the salesforce profile).
        let before = srv.requests().len();
        let mut tail = vec![
            "--target",
            "salesforce-jwt",
            "--cert",
            &cert,
            "--live",
            "--token-url",
            &token_url,
        ];
        tail.extend_from_slice(&salesforce);
        let r = run(with(&["preflight"], &tail));
        // The endpoint knows the issuer a@example.com, not the consumer key the
        // salesforce-jwt assertion carries: it refuses ("The client does not exist"), exit 1;
        // what matters here is the assertion it was sent.
        r.code_is(1);
        let sent = srv.requests();
        assert_eq!(sent.len(), before + 1, "preflight --live sent one request");
        let h = decode_parts(s(&sent[before]["form"], "assertion")).0;
        seen.push(("preflight --live".into(), kid_in(&h)));
        // The google profile: Google's key id, the same for the JSON key, its P12, the JKS
        // made of it and the PEM key with its certificate; a bare key has none, and then no
        // kid is sent.
        for with_cert in [true, false] {
            let mut tail = vec!["--profile", "google", "--scope", "S", "--dry-run", "--json"];
            let email = google_client_email();
            tail.extend(["--iss", &email]);
            if with_cert {
                tail.extend(["--cert", &cert]);
            }
            let r = run(with(&["exchange"], &tail));
            // A dry run exits 1 only when an offline check fails; a bare key (no kid) is a
            // warning, so every run here exits 0.
            r.ok();
            let got = r.json()["request"]["assertion_header"]["kid"]
                .as_str()
                .map(str::to_string);
            let google_kid = Some(google_private_key_id()).filter(|_| with_cert || *kind != "pem");
            if got != google_kid {
                seen.push((
                    format!("exchange --profile google (--cert: {with_cert})"),
                    format!("{got:?}, not {google_kid:?}"),
                ));
            }
        }
        let wrong: Vec<_> = seen.iter().filter(|(_, kid)| kid != &want).collect();
        assert!(
            wrong.is_empty(),
            "the {kind} file: not the kid {want}: {wrong:#?}"
        );
    }
}

#[test]
fn kid_jwk_writes_only_the_jwk_on_standard_output() {
    // `certkit kid X --jwk > jwk.json`: the file is the JWK, the identifiers go to stderr.
    let sb = Sandbox::new();
    let r = sb.certkit(&["kid", &td("other-2048.crt.pem"), "--jwk"]);
    r.ok();
    let jwk: Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{}", r.stdout));
    assert_eq!(s(&jwk, "kty"), "RSA");
    assert!(jwk.get("keys").is_none(), "one input: a JWK, not a set");
    assert!(
        r.stderr.contains("RFC 7638 thumbprint") && r.stderr.contains(s(&jwk, "kid")),
        "the identifiers are on stderr:\n{}",
        r.stderr
    );
    // --jwks: a set even of one key.
    let r = sb.certkit(&["kid", &td("other-2048.crt.pem"), "--jwks"]);
    r.ok();
    let set: Value = serde_json::from_str(&r.stdout).expect("a JWK set");
    assert_eq!(set["keys"].as_array().map(Vec::len), Some(1), "{set}");
    // --json stays the report, one document.
    let r = sb.certkit(&["kid", &td("other-2048.crt.pem"), "--jwk", "--json"]);
    r.ok();
    assert_eq!(s(&r.json()["jwk"], "kid"), s(&jwk, "kid"));
}

#[test]
fn kid_jwks_of_a_rotation_lists_each_key_once() {
    let sb = Sandbox::new();
    let old = td("google-sample.crt.pem");
    let new = td("other-2048.crt.pem");
    let kid_of = |cert: &str, tag: &str| {
        let m = openssl_modulus(&sb, cert);
        rfc7638_thumbprint(&sb, &m, &[1, 0, 1], tag)
    };
    let r = sb.certkit(&["kid", &old, &new, "--jwks", "--alg", "RS512"]);
    r.ok();
    let set: Value = serde_json::from_str(&r.stdout).expect("a JWK set");
    let keys = set["keys"].as_array().expect("keys");
    let kids: Vec<&str> = keys.iter().map(|k| s(k, "kid")).collect();
    assert_eq!(kids, [kid_of(&old, "r1"), kid_of(&new, "r2")]);
    assert!(keys.iter().all(|k| k["alg"] == "RS512"), "{set}");
    // Several inputs with --jwk make a set too; the same key twice (its certificate and its
    // key) is one JWK, with the certificate's x5c.
    let r = sb.certkit(&["kid", &new, &td("other-2048.key.pem"), "--jwk"]);
    r.ok();
    let set: Value = serde_json::from_str(&r.stdout).expect("a JWK set");
    let keys = set["keys"].as_array().expect("keys");
    assert_eq!(keys.len(), 1, "{set}");
    assert!(keys[0].get("x5c").is_some(), "{set}");
    assert!(
        r.stderr.contains("2 inputs hold 1 distinct key(s)"),
        "merged without a word: {}",
        r.stderr
    );
    // Several inputs and no JWK asked for: a usage error, nothing on stdout.
    let r = sb.certkit(&["kid", &old, &new]);
    r.code_is(2);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(r.stderr.contains("--jwks"), "{}", r.stderr);
    // --alg without a JWK: a usage error.
    sb.certkit(&["kid", &old, "--alg", "RS512"]).code_is(2);
}

/// The npm `jose` package scripts/install-deps.sh installs into `.node` (an independent JWK
/// consumer); the test fails, not skips, without it.
fn jose_entry() -> std::path::PathBuf {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".node/node_modules/jose/dist/webapi/index.js");
    assert!(
        p.exists(),
        "{} is missing: run scripts/install-deps.sh (it installs npm jose into .node)",
        p.display()
    );
    p
}

/// Verify `token` (a file) against the JWK or JWK set in `jwks` (a file) with jose's
/// createLocalJWKSet and jwtVerify, allowing `alg`: `Ok(kid)` or `Err(jose's error code)`.
fn jose_verify(sb: &Sandbox, jwks: &str, token: &str, alg: &str) -> Result<String, String> {
    let script = sb.path("jose-verify.mjs");
    std::fs::write(
        &script,
        r#"import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [entry, jwksFile, tokenFile, alg] = process.argv.slice(2);
// Node 18 (Debian 12's) has Web Crypto only as node:crypto's webcrypto.
globalThis.crypto ??= (await import("node:crypto")).webcrypto;
const jose = await import(pathToFileURL(entry).href);
const doc = JSON.parse(readFileSync(jwksFile, "utf8"));
const set = doc.keys ? doc : { keys: [doc] };
const token = readFileSync(tokenFile, "utf8").trim();
try {
  const { protectedHeader } = await jose.jwtVerify(token, jose.createLocalJWKSet(set), { algorithms: [alg] });
  console.log(JSON.stringify({ ok: true, kid: protectedHeader.kid }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, code: e.code ?? String(e) }));
}
"#,
    )
    .unwrap();
    let out = std::process::Command::new("node")
        .arg(&script)
        .arg(jose_entry())
        .arg(sb.path(jwks))
        .arg(sb.path(token))
        .arg(alg)
        .output()
        .expect("node is missing: run scripts/install-deps.sh");
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("the script's answer");
    match v["ok"].as_bool() {
        Some(true) => Ok(s(&v, "kid").to_string()),
        _ => Err(s(&v, "code").to_string()),
    }
}

/// Sign an assertion with `key` (`verify --print-token`) into the file `out`.
fn sign_to(sb: &Sandbox, key: &str, cert: &str, alg: &str, out: &str) {
    let r = sb.certkit(&[
        "verify",
        key,
        "--cert",
        cert,
        "--alg",
        alg,
        "--iss",
        "a",
        "--sub",
        "b",
        "--aud",
        API_TOKEN_URL,
        "--print-token",
    ]);
    r.ok();
    std::fs::write(sb.path(out), r.stdout.trim()).unwrap();
}

#[test]
fn npm_jose_verifies_an_rs512_token_with_the_jwk_and_the_rotation_jwks() {
    let sb = Sandbox::new();
    let (key, cert) = (td("other-2048.key.pem"), td("other-2048.crt.pem"));
    sign_to(&sb, &key, &cert, "RS512", "rs512.jwt");
    sign_to(&sb, &key, &cert, "RS256", "rs256.jwt");
    let write = |args: &[&str], file: &str| {
        let r = sb.certkit(args);
        r.ok();
        std::fs::write(sb.path(file), &r.stdout).unwrap();
        serde_json::from_str::<Value>(&r.stdout).expect("JSON on stdout")
    };
    // `certkit kid X --jwk > jwk.json`, as the README says: no alg, so any RS alg matches.
    let jwk = write(&["kid", &cert, "--jwk"], "jwk.json");
    let kid = s(&jwk, "kid").to_string();
    assert_eq!(
        jose_verify(&sb, "jwk.json", "rs512.jwt", "RS512"),
        Ok(kid.clone())
    );
    assert_eq!(
        jose_verify(&sb, "jwk.json", "rs256.jwt", "RS256"),
        Ok(kid.clone())
    );
    // --alg RS512 for an RS512 integration; an RS256 JWK is no key for an RS512 token, as
    // jose says (the old JWK always said RS256).
    write(&["kid", &cert, "--jwk", "--alg", "RS512"], "jwk512.json");
    assert_eq!(
        jose_verify(&sb, "jwk512.json", "rs512.jwt", "RS512"),
        Ok(kid.clone())
    );
    write(&["kid", &cert, "--jwk", "--alg", "RS256"], "jwk256.json");
    assert_eq!(
        jose_verify(&sb, "jwk256.json", "rs512.jwt", "RS512"),
        Err("ERR_JWKS_NO_MATCHING_KEY".to_string())
    );
    // A rotation: old and new keys in one set; each key's token verifies by its kid.
    let (gkey, gcert) = (td("google-sample.key.pem"), td("google-sample.crt.pem"));
    sign_to(&sb, &gkey, &gcert, "RS512", "old.jwt");
    write(&["kid", &gcert, &cert, "--jwks"], "jwks.json");
    let old = jose_verify(&sb, "jwks.json", "old.jwt", "RS512").expect("the old key verifies");
    assert_ne!(old, kid);
    assert_eq!(jose_verify(&sb, "jwks.json", "rs512.jwt", "RS512"), Ok(kid));
}

#[test]
fn metadata_for_a_third_party_says_how_to_register_the_jwk_of_the_kid_it_sends() {
    let sb = Sandbox::new();
    std::fs::copy(td("other-2048.key.pem"), sb.path("api.key")).unwrap();
    let r = sb.certkit(&[
        "metadata",
        "api.key",
        "--profile",
        "generic",
        "--iss",
        "a",
        "--sub",
        "b",
        "--aud",
        API_TOKEN_URL,
        "--url",
        "https://api.example.com",
        "--name",
        "Api",
        "--cert-name",
        "api_cert",
        "-o",
        "sfdx",
        "--json",
    ]);
    r.ok();
    let steps = r.json()["steps"].clone();
    let step = steps
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .find(|s| s.contains("certkit kid"))
        .unwrap_or_else(|| panic!("no step registers the JWK: {steps}"))
        .to_string();
    // The command of the step, pasted as it is.
    let cmd = step
        .split(": ")
        .nth(1)
        .and_then(|c| c.split(';').next())
        .unwrap();
    sb.shell(cmd).ok();
    let jwk: Value = serde_json::from_slice(&std::fs::read(sb.path("Api.jwk.json")).unwrap())
        .expect("the file is the JWK");
    assert_eq!(kid_in(&jwk), metadata_kid(&sb, "sfdx"));
}
