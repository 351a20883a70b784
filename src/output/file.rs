//! One file written under the rules `build` keeps for its folder (`rulebook pdf --out`): never into
//! the sources, never over a file rulebook did not write unless forced, and atomically — the bytes
//! go to a private file beside the target, created new (so it can be nobody else's), then renamed
//! into place.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::target::{Protected, absolute, unsafe_out};
use crate::error::{Error, Result};

/// Check that `out` may be written for the site at `root`: it ends in `extension`, is not inside
/// `content/`, `templates/`, `static/`, `themes/`, `src/` or `.git` (wherever their links lead),
/// not inside a protected system tree nor directly in a protected folder, not a folder; and an
/// existing file there is replaced only when `ours` recognises its bytes, or when `force`. Reads
/// only; returns the path to write (symbolic links resolved).
pub fn check_file_target(
    root: &Path,
    out: &Path,
    extension: &str,
    force: bool,
    protected: &Protected,
    ours: impl Fn(&[u8]) -> bool,
) -> Result<PathBuf> {
    let out = absolute(out);
    let root = absolute(root);
    // Only a file of the kind written: `--out notes.txt` or `--out content/site.yaml` is a slip of
    // the keyboard, never meant, whatever `--force` says.
    if !out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(extension))
    {
        return Err(unsafe_out(
            &out,
            "out-not-ext",
            &[("extension", extension.to_string())],
        ));
    }
    for name in ["content", "templates", "static", "themes", "src", ".git"] {
        let lexical = root.join(name);
        for p in [absolute(&lexical), lexical] {
            if out.starts_with(&p) {
                return Err(unsafe_out(
                    &out,
                    "out-in-site-folder",
                    &[("name", name.to_string())],
                ));
            }
        }
    }
    let parent = out.parent().unwrap_or(Path::new("/"));
    let forms = |p: &PathBuf| [p.clone(), absolute(p)];
    for p in &protected.trees {
        if forms(p).iter().any(|q| out.starts_with(q)) {
            return Err(unsafe_out(
                &out,
                "out-inside-system",
                &[("folder", p.display().to_string())],
            ));
        }
    }
    for p in &protected.folders {
        if forms(p).iter().any(|q| q == parent) {
            return Err(unsafe_out(
                &out,
                "out-in-system",
                &[("folder", p.display().to_string())],
            ));
        }
    }
    match fs::symlink_metadata(&out) {
        Err(_) => Ok(out),
        Ok(m) if m.is_dir() => Err(unsafe_out(&out, "out-is-folder", &[])),
        Ok(m) if !m.is_file() => Err(unsafe_out(&out, "out-not-regular", &[])),
        Ok(_) if force => Ok(out),
        Ok(_) => {
            let bytes = fs::read(&out).map_err(|source| Error::Read {
                path: out.clone(),
                source,
            })?;
            if ours(&bytes) {
                Ok(out)
            } else {
                Err(unsafe_out(&out, "out-foreign-file", &[]))
            }
        }
    }
}

/// Write `bytes` to `out` (checked by [`check_file_target`]): into a new private file beside it
/// (`.<name>.rulebook-<pid>-<n>.partial`, created only if no such file exists, mode 0600), then
/// renamed over `out`, so a reader sees the old file or the new one, never half of one, and no
/// file of anyone else's is ever opened for writing.
pub fn write_atomically(out: &Path, bytes: &[u8]) -> Result<()> {
    let dir = out.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let write = |source| Error::Write {
        path: out.to_path_buf(),
        source,
    };
    let (partial, mut file) = (0u32..)
        .map(|n| {
            dir.join(format!(
                ".{name}.rulebook-{}-{n}.partial",
                std::process::id()
            ))
        })
        .find_map(|p| match create_new(&p) {
            Ok(f) => Some(Ok((p, f))),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => None,
            Err(e) => Some(Err(e)),
        })
        .expect("an unused name")
        .map_err(write)?;
    let done = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::rename(&partial, out));
    if let Err(e) = done {
        let _ = fs::remove_file(&partial);
        return Err(write(e));
    }
    Ok(())
}

fn create_new(path: &Path) -> io::Result<fs::File> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_files_never_reuse_a_name() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let out = dir.join("book.pdf");
        // Someone else's file with the first name this process would pick: left as it is.
        let theirs = dir.join(format!(
            ".book.pdf.rulebook-{}-0.partial",
            std::process::id()
        ));
        fs::write(&theirs, "theirs").unwrap();
        write_atomically(&out, b"%PDF new").unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"%PDF new");
        assert_eq!(fs::read(&theirs).unwrap(), b"theirs");
    }
}
