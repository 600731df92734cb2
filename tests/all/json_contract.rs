//! The `--json` contract: every run writes exactly one JSON document on stdout, failures
//! included; one shape per command whatever the number of inputs; a top-level `error` is
//! certkit's own failure (a kind, a string) with `exit_code` and `message`; `--print-token`
//! puts the token into the document. And the answers that are not a token endpoint's (a
//! gateway's HTML page, a plain-HTTP server behind an https:// URL), from loopback servers.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use serde_json::Value;

use crate::common::{s, td, Run, Sandbox};

/// A loopback HTTP server (a thread) that answers every request with the same bytes.
pub struct Canned {
    /// Its port on 127.0.0.1.
    pub port: u16,
}

impl Canned {
    /// Serve `response` (the whole HTTP answer, status line included) to every request.
    pub fn start(response: String) -> Canned {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { continue };
                let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
                // Read the request (headers, then Content-Length bytes), then answer.
                let mut got = Vec::new();
                let mut buf = [0u8; 4096];
                while let Ok(n) = conn.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    got.extend_from_slice(&buf[..n]);
                    // Not HTTP (a TLS handshake): answer at once, as a plain server does.
                    if !got[0].is_ascii_uppercase() {
                        break;
                    }
                    let text = String::from_utf8_lossy(&got).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text[..end]
                            .lines()
                            .find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case("content-length")
                                    .then(|| v.trim().parse::<usize>().ok())?
                            })
                            .unwrap_or(0);
                        if got.len() >= end + 4 + len {
                            break;
                        }
                    }
                }
                let _ = conn.write_all(response.as_bytes());
                let _ = conn.flush();
            }
        });
        Canned { port }
    }

    /// An HTTP answer with `status` and `body` (`type` its Content-Type).
    pub fn answer(status: &str, content_type: &str, body: &str) -> Canned {
        Canned::start(format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ))
    }
}

/// Standard output parsed as exactly one JSON document (nothing after it but white space).
#[track_caller]
pub fn one_document(r: &Run) -> Value {
    let mut docs = serde_json::Deserializer::from_str(&r.stdout).into_iter::<Value>();
    let first = match docs.next() {
        Some(Ok(v)) => v,
        other => panic!(
            "{}: stdout is not a JSON document ({other:?}):\n{}",
            r.what, r.stdout
        ),
    };
    if let Some(more) = docs.next() {
        panic!(
            "{}: a second JSON document on stdout ({more:?}):\n{}",
            r.what, r.stdout
        );
    }
    // And serde_json's own whole-input parse agrees (trailing data is an error there).
    let whole: Value = serde_json::from_slice(r.stdout.as_bytes())
        .unwrap_or_else(|e| panic!("{}: {e}:\n{}", r.what, r.stdout));
    assert_eq!(whole, first);
    first
}

/// A run's document obeys the contract: a top-level `error` is a kind (a string) with the
/// exit code and a message; each item of an `errors` list has the same fields and its file.
#[track_caller]
fn check_contract(r: &Run, v: &Value) {
    if let Some(e) = v.get("error") {
        assert!(e.is_string(), "{}: error is not a string: {v}", r.what);
        assert_eq!(v["exit_code"], r.code, "{}: {v}", r.what);
        assert!(!s(v, "message").is_empty(), "{}", r.what);
    }
    if let Some(errors) = v.get("errors") {
        for e in errors.as_array().expect("errors is a list") {
            assert!(e["error"].is_string(), "{}: {e}", r.what);
            assert!(e["exit_code"].is_i64(), "{}: {e}", r.what);
            assert!(e["message"].is_string(), "{}: {e}", r.what);
            assert!(e["file"].is_string(), "{}: {e}", r.what);
        }
    }
}

/// `certkit exchange google-sample.p12 --profile google --scope x --token-url URL`: what a
/// non-token answer at `url` makes of a real exchange.
fn exchange_to(sb: &Sandbox, url: &str) -> Run {
    sb.certkit(&[
        "exchange",
        "google-sample.p12",
        "--profile",
        "google",
        "--scope",
        "x",
        "--token-url",
        url,
    ])
}

fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    for f in [
        "google-sample.p12",
        "google-sample.crt.pem",
        "keytool-store.jks",
    ] {
        std::fs::copy(td(f), sb.path(f)).unwrap();
    }
    std::fs::write(sb.path("junk.bin"), b"junk").unwrap();
    std::fs::write(sb.path("taken.pem"), b"already here").unwrap();
    sb
}

