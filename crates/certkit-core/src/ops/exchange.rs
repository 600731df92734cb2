//! The JWT-bearer token exchange, as a Salesforce External Credential makes it: the assertion
//! signed with the key, POSTed form-encoded to the token endpoint; the provider's answer
//! shown verbatim and, when it refuses, matched to its cause and fix.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::assertion::{ClaimFlags, Profile};
use crate::diagnose::{self, Answer, Integration, Match};
use crate::error::{Error, Result};
use crate::host::Host;
use crate::http::Transport;
use crate::jws::Alg;
use crate::model::{Entry, Keystore, Want};
use crate::open::{self, Input};
use crate::rules::{google, salesforce_jwt, Check, Rule, Status};
use crate::secret::{Password, SecretBytes};
use crate::setting::{msg, Setting};

/// RFC 7523's grant type.
pub const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// the key is among the account's published keys
pub const KEY_PUBLISHED: Rule = Rule::new(
    "google.key-published",
    "the key is among the account's published keys",
);

/// What to exchange, and where.
#[derive(Clone, Debug)]
pub struct Options {
    /// The signing key.
    pub input: Input,
    /// The entry, by alias.
    pub entry: Option<String>,
    /// Whose token endpoint (its defaults and its table of answers).
    pub profile: Profile,
    /// The signing algorithm.
    pub alg: Alg,
    /// The claims.
    pub claims: ClaimFlags,
    /// The token URL [default: from the profile, see [`token_url`]].
    pub token_url: Option<String>,
    /// Also send `scope` as a form parameter, as the External Credential's Scope field does.
    pub scope_param: Option<String>,
    /// Show the request and send nothing.
    pub dry_run: bool,
    /// How long to wait for the whole exchange.
    pub timeout: Duration,
    /// The certificate the other side holds, for the offline checks.
    pub cert: Option<PathBuf>,
    /// Google's metadata document of the account: is this key among its keys?
    pub metadata: Option<PathBuf>,
}

/// One form field as shown (the assertion elided: a credential).
#[derive(Clone, Debug, Serialize)]
pub struct Field {
    /// The name.
    pub name: &'static str,
    /// The value, or what stands for it.
    pub value: String,
}

/// The request, as sent (or as it would be).
#[derive(Clone, Debug, Serialize)]
pub struct Request {
    /// Always POST.
    pub method: &'static str,
    /// The token URL.
    pub url: String,
    /// The headers.
    pub headers: Vec<(String, String)>,
    /// The form fields.
    pub form: Vec<Field>,
    /// The assertion's header, decoded.
    pub assertion_header: Map<String, Value>,
    /// The assertion's claims, decoded (the signature is not shown).
    pub assertion_claims: Map<String, Value>,
}

/// What the provider granted.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Granted {
    /// `token_type`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// `expires_in` (seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<Value>,
    /// The scope granted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Salesforce: the org's instance URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_url: Option<String>,
    /// Salesforce: the identity URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// A token answer. Its fields are named one by one: `#[serde(flatten)]` would copy the
/// access token into a buffer that is not wiped.
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<Value>,
    scope: Option<Value>,
    instance_url: Option<String>,
    id: Option<String>,
    id_token: Option<serde::de::IgnoredAny>,
}

/// How the exchange ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// `--dry-run`: nothing was sent.
    DryRun,
    /// An access token was granted.
    Token,
    /// The provider refused.
    Refused,
}

/// The exchange.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Whose token endpoint.
    pub profile: Profile,
    /// How it ended.
    pub outcome: Outcome,
    /// The request.
    pub request: Request,
    /// The HTTP status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// What was granted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub granted: Option<Granted>,
    /// The provider's error, verbatim. In `--json` it is `answer`: a top-level `error` is
    /// certkit's own failure, in every report.
    #[serde(rename = "answer", skip_serializing_if = "Option::is_none")]
    pub error: Option<Answer>,
    /// What stands for a refusal that is not an OAuth error object (Google's answer with an
    /// id_token and no access token).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// What certkit foresees about the request (a scope form parameter Google refuses).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The causes from the provider's table.
    pub diagnosis: Vec<Match>,
    /// True when the refusal is in no table certkit has.
    pub unknown: bool,
    /// Offline checks of this key and assertion that fail or warn.
    pub offline: Vec<Check>,
    /// The access token: shown only when asked for, never in `--json`.
    #[serde(skip)]
    pub access_token: Option<Password>,
}

