//! The library's one error type: what went wrong, in typed variants, with the operating
//! system's error as its [`source`](std::error::Error::source).
//!
//! Exit codes, command-line usage errors, flag hints and the `--json` error document belong
//! to the binary (`src/cli/error.rs`), which maps each variant to the exit code the README
//! documents. The library names the remedy ([`Hint`]) and the option to give or change
//! ([`Error::InvalidSetting`]'s [`Message`], whose [`Setting`](crate::setting::Setting)s
//! each front end renders: the command line as its flags).
//!
//! Messages never contain a password or key material: the variants carry only
//! names (which password, which file, which rule) and public facts.

use std::fmt;
use std::path::PathBuf;

use crate::setting::Message;

/// Which password a [`Error::WrongPassword`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhichPassword {
    /// The keystore (integrity / MAC) password.
    Store,
    /// The password protecting one private key inside a keystore.
    Key,
    /// The password of an encrypted PEM private key.
    PemKey,
    /// The password of a file certkit writes.
    Output,
}

impl fmt::Display for WhichPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WhichPassword::Store => "keystore password",
            WhichPassword::Key => "key password",
            WhichPassword::PemKey => "private key (PEM) password",
            WhichPassword::Output => "output password",
        })
    }
}

/// Every way a certkit operation can fail. New variants may come: match with a `_` arm.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A value, or a combination of options, the operation cannot accept: an entry that does
    /// not exist or was not chosen among several, a file without the private key needed, a
    /// claim that is not `NAME=VALUE`, an alias JKS cannot hold, two entries sharing an alias,
    /// a key still locked when it must be re-protected. The message names the value.
    Invalid(String),
    /// As [`Error::Invalid`], with a message that names the settings to give or change
    /// (`give the token URL with` the token URL setting): each front end renders them in its
    /// own words. The same kind (`invalid`).
    InvalidSetting(Message),
    /// A password was needed and no source (flag, terminal) could give it.
    PasswordRequired {
        /// Which password.
        which: WhichPassword,
        /// Why none could be had.
        detail: String,
    },
    /// A password was given but does not open the file.
    WrongPassword {
        /// Which password was wrong.
        which: WhichPassword,
        /// The file concerned.
        path: String,
        /// What was found.
        detail: String,
    },
    /// The file is truncated, damaged, or not a format certkit reads.
    Corrupt {
        /// The file concerned.
        path: String,
        /// What is wrong with it.
        detail: String,
    },
    /// The input is well formed but uses an algorithm or feature certkit does not handle.
    Unsupported {
        /// The file concerned, when the input is a file.
        path: Option<String>,
        /// The algorithm or feature, named.
        what: String,
    },
    /// A target's rule (Salesforce import, password policy, alias) refuses the input.
    RuleRefused {
        /// The rule, in words.
        rule: String,
        /// What was found.
        detail: String,
        /// How to satisfy it.
        fix: String,
    },
    /// The output file exists and `--force` was not given.
    OutputExists(PathBuf),
    /// Reading or writing a file failed.
    Io {
        /// The file concerned.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// Something that should not fail did (a crypto library call, a self-check): a bug.
    Internal(String),
    /// The token endpoint could not be reached: the step that failed is named.
    Network {
        /// The step: name resolution, connection, TLS, proxy, timeout, HTTP.
        step: NetStep,
        /// The URL.
        url: String,
        /// What failed, in the words of the system or the TLS library.
        detail: String,
    },
    /// Another error, with what the user can do about it on the command line.
    Hinted(Box<Error>, Hint),
    /// A JSON document (Google key, metadata) is missing or has a malformed field.
    BadField {
        /// The file concerned.
        path: String,
        /// The JSON field.
        field: String,
        /// What was found.
        detail: String,
    },
}

/// What kind of failure an [`Error`] is. Not `#[non_exhaustive]`, unlike [`Error`], on
/// purpose: a new kind is a change every front end must map (the binary to an exit code),
/// and the compiler then says where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// [`Error::Network`], at its step.
    Network(NetStep),
    /// [`Error::Invalid`] and [`Error::InvalidSetting`].
    Invalid,
    /// [`Error::WrongPassword`].
    WrongPassword,
    /// [`Error::Corrupt`].
    Corrupt,
    /// [`Error::BadField`].
    BadField,
    /// [`Error::Unsupported`].
    Unsupported,
    /// [`Error::RuleRefused`].
    RuleRefused,
    /// [`Error::OutputExists`].
    OutputExists,
    /// [`Error::Io`].
    Io,
    /// [`Error::PasswordRequired`].
    PasswordRequired,
    /// [`Error::Internal`].
    Internal,
}

