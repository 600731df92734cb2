//! Build the assertion a provider expects, sign it, verify it with the certificate the
//! other side holds, decode it, and apply the provider's claim rules. Or check a token made
//! elsewhere.

use std::path::PathBuf;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::assertion::{self, ClaimFlags, KeyContext, Profile, Verifier};
use crate::error::{Error, Result};
use crate::host::Host;
use crate::jws::{self, Alg};
use crate::model::{CertDer, Entry, Keystore, Want};
use crate::open::{self, Input};
use crate::rules::{certificate, Check, Status};
use crate::secret::Password;
use crate::setting::{msg, Setting};
use crate::{keys, x509};

/// Where a token made elsewhere comes from.
#[derive(Clone, Debug)]
pub enum TokenSource {
    /// A file holding it.
    File(PathBuf),
    /// Standard input.
    Stdin,
}

impl TokenSource {
    /// Read the token, made compact as [`jws::normalize_pasted`] does.
    pub fn read(&self, host: &dyn Host) -> Result<Password> {
        let (data, name) = match self {
            TokenSource::Stdin => (
                host.read_stdin(crate::host::MAX_INPUT)?,
                "standard input".to_string(),
            ),
            TokenSource::File(p) => (open::read_file(host, p)?, p.display().to_string()),
        };
        let text = std::str::from_utf8(&data).map_err(|_| Error::corrupt(&name, "not text"))?;
        let token = Password::new(jws::normalize_pasted(text));
        if token.expose().is_empty() {
            return Err(Error::Invalid("the token is empty".into()));
        }
        Ok(token)
    }
}

/// What to sign or check.
#[derive(Clone, Debug)]
pub struct Options {
    /// The signing key (optional when a token and a certificate are given).
    pub input: Option<Input>,
    /// The entry, by alias.
    pub entry: Option<String>,
    /// Whose rules.
    pub profile: Profile,
    /// The signing algorithm.
    pub alg: Alg,
    /// The claims.
    pub claims: ClaimFlags,
    /// The certificate the other side holds (instead of the input's own).
    pub cert: Option<PathBuf>,
    /// A token made elsewhere, to check instead of signing one.
    pub token: Option<TokenSource>,
    /// Warn when a certificate expires within this many days.
    pub warn_days: i64,
    /// Judge the time rules (the token's window, the certificates' validity) as of this
    /// instant, in seconds since 1970, instead of now: was the token valid when it was sent?
    pub now: Option<i64>,
}

/// Every check made on one assertion, by name: the callers pick what their step needs.
pub struct Checked {
    /// The token (a credential until it expires).
    pub token: Password,
    /// The token decoded.
    pub decoded: jws::Decoded,
    /// The signature verifies with the certificate the other side holds.
    pub signature: Check,
    /// The kid names the published key that verifies it (Google metadata).
    pub kid_published: Option<Check>,
    /// Validity of the certificates involved: the signing entry's and the verifying one.
    pub certificates: Vec<Check>,
    /// The token's time window.
    pub time: Vec<Check>,
    /// The provider's claim rules.
    pub claims: Vec<Check>,
}

impl Checked {
    /// Every check, in report order.
    pub fn all(&self) -> Vec<Check> {
        let mut v = vec![self.signature.clone()];
        v.extend(self.kid_published.clone());
        v.extend(self.certificates.iter().cloned());
        v.extend(self.time.iter().cloned());
        v.extend(self.claims.iter().cloned());
        v
    }
}

