//! Snapshots (insta) of what users read: every command's `--help`, each kind of error
//! message with its exit code, and the shape of each `--json` report. A change of wording
//! or of a JSON field shows up as a snapshot diff to review (`INSTA_UPDATE=always cargo
//! test` rewrites them; `git diff tests/all/snapshots` shows what changed).
//!
//! Inputs are copied into the sandbox and named relatively, so no snapshot holds a path of
//! this machine; values that change with the keys or the clock (fingerprints, dates) are
//! not in the JSON snapshots, only field names, types and the values that name a kind.

use serde_json::{Map, Value};

use crate::common::{td, Run, Sandbox, COMMANDS};

#[test]
fn help_of_certkit_and_of_every_command() {
    let sb = Sandbox::new();
    let top = sb.certkit(&["--help"]);
    top.ok();
    insta::assert_snapshot!("help_certkit", top.stdout);
    for cmd in COMMANDS {
        let r = sb.certkit(&[cmd, "--help"]);
        r.ok();
        insta::assert_snapshot!(format!("help_{cmd}"), r.stdout);
    }
}

#[test]
fn every_command_has_examples_in_its_long_help() {
    let sb = Sandbox::new();
    for cmd in COMMANDS {
        let r = sb.certkit(&[cmd, "--help"]);
        assert!(r.stdout.contains("Examples:\n  "), "{cmd} --help");
        assert!(r.stdout.contains("certkit "), "{cmd} --help");
    }
}

/// A sandbox holding the fixtures the error cases use, under short relative names.
fn fixtures() -> Sandbox {
    let sb = Sandbox::new();
    for (fixture, name) in [
        ("keytool-store.jks", "store.jks"),
        ("keytool-multi.jks", "multi.jks"),
        ("keytool-keypass.jks", "keypass.jks"),
        ("google-sample.p12", "sample.p12"),
        ("google-1024.p12", "old-1024.p12"),
        ("ec-key.p12", "ec.p12"),
        ("openssl-nomac-noname.p12", "nomac.p12"),
        ("google-sample.json", "sample.json"),
        ("google-sample.crt.pem", "sample.crt"),
        ("other-2048.key.pem", "other.key"),
        ("other-2048.crt.pem", "other.crt"),
    ] {
        std::fs::copy(td(fixture), sb.path(name)).expect("copy fixture");
    }
    let jks = std::fs::read(sb.path("store.jks")).unwrap();
    std::fs::write(sb.path("cut.jks"), &jks[..jks.len() / 2]).unwrap();
    std::fs::write(sb.path("junk.bin"), "this is not a keystore\n").unwrap();
    std::fs::write(sb.path("exists.jks"), "keep me").unwrap();
    sb.secret("wrong.pw", "wrongpw1");
    sb.secret("store.pw", "storepw1");
    sb.secret("changeit.pw", "changeit");
    sb.secret("out.pw", "abc12345");
    sb.secret("long.pw", "much-too-long-for-salesforce");
    sb
}

fn shown(r: &Run) -> String {
    let mut s = format!("exit {}\n--- stderr\n{}", r.code, r.stderr);
    if !r.stdout.is_empty() {
        s.push_str(&format!("--- stdout\n{}", r.stdout));
    }
    s
}

