//! `certkit exchange`, `explain` and `preflight --live` against real servers on loopback: an
//! RFC 7523 token endpoint built on authlib (an independent verifier that knows only the
//! certificate), a server replaying Google's and Salesforce's documented answers verbatim,
//! one that never answers, a TLS server with a self-signed certificate, and a proxy.

use serde_json::Value;

use crate::common::{read_testdata, s, td, Run, Sandbox};
use crate::servers::Server;

const USER: &str = "admin@example.com";

fn iss() -> String {
    crate::support_jwt::google_client_email()
}

/// The authlib token endpoint, knowing the google-sample certificate, its account and USER.
fn authlib(sb: &Sandbox, extra: &[&str]) -> Server {
    let cert = td("google-sample.crt.pem");
    let iss = iss();
    let mut args = vec!["--cert", &cert, "--iss", &iss, "--sub", USER];
    args.extend_from_slice(extra);
    Server::start(sb, "rfc7523", &args)
}

/// `certkit exchange google-sample.p12 --profile generic` with the claims authlib wants,
/// and `extra` flags (later flags win).
fn exchange(sb: &Sandbox, srv: &Server, extra: &[&str]) -> Run {
    let url = srv.url("token");
    let iss = iss();
    let mut args = vec![
        "exchange",
        "google-sample.p12",
        "--profile",
        "generic",
        "--iss",
        &iss,
        "--sub",
        USER,
        "--aud",
        &url,
    ];
    args.extend_from_slice(extra);
    sb.certkit_env(&args, &[])
}

fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    for f in [
        "google-sample.p12",
        "google-sample.crt.pem",
        "other-2048.key.pem",
    ] {
        std::fs::copy(td(f), sb.path(f)).unwrap();
    }
    sb
}

fn first_cause(report: &Value) -> String {
    s(&report["diagnosis"][0], "id").to_string()
}

#[test]
fn a_correct_setup_gets_a_token_and_the_request_is_what_an_external_credential_sends() {
    let sb = sandbox();
    let srv = authlib(&sb, &[]);
    let r = exchange(&sb, &srv, &["--json"]);
    r.ok();
    let v = r.json();
    assert_eq!(v["outcome"], "token");
    assert_eq!(v["status"], 200);
    assert_eq!(v["granted"]["token_type"], "Bearer");
    assert_eq!(v["granted"]["expires_in"], 3600);
    assert!(v.get("access_token").is_none(), "{v}");
    let h = &v["request"]["assertion_header"];
    assert_eq!(h["alg"], "RS256");
    assert_eq!(h["typ"], "JWT");
    // The kid `metadata` writes into the External Credential: the RFC 7638 thumbprint, not
    // the P12's alias ("privatekey").
    let modulus = crate::support_jwt::openssl_modulus(&sb, &td("google-sample.crt.pem"));
    assert_eq!(
        h["kid"],
        crate::support_jwt::rfc7638_thumbprint(&sb, &modulus, &[1, 0, 1], "xkid").as_str(),
    );
    let c = &v["request"]["assertion_claims"];
    for claim in ["iss", "sub", "aud", "iat", "nbf", "exp"] {
        assert!(c.get(claim).is_some(), "{claim} missing: {c}");
    }
    let seen = srv.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["method"], "POST");
    assert_eq!(seen[0]["content_type"], "application/x-www-form-urlencoded");
    assert!(s(&seen[0], "user_agent").starts_with("certkit/"));
    let form = seen[0]["form"].as_object().unwrap();
    assert_eq!(
        form.keys().collect::<Vec<_>>(),
        ["assertion", "grant_type"],
        "{form:?}"
    );
    assert_eq!(
        form["grant_type"],
        "urn:ietf:params:oauth:grant-type:jwt-bearer"
    );
}

#[test]
fn print_token_writes_the_access_token_alone_on_stdout() {
    let sb = sandbox();
    let srv = authlib(&sb, &["--log-secrets"]);
    let r = exchange(&sb, &srv, &["--print-token"]);
    r.ok();
    let issued = srv
        .requests()
        .iter()
        .find_map(|l| l["issued"].as_str().map(str::to_string))
        .expect("the server issued a token");
    assert_eq!(r.stdout, format!("{issued}\n"));
    assert!(
        r.stderr.contains("an access token was granted"),
        "{}",
        r.stderr
    );
}

#[test]
fn print_token_with_json_anywhere_puts_the_access_token_in_the_one_document() {
    let sb = sandbox();
    let srv = authlib(&sb, &["--log-secrets"]);
    // --json before the command (global) and after it: the token is never dropped.
    for (before, after) in [(true, false), (false, true)] {
        let url = srv.url("token");
        let iss = iss();
        let mut args = vec![];
        if before {
            args.push("--json");
        }
        args.extend([
            "exchange",
            "google-sample.p12",
            "--profile",
            "generic",
            "--iss",
            &iss,
            "--sub",
            USER,
            "--aud",
            &url,
            "--print-token",
        ]);
        if after {
            args.push("--json");
        }
        let r = sb.certkit(&args);
        r.ok();
        let issued: Vec<String> = srv
            .requests()
            .iter()
            .filter_map(|l| l["issued"].as_str().map(str::to_string))
            .collect();
        let v = crate::json_contract::one_document(&r);
        assert_eq!(v["outcome"], "token", "{v}");
        assert_eq!(
            Some(s(&v, "token")),
            issued.last().map(String::as_str),
            "{v}"
        );
    }
}

