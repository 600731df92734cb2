//! The library's pure operations tested in-process, through its public API: no binary, no
//! terminal, no network (the command-line contract is `tests/all`); the token exchange runs
//! through a fake `Transport` that records the request. Each test reads only
//! `testdata/` or values written here, and runs in milliseconds.
#![allow(clippy::disallowed_methods)] // the tests read testdata/; the core itself may not

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use certkit_core::assertion::{ClaimFlags, KeyContext, Profile};
use certkit_core::diagnose::{self, Answer, Integration, TextKind};
use certkit_core::keyids::{self, KidScheme};
use certkit_core::model::Keystore;
use certkit_core::ops::credential::{claim_set, DEFAULT_LIFETIME_SECS};
use certkit_core::rules::{google, salesforce_jwt, Check, Status};
use certkit_core::secret::Password;
use certkit_core::{formats, jws};

fn testdata(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn read(name: &str, password: Option<&str>) -> Keystore {
    let pw = password.map(|p| Password::new(p.to_string()));
    formats::read(&testdata(name), name, pw.as_ref()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The id of Google's sample JSON key (its `private_key_id`).
const GOOGLE_SAMPLE_KEY_ID: &str = "69b4db5723da1df9440df1950bf186fb95983ced";

// ---- diagnose::parse_text: every kind of pasted text ----

#[test]
fn parse_text_reads_a_json_body() {
    let (kind, a) = diagnose::parse_text(
        r#"{"error": "invalid_grant", "error_description": "Invalid JWT Signature."}"#,
    );
    assert_eq!(kind, TextKind::JsonBody);
    let a = a.unwrap();
    assert_eq!(a.error, "invalid_grant");
    assert_eq!(
        a.error_description.as_deref(),
        Some("Invalid JWT Signature.")
    );
}

#[test]
fn parse_text_finds_the_json_body_after_curl_headers() {
    let text = "HTTP/2 400\ncontent-type: application/json\n\n{\"error\":\"invalid_scope\",\"error_description\":\"Invalid downscoping\"}";
    let (kind, a) = diagnose::parse_text(text);
    assert_eq!(kind, TextKind::JsonBody);
    assert_eq!(a.unwrap().error, "invalid_scope");
}

#[test]
fn parse_text_reads_a_tools_json_report_message() {
    let text = r#"{"status": 1, "message": "invalid_grant: audience is invalid"}"#;
    let (kind, a) = diagnose::parse_text(text);
    assert_eq!(kind, TextKind::ErrorAndDescription);
    let a = a.unwrap();
    assert_eq!(a.error, "invalid_grant");
    assert_eq!(a.error_description.as_deref(), Some("audience is invalid"));
}

#[test]
fn parse_text_reads_salesforces_exception_line() {
    let (kind, a) = diagnose::parse_text(
        "Unable to complete the JWT token exchange. Error: invalid_grant. Error description: Invalid JWT Signature.",
    );
    assert_eq!(kind, TextKind::SalesforceException);
    assert_eq!(
        a,
        Some(Answer {
            status: None,
            error: "invalid_grant".into(),
            error_description: Some("Invalid JWT Signature.".into()),
        })
    );
}

#[test]
fn parse_text_reads_a_description_alone_a_bare_exception_and_nothing() {
    let (kind, a) = diagnose::parse_text("  Invalid JWT Signature.  ");
    assert_eq!(kind, TextKind::Description);
    let a = a.unwrap();
    assert_eq!(a.error, "");
    assert_eq!(
        a.error_description.as_deref(),
        Some("Invalid JWT Signature.")
    );

    assert_eq!(
        diagnose::parse_text("Unable to complete the JWT token exchange."),
        (TextKind::BareException, None)
    );
    assert_eq!(
        diagnose::parse_text("the moon is in the wrong phase"),
        (TextKind::Unknown, None)
    );
}

#[test]
fn diagnose_names_the_table_entry_of_an_answer() {
    let answer = Answer {
        status: Some(400),
        error: "invalid_grant".into(),
        error_description: Some("Invalid JWT Signature.".into()),
    };
    let found = diagnose::diagnose(&answer, Some(Integration::Google));
    assert_eq!(
        found.first().map(|m| m.entry.id),
        Some("google.invalid-jwt-signature"),
        "{found:?}"
    );
    let none = Answer {
        status: Some(400),
        error: "invalid_grant".into(),
        error_description: Some("The moon is in the wrong phase".into()),
    };
    assert!(diagnose::diagnose(&none, Some(Integration::Google)).is_empty());
}

// ---- keyids: RFC 7638 thumbprints and the kid rule ----

#[test]
fn jwk_thumbprint_is_rfc_7638s_example() {
    // RFC 7638 section 3.1: the example RSA key and its thumbprint.
    let n = URL_SAFE_NO_PAD
        .decode(
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        )
        .unwrap();
    let e = URL_SAFE_NO_PAD.decode("AQAB").unwrap();
    assert_eq!(
        keyids::jwk_thumbprint(&n, &e),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
}

#[test]
fn kid_for_takes_googles_key_id_for_google_and_the_thumbprint_otherwise() {
    let (g, t) = (Some("google-id"), Some("thumb"));
    assert_eq!(
        keyids::kid_for(KidScheme::GoogleKeyId, g, t).as_deref(),
        Some("google-id")
    );
    assert_eq!(
        keyids::kid_for(KidScheme::JwkThumbprint, g, t).as_deref(),
        Some("thumb")
    );
    // A bare key has no Google key id: no kid, never the thumbprint instead.
    assert_eq!(keyids::kid_for(KidScheme::GoogleKeyId, None, t), None);
}

#[test]
fn one_key_has_one_thumbprint_and_one_google_key_id_in_every_file() {
    let json = read("google-sample.json", None);
    let p12 = read("google-sample.p12", Some("notasecret"));
    let pem = read("google-sample.key.pem", None);
    let ids = |ks: &Keystore| keyids::of_entry(&ks.entries[0], ks.google.as_ref());
    let (j, p, k) = (ids(&json), ids(&p12), ids(&pem));
    assert_eq!(j.google_key_id.as_deref(), Some(GOOGLE_SAMPLE_KEY_ID));
    assert_eq!(
        j.kid_for(KidScheme::GoogleKeyId).as_deref(),
        Some(GOOGLE_SAMPLE_KEY_ID)
    );
    let thumb = j
        .jwk_thumbprint
        .clone()
        .expect("an RSA key has a thumbprint");
    assert_eq!(p.jwk_thumbprint.as_deref(), Some(thumb.as_str()));
    assert_eq!(k.jwk_thumbprint.as_deref(), Some(thumb.as_str()));
    assert_eq!(j.kid.as_deref(), Some(thumb.as_str()), "the entry's kid");
    // The bare PEM key carries no Google key id.
    assert_eq!(k.kid_for(KidScheme::GoogleKeyId), None);
}

// ---- rules over decoded tokens ----

/// A compact token with this header and claims and a dummy signature (the rules here read
/// claims only).
fn token(header: Value, claims: Value) -> jws::Decoded {
    let part = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    jws::decode(&format!("{}.{}.c2ln", part(&header), part(&claims))).unwrap()
}

fn status_of(checks: &[Check], id: &str) -> Status {
    checks
        .iter()
        .find(|c| c.rule.id == id)
        .unwrap_or_else(|| panic!("no check {id}"))
        .status
}

fn failing(checks: &[Check]) -> Vec<&str> {
    checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| c.rule.id)
        .collect()
}

const NOW: i64 = 1_800_000_000;

#[test]
fn a_salesforce_bearer_assertion_by_the_book_passes_every_rule() {
    let d = token(
        json!({"alg": "RS256", "typ": "JWT"}),
        json!({"iss": "3MVG9xConsumerKey", "sub": "user@example.com",
               "aud": "https://login.salesforce.com", "iat": NOW, "exp": NOW + 120}),
    );
    let checks = salesforce_jwt::bearer_checks(&d);
    assert_eq!(checks.len(), 5);
    assert_eq!(failing(&checks), Vec::<&str>::new(), "{checks:?}");
}

#[test]
fn a_salesforce_bearer_assertion_fails_on_a_missing_sub_and_warns_on_hs256_and_millisecond_exp() {
    let d = token(
        json!({"alg": "HS256"}),
        json!({"iss": "3MVG9xConsumerKey", "aud": "https://login.salesforce.com",
               "iat": NOW, "exp": (NOW + 120) * 1000}),
    );
    let checks = salesforce_jwt::bearer_checks(&d);
    // RS256 is documented, not known to be enforced: a warning, not "will refuse".
    assert_eq!(status_of(&checks, "salesforce.alg"), Status::Warn);
    assert_eq!(status_of(&checks, "salesforce.sub"), Status::Fail);
    assert_eq!(status_of(&checks, "salesforce.iss"), Status::Pass);
    // Milliseconds: documented against, accepted in practice (sf org login jwt sends them).
    assert_eq!(status_of(&checks, "salesforce.lifetime"), Status::Warn);
    assert_eq!(failing(&checks), vec!["salesforce.sub"], "{checks:?}");
}

#[test]
fn google_token_exchange_rules_want_a_scope_and_the_accounts_key_id() {
    let email = "sa@project.iam.gserviceaccount.com";
    let expect = google::Expect {
        client_email: Some(email.into()),
        key_id: Some(GOOGLE_SAMPLE_KEY_ID.into()),
    };
    let claims = |scope: Option<&str>| {
        let mut c = json!({"iss": email, "aud": google::TOKEN_URI, "iat": NOW, "exp": NOW + 3600});
        if let Some(s) = scope {
            c["scope"] = json!(s);
        }
        c
    };
    let header = json!({"alg": "RS256", "typ": "JWT", "kid": GOOGLE_SAMPLE_KEY_ID});
    let good = google::token_exchange_checks(
        &token(
            header.clone(),
            claims(Some("https://www.googleapis.com/auth/bigquery")),
        ),
        &expect,
    );
    assert_eq!(failing(&good), Vec::<&str>::new(), "{good:?}");
    let no_scope = google::token_exchange_checks(&token(header, claims(None)), &expect);
    assert_eq!(failing(&no_scope), vec!["google.scope"], "{no_scope:?}");
}

// ---- ops::credential::claim_set: the claims an External Credential sends ----

#[test]
fn claim_set_defaults_per_profile() {
    let ctx = KeyContext {
        jwk_thumbprint: Some("thumb".into()),
        google_key_id: Some(GOOGLE_SAMPLE_KEY_ID.into()),
        google_key: true,
        google: Some(certkit_core::model::GoogleAccount {
            client_email: "sa@project.iam.gserviceaccount.com".into(),
            private_key_id: GOOGLE_SAMPLE_KEY_ID.into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let none = ClaimFlags::default();

    let g = claim_set(Profile::Google, &none, &ctx, None);
    assert_eq!(g.iss.as_deref(), Some("sa@project.iam.gserviceaccount.com"));
    assert_eq!(g.sub, g.iss, "sub defaults to the account itself");
    assert_eq!(g.aud.as_deref(), Some(google::TOKEN_URI));
    assert_eq!(g.kid.as_deref(), Some(GOOGLE_SAMPLE_KEY_ID));
    assert_eq!(g.lifetime, google::MAX_LIFETIME_SECS);

    let s = claim_set(Profile::Salesforce, &none, &ctx, Some("cert_name"));
    assert_eq!(s.iss, None);
    assert_eq!(s.aud.as_deref(), Some(salesforce_jwt::AUDIENCES[0]));
    assert_eq!(
        s.kid.as_deref(),
        Some("thumb"),
        "never the certificate name"
    );
    assert_eq!(s.lifetime, DEFAULT_LIFETIME_SECS);

    let given = ClaimFlags {
        iss: Some("client".into()),
        aud: Some("https://token.example/token".into()),
        kid: Some("mine".into()),
        exp_seconds: Some(60),
        ..Default::default()
    };
    let x = claim_set(Profile::Generic, &given, &ctx, None);
    assert_eq!(x.iss.as_deref(), Some("client"));
    assert_eq!(x.sub, None, "generic: only what is given");
    assert_eq!(x.aud.as_deref(), Some("https://token.example/token"));
    assert_eq!(x.kid.as_deref(), Some("mine"));
    assert_eq!(x.lifetime, 60);
}

// ---- the operations over an in-memory host: no file, terminal or process is touched ----

mod memory {
    use std::cell::RefCell;
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use certkit_core::error::{Error, Result, WhichPassword};
    use certkit_core::host::{Access, Found, Host, Output};
    use certkit_core::passwords::Source;
    use certkit_core::secret::Password;
    use zeroize::Zeroizing;

    /// A front end made of maps: the files it has, the environment variables it has, what the
    /// person at the prompt will type (in order), and a record of everything asked and written.
    #[derive(Default)]
    pub struct Memory {
        pub files: BTreeMap<PathBuf, Vec<u8>>,
        pub folders: BTreeMap<PathBuf, Vec<PathBuf>>,
        pub env: BTreeMap<String, String>,
        pub typed: RefCell<Vec<&'static str>>,
        pub prompts: RefCell<Vec<String>>,
        pub told: RefCell<Vec<String>>,
        pub written: RefCell<BTreeMap<PathBuf, (Vec<u8>, Access)>>,
    }

    impl Host for Memory {
        fn read(&self, path: &Path, limit: u64) -> Result<Zeroizing<Vec<u8>>> {
            match self.files.get(path) {
                Some(b) if b.len() as u64 > limit => Err(Error::corrupt("x", "too large")),
                Some(b) => Ok(Zeroizing::new(b.clone())),
                None => Err(Error::io(
                    path.display(),
                    std::io::Error::from(std::io::ErrorKind::NotFound),
                )),
            }
        }
        fn read_stdin(&self, _limit: u64) -> Result<Zeroizing<Vec<u8>>> {
            Ok(Zeroizing::new(Vec::new()))
        }
        fn find(&self, path: &Path) -> Found {
            match (self.folders.get(path), self.files.contains_key(path)) {
                (Some(files), _) => Found::Folder {
                    files: files.clone(),
                    unlisted: Vec::new(),
                },
                (None, true) => Found::File,
                (None, false) => Found::Missing,
            }
        }
        fn password(&self, source: &Source, which: WhichPassword) -> Result<Password> {
            match source {
                Source::Env(v) => self
                    .env
                    .get(v)
                    .map(|p| Password::new(p.clone()))
                    .ok_or_else(|| Error::password_required(which, format!("{v} is not set"))),
                _ => Err(Error::password_required(which, "only variables here")),
            }
        }
        fn can_prompt(&self) -> bool {
            !self.typed.borrow().is_empty()
        }
        fn prompt(&self, label: &str) -> Result<Password> {
            self.prompts.borrow_mut().push(label.to_string());
            let mut typed = self.typed.borrow_mut();
            match typed.is_empty() {
                true => Err(Error::password_required(
                    WhichPassword::Output,
                    "no one typed",
                )),
                false => Ok(Password::new(typed.remove(0).to_string())),
            }
        }
        fn tell(&self, message: &str) {
            self.told.borrow_mut().push(message.to_string());
        }
        fn ensure_free(&self, paths: &[&Path], force: bool) -> Result<()> {
            match paths
                .iter()
                .find(|p| !force && self.files.contains_key(**p))
            {
                Some(p) => Err(Error::OutputExists(p.to_path_buf())),
                None => Ok(()),
            }
        }
        fn write(&self, outputs: &[Output<'_>], force: bool, access: Access) -> Result<()> {
            let paths: Vec<&Path> = outputs.iter().map(|o| o.path.as_path()).collect();
            self.ensure_free(&paths, force)?;
            let mut written = self.written.borrow_mut();
            for o in outputs {
                written.insert(o.path.clone(), (o.bytes.to_vec(), access));
            }
            Ok(())
        }
        fn create_dir_all(&self, _dir: &Path) -> Result<()> {
            Ok(())
        }
        fn absolute(&self, path: &Path) -> PathBuf {
            Path::new("/memory").join(path)
        }
    }
}

use certkit_core::host::Access;
use certkit_core::open::Input;
use certkit_core::ops::convert::{DerFiles, Destination, PemFiles, Target};
use certkit_core::ops::{self, OutPassword};
use certkit_core::passwords::Source;
use memory::Memory;

fn memory_with(files: &[(&str, &str)]) -> Memory {
    let mut m = Memory::default();
    for (path, name) in files {
        m.files.insert(path.into(), testdata(name));
    }
    m
}

#[test]
fn p12_to_jks_runs_over_the_host_and_writes_one_private_jks_that_holds_the_key() {
    let host = memory_with(&[("in/google.p12", "google-sample.p12")]);
    let mut host = host;
    host.env.insert("OUT".into(), "changeit".into());
    let o = ops::p12_to_jks::Options {
        input: Input::new("in/google.p12"),
        output: Some("out/google.jks".into()),
        entry: None,
        alias: Some("google_sa".into()),
        out_password: OutPassword {
            source: Some(Source::Env("OUT".into())),
            ..OutPassword::default()
        },
        cert: None,
        days: 730,
        allow_long_validity: false,
        allow_rule_violations: false,
        warn_days: 30,
        force: false,
    };
    let report = ops::p12_to_jks::run(&host, &o).expect("p12-to-jks");
    assert_eq!(
        (report.output.as_str(), report.alias.as_str()),
        ("out/google.jks", "google_sa")
    );
    let written = host.written.borrow();
    let (bytes, access) = written
        .get(std::path::Path::new("out/google.jks"))
        .expect("written");
    assert_eq!(*access, Access::Private);
    assert_eq!(written.len(), 1, "one file, nothing else");
    // The JKS holds the Google key under the new alias, with the password from the variable.
    let ks = formats::read(
        bytes,
        "out/google.jks",
        Some(&Password::new("changeit".into())),
    )
    .expect("the JKS opens with its password");
    let (alias, key) = {
        let e = &ks.entries[0];
        (e.alias.clone(), e.is_private_key())
    };
    assert_eq!(
        (ks.entries.len(), alias.as_str(), key),
        (1, "google_sa", true)
    );
    // Google's P12 opened with notasecret, without asking anyone.
    assert!(host.prompts.borrow().is_empty());
}

#[test]
fn an_output_password_outside_the_policy_is_asked_again_after_saying_why() {
    // The Google P12's own password (notasecret, 10 characters) breaks the 6-8 rule, so the
    // person is asked; the first answer is too short, the second pair is accepted.
    let host = memory_with(&[("google.p12", "google-sample.p12")]);
    host.typed
        .borrow_mut()
        .extend(["abc", "abc", "goodpass", "goodpass"]);
    let opened = certkit_core::open::open(&host, &Input::new("google.p12"), true).unwrap();
    let (pw, generated) =
        ops::output_password(&host, &OutPassword::default(), opened.password.as_ref()).unwrap();
    assert_eq!((pw.expose(), generated.is_none()), ("goodpass", true));
    let prompts = host.prompts.borrow();
    assert_eq!(
        *prompts,
        [
            "New keystore password",
            "New keystore password (again)",
            "New keystore password",
            "New keystore password (again)"
        ]
    );
    let told = host.told.borrow();
    assert!(told[0].starts_with("Keystore password policy:"), "{told:?}");
    assert!(told[1].ends_with("; try again"), "{told:?}");
    assert_eq!(told.len(), 2, "{told:?}");
}

#[test]
fn a_keystore_no_usual_password_opens_is_asked_for_and_a_wrong_answer_is_told() {
    let host = memory_with(&[("store.jks", "keytool-store.jks")]);
    host.typed.borrow_mut().extend(["wrong-one", "storepw1"]);
    let opened = certkit_core::open::open(&host, &Input::new("store.jks"), true).unwrap();
    assert_eq!(opened.password.unwrap().expose(), "storepw1");
    assert_eq!(host.prompts.borrow().len(), 2);
    let told = host.told.borrow();
    assert!(
        told.len() == 1 && told[0].contains("wrong keystore password"),
        "{told:?}"
    );
}

#[test]
fn expiry_lists_what_the_host_finds_in_a_folder_and_names_a_missing_path() {
    let mut host = memory_with(&[
        ("certs/a.pem", "openssl-modern.crt.pem"),
        ("certs/b.jks", "keytool-store.jks"),
        ("certs/notes.txt", "README.md"),
    ]);
    host.folders.insert(
        "certs".into(),
        vec![
            "certs/a.pem".into(),
            "certs/b.jks".into(),
            "certs/notes.txt".into(),
        ],
    );
    host.env.insert("STORE".into(), "storepw1".into());
    let o = ops::expiry::Options {
        paths: vec!["certs".into(), "gone.p12".into()],
        within_days: 30,
        passwords: vec![Source::Env("STORE".into())],
    };
    let report = ops::expiry::run(&host, &o).unwrap();
    let files: Vec<&str> = report
        .certificates
        .iter()
        .map(|r| r.file.as_str())
        .collect();
    assert!(
        files.contains(&"certs/a.pem") && files.contains(&"certs/b.jks"),
        "{files:?}"
    );
    // A file found in a folder that is no keystore is passed over, not a problem.
    assert_eq!(
        (report.files, report.problems.len()),
        (2, 0),
        "{:?}",
        report.problems
    );
    assert_eq!(report.missing, ["gone.p12"]);
}

// ---- ops::exchange through a Transport: the core builds and reads, the front end sends ----

mod transport {
    use std::cell::RefCell;
    use std::time::Duration;

    use certkit_core::assertion::{ClaimFlags, Profile};
    use certkit_core::error::NetStep;
    use certkit_core::http::{Answer, Transport};
    use certkit_core::jws::{self, Alg};
    use certkit_core::open::Input;
    use certkit_core::ops::exchange::{self, Options, Outcome, GRANT_TYPE};
    use certkit_core::ops::preflight;
    use certkit_core::rules::Status;
    use certkit_core::secret::SecretBytes;
    use certkit_core::{Error, Result};

    const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";
    const TOKEN_URL: &str = "https://oauth2.googleapis.com/token";

    /// One request as the transport was given it.
    struct Sent {
        url: String,
        form: Vec<(String, String)>,
        timeout: Duration,
    }

    /// A transport that records each request and answers with `reply`: no socket.
    struct Fake<F: Fn() -> Result<Answer>> {
        reply: F,
        sent: RefCell<Vec<Sent>>,
    }

    impl<F: Fn() -> Result<Answer>> Fake<F> {
        fn new(reply: F) -> Self {
            Fake {
                reply,
                sent: RefCell::new(Vec::new()),
            }
        }
    }

    impl<F: Fn() -> Result<Answer>> Transport for Fake<F> {
        fn post_form(&self, url: &str, form: &SecretBytes, timeout: Duration) -> Result<Answer> {
            let text = std::str::from_utf8(form.expose()).expect("the form is ASCII");
            let form = text
                .split('&')
                .map(|pair| {
                    let (name, value) = pair.split_once('=').expect("name=value");
                    (name.to_string(), form_decode(value))
                })
                .collect();
            self.sent.borrow_mut().push(Sent {
                url: url.to_string(),
                form,
                timeout,
            });
            (self.reply)()
        }
    }

    /// `application/x-www-form-urlencoded` decoding of one value.
    fn form_decode(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
                    out.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 2;
                }
                c => out.push(c),
            }
            i += 1;
        }
        String::from_utf8(out).unwrap()
    }

    fn answer(status: u16, body: &str) -> Result<Answer> {
        Ok(Answer {
            status,
            body: SecretBytes::new(body.as_bytes().to_vec()),
            location: None,
        })
    }

    /// The keys the exchange reads, in memory: the front end has no files here either.
    fn host() -> super::Memory {
        super::memory_with(&[("keys/google.json", "google-sample.json")])
    }

    fn google_options() -> Options {
        Options {
            input: Input::new("keys/google.json"),
            entry: None,
            profile: Profile::Google,
            alg: Alg::RS256,
            claims: ClaimFlags {
                scope: Some(SCOPE.into()),
                ..ClaimFlags::default()
            },
            token_url: None,
            scope_param: None,
            dry_run: false,
            timeout: Duration::from_secs(7),
            cert: None,
            metadata: None,
        }
    }

    /// A front end that cannot block on a Transport (a browser's fetch): it prepares the
    /// request, sends it its own way, and finishes with the answer.
    #[test]
    fn a_front_end_that_sends_the_request_itself_prepares_then_finishes() {
        let host = host();
        let o = google_options();
        let opened = certkit_core::open::open(&host, &o.input, true).unwrap();
        let entry = opened
            .ks
            .select(None, certkit_core::model::Want::PrivateKey)
            .unwrap();
        let prepared = exchange::prepare(&host, &o, &entry, &opened.ks).expect("prepared");
        assert_eq!(prepared.url, TOKEN_URL);
        let names: Vec<&str> = prepared.headers.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["Content-Type", "Accept", "User-Agent"]);
        let form = std::str::from_utf8(prepared.form.expose())
            .unwrap()
            .to_string();
        let fields: Vec<(&str, String)> = form
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k, form_decode(v))
            })
            .collect();
        assert_eq!(fields[0], ("grant_type", GRANT_TYPE.to_string()));
        let decoded = jws::decode(&fields[1].1).expect("a signed assertion");
        assert_eq!(decoded.claims["aud"], TOKEN_URL);
        let answer = Answer {
            status: 200,
            body: SecretBytes::new(br#"{"access_token":"ya29.x","token_type":"Bearer"}"#.to_vec()),
            location: None,
        };
        let report = exchange::finish(&o, prepared, &answer).expect("finished");
        assert_eq!(report.outcome, Outcome::Token);
        assert_eq!(
            report
                .access_token
                .map(|t| t.expose().to_string())
                .as_deref(),
            Some("ya29.x")
        );
    }

    #[test]
    fn exchange_sends_the_signed_assertion_through_the_transport_and_reads_the_token() {
        let fake = Fake::new(|| {
            answer(
                200,
                r#"{"access_token":"ya29.fake-token","token_type":"Bearer","expires_in":3599}"#,
            )
        });
        let report = exchange::run(&host(), &google_options(), &fake).expect("exchange");
        assert_eq!(report.outcome, Outcome::Token);
        assert_eq!(report.status, Some(200));
        let granted = report.granted.as_ref().expect("granted");
        assert_eq!(granted.token_type.as_deref(), Some("Bearer"));
        assert_eq!(
            report.access_token.as_ref().map(|t| t.expose()),
            Some("ya29.fake-token")
        );

        // One request, to the JSON key's token_uri, with the grant and a signed assertion.
        let sent = fake.sent.borrow();
        assert_eq!(sent.len(), 1);
        let s = &sent[0];
        assert_eq!(s.url, TOKEN_URL);
        assert_eq!(s.timeout, Duration::from_secs(7));
        let names: Vec<&str> = s.form.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["grant_type", "assertion"]);
        assert_eq!(s.form[0].1, GRANT_TYPE);
        let decoded = jws::decode(&s.form[1].1).expect("the assertion is a JWT");
        assert_eq!(decoded.claims["aud"], TOKEN_URL);
        assert_eq!(
            decoded.claims["iss"],
            "certkit-sample@certkit-demo.iam.gserviceaccount.com"
        );
        assert_eq!(decoded.claims["scope"], SCOPE);
        // Signed with the key: the sample's certificate verifies it.
        let cert = super::testdata("google-sample.crt.der");
        let public = certkit_core::x509::cert_public_key(&cert).unwrap();
        assert!(jws::verify(&decoded, &public).unwrap());
        // The request the report shows is the one sent.
        assert_eq!(report.request.url, s.url);
        let shown: Vec<&str> = report.request.form.iter().map(|f| f.name).collect();
        assert_eq!(shown, names);
    }

    #[test]
    fn exchange_sends_the_scope_form_parameter_when_asked() {
        let fake = Fake::new(|| {
            answer(
                400,
                r#"{"error":"invalid_scope","error_description":"Invalid downscoping"}"#,
            )
        });
        let o = Options {
            scope_param: Some("a b".into()),
            token_url: Some("http://127.0.0.1:9/token".into()),
            ..google_options()
        };
        let report = exchange::run(&host(), &o, &fake).expect("exchange");
        assert_eq!(report.outcome, Outcome::Refused);
        let sent = fake.sent.borrow();
        assert_eq!(sent[0].url, "http://127.0.0.1:9/token");
        assert_eq!(sent[0].form[2], ("scope".to_string(), "a b".to_string()));
    }

    #[test]
    fn a_refusal_through_the_transport_is_diagnosed() {
        let fake = Fake::new(|| {
            answer(
                400,
                r#"{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"#,
            )
        });
        let report = exchange::run(&host(), &google_options(), &fake).expect("exchange");
        assert_eq!(report.outcome, Outcome::Refused);
        assert_eq!(report.status, Some(400));
        let error = report.error.as_ref().expect("the provider's error");
        assert_eq!(error.error, "invalid_grant");
        assert!(!report.unknown);
        assert!(
            report
                .diagnosis
                .iter()
                .any(|m| m.entry.description == "Invalid JWT Signature."),
            "{:?}",
            report
                .diagnosis
                .iter()
                .map(|m| m.entry.id)
                .collect::<Vec<_>>()
        );
        assert!(report.access_token.is_none());
    }

    #[test]
    fn an_answer_that_is_not_a_token_endpoints_is_a_network_error_at_the_answer_step() {
        let fake = Fake::new(|| answer(502, "<html>Bad Gateway</html>"));
        let e = exchange::run(&host(), &google_options(), &fake).expect_err("an error");
        assert!(matches!(
            e,
            Error::Network {
                step: NetStep::Answer,
                ..
            }
        ));
        assert_eq!(e.kind().name(), "not_token_endpoint_answer");
        assert!(
            e.to_string().contains("HTTP 502 Bad Gateway, an HTML page"),
            "{e}"
        );
    }

    #[test]
    fn the_transports_network_error_is_the_exchanges() {
        let fake = Fake::new(|| {
            Err(Error::Network {
                step: NetStep::Connection,
                url: TOKEN_URL.into(),
                detail: "connection refused (nothing listens there)".into(),
            })
        });
        let e = exchange::run(&host(), &google_options(), &fake).expect_err("an error");
        assert!(matches!(
            e,
            Error::Network {
                step: NetStep::Connection,
                ..
            }
        ));
        assert_eq!(fake.sent.borrow().len(), 1);
    }

    #[test]
    fn a_dry_run_and_a_url_that_is_not_https_send_nothing() {
        let fake = Fake::new(|| panic!("nothing is sent"));
        let o = Options {
            dry_run: true,
            ..google_options()
        };
        let report = exchange::run(&host(), &o, &fake).expect("dry run");
        assert_eq!(report.outcome, Outcome::DryRun);
        for url in [
            "http://example.com/token",
            "http://127.0.0.1@evil.example/token",
        ] {
            let o = Options {
                token_url: Some(url.into()),
                ..google_options()
            };
            let e = exchange::run(&host(), &o, &fake).expect_err("refused");
            assert!(matches!(e, Error::Invalid(_)), "{url}: {e}");
        }
        assert!(fake.sent.borrow().is_empty());
    }

    #[test]
    fn preflight_live_sends_through_the_transport() {
        let fake = Fake::new(|| {
            answer(
                400,
                r#"{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"#,
            )
        });
        let o = preflight::Options {
            input: Input::new("keys/google.json"),
            target: preflight::Target::Google,
            entry: None,
            cert: None,
            warn_days: 30,
            password_policy: certkit_core::rules::salesforce::PasswordPolicy::Salesforce,
            alg: Alg::RS256,
            claims: ClaimFlags {
                scope: Some(SCOPE.into()),
                ..ClaimFlags::default()
            },
            live: Some(preflight::Live {
                token_url: None,
                timeout: Duration::from_secs(5),
            }),
            metadata: None,
        };
        let report = preflight::run(&host(), &o, &fake).expect("preflight");
        let live = report
            .checks
            .iter()
            .find(|c| c.rule == exchange::LIVE)
            .expect("the live check");
        assert_eq!(live.status, Status::Fail);
        assert_eq!(fake.sent.borrow().len(), 1);
        assert_eq!(fake.sent.borrow()[0].url, TOKEN_URL);
    }
}

