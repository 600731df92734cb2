//! What `keytool -list -v` shows, for every format certkit reads.

use serde::Serialize;

use crate::error::Result;
use crate::host::Host;
use crate::keys;
use crate::model::{Entry, EntryKind, Format, Integrity, KeyMaterial, Keystore};
use crate::open::{self, Input};
use crate::x509::{self, CertSummary};

/// A private key as listed.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum KeyState {
    /// Decrypted: its algorithm and size.
    Open {
        /// RSA, EC, ...
        algorithm: String,
        /// Size in bits (absent when the key does not parse).
        #[serde(skip_serializing_if = "Option::is_none")]
        bits: Option<u32>,
    },
    /// Still protected (a JKS listed without its password).
    Protected {
        /// The protection algorithm's OID.
        protection: String,
    },
}

/// One entry as listed.
#[derive(Clone, Debug, Serialize)]
pub struct EntryReport {
    /// The alias (empty when the format has none).
    pub alias: String,
    /// `PrivateKeyEntry` or `trustedCertEntry`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Creation date, RFC 3339, when the format records one.
    pub created: Option<String>,
    /// The private key, for a private-key entry.
    pub key: Option<KeyState>,
    /// The certificates, leaf first (`None` for one that does not parse).
    pub chain: Vec<Option<CertSummary>>,
}

/// What a file holds.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The file.
    pub file: String,
    /// JKS, PKCS12, PEM, DER, Google JSON key.
    pub format: &'static str,
    /// The JKS format version.
    pub version: Option<u32>,
    /// `verified`, `not_checked` or `none`.
    pub integrity: &'static str,
    /// The entries, in file order.
    pub entries: Vec<EntryReport>,
    /// What a careful reader noticed (duplicate aliases, unmatched keys...).
    pub warnings: Vec<String>,
    /// The Google service account of a JSON key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub google: Option<GoogleReport>,
}

/// A JSON key's account.
#[derive(Clone, Debug, Serialize)]
pub struct GoogleReport {
    /// The account.
    pub client_email: String,
    /// The key id.
    pub private_key_id: String,
    /// The project.
    pub project_id: Option<String>,
}

fn key_state(e: &Entry) -> Option<KeyState> {
    match &e.kind {
        EntryKind::PrivateKey {
            key: KeyMaterial::Pkcs8(k),
            ..
        } => Some(match keys::facts(k.expose()) {
            Some(f) => KeyState::Open {
                algorithm: f.algorithm,
                bits: Some(f.bits),
            },
            None => KeyState::Open {
                algorithm: "unknown".into(),
                bits: None,
            },
        }),
        EntryKind::PrivateKey {
            key: KeyMaterial::JksProtected { algorithm_oid, .. },
            ..
        } => Some(KeyState::Protected {
            protection: algorithm_oid.clone(),
        }),
        EntryKind::TrustedCert(_) => None,
    }
}

/// The report of a keystore already read. It takes the keystore so that each entry is freed
/// once it is summarised: a large truststore and its report are not held whole at once.
pub fn report(ks: Keystore) -> Report {
    Report {
        file: ks.source.clone(),
        format: ks.format.name(),
        version: match ks.format {
            Format::Jks { version } => Some(version),
            _ => None,
        },
        integrity: match ks.integrity {
            Integrity::Verified => "verified",
            Integrity::NotChecked => "not_checked",
            Integrity::None => "none",
        },
        entries: ks
            .entries
            .into_iter()
            .map(|e| EntryReport {
                alias: e.alias.clone(),
                kind: e.kind_name(),
                created: e
                    .created_ms
                    .map(|ms| crate::clock::rfc3339(ms.div_euclid(1000))),
                key: key_state(&e),
                chain: e.chain().iter().map(|c| x509::summarize(&c.0)).collect(),
            })
            .collect(),
        warnings: ks.warnings,
        google: ks.google.map(|g| GoogleReport {
            client_email: g.client_email,
            private_key_id: g.private_key_id,
            project_id: g.project_id,
        }),
    }
}

/// Read a file and list it. A JKS without its password is listed, its integrity unchecked.
pub fn run(host: &dyn Host, input: &Input) -> Result<Report> {
    let opened = open::open(host, input, false)?;
    Ok(report(opened.ks))
}
