//! `certkit p12-to-jks` against the real peers: keytool lists and opens what certkit
//! writes, and the key and certificate come back byte for byte.

use std::os::unix::fs::PermissionsExt;

use crate::common::{expected_keystore, read_testdata, s, td, unix_modes, Sandbox};

const OUT_PW: &str = "abc12345";
const JKS_MAGIC: [u8; 4] = [0xFE, 0xED, 0xFE, 0xED];

/// Files in the sandbox that a run added.
fn added(sb: &Sandbox, before: &[String]) -> Vec<String> {
    sb.files()
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect()
}

/// Run certkit, expect exit `code`, and check that the refused run wrote no file.
#[track_caller]
fn refused(sb: &Sandbox, args: &[&str], code: i32) -> crate::common::Run {
    let before = sb.files();
    let r = sb.certkit(args);
    r.code_is(code);
    assert_eq!(
        added(sb, &before),
        Vec::<String>::new(),
        "a refused run wrote files"
    );
    r
}

#[test]
fn google_p12_with_default_password_becomes_jks_keytool_lists_as_one_private_key_entry() {
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", OUT_PW);
    // No input password flag: Google's notasecret is found on its own.
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "--out-password-file",
        &pw,
    ]);
    r.ok();
    // Default output: the input's stem with .jks, in the current folder.
    let out = sb.p("google-sample.jks");
    let listing = sb.keytool_list(&out, OUT_PW);
    assert_eq!(listing.count, 1, "{listing:?}");
    assert_eq!(listing.entries.len(), 1);
    assert_eq!(listing.entries[0].alias, "privatekey");
    assert_eq!(listing.entries[0].field("Entry type"), "PrivateKeyEntry");
    // The human report ends with the next step in Salesforce.
    assert!(r.stdout.contains("Import from Keystore"), "{}", r.stdout);
    assert!(r.stdout.contains("Identity Provider"), "{}", r.stdout);
}

#[test]
fn google_p12_key_and_certificate_come_back_from_keytool_byte_for_byte() {
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", OUT_PW);
    let out = sb.p("out.jks");
    sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "-o",
        &out,
        "--out-password-file",
        &pw,
    ])
    .ok();
    // The key opens with the store password (key password == store password).
    let key = sb.keytool_extract_key(&out, "privatekey", OUT_PW, OUT_PW);
    assert!(
        key == read_testdata("google-sample.key.der"),
        "key recovered by keytool differs from testdata/google-sample.key.der"
    );
    let cert = sb.keytool_export_cert(&out, "privatekey", OUT_PW);
    assert!(
        cert == read_testdata("google-sample.crt.der"),
        "certificate exported by keytool differs from testdata/google-sample.crt.der"
    );
}

#[test]
fn generate_password_json_report_gives_a_password_keytool_opens_the_jks_with() {
    let sb = Sandbox::new();
    let out = sb.p("gen.jks");
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "-o",
        &out,
        "--generate-password",
        "--json",
    ]);
    r.ok();
    let report = r.json();
    let pw = s(&report, "generated_password").to_string();
    assert_eq!(pw.chars().count(), 8, "generated password length");
    for c in pw.chars() {
        assert!(
            c.is_ascii_alphanumeric() && !"0O1lI".contains(c),
            "generated password has ambiguous or non-alphanumeric character {c:?}"
        );
    }
    // Shown once: in the JSON report, not again on stderr.
    assert!(!r.stderr.contains(&pw), "generated password also on stderr");

    assert_eq!(s(&report, "alias"), "privatekey");
    assert_eq!(report["key"]["bits"], 2048);
    let openssl_fp = sb.openssl_sha256(&td("google-sample.crt.der"), "DER");
    assert_eq!(s(&report["certificate"], "sha256"), openssl_fp);
    let exp = &expected_keystore("google-sample.p12")["cert"];
    assert_eq!(
        s(&report["certificate"], "sha1")
            .replace(':', "")
            .to_lowercase(),
        s(exp, "sha1_hex")
    );
    assert_eq!(s(&report, "output"), out);
    assert_eq!(s(&report, "password_policy"), "salesforce");
    let enddate = sb.openssl(&[
        "x509",
        "-in",
        &td("google-sample.crt.pem"),
        "-noout",
        "-enddate",
    ]);
    enddate.ok();
    // "notAfter=Nov 21 22:46:57 2036 GMT" against "2036-11-21T22:46:57Z"
    let not_after = s(&report["certificate"], "not_after");
    assert!(
        enddate.stdout.contains(&not_after[11..19]) && enddate.stdout.contains(&not_after[0..4]),
        "not_after {not_after} vs openssl {}",
        enddate.stdout
    );

    let listing = sb.keytool_list(&out, &pw);
    assert_eq!(listing.count, 1);
    assert_eq!(listing.entries[0].alias, "privatekey");
    assert_eq!(listing.entries[0].field("Entry type"), "PrivateKeyEntry");
}

