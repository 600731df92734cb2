//! `certkit inspect`: what `keytool -list -v` shows, for every format certkit reads.

use std::path::PathBuf;

use certkit_core::ops::inspect::{self, KeyState, Report};
use certkit_core::Result;

use super::args::{InPasswords, WarnDaysArg};
use super::render::{self, Text};

pub const EXAMPLES: &str = "\
Examples:
  certkit inspect google_sa.jks                        # lists without a password (integrity unchecked)
  certkit inspect google_sa.jks --password-file jks.pw # checks the integrity too
  certkit inspect my-project-1234.json --json";

/// Arguments of `certkit inspect`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The files to inspect: JKS, PKCS#12, PEM, DER or Google JSON.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub warn: WarnDaysArg,
    #[command(flatten)]
    pub passwords: InPasswords,
}

/// `inspect --json`: one document whatever the number of files: the reports of the files
/// read, and an error for each file that could not be.
#[derive(serde::Serialize)]
struct Json<'a> {
    files: &'a [Report],
    errors: Vec<certkit_core::error::ErrorReport>,
}

pub fn exec(a: Args, json: bool) -> Result<()> {
    // Every file is listed that can be; the first that cannot is the error, after them.
    let mut reports = Vec::new();
    let mut failed = None;
    let mut errors = Vec::new();
    for p in &a.inputs {
        match inspect::run(&crate::host::Local, &a.passwords.input(p)) {
            Ok(r) => reports.push(r),
            Err(e) => {
                if json {
                    let message = render::error(&e);
                    errors.push(certkit_core::error::ErrorReport::new(
                        &e,
                        message,
                        Some(p.display().to_string()),
                    ));
                }
                if failed.is_none() {
                    failed = Some(e);
                }
            }
        }
    }
    let done = |failed: Option<certkit_core::Error>| failed.map_or(Ok(()), Err);
    if json {
        render::json(&Json {
            files: &reports,
            errors,
        })?;
        return done(failed);
    }
    // Every warning first: the listing goes out in pieces as it is rendered, and a warning
    // printed between two files would land inside the previous file's listing.
    for r in &reports {
        for w in &r.warnings {
            eprintln!("certkit: warning: {}: {w}", r.file);
        }
    }
    let mut t = Text::stdout();
    let now = certkit_core::clock::now_secs();
    for (i, r) in reports.iter().enumerate() {
        if reports.len() > 1 {
            if i > 0 {
                t.line("");
            }
            t.line(format!("==> {} <==", r.file));
        }
        text(&mut t, r, now, a.warn.warn_days);
    }
    t.finish()?;
    done(failed)
}

/// The mark of a certificate that has expired or expires within `warn_days`.
fn expiry_mark(not_after: i64, now: i64, warn_days: i64) -> String {
    let left = not_after - now;
    if left < 0 {
        "  ** EXPIRED **".into()
    } else if left < warn_days * 86_400 {
        format!("  ** expires in {} days **", left / 86_400)
    } else {
        String::new()
    }
}

fn text(t: &mut Text, r: &Report, now: i64, warn_days: i64) {
    let version = r
        .version
        .map(|v| format!(" (version {v})"))
        .unwrap_or_default();
    t.fmt(format_args!("Keystore type: {}{version}", r.format));
    t.fmt(format_args!(
        "Integrity: {}",
        match r.integrity {
            "verified" => "verified with the password",
            "not_checked" => "NOT checked: no password was given",
            _ => "none in this format",
        }
    ));
    if let Some(g) = &r.google {
        t.fmt(format_args!("Google service account: {}", g.client_email));
        t.fmt(format_args!(
            "Google key id (private_key_id): {}",
            g.private_key_id
        ));
    }
    let n = r.entries.len();
    t.fmt(format_args!(
        "Your keystore contains {n} entr{}",
        if n == 1 { "y" } else { "ies" }
    ));
    for e in &r.entries {
        t.line("");
        t.fmt(format_args!(
            "Alias name: {}",
            if e.alias.is_empty() {
                "(none)"
            } else {
                &e.alias
            }
        ));
        if let Some(c) = &e.created {
            t.fmt(format_args!("Creation date: {c}"));
        }
        t.fmt(format_args!("Entry type: {}", e.kind));
        match &e.key {
            Some(KeyState::Open { algorithm, bits }) => t.fmt(format_args!(
                "Private key: {algorithm} {}",
                bits.map(|b| b.to_string()).unwrap_or_else(|| "null".into())
            )),
            Some(KeyState::Protected { protection }) => {
                t.fmt(format_args!("Private key: protected ({protection})"))
            }
            None => {}
        }
        let is_key = e.key.is_some();
        if is_key {
            t.fmt(format_args!("Certificate chain length: {}", e.chain.len()));
        }
        for (i, c) in e.chain.iter().enumerate() {
            if is_key {
                t.fmt(format_args!("Certificate[{}]:", i + 1));
            }
            let Some(s) = c else {
                t.line("(certificate does not parse)");
                continue;
            };
            t.fmt(format_args!("Owner: {}", s.subject));
            t.fmt(format_args!("Issuer: {}", s.issuer));
            t.fmt(format_args!("Serial number: {}", s.serial));
            t.fmt(format_args!(
                "Valid from: {} until: {}{}",
                s.not_before,
                s.not_after,
                expiry_mark(s.not_after_unix, now, warn_days)
            ));
            t.line("Certificate fingerprints:");
            t.fmt(format_args!("\t SHA1: {}", s.sha1));
            t.fmt(format_args!("\t SHA256: {}", s.sha256));
            t.fmt(format_args!(
                "Signature algorithm name: {}",
                s.signature_algorithm
            ));
            t.fmt(format_args!(
                "Subject Public Key Algorithm: {}-bit {} key",
                s.key_bits, s.key_algorithm
            ));
            if let Some(ski) = &s.subject_key_id {
                t.fmt(format_args!("Subject key identifier: {ski}"));
            }
            t.fmt(format_args!(
                "Basic constraints: {}",
                if s.is_ca {
                    "CA:true"
                } else {
                    "CA:false or absent"
                }
            ));
        }
    }
}
