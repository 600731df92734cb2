//! The pure-Rust backend of [`Crypto`] (feature `rust-crypto`): RustCrypto's `rsa` 0.10
//! (constant-time arithmetic from crypto-bigint; 0.9 carries the Marvin timing advisory,
//! RUSTSEC-2023-0071), `pkcs8`/`pkcs5` for PBES2, `pkcs1`, `sec1`, `spki`, and for OpenSSL's
//! traditional encrypted PEM `md-5`, `aes`, `des` and `cbc`. The only module of the core that
//! names these crates' key types.
//!
//! What it does not do, where OpenSSL does: RSA signing and verification with a modulus under
//! 1024 or over 8192 bits (the `rsa` crate's bounds; the facts of such keys are still read),
//! multi-prime RSA signing, the public half of an EC private key that does not carry it (SEC1's
//! optional `publicKey`: deriving it needs curve arithmetic) or of an Ed25519/Ed448 private
//! key, EC curves other than P-224/256/384/521 and secp256k1, the facts of key types other
//! than RSA, RSASSA-PSS, EC, Ed25519, Ed448 and DSA, PBES1 and PKCS#12 PBE
//! (`pbeWithSHAAnd3-KeyTripleDES-CBC`) encrypted PKCS#8, and single-DES traditional PEM.

use aes::{Aes128, Aes192, Aes256};
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockCipherDecrypt, BlockModeDecrypt, KeyInit, KeyIvInit};
use md5::{Digest, Md5};
use pkcs8::der::asn1::AnyRef;
use pkcs8::der::{Decode, Encode};
use pkcs8::{EncryptedPrivateKeyInfoRef, ObjectIdentifier, PrivateKeyInfoRef};
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::EncodePrivateKey;
use rsa::{Pkcs1v15Sign, PrivateKey, PublicKey as RsaPublic};
use sha2::{Sha256, Sha512};
use spki::SubjectPublicKeyInfoRef;
use zeroize::Zeroizing;

use super::{Crypto, Hash, KeyFacts, PublicKey, Traditional};
use crate::der::{read_tlv, write_tlv};
use crate::error::{Error, Result};
use crate::secret::SecretBytes;

/// Crypto in Rust only (RustCrypto): no C library.
#[derive(Clone, Copy, Debug, Default)]
pub struct RustCrypto;

const RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");
const DSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10040.4.1");

/// OpenSSL 3's `PKCS5_DEFAULT_ITER` and salt length (`openssl pkcs8 -topk8 -v2 aes-256-cbc`).
const PBKDF2_ITERATIONS: u32 = 2048;
const PBKDF2_SALT_LEN: usize = 8;

/// OpenSSL's bound on scrypt's memory (`SCRYPT_MAX_MEM`, 32 MiB, `EVP_PBE_scrypt`): above it
/// OpenSSL refuses to derive the key, and so does this backend, instead of allocating it (the
/// caller bounds N × r × p, which still allows 512 MiB).
const SCRYPT_MAX_MEM: u128 = 32 * 1024 * 1024;

/// Whether scrypt with these parameters stays within [`SCRYPT_MAX_MEM`] as OpenSSL counts its
/// memory: 128·r·p bytes for B and 128·r·(N + 2) for V.
fn scrypt_memory_ok(n: u64, r: u16, p: u16) -> bool {
    let (n, r, p) = (u128::from(n), u128::from(r), u128::from(p));
    128 * r * p + 128 * r * (n + 2) <= SCRYPT_MAX_MEM
}

/// Whether an encrypted key's KDF, if scrypt, stays within OpenSSL's memory bound.
fn kdf_memory_ok(info: &EncryptedPrivateKeyInfoRef<'_>) -> bool {
    use pkcs8::pkcs5::{pbes2::Kdf, EncryptionScheme};
    match &info.encryption_algorithm {
        EncryptionScheme::Pbes2(params) => match &params.kdf {
            Kdf::Scrypt(s) => scrypt_memory_ok(s.cost_parameter, s.block_size, s.parallelization),
            _ => true,
        },
        _ => true,
    }
}

