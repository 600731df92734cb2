//! Open any input file with the password rules every command shares: an explicit
//! source is the only one tried; otherwise the empty password and Google's
//! `notasecret`, then a prompt when the front end can ask ([`Host::can_prompt`]: the
//! binary, when standard input is a terminal).

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::error::{Error, Hint, Result, WhichPassword};
use crate::formats::pkcs12::GOOGLE_P12_PASSWORD as P12_PASSWORD;
use crate::formats::{self, Kind};
use crate::host::{Host, MAX_INPUT};
use crate::model::Keystore;
use crate::passwords::Source;
use crate::secret::Password;

/// An input file and where its passwords come from.
#[derive(Clone, Debug, Default)]
pub struct Input {
    /// The file.
    pub path: PathBuf,
    /// The keystore (or PEM key) password's source; tried alone when given.
    pub password: Option<Source>,
    /// Further keystore passwords, tried in order when `password` does not open the file
    /// (several inputs with different passwords merged by one command).
    pub more_passwords: Vec<Source>,
    /// A JKS key password that differs from the keystore's.
    pub key_password: Option<Source>,
}

impl Input {
    /// An input with no explicit password source.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Input {
            path: path.into(),
            ..Input::default()
        }
    }

    /// The file name as the user gave it (for messages).
    pub fn name(&self) -> String {
        self.path.display().to_string()
    }
}

/// A keystore and the password that opened it (if one was needed).
pub struct Opened {
    /// The keystore.
    pub ks: Keystore,
    /// The password that opened it.
    pub password: Option<Password>,
}

/// Read an input file into memory that is wiped when dropped (it may hold a key): at most
/// [`MAX_INPUT`] bytes.
pub fn read_file(host: &dyn Host, path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    host.read(path, MAX_INPUT)
}

/// Open an input. With `need_keys`, JKS keys are decrypted too: with the key password given,
/// the store password, else Google's `notasecret` (what keytool leaves on a key imported from
/// a Google P12 without `-destkeypass`), else the empty password.
pub fn open(host: &dyn Host, input: &Input, need_keys: bool) -> Result<Opened> {
    let data = read_file(host, &input.path)?;
    open_bytes(host, &data, input, need_keys)
}

/// Open a file already read into memory; `input` names it in messages and gives its
/// password sources (its `key_password`: a JKS key password that differs from the store's).
pub fn open_bytes(host: &dyn Host, data: &[u8], input: &Input, need_keys: bool) -> Result<Opened> {
    let result = open_inner(host, data, input, need_keys);
    // A wrong key password: say how to give the key's own.
    match result {
        Err(
            e @ Error::WrongPassword {
                which: WhichPassword::Key,
                ..
            },
        ) => Err(e.hint(Hint::KeyPassword)),
        other => other,
    }
}

fn open_inner(host: &dyn Host, data: &[u8], input: &Input, need_keys: bool) -> Result<Opened> {
    // An explicit key password is tried first, then the store password and the usual ones.
    let key_password = input
        .key_password
        .as_ref()
        .map(|s| crate::host::password(host, s, WhichPassword::Key))
        .transpose()?;
    let name = input.name();
    let kind = formats::sniff(data, &name)?;
    let attempt = Attempt {
        host,
        data,
        name: &name,
        kind,
        need_keys,
        key_password: key_password.as_ref(),
    };
    match input.password.as_ref() {
        Some(src) if !input.more_passwords.is_empty() => {
            open_with_sources(&attempt, src, &input.more_passwords)
        }
        Some(src) => open_with_source(&attempt, src),
        None => open_without_source(&attempt),
    }
}

/// One way of opening the file: its bytes, its kind, and what opening it needs.
struct Attempt<'a> {
    host: &'a dyn Host,
    data: &'a [u8],
    name: &'a str,
    kind: Kind,
    need_keys: bool,
    key_password: Option<&'a Password>,
}

