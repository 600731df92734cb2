//! `certkit completions SHELL`: a completion script generated from the flag definitions.

use clap::CommandFactory;
use clap_complete::Shell;

use super::error::Result;

pub const EXAMPLES: &str = "\
Examples:
  certkit completions bash > ~/.local/share/bash-completion/completions/certkit
  certkit completions zsh > \"${fpath[1]}/_certkit\"
  certkit completions fish > ~/.config/fish/completions/certkit.fish";

/// Arguments of `certkit completions`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn exec(a: Args) -> Result<()> {
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut super::Cli::command(), "certkit", &mut buf);
    super::render::stdout(&String::from_utf8_lossy(&buf))
}
