//! Google's rules for service-account keys and the JWT assertions it accepts.
//! Sources: each rule names its own (`source`).
//!
//! Facts and sources: `docs/token-endpoints.md`, `docs/google-service-accounts.md`.

/// Google's OAuth token endpoint (the `aud` of a JWT-bearer assertion).
pub const TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
/// The older token endpoint some guides still show.
pub const LEGACY_TOKEN_URI: &str = "https://accounts.google.com/o/oauth2/token";
/// Google's v4 token endpoint, which older client libraries used as `token_uri` and `aud`
/// (Google's own "Failed audience check" answer once named it as the right audience).
pub const V4_TOKEN_URI: &str = "https://www.googleapis.com/oauth2/v4/token";

/// Whether a URL is one of Google's token endpoints, current or older.
pub fn is_token_uri(u: &str) -> bool {
    [TOKEN_URI, LEGACY_TOKEN_URI, V4_TOKEN_URI].contains(&u)
}
/// The password Google puts on every P12 key.
pub use crate::formats::pkcs12::GOOGLE_P12_PASSWORD as P12_PASSWORD;
/// Longest lifetime Google accepts for an assertion (`exp - iat`).
pub const MAX_LIFETIME_SECS: i64 = 3600;

use serde_json::Value;

use super::{Check, Remedy, Rule, TokenError};
use crate::jws::{Alg, Decoded};

/// Google's page on service-account JWTs, the source of most of its rules.
const SA_DOC: &str = "https://developers.google.com/identity/protocols/oauth2/service-account";

/// Google verifies RS256 assertions
pub const ALG: Rule = Rule::new("google.alg", "Google verifies RS256 assertions").enforced(
    "https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests (\"RSA using SHA-256 hashing algorithm\"); googleapis/google-cloud-python #10004",
);
/// exp at most 3600 s after iat
pub const LIFETIME: Rule = Rule::new("google.lifetime", "exp at most 3600 s after iat").enforced(
    "https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests (\"a maximum of 1 hour after the issued time\"); googleapis/google-api-php-client #1501",
);
/// iat is set
pub const IAT: Rule = Rule::new("google.iat", "iat (issued at) is set, a number of seconds").enforced(
    "https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests (iat is required; Google answers \"Invalid JWT: iat (issued at) is not set.\")",
);
/// kid names the published key that verifies the signature
pub const KID_PUBLISHED: Rule = Rule::new(
    "google.kid-published",
    "kid names the published key that verifies the signature",
)
.advice(SA_DOC);
/// header kid is the Google key id
pub const KID: Rule = Rule::new("google.kid", "header kid is the Google key id").documented(
    "https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests (kid is optional for the exchange; Google tries the account's keys); forcedotcom/cli #3025",
);
/// header kid is the Google key id (self-signed JWT)
pub const SELF_SIGNED_KID: Rule = Rule::new(
    "google.self-signed-kid",
    "header kid is the Google key id (self-signed JWT)",
)
.documented("https://developers.google.com/identity/protocols/oauth2/service-account#jwt-auth (kid: the private key ID)");
/// iss is the service account's client_email
pub const ISS: Rule = Rule::new("google.iss", "iss is the service account's client_email")
    .enforced("https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests; googleapis/google-api-python-client #605 (\"Not a valid email or user ID.\")");
/// scope is a claim inside the JWT, space-separated
pub const SCOPE: Rule = Rule::new(
    "google.scope",
    "scope is a claim inside the JWT, space-separated",
)
.enforced("https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests; oneduo/laravel-recaptcha-enterprise #10 (\"invalid_scope\")");
/// aud is Google's token endpoint
pub const AUD: Rule = Rule::new("google.aud", "aud is Google's token endpoint").enforced(
    "https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests; google/oauth2l #130 (\"Invalid JWT: Failed audience check.\")",
);
/// sub is set only for domain-wide delegation
pub const SUB: Rule = Rule::new("google.sub", "sub is set only for domain-wide delegation")
    .enforced("https://developers.google.com/identity/protocols/oauth2/service-account#delegatingauthority; googleapis/google-auth-library-ruby #210 (\"unauthorized_client\")");
