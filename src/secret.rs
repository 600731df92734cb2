//! Passwords and private-key bytes, kept in memory that is wiped on drop.
//!
//! Neither type implements `Display`, and their `Debug` prints a placeholder,
//! so a secret cannot reach a report or an error message by accident.

use std::fmt;
use zeroize::{Zeroize, Zeroizing};

/// A password, wiped from memory when dropped.
#[derive(Clone, Default, PartialEq, Eq)]
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
        let (a, b) = (self.0.as_bytes(), other.0.as_bytes());
        a.len() == b.len() && openssl::memcmp::eq(a, b)
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
#[derive(Clone, PartialEq, Eq)]
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
