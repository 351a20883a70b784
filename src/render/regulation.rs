//! The page of each regulation: its body with clause anchors and links, table of contents, risk
//! register, procedures, backlinks, and previous/next.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::checklists::checklist_href;
use super::context;
use super::links::{
    CLAUSE_BACKLINKS, LinkList, PAGE_BACKLINKS, category_href, linkable, preview_attrs,
    regulation_href, regulation_path, source_link, target_class, target_href,
};
use super::markdown::{self, Links, attr_into, text_into};
use super::minify;
use super::theme::Theme;
use crate::error::Result;
use crate::model::{
    Library, LinkTo, Procedure, ProcedureKind, RISK_POINT_COLUMN, Regulation, Run, Target,
    group_heads,
};
use crate::output::write::Sink;

#[derive(Serialize)]
struct TocEntry<'a> {
    anchor: &'a str,
    label: &'a str,
    caption: String,
    /// The clause's kind (`article` …), or `heading` for a heading that opens no clause.
    kind: &'static str,
    /// A titled clause that heads a group below an article (发展党员's （一）申请入党阶段).
    stage: bool,
    depth: usize,
    /// On a long law's contents: how many entries this top-level part (编, 章) holds, which fold
    /// under it (0: it holds none, or the contents are short and nothing folds).
    group: usize,
    /// The last entry of a folding part: the fold closes after it.
    group_end: bool,
}

/// Contents longer than this fold each top-level part (编 or 章) under its heading.
const TOC_FOLD_AFTER: usize = 60;

/// On long contents, fold the entries under each top-level division (编, 分编 or 章 at depth 0)
/// that has entries below it: the head counts them, the last one closes the fold.
fn fold_toc(toc: &mut [TocEntry]) {
    if toc.len() <= TOC_FOLD_AFTER {
        return;
    }
    let heads: Vec<usize> = (0..toc.len())
        .filter(|&i| {
            toc[i].depth == 0 && matches!(toc[i].kind, "book" | "subbook" | "chapter" | "division")
        })
        .collect();
    for &h in &heads {
        // The part's entries run to the next depth-0 entry.
        let end = (h + 1..toc.len())
            .find(|&i| toc[i].depth == 0)
            .unwrap_or(toc.len());
        if end > h + 1 {
            toc[h].group = end - h - 1;
            toc[end - 1].group_end = true;
        }
    }
}

#[derive(Serialize)]
pub(crate) struct ClauseLink {
    href: String,
    label: String,
}

#[derive(Serialize)]
pub(crate) struct StepCtx<'a> {
    number: Option<u32>,
    /// HTML, references linked.
    text: String,
    note: Option<String>,
    role: Option<&'a str>,
    clause: Option<ClauseLink>,
}

#[derive(Serialize)]
pub(crate) struct StepGroup<'a> {
    branch: Option<String>,
    steps: Vec<StepCtx<'a>>,
}

#[derive(Serialize)]
pub(crate) struct ConstraintCtx<'a> {
    text: &'a str,
    role: Option<&'a str>,
    clause: Option<ClauseLink>,
}

#[derive(Serialize)]
pub(crate) struct ProcedureCtx<'a> {
    id: &'a str,
    title: &'a str,
    /// A procedure written from clauses: the page already shows them, so only its checklist is
    /// linked.
    text_procedure: bool,
    checklist: String,
    editorial_order: bool,
    order_note: Option<&'a str>,
    clause: Option<ClauseLink>,
    risk_point: Option<RiskLink>,
    groups: Vec<StepGroup<'a>>,
    constraints: Vec<ConstraintCtx<'a>>,
}

#[derive(Serialize)]
pub(crate) struct Cell<'a> {
    column: &'a str,
    /// Items as HTML, references linked.
    items: Vec<String>,
    /// A risk point's anchor (`risk-N`), and the procedures that guard it.
    id: Option<String>,
    procedures: Vec<ProcLink>,
    rowspan: usize,
}

/// In a risk register each risk point (廉政风险点) is a table row. Its 具体表现形式 go on the same rows
/// only where the original numbers them one to one with the risk points; every other cell spans the
/// rows, because the original does not say which item belongs to which risk point.
const KEY_COLUMN: &str = RISK_POINT_COLUMN;

const PAIRED_COLUMN: &str = "具体表现形式";

