//! What every page's template context holds: the site, its strings, the navigation, list items.

use serde::Serialize;

use super::links::{category_href, regulation_href};
use crate::model::{Category, Library, Regulation};

/// Regulations shown per category on the home page; the category page lists all of them, so the
/// home page stays small however large the handbook grows.
pub const HOME_LIMIT: usize = 40;

/// Subcategories the navigation lists per level below the top; their category page lists them all.
pub const NAV_CHILDREN: usize = 40;

#[derive(Serialize)]
pub(crate) struct NavCategory<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) href: String,
    pub(crate) count: usize,
    pub(crate) current: bool,
    /// 0 for a top-level category, 1 for its subcategories …
    pub(crate) depth: usize,
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
    /// The enclosing categories, outermost first (the breadcrumb's path).
    pub(crate) ancestors: Vec<CategoryLink<'a>>,
    pub(crate) children: Vec<CategoryLink<'a>>,
    pub(crate) summary: Option<&'a str>,
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

/// The category navigation: the top-level categories, and along the path to the current category
/// the subcategories of each category on it (so a page lists its own neighbourhood, never the
/// whole tree); the current category marked.
pub(crate) fn nav<'a>(lib: &'a Library, current_category: Option<&str>) -> Vec<NavCategory<'a>> {
    let current = current_category.and_then(|id| lib.category_index(id));
    let mut path = current.map(|c| lib.ancestors(c)).unwrap_or_default();
    path.extend(current);
    let mut out = Vec::new();
    let tops: Vec<usize> = (0..lib.categories.len())
        .filter(|&i| lib.categories[i].parent.is_none())
        .collect();
    nav_level(lib, &tops, &path, current, 0, &mut out);
    out
}

fn nav_level<'a>(
    lib: &'a Library,
    level: &[usize],
    path: &[usize],
    current: Option<usize>,
    depth: usize,
    out: &mut Vec<NavCategory<'a>>,
) {
    // Below the top level, the first NAV_CHILDREN subcategories (and the one on the path): a
    // folder of thousands of folders must not put thousands of links on every page under it.
    let shown = level
        .iter()
        .enumerate()
        .filter(|&(n, i)| depth == 0 || n < NAV_CHILDREN || path.get(depth) == Some(i))
        .map(|(_, &i)| i);
    for i in shown {
        let c = &lib.categories[i];
        out.push(NavCategory {
            id: &c.id,
            title: &c.title,
            href: category_href(&c.id),
            count: c.total,
            current: Some(i) == current,
            depth,
        });
        if path.get(depth) == Some(&i) {
            nav_level(lib, &c.children, path, current, depth + 1, out);
        }
    }
}

/// A link to a category, with how many regulations it holds (its subcategories' included).
#[derive(Serialize)]
pub(crate) struct CategoryLink<'a> {
    pub(crate) title: &'a str,
    pub(crate) href: String,
    pub(crate) count: usize,
}

pub(crate) fn category_link(c: &Category) -> CategoryLink<'_> {
    CategoryLink {
        title: &c.title,
        href: category_href(&c.id),
        count: c.total,
    }
}

/// A category with the first `limit` of its regulations and of its subcategories.
pub(crate) fn category_ctx<'a>(lib: &'a Library, c: &'a Category, limit: usize) -> CategoryCtx<'a> {
    let index = lib.category_index(&c.id);
    CategoryCtx {
        id: &c.id,
        title: &c.title,
        href: category_href(&c.id),
        count: c.total,
        more: c.regulations.len() > limit || c.children.len() > limit,
        regulations: c
            .regulations
            .iter()
            .take(limit)
            .map(|&i| reg_item(lib, &lib.regulations[i]))
            .collect(),
        ancestors: index
            .map(|i| lib.ancestors(i))
            .unwrap_or_default()
            .into_iter()
            .map(|a| category_link(&lib.categories[a]))
            .collect(),
        children: c
            .children
            .iter()
            .take(limit)
            .map(|&k| category_link(&lib.categories[k]))
            .collect(),
        summary: c.summary.as_deref(),
    }
}
