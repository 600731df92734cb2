//! PKCS#12 / PFX through the `p12-keystore` crate: the legacy files Google and Java
//! write (3DES key bag, RC2-40 certificate bag, HMAC-SHA1 MAC) and the modern ones
//! OpenSSL 3 and keytool 17 write (PBES2 / AES-256, HMAC-SHA256).
//!
//! `p12-keystore` decrypts in pure Rust, so OpenSSL's legacy provider is not needed
//! to read; certkit pairs keys with certificates itself (by localKeyID, then by
//! public key) so that nothing in the file is silently dropped.
//!
//! Facts and sources: `docs/google-service-accounts.md`.

use p12_keystore::error::Error as P12Error;
use p12_keystore::{
    Certificate, EncryptionAlgorithm, KeyStore, KeyStoreEntry, MacAlgorithm, Pkcs12Archive,
    PrivateKeyChain,
};

use crate::error::{Error, Hint, Result, WhichPassword};
use crate::model::{CertDer, Entry, EntryKind, Format, Integrity, KeyMaterial, Keystore};
use crate::secret::{Password, SecretBytes};

/// The password Google puts on every P12 key; readers try it when no password is given
/// (first for a file with a MAC, after the empty one for a file without).
pub const GOOGLE_P12_PASSWORD: &str = "notasecret";

fn map_err(e: P12Error, path: &str) -> Error {
    match e {
        P12Error::MacError(_) => Error::WrongPassword {
            which: WhichPassword::Store,
            path: path.to_string(),
            detail: "the PKCS#12 MAC does not verify (wrong password, or the file was altered)"
                .into(),
        },
        P12Error::UnpadError | P12Error::Pkcs5Error(_) => Error::WrongPassword {
            which: WhichPassword::Store,
            path: path.to_string(),
            detail: "the file's protected contents do not decrypt with this password".into(),
        },
        P12Error::UnsupportedEncryptionScheme => Error::unsupported(
            path,
            "PKCS#12 encryption scheme (not PBES2/AES, 3DES, RC2-40 or RC4)",
        ),
        P12Error::UnsupportedMacAlgorithm => Error::unsupported(path, "PKCS#12 MAC algorithm"),
        P12Error::UnsupportedContentType => {
            Error::unsupported(path, "PKCS#12 content type (public-key-protected PFX)")
        }
        other => Error::corrupt(path, format!("PKCS#12: {other}")),
    }
}

/// The most password-KDF iterations certkit runs for one PKCS#12 MAC or bag: 1,000,000, the
/// limit of the `p12-keystore` reader itself (Java reads up to 5,000,000,
/// `PKCS12KeyStore.MAX_ITERATION_COUNT`; real files use 2,048 to 100,000). Checked before any
/// KDF runs, so a file over it gets a message that says so rather than "invalid parameters".
pub const MAX_ITERATIONS: u64 = 1_000_000;

/// The most iterations certkit runs for an encrypted PEM key (OpenSSL has no limit of its
/// own): Java's PKCS#12 limit, 5,000,000, far above any real key (OpenSSL writes 2,048).
pub const MAX_PEM_ITERATIONS: u64 = 5_000_000;

/// The most scrypt work (N × r × p) certkit runs for an encrypted PEM key: 2^22, 32 times
/// OpenSSL's default (N 16384, r 8, p 1), a few seconds. OpenSSL bounds scrypt's memory, not
/// its time: p alone can ask for minutes.
pub const MAX_SCRYPT_WORK: u64 = 1 << 22;

