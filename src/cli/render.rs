//! What every command prints: one buffered write of the report to standard output (a long
//! listing in 64 KiB pieces; a closed pipe ends quietly), checks as `PASS rule: detail` lines
//! with their fixes, the remedies the library names rendered as commands that work when
//! pasted, and errors with the flags that fix them.
//!
//! The library names the options a message asks for as [`Setting`]s; [`flag`] is the one
//! place that says which flag each one is on this command line (a unit test checks each
//! against clap's command), and [`message`] puts them in a [`Message`]'s place.

use std::io::Write;

use certkit_core::error::{Error, Hint, WhichPassword};
use certkit_core::passwords::Source;
use certkit_core::rules::{Check, Remedy, Status};
use certkit_core::setting::{Message, Part, Setting};

use super::error::CliError;

/// Text being built for standard output or standard error. Made by [`Text::stdout`], it is
/// written to standard output in pieces as it grows, and [`Text::finish`] writes the rest.
#[derive(Default)]
pub struct Text(pub String, Stream);

/// Whether a [`Text`] goes to standard output as it grows, and the first error that writing
/// met.
#[derive(Default)]
pub struct Stream {
    on: bool,
    failed: Option<CliError>,
}

/// The size at which a streamed [`Text`] is written out: a listing of 10,000 certificates
/// is 5.5 MB of text, which is then never held whole (peak memory, not speed: one write per
/// 64 KiB is as fast as one write).
const PIECE: usize = 64 * 1024;

impl Text {
    /// Text for standard output, written out in 64 KiB pieces as it grows; end it with
    /// [`Text::finish`], which writes the rest and returns the first write error.
    #[must_use = "a streamed Text must be ended with finish(), or its last piece is lost"]
    pub fn stdout() -> Self {
        Text(
            String::with_capacity(PIECE + 4096),
            Stream {
                on: true,
                failed: None,
            },
        )
    }

    /// Append a line.
    pub fn line(&mut self, s: impl AsRef<str>) {
        self.0.push_str(s.as_ref());
        self.0.push('\n');
        self.grown();
    }

    /// Append a formatted line, written straight into the text (no `String` per line: a
    /// listing of thousands of certificates has tens of thousands of lines).
    pub fn fmt(&mut self, args: std::fmt::Arguments<'_>) {
        use std::fmt::Write;
        let _ = self.0.write_fmt(args);
        self.0.push('\n');
        self.grown();
    }

    fn grown(&mut self) {
        if self.1.on && self.0.len() >= PIECE {
            if self.1.failed.is_none() {
                self.1.failed = stdout(&self.0).err();
            }
            self.0.clear();
        }
    }

    /// Write what is left of a [`Text::stdout`] text; the first error writing met, if any.
    pub fn finish(mut self) -> super::error::Result<()> {
        match self.1.failed.take() {
            Some(e) => Err(e),
            None => stdout(&self.0),
        }
    }
}

/// Write `text` to standard output at once. A closed pipe (`certkit ... | head`) is not a
/// failure: main ends quietly with status 0.
pub fn stdout(text: &str) -> super::error::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if closed(&e) => Err(CliError::StdoutClosed),
        Err(e) => Err(Error::io("standard output", e).into()),
    }
}

/// Whether a write failed because the reader of standard output went away: `EPIPE` on Unix;
/// on Windows, `ERROR_NO_DATA` (232, "the pipe is being closed", which Rust names
/// `BrokenPipe` too) or, under Wine, `ERROR_PIPE_NOT_CONNECTED` (233).
fn closed(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::BrokenPipe || (cfg!(windows) && e.raw_os_error() == Some(233))
}