/// sub equals iss (the service account)
pub const SELF_SIGNED_SUB: Rule = Rule::new(
    "google.self-signed-sub",
    "sub equals iss (the service account), self-signed JWT",
)
.documented("https://developers.google.com/identity/protocols/oauth2/service-account#jwt-auth");
/// exactly one of aud (`https://SERVICE.googleapis.com/`) and scope
pub const AUD_OR_SCOPE: Rule = Rule::new(
    "google.aud-or-scope",
    "exactly one of aud (https://SERVICE.googleapis.com/) and scope",
)
.enforced("https://google.aip.dev/auth/4111 (the API checks the audience of a self-signed JWT); https://developers.google.com/identity/protocols/oauth2/service-account#jwt-auth");

/// Every rule of this authority.
pub const RULES: &[Rule] = &[
    ALG,
    LIFETIME,
    IAT,
    KID_PUBLISHED,
    KID,
    SELF_SIGNED_KID,
    ISS,
    SCOPE,
    AUD,
    SUB,
    SELF_SIGNED_SUB,
    AUD_OR_SCOPE,
];

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

fn lifetime_checks(d: &Decoded) -> Vec<Check> {
    if super::jwt::numeric_date(d, "iat").is_none() {
        return vec![Check::fail(
            IAT,
            "no numeric iat (Google: \"Invalid JWT: iat (issued at) is not set.\")",
            "send iat: the time of signing, in seconds since 1970",
        )];
    }
    let life = match super::jwt::lifetime(d) {
        Some(l) => lifetime_value_check(l),
        None => Check::fail(LIFETIME, "exp is missing or not a number (Google: \"Invalid JWT: exp (expiration time) is not set.\")", "send a numeric exp claim"),
    };
    vec![Check::pass(IAT, "iat is set"), life]
}

fn kid_check(d: &Decoded, expect: &Expect, self_signed: bool) -> Check {
    kid_value_check(
        d.header.get("kid").and_then(Value::as_str),
        expect.key_id.as_deref(),
        self_signed,
    )
}

fn iss_check(d: &Decoded, expect: &Expect) -> Check {
    iss_value_check(str_claim(d, "iss"), expect.client_email.as_deref())
}

/// The issuer rule on a value, wherever it comes from (a token's claim, an External
/// Credential's `iss`): one verdict for one value.
pub fn iss_value_check(iss: Option<&str>, client_email: Option<&str>) -> Check {
    match (iss, client_email) {
        (None, _) => Check::fail(
            ISS,
            "iss is missing (Google: \"Not a valid email or user ID.\")",
            "set Issuer (iss) to the service account's e-mail (client_email)",
        )
        .with_remedy(Remedy::Claim("iss")),
        (Some(i), _) if super::jwt::badly_quoted(i) => Check::fail(
            ISS,
            format!("iss is {i}, with quotes (Google: \"Not a valid email or user ID.\")"),
            "remove the quotes around the service account's e-mail",
        ),
        (Some(i), Some(want)) if i != want => Check::fail(
            ISS,
            format!(
                "iss is \"{i}\", the key belongs to \"{want}\" (Google: \"Invalid JWT Signature\")"
            ),
            format!("set Issuer (iss) to {want}"),
        ),
        (Some(i), _) if !crate::keyids::is_service_account(i) => Check::warn(
            ISS,
            format!("iss \"{i}\" is not a service-account address"),
            "set Issuer (iss) to the client_email of the key",
        ),
        (Some(i), _) => Check::pass(ISS, i.to_string()),
    }
}

