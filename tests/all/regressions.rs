//! One test per bug found in review, named after the behaviour that was wrong.

use crate::common::{s, td, Sandbox};

const OUT_PW: &str = "abc12345";

/// What the usual Google recipe produces: `keytool -importkeystore` from the P12 without
/// `-destkeypass`, so the key keeps Google's `notasecret` while the store has OUT_PW.
fn keytool_recipe_jks(sb: &Sandbox) -> String {
    let broken = sb.p("recipe.jks");
    sb.keytool(&[
        "-importkeystore",
        "-srckeystore",
        &td("google-sample.p12"),
        "-srcstoretype",
        "pkcs12",
        "-srcstorepass",
        "notasecret",
        "-srcalias",
        "privatekey",
        "-destkeystore",
        &broken,
        "-deststoretype",
        "jks",
        "-deststorepass",
        OUT_PW,
        "-destalias",
        "google_sa",
    ])
    .ok();
    broken
}

#[test]
fn huge_days_are_a_usage_error_not_a_panic() {
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", OUT_PW);
    let r = sb.certkit(&[
        "selfsign",
        "--cn",
        "x",
        "--days",
        "4294967295",
        "--allow-long-validity",
    ]);
    r.code_is(2);
    assert!(r.stderr.contains("100 years"), "{}", r.stderr);
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.json"),
        "--days",
        "4294967295",
        "--out-password-file",
        &pw,
    ]);
    r.code_is(2);
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.json"),
        "--days",
        "0",
        "--out-password-file",
        &pw,
    ]);
    r.code_is(2);
    crate::defects::assert_no_internal_error(&r);
    assert_eq!(sb.files(), vec!["out.pw".to_string()]);
}

#[test]
fn a_jks_made_from_a_json_key_keeps_the_google_key_id() {
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", OUT_PW);
    let out = sb.p("j.jks");
    sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.json"),
        "-o",
        &out,
        "--out-password-file",
        &pw,
    ])
    .ok();
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(td("google-sample.json")).unwrap()).unwrap();
    let want = s(&json, "private_key_id");
    let ids = sb.certkit(&["kid", &out, "--json"]);
    ids.ok();
    assert_eq!(s(&ids.json(), "google_key_id"), want);
    // The google profile's default kid is that id, so its kid rule passes.
    let v = sb.certkit(&[
        "verify",
        &out,
        "--password-file",
        &pw,
        "--profile",
        "google",
        "--scope",
        "S",
        "--json",
    ]);
    v.ok();
    assert_eq!(v.json()["header"]["kid"], want);
}

#[test]
fn a_pkcs12_without_mac_and_no_password_given_asks_for_one_exit_9() {
    let sb = Sandbox::new();
    let r = sb.certkit(&["inspect", &td("openssl-nomac-noname.p12")]);
    r.code_is(9);
    assert!(r.stderr.contains("--password-file"), "{}", r.stderr);
}

#[test]
fn token_from_stdin_and_password_from_stdin_together_are_refused() {
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "verify",
        &td("keytool-store.jks"),
        "--token",
        "-",
        "--password-stdin",
    ]);
    r.code_is(2);
    assert!(r.stderr.contains("standard input"), "{}", r.stderr);
}

#[test]
fn selfsign_refuses_an_empty_cn_a_bad_san_and_a_bad_email_writing_nothing() {
    let sb = Sandbox::new();
    for args in [
        vec!["--cn", ""],
        vec!["--cn", "x", "--san", "bad name with spaces"],
        vec!["--cn", "x", "--san", ""],
        vec!["--cn", "x", "--email", "not-an-email"],
        vec!["--cn", "x", "--country", "USA"],
    ] {
        let mut all = vec!["selfsign"];
        all.extend(args.iter());
        sb.certkit(&all).code_is(2);
    }
    assert!(sb.files().is_empty(), "{:?}", sb.files());
}

#[test]
fn selfsign_upper_cases_a_lower_case_country() {
    let sb = Sandbox::new();
    sb.certkit(&["selfsign", "--cn", "org2", "--country", "us"])
        .ok();
    let text = sb.openssl(&["x509", "-in", &sb.p("org2.crt"), "-noout", "-subject"]);
    assert!(text.stdout.contains("C = US"), "{}", text.stdout);
}

#[test]
fn an_alias_longer_than_80_characters_is_refused_by_the_unique_name_rule() {
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", OUT_PW);
    let long = "a".repeat(70_000);
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "--alias",
        &long,
        "--out-password-file",
        &pw,
    ]);
    r.code_is(6);
    assert!(r.stderr.contains("80"), "{}", r.stderr.len());
}

#[test]
fn a_token_with_alg_none_is_a_failed_check_showing_the_token() {
    let sb = Sandbox::new();
    // {"alg":"none"} . {"iss":"x"} . (no signature)
    let token = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.";
    let r = sb.certkit(&[
        "verify",
        "--token-file",
        &sb.token_file(token),
        "--cert",
        &td("google-sample.crt.pem"),
        "--json",
    ]);
    r.code_is(1);
    let v = r.json();
    assert_eq!(v["header"]["alg"], "none");
    let failed: Vec<&str> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    // The alg is refused (no signature check is attempted), and it has no exp either.
    assert_eq!(failed, vec!["jwt.alg", "jwt.time"]);
}

#[test]
fn output_into_a_missing_folder_names_the_folder_not_a_temporary_file() {
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", OUT_PW);
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "-o",
        "nodir/x.jks",
        "--out-password-file",
        &pw,
    ]);
    r.code_is(8);
    assert!(r.stderr.contains("does not exist"), "{}", r.stderr);
    assert!(!r.stderr.contains(".tmp"), "{}", r.stderr);
}

