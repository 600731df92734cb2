//! One runbook step as a checklist, each line pass, warn or fail with its fix, ending with
//! what cannot be checked from here.

use std::path::PathBuf;

use serde::Serialize;

use crate::assertion::{ClaimFlags, Profile};
use crate::choice::Choice;
use crate::error::{Error, Result};
use crate::formats::{self, Kind};
use crate::host::Host;
use crate::http::Transport;
use crate::jws::Alg;
use crate::model::{Entry, EntryKind, Format, KeyMaterial, Keystore};
use crate::open::{self, Input};
use crate::rules::salesforce::{self, KeyScope, PasswordPolicy};
use crate::rules::{certificate, Check, Remedy, Status};
use crate::secret::Password;
use crate::x509;

/// What `preflight` checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Salesforce Certificate and Key Management > Import from Keystore.
    SalesforceImport,
    /// The key and certificate of a Connected App with "Use digital signatures".
    ConnectedApp,
    /// A Google service-account key and its token-exchange assertion.
    Google,
    /// An assertion for Salesforce's JWT bearer token endpoint.
    SalesforceJwt,
}

impl Choice for Target {
    const ALL: &'static [Self] = &[
        Target::SalesforceImport,
        Target::ConnectedApp,
        Target::Google,
        Target::SalesforceJwt,
    ];
    fn name(self) -> &'static str {
        match self {
            Target::SalesforceImport => "salesforce-import",
            Target::ConnectedApp => "connected-app",
            Target::Google => "google",
            Target::SalesforceJwt => "salesforce-jwt",
        }
    }
    fn help(self) -> &'static str {
        match self {
            Target::SalesforceImport => {
                "Salesforce Certificate and Key Management > Import from Keystore"
            }
            Target::ConnectedApp => {
                "the key and certificate of a Connected App with \"Use digital signatures\""
            }
            Target::Google => "a Google service-account key and its token-exchange assertion",
            Target::SalesforceJwt => "an assertion for Salesforce's JWT bearer token endpoint",
        }
    }
}

impl Serialize for Target {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        crate::choice::serialize(self, s)
    }
}

/// What to check.
#[derive(Clone, Debug)]
pub struct Options {
    /// The keystore or key file of the step.
    pub input: Input,
    /// The runbook step.
    pub target: Target,
    /// The entry, by alias.
    pub entry: Option<String>,
    /// The certificate the other side holds.
    pub cert: Option<PathBuf>,
    /// Warn when a certificate expires within this many days.
    pub warn_days: i64,
    /// The keystore password policy (salesforce-import).
    pub password_policy: PasswordPolicy,
    /// The assertion's signing algorithm.
    pub alg: Alg,
    /// The assertion's claims.
    pub claims: ClaimFlags,
    /// End the google and salesforce-jwt checklists with the real exchange.
    pub live: Option<Live>,
    /// A retrieved External Credential (with its Named Credential and permission set) to
    /// check against this key and the provider's rules.
    pub metadata: Option<MetadataFiles>,
}

/// Retrieved metadata source files.
#[derive(Clone, Debug, Default)]
pub struct MetadataFiles {
    /// `NAME.externalCredential-meta.xml`.
    pub external_credential: PathBuf,
    /// `NAME.namedCredential-meta.xml`.
    pub named_credential: Option<PathBuf>,
    /// `NAME.permissionset-meta.xml`.
    pub permission_set: Option<PathBuf>,
    /// The certificate's Unique Name in the org [default: the keystore alias].
    pub cert_name: Option<String>,
}

/// Where the live exchange goes.
#[derive(Clone, Debug)]
pub struct Live {
    /// The token URL [default: the profile's, as `exchange` chooses it].
    pub token_url: Option<String>,
    /// How long to wait.
    pub timeout: std::time::Duration,
}

/// The checklist.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The step.
    pub target: Target,
    /// The file.
    pub file: String,
    /// True when nothing failed.
    pub ok: bool,
    /// Every check, in order.
    pub checks: Vec<Check>,
    /// What cannot be checked from here.
    pub cannot_check: &'static [&'static str],
}

