//! `certkit selfsign` and Google JSON keys as `p12-to-jks` input (issue 3), checked with
//! openssl 3 and keytool 17.

use crate::common::{expected_file, hex, read_testdata, s, td, unix_modes, Sandbox};
use crate::support_jwt::*;
use serde_json::Value;

/// `openssl x509 -text` of a PEM certificate.
fn x509_text(sb: &Sandbox, cert: &str) -> String {
    let r = sb.openssl(&["x509", "-in", cert, "-noout", "-text"]);
    r.ok();
    r.stdout
}

/// The line after the one that equals `header` (trimmed), in openssl's text output.
fn line_after<'a>(text: &'a str, header: &str) -> &'a str {
    let mut lines = text.lines().map(str::trim);
    lines
        .by_ref()
        .find(|l| *l == header)
        .unwrap_or_else(|| panic!("no \"{header}\" in\n{text}"));
    lines.next().unwrap_or("")
}

/// The SubjectPublicKeyInfo PEM of a private key, by `openssl pkey -pubout`.
fn pkey_pubout(sb: &Sandbox, key: &str, passin: Option<&str>) -> crate::common::Run {
    let mut args = vec!["pkey", "-in", key, "-pubout"];
    if let Some(p) = passin {
        args.extend(["-passin", p]);
    }
    sb.openssl(&args)
}

#[test]
fn selfsign_jks_generate_password_leaves_crt_key_and_jks_with_mode_0600() {
    let sb = Sandbox::new();
    std::fs::create_dir(sb.path("out")).unwrap();
    let r = sb.certkit(&[
        "selfsign",
        "--cn",
        "org2",
        "--jks",
        "--generate-password",
        "--out-dir",
        "out",
        "--json",
    ]);
    r.ok();
    let report = r.json();
    let mut files: Vec<String> = std::fs::read_dir(sb.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["org2.crt", "org2.jks", "org2.key"]);
    for f in ["org2.key", "org2.jks"] {
        if unix_modes() {
            assert_eq!(mode(&sb.path("out").join(f)), 0o600, "{f} mode");
        }
    }
    let pw = s(&report, "generated_password");
    assert_eq!(pw.chars().count(), 8, "generated password length");
    let key = std::fs::read_to_string(sb.path("out/org2.key")).unwrap();
    assert!(key.starts_with("-----BEGIN PRIVATE KEY-----"), "{key}");
    let crt = std::fs::read_to_string(sb.path("out/org2.crt")).unwrap();
    assert!(crt.starts_with("-----BEGIN CERTIFICATE-----"), "{crt}");
}

#[test]
fn selfsign_certificate_has_signing_extensions_and_no_ca_key_usage() {
    let sb = Sandbox::new();
    selfsign(&sb, "org2", &[]);
    let text = x509_text(&sb, &sb.p("org2.crt"));
    assert!(text.contains("Version: 3 (0x2)"), "{text}");
    assert_eq!(
        line_after(&text, "X509v3 Basic Constraints: critical"),
        "CA:FALSE"
    );
    assert_eq!(
        line_after(&text, "X509v3 Key Usage: critical"),
        "Digital Signature"
    );
    assert!(text.contains("X509v3 Subject Key Identifier:"), "{text}");
    assert!(
        text.contains("Signature Algorithm: sha256WithRSAEncryption"),
        "{text}"
    );
    for ca_usage in ["Certificate Sign", "CRL Sign"] {
        assert!(!text.contains(ca_usage), "{ca_usage} present:\n{text}");
    }
    assert!(text.contains("Subject: CN = org2"), "{text}");
    assert!(text.contains("Issuer: CN = org2"), "{text}");
}

