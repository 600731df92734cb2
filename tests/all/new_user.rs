//! What a new user hit (issue 17, "Files" and "Smaller"): PEM line endings, outputs that
//! must be named, inputs with different passwords, the expiry gate, limits and messages that
//! say what they mean, help texts that tell the truth for the command they are in.

use crate::common::*;

/// The check `id` of a report's `checks`, if it was made.
fn check_of<'a>(report: &'a serde_json::Value, id: &str) -> Option<&'a serde_json::Value> {
    report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == id)
}

fn no_cr(sb: &Sandbox, file: &str) {
    let bytes = std::fs::read(sb.path(file)).unwrap_or_else(|e| panic!("read {file}: {e}"));
    assert!(
        bytes.starts_with(b"-----BEGIN "),
        "{file} is not PEM: {:?}",
        String::from_utf8_lossy(&bytes[..bytes.len().min(40)])
    );
    assert!(
        !bytes.contains(&b'\r'),
        "{file} has CR line endings (openssl and keytool write LF)"
    );
    assert!(bytes.ends_with(b"-----\n"), "{file} does not end with LF");
}

#[test]
fn every_pem_certkit_writes_has_lf_line_endings() {
    let sb = Sandbox::new();
    let pw = sb.secret("out.pw", "Sf2x9kQe");
    sb.certkit(&["selfsign", "--cn", "org2"]).ok();
    no_cr(&sb, "org2.crt");
    no_cr(&sb, "org2.key");
    sb.certkit(&[
        "selfsign",
        "--cn",
        "org3",
        "--encrypt-key",
        "--out-password-file",
        &pw,
    ])
    .ok();
    no_cr(&sb, "org3.key");
    sb.certkit(&["convert", &td("openssl-modern.p12"), "--password-file"])
        .code_is(2);
    let p12pw = sb.secret("p12.pw", "changeit");
    sb.certkit(&[
        "convert",
        &td("openssl-modern.p12"),
        "--password-file",
        &p12pw,
        "-o",
        "all.pem",
    ])
    .ok();
    no_cr(&sb, "all.pem");
    sb.certkit(&[
        "convert",
        &td("openssl-modern.p12"),
        "--password-file",
        &p12pw,
        "--key-out",
        "k.pem",
        "--cert-out",
        "c.pem",
    ])
    .ok();
    no_cr(&sb, "k.pem");
    no_cr(&sb, "c.pem");
    std::fs::create_dir(sb.path("renewed")).unwrap();
    sb.certkit(&[
        "renew",
        "org2.key",
        "--cert",
        "org2.crt",
        "--days",
        "30",
        "--out-dir",
        "renewed",
    ])
    .ok();
    no_cr(&sb, "renewed/org2.crt");
    // openssl reads them as they are.
    sb.openssl(&["x509", "-in", &sb.p("c.pem"), "-noout"]).ok();
}

#[test]
fn convert_to_pem_without_an_output_is_a_usage_error_naming_dash_o() {
    let sb = Sandbox::new();
    let pw = sb.secret("p12.pw", "changeit");
    for to in ["pem", "der", "jks", "pkcs12"] {
        let r = sb.certkit(&[
            "convert",
            &td("openssl-modern.p12"),
            "--password-file",
            &pw,
            "--to",
            to,
        ]);
        r.code_is(2);
        assert!(r.stderr.contains("-o FILE"), "--to {to}: {}", r.stderr);
        assert!(!r.stderr.contains(": :"), "--to {to}: {}", r.stderr);
    }
    assert_eq!(sb.files(), ["p12.pw"], "nothing is written");
}

