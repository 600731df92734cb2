//! `certkit preflight`: one runbook step as a checklist, each line pass, warn or fail
//! with its fix, ending with what cannot be checked from here.

use serde_json::json;

use crate::assertion::Profile;
use crate::cli::{PreflightArgs, Target};
use crate::error::{Error, Result};
use crate::formats::{self, Kind};
use crate::model::{Entry, EntryKind, Format, KeyMaterial, Keystore};
use crate::rules::{certificate, salesforce, Check, Status};
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
) -> Result<Option<(Keystore, Option<crate::secret::Password>)>> {
    let data = open::read_file(&a.input)?;
    let name = a.input.display().to_string();
    let kind = formats::sniff(&data, &name)?;
    if a.target == Target::SalesforceImport {
        const RULE: &str = "the file is a Java KeyStore (JKS)";
        checks.push(if kind == Kind::Jks {
            Check::pass("salesforce.jks", RULE, "JKS (magic FEEDFEED)")
        } else {
            Check::fail(
                "salesforce.jks",
                RULE,
                format!("this is {}; Salesforce says \"Keystore file is corrupted\" for anything but JKS (keytool writes PKCS12 unless told -deststoretype JKS)", kind.name()),
                format!("certkit p12-to-jks {name}"),
            )
        });
    }
    let source = a.in_password.source();
    let opened = match open::open_bytes(&data, &name, source.as_ref(), false) {
        Ok(o) => o,
        Err(e @ (Error::PasswordRequired(_) | Error::WrongPassword { .. })) => {
            checks.push(Check::fail(
                "input.open",
                "the file opens",
                e.to_string(),
                "give the password with --password-file, --password-env or --password-stdin",
            ));
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let mut ks = opened.ks;
    let mut password = opened.password;
    if kind == Kind::Jks {
        // Listing needed no password; the keys and the integrity check do.
        if password.is_none() {
            match open::open_bytes(&data, &name, None, true) {
                Ok(o) => {
                    ks = o.ks;
                    password = o.password;
                }
                Err(_) if source.is_none() && !crate::passwords::can_prompt() => {
                    checks.push(Check::fail(
                        "input.open",
                        "the keys open with the keystore password",
                        "no password was given",
                        "give the keystore password with --password-file, --password-env or --password-stdin",
                    ));
                    return Ok(Some((ks, None)));
                }
                Err(e) => return Err(e),
            }
        }
        if let Some(pw) = &password {
            const RULE: &str =
                "each key's password is the keystore password (Salesforce asks for one)";
            let mut probe = ks.clone();
            checks.push(match formats::open_keys(&mut probe, pw) {
                Ok(()) => {
                    ks = probe;
                    Check::pass("salesforce.key-password", RULE, "the keys open with the keystore password")
                }
                Err(Error::WrongPassword { detail, .. }) => Check::fail(
                    "salesforce.key-password",
                    RULE,
                    format!("a key has its own password ({detail}); keytool -importkeystore without -destkeypass does this"),
                    format!("give the key the keystore password: keytool -keypasswd -keystore {name} -alias ALIAS (it asks for both passwords)"),
                ),
                Err(e) => return Err(e),
            });
        }
    }
    Ok(Some((ks, password)))
}

fn entry_checks(a: &PreflightArgs, ks: &Keystore, checks: &mut Vec<Check>) -> Option<Entry> {
    let keys: Vec<&Entry> = ks.private_keys().collect();
    let entry = match (&a.alias, keys.len()) {
        (Some(al), _) => keys
            .iter()
            .find(|e| e.alias.eq_ignore_ascii_case(al))
            .map(|e| (*e).clone()),
        (None, 1) => Some(keys[0].clone()),
        _ => None,
    };
    const RULE: &str = "exactly one private-key entry";
    checks.push(match (keys.len(), &entry) {
        (1, Some(_)) => Check::pass("salesforce.one-entry", RULE, "one PrivateKeyEntry"),
        (_, Some(e)) => Check::warn("salesforce.one-entry", RULE, format!("{} private-key entries; checking \"{}\"", keys.len(), e.alias), "import a keystore with only the entry you need"),
        (0, None) => Check::fail("salesforce.private-key", "the keystore contains a PrivateKey entry", "no private key", "use the file that holds the key and its certificate"),
        (n, None) => Check::fail(
            "salesforce.one-entry",
            RULE,
            format!("{n} private-key entries"),
            "choose one with --alias, or write a keystore with one entry (certkit p12-to-jks --entry)",
        ),
    });
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
    let opened = open_input(&a, &mut checks)?;
    if let Some((ks, password)) = &opened {
        if let Some(mut entry) = entry_checks(&a, ks, &mut checks) {
            attach_cert_for_checks(&a, &mut entry)?;
            if a.target == Target::SalesforceImport {
                let alias_ok = salesforce::is_unique_name(&entry.alias);
                checks.push(if alias_ok {
                    Check::pass(
                        "salesforce.alias",
                        salesforce::UNIQUE_NAME_RULE,
                        entry.alias.clone(),
                    )
                } else {
                    Check::fail(
                        "salesforce.alias",
                        salesforce::UNIQUE_NAME_RULE,
                        format!("alias \"{}\"", entry.alias),
                        format!(
                            "rewrite it with a valid alias: certkit p12-to-jks {} --alias NAME",
                            a.input.display()
                        ),
                    )
                });
                if let Some(pw) = password {
                    let mut c = a.password_policy.check(pw);
                    c.fix = Some(format!("rewrite it with a 6 to 8 character password: certkit p12-to-jks {} --generate-password", a.input.display()));
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
                            "salesforce.certificate" => {
                                !(a.target == Target::Google && google_json)
                            }
                            _ => true,
                        }),
                );
            }
            if let Some(s) = entry.leaf().and_then(|c| x509::summarize(&c.0)) {
                checks.push(certificate::validity(&s, super::verify::now(), a.warn_days));
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
                            sig.rule = "an RS256 assertion signed with the key verifies with the certificate";
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
        super::outln!("Preflight {:?} for {}", a.target, a.input.display());
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
