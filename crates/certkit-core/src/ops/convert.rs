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

/// Where a conversion writes, and in which format. Each value is one a conversion can
/// write: a keystore has its one file, PEM and DER name at least one, and a setting only
/// where it applies (`legacy` for PKCS#12, `encrypt_key` where a key is written as PEM or
/// DER). The front end chooses it from its own settings (the command line's `--to`, `-o`'s
/// extension with [`target_of`], `--key-out`, `--cert-out`) and refuses the settings that
/// contradict. What a type cannot say is checked by [`run`] before any input is read: the
/// files are free (or `force`), and the key's file and the certificates' are two.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// A Java KeyStore: every entry, one password for the store and its keys.
    Jks(PathBuf),
    /// A PKCS#12: every entry, PBES2 / AES-256 and HMAC-SHA256, or with `legacy` 3DES and
    /// HMAC-SHA1 (for old Java, Windows and macOS).
    Pkcs12 {
        /// The file.
        path: PathBuf,
        /// 3DES and HMAC-SHA1.
        legacy: bool,
    },
    /// PEM text: the keys, then the chains.
    Pem(PemFiles),
    /// DER: exactly one entry, its certificate and its key in files of their own.
    Der(DerFiles),
}

/// The PEM files: the certificates always have one; the private keys are written in it, in
/// one of their own, or not at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PemFiles {
    /// The keys, then the chains, in one file.
    One {
        /// The file.
        path: PathBuf,
        /// Encrypt the keys (PKCS#8, PBES2 / AES-256) with the output password.
        encrypt_key: bool,
    },
    /// The keys (when the inputs hold any) in one file, the certificates in another: two
    /// different files.
    Split {
        /// The keys' file.
        key: PathBuf,
        /// The certificates' file.
        certs: PathBuf,
        /// Encrypt the keys (PKCS#8, PBES2 / AES-256) with the output password.
        encrypt_key: bool,
    },
    /// The certificates alone: inputs that hold a private key are refused, as no file is
    /// named for it.
    Certs(PathBuf),
}

/// The DER files of the one entry written: at least one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DerFiles {
    /// Its certificate; its key, when it has one, is left out (the report says so).
    Cert(PathBuf),
    /// Its key (it must have one).
    Key {
        /// The key's file.
        path: PathBuf,
        /// Encrypt the key (PKCS#8, PBES2 / AES-256) with the output password.
        encrypt_key: bool,
    },
    /// Its certificate, and its key when it has one: two different files.
    Both {
        /// The certificate's file.
        cert: PathBuf,
        /// The key's file.
        key: PathBuf,
        /// Encrypt the key (PKCS#8, PBES2 / AES-256) with the output password.
        encrypt_key: bool,
    },
}

impl Destination {
    /// The format written (the report's `format`).
    pub fn target(&self) -> Target {
        match self {
            Destination::Jks(_) => Target::Jks,
            Destination::Pkcs12 { .. } => Target::Pkcs12,
            Destination::Pem(_) => Target::Pem,
            Destination::Der(_) => Target::Der,
        }
    }

    /// Every file named, each checked free before any input is read.
    pub fn paths(&self) -> Vec<&Path> {
        match self {
            Destination::Jks(path) | Destination::Pkcs12 { path, .. } => vec![path],
            Destination::Pem(PemFiles::One { path, .. } | PemFiles::Certs(path)) => vec![path],
            Destination::Pem(PemFiles::Split { key, certs, .. }) => vec![key, certs],
            Destination::Der(files) => files.cert().into_iter().chain(files.key()).collect(),
        }
    }

    /// The two files that must differ (the key's and the certificates'), when there are two.
    fn two_files(&self) -> Option<(&Path, &Path)> {
        match self {
            Destination::Jks(_) | Destination::Pkcs12 { .. } => None,
            Destination::Pem(PemFiles::One { .. } | PemFiles::Certs(_)) => None,
            Destination::Pem(PemFiles::Split { key, certs, .. }) => Some((key, certs)),
            Destination::Der(DerFiles::Cert(_) | DerFiles::Key { .. }) => None,
            Destination::Der(DerFiles::Both { cert, key, .. }) => Some((key, cert)),
        }
    }