#[test]
fn convert_merges_keystores_with_different_passwords_given_one_each() {
    let sb = Sandbox::new();
    let jks_pw = sb.secret("jks.pw", "storepw1");
    let p12_pw = sb.secret("p12.pw", "changeit");
    let inputs = [td("keytool-store.jks"), td("openssl-modern.p12")];
    // One password for two keystores: the one it does not open is named, with the way out.
    let r = sb.certkit(&[
        "convert",
        &inputs[0],
        &inputs[1],
        "--password-file",
        &jks_pw,
        "-o",
        "all.jks",
        "--out-password-file",
        &jks_pw,
    ]);
    r.code_is(3);
    assert!(r.stderr.contains("openssl-modern.p12"), "{}", r.stderr);
    assert!(
        r.stderr.contains("repeat --password-file"),
        "the error offers no way: {}",
        r.stderr
    );
    assert!(!sb.path("all.jks").exists());
    // One password each: both entries, and keytool reads them with the output password.
    sb.certkit(&[
        "convert",
        &inputs[0],
        &inputs[1],
        "--password-file",
        &jks_pw,
        "--password-file",
        &p12_pw,
        "-o",
        "all.jks",
        "--out-password-file",
        &jks_pw,
    ])
    .ok();
    let listing = sb.keytool_list(&sb.p("all.jks"), "storepw1");
    assert_eq!(listing.count, 2, "{listing:?}");
    // A password that opens none of them says how many were tried.
    let wrong = sb.secret("wrong.pw", "nope1234");
    let r = sb.certkit(&[
        "convert",
        &inputs[0],
        "--password-file",
        &wrong,
        "--password-env",
        "OTHER_PW",
        "-o",
        "one.jks",
        "--out-password-file",
        &jks_pw,
    ]);
    // OTHER_PW is not set: that is said (exit 9), not hidden by the wrong password.
    r.code_is(9);
    assert!(r.stderr.contains("OTHER_PW is not set"), "{}", r.stderr);
    let r = sb.certkit_env(
        &[
            "convert",
            &inputs[0],
            "--password-file",
            &wrong,
            "--password-env",
            "OTHER_PW",
            "-o",
            "one.jks",
            "--out-password-file",
            &jks_pw,
        ],
        &[("OTHER_PW", "changeit")],
    );
    r.code_is(3);
    assert!(
        r.stderr.contains("none of the 2 passwords given opens it")
            && r.stderr.contains("environment variable OTHER_PW"),
        "the sources tried are named: {}",
        r.stderr
    );
    assert!(!r.stderr.contains("changeit"), "{}", r.stderr);
}

#[test]
fn expiry_fails_the_gate_on_a_file_it_could_not_read_unless_allowed() {
    let sb = Sandbox::new();
    std::fs::create_dir(sb.path("certs")).unwrap();
    std::fs::copy(td("openssl-modern.crt.pem"), sb.path("certs/ok.crt")).unwrap();
    // A PKCS#12 whose password was not given: its certificates are not checked.
    std::fs::copy(td("openssl-modern.p12"), sb.path("certs/locked.p12")).unwrap();
    let r = sb.certkit(&["expiry", "certs", "--within", "1d"]);
    r.code_is(1);
    assert!(r.stdout.contains("UNREAD"), "{}", r.stdout);
    assert!(r.stdout.contains("--allow-unread"), "{}", r.stdout);
    let r = sb.certkit(&["expiry", "certs", "--within", "1d", "--allow-unread"]);
    r.ok();
    assert!(
        r.stdout.contains("allowed by --allow-unread"),
        "{}",
        r.stdout
    );
}

#[test]
fn expiry_window_over_the_limit_names_the_limit() {
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "expiry",
        &td("openssl-modern.crt.pem"),
        "--within",
        "100000d",
    ]);
    r.code_is(2);
    assert!(r.stderr.contains("36500 days"), "{}", r.stderr);
    assert!(!r.stderr.contains("is not a number"), "{}", r.stderr);
    let r = sb.certkit(&[
        "expiry",
        &td("openssl-modern.crt.pem"),
        "--within",
        "thirty",
    ]);
    r.code_is(2);
    assert!(r.stderr.contains("is not a number of days"), "{}", r.stderr);
}

