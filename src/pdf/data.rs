//! The model as the book's data: what `book.typ` reads from `/data.json`. Plain values only (text,
//! numbers, lists), in reading order; the layout is the template's.

use std::collections::HashSet;

use pulldown_cmark::{Event, Tag, TagEnd};
use serde::Serialize;

use crate::config::Binding;
use crate::model::{
    BlockKind, ClauseKind, DutyKind, DutyPlace, Library, Piece, Regulation, Run, Target,
};
use crate::render::print::reading_order;
use crate::render::regulation::print_id;

#[derive(Serialize)]
pub struct Book {
    pub title: String,
    pub organisation: String,
    pub edition: String,
    /// The date on the cover: `date:` of `site.yaml`, or the day of printing.
    pub date: String,
    /// The volume's category title when printing one volume.
    pub volume: Option<String>,
    pub duplex: bool,
    /// The UI strings the book shows (from the theme's i18n file).
    pub strings: std::collections::BTreeMap<String, String>,
    pub categories: Vec<BookCategory>,
    /// After the regulations: who does what, the glossary, the documents cited, the forms (each
    /// only if it has entries).
    pub appendices: Vec<Appendix>,
}

/// A list at the end of the book whose entries point at the places in it they come from.
#[derive(Serialize)]
pub struct Appendix {
    pub title: String,
    pub sections: Vec<AppendixSection>,
}

#[derive(Serialize)]
pub struct AppendixSection {
    /// The section's heading (a role, a document's name); none for a list of one section.
    pub heading: Option<String>,
    pub entries: Vec<AppendixEntry>,
}

#[derive(Serialize)]
pub struct AppendixEntry {
    /// A short label before the text (审批, a term).
    pub tag: Option<String>,
    pub text: String,
    /// The places in the book, each a citation linked to its place with its page.
    pub places: Vec<Inline>,
}

#[derive(Serialize)]
pub struct BookCategory {
    pub title: String,
    pub depth: usize,
    pub regulations: Vec<BookRegulation>,
}

#[derive(Serialize)]
pub struct BookRegulation {
    /// The label of the regulation's start (unique in the book).
    pub label: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// (label, value) lines under the title.
    pub meta: Vec<(String, String)>,
    pub notice: Option<String>,
    pub blocks: Vec<BookBlock>,
    pub register: Option<Register>,
    pub procedures: Vec<BookProcedure>,
}

/// A piece of text: plain, bold or italic; `to` is the label of a place in this book it refers to,
/// `page_ref` whether the page of that place is printed after it (a reference to another
/// regulation: on paper a reader needs the page).
#[derive(Serialize, Default, Clone)]
pub struct Inline {
    pub t: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub b: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub i: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub page_ref: bool,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum BookBlock {
    /// A numbered clause's first block: `label` (第三条, 一、…) then its text. A chapter is a
    /// heading (in the PDF outline too).
    Clause {
        clause: &'static str,
        number: String,
        depth: usize,
        heading: bool,
        anchor: String,
        text: Vec<Inline>,
    },
    Para {
        anchor: Option<String>,
        text: Vec<Inline>,
    },
    Heading {
        text: Vec<Inline>,
    },
    List {
        ordered: bool,
        items: Vec<Vec<Inline>>,
    },
    Table {
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
}

#[derive(Serialize)]
pub struct Register {
    pub label: String,
    pub meta: Vec<(String, String)>,
    pub groups: Vec<(String, usize)>,
    pub columns: Vec<String>,
    /// Rows of cells; a cell spanning rows is written once, on its first row.
    pub rows: Vec<Vec<RegisterCell>>,
}

#[derive(Serialize)]
pub struct RegisterCell {
    pub items: Vec<Vec<Inline>>,
    pub rowspan: usize,
}

#[derive(Serialize)]
pub struct BookProcedure {
    pub title: String,
    pub clause: Option<String>,
    pub groups: Vec<(Option<String>, Vec<BookStep>)>,
    /// Standing rules (须遵守的规定): text, role, clause; no box to tick.
    pub constraints: Vec<(String, Option<String>, Option<String>)>,
}

#[derive(Serialize)]
pub struct BookStep {
    pub number: Option<u32>,
    pub text: Vec<Inline>,
    pub note: Option<Vec<Inline>>,
    pub role: Option<String>,
    pub clause: Option<String>,
}

fn kind_name(kind: ClauseKind) -> &'static str {
    match kind {
        ClauseKind::Chapter => "chapter",
        ClauseKind::Section => "section",
        ClauseKind::Article => "article",
        ClauseKind::Item => "item",
        ClauseKind::Sub => "sub",
        ClauseKind::Appendix => "appendix",
    }
}

/// Turns text runs and Markdown events into [`Inline`]s.
struct Writer<'a> {
    lib: &'a Library,
    reg: &'a Regulation,
    /// The regulations in this book (a reference to one outside the volume gets no page).
    printed: &'a HashSet<&'a str>,
}

