//! Private work folders of a build, and the removal of those that killed builds left behind.
//!
//! A build stages its files in a work folder `.<name>.rulebook-new-<pid>-<n>` (`<name>` is the output
//! folder's name, `<pid>` the building process): beside the output when the whole folder is swapped,
//! inside it when files are published one by one. The folder is created with mode 0700 on Unix, so a
//! web server running as another user can neither list nor read it, and its name starts with a dot,
//! which servers do not list. It holds:
//!
//! - `.rulebook-output`: the marker, `rulebook-staging 1` and the pid; the build holds a lock on it;
//! - `site/`: the new files;
//! - `old/` and `old-manifest`: the previous output while it is being swapped out, and the list of
//!   its files that are rulebook's (anything else in it is put back into the output);
//! - `backup/`: the previous versions of files replaced one by one, until the build has succeeded.
//!
//! A later build removes leftover folders with this naming (or the `-old-` naming of earlier versions)
//! only when they carry the marker, are real folders (not links), are not locked, and their process
//! is not running (`/proc/<pid>`); an empty one without the marker (a build killed right after
//! creating it) is removed too. A previous output found in one is put back if the output folder is
//! missing, and otherwise disposed of like any previous output: only its listed files are deleted.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::manifest::{self, MARKER, Manifest};

const HEADER: &str = "rulebook-staging 1";

/// A work folder of this process; removed when dropped, except a previous output it still holds
/// (which the next build sorts out).
#[derive(Debug)]
pub struct WorkDir {
    path: PathBuf,
    /// The lock on the marker, held while the build runs (a sign of life besides the pid).
    _lock: File,
}

/// Create `path` as a folder only its owner can enter.
fn create_private_dir(path: &Path) -> io::Result<()> {
    let mut b = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(path)
}

/// The pid in a work folder's name, if `file_name` is `.<name>.rulebook-new-<pid>-<n>` (or `-old-`).
pub fn leftover_pid(file_name: &str, name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix(&format!(".{name}.rulebook-"))?;
    let rest = rest
        .strip_prefix("new-")
        .or_else(|| rest.strip_prefix("old-"))?;
    let (pid, n) = rest.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(pid) || !digits(n) {
        return None;
    }
    pid.parse().ok()
}

/// Whether `path` is a work folder of a build of the output `name`: the naming, a real folder, and a
/// marker that is a plain file.
pub fn is_work_dir(path: &Path, name: &str) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| leftover_pid(n, name))
        .is_some()
        && fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
        && fs::symlink_metadata(path.join(MARKER)).is_ok_and(|m| m.is_file())
}

