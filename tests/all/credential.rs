//! `exchange` sends what the External Credential `metadata` writes sends, `--dry-run` shows
//! the offline checks before anything is sent, and every command certkit prints for these
//! steps works when pasted into a shell (quoted paths, the password options given).

use serde_json::Value;

use crate::common::{s, td, Sandbox};
use crate::support_jwt::google_client_email;

const SCOPE: &str = "https://www.googleapis.com/auth/bigquery";
const USER: &str = "integration.user@example.com";

/// The JWT claims of an External Credential file as Python's ElementTree reads them:
/// {"body": {name: value}, "header": {name: value}, "url": the token URL}, the `exp` formula
/// read as its `+ N`.
fn ec_claims(sb: &Sandbox, path: &str) -> Value {
    let py = r#"
import json, re, sys, xml.etree.ElementTree as ET
ns = '{http://soap.sforce.com/2006/04/metadata}'
root = ET.parse(sys.argv[1]).getroot()
out = {"body": {}, "header": {}}
for p in root.findall(ns + 'externalCredentialParameters'):
    ty = p.findtext(ns + 'parameterType')
    name = p.findtext(ns + 'parameterName')
    value = p.findtext(ns + 'parameterValue')
    if ty == 'JwtBodyClaim':
        if name == 'exp':
            value = int(re.search(r'\+\s*(\d+)\)\)\}$', value).group(1))
        out["body"][name] = value
    elif ty == 'JwtHeaderClaim':
        out["header"][name] = value
    elif ty == 'AuthProviderUrl':
        out["url"] = value
print(json.dumps(out))
"#;
    let r = sb.shell(&format!(
        "python3 -c {} {}",
        crate::common::shell_word(py),
        crate::common::shell_word(path)
    ));
    r.ok();
    serde_json::from_str(&r.stdout).expect("claims json")
}

/// Compare the claims the External Credential file holds with those of a dry run.
fn assert_same_claims(ec: &Value, dry: &Value, what: &str) {
    let claims = &dry["request"]["assertion_claims"];
    let header = &dry["request"]["assertion_header"];
    for name in ["iss", "sub", "aud", "scope"] {
        assert_eq!(
            ec["body"].get(name),
            claims.get(name),
            "{what}: claim {name}: credential {ec} / exchange {claims}"
        );
    }
    assert_eq!(ec["url"], dry["request"]["url"], "{what}: the token URL");
    let life = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
    assert_eq!(ec["body"]["exp"].as_i64(), Some(life), "{what}: exp - iat");
    for name in ["alg", "typ", "kid"] {
        assert_eq!(
            ec["header"].get(name),
            header.get(name),
            "{what}: header {name}: credential {ec} / exchange {header}"
        );
    }
}

/// One profile: `metadata` then `exchange --dry-run --json` with the same inputs.
fn compare(sb: &Sandbox, profile: &str, key: &[&str], claims: &[&str], extra_md: &[&str]) -> Value {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let out = format!("md-{profile}-{n}");
    let mut md = vec!["metadata"];
    md.extend_from_slice(key);
    md.extend(["--profile", profile, "--name", "Cred", "-o", &out]);
    md.extend_from_slice(claims);
    md.extend_from_slice(extra_md);
    sb.certkit(&md).ok();
    let ec = ec_claims(
        sb,
        &sb.p(&format!(
            "{out}/force-app/main/default/externalCredentials/Cred.externalCredential-meta.xml"
        )),
    );
    let mut ex = vec!["exchange"];
    ex.extend_from_slice(key);
    ex.extend(["--profile", profile, "--dry-run", "--json"]);
    ex.extend_from_slice(claims);
    let r = sb.certkit(&ex);
    r.ok();
    let dry = r.json();
    assert_same_claims(&ec, &dry, profile);
    dry
}

fn org2(sb: &Sandbox) -> String {
    let pw = sb.secret("pw", "abc12345");
    sb.certkit(&[
        "selfsign",
        "--cn",
        "org2",
        "--jks",
        "--out-password-file",
        "pw",
    ])
    .ok();
    pw
}