    /// True when a private key written as PEM or DER is to be encrypted.
    fn encrypts_key(&self) -> bool {
        match self {
            Destination::Jks(_) | Destination::Pkcs12 { .. } => false,
            Destination::Pem(PemFiles::One { encrypt_key, .. })
            | Destination::Pem(PemFiles::Split { encrypt_key, .. })
            | Destination::Der(DerFiles::Key { encrypt_key, .. })
            | Destination::Der(DerFiles::Both { encrypt_key, .. }) => *encrypt_key,
            Destination::Pem(PemFiles::Certs(_)) | Destination::Der(DerFiles::Cert(_)) => false,
        }
    }
}

impl DerFiles {
    /// The certificate's file, when one is named.
    pub fn cert(&self) -> Option<&Path> {
        match self {
            DerFiles::Cert(cert) | DerFiles::Both { cert, .. } => Some(cert),
            DerFiles::Key { .. } => None,
        }
    }

    /// The key's file, when one is named.
    pub fn key(&self) -> Option<&Path> {
        match self {
            DerFiles::Key { path: key, .. } | DerFiles::Both { key, .. } => Some(key),
            DerFiles::Cert(_) => None,
        }
    }
}

/// What to convert.
#[derive(Clone, Debug)]
pub struct Options {
    /// The inputs (merged), each with its passwords.
    pub inputs: Vec<Input>,
    /// Where to write, in which format.
    pub destination: Destination,
    /// Keep only this entry.
    pub entry: Option<String>,
    /// Rename the one entry written.
    pub alias: Option<String>,
    /// The output password (JKS, PKCS#12, an encrypted key).
    pub out_password: OutPassword,
    /// Replace outputs that exist.
    pub force: bool,
}

