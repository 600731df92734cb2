//! Where passwords come from: a file, an environment variable, standard input, or a
//! prompt without echo. Never from a plain argument value. Also the generator.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use crate::error::{Error, Result, WhichPassword};
use crate::secret::Password;
use zeroize::Zeroize;

/// The most certkit reads for one password (a file, or standard input's first line): 64 KiB.
pub const MAX_PASSWORD_INPUT: u64 = 64 << 10;

/// One explicit password source.
#[derive(Clone, Debug)]
pub enum Source {
    /// The first line of a file.
    File(PathBuf),
    /// An environment variable's value.
    Env(String),
    /// The first line of standard input.
    Stdin,
}

fn strip_newline(mut s: String) -> String {
    if s.ends_with('\n') {
        s.pop();
        if s.ends_with('\r') {
            s.pop();
        }
    }
    s
}

impl Source {
    /// Read the password. Only the first line counts; its line ending is not part of it.
    /// An empty file, an empty first line or empty standard input is an error naming the
    /// source ([`Error::PasswordRequired`]), never an empty password that then fails as a wrong one.
    pub fn read(&self, which: WhichPassword) -> Result<Password> {
        let pw = match self {
            Source::File(p) => {
                if p.is_dir() {
                    return Err(Error::io(
                        p.display(),
                        std::io::Error::other("a folder, not a password file"),
                    ));
                }
                // A password file is a line: 64 KiB is plenty, and bounds a mistaken /dev/zero.
                let text = crate::files::read_bounded(p, MAX_PASSWORD_INPUT)?;
                let text = std::str::from_utf8(&text).map_err(|_| {
                    Error::Invalid(format!(
                        "{}: the password file is not UTF-8 text",
                        p.display()
                    ))
                })?;
                let first = text.split_inclusive('\n').next().unwrap_or("").to_string();
                let pw = Password::new(strip_newline(first));
                if pw.expose().is_empty() {
                    return Err(Error::password_required(
                        which,
                        format!("the password file {} is empty", p.display()),
                    ));
                }
                pw
            }
            Source::Env(var) => {
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
                let pw = std::env::var(var).map(Password::new).map_err(|_| {
                    Error::password_required(
                        which,
                        format!("environment variable {var} is not set (or not UTF-8)"),
                    )
                })?;
                if pw.expose().is_empty() {
                    return Err(Error::password_required(
                        which,
                        format!("environment variable {var} is empty"),
                    ));
                }
                pw
            }
            Source::Stdin => {
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
                let pw = Password::new(strip_newline(line));
                if pw.expose().is_empty() {
                    return Err(Error::password_required(
                        which,
                        "standard input gave no password (it is empty)",
                    ));
                }
                pw
            }
        };
        Ok(pw)
    }

    /// Where the password came from, in words (for messages).
    pub fn describe(&self) -> String {
        match self {
            Source::File(p) => format!("the file {}", p.display()),
            Source::Env(v) => format!("environment variable {v}"),
            Source::Stdin => "standard input".to_string(),
        }
    }
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

/// Ask twice, without echo; the answers must match.
pub fn prompt_new(label: &str) -> Result<Password> {
    let a = prompt(label)?;
    let b = prompt(&format!("{label} (again)"))?;
    if !a.ct_eq(&b) {
        return Err(Error::Invalid(
            "the two passwords typed do not match".into(),
        ));
    }
    Ok(a)
}

/// Characters of generated passwords: no 0/O, 1/l/I, and no symbols a shell or a form mangles.
pub const UNAMBIGUOUS: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A random password of `len` characters from [`UNAMBIGUOUS`] (the OS CSPRNG, no modulo bias).
pub fn generate(len: usize) -> Result<Password> {
    let mut out = String::with_capacity(len);
    let limit = 256 - (256 % UNAMBIGUOUS.len());
    let mut buf = [0u8; 32];
    while out.len() < len {
        crate::secret::random_bytes(&mut buf)?;
        for &b in buf.iter() {
            if (b as usize) < limit && out.len() < len {
                out.push(UNAMBIGUOUS[b as usize % UNAMBIGUOUS.len()] as char);
            }
        }
    }
    zeroize::Zeroize::zeroize(&mut buf);
    Ok(Password::new(out))
}
