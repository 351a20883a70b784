//! The pipeline: `Site::new(root)` → `load()` → `build()`, timing every stage.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use std::collections::HashSet;

use crate::content::load;
use crate::error::{Diagnostic, Error, Result};
use crate::model::{Library, Withheld};
use crate::output::copy;
use crate::output::write::{self, Sink};
use crate::render::{self, theme::Theme};
use crate::structure;

/// How long each stage took; and whom to tell when a stage starts (a terminal's progress line).
#[derive(Debug, Clone, Default)]
pub struct Timings(
    pub Vec<(Cow<'static, str>, Duration)>,
    pub Option<StageHook>,
);

/// Called with a stage's name as it starts.
#[derive(Clone)]
pub struct StageHook(pub std::sync::Arc<dyn Fn(&str) + Send + Sync>);

impl std::fmt::Debug for StageHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StageHook")
    }
}

/// Stages that ran at the same time as others (the renderers): shown, not added to the total.
const CONCURRENT: &str = " ∥";

impl Timings {
    fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        if let Some(hook) = &self.1 {
            (hook.0)(stage);
        }
        let start = Instant::now();
        let r = f();
        self.0.push((Cow::Borrowed(stage), start.elapsed()));
        r
    }

    /// The time of the stages one after another (those run side by side count once, as their
    /// `render` stage).
    pub fn total(&self) -> Duration {
        self.0
            .iter()
            .filter(|(s, _)| !s.ends_with(CONCURRENT))
            .map(|(_, d)| *d)
            .sum()
    }

    /// Run every renderer, side by side (each is parallel inside, but some have sequential parts —
    /// the search index gathers its postings, the writer creates files — that leave cores idle):
    /// one `render` stage with the wall time, and each renderer's own time marked ` ∥`.
    fn render_all(&mut self, f: impl Fn(&dyn render::Renderer) -> Result<()> + Sync) -> Result<()> {
        use rayon::prelude::*;
        if let Some(hook) = &self.1 {
            (hook.0)("render");
        }
        let start = Instant::now();
        let done: Vec<(&'static str, Duration, Result<()>)> = render::renderers()
            .par_iter()
            .map(|r| {
                let t = Instant::now();
                let result = f(r.as_ref());
                (r.name(), t.elapsed(), result)
            })
            .collect();
        self.0.push((Cow::Borrowed("render"), start.elapsed()));
        for (name, took, _) in &done {
            self.0
                .push((Cow::Owned(format!("{name}{CONCURRENT}")), *took));
        }
        done.into_iter().try_for_each(|(_, _, r)| r)
    }
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(s, d)| format!("{s} {:.1} ms", d.as_secs_f64() * 1e3))
            .collect();
        f.write_str(&parts.join(", "))
    }
}

/// What a build produced.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub documents: usize,
    pub clauses: usize,
    pub files: usize,
    pub bytes: u64,
    pub out: PathBuf,
    pub timings: Timings,
    /// Warnings (errors stop the build and come back as [`Error::Content`]).
    pub warnings: Vec<Diagnostic>,
}

/// A sink that counts what passes through it.
struct Counting<'a> {
    inner: &'a dyn Sink,
    files: AtomicUsize,
    bytes: AtomicU64,
}

/// A sink that keeps nothing: `check` renders every page to run the templates, and writes none.
struct Discard;

impl Sink for Discard {
    fn put(&self, _path: &str, _bytes: &[u8]) -> Result<()> {
        Ok(())
    }
}

impl Sink for Counting<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        self.inner.put(path, bytes)
    }
}

/// A site: a root folder with `content/` (and optionally `templates/`, `static/`).
pub struct Site {
    pub root: PathBuf,
    pub library: Option<Library>,
    pub withheld: Vec<Withheld>,
    pub diagnostics: Vec<Diagnostic>,
    pub timings: Timings,
    /// Warnings fail the build too (`--deny-warnings`; `strict: true` in site.yaml does the same).
    pub deny_warnings: bool,
    /// How source files that are not UTF-8 are read (`--encoding`).
    pub encoding: crate::content::text::Encoding,
    /// Build the handbook as it stood on this day, from the content's git history (`--as-of`).
    pub as_of: Option<jiff::civil::Date>,
    /// The day the build is for when there is no `--as-of`: [`build_day`], read once when the site
    /// is made. Every output that depends on the day takes it from the library (`Library::today`).
    pub today: jiff::civil::Date,
    /// The content of `as_of`, written out of the history: removed when the site is dropped.
    snapshot: Option<Snapshot>,
    /// The theme the last render used (kept by [`Site::render_into`] for the preview server's
    /// quick path).
    pub theme: Option<Theme>,
    /// The names references were resolved against (kept for the preview server's quick path).
    pub index: Option<structure::references::Index>,
}

