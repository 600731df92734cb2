//! One regression test per defect a new user hit (issue "one shape for every command"),
//! numbered as the issue lists them. Each failed on the code before the fix.

use serde_json::Value;

use crate::common::{read_testdata, s, td, Run, Sandbox};
use crate::support_jwt::*;

const OUT_PW: &str = "abc12345";

/// Copy a fixture into the sandbox under `name` (pasted fixes write beside it).
fn copy(sb: &Sandbox, fixture: &str, name: &str) -> String {
    std::fs::copy(td(fixture), sb.path(name)).expect("copy fixture");
    name.to_string()
}

/// The distinct fix commands of a preflight report's failing checks.
fn fix_commands(report: &Value) -> Vec<String> {
    let mut v: Vec<String> = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["status"] == "fail")
        .filter_map(|c| c["command"].as_str().map(str::to_string))
        .collect();
    v.dedup();
    v
}

fn preflight_import(sb: &Sandbox, file: &str, pw_file: Option<&str>) -> Run {
    let mut args = vec!["preflight", file, "--target", "salesforce-import", "--json"];
    if let Some(p) = pw_file {
        args.extend(["--password-file", p]);
    }
    sb.certkit(&args)
}

/// Defect 1: run the one fix preflight prints, exactly as printed, then preflight its output.
fn pasted_fix_passes(sb: &Sandbox, file: &str, pw_file: Option<&str>, fixed: &str) {
    let r = preflight_import(sb, file, pw_file);
    r.code_is(1);
    let cmds = fix_commands(&r.json());
    assert_eq!(
        cmds.len(),
        1,
        "one fix for the whole file: {cmds:?}\n{}",
        r.stdout
    );
    let pasted = sb.shell(&cmds[0]);
    pasted.ok();
    let generated = pasted
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("Generated keystore password (shown once): "))
        .map(|p| sb.secret("generated.pw", p));
    let pw = generated.as_deref().or(pw_file);
    let after = preflight_import(sb, fixed, pw);
    after.ok();
    assert_eq!(after.json()["ok"], true, "{}", after.stdout);
}

#[test]
fn defect_01_pasted_fix_for_a_pkcs12_works() {
    let sb = Sandbox::new();
    let f = copy(&sb, "keytool-default.p12", "default.p12");
    let pw = sb.secret("in.pw", "storepw1");
    pasted_fix_passes(&sb, &f, Some(&pw), "default_salesforce.jks");
}

#[test]
fn defect_01_pasted_fix_for_two_entries_and_a_bad_alias_works() {
    let sb = Sandbox::new();
    let f = copy(&sb, "keytool-multi.jks", "multi.jks");
    let pw = sb.secret("in.pw", "storepw1");
    pasted_fix_passes(&sb, &f, Some(&pw), "multi_salesforce.jks");
}

#[test]
fn defect_01_pasted_fix_for_a_p12_without_friendly_name_works() {
    let sb = Sandbox::new();
    let f = copy(&sb, "openssl-nomac-noname.p12", "noname.p12");
    let pw = sb.secret("in.pw", "changeit");
    pasted_fix_passes(&sb, &f, Some(&pw), "noname_salesforce.jks");
}

#[test]
fn defect_01_pasted_fix_for_a_google_p12_with_its_long_password_works() {
    // notasecret is found without a flag, breaks the 6-8 policy: the fix generates one.
    let sb = Sandbox::new();
    let f = copy(&sb, "google-sample.p12", "sample.p12");
    pasted_fix_passes(&sb, &f, None, "sample_salesforce.jks");
}

#[test]
fn defect_01_pasted_fix_for_keytools_recipe_without_destkeypass_works() {
    let sb = Sandbox::new();
    sb.keytool(&[
        "-importkeystore",
        "-srckeystore",
        &td("google-sample.p12"),
        "-srcstoretype",
        "pkcs12",
        "-srcstorepass",
        "notasecret",
        "-destkeystore",
        "recipe.jks",
        "-deststoretype",
        "jks",
        "-deststorepass",
        OUT_PW,
    ])
    .ok();
    let pw = sb.secret("in.pw", OUT_PW);
    pasted_fix_passes(&sb, "recipe.jks", Some(&pw), "recipe_salesforce.jks");
}