impl WorkDir {
    /// Create a new work folder in `dir` for a build of the output folder `name`.
    pub fn create(dir: &Path, name: &str) -> io::Result<WorkDir> {
        // Unique per build, not only per process: two builds in one process (a library user, parallel
        // tests) must not share, and so delete, each other's work folder.
        static BUILDS: AtomicU64 = AtomicU64::new(0);
        let pid = std::process::id();
        let mut tries = 0;
        let path = loop {
            let n = BUILDS.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!(".{name}.rulebook-new-{pid}-{n}"));
            match create_private_dir(&path) {
                Ok(()) => break path,
                // A leftover of an earlier process that had this pid.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && tries < 100 => tries += 1,
                Err(e) => return Err(e),
            }
        };
        let marker = (|| {
            let mut f = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path.join(MARKER))?;
            // Without file locks (some network file systems) the pid alone tells.
            let _ = f.try_lock();
            writeln!(f, "{HEADER}\npid {pid}")?;
            Ok(f)
        })();
        match marker {
            Ok(f) => Ok(WorkDir { path, _lock: f }),
            Err(e) => {
                let _ = fs::remove_dir_all(&path);
                Err(e)
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the new files are staged.
    pub fn site(&self) -> PathBuf {
        self.path.join("site")
    }

    /// Where the previous output goes while it is swapped out.
    pub fn old(&self) -> PathBuf {
        self.path.join("old")
    }

    /// Where the previous versions of files replaced one by one are kept until the build succeeded.
    pub fn backup(&self) -> PathBuf {
        self.path.join("backup")
    }

    /// Record which files of the previous output are rulebook's, before it is swapped out.
    pub fn record_old(&self, ours: &Manifest) -> io::Result<()> {
        fs::write(self.path.join("old-manifest"), ours.render())
    }
}

/// Remove a work folder (or an earlier version's staging folder) whole, the marker last, so that a
/// removal cut short still leaves a folder recognisable as rulebook's. Links are not followed.
fn remove_work(path: &Path) {
    if let Ok(entries) = fs::read_dir(path) {
        for e in entries.flatten() {
            if e.file_name() == MARKER {
                continue;
            }
            let _ = if e.file_type().is_ok_and(|t| t.is_dir()) {
                fs::remove_dir_all(e.path())
            } else {
                fs::remove_file(e.path())
            };
        }
    }
    let _ = fs::remove_file(path.join(MARKER));
    let _ = fs::remove_dir(path);
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        // Everything in a work folder was made by this build, except a previous output in `old/`:
        // that one is left (with the marker) for the next build to dispose of by its list.
        if fs::symlink_metadata(self.old()).is_err() {
            remove_work(&self.path);
        } else {
            let _ = fs::remove_dir_all(self.site());
            let _ = fs::remove_dir_all(self.backup());
        }
    }
}

/// Whether the process `pid` may still be running. Without `/proc` only a lock this process could take
/// on a current marker (`unlocked`) tells that its build is gone; otherwise the answer is yes, and a
/// leftover is kept rather than a running build's folder deleted.
pub(crate) fn running(pid: u32, unlocked: bool) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        proc.join(pid.to_string()).exists()
    } else {
        !unlocked
    }
}

/// Remove the leftover work folders of killed builds of the output `name` found directly in `dir`.
/// `out` is the output folder when `dir` is its parent (a previous output left in a work folder is
/// put back there if it is missing, and foreign files found in it are put back in any case).
pub fn clean_leftovers(dir: &Path, name: &str, out: Option<&Path>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let Some(pid) = e.file_name().to_str().and_then(|n| leftover_pid(n, name)) else {
            continue;
        };
        if !is_work_dir(&path, name) {
            // A build killed between creating its folder and its marker left it empty: removing an
            // empty folder loses nothing (and fails on any other).
            if e.file_type().is_ok_and(|t| t.is_dir()) && !running(pid, false) {
                let _ = fs::remove_dir(&path);
            }
            continue;
        }
        let Ok(marker) = File::open(path.join(MARKER)) else {
            continue;
        };
        // A lock held by a live build: keep. (Held until the end of this iteration, so two builds
        // cleaning at once do not both work on one folder.)
        let locked = match marker.try_lock() {
            Ok(()) => true,
            Err(fs::TryLockError::WouldBlock) => continue,
            Err(fs::TryLockError::Error(_)) => false,
        };
        let text = fs::read_to_string(path.join(MARKER)).unwrap_or_default();
        let current = text.starts_with(HEADER);
        // A folder named like ours with a marker file is still anyone's until the marker's text
        // says it is rulebook's: a crafted one, with someone's files in it, is left alone.
        if !current && !manifest::is_rulebook_marker(&text) {
            continue;
        }
        if running(pid, locked && current) {
            continue;
        }
        if current {
            dispose_work(&path, out);
        } else {
            // An earlier version's staging folder or swapped-out output, all its own.
            remove_work(&path);
        }
        drop(marker);
    }
}