#[test]
fn an_output_that_is_a_folder_a_link_or_a_device_is_refused_even_with_force() {
    // Exit 8 (the file cannot be written), as the README says; renaming over it would
    // replace the folder's place, the link or the device with a regular file.
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", OUT_PW);
    std::fs::create_dir(sb.path("d")).unwrap();
    std::os::unix::fs::symlink("elsewhere.jks", sb.path("link.jks")).unwrap();
    let input = td("google-sample.p12");
    for (out, what) in [
        ("d", "folder"),
        ("link.jks", "symbolic link"),
        ("/dev/null", "not a regular file"),
    ] {
        for force in [false, true] {
            let mut args = vec!["p12-to-jks", &input, "-o", out, "--out-password-file", &pw];
            if force {
                args.push("--force");
            }
            let r = sb.certkit(&args);
            r.code_is(8);
            assert!(r.stderr.contains(what), "{}", r.stderr);
        }
    }
    assert!(std::fs::symlink_metadata(sb.path("link.jks"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(!sb.path("elsewhere.jks").exists());
    let null = std::fs::metadata("/dev/null").unwrap();
    assert!(std::os::unix::fs::FileTypeExt::is_char_device(
        &null.file_type()
    ));
}

#[test]
fn output_equal_to_input_needs_force_and_is_then_replaced_atomically() {
    // A keystore rewritten in place (the fix preflight prints for a keytool recipe, pasted
    // with -o naming the input): without --force nothing changes (exit 7); with it the file
    // is replaced by the complete new keystore, which keytool lists.
    let sb = Sandbox::new();
    let pw = sb.secret("pw", "storepw1");
    let copy = sb.p("multi.jks");
    std::fs::copy(td("keytool-multi.jks"), &copy).unwrap();
    let before = std::fs::read(&copy).unwrap();
    let args = [
        "p12-to-jks",
        &copy,
        "--entry",
        "alpha",
        "-o",
        &copy,
        "--password-file",
        &pw,
        "--out-password-file",
        &pw,
    ];
    sb.certkit(&args).code_is(7);
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        before,
        "the input was changed"
    );
    let mut forced = args.to_vec();
    forced.push("--force");
    sb.certkit(&forced).ok();
    let listing = sb.keytool_list(&copy, "storepw1");
    assert_eq!(listing.count, 1);
    assert_eq!(listing.entries[0].alias, "alpha");
    assert_eq!(
        sb.files(),
        ["multi.jks", "pw"],
        "a temporary file was left behind"
    );
}

#[test]
fn keytools_google_recipe_without_destkeypass_is_repaired_by_p12_to_jks() {
    // keytool -importkeystore without -destkeypass leaves the key under "notasecret":
    // Salesforce refuses it; certkit finds the key password and rewrites it with one.
    let sb = Sandbox::new();
    let broken = keytool_recipe_jks(&sb);
    let pw = sb.secret("pw", OUT_PW);
    let pre = sb.certkit(&[
        "preflight",
        &broken,
        "--target",
        "salesforce-import",
        "--password-file",
        &pw,
    ]);
    pre.code_is(1);
    assert!(pre.stdout.contains("own password"), "{}", pre.stdout);
    let fixed = sb.p("fixed.jks");
    sb.certkit(&[
        "p12-to-jks",
        &broken,
        "-o",
        &fixed,
        "--password-file",
        &pw,
        "--out-password-file",
        &pw,
    ])
    .ok();
    // keytool opens the key with the store password now.
    let key = sb.keytool_extract_key(&fixed, "google_sa", OUT_PW, OUT_PW);
    assert!(key == crate::common::read_testdata("google-sample.key.der"));
}

#[test]
fn encrypted_pem_keys_open_with_their_password_and_a_wrong_one_is_named() {
    let sb = Sandbox::new();
    let pkcs8 = sb.p("enc.pem");
    let traditional = sb.p("trad.pem");
    let key = td("google-sample.key.pem");
    sb.openssl(&[
        "pkcs8",
        "-topk8",
        "-in",
        &key,
        "-v2",
        "aes-256-cbc",
        "-passout",
        "pass:secret12",
        "-out",
        &pkcs8,
    ])
    .ok();
    sb.openssl(&[
        "rsa",
        "-in",
        &key,
        "-traditional",
        "-aes256",
        "-passout",
        "pass:secret12",
        "-out",
        &traditional,
    ])
    .ok();
    let good = sb.secret("good.pw", "secret12");
    let bad = sb.secret("bad.pw", "wrong123");
    let want = crate::common::read_testdata("google-sample.key.der");
    for file in [&pkcs8, &traditional] {
        // The key comes out byte for byte (as PKCS#8) through a JKS keytool reads.
        let out = sb.p("k.jks");
        let _ = std::fs::remove_file(&out);
        let r = sb.certkit(&["inspect", file, "--password-file", &good, "--json"]);
        r.ok();
        assert_eq!(r.json()["files"][0]["entries"][0]["key"]["bits"], 2048);
        let r = sb.certkit(&["inspect", file, "--password-file", &bad]);
        r.code_is(3);
        assert!(
            r.stderr.contains("private key (PEM) password"),
            "{}",
            r.stderr
        );
        let r = sb.certkit(&["inspect", file]);
        r.code_is(9);
        // With the certificate beside it, the key converts and keytool gives it back.
        let both = sb.p("both.pem");
        let mut text = std::fs::read(file).unwrap();
        text.extend(std::fs::read(td("google-sample.crt.pem")).unwrap());
        std::fs::write(&both, text).unwrap();
        sb.certkit(&[
            "p12-to-jks",
            &both,
            "-o",
            &out,
            "--password-file",
            &good,
            "--out-password-file",
            &good,
        ])
        .ok();
        let got = sb.keytool_extract_key(&out, "certkit_sample", "secret12", "secret12");
        assert!(got == want, "{file}: key differs");
    }
}

#[test]
fn inspect_prints_owner_and_issuer_exactly_as_keytool_does() {
    // Quoted values, Java's keywords, and OID.2.5.4.13 for the Google key id certkit records.
    let sb = Sandbox::new();
    let pw = sb.secret("pw", OUT_PW);
    sb.certkit(&[
        "selfsign",
        "--cn",
        "org2, inc",
        "--org",
        "A+B",
        "--email",
        "a@b.co",
        "--country",
        "us",
        "--name",
        "o3",
    ])
    .ok();
    sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.json"),
        "-o",
        &sb.p("g.jks"),
        "--out-password-file",
        &pw,
    ])
    .ok();
    let owner_lines = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("Owner:") || l.starts_with("Issuer:"))
            .map(str::to_string)
            .collect()
    };
    let ours = sb.certkit(&["inspect", &sb.p("o3.crt")]);
    let theirs = sb.keytool(&["-printcert", "-file", &sb.p("o3.crt")]);
    assert_eq!(owner_lines(&ours.stdout), owner_lines(&theirs.stdout));
    let ours = sb.certkit(&["inspect", &sb.p("g.jks"), "--password-file", &pw]);
    let theirs = sb.keytool(&[
        "-list",
        "-v",
        "-keystore",
        &sb.p("g.jks"),
        "-storepass",
        OUT_PW,
    ]);
    let (a, b) = (owner_lines(&ours.stdout), owner_lines(&theirs.stdout));
    assert_eq!(a, b);
    assert!(a[0].contains("OID.2.5.4.13=Google key id "), "{a:?}");
}