/// The size OpenSSL gives a curve (`EVP_PKEY_bits`), by its OID.
fn curve_bits(curve: ObjectIdentifier) -> Option<u32> {
    Some(match curve.to_string().as_str() {
        "1.3.132.0.33" => 224,
        "1.2.840.10045.3.1.7" | "1.3.132.0.10" => 256,
        "1.3.132.0.34" => 384,
        "1.3.132.0.35" => 521,
        _ => return None,
    })
}

/// The bit length of a big-endian unsigned integer (an ASN.1 INTEGER's content).
fn uint_bits(be: &[u8]) -> u32 {
    let be = &be[be.iter().take_while(|&&b| b == 0).count()..];
    match be.first() {
        Some(first) => (be.len() as u32 - 1) * 8 + (8 - first.leading_zeros()),
        None => 0,
    }
}

/// The modulus size of a PKCS#1 `RSAPublicKey` (no bounds on it, unlike the `rsa` crate).
fn rsa_public_bits(pkcs1: &[u8]) -> Option<u32> {
    let key = pkcs1::RsaPublicKeyRef::from_der(pkcs1).ok()?;
    Some(uint_bits(key.modulus.as_bytes()))
}

/// DSA's size: its prime `p`, the first INTEGER of the parameters.
fn dsa_bits(params: Option<AnyRef<'_>>) -> Option<u32> {
    let (p, _) = read_tlv(params?.value())?;
    (p.tag == 0x02).then(|| uint_bits(p.content))
}

fn named(algorithm: &str, bits: u32) -> Option<KeyFacts> {
    Some(KeyFacts {
        algorithm: algorithm.into(),
        bits,
    })
}

/// Facts of a key of algorithm `oid`; `rsa_bits` reads an RSA key's size, `ec_ok` says
/// whether an EC key's body parses.
fn facts(
    oid: ObjectIdentifier,
    params: Option<AnyRef<'_>>,
    rsa_bits: impl FnOnce() -> Option<u32>,
    ec_ok: impl FnOnce() -> bool,
) -> Option<KeyFacts> {
    match oid {
        RSA => named("RSA", rsa_bits()?),
        RSA_PSS => named("RSASSA-PSS", rsa_bits()?),
        EC => {
            let curve = params?.decode_as::<ObjectIdentifier>().ok()?;
            ec_ok().then_some(())?;
            named("EC", curve_bits(curve)?)
        }
        ED25519 => named("Ed25519", 253),
        ED448 => named("Ed448", 456),
        DSA => named("DSA", dsa_bits(params)?),
        _ => None,
    }
}

/// An RSA private key (rsaEncryption) in PKCS#8.
fn rsa_private(pkcs8: &[u8]) -> Option<PrivateKey> {
    let info = PrivateKeyInfoRef::from_der(pkcs8).ok()?;
    if info.algorithm.oid != RSA {
        return None;
    }
    PrivateKey::from_pkcs1_der(info.private_key.as_bytes()).ok()
}

/// A PKCS#8 `PrivateKeyInfo` (version 0) of `algorithm` (its DER, OID and parameters).
fn pkcs8_of(algorithm: &[u8], key: &[u8]) -> SecretBytes {
    let mut body = Zeroizing::new(vec![0x02, 0x01, 0x00]);
    write_tlv(&mut body, 0x30, algorithm);
    write_tlv(&mut body, 0x04, key);
    let mut out = Vec::with_capacity(body.len() + 4);
    write_tlv(&mut out, 0x30, &body);
    SecretBytes::new(out)
}

/// An AlgorithmIdentifier's content: the OID and its parameters.
fn algorithm_id(oid: ObjectIdentifier, params: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    write_tlv(&mut out, 0x06, oid.as_bytes());
    out.extend_from_slice(params);
    out
}

