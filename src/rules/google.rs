//! Google's rules for service-account keys and the JWT assertions it accepts.
//! Sources: `shared/reference/salesforce-google.md`.

/// Google's OAuth token endpoint (the `aud` of a JWT-bearer assertion).
pub const TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
/// The older token endpoint some guides still show.
pub const LEGACY_TOKEN_URI: &str = "https://accounts.google.com/o/oauth2/token";
/// The password Google puts on every P12 key.
pub use crate::formats::pkcs12::GOOGLE_P12_PASSWORD as P12_PASSWORD;
/// Longest lifetime Google accepts for an assertion (`exp - iat`).
pub const MAX_LIFETIME_SECS: i64 = 3600;

use serde_json::Value;

use super::{Check, Remedy, Rule};
use crate::jwt::{Alg, Decoded};

/// Google verifies RS256 assertions
pub const ALG: Rule = Rule::new("google.alg", "Google verifies RS256 assertions");
/// exp at most 3600 s after iat
pub const LIFETIME: Rule = Rule::new("google.lifetime", "exp at most 3600 s after iat");
/// kid names the published key that verifies the signature
pub const KID_PUBLISHED: Rule = Rule::new(
    "google.kid-published",
    "kid names the published key that verifies the signature",
);
/// header kid is the Google key id
pub const KID: Rule = Rule::new("google.kid", "header kid is the Google key id");
/// iss is the service account's client_email
pub const ISS: Rule = Rule::new("google.iss", "iss is the service account's client_email");
/// scope is a claim inside the JWT, space-separated
pub const SCOPE: Rule = Rule::new(
    "google.scope",
    "scope is a claim inside the JWT, space-separated",
);
/// aud is Google's token endpoint
pub const AUD: Rule = Rule::new("google.aud", "aud is Google's token endpoint");
/// sub is set only for domain-wide delegation
pub const SUB: Rule = Rule::new("google.sub", "sub is set only for domain-wide delegation");
/// sub equals iss (the service account)
pub const SELF_SIGNED_SUB: Rule = Rule::new("google.sub", "sub equals iss (the service account)");
/// exactly one of aud (https://SERVICE.googleapis.com/) and scope
pub const AUD_OR_SCOPE: Rule = Rule::new(
    "google.aud-or-scope",
    "exactly one of aud (https://SERVICE.googleapis.com/) and scope",
);

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

fn alg_check(d: &Decoded) -> Check {
    match d.alg() {
        Some(Alg::RS256) => Check::pass(ALG, "RS256"),
        other => Check::fail(
            ALG,
            format!(
                "alg is {}",
                other.map(Alg::name).unwrap_or("not RS256/RS512")
            ),
            "set the External Credential's Signing Algorithm to RS256",
        ),
    }
}

fn lifetime_check(d: &Decoded) -> Check {
    match super::jwt::lifetime(d) {
        Some(l) if l > 0 && l <= MAX_LIFETIME_SECS => Check::pass(LIFETIME, format!("{l} s")),
        Some(l) => Check::fail(LIFETIME, format!("exp - iat = {l} s (Google: \"Invalid JWT: Token must be a short-lived token (60 minutes)...\")"),
            "set JWT Expiration to 3600 seconds or less",
        ),
        None => Check::fail(LIFETIME, "iat or exp is missing or not a number", "send numeric iat and exp claims"),
    }
}

fn kid_check(d: &Decoded, expect: &Expect, required: bool) -> Check {
    let kid = d.header.get("kid").and_then(Value::as_str);
    let Some(want) = &expect.key_id else {
        return Check::warn(
            KID,
            "the Google key id of this key is unknown",
            "compare kid with the key id in Google Cloud",
        );
    };
    let fix = format!("edit the kid claim (JWT header) of the External Credential to {want}");
    let fail_or_warn = |detail: String| {
        if required {
            Check::fail(KID, detail, fix.clone())
        } else {
            Check::warn(KID, detail, fix.clone())
        }
    };
    match kid {
        Some(k) if k == want => Check::pass(KID, k.to_string()),
        Some(k) => fail_or_warn(format!(
            "kid is \"{k}\" (Salesforce sends the certificate's Unique Name by default); Google may reject a wrong key id"
        )),
        None => fail_or_warn("no kid: Google tries every key of the account today, and reserves the right to require it".into()),
    }
}