/// the token endpoint grants a token for this assertion
pub const LIVE: Rule = Rule::new(
    "exchange.live",
    "the token endpoint grants a token for this assertion",
);

impl Report {
    /// The exchange as one check (`preflight --live`).
    pub fn as_check(&self) -> Check {
        let url = &self.request.url;
        match self.outcome {
            Outcome::Token => Check::pass(
                LIVE,
                format!("HTTP {} from {url}", self.status.unwrap_or(0)),
            ),
            Outcome::DryRun => Check::warn(LIVE, "not sent (dry run)", "send the request")
                .with_remedy(crate::remedy::Remedy::Without(Setting::DryRun)),
            Outcome::Refused => {
                let answer = match &self.error {
                    Some(e) => format!(
                        "{}: {}",
                        e.error,
                        e.error_description.as_deref().unwrap_or("(no description)")
                    ),
                    None => self.body.clone().unwrap_or_default(),
                };
                let fix = match self.diagnosis.first() {
                    Some(m) => format!("{} (cause: {})", m.entry.fix, m.entry.cause),
                    None => "certkit does not know this answer; see certkit exchange for the whole request".into(),
                };
                Check::fail(
                    LIVE,
                    format!("HTTP {} from {url}: {answer}", self.status.unwrap_or(0)),
                    fix,
                )
            }
        }
    }
}

/// The token URL: the one given; for google the JSON key's `token_uri`, else Google's; for
/// salesforce the audience's `/services/oauth2/token`; for generic the audience when it is
/// a URL.
pub fn token_url(o: &Options, token_uri: Option<&str>, aud: Option<&str>) -> Result<String> {
    if let Some(u) = &o.token_url {
        return Ok(u.clone());
    }
    match o.profile {
        Profile::Google => Ok(token_uri.unwrap_or(google::TOKEN_URI).to_string()),
        Profile::Salesforce => {
            // The token endpoint of the audience's host, whatever path the audience carries.
            let aud = aud.unwrap_or(salesforce_jwt::AUDIENCES[0]);
            match crate::rules::jwt::https_host_path(aud) {
                Some((host, _)) => Ok(format!("https://{host}/services/oauth2/token")),
                None => Err(Error::invalid_setting(msg!(
                    format!("the audience \"{aud}\" is not an https URL: give the token URL with "),
                    Setting::TokenUrl.value()
                ))),
            }
        }
        Profile::Generic => match aud {
            Some(a) if a.starts_with("https://") || a.starts_with("http://") => Ok(a.to_string()),
            _ => Err(Error::Invalid(
                "the generic profile needs the token URL (or an aud that is the token URL)".into(),
            )),
        },
        Profile::GoogleSelfSigned => Err(Error::Invalid(
            "a Google self-signed JWT is sent to the API itself; there is no token exchange".into(),
        )),
    }
}

/// The claims the External Credential sends for this key and these options: those `metadata`
/// writes (see [`super::credential::claim_set`]).
pub fn claim_set_of(o: &Options, entry: &Entry, ks: &Keystore) -> super::credential::ClaimSet {
    let google = ks.google.as_ref();
    let ctx = crate::assertion::KeyContext::of(entry, google);
    let cert_name = super::p12_to_jks::default_alias(entry, google);
    super::credential::claim_set(o.profile, &o.claims, &ctx, cert_name.as_deref())
}

/// Sign the assertion, send it through `transport` (unless a dry run), and read the answer.
pub fn run(host: &dyn Host, o: &Options, transport: &dyn Transport) -> Result<Report> {
    let opened = open::open(host, &o.input, true)?;
    let entry = opened.ks.select(o.entry.as_deref(), Want::PrivateKey)?;
    run_with(host, o, &entry, &opened.ks, transport)
}

