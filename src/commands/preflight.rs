//! `certkit preflight`: one runbook step as a checklist, each line pass, warn or fail
//! with its fix, ending with what cannot be checked from here.

use serde_json::json;

use crate::assertion::Profile;
use crate::cli::{PreflightArgs, Target};
use crate::error::{Error, Result};
use crate::formats::{self, Kind};
use crate::model::{Entry, EntryKind, Format, KeyMaterial, Keystore};
use crate::rules::google::P12_PASSWORD;
use crate::rules::{certificate, salesforce, Check, Status};
use crate::secret::Password;
use crate::{open, x509};

fn cannot_check(t: Target) -> &'static [&'static str] {
    match t {
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

/// Open the input; a JKS is opened for listing first so a key-password mismatch is its own check.
fn open_input(
    a: &PreflightArgs,
    checks: &mut Vec<Check>,
) -> Result<(Keystore, Option<crate::secret::Password>)> {
    let data = open::read_file(&a.input)?;
    let name = a.input.display().to_string();
    let kind = formats::sniff(&data, &name)?;
    if a.target == Target::SalesforceImport {
        checks.push(salesforce::jks_format_check(
            kind.name(),
            kind == Kind::Jks,
            &name,
        ));
    }
    let source = a.in_password.source();
    // A password that is missing or wrong is an error (exit 9 or 3), as in every command.
    let opened = open::open_bytes(&data, &name, source.as_ref(), false, None)?;
    let mut ks = opened.ks;
    let mut password = opened.password;
    if kind == Kind::Jks {
        // Listing needed no password; the keys and the integrity check do.
        if password.is_none() {
            let o = open::open_bytes(&data, &name, None, true, None)?;
            ks = o.ks;
            password = o.password;
        }
        if let Some(pw) = &password {
            let mut probe = ks.clone();
            let mismatch = match formats::open_keys(&mut probe, pw) {
                Ok(()) => {
                    ks = probe;
                    None
                }
                Err(Error::WrongPassword { detail, .. }) => {
                    // The rule is broken; still open the keys (keytool's usual leftovers) for the other checks.
                    let mut probe = ks.clone();
                    let tries = [
                        Password::new(P12_PASSWORD.to_string()),
                        Password::new(String::new()),
                    ];
                    if formats::open_keys_trying(&mut probe, &tries).is_ok() {
                        ks = probe;
                    }
                    Some(detail)
                }
                Err(e) => return Err(e),
            };
            checks.push(salesforce::key_password_check(mismatch.as_deref(), &name));
        }
    }
    Ok((ks, password))
}

fn entry_checks(a: &PreflightArgs, ks: &Keystore, checks: &mut Vec<Check>) -> Option<Entry> {
    let keys: Vec<&Entry> = ks.private_keys().collect();
    let (entry, check) =
        salesforce::select_entry(&keys, a.alias.as_deref(), &ks.source, "--alias ALIAS");
    // --alias picks the entry the other checks look at; the import still takes the whole file.
    match (
        a.target,
        salesforce::whole_file_entries_check(&keys, &ks.source),
    ) {
        (Target::SalesforceImport, Some(whole)) => checks.push(whole),
        _ => checks.push(check),
    }
    if a.target == Target::SalesforceImport {
        let aliases: Vec<&str> = ks.entries.iter().map(|e| e.alias.as_str()).collect();
        checks.push(salesforce::aliases_check(&aliases, &ks.source));
    }
    entry
}

/// For the JWT targets, a key file without a certificate (selfsign's `org2.key`) is checked
/// with the `--cert` the other side holds: the one whose public key is the key's, else the
/// first, so that a mismatch is reported as one.
fn attach_cert_for_checks(a: &PreflightArgs, entry: &mut Entry) -> Result<()> {
    let (
        Some(path),
        EntryKind::PrivateKey {
            key: KeyMaterial::Pkcs8(key),
            chain,
        },
    ) = (&a.cert, &mut entry.kind)
    else {
        return Ok(());
    };
    if a.target == Target::SalesforceImport || !chain.is_empty() {
        return Ok(());
    }
    let certs = super::verify::certs_from_file(path)?;
    let matching = certs
        .iter()
        .find(|(_, c)| crate::keys::matches_certificate(key.expose(), &c.0) == Some(true))
        .or(certs.first());
    if let Some((_, c)) = matching {
        *chain = vec![c.clone()];
    }
    Ok(())
}

/// Run `certkit preflight`.
pub fn run(a: PreflightArgs) -> Result<()> {
    let mut checks = Vec::new();
    let (ks, password) = open_input(&a, &mut checks)?;
    let (ks, password) = (&ks, &password);
    if let Some(mut entry) = entry_checks(&a, ks, &mut checks) {
        attach_cert_for_checks(&a, &mut entry)?;
        if a.target == Target::SalesforceImport {
            if let Some(pw) = password {
                let mut c = a.password_policy.check(pw);
                c.fix = Some(format!(
                    "rewrite it with a 6 to 8 character password: certkit p12-to-jks {} --password-file FILE --generate-password",
                    a.input.display()
                ));
                checks.push(c);
            }
        }
        if entry.pkcs8().is_some() {
            let google_json = ks.format == Format::GoogleJson;
            checks.extend(
                salesforce::key_checks(&entry)
                    .into_iter()
                    .filter(|c| match c.id {
                        // For the other targets the key matters, not Salesforce's import format.
                        "salesforce.pkcs8" => a.target == Target::SalesforceImport,
                        // Google holds the public key of a JSON key; it needs no certificate here.
                        "salesforce.certificate" => !(a.target == Target::Google && google_json),
                        _ => true,
                    }),
            );
        }
        if let Some(s) = entry.leaf().and_then(|c| x509::summarize(&c.0)) {
            checks.push(certificate::validity(
                &s,
                crate::clock::now_secs(),
                a.warn_days,
            ));
            checks.push(certificate::signature_algorithm(&s));
            if a.target == Target::ConnectedApp {
                checks.push(certificate::not_ca(&s));
            }
        }
        let profile = match a.target {
            Target::Google => Profile::Google,
            Target::SalesforceJwt => Profile::Salesforce,
            _ => Profile::Generic,
        };
        if entry.pkcs8().is_some() {
            match super::verify::run_checks(
                profile,
                a.alg,
                &a.claims.flags(),
                Some(&entry),
                Some(ks),
                a.cert.as_deref(),
                None,
            ) {
                Ok((_, _, mut jwt_checks)) => {
                    if let Some(sig) = jwt_checks.first_mut() {
                        sig.rule = match a.alg {
                            crate::jwt::Alg::RS256 => "an RS256 assertion signed with the key verifies with the certificate",
                            crate::jwt::Alg::RS512 => "an RS512 assertion signed with the key verifies with the certificate",
                        };
                    }
                    // The validity check was already made above.
                    jwt_checks.retain(|c| c.id != "certificate.validity");
                    if matches!(a.target, Target::SalesforceImport | Target::ConnectedApp) {
                        jwt_checks.truncate(1);
                    }
                    checks.extend(jwt_checks);
                }
                Err(e @ Error::Unsupported { .. }) => checks.push(Check::fail(
                    "jwt.signature",
                    "an RS256 assertion signed with the key verifies with the certificate",
                    e.to_string(),
                    "use an RSA key",
                )),
                Err(e) => return Err(e),
            }
        }
    }
    let failed = checks.iter().filter(|c| c.status == Status::Fail).count();
    if a.json {
        super::print_json(&json!({
            "target": a.target,
            "file": a.input.display().to_string(),
            "ok": failed == 0,
            "checks": checks,
            "cannot_check": cannot_check(a.target),
        }));
    } else {
        let target = clap::ValueEnum::to_possible_value(&a.target)
            .map(|v| v.get_name().to_string())
            .unwrap_or_default();
        super::outln!("Preflight {target} for {}", a.input.display());
        super::print_checks(&checks, false);
        super::outln!();
        super::outln!("Not checked from here:");
        for c in cannot_check(a.target) {
            super::outln!("  - {c}");
        }
        super::outln!();
        super::outln!(
            "{}",
            if failed == 0 {
                "Ready: nothing failed.".to_string()
            } else {
                format!("{failed} check(s) failed: fix them before this step.")
            }
        );
    }
    super::checks_result(&checks)
}
