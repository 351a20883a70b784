//! The print edition as one HTML page (`print.html`): cover, table of contents, then every
//! regulation in reading order, with ids made unique across regulations and references turned into
//! in-page links, and a print style sheet without the site's interface.

use serde::Serialize;

use super::markdown;
use super::minify;
use super::regulation::{
    Linker, ProcedureCtx, RiskCtx, print_href, print_id, procedure_ctx, risk_ctx,
};
use super::theme::Theme;
use crate::error::Result;
use std::collections::HashSet;

use crate::model::{DutyKind, DutyPlace, Library, Reference, Regulation, Target};
use crate::output::write::Sink;

/// Where the print page is written.
pub const PRINT_PATH: &str = "print.html";

/// The categories in reading order (depth-first from the top level, display order), each with its
/// depth: the order of the printed book.
pub fn reading_order(lib: &Library) -> Vec<(usize, usize)> {
    fn walk(lib: &Library, c: usize, depth: usize, out: &mut Vec<(usize, usize)>) {
        out.push((c, depth));
        for &child in &lib.categories[c].children {
            walk(lib, child, depth + 1, out);
        }
    }
    let mut out = Vec::with_capacity(lib.categories.len());
    for (i, c) in lib.categories.iter().enumerate() {
        if c.parent.is_none() {
            walk(lib, i, 0, &mut out);
        }
    }
    out
}

/// A list at the end of the book (who does what, the glossary, the documents and forms cited) whose
/// entries point at the places in the book they come from. The same for print.html and the PDF.
#[derive(Serialize)]
pub struct Appendix {
    pub title: String,
    pub sections: Vec<AppendixSection>,
}

#[derive(Serialize)]
pub struct AppendixSection {
    /// The section's heading (a role); none for a list of one section.
    pub heading: Option<String>,
    pub entries: Vec<AppendixEntry>,
}

#[derive(Serialize)]
pub struct AppendixEntry {
    /// A short label before the text (审批, a term).
    pub tag: Option<String>,
    pub text: String,
    /// Where in the book it stands.
    pub places: Vec<Place>,
}

/// A clause (or a regulation) in the printed book: its citation and its print id.
#[derive(Serialize)]
pub struct Place {
    pub text: String,
    pub id: String,
}

/// The place in the book of a clause (or of the regulation, without one), as a citation that
/// links there and gives its page; `None` if that regulation is not in this book.
fn place(lib: &Library, printed: &HashSet<&str>, id: &str, anchor: Option<&str>) -> Option<Place> {
    let reg = lib.regulation(id).filter(|_| printed.contains(id))?;
    let clause = anchor.and_then(|a| Some((a, reg.citation(a)?)));
    Some(Place {
        text: match &clause {
            Some((_, c)) => format!("{}{c}", lib.config.quoted(&reg.title)),
            None => lib.config.quoted(&reg.title),
        },
        id: print_id(id, clause.map(|(a, _)| a)),
    })
}

/// The places of references, each place once, in handbook order.
fn places<'a>(
    lib: &Library,
    printed: &HashSet<&str>,
    refs: impl Iterator<Item = &'a Reference>,
) -> Vec<Place> {
    let mut seen = HashSet::new();
    refs.filter(|r| seen.insert((r.from.as_str(), r.clause.as_deref())))
        .filter_map(|r| place(lib, printed, &r.from, r.clause.as_deref()))
        .collect()
}

/// The place in the book of one duty: its clause, the checklist its step is in, or the risk
/// register its row is in (the page a reader turns to is where the duty is written, not the
/// regulation's first page); the regulation itself only for the preamble.
fn duty_place(lib: &Library, printed: &HashSet<&str>, d: &crate::model::Duty) -> Option<Place> {
    let reg = &lib.regulations[d.regulation];
    match d.place {
        DutyPlace::Clause { clause } => place(
            lib,
            printed,
            &reg.id,
            Some(reg.clauses[clause].anchor.as_str()),
        ),
        DutyPlace::Step { procedure, .. } => {
            let p = lib.procedures.get(procedure)?;
            printed.contains(reg.id.as_str()).then(|| Place {
                text: format!("{}{}", lib.config.quoted(&reg.title), p.title),
                id: print_id(&reg.id, Some(&format!("proc-{}", p.id))),
            })
        }
        DutyPlace::Register { .. } => printed.contains(reg.id.as_str()).then(|| Place {
            text: format!(
                "{}{}",
                lib.config.quoted(&reg.title),
                lib.config.string("print_risk_register")
            ),
            id: print_id(&reg.id, Some("risk-register")),
        }),
        DutyPlace::Preamble => place(lib, printed, &reg.id, None),
    }
}