/// A private folder holding the content as it stood on a day; removed when dropped.
struct Snapshot(PathBuf);

impl Drop for Snapshot {
    fn drop(&mut self) {
        let _ = remove_snapshot(&self.0);
    }
}

/// Snapshot folders are `<temp>/rulebook-as-of-<pid>-<commit>`, holding the marker
/// [`SNAPSHOT_MARKER`] whose first line is [`SNAPSHOT_HEADER`].
const SNAPSHOT_PREFIX: &str = "rulebook-as-of-";
const SNAPSHOT_MARKER: &str = ".rulebook-as-of";
const SNAPSHOT_HEADER: &str = "rulebook-as-of 1";

/// Whether `path` is a snapshot folder: a real folder (not a link) whose marker is a plain file
/// that says so. Only such a folder is ever removed.
fn is_snapshot(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
        && std::fs::symlink_metadata(path.join(SNAPSHOT_MARKER)).is_ok_and(|m| m.is_file())
        && std::fs::read_to_string(path.join(SNAPSHOT_MARKER))
            .is_ok_and(|t| t.lines().next() == Some(SNAPSHOT_HEADER))
}

/// Remove a snapshot folder, the marker last (a removal cut short is still recognisable).
fn remove_snapshot(path: &Path) -> std::io::Result<()> {
    if !is_snapshot(path) {
        return Ok(());
    }
    for e in std::fs::read_dir(path)?.flatten() {
        if e.file_name() == SNAPSHOT_MARKER {
            continue;
        }
        let _ = if e.file_type().is_ok_and(|t| t.is_dir()) {
            std::fs::remove_dir_all(e.path())
        } else {
            std::fs::remove_file(e.path())
        };
    }
    std::fs::remove_file(path.join(SNAPSHOT_MARKER))?;
    std::fs::remove_dir(path)
}

/// Remove the snapshots that killed `--as-of` runs left in `tmp` (drafts and classified sources of
/// a past day would otherwise stay there): only folders of that naming whose process is gone and
/// whose marker proves them rulebook's.
fn clean_snapshots(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(SNAPSHOT_PREFIX))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if !crate::output::staging::running(pid, false) {
            let _ = remove_snapshot(&e.path());
        }
    }
}

/// Write `content/` as it stood on `day` (the newest commit on or before it) into a private
/// folder, with the site's own `static/` beside it (the theme is today's: only the text is
/// historical). The commit is reported.
fn snapshot(root: &Path, day: jiff::civil::Date) -> Result<(Snapshot, crate::history::Commit)> {
    use crate::history;
    // Why, from the catalogue's phrases.
    let fail = |why: &str, error: Option<String>| {
        // The Chinese line says where git's English words are, never carries them.
        let english_only = crate::messages::phrase("english-only", &[]).1;
        let zh_args: Vec<_> = error
            .iter()
            .map(|_| ("error", english_only.clone()))
            .collect();
        let args: Vec<_> = error.into_iter().map(|e| ("error", e)).collect();
        let why_zh = crate::messages::phrase(why, &zh_args).1;
        let why = crate::messages::phrase(why, &args).0;
        Error::Content(vec![Diagnostic::coded(
            crate::error::Severity::Error,
            "RB099",
            root.join("content"),
            1,
            1,
            vec![("day", day.to_string()), ("why", why), ("why_zh", why_zh)],
        )])
    };
    let repo = history::Repo::open(root).ok_or_else(|| fail("as-of-no-repository", None))?;
    let commits = repo
        .commits(None)
        .map_err(|e| fail("as-of-history-unreadable", Some(e)))?;
    let commit = history::commit_as_of(&commits, day)
        .ok_or_else(|| fail("as-of-no-commit", None))?
        .clone();
    let tmp = std::env::temp_dir();
    clean_snapshots(&tmp);
    let dir = tmp.join(format!(
        "{SNAPSHOT_PREFIX}{}-{}",
        std::process::id(),
        commit.id.to_hex_with_len(12)
    ));
    let _ = remove_snapshot(&dir);
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    let write = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Write { path, source }
    };
    builder.create(&dir).map_err(write(&dir))?;
    let snap = Snapshot(dir);
    // The marker first: a run killed from here on leaves a folder the next run knows as its own.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(snap.0.join(SNAPSHOT_MARKER))
        .and_then(|mut f| {
            use std::io::Write as _;
            writeln!(f, "{SNAPSHOT_HEADER}\npid {}", std::process::id())
        })
        .map_err(write(&snap.0))?;
    repo.extract_content(commit.id, &snap.0)
        .map_err(|e| fail("as-of-not-extracted", Some(e)))?;
    let static_dir = root.join("static");
    if static_dir.is_dir() {
        for e in walkdir::WalkDir::new(&static_dir).into_iter().flatten() {
            let rel = e.path().strip_prefix(&static_dir).unwrap_or(e.path());
            let to = snap.0.join("static").join(rel);
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&to).map_err(write(&to))?;
            } else if e.file_type().is_file() {
                std::fs::copy(e.path(), &to).map_err(write(&to))?;
            }
        }
    }
    Ok((snap, commit))
}

