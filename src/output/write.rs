//! Writes the built site so that nothing is lost: rulebook replaces or deletes only files it wrote.
//!
//! Which files in the output folder are rulebook's is recorded in its marker (see [`super::manifest`]).
//! A folder that holds nothing else (or does not exist yet) is staged in a private work folder beside
//! it and swapped into place whole; only the listed files of the previous output are then deleted,
//! and anything else found in it is put back. A folder that also holds other files (`--force`) is
//! updated file by file, each replaced atomically by a rename, and its other files are never touched:
//! a generated path they occupy is an error. Either way a build that fails leaves the previous output
//! as it was.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::manifest::{self, Manifest, Previous, Scan};
use super::staging::{self, WorkDir};
use super::target::unsafe_out;
use crate::error::{Error, Result};

pub use super::manifest::MARKER;
pub use super::target::{Protected, check_target, check_target_with};

/// One output file, relative to the output folder.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Where renderers put the files they make, as they make them (from any thread).
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()>;
}

/// A sink that keeps the files in memory (tests, tools, and [`write_site`]).
#[derive(Default)]
pub struct Collect(pub std::sync::Mutex<Vec<OutputFile>>);

impl Sink for Collect {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.0
            .lock()
            .expect("no panic while holding the lock")
            .push(OutputFile {
                path: path.to_string(),
                bytes: bytes.to_vec(),
            });
        Ok(())
    }
}

impl Collect {
    /// The files put, sorted by path (the order they came in depends on threads).
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self
            .0
            .into_inner()
            .expect("no panic while holding the lock");
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

fn write_err(path: &Path) -> impl Fn(io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
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

/// Write `text` to `dir/name` through a temporary file in `work` and a rename, so that a reader sees
/// the old text or the new one.
fn replace_text(work: &Path, dir: &Path, name: &str, text: &str) -> io::Result<()> {
    let tmp = work.join(format!("{name}.new"));
    fs::write(&tmp, text)?;
    fs::rename(&tmp, dir.join(name))
}

/// Write `files` into `out` (already checked with [`check_target`]), keeping whatever rulebook did not
/// write there.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<()> {
    write_site_with(out, files, &|from, to| fs::rename(from, to))
}

/// [`write_site`] with the rename that publishes each file of an update in place (tests make it fail).
fn write_site_with(out: &Path, files: &[OutputFile], publish: &Publish<'_>) -> Result<()> {
    let w = Writer::open_with(out, publish)?;
    files
        .par_iter()
        .try_for_each(|f| w.put(&f.path, &f.bytes))?;
    w.finish()
}

/// The rename publishing one staged file (`from`) at its place in the output (`to`).
type Publish<'a> = dyn Fn(&Path, &Path) -> io::Result<()> + Sync + 'a;

/// How the output folder is updated; decided when the writer opens, from what the folder holds.
enum Mode {
    /// There is no output folder yet: the staged site is renamed into place.
    New,
    /// The output folder holds only rulebook's files (this scan of them): the site is staged beside
    /// it and swapped into place whole.
    Swap(Scan),
    /// The output folder also holds other files: the changed files are staged inside it and published
    /// one by one. `None` for the marker of an earlier version without a list: it is scanned at the
    /// end, when the generated paths (which are then taken as its own) are known.
    InPlace(Option<Scan>),
}

/// A build's output being written. Files are staged in a private work folder as they are rendered
/// ([`Writer::put`], from any thread), so no build holds its whole site in memory; [`Writer::finish`]
/// publishes them. Dropped without `finish` (a failed build), it removes its work folder and the
/// previous output stays as it was.
pub struct Writer<'p> {
    out: PathBuf,
    name: String,
    mode: Mode,
    work: WorkDir,
    site: PathBuf,
    /// Paths put so far (no two files may share one), each with whether it is unchanged from the
    /// previous output (hard-linked when swapping, not staged at all when updating in place).
    put: Mutex<HashMap<String, bool>>,
    /// Folders created in the staging folder.
    dirs: Mutex<HashSet<String>>,
    publish: &'p Publish<'p>,
}

impl Sink for Writer<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        Writer::put(self, path, bytes)
    }
}

fn rename(from: &Path, to: &Path) -> io::Result<()> {
    fs::rename(from, to)
}

impl Writer<'static> {
    /// Open the output folder `out` (already checked with [`check_target`]) for a build.
    pub fn open(out: &Path) -> Result<Writer<'static>> {
        Writer::open_with(out, &rename)
    }
}

