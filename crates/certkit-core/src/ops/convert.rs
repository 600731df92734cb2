//! Every keystore format to every other: JKS, PKCS#12, PEM, DER. Several inputs are merged
//! (a PEM key and its certificate file, certificates into one truststore); all entries are
//! kept, with their aliases, keys and certificates byte for byte.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Generated, OutPassword};
use crate::choice::Choice;
use crate::error::{Error, Result};
use crate::formats::{jks, pem, pkcs12};
use crate::host::{Access, Host, Output};
use crate::model::{Entry, EntryKind, Want};
use crate::open::{self, Input};
use crate::secret::Password;
use crate::setting::{msg, Message, Setting};

/// The formats `convert` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Java KeyStore.
    Jks,
    /// PKCS#12 / PFX.
    Pkcs12,
    /// PEM text.
    Pem,
    /// One DER certificate (and, with a key output, one DER key).
    Der,
}

impl Choice for Target {
    const ALL: &'static [Self] = &[Target::Jks, Target::Pkcs12, Target::Pem, Target::Der];
    fn name(self) -> &'static str {
        match self {
            Target::Jks => "jks",
            Target::Pkcs12 => "pkcs12",
            Target::Pem => "pem",
            Target::Der => "der",
        }
    }
    fn help(self) -> &'static str {
        match self {
            Target::Jks => "Java KeyStore (.jks): one password for store and keys",
            Target::Pkcs12 => {
                "PKCS#12 (.p12, .pfx): PBES2/AES-256 and HMAC-SHA256, or the legacy 3DES and HMAC-SHA1"
            }
            Target::Pem => "PEM (.pem, .crt, .key): the key, then its chain",
            Target::Der => "DER (.der, .cer): exactly one certificate (and one key, to a file of its own)",
        }
    }
}

impl Serialize for Target {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        crate::choice::serialize(self, s)
    }
}

/// The format an output's extension names.
pub fn target_of(path: &Path) -> Option<Target> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "jks" => Target::Jks,
        "p12" | "pfx" => Target::Pkcs12,
        "pem" | "crt" | "key" => Target::Pem,
        "der" | "cer" => Target::Der,
        _ => return None,
    })
}

/// What to convert.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The inputs (merged), each with its passwords.
    pub inputs: Vec<Input>,
    /// The output (for PEM and DER, optional when the key and certificate go to files of
    /// their own).
    pub output: Option<PathBuf>,
    /// The format [default: from the output's extension].
    pub to: Option<Target>,
    /// Keep only this entry.
    pub entry: Option<String>,
    /// Rename the one entry written.
    pub alias: Option<String>,
    /// The output password (JKS, PKCS#12, an encrypted key).
    pub out_password: OutPassword,
    /// PKCS#12 with 3DES and HMAC-SHA1.
    pub legacy: bool,
    /// PEM/DER: write the private key to this file.
    pub key_out: Option<PathBuf>,
    /// PEM: write the certificates to this file.
    pub cert_out: Option<PathBuf>,
    /// PEM/DER: encrypt the private key with the output password.
    pub encrypt_key: bool,
    /// Replace outputs that exist.
    pub force: bool,
}

/// One entry written.
#[derive(Clone, Debug, Serialize)]
pub struct EntryReport {
    /// Its alias.
    pub alias: String,
    /// `PrivateKeyEntry` or `trustedCertEntry`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// How many certificates its chain holds.
    pub certificates: usize,
}

/// What was written.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The format.
    pub format: Target,
    /// The files written.
    pub outputs: Vec<String>,
    /// The entries written.
    pub entries: Vec<EntryReport>,
    /// True when a private key was written without encryption (in a 0600 file).
    pub key_unencrypted: bool,
    /// The PKCS#12 protection, when one was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protection: Option<&'static str>,
    /// Where the output's password came from (given, generated, the input's reused).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<&'static str>,
    /// What was left out, and how to have it (a key DER output does not hold): the settings
    /// it names are the front end's to render.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Message>,
    /// The generated password (shown once).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_password: Option<Generated>,
}

/// The error of a conversion with nowhere to write.
fn name_the_output() -> Error {
    Error::invalid_setting(msg!(
        "name the output with ",
        Setting::Output.value(),
        " (for PEM and DER, or the key and certificates with ",
        Setting::KeyOut.value(),
        " / ",
        Setting::CertOut.value(),
        ")"
    ))
}

