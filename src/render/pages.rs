//! Builds every HTML page of the handbook from the [`Library`]: home, categories, regulations, 404.

use rayon::prelude::*;
use serde::Serialize;

use super::markdown::{self, Labels, PlainText};
use super::theme::Theme;
use crate::content::model::{Library, Procedure, Regulation};
use crate::error::Result;
use crate::structure::clauses::ClauseKind;

/// Regulations shown per category on the home page; the category page lists all of them, so the
/// home page stays small however large the handbook grows.
pub const HOME_LIMIT: usize = 40;

/// One output file, relative to the output folder.
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

pub fn regulation_href(id: &str) -> String {
    format!("regulations/{id}.html")
}

pub fn category_href(id: &str) -> String {
    format!("categories/{id}.html")
}

#[derive(Serialize)]
struct NavCategory<'a> {
    id: &'a str,
    title: &'a str,
    href: String,
    count: usize,
    current: bool,
}

#[derive(Serialize)]
struct RegItem<'a> {
    id: &'a str,
    title: &'a str,
    subtitle: Option<&'a str>,
    href: String,
    status: String,
    status_key: &'static str,
    incomplete: bool,
    date: Option<&'a str>,
}

#[derive(Serialize)]
struct CategoryCtx<'a> {
    id: &'a str,
    title: &'a str,
    href: String,
    count: usize,
    more: bool,
    regulations: Vec<RegItem<'a>>,
}

#[derive(Serialize)]
struct TocEntry<'a> {
    anchor: &'a str,
    label: &'a str,
    caption: String,
    kind: ClauseKind,
    depth: usize,
}

#[derive(Serialize)]
struct ClauseLink {
    href: String,
    label: String,
}

#[derive(Serialize)]
struct StepCtx<'a> {
    number: Option<u32>,
    text: &'a str,
    note: Option<&'a str>,
    role: Option<&'a str>,
    clause: Option<ClauseLink>,
}

#[derive(Serialize)]
struct StepGroup<'a> {
    branch: Option<&'a str>,
    steps: Vec<StepCtx<'a>>,
}

#[derive(Serialize)]
struct ProcedureCtx<'a> {
    id: &'a str,
    title: &'a str,
    clause: Option<ClauseLink>,
    groups: Vec<StepGroup<'a>>,
}

#[derive(Serialize)]
struct Cell<'a> {
    column: &'a str,
    items: &'a [String],
}

#[derive(Serialize)]
struct RiskCtx<'a> {
    unit: Option<&'a str>,
    filled_by_label: &'a str,
    filled_by: Option<&'a str>,
    date: Option<&'a str>,
    groups: &'a [crate::content::model::ColumnGroup],
    columns: &'a [String],
    rows: Vec<Vec<Cell<'a>>>,
}

#[derive(Serialize)]
struct Link<'a> {
    title: &'a str,
    href: String,
}

/// The label of a clause with its ancestors, as people cite it: 第三条（二）, 二、9．, 三、（二）5．.
pub fn clause_citation(reg: &Regulation, anchor: &str) -> Option<String> {
    let mut i = reg.clauses.iter().position(|c| c.anchor == anchor)?;
    let mut parts = vec![];
    loop {
        let c = &reg.clauses[i];
        if c.kind != ClauseKind::Chapter {
            parts.push(c.label.as_str());
        }
        match c.parent {
            Some(p) => i = p,
            None => break,
        }
    }
    parts.reverse();
    Some(parts.concat())
}

fn reg_item<'a>(lib: &'a Library, r: &'a Regulation) -> RegItem<'a> {
    RegItem {
        id: &r.id,
        title: &r.title,
        subtitle: r.subtitle.as_deref(),
        href: regulation_href(&r.id),
        status: lib.config.string(r.status.key()),
        status_key: r.status.key(),
        incomplete: r.incomplete,
        date: r.issued.as_deref().or(r.risk_register.as_ref().and_then(|rr| rr.date.as_deref())),
    }
}

fn minify(html: &str) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_closing_tags = true;
    cfg.minify_css = false;
    cfg.minify_js = false;
    minify_html::minify(html.as_bytes(), &cfg)
}

