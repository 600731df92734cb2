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
    /// Subject description (2.5.4.13): where certkit records a Google key id.
    pub description: Option<String>,
}

/// Subject fields and names to put over a [`CertSpec`]: `None` (or no names) keeps its own.
#[derive(Clone, Debug, Default)]
pub struct Subject {
    /// CN.
    pub common_name: Option<String>,
    /// O.
    pub organization: Option<String>,
    /// OU.
    pub organizational_unit: Option<String>,
    /// C.
    pub country: Option<String>,
    /// emailAddress.
    pub email: Option<String>,
    /// Subject alternative names (replace the spec's when any is given).
    pub sans: Vec<String>,
}

impl Subject {
    /// `spec` with every field given here put over it.
    pub fn over(&self, mut spec: CertSpec) -> CertSpec {
        if let Some(v) = &self.common_name {
            spec.common_name = v.clone();
        }
        for (given, field) in [
            (&self.organization, &mut spec.organization),
            (&self.organizational_unit, &mut spec.organizational_unit),
            (&self.country, &mut spec.country),
            (&self.email, &mut spec.email),
        ] {
            if given.is_some() {
                field.clone_from(given);
            }
        }
        if !self.sans.is_empty() {
            spec.sans = self.sans.clone();
        }
        spec
    }
}

/// A DNS name a certificate may carry: dot-separated labels of letters, digits and
/// hyphens (not at either end of a label), at most 253 characters, an optional leading `*.`.
pub fn is_dns_name(s: &str) -> bool {
    let s = s.strip_prefix("*.").unwrap_or(s);
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// An e-mail address a certificate may carry: `local@domain`, ASCII, no spaces.
pub fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && local.bytes().all(|b| b.is_ascii_graphic() && b != b'@')
                && is_dns_name(domain)
                && !domain.starts_with("*.")
        }
        None => false,
    }
}

impl CertSpec {
    /// Check the subject fields and names (a usage error names the bad one); the
    /// country code is upper-cased.
    pub fn validate(&mut self) -> Result<()> {
        if self.common_name.trim().is_empty() {
            return Err(Error::Usage(
                "the common name (CN) must not be empty".into(),
            ));
        }
        if let Some(c) = &mut self.country {
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(Error::Usage(format!(
                    "the country \"{c}\" is not a two-letter country code"
                )));
            }
            c.make_ascii_uppercase();
        }
        if let Some(e) = &self.email {
            if !is_email(e) {
                return Err(Error::Usage(format!(
                    "the e-mail address \"{e}\" is not an e-mail address"
                )));
            }
        }
        for san in &self.sans {
            let ok = if san.contains('@') {
                is_email(san)
            } else {
                is_dns_name(san)
            };
            if !ok {
                return Err(Error::Usage(format!(
                    "the subject alternative name \"{san}\" is neither a DNS name nor an e-mail address"
                )));
            }
        }
        Ok(())
    }
}

fn crypto_err(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("{what}: {e}"))
}

/// Longest validity accepted without `--allow-long-validity`: 10 years.
pub const MAX_DAYS: u32 = 3650;
/// Longest validity accepted at all: 100 years.
pub const MAX_LONG_DAYS: u32 = 36_500;

/// Check a validity in days: at least 1, at most 10 years unless `allow_long` (then 100).
pub fn check_days(days: u32, allow_long: bool) -> Result<()> {
    if days == 0 {
        return Err(Error::Usage("the validity must be at least 1 day".into()));
    }
    if days > MAX_DAYS && !allow_long {
        return Err(Error::Usage(format!(
            "a validity of {days} days is more than 10 years ({MAX_DAYS} days)"
        ))
        .hint(crate::error::Hint::LongValidity));
    }
    if days > MAX_LONG_DAYS {
        return Err(Error::Usage(format!(
            "a validity of {days} days is more than 100 years ({MAX_LONG_DAYS} days)"
        )));
    }
    Ok(())
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

/// A self-signed certificate for an RSA key (the spec is validated first).
pub fn self_signed(key: &PKey<Private>, spec: &CertSpec) -> Result<CertDer> {
    let mut spec = spec.clone();
    spec.validate()?;
    let spec = &spec;
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
        let ia5 = rcgen::string::Ia5String::try_from(e.as_str()).map_err(|_| {
            Error::Usage(format!(
                "the e-mail address \"{e}\" is not an e-mail address"
            ))
        })?;
        dn.push(
            DnType::CustomDnType(vec![1, 2, 840, 113549, 1, 9, 1]),
            rcgen::DnValue::Ia5String(ia5),
        );
    }
    if let Some(d) = &spec.description {
        dn.push(DnType::CustomDnType(vec![2, 5, 4, 13]), d.as_str());
    }
    params.distinguished_name = dn;
    for san in &spec.sans {
        let ia5 = rcgen::string::Ia5String::try_from(san.as_str()).map_err(|_| {
            Error::Usage(format!(
                "the subject alternative name \"{san}\" is not a name"
            ))
        })?;
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
    check_days(spec.days, true)?;
    params.not_after = now + time::Duration::days(spec.days as i64);
    params.serial_number = Some(SerialNumber::from(random_serial()?));
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    if spec.client_auth {
        params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
    }
    // RFC 5280 method 1: SHA-1 of the subjectPublicKey bits, as OpenSSL and keytool compute it.
    params.key_identifier_method =
        KeyIdMethod::PreSpecified(crate::digest::sha1(&public_pkcs1).to_vec());
    let signer = OpensslRsaSigner { key, public_pkcs1 };
    let cert = params
        .self_signed(&signer)
        .map_err(|e| crypto_err("certificate generation failed", e))?;
    Ok(CertDer(cert.der().to_vec()))
}