fn risk_rows<'a>(columns: &'a [String], linked_row: Vec<Vec<String>>) -> Vec<Vec<Cell<'a>>> {
    split_cells(columns, linked_row)
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|(i, items, rowspan)| Cell {
                    column: &columns[i],
                    items,
                    id: None,
                    procedures: Vec::new(),
                    rowspan,
                })
                .collect()
        })
        .collect()
}

/// One register row split into table rows (see [`KEY_COLUMN`]): each table row's cells as (column
/// index, items, rows spanned); a spanning cell is on its first row only.
fn split_cells<T: Default>(
    columns: &[String],
    linked_row: Vec<Vec<T>>,
) -> Vec<Vec<(usize, Vec<T>, usize)>> {
    let count = |name: &str| {
        columns
            .iter()
            .position(|c| c == name)
            .map(|i| linked_row[i].len())
    };
    let n = count(KEY_COLUMN).filter(|&n| n > 1).unwrap_or(1);
    let paired = n > 1 && count(PAIRED_COLUMN) == Some(n);
    let split = |col: &str| n > 1 && (col == KEY_COLUMN || (paired && col == PAIRED_COLUMN));
    let mut linked_row: Vec<Option<Vec<T>>> = linked_row.into_iter().map(Some).collect();
    let mut split_items: Vec<Vec<T>> = columns
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
                        Some((i, vec![item], 1))
                    } else if r == 0 {
                        Some((i, linked_row[i].take().unwrap_or_default(), n))
                    } else {
                        None
                    }
                })
                .collect()
        })
        .collect()
}

/// [`split_cells`] for the print edition: (items, rows spanned) for each cell of each table row.
#[cfg(feature = "pdf")]
pub(crate) fn split_register_row<T: Default>(
    columns: &[String],
    row: Vec<Vec<T>>,
) -> Vec<Vec<(Vec<T>, usize)>> {
    split_cells(columns, row)
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|(_, items, span)| (items, span))
                .collect()
        })
        .collect()
}

/// A procedure as linked from a risk point: on its regulation's page, and its checklist.
#[derive(Serialize)]
pub(crate) struct ProcLink {
    title: String,
    href: String,
    checklist: String,
}

/// The risk point a procedure guards, as a link from its regulation's page.
#[derive(Serialize)]
pub(crate) struct RiskLink {
    label: String,
    href: String,
}

fn risk_link(
    lib: &Library,
    from: &Regulation,
    reference: &str,
    linker: &Linker,
) -> Option<RiskLink> {
    let text = lib.risk_point(reference)?;
    let (id, anchor) = reference.split_once('#')?;
    let target = lib.regulation(id)?;
    Some(RiskLink {
        label: format!("{}{}{text}", target.title, lib.config.string("colon")),
        href: if linker.print {
            print_href(id, Some(anchor))
        } else if target.id == from.id {
            format!("#{anchor}")
        } else {
            format!(
                "{}#{anchor}",
                regulation_href(id).trim_start_matches("regulations/")
            )
        },
    })
}

/// Give each risk point cell its anchor (`risk-N`, counted through the register) and the
/// procedures whose `risk_point:` names it.
fn anchor_risk_points(lib: &Library, reg: &Regulation, rows: &mut [Vec<Cell>], linker: &Linker) {
    let mut n = 0;
    for cell in rows.iter_mut().flatten() {
        if cell.column != RISK_POINT_COLUMN || cell.items.is_empty() {
            continue;
        }
        n += 1;
        let anchor = format!("risk-{n}");
        let wanted = format!("{}#{anchor}", reg.id);
        cell.procedures = lib
            .procedures
            .iter()
            .filter(|p| p.risk_point.as_deref() == Some(wanted.as_str()))
            .map(|p| ProcLink {
                title: p.title.clone(),
                href: if linker.print {
                    print_href(&p.regulation, Some(&format!("proc-{}", p.id)))
                } else if p.regulation == reg.id {
                    format!("#proc-{}", p.id)
                } else {
                    format!(
                        "{}#proc-{}",
                        regulation_href(&p.regulation).trim_start_matches("regulations/"),
                        p.id
                    )
                },
                checklist: format!("{}{}", linker.root(), checklist_href(&p.id)),
            })
            .collect();
        cell.id = Some(if linker.print {
            print_id(&reg.id, Some(&anchor))
        } else {
            anchor
        });
    }
}

