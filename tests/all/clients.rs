//! certkit judged against the clients people use: the assertions that `sf org login jwt`,
//! `@salesforce/core`, simple-salesforce, google-auth and google-auth-library really send
//! (recorded by `scripts/record-clients.sh` into `testdata/clients/`) must be accepted by the
//! matching profile at the instant they were sent: these clients log in every day, so a rule
//! that refuses them is stricter than the endpoint. Then the false refusals one by one, with
//! tokens made here the way those clients make them, and the rules' levels.

use std::collections::BTreeSet;

use crate::common::{s, td, testdata, Sandbox};
use crate::support_jwt::*;
use serde_json::{json, Value};

/// Every recording in `testdata/clients/`: its file name and its JSON.
fn recordings() -> Vec<(String, Value)> {
    let dir = testdata("clients");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| {
            let v: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
            v.get("assertion")?;
            Some((p.file_name().unwrap().to_string_lossy().into_owned(), v))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// `certkit verify --token-file TOKEN --cert CERT --profile PROFILE --json` (+ extra).
fn verify_token(sb: &Sandbox, token: &str, cert: &str, profile: &str, extra: &[&str]) -> Value {
    let (r, _) = verify_token_run(sb, token, cert, profile, extra, true);
    r
}

fn verify_token_run(
    sb: &Sandbox,
    token: &str,
    cert: &str,
    profile: &str,
    extra: &[&str],
    json: bool,
) -> (Value, crate::common::Run) {
    std::fs::write(sb.path("token.jwt"), token).unwrap();
    let mut args = vec![
        "verify",
        "--token-file",
        "token.jwt",
        "--cert",
        cert,
        "--profile",
        profile,
    ];
    args.extend_from_slice(extra);
    if json {
        args.push("--json");
    }
    let r = sb.certkit(&args);
    let v = if json { r.json() } else { Value::Null };
    (v, r)
}

#[test]
fn every_recorded_client_assertion_is_accepted_by_its_profile() {
    let recs = recordings();
    let clients: BTreeSet<&str> = recs.iter().map(|(_, v)| s(v, "client")).collect();
    // The clients the issue names are all there.
    for want in [
        "sf org login jwt",
        "simple-salesforce",
        "@salesforce/core",
        "google-auth service_account",
        "google-auth-library",
    ] {
        assert!(
            clients.iter().any(|c| c.starts_with(want)),
            "no recording of {want}: {clients:?}"
        );
    }
    for (file, rec) in &recs {
        let sb = Sandbox::new();
        let at = rec["recorded_at"]
            .as_i64()
            .expect("recorded_at")
            .to_string();
        let cert = td(&format!("clients/{}", s(rec, "cert")));
        let profile = s(rec, "profile");
        let (report, r) = verify_token_run(
            &sb,
            s(rec, "assertion"),
            &cert,
            profile,
            &["--at", &at],
            true,
        );
        assert_eq!(r.code, 0, "{file}: {}\n{}", s(rec, "client"), r.stdout);
        assert_eq!(report["ok"], true, "{file}");
        assert!(failing(&report).is_empty(), "{file}: {report}");
        assert_eq!(
            report["claims"], rec["claims"],
            "{file}: decoded as recorded"
        );
        assert_eq!(status(&report, "jwt.signature"), "pass", "{file}");
        assert_eq!(status(&report, "jwt.time"), "pass", "{file}: at {at}");
        // Every check says what it rests on.
        for c in report["checks"].as_array().unwrap() {
            assert!(
                ["enforced", "documented", "advice"].contains(&s(c, "evidence")),
                "{file}: {c}"
            );
            assert!(!s(c, "source").is_empty(), "{file}: {c}");
        }
        // The text report says why it is accepted, never that it will be refused.
        let (_, text) = verify_token_run(
            &sb,
            s(rec, "assertion"),
            &cert,
            profile,
            &["--at", &at],
            false,
        );
        text.ok();
        assert!(
            !text.stdout.contains("will refuse"),
            "{file}: {}",
            text.stdout
        );
    }
}

#[test]
fn sf_org_login_jwt_recordings_carry_a_millisecond_exp_and_are_told_so() {
    let recs = recordings();
    let sf: Vec<_> = recs
        .iter()
        .filter(|(_, v)| s(v, "client") == "sf org login jwt")
        .collect();
    assert!(!sf.is_empty());
    for (file, rec) in sf {
        let sb = Sandbox::new();
        assert!(
            rec["claims"]["exp"].as_i64().unwrap() > 100_000_000_000,
            "{file}"
        );
        let report = verify_token(
            &sb,
            s(rec, "assertion"),
            &td(&format!("clients/{}", s(rec, "cert"))),
            "salesforce",
            &["--at", &rec["recorded_at"].to_string()],
        );
        let life = check(&report, "salesforce.lifetime");
        assert_eq!(life["status"], "warn", "{life}");
        assert_eq!(life["evidence"], "documented", "{life}");
        assert!(
            s(life, "detail").contains("exp looks like milliseconds; Salesforce accepts it"),
            "{life}"
        );
    }
}

/// A key and its certificate made by certkit selfsign, as the org-to-org runbook does: their
/// paths.
fn org2(sb: &Sandbox) -> (String, String) {
    selfsign(sb, "org2", &[]);
    (sb.p("org2.key"), sb.p("org2.crt"))
}

fn now() -> i64 {
    jsonwebtoken::get_current_timestamp() as i64
}

/// What `sf org login jwt` sends (reference: @salesforce/core): header {alg, typ}, iat in
/// seconds, exp = Date.now() + 300 in milliseconds. Refused with "exp - iat =
/// 1794773142076 s" before.
#[test]
fn a_millisecond_exp_as_sf_org_login_jwt_sends_is_accepted_with_a_warning() {
    let sb = Sandbox::new();
    let (key, cert) = org2(&sb);
    let claims = json!({
        "iss": CONSUMER_KEY,
        "sub": "integration.user@example.com",
        "aud": SALESFORCE_LOGIN,
        "iat": now(),
        "exp": now() * 1000 + 300,
    });
    let token = jsonwebtoken_sign(&sb, &key, "RS256", None, &claims);
    let (report, r) = verify_token_run(&sb, &token, &cert, "salesforce", &[], true);
    r.ok();
    assert!(failing(&report).is_empty(), "{report}");
    assert_eq!(status(&report, "salesforce.lifetime"), "warn");
    assert_eq!(status(&report, "jwt.time"), "pass");
    let dates = check(&report, "jwt.numeric-date");
    assert_eq!(dates["status"], "warn");
    assert!(s(dates, "detail").contains("milliseconds"), "{dates}");
    let (_, text) = verify_token_run(&sb, &token, &cert, "salesforce", &[], false);
    text.ok();
    assert!(!text.stdout.contains("will refuse"), "{}", text.stdout);
    assert!(
        text.stdout
            .contains("No rule the token endpoint enforces is broken"),
        "{}",
        text.stdout
    );
}

/// What simple-salesforce sends: no iat, no nbf, exp a JSON string of seconds, 179 s ahead.
#[test]
fn a_string_exp_without_iat_as_simple_salesforce_sends_is_accepted() {
    let sb = Sandbox::new();
    let (key, cert) = org2(&sb);
    let claims = json!({
        "iss": CONSUMER_KEY,
        "sub": "integration.user@example.com",
        "aud": "https://test.salesforce.com",
        "exp": (now() + 179).to_string(),
    });
    let token = jsonwebtoken_sign(&sb, &key, "RS256", None, &claims);
    let (report, r) = verify_token_run(&sb, &token, &cert, "salesforce", &[], true);
    r.ok();
    assert!(failing(&report).is_empty(), "{report}");
    assert_eq!(status(&report, "jwt.time"), "pass");
    assert_eq!(status(&report, "salesforce.lifetime"), "pass");
    let dates = check(&report, "jwt.numeric-date");
    assert_eq!(dates["status"], "warn");
    assert!(s(dates, "detail").contains("simple-salesforce"), "{dates}");
    // The string is still read as the time: past, it fails.
    let claims = json!({
        "iss": CONSUMER_KEY,
        "sub": "integration.user@example.com",
        "aud": "https://test.salesforce.com",
        "exp": (now() - 10).to_string(),
    });
    let token = jsonwebtoken_sign(&sb, &key, "RS256", None, &claims);
    let (report, r) = verify_token_run(&sb, &token, &cert, "salesforce", &[], true);
    r.code_is(1);
    assert_eq!(failing(&report), ["jwt.time"], "{report}");
}

/// An exp one hour after iat works with Salesforce (reported by users); Salesforce
/// documents 3 minutes: a warning, exit 0.
#[test]
fn a_one_hour_salesforce_assertion_warns_and_is_not_refused() {
    let sb = Sandbox::new();
    let (key, cert) = org2(&sb);
    let claims = json!({
        "iss": CONSUMER_KEY,
        "sub": "integration.user@example.com",
        "aud": SALESFORCE_LOGIN,
        "iat": now(),
        "exp": now() + 3600,
    });
    let token = jsonwebtoken_sign(&sb, &key, "RS256", None, &claims);
    let (report, r) = verify_token_run(&sb, &token, &cert, "salesforce", &[], true);
    r.ok();
    let life = check(&report, "salesforce.lifetime");
    assert_eq!(life["status"], "warn", "{life}");
    assert!(s(life, "detail").contains("3600 s"), "{life}");
}

/// Google refuses a token without iat ("Invalid JWT: iat (issued at) is not set."), and one
/// living longer than an hour: enforced, exit 1.
#[test]
fn google_refuses_a_missing_iat_and_a_long_lifetime() {
    let sb = Sandbox::new();
    let (key, cert) = org2(&sb);
    let mut claims = google_claims(
        "sa@p.iam.gserviceaccount.com",
        "https://www.googleapis.com/auth/bigquery",
    );
    claims.as_object_mut().unwrap().remove("iat");
    let token = jsonwebtoken_sign(&sb, &key, "RS256", None, &claims);
    let (report, r) = verify_token_run(&sb, &token, &cert, "google", &[], true);
    r.code_is(1);
    let iat = check(&report, "google.iat");
    assert_eq!(iat["status"], "fail", "{iat}");
    assert_eq!(iat["evidence"], "enforced");
    assert!(
        s(iat, "detail").contains("iat (issued at) is not set"),
        "{iat}"
    );
    // A millisecond exp is more than an hour for Google, which refuses it.
    let mut claims = google_claims("sa@p.iam.gserviceaccount.com", "S");
    claims["exp"] = json!(now() * 1000);
    let token = jsonwebtoken_sign(&sb, &key, "RS256", None, &claims);
    let (report, r) = verify_token_run(&sb, &token, &cert, "google", &[], true);
    r.code_is(1);
    assert_eq!(failing(&report), ["google.lifetime"], "{report}");
}

/// A key that is not a Google service account's has no Google key id: google.kid never
/// passes for it (it passed with the certificate's SHA-1 before).
#[test]
fn google_kid_is_unknown_for_a_key_that_is_not_googles() {
    let sb = Sandbox::new();
    org2(&sb);
    // The key with its certificate in one file, as a keystore holds them.
    let both = concat(&sb, "org2.pem", &[&sb.p("org2.key"), &sb.p("org2.crt")]);
    let r = sb.certkit(&[
        "verify",
        &both,
        "--profile",
        "google",
        "--iss",
        "sa@p.iam.gserviceaccount.com",
        "--scope",
        "S",
        "--json",
    ]);
    r.ok();
    let report = r.json();
    let kid = check(&report, "google.kid");
    assert_eq!(kid["status"], "warn", "{kid}");
    assert!(s(kid, "detail").contains("unknown"), "{kid}");
}

/// The README's own placeholder consumer key does not pass salesforce.iss.
#[test]
fn a_placeholder_consumer_key_is_not_a_consumer_key() {
    let sb = Sandbox::new();
    org2(&sb);
    for placeholder in ["3MVG9...consumer-key", "CONSUMER_KEY", "3MVG9..."] {
        let r = sb.certkit(&[
            "verify",
            "org2.key",
            "--cert",
            "org2.crt",
            "--profile",
            "salesforce",
            "--iss",
            placeholder,
            "--sub",
            "integration.user@example.com",
            "--json",
        ]);
        r.ok();
        let iss = check(&r.json(), "salesforce.iss").clone();
        assert_eq!(iss["status"], "warn", "{placeholder}: {iss}");
        assert!(s(&iss, "detail").contains("placeholder"), "{iss}");
    }
}

/// The third-party runbook's command, as the README prints it, accepts a valid third-party
/// assertion (its audience is the third party's token URL).
#[test]
fn the_third_party_runbook_command_accepts_a_third_party_assertion() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("## Runbook: any third party")
        .nth(1)
        .and_then(|r| r.split("\n## ").next())
        .expect("README has the third-party runbook");
    let command = section
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("certkit verify --token-file"))
        .or_else(|| {
            section
                .split('`')
                .find(|w| w.starts_with("certkit verify --token-file"))
        })
        .expect("the runbook checks a token with certkit verify --token-file")
        .to_string();
    let sb = Sandbox::new();
    let (key, _) = org2(&sb);
    let claims = json!({
        "iss": "salesforce-org2",
        "sub": "integration.user@example.com",
        "aud": "https://auth.example.com/oauth2/token",
        "iat": now(),
        "nbf": now(),
        "exp": now() + 120,
    });
    let token = jsonwebtoken_sign(&sb, &key, "RS256", None, &claims);
    std::fs::write(sb.path("token.jwt"), &token).unwrap();
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(words[0], "certkit");
    let args: Vec<&str> = words[1..]
        .iter()
        .map(|w| if *w == "-" { "token.jwt" } else { w })
        .collect();
    let r = sb.certkit(&args);
    assert_eq!(r.code, 0, "{command}:\n{}", r.stdout);
}