#[test]
fn exchange_sends_the_claims_the_external_credential_of_metadata_sends_for_each_profile() {
    let sb = Sandbox::new();
    let pw = org2(&sb);
    // Google: sub is the account, as the runbook's credential sets it.
    let json = td("google-sample.json");
    let dry = compare(&sb, "google", &[&json], &["--scope", SCOPE], &[]);
    let claims = &dry["request"]["assertion_claims"];
    assert_eq!(claims["iss"], google_client_email().as_str());
    assert_eq!(claims["sub"], claims["iss"], "{claims}");
    // With a user to impersonate, both carry it.
    compare(
        &sb,
        "google",
        &[&json],
        &["--scope", SCOPE, "--sub", "someone@example.com"],
        &[],
    );
    // Salesforce, org to org: kid is the key's RFC 7638 thumbprint in both, not the alias.
    let dry = compare(
        &sb,
        "salesforce",
        &["org2.jks", "--password-file", &pw],
        &[
            "--iss",
            "3MVG9abc",
            "--sub",
            USER,
            "--aud",
            "https://test.salesforce.com",
        ],
        &["--url", "https://acme.my.salesforce.com"],
    );
    let modulus = crate::support_jwt::openssl_modulus(&sb, &sb.p("org2.crt"));
    assert_eq!(
        dry["request"]["assertion_header"]["kid"],
        crate::support_jwt::rfc7638_thumbprint(&sb, &modulus, &[1, 0, 1], "ckid").as_str()
    );
    // Generic, with a scope claim and a lifetime of its own.
    compare(
        &sb,
        "generic",
        &["org2.jks", "--password-file", &pw],
        &[
            "--iss",
            "client-1",
            "--sub",
            USER,
            "--aud",
            "https://auth.example.com/token",
            "--scope",
            "read write",
            "--exp-seconds",
            "90",
        ],
        &["--url", "https://api.example.com"],
    );
}

#[test]
fn dry_run_shows_the_failing_checks_before_anything_is_sent_and_exits_1() {
    let sb = Sandbox::new();
    let pw = org2(&sb);
    // No iss, a quoted sub, a lifetime of an hour: what Salesforce would refuse, said first.
    let args = [
        "exchange",
        "org2.jks",
        "--password-file",
        &pw,
        "--profile",
        "salesforce",
        "--sub",
        "\"integration.user@example.com\"",
        "--exp-seconds",
        "3600",
        "--dry-run",
    ];
    let r = sb.certkit(&args);
    r.code_is(1);
    let checks_at = r
        .stdout
        .find("Offline checks of the assertion about to be sent")
        .unwrap_or_else(|| panic!("no offline checks in the dry run:\n{}", r.stdout));
    let dry_at = r.stdout.find("Dry run: nothing was sent.").unwrap();
    assert!(checks_at < dry_at, "{}", r.stdout);
    let shown = &r.stdout[checks_at..dry_at];
    assert!(shown.contains("FAIL"), "{shown}");
    assert!(shown.contains("iss"), "{shown}");
    assert!(shown.contains("quote"), "{shown}");
    // --json: the same checks, one document.
    let mut json = args.to_vec();
    json.push("--json");
    let r = sb.certkit(&json);
    r.code_is(1);
    let v = r.json();
    assert_eq!(v["outcome"], "dry_run");
    let offline = v["offline"].as_array().unwrap();
    assert!(
        offline.iter().any(|c| c["status"] == "fail"),
        "{}",
        v["offline"]
    );
    // A correct request: every check passes, exit 0.
    let r = sb.certkit(&[
        "exchange",
        "org2.jks",
        "--password-file",
        &pw,
        "--profile",
        "salesforce",
        "--iss",
        "3MVG9abc",
        "--sub",
        USER,
        "--dry-run",
    ]);
    r.ok();
    assert!(
        r.stdout
            .contains("Offline checks of the assertion about to be sent: all pass."),
        "{}",
        r.stdout
    );
}

/// The step of README-deploy.md that holds `needle`.
fn step<'a>(readme: &'a str, needle: &str) -> (usize, &'a str) {
    readme
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .unwrap_or_else(|| panic!("no step with {needle}:\n{readme}"))
}

/// The command of a step: from `certkit` to the end of the line (or the given end).
fn command_of<'a>(line: &'a str, start: &str) -> &'a str {
    let i = line.find(start).unwrap();
    &line[i..]
}

