//! The digests and hex forms certkit reports (fingerprints, key ids, thumbprints).
//! A bottom layer: it imports nothing of certkit's. The digests are the pure-Rust
//! RustCrypto crates (SHA-NI where the CPU has it): no OpenSSL provider fetch per call.

use sha1::Digest as _;

/// SHA-1 of bytes.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    sha1::Sha1::digest(data).into()
}

/// SHA-256 of bytes.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    sha2::Sha256::digest(data).into()
}

/// Upper-case colon-separated hex, as keytool prints fingerprints.
pub fn colon_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xF)] as char);
    }
    out
}

/// Lower-case hex without separators.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xF)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_match_the_fips_180_vectors_and_hex_forms_match_keytool() {
        let s1 = sha1(b"abc");
        assert_eq!(hex(&s1), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            colon_hex(&s1),
            "A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D"
        );
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(colon_hex(&[]), "");
        assert_eq!(colon_hex(&[0x0f]), "0F");
    }
}
