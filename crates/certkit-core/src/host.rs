//! What the core asks of the program it runs in. The core reads no file, prompts no one and
//! writes nothing itself: an operation asks its [`Host`] for the bytes of an input, a
//! password from a source the user named, an answer at a prompt, or to write its outputs,
//! and the front end answers. The `certkit` binary answers with files, the terminal and
//! atomic writes; a web page answers with the files the user picked, a form and downloads.
//!
//! Modelled on age's `Callbacks` (the library asks its caller for passphrases) and on
//! rustls's provider traits (the library names what it needs; the caller supplies it). The
//! token request, the one network call, goes to the front end in the same way.

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::error::{Error, Result, WhichPassword};
use crate::passwords::Source;
use crate::secret::Password;

/// The most an input may hold: 16 MiB. Real keystores are kilobytes; a truststore of 10,000
/// certificates is about 7 MiB, so 16 MiB leaves room for twice that and still bounds what
/// a mistaken argument (`/dev/zero`, a disk image) makes certkit read and hold.
pub const MAX_INPUT: u64 = 16 << 20;

/// One file to write.
pub struct Output<'a> {
    /// Where it goes.
    pub path: PathBuf,
    /// What it holds.
    pub bytes: &'a [u8],
}

/// Who may read a written file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Its owner only (keys, keystores, anything that may hold a secret): 0600.
    Private,
    /// Anyone (man pages, the Salesforce metadata project's files): 0644.
    Public,
}

/// What a path the user named turned out to be (for commands that take folders).
#[derive(Debug)]
pub enum Found {
    /// Nothing is there.
    Missing,
    /// A file (or anything that is not a folder): read it.
    File,
    /// A folder: the files found under it, in name order, and the folders that could not be
    /// listed with why.
    Folder {
        /// The files under it, in name order, without the links to folders and the devices,
        /// pipes and sockets.
        files: Vec<PathBuf>,
        /// The folders that could not be listed, and why.
        unlisted: Vec<(PathBuf, String)>,
    },
}

/// The front end, as the core sees it.
pub trait Host {
    /// The bytes of the input `path`, at most `limit` bytes: a larger input is refused
    /// ([`Error::Corrupt`]) rather than read to its end.
    fn read(&self, path: &Path, limit: u64) -> Result<Zeroizing<Vec<u8>>>;

    /// The bytes of the standard input (a token or an error text piped in), within `limit`.
    fn read_stdin(&self, limit: u64) -> Result<Zeroizing<Vec<u8>>>;

    /// What `path` is: missing, a file, or a folder and the files under it.
    fn find(&self, path: &Path) -> Found;

    /// The password from a file, a variable or standard input: only its first line, without
    /// the line ending. An empty one is [`Error::PasswordRequired`] naming the source, never an
    /// empty password. Never called with a [`Source::Given`]: the core asks through
    /// [`password`], which answers that one itself.
    fn password(&self, source: &Source, which: WhichPassword) -> Result<Password>;

    /// Whether a person can be asked now, the operation waiting for the answer (a terminal).
    /// A front end that cannot block (a web page) says no: the operation then fails with
    /// [`Error::PasswordRequired`] naming which password, and the front end asks in its own
    /// way and runs the operation again with the answer as a [`Source::Given`]. One
    /// exception: a JKS key that has a password of its own, which none of the store's
    /// passwords opens, fails as [`Error::WrongPassword`] with `which` = key (its hint says
    /// to give the key's own); the front end asks for it and runs again with the input's
    /// `key_password` given.
    fn can_prompt(&self) -> bool;

    /// Ask once for a password, without echo (only when [`Host::can_prompt`]).
    fn prompt(&self, label: &str) -> Result<Password>;

    /// Tell the person being asked something during a prompt dialog (a refused password, the
    /// policy): never on the report's channel.
    fn tell(&self, message: &str);

    /// Tell the person being asked why an answer was refused (a wrong password), before
    /// asking again. The front end words the error as it words its others.
    fn tell_error(&self, error: &Error) {
        self.tell(&error.to_string())
    }

    /// Refuse early if an output exists and `force` is off (or is not a regular file), before
    /// any work is done.
    fn ensure_free(&self, paths: &[&Path], force: bool) -> Result<()>;

    /// Write the outputs as one operation: each atomically (complete or absent, never half
    /// written), none replacing an existing file without `force`, and when one fails the ones
    /// this call created are removed again (with `force`, a file already replaced stays
    /// replaced).
    fn write(&self, outputs: &[Output<'_>], force: bool, access: Access) -> Result<()>;

    /// Create a folder and its parents (where several outputs go).
    fn create_dir_all(&self, dir: &Path) -> Result<()>;

    /// `path` as a command pasted in any folder names it (the commands `metadata` writes
    /// out): absolute where the front end has a working folder, else as given.
    fn absolute(&self, path: &Path) -> PathBuf;

    /// Ask twice for a new password, without echo; the answers must match.
    fn prompt_new(&self, label: &str) -> Result<Password> {
        let a = self.prompt(label)?;
        let b = self.prompt(&format!("{label} (again)"))?;
        if !a.ct_eq(&b) {
            return Err(Error::Invalid(
                "the two passwords typed do not match".into(),
            ));
        }
        Ok(a)
    }
}

/// The password from `source`: a [`Source::Given`] as it is (an empty one is refused as the
/// front end's sources are), any other read by the front end ([`Host::password`]).
pub fn password(host: &dyn Host, source: &Source, which: WhichPassword) -> Result<Password> {
    match source {
        Source::Given(pw) if pw.expose().is_empty() => Err(Error::password_required(
            which,
            "the password given is empty",
        )),
        Source::Given(pw) => Ok(pw.clone()),
        other => host.password(other, which),
    }
}
