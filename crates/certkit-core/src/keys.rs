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

/// The modulus and public exponent of a two-prime RSA key in PKCS#8 (big-endian, no leading
/// zeros), read from the DER without OpenSSL: `RSAPrivateKey ::= SEQUENCE { version 0, n, e,
/// d, p, q, dP, dQ, qInv }`, all nine INTEGERs present and nothing after them (the same
/// structure OpenSSL's decoder insists on). `None` for anything else (another algorithm, a
/// multi-prime key, damage), which the OpenSSL path then judges.
pub fn rsa_public_parts(pkcs8: &[u8]) -> Option<(&[u8], &[u8])> {
    use crate::der::read_tlv;
    let (seq, rest) = read_tlv(rsa_pkcs1_inside(pkcs8)?)?;
    if seq.tag != 0x30 || !rest.is_empty() {
        return None;
    }
    let mut ints = Vec::with_capacity(9);
    let mut data = seq.content;
    while let Some((t, rest)) = read_tlv(data) {
        // A DER INTEGER is never empty; these are non-negative.
        if t.tag != 0x02 || t.content.is_empty() || t.content[0] & 0x80 != 0 {
            return None;
        }
        ints.push(t.content);
        data = rest;
    }
    if !data.is_empty() || ints.len() != 9 || ints[0] != [0] {
        return None;
    }
    let (n, e) = (strip_zeros(ints[1]), strip_zeros(ints[2]));
    (!n.is_empty() && !e.is_empty()).then_some((n, e))
}

/// Big-endian bytes without their leading zeros.
pub fn strip_zeros(b: &[u8]) -> &[u8] {
    let skip = b.iter().take_while(|&&x| x == 0).count();
    &b[skip..]
}

/// The number of bits of a big-endian unsigned number without leading zeros.
pub fn bit_len(n: &[u8]) -> u32 {
    match n.first() {
        Some(&top) => (n.len() as u32 - 1) * 8 + (8 - top.leading_zeros()),
        None => 0,
    }
}

/// Algorithm and size of a PKCS#8 private key; `None` when it does not parse. An RSA key is
/// read from its DER ([`rsa_public_parts`]); other keys through OpenSSL.
pub fn facts(pkcs8: &[u8]) -> Option<KeyFacts> {
    if let Some((n, _)) = rsa_public_parts(pkcs8) {
        return Some(KeyFacts {
            algorithm: "RSA".into(),
            bits: bit_len(n),
        });
    }
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

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // the tests read testdata/
mod der_path_tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/../../testdata/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn rsa_parts_from_the_der_are_what_openssl_reads() {
        for f in [
            "google-sample.key.der",
            "keytool-multi.beta.key.der",
            "keytool-unicode.unicode.key.der",
        ] {
            let der = fixture(f);
            let (n, e) = rsa_public_parts(&der).expect(f);
            let k = PKey::private_key_from_pkcs8(&der).unwrap();
            let rsa = k.rsa().unwrap();
            assert_eq!(n, rsa.n().to_vec().as_slice(), "{f}");
            assert_eq!(e, rsa.e().to_vec().as_slice(), "{f}");
            assert_eq!(facts(&der).unwrap().bits, k.bits(), "{f}");
        }
    }

    #[test]
    fn a_damaged_or_other_key_is_left_to_openssl() {
        let der = fixture("google-sample.key.der");
        // Cut inside the RSAPrivateKey: the outer lengths no longer hold.
        assert!(rsa_public_parts(&der[..der.len() - 1]).is_none());
        // A non-RSA key (EC) has no RSA parts; OpenSSL still names it.
        let ec = ::pem::parse(fixture("ec-key.key.pem")).unwrap();
        assert!(rsa_public_parts(ec.contents()).is_none());
        assert_eq!(facts(ec.contents()).unwrap().algorithm, "EC");
    }
}
