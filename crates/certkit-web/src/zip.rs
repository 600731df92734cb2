//! The metadata project as one download: a zip archive of stored (uncompressed) entries,
//! written with the `zip` crate. Stored, not deflated: the files are a few kilobytes of XML,
//! and every unzip reads a stored entry (docs/web.md).

use std::io::{Cursor, Write};

use certkit_core::error::Error;
use zeroize::Zeroizing;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::host::Written;

/// The files as one zip archive, in the order given; every entry dated 1980-01-01 (zip's
/// epoch) so the same files make the same bytes.
pub fn stored(files: &[Written]) -> Result<Zeroizing<Vec<u8>>, Error> {
    let fail = |e: &dyn std::fmt::Display| Error::Internal(format!("zip: {e}"));
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for f in files {
        zip.start_file(f.name.as_str(), opts)
            .map_err(|e| fail(&e))?;
        zip.write_all(&f.bytes).map_err(|e| fail(&e))?;
    }
    let out = zip.finish().map_err(|e| fail(&e))?;
    Ok(Zeroizing::new(out.into_inner()))
}