#[test]
fn each_broken_setup_is_refused_with_the_servers_words_and_its_cause() {
    let sb = sandbox();
    let srv = authlib(&sb, &[]);
    let url = srv.url("token");
    let iss = iss();
    // (what is broken, key, iss, sub, aud, more flags, authlib's error_description, the cause)
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a [&'a str],
        &'a str,
        &'a str,
    );
    let cases: &[Case] = &[
        (
            "wrong key",
            "other-2048.key.pem",
            &iss,
            USER,
            &url,
            &[],
            "",
            "oauth.bad-signature",
        ),
        (
            "wrong aud",
            "google-sample.p12",
            &iss,
            USER,
            "https://elsewhere.example.com/token",
            &["--token-url", &url],
            "Invalid claim: 'aud'",
            "oauth.invalid-aud",
        ),
        (
            "expired exp",
            "google-sample.p12",
            &iss,
            USER,
            &url,
            &["--exp-seconds", "-300"],
            "The token is expired",
            "oauth.expired",
        ),
        (
            "unknown iss",
            "google-sample.p12",
            "nobody@example.com",
            USER,
            &url,
            &[],
            "The client does not exist on this server.",
            "oauth.unknown-client",
        ),
        (
            "sub refused",
            "google-sample.p12",
            &iss,
            "\"admin@example.com\"",
            &url,
            &[],
            "Invalid 'sub' value in assertion",
            "oauth.invalid-sub",
        ),
        (
            "RS512",
            "google-sample.p12",
            &iss,
            USER,
            &url,
            &["--alg", "RS512"],
            "Algorithm of 'RS512' is not recommended",
            "oauth.algorithm-not-recommended",
        ),
    ];
    for (name, key, iss, sub, aud, more, description, cause) in cases {
        let mut args = vec![
            "exchange",
            key,
            "--profile",
            "generic",
            "--iss",
            iss,
            "--sub",
            sub,
            "--aud",
            aud,
            "--json",
        ];
        args.extend_from_slice(more);
        let r = sb.certkit(&args);
        r.code_is(1);
        let v = r.json();
        assert_eq!(v["outcome"], "refused", "{name}: {v}");
        assert_eq!(v["status"], 400, "{name}");
        assert_eq!(v["answer"]["error"], "invalid_grant", "{name}: {v}");
        let got = v["answer"]["error_description"].as_str().unwrap_or("");
        assert_eq!(got, *description, "{name}: the server's words, verbatim");
        assert_eq!(first_cause(&v), *cause, "{name}: {v}");
        assert_eq!(v["unknown"], false, "{name}");
    }
    // The text report shows the answer verbatim, then the cause and the fix.
    let r = exchange(&sb, &srv, &["--alg", "RS512"]);
    r.code_is(1);
    assert!(r.stdout.contains("HTTP 400"), "{}", r.stdout);
    assert!(
        r.stdout.contains("Algorithm of 'RS512' is not recommended"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("fix:"), "{}", r.stdout);
}

#[test]
fn scope_param_reaches_the_server_as_a_form_parameter() {
    let sb = sandbox();
    let srv = authlib(&sb, &[]);
    let r = exchange(&sb, &srv, &["--scope-param", "read write", "--json"]);
    r.ok();
    let seen = srv.requests();
    assert_eq!(seen[0]["form"]["scope"], "read write");
    assert_eq!(r.json()["granted"]["scope"], "read write");
    let claims = &r.json()["request"]["assertion_claims"];
    assert!(
        claims.get("scope").is_none(),
        "the form parameter is not a claim"
    );
}

#[test]
fn dry_run_sends_nothing_and_shows_the_request() {
    let sb = sandbox();
    let srv = authlib(&sb, &[]);
    let r = exchange(&sb, &srv, &["--dry-run"]);
    r.ok();
    assert!(
        r.stdout.contains(&format!("POST {}", srv.url("token"))),
        "{}",
        r.stdout
    );
    assert!(r
        .stdout
        .contains("grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer"));
    assert!(r.stdout.contains("Dry run: nothing was sent."));
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(srv.requests().is_empty(), "the server saw a request");
}

#[test]
fn token_urls_follow_the_profile() {
    let sb = sandbox();
    let url_of = |args: &[&str]| -> String {
        let mut all = vec!["exchange", "google-sample.p12", "--dry-run", "--json"];
        all.extend_from_slice(args);
        let r = sb.certkit(&all);
        r.ok();
        s(&r.json()["request"], "url").to_string()
    };
    assert_eq!(
        url_of(&["--profile", "google", "--scope", "x"]),
        "https://oauth2.googleapis.com/token"
    );
    assert_eq!(
        url_of(&[
            "--profile",
            "salesforce",
            "--iss",
            "3MVG9x",
            "--sub",
            USER,
            "--aud",
            "https://test.salesforce.com"
        ]),
        "https://test.salesforce.com/services/oauth2/token"
    );
    assert_eq!(
        url_of(&[
            "--profile",
            "salesforce",
            "--iss",
            "3MVG9x",
            "--sub",
            USER,
            "--aud",
            "https://acme.my.salesforce.com/",
            "--token-url",
            "https://login.example.com/t"
        ]),
        "https://login.example.com/t"
    );
    // A JSON key's token_uri is Google's default.
    let mut key: Value = serde_json::from_slice(&read_testdata("google-sample.json")).unwrap();
    key["token_uri"] = "https://oauth2.example.com/token".into();
    std::fs::write(sb.path("custom.json"), key.to_string()).unwrap();
    let r = sb.certkit(&[
        "exchange",
        "custom.json",
        "--profile",
        "google",
        "--scope",
        "x",
        "--dry-run",
        "--json",
    ]);
    r.ok();
    assert_eq!(
        r.json()["request"]["url"],
        "https://oauth2.example.com/token"
    );
    // The aud stays Google's token endpoint, as google-auth and the External Credential send it.
    assert_eq!(
        r.json()["request"]["assertion_claims"]["aud"],
        "https://oauth2.googleapis.com/token"
    );
    // http:// is for loopback alone.
    let r = sb.certkit(&[
        "exchange",
        "google-sample.p12",
        "--profile",
        "google",
        "--scope",
        "x",
        "--token-url",
        "http://example.com/token",
    ]);
    r.code_is(2);
    assert!(r.stderr.contains("https"), "{}", r.stderr);
}

/// The documented answers, as `testdata/token-answers.json` copies them from their public sources.
fn documented_answers() -> Vec<Value> {
    let v: Value = serde_json::from_slice(&read_testdata("token-answers.json")).unwrap();
    v["answers"].as_array().unwrap().clone()
}

#[test]
fn every_documented_google_and_salesforce_answer_is_diagnosed_end_to_end() {
    let sb = sandbox();
    let answers: Vec<Value> = documented_answers()
        .iter()
        .enumerate()
        .map(|(i, a)| {
            serde_json::json!({
                "path": format!("a{i}"),
                "status": a["status"],
                "body": serde_json::json!({"error": a["error"], "error_description": a["error_description"]}).to_string(),
            })
        })
        .collect();
    assert!(answers.len() >= 30);
    std::fs::write(sb.path("answers.json"), Value::Array(answers).to_string()).unwrap();
    let srv = Server::start(&sb, "replay", &["--answers", &sb.p("answers.json")]);
    for (i, a) in documented_answers().iter().enumerate() {
        let provider = s(a, "provider");
        let url = srv.url(&format!("a{i}"));
        let mut args = vec![
            "exchange",
            "google-sample.p12",
            "--token-url",
            &url,
            "--json",
            "--profile",
            provider,
        ];
        if provider == "salesforce" {
            args.extend(["--iss", "3MVG9x", "--sub", USER]);
        } else {
            args.extend(["--scope", "https://www.googleapis.com/auth/bigquery"]);
        }
        let r = sb.certkit(&args);
        r.code_is(1);
        let v = r.json();
        let what = s(a, "ref");
        assert_eq!(v["status"], a["status"], "{what}");
        assert_eq!(v["answer"]["error"], a["error"], "{what}: verbatim");
        assert_eq!(
            v["answer"]["error_description"], a["error_description"],
            "{what}: verbatim"
        );
        assert_eq!(first_cause(&v), s(a, "expect"), "{what}: {v}");
        let d = &v["diagnosis"][0];
        for field in ["cause", "fix", "source"] {
            assert!(!s(d, field).is_empty(), "{what}: no {field}");
        }
    }
}

#[test]
fn an_answer_in_no_table_is_shown_verbatim_and_said_unknown_and_a_gateways_page_is_exit_10() {
    let sb = sandbox();
    let answers = r#"[{"path": "odd", "status": 403, "body": "{\"error\": \"invalid_grant\", \"error_description\": \"The moon is in the wrong phase\"}"},
                      {"path": "html", "status": 502, "body": "<html>Bad Gateway</html>"}]"#;
    std::fs::write(sb.path("answers.json"), answers).unwrap();
    let srv = Server::start(&sb, "replay", &["--answers", &sb.p("answers.json")]);
    let r = sb.certkit(&[
        "exchange",
        "google-sample.p12",
        "--profile",
        "google",
        "--scope",
        "x",
        "--token-url",
        &srv.url("odd"),
    ]);
    r.code_is(1);
    assert!(
        r.stdout.contains("The moon is in the wrong phase"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("certkit does not know this answer"),
        "{}",
        r.stdout
    );
    let r = sb.certkit(&[
        "exchange",
        "google-sample.p12",
        "--profile",
        "google",
        "--scope",
        "x",
        "--token-url",
        &srv.url("html"),
        "--json",
    ]);
    // A gateway's HTML page is no refusal: it is not the token endpoint's answer (exit 10).
    r.code_is(10);
    let v = r.json();
    assert_eq!(v["error"], "not_token_endpoint_answer");
    assert!(s(&v, "message").contains("HTTP 502 Bad Gateway"), "{v}");
    assert!(s(&v, "message").contains("<html>Bad Gateway</html>"), "{v}");
}

#[test]
fn explain_maps_every_documented_answer_and_the_salesforce_line_that_carries_it() {
    let sb = Sandbox::new();
    for a in documented_answers() {
        let (error, desc, what) = (s(&a, "error"), s(&a, "error_description"), s(&a, "ref"));
        let line = format!(
            "System.CalloutException: Unable to complete the JWT token exchange. Error: {error}. Error description: {desc}."
        );
        let body = serde_json::json!({"error": error, "error_description": desc}).to_string();
        for text in [line, body, format!("{error}: {desc}")] {
            let r = sb.certkit(&["explain", &text, "--json"]);
            r.ok();
            let v = r.json();
            assert_eq!(
                s(&v["matches"][0], "id"),
                s(&a, "expect"),
                "{what}: {text}\n{v}"
            );
        }
    }
}

#[test]
fn explain_gives_the_checklist_for_the_bare_exception_and_reads_standard_input() {
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "explain",
        "System.CalloutException: Unable to complete the JWT token exchange.",
    ]);
    r.ok();
    assert!(
        r.stdout.contains("Salesforce hides the provider's answer"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("certkit exchange"), "{}", r.stdout);
    assert!(r.stdout.contains("certkit preflight"), "{}", r.stdout);
    // An sf org login jwt error, on standard input.
    let r = sb.shell("printf 'Error (1): invalid_grant: user hasn'\\''t approved this consumer\\n' | certkit explain - --json");
    r.ok();
    assert_eq!(s(&r.json()["matches"][0], "id"), "salesforce.not-approved");
    // Text with no error certkit knows: exit 1, with the checklist.
    let r = sb.certkit(&["explain", "the printer is on fire"]);
    r.code_is(1);
    assert!(
        r.stdout.contains("certkit found no token-endpoint error"),
        "{}",
        r.stdout
    );
}