#[test]
fn selfsign_serial_is_16_random_bytes_and_positive() {
    let sb = Sandbox::new();
    let mut serials = Vec::new();
    for cn in ["one", "two"] {
        selfsign(&sb, cn, &[]);
        let r = sb.openssl(&[
            "x509",
            "-in",
            &sb.p(&format!("{cn}.crt")),
            "-noout",
            "-serial",
        ]);
        r.ok();
        let serial = r.stdout.trim().strip_prefix("serial=").unwrap().to_string();
        assert_eq!(serial.len(), 32, "16 bytes: {serial}");
        let first = u8::from_str_radix(&serial[..2], 16).unwrap();
        assert!(
            (1..0x80).contains(&first),
            "positive, no leading zero: {serial}"
        );
        // The DER INTEGER is 16 bytes long (no 0x00 sign byte, not negative).
        let der = cert_der_file(&sb, &sb.p(&format!("{cn}.crt")), &format!("{cn}.der"));
        let asn1 = sb.openssl(&["asn1parse", "-inform", "DER", "-in", &der]);
        asn1.ok();
        let line = asn1
            .stdout
            .lines()
            .find(|l| l.contains("prim: INTEGER") && l.contains(&serial))
            .unwrap_or_else(|| panic!("no serial INTEGER in\n{}", asn1.stdout));
        assert!(line.contains("l=  16"), "{line}");
        assert!(!line.contains(":-"), "negative: {line}");
        serials.push(serial);
    }
    assert_ne!(serials[0], serials[1], "serials are random");
}

#[test]
fn selfsign_certificate_passes_openssl_verify_against_itself() {
    let sb = Sandbox::new();
    selfsign(&sb, "org2", &[]);
    let crt = sb.p("org2.crt");
    let r = sb.openssl(&["verify", "-CAfile", &crt, &crt]);
    r.ok();
    assert!(r.stdout.trim().ends_with(": OK"), "{}", r.stdout);
}

#[test]
fn selfsign_key_public_half_equals_the_certificate_public_key() {
    let sb = Sandbox::new();
    selfsign(&sb, "org2", &[]);
    let from_key = pkey_pubout(&sb, &sb.p("org2.key"), None);
    from_key.ok();
    let from_cert = sb.openssl(&["x509", "-in", &sb.p("org2.crt"), "-pubkey", "-noout"]);
    from_cert.ok();
    assert_eq!(from_key.stdout, from_cert.stdout);
    assert!(from_key.stdout.contains("BEGIN PUBLIC KEY"));
}

#[test]
fn selfsign_jks_is_one_private_key_entry_for_keytool_and_gives_back_the_key() {
    let sb = Sandbox::new();
    let report = selfsign(&sb, "org2", &["--jks", "--generate-password"]).json();
    let pw = s(&report, "generated_password").to_string();
    let jks = sb.p("org2.jks");
    let listing = sb.keytool_list(&jks, &pw);
    assert_eq!(listing.count, 1);
    assert_eq!(listing.entries.len(), 1);
    assert_eq!(listing.entries[0].alias, "org2");
    assert_eq!(listing.entries[0].field("Entry type"), "PrivateKeyEntry");
    assert_eq!(
        listing.entries[0].field("Signature algorithm name"),
        "SHA256withRSA"
    );
    // The key, recovered with the store password as key password, is org2.key.
    let recovered = sb.keytool_extract_key(&jks, "org2", &pw, &pw);
    assert_eq!(recovered, sb.openssl_pkcs8_der(&sb.p("org2.key")));
    // And the JKS certificate is org2.crt.
    let cert = sb.keytool_export_cert(&jks, "org2", &pw);
    let der = cert_der_file(&sb, &sb.p("org2.crt"), "org2.der");
    assert_eq!(cert, std::fs::read(der).unwrap());
}

