//! Every identifier a verifier may look a key up by: Google's key id, `x5t`,
//! `x5t#S256`, the RFC 7638 JWK thumbprint, fingerprints, subject key identifier,
//! serial, keystore alias; and the public JWK.
//!
//! Facts and sources: `docs/google-service-accounts.md`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Serialize;
use serde_json::{json, Value};

use crate::crypto::PublicKey;
use crate::jws::{b64url, Alg};
use crate::model::{Entry, GoogleAccount};
use crate::{digest, keys, x509};

/// How a wrapper certificate made by `p12-to-jks` from a Google JSON key records the key's
/// `private_key_id`: as the subject's description, after this text.
pub const GOOGLE_KEY_ID_MARK: &str = "Google key id ";

/// Where a Google key id comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyIdSource {
    /// The JSON key's `private_key_id`.
    PrivateKeyId,
    /// Recorded in the wrapper certificate certkit made from a JSON key.
    RecordedInCertificate,
    /// The SHA-1 of the certificate: Google's key id for a certificate Google issued (P12 keys).
    CertificateSha1,
}

/// The identifiers of one key.
#[derive(Clone, Debug, Serialize)]
pub struct KeyIds {
    /// Google's key id: `private_key_id` of a JSON key (or recorded in certkit's wrapper
    /// certificate), else the lower-case hex SHA-1 of the certificate DER.
    pub google_key_id: Option<String>,
    /// Where `google_key_id` comes from.
    pub google_key_id_source: Option<KeyIdSource>,
    /// base64url SHA-1 of the certificate DER.
    pub x5t: Option<String>,
    /// base64url SHA-256 of the certificate DER.
    #[serde(rename = "x5t#S256")]
    pub x5t_s256: Option<String>,
    /// RFC 7638 JWK SHA-256 thumbprint, base64url.
    pub jwk_thumbprint: Option<String>,
    /// SHA-1 fingerprint of the certificate, colon hex.
    pub sha1_fingerprint: Option<String>,
    /// SHA-256 fingerprint of the certificate, colon hex.
    pub sha256_fingerprint: Option<String>,
    /// Subject key identifier extension, hex.
    pub subject_key_id: Option<String>,
    /// Certificate serial number, hex.
    pub serial: Option<String>,
    /// The keystore alias: the certificate's Unique Name once imported, which an External
    /// Credential without a `kid` claim sends (certkit never uses it as the `kid`).
    pub alias: Option<String>,
    /// Whether this is a Google service-account key (a JSON key, certkit's wrapper of one, or
    /// a certificate whose subject is a service account).
    pub google: bool,
    /// The `kid` of this key in its JWK and in the assertions of the salesforce and generic
    /// profiles ([`kid_for`]): the RFC 7638 JWK thumbprint, whatever file holds the key.
    pub kid: Option<String>,
}

/// The RSA modulus and exponent, big-endian without leading zeros.
pub fn rsa_components(pk: &PublicKey) -> Option<(Vec<u8>, Vec<u8>)> {
    x509::spki_rsa_components(&pk.0)
}

/// RFC 7638 thumbprint of an RSA public key.
pub fn jwk_thumbprint(n: &[u8], e: &[u8]) -> String {
    // Members in lexicographic order, no white space.
    let canonical = format!(r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#, b64url(e), b64url(n));
    b64url(&digest::sha256(canonical.as_bytes()))
}

/// The public key of an entry: its certificate's, else its private key's public half.
pub fn public_key(entry: &Entry) -> Option<PublicKey> {
    if let Some(k) = entry.leaf().and_then(|c| x509::cert_public_key(&c.0)) {
        return Some(k);
    }
    entry.pkcs8().and_then(|k| keys::public_of(k.expose()))
}

/// The RSA modulus and exponent of an entry's public key, read from the DER of its
/// certificate, else of its private key, without the crypto backend; the backend only for a
/// key whose DER certkit does not walk. `None` for a non-RSA key.
pub fn rsa_public(entry: &Entry) -> Option<(Vec<u8>, Vec<u8>)> {
    if let Some(c) = entry.leaf() {
        if x509::parse(&c.0).is_some() {
            return x509::cert_rsa_components(&c.0);
        }
    }
    if let Some((n, e)) = entry
        .pkcs8()
        .and_then(|k| keys::rsa_public_parts(k.expose()))
    {
        return Some((n.to_vec(), e.to_vec()));
    }
    public_key(entry).as_ref().and_then(rsa_components)
}

/// Google's key id for a certificate: lower-case hex SHA-1 of its DER.
pub fn google_key_id_of_cert(cert_der: &[u8]) -> String {
    digest::hex(&digest::sha1(cert_der))
}

/// Whether an address is a Google service account's (`...@PROJECT.iam.gserviceaccount.com`,
/// or an older `...@developer.gserviceaccount.com`).
pub fn is_service_account(email: &str) -> bool {
    email.contains('@') && email.ends_with(".gserviceaccount.com")
}

/// All identifiers of an entry.
pub fn of_entry(entry: &Entry, google: Option<&GoogleAccount>) -> KeyIds {
    let cert = entry.leaf().map(|c| c.0.as_slice());
    let summary = cert.and_then(x509::summarize);
    // From the certificate when it has one (parsed without OpenSSL's slow key decoder).
    let thumb = rsa_public(entry).map(|(n, e)| jwk_thumbprint(&n, &e));
    let recorded = cert
        .and_then(|c| x509::subject_attribute(c, "2.5.4.13"))
        .and_then(|d| d.strip_prefix(GOOGLE_KEY_ID_MARK).map(str::to_string));
    let (google_key_id, google_key_id_source) = match (google, recorded, cert) {
        (Some(g), _, _) => (
            Some(g.private_key_id.clone()),
            Some(KeyIdSource::PrivateKeyId),
        ),
        (None, Some(id), _) => (Some(id), Some(KeyIdSource::RecordedInCertificate)),
        (None, None, Some(c)) => (
            Some(google_key_id_of_cert(c)),
            Some(KeyIdSource::CertificateSha1),
        ),
        (None, None, None) => (None, None),
    };
    let google = google.is_some()
        || google_key_id_source == Some(KeyIdSource::RecordedInCertificate)
        || cert
            .and_then(x509::common_name)
            .is_some_and(|cn| is_service_account(&cn));
    let kid = kid_for(
        KidScheme::JwkThumbprint,
        google_key_id.as_deref(),
        thumb.as_deref(),
    );
    KeyIds {
        google,
        kid,
        google_key_id,
        google_key_id_source,
        x5t: cert.map(|c| b64url(&digest::sha1(c))),
        x5t_s256: cert.map(|c| b64url(&digest::sha256(c))),
        jwk_thumbprint: thumb,
        sha1_fingerprint: summary.as_ref().map(|s| s.sha1.clone()),
        sha256_fingerprint: summary.as_ref().map(|s| s.sha256.clone()),
        subject_key_id: summary.as_ref().and_then(|s| s.subject_key_id.clone()),
        serial: summary.as_ref().map(|s| s.serial.clone()),
        alias: Some(entry.alias.clone()).filter(|a| !a.is_empty()),
    }
}

/// Which of a key's identifiers is its `kid`, by who verifies the assertion (each profile
/// names its own: `assertion::Profile::kid_scheme`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KidScheme {
    /// Google (the google and google-self-signed profiles): Google's key id.
    GoogleKeyId,
    /// Salesforce (org to org) and any third party: the RFC 7638 JWK thumbprint.
    JwkThumbprint,
}

