//! An RSA key and a self-signed signing certificate, as PEM (and JKS / PKCS#12 on request),
//! each file said where it goes. [`Files`] and [`write()`] are shared with `renew`, which
//! writes a new certificate for an existing key the same way.

use std::path::PathBuf;

use serde::Serialize;

use super::{Generated, OutPassword};
use crate::certgen::{self, CertSpec};
use crate::error::{Error, Result};
use crate::formats::{jks, pkcs12};
use crate::host::Host;
use crate::host::{Access, Output};
use crate::model::{CertDer, Entry};
use crate::rules::salesforce::{self, PasswordPolicy};
use crate::secret::{Password, SecretBytes};
use crate::setting::{msg, Setting};
use crate::x509::{self, CertSummary};

/// Where and how the key and certificate are written.
#[derive(Clone, Debug)]
pub struct Files {
    /// Folder for the outputs.
    pub out_dir: PathBuf,
    /// Base name of the outputs and the JKS alias [default: from the CN].
    pub name: Option<String>,
    /// Encrypt the PEM key (PKCS#8, PBES2 / AES-256-CBC) with the password.
    pub encrypt_key: bool,
    /// Also write a JKS.
    pub jks: bool,
    /// Also write a PKCS#12.
    pub p12: bool,
    /// The PKCS#12 with 3DES and HMAC-SHA1, for old Java and Windows.
    pub legacy_p12: bool,
    /// The password of the key, JKS and PKCS#12.
    pub out_password: OutPassword,
    /// Replace outputs that exist.
    pub force: bool,
}

/// What to make.
#[derive(Clone, Debug)]
pub struct Options {
    /// The certificate's subject and names, and its validity.
    pub spec: CertSpec,
    /// RSA key size: 2048, 3072 or 4096.
    pub key_size: u32,
    /// Allow a validity over ten years.
    pub allow_long_validity: bool,
    /// Where to write.
    pub files: Files,
}

/// The files written.
#[derive(Clone, Debug, Serialize)]
pub struct Written {
    /// The certificate file (PEM).
    pub certificate: String,
    /// The private key file (PEM).
    pub key: String,
    /// Whether the key file is encrypted.
    pub key_encrypted: bool,
    /// The JKS, when written.
    pub jks: Option<String>,
    /// The PKCS#12, when written.
    pub p12: Option<String>,
    /// The base name and JKS alias.
    pub alias: String,
    /// The generated password (shown once).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_password: Option<Generated>,
}

/// What was made.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The files.
    #[serde(flatten)]
    pub written: Written,
    /// Always `RSA`.
    pub key_algorithm: &'static str,
    /// The key size.
    pub key_bits: u32,
    /// The certificate's CN.
    #[serde(skip)]
    pub common_name: String,
    /// The certificate.
    pub details: Option<CertSummary>,
}

/// The outputs' paths, checked free, and their password (asked before any slow work).
pub struct Plan {
    base: String,
    crt: PathBuf,
    key: PathBuf,
    jks: PathBuf,
    p12: PathBuf,
    password: Option<(Password, Option<Generated>)>,
}

/// Name the outputs (from `files.name`, else the CN), refuse existing ones, get the password.
pub fn plan(host: &dyn Host, files: &Files, common_name: &str) -> Result<Plan> {
    let base = match &files.name {
        Some(n) => salesforce::unique_name(n).map_err(|c| c.into_error())?,
        None => salesforce::derive_alias(common_name).ok_or_else(|| {
            Error::invalid_setting(msg!(
                format!("no file name can be made from the CN \"{common_name}\"; name the outputs with "),
                Setting::Name.value()
            ))
        })?,
    };
    let path = |ext: &str| files.out_dir.join(format!("{base}.{ext}"));
    let (crt, key, jks, p12) = (path("crt"), path("key"), path("jks"), path("p12"));
    let mut planned = vec![crt.as_path(), key.as_path()];
    if files.jks {
        planned.push(jks.as_path());
    }
    if files.p12 {
        planned.push(p12.as_path());
    }
    host.ensure_free(&planned, files.force)?;
    host.create_dir_all(&files.out_dir)?;
    let password = if files.encrypt_key || files.jks || files.p12 {
        // The keystore policy matters for the JKS Salesforce imports; otherwise keytool's minimum.
        let mut spec = files.out_password.clone();
        if !files.jks {
            spec.policy = PasswordPolicy::Java;
        }
        Some(super::output_password(host, &spec, None)?)
    } else {
        None
    };
    Ok(Plan {
        base,
        crt,
        key,
        jks,
        p12,
        password,
    })
}