#[derive(Serialize)]
pub(crate) struct RiskCtx<'a> {
    unit: Option<&'a str>,
    filled_by_label: String,
    filled_by: Option<&'a str>,
    date: Option<&'a str>,
    groups: &'a [crate::model::ColumnGroup],
    columns: &'a [String],
    rows: Vec<Vec<Cell<'a>>>,
}

#[derive(Serialize)]
struct Link<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    href: String,
}

/// The regulations in the order the handbook is read (categories depth-first, as printed), for
/// previous/next: a reader goes on into the next category instead of hitting its end.
pub(crate) struct ReadingSequence {
    order: Vec<usize>,
    /// Regulation index → its place in `order`.
    at: Vec<usize>,
}

impl ReadingSequence {
    pub(crate) fn new(lib: &Library) -> ReadingSequence {
        let order: Vec<usize> = super::print::reading_order(lib)
            .into_iter()
            .flat_map(|(c, _)| lib.categories[c].regulations.iter().copied())
            .collect();
        let mut at = vec![usize::MAX; lib.regulations.len()];
        for (k, &i) in order.iter().enumerate() {
            at[i] = k;
        }
        ReadingSequence { order, at }
    }

    fn neighbours(&self, index: usize) -> (Option<usize>, Option<usize>) {
        match self.at.get(index).copied().filter(|&k| k != usize::MAX) {
            Some(k) => (
                k.checked_sub(1).map(|p| self.order[p]),
                self.order.get(k + 1).copied(),
            ),
            None => (None, None),
        }
    }
}

/// Resolve a procedure's clause reference (`anchor` or `regulation#anchor`) to a link from the page of
/// `from` (or, printing, within the print page).
fn clause_link(
    lib: &Library,
    from: &Regulation,
    reference: &str,
    linker: &Linker,
) -> Option<ClauseLink> {
    let (target, anchor) = match reference.split_once('#') {
        Some((id, a)) => (lib.regulation(id)?, a),
        None => (from, reference),
    };
    let label = target.citation(anchor)?;
    let same = std::ptr::eq(target, from);
    Some(ClauseLink {
        href: if linker.print {
            print_href(&target.id, Some(anchor))
        } else if same {
            format!("#{anchor}")
        } else {
            format!("{}.html#{anchor}", target.id)
        },
        label: if same {
            label
        } else {
            format!("{}{label}", lib.config.quoted(&target.title))
        },
    })
}

/// The in-page href of a regulation (or one of its anchors) on the print page.
pub(crate) fn print_href(id: &str, anchor: Option<&str>) -> String {
    format!("#{}", print_id(id, anchor))
}

/// The id of a regulation (or one of its anchors) on the print page: unique across regulations.
pub(crate) fn print_id(id: &str, anchor: Option<&str>) -> String {
    match anchor {
        Some(a) => format!("{id}--{a}"),
        None => id.to_string(),
    }
}

/// A lane's name, or the alternative a step is on (the choices' labels): what groups steps.
pub(crate) fn step_branch(lib: &Library, p: &Procedure, s: &crate::model::Step) -> Option<String> {
    s.branch.clone().or_else(|| {
        (!s.when.is_empty()).then(|| {
            lib.config
                .string("checklist_if")
                .replace("{choice}", &p.when_label(&s.when))
        })
    })
}

pub(crate) fn procedure_ctx<'a>(
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
            clause: s
                .clause
                .as_deref()
                .and_then(|c| clause_link(lib, reg, c, linker)),
        };
        let branch = step_branch(lib, p, s);
        match groups.last_mut() {
            Some(g) if g.branch == branch => g.steps.push(step),
            _ => groups.push(StepGroup {
                branch,
                steps: vec![step],
            }),
        }
    }
    ProcedureCtx {
        id: &p.id,
        title: &p.title,
        text_procedure: p.kind == ProcedureKind::Text,
        checklist: format!("{}{}", linker.root(), checklist_href(&p.id)),
        editorial_order: p.editorial_order,
        order_note: p.order_note.as_deref(),
        clause: p
            .clause
            .as_deref()
            .and_then(|c| clause_link(lib, reg, c, linker)),
        risk_point: p
            .risk_point
            .as_deref()
            .and_then(|r| risk_link(lib, reg, r, linker)),
        groups,
        constraints: p
            .constraints
            .iter()
            .map(|c| ConstraintCtx {
                text: &c.text,
                role: c.role.as_deref(),
                clause: c
                    .clause
                    .as_deref()
                    .and_then(|x| clause_link(lib, reg, x, linker)),
            })
            .collect(),
    }
}

