//! From a token endpoint's answer to its cause: one matcher over the tables of each
//! provider's rules module (`rules::google`, `rules::salesforce_jwt`, `rules::oauth`), used by
//! `exchange` (a live answer) and `explain` (text a user copied out of Salesforce, a log,
//! or `sf org login jwt`).

use serde::Serialize;
use serde_json::Value;

use crate::rules::{google, oauth, salesforce_jwt, TokenError};

/// Whose token endpoint answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Google's `https://oauth2.googleapis.com/token`.
    Google,
    /// Salesforce's `/services/oauth2/token`.
    Salesforce,
    /// Any RFC 7523 token endpoint (authlib's wording).
    Generic,
}

impl Provider {
    /// The provider's table of answers.
    pub fn table(self) -> &'static [TokenError] {
        match self {
            Provider::Google => google::TOKEN_ERRORS,
            Provider::Salesforce => salesforce_jwt::TOKEN_ERRORS,
            Provider::Generic => oauth::TOKEN_ERRORS,
        }
    }

    /// Every provider, in the order unknown answers are looked up.
    pub const ALL: [Provider; 3] = [Provider::Google, Provider::Salesforce, Provider::Generic];
}

impl crate::choice::Choice for Provider {
    const ALL: &'static [Self] = &Provider::ALL;
    fn name(self) -> &'static str {
        match self {
            Provider::Google => "google",
            Provider::Salesforce => "salesforce",
            Provider::Generic => "generic",
        }
    }
    fn help(self) -> &'static str {
        match self {
            Provider::Google => "Google's token endpoint",
            Provider::Salesforce => "Salesforce's token endpoint (org to org)",
            Provider::Generic => "any RFC 7523 token endpoint",
        }
    }
}

/// An OAuth error answer: `error` and `error_description`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// The HTTP status, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The `error` code.
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
    pub provider: Provider,
    /// The entry.
    #[serde(flatten)]
    pub entry: TokenError,
}

/// Lower case, white space folded, trailing full stops and spaces taken off (Salesforce
/// adds a full stop of its own: "provided..").
fn norm(s: &str) -> String {
    let folded = s.split_whitespace().collect::<Vec<_>>().join(" ");
    folded.trim_end_matches(['.', ' ']).to_lowercase()
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
pub fn diagnose(answer: &Answer, provider: Option<Provider>) -> Vec<Match> {
    let order: Vec<Provider> = match provider {
        Some(p) => vec![p],
        None => Provider::ALL.to_vec(),
    };
    let desc = norm(answer.error_description.as_deref().unwrap_or(""));
    let mut found = Vec::new();
    for p in order {
        for e in p.table() {
            if provider.is_none() && e.description.is_empty() {
                continue;
            }
            let code_ok = answer.error.is_empty() || e.error.is_empty() || answer.error == e.error;
            let wording = std::iter::once(e.description)
                .chain(e.also.iter().copied())
                .any(|w| matches_wording(&desc, w));
            if code_ok && wording {
                found.push(Match {
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
    let mut v: Vec<&str> = Provider::ALL
        .iter()
        .flat_map(|p| p.table().iter().map(|e| e.error))
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
    // "... Error: invalid_grant. Error description: Invalid JWT Signature."
    if let Some(i) = t.find("Error description:") {
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
        return (
            TextKind::SalesforceException,
            Some(Answer {
                status: None,
                error,
                error_description: Some(desc.trim().to_string()),
            }),
        );
    }
    // "invalid_grant: audience is invalid", "Error (1): invalid_grant - audience is invalid":
    // the first known code that stands as a word of its own.
    let word = |i: usize, code: &str| {
        let before = t[..i].chars().next_back();
        let after = t[i + code.len()..].chars().next();
        let part = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !part(before) && !part(after)
    };
    let found = known_codes()
        .into_iter()
        .filter_map(|code| {
            t.match_indices(code)
                .map(|(i, _)| i)
                .find(|&i| word(i, code))
                .map(|i| (i, code))
        })
        .min();
    if let Some((i, code)) = found {
        let rest = t[i + code.len()..].trim_start_matches([':', ' ', '-', '.', ',']);
        let desc = rest.lines().next().unwrap_or("").trim();
        return (
            TextKind::ErrorAndDescription,
            Some(Answer {
                status: None,
                error: code.to_string(),
                error_description: (!desc.is_empty()).then(|| desc.to_string()),
            }),
        );
    }
    // A known description without its code ("Invalid JWT Signature.").
    let nt = norm(t);
    for p in Provider::ALL {
        for e in p.table() {
            for w in std::iter::once(e.description).chain(e.also.iter().copied()) {
                let nw = norm(w);
                if nw.len() >= 12 && !nw.contains("{}") && nt.contains(&nw) {
                    return (
                        TextKind::Description,
                        Some(Answer {
                            status: None,
                            error: e.error.to_string(),
                            error_description: Some(w.to_string()),
                        }),
                    );
                }
            }
        }
    }
    if t.contains(BARE_EXCEPTION) {
        return (TextKind::BareException, None);
    }
    (TextKind::Unknown, None)
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
        assert!(diagnose(&a, Some(Provider::Google)).is_empty());
        assert_eq!(
            diagnose(&a, Some(Provider::Generic))[0].entry.id,
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
        assert!(diagnose(&a, Some(Provider::Google)).is_empty());
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
}