/// Verifiers: the given certificates, else the entry's own certificate. A bare key has none:
/// its own public half proves nothing about what the other side holds, except for a Google
/// JSON key, whose public half Google holds itself.
fn verifiers(
    certs: Option<&[(String, CertDer)]>,
    entry: Option<&Entry>,
    google_json: bool,
) -> Vec<Verifier> {
    if let Some(certs) = certs {
        return assertion::verifiers_from_certs(certs);
    }
    if let Some(c) = entry.and_then(Entry::leaf) {
        return assertion::verifiers_from_certs(&[(assertion::cert_label(c), c.clone())]);
    }
    match entry.and_then(Entry::pkcs8) {
        Some(k) if google_json => keys::public_of(k.expose())
            .map(|key| Verifier {
                label: "the JSON key's public half (Google holds the same)".into(),
                key_id: None,
                cert: None,
                from_metadata: false,
                key,
            })
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// A key without a certificate with the one of `certs` that is its own, if any.
fn with_cert(entry: &Entry, certs: Option<&[(String, CertDer)]>) -> Entry {
    let mut e = entry.clone();
    if let (
        Some(certs),
        crate::model::EntryKind::PrivateKey {
            key: crate::model::KeyMaterial::Pkcs8(key),
            chain,
        },
    ) = (certs, &mut e.kind)
    {
        if chain.is_empty() {
            if let Some((_, c)) = certs
                .iter()
                .find(|(_, c)| x509::matches_key(&c.0, key.expose()) == Some(true))
            {
                *chain = vec![c.clone()];
            }
        }
    }
    e
}

fn validity(c: &CertDer, now: i64, warn_days: i64, key_at_hand: bool) -> Option<Check> {
    x509::summarize(&c.0).map(|s| {
        let mut check = if key_at_hand {
            certificate::validity(&s, now, warn_days)
        } else {
            certificate::validity_without_key(&s, now, warn_days)
        };
        check.detail = format!("{}: {}", s.subject, check.detail);
        check
    })
}

/// How an assertion is built and checked.
#[derive(Clone, Copy, Debug)]
pub struct Assertion<'a> {
    /// Whose rules.
    pub profile: Profile,
    /// The signing algorithm.
    pub alg: Alg,
    /// The claims.
    pub claims: &'a ClaimFlags,
    /// The certificate the other side holds.
    pub cert: Option<&'a std::path::Path>,
    /// A missing certificate fails (a step that needs the other side's), else it warns.
    pub require_cert: bool,
    /// Warn when a certificate expires within this many days.
    pub warn_days: i64,
}

/// Sign (or take) a token and make every check on it, now.
pub fn check(
    host: &dyn Host,
    a: &Assertion<'_>,
    entry: Option<&Entry>,
    ks: Option<&Keystore>,
    token: Option<Password>,
) -> Result<Checked> {
    check_at(host, a, entry, ks, token, crate::clock::now_secs())
}

/// The certificates of `--cert`, when given: a file with none is refused.
fn given_certs(
    host: &dyn Host,
    cert: Option<&std::path::Path>,
) -> Result<Option<Vec<(String, CertDer)>>> {
    Ok(match cert {
        Some(p) => {
            let certs = crate::ops::pair::certs_from_file(host, p)?;
            if certs.is_empty() {
                return Err(Error::Invalid(format!(
                    "{} holds no certificate",
                    p.display()
                )));
            }
            Some(certs)
        }
        None => None,
    })
}

/// Sign the assertion the External Credential would send with the entry's RSA key.
fn sign(a: &Assertion<'_>, entry: Option<&Entry>, ctx: &KeyContext) -> Result<Password> {
    let entry = entry.ok_or_else(|| {
        Error::invalid_setting(msg!(
            "give the signing key file, or a token with ",
            Setting::TokenFile.value()
        ))
    })?;
    let (key, facts) = entry
        .pkcs8()
        .and_then(|k| Some((k, keys::facts(k.expose())?)))
        .ok_or_else(|| {
            Error::Invalid(format!(
                "entry \"{}\" has no private key to sign with",
                entry.alias
            ))
        })?;
    if !keys::is_rsa(&facts) {
        return Err(Error::unsupported(
            &entry.alias,
            format!("{} key: RS256 and RS512 need an RSA key", facts.algorithm),
        ));
    }
    // The claims the External Credential sends for these flags (`metadata` writes
    // them, `exchange` sends them): what is verified is what will be sent.
    let sent = super::credential::claim_set(a.profile, a.claims, ctx, None).flags();
    let (h, c) = assertion::build(a.profile, a.alg, &sent, ctx)?;
    Ok(Password::new(jws::sign(&h, &c, a.alg, key.expose())?))
}

/// The signature check, and the index of the verifier that verified it.
fn signature(
    decoded: &jws::Decoded,
    vs: &[Verifier],
    require_cert: bool,
) -> Result<(Check, Option<usize>)> {
    Ok(match decoded.alg() {
        Some(_) => assertion::signature_check(decoded, vs, require_cert)?,
        None => (
            Check::fail(
                crate::rules::jwt::ALG,
                format!(
                    "alg is {}",
                    decoded.header.get("alg").unwrap_or(&Value::Null)
                ),
                "sign with RS256",
            ),
            None,
        ),
    })
}

/// A kid that does not name the published key that verifies the token.
fn kid_published(decoded: &jws::Decoded, vs: &[Verifier], used: Option<usize>) -> Option<Check> {
    let (Some(i), Some(kid)) = (used, decoded.header.get("kid").and_then(Value::as_str)) else {
        return None;
    };
    (vs[i].from_metadata && vs[i].key_id.as_deref() != Some(kid)).then(|| {
        Check::warn(
            crate::rules::google::KID_PUBLISHED,
            format!(
                "kid is \"{kid}\", the signature verifies with {}",
                vs[i].label
            ),
            "set the kid claim to that key id",
        )
    })
}

/// The certificate that verified (the one the other side holds), and the signing entry's own
/// when it is another: an expired one fails either way.
fn certificate_checks(
    entry: Option<&Entry>,
    vs: &[Verifier],
    used: Option<usize>,
    now: i64,
    warn_days: i64,
) -> Vec<Check> {
    let mut certificates = Vec::new();
    let own = entry.and_then(Entry::leaf);
    if let Some(c) = own {
        certificates.extend(validity(
            c,
            now,
            warn_days,
            entry.and_then(Entry::pkcs8).is_some(),
        ));
    }
    let verifying = used.and_then(|i| vs[i].cert.as_ref()).or(match vs {
        [only] => only.cert.as_ref(),
        _ => None,
    });
    if let Some(c) = verifying.filter(|c| Some(*c) != own) {
        // The other side's copy: the key that renews it is the signing key, when it is its.
        let key_at_hand = entry
            .and_then(Entry::pkcs8)
            .is_some_and(|k| x509::matches_key(&c.0, k.expose()) == Some(true));
        certificates.extend(validity(c, now, warn_days, key_at_hand));
    }
    certificates
}

/// A token checked with a Google service account's certificate alone (no key): that
/// certificate's SHA-1 is Google's key id, the kid to compare with.
fn google_key_id_of_verifier(ctx: &mut KeyContext, verifier: Option<&Verifier>) {
    if ctx.google_key_id.is_some() {
        return;
    }
    if let Some(v) = verifier {
        let google_cert = v.from_metadata
            || v.cert.as_ref().is_some_and(|c| {
                x509::common_name(&c.0).is_some_and(|cn| crate::keyids::is_service_account(&cn))
            });
        if google_cert {
            ctx.google_key_id.clone_from(&v.key_id);
            ctx.google_key = true;
        }
    }
}

/// Sign (or take) a token and make every check on it, the time rules judged at `now`.
pub fn check_at(
    host: &dyn Host,
    a: &Assertion<'_>,
    entry: Option<&Entry>,
    ks: Option<&Keystore>,
    token: Option<Password>,
    now: i64,
) -> Result<Checked> {
    let certs = given_certs(host, a.cert)?;
    // A bare key gets the kid its certificate (--cert) gives it, as in a keystore.
    let mut ctx = entry
        .map(|e| {
            KeyContext::of(
                &with_cert(e, certs.as_deref()),
                ks.and_then(|k| k.google.as_ref()),
            )
        })
        .unwrap_or_default();
    let token = match token {
        Some(t) => t,
        None => sign(a, entry, &ctx)?,
    };
    let decoded = jws::decode(token.expose())?;
    let google_json = ks.is_some_and(|k| k.format == crate::model::Format::GoogleJson);
    let vs = verifiers(certs.as_deref(), entry, google_json);
    let (signature, used) = signature(&decoded, &vs, a.require_cert)?;
    let kid_published = kid_published(&decoded, &vs, used);
    let certificates = certificate_checks(entry, &vs, used, now, a.warn_days);
    let time = crate::rules::jwt::time_checks(&decoded, now);
    google_key_id_of_verifier(&mut ctx, used.map(|i| &vs[i]));
    let claims = assertion::rule_checks(a.profile, &decoded, &ctx);
    Ok(Checked {
        token,
        decoded,
        signature,
        kid_published,
        certificates,
        time,
        claims,
    })
}

/// The assertion checked.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Whose rules.
    pub profile: Profile,
    /// True when nothing failed (no enforced rule is broken; warnings may remain).
    pub ok: bool,
    /// The instant the time rules were judged at, when it is not now (`--at`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<i64>,
    /// The token's header.
    pub header: Map<String, Value>,
    /// The token's claims.
    pub claims: Map<String, Value>,
    /// Every check.
    pub checks: Vec<Check>,
    /// The signed token: shown only when asked for, never in `--json`.
    #[serde(skip)]
    pub token: Password,
}

