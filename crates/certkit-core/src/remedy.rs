//! A fix that is a certkit command, described as data. A bottom layer: rules attach it to a
//! check, errors carry it, and the command line renders it with the flags of the run.

/// A fix that is a certkit command. The library describes it; the command line renders it
/// with the flags of the invocation that found the problem (its password source, say), so
/// that the printed command works when pasted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Remedy {
    /// Rewrite a keystore as the one Salesforce imports (`p12-to-jks`).
    Rewrite {
        /// The keystore to rewrite, as the user named it.
        input: String,
        /// A free name for the result.
        output: String,
        /// The entry to keep, when the file holds several.
        entry: Option<String>,
        /// The current password does not fit the policy: a new one is needed.
        new_password: bool,
        /// A key has a password of its own that certkit could not find.
        key_password: bool,
    },
    /// Give a claim's value on the command line (`iss`, `sub`, ...).
    Claim(&'static str),
    /// Give the certificate the other side holds.
    PeerCertificate,
    /// Run it again without this setting (a dry run: send the request).
    Without(crate::setting::Setting),
}

/// A word or path as a POSIX shell reads it back: quoted when it holds anything but
/// letters, digits and `-_./=:@%+,` (a path with a space, a value with quotes).
pub fn shell_quote(s: &str) -> String {
    let safe = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:@%+,".contains(&b));
    if safe {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
