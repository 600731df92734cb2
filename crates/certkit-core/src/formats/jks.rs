//! The Java KeyStore (JKS) codec, written by hand.
//!
//! Why by hand: no maintained Rust crate reads *and* writes JKS the way Java does
//! (modified UTF-8 aliases, UTF-16BE password bytes, Sun's key protector, the
//! "Mighty Aphrodite" integrity digest), and Salesforce's Import from Keystore takes
//! nothing else. The format is small (see `docs/jks-format.md` and
//! OpenJDK's `JavaKeyStore.java` / `KeyProtector.java`), so this module stays small:
//! framing, the key protector, the digest. Every writer path is tested against keytool.
//!
//! Facts and sources: `docs/jks-format.md`.

use std::collections::HashSet;

use sha1::{Digest, Sha1};

use crate::der;
use crate::error::{Error, Result, WhichPassword};
use crate::model::{CertDer, Entry, EntryKind, Format, Integrity, KeyMaterial, Keystore};
use crate::secret::{Password, SecretBytes};

/// JKS magic number.
pub const MAGIC: [u8; 4] = [0xFE, 0xED, 0xFE, 0xED];
/// JCEKS magic number (same framing, other key protection; not supported).
pub const JCEKS_MAGIC: [u8; 4] = [0xCE, 0xCE, 0xCE, 0xCE];
/// OID of Sun's proprietary key protector.
pub const KEY_PROTECTOR_OID: &str = "1.3.6.1.4.1.42.2.17.1.1";
const KEY_PROTECTOR_OID_DER: [u8; 10] =
    [0x2b, 0x06, 0x01, 0x04, 0x01, 0x2a, 0x02, 0x11, 0x01, 0x01];
const WHITENER: &[u8] = b"Mighty Aphrodite";
const DIGEST_LEN: usize = 20;

/// A cursor over the file that turns every short read into a `Corrupt` error.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    path: &'a str,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len());
        match end {
            Some(end) => {
                let s = &self.data[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            None => Err(Error::corrupt(
                self.path,
                format!(
                    "truncated JKS: {what} is {n} bytes long from byte {}, but the file ends at byte {} ({} bytes short)",
                    self.pos,
                    self.data.len(),
                    self.pos.saturating_add(n).saturating_sub(self.data.len()),
                ),
            )),
        }
    }
    fn u16(&mut self, what: &str) -> Result<u16> {
        let b = self.take(2, what)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn u32(&mut self, what: &str) -> Result<u32> {
        let b = self.take(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn i64(&mut self, what: &str) -> Result<i64> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(i64::from_be_bytes(a))
    }
    fn utf(&mut self, what: &str) -> Result<String> {
        let len = self.u16(what)? as usize;
        let bytes = self.take(len, what)?;
        decode_modified_utf8(bytes)
            .ok_or_else(|| Error::corrupt(self.path, format!("{what} is not valid modified UTF-8")))
    }
    fn blob(&mut self, what: &str) -> Result<&'a [u8]> {
        let len = self.u32(what)? as usize;
        self.take(len, what)
    }
}

/// Decode Java's modified UTF-8 (`DataInput.readUTF`).
pub fn decode_modified_utf8(bytes: &[u8]) -> Option<String> {
    let mut units: Vec<u16> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let cont = |k: usize| bytes.get(i + k).copied().filter(|c| c & 0xC0 == 0x80);
        if b & 0x80 == 0 && b != 0 {
            units.push(b as u16);
            i += 1;
        } else if b & 0xE0 == 0xC0 {
            let c = cont(1)?;
            units.push(((b as u16 & 0x1F) << 6) | (c as u16 & 0x3F));
            i += 2;
        } else if b & 0xF0 == 0xE0 {
            let (c1, c2) = (cont(1)?, cont(2)?);
            units.push(((b as u16 & 0x0F) << 12) | ((c1 as u16 & 0x3F) << 6) | (c2 as u16 & 0x3F));
            i += 3;
        } else {
            return None;
        }
    }
    String::from_utf16(&units).ok()
}