/// [`run`] with the keystore already open (`preflight --live` opens it once): [`prepare`],
/// send through `transport` (unless a dry run), [`finish`].
pub fn run_with(
    host: &dyn Host,
    o: &Options,
    entry: &Entry,
    ks: &Keystore,
    transport: &dyn Transport,
) -> Result<Report> {
    let prepared = prepare(host, o, entry, ks)?;
    if o.dry_run {
        return Ok(prepared.report);
    }
    let answer = transport.post_form(&prepared.url, &prepared.form, o.timeout)?;
    finish(o, prepared, &answer)
}

/// A token request checked and signed, ready to send. A front end that cannot wait for a
/// [`Transport`] (a web page's `fetch` is asynchronous) sends it itself: POST `form` to
/// `url` with `headers`, then give the answer to [`finish`].
pub struct Prepared {
    /// The token endpoint (it passed [`crate::http::check_url`]).
    pub url: String,
    /// The headers to send, in order ([`crate::http::headers`]).
    pub headers: [(&'static str, String); 3],
    /// The form (`grant_type`, the signed `assertion`, a `scope` when asked), wiped when
    /// dropped.
    pub form: SecretBytes,
    /// The report before anything is sent: what `--dry-run` shows.
    pub report: Report,
}

/// Check and sign the assertion, and plan the request: nothing is sent.
pub fn prepare(host: &dyn Host, o: &Options, entry: &Entry, ks: &Keystore) -> Result<Prepared> {
    // The claims the External Credential `metadata` writes for these inputs sends: the same
    // function derives both (kid: keyids::kid_for, never the keystore alias).
    let claims = claim_set_of(o, entry, ks).flags();
    let checked = super::verify::check(
        host,
        &super::verify::Assertion {
            profile: o.profile,
            alg: o.alg,
            claims: &claims,
            cert: o.cert.as_deref(),
            require_cert: false,
            warn_days: 0,
        },
        Some(entry),
        Some(ks),
        None,
    )?;
    let claims = &checked.decoded.claims;
    let url = token_url(
        o,
        ks.google.as_ref().and_then(|g| g.token_uri.as_deref()),
        claims.get("aud").and_then(Value::as_str),
    )?;
    crate::http::check_url(&url)?;
    let offline = offline_findings(host, o, entry, &checked)?;
    let report = planned_report(o, &url, &checked, offline);
    Ok(Prepared {
        form: form_body(o, checked.token.expose()),
        headers: crate::http::headers(),
        url,
        report,
    })
}

/// The report of a prepared request and the endpoint's answer: the token, or the refusal
/// diagnosed; an answer that is not a token endpoint's is [`crate::error::Error::Network`].
pub fn finish(o: &Options, prepared: Prepared, answer: &crate::http::Answer) -> Result<Report> {
    let Prepared {
        url,
        form,
        mut report,
        ..
    } = prepared;
    drop(form);
    read_answer(o, &url, &mut report, answer)?;
    Ok(report)
}

/// What is wrong before anything is sent: the checks of the assertion that do not pass, and
/// with Google's metadata file, whether the key is still published.
fn offline_findings(
    host: &dyn Host,
    o: &Options,
    entry: &Entry,
    checked: &super::verify::Checked,
) -> Result<Vec<Check>> {
    let mut offline: Vec<Check> = checked
        .all()
        .into_iter()
        .filter(|c| c.status != Status::Pass)
        .collect();
    if let Some(m) = &o.metadata {
        let found = super::kid::match_metadata(host, entry, m)?;
        // Only a failure is an offline finding; a key that is published is as it should be.
        offline.extend(match &found.hit {
            Some(_) => None,
            None => Some(Check::fail(
                KEY_PUBLISHED,
                format!(
                    "none of the {} keys of {} is this key: it was deleted, or belongs to another account",
                    found.key_ids.len(),
                    m.display()
                ),
                "create a new key for the service account and import it",
            )),
        });
    }
    Ok(offline)
}

/// The report of a dry run: the request as it will be sent (the assertion described, not
/// shown), and the offline findings.
fn planned_report(
    o: &Options,
    url: &str,
    checked: &super::verify::Checked,
    offline: Vec<Check>,
) -> Report {
    Report {
        profile: o.profile,
        outcome: Outcome::DryRun,
        request: planned_request(o, url, checked),
        status: None,
        granted: None,
        error: None,
        body: None,
        notes: match (&o.scope_param, o.profile) {
            (None, _)
            | (
                Some(_),
                Profile::GoogleSelfSigned | Profile::Salesforce | Profile::Generic,
            ) => Vec::new(),
            (Some(_), Profile::Google) => vec![
                "the scope form parameter is what the External Credential's Scope field sends: Google refuses it (\"invalid_scope\", or \"Invalid downscoping\" with sub); a JWT Body Claim named scope is what works".into(),
            ],
        },
        diagnosis: Vec::new(),
        unknown: false,
        offline,
        access_token: None,
    }
}

/// The request to show: method, URL, headers, the form with the assertion described.
fn planned_request(o: &Options, url: &str, checked: &super::verify::Checked) -> Request {
    let mut form = vec![
        Field {
            name: "grant_type",
            value: GRANT_TYPE.to_string(),
        },
        Field {
            name: "assertion",
            value: format!(
                "(the signed JWT, {} characters; its header and claims are shown decoded)",
                checked.token.expose().len()
            ),
        },
    ];
    if let Some(s) = &o.scope_param {
        form.push(Field {
            name: "scope",
            value: s.clone(),
        });
    }
    Request {
        method: "POST",
        url: url.to_string(),
        headers: crate::http::headers()
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect(),
        form,
        assertion_header: checked.decoded.header.clone(),
        assertion_claims: checked.decoded.claims.clone(),
    }
}

/// The form body sent. It holds the assertion: built in buffers that are wiped, sized so
/// that none grows (a reallocation would leave a copy behind).
fn form_body(o: &Options, token: &str) -> SecretBytes {
    let assertion = zeroize::Zeroizing::new(crate::http::form_encode(token));
    let grant = crate::http::form_encode(GRANT_TYPE);
    let scope = o.scope_param.as_deref().map(crate::http::form_encode);
    let mut encoded = zeroize::Zeroizing::new(String::with_capacity(
        32 + grant.len() + assertion.len() + scope.as_ref().map_or(0, String::len),
    ));
    encoded.push_str("grant_type=");
    encoded.push_str(&grant);
    encoded.push_str("&assertion=");
    encoded.push_str(&assertion);
    if let Some(s) = &scope {
        encoded.push_str("&scope=");
        encoded.push_str(s);
    }
    SecretBytes::new(encoded.as_bytes().to_vec())
}

/// Read the token endpoint's answer into the report: a token granted, or a refusal with
/// its diagnosis; an answer that is not OAuth's is an error.
fn read_answer(
    o: &Options,
    url: &str,
    report: &mut Report,
    answer: &crate::http::Answer,
) -> Result<()> {
    report.status = Some(answer.status);
    let mut id_token_only = false;
    if (200..300).contains(&answer.status) {
        if let Ok(t) = serde_json::from_slice::<TokenAnswer>(answer.body.expose()) {
            id_token_only = t.access_token.is_none() && t.id_token.is_some();
            if let Some(tok) = t.access_token {
                report.outcome = Outcome::Token;
                report.granted = Some(Granted {
                    token_type: t.token_type,
                    expires_in: t.expires_in,
                    scope: t.scope.map(scope_words),
                    instance_url: t.instance_url,
                    id: t.id,
                });
                report.access_token = Some(Password::new(tok));
                return Ok(());
            }
        }
    }
    report.outcome = Outcome::Refused;
    read_refusal(o, url, report, answer, id_token_only)?;
    for m in &mut report.diagnosis {
        m.command = m
            .entry
            .check
            .map(|c| paste_ready(c, o, &report.request.assertion_claims));
    }
    Ok(())
}

/// The granted scope as words: a string as it is, an array's items joined by spaces.
fn scope_words(s: Value) -> String {
    match s {
        Value::String(s) => s,
        Value::Array(a) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string())
            })
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}