#[test]
fn a_truncated_jks_says_how_long_the_field_is_and_where_the_file_ends() {
    let sb = Sandbox::new();
    let whole = read_testdata("keytool-multi.jks");
    std::fs::write(sb.path("cut.jks"), &whole[..1000]).unwrap();
    let r = sb.certkit(&["inspect", "cut.jks"]);
    r.code_is(4);
    assert!(
        r.stderr.contains("the file ends at byte 1000"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("bytes short"), "{}", r.stderr);
}

#[test]
fn selfsign_keeps_the_letters_of_an_accented_common_name() {
    let sb = Sandbox::new();
    let r = sb.certkit(&["selfsign", "--cn", "Ünïcode Org", "--json"]);
    r.ok();
    assert_eq!(s(&r.json(), "alias"), "unicode_org");
    assert!(sb.path("unicode_org.crt").exists(), "{:?}", sb.files());
    // The certificate keeps the CN as typed.
    let text = sb.openssl(&[
        "x509",
        "-in",
        &sb.p("unicode_org.crt"),
        "-noout",
        "-subject",
        "-nameopt",
        "utf8",
    ]);
    assert!(text.ok().stdout.contains("Ünïcode Org"), "{}", text.stdout);
}

#[test]
fn man_out_dir_twice_succeeds_and_a_different_page_still_needs_force() {
    let sb = Sandbox::new();
    // The folder is made when it is not there (as selfsign's --out-dir is).
    sb.certkit(&["man", "--out-dir", "man/man1"]).ok();
    sb.certkit(&["man", "--out-dir", "man1"]).ok();
    let r = sb.certkit(&["man", "--out-dir", "man1"]);
    r.ok();
    assert!(r.stderr.contains("already up to date"), "{}", r.stderr);
    std::fs::write(sb.path("man1/certkit.1"), "an older page\n").unwrap();
    sb.certkit(&["man", "--out-dir", "man1"]).code_is(7);
    sb.certkit(&["man", "--out-dir", "man1", "--force"]).ok();
    assert_ne!(
        std::fs::read_to_string(sb.path("man1/certkit.1")).unwrap(),
        "an older page\n"
    );
}

#[test]
fn short_help_describes_every_kind_of_command() {
    let sb = Sandbox::new();
    let r = sb.certkit(&["-h"]);
    r.ok();
    let first = r.stdout.lines().next().unwrap_or_default();
    for word in [
        "JKS",
        "self-signed",
        "renewed",
        "key ids",
        "token exchange",
        "metadata",
    ] {
        assert!(first.contains(word), "certkit -h: {first}");
    }
}

#[test]
fn help_texts_state_each_commands_own_default() {
    let sb = Sandbox::new();
    let help = |cmd: &str| sb.certkit(&[cmd, "--help"]).ok().stdout.clone();
    let convert = help("convert");
    assert!(convert.contains("[default: java]"), "{convert}");
    for cmd in ["p12-to-jks", "selfsign", "renew", "preflight"] {
        let h = help(cmd);
        assert!(!h.contains("java for convert"), "{cmd}: {h}");
        assert!(h.contains("[default: salesforce]"), "{cmd}: {h}");
    }
    let renew = help("renew");
    assert!(!renew.contains("selfsign needs it"), "{renew}");
    assert!(
        renew.contains("[default: the current certificate's]"),
        "{renew}"
    );
    assert!(help("selfsign").contains("(required)"));
}

#[test]
fn metadata_without_the_service_account_names_the_iss_flag() {
    let sb = Sandbox::new();
    let pw = sb.secret("p12.pw", "changeit");
    let r = sb.certkit(&[
        "metadata",
        &td("openssl-modern.p12"),
        "--password-file",
        &pw,
        "--profile",
        "google",
        "--scope",
        "https://www.googleapis.com/auth/bigquery",
        "--out-dir",
        "sfdx",
    ]);
    r.code_is(2);
    assert!(r.stderr.contains("--iss"), "{}", r.stderr);
}

/// The keytool recipe of salesforce.stackexchange.com/questions/310834 keeps Google's
/// 10-character `notasecret` as the JKS password, and users report that keystore imported: the
/// 6-8 characters of Salesforce's guide are documented, not enforced, so preflight warns (with
/// the rewrite) and does not say "refuse".
#[test]
fn preflight_warns_not_fails_on_a_keystore_password_longer_than_the_guide() {
    let sb = Sandbox::new();
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
        &sb.p("g.jks"),
        "-deststoretype",
        "jks",
        "-deststorepass",
        "notasecret",
        "-destalias",
        "google_sa",
        "-noprompt",
    ])
    .ok();
    let pw = sb.secret("jks.pw", "notasecret");
    let r = sb.certkit(&[
        "preflight",
        "g.jks",
        "--target",
        "salesforce-import",
        "--password-file",
        &pw,
        "--json",
    ]);
    r.ok();
    let v = r.json();
    let policy = check_of(&v, "password.policy").expect("the password policy is checked");
    assert_eq!(policy["status"], "warn", "{policy}");
    assert_eq!(policy["evidence"], "documented", "{policy}");
    assert!(
        policy["command"]
            .as_str()
            .is_some_and(|c| c.contains("--generate-password")),
        "the warning still offers the rewrite: {policy}"
    );
}

