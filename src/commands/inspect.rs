//! `certkit inspect`: what `keytool -list -v` shows, for every format certkit reads.

use serde_json::{json, Value};

use crate::cli::InspectArgs;
use crate::error::Result;
use crate::model::{Entry, EntryKind, Format, Integrity, KeyMaterial, Keystore};
use crate::{keys, open, x509};

fn key_json(e: &Entry) -> Value {
    match &e.kind {
        EntryKind::PrivateKey {
            key: KeyMaterial::Pkcs8(k),
            ..
        } => match keys::facts(k.expose()) {
            Some(f) => json!({"state": "open", "algorithm": f.algorithm, "bits": f.bits}),
            None => json!({"state": "open", "algorithm": "unknown"}),
        },
        EntryKind::PrivateKey {
            key: KeyMaterial::JksProtected { algorithm_oid, .. },
            ..
        } => {
            json!({"state": "protected", "protection": algorithm_oid})
        }
        EntryKind::TrustedCert(_) => Value::Null,
    }
}

fn integrity_text(i: Integrity) -> &'static str {
    match i {
        Integrity::Verified => "verified with the password",
        Integrity::NotChecked => "NOT checked: no password was given",
        Integrity::None => "none in this format",
    }
}

/// The report as JSON.
pub fn report(ks: &Keystore) -> Value {
    let entries: Vec<Value> = ks
        .entries
        .iter()
        .map(|e| {
            json!({
                "alias": e.alias,
                "type": e.kind_name(),
                "created": e.created_ms.map(|ms| crate::clock::rfc3339(ms.div_euclid(1000))),
                "key": key_json(e),
                "chain": e.chain().iter().map(|c| x509::summarize(&c.0)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let version = match ks.format {
        Format::Jks { version } => Some(version),
        _ => None,
    };
    let mut v = json!({
        "file": ks.source,
        "format": ks.format.name(),
        "version": version,
        "integrity": match ks.integrity { Integrity::Verified => "verified", Integrity::NotChecked => "not_checked", Integrity::None => "none" },
        "entries": entries,
        "warnings": ks.warnings,
    });
    if let Some(g) = &ks.google {
        v["google"] = json!({"client_email": g.client_email, "private_key_id": g.private_key_id, "project_id": g.project_id});
    }
    v
}

/// Run `certkit inspect`.
pub fn run(a: InspectArgs) -> Result<()> {
    let opened = open::open(&a.input, a.in_password.source().as_ref(), false)?;
    let ks = opened.ks;
    if a.json {
        super::print_json(&report(&ks));
        return Ok(());
    }
    let version = match ks.format {
        Format::Jks { version } => format!(" (version {version})"),
        _ => String::new(),
    };
    super::outln!("Keystore type: {}{version}", ks.format.name());
    super::outln!("Integrity: {}", integrity_text(ks.integrity));
    if let Some(g) = &ks.google {
        super::outln!("Google service account: {}", g.client_email);
        super::outln!("Google key id (private_key_id): {}", g.private_key_id);
    }
    let n = ks.entries.len();
    super::outln!(
        "Your keystore contains {n} entr{}",
        if n == 1 { "y" } else { "ies" }
    );
    for e in &ks.entries {
        super::outln!();
        super::outln!(
            "Alias name: {}",
            if e.alias.is_empty() {
                "(none)"
            } else {
                &e.alias
            }
        );
        if let Some(ms) = e.created_ms {
            super::outln!(
                "Creation date: {}",
                crate::clock::rfc3339(ms.div_euclid(1000))
            );
        }
        super::outln!("Entry type: {}", e.kind_name());
        let k = key_json(e);
        if !k.is_null() {
            match k["state"].as_str() {
                Some("open") => super::outln!(
                    "Private key: {} {}",
                    k["algorithm"].as_str().unwrap_or("?"),
                    k["bits"]
                ),
                _ => super::outln!(
                    "Private key: protected ({})",
                    k["protection"].as_str().unwrap_or("?")
                ),
            }
        }
        let chain = e.chain();
        if e.is_private_key() {
            super::outln!("Certificate chain length: {}", chain.len());
        }
        for (i, c) in chain.iter().enumerate() {
            if e.is_private_key() {
                super::outln!("Certificate[{}]:", i + 1);
            }
            match x509::summarize(&c.0) {
                Some(s) => {
                    super::outln!("Owner: {}", s.subject);
                    super::outln!("Issuer: {}", s.issuer);
                    super::outln!("Serial number: {}", s.serial);
                    super::outln!("Valid from: {} until: {}", s.not_before, s.not_after);
                    super::outln!("Certificate fingerprints:");
                    super::outln!("\t SHA1: {}", s.sha1);
                    super::outln!("\t SHA256: {}", s.sha256);
                    super::outln!("Signature algorithm name: {}", s.signature_algorithm);
                    super::outln!(
                        "Subject Public Key Algorithm: {}-bit {} key",
                        s.key_bits,
                        s.key_algorithm
                    );
                    if let Some(ski) = &s.subject_key_id {
                        super::outln!("Subject key identifier: {ski}");
                    }
                    super::outln!(
                        "Basic constraints: {}",
                        if s.is_ca {
                            "CA:true"
                        } else {
                            "CA:false or absent"
                        }
                    );
                }
                None => super::outln!("(certificate does not parse)"),
            }
        }
    }
    for w in &ks.warnings {
        eprintln!("certkit: warning: {w}");
    }
    Ok(())
}
