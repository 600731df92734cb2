//! PEM and DER certificates and private keys (PKCS#8, PKCS#1, SEC1, encrypted PKCS#8).
//! Keys are normalised to PKCS#8 by the [`crate::crypto`] backend; a PKCS#8 key is kept
//! byte for byte.

use crate::crypto::{provider, Traditional};
use crate::error::{Error, Result, WhichPassword};
use crate::keys;
use crate::model::{CertDer, Format, Keystore};
use crate::secret::{Password, PemBlocks, SecretBytes};
use crate::x509;

/// A PKCS#8 key as the bytes were given, after checking it parses (an RSA key from its DER,
/// others by the crypto backend).
fn checked_pkcs8(der: &[u8], path: &str) -> Result<SecretBytes> {
    match keys::facts(der) {
        Some(_) => Ok(SecretBytes::new(der.to_vec())),
        None => Err(pkcs8_problem(der, path)),
    }
}

/// Tell an unsupported algorithm apart from damage when the crypto backend refuses a PKCS#8 key.
fn pkcs8_problem(der: &[u8], path: &str) -> Error {
    // PrivateKeyInfo ::= SEQUENCE { INTEGER, AlgorithmIdentifier SEQUENCE { OID, ... }, OCTET STRING }
    let oid = crate::der::read_tlv(der)
        .and_then(|(seq, _)| crate::der::read_tlv(seq.content))
        .and_then(|(_, rest)| crate::der::read_tlv(rest))
        .and_then(|(alg, _)| crate::der::read_tlv(alg.content))
        .filter(|(oid, _)| oid.tag == 0x06)
        .and_then(|(oid, _)| crate::der::oid_to_string(oid.content));
    match oid {
        Some(oid) if oid != "1.2.840.113549.1.1.1" => {
            Error::unsupported(path, format!("private key algorithm {oid}"))
        }
        _ => Error::corrupt(path, "the private key does not parse as PKCS#8"),
    }
}

/// Read PEM text: any number of certificates and at most one private key.
pub fn decode(data: &[u8], path: &str, password: Option<&Password>) -> Result<Keystore> {
    let blocks = parse_blocks(data, path)?;
    let mut ks = Keystore::new(path, Format::Pem);
    let mut certs = Vec::new();
    let mut key: Option<SecretBytes> = None;
    for b in blocks.iter() {
        let this_key = read_block(b, data, path, password, &mut ks, &mut certs)?;
        if let Some(k) = this_key {
            if key.is_some() {
                return Err(Error::unsupported(
                    path,
                    "more than one private key in one PEM file",
                ));
            }
            key = Some(k);
        }
    }
    if blocks.is_empty() {
        return Err(Error::corrupt(
            path,
            "no complete PEM block (truncated, or the base64 is damaged)",
        ));
    }
    super::assemble(&mut ks, key, certs);
    Ok(ks)
}

/// The PEM blocks of the text, refused if any block begun is not complete.
fn parse_blocks(data: &[u8], path: &str) -> Result<PemBlocks> {
    let blocks = PemBlocks::new(
        ::pem::parse_many(data).map_err(|e| Error::corrupt(path, format!("PEM: {e}")))?,
    );
    // parse_many skips a block it cannot finish: count the BEGIN lines so none is lost silently.
    let begun = data.windows(11).filter(|w| w == b"-----BEGIN ").count();
    if begun > blocks.len() {
        return Err(Error::corrupt(
            path,
            format!(
                "{} of {begun} PEM blocks are incomplete (truncated, or the base64 is damaged)",
                begun - blocks.len()
            ),
        ));
    }
    Ok(blocks)
}

/// One PEM block: a certificate joins `certs`, a private key is returned as PKCS#8, and any
/// other block is ignored with a warning in `ks`.
fn read_block(
    b: &::pem::Pem,
    data: &[u8],
    path: &str,
    password: Option<&Password>,
    ks: &mut Keystore,
    certs: &mut Vec<CertDer>,
) -> Result<Option<SecretBytes>> {
    let tag = b.tag();
    let encrypted_legacy = b
        .headers()
        .get("Proc-Type")
        .is_some_and(|v| v.contains("ENCRYPTED"));
    Ok(match tag {
        "CERTIFICATE" | "X509 CERTIFICATE" => {
            if x509::parse(b.contents()).is_none() {
                return Err(Error::corrupt(
                    path,
                    "a CERTIFICATE block is not an X.509 certificate",
                ));
            }
            certs.push(CertDer(b.contents().to_vec()));
            None
        }
        "PRIVATE KEY" => Some(checked_pkcs8(b.contents(), path)?),
        "ENCRYPTED PRIVATE KEY" => Some(decrypt_pem_key(
            Encrypted::Pkcs8(b.contents()),
            path,
            password,
        )?),
        // OpenSSL's traditional encryption lives in PEM headers: the backend reads the text.
        "RSA PRIVATE KEY" | "EC PRIVATE KEY" if encrypted_legacy => Some(decrypt_pem_key(
            Encrypted::TraditionalPem(data),
            path,
            password,
        )?),
        "RSA PRIVATE KEY" => Some(
            provider()
                .pkcs8_of_traditional(Traditional::Rsa, b.contents())
                .ok_or_else(|| Error::corrupt(path, "the RSA PRIVATE KEY block does not parse"))?,
        ),
        "EC PRIVATE KEY" => Some(
            provider()
                .pkcs8_of_traditional(Traditional::Ec, b.contents())
                .ok_or_else(|| Error::corrupt(path, "the EC PRIVATE KEY block does not parse"))?,
        ),
        other => {
            ks.warnings.push(format!("ignored a PEM block \"{other}\""));
            None
        }
    })
}