#[test]
fn error_messages_with_their_exit_codes() {
    let sb = fixtures();
    let cases: &[(&str, &[&str])] = &[
        (
            "wrong_store_password",
            &["inspect", "store.jks", "--password-file", "wrong.pw"],
        ),
        (
            "wrong_key_password",
            &[
                "p12-to-jks",
                "keypass.jks",
                "-o",
                "new.jks",
                "--password-file",
                "store.pw",
                "--out-password-file",
                "out.pw",
            ],
        ),
        ("damaged_file", &["inspect", "junk.bin"]),
        ("truncated_jks", &["inspect", "cut.jks"]),
        (
            "unsupported_ec_key",
            &[
                "p12-to-jks",
                "ec.p12",
                "--password-file",
                "changeit.pw",
                "--out-password-file",
                "out.pw",
            ],
        ),
        (
            "rule_refused_1024_bit_key",
            &[
                "p12-to-jks",
                "old-1024.p12",
                "--out-password-file",
                "out.pw",
            ],
        ),
        (
            "rule_refused_password_policy",
            &[
                "p12-to-jks",
                "sample.p12",
                "-o",
                "new.jks",
                "--out-password-file",
                "long.pw",
            ],
        ),
        (
            "output_exists",
            &[
                "p12-to-jks",
                "sample.p12",
                "-o",
                "exists.jks",
                "--out-password-file",
                "out.pw",
            ],
        ),
        ("folder_as_input", &["inspect", "."]),
        ("missing_file", &["inspect", "nowhere.p12"]),
        ("password_required", &["inspect", "nomac.p12"]),
        (
            "output_password_required",
            &["p12-to-jks", "sample.p12", "-o", "new.jks"],
        ),
        (
            "plain_password_argument",
            &["inspect", "store.jks", "--password", "storepw1"],
        ),
        ("unknown_entry", &["kid", "multi.jks", "--entry", "nope"]),
        (
            "several_private_keys",
            &[
                "p12-to-jks",
                "multi.jks",
                "-o",
                "new.jks",
                "--password-file",
                "store.pw",
                "--out-password-file",
                "out.pw",
            ],
        ),
        (
            "validity_over_ten_years",
            &["selfsign", "--cn", "org2", "--days", "4000"],
        ),
        (
            "cert_that_is_not_the_keys",
            &[
                "p12-to-jks",
                "other.key",
                "--cert",
                "sample.crt",
                "-o",
                "new.jks",
                "--out-password-file",
                "out.pw",
            ],
        ),
        (
            "token_on_the_command_line",
            &[
                "verify",
                "--token",
                "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl",
                "--cert",
                "sample.crt",
            ],
        ),
        ("unknown_flag", &["inspect", "store.jks", "--bogus"]),
        (
            "unknown_flag_json",
            &["inspect", "store.jks", "--bogus", "--json"],
        ),
        ("error_as_json", &["kid", "junk.bin", "--json"]),
        ("inspect_errors_json", &["inspect", "junk.bin", "--json"]),
        // completions and man print a script or a page, never a report: --json is refused.
        ("completions_json", &["completions", "bash", "--json"]),
        ("man_json", &["man", "--json"]),
    ];
    for (name, args) in cases {
        let r = sb.certkit(args);
        assert_ne!(r.code, 0, "{name}");
        crate::defects::assert_no_internal_error(&r);
        insta::assert_snapshot!(format!("error_{name}"), shown(&r));
    }
    assert_eq!(
        std::fs::read_to_string(sb.path("exists.jks")).unwrap(),
        "keep me"
    );
    for never in ["new.jks", "multi.jks.tmp"] {
        assert!(!sb.path(never).exists(), "{never} was written");
    }
}

/// Keys whose values name a kind (kept in the shape); every other value becomes its type.
const KIND_KEYS: [&str; 12] = [
    "id",
    "status",
    "format",
    "type",
    "integrity",
    "state",
    "profile",
    "target",
    "error",
    "key_algorithm",
    "google_key_id_source",
    "outcome",
];

/// The shape of a report: field names, value types, the values of [`KIND_KEYS`].
fn shape(v: &Value, key: Option<&str>) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), shape(v, Some(k))))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| shape(v, key)).collect()),
        Value::String(_) if key.is_some_and(|k| KIND_KEYS.contains(&k)) => v.clone(),
        Value::String(_) => Value::String("<string>".into()),
        Value::Number(_) => Value::String("<number>".into()),
        Value::Bool(_) | Value::Null => v.clone(),
    }
}

