//! Self-signed signing certificates: `rcgen` builds the certificate, OpenSSL makes the
//! RSA key and the SHA256withRSA signature (rcgen's `SigningKey` trait implemented over
//! OpenSSL), so the project keeps one crypto provider.
//!
//! The certificate is what a JWT signing certificate should be and what OpenSSL's
//! `req -x509` is not by default: basicConstraints CA:FALSE (critical), keyUsage
//! digitalSignature (critical), a subject key identifier, a positive 16-byte serial.

use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::sign::Signer;
use rcgen::{
    CertificateParams, DistinguishedName, DnType, IsCa, KeyIdMethod, KeyUsagePurpose,
    PublicKeyData, SanType, SerialNumber, SignatureAlgorithm, SigningKey,
};

use crate::error::{Error, Result};
use crate::model::CertDer;

/// What goes into a self-signed certificate.
#[derive(Clone, Debug, Default)]
pub struct CertSpec {
    /// Subject CN.
    pub common_name: String,
    /// Subject O.
    pub organization: Option<String>,
    /// Subject OU.
    pub organizational_unit: Option<String>,
    /// Subject C (two letters).
    pub country: Option<String>,
    /// Subject emailAddress.
    pub email: Option<String>,
    /// Subject alternative names: DNS names, or e-mail addresses (with `@`).
    pub sans: Vec<String>,
    /// Validity in days from now.
    pub days: u32,
    /// Add extendedKeyUsage clientAuth (as Google's own certificates have).
    pub client_auth: bool,
}

fn crypto_err(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Usage(format!("{what}: {e}"))
}

/// A new RSA key of `bits` bits from OpenSSL's generator.
pub fn generate_rsa(bits: u32) -> Result<PKey<Private>> {
    let rsa = Rsa::generate(bits).map_err(|e| crypto_err("RSA key generation failed", e))?;
    PKey::from_rsa(rsa).map_err(|e| crypto_err("RSA key", e))
}

/// rcgen's view of an OpenSSL RSA key: its PKCS#1 public key, and SHA256withRSA signing.
struct OpensslRsaSigner<'a> {
    key: &'a PKey<Private>,
    public_pkcs1: Vec<u8>,
}

impl PublicKeyData for OpensslRsaSigner<'_> {
    fn der_bytes(&self) -> &[u8] {
        &self.public_pkcs1
    }
    fn algorithm(&self) -> &'static SignatureAlgorithm {
        &rcgen::PKCS_RSA_SHA256
    }
}

impl SigningKey for OpensslRsaSigner<'_> {
    fn sign(&self, msg: &[u8]) -> std::result::Result<Vec<u8>, rcgen::Error> {
        let mut s = Signer::new(MessageDigest::sha256(), self.key)
            .map_err(|_| rcgen::Error::RemoteKeyError)?;
        s.update(msg).map_err(|_| rcgen::Error::RemoteKeyError)?;
        s.sign_to_vec().map_err(|_| rcgen::Error::RemoteKeyError)
    }
}

/// A positive serial of 16 random bytes (the first byte in 0x01..=0x7F).
fn random_serial() -> Result<Vec<u8>> {
    let mut serial = vec![0u8; 16];
    crate::secret::random_bytes(&mut serial)?;
    serial[0] = (serial[0] & 0x7f).max(1);
    Ok(serial)
}

/// A self-signed certificate for an RSA key.
pub fn self_signed(key: &PKey<Private>, spec: &CertSpec) -> Result<CertDer> {
    let rsa = key
        .rsa()
        .map_err(|_| Error::Usage("only RSA keys can be wrapped in a certificate".into()))?;
    let public_pkcs1 = rsa
        .public_key_to_der_pkcs1()
        .map_err(|e| crypto_err("RSA public key", e))?;
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    if let Some(c) = &spec.country {
        dn.push(DnType::CountryName, c.as_str());
    }
    if let Some(o) = &spec.organization {
        dn.push(DnType::OrganizationName, o.as_str());
    }
    if let Some(ou) = &spec.organizational_unit {
        dn.push(DnType::OrganizationalUnitName, ou.as_str());
    }
    dn.push(DnType::CommonName, spec.common_name.as_str());
    if let Some(e) = &spec.email {
        // PKCS#9 emailAddress, an IA5String.
        let ia5 = rcgen::string::Ia5String::try_from(e.as_str())
            .map_err(|_| Error::Usage(format!("--email \"{e}\" is not ASCII")))?;
        dn.push(
            DnType::CustomDnType(vec![1, 2, 840, 113549, 1, 9, 1]),
            rcgen::DnValue::Ia5String(ia5),
        );
    }
    params.distinguished_name = dn;
    for san in &spec.sans {
        let ia5 = rcgen::string::Ia5String::try_from(san.as_str())
            .map_err(|_| Error::Usage(format!("--san \"{san}\" is not ASCII")))?;
        params.subject_alt_names.push(if san.contains('@') {
            SanType::Rfc822Name(ia5)
        } else {
            SanType::DnsName(ia5)
        });
    }
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    params.not_before = now;
    params.not_after = now + time::Duration::days(spec.days as i64);
    params.serial_number = Some(SerialNumber::from(random_serial()?));
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    if spec.client_auth {
        params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
    }
    // RFC 5280 method 1: SHA-1 of the subjectPublicKey bits, as OpenSSL and keytool compute it.
    params.key_identifier_method =
        KeyIdMethod::PreSpecified(crate::keys::sha1(&public_pkcs1).to_vec());
    let signer = OpensslRsaSigner { key, public_pkcs1 };
    let cert = params
        .self_signed(&signer)
        .map_err(|e| crypto_err("certificate generation failed", e))?;
    Ok(CertDer(cert.der().to_vec()))
}
