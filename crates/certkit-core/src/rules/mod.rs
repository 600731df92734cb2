//! The rules each target enforces, one module per authority: [`salesforce`] (Import from
//! Keystore), [`salesforce_jwt`] (Salesforce's token endpoint and the External Credential),
//! [`google`] (Google's token endpoint and self-signed JWTs), [`jwt`] (what every token
//! endpoint checks), [`certificate`] (any signing certificate). Each module starts with its
//! table of [`Rule`]s; applying a rule gives a [`Check`]: pass, warn or fail, with the fix.
//!
//! Rules do not import each other's internals: what several authorities share (time window,
//! lifetime, quoting, URLs) lives in [`jwt`].
//!
//! Facts and sources: the pages of `docs/` (index: `docs/README.md`).

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
    /// The target refuses the input: [`Error::RuleRefused`](crate::Error::RuleRefused).
    Rule,
    /// The input uses an algorithm certkit (and the target) does not handle:
    /// [`Error::Unsupported`](crate::Error::Unsupported).
    Unsupported,
}

/// What a rule rests on: whether breaking it makes the endpoint refuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    /// The endpoint (or Salesforce's import) refuses a breach: documented, and its answer is
    /// known. Only these rules FAIL.
    Enforced,
    /// The provider documents it, but the endpoint is not known to refuse a breach (working
    /// clients may break it): a WARN at most.
    Documented,
    /// Good practice, not a rule of the endpoint: a WARN at most.
    Advice,
}

impl Evidence {
    /// The level's name, as in `--json` and the README's rule table.
    pub fn name(self) -> &'static str {
        match self {
            Evidence::Enforced => "enforced",
            Evidence::Documented => "documented",
            Evidence::Advice => "advice",
        }
    }
}

/// One rule of one authority: a stable id, the rule in words, and what it rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// A stable identifier (`salesforce.key-size`), the `id` of a check in `--json`.
    pub id: &'static str,
    /// The rule in words.
    pub text: &'static str,
    /// What breaking it means when it stops a command.
    pub refusal: Refusal,
    /// What the rule rests on: only an enforced rule fails.
    pub evidence: Evidence,
    /// Where a user can read it: a documentation URL or a public thread.
    pub source: &'static str,
}

impl Rule {
    /// A rule whose breach is a refusal ([`Refusal::Rule`]); enforced until told otherwise
    /// ([`Rule::documented`], [`Rule::advice`]), with its source given by [`Rule::enforced`].
    pub const fn new(id: &'static str, text: &'static str) -> Rule {
        Rule {
            id,
            text,
            refusal: Refusal::Rule,
            evidence: Evidence::Enforced,
            source: "",
        }
    }

    /// A rule about the algorithm, whose breach is "unsupported" ([`Refusal::Unsupported`]).
    pub const fn unsupported(id: &'static str, text: &'static str) -> Rule {
        Rule {
            refusal: Refusal::Unsupported,
            ..Rule::new(id, text)
        }
    }

    /// The endpoint refuses a breach; `source` says where that is documented or seen.
    pub const fn enforced(self, source: &'static str) -> Rule {
        Rule {
            evidence: Evidence::Enforced,
            source,
            ..self
        }
    }

    /// The provider documents it, but the endpoint is not known to refuse a breach: a warning.
    pub const fn documented(self, source: &'static str) -> Rule {
        Rule {
            evidence: Evidence::Documented,
            source,
            ..self
        }
    }

    /// Advice, not a rule of the endpoint: a breach is a warning.
    pub const fn advice(self, source: &'static str) -> Rule {
        Rule {
            evidence: Evidence::Advice,
            source,
            ..self
        }
    }
}

/// Every rule registry, one per authority.
pub fn registries() -> [(&'static str, &'static [Rule]); 7] {
    [
        ("certificate", certificate::RULES),
        ("external_credential", external_credential::RULES),
        ("google", google::RULES),
        ("jwt", jwt::RULES),
        ("oauth", oauth::RULES),
        ("salesforce", salesforce::RULES),
        ("salesforce_jwt", salesforce_jwt::RULES),
    ]
}

/// Every rule of every authority.
pub fn all() -> Vec<Rule> {
    registries()
        .iter()
        .flat_map(|(_, rules)| rules.iter().copied())
        .collect()
}

