//! What the preview server watches: `content/`, `templates/` and `static/` under the root,
//! recursively, and the root itself (not recursively) so that one of those folders created after
//! the start, moved away and back, or replaced by a restored backup is watched again.
//!
//! Paths are compared with the folders by prefix, so the root must be given as the watcher reports
//! paths: canonical (the server canonicalises it once at start). A root of `.` or one reached
//! through a symlink never matched before, and every save was ignored.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::error::{Error, Result};

/// The folders a build reads, under the root (site.yaml, roles.yaml and the rest of the
/// configuration live in content/).
const FOLDERS: [&str; 3] = ["content", "templates", "static"];

/// A running watcher; dropping it stops it.
#[derive(Clone)]
pub struct Watcher {
    debouncer: Arc<Mutex<Debouncer<RecommendedWatcher, RecommendedCache>>>,
    folders: Arc<[PathBuf]>,
}

/// Watch the sources under `root` (canonical), calling `send` with the changed paths (debounced,
/// changes only, sorted) whenever any of them changes.
pub fn start(
    root: &Path,
    debounce: Duration,
    send: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> Result<Watcher> {
    let folders: Arc<[PathBuf]> = FOLDERS.iter().map(|n| root.join(n)).collect();
    let relevant = Arc::clone(&folders);
    let mut debouncer = new_debouncer(debounce, None, move |r: DebounceEventResult| {
        let Ok(events) = r else { return };
        // Only changes: a build reading the sources must not announce itself (opening and
        // closing a file are events too).
        let mut paths: Vec<PathBuf> = events
            .iter()
            .filter(|e| !matches!(e.kind, EventKind::Access(_) | EventKind::Other))
            .flat_map(|e| e.paths.iter())
            .filter(|p| relevant.iter().any(|w| p.starts_with(w)))
            .cloned()
            .collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            send(paths);
        }
    })
    .map_err(|e| Error::Read {
        path: root.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    // The root alone: its entries appearing, going and coming back.
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| Error::Read {
            path: root.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
    let watcher = Watcher {
        debouncer: Arc::new(Mutex::new(debouncer)),
        folders,
    };
    watcher.rewatch();
    Ok(watcher)
}

impl Watcher {
    /// Whether `paths` include one of the watched folders itself (created, removed, renamed): the
    /// watches must then be set again ([`Watcher::rewatch`]).
    pub fn folders_changed(&self, paths: &[PathBuf]) -> bool {
        paths.iter().any(|p| self.folders.contains(p))
    }

    /// Watch each source folder that exists now, afresh: a watch follows a folder's inode, so a
    /// folder moved away would go on being watched under its old name, and one removed or not yet
    /// there has none. Errors leave that folder unwatched (the build that follows reports a
    /// missing content/).
    pub fn rewatch(&self) {
        let mut debouncer = self
            .debouncer
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for folder in self.folders.iter() {
            let _ = debouncer.unwatch(folder);
            if folder.is_dir() {
                let _ = debouncer.watch(folder, RecursiveMode::Recursive);
            }
        }
    }
}