/// The error Salesforce shows when an External Credential calls another org whose Connected
/// App lacks the refresh_token scope or pre-authorisation
/// (https://salesforce.stackexchange.com/questions/400540), with its doubled full stop.
const REFRESH_TOKEN_SCOPE: &str = "Unable to complete the JWT token exchange. Error: invalid_request. Error description: refresh_token scope is required and the connected app should be installed and preauthorized..";

#[test]
fn explain_knows_salesforce_s_refresh_token_scope_answer_org_to_org() {
    let sb = Sandbox::new();
    let single = REFRESH_TOKEN_SCOPE.replace("..", ".");
    for text in [REFRESH_TOKEN_SCOPE, single.as_str()] {
        let r = sb.certkit(&["explain", text]);
        r.ok();
        assert!(
            r.stdout.contains("salesforce.refresh-token-scope-required"),
            "{}",
            r.stdout
        );
        assert!(
            r.stdout.contains("refresh_token, offline_access"),
            "{}",
            r.stdout
        );
        assert!(
            r.stdout
                .contains("https://salesforce.stackexchange.com/questions/400540"),
            "{}",
            r.stdout
        );
        assert!(!r.stdout.contains("does not know"), "{}", r.stdout);
        assert!(!r.stdout.contains("Google"), "{}", r.stdout);
    }
}