/// A token signed with google-sample's key by openssl (no certkit code involved).
fn openssl_token(sb: &Sandbox, claims: &str) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims)
    );
    std::fs::write(sb.path("input"), &input).unwrap();
    sb.openssl(&[
        "dgst",
        "-sha256",
        "-sign",
        &td("google-sample.key.pem"),
        "-out",
        &sb.p("sig"),
        &sb.p("input"),
    ])
    .ok();
    let sig = std::fs::read(sb.path("sig")).unwrap();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

#[test]
fn an_expired_token_or_one_issued_in_the_future_fails_the_time_check() {
    let sb = Sandbox::new();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let base = r#""iss":"3MVGx","sub":"u@example.com","aud":"https://login.salesforce.com""#;
    for (iat, exp, ok) in [
        (1_600_000_000, 1_600_000_100, false),
        (now + 3600, now + 3700, false),
        (now, now + 120, true),
    ] {
        let token = openssl_token(&sb, &format!(r#"{{{base},"iat":{iat},"exp":{exp}}}"#));
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
        let time = r.json()["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "jwt.time")
            .cloned()
            .unwrap();
        assert_eq!(
            time["status"],
            if ok { "pass" } else { "fail" },
            "{iat}..{exp}: {time}"
        );
        r.code_is(if ok { 0 } else { 1 });
    }
}

fn salesforce_aud_status(sb: &Sandbox, aud: &str) -> String {
    let r = sb.certkit(&[
        "verify",
        &td("google-sample.json"),
        "--profile",
        "salesforce",
        "--iss",
        "3MVGx",
        "--sub",
        "u@example.com",
        "--aud",
        aud,
        "--json",
    ]);
    let v = r.json();
    let c = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "salesforce.aud")
        .unwrap()
        .clone();
    c["status"].as_str().unwrap().to_string()
}

#[test]
fn salesforce_aud_is_the_login_url_not_a_look_alike() {
    let sb = Sandbox::new();
    for good in [
        "https://login.salesforce.com",
        "https://test.salesforce.com",
        "https://acme.my.salesforce.com",
        "https://acme.my.site.com/partners",
    ] {
        assert_eq!(salesforce_aud_status(&sb, good), "pass", "{good}");
    }
    for bad in [
        "https://login.salesforce.com/services/oauth2/token",
        "https://login.salesforce.com.evil.example",
        "https://acme.lightning.force.com",
        "http://login.salesforce.com",
    ] {
        assert_eq!(salesforce_aud_status(&sb, bad), "fail", "{bad}");
    }
}

#[test]
fn google_self_signed_aud_must_be_an_api_not_the_token_endpoint() {
    let sb = Sandbox::new();
    let run = |aud: &str| {
        sb.certkit(&[
            "verify",
            &td("google-sample.json"),
            "--profile",
            "google-self-signed",
            "--aud",
            aud,
        ])
    };
    run("https://bigquery.googleapis.com/").code_is(0);
    run("https://oauth2.googleapis.com/token").code_is(1);
    run("https://bigquery.googleapis.com.evil.example/").code_is(1);
}

#[test]
fn quotes_of_any_kind_around_sub_fail() {
    let sb = Sandbox::new();
    for sub in [
        "\u{201c}u@x.com\u{201d}",
        "'u@x.com'",
        " u@x.com",
        "\"u@x.com\"",
    ] {
        let r = sb.certkit(&[
            "verify",
            &td("google-sample.json"),
            "--profile",
            "salesforce",
            "--iss",
            "3MVGx",
            "--sub",
            sub,
        ]);
        r.code_is(1);
        assert!(r.stdout.contains("quotes"), "{sub}: {}", r.stdout);
    }
}

#[test]
fn preflight_salesforce_import_with_alias_still_fails_a_multi_entry_keystore() {
    let sb = Sandbox::new();
    let pw = sb.secret("pw", "storepw1");
    let r = sb.certkit(&[
        "preflight",
        &td("keytool-multi.jks"),
        "--target",
        "salesforce-import",
        "--password-file",
        &pw,
        "--alias",
        "beta",
        "--json",
    ]);
    r.code_is(1);
    let v = r.json();
    let status = |id: &str| {
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .map(|c| c["status"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(status("salesforce.one-entry"), "fail");
    // "trusted-ca" has a hyphen: not a Unique Name.
    assert_eq!(status("salesforce.alias"), "fail");
}

#[test]
fn kid_on_an_ec_key_is_unsupported_naming_ec() {
    let sb = Sandbox::new();
    let r = sb.certkit(&["kid", &td("ec-key.key.pem")]);
    r.code_is(5);
    assert!(r.stderr.contains("EC"), "{}", r.stderr);
}

#[test]
fn malformed_metadata_is_named_not_taken_for_a_missing_key() {
    let sb = Sandbox::new();
    let bad_jwk = sb.path("jwk.json");
    std::fs::write(
        &bad_jwk,
        r#"{"keys":[{"kty":"RSA","n":"!!","e":"AQAB","kid":"x"}]}"#,
    )
    .unwrap();
    let r = sb.certkit(&[
        "kid",
        &td("google-sample.json"),
        "--metadata",
        &crate::common::path_str(&bad_jwk),
    ]);
    r.code_is(4);
    assert!(r.stderr.contains("keys[0].n"), "{}", r.stderr);
    let other = sb.path("other.json");
    std::fs::write(&other, r#"{"x":5}"#).unwrap();
    let r = sb.certkit(&[
        "kid",
        &td("google-sample.json"),
        "--metadata",
        &crate::common::path_str(&other),
    ]);
    r.code_is(4);
    assert!(r.stderr.contains("metadata"), "{}", r.stderr);
}

#[test]
fn print_token_with_json_puts_the_token_in_the_report() {
    // It was a usage error with --json after the command, and with `certkit --json verify`
    // the token was dropped: now the one JSON document carries it.
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "verify",
        &td("google-sample.json"),
        "--print-token",
        "--json",
    ]);
    r.ok();
    assert_eq!(s(&r.json(), "token").split('.').count(), 3, "{}", r.stdout);
}

#[test]
fn a_cert_file_without_a_certificate_is_a_usage_error_not_a_mismatch() {
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "verify",
        &td("google-sample.json"),
        "--profile",
        "google",
        "--scope",
        "s",
        "--cert",
        &td("google-sample.json"),
    ]);
    r.code_is(2);
    assert!(r.stderr.contains("holds no certificate"), "{}", r.stderr);
}

#[test]
fn preflight_without_a_password_exits_9_like_every_command() {
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "preflight",
        &td("keytool-store.jks"),
        "--target",
        "salesforce-import",
    ]);
    r.code_is(9);
}