/// The `--json` reports of every command that makes one (completions and man refuse
/// `--json`: see [`error_messages_with_their_exit_codes`]), each with the exit code it
/// must have: a success, and a failing report where its shape differs.
#[test]
fn shape_of_every_json_report() {
    let sb = fixtures();
    let cases: &[(&str, &[&str], i32)] = &[
        (
            "inspect_jks",
            &["inspect", "store.jks", "--password-file", "store.pw"],
            0,
        ),
        ("inspect_google_json", &["inspect", "sample.json"], 0),
        (
            "p12_to_jks",
            &[
                "p12-to-jks",
                "sample.p12",
                "-o",
                "sample.jks",
                "--generate-password",
            ],
            0,
        ),
        (
            "selfsign",
            &["selfsign", "--cn", "org2", "--jks", "--generate-password"],
            0,
        ),
        ("kid_jwk", &["kid", "sample.p12", "--jwk"], 0),
        ("kid_jwks", &["kid", "sample.p12", "other.key", "--jwks"], 0),
        (
            "kid_metadata",
            &["kid", "other.key", "--metadata", "sample.crt"],
            1,
        ),
        (
            "verify_google",
            &[
                "verify",
                "sample.p12",
                "--profile",
                "google",
                "--scope",
                "https://www.googleapis.com/auth/bigquery",
            ],
            0,
        ),
        (
            "preflight_salesforce_import",
            &[
                "preflight",
                "multi.jks",
                "--target",
                "salesforce-import",
                "--password-file",
                "store.pw",
            ],
            1,
        ),
        (
            "preflight_google_json",
            &[
                "preflight",
                "sample.json",
                "--target",
                "google",
                "--scope",
                "https://www.googleapis.com/auth/bigquery",
            ],
            0,
        ),
        ("convert_p12_to_jks", &["convert", "sample.p12", "-o", "converted.jks"], 0),
        (
            "renew_pem",
            &[
                "renew",
                "other.key",
                "--cert",
                "other.crt",
                "--days",
                "400",
                "--out-dir",
                "renewed",
            ],
            0,
        ),
        ("expiry_ok", &["expiry", "sample.crt"], 0),
        ("expiry_within", &["expiry", "sample.crt", "--within", "36500d"], 1),
        ("expiry_missing_file", &["expiry", "sample.crt", "missing.crt"], 8),
        (
            "metadata_google",
            &[
                "metadata",
                "sample.json",
                "--profile",
                "google",
                "--scope",
                "https://www.googleapis.com/auth/bigquery",
                "--out-dir",
                "md",
            ],
            0,
        ),
        (
            "exchange_dry_run",
            &[
                "exchange",
                "sample.json",
                "--profile",
                "google",
                "--scope",
                "https://www.googleapis.com/auth/bigquery",
                "--dry-run",
            ],
            0,
        ),
        (
            "exchange_dry_run_offline_warning",
            &[
                "exchange",
                "other.key",
                "--profile",
                "generic",
                "--iss",
                "client",
                "--sub",
                "user",
                "--aud",
                "https://token.example/token",
                "--dry-run",
            ],
            0,
        ),
        (
            "explain_salesforce_exception",
            &[
                "explain",
                "Unable to complete the JWT token exchange. Error: invalid_grant. Error description: Invalid JWT Signature.",
            ],
            0,
        ),
        // An answer in no table: the checklist, exit 1.
        ("explain_unknown", &["explain", "something else entirely"], 1),
    ];
    for (name, args, code) in cases {
        let mut all = args.to_vec();
        all.push("--json");
        let r = sb.certkit(&all);
        assert_eq!(r.code, *code, "{name}: {}", shown(&r));
        let pretty = serde_json::to_string_pretty(&shape(&r.json(), None)).unwrap();
        insta::assert_snapshot!(format!("json_{name}"), pretty);
    }
}

/// `exchange --json` against a real token endpoint on loopback: the answer with a token
/// (authlib, RFC 7523) and a refusal replayed verbatim (Google's documented
/// `invalid_grant`), each report's shape with its exit code.
#[test]
fn shape_of_the_exchange_reports_against_loopback_endpoints() {
    let sb = fixtures();
    let iss = crate::support_jwt::google_client_email();
    let cert = td("google-sample.crt.pem");
    let user = "admin@example.com";
    let authlib = crate::servers::Server::start(
        &sb,
        "rfc7523",
        &["--cert", &cert, "--iss", &iss, "--sub", user],
    );
    let url = authlib.url("token");
    let r = sb.certkit(&[
        "exchange",
        "sample.p12",
        "--profile",
        "generic",
        "--iss",
        &iss,
        "--sub",
        user,
        "--aud",
        &url,
        "--json",
    ]);
    assert_eq!(r.code, 0, "{}", shown(&r));
    let pretty = serde_json::to_string_pretty(&shape(&r.json(), None)).unwrap();
    insta::assert_snapshot!("json_exchange_token", pretty);

    let answers = r#"[{"path": "refuse", "status": 400, "body": "{\"error\": \"invalid_grant\", \"error_description\": \"Invalid JWT Signature.\"}"}]"#;
    std::fs::write(sb.path("answers.json"), answers).unwrap();
    let replay =
        crate::servers::Server::start(&sb, "replay", &["--answers", &sb.p("answers.json")]);
    let url = replay.url("refuse");
    let r = sb.certkit(&[
        "exchange",
        "sample.p12",
        "--profile",
        "google",
        "--scope",
        "https://www.googleapis.com/auth/bigquery",
        "--token-url",
        &url,
        "--json",
    ]);
    assert_eq!(r.code, 1, "{}", shown(&r));
    let pretty = serde_json::to_string_pretty(&shape(&r.json(), None)).unwrap();
    insta::assert_snapshot!("json_exchange_refused", pretty);
}