#[test]
fn selfsign_4096_bits_730_days_and_san_carry_exactly_that_and_keytool_reads_the_p12() {
    let sb = Sandbox::new();
    let pwf = sb.secret("out.pw", "p12pass1");
    selfsign(
        &sb,
        "san test",
        &[
            "--key-size",
            "4096",
            "--days",
            "730",
            "--san",
            "a.example.com",
            "--p12",
            "--out-password-file",
            &pwf,
        ],
    );
    let crt = sb.p("san_test.crt");
    let text = x509_text(&sb, &crt);
    assert!(text.contains("Public-Key: (4096 bit)"), "{text}");
    let (nb, na) = openssl_validity(&sb, &crt);
    assert_eq!(na - nb, 730 * 86_400);
    let san = sb.openssl(&["x509", "-in", &crt, "-noout", "-ext", "subjectAltName"]);
    san.ok();
    let names: Vec<&str> = san.stdout.lines().skip(1).map(str::trim).collect();
    assert_eq!(names, ["DNS:a.example.com"], "{}", san.stdout);

    let p12 = sb.p("san_test.p12");
    if unix_modes() {
        assert_eq!(mode(&sb.path("san_test.p12")), 0o600);
    }
    let kt = sb.keytool(&[
        "-list",
        "-v",
        "-storetype",
        "PKCS12",
        "-keystore",
        &p12,
        "-storepass",
        "p12pass1",
    ]);
    kt.ok();
    let listing = crate::common::KeytoolListing::parse(&kt.stdout);
    assert_eq!(listing.count, 1);
    assert_eq!(listing.entries[0].alias, "san_test");
    assert_eq!(listing.entries[0].field("Entry type"), "PrivateKeyEntry");
    assert_eq!(
        listing.entries[0].field("Subject Public Key Algorithm"),
        "4096-bit RSA key"
    );
    // Modern protection: PBES2 / AES-256, HMAC-SHA256.
    let info = sb.openssl(&[
        "pkcs12",
        "-in",
        &p12,
        "-info",
        "-noout",
        "-passin",
        &format!("file:{pwf}"),
    ]);
    info.ok();
    let all = info.all_output();
    assert!(all.contains("MAC: sha256"), "{all}");
    assert!(all.contains("AES-256-CBC"), "{all}");
    assert!(!all.contains("TripleDES"), "{all}");
}

#[test]
fn selfsign_legacy_p12_is_3des_sha1_and_openssl_legacy_reads_the_key() {
    let sb = Sandbox::new();
    let pwf = sb.secret("out.pw", "legacy12");
    selfsign(
        &sb,
        "leg",
        &["--p12", "--legacy-p12", "--out-password-file", &pwf],
    );
    let p12 = sb.p("leg.p12");
    let passin = format!("file:{pwf}");
    let info = sb.openssl(&[
        "pkcs12", "-legacy", "-in", &p12, "-info", "-noout", "-passin", &passin,
    ]);
    info.ok();
    let all = info.all_output();
    assert!(all.contains("MAC: sha1"), "{all}");
    assert!(all.contains("pbeWithSHA1And3-KeyTripleDES-CBC"), "{all}");
    let pem = sb.p("leg-key.pem");
    sb.openssl(&[
        "pkcs12", "-legacy", "-in", &p12, "-passin", &passin, "-nodes", "-nocerts", "-out", &pem,
    ])
    .ok();
    assert_eq!(
        sb.openssl_pkcs8_der(&pem),
        sb.openssl_pkcs8_der(&sb.p("leg.key"))
    );
}

