//! Damaged input: valid keystores cut at every byte offset and with single bytes
//! flipped give errors, never panics; the binary maps them to exit codes 3 or 4
//! and prints no backtrace.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::common::{read_testdata, td, Sandbox};
use certkit_core::formats;
use certkit_core::model::Keystore;
use certkit_core::secret::Password;

const JKS_MAGIC: [u8; 4] = [0xFE, 0xED, 0xFE, 0xED];

/// What the library made of one damaged input: an error, or the content it read
/// (aliases, entry kinds, open keys and certificates, concatenated).
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Ok(Vec<u8>),
    Err,
}

fn content(ks: &Keystore) -> Vec<u8> {
    let mut out = Vec::new();
    for e in &ks.entries {
        out.extend_from_slice(e.alias.as_bytes());
        out.extend_from_slice(e.kind_name().as_bytes());
        if let Some(k) = e.pkcs8() {
            out.extend_from_slice(k.expose());
        }
        for c in e.chain() {
            out.extend_from_slice(&c.0);
        }
    }
    out
}

/// Read `data` the way p12-to-jks does: the reader with the password, then every JKS key
/// opened with it. A panic becomes `Err(message)`.
fn read_with(data: &[u8], pw: &str) -> Result<Outcome, String> {
    catch_unwind(AssertUnwindSafe(|| {
        let password = Password::new(pw.to_string());
        match formats::read(data, "x", Some(&password)) {
            Ok(mut ks) => match formats::open_keys(&mut ks, &password) {
                Ok(()) => Outcome::Ok(content(&ks)),
                Err(_) => Outcome::Err,
            },
            Err(_) => Outcome::Err,
        }
    }))
    .map_err(panic_message)
}

/// Read a JKS without checking its integrity (no password), then open its keys anyway:
/// the key protector sees the damaged bytes the digest would otherwise have caught.
fn read_unchecked(data: &[u8], pw: &str) -> Result<Outcome, String> {
    catch_unwind(AssertUnwindSafe(|| {
        let password = Password::new(pw.to_string());
        match formats::read(data, "x", None) {
            Ok(mut ks) => match formats::open_keys(&mut ks, &password) {
                Ok(()) => Outcome::Ok(content(&ks)),
                Err(_) => Outcome::Err,
            },
            Err(_) => Outcome::Err,
        }
    }))
    .map_err(panic_message)
}

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(non-string panic)".into())
}

/// Every strict prefix length in `lens` must give an error, never a panic.
fn check_truncations(
    name: &str,
    data: &[u8],
    lens: impl Iterator<Item = usize>,
    read: fn(&[u8], &str) -> Result<Outcome, String>,
    pw: &str,
) {
    let mut panics = Vec::new();
    let mut accepted = Vec::new();
    let mut n = 0;
    for len in lens {
        assert!(len < data.len());
        n += 1;
        match read(&data[..len], pw) {
            Err(msg) => panics.push(format!("length {len}: {msg}")),
            Ok(Outcome::Ok(_)) => accepted.push(len),
            Ok(Outcome::Err) => {}
        }
    }
    assert!(n > 0);
    assert!(
        panics.is_empty(),
        "{name}: panics when truncated at\n{}",
        panics.join("\n")
    );
    assert!(
        accepted.is_empty(),
        "{name}: truncated copies read as valid at lengths {accepted:?}"
    );
}

/// What a flipped copy must give besides "no panic".
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// An error: the integrity check covers every byte.
    Error,
    /// An error, or exactly the original content (a flip in a byte that carries no meaning).
    ErrorOrSameContent,
    /// Anything but a panic (integrity deliberately not checked).
    NoPanic,
}

/// Flip single bytes (each offset with each mask) and check each copy against `expect`.
fn check_flips(
    name: &str,
    data: &[u8],
    offsets: impl Iterator<Item = usize>,
    masks: &[u8],
    read: fn(&[u8], &str) -> Result<Outcome, String>,
    pw: &str,
    expect: Expect,
) {
    let original = match read(data, pw) {
        Ok(Outcome::Ok(c)) => c,
        other => panic!("{name}: the undamaged file does not read: {other:?}"),
    };
    let mut panics = Vec::new();
    let mut wrong = Vec::new();
    let mut copy = data.to_vec();
    let mut n = 0;
    for off in offsets {
        for &m in masks {
            n += 1;
            copy[off] ^= m;
            match read(&copy, pw) {
                Err(msg) => panics.push(format!("offset {off} ^ {m:#04x}: {msg}")),
                Ok(Outcome::Ok(c)) => match expect {
                    Expect::Error => wrong.push(format!("{off}^{m:#04x} read as valid")),
                    Expect::ErrorOrSameContent if c != original => {
                        wrong.push(format!("{off}^{m:#04x} read as valid with other content"))
                    }
                    _ => {}
                },
                Ok(Outcome::Err) => {}
            }
            copy[off] ^= m;
        }
    }
    assert!(n > 0);
    assert!(
        panics.is_empty(),
        "{name}: panics with a flipped byte at\n{}",
        panics.join("\n")
    );
    assert!(wrong.is_empty(), "{name}: {}", wrong.join("; "));
}

