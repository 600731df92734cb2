//! `certkit verify` (issue 4): every token certkit signs verifies with implementations
//! that share no code with it (`jsonwebtoken` on RustCrypto, `openssl dgst -verify`),
//! a token signed by `jsonwebtoken` passes `certkit verify --token`, and each profile
//! rule has a test that breaks it.

use crate::common::{s, td, Run, Sandbox};
use crate::support_jwt::*;
use serde_json::Value;

/// Arguments that open the Google P12 fixture (its password in a file).
fn p12_args(sb: &Sandbox) -> Vec<String> {
    vec![
        td("google-sample.p12"),
        "--password-file".into(),
        sb.secret("p12.pw", GOOGLE_P12_PASSWORD),
    ]
}

/// `certkit verify INPUT...` with extra arguments.
fn verify(sb: &Sandbox, input: &[String], extra: &[&str]) -> Run {
    let mut args: Vec<&str> = vec!["verify"];
    args.extend(input.iter().map(String::as_str));
    args.extend_from_slice(extra);
    sb.certkit(&args)
}

/// The signed token of `--print-token`: the only line on stdout.
#[track_caller]
fn printed_token(r: &Run) -> String {
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "stdout holds only the token:\n{}", r.stdout);
    let t = lines[0].trim().to_string();
    split_token(&t);
    t
}

/// Run with `--json`, expect exit 1, and return the report.
#[track_caller]
fn expect_rule_failure(
    sb: &Sandbox,
    input: &[String],
    extra: &[&str],
    id: &str,
    cause: &str,
) -> Value {
    let mut args = extra.to_vec();
    args.push("--json");
    let r = verify(sb, input, &args);
    r.code_is(1);
    let report = r.json();
    assert_eq!(report["ok"], false);
    let c = check(&report, id);
    assert_eq!(c["status"], "fail", "{c}");
    assert!(
        s(c, "detail").contains(cause),
        "check {id} does not name \"{cause}\": {c}"
    );
    assert!(
        c["fix"].as_str().is_some_and(|f| !f.is_empty()),
        "no fix: {c}"
    );
    assert_eq!(failing(&report), [id], "only {id} fails");
    report
}

fn json_key() -> Vec<String> {
    vec![td("google-sample.json")]
}

#[test]
fn each_broken_rule_fails_alone_naming_its_cause_and_fix() {
    // (what is broken, flags, the rule that fails, what its detail names); the JSON key signs.
    let cases: &[(&str, &[&str], &str, &str)] = &[
        (
            "wrong_certificate_fails_for_the_json_key_too",
            &[
                "--profile",
                "google",
                "--scope",
                "S",
                "--cert",
                &td("other-2048.crt.pem"),
            ],
            "jwt.signature",
            "not a pair",
        ),
        (
            "quoted_sub_fails_the_salesforce_profile",
            &[
                "--profile",
                "salesforce",
                "--iss",
                CONSUMER_KEY,
                "--sub",
                "\"user@example.com\"",
            ],
            "salesforce.sub",
            "with quotes",
        ),
        (
            "missing_sub_fails_the_salesforce_profile",
            &["--profile", "salesforce", "--iss", CONSUMER_KEY],
            "salesforce.sub",
            "missing",
        ),
        (
            "missing_iss_fails_the_salesforce_profile",
            &["--profile", "salesforce", "--sub", "user@example.com"],
            "salesforce.iss",
            "invalid_client_id",
        ),
        (
            "wrong_aud_fails_the_salesforce_profile",
            &[
                "--profile",
                "salesforce",
                "--iss",
                CONSUMER_KEY,
                "--sub",
                "user@example.com",
                "--aud",
                "https://acme.lightning.force.com",
            ],
            "salesforce.aud",
            "audience is invalid",
        ),
        (
            "exp_7200_fails_the_google_profile",
            &[
                "--profile",
                "google",
                "--scope",
                "S",
                "--exp-seconds",
                "7200",
            ],
            "google.lifetime",
            "7200 s",
        ),
        (
            "iss_other_than_the_client_email_fails_the_google_profile",
            &[
                "--profile",
                "google",
                "--scope",
                "S",
                "--iss",
                "someone@else.iam.gserviceaccount.com",
            ],
            "google.iss",
            "the key belongs to",
        ),
        (
            "wrong_aud_fails_the_google_profile",
            &[
                "--profile",
                "google",
                "--scope",
                "S",
                "--aud",
                "https://login.salesforce.com",
            ],
            "google.aud",
            "Failed audience check",
        ),
        (
            "quoted_sub_fails_the_google_profile",
            &[
                "--profile",
                "google",
                "--scope",
                "S",
                "--sub",
                "\"user@example.com\"",
            ],
            "google.sub",
            "quotes",
        ),
        (
            "google_self_signed_with_both_aud_and_scope_fails",
            &[
                "--profile",
                "google-self-signed",
                "--aud",
                "https://pubsub.googleapis.com/",
                "--scope",
                "S",
            ],
            "google.aud-or-scope",
            "both aud and scope",
        ),
        (
            "google_self_signed_with_neither_aud_nor_scope_fails",
            &["--profile", "google-self-signed"],
            "google.aud-or-scope",
            "neither aud nor scope",
        ),
    ];
    for (name, args, id, cause) in cases {
        let sb = Sandbox::new();
        eprintln!("case: {name}");
        expect_rule_failure(&sb, &json_key(), args, id, cause);
    }
}

