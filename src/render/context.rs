//! What every page's template context holds: the site, its strings, the navigation, list items.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::theme::Theme;
use crate::error::Result;

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
    /// The title as the list shows it: without the organisation's short name (市委保密办) when every
    /// title of the list begins with it (it would be the same first word on every line).
    pub(crate) shown: &'a str,
    pub(crate) summary: Option<&'a str>,
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
        shown: &r.title,
        summary: r.summary.as_deref(),
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

/// Everything every page shares, with the navigation for a page in `current_category`.
pub(crate) fn base_context(
    lib: &Library,
    theme: &Theme,
    theme_root: &str,
    current_category: Option<&str>,
) -> Result<tera::Context> {
    let mut ctx = shared_context(lib, theme_root);
    ctx.insert("nav", &nav_html(lib, theme, theme_root, current_category)?);
    Ok(ctx)
}

/// The site and its strings, without the navigation (see [`base_context`]).
pub(crate) fn shared_context(lib: &Library, theme_root: &str) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("site", &lib.config);
    ctx.insert("t", &lib.config.strings);
    ctx.insert("root", theme_root);
    // A handbook with no procedures has no checklist pages to link to.
    ctx.insert("has_checklists", &!lib.procedures.is_empty());
    // No roles.yaml and no register naming people: no role pages, and nothing links to them.
    ctx.insert("has_roles", &super::roles::has_roles(lib));
    if let Some(line) = as_of_notice(lib) {
        ctx.insert("as_of_notice", &line);
    }
    ctx
}

/// The line every page of an `--as-of` build carries (本手册按 2024年3月1日 的效力状态生成): what the
/// pages call in force, amended or not yet effective is decided for that day, not for the reader's.
pub(crate) fn as_of_notice(lib: &Library) -> Option<String> {
    let day = lib.as_of?;
    Some(
        lib.config
            .string("as_of_notice")
            .replace("{y}", &day.year().to_string())
            .replace("{m}", &day.month().to_string())
            .replace("{d}", &day.day().to_string())
            .replace("{mm}", &format!("{:02}", day.month()))
            .replace("{dd}", &format!("{:02}", day.day())),
    )
}

/// The navigation (template `nav.html`) of a page in `current_category`. Every page of a category
/// has the same one, so the regulation pages render it once per category ([`NavCache`]).
pub(crate) fn nav_html(
    lib: &Library,
    theme: &Theme,
    theme_root: &str,
    current_category: Option<&str>,
) -> Result<String> {
    let mut ctx = tera::Context::new();
    ctx.insert("t", &lib.config.strings);
    ctx.insert("root", theme_root);
    ctx.insert("nav_categories", &nav(lib, current_category));
    theme.render("nav.html", &ctx)
}

/// The navigation of each category's pages at one depth (`root`), rendered before the pages are.
pub(crate) struct NavCache {
    by_category: HashMap<String, String>,
    outside: String,
}

impl NavCache {
    pub(crate) fn new(lib: &Library, theme: &Theme, theme_root: &str) -> Result<NavCache> {
        let by_category = lib
            .categories
            .par_iter()
            .map(|c| Ok((c.id.clone(), nav_html(lib, theme, theme_root, Some(&c.id))?)))
            .collect::<Result<_>>()?;
        let outside = nav_html(lib, theme, theme_root, None)?;
        Ok(NavCache {
            by_category,
            outside,
        })
    }

    /// The navigation of one category's pages only (a page rendered alone).
    pub(crate) fn only(
        lib: &Library,
        theme: &Theme,
        theme_root: &str,
        category: &str,
    ) -> Result<NavCache> {
        Ok(NavCache {
            by_category: HashMap::from([(
                category.to_string(),
                nav_html(lib, theme, theme_root, Some(category))?,
            )]),
            outside: nav_html(lib, theme, theme_root, None)?,
        })
    }

    pub(crate) fn get(&self, category: &str) -> &str {
        self.by_category.get(category).unwrap_or(&self.outside)
    }
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
/// Drop the organisation's short name from the shown titles when every one begins with it (and
/// more than one is listed).
fn without_shared_prefix<'a>(lib: &Library, mut items: Vec<RegItem<'a>>) -> Vec<RegItem<'a>> {
    let Some(prefix) = lib.config.short_name.as_deref().filter(|p| !p.is_empty()) else {
        return items;
    };
    if items.len() > 1
        && items
            .iter()
            .all(|r| r.title.len() > prefix.len() && r.title.starts_with(prefix))
    {
        for r in &mut items {
            r.shown = &r.title[prefix.len()..];
        }
    }
    items
}

pub(crate) fn category_ctx<'a>(lib: &'a Library, c: &'a Category, limit: usize) -> CategoryCtx<'a> {
    let index = lib.category_index(&c.id);
    CategoryCtx {
        id: &c.id,
        title: &c.title,
        href: category_href(&c.id),
        count: c.total,
        more: c.regulations.len() > limit || c.children.len() > limit,
        regulations: without_shared_prefix(
            lib,
            c.regulations
                .iter()
                .take(limit)
                .map(|&i| reg_item(lib, &lib.regulations[i]))
                .collect(),
        ),
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