#[test]
fn explain_shows_the_pasted_answer_verbatim() {
    let sb = Sandbox::new();
    // A description alone: no code and no full stop that were not pasted.
    let pasted = "Invalid OAuth scope or ID token audience provided";
    let r = sb.certkit(&["explain", pasted]);
    r.ok();
    assert!(!r.stdout.contains("error:"), "{}", r.stdout);
    assert!(
        r.stdout
            .lines()
            .any(|l| l == format!("error_description: {pasted}")),
        "{}",
        r.stdout
    );
    let v = sb.certkit(&["explain", pasted, "--json"]).json();
    assert_eq!(v["answer"]["error_description"], pasted, "{v}");
    assert!(v["answer"].get("error").is_none(), "{v}");
    assert_eq!(s(&v["matches"][0], "id"), "google.invalid-scope");
}

#[test]
fn explain_cites_public_sources_not_the_project_s_notes() {
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "explain",
        "Unable to complete the JWT token exchange. Error: invalid_scope. Error description: Invalid OAuth scope or ID token audience provided..",
    ]);
    r.ok();
    assert!(!r.stdout.to_lowercase().contains("seed"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("https://salesforce.stackexchange.com/questions/310834"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("error_description: Invalid OAuth scope or ID token audience provided..\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn explain_json_calls_the_pasted_answer_answer_and_keeps_error_for_certkit_s_failures() {
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "explain",
        "Unable to complete the JWT token exchange. Error: invalid_grant. Error description: Invalid JWT Signature.",
        "--json",
    ]);
    r.ok();
    let v = r.json();
    assert!(v.get("error").is_none(), "{v}");
    assert_eq!(v["answer"]["error"], "invalid_grant", "{v}");
    assert_eq!(
        v["answer"]["error_description"], "Invalid JWT Signature.",
        "{v}"
    );
    assert_eq!(s(&v["matches"][0], "id"), "google.invalid-jwt-signature");
    // certkit's own failure is still a top-level "error" string.
    let r = sb.certkit(&["explain", "x", "--provider", "nope", "--json"]);
    r.code_is(2);
    assert!(r.json()["error"].is_string(), "{}", r.stdout);
}

#[test]
fn explain_provider_is_looked_in_first_not_alone() {
    let sb = Sandbox::new();
    // An org-to-org answer explained while the user said Google: found in the other table.
    let r = sb.certkit(&[
        "explain",
        "invalid_grant: audience is invalid",
        "--provider",
        "google",
        "--json",
    ]);
    r.ok();
    assert_eq!(
        s(&r.json()["matches"][0], "id"),
        "salesforce.audience-invalid"
    );
}

/// The commands a checklist prints, with the first line of the exchange command.
fn printed_commands(stdout: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut after_first = false;
    for l in stdout.lines() {
        let t = l.trim();
        if let Some(c) = t.strip_prefix("check: ") {
            out.push(c.to_string());
        } else if after_first && t.starts_with("certkit ") {
            out.push(t.to_string());
        }
        after_first = t.starts_with("First see the provider's own answer");
    }
    out
}

#[test]
fn explain_bare_message_gets_a_checklist_per_integration_with_commands_that_run() {
    let sb = Sandbox::new();
    let bare = "System.CalloutException: Unable to complete the JWT token exchange.";
    let r = sb.certkit(&["explain", bare]);
    r.ok();
    let out = &r.stdout;
    let google = out.find("\nGoogle (").expect("a Google section");
    let org = out
        .find("\nSalesforce org to org (")
        .expect("an org to org section");
    let third = out
        .find("\nA third party (")
        .expect("a third-party section");
    assert!(google < org && org < third, "{out}");
    assert!(out.contains("--provider google, salesforce"), "{out}");
    // The org-to-org causes users met, each in the org-to-org section.
    let org_part = &out[org..third];
    for cause in [
        "double quotes",
        "Admin approved users are pre-authorized",
        "refresh_token, offline_access",
        "iss, sub and aud are not all set",
        "audience is invalid",
    ] {
        assert!(org_part.contains(cause), "{cause}: {org_part}");
    }
    // Every command printed runs as printed: its flags and values exist (--help stops it
    // before it opens a file), and no alternative like google|salesforce reaches the shell.
    let cmds = printed_commands(out);
    assert!(cmds.len() >= 15, "{cmds:?}");
    for c in &cmds {
        assert!(!c.contains('|') && !c.contains("..."), "{c}");
        let r = sb.shell(&format!("{c} --help"));
        assert_eq!(r.code, 0, "{c}\n{}", r.stderr);
    }
    // So does the check of every documented answer.
    for a in documented_answers() {
        let body =
            serde_json::json!({"error": a["error"], "error_description": a["error_description"]});
        let v = sb.certkit(&["explain", &body.to_string(), "--json"]).json();
        if let Some(c) = v["matches"][0]["check"].as_str() {
            let r = sb.shell(&format!("{c} --help"));
            assert_eq!(r.code, 0, "{c}\n{}", r.stderr);
        }
    }
    // One integration, by --provider or --profile: its section alone, in JSON too.
    for flag in ["--provider", "--profile"] {
        let r = sb.certkit(&["explain", bare, flag, "salesforce"]);
        r.ok();
        assert!(
            r.stdout.contains("\nSalesforce org to org ("),
            "{}",
            r.stdout
        );
        assert!(!r.stdout.contains("\nGoogle ("), "{}", r.stdout);
        assert!(!r.stdout.contains("\nA third party ("), "{}", r.stdout);
    }
    let v = sb
        .certkit(&["explain", bare, "--provider", "generic", "--json"])
        .json();
    let lists = v["checklist"].as_array().unwrap();
    assert_eq!(lists.len(), 1, "{v}");
    assert_eq!(lists[0]["integration"], "generic");
    assert!(s(&lists[0], "exchange").starts_with("certkit exchange "));
}

#[test]
fn network_faults_exit_10_naming_the_step() {
    let sb = sandbox();
    let base = [
        "exchange",
        "google-sample.p12",
        "--profile",
        "google",
        "--scope",
        "x",
        "--json",
        "--token-url",
    ];
    // Nothing listening.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let refused = format!("http://127.0.0.1:{port}/token");
    let mut args = base.to_vec();
    args.push(&refused);
    let r = sb.certkit(&args);
    r.code_is(10);
    assert_eq!(r.json()["error"], "network_connection", "{}", r.stdout);
    assert!(r.stderr.contains("connection refused"), "{}", r.stderr);
    // Accepts and never answers.
    let silent = Server::start(&sb, "silent", &[]);
    let url = silent.url("token");
    let mut args = base.to_vec();
    args.extend([url.as_str(), "--timeout", "1"]);
    let r = sb.certkit(&args);
    r.code_is(10);
    assert_eq!(r.json()["error"], "network_timeout", "{}", r.stdout);
    // TLS with a certificate no one trusts.
    let tls = TlsServer::start(&sb);
    let url = format!("https://127.0.0.1:{}/token", tls.port);
    let mut args = base.to_vec();
    args.extend([url.as_str(), "--timeout", "5"]);
    let r = sb.certkit(&args);
    r.code_is(10);
    assert_eq!(r.json()["error"], "network_tls", "{}", r.stdout);
    assert!(r.stderr.contains("certificate"), "{}", r.stderr);
    // http:// to that TLS server: it closes the connection; the message names TLS.
    let url = format!("http://127.0.0.1:{}/token", tls.port);
    let mut args = base.to_vec();
    args.extend([url.as_str(), "--timeout", "5"]);
    let r = sb.certkit(&args);
    r.code_is(10);
    assert_eq!(r.json()["error"], "network_http", "{}", r.stdout);
    assert!(
        r.stderr.contains(&format!(
            "closed the connection without an HTTP answer (Peer disconnected): if that port speaks TLS, use https://127.0.0.1:{}/",
            tls.port
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn a_proxy_from_the_environment_carries_https_and_never_a_cleartext_loopback_exchange() {
    let sb = sandbox();
    let proxy = Server::start(&sb, "proxy", &[]);
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port);
    // https: through the proxy (CONNECT), whose tunnel reaches the TLS server.
    let tls = TlsServer::start(&sb);
    let url = format!("https://127.0.0.1:{}/token", tls.port);
    let r = sb.certkit_env(
        &[
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
        ],
        &[("HTTPS_PROXY", &proxy_url)],
    );
    r.code_is(10);
    assert_eq!(r.json()["error"], "network_tls", "{}", r.stdout);
    let through = proxy.requests();
    assert_eq!(through.len(), 1, "{through:?}");
    assert_eq!(through[0]["proxy"], "CONNECT");
    assert_eq!(through[0]["target"], format!("127.0.0.1:{}", tls.port));
    // NO_PROXY is honoured.
    let r = sb.certkit_env(
        &[
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
        ],
        &[("HTTPS_PROXY", &proxy_url), ("NO_PROXY", "127.0.0.1")],
    );
    r.code_is(10);
    assert_eq!(proxy.requests().len(), 1, "NO_PROXY was not honoured");
    // http:// (loopback only) never goes through a proxy: the assertion would cross it in clear.
    let srv = authlib(&sb, &[]);
    let r = sb.certkit_env(
        &[
            "exchange",
            "google-sample.p12",
            "--profile",
            "generic",
            "--iss",
            &iss(),
            "--sub",
            USER,
            "--aud",
            &srv.url("token"),
        ],
        &[("HTTP_PROXY", &proxy_url), ("HTTPS_PROXY", &proxy_url)],
    );
    r.ok();
    assert_eq!(
        proxy.requests().len(),
        1,
        "a cleartext exchange went through the proxy"
    );
    // A proxy that cannot be reached is named as the proxy.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let r = sb.certkit_env(
        &[
            "exchange",
            "google-sample.p12",
            "--profile",
            "google",
            "--scope",
            "x",
            "--token-url",
            &url,
            "--json",
        ],
        &[("HTTPS_PROXY", &format!("http://127.0.0.1:{dead}"))],
    );
    r.code_is(10);
    assert_eq!(r.json()["error"], "network_proxy", "{}", r.stdout);
}

/// `openssl s_server` with a fresh self-signed certificate, on a free loopback port.
struct TlsServer {
    child: std::process::Child,
    port: u16,
}

impl TlsServer {
    fn start(sb: &Sandbox) -> TlsServer {
        sb.openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "tls.key",
            "-out",
            "tls.crt",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
        ])
        .ok();
        Self::serve(sb)
    }

    /// A server whose certificate (CA:FALSE, for IP 127.0.0.1) a CA of its own issued, as a
    /// company's TLS-inspecting proxy presents: the CA is in `ca.crt`.
    fn start_issued(sb: &Sandbox) -> TlsServer {
        let ok = |args: &[&str]| assert_eq!(sb.openssl(args).code, 0, "openssl {args:?}");
        ok(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
            "-days",
            "2",
            "-subj",
            "/CN=certkit test CA",
        ]);
        ok(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "tls.key",
            "-out",
            "tls.csr",
            "-subj",
            "/CN=127.0.0.1",
        ]);
        std::fs::write(
            sb.path("leaf.ext"),
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        ok(&[
            "x509",
            "-req",
            "-in",
            "tls.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "tls.crt",
            "-days",
            "1",
            "-extfile",
            "leaf.ext",
        ]);
        Self::serve(sb)
    }

    /// `openssl s_server` on a free loopback port with `tls.key` and `tls.crt`.
    fn serve(sb: &Sandbox) -> TlsServer {
        for _ in 0..20 {
            let port = {
                let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                l.local_addr().unwrap().port()
            };
            let child = std::process::Command::new("openssl")
                .args([
                    "s_server",
                    "-quiet",
                    "-accept",
                    &format!("127.0.0.1:{port}"),
                    "-key",
                    "tls.key",
                    "-cert",
                    "tls.crt",
                    "-www",
                ])
                .current_dir(sb.dir())
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("openssl s_server");
            for _ in 0..50 {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return TlsServer { child, port };
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            let mut c = child;
            let _ = c.kill();
            let _ = c.wait();
        }
        panic!("openssl s_server did not start");
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The operating system's trust store is the one TLS trusts, on both builds (OpenSSL's and
/// rustls with rustls-platform-verifier): a CA added there, as a company's TLS-inspecting
/// proxy needs, is trusted. `SSL_CERT_FILE` names the store here, as both read it.
#[test]
fn a_ca_in_the_system_trust_store_is_trusted_by_either_tls() {
    let sb = sandbox();
    let tls = TlsServer::start_issued(&sb);
    let url = format!("https://127.0.0.1:{}/token", tls.port);
    let args = [
        "exchange",
        "google-sample.p12",
        "--profile",
        "google",
        "--scope",
        "x",
        "--json",
        "--timeout",
        "2",
        "--token-url",
        &url,
    ];
    let ca = sb.path("ca.crt");
    let ca = ca.to_str().unwrap();
    let empty = sb.path("no-certs");
    std::fs::create_dir_all(&empty).unwrap();
    let empty = empty.to_str().unwrap();
    // The control: a store without the CA refuses the server's certificate.
    let nobody = sb.path("nobody.crt");
    std::fs::copy(td("google-sample.crt.pem"), &nobody).unwrap();
    let r = sb.certkit_env(
        &args,
        &[
            ("SSL_CERT_FILE", nobody.to_str().unwrap()),
            ("SSL_CERT_DIR", empty),
        ],
    );
    r.code_is(10);
    assert_eq!(r.json()["error"], "network_tls", "{}", r.stdout);
    // With the CA the handshake passes; `s_server -www` then never answers a POST.
    let r = sb.certkit_env(&args, &[("SSL_CERT_FILE", ca), ("SSL_CERT_DIR", empty)]);
    r.code_is(10);
    assert_eq!(r.json()["error"], "network_timeout", "{}", r.stdout);
}

#[test]
fn preflight_live_ends_with_the_real_exchange() {
    let sb = sandbox();
    let srv = authlib(&sb, &[]);
    let url = srv.url("token");
    let iss = iss();
    // The salesforce-jwt checklist, against the loopback endpoint: its aud is not a
    // Salesforce one (a failed rule), but the exchange itself is the last check and passes.
    let r = sb.certkit(&[
        "preflight",
        "google-sample.p12",
        "--target",
        "salesforce-jwt",
        "--iss",
        &iss,
        "--sub",
        USER,
        "--aud",
        &url,
        "--live",
        "--token-url",
        &url,
        "--json",
    ]);
    r.code_is(1);
    let v = r.json();
    let checks = v["checks"].as_array().unwrap();
    let last = checks.last().unwrap();
    assert_eq!(last["id"], "exchange.live", "{v}");
    assert_eq!(last["status"], "pass", "{last}");
    // A refusal fails it with the provider's words and the cause's fix.
    let r = sb.certkit(&[
        "preflight",
        "google-sample.p12",
        "--target",
        "salesforce-jwt",
        "--iss",
        &iss,
        "--sub",
        "nobody@example.com",
        "--aud",
        &url,
        "--live",
        "--token-url",
        &url,
        "--json",
    ]);
    r.code_is(1);
    let v = r.json();
    let last = v["checks"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["status"], "fail");
    assert!(
        s(&last, "detail").contains("Invalid 'sub' value in assertion"),
        "{last}"
    );
    // authlib's wording is not Salesforce's: for the salesforce profile it is unknown.
    assert!(
        s(&last, "fix").contains("does not know this answer"),
        "{last}"
    );
    // Nothing listening: exit 10, as in exchange, not a failed check.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dead = format!("http://127.0.0.1:{port}/token");
    let r = sb.certkit(&[
        "preflight",
        "google-sample.p12",
        "--target",
        "salesforce-jwt",
        "--iss",
        &iss,
        "--sub",
        USER,
        "--aud",
        &url,
        "--live",
        "--token-url",
        &dead,
    ]);
    r.code_is(10);
    // Without --live there is no such check.
    let r = sb.certkit(&[
        "preflight",
        "google-sample.p12",
        "--target",
        "salesforce-jwt",
        "--iss",
        &iss,
        "--sub",
        USER,
        "--aud",
        &url,
        "--json",
    ]);
    let v = r.json();
    assert!(v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["id"] != "exchange.live"));
}

#[test]
fn no_password_assertion_or_access_token_is_printed_unless_asked_for() {
    let sb = sandbox();
    let srv = authlib(&sb, &["--log-secrets"]);
    let password = "Zq7kWm3x";
    let pw = sb.secret("jks.pw", password);
    sb.certkit(&[
        "p12-to-jks",
        "google-sample.p12",
        "-o",
        "sa.jks",
        "--out-password-file",
        &pw,
    ])
    .ok();
    let url = srv.url("token");
    let iss = iss();
    let common = [
        "exchange",
        "sa.jks",
        "--password-file",
        &pw,
        "--profile",
        "generic",
        "--iss",
        &iss,
        "--aud",
        &url,
    ];
    let mut outputs = Vec::new();
    for extra in [
        vec!["--sub", USER],
        vec!["--sub", USER, "--json"],
        vec!["--sub", USER, "--dry-run"],
        vec!["--sub", USER, "--dry-run", "--json"],
        vec!["--sub", "nobody@example.com"],
        vec!["--sub", "nobody@example.com", "--json"],
        vec!["--sub", USER, "--exp-seconds", "-300", "--json"],
    ] {
        let mut args = common.to_vec();
        args.extend(extra);
        outputs.push(sb.certkit(&args).all_output());
    }
    let mut printed = common.to_vec();
    printed.extend(["--sub", USER, "--print-token"]);
    let with_token = sb.certkit(&printed);
    with_token.ok();
    let log = srv.requests();
    let assertions: Vec<String> = log
        .iter()
        .filter_map(|l| l["form"]["assertion"].as_str().map(str::to_string))
        .collect();
    let issued: Vec<String> = log
        .iter()
        .filter_map(|l| l["issued"].as_str().map(str::to_string))
        .collect();
    assert!(assertions.len() >= 5 && issued.len() >= 2, "{log:?}");
    for out in outputs.iter().chain([&with_token.stderr]) {
        assert!(!out.contains(password), "the password was printed:\n{out}");
        for a in &assertions {
            let signature = a.rsplit('.').next().unwrap();
            assert!(!out.contains(signature), "an assertion was printed:\n{out}");
        }
        for t in &issued {
            assert!(
                !out.contains(t.as_str()),
                "an access token was printed:\n{out}"
            );
        }
    }
    // --print-token prints the one token asked for, on stdout only.
    assert!(issued.iter().any(|t| with_token.stdout.trim() == t));
}

#[test]
fn invalid_jwt_signature_with_metadata_says_whether_the_key_is_still_published() {
    let sb = sandbox();
    let body =
        r#"{\"error\": \"invalid_grant\", \"error_description\": \"Invalid JWT Signature.\"}"#;
    std::fs::write(
        sb.path("a.json"),
        format!(r#"[{{"path": "sig", "status": 400, "body": "{body}"}}]"#),
    )
    .unwrap();
    let srv = Server::start(&sb, "replay", &["--answers", &sb.p("a.json")]);
    let url = srv.url("sig");
    let run = |metadata: &str| {
        let r = sb.certkit(&[
            "exchange",
            "google-sample.p12",
            "--profile",
            "google",
            "--scope",
            "x",
            "--token-url",
            &url,
            "--metadata",
            metadata,
            "--json",
        ]);
        r.code_is(1);
        r.json()
    };
    // The account's metadata lists this key: no offline finding about it.
    let v = run(&td("google-sample.x509-metadata.json"));
    assert_eq!(s(&v["diagnosis"][0], "id"), "google.invalid-jwt-signature");
    assert!(
        v["offline"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["id"] != "google.key-published"),
        "{v}"
    );
    // It does not: the key was deleted or belongs to another account.
    let v = run(&td("other-2048.crt.pem"));
    let c = v["offline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "google.key-published")
        .cloned();
    assert_eq!(
        c.expect("the key is not published")["status"],
        "fail",
        "{v}"
    );
}

/// A token URL with a password before its host (`https://user:pw@host/...`): refused before
/// anything is sent, and the password is in no message, text or JSON (it was printed in the
/// network error: "certkit: https://user:s3cretpw@127.0.0.1:1/token: connection: ...").
#[test]
fn a_password_in_the_token_url_is_refused_and_never_printed() {
    let sb = sandbox();
    for url in [
        "https://user:s3cretpw@127.0.0.1:1/token",
        "http://user:s3cretpw@127.0.0.1:1/token",
    ] {
        for json in [false, true] {
            let mut args = vec![
                "exchange",
                "google-sample.p12",
                "--profile",
                "google",
                "--scope",
                "x",
                "--token-url",
                url,
            ];
            if json {
                args.push("--json");
            }
            let r = sb.certkit(&args);
            r.code_is(2);
            let all = format!("{}{}", r.stdout, r.stderr);
            assert!(!all.contains("s3cretpw"), "{url}: {all}");
            assert!(all.contains("holds a user name or password"), "{all}");
        }
    }
}
