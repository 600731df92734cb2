//! Rules of Salesforce's OAuth 2.0 JWT bearer flow (Salesforce as the token endpoint,
//! org to org), and of the External Credential screen that builds the assertion.
//!
//! Facts and sources: `docs/token-endpoints.md`, `docs/real-clients.md`.

use serde_json::Value;

use super::{Check, Remedy, Rule, TokenError};
use crate::jws::{Alg, Decoded};

/// signed RS256
pub const ALG: Rule = Rule::new("salesforce.alg", "signed RS256").documented(
    "https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_jwt_flow.htm&type=5 (\"Sign the resulting string using SHA256 with RSA\"); whether RS512 is refused is not known",
);
/// iss is the Connected App's consumer key
pub const ISS: Rule = Rule::new("salesforce.iss", "iss is the Connected App's consumer key")
    .enforced("https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_jwt_flow.htm&type=5; pozil/salesforce-react-integration #15 (\"invalid_client_id: client identifier invalid\")");
/// sub is the username, without quotes
pub const SUB: Rule = Rule::new("salesforce.sub", "sub is the username, without quotes")
    .enforced("https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_jwt_flow.htm&type=5; quotes reported by users (salesforce.stackexchange.com/questions/298585)");
/// exp within 3 minutes of iat
pub const LIFETIME: Rule = Rule::new("salesforce.lifetime", "exp within 3 minutes of iat")
    .documented("https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_jwt_flow.htm&type=5 (\"no more than 3 minutes\"); sf org login jwt sends exp in milliseconds and a one-hour exp is reported working (salesforce.stackexchange.com/questions/298585)");
/// iss, sub and aud all set once any claim is edited (External Credential)
pub const ISS_SUB_AUD: Rule = Rule::new(
    "salesforce.iss-sub-aud",
    "iss, sub and aud all set once any claim is edited (External Credential)",
)
.documented("https://help.salesforce.com/s/articleView?id=xcloud.nc_create_edit_oath_jwt_bearer_ext_cred.htm&type=5; reported by users (salesforce.stackexchange.com/questions/400540)");
/// aud is login, test or the My Domain / Experience Cloud URL
pub const AUD: Rule = Rule::new(
    "salesforce.aud",
    "aud is login, test or the My Domain / Experience Cloud URL",
)
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_jwt_flow.htm&type=5; restforce/restforce #674 (\"invalid_grant: audience is invalid\")");

/// Every rule of this authority.
pub const RULES: &[Rule] = &[ALG, ISS, SUB, LIFETIME, ISS_SUB_AUD, AUD];

/// Salesforce's token endpoints' audiences.
pub const AUDIENCES: [&str; 2] = [
    "https://login.salesforce.com",
    "https://test.salesforce.com",
];
/// Longest `exp - iat` Salesforce documents (it is not known to refuse longer ones).
pub const MAX_LIFETIME_SECS: i64 = 180;

/// Whether an issuer is a placeholder copied from a guide (`3MVG9...consumer-key`,
/// `CONSUMER_KEY`) rather than a consumer key.
pub fn is_placeholder(iss: &str) -> bool {
    let lower = iss.to_ascii_lowercase();
    iss.contains("...")
        || iss.contains('\u{2026}')
        || lower.contains("consumer-key")
        || lower.contains("consumer_key")
        || lower.contains("client-id")
        || lower.contains("client_id")
        || iss.contains('<')
        || iss.contains('{')
        || lower == "3mvg9"
}

fn s<'a>(d: &'a Decoded, name: &str) -> Option<&'a str> {
    d.claims.get(name).and_then(Value::as_str)
}