#[test]
fn generate_password_without_json_shows_it_once_on_stderr_and_not_on_stdout() {
    let sb = Sandbox::new();
    let out = sb.p("gen.jks");
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "-o",
        &out,
        "--generate-password",
    ]);
    r.ok();
    let line = r
        .stderr
        .lines()
        .find(|l| l.to_lowercase().contains("password"))
        .unwrap_or_else(|| panic!("no generated password on stderr:\n{}", r.stderr));
    let pw = line.rsplit(' ').next().unwrap().trim().to_string();
    assert_eq!(pw.chars().count(), 8, "password taken from {line:?}");
    assert_eq!(r.stderr.matches(&pw).count(), 1, "shown more than once");
    assert!(!r.stdout.contains(&pw), "generated password on stdout");
    // And it is the keystore's password.
    assert_eq!(sb.keytool_list(&out, &pw).count, 1);
}

#[test]
fn without_output_password_and_no_terminal_exits_9_names_the_flags_and_writes_nothing() {
    let sb = Sandbox::new();
    // notasecret (found automatically) does not fit the salesforce policy, so it is not reused.
    let r = refused(&sb, &["p12-to-jks", &td("google-sample.p12")], 9);
    assert!(r.stderr.contains("--out-password-file"), "{}", r.stderr);
    assert!(r.stderr.contains("--generate-password"), "{}", r.stderr);
}

#[test]
fn notasecret_as_output_password_is_refused_by_the_salesforce_policy_with_exit_6() {
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", "notasecret");
    let r = refused(
        &sb,
        &[
            "p12-to-jks",
            &td("google-sample.p12"),
            "-o",
            "out.jks",
            "--out-password-file",
            &pw,
        ],
        6,
    );
    assert!(r.stderr.contains("password"), "{}", r.stderr);
    assert!(r.stderr.contains("6 to 8"), "{}", r.stderr);
}

#[test]
fn java_password_policy_accepts_notasecret_and_keytool_opens_the_jks_with_it() {
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", "notasecret");
    let out = sb.p("out.jks");
    sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "-o",
        &out,
        "--out-password-file",
        &pw,
        "--password-policy",
        "java",
    ])
    .ok();
    let listing = sb.keytool_list(&out, "notasecret");
    assert_eq!(listing.count, 1);
    assert_eq!(listing.entries[0].field("Entry type"), "PrivateKeyEntry");
}

#[test]
fn existing_output_is_kept_and_the_run_exits_7() {
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", OUT_PW);
    let out = sb.path("out.jks");
    std::fs::write(&out, b"precious").unwrap();
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "-o",
        "out.jks",
        "--out-password-file",
        &pw,
    ]);
    r.code_is(7);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(std::fs::read(&out).unwrap(), b"precious");
    assert_eq!(
        sb.files(),
        vec!["out.jks".to_string(), "out.pw".to_string()]
    );
}

#[test]
fn force_replaces_an_existing_output_with_a_jks_of_mode_0600() {
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", OUT_PW);
    let out = sb.path("out.jks");
    std::fs::write(&out, b"old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "-o",
        "out.jks",
        "--out-password-file",
        &pw,
        "--force",
    ])
    .ok();
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(bytes[..4], JKS_MAGIC, "not replaced by a JKS");
    if unix_modes() {
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "mode {mode:o}");
    }
    assert_eq!(sb.keytool_list(&sb.p("out.jks"), OUT_PW).count, 1);
    assert_eq!(
        sb.files(),
        vec!["out.jks".to_string(), "out.pw".to_string()]
    );
}

