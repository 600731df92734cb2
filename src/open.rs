//! Open any input file with the password rules every command shares: an explicit
//! source is the only one tried; otherwise the empty password and Google's
//! `notasecret`, then a prompt without echo when standard input is a terminal.

use std::path::Path;

use zeroize::Zeroizing;

use crate::error::{Error, Result, WhichPassword};
use crate::formats::{self, Kind};
use crate::model::Keystore;
use crate::passwords::{self, Source};
use crate::rules::google::P12_PASSWORD;
use crate::secret::Password;

/// A keystore and the password that opened it (if one was needed).
pub struct Opened {
    /// The keystore.
    pub ks: Keystore,
    /// The password that opened it.
    pub password: Option<Password>,
}

/// Read an input file into memory that is wiped when dropped (it may hold a key).
pub fn read_file(path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    if path.is_dir() {
        return Err(Error::Usage(format!(
            "{} is a folder, not a file",
            path.display()
        )));
    }
    std::fs::read(path)
        .map(Zeroizing::new)
        .map_err(|e| Error::io(path.display(), e))
}

/// Open `path`. With `need_keys`, JKS keys are decrypted too: with the store password,
/// else Google's `notasecret` (what keytool leaves on a key imported from a Google P12
/// without `-destkeypass`), else the empty password.
pub fn open(path: &Path, source: Option<&Source>, need_keys: bool) -> Result<Opened> {
    let data = read_file(path)?;
    open_bytes(&data, &path.display().to_string(), source, need_keys, None)
}

/// Open a file already read into memory; `name` is used in messages. `key_source` gives a
/// JKS key password that differs from the store's.
pub fn open_bytes(
    data: &[u8],
    name: &str,
    source: Option<&Source>,
    need_keys: bool,
    key_source: Option<&Source>,
) -> Result<Opened> {
    // An explicit key password is tried first, then the store password and the usual ones.
    let key_password = key_source.map(Source::read).transpose()?;
    let name = name.to_string();
    let kind = formats::sniff(data, &name)?;
    let attempt = |pw: Option<&Password>| -> Result<Keystore> {
        let mut ks = formats::read_as(kind, data, &name, pw)?;
        if need_keys && kind == Kind::Jks {
            match pw {
                Some(pw) => {
                    let mut tries: Vec<Password> = key_password.iter().cloned().collect();
                    tries.push(pw.clone());
                    tries.push(Password::new(P12_PASSWORD.to_string()));
                    tries.push(Password::new(String::new()));
                    formats::open_keys_trying(&mut ks, &tries)?
                }
                None => {
                    return Err(Error::PasswordRequired(format!(
                        "{name}: the keys of a JKS need the keystore password"
                    )))
                }
            }
        }
        Ok(ks)
    };

    if let Some(src) = source {
        let pw = src.read()?;
        let ks = attempt(Some(&pw))?;
        return Ok(Opened {
            ks,
            password: Some(pw),
        });
    }
    if !kind.needs_password() {
        match attempt(None) {
            Ok(ks) => return Ok(Opened { ks, password: None }),
            Err(Error::PasswordRequired(_)) => {}
            Err(e) => return Err(e),
        }
    }
    let mut last_key_error = None;
    let mut corrupt = None;
    let mut wrong = false;
    for cand in ["", P12_PASSWORD] {
        let pw = Password::new(cand.to_string());
        match attempt(Some(&pw)) {
            Ok(ks) => {
                return Ok(Opened {
                    ks,
                    password: Some(pw),
                })
            }
            Err(
                e @ Error::WrongPassword {
                    which: WhichPassword::Key,
                    ..
                },
            ) => last_key_error = Some(e),
            Err(Error::WrongPassword { .. }) => wrong = true,
            // A wrong password on a PKCS#12 without MAC can decrypt to garbage.
            Err(e @ Error::Corrupt { .. }) if kind == Kind::Pkcs12 => corrupt = Some(e),
            Err(e) => return Err(e),
        }
    }
    if let (false, None, Some(e)) = (wrong, &last_key_error, corrupt) {
        return Err(e);
    }
    if passwords::can_prompt() {
        let mut last = None;
        for _ in 0..3 {
            let pw = passwords::prompt(&format!("Password for {name}"))?;
            match attempt(Some(&pw)) {
                Ok(ks) => {
                    return Ok(Opened {
                        ks,
                        password: Some(pw),
                    })
                }
                Err(e @ Error::WrongPassword { .. }) => {
                    eprintln!("certkit: {e}");
                    last = Some(e);
                }
                Err(e) => return Err(e),
            }
        }
        return Err(last.unwrap_or_else(|| Error::PasswordRequired(name.clone())));
    }
    if let Some(e) = last_key_error {
        return Err(e);
    }
    Err(Error::PasswordRequired(format!(
        "{name} needs its password (the empty password and Google's \"notasecret\" do not open it); \
         give it with --password-file FILE, --password-env VAR or --password-stdin"
    )))
}