/// Text from elsewhere (a server's answer) made safe for a terminal: control characters
/// (escape sequences, line breaks that would forge report lines) shown as escapes.
pub fn clean(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// Whether a JSON report went to standard output: main then writes no error document after
/// it (the report lists its errors), so that a run writes one document.
static JSON_WRITTEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether [`json`] wrote (or began to write) a report.
pub fn json_written() -> bool {
    JSON_WRITTEN.load(std::sync::atomic::Ordering::Relaxed)
}

/// Write a report as pretty JSON on standard output, through a 64 KiB buffer (a report of
/// thousands of certificates is not held as text whole).
pub fn json<T: serde::Serialize>(report: &T) -> super::error::Result<()> {
    JSON_WRITTEN.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut out = std::io::BufWriter::with_capacity(PIECE, std::io::stdout().lock());
    let written = match serde_json::to_writer_pretty(&mut out, report) {
        Err(e) if !e.is_io() => return Err(Error::Internal(format!("report: {e}")).into()),
        Err(e) => Err(std::io::Error::from(e)),
        Ok(()) => out.write_all(b"\n").and_then(|()| out.flush()),
    };
    match written {
        Ok(()) => Ok(()),
        Err(e) if closed(&e) => Err(CliError::StdoutClosed),
        Err(e) => Err(Error::io("standard output", e).into()),
    }
}

/// What the invocation that found a problem was given: the remedies reuse it.
pub struct Invocation {
    /// The keystore passwords' sources, as given (repeated options carried over).
    pub store: Vec<Source>,
    /// The key password's source.
    pub key: Option<Source>,
    /// Whether claims can be given on this command line (not when a token is checked).
    pub claims: bool,
}

impl Invocation {
    /// What an input was given: every keystore password option, the key password's; claims
    /// can be given.
    pub fn of(input: &certkit_core::open::Input) -> Self {
        Invocation {
            store: input
                .password
                .iter()
                .chain(&input.more_passwords)
                .cloned()
                .collect(),
            key: input.key_password.clone(),
            claims: true,
        }
    }
}

impl Default for Invocation {
    fn default() -> Self {
        Invocation {
            store: Vec::new(),
            key: None,
            claims: true,
        }
    }
}

/// Render each check's remedy: a command that works when pasted (`command`), or the flag to
/// give here, appended to the fix.
pub fn remedies(checks: &mut [Check], inv: &Invocation) {
    for c in checks.iter_mut().filter(|c| c.status != Status::Pass) {
        match &c.remedy {
            Some(Remedy::Rewrite {
                input,
                output,
                entry,
                new_password,
                key_password,
            }) => {
                let mut cmd = format!(
                    "certkit p12-to-jks {} -o {}",
                    certkit_core::remedy::shell_quote(input),
                    certkit_core::remedy::shell_quote(output)
                );
                use certkit_core::ops::credential::source_flags;
                let flags = inv.store.iter().filter_map(|s| source_flags("", s));
                for f in flags.chain(inv.key.as_ref().and_then(|k| source_flags("key-", k))) {
                    cmd.push(' ');
                    cmd.push_str(&f);
                }
                if let Some(e) = entry {
                    cmd.push_str(&format!(
                        " --entry {}",
                        certkit_core::remedy::shell_quote(e)
                    ));
                }
                if *new_password {
                    cmd.push_str(" --generate-password");
                }
                if *key_password && inv.key.is_none() {
                    // Only the user knows the key's password: a template, not a command.
                    c.fix = Some(format!(
                        "{}: {cmd} --key-password-file FILE (FILE holding the key's own password)",
                        c.fix.as_deref().unwrap_or("")
                    ));
                } else {
                    c.command = Some(cmd);
                }
            }
            Some(Remedy::Claim(_)) if !inv.claims => {}
            Some(Remedy::Claim(name)) => {
                let here = format!("; to check it here, give --{name} VALUE");
                c.fix = Some(format!("{}{here}", c.fix.as_deref().unwrap_or("")));
            }
            Some(Remedy::Without(s)) => {
                let here = format!(": run it without {}", setting(&Part::Alone(*s)));
                c.fix = Some(format!("{}{here}", c.fix.as_deref().unwrap_or("")));
            }
            Some(Remedy::PeerCertificate) => {
                let here = "; to check it here, give --cert FILE";
                c.fix = Some(format!("{}{here}", c.fix.as_deref().unwrap_or("")));
            }
            None => {}
        }
    }
}

/// Checks as lines: `PASS rule: detail`, then the fix (and its command) under a warn or fail.
pub fn checks(out: &mut Text, checks: &[Check]) {
    for c in checks {
        let tag = match c.status {
            Status::Pass => "PASS",
            Status::Warn => "WARN",
            Status::Fail => "FAIL",
        };
        out.line(format!("  {tag}  {}: {}", c.rule.text, c.detail));
        if c.status != Status::Pass {
            if let Some(f) = &c.fix {
                out.line(format!("        fix: {f}"));
            }
            if let Some(cmd) = &c.command {
                out.line(format!("        run: {cmd}"));
            }
        }
    }
}

/// The flags that act on a hint.
fn hint_text(h: &Hint) -> Option<&'static str> {
    Some(match h {
        Hint::ChooseEntry => "choose one with --entry ALIAS",
        Hint::KeyPassword => {
            "give the key's own password with --key-password-file FILE or --key-password-env VAR"
        }
        Hint::LongValidity => "add --allow-long-validity if you mean it",
        Hint::Alias => "give one with --alias NAME (letters, digits, underscores)",
        Hint::OutPassword => {
            "on the command line: --out-password-file FILE, --out-password-env VAR or --generate-password \
             (--password-policy java accepts longer passwords at your own risk)"
        }
        Hint::Certificate => "give the key's certificate with --cert FILE",
        Hint::EachPassword => {
            "inputs with different passwords: repeat --password-file FILE (or --password-env VAR), once per password; \
             each input is opened with the first that fits"
        }
        // The last words of the message itself: see `error`.
        Hint::Setting(_) => return None,
    })
}

