//! The model as the book's data: what `book.typ` reads from `/data.json`. Plain values only (text,
//! numbers, lists), in reading order; the layout is the template's.

use std::collections::HashSet;

use pulldown_cmark::{Event, Tag, TagEnd};
use serde::Serialize;

use crate::config::Binding;
use crate::model::{BlockKind, Library, Piece, Regulation, Run, Target};
use crate::render::print::{Appendix, appendices, reading_order};
use crate::render::regulation::print_id;

#[derive(Serialize)]
pub struct Book {
    pub title: String,
    pub organisation: String,
    pub edition: String,
    /// The date on the cover: `date:` of `site.yaml`, or the latest date the printed regulations
    /// were issued or took effect (never the day of printing); empty if none says.
    pub date: String,
    /// The typefaces and the layout (公文 or compact).
    pub fonts: super::typeface::Typeface,
    /// The highest 密级 in the book, for the cover (top left, as on a document's first page).
    pub mark: Option<String>,
    /// `print: notice:` of `site.yaml` (内部资料 注意保存), for the cover.
    pub notice: Option<String>,
    /// Whether blank pages carry a page number (`print: number_blank_pages:`).
    pub number_blank: bool,
    /// One regulation printed alone (`--each`): no cover and no contents.
    pub single: bool,
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
    /// The heading as the contents and the bookmarks show it: the title, and the subtitle where
    /// there is one (the seed's two registers of one title are told apart by theirs).
    pub heading: String,
    /// (label, value) lines under the title.
    pub meta: Vec<(String, String)>,
    /// 密级★保密期限, printed at the top left of the first page (GB/T 9704-2012 7.2.2).
    pub mark: Option<String>,
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
    /// heading (in the PDF outline too); so is a titled clause the page shows as a heading
    /// (一、总则), while a provision (一、…。) is text.
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
    /// Each column's share of the width, from how much its cells hold (a 序号 column narrow, a
    /// column of measures wide), so that the template can measure a row before placing it.
    pub widths: Vec<f64>,
    /// Rows of cells; a cell spanning rows is written once, on its first row.
    pub rows: Vec<Vec<RegisterCell>>,
}

#[derive(Serialize)]
pub struct RegisterCell {
    pub items: Vec<Vec<Inline>>,
    pub rowspan: usize,
    /// The column it stands in (a row after the first of a span has fewer cells).
    pub col: usize,
}

#[derive(Serialize)]
pub struct BookProcedure {
    /// Its place in the book (duties in its steps point here).
    pub label: String,
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
    let heads = crate::model::group_heads(&reg.clauses);
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
                clause: c.kind.name(),
                number: c.label.clone(),
                depth,
                // The page's rule (render::markdown): a clause is a heading only if it has a
                // heading-like title (一、总则) and is of a kind in the contents, is written as a
                // Markdown heading or heads a group; "一、…" provisions that are sentences are text.
                heading: c.kind.is_division()
                    || (c.title.is_some()
                        && (c.kind.in_toc()
                            || matches!(block.kind, BlockKind::Heading(_))
                            || heads[ci])),
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
        format!("{}{label}", lib.config.quoted(&target.title))
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
                .unwrap_or_else(|| lib.config.string("filled_by")),
            f.clone(),
        ));
    }
    if let Some(d) = &rr.date {
        meta.push((lib.config.string("date"), d.clone()));
    }
    // The same split of a row into risk points as on the regulation's page.
    let rows: Vec<Vec<RegisterCell>> = reg
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
                        .map(|(items, rowspan)| RegisterCell {
                            items,
                            rowspan,
                            col: 0,
                        })
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    // Each cell's column: the next one not covered by a cell spanning from a row above.
    let mut rows = rows;
    let mut busy = vec![0usize; rr.columns.len()];
    for row in &mut rows {
        let mut at = 0;
        for cell in row.iter_mut() {
            while at < busy.len() && busy[at] > 0 {
                at += 1;
            }
            cell.col = at;
            if at < busy.len() {
                busy[at] = cell.rowspan.max(1);
            }
            at += 1;
        }
        for b in &mut busy {
            *b = b.saturating_sub(1);
        }
    }
    let widths = (0..rr.columns.len())
        .map(|c| {
            let (chars, cells) = reg.register_cells.iter().filter_map(|row| row.get(c)).fold(
                (0usize, 0usize),
                |(n, k), items| {
                    (
                        n + items.iter().map(|r| r.text.chars().count()).sum::<usize>(),
                        k + 1,
                    )
                },
            );
            let average = chars as f64 / cells.max(1) as f64;
            let head = rr.columns[c].chars().count() as f64;
            average.max(head).max(2.0).sqrt()
        })
        .collect();
    Some(Register {
        label: print_id(&reg.id, Some("risk-register")),
        widths,
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
                label: print_id(&reg.id, Some(&format!("proc-{}", p.id))),
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
        heading: match &reg.subtitle {
            Some(s) => format!("{}{}", reg.title, lib.config.paren(s)),
            None => reg.title.clone(),
        },
        meta,
        mark: mark(reg),
        notice: reg
            .incomplete
            .then(|| lib.config.string("incomplete_notice")),
        blocks: body(&w, reg),
        register: register(&w, lib, reg),
        procedures,
    }
}