#[test]
fn new_output_file_has_mode_0600_and_no_temporary_file_is_left() {
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", OUT_PW);
    sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "-o",
        "new.jks",
        "--out-password-file",
        &pw,
    ])
    .ok();
    if unix_modes() {
        let mode = std::fs::metadata(sb.path("new.jks"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600, "mode {mode:o}");
    }
    assert_eq!(
        sb.files(),
        vec!["new.jks".to_string(), "out.pw".to_string()]
    );
}

#[test]
fn google_1024_bit_key_is_refused_with_exit_6_naming_2048_and_a_new_key() {
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", OUT_PW);
    let r = refused(
        &sb,
        &[
            "p12-to-jks",
            &td("google-1024.p12"),
            "--out-password-file",
            &pw,
        ],
        6,
    );
    assert!(r.stderr.contains("2048"), "{}", r.stderr);
    assert!(r.stderr.contains("new key"), "{}", r.stderr);
}

#[test]
fn google_1024_bit_key_with_no_salesforce_rules_is_written_with_a_warning() {
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", OUT_PW);
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-1024.p12"),
        "--out-password-file",
        &pw,
        "--no-salesforce-rules",
    ]);
    r.ok();
    assert!(r.stderr.contains("warning"), "{}", r.stderr);
    assert!(r.stderr.contains("1024"), "{}", r.stderr);
    let listing = sb.keytool_list(&sb.p("google-1024.jks"), OUT_PW);
    assert_eq!(listing.count, 1);
    // keytool appends " (weak)" to a 1024-bit key.
    let spka = listing.entries[0].field("Subject Public Key Algorithm");
    assert!(spka.starts_with("1024-bit RSA key"), "{spka}");
}

#[test]
fn ec_key_is_unsupported_with_exit_5_naming_rsa() {
    let sb = Sandbox::new();
    let inpw = sb.secret("in.pw", "changeit");
    let pw = sb.secret("out.pw", OUT_PW);
    let r = refused(
        &sb,
        &[
            "p12-to-jks",
            &td("ec-key.p12"),
            "--password-file",
            &inpw,
            "--out-password-file",
            &pw,
        ],
        5,
    );
    assert!(r.stderr.contains("RSA"), "{}", r.stderr);
}

#[test]
fn jks_with_two_private_keys_is_a_usage_error_exit_2_asking_for_entry() {
    let sb = Sandbox::new();
    let inpw = sb.secret("in.pw", "storepw1");
    let pw = sb.secret("out.pw", OUT_PW);
    let r = refused(
        &sb,
        &[
            "p12-to-jks",
            &td("keytool-multi.jks"),
            "--password-file",
            &inpw,
            "--out-password-file",
            &pw,
        ],
        2,
    );
    assert!(r.stderr.contains("--entry"), "{}", r.stderr);
}

#[test]
fn entry_beta_of_a_multi_entry_jks_is_converted_with_its_key_byte_for_byte() {
    let sb = Sandbox::new();
    let inpw = sb.secret("in.pw", "storepw1");
    let pw = sb.secret("out.pw", OUT_PW);
    let out = sb.p("beta.jks");
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("keytool-multi.jks"),
        "--entry",
        "beta",
        "-o",
        &out,
        "--password-file",
        &inpw,
        "--out-password-file",
        &pw,
        "--json",
    ]);
    r.ok();
    let report = r.json();
    assert_eq!(s(&report, "alias"), "beta");
    let exp = &expected_keystore("keytool-multi.jks")["entries"]["beta"];
    assert_eq!(report["key"]["bits"], exp["key_bits"]);
    let key = sb.keytool_extract_key(&out, "beta", OUT_PW, OUT_PW);
    assert!(
        key == read_testdata(s(exp, "key_der")),
        "beta's key differs from testdata/keytool-multi.beta.key.der"
    );
    let cert = sb.keytool_export_cert(&out, "beta", OUT_PW);
    assert!(
        cert == read_testdata(s(exp, "cert_der")),
        "beta's certificate differs"
    );
}

#[test]
fn alias_my_key_2_is_written_as_the_unique_name_my_key_2() {
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", OUT_PW);
    let out = sb.p("alias.jks");
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "--alias",
        "My Key-2",
        "-o",
        &out,
        "--out-password-file",
        &pw,
        "--json",
    ]);
    r.ok();
    assert_eq!(s(&r.json(), "alias"), "my_key_2");
    let listing = sb.keytool_list(&out, OUT_PW);
    assert_eq!(listing.count, 1);
    assert_eq!(listing.entries[0].alias, "my_key_2");
}

