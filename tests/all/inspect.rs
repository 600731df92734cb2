//! `certkit inspect` on every format it reads, checked against `expected.json`,
//! openssl's fingerprints and keytool's own `-list -v`.

use serde_json::Value;

use crate::common::{
    expected_file, expected_keystore, hex, read_testdata, s, td, KeytoolListing, Run, Sandbox,
};

/// `certkit inspect --json FILE`, with the password in a file when given.
fn inspect_json(sb: &Sandbox, file: &str, password: Option<&str>) -> Value {
    let r = inspect(sb, file, password, true);
    r.ok();
    one_file(&r)
}

/// The report of the one file of an `inspect --json` run: `{"files": [it], "errors": []}`.
fn one_file(r: &Run) -> Value {
    let v = r.json();
    assert_eq!(v["errors"], serde_json::json!([]), "{}", r.stdout);
    let files = v["files"].as_array().expect("files array");
    assert_eq!(files.len(), 1, "{}", r.stdout);
    files[0].clone()
}

fn inspect(sb: &Sandbox, file: &str, password: Option<&str>, json: bool) -> Run {
    let path = td(file);
    let mut args = vec!["inspect", path.as_str()];
    let pwfile;
    if let Some(pw) = password {
        pwfile = sb.secret("in.pw", pw);
        args.push("--password-file");
        args.push(&pwfile);
    }
    if json {
        args.push("--json");
    }
    sb.certkit(&args)
}

/// RFC 2253 (`CN=a,O=b`) and RFC 4514 with spaces (`CN=a, O=b`) compare equal.
fn dn(s: &str) -> String {
    s.replace(", ", ",")
}

fn entries(report: &Value) -> &Vec<Value> {
    report["entries"].as_array().expect("entries array")
}

