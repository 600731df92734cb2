//! Rules any signing certificate should meet: in its validity period, not SHA-1, not a CA.

use super::{Check, Rule};
use crate::x509::CertSummary;

/// the certificate is within its validity period
pub const VALIDITY: Rule = Rule::new(
    "certificate.validity",
    "the certificate is within its validity period",
);
/// the certificate is not signed with SHA-1
pub const SIGNATURE_ALGORITHM: Rule = Rule::new(
    "certificate.signature-algorithm",
    "the certificate is not signed with SHA-1",
);
/// a signing certificate, not a CA (basicConstraints CA:FALSE)
/// the certificate is the key's (same public key)
pub const MATCHES_KEY: Rule = Rule::new(
    "certificate.matches-key",
    "the certificate is the key's (same public key)",
);
/// a signing certificate, not a CA (basicConstraints CA:FALSE)
pub const NOT_CA: Rule = Rule::new(
    "certificate.not-ca",
    "a signing certificate, not a CA (basicConstraints CA:FALSE)",
);

/// Validity, with a warning `warn_days` before expiry.
pub fn validity(c: &CertSummary, now: i64, warn_days: i64) -> Check {
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
            "make a new key and certificate (certkit selfsign, or a new Google key)",
        )
    } else if c.not_after_unix - now < warn_days * 86_400 {
        Check::warn(
            VALIDITY,
            format!(
                "expires soon: on {}, in {} days",
                c.not_after,
                (c.not_after_unix - now) / 86_400
            ),
            "plan a new key and certificate before then",
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
