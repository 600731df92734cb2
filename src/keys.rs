//! Private-key facts through OpenSSL: algorithm, size, PKCS#8 normalisation, the public half.
//! Below X.509: whether a key belongs to a certificate is asked in the `x509` module.

use openssl::pkey::{Id, PKey, Private, Public};

use crate::secret::SecretBytes;

/// What kind of key a PKCS#8 blob holds.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
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
    use crate::der::read_tlv;
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

/// The public half of a PKCS#8 key.
pub fn public_of(pkcs8: &[u8]) -> Option<PKey<Public>> {
    let k = pkey_from_pkcs8(pkcs8)?;
    let der = k.public_key_to_der().ok()?;
    PKey::public_key_from_der(&der).ok()
}

/// Re-encode any private key OpenSSL holds as unencrypted PKCS#8 DER.
pub fn to_pkcs8(k: &PKey<Private>) -> Option<SecretBytes> {
    k.private_key_to_pkcs8().ok().map(SecretBytes::new)
}
