//! The page as the core's [`Host`]: the files the user picked, held in memory under the names
//! they had, and the outputs collected in memory for the page to offer as downloads.
//!
//! Nothing here touches a disk, a terminal or the network: a browser has none of them to
//! give. The page cannot wait for a prompt ([`Host::can_prompt`] is false), so an operation
//! that needs a password fails with [`Error::PasswordRequired`] and the page asks in its form
//! and runs the operation again with the answer given (docs/web.md).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use certkit_core::error::{Error, Result, WhichPassword};
use certkit_core::host::{Access, Found, Host, Output};
use certkit_core::passwords::Source;
use certkit_core::secret::Password;
use zeroize::Zeroizing;

/// One file an operation wrote.
pub struct Written {
    /// Its name (a path relative to the download, `sfdx/...` for the metadata project).
    pub name: String,
    /// Its bytes, wiped when dropped.
    pub bytes: Zeroizing<Vec<u8>>,
    /// Whether it may hold a secret (a key, a keystore).
    pub private: bool,
}

/// The files of one run: the inputs by name, the outputs as written.
#[derive(Default)]
pub struct Memory {
    inputs: BTreeMap<PathBuf, Zeroizing<Vec<u8>>>,
    outputs: RefCell<Vec<Written>>,
}

impl Memory {
    /// Add an input file under `name`.
    pub fn add(&mut self, name: &str, bytes: Zeroizing<Vec<u8>>) {
        self.inputs.insert(PathBuf::from(name), bytes);
    }

    /// The files written, in the order they were written.
    pub fn take_outputs(&self) -> Vec<Written> {
        std::mem::take(&mut *self.outputs.borrow_mut())
    }
}

fn no_file(path: &Path) -> Error {
    Error::io(
        path.display().to_string(),
        std::io::Error::new(std::io::ErrorKind::NotFound, "no such file was given"),
    )
}

impl Host for Memory {
    fn read(&self, path: &Path, limit: u64) -> Result<Zeroizing<Vec<u8>>> {
        let data = self.inputs.get(path).ok_or_else(|| no_file(path))?;
        if data.len() as u64 > limit {
            return Err(Error::Corrupt {
                path: path.display().to_string(),
                // The command line's words (src/host/files.rs).
                detail: format!(
                    "the file holds {} bytes, more than the {} MiB certkit reads from one input; refused",
                    data.len(),
                    limit >> 20
                ),
            });
        }
        Ok(data.clone())
    }

    fn read_stdin(&self, _limit: u64) -> Result<Zeroizing<Vec<u8>>> {
        Err(Error::Internal(
            "the page has no standard input: a text is given as a field".into(),
        ))
    }

    fn find(&self, path: &Path) -> Found {
        if self.inputs.contains_key(path) {
            Found::File
        } else {
            Found::Missing
        }
    }

    fn password(&self, source: &Source, which: WhichPassword) -> Result<Password> {
        // Only Source::Given reaches a page's operation, and the core answers that one itself.
        Err(Error::password_required(
            which,
            format!("{} is not available in a browser", source.describe()),
        ))
    }

    fn can_prompt(&self) -> bool {
        false
    }

    fn prompt(&self, _label: &str) -> Result<Password> {
        Err(Error::Internal("the page cannot prompt".into()))
    }

    fn tell(&self, _message: &str) {}

    fn ensure_free(&self, _paths: &[&Path], _force: bool) -> Result<()> {
        // Every output is a new download: nothing is replaced.
        Ok(())
    }

    fn write(&self, outputs: &[Output<'_>], _force: bool, access: Access) -> Result<()> {
        let mut out = self.outputs.borrow_mut();
        for o in outputs {
            out.push(Written {
                name: o.path.to_string_lossy().replace('\\', "/"),
                bytes: Zeroizing::new(o.bytes.to_vec()),
                // What the page tells the user about the download: a certificate is public
                // whatever the mode the command line gives the file it writes beside a key.
                private: access == Access::Private && !certificates_only(o.bytes),
            });
        }
        Ok(())
    }

    fn create_dir_all(&self, _dir: &Path) -> Result<()> {
        Ok(())
    }

    fn absolute(&self, path: &Path) -> PathBuf {
        path.to_path_buf()
    }
}

/// Whether `bytes` are PEM certificates and nothing else.
fn certificates_only(bytes: &[u8]) -> bool {
    pem::parse_many(bytes)
        .is_ok_and(|blocks| !blocks.is_empty() && blocks.iter().all(|b| b.tag() == "CERTIFICATE"))
}
