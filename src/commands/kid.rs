//! `certkit kid`: every identifier a verifier may look the key up by, the public JWK,
//! and which key id of Google's metadata document is this key.

use std::path::Path;

use serde_json::{json, Value};

use crate::cli::KidArgs;
use crate::error::{Error, Result};
use crate::formats::google_json;
use crate::keyids::{self, KeyIdSource, KeyIds};
use crate::model::Entry;
use crate::open;

/// Which key id of a metadata document (x509 or JWK set, or a PEM/DER certificate file)
/// has this entry's public key.
pub fn match_metadata(entry: &Entry, path: &Path) -> Result<(Vec<String>, Option<String>)> {
    let data = open::read_file(path)?;
    let name = path.display().to_string();
    let ours = keyids::public_key(entry);
    let ours_ne = ours.as_ref().and_then(keyids::rsa_components);
    if let Ok(v) = serde_json::from_slice::<Value>(&data) {
        if let Some(jwks) = google_json::jwk_set(&v, &name)? {
            let ids = jwks.iter().map(|k| k.0.clone()).collect();
            let hit = jwks
                .into_iter()
                .find(|(_, ne)| ne.is_some() && *ne == ours_ne)
                .map(|k| k.0);
            return Ok((ids, hit));
        }
        let x509_metadata = v.as_object().is_some_and(|o| {
            !o.is_empty()
                && o.values().all(|c| {
                    c.as_str()
                        .is_some_and(|t| t.contains("-----BEGIN CERTIFICATE"))
                })
        });
        if !x509_metadata {
            return Err(Error::corrupt(
                &name,
                "not a Google metadata document (an object of key id to PEM certificate, or {\"keys\": [...]})",
            ));
        }
    }
    let ks = crate::formats::read(&data, &name, None)?;
    let ids = ks.entries.iter().map(|e| e.alias.clone()).collect();
    let hit = ks.entries.iter().find_map(|e| {
        let c = e.leaf()?;
        let x = openssl::x509::X509::from_der(&c.0).ok()?;
        let pk = x.public_key().ok()?;
        ours.as_ref()
            .filter(|o| o.public_eq(&pk))
            .map(|_| e.alias.clone())
    });
    Ok((ids, hit))
}

fn print_ids(ids: &KeyIds) {
    let row = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            super::outln!("{k:<48} {v}");
        }
    };
    let google_label = match ids.google_key_id_source {
        Some(KeyIdSource::PrivateKeyId) => "Google key id (private_key_id)",
        Some(KeyIdSource::RecordedInCertificate) => "Google key id (from the JSON key)",
        _ => "Google key id (SHA-1; if Google issued the cert)",
    };
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

/// Run `certkit kid`.
pub fn run(a: KidArgs) -> Result<()> {
    let opened = open::open(&a.input, a.in_password.source().as_ref(), false)?;
    let entry = super::pick_entry(&opened.ks, a.alias.as_deref(), true)?;
    let facts = entry
        .leaf()
        .and_then(|c| crate::keys::cert_key_facts(&c.0))
        .or_else(|| entry.pkcs8().and_then(|k| crate::keys::facts(k.expose())));
    match facts {
        Some(f) if f.algorithm == "RSA" => {}
        Some(f) => {
            return Err(Error::unsupported(
                &opened.ks.source,
                format!(
                    "{} key: key ids, thumbprints and JWKs are given for RSA keys, the only kind Salesforce and Google sign JWTs with",
                    f.algorithm
                ),
            ))
        }
        None => return Err(Error::corrupt(&opened.ks.source, "the key does not parse")),
    }
    let ids = keyids::of_entry(&entry, opened.ks.google.as_ref());
    let jwk = if a.jwk {
        keyids::public_jwk(&entry, &ids)
    } else {
        None
    };
    let meta = match &a.metadata {
        Some(p) => Some(match_metadata(&entry, p)?),
        None => None,
    };
    if a.json {
        let mut v = serde_json::to_value(&ids).unwrap_or(Value::Null);
        if a.jwk {
            v["jwk"] = jwk.clone().unwrap_or(Value::Null);
        }
        if let Some((listed, hit)) = &meta {
            v["metadata"] = json!({"key_ids": listed, "match": hit});
        }
        if let Some(pk) = keyids::public_key(&entry) {
            v["key_bits"] = json!(pk.bits());
        }
        super::print_json(&v);
    } else {
        print_ids(&ids);
        if let Some(j) = &jwk {
            super::outln!();
            super::outln!("{}", serde_json::to_string_pretty(j).unwrap_or_default());
        }
        if let Some((listed, hit)) = &meta {
            super::outln!();
            match hit {
                Some(k) => super::outln!("Metadata: this key is key id {k} ({} keys listed)", listed.len()),
                None => super::outln!(
                    "Metadata: none of the {} keys listed is this key ({}); it was deleted, or belongs to another account",
                    listed.len(),
                    listed.join(", ")
                ),
            }
        }
    }
    if let Some((_, None)) = meta {
        return Err(crate::error::Error::ChecksFailed(1));
    }
    Ok(())
}
