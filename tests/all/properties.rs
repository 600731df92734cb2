//! Property tests (proptest, bounded so the suite stays fast): JKS, PKCS#12 and PEM round
//! trips for arbitrary aliases, passwords (any Unicode), entry kinds and chains; a few
//! generated JKS files are opened by keytool too. Keys and certificates come from the
//! fixtures (generating RSA keys per case would cost seconds); everything else is arbitrary.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use certkit_core::formats::{self, jks, pem, pkcs12};
use certkit_core::model::{CertDer, Entry, EntryKind, KeyMaterial};
use certkit_core::secret::{Password, SecretBytes};

use crate::common::{read_testdata, Sandbox};

/// Fixture keys (PKCS#8 DER) with their certificates.
fn pairs() -> Vec<(Vec<u8>, Vec<u8>)> {
    [
        ("google-sample.key.der", "google-sample.crt.der"),
        ("keytool-store.mykey.key.der", "keytool-store.mykey.crt.der"),
        ("keytool-multi.alpha.key.der", "keytool-multi.alpha.crt.der"),
        ("keytool-multi.beta.key.der", "keytool-multi.beta.crt.der"),
    ]
    .iter()
    .map(|(k, c)| (read_testdata(k), read_testdata(c)))
    .collect()
}

/// One entry, before aliases are given: a key with a chain (the key's certificate, then up
/// to two other certificates), or a trusted certificate.
#[derive(Clone, Debug)]
enum Shape {
    Key { pair: usize, extra: Vec<usize> },
    Trusted { cert: usize },
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        (0..4usize, prop::collection::vec(0..4usize, 0..3))
            .prop_map(|(pair, extra)| Shape::Key { pair, extra }),
        (0..4usize).prop_map(|cert| Shape::Trusted { cert }),
    ]
}

/// Aliases: any Unicode (NUL and astral characters included, which modified UTF-8 writes in
/// its own way), unique once lower-cased as Java does, 1 to 40 characters.
fn aliases(n: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("\\PC{1,40}|[a-z0-9_-]{1,12}|.{1,8}", n).prop_filter(
        "aliases unique in lower case",
        |v| {
            let mut seen = std::collections::HashSet::new();
            v.iter().all(|a| seen.insert(a.to_lowercase()))
        },
    )
}

fn keystore() -> impl Strategy<Value = (Vec<Shape>, Vec<String>, String, i64)> {
    prop::collection::vec(shape(), 1..5).prop_flat_map(|shapes| {
        let n = shapes.len();
        (
            Just(shapes),
            aliases(n),
            "\\PC{0,24}|[\\u{10000}-\\u{10FFFF}]{1,4}",
            0i64..4_102_444_800_000,
        )
    })
}

fn entries(shapes: &[Shape], aliases: &[String], created: i64) -> Vec<Entry> {
    let pairs = pairs();
    shapes
        .iter()
        .zip(aliases)
        .map(|(s, alias)| Entry {
            alias: alias.clone(),
            created_ms: Some(created),
            kind: match s {
                Shape::Key { pair, extra } => EntryKind::PrivateKey {
                    key: KeyMaterial::Pkcs8(SecretBytes::new(pairs[*pair].0.clone())),
                    chain: std::iter::once(*pair)
                        .chain(extra.iter().copied())
                        .map(|i| CertDer(pairs[i].1.clone()))
                        .collect(),
                },
                Shape::Trusted { cert } => EntryKind::TrustedCert(CertDer(pairs[*cert].1.clone())),
            },
        })
        .collect()
}

/// What an entry holds, comparable: alias, key bytes, chain.
type Content = (String, Option<Vec<u8>>, Vec<Vec<u8>>);

