//! The pages that list regulations: the home page (the top-level categories), a page per category
//! at every level (its introduction, subcategories and regulations), and the 404 page.

use rayon::prelude::*;

use super::context::{CategoryCtx, HOME_LIMIT, base_context, category_ctx};
use super::links::category_path;
use super::markdown::{Rooted, render_body};
use super::minify::page;
use super::theme::Theme;
use crate::error::Result;
use crate::model::Library;
use crate::output::write::Sink;

pub(crate) fn render(lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
    lib.categories.par_iter().try_for_each(|c| {
        let mut ctx = base_context(lib, theme, "../", Some(&c.id))?;
        ctx.insert("page_kind", "category");
        ctx.insert("c", &category_ctx(lib, c, usize::MAX));
        if let Some(intro) = &c.intro {
            // Written as a body is: raw HTML by the site's policy, addresses by the URL policy.
            let html = render_body(intro, lib.config.raw_html, &mut Rooted("../"));
            ctx.insert("intro", &html);
        }
        let html = theme.render("category.html", &ctx)?;
        sink.put(&category_path(&c.id), &page(&html))
    })?;

    // The home page shows the top level; each category page shows its own subcategories.
    let mut ctx = base_context(lib, theme, "", None)?;
    ctx.insert("page_kind", "home");
    let cats: Vec<CategoryCtx> = lib
        .categories
        .iter()
        .filter(|c| c.parent.is_none())
        .map(|c| category_ctx(lib, c, HOME_LIMIT))
        .collect();
    ctx.insert("categories", &cats);
    ctx.insert(
        "totals",
        &serde_json::json!({"documents": lib.regulations.len(), "clauses": lib.clause_count(),
            "procedures": lib.procedures.len()}),
    );
    sink.put("index.html", &page(&theme.render("index.html", &ctx)?))?;

    // The 404 page is served for any missing path, so its links must not be relative to where it is.
    // Served at the site root unless base_path says otherwise (file:// never shows a 404 page).
    let root = if lib.config.base_path.is_empty() {
        "/".to_string()
    } else {
        lib.config.base_path.clone()
    };
    let mut ctx = base_context(lib, theme, &root, None)?;
    ctx.insert("page_kind", "not-found");
    sink.put("404.html", &page(&theme.render("404.html", &ctx)?))
}
