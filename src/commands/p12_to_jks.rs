//! `certkit p12-to-jks`: any key (Google P12 or JSON, PKCS#12, JKS, PEM) to a JKS that
//! Salesforce's Import from Keystore accepts: one private-key entry, a valid alias,
//! one password for store and key under the chosen policy, Salesforce's key rules checked.

use std::path::PathBuf;

use serde_json::json;

use crate::cli::P12ToJksArgs;
use crate::error::{Error, Result, WhichPassword};
use crate::formats::jks;
use crate::model::{Entry, Format};
use crate::output::{self, Output};
use crate::passwords;
use crate::rules::salesforce::{self, PasswordPolicy};
use crate::rules::{Check, Status};
use crate::secret::Password;
use crate::{keys, open, x509};

/// Pick the one private-key entry to convert.
pub(crate) fn choose_entry(entries: &[Entry], wanted: Option<&str>, source: &str) -> Result<Entry> {
    let keys: Vec<&Entry> = entries.iter().filter(|e| e.is_private_key()).collect();
    match salesforce::select_entry(&keys, wanted, source, "--entry ALIAS") {
        (Some(e), c) if c.status != Status::Fail => Ok(e),
        (_, c) => Err(c.into_error()),
    }
}

/// The output password: explicit source, generated, the input's if it passes, or a prompt.
pub(crate) fn output_password(
    out: &crate::cli::OutPassword,
    policy: PasswordPolicy,
    input_pw: Option<&Password>,
) -> Result<(Password, bool)> {
    if let Some(src) = out.source() {
        let pw = src.read()?;
        return check_policy(policy, pw).map(|p| (p, false));
    }
    if out.generate_password {
        return Ok((passwords::generate(8)?, true));
    }
    if let Some(pw) = input_pw {
        if policy.check(pw).status == Status::Pass {
            return Ok((pw.clone(), false));
        }
    }
    if passwords::can_prompt() {
        eprintln!("Keystore password policy: {}", policy.describe());
        // At a terminal a password the policy refuses is asked again (three tries).
        let mut tries = 0;
        loop {
            match passwords::prompt_new("New keystore password")
                .and_then(|pw| check_policy(policy, pw))
            {
                Ok(pw) => return Ok((pw, false)),
                Err(Error::RuleRefused { detail: why, .. } | Error::Usage(why)) if tries < 2 => {
                    tries += 1;
                    eprintln!("certkit: {why}; try again");
                }
                Err(e) => return Err(e),
            }
        }
    }
    let why = match input_pw {
        Some(pw) => format!(
            "the input password does not fit the {} policy ({})",
            policy_name(policy),
            policy.check(pw).detail
        ),
        None => "the output needs a password".to_string(),
    };
    Err(Error::PasswordRequired(format!(
        "{why}; give it with --out-password-file FILE or --out-password-env VAR, or use --generate-password"
    )))
}

fn policy_name(p: PasswordPolicy) -> &'static str {
    match p {
        PasswordPolicy::Salesforce => "salesforce",
        PasswordPolicy::Java => "java",
    }
}

fn check_policy(policy: PasswordPolicy, pw: Password) -> Result<Password> {
    let c = policy.check(&pw);
    if c.status == Status::Fail {
        return Err(c.into_error());
    }
    Ok(pw)
}

/// The alias to write: `--alias`, else the entry's own name, else derived from the CN.
pub(crate) fn output_alias(
    explicit: Option<&str>,
    entry: &Entry,
) -> Result<(String, Option<String>)> {
    if let Some(a) = explicit {
        let name = salesforce::unique_name(a).map_err(Check::into_error)?;
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
        "salesforce.alias",
        salesforce::UNIQUE_NAME_RULE,
        "no alias could be derived from the entry's name or certificate",
        "give one with --alias NAME",
    )
    .into_error())
}

fn default_output(input: &std::path::Path) -> PathBuf {
    let stem = input
        .file_stem()
        .map(|s| s.to_os_string())
        .unwrap_or_else(|| "keystore".into());
    let mut p = PathBuf::from(stem);
    p.set_extension("jks");
    p
}