/// Google's v4 token URL is one older clients used as aud (and Google's own "Failed audience
/// check" answer once named it): a warning like the older accounts.google.com URL, never
/// "will refuse".
#[test]
fn googles_v4_token_url_as_aud_is_a_warning_not_a_refusal() {
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "verify",
        &td("google-sample.json"),
        "--profile",
        "google",
        "--scope",
        "https://www.googleapis.com/auth/bigquery",
        "--aud",
        "https://www.googleapis.com/oauth2/v4/token",
        "--json",
    ]);
    r.ok();
    let v = r.json();
    let aud = check_of(&v, "google.aud").expect("the aud is checked");
    assert_eq!(aud["status"], "warn", "{aud}");
}

/// certkit's own policy for the keystores it writes refuses a 10-character password, and
/// says that it is certkit's policy, not that Salesforce is known to refuse it.
#[test]
fn the_output_password_policy_says_it_is_certkits_own() {
    let sb = Sandbox::new();
    let pw = sb.secret("long.pw", "notasecret");
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "-o",
        "g.jks",
        "--out-password-file",
        &pw,
    ]);
    r.code_is(6);
    assert!(
        r.stderr
            .contains("certkit keeps the keystores it writes to this"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("not known to refuse"), "{}", r.stderr);
    assert!(r.stderr.contains("--password-policy java"), "{}", r.stderr);
}

/// Every "give X" names the flag that gives it.
#[test]
fn missing_values_name_their_flags() {
    let sb = Sandbox::new();
    let pw = sb.secret("p12.pw", "changeit");
    let key = td("openssl-modern.p12");
    let cases: [(&[&str], &str); 4] = [
        (&["--profile", "generic"], "--aud URL"),
        (
            &[
                "--profile",
                "generic",
                "--aud",
                "https://api.example.com/token",
            ],
            "--iss ISSUER",
        ),
        (
            &["--profile", "salesforce", "--sub", "u@example.com"],
            "--iss CONSUMER_KEY",
        ),
        (
            &["--profile", "salesforce", "--iss", "3MVG9abc"],
            "--sub USERNAME",
        ),
    ];
    for (extra, flag) in cases {
        let mut args = vec![
            "metadata",
            key.as_str(),
            "--password-file",
            &pw,
            "--out-dir",
            "x",
        ];
        args.extend_from_slice(extra);
        let r = sb.certkit(&args);
        r.code_is(2);
        assert!(r.stderr.contains(flag), "{extra:?}: {}", r.stderr);
    }
    let r = sb.certkit(&["verify", "--profile", "generic"]);
    r.code_is(2);
    assert!(r.stderr.contains("--token-file FILE"), "{}", r.stderr);
}

/// The runbook's `verify` (step 3) checks the assertion `exchange` (step 4) and the External
/// Credential send: the same claims, `sub` = the client email included.
#[test]
fn verify_signs_the_claims_exchange_sends() {
    let sb = Sandbox::new();
    let common = [
        "--profile",
        "google",
        "--scope",
        "https://www.googleapis.com/auth/bigquery",
        "--json",
    ];
    let key = td("google-sample.json");
    let mut v = vec!["verify", key.as_str()];
    v.extend(common);
    let verified = sb.certkit(&v).ok().json()["claims"].clone();
    let mut e = vec!["exchange", key.as_str(), "--dry-run"];
    e.extend(common);
    let sent = sb.certkit(&e).ok().json()["request"]["assertion_claims"].clone();
    let names = |c: &serde_json::Value| -> Vec<String> {
        c.as_object().expect("claims").keys().cloned().collect()
    };
    assert_eq!(names(&verified), names(&sent), "{verified} vs {sent}");
    for c in ["iss", "sub", "aud", "scope"] {
        assert_eq!(verified[c], sent[c], "{c}");
    }
    assert_eq!(
        verified["sub"], verified["iss"],
        "sub is the client email, as sent"
    );
}