pub(crate) fn regulation_page(
    lib: &Library,
    theme: &Theme,
    base: &tera::Context,
    navs: &context::NavCache,
    sequence: &ReadingSequence,
    index: usize,
    sink: &dyn Sink,
) -> Result<()> {
    let reg = &lib.regulations[index];
    let category = lib.category(&reg.category);
    let mut ctx = base.clone();
    ctx.insert("page_kind", "regulation");
    ctx.insert("nav", navs.get(&reg.category));

    let mut linker = Linker::new(lib, reg);
    let body = markdown::render_body(reg, lib.config.raw_html, &mut linker);
    // The body, most of the page, is written minified already: the page is minified around a
    // placeholder and the body put in its place.
    ctx.insert("body", minify::body_token());

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
    ctx.insert("life", &super::revisions::lifecycle_ctx(lib, reg, "../"));
    let ancestors: Vec<context::CategoryLink> = lib
        .category_index(&reg.category)
        .map(|i| lib.ancestors(i))
        .unwrap_or_default()
        .into_iter()
        .map(|a| context::category_link(&lib.categories[a]))
        .collect();
    ctx.insert(
        "category",
        &serde_json::json!({
            "title": category.map_or(reg.category.as_str(), |c| c.title.as_str()),
            "href": category_href(&reg.category),
            "ancestors": ancestors,
        }),
    );
    let mut depths = vec![0usize; reg.clauses.len()];
    let listed: Vec<bool> = group_heads(&reg.clauses)
        .into_iter()
        .zip(&reg.clauses)
        .map(|(head, c)| head || c.kind.in_toc())
        .collect();
    let toc: Vec<TocEntry> = reg
        .clauses
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            depths[i] = c.parent.map_or(0, |p| depths[p] + usize::from(listed[p]));
            listed[i].then(|| TocEntry {
                anchor: &c.anchor,
                label: &c.label,
                caption: c.toc_caption(),
                kind: c.kind.name(),
                stage: !c.kind.in_toc(),
                depth: depths[i],
                group: 0,
                group_end: false,
            })
        })
        .collect();
    let toc = with_headings(reg, toc);
    let mut toc = toc;
    fold_toc(&mut toc);
    ctx.insert("toc", &toc);

    if let Some(risk) = risk_ctx(lib, reg, &mut linker) {
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
    // 涉及岗位: the roles this regulation gives duties to (its text, register and procedures), each
    // linked to its duties here on the role's page.
    // A role named only in a procedure's steps has no group of this regulation on its page: the
    // link goes to its steps.
    let mut involved: Vec<(usize, usize, bool)> = Vec::new();
    for d in lib.duties_in(index) {
        let text = !matches!(d.place, crate::model::DutyPlace::Step { .. });
        match involved.iter_mut().find(|(r, _, _)| *r == d.role) {
            Some((_, n, t)) => {
                *n += 1;
                *t |= text;
            }
            None => involved.push((d.role, 1, text)),
        }
    }
    ctx.insert(
        "roles_involved",
        &involved
            .iter()
            .map(|&(r, n, text)| {
                let role = &lib.roles[r];
                let href = if text {
                    super::roles::role_group_href(role, &reg.id, "../")
                } else {
                    format!("../{}#steps", super::links::role_href(&role.id))
                };
                serde_json::json!({"name": role.name, "href": href, "count": n})
            })
            .collect::<Vec<_>>(),
    );
    let procedures: Vec<ProcedureCtx> = lib
        .procedures_of(&reg.id)
        .map(|p| procedure_ctx(lib, reg, p, &mut linker))
        .collect();
    ctx.insert("procedures", &procedures);

    let link = |i: usize| {
        let r = &lib.regulations[i];
        Link {
            title: &r.title,
            subtitle: r.subtitle.as_deref(),
            href: regulation_href(&r.id),
        }
    };
    let (prev, next) = sequence.neighbours(index);
    if let Some(p) = prev {
        ctx.insert("prev", &link(p));
    }
    if let Some(n) = next {
        ctx.insert("next", &link(n));
    }
    let html = theme.render("regulation.html", &ctx)?;
    let page = minify::page_with_body(&html, &body);
    // The version the regulation's own address shows on the build's day is written there too:
    // the same page (its links are relative to the same folder) at the address of the regulation
    // as a whole.
    if let Some(address) = lib.whole_address(index) {
        sink.put(&regulation_path(address), &page)?;
    }
    sink.put(&regulation_path(&reg.id), &page)
}

