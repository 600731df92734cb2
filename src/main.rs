//! The `certkit` binary: parse the command line, run the command, render an error and end
//! with its exit code ([`cli::error::CliError::exit_code`]). The only place that exits.
#![forbid(unsafe_code)]
// The flags' doc comments are their `--help` text, where a URL is plain text, not a link.
#![allow(rustdoc::bare_urls)]

mod cli;
mod harden;
mod host;
mod transport;

use std::io::Write;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches};

use cli::error::{CliError, ErrorReport};

/// Every heap block is wiped when it is freed: the copies of keys, passwords and tokens that
/// third-party parsers make on the way (the PEM crate's base64 text, serde_json's buffers,
/// ureq's reader) are wiped too, not only certkit's own `zeroize` types.
#[global_allocator]
static ALLOC: zeroizing_alloc::ZeroAlloc<std::alloc::System> =
    zeroizing_alloc::ZeroAlloc(std::alloc::System);

/// Flags people try for a password; certkit takes none (an argument is visible in `ps` and
/// the shell history).
const PLAIN_PASSWORD_FLAGS: &[&str] = &[
    "--password",
    "--pass",
    "--storepass",
    "--keypass",
    "--key-password",
    "--out-password",
    "--new-password",
];

fn plain_password_flag(args: &[String]) -> Option<String> {
    args.iter().find_map(|a| {
        let name = a.split('=').next().unwrap_or(a);
        PLAIN_PASSWORD_FLAGS
            .contains(&name)
            .then(|| name.to_string())
    })
}

/// Report an error (text on stderr; with --json also one JSON object on stdout, unless the
/// command's report, which then lists the error, is already there: one document per run)
/// and exit.
fn fail(e: &CliError, json: bool) -> ! {
    let report = ErrorReport::new(e);
    eprintln!("certkit: {}", report.message);
    if json && !cli::render::json_written() {
        if let Ok(text) = serde_json::to_string(&report) {
            let _ = writeln!(std::io::stdout(), "{text}");
        }
    }
    std::process::exit(report.exit_code)
}

/// Parse the command line as `Cli::try_parse` does, without freeing clap's command tree: the
/// process ends soon after, and wiping and freeing the tree block by block was a quarter of
/// `certkit --version`'s instructions (callgrind). It holds flag definitions, no values.
fn parse() -> Result<cli::Cli, clap::Error> {
    // Usage lines say `certkit`, as the README does, on Windows too (where the program's own
    // name would be `certkit.exe`).
    let mut command = cli::Cli::command().bin_name("certkit");
    let parsed = command
        .try_get_matches_from_mut(std::env::args_os())
        .and_then(|mut matches| {
            cli::Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut command))
        });
    std::mem::forget(command);
    parsed
}

fn main() {
    // Before any key or password is in memory: no core dump can hold one.
    let _ = harden::refuse_core_dumps();
    install_panic_hook();
    // The tests' way to check the line above and the exit code on the very binary they run
    // (no input makes certkit panic): it names nothing secret and does nothing else.
    if std::env::var_os("CERTKIT_TEST_PANIC").is_some_and(|v| v == "1") {
        panic!(
            "a test panic with text that must not be printed: {}",
            "p4ssw0rd"
        );
    }
    // The crypto backend this binary was built with (the core's and the TLS's), as the
    // features pick it: OpenSSL wins when both are on.
    const CRYPTO: &str = if cfg!(feature = "openssl") {
        "openssl"
    } else {
        "rust-crypto"
    };
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let json = args.iter().skip(1).any(|a| a == "--json");
    let cli = match parse() {
        Ok(c) => c,
        // With --json, the version is a JSON document too; help stays text (it is read).
        Err(e) if e.kind() == ErrorKind::DisplayVersion && json => {
            let _ = writeln!(
                std::io::stdout(),
                "{}",
                serde_json::json!({"name": "certkit", "version": env!("CARGO_PKG_VERSION"), "crypto": CRYPTO})
            );
            std::process::exit(0)
        }
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            std::process::exit(0)
        }
        Err(e) => usage_error(&e, &args, json),
    };
    let json = cli.json;
    match cli::run(cli) {
        Ok(()) => {}
        // A closed stdout (`certkit ... | head`) ends quietly, as other Unix tools do.
        Err(e @ CliError::StdoutClosed) => std::process::exit(e.exit_code()),
        // A failed check was already reported, with its fix, by the command itself.
        Err(e @ CliError::ChecksFailed(_)) => std::process::exit(e.exit_code()),
        Err(e) => fail(&e, json),
    }
}

/// A panic is a bug: say so in one line, with where it happened but not its message or a
/// backtrace: Rust's messages quote the data they failed on (a string-slicing panic shows up
/// to 256 bytes of the text, which may be a token or a key).
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        // Not eprintln!: with standard error closed it would panic again, inside the hook.
        let _ = writeln!(
            std::io::stderr(),
            "certkit: internal error (a bug, please report it){at}"
        );
        // The panic then unwinds (destructors run: an output's temporary file, which may
        // hold a private key, is removed) and the process ends with exit code 101.
    }));
}

/// A command line clap refused: a password given as a plain argument is named as such;
/// otherwise clap's message (with --json, on one line), and exit code 2.
fn usage_error(e: &clap::Error, args: &[String], json: bool) -> ! {
    if let Some(flag) = plain_password_flag(args) {
        let prefix = if flag.contains("out") || flag.contains("new") {
            "out-"
        } else if flag.contains("key") {
            "key-"
        } else {
            ""
        };
        fail(
            &CliError::Usage(format!(
                "{flag}: passwords are never plain arguments (they would show in ps and the shell history); \
                 use --{prefix}password-file FILE, --{prefix}password-env VAR{}, or answer the prompt",
                if prefix.is_empty() { " or --password-stdin" } else { "" }
            )),
            json,
        )
    }
    let usage = CliError::Usage(one_line(e));
    if json {
        fail(&usage, true)
    }
    let _ = e.print();
    std::process::exit(usage.exit_code())
}

/// clap's message without its usage and help lines, on one line.
fn one_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    text.split("\n\nUsage:")
        .next()
        .unwrap_or("")
        .trim_start_matches("error: ")
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        // Each of clap's lines ends a sentence: keep the stop between them.
        .map(|l| match l.ends_with(['.', ':', '?', '!']) {
            true => l,
            false => format!("{l}."),
        })
        .collect::<Vec<_>>()
        .join(" ")
}
