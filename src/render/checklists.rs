//! Checklist pages: one per procedure (`checklists/<id>.html`), each step a real checkbox with its
//! role, governing clause, forms and time limit, the conditions that choose among alternative paths,
//! and the standing rules beside the steps; and an index (`checklists/index.html`) by category and
//! by role. Ticking, runs, export and printing are done by `checklist.js` in the browser; without a
//! script the page reads and prints as a list.

use rayon::prelude::*;
use serde::Serialize;

use super::context::base_context;
use super::links::{
    encode_segment, linkable, preview_attrs, regulation_href, target_class, target_href,
};
use super::markdown::{attr_into, text_into};
use super::minify::page;
use super::theme::Theme;
use crate::error::Result;
use crate::model::{Library, Procedure, ProcedureKind, Regulation, Run, Target};
use crate::output::write::Sink;

/// Where a procedure's checklist is written.
pub fn checklist_path(id: &str) -> String {
    format!("checklists/{id}.html")
}

/// The href of a procedure's checklist from the site root (percent-encoded).
pub fn checklist_href(id: &str) -> String {
    format!("checklists/{}.html", encode_segment(id))
}

/// The role page (`roles/<role-id>.html`, src/render/roles.rs) of a role named in a procedure, as
/// an href from a checklist page; `None` for a name roles.yaml does not know.
pub(crate) fn role_href(lib: &Library, role: &str) -> Option<String> {
    lib.role_by_name(role)
        .filter(|&i| super::roles::has_page(lib, i))
        .map(|i| format!("../{}", super::links::role_href(&lib.roles[i].id)))
}

#[derive(Serialize)]
pub(crate) struct Link {
    pub(crate) label: String,
    pub(crate) href: String,
}

#[derive(Serialize)]
struct RoleCtx<'a> {
    name: &'a str,
    href: Option<String>,
}

#[derive(Serialize)]
struct StepCtx<'a> {
    id: &'a str,
    number: Option<u32>,
    /// HTML, references linked.
    text: String,
    note: Option<String>,
    role: Option<RoleCtx<'a>>,
    clause: Option<Link>,
    /// From a flowchart box (no clause states it).
    from_box: bool,
    forms: Vec<Link>,
    time_limit: Option<&'a str>,
    /// Choice ids, space-separated (the script shows the step only when one is taken).
    when: String,
}

#[derive(Serialize)]
struct GroupCtx<'a> {
    heading: Option<String>,
    when: String,
    steps: Vec<StepCtx<'a>>,
}

#[derive(Serialize)]
struct ChoiceCtx<'a> {
    id: &'a str,
    label: &'a str,
    max: Option<f64>,
    under: Option<f64>,
}

#[derive(Serialize)]
struct ConditionCtx<'a> {
    id: &'a str,
    question: &'a str,
    unit: Option<&'a str>,
    when: String,
    clause: Option<Link>,
    choices: Vec<ChoiceCtx<'a>>,
}

#[derive(Serialize)]
struct ConstraintCtx<'a> {
    text: &'a str,
    role: Option<RoleCtx<'a>>,
    clause: Option<Link>,
}

#[derive(Serialize)]
struct ChecklistCtx<'a> {
    id: &'a str,
    title: &'a str,
    text_procedure: bool,
    regulation: Link,
    clause: Option<Link>,
    /// The 廉政风险点 the procedure guards.
    risk_point: Option<Link>,
    editorial_order: bool,
    order_note: Option<&'a str>,
    conditions: Vec<ConditionCtx<'a>>,
    constraints: Vec<ConstraintCtx<'a>>,
    groups: Vec<GroupCtx<'a>>,
    step_count: usize,
    /// Step ids in order, and each step's plain text: the script compares a saved run with them.
    steps_json: String,
}

/// A clause reference (`anchor` or `regulation#anchor`) of a procedure of `reg`, as a link from a
/// page one level down.
fn clause_link(lib: &Library, reg: &Regulation, reference: &str) -> Option<Link> {
    let (target, anchor) = match reference.split_once('#') {
        Some((id, a)) => (lib.regulation(id)?, a),
        None => (reg, reference),
    };
    let label = target.citation(anchor)?;
    Some(Link {
        label: format!("{}{label}", lib.config.quoted(&target.title)),
        href: format!("../{}#{anchor}", regulation_href(&target.id)),
    })
}