#[test]
fn selfsign_encrypt_key_without_a_password_says_which_flags_give_one() {
    let sb = Sandbox::new();
    let r = sb.certkit(&["selfsign", "--cn", "a", "--encrypt-key"]);
    r.code_is(9);
    assert!(r.stderr.contains("--out-password-file"), "{}", r.stderr);
    assert!(!r.stderr.contains("input password"), "{}", r.stderr);
    assert!(sb.files().is_empty());
}

#[test]
fn a_repaired_keytool_recipe_jks_still_reports_the_google_key_id() {
    let sb = Sandbox::new();
    let broken = keytool_recipe_jks(&sb);
    let pw = sb.secret("pw", OUT_PW);
    let r = sb.certkit(&[
        "p12-to-jks",
        &broken,
        "-o",
        &sb.p("fixed.jks"),
        "--password-file",
        &pw,
        "--out-password-file",
        &pw,
        "--json",
    ]);
    r.ok();
    let want = sb
        .openssl(&[
            "x509",
            "-in",
            &td("google-sample.crt.pem"),
            "-noout",
            "-fingerprint",
            "-sha1",
        ])
        .stdout
        .trim()
        .rsplit('=')
        .next()
        .unwrap()
        .replace(':', "")
        .to_lowercase();
    assert_eq!(r.json()["google"]["key_id"], want);
}

// ---- Found by the review of the "one shape" change: one test per finding ----

/// Every fix command preflight prints for the fixtures works when pasted, and where no
/// rewrite can help (a key Salesforce refuses, no certificate, no key, a key password only
/// the user knows) no command is printed at all.
#[test]
fn every_printed_preflight_command_works_and_none_is_printed_where_none_would() {
    let sb = Sandbox::new();
    let cases: &[(&str, Option<&str>, &[&str], bool)] = &[
        ("google-1024.p12", None, &[], false),
        ("ec-key.p12", Some("changeit"), &[], false),
        ("google-sample.key.pem", None, &[], false),
        ("google-sample.crt.pem", None, &[], false),
        ("keytool-keypass.jks", Some("storepw1"), &[], false),
        ("google-sample.json", None, &[], true),
        (
            "keytool-multi.jks",
            Some("storepw1"),
            &["--entry", "beta"],
            true,
        ),
        ("keytool-default.p12", Some("storepw1"), &[], true),
    ];
    for (i, (fixture, pw, extra, expect_command)) in cases.iter().enumerate() {
        let name = format!("in{i}-{fixture}");
        std::fs::copy(td(fixture), sb.path(&name)).unwrap();
        let mut args = vec![
            "preflight",
            name.as_str(),
            "--target",
            "salesforce-import",
            "--json",
        ];
        let pwfile = pw.map(|p| sb.secret(&format!("pw{i}"), p));
        if let Some(f) = &pwfile {
            args.extend(["--password-file", f.as_str()]);
        }
        args.extend_from_slice(extra);
        let r = sb.certkit(&args);
        r.code_is(1);
        let v = r.json();
        let mut commands: Vec<&str> = v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["command"].as_str())
            .collect();
        commands.dedup();
        assert_eq!(!commands.is_empty(), *expect_command, "{fixture}: {v}");
        assert!(
            commands.len() <= 1,
            "one fix for the whole file: {commands:?}"
        );
        for cmd in commands {
            if extra.contains(&"beta") {
                assert!(cmd.contains("--entry beta"), "{cmd}");
            }
            let pasted = sb.shell(cmd);
            assert_eq!(pasted.code, 0, "{fixture}: {cmd}\n{}", pasted.stderr);
        }
    }
}

