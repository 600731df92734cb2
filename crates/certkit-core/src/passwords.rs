//! Where passwords come from: a file, an environment variable or standard input, never a
//! plain argument value ([`Source`]; the front end reads them, see [`crate::host::Host`]).
//! Also the generator.

use std::path::PathBuf;

use crate::error::Result;
use crate::secret::Password;

/// One explicit password source.
#[derive(Clone, Debug)]
pub enum Source {
    /// The first line of a file.
    File(PathBuf),
    /// An environment variable's value.
    Env(String),
    /// The first line of standard input.
    Stdin,
    /// A password the front end already holds (typed in a web page's form, say): used as it
    /// is, whole. It has no flag: a command printed for the user asks for it.
    Given(Password),
}

impl Source {
    /// Where the password came from, in words (for messages).
    pub fn describe(&self) -> String {
        match self {
            Source::File(p) => format!("the file {}", p.display()),
            Source::Env(v) => format!("environment variable {v}"),
            Source::Stdin => "standard input".to_string(),
            Source::Given(_) => "the password given".to_string(),
        }
    }
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
