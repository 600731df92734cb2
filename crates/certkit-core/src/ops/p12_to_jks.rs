//! Any key (Google P12 or JSON, PKCS#12, JKS, PEM) to a JKS that Salesforce's Import from
//! Keystore accepts: one private-key entry, a valid alias, one password for store and key
//! under the chosen policy, Salesforce's key rules and the certificate's validity checked.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Generated, OutPassword};
use crate::error::{Error, Result};
use crate::formats::jks;
use crate::host::Host;
use crate::host::{Access, Output};
use crate::keys::KeyFacts;
use crate::model::{Entry, Want};
use crate::open::{self, Input};
use crate::rules::salesforce::{self, KeyScope, PasswordPolicy};
use crate::rules::{certificate, Check};
use crate::x509::{self, CertSummary};
use crate::{keyids, keys};

/// What to convert, and how.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The input and its passwords.
    pub input: Input,
    /// The JKS to write [default: the input's name with `.jks`, in the current folder].
    pub output: Option<PathBuf>,
    /// The input entry to convert, by alias.
    pub entry: Option<String>,
    /// The alias to write.
    pub alias: Option<String>,
    /// The output password.
    pub out_password: OutPassword,
    /// The certificate of a key that has none (a PEM key, or a Google JSON key).
    pub cert: Option<PathBuf>,
    /// Validity in days of the certificate made for a Google JSON key.
    pub days: u32,
    /// Allow a wrapper certificate valid longer than ten years.
    pub allow_long_validity: bool,
    /// Write even when a Salesforce rule is broken (each is reported as a warning).
    pub allow_rule_violations: bool,
    /// Warn when the certificate expires within this many days.
    pub warn_days: i64,
    /// Replace the output if it exists.
    pub force: bool,
}

/// A Google service account's identifiers.
#[derive(Clone, Debug, Serialize)]
pub struct GoogleIds {
    /// The account (the assertion's `iss`), when known.
    pub client_email: Option<String>,
    /// The Google key id: the External Credential's `kid`.
    pub key_id: String,
    /// The JSON key's `private_key_id`, when the input was one.
    pub private_key_id: Option<String>,
}

/// What was written.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The JKS written.
    pub output: String,
    /// Always `JKS`.
    pub format: &'static str,
    /// The alias written (the certificate's Unique Name in Salesforce).
    pub alias: String,
    /// The key.
    pub key: Option<KeyFacts>,
    /// The leaf certificate.
    pub certificate: Option<CertSummary>,
    /// The keystore password policy applied.
    pub password_policy: PasswordPolicy,
    /// Always true: Salesforce asks for one password.
    pub store_and_key_password_equal: bool,
    /// Every rule checked before writing.
    pub salesforce_rules: Vec<Check>,
    /// Broken rules written anyway, and certificates about to expire.
    pub warnings: Vec<String>,
    /// Notes (an alias made a Unique Name).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The Google key id, for a Google service-account key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub google: Option<GoogleIds>,
    /// The generated keystore password (shown once).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_password: Option<Generated>,
}

/// The alias to write: the one asked for, else the entry's own name, else derived from
/// the certificate's CN; each made a Unique Name. The note says when a name was changed.
pub fn output_alias(explicit: Option<&str>, entry: &Entry) -> Result<(String, Option<String>)> {
    if let Some(a) = explicit {
        let name = salesforce::unique_name(a)
            .map_err(|c| c.into_error().hint(crate::error::Hint::Alias))?;
        let note = (name != a).then(|| {
            format!("alias \"{a}\" written as \"{name}\" (Salesforce Unique Name, lower case)")
        });
        return Ok((name, note));
    }
    let candidates = [
        Some(entry.alias.clone()).filter(|a| !a.is_empty()),
        entry.leaf().and_then(|c| x509::common_name(&c.0)),
    ];
    for c in candidates.into_iter().flatten() {
        if let Some(name) = salesforce::derive_alias(&c) {
            return Ok((name, None));
        }
    }
    Err(Check::fail(
        salesforce::ALIAS,
        "no alias could be derived from the entry's name or certificate",
        "choose one",
    )
    .into_error()
    .hint(crate::error::Hint::Alias))
}

/// The alias p12-to-jks writes for an entry when none is asked for: for a Google JSON key,
/// one made from the account (the certificate it gets names it); else [`output_alias`]'s.
pub fn default_alias(
    entry: &Entry,
    google: Option<&crate::model::GoogleAccount>,
) -> Option<String> {
    match google {
        Some(g) => salesforce::derive_alias(&g.client_email),
        None => output_alias(None, entry).ok().map(|(a, _)| a),
    }
}

/// The JKS written when no output is named: the input's name with `.jks`, here.
pub fn default_output(input: &Path) -> PathBuf {
    let stem = input
        .file_stem()
        .map(|s| s.to_os_string())
        .unwrap_or_else(|| "keystore".into());
    let mut p = PathBuf::from(stem);
    p.set_extension("jks");
    p
}

/// The JKS to write: `--output`, or [`default_output`]; never a file another format names.
fn output_path(o: &Options) -> Result<PathBuf> {
    let out_path = o
        .output
        .clone()
        .unwrap_or_else(|| default_output(&o.input.path));
    if let Some(t) =
        super::convert::target_of(&out_path).filter(|t| *t != super::convert::Target::Jks)
    {
        return Err(Error::Invalid(format!(
            "{} names a {} file; p12-to-jks writes the JKS Salesforce imports (certkit convert writes {})",
            out_path.display(),
            crate::choice::Choice::name(t),
            crate::choice::Choice::name(t)
        )));
    }
    Ok(out_path)
}

