//! Google service-account JSON keys, and Google's x509 metadata document
//! (`robot/v1/metadata/x509/<email>`: an object of key id → PEM certificate).
//!
//! A JSON key carries a PKCS#8 RSA key and no certificate; `p12-to-jks` wraps it in one.
//!
//! Facts and sources: `docs/google-service-accounts.md`.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::{CertDer, Entry, EntryKind, Format, GoogleAccount, Keystore};
use crate::secret::SecretBytes;

fn bad(path: &str, field: &str, detail: impl Into<String>) -> Error {
    Error::BadField {
        path: path.to_string(),
        field: field.to_string(),
        detail: detail.into(),
    }
}

fn string_field<'a>(obj: &'a Map<String, Value>, path: &str, field: &str) -> Result<&'a str> {
    match obj.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
        Some(Value::String(_)) => Err(bad(path, field, "is empty")),
        Some(_) => Err(bad(path, field, "is not a string")),
        None => Err(bad(path, field, "is missing")),
    }
}

/// Read a Google JSON document: a service-account key, or an x509 metadata document.
pub fn decode(data: &[u8], path: &str) -> Result<Keystore> {
    // The parsed copy of the private key is wiped like every other, on every path.
    let v = crate::secret::WipedJson::parse(data)
        .map_err(|e| Error::corrupt(path, format!("JSON: {e}")))?;
    let Value::Object(obj) = &*v else {
        return Err(Error::corrupt(path, "JSON: not an object"));
    };
    decode_object(obj, path)
}

fn decode_object(obj: &Map<String, Value>, path: &str) -> Result<Keystore> {
    if !obj.contains_key("type")
        && !obj.is_empty()
        && obj.values().all(|v| {
            v.as_str()
                .is_some_and(|s| s.contains("-----BEGIN CERTIFICATE"))
        })
    {
        return decode_x509_metadata(obj, path);
    }
    let ty = string_field(obj, path, "type")?;
    if ty != "service_account" {
        return Err(bad(
            path,
            "type",
            format!("is \"{ty}\", expected \"service_account\""),
        ));
    }
    let email = string_field(obj, path, "client_email")?;
    if !email.contains('@') {
        return Err(bad(path, "client_email", "is not an e-mail address"));
    }
    let key_id = string_field(obj, path, "private_key_id")?;
    if key_id.len() != 40 || !key_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad(
            path,
            "private_key_id",
            "is not 40 hexadecimal characters",
        ));
    }
    let key = private_key(obj, path)?;
    let mut ks = Keystore::new(path, Format::GoogleJson);
    ks.entries.push(Entry {
        alias: String::new(),
        created_ms: None,
        kind: EntryKind::PrivateKey {
            key: crate::model::KeyMaterial::Pkcs8(key),
            chain: Vec::new(),
        },
    });
    ks.google = Some(GoogleAccount {
        client_email: email.to_string(),
        private_key_id: key_id.to_ascii_lowercase(),
        project_id: obj
            .get("project_id")
            .and_then(Value::as_str)
            .map(str::to_string),
        token_uri: obj
            .get("token_uri")
            .and_then(Value::as_str)
            .map(str::to_string),
    });
    Ok(ks)
}

/// The `private_key` field: one PEM "PRIVATE KEY" block (PKCS#8) holding an RSA key. The parsed
/// block is wiped when this returns; the key's only copy is the one returned.
fn private_key(obj: &Map<String, Value>, path: &str) -> Result<SecretBytes> {
    let pem_text = string_field(obj, path, "private_key")?;
    let blocks = crate::secret::PemBlocks::one(
        ::pem::parse(pem_text).map_err(|e| bad(path, "private_key", format!("is not PEM: {e}")))?,
    );
    let block = &blocks[0];
    if block.tag() != "PRIVATE KEY" {
        return Err(bad(
            path,
            "private_key",
            format!(
                "is a \"{}\" block, expected \"PRIVATE KEY\" (PKCS#8)",
                block.tag()
            ),
        ));
    }
    let der = block.contents();
    match crate::keys::facts(der) {
        Some(f) if f.algorithm == "RSA" => {}
        Some(f) => {
            return Err(bad(
                path,
                "private_key",
                format!("is an {} key, Google keys are RSA", f.algorithm),
            ))
        }
        None => {
            return Err(bad(
                path,
                "private_key",
                "does not parse as a PKCS#8 private key",
            ))
        }
    }
    Ok(SecretBytes::new(der.to_vec()))
}

fn decode_x509_metadata(obj: &Map<String, Value>, path: &str) -> Result<Keystore> {
    let mut ks = Keystore::new(path, Format::GoogleJson);
    for (kid, v) in obj {
        let text = v.as_str().unwrap_or_default();
        let block = ::pem::parse(text)
            .map_err(|e| bad(path, kid, format!("is not a PEM certificate: {e}")))?;
        if crate::x509::parse(block.contents()).is_none() {
            return Err(bad(path, kid, "is not an X.509 certificate"));
        }
        ks.entries.push(Entry {
            alias: kid.clone(),
            created_ms: None,
            kind: EntryKind::TrustedCert(CertDer(block.contents().to_vec())),
        });
    }
    Ok(ks)
}

/// One key of a JWK set: its `kid`, and for an RSA key its modulus and exponent
/// (big-endian bytes); other key types are listed without them.
pub type Jwk = (String, Option<(Vec<u8>, Vec<u8>)>);

/// A JWK set (`{"keys": [{"kid", "kty", "n", "e", ...}]}`, Google's
/// `robot/v1/metadata/jwk/<email>`). `Ok(None)` when the JSON is not a JWK set; a malformed
/// key is an error naming its field (`keys[0].n`).
pub fn jwk_set(v: &Value, path: &str) -> Result<Option<Vec<Jwk>>> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let Some(keys) = v.get("keys") else {
        return Ok(None);
    };
    let keys = keys
        .as_array()
        .ok_or_else(|| bad(path, "keys", "is not an array"))?;
    let mut out = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let field = |f: &str| format!("keys[{i}].{f}");
        let kid = k
            .get("kid")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let kty = k
            .get("kty")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(path, &field("kty"), "is missing"))?;
        if kty != "RSA" {
            out.push((kid, None));
            continue;
        }
        let part = |f: &str| -> Result<Vec<u8>> {
            let text = k
                .get(f)
                .and_then(Value::as_str)
                .ok_or_else(|| bad(path, &field(f), "is missing"))?;
            URL_SAFE_NO_PAD
                .decode(text)
                .map_err(|_| bad(path, &field(f), "is not base64url"))
        };
        let (n, e) = (part("n")?, part("e")?);
        out.push((kid, Some((n, e))));
    }
    Ok(Some(out))
}
