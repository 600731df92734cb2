//! `certkit verify`: build the assertion a provider expects, sign it, verify it with the
//! certificate the other side holds, decode it, and apply the provider's claim rules.
//! With `--token`, check a token made elsewhere.

use std::io::Read;
use std::path::Path;

use serde_json::{json, Value};

use crate::assertion::{self, KeyContext, Verifier};
use crate::cli::VerifyArgs;
use crate::error::{Error, Result};
use crate::jwt;
use crate::model::{CertDer, Entry, Keystore};
use crate::rules::{certificate, Check, Status};
use crate::{keys, open, x509};

/// Certificates from a file the other side holds: PEM, DER, JKS (no password needed),
/// or Google's x509 metadata document (each labelled with its key id).
pub fn certs_from_file(path: &Path) -> Result<Vec<(String, CertDer)>> {
    let data = open::read_file(path)?;
    let name = path.display().to_string();
    let ks = crate::formats::read(&data, &name, None)?;
    let metadata = ks.format == crate::model::Format::GoogleJson;
    Ok(ks
        .entries
        .iter()
        .filter_map(|e| {
            let c = e.leaf()?.clone();
            let label = if metadata {
                format!("Google key id {}", e.alias)
            } else {
                assertion::cert_label(&c)
            };
            Some((label, c))
        })
        .collect())
}

/// Verifiers: `--cert`'s certificates, else the entry's certificate, else its key's public half.
pub(crate) fn verifiers(cert: Option<&Path>, entry: Option<&Entry>) -> Result<Vec<Verifier>> {
    if let Some(p) = cert {
        let certs = certs_from_file(p)?;
        if certs.is_empty() {
            return Err(Error::Usage(format!(
                "--cert {} holds no certificate",
                p.display()
            )));
        }
        return Ok(assertion::verifiers_from_certs(&certs));
    }
    let Some(entry) = entry else {
        return Ok(Vec::new());
    };
    if let Some(c) = entry.leaf() {
        return Ok(assertion::verifiers_from_certs(&[(
            assertion::cert_label(c),
            c.clone(),
        )]));
    }
    Ok(entry
        .pkcs8()
        .and_then(|k| keys::public_of(k.expose()))
        .map(|key| Verifier {
            label: "the key's own public half (no certificate given: pass --cert with the one the other side holds)".into(),
            key_id: None,
            key,
        })
        .into_iter()
        .collect())
}

/// Sign (or take) a token and run every check on it. Returns the token, the decoded token and the checks.
pub(crate) fn run_checks(
    a_profile: assertion::Profile,
    alg: jwt::Alg,
    flags: &assertion::ClaimFlags,
    entry: Option<&Entry>,
    ks: Option<&Keystore>,
    cert: Option<&Path>,
    token: Option<String>,
) -> Result<(String, jwt::Decoded, Vec<Check>)> {
    let ctx = entry
        .map(|e| KeyContext::of(e, ks.and_then(|k| k.google.as_ref())))
        .unwrap_or_default();
    let token = match token {
        Some(t) => t,
        None => {
            let entry = entry
                .ok_or_else(|| Error::Usage("give the signing key file, or --token".into()))?;
            let key = entry
                .pkcs8()
                .and_then(|k| keys::pkey_from_pkcs8(k.expose()))
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "entry \"{}\" has no private key to sign with",
                        entry.alias
                    ))
                })?;
            if key.rsa().is_err() {
                return Err(Error::unsupported(
                    &entry.alias,
                    format!(
                        "{} key: RS256 and RS512 need an RSA key",
                        keys::algorithm_name(key.id())
                    ),
                ));
            }
            let (h, c) = assertion::build(a_profile, alg, flags, &ctx)?;
            jwt::sign(&h, &c, alg, &key)?
        }
    };
    let decoded = jwt::decode(&token)?;
    let vs = verifiers(cert, entry)?;
    let (sig, used) = match decoded.alg() {
        Some(_) => assertion::signature_check(&decoded, &vs)?,
        None => (
            Check::fail(
                "jwt.alg",
                "the token is signed RS256 or RS512 (what Salesforce signs with)",
                format!(
                    "alg is {}",
                    decoded.header.get("alg").unwrap_or(&Value::Null)
                ),
                "sign with RS256",
            ),
            None,
        ),
    };
    let mut checks = vec![sig];
    if let (Some(i), Some(kid)) = (used, decoded.header.get("kid").and_then(Value::as_str)) {
        let metadata_kid = cert.is_some() && vs[i].label.starts_with("Google key id");
        if metadata_kid && vs[i].key_id.as_deref() != Some(kid) {
            checks.push(Check::warn(
                "google.kid-published",
                "kid names the published key that verifies the signature",
                format!(
                    "kid is \"{kid}\", the signature verifies with {}",
                    vs[i].label
                ),
                "set the kid claim to that key id",
            ));
        }
    }
    if let Some(leaf) = entry
        .and_then(Entry::leaf)
        .and_then(|c| x509::summarize(&c.0))
    {
        checks.push(certificate::validity(&leaf, crate::clock::now_secs(), 0));
    }
    checks.extend(crate::rules::jwt::time_checks(
        &decoded,
        crate::clock::now_secs(),
    ));
    checks.extend(assertion::rule_checks(a_profile, &decoded, &ctx));
    Ok((token, decoded, checks))
}

