//! Every identifier a verifier may look the key up by, the public JWK, and which key id of
//! Google's metadata document is this key.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::formats::google_json;
use crate::host::Host;
use crate::jws::Alg;
use crate::keyids::{self, KeyIds};
use crate::model::{Entry, Want};
use crate::open::{self, Input};

/// What to identify.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The keystore, key or certificate file.
    pub input: Input,
    /// The entry, by alias.
    pub entry: Option<String>,
    /// Also give the public JWK.
    pub jwk: bool,
    /// The JWK's `alg`; without it the JWK has none and matches RS256 and RS512 tokens.
    pub alg: Option<Alg>,
    /// Google's x509 or JWK metadata document (or a certificate file) to look the key up in.
    pub metadata: Option<PathBuf>,
}

/// The key ids found in a metadata document, and the one that is this key.
#[derive(Clone, Debug, Serialize)]
pub struct MetadataMatch {
    /// Every key id listed.
    pub key_ids: Vec<String>,
    /// The one whose public key is this key's.
    #[serde(rename = "match")]
    pub hit: Option<String>,
}

/// The identifiers.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Every identifier.
    #[serde(flatten)]
    pub ids: KeyIds,
    /// The public JWK, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwk: Option<Value>,
    /// The metadata look-up, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<MetadataMatch>,
    /// The key size.
    pub key_bits: Option<u32>,
}

impl Report {
    /// False when a metadata document was given and this key is not in it.
    pub fn ok(&self) -> bool {
        self.metadata.as_ref().is_none_or(|m| m.hit.is_some())
    }
}

/// Which key id of a metadata document (x509 or JWK set, or a PEM/DER certificate file)
/// has this entry's public key.
pub fn match_metadata(host: &dyn Host, entry: &Entry, path: &Path) -> Result<MetadataMatch> {
    let data = open::read_file(host, path)?;
    let name = path.display().to_string();
    let ours_ne = keyids::rsa_public(entry);
    if let Ok(v) = serde_json::from_slice::<Value>(&data) {
        if let Some(jwks) = google_json::jwk_set(&v, &name)? {
            let key_ids = jwks.iter().map(|k| k.0.clone()).collect();
            let hit = jwks
                .into_iter()
                .find(|(_, ne)| ne.is_some() && *ne == ours_ne)
                .map(|k| k.0);
            return Ok(MetadataMatch { key_ids, hit });
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
    let key_ids = ks.entries.iter().map(|e| e.alias.clone()).collect();
    let hit = match &ours_ne {
        // RSA (every Google key): compare modulus and exponent, read from the DER.
        Some(ne) => ks
            .entries
            .iter()
            .find(|e| {
                e.leaf()
                    .and_then(|c| crate::x509::cert_rsa_components(&c.0))
                    .as_ref()
                    == Some(ne)
            })
            .map(|e| e.alias.clone()),
        None => {
            let ours = keyids::public_key(entry);
            ks.entries.iter().find_map(|e| {
                let pk = crate::x509::cert_public_key(&e.leaf()?.0)?;
                ours.as_ref()
                    .filter(|o| crate::crypto::provider().public_eq(o, &pk))
                    .map(|_| e.alias.clone())
            })
        }
    };
    Ok(MetadataMatch { key_ids, hit })
}

/// Identify the key.
pub fn run(host: &dyn Host, o: &Options) -> Result<Report> {
    let opened = open::open(host, &o.input, false)?;
    let entry = opened.ks.select(o.entry.as_deref(), Want::Any)?;
    let facts = entry
        .leaf()
        .and_then(|c| crate::x509::cert_key_facts(&c.0))
        .or_else(|| entry.pkcs8().and_then(|k| crate::keys::facts(k.expose())));
    match &facts {
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
    let jwk = if o.jwk {
        keyids::public_jwk(&entry, &ids, o.alg)
    } else {
        None
    };
    let metadata = match &o.metadata {
        Some(p) => Some(match_metadata(host, &entry, p)?),
        None => None,
    };
    Ok(Report {
        ids,
        jwk,
        metadata,
        key_bits: facts.map(|f| f.bits),
    })
}

/// A JWK Set (RFC 7517 section 5) of the reports' JWKs, one per key: a key given twice (a
/// renewed certificate keeps its key) is listed once, with the certificate given last.
pub fn jwk_set<'a>(reports: impl IntoIterator<Item = &'a Report>) -> Value {
    let mut keys: Vec<&Value> = Vec::new();
    for j in reports.into_iter().filter_map(|r| r.jwk.as_ref()) {
        match keys.iter().position(|k| k.get("kid") == j.get("kid")) {
            Some(i) if j.get("x5c").is_some() || keys[i].get("x5c").is_none() => keys[i] = j,
            Some(_) => {}
            None => keys.push(j),
        }
    }
    serde_json::json!({ "keys": keys })
}