/// The error of a JKS or PKCS#12 conversion with nowhere to write.
fn name_the_output_file() -> Error {
    Error::invalid_setting(msg!("name the output file with ", Setting::Output.value()))
}

fn usage(s: impl Into<String>) -> Error {
    Error::Invalid(s.into())
}

/// Read the inputs, merge and pair them, pick and rename.
fn gather(host: &dyn Host, o: &Options) -> Result<(Vec<Entry>, Option<Password>)> {
    if o.inputs.is_empty() {
        return Err(usage("give at least one input"));
    }
    let mut entries = Vec::new();
    let mut first_password = None;
    for input in &o.inputs {
        let opened = open::open(host, input, true).map_err(|e| match e {
            Error::WrongPassword { .. } if o.inputs.len() > 1 => {
                e.hint(crate::error::Hint::EachPassword)
            }
            other => other,
        })?;
        if first_password.is_none() {
            first_password = opened.password.clone();
        }
        let mut ks = opened.ks;
        if ks.entries.iter().any(|e| {
            matches!(
                e.kind,
                EntryKind::PrivateKey {
                    key: crate::model::KeyMaterial::JksProtected { .. },
                    ..
                }
            )
        }) {
            return Err(Error::password_required(
                crate::error::WhichPassword::Store,
                format!("{}: its keys need the keystore password", input.name()),
            ));
        }
        entries.append(&mut ks.entries);
    }
    super::pair::pair_loose(&mut entries);
    super::pair::name_entries(&mut entries);
    if o.entry.is_some() {
        let mut ks = crate::model::Keystore::new("the inputs", crate::model::Format::Pem);
        ks.entries = entries;
        entries = vec![ks.select(o.entry.as_deref(), Want::Any)?];
    }
    if let Some(a) = &o.alias {
        match entries.as_mut_slice() {
            [one] => one.alias = a.clone(),
            _ => {
                return Err(usage(format!(
                    "a new alias names one entry; the inputs hold {}: choose one",
                    entries.len()
                ))
                .hint(crate::error::Hint::ChooseEntry))
            }
        }
    }
    if entries.is_empty() {
        return Err(usage("the inputs hold no key and no certificate"));
    }
    Ok((entries, first_password))
}

/// The JKS or PKCS#12 file: `-o`, which `run` checks is named before reading any input. The
/// same error again rather than an empty path (which once reached the writer).
fn keystore_out(o: &Options) -> Result<PathBuf> {
    o.output.clone().ok_or_else(name_the_output_file)
}

/// Convert.
pub fn run(host: &dyn Host, o: &Options) -> Result<Report> {
    let target = choose_target(o)?;
    check_outputs(host, o, target)?;
    let (entries, input_pw) = gather(host, o)?;
    check_keys_have_certificates(target, &entries)?;
    let (encoded, password, generated) = encode(host, o, target, &entries, input_pw.as_ref())?;
    let password_from = match (&password, &generated, &o.out_password.source) {
        (None, _, _) => None,
        (Some(_), Some(_), _) => Some("generated"),
        (Some(_), None, Some(_)) => Some("given"),
        (Some(_), None, None) if input_pw.is_some() => Some("the input's password, reused"),
        (Some(_), None, None) => Some("typed at the prompt"),
    };
    let Encoded {
        files,
        notes,
        key_unencrypted,
        protection,
    } = encoded;
    let outputs: Vec<Output> = files
        .iter()
        .map(|(p, b)| Output {
            path: p.clone(),
            bytes: b.expose(),
        })
        .collect();
    host.write(&outputs, o.force, Access::Private)?;
    Ok(Report {
        format: target,
        outputs: files.iter().map(|(p, _)| p.display().to_string()).collect(),
        entries: entries
            .iter()
            .map(|e| EntryReport {
                alias: e.alias.clone(),
                kind: e.kind_name(),
                certificates: e.chain().len(),
            })
            .collect(),
        key_unencrypted,
        protection,
        password: password_from,
        notes,
        generated_password: generated,
    })
}

