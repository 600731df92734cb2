//! Give a key the certificate it lacks: the one in a file the user names (a PEM or DER
//! certificate, a keystore, Google's x509 metadata), chosen by its public key; or, for a
//! Google JSON key, a new self-signed one (Salesforce needs a certificate; Google verifies
//! with its own copy of the public key).

use std::path::Path;

use crate::certgen::{self, CertSpec};
use crate::error::{Error, Hint, Result};
use crate::host::Host;
use crate::model::{CertDer, Entry, EntryKind, Format, GoogleAccount};
use crate::rules::{certificate, Check};
use crate::setting::{msg, Setting};
use crate::{assertion, formats, keyids, keys, open, x509};

/// The certificates in a file, each with a label: PEM, DER, a keystore (JKS needs no
/// password to list), or Google's x509 metadata document (labelled with its key ids).
pub fn certs_from_file(host: &dyn Host, path: &Path) -> Result<Vec<(String, CertDer)>> {
    let data = open::read_file(host, path)?;
    let name = path.display().to_string();
    let ks = formats::read(&data, &name, None)?;
    let metadata = ks.format == Format::GoogleJson;
    Ok(ks
        .entries
        .iter()
        .flat_map(|e| {
            e.chain().iter().enumerate().map(move |(i, c)| {
                let label = if metadata && i == 0 {
                    format!("{}{}", assertion::METADATA_LABEL, e.alias)
                } else {
                    assertion::cert_label(c)
                };
                (label, c.clone())
            })
        })
        .collect())
}

/// The certificate of `cert_file` whose public key is the entry's key, followed by the
/// file's certificates that issued it (leaf first). An error names the file when none is.
pub fn pair_from_file(
    host: &dyn Host,
    entry: &mut Entry,
    cert_file: &Path,
    google: Option<&GoogleAccount>,
) -> Result<()> {
    let key = entry
        .pkcs8()
        .ok_or_else(|| Error::Internal("the key is not open".into()))?
        .clone();
    let name = cert_file.display().to_string();
    let certs: Vec<CertDer> = certs_from_file(host, cert_file)?
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    if certs.is_empty() {
        return Err(Error::Invalid(format!("{name} holds no certificate")));
    }
    let Some(leaf) = certs
        .iter()
        .position(|c| x509::matches_key(&c.0, key.expose()) == Some(true))
    else {
        let (fix, setting) = match google {
            Some(g) => (format!(
                "download the certificates of {} (https://www.googleapis.com/robot/v1/metadata/x509/{}) and give that file, or leave the certificate out to have one made",
                g.client_email, g.client_email
            ), None),
            None => (
                "give the certificate that was made with this key".to_string(),
                Some(Setting::Certificate),
            ),
        };
        let e = Check::fail(
            certificate::MATCHES_KEY,
            format!("no certificate in {name} has this key's public key"),
            fix,
        )
        .into_error();
        return Err(match setting {
            Some(s) => e.hint(Hint::Setting(msg!(" with ", s.value()))),
            None => e,
        });
    };
    let mut used = vec![false; certs.len()];
    let chain = formats::chain_from(leaf, &certs, &mut used);
    if let EntryKind::PrivateKey { chain: c, .. } = &mut entry.kind {
        *c = chain;
    }
    Ok(())
}

/// Wrap a Google JSON key in a new self-signed certificate, CN = the client e-mail, its
/// subject recording the key's `private_key_id` (so `kid` finds it again later).
pub fn wrap_google(entry: &mut Entry, google: &GoogleAccount, days: u32) -> Result<()> {
    let pkcs8 = entry
        .pkcs8()
        .filter(|k| keys::facts(k.expose()).is_some())
        .cloned()
        .ok_or_else(|| Error::Internal("the key does not parse".into()))?;
    let spec = CertSpec {
        common_name: google.client_email.clone(),
        days,
        client_auth: true,
        description: Some(format!(
            "{}{}",
            keyids::GOOGLE_KEY_ID_MARK,
            google.private_key_id
        )),
        ..CertSpec::default()
    };
    let cert = certgen::self_signed(pkcs8.expose(), &spec)?;
    if let EntryKind::PrivateKey { chain, .. } = &mut entry.kind {
        *chain = vec![cert];
    }
    Ok(())
}

/// Pair the keys that have no certificate with the certificates among `entries` (from any
/// input): the one whose public key is the key's, followed by its issuers, leaves the
/// trusted entries and becomes the key's chain.
pub fn pair_loose(entries: &mut Vec<Entry>) {
    loop {
        let certs: Vec<(usize, CertDer)> = entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match &e.kind {
                EntryKind::TrustedCert(c) => Some((i, c.clone())),
                _ => None,
            })
            .collect();
        let pairing = entries.iter().enumerate().find_map(|(k, e)| {
            let key = e.pkcs8().filter(|_| e.chain().is_empty())?;
            let leaf = certs
                .iter()
                .position(|(_, c)| x509::matches_key(&c.0, key.expose()) == Some(true))?;
            Some((k, leaf))
        });
        let Some((k, leaf)) = pairing else { return };
        let pool: Vec<CertDer> = certs.iter().map(|(_, c)| c.clone()).collect();
        let mut used = vec![false; pool.len()];
        let chain = formats::chain_from(leaf, &pool, &mut used);
        if let EntryKind::PrivateKey { chain: c, .. } = &mut entries[k].kind {
            *c = chain;
        }
        let gone: Vec<usize> = certs
            .iter()
            .zip(&used)
            .filter(|(_, u)| **u)
            .map(|((i, _), _)| *i)
            .collect();
        let mut i = 0;
        entries.retain(|_| {
            let keep = !gone.contains(&i);
            i += 1;
            keep
        });
    }
}

/// Give every entry an alias, unique ignoring case (as JKS needs): its own, else one made
/// from its certificate's CN, else `key` / `cert`; a clash gets `_2`, `_3`...
pub fn name_entries(entries: &mut [Entry]) {
    let mut taken: Vec<String> = Vec::new();
    for e in entries.iter_mut() {
        let base = if !e.alias.is_empty() {
            e.alias.clone()
        } else {
            e.leaf()
                .and_then(|c| x509::common_name(&c.0))
                .and_then(|cn| crate::rules::salesforce::derive_alias(&cn))
                .unwrap_or_else(|| {
                    if e.is_private_key() {
                        "key".into()
                    } else {
                        "cert".into()
                    }
                })
        };
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name.to_lowercase()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        taken.push(name.to_lowercase());
        e.alias = name;
    }
}
