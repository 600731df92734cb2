//! Google's rules for service-account keys and the JWT assertions it accepts.
//! Sources: `shared/reference/salesforce-google.md`.

/// Google's OAuth token endpoint (the `aud` of a JWT-bearer assertion).
pub const TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
/// The older token endpoint some guides still show.
pub const LEGACY_TOKEN_URI: &str = "https://accounts.google.com/o/oauth2/token";
/// The password Google puts on every P12 key.
pub const P12_PASSWORD: &str = "notasecret";
/// Longest lifetime Google accepts for an assertion (`exp - iat`).
pub const MAX_LIFETIME_SECS: i64 = 3600;

use serde_json::Value;

use super::Check;
use crate::jwt::{Alg, Decoded};

/// What the claims are checked against.
#[derive(Clone, Debug, Default)]
pub struct Expect {
    /// The service account's e-mail, when known (JSON key).
    pub client_email: Option<String>,
    /// The Google key id of the signing key.
    pub key_id: Option<String>,
}

fn str_claim<'a>(d: &'a Decoded, name: &str) -> Option<&'a str> {
    d.claims.get(name).and_then(Value::as_str)
}

/// `exp - iat`, when both are numbers.
pub fn lifetime(d: &Decoded) -> Option<i64> {
    let iat = d.claims.get("iat")?.as_i64()?;
    let exp = d.claims.get("exp")?.as_i64()?;
    Some(exp - iat)
}

fn alg_check(d: &Decoded) -> Check {
    const RULE: &str = "Google verifies RS256 assertions";
    match d.alg() {
        Some(Alg::RS256) => Check::pass("google.alg", RULE, "RS256"),
        other => Check::fail(
            "google.alg",
            RULE,
            format!(
                "alg is {}",
                other.map(Alg::name).unwrap_or("not RS256/RS512")
            ),
            "set the External Credential's Signing Algorithm to RS256",
        ),
    }
}

fn lifetime_check(d: &Decoded) -> Check {
    const RULE: &str = "exp at most 3600 s after iat";
    match lifetime(d) {
        Some(l) if l > 0 && l <= MAX_LIFETIME_SECS => Check::pass("google.lifetime", RULE, format!("{l} s")),
        Some(l) => Check::fail(
            "google.lifetime",
            RULE,
            format!("exp - iat = {l} s (Google: \"Invalid JWT: Token must be a short-lived token (60 minutes)...\")"),
            "set JWT Expiration to 3600 seconds or less",
        ),
        None => Check::fail("google.lifetime", RULE, "iat or exp is missing or not a number", "send numeric iat and exp claims"),
    }
}

fn kid_check(d: &Decoded, expect: &Expect, required: bool) -> Check {
    const RULE: &str = "header kid is the Google key id";
    let kid = d.header.get("kid").and_then(Value::as_str);
    let Some(want) = &expect.key_id else {
        return Check::warn(
            "google.kid",
            RULE,
            "the Google key id of this key is unknown",
            "compare kid with the key id in Google Cloud",
        );
    };
    let fix = format!("edit the kid claim (JWT header) of the External Credential to {want}");
    let fail_or_warn = |detail: String| {
        if required {
            Check::fail("google.kid", RULE, detail, fix.clone())
        } else {
            Check::warn("google.kid", RULE, detail, fix.clone())
        }
    };
    match kid {
        Some(k) if k == want => Check::pass("google.kid", RULE, k.to_string()),
        Some(k) => fail_or_warn(format!(
            "kid is \"{k}\" (Salesforce sends the certificate's Unique Name by default); Google may reject a wrong key id"
        )),
        None => fail_or_warn("no kid: Google tries every key of the account today, and reserves the right to require it".into()),
    }
}

fn iss_check(d: &Decoded, expect: &Expect) -> Check {
    const RULE: &str = "iss is the service account's client_email";
    match (str_claim(d, "iss"), &expect.client_email) {
        (None, _) => Check::fail(
            "google.iss",
            RULE,
            "iss is missing",
            "set Issuer (iss) to the service account's e-mail",
        ),
        (Some(i), Some(want)) if i != want => Check::fail(
            "google.iss",
            RULE,
            format!(
                "iss is \"{i}\", the key belongs to \"{want}\" (Google: \"Invalid JWT Signature\")"
            ),
            format!("set Issuer (iss) to {want}"),
        ),
        (Some(i), _) if !i.ends_with(".gserviceaccount.com") => Check::warn(
            "google.iss",
            RULE,
            format!("iss \"{i}\" is not a service-account address"),
            "set Issuer (iss) to the client_email of the key",
        ),
        (Some(i), _) => Check::pass("google.iss", RULE, i.to_string()),
    }
}

