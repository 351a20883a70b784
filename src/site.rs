//! The pipeline: `Site::new(root)` → `load()` → `build()`, timing every stage.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::content::load::{self, Withheld};
use crate::content::model::Library;
use crate::error::{Diagnostic, Error, Result};
use crate::output::write;
use crate::render::{markdown, pages, theme::Theme};
use crate::structure::references::{self, Index};

/// How long each stage took.
#[derive(Debug, Clone, Default)]
pub struct Timings(pub Vec<(&'static str, Duration)>);

impl Timings {
    fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let r = f();
        self.0.push((stage, start.elapsed()));
        r
    }

    pub fn total(&self) -> Duration {
        self.0.iter().map(|(_, d)| *d).sum()
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

/// A site: a root folder with `content/` (and optionally `templates/`, `static/`).
pub struct Site {
    pub root: PathBuf,
    pub library: Option<Library>,
    /// What references are recognised against; built with the library.
    pub index: Option<Index>,
    pub withheld: Vec<Withheld>,
    pub diagnostics: Vec<Diagnostic>,
    pub timings: Timings,
}

impl Site {
    pub fn new(root: impl Into<PathBuf>) -> Site {
        Site {
            root: root.into(),
            library: None,
            index: None,
            withheld: Vec::new(),
            diagnostics: Vec::new(),
            timings: Timings::default(),
        }
    }

    /// Load and check the content. Errors in the content come back as [`Error::Content`] with every
    /// diagnostic (warnings included); warnings alone are kept in `self.diagnostics`.
    pub fn load(&mut self) -> Result<&Library> {
        let loaded = self.timings.time("load", || load::load(&self.root));
        self.diagnostics = loaded.diagnostics;
        self.withheld = loaded.withheld;
        let mut library = loaded.library;
        let (index, refs, diags) = self.timings.time("references", || {
            let index = Index::new(&library, &self.withheld);
            let (refs, diags) = references::collect(&library, &index);
            (index, refs, diags)
        });
        library.set_references(refs);
        self.diagnostics.extend(diags);
        // Link and image addresses the URL policy drops from the bodies: a warning each.
        self.diagnostics.extend(markdown::dropped_links_all(
            &library.regulations,
            library.config.raw_html,
        ));
        self.diagnostics
            .sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
        self.index = Some(index);
        self.library = Some(library);
        if self.diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Error::Content(self.diagnostics.clone()));
        }
        Ok(self.library.as_ref().expect("just set"))
    }

    /// Run every validation without writing anything: all diagnostics, errors and warnings.
    pub fn check(&mut self) -> &[Diagnostic] {
        // The diagnostics are the result either way; an Err only says some of them are errors.
        let _ = self.load();
        &self.diagnostics
    }

    /// The default output folder, `public/` under the root.
    pub fn default_out(&self) -> PathBuf {
        self.root.join("public")
    }

    /// Render every page and write them to `out`, replacing its previous contents only on success.
    pub fn build(&mut self, out: Option<&Path>, force: bool) -> Result<BuildReport> {
        if self.library.is_none() {
            self.load()?;
        }
        // A library loaded with errors (by `check`, or an earlier failed build) is never written.
        if self.diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Error::Content(self.diagnostics.clone()));
        }
        let out = out
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.default_out());
        let out = write::check_target(&self.root, &out, force)?;
        let lib = self.library.as_ref().expect("loaded above");
        let mut timings = self.timings.clone();
        let theme = timings.time("theme", || Theme::load(&self.root, &lib.config.copied))?;
        let index = self.index.as_ref().expect("built with the library");
        let files = timings.time("render", || pages::render_all(lib, index, &theme))?;
        timings.time("write", || write::write_site(&out, &files))?;
        Ok(BuildReport {
            documents: lib.regulations.len(),
            clauses: lib.clause_count(),
            files: files.len(),
            bytes: files.iter().map(|f| f.bytes.len() as u64).sum(),
            out,
            timings,
            warnings: self.diagnostics.clone(),
        })
    }
}
