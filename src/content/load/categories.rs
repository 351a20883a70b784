//! The category tree: one category per folder (at any depth), titled and ordered by site.yaml's
//! `categories:`, then by the folder's own page (`_index.md`), then by the folder's name; files at
//! the top of `content/` get a category of their own. Regulations are sorted into it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Ctx;
use crate::config::Config;
use crate::content::{frontmatter, text, yaml};
use crate::error::{Diagnostic, Severity};
use crate::model::*;
use crate::natural::natural_key;

/// The categories of `regulations` (sorted into them), from their folders and the folder pages.
pub(super) fn categories(
    ctx: &Ctx,
    config: &Config,
    regulations: &mut [Regulation],
    folder_page_files: &[PathBuf],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Category> {
    // Categories: the folders (at any depth), site.yaml's order and titles first, then folder
    // pages'; files at the top of content/ get a category of their own, under an id no folder has.
    let mut top_level = "uncategorised".to_string();
    let mut k = 1;
    while regulations.iter().any(|r| r.category == top_level)
        || config.categories.iter().any(|c| c.id == top_level)
    {
        top_level = format!("uncategorised-{k}");
        k += 1;
    }
    let folders: HashMap<String, Vec<String>> = regulations
        .iter()
        .filter_map(|r| {
            let rel = ctx.root.join(&r.source.path);
            let rel = rel.strip_prefix(ctx.content).ok()?;
            Some((r.id.clone(), category_folder(rel)))
        })
        .filter(|(_, f)| !f.is_empty())
        .collect();
    let pages = folder_pages(ctx, folder_page_files, diags);
    category_tree(ctx, config, regulations, &folders, pages, &top_level, diags)
}

/// What a folder page (`_index.md`, or an `index.md` beside other pages) says about its folder's
/// category: title, position, summary, and its body as an introduction.
struct FolderPage {
    title: Option<String>,
    order: Option<i64>,
    summary: Option<String>,
    intro: Option<Box<Regulation>>,
}

/// Read the folder pages, keyed by their folder (its path under `content/`, as names).
fn folder_pages(
    ctx: &Ctx,
    files: &[PathBuf],
    diags: &mut Vec<Diagnostic>,
) -> HashMap<Vec<String>, FolderPage> {
    // Other tools' names (`weight`, `description`) as for a regulation; any other key (Hugo's
    // `layout`, `cascade` …) belongs to that tool and is left alone.
    #[derive(Deserialize)]
    struct Raw {
        title: Option<String>,
        order: Option<i64>,
        weight: Option<i64>,
        summary: Option<String>,
        description: Option<String>,
    }
    let mut out = HashMap::new();
    for path in files {
        let Some(folder) = path
            .strip_prefix(ctx.content)
            .ok()
            .and_then(|p| p.parent())
            .map(names)
            .filter(|f| !f.is_empty())
        else {
            continue;
        };
        let shown = ctx.display(path);
        let text = match text::read_as(path, &shown, ctx.encoding, diags) {
            Ok(t) => t,
            Err(d) => {
                diags.push(*d);
                continue;
            }
        };
        // A folder page without front-matter is all introduction.
        let (raw, body, body_line) = match frontmatter::split(&text) {
            Ok(split) => match yaml::from_str::<Option<Raw>>(split.yaml) {
                Ok(raw) => (raw, split.body, split.body_line),
                Err(e) => {
                    diags.push(Diagnostic::coded(
                        Severity::Error,
                        "RB058",
                        &shown,
                        split.yaml_line + e.line - 1,
                        e.column,
                        crate::messages::yaml_detail(e.message),
                    ));
                    continue;
                }
            },
            Err(_) => (None, text.as_str(), 1),
        };
        let (title, order, summary) = match raw {
            Some(r) => (r.title, r.order.or(r.weight), r.summary.or(r.description)),
            None => (None, None, None),
        };
        let title = title
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        let intro = (!body.trim().is_empty()).then(|| {
            let id = folder.join("-");
            let mut r = Regulation::new(&id, title.as_deref().unwrap_or(&id), body);
            r.source = Source {
                path: shown.clone(),
                body_line,
            };
            Box::new(r)
        });
        out.insert(
            folder,
            FolderPage {
                title,
                order,
                summary,
                intro,
            },
        );
    }
    out
}

/// The names of a relative folder path's parts.
fn names(p: &Path) -> Vec<String> {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect()
}

/// The folder (under `content/`, as names) whose category a regulation file is in by default: its
/// own folder, or for a leaf bundle (`a/b/index.md`, alone in `b/`) the folder holding the bundle.
pub(super) fn category_folder(rel: &Path) -> Vec<String> {
    let mut dir = rel.parent();
    if rel.file_name().is_some_and(|n| n == "index.md") {
        dir = dir.and_then(Path::parent);
    }
    dir.map(names).unwrap_or_default()
}

/// A category's id from its folder: the names joined with `-` (`a/b` is `a-b`, as `a/b/index.md`
/// is), so a top-level folder's category keeps the folder's name.
pub(super) fn folder_id(folder: &[String]) -> String {
    folder.join("-")
}

/// One node of the category tree while it is built.
struct Node {
    id: String,
    parent: Option<String>,
    title: String,
    order: i64,
    /// Position in site.yaml's `categories:`, which comes before everything else.
    listed: Option<usize>,
    summary: Option<String>,
    intro: Option<Box<Regulation>>,
}

/// The category tree, depth first (a category before its subcategories, siblings in order: site.yaml's
/// list, then `order`, then id), with only categories that hold a regulation somewhere below; the
/// regulations are sorted into it (category, then `order`, then id).
fn category_tree(
    ctx: &Ctx,
    config: &Config,
    regulations: &mut [Regulation],
    folders: &HashMap<String, Vec<String>>,
    mut pages: HashMap<Vec<String>, FolderPage>,
    top_level: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Category> {
    let mut nodes: HashMap<String, Node> = HashMap::new();
    let listed = |id: &str| config.categories.iter().position(|c| c.id == id);
    let configured_title = |id: &str| {
        config
            .categories
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.title.clone())
    };
    // Every folder holding a regulation, and every folder above it.
    let mut seen_folders: HashMap<String, Vec<String>> = HashMap::new();
    let mut reported: HashSet<Vec<String>> = HashSet::new();
    let mut all: Vec<&Vec<String>> = folders.values().collect();
    all.sort();
    all.dedup();
    for folder in all {
        for n in 1..=folder.len() {
            let f = folder[..n].to_vec();
            let id = folder_id(&f);
            if nodes.contains_key(&id) {
                if seen_folders.get(&id).is_some_and(|g| *g != f) && reported.insert(f.clone()) {
                    // `a-b/` and `a/b/` would be one category: the second is reported, once.
                    diags.push(Diagnostic::coded(
                        Severity::Error,
                        "RB059",
                        ctx.display(&ctx.content.join(f.join("/"))),
                        1,
                        1,
                        vec![
                            ("first", seen_folders[&id].join("/")),
                            ("second", f.join("/")),
                            ("id", id.clone()),
                        ],
                    ));
                }
                continue;
            }
            let page = pages.remove(&f);
            let (page_title, order, summary, intro) = match page {
                Some(p) => (p.title, p.order, p.summary, p.intro),
                None => (None, None, None, None),
            };
            nodes.insert(
                id.clone(),
                Node {
                    parent: (n > 1).then(|| folder_id(&f[..n - 1])),
                    title: configured_title(&id)
                        .or(page_title)
                        .unwrap_or_else(|| f[n - 1].clone()),
                    order: order.unwrap_or(0),
                    listed: listed(&id),
                    summary,
                    intro,
                    id: id.clone(),
                },
            );
            seen_folders.insert(id, f);
        }
    }
    // A `category:` that names no folder is a category of its own, at the top level; files at the
    // top of content/ are in one under an id no folder has.
    for r in regulations.iter_mut() {
        if r.category.is_empty() {
            r.category = top_level.to_string();
        }
        if !nodes.contains_key(&r.category) {
            let title = if r.category == top_level {
                config.string("uncategorised")
            } else {
                configured_title(&r.category).unwrap_or_else(|| r.category.clone())
            };
            nodes.insert(
                r.category.clone(),
                Node {
                    id: r.category.clone(),
                    parent: None,
                    title,
                    order: 0,
                    listed: listed(&r.category),
                    summary: None,
                    intro: None,
                },
            );
        }
    }
    // Keep the categories holding a regulation somewhere below.
    let mut total: HashMap<String, usize> = HashMap::new();
    for r in regulations.iter() {
        let mut at = Some(r.category.as_str());
        while let Some(id) = at {
            *total.entry(id.to_string()).or_default() += 1;
            at = nodes.get(id).and_then(|n| n.parent.as_deref());
        }
    }
    let mut children: HashMap<Option<&str>, Vec<&Node>> = HashMap::new();
    for n in nodes.values() {
        if total.contains_key(n.id.as_str()) {
            children.entry(n.parent.as_deref()).or_default().push(n);
        }
    }
    for list in children.values_mut() {
        // The top-level files' category sorts as an empty folder name did before: first of the
        // categories not in site.yaml.
        list.sort_by(|a, b| {
            let key = |n: &Node| {
                (
                    n.listed.unwrap_or(usize::MAX),
                    n.order,
                    if n.id == top_level {
                        Vec::new()
                    } else {
                        natural_key(&n.id)
                    },
                )
            };
            key(a).cmp(&key(b))
        });
    }
    // Depth first: the display order of categories, and so of regulations.
    let mut order: Vec<(&Node, Option<usize>)> = Vec::new();
    let mut stack: Vec<(&Node, Option<usize>)> = children
        .get(&None)
        .map(|l| l.iter().rev().map(|n| (*n, None)).collect())
        .unwrap_or_default();
    while let Some((n, parent)) = stack.pop() {
        let i = order.len();
        order.push((n, parent));
        if let Some(kids) = children.get(&Some(n.id.as_str())) {
            stack.extend(kids.iter().rev().map(|k| (*k, Some(i))));
        }
    }
    let pos: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (n.id.as_str(), i))
        .collect();
    // Numbers in names by value (修正案（九） before 修正案（十一））; a book (编) kept as a file of
    // its own by the number its text gives it (总则 is 第一编, 人格权编 第四编), whatever its name.
    regulations.sort_by_cached_key(|r| {
        (
            pos.get(r.category.as_str()).copied(),
            r.order,
            crate::natural::book_number(&r.body),
            natural_key(&r.id),
            r.id.clone(),
        )
    });
    let mut categories: Vec<Category> = order
        .iter()
        .map(|(n, parent)| Category {
            id: n.id.clone(),
            title: n.title.clone(),
            regulations: Vec::new(),
            parent: *parent,
            children: Vec::new(),
            total: total.get(&n.id).copied().unwrap_or(0),
            order: n.order,
            summary: n.summary.clone(),
            intro: None,
        })
        .collect();
    for i in 0..categories.len() {
        if let Some(p) = categories[i].parent {
            categories[p].children.push(i);
        }
    }
    for (i, r) in regulations.iter().enumerate() {
        if let Some(&c) = pos.get(r.category.as_str()) {
            categories[c].regulations.push(i);
        }
    }
    for c in &mut categories {
        c.intro = nodes.get_mut(&c.id).and_then(|n| n.intro.take());
    }
    categories
}