/// An Experience Cloud site may be on a custom domain: an aud on a host that is not
/// Salesforce's is a warning (certkit cannot tell it from a wrong one), a wrong Salesforce
/// host or a look-alike still fails.
#[test]
fn salesforce_aud_on_a_custom_domain_warns_and_a_wrong_salesforce_host_fails() {
    let sb = Sandbox::new();
    let run = |aud: &str| {
        let r = sb.certkit(&[
            "verify",
            &td("openssl-modern.key.pem"),
            "--profile",
            "salesforce",
            "--iss",
            "3MVG9abcdefghijklmnop",
            "--sub",
            "user@example.com",
            "--aud",
            aud,
            "--json",
        ]);
        let v = r.json();
        let status = check_of(&v, "salesforce.aud")
            .map(|c| c["status"].as_str().unwrap_or_default().to_string())
            .expect("aud is checked");
        (r.code, status)
    };
    assert_eq!(run("https://partners.acme-example.com"), (0, "warn".into()));
    assert_eq!(run("https://acme.lightning.force.com"), (1, "fail".into()));
    assert_eq!(
        run("https://login.salesforce.com.evil.example"),
        (1, "fail".into())
    );
}

/// A password pasted where a variable's name goes is not echoed back; "-" as an output is
/// refused (no file named "-" holding a key); a dry run has no token to print.
#[test]
fn pasted_passwords_dash_outputs_and_dry_run_tokens_are_refused_clearly() {
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "inspect",
        &td("keytool-store.jks"),
        "--password-env",
        "Sf2x9kQe!",
    ]);
    r.code_is(2);
    assert!(!r.all_output().contains("Sf2x9kQe"), "{}", r.all_output());
    assert!(
        r.stderr.contains("not an environment variable's name"),
        "{}",
        r.stderr
    );
    let pw = sb.secret("jks.pw", "storepw1");
    let r = sb.certkit(&[
        "convert",
        &td("keytool-store.jks"),
        "--password-file",
        &pw,
        "--to",
        "pem",
        "-o",
        "-",
    ]);
    r.code_is(2);
    assert!(!sb.path("-").exists(), "a file named - was written");
    let r = sb.certkit(&[
        "exchange",
        &td("google-sample.json"),
        "--profile",
        "google",
        "--scope",
        "x",
        "--dry-run",
        "--print-token",
    ]);
    r.code_is(2);
}

/// A Google key as PEM with its certificate: `metadata --cert` writes the kid claim (the
/// certificate's Google key id) that `exchange --cert` sends, and its printed exchange
/// carries --cert; without --cert the External Credential would send its certificate's name.
#[test]
fn metadata_takes_the_certificate_of_a_pem_key_and_agrees_with_exchange() {
    let sb = Sandbox::new();
    let (key, cert) = (td("google-sample.key.pem"), td("google-sample.crt.pem"));
    let scope = "https://www.googleapis.com/auth/bigquery";
    sb.certkit(&[
        "metadata",
        &key,
        "--cert",
        &cert,
        "--profile",
        "google",
        "--scope",
        scope,
        "-o",
        "sfdx",
    ])
    .ok();
    let want = s(&expected_file("google-sample.crt.pem")["cert"], "sha1_hex").to_string();
    let ec = std::fs::read_dir(sb.path("sfdx/force-app/main/default/externalCredentials"))
        .expect("the credential's folder")
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .next()
        .expect("one credential");
    assert!(
        ec.contains(&format!("<parameterValue>{want}</parameterValue>")),
        "kid {want} not in {ec}"
    );
    let steps = std::fs::read_to_string(sb.path("sfdx/README-deploy.md")).unwrap();
    assert!(steps.contains(" --cert "), "{steps}");
    let r = sb.certkit(&[
        "exchange",
        &key,
        "--cert",
        &cert,
        "--profile",
        "google",
        "--scope",
        scope,
        "--dry-run",
        "--json",
    ]);
    r.ok();
    assert_eq!(s(&r.json()["request"]["assertion_header"], "kid"), want);
    // A key that has its certificate already: --cert is a mistake, said.
    let pw = sb.secret("p12.pw", "notasecret");
    let r = sb.certkit(&[
        "metadata",
        &td("google-sample.p12"),
        "--password-file",
        &pw,
        "--cert",
        &cert,
        "--profile",
        "google",
        "--scope",
        scope,
        "-o",
        "sfdx2",
    ]);
    r.code_is(2);
}

