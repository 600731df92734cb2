//! `certkit kid`: every identifier a verifier may look the key up by.

use std::path::PathBuf;

use certkit::keyids::{KeyIdSource, KeyIds};
use certkit::ops::kid::{self, Options, Report};
use certkit::{Error, Result};

use super::args::{EntryArg, InPasswords};
use super::render::{self, Text};

pub const EXAMPLES: &str = "\
Examples:
  certkit kid google_sa.jks                      # the Google key id: the External Credential's kid
  certkit kid org2.crt --jwk                     # the public JWK to register with a third party
  certkit kid google_sa.jks --metadata x509.json # which of the account's published keys is this one";

/// Arguments of `certkit kid`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A keystore, key or certificate file.
    pub input: PathBuf,
    #[command(flatten)]
    pub entry: EntryArg,
    /// Print the public JWK (with kid, alg, use, x5c, x5t#S256).
    #[arg(long)]
    pub jwk: bool,
    /// Google's x509 or JWK metadata document of the account: say which key id in it is this key.
    #[arg(long, value_name = "FILE")]
    pub metadata: Option<PathBuf>,
    #[command(flatten)]
    pub passwords: InPasswords,
}

pub fn exec(a: Args, json: bool) -> Result<()> {
    let report = kid::run(&Options {
        input: a.passwords.input(&a.input),
        entry: a.entry.entry,
        jwk: a.jwk,
        metadata: a.metadata,
    })?;
    if json {
        render::json(&report)?;
    } else {
        render::stdout(&text(&report).0)?;
    }
    if report.ok() {
        Ok(())
    } else {
        Err(Error::ChecksFailed(1))
    }
}

fn ids(t: &mut Text, ids: &KeyIds) {
    let mut row = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            t.line(format!("{k:<48} {v}"));
        }
    };
    let google_label = match ids.google_key_id_source {
        Some(KeyIdSource::PrivateKeyId) => "Google key id (private_key_id)",
        Some(KeyIdSource::RecordedInCertificate) => "Google key id (from the JSON key)",
        _ if ids.google => "Google key id (SHA-1 of Google's certificate)",
        _ => "Google key id (SHA-1; if Google issued the cert)",
    };
    row("kid (in the JWK and certkit's assertions)", &ids.kid);
    row(google_label, &ids.google_key_id);
    row("x5t (SHA-1, base64url)", &ids.x5t);
    row("x5t#S256 (SHA-256, base64url)", &ids.x5t_s256);
    row("JWK thumbprint (RFC 7638, SHA-256)", &ids.jwk_thumbprint);
    row("SHA-1 fingerprint", &ids.sha1_fingerprint);
    row("SHA-256 fingerprint", &ids.sha256_fingerprint);
    row("Subject key identifier", &ids.subject_key_id);
    row("Serial number", &ids.serial);
    row("Alias (Salesforce's default kid)", &ids.alias);
}

fn text(r: &Report) -> Text {
    let mut t = Text::default();
    ids(&mut t, &r.ids);
    if let Some(j) = &r.jwk {
        t.line("");
        t.line(serde_json::to_string_pretty(j).unwrap_or_default());
    }
    if let Some(m) = &r.metadata {
        t.line("");
        match &m.hit {
            Some(k) => t.line(format!(
                "Metadata: this key is key id {k} ({} keys listed)",
                m.key_ids.len()
            )),
            None => t.line(format!(
                "Metadata: none of the {} keys listed is this key ({}); it was deleted, or belongs to another account",
                m.key_ids.len(),
                m.key_ids.join(", ")
            )),
        }
    }
    t
}