/// The audience rule (also applied to an External Credential's aud): exactly `https://login.salesforce.com` or `https://test.salesforce.com`,
/// or the https URL of a My Domain (`*.my.salesforce.com`) or site (`*.my.site.com`,
/// `*.force.com`, not the Lightning `*.lightning.force.com`); never the token endpoint.
pub fn audience_check(aud: Option<&str>) -> Check {
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
    } else if host.contains("salesforce.com") || host.contains("force.com") {
        // A Salesforce host that is neither login, test, a My Domain nor a site, or a
        // look-alike (login.salesforce.com.example).
        fail(format!(
            "aud \"{a}\" is not a Salesforce login, My Domain or site URL"
        ))
    } else {
        // An Experience Cloud site may live on a custom domain (any host): certkit cannot
        // tell one from a wrong audience, so it warns rather than says "will refuse".
        Check::warn(
            AUD,
            format!(
                "aud \"{a}\" is not a Salesforce login or My Domain URL: right only if it is an Experience Cloud site on a custom domain (else \"invalid_grant: audience is invalid\")"
            ),
            FIX,
        )
    }
}

/// Whether a host is Salesforce's: login or test, a My Domain, a site.
pub fn is_salesforce_host(host: &str) -> bool {
    host == "login.salesforce.com"
        || host == "test.salesforce.com"
        || host.ends_with(".my.salesforce.com")
        || host.ends_with(".my.site.com")
        || (host.ends_with(".force.com") && !host.ends_with(".lightning.force.com"))
}

/// The issuer rule on a value (a token's claim, an External Credential's `iss`): one
/// verdict for one value.
pub fn iss_value_check(iss: Option<&str>) -> Check {
    match iss {
        Some(i) if super::jwt::badly_quoted(i) => Check::fail(
            ISS,
            format!("iss is {i}, with quotes (\"invalid_client_id: client identifier invalid\")"),
            "remove the quotes around the consumer key",
        ),
        Some(i) if is_placeholder(i) => Check::warn(
            ISS,
            format!("iss \"{i}\" is a placeholder, not a consumer key"),
            "set Issuer (iss) to the Connected App's consumer key (else \"invalid_client_id\")",
        ),
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
    }
}

/// The subject rule on a value (a token's claim, an External Credential's `sub`).
pub fn sub_value_check(sub: Option<&str>) -> Check {
    match sub {
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
    }
}

/// The lifetime rule on a number of seconds (an External Credential's expiration formula).
pub fn lifetime_value_check(life: i64) -> Check {
    if life > 0 && life <= MAX_LIFETIME_SECS {
        Check::pass(LIFETIME, format!("{life} s"))
    } else {
        Check::fail(
            LIFETIME,
            format!("exp - iat = {life} s; Salesforce documents at most {MAX_LIFETIME_SECS} s"),
            "set JWT Expiration to 180 seconds or less",
        )
    }
}

/// Rules of Salesforce's JWT bearer token endpoint.
pub fn bearer_checks(d: &Decoded) -> Vec<Check> {
    let alg = match d.alg() {
        Some(Alg::RS256) => Check::pass(ALG, "RS256"),
        other => Check::fail(
            ALG,
            format!(
                "alg is {}: Salesforce's JWT bearer flow documents RS256; whether it takes another is not known",
                other.map(Alg::name).unwrap_or("not RS256")
            ),
            "set the Signing Algorithm to RS256",
        ),
    };
    vec![
        alg,
        iss_value_check(s(d, "iss")),
        sub_value_check(s(d, "sub")),
        audience_check(s(d, "aud")),
        lifetime_check(d),
    ]
}