fn cannot_check(t: Target, live: bool) -> &'static [&'static str] {
    match t {
        // The exchange itself proves the key exists and the app is pre-authorised.
        Target::Google if live => &[
            "the External Credential principal's permission set is assigned to the running user",
        ],
        Target::SalesforceJwt if live => &[
            "the External Credential principal's permission set is assigned to the running user",
        ],
        Target::SalesforceImport => &[
            "an Identity Provider is enabled in the org (else the import fails with \"Data Not Available\")",
            "no certificate in the org already has this Unique Name",
        ],
        Target::ConnectedApp => &[
            "the Connected App has \"Use digital signatures\" with this very certificate uploaded",
            "Permitted Users is \"Admin approved users are pre-authorized\" and the user's profile or permission set is assigned",
        ],
        Target::Google => &[
            "the key still exists in Google Cloud (deleted keys give \"Invalid JWT Signature\")",
            "the service account has the roles the scopes need; domain-wide delegation is granted when sub is set",
            "the External Credential principal's permission set is assigned to the running user",
        ],
        Target::SalesforceJwt => &[
            "the Connected App is pre-authorized for the user (\"user hasn't approved this consumer\")",
            "the External Credential principal's permission set is assigned to the running user",
        ],
    }
}

/// Open the input; a JKS is opened for listing first so that a key password that differs
/// from the store's is a check of its own, not an error.
fn open_input(
    host: &dyn Host,
    o: &Options,
    checks: &mut Vec<Check>,
) -> Result<(Keystore, Option<Password>)> {
    let data = open::read_file(host, &o.input.path)?;
    let name = o.input.name();
    let kind = formats::sniff(&data, &name)?;
    if o.target.steps().import {
        checks.push(salesforce::jks_format_check(
            kind.name(),
            kind == Kind::Jks,
            &name,
        ));
    }
    // A password that is missing or wrong is an error (exit 9 or 3), as in every command.
    let listing = Input {
        key_password: None,
        ..o.input.clone()
    };
    let opened = open::open_bytes(host, &data, &listing, false)?;
    let mut ks = opened.ks;
    let mut password = opened.password;
    if kind == Kind::Jks {
        // Listing needed no password; the keys and the integrity check do.
        if password.is_none() {
            let op = open::open_bytes(host, &data, &listing, true)?;
            ks = op.ks;
            password = op.password;
        }
        if let Some(pw) = &password {
            checks.push(key_password_check(host, o, &mut ks, pw)?);
        }
    }
    Ok((ks, password))
}

/// Salesforce's rule that the keys open with the store password, checked on a JKS whose
/// store `pw` opened; `ks`'s keys are opened as far as any password opens them, for the
/// other checks.
fn key_password_check(
    host: &dyn Host,
    o: &Options,
    ks: &mut Keystore,
    pw: &Password,
) -> Result<Check> {
    let mut probe = ks.clone();
    let (mismatch, found) = match formats::open_keys(&mut probe, pw) {
        Ok(()) => {
            *ks = probe;
            (None, true)
        }
        Err(Error::WrongPassword { detail, .. }) => {
            // The rule is broken; still open the keys (keytool's usual leftovers, or the key
            // password given) for the other checks.
            let mut probe = ks.clone();
            let mut tries = Vec::new();
            if let Some(src) = &o.input.key_password {
                tries.push(crate::host::password(
                    host,
                    src,
                    crate::error::WhichPassword::Key,
                )?);
            }
            tries.push(Password::new(
                formats::pkcs12::GOOGLE_P12_PASSWORD.to_string(),
            ));
            tries.push(Password::new(String::new()));
            let found = formats::open_keys_trying(&mut probe, &tries).is_ok();
            if found {
                *ks = probe;
            }
            (Some(detail), found)
        }
        Err(e) => return Err(e),
    };
    Ok(salesforce::key_password_check(
        mismatch.as_deref(),
        found,
        &o.input.name(),
    ))
}

/// The entry the other checks look at: `--entry`'s, else the only (or first) private key.
fn pick(ks: &Keystore, wanted: Option<&str>) -> Result<Option<Entry>> {
    match wanted {
        Some(_) => ks.select(wanted, crate::model::Want::PrivateKey).map(Some),
        None => Ok(ks.private_keys().next().cloned()),
    }
}