#[test]
fn a_token_given_as_a_token_file_argument_is_refused_without_echoing_it() {
    let sb = Sandbox::new();
    let token = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJzZWNyZXQifQ.c2lnbmF0dXJlLXRoYXQtaXMtbG9uZw";
    for arg in [
        format!("Bearer {token}"),
        format!("\"{token}\""),
        format!("{token}x."),
    ] {
        let r = sb.certkit(&[
            "verify",
            "--token-file",
            &arg,
            "--cert",
            &td("google-sample.crt.pem"),
            "--json",
        ]);
        r.code_is(2);
        assert!(
            !r.all_output().contains("c2lnbmF0dXJl"),
            "{}",
            r.all_output()
        );
    }
}

#[test]
fn claim_options_with_a_token_file_are_refused() {
    let sb = Sandbox::new();
    let t = sb.token_file("a.b.c");
    let r = sb.certkit(&[
        "verify",
        "--token-file",
        &t,
        "--cert",
        &td("google-sample.crt.pem"),
        "--iss",
        "x",
    ]);
    r.code_is(2);
    assert!(r.stderr.contains("checked as it is"), "{}", r.stderr);
}

#[test]
fn p12_to_jks_takes_allow_long_validity_for_a_json_keys_certificate() {
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.json"),
        "-o",
        "a.jks",
        "--generate-password",
        "--days",
        "4000",
    ]);
    r.code_is(2);
    assert!(r.stderr.contains("--allow-long-validity"), "{}", r.stderr);
    sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.json"),
        "-o",
        "a.jks",
        "--generate-password",
        "--days",
        "4000",
        "--allow-long-validity",
    ])
    .ok();
}

#[test]
fn a_pem_key_without_certificate_is_pointed_to_cert_and_an_ec_one_is_unsupported_first() {
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.key.pem"),
        "-o",
        "x.jks",
        "--generate-password",
    ]);
    r.code_is(6);
    assert!(r.stderr.contains("--cert FILE"), "{}", r.stderr);
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("ec-key.key.pem"),
        "-o",
        "ec.jks",
        "--generate-password",
    ]);
    r.code_is(5);
}

#[test]
fn a_json_usage_error_names_what_is_missing() {
    let sb = Sandbox::new();
    let r = sb.certkit(&["inspect", "--json"]);
    r.code_is(2);
    assert!(s(&r.json(), "message").contains("<INPUT>"), "{}", r.stdout);
}

#[test]
fn a_huge_exp_seconds_is_a_usage_error_not_a_panic() {
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "verify",
        &td("other-2048.key.pem"),
        "--exp-seconds",
        "9223372036854775807",
    ]);
    r.code_is(2);
    crate::defects::assert_no_internal_error(&r);
}

#[test]
fn an_empty_password_variable_is_named_exit_9() {
    let sb = Sandbox::new();
    let r = sb.certkit_env(
        &["inspect", &td("keytool-store.jks"), "--password-env", "E"],
        &[("E", "")],
    );
    r.code_is(9);
    assert!(
        r.stderr.contains("environment variable E is empty"),
        "{}",
        r.stderr
    );
}

#[test]
fn verify_warns_when_the_other_sides_certificate_expires_soon() {
    let sb = Sandbox::new();
    let key = td("other-2048.key.pem");
    let soon = crate::support_jwt::openssl_cert_with_dates(
        &sb,
        &key,
        "soon",
        &crate::support_jwt::openssl_date_in_days(-1),
        &crate::support_jwt::openssl_date_in_days(8),
        "soon",
    );
    let r = sb.certkit(&[
        "verify", &key, "--cert", &soon, "--iss", "a", "--sub", "b", "--aud", "c", "--json",
    ]);
    r.ok();
    assert_eq!(
        crate::support_jwt::status(&r.json(), "certificate.validity"),
        "warn"
    );
}

#[test]
fn an_encrypted_pem_key_without_its_password_names_the_pem_key_password() {
    let sb = Sandbox::new();
    sb.openssl(&[
        "pkcs8",
        "-topk8",
        "-in",
        &td("google-sample.key.pem"),
        "-out",
        "enc.pem",
        "-passout",
        "pass:secret1",
    ])
    .ok();
    let r = sb.certkit(&["inspect", "enc.pem"]);
    r.code_is(9);
    assert!(
        r.stderr.contains("private key (PEM) password"),
        "{}",
        r.stderr
    );
}

// ---- Bounded reading (hardening) ----

#[test]
fn an_endless_or_huge_input_is_refused_within_the_limit() {
    let sb = Sandbox::new();
    let r = sb.certkit(&["inspect", "/dev/zero"]);
    r.code_is(4);
    assert!(r.stderr.contains("more than the 16 MiB"), "{}", r.stderr);
    // A password file that never ends.
    let r = sb.certkit(&[
        "inspect",
        &td("keytool-store.jks"),
        "--password-file",
        "/dev/zero",
    ]);
    r.code_is(4);
    assert!(r.stderr.contains("64 KiB"), "{}", r.stderr);
    // A sparse 300 MB file is refused from its size, before it is read.
    let big = sb.path("big.p12");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(300 << 20)
        .unwrap();
    let r = sb.certkit(&["inspect", &crate::common::path_str(&big)]);
    r.code_is(4);
    assert!(r.stderr.contains("314572800 bytes"), "{}", r.stderr);
}

// ---- Found by the review of exchange, explain, convert, renew and expiry ----

