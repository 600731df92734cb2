//! The `Crypto` trait's contract, checked on every backend compiled in (`crypto::backends`:
//! `cargo test -p certkit-core --features rust-crypto --test crypto` runs OpenSSL and the
//! pure-Rust backend side by side) over known vectors from `testdata/` (see
//! testdata/README.md), and, when both are built, the two compared with each other.
//!
//! The two signatures below are `openssl dgst -sha256|-sha512 -sign
//! testdata/google-sample.key.pem` of [`MESSAGE`] (PKCS#1 v1.5 is deterministic). The
//! encrypted PEM is `openssl pkey -in testdata/google-sample.key.pem -traditional -aes256
//! -passout pass:notasecret`; the SEC1 key is `openssl ec -in testdata/ec-key.key.pem`.
#![allow(clippy::disallowed_methods)] // the tests read testdata/

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use certkit_core::crypto::*;
use rcgen::SigningKey;

const MESSAGE: &[u8] = b"certkit known vector";
const SIG_SHA256: &str = "WdH0d9IBv3hg8Ej8evsWRYWZjy0E8SJbZSde6qewyc0j3BALbSDqAwTKIEYzVJ6yJ3BpWvi0rocEAPxaJDPh69fP5JJt4aQ+x9ijOOuWO4lvbY7AoCRm0qVtQq7JskSw71CyRueHuZpkcNw3OdyzKRGyml8n2cfxlQ4XvAK/UT7etz3dRIHDV0Pvrbb4sMP47mUGkJkMM92KPJR+hcQl4e0uiqtpjnmjUlyl6ZUlQbF+VGbTff8HytkC4oaVhez+6otzqZX9KTztFvFByhqYT0Vc7+QV/hiw7xCsWutSRPzgv/NllwmoCkvlqFXhrdymvUdBb0oWx9TUs1LGO0GIOg==";
const SIG_SHA512: &str = "mlh4f38dTqK80Gxj8Sp41vuKEKJWZL48wWvC3Ge7P86vOXgukPG4o0NvjyeGrpHEraN76ACT9B7z3SPifButweE+AL5V/HEx4MSIbklir42O5zTzXc94ZggYAIIhFfM15g7E8baleRHFOed/MRnlN2t+8aawLYWlNZj1iuy4/PQRVnxoDk+WoNXULWvUE2HETS20/ishDaSZUUb44Ajt+7S5DK+ulkhQG9MC0Rlk5dOGPqm26nh5oxP3eAX1b8njGqFZL2DphFRhub5wisBNH8pdcQ5ixeqC4aCr0C5Ow3ujLtkzALeCZmfksBdhK4kGperNnSiCZ0tU+FQu3XO3Vg==";
const TRADITIONAL_ENCRYPTED: &str = "\
-----BEGIN RSA PRIVATE KEY-----
Proc-Type: 4,ENCRYPTED
DEK-Info: AES-256-CBC,C073EF4C296DAC9162E575B6A6C2FC8C

