//! The command line's answers to what the core asks ([`certkit_core::host::Host`]): files
//! read within a bound, passwords from the sources the user named or from the terminal
//! without echo, outputs written atomically with mode 0600.

pub mod files;
pub mod output;
pub mod passwords;

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use certkit_core::error::{Error, Result, WhichPassword};
use certkit_core::host::{Access, Found, Host, Output};
use certkit_core::passwords::Source;
use certkit_core::secret::Password;

/// The machine certkit runs on: its files, its terminal, its standard input.
pub struct Local;

impl Host for Local {
    fn read(&self, path: &Path, limit: u64) -> Result<Zeroizing<Vec<u8>>> {
        files::read_bounded(path, limit)
    }

    fn read_stdin(&self, limit: u64) -> Result<Zeroizing<Vec<u8>>> {
        files::read_stdin_bounded(limit)
    }

    fn find(&self, path: &Path) -> Found {
        files::find(path)
    }

    fn password(&self, source: &Source, which: WhichPassword) -> Result<Password> {
        passwords::read(source, which)
    }

    fn can_prompt(&self) -> bool {
        passwords::can_prompt()
    }

    fn prompt(&self, label: &str) -> Result<Password> {
        passwords::prompt(label)
    }

    fn tell(&self, message: &str) {
        passwords::tell(message)
    }

    fn tell_error(&self, error: &Error) {
        passwords::tell(&format!("certkit: {error}"))
    }

    fn ensure_free(&self, paths: &[&Path], force: bool) -> Result<()> {
        output::ensure_free(paths, force)
    }

    fn write(&self, outputs: &[Output<'_>], force: bool, access: Access) -> Result<()> {
        output::write_all(outputs, force, access)
    }

    fn create_dir_all(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), e))
    }

    fn absolute(&self, path: &Path) -> PathBuf {
        std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
    }
}
