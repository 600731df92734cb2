//! From a token endpoint's answer to its cause: one matcher over the tables of each
//! provider's rules module (`rules::google`, `rules::salesforce_jwt`, `rules::oauth`), used by
//! `exchange` (a live answer) and `explain` (text a user copied out of Salesforce, a log,
//! or `sf org login jwt`).
//!
//! Facts and sources: `docs/token-endpoints.md`.

use serde::Serialize;
use serde_json::Value;

use crate::rules::{google, oauth, salesforce_jwt, TokenError};

pub use crate::integration::Integration;

/// The integration's table of token-endpoint answers.
pub fn table(integration: Integration) -> &'static [TokenError] {
    match integration {
        Integration::Google => google::TOKEN_ERRORS,
        Integration::Salesforce => salesforce_jwt::TOKEN_ERRORS,
        Integration::ThirdParty => oauth::TOKEN_ERRORS,
    }
}

/// The causes of Salesforce's bare "Unable to complete the JWT token exchange." for this
/// integration, in the order to check them.
pub fn checklist(integration: Integration) -> &'static Checklist {
    match integration {
        Integration::Google => &GOOGLE_CHECKLIST,
        Integration::Salesforce => &SALESFORCE_CHECKLIST,
        Integration::ThirdParty => &THIRD_PARTY_CHECKLIST,
    }
}

/// One cause of "Unable to complete the JWT token exchange." and how to check it.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ChecklistItem {
    /// The cause.
    pub cause: &'static str,
    /// The certkit command that checks it, ready to paste once the placeholders (in
    /// capitals) are replaced; none when certkit cannot see it (a setting of an org).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<&'static str>,
    /// Where to look, or what the command's answer means.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'static str>,
}

/// The causes behind the bare exception for one integration.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Checklist {
    /// Whose token endpoint.
    pub integration: Integration,
    /// The command that sends the request the External Credential sends and prints the
    /// provider's own answer with its cause: the first thing to run.
    pub exchange: &'static str,
    /// What to change in that command.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange_note: Option<&'static str>,
    /// The causes, most likely first.
    pub causes: &'static [ChecklistItem],
}

/// What the placeholders of the checklists stand for.
pub const PLACEHOLDERS: &str = "KEYSTORE.jks: the signing certificate's keystore (Certificate and Key Management > Export to Keystore, or the one you imported); EXTERNAL_CREDENTIAL.xml and PERMISSION_SET.xml: retrieved with `sf project retrieve start --metadata ExternalCredential:NAME PermissionSet:NAME`; CONSUMER_KEY: the Connected App's consumer key (the credential's iss); USERNAME: the integration user's username, without quotes (sub); CONNECTED_APP.crt: the certificate uploaded to the called org's Connected App; X509_METADATA.json: https://www.googleapis.com/robot/v1/metadata/x509/CLIENT_EMAIL, saved; SCOPE, SCOPES: the Google scopes, space-separated; USER@YOUR_DOMAIN: the Workspace user a delegated service account acts as; ISSUER, SUBJECT, AUDIENCE, TOKEN_URL, REGISTERED.crt: a third party's values and the certificate it holds";

/// The principal's permission set: the last cause of every integration.
const PERMISSION_SET_CAUSE: &str =
    "the running user has no permission set that grants the External Credential's principal";
const PERMISSION_SET_NOTE: &str =
    "and the set is assigned to the running user: Setup > Permission Sets > the set > Manage Assignments";

