//! Rules of Salesforce's OAuth 2.0 JWT bearer flow (Salesforce as the token endpoint,
//! org to org), and of the External Credential screen that builds the assertion.

use serde_json::Value;

use super::{Check, Remedy, Rule};
use crate::jwt::{Alg, Decoded};

/// signed RS256
pub const ALG: Rule = Rule::new("salesforce.alg", "signed RS256");
/// iss is the Connected App's consumer key
pub const ISS: Rule = Rule::new("salesforce.iss", "iss is the Connected App's consumer key");
/// sub is the username, without quotes
pub const SUB: Rule = Rule::new("salesforce.sub", "sub is the username, without quotes");
/// exp within 3 minutes of iat
pub const LIFETIME: Rule = Rule::new("salesforce.lifetime", "exp within 3 minutes of iat");
/// iss, sub and aud all set once any claim is edited (External Credential)
pub const ISS_SUB_AUD: Rule = Rule::new(
    "salesforce.iss-sub-aud",
    "iss, sub and aud all set once any claim is edited (External Credential)",
);
/// aud is login, test or the My Domain / Experience Cloud URL
pub const AUD: Rule = Rule::new(
    "salesforce.aud",
    "aud is login, test or the My Domain / Experience Cloud URL",
);

/// Salesforce's token endpoints' audiences.
pub const AUDIENCES: [&str; 2] = [
    "https://login.salesforce.com",
    "https://test.salesforce.com",
];
/// Longest `exp - iat` Salesforce accepts.
pub const MAX_LIFETIME_SECS: i64 = 180;

fn s<'a>(d: &'a Decoded, name: &str) -> Option<&'a str> {
    d.claims.get(name).and_then(Value::as_str)
}

/// The audience rule: exactly `https://login.salesforce.com` or `https://test.salesforce.com`,
/// or the https URL of a My Domain (`*.my.salesforce.com`) or site (`*.my.site.com`,
/// `*.force.com`, not the Lightning `*.lightning.force.com`); never the token endpoint.
fn audience_check(aud: Option<&str>) -> Check {
    const FIX: &str = "use https://login.salesforce.com (production), https://test.salesforce.com (sandbox, scratch org) or the org's My Domain URL";
    let fail = |why: String| {
        Check::fail(
            AUD,
            format!("{why} (\"invalid_grant: audience is invalid\")"),
            FIX,
        )
    };
    let Some(a) = aud else {
        return fail("aud is missing".into());
    };
    let a_trim = a.trim_end_matches('/');
    if AUDIENCES.contains(&a_trim) {
        return Check::pass(AUD, a.to_string());
    }
    let Some((host, path)) = super::jwt::https_host_path(a) else {
        return fail(format!("aud \"{a}\" is not an https URL"));
    };
    if path.contains("/services/oauth2") {
        return fail(format!(
            "aud \"{a}\" is the token endpoint; aud is the login URL alone"
        ));
    }
    if host.ends_with(".lightning.force.com") {
        return fail(format!(
            "aud \"{a}\" is a Lightning URL; use the My Domain login URL (*.my.salesforce.com)"
        ));
    }
    let my_domain = host.ends_with(".my.salesforce.com") && path.trim_end_matches('/').is_empty();
    let site = host.ends_with(".my.site.com") || host.ends_with(".force.com");
    if my_domain || site {
        Check::pass(AUD, format!("{a} (a My Domain or site URL)"))
    } else {
        fail(format!(
            "aud \"{a}\" is not a Salesforce login, My Domain or site URL"
        ))
    }
}

/// Rules of Salesforce's JWT bearer token endpoint.
pub fn bearer_checks(d: &Decoded) -> Vec<Check> {
    let mut out = Vec::new();
    out.push(match d.alg() {
        Some(Alg::RS256) => Check::pass(ALG, "RS256"),
        _ => Check::warn(
            ALG,
            "Salesforce's JWT bearer flow documents RS256",
            "set the Signing Algorithm to RS256",
        ),
    });
    out.push(match s(d, "iss") {
        Some(i) if i.starts_with("3MVG") => Check::pass(ISS, "a consumer key"),
        Some(i) => Check::warn(
            ISS,
            format!("iss \"{i}\" does not look like a consumer key (they begin with 3MVG)"),
            "set Issuer (iss) to the Connected App's consumer key (else \"invalid_client_id\")",
        ),
        None => Check::fail(
            ISS,
            "iss is missing (\"invalid_client_id: client identifier invalid\")",
            "set Issuer (iss) to the Connected App's consumer key",
        )
        .with_remedy(Remedy::Claim("iss")),
    });
    out.push(match s(d, "sub") {
        Some(u) if super::jwt::badly_quoted(u) => Check::fail(
            SUB,
            format!("sub is {u}, with quotes"),
            "remove the double quotes around the username in Subject (sub)",
        ),
        Some(u) if u.contains('@') => Check::pass(SUB, u.to_string()),
        Some(u) => Check::warn(
            SUB,
            format!("sub \"{u}\" is not a username (user@example.com)"),
            "set Subject (sub) to the user's username",
        ),
        None => Check::fail(
            SUB,
            "sub is missing",
            "set Subject (sub) to the integration user's username",
        )
        .with_remedy(Remedy::Claim("sub")),
    });
    out.push(audience_check(s(d, "aud")));
    out.push(match super::jwt::lifetime(d) {
        Some(l) if l > 0 && l <= MAX_LIFETIME_SECS => Check::pass(LIFETIME, format!("{l} s")),
        Some(l) => Check::fail(
            LIFETIME,
            format!("exp - iat = {l} s"),
            "set JWT Expiration to 180 seconds or less",
        ),
        None => Check::fail(LIFETIME, "iat or exp missing", "send numeric iat and exp"),
    });
    out
}

/// The External Credential rule: once any claim is edited, iss, sub and aud must all be given.
pub fn external_credential_checks(d: &Decoded) -> Vec<Check> {
    let given: Vec<&str> = ["iss", "sub", "aud"]
        .into_iter()
        .filter(|c| d.claims.contains_key(*c))
        .collect();
    vec![match given.len() {
        3 => Check::pass(ISS_SUB_AUD, "all three are set"),
        0 => Check::pass(ISS_SUB_AUD, "none set (no claim edited)"),
        _ => Check::warn(
            ISS_SUB_AUD,
            format!("only {} set", given.join(", ")),
            "give Issuer, Subject and Audience values in the External Credential",
        ),
    }]
}