/// Resolve a procedure's clause reference (`anchor` or `regulation#anchor`) to a link from the page of
/// `from`.
fn clause_link(lib: &Library, from: &Regulation, reference: &str) -> Option<ClauseLink> {
    let (target, anchor) = match reference.split_once('#') {
        Some((id, a)) => (lib.regulation(id)?, a),
        None => (from, reference),
    };
    let label = clause_citation(target, anchor)?;
    let same = std::ptr::eq(target, from);
    Some(ClauseLink {
        href: if same { format!("#{anchor}") } else { format!("{}.html#{anchor}", target.id) },
        label: if same { label } else { format!("《{}》{label}", target.title) },
    })
}

fn procedure_ctx<'a>(lib: &'a Library, reg: &'a Regulation, p: &'a Procedure) -> ProcedureCtx<'a> {
    let mut groups: Vec<StepGroup> = Vec::new();
    for s in &p.steps {
        let step = StepCtx {
            number: s.number,
            text: &s.text,
            note: s.note.as_deref(),
            role: s.role.as_deref(),
            clause: s.clause.as_deref().and_then(|c| clause_link(lib, reg, c)),
        };
        match groups.last_mut() {
            Some(g) if g.branch == s.branch.as_deref() => g.steps.push(step),
            _ => groups.push(StepGroup { branch: s.branch.as_deref(), steps: vec![step] }),
        }
    }
    ProcedureCtx {
        id: &p.id,
        title: &p.title,
        clause: p.clause.as_deref().and_then(|c| clause_link(lib, reg, c)),
        groups,
    }
}

/// Everything every page shares.
fn base_context(lib: &Library, theme_root: &str, current_category: Option<&str>) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("site", &lib.config);
    ctx.insert("t", &lib.config.strings);
    ctx.insert("root", theme_root);
    let nav: Vec<NavCategory> = lib
        .categories
        .iter()
        .map(|c| NavCategory {
            id: &c.id,
            title: &c.title,
            href: category_href(&c.id),
            count: c.regulations.len(),
            current: Some(c.id.as_str()) == current_category,
        })
        .collect();
    ctx.insert("nav_categories", &nav);
    ctx
}

fn regulation_page(lib: &Library, theme: &Theme, base: &tera::Context, index: usize) -> Result<OutputFile> {
    let reg = &lib.regulations[index];
    let category = lib.category(&reg.category);
    let mut ctx = base.clone();
    ctx.insert("page_kind", "regulation");
    let nav: Vec<NavCategory> = lib
        .categories
        .iter()
        .map(|c| NavCategory {
            id: &c.id,
            title: &c.title,
            href: category_href(&c.id),
            count: c.regulations.len(),
            current: c.id == reg.category,
        })
        .collect();
    ctx.insert("nav_categories", &nav);

    let labels = Labels { copy_link: lib.config.strings.get("copy_link").map_or("#", String::as_str) };
    let body = markdown::render_body(reg, lib.config.raw_html, &labels, &mut PlainText);
    ctx.insert("body", &body);

    let status = lib.config.string(reg.status.key());
    ctx.insert(
        "reg",
        &serde_json::json!({
            "id": reg.id, "title": reg.title, "subtitle": reg.subtitle, "status": status,
            "status_key": reg.status.key(), "issued": reg.issued, "effective": reg.effective,
            "issuer": reg.issuer, "owner": reg.owner, "aliases": reg.aliases, "summary": reg.summary,
            "incomplete": reg.incomplete,
        }),
    );
    ctx.insert(
        "category",
        &serde_json::json!({
            "title": category.map_or(reg.category.as_str(), |c| c.title.as_str()),
            "href": category_href(&reg.category),
        }),
    );
    let mut depths = vec![0usize; reg.clauses.len()];
    let toc: Vec<TocEntry> = reg
        .clauses
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            depths[i] = c.parent.map_or(0, |p| depths[p] + usize::from(reg.clauses[p].kind.in_toc()));
            c.kind.in_toc().then(|| TocEntry {
                anchor: &c.anchor,
                label: &c.label,
                caption: c.caption(),
                kind: c.kind,
                depth: depths[i],
            })
        })
        .collect();
    ctx.insert("toc", &toc);

    if let Some(rr) = &reg.risk_register {
        let rows = rr
            .rows
            .iter()
            .map(|row| {
                rr.columns
                    .iter()
                    .map(|col| Cell { column: col, items: row.get(col).map_or(&[][..], Vec::as_slice) })
                    .collect()
            })
            .collect();
        let risk = RiskCtx {
            unit: rr.unit.as_deref(),
            filled_by_label: rr.filled_by_label.as_deref().unwrap_or("填报人"),
            filled_by: rr.filled_by.as_deref(),
            date: rr.date.as_deref(),
            groups: &rr.groups,
            columns: &rr.columns,
            rows,
        };
        ctx.insert("risk", &risk);
    }
    let procedures: Vec<ProcedureCtx> = lib.procedures_of(&reg.id).map(|p| procedure_ctx(lib, reg, p)).collect();
    ctx.insert("procedures", &procedures);

    if let Some(c) = category {
        let pos = c.regulations.iter().position(|&i| i == index);
        let link = |i: usize| {
            let r = &lib.regulations[i];
            Link { title: &r.title, href: regulation_href(&r.id) }
        };
        if let Some(pos) = pos {
            if pos > 0 {
                ctx.insert("prev", &link(c.regulations[pos - 1]));
            }
            if let Some(&n) = c.regulations.get(pos + 1) {
                ctx.insert("next", &link(n));
            }
        }
    }
    let html = theme.render("regulation.html", &ctx)?;
    Ok(OutputFile { path: regulation_href(&reg.id), bytes: minify(&html) })
}