/// The error of a run with neither a key nor a token and its certificate.
fn nothing_to_verify() -> Error {
    Error::invalid_setting(msg!(
        "give the signing key file, or a token with ",
        Setting::TokenFile.value(),
        " and the certificate to verify it with ",
        Setting::Certificate.value()
    ))
}

/// Sign and check, or check a token made elsewhere.
pub fn run(host: &dyn Host, o: &Options) -> Result<Report> {
    if o.input.is_none() && (o.token.is_none() || o.cert.is_none()) {
        return Err(nothing_to_verify());
    }
    if let (
        Some(TokenSource::Stdin),
        Some(Input {
            password: Some(crate::passwords::Source::Stdin),
            ..
        }),
    ) = (&o.token, &o.input)
    {
        return Err(Error::Invalid(
            "the token and the password cannot both come from standard input".into(),
        ));
    }
    let token = o.token.as_ref().map(|t| t.read(host)).transpose()?;
    let opened = match &o.input {
        Some(i) => Some(open::open(host, i, token.is_none())?),
        None => None,
    };
    let entry = match &opened {
        Some(op) => Some(op.ks.select(
            o.entry.as_deref(),
            if token.is_some() {
                Want::Any
            } else {
                Want::PrivateKey
            },
        )?),
        None => None,
    };
    let checked = check_at(
        host,
        &Assertion {
            profile: o.profile,
            alg: o.alg,
            claims: &o.claims,
            cert: o.cert.as_deref(),
            require_cert: false,
            warn_days: o.warn_days,
        },
        entry.as_ref(),
        opened.as_ref().map(|op| &op.ks),
        token,
        o.now.unwrap_or_else(crate::clock::now_secs),
    )?;
    let checks = checked.all();
    Ok(Report {
        profile: o.profile,
        ok: checks.iter().all(|c| c.status != Status::Fail),
        at: o.now,
        header: checked.decoded.header,
        claims: checked.decoded.claims,
        checks,
        token: checked.token,
    })
}
