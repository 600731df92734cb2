//! Issue 12: the commands that only read, re-encode and re-protect (inspect, kid, expiry,
//! p12-to-jks of a P12 or JKS, convert between unencrypted formats) never initialise
//! OpenSSL, whose start-up (configuration, error strings, provider fetches) costs more than
//! the rest of their work. How it is proved: OpenSSL's initialisation reads its
//! configuration file, named here by `OPENSSL_CONF`; strace watches whether the process opens
//! it. A command that signs (selfsign) is the control: it must open it, or the test proves
//! nothing.

use std::process::{Command, Stdio};

use crate::common::{td, Sandbox};

/// Whether `certkit args` initialised OpenSSL (opened the configuration file).
fn touches_openssl(sb: &Sandbox, args: &[&str]) -> bool {
    let conf = sb.path("probe-openssl.cnf");
    std::fs::write(&conf, "# certkit test probe\n").unwrap();
    let out = Command::new("strace")
        .args(["-f", "-e", "trace=open,openat", "-o"])
        .arg(sb.path("strace.log"))
        .arg(crate::common::certkit_bin())
        .args(args)
        .current_dir(sb.dir())
        .env("OPENSSL_CONF", &conf)
        .stdin(Stdio::null())
        .output()
        .expect("strace runs (scripts/install-deps.sh installs it)");
    assert!(
        out.status.success(),
        "certkit {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    let log = std::fs::read_to_string(sb.path("strace.log")).unwrap();
    log.contains("probe-openssl.cnf")
}

#[test]
fn reading_and_re_encoding_never_initialise_openssl() {
    let sb = Sandbox::new();
    let store = sb.secret("store.pw", "storepw1");
    let modern = sb.secret("modern.pw", "changeit");
    let out = sb.secret("out.pw", "Abcd1234");
    let runs: Vec<Vec<String>> = vec![
        vec![
            "inspect".into(),
            td("keytool-multi.jks"),
            "--password-file".into(),
            store.clone(),
        ],
        vec!["inspect".into(), td("google-sample.p12"), "--json".into()],
        vec![
            "inspect".into(),
            td("openssl-modern.p12"),
            "--password-file".into(),
            modern.clone(),
        ],
        vec!["inspect".into(), td("google-sample.json")],
        vec![
            "inspect".into(),
            td("google-sample.key.pem"),
            td("google-sample.crt.pem"),
        ],
        vec!["inspect".into(), td("google-sample.key.der")],
        vec!["kid".into(), td("google-sample.p12")],
        vec![
            "kid".into(),
            td("keytool-store.jks"),
            "--password-file".into(),
            store.clone(),
        ],
        vec!["kid".into(), td("other-2048.crt.pem"), "--jwk".into()],
        vec![
            "expiry".into(),
            td("keytool-multi.jks"),
            td("google-sample.crt.pem"),
            "--within".into(),
            "1d".into(),
        ],
        vec![
            "p12-to-jks".into(),
            td("google-sample.p12"),
            "-o".into(),
            "a.jks".into(),
            "--out-password-file".into(),
            out.clone(),
        ],
        vec![
            "p12-to-jks".into(),
            td("keytool-store.jks"),
            "--password-file".into(),
            store.clone(),
            "-o".into(),
            "b.jks".into(),
            "--out-password-file".into(),
            out.clone(),
        ],
        vec![
            "convert".into(),
            td("keytool-store.jks"),
            "--password-file".into(),
            store.clone(),
            "--key-out".into(),
            "c.key".into(),
            "--cert-out".into(),
            "c.crt".into(),
        ],
        vec![
            "convert".into(),
            td("google-sample.key.pem"),
            td("google-sample.crt.pem"),
            "-o".into(),
            "d.jks".into(),
            "--out-password-file".into(),
            out.clone(),
        ],
        vec![
            "convert".into(),
            td("keytool-multi.jks"),
            "--password-file".into(),
            store.clone(),
            "-o".into(),
            "e.p12".into(),
            "--out-password-file".into(),
            out.clone(),
        ],
        vec![
            "convert".into(),
            td("openssl-modern.p12"),
            "--password-file".into(),
            modern.clone(),
            "-o".into(),
            "f.jks".into(),
            "--out-password-file".into(),
            out.clone(),
        ],
    ];
    let touched: Vec<String> = runs
        .iter()
        .filter(|args| {
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            touches_openssl(&sb, &a)
        })
        .map(|args| args.join(" "))
        .collect();
    assert!(
        touched.is_empty(),
        "these initialised OpenSSL: {touched:#?}"
    );
}

/// The crypto backend of the binary under test, as `--version --json` names it ("openssl" or
/// "rust-crypto"; a binary from before the field is OpenSSL's).
pub fn crypto_backend() -> String {
    let out = Command::new(crate::common::certkit_bin())
        .args(["--version", "--json"])
        .stdin(Stdio::null())
        .output()
        .expect("certkit runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    v["crypto"].as_str().unwrap_or("openssl").to_string()
}

#[test]
fn the_probe_sees_a_command_that_needs_openssl() {
    // Signing (key generation, the certificate's signature) is OpenSSL's work on the OpenSSL
    // build; the pure-Rust build has no OpenSSL to initialise, even there.
    let sb = Sandbox::new();
    let touched = touches_openssl(&sb, &["selfsign", "--cn", "probe", "--out-dir", "s"]);
    match crypto_backend().as_str() {
        "openssl" => assert!(touched, "the OpenSSL build signed without OpenSSL"),
        "rust-crypto" => assert!(!touched, "the pure-Rust build initialised OpenSSL"),
        other => panic!("unknown crypto backend {other:?}"),
    }
}

#[test]
fn the_version_names_the_crypto_backend_the_binary_was_built_with() {
    let backend = crypto_backend();
    assert!(
        ["openssl", "rust-crypto"].contains(&backend.as_str()),
        "{backend}"
    );
    // cargo test's own binary (no CERTKIT_BIN) has the features these tests were built with.
    if std::env::var_os("CERTKIT_BIN").is_none() {
        let built = if cfg!(feature = "openssl") {
            "openssl"
        } else {
            "rust-crypto"
        };
        assert_eq!(backend, built);
    }
}

/// Regression (issue 12): randomness (the JKS salt, temporary names, generated passwords)
/// comes from the getrandom system call on both builds. The static build used to fall back
/// to /dev/random and /dev/urandom (the getrandom crate looks glibc's function up with
/// dlsym, which a static binary cannot do): slower, and no randomness where /dev is missing.
#[test]
fn randomness_comes_from_the_getrandom_system_call_not_dev_urandom() {
    let sb = Sandbox::new();
    let out = sb.secret("out.pw", "Abcd1234");
    for args in [
        vec![
            "p12-to-jks".to_string(),
            td("google-sample.p12"),
            "-o".into(),
            "g.jks".into(),
            "--out-password-file".into(),
            out.clone(),
        ],
        vec![
            "selfsign".into(),
            "--cn".into(),
            "probe".into(),
            "--out-dir".into(),
            "made".into(),
        ],
    ] {
        let status = Command::new("strace")
            .args(["-f", "-e", "trace=open,openat,getrandom", "-o"])
            .arg(sb.path("random.log"))
            .arg(crate::common::certkit_bin())
            .args(&args)
            .current_dir(sb.dir())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("strace runs");
        assert!(status.success(), "certkit {}", args.join(" "));
        let log = std::fs::read_to_string(sb.path("random.log")).unwrap();
        assert!(
            log.contains("getrandom("),
            "{}: no getrandom call\n{log}",
            args[0]
        );
        assert!(!log.contains("/dev/random"), "{}:\n{log}", args[0]);
        assert!(!log.contains("/dev/urandom"), "{}:\n{log}", args[0]);
    }
}