impl Kind {
    /// The machine-readable name (`wrong_password`, `network_tls`...).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Network(step) => match step {
                NetStep::NameResolution => "network_name_resolution",
                NetStep::Connection => "network_connection",
                NetStep::Tls => "network_tls",
                NetStep::Proxy => "network_proxy",
                NetStep::Timeout => "network_timeout",
                NetStep::Http => "network_http",
                NetStep::Answer => "not_token_endpoint_answer",
            },
            Kind::Invalid => "invalid",
            Kind::WrongPassword => "wrong_password",
            Kind::Corrupt => "corrupt",
            Kind::BadField => "bad_field",
            Kind::Unsupported => "unsupported",
            Kind::RuleRefused => "rule_refused",
            Kind::OutputExists => "output_exists",
            Kind::Io => "io",
            Kind::PasswordRequired => "password_required",
            Kind::Internal => "internal",
        }
    }
}

/// The step of an HTTP exchange that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetStep {
    /// The host name did not resolve.
    NameResolution,
    /// Nothing accepted the connection (refused, unreachable).
    Connection,
    /// The TLS handshake failed (certificate not trusted, wrong host name...).
    Tls,
    /// The proxy from the environment failed or refused.
    Proxy,
    /// No answer in time.
    Timeout,
    /// The server answered something that is not HTTP.
    Http,
    /// The server answered HTTP, but not as a token endpoint does (an HTML page, a proxy's
    /// or gateway's 5xx, JSON with neither `access_token` nor `error`).
    Answer,
}

impl NetStep {
    /// The step in words.
    pub fn name(self) -> &'static str {
        match self {
            NetStep::NameResolution => "name resolution",
            NetStep::Connection => "connection",
            NetStep::Tls => "TLS",
            NetStep::Proxy => "proxy",
            NetStep::Timeout => "timeout",
            NetStep::Http => "HTTP",
            NetStep::Answer => "not the token endpoint's answer",
        }
    }
}

/// What the user can do about an error on the command line. The library names the remedy;
/// the command-line layer names its flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// Pick one entry of a keystore (the entries are listed in the message).
    ChooseEntry,
    /// Give a JKS key's own password.
    KeyPassword,
    /// Allow a validity longer than ten years.
    LongValidity,
    /// Give the output an alias Salesforce accepts.
    Alias,
    /// Choose another output password, or have one generated.
    OutPassword,
    /// A certificate for a key that has none.
    Certificate,
    /// Inputs with different passwords: give each one.
    EachPassword,
    /// The message's last words, which name the setting to give or change (a rule's fix
    /// ending ` with` the certificate setting): the front end renders them at the end of the
    /// message's last line. An error's own words stay a string (a rule's fix, what is
    /// unsupported); only the setting is the front end's.
    Setting(Message),
}

/// Result with certkit's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// The kind of failure: what a front end maps (the binary: to an exit code), and its
    /// machine-readable name ([`Kind::name`], the `--json` error report's).
    pub fn kind(&self) -> Kind {
        match self {
            Error::Hinted(e, _) => e.kind(),
            Error::Network { step, .. } => Kind::Network(*step),
            Error::Invalid(_) | Error::InvalidSetting(_) => Kind::Invalid,
            Error::WrongPassword { .. } => Kind::WrongPassword,
            Error::Corrupt { .. } => Kind::Corrupt,
            Error::BadField { .. } => Kind::BadField,
            Error::Unsupported { .. } => Kind::Unsupported,
            Error::RuleRefused { .. } => Kind::RuleRefused,
            Error::OutputExists(_) => Kind::OutputExists,
            Error::Io { .. } => Kind::Io,
            Error::PasswordRequired { .. } => Kind::PasswordRequired,
            Error::Internal(_) => Kind::Internal,
        }
    }

    /// The same error with a command-line remedy attached.
    pub fn hint(self, hint: Hint) -> Self {
        Error::Hinted(Box::new(self), hint)
    }

    /// The error without its hint, and the hint.
    pub fn parts(&self) -> (&Error, Option<&Hint>) {
        match self {
            Error::Hinted(e, h) => (e.parts().0, Some(h)),
            e => (e, None),
        }
    }

    /// A password is needed and none could be had.
    pub fn password_required(which: WhichPassword, detail: impl Into<String>) -> Self {
        Error::PasswordRequired {
            which,
            detail: detail.into(),
        }
    }

    /// The file `path` is damaged or unreadable.
    pub fn corrupt(path: &str, detail: impl Into<String>) -> Self {
        Error::Corrupt {
            path: path.to_string(),
            detail: detail.into(),
        }
    }

    pub(crate) fn unsupported(path: &str, what: impl Into<String>) -> Self {
        Error::Unsupported {
            path: Some(path.to_string()),
            what: what.into(),
        }
    }

    /// An algorithm or feature certkit does not handle, in an input that is not a file
    /// (a key already read, a rule's verdict).
    pub fn unsupported_feature(what: impl Into<String>) -> Self {
        Error::Unsupported {
            path: None,
            what: what.into(),
        }
    }

    /// A value, or a combination of options, the operation cannot accept.
    pub fn invalid(detail: impl Into<String>) -> Self {
        Error::Invalid(detail.into())
    }

    /// A value, or a combination of options, the operation cannot accept, with a message that
    /// names the settings to give or change.
    pub fn invalid_setting(message: Message) -> Self {
        Error::InvalidSetting(message)
    }

    /// Reading or writing `path` failed.
    pub fn io(path: impl fmt::Display, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_string(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(m) => write!(f, "{m}"),
            Error::InvalidSetting(m) => write!(f, "{m}"),
            Error::Internal(m) => write!(f, "internal error (a bug, please report it): {m}"),
            Error::PasswordRequired { which, detail } => {
                write!(f, "{which} required: {detail}")
            }
            // A setting the message ends with is part of its sentence ("...; rename it with
            // the alias"): kept, in neutral words. Other hints are the front end's to word.
            Error::Hinted(e, Hint::Setting(m)) => write!(f, "{e}{m}"),
            Error::Hinted(e, _) => e.fmt(f),
            Error::Network { step, url, detail } => {
                write!(f, "{url}: {}: {detail}", step.name())
            }
            Error::WrongPassword {
                which,
                path,
                detail,
            } => write!(f, "{path}: wrong {which}: {detail}"),
            Error::Corrupt { path, detail } => {
                write!(f, "{path}: damaged or unreadable: {detail}")
            }
            Error::Unsupported { path: None, what } => write!(f, "unsupported: {what}"),
            Error::Unsupported {
                path: Some(path),
                what,
            } => write!(f, "{path}: unsupported: {what}"),
            Error::RuleRefused { rule, detail, fix } => {
                write!(f, "refused by rule \"{rule}\": {detail}\n  fix: {fix}")
            }
            Error::OutputExists(p) => {
                write!(f, "{} already exists; nothing was written", p.display())
            }
            // The operating system's words, without "(os error 2)".
            Error::Io { path, source } => match (source.raw_os_error(), source.kind()) {
                (Some(_), std::io::ErrorKind::NotFound) => {
                    write!(f, "{path}: no such file or folder")
                }
                (Some(_), std::io::ErrorKind::PermissionDenied) => {
                    write!(f, "{path}: permission denied")
                }
                _ => write!(f, "{path}: {source}"),
            },
            Error::BadField {
                path,
                field,
                detail,
            } => write!(f, "{path}: field \"{field}\": {detail}"),
        }
    }
}

