//! Passwords and private-key bytes, kept in memory that is wiped on drop.
//!
//! Neither type implements `Display`, and their `Debug` prints a placeholder,
//! so a secret cannot reach a report or an error message by accident.

use std::fmt;
use zeroize::{Zeroize, Zeroizing};

/// A password, wiped from memory when dropped.
/// No `PartialEq`: compare with [`Password::ct_eq`], which takes the same time wherever two
/// passwords differ.
#[derive(Clone, Default)]
pub struct Password(Zeroizing<String>);

impl Password {
    /// Wrap a password (the `String` is moved, not copied).
    pub fn new(s: String) -> Self {
        Password(Zeroizing::new(s))
    }

    /// The password text. Never print it; only the generated-password report does, on purpose.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Java's password bytes: each UTF-16 code unit as two big-endian bytes, no terminator.
    /// Used by the JKS key protector and integrity digest.
    pub fn utf16be(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(self.0.len() * 2));
        for unit in self.0.encode_utf16() {
            out.extend_from_slice(&unit.to_be_bytes());
        }
        out
    }

    /// Whether two passwords are equal, in time that does not depend on where they differ.
    pub fn ct_eq(&self, other: &Password) -> bool {
        ct_eq(self.0.as_bytes(), other.0.as_bytes())
    }

    /// Whether the password begins or ends with white space (a pasted or echoed password
    /// often does by mistake).
    pub fn padded(&self) -> bool {
        self.0.trim() != self.0.as_str()
    }

    /// Length in characters, as a password policy counts it.
    pub fn char_len(&self) -> usize {
        self.0.chars().count()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// Secret bytes (a PKCS#8 private key, say), wiped from memory when dropped.
/// No `PartialEq`: compare with [`SecretBytes::ct_eq`].
#[derive(Clone)]
pub struct SecretBytes(Zeroizing<Vec<u8>>);

impl SecretBytes {
    /// Take ownership of the bytes.
    pub fn new(v: Vec<u8>) -> Self {
        SecretBytes(Zeroizing::new(v))
    }

    /// The bytes.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Whether two secrets are equal, in time that does not depend on where they differ.
    pub fn ct_eq(&self, other: &SecretBytes) -> bool {
        ct_eq(&self.0, &other.0)
    }
}

impl From<Zeroizing<Vec<u8>>> for SecretBytes {
    fn from(v: Zeroizing<Vec<u8>>) -> Self {
        SecretBytes(v)
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes(<{} bytes redacted>)", self.0.len())
    }
}

/// Whether `a` and `b` are equal, in time that depends on their lengths only (`subtle`'s
/// constant-time comparison). For passwords, MACs and digests.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

/// Parsed PEM blocks (whose contents may be a private key), wiped when dropped: on every
/// path, an early return or an error included.
pub struct PemBlocks(Vec<::pem::Pem>);

impl PemBlocks {
    /// Take ownership of the blocks.
    pub fn new(blocks: Vec<::pem::Pem>) -> Self {
        PemBlocks(blocks)
    }

    /// One block.
    pub fn one(block: ::pem::Pem) -> Self {
        PemBlocks(vec![block])
    }
}

impl std::ops::Deref for PemBlocks {
    type Target = [::pem::Pem];
    fn deref(&self) -> &[::pem::Pem] {
        &self.0
    }
}

impl Drop for PemBlocks {
    fn drop(&mut self) {
        for b in self.0.drain(..) {
            wipe(b.into_contents());
        }
    }
}

/// A parsed JSON document that may hold a secret (a Google key's `private_key`, a token
/// endpoint's answer that `exchange` reads for its error): every string in it, keys
/// included, is wiped when it is dropped.
pub struct WipedJson(pub serde_json::Value);

impl WipedJson {
    /// Parse `data`, wiping the document when the guard is dropped.
    pub fn parse(data: &[u8]) -> serde_json::Result<Self> {
        serde_json::from_slice(data).map(WipedJson)
    }
}

impl std::ops::Deref for WipedJson {
    type Target = serde_json::Value;
    fn deref(&self) -> &serde_json::Value {
        &self.0
    }
}

impl Drop for WipedJson {
    fn drop(&mut self) {
        self.wipe();
    }
}

impl WipedJson {
    /// Zero every string (keys too) and leave the document empty of them.
    fn wipe(&mut self) {
        fn wipe_value(v: &mut serde_json::Value) {
            use serde_json::Value;
            match v {
                Value::String(s) => s.zeroize(),
                Value::Array(a) => a.iter_mut().for_each(wipe_value),
                Value::Object(o) => {
                    for (mut k, mut x) in std::mem::take(o) {
                        wipe_value(&mut x);
                        k.zeroize();
                    }
                }
                _ => {}
            }
        }
        wipe_value(&mut self.0);
    }
}

/// Wipe a plain buffer that held a secret (for bytes returned by third-party APIs).
pub fn wipe(mut v: Vec<u8>) {
    v.zeroize();
}

/// Fill `buf` from the operating system's CSPRNG (`getrandom`). OpenSSL's DRBG would do as
/// well, but seeding it costs more than the rest of a p12-to-jks conversion.
pub fn random_bytes(buf: &mut [u8]) -> crate::error::Result<()> {
    getrandom::fill(buf)
        .map_err(|e| crate::error::Error::Internal(format!("no random bytes from the OS: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wiped_json_document_keeps_no_string() {
        let mut json =
            WipedJson::parse(br#"{"private_key": "secret", "n": ["x", {"k": "v"}], "b": 1}"#)
                .unwrap();
        assert_eq!(json["private_key"], "secret");
        json.wipe();
        let text = json.0.to_string();
        assert!(
            !text.contains("secret") && !text.contains('x') && !text.contains('v'),
            "{text}"
        );
    }

    #[test]
    fn constant_time_comparison_compares() {
        assert!(ct_eq(b"abc", b"abc") && !ct_eq(b"abc", b"abd") && !ct_eq(b"abc", b"ab"));
        let (a, b) = (
            Password::new("pässwörd".into()),
            Password::new("pässwörd".into()),
        );
        assert!(a.ct_eq(&b) && !a.ct_eq(&Password::new("password".into())));
    }
}