impl Options {
    /// Every entry of the inputs to the destination; the output password from the
    /// Salesforce policy, asked or the input's; outputs that exist are refused.
    pub fn new(inputs: Vec<Input>, destination: Destination) -> Self {
        Options {
            inputs,
            destination,
            entry: None,
            alias: None,
            out_password: OutPassword::default(),
            force: false,
        }
    }
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

/// The error of a DER conversion that would write nothing (a key file named for an entry
/// without a key).
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

/// Convert.
pub fn run(host: &dyn Host, o: &Options) -> Result<Report> {
    check_outputs(host, o)?;
    let (entries, input_pw) = gather(host, o)?;
    let target = o.destination.target();
    check_keys_have_certificates(target, &entries)?;
    let (encoded, password, generated) = encode(host, o, &entries, input_pw.as_ref())?;
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

/// The outputs are free (or `--force`) and distinct: checked before any input is read.
fn check_outputs(host: &dyn Host, o: &Options) -> Result<()> {
    host.ensure_free(&o.destination.paths(), o.force)?;
    if let Some((key, certs)) = o.destination.two_files() {
        // One file however it is spelled (`./a.pem` and `a.pem`).
        if host.absolute(key) == host.absolute(certs) {
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

/// The destination's files, with the output password and the generated one to show: a
/// keystore always has a password; a PEM or DER key has one when it is encrypted.
fn encode(
    host: &dyn Host,
    o: &Options,
    entries: &[Entry],
    input_pw: Option<&Password>,
) -> Result<(Encoded, Option<Password>, Option<Generated>)> {
    let password = || super::output_password(host, &o.out_password, input_pw);
    // A PEM or DER key is encrypted on request, and only when there is a key.
    let key_password =
        || match o.destination.encrypts_key() && entries.iter().any(Entry::is_private_key) {
            true => password().map(|(p, g)| (Some(p), g)),
            false => Ok((None, None)),
        };
    Ok(match &o.destination {
        Destination::Jks(path) => {
            let (pw, generated) = password()?;
            (encode_jks(path, entries, &pw)?, Some(pw), generated)
        }
        Destination::Pkcs12 { path, legacy } => {
            let (pw, generated) = password()?;
            (
                encode_pkcs12(path, *legacy, entries, &pw)?,
                Some(pw),
                generated,
            )
        }
        Destination::Pem(files) => {
            let (pw, generated) = key_password()?;
            (encode_pem(files, entries, pw.as_ref())?, pw, generated)
        }
        Destination::Der(files) => {
            let (pw, generated) = key_password()?;
            (encode_der(files, entries, pw.as_ref())?, pw, generated)
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

fn encode_jks(path: &Path, entries: &[Entry], pw: &Password) -> Result<Encoded> {
    let bytes = jks::encode(entries, pw, crate::clock::now_ms())?;
    Ok(Encoded {
        files: vec![(path.to_path_buf(), crate::secret::SecretBytes::new(bytes))],
        ..Encoded::default()
    })
}

fn encode_pkcs12(path: &Path, legacy: bool, entries: &[Entry], pw: &Password) -> Result<Encoded> {
    let (prot, protection) = if legacy {
        (pkcs12::P12Protection::Legacy, "3DES, HMAC-SHA1 (legacy)")
    } else {
        (
            pkcs12::P12Protection::Modern,
            "PBES2 / AES-256-CBC, HMAC-SHA256",
        )
    };
    let bytes = pkcs12::encode(entries, pw, prot)?;
    Ok(Encoded {
        files: vec![(path.to_path_buf(), crate::secret::SecretBytes::new(bytes))],
        protection: Some(protection),
        ..Encoded::default()
    })
}

/// PEM: the keys, then the chains, in one file, or the keys and the certificates in files
/// of their own; the keys encrypted with `password` when there is one.
fn encode_pem(files: &PemFiles, entries: &[Entry], password: Option<&Password>) -> Result<Encoded> {
    if let PemFiles::Certs(_) = files {
        if entries.iter().any(|e| e.pkcs8().is_some()) {
            return Err(Error::invalid_setting(msg!(
                "the inputs hold a private key: name the file for it with ",
                Setting::Output.value(),
                " or ",
                Setting::KeyOut.value()
            )));
        }
    }
    let mut out = Encoded::default();
    let mut keys = Vec::new();
    let mut certs = Vec::new();
    for e in entries {
        if let Some(k) = e.pkcs8() {
            keys.extend_from_slice(pem::encode_key(k, password)?.expose());
            out.key_unencrypted |= password.is_none();
        }
        certs.extend_from_slice(pem::encode_certs(e.chain()).as_bytes());
    }
    let mut file = |path: &Path, bytes| {
        out.files
            .push((path.to_path_buf(), crate::secret::SecretBytes::new(bytes)))
    };
    match files {
        PemFiles::One { path, .. } => {
            keys.extend_from_slice(&certs);
            file(path, keys);
        }
        PemFiles::Split { key, certs: to, .. } => {
            if !keys.is_empty() {
                file(key, keys);
            }
            file(to, certs);
        }
        PemFiles::Certs(path) => file(path, certs),
    }
    Ok(out)
}

/// DER: one entry, its certificate and its key to files of their own.
fn encode_der(files: &DerFiles, entries: &[Entry], password: Option<&Password>) -> Result<Encoded> {
    let mut out = Encoded::default();
    let [one] = entries else {
        return Err(usage(format!(
            "DER holds exactly one certificate (or one key); the inputs hold {} entries",
            entries.len()
        ))
        .hint(crate::error::Hint::ChooseEntry));
    };
    if let Some(path) = files.cert() {
        let cert = one.leaf().ok_or_else(|| {
            usage(format!(
                "entry \"{}\" has no certificate to write; its key goes to the key file",
                one.alias
            ))
        })?;
        out.files.push((
            path.to_path_buf(),
            crate::secret::SecretBytes::new(cert.0.clone()),
        ));
    }
    match (one.pkcs8(), files.key()) {
        (Some(k), Some(path)) => {
            out.files
                .push((path.to_path_buf(), pem::encode_key_der(k, password)?));
            out.key_unencrypted = password.is_none();
        }
        (Some(_), None) => out.notes.push(msg!(
            format!(
                "the private key of \"{}\" was not written (a DER file holds one object): add ",
                one.alias
            ),
            Setting::KeyOut.value(),
            " to have it"
        )),
        (None, _) => {}
    }
    if out.files.is_empty() {
        return Err(name_the_output());
    }
    Ok(out)
}
