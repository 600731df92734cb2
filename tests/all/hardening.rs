//! Hostile input and hostile file systems (issue 11): bounded reading of files, pipes and
//! standard input; PKCS#12 and PEM iteration counts; output on a read-only or full file
//! system, killed mid-write, through links; core dumps; and a grep of every command's output
//! for the fixtures' passwords and key bytes.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use certkit_core::der::{read_tlv, write_tlv};

use crate::common::{read_testdata, td, Run, Sandbox};

/// Run certkit with `stdin` bytes, failing the test if it has not finished within `limit`
/// (what these tests check is that it does not block or spin).
fn certkit_within(sb: &Sandbox, args: &[&str], stdin: Option<&[u8]>, limit: Duration) -> Run {
    let mut child = Command::new(crate::common::certkit_bin())
        .args(args)
        .current_dir(sb.dir())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start certkit");
    if let Some(data) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        // certkit may stop reading (and close the pipe) once it has seen enough.
        let _ = pipe.write_all(data);
    }
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            child.kill().unwrap();
            panic!("certkit {} still running after {limit:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        what: format!("certkit {}", args.join(" ")),
    }
}

// ---- Bounded reading ----

#[test]
fn a_fifo_without_a_writer_is_refused_after_a_few_seconds_instead_of_blocking() {
    let sb = Sandbox::new();
    sb.shell("mkfifo pipe").ok();
    let r = certkit_within(&sb, &["inspect", "pipe"], None, Duration::from_secs(20));
    r.code_is(8);
    assert!(
        r.stderr.contains("no program opened for writing"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_fifo_whose_writer_comes_a_moment_later_is_read() {
    let sb = Sandbox::new();
    sb.shell("mkfifo pipe").ok();
    // The writer opens the pipe a second after certkit did (found by review: certkit used
    // to read it as empty at once, and the writer then hung).
    let r = sb.shell(&format!(
        "(sleep 1; cat {} > pipe) & certkit inspect pipe --json; wait",
        td("google-sample.crt.pem")
    ));
    r.ok();
    assert!(r.stdout.contains("certkit-sample@"), "{}", r.stdout);
}

#[test]
fn a_pipe_whose_writer_is_slow_is_waited_for() {
    // `<(gpg -d ...)` may take longer than the wait for a writer: its writer is already there,
    // so certkit waits for the data (found by review: it was refused after 5 s).
    let sb = Sandbox::new();
    let r = sb.shell(&format!(
        "bash -c 'certkit inspect <(sleep 6; cat {}) --json'",
        td("google-sample.crt.pem")
    ));
    r.ok();
    assert!(r.stdout.contains("certkit-sample@"), "{}", r.stdout);
}

#[test]
fn a_pipe_with_a_writer_is_read_to_its_end() {
    let sb = Sandbox::new();
    // bash's <(...) is a pipe whose writer is the command: waited for, and read whole.
    let r = sb.shell(&format!(
        "bash -c 'certkit inspect <(sleep 0.3; cat {}) --json'",
        td("google-sample.crt.pem")
    ));
    r.ok();
    assert!(r.stdout.contains("certkit-sample@"), "{}", r.stdout);
}

#[test]
fn standard_input_over_the_limit_is_refused_with_the_limit_named() {
    let sb = Sandbox::new();
    let big = vec![b'a'; (16 << 20) + 10];
    let r = certkit_within(&sb, &["explain", "-"], Some(&big), Duration::from_secs(60));
    r.code_is(4);
    assert!(r.stderr.contains("more than the 16 MiB"), "{}", r.stderr);
    let r = certkit_within(
        &sb,
        &[
            "verify",
            "--token-file",
            "-",
            "--cert",
            &td("google-sample.crt.pem"),
            "--profile",
            "google",
        ],
        Some(&big),
        Duration::from_secs(60),
    );
    r.code_is(4);
    assert!(r.stderr.contains("more than the 16 MiB"), "{}", r.stderr);
}

#[test]
fn a_password_line_over_64_kib_on_standard_input_is_refused_not_cut() {
    let sb = Sandbox::new();
    let long = vec![b'p'; 70 << 10];
    let r = certkit_within(
        &sb,
        &["inspect", &td("keytool-store.jks"), "--password-stdin"],
        Some(&long),
        Duration::from_secs(20),
    );
    r.code_is(4);
    assert!(r.stderr.contains("64 KiB"), "{}", r.stderr);
}

// ---- Iteration counts ----

/// Rewrite DER, replacing every iteration count (an INTEGER right after an OCTET STRING)
/// with `count`, lengths fixed up on the way; with `into_octets`, also inside OCTET STRINGs
/// that hold one DER SEQUENCE (PKCS#12's unencrypted bags).
fn with_iterations(der: &[u8], count: &[u8], into_octets: bool) -> Vec<u8> {
    fn walk(mut data: &[u8], count: &[u8], into_octets: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let mut after_salt = false;
        while let Some((t, rest)) = read_tlv(data) {
            let wraps_der = into_octets
                && t.tag == 0x04
                && t.content.first() == Some(&0x30)
                && read_tlv(t.content).is_some_and(|(_, after)| after.is_empty());
            if t.tag == 0x02 && after_salt {
                write_tlv(&mut out, 0x02, count);
            } else if t.tag & 0x20 != 0 || wraps_der {
                write_tlv(&mut out, t.tag, &walk(t.content, count, into_octets));
            } else {
                write_tlv(&mut out, t.tag, t.content);
            }
            after_salt = t.tag == 0x04;
            data = rest;
        }
        out
    }
    walk(der, count, into_octets)
}

#[test]
fn a_pkcs12_asking_for_billions_of_kdf_iterations_is_refused_at_once() {
    let sb = Sandbox::new();
    let p12 = read_testdata("openssl-modern.p12");
    // The rewrite keeps the file as it was when the count stays the same.
    assert_eq!(with_iterations(&p12, &[0x08, 0x00], true), p12);
    // The MAC's count (a top-level element of the file).
    std::fs::write(
        sb.path("slow.p12"),
        with_iterations(&p12, &[0x7f, 0xff, 0xff, 0xff], false),
    )
    .unwrap();
    let pw = sb.secret("pw", "changeit");
    let r = certkit_within(
        &sb,
        &["inspect", "slow.p12", "--password-file", &pw],
        None,
        Duration::from_secs(20),
    );
    r.code_is(5);
    assert!(
        r.stderr.contains("2,147,483,647 iterations") && r.stderr.contains("1,000,000"),
        "{}",
        r.stderr
    );
    // A file without a MAC whose key bag asks for it (inside the authSafe's OCTET STRINGs).
    let nomac = read_testdata("openssl-nomac-noname.p12");
    let slow_bag = with_iterations(&nomac, &[0x7f, 0xff, 0xff, 0xff], true);
    assert_ne!(slow_bag, nomac);
    std::fs::write(sb.path("slow-bag.p12"), slow_bag).unwrap();
    let r = certkit_within(
        &sb,
        &["inspect", "slow-bag.p12", "--password-file", &pw],
        None,
        Duration::from_secs(20),
    );
    r.code_is(5);
    assert!(
        r.stderr.contains("2,147,483,647 iterations"),
        "{}",
        r.stderr
    );
    // The limit itself is read: the KDF runs and the MAC, which covers the count, fails.
    std::fs::write(
        sb.path("at-limit.p12"),
        with_iterations(&p12, &[0x0f, 0x42, 0x40], false),
    )
    .unwrap();
    let r = sb.certkit(&["inspect", "at-limit.p12", "--password-file", &pw]);
    r.code_is(3);
    std::fs::write(
        sb.path("over-limit.p12"),
        with_iterations(&p12, &[0x0f, 0x42, 0x41], false),
    )
    .unwrap();
    let r = sb.certkit(&["inspect", "over-limit.p12", "--password-file", &pw]);
    r.code_is(5);
    assert!(r.stderr.contains("1,000,001 iterations"), "{}", r.stderr);
}

#[test]
fn an_encrypted_pem_key_asking_for_minutes_of_scrypt_is_refused_at_once() {
    let sb = Sandbox::new();
    sb.openssl(&[
        "pkcs8",
        "-topk8",
        "-in",
        &td("other-2048.key.pem"),
        "-scrypt",
        "-scrypt_N",
        "16384",
        "-scrypt_r",
        "8",
        "-scrypt_p",
        "1",
        "-passout",
        "pass:changeit",
        "-outform",
        "DER",
        "-out",
        "scrypt.der",
    ])
    .ok();
    let der = std::fs::read(sb.path("scrypt.der")).unwrap();
    let pw = sb.secret("pw", "changeit");
    // As written (OpenSSL's defaults), it opens.
    let pem = |d: Vec<u8>| ::pem::encode(&::pem::Pem::new("ENCRYPTED PRIVATE KEY", d));
    std::fs::write(sb.path("ok.key"), pem(der.clone())).unwrap();
    sb.certkit(&["inspect", "ok.key", "--password-file", &pw])
        .ok();
    // p = 127 (same length): N×r×p = 16,646,144, minutes of work.
    let params = [0x02, 0x02, 0x40, 0x00, 0x02, 0x01, 0x08, 0x02, 0x01, 0x01];
    let at = der
        .windows(params.len())
        .position(|w| w == params)
        .expect("scrypt parameters N 16384, r 8, p 1");
    let mut slow = der.clone();
    slow[at + params.len() - 1] = 127;
    std::fs::write(sb.path("slow.key"), pem(slow)).unwrap();
    let r = certkit_within(
        &sb,
        &["inspect", "slow.key", "--password-file", &pw],
        None,
        Duration::from_secs(20),
    );
    r.code_is(5);
    assert!(r.stderr.contains("scrypt work"), "{}", r.stderr);
}

#[test]
fn an_encrypted_pem_key_asking_for_billions_of_iterations_is_refused_at_once() {
    let sb = Sandbox::new();
    sb.openssl(&[
        "pkcs8",
        "-topk8",
        "-in",
        &td("other-2048.key.pem"),
        "-v2",
        "aes-256-cbc",
        "-iter",
        "2048",
        "-passout",
        "pass:changeit",
        "-outform",
        "DER",
        "-out",
        "enc.der",
    ])
    .ok();
    let der = std::fs::read(sb.path("enc.der")).unwrap();
    let slow = with_iterations(&der, &[0x7f, 0xff, 0xff, 0xff], false);
    let pem = ::pem::encode(&::pem::Pem::new("ENCRYPTED PRIVATE KEY", slow));
    std::fs::write(sb.path("slow.key"), pem).unwrap();
    let pw = sb.secret("pw", "changeit");
    // The same key in BER (an indefinite-length outer SEQUENCE), which OpenSSL reads but
    // which would hide its parameters from the check (found by review): refused as not DER.
    let (outer, _) = read_tlv(&der).unwrap();
    let mut ber = vec![0x30, 0x80];
    ber.extend_from_slice(&with_iterations(
        outer.content,
        &[0x7f, 0xff, 0xff, 0xff],
        false,
    ));
    ber.extend_from_slice(&[0, 0]);
    std::fs::write(
        sb.path("ber.key"),
        ::pem::encode(&::pem::Pem::new("ENCRYPTED PRIVATE KEY", ber)),
    )
    .unwrap();
    let r = certkit_within(
        &sb,
        &["inspect", "ber.key", "--password-file", &pw],
        None,
        Duration::from_secs(20),
    );
    r.code_is(5);
    assert!(r.stderr.contains("not in DER"), "{}", r.stderr);
    let r = certkit_within(
        &sb,
        &["inspect", "slow.key", "--password-file", &pw],
        None,
        Duration::from_secs(20),
    );
    r.code_is(5);
    assert!(
        r.stderr.contains("2,147,483,647 iterations"),
        "{}",
        r.stderr
    );
}

// ---- File-system faults ----

/// A tmpfs of `kib` KiB mounted on `dir` for the life of the guard. Tests run as root on the
/// project's machines and in CI; where mounting is refused the test fails, unless
/// `CERTKIT_SKIP_MOUNT` is set.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, kib: u32) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let opts = format!("size={kib}k,mode=0755");
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &opts, "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            // Tests run as root on the project's machines and in CI: a refused mount is a
            // failure there, not a silent skip. Elsewhere, CERTKIT_SKIP_MOUNT=1 skips it.
            assert!(
                std::env::var_os("CERTKIT_SKIP_MOUNT").is_some(),
                "cannot mount a tmpfs (not root?); set CERTKIT_SKIP_MOUNT=1 to skip this test"
            );
            eprintln!("NOTE: CERTKIT_SKIP_MOUNT set; file-system fault test skipped");
            return None;
        }
        Some(Tmpfs(dir.to_path_buf()))
    }

    fn remount_read_only(&self) {
        let st = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(st.success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_read_only_folder_keeps_the_old_output_and_names_the_folder() {
    let sb = Sandbox::new();
    let dir = sb.path("ro");
    let Some(fs) = Tmpfs::mount(&dir, 256) else {
        return;
    };
    std::fs::write(dir.join("out.jks"), b"old contents").unwrap();
    fs.remount_read_only();
    let pw = sb.secret("pw", "Abcd1234");
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "-o",
        "ro/out.jks",
        "--out-password-file",
        &pw,
        "--force",
    ]);
    r.code_is(8);
    assert!(
        r.stderr.contains("read-only") && r.stderr.contains("ro/out.jks"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read(dir.join("out.jks")).unwrap(), b"old contents");
    assert_eq!(listing(&dir), ["out.jks"]);
}

#[test]
fn a_full_disk_keeps_the_old_output_and_leaves_no_temporary_file() {
    let sb = Sandbox::new();
    let dir = sb.path("full");
    let Some(_fs) = Tmpfs::mount(&dir, 64) else {
        return;
    };
    std::fs::write(dir.join("out.jks"), b"old contents").unwrap();
    // Fill what is left, so the new keystore cannot be written whole.
    let mut filler = std::fs::File::create(dir.join("filler")).unwrap();
    let chunk = vec![0u8; 1024];
    while filler.write_all(&chunk).is_ok() && filler.sync_all().is_ok() {}
    drop(filler);
    let pw = sb.secret("pw", "storepw1");
    let r = sb.certkit(&[
        "convert",
        &td("keytool-multi.jks"),
        "--password-file",
        &pw,
        "-o",
        "full/out.jks",
        "--out-password-file",
        &pw,
        "--force",
    ]);
    r.code_is(8);
    assert!(
        r.stderr
            .contains("no space left on the disk; the output was not written"),
        "{}",
        r.stderr
    );
    // The user never named the temporary file: its name is not in the message.
    assert!(!r.stderr.contains(".certkit-"), "{}", r.stderr);
    assert_eq!(std::fs::read(dir.join("out.jks")).unwrap(), b"old contents");
    assert_eq!(listing(&dir), ["filler", "out.jks"]);
}

#[test]
fn killed_mid_write_the_target_is_the_old_file_or_the_complete_new_one() {
    let sb = Sandbox::new();
    // A large output (a truststore of the fixtures' certificates, many times over) so that
    // some kills land while it is written.
    let mut certs = Vec::new();
    for i in 0..400 {
        let f = [
            "google-sample.crt.pem",
            "openssl-modern.crt.pem",
            "other-2048.crt.pem",
        ][i % 3];
        let name = format!("c{i}.pem");
        std::fs::copy(td(f), sb.path(&name)).unwrap();
        certs.push(name);
    }
    let pw = sb.secret("pw", "storepw1");
    let mut args: Vec<&str> = vec!["convert"];
    args.extend(certs.iter().map(String::as_str));
    args.extend(["-o", "trust.jks", "--out-password-file", &pw, "--force"]);
    sb.certkit(&args).ok();
    let complete = |data: &[u8]| {
        certkit_core::formats::jks::decode(
            data,
            "trust.jks",
            Some(&certkit_core::secret::Password::new("storepw1".into())),
        )
        .is_ok_and(|ks| ks.entries.len() == 400)
    };
    let old = std::fs::read(sb.path("trust.jks")).unwrap();
    assert!(complete(&old));
    let start = Instant::now();
    sb.certkit(&args).ok();
    let run_time = start.elapsed();
    let mut killed = 0;
    for i in 0..24u32 {
        let mut child = Command::new(crate::common::certkit_bin())
            .args(&args)
            .current_dir(sb.dir())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(run_time * i / 24);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        if status.code().is_none() {
            killed += 1;
        }
        let now = std::fs::read(sb.path("trust.jks")).unwrap();
        assert!(complete(&now), "after a kill at {i}/24: a damaged keystore");
        // What SIGKILL can leave: the temporary file, named .certkit-*.tmp beside the target.
        for f in listing(sb.dir()) {
            let expected =
                f == "trust.jks" || f == "pw" || f.starts_with('c') && f.ends_with(".pem");
            let leftover = f.starts_with(".certkit-") && f.ends_with(".tmp");
            assert!(expected || leftover, "unexpected file {f}");
            if leftover {
                std::fs::remove_file(sb.path(&f)).unwrap();
            }
        }
    }
    assert!(killed > 0, "no run was killed: the test proved nothing");

    let before_traced = std::fs::read(sb.path("trust.jks")).unwrap();
    // One kill that surely lands mid-write: strace holds certkit for 3 s after the fsync of
    // its temporary file, before the rename, and certkit is killed there.
    let mut tracer = Command::new("strace")
        .args(["-f", "-o", "/dev/null", "-e", "trace=fsync"])
        .args(["-e", "inject=fsync:delay_exit=3000000"])
        .arg(crate::common::certkit_bin())
        .args(&args)
        .current_dir(sb.dir())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("strace runs (scripts/install-deps.sh installs it)");
    let start = Instant::now();
    let tmp = || {
        listing(sb.dir())
            .into_iter()
            .find(|f| f.starts_with(".certkit-") && f.ends_with(".tmp"))
    };
    while tmp().is_none() && start.elapsed() < Duration::from_secs(20) {
        assert!(
            tracer.try_wait().unwrap().is_none(),
            "strace ended before certkit wrote (can it trace here?)"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let leftover = tmp().expect("certkit wrote its temporary file");
    // Its size stops changing once the write is done and the fsync is being held.
    let size = || {
        std::fs::metadata(sb.path(&leftover))
            .map(|m| m.len())
            .unwrap_or(0)
    };
    let mut last = u64::MAX;
    while size() != last {
        last = size();
        std::thread::sleep(Duration::from_millis(200));
    }
    // The write is complete (same size as the keystore already there) when the kill lands.
    assert_eq!(size(), before_traced.len() as u64);
    let children =
        std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", tracer.id())).unwrap();
    let pid = children
        .split_whitespace()
        .next()
        .expect("certkit under strace");
    Command::new("kill").args(["-9", pid]).status().unwrap();
    tracer.wait().unwrap();
    let now = std::fs::read(sb.path("trust.jks")).unwrap();
    assert!(complete(&now), "the target was damaged by the kill");
    assert_eq!(
        now, before_traced,
        "the target changed though the rename never ran"
    );
    assert!(
        sb.path(&leftover).exists(),
        "the temporary file a kill mid-write leaves, as documented"
    );
}

#[test]
fn a_dangling_link_as_output_is_refused_and_nothing_is_created_through_it() {
    let sb = Sandbox::new();
    std::os::unix::fs::symlink("nowhere/target.jks", sb.path("link.jks")).unwrap();
    let pw = sb.secret("pw", "Abcd1234");
    let r = sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.p12"),
        "-o",
        "link.jks",
        "--out-password-file",
        &pw,
        "--force",
    ]);
    r.code_is(8);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert!(!sb.path("nowhere").exists());
    assert!(std::fs::symlink_metadata(sb.path("link.jks"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn an_input_rewritten_in_place_is_whole_and_opens_with_keytool() {
    let sb = Sandbox::new();
    std::fs::copy(td("keytool-multi.jks"), sb.path("ks.jks")).unwrap();
    let pw = sb.secret("pw", "storepw1");
    sb.certkit(&[
        "convert",
        "ks.jks",
        "--password-file",
        &pw,
        "-o",
        "ks.jks",
        "--out-password-file",
        &pw,
        "--force",
    ])
    .ok();
    let listing = sb.keytool_list("ks.jks", "storepw1");
    assert_eq!(listing.entries.len(), 3);
    assert_eq!(crate::common::Sandbox::files(&sb), ["ks.jks", "pw"]);
}

// ---- Core dumps ----

#[test]
fn certkit_runs_with_core_dumps_off() {
    let sb = Sandbox::new();
    // certkit waits for a password on standard input: look at it while it holds the file.
    let mut child = Command::new(crate::common::certkit_bin())
        .args(["inspect", &td("keytool-store.jks"), "--password-stdin"])
        .current_dir(sb.dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let proc_dir = format!("/proc/{}", child.id());
    let start = Instant::now();
    let wchan = |d: &str| std::fs::read_to_string(format!("{d}/wchan")).unwrap_or_default();
    while !wchan(&proc_dir).contains("read") && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(10));
    }
    let limits = std::fs::read_to_string(format!("{proc_dir}/limits")).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    let fields: Vec<&str> = core.split_whitespace().collect();
    assert_eq!(&fields[4..6], ["0", "0"], "{core}");
}

// ---- Secrets in output ----

/// What must never be printed: the fixtures' passwords (but `notasecret`, which is Google's
/// published password and named in certkit's help and messages), and pieces of every
/// fixture private key as PEM lines, base64url and hex (lower case: hex is compared
/// ignoring case).
fn secrets() -> Vec<(String, String)> {
    use base64::Engine;
    let mut v: Vec<(String, String)> =
        ["changeit", "storepw1", "keypass2", "pässwörd€", "Zq9!xw7Lm"]
            .iter()
            .map(|p| (format!("password {p}"), p.to_string()))
            .collect();
    for key in [
        "google-sample.key.der",
        "keytool-store.mykey.key.der",
        "keytool-multi.alpha.key.der",
        "keytool-keypass.split.key.der",
        "keytool-unicode.unicode.key.der",
        "other-2048.key.pem",
        "openssl-modern.key.pem",
    ] {
        let raw = read_testdata(key);
        let der = if key.ends_with(".pem") {
            ::pem::parse(&raw).unwrap().into_contents()
        } else {
            raw
        };
        let pem = ::pem::encode(&::pem::Pem::new("PRIVATE KEY", der.clone()));
        for line in pem.lines().filter(|l| l.len() == 64).skip(2).step_by(3) {
            v.push((format!("{key} as PEM"), line.to_string()));
        }
        let url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&der);
        for i in (64..url.len().saturating_sub(48)).step_by(200) {
            v.push((format!("{key} as base64url"), url[i..i + 40].to_string()));
        }
        let hex = crate::common::hex(&der);
        for i in (64..hex.len().saturating_sub(48)).step_by(300) {
            v.push((format!("{key} as hex"), hex[i..i + 40].to_ascii_lowercase()));
        }
    }
    v
}

#[test]
fn no_command_prints_a_fixture_password_or_key_bytes() {
    let sb = Sandbox::new();
    let pw = |name: &str, p: &str| sb.secret(name, p);
    let (store, modern, unicode) = (
        pw("store.pw", "storepw1"),
        pw("modern.pw", "changeit"),
        pw("unicode.pw", "pässwörd€"),
    );
    let keypass = pw("key.pw", "keypass2");
    let out = pw("out.pw", "Zq9!xw7Lm");
    let g = td("google-sample.p12");
    let gj = td("google-sample.json");
    let jks = td("keytool-store.jks");
    let multi = td("keytool-multi.jks");
    let split = td("keytool-keypass.jks");
    let uni = td("keytool-unicode.jks");
    let p12 = td("openssl-modern.p12");
    let key = td("other-2048.key.pem");
    let crt = td("other-2048.crt.pem");
    let scope = "https://www.googleapis.com/auth/cloud-platform";
    let runs: Vec<Vec<&str>> = vec![
        vec!["inspect", &jks, "--password-file", &store],
        vec!["inspect", &multi, "--password-file", &store, "--json"],
        vec!["inspect", &uni, "--password-file", &unicode],
        vec!["inspect", &p12, "--password-file", &modern, "--json"],
        vec!["inspect", &split, "--password-file", &keypass],
        vec!["inspect", &p12, "--password-file", &store],
        vec!["kid", &g],
        vec!["kid", &key, "--jwk", "--json"],
        vec!["kid", &jks, "--password-file", &store, "--json"],
        vec!["p12-to-jks", &g, "-o", "a.jks", "--out-password-file", &out],
        vec![
            "p12-to-jks",
            &gj,
            "-o",
            "b.jks",
            "--generate-password",
            "--json",
        ],
        vec![
            "p12-to-jks",
            &split,
            "--password-file",
            &store,
            "--key-password-file",
            &keypass,
            "-o",
            "c.jks",
            "--out-password-file",
            &out,
        ],
        vec![
            "p12-to-jks",
            &split,
            "--password-file",
            &store,
            "-o",
            "d.jks",
            "--out-password-file",
            &out,
        ],
        vec![
            "convert",
            &multi,
            "--password-file",
            &store,
            "-o",
            "e.p12",
            "--out-password-file",
            &out,
            "--json",
        ],
        vec![
            "convert",
            &uni,
            "--password-file",
            &unicode,
            "--key-out",
            "f.key",
            "--cert-out",
            "f.crt",
        ],
        vec![
            "convert",
            &key,
            &crt,
            "-o",
            "g.jks",
            "--out-password-file",
            &out,
        ],
        vec![
            "convert",
            &p12,
            "--password-file",
            &store,
            "-o",
            "h.jks",
            "--out-password-file",
            &out,
        ],
        vec![
            "renew",
            &jks,
            "--password-file",
            &store,
            "--days",
            "30",
            "--jks",
            "--out-password-file",
            &out,
            "--out-dir",
            "r",
        ],
        vec![
            "selfsign",
            "--cn",
            "x",
            "--jks",
            "--out-password-file",
            &out,
            "--out-dir",
            "s",
        ],
        vec![
            "expiry",
            &jks,
            &p12,
            "--password-file",
            &modern,
            "--within",
            "30d",
            "--json",
        ],
        vec!["verify", &gj, "--profile", "google", "--scope", scope],
        vec![
            "verify",
            &jks,
            "--password-file",
            &store,
            "--profile",
            "salesforce",
            "--iss",
            "3MVG9x",
            "--sub",
            "u@example.com",
            "--aud",
            "https://login.salesforce.com",
            "--json",
        ],
        vec![
            "preflight",
            &jks,
            "--password-file",
            &store,
            "--target",
            "salesforce-import",
        ],
        vec![
            "preflight",
            &gj,
            "--target",
            "google",
            "--scope",
            scope,
            "--json",
        ],
        vec![
            "preflight",
            &key,
            "--cert",
            &crt,
            "--target",
            "connected-app",
        ],
        vec![
            "metadata",
            &gj,
            "--profile",
            "google",
            "--scope",
            scope,
            "--out-dir",
            "m",
            "--json",
        ],
        vec![
            "exchange",
            &gj,
            "--profile",
            "google",
            "--scope",
            scope,
            "--dry-run",
        ],
        vec![
            "exchange",
            &key,
            "--cert",
            &crt,
            "--profile",
            "salesforce",
            "--iss",
            "3MVG9x",
            "--sub",
            "u@example.com",
            "--aud",
            "https://login.salesforce.com",
            "--dry-run",
            "--json",
        ],
        vec!["explain", "Unable to complete the JWT token exchange."],
    ];
    let secrets = secrets();
    let mut failures = Vec::new();
    let mut codes = Vec::new();
    for args in &runs {
        let r = sb.certkit(args);
        let text = r.all_output();
        if let Some(what) = secret_in(&text, &secrets) {
            failures.push(format!("{}: {what} in its output", r.what));
        }
        // Successes and refusals (wrong passwords, rules) alike; a usage error would mean
        // this list is out of date, and then it proves nothing.
        assert!(
            ![2, 101].contains(&r.code),
            "{}: exit {}\n{}",
            r.what,
            r.code,
            r.stderr
        );
        codes.push(r.code);
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(codes.iter().filter(|c| **c == 0).count() >= 20, "{codes:?}");
    assert!(codes.contains(&3), "no wrong-password run: {codes:?}");
}

/// The first secret found in `text`.
fn secret_in<'a>(text: &str, secrets: &'a [(String, String)]) -> Option<&'a str> {
    let lower = text.to_ascii_lowercase();
    secrets
        .iter()
        .find(|(what, s)| text.contains(s.as_str()) || what.ends_with("hex") && lower.contains(s))
        .map(|(what, _)| what.as_str())
}

#[test]
fn the_secret_grep_finds_a_key_in_each_of_its_forms() {
    use base64::Engine;
    let secrets = secrets();
    let der = read_testdata("keytool-unicode.unicode.key.der");
    let pem = ::pem::encode(&::pem::Pem::new("PRIVATE KEY", der.clone()));
    assert!(secret_in(&format!("key:\n{pem}"), &secrets).is_some());
    let url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&der);
    assert!(secret_in(&format!("{{\"d\":\"{url}\"}}"), &secrets).is_some());
    assert!(secret_in(&crate::common::hex(&der).to_ascii_uppercase(), &secrets).is_some());
    assert!(secret_in("password: pässwörd€", &secrets).is_some());
    assert!(secret_in("Google's notasecret is tried", &secrets).is_none());
}

/// Regression (issue 12, found by `cargo audit`: RUSTSEC-2026-0194): quick-xml 0.38 checked a
/// start tag's attribute names for duplicates by comparing each with all before it, so an
/// External Credential file with one start tag of 150,000 attributes (1.5 MB) kept certkit
/// busy for 41 s (release build) and more than two minutes (debug); a 16 MiB file, hours.
/// quick-xml 0.42 refuses it in 0.7 s (debug). The limit tells the two apart on either build.
#[test]
fn an_xml_start_tag_with_150_000_attributes_is_read_in_linear_time() {
    let sb = Sandbox::new();
    let attributes: Vec<String> = (0..150_000).map(|i| format!("a{i}=\"\"")).collect();
    let xml = format!(
        "<?xml version=\"1.0\"?><ExternalCredential {}><label>x</label></ExternalCredential>",
        attributes.join(" ")
    );
    std::fs::write(sb.path("ec.xml"), xml).unwrap();
    let r = certkit_within(
        &sb,
        &[
            "preflight",
            &td("google-sample.json"),
            "--target",
            "google",
            "--external-credential",
            "ec.xml",
        ],
        None,
        Duration::from_secs(10),
    );
    r.code_is(4);
    assert!(r.stderr.contains("not Salesforce metadata"), "{}", r.stderr);
}