impl Writer<'_> {
    fn run(&self, run: &Run, style: (bool, bool), out: &mut Vec<Inline>) {
        let plain = |t: &str, out: &mut Vec<Inline>| {
            if !t.is_empty() {
                out.push(Inline {
                    t: t.to_string(),
                    b: style.0,
                    i: style.1,
                    ..Inline::default()
                });
            }
        };
        let mut last = 0;
        for span in &run.spans {
            plain(&run.text[last..span.range.start], out);
            let mut inline = Inline {
                t: run.text[span.range.clone()].to_string(),
                b: style.0,
                i: style.1,
                ..Inline::default()
            };
            if let Some(Target::Regulation { id, anchor }) = &span.target
                && self.printed.contains(id.as_str())
                && self
                    .lib
                    .regulation(id)
                    .is_some_and(|r| anchor.as_ref().is_none_or(|a| r.clause(a).is_some()))
            {
                inline.to = Some(print_id(id, anchor.as_deref()));
                inline.page_ref = id != &self.reg.id;
            }
            out.push(inline);
            last = span.range.end;
        }
        plain(&run.text[last..], out);
    }

    fn text(&self, run: &Run) -> Vec<Inline> {
        let mut out = Vec::new();
        self.run(run, (false, false), &mut out);
        out
    }

    /// The inline content of pieces; lists and tables are split by [`Writer::block`].
    fn inlines(&self, pieces: &[Piece]) -> Vec<Inline> {
        let mut out = Vec::new();
        let (mut bold, mut italic) = (0u32, 0u32);
        for p in pieces {
            match p {
                Piece::Text(run) => self.run(run, (bold > 0, italic > 0), &mut out),
                Piece::Event(Event::Start(Tag::Strong)) => bold += 1,
                Piece::Event(Event::End(TagEnd::Strong)) => bold = bold.saturating_sub(1),
                Piece::Event(Event::Start(Tag::Emphasis)) => italic += 1,
                Piece::Event(Event::End(TagEnd::Emphasis)) => italic = italic.saturating_sub(1),
                Piece::Event(Event::Text(t) | Event::Code(t)) => out.push(Inline {
                    t: t.to_string(),
                    b: bold > 0,
                    i: italic > 0,
                    ..Inline::default()
                }),
                Piece::Event(Event::HardBreak) => out.push(Inline {
                    t: "\n".into(),
                    ..Inline::default()
                }),
                // A line break in Chinese text is not a space; in Latin text it is.
                Piece::Event(Event::SoftBreak)
                    if out
                        .last()
                        .and_then(|i| i.t.chars().last())
                        .is_some_and(|c| c.is_ascii_alphanumeric()) =>
                {
                    out.push(Inline {
                        t: " ".into(),
                        ..Inline::default()
                    })
                }
                _ => {}
            }
        }
        out
    }

    /// A block that is not a paragraph or heading: lists and tables as such, anything else (code,
    /// quotes, raw HTML) as its text.
    fn other(&self, pieces: &[Piece], out: &mut Vec<BookBlock>) {
        let first = pieces.iter().find_map(|p| match p {
            Piece::Event(Event::Start(t)) => Some(t.clone()),
            _ => None,
        });
        match first {
            Some(Tag::List(start)) => {
                let mut items = Vec::new();
                let mut depth = 0;
                let mut from = 0;
                for (i, p) in pieces.iter().enumerate() {
                    match p {
                        Piece::Event(Event::Start(Tag::Item)) => {
                            depth += 1;
                            if depth == 1 {
                                from = i + 1;
                            }
                        }
                        Piece::Event(Event::End(TagEnd::Item)) => {
                            depth -= 1;
                            if depth == 0 {
                                items.push(self.inlines(&pieces[from..i]));
                            }
                        }
                        _ => {}
                    }
                }
                out.push(BookBlock::List {
                    ordered: start.is_some(),
                    items,
                });
            }
            Some(Tag::Table(_)) => {
                let mut header = Vec::new();
                let mut rows: Vec<Vec<Vec<Inline>>> = Vec::new();
                let mut in_head = false;
                let mut from = 0;
                for (i, p) in pieces.iter().enumerate() {
                    match p {
                        Piece::Event(Event::Start(Tag::TableHead)) => in_head = true,
                        Piece::Event(Event::End(TagEnd::TableHead)) => in_head = false,
                        Piece::Event(Event::Start(Tag::TableRow)) => rows.push(Vec::new()),
                        Piece::Event(Event::Start(Tag::TableCell)) => from = i + 1,
                        Piece::Event(Event::End(TagEnd::TableCell)) => {
                            let cell = self.inlines(&pieces[from..i]);
                            if in_head {
                                header.push(cell);
                            } else if let Some(row) = rows.last_mut() {
                                row.push(cell);
                            }
                        }
                        _ => {}
                    }
                }
                out.push(BookBlock::Table { header, rows });
            }
            _ => {
                let text = self.inlines(pieces);
                if !text.is_empty() {
                    out.push(BookBlock::Para { anchor: None, text });
                }
            }
        }
    }
}