/// Run `certkit verify`.
pub fn run(a: VerifyArgs) -> Result<()> {
    if a.token.as_deref() == Some("-") && a.in_password.password_stdin {
        return Err(Error::Usage(
            "--token - and --password-stdin both read standard input; give the password with --password-file or --password-env".into(),
        ));
    }
    let token = match a.token.as_deref() {
        Some("-") => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| Error::io("standard input", e))?;
            Some(s.trim().to_string())
        }
        Some(t) => Some(t.to_string()),
        None => None,
    };
    if a.input.is_none() && (token.is_none() || a.cert.is_none()) {
        return Err(Error::Usage(
            "give the signing key file, or --token TOKEN with --cert FILE".into(),
        ));
    }
    let opened = match &a.input {
        Some(p) => Some(open::open(
            p,
            a.in_password.source().as_ref(),
            token.is_none(),
        )?),
        None => None,
    };
    let entry = match &opened {
        Some(o) => Some(super::pick_entry(
            &o.ks,
            a.alias.as_deref(),
            token.is_some(),
        )?),
        None => None,
    };
    let (token, decoded, checks) = run_checks(
        a.profile,
        a.alg,
        &a.claims.flags(),
        entry.as_ref(),
        opened.as_ref().map(|o| &o.ks),
        a.cert.as_deref(),
        token,
    )?;
    let ok = checks.iter().all(|c| c.status != Status::Fail);
    if a.json {
        // The signed token itself is a credential: only --print-token shows it.
        super::print_json(&json!({
            "profile": a.profile,
            "ok": ok,
            "header": decoded.header,
            "claims": decoded.claims,
            "checks": checks,
        }));
    } else {
        let to_stderr = a.print_token;
        let say = |s: String| {
            if to_stderr {
                eprintln!("{s}")
            } else {
                super::outln!("{s}")
            }
        };
        say(format!("Header: {}", Value::Object(decoded.header.clone())));
        say(format!(
            "Claims: {}",
            serde_json::to_string_pretty(&Value::Object(decoded.claims.clone()))
                .unwrap_or_default()
        ));
        say(String::new());
        super::print_checks(&checks, to_stderr);
        say(String::new());
        say(if ok {
            "The assertion is signed and verified, and every rule holds.".to_string()
        } else {
            "The token endpoint will refuse this assertion: fix each FAIL above.".to_string()
        });
        if a.print_token {
            super::outln!("{token}");
        }
    }
    super::checks_result(&checks)
}
