//! Salesforce's External Credential, as a retrieved `.externalCredential-meta.xml` holds it:
//! what in it breaks the JWT-bearer exchange. Each check names the XML element. A value the
//! assertion rules also judge (iss, sub, aud, kid, the lifetime) gets the verdict of the same
//! rule function, so that the XML and the assertion checks never disagree. Each rule names
//! its source.
//!
//! Facts and sources: `docs/salesforce-metadata.md`, `docs/token-endpoints.md`.

use super::{google, jwt, salesforce_jwt, Check, Rule};
use crate::formats::sfmeta::{EcParameter, ExternalCredential, NamedCredential, PermissionSet};
use crate::integration::Integration;

/// authenticationProtocol is Oauth
pub const PROTOCOL: Rule = Rule::new("ec.protocol", "authenticationProtocol is Oauth")
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.nc_create_edit_oath_jwt_bearer_ext_cred.htm&type=5");
/// the flow is JWT Bearer
pub const VARIANT: Rule = Rule::new(
    "ec.flow",
    "the flow is JWT Bearer (AuthProtocolVariant Oauth = JwtBearer)",
)
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.nc_create_edit_oath_jwt_bearer_ext_cred.htm&type=5");
/// the Identity Provider URL is the provider's token endpoint
pub const TOKEN_URL: Rule = Rule::new(
    "ec.token-url",
    "the Identity Provider URL (AuthProviderUrl) is the provider's token endpoint",
)
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.nc_create_edit_oath_jwt_bearer_ext_cred.htm&type=5; the provider's token URL: https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests, https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_jwt_flow.htm&type=5");
/// the signing certificate is this keystore's
pub const SIGNING_CERTIFICATE: Rule = Rule::new(
    "ec.signing-certificate",
    "the signing certificate (SigningCertificate) is this keystore's alias",
)
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.nc_create_edit_oath_jwt_bearer_ext_cred.htm&type=5; another key is refused (\"Invalid JWT Signature.\", googleapis/google-cloud-python #10004)");
/// the signing algorithm is one the provider accepts
pub const ALG: Rule = Rule::new(
    "ec.alg",
    "the signing algorithm (JwtHeaderClaim alg) is one the provider accepts",
)
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.nc_create_edit_oath_jwt_bearer_ext_cred.htm&type=5 (RS256 or RS512); Google verifies RS256 only (https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests)");
/// kid is the Google key id
pub const KID: Rule = Rule::new("ec.kid", "kid (JwtHeaderClaim) is the Google key id")
.documented("https://help.salesforce.com/s/articleView?id=xcloud.nc_create_edit_oath_jwt_bearer_ext_cred.htm&type=5 (kid defaults to the certificate's Unique Name); https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests (kid optional for the exchange)");
/// iss, sub and aud are set together
pub const ISS_SUB_AUD: Rule = Rule::new(
    "ec.iss-sub-aud",
    "iss, sub and aud (JwtBodyClaim) are all set once any claim is edited",
)
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.nc_create_edit_oath_jwt_bearer_ext_cred.htm&type=5 (\"you must provide values for all three\"); reported by users (salesforce.stackexchange.com/questions/400540)");
/// iss is the right issuer
pub const ISS: Rule = Rule::new(
    "ec.iss",
    "iss (JwtBodyClaim) is the issuer the provider knows: the service account, or the consumer key",
)
.enforced("https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests; https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_jwt_flow.htm&type=5");
/// each claim is set once
pub const DUPLICATE: Rule = Rule::new(
    "ec.duplicate",
    "each claim and header is set once (a second one is ambiguous)",
)
.advice("https://help.salesforce.com/s/articleView?id=xcloud.nc_create_edit_oath_jwt_bearer_ext_cred.htm&type=5 (one value per claim; which one Salesforce sends is not documented)");
/// sub carries no quotes
pub const SUB: Rule = Rule::new(
    "ec.sub",
    "sub (JwtBodyClaim) is the plain name, without quotes, for a named principal",
)
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.nc_create_edit_oath_jwt_bearer_ext_cred.htm&type=5 (a named principal's sub is a string); quotes reported by users (salesforce.stackexchange.com/questions/298585)");
/// aud is the provider's audience
pub const AUD: Rule = Rule::new("ec.aud", "aud (JwtBodyClaim) is the provider's audience")
.enforced("https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests; https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_jwt_flow.htm&type=5 (\"audience is invalid\")");
/// the lifetime is what the provider accepts
pub const EXP: Rule = Rule::new(
    "ec.exp",
    "the JWT expiration (JwtBodyClaim exp formula) is within what the provider accepts",
)
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.nc_create_edit_oath_jwt_bearer_ext_cred.htm&type=5 (exp default 2 minutes); Google refuses more than 3600 s (https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests); Salesforce documents 180 s but is not known to refuse more (a warning)");
/// scope is a JWT body claim, not a Scope parameter
pub const SCOPE: Rule = Rule::new(
    "ec.scope",
    "scope is a JwtBodyClaim, not an AuthParameter Scope (sent as a form parameter)",
)
.enforced("Google answers \"invalid_scope\" to a scope form parameter (oneduo/laravel-recaptcha-enterprise #10); the Scope field is sent as a form parameter: reported by users (salesforce.stackexchange.com/questions/310834)");
/// a principal exists
pub const PRINCIPAL: Rule = Rule::new(
    "ec.principal",
    "the credential has a principal (NamedPrincipal or PerUserPrincipal)",
)
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.nc_create_edit_oath_jwt_bearer_ext_cred.htm&type=5");
/// the permission set grants the principal
pub const GRANTED: Rule = Rule::new(
    "ec.permission-set",
    "the permission set grants the principal (externalCredentialPrincipalAccesses)",
)
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.nc_create_edit_oath_jwt_bearer_ext_cred.htm&type=5 (the user needs a permission set granting the principal)");
/// the Named Credential uses this External Credential
pub const NAMED_CREDENTIAL: Rule = Rule::new(
    "ec.named-credential",
    "the Named Credential authenticates with this External Credential",
)
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.nc_create_edit_external_credential.htm&type=5");

/// Every rule of this authority.
pub const RULES: &[Rule] = &[
    PROTOCOL,
    VARIANT,
    TOKEN_URL,
    SIGNING_CERTIFICATE,
    ALG,
    KID,
    ISS_SUB_AUD,
    ISS,
    DUPLICATE,
    SUB,
    AUD,
    EXP,
    SCOPE,
    PRINCIPAL,
    GRANTED,
    NAMED_CREDENTIAL,
];

/// A shared rule's verdict on an XML value, under this file's rule, the element named. When
/// the shared rule rests on other evidence (Salesforce's documented lifetime under `ec.exp`),
/// the check says so: one value, one verdict, one level.
fn as_xml(rule: Rule, element: String, c: Check) -> Check {
    let rule = if c.rule.evidence == rule.evidence {
        rule
    } else {
        Rule {
            evidence: c.rule.evidence,
            source: c.rule.source,
            ..rule
        }
    };
    Check {
        rule,
        detail: format!("{element}: {}", c.detail),
        ..c
    }
}

/// Whose token endpoint the credential talks to: the integrations whose External Credential
/// rules certkit knows (a third party's endpoint has rules of its own, unknown here).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    /// Google.
    Google,
    /// Salesforce (org to org).
    Salesforce,
}

