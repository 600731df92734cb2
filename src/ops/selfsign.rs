//! An RSA key and a self-signed signing certificate, as PEM (and JKS / PKCS#12 on request),
//! each file said where it goes.

use std::path::PathBuf;

use serde::Serialize;

use super::{Generated, OutPassword};
use crate::certgen::{self, CertSpec};
use crate::error::{Error, Result};
use crate::formats::{jks, pkcs12};
use crate::keys;
use crate::model::{Entry, EntryKind, KeyMaterial};
use crate::output::{self, Output};
use crate::rules::salesforce::{self, PasswordPolicy};
use crate::x509::{self, CertSummary};

/// What to make.
#[derive(Clone, Debug)]
pub struct Options {
    /// The certificate's subject and names, and its validity.
    pub spec: CertSpec,
    /// RSA key size: 2048, 3072 or 4096.
    pub key_size: u32,
    /// Allow a validity over ten years.
    pub allow_long_validity: bool,
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

/// What was made.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
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
    /// Always `RSA`.
    pub key_algorithm: &'static str,
    /// The key size.
    pub key_bits: u32,
    /// The certificate's CN.
    #[serde(skip)]
    pub common_name: String,
    /// The certificate.
    pub details: Option<CertSummary>,
    /// The generated password (shown once).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_password: Option<Generated>,
}

/// Make the key and certificate, and write them.
pub fn run(o: &Options) -> Result<Report> {
    certgen::check_days(o.spec.days, o.allow_long_validity)?;
    let mut spec = o.spec.clone();
    spec.validate()?;
    if !salesforce::ACCEPTED_RSA_BITS.contains(&o.key_size) {
        return Err(Error::Usage(format!(
            "an RSA key of {} bits; Salesforce imports 2048, 3072 or 4096",
            o.key_size
        )));
    }
    let base = match &o.name {
        Some(n) => salesforce::unique_name(n).map_err(|c| c.into_error())?,
        None => salesforce::derive_alias(&spec.common_name).ok_or_else(|| {
            Error::Usage(format!(
                "no file name can be made from the CN \"{}\"; name the outputs",
                spec.common_name
            ))
        })?,
    };
    let path = |ext: &str| o.out_dir.join(format!("{base}.{ext}"));
    let (crt_path, key_path, jks_path, p12_path) =
        (path("crt"), path("key"), path("jks"), path("p12"));
    let mut planned = vec![crt_path.as_path(), key_path.as_path()];
    if o.jks {
        planned.push(jks_path.as_path());
    }
    if o.p12 {
        planned.push(p12_path.as_path());
    }
    output::ensure_free(&planned, o.force)?;

    let password = if o.encrypt_key || o.jks || o.p12 {
        // The keystore policy matters for the JKS Salesforce imports; otherwise keytool's minimum.
        let mut spec = o.out_password.clone();
        if !o.jks {
            spec.policy = PasswordPolicy::Java;
        }
        Some(super::output_password(&spec, None)?)
    } else {
        None
    };

    let key = certgen::generate_rsa(o.key_size)?;
    let cert = certgen::self_signed(&key, &spec)?;
    let pkcs8 =
        keys::to_pkcs8(&key).ok_or_else(|| Error::Internal("PKCS#8 encoding failed".into()))?;

    let crt_pem = ::pem::encode(&::pem::Pem::new("CERTIFICATE", cert.0.clone()));
    let key_pem = crate::formats::pem::encode_key(
        &pkcs8,
        password
            .as_ref()
            .map(|(pw, _)| pw)
            .filter(|_| o.encrypt_key),
    )?;
    let entry = Entry {
        alias: base.clone(),
        created_ms: None,
        kind: EntryKind::PrivateKey {
            key: KeyMaterial::Pkcs8(pkcs8),
            chain: vec![cert.clone()],
        },
    };
    let mut outputs = vec![
        Output {
            path: crt_path.clone(),
            bytes: crt_pem.as_bytes(),
        },
        Output {
            path: key_path.clone(),
            bytes: key_pem.expose(),
        },
    ];
    let jks_bytes;
    let p12_bytes;
    if let Some((pw, _)) = &password {
        if o.jks {
            jks_bytes = jks::encode(std::slice::from_ref(&entry), pw, crate::clock::now_ms())?;
            outputs.push(Output {
                path: jks_path.clone(),
                bytes: &jks_bytes,
            });
        }
        if o.p12 {
            let prot = if o.legacy_p12 {
                pkcs12::P12Protection::Legacy
            } else {
                pkcs12::P12Protection::Modern
            };
            p12_bytes = pkcs12::encode(std::slice::from_ref(&entry), pw, prot)?;
            outputs.push(Output {
                path: p12_path.clone(),
                bytes: &p12_bytes,
            });
        }
    }
    output::write_all(&outputs, o.force)?;

    let shown = |p: &std::path::Path| p.display().to_string();
    Ok(Report {
        certificate: shown(&crt_path),
        key: shown(&key_path),
        key_encrypted: o.encrypt_key,
        jks: o.jks.then(|| shown(&jks_path)),
        p12: o.p12.then(|| shown(&p12_path)),
        alias: base,
        key_algorithm: "RSA",
        key_bits: o.key_size,
        common_name: spec.common_name.clone(),
        details: x509::summarize(&cert.0),
        generated_password: password.and_then(|(_, g)| g),
    })
}