/// The way a front end that cannot wait at a prompt (a web page) opens a keystore: the
/// operation says which password it needs, the front end asks in its own way and runs it
/// again with the answer given.
#[test]
fn a_front_end_that_cannot_prompt_is_told_which_password_and_gives_it() {
    use certkit_core::error::{Error, WhichPassword};
    let host = memory_with(&[("store.jks", "keytool-store.jks")]);
    assert!(!certkit_core::host::Host::can_prompt(&host));
    let first = certkit_core::open::open(&host, &Input::new("store.jks"), true);
    assert!(
        matches!(
            first,
            Err(Error::PasswordRequired {
                which: WhichPassword::Store,
                ..
            })
        ),
        "{:?}",
        first.err()
    );
    let mut input = Input::new("store.jks");
    input.password = Some(Source::Given(Password::new("storepw1".into())));
    let opened = certkit_core::open::open(&host, &input, true).expect("opens with it");
    assert_eq!(opened.ks.entries.len(), 1);
    input.password = Some(Source::Given(Password::new(String::new())));
    assert!(matches!(
        certkit_core::open::open(&host, &input, true),
        Err(Error::PasswordRequired { .. })
    ));
    assert!(host.prompts.borrow().is_empty());
}

#[test]
fn convert_to_pem_writes_the_key_and_the_certificates_to_their_own_files() {
    let host = memory_with(&[("in/google.p12", "google-sample.p12")]);
    let o = ops::convert::Options::new(
        vec![Input::new("in/google.p12")],
        Destination::Pem(PemFiles::Split {
            key: "out/sa.key".into(),
            certs: "out/sa.crt".into(),
            encrypt_key: false,
        }),
    );
    let report = ops::convert::run(&host, &o).expect("convert");
    assert_eq!(report.outputs, ["out/sa.key", "out/sa.crt"]);
    assert!(report.key_unencrypted);
    let written = host.written.borrow();
    let key = &written[std::path::Path::new("out/sa.key")];
    let crt = &written[std::path::Path::new("out/sa.crt")];
    assert!(key.0.starts_with(b"-----BEGIN PRIVATE KEY-----\n"));
    assert!(crt.0.starts_with(b"-----BEGIN CERTIFICATE-----\n"));
    assert!(
        !key.0.contains(&b'\r') && !crt.0.contains(&b'\r'),
        "PEM with LF"
    );
    assert_eq!((key.1, crt.1), (Access::Private, Access::Private));
    // The certificate is the sample's, byte for byte.
    assert_eq!(crt.0, testdata("google-sample.crt.pem"));
}