/// Google: the Scope field, the claims and the key (salesforce.stackexchange.com/questions/310834
/// and the Google table's sources).
const GOOGLE_CHECKLIST: Checklist = Checklist {
    integration: Integration::Google,
    exchange: "certkit exchange KEYSTORE.jks --profile google --scope 'https://www.googleapis.com/auth/SCOPE'",
    exchange_note: Some("the scopes of the Scope field or the scope claim, space-separated"),
    causes: &[
        ChecklistItem {
            cause: "the scope is typed in the External Credential's (or principal's) Scope field, which Salesforce sends as a form parameter: Google wants a JWT Body Claim named scope (invalid_scope, or \"Invalid downscoping\" with sub)",
            command: Some("certkit preflight KEYSTORE.jks --target google --external-credential EXTERNAL_CREDENTIAL.xml"),
            note: None,
        },
        ChecklistItem {
            cause: "iss, sub and aud are not all set (once any claim is edited or added, all three are needed), aud is not https://oauth2.googleapis.com/token, or kid is the certificate's name rather than the Google key id",
            command: Some("certkit preflight KEYSTORE.jks --target google --external-credential EXTERNAL_CREDENTIAL.xml"),
            note: None,
        },
        ChecklistItem {
            cause: "the key Salesforce signs with is not one of the service account's keys (deleted, rotated, or another account's): Invalid JWT Signature",
            command: Some("certkit kid KEYSTORE.jks --metadata X509_METADATA.json"),
            note: Some("the account's https://www.googleapis.com/service_accounts/v1/metadata/x509/CLIENT_EMAIL, saved"),
        },
        ChecklistItem {
            cause: "sub impersonates a user, and domain-wide delegation is not granted to the account for exactly these scopes",
            command: Some("certkit exchange KEYSTORE.jks --profile google --scope 'https://www.googleapis.com/auth/SCOPE' --sub USER@YOUR_DOMAIN"),
            note: None,
        },
        ChecklistItem {
            cause: PERMISSION_SET_CAUSE,
            command: Some("certkit preflight KEYSTORE.jks --target google --external-credential EXTERNAL_CREDENTIAL.xml --permission-set PERMISSION_SET.xml"),
            note: Some(PERMISSION_SET_NOTE),
        },
    ],
};

/// Salesforce org to org: the claims, the quoted sub, the Connected App's pre-authorisation
/// and scopes (salesforce.stackexchange.com/questions/400540 and /298585; the Salesforce
/// table's sources).
const SALESFORCE_CHECKLIST: Checklist = Checklist {
    integration: Integration::Salesforce,
    exchange: "certkit exchange KEYSTORE.jks --profile salesforce --iss CONSUMER_KEY --sub USERNAME --aud https://login.salesforce.com",
    exchange_note: Some("--aud https://test.salesforce.com for a sandbox or scratch org; CONSUMER_KEY: the called org's Connected App's"),
    causes: &[
        ChecklistItem {
            cause: "iss, sub and aud are not all set: once any claim is edited or added, all three are needed (iss the Connected App's consumer key, sub the username, aud https://login.salesforce.com or https://test.salesforce.com)",
            command: Some("certkit preflight KEYSTORE.jks --target salesforce-jwt --external-credential EXTERNAL_CREDENTIAL.xml"),
            note: None,
        },
        ChecklistItem {
            cause: "sub is the username in double quotes (\"user@example.com\"): it must be the bare username",
            command: Some("certkit preflight KEYSTORE.jks --target salesforce-jwt --external-credential EXTERNAL_CREDENTIAL.xml"),
            note: None,
        },
        ChecklistItem {
            cause: "the user is not pre-authorised: the Connected App's Permitted Users is not \"Admin approved users are pre-authorized\", or the user's profile or permission set is not assigned to the app (user hasn't approved this consumer; user is not admin approved to access this app)",
            command: None,
            note: Some("in the called org: Setup > App Manager > the app > Manage > Edit Policies, then Manage Profiles or Manage Permission Sets (certkit cannot see an org)"),
        },
        ChecklistItem {
            cause: "the Connected App's Selected OAuth Scopes lack refresh_token, offline_access (refresh_token scope is required and the connected app should be installed and preauthorized)",
            command: None,
            note: Some("in the called org: Setup > App Manager > the app > View > Selected OAuth Scopes (certkit cannot see an org)"),
        },
        ChecklistItem {
            cause: "aud does not match the called org: https://login.salesforce.com for production, https://test.salesforce.com for a sandbox or scratch org (audience is invalid)",
            command: Some("certkit preflight KEYSTORE.jks --target salesforce-jwt --iss CONSUMER_KEY --sub USERNAME --aud https://test.salesforce.com"),
            note: None,
        },
        ChecklistItem {
            cause: "the certificate uploaded to the Connected App (Use digital signatures) is not the signing key's (invalid assertion)",
            command: Some("certkit verify KEYSTORE.jks --cert CONNECTED_APP.crt --profile salesforce --iss CONSUMER_KEY --sub USERNAME --aud https://login.salesforce.com"),
            note: None,
        },
        ChecklistItem {
            cause: PERMISSION_SET_CAUSE,
            command: Some("certkit preflight KEYSTORE.jks --target salesforce-jwt --external-credential EXTERNAL_CREDENTIAL.xml --permission-set PERMISSION_SET.xml"),
            note: Some(PERMISSION_SET_NOTE),
        },
    ],
};

