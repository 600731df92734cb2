//! The build under test against this checkout's default build (the OpenSSL backend): every
//! output that is deterministic is the same bytes, whichever backend and platform made it.
//! CI runs the suite on the static builds (OpenSSL inside, pure Rust) and on the Windows build
//! under Wine with `CERTKIT_BIN`, so this compares each of them with the default build; run
//! plainly, it compares the default build with itself, which still checks that these outputs
//! are deterministic. (Keystores and encrypted keys are not: their salts are random.)

use std::path::{Path, PathBuf};

use crate::common::{certkit_bin, td, Run, Sandbox};

/// Run `bin` with `args` in `dir`, stdin from /dev/null; the run must succeed.
fn run_in(bin: &Path, dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new(bin)
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("start certkit");
    let shown = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        what: format!("{} {}", bin.display(), args.join(" ")),
    };
    shown.ok();
    out.stdout
}

/// The deterministic outputs of one build: (name, bytes), files and standard outputs.
fn outputs(bin: &Path) -> Vec<(String, Vec<u8>)> {
    let sb = Sandbox::new();
    let pw = sb.secret("in.pw", "notasecret");
    let p12 = td("google-sample.p12");
    let dir = sb.dir();
    let mut out = Vec::new();
    let convert = ["convert", &p12, "--password-file", &pw, "--to"];
    for rest in [
        &["pem", "-o", "all.pem"][..],
        &["der", "-o", "cert.der", "--key-out", "key.der"],
        &["pem", "--cert-out", "cert.pem", "--key-out", "key.pem"],
    ] {
        run_in(bin, dir, &[&convert[..], rest].concat());
    }
    for name in ["all.pem", "cert.der", "key.der", "cert.pem", "key.pem"] {
        out.push((name.to_string(), std::fs::read(dir.join(name)).unwrap()));
    }
    let cert = td("google-sample.crt.pem");
    out.push((
        "kid --jwks".into(),
        run_in(bin, dir, &["kid", &cert, "--jwks"]),
    ));
    out.push((
        "kid --jwk RS512".into(),
        run_in(bin, dir, &["kid", &cert, "--jwk", "--alg", "RS512"]),
    ));
    out
}

#[test]
fn deterministic_outputs_are_the_same_bytes_as_the_default_builds() {
    let default = PathBuf::from(env!("CARGO_BIN_EXE_certkit"));
    let expected = outputs(&default);
    let got = outputs(&certkit_bin());
    assert_eq!(got.len(), expected.len());
    for ((name, a), (_, b)) in expected.iter().zip(&got) {
        assert!(!a.is_empty(), "{name}: empty");
        if !name.ends_with(".der") {
            assert!(
                !a.contains(&b'\r'),
                "{name}: a CR in the default build's text"
            );
        }
        assert!(
            a == b,
            "{name} differs from the default build's ({} and {} bytes): {}",
            a.len(),
            b.len(),
            certkit_bin().display()
        );
    }
}

/// The Windows build (run under Wine, where drive Z: is the Unix root) takes Windows paths:
/// drive letters, backslashes, a folder with a space and a name with non-ASCII letters, for
/// input and output; keytool reads what it wrote. Only with `CERTKIT_BIN_OS=windows`.
#[test]
fn the_windows_build_reads_and_writes_drive_letter_backslash_paths() {
    if crate::common::unix_modes() {
        eprintln!("NOTE: not the Windows build (CERTKIT_BIN_OS unset): nothing to check");
        return;
    }
    let sb = Sandbox::new();
    let windows = |p: &Path| format!("Z:{}", p.display()).replace('/', "\\");
    std::fs::create_dir(sb.path("my keys")).unwrap();
    let out = sb.path("my keys").join("clé ö.jks");
    let pw = sb.secret("out.pw", "abcd1234");
    sb.certkit(&[
        "p12-to-jks",
        &windows(&crate::common::testdata("google-sample.p12")),
        "-o",
        &windows(&out),
        "--out-password-file",
        &windows(Path::new(&pw)),
    ])
    .ok();
    assert_eq!(
        sb.keytool_list(&out.display().to_string(), "abcd1234")
            .count,
        1
    );
    // A folder given where a file is expected, in Windows spelling: said so, exit 8.
    let r = sb.certkit(&["inspect", &windows(&sb.path("my keys"))]);
    r.code_is(8);
    assert!(r.stderr.contains("a folder, not a file"), "{}", r.stderr);
}