fn body(w: &Writer, reg: &Regulation) -> Vec<BookBlock> {
    let mut out = Vec::new();
    for block in &reg.doc.blocks {
        if let (Some(ci), true) = (block.clause, block.opens) {
            let c = &reg.clauses[ci];
            let mut depth = 0;
            let mut at = c.parent;
            while let Some(p) = at {
                depth += 1;
                at = reg.clauses[p].parent;
            }
            out.push(BookBlock::Clause {
                clause: kind_name(c.kind),
                number: c.label.clone(),
                depth,
                heading: c.kind == ClauseKind::Chapter,
                anchor: print_id(&reg.id, Some(&c.anchor)),
                text: w.inlines(&block.pieces),
            });
            continue;
        }
        match block.kind {
            BlockKind::Paragraph => {
                let anchor = match (block.clause, block.para) {
                    (Some(ci), Some(k)) if k > 1 => Some(print_id(
                        &reg.id,
                        Some(&format!("{}-para{k}", reg.clauses[ci].anchor)),
                    )),
                    _ => None,
                };
                out.push(BookBlock::Para {
                    anchor,
                    text: w.inlines(&block.pieces),
                });
            }
            BlockKind::Heading(_) => out.push(BookBlock::Heading {
                text: w.inlines(&block.pieces),
            }),
            BlockKind::Other => w.other(&block.pieces, &mut out),
        }
    }
    out
}

/// The clause a procedure (step) names, as people cite it: 第三条, or 《…》第三条 in another regulation.
fn clause_citation(lib: &Library, reg: &Regulation, reference: &str) -> Option<String> {
    let (target, anchor) = match reference.split_once('#') {
        Some((id, a)) => (lib.regulation(id)?, a),
        None => (reg, reference),
    };
    let label = target.citation(anchor)?;
    Some(if std::ptr::eq(target, reg) {
        label
    } else {
        format!("《{}》{label}", target.title)
    })
}