#[test]
fn selfsign_encrypt_key_needs_the_password_for_openssl_pkey() {
    let sb = Sandbox::new();
    let pwf = sb.secret("out.pw", "keypw123");
    selfsign(&sb, "enc", &["--encrypt-key", "--out-password-file", &pwf]);
    let key = sb.p("enc.key");
    if unix_modes() {
        assert_eq!(mode(&sb.path("enc.key")), 0o600);
    }
    let text = std::fs::read_to_string(&key).unwrap();
    assert!(
        text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
        "{text}"
    );
    // Without the password, or with a wrong one, openssl cannot read it.
    assert_ne!(pkey_pubout(&sb, &key, Some("pass:")).code, 0);
    assert_ne!(pkey_pubout(&sb, &key, Some("pass:wrongpw1")).code, 0);
    // With it, the public half is the certificate's.
    let ok = pkey_pubout(&sb, &key, Some(&format!("file:{pwf}")));
    ok.ok();
    let cert_pub = sb.openssl(&["x509", "-in", &sb.p("enc.crt"), "-pubkey", "-noout"]);
    assert_eq!(ok.stdout, cert_pub.stdout);
    // PBES2 with AES-256-CBC.
    let asn1 = sb.openssl(&["asn1parse", "-in", &key]);
    asn1.ok();
    assert!(asn1.stdout.contains(":PBES2"), "{}", asn1.stdout);
    assert!(asn1.stdout.contains(":aes-256-cbc"), "{}", asn1.stdout);
}

#[test]
fn selfsign_days_zero_is_a_usage_error_and_writes_nothing() {
    let sb = Sandbox::new();
    let r = sb.certkit(&["selfsign", "--cn", "org2", "--days", "0"]);
    r.code_is(2);
    assert!(r.stderr.contains("--days"), "{}", r.stderr);
    assert!(sb.files().is_empty(), "{:?}", sb.files());
}

#[test]
fn selfsign_days_over_ten_years_needs_allow_long_validity() {
    let sb = Sandbox::new();
    let r = sb.certkit(&["selfsign", "--cn", "org2", "--days", "4000"]);
    r.code_is(2);
    assert!(r.stderr.contains("--allow-long-validity"), "{}", r.stderr);
    assert!(sb.files().is_empty(), "{:?}", sb.files());
    selfsign(&sb, "org2", &["--days", "4000", "--allow-long-validity"]);
    let (nb, na) = openssl_validity(&sb, &sb.p("org2.crt"));
    assert_eq!(na - nb, 4000 * 86_400);
}

#[test]
fn selfsign_with_existing_crt_exits_7_and_writes_no_other_file() {
    let sb = Sandbox::new();
    std::fs::write(sb.path("org2.crt"), "keep me\n").unwrap();
    let r = sb.certkit(&["selfsign", "--cn", "org2", "--jks", "--generate-password"]);
    r.code_is(7);
    assert!(r.stderr.contains("org2.crt"), "{}", r.stderr);
    assert_eq!(sb.files(), ["org2.crt"]);
    assert_eq!(
        std::fs::read_to_string(sb.path("org2.crt")).unwrap(),
        "keep me\n"
    );
}

#[test]
fn selfsign_report_says_where_each_file_goes_with_openssl_fingerprints() {
    let sb = Sandbox::new();
    let pwf = sb.secret("out.pw", "abcdefg1");
    let r = sb.certkit(&[
        "selfsign",
        "--cn",
        "org2",
        "--jks",
        "--out-password-file",
        &pwf,
    ]);
    r.ok();
    let out = &r.stdout;
    assert!(out.contains("Connected App"), "{out}");
    assert!(out.contains("--jwt-key-file"), "{out}");
    assert!(out.contains("Import from Keystore"), "{out}");
    let crt = sb.p("org2.crt");
    assert!(
        out.contains(&openssl_fingerprint(&sb, &crt, "sha1")),
        "{out}"
    );
    assert!(
        out.contains(&openssl_fingerprint(&sb, &crt, "sha256")),
        "{out}"
    );
    assert!(!out.contains("abcdefg1"), "the password is not printed");
}

// ---- Google JSON keys as p12-to-jks input ----