/// The audience rule of the token exchange on a value (a token's claim, an External
/// Credential's `aud`).
pub fn aud_value_check(aud: Option<&str>) -> Check {
    match aud {
        Some(a) if a == TOKEN_URI => Check::pass(AUD, a.to_string()),
        Some(a) if is_token_uri(a) => Check::warn(
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
    }
}

/// The lifetime rule on a number of seconds (`exp - iat`, or an External Credential's
/// expiration formula).
pub fn lifetime_value_check(life: i64) -> Check {
    if life > 0 && life <= MAX_LIFETIME_SECS {
        Check::pass(LIFETIME, format!("{life} s"))
    } else {
        Check::fail(LIFETIME, format!("exp - iat = {life} s (Google: \"Invalid JWT: Token must be a short-lived token (60 minutes)...\")"),
            "set JWT Expiration to 3600 seconds or less",
        )
    }
}

/// The kid rule on a value (a token's header, an External Credential's kid claim).
pub fn kid_value_check(kid: Option<&str>, key_id: Option<&str>, self_signed: bool) -> Check {
    let rule = if self_signed { SELF_SIGNED_KID } else { KID };
    // Never a pass without a Google key id to compare with: a key that is not a Google
    // service account's has none.
    let Some(want) = key_id else {
        return Check::warn(
            rule,
            format!(
                "{}; the Google key id of this key is unknown (not a Google service-account key or certificate)",
                kid.map(|k| format!("kid is \"{k}\""))
                    .unwrap_or_else(|| "no kid".into())
            ),
            "compare kid with the key id in Google Cloud (IAM > Service Accounts > Keys), or check the key with certkit kid",
        );
    };
    let fix = format!("edit the kid claim (JWT header) of the External Credential to {want}");
    match kid {
        Some(k) if k == want => Check::pass(rule, k.to_string()),
        Some(k) => Check::fail(rule, format!(
            "kid is \"{k}\" (Salesforce sends the certificate's Unique Name by default); Google may reject a wrong key id"
        ), fix),
        None => Check::fail(rule, "no kid: Google tries every key of the account today, and reserves the right to require it", fix),
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
    out.push(aud_value_check(str_claim(d, "aud")));
    out.extend(lifetime_checks(d));
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
            match s {
                Some(s) => format!("sub is \"{s}\", not iss"),
                None => "sub is missing".to_string(),
            },
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
    out.extend(lifetime_checks(d));
    out.push(kid_check(d, expect, true));
    out
}

/// How certkit names Google's 200 answer that holds an id_token and no access_token (it has
/// no error code or description of its own).
pub const ID_TOKEN_ONLY: &str = "(a 200 answer with an id_token and no access_token)";

/// Google's token endpoint's answers to a JWT-bearer request, exactly as it sends them.
/// Each entry names its public source.
pub const TOKEN_ERRORS: &[TokenError] = &[
    TokenError {
        id: "google.id-token-only",
        error: "",
        description: ID_TOKEN_ONLY,
        also: &[],
        status: 200,
        cause: "the scope claim holds an audience (a URL of a service, target_audience) rather than OAuth scopes: Google answers with an id_token and no access_token",
        fix: "set the scope claim to the API's scope URLs (https://www.googleapis.com/auth/...)",
        check: Some("certkit verify KEYSTORE.jks --profile google --scope 'SCOPES'"),
        source: "dart-archive/googleapis_auth #80",
    },
    TokenError {
        id: "google.invalid-jwt-signature",
        error: "invalid_grant",
        description: "Invalid JWT Signature.",
        also: &[],
        status: 400,
        cause: "the signature does not verify with any key of the account: the key was deleted or rotated, the key and iss belong to different service accounts, the wrong certificate was imported into Salesforce, or alg is not RS256",
        fix: "sign with a key that exists in Google Cloud for client_email (IAM > Service Accounts > Keys), re-import that key's JKS, set iss to that account, and sign RS256",
        check: Some("certkit kid KEYSTORE.jks --metadata X509_METADATA.json"),
        source: "googleapis/google-cloud-python #10004; erebusnz/gapi-google-analytics-php-interface #147; forcedotcom/cli #3025",
    },
    TokenError {
        id: "google.short-lived-token",
        error: "invalid_grant",
        description: "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.",
        also: &[
            "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values and use a clock with skew to account for clock differences between systems.",
            "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe",
        ],
        status: 400,
        cause: "exp - iat is more than 3600 seconds, or the signing machine's clock is off (iat in the future, exp already past)",
        fix: "set the JWT expiration to 3600 seconds or less, and check the clock",
        check: Some("certkit verify KEYSTORE.jks --profile google --scope 'SCOPES'"),
        source: "googleapis/google-api-php-client #1501; fastlane/fastlane #14972",
    },
    TokenError {
        id: "google.failed-audience-check",
        error: "invalid_grant",
        description: "Invalid JWT: Failed audience check.",
        also: &["Invalid JWT: Failed audience check. The right audience is https://www.googleapis.com/oauth2/v4/token"],
        status: 400,
        cause: "aud is missing or is not Google's token URL",
        fix: "set aud to https://oauth2.googleapis.com/token (the JSON key's token_uri)",
        check: Some("certkit verify KEYSTORE.jks --profile google --scope 'SCOPES'"),
        source: "google/oauth2l #130; nithinmurali/pygsheets #500; googleapis/google-api-dotnet-client #3025",
    },
    TokenError {
        id: "google.invalid-scope",
        error: "invalid_scope",
        description: "Invalid OAuth scope or ID token audience provided.",
        also: &[],
        status: 400,
        cause: "the JWT has no scope claim (the External Credential's Scope field sends scope as a form parameter, not in the JWT), or the scope is empty or malformed",
        fix: "add a JWT Body Claim named scope (space-separated scope URLs) to the External Credential, and leave its Scope field empty",
        check: Some("certkit verify KEYSTORE.jks --profile google --scope 'SCOPES'"),
        source: "reported by users on Salesforce StackExchange, with the Scope field sent as a form parameter: https://salesforce.stackexchange.com/questions/310834; oneduo/laravel-recaptcha-enterprise #10",
    },
    TokenError {
        id: "google.invalid-downscoping",
        error: "invalid_scope",
        description: "Invalid downscoping, scopes should not be specified as a request parameter.",
        also: &[],
        status: 400,
        cause: "scope was sent as a form parameter (the External Credential's or principal's Scope field) while sub impersonates a user (domain-wide delegation)",
        fix: "empty the Scope field of the External Credential and its principal; send the scopes as a JWT Body Claim named scope",
        check: Some("certkit exchange KEYSTORE.jks --profile google --scope 'SCOPES' --sub USER@YOUR_DOMAIN"),
        source: "miyako/4d-plugin-jwt README.md; reported by users on Salesforce StackExchange: https://salesforce.stackexchange.com/questions/310834",
    },
    TokenError {
        id: "google.unauthorized-client",
        error: "unauthorized_client",
        description: "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.",
        also: &[
            "Client is unauthorized to retrieve access tokens using this method.",
            "Unauthorized client or scope in request.",
        ],
        status: 401,
        cause: "sub impersonates a user but domain-wide delegation is not granted to this service account's client id for these exact scopes (or was granted less than 24 hours ago)",
        fix: "in the Google Workspace Admin console (Security > API controls > Domain-wide delegation) add the numeric client id with exactly these scopes, or drop sub",
        check: None,
        source: "googleapis/google-auth-library-ruby #210, #123; googleapis/google-api-php-client #950",
    },
    TokenError {
        id: "google.account-not-found",
        error: "invalid_grant",
        description: "Invalid grant: account not found",
        also: &[],
        status: 400,
        cause: "the service account was deleted or disabled, or iss is not a service account",
        fix: "enable or re-create the service account in Google Cloud and set iss to its client_email",
        check: Some("certkit inspect KEY.json"),
        source: "googleapis/google-cloud-php #3622",
    },
    TokenError {
        id: "google.no-valid-verifier",
        error: "invalid_grant",
        description: "Invalid JWT: No valid verifier found for issuer.",
        also: &[],
        status: 400,
        cause: "the account has no active key that Google can use for iss yet (a key created seconds ago), or the key belongs to another account",
        fix: "wait a minute and retry; check that the key id is listed for the account",
        check: Some("certkit kid KEYSTORE.jks --metadata X509_METADATA.json"),
        source: "GAM-team/GAM src/gam/gamlib/glapi.py OAUTH2_TOKEN_ERRORS",
    },
    TokenError {
        id: "google.not-a-valid-email",
        error: "invalid_grant",
        description: "Not a valid email or user ID.",
        also: &["Invalid email or User ID.", "Not a valid email."],
        status: 400,
        cause: "iss (or the impersonated sub) is missing or not an e-mail address",
        fix: "set iss to the service account's client_email (and sub, when set, to a user's address)",
        check: Some("certkit verify KEYSTORE.jks --profile google --scope 'SCOPES'"),
        source: "googleapis/google-api-python-client #605; googleapis/google-api-php-client #783",
    },
    TokenError {
        id: "google.unsupported-grant-type",
        error: "unsupported_grant_type",
        description: "Invalid grant_type: ",
        also: &[],
        status: 400,
        cause: "the request body was not application/x-www-form-urlencoded, so Google saw no grant_type",
        fix: "POST grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=JWT form-encoded (an External Credential does)",
        check: Some("certkit exchange KEYSTORE.jks --profile google --scope 'SCOPES' --dry-run"),
        source: "googleapis/google-api-nodejs-client #2003",
    },
    TokenError {
        id: "google.iat-not-set",
        error: "invalid_grant",
        description: "Invalid JWT: iat (issued at) is not set.",
        also: &[],
        status: 400,
        cause: "the JWT has no iat claim",
        fix: "add iat (an External Credential adds it by itself)",
        check: Some("certkit verify --token-file TOKEN.txt --cert CERT.crt --profile google"),
        source: "https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests (iat and exp are required claims); the wording as Google's endpoint answered a capture in 2026",
    },
    TokenError {
        id: "google.exp-not-set",
        error: "invalid_grant",
        description: "Invalid JWT: exp (expiration time) is not set.",
        also: &[],
        status: 400,
        cause: "the JWT has no exp claim",
        fix: "add exp at most 3600 seconds after iat",
        check: Some("certkit verify --token-file TOKEN.txt --cert CERT.crt --profile google"),
        source: "https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests (iat and exp are required claims); the wording as Google's endpoint answered a capture in 2026",
    },
    TokenError {
        id: "google.invalid-impersonation",
        error: "invalid_request",
        description: "Invalid impersonation \"sub\" field.",
        also: &["Invalid impersonation prn email address."],
        status: 400,
        cause: "sub is malformed (quotes, spaces, not an address)",
        fix: "set sub to the impersonated user's plain e-mail address, or drop it",
        check: Some("certkit verify KEYSTORE.jks --profile google --scope 'SCOPES' --sub USER@YOUR_DOMAIN"),
        source: "GAM-team/GAM glapi.py OAUTH2_TOKEN_ERRORS; GAM-team/GAM PR #1171",
    },
    TokenError {
        id: "google.account-deleted",
        error: "invalid_grant",
        description: "The account has been deleted",
        also: &[],
        status: 400,
        cause: "the user sub impersonates was deleted",
        fix: "impersonate an active user",
        check: None,
        source: "GAM-team/GAM PR #1171",
    },
    TokenError {
        id: "google.account-restricted",
        error: "access_denied",
        description: "Account restricted",
        also: &[],
        status: 400,
        cause: "the user sub impersonates is restricted",
        fix: "impersonate an active, unrestricted user",
        check: None,
        source: "GAM-team/GAM PR #1171, glapi.py",
    },
];
