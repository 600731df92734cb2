//! Certificate facts for reports and rules, parsed with `x509-parser`, and whether a
//! private key belongs to a certificate. Above [`crate::keys`], below the formats. A
//! certificate is never parsed by the crypto backend: its public key is the
//! `SubjectPublicKeyInfo` x509-parser finds, which the backend reads only for a key that is
//! not RSA.

use serde::Serialize;
use x509_parser::prelude::*;

use crate::crypto::{provider, PublicKey};
use crate::digest;
use crate::keys;

/// What certkit reports about one certificate.
#[derive(Clone, Debug, Serialize)]
pub struct CertSummary {
    /// Subject DN, RFC 4514 style as x509-parser prints it.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Serial number, lower-case hex as keytool prints it.
    pub serial: String,
    /// Validity start, RFC 3339 UTC.
    pub not_before: String,
    /// Validity end, RFC 3339 UTC.
    pub not_after: String,
    /// Validity start, seconds since the epoch.
    pub not_before_unix: i64,
    /// Validity end, seconds since the epoch.
    pub not_after_unix: i64,
    /// Signature algorithm, as Java names it (SHA256withRSA...).
    pub signature_algorithm: String,
    /// Public key algorithm (RSA, EC...).
    pub key_algorithm: String,
    /// Public key size in bits.
    pub key_bits: u32,
    /// SHA-1 fingerprint, colon hex.
    pub sha1: String,
    /// SHA-256 fingerprint, colon hex.
    pub sha256: String,
    /// Subject key identifier, lower-case hex, when present.
    pub subject_key_id: Option<String>,
    /// basicConstraints CA flag.
    pub is_ca: bool,
    /// Whether subject and issuer are the same name.
    pub self_issued: bool,
}

/// Java's name for a signature algorithm OID.
pub fn signature_algorithm_name(oid: &str) -> String {
    match oid {
        "1.2.840.113549.1.1.4" => "MD5withRSA",
        "1.2.840.113549.1.1.5" => "SHA1withRSA",
        "1.2.840.113549.1.1.11" => "SHA256withRSA",
        "1.2.840.113549.1.1.12" => "SHA384withRSA",
        "1.2.840.113549.1.1.13" => "SHA512withRSA",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS",
        "1.2.840.10045.4.1" => "SHA1withECDSA",
        "1.2.840.10045.4.3.2" => "SHA256withECDSA",
        "1.2.840.10045.4.3.3" => "SHA384withECDSA",
        "1.2.840.10045.4.3.4" => "SHA512withECDSA",
        "1.3.101.112" => "Ed25519",
        other => return other.to_string(),
    }
    .to_string()
}

/// Parse a DER certificate, or `None` if it is not one.
pub fn parse(der: &[u8]) -> Option<X509Certificate<'_>> {
    match X509Certificate::from_der(der) {
        Ok(([], c)) => Some(c),
        _ => None,
    }
}

/// Summarise a DER certificate; `None` if it does not parse.
pub fn summarize(der: &[u8]) -> Option<CertSummary> {
    let c = parse(der)?;
    let key = key_facts_of(&c);
    let nb = c.validity().not_before.timestamp();
    let na = c.validity().not_after.timestamp();
    let ski = c
        .iter_extensions()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(k) => Some(digest::hex(k.0)),
            _ => None,
        });
    Some(CertSummary {
        subject: dn_string(c.subject()),
        issuer: dn_string(c.issuer()),
        serial: serial_hex(c.raw_serial()),
        not_before: crate::clock::rfc3339(nb),
        not_after: crate::clock::rfc3339(na),
        not_before_unix: nb,
        not_after_unix: na,
        signature_algorithm: signature_algorithm_name(
            &c.signature_algorithm.algorithm.to_id_string(),
        ),
        key_algorithm: key
            .as_ref()
            .map(|k| k.algorithm.clone())
            .unwrap_or_else(|| "unknown".into()),
        key_bits: key.map(|k| k.bits).unwrap_or(0),
        sha1: digest::colon_hex(&digest::sha1(der)),
        sha256: digest::colon_hex(&digest::sha256(der)),
        subject_key_id: ski,
        is_ca: c.is_ca(),
        self_issued: c.subject().as_raw() == c.issuer().as_raw(),
    })
}

