//! Why the token exchange failed, from the text a user has (Salesforce's exception line, an
//! OAuth error body, `error: description`, an `sf org login jwt` error): no network.

use serde::Serialize;

use crate::diagnose::{self, Answer, Match, Provider, TextKind};
use crate::rules::salesforce_jwt::{ChecklistItem, EXCHANGE_CHECKLIST};

/// The explanation.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// What the text was.
    pub input: TextKind,
    /// The error found in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Answer>,
    /// The causes from the providers' tables.
    pub matches: Vec<Match>,
    /// For the bare exception (or text certkit does not recognise): the causes in the order
    /// to check them, each with the certkit command that checks it.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub checklist: &'static [ChecklistItem],
}

impl Report {
    /// True when the text was understood (an error was matched, or the bare exception).
    pub fn understood(&self) -> bool {
        !self.matches.is_empty() || self.input == TextKind::BareException
    }
}

/// Explain `text`, looking first in `provider`'s table when given.
pub fn run(text: &str, provider: Option<Provider>) -> Report {
    let (input, error) = diagnose::parse_text(text);
    let matches = error
        .as_ref()
        .map(|a| diagnose::diagnose(a, provider))
        .unwrap_or_default();
    let checklist: &'static [ChecklistItem] = if matches.is_empty() {
        EXCHANGE_CHECKLIST
    } else {
        &[]
    };
    Report {
        input,
        error,
        matches,
        checklist,
    }
}
