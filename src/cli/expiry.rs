//! `certkit expiry`: every certificate in a set of files, sorted by expiry; a CI gate.

use std::path::PathBuf;

use certkit_core::ops::expiry::{self, Options, Report, State};
use certkit_core::{Error, Result};

use super::args::StorePasswords;
use super::render::{self, Text};

pub const EXAMPLES: &str = "\
Examples:
  # Fail a CI job 30 days before any certificate in the folder expires:
  certkit expiry keystores/ --within 30d

  # One password for the PKCS#12 files that need one; JSON for a dashboard:
  certkit expiry certs/ org2.jks --within 60d --password-env P12_PW --json";

/// A window: a number of days, with an optional `d` (or `w` for weeks).
fn window(s: &str) -> std::result::Result<i64, String> {
    let (n, unit) = match s.strip_suffix('w') {
        Some(n) => (n, 7),
        None => (s.strip_suffix('d').unwrap_or(s), 1),
    };
    let n: i64 = n
        .parse()
        .ok()
        .filter(|n: &i64| *n >= 0)
        .ok_or_else(|| format!("\"{s}\" is not a number of days (30, 30d, 4w)"))?;
    n.checked_mul(unit)
        .filter(|days| *days <= MAX_WINDOW_DAYS)
        .ok_or_else(|| {
            format!("\"{s}\" is more than {MAX_WINDOW_DAYS} days (100 years), the longest window")
        })
}

/// The longest window `--within` takes: 100 years.
const MAX_WINDOW_DAYS: i64 = 36_500;

/// Arguments of `certkit expiry`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files and folders (folders are walked; files are recognised by content).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Fail when a certificate expires within this window: days (30, 30d) or weeks (4w).
    #[arg(long, value_name = "DAYS", default_value = "30d", value_parser = window)]
    pub within: i64,
    /// Pass the gate even when a file could not be read (a wrong password, a damaged file):
    /// by default such a file fails it, since its certificates were not checked.
    #[arg(long)]
    pub allow_unread: bool,
    /// The passwords tried on every PKCS#12 file that neither the empty password nor
    /// notasecret opens.
    #[command(flatten)]
    pub passwords: StorePasswords,
}

pub fn exec(a: Args, json: bool) -> Result<()> {
    let report = expiry::run(
        &crate::host::Local,
        &Options {
            paths: a.paths,
            within_days: a.within,
            passwords: a.passwords.sources(),
        },
    )?;
    if json {
        // The report with an `errors` list (a path that is not there), as inspect's.
        #[derive(serde::Serialize)]
        struct Json<'a> {
            #[serde(flatten)]
            report: &'a Report,
            errors: Vec<certkit_core::error::ErrorReport>,
        }
        let errors = report
            .missing
            .iter()
            .map(|m| {
                let e = missing(m);
                certkit_core::error::ErrorReport::new(&e, render::error(&e), Some(m.clone()))
            })
            .collect();
        render::json(&Json {
            report: &report,
            errors,
        })?;
    } else {
        text(&report, a.allow_unread).finish()?;
    }
    // A path that is not there is a mistake in the job, not a pass.
    if let Some(m) = report.missing.first() {
        return Err(missing(m));
    }
    // A file the gate could not read was not checked: it fails the gate unless allowed.
    let unread = if a.allow_unread {
        0
    } else {
        report.problems.len()
    };
    match report.expired + report.within + unread {
        0 => Ok(()),
        n => Err(Error::ChecksFailed(n)),
    }
}

/// The error of a path named on the command line that is not there.
fn missing(path: &str) -> Error {
    Error::io(path, std::io::Error::from_raw_os_error(2))
}

fn text(r: &Report, allow_unread: bool) -> Text {
    let mut t = Text::stdout();
    for c in &r.certificates {
        let state = match c.state {
            State::Expired => "EXPIRED",
            State::Within => "SOON",
            State::Ok => "ok",
        };
        t.line(format!(
            "{state:<8} {:>6} days  {}  {}  {} ({})",
            c.days_left,
            c.not_after,
            c.file,
            if c.alias.is_empty() { "-" } else { &c.alias },
            c.subject
        ));
    }
    for m in &r.missing {
        t.line(format!(
            "{:<8} {:>6}       {m}: no such file or folder",
            "MISSING", "-"
        ));
    }
    for p in &r.problems {
        t.line(format!(
            "{:<8} {:>6}       {}: {}",
            "UNREAD", "-", p.file, p.problem
        ));
    }
    t.line("");
    t.line(format!(
        "{} certificate(s) in {} file(s): {} expired, {} within {} days{}.",
        r.certificates.len(),
        r.files,
        r.expired,
        r.within,
        r.within_days,
        if r.problems.is_empty() {
            String::new()
        } else {
            format!(
                "; {} file(s) could not be read{}",
                r.problems.len(),
                if allow_unread {
                    " (allowed by --allow-unread)"
                } else {
                    ", which fails the gate (--allow-unread passes without them)"
                }
            )
        }
    ));
    t
}