impl<'p> Writer<'p> {
    fn open_with(out: &Path, publish: &'p Publish<'p>) -> Result<Writer<'p>> {
        let parent = out.parent().unwrap_or(Path::new("."));
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "public".into());
        fs::create_dir_all(parent).map_err(write_err(parent))?;
        staging::clean_leftovers(parent, &name, Some(out));
        let mode = match fs::symlink_metadata(out) {
            Ok(m) if m.is_dir() => {
                staging::clean_leftovers(out, &name, None);
                let ours = match Manifest::read(out) {
                    Previous::Listed(m) => Some(m),
                    Previous::Unlisted => None,
                    Previous::Foreign => Some(Manifest::default()),
                };
                match ours {
                    None => Mode::InPlace(None),
                    Some(ours) => {
                        let scan = manifest::scan(out, &ours, |p| staging::is_work_dir(p, &name))
                            .map_err(|source| Error::Read {
                            path: out.to_path_buf(),
                            source,
                        })?;
                        if scan.foreign.is_empty() {
                            Mode::Swap(scan)
                        } else {
                            Mode::InPlace(Some(scan))
                        }
                    }
                }
            }
            Ok(_) => return Err(unsafe_out(out, "out-is-file", &[])),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Mode::New,
            Err(e) => return Err(write_err(out)(e)),
        };
        let work_in = match mode {
            Mode::InPlace(_) => out,
            _ => parent,
        };
        let work = WorkDir::create(work_in, &name).map_err(write_err(work_in))?;
        let site = work.site();
        fs::create_dir(&site).map_err(write_err(&site))?;
        Ok(Writer {
            out: out.to_path_buf(),
            name,
            mode,
            work,
            site,
            put: Mutex::new(HashMap::new()),
            dirs: Mutex::new(HashSet::new()),
            publish,
        })
    }

    /// Whether `path` of the previous output is rulebook's, so that it may be reused.
    fn ours(&self, path: &str) -> bool {
        match &self.mode {
            Mode::New => false,
            Mode::Swap(scan) | Mode::InPlace(Some(scan)) => scan.files.contains(path),
            // An earlier version's output: the files at paths this build generates are its own.
            Mode::InPlace(None) => true,
        }
    }

    /// Stage one file. Its path must be a plain relative path (no `..`, no root, not the marker, no
    /// line break), so that no file lands outside the output folder whatever the content says (a
    /// page path is built from ids and category names) and the manifest can list it; no two files
    /// may share a path (which page survived would vary from build to build).
    pub fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        if !manifest::is_plain(path) {
            return Err(unsafe_out(
                &self.out.join(path),
                "out-path-outside",
                &[("path", path.to_string())],
            ));
        }
        if self
            .put
            .lock()
            .expect("no panic while holding the lock")
            .insert(path.to_string(), false)
            .is_some()
        {
            return Err(Error::Write {
                path: self.out.join(path),
                source: io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "two pages of this build have this path",
                ),
            });
        }
        let prev = self.out.join(path);
        let reuse = self.ours(path) && unchanged(&prev, bytes);
        let staged = self.site.join(path);
        let kept = match self.mode {
            // A page that has not changed since the previous build is hard-linked from it instead of
            // written: creating thousands of new files (inodes) is most of a rebuild's time on ext4,
            // and a link costs no inode.
            Mode::Swap(_) => {
                reuse && {
                    self.dir_for(path)?;
                    fs::hard_link(&prev, &staged).is_ok()
                }
            }
            // In place, an unchanged file is simply left where it is.
            Mode::InPlace(_) => reuse,
            Mode::New => false,
        };
        if kept {
            self.put
                .lock()
                .expect("no panic while holding the lock")
                .insert(path.to_string(), true);
            return Ok(());
        }
        self.dir_for(path)?;
        fs::write(&staged, bytes).map_err(write_err(&staged))
    }

    /// Create the staging folder of `path`'s parent, once.
    fn dir_for(&self, path: &str) -> Result<()> {
        let Some((dir, _)) = path.rsplit_once('/') else {
            return Ok(());
        };
        let mut dirs = self.dirs.lock().expect("no panic while holding the lock");
        if !dirs.contains(dir) {
            let d = self.site.join(dir);
            fs::create_dir_all(&d).map_err(write_err(&d))?;
            dirs.insert(dir.to_string());
        }
        Ok(())
    }

    /// Publish what was put: swap the staged site into place, or update the output folder in place.
    pub fn finish(self) -> Result<()> {
        let put = std::mem::take(&mut *self.put.lock().expect("no panic while holding the lock"));
        let generated = Manifest::of_files(put.keys().map(String::as_str));
        match &self.mode {
            Mode::New => {
                self.write_marker(&generated)?;
                fs::rename(&self.site, &self.out).map_err(write_err(&self.out))
            }
            Mode::Swap(scan) => {
                self.write_marker(&generated)?;
                self.swap(scan)
            }
            Mode::InPlace(scan) => {
                let rescanned;
                let scan = match scan {
                    Some(s) => s,
                    None => {
                        rescanned = manifest::scan(&self.out, &generated, |p| {
                            staging::is_work_dir(p, &self.name)
                        })
                        .map_err(|source| Error::Read {
                            path: self.out.clone(),
                            source,
                        })?;
                        &rescanned
                    }
                };
                let mut changed: Vec<&str> = put
                    .iter()
                    .filter(|(_, kept)| !**kept)
                    .map(|(p, _)| p.as_str())
                    .collect();
                changed.sort();
                self.in_place(&generated, &changed, scan)
            }
        }
    }

    fn write_marker(&self, generated: &Manifest) -> Result<()> {
        // Every folder above a file is listed; create any the staging folder lacks.
        for d in &generated.dirs {
            let d = self.site.join(d);
            fs::create_dir_all(&d).map_err(write_err(&d))?;
        }
        let marker = self.site.join(MARKER);
        fs::write(&marker, generated.render()).map_err(write_err(&marker))
    }

    /// Swap the staged site into place; `scan` is what the previous output held (only rulebook's).
    fn swap(&self, scan: &Scan) -> Result<()> {
        let (out, site, work) = (&self.out, &self.site, &self.work);
        let old_ours = Manifest {
            files: scan.files.clone(),
            dirs: scan.dirs.clone(),
        };
        work.record_old(&old_ours).map_err(write_err(work.path()))?;
        let permissions = fs::metadata(out).map(|m| m.permissions());
        let old = work.old();
        fs::rename(out, &old).map_err(write_err(out))?;
        if let Err(e) = fs::rename(site, out) {
            // Put the previous output back so nothing is lost…
            if fs::rename(&old, out).is_err() {
                // …unless another build has put its own in place meanwhile: then the previous output
                // is superseded, and is disposed of by its list (anything else in it is put back).
                staging::dispose_old(&old, &listed_in(&old, old_ours), Some(out));
            }
            return Err(write_err(out)(e));
        }
        if let Ok(p) = permissions {
            let _ = fs::set_permissions(out, p);
        }
        staging::dispose_old(&old, &listed_in(&old, old_ours), Some(out));
        Ok(())
    }

    /// Update `out`, which holds files rulebook did not write, file by file: the changed files were
    /// staged in a work folder inside it; rename each into place (keeping the replaced version until the end, to
    /// undo everything if a step fails), delete the listed files no longer generated, and list the
    /// result. Foreign files are never touched; a generated path taken by one is an error, found before
    /// anything is written.
    fn in_place(&self, generated: &Manifest, changed: &[&str], scan: &Scan) -> Result<()> {
        let (out, work, site, publish) = (&self.out, &self.work, &self.site, self.publish);
        // 1. Every generated path must be free, or a file of rulebook's; every folder on the way a real
        //    folder (never a link, which would lead the write elsewhere).
        let mut create = BTreeSet::new();
        for d in &generated.dirs {
            let path = out.join(d);
            match fs::symlink_metadata(&path) {
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    return Err(unsafe_out(
                        &path,
                        "out-needs-folder",
                        &[("folder", d.to_string())],
                    ));
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    create.insert(d.clone());
                }
                Err(e) => return Err(write_err(&path)(e)),
            }
        }
        for f in &generated.files {
            let path = out.join(f);
            match fs::symlink_metadata(&path) {
                Ok(m) if m.is_file() && scan.files.contains(f) => {}
                Ok(_) => {
                    return Err(unsafe_out(
                        &path,
                        "out-needs-page",
                        &[("page", f.to_string())],
                    ));
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(write_err(&path)(e)),
            }
        }

        // 2. The files that change were staged as they were put.

        // 3. Publish. The marker first lists everything that may be rulebook's during the update, so that
        //    an interrupted update leaves no file of rulebook's unlisted.
        let mut during = Manifest {
            files: scan.files.clone(),
            dirs: scan.dirs.clone(),
        };
        during.extend(generated);
        during
            .dirs
            .retain(|d| scan.dirs.contains(d) || create.contains(d));
        let backup = work.backup();
        fs::create_dir(&backup).map_err(write_err(&backup))?;
        let marker = out.join(MARKER);
        let had_marker = match fs::symlink_metadata(&marker) {
            Ok(m) if m.is_file() => {
                let b = backup.join(MARKER);
                fs::hard_link(&marker, &b)
                    .or_else(|_| fs::copy(&marker, &b).map(|_| ()))
                    .map_err(write_err(&marker))?;
                true
            }
            _ => false,
        };
        replace_text(work.path(), out, MARKER, &during.render()).map_err(write_err(&marker))?;
        let mut created: Vec<PathBuf> = Vec::new();
        let mut done: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
        let published = (|| -> Result<()> {
            for d in &create {
                let path = out.join(d);
                fs::create_dir(&path).map_err(write_err(&path))?;
                created.push(path);
            }
            for f in changed {
                let target = out.join(f);
                let kept = if scan.files.contains(*f) {
                    let b = backup.join(f);
                    if let Some(p) = b.parent() {
                        fs::create_dir_all(p).map_err(write_err(p))?;
                    }
                    fs::hard_link(&target, &b)
                        .or_else(|_| fs::copy(&target, &b).map(|_| ()))
                        .map_err(write_err(&target))?;
                    Some(b)
                } else {
                    None
                };
                publish(&site.join(f), &target).map_err(write_err(&target))?;
                done.push((target, kept));
            }
            Ok(())
        })();
        if let Err(e) = published {
            // Undo, newest first: the replaced versions back, the new files and folders away, the marker.
            for (target, kept) in done.iter().rev() {
                let _ = match kept {
                    Some(b) => fs::rename(b, target),
                    None => fs::remove_file(target),
                };
            }
            for d in created.iter().rev() {
                let _ = fs::remove_dir(d);
            }
            let _ = if had_marker {
                fs::rename(backup.join(MARKER), &marker)
            } else {
                fs::remove_file(&marker)
            };
            return Err(e);
        }

        // 4. Delete rulebook's files and folders that this build no longer generates (a folder only once
        //    empty); whatever cannot be deleted stays listed.
        let mut last = generated.clone();
        last.dirs
            .retain(|d| scan.dirs.contains(d) || create.contains(d));
        for f in scan.files.difference(&generated.files) {
            if !manifest::remove_listed_file(out, f) {
                last.files.insert(f.clone());
            }
        }
        let stale: Vec<&String> = scan.dirs.difference(&generated.dirs).collect();
        for d in stale.into_iter().rev() {
            if !manifest::remove_listed_dir(out, d) {
                last.dirs.insert(d.clone());
            }
        }
        replace_text(work.path(), out, MARKER, &last.render()).map_err(write_err(&marker))?;
        Ok(())
    }
}