/// For the JWT targets, a key file without a certificate (selfsign's `org2.key`) is checked
/// with the certificate the other side holds: the one whose public key is the key's, else
/// the first, so that a mismatch is reported as one.
fn attach_cert_for_checks(host: &dyn Host, o: &Options, entry: &mut Entry) -> Result<()> {
    let (
        Some(path),
        EntryKind::PrivateKey {
            key: KeyMaterial::Pkcs8(key),
            chain,
        },
    ) = (&o.cert, &mut entry.kind)
    else {
        return Ok(());
    };
    if o.target.steps().import || !chain.is_empty() {
        return Ok(());
    }
    let certs = super::pair::certs_from_file(host, path)?;
    let matching = certs
        .iter()
        .find(|(_, c)| x509::matches_key(&c.0, key.expose()) == Some(true))
        .or(certs.first());
    if let Some((_, c)) = matching {
        *chain = vec![c.clone()];
    }
    Ok(())
}

/// One fix for the whole file: every rewrite the checks ask for, combined, so that the
/// command printed under each of them gives a file that passes them all. When something
/// else fails too (a key Salesforce refuses, no certificate, no key), no rewrite would
/// pass: no command is printed, only the fixes in words.
fn combine_rewrites(checks: &mut [Check], wanted: Option<&str>, no_password: bool) {
    let rewritable = |c: &Check| matches!(c.remedy, Some(Remedy::Rewrite { .. }));
    if checks.iter().any(|c| c.failed() && !rewritable(c)) {
        for c in checks.iter_mut().filter(|c| rewritable(c)) {
            c.remedy = None;
        }
        return;
    }
    let mut combined: Option<Remedy> = None;
    // A warning's rewrite (a keystore password outside the policy) joins the fix, so that the
    // file it writes passes that check too.
    let open = |c: &Check| c.status != Status::Pass;
    for c in checks.iter().filter(|c| open(c)) {
        let Some(Remedy::Rewrite {
            entry,
            new_password,
            key_password,
            ..
        }) = &c.remedy
        else {
            continue;
        };
        match &mut combined {
            None => combined = c.remedy.clone(),
            Some(Remedy::Rewrite {
                entry: e,
                new_password: n,
                key_password: k,
                ..
            }) => {
                if e.is_none() {
                    e.clone_from(entry);
                }
                *n |= *new_password;
                *k |= *key_password;
            }
            Some(_) => {}
        }
    }
    if let Some(Remedy::Rewrite {
        entry,
        new_password,
        ..
    }) = &mut combined
    {
        // The entry the user looked at; a file without a password (a JSON or PEM key)
        // gets a generated one.
        if let (Some(w), Some(_)) = (wanted, entry.as_ref()) {
            *entry = Some(w.to_string());
        }
        *new_password |= no_password;
    }
    if let Some(r) = combined {
        for c in checks.iter_mut().filter(|c| open(c) && rewritable(c)) {
            c.remedy = Some(r.clone());
        }
    }
}

/// The claims an External Credential sends, as claim flags: what the checks sign with when
/// the credential is given (a flag given on the command line still wins).
fn claims_of(ec: &crate::formats::sfmeta::ExternalCredential, given: &ClaimFlags) -> ClaimFlags {
    let body = |n: &str| {
        ec.find("JwtBodyClaim", n)
            .and_then(|p| p.parameter_value.clone())
            .filter(|v| !v.trim().is_empty())
    };
    let mut c = given.clone();
    c.iss = c.iss.or_else(|| body("iss"));
    c.sub = c.sub.or_else(|| body("sub"));
    // Quotes around aud are reported by ec.aud; whether Salesforce strips them is not known,
    // so the assertion is checked without them.
    c.aud = c
        .aud
        .or_else(|| body("aud").map(|a| a.trim_matches(|q| q == '"' || q == '\'').to_string()));
    c.scope = c.scope.or_else(|| body("scope"));
    // Without a kid claim, Salesforce sends the certificate's Unique Name.
    c.kid = c.kid.or_else(|| {
        ec.find("JwtHeaderClaim", "kid")
            .and_then(|p| p.parameter_value.clone())
            .or_else(|| {
                ec.find("SigningCertificate", "SigningCertificate")
                    .and_then(|p| p.certificate.clone())
            })
    });
    c.exp_seconds = c.exp_seconds.or_else(|| {
        body("exp")
            .and_then(|f| crate::rules::external_credential::formula_lifetime(&f))
            .or(Some(120))
    });
    for p in ec.of_type("JwtBodyClaim") {
        let known = ["iss", "sub", "aud", "scope", "exp", "iat", "nbf"];
        if !known.contains(&p.parameter_name.as_str()) {
            if let Some(v) = &p.parameter_value {
                c.claims.push(format!("{}={v}", p.parameter_name));
            }
        }
    }
    c
}

