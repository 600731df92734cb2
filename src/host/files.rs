//! Reading a file within a bound: the inputs and the password files alike, and the folders
//! `expiry` walks.

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use certkit_core::error::{Error, Result};
use certkit_core::host::Found;

fn shown(limit: u64) -> String {
    if limit >= 1 << 20 {
        format!("{} MiB", limit >> 20)
    } else {
        format!("{} KiB", limit >> 10)
    }
}

fn too_large(name: &str, what: &str, limit: u64) -> Error {
    Error::corrupt(
        name,
        format!(
            "{what} more than the {} certkit reads from one input; refused",
            shown(limit)
        ),
    )
}

/// Read from `reader` until its end, at most `limit` bytes: more is refused as soon as the
/// limit is passed (one byte past it is read, never the rest).
pub fn read_to_end_bounded(
    reader: impl std::io::Read,
    name: &str,
    limit: u64,
    size_hint: u64,
) -> Result<Zeroizing<Vec<u8>>> {
    use std::io::Read;
    let mut buf = Zeroizing::new(Vec::with_capacity(size_hint.min(limit) as usize));
    reader
        .take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Error::io(name, e))?;
    if buf.len() as u64 > limit {
        return Err(too_large(name, "it gives", limit));
    }
    Ok(buf)
}

/// Read standard input to its end, within `limit` (as a file argument is).
pub fn read_stdin_bounded(limit: u64) -> Result<Zeroizing<Vec<u8>>> {
    read_to_end_bounded(std::io::stdin().lock(), "standard input", limit, 0)
}

/// Read a file, at most `limit` bytes (inputs: [`certkit_core::host::MAX_INPUT`]; password
/// files: a small limit). A
/// larger regular file is refused before it is read; a device or pipe that gives more is
/// refused once the limit is passed.
///
/// A named pipe (FIFO) is waited on for a writer a few seconds at most ([`FIFO_WAIT_SECONDS`]),
/// never without end; a pipe that has a writer, such as the shell's `<(command)`, is read to
/// its end however slow the writer is.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Zeroizing<Vec<u8>>> {
    let name = path.display().to_string();
    let is_fifo = is_fifo(path);
    // Windows refuses to open a folder as a file ("access denied"): say what it is first.
    if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return Err(not_a_file(&name));
    }
    let file = if is_fifo {
        open_fifo(path).map_err(|e| Error::io(&name, e))?
    } else {
        std::fs::File::open(path).map_err(|e| Error::io(&name, e))?
    };
    let meta = file.metadata().map_err(|e| Error::io(&name, e))?;
    if meta.is_dir() {
        return Err(not_a_file(&name));
    }
    if meta.is_file() && meta.len() > limit {
        return Err(too_large(
            &name,
            &format!("the file holds {} bytes,", meta.len()),
            limit,
        ));
    }
    read_to_end_bounded(file, &name, limit, meta.len())
}

fn not_a_file(name: &str) -> Error {
    Error::io(name, std::io::Error::other("a folder, not a file"))
}

/// A named pipe (FIFO) of the file system. Windows has none: its named pipes live under
/// `\\.\pipe\` and open as any file does.
#[cfg(unix)]
fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(path).is_ok_and(|m| m.file_type().is_fifo())
}

#[cfg(not(unix))]
fn is_fifo(_: &Path) -> bool {
    false
}

/// How long a named pipe may go without a writer before certkit gives up on it.
pub const FIFO_WAIT_SECONDS: u64 = 5;

/// Open a FIFO for reading, waiting at most [`FIFO_WAIT_SECONDS`] for a writer to open its
/// end (opening blocks until one does). The open runs on its own thread so the wait can end;
/// once a writer is there, reading waits for it as long as it takes, as for any pipe (a slow
/// `<(gpg -d ...)`, say). A pipe that already has a writer (`<(command)`, a shell pipe as
/// `/dev/stdin`) opens at once.
fn open_fifo(path: &Path) -> std::io::Result<std::fs::File> {
    let (tx, rx) = std::sync::mpsc::channel();
    let owned = path.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(std::fs::File::open(owned));
    });
    match rx.recv_timeout(std::time::Duration::from_secs(FIFO_WAIT_SECONDS)) {
        Ok(opened) => opened,
        // The thread stays blocked in open(); certkit exits with the error soon after.
        Err(_) => Err(std::io::Error::other(format!(
            "a named pipe that no program opened for writing within {FIFO_WAIT_SECONDS} seconds; refused"
        ))),
    }
}

/// What `p` is: missing, a file, or a folder and the files under it, in name order.
pub fn find(p: &Path) -> Found {
    if !p.exists() && std::fs::symlink_metadata(p).is_err() {
        return Found::Missing;
    }
    if !p.is_dir() {
        return Found::File;
    }
    let mut files = Vec::new();
    let mut unlisted = Vec::new();
    walk(p, &mut files, &mut unlisted);
    Found::Folder { files, unlisted }
}

/// The files under the folder `p`, in name order; folders that cannot be listed go to
/// `unlisted` with why.
fn walk(p: &Path, out: &mut Vec<PathBuf>, unlisted: &mut Vec<(PathBuf, String)>) {
    let mut names: Vec<PathBuf> = match std::fs::read_dir(p) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            unlisted.push((p.to_path_buf(), format!("cannot list the folder: {e}")));
            return;
        }
    };
    names.sort();
    for n in names {
        let is_link = std::fs::symlink_metadata(&n).is_ok_and(|m| m.file_type().is_symlink());
        if is_link && n.is_dir() {
            continue;
        }
        if n.is_dir() {
            walk(&n, out, unlisted);
        } else if std::fs::metadata(&n).is_ok_and(|m| m.is_file()) {
            // A pipe, socket or device found in a folder is no keystore (and a pipe would
            // block the walk).
            out.push(n);
        }
    }
}