impl std::error::Error for Error {
    /// The operating system's error of [`Error::Io`] (its words are in the message too: the
    /// message is what a person reads, the source what code matches on). A hint is no error of
    /// its own: [`Error::Hinted`] is transparent, its source the wrapped error's, so a report
    /// that walks the chain shows each message once.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Hinted(e, _) => e.source(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn the_source_of_an_io_error_is_the_operating_systems_error() {
        let e = Error::io("k.pem", std::io::Error::from_raw_os_error(2));
        let source = e.source().expect("an I/O error has a source");
        let io = source
            .downcast_ref::<std::io::Error>()
            .expect("the source is the std::io::Error");
        assert_eq!(io.raw_os_error(), Some(2));
        assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
    }

    #[test]
    fn a_hinted_error_is_transparent_its_source_the_wrapped_errors() {
        // Not a raw error number: 13 is EACCES on Unix but ERROR_INVALID_DATA on Windows.
        let denied = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let e = Error::io("k.pem", denied).hint(Hint::ChooseEntry);
        // Not the Io error again (its message is the hinted one's): its cause.
        let io = e.source().and_then(|s| s.downcast_ref::<std::io::Error>());
        assert_eq!(
            io.map(|e| e.kind()),
            Some(std::io::ErrorKind::PermissionDenied)
        );
    }

    #[test]
    fn a_setting_hint_ends_the_sentence_in_neutral_words() {
        use crate::setting::{msg, Setting};
        let e = Error::invalid("give the certificate")
            .hint(Hint::Setting(msg!(" with ", Setting::Certificate.value())));
        let text = e.to_string();
        assert!(text.starts_with("give the certificate with "), "{text}");
        assert!(!text.contains("--"), "{text}");
        // Other hints are the front end's to word: the message alone.
        assert_eq!(Error::invalid("x").hint(Hint::ChooseEntry).to_string(), "x");
    }

    #[test]
    fn errors_without_a_cause_have_no_source() {
        assert!(Error::invalid("x").source().is_none());
        assert!(Error::invalid("x")
            .hint(Hint::ChooseEntry)
            .source()
            .is_none());
        assert!(Error::unsupported_feature("JCEKS").source().is_none());
    }

    #[test]
    fn an_unsupported_feature_without_a_file_names_no_path() {
        assert_eq!(
            Error::unsupported_feature("an EC key").to_string(),
            "unsupported: an EC key"
        );
        assert_eq!(
            Error::unsupported("k.pem", "an EC key").to_string(),
            "k.pem: unsupported: an EC key"
        );
    }
}
