//! Which option the user must give or change, named as data: a [`Setting`], and messages
//! built of words and settings ([`Message`]). A bottom layer: errors, reports and remedies
//! carry them; each front end renders a setting in its own words.
//!
//! The core knows what an operation needs ("the token URL"), not how a front end asks for it:
//! the command line renders [`Setting::TokenUrl`] as `--token-url URL`, a web page would
//! render it as its form field's label. So a message that tells the user what to give is not
//! a string but a [`Message`]: words and [`Part::Value`] / [`Part::Alone`] settings in order.
//! Its [`Display`](std::fmt::Display) is the front-end-neutral reading, each setting as
//! `the "token URL" setting` ([`Setting::label`]); [`Message::render`] lets a front end put
//! its own words in the settings' places (the binary: its flags, in `src/cli/render.rs`).
//!
//! Why not more: the message stays one sentence in the core's words (the context — which file,
//! which value — is the core's to say); only the option's name is the front end's. Remedies
//! that are whole certkit commands (a rule's fix, a checklist command) are product content
//! and stay text.

use std::fmt;

/// An option of an operation the user gives or changes. New settings may come: match with a
/// `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Setting {
    /// The output file (the keystore written, or the PEM/DER file).
    Output,
    /// The file the private key is written to (PEM, DER).
    KeyOut,
    /// The file the certificates are written to (PEM).
    CertOut,
    /// The JWT's issuer (`iss`).
    Issuer,
    /// The JWT's subject (`sub`).
    Subject,
    /// The JWT's audience (`aud`).
    Audience,
    /// The token endpoint's URL.
    TokenUrl,
    /// A file holding a JWT to check.
    TokenFile,
    /// A certificate file (the key's, or the one the other side holds).
    Certificate,
    /// The name of what is generated (files, metadata).
    Name,
    /// The name of the certificate in Salesforce.
    CertName,
    /// The URL of the API a Named Credential calls.
    ApiUrl,
    /// The JWT's lifetime, in seconds.
    Lifetime,
    /// The alias of the entry written.
    Alias,
    /// Build the request without sending it.
    DryRun,
    /// Generate the called org's client app (instead of naming its consumer key).
    ClientApp,
}

impl Setting {
    /// Every setting (a front end checks that it renders each one).
    pub const ALL: &'static [Setting] = &[
        Setting::Output,
        Setting::KeyOut,
        Setting::CertOut,
        Setting::Issuer,
        Setting::Subject,
        Setting::Audience,
        Setting::TokenUrl,
        Setting::TokenFile,
        Setting::Certificate,
        Setting::Name,
        Setting::CertName,
        Setting::ApiUrl,
        Setting::Lifetime,
        Setting::Alias,
        Setting::DryRun,
        Setting::ClientApp,
    ];

    /// The setting in neutral words, as a form would label it ("token URL").
    pub fn label(self) -> &'static str {
        match self {
            Setting::Output => "output file",
            Setting::KeyOut => "key file",
            Setting::CertOut => "certificate file",
            Setting::Issuer => "issuer (iss)",
            Setting::Subject => "subject (sub)",
            Setting::Audience => "audience (aud)",
            Setting::TokenUrl => "token URL",
            Setting::TokenFile => "token file",
            Setting::Certificate => "certificate",
            Setting::Name => "name",
            Setting::CertName => "certificate name",
            Setting::ApiUrl => "API URL",
            Setting::Lifetime => "lifetime (seconds)",
            Setting::Alias => "alias",
            Setting::DryRun => "dry run",
            Setting::ClientApp => "client app",
        }
    }

    /// The setting with a value to give (`--cert FILE` on the command line).
    pub fn value(self) -> Part {
        Part::Value(self, None)
    }

    /// The setting with a value to give, saying what the value is when it is more specific
    /// than the setting (the issuer: `CLIENT_EMAIL`).
    pub fn value_as(self, placeholder: &'static str) -> Part {
        Part::Value(self, Some(placeholder))
    }

    /// The setting named alone: to leave it out, or a switch (`--dry-run`).
    pub fn alone(self) -> Part {
        Part::Alone(self)
    }
}

/// One part of a [`Message`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Words, as they are.
    Words(String),
    /// A setting the user gives a value to, and optionally what that value is, in capitals
    /// (`CONSUMER_KEY`): a placeholder, not a flag.
    Value(Setting, Option<&'static str>),
    /// A setting named alone: to leave out, or a switch.
    Alone(Setting),
}

impl From<&str> for Part {
    fn from(s: &str) -> Self {
        Part::Words(s.to_string())
    }
}

impl From<String> for Part {
    fn from(s: String) -> Self {
        Part::Words(s)
    }
}

/// A message of words and settings: each front end renders the settings its own way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message(Vec<Part>);

impl Message {
    /// A message of these parts, in order.
    pub fn new(parts: impl IntoIterator<Item = Part>) -> Self {
        Message(parts.into_iter().collect())
    }

    /// The parts, in order.
    pub fn parts(&self) -> &[Part] {
        &self.0
    }

    /// The settings the message names, in order.
    pub fn settings(&self) -> impl Iterator<Item = Setting> + '_ {
        self.0.iter().filter_map(|p| match p {
            Part::Words(_) => None,
            Part::Value(s, _) | Part::Alone(s) => Some(*s),
        })
    }

    /// The message as text, with `setting` rendering each part that is not words.
    pub fn render(&self, mut setting: impl FnMut(&Part) -> String) -> String {
        let mut out = String::new();
        for p in &self.0 {
            match p {
                Part::Words(w) => out.push_str(w),
                other => out.push_str(&setting(other)),
            }
        }
        out
    }
}

impl fmt::Display for Message {
    /// The neutral reading: each setting as `the "token URL" setting`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(|p| match p {
            Part::Value(s, _) | Part::Alone(s) => format!("the \"{}\" setting", s.label()),
            Part::Words(w) => w.clone(),
        }))
    }
}

impl serde::Serialize for Message {
    /// The neutral reading (see [`Display`](fmt::Display)).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A [`Message`] of words (`&str`, `String`) and [`Part`]s:
/// `msg!("name the output file with ", Setting::Output.value())`.
macro_rules! msg {
    ($($part:expr),+ $(,)?) => {
        $crate::setting::Message::new([$($crate::setting::Part::from($part)),+])
    };
}
pub(crate) use msg;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_reads_its_settings_in_neutral_words_and_a_front_end_puts_its_own() {
        let m = msg!(
            "the audience \"x\" is not an https URL: give the token URL with ",
            Setting::TokenUrl.value(),
            format!(" ({})", 1),
        );
        assert_eq!(
            m.to_string(),
            "the audience \"x\" is not an https URL: give the token URL with the \"token URL\" setting (1)"
        );
        let cli = m.render(|p| match p {
            Part::Value(Setting::TokenUrl, None) => "--token-url URL".into(),
            other => panic!("{other:?}"),
        });
        assert_eq!(
            cli,
            "the audience \"x\" is not an https URL: give the token URL with --token-url URL (1)"
        );
        assert_eq!(m.settings().collect::<Vec<_>>(), [Setting::TokenUrl]);
    }

    #[test]
    fn every_setting_has_a_label_and_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for s in Setting::ALL {
            assert!(seen.insert(*s), "{s:?} listed twice");
            assert!(!s.label().is_empty() && !s.label().contains("--"));
        }
    }
}