fn read_xml<T: for<'de> serde::Deserialize<'de>>(
    host: &dyn Host,
    path: &std::path::Path,
    root: &str,
) -> Result<T> {
    let data = open::read_file(host, path)?;
    let name = path.display().to_string();
    let text = std::str::from_utf8(&data).map_err(|_| Error::corrupt(&name, "not UTF-8 text"))?;
    crate::formats::sfmeta::from_xml(text, root, &name)
}

/// What the credential should name for this key: its certificate, Google key id and service
/// account.
fn expectations(
    o: &Options,
    m: &MetadataFiles,
    ks: &Keystore,
    provider: crate::rules::external_credential::Provider,
) -> Result<crate::rules::external_credential::Expect> {
    let entry = pick(ks, o.entry.as_deref())?;
    let ids = entry
        .as_ref()
        .map(|e| crate::keyids::of_entry(e, ks.google.as_ref()));
    // The names the certificate may have in the org: the one given, else the alias
    // p12-to-jks writes for this key (for any key of the file when none is picked).
    let certificates: Vec<String> = match (&m.cert_name, &o.entry) {
        (Some(c), _) => vec![c.clone()],
        (None, Some(_)) => entry
            .iter()
            .filter_map(|e| super::p12_to_jks::default_alias(e, ks.google.as_ref()))
            .collect(),
        (None, None) => ks
            .private_keys()
            .filter_map(|e| super::p12_to_jks::default_alias(e, ks.google.as_ref()))
            .collect(),
    };
    let client_email = ks
        .google
        .as_ref()
        .map(|g| g.client_email.clone())
        .or_else(|| {
            entry
                .as_ref()
                .and_then(|e| e.leaf())
                .and_then(|c| crate::x509::common_name(&c.0))
                .filter(|cn| crate::keyids::is_service_account(cn))
        });
    Ok(crate::rules::external_credential::Expect {
        provider,
        certificates,
        // Only a Google service account's key has a Google key id: a certificate's SHA-1 is
        // one only for a certificate Google issued.
        google_key_id: ids.filter(|i| i.google).and_then(|i| i.google_key_id),
        client_email,
    })
}

/// The External Credential (and its Named Credential and permission set) against the key.
fn metadata_checks(
    host: &dyn Host,
    o: &Options,
    m: &MetadataFiles,
    ec: &crate::formats::sfmeta::ExternalCredential,
    ks: &Keystore,
) -> Result<Vec<Check>> {
    use crate::rules::external_credential::{self as ec_rules, Provider};
    let provider = match o.target {
        Target::Google => Provider::Google,
        // `run` checks a credential for google and salesforce-jwt only.
        Target::SalesforceJwt | Target::ConnectedApp | Target::SalesforceImport => {
            Provider::Salesforce
        }
    };
    let file = m
        .external_credential
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = file
        .strip_suffix(".externalCredential-meta.xml")
        .unwrap_or(&ec.label)
        .to_string();
    if ec.xmlns != crate::formats::sfmeta::NAMESPACE {
        return Err(Error::corrupt(
            &m.external_credential.display().to_string(),
            format!("not Salesforce metadata (namespace \"{}\")", ec.xmlns),
        ));
    }
    let expect = expectations(o, m, ks, provider)?;
    let mut out = ec_rules::checks(ec, &expect);
    if let Some(p) = &m.named_credential {
        let nc = read_xml(host, p, "NamedCredential")?;
        out.push(ec_rules::named_credential(&name, &nc));
    }
    if let Some(p) = &m.permission_set {
        let ps = read_xml(host, p, "PermissionSet")?;
        out.push(ec_rules::granted(ec, &name, &ps));
    }
    Ok(out)
}

/// The real exchange as the last check: a refusal or an unreachable endpoint fails it.
fn live_check(
    host: &dyn Host,
    o: &Options,
    live: &Live,
    profile: Profile,
    entry: &Entry,
    ks: &Keystore,
    transport: &dyn Transport,
) -> Result<Check> {
    let xo = super::exchange::Options {
        input: o.input.clone(),
        entry: o.entry.clone(),
        profile,
        alg: o.alg,
        claims: o.claims.clone(),
        token_url: live.token_url.clone(),
        scope_param: None,
        dry_run: false,
        timeout: live.timeout,
        cert: o.cert.clone(),
        metadata: None,
    };
    // An endpoint that cannot be reached is exit 10, as in exchange: not a failed check.
    super::exchange::run_with(host, &xo, entry, ks, transport).map(|r| r.as_check())
}

