//! `certkit convert`, `renew` and `expiry` against the real peers: keytool (Java's
//! KeyStore) and openssl read what certkit writes, keys and certificates come through byte
//! for byte, chains keep their order.

use serde_json::Value;

use crate::common::{read_testdata, s, td, unix_modes, Sandbox};
use crate::support_jwt::*;

const PW: &str = "abc12345";

fn sb() -> Sandbox {
    let sb = Sandbox::new();
    sb.secret("pw", PW);
    sb.secret("store.pw", "storepw1");
    sb
}

/// The key (PKCS#8 DER) and certificate (DER) of a PEM pair certkit wrote, read by openssl.
fn pem_pair(sb: &Sandbox, key: &str, cert: &str) -> (Vec<u8>, Vec<u8>) {
    (
        sb.openssl_pkcs8_der(key),
        openssl_bytes(sb, &["x509", "-in", cert, "-outform", "DER"]),
    )
}

#[test]
fn jks_to_pkcs12_to_pem_to_jks_keeps_key_and_certificate_bytes() {
    let sb = sb();
    let want_key = read_testdata("keytool-store.mykey.key.der");
    let want_crt = read_testdata("keytool-store.mykey.crt.der");
    // JKS -> PKCS#12: keytool opens it with the store password and the same alias.
    sb.certkit(&[
        "convert",
        &td("keytool-store.jks"),
        "--password-file",
        "store.pw",
        "-o",
        "a.p12",
        "--out-password-file",
        "pw",
    ])
    .ok();
    let listing = sb.keytool(&[
        "-list",
        "-storetype",
        "PKCS12",
        "-keystore",
        "a.p12",
        "-storepass",
        PW,
    ]);
    listing.ok();
    assert!(
        listing.stdout.contains("mykey, ") && listing.stdout.contains("PrivateKeyEntry"),
        "{}",
        listing.stdout
    );
    // openssl reads it (modern: no -legacy needed) and finds the alias as friendlyName.
    let info = sb.openssl(&[
        "pkcs12",
        "-in",
        "a.p12",
        "-passin",
        &format!("pass:{PW}"),
        "-nodes",
        "-info",
    ]);
    info.ok();
    assert!(
        info.all_output().contains("friendlyName: mykey"),
        "{}",
        info.all_output()
    );
    assert!(
        info.all_output().contains("AES-256-CBC"),
        "{}",
        info.all_output()
    );
    // PKCS#12 -> PEM (split): the same bytes.
    sb.certkit(&[
        "convert",
        "a.p12",
        "--password-file",
        "pw",
        "--key-out",
        "b.key",
        "--cert-out",
        "b.crt",
    ])
    .ok();
    assert_eq!(
        pem_pair(&sb, "b.key", "b.crt"),
        (want_key.clone(), want_crt.clone())
    );
    // PEM (two files) -> JKS: keytool gives the same key and certificate back.
    sb.certkit(&[
        "convert",
        "b.key",
        "b.crt",
        "-o",
        "c.jks",
        "--alias",
        "mykey",
        "--out-password-file",
        "pw",
    ])
    .ok();
    assert_eq!(
        sb.keytool_extract_key(&sb.p("c.jks"), "mykey", PW, PW),
        want_key
    );
    assert_eq!(
        sb.keytool_export_cert(&sb.p("c.jks"), "mykey", PW),
        want_crt
    );
}

#[test]
fn legacy_pkcs12_needs_openssls_legacy_provider_and_opens_in_keytool() {
    let sb = sb();
    sb.certkit(&[
        "convert",
        &td("google-sample.p12"),
        "-o",
        "old.pfx",
        "--legacy",
        "--out-password-file",
        "pw",
    ])
    .ok();
    let info = sb.openssl(&[
        "pkcs12",
        "-legacy",
        "-in",
        "old.pfx",
        "-passin",
        &format!("pass:{PW}"),
        "-nodes",
        "-info",
    ]);
    info.ok();
    let out = info.all_output();
    assert!(out.contains("pbeWithSHA1And3-KeyTripleDES-CBC"), "{out}");
    assert!(out.contains("MAC: sha1"), "{out}");
    sb.keytool(&[
        "-list",
        "-storetype",
        "PKCS12",
        "-keystore",
        "old.pfx",
        "-storepass",
        PW,
    ])
    .ok();
}

