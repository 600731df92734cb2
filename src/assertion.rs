//! The JWT-bearer assertion each provider expects: claims built from a profile and
//! flags, signed with the entry's key, verified with a certificate, checked by the
//! provider's rules (`rules::google`, `rules::salesforce_jwt`).

use openssl::pkey::{PKey, Public};
use serde_json::{json, Map, Value};

use crate::error::{Error, Result};
use crate::jwt::{self, Alg, Decoded};
use crate::model::{CertDer, Entry, GoogleAccount};
use crate::rules::{google, salesforce_jwt, Check};
use crate::{keyids, keys, x509};

/// Which provider's assertion to build and check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// Google's token endpoint (JWT-bearer grant with scope).
    Google,
    /// A Google self-signed JWT sent as the bearer token.
    GoogleSelfSigned,
    /// Salesforce's token endpoint (org to org).
    Salesforce,
    /// Only the claims given (plus iat and exp, which Salesforce always adds).
    Generic,
}

/// The claim flags, as given on the command line.
#[derive(Clone, Debug, Default)]
pub struct ClaimFlags {
    /// `iss`.
    pub iss: Option<String>,
    /// `sub`.
    pub sub: Option<String>,
    /// `aud`.
    pub aud: Option<String>,
    /// `scope` (a body claim).
    pub scope: Option<String>,
    /// Header `kid`.
    pub kid: Option<String>,
    /// Extra claims `NAME=VALUE` (VALUE as JSON when it parses, else a string).
    pub claims: Vec<String>,
    /// `exp - iat` in seconds.
    pub exp_seconds: Option<i64>,
}

/// What the signing key tells about defaults.
#[derive(Clone, Debug, Default)]
pub struct KeyContext {
    /// The Google account of a JSON key.
    pub google: Option<GoogleAccount>,
    /// The Google key id (private_key_id, or SHA-1 of the certificate).
    pub google_key_id: Option<String>,
    /// The certificate's CN (a Google P12 certificate's CN is the account).
    pub cert_cn: Option<String>,
    /// The keystore alias (Salesforce's default `kid`).
    pub alias: Option<String>,
}

impl KeyContext {
    /// Gather the context of an entry.
    pub fn of(entry: &Entry, google: Option<&GoogleAccount>) -> Self {
        let ids = keyids::of_entry(entry, google);
        KeyContext {
            google: google.cloned(),
            google_key_id: ids.google_key_id,
            cert_cn: entry.leaf().and_then(|c| x509::common_name(&c.0)),
            alias: ids.alias,
        }
    }
    fn client_email(&self) -> Option<String> {
        self.google
            .as_ref()
            .map(|g| g.client_email.clone())
            .or_else(|| {
                self.cert_cn
                    .clone()
                    .filter(|cn| cn.ends_with(".gserviceaccount.com"))
            })
    }
    /// What Google's rules compare with.
    pub fn expect(&self) -> google::Expect {
        google::Expect {
            client_email: self.google.as_ref().map(|g| g.client_email.clone()),
            key_id: self.google_key_id.clone(),
        }
    }
}

