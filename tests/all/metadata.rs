//! `certkit metadata` and `preflight --external-credential`: the generated source read back
//! by an independent XML parser (Python's ElementTree) element by element, every broken
//! configuration of the user stories failing its named check, and the generated set passing.

use serde_json::Value;

use crate::common::{s, td, Sandbox};
use crate::support_jwt::*;

const SCOPE: &str = "https://www.googleapis.com/auth/bigquery";
const EC: &str =
    "sfdx/force-app/main/default/externalCredentials/Google_BQ.externalCredential-meta.xml";

/// An XML file as Python's ElementTree reads it: the root, then for each child its tag and
/// either its text or the list of (tag, text) of its own children, in document order.
fn etree(sb: &Sandbox, path: &str) -> Value {
    let py = r#"
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
strip = lambda t: t.split('}', 1)[1] if '}' in t else t
def node(e):
    kids = list(e)
    return [strip(e.tag), [[strip(k.tag), k.text] for k in kids] if kids else e.text]
print(json.dumps({"root": strip(root.tag), "ns": root.tag.split('}')[0][1:], "children": [node(c) for c in root]}))
"#;
    let r = sb.shell(&format!(
        "python3 -c {} {}",
        crate::common::shell_word(py),
        path
    ));
    r.ok();
    serde_json::from_str(&r.stdout).expect("etree json")
}

/// The children of a parameter list: (type, name) -> [(tag, text)...].
fn params(tree: &Value, element: &str) -> Vec<Vec<(String, Option<String>)>> {
    tree["children"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c[0] == element)
        .map(|c| {
            c[1].as_array()
                .unwrap()
                .iter()
                .map(|kv| {
                    (
                        kv[0].as_str().unwrap().to_string(),
                        kv[1].as_str().map(str::to_string),
                    )
                })
                .collect()
        })
        .collect()
}

fn get<'a>(p: &'a [(String, Option<String>)], tag: &str) -> Option<&'a str> {
    p.iter()
        .find(|(t, _)| t == tag)
        .and_then(|(_, v)| v.as_deref())
}

fn google(sb: &Sandbox) {
    sb.certkit(&[
        "metadata",
        &td("google-sample.json"),
        "--profile",
        "google",
        "--scope",
        SCOPE,
        "--name",
        "Google_BQ",
        "-o",
        "sfdx",
    ])
    .ok();
}