/// `google-sample.json` with a change, written into the sandbox.
fn json_variant(
    sb: &Sandbox,
    name: &str,
    change: impl FnOnce(&mut serde_json::Map<String, Value>),
) -> String {
    let mut v: Value = serde_json::from_slice(&read_testdata("google-sample.json")).unwrap();
    change(v.as_object_mut().unwrap());
    let p = sb.path(name);
    std::fs::write(&p, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    crate::common::path_str(&p)
}

/// Run p12-to-jks on a JSON file expecting exit 4 with the field named, and no output.
fn assert_bad_field(sb: &Sandbox, json: &str, field: &str) {
    let pwf = sb.secret("out.pw", "abcdefg1");
    let r = sb.certkit(&[
        "p12-to-jks",
        json,
        "--out-password-file",
        &pwf,
        "-o",
        "bad.jks",
    ]);
    r.code_is(4);
    assert!(
        r.stderr.contains(&format!("\"{field}\"")),
        "field {field} not named: {}",
        r.stderr
    );
    assert!(!sb.path("bad.jks").exists());
}

#[test]
fn json_key_converts_to_a_jks_whose_key_is_the_json_key_byte_for_byte() {
    let sb = Sandbox::new();
    let pwf = sb.secret("out.pw", "abcdefg1");
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.json"),
        "--out-password-file",
        &pwf,
        "-o",
        "g.jks",
        "--json",
    ]);
    r.ok();
    let report = r.json();
    let jks = sb.p("g.jks");
    let listing = sb.keytool_list(&jks, "abcdefg1");
    assert_eq!(listing.count, 1);
    let alias = listing.entries[0].alias.clone();
    assert_eq!(alias, s(&report, "alias"));
    assert_eq!(listing.entries[0].field("Entry type"), "PrivateKeyEntry");
    let key = sb.keytool_extract_key(&jks, &alias, "abcdefg1", "abcdefg1");
    assert_eq!(key, read_testdata("google-sample.key.der"));
}

#[test]
fn json_key_report_shows_the_private_key_id() {
    let sb = Sandbox::new();
    let pwf = sb.secret("out.pw", "abcdefg1");
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.json"),
        "--out-password-file",
        &pwf,
        "-o",
        "g.jks",
        "--json",
    ]);
    r.ok();
    let report = r.json();
    assert_eq!(
        report["google"]["private_key_id"],
        expected_file("google-sample.json")["private_key_id"]
    );
    assert_eq!(
        s(&report["google"], "private_key_id"),
        google_private_key_id()
    );
}

#[test]
fn json_key_wrapper_certificate_is_a_signing_certificate_for_the_client_email() {
    let sb = Sandbox::new();
    let pwf = sb.secret("out.pw", "abcdefg1");
    sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.json"),
        "--out-password-file",
        &pwf,
        "-o",
        "g.jks",
    ])
    .ok();
    let alias = sb.keytool_list(&sb.p("g.jks"), "abcdefg1").entries[0]
        .alias
        .clone();
    let der = sb.keytool_export_cert(&sb.p("g.jks"), &alias, "abcdefg1");
    std::fs::write(sb.path("wrap.der"), &der).unwrap();
    let pem = sb.p("wrap.pem");
    sb.openssl(&[
        "x509",
        "-inform",
        "DER",
        "-in",
        &sb.p("wrap.der"),
        "-out",
        &pem,
    ])
    .ok();
    let text = x509_text(&sb, &pem);
    assert!(
        text.contains(&format!("Subject: CN = {}", google_client_email())),
        "{text}"
    );
    assert_eq!(
        line_after(&text, "X509v3 Basic Constraints: critical"),
        "CA:FALSE"
    );
    assert_eq!(
        line_after(&text, "X509v3 Key Usage: critical"),
        "Digital Signature"
    );
    // Its public key is the JSON key's.
    let cert_pub = sb.openssl(&["x509", "-in", &pem, "-pubkey", "-noout"]);
    let key_pub = pkey_pubout(&sb, &td("google-sample.key.pem"), None);
    assert_eq!(cert_pub.stdout, key_pub.stdout);
    // Default validity: 10 years.
    let (nb, na) = openssl_validity(&sb, &pem);
    assert_eq!(na - nb, 3650 * 86_400);
}

