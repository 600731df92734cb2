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
///
/// RSA keys (the common case) take OpenSSL's direct PKCS#1 path: OpenSSL 3's generic
/// decoder framework (`d2i_PKCS8_PRIV_KEY_INFO` + `EVP_PKCS82PKEY`) costs about a
/// millisecond per call, more than the rest of a conversion.
pub fn pkey_from_pkcs8(pkcs8: &[u8]) -> Option<PKey<Private>> {
    if let Some(pkcs1) = rsa_pkcs1_inside(pkcs8) {
        if let Ok(rsa) = openssl::rsa::Rsa::private_key_from_der(pkcs1) {
            return PKey::from_rsa(rsa).ok();
        }
    }
    PKey::private_key_from_pkcs8(pkcs8).ok()
}

/// The PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo whose algorithm is rsaEncryption.
fn rsa_pkcs1_inside(pkcs8: &[u8]) -> Option<&[u8]> {
    use crate::formats::der::read_tlv;
    const RSA_ENCRYPTION: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    let (seq, rest) = read_tlv(pkcs8)?;
    if seq.tag != 0x30 || !rest.is_empty() {
        return None;
    }
    let (version, rest) = read_tlv(seq.content)?;
    let (alg, rest) = read_tlv(rest)?;
    let (key, _attributes) = read_tlv(rest)?;
    let (oid, _) = read_tlv(alg.content)?;
    (version.tag == 0x02 && oid.tag == 0x06 && oid.content == RSA_ENCRYPTION && key.tag == 0x04)
        .then_some(key.content)
}

/// Algorithm and size of a PKCS#8 private key; `None` when OpenSSL cannot parse it.
pub fn facts(pkcs8: &[u8]) -> Option<KeyFacts> {
    let k = pkey_from_pkcs8(pkcs8)?;
    Some(KeyFacts {
        algorithm: algorithm_name(k.id()),
        bits: k.bits(),
    })
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let skip = b.iter().take_while(|&&x| x == 0).count();
    &b[skip..]
}

/// The RSA modulus and exponent of a certificate (big-endian, no leading zeros), read with
/// x509-parser: no OpenSSL decoder runs. `None` for a non-RSA key or a certificate that does not parse.
pub fn cert_rsa_components(cert_der: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    use x509_parser::public_key::PublicKey;
    let c = crate::x509::parse(cert_der)?;
    match c.public_key().parsed().ok()? {
        PublicKey::RSA(k) => Some((
            strip_zeros(k.modulus).to_vec(),
            strip_zeros(k.exponent).to_vec(),
        )),
        _ => None,
    }
}

fn bit_len(n: &[u8]) -> u32 {
    match n.first() {
        Some(&top) => (n.len() as u32 - 1) * 8 + (8 - top.leading_zeros()),
        None => 0,
    }
}

/// Algorithm and size of a certificate's public key.
pub fn cert_key_facts(cert_der: &[u8]) -> Option<KeyFacts> {
    if let Some((n, _)) = cert_rsa_components(cert_der) {
        return Some(KeyFacts {
            algorithm: "RSA".into(),
            bits: bit_len(&n),
        });
    }
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
    if let Ok(rsa) = k.rsa() {
        crate::x509::parse(cert_der)?;
        return Some(match cert_rsa_components(cert_der) {
            Some((n, e)) => {
                strip_zeros(&rsa.n().to_vec()) == n && strip_zeros(&rsa.e().to_vec()) == e
            }
            None => false,
        });
    }
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
