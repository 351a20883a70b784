//! Builds every HTML page of the handbook from the [`Library`]: home, categories, regulations, 404.

use rayon::prelude::*;
use serde::Serialize;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use super::markdown::{self, Labels, Links, escape, escape_into};
use super::theme::Theme;
use crate::content::files;
use crate::error::{Error, Result};
use crate::model::{
    ClauseKind, Library, LinkTo, Origin, Procedure, Reference, Regulation, Run, Target,
};
use crate::url;

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
    /// HTML, references linked.
    text: String,
    note: Option<String>,
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
    /// Items as HTML, references linked.
    items: Vec<String>,
    rowspan: usize,
}

/// In a risk register each risk point (廉政风险点) is a table row. Its 具体表现形式 go on the same rows
/// only where the original numbers them one to one with the risk points; every other cell spans the
/// rows, because the original does not say which item belongs to which risk point.
const KEY_COLUMN: &str = "廉政风险点";
const PAIRED_COLUMN: &str = "具体表现形式";

fn risk_rows<'a>(columns: &'a [String], linked_row: Vec<Vec<String>>) -> Vec<Vec<Cell<'a>>> {
    let count = |name: &str| {
        columns
            .iter()
            .position(|c| c == name)
            .map(|i| linked_row[i].len())
    };
    let n = count(KEY_COLUMN).filter(|&n| n > 1).unwrap_or(1);
    let paired = n > 1 && count(PAIRED_COLUMN) == Some(n);
    let split = |col: &str| n > 1 && (col == KEY_COLUMN || (paired && col == PAIRED_COLUMN));
    let mut linked_row: Vec<Option<Vec<String>>> = linked_row.into_iter().map(Some).collect();
    let mut split_items: Vec<Vec<String>> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if split(c) {
                linked_row[i].take().unwrap_or_default()
            } else {
                Vec::new()
            }
        })
        .collect();
    (0..n)
        .map(|r| {
            columns
                .iter()
                .enumerate()
                .filter_map(|(i, col)| {
                    if split(col) {
                        let item = std::mem::take(&mut split_items[i][r]);
                        Some(Cell {
                            column: col,
                            items: vec![item],
                            rowspan: 1,
                        })
                    } else if r == 0 {
                        Some(Cell {
                            column: col,
                            items: linked_row[i].take().unwrap_or_default(),
                            rowspan: n,
                        })
                    } else {
                        None
                    }
                })
                .collect()
        })
        .collect()
}

#[derive(Serialize)]
struct RiskCtx<'a> {
    unit: Option<&'a str>,
    filled_by_label: &'a str,
    filled_by: Option<&'a str>,
    date: Option<&'a str>,
    groups: &'a [crate::model::ColumnGroup],
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
    reg.citation(anchor)
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
        date: r
            .issued
            .as_deref()
            .or(r.risk_register.as_ref().and_then(|rr| rr.date.as_deref())),
    }
}

fn minify(html: &str) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_closing_tags = true;
    cfg.minify_css = false;
    cfg.minify_js = false;
    let mut bytes = minify_html::minify(html.as_bytes(), &cfg);
    escape_title(&mut bytes);
    strip_controls(&mut bytes);
    bytes
}

/// Remove control characters other than tab and newline (C0, DEL, C1) from a page, wherever they
/// came from (front-matter through the templates, entities the minifier decoded): never written.
fn strip_controls(bytes: &mut Vec<u8>) {
    let forbidden = |b: &[u8], i: usize| -> usize {
        match b[i] {
            b'\t' | b'\n' => 0,
            0..=0x1f | 0x7f => 1,
            // U+0080..U+009F in UTF-8.
            0xc2 if b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)) => 2,
            _ => 0,
        }
    };
    if !(0..bytes.len()).any(|i| forbidden(bytes, i) > 0) {
        return;
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match forbidden(bytes, i) {
            0 => {
                out.push(bytes[i]);
                i += 1;
            }
            n => i += n,
        }
    }
    *bytes = out;
}