#[test]
fn an_existing_output_is_refused_before_anything_is_read_or_written() {
    let host = memory_with(&[
        ("in/google.p12", "google-sample.p12"),
        ("out.jks", "keytool-store.jks"),
    ]);
    let o = ops::convert::Options::new(
        vec![Input::new("in/google.p12")],
        Destination::Jks("out.jks".into()),
    );
    let e = ops::convert::run(&host, &o).expect_err("refused");
    assert!(
        matches!(e, certkit_core::Error::OutputExists(ref p) if p.as_path() == std::path::Path::new("out.jks")),
        "{e}"
    );
    assert!(host.written.borrow().is_empty() && host.prompts.borrow().is_empty());
}

/// A front end that is not the command line (a web page's form) builds the destination
/// itself: DER, the certificate and the key to files of their own, then a legacy PKCS#12.
#[test]
fn a_destination_built_in_code_converts_over_the_host() {
    let mut host = memory_with(&[
        ("in/sa.key", "google-sample.key.pem"),
        ("in/sa.crt", "google-sample.crt.pem"),
    ]);
    host.env.insert("OUT".into(), "Abcd1234".into());
    let inputs = vec![Input::new("in/sa.key"), Input::new("in/sa.crt")];
    let der = Destination::Der(DerFiles::Both {
        cert: "out/sa.cer".into(),
        key: "out/sa.der".into(),
        encrypt_key: false,
    });
    assert_eq!(der.target(), Target::Der);
    let report =
        ops::convert::run(&host, &ops::convert::Options::new(inputs.clone(), der)).expect("DER");
    assert_eq!(report.format, Target::Der);
    assert_eq!(report.outputs, ["out/sa.cer", "out/sa.der"]);
    assert!(report.key_unencrypted);
    {
        let written = host.written.borrow();
        let file = |p: &str| &written[std::path::Path::new(p)].0;
        assert_eq!(file("out/sa.cer"), &testdata("google-sample.crt.der"));
        assert_eq!(file("out/sa.der"), &testdata("google-sample.key.der"));
    }
    let p12 = ops::convert::Options {
        alias: Some("sa".into()),
        out_password: OutPassword {
            source: Some(Source::Env("OUT".into())),
            ..OutPassword::default()
        },
        ..ops::convert::Options::new(
            inputs,
            Destination::Pkcs12 {
                path: "out/sa.p12".into(),
                legacy: true,
            },
        )
    };
    let report = ops::convert::run(&host, &p12).expect("PKCS#12");
    assert_eq!(report.protection, Some("3DES, HMAC-SHA1 (legacy)"));
    assert_eq!(report.password, Some("given"));
    let written = host.written.borrow();
    let ks = formats::read(
        &written[std::path::Path::new("out/sa.p12")].0,
        "out/sa.p12",
        Some(&Password::new("Abcd1234".into())),
    )
    .expect("the PKCS#12 opens with its password");
    assert_eq!((ks.entries.len(), ks.entries[0].alias.as_str()), (1, "sa"));
    assert!(ks.entries[0].is_private_key());
    assert!(host.prompts.borrow().is_empty());
}