/// A SEC1 `ECPrivateKey` as PKCS#8, as OpenSSL writes it: the curve moves to the
/// AlgorithmIdentifier, the public key stays inside.
fn ec_pkcs8(sec1: &[u8]) -> Option<SecretBytes> {
    let key = sec1::EcPrivateKey::from_der(sec1).ok()?;
    let curve = key.parameters?.named_curve()?;
    curve_bits(curve)?;
    let inner = sec1::EcPrivateKey {
        parameters: None,
        ..key
    };
    let inner = Zeroizing::new(inner.to_der().ok()?);
    let mut curve_der = Vec::new();
    write_tlv(&mut curve_der, 0x06, curve.as_bytes());
    Some(pkcs8_of(&algorithm_id(EC, &curve_der), &inner))
}

/// `SubjectPublicKeyInfo` DER of `algorithm` (as the private key names it) and its key bits.
fn spki_of(algorithm: &spki::AlgorithmIdentifierRef<'_>, bits: &[u8]) -> Option<PublicKey> {
    let spki = SubjectPublicKeyInfoRef {
        algorithm: *algorithm,
        subject_public_key: spki::der::asn1::BitStringRef::from_bytes(bits).ok()?,
    };
    spki.to_der().ok().map(PublicKey)
}

/// OpenSSL's `EVP_BytesToKey` with MD5 and one iteration: the key of a traditional PEM.
fn bytes_to_key(password: &[u8], salt: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(len + 16));
    let mut previous: Option<Zeroizing<Vec<u8>>> = None;
    while out.len() < len {
        let mut md5 = Md5::new();
        if let Some(p) = &previous {
            md5.update(p.as_slice());
        }
        md5.update(password);
        md5.update(salt);
        let block = Zeroizing::new(md5.finalize().to_vec());
        out.extend_from_slice(&block);
        previous = Some(block);
    }
    out.truncate(len);
    out
}

fn cbc_decrypt<C>(key: &[u8], iv: &[u8], data: &[u8]) -> Option<Zeroizing<Vec<u8>>>
where
    C: BlockCipherDecrypt + KeyInit,
{
    let mut buf = Zeroizing::new(data.to_vec());
    let decryptor = cbc::Decryptor::<C>::new_from_slices(key, iv).ok()?;
    let len = decryptor.decrypt_padded::<Pkcs7>(&mut buf).ok()?.len();
    buf.truncate(len);
    Some(buf)
}