/// Run with `--json`, expect exit 0 with the rule a warning that says it is documented or
/// advice, not enforced.
#[track_caller]
fn expect_rule_warning(sb: &Sandbox, input: &[String], extra: &[&str], id: &str, cause: &str) {
    let mut args = extra.to_vec();
    args.push("--json");
    let r = verify(sb, input, &args);
    r.ok();
    let report = r.json();
    assert_eq!(report["ok"], true);
    let c = check(&report, id);
    assert_eq!(c["status"], "warn", "{c}");
    assert_ne!(c["evidence"], "enforced", "{c}");
    assert!(
        s(c, "detail").contains(cause) && s(c, "detail").contains("not known to refuse"),
        "check {id} does not name \"{cause}\" and its evidence: {c}"
    );
    assert!(failing(&report).is_empty(), "{report}");
}

/// Rules the provider documents but is not known to enforce: a warning, exit 0, never "will
/// refuse" (Salesforce's 3 minutes: sf org login jwt sends more; Google's self-signed JWT
/// rules have no known refusal).
#[test]
fn each_documented_rule_broken_warns_and_exits_0() {
    let cases: &[(&str, &[&str], &str, &str)] = &[
        (
            "exp_over_180_seconds_warns_the_salesforce_profile",
            &[
                "--profile",
                "salesforce",
                "--iss",
                CONSUMER_KEY,
                "--sub",
                "user@example.com",
                "--exp-seconds",
                "300",
            ],
            "salesforce.lifetime",
            "300 s",
        ),
        (
            "google_self_signed_with_sub_other_than_iss_warns",
            &[
                "--profile",
                "google-self-signed",
                "--aud",
                "https://pubsub.googleapis.com/",
                "--sub",
                "user@example.com",
            ],
            "google.self-signed-sub",
            "user@example.com",
        ),
        (
            "google_self_signed_with_wrong_kid_warns",
            &[
                "--profile",
                "google-self-signed",
                "--aud",
                "https://pubsub.googleapis.com/",
                "--kid",
                "org2",
            ],
            "google.self-signed-kid",
            "kid is \"org2\"",
        ),
    ];
    for (name, args, id, cause) in cases {
        let sb = Sandbox::new();
        eprintln!("case: {name}");
        expect_rule_warning(&sb, &json_key(), args, id, cause);
    }
}

// ---- valid assertions, and their independent verification ----