/// The key's file and the certificates' file are two, whichever way they were named: the
/// same path twice is refused before any input is read (the inputs here do not exist).
#[test]
fn one_file_for_the_key_and_the_certificates_is_refused_before_any_input_is_read() {
    let host = Memory::default();
    let same = std::path::PathBuf::from("out/same");
    for destination in [
        Destination::Pem(PemFiles::Split {
            key: same.clone(),
            certs: same.clone(),
            encrypt_key: false,
        }),
        Destination::Der(DerFiles::Both {
            cert: same.clone(),
            key: same.clone(),
            encrypt_key: false,
        }),
    ] {
        let o = ops::convert::Options::new(vec![Input::new("in/missing.p12")], destination);
        let e = ops::convert::run(&host, &o).expect_err("refused");
        assert_eq!(
            e.to_string(),
            "the key and the certificates need two different files"
        );
    }
    assert!(host.written.borrow().is_empty());
}

/// PEM certificates alone: inputs with a private key are refused (no file is named for it),
/// inputs of certificates are written.
#[test]
fn pem_certificates_alone_refuse_a_key_and_write_certificates() {
    let host = memory_with(&[
        ("in/sa.key", "google-sample.key.pem"),
        ("in/sa.crt", "google-sample.crt.pem"),
    ]);
    let certs = || Destination::Pem(PemFiles::Certs("out/sa.crt".into()));
    let both = vec![Input::new("in/sa.key"), Input::new("in/sa.crt")];
    let e = ops::convert::run(&host, &ops::convert::Options::new(both, certs()))
        .expect_err("a key with no file");
    assert!(
        e.to_string().starts_with("the inputs hold a private key"),
        "{e}"
    );
    assert!(host.written.borrow().is_empty());
    let report = ops::convert::run(
        &host,
        &ops::convert::Options::new(vec![Input::new("in/sa.crt")], certs()),
    )
    .expect("certificates");
    assert_eq!(report.outputs, ["out/sa.crt"]);
    assert!(!report.key_unencrypted);
    assert_eq!(
        host.written.borrow()[std::path::Path::new("out/sa.crt")].0,
        testdata("google-sample.crt.pem")
    );
}