#[test]
fn the_printed_commands_work_when_pasted_from_a_folder_with_a_space() {
    let sb = Sandbox::new();
    std::fs::create_dir(sb.path("my keys")).unwrap();
    std::fs::write(sb.path("my keys/jks pw"), "abc12345\n").unwrap();
    sb.certkit(&[
        "selfsign",
        "--cn",
        "org2",
        "--jks",
        "--out-password-file",
        "my keys/jks pw",
        "--out-dir",
        "my keys",
    ])
    .ok();
    let r = sb.certkit(&[
        "metadata",
        "my keys/org2.jks",
        "--password-file",
        "my keys/jks pw",
        "--profile",
        "salesforce",
        "--consumer-key",
        "3MVG9abc",
        "--sub",
        USER,
        "--aud",
        "https://test.salesforce.com",
        "--url",
        "https://acme--uat.sandbox.my.salesforce.com",
        "--client-app",
        "-o",
        "sf dx",
    ]);
    r.ok();
    let readme = std::fs::read_to_string(sb.path("sf dx/README-deploy.md")).unwrap();
    // The exchange it prints: pasted from another folder, it runs (the password option is
    // there, the paths are quoted) and sends the claims the credential holds.
    let (_, line) = step(&readme, "Prove the exchange");
    let cmd = command_of(line, "certkit exchange");
    assert!(cmd.contains("--password-file"), "{cmd}");
    std::fs::create_dir(sb.path("elsewhere")).unwrap();
    let r = sb.shell(&format!("cd elsewhere && {cmd} --dry-run --json"));
    r.ok();
    let ec = ec_claims(
        &sb,
        &sb.p("sf dx/force-app/main/default/externalCredentials/org2.externalCredential-meta.xml"),
    );
    assert_same_claims(&ec, &r.json(), "pasted");
    // The keystore rewrite it prints runs too.
    let (_, line) = step(&readme, "certkit p12-to-jks");
    let cmd = command_of(line, "certkit p12-to-jks");
    let cmd = cmd.split(". Enable").next().unwrap();
    sb.shell(&format!("cd elsewhere && {cmd}")).ok();
    assert!(sb.path("my keys/org2_salesforce.jks").exists());
    // The folders: every cd into client-app is in a subshell (it ends there, even when the
    // deploy fails), and the calling org's deploy runs from the project folder, after the
    // called org's steps.
    let (client_at, client) = step(&readme, "(cd client-app && sf project deploy start");
    assert!(client.contains("--target-org CALLED_ORG)"), "{client}");
    let (retrieve_at, retrieve) = step(&readme, "sf project retrieve start");
    assert!(retrieve.contains("(cd client-app &&"), "{retrieve}");
    // The user the credential names is the one the permission set is assigned to.
    let (_, assign) = step(&readme, "sf org assign permset");
    assert!(!assign.contains("INTEGRATION_USER"), "{assign}");
    let (calling_at, calling) = step(&readme, "In the calling org, from the project folder");
    assert!(calling.contains("--target-org CALLING_ORG"), "{calling}");
    assert!(
        client_at < retrieve_at && retrieve_at < calling_at,
        "{readme}"
    );
    let (cd_at, cd) = step(&readme, "Go to the project folder");
    assert!(cd.contains("sf dx'"), "{cd}");
    assert!(cd_at < client_at, "{readme}");
    // The org setting deploying the app's OAuth settings needs, named before that deploy.
    let (setting_at, _) = step(
        &readme,
        "Allow Access to OAuth Consumer Secrets via Metadata API",
    );
    assert!(setting_at < client_at, "{readme}");
}

#[test]
fn google_steps_carry_the_password_option_and_the_sub_the_credential_sends() {
    let sb = Sandbox::new();
    let pw = sb.secret("jks.pw", "abc12345");
    sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.json"),
        "-o",
        "google_sa.jks",
        "--alias",
        "google_sa",
        "--out-password-file",
        &pw,
    ])
    .ok();
    let r = sb.certkit(&[
        "metadata",
        "google_sa.jks",
        "--password-file",
        "jks.pw",
        "--profile",
        "google",
        "--scope",
        SCOPE,
        "--name",
        "Google_BQ",
        "-o",
        "sfdx",
        "--json",
    ]);
    r.ok();
    let steps = r.json()["steps"].clone();
    let exchange = steps
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .find(|s| s.contains("certkit exchange"))
        .unwrap();
    let cmd = command_of(exchange, "certkit exchange");
    assert!(cmd.contains("--password-file"), "{cmd}");
    assert!(
        cmd.contains(&format!("--sub={}", google_client_email())),
        "{cmd}"
    );
    let r = sb.shell(&format!("{cmd} --dry-run --json"));
    r.ok();
    let ec = ec_claims(
        &sb,
        &sb.p(
            "sfdx/force-app/main/default/externalCredentials/Google_BQ.externalCredential-meta.xml",
        ),
    );
    assert_same_claims(&ec, &r.json(), "google, pasted");
    assert!(
        !exchange.contains("add the keystore's password option"),
        "{exchange}"
    );
    let _ = s(&r.json(), "profile");
}

