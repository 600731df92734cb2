//! `certkit selfsign`: an RSA key and a self-signed signing certificate, as PEM
//! (and JKS / P12 on request), each file said where it goes.

use openssl::symm::Cipher;
use serde_json::json;

use crate::certgen::{self, CertSpec};
use crate::cli::SelfsignArgs;
use crate::error::{Error, Result};
use crate::formats::{jks, pkcs12};
use crate::model::{Entry, EntryKind, KeyMaterial};
use crate::output::{self, Output};
use crate::rules::salesforce::{self, PasswordPolicy};
use crate::{keys, x509};

/// Run `certkit selfsign`.
pub fn run(a: SelfsignArgs) -> Result<()> {
    certgen::check_days(a.days, a.allow_long_validity)?;
    let mut spec = CertSpec {
        common_name: a.cn.clone(),
        organization: a.org.clone(),
        organizational_unit: a.ou.clone(),
        country: a.country.clone(),
        email: a.email.clone(),
        sans: a.sans.clone(),
        days: a.days,
        client_auth: false,
        description: None,
    };
    spec.validate()?;
    let base = match &a.name {
        Some(n) => salesforce::unique_name(n).map_err(|c| c.into_error())?,
        None => salesforce::derive_alias(&a.cn).ok_or_else(|| {
            Error::Usage(format!(
                "no file name can be made from --cn \"{}\"; give --name",
                a.cn
            ))
        })?,
    };
    let path = |ext: &str| a.out_dir.join(format!("{base}.{ext}"));
    let (crt_path, key_path, jks_path, p12_path) =
        (path("crt"), path("key"), path("jks"), path("p12"));
    let mut planned = vec![crt_path.as_path(), key_path.as_path()];
    if a.jks {
        planned.push(jks_path.as_path());
    }
    if a.p12 {
        planned.push(p12_path.as_path());
    }
    output::ensure_free(&planned, a.force)?;

    let needs_password = a.encrypt_key || a.jks || a.p12;
    let password = if needs_password {
        // The keystore policy matters for the JKS Salesforce imports; otherwise keytool's minimum.
        let policy = if a.jks {
            a.out_password.password_policy
        } else {
            PasswordPolicy::Java
        };
        Some(super::p12_to_jks::output_password(
            &a.out_password,
            policy,
            None,
        )?)
    } else {
        None
    };

    // clap admits only 2048, 3072 and 4096.
    let key_size: u32 = a
        .key_size
        .parse()
        .map_err(|_| Error::Usage("--key-size".into()))?;
    let key = certgen::generate_rsa(key_size)?;
    let cert = certgen::self_signed(&key, &spec)?;
    let pkcs8 =
        keys::to_pkcs8(&key).ok_or_else(|| Error::Internal("PKCS#8 encoding failed".into()))?;

    let crt_pem = ::pem::encode(&::pem::Pem::new("CERTIFICATE", cert.0.clone()));
    let key_pem = match (&password, a.encrypt_key) {
        (Some((pw, _)), true) => key
            .private_key_to_pem_pkcs8_passphrase(Cipher::aes_256_cbc(), pw.expose().as_bytes())
            .map_err(|e| Error::Internal(format!("key encryption failed: {e}")))?,
        _ => {
            let block = ::pem::Pem::new("PRIVATE KEY", pkcs8.expose().to_vec());
            let text = ::pem::encode(&block).into_bytes();
            crate::secret::wipe(block.into_contents());
            text
        }
    };
    let key_pem = crate::secret::SecretBytes::new(key_pem);
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
        if a.jks {
            jks_bytes = jks::encode(std::slice::from_ref(&entry), pw, crate::clock::now_ms())?;
            outputs.push(Output {
                path: jks_path.clone(),
                bytes: &jks_bytes,
            });
        }
        if a.p12 {
            let prot = if a.legacy_p12 {
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
    output::write_all(&outputs, a.force)?;

    let summary = x509::summarize(&cert.0);
    let generated = password.as_ref().is_some_and(|(_, g)| *g);
    let shown = |p: &std::path::Path| p.display().to_string();
    if a.json {
        let mut v = json!({
            "certificate": shown(&crt_path),
            "key": shown(&key_path),
            "key_encrypted": a.encrypt_key,
            "jks": a.jks.then(|| shown(&jks_path)),
            "p12": a.p12.then(|| shown(&p12_path)),
            "alias": base,
            "key_algorithm": "RSA",
            "key_bits": key_size,
            "details": summary,
        });
        if let (Some((pw, true)), true) = (&password, generated) {
            v["generated_password"] = json!(pw.expose());
        }
        super::print_json(&v);
        return Ok(());
    }
    super::outln!(
        "Made an RSA {} key and a self-signed certificate for CN={}",
        key_size,
        a.cn
    );
    if let Some(s) = &summary {
        super::outln!("  valid until:  {}", s.not_after);
        super::outln!("  SHA-1:        {}", s.sha1);
        super::outln!("  SHA-256:      {}", s.sha256);
    }
    super::outln!();
    super::outln!(
        "  {:<24} the certificate: upload it to the Connected App (\"Use digital signatures\")",
        shown(&crt_path)
    );
    super::outln!(
        "  {:<24} the private key{}: sf org login jwt --jwt-key-file {}; keep it secret",
        shown(&key_path),
        if a.encrypt_key { " (encrypted)" } else { "" },
        shown(&key_path)
    );
    if a.jks {
        super::outln!(
            "  {:<24} Salesforce Setup > Certificate and Key Management > Import from Keystore (alias \"{base}\")",
            shown(&jks_path)
        );
    }
    if a.p12 {
        super::outln!(
            "  {:<24} PKCS#12 for Java and Windows tools",
            shown(&p12_path)
        );
    }
    if let (Some((pw, true)), true) = (&password, generated) {
        eprintln!("Generated password (shown once): {}", pw.expose());
    }
    Ok(())
}
