//! Reading a file within a bound: a bottom layer, used by the readers and by the password
//! sources alike.

use std::path::Path;

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The most an input may hold: 16 MiB. Real keystores are kilobytes; a truststore of 10,000
/// certificates is about 7 MiB, so 16 MiB leaves room for twice that and still bounds what
/// a mistaken argument (`/dev/zero`, a disk image) makes certkit read and hold.
pub const MAX_INPUT: u64 = 16 << 20;

/// Read a file, at most `limit` bytes (inputs: [`MAX_INPUT`]; password files: a small limit). A
/// larger regular file is refused before it is read; a device or pipe that gives more is
/// refused once the limit is passed.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Zeroizing<Vec<u8>>> {
    use std::io::Read;
    let shown = if limit >= 1 << 20 {
        format!("{} MiB", limit >> 20)
    } else {
        format!("{} KiB", limit >> 10)
    };
    let too_large = |what: String| {
        Error::corrupt(
            &path.display().to_string(),
            format!("{what} more than the {shown} certkit reads from one input; refused"),
        )
    };
    let file = std::fs::File::open(path).map_err(|e| Error::io(path.display(), e))?;
    let meta = file.metadata().map_err(|e| Error::io(path.display(), e))?;
    if meta.is_dir() {
        return Err(Error::io(
            path.display(),
            std::io::Error::other("a folder, not a file"),
        ));
    }
    if meta.is_file() && meta.len() > limit {
        return Err(too_large(format!("the file holds {} bytes,", meta.len())));
    }
    let mut buf = Zeroizing::new(Vec::with_capacity(meta.len().min(limit) as usize));
    file.take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Error::io(path.display(), e))?;
    if buf.len() as u64 > limit {
        return Err(too_large("it gives".into()));
    }
    Ok(buf)
}