/// What a target checks: one row per target (see [`Target::steps`]).
#[derive(Clone, Copy, Debug)]
struct Steps {
    /// Import from Keystore: the file's format, its entries and aliases, its password policy,
    /// and the key in Salesforce's import format.
    import: bool,
    /// A Google JSON key needs no certificate: Google holds its public key.
    json_key_needs_no_cert: bool,
    /// The certificate is not a CA (a Connected App's upload).
    not_ca: bool,
    /// A JWT step: the assertion's kid, time and claims, the live exchange, and a retrieved
    /// External Credential.
    jwt: bool,
    /// The profile the assertion is checked against.
    profile: Profile,
}

impl Target {
    /// What this target checks.
    fn steps(self) -> Steps {
        let none = Steps {
            import: false,
            json_key_needs_no_cert: false,
            not_ca: false,
            jwt: false,
            profile: Profile::Generic,
        };
        match self {
            Target::SalesforceImport => Steps {
                import: true,
                ..none
            },
            Target::ConnectedApp => Steps {
                not_ca: true,
                ..none
            },
            Target::Google => Steps {
                json_key_needs_no_cert: true,
                jwt: true,
                profile: Profile::Google,
                ..none
            },
            Target::SalesforceJwt => Steps {
                jwt: true,
                profile: Profile::Salesforce,
                ..none
            },
        }
    }
}

/// With a retrieved External Credential (read once, here), the options of the assertion it
/// sends: its alg and claims.
fn load_credential(
    host: &dyn Host,
    o: &Options,
) -> Result<Option<(Options, crate::formats::sfmeta::ExternalCredential)>> {
    let Some(m) = &o.metadata else {
        return Ok(None);
    };
    if !o.target.steps().jwt {
        return Err(Error::Invalid(
            "an External Credential is checked for the google or salesforce-jwt target".into(),
        ));
    }
    let ec: crate::formats::sfmeta::ExternalCredential =
        read_xml(host, &m.external_credential, "ExternalCredential")?;
    let alg = ec
        .find("JwtHeaderClaim", "alg")
        .and_then(|p| p.parameter_value.as_deref())
        .and_then(crate::jws::Alg::from_name)
        .unwrap_or(o.alg);
    let with_ec = Options {
        claims: claims_of(&ec, &o.claims),
        alg,
        ..o.clone()
    };
    Ok(Some((with_ec, ec)))
}

/// Import from Keystore's checks of the whole file, whichever entry --entry looks at.
fn import_checks(
    o: &Options,
    ks: &Keystore,
    keys: &[&Entry],
    password: Option<&Password>,
    checks: &mut Vec<Check>,
) {
    checks.push(salesforce::entries_check(keys, &ks.source));
    let aliases: Vec<&str> = ks.entries.iter().map(|e| e.alias.as_str()).collect();
    checks.push(salesforce::aliases_check(&aliases, &ks.source));
    if let Some(pw) = password {
        let policy = o.password_policy.check(pw);
        checks.push(if policy.status != crate::rules::Status::Pass {
            let mut remedy = salesforce::rewrite(&ks.source);
            if let Remedy::Rewrite { new_password, .. } = &mut remedy {
                *new_password = true;
            }
            policy.with_remedy(remedy)
        } else {
            policy
        });
    }
}

/// The key's checks: Salesforce's import format for the import, else the key itself.
fn key_checks(steps: Steps, ks: &Keystore, entry: &Entry, checks: &mut Vec<Check>) {
    let scope = KeyScope {
        // For the other targets the key matters, not Salesforce's import format.
        import: steps.import,
        // Google holds the public key of a JSON key; it needs no certificate here.
        certificate: !(steps.json_key_needs_no_cert && ks.format == Format::GoogleJson),
    };
    checks.extend(salesforce::key_checks(entry, scope).into_iter().map(|c| {
        // Outside the import, a key without a certificate is checked with the one the
        // other side holds.
        match (
            c.failed() && c.rule == salesforce::CERTIFICATE,
            scope.import,
        ) {
            (true, false) => c.with_remedy(Remedy::PeerCertificate),
            // p12-to-jks wraps a Google JSON key in a certificate.
            (true, true) if ks.format == Format::GoogleJson => {
                c.with_remedy(salesforce::rewrite(&ks.source))
            }
            _ => c,
        }
    }));
}

