//! `certkit preflight` (issue 4): each runbook step passes on a correct setup and fails on
//! a broken one with the cause and the fix named. Fixtures made by keytool and openssl.

use crate::common::{s, td, Run, Sandbox};
use crate::support_jwt::*;
use serde_json::Value;

/// `certkit preflight INPUT --target T --json` with the input password in a file (when given).
fn preflight(
    sb: &Sandbox,
    input: &str,
    target: &str,
    password: Option<&str>,
    extra: &[&str],
) -> Run {
    let mut args = vec!["preflight", input, "--target", target, "--json"];
    let pwf;
    if let Some(pw) = password {
        pwf = sb.secret("in.pw", pw);
        args.extend(["--password-file", pwf.as_str()]);
    }
    args.extend_from_slice(extra);
    sb.certkit(&args)
}

/// Exit 0 and no failing check.
#[track_caller]
fn passes(r: &Run) -> Value {
    r.ok();
    let report = r.json();
    assert_eq!(report["ok"], true, "{report:#}");
    assert!(failing(&report).is_empty(), "{report:#}");
    report
}

/// Exit 1 with the check `id` failing.
#[track_caller]
fn fails_with(r: &Run, id: &str) -> Value {
    r.code_is(1);
    let report = r.json();
    assert_eq!(report["ok"], false);
    assert_eq!(status(&report, id), "fail", "{report:#}");
    report
}

/// A JKS made by `certkit p12-to-jks` from the Google P12 fixture, with password `abcdefg1`.
fn jks_from_p12_to_jks(sb: &Sandbox) -> String {
    let inpw = sb.secret("p12.pw", GOOGLE_P12_PASSWORD);
    let outpw = sb.secret("jks.pw", "abcdefg1");
    sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "--password-file",
        &inpw,
        "--out-password-file",
        &outpw,
        "-o",
        "google.jks",
    ])
    .ok();
    sb.p("google.jks")
}

#[test]
fn salesforce_import_passes_on_a_jks_from_p12_to_jks() {
    let sb = Sandbox::new();
    let jks = jks_from_p12_to_jks(&sb);
    let report = passes(&preflight(
        &sb,
        &jks,
        "salesforce-import",
        Some("abcdefg1"),
        &[],
    ));
    for id in [
        "salesforce.jks",
        "salesforce.key-password",
        "salesforce.one-entry",
        "salesforce.alias",
        "password.policy",
        "salesforce.rsa",
        "salesforce.key-size",
        "salesforce.key-matches-cert",
        "certificate.validity",
        "jwt.signature",
    ] {
        assert_eq!(status(&report, id), "pass", "{id}");
    }
    // Google's own certificates are SHA-1: a warning, not a failure.
    assert_eq!(status(&report, "certificate.signature-algorithm"), "warn");
}

#[test]
fn salesforce_import_fails_on_keytool_default_p12_with_the_p12_to_jks_fix() {
    let sb = Sandbox::new();
    let f = td("keytool-default.p12");
    let report = fails_with(
        &preflight(&sb, &f, "salesforce-import", Some("storepw1"), &[]),
        "salesforce.jks",
    );
    assert_eq!(failing(&report), ["salesforce.jks"]);
    let c = check(&report, "salesforce.jks");
    assert!(s(c, "detail").contains("PKCS#12"), "{c}");
    assert!(s(c, "command").contains("certkit p12-to-jks"), "{c}");
}