/// preflight --external-credential: one value, one verdict, whether it is read from the XML
/// or from the assertion the credential sends (a Google `iss` that is not a service account
/// was a WARN in one and a FAIL in the other; so was the older token URL as `aud`, and a
/// kid other than the key id).
#[test]
fn the_external_credential_and_its_assertion_agree_on_every_shared_value() {
    let sb = Sandbox::new();
    sb.certkit(&[
        "metadata",
        &td("google-sample.json"),
        "--profile",
        "google",
        "--scope",
        "https://www.googleapis.com/auth/bigquery",
        "--name",
        "Google_BQ",
        "-o",
        "sfdx",
    ])
    .ok();
    let ec = std::fs::read_to_string(sb.path(
        "sfdx/force-app/main/default/externalCredentials/Google_BQ.externalCredential-meta.xml",
    ))
    .unwrap();
    let email = google_client_email();
    let cases: [(&str, String, String, &str, &str); 3] = [
        (
            "iss not a service account",
            format!("<parameterValue>{email}</parameterValue>"),
            "<parameterValue>ops@example.com</parameterValue>".to_string(),
            "google.iss",
            "ec.iss",
        ),
        (
            "the older token URL as aud",
            "<parameterType>JwtBodyClaim</parameterType>\n        <parameterValue>https://oauth2.googleapis.com/token".to_string(),
            "<parameterType>JwtBodyClaim</parameterType>\n        <parameterValue>https://accounts.google.com/o/oauth2/token".to_string(),
            "google.aud",
            "ec.aud",
        ),
        (
            "exp of two hours",
            "86400 + 3600))}".to_string(),
            "86400 + 7200))}".to_string(),
            "google.lifetime",
            "ec.exp",
        ),
    ];
    // A key that is not the service account's own: its e-mail and key id are unknown, so
    // the issuer is judged by its form alone.
    org2(&sb);
    for (what, from, to, assertion_rule, xml_rule) in cases {
        assert!(ec.contains(&from), "{what}: {from}");
        std::fs::write(sb.path("ec.xml"), ec.replace(&from, &to)).unwrap();
        let r = sb.certkit(&[
            "preflight",
            "org2.key",
            "--cert",
            "org2.crt",
            "--target",
            "google",
            "--external-credential",
            "ec.xml",
            "--cert-name",
            "certkit_sample",
            "--json",
        ]);
        let v = r.json();
        let a = status(&v, assertion_rule);
        let x = status(&v, xml_rule);
        assert_ne!(a, "pass", "{what}: {v}");
        assert_eq!(
            a, x,
            "{what}: {assertion_rule} is {a}, {xml_rule} is {x}: {v}"
        );
        assert_eq!(
            check(&v, assertion_rule)["evidence"],
            check(&v, xml_rule)["evidence"],
            "{what}"
        );
        assert_eq!(r.code, if a == "fail" { 1 } else { 0 }, "{what}: {v}");
    }
    // kid other than the Google key id: a warning in both (Google documents kid, and
    // tries the account's keys).
    let kid = google_private_key_id();
    std::fs::write(
        sb.path("ec.xml"),
        ec.replace(
            &format!("<parameterValue>{kid}</parameterValue>"),
            "<parameterValue>other</parameterValue>",
        ),
    )
    .unwrap();
    let r = sb.certkit(&[
        "preflight",
        &td("google-sample.json"),
        "--target",
        "google",
        "--external-credential",
        "ec.xml",
        "--cert-name",
        "certkit_sample",
        "--json",
    ]);
    let v = r.json();
    assert_eq!(status(&v, "google.kid"), "warn", "{v}");
    assert_eq!(status(&v, "ec.kid"), "warn", "{v}");
}