/// Any other token endpoint (RFC 7523).
const THIRD_PARTY_CHECKLIST: Checklist = Checklist {
    integration: Integration::ThirdParty,
    exchange: "certkit exchange KEYSTORE.jks --profile generic --token-url TOKEN_URL --iss ISSUER --sub SUBJECT --aud AUDIENCE",
    exchange_note: Some("the values of the External Credential's Identity Provider URL and claims"),
    causes: &[
        ChecklistItem {
            cause: "the token endpoint does not hold the certificate (or JWK) of the key Salesforce signs with",
            command: Some("certkit verify KEYSTORE.jks --cert REGISTERED.crt"),
            note: Some("and certkit kid KEYSTORE.jks --jwk prints the JWK to register"),
        },
        ChecklistItem {
            cause: "iss, sub or aud is not what the endpoint expects, or they are not all set (once any claim is edited or added, all three are needed)",
            command: Some("certkit exchange KEYSTORE.jks --profile generic --token-url TOKEN_URL --iss ISSUER --sub SUBJECT --aud AUDIENCE --dry-run"),
            note: Some("shows the request"),
        },
        ChecklistItem {
            cause: "a scope typed in the Scope field is sent as a form parameter, while the endpoint wants a scope claim (or the other way round)",
            command: Some("certkit exchange KEYSTORE.jks --profile generic --token-url TOKEN_URL --iss ISSUER --sub SUBJECT --aud AUDIENCE --scope 'SCOPES'"),
            note: Some("compare with --scope-param 'SCOPES'"),
        },
        ChecklistItem {
            cause: PERMISSION_SET_CAUSE,
            command: None,
            note: Some("Setup > Permission Sets: a set enables the External Credential's principal and is assigned to the running user"),
        },
    ],
};

/// An OAuth error answer: `error` and `error_description`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// The HTTP status, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The `error` code, as given; empty when the text held none (a description alone).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub error: String,
    /// The `error_description`, verbatim.
    pub error_description: Option<String>,
}