/// A serial number as Java's `BigInteger.toString(16)` prints it: lower-case hex, no leading zeros.
pub fn serial_hex(raw: &[u8]) -> String {
    let h = digest::hex(raw);
    let t = h.trim_start_matches('0');
    if t.is_empty() {
        "0".into()
    } else {
        t.to_string()
    }
}

/// Java's keyword for an attribute type, as `keytool` prints it; `OID.n.n.n` for the rest.
fn java_keyword(oid: &x509_parser::der_parser::oid::Oid<'_>) -> std::borrow::Cow<'static, str> {
    // Matched on the OID's DER bytes: no dotted string is made for the usual attributes.
    const DC: &[u8] = &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19];
    const UID: &[u8] = &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01];
    const EMAIL: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01];
    let known = match oid.as_bytes() {
        [0x55, 0x04, id_at] => match id_at {
            3 => Some("CN"),
            4 => Some("SURNAME"),
            5 => Some("SERIALNUMBER"),
            6 => Some("C"),
            7 => Some("L"),
            8 => Some("ST"),
            9 => Some("STREET"),
            10 => Some("O"),
            11 => Some("OU"),
            12 => Some("T"),
            42 => Some("GIVENNAME"),
            43 => Some("INITIALS"),
            44 => Some("GENERATION"),
            46 => Some("DNQUALIFIER"),
            _ => None,
        },
        DC => Some("DC"),
        UID => Some("UID"),
        EMAIL => Some("EMAILADDRESS"),
        _ => None,
    };
    match known {
        Some(k) => std::borrow::Cow::Borrowed(k),
        None => std::borrow::Cow::Owned(format!("OID.{}", oid.to_id_string())),
    }
}

/// A value as Java's `X500Name.toString` writes it: quoted when it holds a special
/// character or leading/trailing space, with `"` and `\` escaped inside the quotes.
fn push_java_value(out: &mut String, v: &str) {
    let special =
        v.chars().any(|c| ",+=<>#;\n\"\\".contains(c)) || v.starts_with(' ') || v.ends_with(' ');
    if !special {
        out.push_str(v);
        return;
    }
    out.push('"');
    for c in v.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

/// A distinguished name as keytool prints it: most specific first, Java's keywords and
/// quoting (`EMAILADDRESS=a@b.co, CN="org2, inc", O=Example, C=US`).
pub fn dn_string(name: &X509Name<'_>) -> String {
    let rdns: Vec<_> = name.iter_rdn().collect();
    let mut out = String::with_capacity(96);
    for (i, rdn) in rdns.into_iter().rev().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        for (j, atv) in rdn.iter().enumerate() {
            if j > 0 {
                out.push_str(" + ");
            }
            out.push_str(&java_keyword(atv.attr_type()));
            out.push('=');
            match atv.as_str() {
                Ok(v) => push_java_value(&mut out, v),
                Err(_) => {
                    out.push('#');
                    out.push_str(&digest::hex(atv.attr_value().data));
                }
            }
        }
    }
    out
}

/// The Common Name of a certificate's subject, if any.
pub fn common_name(der: &[u8]) -> Option<String> {
    let c = parse(der)?;
    let cn = c
        .subject()
        .iter_common_name()
        .next()?
        .as_str()
        .ok()?
        .to_string();
    Some(cn)
}

/// The first value of a subject attribute (dotted OID), as text.
pub fn subject_attribute(der: &[u8], oid: &str) -> Option<String> {
    let c = parse(der)?;
    let v = c
        .subject()
        .iter_attributes()
        .find(|a| a.attr_type().to_id_string() == oid)?
        .as_str()
        .ok()?
        .to_string();
    Some(v)
}

