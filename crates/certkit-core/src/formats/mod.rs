//! Readers for every input format, chosen by the file's content (never its name),
//! and the writers certkit produces. Each format lives in its own module.

pub mod google_json;
pub mod jks;
pub mod pem;
pub mod pkcs12;
pub mod sfmeta;

use crate::der;
use crate::error::{Error, Result};
use crate::model::{CertDer, Entry, EntryKind, KeyMaterial, Keystore};
use crate::secret::{Password, SecretBytes};
use crate::x509;

/// What a file looks like, from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Java KeyStore (`FEEDFEED`).
    Jks,
    /// JCEKS (`CECECECE`): recognised, not supported.
    Jceks,
    /// A DER SEQUENCE that is a PKCS#12 PFX.
    Pkcs12,
    /// Another DER object (certificate or key).
    Der,
    /// PEM text.
    Pem,
    /// A JSON document (Google key or metadata).
    Json,
}

impl Kind {
    /// The format's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Jks => "JKS",
            Kind::Jceks => "JCEKS",
            Kind::Pkcs12 => "PKCS#12",
            Kind::Der => "DER",
            Kind::Pem => "PEM",
            Kind::Json => "JSON",
        }
    }

    /// Whether reading this kind needs a password (PKCS#12 always; JKS only to check integrity and open keys).
    pub fn needs_password(self) -> bool {
        matches!(self, Kind::Pkcs12)
    }
}

/// Recognise a file by content.
pub fn sniff(data: &[u8], path: &str) -> Result<Kind> {
    if data.is_empty() {
        return Err(Error::corrupt(path, "the file is empty"));
    }
    if data.starts_with(&jks::MAGIC) {
        return Ok(Kind::Jks);
    }
    if data.starts_with(&jks::JCEKS_MAGIC) {
        return Ok(Kind::Jceks);
    }
    if data[0] == 0x30 {
        return Ok(if looks_like_pfx(data) {
            Kind::Pkcs12
        } else {
            Kind::Der
        });
    }
    let text = trim_ascii_start(data);
    if text.starts_with(b"{") {
        return Ok(Kind::Json);
    }
    if text.windows(11).any(|w| w == b"-----BEGIN ") {
        return Ok(Kind::Pem);
    }
    Err(Error::corrupt(
        path,
        "not a format certkit reads (JKS, PKCS#12, PEM, DER, Google JSON key)",
    ))
}

fn trim_ascii_start(data: &[u8]) -> &[u8] {
    let skip = data
        .iter()
        .take_while(|b| b.is_ascii_whitespace() || **b == 0xEF || **b == 0xBB || **b == 0xBF)
        .count();
    &data[skip..]
}

/// A PFX is SEQUENCE { INTEGER 3, ContentInfo SEQUENCE { OID, ... }, ... }.
fn looks_like_pfx(data: &[u8]) -> bool {
    let Some((outer, _)) = der::read_tlv(data) else {
        // Truncated: decide by the visible prefix (version INTEGER 3 right after the header).
        return data.windows(3).take(8).any(|w| w == [0x02, 0x01, 0x03]);
    };
    match der::read_tlv(outer.content) {
        Some((v, rest)) => v.tag == 0x02 && v.content == [3] && rest.first() == Some(&0x30),
        None => false,
    }
}

/// Read any supported file. `password` opens PKCS#12, checks a JKS's integrity,
/// and decrypts an encrypted PEM key; JKS keys stay protected (see [`open_keys`]).
pub fn read(data: &[u8], path: &str, password: Option<&Password>) -> Result<Keystore> {
    read_as(sniff(data, path)?, data, path, password)
}

/// [`read`] for data already recognised as `kind` by [`sniff`].
pub fn read_as(
    kind: Kind,
    data: &[u8],
    path: &str,
    password: Option<&Password>,
) -> Result<Keystore> {
    match kind {
        Kind::Jks => jks::decode(data, path, password),
        Kind::Jceks => Err(Error::unsupported(
            path,
            "JCEKS keystore; convert it with keytool -importkeystore -deststoretype JKS",
        )),
        Kind::Pkcs12 => match password {
            Some(pw) => pkcs12::decode(data, path, pw),
            None => Err(Error::password_required(
                crate::error::WhichPassword::Store,
                format!("{path} is PKCS#12 and needs its password"),
            )),
        },
        Kind::Der => pem::decode_der(data, path),
        Kind::Pem => pem::decode(data, path, password),
        Kind::Json => google_json::decode(data, path),
    }
}