BGwW1h2zNseMqseMi9On/BFbVupKyGaPLVmXiVInJvayu41TkH84WJZqjEuMYw5f
jT3Lkfr1yZ25FWfzgYt0JWI05faP5aguSPUoUUYKGnu8V7/MPcoCNmn2OaSH0tul
Hk34vq92F/vQPDiwVjf5jKmamzLr0LWgorKO0+XTM26MENzOmgqTGtjuDwEJUw8s
/4gxQ4qZsukoQtNrE+LLAhAYWP8Bj6CZTpN7hAXGxYibmur8GEICSHez/4kh1sJ7
I5mgIEkzUOrnjvyonogR8R2qTIpEUKvuE10I42SbZ05TI5hQsywVd9L+NW4Dkuau
fcZZGOlQHyD4M5ZetI68hMqactiHlSRcvNu8+0xPGNbpgDxJ18UeZVrb2je33QCL
AlLzmLSbprP4g3D6MEhfvO2o6jMbEL9ivFyXi3L7ZDRyvBxRVNKqkd2L85TJ0ZVZ
B2/fayQ1MCJkp9o7CBi+iDS+K3CSRlIpWfk4YbrsNwenHqIvVbl0cYgO0Alu+mxz
PXS9c0lDW9/DY8d9NgNDkO7DgD0gIsAIQQh2EoZ6tFy9PUbuvhW8GWjS4fvZgzMR
7bf7+xVMMMLIuwZsF3GGdXYQCwoayQb2slkLfr+IXMTgEwoloub0hFMtDbLoJ969
GtfgFcYzDN4NBmBrrokIWSdgx3DC6g37CnqqwKunybfRIth3wRJhypaKSHb9448x
KP2WGvVA/KgOnmtAzgw/VDdvm8oHqxZ0fWaB21EoyKtSXevrwSrXtfq0/k8LDyGc
OsJvSrPuMYfoifcOvW7HaB1Pfe5dF1eOB7lWvJf7uBE9XJ+6CyCSm+vQl3J6rCCp
cBGvdA9ZdxMV1aKhv7MBoEZYKruSMdqirKwjBk2pvPd/D5FeOVEcA990CWzpf0wP
R+kyG75lFWHlrOWQ5FntzxyZaHK2u/kFcpOilq3oIcW+emSQenbPTK11RSCc7NDU
6pNF3O/m1q3pLviE3Te0Li/k543fJMxDCSXNjK2FzIbB2CVP2+Nc0V2faq/kfJIW
3Ynbr/GV/NJ3GVy2htmYkQh7dXY99SfaJRSVkFtpx39BsrOdo30Az3fWK/xpcgQd
zHk1X9vnstFRSaPKLgUp5qktaxNHRsXAEf2T3vYIb9OrkwmyUDEQMva0yW2B9olS
mSio6q/9ijBDTfQuwYUyZLSbq42/pmhcvXuD7XZ4/+EqxjXBWnnx6TRsMW+uW+7i
egAWn2YOsw0whfR1mvc7qmzE1eUM1jrNdZwXhOc28ny5XelvwDkaCJxeT7BCL2Lz
oHx5zBBwliHzp66aVWF9nOu4iBtAVZUn/gI6kjmHxZlNgSzjj4Xc76mTya12t+AW
8yiRK6VcjNyMa92SiKU4AjVoMzvz/LXYWxHv3z9M53mHIMRfycurEjReCE3inWa9
4oZu/RdRqkQC1QpKT4qIAXxhiudZBv9QJVyXL5Zs2l8WLlMMOauMJ8wBroeamSHR
CI1gDzKnap0JbhpSkJtaH9pMzvfpf1SNew5Rzqen86t2p8nh9rYnRb0cDqOa3u5G
zjQUn8l47m9sGxRKTsiFtCjShPQe2Lv+rLVNsgGkIZI5uPYKnZ2Ha+NMp8fxNQmU
-----END RSA PRIVATE KEY-----
";
const SEC1: &str = "\
-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIBDkrGIxDoS9WHC7OJK8CJW9ANooLyYGy5cYfCZ5EDc7oAoGCCqGSM49
AwEHoUQDQgAExstsHnQk+hCVJqcLYViFuoT+aJFujbuI5oO45WFBD+DmbrfymNAb
2ZE2BhYr7N3aaRlnlUJFUxW27kpapTk9FA==
-----END EC PRIVATE KEY-----
";
const PASSWORD: &[u8] = b"notasecret";

/// Run a check on each backend compiled in, naming the one that fails.
fn on_each(check: fn(&dyn Crypto)) {
    for c in backends() {
        let run = std::panic::AssertUnwindSafe(|| check(c));
        if std::panic::catch_unwind(run).is_err() {
            panic!("the check fails on the backend {}", c.name());
        }
    }
}