/// minify-html writes the text of `<title>` with its entities decoded (browsers read it as text up to
/// `</title>` anyway); escape `<` there again, so no tool reading the files sees markup in a title.
fn escape_title(bytes: &mut Vec<u8>) {
    let Some(start) = find(bytes, b"<title>").map(|i| i + b"<title>".len()) else {
        return;
    };
    let Some(len) = find(&bytes[start..], b"</title>") else {
        return;
    };
    if !bytes[start..start + len].contains(&b'<') {
        return;
    }
    let escaped: Vec<u8> = bytes[start..start + len]
        .iter()
        .flat_map(|&b| if b == b'<' { b"&lt;".to_vec() } else { vec![b] })
        .collect();
    bytes.splice(start..start + len, escaped);
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
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
        href: if same {
            format!("#{anchor}")
        } else {
            format!("{}.html#{anchor}", target.id)
        },
        label: if same {
            label
        } else {
            format!("《{}》{label}", target.title)
        },
    })
}

fn procedure_ctx<'a>(
    lib: &'a Library,
    reg: &'a Regulation,
    p: &'a Procedure,
    linker: &mut Linker,
) -> ProcedureCtx<'a> {
    let mut groups: Vec<StepGroup> = Vec::new();
    for s in &p.steps {
        let mut runs = s.runs.iter();
        let step = StepCtx {
            number: s.number,
            text: runs.next().map(|r| linked(linker, r)).unwrap_or_default(),
            note: runs.next().map(|r| linked(linker, r)),
            role: s.role.as_deref(),
            clause: s.clause.as_deref().and_then(|c| clause_link(lib, reg, c)),
        };
        match groups.last_mut() {
            Some(g) if g.branch == s.branch.as_deref() => g.steps.push(step),
            _ => groups.push(StepGroup {
                branch: s.branch.as_deref(),
                steps: vec![step],
            }),
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

fn regulation_page(
    lib: &Library,
    theme: &Theme,
    base: &tera::Context,
    index: usize,
) -> Result<OutputFile> {
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

    let labels = Labels {
        copy_link: lib
            .config
            .strings
            .get("copy_link")
            .map_or("#", String::as_str),
    };
    let mut linker = Linker::new(lib, reg);
    let body = markdown::render_body(reg, lib.config.raw_html, &labels, &mut linker);
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
            depths[i] = c
                .parent
                .map_or(0, |p| depths[p] + usize::from(reg.clauses[p].kind.in_toc()));
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
        let rows = reg
            .register_cells
            .iter()
            .flat_map(|row| {
                let linked_row = row
                    .iter()
                    .map(|items| items.iter().map(|r| linked(&mut linker, r)).collect())
                    .collect();
                risk_rows(&rr.columns, linked_row)
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
    // 被引用: where other regulations refer to this one (any clause), grouped by the citing regulation.
    let mut cited = LinkList::new(PAGE_BACKLINKS);
    for r in lib.references_to(&reg.id) {
        if r.from != reg.id {
            cited.push(source_link(lib, r, "../", Some(&reg.id)));
        }
    }
    ctx.insert(
        "cited_by",
        &cited
            .shown
            .iter()
            .map(|(l, h)| serde_json::json!({"label": l, "href": h}))
            .collect::<Vec<_>>(),
    );
    if cited.more() > 0 {
        ctx.insert(
            "cited_by_more",
            &lib.config
                .string("and_more")
                .replace("{n}", &cited.total.to_string()),
        );
    }
    let procedures: Vec<ProcedureCtx> = lib
        .procedures_of(&reg.id)
        .map(|p| procedure_ctx(lib, reg, p, &mut linker))
        .collect();
    ctx.insert("procedures", &procedures);

    if let Some(c) = category {
        let pos = c.regulations.iter().position(|&i| i == index);
        let link = |i: usize| {
            let r = &lib.regulations[i];
            Link {
                title: &r.title,
                href: regulation_href(&r.id),
            }
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
    Ok(OutputFile {
        path: regulation_href(&reg.id),
        bytes: minify(&html),
    })
}

fn category_ctx<'a>(
    lib: &'a Library,
    c: &'a crate::model::Category,
    limit: usize,
) -> CategoryCtx<'a> {
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

/// Page-relative href of a reference target. `up` leads from the page to the site root; `here` is
/// the regulation whose page this is, if any.
pub fn target_href(lib: &Library, target: &Target, up: &str, here: Option<&str>) -> String {
    match target {
        Target::Regulation { id, anchor } => {
            let fragment = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
            if here == Some(id.as_str()) {
                if fragment.is_empty() {
                    "#top".into()
                } else {
                    fragment
                }
            } else {
                format!("{up}{}{fragment}", regulation_href(id))
            }
        }
        Target::Term { term } => {
            let t = lib.terms.iter().find(|t| &t.term == term);
            match t.and_then(|t| t.source.as_deref().map(|s| (s, t.clause.as_deref()))) {
                Some((src, clause)) if lib.regulation(src).is_some() => {
                    let fragment = clause.map(|c| format!("#{c}")).unwrap_or_default();
                    if here == Some(src) {
                        fragment
                    } else {
                        format!("{up}{}{fragment}", regulation_href(src))
                    }
                }
                _ => format!("{up}glossary.html#term-{term}"),
            }
        }
        Target::External { name } => {
            match lib
                .config
                .external
                .get(name)
                .and_then(|d| configured_href(d, up))
            {
                Some(href) => href,
                None => format!("{up}basis.html#ext-{name}"),
            }
        }
        Target::Form { name } => {
            match lib
                .config
                .forms
                .get(name)
                .and_then(|d| configured_href(d, up))
            {
                Some(href) => href,
                None => format!("{up}forms.html#form-{name}"),
            }
        }
    }
}

/// The href of a site.yaml `external:` or `forms:` value: a URL as it is (if the URL policy allows
/// it: site.yaml with any other is refused when loaded), a file under content/ where it is published
/// (files/…); `None` for anything else.
fn configured_href(dest: &str, up: &str) -> Option<String> {
    if url::scheme(dest).is_some() {
        return url::allowed(dest).then(|| dest.to_string());
    }
    let path = files::output_path(dest)?;
    Some(format!("{up}{}", encode_path(&path)))
}

/// A file path as a URL path: the characters that would end or change it (`#`, `?`, `%`, space,
/// quotes …) percent-encoded; other characters, Chinese included, as they are.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_control() || c.is_whitespace() || "#?%\"'<>\\`".contains(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn target_class(target: &Target) -> &'static str {
    match target {
        Target::Regulation { .. } => "xref",
        Target::Term { .. } => "term",
        Target::External { .. } => "cite",
        Target::Form { .. } => "form",
    }
}

/// Where a reference stands, as a link from a page `up` from the root (label, href).
fn source_link(lib: &Library, r: &Reference, up: &str, here: Option<&str>) -> (String, String) {
    let Some(from) = lib.regulation(&r.from) else {
        return (r.from.clone(), String::new());
    };
    let same = here == Some(from.id.as_str());
    let title = match &from.subtitle {
        Some(s) => format!("《{}》（{s}）", from.title),
        None => format!("《{}》", from.title),
    };
    let (what, fragment) = match (&r.origin, &r.clause) {
        (Origin::Body, Some(c)) => (clause_citation(from, c).unwrap_or_default(), c.clone()),
        (Origin::Body, None) => (String::new(), "preamble".to_string()),
        (Origin::RiskRegister, _) => (
            lib.config.string("risk_register"),
            "risk-register".to_string(),
        ),
        (Origin::Procedure { id, step }, _) => {
            let p = lib.procedures.iter().find(|p| &p.id == id);
            let name = p.map_or(id.as_str(), |p| p.title.as_str());
            (
                format!("{name}（{}{}）", lib.config.string("step"), step + 1),
                format!("proc-{id}"),
            )
        }
    };
    let label = match r.origin {
        // A register's title already says what it is.
        Origin::RiskRegister if !same => title,
        _ if same && !what.is_empty() => what,
        _ => format!("{title}{what}"),
    };
    let href = if same {
        format!("#{fragment}")
    } else {
        format!("{up}{}#{fragment}", regulation_href(&from.id))
    };
    (label, href)
}

/// Distinct (label, href) links, the first `cap` of them kept: a regulation cited by thousands must
/// not make its page (or a 术语 page) grow with the size of the handbook. `total` counts them all.
struct LinkList {
    seen: HashSet<(String, String)>,
    shown: Vec<(String, String)>,
    total: usize,
    cap: usize,
}

impl LinkList {
    fn new(cap: usize) -> LinkList {
        LinkList {
            seen: HashSet::new(),
            shown: Vec::new(),
            total: 0,
            cap,
        }
    }

    fn push(&mut self, link: (String, String)) {
        if self.seen.insert(link.clone()) {
            self.total += 1;
            if self.shown.len() < self.cap {
                self.shown.push(link);
            }
        }
    }

    fn more(&self) -> usize {
        self.total - self.shown.len()
    }
}

/// How many citing places a page lists (per clause, per regulation, per cited document or term).
const CLAUSE_BACKLINKS: usize = 10;
const PAGE_BACKLINKS: usize = 50;
const ENTRY_CITATIONS: usize = 50;

/// Writes text runs with their references as links, from the spans the analysis stored.
struct Linker<'a> {
    lib: &'a Library,
    reg: &'a Regulation,
    /// Clause anchor → backlinks HTML.
    backlinks: HashMap<String, String>,
}

impl<'a> Linker<'a> {
    fn new(lib: &'a Library, reg: &'a Regulation) -> Linker<'a> {
        let mut by_anchor: BTreeMap<&str, LinkList> = BTreeMap::new();
        for r in lib.references_to(&reg.id) {
            let Target::Regulation {
                anchor: Some(a), ..
            } = &r.target
            else {
                continue;
            };
            if r.from == reg.id && r.clause.as_deref() == Some(a.as_str()) {
                continue;
            }
            let link = source_link(lib, r, "../", Some(&reg.id));
            by_anchor
                .entry(a.as_str())
                .or_insert_with(|| LinkList::new(CLAUSE_BACKLINKS))
                .push(link);
        }
        let cited_by = lib.config.string("cited_by");
        let backlinks = by_anchor
            .into_iter()
            .map(|(a, links)| {
                let mut html = format!(
                    "<p class=\"backlinks\"><span class=\"backlinks-label\">{}：</span>",
                    escape(&cited_by)
                );
                for (i, (label, href)) in links.shown.iter().enumerate() {
                    if i > 0 {
                        html.push('、');
                    }
                    let _ = write!(html, "<a href=\"{}\">{}</a>", escape(href), escape(label));
                }
                if links.more() > 0 {
                    let _ = write!(
                        html,
                        "<span class=\"more\">{}</span>",
                        escape(
                            &lib.config
                                .string("and_more")
                                .replace("{n}", &links.total.to_string())
                        )
                    );
                }
                html.push_str("</p>");
                (a.to_string(), html)
            })
            .collect();
        Linker {
            lib,
            reg,
            backlinks,
        }
    }

    fn link_html(&self, text: &str, target: &Target, out: &mut String) {
        let href = target_href(self.lib, target, "../", Some(&self.reg.id));
        let title = match target {
            Target::External { .. } => Some(self.lib.config.string("external_citation")),
            Target::Form { .. } => Some(self.lib.config.string("form_reference")),
            Target::Term { .. } => Some(self.lib.config.string("term_reference")),
            Target::Regulation { .. } => None,
        };
        let _ = write!(
            out,
            "<a class=\"{}\" href=\"{}\"",
            target_class(target),
            escape(&href)
        );
        if let Some(t) = title {
            let _ = write!(out, " title=\"{}\"", escape(&t));
        }
        out.push('>');
        escape_into(text, out);
        out.push_str("</a>");
    }
}

impl Links for Linker<'_> {
    fn run(&mut self, run: &Run, out: &mut String) {
        let mut last = 0;
        for span in &run.spans {
            escape_into(&run.text[last..span.range.start], out);
            let piece = &run.text[span.range.clone()];
            match &span.target {
                Some(target) => self.link_html(piece, target, out),
                // What the analysis could not resolve stays plain text (it was reported).
                None => escape_into(piece, out),
            }
            last = span.range.end;
        }
        escape_into(&run.text[last..], out);
    }

    fn href(&mut self, to: &LinkTo) -> String {
        match to {
            LinkTo::Url(u) => u.clone(),
            LinkTo::Target(target) => target_href(self.lib, target, "../", Some(&self.reg.id)),
            LinkTo::Unresolved | LinkTo::Dropped => "#".into(),
        }
    }

    fn after_clause_head(&mut self, anchor: &str, out: &mut String) {
        if let Some(html) = self.backlinks.get(anchor) {
            out.push_str(html);
        }
    }
}

/// Render a short text (a table cell, a procedure step) with its references linked.
fn linked(linker: &mut Linker, run: &Run) -> String {
    let mut out = String::new();
    linker.run(run, &mut out);
    out
}

#[derive(Serialize)]
struct RefEntry {
    name: String,
    /// As shown: 《title》, or a document number as it is (中保委〔2004〕7号).
    display: String,
    id: String,
    href: Option<String>,
    definition: Option<String>,
    source: Option<(String, String)>,
    aliases: Vec<String>,
    citations: Vec<(String, String)>,
    /// "等，共 N 处" when more places cite it than are listed.
    more: Option<String>,
}

/// The 依据文件, 表单 and 术语 pages: every cited document, form and term with where it is used.
fn reference_pages(lib: &Library, theme: &Theme) -> Result<Vec<OutputFile>> {
    let mut externals: BTreeMap<&str, LinkList> = BTreeMap::new();
    let mut forms: BTreeMap<&str, LinkList> = BTreeMap::new();
    let mut terms: HashMap<&str, LinkList> = HashMap::new();
    for r in &lib.references {
        let list = match &r.target {
            Target::External { name } => externals.entry(name),
            Target::Form { name } => forms.entry(name),
            Target::Term { term } => {
                terms
                    .entry(term)
                    .or_insert_with(|| LinkList::new(ENTRY_CITATIONS))
                    .push(source_link(lib, r, "", None));
                continue;
            }
            Target::Regulation { .. } => continue,
        };
        list.or_insert_with(|| LinkList::new(ENTRY_CITATIONS))
            .push(source_link(lib, r, "", None));
    }
    let entries = |map: BTreeMap<&str, LinkList>,
                   configured: &BTreeMap<String, String>,
                   prefix: &str|
     -> Vec<RefEntry> {
        map.into_iter()
            .map(|(name, list)| RefEntry {
                name: name.to_string(),
                display: if name.contains('〔') {
                    name.to_string()
                } else {
                    format!("《{name}》")
                },
                id: format!("{prefix}{name}"),
                href: configured.get(name).and_then(|d| configured_href(d, "")),
                definition: None,
                source: None,
                aliases: Vec::new(),
                more: (list.more() > 0).then(|| {
                    lib.config
                        .string("and_more")
                        .replace("{n}", &list.total.to_string())
                }),
                citations: list.shown,
            })
            .collect()
    };
    let mut out = Vec::new();
    let pages = [
        (
            "basis.html",
            "basis_page",
            "basis_intro",
            entries(externals, &lib.config.external, "ext-"),
        ),
        (
            "forms.html",
            "forms_page",
            "forms_intro",
            entries(forms, &lib.config.forms, "form-"),
        ),
        (
            "glossary.html",
            "glossary_page",
            "glossary_intro",
            lib.terms
                .iter()
                .map(|t| RefEntry {
                    name: t.term.clone(),
                    display: t.term.clone(),
                    id: format!("term-{}", t.term),
                    href: None,
                    definition: t.definition.clone(),
                    source: t
                        .source
                        .as_deref()
                        .and_then(|s| lib.regulation(s))
                        .map(|r| {
                            let what = t
                                .clause
                                .as_deref()
                                .and_then(|c| clause_citation(r, c))
                                .unwrap_or_default();
                            let fragment = t
                                .clause
                                .as_deref()
                                .map(|c| format!("#{c}"))
                                .unwrap_or_default();
                            (
                                format!("《{}》{what}", r.title),
                                format!("{}{fragment}", regulation_href(&r.id)),
                            )
                        }),
                    aliases: t.aliases.clone(),
                    more: terms
                        .get(t.term.as_str())
                        .filter(|l| l.more() > 0)
                        .map(|l| {
                            lib.config
                                .string("and_more")
                                .replace("{n}", &l.total.to_string())
                        }),
                    citations: terms
                        .remove(t.term.as_str())
                        .map(|l| l.shown)
                        .unwrap_or_default(),
                })
                .collect(),
        ),
    ];
    for (path, title_key, intro_key, list) in pages {
        let mut ctx = base_context(lib, "", None);
        ctx.insert("page_kind", title_key);
        ctx.insert("page_title", &lib.config.string(title_key));
        ctx.insert("page_intro", &lib.config.string(intro_key));
        ctx.insert("entries", &list);
        let html = theme.render("references.html", &ctx)?;
        out.push(OutputFile {
            path: path.to_string(),
            bytes: minify(&html),
        });
    }
    Ok(out)
}

/// Render every page. Regulation pages are rendered in parallel; the order of the result is fixed.
pub fn render_all(lib: &Library, theme: &Theme) -> Result<Vec<OutputFile>> {
    let sub = base_context(lib, "../", None);
    let mut files: Vec<OutputFile> = (0..lib.regulations.len())
        .into_par_iter()
        .map(|i| regulation_page(lib, theme, &sub, i))
        .collect::<Result<_>>()?;
    files.extend(reference_pages(lib, theme)?);
    // Files that site.yaml maps forms and cited documents to, as checked when loading
    // (src/content/files.rs): regular files inside the site, never a source of the handbook.
    for f in &lib.config.copied {
        if !f.output.starts_with("files/") {
            continue;
        }
        let bytes = f.read().map_err(|source| Error::Read {
            path: f.source.clone(),
            source,
        })?;
        files.push(OutputFile {
            path: f.output.clone(),
            bytes,
        });
    }

    let cats: Vec<Result<OutputFile>> = lib
        .categories
        .par_iter()
        .map(|c| {
            let mut ctx = base_context(lib, "../", Some(&c.id));
            ctx.insert("page_kind", "category");
            ctx.insert("c", &category_ctx(lib, c, usize::MAX));
            let html = theme.render("category.html", &ctx)?;
            Ok(OutputFile {
                path: category_href(&c.id),
                bytes: minify(&html),
            })
        })
        .collect();
    for c in cats {
        files.push(c?);
    }

    let mut ctx = base_context(lib, "", None);
    ctx.insert("page_kind", "home");
    let cats: Vec<CategoryCtx> = lib
        .categories
        .iter()
        .map(|c| category_ctx(lib, c, HOME_LIMIT))
        .collect();
    ctx.insert("categories", &cats);
    ctx.insert(
        "totals",
        &serde_json::json!({"documents": lib.regulations.len(), "clauses": lib.clause_count()}),
    );
    files.push(OutputFile {
        path: "index.html".into(),
        bytes: minify(&theme.render("index.html", &ctx)?),
    });

    // The 404 page is served for any missing path, so its links must not be relative to where it is.
    // Served at the site root unless base_path says otherwise (file:// never shows a 404 page).
    let root = if lib.config.base_path.is_empty() {
        "/".to_string()
    } else {
        lib.config.base_path.clone()
    };
    let mut ctx = base_context(lib, &root, None);
    ctx.insert("page_kind", "not-found");
    files.push(OutputFile {
        path: "404.html".into(),
        bytes: minify(&theme.render("404.html", &ctx)?),
    });

    for (name, bytes) in &theme.assets {
        files.push(OutputFile {
            path: format!("assets/{name}"),
            bytes: bytes.clone(),
        });
    }
    Ok(files)
}
