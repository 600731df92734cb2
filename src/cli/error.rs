//! How a run of certkit ends when it does not succeed: the library's errors and the command
//! line's own outcomes (a usage error clap cannot catch, failed checks, a closed standard
//! output), each with the exit code the README's table documents, and the `--json` error
//! document. The library knows no exit code; this module is the one mapping.

use std::fmt;

use certkit_core::error::{Error, Kind};

/// Every way a run of certkit ends other than success (cargo's `CliError` is the model: the
/// library's error, or the command line's own outcome, with its exit code).
#[derive(Debug)]
pub enum CliError {
    /// An operation of the library failed.
    Core(Error),
    /// A command line clap cannot refuse by itself (flags that do not go together, a flag
    /// that does not apply here): exit 2.
    Usage(String),
    /// Checks failed (the report, already printed, says which and how to fix them): exit 1.
    ChecksFailed(usize),
    /// Standard output was closed by its reader (`certkit ... | head`): not a failure; the
    /// run ends quietly, exit 0, as other Unix tools do.
    StdoutClosed,
}

/// Result with the command line's [`CliError`].
pub type Result<T, E = CliError> = std::result::Result<T, E>;

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        CliError::Core(e)
    }
}

impl CliError {
    /// The process exit code (the README's "Exit codes" table).
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::StdoutClosed => 0,
            CliError::ChecksFailed(_) => 1,
            CliError::Usage(_) => 2,
            CliError::Core(e) => exit_code(e),
        }
    }

    /// The kind `--json` reports as `error` (`usage`, `wrong_password`, `network_tls`...).
    pub fn kind(&self) -> &'static str {
        match self {
            CliError::StdoutClosed => "stdout_closed",
            CliError::ChecksFailed(_) => "checks_failed",
            CliError::Usage(_) => "usage",
            CliError::Core(e) => kind(e),
        }
    }

    /// The message as standard error shows it: a library error with the flags that fix it.
    pub fn message(&self) -> String {
        match self {
            CliError::Core(e) => super::render::error(e),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Core(e) => e.fmt(f),
            CliError::Usage(m) => f.write_str(m),
            CliError::ChecksFailed(n) => write!(f, "{n} check(s) failed"),
            CliError::StdoutClosed => f.write_str("standard output was closed"),
        }
    }
}

impl std::error::Error for CliError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // Transparent: the message is the core error's, so its source is too.
            CliError::Core(e) => e.source(),
            _ => None,
        }
    }
}

/// The exit code of a library error. A value the operation cannot accept is the user's to
/// change on the command line: a usage error, as clap's own.
fn exit_code(e: &Error) -> i32 {
    // Every kind, no catch-all: a kind the core adds does not compile until it has its code
    // here (and in the README's table, which the unit test below reads).
    match e.kind() {
        Kind::Network(_) => 10,
        Kind::Invalid => 2,
        Kind::WrongPassword => 3,
        Kind::Corrupt | Kind::BadField => 4,
        Kind::Unsupported => 5,
        Kind::RuleRefused => 6,
        Kind::OutputExists => 7,
        Kind::Io => 8,
        Kind::PasswordRequired => 9,
        Kind::Internal => 101,
    }
}

/// The `--json` kind of a library error: the library's own name, but `usage` for a value
/// the operation cannot accept (the name the exit-code table gives code 2).
fn kind(e: &Error) -> &'static str {
    match e.kind() {
        Kind::Invalid => "usage",
        k => k.name(),
    }
}

/// An error as `--json` reports it: the whole document when a command fails, or one item of
/// a report's `errors` list when a command that takes several inputs could not read one.
/// `error` is always certkit's own failure, as a kind (`wrong_password`, `network_tls`...).
#[derive(Clone, Debug, serde::Serialize)]
pub struct ErrorReport {
    /// The kind of failure ([`CliError::kind`]).
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
    /// The document of a run that failed with `e`.
    pub fn new(e: &CliError) -> Self {
        ErrorReport {
            error: e.kind(),
            exit_code: e.exit_code(),
            message: e.message(),
            file: None,
        }
    }

