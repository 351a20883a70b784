//! Render stage: every output is a [`Renderer`], a pure function of the analysed [`Library`] and the
//! theme that puts its files into a [`Sink`] as it makes them. Nothing here reads `content/`, parses
//! Markdown or looks for references: the model has it all.
//!
//! A new output (search index, role pages, checklists, print edition, feeds) is one more renderer in
//! [`renderers`].

pub mod checklists;
pub mod citations;
pub mod compare;
pub mod context;
pub mod links;
pub mod lists;
pub mod markdown;
pub mod minify;
pub mod preview;
pub mod print;
pub mod redirects;
pub mod regulation;
pub mod revisions;
pub mod roles;
pub mod search;
pub mod template_errors;
pub mod theme;

use rayon::prelude::*;

use crate::error::Result;
use crate::model::Library;
use crate::output::write::Sink;
use theme::Theme;

/// One output of the handbook.
pub trait Renderer: Sync {
    /// What it makes, for the stage timings (`pages`, `lists` …).
    fn name(&self) -> &'static str;
    /// Make the files and put each into `sink` as soon as it is made.
    fn render(&self, lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()>;
}

/// Every regulation's page, rendered in parallel.
pub struct RegulationPages;

impl Renderer for RegulationPages {
    fn name(&self) -> &'static str {
        "pages"
    }

    fn render(&self, lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
        let sub = context::shared_context(lib, "../");
        let navs = context::NavCache::new(lib, theme, "../")?;
        let sequence = regulation::ReadingSequence::new(lib);
        (0..lib.regulations.len())
            .into_par_iter()
            .try_for_each(|i| {
                regulation::regulation_page(lib, theme, &sub, &navs, &sequence, i, sink)
            })
    }
}

/// The pages left at moved regulations' former addresses (`old_ids:`).
pub struct RedirectPages;

impl Renderer for RedirectPages {
    fn name(&self) -> &'static str {
        "redirects"
    }

    fn render(&self, lib: &Library, _theme: &Theme, sink: &dyn Sink) -> Result<()> {
        redirects::write(lib, sink)
    }
}

/// The 依据文件, 表单 and 术语 pages.
pub struct CitationPages;

impl Renderer for CitationPages {
    fn name(&self) -> &'static str {
        "citations"
    }

    fn render(&self, lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
        citations::reference_pages(lib, theme, sink)
    }
}

/// The home page, a page per category, and the 404 page.
pub struct ListPages;

impl Renderer for ListPages {
    fn name(&self) -> &'static str {
        "lists"
    }

    fn render(&self, lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
        lists::render(lib, theme, sink)
    }
}

/// A checklist page per procedure and the checklist index.
pub struct ChecklistPages;

impl Renderer for ChecklistPages {
    fn name(&self) -> &'static str {
        "checklists"
    }

    fn render(&self, lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
        checklists::render(lib, theme, sink)
    }
}

/// Who does what: the role index, a page per role and per named holder, the matrix.
pub struct RolePages;

impl Renderer for RolePages {
    fn name(&self) -> &'static str {
        "roles"
    }

    fn render(&self, lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
        roles::render(lib, theme, sink)
    }
}

/// The whole handbook on one page for printing and offline reading (`print.html`).
pub struct PrintPage;

impl Renderer for PrintPage {
    fn name(&self) -> &'static str {
        "print"
    }

    fn render(&self, lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
        print::render(lib, theme, sink)
    }
}

/// The 修订记录 and version pages, 最近修订, 待复审 and the Atom feed of revisions.
pub struct RevisionPages;

impl Renderer for RevisionPages {
    fn name(&self) -> &'static str {
        "revisions"
    }

    fn render(&self, lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
        revisions::render(lib, theme, sink)
    }
}

/// 新旧对照: consecutive versions of a regulation kept as files, side by side.
pub struct ComparePages;

impl Renderer for ComparePages {
    fn name(&self) -> &'static str {
        "compare"
    }

    fn render(&self, lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
        compare::render(lib, theme, sink)
    }
}

/// The theme's CSS and JavaScript (and the site's `static/` files), under `assets/`.
pub struct Assets;

impl Renderer for Assets {
    fn name(&self) -> &'static str {
        "assets"
    }

    fn render(&self, _lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
        for (name, bytes) in &theme.assets {
            sink.put(&format!("assets/{name}"), bytes)?;
        }
        Ok(())
    }
}

/// The in-place previews' data under `preview/`.
pub struct Previews;

impl Renderer for Previews {
    fn name(&self) -> &'static str {
        "previews"
    }

    fn render(&self, lib: &Library, _theme: &Theme, sink: &dyn Sink) -> Result<()> {
        preview::write(lib, sink)
    }
}

/// The search index under `search/` and the `search.html` results page.
pub struct SearchIndex;

impl Renderer for SearchIndex {
    fn name(&self) -> &'static str {
        "search"
    }

    fn render(&self, lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
        search::build_index(lib, sink)?;
        search::results_page(lib, theme, sink)
    }
}

/// The outputs of a build, in order.
pub fn renderers() -> Vec<Box<dyn Renderer>> {
    vec![
        Box::new(RegulationPages),
        Box::new(RedirectPages),
        Box::new(CitationPages),
        Box::new(ListPages),
        Box::new(ChecklistPages),
        Box::new(RolePages),
        Box::new(RevisionPages),
        Box::new(ComparePages),
        Box::new(SearchIndex),
        Box::new(PrintPage),
        Box::new(Previews),
        Box::new(Assets),
    ]
}

/// One regulation's page and its preview file, alone: the bytes [`RegulationPages`] and
/// [`Previews`] make for it (the preview server shows an edited page with this before the full
/// build that follows has finished).
pub fn regulation_alone(lib: &Library, theme: &Theme, index: usize, sink: &dyn Sink) -> Result<()> {
    let reg = &lib.regulations[index];
    let sub = context::shared_context(lib, "../");
    let navs = context::NavCache::only(lib, theme, "../", &reg.category)?;
    let sequence = regulation::ReadingSequence::new(lib);
    regulation::regulation_page(lib, theme, &sub, &navs, &sequence, index, sink)?;
    preview::write_regulation(lib, reg, sink)
}

/// Render everything into memory (for tests and tools): the files, sorted by path.
pub fn render_all(lib: &Library, theme: &Theme) -> Result<Vec<crate::output::write::OutputFile>> {
    let sink = crate::output::write::Collect::default();
    for r in renderers() {
        r.render(lib, theme, &sink)?;
    }
    Ok(sink.into_files())
}