#[test]
fn alias_starting_with_a_digit_is_refused_with_exit_6() {
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", OUT_PW);
    let r = refused(
        &sb,
        &[
            "p12-to-jks",
            &td("google-sample.p12"),
            "--alias",
            "1abc",
            "-o",
            "x.jks",
            "--out-password-file",
            &pw,
        ],
        6,
    );
    assert!(
        r.stderr.contains("does not begin with a letter"),
        "{}",
        r.stderr
    );
}

#[test]
fn jks_whose_key_password_differs_from_store_password_exits_3_naming_the_key_password() {
    let sb = Sandbox::new();
    let inpw = sb.secret("in.pw", "storepw1");
    let pw = sb.secret("out.pw", OUT_PW);
    let r = refused(
        &sb,
        &[
            "p12-to-jks",
            &td("keytool-keypass.jks"),
            "--password-file",
            &inpw,
            "--out-password-file",
            &pw,
        ],
        3,
    );
    assert!(r.stderr.contains("key password"), "{}", r.stderr);
    assert!(!r.stderr.contains("keystore password"), "{}", r.stderr);
}

#[test]
fn openssl_modern_p12_key_comes_through_byte_for_byte() {
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", OUT_PW);
    let out = sb.p("modern.jks");
    // Input password from the environment this time.
    sb.certkit_env(
        &[
            "p12-to-jks",
            &td("openssl-modern.p12"),
            "--password-env",
            "CERTKIT_TEST_IN_PW",
            "-o",
            &out,
            "--out-password-file",
            &pw,
        ],
        &[("CERTKIT_TEST_IN_PW", "changeit")],
    )
    .ok();
    let alias = expected_keystore("openssl-modern.p12")["aliases"][0]
        .as_str()
        .unwrap();
    let key = sb.keytool_extract_key(&out, alias, OUT_PW, OUT_PW);
    let want = sb.openssl_pkcs8_der(&td("openssl-modern.key.pem"));
    assert!(
        key == want,
        "key differs from testdata/openssl-modern.key.pem"
    );
}

#[test]
fn keytool_unicode_jks_with_non_ascii_password_key_comes_through_byte_for_byte() {
    let sb = Sandbox::new();
    let exp = expected_keystore("keytool-unicode.jks");
    let inpw = sb.secret("in.pw", s(exp, "store_password"));
    let pw = sb.secret("out.pw", OUT_PW);
    let out = sb.p("unicode.jks");
    sb.certkit(&[
        "p12-to-jks",
        &td("keytool-unicode.jks"),
        "--password-file",
        &inpw,
        "-o",
        &out,
        "--out-password-file",
        &pw,
    ])
    .ok();
    let entry = &exp["entries"]["unicode"];
    let key = sb.keytool_extract_key(&out, "unicode", OUT_PW, OUT_PW);
    assert!(
        key == read_testdata(s(entry, "key_der")),
        "key differs from {}",
        s(entry, "key_der")
    );
}

#[test]
fn keytool_store_jks_key_comes_through_and_its_fitting_password_is_reused() {
    let sb = Sandbox::new();
    let exp = expected_keystore("keytool-store.jks");
    let store_pw = s(exp, "store_password");
    let inpw = sb.secret("in.pw", store_pw);
    let out = sb.p("store.jks");
    // No output password flag: storepw1 fits the salesforce policy and is reused.
    sb.certkit(&[
        "p12-to-jks",
        &td("keytool-store.jks"),
        "--password-file",
        &inpw,
        "-o",
        &out,
    ])
    .ok();
    let entry = &exp["entries"]["mykey"];
    let key = sb.keytool_extract_key(&out, "mykey", store_pw, store_pw);
    assert!(
        key == read_testdata(s(entry, "key_der")),
        "key differs from {}",
        s(entry, "key_der")
    );
}

