//! Private-key facts through OpenSSL: algorithm, size, PKCS#8 normalisation, and
//! whether a key belongs to a certificate. Also the digests certkit reports.

use openssl::pkey::{Id, PKey, Private, Public};
use openssl::x509::X509;

use crate::secret::SecretBytes;

/// What kind of key a PKCS#8 blob holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyFacts {
    /// "RSA", "EC", "Ed25519", "DSA"... as keytool names them.
    pub algorithm: String,
    /// Modulus size for RSA, curve size for EC.
    pub bits: u32,
}

/// The name keytool uses for an OpenSSL key type.
pub fn algorithm_name(id: Id) -> String {
    match id {
        Id::RSA => "RSA".into(),
        Id::RSA_PSS => "RSASSA-PSS".into(),
        Id::EC => "EC".into(),
        Id::DSA => "DSA".into(),
        Id::ED25519 => "Ed25519".into(),
        Id::ED448 => "Ed448".into(),
        other => format!("key type {}", other.as_raw()),
    }
}

/// Parse PKCS#8 DER into an OpenSSL key.
pub fn pkey_from_pkcs8(pkcs8: &[u8]) -> Option<PKey<Private>> {
    PKey::private_key_from_pkcs8(pkcs8).ok()
}

/// Algorithm and size of a PKCS#8 private key; `None` when OpenSSL cannot parse it.
pub fn facts(pkcs8: &[u8]) -> Option<KeyFacts> {
    let k = pkey_from_pkcs8(pkcs8)?;
    Some(KeyFacts {
        algorithm: algorithm_name(k.id()),
        bits: k.bits(),
    })
}

/// Algorithm and size of a certificate's public key.
pub fn cert_key_facts(cert_der: &[u8]) -> Option<KeyFacts> {
    let c = X509::from_der(cert_der).ok()?;
    let k = c.public_key().ok()?;
    Some(KeyFacts {
        algorithm: algorithm_name(k.id()),
        bits: k.bits(),
    })
}

/// The public half of a PKCS#8 key.
pub fn public_of(pkcs8: &[u8]) -> Option<PKey<Public>> {
    let k = pkey_from_pkcs8(pkcs8)?;
    let der = k.public_key_to_der().ok()?;
    PKey::public_key_from_der(&der).ok()
}

/// Whether the private key's public half is the certificate's public key.
/// `None` when either cannot be parsed.
pub fn matches_certificate(pkcs8: &[u8], cert_der: &[u8]) -> Option<bool> {
    let k = pkey_from_pkcs8(pkcs8)?;
    let c = X509::from_der(cert_der).ok()?;
    let cpk = c.public_key().ok()?;
    Some(k.public_eq(&cpk))
}

/// Re-encode any private key OpenSSL holds as unencrypted PKCS#8 DER.
pub fn to_pkcs8(k: &PKey<Private>) -> Option<SecretBytes> {
    k.private_key_to_pkcs8().ok().map(SecretBytes::new)
}

/// SHA-1 of bytes.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    openssl::sha::sha1(data)
}

/// SHA-256 of bytes.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    openssl::sha::sha256(data)
}

/// Upper-case colon-separated hex, as keytool prints fingerprints.
pub fn colon_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Lower-case hex without separators.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