#[test]
fn selfsign_writes_a_key_a_certificate_and_a_jks_that_hold_one_pair() {
    let mut host = Memory::default();
    host.env.insert("PW".into(), "selfsig1".into());
    let o = ops::selfsign::Options {
        spec: certkit_core::certgen::CertSpec {
            common_name: "certkit in memory".into(),
            days: 365,
            ..certkit_core::certgen::CertSpec::default()
        },
        key_size: 2048,
        allow_long_validity: false,
        files: ops::selfsign::Files {
            out_dir: "out".into(),
            name: Some("mem".into()),
            encrypt_key: false,
            jks: true,
            p12: false,
            legacy_p12: false,
            out_password: OutPassword {
                source: Some(Source::Env("PW".into())),
                ..OutPassword::default()
            },
            force: false,
        },
    };
    let report = ops::selfsign::run(&host, &o).expect("selfsign");
    let written = host.written.borrow();
    let jks_path = report.written.jks.clone().expect("a JKS");
    assert_eq!(written.len(), 3, "{:?}", written.keys());
    let pw = Password::new("selfsig1".into());
    let mut ks = formats::read(
        &written[std::path::Path::new(&jks_path)].0,
        "mem.jks",
        Some(&pw),
    )
    .expect("the JKS opens with its password");
    formats::open_keys(&mut ks, &pw).expect("its key opens with the same password");
    let entry = &ks.entries[0];
    assert_eq!(entry.alias, report.written.alias);
    let leaf = entry.leaf().expect("a certificate");
    assert_eq!(
        certkit_core::x509::common_name(&leaf.0).as_deref(),
        Some("certkit in memory")
    );
    let pkcs8 = entry.pkcs8().expect("an open key");
    assert_eq!(
        certkit_core::x509::matches_key(&leaf.0, pkcs8.expose()),
        Some(true)
    );
}