/// A key and a certificate valid from `start` to `end` (days from now), as PEM files.
fn dated_pair(sb: &Sandbox, start_days: i64, end_days: i64, tag: &str) -> (String, String) {
    let key = td("other-2048.key.pem");
    let cert = openssl_cert_with_dates(
        sb,
        &key,
        "dated test",
        &openssl_date_in_days(start_days),
        &openssl_date_in_days(end_days),
        tag,
    );
    (key, cert)
}

#[test]
fn defect_02_p12_to_jks_refuses_an_expired_certificate_and_writes_nothing() {
    let sb = Sandbox::new();
    let (key, cert) = dated_pair(&sb, -400, -30, "expired");
    let pw = sb.secret("out.pw", OUT_PW);
    let r = sb.certkit(&[
        "p12-to-jks",
        &key,
        "--cert",
        &cert,
        "-o",
        "out.jks",
        "--out-password-file",
        &pw,
    ]);
    r.code_is(6);
    assert!(r.stderr.contains("expired on"), "{}", r.stderr);
    assert!(!sb.path("out.jks").exists());
}

#[test]
fn defect_02_p12_to_jks_warns_when_the_certificate_expires_within_30_days() {
    let sb = Sandbox::new();
    let (key, cert) = dated_pair(&sb, -10, 9, "soon");
    let pw = sb.secret("out.pw", OUT_PW);
    let args = [
        "p12-to-jks",
        &key,
        "--cert",
        &cert,
        "-o",
        "out.jks",
        "--out-password-file",
        &pw,
    ];
    let r = sb.certkit(&args);
    r.ok();
    assert!(r.stderr.contains("warning"), "{}", r.stderr);
    assert!(r.stderr.contains("expires soon"), "{}", r.stderr);
    assert!(r.stdout.contains("Warning:"), "{}", r.stdout);
    let v = sb.certkit(&[
        "p12-to-jks",
        &key,
        "--cert",
        &cert,
        "-o",
        "out2.jks",
        "--out-password-file",
        &pw,
        "--json",
    ]);
    v.ok();
    let report = v.json();
    let validity = report["salesforce_rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "certificate.validity")
        .expect("a validity check");
    assert_eq!(validity["status"], "warn");
    assert!(!report["warnings"].as_array().unwrap().is_empty());
}

#[test]
fn defect_03_verify_fails_when_the_other_sides_certificate_has_expired() {
    let sb = Sandbox::new();
    let (key, cert) = dated_pair(&sb, -400, -30, "expired");
    let r = sb.certkit(&[
        "verify", &key, "--cert", &cert, "--iss", "a", "--sub", "b", "--aud", "c", "--json",
    ]);
    r.code_is(1);
    let report = r.json();
    assert_eq!(status(&report, "jwt.signature"), "pass");
    assert_eq!(status(&report, "certificate.validity"), "fail");
}

#[test]
fn defect_04_google_verify_without_a_known_account_names_the_iss_flag() {
    // A P12 whose certificate does not name the service account: iss cannot be derived.
    let sb = Sandbox::new();
    let pw = sb.secret("in.pw", "changeit");
    let r = sb.certkit(&[
        "verify",
        &td("openssl-modern.p12"),
        "--password-file",
        &pw,
        "--profile",
        "google",
        "--scope",
        "https://www.googleapis.com/auth/bigquery",
        "--json",
    ]);
    r.code_is(1);
    let c = check(&r.json(), "google.iss").clone();
    assert!(s(&c, "fix").contains("--iss"), "{c}");
}

#[test]
fn defect_05_an_ec_key_is_exit_5_in_every_command() {
    let sb = Sandbox::new();
    let pw = sb.secret("in.pw", "changeit");
    let out = sb.secret("out.pw", OUT_PW);
    let ec = td("ec-key.p12");
    for args in [
        vec![
            "p12-to-jks",
            &ec,
            "--password-file",
            &pw,
            "--out-password-file",
            &out,
        ],
        vec!["verify", &ec, "--password-file", &pw],
        vec!["kid", &ec, "--password-file", &pw],
    ] {
        let r = sb.certkit(&args);
        r.code_is(5);
        assert!(r.stderr.contains("EC"), "{}", r.stderr);
    }
}

#[test]
fn defect_05_an_unknown_entry_is_exit_2_in_every_command_listing_the_entries() {
    let sb = Sandbox::new();
    let pw = sb.secret("in.pw", "storepw1");
    let multi = td("keytool-multi.jks");
    for cmd in ["p12-to-jks", "kid", "verify", "preflight"] {
        let mut args = vec![cmd, &multi, "--entry", "nope", "--password-file", &pw];
        if cmd == "preflight" {
            args.extend(["--target", "connected-app"]);
        }
        let r = sb.certkit(&args);
        r.code_is(2);
        assert!(
            r.stderr.contains("no entry \"nope\""),
            "{cmd}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("\"alpha\""), "{cmd}: {}", r.stderr);
        assert!(r.stderr.contains("--entry"), "{cmd}: {}", r.stderr);
    }
}