impl Answer {
    /// Read a JSON error body (`{"error": ..., "error_description": ...}`).
    pub fn from_json(v: &Value, status: Option<u16>) -> Option<Answer> {
        let error = v.get("error")?.as_str()?.to_string();
        Some(Answer {
            status,
            error,
            error_description: v
                .get("error_description")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
    }
}

/// One table entry that explains an answer.
#[derive(Clone, Debug, Serialize)]
pub struct Match {
    /// The provider whose table it is in.
    pub provider: Integration,
    /// The entry.
    #[serde(flatten)]
    pub entry: TokenError,
    /// The entry's check command with the values of this run filled in (`exchange`: the
    /// keystore and its password options, the claims sent), ready to paste.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

/// Lower case, white space folded, trailing full stops and spaces taken off (Salesforce
/// adds a full stop of its own: "provided..").
fn norm(s: &str) -> String {
    let folded = s.split_whitespace().collect::<Vec<_>>().join(" ");
    folded.trim_end_matches(['.', ' ']).to_lowercase()
}

/// The bytes of `text` that became `len` bytes at `at` of `norm(text)` (which folds white
/// space and case, one character at a time but for a final sigma, of the same length), with
/// the full stops that follow them: a wording found in the folded text, as it was written.
fn original_span(text: &str, at: usize, len: usize) -> (usize, usize) {
    let (mut pos, mut space) = (0, true);
    let (mut start, mut end) = (None, text.len());
    for (i, c) in text.char_indices() {
        let width = if c.is_whitespace() {
            if space {
                continue;
            }
            space = true;
            1
        } else {
            space = false;
            c.to_lowercase().map(char::len_utf8).sum()
        };
        if start.is_none() && pos + width > at {
            start = Some(i);
        }
        pos += width;
        if pos >= at + len {
            end = i + c.len_utf8();
            break;
        }
    }
    let dots = text[end..].len() - text[end..].trim_start_matches('.').len();
    (start.unwrap_or(0), end + dots)
}

/// Whether a description matches an entry's wording: equal, a `{}` pattern, or one the
/// beginning of the other (Salesforce often shows only the first sentence). `g` is the
/// description already passed through [`norm`] (once per answer, not once per entry).
fn matches_wording(g: &str, want: &str) -> bool {
    let w = norm(want);
    if w.is_empty() || g.is_empty() {
        return w.is_empty() && g.is_empty();
    }
    if let Some((pre, post)) = w.split_once("{}") {
        return g.len() > pre.len() + post.len() && g.starts_with(pre) && g.ends_with(post);
    }
    // The whole wording, or its first sentence (Salesforce often shows no more), or the
    // wording followed by more text (a log's "(System Code)", a CLI's own words).
    let ends_at = |s: &str, n: usize| s[n..].chars().next().is_none_or(|c| !c.is_alphanumeric());
    g == w
        || (g.len() >= 16 && w.starts_with(g) && ends_at(&w, g.len()))
        || (w.len() >= 8 && g.starts_with(&w) && ends_at(g, w.len()))
}

/// The entries that explain an answer. When the provider is known (a live exchange), only
/// its table: an answer that matches nothing there is unknown to certkit. When it is not
/// (text a user pasted), every table, but not the entries with no description (authlib's
/// bare `invalid_grant`), which would explain any bare code.
pub fn diagnose(answer: &Answer, provider: Option<Integration>) -> Vec<Match> {
    let order: Vec<Integration> = match provider {
        Some(p) => vec![p],
        None => Integration::ALL.to_vec(),
    };
    let desc = norm(answer.error_description.as_deref().unwrap_or(""));
    let mut found = Vec::new();
    for p in order {
        for e in table(p) {
            if provider.is_none() && e.description.is_empty() {
                continue;
            }
            let code_ok = answer.error.is_empty() || e.error.is_empty() || answer.error == e.error;
            let wording = std::iter::once(e.description)
                .chain(e.also.iter().copied())
                .any(|w| matches_wording(&desc, w));
            if code_ok && wording {
                found.push(Match {
                    command: None,
                    provider: p,
                    entry: *e,
                });
            }
        }
    }
    // A wording matched to the letter wins over a pattern ("Invalid claim: {}").
    if found.iter().any(|m| !m.entry.description.contains("{}")) {
        found.retain(|m| !m.entry.description.contains("{}"));
    }
    found
}

/// The error codes the tables know, for finding them in free text.
fn known_codes() -> Vec<&'static str> {
    let mut v: Vec<&str> = Integration::ALL
        .iter()
        .flat_map(|p| table(*p).iter().map(|e| e.error))
        .filter(|c| !c.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// What kind of text `explain` was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextKind {
    /// A token endpoint's JSON error body.
    JsonBody,
    /// Salesforce's exception line with the provider's error in it.
    SalesforceException,
    /// `error: description` (an `sf org login jwt` error, a log line).
    ErrorAndDescription,
    /// Salesforce's exception line alone, with no error in it.
    BareException,
    /// Text that holds a known description without its error code.
    Description,
    /// Nothing certkit recognises.
    Unknown,
}

/// The words Salesforce wraps every token-exchange failure in.
pub const BARE_EXCEPTION: &str = "Unable to complete the JWT token exchange";

/// Read what a user pasted: a JSON body, Salesforce's exception line, `error: description`
/// text, or a description alone.
pub fn parse_text(text: &str) -> (TextKind, Option<Answer>) {
    let t = text.trim();
    if let Ok(v) = serde_json::from_str::<Value>(t) {
        if let Some(a) = Answer::from_json(&v, None) {
            return (TextKind::JsonBody, Some(a));
        }
        // A tool's JSON report (`sf ... --json`): its message holds the error.
        if let Some(m) = v.get("message").and_then(Value::as_str) {
            return parse_text(m);
        }
    }
    if let Some(a) = json_after_other_lines(t) {
        return (TextKind::JsonBody, Some(a));
    }
    if let Some(a) = salesforce_exception(t) {
        return (TextKind::SalesforceException, Some(a));
    }
    if let Some(a) = error_and_description(t) {
        return (TextKind::ErrorAndDescription, Some(a));
    }
    if let Some(a) = known_description(t) {
        return (TextKind::Description, Some(a));
    }
    if t.contains(BARE_EXCEPTION) {
        return (TextKind::BareException, None);
    }
    (TextKind::Unknown, None)
}

/// A JSON body after other lines (`curl -i`'s status line and headers, a log prefix): the
/// first object that is an OAuth answer. A bounded number of tries: the text may be large and
/// full of braces.
fn json_after_other_lines(t: &str) -> Option<Answer> {
    for (i, _) in t.match_indices('{').take(64) {
        let mut objects = serde_json::Deserializer::from_str(&t[i..]).into_iter::<Value>();
        if let Some(Ok(v)) = objects.next() {
            if let Some(a) = Answer::from_json(&v, None) {
                return Some(a);
            }
        }
    }
    None
}

/// "... Error: invalid_grant. Error description: Invalid JWT Signature."
fn salesforce_exception(t: &str) -> Option<Answer> {
    let i = t.find("Error description:")?;
    let before = &t[..i];
    let error = before
        .rfind("Error:")
        .map(|j| {
            before[j + 6..]
                .trim()
                .trim_end_matches(['.', ','])
                .trim()
                .to_string()
        })
        .unwrap_or_default();
    let desc = t[i + "Error description:".len()..]
        .lines()
        .next()
        .unwrap_or("");
    Some(Answer {
        status: None,
        error,
        error_description: Some(desc.trim().to_string()),
    })
}

/// "invalid_grant: audience is invalid", "Error (1): invalid_grant - audience is invalid":
/// the first known code that stands as a word of its own.
fn error_and_description(t: &str) -> Option<Answer> {
    let word = |i: usize, code: &str| {
        let before = t[..i].chars().next_back();
        let after = t[i + code.len()..].chars().next();
        let part = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !part(before) && !part(after)
    };
    let (i, code) = known_codes()
        .into_iter()
        .filter_map(|code| {
            t.match_indices(code)
                .map(|(i, _)| i)
                .find(|&i| word(i, code))
                .map(|i| (i, code))
        })
        .min()?;
    let rest = t[i + code.len()..].trim_start_matches([':', ' ', '-', '.', ',']);
    let desc = rest.lines().next().unwrap_or("").trim();
    Some(Answer {
        status: None,
        error: code.to_string(),
        error_description: (!desc.is_empty()).then(|| desc.to_string()),
    })
}

/// A known description without its code ("Invalid JWT Signature."): the answer holds the
/// words as they were pasted, and no code (the text gave none).
fn known_description(t: &str) -> Option<Answer> {
    let nt = norm(t);
    for p in Integration::ALL {
        for e in table(p) {
            for w in std::iter::once(e.description).chain(e.also.iter().copied()) {
                let nw = norm(w);
                if nw.len() < 12 || nw.contains("{}") {
                    continue;
                }
                if let Some(at) = nt.find(&nw) {
                    let (start, end) = original_span(t, at, nw.len());
                    return Some(Answer {
                        status: None,
                        error: String::new(),
                        error_description: Some(t[start..end].to_string()),
                    });
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salesforce_doubles_the_full_stop_and_still_matches() {
        let a = Answer {
            status: None,
            error: "invalid_scope".into(),
            error_description: Some("Invalid OAuth scope or ID token audience provided..".into()),
        };
        let m = diagnose(&a, None);
        assert_eq!(m[0].entry.id, "google.invalid-scope");
    }

    #[test]
    fn a_first_sentence_matches_the_whole_description() {
        let a = Answer {
            status: None,
            error: "invalid_grant".into(),
            error_description: Some(
                "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.".into(),
            ),
        };
        assert_eq!(diagnose(&a, None)[0].entry.id, "google.short-lived-token");
    }

    #[test]
    fn a_bare_code_is_not_explained_by_a_table_entry_without_words() {
        let a = Answer {
            status: None,
            error: "invalid_grant".into(),
            error_description: None,
        };
        assert!(diagnose(&a, None).is_empty());
        assert!(diagnose(&a, Some(Integration::Google)).is_empty());
        assert_eq!(
            diagnose(&a, Some(Integration::ThirdParty))[0].entry.id,
            "oauth.bad-signature"
        );
    }

    #[test]
    fn a_wording_followed_by_more_text_matches() {
        let a = Answer {
            status: None,
            error: "invalid_grant".into(),
            error_description: Some("inactive user. (System Code)".into()),
        };
        assert_eq!(diagnose(&a, None)[0].entry.id, "salesforce.inactive-user");
        let (_, a) =
            parse_text(r#"{"message":"ERROR: invalid_grant: inactive user","exitCode":1}"#);
        assert_eq!(
            diagnose(&a.unwrap(), None)[0].entry.id,
            "salesforce.inactive-user"
        );
    }

    #[test]
    fn an_unknown_description_matches_nothing() {
        let a = Answer {
            status: None,
            error: "invalid_grant".into(),
            error_description: Some("Something nobody documented".into()),
        };
        assert!(diagnose(&a, Some(Integration::Google)).is_empty());
    }

    #[test]
    fn patterns_match_a_claim_name() {
        assert!(matches_wording(
            &norm("Missing claim: 'exp'"),
            "Missing claim: {}"
        ));
        assert!(!matches_wording(
            &norm("Missing claim:"),
            "Missing claim: {}"
        ));
    }

    #[test]
    fn salesforce_asks_for_the_refresh_token_scope_with_or_without_its_extra_full_stop() {
        for d in [
            "refresh_token scope is required and the connected app should be installed and preauthorized..",
            "refresh_token scope is required and the connected app should be installed and preauthorized",
        ] {
            let a = Answer {
                status: None,
                error: "invalid_request".into(),
                error_description: Some(d.into()),
            };
            let m = diagnose(&a, None);
            assert_eq!(m.len(), 1, "{d}");
            assert_eq!(m[0].entry.id, "salesforce.refresh-token-scope-required");
            assert_eq!(m[0].provider, Integration::Salesforce);
        }
    }

    #[test]
    fn a_json_body_after_other_lines_is_read_as_the_answer() {
        // `curl -i` prints the status line and headers first; a log line may come before.
        let text = "HTTP/1.1 400 Bad Request\ncontent-type: application/json\n\n{\"error\":\"invalid_grant\",\"error_description\":\"audience is invalid\"}\n";
        let (kind, a) = parse_text(text);
        assert_eq!(kind, TextKind::JsonBody);
        let a = a.expect("an answer");
        assert_eq!(a.error, "invalid_grant");
        assert_eq!(a.error_description.as_deref(), Some("audience is invalid"));
        // Braces that are no OAuth answer are passed over.
        let (_, a) = parse_text("{x} {\"a\":1} {\"error\":\"invalid_scope\"}");
        assert_eq!(a.expect("an answer").error, "invalid_scope");
    }

    #[test]
    fn a_description_alone_is_kept_as_it_was_pasted() {
        for (text, want) in [
            (
                "Invalid OAuth scope or ID token audience provided",
                "Invalid OAuth scope or ID token audience provided",
            ),
            (
                "callout failed: invalid   oauth scope or ID token audience PROVIDED.. (retry)",
                "invalid   oauth scope or ID token audience PROVIDED..",
            ),
            (
                "Fehler — ÄRGER  İΣ:\t INVALID   JWT\nSignature..  weiter",
                "INVALID   JWT\nSignature..",
            ),
        ] {
            let (kind, a) = parse_text(text);
            assert_eq!(kind, TextKind::Description, "{text}");
            let a = a.unwrap();
            assert_eq!(a.error, "", "no code was in {text:?}");
            assert_eq!(a.error_description.as_deref(), Some(want));
            assert!(diagnose(&a, None)[0]
                .entry
                .id
                .starts_with("google.invalid-"));
        }
    }

    #[test]
    fn every_source_is_public() {
        for p in Integration::ALL {
            for e in table(p) {
                let s = e.source.to_lowercase();
                assert!(!s.is_empty(), "{}", e.id);
                for private in ["seed", "shared/", "reference b", "reference c"] {
                    assert!(!s.contains(private), "{}: {}", e.id, e.source);
                }
            }
        }
    }

    #[test]
    fn every_check_is_a_command_to_paste() {
        let checks = Integration::ALL.iter().flat_map(|p| {
            let c = checklist(*p);
            table(*p)
                .iter()
                .filter_map(|e| e.check)
                .chain(std::iter::once(c.exchange))
                .chain(c.causes.iter().filter_map(|i| i.command))
        });
        for c in checks {
            assert!(c.starts_with("certkit "), "{c}");
            for bad in ["...", "|", "(", ";"] {
                assert!(!c.contains(bad), "{bad:?} in {c}");
            }
        }
    }

    #[test]
    fn the_readme_counts_the_answers_of_the_tables() {
        let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"));
        let google = google::TOKEN_ERRORS.len();
        let salesforce = salesforce_jwt::TOKEN_ERRORS.len();
        let want = format!("({google} of Google's, {salesforce} of Salesforce's");
        assert!(
            readme.contains(&want),
            "the README should say {want:?} (the tables' sizes)"
        );
    }
}