/// The output format: `--to`, else the output's extension, else PEM when only the key or
/// certificate file is named.
fn choose_target(o: &Options) -> Result<Target> {
    Ok(match (o.to, &o.output) {
        (Some(t), _) => t,
        (None, Some(p)) => target_of(p).ok_or_else(|| {
            usage(format!(
                "the extension of {} names no format (.jks, .p12, .pfx, .pem, .crt, .key, .der, .cer)",
                p.display()
            ))
            .hint(crate::error::Hint::Format)
        })?,
        (None, None) => match (&o.key_out, &o.cert_out) {
            (Some(_), _) | (_, Some(_)) => Target::Pem,
            _ => return Err(name_the_output()),
        },
    })
}

/// The outputs are named, fit the format, are free (or `--force`), and are distinct.
fn check_outputs(host: &dyn Host, o: &Options, target: Target) -> Result<()> {
    // Every format needs somewhere to write: -o, or for PEM and DER the key and certificate
    // files of their own. Checked before any input is read (an empty path once reached the
    // writer: "certkit: : no such file or folder").
    let has_file = match target {
        Target::Jks | Target::Pkcs12 => o.output.is_some(),
        Target::Pem => o.output.is_some() || o.key_out.is_some() || o.cert_out.is_some(),
        Target::Der => o.output.is_some() || o.key_out.is_some(),
    };
    if !has_file {
        return Err(match target {
            Target::Jks | Target::Pkcs12 => name_the_output_file(),
            _ => name_the_output(),
        });
    }
    if matches!(target, Target::Jks | Target::Pkcs12)
        && (o.key_out.is_some() || o.cert_out.is_some())
    {
        return Err(usage(
            "separate key and certificate files are for PEM and DER",
        ));
    }
    let mut planned: Vec<&Path> = Vec::new();
    planned.extend(o.output.as_deref());
    planned.extend(o.key_out.as_deref());
    planned.extend(o.cert_out.as_deref());
    host.ensure_free(&planned, o.force)?;

    if let (Some(k), Some(c)) = (&o.key_out, &o.cert_out) {
        if k == c {
            return Err(usage(
                "the key and the certificates need two different files",
            ));
        }
    }
    Ok(())
}

/// Java cannot read a private-key entry without its certificate.
fn check_keys_have_certificates(target: Target, entries: &[Entry]) -> Result<()> {
    if matches!(target, Target::Jks | Target::Pkcs12) {
        if let Some(bare) = entries
            .iter()
            .find(|e| e.is_private_key() && e.chain().is_empty())
        {
            return Err(usage(format!(
                "the key \"{}\" has no certificate, and a JKS or PKCS#12 key entry needs one: give its certificate file as another input",
                bare.alias
            )));
        }
    }
    Ok(())
}

/// The target's files, with the output password and the generated one to show: a keystore
/// always has a password; a PEM or DER key has one when it is encrypted.
fn encode(
    host: &dyn Host,
    o: &Options,
    target: Target,
    entries: &[Entry],
    input_pw: Option<&Password>,
) -> Result<(Encoded, Option<Password>, Option<Generated>)> {
    let password = || super::output_password(host, &o.out_password, input_pw);
    // A PEM or DER key is encrypted on request, and only when there is a key.
    let key_password = || match o.encrypt_key && entries.iter().any(Entry::is_private_key) {
        true => password().map(|(p, g)| (Some(p), g)),
        false => Ok((None, None)),
    };
    Ok(match target {
        Target::Jks => {
            let (pw, generated) = password()?;
            (encode_jks(o, entries, &pw)?, Some(pw), generated)
        }
        Target::Pkcs12 => {
            let (pw, generated) = password()?;
            (encode_pkcs12(o, entries, &pw)?, Some(pw), generated)
        }
        Target::Pem => {
            let (pw, generated) = key_password()?;
            (encode_pem(o, entries, pw.as_ref())?, pw, generated)
        }
        Target::Der => {
            let (pw, generated) = key_password()?;
            (encode_der(o, entries, pw.as_ref())?, pw, generated)
        }
    })
}

/// The files one target's encoder produced, and what the report says of them.
#[derive(Default)]
struct Encoded {
    files: Vec<(PathBuf, crate::secret::SecretBytes)>,
    notes: Vec<Message>,
    key_unencrypted: bool,
    protection: Option<&'static str>,
}