/// Decrypt every JKS-protected key with `password` (JKS keys usually share the store password).
pub fn open_keys(ks: &mut Keystore, password: &Password) -> Result<()> {
    open_keys_trying(ks, std::slice::from_ref(password))
}

/// Decrypt every JKS-protected key with the first of `passwords` that opens it. A key that
/// none opens is a wrong key password naming its entry.
pub fn open_keys_trying(ks: &mut Keystore, passwords: &[Password]) -> Result<()> {
    let path = ks.source.clone();
    for e in &mut ks.entries {
        let EntryKind::PrivateKey { key, .. } = &mut e.kind else {
            continue;
        };
        if let KeyMaterial::Pkcs8(_) = key {
            continue;
        }
        let mut last = None;
        for pw in passwords {
            match jks::recover_key(key, pw, &path) {
                Ok(open) => {
                    *key = KeyMaterial::Pkcs8(open);
                    last = None;
                    break;
                }
                Err(Error::WrongPassword {
                    which,
                    path,
                    detail,
                }) => {
                    last = Some(Error::WrongPassword {
                        which,
                        path,
                        detail: format!("entry \"{}\": {detail}", e.alias),
                    })
                }
                Err(other) => return Err(other),
            }
        }
        if let Some(err) = last {
            return Err(err);
        }
    }
    Ok(())
}

/// Build a chain from `leaf` by following issuer names among the unused certificates.
pub fn chain_from(leaf: usize, certs: &[CertDer], used: &mut [bool]) -> Vec<CertDer> {
    let names: Vec<Option<(Vec<u8>, Vec<u8>)>> = certs.iter().map(|c| x509::names(&c.0)).collect();
    used[leaf] = true;
    let mut chain = vec![certs[leaf].clone()];
    let mut cur = leaf;
    while let Some((subject, issuer)) = &names[cur] {
        if subject == issuer {
            break;
        }
        let next = (0..certs.len())
            .find(|&j| !used[j] && names[j].as_ref().is_some_and(|(s, _)| s == issuer));
        let Some(next) = next else { break };
        used[next] = true;
        chain.push(certs[next].clone());
        cur = next;
    }
    chain
}

/// Put a loose key and loose certificates (PEM, DER, JSON) into entries: the key with the
/// certificate it matches and that certificate's issuers; every other certificate as a
/// trusted-certificate entry.
pub(crate) fn assemble(ks: &mut Keystore, key: Option<SecretBytes>, certs: Vec<CertDer>) {
    let mut used = vec![false; certs.len()];
    if let Some(key) = key {
        let leaf = certs
            .iter()
            .position(|c| crate::x509::matches_key(&c.0, key.expose()).unwrap_or(false));
        // Key and certificates in one file are meant as a pair: with no match, the first
        // certificate still goes with the key, so the rules report the mismatch.
        let chain = match leaf {
            Some(i) => chain_from(i, &certs, &mut used),
            None if !certs.is_empty() => {
                ks.warnings
                    .push("the private key does not match the certificate in this file".into());
                chain_from(0, &certs, &mut used)
            }
            None => Vec::new(),
        };
        ks.entries.push(Entry {
            alias: String::new(),
            created_ms: None,
            kind: EntryKind::PrivateKey {
                key: KeyMaterial::Pkcs8(key),
                chain,
            },
        });
    }
    for (i, c) in certs.into_iter().enumerate() {
        if !used[i] {
            ks.entries.push(Entry {
                alias: String::new(),
                created_ms: None,
                kind: EntryKind::TrustedCert(c),
            });
        }
    }
    if ks.entries.is_empty() {
        ks.warnings
            .push("no certificate or private key found".into());
    }
}