fn testdata(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../testdata/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The DER inside a testdata PEM file (its first block).
fn pem_der(text: &[u8]) -> Vec<u8> {
    ::pem::parse(text).unwrap().into_contents()
}

/// Every OBJECT IDENTIFIER in a DER tree, dotted.
fn oids_in(mut data: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    while let Some((t, rest)) = certkit_core::der::read_tlv(data) {
        if t.tag == 0x06 {
            out.extend(certkit_core::der::oid_to_string(t.content));
        } else if t.tag & 0x20 != 0 {
            out.extend(oids_in(t.content));
        }
        data = rest;
    }
    out
}

fn sample_key() -> Vec<u8> {
    testdata("google-sample.key.der")
}

/// A certificate's `SubjectPublicKeyInfo`, as x509-parser finds it.
fn cert_spki(der: &[u8]) -> PublicKey {
    PublicKey(
        certkit_core::x509::parse(der)
            .unwrap()
            .public_key()
            .raw
            .to_vec(),
    )
}

fn sample_spki() -> PublicKey {
    cert_spki(&testdata("google-sample.crt.der"))
}

fn other_spki() -> PublicKey {
    cert_spki(&pem_der(&testdata("other-2048.crt.pem")))
}

fn ec_key() -> Vec<u8> {
    pem_der(&testdata("ec-key.key.pem"))
}

fn facts(algorithm: &str, bits: u32) -> Option<KeyFacts> {
    Some(KeyFacts {
        algorithm: algorithm.into(),
        bits,
    })
}

fn signs_the_known_vectors(c: &dyn Crypto) {
    let key = sample_key();
    for (hash, want) in [(Hash::Sha256, SIG_SHA256), (Hash::Sha512, SIG_SHA512)] {
        let sig = c.sign(&key, hash, MESSAGE).unwrap();
        assert_eq!(STANDARD.encode(&sig), want, "{hash:?}");
        assert!(c.verify(&sample_spki(), hash, MESSAGE, &sig).unwrap());
    }
    // Not a key: an error, no signature.
    assert!(c.sign(b"not a key", Hash::Sha256, MESSAGE).is_err());
}

fn verifies_only_the_right_signature(c: &dyn Crypto) {
    let sig = STANDARD.decode(SIG_SHA256).unwrap();
    let spki = sample_spki();
    assert!(c.verify(&spki, Hash::Sha256, MESSAGE, &sig).unwrap());
    // Another digest, message, key or signature: does not verify.
    assert!(!c.verify(&spki, Hash::Sha512, MESSAGE, &sig).unwrap());
    assert!(!c
        .verify(&spki, Hash::Sha256, b"certkit known vectoR", &sig)
        .unwrap());
    assert!(!c
        .verify(&other_spki(), Hash::Sha256, MESSAGE, &sig)
        .unwrap());
    let mut bad = sig.clone();
    bad[10] ^= 1;
    assert!(!c.verify(&spki, Hash::Sha256, MESSAGE, &bad).unwrap());
    assert!(!c.verify(&spki, Hash::Sha256, MESSAGE, &sig[1..]).unwrap());
}

fn reads_keys_and_their_public_halves(c: &dyn Crypto) {
    let key = sample_key();
    // The public half is the certificate's SubjectPublicKeyInfo, byte for byte.
    assert_eq!(c.public_key(&key), Some(sample_spki()));
    assert_eq!(c.key_facts(&key), facts("RSA", 2048));
    assert_eq!(c.public_key_facts(&sample_spki()), facts("RSA", 2048));
    let ec = ec_key();
    assert_eq!(c.key_facts(&ec), facts("EC", 256));
    let ec_public = c.public_key(&ec).unwrap();
    assert_eq!(c.public_key_facts(&ec_public), facts("EC", 256));
    // Damage: nothing.
    assert_eq!(c.key_facts(&key[..key.len() - 1]), None);
    assert_eq!(c.public_key(b"\x30\x00"), None);
    assert_eq!(c.public_key_facts(&PublicKey(b"\x30\x00".to_vec())), None);
}

fn compares_public_keys(c: &dyn Crypto) {
    let from_key = c.public_key(&sample_key()).unwrap();
    assert!(c.public_eq(&from_key, &sample_spki()));
    assert!(!c.public_eq(&from_key, &other_spki()));
    let ec = c.public_key(&ec_key()).unwrap();
    assert!(c.public_eq(&ec, &ec));
    assert!(!c.public_eq(&ec, &from_key));
    assert!(!c.public_eq(&PublicKey(Vec::new()), &PublicKey(Vec::new())));
}

fn makes_traditional_keys_pkcs8(c: &dyn Crypto) {
    // testdata/pkcs1-rsa.key.pem is the sample key as PKCS#1.
    let pkcs1 = pem_der(&testdata("pkcs1-rsa.key.pem"));
    let pkcs8 = c.pkcs8_of_traditional(Traditional::Rsa, &pkcs1).unwrap();
    assert_eq!(pkcs8.expose(), sample_key().as_slice());
    let sec1 = pem_der(SEC1.as_bytes());
    let ec = c.pkcs8_of_traditional(Traditional::Ec, &sec1).unwrap();
    assert_eq!(c.key_facts(ec.expose()), facts("EC", 256));
    assert_eq!(c.public_key(ec.expose()), c.public_key(&ec_key()));
    // The wrong kind, or damage: nothing.
    assert!(c.pkcs8_of_traditional(Traditional::Ec, &pkcs1).is_none());
    assert!(c.pkcs8_of_traditional(Traditional::Rsa, &sec1).is_none());
    assert!(c
        .pkcs8_of_traditional(Traditional::Rsa, &pkcs1[..100])
        .is_none());
}

fn decrypts_traditional_pem(c: &dyn Crypto) {
    let text = TRADITIONAL_ENCRYPTED.as_bytes();
    let key = c.decrypt_traditional_pem(text, PASSWORD).unwrap();
    assert_eq!(key.expose(), sample_key().as_slice());
    assert!(c.decrypt_traditional_pem(text, b"notasecreT").is_none());
    // CRLF line ends (a file saved on Windows) read the same.
    let crlf = TRADITIONAL_ENCRYPTED.replace('\n', "\r\n");
    let key = c
        .decrypt_traditional_pem(crlf.as_bytes(), PASSWORD)
        .unwrap();
    assert_eq!(key.expose(), sample_key().as_slice());
    // Text before the block (`openssl pkcs12` writes "Bag Attributes") is skipped.
    let bag = format!("Bag Attributes\n    localKeyID: 01\n{TRADITIONAL_ENCRYPTED}");
    let key = c.decrypt_traditional_pem(bag.as_bytes(), PASSWORD).unwrap();
    assert_eq!(key.expose(), sample_key().as_slice());
}

fn encrypts_pkcs8_and_decrypts_it(c: &dyn Crypto) {
    let key = sample_key();
    let encrypted = c.encrypt_pkcs8(&key, PASSWORD).unwrap();
    // PBES2 (1.2.840.113549.1.5.13), PBKDF2 (1.2.840.113549.1.5.12), HMAC-SHA256
    // (1.2.840.113549.2.9), AES-256-CBC (2.16.840.1.101.3.4.1.42).
    let oids = oids_in(&encrypted);
    for oid in [
        "1.2.840.113549.1.5.13",
        "1.2.840.113549.1.5.12",
        "1.2.840.113549.2.9",
        "2.16.840.1.101.3.4.1.42",
    ] {
        assert!(oids.iter().any(|o| o == oid), "{oid} in {oids:?}");
    }
    let decrypted = c.decrypt_pkcs8(&encrypted, PASSWORD).unwrap();
    assert_eq!(decrypted.expose(), key.as_slice());
    assert!(c.decrypt_pkcs8(&encrypted, b"notasecreT").is_none());
    // A fresh salt and IV each time.
    assert_ne!(c.encrypt_pkcs8(&key, PASSWORD).unwrap(), encrypted);
    assert!(c.encrypt_pkcs8(b"not a key", PASSWORD).is_err());
}

fn generates_rsa_keys_that_sign(c: &dyn Crypto) {
    let key = c.generate_rsa(2048).unwrap();
    assert_eq!(c.key_facts(key.expose()), facts("RSA", 2048));
    let public = c.public_key(key.expose()).unwrap();
    let sig = c.sign(key.expose(), Hash::Sha256, MESSAGE).unwrap();
    assert!(c.verify(&public, Hash::Sha256, MESSAGE, &sig).unwrap());
    assert_ne!(c.generate_rsa(2048).unwrap().expose(), key.expose());
}

#[test]
fn the_backend_signs_the_known_vectors() {
    on_each(signs_the_known_vectors);
}

#[test]
fn the_backend_verifies_only_the_right_signature() {
    on_each(verifies_only_the_right_signature);
}

#[test]
fn the_backend_reads_keys_and_their_public_halves() {
    on_each(reads_keys_and_their_public_halves);
}

#[test]
fn the_backend_compares_public_keys() {
    on_each(compares_public_keys);
}

#[test]
fn the_backend_makes_traditional_keys_pkcs8() {
    on_each(makes_traditional_keys_pkcs8);
}

#[test]
fn the_backend_decrypts_traditional_pem() {
    on_each(decrypts_traditional_pem);
}

#[test]
fn the_backend_encrypts_pkcs8_and_decrypts_it() {
    on_each(encrypts_pkcs8_and_decrypts_it);
}

#[test]
fn the_backend_generates_rsa_keys_that_sign() {
    on_each(generates_rsa_keys_that_sign);
}

#[test]
fn rcgen_signs_with_an_rsa_key_only() {
    let key = sample_key();
    let signer = RcgenSigner::rsa(&key).unwrap();
    // The PKCS#1 public key is the certificate's subjectPublicKey bits.
    let cert = testdata("google-sample.crt.der");
    let parsed = certkit_core::x509::parse(&cert).unwrap();
    assert_eq!(
        signer.public_pkcs1(),
        &*parsed.public_key().subject_public_key.data
    );
    let sig = SigningKey::sign(&signer, MESSAGE).unwrap();
    assert_eq!(STANDARD.encode(sig), SIG_SHA256);
    assert!(RcgenSigner::rsa(&ec_key()).is_none());
}

#[test]
fn the_rsa_parts_of_der_are_found_and_nothing_else() {
    let spki = sample_spki();
    assert!(rsa_pkcs1_public(&spki).is_some());
    for c in backends() {
        assert!(rsa_pkcs1_public(&c.public_key(&ec_key()).unwrap()).is_none());
    }
    assert!(rsa_pkcs1_inside(&sample_key()).is_some());
    assert!(rsa_pkcs1_inside(&ec_key()).is_none());
}

#[test]
fn backends_lists_the_provider_first_and_each_backend_once() {
    let all = backends();
    assert_eq!(all[0].name(), provider().name());
    let want = usize::from(cfg!(feature = "openssl")) + usize::from(cfg!(feature = "rust-crypto"));
    assert_eq!(all.len(), want);
}

/// OpenSSL and the pure-Rust backend, when both are built.
#[cfg(all(feature = "openssl", feature = "rust-crypto"))]
fn both() -> (&'static dyn Crypto, &'static dyn Crypto) {
    let all = backends();
    assert_eq!((all[0].name(), all[1].name()), ("openssl", "rust-crypto"));
    (all[0], all[1])
}

#[cfg(all(feature = "openssl", feature = "rust-crypto"))]
#[test]
fn both_backends_give_the_same_signatures_public_keys_and_facts() {
    let (a, b) = both();
    let keys = [
        sample_key(),
        pem_der(&testdata("other-2048.key.pem")),
        pem_der(&testdata("openssl-modern.key.pem")),
        a.generate_rsa(2048).unwrap().expose().to_vec(),
        b.generate_rsa(2048).unwrap().expose().to_vec(),
    ];
    for (i, key) in keys.iter().enumerate() {
        for hash in [Hash::Sha256, Hash::Sha512] {
            let sig = a.sign(key, hash, MESSAGE).unwrap();
            assert_eq!(sig, b.sign(key, hash, MESSAGE).unwrap(), "key {i} {hash:?}");
            let public = b.public_key(key).unwrap();
            assert!(a.verify(&public, hash, MESSAGE, &sig).unwrap(), "key {i}");
            assert!(b.verify(&public, hash, MESSAGE, &sig).unwrap(), "key {i}");
        }
        assert_eq!(a.public_key(key), b.public_key(key), "key {i}");
        assert_eq!(a.key_facts(key), b.key_facts(key), "key {i}");
        let public = a.public_key(key).unwrap();
        assert_eq!(a.public_key_facts(&public), b.public_key_facts(&public));
    }
    let ec = ec_key();
    assert_eq!(a.public_key(&ec), b.public_key(&ec));
    // An RSA signature under an EC key does not verify; a public key that does not parse is
    // an error, on both.
    let sig = a.sign(&sample_key(), Hash::Sha256, MESSAGE).unwrap();
    let ec_public = a.public_key(&ec).unwrap();
    assert!(!a.verify(&ec_public, Hash::Sha256, MESSAGE, &sig).unwrap());
    assert!(!b.verify(&ec_public, Hash::Sha256, MESSAGE, &sig).unwrap());
    let junk = PublicKey(b"\x30\x00".to_vec());
    assert!(a.verify(&junk, Hash::Sha256, MESSAGE, &sig).is_err());
    assert!(b.verify(&junk, Hash::Sha256, MESSAGE, &sig).is_err());
    assert_eq!(a.key_facts(&ec), b.key_facts(&ec));
    let sec1 = pem_der(SEC1.as_bytes());
    let (ea, eb) = (
        a.pkcs8_of_traditional(Traditional::Ec, &sec1).unwrap(),
        b.pkcs8_of_traditional(Traditional::Ec, &sec1).unwrap(),
    );
    assert_eq!(ea.expose(), eb.expose());
}

#[cfg(all(feature = "openssl", feature = "rust-crypto"))]
#[test]
fn each_backend_decrypts_what_the_other_encrypts() {
    let (a, b) = both();
    for key in [sample_key(), ec_key()] {
        // OpenSSL 3's parameters on both: PBKDF2 with 2048 iterations, and the same salt and
        // IV sizes (the same length of DER).
        let (ea, eb) = (
            a.encrypt_pkcs8(&key, PASSWORD).unwrap(),
            b.encrypt_pkcs8(&key, PASSWORD).unwrap(),
        );
        assert_eq!(certkit_core::der::largest_iteration_count(&ea), 2048);
        assert_eq!(certkit_core::der::largest_iteration_count(&eb), 2048);
        assert_eq!(ea.len(), eb.len());
        for (from, to) in [(a, b), (b, a)] {
            let encrypted = from.encrypt_pkcs8(&key, PASSWORD).unwrap();
            let decrypted = to.decrypt_pkcs8(&encrypted, PASSWORD);
            assert_eq!(
                decrypted.unwrap().expose(),
                key,
                "{} to {}",
                from.name(),
                to.name()
            );
            assert!(to.decrypt_pkcs8(&encrypted, b"notasecreT").is_none());
        }
    }
}

#[cfg(all(feature = "openssl", feature = "rust-crypto"))]
#[test]
fn keys_generated_by_one_backend_are_used_by_the_other() {
    let (a, b) = both();
    for (from, to) in [(a, b), (b, a)] {
        let key = from.generate_rsa(2048).unwrap();
        let public = from.public_key(key.expose()).unwrap();
        assert!(to.public_eq(&public, &to.public_key(key.expose()).unwrap()));
        let sig = to.sign(key.expose(), Hash::Sha256, MESSAGE).unwrap();
        assert!(from.verify(&public, Hash::Sha256, MESSAGE, &sig).unwrap());
        assert_eq!(to.key_facts(key.expose()), facts("RSA", 2048));
    }
}

/// The median time of `runs` calls of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> std::time::Duration {
    let mut times: Vec<_> = (0..runs)
        .map(|_| {
            let start = std::time::Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

/// Each backend's times, medians (figures, not checks): `generate_rsa(2048)` of 5 runs, an
/// RS256 signature with the sample key and `encrypt_pkcs8` of 21. `cargo test --release -p
/// certkit-core --features rust-crypto --test crypto -- --ignored --nocapture backend_times`.
#[test]
#[ignore]
#[allow(clippy::disallowed_macros)] // prints the figures
fn backend_times() {
    let key = sample_key();
    for c in backends() {
        let generate = median(5, || drop(c.generate_rsa(2048).unwrap()));
        let sign = median(21, || drop(c.sign(&key, Hash::Sha256, MESSAGE).unwrap()));
        let encrypt = median(21, || drop(c.encrypt_pkcs8(&key, PASSWORD).unwrap()));
        println!(
            "{}: generate_rsa(2048) {generate:?}, sign RS256 {sign:?}, encrypt_pkcs8 {encrypt:?}",
            c.name()
        );
    }
}

/// What the `openssl` command writes for `args` (the peer that made the vectors above).
#[allow(clippy::disallowed_types)] // the tests run openssl
fn openssl(args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new("openssl")
        .args(args)
        .output()
        .expect("run openssl");
    assert!(out.status.success(), "openssl {args:?}: {out:?}");
    out.stdout
}

/// `openssl pkey -check`'s verdict on a PKCS#8 key given on stdin (its primes, exponents and
/// CRT values are consistent).
#[allow(clippy::disallowed_types)] // the tests run openssl
fn openssl_checks_key(pkcs8: &[u8]) -> bool {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("openssl")
        .args(["pkey", "-inform", "DER", "-check", "-noout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run openssl");
    child.stdin.take().unwrap().write_all(pkcs8).unwrap();
    let out = child.wait_with_output().unwrap();
    out.status.success() && String::from_utf8_lossy(&out.stdout).contains("Key is valid")
}

#[test]
fn openssl_finds_every_backends_generated_keys_valid() {
    assert!(openssl_checks_key(&sample_key()));
    for c in backends() {
        let key = c.generate_rsa(2048).unwrap();
        assert!(openssl_checks_key(key.expose()), "{}", c.name());
        // And the check tells: a key whose last byte (of its CRT coefficient) changed fails it.
        let mut bad = key.expose().to_vec();
        *bad.last_mut().unwrap() ^= 1;
        assert!(!openssl_checks_key(&bad), "{}", c.name());
    }
}

fn testdata_path(name: &str) -> String {
    format!("{}/../../testdata/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_backend_decrypts_each_cipher_of_openssls_traditional_pem() {
    for (file, want) in [
        ("google-sample.key.pem", sample_key()),
        ("ec-key.key.pem", ec_key()),
    ] {
        for cipher in ["-aes128", "-aes192", "-aes256", "-des3"] {
            let path = testdata_path(file);
            let text = openssl(&[
                "pkey",
                "-in",
                &path,
                "-traditional",
                cipher,
                "-passout",
                "pass:notasecret",
            ]);
            for c in backends() {
                let key = c.decrypt_traditional_pem(&text, PASSWORD);
                let label = format!("{} {file} {cipher}", c.name());
                assert_eq!(key.expect(&label).expose(), want.as_slice(), "{label}");
                assert!(c.decrypt_traditional_pem(&text, b"notasecreT").is_none());
            }
        }
    }
}

#[test]
fn every_backend_decrypts_openssls_pbes2_variants() {
    let path = testdata_path("google-sample.key.pem");
    let variants: [&[&str]; 6] = [
        &["-v2", "aes-256-cbc"],
        &["-v2", "aes-128-cbc"],
        &["-v2", "des3"],
        &["-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA1"],
        &["-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA512"],
        &["-scrypt"],
    ];
    for variant in variants {
        let mut args = vec!["pkcs8", "-topk8", "-in", &path, "-outform", "DER"];
        args.extend_from_slice(variant);
        args.extend_from_slice(&["-passout", "pass:notasecret"]);
        let der = openssl(&args);
        for c in backends() {
            let key = c.decrypt_pkcs8(&der, PASSWORD);
            let label = format!("{} {variant:?}", c.name());
            assert_eq!(
                key.expect(&label).expose(),
                sample_key().as_slice(),
                "{label}"
            );
            assert!(c.decrypt_pkcs8(&der, b"notasecreT").is_none(), "{label}");
        }
    }
}

/// scrypt just under OpenSSL's 32 MiB memory bound (N 16384, r 15: 31.5 MiB; r 16 is more
/// than OpenSSL writes or reads) decrypts on every backend: the pure-Rust backend's copy of
/// the bound (unit-tested beside it) is not stricter than OpenSSL's.
#[test]
fn every_backend_decrypts_scrypt_just_under_openssls_memory_bound() {
    let path = testdata_path("google-sample.key.pem");
    let der = openssl(&[
        "pkcs8",
        "-topk8",
        "-in",
        &path,
        "-outform",
        "DER",
        "-scrypt",
        "-scrypt_N",
        "16384",
        "-scrypt_r",
        "15",
        "-scrypt_p",
        "1",
        "-passout",
        "pass:notasecret",
    ]);
    for c in backends() {
        let (key, name) = (c.decrypt_pkcs8(&der, PASSWORD), c.name());
        assert_eq!(key.expect(name).expose(), sample_key().as_slice());
    }
}

/// PKCS#12's PBE (`-v1 PBE-SHA1-3DES`, what OpenSSL 1.0 wrote by default): OpenSSL reads it,
/// the pure-Rust backend says it cannot (None, as for a wrong password), without a panic.
#[test]
fn pkcs12_pbe_encrypted_pkcs8_is_read_by_openssl_only() {
    let path = testdata_path("google-sample.key.pem");
    let der = openssl(&[
        "pkcs8",
        "-topk8",
        "-in",
        &path,
        "-outform",
        "DER",
        "-v1",
        "PBE-SHA1-3DES",
        "-passout",
        "pass:notasecret",
    ]);
    for c in backends() {
        let key = c.decrypt_pkcs8(&der, PASSWORD);
        match c.name() {
            "openssl" => assert_eq!(key.unwrap().expose(), sample_key().as_slice()),
            _ => assert!(key.is_none(), "{}", c.name()),
        }
    }
}

/// Damaged input (cut short, or one byte changed) gives `None` or an error on every backend,
/// never a panic; and a cut key is no key.
fn damage_gives_no_key_and_no_panic(c: &dyn Crypto) {
    let key = sample_key();
    let pkcs1 = pem_der(&testdata("pkcs1-rsa.key.pem"));
    let sec1 = pem_der(SEC1.as_bytes());
    for cut in (0..key.len()).step_by(13) {
        assert_eq!(c.key_facts(&key[..cut]), None, "cut at {cut}");
        assert_eq!(c.public_key(&key[..cut]), None, "cut at {cut}");
        assert!(c.sign(&key[..cut], Hash::Sha256, MESSAGE).is_err());
        assert!(c
            .pkcs8_of_traditional(Traditional::Rsa, &pkcs1[..cut.min(pkcs1.len() - 1)])
            .is_none());
        assert!(c.encrypt_pkcs8(&key[..cut], PASSWORD).is_err());
    }
    for at in (0..sec1.len()).step_by(3) {
        let mut bad = sec1.clone();
        bad[at] ^= 0x55;
        let _ = c.pkcs8_of_traditional(Traditional::Ec, &bad);
        let _ = c.pkcs8_of_traditional(Traditional::Ec, &sec1[..at]);
    }
    let text = TRADITIONAL_ENCRYPTED;
    for cut in (0..text.len()).step_by(97) {
        assert!(c
            .decrypt_traditional_pem(&text.as_bytes()[..cut], PASSWORD)
            .is_none());
    }
    let bad_iv = text.replace("AES-256-CBC,C073", "AES-256-CBC,C07");
    assert!(c
        .decrypt_traditional_pem(bad_iv.as_bytes(), PASSWORD)
        .is_none());
    let other = text.replace("AES-256-CBC", "AES-256-GCM");
    assert!(c
        .decrypt_traditional_pem(other.as_bytes(), PASSWORD)
        .is_none());
    let encrypted = c.encrypt_pkcs8(&key, PASSWORD).unwrap();
    for cut in (0..encrypted.len()).step_by(101) {
        assert!(c.decrypt_pkcs8(&encrypted[..cut], PASSWORD).is_none());
    }
}

#[test]
fn the_backend_gives_no_key_and_no_panic_for_damaged_input() {
    on_each(damage_gives_no_key_and_no_panic);
}