#[test]
fn salesforce_import_text_report_names_the_fix_for_keytool_default_p12() {
    let sb = Sandbox::new();
    let pwf = sb.secret("in.pw", "storepw1");
    let r = sb.certkit(&[
        "preflight",
        &td("keytool-default.p12"),
        "--target",
        "salesforce-import",
        "--password-file",
        &pwf,
    ]);
    r.code_is(1);
    assert!(
        r.stdout.contains("Preflight salesforce-import"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("certkit p12-to-jks"), "{}", r.stdout);
    assert!(r.stdout.contains("Not checked from here"), "{}", r.stdout);
    // Regression: the failing rule is listed once, and the count of failures is said once
    // (it used to be printed again on stderr).
    let all = r.all_output();
    assert_eq!(
        r.stdout
            .matches("FAIL  the file is a Java KeyStore")
            .count(),
        1,
        "{all}"
    );
    assert_eq!(all.matches("check(s) failed").count(), 1, "{all}");
}

#[test]
fn salesforce_import_fails_on_keytool_keypass_jks_naming_the_key_password() {
    let sb = Sandbox::new();
    let report = fails_with(
        &preflight(
            &sb,
            &td("keytool-keypass.jks"),
            "salesforce-import",
            Some("storepw1"),
            &[],
        ),
        "salesforce.key-password",
    );
    let c = check(&report, "salesforce.key-password");
    assert!(s(c, "detail").contains("own password"), "{c}");
    // Only the user knows the key's password: the fix is a template in words, not a command.
    assert!(s(c, "fix").contains("certkit p12-to-jks"), "{c}");
    assert!(s(c, "fix").contains("--key-password-file FILE"), "{c}");
    assert!(c.get("command").is_none(), "{c}");
}

#[test]
fn salesforce_import_fails_on_google_1024_p12_for_key_size() {
    let sb = Sandbox::new();
    let report = fails_with(
        &preflight(
            &sb,
            &td("google-1024.p12"),
            "salesforce-import",
            Some(GOOGLE_P12_PASSWORD),
            &[],
        ),
        "salesforce.key-size",
    );
    let c = check(&report, "salesforce.key-size");
    assert!(s(c, "detail").contains("1024"), "{c}");
    assert!(s(c, "fix").contains("2048"), "{c}");
}

#[test]
fn connected_app_fails_on_google_1024_p12_for_key_size_alone() {
    let sb = Sandbox::new();
    let report = fails_with(
        &preflight(
            &sb,
            &td("google-1024.p12"),
            "connected-app",
            Some(GOOGLE_P12_PASSWORD),
            &[],
        ),
        "salesforce.key-size",
    );
    assert_eq!(failing(&report), ["salesforce.key-size"]);
}

#[test]
fn salesforce_import_fails_on_a_keystore_without_a_private_key() {
    let sb = Sandbox::new();
    let report = fails_with(
        &preflight(
            &sb,
            &td("keytool-trusted-only.jks"),
            "salesforce-import",
            Some("storepw1"),
            &[],
        ),
        "salesforce.private-key",
    );
    assert!(s(check(&report, "salesforce.private-key"), "detail").contains("no private key"));
}

#[test]
fn google_target_without_scope_fails_naming_the_scope_claim() {
    let sb = Sandbox::new();
    let report = fails_with(
        &preflight(&sb, &td("google-sample.json"), "google", None, &[]),
        "google.scope",
    );
    let c = check(&report, "google.scope");
    assert!(s(c, "detail").contains("no scope claim"), "{c}");
    assert!(s(c, "fix").contains("JWT Body Claim named scope"), "{c}");
}

#[test]
fn google_target_with_scope_passes_on_the_json_key() {
    let sb = Sandbox::new();
    let report = passes(&preflight(
        &sb,
        &td("google-sample.json"),
        "google",
        None,
        &["--scope", "S"],
    ));
    for id in [
        "google.scope",
        "google.iss",
        "google.aud",
        "google.lifetime",
        "google.kid",
        "jwt.signature",
    ] {
        assert_eq!(status(&report, id), "pass", "{id}");
    }
}

#[test]
fn google_target_with_scope_passes_on_the_google_p12() {
    let sb = Sandbox::new();
    let report = passes(&preflight(
        &sb,
        &td("google-sample.p12"),
        "google",
        Some(GOOGLE_P12_PASSWORD),
        &["--scope", "S"],
    ));
    assert_eq!(status(&report, "google.kid"), "pass");
}

#[test]
fn google_target_with_the_published_metadata_passes_and_with_another_certificate_fails() {
    let sb = Sandbox::new();
    let p12 = td("google-sample.p12");
    passes(&preflight(
        &sb,
        &p12,
        "google",
        Some(GOOGLE_P12_PASSWORD),
        &[
            "--scope",
            "S",
            "--cert",
            &td("google-sample.x509-metadata.json"),
        ],
    ));
    let report = fails_with(
        &preflight(
            &sb,
            &p12,
            "google",
            Some(GOOGLE_P12_PASSWORD),
            &["--scope", "S", "--cert", &td("other-2048.crt.pem")],
        ),
        "jwt.signature",
    );
    assert!(s(check(&report, "jwt.signature"), "detail").contains("not a pair"));
}

#[test]
fn connected_app_passes_on_selfsign_key_with_its_cert() {
    let sb = Sandbox::new();
    selfsign(&sb, "org2", &[]);
    let report = passes(&preflight(
        &sb,
        &sb.p("org2.key"),
        "connected-app",
        None,
        &["--cert", &sb.p("org2.crt")],
    ));
    for id in [
        "jwt.signature",
        "certificate.validity",
        "certificate.not-ca",
    ] {
        assert_eq!(status(&report, id), "pass", "{id}");
    }
}

#[test]
fn connected_app_passes_on_selfsign_key_and_cert_in_one_pem() {
    let sb = Sandbox::new();
    selfsign(&sb, "org2", &[]);
    let both = concat(&sb, "org2.pem", &[&sb.p("org2.key"), &sb.p("org2.crt")]);
    let report = passes(&preflight(&sb, &both, "connected-app", None, &[]));
    for id in [
        "salesforce.key-matches-cert",
        "certificate.validity",
        "certificate.signature-algorithm",
        "certificate.not-ca",
        "jwt.signature",
    ] {
        assert_eq!(status(&report, id), "pass", "{id}");
    }
}

#[test]
fn connected_app_key_with_another_certificate_fails_the_signature() {
    let sb = Sandbox::new();
    selfsign(&sb, "org2", &[]);
    let report = fails_with(
        &preflight(
            &sb,
            &sb.p("org2.key"),
            "connected-app",
            None,
            &["--cert", &td("other-2048.crt.pem")],
        ),
        "jwt.signature",
    );
    assert!(s(check(&report, "jwt.signature"), "detail").contains("not a pair"));
}

#[test]
fn connected_app_key_bundled_with_another_certificate_fails_key_matches_cert() {
    let sb = Sandbox::new();
    selfsign(&sb, "org2", &[]);
    let both = concat(
        &sb,
        "mixed.pem",
        &[&sb.p("org2.key"), &td("other-2048.crt.pem")],
    );
    let report = fails_with(
        &preflight(&sb, &both, "connected-app", None, &[]),
        "salesforce.key-matches-cert",
    );
    assert_eq!(status(&report, "jwt.signature"), "fail");
}

#[test]
fn connected_app_warns_on_a_ca_certificate() {
    let sb = Sandbox::new();
    let r = preflight(
        &sb,
        &td("openssl-modern.p12"),
        "connected-app",
        Some("changeit"),
        &[],
    );
    let report = passes(&r);
    assert_eq!(status(&report, "certificate.not-ca"), "warn");
}

#[test]
fn expired_certificate_fails_validity() {
    let sb = Sandbox::new();
    selfsign(&sb, "org2", &[]);
    let key = sb.p("org2.key");
    let crt = openssl_cert_with_dates(
        &sb,
        &key,
        "expired test",
        "20190101000000Z",
        "20200101000000Z",
        "exp",
    );
    let both = concat(&sb, "expired.pem", &[&key, &crt]);
    let report = fails_with(
        &preflight(&sb, &both, "connected-app", None, &[]),
        "certificate.validity",
    );
    assert_eq!(failing(&report), ["certificate.validity"]);
    let c = check(&report, "certificate.validity");
    assert!(s(c, "detail").contains("expired on 2020-01-01"), "{c}");
}

#[test]
fn not_yet_valid_certificate_fails_validity() {
    let sb = Sandbox::new();
    selfsign(&sb, "org2", &[]);
    let key = sb.p("org2.key");
    let crt = openssl_cert_with_dates(
        &sb,
        &key,
        "future test",
        "20900101000000Z",
        "20910101000000Z",
        "fut",
    );
    let both = concat(&sb, "future.pem", &[&key, &crt]);
    let report = fails_with(
        &preflight(&sb, &both, "connected-app", None, &[]),
        "certificate.validity",
    );
    assert!(s(check(&report, "certificate.validity"), "detail").contains("not valid before 2090"));
}

#[test]
fn certificate_expiring_within_warn_days_is_a_warning() {
    let sb = Sandbox::new();
    selfsign(&sb, "org2", &[]);
    let key = sb.p("org2.key");
    let end = openssl_date_in_days(10);
    let crt = openssl_cert_with_dates(&sb, &key, "soon test", "20200101000000Z", &end, "soon");
    let both = concat(&sb, "soon.pem", &[&key, &crt]);
    let report = passes(&preflight(&sb, &both, "connected-app", None, &[]));
    assert_eq!(status(&report, "certificate.validity"), "warn");
    // With --warn-days 5 it is a plain pass.
    let report = passes(&preflight(
        &sb,
        &both,
        "connected-app",
        None,
        &["--warn-days", "5"],
    ));
    assert_eq!(status(&report, "certificate.validity"), "pass");
}

#[test]
fn salesforce_jwt_target_passes_with_consumer_key_and_username() {
    let sb = Sandbox::new();
    selfsign(&sb, "org2", &[]);
    let both = concat(&sb, "org2.pem", &[&sb.p("org2.key"), &sb.p("org2.crt")]);
    let report = passes(&preflight(
        &sb,
        &both,
        "salesforce-jwt",
        None,
        &["--iss", CONSUMER_KEY, "--sub", "user@example.com"],
    ));
    for id in [
        "salesforce.iss",
        "salesforce.sub",
        "salesforce.aud",
        "salesforce.lifetime",
        "jwt.signature",
    ] {
        assert_eq!(status(&report, id), "pass", "{id}");
    }
}

#[test]
fn salesforce_jwt_target_fails_on_a_quoted_username() {
    let sb = Sandbox::new();
    selfsign(&sb, "org2", &[]);
    let both = concat(&sb, "org2.pem", &[&sb.p("org2.key"), &sb.p("org2.crt")]);
    let report = fails_with(
        &preflight(
            &sb,
            &both,
            "salesforce-jwt",
            None,
            &["--iss", CONSUMER_KEY, "--sub", "\"user@example.com\""],
        ),
        "salesforce.sub",
    );
    assert_eq!(failing(&report), ["salesforce.sub"]);
}

#[test]
fn json_report_has_a_checks_array_and_a_cannot_check_list() {
    let sb = Sandbox::new();
    let jks = jks_from_p12_to_jks(&sb);
    let report = passes(&preflight(
        &sb,
        &jks,
        "salesforce-import",
        Some("abcdefg1"),
        &[],
    ));
    assert_eq!(report["target"], "salesforce-import");
    let checks = report["checks"].as_array().expect("checks array");
    assert!(!checks.is_empty());
    for c in checks {
        assert!(
            c["id"].is_string() && c["rule"].is_string() && c["detail"].is_string(),
            "{c}"
        );
        assert!(["pass", "warn", "fail"].contains(&s(c, "status")), "{c}");
        if c["status"] != "pass" {
            assert!(c["fix"].is_string(), "{c}");
        }
    }
    let cannot = report["cannot_check"]
        .as_array()
        .expect("cannot_check list");
    assert!(!cannot.is_empty());
    assert!(
        cannot
            .iter()
            .any(|c| c.as_str().unwrap().contains("Identity Provider")),
        "{cannot:?}"
    );
}

#[test]
fn json_reports_of_each_target_name_what_cannot_be_checked() {
    let sb = Sandbox::new();
    let want = [
        ("connected-app", "pre-authorized"),
        ("google", "deleted keys"),
        ("salesforce-jwt", "permission set"),
    ];
    for (target, phrase) in want {
        let r = preflight(
            &sb,
            &td("google-sample.p12"),
            target,
            Some(GOOGLE_P12_PASSWORD),
            &["--scope", "S"],
        );
        let report = r.json();
        let cannot = report["cannot_check"]
            .as_array()
            .expect("cannot_check list");
        assert!(
            cannot.iter().any(|c| c.as_str().unwrap().contains(phrase)),
            "{target}: {cannot:?}"
        );
    }
}
