//! The rules each target enforces, one module per authority: [`salesforce`] (Import from
//! Keystore), [`salesforce_jwt`] (Salesforce's token endpoint and the External Credential),
//! [`google`] (Google's token endpoint and self-signed JWTs), [`jwt`] (what every token
//! endpoint checks), [`certificate`] (any signing certificate). Each module starts with its
//! table of [`Rule`]s; applying a rule gives a [`Check`]: pass, warn or fail, with the fix.
//!
//! Rules do not import each other's internals: what several authorities share (time window,
//! lifetime, quoting, URLs) lives in [`jwt`].

pub mod certificate;
pub mod external_credential;
pub mod google;
pub mod jwt;
pub mod oauth;
pub mod salesforce;
pub mod salesforce_jwt;

use serde::ser::SerializeStruct;
use serde::Serialize;

/// What a broken rule means when it stops a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The target refuses the input: exit 6.
    Rule,
    /// The input uses an algorithm certkit (and the target) does not handle: exit 5.
    Unsupported,
}

/// One rule of one authority: a stable id and the rule in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// A stable identifier (`salesforce.key-size`), the `id` of a check in `--json`.
    pub id: &'static str,
    /// The rule in words.
    pub text: &'static str,
    /// What breaking it means when it stops a command.
    pub refusal: Refusal,
}

impl Rule {
    /// A rule whose breach is a refusal (exit 6).
    pub const fn new(id: &'static str, text: &'static str) -> Rule {
        Rule {
            id,
            text,
            refusal: Refusal::Rule,
        }
    }

    /// A rule about the algorithm, whose breach is "unsupported" (exit 5).
    pub const fn unsupported(id: &'static str, text: &'static str) -> Rule {
        Rule {
            id,
            text,
            refusal: Refusal::Unsupported,
        }
    }
}

/// Outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The rule holds.
    Pass,
    /// The rule holds but something is risky.
    Warn,
    /// The rule is broken: the target will refuse this.
    Fail,
}

pub use crate::remedy::Remedy;

/// One rule applied to one input.
#[derive(Clone, Debug)]
pub struct Check {
    /// The rule.
    pub rule: Rule,
    /// Pass, warn or fail.
    pub status: Status,
    /// What was found.
    pub detail: String,
    /// What to do about a warn or fail, in words.
    pub fix: Option<String>,
    /// The fix as a certkit command, when it is one.
    pub remedy: Option<Remedy>,
    /// The remedy rendered as a command line (set by the command-line layer).
    pub command: Option<String>,
}

impl Serialize for Check {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Check", 6)?;
        st.serialize_field("id", self.rule.id)?;
        st.serialize_field("rule", self.rule.text)?;
        st.serialize_field("status", &self.status)?;
        st.serialize_field("detail", &self.detail)?;
        if let Some(f) = &self.fix {
            st.serialize_field("fix", f)?;
        }
        if let Some(c) = &self.command {
            st.serialize_field("command", c)?;
        }
        st.end()
    }
}

impl Check {
    fn new(rule: Rule, status: Status, detail: String, fix: Option<String>) -> Self {
        Check {
            rule,
            status,
            detail,
            fix,
            remedy: None,
            command: None,
        }
    }
    /// A passing check.
    pub fn pass(rule: Rule, detail: impl Into<String>) -> Self {
        Check::new(rule, Status::Pass, detail.into(), None)
    }
    /// A failing check with its fix.
    pub fn fail(rule: Rule, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Check::new(rule, Status::Fail, detail.into(), Some(fix.into()))
    }
    /// A warning with its fix.
    pub fn warn(rule: Rule, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Check::new(rule, Status::Warn, detail.into(), Some(fix.into()))
    }
    /// The same check with a remedy (a certkit command) attached.
    pub fn with_remedy(mut self, remedy: Remedy) -> Self {
        self.remedy = Some(remedy);
        self
    }
    /// The same check as a warning (a broken rule the user chose to accept).
    pub fn downgraded(mut self) -> Self {
        if self.status == Status::Fail {
            self.status = Status::Warn;
        }
        self
    }
    /// Whether the rule is broken.
    pub fn failed(&self) -> bool {
        self.status == Status::Fail
    }
    /// Turn a failing check into the error that refuses the command: exit 6, or 5 for an
    /// algorithm rule.
    pub fn into_error(self) -> crate::error::Error {
        match self.rule.refusal {
            Refusal::Unsupported => crate::error::Error::Unsupported {
                path: String::new(),
                what: match self.fix {
                    Some(fix) => format!("{}\n  fix: {fix}", self.detail),
                    None => self.detail,
                },
            },
            Refusal::Rule => crate::error::Error::RuleRefused {
                rule: self.rule.text.to_string(),
                detail: self.detail,
                fix: self.fix.unwrap_or_default(),
            },
        }
    }
}

/// One known answer of a token endpoint: the `error` code and the `error_description` it
/// comes with (exact, as the provider sends it), what causes it and how to fix it. Each
/// provider's rules module holds its table; `crate::diagnose` matches answers against them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TokenError {
    /// A stable identifier (`google.invalid-jwt-signature`).
    pub id: &'static str,
    /// The OAuth `error` code (`invalid_grant`).
    pub error: &'static str,
    /// The `error_description`, exactly; empty when the provider sends none.
    pub description: &'static str,
    /// Other wordings of the same answer (older or shorter forms).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub also: &'static [&'static str],
    /// The HTTP status it comes with.
    pub status: u16,
    /// What causes it.
    pub cause: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// The certkit command that checks the cause offline, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<&'static str>,
    /// Where the wording and the cause come from.
    pub source: &'static str,
}

/// How many checks failed.
pub fn failures(checks: &[Check]) -> usize {
    checks.iter().filter(|c| c.failed()).count()
}