/// Give the entry its certificate: the certificate given for a key that has none, else a
/// wrapper certificate for a Google JSON key (`google`: the account only a JSON key carries).
fn pair_certificate(
    host: &dyn Host,
    o: &Options,
    entry: &mut Entry,
    google: Option<&crate::model::GoogleAccount>,
) -> Result<()> {
    match (&o.cert, entry.chain().is_empty()) {
        (Some(cert), true) => super::pair::pair_from_file(host, entry, cert, google)?,
        (Some(cert), false) => {
            return Err(Error::Invalid(format!(
            "{} already holds the key's certificate; the certificate {} is for a key that has none",
            o.input.name(),
            cert.display()
        )))
        }
        (None, _) => {
            if let Some(google) = google {
                crate::certgen::check_days(o.days, o.allow_long_validity)?;
                super::pair::wrap_google(entry, google, o.days)?;
            }
        }
    }
    Ok(())
}

/// Salesforce's key rules and the certificate's validity, with the warnings: a broken rule
/// stops the conversion unless allowed (and never for a key without a certificate).
fn rule_checks(o: &Options, entry: &Entry) -> Result<(Vec<Check>, Vec<String>)> {
    let mut checks = salesforce::key_checks(entry, KeyScope::IMPORT);
    if let Some(s) = entry.leaf().and_then(|c| x509::summarize(&c.0)) {
        checks.push(certificate::validity(
            &s,
            crate::clock::now_secs(),
            o.warn_days,
        ));
    }
    let mut warnings = Vec::new();
    for c in &checks {
        if c.failed() {
            // Java cannot even load a private-key entry without a certificate: never allowed.
            if !o.allow_rule_violations || entry.chain().is_empty() {
                let e = c.clone().into_error();
                return Err(if c.rule == salesforce::CERTIFICATE {
                    e.hint(crate::error::Hint::Certificate)
                } else {
                    e
                });
            }
            warnings.push(format!("rule \"{}\" broken: {}", c.rule.text, c.detail));
        } else if c.status == crate::rules::Status::Warn {
            warnings.push(format!("{}: {}", c.rule.text, c.detail));
        }
    }
    Ok((checks, warnings))
}

/// The Google identifiers of a service-account key.
fn google_ids(entry: &Entry, google: Option<&crate::model::GoogleAccount>) -> Option<GoogleIds> {
    let ids = keyids::of_entry(entry, google);
    match (ids.google, &ids.google_key_id) {
        (true, Some(kid)) => Some(GoogleIds {
            client_email: google.map(|g| g.client_email.clone()).or_else(|| {
                entry
                    .leaf()
                    .and_then(|c| x509::common_name(&c.0))
                    .filter(|cn| keyids::is_service_account(cn))
            }),
            key_id: kid.clone(),
            private_key_id: google.map(|g| g.private_key_id.clone()),
        }),
        _ => None,
    }
}

/// The JKS bytes, read back before they are written: the same key must come out with the
/// same password.
fn encode_checked(entry: &Entry, password: &crate::secret::Password) -> Result<Vec<u8>> {
    let bytes = jks::encode(
        std::slice::from_ref(entry),
        password,
        crate::clock::now_ms(),
    )?;
    let mut back = jks::decode(&bytes, "(new keystore)", Some(password))?;
    crate::formats::open_keys(&mut back, password)?;
    if back
        .entries
        .first()
        .and_then(Entry::pkcs8)
        .map(|k| k.expose())
        != entry.pkcs8().map(|k| k.expose())
    {
        return Err(Error::Internal(
            "the JKS written does not give the key back".into(),
        ));
    }
    Ok(bytes)
}

/// Convert.
pub fn run(host: &dyn Host, o: &Options) -> Result<Report> {
    let out_path = output_path(o)?;
    // The input is read whole before anything is written, and the output replaces a file
    // atomically: rewriting a keystore in place is safe, and takes --force like any other.
    host.ensure_free(&[out_path.as_path()], o.force)?;

    let opened = open::open(host, &o.input, true)?;
    let mut ks = opened.ks;
    let google = ks.google.take();
    let mut entry = ks.select(o.entry.as_deref(), Want::PrivateKey)?;
    pair_certificate(host, o, &mut entry, google.as_ref())?;
    let (checks, warnings) = rule_checks(o, &entry)?;
    let (alias, alias_note) = output_alias(o.alias.as_deref(), &entry)?;
    entry.alias = alias.clone();
    // Keytool keeps no creation time from PKCS#12; neither do we: the JKS gets today's.
    entry.created_ms = None;
    let google_ids = google_ids(&entry, google.as_ref());

    let (password, generated) =
        super::output_password(host, &o.out_password, opened.password.as_ref())?;
    let bytes = encode_checked(&entry, &password)?;
    host.write(
        &[Output {
            path: out_path.clone(),
            bytes: &bytes,
        }],
        o.force,
        Access::Private,
    )?;

    Ok(Report {
        output: out_path.display().to_string(),
        format: "JKS",
        alias,
        key: entry.pkcs8().and_then(|k| keys::facts(k.expose())),
        certificate: entry.leaf().and_then(|c| x509::summarize(&c.0)),
        password_policy: o.out_password.policy,
        store_and_key_password_equal: true,
        salesforce_rules: checks,
        warnings,
        notes: alias_note.into_iter().collect(),
        google: google_ids,
        generated_password: generated,
    })
}
