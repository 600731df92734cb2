//! Rules any signing certificate should meet: in its validity period, not SHA-1, not a CA.
//!
//! Facts and sources: `docs/google-service-accounts.md` (Google's SHA-1 certificates), `docs/salesforce-import.md`.

use super::{Check, Rule};
use crate::x509::CertSummary;

/// the certificate is within its validity period
pub const VALIDITY: Rule = Rule::new(
    "certificate.validity",
    "the certificate is within its validity period",
)
.enforced("https://cloud.google.com/iam/docs/service-account-creds (a service-account key past its expiry no longer authenticates); Salesforce's Certificate and Key Management lists an expired certificate as expired");
/// the certificate is not signed with SHA-1
pub const SIGNATURE_ALGORITHM: Rule = Rule::new(
    "certificate.signature-algorithm",
    "the certificate is not signed with SHA-1",
)
.advice("https://www.rfc-editor.org/rfc/rfc9155 (SHA-1 deprecated); Google's own P12 certificates are SHA-1 and work");
/// the certificate is the key's (same public key)
pub const MATCHES_KEY: Rule = Rule::new(
    "certificate.matches-key",
    "the certificate is the key's (same public key)",
)
.enforced("Salesforce Import from Keystore (\"The private key does not match the certificate chain in the keystore\"); frankkessler/salesforce-laravel-oauth2-rest #68 (\"invalid assertion\")");
/// a signing certificate, not a CA (basicConstraints CA:FALSE)
pub const NOT_CA: Rule = Rule::new(
    "certificate.not-ca",
    "a signing certificate, not a CA (basicConstraints CA:FALSE)",
)
.advice("https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.9 (CA:TRUE is for certificate authorities); openssl req -x509 sets it by default");

/// Every rule of this authority.
pub const RULES: &[Rule] = &[VALIDITY, SIGNATURE_ALGORITHM, MATCHES_KEY, NOT_CA];

/// Validity, with a warning `warn_days` before expiry, for the certificate of a key at hand:
/// the fix for an expired one is a new certificate for the same key (`certkit renew`).
pub fn validity(c: &CertSummary, now: i64, warn_days: i64) -> Check {
    validity_of(c, now, warn_days, true)
}

/// Validity of a certificate whose key is not at hand (the other side's copy).
pub fn validity_without_key(c: &CertSummary, now: i64, warn_days: i64) -> Check {
    validity_of(c, now, warn_days, false)
}

fn validity_of(c: &CertSummary, now: i64, warn_days: i64, key_at_hand: bool) -> Check {
    if now < c.not_before_unix {
        Check::fail(
            VALIDITY,
            format!("not valid before {}", c.not_before),
            "check the clock, or make a new certificate",
        )
    } else if now > c.not_after_unix {
        Check::fail(
            VALIDITY,
            format!("expired on {}", c.not_after),
            if key_at_hand {
                "make a new certificate for the same key with certkit renew (the key stays: upload the new certificate where the old one is, and for Google to the service account's keys)"
            } else {
                "renew the certificate with its key (certkit renew KEYSTORE), then upload the new one where this one is"
            },
        )
    } else if c.not_after_unix - now < warn_days * 86_400 {
        Check::warn(
            VALIDITY,
            format!(
                "expires soon: on {}, in {} days",
                c.not_after,
                (c.not_after_unix - now) / 86_400
            ),
            "renew it before then: certkit renew keeps the key",
        )
    } else {
        Check::pass(VALIDITY, format!("valid until {}", c.not_after))
    }
}

/// The certificate's own signature algorithm: SHA-1 is a warning.
pub fn signature_algorithm(c: &CertSummary) -> Check {
    if c.signature_algorithm.starts_with("SHA1") || c.signature_algorithm.starts_with("MD5") {
        Check::warn(SIGNATURE_ALGORITHM, format!("{} (Google's own P12 certificates are; Java calls it weak)", c.signature_algorithm),
            "acceptable for a self-signed key holder; a new certificate from certkit selfsign uses SHA256withRSA",
        )
    } else {
        Check::pass(SIGNATURE_ALGORITHM, c.signature_algorithm.clone())
    }
}

/// A JWT signing certificate should not be a CA (OpenSSL's `req -x509` default).
pub fn not_ca(c: &CertSummary) -> Check {
    if c.is_ca {
        Check::warn(
            NOT_CA,
            "CA:TRUE (openssl req -x509's default)",
            "make it with certkit selfsign, which writes CA:FALSE",
        )
    } else {
        Check::pass(NOT_CA, "not a CA")
    }
}