#[test]
fn google_profile_on_p12_exits_0_and_prints_the_decoded_claims() {
    let sb = Sandbox::new();
    let scope = "https://www.googleapis.com/auth/cloud-platform";
    let r = verify(
        &sb,
        &p12_args(&sb),
        &["--profile", "google", "--scope", scope],
    );
    r.ok();
    let out = &r.stdout;
    assert!(out.contains("Claims:"), "{out}");
    assert!(out.contains(&format!("\"scope\": \"{scope}\"")), "{out}");
    assert!(
        out.contains(&format!("\"iss\": \"{}\"", google_client_email())),
        "{out}"
    );
    assert!(
        out.contains(&format!("\"aud\": \"{GOOGLE_TOKEN_URI}\"")),
        "{out}"
    );
    assert!(
        out.contains("\"iat\":") && out.contains("\"exp\":"),
        "{out}"
    );
    assert!(
        out.contains(&format!("\"kid\":\"{}\"", google_private_key_id())),
        "{out}"
    );
    assert!(!out.contains("FAIL"), "{out}");
}

#[test]
fn google_profile_on_json_key_exits_0_and_prints_the_decoded_claims() {
    let sb = Sandbox::new();
    let r = verify(&sb, &json_key(), &["--profile", "google", "--scope", "S"]);
    r.ok();
    let out = &r.stdout;
    assert!(out.contains("Claims:"), "{out}");
    assert!(out.contains("\"scope\": \"S\""), "{out}");
    assert!(
        out.contains(&format!("\"iss\": \"{}\"", google_client_email())),
        "{out}"
    );
    assert!(!out.contains("FAIL"), "{out}");
}

#[test]
fn google_token_from_p12_verifies_with_jsonwebtoken_and_openssl_dgst() {
    let sb = Sandbox::new();
    let r = verify(
        &sb,
        &p12_args(&sb),
        &["--profile", "google", "--scope", "S1 S2", "--print-token"],
    );
    r.ok();
    let token = printed_token(&r);
    let email = google_client_email();
    let claims = assert_independently_verified(
        &sb,
        &token,
        &td("google-sample.crt.pem"),
        "RS256",
        Some(GOOGLE_TOKEN_URI),
        Some(&email),
    );
    assert_eq!(claims["scope"], "S1 S2");
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        3600
    );
    let (header, _) = decode_parts(&token);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(s(&header, "kid"), google_private_key_id());
    // The independent verifiers do refuse it with another key.
    let other = td("other-2048.crt.pem");
    assert!(!openssl_dgst_verifies(&sb, &token, &other, "RS256"));
    assert!(!jsonwebtoken_signature_ok(&sb, &token, &other, "RS256"));
}

#[test]
fn google_token_from_json_key_verifies_with_jsonwebtoken_and_openssl_dgst() {
    let sb = Sandbox::new();
    let r = verify(
        &sb,
        &json_key(),
        &["--profile", "google", "--scope", "S", "--print-token"],
    );
    r.ok();
    let token = printed_token(&r);
    let email = google_client_email();
    let claims = assert_independently_verified(
        &sb,
        &token,
        &td("google-sample.crt.pem"),
        "RS256",
        Some(GOOGLE_TOKEN_URI),
        Some(&email),
    );
    assert_eq!(claims["scope"], "S");
}

#[test]
fn salesforce_profile_valid_claims_exit_0_and_verify_independently() {
    let sb = Sandbox::new();
    let report = selfsign(&sb, "org2", &["--jks", "--generate-password"]).json();
    let pwf = sb.secret("jks.pw", s(&report, "generated_password"));
    let input = vec![sb.p("org2.jks"), "--password-file".into(), pwf];
    let r = verify(
        &sb,
        &input,
        &[
            "--profile",
            "salesforce",
            "--iss",
            CONSUMER_KEY,
            "--sub",
            "user@example.com",
            "--print-token",
        ],
    );
    r.ok();
    let token = printed_token(&r);
    let claims = assert_independently_verified(
        &sb,
        &token,
        &sb.p("org2.crt"),
        "RS256",
        Some(SALESFORCE_LOGIN),
        Some(CONSUMER_KEY),
    );
    assert_eq!(claims["sub"], "user@example.com");
    let life = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
    assert!(life > 0 && life <= 180, "exp - iat = {life}");
    let (header, _) = decode_parts(&token);
    let modulus = openssl_modulus(&sb, &sb.p("org2.crt"));
    assert_eq!(
        header["kid"],
        rfc7638_thumbprint(&sb, &modulus, &[1, 0, 1], "vkid").as_str(),
        "the kid is the key's thumbprint, not the keystore alias"
    );
}