/// A short text with its references linked, for a page one level down.
fn run_html(lib: &Library, run: &Run) -> String {
    let mut out = String::new();
    let mut last = 0;
    for span in &run.spans {
        text_into(&run.text[last..span.range.start], &mut out);
        let piece = &run.text[span.range.clone()];
        let target = span.target.as_ref().filter(|t| linkable(lib, t));
        match target {
            Some(target) => {
                out.push_str("<a");
                attr_into("class", target_class(target), &mut out);
                attr_into("href", &target_href(lib, target, "../", None), &mut out);
                preview_attrs(lib, target, &mut out);
                out.push('>');
                text_into(piece, &mut out);
                out.push_str("</a>");
            }
            None => text_into(piece, &mut out),
        }
        last = span.range.end;
    }
    text_into(&run.text[last..], &mut out);
    out
}

fn role_ctx<'a>(lib: &Library, role: Option<&'a String>) -> Option<RoleCtx<'a>> {
    role.map(|r| RoleCtx {
        name: r,
        href: role_href(lib, r),
    })
}

/// The forms a step needs: the 表单 its text names (found by the analysis and kept as spans of the
/// step's runs — not looked up among all the references, which cost every step the whole handbook).
fn step_forms(lib: &Library, p: &Procedure, step: usize) -> Vec<Link> {
    let mut out: Vec<Link> = Vec::new();
    let spans = p.steps[step].runs.iter().flat_map(|r| &r.spans);
    for target in spans.filter_map(|s| s.target.as_ref()) {
        if let Target::Form { name } = target
            && !out.iter().any(|l| &l.label == name)
        {
            out.push(Link {
                label: name.clone(),
                href: target_href(lib, target, "../", None),
            });
        }
    }
    out
}

fn checklist_ctx<'a>(lib: &'a Library, p: &'a Procedure) -> Option<ChecklistCtx<'a>> {
    let reg = lib.regulation(&p.regulation)?;
    let mut groups: Vec<GroupCtx> = Vec::new();
    for (si, s) in p.steps.iter().enumerate() {
        let mut runs = s.runs.iter();
        let step = StepCtx {
            id: &s.id,
            number: s.number,
            text: runs.next().map(|r| run_html(lib, r)).unwrap_or_default(),
            note: runs.next().map(|r| run_html(lib, r)),
            role: role_ctx(lib, s.role.as_ref()),
            clause: s.clause.as_deref().and_then(|c| clause_link(lib, reg, c)),
            from_box: !s.boxes.is_empty(),
            forms: step_forms(lib, p, si),
            time_limit: s.time_limit.as_deref(),
            when: s.when.join(" "),
        };
        // A conditional step on a named path says both: a path's name alone would read as
        // applying whatever the answers (三重一大 三、（三）3． under 决策实施).
        let heading = match (s.branch.clone(), when_heading(lib, p, &s.when)) {
            (Some(b), Some(w)) => Some(format!("{b} › {w}")),
            (b, w) => b.or(w),
        };
        let when = s.when.join(" ");
        match groups.last_mut() {
            Some(g) if g.heading == heading && g.when == when => g.steps.push(step),
            _ => groups.push(GroupCtx {
                heading,
                when,
                steps: vec![step],
            }),
        }
    }
    // A heading covers what follows it: once a path has a “如果：” heading, the steps that apply
    // whatever the answers get a heading of their own, so that none reads as under a condition.
    let mut headed = false;
    for g in &mut groups {
        if g.heading.is_some() {
            headed = true;
        } else if headed {
            g.heading = Some(lib.config.string("checklist_always"));
        }
    }
    let steps_json = serde_json::to_string(
        &p.steps
            .iter()
            .map(|s| serde_json::json!({"id": s.id, "text": s.text}))
            .collect::<Vec<_>>(),
    )
    .unwrap_or_else(|_| "[]".into())
    // Inside <script>: no `</script>` may close it early.
    .replace('<', "\\u003c");
    Some(ChecklistCtx {
        id: &p.id,
        title: &p.title,
        text_procedure: p.kind == ProcedureKind::Text,
        regulation: Link {
            label: lib.config.quoted(&reg.title),
            href: format!("../{}#proc-{}", regulation_href(&reg.id), p.id),
        },
        clause: p.clause.as_deref().and_then(|c| clause_link(lib, reg, c)),
        risk_point: p.risk_point.as_deref().and_then(|r| {
            let text = lib.risk_point(r)?;
            let (id, anchor) = r.split_once('#')?;
            Some(Link {
                label: format!(
                    "{}{}{text}",
                    lib.regulation(id)?.title,
                    lib.config.string("colon")
                ),
                href: format!("../{}#{anchor}", regulation_href(id)),
            })
        }),
        editorial_order: p.editorial_order,
        order_note: p.order_note.as_deref(),
        conditions: p
            .conditions
            .iter()
            .map(|c| ConditionCtx {
                id: &c.id,
                question: &c.question,
                unit: c.unit.as_deref(),
                when: c.when.join(" "),
                clause: c.clause.as_deref().and_then(|x| clause_link(lib, reg, x)),
                choices: c
                    .choices
                    .iter()
                    .map(|o| ChoiceCtx {
                        id: &o.id,
                        label: &o.label,
                        max: o.max,
                        under: o.under,
                    })
                    .collect(),
            })
            .collect(),
        constraints: p
            .constraints
            .iter()
            .map(|c| ConstraintCtx {
                text: &c.text,
                role: role_ctx(lib, c.role.as_ref()),
                clause: c.clause.as_deref().and_then(|x| clause_link(lib, reg, x)),
            })
            .collect(),
        step_count: p.steps.len(),
        groups,
        steps_json,
    })
}