fn iss_check(d: &Decoded, expect: &Expect) -> Check {
    match (str_claim(d, "iss"), &expect.client_email) {
        (None, _) => Check::fail(
            ISS,
            "iss is missing",
            "set Issuer (iss) to the service account's e-mail (client_email)",
        )
        .with_remedy(Remedy::Claim("iss")),
        (Some(i), Some(want)) if i != want => Check::fail(
            ISS,
            format!(
                "iss is \"{i}\", the key belongs to \"{want}\" (Google: \"Invalid JWT Signature\")"
            ),
            format!("set Issuer (iss) to {want}"),
        ),
        (Some(i), _) if !i.ends_with(".gserviceaccount.com") => Check::warn(
            ISS,
            format!("iss \"{i}\" is not a service-account address"),
            "set Issuer (iss) to the client_email of the key",
        ),
        (Some(i), _) => Check::pass(ISS, i.to_string()),
    }
}

/// Rules of Google's OAuth token endpoint (JWT-bearer grant).
pub fn token_exchange_checks(d: &Decoded, expect: &Expect) -> Vec<Check> {
    let mut out = vec![alg_check(d), iss_check(d, expect)];
    out.push(match d.claims.get("scope") {
        Some(Value::String(s)) if !s.trim().is_empty() => {
            if s.contains(',') {
                Check::warn(SCOPE, format!("scope \"{s}\" has commas"), "separate scopes with spaces")
            } else {
                Check::pass(SCOPE, s.clone())
            }
        }
        _ => Check::fail(SCOPE, "no scope claim in the JWT (Google: \"invalid_scope: Invalid OAuth scope or ID token audience provided\")",
            "add a JWT Body Claim named scope to the External Credential; a scope typed in the credential's Scope field is sent as a form parameter, which Google rejects",
        )
        .with_remedy(Remedy::Claim("scope")),
    });
    out.push(match str_claim(d, "aud") {
        Some(a) if a == TOKEN_URI => Check::pass(AUD, a.to_string()),
        Some(a) if a == LEGACY_TOKEN_URI => Check::warn(
            AUD,
            format!("{a} is the older endpoint"),
            format!("prefer {TOKEN_URI}"),
        ),
        other => Check::fail(
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
        out.push(if super::jwt::badly_quoted(sub) {
            Check::fail(SUB, format!("sub {sub} has quotes"), "remove the quotes around the user's e-mail")
        } else if sub == iss {
            Check::pass(SUB, "sub is the service account itself")
        } else {
            Check::warn(SUB, format!("sub impersonates {sub}: domain-wide delegation must be granted (else \"unauthorized_client\")"),
                "grant the client id domain-wide delegation for these scopes in the Workspace admin console, or drop sub",
            )
        });
    }
    out
}

/// Rules of a Google self-signed JWT (sent as the bearer token, no exchange).
pub fn self_signed_checks(d: &Decoded, expect: &Expect) -> Vec<Check> {
    let mut out = vec![alg_check(d), iss_check(d, expect)];
    out.push(match (str_claim(d, "sub"), str_claim(d, "iss")) {
        (Some(s), Some(i)) if s == i => Check::pass(SELF_SIGNED_SUB, s.to_string()),
        (s, _) => Check::fail(
            SELF_SIGNED_SUB,
            format!("sub is {s:?}"),
            "set Subject (sub) to the service account's e-mail",
        ),
    });
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
        (Some(a), false) if api.is_some() => Check::pass(AUD_OR_SCOPE, a.to_string()),
        (Some(a), false) => Check::fail(AUD_OR_SCOPE, format!("aud \"{a}\" is not a Google API's https://SERVICE.googleapis.com/ (the token endpoint is for the exchange profile)"),
            "set aud to the API's address, such as https://bigquery.googleapis.com/",
        ),
        (None, true) => Check::pass(AUD_OR_SCOPE, "scope"),
        (Some(_), true) => Check::fail(AUD_OR_SCOPE, "both aud and scope are set", "keep one of them"),
        (None, false) => Check::fail(AUD_OR_SCOPE, "neither aud nor scope",
            "set aud to https://SERVICE.googleapis.com/",
        ),
    });
    out.push(lifetime_check(d));
    out.push(kid_check(d, expect, true));
    out
}
