//! The one crypto interface of the core, and the backend behind it (rustls's
//! `CryptoProvider` is the model).
//!
//! Every private-key and signature operation of the core goes through [`Crypto`]: RSA key
//! generation, PKCS#1 v1.5 signing and verification with SHA-256 / SHA-512, reading a key
//! (its facts, its public half), the traditional PKCS#1 / SEC1 forms made PKCS#8, encrypted
//! PKCS#8 (PBES2) and OpenSSL's traditional encrypted PEM. Its methods take and return DER
//! bytes and the core's own types only: a private key is unencrypted PKCS#8 in a
//! [`SecretBytes`], a public key is a `SubjectPublicKeyInfo` in a [`PublicKey`]; no backend
//! type appears outside the backend's own module. rcgen signs certificates through
//! [`RcgenSigner`], rcgen's `SigningKey` implemented here over [`Crypto::sign`] and
//! [`Crypto::public_key`], so `certgen` has no backend code.
//!
//! What needs only DER stays outside the trait and runs no backend at all: an RSA key's
//! modulus and exponent read from its PKCS#8 (`keys::rsa_public_parts`), a certificate's
//! public key and its RSA parts read with x509-parser (`x509`). The commands that only read
//! and re-encode never start the backend (a test watches that OpenSSL is not initialised).
//!
//! The backend is chosen when the crate is built, by cargo features, and [`provider`]
//! returns it: `openssl` (the default) gives `openssl::OpenSsl`; `rust-crypto` without
//! `openssl` gives `rust::RustCrypto` (pure Rust, RustCrypto's crates). Both can be built
//! at once: [`backends`] lists every backend compiled in, and the trait's tests
//! (`crates/certkit-core/tests/crypto.rs`), written against `&dyn Crypto`, run on each of
//! them and compare their answers.

#[cfg(feature = "openssl")]
pub mod openssl;
#[cfg(feature = "rust-crypto")]
pub mod rust;

#[cfg(not(any(feature = "openssl", feature = "rust-crypto")))]
compile_error!(
    "certkit-core needs a crypto backend: build it with the feature `openssl` or `rust-crypto`"
);

use rcgen::{PublicKeyData, SignatureAlgorithm, SigningKey};

use crate::der::read_tlv;
use crate::error::Result;
use crate::secret::SecretBytes;

#[cfg(feature = "openssl")]
static OPENSSL: openssl::OpenSsl = openssl::OpenSsl;
#[cfg(feature = "rust-crypto")]
static RUST_CRYPTO: rust::RustCrypto = rust::RustCrypto;

/// The crypto backend this build uses: OpenSSL when the feature `openssl` is on, else the
/// pure-Rust one.
pub fn provider() -> &'static dyn Crypto {
    #[cfg(feature = "openssl")]
    {
        &OPENSSL
    }
    #[cfg(all(feature = "rust-crypto", not(feature = "openssl")))]
    {
        &RUST_CRYPTO
    }
    #[cfg(not(any(feature = "openssl", feature = "rust-crypto")))]
    unreachable!("no crypto backend (see the compile_error above)")
}

/// Every backend compiled into this build, [`provider`]'s first (for tests and benchmarks
/// that compare them).
pub fn backends() -> Vec<&'static dyn Crypto> {
    #[allow(unused_mut)] // one backend only: nothing pushed
    let mut all: Vec<&'static dyn Crypto> = vec![provider()];
    #[cfg(all(feature = "openssl", feature = "rust-crypto"))]
    all.push(&RUST_CRYPTO);
    all
}

/// The digest of a PKCS#1 v1.5 signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hash {
    /// SHA-256 (RS256, SHA256withRSA).
    Sha256,
    /// SHA-512 (RS512).
    Sha512,
}

/// A public key: its `SubjectPublicKeyInfo` DER, as a certificate holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey(pub Vec<u8>);

/// What kind of key a PKCS#8 blob (or a public key) holds.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct KeyFacts {
    /// "RSA", "EC", "Ed25519", "DSA"... as keytool names them.
    pub algorithm: String,
    /// Modulus size for RSA, curve size for EC.
    pub bits: u32,
}

/// A traditional (pre-PKCS#8) private key encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Traditional {
    /// PKCS#1 `RSAPrivateKey` (`BEGIN RSA PRIVATE KEY`).
    Rsa,
    /// SEC1 `ECPrivateKey` (`BEGIN EC PRIVATE KEY`).
    Ec,
}