    /// One item of a report's `errors` list: `file` could not be read.
    pub fn item(e: &Error, file: String) -> Self {
        ErrorReport {
            error: kind(e),
            exit_code: exit_code(e),
            message: super::render::error(e),
            file: Some(file),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use certkit_core::error::{Hint, NetStep, WhichPassword};
    use certkit_core::setting::{Message, Setting};

    /// One error of every kind, with a word its README row holds.
    fn every_kind() -> Vec<(CliError, &'static str)> {
        let io = || std::io::Error::from_raw_os_error(2);
        let core = |e: Error| CliError::Core(e);
        let mut all = vec![
            (CliError::StdoutClosed, "done"),
            (CliError::ChecksFailed(1), "a check failed"),
            (CliError::Usage("x".into()), "usage"),
            (core(Error::invalid("x")), "usage"),
            (core(Error::invalid("x").hint(Hint::ChooseEntry)), "usage"),
            (
                core(Error::invalid_setting(Message::new([
                    "give it with ".into(),
                    Setting::TokenUrl.value(),
                ]))),
                "usage",
            ),
            (
                core(Error::WrongPassword {
                    which: WhichPassword::Store,
                    path: "k.p12".into(),
                    detail: "x".into(),
                }),
                "wrong password",
            ),
            (
                core(Error::Corrupt {
                    path: "k.p12".into(),
                    detail: "x".into(),
                }),
                "damaged",
            ),
            (
                core(Error::BadField {
                    path: "k.json".into(),
                    field: "private_key".into(),
                    detail: "x".into(),
                }),
                "JSON key field",
            ),
            (core(Error::unsupported_feature("x")), "unsupported"),
            (
                core(Error::RuleRefused {
                    rule: "r".into(),
                    detail: "x".into(),
                    fix: "y".into(),
                }),
                "refused by a rule",
            ),
            (
                core(Error::OutputExists("o.jks".into())),
                "the output exists",
            ),
            (
                core(Error::io("k.p12", io())),
                "could not be read or written",
            ),
            (
                core(Error::password_required(WhichPassword::Key, "x")),
                "a password is needed",
            ),
            (core(Error::Internal("x".into())), "internal error"),
        ];
        for step in [
            NetStep::NameResolution,
            NetStep::Connection,
            NetStep::Tls,
            NetStep::Proxy,
            NetStep::Timeout,
            NetStep::Http,
            NetStep::Answer,
        ] {
            let e = Error::Network {
                step,
                url: "https://x.example/token".into(),
                detail: "x".into(),
            };
            all.push((core(e), "could not be reached"));
        }
        all
    }

    /// The README's exit-code table: (code, meaning).
    fn readme_table() -> Vec<(i32, String)> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(&path).expect("README.md");
        let rows: Vec<(i32, String)> = readme
            .lines()
            .skip_while(|l| *l != "## Exit codes")
            .skip_while(|l| !l.starts_with("| code |"))
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                let mut cells = l.split('|').skip(1);
                let code = cells.next().unwrap_or("").trim().parse().expect("a code");
                (code, cells.next().unwrap_or("").trim().to_string())
            })
            .collect();
        assert!(rows.len() >= 10, "the README's exit-code table: {rows:?}");
        rows
    }

    #[test]
    fn every_error_maps_to_the_exit_code_the_readme_documents_for_it() {
        let table = readme_table();
        for (e, word) in every_kind() {
            let code = e.exit_code();
            let Some((_, meaning)) = table.iter().find(|(c, _)| *c == code) else {
                panic!("{e:?}: exit code {code} is not in the README's table");
            };
            assert!(
                meaning.contains(word),
                "{e:?}: exit code {code}, whose README row does not say \"{word}\": {meaning}"
            );
        }
    }

    #[test]
    fn every_code_of_the_readme_table_is_one_an_error_maps_to() {
        let mapped: std::collections::BTreeSet<i32> =
            every_kind().iter().map(|(e, _)| e.exit_code()).collect();
        let documented: std::collections::BTreeSet<i32> =
            readme_table().into_iter().map(|(c, _)| c).collect();
        assert_eq!(mapped, documented);
    }

    #[test]
    fn a_value_the_library_cannot_accept_is_a_usage_error_in_json() {
        let e = CliError::from(Error::invalid("two entries share the alias \"a\""));
        assert_eq!((e.kind(), e.exit_code()), ("usage", 2));
        let hinted = CliError::from(Error::invalid("x").hint(Hint::ChooseEntry));
        assert_eq!((hinted.kind(), hinted.exit_code()), ("usage", 2));
    }

    #[test]
    fn a_library_error_is_transparent_its_source_the_library_errors() {
        use std::error::Error as _;
        let e = CliError::from(Error::io("k.p12", std::io::Error::from_raw_os_error(2)));
        let io = e.source().and_then(|s| s.downcast_ref::<std::io::Error>());
        assert_eq!(io.map(|e| e.kind()), Some(std::io::ErrorKind::NotFound));
        assert!(CliError::from(Error::invalid("x")).source().is_none());
    }
}