/// Build header and claims for a profile.
pub fn build(
    profile: Profile,
    alg: Alg,
    f: &ClaimFlags,
    ctx: &KeyContext,
) -> Result<(Map<String, Value>, Map<String, Value>)> {
    let iat = crate::clock::now_secs();
    let mut c = Map::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            c.insert(k.to_string(), json!(v));
        }
    };
    let (default_life, kid) = match profile {
        Profile::Google => {
            put("iss", f.iss.clone().or_else(|| ctx.client_email()));
            put("scope", f.scope.clone());
            // The JSON key's own token_uri, else Google's token endpoint.
            let token_uri = ctx.google.as_ref().and_then(|g| g.token_uri.clone());
            put(
                "aud",
                f.aud
                    .clone()
                    .or(token_uri)
                    .or_else(|| Some(google::TOKEN_URI.to_string())),
            );
            put("sub", f.sub.clone());
            (
                google::MAX_LIFETIME_SECS,
                f.kid.clone().or_else(|| ctx.google_key_id.clone()),
            )
        }
        Profile::GoogleSelfSigned => {
            let email = f.iss.clone().or_else(|| ctx.client_email());
            put("iss", email.clone());
            put("sub", f.sub.clone().or(email));
            put("aud", f.aud.clone());
            put("scope", f.scope.clone());
            (
                google::MAX_LIFETIME_SECS,
                f.kid.clone().or_else(|| ctx.google_key_id.clone()),
            )
        }
        Profile::Salesforce => {
            put("iss", f.iss.clone());
            put("sub", f.sub.clone());
            put(
                "aud",
                Some(
                    f.aud
                        .clone()
                        .unwrap_or_else(|| salesforce_jwt::AUDIENCES[0].to_string()),
                ),
            );
            put("scope", f.scope.clone());
            (120, f.kid.clone().or_else(|| ctx.alias.clone()))
        }
        Profile::Generic => {
            put("iss", f.iss.clone());
            put("sub", f.sub.clone());
            put("aud", f.aud.clone());
            put("scope", f.scope.clone());
            (120, f.kid.clone())
        }
    };
    c.insert("iat".into(), json!(iat));
    c.insert(
        "exp".into(),
        json!(iat + f.exp_seconds.unwrap_or(default_life)),
    );
    for kv in &f.claims {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| Error::Usage(format!("--claim \"{kv}\" is not NAME=VALUE")))?;
        let v = serde_json::from_str(v).unwrap_or_else(|_| json!(v));
        c.insert(k.to_string(), v);
    }
    let mut h = Map::new();
    h.insert("alg".into(), json!(alg.name()));
    h.insert("typ".into(), json!("JWT"));
    if let Some(k) = kid {
        h.insert("kid".into(), json!(k));
    }
    Ok((h, c))
}

/// The provider rules for a decoded token.
pub fn rule_checks(profile: Profile, d: &Decoded, ctx: &KeyContext) -> Vec<Check> {
    match profile {
        Profile::Google => google::token_exchange_checks(d, &ctx.expect()),
        Profile::GoogleSelfSigned => google::self_signed_checks(d, &ctx.expect()),
        Profile::Salesforce => salesforce_jwt::bearer_checks(d),
        Profile::Generic => salesforce_jwt::external_credential_checks(d),
    }
}

/// A public key to verify with, and what it is.
pub struct Verifier {
    /// Where it comes from ("certificate CN=...", "Google key id ...").
    pub label: String,
    /// The Google key id of its certificate, when it is one.
    pub key_id: Option<String>,
    /// The key.
    pub key: PKey<Public>,
}

/// Verifiers from certificates.
pub fn verifiers_from_certs(certs: &[(String, CertDer)]) -> Vec<Verifier> {
    certs
        .iter()
        .filter_map(|(label, c)| {
            let x = openssl::x509::X509::from_der(&c.0).ok()?;
            Some(Verifier {
                label: label.clone(),
                key_id: Some(keyids::google_key_id_of_cert(&c.0)),
                key: x.public_key().ok()?,
            })
        })
        .collect()
}

/// Check the signature against each verifier; the first that verifies wins.
pub fn signature_check(d: &Decoded, verifiers: &[Verifier]) -> Result<(Check, Option<usize>)> {
    const RULE: &str = "the signature verifies with the certificate the other side holds";
    for (i, v) in verifiers.iter().enumerate() {
        if jwt::verify(d, &v.key)? {
            return Ok((
                Check::pass("jwt.signature", RULE, format!("verified with {}", v.label)),
                Some(i),
            ));
        }
    }
    let detail = if verifiers.is_empty() {
        "no certificate or public key to verify with".to_string()
    } else {
        format!(
            "does not verify with {} (\"invalid_grant: invalid assertion\" / \"Invalid JWT Signature\"): the key and that certificate are not a pair",
            verifiers.iter().map(|v| v.label.as_str()).collect::<Vec<_>>().join(", ")
        )
    };
    Ok((
        Check::fail("jwt.signature", RULE, detail, "upload the certificate of this very key (certkit kid shows its fingerprints), or sign with the key that belongs to the certificate"),
        None,
    ))
}

/// A label for a certificate: its subject.
pub fn cert_label(c: &CertDer) -> String {
    x509::summarize(&c.0)
        .map(|s| {
            format!(
                "certificate {} (SHA-1 {})",
                s.subject,
                keys::hex(&keys::sha1(&c.0))
            )
        })
        .unwrap_or_else(|| "certificate".into())
}