/// The one rule for the `kid` certkit signs with, writes into an External Credential and
/// puts in a JWK, for a key whatever file holds it (JKS, PKCS#12, PEM, Google JSON key):
///
/// - Google (token exchange and self-signed JWTs): Google's key id, the JSON key's
///   `private_key_id` (or the lower-case hex SHA-1 of a certificate Google holds), the value
///   Google's own client libraries send; without one (a bare key) no `kid`, and Google tries
///   every key of the account.
/// - Salesforce (org to org) and any third party: the RFC 7638 JWK thumbprint of the public
///   key (<https://www.rfc-editor.org/rfc/rfc7638>). A verifier that looks keys up by `kid`
///   finds the JWK `certkit kid --jwk` gave it; a keystore alias never becomes the `kid`.
///   Salesforce's token endpoint does not read `kid` (it checks the signature with the
///   certificate uploaded to the Connected App), so the same value serves there and keeps one
///   key to one `kid`; an External Credential left without a `kid` claim sends the
///   certificate's Unique Name instead.
pub fn kid_for(
    scheme: KidScheme,
    google_key_id: Option<&str>,
    jwk_thumbprint: Option<&str>,
) -> Option<String> {
    match scheme {
        KidScheme::GoogleKeyId => google_key_id,
        KidScheme::JwkThumbprint => jwk_thumbprint,
    }
    .map(str::to_string)
}

impl KeyIds {
    /// This key's `kid` ([`kid_for`]).
    pub fn kid_for(&self, scheme: KidScheme) -> Option<String> {
        kid_for(
            scheme,
            self.google_key_id.as_deref(),
            self.jwk_thumbprint.as_deref(),
        )
    }
}

/// The public JWK of an entry (RSA only), with `kid`, `use`, `x5c`, `x5t#S256`, and `alg`
/// when one is given: a JWK without `alg` matches a token of any RSA algorithm (RS256 or
/// RS512), one with `alg` only tokens of that algorithm (npm `jose` finds no key otherwise).
pub fn public_jwk(entry: &Entry, ids: &KeyIds, alg: Option<Alg>) -> Option<Value> {
    let (n, e) = rsa_public(entry)?;
    let mut jwk = json!({
        "kty": "RSA",
        "n": b64url(&n),
        "e": b64url(&e),
        "use": "sig",
    });
    if let Some(a) = alg {
        jwk["alg"] = json!(a.name());
    }
    if let Some(kid) = &ids.kid {
        jwk["kid"] = json!(kid);
    }
    if let Some(c) = entry.leaf() {
        jwk["x5c"] = json!(entry
            .chain()
            .iter()
            .map(|c| STANDARD.encode(&c.0))
            .collect::<Vec<_>>());
        jwk["x5t#S256"] = json!(b64url(&digest::sha256(&c.0)));
    }
    Some(jwk)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    #[test]
    fn kid_for_is_google_key_id_or_the_thumbprint() {
        let (g, t) = (Some("69b4db57"), Some("NzbLsXh8"));
        assert_eq!(kid_for(KidScheme::GoogleKeyId, g, t).as_deref(), g);
        assert_eq!(
            kid_for(KidScheme::GoogleKeyId, None, t),
            None,
            "a bare key: none"
        );
        assert_eq!(kid_for(KidScheme::JwkThumbprint, g, t).as_deref(), t);
    }

    #[test]
    fn jwk_thumbprint_matches_rfc7638_section_3_1() {
        let n = URL_SAFE_NO_PAD
            .decode(
                "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            )
            .unwrap();
        let e = URL_SAFE_NO_PAD.decode("AQAB").unwrap();
        assert_eq!(
            jwk_thumbprint(&n, &e),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }
}
