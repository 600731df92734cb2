//! Helpers shared by the integration tests: run the certkit binary in a fresh
//! temporary folder, run the real peers (keytool, openssl), read the fixtures and
//! `testdata/expected.json`.
//!
//! Passwords reach certkit only through files (`--password-file`,
//! `--out-password-file`) or the environment, never through argv. The peers take
//! theirs on their own command lines, as their users do.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

/// Every command, in the order `certkit --help` lists them.
pub const COMMANDS: [&str; 14] = [
    "p12-to-jks",
    "inspect",
    "selfsign",
    "kid",
    "verify",
    "preflight",
    "convert",
    "renew",
    "expiry",
    "metadata",
    "exchange",
    "explain",
    "completions",
    "man",
];

/// The certkit binary under test: this build's, or the one `CERTKIT_BIN` names (CI runs the
/// suite a second time on the static build of `scripts/build-static.sh`).
pub fn certkit_bin() -> PathBuf {
    std::env::var_os("CERTKIT_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_certkit")))
}

/// Whether the binary under test has Unix file modes to check: not the Windows build, which
/// CI runs under Wine with `CERTKIT_BIN_OS=windows` (docs/windows.md: a private output gets
/// its folder's access list there). The rest of such a test still runs.
pub fn unix_modes() -> bool {
    std::env::var("CERTKIT_BIN_OS").map_or(true, |os| os != "windows")
}

/// Path of a fixture in `testdata/`.
pub fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name)
}

/// Path of a fixture as a string (fixture paths are ASCII).
pub fn td(name: &str) -> String {
    path_str(&testdata(name))
}

/// A path as a `&str`-compatible `String` (all paths the tests build are UTF-8).
pub fn path_str(p: &Path) -> String {
    p.to_str().expect("test paths are UTF-8").to_string()
}

/// Bytes of a fixture.
pub fn read_testdata(name: &str) -> Vec<u8> {
    std::fs::read(testdata(name)).unwrap_or_else(|e| panic!("read testdata/{name}: {e}"))
}

/// `testdata/expected.json`, parsed once.
pub fn expected() -> &'static Value {
    static E: OnceLock<Value> = OnceLock::new();
    E.get_or_init(|| {
        serde_json::from_slice(&read_testdata("expected.json")).expect("expected.json parses")
    })
}

/// `expected.json`'s record for a keystore fixture.
pub fn expected_keystore(file: &str) -> &'static Value {
    let v = &expected()["keystores"][file];
    assert!(v.is_object(), "expected.json has no keystores.{file}");
    v
}

/// `expected.json`'s record for a loose file fixture.
pub fn expected_file(file: &str) -> &'static Value {
    let v = &expected()["files"][file];
    assert!(v.is_object(), "expected.json has no files.{file}");
    v
}

/// A string field of a JSON value, or a test failure naming it.
pub fn s<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field]
        .as_str()
        .unwrap_or_else(|| panic!("field {field} is not a string in {v}"))
}

/// What a process did.
#[derive(Debug)]
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Standard error, lossily decoded.
    pub stderr: String,
    /// What was run, for failure messages.
    pub what: String,
}

impl Run {
    /// Fail the test unless the process exited 0.
    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "{} failed\n--- stdout\n{}\n--- stderr\n{}",
            self.what, self.stdout, self.stderr
        );
        self
    }

    /// Fail the test unless the process exited with `code`.
    #[track_caller]
    pub fn code_is(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "{}: expected exit {code}\n--- stdout\n{}\n--- stderr\n{}",
            self.what, self.stdout, self.stderr
        );
        self
    }

    /// Standard output parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "{}: stdout is not JSON ({e}; exit {})\n--- stdout\n{}\n--- stderr\n{}",
                self.what, self.code, self.stdout, self.stderr
            )
        })
    }

    /// Standard output and standard error together.
    pub fn all_output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

fn run(mut cmd: Command, what: String) -> Run {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        what,
    }
}