impl Provider {
    /// The provider of an integration; `None` for a third party, whose rules are unknown.
    pub fn of(integration: Integration) -> Option<Provider> {
        match integration {
            Integration::Google => Some(Provider::Google),
            Integration::Salesforce => Some(Provider::Salesforce),
            Integration::ThirdParty => None,
        }
    }
}

/// What the credential is checked against: the keystore's facts.
#[derive(Clone, Debug)]
pub struct Expect {
    /// Whose endpoint.
    pub provider: Provider,
    /// The Unique Names the keystore's certificate may have once imported (the aliases
    /// p12-to-jks writes for its keys); empty when unknown.
    pub certificates: Vec<String>,
    /// The Google key id of the key, for Google.
    pub google_key_id: Option<String>,
    /// The service account the key belongs to, for Google.
    pub client_email: Option<String>,
}

/// The seconds in the exp formula `{!Text(FLOOR((NOW() - DATETIMEVALUE( "1970-01-01 00:00:00" )) * 86400 + N))}`
/// (white space aside): N, negative for `- N`; `None` for any other formula.
pub fn formula_lifetime(formula: &str) -> Option<i64> {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let f = squeeze(formula);
    let head = squeeze(&exp_formula(0));
    let head = head.strip_suffix("+0))}")?;
    let rest = f.strip_prefix(head)?;
    let (sign, rest) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let n = rest.strip_suffix("))}")?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || n.len() > 12 {
        return None;
    }
    n.parse::<i64>().ok().map(|n| sign * n)
}

