//! The `certkit` binary: parse the command line, run, map the error to its exit code.
#![forbid(unsafe_code)]

use clap::Parser;

fn main() {
    let cli = certkit::cli::Cli::parse();
    if let Err(e) = certkit::cli::run(cli) {
        eprintln!("certkit: {e}");
        std::process::exit(e.exit_code());
    }
}