/// A refusal: the OAuth error and its diagnosis, or Google's id_token-only answer.
fn read_refusal(
    o: &Options,
    url: &str,
    report: &mut Report,
    answer: &crate::http::Answer,
    id_token_only: bool,
) -> Result<()> {
    // Parsed only now: a refusal holds no token (a granted one goes straight into a Password).
    let parsed = crate::secret::WipedJson::parse(answer.body.expose()).ok();
    match parsed
        .as_deref()
        .and_then(|v| Answer::from_json(v, Some(answer.status)))
    {
        Some(a) => {
            report.diagnosis = diagnose::diagnose(&a, Some(o.profile.integration()));
            report.unknown = report.diagnosis.is_empty();
            report.error = Some(a);
        }
        None if id_token_only => {
            // Google's answer to a scope that is an audience: an id_token, no access token.
            // The id_token is a credential too: it is not shown.
            let a = Answer {
                status: Some(answer.status),
                error: String::new(),
                error_description: Some(google::ID_TOKEN_ONLY.into()),
            };
            report.diagnosis = diagnose::diagnose(&a, Some(Integration::Google));
            report.unknown = report.diagnosis.is_empty();
            report.body = Some(google::ID_TOKEN_ONLY.into());
        }
        // Not an OAuth answer (an HTML page, a gateway's 5xx, JSON without `error`): not
        // the token endpoint's refusal, so no diagnosis; exit 10 with the status and the
        // first line.
        None => return Err(crate::http::not_token_answer(url, answer)),
    }
    Ok(())
}