/// The formula an External Credential uses for exp: now plus `seconds`.
pub fn exp_formula(seconds: i64) -> String {
    format!(
        "{{!Text(FLOOR((NOW() - DATETIMEVALUE( \"1970-01-01 00:00:00\" )) * 86400 + {seconds}))}}"
    )
}

/// The credential's principals, named or per user.
fn principals(ec: &ExternalCredential) -> Vec<&EcParameter> {
    ec.parameters
        .iter()
        .filter(|p| p.parameter_type == "NamedPrincipal" || p.parameter_type == "PerUserPrincipal")
        .collect()
}

fn value(p: Option<&EcParameter>) -> Option<&str> {
    p.and_then(|p| p.parameter_value.as_deref())
}

fn element(ty: &str, name: &str) -> String {
    format!("<externalCredentialParameters> {ty} {name}")
}

/// A JWT body claim's value, when set and not blank.
fn claim<'a>(ec: &'a ExternalCredential, n: &str) -> Option<&'a str> {
    value(ec.find("JwtBodyClaim", n)).filter(|v| !v.trim().is_empty())
}

/// One rule applied to the credential: `None` when it does not apply.
type RuleCheck = fn(&ExternalCredential, &Expect) -> Option<Check>;

/// Every rule, in the order they are reported.
const CHECKS: &[RuleCheck] = &[
    protocol_check,
    variant_check,
    token_url_check,
    signing_certificate_check,
    alg_check,
    kid_check,
    duplicate_check,
    iss_check,
    iss_sub_aud_check,
    sub_check,
    aud_check,
    exp_check,
    scope_check,
    principal_check,
];

/// Every rule, applied.
pub fn checks(ec: &ExternalCredential, x: &Expect) -> Vec<Check> {
    CHECKS.iter().filter_map(|check| check(ec, x)).collect()
}

fn protocol_check(ec: &ExternalCredential, _: &Expect) -> Option<Check> {
    Some(if ec.authentication_protocol == "Oauth" {
        Check::pass(
            PROTOCOL,
            "<authenticationProtocol>Oauth</authenticationProtocol>",
        )
    } else {
        Check::fail(
            PROTOCOL,
            format!(
                "<authenticationProtocol> is \"{}\"",
                ec.authentication_protocol
            ),
            "Authentication Protocol: OAuth 2.0",
        )
    })
}

fn variant_check(ec: &ExternalCredential, _: &Expect) -> Option<Check> {
    Some(match value(ec.find("AuthProtocolVariant", "Oauth")) {
        Some("JwtBearer") => Check::pass(VARIANT, "JwtBearer"),
        other => Check::fail(
            VARIANT,
            format!(
                "{} is {}",
                element("AuthProtocolVariant", "Oauth"),
                other.unwrap_or("missing")
            ),
            "Authentication Flow Type: JWT Bearer Flow",
        ),
    })
}

fn token_url_check(ec: &ExternalCredential, x: &Expect) -> Option<Check> {
    let url = value(ec.find("AuthProviderUrl", "AuthProviderUrl"));
    // As a message shows a URL: a password before the host hidden.
    let url_shown = url.map(crate::http::shown);
    let url_ok = match (x.provider, url) {
        (Provider::Google, Some(u)) => google::is_token_uri(u),
        (Provider::Salesforce, Some(u)) => jwt::https_host_path(u).is_some_and(|(h, p)| {
            p == "/services/oauth2/token" && salesforce_jwt::is_salesforce_host(h)
        }),
        (_, None) => false,
    };
    Some(if url_ok {
        Check::pass(TOKEN_URL, url_shown.unwrap_or_default())
    } else {
        Check::fail(
            TOKEN_URL,
            format!(
                "{} is {}",
                element("AuthProviderUrl", "AuthProviderUrl"),
                url_shown.as_deref().unwrap_or("missing")
            ),
            match x.provider {
                Provider::Google => format!("Identity Provider URL: {}", google::TOKEN_URI),
                Provider::Salesforce => "Identity Provider URL: https://login.salesforce.com/services/oauth2/token (test.salesforce.com or the My Domain for sandboxes)".to_string(),
            },
        )
    })
}

