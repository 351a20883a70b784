//! The theme: Tera templates and static files built into the binary, each overridable by a site file
//! of the same name (`<root>/templates/…`, `<root>/static/…`).

use std::path::Path;

use tera::Tera;

use super::minify;
use crate::content::files::CopiedFile;
use crate::error::{Error, Result};

/// Templates of the default theme, embedded at compile time.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "nav.html",
        include_str!("../../themes/default/templates/nav.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "category.html",
        include_str!("../../themes/default/templates/category.html"),
    ),
    (
        "regulation.html",
        include_str!("../../themes/default/templates/regulation.html"),
    ),
    (
        "regulation_list.html",
        include_str!("../../themes/default/templates/regulation_list.html"),
    ),
    (
        "print.html",
        include_str!("../../themes/default/templates/print.html"),
    ),
    (
        "procedure_constraints.html",
        include_str!("../../themes/default/templates/procedure_constraints.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "checklist.html",
        include_str!("../../themes/default/templates/checklist.html"),
    ),
    (
        "checklists.html",
        include_str!("../../themes/default/templates/checklists.html"),
    ),
    (
        "references.html",
        include_str!("../../themes/default/templates/references.html"),
    ),
    (
        "roles.html",
        include_str!("../../themes/default/templates/roles.html"),
    ),
    (
        "role.html",
        include_str!("../../themes/default/templates/role.html"),
    ),
    (
        "role_risks.html",
        include_str!("../../themes/default/templates/role_risks.html"),
    ),
    (
        "person.html",
        include_str!("../../themes/default/templates/person.html"),
    ),
    (
        "role_matrix.html",
        include_str!("../../themes/default/templates/role_matrix.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "revisions.html",
        include_str!("../../themes/default/templates/revisions.html"),
    ),
    (
        "version.html",
        include_str!("../../themes/default/templates/version.html"),
    ),
    (
        "compare.html",
        include_str!("../../themes/default/templates/compare.html"),
    ),
    (
        "recent.html",
        include_str!("../../themes/default/templates/recent.html"),
    ),
    (
        "review.html",
        include_str!("../../themes/default/templates/review.html"),
    ),
];

/// Static files of the default theme, written under `assets/`.
pub const STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "print.css",
        include_bytes!("../../themes/default/static/print.css"),
    ),
    (
        "rulebook.js",
        include_bytes!("../../themes/default/static/rulebook.js"),
    ),
    (
        "checklist.js",
        include_bytes!("../../themes/default/static/checklist.js"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
    (
        "preview.js",
        include_bytes!("../../themes/default/static/preview.js"),
    ),
];

pub struct Theme {
    pub tera: Tera,
    /// (file name, bytes) to write under `assets/`.
    pub assets: Vec<(String, Vec<u8>)>,
    /// The site's own templates (name, file as shown from the root), for the diagnostics of a
    /// template that fails (src/render/template_errors.rs).
    site: Vec<(String, std::path::PathBuf)>,
}

impl Theme {
    /// The default theme with the site's overrides: templates from `root/templates`, static files
    /// from `copied` (the checked `static/` files, output under `assets/`).
    pub fn load(root: &Path, copied: &[CopiedFile]) -> Result<Theme> {
        let mut templates: Vec<(String, String)> = TEMPLATES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let site_templates = root.join("templates");
        // The site's templates as written (name, file shown from the root, text).
        let mut site: Vec<(String, std::path::PathBuf, String)> = Vec::new();
        if site_templates.is_dir() {
            for entry in walkdir::WalkDir::new(&site_templates).sort_by_file_name() {
                let entry = entry.map_err(|e| Error::Read {
                    path: site_templates.clone(),
                    source: e.into(),
                })?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let name = entry
                    .path()
                    .strip_prefix(&site_templates)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = std::fs::read_to_string(entry.path()).map_err(|e| Error::Read {
                    path: entry.path().to_path_buf(),
                    source: e,
                })?;
                site.push((
                    name.clone(),
                    Path::new("templates").join(&name),
                    text.clone(),
                ));
                match templates.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = text,
                    None => templates.push((name, text)),
                }
            }
        }
        // Compacted once here instead of minifying every page (src/render/minify.rs).
        let templates: Vec<(String, String)> = templates
            .into_iter()
            .map(|(n, t)| {
                let compact = if n.ends_with(".html") {
                    minify::compact_template(&t)
                } else {
                    t
                };
                (n, compact)
            })
            .collect();
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(minify::escape_html);
        tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| super::template_errors::syntax(&site, &e))?;

        let mut assets: Vec<(String, Vec<u8>)> = STATIC
            .iter()
            .map(|(n, b)| (n.to_string(), b.to_vec()))
            .collect();
        // The site's static/ files, checked when the content was loaded (src/content/files.rs).
        for f in copied {
            let Some(name) = f.output.strip_prefix("assets/") else {
                continue;
            };
            let bytes = f.read().map_err(|e| Error::Read {
                path: f.source.clone(),
                source: e,
            })?;
            match assets.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = bytes,
                None => assets.push((name.to_string(), bytes)),
            }
        }
        Ok(Theme {
            tera,
            assets,
            site: site.into_iter().map(|(n, p, _)| (n, p)).collect(),
        })
    }

    pub fn render(&self, name: &str, ctx: &tera::Context) -> Result<String> {
        self.tera
            .render(name, ctx)
            .map_err(|e| super::template_errors::render(&self.site, name, &e))
    }
}