/// A fresh temporary folder that certkit runs in.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    /// A new empty folder.
    pub fn new() -> Self {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A path inside the folder, as a string.
    pub fn p(&self, name: &str) -> String {
        path_str(&self.path(name))
    }

    /// Write a password file (the password followed by a newline) and return its path.
    pub fn secret(&self, name: &str, password: &str) -> String {
        let p = self.path(name);
        std::fs::write(&p, format!("{password}\n")).expect("write password file");
        path_str(&p)
    }

    /// Write a token to a new file in the folder and return its path (certkit takes tokens
    /// from files or standard input, never from argv).
    pub fn token_file(&self, token: &str) -> String {
        let p = self.path(&format!("token-{}.jwt", unique_tag()));
        std::fs::write(&p, token).expect("write token file");
        path_str(&p)
    }

    /// Names of the files in the folder, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.dir())
            .expect("read temp dir")
            .map(|e| {
                e.expect("dir entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        v.sort();
        v
    }

    /// Start certkit in this folder, stdin from /dev/null, stdout and stderr piped to the
    /// test (which may close stdout early, as `| head` does).
    pub fn spawn_certkit(&self, args: &[&str]) -> std::process::Child {
        Command::new(certkit_bin())
            .args(args)
            .current_dir(self.dir())
            .env_remove("RUST_BACKTRACE")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start certkit")
    }

    /// Run certkit in this folder, stdin from /dev/null.
    pub fn certkit(&self, args: &[&str]) -> Run {
        self.certkit_env(args, &[])
    }

    /// Run certkit in this folder with extra environment variables.
    pub fn certkit_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(certkit_bin());
        cmd.args(args)
            .current_dir(self.dir())
            .env_remove("RUST_BACKTRACE")
            .env_remove("RUST_LIB_BACKTRACE");
        // A proxy of the machine running the tests must not take the loopback exchanges.
        for var in [
            "ALL_PROXY",
            "all_proxy",
            "HTTPS_PROXY",
            "https_proxy",
            "HTTP_PROXY",
            "http_proxy",
            "NO_PROXY",
            "no_proxy",
        ] {
            cmd.env_remove(var);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        run(cmd, format!("certkit {}", args.join(" ")))
    }

    /// Run a command line as a user pastes it into a shell, in this folder, with this build's
    /// `certkit` first on the PATH.
    pub fn shell(&self, line: &str) -> Run {
        let bin = certkit_bin().parent().expect("binary folder").to_path_buf();
        let path = format!(
            "{}:{}",
            path_str(&bin),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = Command::new("sh");
        cmd.args(["-c", line])
            .current_dir(self.dir())
            .env("PATH", path)
            .env_remove("RUST_BACKTRACE");
        run(cmd, format!("sh -c {line}"))
    }

    /// Run keytool (English, UTC) in this folder.
    pub fn keytool(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new("keytool");
        cmd.args([
            "-J-Duser.language=en",
            "-J-Duser.country=US",
            "-J-Duser.timezone=UTC",
        ])
        .args(args)
        .current_dir(self.dir())
        .env("TZ", "UTC");
        run(cmd, format!("keytool {}", args.join(" ")))
    }

    /// Run openssl in this folder.
    pub fn openssl(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new("openssl");
        cmd.args(args).current_dir(self.dir());
        run(cmd, format!("openssl {}", args.join(" ")))
    }

    /// `keytool -list -v` of a JKS, parsed.
    pub fn keytool_list(&self, keystore: &str, storepass: &str) -> KeytoolListing {
        let r = self.keytool(&[
            "-list",
            "-v",
            "-storetype",
            "JKS",
            "-keystore",
            keystore,
            "-storepass",
            storepass,
        ]);
        r.ok();
        KeytoolListing::parse(&r.stdout)
    }

    /// The private key of `alias` in a JKS, recovered by keytool with `keypass` (moved to a
    /// PKCS#12 by `keytool -importkeystore`), then by openssl as unencrypted PKCS#8 DER.
    pub fn keytool_extract_key(
        &self,
        keystore: &str,
        alias: &str,
        storepass: &str,
        keypass: &str,
    ) -> Vec<u8> {
        let tag = unique_tag();
        let p12 = self.p(&format!("extract-{tag}.p12"));
        let pem = self.p(&format!("extract-{tag}.pem"));
        let der = self.p(&format!("extract-{tag}.der"));
        let tmp_pw = "tmpPass42";
        self.keytool(&[
            "-importkeystore",
            "-noprompt",
            "-srckeystore",
            keystore,
            "-srcstoretype",
            "JKS",
            "-srcstorepass",
            storepass,
            "-srcalias",
            alias,
            "-srckeypass",
            keypass,
            "-destkeystore",
            &p12,
            "-deststoretype",
            "PKCS12",
            "-deststorepass",
            tmp_pw,
            "-destkeypass",
            tmp_pw,
        ])
        .ok();
        let pwfile = self.secret(&format!("extract-{tag}.pw"), tmp_pw);
        self.openssl(&[
            "pkcs12",
            "-in",
            &p12,
            "-passin",
            &format!("file:{pwfile}"),
            "-nocerts",
            "-nodes",
            "-out",
            &pem,
        ])
        .ok();
        self.openssl(&[
            "pkcs8", "-topk8", "-nocrypt", "-in", &pem, "-outform", "DER", "-out", &der,
        ])
        .ok();
        std::fs::read(&der).expect("extracted key")
    }

    /// A PEM private key as unencrypted PKCS#8 DER, by openssl.
    pub fn openssl_pkcs8_der(&self, key_pem: &str) -> Vec<u8> {
        let der = self.p(&format!("pkcs8-{}.der", unique_tag()));
        self.openssl(&[
            "pkcs8", "-topk8", "-nocrypt", "-in", key_pem, "-outform", "DER", "-out", &der,
        ])
        .ok();
        std::fs::read(&der).expect("pkcs8 der")
    }

    /// The certificate of `alias` in a JKS, exported by keytool (DER).
    pub fn keytool_export_cert(&self, keystore: &str, alias: &str, storepass: &str) -> Vec<u8> {
        let out = self.p(&format!("cert-{}.der", unique_tag()));
        self.keytool(&[
            "-exportcert",
            "-storetype",
            "JKS",
            "-keystore",
            keystore,
            "-storepass",
            storepass,
            "-alias",
            alias,
            "-file",
            &out,
        ])
        .ok();
        std::fs::read(&out).expect("exported cert")
    }

    /// `openssl x509 -fingerprint -sha256` of a certificate file, as `AA:BB:...`.
    pub fn openssl_sha256(&self, cert: &str, inform: &str) -> String {
        let r = self.openssl(&[
            "x509",
            "-inform",
            inform,
            "-in",
            cert,
            "-noout",
            "-fingerprint",
            "-sha256",
        ]);
        r.ok();
        let line = r.stdout.trim();
        let (_, fp) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("unexpected openssl output: {line}"));
        fp.trim().to_ascii_uppercase()
    }
}

fn unique_tag() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::Relaxed).to_string()
}