/// A JKS written by certkit itself (google-sample.p12 converted), and its password.
fn certkit_jks() -> (Vec<u8>, &'static str) {
    let sb = Sandbox::new();
    let pw = "abc12345";
    let pwfile = sb.secret("out.pw", pw);
    sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "-o",
        "ck.jks",
        "--out-password-file",
        &pwfile,
    ])
    .ok();
    let bytes = std::fs::read(sb.path("ck.jks")).unwrap();
    assert_eq!(bytes[..4], JKS_MAGIC);
    (bytes, pw)
}

#[test]
fn untouched_fixtures_read_ok_so_the_damage_tests_mean_something() {
    let ok = |r: Result<Outcome, String>| matches!(r, Ok(Outcome::Ok(c)) if !c.is_empty());
    assert!(ok(read_with(
        &read_testdata("google-sample.p12"),
        "notasecret"
    )));
    assert!(ok(read_with(
        &read_testdata("keytool-store.jks"),
        "storepw1"
    )));
    assert!(ok(read_unchecked(
        &read_testdata("keytool-store.jks"),
        "storepw1"
    )));
    let (ck, pw) = certkit_jks();
    assert!(ok(read_with(&ck, pw)));
}

#[test]
fn google_p12_truncated_at_every_offset_is_an_error_not_a_panic() {
    let data = read_testdata("google-sample.p12");
    check_truncations(
        "google-sample.p12",
        &data,
        0..data.len(),
        read_with,
        "notasecret",
    );
}

#[test]
fn google_p12_with_a_flipped_byte_is_an_error_not_a_panic() {
    let data = read_testdata("google-sample.p12");
    let name = "google-sample.p12";
    // Every 3rd offset (each flip costs a MAC computation, slow in a debug build)...
    check_flips(
        name,
        &data,
        (0..data.len()).step_by(3),
        &[0xFF],
        read_with,
        "notasecret",
        Expect::ErrorOrSameContent,
    );
    // ...and every offset of the first 64 bytes (DER headers, version, content type) and of
    // the last 64 (MacData: digest, salt, iteration count), with several masks. Bytes outside
    // the MAC that carry no meaning (the NULL parameters of the MAC's digest algorithm) may
    // be accepted, but never with different content.
    let tail = data.len() - 64..data.len();
    check_flips(
        name,
        &data,
        (0..64).chain(tail),
        &[0x01, 0x80, 0xFF],
        read_with,
        "notasecret",
        Expect::ErrorOrSameContent,
    );
}

#[test]
fn keytool_jks_truncated_at_every_offset_is_an_error_not_a_panic() {
    let data = read_testdata("keytool-store.jks");
    check_truncations(
        "keytool-store.jks",
        &data,
        0..data.len(),
        read_with,
        "storepw1",
    );
    check_truncations(
        "keytool-store.jks (unchecked)",
        &data,
        0..data.len(),
        read_unchecked,
        "storepw1",
    );
}

#[test]
fn keytool_jks_with_any_byte_flipped_is_an_error_not_a_panic() {
    let data = read_testdata("keytool-store.jks");
    check_flips(
        "keytool-store.jks",
        &data,
        0..data.len(),
        &[0x01, 0x80, 0xFF],
        read_with,
        "storepw1",
        Expect::Error,
    );
    // Without the digest check, damage reaches the key protector and the certificates.
    check_flips(
        "keytool-store.jks (unchecked)",
        &data,
        0..data.len(),
        &[0x01, 0xFF],
        read_unchecked,
        "storepw1",
        Expect::NoPanic,
    );
}

#[test]
fn certkit_written_jks_truncated_or_flipped_is_an_error_not_a_panic() {
    let (data, pw) = certkit_jks();
    check_truncations("certkit jks", &data, 0..data.len(), read_with, pw);
    check_truncations(
        "certkit jks (unchecked)",
        &data,
        0..data.len(),
        read_unchecked,
        pw,
    );
    check_flips(
        "certkit jks",
        &data,
        0..data.len(),
        &[0x01, 0xFF],
        read_with,
        pw,
        Expect::Error,
    );
    check_flips(
        "certkit jks (unchecked)",
        &data,
        0..data.len(),
        &[0x01, 0xFF],
        read_unchecked,
        pw,
        Expect::NoPanic,
    );
}