/// The README's rule table, made from the registries (a test keeps the README equal to it).
pub fn markdown_table() -> String {
    let mut t = String::from("| id | rule | level | source |\n|---|---|---|---|\n");
    for r in all() {
        t.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            r.id,
            r.text.replace('|', "\\|"),
            r.evidence.name(),
            r.source.replace('|', "\\|")
        ));
    }
    t
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
        let mut st = s.serialize_struct("Check", 8)?;
        st.serialize_field("id", self.rule.id)?;
        st.serialize_field("rule", self.rule.text)?;
        st.serialize_field("status", &self.status)?;
        st.serialize_field("evidence", &self.rule.evidence)?;
        st.serialize_field("source", self.rule.source)?;
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
    /// A failing check with its fix. Only an enforced rule fails: a documented rule or
    /// advice that is broken is a warning, whose detail says what it rests on.
    pub fn fail(rule: Rule, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        let detail = detail.into();
        match rule.evidence {
            Evidence::Enforced => Check::new(rule, Status::Fail, detail, Some(fix.into())),
            Evidence::Documented => Check::new(
                rule,
                Status::Warn,
                format!("{detail} (documented, but the endpoint is not known to refuse it)"),
                Some(fix.into()),
            ),
            Evidence::Advice => Check::new(
                rule,
                Status::Warn,
                format!("{detail} (advice: the endpoint is not known to refuse)"),
                Some(fix.into()),
            ),
        }
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
    /// Whether the rule is broken.
    pub fn failed(&self) -> bool {
        self.status == Status::Fail
    }
    /// Turn a failing check into the error that refuses the command:
    /// [`Error::RuleRefused`](crate::Error::RuleRefused), or
    /// [`Error::Unsupported`](crate::Error::Unsupported) for an algorithm rule.
    pub fn into_error(self) -> crate::error::Error {
        match self.rule.refusal {
            Refusal::Unsupported => crate::error::Error::Unsupported {
                path: None,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_across_every_registry() {
        let mut seen = std::collections::BTreeMap::new();
        for r in all() {
            if let Some(other) = seen.insert(r.id, r.text) {
                panic!("{} is the id of \"{other}\" and \"{}\"", r.id, r.text);
            }
        }
        assert!(seen.len() > 40, "{}", seen.len());
    }

    /// Every rule a rules module declares is in a registry (so that its id is checked for
    /// uniqueness, its source for presence, and it is in the README's table).
    #[test]
    fn every_declared_rule_is_registered() {
        let sources = [
            include_str!("certificate.rs"),
            include_str!("external_credential.rs"),
            include_str!("google.rs"),
            include_str!("jwt.rs"),
            include_str!("oauth.rs"),
            include_str!("salesforce.rs"),
            include_str!("salesforce_jwt.rs"),
        ];
        let registered: Vec<&str> = all().iter().map(|r| r.id).collect();
        let mut declared = 0;
        for src in sources {
            for ctor in ["Rule::new(", "Rule::unsupported("] {
                for (i, _) in src.match_indices(ctor) {
                    let rest = &src[i + ctor.len()..];
                    let start = rest.find('"').expect("an id literal") + 1;
                    let id = &rest[start..start + rest[start..].find('"').unwrap()];
                    assert!(
                        registered.contains(&id),
                        "{id} is not in its module's RULES"
                    );
                    declared += 1;
                }
            }
        }
        assert_eq!(declared, registered.len());
    }

    #[test]
    fn every_rule_names_a_source() {
        for r in all() {
            assert!(!r.source.trim().is_empty(), "{} has no source", r.id);
        }
    }

    #[test]
    fn only_an_enforced_rule_fails() {
        for r in all() {
            let c = Check::fail(r, "broken", "fix it");
            match r.evidence {
                Evidence::Enforced => assert_eq!(c.status, Status::Fail, "{}", r.id),
                Evidence::Documented | Evidence::Advice => {
                    assert_eq!(c.status, Status::Warn, "{}", r.id);
                    assert!(c.detail.starts_with("broken ("), "{}: {}", r.id, c.detail);
                    assert!(c.detail.contains("not known to refuse"), "{}", c.detail);
                }
            }
        }
    }

    /// The README's rule table is the registries': regenerate it with
    /// `cargo test --lib print_the_rule_table -- --ignored --nocapture`.
    #[test]
    fn the_readme_rule_table_lists_exactly_the_registries() {
        let readme = include_str!("../../../../README.md");
        let table = markdown_table();
        assert!(
            readme.contains(&table),
            "README.md's rule table is not the registries'; paste this under \"## Rules and their evidence\":\n{table}"
        );
        let section = readme
            .split("## Rules and their evidence")
            .nth(1)
            .and_then(|rest| rest.split("\n## ").next())
            .expect("README has a section \"## Rules and their evidence\"");
        let rows = section.lines().filter(|l| l.starts_with("| `")).count();
        assert_eq!(
            rows,
            all().len(),
            "the README lists rules that are not in the registries"
        );
    }

    #[test]
    #[ignore = "prints the README's rule table"]
    #[allow(clippy::disallowed_macros)] // a tool for whoever edits the README, not the core
    fn print_the_rule_table() {
        print!("{}", markdown_table());
    }

    #[test]
    fn every_check_in_json_says_its_evidence_and_source() {
        let c = Check::fail(salesforce_jwt::LIFETIME, "exp - iat = 3600 s", "shorten it");
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["status"], "warn");
        assert_eq!(v["evidence"], "documented");
        assert!(v["source"]
            .as_str()
            .unwrap()
            .contains("help.salesforce.com"));
    }
}
