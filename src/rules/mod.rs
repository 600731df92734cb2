//! The rules each target enforces, one module per authority. A rule reports a
//! [`Check`]: pass, warn or fail, with the fix spelled out.

pub mod certificate;
pub mod google;
pub mod jwt;
pub mod salesforce;
pub mod salesforce_jwt;

use serde::Serialize;

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

/// One rule applied to one input.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// A stable identifier (`salesforce.key-size`).
    pub id: &'static str,
    /// The rule in words.
    pub rule: &'static str,
    /// Pass, warn or fail.
    pub status: Status,
    /// What was found.
    pub detail: String,
    /// What to do about a warn or fail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Check {
    /// A passing check.
    pub fn pass(id: &'static str, rule: &'static str, detail: impl Into<String>) -> Self {
        Check {
            id,
            rule,
            status: Status::Pass,
            detail: detail.into(),
            fix: None,
        }
    }
    /// A failing check with its fix.
    pub fn fail(
        id: &'static str,
        rule: &'static str,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Check {
            id,
            rule,
            status: Status::Fail,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
    /// A warning with its fix.
    pub fn warn(
        id: &'static str,
        rule: &'static str,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Check {
            id,
            rule,
            status: Status::Warn,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
    /// Turn a failing check into the error that refuses the command.
    pub fn into_error(self) -> crate::error::Error {
        crate::error::Error::RuleRefused {
            rule: self.rule.to_string(),
            detail: self.detail,
            fix: self.fix.unwrap_or_default(),
        }
    }
}