/// Remove a dead build's work folder; a previous output in it is put back or disposed of by its list.
fn dispose_work(work: &Path, out: Option<&Path>) {
    let old = work.join("old");
    if fs::symlink_metadata(&old).is_ok_and(|m| m.is_dir()) {
        let restored = out.is_some_and(|out| {
            fs::symlink_metadata(out).is_err_and(|e| e.kind() == io::ErrorKind::NotFound)
                && fs::rename(&old, out).is_ok()
        });
        if !restored {
            let mut ours = fs::read_to_string(work.join("old-manifest"))
                .ok()
                .and_then(|t| Manifest::parse(&t))
                .unwrap_or_default();
            if let manifest::Previous::Listed(m) = Manifest::read(&old) {
                ours.extend(&m);
            }
            if !dispose_old(&old, &ours, out) {
                // Foreign files that cannot be put back stay where they are, with the marker.
                let _ = fs::remove_dir_all(work.join("site"));
                let _ = fs::remove_dir_all(work.join("backup"));
                return;
            }
        }
    }
    remove_work(work);
}

/// Dispose of a swapped-out previous output: delete its files and folders listed in `ours` and its
/// marker, put anything else back into `out` where that path is free, and remove the folder if it is
/// then empty (true). Nothing is followed through a link.
pub fn dispose_old(old: &Path, ours: &Manifest, out: Option<&Path>) -> bool {
    for f in &ours.files {
        manifest::remove_listed_file(old, f);
    }
    let marker = old.join(MARKER);
    if fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file()) {
        let _ = fs::remove_file(&marker);
    }
    // Deepest first: in sorted order a folder comes before everything below it.
    for d in ours.dirs.iter().rev() {
        manifest::remove_listed_dir(old, d);
    }
    if let Some(out) = out {
        put_back(old, out);
    }
    fs::remove_dir(old).is_ok()
}

/// Move what is in `from` into `to`, merging folders, where the path in `to` is free.
fn put_back(from: &Path, to: &Path) {
    let Ok(entries) = fs::read_dir(from) else {
        return;
    };
    for e in entries.flatten() {
        let src = e.path();
        let dst = to.join(e.file_name());
        match fs::symlink_metadata(&dst) {
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                let _ = fs::rename(&src, &dst);
            }
            Ok(m) if m.is_dir() && e.file_type().is_ok_and(|t| t.is_dir()) => {
                put_back(&src, &dst);
                let _ = fs::remove_dir(&src);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftover_names() {
        assert_eq!(
            leftover_pid(".public.rulebook-new-12-0", "public"),
            Some(12)
        );
        assert_eq!(leftover_pid(".public.rulebook-old-7-33", "public"), Some(7));
        assert_eq!(leftover_pid(".public.rulebook-new-12-0", "out"), None);
        for n in [
            ".public.rulebook-new-12",
            ".public.rulebook-new--0",
            ".public.rulebook-new-1x-0",
            ".public.rulebook-new-1-0-1",
            ".public.rulebook-tmp-1-0",
            "public.rulebook-new-1-0",
        ] {
            assert_eq!(leftover_pid(n, "public"), None, "{n}");
        }
    }

    #[test]
    fn work_dir_is_private_marked_and_removed_on_drop() {
        let tmp = tempfile::tempdir().unwrap();
        let w = WorkDir::create(tmp.path(), "public").unwrap();
        let p = w.path().to_path_buf();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        assert_eq!(leftover_pid(&name, "public"), Some(std::process::id()));
        assert!(is_work_dir(&p, "public"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700, "{mode:o}");
        }
        let text = fs::read_to_string(p.join(MARKER)).unwrap();
        assert_eq!(
            text,
            format!("rulebook-staging 1\npid {}\n", std::process::id())
        );
        // The build's lock is visible to others; this process's folder is never a leftover.
        let other = File::open(p.join(MARKER)).unwrap();
        assert!(matches!(
            other.try_lock(),
            Err(fs::TryLockError::WouldBlock)
        ));
        clean_leftovers(tmp.path(), "public", None);
        assert!(p.is_dir());
        drop(w);
        assert!(!p.exists());
    }
}