#[test]
fn every_commands_failure_paths_under_json_print_exactly_one_document() {
    let sb = sandbox();
    let bad = sb.secret("bad.pw", "wrongpw1");
    let gateway = Canned::answer(
        "502 Bad Gateway",
        "text/html",
        "<html><head><title>502 Bad Gateway</title></head></html>\n",
    );
    let html = format!("http://127.0.0.1:{}/token", gateway.port);
    let sso = Canned::start(
        "HTTP/1.1 302 Found\r\nLocation: https://sso.example/login\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".into(),
    );
    let redirect = format!("http://127.0.0.1:{}/token", sso.port);
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}/token", l.local_addr().unwrap().port())
    };
    let x = ["--profile", "google", "--scope", "x", "--token-url"];
    let mut cases: Vec<(Vec<&str>, i32)> = Vec::new();
    // Usage errors (clap's), for every command, --json before and after the command.
    for c in crate::common::COMMANDS {
        cases.push((vec!["--json", c, "--bogus"], 2));
        cases.push((vec![c, "--bogus", "--json"], 2));
    }
    cases.extend([
        // A file that is not there, for every command that reads one.
        (
            vec![
                "p12-to-jks",
                "missing.p12",
                "-o",
                "o.jks",
                "--generate-password",
            ],
            8,
        ),
        (vec!["inspect", "missing.p12"], 8),
        (vec!["kid", "missing.p12"], 8),
        (vec!["verify", "missing.p12", "--profile", "google"], 8),
        (vec!["preflight", "missing.p12", "--target", "google"], 8),
        (vec!["convert", "missing.p12", "-o", "x.pem"], 8),
        (vec!["renew", "missing.p12", "--days", "30"], 8),
        (vec!["expiry", "missing.p12"], 8),
        (
            vec![
                "metadata",
                "missing.p12",
                "--profile",
                "google",
                "--out-dir",
                "out",
            ],
            8,
        ),
        (vec!["exchange", "missing.p12", "--dry-run"], 8),
        // Partial failures: the report lists the good input and the error.
        (vec!["inspect", "google-sample.crt.pem", "missing.crt"], 8),
        (vec!["expiry", "google-sample.crt.pem", "missing.crt"], 8),
        // A wrong password, a damaged file, an output that exists.
        (
            vec!["inspect", "keytool-store.jks", "--password-file", &bad],
            3,
        ),
        (
            vec![
                "p12-to-jks",
                "keytool-store.jks",
                "--password-file",
                &bad,
                "-o",
                "o.jks",
                "--generate-password",
            ],
            3,
        ),
        (vec!["kid", "junk.bin"], 4),
        (vec!["inspect", "junk.bin"], 4),
        (
            vec!["convert", "google-sample.crt.pem", "-o", "taken.pem"],
            7,
        ),
        // Failed checks, and a text certkit does not know.
        (
            vec!["verify", "google-sample.p12", "--profile", "salesforce"],
            1,
        ),
        (vec!["explain", "the printer is on fire"], 1),
        // A password no source gives, an output that exists (selfsign and renew write
        // their files twice), a token file that is not there, a profile without a URL.
        (
            vec![
                "p12-to-jks",
                "keytool-store.jks",
                "-o",
                "o.jks",
                "--generate-password",
            ],
            9,
        ),
        (vec!["selfsign", "--cn", "x", "--out-dir", "."], 0),
        (vec!["selfsign", "--cn", "x", "--out-dir", "."], 7),
        (
            vec![
                "renew",
                "google-sample.p12",
                "--days",
                "30",
                "--out-dir",
                ".",
            ],
            0,
        ),
        (
            vec![
                "renew",
                "google-sample.p12",
                "--days",
                "30",
                "--out-dir",
                ".",
            ],
            7,
        ),
        (
            vec![
                "verify",
                "--token-file",
                "nope.jwt",
                "--cert",
                "google-sample.crt.pem",
            ],
            2,
        ),
        (vec!["exchange", "google-sample.p12", "--dry-run"], 2),
        // A known answer explained: the provider's `error` is inside `answer`, never at the
        // top, where `error` is certkit's own failure.
        (
            vec![
                "explain",
                r#"{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"#,
            ],
            0,
        ),
        // Commands whose output is not a report.
        (vec!["completions", "bash"], 2),
        (vec!["man"], 2),
        // The network: nothing listening, and a gateway's HTML page.
        (
            [
                &["exchange", "google-sample.p12"][..],
                &x,
                &[closed.as_str()],
            ]
            .concat(),
            10,
        ),
        (
            [&["exchange", "google-sample.p12"][..], &x, &[html.as_str()]].concat(),
            10,
        ),
        (
            [
                &["exchange", "google-sample.p12"][..],
                &x,
                &[redirect.as_str()],
            ]
            .concat(),
            10,
        ),
        (
            vec![
                "preflight",
                "google-sample.p12",
                "--target",
                "google",
                "--scope",
                "x",
                "--live",
                "--token-url",
                &html,
            ],
            10,
        ),
    ]);
    for (args, code) in cases {
        let mut args = args;
        if !args.contains(&"--json") {
            args.push("--json");
        }
        let r = sb.certkit(&args);
        r.code_is(code);
        let v = one_document(&r);
        check_contract(&r, &v);
    }
}