#[test]
fn convert_refuses_a_key_without_certificate_into_jks_or_pkcs12_but_writes_its_der() {
    let sb = Sandbox::new();
    let pw = sb.secret("pw", OUT_PW);
    for out in ["k.jks", "k.p12"] {
        let r = sb.certkit(&[
            "convert",
            &td("google-sample.key.pem"),
            "-o",
            out,
            "--out-password-file",
            &pw,
        ]);
        r.code_is(2);
        assert!(
            r.stderr.contains("certificate file as another input"),
            "{}",
            r.stderr
        );
        assert!(!sb.path(out).exists());
    }
    sb.certkit(&[
        "convert",
        &td("google-sample.key.pem"),
        "--to",
        "der",
        "--key-out",
        "k.der",
    ])
    .ok();
    assert_eq!(
        std::fs::read(sb.path("k.der")).unwrap(),
        crate::common::read_testdata("google-sample.key.der")
    );
    // The same file for key and certificates is refused.
    let r = sb.certkit(&[
        "convert",
        &td("google-sample.p12"),
        "--key-out",
        "same.pem",
        "--cert-out",
        "same.pem",
    ]);
    r.code_is(2);
    // Where the output's password came from is said.
    let r = sb.certkit(&["convert", &td("google-sample.p12"), "-o", "g.jks", "--json"]);
    r.ok();
    assert_eq!(r.json()["password"], "the input's password, reused");
}

#[test]
fn renew_keeps_a_foreign_certificates_subject_and_extensions() {
    let sb = Sandbox::new();
    sb.openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "c.key",
        "-out",
        "c.crt",
        "-days",
        "30",
        "-subj",
        "/C=FR/ST=IDF/L=Paris/O=Acme/OU=IT/CN=org2",
        "-addext",
        "extendedKeyUsage=serverAuth,clientAuth",
        "-addext",
        "keyUsage=digitalSignature,keyEncipherment",
        "-addext",
        "certificatePolicies=1.2.3.4",
    ])
    .ok();
    // The README's runbook writes into a folder that does not exist yet.
    sb.certkit(&[
        "renew",
        "c.key",
        "--cert",
        "c.crt",
        "--days",
        "100",
        "--out-dir",
        "new",
    ])
    .ok();
    let show = |c: &str| {
        sb.openssl(&[
            "x509",
            "-in",
            c,
            "-noout",
            "-subject",
            "-ext",
            "basicConstraints,keyUsage,extendedKeyUsage,certificatePolicies,subjectKeyIdentifier",
        ])
        .stdout
    };
    assert_eq!(show("c.crt"), show("new/org2.crt"));
    let r = sb.certkit(&[
        "renew",
        &td("ec-key.p12"),
        "--password-file",
        &sb.secret("p", "changeit"),
        "--days",
        "30",
        "--out-dir",
        "ec",
    ]);
    r.code_is(5);
}

#[test]
fn expiry_skips_pipes_in_folders_and_a_missing_path_is_exit_8() {
    let sb = Sandbox::new();
    std::fs::create_dir(sb.path("d")).unwrap();
    sb.shell("mkfifo d/pipe").ok();
    std::fs::write(sb.path("d/VERSION"), "0.1.0\n").unwrap();
    std::fs::copy(td("google-sample.crt.pem"), sb.path("d/c.pem")).unwrap();
    let r = sb.certkit(&["expiry", "d", "--json"]);
    r.ok();
    let v = r.json();
    assert!(v["problems"].as_array().unwrap().is_empty(), "{v}");
    assert_eq!(v["certificates"].as_array().unwrap().len(), 1);
    let r = sb.certkit(&["expiry", "d", "nosuchdir"]);
    r.code_is(8);
    assert!(r.stdout.contains("MISSING"), "{}", r.stdout);
}

#[test]
fn explain_does_not_take_a_bare_code_for_a_cause() {
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "explain",
        "Unable to complete the JWT token exchange. Error: invalid_grant.",
        "--json",
    ]);
    r.code_is(1);
    assert!(
        r.json()["matches"].as_array().unwrap().is_empty(),
        "{}",
        r.stdout
    );
    // A known wording followed by more words, and an sf --json report.
    for text in [
        "Unable to complete the JWT token exchange. Error: invalid_grant. Error description: inactive user. (System Code)",
        r#"{"message":"ERROR: invalid_grant: inactive user","exitCode":1}"#,
        "Error (1): External client app is not installed in this org",
    ] {
        let r = sb.certkit(&["explain", text, "--json"]);
        r.ok();
        assert!(s(&r.json()["matches"][0], "id").starts_with("salesforce."), "{text}: {}", r.stdout);
    }
}

#[test]
fn exchange_answers_of_odd_shapes_are_read_right() {
    let sb = Sandbox::new();
    let answers = r#"[
      {"path": "idtok", "status": 200, "body": "{\"id_token\": \"eyJ.x.y\"}"},
      {"path": "arr", "status": 200, "body": "{\"access_token\": \"t0k3n-secret\", \"token_type\": \"Bearer\", \"scope\": [\"a\", \"b\"]}"},
      {"path": "ctl", "status": 400, "body": "{\"error\": \"invalid_grant\", \"error_description\": \"bad\\u001b[31m\\nFORGED LINE\"}"}
    ]"#;
    std::fs::write(sb.path("a.json"), answers).unwrap();
    let srv = crate::servers::Server::start(&sb, "replay", &["--answers", &sb.p("a.json")]);
    let base = [
        "exchange",
        &*td("google-sample.p12"),
        "--profile",
        "google",
        "--scope",
        "x",
        "--token-url",
    ];
    let run = |path: &str, json: bool| {
        let url = srv.url(path);
        let mut args: Vec<&str> = base.to_vec();
        args.push(&url);
        if json {
            args.push("--json");
        }
        sb.certkit(&args)
    };
    let r = run("idtok", true);
    r.code_is(1);
    assert_eq!(s(&r.json()["diagnosis"][0], "id"), "google.id-token-only");
    assert!(!r.stdout.contains("eyJ.x.y"), "the id_token was shown");
    let r = run("arr", true);
    r.ok();
    assert_eq!(r.json()["granted"]["scope"], "a b");
    assert!(!r.all_output().contains("t0k3n-secret"));
    let r = run("ctl", false);
    r.code_is(1);
    assert!(
        !r.stdout.contains('\u{1b}'),
        "a control character reached the terminal"
    );
    assert!(
        !r.stdout.lines().any(|l| l.starts_with("FORGED LINE")),
        "{}",
        r.stdout
    );
}