/// One entry of `keytool -list -v`: its alias and its `Name: value` lines, in order.
#[derive(Debug)]
pub struct KeytoolEntry {
    /// `Alias name:`.
    pub alias: String,
    /// Every `Name: value` line of the entry, trimmed, first occurrence first.
    pub fields: Vec<(String, String)>,
}

impl KeytoolEntry {
    /// The first value of a field, or a test failure naming it.
    #[track_caller]
    pub fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("keytool printed no \"{name}\" for {}", self.alias))
    }
}

/// `keytool -list -v`, parsed.
#[derive(Debug)]
pub struct KeytoolListing {
    /// "Your keystore contains N entries".
    pub count: usize,
    /// The entries in keytool's order.
    pub entries: Vec<KeytoolEntry>,
}

impl KeytoolListing {
    /// Parse keytool's text.
    pub fn parse(text: &str) -> Self {
        let count_line = text
            .lines()
            .find(|l| l.starts_with("Your keystore contains "))
            .unwrap_or_else(|| panic!("no entry count in keytool output:\n{text}"));
        let count = count_line
            .split_whitespace()
            .nth(3)
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("bad count line: {count_line}"));
        let mut entries: Vec<KeytoolEntry> = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if let Some(alias) = line.strip_prefix("Alias name: ") {
                entries.push(KeytoolEntry {
                    alias: alias.to_string(),
                    fields: Vec::new(),
                });
                continue;
            }
            let Some(cur) = entries.last_mut() else {
                continue;
            };
            if let Some((k, v)) = line.split_once(": ") {
                cur.fields
                    .push((k.trim().to_string(), v.trim().to_string()));
            }
        }
        KeytoolListing { count, entries }
    }
}

/// A word as a POSIX shell reads it back, single-quoted.
pub fn shell_word(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
