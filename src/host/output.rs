//! Atomic, private, no-clobber file output.
//!
//! Every file is written to a temporary file in the target folder (mode 0600, as
//! `tempfile` creates it), flushed to disk, then moved into place: a crash or an
//! error never leaves a partial file. Without `force`, an existing file is never
//! replaced (the final link refuses, so a file that appears meanwhile is kept too).

use std::io::Write;
use std::path::{Path, PathBuf};

use certkit_core::error::{Error, Result};
use certkit_core::host::{Access, Output};

/// Refuse early if any output exists and `force` is off, before any work is written. An
/// output that exists and is not a regular file (a folder, a link, a device) is refused even
/// with `force`: renaming over it would replace it rather than write through it.
pub fn ensure_free(paths: &[&Path], force: bool) -> Result<()> {
    for p in paths {
        // "-" reads as standard output to most tools; certkit writes keystores and keys to
        // files only (0600, atomically), so it refuses rather than make a file named "-".
        if p.as_os_str() == "-" {
            return Err(Error::Invalid(
                "\"-\" is not standard output here: certkit writes keys and keystores to files only; name a file".into(),
            ));
        }
        let Ok(meta) = std::fs::symlink_metadata(p) else {
            continue;
        };
        let what = if meta.is_dir() {
            Some("a folder; name a file in it")
        } else if meta.file_type().is_symlink() {
            Some("a symbolic link; name the file it points to")
        } else if !meta.is_file() {
            Some("not a regular file (a device, a pipe or a socket)")
        } else {
            None
        };
        if let Some(what) = what {
            return Err(Error::io(
                p.display(),
                std::io::Error::other(format!("{what}; nothing was written")),
            ));
        }
        if !force {
            return Err(Error::OutputExists(p.to_path_buf()));
        }
    }
    Ok(())
}

fn write_one(path: &Path, bytes: &[u8], force: bool, mode: u32) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".certkit-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => {
                    format!("the folder {} does not exist", dir.display())
                }
                std::io::ErrorKind::PermissionDenied => {
                    format!("no permission to write in {}", dir.display())
                }
                k => format!("cannot create a file in {}: {k}", dir.display()),
            };
            Error::io(path.display(), std::io::Error::new(e.kind(), why))
        })?;
    set_mode(tmp.as_file(), mode).map_err(|e| Error::io(path.display(), e))?;
    // Through the file itself: `NamedTempFile`'s own writer would add the temporary file's
    // name to an error, which the user never named.
    tmp.as_file_mut()
        .write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| Error::io(path.display(), full_disk_in_plain_words(e)))?;
    if force {
        tmp.persist(path)
            .map_err(|e| Error::io(path.display(), e.error))?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                Error::OutputExists(path.to_path_buf())
            } else {
                Error::io(path.display(), e.error)
            }
        })?;
    }
    Ok(())
}

/// A full disk in the same words on every system (Linux says "No space left on device", Windows
/// "There is not enough space on the disk", Wine "Disk full"): the output is not written.
fn full_disk_in_plain_words(e: std::io::Error) -> std::io::Error {
    if e.kind() == std::io::ErrorKind::StorageFull {
        std::io::Error::new(
            e.kind(),
            "no space left on the disk; the output was not written",
        )
    } else {
        e
    }
}

/// The temporary file is made 0600 by `tempfile`; a public output is opened up to `mode`.
#[cfg(unix)]
fn set_mode(file: &std::fs::File, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if mode == 0o600 {
        return Ok(());
    }
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

/// Windows has no modes: a file gets the access list its folder passes on to new files
/// (docs/windows.md says what that means for a private key and what to do).
#[cfg(not(unix))]
fn set_mode(_: &std::fs::File, _: u32) -> std::io::Result<()> {
    Ok(())
}

/// Two outputs of one operation that name the same file (`a.pem` and `./a.pem`, or through a
/// link to a folder) are refused before anything is written: the second would replace the
/// first, and what the first held (a private key) would be lost.
fn refuse_one_file_twice(paths: &[&Path]) -> Result<()> {
    let identity = |p: &Path| {
        let name = p.file_name().map(|n| n.to_os_string());
        let dir = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let dir = std::fs::canonicalize(&dir)
            .or_else(|_| std::path::absolute(&dir))
            .unwrap_or(dir);
        (dir, name)
    };
    let ids: Vec<_> = paths.iter().map(|p| identity(p)).collect();
    for (i, id) in ids.iter().enumerate() {
        if let Some(j) = ids[..i].iter().position(|other| other == id) {
            return Err(Error::Invalid(format!(
                "{} and {} are one file: each output needs its own; nothing was written",
                paths[j].display(),
                paths[i].display()
            )));
        }
    }
    Ok(())
}

/// Write several files as one operation: all are checked first, and if one fails the
/// ones already created by this call are removed again.
pub fn write_all(outputs: &[Output<'_>], force: bool, access: Access) -> Result<()> {
    let mode = match access {
        Access::Private => 0o600,
        Access::Public => 0o644,
    };
    write_with_mode(outputs, force, mode)
}

fn write_with_mode(outputs: &[Output<'_>], force: bool, mode: u32) -> Result<()> {
    let paths: Vec<&Path> = outputs.iter().map(|o| o.path.as_path()).collect();
    refuse_one_file_twice(&paths)?;
    ensure_free(&paths, force)?;
    let mut created: Vec<&Path> = Vec::new();
    for o in outputs {
        let existed = o.path.exists();
        if let Err(e) = write_one(&o.path, o.bytes, force, mode) {
            for p in created {
                let _ = std::fs::remove_file(p);
            }
            return Err(e);
        }
        if !existed {
            created.push(&o.path);
        }
    }
    Ok(())
}