/// Encode Java's modified UTF-8 (`DataOutput.writeUTF`), with its u16 length prefix.
pub fn encode_modified_utf8(s: &str, out: &mut Vec<u8>) -> Result<()> {
    let mut body = Vec::with_capacity(s.len());
    for unit in s.encode_utf16() {
        match unit {
            0x0001..=0x007F => body.push(unit as u8),
            0x0000 | 0x0080..=0x07FF => {
                body.push(0xC0 | (unit >> 6) as u8);
                body.push(0x80 | (unit & 0x3F) as u8);
            }
            _ => {
                body.push(0xE0 | (unit >> 12) as u8);
                body.push(0x80 | ((unit >> 6) & 0x3F) as u8);
                body.push(0x80 | (unit & 0x3F) as u8);
            }
        }
    }
    let len = u16::try_from(body.len()).map_err(|_| {
        Error::Invalid(format!(
            "alias too long for JKS ({} bytes, at most 65535)",
            body.len()
        ))
    })?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&body);
    Ok(())
}

/// SHA-1(password || "Mighty Aphrodite" || body): the JKS integrity digest.
fn integrity_digest(password: &Password, body: &[u8]) -> [u8; DIGEST_LEN] {
    let mut h = Sha1::new();
    h.update(password.utf16be());
    h.update(WHITENER);
    h.update(body);
    h.finalize().into()
}

/// Sun's key protector keystream: D1 = SHA1(pw || salt), Dn = SHA1(pw || Dn-1).
fn xor_keystream(pw: &[u8], salt: &[u8], data: &mut [u8]) {
    let mut digest: [u8; DIGEST_LEN] = {
        let mut h = Sha1::new();
        h.update(pw);
        h.update(salt);
        h.finalize().into()
    };
    for (i, chunk) in data.chunks_mut(DIGEST_LEN).enumerate() {
        if i > 0 {
            let mut h = Sha1::new();
            h.update(pw);
            h.update(digest);
            digest = h.finalize().into();
        }
        for (b, k) in chunk.iter_mut().zip(digest.iter()) {
            *b ^= k;
        }
    }
}

fn key_checksum(pw: &[u8], plaintext: &[u8]) -> [u8; DIGEST_LEN] {
    let mut h = Sha1::new();
    h.update(pw);
    h.update(plaintext);
    h.finalize().into()
}

/// Protect a PKCS#8 key with Sun's key protector and wrap it in an EncryptedPrivateKeyInfo.
pub fn protect_key(pkcs8: &[u8], password: &Password) -> Result<Vec<u8>> {
    let pw = password.utf16be();
    let mut salt = [0u8; DIGEST_LEN];
    crate::secret::random_bytes(&mut salt)?;
    let mut blob = Vec::with_capacity(pkcs8.len() + 2 * DIGEST_LEN);
    blob.extend_from_slice(&salt);
    let start = blob.len();
    blob.extend_from_slice(pkcs8);
    xor_keystream(&pw, &salt, &mut blob[start..]);
    blob.extend_from_slice(&key_checksum(&pw, pkcs8));

    let mut alg = Vec::new();
    der::write_tlv(&mut alg, 0x06, &KEY_PROTECTOR_OID_DER);
    alg.extend_from_slice(&[0x05, 0x00]);
    let mut body = Vec::new();
    der::write_tlv(&mut body, 0x30, &alg);
    der::write_tlv(&mut body, 0x04, &blob);
    let mut out = Vec::new();
    der::write_tlv(&mut out, 0x30, &body);
    Ok(out)
}

/// Split an EncryptedPrivateKeyInfo into (algorithm OID, encrypted bytes).
fn parse_epki(epki: &[u8]) -> Option<(String, Vec<u8>)> {
    let (outer, rest) = der::read_tlv(epki)?;
    if outer.tag != 0x30 || !rest.is_empty() {
        return None;
    }
    let (alg, rest) = der::read_tlv(outer.content)?;
    let (octets, rest) = der::read_tlv(rest)?;
    if alg.tag != 0x30 || octets.tag != 0x04 || !rest.is_empty() {
        return None;
    }
    let (oid, _params) = der::read_tlv(alg.content)?;
    if oid.tag != 0x06 {
        return None;
    }
    Some((der::oid_to_string(oid.content)?, octets.content.to_vec()))
}