#[test]
fn defect_05_a_folder_as_input_is_exit_8() {
    let sb = Sandbox::new();
    for cmd in ["inspect", "kid", "p12-to-jks"] {
        let r = sb.certkit(&[cmd, "."]);
        r.code_is(8);
        assert!(r.stderr.contains("folder"), "{cmd}: {}", r.stderr);
    }
}

#[test]
fn defect_05_empty_password_sources_are_named_exit_9() {
    let sb = Sandbox::new();
    let jks = td("keytool-store.jks");
    let empty = sb.secret("empty.pw", "");
    std::fs::write(&empty, "").unwrap();
    let r = sb.certkit(&["inspect", &jks, "--password-file", &empty]);
    r.code_is(9);
    assert!(r.stderr.contains("empty.pw is empty"), "{}", r.stderr);
    // Standard input is /dev/null here: empty.
    let r = sb.certkit(&["inspect", &jks, "--password-stdin"]);
    r.code_is(9);
    assert!(r.stderr.contains("standard input"), "{}", r.stderr);
    assert!(!r.stderr.contains("wrong"), "{}", r.stderr);
}

#[test]
fn defect_05_a_space_padded_password_file_is_named_as_such() {
    let sb = Sandbox::new();
    let padded = sb.secret("padded.pw", "storepw1 ");
    let r = sb.certkit(&[
        "inspect",
        &td("keytool-store.jks"),
        "--password-file",
        &padded,
    ]);
    r.code_is(3);
    assert!(r.stderr.contains("white space"), "{}", r.stderr);
}

#[test]
fn defect_06_json_usage_errors_are_json() {
    let sb = Sandbox::new();
    let r = sb.certkit(&["inspect", "--json", "--bogus"]);
    r.code_is(2);
    let v = r.json();
    assert_eq!(v["error"], "usage");
    assert_eq!(v["exit_code"], 2);
    assert!(s(&v, "message").contains("--bogus"), "{v}");
}

#[test]
fn defect_06_a_plain_password_argument_names_the_three_ways() {
    let sb = Sandbox::new();
    for flag in ["--password", "--password=notasecret"] {
        let mut args = vec!["inspect", "x.p12", flag];
        if !flag.contains('=') {
            args.push("notasecret");
        }
        let r = sb.certkit(&args);
        r.code_is(2);
        for way in ["--password-file", "--password-env", "--password-stdin"] {
            assert!(r.stderr.contains(way), "{}", r.stderr);
        }
        assert!(r.stderr.contains("never plain arguments"), "{}", r.stderr);
        assert!(!r.stderr.contains("notasecret"), "{}", r.stderr);
    }
}