#[test]
fn trusted_certificates_become_trusted_cert_entries_in_jks_and_pkcs12() {
    let sb = sb();
    for out in ["trust.jks", "trust.p12"] {
        let r = sb.certkit(&[
            "convert",
            &td("openssl-modern.crt.pem"),
            &td("other-2048.crt.pem"),
            "-o",
            out,
            "--out-password-file",
            "pw",
            "--json",
        ]);
        r.ok();
        let v = r.json();
        assert_eq!(v["entries"].as_array().unwrap().len(), 2, "{v}");
        let listing = sb.keytool(&["-list", "-keystore", out, "-storepass", PW]);
        listing.ok();
        assert_eq!(
            listing.stdout.matches("trustedCertEntry").count(),
            2,
            "{out}: {}",
            listing.stdout
        );
    }
}

#[test]
fn all_entries_are_kept_with_their_aliases_and_entry_keeps_one() {
    let sb = sb();
    sb.certkit(&[
        "convert",
        &td("keytool-multi.jks"),
        "--password-file",
        "store.pw",
        "-o",
        "all.p12",
        "--out-password-file",
        "pw",
    ])
    .ok();
    let listing = sb.keytool(&[
        "-list",
        "-storetype",
        "PKCS12",
        "-keystore",
        "all.p12",
        "-storepass",
        PW,
    ]);
    for alias in ["alpha, ", "beta, ", "trusted-ca, "] {
        assert!(
            listing.stdout.contains(alias),
            "{alias}: {}",
            listing.stdout
        );
    }
    sb.certkit(&[
        "convert",
        &td("keytool-multi.jks"),
        "--password-file",
        "store.pw",
        "--entry",
        "beta",
        "-o",
        "beta.pem",
    ])
    .ok();
    let pem = std::fs::read_to_string(sb.path("beta.pem")).unwrap();
    assert_eq!(pem.matches("BEGIN PRIVATE KEY").count(), 1);
    assert_eq!(pem.matches("BEGIN CERTIFICATE").count(), 1);
    assert_eq!(
        sb.openssl_pkcs8_der("beta.pem"),
        read_testdata("keytool-multi.beta.key.der")
    );
    if unix_modes() {
        assert_eq!(mode(&sb.path("beta.pem")) & 0o777, 0o600);
    }
}