/// The day a build is for: `SOURCE_DATE_EPOCH` (seconds since 1970, as reproducible builds set it;
/// read as a UTC day) when it is set and valid, else today in the machine's time zone. The one
/// place rulebook reads the calendar; `--as-of` overrides it for the build.
pub fn build_day() -> jiff::civil::Date {
    day_of_epoch(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date())
}

/// The UTC day of a `SOURCE_DATE_EPOCH` value; `None` for a missing or malformed one.
fn day_of_epoch(value: Option<&str>) -> Option<jiff::civil::Date> {
    let secs = value?.trim().parse::<i64>().ok()?;
    let t = jiff::Timestamp::from_second(secs).ok()?;
    Some(t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}

impl Site {
    pub fn new(root: impl Into<PathBuf>) -> Site {
        Site {
            root: root.into(),
            library: None,
            withheld: Vec::new(),
            diagnostics: Vec::new(),
            timings: Timings::default(),
            deny_warnings: false,
            encoding: Default::default(),
            as_of: None,
            today: build_day(),
            snapshot: None,
            theme: None,
            index: None,
        }
    }

    /// Load and check the content. Errors in the content come back as [`Error::Content`] with every
    /// diagnostic (warnings included); warnings alone are kept in `self.diagnostics`.
    pub fn load(&mut self) -> Result<&Library> {
        if let Some(day) = self.as_of
            && self.snapshot.is_none()
        {
            let (snap, _) = self.timings.time("history", || snapshot(&self.root, day))?;
            self.snapshot = Some(snap);
        }
        // The content is read from the day's snapshot under --as-of; everything else (theme,
        // output folder) stays the site's.
        let content_root = self
            .snapshot
            .as_ref()
            .map_or(self.root.clone(), |s| s.0.clone());
        let loaded = self
            .timings
            .time("load", || load::load_with(&content_root, self.encoding));
        self.diagnostics = loaded.diagnostics;
        self.withheld = loaded.withheld;
        let failed_titles: Vec<String> = loaded
            .failed
            .iter()
            .flat_map(|f| f.titles.iter().cloned())
            .collect();
        let failed: HashSet<String> = loaded.failed.into_iter().map(|f| f.id).collect();
        let mut library = loaded.library;
        library.failed_titles = failed_titles;
        library.config.content_dir = Some(content_root.join("content"));
        library.today = self.as_of.unwrap_or(self.today);
        library.as_of = self.as_of;
        if library.config.history {
            let history = self.timings.time("history", || {
                crate::history::attach(&content_root, &mut library, &self.withheld)
            });
            self.diagnostics.extend(history);
        }
        let (diags, index) = self.timings.time("analyse", || {
            structure::analyse_indexed(&mut library, &self.withheld, &failed)
        });
        self.diagnostics.extend(diags);
        self.index = Some(index);
        self.diagnostics
            .sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
        // The real cause first: what only follows from an unreadable data file is counted.
        self.diagnostics = crate::rootcause::first(std::mem::take(&mut self.diagnostics));
        self.deny_warnings |= library.config.strict;
        self.library = Some(library);
        if self.failed() {
            return Err(Error::Content(self.diagnostics.clone()));
        }
        Ok(self.library.as_ref().expect("just set"))
    }

    /// Remove the `--as-of` snapshot now (the process may end without dropping the site).
    pub fn release_snapshot(&mut self) {
        self.snapshot = None;
    }

    /// Whether the diagnostics stop the build: any error, or any warning when warnings are denied.
    pub fn failed(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.is_error() || self.deny_warnings)
    }

    /// Run every validation without writing anything: all diagnostics, errors and warnings. The
    /// templates run as `build` runs them, into nothing, so that a template that would fail the
    /// build fails the check with the same diagnostic.
    pub fn check(&mut self) -> &[Diagnostic] {
        // The diagnostics are the result either way; an Err only says some of them are errors.
        if self.load().is_ok() {
            match self.render_into(&Discard) {
                Ok(_) => {}
                Err(Error::Content(d)) => self.diagnostics.extend(d),
                Err(e) => self
                    .diagnostics
                    .push(Diagnostic::error(&self.root, 1, 1, e.to_string())),
            }
        }
        &self.diagnostics
    }

    /// The default output folder, `public/` under the root.
    pub fn default_out(&self) -> PathBuf {
        self.root.join("public")
    }

    /// Render every page and write them to `out` (default: [`Site::default_out`]), replacing rulebook's
    /// previous output only on success. `force` allows a folder that holds files rulebook did not
    /// generate; they are kept. System and home folders are refused ([`write::Protected::system`]).
    pub fn build(&mut self, out: Option<&Path>, force: bool) -> Result<BuildReport> {
        self.build_with(out, force, &write::Protected::system())
    }

    /// Render every output file into `sink` without touching the disk (the preview server's
    /// build, `src/serve.rs`): the same renderers and copied files as [`Site::build`].
    pub fn render_into(&mut self, sink: &dyn Sink) -> Result<Timings> {
        if self.library.is_none() {
            self.load()?;
        }
        if self.failed() {
            return Err(Error::Content(self.diagnostics.clone()));
        }
        let lib = self.library.as_ref().expect("loaded above");
        let mut timings = self.timings.clone();
        let theme = timings.time("theme", || Theme::load(&self.root, &lib.config.copied))?;
        timings.render_all(|r| r.render(lib, &theme, sink))?;
        timings.time("copy", || copy::copy_files(&lib.config.copied, sink))?;
        self.theme = Some(theme);
        Ok(timings)
    }

    /// [`Site::build`] against another list of protected folders (tests use stand-ins).
    pub fn build_with(
        &mut self,
        out: Option<&Path>,
        force: bool,
        protected: &write::Protected,
    ) -> Result<BuildReport> {
        if self.library.is_none() {
            self.load()?;
        }
        // A library loaded with errors (by `check`, or an earlier failed build) is never written.
        if self.failed() {
            return Err(Error::Content(self.diagnostics.clone()));
        }
        let out = out
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.default_out());
        let out = write::check_target_with(&self.root, &out, force, protected)?;
        let lib = self.library.as_ref().expect("loaded above");
        let mut timings = self.timings.clone();
        let theme = timings.time("theme", || Theme::load(&self.root, &lib.config.copied))?;
        // Files go to the writer's staging folder as they are rendered; only `finish` publishes them,
        // and a writer dropped on an error leaves the previous output as it was.
        let writer = timings.time("open", || write::Writer::open(&out))?;
        let sink = Counting {
            inner: &writer,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
        };
        timings.render_all(|r| r.render(lib, &theme, &sink))?;
        timings.time("copy", || copy::copy_files(&lib.config.copied, &sink))?;
        let (files, bytes) = (sink.files.into_inner(), sink.bytes.into_inner());
        timings.time("write", || writer.finish())?;
        Ok(BuildReport {
            documents: lib.regulations.len(),
            clauses: lib.clause_count(),
            files,
            bytes,
            out,
            timings,
            warnings: self.diagnostics.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::day_of_epoch;
    use jiff::civil::date;

    #[test]
    fn source_date_epoch_is_a_utc_day() {
        for (value, day) in [
            (Some("0"), Some(date(1970, 1, 1))),
            (Some("1717200000"), Some(date(2024, 6, 1))),
            (Some(" 1717286399\n"), Some(date(2024, 6, 1))),
            (Some("1717286400"), Some(date(2024, 6, 2))),
            (Some("-86400"), Some(date(1969, 12, 31))),
            (Some("soon"), None),
            (Some(""), None),
            (Some("99999999999999999999"), None),
            (None, None),
        ] {
            assert_eq!(day_of_epoch(value), day, "{value:?}");
        }
    }
}
