//! Private-key facts: algorithm and size (an RSA key read from its DER, others by the
//! [`crate::crypto`] backend), the public half. Below X.509: whether a key belongs to a
//! certificate is asked in the `x509` module.

pub use crate::crypto::KeyFacts;
use crate::crypto::{provider, rsa_pkcs1_inside, PublicKey};

/// The modulus and public exponent of a two-prime RSA key in PKCS#8 (big-endian, no leading
/// zeros), read from the DER without OpenSSL: `RSAPrivateKey ::= SEQUENCE { version 0, n, e,
/// d, p, q, dP, dQ, qInv }`, all nine INTEGERs present and nothing after them (the same
/// structure OpenSSL's decoder insists on). `None` for anything else (another algorithm, a
/// multi-prime key, damage), which the crypto backend then judges.
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
/// read from its DER ([`rsa_public_parts`]); other keys by the crypto backend.
pub fn facts(pkcs8: &[u8]) -> Option<KeyFacts> {
    if let Some((n, _)) = rsa_public_parts(pkcs8) {
        return Some(KeyFacts {
            algorithm: "RSA".into(),
            bits: bit_len(n),
        });
    }
    provider().key_facts(pkcs8)
}

/// Whether a key of these facts signs RS256 / RS512 and certificates (an RSA key, as
/// OpenSSL's `EVP_PKEY_get1_RSA` accepts it: rsaEncryption or RSASSA-PSS).
pub fn is_rsa(f: &KeyFacts) -> bool {
    matches!(f.algorithm.as_str(), "RSA" | "RSASSA-PSS")
}

/// The public half of a PKCS#8 key.
pub fn public_of(pkcs8: &[u8]) -> Option<PublicKey> {
    provider().public_key(pkcs8)
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // the tests read testdata/
mod der_path_tests {
    use super::*;
    use x509_parser::prelude::FromDer;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/../../testdata/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn rsa_parts_from_the_der_are_what_the_backend_reads() {
        for f in [
            "google-sample.key.der",
            "keytool-multi.beta.key.der",
            "keytool-unicode.unicode.key.der",
        ] {
            let der = fixture(f);
            let (n, e) = rsa_public_parts(&der).expect(f);
            let spki = public_of(&der).unwrap();
            let (_, parsed) = x509_parser::x509::SubjectPublicKeyInfo::from_der(&spki.0).unwrap();
            let Ok(x509_parser::public_key::PublicKey::RSA(k)) = parsed.parsed() else {
                panic!("{f}: not RSA");
            };
            assert_eq!(n, strip_zeros(k.modulus), "{f}");
            assert_eq!(e, strip_zeros(k.exponent), "{f}");
            let backend = provider().key_facts(&der).unwrap();
            assert_eq!(facts(&der).unwrap(), backend, "{f}");
        }
    }

    #[test]
    fn a_damaged_or_other_key_is_left_to_the_backend() {
        let der = fixture("google-sample.key.der");
        // Cut inside the RSAPrivateKey: the outer lengths no longer hold.
        assert!(rsa_public_parts(&der[..der.len() - 1]).is_none());
        // A non-RSA key (EC) has no RSA parts; the backend still names it.
        let ec = ::pem::parse(fixture("ec-key.key.pem")).unwrap();
        assert!(rsa_public_parts(ec.contents()).is_none());
        assert_eq!(facts(ec.contents()).unwrap().algorithm, "EC");
    }
}