/// The heading of a group of steps on an alternative path: its choices' labels.
fn when_heading(lib: &Library, p: &Procedure, when: &[String]) -> Option<String> {
    if when.is_empty() {
        return None;
    }
    Some(
        lib.config
            .string("checklist_if")
            .replace("{choice}", &p.when_label(when)),
    )
}

#[derive(Serialize)]
struct IndexEntry<'a> {
    title: &'a str,
    href: String,
    regulation: String,
    steps: usize,
    text_procedure: bool,
}

#[derive(Serialize)]
struct IndexGroup<'a> {
    title: String,
    href: Option<String>,
    entries: Vec<IndexEntry<'a>>,
}

fn index_entry<'a>(lib: &'a Library, p: &'a Procedure) -> IndexEntry<'a> {
    IndexEntry {
        title: &p.title,
        href: encode_segment(&format!("{}.html", p.id)),
        regulation: lib
            .regulation(&p.regulation)
            .map_or(p.regulation.clone(), |r| lib.config.quoted(&r.title)),
        steps: p.steps.len(),
        text_procedure: p.kind == ProcedureKind::Text,
    }
}

pub(crate) fn render(lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
    if lib.procedures.is_empty() {
        return Ok(()); // no checklists, and no index (the navigation does not link one)
    }
    lib.procedures.par_iter().try_for_each(|p| {
        let Some(ctx_p) = checklist_ctx(lib, p) else {
            return Ok(());
        };
        let category = lib.regulation(&p.regulation).map(|r| r.category.as_str());
        let mut ctx = base_context(lib, theme, "../", category)?;
        ctx.insert("page_kind", "checklist");
        ctx.insert("p", &ctx_p);
        let html = theme.render("checklist.html", &ctx)?;
        sink.put(&checklist_path(&p.id), &page(&html))
    })?;

    // By category: in the order of the categories (procedures are in regulation order already).
    let mut by_category: Vec<IndexGroup> = Vec::new();
    for c in &lib.categories {
        let entries: Vec<IndexEntry> = lib
            .procedures
            .iter()
            .filter(|p| {
                lib.regulation(&p.regulation)
                    .is_some_and(|r| r.category == c.id)
            })
            .map(|p| index_entry(lib, p))
            .collect();
        if !entries.is_empty() {
            by_category.push(IndexGroup {
                title: c.title.clone(),
                href: Some(format!("../{}", super::links::category_href(&c.id))),
                entries,
            });
        }
    }
    // By role: every role named by a step (or a standing rule) of a procedure, in roles.yaml order.
    let by_role: Vec<IndexGroup> = lib
        .roles
        .iter()
        .filter_map(|r| {
            let entries: Vec<IndexEntry> = lib
                .procedures_with_role(&r.name)
                .map(|p| index_entry(lib, p))
                .collect();
            (!entries.is_empty()).then(|| IndexGroup {
                title: r.name.clone(),
                href: role_href(lib, &r.name),
                entries,
            })
        })
        .collect();
    let mut ctx = base_context(lib, theme, "../", None)?;
    ctx.insert("page_kind", "checklists");
    ctx.insert("by_category", &by_category);
    ctx.insert("by_role", &by_role);
    ctx.insert("count", &lib.procedures.len());
    sink.put(
        "checklists/index.html",
        &page(&theme.render("checklists.html", &ctx)?),
    )
}