/// The flag of a setting on this command line, and the name of the value it takes (`None`
/// for a switch). `None` for a setting this command line does not know yet.
pub fn flag(s: Setting) -> Option<(&'static str, Option<&'static str>)> {
    Some(match s {
        Setting::Output => ("-o", Some("FILE")),
        Setting::KeyOut => ("--key-out", Some("FILE")),
        Setting::CertOut => ("--cert-out", Some("FILE")),
        Setting::Issuer => ("--iss", Some("ISSUER")),
        Setting::Subject => ("--sub", Some("SUBJECT")),
        Setting::Audience => ("--aud", Some("URL")),
        Setting::TokenUrl => ("--token-url", Some("URL")),
        Setting::TokenFile => ("--token-file", Some("FILE")),
        Setting::Certificate => ("--cert", Some("FILE")),
        Setting::Name => ("--name", Some("NAME")),
        Setting::CertName => ("--cert-name", Some("NAME")),
        Setting::ApiUrl => ("--url", Some("URL")),
        Setting::Lifetime => ("--exp-seconds", Some("SECONDS")),
        Setting::Alias => ("--alias", Some("NAME")),
        Setting::DryRun => ("--dry-run", None),
        Setting::ClientApp => ("--client-app", None),
        _ => return None,
    })
}

/// A setting as this command line asks for it: `--token-url URL`, `--iss CLIENT_EMAIL` (the
/// library's placeholder), or the flag alone (`leave --cert out`).
fn setting(p: &Part) -> String {
    let (s, value) = match p {
        Part::Words(w) => return w.clone(),
        Part::Value(s, placeholder) => (*s, Some(*placeholder)),
        Part::Alone(s) => (*s, None),
    };
    match (flag(s), value) {
        (Some((f, default)), Some(placeholder)) => match placeholder.or(default) {
            Some(v) => format!("{f} {v}"),
            None => f.to_string(),
        },
        (Some((f, _)), None) => f.to_string(),
        // A setting newer than this table: the library's words.
        (None, _) => format!("the \"{}\" setting", s.label()),
    }
}

/// A library message with this command line's flags in its settings' places.
pub fn message(m: &Message) -> String {
    m.render(setting)
}

/// A library message as plain words with this command line's flags (for a `--json` report).
pub fn words(m: &Message) -> Message {
    Message::new([Part::Words(message(m))])
}

