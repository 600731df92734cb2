//! Rules every token endpoint applies, whoever runs it: the token is not expired, not
//! issued in the future, and names a person without stray quotes or spaces.
//!
//! Facts and sources: `docs/token-endpoints.md`, `docs/real-clients.md`.

use serde_json::Value;

use super::{Check, Rule};
use crate::jws::Decoded;

/// the token is signed RS256 or RS512 (what Salesforce signs with)
pub const ALG: Rule = Rule::new(
    "jwt.alg",
    "the token is signed RS256 or RS512 (what Salesforce signs with)",
)
.enforced("https://datatracker.ietf.org/doc/html/rfc7523#section-3 (the JWT must be signed); https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests (RS256)");
/// the token is within its time window (iat not in the future, exp not past)
pub const TIME: Rule = Rule::new(
    "jwt.time",
    "the token is within its time window (iat not in the future, exp not past)",
)
.enforced("https://datatracker.ietf.org/doc/html/rfc7523#section-3 (exp required, expired refused); simple-salesforce/simple-salesforce #491 (\"expired authorization code\")");
/// the signature verifies with the certificate the other side holds
pub const SIGNATURE: Rule = Rule::new(
    "jwt.signature",
    "the signature verifies with the certificate the other side holds",
)
.enforced("https://datatracker.ietf.org/doc/html/rfc7523#section-3; googleapis/google-cloud-python #10004 (\"Invalid JWT Signature.\")");
/// exp and iat are JSON numbers of seconds (RFC 7519 NumericDate)
pub const NUMERIC_DATE: Rule = Rule::new(
    "jwt.numeric-date",
    "exp and iat are JSON numbers of seconds since 1970 (NumericDate)",
)
.documented("https://datatracker.ietf.org/doc/html/rfc7519#section-2 (NumericDate); sf org login jwt (@salesforce/core) sends exp in milliseconds and simple-salesforce a string, and both log in (their assertions are judged in tests/all/clients.rs)");

/// Every rule of this authority.
pub const RULES: &[Rule] = &[ALG, TIME, SIGNATURE, NUMERIC_DATE];

/// Clock skew tolerated for `iat` in the future.
pub const SKEW_SECS: i64 = 60;

/// Above this, a NumericDate is taken for milliseconds (in seconds it would be after the
/// year 5000).
pub const MILLIS_ABOVE: f64 = 1e11;

/// How a time claim was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateForm {
    /// A JSON number of seconds, as RFC 7519 says.
    Seconds,
    /// A JSON number of milliseconds (`sf org login jwt`'s exp).
    Millis,
    /// A JSON string holding a number (simple-salesforce's exp).
    String,
    /// A JSON string holding a number of milliseconds.
    StringMillis,
}

/// A time claim as the endpoints read it, seconds since 1970, and how it was written: a
/// number of seconds, a number that looks like milliseconds (still read as seconds, as
/// Salesforce does: it accepts `sf org login jwt`'s millisecond exp), or a string holding
/// one. `None` when absent or not a number.
pub fn numeric_date(d: &Decoded, name: &str) -> Option<(i64, DateForm)> {
    let (n, string) = match d.claims.get(name)? {
        Value::Number(n) => (n.as_f64()?, false),
        Value::String(s) => (s.trim().parse::<f64>().ok()?, true),
        _ => return None,
    };
    if !n.is_finite() {
        return None;
    }
    let millis = n.abs() > MILLIS_ABOVE;
    let secs = n;
    if secs.abs() > 1e15 {
        return None;
    }
    let form = match (string, millis) {
        (false, false) => DateForm::Seconds,
        (false, true) => DateForm::Millis,
        (true, false) => DateForm::String,
        (true, true) => DateForm::StringMillis,
    };
    Some((secs.floor() as i64, form))
}