/// Check a keytool-written JKS against expected.json: aliases in file order, entry types,
/// leaf subject, fingerprint and key size.
fn check_keytool_jks(file: &str) {
    let sb = Sandbox::new();
    let exp = expected_keystore(file);
    let report = inspect_json(&sb, file, Some(s(exp, "store_password")));
    assert_eq!(s(&report, "format"), "JKS");
    assert_eq!(s(&report, "integrity"), "verified");
    let got: Vec<&str> = entries(&report).iter().map(|e| s(e, "alias")).collect();
    let want: Vec<&str> = exp["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(got, want, "aliases of {file}");
    for e in entries(&report) {
        let alias = s(e, "alias");
        let x = &exp["entries"][alias];
        assert_eq!(s(e, "type"), s(x, "entry_type"), "{file}/{alias} type");
        let chain = e["chain"].as_array().unwrap();
        if let Some(n) = x["chain_length"].as_u64() {
            assert_eq!(chain.len() as u64, n, "{file}/{alias} chain length");
        }
        let leaf = &chain[0];
        assert_eq!(
            s(leaf, "sha256"),
            s(&x["cert"], "sha256"),
            "{file}/{alias} SHA-256"
        );
        assert_eq!(
            s(leaf, "sha1").replace(':', "").to_lowercase(),
            s(&x["cert"], "sha1_hex"),
            "{file}/{alias} SHA-1"
        );
        assert_eq!(
            dn(s(leaf, "subject")),
            dn(s(&x["cert"], "subject")),
            "{file}/{alias} subject"
        );
        assert_eq!(
            leaf["key_bits"], x["cert"]["key_bits"],
            "{file}/{alias} key bits"
        );
    }
}

#[test]
fn keytool_store_jks_inspects_as_expected() {
    check_keytool_jks("keytool-store.jks");
}

#[test]
fn keytool_multi_jks_inspects_with_entries_in_file_order_and_mixed_types() {
    check_keytool_jks("keytool-multi.jks");
}

#[test]
fn keytool_keypass_jks_inspects_with_the_store_password_alone() {
    check_keytool_jks("keytool-keypass.jks");
}

#[test]
fn keytool_unicode_jks_inspects_with_a_non_ascii_password_from_a_file() {
    assert_eq!(
        s(expected_keystore("keytool-unicode.jks"), "store_password"),
        "pässwörd€"
    );
    check_keytool_jks("keytool-unicode.jks");
}

#[test]
fn keytool_trusted_only_jks_inspects_as_one_trusted_cert_entry() {
    check_keytool_jks("keytool-trusted-only.jks");
}

#[test]
fn wrong_store_password_exits_3_naming_the_keystore_password() {
    let sb = Sandbox::new();
    let r = inspect(&sb, "keytool-store.jks", Some("wrongpw1"), true);
    r.code_is(3);
    assert!(r.stderr.contains("keystore password"), "{}", r.stderr);
    // With --json stdout is one document: no file listed, the error in `errors`.
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("one JSON document");
    assert_eq!(v["files"], serde_json::json!([]), "{}", r.stdout);
    let err = &v["errors"][0];
    assert_eq!(err["error"], "wrong_password", "{}", r.stdout);
    assert_eq!(err["exit_code"], 3, "{}", r.stdout);
    assert_eq!(err["file"], td("keytool-store.jks"), "{}", r.stdout);
    assert!(
        s(err, "message").contains("keystore password"),
        "{}",
        r.stdout
    );
}

#[test]
fn jks_without_a_password_still_lists_with_integrity_not_checked() {
    let sb = Sandbox::new();
    let exp = expected_keystore("keytool-multi.jks");
    let report = inspect_json(&sb, "keytool-multi.jks", None);
    assert_eq!(s(&report, "integrity"), "not_checked");
    let got: Vec<&str> = entries(&report).iter().map(|e| s(e, "alias")).collect();
    assert_eq!(got, vec!["trusted-ca", "alpha", "beta"]);
    assert_eq!(
        s(&entries(&report)[2]["chain"][0], "sha256"),
        s(&exp["entries"]["beta"]["cert"], "sha256")
    );
    // The human report says so too.
    let r = inspect(&sb, "keytool-multi.jks", None, false);
    r.ok();
    assert!(r.stdout.contains("NOT checked"), "{}", r.stdout);
}

/// Check a PKCS#12 fixture: one private-key entry with the expected alias, leaf and key.
fn check_p12(file: &str, password: Option<&str>, integrity: &str) {
    let sb = Sandbox::new();
    let exp = expected_keystore(file);
    let report = inspect_json(&sb, file, password);
    assert_eq!(s(&report, "format"), "PKCS12");
    assert_eq!(s(&report, "integrity"), integrity, "{file} integrity");
    let es = entries(&report);
    assert_eq!(es.len(), 1, "{file}: {report}");
    let e = &es[0];
    assert_eq!(s(e, "type"), "PrivateKeyEntry");
    if let Some(alias) = exp["aliases"].as_array().unwrap().first() {
        assert_eq!(e["alias"], *alias, "{file} alias");
    }
    assert_eq!(s(&e["key"], "algorithm"), "RSA");
    assert_eq!(e["key"]["bits"], exp["key_bits"]);
    assert_eq!(s(&e["chain"][0], "sha256"), s(&exp["cert"], "sha256"));
    assert_eq!(
        dn(s(&e["chain"][0], "subject")),
        dn(s(&exp["cert"], "subject"))
    );
}

#[test]
fn google_sample_p12_inspects_with_notasecret_found_automatically() {
    check_p12("google-sample.p12", None, "verified");
}

#[test]
fn openssl_modern_p12_inspects_ok() {
    check_p12("openssl-modern.p12", Some("changeit"), "verified");
}

#[test]
fn openssl_p12_without_mac_or_friendly_name_inspects_ok_with_no_integrity() {
    check_p12("openssl-nomac-noname.p12", Some("changeit"), "none");
}

#[test]
fn keytool_default_p12_inspects_ok() {
    check_p12("keytool-default.p12", Some("storepw1"), "verified");
}

#[test]
fn google_json_key_inspects_with_its_account_and_rsa_key() {
    let sb = Sandbox::new();
    let exp = expected_file("google-sample.json");
    let report = inspect_json(&sb, "google-sample.json", None);
    assert_eq!(s(&report["google"], "client_email"), s(exp, "client_email"));
    assert_eq!(
        s(&report["google"], "private_key_id"),
        s(exp, "private_key_id")
    );
    let keys: Vec<&Value> = entries(&report)
        .iter()
        .filter(|e| e["type"] == "PrivateKeyEntry")
        .collect();
    assert_eq!(keys.len(), 1, "{report}");
    assert_eq!(s(&keys[0]["key"], "algorithm"), "RSA");
    assert_eq!(
        keys[0]["key"]["bits"],
        expected_keystore(s(exp, "same_key_as"))["key_bits"]
    );
}

#[test]
fn google_x509_metadata_inspects_as_the_certificates_it_maps() {
    let sb = Sandbox::new();
    let exp = expected_file("google-sample.x509-metadata.json");
    let report = inspect_json(&sb, "google-sample.x509-metadata.json", None);
    let mut got: Vec<String> = entries(&report)
        .iter()
        .map(|e| {
            assert_eq!(s(e, "type"), "trustedCertEntry");
            s(&e["chain"][0], "sha256").to_string()
        })
        .collect();
    let mut want: Vec<String> = exp["key_ids"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(kid, file)| {
            let cert = &expected_file(file.as_str().unwrap())["cert"];
            assert_eq!(s(cert, "sha1_hex"), kid);
            s(cert, "sha256").to_string()
        })
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn pem_certificate_inspects_with_openssls_sha256_fingerprint() {
    let sb = Sandbox::new();
    let report = inspect_json(&sb, "google-sample.crt.pem", None);
    assert_eq!(s(&report, "format"), "PEM");
    let es = entries(&report);
    assert_eq!(es.len(), 1);
    assert_eq!(s(&es[0], "type"), "trustedCertEntry");
    let fp = sb.openssl_sha256(&td("google-sample.crt.pem"), "PEM");
    assert_eq!(s(&es[0]["chain"][0], "sha256"), fp);
}

#[test]
fn der_certificate_inspects_with_openssls_sha256_fingerprint() {
    let sb = Sandbox::new();
    let report = inspect_json(&sb, "google-sample.crt.der", None);
    assert_eq!(s(&report, "format"), "DER");
    let es = entries(&report);
    assert_eq!(es.len(), 1);
    let fp = sb.openssl_sha256(&td("google-sample.crt.der"), "DER");
    assert_eq!(s(&es[0]["chain"][0], "sha256"), fp);
}

#[test]
fn pkcs1_rsa_key_inspects_as_an_rsa_private_key() {
    let sb = Sandbox::new();
    let report = inspect_json(&sb, "pkcs1-rsa.key.pem", None);
    let es = entries(&report);
    assert_eq!(es.len(), 1, "{report}");
    assert_eq!(s(&es[0], "type"), "PrivateKeyEntry");
    assert_eq!(s(&es[0]["key"], "algorithm"), "RSA");
    assert_eq!(
        es[0]["key"]["bits"],
        expected_file("pkcs1-rsa.key.pem")["key_bits"]
    );
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `2026-11-24T22:46:58Z` as the end of Java's `Date.toString()` in UTC: `Nov 24 22:46:58 UTC 2026`.
fn java_date_tail(rfc3339: &str) -> String {
    let (y, m, d) = (&rfc3339[0..4], &rfc3339[5..7], &rfc3339[8..10]);
    let month = MONTHS[m.parse::<usize>().unwrap() - 1];
    format!("{month} {d} {} UTC {y}", &rfc3339[11..19])
}

/// `2026-11-24T...` as keytool's creation date: `Nov 24, 2026`.
fn java_day(rfc3339: &str) -> String {
    let (y, m, d) = (&rfc3339[0..4], &rfc3339[5..7], &rfc3339[8..10]);
    let month = MONTHS[m.parse::<usize>().unwrap() - 1];
    format!("{month} {}, {y}", d.trim_start_matches('0'))
}

/// Subject key identifiers from keytool's hex dumps, in order, lower-case hex.
fn keytool_skis(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        if l.trim() != "SubjectKeyIdentifier [" {
            continue;
        }
        lines.next(); // KeyIdentifier [
        let mut id = String::new();
        for l in lines.by_ref() {
            let Some((off, rest)) = l.split_once(": ") else {
                break;
            };
            if off.len() != 4 || !off.bytes().all(|b| b.is_ascii_hexdigit()) {
                break;
            }
            // 16 hex bytes at most, then two spaces and the ASCII column.
            for tok in rest.split_whitespace().take(16) {
                if tok.len() == 2 && tok.bytes().all(|b| b.is_ascii_hexdigit()) {
                    id.push_str(&tok.to_lowercase());
                } else {
                    break;
                }
            }
        }
        out.push(id);
    }
    out
}

/// Compare certkit's report with keytool -list -v, field by field, for every entry.
fn agree_with_keytool(file: &str) {
    let sb = Sandbox::new();
    let pw = s(expected_keystore(file), "store_password");
    let report = inspect_json(&sb, file, Some(pw));
    let raw = sb.keytool(&["-list", "-v", "-keystore", &td(file), "-storepass", pw]);
    raw.ok();
    let kt = KeytoolListing::parse(&raw.stdout);
    let es = entries(&report);
    assert_eq!(kt.count, es.len(), "entry count");
    let mut skis = keytool_skis(&raw.stdout).into_iter();
    for k in &kt.entries {
        let e = es
            .iter()
            .find(|e| e["alias"] == k.alias.as_str())
            .unwrap_or_else(|| panic!("certkit has no entry {}", k.alias));
        let ctx = format!("{file}/{}", k.alias);
        assert_eq!(s(e, "type"), k.field("Entry type"), "{ctx}");
        assert_eq!(
            java_day(s(e, "created")),
            k.field("Creation date"),
            "{ctx} creation date"
        );
        let chain = e["chain"].as_array().unwrap();
        if s(e, "type") == "PrivateKeyEntry" {
            assert_eq!(
                chain.len().to_string(),
                k.field("Certificate chain length"),
                "{ctx}"
            );
        }
        // keytool -list -v prints one certificate for the entries the fixtures hold.
        let c = &chain[0];
        assert_eq!(s(c, "subject"), k.field("Owner"), "{ctx} owner");
        assert_eq!(s(c, "issuer"), k.field("Issuer"), "{ctx} issuer");
        assert_eq!(s(c, "serial"), k.field("Serial number"), "{ctx} serial");
        assert_eq!(s(c, "sha1"), k.field("SHA1"), "{ctx} SHA1");
        assert_eq!(s(c, "sha256"), k.field("SHA256"), "{ctx} SHA256");
        let sig = k.field("Signature algorithm name");
        let sig = sig.strip_suffix(" (weak)").unwrap_or(sig);
        assert_eq!(
            s(c, "signature_algorithm"),
            sig,
            "{ctx} signature algorithm"
        );
        let spka = k.field("Subject Public Key Algorithm");
        let spka = spka.strip_suffix(" (weak)").unwrap_or(spka);
        assert_eq!(
            format!("{}-bit {} key", c["key_bits"], s(c, "key_algorithm")),
            spka,
            "{ctx} key"
        );
        // "Valid from: Tue Nov 24 22:46:58 UTC 2026 until: Wed Nov 24 22:46:58 UTC 2027"
        let validity = k
            .fields
            .iter()
            .find(|(n, _)| n == "Valid from")
            .map(|(_, v)| v.clone());
        let validity = validity.unwrap_or_else(|| panic!("{ctx}: no validity from keytool"));
        let (from, until) = validity.split_once(" until: ").expect("validity line");
        assert!(
            from.ends_with(&java_date_tail(s(c, "not_before"))),
            "{ctx}: {from} vs {}",
            s(c, "not_before")
        );
        assert!(
            until.ends_with(&java_date_tail(s(c, "not_after"))),
            "{ctx}: {until} vs {}",
            s(c, "not_after")
        );
        if let Some(ski) = c["subject_key_id"].as_str() {
            assert_eq!(
                Some(ski.to_lowercase()),
                skis.next(),
                "{ctx} subject key identifier"
            );
        }
    }
}

#[test]
fn inspect_agrees_with_keytool_list_v_on_keytool_store_jks() {
    agree_with_keytool("keytool-store.jks");
}

#[test]
fn inspect_agrees_with_keytool_list_v_on_keytool_multi_jks() {
    agree_with_keytool("keytool-multi.jks");
}

#[test]
fn human_report_prints_the_same_lines_as_keytool_for_shared_fields() {
    let sb = Sandbox::new();
    let file = "keytool-store.jks";
    let pw = s(expected_keystore(file), "store_password");
    let ours = inspect(&sb, file, Some(pw), false);
    ours.ok();
    let theirs = sb.keytool(&["-list", "-v", "-keystore", &td(file), "-storepass", pw]);
    theirs.ok();
    let ours = KeytoolListing::parse(&ours.stdout);
    let theirs = KeytoolListing::parse(&theirs.stdout);
    assert_eq!(ours.count, theirs.count);
    assert_eq!(ours.entries.len(), theirs.entries.len());
    for (o, t) in ours.entries.iter().zip(&theirs.entries) {
        assert_eq!(o.alias, t.alias);
        for f in [
            "Entry type",
            "Certificate chain length",
            "Owner",
            "Issuer",
            "Serial number",
            "SHA1",
            "SHA256",
            "Signature algorithm name",
            "Subject Public Key Algorithm",
        ] {
            assert_eq!(o.field(f), t.field(f), "{f}");
        }
    }
}

#[test]
fn inspect_never_prints_private_key_material() {
    let sb = Sandbox::new();
    let pems: Vec<String> = ["google-sample.key.pem", "pkcs1-rsa.key.pem"]
        .iter()
        .map(|f| String::from_utf8(read_testdata(f)).unwrap())
        .collect();
    let body: Vec<&str> = pems
        .iter()
        .flat_map(|p| p.lines())
        .filter(|l| !l.starts_with("-----") && l.len() > 16)
        .collect();
    assert!(!body.is_empty());
    let der = read_testdata("google-sample.key.der");
    // A stretch of the private exponent and primes, however it might be printed.
    let chunk = &der[400..432];
    let needles = [
        hex(chunk),
        hex(chunk).to_uppercase(),
        chunk
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":"),
        chunk
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(" "),
    ];
    for (file, pw) in [
        ("google-sample.key.pem", None),
        ("pkcs1-rsa.key.pem", None),
        ("google-sample.json", None),
        ("google-sample.p12", None),
        ("google-sample.key.der", None),
    ] {
        for json in [false, true] {
            let r = inspect(&sb, file, pw, json);
            r.ok();
            let all = r.all_output();
            for line in &body {
                assert!(
                    !all.contains(line),
                    "{file}: PEM key text in output:\n{all}"
                );
            }
            for n in &needles {
                assert!(
                    !all.contains(n.as_str()),
                    "{file}: key bytes in output:\n{all}"
                );
            }
        }
    }
    // A JKS opened with its password: its key (from keytool's export) is not printed either.
    let key = read_testdata("keytool-store.mykey.key.der");
    let n = hex(&key[400..432]);
    let r = inspect(&sb, "keytool-store.jks", Some("storepw1"), true);
    r.ok();
    assert!(
        !r.all_output().to_lowercase().contains(&n),
        "JKS key bytes in output"
    );
    assert!(
        !r.all_output().contains("storepw1"),
        "store password in output"
    );
}

/// Append the JKS integrity digest, SHA-1(UTF-16BE password || "Mighty Aphrodite" || body),
/// computed here independently of certkit.
fn seal(mut body: Vec<u8>, password: &str) -> Vec<u8> {
    let mut h = openssl::sha::Sha1::new();
    for unit in password.encode_utf16() {
        h.update(&unit.to_be_bytes());
    }
    h.update(b"Mighty Aphrodite");
    h.update(&body);
    body.extend_from_slice(&h.finish());
    body
}

fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn jks_version_1_reads_like_version_2() {
    let sb = Sandbox::new();
    let file = "keytool-store.jks";
    let exp = expected_keystore(file);
    let pw = s(exp, "store_password");
    // Version 1 is version 2 without the certificate type string before each certificate.
    let data = read_testdata(file);
    let mut body = data[..data.len() - 20].to_vec();
    assert_eq!(body[4..8], [0, 0, 0, 2]);
    body[4..8].copy_from_slice(&1u32.to_be_bytes());
    let at = find_all(&body, b"\x00\x05X.509");
    assert_eq!(at.len(), 1, "certificate type strings in {file}");
    body.drain(at[0]..at[0] + 7);
    let v1 = seal(body, pw);
    std::fs::write(sb.path("v1.jks"), &v1).unwrap();
    let v1_path = sb.p("v1.jks");
    // Java reads the crafted file: it is a valid version-1 JKS.
    let kt = sb.keytool_list(&v1_path, pw);
    assert_eq!(kt.count, 1);

    let pwfile = sb.secret("in.pw", pw);
    let r = sb.certkit(&["inspect", &v1_path, "--password-file", &pwfile, "--json"]);
    r.ok();
    let report = one_file(&r);
    assert_eq!(report["version"], 1);
    assert_eq!(s(&report, "integrity"), "verified");
    let e = &entries(&report)[0];
    assert_eq!(s(e, "alias"), "mykey");
    assert_eq!(s(&e["chain"][0], "sha256"), kt.entries[0].field("SHA256"));
    assert_eq!(
        s(&e["chain"][0], "sha256"),
        s(&exp["entries"]["mykey"]["cert"], "sha256")
    );
}

#[test]
fn duplicate_alias_in_a_jks_is_reported_not_dropped() {
    let sb = Sandbox::new();
    let file = "keytool-multi.jks";
    let pw = s(expected_keystore(file), "store_password");
    // Rename "beta" to "alpha" (length-prefixed, as Java writes aliases) and reseal.
    let data = read_testdata(file);
    let mut body = data[..data.len() - 20].to_vec();
    let at = find_all(&body, b"\x00\x04beta");
    assert_eq!(at.len(), 1);
    body.splice(at[0]..at[0] + 6, b"\x00\x05alpha".iter().copied());
    std::fs::write(sb.path("dup.jks"), seal(body, pw)).unwrap();
    let pwfile = sb.secret("in.pw", pw);
    let r = sb.certkit(&[
        "inspect",
        &sb.p("dup.jks"),
        "--password-file",
        &pwfile,
        "--json",
    ]);
    r.ok();
    let report = one_file(&r);
    let aliases: Vec<&str> = entries(&report).iter().map(|e| s(e, "alias")).collect();
    assert_eq!(aliases, vec!["trusted-ca", "alpha", "alpha"]);
    let warnings = report["warnings"].to_string();
    assert!(
        warnings.contains("duplicate") && warnings.contains("alpha"),
        "{warnings}"
    );
    // The human report warns on stderr.
    let r = sb.certkit(&["inspect", &sb.p("dup.jks"), "--password-file", &pwfile]);
    r.ok();
    assert!(r.stderr.contains("duplicate"), "{}", r.stderr);
}

#[test]
fn a_pkcs12_with_the_empty_password_still_opens_with_notasecret_tried_first() {
    // With a MAC, Google's notasecret is tried before the empty password (issue 12): a file
    // under the empty password must open all the same, without a prompt or a flag.
    let sb = Sandbox::new();
    sb.openssl(&[
        "pkcs12",
        "-export",
        "-inkey",
        &td("other-2048.key.pem"),
        "-in",
        &td("other-2048.crt.pem"),
        "-passout",
        "pass:",
        "-out",
        "empty.p12",
    ])
    .ok();
    let r = sb.certkit(&["inspect", "empty.p12", "--json"]);
    r.ok();
    assert_eq!(
        one_file(&r)["entries"].as_array().unwrap().len(),
        1,
        "{}",
        r.stdout
    );
}

/// A truststore of `n` certificates (the three test certificates in turn), as `trust.jks` in
/// the sandbox, with the store password `changeit` in a file; returns that file's path.
fn big_truststore(sb: &Sandbox, n: usize) -> String {
    use certkit_core::model::{CertDer, Entry, EntryKind};
    use certkit_core::secret::Password;
    let certs = [
        read_testdata("google-sample.crt.der"),
        read_testdata("keytool-multi.alpha.crt.der"),
        read_testdata("keytool-multi.beta.crt.der"),
    ];
    let entries: Vec<Entry> = (0..n)
        .map(|i| Entry {
            alias: format!("ca-{i:04}"),
            created_ms: Some(1_700_000_000_000),
            kind: EntryKind::TrustedCert(CertDer(certs[i % 3].clone())),
        })
        .collect();
    let data = certkit_core::formats::jks::encode(
        &entries,
        &Password::new("changeit".into()),
        1_700_000_000_000,
    )
    .expect("encodes");
    std::fs::write(sb.path("trust.jks"), data).unwrap();
    sb.secret("trust.pw", "changeit")
}

/// Issue 12 writes a long listing to standard output in 64 KiB pieces as it is rendered
/// instead of holding it whole (the memory saved is measured by scripts/bench.sh). This
/// guards what the pieces must keep: every entry once, in order and whole, wherever a piece
/// ends (it fails if a piece is dropped or written twice).
#[test]
fn a_listing_far_longer_than_one_64_kib_piece_comes_out_whole_and_in_order() {
    let sb = Sandbox::new();
    let n = 400;
    let pw = big_truststore(&sb, n);
    let r = sb.certkit(&["inspect", "trust.jks", "--password-file", &pw]);
    r.ok();
    assert!(r.stdout.len() > 3 * 64 * 1024, "{} bytes", r.stdout.len());
    // The header, then one block per entry, each starting with its alias.
    let mut blocks = r.stdout.split("\n\nAlias name: ");
    let header = blocks.next().unwrap();
    assert!(
        header.ends_with(&format!("contains {n} entries")),
        "{header}"
    );
    let blocks: Vec<&str> = blocks.collect();
    let aliases: Vec<&str> = blocks.iter().map(|b| b.lines().next().unwrap()).collect();
    let want: Vec<String> = (0..n).map(|i| format!("ca-{i:04}")).collect();
    assert_eq!(aliases, want);
    // The same certificate gives the same block, alias aside, wherever a piece ended.
    for (i, b) in blocks.iter().enumerate().skip(3) {
        let strip = |s: &str| s.split_once('\n').unwrap().1.trim_end().to_string();
        assert_eq!(strip(b), strip(blocks[i % 3]), "entry {i}");
    }
    assert!(r.stdout.ends_with('\n'));
    // And the JSON report, written through its own buffer, lists as many.
    let json = sb.certkit(&["inspect", "trust.jks", "--password-file", &pw, "--json"]);
    json.ok();
    assert_eq!(entries(&one_file(&json)).len(), n);
}

/// With the listing written in pieces (issue 12), a reader that goes away after the first
/// lines (`| head`) meets certkit mid-listing; it must still end quietly with status 0.
#[test]
fn a_reader_that_stops_after_the_first_lines_of_a_long_listing_ends_it_quietly() {
    use std::io::{BufRead, BufReader};
    let sb = Sandbox::new();
    let pw = big_truststore(&sb, 2000);
    for json in [false, true] {
        let mut args = vec!["inspect", "trust.jks", "--password-file", &pw];
        if json {
            args.push("--json");
        }
        let mut child = sb.spawn_certkit(&args);
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The reader is dropped here: the rest of the listing has nowhere to go.
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!first.is_empty());
        assert_eq!(out.status.code(), Some(0), "json={json}: {stderr}");
        assert!(stderr.is_empty(), "json={json}: {stderr}");
    }
}

/// Found in review (issue 12): with the listing written in pieces, a warning about a later
/// file, printed when that file's turn came, landed inside the previous file's listing on a
/// terminal (stdout and stderr both). Every warning now comes before the listing.
#[test]
fn warnings_about_any_file_come_before_the_listing_of_several_files() {
    let sb = Sandbox::new();
    let pw = big_truststore(&sb, 400);
    let mut pem = std::fs::read_to_string(td("google-sample.crt.pem")).unwrap();
    pem.push_str("-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n");
    std::fs::write(sb.path("warn.pem"), pem).unwrap();
    let r = sb.shell(&format!(
        "certkit inspect trust.jks warn.pem --password-file {} 2>&1",
        crate::common::shell_word(&pw)
    ));
    r.ok();
    let lines: Vec<&str> = r.stdout.lines().collect();
    let warning = lines
        .iter()
        .position(|l| l.starts_with("certkit: warning: warn.pem:"))
        .expect("the warning about warn.pem");
    let first_header = lines.iter().position(|l| l.starts_with("==> ")).unwrap();
    assert!(warning < first_header, "warning at line {warning}");
    assert_eq!(lines.iter().filter(|l| l.starts_with("==> ")).count(), 2);
}
