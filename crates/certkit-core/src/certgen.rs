//! Self-signed signing certificates: `rcgen` builds the certificate, the [`crate::crypto`]
//! backend makes the RSA key and the SHA256withRSA signature (rcgen's `SigningKey` trait is
//! implemented over it: [`RcgenSigner`]), so the project keeps one crypto provider.
//!
//! The certificate is what a JWT signing certificate should be and what OpenSSL's
//! `req -x509` is not by default: basicConstraints CA:FALSE (critical), keyUsage
//! digitalSignature (critical), a subject key identifier, a positive 16-byte serial.

use rcgen::{
    CertificateParams, DistinguishedName, DnType, IsCa, KeyIdMethod, KeyUsagePurpose, SanType,
    SerialNumber,
};

use crate::crypto::{provider, RcgenSigner};
use crate::error::{Error, Result};
use crate::model::CertDer;
use crate::secret::SecretBytes;

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
    /// Check the subject fields and names (an [`Error::Invalid`] names the bad one); the
    /// country code is upper-cased.
    pub fn validate(&mut self) -> Result<()> {
        if self.common_name.trim().is_empty() {
            return Err(Error::Invalid(
                "the common name (CN) must not be empty".into(),
            ));
        }
        if let Some(c) = &mut self.country {
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(Error::Invalid(format!(
                    "the country \"{c}\" is not a two-letter country code"
                )));
            }
            c.make_ascii_uppercase();
        }
        if let Some(e) = &self.email {
            if !is_email(e) {
                return Err(Error::Invalid(format!(
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
                return Err(Error::Invalid(format!(
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
        return Err(Error::Invalid("the validity must be at least 1 day".into()));
    }
    if days > MAX_DAYS && !allow_long {
        return Err(Error::Invalid(format!(
            "a validity of {days} days is more than 10 years ({MAX_DAYS} days)"
        ))
        .hint(crate::error::Hint::LongValidity));
    }
    if days > MAX_LONG_DAYS {
        return Err(Error::Invalid(format!(
            "a validity of {days} days is more than 100 years ({MAX_LONG_DAYS} days)"
        )));
    }
    Ok(())
}

/// A new RSA key of `bits` bits (PKCS#8) from the crypto backend's generator.
pub fn generate_rsa(bits: u32) -> Result<SecretBytes> {
    provider().generate_rsa(bits)
}

/// A positive serial of 16 random bytes (the first byte in 0x01..=0x7F).
fn random_serial() -> Result<Vec<u8>> {
    let mut serial = vec![0u8; 16];
    crate::secret::random_bytes(&mut serial)?;
    serial[0] = (serial[0] & 0x7f).max(1);
    Ok(serial)
}

/// rcgen's signer for an RSA key (PKCS#8); a key of another kind is refused.
fn rsa_of(pkcs8: &[u8]) -> Result<RcgenSigner<'_>> {
    let facts = crate::keys::facts(pkcs8)
        .ok_or_else(|| Error::Internal("the key does not parse".into()))?;
    let signer = crate::keys::is_rsa(&facts)
        .then(|| RcgenSigner::rsa(pkcs8))
        .flatten();
    signer.ok_or_else(|| Error::Unsupported {
        path: None,
        what: format!(
            "an {} key: certkit signs certificates for RSA keys, the only kind Salesforce imports",
            facts.algorithm
        ),
    })
}

/// rcgen's name for an attribute type OID.
fn dn_type(oid: &str, arcs: Vec<u64>) -> DnType {
    match oid {
        "2.5.4.3" => DnType::CommonName,
        "2.5.4.6" => DnType::CountryName,
        "2.5.4.7" => DnType::LocalityName,
        "2.5.4.8" => DnType::StateOrProvinceName,
        "2.5.4.10" => DnType::OrganizationName,
        "2.5.4.11" => DnType::OrganizationalUnitName,
        _ => DnType::CustomDnType(arcs),
    }
}

/// A new self-signed certificate for the same RSA key as `old`: its subject (every
/// attribute, in order) and its extensions (every one, as it is, critical or not) kept, but
/// for what `subject` changes; a new serial, validity and key identifier.
pub fn renewed(pkcs8: &[u8], old: &[u8], days: u32, subject: &Subject) -> Result<CertDer> {
    let signer = rsa_of(pkcs8)?;
    let cert = crate::x509::parse(old)
        .ok_or_else(|| Error::corrupt("the certificate", "it does not parse"))?;
    let mut params = CertificateParams::default();
    params.distinguished_name = renewed_subject(&cert, subject)?;
    params.custom_extensions = kept_extensions(&cert, subject);
    names_and_validity(&mut params, &subject.sans, days)?;
    params.serial_number = Some(SerialNumber::from(random_serial()?));
    params.is_ca = IsCa::NoCa;
    params.key_identifier_method =
        KeyIdMethod::PreSpecified(crate::digest::sha1(signer.public_pkcs1()).to_vec());
    let new = params
        .self_signed(&signer)
        .map_err(|e| crypto_err("certificate generation failed", e))?;
    Ok(CertDer(new.der().to_vec()))
}

/// An object identifier's arcs.
fn arcs(oid: &x509_parser::oid_registry::Oid<'_>) -> Vec<u64> {
    oid.iter()
        .map(|i| i.collect::<Vec<u64>>())
        .unwrap_or_default()
}

/// The old certificate's subject, every attribute in order, with the values `subject` gives
/// in place of the old ones, then the attributes `subject` gives that the old one lacked.
fn renewed_subject(
    cert: &x509_parser::certificate::X509Certificate<'_>,
    subject: &Subject,
) -> Result<DistinguishedName> {
    let overrides: [(&str, &Option<String>); 5] = [
        ("2.5.4.3", &subject.common_name),
        ("2.5.4.10", &subject.organization),
        ("2.5.4.11", &subject.organizational_unit),
        ("2.5.4.6", &subject.country),
        ("1.2.840.113549.1.9.1", &subject.email),
    ];
    let mut dn = DistinguishedName::new();
    let mut seen = Vec::new();
    for rdn in cert.subject().iter_rdn() {
        for atv in rdn.iter() {
            let oid = atv.attr_type().to_id_string();
            let given = overrides
                .iter()
                .find(|(o, _)| *o == oid)
                .and_then(|(_, v)| v.as_ref());
            let value = match given {
                Some(v) => v.clone(),
                None => atv
                    .as_str()
                    .map_err(|_| {
                        Error::unsupported(
                            "the certificate",
                            format!("a subject attribute ({oid}) that is not text"),
                        )
                    })?
                    .to_string(),
            };
            seen.push(oid.clone());
            let t = dn_type(&oid, arcs(atv.attr_type()));
            if oid == "1.2.840.113549.1.9.1" {
                let ia5 = rcgen::string::Ia5String::try_from(value.as_str())
                    .map_err(|_| Error::Invalid(format!("\"{value}\" is not an e-mail address")))?;
                dn.push(t, rcgen::DnValue::Ia5String(ia5));
            } else {
                dn.push(t, value.as_str());
            }
        }
    }
    // Attributes asked for that the old subject did not have.
    for (oid, v) in overrides {
        if let (Some(v), false) = (v, seen.iter().any(|s| s == oid)) {
            let parts: Vec<u64> = oid.split('.').filter_map(|p| p.parse().ok()).collect();
            dn.push(dn_type(oid, parts), v.as_str());
        }
    }
    Ok(dn)
}

/// The old certificate's extensions, every one as it is (critical or not), but for those the
/// renewed certificate makes anew.
fn kept_extensions(
    cert: &x509_parser::certificate::X509Certificate<'_>,
    subject: &Subject,
) -> Vec<rcgen::CustomExtension> {
    let mut kept = Vec::new();
    for ext in cert.extensions() {
        let oid = ext.oid.to_id_string();
        // The key is the same, so its identifier stays; a self-signed certificate needs no
        // authority key identifier; the names are replaced when new ones are given.
        let replaced = oid == "2.5.29.35" || (oid == "2.5.29.17" && !subject.sans.is_empty());
        if !replaced {
            let mut custom =
                rcgen::CustomExtension::from_oid_content(&arcs(&ext.oid), ext.value.to_vec());
            custom.set_criticality(ext.critical);
            kept.push(custom);
        }
    }
    kept
}

/// Subject alternative names (DNS names, or e-mail addresses with `@`) and a validity of
/// `days` from now, to the second.
fn names_and_validity(params: &mut CertificateParams, sans: &[String], days: u32) -> Result<()> {
    for san in sans {
        let ia5 = rcgen::string::Ia5String::try_from(san.as_str()).map_err(|_| {
            Error::Invalid(format!(
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
    check_days(days, true)?;
    params.not_after = now + time::Duration::days(days as i64);
    Ok(())
}

/// A self-signed certificate for an RSA key (the spec is validated first).
pub fn self_signed(pkcs8: &[u8], spec: &CertSpec) -> Result<CertDer> {
    let mut spec = spec.clone();
    spec.validate()?;
    let spec = &spec;
    let signer = rsa_of(pkcs8)?;
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
            Error::Invalid(format!(
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
    names_and_validity(&mut params, &spec.sans, spec.days)?;
    params.serial_number = Some(SerialNumber::from(random_serial()?));
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    if spec.client_auth {
        params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
    }
    // RFC 5280 method 1: SHA-1 of the subjectPublicKey bits, as OpenSSL and keytool compute it.
    params.key_identifier_method =
        KeyIdMethod::PreSpecified(crate::digest::sha1(signer.public_pkcs1()).to_vec());
    let cert = params
        .self_signed(&signer)
        .map_err(|e| crypto_err("certificate generation failed", e))?;
    Ok(CertDer(cert.der().to_vec()))
}
