//! Rules every token endpoint applies, whoever runs it: the token is not expired, not
//! issued in the future, and names a person without stray quotes or spaces.

use serde_json::Value;

use super::{Check, Rule};
use crate::jwt::Decoded;

/// the token is within its time window (iat not in the future, exp not past)
/// the token is signed RS256 or RS512 (what Salesforce signs with)
pub const ALG: Rule = Rule::new(
    "jwt.alg",
    "the token is signed RS256 or RS512 (what Salesforce signs with)",
);
/// the token is within its time window (iat not in the future, exp not past)
pub const TIME: Rule = Rule::new(
    "jwt.time",
    "the token is within its time window (iat not in the future, exp not past)",
);
/// the signature verifies with the certificate the other side holds
pub const SIGNATURE: Rule = Rule::new(
    "jwt.signature",
    "the signature verifies with the certificate the other side holds",
);

/// Clock skew tolerated for `iat` in the future.
pub const SKEW_SECS: i64 = 60;

/// `exp` not past and `iat` not in the future, at `now`.
pub fn time_checks(d: &Decoded, now: i64) -> Vec<Check> {
    let num = |k: &str| d.claims.get(k).and_then(Value::as_i64);
    let fix = "sign a new assertion, and check the clock of the machine that signs";
    let check = match (num("iat"), num("exp")) {
        (_, Some(exp)) if exp <= now => Check::fail(
            TIME,
            format!(
                "exp {} is past (\"expired authorization code\" / \"Invalid JWT\")",
                crate::clock::rfc3339(exp)
            ),
            fix,
        ),
        (Some(iat), _) if iat > now + SKEW_SECS => Check::fail(
            TIME,
            format!("iat {} is in the future", crate::clock::rfc3339(iat)),
            fix,
        ),
        (_, None) => Check::fail(TIME, "no numeric exp claim", "send an exp claim"),
        _ => Check::pass(TIME, "now is between iat and exp"),
    };
    vec![check]
}

/// `exp - iat`, when both are numbers.
pub fn lifetime(d: &Decoded) -> Option<i64> {
    let iat = d.claims.get("iat")?.as_i64()?;
    let exp = d.claims.get("exp")?.as_i64()?;
    Some(exp - iat)
}

/// Whether a name claim carries quotes of any kind or surrounding white space
/// (a username pasted with its quotes, "xouns" in seed 003).
pub fn badly_quoted(s: &str) -> bool {
    const QUOTES: &[char] = &['"', '\'', '“', '”', '‘', '’', '«', '»', '`'];
    s.starts_with(QUOTES) || s.ends_with(QUOTES) || s.trim() != s
}

/// Split an `https://host/path` URL into (host, path); `None` for anything else.
pub fn https_host_path(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("https://")?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let valid = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !host.starts_with('.')
        && !host.ends_with('.');
    valid.then_some((host, path))
}