fn category_ctx<'a>(lib: &'a Library, c: &'a crate::content::model::Category, limit: usize) -> CategoryCtx<'a> {
    CategoryCtx {
        id: &c.id,
        title: &c.title,
        href: category_href(&c.id),
        count: c.regulations.len(),
        more: c.regulations.len() > limit,
        regulations: c.regulations.iter().take(limit).map(|&i| reg_item(lib, &lib.regulations[i])).collect(),
    }
}

/// Render every page. Regulation pages are rendered in parallel; the order of the result is fixed.
pub fn render_all(lib: &Library, theme: &Theme) -> Result<Vec<OutputFile>> {
    let sub = base_context(lib, "../", None);
    let mut files: Vec<OutputFile> = (0..lib.regulations.len())
        .into_par_iter()
        .map(|i| regulation_page(lib, theme, &sub, i))
        .collect::<Result<_>>()?;

    let cats: Vec<Result<OutputFile>> = lib
        .categories
        .par_iter()
        .map(|c| {
            let mut ctx = base_context(lib, "../", Some(&c.id));
            ctx.insert("page_kind", "category");
            ctx.insert("c", &category_ctx(lib, c, usize::MAX));
            let html = theme.render("category.html", &ctx)?;
            Ok(OutputFile { path: category_href(&c.id), bytes: minify(&html) })
        })
        .collect();
    for c in cats {
        files.push(c?);
    }

    let mut ctx = base_context(lib, "", None);
    ctx.insert("page_kind", "home");
    let cats: Vec<CategoryCtx> = lib.categories.iter().map(|c| category_ctx(lib, c, HOME_LIMIT)).collect();
    ctx.insert("categories", &cats);
    ctx.insert(
        "totals",
        &serde_json::json!({"documents": lib.regulations.len(), "clauses": lib.clause_count()}),
    );
    files.push(OutputFile { path: "index.html".into(), bytes: minify(&theme.render("index.html", &ctx)?) });

    // The 404 page is served for any missing path, so its links must not be relative to where it is.
    let root = if lib.config.base_path.is_empty() { String::new() } else { lib.config.base_path.clone() };
    let mut ctx = base_context(lib, &root, None);
    ctx.insert("page_kind", "not-found");
    files.push(OutputFile { path: "404.html".into(), bytes: minify(&theme.render("404.html", &ctx)?) });

    for (name, bytes) in &theme.assets {
        files.push(OutputFile { path: format!("assets/{name}"), bytes: bytes.clone() });
    }
    Ok(files)
}