/// Open a key protected by Sun's key protector. A checksum mismatch is a wrong key password.
pub fn recover_key(material: &KeyMaterial, password: &Password, path: &str) -> Result<SecretBytes> {
    let (algorithm_oid, blob) = match material {
        KeyMaterial::Pkcs8(k) => return Ok(k.clone()),
        KeyMaterial::JksProtected {
            algorithm_oid,
            blob,
        } => (algorithm_oid, blob),
    };
    if algorithm_oid != KEY_PROTECTOR_OID {
        return Err(Error::unsupported(
            path,
            format!(
                "private key protected with algorithm {algorithm_oid}{} (JKS keys use {KEY_PROTECTOR_OID})",
                if algorithm_oid == "1.3.6.1.4.1.42.2.19.1" { " (JCEKS PBEWithMD5AndTripleDES)" } else { "" }
            ),
        ));
    }
    if blob.len() < 2 * DIGEST_LEN {
        return Err(Error::corrupt(
            path,
            "protected key is shorter than its salt and checksum",
        ));
    }
    let pw = password.utf16be();
    let (salt, rest) = blob.split_at(DIGEST_LEN);
    let (enc, check) = rest.split_at(rest.len() - DIGEST_LEN);
    let mut plain = SecretBytes::new(enc.to_vec());
    let mut buf = plain.expose().to_vec();
    xor_keystream(&pw, salt, &mut buf);
    plain = SecretBytes::new(buf);
    if !crate::secret::ct_eq(&key_checksum(&pw, plain.expose()), check) {
        return Err(Error::WrongPassword {
            which: WhichPassword::Key,
            path: path.to_string(),
            detail: "the key's checksum does not match (Java: \"Cannot recover key\")".into(),
        });
    }
    Ok(plain)
}

/// Read a JKS file. With a password, the integrity digest is checked (wrong password → error);
/// without one, entries are listed and [`Integrity::NotChecked`] is recorded.
/// Keys stay protected: open them with [`recover_key`] / [`crate::formats::open_keys`].
pub fn decode(data: &[u8], path: &str, password: Option<&Password>) -> Result<Keystore> {
    let mut r = Reader { data, pos: 0, path };
    let version = read_header(&mut r)?;
    let count = r.u32("the entry count")?;
    let mut ks = Keystore::new(path, Format::Jks { version });
    // Aliases met so far: a set, so a file of many entries is read in linear time.
    let mut aliases: HashSet<String> = HashSet::new();
    for n in 0..count {
        let what = format!("entry {}", n + 1);
        let tag = r.u32(&what)?;
        let alias = r.utf(&format!("{what}'s alias"))?;
        let created = r.i64(&format!("{what}'s date"))?;
        let kind = read_entry_kind(&mut r, tag, &alias, version, &what)?;
        warn_about_alias(&mut ks, &mut aliases, &alias);
        ks.entries.push(Entry {
            alias,
            created_ms: Some(created),
            kind,
        });
    }
    ks.integrity = check_integrity(&mut r, password)?;
    Ok(ks)
}

/// The magic number and the version: JCEKS and unknown versions are refused.
fn read_header(r: &mut Reader) -> Result<u32> {
    let path = r.path;
    let magic = r.take(4, "the magic number")?;
    if magic == JCEKS_MAGIC {
        return Err(Error::unsupported(path, "JCEKS keystore (magic CECECECE); convert it with keytool -importkeystore -deststoretype JKS"));
    }
    if magic != MAGIC {
        return Err(Error::corrupt(
            path,
            "not a JKS file (magic is not FEEDFEED)",
        ));
    }
    let version = r.u32("the version")?;
    if version != 1 && version != 2 {
        return Err(Error::corrupt(
            path,
            format!("unknown JKS version {version} (Java writes 1 or 2)"),
        ));
    }
    Ok(version)
}

/// One certificate of entry `what`: its type (version 2 only, X.509 only), then its bytes.
fn read_cert(r: &mut Reader, version: u32, what: &str) -> Result<CertDer> {
    if version == 2 {
        let ty = r.utf(&format!("{what}'s certificate type"))?;
        if ty != "X.509" {
            return Err(Error::unsupported(
                r.path,
                format!("certificate type \"{ty}\" in {what} (only X.509)"),
            ));
        }
    }
    Ok(CertDer(r.blob(&format!("{what}'s certificate"))?.to_vec()))
}

