//! The JWT-bearer assertion each provider expects: claims built from a profile and
//! flags, signed with the entry's key, verified with a certificate, checked by the
//! provider's rules (`rules::google`, `rules::salesforce_jwt`).

use serde_json::{json, Map, Value};

use crate::choice::Choice;
use crate::crypto::PublicKey;
use crate::error::{Error, Result};
use crate::integration::Integration;
use crate::jws::{self, Alg, Decoded};
use crate::model::{CertDer, Entry, GoogleAccount};
use crate::rules::{google, jwt as jwt_rules, salesforce_jwt, Check, Remedy};
use crate::{keyids, x509};

/// Which provider's assertion to build and check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

impl Profile {
    /// Whose token endpoint the profile's assertion is for (a Google self-signed JWT is
    /// Google's, though no token endpoint reads it).
    pub fn integration(self) -> Integration {
        match self {
            Profile::Google | Profile::GoogleSelfSigned => Integration::Google,
            Profile::Salesforce => Integration::Salesforce,
            Profile::Generic => Integration::ThirdParty,
        }
    }

    /// Which identifier of the key is the `kid` (the one rule: [`keyids::kid_for`]).
    pub fn kid_scheme(self) -> keyids::KidScheme {
        match self {
            Profile::Google | Profile::GoogleSelfSigned => keyids::KidScheme::GoogleKeyId,
            Profile::Salesforce | Profile::Generic => keyids::KidScheme::JwkThumbprint,
        }
    }
}

impl Choice for Profile {
    const ALL: &'static [Self] = &[
        Profile::Google,
        Profile::GoogleSelfSigned,
        Profile::Salesforce,
        Profile::Generic,
    ];
    fn name(self) -> &'static str {
        match self {
            Profile::Google => "google",
            Profile::GoogleSelfSigned => "google-self-signed",
            Profile::Salesforce => "salesforce",
            Profile::Generic => "generic",
        }
    }
    fn help(self) -> &'static str {
        match self {
            Profile::Google => "Google's token endpoint (JWT-bearer grant with scope)",
            Profile::GoogleSelfSigned => "a Google self-signed JWT sent as the bearer token",
            Profile::Salesforce => "Salesforce's token endpoint (org to org)",
            Profile::Generic => {
                "only the claims given (plus iat and exp, which Salesforce always adds)"
            }
        }
    }
}

impl serde::Serialize for Profile {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        crate::choice::serialize(self, s)
    }
}

/// The claims an assertion is built from (the External Credential's claim fields).
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
    /// Whether the key is a Google service account's (a JSON key, a certificate naming a
    /// service account or recording its key id): only then is `google_key_id` Google's.
    pub google_key: bool,
    /// The certificate's CN (a Google P12 certificate's CN is the account).
    pub cert_cn: Option<String>,
    /// The keystore alias.
    pub alias: Option<String>,
    /// The RFC 7638 JWK thumbprint: the `kid` of the salesforce and generic profiles.
    pub jwk_thumbprint: Option<String>,
}

