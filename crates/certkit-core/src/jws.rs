//! Compact JWS (RFC 7515) with RS256 / RS512 through the [`crate::crypto`] backend: build,
//! sign, verify, decode.
//! Only what a JWT-bearer assertion needs; the tests check every token against an
//! implementation that shares no code with this one (`jsonwebtoken` with RustCrypto, and
//! `openssl dgst -verify`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

use crate::crypto::{provider, Hash, PublicKey};
use crate::error::{Error, Result};

/// The signing algorithms Salesforce offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Alg {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (Salesforce's default; the only one Google uses).
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
}

impl crate::choice::Choice for Alg {
    const ALL: &'static [Self] = &[Alg::RS256, Alg::RS512];
    fn name(self) -> &'static str {
        Alg::name(self)
    }
    fn help(self) -> &'static str {
        match self {
            Alg::RS256 => {
                "RSASSA-PKCS1-v1_5 with SHA-256 (Salesforce's default; the only one Google uses)"
            }
            Alg::RS512 => "RSASSA-PKCS1-v1_5 with SHA-512",
        }
    }
}

impl Alg {
    /// The JOSE name.
    pub fn name(self) -> &'static str {
        match self {
            Alg::RS256 => "RS256",
            Alg::RS512 => "RS512",
        }
    }
    /// The digest its PKCS#1 v1.5 signature uses.
    pub fn hash(self) -> Hash {
        match self {
            Alg::RS256 => Hash::Sha256,
            Alg::RS512 => Hash::Sha512,
        }
    }
    /// From the JOSE name.
    pub fn from_name(s: &str) -> Option<Alg> {
        match s {
            "RS256" => Some(Alg::RS256),
            "RS512" => Some(Alg::RS512),
            _ => None,
        }
    }
}

/// base64url without padding.
pub fn b64url(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

/// A decoded token.
#[derive(Clone, Debug)]
pub struct Decoded {
    /// The header object.
    pub header: Map<String, Value>,
    /// The claims object.
    pub claims: Map<String, Value>,
    /// `header.payload`, the signed bytes.
    pub signing_input: String,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

impl Decoded {
    /// The `alg` header, if it is one certkit verifies.
    pub fn alg(&self) -> Option<Alg> {
        self.header
            .get("alg")
            .and_then(Value::as_str)
            .and_then(Alg::from_name)
    }
}

/// Sign `header` and `claims` (JSON objects) with an RSA private key (PKCS#8 DER).
pub fn sign(
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
    alg: Alg,
    pkcs8: &[u8],
) -> Result<String> {
    let h = serde_json::to_vec(header).map_err(|e| Error::Internal(format!("header: {e}")))?;
    let c = serde_json::to_vec(claims).map_err(|e| Error::Internal(format!("claims: {e}")))?;
    let input = format!("{}.{}", b64url(&h), b64url(&c));
    let sig = provider().sign(pkcs8, alg.hash(), input.as_bytes())?;
    Ok(format!("{input}.{}", b64url(&sig)))
}

/// A token as people paste it, made compact: white space and line breaks removed (a token
/// wrapped by a terminal or an e-mail), a leading `Bearer ` (copied from an Authorization
/// header) and surrounding quotes (copied from JSON or a log) taken off.
pub fn normalize_pasted(text: &str) -> String {
    let mut t = text.trim();
    loop {
        let before = t;
        for q in ['"', '\'', '`'] {
            if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
                t = t[1..t.len() - 1].trim();
            }
        }
        // `get`: the eighth byte may be inside a character (found by fuzzing).
        if t.len() > 7
            && t.get(..7)
                .is_some_and(|p| p.eq_ignore_ascii_case("bearer "))
        {
            t = t[7..].trim();
        }
        if t == before {
            break;
        }
    }
    t.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Split and decode a compact token (no signature check).
pub fn decode(token: &str) -> Result<Decoded> {
    let bad = |why: &str| Error::corrupt("token", why.to_string());
    let parts: Vec<&str> = token.trim().split('.').collect();
    if parts.len() != 3 {
        return Err(bad("a JWT has three dot-separated parts"));
    }
    let json = |p: &str, what: &str| -> Result<Map<String, Value>> {
        let bytes = URL_SAFE_NO_PAD
            .decode(p)
            .map_err(|_| bad(&format!("the {what} is not base64url")))?;
        match serde_json::from_slice(&bytes) {
            Ok(Value::Object(m)) => Ok(m),
            _ => Err(bad(&format!("the {what} is not a JSON object"))),
        }
    };
    Ok(Decoded {
        header: json(parts[0], "header")?,
        claims: json(parts[1], "payload")?,
        signing_input: format!("{}.{}", parts[0], parts[1]),
        signature: URL_SAFE_NO_PAD
            .decode(parts[2])
            .map_err(|_| bad("the signature is not base64url"))?,
    })
}

/// Whether the token's signature verifies with `public` under its own `alg` (RS256 / RS512 only).
pub fn verify(d: &Decoded, public: &PublicKey) -> Result<bool> {
    let alg = d.alg().ok_or_else(|| {
        Error::unsupported(
            "token",
            format!(
                "JWT algorithm {} (certkit verifies RS256 and RS512)",
                d.header.get("alg").unwrap_or(&Value::Null)
            ),
        )
    })?;
    provider().verify(public, alg.hash(), d.signing_input.as_bytes(), &d.signature)
}