/// Write the key and certificate as planned: BASE.crt, BASE.key, and BASE.jks / BASE.p12.
pub fn write(
    host: &dyn Host,
    plan: Plan,
    files: &Files,
    pkcs8: SecretBytes,
    cert: &CertDer,
) -> Result<Written> {
    let Plan {
        base,
        crt,
        key,
        jks: jks_path,
        p12: p12_path,
        password,
    } = plan;
    let crt_pem = crate::formats::pem::encode_certs(std::slice::from_ref(cert));
    let key_pem = crate::formats::pem::encode_key(
        &pkcs8,
        password
            .as_ref()
            .map(|(pw, _)| pw)
            .filter(|_| files.encrypt_key),
    )?;
    let entry = Entry::private_key(base.clone(), pkcs8, vec![cert.clone()]);
    let mut outputs = vec![
        Output {
            path: crt.clone(),
            bytes: crt_pem.as_bytes(),
        },
        Output {
            path: key.clone(),
            bytes: key_pem.expose(),
        },
    ];
    let (jks_bytes, p12_bytes) = keystores(&entry, password.as_ref().map(|(pw, _)| pw), files)?;
    outputs.extend(jks_bytes.as_deref().map(|bytes| Output {
        path: jks_path.clone(),
        bytes,
    }));
    outputs.extend(p12_bytes.as_deref().map(|bytes| Output {
        path: p12_path.clone(),
        bytes,
    }));
    host.write(&outputs, files.force, Access::Private)?;
    let shown = |p: &std::path::Path| p.display().to_string();
    Ok(Written {
        certificate: shown(&crt),
        key: shown(&key),
        key_encrypted: files.encrypt_key,
        jks: files.jks.then(|| shown(&jks_path)),
        p12: files.p12.then(|| shown(&p12_path)),
        alias: base,
        generated_password: password.and_then(|(_, g)| g),
    })
}

/// The JKS and the PKCS#12 written beside the PEM files, each when asked for.
type Keystores = (Option<Vec<u8>>, Option<Vec<u8>>);

/// The JKS and the PKCS#12 of `entry` that `files` asks for (each needs the password).
fn keystores(entry: &Entry, password: Option<&Password>, files: &Files) -> Result<Keystores> {
    let Some(pw) = password else {
        return Ok((None, None));
    };
    let one = std::slice::from_ref(entry);
    let jks = files
        .jks
        .then(|| jks::encode(one, pw, crate::clock::now_ms()))
        .transpose()?;
    let prot = if files.legacy_p12 {
        pkcs12::P12Protection::Legacy
    } else {
        pkcs12::P12Protection::Modern
    };
    let p12 = files
        .p12
        .then(|| pkcs12::encode(one, pw, prot))
        .transpose()?;
    Ok((jks, p12))
}

/// Make the key and certificate, and write them.
pub fn run(host: &dyn Host, o: &Options) -> Result<Report> {
    certgen::check_days(o.spec.days, o.allow_long_validity)?;
    let mut spec = o.spec.clone();
    spec.validate()?;
    if !salesforce::ACCEPTED_RSA_BITS.contains(&o.key_size) {
        return Err(Error::Invalid(format!(
            "an RSA key of {} bits; Salesforce imports 2048, 3072 or 4096",
            o.key_size
        )));
    }
    let plan = plan(host, &o.files, &spec.common_name)?;
    let pkcs8 = certgen::generate_rsa(o.key_size)?;
    let cert = certgen::self_signed(pkcs8.expose(), &spec)?;
    let written = write(host, plan, &o.files, pkcs8, &cert)?;
    Ok(Report {
        written,
        key_algorithm: "RSA",
        key_bits: o.key_size,
        common_name: spec.common_name.clone(),
        details: x509::summarize(&cert.0),
    })
}