#[test]
fn output_and_input_passwords_never_appear_in_stdout_or_stderr() {
    let sb = Sandbox::new();
    let out_pw = "Zq7kWm3x";
    let in_pw = "changeit";
    let inpw = sb.secret("in.pw", in_pw);
    let pw = sb.secret("out.pw", out_pw);
    for json in [false, true] {
        let out = format!("secret-{json}.jks");
        let mut args = vec![
            "p12-to-jks",
            "--password-file",
            &inpw,
            "-o",
            &out,
            "--out-password-file",
            &pw,
        ];
        let input = td("openssl-modern.p12");
        args.push(&input);
        if json {
            args.push("--json");
        }
        let r = sb.certkit(&args);
        r.ok();
        let all = r.all_output();
        assert!(!all.contains(out_pw), "output password printed:\n{all}");
        assert!(!all.contains(in_pw), "input password printed:\n{all}");
    }
    // Failures too: a wrong input password is not echoed in the error.
    let wrong = sb.secret("wrong.pw", "Wr0ngPassw0rd");
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("openssl-modern.p12"),
        "--password-file",
        &wrong,
        "-o",
        "never.jks",
        "--out-password-file",
        &pw,
    ]);
    r.code_is(3);
    let all = r.all_output();
    assert!(
        !all.contains("Wr0ngPassw0rd"),
        "wrong password printed:\n{all}"
    );
    assert!(!all.contains(out_pw), "output password printed:\n{all}");
}

#[test]
fn p12_without_friendly_name_gets_an_alias_derived_from_the_certificate_cn() {
    let sb = Sandbox::new();
    let inpw = sb.secret("in.pw", "changeit");
    let pw = sb.secret("out.pw", OUT_PW);
    let out = sb.p("noname.jks");
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("openssl-nomac-noname.p12"),
        "--password-file",
        &inpw,
        "-o",
        &out,
        "--out-password-file",
        &pw,
        "--json",
    ]);
    r.ok();
    // CN=openssl modern test -> openssl_modern_test
    let subject = s(
        &expected_keystore("openssl-nomac-noname.p12")["cert"],
        "subject",
    );
    let cn = subject
        .split(',')
        .find_map(|rdn| rdn.strip_prefix("CN="))
        .unwrap();
    let want = cn.to_lowercase().replace(' ', "_");
    assert_eq!(s(&r.json(), "alias"), want);
    let listing = sb.keytool_list(&out, OUT_PW);
    assert_eq!(listing.entries[0].alias, want);
}

#[test]
fn jks_with_only_a_trusted_certificate_is_a_usage_error_exit_2() {
    let sb = Sandbox::new();
    let inpw = sb.secret("in.pw", "storepw1");
    let pw = sb.secret("out.pw", OUT_PW);
    let r = refused(
        &sb,
        &[
            "p12-to-jks",
            &td("keytool-trusted-only.jks"),
            "--password-file",
            &inpw,
            "--out-password-file",
            &pw,
        ],
        2,
    );
    assert!(r.stderr.contains("private key"), "{}", r.stderr);
}

#[test]
fn jceks_keystore_is_unsupported_with_exit_5_naming_jceks() {
    let sb = Sandbox::new();
    let jceks = sb.p("store.jceks");
    sb.keytool(&[
        "-genkeypair",
        "-storetype",
        "JCEKS",
        "-keystore",
        &jceks,
        "-storepass",
        "storepw1",
        "-keypass",
        "storepw1",
        "-alias",
        "k",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=jceks test",
        "-validity",
        "30",
    ])
    .ok();
    let inpw = sb.secret("in.pw", "storepw1");
    let pw = sb.secret("out.pw", OUT_PW);
    let r = sb.certkit(&["inspect", &jceks, "--password-file", &inpw]);
    r.code_is(5);
    assert!(r.stderr.contains("JCEKS"), "{}", r.stderr);
    let r = sb.certkit(&[
        "p12-to-jks",
        &jceks,
        "--password-file",
        &inpw,
        "-o",
        "never.jks",
        "--out-password-file",
        &pw,
    ]);
    r.code_is(5);
    assert!(r.stderr.contains("JCEKS"), "{}", r.stderr);
    assert!(!sb.path("never.jks").exists());
}

#[test]
fn a_password_cannot_be_given_as_a_plain_argument_value() {
    let sb = Sandbox::new();
    for flag in ["--password", "--out-password", "--storepass"] {
        let r = sb.certkit(&["p12-to-jks", &td("google-sample.p12"), flag, "abc12345"]);
        r.code_is(2);
    }
    assert_eq!(sb.files(), Vec::<String>::new());
}