/// The page's contents with its anchored headings (those that open no clause) in document order
/// among the clauses' entries: an English page of Markdown headings gets its contents too. A page
/// without such headings keeps the clauses' list as it is.
fn with_headings<'a>(reg: &'a Regulation, clauses: Vec<TocEntry<'a>>) -> Vec<TocEntry<'a>> {
    if !reg.doc.blocks.iter().any(|b| b.anchor.is_some()) {
        return clauses;
    }
    let mut clauses = clauses.into_iter().peekable();
    let mut out = Vec::new();
    for b in &reg.doc.blocks {
        if let (Some(ci), true) = (b.clause, b.opens) {
            // The listed clauses come in the order of the blocks opening them.
            let anchor = &reg.clauses[ci].anchor;
            if clauses.peek().is_some_and(|e| e.anchor == anchor) {
                out.extend(clauses.next());
            }
        }
        if let (Some(anchor), crate::model::BlockKind::Heading(level)) = (&b.anchor, b.kind) {
            out.push(TocEntry {
                anchor,
                label: "",
                caption: b.text(),
                kind: "heading",
                stage: false,
                depth: (level as usize).saturating_sub(2),
                group: 0,
                group_end: false,
            });
        }
    }
    out.extend(clauses);
    out
}

/// The risk register of `reg` with its cells linked and its risk points anchored, if it has one.
pub(crate) fn risk_ctx<'a>(
    lib: &Library,
    reg: &'a Regulation,
    linker: &mut Linker,
) -> Option<RiskCtx<'a>> {
    let rr = reg.risk_register.as_ref()?;
    let mut rows: Vec<Vec<Cell>> = reg
        .register_cells
        .iter()
        .flat_map(|row| {
            let linked_row = row
                .iter()
                .map(|items| items.iter().map(|r| linked(linker, r)).collect())
                .collect();
            risk_rows(&rr.columns, linked_row)
        })
        .collect();
    anchor_risk_points(lib, reg, &mut rows, linker);
    Some(RiskCtx {
        unit: rr.unit.as_deref(),
        filled_by_label: rr
            .filled_by_label
            .clone()
            .unwrap_or_else(|| lib.config.string("filled_by")),
        filled_by: rr.filled_by.as_deref(),
        date: rr.date.as_deref(),
        groups: &rr.groups,
        columns: &rr.columns,
        rows,
    })
}

/// Writes text runs with their references as links, from the spans the analysis stored.
pub(crate) struct Linker<'a> {
    lib: &'a Library,
    reg: &'a Regulation,
    /// Clause anchor → backlinks HTML.
    backlinks: HashMap<String, String>,
    /// Writing for the print page: ids made unique, references to regulations in-page, no backlinks.
    print: bool,
}