/// Refuse, before any KDF runs, DER that asks for more than `limit` iterations, or more than
/// [`MAX_SCRYPT_WORK`] of scrypt.
pub(crate) fn check_iterations(data: &[u8], path: &str, what: &str, limit: u64) -> Result<()> {
    let n = crate::der::largest_iteration_count(data);
    let refuse = |detail: String| {
        Err(Error::unsupported(
            path,
            format!("{what} protected with {detail} (a damaged or hostile file)"),
        ))
    };
    if n > limit {
        let shown = if n == u64::MAX {
            "an iteration count too large for 64 bits".to_string()
        } else {
            format!("{} iterations of its password KDF", thousands(n))
        };
        return refuse(format!(
            "{shown}; certkit reads at most {}",
            thousands(limit)
        ));
    }
    let work = crate::der::largest_scrypt_work(data);
    if work > MAX_SCRYPT_WORK {
        return refuse(format!(
            "scrypt work N×r×p of {}; certkit runs at most {}",
            if work == u64::MAX {
                "more than 2^64".to_string()
            } else {
                thousands(work)
            },
            thousands(MAX_SCRYPT_WORK)
        ));
    }
    Ok(())
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Read a PKCS#12 file with its password (the MAC is verified when present).
pub fn decode(data: &[u8], path: &str, password: &Password) -> Result<Keystore> {
    check_iterations(data, path, "a PKCS#12 file", MAX_ITERATIONS)?;
    let archive =
        Pkcs12Archive::from_pkcs12(data, password.expose()).map_err(|e| map_err(e, path))?;
    let mut ks = Keystore::new(path, Format::Pkcs12);
    ks.integrity = if has_mac(data) {
        Integrity::Verified
    } else {
        Integrity::None
    };

    let certs: Vec<CertDer> = archive
        .certs
        .iter()
        .map(|c| CertDer(c.cert.as_der().to_vec()))
        .collect();
    let mut used = vec![false; certs.len()];
    for bag in &archive.keys {
        let pkcs8 = SecretBytes::new(bag.key.as_der().to_vec());
        // The leaf: the certificate with the same localKeyID, else the one whose public key matches.
        let by_id = bag.local_key_id.as_ref().and_then(|id| {
            archive
                .certs
                .iter()
                .position(|c| c.local_key_id.as_deref() == Some(id.as_ref()))
        });
        let leaf = by_id.or_else(|| {
            certs.iter().enumerate().position(|(i, c)| {
                !used[i] && crate::x509::matches_key(&c.0, pkcs8.expose()).unwrap_or(false)
            })
        });
        let chain = match leaf {
            Some(i) => super::chain_from(i, &certs, &mut used),
            None => {
                ks.warnings
                    .push("a private key has no certificate in this file".into());
                Vec::new()
            }
        };
        ks.entries.push(Entry {
            alias: bag.friendly_name.clone().unwrap_or_default(),
            created_ms: None,
            kind: EntryKind::PrivateKey {
                key: KeyMaterial::Pkcs8(pkcs8),
                chain,
            },
        });
    }
    for (i, bag) in archive.certs.iter().enumerate() {
        if !used[i] {
            ks.entries.push(Entry {
                alias: bag.friendly_name.clone().unwrap_or_default(),
                created_ms: None,
                kind: EntryKind::TrustedCert(certs[i].clone()),
            });
        }
    }
    Ok(ks)
}

/// True when the PFX carries a MacData (the third element of the outer SEQUENCE).
pub fn has_mac(data: &[u8]) -> bool {
    use crate::der::read_tlv;
    let Some((outer, _)) = read_tlv(data) else {
        return false;
    };
    let Some((_version, rest)) = read_tlv(outer.content) else {
        return false;
    };
    let Some((_auth_safe, rest)) = read_tlv(rest) else {
        return false;
    };
    !rest.is_empty()
}

/// How a PKCS#12 file certkit writes is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum P12Protection {
    /// PBES2 / AES-256-CBC with HMAC-SHA256 (OpenSSL 3 and Java 17 defaults).
    Modern,
    /// pbeWithSHAAnd3-KeyTripleDES-CBC with HMAC-SHA1, for old Java and Windows.
    Legacy,
}

/// One entry as `p12-keystore` writes it.
fn p12_entry(e: &Entry) -> Result<KeyStoreEntry> {
    Ok(match &e.kind {
        EntryKind::PrivateKey {
            key: KeyMaterial::Pkcs8(k),
            chain,
        } => {
            let key = p12_keystore::PrivateKey::from_der(k.expose())
                .map_err(|_| Error::Invalid(format!("the key of \"{}\" is not PKCS#8", e.alias)))?;
            let certs = chain
                .iter()
                .map(|c| Certificate::from_der(&c.0))
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|err| Error::Invalid(format!("certificate of \"{}\": {err}", e.alias)))?;
            let local_key_id =
                crate::digest::sha1(chain.first().map(|c| c.0.as_slice()).unwrap_or(k.expose()));
            KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(local_key_id.to_vec(), key, certs))
        }
        EntryKind::PrivateKey { .. } => {
            return Err(Error::Invalid(format!(
                "the key of \"{}\" is still locked",
                e.alias
            )));
        }
        EntryKind::TrustedCert(c) => KeyStoreEntry::Certificate(
            Certificate::from_der(&c.0)
                .map_err(|err| Error::Invalid(format!("certificate \"{}\": {err}", e.alias)))?,
        ),
    })
}

/// Encode private-key entries (open keys) and trusted certificates as PKCS#12.
pub fn encode(
    entries: &[Entry],
    password: &Password,
    protection: P12Protection,
) -> Result<Vec<u8>> {
    // PKCS#12 writes the MAC password and the entry names as BMPString: UTF-16 without the
    // characters beyond U+FFFF (emoji, some CJK, math letters), which the writer refuses.
    let beyond_bmp = |t: &str| t.chars().any(|c| u32::from(c) > 0xFFFF);
    if beyond_bmp(password.expose()) {
        return Err(Error::unsupported(
            "the PKCS#12 output",
            "a password with characters beyond U+FFFF (such as emoji): PKCS#12 keeps passwords as BMPString; choose another password",
        ));
    }
    if let Some(e) = entries.iter().find(|e| beyond_bmp(&e.alias)) {
        return Err(Error::unsupported(
            "the PKCS#12 output",
            format!(
                "the alias \"{}\" has characters beyond U+FFFF (such as emoji): PKCS#12 keeps names as BMPString; rename it",
                e.alias
            ),
        )
        .hint(Hint::Setting(crate::setting::msg!(
            " with ",
            crate::setting::Setting::Alias.alone()
        ))));
    }
    let mut store = KeyStore::new();
    for e in entries {
        store.add_entry(&e.alias, p12_entry(e)?);
    }
    let writer = store.writer(password.expose());
    let writer = match protection {
        P12Protection::Modern => writer,
        P12Protection::Legacy => writer
            .encryption_algorithm(EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc)
            .encryption_iterations(2048)
            .mac_algorithm(MacAlgorithm::HmacSha1)
            .mac_iterations(2048),
    };
    writer
        .write()
        .map_err(|e| Error::Internal(format!("PKCS#12 encoding failed: {e}")))
}