/// The assertion signed with the entry's key, verified; for the JWT steps its kid, time and
/// claims. True when it was signed and checked: the live exchange may follow.
fn assertion_checks(
    host: &dyn Host,
    o: &Options,
    steps: Steps,
    entry: &Entry,
    ks: &Keystore,
    cert_checks: Vec<Check>,
    checks: &mut Vec<Check>,
) -> Result<bool> {
    let assertion = super::verify::Assertion {
        profile: steps.profile,
        alg: o.alg,
        claims: &o.claims,
        cert: o.cert.as_deref(),
        // A Connected App and the JWT steps verify with the certificate the other
        // side holds: without one nothing is proven. A Google JSON key is checked
        // by Google with its own copy of the public key.
        require_cert: !(steps.json_key_needs_no_cert && ks.format == Format::GoogleJson),
        warn_days: o.warn_days,
    };
    match super::verify::check(host, &assertion, Some(entry), Some(ks), None) {
        Ok(c) => {
            checks.extend(c.certificates);
            checks.extend(cert_checks);
            checks.push(c.signature);
            if steps.jwt {
                checks.extend(c.kid_published);
                checks.extend(c.time);
                checks.extend(c.claims);
            }
            Ok(true)
        }
        Err(e @ Error::Unsupported { .. }) => {
            checks.extend(cert_checks);
            checks.push(Check::fail(
                crate::rules::jwt::SIGNATURE,
                e.to_string(),
                "use an RSA key",
            ));
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// The checks of the entry --entry looks at: its key, its certificate, and the assertion.
fn entry_checks(
    host: &dyn Host,
    o: &Options,
    ks: &Keystore,
    mut entry: Entry,
    checks: &mut Vec<Check>,
    transport: &dyn Transport,
) -> Result<()> {
    let steps = o.target.steps();
    attach_cert_for_checks(host, o, &mut entry)?;
    if entry.pkcs8().is_some() {
        key_checks(steps, ks, &entry, checks);
    }
    let mut cert_checks = Vec::new();
    if let Some(s) = entry.leaf().and_then(|c| x509::summarize(&c.0)) {
        cert_checks.push(certificate::signature_algorithm(&s));
        if steps.not_ca {
            cert_checks.push(certificate::not_ca(&s));
        }
    }
    if entry.pkcs8().is_some() {
        let signed = assertion_checks(host, o, steps, &entry, ks, cert_checks, checks)?;
        if let (Some(live), true, true) = (&o.live, steps.jwt, signed) {
            checks.push(live_check(
                host,
                o,
                live,
                steps.profile,
                &entry,
                ks,
                transport,
            )?);
        }
        return Ok(());
    }
    if let Some(c) = entry.leaf() {
        if let Some(s) = x509::summarize(&c.0) {
            // No key here: renewing needs the keystore that holds it.
            checks.push(certificate::validity_without_key(
                &s,
                crate::clock::now_secs(),
                o.warn_days,
            ));
        }
    }
    checks.extend(cert_checks);
    Ok(())
}

/// Run the step's checks; `--live` sends the exchange through `transport`.
pub fn run(host: &dyn Host, o: &Options, transport: &dyn Transport) -> Result<Report> {
    let loaded = load_credential(host, o)?;
    let (o, credential) = match &loaded {
        Some((with_ec, ec)) => (with_ec, Some(ec)),
        None => (o, None),
    };
    let mut checks = Vec::new();
    let (ks, password) = open_input(host, o, &mut checks)?;
    let keys: Vec<&Entry> = ks.private_keys().collect();
    if o.target.steps().import {
        import_checks(o, &ks, &keys, password.as_ref(), &mut checks);
    } else if keys.is_empty() {
        checks.push(salesforce::entries_check(&keys, &ks.source));
    }
    if let Some(entry) = pick(&ks, o.entry.as_deref())? {
        entry_checks(host, o, &ks, entry, &mut checks, transport)?;
    }
    if let (Some(m), Some(ec)) = (&o.metadata, credential) {
        checks.extend(metadata_checks(host, o, m, ec, &ks)?);
    }
    combine_rewrites(&mut checks, o.entry.as_deref(), password.is_none());
    let failed = checks.iter().filter(|c| c.status == Status::Fail).count();
    Ok(Report {
        target: o.target,
        file: o.input.name(),
        ok: failed == 0,
        checks,
        cannot_check: cannot_check(o.target, o.live.is_some()),
    })
}
