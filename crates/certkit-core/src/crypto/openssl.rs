//! The OpenSSL backend of [`Crypto`] (the default): the only module of the core that names an
//! OpenSSL type. Keys come in and go out as DER; each call parses what it needs.

use ::openssl::hash::MessageDigest;
use ::openssl::pkey::{Id, PKey, Private, Public};
use ::openssl::rsa::Rsa;
use ::openssl::sign::{Signer, Verifier};

use super::{rsa_pkcs1_inside, Crypto, Hash, KeyFacts, PublicKey, Traditional};
use crate::error::{Error, Result};
use crate::secret::SecretBytes;

/// Crypto through the system's OpenSSL (or a vendored one, feature `vendored`).
#[derive(Clone, Copy, Debug, Default)]
pub struct OpenSsl;

/// The name keytool uses for an OpenSSL key type.
fn algorithm_name(id: Id) -> String {
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
fn pkey_from_pkcs8(pkcs8: &[u8]) -> Option<PKey<Private>> {
    if let Some(pkcs1) = rsa_pkcs1_inside(pkcs8) {
        if let Ok(rsa) = Rsa::private_key_from_der(pkcs1) {
            return PKey::from_rsa(rsa).ok();
        }
    }
    PKey::private_key_from_pkcs8(pkcs8).ok()
}

/// Re-encode any private key OpenSSL holds as unencrypted PKCS#8 DER.
fn to_pkcs8(k: &PKey<Private>) -> Option<SecretBytes> {
    k.private_key_to_pkcs8().ok().map(SecretBytes::new)
}

fn public_from_der(public: &PublicKey) -> Option<PKey<Public>> {
    PKey::public_key_from_der(&public.0).ok()
}

fn digest(hash: Hash) -> MessageDigest {
    match hash {
        Hash::Sha256 => MessageDigest::sha256(),
        Hash::Sha512 => MessageDigest::sha512(),
    }
}

fn facts_of<T: ::openssl::pkey::HasPublic>(k: &PKey<T>) -> KeyFacts {
    KeyFacts {
        algorithm: algorithm_name(k.id()),
        bits: k.bits(),
    }
}

impl Crypto for OpenSsl {
    fn name(&self) -> &'static str {
        "openssl"
    }

    fn generate_rsa(&self, bits: u32) -> Result<SecretBytes> {
        let rsa = Rsa::generate(bits)
            .map_err(|e| Error::Internal(format!("RSA key generation failed: {e}")))?;
        let k = PKey::from_rsa(rsa).map_err(|e| Error::Internal(format!("RSA key: {e}")))?;
        to_pkcs8(&k).ok_or_else(|| Error::Internal("PKCS#8 encoding failed".into()))
    }

    fn sign(&self, pkcs8: &[u8], hash: Hash, data: &[u8]) -> Result<Vec<u8>> {
        let key = pkey_from_pkcs8(pkcs8)
            .ok_or_else(|| Error::Internal("the key does not parse".into()))?;
        let mut s =
            Signer::new(digest(hash), &key).map_err(|e| Error::Internal(format!("signer: {e}")))?;
        s.update(data)
            .map_err(|e| Error::Internal(format!("sign: {e}")))?;
        s.sign_to_vec()
            .map_err(|e| Error::Internal(format!("sign: {e}")))
    }

    fn verify(
        &self,
        public: &PublicKey,
        hash: Hash,
        data: &[u8],
        signature: &[u8],
    ) -> Result<bool> {
        let key = PKey::public_key_from_der(&public.0)
            .map_err(|e| Error::Internal(format!("verifier: {e}")))?;
        let mut v = Verifier::new(digest(hash), &key)
            .map_err(|e| Error::Internal(format!("verifier: {e}")))?;
        v.update(data)
            .map_err(|e| Error::Internal(format!("verify: {e}")))?;
        Ok(v.verify(signature).unwrap_or(false))
    }

    fn public_key(&self, pkcs8: &[u8]) -> Option<PublicKey> {
        let k = pkey_from_pkcs8(pkcs8)?;
        k.public_key_to_der().ok().map(PublicKey)
    }

    fn key_facts(&self, pkcs8: &[u8]) -> Option<KeyFacts> {
        pkey_from_pkcs8(pkcs8).map(|k| facts_of(&k))
    }

    fn public_key_facts(&self, public: &PublicKey) -> Option<KeyFacts> {
        public_from_der(public).map(|k| facts_of(&k))
    }

    fn public_eq(&self, a: &PublicKey, b: &PublicKey) -> bool {
        match (public_from_der(a), public_from_der(b)) {
            (Some(a), Some(b)) => a.public_eq(&b),
            _ => false,
        }
    }

    fn pkcs8_of_traditional(&self, kind: Traditional, der: &[u8]) -> Option<SecretBytes> {
        let k = match kind {
            Traditional::Rsa => PKey::from_rsa(Rsa::private_key_from_der(der).ok()?),
            Traditional::Ec => {
                PKey::from_ec_key(::openssl::ec::EcKey::private_key_from_der(der).ok()?)
            }
        };
        to_pkcs8(&k.ok()?)
    }

    fn decrypt_pkcs8(&self, der: &[u8], password: &[u8]) -> Option<SecretBytes> {
        let k = PKey::private_key_from_pkcs8_passphrase(der, password).ok()?;
        to_pkcs8(&k)
    }

    fn decrypt_traditional_pem(&self, text: &[u8], password: &[u8]) -> Option<SecretBytes> {
        let k = PKey::private_key_from_pem_passphrase(text, password).ok()?;
        to_pkcs8(&k)
    }

    fn encrypt_pkcs8(&self, pkcs8: &[u8], password: &[u8]) -> Result<Vec<u8>> {
        let k = pkey_from_pkcs8(pkcs8)
            .ok_or_else(|| Error::Internal("the key does not parse".into()))?;
        k.private_key_to_pkcs8_passphrase(::openssl::symm::Cipher::aes_256_cbc(), password)
            .map_err(|e| Error::Internal(format!("key encryption failed: {e}")))
    }
}