#[test]
fn the_salesforce_token_url_is_the_audiences_host_whatever_its_path() {
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "exchange",
        &td("google-sample.p12"),
        "--profile",
        "salesforce",
        "--iss",
        "3MVG9x",
        "--sub",
        "u@example.com",
        "--aud",
        "https://login.salesforce.com/services/oauth2/token",
        "--dry-run",
        "--json",
    ]);
    // The dry run also says, and exits 1 for, the aud Salesforce refuses (the token endpoint
    // is not an audience).
    r.code_is(1);
    assert_eq!(
        r.json()["request"]["url"],
        "https://login.salesforce.com/services/oauth2/token"
    );
    assert!(
        r.json()["offline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["status"] == "fail" && c["detail"].as_str().unwrap().contains("aud")),
        "{}",
        r.stdout
    );
}

#[test]
fn inspect_of_several_files_lists_those_it_can_and_then_names_the_one_it_cannot() {
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "inspect",
        &td("keytool-store.jks"),
        "missing.p12",
        &td("google-sample.crt.pem"),
    ]);
    r.code_is(8);
    assert_eq!(r.stdout.matches("==> ").count(), 2, "{}", r.stdout);
    assert!(r.stderr.contains("missing.p12"), "{}", r.stderr);
}

// ---- Found by fuzzing (issue 11): the crashing input is kept in fuzz/regressions/ ----