/// Rules of Google's OAuth token endpoint (JWT-bearer grant).
pub fn token_exchange_checks(d: &Decoded, expect: &Expect) -> Vec<Check> {
    let mut out = vec![alg_check(d), iss_check(d, expect)];
    const SCOPE: &str = "scope is a claim inside the JWT, space-separated";
    out.push(match d.claims.get("scope") {
        Some(Value::String(s)) if !s.trim().is_empty() => {
            if s.contains(',') {
                Check::warn("google.scope", SCOPE, format!("scope \"{s}\" has commas"), "separate scopes with spaces")
            } else {
                Check::pass("google.scope", SCOPE, s.clone())
            }
        }
        _ => Check::fail(
            "google.scope",
            SCOPE,
            "no scope claim in the JWT (Google: \"invalid_scope: Invalid OAuth scope or ID token audience provided\")",
            "add a JWT Body Claim named scope to the External Credential; a scope typed in the credential's Scope field is sent as a form parameter, which Google rejects",
        ),
    });
    const AUD: &str = "aud is Google's token endpoint";
    out.push(match str_claim(d, "aud") {
        Some(a) if a == TOKEN_URI => Check::pass("google.aud", AUD, a.to_string()),
        Some(a) if a == LEGACY_TOKEN_URI => Check::warn(
            "google.aud",
            AUD,
            format!("{a} is the older endpoint"),
            format!("prefer {TOKEN_URI}"),
        ),
        other => Check::fail(
            "google.aud",
            AUD,
            format!(
                "aud is {} (Google: \"Invalid JWT: Failed audience check\")",
                other
                    .map(|a| format!("\"{a}\""))
                    .unwrap_or("missing".into())
            ),
            format!("set Audience (aud) to {TOKEN_URI}"),
        ),
    });
    out.push(lifetime_check(d));
    out.push(kid_check(d, expect, false));
    if let (Some(sub), Some(iss)) = (str_claim(d, "sub"), str_claim(d, "iss")) {
        const SUB: &str = "sub is set only for domain-wide delegation";
        out.push(if super::jwt::badly_quoted(sub) {
            Check::fail("google.sub", SUB, format!("sub {sub} has quotes"), "remove the quotes around the user's e-mail")
        } else if sub == iss {
            Check::pass("google.sub", SUB, "sub is the service account itself")
        } else {
            Check::warn(
                "google.sub",
                SUB,
                format!("sub impersonates {sub}: domain-wide delegation must be granted (else \"unauthorized_client\")"),
                "grant the client id domain-wide delegation for these scopes in the Workspace admin console, or drop sub",
            )
        });
    }
    out
}

/// Rules of a Google self-signed JWT (sent as the bearer token, no exchange).
pub fn self_signed_checks(d: &Decoded, expect: &Expect) -> Vec<Check> {
    let mut out = vec![alg_check(d), iss_check(d, expect)];
    const SUB: &str = "sub equals iss (the service account)";
    out.push(match (str_claim(d, "sub"), str_claim(d, "iss")) {
        (Some(s), Some(i)) if s == i => Check::pass("google.sub", SUB, s.to_string()),
        (s, _) => Check::fail(
            "google.sub",
            SUB,
            format!("sub is {s:?}"),
            "set Subject (sub) to the service account's e-mail",
        ),
    });
    const AUD: &str = "exactly one of aud (https://SERVICE.googleapis.com/) and scope";
    let aud = str_claim(d, "aud");
    let scope = d.claims.get("scope").is_some();
    let api = aud
        .and_then(super::jwt::https_host_path)
        .filter(|(host, path)| {
            let service = host.strip_suffix(".googleapis.com").unwrap_or("");
            !service.is_empty()
                && !service.contains('.')
                && service != "oauth2"
                && (path.is_empty() || *path == "/")
        });
    out.push(match (aud, scope) {
        (Some(a), false) if api.is_some() => Check::pass("google.aud-or-scope", AUD, a.to_string()),
        (Some(a), false) => Check::fail(
            "google.aud-or-scope",
            AUD,
            format!("aud \"{a}\" is not a Google API's https://SERVICE.googleapis.com/ (the token endpoint is for the exchange profile)"),
            "set aud to the API's address, such as https://bigquery.googleapis.com/",
        ),
        (None, true) => Check::pass("google.aud-or-scope", AUD, "scope"),
        (Some(_), true) => Check::fail("google.aud-or-scope", AUD, "both aud and scope are set", "keep one of them"),
        (None, false) => Check::fail(
            "google.aud-or-scope",
            AUD,
            "neither aud nor scope",
            "set aud to https://SERVICE.googleapis.com/",
        ),
    });
    out.push(lifetime_check(d));
    out.push(kid_check(d, expect, true));
    out
}