#[test]
fn defect_07_a_pem_key_with_its_certificate_in_another_file_converts() {
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", OUT_PW);
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.key.pem"),
        "--cert",
        &td("google-sample.crt.pem"),
        "-o",
        "pair.jks",
        "--out-password-file",
        &pw,
    ]);
    r.ok();
    let out = sb.p("pair.jks");
    let listing = sb.keytool_list(&out, OUT_PW);
    assert_eq!(listing.count, 1);
    let alias = listing.entries[0].alias.clone();
    assert_eq!(
        sb.keytool_extract_key(&out, &alias, OUT_PW, OUT_PW),
        read_testdata("google-sample.key.der")
    );
    assert_eq!(
        sb.keytool_export_cert(&out, &alias, OUT_PW),
        read_testdata("google-sample.crt.der")
    );
    // A certificate that is not the key's is refused, naming the file; nothing is written.
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.key.pem"),
        "--cert",
        &td("other-2048.crt.pem"),
        "-o",
        "wrong.jks",
        "--out-password-file",
        &pw,
    ]);
    r.code_is(6);
    assert!(r.stderr.contains("other-2048.crt.pem"), "{}", r.stderr);
    assert!(!sb.path("wrong.jks").exists());
}

fn signed_token(sb: &Sandbox) -> String {
    let r = sb.certkit(&[
        "verify",
        &td("google-sample.p12"),
        "--profile",
        "google",
        "--scope",
        "https://www.googleapis.com/auth/bigquery",
        "--print-token",
    ]);
    r.ok();
    r.stdout.trim().to_string()
}

#[test]
fn defect_08_a_pasted_token_wrapped_prefixed_or_quoted_verifies() {
    let sb = Sandbox::new();
    let token = signed_token(&sb);
    let wrapped: String = token
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\n");
    for pasted in [
        wrapped,
        format!("Bearer {token}"),
        format!("\"{token}\"\n"),
        format!("  'Bearer {token}'  "),
    ] {
        let r = sb.certkit(&[
            "verify",
            "--token-file",
            &sb.token_file(&pasted),
            "--cert",
            &td("google-sample.crt.pem"),
            "--profile",
            "google",
            "--json",
        ]);
        r.ok();
        assert_eq!(status(&r.json(), "jwt.signature"), "pass");
    }
}

#[test]
fn defect_08_a_token_on_the_command_line_is_refused_naming_token_file() {
    let sb = Sandbox::new();
    let token = signed_token(&sb);
    for flag in ["--token", "--token-file"] {
        let r = sb.certkit(&[
            "verify",
            flag,
            &token,
            "--cert",
            &td("google-sample.crt.pem"),
        ]);
        r.code_is(2);
        assert!(r.stderr.contains("--token-file"), "{}", r.stderr);
        assert!(!r.all_output().contains(&token), "the token was echoed");
    }
}

#[test]
fn defect_09_the_google_key_id_line_follows_the_key_not_the_password() {
    let sb = Sandbox::new();
    let out = sb.secret("out.pw", OUT_PW);
    // A P12 that is not Google's, under Google's password: no Google key id.
    let p12 = sb.p("not-google.p12");
    sb.openssl(&[
        "pkcs12",
        "-export",
        "-inkey",
        &td("other-2048.key.pem"),
        "-in",
        &td("other-2048.crt.pem"),
        "-name",
        "privatekey",
        "-passout",
        "pass:notasecret",
        "-out",
        &p12,
    ])
    .ok();
    let r = sb.certkit(&[
        "p12-to-jks",
        &p12,
        "-o",
        "other.jks",
        "--out-password-file",
        &out,
        "--json",
    ]);
    r.ok();
    assert!(r.json().get("google").is_none(), "{}", r.stdout);
    // Google's key re-protected with another password still is Google's key.
    sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "-o",
        "first.jks",
        "--out-password-file",
        &out,
    ])
    .ok();
    let r = sb.certkit(&[
        "p12-to-jks",
        "first.jks",
        "-o",
        "second.jks",
        "--password-file",
        &out,
        "--out-password-file",
        &out,
    ]);
    r.ok();
    assert!(
        r.stdout
            .contains(&format!("Google key id: {}", google_private_key_id())),
        "{}",
        r.stdout
    );
}

