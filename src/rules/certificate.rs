//! Rules any signing certificate should meet: in its validity period, not SHA-1, not a CA.

use super::Check;
use crate::x509::CertSummary;

/// Validity, with a warning `warn_days` before expiry.
pub fn validity(c: &CertSummary, now: i64, warn_days: i64) -> Check {
    const RULE: &str = "the certificate is within its validity period";
    if now < c.not_before_unix {
        Check::fail(
            "certificate.validity",
            RULE,
            format!("not valid before {}", c.not_before),
            "check the clock, or make a new certificate",
        )
    } else if now > c.not_after_unix {
        Check::fail(
            "certificate.validity",
            RULE,
            format!("expired on {}", c.not_after),
            "make a new key and certificate (certkit selfsign, or a new Google key)",
        )
    } else if c.not_after_unix - now < warn_days * 86_400 {
        Check::warn(
            "certificate.validity",
            RULE,
            format!(
                "expires on {}, in {} days",
                c.not_after,
                (c.not_after_unix - now) / 86_400
            ),
            "plan a new key and certificate before then",
        )
    } else {
        Check::pass(
            "certificate.validity",
            RULE,
            format!("valid until {}", c.not_after),
        )
    }
}

/// The certificate's own signature algorithm: SHA-1 is a warning.
pub fn signature_algorithm(c: &CertSummary) -> Check {
    const RULE: &str = "the certificate is not signed with SHA-1";
    if c.signature_algorithm.starts_with("SHA1") || c.signature_algorithm.starts_with("MD5") {
        Check::warn(
            "certificate.signature-algorithm",
            RULE,
            format!("{} (Google's own P12 certificates are; Java calls it weak)", c.signature_algorithm),
            "acceptable for a self-signed key holder; a new certificate from certkit selfsign uses SHA256withRSA",
        )
    } else {
        Check::pass(
            "certificate.signature-algorithm",
            RULE,
            c.signature_algorithm.clone(),
        )
    }
}

/// A JWT signing certificate should not be a CA (OpenSSL's `req -x509` default).
pub fn not_ca(c: &CertSummary) -> Check {
    const RULE: &str = "a signing certificate, not a CA (basicConstraints CA:FALSE)";
    if c.is_ca {
        Check::warn(
            "certificate.not-ca",
            RULE,
            "CA:TRUE (openssl req -x509's default)",
            "make it with certkit selfsign, which writes CA:FALSE",
        )
    } else {
        Check::pass("certificate.not-ca", RULE, "not a CA")
    }
}