/// `ours` with the files listed by the marker of the swapped-out folder `old` (another build may have
/// swapped its own output in since the scan).
fn listed_in(old: &Path, mut ours: Manifest) -> Manifest {
    if let Previous::Listed(m) = Manifest::read(old) {
        ours.extend(&m);
    }
    ours
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn file(path: &str, bytes: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: bytes.as_bytes().to_vec(),
        }
    }

    fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        fn walk(dir: &Path, base: &Path, s: &mut BTreeMap<String, Vec<u8>>) {
            for e in fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                let m = fs::symlink_metadata(&p).unwrap();
                if m.is_dir() {
                    s.insert(rel, b"dir".to_vec());
                    walk(&p, base, s);
                } else {
                    s.insert(rel, fs::read(&p).unwrap());
                }
            }
        }
        let mut s = BTreeMap::new();
        walk(dir, dir, &mut s);
        s
    }

    #[test]
    fn an_update_in_place_that_fails_midway_is_undone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("keep.txt"), "keep").unwrap();
        let first = [
            file("a.html", "a1"),
            file("b/c.html", "c1"),
            file("d.html", "d1"),
            file("gone.html", "g"),
        ];
        write_site(&out, &first).unwrap();
        let before = snapshot(&out);
        let second = [
            file("a.html", "a2"),
            file("b/c.html", "c1"),
            file("d.html", "d2"),
            file("e/new.html", "n"),
        ];
        // The third rename fails: the first two must be undone, the new folder removed.
        for fail_at in 0..3 {
            let calls = AtomicUsize::new(0);
            let publish = |from: &Path, to: &Path| {
                if calls.fetch_add(1, Ordering::SeqCst) == fail_at {
                    Err(io::Error::other("injected failure"))
                } else {
                    fs::rename(from, to)
                }
            };
            let r = write_site_with(&out, &second, &publish);
            assert!(matches!(r, Err(Error::Write { .. })), "{r:?}");
            assert_eq!(snapshot(&out), before, "failure at rename {fail_at}");
        }
        write_site(&out, &second).unwrap();
        assert_eq!(fs::read_to_string(out.join("d.html")).unwrap(), "d2");
        assert!(!out.join("gone.html").exists());
        assert_eq!(fs::read_to_string(out.join("keep.txt")).unwrap(), "keep");
        let m = Manifest::parse(&fs::read_to_string(out.join(MARKER)).unwrap()).unwrap();
        assert_eq!(
            m,
            Manifest::of_files(["a.html", "b/c.html", "d.html", "e/new.html"])
        );
    }
}
