//! Give a certificate-less key (a Google JSON key) the certificate Salesforce needs:
//! the one the user downloaded from Google (`--cert`), or a generated self-signed one.

use std::path::Path;

use crate::certgen::{self, CertSpec};
use crate::error::{Error, Result};
use crate::model::{Entry, EntryKind, GoogleAccount};
use crate::rules::Check;
use crate::{formats, keyids, keys, open};

/// Attach a certificate to `entry` (whose key is open): from `cert_file` if given
/// (the certificate whose public key matches), else a new self-signed one, CN = client email.
pub fn attach_certificate(
    entry: &mut Entry,
    google: &GoogleAccount,
    cert_file: Option<&Path>,
    days: u32,
) -> Result<()> {
    let key = entry
        .pkcs8()
        .ok_or_else(|| Error::Internal("the key is not open".into()))?
        .clone();
    let cert = match cert_file {
        Some(path) => {
            let data = open::read_file(path)?;
            let name = path.display().to_string();
            let ks = formats::read(&data, &name, None)?;
            let found = ks
                .entries
                .iter()
                .flat_map(|e| e.chain().iter())
                .find(|c| keys::matches_certificate(key.expose(), &c.0) == Some(true))
                .cloned();
            match found {
                Some(c) => c,
                None => {
                    return Err(Check::fail(
                        "google.cert-matches-key",
                        "the certificate belongs to the key",
                        format!("no certificate in {name} has the public key of key id {}", google.private_key_id),
                        format!(
                            "download the certificates of {} (https://www.googleapis.com/robot/v1/metadata/x509/{}) and pass that file, or leave out --cert",
                            google.client_email, google.client_email
                        ),
                    )
                    .into_error())
                }
            }
        }
        None => {
            let pkey = keys::pkey_from_pkcs8(key.expose())
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
            certgen::self_signed(&pkey, &spec)?
        }
    };
    if let EntryKind::PrivateKey { chain, .. } = &mut entry.kind {
        *chain = vec![cert];
    }
    Ok(())
}