#[test]
fn inspect_and_expiry_have_one_shape_whatever_the_number_of_inputs() {
    let sb = sandbox();
    let one = sb.certkit(&["inspect", "google-sample.crt.pem", "--json"]);
    one.ok();
    let one = one_document(&one);
    let two = sb.certkit(&["--json", "inspect", "google-sample.crt.pem", "missing.crt"]);
    two.code_is(8);
    let two = one_document(&two);
    for v in [&one, &two] {
        assert!(v["files"].is_array() && v["errors"].is_array(), "{v}");
    }
    assert_eq!(one["files"].as_array().unwrap().len(), 1);
    assert_eq!(one["errors"], serde_json::json!([]));
    assert_eq!(two["files"][0], one["files"][0]);
    assert_eq!(two["errors"][0]["file"], "missing.crt");
    assert_eq!(two["errors"][0]["error"], "io");
    assert_eq!(two["errors"][0]["exit_code"], 8);
    // expiry: the report and its errors, in one document.
    let r = sb.certkit(&["expiry", "missing", "--json"]);
    r.code_is(8);
    let v = one_document(&r);
    assert_eq!(v["errors"][0]["file"], "missing", "{v}");
    assert_eq!(v["errors"][0]["exit_code"], 8, "{v}");
    assert!(v["certificates"].is_array(), "{v}");
}

#[test]
fn print_token_with_json_puts_the_token_in_the_document() {
    let sb = sandbox();
    for args in [
        vec![
            "--json",
            "verify",
            "google-sample.p12",
            "--profile",
            "google",
            "--scope",
            "x",
            "--print-token",
        ],
        vec![
            "verify",
            "google-sample.p12",
            "--profile",
            "google",
            "--scope",
            "x",
            "--print-token",
            "--json",
        ],
    ] {
        let r = sb.certkit(&args);
        r.ok();
        let v = one_document(&r);
        let token = s(&v, "token");
        assert_eq!(token.split('.').count(), 3, "{token}");
        // The token is the one the report describes.
        let (_, claims) = crate::support_jwt::decode_parts(token);
        assert_eq!(claims["scope"], "x");
        assert_eq!(claims, v["claims"], "{v}");
    }
    // Without --print-token, no token.
    let r = sb.certkit(&[
        "--json",
        "verify",
        "google-sample.p12",
        "--profile",
        "google",
        "--scope",
        "x",
    ]);
    r.ok();
    assert!(one_document(&r).get("token").is_none(), "{}", r.stdout);
}