/// 职责: each role's duties in the printed regulations, with the place of each. A duty written
/// the same way in several places is one entry with those places (each once).
fn roles_appendix(lib: &Library, printed: &HashSet<&str>) -> Appendix {
    let sections = lib
        .roles
        .iter()
        .enumerate()
        .filter_map(|(i, role)| {
            let mut entries: Vec<AppendixEntry> = Vec::new();
            let mut index: std::collections::HashMap<(Option<String>, String), usize> =
                Default::default();
            for d in lib.duties_of(i) {
                let Some(at) = duty_place(lib, printed, d) else {
                    continue;
                };
                let tag =
                    (d.kind != DutyKind::Unclassified).then(|| lib.config.string(d.kind.key()));
                match index.entry((tag.clone(), d.excerpt.clone())) {
                    std::collections::hash_map::Entry::Occupied(e) => {
                        let places = &mut entries[*e.get()].places;
                        if !places.iter().any(|p| p.id == at.id) {
                            places.push(at);
                        }
                    }
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(entries.len());
                        entries.push(AppendixEntry {
                            tag,
                            text: d.excerpt.clone(),
                            places: vec![at],
                        });
                    }
                }
            }
            (!entries.is_empty()).then(|| AppendixSection {
                heading: Some(role.name.clone()),
                entries,
            })
        })
        .collect();
    Appendix {
        title: lib.config.string("print_appendix_roles"),
        sections,
    }
}

