//! Why the token exchange failed, from the text a user has (Salesforce's exception line, an
//! OAuth error body, `error: description`, an `sf org login jwt` error): no network.

use serde::Serialize;

use crate::diagnose::{self, Answer, Checklist, Integration, Match, TextKind};

/// The explanation.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// What the text was.
    pub input: TextKind,
    /// The token endpoint's answer found in the text, as it was written there (no code when
    /// the text held a description alone). Not `error`: in certkit's JSON a top-level
    /// `error` is certkit's own failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<Answer>,
    /// The causes from the providers' tables.
    pub matches: Vec<Match>,
    /// For the bare exception (or text certkit does not recognise): per integration (the one
    /// asked for, or all three), the causes in the order to check them, each with the certkit
    /// command that checks it.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub checklist: Vec<&'static Checklist>,
}

impl Report {
    /// True when the text was understood (an error was matched, or the bare exception).
    pub fn understood(&self) -> bool {
        !self.matches.is_empty() || self.input == TextKind::BareException
    }
}

/// Explain `text`. With `provider` (the integration), its table is looked in first (the
/// others when it knows nothing) and the checklist holds its causes only.
pub fn run(text: &str, provider: Option<Integration>) -> Report {
    let (input, answer) = diagnose::parse_text(text);
    let matches = answer
        .as_ref()
        .map(|a| {
            let found = diagnose::diagnose(a, provider);
            if found.is_empty() && provider.is_some() {
                diagnose::diagnose(a, None)
            } else {
                found
            }
        })
        .unwrap_or_default();
    let checklist = if !matches.is_empty() {
        Vec::new()
    } else {
        match provider {
            Some(p) => vec![diagnose::checklist(p)],
            None => Integration::ALL
                .iter()
                .map(|p| diagnose::checklist(*p))
                .collect(),
        }
    };
    Report {
        input,
        answer,
        matches,
        checklist,
    }
}