/// The body of entry `what` after its tag, alias and date: a protected key and its chain, or a
/// trusted certificate. Secret-key entries and unknown tags are refused.
fn read_entry_kind(
    r: &mut Reader,
    tag: u32,
    alias: &str,
    version: u32,
    what: &str,
) -> Result<EntryKind> {
    let path = r.path;
    Ok(match tag {
        1 => {
            let epki = r.blob(&format!("{what}'s key"))?;
            let (algorithm_oid, blob) = parse_epki(epki).ok_or_else(|| {
                Error::corrupt(
                    path,
                    format!("{what}'s protected key is not an EncryptedPrivateKeyInfo"),
                )
            })?;
            let chain_len = r.u32(&format!("{what}'s chain length"))?;
            let mut chain = Vec::new();
            for _ in 0..chain_len {
                chain.push(read_cert(r, version, what)?);
            }
            EntryKind::PrivateKey {
                key: KeyMaterial::JksProtected {
                    algorithm_oid,
                    blob,
                },
                chain,
            }
        }
        2 => EntryKind::TrustedCert(read_cert(r, version, what)?),
        3 => {
            return Err(Error::unsupported(
                path,
                format!("secret-key entry \"{alias}\" (a JCEKS feature)"),
            ))
        }
        t => return Err(Error::corrupt(path, format!("{what} has unknown tag {t}"))),
    })
}

/// Warn about an alias met before (Java keeps the last) or with upper-case letters (unreachable).
fn warn_about_alias(ks: &mut Keystore, aliases: &mut HashSet<String>, alias: &str) {
    if !aliases.insert(alias.to_string()) {
        ks.warnings.push(format!(
            "duplicate alias \"{alias}\": Java keeps only the last entry of that name"
        ));
    }
    if alias.chars().any(char::is_uppercase) {
        ks.warnings.push(format!(
            "alias \"{alias}\" has upper-case letters: Java looks aliases up in lower case, so this entry is unreachable"
        ));
    }
}

/// The integrity digest after the last entry: nothing may follow it, and with a password it
/// must match (else the store password is wrong or the file was altered).
fn check_integrity(r: &mut Reader, password: Option<&Password>) -> Result<Integrity> {
    let (data, path) = (r.data, r.path);
    let body_end = r.pos;
    let trailer = r.take(DIGEST_LEN, "the integrity digest")?;
    if r.pos != data.len() {
        return Err(Error::corrupt(
            path,
            format!(
                "{} unexpected bytes after the integrity digest",
                data.len() - r.pos
            ),
        ));
    }
    Ok(match password {
        Some(pw) => {
            if !crate::secret::ct_eq(&integrity_digest(pw, &data[..body_end]), trailer) {
                return Err(Error::WrongPassword {
                    which: WhichPassword::Store,
                    path: path.to_string(),
                    detail: "the integrity digest does not match (wrong password, or the file was altered)".into(),
                });
            }
            Integrity::Verified
        }
        None => Integrity::NotChecked,
    })
}

