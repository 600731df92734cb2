//! The page's operations natively: the same function the page calls through WebAssembly,
//! with the same requests. The browser tests (tests/web) drive the page itself; these pin
//! the boundary: answers, errors and the password round trip.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::{json, Value};

fn testdata(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../testdata/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn file(name: &str) -> Value {
    json!({ "name": name, "base64": B64.encode(testdata(name)) })
}

fn run(command: &str, request: Value) -> Value {
    serde_json::from_str(&certkit_web::api::run(command, &request.to_string())).unwrap()
}

fn bytes(f: &Value) -> Vec<u8> {
    B64.decode(f["base64"].as_str().unwrap()).unwrap()
}

#[test]
fn a_google_p12_becomes_one_private_jks_with_a_generated_password() {
    let a = run(
        "p12-to-jks",
        json!({ "files": [file("google-sample.p12")], "input": "google-sample.p12", "generate_password": true }),
    );
    assert_eq!(a["ok"], true, "{a}");
    let files = a["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["name"], "google-sample.jks");
    assert_eq!(files[0]["private"], true);
    assert_eq!(&bytes(&files[0])[..4], &[0xFE, 0xED, 0xFE, 0xED], "a JKS");
    let pw = a["report"]["generated_password"].as_str().unwrap();
    assert_eq!(pw.chars().count(), 8);
}

#[test]
fn a_keystore_that_needs_a_password_names_the_field_and_opens_with_it() {
    let req = |pw: Option<&str>| {
        let mut r = json!({ "files": [file("keytool-store.jks")], "input": "keytool-store.jks", "generate_password": true });
        if let Some(p) = pw {
            r["password"] = json!(p);
        }
        r
    };
    let a = run("p12-to-jks", req(None));
    assert_eq!(a["ok"], false);
    assert_eq!(a["error"]["kind"], "password_required", "{}", a["error"]);
    assert_eq!(a["error"]["field"], "password");
    let a = run("p12-to-jks", req(Some("wrong-one")));
    assert_eq!(a["error"]["kind"], "wrong_password", "{}", a["error"]);
    assert_eq!(a["error"]["field"], "password");
    let a = run("p12-to-jks", req(Some("storepw1")));
    assert_eq!(a["ok"], true, "{}", a["error"]);
    assert_eq!(a["report"]["alias"], "mykey");
}

#[test]
fn a_key_with_its_own_password_and_a_store_of_several_keys_are_asked_about_in_their_fields() {
    let keypass = |key_pw: Option<&str>| {
        let mut r = json!({ "files": [file("keytool-keypass.jks")], "input": "keytool-keypass.jks", "password": "storepw1", "generate_password": true });
        if let Some(p) = key_pw {
            r["key_password"] = json!(p);
        }
        run("p12-to-jks", r)
    };
    let a = keypass(None);
    assert_eq!(a["error"]["kind"], "wrong_password", "{}", a["error"]);
    assert_eq!(a["error"]["field"], "key_password");
    assert_eq!(keypass(Some("keypass2"))["ok"], true);

    let multi = |entry: Option<&str>| {
        let mut r = json!({ "files": [file("keytool-multi.jks")], "input": "keytool-multi.jks", "password": "storepw1", "generate_password": true });
        if let Some(e) = entry {
            r["entry"] = json!(e);
        }
        run("p12-to-jks", r)
    };
    let a = multi(None);
    assert_eq!(a["error"]["field"], "entry", "{}", a["error"]);
    assert!(a["error"]["message"].as_str().unwrap().contains("\"beta\""));
    let a = multi(Some("beta"));
    assert_eq!(a["ok"], true, "{}", a["error"]);
    assert_eq!(a["report"]["key"]["bits"], 3072);
}

#[test]
fn the_page_s_errors_name_its_fields_never_a_command_line_flag() {
    // An alias Salesforce refuses, a password outside the policy, a file that is no
    // keystore: each error says what to change in the page's words.
    let cases = [
        ("selfsign", json!({ "common_name": "x", "days": 99999 })),
        (
            "p12-to-jks",
            json!({ "files": [file("google-sample.p12")], "input": "google-sample.p12", "out_password": "x" }),
        ),
        (
            "p12-to-jks",
            json!({ "files": [file("google-sample.p12")], "input": "google-sample.p12" }),
        ),
        ("selfsign", json!({ "common_name": "" })),
        (
            "inspect",
            json!({ "files": [{ "name": "notes.txt", "base64": B64.encode(b"hello") }], "input": "notes.txt" }),
        ),
    ];
    for (command, req) in cases {
        let a = run(command, req.clone());
        assert_eq!(a["ok"], false, "{command}: {}", a["report"]);
        let msg = a["error"]["message"].as_str().unwrap();
        assert!(!msg.is_empty());
        assert!(
            !msg.contains(" --"),
            "{command}: a flag in the page's message: {msg}"
        );
    }
    // The one that needs an output password points at its field.
    let a = run(
        "p12-to-jks",
        json!({ "files": [file("google-sample.p12")], "input": "google-sample.p12" }),
    );
    assert_eq!(a["error"]["kind"], "password_required");
    assert_eq!(a["error"]["field"], "out_password");
}

#[test]
fn bad_requests_are_errors_not_panics() {
    for (command, request) in [
        ("no-such-command", "{}"),
        ("inspect", "not json"),
        ("inspect", "{}"),
        (
            "inspect",
            r#"{"files": [{"name": "a", "base64": "%%%"}], "input": "a"}"#,
        ),
        ("inspect", r#"{"input": "missing.jks"}"#),
        ("verify", r#"{"token": "a.b"}"#),
        ("explain", r#"{"text": ""}"#),
        ("kid", r#"{"inputs": []}"#),
        ("metadata", r#"{"input": "x", "profile": "nobody"}"#),
    ] {
        let a: Value = serde_json::from_str(&certkit_web::api::run(command, request)).unwrap();
        // Every one of these fails; an empty text to explain is a report: "not recognised".
        if command == "explain" {
            assert_eq!(a["ok"], true, "{a}");
            assert_eq!(a["report"]["matches"], json!([]));
            continue;
        }
        assert_eq!(a["ok"], false, "{command} {request}: {a}");
        assert!(
            a["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{a}"
        );
        assert!(a["error"]["kind"].is_string());
    }
}

#[test]
fn the_metadata_zip_is_the_same_bytes_for_the_same_request() {
    let req = json!({
        "files": [file("google-sample.p12")], "input": "google-sample.p12", "profile": "google",
        "scope": "https://www.googleapis.com/auth/bigquery", "name": "Google_BQ"
    });
    let a = run("metadata", req.clone());
    let b = run("metadata", req);
    assert_eq!(a["ok"], true, "{a}");
    assert_eq!(a["files"][0]["name"], "Google_BQ-sfdx.zip");
    assert_eq!(a["files"][0]["private"], false);
    let (za, zb) = (bytes(&a["files"][0]), bytes(&b["files"][0]));
    assert_eq!(&za[..4], b"PK\x03\x04");
    assert_eq!(za, zb);
}

#[test]
fn selfsign_offers_the_certificate_as_public_and_the_key_and_the_jks_as_private() {
    let a = run(
        "selfsign",
        json!({ "common_name": "web test", "jks": true, "generate_password": true, "days": 30 }),
    );
    assert_eq!(a["ok"], true, "{a}");
    let names: Vec<_> = a["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["web_test.crt", "web_test.key", "web_test.jks"]);
    let private: Vec<_> = a["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["private"].as_bool().unwrap())
        .collect();
    assert_eq!(
        private,
        [false, true, true],
        "the certificate is the one to upload"
    );
    let key = String::from_utf8(bytes(&a["files"][1])).unwrap();
    assert!(key.starts_with("-----BEGIN PRIVATE KEY-----\n") && !key.contains('\r'));
}

#[test]
fn verify_never_sends_the_pasted_token_back() {
    let token = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln";
    let a = run(
        "verify",
        json!({ "files": [file("google-sample.crt.pem")], "cert": "google-sample.crt.pem", "token": token, "profile": "google" }),
    );
    assert_eq!(a["ok"], true, "{a}");
    assert!(
        !a.to_string().contains("c2ln"),
        "the token's signature is in the answer"
    );
}

#[test]
fn each_setting_an_error_names_is_a_field_of_the_page_labelled_with_its_words() {
    let html = std::fs::read_to_string(format!(
        "{}/../../web/index.html",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let mut checked = 0;
    for &s in certkit_core::setting::Setting::ALL {
        let Some(name) = certkit_web::api::field_name(s) else {
            continue;
        };
        // Every field of that name (several views share one) has a label with the words.
        let mut found = 0;
        for (i, _) in html.match_indices(&format!("name=\"{name}\"")) {
            let tag_start = html[..i].rfind('<').unwrap();
            let tag = &html[tag_start..i];
            let id = tag
                .split("id=\"")
                .nth(1)
                .and_then(|t| t.split('"').next())
                .expect("the field has an id");
            let label_at = html
                .find(&format!("<label for=\"{id}\">"))
                .unwrap_or_else(|| panic!("no label for {id}"));
            let text = &html[label_at..][format!("<label for=\"{id}\">").len()..];
            assert!(
                text.to_lowercase()
                    .starts_with(&certkit_web::api::page_label(s).to_lowercase()),
                "{id}'s label does not begin with \"{}\": {}",
                certkit_web::api::page_label(s),
                &text[..text.find('<').unwrap_or(40)]
            );
            found += 1;
        }
        assert!(found > 0, "no field named {name} for {s:?}");
        checked += 1;
    }
    assert!(checked >= 8);
}

#[test]
fn the_entry_and_certificate_fields_reach_every_operation_that_reads_a_key() {
    let multi = |command: &str, entry: Option<&str>| {
        let mut r = json!({
            "files": [file("keytool-multi.jks")], "input": "keytool-multi.jks", "inputs": ["keytool-multi.jks"],
            "password": "storepw1", "profile": "generic", "iss": "i", "sub": "s", "aud": "https://a.example",
            "token_url": "https://a.example/token", "url": "https://api.example"
        });
        if let Some(e) = entry {
            r["entry"] = json!(e);
        }
        run(command, r)
    };
    for command in ["kid", "metadata"] {
        let a = multi(command, None);
        assert_eq!(a["error"]["field"], "entry", "{command}: {}", a["error"]);
        let a = multi(command, Some("beta"));
        assert_eq!(a["ok"], true, "{command}: {}", a["error"]);
    }
    // A PEM key and its certificate from two picked files.
    let a = run(
        "p12-to-jks",
        json!({
            "files": [file("openssl-modern.key.pem"), file("openssl-modern.crt.pem")],
            "input": "openssl-modern.key.pem", "cert": "openssl-modern.crt.pem", "generate_password": true
        }),
    );
    assert_eq!(a["ok"], true, "{}", a["error"]);
    assert_eq!(
        a["report"]["certificate"]["subject"],
        "CN=openssl modern test, O=certkit"
    );
}