/// An encrypted private key: PKCS#8 `EncryptedPrivateKeyInfo` DER, or a whole PEM text
/// with OpenSSL's traditional `Proc-Type: 4,ENCRYPTED` headers.
enum Encrypted<'a> {
    Pkcs8(&'a [u8]),
    TraditionalPem(&'a [u8]),
}

fn decrypt_pem_key(
    key: Encrypted<'_>,
    path: &str,
    password: Option<&Password>,
) -> Result<SecretBytes> {
    let Some(pw) = password else {
        return Err(Error::password_required(
            WhichPassword::PemKey,
            format!("{path} holds an encrypted private key"),
        ));
    };
    if let Encrypted::Pkcs8(der) = key {
        if !crate::der::is_der_tree(der) {
            return Err(Error::unsupported(
                path,
                "an encrypted private key not in DER (BER, indefinite lengths): certkit checks a key's KDF parameters before running them, and reads them from DER only",
            ));
        }
        super::pkcs12::check_iterations(
            der,
            path,
            "an encrypted private key",
            super::pkcs12::MAX_PEM_ITERATIONS,
        )?;
    }
    let pass = pw.expose().as_bytes();
    match key {
        Encrypted::Pkcs8(der) => provider().decrypt_pkcs8(der, pass),
        Encrypted::TraditionalPem(text) => provider().decrypt_traditional_pem(text, pass),
    }
    .ok_or_else(|| Error::WrongPassword {
        which: WhichPassword::PemKey,
        path: path.to_string(),
        detail: "the encrypted private key does not decrypt with this password".into(),
    })
}

/// Read one DER object: a certificate, a PKCS#8 key or a PKCS#1 RSA key.
pub fn decode_der(data: &[u8], path: &str) -> Result<Keystore> {
    let mut ks = Keystore::new(path, Format::Der);
    if x509::parse(data).is_some() {
        super::assemble(&mut ks, None, vec![CertDer(data.to_vec())]);
        return Ok(ks);
    }
    if keys::facts(data).is_some() {
        super::assemble(&mut ks, Some(SecretBytes::new(data.to_vec())), Vec::new());
        return Ok(ks);
    }
    if let Some(k) = provider().pkcs8_of_traditional(Traditional::Rsa, data) {
        super::assemble(&mut ks, Some(k), Vec::new());
        return Ok(ks);
    }
    Err(match pkcs8_problem(data, path) {
        e @ Error::Unsupported { .. } => e,
        _ => Error::corrupt(
            path,
            "DER data that is neither a certificate, a PKCS#8 key nor a PKCS#12 file (truncated?)",
        ),
    })
}

/// A private key as PEM: the PKCS#8 bytes as they are (`PRIVATE KEY`), or encrypted PKCS#8
/// (`ENCRYPTED PRIVATE KEY`: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC, OpenSSL 3's defaults)
/// when a password is given.
pub fn encode_key(pkcs8: &SecretBytes, password: Option<&Password>) -> Result<SecretBytes> {
    match password {
        Some(pw) => {
            let der = provider().encrypt_pkcs8(pkcs8.expose(), pw.expose().as_bytes())?;
            let block = ::pem::Pem::new("ENCRYPTED PRIVATE KEY", der);
            Ok(SecretBytes::new(encode_lf(&block).into_bytes()))
        }
        None => {
            let block = PemBlocks::one(::pem::Pem::new("PRIVATE KEY", pkcs8.expose().to_vec()));
            Ok(SecretBytes::new(encode_lf(&block[0]).into_bytes()))
        }
    }
}

/// A private key as DER: the PKCS#8 bytes as they are, or encrypted PKCS#8 (as [`encode_key`]).
pub fn encode_key_der(pkcs8: &SecretBytes, password: Option<&Password>) -> Result<SecretBytes> {
    match password {
        Some(pw) => provider()
            .encrypt_pkcs8(pkcs8.expose(), pw.expose().as_bytes())
            .map(SecretBytes::new),
        None => Ok(pkcs8.clone()),
    }
}

/// Certificates as PEM `CERTIFICATE` blocks, in order.
pub fn encode_certs(certs: &[CertDer]) -> String {
    certs
        .iter()
        .map(|c| encode_lf(&::pem::Pem::new("CERTIFICATE", c.0.clone())))
        .collect()
}

/// One PEM block with LF line endings on every platform, as openssl and keytool write them on
/// Linux and as JSON, `diff` and `grep -x` expect (the `pem` crate's `encode` writes CRLF).
fn encode_lf(block: &::pem::Pem) -> String {
    ::pem::encode_config(
        block,
        ::pem::EncodeConfig::new().set_line_ending(::pem::LineEnding::LF),
    )
}
