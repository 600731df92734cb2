//! The `certkit` binary: parse the command line, run, map the error to its exit code.
#![forbid(unsafe_code)]

use std::io::Write;

use clap::Parser;

fn main() {
    // A panic is a bug: say so in one line, without a backtrace (which could show data).
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("certkit: internal error (a bug, please report it): {msg}");
    }));
    let cli = certkit::cli::Cli::parse();
    let json = cli.json();
    if let Err(e) = certkit::cli::run(cli) {
        // A failed check was already reported, with its fix, by the command itself.
        if !matches!(e, certkit::Error::ChecksFailed(_)) {
            eprintln!("certkit: {e}");
            if json {
                let report = serde_json::json!({
                    "error": e.kind(),
                    "message": e.to_string(),
                    "exit_code": e.exit_code(),
                });
                let _ = writeln!(std::io::stdout(), "{report}");
            }
        }
        std::process::exit(e.exit_code());
    }
}