/// A damaged keystore is refused as damaged (4) or, when the damage is only found by the
/// integrity check the password keys (a JKS digest, a PKCS#12 MAC), as a wrong password (3):
/// which one depends on the byte, so both are right here and nothing else is.
fn assert_clean_failure(r: &crate::common::Run) {
    assert!(
        r.code == 3 || r.code == 4,
        "{}: expected exit 3 or 4, got {}\n{}",
        r.what,
        r.code,
        r.stderr
    );
    crate::defects::assert_no_internal_error(r);
    assert!(
        !r.stderr.contains("RUST_BACKTRACE"),
        "{}: backtrace hint\n{}",
        r.what,
        r.stderr
    );
    assert!(!r.stderr.trim().is_empty(), "{}: no error message", r.what);
}

#[test]
fn binary_exits_3_or_4_without_a_backtrace_on_truncated_files() {
    let sb = Sandbox::new();
    let out_pw = sb.secret("out.pw", "abc12345");
    let cases = [
        ("google-sample.p12", "notasecret"),
        ("keytool-store.jks", "storepw1"),
    ];
    let mut n = 0;
    for (file, pw) in cases {
        let data = read_testdata(file);
        let in_pw = sb.secret(&format!("{file}.pw"), pw);
        let len = data.len();
        for cut in [0, 1, 3, 4, 12, 100, len / 2, len - 21, len - 1] {
            let name = format!("cut-{cut}-{file}");
            std::fs::write(sb.path(&name), &data[..cut]).unwrap();
            let path = sb.p(&name);
            // Alternate the command so both readers' error paths reach the user.
            let r = if n % 2 == 0 {
                sb.certkit(&["inspect", &path, "--password-file", &in_pw])
            } else {
                sb.certkit(&[
                    "p12-to-jks",
                    &path,
                    "--password-file",
                    &in_pw,
                    "-o",
                    "never.jks",
                    "--out-password-file",
                    &out_pw,
                ])
            };
            assert_clean_failure(&r);
            n += 1;
        }
    }
    assert!(
        !sb.path("never.jks").exists(),
        "a damaged input produced output"
    );
}

#[test]
fn binary_never_accepts_a_jks_with_a_flipped_byte_and_the_right_password() {
    let sb = Sandbox::new();
    let in_pw = sb.secret("in.pw", "storepw1");
    let out_pw = sb.secret("out.pw", "abc12345");
    let data = read_testdata("keytool-store.jks");
    // Header, entry count, alias, the protected key, the certificate, the digest.
    let len = data.len();
    for (i, off) in [5usize, 11, 15, 20, 40, 300, 900, 1500, len - 10, len - 1]
        .into_iter()
        .enumerate()
    {
        let mut copy = data.clone();
        copy[off] ^= 0x01;
        let name = format!("flip-{off}.jks");
        std::fs::write(sb.path(&name), &copy).unwrap();
        let path = sb.p(&name);
        let r = if i % 2 == 0 {
            sb.certkit(&["inspect", &path, "--password-file", &in_pw])
        } else {
            sb.certkit(&[
                "p12-to-jks",
                &path,
                "--password-file",
                &in_pw,
                "-o",
                "never.jks",
                "--out-password-file",
                &out_pw,
            ])
        };
        assert_ne!(r.code, 0, "flip at {off} accepted");
        assert_clean_failure(&r);
    }
    assert!(
        !sb.path("never.jks").exists(),
        "a damaged input produced output"
    );
}

#[test]
fn closed_stdout_does_not_make_certkit_panic() {
    let sb = Sandbox::new();
    let mut child = sb.spawn_certkit(&["inspect", &td("keytool-multi.jks"), "--json"]);
    // Close the reading end before certkit writes its report (as `| head -0` would).
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("internal error"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "{stderr}");
}

/// An internal error (a panic) is one line naming where it happened, never the panic's
/// message (which may quote a token or a key), and exit code 101, on the binary under test
/// (debug here, the static release build in CI's second pass). `CERTKIT_TEST_PANIC=1` makes
/// certkit panic at start, as no input does any more.
#[test]
fn a_panic_is_one_line_without_its_message_and_exit_code_101() {
    use std::process::{Command, Stdio};
    let sb = Sandbox::new();
    let out = Command::new(crate::common::certkit_bin())
        .arg("--version")
        .current_dir(sb.dir())
        .env("CERTKIT_TEST_PANIC", "1")
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(101), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("certkit: internal error (a bug, please report it) at src/main.rs:"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("p4ssw0rd") && !stderr.contains("test panic"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}
