//! What every page's template context holds: the site, its strings, the navigation, list items.

use serde::Serialize;

use super::links::{category_href, regulation_href};
use crate::model::{Category, Library, Regulation};

/// Regulations shown per category on the home page; the category page lists all of them, so the
/// home page stays small however large the handbook grows.
pub const HOME_LIMIT: usize = 40;

#[derive(Serialize)]
pub(crate) struct NavCategory<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) href: String,
    pub(crate) count: usize,
    pub(crate) current: bool,
}

#[derive(Serialize)]
pub(crate) struct RegItem<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) subtitle: Option<&'a str>,
    pub(crate) href: String,
    pub(crate) status: String,
    pub(crate) status_key: &'static str,
    pub(crate) incomplete: bool,
    pub(crate) date: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct CategoryCtx<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) href: String,
    pub(crate) count: usize,
    pub(crate) more: bool,
    pub(crate) regulations: Vec<RegItem<'a>>,
}

pub(crate) fn reg_item<'a>(lib: &'a Library, r: &'a Regulation) -> RegItem<'a> {
    RegItem {
        id: &r.id,
        title: &r.title,
        subtitle: r.subtitle.as_deref(),
        href: regulation_href(&r.id),
        status: lib.config.string(r.status.key()),
        status_key: r.status.key(),
        incomplete: r.incomplete,
        date: r
            .issued
            .as_deref()
            .or(r.risk_register.as_ref().and_then(|rr| rr.date.as_deref())),
    }
}

/// Everything every page shares.
pub(crate) fn base_context(
    lib: &Library,
    theme_root: &str,
    current_category: Option<&str>,
) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("site", &lib.config);
    ctx.insert("t", &lib.config.strings);
    ctx.insert("root", theme_root);
    ctx.insert("nav_categories", &nav(lib, current_category));
    ctx
}

/// The category navigation, the current category marked.
pub(crate) fn nav<'a>(lib: &'a Library, current_category: Option<&str>) -> Vec<NavCategory<'a>> {
    lib.categories
        .iter()
        .map(|c| NavCategory {
            id: &c.id,
            title: &c.title,
            href: category_href(&c.id),
            count: c.regulations.len(),
            current: Some(c.id.as_str()) == current_category,
        })
        .collect()
}

pub(crate) fn category_ctx<'a>(lib: &'a Library, c: &'a Category, limit: usize) -> CategoryCtx<'a> {
    CategoryCtx {
        id: &c.id,
        title: &c.title,
        href: category_href(&c.id),
        count: c.regulations.len(),
        more: c.regulations.len() > limit,
        regulations: c
            .regulations
            .iter()
            .take(limit)
            .map(|&i| reg_item(lib, &lib.regulations[i]))
            .collect(),
    }
}
