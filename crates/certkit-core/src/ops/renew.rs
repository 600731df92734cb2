//! A new self-signed certificate for the same key: same subject, names and extensions
//! unless asked otherwise, a new serial and validity. The other side must receive the new
//! certificate; the key does not change.

use serde::Serialize;

use super::selfsign::{self, Files, Written};
use crate::certgen::{self, CertSpec, Subject};
use crate::error::{Error, Result};
use crate::host::Host;
use crate::keyids;
use crate::model::Want;
use crate::open::{self, Input};
use crate::setting::{msg, Setting};
use crate::x509::{self, CertSummary};

/// What to renew.
#[derive(Clone, Debug)]
pub struct Options {
    /// The key and its current certificate (any format).
    pub input: Input,
    /// The current certificate, when the input is a bare key.
    pub cert: Option<std::path::PathBuf>,
    /// The entry, by alias.
    pub entry: Option<String>,
    /// Validity of the new certificate, in days from now.
    pub days: u32,
    /// Allow more than ten years.
    pub allow_long_validity: bool,
    /// Changes to the subject and names (fields not given keep the current certificate's).
    pub subject: Subject,
    /// Where to write.
    pub files: Files,
}

/// The renewal.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The files written.
    #[serde(flatten)]
    pub written: Written,
    /// The certificate replaced.
    pub old: Option<CertSummary>,
    /// The new certificate.
    pub new: Option<CertSummary>,
    /// Always true: the new certificate carries the same public key.
    pub same_key: bool,
    /// The key ids that change with the certificate.
    pub key_ids: KeyIdChange,
    /// Who must receive the new certificate.
    pub upload_to: &'static [&'static str],
    /// The certificate's Unique Name until now (the keystore alias): the new JKS carries a new
    /// one (`written.alias`), so that both live in the org while the credential switches.
    pub old_name: Option<String>,
}

/// Key ids before and after.
#[derive(Clone, Debug, Serialize)]
pub struct KeyIdChange {
    /// Google's key id of the old certificate (its SHA-1).
    pub google_key_id_old: String,
    /// Google's key id of the new one: Google gives the uploaded certificate this id.
    pub google_key_id_new: String,
    /// The JWK thumbprint: the same, for the key is the same.
    pub jwk_thumbprint: Option<String>,
}

/// Where a renewed certificate goes.
pub const UPLOAD_TO: &[&str] = &[
    "org to org: the called org's Connected App (\"Use digital signatures\": upload the new .crt)",
    "Google: the service account's keys (IAM > Service Accounts > Keys > Add key > Upload existing key, or keys.upload); the External Credential's kid becomes the new Google key id",
    "a third party: its JWKS or certificate store (the JWK thumbprint stays, x5t and x5c change)",
    "Salesforce, for the calling org: import the new JKS (Import from Keystore) under its new name, switch the External Credential's signing certificate to it, then delete the old certificate",
];

/// Renew.
pub fn run(host: &dyn Host, o: &Options) -> Result<Report> {
    certgen::check_days(o.days, o.allow_long_validity)?;
    let opened = open::open(host, &o.input, true)?;
    let mut entry = opened.ks.select(o.entry.as_deref(), Want::PrivateKey)?;
    if let (Some(c), true) = (&o.cert, entry.chain().is_empty()) {
        super::pair::pair_from_file(host, &mut entry, c, None)?;
    }
    let old = entry.leaf().cloned().ok_or_else(|| {
        Error::invalid_setting(msg!(
            format!(
                "{} holds the key without a certificate: give it with ",
                o.input.name()
            ),
            Setting::Certificate.value(),
            " (or make one with selfsign)"
        ))
    })?;
    let pkcs8 = entry
        .pkcs8()
        .cloned()
        .ok_or_else(|| Error::Internal("the key is not open".into()))?;
    crate::keys::facts(pkcs8.expose())
        .ok_or_else(|| Error::corrupt(&o.input.name(), "the key does not parse"))?;
    if x509::matches_key(&old.0, pkcs8.expose()) != Some(true) {
        return Err(Error::Invalid(format!(
            "the certificate of \"{}\" is not its key's: renew the pair that belongs together",
            entry.alias
        )));
    }
    // The overrides are checked as selfsign checks them.
    let mut check = o.subject.over(CertSpec {
        common_name: x509::common_name(&old.0).unwrap_or_else(|| "x".into()),
        days: o.days,
        ..CertSpec::default()
    });
    check.validate()?;
    let (files, old_name) = renewed_files(o, &entry, &check.common_name);
    let plan = selfsign::plan(host, &files, &check.common_name)?;
    let cert = certgen::renewed(pkcs8.expose(), &old.0, o.days, &o.subject)?;
    let thumb = keyids::of_entry(&entry, None).jwk_thumbprint;
    let written = selfsign::write(host, plan, &files, pkcs8, &cert)?;
    Ok(Report {
        written,
        old: x509::summarize(&old.0),
        new: x509::summarize(&cert.0),
        same_key: true,
        key_ids: KeyIdChange {
            google_key_id_old: keyids::google_key_id_of_cert(&old.0),
            google_key_id_new: keyids::google_key_id_of_cert(&cert.0),
            jwk_thumbprint: thumb,
        },
        upload_to: UPLOAD_TO,
        old_name,
    })
}

/// The files the renewal writes, and the old certificate's name. The JKS Salesforce imports
/// gets a new name (its alias is the certificate's Unique Name on import): the org still holds
/// the old certificate under the old one, an import under the same name clashes with it, and
/// the External Credential switches to the new one before the old is deleted. Without a JKS
/// the files keep the old name.
fn renewed_files(
    o: &Options,
    entry: &crate::model::Entry,
    common_name: &str,
) -> (Files, Option<String>) {
    let mut files = o.files.clone();
    let old_name = Some(entry.alias.clone())
        .filter(|a| !a.is_empty())
        .or_else(|| crate::rules::salesforce::derive_alias(common_name));
    if files.name.is_none() {
        files.name = match files.jks {
            true => old_name
                .as_deref()
                .map(|n| rotated_name(n, &crate::clock::today_ymd())),
            false => old_name.clone(),
        };
    }
    (files, old_name)
}

/// The name of a renewed certificate: the old one with today's date (`org2_20261206`), a
/// date already there replaced; never the old name itself.
pub fn rotated_name(old: &str, ymd: &str) -> String {
    let stem = match old.rsplit_once('_') {
        Some((s, d)) if d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() => s,
        _ => old,
    };
    let room = crate::rules::salesforce::MAX_UNIQUE_NAME - ymd.len() - 3;
    let stem: String = stem.chars().take(room).collect();
    let stem = stem.trim_end_matches('_');
    let name = format!("{stem}_{ymd}");
    if name == old {
        format!("{name}_2")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::rotated_name;

    #[test]
    fn a_rotated_name_is_new_and_carries_the_date_once() {
        assert_eq!(rotated_name("org2", "20261206"), "org2_20261206");
        assert_eq!(rotated_name("org2_20251206", "20261206"), "org2_20261206");
        assert_eq!(rotated_name("org2_20261206", "20261206"), "org2_20261206_2");
        let long = "a".repeat(80);
        assert!(rotated_name(&long, "20261206").len() <= 80);
    }
}
