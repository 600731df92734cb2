//! Loopback servers for the exchange tests (`tests/servers/token_server.py`, run with the
//! virtual environment `scripts/install-deps.sh` makes): started per test on a free port of
//! 127.0.0.1, killed when dropped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::common::{path_str, Sandbox};

/// A running server.
pub struct Server {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// The file it logs each request to, one JSON object a line.
    pub log: PathBuf,
}

fn python() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    assert!(
        p.exists(),
        "{} is missing: run scripts/install-deps.sh (it makes the virtual environment with authlib)",
        p.display()
    );
    p
}

impl Server {
    /// Start `token_server.py MODE ARGS...`, logging into the sandbox.
    pub fn start(sb: &Sandbox, mode: &str, args: &[&str]) -> Server {
        let log = sb.path(&format!("{mode}-{}.log", std::process::id() ^ rand_tag()));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/servers/token_server.py");
        let mut child = Command::new(python())
            .arg(&script)
            .arg(mode)
            .args(args)
            .args(["--log", &path_str(&log)])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the test server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the port");
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the {mode} server did not start: {line:?}"));
        Server { child, port, log }
    }

    /// `http://127.0.0.1:PORT/PATH`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    /// What it logged, one value per request.
    pub fn requests(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("log line"))
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn rand_tag() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(1);
    N.fetch_add(1, Ordering::Relaxed) << 16
}