impl Attempt<'_> {
    /// Open the file with one store password (or none), and its JKS keys when they are needed.
    fn open(&self, pw: Option<&Password>) -> Result<Keystore> {
        let name = self.name;
        let mut ks = formats::read_as(self.kind, self.data, name, pw)?;
        if self.need_keys && self.kind == Kind::Jks {
            match pw {
                Some(pw) => {
                    let mut tries: Vec<Password> = self.key_password.into_iter().cloned().collect();
                    tries.push(pw.clone());
                    tries.push(Password::new(P12_PASSWORD.to_string()));
                    tries.push(Password::new(String::new()));
                    match formats::open_keys_trying(&mut ks, &tries) {
                        Ok(()) => {}
                        // At a terminal, the key's own password is asked for.
                        Err(
                            e @ Error::WrongPassword {
                                which: WhichPassword::Key,
                                ..
                            },
                        ) if self.host.can_prompt() => {
                            prompt_key_passwords(self.host, &mut ks, name, e)?
                        }
                        Err(e) => return Err(e),
                    }
                }
                None => {
                    return Err(Error::password_required(
                        WhichPassword::Store,
                        format!("{name}: the keys of a JKS need the keystore password"),
                    ))
                }
            }
        }
        Ok(ks)
    }
}

/// Several passwords given: the first that opens the file. A wrong one is told by the
/// integrity check (JKS, a PKCS#12 MAC), or by garbage where a PKCS#12 has no MAC.
fn open_with_sources(attempt: &Attempt, src: &Source, more: &[Source]) -> Result<Opened> {
    let mut padded = Vec::new();
    let mut error = match try_source(attempt, src, &mut padded)? {
        Ok(opened) => return Ok(opened),
        Err(e) => e,
    };
    for s in more {
        match try_source(attempt, s, &mut padded)? {
            Ok(opened) => return Ok(opened),
            // The store opened but a key did not: that says more than a wrong store password.
            Err(
                e @ Error::WrongPassword {
                    which: WhichPassword::Key,
                    ..
                },
            ) => error = e,
            Err(_) => {}
        }
    }
    Err(none_opened(error, src, more, &padded))
}

/// One of several passwords: the keystore it opens, or the refusal that lets the next one be
/// tried (a wrong password; garbage from a PKCS#12 without MAC). `padded` collects the sources
/// whose password begins or ends with white space.
fn try_source(
    attempt: &Attempt,
    s: &Source,
    padded: &mut Vec<String>,
) -> Result<std::result::Result<Opened, Error>> {
    let pw = crate::host::password(attempt.host, s, WhichPassword::Store)?;
    if pw.padded() {
        padded.push(s.describe());
    }
    match attempt.open(Some(&pw)) {
        Ok(ks) => Ok(Ok(Opened {
            ks,
            password: Some(pw),
        })),
        Err(e @ Error::WrongPassword { .. }) => Ok(Err(e)),
        Err(e @ Error::Corrupt { .. }) if attempt.kind == Kind::Pkcs12 => Ok(Err(e)),
        Err(e) => Err(e),
    }
}

/// The error when none of several passwords opens the file: the most telling one, with the
/// sources tried.
fn none_opened(error: Error, src: &Source, more: &[Source], padded: &[String]) -> Error {
    // The sources are named (a file, a variable), never the passwords.
    let tried: Vec<String> = std::iter::once(src)
        .chain(more)
        .map(Source::describe)
        .collect();
    let n = tried.len();
    let spaces = match padded {
        [] => String::new(),
        p => format!(
            "; the one from {} begins or ends with white space",
            p.join(", ")
        ),
    };
    match error {
        Error::WrongPassword {
            which,
            path,
            detail,
        } => Error::WrongPassword {
            which,
            path,
            detail: format!(
                "{detail} (none of the {n} passwords given opens it: {}{spaces})",
                tried.join(", ")
            ),
        },
        other => other,
    }
}

/// One password source given: it alone is tried.
fn open_with_source(attempt: &Attempt, src: &Source) -> Result<Opened> {
    let pw = crate::host::password(attempt.host, src, WhichPassword::Store)?;
    let ks = attempt.open(Some(&pw)).map_err(|e| match e {
        Error::WrongPassword {
            which,
            path,
            detail,
        } if pw.padded() => Error::WrongPassword {
            which,
            path,
            detail: format!(
                "{detail} (the password read from {} begins or ends with white space)",
                src.describe()
            ),
        },
        other => other,
    })?;
    Ok(Opened {
        ks,
        password: Some(pw),
    })
}