/// `--at`: the time rules as of that instant, RFC 3339 or seconds; a bad value is a usage
/// error.
#[test]
fn verify_at_judges_the_time_window_at_that_instant() {
    let sb = Sandbox::new();
    let (key, cert) = org2(&sb);
    let t = now();
    let claims = json!({
        "iss": CONSUMER_KEY,
        "sub": "integration.user@example.com",
        "aud": SALESFORCE_LOGIN,
        "iat": t,
        "exp": t + 120,
    });
    let token = jsonwebtoken_sign(&sb, &key, "RS256", None, &claims);
    let later = (t + 600).to_string();
    let (report, r) = verify_token_run(&sb, &token, &cert, "salesforce", &["--at", &later], true);
    r.code_is(1);
    assert_eq!(failing(&report), ["jwt.time"], "{report}");
    assert_eq!(report["at"], t + 600);
    let (_, r) = verify_token_run(
        &sb,
        &token,
        &cert,
        "salesforce",
        &["--at", &(t + 60).to_string()],
        true,
    );
    r.ok();
    // Before it was issued (beyond the skew).
    let (report, r) = verify_token_run(
        &sb,
        &token,
        &cert,
        "salesforce",
        &["--at", &(t - 600).to_string()],
        true,
    );
    r.code_is(1);
    assert!(
        s(check(&report, "jwt.time"), "detail").contains("in the future"),
        "{report}"
    );
    // RFC 3339, years ahead: the token and the certificate have expired.
    let (report, r) = verify_token_run(
        &sb,
        &token,
        &cert,
        "salesforce",
        &["--at", "2099-01-01T00:00:00Z"],
        true,
    );
    r.code_is(1);
    assert_eq!(status(&report, "certificate.validity"), "fail", "{report}");
    let validity = check(&report, "certificate.validity");
    assert!(s(validity, "fix").contains("certkit renew"), "{validity}");
    for bad in ["yesterday", "2026-13-01T00:00:00Z", "99999999999999"] {
        let (_, r) = verify_token_run(&sb, &token, &cert, "salesforce", &["--at", bad], false);
        r.code_is(2);
        assert!(r.stderr.contains("--at"), "{bad}: {}", r.stderr);
    }
}