#[test]
fn a_pasted_token_with_a_multibyte_character_at_byte_seven_is_an_error_not_a_panic() {
    // fuzz/regressions/jwt/crash-987b...: quotes around a token whose eighth byte is inside
    // 'Ǯ'; the "Bearer " check sliced the text at byte 7.
    let sb = Sandbox::new();
    let data = std::fs::read(format!(
        "{}/fuzz/regressions/jwt/crash-987b291978308a68bc9079c8d249c9c4de25eebd",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    std::fs::write(sb.path("token"), &data).unwrap();
    let r = sb.certkit(&[
        "verify",
        "--token-file",
        "token",
        "--cert",
        &td("google-sample.crt.pem"),
        "--profile",
        "google",
    ]);
    r.code_is(4);
    assert!(!r.stderr.contains("internal error"), "{}", r.stderr);
    // And the text a user could paste: "Bearer" spelled with a two-byte letter.
    std::fs::write(sb.path("token2"), "BearéX a.b.c").unwrap();
    let r = sb.certkit(&[
        "verify",
        "--token-file",
        "token2",
        "--cert",
        &td("google-sample.crt.pem"),
        "--profile",
        "google",
    ]);
    r.code_is(4);
}

// ---- Found by the property tests (issue 11) ----

#[test]
fn a_pkcs12_password_or_alias_beyond_u_ffff_is_refused_not_an_internal_error() {
    // PKCS#12 keeps the MAC password and friendlyName as BMPString; the writer refused
    // "𝕊" with "malformed ASN.1 DER value for BMPString" as an internal error (exit 101).
    let sb = Sandbox::new();
    let emoji = sb.secret("emoji.pw", "pass😀word");
    let r = sb.certkit(&[
        "convert",
        &td("google-sample.key.pem"),
        &td("google-sample.crt.pem"),
        "-o",
        "out.p12",
        "--out-password-file",
        &emoji,
    ]);
    r.code_is(5);
    assert!(r.stderr.contains("U+FFFF"), "{}", r.stderr);
    assert!(!sb.path("out.p12").exists());
    let pw = sb.secret("pw", "Abcd1234");
    let r = sb.certkit(&[
        "convert",
        &td("google-sample.key.pem"),
        &td("google-sample.crt.pem"),
        "-o",
        "out.p12",
        "--out-password-file",
        &pw,
        "--alias",
        "key😀",
    ]);
    r.code_is(5);
    assert!(r.stderr.contains("key😀"), "{}", r.stderr);
    // The setting the core names (the alias) rendered as the flag, on the message's line.
    assert!(
        r.stderr.contains("BMPString; rename it with --alias\n"),
        "{}",
        r.stderr
    );
}

// ---- Issue 18: the core names a setting, the command line its flag ----

/// Each message that asks for an option, as the command line words it: the core names a
/// `Setting` and `src/cli/render.rs` puts the flag in its place, with the same words as when
/// the core spelled the flags out.
#[test]
fn the_options_the_core_asks_for_are_named_by_their_flags() {
    let sb = Sandbox::new();
    let opw = sb.secret("opw", "Abcd1234efgh");
    let (k, c) = (td("google-sample.key.pem"), td("google-sample.crt.pem"));
    let other = td("other-2048.crt.pem");
    let api = ["--url", "https://api.example.com"];
    let sf = |more: &[&str]| -> Vec<String> {
        let mut v = vec!["metadata", &k, "--profile", "salesforce", "--out-dir", "d"];
        v.extend_from_slice(more);
        v.into_iter().map(str::to_string).collect()
    };
    let cases: Vec<(Vec<String>, i32, &str)> = vec![
        (
            ["convert", &k, &c, "--to", "jks", "--out-password-file", &opw].map(String::from).to_vec(),
            2,
            "name the output file with -o FILE\n",
        ),
        (
            ["convert", &k, &c, "--to", "pem"].map(String::from).to_vec(),
            2,
            "name the output with -o FILE (for PEM and DER, or the key and certificates with --key-out FILE / --cert-out FILE)\n",
        ),
        (
            ["convert", &k, &c, "--cert-out", "c.pem"].map(String::from).to_vec(),
            2,
            "the inputs hold a private key: name the file for it with -o FILE or --key-out FILE\n",
        ),
        (
            ["convert", &k, &c, "--key-out", "k.pem"].map(String::from).to_vec(),
            2,
            "name the file for the certificates with -o FILE or --cert-out FILE\n",
        ),
        (sf(&["--cert", &c]), 2, "give the Connected App's consumer key with --iss CONSUMER_KEY (or --client-app to deploy one)\n"),
        (sf(&["--cert", &c, "--iss", "3MVG"]), 2, "give the integration user's username with --sub USERNAME\n"),
        (
            sf(&["--cert", &c, "--iss", "3MVG", "--sub", "u@example.com", "--aud", "ftp://x"]),
            2,
            "the audience \"ftp://x\" is not an https URL: give the token URL with --token-url URL\n",
        ),
        (
            sf(&["--cert", &c, "--iss", "3MVG", "--sub", "u@example.com"]),
            2,
            "give the URL of the API the Named Credential calls with --url URL\n",
        ),
        (
            sf(&["--cert", &c, "--iss", "3MVG", "--sub", "u@example.com", api[0], api[1], "--exp-seconds", "0"]),
            2,
            "the expiration must be a positive number of seconds: give --exp-seconds SECONDS above 0\n",
        ),
        (
            sf(&["--iss", "3MVG", "--sub", "u@example.com", api[0], api[1]]),
            2,
            "no name can be made from the key: give one with --name NAME\n",
        ),
        (
            sf(&["--cert", &other, "--iss", "3MVG", "--sub", "u@example.com", api[0], api[1]]),
            6,
            "\n  fix: give the certificate that was made with this key with --cert FILE\n",
        ),
        (
            ["metadata", &k, "--cert", &c, "--profile", "generic", "--out-dir", "d"].map(String::from).to_vec(),
            2,
            "an External Credential whose claims are set needs iss, sub and aud: give --aud URL\n",
        ),
        (
            ["exchange", &k, "--profile", "salesforce", "--iss", "a", "--sub", "b", "--aud", "ftp://x", "--dry-run"].map(String::from).to_vec(),
            2,
            "the audience \"ftp://x\" is not an https URL: give the token URL with --token-url URL\n",
        ),
        (
            vec!["verify".to_string()],
            2,
            "give the signing key file, or a token with --token-file FILE and the certificate to verify it with --cert FILE\n",
        ),
        (
            ["renew", &k, "--days", "30"].map(String::from).to_vec(),
            2,
            "holds the key without a certificate: give it with --cert FILE (or make one with selfsign)\n",
        ),
    ];
    for (args, code, words) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = sb.certkit(&args);
        r.code_is(*code);
        assert!(r.stderr.contains(words), "{args:?}: {}", r.stderr);
    }
    // A note of a report (DER holds no key), in text and in --json.
    let r = sb.certkit(&["convert", &k, &c, "-o", "out.der"]);
    r.ok();
    let note = "(a DER file holds one object): add --key-out FILE to have it";
    assert!(r.stdout.contains(note), "{}", r.stdout);
    let r = sb.certkit(&["--json", "convert", &k, &c, "-o", "out2.der"]);
    let notes = r.json()["notes"].clone();
    assert!(
        notes[0].as_str().is_some_and(|n| n.ends_with(note)),
        "{notes}"
    );
}

/// selfsign's printed `sf org login jwt --jwt-key-file KEY` quotes a key path with a space, as
/// every other printed command does: pasted, it must name the one file (it was printed bare,
/// and a shell split it into three words).
#[test]
fn the_printed_sf_login_command_quotes_a_key_path_with_a_space() {
    let sb = Sandbox::new();
    let r = sb.certkit(&["selfsign", "--cn", "t", "--out-dir", "dir with space"]);
    r.ok();
    // `dir with space/t.key` here, `dir with space\t.key` from the Windows build.
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains("--jwt-key-file"))
        .unwrap();
    let arg = line.split("--jwt-key-file ").nth(1).unwrap();
    let arg = arg.split(';').next().unwrap();
    assert!(
        arg.starts_with("'dir with space") && arg.ends_with("t.key'"),
        "{line}"
    );
    // What a shell makes of it: one word.
    let words = sb.shell(&format!("printf '<%s>\\n' {arg}"));
    words.ok();
    assert_eq!(words.stdout.lines().count(), 1, "{}", words.stdout);
    assert!(sb.path("dir with space").join("t.key").is_file());
}

/// A password file from Windows PowerShell 5.1: `Set-Content -Encoding utf8` starts it with a
/// UTF-8 byte-order mark, which is not part of the password (it was, and the keystore's
/// password was "wrong"); `>` writes UTF-16, which is refused with how to save it instead.
#[test]
fn a_password_file_from_windows_powershell_is_read_or_refused_with_how_to_save_it() {
    let sb = Sandbox::new();
    std::fs::write(sb.path("bom.txt"), b"\xEF\xBB\xBFnotasecret\r\n").unwrap();
    sb.certkit(&[
        "inspect",
        &td("google-sample.p12"),
        "--password-file",
        "bom.txt",
    ])
    .ok();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("notasecret\r\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(sb.path("utf16.txt"), utf16).unwrap();
    let r = sb.certkit(&[
        "inspect",
        &td("google-sample.p12"),
        "--password-file",
        "utf16.txt",
    ]);
    r.code_is(2);
    assert!(
        r.stderr.contains("UTF-16") && r.stderr.contains("Set-Content -Encoding utf8"),
        "{}",
        r.stderr
    );
}