#[test]
fn json_key_with_cert_metadata_uses_the_published_certificate_that_matches() {
    let sb = Sandbox::new();
    let pwf = sb.secret("out.pw", "abcdefg1");
    sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.json"),
        "--cert",
        &td("google-sample.x509-metadata.json"),
        "--out-password-file",
        &pwf,
        "-o",
        "g.jks",
    ])
    .ok();
    let alias = sb.keytool_list(&sb.p("g.jks"), "abcdefg1").entries[0]
        .alias
        .clone();
    let der = sb.keytool_export_cert(&sb.p("g.jks"), &alias, "abcdefg1");
    assert_eq!(der, read_testdata("google-sample.crt.der"));
}

#[test]
fn json_key_with_a_cert_of_another_key_is_refused() {
    let sb = Sandbox::new();
    let pwf = sb.secret("out.pw", "abcdefg1");
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.json"),
        "--cert",
        &td("other-2048.crt.pem"),
        "--out-password-file",
        &pwf,
        "-o",
        "g.jks",
    ]);
    r.code_is(6);
    assert!(r.stderr.contains("no certificate"), "{}", r.stderr);
    assert!(!sb.path("g.jks").exists());
}

#[test]
fn json_key_missing_client_email_exits_4_naming_it() {
    let sb = Sandbox::new();
    let f = json_variant(&sb, "k.json", |m| {
        m.remove("client_email");
    });
    assert_bad_field(&sb, &f, "client_email");
}

#[test]
fn json_key_missing_private_key_exits_4_naming_it() {
    let sb = Sandbox::new();
    let f = json_variant(&sb, "k.json", |m| {
        m.remove("private_key");
    });
    assert_bad_field(&sb, &f, "private_key");
}

#[test]
fn json_key_with_type_not_service_account_exits_4_naming_type() {
    let sb = Sandbox::new();
    let f = json_variant(&sb, "k.json", |m| {
        m.insert("type".into(), Value::from("authorized_user"));
    });
    assert_bad_field(&sb, &f, "type");
}

#[test]
fn json_key_with_client_email_of_wrong_type_exits_4_naming_it() {
    let sb = Sandbox::new();
    let f = json_variant(&sb, "k.json", |m| {
        m.insert("client_email".into(), Value::from(42));
    });
    assert_bad_field(&sb, &f, "client_email");
}

#[test]
fn json_key_with_private_key_of_wrong_type_exits_4_naming_it() {
    let sb = Sandbox::new();
    let f = json_variant(&sb, "k.json", |m| {
        m.insert("private_key".into(), serde_json::json!(["not", "a", "key"]));
    });
    assert_bad_field(&sb, &f, "private_key");
}

#[test]
fn json_key_with_unparsable_private_key_exits_4_naming_it() {
    let sb = Sandbox::new();
    let f = json_variant(&sb, "k.json", |m| {
        m.insert(
            "private_key".into(),
            Value::from("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
        );
    });
    assert_bad_field(&sb, &f, "private_key");
}

#[test]
fn json_key_with_an_ec_private_key_exits_4_naming_private_key() {
    let sb = Sandbox::new();
    let ec = String::from_utf8(read_testdata("ec-key.key.pem")).unwrap();
    let f = json_variant(&sb, "k.json", |m| {
        m.insert("private_key".into(), Value::from(ec));
    });
    assert_bad_field(&sb, &f, "private_key");
}

#[test]
fn selfsign_json_report_sha1_is_the_certificate_sha1_by_openssl() {
    // The report's SHA-1 is the certificate's: the Google-style key id of a selfsign output.
    let sb = Sandbox::new();
    let report = selfsign(&sb, "org2", &[]).json();
    let der = cert_der_file(&sb, &sb.p("org2.crt"), "org2.der");
    let sha1 = openssl_digest(&sb, "sha1", &der);
    assert_eq!(
        s(&report["details"], "sha1")
            .replace(':', "")
            .to_ascii_lowercase(),
        hex(&sha1)
    );
}
