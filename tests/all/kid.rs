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