/// The crypto operations of the core, over DER. A private key is unencrypted PKCS#8 DER.
pub trait Crypto: Send + Sync {
    /// The backend's name, for tests and diagnostics.
    fn name(&self) -> &'static str;
    /// A new RSA key of `bits` bits, as PKCS#8.
    fn generate_rsa(&self, bits: u32) -> Result<SecretBytes>;
    /// An RSASSA-PKCS1-v1_5 signature of `data` with the key.
    fn sign(&self, pkcs8: &[u8], hash: Hash, data: &[u8]) -> Result<Vec<u8>>;
    /// Whether `signature` is the RSASSA-PKCS1-v1_5 signature of `data` by `public`: `false`
    /// for a signature that does not verify, an error when the key cannot verify at all.
    fn verify(&self, public: &PublicKey, hash: Hash, data: &[u8], signature: &[u8])
        -> Result<bool>;
    /// The public half of a private key; `None` when the key does not parse.
    fn public_key(&self, pkcs8: &[u8]) -> Option<PublicKey>;
    /// Algorithm and size of a private key; `None` when it does not parse.
    fn key_facts(&self, pkcs8: &[u8]) -> Option<KeyFacts>;
    /// Algorithm and size of a public key; `None` when the backend does not read it.
    fn public_key_facts(&self, public: &PublicKey) -> Option<KeyFacts>;
    /// Whether two public keys are the same key (whatever their encoding's details).
    fn public_eq(&self, a: &PublicKey, b: &PublicKey) -> bool;
    /// A traditional private key's DER re-encoded as PKCS#8; `None` when it does not parse.
    fn pkcs8_of_traditional(&self, kind: Traditional, der: &[u8]) -> Option<SecretBytes>;
    /// An `EncryptedPrivateKeyInfo` (DER) decrypted to PKCS#8; `None` when the password does
    /// not decrypt it or the result is not a key. The caller bounds the KDF's cost first.
    fn decrypt_pkcs8(&self, der: &[u8], password: &[u8]) -> Option<SecretBytes>;
    /// A PEM text with OpenSSL's traditional encryption (`Proc-Type: 4,ENCRYPTED`,
    /// `DEK-Info`) decrypted to PKCS#8; `None` when the password does not decrypt it.
    fn decrypt_traditional_pem(&self, text: &[u8], password: &[u8]) -> Option<SecretBytes>;
    /// The key encrypted as an `EncryptedPrivateKeyInfo` (DER): PBES2, PBKDF2-HMAC-SHA256,
    /// AES-256-CBC, OpenSSL 3's defaults.
    fn encrypt_pkcs8(&self, pkcs8: &[u8], password: &[u8]) -> Result<Vec<u8>>;
}

/// rsaEncryption, 1.2.840.113549.1.1.1.
const RSA_ENCRYPTION: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// id-RSASSA-PSS, 1.2.840.113549.1.1.10.
const RSASSA_PSS: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];

/// The PKCS#1 `RSAPublicKey` inside an RSA `SubjectPublicKeyInfo` (its subjectPublicKey bits);
/// `None` for another algorithm or damaged DER.
pub fn rsa_pkcs1_public(spki: &PublicKey) -> Option<&[u8]> {
    let (seq, rest) = read_tlv(&spki.0)?;
    if seq.tag != 0x30 || !rest.is_empty() {
        return None;
    }
    let (alg, rest) = read_tlv(seq.content)?;
    let (bits, _) = read_tlv(rest)?;
    let (oid, _) = read_tlv(alg.content)?;
    let rsa = oid.tag == 0x06 && (oid.content == RSA_ENCRYPTION || oid.content == RSASSA_PSS);
    // A BIT STRING whose first byte (the unused bits) is 0.
    (rsa && bits.tag == 0x03 && bits.content.first() == Some(&0)).then(|| &bits.content[1..])
}

/// The PKCS#1 `RSAPrivateKey` inside a PKCS#8 `PrivateKeyInfo` whose algorithm is
/// rsaEncryption; `None` for anything else.
pub fn rsa_pkcs1_inside(pkcs8: &[u8]) -> Option<&[u8]> {
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

/// rcgen's view of an RSA private key: its PKCS#1 public key, and SHA256withRSA signatures
/// made by the [`provider`].
pub struct RcgenSigner<'a> {
    pkcs8: &'a [u8],
    public_pkcs1: Vec<u8>,
}

impl<'a> RcgenSigner<'a> {
    /// The signer of an RSA key in PKCS#8; `None` for another key or one that does not parse.
    pub fn rsa(pkcs8: &'a [u8]) -> Option<Self> {
        let public = provider().public_key(pkcs8)?;
        let public_pkcs1 = rsa_pkcs1_public(&public)?.to_vec();
        Some(RcgenSigner {
            pkcs8,
            public_pkcs1,
        })
    }

    /// The PKCS#1 `RSAPublicKey` DER (the subjectPublicKey bits of its certificate).
    pub fn public_pkcs1(&self) -> &[u8] {
        &self.public_pkcs1
    }
}

impl PublicKeyData for RcgenSigner<'_> {
    fn der_bytes(&self) -> &[u8] {
        &self.public_pkcs1
    }
    fn algorithm(&self) -> &'static SignatureAlgorithm {
        &rcgen::PKCS_RSA_SHA256
    }
}

impl SigningKey for RcgenSigner<'_> {
    fn sign(&self, msg: &[u8]) -> std::result::Result<Vec<u8>, rcgen::Error> {
        provider()
            .sign(self.pkcs8, Hash::Sha256, msg)
            .map_err(|_| rcgen::Error::RemoteKeyError)
    }
}