#[test]
fn expiry_tries_every_given_password_on_each_pkcs12() {
    // Two PKCS#12 files locked with two different passwords, neither empty nor notasecret:
    // --password-file and --password-env together (and repeated) open both.
    let sb = Sandbox::new();
    std::fs::create_dir(sb.path("certs")).unwrap();
    std::fs::copy(td("openssl-modern.p12"), sb.path("certs/modern.p12")).unwrap();
    std::fs::copy(td("keytool-default.p12"), sb.path("certs/default.p12")).unwrap();
    let wrong = sb.secret("wrong.pw", "not-this-one");
    let modern = sb.secret("modern.pw", "changeit");
    let r = sb.certkit_env(
        &[
            "expiry",
            "certs",
            "--password-file",
            &wrong,
            "--password-file",
            &modern,
            "--password-env",
            "DEFAULT_PW",
            "--json",
        ],
        &[("DEFAULT_PW", "storepw1")],
    );
    r.ok();
    let v = r.json();
    assert!(v["problems"].as_array().unwrap().is_empty(), "{v}");
    assert_eq!(v["files"], 2, "{v}");
    // Without the variable, the second file stays locked and fails the gate.
    let r = sb.certkit(&["expiry", "certs", "--password-file", &modern, "--json"]);
    r.code_is(1);
    let v = r.json();
    let problems = v["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{v}");
    assert!(s(&problems[0], "file").ends_with("default.p12"), "{v}");
}

#[test]
fn selfsign_key_size_offers_only_what_salesforce_imports() {
    let sb = Sandbox::new();
    let r = sb.certkit(&["selfsign", "--cn", "x", "--key-size", "1024"]);
    r.code_is(2);
    assert!(r.stderr.contains("invalid value '1024'"), "{}", r.stderr);
    assert!(
        r.stderr.contains("[possible values: 2048, 3072, 4096]"),
        "{}",
        r.stderr
    );
    assert!(sb.files().is_empty(), "{:?}", sb.files());
}

/// The checklist's legend names the placeholders its commands use, no others.
#[test]
fn explains_legend_names_only_the_placeholders_shown() {
    let sb = Sandbox::new();
    let text = "Unable to complete the JWT token exchange.";
    let r = sb.certkit(&["explain", text, "--provider", "salesforce"]);
    let legend = r
        .stdout
        .lines()
        .find(|l| l.starts_with("Placeholders:"))
        .unwrap_or_else(|| panic!("no legend:\n{}", r.stdout));
    assert!(legend.contains("CONSUMER_KEY"), "{legend}");
    assert!(!legend.contains("X509_METADATA.json"), "{legend}");
    let r = sb.certkit(&["explain", text]);
    let all = r
        .stdout
        .lines()
        .find(|l| l.starts_with("Placeholders:"))
        .unwrap();
    assert!(
        all.contains("X509_METADATA.json") && all.contains("CONSUMER_KEY"),
        "{all}"
    );
}

/// A JWK thumbprint is base64url and begins with "-" one time in 64: the printed exchange
/// carries it as `--kid=VALUE`, and `--kid -VALUE` typed by hand is taken as the value
/// (before, both were "unexpected argument", and a test that pasted the command failed at
/// random).
#[test]
fn a_kid_that_begins_with_a_dash_is_a_value_not_a_flag() {
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "verify",
        &td("openssl-modern.key.pem"),
        "--profile",
        "generic",
        "--iss",
        "a",
        "--sub",
        "b",
        "--aud",
        "https://api.example.com/token",
        "--kid",
        "-starts-with-a-dash",
        "--json",
    ]);
    r.ok();
    assert_eq!(s(&r.json()["header"], "kid"), "-starts-with-a-dash");
    let pw = sb.secret("p12.pw", "changeit");
    sb.certkit(&[
        "metadata",
        &td("openssl-modern.p12"),
        "--password-file",
        &pw,
        "--profile",
        "generic",
        "--iss",
        "a",
        "--sub",
        "b",
        "--aud",
        "https://api.example.com/token",
        "--url",
        "https://api.example.com",
        "-o",
        "sfdx",
    ])
    .ok();
    let steps = std::fs::read_to_string(sb.path("sfdx/README-deploy.md")).unwrap();
    assert!(steps.contains(" --kid="), "{steps}");
}