/// Encode entries as a JKS (version 2) protected by one password, for store and keys alike.
/// Aliases are written in lower case (Java looks them up so); two entries whose aliases
/// agree in lower case are refused. Keys must be open (PKCS#8).
pub fn encode(entries: &[Entry], password: &Password, now_ms: i64) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(4096);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&2u32.to_be_bytes());
    out.extend_from_slice(&(entries.len() as u32).to_be_bytes());
    let mut seen: HashSet<String> = HashSet::new();
    for e in entries {
        let alias = e.alias.to_lowercase();
        if seen.contains(alias.as_str()) {
            return Err(Error::Invalid(format!(
                "two entries share the alias \"{alias}\""
            )));
        }
        let write_cert = |out: &mut Vec<u8>, c: &CertDer| -> Result<()> {
            encode_modified_utf8("X.509", out)?;
            out.extend_from_slice(&(c.0.len() as u32).to_be_bytes());
            out.extend_from_slice(&c.0);
            Ok(())
        };
        match &e.kind {
            EntryKind::PrivateKey { key, chain } => {
                let KeyMaterial::Pkcs8(pkcs8) = key else {
                    return Err(Error::Invalid(format!(
                        "the key of \"{alias}\" is still locked; it cannot be re-protected"
                    )));
                };
                out.extend_from_slice(&1u32.to_be_bytes());
                encode_modified_utf8(&alias, &mut out)?;
                out.extend_from_slice(&e.created_ms.unwrap_or(now_ms).to_be_bytes());
                let epki = protect_key(pkcs8.expose(), password)?;
                out.extend_from_slice(&(epki.len() as u32).to_be_bytes());
                out.extend_from_slice(&epki);
                out.extend_from_slice(&(chain.len() as u32).to_be_bytes());
                for c in chain {
                    write_cert(&mut out, c)?;
                }
            }
            EntryKind::TrustedCert(c) => {
                out.extend_from_slice(&2u32.to_be_bytes());
                encode_modified_utf8(&alias, &mut out)?;
                out.extend_from_slice(&e.created_ms.unwrap_or(now_ms).to_be_bytes());
                write_cert(&mut out, c)?;
            }
        }
        seen.insert(alias);
    }
    let digest = integrity_digest(password, &out);
    out.extend_from_slice(&digest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modified_utf8_matches_java_for_nul_and_supplementary_characters() {
        let mut out = Vec::new();
        encode_modified_utf8("a\u{0}é€😀", &mut out).unwrap();
        // NUL as C0 80; U+1F600 as two 3-byte surrogates (ED A0 BD, ED B8 80).
        assert_eq!(
            out,
            [
                0, 14, b'a', 0xC0, 0x80, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xED, 0xA0, 0xBD, 0xED,
                0xB8, 0x80
            ]
        );
        assert_eq!(
            decode_modified_utf8(&out[2..]).as_deref(),
            Some("a\u{0}é€😀")
        );
    }

    #[test]
    fn key_protector_round_trips_and_rejects_other_password() {
        let key = SecretBytes::new((0u8..=200).collect());
        let pw = Password::new("pässwörd€".into());
        let epki = protect_key(key.expose(), &pw).unwrap();
        assert_eq!(
            &epki[4..20],
            &[
                0x30, 0x0e, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x2a, 0x02, 0x11, 0x01, 0x01,
                0x05, 0x00
            ]
        );
        let (oid, blob) = parse_epki(&epki).unwrap();
        let m = KeyMaterial::JksProtected {
            algorithm_oid: oid,
            blob,
        };
        assert_eq!(recover_key(&m, &pw, "t").unwrap().expose(), key.expose());
        let err = recover_key(&m, &Password::new("other1".into()), "t").unwrap_err();
        assert!(matches!(
            err,
            Error::WrongPassword {
                which: WhichPassword::Key,
                ..
            }
        ));
    }

    fn trusted(alias: &str) -> Entry {
        Entry {
            alias: alias.into(),
            created_ms: None,
            kind: EntryKind::TrustedCert(CertDer(vec![0x30, 0x00])),
        }
    }

    #[test]
    fn encode_refuses_aliases_that_agree_in_lower_case() {
        let pw = Password::new("changeit".into());
        let err = encode(&[trusted("Key"), trusted("b"), trusted("key")], &pw, 0).unwrap_err();
        assert!(err.to_string().contains("share the alias \"key\""), "{err}");
        assert!(encode(&[trusted("key"), trusted("b")], &pw, 0).is_ok());
    }

    #[test]
    fn decode_warns_once_for_each_repeated_alias_and_compares_aliases_exactly() {
        let pw = Password::new("changeit".into());
        let entries = [trusted("a"), trusted("b"), trusted("c"), trusted("d")];
        let mut data = encode(&entries, &pw, 0).unwrap();
        // Rename in place (aliases are a 2-byte length + bytes): "b" and "c" to "a", "d" to
        // "A". The digest no longer matches, so read without a password.
        for (from, to) in [(b'b', b'a'), (b'c', b'a'), (b'd', b'A')] {
            let at = data.windows(3).position(|w| w == [0, 1, from]).unwrap();
            data[at + 2] = to;
        }
        let ks = decode(&data, "t", None).unwrap();
        assert_eq!(ks.entries.len(), 4);
        let dups: Vec<_> = ks
            .warnings
            .iter()
            .filter(|w| w.contains("duplicate alias"))
            .collect();
        let expected = "duplicate alias \"a\": Java keeps only the last entry of that name";
        assert_eq!(dups, [expected, expected]);
        // "A" is not a duplicate of "a" as stored; it gets the upper-case warning instead.
        assert!(ks
            .warnings
            .iter()
            .any(|w| w.starts_with("alias \"A\" has upper-case")));
    }
}