#[test]
fn a_chain_of_three_keeps_its_order_whatever_the_input_order() {
    let sb = sb();
    // root -> intermediate -> leaf, made by openssl.
    let mk = |args: &[&str]| sb.openssl(args).ok().stdout.clone();
    for k in ["root", "inter", "leaf"] {
        mk(&[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            &format!("{k}.key"),
        ]);
    }
    std::fs::write(sb.path("ca.ext"), "basicConstraints=critical,CA:TRUE\n").unwrap();
    mk(&[
        "req",
        "-x509",
        "-new",
        "-key",
        "root.key",
        "-subj",
        "/CN=test root",
        "-days",
        "30",
        "-out",
        "root.crt",
    ]);
    mk(&[
        "req",
        "-new",
        "-key",
        "inter.key",
        "-subj",
        "/CN=test intermediate",
        "-out",
        "inter.csr",
    ]);
    mk(&[
        "x509",
        "-req",
        "-in",
        "inter.csr",
        "-CA",
        "root.crt",
        "-CAkey",
        "root.key",
        "-CAcreateserial",
        "-days",
        "30",
        "-extfile",
        "ca.ext",
        "-out",
        "inter.crt",
    ]);
    mk(&[
        "req",
        "-new",
        "-key",
        "leaf.key",
        "-subj",
        "/CN=test leaf",
        "-out",
        "leaf.csr",
    ]);
    mk(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "inter.crt",
        "-CAkey",
        "inter.key",
        "-CAcreateserial",
        "-days",
        "30",
        "-out",
        "leaf.crt",
    ]);
    // Inputs in the wrong order: root first, the key last.
    sb.certkit(&[
        "convert",
        "root.crt",
        "inter.crt",
        "leaf.crt",
        "leaf.key",
        "-o",
        "chain.jks",
        "--out-password-file",
        "pw",
    ])
    .ok();
    let listing = sb.keytool(&["-list", "-v", "-keystore", "chain.jks", "-storepass", PW]);
    listing.ok();
    let out = &listing.stdout;
    assert!(out.contains("Your keystore contains 1 entry"), "{out}");
    assert!(out.contains("Certificate chain length: 3"), "{out}");
    let owners: Vec<&str> = out.lines().filter(|l| l.starts_with("Owner: ")).collect();
    assert_eq!(
        owners,
        [
            "Owner: CN=test leaf",
            "Owner: CN=test intermediate",
            "Owner: CN=test root"
        ]
    );
    // And back to PEM: leaf, intermediate, root.
    sb.certkit(&[
        "convert",
        "chain.jks",
        "--password-file",
        "pw",
        "--cert-out",
        "chain.crt",
        "--key-out",
        "chain.key",
    ])
    .ok();
    let verify = sb.openssl(&[
        "verify",
        "-CAfile",
        "root.crt",
        "-untrusted",
        "inter.crt",
        "chain.crt",
    ]);
    verify.ok();
    let subjects = sb
        .shell("openssl crl2pkcs7 -nocrl -certfile chain.crt | openssl pkcs7 -print_certs -noout");
    let order: Vec<&str> = subjects
        .stdout
        .lines()
        .filter(|l| l.starts_with("subject="))
        .collect();
    assert_eq!(
        order,
        [
            "subject=CN = test leaf",
            "subject=CN = test intermediate",
            "subject=CN = test root"
        ]
    );
}

#[test]
fn der_outputs_one_certificate_or_one_key() {
    let sb = sb();
    sb.certkit(&[
        "convert",
        &td("google-sample.p12"),
        "-o",
        "g.cer",
        "--key-out",
        "g.key.der",
    ])
    .ok();
    assert_eq!(
        std::fs::read(sb.path("g.cer")).unwrap(),
        read_testdata("google-sample.crt.der")
    );
    assert_eq!(
        std::fs::read(sb.path("g.key.der")).unwrap(),
        read_testdata("google-sample.key.der")
    );
    let r = sb.certkit(&[
        "convert",
        &td("keytool-multi.jks"),
        "--password-file",
        "store.pw",
        "-o",
        "x.der",
    ]);
    r.code_is(2);
    assert!(r.stderr.contains("--entry"), "{}", r.stderr);
    assert!(!sb.path("x.der").exists());
}

#[test]
fn an_encrypted_key_is_pbes2_aes_256_and_opens_with_the_password() {
    let sb = sb();
    sb.certkit(&[
        "convert",
        &td("google-sample.p12"),
        "--key-out",
        "k.pem",
        "--cert-out",
        "c.pem",
        "--encrypt-key",
        "--out-password-file",
        "pw",
    ])
    .ok();
    let text = std::fs::read_to_string(sb.path("k.pem")).unwrap();
    assert!(text.contains("BEGIN ENCRYPTED PRIVATE KEY"), "{text}");
    let parsed = sb.openssl(&["asn1parse", "-in", "k.pem"]);
    assert!(
        parsed.stdout.contains("PBES2") && parsed.stdout.contains("aes-256-cbc"),
        "{}",
        parsed.stdout
    );
    let der = openssl_bytes(
        &sb,
        &[
            "pkcs8",
            "-in",
            "k.pem",
            "-passin",
            &format!("pass:{PW}"),
            "-topk8",
            "-nocrypt",
            "-outform",
            "DER",
        ],
    );
    assert_eq!(der, read_testdata("google-sample.key.der"));
}