/// What the usual passwords said when none opened the file.
#[derive(Default)]
struct Refusals {
    last_key_error: Option<Error>,
    corrupt: Option<Error>,
    wrong: Option<WhichPassword>,
}

/// No password source given: none (when the format allows it), the usual passwords, then a
/// prompt at a terminal.
fn open_without_source(attempt: &Attempt) -> Result<Opened> {
    if !attempt.kind.needs_password() {
        match attempt.open(None) {
            Ok(ks) => return Ok(Opened { ks, password: None }),
            Err(Error::PasswordRequired { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    let refusals = match try_usual_passwords(attempt)? {
        Ok(opened) => return Ok(opened),
        Err(refusals) => refusals,
    };
    let Refusals {
        last_key_error,
        corrupt,
        wrong,
    } = refusals;
    if let (None, None, Some(e)) = (wrong, &last_key_error, corrupt) {
        return Err(e);
    }
    if attempt.host.can_prompt() {
        return prompt_store_password(attempt, wrong);
    }
    if let Some(e) = last_key_error {
        return Err(e);
    }
    let name = attempt.name;
    Err(Error::password_required(
        wrong.unwrap_or(WhichPassword::Store),
        format!(
            "{name} needs its password (the empty password and Google's \"notasecret\" do not open it)"
        ),
    ))
}

/// The empty password and Google's `notasecret`: the keystore the first opens, or what each
/// said.
fn try_usual_passwords(attempt: &Attempt) -> Result<std::result::Result<Opened, Refusals>> {
    let mut refusals = Refusals::default();
    // With a MAC only the right password verifies, so the order cannot change the outcome;
    // Google's is tried first there, saving a KDF run on every Google P12. Without a MAC a
    // wrong password can decrypt to garbage, and the empty password goes first as before.
    let candidates = if attempt.kind == Kind::Pkcs12 && formats::pkcs12::has_mac(attempt.data) {
        [P12_PASSWORD, ""]
    } else {
        ["", P12_PASSWORD]
    };
    for cand in candidates {
        let pw = Password::new(cand.to_string());
        match attempt.open(Some(&pw)) {
            Ok(ks) => {
                return Ok(Ok(Opened {
                    ks,
                    password: Some(pw),
                }))
            }
            Err(
                e @ Error::WrongPassword {
                    which: WhichPassword::Key,
                    ..
                },
            ) => refusals.last_key_error = Some(e),
            Err(Error::WrongPassword { which, .. }) => refusals.wrong = Some(which),
            // A wrong password on a PKCS#12 without MAC can decrypt to garbage.
            Err(e @ Error::Corrupt { .. }) if attempt.kind == Kind::Pkcs12 => {
                refusals.corrupt = Some(e)
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Err(refusals))
}

/// Ask at the terminal for the store password (three tries).
fn prompt_store_password(attempt: &Attempt, wrong: Option<WhichPassword>) -> Result<Opened> {
    let name = attempt.name;
    let mut last = None;
    for _ in 0..3 {
        let pw = attempt.host.prompt(&format!("Password for {name}"))?;
        match attempt.open(Some(&pw)) {
            Ok(ks) => {
                return Ok(Opened {
                    ks,
                    password: Some(pw),
                })
            }
            Err(e @ Error::WrongPassword { .. }) => {
                attempt.host.tell_error(&e);
                last = Some(e);
            }
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| {
        Error::password_required(wrong.unwrap_or(WhichPassword::Store), name.to_string())
    }))
}

/// Ask at the terminal for the password of each JKS key that none of the usual ones opens
/// (three tries); `first` is the error that says which key.
fn prompt_key_passwords(
    host: &dyn Host,
    ks: &mut Keystore,
    name: &str,
    first: Error,
) -> Result<()> {
    let mut last = first;
    for _ in 0..3 {
        host.tell_error(&last);
        let kp = host.prompt(&format!("Password of the key in {name}"))?;
        match formats::open_keys_trying(ks, std::slice::from_ref(&kp)) {
            Ok(()) => return Ok(()),
            Err(
                e @ Error::WrongPassword {
                    which: WhichPassword::Key,
                    ..
                },
            ) => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}