/// `exp` and `iat` as JSON numbers of seconds: a warning for milliseconds or a string
/// (documented by RFC 7519; the clients that send them log in every day).
pub fn numeric_date_check(d: &Decoded) -> Check {
    let mut odd = Vec::new();
    for name in ["exp", "iat", "nbf"] {
        let raw = d.claims.get(name).map(Value::to_string).unwrap_or_default();
        match numeric_date(d, name) {
            Some((_, DateForm::Millis)) => odd.push(format!(
                "{name} {raw} looks like milliseconds; Salesforce accepts it, as sf org login jwt sends it"
            )),
            Some((_, DateForm::String)) => odd.push(format!(
                "{name} is the string {raw}, not a number; Salesforce accepts it, as simple-salesforce sends it"
            )),
            Some((_, DateForm::StringMillis)) => odd.push(format!(
                "{name} is the string {raw}, and looks like milliseconds"
            )),
            Some((_, DateForm::Seconds)) => {}
            None if d.claims.contains_key(name) => {
                odd.push(format!("{name} {raw} is not a number of seconds"))
            }
            None => {}
        }
    }
    if odd.is_empty() {
        Check::pass(NUMERIC_DATE, "numbers of seconds")
    } else {
        Check::fail(
            NUMERIC_DATE,
            odd.join("; "),
            "send exp and iat as JSON numbers of seconds since 1970 (RFC 7519 NumericDate)",
        )
    }
}

/// `exp` not past and `iat` not in the future, at `now`; exp and iat are read as
/// [`numeric_date`] reads them (milliseconds and numeric strings included), and how they
/// are written is a check of its own when it is not a number of seconds.
pub fn time_checks(d: &Decoded, now: i64) -> Vec<Check> {
    let fix = "sign a new assertion, and check the clock of the machine that signs";
    let iat = numeric_date(d, "iat").map(|(s, _)| s);
    let exp = numeric_date(d, "exp").map(|(s, _)| s);
    let check = match (iat, exp) {
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
        (None, Some(_)) => Check::pass(TIME, "exp is not past (no iat)"),
        _ => Check::pass(TIME, "now is between iat and exp"),
    };
    let mut out = vec![check];
    let dates = numeric_date_check(d);
    if dates.status != super::Status::Pass {
        out.push(dates);
    }
    out
}

/// `exp - iat` in seconds, when both are NumericDates (numeric strings read as
/// [`numeric_date`] reads them).
pub fn lifetime(d: &Decoded) -> Option<i64> {
    let iat = numeric_date(d, "iat")?.0;
    let exp = numeric_date(d, "exp")?.0;
    Some(exp - iat)
}

/// Whether a name claim carries quotes of any kind or surrounding white space
/// (a username pasted with its quotes, as a user reported typing it:
/// <https://salesforce.stackexchange.com/questions/298585>).
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

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(claims: Value) -> Decoded {
        Decoded {
            header: serde_json::Map::new(),
            claims: claims.as_object().unwrap().clone(),
            signing_input: String::new(),
            signature: Vec::new(),
        }
    }

    #[test]
    fn time_claims_are_read_as_the_endpoints_read_them() {
        let d = decoded(serde_json::json!({
            "iat": 1_796_572_725,
            "exp": 1_796_572_726_272_i64,
            "nbf": "1796572725",
            "bad": "soon",
        }));
        assert_eq!(
            numeric_date(&d, "iat"),
            Some((1_796_572_725, DateForm::Seconds))
        );
        assert_eq!(
            numeric_date(&d, "exp"),
            Some((1_796_572_726_272, DateForm::Millis))
        );
        assert_eq!(
            numeric_date(&d, "nbf"),
            Some((1_796_572_725, DateForm::String))
        );
        assert_eq!(numeric_date(&d, "bad"), None);
        assert_eq!(numeric_date(&d, "missing"), None);
        let c = numeric_date_check(&d);
        assert_eq!(c.status, super::super::Status::Warn);
        assert!(c.detail.contains("milliseconds"), "{}", c.detail);
        assert!(
            c.detail.contains("the string \"1796572725\""),
            "{}",
            c.detail
        );
        // A millisecond exp is far ahead: not past, as Salesforce reads it.
        let t = time_checks(&d, 1_796_572_800);
        assert_eq!(t[0].status, super::super::Status::Pass);
        assert_eq!(t.len(), 2);
    }
}
