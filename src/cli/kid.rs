//! `certkit kid`: every identifier a verifier may look the key up by.

use std::path::PathBuf;

use certkit_core::keyids::{KeyIdSource, KeyIds};
use certkit_core::ops::kid::{self, Options, Report};
use certkit_core::Error;

use certkit_core::jws::Alg;

use super::args::{choice, EntryArg, InPasswords};
use super::error::{CliError, Result};
use super::render::{self, Text};

pub const EXAMPLES: &str = "\
Examples:
  certkit kid google_sa.jks                      # the Google key id: the External Credential's kid
  certkit kid org2.crt --jwk > org2.jwk.json     # the public JWK to register with a third party
  certkit kid old.crt new.crt --jwks             # a JWK set of both keys, during a rotation
  certkit kid google_sa.jks --metadata x509.json # which of the account's published keys is this one";

/// Arguments of `certkit kid`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Keystore, key or certificate files (several only with --jwk or --jwks: one JWK set).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub entry: EntryArg,
    /// Print only the public JWK on standard output (kid, use, x5c, x5t#S256; alg with
    /// --alg); the identifiers go to standard error. With several inputs, a JWK set.
    #[arg(long)]
    pub jwk: bool,
    /// Print a JWK set ({"keys": [...]}) of the inputs' keys, even of one.
    #[arg(long)]
    pub jwks: bool,
    /// The JWK's alg [default: none, so that it matches RS256 and RS512 tokens].
    #[arg(long, value_name = "ALG", value_parser = choice::<Alg>())]
    pub alg: Option<Alg>,
    /// Google's x509 or JWK metadata document of the account: say which key id in it is this key.
    #[arg(long, value_name = "FILE")]
    pub metadata: Option<PathBuf>,
    #[command(flatten)]
    pub passwords: InPasswords,
}

pub fn exec(a: Args, json: bool) -> Result<()> {
    let set = a.jwks || a.inputs.len() > 1;
    let jwk = a.jwk || a.jwks;
    if a.inputs.len() > 1 && !jwk {
        return Err(CliError::Usage(
            "several inputs make a JWK set: add --jwks (or give one input)".into(),
        ));
    }
    if a.alg.is_some() && !jwk {
        return Err(CliError::Usage(
            "--alg is the JWK's alg: give it with --jwk or --jwks".into(),
        ));
    }
    if set && a.metadata.is_some() {
        return Err(CliError::Usage(
            "--metadata looks one key up: give one input, without --jwks".into(),
        ));
    }
    if a.inputs.len() > 1 && a.passwords.store.password_stdin {
        return Err(CliError::Usage(
            "standard input holds one password: give several inputs --password-file or --password-env".into(),
        ));
    }
    // Every input is read before anything is written.
    let mut reports = Vec::with_capacity(a.inputs.len());
    for input in &a.inputs {
        let report = kid::run(
            &crate::host::Local,
            &Options {
                input: a.passwords.input(input),
                entry: a.entry.entry.clone(),
                jwk,
                alg: a.alg,
                metadata: a.metadata.clone(),
            },
        )?;
        reports.push((input.display().to_string(), report));
    }
    let ok = reports.iter().all(|(_, r)| r.ok());
    match (set, json) {
        (false, true) => render::json(&reports[0].1)?,
        (false, false) if jwk => {
            // Standard output is the JWK alone (`certkit kid X --jwk > jwk.json`).
            let r = &reports[0].1;
            to_stderr(&text(r).0);
            let j = r.jwk.as_ref().ok_or_else(|| no_jwk(&reports[0].0))?;
            render::stdout(&format!("{}\n", pretty(j)))?;
        }
        (false, false) => render::stdout(&text(&reports[0].1).0)?,
        (true, _) => {
            if let Some((name, _)) = reports.iter().find(|(_, r)| r.jwk.is_none()) {
                return Err(no_jwk(name).into());
            }
            let mut set = kid::jwk_set(reports.iter().map(|r| &r.1));
            if json {
                // The JWK set, and each input's identifiers beside it (a JWK set may carry
                // other members, RFC 7517 section 5).
                let ids: Vec<_> = reports
                    .iter()
                    .map(|(name, r)| serde_json::json!({ "input": name, "ids": r.ids, "key_bits": r.key_bits }))
                    .collect();
                set["inputs"] = serde_json::json!(ids);
                render::json(&set)?;
            } else {
                for (name, r) in &reports {
                    to_stderr(&format!("{name}:\n{}", text(r).0));
                }
                // One key given twice (a renewed certificate of the same key): one JWK, with
                // the certificate of the input that had one last. Said, not silently merged.
                let n_keys = set["keys"].as_array().map_or(0, Vec::len);
                if n_keys < reports.len() {
                    to_stderr(&format!(
                        "{} inputs hold {n_keys} distinct key(s): a key given twice is one JWK (its kid is the key's), with the last input's certificate (x5c) where it has one\n",
                        reports.len()
                    ));
                }
                render::stdout(&format!("{}\n", pretty(&set)))?;
            }
        }
    }
    if ok {
        Ok(())
    } else {
        Err(CliError::ChecksFailed(1))
    }
}

/// The identifiers beside a JWK: on standard error, which may be closed (not a failure).
fn to_stderr(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().write_all(text.as_bytes());
}

fn no_jwk(name: &str) -> Error {
    Error::Internal(format!("{name}: no JWK was made for this RSA key"))
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn ids(t: &mut Text, ids: &KeyIds) {
    let mut row = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            t.line(format!("{k:<48} {v}"));
        }
    };
    let google_label = match ids.google_key_id_source {
        Some(KeyIdSource::PrivateKeyId) => "Google key id (private_key_id; google's kid)",
        Some(KeyIdSource::RecordedInCertificate) => "Google key id (the JSON key's; google's kid)",
        _ if ids.google => "Google key id (cert SHA-1; google's kid)",
        _ => "Google key id (cert SHA-1, if Google holds it)",
    };
    // The kid each profile sends first (README "The kid"): Google's key id leads for a Google
    // key, the JWK thumbprint (the kid of every other profile) otherwise; each shown once.
    let thumbprint = "kid (salesforce, generic): RFC 7638 thumbprint";
    if ids.google {
        row(google_label, &ids.google_key_id);
        row(thumbprint, &ids.kid);
    } else {
        row(thumbprint, &ids.kid);
        row(google_label, &ids.google_key_id);
    }
    row("x5t (SHA-1, base64url)", &ids.x5t);
    row("x5t#S256 (SHA-256, base64url)", &ids.x5t_s256);
    if ids.jwk_thumbprint != ids.kid {
        row("JWK thumbprint (RFC 7638, SHA-256)", &ids.jwk_thumbprint);
    }
    row("SHA-1 fingerprint", &ids.sha1_fingerprint);
    row("SHA-256 fingerprint", &ids.sha256_fingerprint);
    row("Subject key identifier", &ids.subject_key_id);
    row("Serial number", &ids.serial);
    row("Alias (Unique Name after Import from Keystore)", &ids.alias);
}

fn text(r: &Report) -> Text {
    let mut t = Text::default();
    ids(&mut t, &r.ids);
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