impl<'a> Linker<'a> {
    /// For the print page (print.html at the site root): every regulation on one page, so anchors
    /// carry the regulation's id and references to regulations stay on the page.
    pub(crate) fn for_print(lib: &'a Library, reg: &'a Regulation) -> Linker<'a> {
        Linker {
            lib,
            reg,
            backlinks: HashMap::new(),
            print: true,
        }
    }

    /// The way from the page being written to the site root.
    fn root(&self) -> &'static str {
        if self.print { "" } else { "../" }
    }

    /// The href of a reference target from where this linker writes.
    fn target_href(&self, target: &Target) -> String {
        if self.print {
            match target {
                Target::Regulation { id, anchor } if self.lib.regulation(id).is_some() => {
                    return print_href(id, anchor.as_deref());
                }
                Target::Term { term } => {
                    let t = self.lib.terms.iter().find(|t| &t.term == term);
                    if let Some(src) = t.and_then(|t| t.source.as_deref())
                        && self.lib.regulation(src).is_some()
                    {
                        return print_href(src, t.and_then(|t| t.clause.as_deref()));
                    }
                }
                _ => {}
            }
            return target_href(self.lib, target, "", None);
        }
        target_href(self.lib, target, "../", Some(&self.reg.id))
    }

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
                let mut html = String::from("<p class=backlinks><span class=backlinks-label>");
                text_into(&cited_by, &mut html);
                text_into(&lib.config.string("colon"), &mut html);
                html.push_str("</span>");
                for (i, (label, href)) in links.shown.iter().enumerate() {
                    if i > 0 {
                        text_into(&lib.config.string("list_sep"), &mut html);
                    }
                    html.push_str("<a");
                    attr_into("href", href, &mut html);
                    // A clause of this regulation reads 七、: named in full for a screen reader.
                    if !label.starts_with('《') {
                        attr_into(
                            "aria-label",
                            &format!("{}{label}", lib.config.quoted(&reg.title)),
                            &mut html,
                        );
                    }
                    html.push('>');
                    text_into(label, &mut html);
                    html.push_str("</a>");
                }
                if links.more() > 0 {
                    html.push_str("<span class=more>");
                    text_into(
                        &lib.config
                            .string("and_more")
                            .replace("{n}", &links.total.to_string()),
                        &mut html,
                    );
                    html.push_str("</span>");
                }
                html.push_str("</p>");
                (a.to_string(), html)
            })
            .collect();
        Linker {
            lib,
            reg,
            backlinks,
            print: false,
        }
    }

    fn link_html(&self, text: &str, target: &Target, out: &mut String) {
        let href = self.target_href(target);
        let title = match target {
            Target::External { .. } => Some(self.lib.config.string("external_citation")),
            Target::Form { .. } => Some(self.lib.config.string("form_reference")),
            Target::Term { .. } => Some(self.lib.config.string("term_reference")),
            Target::Role { .. } => Some(self.lib.config.string("role_reference")),
            Target::Regulation { .. } => None,
        };
        out.push_str("<a");
        attr_into("class", target_class(target), out);
        attr_into("href", &href, out);
        preview_attrs(self.lib, target, out);
        if let Some(t) = title {
            attr_into("title", &t, out);
        }
        out.push('>');
        text_into(text, out);
        out.push_str("</a>");
    }
}

impl Links for Linker<'_> {
    fn run(&mut self, run: &Run, out: &mut String) {
        let mut last = 0;
        for span in &run.spans {
            text_into(&run.text[last..span.range.start], out);
            let piece = &run.text[span.range.clone()];
            match &span.target {
                Some(target) if linkable(self.lib, target) => self.link_html(piece, target, out),
                // What the analysis could not resolve stays plain text (it was reported); so does
                // a role that has no page (all its duties 待确认).
                _ => text_into(piece, out),
            }
            last = span.range.end;
        }
        text_into(&run.text[last..], out);
    }

    fn href(&mut self, to: &LinkTo) -> String {
        match to {
            // On the print page an in-page anchor is the regulation's, and a relative address was
            // written relative to the regulation's page (under regulations/).
            LinkTo::Url(u) if self.print => match u.strip_prefix('#') {
                Some(a) => print_href(&self.reg.id, Some(a)),
                None if crate::url::scheme(u).is_none() && !u.starts_with('/') => {
                    format!("regulations/{u}")
                }
                None => u.clone(),
            },
            LinkTo::Url(u) => u.clone(),
            LinkTo::Site(path) => format!("{}{path}", self.root()),
            LinkTo::Target(target) => self.target_href(target),
            LinkTo::Unresolved | LinkTo::Dropped => "#".into(),
        }
    }

    fn id<'b>(&self, anchor: &'b str) -> std::borrow::Cow<'b, str> {
        if self.print {
            print_id(&self.reg.id, Some(anchor)).into()
        } else {
            anchor.into()
        }
    }

    fn after_clause_head(&mut self, anchor: &str, out: &mut String) {
        if let Some(html) = self.backlinks.get(anchor) {
            out.push_str(html);
        }
    }
}

/// Render a short text (a table cell, a procedure step) with its references linked.
pub(crate) fn linked(linker: &mut Linker, run: &Run) -> String {
    let mut out = String::new();
    linker.run(run, &mut out);
    out
}
