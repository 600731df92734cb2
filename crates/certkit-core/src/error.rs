//! One error type for the whole tool, and the exit code each kind maps to.
//!
//! Messages never contain a password or key material: the variants carry only
//! names (which password, which file, which rule) and public facts.

use std::fmt;
use std::path::PathBuf;

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

/// Every way a certkit command can fail.
#[derive(Debug)]
pub enum Error {
    /// Command-line usage that clap cannot catch (conflicting choices, bad values).
    Usage(String),
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
    /// The file is well formed but uses an algorithm or feature certkit does not handle.
    Unsupported {
        /// The file concerned.
        path: String,
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
    /// A check run by `verify` or `preflight` failed (the report says which).
    ChecksFailed(usize),
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
    /// Standard output was closed by its reader (`certkit ... | head`): not a failure.
    StdoutClosed,
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
    /// Name the output format.
    Format,
    /// Inputs with different passwords: give each one.
    EachPassword,
}

/// An error as `--json` reports it: the whole document when a command fails, or one item of
/// a report's `errors` list when a command that takes several inputs could not read one.
/// `error` is always certkit's own failure, as a kind (`wrong_password`, `network_tls`...).
#[derive(Clone, Debug, serde::Serialize)]
pub struct ErrorReport {
    /// The kind of failure ([`Error::kind`]).
    pub error: &'static str,
    /// The exit code it maps to.
    pub exit_code: i32,
    /// The message, as shown on standard error.
    pub message: String,
    /// The input concerned (in an `errors` list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl ErrorReport {
    /// `e` with its message already rendered (the command line adds its flags to it).
    pub fn new(e: &Error, message: String, file: Option<String>) -> Self {
        ErrorReport {
            error: e.kind(),
            exit_code: e.exit_code(),
            message,
            file,
        }
    }
}

/// Result with certkit's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// The process exit code for this error (documented in the README).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Hinted(e, _) => e.exit_code(),
            Error::StdoutClosed => 0,
            Error::Network { .. } => 10,
            Error::ChecksFailed(_) => 1,
            Error::Usage(_) => 2,
            Error::WrongPassword { .. } => 3,
            Error::Corrupt { .. } | Error::BadField { .. } => 4,
            Error::Unsupported { .. } => 5,
            Error::RuleRefused { .. } => 6,
            Error::OutputExists(_) => 7,
            Error::Io { .. } => 8,
            Error::PasswordRequired { .. } => 9,
            Error::Internal(_) => 101,
        }
    }

    /// A short machine-readable name of the error kind, for the `--json` error report.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Hinted(e, _) => e.kind(),
            Error::StdoutClosed => "stdout_closed",
            Error::Network { step, .. } => match step {
                NetStep::NameResolution => "network_name_resolution",
                NetStep::Connection => "network_connection",
                NetStep::Tls => "network_tls",
                NetStep::Proxy => "network_proxy",
                NetStep::Timeout => "network_timeout",
                NetStep::Http => "network_http",
                NetStep::Answer => "not_token_endpoint_answer",
            },
            Error::ChecksFailed(_) => "checks_failed",
            Error::Usage(_) => "usage",
            Error::WrongPassword { .. } => "wrong_password",
            Error::Corrupt { .. } => "corrupt",
            Error::BadField { .. } => "bad_field",
            Error::Unsupported { .. } => "unsupported",
            Error::RuleRefused { .. } => "rule_refused",
            Error::OutputExists(_) => "output_exists",
            Error::Io { .. } => "io",
            Error::PasswordRequired { .. } => "password_required",
            Error::Internal(_) => "internal",
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
            path: path.to_string(),
            what: what.into(),
        }
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
            Error::Usage(m) => write!(f, "{m}"),
            Error::Internal(m) => write!(f, "internal error (a bug, please report it): {m}"),
            Error::PasswordRequired { which, detail } => {
                write!(f, "{which} required: {detail}")
            }
            Error::Hinted(e, _) => e.fmt(f),
            Error::StdoutClosed => write!(f, "standard output was closed"),
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
            Error::Unsupported { path, what } if path.is_empty() => {
                write!(f, "unsupported: {what}")
            }
            Error::Unsupported { path, what } => write!(f, "{path}: unsupported: {what}"),
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
            Error::ChecksFailed(n) => write!(f, "{n} check(s) failed"),
            Error::BadField {
                path,
                field,
                detail,
            } => write!(f, "{path}: field \"{field}\": {detail}"),
        }
    }
}

impl std::error::Error for Error {}