impl KeyContext {
    /// Gather the context of an entry.
    pub fn of(entry: &Entry, google: Option<&GoogleAccount>) -> Self {
        let ids = keyids::of_entry(entry, google);
        KeyContext {
            google: google.cloned(),
            google_key_id: ids.google_key_id,
            google_key: ids.google,
            cert_cn: entry.leaf().and_then(|c| x509::common_name(&c.0)),
            alias: ids.alias,
            jwk_thumbprint: ids.jwk_thumbprint,
        }
    }
    /// This key's `kid` for a profile: the one rule, [`keyids::kid_for`].
    pub fn kid(&self, profile: Profile) -> Option<String> {
        keyids::kid_for(
            profile.kid_scheme(),
            self.google_key_id.as_deref(),
            self.jwk_thumbprint.as_deref(),
        )
    }
    fn client_email(&self) -> Option<String> {
        self.google
            .as_ref()
            .map(|g| g.client_email.clone())
            .or_else(|| {
                self.cert_cn
                    .clone()
                    .filter(|cn| keyids::is_service_account(cn))
            })
    }
    /// What Google's rules compare with.
    pub fn expect(&self) -> google::Expect {
        google::Expect {
            client_email: self.google.as_ref().map(|g| g.client_email.clone()),
            key_id: self
                .google_key_id
                .clone()
                .filter(|_| self.google_key || self.google.is_some()),
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
    let (mut c, default_life, kid) = profile_claims(profile, f, ctx);
    c.insert("iat".into(), json!(iat));
    // An External Credential adds nbf = iat by itself (a Google self-signed JWT has none).
    if profile != Profile::GoogleSelfSigned {
        c.insert("nbf".into(), json!(iat));
    }
    let exp = iat
        .checked_add(f.exp_seconds.unwrap_or(default_life))
        .ok_or_else(|| Error::Invalid("the expiration is out of range".into()))?;
    c.insert("exp".into(), json!(exp));
    for kv in &f.claims {
        let (k, v) = kv
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or_else(|| Error::Invalid(format!("the claim \"{kv}\" is not NAME=VALUE")))?;
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

/// A profile's own claims (`iss`, `sub`, `aud`, `scope`, in its order), its default lifetime
/// in seconds and its `kid`.
fn profile_claims(
    profile: Profile,
    f: &ClaimFlags,
    ctx: &KeyContext,
) -> (Map<String, Value>, i64, Option<String>) {
    let mut c = Map::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            c.insert(k.to_string(), json!(v));
        }
    };
    let default_life = match profile {
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
            google::MAX_LIFETIME_SECS
        }
        Profile::GoogleSelfSigned => {
            let email = f.iss.clone().or_else(|| ctx.client_email());
            put("iss", email.clone());
            put("sub", f.sub.clone().or(email));
            put("aud", f.aud.clone());
            put("scope", f.scope.clone());
            google::MAX_LIFETIME_SECS
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
            120
        }
        Profile::Generic => {
            put("iss", f.iss.clone());
            put("sub", f.sub.clone());
            put("aud", f.aud.clone());
            put("scope", f.scope.clone());
            120
        }
    };
    (c, default_life, f.kid.clone().or_else(|| ctx.kid(profile)))
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
    /// The certificate it comes from (none for a JSON key's own public half).
    pub cert: Option<CertDer>,
    /// Whether it comes from Google's metadata document (labelled with Google's key id).
    pub from_metadata: bool,
    /// The key.
    pub key: PublicKey,
}

/// How a certificate from Google's metadata document is labelled (then its key id).
pub const METADATA_LABEL: &str = "Google key id ";

/// Verifiers from certificates.
pub fn verifiers_from_certs(certs: &[(String, CertDer)]) -> Vec<Verifier> {
    certs
        .iter()
        .filter_map(|(label, c)| {
            let key = x509::cert_public_key(&c.0)?;
            Some(Verifier {
                label: label.clone(),
                key_id: Some(keyids::google_key_id_of_cert(&c.0)),
                cert: Some(c.clone()),
                from_metadata: label.starts_with(METADATA_LABEL),
                key,
            })
        })
        .collect()
}

/// Check the signature against each verifier; the first that verifies wins. With no
/// verifier (a bare key and no certificate given), the check fails when `require` says the
/// step needs the other side's certificate, and warns otherwise.
pub fn signature_check(
    d: &Decoded,
    verifiers: &[Verifier],
    require: bool,
) -> Result<(Check, Option<usize>)> {
    for (i, v) in verifiers.iter().enumerate() {
        if jws::verify(d, &v.key)? {
            return Ok((
                Check::pass(jwt_rules::SIGNATURE, format!("verified with {}", v.label)),
                Some(i),
            ));
        }
    }
    if verifiers.is_empty() {
        let detail = "no certificate to verify with: the key has none, and the one the other side holds was not given";
        let fix = "give the certificate the other side holds (the one uploaded to the Connected App, or Google's x509 metadata of the account)";
        let check = if require {
            Check::fail(jwt_rules::SIGNATURE, detail, fix)
        } else {
            Check::warn(jwt_rules::SIGNATURE, detail, fix)
        };
        return Ok((check.with_remedy(Remedy::PeerCertificate), None));
    }
    let detail = format!(
        "does not verify with {} (\"invalid_grant: invalid assertion\" / \"Invalid JWT Signature\"): the key and that certificate are not a pair",
        verifiers.iter().map(|v| v.label.as_str()).collect::<Vec<_>>().join(", ")
    );
    Ok((
        Check::fail(jwt_rules::SIGNATURE, detail, "upload the certificate of this very key (certkit kid shows its fingerprints), or sign with the key that belongs to the certificate"),
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
                crate::digest::hex(&crate::digest::sha1(&c.0))
            )
        })
        .unwrap_or_else(|| "certificate".into())
}