/// An expired certificate whose key is at hand is renewed with the same key (`certkit renew`),
/// not replaced by a new key (`selfsign`), which would mean a new upload everywhere.
#[test]
fn an_expired_certificate_with_its_key_at_hand_is_fixed_with_renew() {
    let sb = Sandbox::new();
    let (key, _) = org2(&sb);
    let expired = openssl_cert_with_dates(
        &sb,
        &key,
        "org2",
        &openssl_date_in_days(-400),
        &openssl_date_in_days(-35),
        "expired",
    );
    let both = concat(&sb, "expired.pem", &[&key, &expired]);
    let r = sb.certkit(&[
        "verify",
        &both,
        "--profile",
        "salesforce",
        "--iss",
        CONSUMER_KEY,
        "--sub",
        "integration.user@example.com",
        "--json",
    ]);
    r.code_is(1);
    let report = r.json();
    let validity = check(&report, "certificate.validity");
    assert_eq!(validity["status"], "fail", "{validity}");
    assert!(s(validity, "fix").contains("certkit renew"), "{validity}");
    assert!(!s(validity, "fix").contains("selfsign"), "{validity}");
}

/// Rule details are written for people: no Rust `Some("x")` / `None` in them.
#[test]
fn no_check_detail_shows_rust_debug_formatting() {
    let sb = Sandbox::new();
    let key = td("google-sample.json");
    // Each run with its exit code: 0 when no check fails (a warning included), 1 when one
    // does (salesforce: no --iss/--sub; google: no --scope).
    for (args, code) in [
        (
            vec![
                "--profile",
                "google-self-signed",
                "--aud",
                "https://pubsub.googleapis.com/",
                "--sub",
                "user@example.com",
            ],
            0,
        ),
        (
            vec![
                "--profile",
                "google-self-signed",
                "--aud",
                "https://pubsub.googleapis.com/",
                "--claim",
                "sub=null",
            ],
            0,
        ),
        (vec!["--profile", "salesforce"], 1),
        (vec!["--profile", "google"], 1),
    ] {
        let mut all = vec!["verify", key.as_str()];
        all.extend(args.iter().copied());
        all.push("--json");
        let r = sb.certkit(&all);
        assert_eq!(r.code, code, "{args:?}: {}", r.stderr);
        for c in r.json()["checks"].as_array().unwrap() {
            let d = s(c, "detail");
            assert!(!d.contains("Some(") && !d.contains("None"), "{args:?}: {c}");
        }
    }
}