#[test]
fn kid_of_a_google_json_key_is_its_private_key_id() {
    let host = memory_with(&[("sa.json", "google-sample.json")]);
    let o = ops::kid::Options {
        input: Input::new("sa.json"),
        entry: None,
        jwk: true,
        alg: None,
        metadata: None,
    };
    let report = ops::kid::run(&host, &o).expect("kid");
    assert_eq!(
        report.ids.google_key_id.as_deref(),
        Some(GOOGLE_SAMPLE_KEY_ID)
    );
    let jwk = report.jwk.expect("a JWK");
    assert_eq!(
        (jwk["kty"].as_str(), jwk["e"].as_str()),
        (Some("RSA"), Some("AQAB"))
    );
    assert!(jwk.get("d").is_none(), "a public JWK: {jwk}");
}

#[test]
fn inspect_lists_every_entry_of_a_keystore_opened_with_the_password_given() {
    let mut host = memory_with(&[("multi.jks", "keytool-multi.jks")]);
    host.env.insert("STORE".into(), "storepw1".into());
    let mut input = Input::new("multi.jks");
    input.password = Some(Source::Env("STORE".into()));
    let report = ops::inspect::run(&host, &input).expect("inspect");
    let aliases: Vec<&str> = report.entries.iter().map(|e| e.alias.as_str()).collect();
    assert_eq!(aliases, ["trusted-ca", "alpha", "beta"]);
    assert_eq!(report.format, "JKS");
}