/// Decrypt a traditional PEM body with its `DEK-Info` cipher and IV (hex).
fn decrypt_dek(dek_info: &str, password: &[u8], body: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let (cipher, iv_hex) = dek_info.split_once(',')?;
    let iv = hex_decode(iv_hex.trim())?;
    let salt = iv.get(..8)?;
    match cipher.trim() {
        "AES-128-CBC" => cbc_decrypt::<Aes128>(&bytes_to_key(password, salt, 16), &iv, body),
        "AES-192-CBC" => cbc_decrypt::<Aes192>(&bytes_to_key(password, salt, 24), &iv, body),
        "AES-256-CBC" => cbc_decrypt::<Aes256>(&bytes_to_key(password, salt, 32), &iv, body),
        "DES-EDE3-CBC" => {
            cbc_decrypt::<des::TdesEde3>(&bytes_to_key(password, salt, 24), &iv, body)
        }
        _ => None,
    }
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// The PKCS#1 v1.5 scheme and the digest of `data`.
fn scheme_and_digest(hash: Hash, data: &[u8]) -> (Pkcs1v15Sign, Vec<u8>) {
    match hash {
        Hash::Sha256 => (Pkcs1v15Sign::new::<Sha256>(), Sha256::digest(data).to_vec()),
        Hash::Sha512 => (Pkcs1v15Sign::new::<Sha512>(), Sha512::digest(data).to_vec()),
    }
}

impl Crypto for RustCrypto {
    fn name(&self) -> &'static str {
        "rust-crypto"
    }

    fn generate_rsa(&self, bits: u32) -> Result<SecretBytes> {
        let key = PrivateKey::new(&mut getrandom::SysRng, bits as usize)
            .map_err(|e| Error::Internal(format!("RSA key generation failed: {e}")))?;
        let der = key
            .to_pkcs8_der()
            .map_err(|e| Error::Internal(format!("PKCS#8 encoding failed: {e}")))?;
        Ok(SecretBytes::new(der.as_bytes().to_vec()))
    }

    fn sign(&self, pkcs8: &[u8], hash: Hash, data: &[u8]) -> Result<Vec<u8>> {
        let key = rsa_private(pkcs8)
            .ok_or_else(|| Error::Internal("the key does not parse as RSA".into()))?;
        let (scheme, digest) = scheme_and_digest(hash, data);
        key.sign(scheme, &digest)
            .map_err(|e| Error::Internal(format!("sign: {e}")))
    }

    fn verify(
        &self,
        public: &PublicKey,
        hash: Hash,
        data: &[u8],
        signature: &[u8],
    ) -> Result<bool> {
        let spki = SubjectPublicKeyInfoRef::from_der(&public.0)
            .map_err(|e| Error::Internal(format!("verifier: {e}")))?;
        if spki.algorithm.oid != RSA {
            // As OpenSSL answers: no PKCS#1 v1.5 signature verifies under another key.
            return Ok(false);
        }
        let key = RsaPublic::from_pkcs1_der(spki.subject_public_key.raw_bytes())
            .map_err(|e| Error::Internal(format!("verifier: {e}")))?;
        let (scheme, digest) = scheme_and_digest(hash, data);
        Ok(key.verify(scheme, &digest, signature).is_ok())
    }

    fn public_key(&self, pkcs8: &[u8]) -> Option<PublicKey> {
        let info = PrivateKeyInfoRef::from_der(pkcs8).ok()?;
        let body = info.private_key.as_bytes();
        match info.algorithm.oid {
            RSA | RSA_PSS => {
                let key = pkcs1::RsaPrivateKeyRef::from_der(body).ok()?;
                let public = pkcs1::RsaPublicKeyRef {
                    modulus: key.modulus,
                    public_exponent: key.public_exponent,
                };
                spki_of(&info.algorithm, &public.to_der().ok()?)
            }
            EC => spki_of(
                &info.algorithm,
                sec1::EcPrivateKey::from_der(body).ok()?.public_key?,
            ),
            _ => spki_of(&info.algorithm, info.public_key?.as_bytes()?),
        }
    }

    fn key_facts(&self, pkcs8: &[u8]) -> Option<KeyFacts> {
        let info = PrivateKeyInfoRef::from_der(pkcs8).ok()?;
        let body = info.private_key.as_bytes();
        let rsa_bits = || {
            let key = pkcs1::RsaPrivateKeyRef::from_der(body).ok()?;
            Some(uint_bits(key.modulus.as_bytes()))
        };
        let ec_ok = || sec1::EcPrivateKey::from_der(body).is_ok();
        facts(
            info.algorithm.oid,
            info.algorithm.parameters,
            rsa_bits,
            ec_ok,
        )
    }

    fn public_key_facts(&self, public: &PublicKey) -> Option<KeyFacts> {
        let spki = SubjectPublicKeyInfoRef::from_der(&public.0).ok()?;
        let bits = spki.subject_public_key.as_bytes()?;
        let rsa_bits = || rsa_public_bits(bits);
        facts(
            spki.algorithm.oid,
            spki.algorithm.parameters,
            rsa_bits,
            || true,
        )
    }

    fn public_eq(&self, a: &PublicKey, b: &PublicKey) -> bool {
        let (Ok(a), Ok(b)) = (
            SubjectPublicKeyInfoRef::from_der(&a.0),
            SubjectPublicKeyInfoRef::from_der(&b.0),
        ) else {
            return false;
        };
        if a.algorithm.oid != b.algorithm.oid {
            return false;
        }
        let (ka, kb) = (
            a.subject_public_key.raw_bytes(),
            b.subject_public_key.raw_bytes(),
        );
        match a.algorithm.oid {
            // The same modulus and exponent, however the INTEGERs were written.
            RSA | RSA_PSS => match (
                pkcs1::RsaPublicKeyRef::from_der(ka),
                pkcs1::RsaPublicKeyRef::from_der(kb),
            ) {
                (Ok(x), Ok(y)) => x == y,
                _ => false,
            },
            _ => a.algorithm.parameters == b.algorithm.parameters && ka == kb,
        }
    }

    fn pkcs8_of_traditional(&self, kind: Traditional, der: &[u8]) -> Option<SecretBytes> {
        match kind {
            Traditional::Rsa => {
                // A well-formed RSAPrivateKey, wrapped as it is (OpenSSL re-writes the same DER).
                pkcs1::RsaPrivateKeyRef::from_der(der).ok()?;
                Some(pkcs8_of(&algorithm_id(RSA, &[0x05, 0x00]), der))
            }
            Traditional::Ec => ec_pkcs8(der),
        }
    }

    fn decrypt_pkcs8(&self, der: &[u8], password: &[u8]) -> Option<SecretBytes> {
        let info = EncryptedPrivateKeyInfoRef::from_der(der).ok()?;
        if !kdf_memory_ok(&info) {
            return None;
        }
        let plain = info.decrypt(password).ok()?;
        let plain = SecretBytes::new(plain.as_bytes().to_vec());
        self.key_facts(plain.expose())?;
        Some(plain)
    }

    fn decrypt_traditional_pem(&self, text: &[u8], password: &[u8]) -> Option<SecretBytes> {
        let block = ::pem::parse(text).ok()?;
        let kind = match block.tag() {
            "RSA PRIVATE KEY" => Traditional::Rsa,
            "EC PRIVATE KEY" => Traditional::Ec,
            _ => return None,
        };
        let headers = block.headers();
        if headers.get("Proc-Type").map(str::trim) != Some("4,ENCRYPTED") {
            return None;
        }
        let plain = decrypt_dek(headers.get("DEK-Info")?, password, block.contents())?;
        self.pkcs8_of_traditional(kind, &plain)
    }

    fn encrypt_pkcs8(&self, pkcs8: &[u8], password: &[u8]) -> Result<Vec<u8>> {
        let not_a_key = || Error::Internal("the key does not parse".into());
        self.key_facts(pkcs8).ok_or_else(not_a_key)?;
        let info = PrivateKeyInfoRef::from_der(pkcs8).map_err(|_| not_a_key())?;
        let mut salt = [0u8; PBKDF2_SALT_LEN];
        let mut iv = [0u8; 16];
        crate::secret::random_bytes(&mut salt)?;
        crate::secret::random_bytes(&mut iv)?;
        let failed = |e: pkcs8::Error| Error::Internal(format!("key encryption failed: {e}"));
        let params = pkcs8::pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(
            PBKDF2_ITERATIONS,
            &salt,
            iv,
        )
        .map_err(|e| failed(e.into()))?;
        let doc = info.encrypt_with_params(params, password).map_err(failed)?;
        Ok(doc.as_bytes().to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrypt_memory_is_bounded_where_openssl_bounds_it() {
        // OpenSSL writes N 16384, r 15 (31.5 MiB) and refuses r 16 (32 MiB + 4 KiB).
        assert!(scrypt_memory_ok(16384, 8, 1));
        assert!(scrypt_memory_ok(16384, 15, 1));
        assert!(!scrypt_memory_ok(16384, 16, 1));
        assert!(!scrypt_memory_ok(1 << 20, 4, 1));
        assert!(!scrypt_memory_ok(u64::MAX, u16::MAX, u16::MAX));
    }
}