/// A Google token checked with the service account's certificate alone: that certificate's
/// SHA-1 is the Google key id, so google-auth's kid (the private_key_id) passes, and
/// google-auth-library's assertion, which has no kid, is told so.
#[test]
fn google_recordings_kid_is_compared_with_the_certificates_key_id() {
    let recs = recordings();
    let google: Vec<_> = recs
        .iter()
        .filter(|(_, v)| s(v, "profile") == "google")
        .collect();
    assert!(google.len() >= 3);
    for (file, rec) in google {
        let sb = Sandbox::new();
        let report = verify_token(
            &sb,
            s(rec, "assertion"),
            &td(&format!("clients/{}", s(rec, "cert"))),
            "google",
            &["--at", &rec["recorded_at"].to_string()],
        );
        let kid = check(&report, "google.kid");
        match rec["header"]["kid"].as_str() {
            Some(k) => {
                assert_eq!(kid["status"], "pass", "{file}: {kid}");
                assert_eq!(s(kid, "detail"), k, "{file}");
            }
            None => {
                assert_eq!(kid["status"], "warn", "{file}: {kid}");
                assert!(s(kid, "detail").starts_with("no kid"), "{file}: {kid}");
            }
        }
    }
}

/// What `certkit exchange` sends to Google, captured by the same recording endpoint as
/// google-auth (same key, scope and token URL: `scripts/record-clients.sh`), is google-auth's
/// request but for the differences the README's table names: `sub` (the External Credential
/// sets it to the client email, as the runbook does) and `nbf` (the External Credential adds
/// it). Same header, same form, same lifetime.
#[test]
fn certkit_exchange_sends_what_google_auth_sends_but_the_documented_differences() {
    let load = |f: &str| -> Value {
        serde_json::from_slice(&std::fs::read(testdata(&format!("clients/{f}"))).unwrap()).unwrap()
    };
    let ours = load("certkit-exchange-google.json");
    let theirs = load("google-auth-service-account.json");
    assert_eq!(ours["header"], theirs["header"], "the JWT header");
    assert_eq!(
        ours["form"], theirs["form"],
        "the form fields besides the assertion"
    );
    assert_eq!(ours["token_url"], theirs["token_url"]);
    let keys = |v: &Value| -> BTreeSet<String> {
        v["claims"].as_object().unwrap().keys().cloned().collect()
    };
    let extra: Vec<String> = keys(&ours).difference(&keys(&theirs)).cloned().collect();
    let missing: Vec<String> = keys(&theirs).difference(&keys(&ours)).cloned().collect();
    assert_eq!(extra, ["nbf", "sub"], "claims only certkit sends");
    assert!(
        missing.is_empty(),
        "claims only google-auth sends: {missing:?}"
    );
    for c in ["iss", "aud", "scope"] {
        assert_eq!(ours["claims"][c], theirs["claims"][c], "{c}");
    }
    assert_eq!(
        ours["claims"]["sub"], theirs["claims"]["iss"],
        "sub is the client email"
    );
    let life =
        |v: &Value| v["claims"]["exp"].as_i64().unwrap() - v["claims"]["iat"].as_i64().unwrap();
    assert_eq!(life(&ours), life(&theirs), "exp - iat");
}