#[test]
fn google_metadata_carries_exactly_the_values_the_runbook_prescribes() {
    let sb = Sandbox::new();
    google(&sb);
    let tree = etree(&sb, EC);
    assert_eq!(tree["root"], "ExternalCredential");
    assert_eq!(tree["ns"], "http://soap.sforce.com/2006/04/metadata");
    let tags: Vec<&str> = tree["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[0].as_str().unwrap())
        .collect();
    // The Metadata API's order: authenticationProtocol, description, the parameters, label.
    assert_eq!(tags.first(), Some(&"authenticationProtocol"));
    assert_eq!(tags.last(), Some(&"label"));
    let ps = params(&tree, "externalCredentialParameters");
    // Every parameter's elements in the retrieved files' order.
    let order = [
        "certificate",
        "description",
        "parameterGroup",
        "parameterName",
        "parameterType",
        "parameterValue",
        "sequenceNumber",
    ];
    for p in &ps {
        let idx: Vec<usize> = p
            .iter()
            .map(|(t, _)| order.iter().position(|o| o == t).expect("known element"))
            .collect();
        assert!(idx.windows(2).all(|w| w[0] < w[1]), "{p:?}");
    }
    let find = |ty: &str, name: &str| {
        ps.iter()
            .find(|p| get(p, "parameterType") == Some(ty) && get(p, "parameterName") == Some(name))
            .unwrap_or_else(|| panic!("no {ty} {name}: {ps:?}"))
            .clone()
    };
    let email = google_client_email();
    assert_eq!(
        get(&find("AuthProtocolVariant", "Oauth"), "parameterValue"),
        Some("JwtBearer")
    );
    assert_eq!(
        get(
            &find("AuthProviderUrl", "AuthProviderUrl"),
            "parameterValue"
        ),
        Some("https://oauth2.googleapis.com/token")
    );
    assert_eq!(
        get(
            &find("SigningCertificate", "SigningCertificate"),
            "certificate"
        ),
        Some("certkit_sample")
    );
    assert_eq!(
        get(&find("JwtBodyClaim", "iss"), "parameterValue"),
        Some(email.as_str())
    );
    assert_eq!(
        get(&find("JwtBodyClaim", "sub"), "parameterValue"),
        Some(email.as_str())
    );
    assert_eq!(
        get(&find("JwtBodyClaim", "aud"), "parameterValue"),
        Some("https://oauth2.googleapis.com/token")
    );
    assert_eq!(
        get(&find("JwtBodyClaim", "scope"), "parameterValue"),
        Some(SCOPE)
    );
    assert_eq!(
        get(&find("JwtBodyClaim", "exp"), "parameterValue"),
        Some("{!Text(FLOOR((NOW() - DATETIMEVALUE( \"1970-01-01 00:00:00\" )) * 86400 + 3600))}")
    );
    assert_eq!(
        get(&find("JwtHeaderClaim", "alg"), "parameterValue"),
        Some("RS256")
    );
    assert_eq!(
        get(&find("JwtHeaderClaim", "kid"), "parameterValue"),
        Some(google_private_key_id().as_str())
    );
    let principal = find("NamedPrincipal", "Default");
    assert_eq!(get(&principal, "parameterGroup"), Some("Default"));
    assert_eq!(get(&principal, "sequenceNumber"), Some("1"));
    assert!(
        ps.iter()
            .all(|p| get(p, "parameterType") != Some("AuthParameter")),
        "no Scope parameter"
    );
    // The Named Credential and the permission set.
    let nc = etree(
        &sb,
        "sfdx/force-app/main/default/namedCredentials/Google_BQ.namedCredential-meta.xml",
    );
    let ncp = params(&nc, "namedCredentialParameters");
    assert!(
        ncp.iter()
            .any(|p| get(p, "parameterType") == Some("Authentication")
                && get(p, "externalCredential") == Some("Google_BQ")),
        "{ncp:?}"
    );
    assert!(ncp.iter().any(|p| get(p, "parameterType") == Some("Url")
        && get(p, "parameterValue") == Some("https://www.googleapis.com")));
    let child = |t: &Value, tag: &str| {
        t["children"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c[0] == tag)
            .map(|c| c[1].clone())
    };
    assert_eq!(
        child(&nc, "namedCredentialType"),
        Some(Value::from("SecuredEndpoint"))
    );
    assert_eq!(
        child(&nc, "generateAuthorizationHeader"),
        Some(Value::from("true"))
    );
    let ps_tree = etree(
        &sb,
        "sfdx/force-app/main/default/permissionsets/Google_BQ_Access.permissionset-meta.xml",
    );
    let access = params(&ps_tree, "externalCredentialPrincipalAccesses");
    assert_eq!(
        get(&access[0], "externalCredentialPrincipal"),
        Some("Google_BQ-Default")
    );
    assert_eq!(get(&access[0], "enabled"), Some("true"));
    let objects = params(&ps_tree, "objectPermissions");
    assert_eq!(get(&objects[0], "object"), Some("UserExternalCredential"));
    assert_eq!(get(&objects[0], "allowRead"), Some("true"));
    // The project and the steps.
    let project: Value =
        serde_json::from_str(&std::fs::read_to_string(sb.path("sfdx/sfdx-project.json")).unwrap())
            .unwrap();
    assert_eq!(project["packageDirectories"][0]["path"], "force-app");
    let readme = std::fs::read_to_string(sb.path("sfdx/README-deploy.md")).unwrap();
    let at = |t: &str| {
        readme
            .find(t)
            .unwrap_or_else(|| panic!("{t} missing:\n{readme}"))
    };
    assert!(
        at("Import from Keystore") < at("sf project deploy start")
            && at("sf project deploy start") < at("sf org assign permset")
    );
    assert!(at("sf org assign permset") < at("certkit exchange"));
}

#[test]
fn salesforce_metadata_and_the_called_orgs_client_app() {
    let sb = Sandbox::new();
    sb.secret("pw", "abc12345");
    sb.certkit(&[
        "selfsign",
        "--cn",
        "org2",
        "--jks",
        "--out-password-file",
        "pw",
    ])
    .ok();
    let r = sb.certkit(&[
        "metadata",
        "org2.jks",
        "--password-file",
        "pw",
        "--profile",
        "salesforce",
        "--consumer-key",
        "3MVG9abc",
        "--sub",
        "integration.user@example.com",
        "--aud",
        "https://test.salesforce.com",
        "--url",
        "https://acme--uat.sandbox.my.salesforce.com",
        "--client-app",
        "-o",
        "sfdx",
        "--json",
    ]);
    r.ok();
    let tree = etree(
        &sb,
        "sfdx/force-app/main/default/externalCredentials/org2.externalCredential-meta.xml",
    );
    let ps = params(&tree, "externalCredentialParameters");
    let value = |ty: &str, name: &str| {
        ps.iter()
            .find(|p| get(p, "parameterType") == Some(ty) && get(p, "parameterName") == Some(name))
            .and_then(|p| get(p, "parameterValue").map(str::to_string))
    };
    assert_eq!(value("JwtBodyClaim", "iss").as_deref(), Some("3MVG9abc"));
    assert_eq!(
        value("JwtBodyClaim", "sub").as_deref(),
        Some("integration.user@example.com")
    );
    assert_eq!(
        value("JwtBodyClaim", "aud").as_deref(),
        Some("https://test.salesforce.com")
    );
    assert_eq!(
        value("AuthProviderUrl", "AuthProviderUrl").as_deref(),
        Some("https://test.salesforce.com/services/oauth2/token")
    );
    // The one kid of a non-Google key: the RFC 7638 thumbprint (Salesforce does not read it).
    let modulus = openssl_modulus(&sb, &sb.p("org2.crt"));
    assert_eq!(
        value("JwtHeaderClaim", "kid"),
        Some(rfc7638_thumbprint(&sb, &modulus, &[1, 0, 1], "mkid")),
        "the kid is the key's thumbprint, not the keystore alias"
    );
    // The External Client App carries the certificate, base64 DER without armour.
    let glbl = etree(&sb, "sfdx/client-app/force-app/main/default/extlClntAppGlobalOauthSets/org2.ecaGlblOauth-meta.xml");
    let cert_b64 = glbl["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c[0] == "certificate")
        .unwrap()[1]
        .as_str()
        .unwrap()
        .to_string();
    let der = openssl_bytes(&sb, &["x509", "-in", "org2.crt", "-outform", "DER"]);
    assert_eq!(b64std(&der), cert_b64);
    let plcy = etree(&sb, "sfdx/client-app/force-app/main/default/extlClntAppOauthPolicies/org2.ecaOauthPlcy-meta.xml");
    let tags: Vec<&str> = plcy["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[0].as_str().unwrap())
        .collect();
    let mut sorted = tags.clone();
    sorted.sort();
    assert_eq!(tags, sorted, "the Metadata API's order");
    assert!(plcy["children"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c[0] == "permittedUsersPolicyType" && c[1] == "AdminApprovedPreAuthorized"));
    for f in [
        "sfdx/client-app/force-app/main/default/externalClientApps/org2.eca-meta.xml",
        "sfdx/client-app/force-app/main/default/extlClntAppOauthSettings/org2.ecaOauth-meta.xml",
        "sfdx/client-app/sfdx-project.json",
    ] {
        assert!(sb.path(f).exists(), "{f}");
    }
    assert!(r.json()["steps"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s.as_str().unwrap().contains("SetupEntityAccess")));
}

fn preflight_ec(sb: &Sandbox, target: &str, key: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "preflight",
        key,
        "--target",
        target,
        "--external-credential",
        "ec.xml",
        "--json",
    ];
    args.extend_from_slice(extra);
    let r = sb.certkit(&args);
    // The exit code follows the report: 1 exactly when a check fails, else 0.
    let v = r.json();
    let want = if failing(&v).is_empty() { 0 } else { 1 };
    assert_eq!(r.code, want, "{}\n{v}", r.stderr);
    v
}

fn ec_failures(report: &Value) -> Vec<String> {
    failing(report)
        .into_iter()
        .filter(|id| id.starts_with("ec."))
        .collect()
}

#[test]
fn the_generated_credential_passes_its_own_checks() {
    let sb = Sandbox::new();
    google(&sb);
    std::fs::copy(sb.path(EC), sb.path("ec.xml")).unwrap();
    let r = sb.certkit(&[
        "preflight",
        &td("google-sample.json"),
        "--target",
        "google",
        "--external-credential",
        "ec.xml",
        "--cert-name",
        "certkit_sample",
        "--named-credential",
        "sfdx/force-app/main/default/namedCredentials/Google_BQ.namedCredential-meta.xml",
        "--permission-set",
        "sfdx/force-app/main/default/permissionsets/Google_BQ_Access.permissionset-meta.xml",
        "--json",
    ]);
    // ec.xml is named differently: the name comes from the label then, and matches.
    let v = r.json();
    assert!(ec_failures(&v).is_empty(), "{v}");
    r.ok();
    // The assertion checked is the one the credential sends: its scope and kid pass Google's rules.
    assert_eq!(status(&v, "google.scope"), "pass");
    assert_eq!(status(&v, "google.kid"), "pass");
}

/// The generated Google credential with one change, written as a retrieved file would be.
fn broken(sb: &Sandbox, from: &str, to: &str) {
    let text = std::fs::read_to_string(sb.path(EC)).unwrap();
    assert!(text.contains(from), "{from} not in the generated file");
    std::fs::write(sb.path("ec.xml"), text.replace(from, to)).unwrap();
}

#[test]
fn each_broken_google_configuration_fails_its_named_check() {
    let sb = Sandbox::new();
    google(&sb);
    let key = td("google-sample.json");
    let kid = google_private_key_id();
    let email = google_client_email();
    let scope_claim =
        "<parameterName>scope</parameterName>\n        <parameterType>JwtBodyClaim</parameterType>"
            .to_string();
    let cases: Vec<(&str, String, String, &str)> = vec![
        ("scope in the Scope field", scope_claim.clone(), "<parameterName>Scope</parameterName>\n        <parameterType>AuthParameter</parameterType>".into(), "ec.scope"),
        ("exp longer than Google's 3600 s", "86400 + 3600))}".into(), "86400 + 7200))}".into(), "ec.exp"),
        ("aud not Google's", "<parameterName>aud</parameterName>\n        <parameterType>JwtBodyClaim</parameterType>\n        <parameterValue>https://oauth2.googleapis.com/token".into(), "<parameterName>aud</parameterName>\n        <parameterType>JwtBodyClaim</parameterType>\n        <parameterValue>https://www.googleapis.com/".into(), "ec.aud"),
        ("sub quoted", format!("<parameterName>sub</parameterName>\n        <parameterType>JwtBodyClaim</parameterType>\n        <parameterValue>{email}"), format!("<parameterName>sub</parameterName>\n        <parameterType>JwtBodyClaim</parameterType>\n        <parameterValue>&quot;{email}&quot;"), "ec.sub"),
        ("iss missing once claims are edited", "<parameterName>iss</parameterName>".into(), "<parameterName>issuer</parameterName>".into(), "ec.iss-sub-aud"),
        ("token URL of another provider", "<parameterValue>https://oauth2.googleapis.com/token</parameterValue>\n    </externalCredentialParameters>\n    <externalCredentialParameters>\n        <certificate>".into(), "<parameterValue>https://login.salesforce.com/services/oauth2/token</parameterValue>\n    </externalCredentialParameters>\n    <externalCredentialParameters>\n        <certificate>".into(), "ec.token-url"),
        ("another certificate", "<certificate>certkit_sample</certificate>".into(), "<certificate>other_cert</certificate>".into(), "ec.signing-certificate"),
        ("client credentials flow", "<parameterValue>JwtBearer</parameterValue>".into(), "<parameterValue>ClientCredentialsClientSecret</parameterValue>".into(), "ec.flow"),
    ];
    // kid left at the certificate's name: Google documents kid, but tries the account's keys
    // (the exchange works): a warning, the same as google.kid gives the assertion.
    broken(
        &sb,
        &format!("<parameterValue>{kid}</parameterValue>"),
        "<parameterValue>certkit_sample</parameterValue>",
    );
    let v = preflight_ec(&sb, "google", &key, &["--cert-name", "certkit_sample"]);
    assert_eq!(status(&v, "ec.kid"), "warn", "{v}");
    assert_eq!(status(&v, "google.kid"), "warn", "{v}");
    assert!(s(check(&v, "ec.kid"), "fix").contains(&kid));
    for (what, from, to, rule) in cases {
        broken(&sb, &from, &to);
        let v = preflight_ec(&sb, "google", &key, &["--cert-name", "certkit_sample"]);
        let failed = ec_failures(&v);
        assert!(
            failed.contains(&rule.to_string()),
            "{what}: {failed:?}\n{v}"
        );
        let c = check(&v, rule);
        assert!(
            s(c, "detail").contains("<"),
            "{what}: the detail names the element: {c}"
        );
        assert!(!s(c, "fix").is_empty(), "{what}");
    }
}

#[test]
fn each_broken_salesforce_configuration_fails_its_named_check_and_the_principal_must_be_granted() {
    let sb = Sandbox::new();
    sb.secret("pw", "abc12345");
    sb.certkit(&[
        "selfsign",
        "--cn",
        "org2",
        "--jks",
        "--out-password-file",
        "pw",
    ])
    .ok();
    sb.certkit(&[
        "metadata",
        "org2.jks",
        "--password-file",
        "pw",
        "--profile",
        "salesforce",
        "--consumer-key",
        "3MVG9abc",
        "--sub",
        "user@example.com",
        "--url",
        "https://acme.my.salesforce.com",
        "-o",
        "sf",
    ])
    .ok();
    let ec = std::fs::read_to_string(
        sb.path("sf/force-app/main/default/externalCredentials/org2.externalCredential-meta.xml"),
    )
    .unwrap();
    let ps = "sf/force-app/main/default/permissionsets/org2_Access.permissionset-meta.xml";
    std::fs::write(sb.path("ec.xml"), &ec).unwrap();
    let v = preflight_ec(
        &sb,
        "salesforce-jwt",
        "org2.jks",
        &["--password-file", "pw", "--permission-set", ps],
    );
    assert!(ec_failures(&v).is_empty(), "{v}");
    let cases = [
        (
            "aud is the token endpoint",
            "<parameterValue>https://login.salesforce.com</parameterValue>",
            "<parameterValue>https://login.salesforce.com/services/oauth2/token</parameterValue>",
            "ec.aud",
        ),
        (
            "sub quoted",
            "<parameterValue>user@example.com</parameterValue>",
            "<parameterValue>&quot;user@example.com&quot;</parameterValue>",
            "ec.sub",
        ),
        (
            "no principal",
            "<parameterType>NamedPrincipal</parameterType>",
            "<parameterType>Unknown</parameterType>",
            "ec.principal",
        ),
    ];
    for (what, from, to, rule) in cases {
        assert!(ec.contains(from), "{what}");
        std::fs::write(sb.path("ec.xml"), ec.replace(from, to)).unwrap();
        let v = preflight_ec(
            &sb,
            "salesforce-jwt",
            "org2.jks",
            &["--password-file", "pw"],
        );
        assert!(ec_failures(&v).contains(&rule.to_string()), "{what}: {v}");
    }
    // Quotes around aud, as a retrieved file showed: whether Salesforce strips them is not
    // known (docs/salesforce-metadata.md), so a warning, and the assertion is checked without them.
    let from = "<parameterValue>https://login.salesforce.com</parameterValue>";
    std::fs::write(
        sb.path("ec.xml"),
        ec.replace(
            from,
            "<parameterValue>&quot;https://login.salesforce.com&quot;</parameterValue>",
        ),
    )
    .unwrap();
    let v = preflight_ec(
        &sb,
        "salesforce-jwt",
        "org2.jks",
        &["--password-file", "pw"],
    );
    assert_eq!(status(&v, "ec.aud"), "warn", "{v}");
    assert_eq!(status(&v, "salesforce.aud"), "pass", "{v}");
    // Expirations that are not now + 1 to 180 seconds: Salesforce documents 180 s but is not
    // known to refuse more (a one-hour exp is reported working), so a warning with the same
    // level as salesforce.lifetime; a formula whose lifetime cannot be told is a warning too;
    // an assertion expired when signed fails.
    for (tail, verdict) in [
        ("86400 + 600))}", "warn"),
        ("86400 + 86400))}", "warn"),
        ("86400 + 60 * 120))}", "warn"),
        ("86400 - 60))}", "fail"),
    ] {
        std::fs::write(sb.path("ec.xml"), ec.replace("86400 + 120))}", tail)).unwrap();
        let v = preflight_ec(
            &sb,
            "salesforce-jwt",
            "org2.jks",
            &["--password-file", "pw"],
        );
        assert_eq!(status(&v, "ec.exp"), verdict, "{tail}: {v}");
        if tail == "86400 + 600))}" {
            assert_eq!(status(&v, "salesforce.lifetime"), "warn", "{v}");
            assert_eq!(s(check(&v, "ec.exp"), "evidence"), "documented", "{v}");
        }
    }
    // A claim set twice.
    let iss = "<parameterName>iss</parameterName>";
    let i = ec.find(iss).unwrap();
    let start = ec[..i].rfind("    <externalCredentialParameters>").unwrap();
    let end = i
        + ec[i..].find("</externalCredentialParameters>").unwrap()
        + "</externalCredentialParameters>\n".len();
    let twice = format!("{}{}{}", &ec[..end], &ec[start..end], &ec[end..]);
    std::fs::write(sb.path("ec.xml"), twice).unwrap();
    let v = preflight_ec(
        &sb,
        "salesforce-jwt",
        "org2.jks",
        &["--password-file", "pw"],
    );
    // Which of the two Salesforce sends is not documented: advice, a warning.
    assert_eq!(status(&v, "ec.duplicate"), "warn", "{v}");
    // A principal no permission set grants.
    std::fs::write(sb.path("ec.xml"), &ec).unwrap();
    let other = std::fs::read_to_string(sb.path(ps))
        .unwrap()
        .replace("org2-Default", "org2-Someone");
    std::fs::write(sb.path("ps.xml"), other).unwrap();
    let v = preflight_ec(
        &sb,
        "salesforce-jwt",
        "org2.jks",
        &["--password-file", "pw", "--permission-set", "ps.xml"],
    );
    assert!(
        ec_failures(&v).contains(&"ec.permission-set".to_string()),
        "{v}"
    );
}

#[test]
fn names_that_are_not_unique_names_are_refused_and_nothing_is_written() {
    let sb = Sandbox::new();
    for bad in ["1abc", "a__b", "a-b", "trailing_", "sp ace"] {
        let r = sb.certkit(&[
            "metadata",
            &td("google-sample.json"),
            "--profile",
            "google",
            "--scope",
            SCOPE,
            "--name",
            bad,
            "-o",
            "out",
        ]);
        r.code_is(2);
        assert!(r.stderr.contains("Unique Name"), "{bad}: {}", r.stderr);
        assert!(!sb.path("out").exists(), "{bad}: something was written");
    }
    // And an existing source folder is not overwritten.
    google(&sb);
    let before = std::fs::read_to_string(sb.path(EC)).unwrap();
    sb.certkit(&[
        "metadata",
        &td("google-sample.json"),
        "--profile",
        "google",
        "--scope",
        "other",
        "--name",
        "Google_BQ",
        "-o",
        "sfdx",
    ])
    .code_is(7);
    assert_eq!(std::fs::read_to_string(sb.path(EC)).unwrap(), before);
}

#[test]
fn a_malformed_or_foreign_xml_file_is_a_clear_error() {
    let sb = Sandbox::new();
    google(&sb);
    std::fs::write(sb.path("ec.xml"), "<ExternalCredential><label>x</lab").unwrap();
    let r = sb.certkit(&[
        "preflight",
        &td("google-sample.json"),
        "--target",
        "google",
        "--external-credential",
        "ec.xml",
    ]);
    r.code_is(4);
    std::fs::copy(
        sb.path("sfdx/force-app/main/default/namedCredentials/Google_BQ.namedCredential-meta.xml"),
        sb.path("nc.xml"),
    )
    .unwrap();
    let r = sb.certkit(&[
        "preflight",
        &td("google-sample.json"),
        "--target",
        "google",
        "--external-credential",
        "nc.xml",
    ]);
    r.code_is(4);
    assert!(r.stderr.contains("<NamedCredential>"), "{}", r.stderr);
}

#[test]
fn the_generator_refuses_what_its_checker_would_fail() {
    let sb = Sandbox::new();
    sb.secret("pw", "abc12345");
    sb.certkit(&[
        "selfsign",
        "--cn",
        "org2",
        "--jks",
        "--out-password-file",
        "pw",
    ])
    .ok();
    let sf = [
        "metadata",
        "org2.jks",
        "--password-file",
        "pw",
        "--profile",
        "salesforce",
        "--consumer-key",
        "3MVG9abc",
        "--sub",
        "u@example.com",
        "--url",
        "https://x.my.salesforce.com",
        "-o",
        "out",
    ];
    for (extra, code) in [
        (vec!["--exp-seconds", "-5"], 2),
        (vec!["--aud", "https://x.lightning.force.com"], 6),
        (vec!["--claim", "iss=evil"], 2),
        (vec!["--cert-name", "Org2"], 2),
    ] {
        let mut args = sf.to_vec();
        args.extend(extra.iter());
        let r = sb.certkit(&args);
        r.code_is(code);
        assert!(!sb.path("out").exists(), "{extra:?}: something was written");
    }
    // The token endpoint as audience is refused (Salesforce: "audience is invalid").
    let mut args = sf.to_vec();
    args.extend([
        "--aud",
        "https://login.salesforce.com/services/oauth2/token",
    ]);
    sb.certkit(&args).code_is(6);
    assert!(!sb.path("out").exists());
    // Keys Salesforce refuses make no credential.
    let r = sb.certkit(&[
        "metadata",
        &td("ec-key.p12"),
        "--password-file",
        &sb.secret("c", "changeit"),
        "--profile",
        "salesforce",
        "--consumer-key",
        "3MVG9",
        "--sub",
        "u@x.com",
        "--url",
        "https://x.my.salesforce.com",
        "-o",
        "ec",
    ]);
    r.code_is(5);
    let r = sb.certkit(&[
        "metadata",
        &td("google-1024.p12"),
        "--profile",
        "google",
        "--scope",
        SCOPE,
        "-o",
        "old",
    ]);
    r.code_is(6);
    // A name whose permission set would pass 80 characters.
    let long = format!("A{}", "a".repeat(73));
    let r = sb.certkit(&[
        "metadata",
        &td("google-sample.json"),
        "--profile",
        "google",
        "--scope",
        SCOPE,
        "--name",
        &long,
        "-o",
        "long",
    ]);
    r.code_is(2);
}

#[test]
fn the_client_app_comes_before_its_consumer_key_and_has_its_own_permission_set() {
    let sb = Sandbox::new();
    sb.secret("pw", "abc12345");
    sb.certkit(&[
        "selfsign",
        "--cn",
        "org2",
        "--jks",
        "--out-password-file",
        "pw",
    ])
    .ok();
    let r = sb.certkit(&[
        "metadata",
        "org2.jks",
        "--password-file",
        "pw",
        "--profile",
        "salesforce",
        "--sub",
        "u@example.com",
        "--url",
        "https://x.my.salesforce.com",
        "--client-app",
        "-o",
        "sf",
        "--json",
    ]);
    r.ok();
    let ec = std::fs::read_to_string(
        sb.path("sf/force-app/main/default/externalCredentials/org2.externalCredential-meta.xml"),
    )
    .unwrap();
    assert!(ec.contains("REPLACE_WITH_THE_CONSUMER_KEY"), "{ec}");
    let plcy = std::fs::read_to_string(sb.path(
        "sf/client-app/force-app/main/default/extlClntAppOauthPolicies/org2.ecaOauthPlcy-meta.xml",
    ))
    .unwrap();
    assert!(
        plcy.contains("<commaSeparatedPermissionSet>org2_Client</commaSeparatedPermissionSet>"),
        "{plcy}"
    );
    assert!(sb.path("sf/client-app/force-app/main/default/permissionsets/org2_Client.permissionset-meta.xml").exists());
    let steps = r.json()["steps"].to_string();
    assert!(steps.contains("REPLACE_WITH_THE_CONSUMER_KEY"), "{steps}");
}

#[test]
fn the_certificate_name_is_the_alias_p12_to_jks_writes() {
    let sb = Sandbox::new();
    sb.openssl(&[
        "pkcs12",
        "-export",
        "-inkey",
        &td("google-sample.key.pem"),
        "-in",
        &td("google-sample.crt.pem"),
        "-name",
        "Org-Two Key",
        "-passout",
        "pass:changeit",
        "-out",
        "weird.p12",
    ])
    .ok();
    let pw = sb.secret("pw", "changeit");
    let j = sb.certkit(&[
        "p12-to-jks",
        "weird.p12",
        "--password-file",
        &pw,
        "-o",
        "w.jks",
        "--json",
    ]);
    j.ok();
    let alias = s(&j.json(), "alias").to_string();
    let r = sb.certkit(&[
        "metadata",
        "weird.p12",
        "--password-file",
        &pw,
        "--profile",
        "google",
        "--scope",
        SCOPE,
        "--iss",
        &google_client_email(),
        "-o",
        "m",
        "--json",
    ]);
    r.ok();
    assert_eq!(s(&r.json(), "certificate"), alias);
    // And the checker compares with that alias when no name is given.
    std::fs::copy(
        sb.path(&format!(
            "m/force-app/main/default/externalCredentials/{}.externalCredential-meta.xml",
            s(&r.json(), "name")
        )),
        sb.path("ec.xml"),
    )
    .unwrap();
    let v = preflight_ec(&sb, "google", "weird.p12", &["--password-file", &pw]);
    assert_eq!(status(&v, "ec.signing-certificate"), "pass", "{v}");
}

/// A token URL with a password before its host: metadata refuses it before anything is
/// written (it went into the External Credential, the deploy README and a printed command),
/// and preflight shows a retrieved credential's URL without it.
#[test]
fn a_password_in_a_token_url_is_written_nowhere_and_shown_nowhere() {
    let sb = Sandbox::new();
    let r = sb.certkit(&[
        "metadata",
        &td("google-sample.json"),
        "--profile",
        "generic",
        "--iss",
        "issuer",
        "--sub",
        "subject",
        "--aud",
        "https://x.example/token",
        "--token-url",
        "https://u:s3cretpw@x.example/token",
        "--url",
        "https://api.x.example",
        "-o",
        "out",
    ]);
    r.code_is(2);
    assert!(!r.stderr.contains("s3cretpw"), "{}", r.stderr);
    assert!(
        r.stderr.contains("holds a user name or password"),
        "{}",
        r.stderr
    );
    assert!(!sb.path("out").exists(), "nothing is written");
    // A credential retrieved from an org with such a URL: the check names it, hidden.
    google(&sb);
    broken(
        &sb,
        "<parameterValue>https://oauth2.googleapis.com/token</parameterValue>\n    </externalCredentialParameters>\n    <externalCredentialParameters>\n        <certificate>",
        "<parameterValue>https://u:s3cretpw@oauth2.googleapis.com/token</parameterValue>\n    </externalCredentialParameters>\n    <externalCredentialParameters>\n        <certificate>",
    );
    let r = sb.certkit(&[
        "preflight",
        &td("google-sample.json"),
        "--target",
        "google",
        "--external-credential",
        "ec.xml",
    ]);
    let all = format!("{}{}", r.stdout, r.stderr);
    assert!(!all.contains("s3cretpw"), "{all}");
    assert!(all.contains("***@oauth2.googleapis.com"), "{all}");
}