/// An error as the user reads it: the library's message, then what to do on this command line.
pub fn error(e: &Error) -> String {
    let (inner, hint) = e.parts();
    let mut msg = match inner {
        Error::InvalidSetting(m) => message(m),
        other => other.to_string(),
    };
    if let Some(Hint::Setting(m)) = hint {
        msg.push_str(&message(m));
    }
    let extra = match inner {
        Error::OutputExists(_) => Some("use --force to replace it"),
        Error::PasswordRequired { which, .. } => Some(match which {
            WhichPassword::Store | WhichPassword::PemKey => {
                "give it with --password-file FILE, --password-env VAR or --password-stdin"
            }
            WhichPassword::Key => "give it with --key-password-file FILE or --key-password-env VAR",
            WhichPassword::Output => {
                "give it with --out-password-file FILE or --out-password-env VAR, or use --generate-password"
            }
        }),
        _ => None,
    };
    for x in [extra, hint.and_then(hint_text)].into_iter().flatten() {
        msg.push_str("\n  ");
        msg.push_str(x);
    }
    msg
}

/// Where each file goes (selfsign and renew write the same files).
pub fn files(t: &mut Text, r: &certkit_core::ops::selfsign::Written) {
    t.line(format!(
        "  {:<24} the certificate: upload it to the Connected App (\"Use digital signatures\")",
        r.certificate
    ));
    t.line(format!(
        "  {:<24} the private key{}: sf org login jwt --jwt-key-file {}; keep it secret",
        r.key,
        if r.key_encrypted { " (encrypted)" } else { "" },
        certkit_core::remedy::shell_quote(&r.key.to_string())
    ));
    if let Some(j) = &r.jks {
        t.line(format!(
            "  {j:<24} Salesforce Setup > Certificate and Key Management > Import from Keystore (alias \"{}\")",
            r.alias
        ));
    }
    if let Some(p) = &r.p12 {
        t.line(format!("  {p:<24} PKCS#12 for Java and Windows tools"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every argument of every command: a renamed flag leaves no setting pointing at nothing.
    fn arguments(c: &clap::Command, out: &mut Vec<clap::Arg>) {
        out.extend(c.get_arguments().cloned());
        for sub in c.get_subcommands() {
            arguments(sub, out);
        }
    }

    #[test]
    fn every_setting_renders_as_a_flag_the_command_line_has() {
        // Built: each command's flags are added when it is (see `args::Deferred`).
        let mut cmd = crate::cli::Cli::command();
        cmd.build();
        let mut args = Vec::new();
        arguments(&cmd, &mut args);
        assert!(args.len() > 50, "{} arguments", args.len());
        for s in Setting::ALL {
            let (name, value) = flag(*s).unwrap_or_else(|| panic!("{s:?} has no flag"));
            let found: Vec<&clap::Arg> = args
                .iter()
                .filter(|a| match name.strip_prefix("--") {
                    Some(long) => a.get_long() == Some(long),
                    None => {
                        let short = name.strip_prefix('-').and_then(|c| c.chars().next());
                        short.is_some() && a.get_short() == short
                    }
                })
                .collect();
            assert!(!found.is_empty(), "{s:?}: no command has {name}");
            for a in found {
                let takes_value = a.get_num_args().is_some_and(|n| n.takes_values());
                assert_eq!(
                    takes_value,
                    value.is_some(),
                    "{s:?}: {name} takes a value: {takes_value}; rendered with one: {value:?}"
                );
            }
        }
    }

    #[test]
    fn a_message_and_a_hint_render_with_the_flags() {
        let m = Message::new([
            "give it with ".into(),
            Setting::Issuer.value_as("CLIENT_EMAIL"),
            " or ".into(),
            Setting::TokenUrl.value(),
            "; leave ".into(),
            Setting::Certificate.alone(),
            " out".into(),
        ]);
        assert_eq!(
            error(&Error::invalid_setting(m)),
            "give it with --iss CLIENT_EMAIL or --token-url URL; leave --cert out"
        );
        let hinted =
            Error::unsupported_feature("an alias; rename it").hint(Hint::Setting(Message::new([
                " with ".into(),
                Setting::Alias.alone(),
            ])));
        assert_eq!(
            error(&hinted),
            "unsupported: an alias; rename it with --alias"
        );
    }
}
