//! Writes the built site safely: into a fresh folder beside the target, then swapped into place.
//!
//! A failed build leaves the previous output untouched, and nothing outside the output folder is ever
//! deleted: the build refuses targets that are, or contain, the site's sources, and folders it did not
//! generate (unless forced).

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::render::pages::OutputFile;

/// Marker file written into every output folder, so a later build knows the folder is its own.
pub const MARKER: &str = ".rulebook-output";

fn unsafe_out(path: &Path, reason: impl Into<String>) -> Error {
    Error::UnsafeOutput {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Absolute, normalised form of a path that may not exist yet (its existing ancestor is canonicalised).
///
/// Components below the existing ancestor are applied by name, `..` included (`site/nope/..` is `site`
/// even though `nope` does not exist, exactly as creating the folders would resolve it); a path that
/// went up through `..` is resolved again, since it may now lead through an existing symlink.
fn absolute(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        // Not `file_name()`: it is `None` for a path ending in `..`, which would stop the walk early
        // and leave the `..` unresolved.
        match (existing.components().next_back(), existing.parent()) {
            (Some(last), Some(parent)) => {
                rest.push(last.as_os_str().to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    let mut went_up = false;
    for name in rest.into_iter().rev() {
        if name == ".." {
            out.pop();
            went_up = true;
        } else if name != "." {
            out.push(name);
        }
    }
    if went_up { absolute(&out) } else { out }
}

/// Check that `out` may be replaced by a build of the site at `root`.
pub fn check_target(root: &Path, out: &Path, force: bool) -> Result<PathBuf> {
    let out = absolute(out);
    let root = absolute(root);
    let content = root.join("content");
    if out.parent().is_none() {
        return Err(unsafe_out(&out, "it is the file-system root"));
    }
    if let Some(home) = std::env::var_os("HOME")
        .map(PathBuf::from)
        .filter(|h| h.is_absolute())
    {
        let home = absolute(&home);
        if home == out {
            return Err(unsafe_out(&out, "it is your home folder"));
        }
        if home.starts_with(&out) {
            return Err(unsafe_out(&out, "it contains your home folder"));
        }
    }
    if out == root {
        return Err(unsafe_out(
            &out,
            "it is the site's root folder; use a subfolder such as public/",
        ));
    }
    if root.starts_with(&out) {
        return Err(unsafe_out(&out, "it contains the site's sources"));
    }
    if out.starts_with(&content) {
        return Err(unsafe_out(&out, "it is inside the content folder"));
    }
    for name in ["templates", "static", "themes", "src", ".git"] {
        if out.starts_with(root.join(name)) {
            return Err(unsafe_out(
                &out,
                format!("it is inside the site's {name}/ folder"),
            ));
        }
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(unsafe_out(&out, "it is a file, not a folder"));
        }
        let ours = out.join(MARKER).is_file();
        let empty = fs::read_dir(&out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !ours && !empty && !force {
            return Err(unsafe_out(
                &out,
                "it holds files rulebook did not generate; choose an empty or new folder, or pass --force to replace it",
            ));
        }
    }
    Ok(out)
}

fn write_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Check the paths of the rendered files before anything is written: each must be a plain relative
/// path (no `..`, no root, not the marker), so that no file lands outside the output folder whatever
/// the content says (a page path is built from ids and category names), and no two files may share a
/// path (the parallel writes would race, and which page survives would vary from build to build).
fn check_paths(out: &Path, files: &[OutputFile]) -> Result<()> {
    let mut seen = HashSet::with_capacity(files.len());
    for f in files {
        let p = Path::new(&f.path);
        let plain = !f.path.is_empty()
            && !f.path.contains('\\')
            && p.components().all(|c| matches!(c, Component::Normal(_)));
        if !plain || f.path == MARKER {
            return Err(unsafe_out(
                &out.join(p),
                format!("the page path `{}` leads outside the output folder", f.path),
            ));
        }
        if !seen.insert(p.components().collect::<PathBuf>()) {
            return Err(Error::Write {
                path: out.join(p),
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "two pages of this build have this path",
                ),
            });
        }
    }
    Ok(())
}

/// Whether the file at `path` holds exactly `bytes` (and is a plain file, not a link elsewhere).
fn unchanged(path: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Write `files` into `out` (already checked with [`check_target`]) and swap them into place.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<()> {
    check_paths(out, files)?;
    let parent = out.parent().unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    fs::create_dir_all(parent).map_err(write_err(parent))?;
    // Unique per build, not only per process: two builds in one process (a library user, parallel
    // tests) must not share, and so delete, each other's staging folder.
    static BUILDS: AtomicUsize = AtomicUsize::new(0);
    let tag = format!(
        "{}-{}",
        std::process::id(),
        BUILDS.fetch_add(1, Ordering::Relaxed)
    );
    let staging = parent.join(format!(".{name}.rulebook-new-{tag}"));
    let old = parent.join(format!(".{name}.rulebook-old-{tag}"));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(write_err(&staging))?;
    }
    fs::create_dir(&staging).map_err(write_err(&staging))?;

    let result = (|| {
        let mut dirs: Vec<PathBuf> = files
            .iter()
            .filter_map(|f| Path::new(&f.path).parent().map(|p| staging.join(p)))
            .collect();
        dirs.sort();
        dirs.dedup();
        for d in &dirs {
            fs::create_dir_all(d).map_err(write_err(d))?;
        }
        // A page that has not changed since the previous build is hard-linked from it instead of
        // written: creating thousands of new files (inodes) is most of a rebuild's time on ext4, and a
        // link costs no inode. The previous output must be ours (marker) so we only link our own files.
        let previous = out.join(MARKER).is_file().then_some(out);
        files.par_iter().try_for_each(|f| {
            let path = staging.join(&f.path);
            if let Some(prev) = previous.map(|p| p.join(&f.path))
                && unchanged(&prev, &f.bytes)
                && fs::hard_link(&prev, &path).is_ok()
            {
                return Ok(());
            }
            fs::write(&path, &f.bytes).map_err(write_err(&path))
        })?;
        let marker = staging.join(MARKER);
        fs::write(
            &marker,
            "This folder is generated by rulebook; it is replaced on every build.\n",
        )
        .map_err(write_err(&marker))
    })();
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }

    if out.exists() {
        fs::rename(out, &old).map_err(|e| {
            let _ = fs::remove_dir_all(&staging);
            write_err(out)(e)
        })?;
        if let Err(e) = fs::rename(&staging, out) {
            let _ = fs::remove_dir_all(&staging);
            // Put the previous output back so nothing is lost…
            if fs::rename(&old, out).is_err() && out.join(MARKER).is_file() {
                // …unless another build of the same output has put its own in place meanwhile: then the
                // previous output is superseded, and must not be left beside it.
                let _ = fs::remove_dir_all(&old);
            }
            return Err(write_err(out)(e));
        }
        fs::remove_dir_all(&old).map_err(write_err(&old))?;
    } else if let Err(e) = fs::rename(&staging, out) {
        let _ = fs::remove_dir_all(&staging);
        return Err(write_err(out)(e));
    }
    Ok(())
}