fn content(e: &Entry) -> Content {
    (
        e.alias.clone(),
        e.pkcs8().map(|k| k.expose().to_vec()),
        e.chain().iter().map(|c| c.0.clone()).collect(),
    )
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

#[test]
fn jks_round_trips_any_aliases_passwords_entries_and_chains() {
    let mut runner = TestRunner::new(config(64));
    runner
        .run(&keystore(), |(shapes, aliases, pw, created)| {
            let pw = Password::new(pw);
            let written = entries(&shapes, &aliases, created);
            let data = jks::encode(&written, &pw, created).expect("encodes");
            let mut ks = jks::decode(&data, "t.jks", Some(&pw)).expect("decodes");
            formats::open_keys(&mut ks, &pw).expect("keys open with the store password");
            prop_assert_eq!(ks.entries.len(), written.len());
            for (w, r) in written.iter().zip(&ks.entries) {
                let (alias, key, chain) = content(w);
                prop_assert_eq!(content(r), (alias.to_lowercase(), key, chain));
                prop_assert_eq!(r.created_ms, Some(created));
            }
            // Written again (a new random salt per key) and read again: the same entries.
            let again = jks::encode(&ks.entries, &pw, created).expect("re-encodes");
            let mut ks2 = jks::decode(&again, "t.jks", Some(&pw)).expect("decodes again");
            formats::open_keys(&mut ks2, &pw).expect("keys open again");
            let first: Vec<_> = ks.entries.iter().map(content).collect();
            let second: Vec<_> = ks2.entries.iter().map(content).collect();
            prop_assert_eq!(first, second);
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_jks_with_a_changed_byte_or_another_password_is_refused() {
    let mut runner = TestRunner::new(config(64));
    runner
        .run(
            &(
                keystore(),
                any::<prop::sample::Index>(),
                1u8..=255,
                "\\PC{0,8}",
            ),
            |((shapes, aliases, pw, created), at, xor, other)| {
                let pw = Password::new(pw);
                let data = jks::encode(&entries(&shapes, &aliases, created), &pw, created)
                    .expect("encodes");
                let mut bad = data.clone();
                let i = at.index(bad.len());
                bad[i] ^= xor;
                prop_assert!(jks::decode(&bad, "t.jks", Some(&pw)).is_err());
                let other = Password::new(other);
                if !other.ct_eq(&pw) {
                    prop_assert!(jks::decode(&data, "t.jks", Some(&other)).is_err());
                }
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn pkcs12_round_trips_any_aliases_passwords_and_entries() {
    // PKCS#12 runs a KDF per bag and for the MAC: fewer cases.
    let mut runner = TestRunner::new(config(24));
    runner
        .run(
            &(keystore(), any::<bool>()),
            |((shapes, aliases, pw, created), legacy)| {
                let pw = Password::new(pw);
                let written = entries(&shapes, &aliases, created);
                let protection = if legacy {
                    pkcs12::P12Protection::Legacy
                } else {
                    pkcs12::P12Protection::Modern
                };
                let beyond_bmp = |t: &str| t.chars().any(|c| u32::from(c) > 0xFFFF);
                if beyond_bmp(pw.expose()) || aliases.iter().any(|a| beyond_bmp(a)) {
                    // BMPString cannot hold them: refused with a message, never a panic or an
                    // internal error (an alias to rename carries the setting as its hint).
                    let e = pkcs12::encode(&written, &pw, protection).unwrap_err();
                    prop_assert!(
                        matches!(e.parts().0, certkit_core::Error::Unsupported { .. }),
                        "{}",
                        e
                    );
                    return Ok(());
                }
                let data = pkcs12::encode(&written, &pw, protection).expect("encodes");
                let ks = pkcs12::decode(&data, "t.p12", &pw).expect("decodes");
                let got: Vec<Content> = ks.entries.iter().map(content).collect();
                let want: Vec<Content> = written.iter().map(content).collect();
                // Keys: alias, key bytes and leaf certificate each (a chain's other
                // certificates are bags of their own in PKCS#12).
                let keys = |v: &[Content]| {
                    let mut k: Vec<Content> = v
                        .iter()
                        .filter(|e| e.1.is_some())
                        .map(|(a, k, c)| (a.clone(), k.clone(), c[..1].to_vec()))
                        .collect();
                    k.sort();
                    k
                };
                // Every certificate written is read back, in some entry.
                let certs = |v: &[Content]| {
                    let mut c: Vec<Vec<u8>> = v.iter().flat_map(|e| e.2.clone()).collect();
                    c.sort();
                    c.dedup();
                    c
                };
                prop_assert_eq!(certs(&got), certs(&want));
                prop_assert_eq!(keys(&got), keys(&want));
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn pem_round_trips_a_key_with_any_chain_encrypted_or_not() {
    let mut runner = TestRunner::new(config(24));
    let pairs = pairs();
    runner
        .run(
            &(
                0..4usize,
                prop::collection::vec(0..4usize, 0..4),
                prop::option::of("\\PC{1,24}"),
            ),
            |(pair, extra, pw)| {
                let pw = pw.map(Password::new);
                let key = SecretBytes::new(pairs[pair].0.clone());
                let mut certs = vec![CertDer(pairs[pair].1.clone())];
                certs.extend(extra.iter().map(|i| CertDer(pairs[*i].1.clone())));
                let mut text = pem::encode_certs(&certs).into_bytes();
                text.extend_from_slice(pem::encode_key(&key, pw.as_ref()).unwrap().expose());
                let ks = pem::decode(&text, "t.pem", pw.as_ref()).expect("decodes");
                let mut seen: Vec<Vec<u8>> = Vec::new();
                let mut key_back = None;
                for e in &ks.entries {
                    if let Some(k) = e.pkcs8() {
                        key_back = Some(k.expose().to_vec());
                    }
                    seen.extend(e.chain().iter().map(|c| c.0.clone()));
                }
                prop_assert_eq!(key_back, Some(pairs[pair].0.clone()));
                // Every certificate is kept (as the key's chain or as a trusted entry).
                let mut want: Vec<Vec<u8>> = certs.iter().map(|c| c.0.clone()).collect();
                want.sort();
                seen.sort();
                prop_assert_eq!(seen, want);
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn generated_jks_files_are_opened_by_keytool() {
    // keytool takes a second per file: a handful of cases, passwords keytool can take on its
    // command line (printable, no leading dash) and aliases of any script.
    let sb = Sandbox::new();
    let mut runner = TestRunner::new(config(4));
    let strategy = (
        prop::collection::vec(shape(), 1..4),
        "[!-~&&[^-]][ -~]{5,15}",
        prop::collection::vec("[a-zéßøΩЖ中文😀_.-]{1,16}", 3),
    );
    runner
        .run(&strategy, |(shapes, pw, names)| {
            let mut seen = std::collections::HashSet::new();
            let aliases: Vec<String> = names
                .iter()
                .enumerate()
                .map(|(i, a)| format!("{a}{i}"))
                .filter(|a| seen.insert(a.to_lowercase()))
                .collect();
            let shapes = &shapes[..shapes.len().min(aliases.len())];
            let written = entries(shapes, &aliases, 1_700_000_000_000);
            let data = jks::encode(&written, &Password::new(pw.clone()), 1_700_000_000_000)
                .expect("encodes");
            std::fs::write(sb.path("p.jks"), &data).unwrap();
            let listing = sb.keytool_list("p.jks", &pw);
            let mut got: Vec<String> = listing.entries.iter().map(|e| e.alias.clone()).collect();
            let mut want: Vec<String> = written.iter().map(|e| e.alias.to_lowercase()).collect();
            got.sort();
            want.sort();
            prop_assert_eq!(got, want);
            Ok(())
        })
        .unwrap();
}