/// 术语: each term with its definition and where it is defined.
fn glossary_appendix(lib: &Library, printed: &HashSet<&str>) -> Appendix {
    let mut terms: Vec<_> = lib
        .terms
        .iter()
        .filter(|t| t.definition.is_some() || t.source.is_some())
        .collect();
    // In the order a Chinese reader looks things up in: pinyin, not code point.
    terms.sort_by_cached_key(|t| (super::citations::pinyin_key(&t.term), t.term.clone()));
    let entries = terms
        .into_iter()
        .map(|t| {
            // A term the text does not define, but explains: the explaining clauses are its places.
            let explained = t.definition.is_none() && !t.explained_in.is_empty();
            let anchors: Vec<Option<&str>> = if explained {
                t.explained_in.iter().map(|a| Some(a.as_str())).collect()
            } else {
                vec![t.clause.as_deref()]
            };
            AppendixEntry {
                tag: Some(t.term.clone()),
                text: match &t.definition {
                    Some(d) => d.clone(),
                    None if explained => lib.config.string("term_explained"),
                    None => String::new(),
                },
                places: t
                    .source
                    .as_deref()
                    .map(|src| {
                        anchors
                            .iter()
                            .filter_map(|a| place(lib, printed, src, *a))
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    Appendix {
        title: lib.config.string("glossary_page"),
        sections: vec![AppendixSection {
            heading: None,
            entries,
        }],
    }
}

/// 依据文件 and 表单: each document or form named in the printed regulations, with where.
fn cited_appendix(lib: &Library, printed: &HashSet<&str>, forms: bool) -> Appendix {
    let mut by_name: std::collections::BTreeMap<&str, Vec<&Reference>> = Default::default();
    let mut articles: std::collections::HashMap<&str, Vec<&str>> = Default::default();
    for r in lib
        .references
        .iter()
        .filter(|r| printed.contains(r.from.as_str()))
    {
        match (&r.target, forms) {
            (Target::External { name, article }, false) => {
                if let Some(a) = article {
                    let list = articles.entry(name).or_default();
                    if !list.contains(&a.as_str()) {
                        list.push(a);
                    }
                }
                by_name.entry(name).or_default().push(r);
            }
            (Target::Form { name }, true) => by_name.entry(name).or_default().push(r),
            _ => {}
        }
    }
    let mut by_name: Vec<_> = by_name.into_iter().collect();
    by_name.sort_by_cached_key(|(name, _)| (super::citations::pinyin_key(name), name.to_string()));
    let entries = by_name
        .into_iter()
        .map(|(name, refs)| AppendixEntry {
            tag: None,
            text: if name.contains('〔') {
                name.to_string()
            } else {
                lib.config.quoted(name)
            } + &articles
                .get(name)
                .map_or(String::new(), |a| a.join(&lib.config.string("list_sep"))),
            places: places(lib, printed, refs.into_iter()),
        })
        .collect();
    Appendix {
        title: lib
            .config
            .string(if forms { "forms_page" } else { "basis_page" }),
        sections: vec![AppendixSection {
            heading: None,
            entries,
        }],
    }
}

/// 修订情况: what changed since the edition compared with (`compare_with:`, else the whole
/// history): each revision the front-matter records and each version of the git history, newest
/// first, with the clauses it changed.
fn revisions_appendix(lib: &Library, printed: &HashSet<&str>) -> Appendix {
    let mut entries: Vec<(String, AppendixEntry)> = Vec::new();
    for reg in lib
        .regulations
        .iter()
        .filter(|r| printed.contains(r.id.as_str()))
    {
        for r in &reg.lifecycle.revisions {
            entries.push((
                r.date.to_string(),
                AppendixEntry {
                    tag: Some(r.date.to_string()),
                    text: r.summary.clone(),
                    places: place(lib, printed, &reg.id, None).into_iter().collect(),
                },
            ));
        }
        for v in reg.history.iter().filter(|v| !v.changes.is_empty()) {
            let mut places: Vec<Place> = v
                .changes
                .iter()
                .filter_map(|c| place(lib, printed, &reg.id, Some(c.anchor.as_str())))
                .collect();
            if places.is_empty() {
                places.extend(place(lib, printed, &reg.id, None));
            }
            entries.push((
                v.date.to_string(),
                AppendixEntry {
                    tag: Some(v.date.to_string()),
                    text: v.message.clone(),
                    places,
                },
            ));
        }
    }
    entries.sort_by(|a, b| b.0.cmp(&a.0));
    Appendix {
        title: lib.config.string("print_appendix_revisions"),
        sections: vec![AppendixSection {
            heading: None,
            entries: entries.into_iter().map(|(_, e)| e).collect(),
        }],
    }
}

/// An appendix's number as the book writes it (一 … 十; there are four kinds of appendix).
fn appendix_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    DIGITS
        .get(n.wrapping_sub(1))
        .map_or_else(|| n.to_string(), |d| d.to_string())
}

/// The appendices of a book holding the regulations `printed`, numbered (附录一 …); those with no
/// entry are left out.
pub fn appendices(lib: &Library, printed: &HashSet<&str>) -> Vec<Appendix> {
    [
        roles_appendix(lib, printed),
        glossary_appendix(lib, printed),
        cited_appendix(lib, printed, false),
        cited_appendix(lib, printed, true),
        revisions_appendix(lib, printed),
    ]
    .into_iter()
    .filter(|a| a.sections.iter().any(|s| !s.entries.is_empty()))
    .zip(1..)
    .map(|(mut a, n)| {
        a.title = lib
            .config
            .string("print_appendix")
            .replace("{n}", &appendix_number(n))
            .replace("{title}", &a.title);
        a
    })
    .collect()
}

#[derive(Serialize)]
struct TocRegulation<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    href: String,
}

#[derive(Serialize)]
struct PrintRegulation<'a> {
    id: String,
    title: &'a str,
    subtitle: Option<&'a str>,
    status: String,
    issued: Option<&'a str>,
    effective: Option<&'a str>,
    issuer: Option<&'a str>,
    owner: Option<&'a str>,
    incomplete: bool,
    body: String,
    risk: Option<RiskCtx<'a>>,
    risk_id: String,
    procedures: Vec<ProcedureCtx<'a>>,
    /// The CSS named page of the regulation (`r7`; its register's is `r7-reg`): browsers have no
    /// `string-set`, so a running head per regulation is a named page per regulation.
    page: String,
    /// The title as a CSS string, for the running head.
    css_title: String,
}

#[derive(Serialize)]
struct PrintCategory<'a> {
    id: String,
    title: &'a str,
    depth: usize,
    toc: Vec<TocRegulation<'a>>,
    regulations: Vec<PrintRegulation<'a>>,
}

/// `s` as a quoted CSS string that is safe inside `<style>`: quotes, backslashes, line breaks and
/// `<` escaped (so no `</style>` can close the element).
fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn print_regulation<'a>(lib: &'a Library, reg: &'a Regulation, n: usize) -> PrintRegulation<'a> {
    let mut linker = Linker::for_print(lib, reg);
    let body = markdown::render_body(reg, lib.config.raw_html, &mut linker);
    let risk = risk_ctx(lib, reg, &mut linker);
    let procedures = lib
        .procedures_of(&reg.id)
        .map(|p| procedure_ctx(lib, reg, p, &mut linker))
        .collect();
    PrintRegulation {
        id: print_id(&reg.id, None),
        title: &reg.title,
        subtitle: reg.subtitle.as_deref(),
        status: lib.config.string(reg.status.key()),
        issued: reg.issued.as_deref(),
        effective: reg.effective.as_deref(),
        issuer: reg.issuer.as_deref(),
        owner: reg.owner.as_deref(),
        incomplete: reg.incomplete,
        body,
        risk,
        risk_id: print_id(&reg.id, Some("risk-register")),
        procedures,
        page: format!("r{n}"),
        css_title: css_string(&reg.title),
    }
}

/// `print.html`: the whole handbook on one page.
pub(crate) fn render(lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
    // No navigation: the print page is the book, without the site around it.
    let mut ctx = super::context::shared_context(lib, "");
    ctx.insert("page_kind", "print");
    let categories: Vec<PrintCategory> = reading_order(lib)
        .into_iter()
        .map(|(ci, depth)| {
            let c = &lib.categories[ci];
            let regs = c.regulations.iter().map(|&i| &lib.regulations[i]);
            PrintCategory {
                id: format!("cat-{}", c.id),
                title: &c.title,
                depth,
                toc: regs
                    .map(|r| TocRegulation {
                        title: &r.title,
                        subtitle: r.subtitle.as_deref(),
                        href: print_href(&r.id, None),
                    })
                    .collect(),
                regulations: c
                    .regulations
                    .iter()
                    .map(|&i| print_regulation(lib, &lib.regulations[i], i))
                    .collect(),
            }
        })
        .collect();
    ctx.insert("print_categories", &categories);
    let printed: HashSet<&str> = lib.regulations.iter().map(|r| r.id.as_str()).collect();
    let appendices = appendices(lib, &printed);
    // Their running heads, as the regulations' (a named page each).
    let heads: Vec<String> = appendices.iter().map(|a| css_string(&a.title)).collect();
    ctx.insert("appendices", &appendices);
    ctx.insert("appendix_heads", &heads);
    let css = theme
        .assets
        .iter()
        .find(|(n, _)| n == "print.css")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    // The page number in the site's language: `print_page_number`'s words around the counter
    // (print.css writes the counter alone).
    let words = lib.config.string("print_page_number");
    let (before, after) = words.split_once("{n}").unwrap_or(("", ""));
    let numbered = format!(
        "content: {} counter(page) {};",
        css_string(before),
        css_string(after)
    );
    let css = css.replacen("content: counter(page);", &numbered, 1);
    ctx.insert("print_css", &css);
    sink.put(
        PRINT_PATH,
        &minify::page(&theme.render("print.html", &ctx)?),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn css_strings_cannot_close_the_style_element() {
        assert_eq!(super::css_string("制度"), "\"制度\"");
        assert_eq!(
            super::css_string("a\"b\\c</style>\n"),
            "\"a\\22 b\\5c c\\3c /style\\3e \\a \""
        );
    }
}
