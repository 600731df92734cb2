//! `certkit man [COMMAND] [--out-dir DIR]`: man pages generated from the flag definitions.

use std::path::PathBuf;

use clap::CommandFactory;

use certkit_core::host::{Access, Output};

use crate::host::output;
use certkit_core::{Error, Result};

use super::args::ForceArg;

pub const EXAMPLES: &str = "\
Examples:
  certkit man | man -l -                  # read certkit(1)
  certkit man p12-to-jks | man -l -       # read certkit-p12-to-jks(1)
  certkit man --out-dir /usr/local/share/man/man1   # install every page";

/// Arguments of `certkit man`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The command whose page to print [default: certkit's own].
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
    /// Write every page (certkit.1, certkit-COMMAND.1...) into DIR instead.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub out_dir: Option<PathBuf>,
    #[command(flatten)]
    pub force: ForceArg,
}

/// Literal text as roff: no filling, backslashes escaped, no line read as a request.
fn roff_literal(text: &str) -> String {
    let mut out = String::from(".nf\n");
    for line in text.lines() {
        let line = line.replace('\\', "\\e");
        if line.starts_with('.') || line.starts_with('\'') {
            out.push_str("\\&");
        }
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(".fi\n");
    out
}

/// A page: clap_mangen's sections, then EXAMPLES and EXIT STATUS as written in the long
/// help, unfilled (an example must read as it is typed).
fn render(cmd: clap::Command) -> Result<Vec<u8>> {
    let tail = cmd
        .get_after_long_help()
        .map(|s| s.to_string())
        .unwrap_or_default();
    let (examples, exit_codes) = match tail.split_once(super::EXIT_CODES) {
        Some((ex, _)) => (ex.trim().to_string(), super::EXIT_CODES),
        None => (tail.trim().to_string(), ""),
    };
    let man = clap_mangen::Man::new(cmd);
    let mut buf = Vec::new();
    let io = |e: std::io::Error| Error::Internal(format!("man page: {e}"));
    man.render_title(&mut buf).map_err(io)?;
    man.render_name_section(&mut buf).map_err(io)?;
    man.render_synopsis_section(&mut buf).map_err(io)?;
    man.render_description_section(&mut buf).map_err(io)?;
    man.render_options_section(&mut buf).map_err(io)?;
    man.render_subcommands_section(&mut buf).map_err(io)?;
    if let Some(ex) = examples.strip_prefix("Examples:") {
        buf.extend_from_slice(b".SH EXAMPLES\n");
        buf.extend_from_slice(roff_literal(ex.trim_matches('\n')).as_bytes());
    }
    if let Some(codes) = exit_codes.strip_prefix("Exit codes:") {
        buf.extend_from_slice(b".SH \"EXIT STATUS\"\n");
        buf.extend_from_slice(roff_literal(codes.trim_matches('\n')).as_bytes());
    }
    man.render_version_section(&mut buf).map_err(io)?;
    Ok(buf)
}

/// Every page: certkit's, then one per command, named as man(1) expects.
fn pages() -> Vec<(String, clap::Command)> {
    let mut top = super::Cli::command();
    // Build it first so that the global flags (--json) reach every command's page.
    top.build();
    let mut v = Vec::new();
    for sub in top.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("certkit-{}", sub.get_name());
        v.push((
            name.clone(),
            sub.clone().name(name).version(env!("CARGO_PKG_VERSION")),
        ));
    }
    v.insert(0, ("certkit".to_string(), top));
    v
}

pub fn exec(a: Args) -> Result<()> {
    let pages = pages();
    if let Some(dir) = a.out_dir {
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display(), e))?;
        let rendered: Vec<(PathBuf, Vec<u8>)> = pages
            .into_iter()
            .map(|(name, cmd)| Ok((dir.join(format!("{name}.1")), render(cmd)?)))
            .collect::<Result<_>>()?;
        // A page already there with the same bytes is left as it is, so that running the
        // install step again succeeds; a page that differs (another version's) needs --force.
        let (same, changed): (Vec<_>, Vec<_>) = rendered
            .iter()
            .partition(|(path, bytes)| std::fs::read(path).is_ok_and(|old| old == *bytes));
        let outputs: Vec<Output> = changed
            .iter()
            .map(|(path, bytes)| Output {
                path: path.clone(),
                bytes,
            })
            .collect();
        output::write_all(&outputs, a.force.force, Access::Public)?;
        for (path, _) in &changed {
            eprintln!("wrote {}", path.display());
        }
        if !same.is_empty() {
            eprintln!(
                "{} page(s) already up to date in {}",
                same.len(),
                dir.display()
            );
        }
        return Ok(());
    }
    let wanted = match &a.command {
        Some(c) => format!("certkit-{c}"),
        None => "certkit".to_string(),
    };
    let Some((_, cmd)) = pages.into_iter().find(|(n, _)| *n == wanted) else {
        return Err(Error::Usage(format!(
            "no command \"{}\"; see certkit --help",
            a.command.unwrap_or_default()
        )));
    };
    super::render::stdout(&String::from_utf8_lossy(&render(cmd)?))
}