#[test]
fn salesforce_profile_with_rs512_exits_0_with_a_warning_and_verifies_as_rs512() {
    let sb = Sandbox::new();
    let args = [
        "--profile",
        "salesforce",
        "--iss",
        CONSUMER_KEY,
        "--sub",
        "user@example.com",
        "--alg",
        "RS512",
    ];
    let mut json_args = args.to_vec();
    json_args.push("--json");
    let r = verify(&sb, &json_key(), &json_args);
    r.ok();
    let report = r.json();
    assert_eq!(status(&report, "salesforce.alg"), "warn");
    assert!(failing(&report).is_empty(), "{report:#}");

    let mut tok_args = args.to_vec();
    tok_args.push("--print-token");
    let r = verify(&sb, &json_key(), &tok_args);
    r.ok();
    let token = printed_token(&r);
    let (header, _) = decode_parts(&token);
    assert_eq!(header["alg"], "RS512");
    assert_independently_verified(
        &sb,
        &token,
        &td("google-sample.crt.pem"),
        "RS512",
        Some(SALESFORCE_LOGIN),
        Some(CONSUMER_KEY),
    );
    // Not an RS256 signature: the RS256 verifiers refuse it.
    assert!(!openssl_dgst_verifies(
        &sb,
        &token,
        &td("google-sample.crt.pem"),
        "RS256"
    ));
    assert!(!jsonwebtoken_signature_ok(
        &sb,
        &token,
        &td("google-sample.crt.pem"),
        "RS256"
    ));
}

#[test]
fn generic_token_with_extra_claims_verifies_independently() {
    let sb = Sandbox::new();
    let r = verify(
        &sb,
        &json_key(),
        &[
            "--iss",
            "me",
            "--sub",
            "you",
            "--aud",
            "https://example.com/token",
            "--claim",
            "n=42",
            "--claim",
            "txt=hello",
            "--kid",
            "my-kid",
            "--print-token",
        ],
    );
    r.ok();
    let token = printed_token(&r);
    let claims = assert_independently_verified(
        &sb,
        &token,
        &td("google-sample.crt.pem"),
        "RS256",
        Some("https://example.com/token"),
        Some("me"),
    );
    assert_eq!(claims["n"], 42, "JSON values stay JSON");
    assert_eq!(claims["txt"], "hello");
    assert_eq!(decode_parts(&token).0["kid"], "my-kid");
}

#[test]
fn print_token_of_a_failing_assertion_still_prints_only_the_token_and_exits_1() {
    let sb = Sandbox::new();
    let r = verify(&sb, &json_key(), &["--profile", "google", "--print-token"]);
    r.code_is(1);
    let token = printed_token(&r);
    assert!(r.stderr.contains("scope"), "{}", r.stderr);
    // It is still a correctly signed token.
    assert!(openssl_dgst_verifies(
        &sb,
        &token,
        &td("google-sample.crt.pem"),
        "RS256"
    ));
}

// ---- tokens made elsewhere ----

#[test]
fn token_signed_by_jsonwebtoken_passes_certkit_verify_with_its_certificate() {
    let sb = Sandbox::new();
    let token = jsonwebtoken_sign(
        &sb,
        &td("google-sample.key.pem"),
        "RS256",
        None,
        &google_claims(
            &google_client_email(),
            "https://www.googleapis.com/auth/cloud-platform",
        ),
    );
    let r = sb.certkit(&[
        "verify",
        "--token-file",
        &sb.token_file(&token),
        "--cert",
        &td("google-sample.crt.pem"),
        "--profile",
        "google",
        "--json",
    ]);
    r.ok();
    let report = r.json();
    assert_eq!(status(&report, "jwt.signature"), "pass");
    assert_eq!(report["claims"]["iss"], google_client_email().as_str());
}