/// The lifetime Salesforce documents (3 minutes), a warning at most: `sf org login jwt`
/// sends an exp in milliseconds, simple-salesforce no iat, and both log in.
fn lifetime_check(d: &Decoded) -> Check {
    use super::jwt::{numeric_date, DateForm};
    let exp = numeric_date(d, "exp");
    let iat = numeric_date(d, "iat");
    match (iat, exp) {
        (i, Some((e, DateForm::Millis | DateForm::StringMillis))) => Check::fail(
            LIFETIME,
            format!(
                "{}exp looks like milliseconds; Salesforce accepts it, as sf org login jwt sends it",
                i.map(|(i, _)| format!("exp - iat = {} s: ", e - i)).unwrap_or_default()
            ),
            "send exp in seconds: now + at most 180",
        ),
        (Some((i, _)), Some((e, _))) => lifetime_value_check(e - i),
        (None, Some(_)) => Check::pass(
            LIFETIME,
            "no iat; Salesforce accepts it, as simple-salesforce sends none",
        ),
        (_, None) => Check::fail(
            LIFETIME,
            "exp is missing or not a number",
            "send exp: now + at most 180 seconds",
        ),
    }
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

/// Salesforce's token endpoint's answers to a JWT-bearer request, exactly as it sends them
/// (org to org: an External Credential or a client calling another org's Connected App).
/// Each entry names its public source. A "Couldn't validate jwt token" wording seen only in
/// an unsourced write-up is left out on purpose.
pub const TOKEN_ERRORS: &[TokenError] = &[
    TokenError {
        id: "salesforce.not-approved",
        error: "invalid_grant",
        description: "user hasn't approved this consumer",
        also: &[],
        status: 400,
        cause: "the user (sub) is not pre-authorised for the Connected App: Permitted Users is not \"Admin approved users are pre-authorized\" or the user's profile or permission set is not assigned (for an External Client App, no SetupEntityAccess), the app's Selected OAuth Scopes lack refresh_token, offline_access (the JWT flow looks for an approval that includes refresh_token), or the app was created minutes ago",
        fix: "in the called org set Permitted Users to \"Admin approved users are pre-authorized\" and assign the user's profile or a permission set to the app; wait a few minutes after creating it",
        check: None,
        source: "omniphx/forrest #278; https://salesforce.stackexchange.com/questions/184363; https://salesforce.stackexchange.com/questions/400540",
    },
    TokenError {
        id: "salesforce.refresh-token-scope-required",
        error: "invalid_request",
        description: "refresh_token scope is required and the connected app should be installed and preauthorized.",
        also: &[],
        status: 400,
        cause: "the called org's Connected App does not have refresh_token, offline_access (\"Perform requests at any time\") among its Selected OAuth Scopes, or it is not installed with Permitted Users \"Admin approved users are pre-authorized\" and the user's profile or permission set assigned",
        fix: "in the called org add \"Perform requests at any time (refresh_token, offline_access)\" to the Connected App's Selected OAuth Scopes; Manage > Edit Policies: Permitted Users \"Admin approved users are pre-authorized\", and assign the user's profile or a permission set; wait a few minutes after saving",
        check: None,
        source: "reported by users on Salesforce StackExchange, with this wording: https://salesforce.stackexchange.com/questions/400540 (an External Credential calling another org)",
    },
    TokenError {
        id: "salesforce.audience-invalid",
        error: "invalid_grant",
        description: "audience is invalid",
        also: &[],
        status: 400,
        cause: "aud is not https://login.salesforce.com (production), https://test.salesforce.com (sandbox, scratch org) or the org's My Domain / site URL",
        fix: "set aud by the called org's type; never the token endpoint",
        check: Some("certkit verify KEYSTORE.jks --cert CONNECTED_APP.crt --profile salesforce --iss CONSUMER_KEY --sub USERNAME --aud https://login.salesforce.com"),
        source: "https://salesforce.stackexchange.com/questions/184363; restforce/restforce #674; forcedotcom/cli #3482",
    },
    TokenError {
        id: "salesforce.invalid-assertion",
        error: "invalid_grant",
        description: "invalid assertion",
        also: &[],
        status: 400,
        cause: "the assertion is not a JWT signed by the key of the certificate uploaded to the Connected App (another key, base64 instead of base64url, a key posted instead of a JWT)",
        fix: "upload the certificate of the signing key to the Connected App (Use digital signatures), or sign with the key that belongs to it",
        check: Some("certkit verify KEYSTORE.jks --cert CONNECTED_APP.crt --profile salesforce --iss CONSUMER_KEY --sub USERNAME --aud https://login.salesforce.com"),
        source: "frankkessler/salesforce-laravel-oauth2-rest #68",
    },
    TokenError {
        id: "salesforce.expired-authorization-code",
        error: "invalid_grant",
        description: "expired authorization code",
        also: &[],
        status: 400,
        cause: "exp is in the past: a clock off, local time taken for UTC, or milliseconds taken for seconds",
        fix: "exp = now in UTC seconds + at most 180; check the clock",
        check: Some("certkit verify --token-file TOKEN.txt --cert CONNECTED_APP.crt --profile salesforce"),
        source: "simple-salesforce/simple-salesforce #491, #371; newrelic/newrelic-salesforce-exporter #31",
    },
    TokenError {
        id: "salesforce.client-identifier-invalid",
        error: "invalid_client_id",
        description: "client identifier invalid",
        also: &[],
        status: 400,
        cause: "iss is not the consumer key of a Connected App in this org, or the app was changed less than 2-10 minutes ago",
        fix: "copy the consumer key of the called org's Connected App into iss; wait a few minutes after changes",
        check: None,
        source: "pozil/salesforce-react-integration #15",
    },
    TokenError {
        id: "salesforce.not-admin-approved",
        error: "invalid_app_access",
        description: "user is not admin approved to access this app",
        also: &[],
        status: 400,
        cause: "the Connected App is admin-approved but the user's profile or permission set is not assigned to it",
        fix: "assign the user's profile or a permission set to the Connected App",
        check: None,
        source: "forcedotcom/cli #3260",
    },
    TokenError {
        id: "salesforce.inactive-user",
        error: "invalid_grant",
        description: "inactive user",
        also: &[],
        status: 400,
        cause: "the user named in sub is deactivated",
        fix: "reactivate the user or set sub to an active username",
        check: None,
        source: "restforce/restforce #303",
    },
    TokenError {
        id: "salesforce.authentication-failure",
        error: "invalid_grant",
        description: "authentication failure",
        also: &[],
        status: 400,
        cause: "the login was refused for the user (login hours, IP ranges, a frozen user); documented for the password flow, inferred for JWT",
        fix: "look at the user's Login History in the called org",
        check: None,
        source: "omniphx/forrest #274; restforce/restforce #357",
    },
    TokenError {
        id: "salesforce.ip-restricted",
        error: "invalid_grant",
        description: "ip restricted",
        also: &[],
        status: 400,
        cause: "the Connected App enforces IP restrictions and the caller is outside the allowed ranges (seen with refresh tokens, inferred for JWT)",
        fix: "relax IP restrictions for the app, or add the caller's range",
        check: None,
        source: "sfdx-actions/setup-sfdx #17",
    },
    TokenError {
        id: "salesforce.grant-type-not-supported",
        error: "unsupported_grant_type",
        description: "grant type not supported",
        also: &[],
        status: 400,
        cause: "grant_type was not seen: a JSON body, or the wrong URL",
        fix: "POST form-encoded to https://LOGIN_HOST/services/oauth2/token",
        check: Some("certkit exchange KEYSTORE.jks --profile salesforce --iss CONSUMER_KEY --sub USERNAME --aud https://login.salesforce.com --dry-run"),
        source: "aaronhuggins/sf-jwt-token #1",
    },
    TokenError {
        id: "salesforce.eca-not-installed",
        error: "",
        description: "External client app is not installed in this org",
        also: &[],
        status: 400,
        cause: "the consumer key (iss) is an External Client App's of another org, or the app is not deployed in this org",
        fix: "use the consumer key minted by this org's External Client App (sf project retrieve start --metadata ExtlClntAppGlobalOauthSettings:NAME)",
        check: None,
        source: "forcedotcom/cli #3482, #3638 (CLI text; the OAuth error code was not seen)",
    },
    TokenError {
        id: "salesforce.invalid-client-credentials",
        error: "invalid_client",
        description: "invalid client credentials",
        also: &[],
        status: 400,
        cause: "reported for a JWT encoded base64 instead of base64url (inferred cause)",
        fix: "encode the JWT base64url without padding (certkit and External Credentials do)",
        check: Some("certkit verify --token-file TOKEN.txt --cert CONNECTED_APP.crt --profile salesforce"),
        source: "https://salesforce.stackexchange.com/questions/53662",
    },
];