/// Raw DER of subject and issuer names, for chain building.
pub fn names(der: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let c = parse(der)?;
    Some((c.subject().as_raw().to_vec(), c.issuer().as_raw().to_vec()))
}

use crate::keys::{bit_len, strip_zeros};

/// The RSA modulus and exponent of a certificate (big-endian, no leading zeros), read with
/// x509-parser: no OpenSSL decoder runs. `None` for a non-RSA key or a certificate that does not parse.
pub fn cert_rsa_components(cert_der: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    use x509_parser::public_key::PublicKey;
    let c = parse(cert_der)?;
    match c.public_key().parsed().ok()? {
        PublicKey::RSA(k) => Some((
            strip_zeros(k.modulus).to_vec(),
            strip_zeros(k.exponent).to_vec(),
        )),
        _ => None,
    }
}

/// Algorithm and size of a certificate's public key.
pub fn cert_key_facts(cert_der: &[u8]) -> Option<keys::KeyFacts> {
    key_facts_of(&parse(cert_der)?)
}

/// [`cert_key_facts`] of a certificate already parsed (each certificate is parsed once): an
/// RSA key read by x509-parser, another by the crypto backend.
fn key_facts_of(c: &X509Certificate<'_>) -> Option<keys::KeyFacts> {
    use x509_parser::public_key::PublicKey as Parsed;
    if let Ok(Parsed::RSA(k)) = c.public_key().parsed() {
        return Some(keys::KeyFacts {
            algorithm: "RSA".into(),
            bits: bit_len(strip_zeros(k.modulus)),
        });
    }
    provider().public_key_facts(&PublicKey(c.public_key().raw.to_vec()))
}

/// The RSA modulus and exponent of a `SubjectPublicKeyInfo` (big-endian, no leading zeros);
/// `None` for a non-RSA key or DER that does not parse.
pub fn spki_rsa_components(spki: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    use x509_parser::public_key::PublicKey;
    let (_, info) = SubjectPublicKeyInfo::from_der(spki).ok()?;
    match info.parsed().ok()? {
        PublicKey::RSA(k) => Some((
            strip_zeros(k.modulus).to_vec(),
            strip_zeros(k.exponent).to_vec(),
        )),
        _ => None,
    }
}

/// A certificate's public key, as its `SubjectPublicKeyInfo`, when the certificate parses and
/// the crypto backend reads the key (an RSA key is read from the DER).
pub fn cert_public_key(cert_der: &[u8]) -> Option<PublicKey> {
    use x509_parser::public_key::PublicKey as Parsed;
    let c = parse(cert_der)?;
    let spki = c.public_key();
    let key = PublicKey(spki.raw.to_vec());
    let readable =
        matches!(spki.parsed(), Ok(Parsed::RSA(_))) || provider().public_key_facts(&key).is_some();
    readable.then_some(key)
}

/// Whether the private key's public half is the certificate's public key.
/// `None` when either cannot be parsed.
pub fn matches_key(cert_der: &[u8], pkcs8: &[u8]) -> Option<bool> {
    // An RSA key: compare modulus and exponent from the DER of both (no crypto backend).
    if let Some((n, e)) = keys::rsa_public_parts(pkcs8) {
        parse(cert_der)?;
        return Some(cert_rsa_components(cert_der).is_some_and(|(cn, ce)| cn == n && ce == e));
    }
    let k = keys::public_of(pkcs8)?;
    if let Some((kn, ke)) = spki_rsa_components(&k.0) {
        parse(cert_der)?;
        return Some(cert_rsa_components(cert_der).is_some_and(|(n, e)| n == kn && e == ke));
    }
    let cert = cert_public_key(cert_der)?;
    Some(provider().public_eq(&k, &cert))
}