#[test]
fn a_gateways_html_page_is_not_the_token_endpoints_answer() {
    let sb = sandbox();
    let long = format!("<html><body>{}</body></html>", "x".repeat(400));
    let gateway = Canned::answer(
        "502 Bad Gateway",
        "text/html",
        &format!("\n{long}\n<p>more</p>\n"),
    );
    let url = format!("http://127.0.0.1:{}/token", gateway.port);
    let args = [
        "exchange",
        "google-sample.p12",
        "--profile",
        "google",
        "--scope",
        "x",
        "--token-url",
        &url,
    ];
    let r = sb.certkit(&args);
    r.code_is(10);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr.contains("not the token endpoint's answer"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("HTTP 502 Bad Gateway"), "{}", r.stderr);
    assert!(r.stderr.contains("an HTML page"), "{}", r.stderr);
    assert!(!r.stderr.contains("refused"), "{}", r.stderr);
    // The first line, cut with a mark that says how much is not shown.
    assert!(
        r.stderr.contains("first line: \"<html><body>xxx"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("[cut: "), "{}", r.stderr);
    assert!(!r.stderr.contains("<p>more</p>"), "{}", r.stderr);
    let mut j = args.to_vec();
    j.push("--json");
    let r = sb.certkit(&j);
    r.code_is(10);
    let v = one_document(&r);
    assert_eq!(v["error"], "not_token_endpoint_answer", "{v}");
    assert_eq!(v["exit_code"], 10);

    // JSON that is neither a token nor an OAuth error, and a 2xx page (not quoted: a 2xx
    // body may hold a credential).
    let odd = Canned::answer(
        "500 Internal Server Error",
        "application/json",
        r#"{"message":"upstream timed out"}"#,
    );
    let url = format!("http://127.0.0.1:{}/token", odd.port);
    let r = exchange_to(&sb, &url);
    r.code_is(10);
    assert!(
        r.stderr
            .contains("HTTP 500 Internal Server Error, JSON with neither access_token nor error"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("upstream timed out"), "{}", r.stderr);
    let portal = Canned::answer("200 OK", "text/html", "<html>sign in to the Wi-Fi</html>");
    let url = format!("http://127.0.0.1:{}/token", portal.port);
    let r = exchange_to(&sb, &url);
    r.code_is(10);
    assert!(
        r.stderr.contains("HTTP 200 OK, an HTML page"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("Wi-Fi"), "{}", r.stderr);
    // A redirect (to a single sign-on page, say) is named with where it goes.
    let sso = Canned::start(
        "HTTP/1.1 302 Found\r\nLocation: https://sso.example/login\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".into(),
    );
    let url = format!("http://127.0.0.1:{}/token", sso.port);
    let r = exchange_to(&sb, &url);
    r.code_is(10);
    assert!(
        r.stderr.contains(
            "HTTP 302 Found, an empty body; it redirects to \"https://sso.example/login\""
        ),
        "{}",
        r.stderr
    );
    // nginx's answer to plain HTTP on its TLS port names the mismatch.
    let nginx = Canned::answer(
        "400 Bad Request",
        "text/html",
        "<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head></html>",
    );
    let url = format!("http://127.0.0.1:{}/token", nginx.port);
    let r = exchange_to(&sb, &url);
    r.code_is(10);
    assert!(
        r.stderr.contains("speaks TLS: use https://"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_plain_http_server_behind_an_https_url_is_named_as_such() {
    let sb = sandbox();
    let plain = Canned::answer("400 Bad Request", "text/plain", "bad request");
    let url = format!("https://127.0.0.1:{}/token", plain.port);
    let r = sb.certkit(&[
        "exchange",
        "google-sample.p12",
        "--profile",
        "google",
        "--scope",
        "x",
        "--token-url",
        &url,
        "--timeout",
        "5",
        "--json",
    ]);
    r.code_is(10);
    let v = one_document(&r);
    assert_eq!(v["error"], "network_tls", "{v}");
    assert!(
        r.stderr.contains(&format!(
            "the server at 127.0.0.1:{} speaks plain HTTP, not TLS",
            plain.port
        )),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("certificate was refused"),
        "{}",
        r.stderr
    );
}

/// A body or a redirect that names a credential is never quoted: a 500 whose JSON holds an
/// access_token, a 401 form body with an id_token, a redirect whose query holds a code.
#[test]
fn a_non_token_answer_that_names_a_credential_is_not_quoted() {
    let sb = sandbox();
    let secret = "SECRET-VALUE-4711";
    let answers = [
        Canned::answer(
            "500 Internal Server Error",
            "application/json",
            &format!("{{\"access_token\":\"{secret}\"}}"),
        ),
        Canned::answer(
            "401 Unauthorized",
            "application/x-www-form-urlencoded",
            &format!("id_token={secret}"),
        ),
        Canned::start(format!(
            "HTTP/1.1 302 Found\r\nLocation: https://sso.example/cb?code={secret}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )),
    ];
    for a in &answers {
        let url = format!("http://127.0.0.1:{}/token", a.port);
        let r = exchange_to(&sb, &url);
        r.code_is(10);
        assert!(!r.all_output().contains(secret), "{}", r.all_output());
    }
}