/// 密级★保密期限 as GB/T 9704 writes it (秘密★1年), or the level alone.
fn mark(reg: &Regulation) -> Option<String> {
    let level = reg.classification.as_deref()?;
    Some(match reg.secrecy_period.as_deref().map(str::trim) {
        Some(p) if !p.is_empty() => format!("{level}★{p}"),
        _ => level.to_string(),
    })
}

/// The cover's date: `date:` of `site.yaml`, else the latest issued or effective date of the
/// regulations printed, written as the site's language writes dates (`print_date`); never the
/// day of printing, which would date an unchanged book anew at every print.
fn cover_date(lib: &Library, regs: &[&Regulation]) -> String {
    if let Some(d) = &lib.config.date {
        return d.clone();
    }
    let latest = regs
        .iter()
        .flat_map(|r| [r.lifecycle.issued, r.lifecycle.effective])
        .flatten()
        .max();
    let Some(d) = latest else {
        return String::new();
    };
    // The catalogue's `print_date` says how the site's language writes a day.
    lib.config
        .string("print_date")
        .replace("{y}", &d.year().to_string())
        .replace("{mm}", &format!("{:02}", d.month()))
        .replace("{dd}", &format!("{:02}", d.day()))
        .replace("{m}", &d.month().to_string())
        .replace("{d}", &d.day().to_string())
}

/// The book of the whole handbook, or of the volume `volume` (a category id, its subcategories
/// included); `None` if there is no such category.
pub fn book(lib: &Library, volume: Option<&str>, fonts: super::typeface::Typeface) -> Option<Book> {
    select(lib, volume, None, fonts)
}

/// One regulation (index into `lib.regulations`) printed alone, for pinning up or 发文
/// (`rulebook pdf --each`): no cover, contents or appendices; its references to others give no page.
pub fn one(lib: &Library, index: usize, fonts: super::typeface::Typeface) -> Book {
    let mut b = select(lib, None, Some(index), fonts).unwrap_or_else(|| unreachable!("no volume"));
    b.single = true;
    b
}

fn select(
    lib: &Library,
    volume: Option<&str>,
    only: Option<usize>,
    fonts: super::typeface::Typeface,
) -> Option<Book> {
    let order = reading_order(lib);
    let chosen: Vec<(usize, usize)> = match volume {
        None if only.is_some() => order
            .into_iter()
            .filter(|(c, _)| only.is_some_and(|i| lib.categories[*c].regulations.contains(&i)))
            .map(|(c, _)| (c, 0))
            .collect(),
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
    let wanted = |i: &usize| only.is_none_or(|o| o == *i);
    let printed: HashSet<&str> = chosen
        .iter()
        .flat_map(|(c, _)| lib.categories[*c].regulations.iter())
        .filter(|i| wanted(i))
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
        "print_continued",
    ]
    .into_iter()
    .map(|k| (k.to_string(), lib.config.string(k)))
    .collect();
    let config = &lib.config;
    let regs: Vec<&Regulation> = chosen
        .iter()
        .flat_map(|(c, _)| lib.categories[*c].regulations.iter())
        .filter(|i| wanted(i))
        .map(|&i| &lib.regulations[i])
        .collect();
    // The cover carries the highest level in the book (levels are listed lowest first).
    let level = |r: &Regulation| {
        r.classification
            .as_deref()
            .and_then(|c| config.classification_levels.iter().position(|l| l == c))
    };
    let top = regs
        .iter()
        .copied()
        .filter(|r| level(r).is_some())
        .max_by_key(|r| level(r));
    Some(Book {
        title: config.title.clone(),
        organisation: config.organisation.clone().unwrap_or_default(),
        edition: config.edition.clone().unwrap_or_default(),
        date: cover_date(lib, &regs),
        fonts,
        mark: top.and_then(|r| r.classification.clone()),
        notice: config.print.notice.clone().filter(|n| !n.trim().is_empty()),
        number_blank: config.print.number_blank_pages,
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
                        .filter(|i| wanted(i))
                        .map(|&i| regulation(lib, &lib.regulations[i], &printed))
                        .collect(),
                }
            })
            .collect(),
        appendices: if only.is_some() {
            Vec::new()
        } else {
            appendices(lib, &printed)
        },
        single: false,
    })
}