fn signing_certificate_check(ec: &ExternalCredential, x: &Expect) -> Option<Check> {
    let cert = ec
        .find("SigningCertificate", "SigningCertificate")
        .and_then(|p| p.certificate.as_deref());
    Some(match cert {
        Some(c) if x.certificates.iter().any(|w| w == c) => {
            Check::pass(SIGNING_CERTIFICATE, c.to_string())
        }
        Some(c) if x.certificates.is_empty() => Check::warn(
            SIGNING_CERTIFICATE,
            format!("<certificate> is \"{c}\"; this key's certificate name in the org is not known here"),
            "give the certificate's Unique Name to compare (the alias it was imported under)",
        ),
        Some(c) => Check::fail(
            SIGNING_CERTIFICATE,
            format!(
                "<certificate> is \"{c}\", this keystore's alias is {}",
                x.certificates.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" or ")
            ),
            format!(
                "pick the certificate \"{}\" (imported from this keystore) as Signing Certificate",
                x.certificates[0]
            ),
        ),
        None => Check::fail(
            SIGNING_CERTIFICATE,
            format!("{} is missing", element("SigningCertificate", "SigningCertificate")),
            "pick the imported certificate as Signing Certificate",
        ),
    })
}

fn alg_check(ec: &ExternalCredential, x: &Expect) -> Option<Check> {
    let alg = value(ec.find("JwtHeaderClaim", "alg")).unwrap_or("RS256");
    Some(match (x.provider, alg) {
        (_, "RS256") => Check::pass(ALG, "RS256"),
        (Provider::Salesforce, "RS512") => Check::warn(
            ALG,
            "RS512: Salesforce documents RS256 for its own token endpoint",
            "Signing Algorithm: RS256",
        ),
        (_, a) => Check::fail(
            ALG,
            format!("{} is {a}", element("JwtHeaderClaim", "alg")),
            "Signing Algorithm: RS256",
        ),
    })
}

/// Google only.
fn kid_check(ec: &ExternalCredential, x: &Expect) -> Option<Check> {
    if x.provider != Provider::Google {
        return None;
    }
    // Without a kid claim, Salesforce sends the certificate's Unique Name.
    let kid = value(ec.find("JwtHeaderClaim", "kid"));
    let c = google::kid_value_check(kid, x.google_key_id.as_deref(), false);
    Some(match kid {
        Some(_) => as_xml(KID, element("JwtHeaderClaim", "kid"), c),
        None => as_xml(
            KID,
            format!(
                "no {} (Salesforce sends the certificate's Unique Name)",
                element("JwtHeaderClaim", "kid")
            ),
            c,
        ),
    })
}

fn duplicate_check(ec: &ExternalCredential, _: &Expect) -> Option<Check> {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    let mut dups = Vec::new();
    for p in ec
        .parameters
        .iter()
        .filter(|p| p.parameter_type.starts_with("Jwt"))
    {
        let key = (p.parameter_type.as_str(), p.parameter_name.as_str());
        if seen.contains(&key) && !dups.contains(&p.parameter_name.as_str()) {
            dups.push(p.parameter_name.as_str());
        }
        seen.push(key);
    }
    Some(if dups.is_empty() {
        Check::pass(DUPLICATE, "no claim twice")
    } else {
        Check::fail(
            DUPLICATE,
            format!(
                "{} set twice: {}",
                element("Jwt...Claim", ""),
                dups.join(", ")
            ),
            "keep one parameter per claim",
        )
    })
}

/// When iss is set.
fn iss_check(ec: &ExternalCredential, x: &Expect) -> Option<Check> {
    let iss = claim(ec, "iss")?;
    let c = match x.provider {
        Provider::Google => google::iss_value_check(Some(iss), x.client_email.as_deref()),
        Provider::Salesforce => salesforce_jwt::iss_value_check(Some(iss)),
    };
    Some(as_xml(ISS, element("JwtBodyClaim", "iss"), c))
}

