//! Passwords at the command line: read from the source the user named (a file, an
//! environment variable, standard input), or asked for at the terminal without echo.

use std::io::{BufRead, IsTerminal};

use certkit_core::error::{Error, Result, WhichPassword};
use certkit_core::passwords::Source;
use certkit_core::secret::Password;
use zeroize::Zeroize;

/// The most certkit reads for one password (a file, or standard input's first line): 64 KiB.
pub const MAX_PASSWORD_INPUT: u64 = 64 << 10;

fn strip_newline(mut s: String) -> String {
    if s.ends_with('\n') {
        s.pop();
        if s.ends_with('\r') {
            s.pop();
        }
    }
    s
}

/// Read the password. Only the first line counts; its line ending is not part of it.
/// An empty file, an empty first line or empty standard input is an error naming the
/// source (exit 9), never an empty password that then fails as a wrong one.
pub fn read(source: &Source, which: WhichPassword) -> Result<Password> {
    let (pw, empty) = match source {
        Source::File(p) => (
            from_file(p)?,
            format!("the password file {} is empty", p.display()),
        ),
        Source::Env(var) => (
            from_env(var, which)?,
            format!("environment variable {var} is empty"),
        ),
        Source::Stdin => (
            from_stdin()?,
            "standard input gave no password (it is empty)".to_string(),
        ),
        // The command line gives none (the core answers a given one itself).
        Source::Given(pw) => (pw.clone(), "the password given is empty".to_string()),
    };
    if pw.expose().is_empty() {
        return Err(Error::password_required(which, empty));
    }
    Ok(pw)
}

/// The first line of a password file.
fn from_file(p: &std::path::Path) -> Result<Password> {
    if p.is_dir() {
        return Err(Error::io(
            p.display(),
            std::io::Error::other("a folder, not a password file"),
        ));
    }
    // A password file is a line: 64 KiB is plenty, and bounds a mistaken /dev/zero.
    let text = super::files::read_bounded(p, MAX_PASSWORD_INPUT)?;
    // UTF-16 with its byte-order mark: what Windows PowerShell 5.1's `>` writes.
    if text.starts_with(&[0xFF, 0xFE]) || text.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::Invalid(format!(
            "{}: the password file is UTF-16 text (as Windows PowerShell 5's > writes it); save it as UTF-8, for example with Set-Content -Encoding utf8",
            p.display()
        )));
    }
    let text = std::str::from_utf8(&text).map_err(|_| {
        Error::Invalid(format!(
            "{}: the password file is not UTF-8 text",
            p.display()
        ))
    })?;
    // A UTF-8 byte-order mark (Windows PowerShell 5.1's Set-Content -Encoding utf8 writes one)
    // is not part of the password.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.split_inclusive('\n').next().unwrap_or("").to_string();
    Ok(Password::new(strip_newline(first)))
}

/// An environment variable's value.
fn from_env(var: &str, which: WhichPassword) -> Result<Password> {
    // Not a variable's name: most likely the password itself, pasted. It is not
    // repeated (it is already in ps and the shell's history).
    let name_ok = var.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !name_ok {
        return Err(Error::Invalid(
            "the name given to --password-env (or --key-password-env, --out-password-env) is not an environment variable's name (letters, digits, underscores): \
             a password is never an argument; export it in a variable and give the variable's name"
                .into(),
        ));
    }
    std::env::var(var).map(Password::new).map_err(|_| {
        Error::password_required(
            which,
            format!("environment variable {var} is not set (or not UTF-8)"),
        )
    })
}

/// The first line of standard input.
fn from_stdin() -> Result<Password> {
    let mut line = String::new();
    std::io::Read::take(std::io::stdin().lock(), MAX_PASSWORD_INPUT)
        .read_line(&mut line)
        .map_err(|e| Error::io("standard input", e))?;
    if line.len() as u64 >= MAX_PASSWORD_INPUT && !line.ends_with('\n') {
        line.zeroize();
        return Err(Error::corrupt(
            "standard input",
            "its first line is more than the 64 KiB certkit reads for a password; refused",
        ));
    }
    Ok(Password::new(strip_newline(line)))
}

/// Whether an interactive prompt is possible (standard input is a terminal).
pub fn can_prompt() -> bool {
    std::io::stdin().is_terminal()
}

/// Say something to the person at the terminal during a prompt dialog (a refused password,
/// the policy). It goes to the terminal itself, as the prompt does, never to stdout or
/// stderr, which belong to the command's report and errors.
pub fn tell(msg: &str) {
    use std::io::Write;
    match std::fs::OpenOptions::new().write(true).open("/dev/tty") {
        Ok(mut tty) => {
            let _ = writeln!(tty, "{msg}");
        }
        Err(_) => {
            let _ = writeln!(std::io::stderr(), "{msg}");
        }
    }
}

/// Ask once, without echo.
pub fn prompt(label: &str) -> Result<Password> {
    rpassword::prompt_password(format!("{label}: "))
        .map(Password::new)
        .map_err(|e| Error::io("terminal", e))
}