fn encode_jks(o: &Options, entries: &[Entry], pw: &Password) -> Result<Encoded> {
    let bytes = jks::encode(entries, pw, crate::clock::now_ms())?;
    Ok(Encoded {
        files: vec![(keystore_out(o)?, crate::secret::SecretBytes::new(bytes))],
        ..Encoded::default()
    })
}

fn encode_pkcs12(o: &Options, entries: &[Entry], pw: &Password) -> Result<Encoded> {
    let (prot, protection) = if o.legacy {
        (pkcs12::P12Protection::Legacy, "3DES, HMAC-SHA1 (legacy)")
    } else {
        (
            pkcs12::P12Protection::Modern,
            "PBES2 / AES-256-CBC, HMAC-SHA256",
        )
    };
    let bytes = pkcs12::encode(entries, pw, prot)?;
    Ok(Encoded {
        files: vec![(keystore_out(o)?, crate::secret::SecretBytes::new(bytes))],
        protection: Some(protection),
        ..Encoded::default()
    })
}

/// PEM: the keys, then the chains, in one file, or the keys and the certificates in files
/// of their own.
fn encode_pem(o: &Options, entries: &[Entry], password: Option<&Password>) -> Result<Encoded> {
    let mut out = Encoded::default();
    let key_pw = password.filter(|_| o.encrypt_key);
    let mut keys = Vec::new();
    let mut certs = Vec::new();
    for e in entries {
        if let Some(k) = e.pkcs8() {
            keys.extend_from_slice(pem::encode_key(k, key_pw)?.expose());
            out.key_unencrypted |= key_pw.is_none();
        }
        certs.extend_from_slice(pem::encode_certs(e.chain()).as_bytes());
    }
    match (&o.output, &o.key_out, &o.cert_out) {
        (output, None, None) => {
            let mut all = keys;
            all.extend_from_slice(&certs);
            let path = output.clone().ok_or_else(name_the_output)?;
            out.files.push((path, crate::secret::SecretBytes::new(all)));
        }
        (output, key_out, cert_out) => {
            if !keys.is_empty() {
                let path = key_out.clone().or_else(|| output.clone()).ok_or_else(|| {
                    Error::invalid_setting(msg!(
                        "the inputs hold a private key: name the file for it with ",
                        Setting::Output.value(),
                        " or ",
                        Setting::KeyOut.value()
                    ))
                })?;
                out.files
                    .push((path, crate::secret::SecretBytes::new(keys)));
            } else {
                out.key_unencrypted = false;
            }
            let path = cert_out.clone().or_else(|| output.clone()).ok_or_else(|| {
                Error::invalid_setting(msg!(
                    "name the file for the certificates with ",
                    Setting::Output.value(),
                    " or ",
                    Setting::CertOut.value()
                ))
            })?;
            out.files
                .push((path, crate::secret::SecretBytes::new(certs)));
        }
    }
    Ok(out)
}

/// DER: one entry, its certificate to `-o` and its key to `--key-out`.
fn encode_der(o: &Options, entries: &[Entry], password: Option<&Password>) -> Result<Encoded> {
    let mut out = Encoded::default();
    let [one] = entries else {
        return Err(usage(format!(
            "DER holds exactly one certificate (or one key); the inputs hold {} entries",
            entries.len()
        ))
        .hint(crate::error::Hint::ChooseEntry));
    };
    if let Some(path) = &o.output {
        let cert = one.leaf().ok_or_else(|| {
            usage(format!(
                "entry \"{}\" has no certificate to write; its key goes to the key file",
                one.alias
            ))
        })?;
        out.files.push((
            path.clone(),
            crate::secret::SecretBytes::new(cert.0.clone()),
        ));
    }
    match (one.pkcs8(), &o.key_out) {
        (Some(k), Some(path)) => {
            let key_pw = password.filter(|_| o.encrypt_key);
            out.files
                .push((path.clone(), pem::encode_key_der(k, key_pw)?));
            out.key_unencrypted = key_pw.is_none();
        }
        (Some(_), None) => out.notes.push(msg!(
            format!(
                "the private key of \"{}\" was not written (a DER file holds one object): add ",
                one.alias
            ),
            Setting::KeyOut.value(),
            " to have it"
        )),
        _ => {}
    }
    if out.files.is_empty() {
        return Err(name_the_output());
    }
    Ok(out)
}