#[test]
fn token_signed_by_jsonwebtoken_fails_certkit_verify_with_another_certificate() {
    let sb = Sandbox::new();
    let token = jsonwebtoken_sign(
        &sb,
        &td("google-sample.key.pem"),
        "RS256",
        None,
        &google_claims(&google_client_email(), "S"),
    );
    let r = sb.certkit(&[
        "verify",
        "--token-file",
        &sb.token_file(&token),
        "--cert",
        &td("other-2048.crt.pem"),
        "--profile",
        "google",
        "--json",
    ]);
    r.code_is(1);
    let report = r.json();
    assert_eq!(failing(&report), ["jwt.signature"]);
    assert!(s(check(&report, "jwt.signature"), "detail").contains("not a pair"));
}

#[test]
fn rs512_token_signed_by_jsonwebtoken_passes_certkit_verify() {
    let sb = Sandbox::new();
    let now = jsonwebtoken::get_current_timestamp();
    let claims = serde_json::json!({
        "iss": CONSUMER_KEY, "sub": "user@example.com", "aud": SALESFORCE_LOGIN,
        "iat": now, "exp": now + 120,
    });
    let token = jsonwebtoken_sign(&sb, &td("google-sample.key.pem"), "RS512", None, &claims);
    let r = sb.certkit(&[
        "verify",
        "--token-file",
        &sb.token_file(&token),
        "--cert",
        &td("google-sample.crt.pem"),
        "--profile",
        "salesforce",
        "--json",
    ]);
    r.ok();
    assert_eq!(status(&r.json(), "jwt.signature"), "pass");
}

#[test]
fn token_with_a_tampered_payload_fails_the_signature() {
    let sb = Sandbox::new();
    let token = jsonwebtoken_sign(
        &sb,
        &td("google-sample.key.pem"),
        "RS256",
        None,
        &google_claims(&google_client_email(), "S"),
    );
    let (h, _, sig) = split_token(&token);
    let forged = google_claims(
        &google_client_email(),
        "https://www.googleapis.com/auth/admin",
    );
    let forged = format!(
        "{h}.{}.{sig}",
        b64url(&serde_json::to_vec(&forged).unwrap())
    );
    let r = sb.certkit(&[
        "verify",
        "--token-file",
        &sb.token_file(&forged),
        "--cert",
        &td("google-sample.crt.pem"),
        "--profile",
        "google",
        "--json",
    ]);
    r.code_is(1);
    assert_eq!(status(&r.json(), "jwt.signature"), "fail");
}

#[test]
fn token_checked_against_google_x509_metadata_verifies_with_the_published_key() {
    let sb = Sandbox::new();
    let token = jsonwebtoken_sign(
        &sb,
        &td("google-sample.key.pem"),
        "RS256",
        Some(&google_private_key_id()),
        &google_claims(&google_client_email(), "S"),
    );
    let r = sb.certkit(&[
        "verify",
        "--token-file",
        &sb.token_file(&token),
        "--cert",
        &td("google-sample.x509-metadata.json"),
        "--profile",
        "google",
        "--json",
    ]);
    r.ok();
    let report = r.json();
    let sig = check(&report, "jwt.signature");
    assert_eq!(sig["status"], "pass");
    assert!(s(sig, "detail").contains(&google_private_key_id()), "{sig}");
}

// ---- each broken rule fails with its cause named ----

#[test]
fn wrong_certificate_fails_the_signature_check_naming_the_pair() {
    let sb = Sandbox::new();
    let report = expect_rule_failure(
        &sb,
        &p12_args(&sb),
        &[
            "--profile",
            "google",
            "--scope",
            "S",
            "--cert",
            &td("other-2048.crt.pem"),
        ],
        "jwt.signature",
        "not a pair",
    );
    assert!(s(check(&report, "jwt.signature"), "detail").contains("CN=unrelated test"));
}

