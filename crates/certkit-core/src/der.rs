//! The few DER primitives certkit reads and writes by hand (the JKS codec, the RSA fast path):
//! one TLV, a length, an OID. A bottom layer: it imports nothing of certkit's; everything else
//! is parsed by `x509-parser` and OpenSSL.

/// One DER element: its tag byte and its content bytes.
pub struct Tlv<'a> {
    /// The tag byte.
    pub tag: u8,
    /// The content bytes.
    pub content: &'a [u8],
}

/// Read one TLV from the start of `data`; returns it and the rest.
/// Only single-byte tags and definite lengths up to 4 bytes (DER allows nothing else here).
pub fn read_tlv(data: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let (&tag, rest) = data.split_first()?;
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        first as usize
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let mut len = 0usize;
        for &b in &rest[..n] {
            len = (len << 8) | b as usize;
        }
        rest = &rest[n..];
        len
    };
    if rest.len() < len {
        return None;
    }
    Some((
        Tlv {
            tag,
            content: &rest[..len],
        },
        &rest[len..],
    ))
}

/// Append a DER length.
pub fn write_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = (len as u32).to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (4 - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// Append a TLV.
pub fn write_tlv(out: &mut Vec<u8>, tag: u8, content: &[u8]) {
    out.push(tag);
    write_len(out, content.len());
    out.extend_from_slice(content);
}

/// Decode an OBJECT IDENTIFIER's content to dotted text.
pub fn oid_to_string(content: &[u8]) -> Option<String> {
    let (&first, rest) = content.split_first()?;
    let mut parts = vec![(first / 40).min(2) as u64];
    parts.push(first as u64 - parts[0] * 40);
    let mut acc: u64 = 0;
    for &b in rest {
        acc = acc.checked_mul(128)? | (b & 0x7f) as u64;
        if b & 0x80 == 0 {
            parts.push(acc);
            acc = 0;
        }
    }
    if rest.last().is_some_and(|b| b & 0x80 != 0) {
        return None;
    }
    Some(
        parts
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// An unsigned big-endian INTEGER's value; `u64::MAX` when it does not fit.
fn uint_be(content: &[u8]) -> u64 {
    let skip = content.iter().take_while(|b| **b == 0).count();
    let digits = &content[skip..];
    if digits.len() > 8 {
        return u64::MAX;
    }
    digits.iter().fold(0, |n, b| (n << 8) | u64::from(*b))
}

/// Whether the KDF walkers look inside an element: a constructed one, or an OCTET STRING that
/// holds exactly one DER SEQUENCE (PKCS#12 wraps its bags so).
fn looked_into(t: &Tlv<'_>) -> bool {
    t.tag & 0x20 != 0
        || (t.tag == 0x04
            && t.content.first() == Some(&0x30)
            && read_tlv(t.content).is_some_and(|(_, after)| after.is_empty()))
}

/// The largest password-based-KDF iteration count written in `data`'s DER, looking into
/// constructed elements and into OCTET STRINGs that hold one DER SEQUENCE, up to 16 levels deep. An
/// iteration count is an INTEGER right after an OCTET STRING (the salt) in a SEQUENCE: so
/// are PKCS#12's `pkcs-12PbeParams` and `MacData`, and PKCS#5's `PBKDF2-params`; no other
/// structure certkit reads has that shape. Content that is not DER (encrypted bags, BER with
/// indefinite lengths) is not looked into. A count too large for a `u64` is `u64::MAX`.
pub fn largest_iteration_count(data: &[u8]) -> u64 {
    largest_after(data, &|prev, t| {
        if prev.tag == 0x04 && t.tag == 0x02 {
            uint_be(t.content)
        } else {
            0
        }
    })
}

/// The largest `score(previous sibling, element)` over every element the KDF walkers see
/// ([`looked_into`], up to 16 levels deep).
fn largest_after(data: &[u8], score: &dyn Fn(&Tlv<'_>, &Tlv<'_>) -> u64) -> u64 {
    fn walk(mut data: &[u8], depth: u32, score: &dyn Fn(&Tlv<'_>, &Tlv<'_>) -> u64) -> u64 {
        let mut max = 0;
        let mut prev: Option<Tlv<'_>> = None;
        while let Some((t, rest)) = read_tlv(data) {
            if let Some(p) = &prev {
                max = max.max(score(p, &t));
            }
            if depth < 16 && looked_into(&t) {
                max = max.max(walk(t.content, depth + 1, score));
            }
            prev = Some(t);
            data = rest;
        }
        max
    }
    walk(data, 0, score)
}

/// The largest scrypt work (N × r × p, saturating) asked for in `data`'s DER: the parameters
/// after each scrypt OID (1.3.6.1.4.1.11591.4.11, RFC 7914: SEQUENCE { salt, N, r, p, ... }),
/// looked for as [`largest_iteration_count`] looks. 0 when there is none.
pub fn largest_scrypt_work(data: &[u8]) -> u64 {
    const SCRYPT: [u8; 9] = [0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x04, 0x0b];
    fn params(content: &[u8]) -> u64 {
        let mut ints = Vec::new();
        let mut data = content;
        if let Some((salt, rest)) = read_tlv(data) {
            if salt.tag != 0x04 {
                return 0;
            }
            data = rest;
        }
        while let Some((t, rest)) = read_tlv(data) {
            if t.tag == 0x02 && ints.len() < 3 {
                ints.push(uint_be(t.content));
            }
            data = rest;
        }
        ints.iter().fold(1u64, |w, x| w.saturating_mul(*x))
    }
    largest_after(data, &|prev, t| {
        if prev.tag == 0x06 && prev.content == SCRYPT && t.tag == 0x30 {
            params(t.content)
        } else {
            0
        }
    })
}

/// Whether `data` is one DER element whose constructed elements all parse to their ends, at
/// any depth (up to 32 levels): no BER indefinite lengths, no trailing bytes. The KDF limits
/// read parameters from DER; BER would hide them from the walk while OpenSSL still reads it.
pub fn is_der_tree(data: &[u8]) -> bool {
    fn all(mut data: &[u8], depth: u32) -> bool {
        while !data.is_empty() {
            let Some((t, rest)) = read_tlv(data) else {
                return false;
            };
            if t.tag & 0x20 != 0 && (depth >= 32 || !all(t.content, depth + 1)) {
                return false;
            }
            data = rest;
        }
        true
    }
    matches!(read_tlv(data), Some((_, []))) && all(data, 0)
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // the tests read testdata/
mod tests {
    use super::*;

    #[test]
    fn long_lengths_round_trip() {
        for len in [0usize, 1, 127, 128, 255, 256, 65535, 70000] {
            let content = vec![7u8; len];
            let mut out = Vec::new();
            write_tlv(&mut out, 0x04, &content);
            let (tlv, rest) = read_tlv(&out).expect("parses");
            assert_eq!(tlv.tag, 0x04);
            assert_eq!(tlv.content.len(), len);
            assert!(rest.is_empty());
        }
    }

    #[test]
    fn truncated_tlv_is_refused() {
        assert!(read_tlv(&[0x30, 0x05, 1, 2]).is_none());
        assert!(read_tlv(&[0x30, 0x82, 0x01]).is_none());
        assert!(read_tlv(&[0x30]).is_none());
    }

    #[test]
    fn sun_key_protector_oid_decodes() {
        let content = [0x2b, 0x06, 0x01, 0x04, 0x01, 0x2a, 0x02, 0x11, 0x01, 0x01];
        assert_eq!(
            oid_to_string(&content).as_deref(),
            Some("1.3.6.1.4.1.42.2.17.1.1")
        );
    }

    #[test]
    fn iteration_counts_are_found_in_pkcs12_files() {
        let read = |f: &str| {
            std::fs::read(format!("{}/../../testdata/{f}", env!("CARGO_MANIFEST_DIR"))).unwrap()
        };
        // openssl -iter 2048 (MAC and PBE); keytool 17's default is 10000.
        assert_eq!(largest_iteration_count(&read("google-sample.p12")), 2048);
        assert_eq!(largest_iteration_count(&read("openssl-modern.p12")), 2048);
        assert_eq!(largest_iteration_count(&read("keytool-default.p12")), 10000);
        // Certificates and keys have no salt-then-INTEGER pair.
        assert_eq!(largest_iteration_count(&read("google-sample.crt.der")), 0);
        assert_eq!(largest_iteration_count(&read("google-sample.key.der")), 0);
    }

    #[test]
    fn an_iteration_count_of_any_size_is_read() {
        // MacData-shaped: SEQUENCE { SEQUENCE {}, OCTET STRING salt, INTEGER count }.
        let mac = |count: &[u8]| {
            let mut inner = Vec::new();
            write_tlv(&mut inner, 0x30, &[]);
            write_tlv(&mut inner, 0x04, &[1; 8]);
            write_tlv(&mut inner, 0x02, count);
            let mut out = Vec::new();
            write_tlv(&mut out, 0x30, &inner);
            out
        };
        assert_eq!(
            largest_iteration_count(&mac(&[0x7f, 0xff, 0xff, 0xff])),
            0x7fff_ffff
        );
        assert_eq!(largest_iteration_count(&mac(&[1; 9])), u64::MAX);
        assert_eq!(largest_iteration_count(&mac(&[0, 0, 0, 5])), 5);
        // Wrapped in an OCTET STRING, as PKCS#12's authSafe data is.
        let mut wrapped = Vec::new();
        write_tlv(&mut wrapped, 0x04, &mac(&[0x10, 0, 0, 0]));
        assert_eq!(largest_iteration_count(&wrapped), 0x1000_0000);
    }

    #[test]
    fn a_der_tree_is_told_from_ber_and_trailing_bytes() {
        let read = |f: &str| {
            std::fs::read(format!("{}/../../testdata/{f}", env!("CARGO_MANIFEST_DIR"))).unwrap()
        };
        let key = read("google-sample.key.der");
        assert!(is_der_tree(&key));
        assert!(is_der_tree(&read("openssl-modern.p12")));
        let mut trailing = key.clone();
        trailing.push(0);
        assert!(!is_der_tree(&trailing));
        // The same content as an indefinite-length SEQUENCE.
        let (outer, _) = read_tlv(&key).unwrap();
        let mut ber = vec![0x30, 0x80];
        ber.extend_from_slice(outer.content);
        ber.extend_from_slice(&[0, 0]);
        assert!(!is_der_tree(&ber));
    }

    #[test]
    fn scrypt_work_multiplies_n_r_p_and_saturates() {
        let scrypt_oid = [0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x04, 0x0b];
        let params = |n: &[u8], r: &[u8], p: &[u8]| {
            let mut inner = Vec::new();
            write_tlv(&mut inner, 0x04, &[1; 8]);
            write_tlv(&mut inner, 0x02, n);
            write_tlv(&mut inner, 0x02, r);
            write_tlv(&mut inner, 0x02, p);
            let mut alg = Vec::new();
            write_tlv(&mut alg, 0x06, &scrypt_oid);
            write_tlv(&mut alg, 0x30, &inner);
            let mut out = Vec::new();
            write_tlv(&mut out, 0x30, &alg);
            out
        };
        assert_eq!(
            largest_scrypt_work(&params(&[0x40, 0], &[8], &[1])),
            131_072
        );
        assert_eq!(
            largest_scrypt_work(&params(&[0x40, 0], &[8], &[0x7f])),
            16_646_144
        );
        assert_eq!(largest_scrypt_work(&params(&[1; 9], &[8], &[1])), u64::MAX);
    }
}
