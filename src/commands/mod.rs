//! One small file per subcommand, wiring formats, rules and output together.

/// Write one line to standard output. A closed pipe (`certkit ... | head`) ends the
/// process quietly with status 0, as other Unix tools do, instead of a panic; any other
/// write error ends it with the I/O exit code. Outputs were already written by then.
pub(crate) fn out(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|_| stdout.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("certkit: cannot write to standard output: {e}");
        std::process::exit(crate::error::Error::io("standard output", e).exit_code());
    }
}

/// `println!` through [`out`].
macro_rules! outln {
    () => { $crate::commands::out(format_args!("")) };
    ($($arg:tt)*) => { $crate::commands::out(format_args!($($arg)*)) };
}
pub(crate) use outln;

pub mod inspect;
pub mod kid;
pub mod p12_to_jks;
pub mod preflight;
pub mod selfsign;
pub mod verify;
pub mod wrap;

/// Print a JSON value on stdout.
pub(crate) fn print_json(v: &serde_json::Value) {
    outln!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

/// Pick one entry: by alias, else the only private-key entry, else (with `allow_cert`) the only entry.
pub(crate) fn pick_entry(
    ks: &crate::model::Keystore,
    alias: Option<&str>,
    allow_cert: bool,
) -> crate::error::Result<crate::model::Entry> {
    use crate::error::Error;
    if let Some(a) = alias {
        return ks
            .entries
            .iter()
            .find(|e| e.alias == a || e.alias.eq_ignore_ascii_case(a))
            .cloned()
            .ok_or_else(|| Error::Usage(format!("{} has no entry \"{a}\"", ks.source)));
    }
    let keys: Vec<_> = ks.private_keys().collect();
    match keys.len() {
        1 => return Ok(keys[0].clone()),
        0 => {}
        _ => {
            return Err(Error::Usage(format!(
                "{} has {} private-key entries ({}); choose one with --alias",
                ks.source,
                keys.len(),
                keys.iter()
                    .map(|e| format!("\"{}\"", e.alias))
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    }
    if allow_cert && ks.entries.len() == 1 {
        return Ok(ks.entries[0].clone());
    }
    Err(Error::Usage(format!(
        "{} holds no private key{}",
        ks.source,
        if allow_cert && ks.entries.len() > 1 {
            " and several certificates; choose one with --alias"
        } else {
            ""
        }
    )))
}

/// Print checks as lines: `PASS rule: detail`, then the fix under a warn or fail.
pub(crate) fn print_checks(checks: &[crate::rules::Check], to_stderr: bool) {
    use crate::rules::Status;
    for c in checks {
        let tag = match c.status {
            Status::Pass => "PASS",
            Status::Warn => "WARN",
            Status::Fail => "FAIL",
        };
        let line = format!("  {tag}  {}: {}", c.rule, c.detail);
        let fix = c
            .fix
            .as_ref()
            .filter(|_| c.status != Status::Pass)
            .map(|f| format!("        fix: {f}"));
        if to_stderr {
            eprintln!("{line}");
            if let Some(f) = fix {
                eprintln!("{f}");
            }
        } else {
            outln!("{line}");
            if let Some(f) = fix {
                outln!("{f}");
            }
        }
    }
}

/// Exit status of a check list: an error counting the failures, or Ok.
pub(crate) fn checks_result(checks: &[crate::rules::Check]) -> crate::error::Result<()> {
    let failed = checks
        .iter()
        .filter(|c| c.status == crate::rules::Status::Fail)
        .count();
    if failed > 0 {
        Err(crate::error::Error::ChecksFailed(failed))
    } else {
        Ok(())
    }
}