#[test]
fn format_mistakes_are_usage_errors_and_write_nothing() {
    let sb = sb();
    let r = sb.certkit(&["convert", &td("google-sample.p12"), "-o", "out.bin"]);
    r.code_is(2);
    assert!(r.stderr.contains("names no format"), "{}", r.stderr);
    // --to overrides the extension.
    sb.certkit(&[
        "convert",
        &td("google-sample.p12"),
        "-o",
        "out.bin",
        "--to",
        "pem",
    ])
    .ok();
    // p12-to-jks names the convert command for other formats.
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "-o",
        "x.p12",
        "--out-password-file",
        "pw",
    ]);
    r.code_is(2);
    assert!(r.stderr.contains("certkit convert"), "{}", r.stderr);
    assert!(!sb.path("x.p12").exists());
    // --alias names one entry only.
    let r = sb.certkit(&[
        "convert",
        &td("keytool-multi.jks"),
        "--password-file",
        "store.pw",
        "-o",
        "m.p12",
        "--alias",
        "x",
        "--out-password-file",
        "pw",
    ]);
    r.code_is(2);
    assert!(!sb.path("m.p12").exists());
}

/// Flags that contradict each other are a usage error (exit 2) before any input is read or
/// file written: the input here does not exist, and reading it would be exit 8.
#[test]
fn contradicting_flags_are_refused_before_any_input_is_read() {
    let sb = Sandbox::new();
    let cases: &[(&[&str], &str)] = &[
        (&["--to", "jks"], "name the output file with -o FILE\n"),
        (&["--to", "pkcs12", "--key-out", "k.pem"], "name the output file with -o FILE\n"),
        (
            &["--to", "pem"],
            "name the output with -o FILE (for PEM and DER, or the key and certificates with --key-out FILE / --cert-out FILE)\n",
        ),
        (&["--to", "der", "--cert-out", "c.der"], "name the output with -o FILE"),
        (
            &["-o", "out.bin"],
            "names no format (.jks, .p12, .pfx, .pem, .crt, .key, .der, .cer)\n  say which with --to jks|pkcs12|pem|der\n",
        ),
        (
            &["-o", "x.jks", "--cert-out", "c.pem"],
            "separate key and certificate files are for PEM and DER\n",
        ),
        (
            &["--key-out", "same.pem", "--cert-out", "same.pem"],
            "the key and the certificates need two different files\n",
        ),
        (
            &["--to", "der", "--key-out", "same", "--cert-out", "same"],
            "the key and the certificates need two different files\n",
        ),
        // Refused after reading the inputs before: the certificates have no file whatever
        // the inputs hold.
        (
            &["--key-out", "k.pem"],
            "name the file for the certificates with -o FILE or --cert-out FILE\n",
        ),
    ];
    for (flags, words) in cases {
        let mut args = vec!["convert", "missing.p12", "--out-password-file", "pw"];
        args.extend_from_slice(flags);
        let r = sb.certkit(&args);
        r.code_is(2);
        assert!(r.stderr.contains(words), "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains("missing.p12"), "{args:?}: {}", r.stderr);
    }
    assert!(sb.files().is_empty(), "{:?}", sb.files());
}

/// `-o` and `--key-out` (or `--cert-out`) naming one file: the key and the certificates
/// would go to the same file. It was refused as "already exists" when it did not, and with
/// --force the certificates replaced the key the report said was written.
#[test]
fn the_key_and_the_certificates_to_one_file_by_o_and_key_out_are_refused() {
    let sb = sb();
    let p12 = td("google-sample.p12");
    for other in ["--key-out", "--cert-out"] {
        for force in [None, Some("--force")] {
            let mut args = vec!["convert", &p12, "-o", "out.pem", other, "out.pem"];
            args.extend(force);
            let r = sb.certkit(&args);
            r.code_is(2);
            assert!(
                r.stderr
                    .contains("the key and the certificates need two different files"),
                "{args:?}: {}",
                r.stderr
            );
            assert!(!sb.path("out.pem").exists(), "{args:?}");
        }
    }
    // DER: the certificate to -o, the key to --key-out, one file.
    let r = sb.certkit(&[
        "convert",
        &td("google-sample.p12"),
        "-o",
        "x.der",
        "--key-out",
        "x.der",
        "--force",
    ]);
    r.code_is(2);
    assert!(!sb.path("x.der").exists());
}

/// DER with only the certificate written: `--encrypt-key` has no key to encrypt, so no
/// password is made or reported (one was generated and shown once, protecting nothing).
#[test]
fn a_der_certificate_alone_gets_no_password_from_encrypt_key() {
    let sb = sb();
    let r = sb.certkit(&[
        "--json",
        "convert",
        &td("google-sample.p12"),
        "-o",
        "c.der",
        "--encrypt-key",
        "--generate-password",
    ]);
    r.ok();
    let report = r.json();
    assert_eq!(report["outputs"], serde_json::json!(["c.der"]));
    assert!(report.get("password").is_none(), "{report}");
    assert!(report.get("generated_password").is_none(), "{report}");
    assert!(!r.stderr.contains("Generated password"), "{}", r.stderr);
    assert_eq!(
        std::fs::read(sb.path("c.der")).unwrap(),
        read_testdata("google-sample.crt.der")
    );
}

#[test]
fn renew_keeps_the_key_subject_and_names_and_the_google_key_id_changes() {
    let sb = sb();
    let made = selfsign(
        &sb,
        "org2",
        &["--san", "org2.example.com", "--org", "Acme", "--days", "30"],
    )
    .json();
    std::fs::create_dir(sb.path("new")).unwrap();
    let r = sb.certkit(&[
        "renew",
        "org2.key",
        "--cert",
        "org2.crt",
        "--days",
        "400",
        "--out-dir",
        "new",
        "--json",
    ]);
    r.ok();
    let v = r.json();
    assert_eq!(v["same_key"], true);
    assert_ne!(
        v["key_ids"]["google_key_id_old"],
        v["key_ids"]["google_key_id_new"]
    );
    // openssl: same public key, same subject and SAN, new serial, verifies itself.
    let pub_of = |c: &str| openssl_bytes(&sb, &["x509", "-in", c, "-noout", "-pubkey"]);
    assert_eq!(pub_of("org2.crt"), pub_of("new/org2.crt"));
    let text = |c: &str| {
        sb.openssl(&[
            "x509",
            "-in",
            c,
            "-noout",
            "-subject",
            "-ext",
            "subjectAltName,basicConstraints,keyUsage",
        ])
        .stdout
    };
    assert_eq!(text("org2.crt"), text("new/org2.crt"));
    assert_ne!(s(&made["details"], "serial"), s(&v["new"], "serial"));
    sb.openssl(&["verify", "-CAfile", "new/org2.crt", "new/org2.crt"])
        .ok();
    let (nb, na) = openssl_validity(&sb, "new/org2.crt");
    assert!((na - nb - 400 * 86_400).abs() < 120, "{nb} {na}");
    // kid: the Google key id is the new certificate's SHA-1.
    let k = sb.certkit(&["kid", "new/org2.crt", "--json"]);
    assert_eq!(k.json()["google_key_id"], v["key_ids"]["google_key_id_new"]);
    assert_eq!(k.json()["jwk_thumbprint"], v["key_ids"]["jwk_thumbprint"]);
}

#[test]
fn expiry_gates_on_expired_and_soon_expiring_certificates() {
    let sb = sb();
    std::fs::create_dir_all(sb.path("certs/sub")).unwrap();
    let key = td("other-2048.key.pem");
    for (name, start, end) in [("past", -400, -10), ("soon", -10, 10), ("year", -10, 365)] {
        let c = openssl_cert_with_dates(
            &sb,
            &key,
            name,
            &openssl_date_in_days(start),
            &openssl_date_in_days(end),
            name,
        );
        std::fs::copy(&c, sb.path(&format!("certs/sub/{name}.crt"))).unwrap();
    }
    std::fs::write(sb.path("certs/README.txt"), "not a keystore").unwrap();
    std::fs::copy(td("keytool-store.jks"), sb.path("certs/store.jks")).unwrap();
    std::fs::copy(td("openssl-modern.p12"), sb.path("certs/locked.p12")).unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["expiry", "certs"];
        all.extend_from_slice(args);
        all.push("--json");
        sb.certkit(&all)
    };
    let r = run(&["--within", "30d"]);
    r.code_is(1);
    let v = r.json();
    let states: Vec<(String, String)> = v["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (s(c, "subject").to_string(), s(c, "state").to_string()))
        .collect();
    // Sorted by expiry: the expired one, the soon one, the year one, then the JKS (10 years).
    assert_eq!(states[0], ("CN=past".into(), "expired".into()), "{v}");
    assert_eq!(states[1], ("CN=soon".into(), "within".into()), "{v}");
    assert_eq!(states[2], ("CN=year".into(), "ok".into()), "{v}");
    assert_eq!(states.len(), 4, "{v}");
    assert_eq!(
        (v["expired"].clone(), v["within"].clone()),
        (Value::from(1), Value::from(1))
    );
    // The locked PKCS#12 is listed, not fatal; the README is not a problem.
    let problems = v["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{v}");
    assert!(s(&problems[0], "file").ends_with("locked.p12"));
    // With its password it is read; without the expired one and inside 5 days, exit 0.
    sb.secret("p12.pw", "changeit");
    std::fs::remove_file(sb.path("certs/sub/past.crt")).unwrap();
    let r = run(&["--within", "5", "--password-file", "p12.pw"]);
    r.ok();
    let v = r.json();
    assert!(v["problems"].as_array().unwrap().is_empty(), "{v}");
    assert_eq!(v["certificates"].as_array().unwrap().len(), 4);
}

#[test]
fn inspect_takes_several_files_and_marks_what_expires() {
    let sb = sb();
    let key = td("other-2048.key.pem");
    let soon = openssl_cert_with_dates(
        &sb,
        &key,
        "soon",
        &openssl_date_in_days(-1),
        &openssl_date_in_days(5),
        "s",
    );
    let r = sb.certkit(&["inspect", &td("keytool-store.jks"), &soon]);
    r.ok();
    assert_eq!(r.stdout.matches("==> ").count(), 2, "{}", r.stdout);
    // The certificate ends exactly 5 days (to the second) after it was made: read in the
    // same second it has 5 days left, a second later 4 whole days (clock-dependent, both
    // are right; nothing else is).
    assert!(
        r.stdout.contains("** expires in 4 days **")
            || r.stdout.contains("** expires in 5 days **"),
        "{}",
        r.stdout
    );
    let r = sb.certkit(&["inspect", &td("keytool-store.jks"), &soon, "--json"]);
    r.ok();
    assert_eq!(r.json()["files"].as_array().unwrap().len(), 2);
}

/// Two spellings of one file (`./a.pem` and `a.pem`): refused before anything is written,
/// with and without --force (with --force the key was lost: the certificates replaced it
/// in the one file, and the report said the key was written).
#[test]
fn one_file_spelled_two_ways_is_refused_and_the_key_is_never_lost() {
    let sb = Sandbox::new();
    for force in [false, true] {
        let mut args = vec![
            "convert",
            "in.p12",
            "--to",
            "pem",
            "-o",
            "./a.pem",
            "--key-out",
            "a.pem",
        ];
        if force {
            args.push("--force");
        }
        std::fs::copy(td("google-sample.p12"), sb.path("in.p12")).unwrap();
        let r = sb.certkit(&args);
        r.code_is(2);
        assert!(
            !sb.path("a.pem").exists(),
            "nothing written (force: {force})"
        );
    }
    let r = sb.certkit(&[
        "convert",
        "in.p12",
        "--to",
        "der",
        "-o",
        "c.der",
        "--key-out",
        "./k.der",
        "--cert-out",
        "k.der",
    ]);
    r.code_is(2);
    assert!(!sb.path("k.der").exists() && !sb.path("c.der").exists());
}