fn iss_sub_aud_check(ec: &ExternalCredential, _: &Expect) -> Option<Check> {
    let given: Vec<&str> = ["iss", "sub", "aud"]
        .into_iter()
        .filter(|c| claim(ec, c).is_some())
        .collect();
    Some(match given.len() {
        3 => Check::pass(ISS_SUB_AUD, "iss, sub and aud are set"),
        _ => Check::fail(
            ISS_SUB_AUD,
            format!(
                "no {}for {}",
                element("JwtBodyClaim", ""),
                ["iss", "sub", "aud"]
                    .into_iter()
                    .filter(|c| !given.contains(c))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "set Issuer, Subject and Audience claims",
        ),
    })
}

/// When sub is set.
fn sub_check(ec: &ExternalCredential, x: &Expect) -> Option<Check> {
    let per_user = ec.of_type("PerUserPrincipal").next().is_some();
    let sub = claim(ec, "sub")?;
    let el = element("JwtBodyClaim", "sub");
    Some(if sub.starts_with("{!") && !per_user {
        Check::fail(
            SUB,
            format!("{el} is the formula {sub}"),
            "a named principal's sub is a literal username; formulas are for per-user principals",
        )
    } else if per_user {
        Check::pass(SUB, sub.to_string())
    } else {
        match x.provider {
            Provider::Salesforce => as_xml(SUB, el, salesforce_jwt::sub_value_check(Some(sub))),
            Provider::Google if jwt::badly_quoted(sub) => Check::fail(
                SUB,
                format!("{el} is {sub}"),
                "remove the quotes: a named principal's sub is a plain string",
            ),
            Provider::Google => Check::pass(SUB, sub.to_string()),
        }
    })
}

fn aud_check(ec: &ExternalCredential, x: &Expect) -> Option<Check> {
    let aud = claim(ec, "aud");
    Some(match (x.provider, aud) {
        // A retrieved credential showed quotes here; whether Salesforce strips them is not
        // known (a retrieved External Credential, amitastreait/salesforce-integration-reloaded,
        // stores aud with quotes; docs/salesforce-metadata.md): a warning.
        (_, Some(a)) if jwt::badly_quoted(a) => Check::warn(
            AUD,
            format!(
                "{} is {a}, with quotes (whether Salesforce strips them is not known)",
                element("JwtBodyClaim", "aud")
            ),
            "remove the quotes around the audience",
        ),
        (Provider::Google, a) => as_xml(
            AUD,
            element("JwtBodyClaim", "aud"),
            google::aud_value_check(a),
        ),
        (Provider::Salesforce, a) => {
            let c = salesforce_jwt::audience_check(a);
            Check {
                rule: AUD,
                detail: format!("{}: {}", element("JwtBodyClaim", "aud"), c.detail),
                ..c
            }
        }
    })
}

fn exp_check(ec: &ExternalCredential, x: &Expect) -> Option<Check> {
    // Salesforce's default when no expiration is given: two minutes.
    let default = 120;
    let el = element("JwtBodyClaim", "exp");
    Some(match claim(ec, "exp").map(|f| (f, formula_lifetime(f))) {
        None => Check::pass(EXP, format!("{default} s (Salesforce's default)")),
        // Already expired when signed: every endpoint refuses it.
        Some((_, Some(n))) if n <= 0 => Check::fail(
            EXP,
            format!("{el} gives {n} s: the assertion is expired when it is signed"),
            format!("use {}", exp_formula(default)),
        ),
        Some((_, Some(n))) => {
            let c = match x.provider {
                Provider::Google => google::lifetime_value_check(n),
                Provider::Salesforce => salesforce_jwt::lifetime_value_check(n),
            };
            let max = match x.provider {
                Provider::Google => google::MAX_LIFETIME_SECS,
                Provider::Salesforce => salesforce_jwt::MAX_LIFETIME_SECS,
            };
            Check {
                fix: c
                    .fix
                    .as_ref()
                    .map(|_| format!("JWT Expiration: between 1 and {max} seconds")),
                ..as_xml(EXP, el, c)
            }
        }
        Some((f, None)) => Check::warn(
            EXP,
            format!("{el} is {f}: not the formula now + N seconds, so its lifetime cannot be told here (advice)"),
            format!("use {}", exp_formula(default)),
        ),
    })
}

/// Google only.
fn scope_check(ec: &ExternalCredential, x: &Expect) -> Option<Check> {
    if x.provider != Provider::Google {
        return None;
    }
    let scope_param = ec
        .of_type("AuthParameter")
        .find(|p| p.parameter_name.eq_ignore_ascii_case("scope"));
    let scope_claim = claim(ec, "scope");
    let impersonates = claim(ec, "sub").is_some_and(|s| Some(s) != claim(ec, "iss"));
    Some(match (scope_claim, scope_param) {
        (_, Some(p)) => Check::fail(
            SCOPE,
            format!(
                "<externalCredentialParameters> AuthParameter Scope (group {}) sends scope as a form parameter: Google answers {}",
                p.parameter_group.as_deref().unwrap_or("DefaultGroup"),
                match (impersonates, scope_claim.is_some()) {
                    (true, _) => "\"Invalid downscoping, scopes should not be specified as a request parameter.\"",
                    (false, true) => "a scope form parameter besides the scope claim, which Google refuses with sub set (\"Invalid downscoping\")",
                    (false, false) => "\"Invalid OAuth scope or ID token audience provided.\"",
                }
            ),
            "empty the Scope field of the credential and its principal; add a JWT Body Claim named scope",
        ),
        (Some(s), None) if !s.trim().is_empty() => Check::pass(SCOPE, s.to_string()),
        _ => Check::fail(
            SCOPE,
            format!("no {}", element("JwtBodyClaim", "scope")),
            "add a JWT Body Claim named scope with the space-separated scopes",
        ),
    })
}

fn principal_check(ec: &ExternalCredential, _: &Expect) -> Option<Check> {
    let principals = principals(ec);
    Some(match principals.first() {
        Some(p) => Check::pass(
            PRINCIPAL,
            format!("{} {}", p.parameter_type, p.parameter_name),
        ),
        None => Check::fail(
            PRINCIPAL,
            "no NamedPrincipal or PerUserPrincipal parameter",
            "add a Named Principal",
        ),
    })
}

/// The permission set grants one of the credential's principals (`NAME-PRINCIPAL`).
pub fn granted(ec: &ExternalCredential, name: &str, ps: &PermissionSet) -> Check {
    let wanted: Vec<String> = principals(ec)
        .iter()
        .map(|p| format!("{name}-{}", p.parameter_name))
        .collect();
    match ps
        .principal_accesses
        .iter()
        .find(|a| a.enabled && wanted.contains(&a.external_credential_principal))
    {
        Some(a) => Check::pass(GRANTED, a.external_credential_principal.clone()),
        None => Check::fail(
            GRANTED,
            format!(
                "no enabled <externalCredentialPrincipalAccesses> for {}",
                if wanted.is_empty() { "a principal".into() } else { wanted.join(" or ") }
            ),
            "grant the principal in the permission set (External Credential Principal Access) and assign the set to the running user",
        ),
    }
}

/// The Named Credential's Authentication parameter names this External Credential.
pub fn named_credential(name: &str, nc: &NamedCredential) -> Check {
    match nc
        .parameters
        .iter()
        .find(|p| p.parameter_type == "Authentication")
        .and_then(|p| p.external_credential.as_deref())
    {
        Some(e) if e == name => Check::pass(NAMED_CREDENTIAL, e.to_string()),
        other => Check::fail(
            NAMED_CREDENTIAL,
            format!(
                "<namedCredentialParameters> Authentication <externalCredential> is {}",
                other.unwrap_or("missing")
            ),
            format!("set the Named Credential's External Credential to {name}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exp_formula_gives_back_its_seconds() {
        assert_eq!(formula_lifetime(&exp_formula(3600)), Some(3600));
        assert_eq!(
            formula_lifetime(
                "{!Text(FLOOR((NOW() - DATETIMEVALUE( \"1970-01-01 00:00:00\" )) * 86400 + 180))}"
            ),
            Some(180)
        );
        assert_eq!(formula_lifetime("1700000000"), None);
        let f = |tail: &str| {
            format!("{{!Text(FLOOR((NOW() - DATETIMEVALUE( \"1970-01-01 00:00:00\" )) * 86400 {tail}))}}")
        };
        assert_eq!(formula_lifetime(&f("+ 86400")), Some(86_400));
        assert_eq!(formula_lifetime(&f("- 60")), Some(-60));
        assert_eq!(formula_lifetime(&f("+ 60 * 120")), None);
        assert_eq!(formula_lifetime(&f("+ -5")), None);
    }
}