/// A check command of the answers' table with its placeholders filled in where this run
/// knows the value: the keystore (quoted, with the password options given), the
/// certificate and Google's metadata file given, the claims sent. What stays in capitals is
/// unknown here.
fn paste_ready(check: &str, o: &Options, claims: &serde_json::Map<String, Value>) -> String {
    use crate::remedy::shell_quote as q;
    let path = |p: &std::path::Path| q(&p.display().to_string());
    let claim = |name: &str| claims.get(name).and_then(Value::as_str).map(q);
    let mut fills: Vec<(&str, String)> =
        vec![("KEYSTORE.jks", super::credential::input_words(&o.input))];
    fills.extend(
        o.metadata
            .as_deref()
            .map(|m| ("X509_METADATA.json", path(m))),
    );
    fills.extend(o.cert.as_deref().map(|c| ("CONNECTED_APP.crt", path(c))));
    fills.extend(claim("scope").map(|s| ("'SCOPES'", s)));
    fills.extend(claim("iss").map(|s| ("CONSUMER_KEY", s)));
    if o.profile == Profile::Salesforce {
        fills.extend(claim("sub").map(|s| ("USERNAME", s)));
        fills.extend(claim("aud").map(|s| ("https://login.salesforce.com", s)));
    }
    let mut words: Vec<String> = Vec::new();
    for w in check.split(' ') {
        match fills.iter().find(|(p, _)| *p == w) {
            // A value that begins with "-" joins its flag (`--sub=-x`), as the command line
            // would otherwise read it as another flag.
            Some((_, v))
                if v.starts_with('-') && words.last().is_some_and(|f| f.starts_with("--")) =>
            {
                let flag = words.pop().unwrap_or_default();
                words.push(format!("{flag}={v}"));
            }
            Some((_, v)) => words.push(v.clone()),
            None => words.push(w.to_string()),
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paste_ready_fills_the_run_s_values_and_keeps_a_dash_value_with_its_flag() {
        let o = Options {
            input: Input::new("my keys/org2.jks"),
            entry: None,
            profile: Profile::Salesforce,
            alg: Alg::RS256,
            claims: ClaimFlags::default(),
            token_url: None,
            scope_param: None,
            dry_run: true,
            timeout: Duration::from_secs(1),
            cert: None,
            metadata: None,
        };
        let mut claims = Map::new();
        claims.insert("iss".into(), Value::from("3MVG9abc"));
        claims.insert("sub".into(), Value::from("-odd.user@example.com"));
        claims.insert("aud".into(), Value::from("https://test.salesforce.com"));
        let filled = paste_ready(
            "certkit verify KEYSTORE.jks --profile salesforce --iss CONSUMER_KEY --sub USERNAME --aud https://login.salesforce.com",
            &o,
            &claims,
        );
        assert_eq!(
            filled,
            "certkit verify 'my keys/org2.jks' --profile salesforce --iss 3MVG9abc --sub=-odd.user@example.com --aud https://test.salesforce.com"
        );
    }
}