fn register(w: &Writer, lib: &Library, reg: &Regulation) -> Option<Register> {
    let rr = reg.risk_register.as_ref()?;
    let mut meta = Vec::new();
    if let Some(u) = &rr.unit {
        meta.push((lib.config.string("unit"), u.clone()));
    }
    if let Some(f) = &rr.filled_by {
        meta.push((
            rr.filled_by_label
                .clone()
                .unwrap_or_else(|| "填报人".to_string()),
            f.clone(),
        ));
    }
    if let Some(d) = &rr.date {
        meta.push((lib.config.string("date"), d.clone()));
    }
    // The same split of a row into risk points as on the regulation's page.
    let rows = reg
        .register_cells
        .iter()
        .flat_map(|row| {
            let cells: Vec<Vec<Vec<Inline>>> = row
                .iter()
                .map(|items| items.iter().map(|r| w.text(r)).collect())
                .collect();
            crate::render::regulation::split_register_row(&rr.columns, cells)
                .into_iter()
                .map(|row| {
                    row.into_iter()
                        .map(|(items, rowspan)| RegisterCell { items, rowspan })
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    Some(Register {
        label: print_id(&reg.id, Some("risk-register")),
        meta,
        groups: rr
            .groups
            .iter()
            .map(|g| (g.title.clone(), g.span))
            .collect(),
        columns: rr.columns.clone(),
        rows,
    })
}

fn regulation(lib: &Library, reg: &Regulation, printed: &HashSet<&str>) -> BookRegulation {
    let w = Writer { lib, reg, printed };
    let mut meta = vec![(
        lib.config.string("status"),
        lib.config.string(reg.status.key()),
    )];
    for (key, value) in [
        ("issued", &reg.issued),
        ("effective", &reg.effective),
        ("issuer", &reg.issuer),
        ("owner", &reg.owner),
    ] {
        if let Some(v) = value {
            meta.push((lib.config.string(key), v.clone()));
        }
    }
    let procedures = lib
        .procedures_of(&reg.id)
        .map(|p| {
            let mut groups: Vec<(Option<String>, Vec<BookStep>)> = Vec::new();
            for s in &p.steps {
                let mut runs = s.runs.iter();
                let step = BookStep {
                    number: s.number,
                    text: runs.next().map(|r| w.text(r)).unwrap_or_default(),
                    note: runs.next().map(|r| w.text(r)),
                    role: s.role.clone(),
                    clause: s
                        .clause
                        .as_deref()
                        .and_then(|c| clause_citation(lib, reg, c)),
                };
                let branch = crate::render::regulation::step_branch(lib, p, s);
                match groups.last_mut() {
                    Some((b, steps)) if *b == branch => steps.push(step),
                    _ => groups.push((branch, vec![step])),
                }
            }
            BookProcedure {
                title: p.title.clone(),
                clause: p
                    .clause
                    .as_deref()
                    .and_then(|c| clause_citation(lib, reg, c)),
                groups,
                constraints: p
                    .constraints
                    .iter()
                    .map(|c| {
                        (
                            c.text.clone(),
                            c.role.clone(),
                            c.clause
                                .as_deref()
                                .and_then(|x| clause_citation(lib, reg, x)),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    BookRegulation {
        label: print_id(&reg.id, None),
        title: reg.title.clone(),
        subtitle: reg.subtitle.clone(),
        meta,
        notice: reg
            .incomplete
            .then(|| lib.config.string("incomplete_notice")),
        blocks: body(&w, reg),
        register: register(&w, lib, reg),
        procedures,
    }
}

/// The place in the book of a clause (or of the regulation, without one), as a citation that
/// links there and gives its page; `None` if that regulation is not in this book.
fn place(lib: &Library, printed: &HashSet<&str>, id: &str, anchor: Option<&str>) -> Option<Inline> {
    let reg = lib.regulation(id).filter(|_| printed.contains(id))?;
    let clause = anchor.and_then(|a| Some((a, reg.citation(a)?)));
    Some(Inline {
        t: match &clause {
            Some((_, c)) => format!("《{}》{c}", reg.title),
            None => format!("《{}》", reg.title),
        },
        to: Some(print_id(id, clause.map(|(a, _)| a))),
        page_ref: true,
        ..Inline::default()
    })
}

/// The places of references, each place once, in handbook order.
fn places<'a>(
    lib: &Library,
    printed: &HashSet<&str>,
    refs: impl Iterator<Item = &'a crate::model::Reference>,
) -> Vec<Inline> {
    let mut seen = HashSet::new();
    refs.filter(|r| seen.insert((r.from.as_str(), r.clause.as_deref())))
        .filter_map(|r| place(lib, printed, &r.from, r.clause.as_deref()))
        .collect()
}

/// 职责: each role's duties in the printed regulations, with the place of each.
fn roles_appendix(lib: &Library, printed: &HashSet<&str>) -> Appendix {
    let sections = lib
        .roles
        .iter()
        .enumerate()
        .filter_map(|(i, role)| {
            let entries: Vec<AppendixEntry> = lib
                .duties_of(i)
                .filter_map(|d| {
                    let reg = &lib.regulations[d.regulation];
                    let at = match d.place {
                        DutyPlace::Clause { clause } => place(
                            lib,
                            printed,
                            &reg.id,
                            Some(reg.clauses[clause].anchor.as_str()),
                        ),
                        _ => place(lib, printed, &reg.id, None),
                    }?;
                    Some(AppendixEntry {
                        tag: (d.kind != DutyKind::Unclassified)
                            .then(|| lib.config.string(d.kind.key())),
                        text: d.excerpt.clone(),
                        places: vec![at],
                    })
                })
                .collect();
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
    let entries = lib
        .terms
        .iter()
        .filter(|t| t.definition.is_some() || t.source.is_some())
        .map(|t| AppendixEntry {
            tag: Some(t.term.clone()),
            text: t.definition.clone().unwrap_or_default(),
            places: t
                .source
                .as_deref()
                .and_then(|src| place(lib, printed, src, t.clause.as_deref()))
                .into_iter()
                .collect(),
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
    let mut by_name: std::collections::BTreeMap<&str, Vec<&crate::model::Reference>> =
        Default::default();
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
    let entries = by_name
        .into_iter()
        .map(|(name, refs)| AppendixEntry {
            tag: None,
            text: if name.contains('〔') {
                name.to_string()
            } else {
                format!("《{name}》")
            } + &articles.get(name).map_or(String::new(), |a| a.join("、")),
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

/// The book of the whole handbook, or of the volume `volume` (a category id, its subcategories
/// included); `None` if there is no such category.
pub fn book(lib: &Library, volume: Option<&str>, date: &str) -> Option<Book> {
    let order = reading_order(lib);
    let chosen: Vec<(usize, usize)> = match volume {
        None => order,
        Some(id) => {
            let root = lib.category_index(id)?;
            let in_volume = |mut c: usize| loop {
                if c == root {
                    return true;
                }
                match lib.categories[c].parent {
                    Some(p) => c = p,
                    None => return false,
                }
            };
            let base = order
                .iter()
                .find(|(c, _)| *c == root)
                .map_or(0, |(_, d)| *d);
            order
                .into_iter()
                .filter(|(c, _)| in_volume(*c))
                .map(|(c, d)| (c, d - base))
                .collect()
        }
    };
    let printed: HashSet<&str> = chosen
        .iter()
        .flat_map(|(c, _)| lib.categories[*c].regulations.iter())
        .map(|&i| lib.regulations[i].id.as_str())
        .collect();
    let strings = [
        "print_contents",
        "print_risk_register",
        "print_checklist",
        "print_page_number",
        "print_see",
        "procedures",
        "procedure_step_role",
        "procedure_step_clause",
        "checklist_constraints",
        "edition",
        "print_appendices",
    ]
    .into_iter()
    .map(|k| (k.to_string(), lib.config.string(k)))
    .collect();
    let config = &lib.config;
    Some(Book {
        title: config.title.clone(),
        organisation: config.organisation.clone().unwrap_or_default(),
        edition: config.edition.clone().unwrap_or_default(),
        date: date.to_string(),
        volume: volume
            .and_then(|v| lib.category(v))
            .map(|c| c.title.clone()),
        duplex: config.binding == Binding::Duplex,
        strings,
        categories: chosen
            .into_iter()
            .map(|(c, depth)| {
                let cat = &lib.categories[c];
                BookCategory {
                    title: cat.title.clone(),
                    depth,
                    regulations: cat
                        .regulations
                        .iter()
                        .map(|&i| regulation(lib, &lib.regulations[i], &printed))
                        .collect(),
                }
            })
            .collect(),
        appendices: [
            roles_appendix(lib, &printed),
            glossary_appendix(lib, &printed),
            cited_appendix(lib, &printed, false),
            cited_appendix(lib, &printed, true),
        ]
        .into_iter()
        .filter(|a| a.sections.iter().any(|s| !s.entries.is_empty()))
        .zip(1..)
        .map(|(mut a, n)| {
            a.title = config
                .string("print_appendix")
                .replace("{n}", &crate::structure::numerals::to_chinese(n))
                .replace("{title}", &a.title);
            a
        })
        .collect(),
    })
}