#[test]
fn missing_scope_fails_the_google_profile_with_the_body_claim_fix() {
    let sb = Sandbox::new();
    let report = expect_rule_failure(
        &sb,
        &json_key(),
        &["--profile", "google"],
        "google.scope",
        "no scope claim",
    );
    let fix = s(check(&report, "google.scope"), "fix");
    assert!(fix.contains("JWT Body Claim named scope"), "{fix}");
    assert!(fix.contains("form parameter"), "{fix}");
}

#[test]
fn rs512_fails_the_google_profile() {
    let sb = Sandbox::new();
    let report = expect_rule_failure(
        &sb,
        &json_key(),
        &["--profile", "google", "--scope", "S", "--alg", "RS512"],
        "google.alg",
        "RS512",
    );
    assert!(s(check(&report, "google.alg"), "fix").contains("RS256"));
}

#[test]
fn wrong_kid_is_a_warning_for_the_google_token_exchange() {
    let sb = Sandbox::new();
    let r = verify(
        &sb,
        &json_key(),
        &[
            "--profile",
            "google",
            "--scope",
            "S",
            "--kid",
            "org2",
            "--json",
        ],
    );
    r.ok();
    let report = r.json();
    assert_eq!(status(&report, "google.kid"), "warn");
    assert!(s(check(&report, "google.kid"), "fix").contains(&google_private_key_id()));
}

#[test]
fn google_self_signed_with_aud_only_exits_0_and_verifies_independently() {
    let sb = Sandbox::new();
    let aud = "https://pubsub.googleapis.com/";
    let r = verify(
        &sb,
        &json_key(),
        &[
            "--profile",
            "google-self-signed",
            "--aud",
            aud,
            "--print-token",
        ],
    );
    r.ok();
    let token = printed_token(&r);
    let email = google_client_email();
    let claims = assert_independently_verified(
        &sb,
        &token,
        &td("google-sample.crt.pem"),
        "RS256",
        Some(aud),
        Some(&email),
    );
    assert_eq!(claims["sub"], email.as_str());
}

#[test]
fn key_bundled_with_another_certificate_in_one_pem_fails_verify() {
    let sb = Sandbox::new();
    let mixed = concat(
        &sb,
        "mixed.pem",
        &[&td("google-sample.key.pem"), &td("other-2048.crt.pem")],
    );
    let r = verify(&sb, &[mixed], &["--json"]);
    r.code_is(1);
    assert_eq!(status(&r.json(), "jwt.signature"), "fail");
}

#[test]
fn key_bundled_with_its_certificate_in_one_pem_verifies_with_that_certificate() {
    let sb = Sandbox::new();
    let both = concat(
        &sb,
        "both.pem",
        &[&td("google-sample.key.pem"), &td("google-sample.crt.pem")],
    );
    let r = verify(&sb, &[both], &["--json"]);
    r.ok();
    let report = r.json();
    let sig = check(&report, "jwt.signature");
    assert_eq!(sig["status"], "pass");
    assert!(s(sig, "detail").contains(&google_private_key_id()), "{sig}");
}

#[test]
fn expired_certificate_fails_verify_naming_the_expiry() {
    let sb = Sandbox::new();
    let key = td("google-sample.key.pem");
    let crt = openssl_cert_with_dates(
        &sb,
        &key,
        "expired test",
        "20190101000000Z",
        "20200101000000Z",
        "exp",
    );
    let both = concat(&sb, "expired.pem", &[&key, &crt]);
    let r = verify(&sb, &[both], &["--json"]);
    r.code_is(1);
    let report = r.json();
    assert_eq!(failing(&report), ["certificate.validity"]);
    assert!(s(check(&report, "certificate.validity"), "detail").contains("expired on 2020-01-01"));
}