#[test]
fn renew_jks_writes_the_key_under_a_new_name_and_says_to_switch_then_delete() {
    let sb = Sandbox::new();
    let pw = org2(&sb);
    let today = sb.shell("date -u +%Y%m%d").stdout.trim().to_string();
    let r = sb.certkit(&[
        "renew",
        "org2.jks",
        "--password-file",
        &pw,
        "--days",
        "365",
        "--jks",
        "--out-password-file",
        &pw,
        "--out-dir",
        "new",
    ]);
    r.ok();
    let new = format!("org2_{today}");
    let jks = format!("new/{new}.jks");
    assert!(sb.path(&jks).exists(), "{}", r.stdout);
    // keytool reads the new alias: the Unique Name the import gives the certificate.
    let listing = sb.keytool_list(&jks, "abc12345");
    assert_eq!(listing.entries.len(), 1);
    assert_eq!(listing.entries[0].alias, new);
    // The steps: import under the new name, switch the credential, then delete the old.
    let steps = &r.stdout[r
        .stdout
        .find("In the calling org: import")
        .unwrap_or_else(|| panic!("no import step in:\n{}", r.stdout))..];
    let at = |needle: &str| {
        steps
            .find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in:\n{steps}"))
    };
    assert!(
        at(&format!("Unique Name is \"{new}\""))
            < at("set the External Credential's signing certificate")
    );
    assert!(
        at("set the External Credential's signing certificate") < at("delete the old certificate")
    );
    // Renewed again the same day, the name is still new.
    let again = sb.certkit(&[
        "renew",
        &jks,
        "--password-file",
        &pw,
        "--days",
        "365",
        "--jks",
        "--out-password-file",
        &pw,
        "--out-dir",
        "newer",
        "--json",
    ]);
    again.ok();
    assert_ne!(s(&again.json(), "alias"), new);
}

#[test]
fn a_refusal_prints_its_check_command_with_this_keystore_and_its_password_option() {
    let sb = Sandbox::new();
    std::fs::create_dir(sb.path("my keys")).unwrap();
    std::fs::write(sb.path("my keys/jks pw"), "abc12345\n").unwrap();
    sb.certkit(&[
        "p12-to-jks",
        &td("google-sample.json"),
        "-o",
        "my keys/sa.jks",
        "--out-password-file",
        "my keys/jks pw",
    ])
    .ok();
    let answers = r#"[{"path": "t", "status": 400, "body": "{\"error\": \"invalid_scope\", \"error_description\": \"Invalid OAuth scope or ID token audience provided.\"}"}]"#;
    std::fs::write(sb.path("answers.json"), answers).unwrap();
    let srv = crate::servers::Server::start(&sb, "replay", &["--answers", &sb.p("answers.json")]);
    let r = sb.certkit(&[
        "exchange",
        "my keys/sa.jks",
        "--password-file",
        "my keys/jks pw",
        "--profile",
        "google",
        "--scope",
        SCOPE,
        "--token-url",
        &srv.url("t"),
    ]);
    r.code_is(1);
    let check = r
        .stdout
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("check:"))
        .unwrap_or_else(|| panic!("no check command:\n{}", r.stdout))
        .trim();
    assert!(!check.contains("KEYSTORE"), "{check}");
    assert!(!check.contains("SCOPES"), "{check}");
    // Pasted, it runs: the path is quoted, the password option is there.
    sb.shell(check).ok();
    // --json carries the same command: filled where the diagnosis is made, not in the text.
    let r = sb.certkit(&[
        "exchange",
        "my keys/sa.jks",
        "--password-file",
        "my keys/jks pw",
        "--profile",
        "google",
        "--scope",
        SCOPE,
        "--token-url",
        &srv.url("t"),
        "--json",
    ]);
    r.code_is(1);
    let v = r.json();
    let command = v["diagnosis"][0]["command"]
        .as_str()
        .unwrap_or_else(|| panic!("no command in --json: {v}"));
    assert_eq!(command, check, "the JSON and the text give one command");
}