/// Run `certkit p12-to-jks`.
pub fn run(a: P12ToJksArgs) -> Result<()> {
    let out_path = a.output.clone().unwrap_or_else(|| default_output(&a.input));
    if let (Ok(i), Ok(o)) = (a.input.canonicalize(), out_path.canonicalize()) {
        if i == o {
            return Err(Error::Usage(format!(
                "the output {} is the input; write the JKS elsewhere",
                out_path.display()
            )));
        }
    }
    output::ensure_free(&[out_path.as_path()], a.force)?;

    let data = open::read_file(&a.input)?;
    let opened = open::open_bytes(
        &data,
        &a.input.display().to_string(),
        a.in_password.source().as_ref(),
        true,
        a.key_password.source().as_ref(),
    )
    .map_err(|e| match e {
        Error::WrongPassword {
            which: WhichPassword::Key,
            path,
            detail,
        } => Error::WrongPassword {
            which: WhichPassword::Key,
            path,
            detail: format!("{detail}; give the key's own password with --key-password-file or --key-password-env"),
        },
        other => other,
    })?;
    let mut ks = opened.ks;
    let source = ks.source.clone();
    let google = ks.google.take();
    let is_json = ks.format == Format::GoogleJson;
    let mut entry = choose_entry(&ks.entries, a.entry.as_deref(), &source)?;
    if is_json {
        crate::certgen::check_days(a.days, false)?;
        let google = google
            .as_ref()
            .ok_or_else(|| Error::Internal("a JSON key without its account".into()))?;
        super::wrap::attach_certificate(&mut entry, google, a.cert.as_deref(), a.days)?;
    } else if a.cert.is_some() {
        return Err(Error::Usage(
            "--cert is for Google JSON keys, which carry no certificate".into(),
        ));
    }

    let checks = salesforce::key_checks(&entry);
    let broken: Vec<&Check> = checks.iter().filter(|c| c.status == Status::Fail).collect();
    if let Some(first) = broken.first() {
        // Java cannot even load a private-key entry without a certificate: never overridden.
        if !a.no_salesforce_rules || entry.chain().is_empty() {
            return Err((*first).clone().into_error());
        }
    }
    let (alias, alias_note) = output_alias(a.alias.as_deref(), &entry)?;
    entry.alias = alias.clone();
    // Keytool keeps no creation time from PKCS#12; neither do we: the JKS gets today's.
    entry.created_ms = None;
    // The Google key id, for a Google key: a JSON key (or certkit's wrapper of one), a P12
    // opened with Google's password, or a certificate naming a service account.
    let ids = crate::keyids::of_entry(&entry, google.as_ref());
    let google_p12 = opened
        .password
        .as_ref()
        .is_some_and(|p| p.expose() == crate::rules::google::P12_PASSWORD);
    let service_account = entry
        .leaf()
        .and_then(|c| x509::common_name(&c.0))
        .is_some_and(|cn| cn.ends_with(".gserviceaccount.com"));
    let google_key_id = (google_p12
        || service_account
        || ids.google_key_id_source != Some(crate::keyids::KeyIdSource::CertificateSha1))
    .then_some(ids.google_key_id)
    .flatten();

    let (password, generated) = output_password(
        &a.out_password,
        a.out_password.password_policy,
        opened.password.as_ref(),
    )?;

    let now = crate::clock::now_ms();
    let bytes = jks::encode(std::slice::from_ref(&entry), &password, now)?;
    // Read back what we are about to write: the same key must come out with the same password.
    let mut back = jks::decode(&bytes, "(new keystore)", Some(&password))?;
    crate::formats::open_keys(&mut back, &password)?;
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
    output::write_all(
        &[Output {
            path: out_path.clone(),
            bytes: &bytes,
        }],
        a.force,
    )?;

    let leaf = entry.leaf().and_then(|c| x509::summarize(&c.0));
    let facts = entry.pkcs8().and_then(|k| keys::facts(k.expose()));
    let warnings: Vec<String> = broken
        .iter()
        .map(|c| format!("rule \"{}\" broken: {}", c.rule, c.detail))
        .collect();
    if a.json {
        let mut v = json!({
            "output": out_path.display().to_string(),
            "format": "JKS",
            "alias": alias,
            "key": facts.as_ref().map(|f| json!({"algorithm": f.algorithm, "bits": f.bits})),
            "certificate": leaf,
            "password_policy": a.out_password.password_policy,
            "store_and_key_password_equal": true,
            "salesforce_rules": checks,
            "warnings": warnings,
        });
        if let Some(kid) = &google_key_id {
            v["google"] = json!({
                "client_email": google.as_ref().map(|g| g.client_email.clone()),
                "key_id": kid,
                "private_key_id": google.as_ref().map(|g| g.private_key_id.clone()),
            });
        }
        if generated {
            v["generated_password"] = json!(password.expose());
        }
        super::print_json(&v);
    } else {
        for w in &warnings {
            eprintln!("certkit: warning: {w}");
        }
        if let Some(n) = alias_note {
            eprintln!("certkit: note: {n}");
        }
        super::outln!("Wrote {} (JKS, one PrivateKeyEntry)", out_path.display());
        super::outln!("  alias:        {alias}");
        if let Some(f) = &facts {
            super::outln!("  key:          {} {}", f.algorithm, f.bits);
        }
        if let Some(c) = &leaf {
            super::outln!("  certificate:  {}", c.subject);
            super::outln!("  valid until:  {}", c.not_after);
            super::outln!("  SHA-1:        {}", c.sha1);
            super::outln!("  SHA-256:      {}", c.sha256);
        }
        if let Some(kid) = &google_key_id {
            super::outln!("  Google key id: {kid} (the External Credential's kid claim)");
        }
        super::outln!(
            "  password:     {} policy; the key password is the keystore password",
            policy_name(a.out_password.password_policy)
        );
        if generated {
            eprintln!(
                "Generated keystore password (shown once): {}",
                password.expose()
            );
        }
        super::outln!();
        super::outln!(
            "Next: in Salesforce Setup > Certificate and Key Management > Import from Keystore,"
        );
        super::outln!(
            "  choose {} and enter the keystore password.",
            out_path.display()
        );
        super::outln!(
            "  Import fails with \"Data Not Available\" until an Identity Provider is enabled"
        );
        super::outln!("  (Setup > Identity Provider > Enable, with any self-signed certificate); certkit cannot check that.");
        super::outln!("  The certificate's Unique Name will be \"{alias}\": pick it as the External Credential's signing certificate.");
    }
    Ok(())
}