#[test]
fn defect_10_connected_app_preflight_of_a_bare_key_does_not_pass_the_signature() {
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "preflight",
        &td("other-2048.key.pem"),
        "--target",
        "connected-app",
        "--json",
    ]);
    r.code_is(1);
    let report = r.json();
    assert_eq!(status(&report, "jwt.signature"), "fail");
    let c = check(&report, "salesforce.certificate");
    assert!(s(c, "fix").contains("--cert"), "{c}");
    // With the certificate the Connected App holds, it passes.
    let r = sb.certkit(&[
        "preflight",
        &td("other-2048.key.pem"),
        "--target",
        "connected-app",
        "--cert",
        &td("other-2048.crt.pem"),
        "--json",
    ]);
    r.ok();
}

#[test]
fn defect_11_the_jwk_kid_is_the_kid_certkit_signs_with() {
    let sb = Sandbox::new();
    let kid_of = |args: &[&str]| -> String {
        let mut all = vec!["kid"];
        all.extend_from_slice(args);
        all.extend(["--jwk", "--json"]);
        let r = sb.certkit(&all);
        r.ok();
        s(&r.json()["jwk"], "kid").to_string()
    };
    let from_cert = kid_of(&[&td("other-2048.crt.pem")]);
    let from_key = kid_of(&[&td("other-2048.key.pem")]);
    assert_eq!(from_cert, from_key);
    let r = sb.certkit(&[
        "verify",
        &td("other-2048.key.pem"),
        "--cert",
        &td("other-2048.crt.pem"),
        "--iss",
        "a",
        "--sub",
        "b",
        "--aud",
        "https://api.example.com/token",
        "--print-token",
    ]);
    r.ok();
    let (header, _) = decode_parts(r.stdout.trim());
    assert_eq!(header["kid"], from_cert.as_str());
    // ...and it is the RFC 7638 thumbprint, computed by openssl.
    let modulus = openssl_modulus(&sb, &td("other-2048.crt.pem"));
    assert_eq!(
        from_cert,
        rfc7638_thumbprint(&sb, &modulus, &[1, 0, 1], "kid11")
    );
}

/// Defect 12: the assertion that no run ended in a panic.
pub fn assert_no_internal_error(r: &Run) {
    assert_ne!(r.code, 101, "{}: internal error\n{}", r.what, r.stderr);
    assert!(
        !r.stderr.contains("internal error"),
        "{}: {}",
        r.what,
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{}: {}", r.what, r.stderr);
}

#[test]
#[should_panic(expected = "internal error")]
fn defect_12_the_panic_assertion_catches_the_hooks_words_whatever_the_exit_code() {
    assert_no_internal_error(&Run {
        code: 1,
        stdout: String::new(),
        stderr: "certkit: internal error (a bug, please report it): boom\n".into(),
        what: "certkit (a run whose hook printed)".into(),
    });
}

#[test]
#[should_panic(expected = "internal error")]
fn defect_12_the_panic_assertion_catches_what_the_panic_hook_prints() {
    assert_no_internal_error(&Run {
        code: 101,
        stdout: String::new(),
        stderr: "certkit: internal error (a bug, please report it): boom\n".into(),
        what: "certkit (a run that panicked)".into(),
    });
}

#[test]
fn defect_13_rust_version_is_what_the_locked_dependencies_need() {
    // Only the packages of the platform being built: a Linux build never downloads the
    // Windows-only ones (anstyle-wincon...), and `--offline` must not need them (it failed on a
    // fresh machine with an empty CARGO_HOME when the whole graph was asked for).
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let vv = std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .expect("rustc -vV");
    let host = String::from_utf8_lossy(&vv.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
        .expect("rustc -vV names the host");
    let out = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .args(["--filter-platform", &host])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m: Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    let version = |v: &str| -> Vec<u32> {
        let mut p: Vec<u32> = v.split('.').map(|x| x.parse().unwrap_or(0)).collect();
        p.resize(3, 0);
        p
    };
    let ours = env!("CARGO_PKG_RUST_VERSION");
    let (need, who) = m["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter(|p| p["name"] != env!("CARGO_PKG_NAME"))
        .filter_map(|p| Some((version(p["rust_version"].as_str()?), p["name"].to_string())))
        .max()
        .expect("some package states a rust-version");
    assert_eq!(
        version(ours),
        need,
        "Cargo.toml says rust-version {ours}; the locked dependencies need {need:?} ({who})"
    );
}
