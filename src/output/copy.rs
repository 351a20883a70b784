//! Copies the files site.yaml maps forms and cited documents to into `files/` — as checked when the
//! content was loaded (`content::files`): regular files inside the site, never a source of the
//! handbook.

use super::write::Sink;
use crate::content::files::CopiedFile;
use crate::error::{Error, Result};

/// Put every checked file bound for `files/` into `sink`.
pub fn copy_files(copied: &[CopiedFile], sink: &dyn Sink) -> Result<()> {
    for f in copied.iter().filter(|f| f.output.starts_with("files/")) {
        let bytes = f.read().map_err(|source| Error::Read {
            path: f.source.clone(),
            source,
        })?;
        sink.put(&f.output, &bytes)?;
    }
    Ok(())
}
