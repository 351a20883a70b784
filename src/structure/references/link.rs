//! Linking a library: every regulation's tree, risk register and procedure steps scanned (in
//! parallel) for references and role mentions; the spans stored in the model, the references and
//! duties in the library.

use super::diagnostics::problem;
use super::explicit::explicit;
use super::{Index, Place, Scanner};
use crate::error::Diagnostic;
use crate::model::{
    Body, Detection, Duty, DutyKind, DutyPlace, Library, LinkTo, Origin, Piece, Reference, Role,
    Run, Span, Target,
};
use crate::structure::addresses;
use crate::structure::lines::{Locator, first_lines};
use crate::structure::roles::{Detector, Duties, Mention, RoleIndex};

/// What scanning one regulation gave: its tree with spans and decided links, its register cells and
/// procedure steps as runs, the references and the diagnostics.
pub(super) struct Scanned {
    doc: Body,
    cells: Vec<Vec<Vec<Run>>>,
    /// (procedure index, step index, runs of text and note)
    steps: Vec<(usize, usize, Vec<Run>)>,
    refs: Vec<Reference>,
    duties: Vec<Duty>,
    diags: Vec<Diagnostic>,
}

impl Scanned {
    /// Put the linked tree, register cells and procedure steps into the library.
    fn doc_into(self, lib: &mut Library, r: usize) {
        let reg = &mut lib.regulations[r];
        reg.doc = self.doc;
        reg.register_cells = self.cells;
        for (pi, si, runs) in self.steps {
            lib.procedures[pi].steps[si].runs = runs;
        }
    }
}

impl Scanned {
    /// The first sentence of a clause's own text, for the excerpt of an assigned duty.
    fn doc_clause_text(&self, clause: usize, fallback: &str) -> String {
        let text = self.doc.clause_text(clause);
        let text = if text.is_empty() { fallback } else { &text };
        let end = text.find(['。', '\n']).map_or(text.len(), |i| {
            i + text[i..]
                .chars()
                .next()
                .map_or(0, |c| if c == '。' { c.len_utf8() } else { 0 })
        });
        text[..end].to_string()
    }
}

/// Link the mentions `link` picked (the first of each role in its place) where no reference
/// stands already; spans stay in order.
pub(super) fn role_spans(run: &mut Run, mentions: &[Mention], link: &[usize], roles: &[Role]) {
    let before = run.spans.len();
    for &k in link {
        let m = &mentions[k];
        if run
            .spans
            .iter()
            .any(|s| s.range.start < m.range.end && m.range.start < s.range.end)
        {
            continue;
        }
        run.spans.push(Span {
            range: m.range.clone(),
            target: Some(Target::Role {
                id: roles[m.role].id.clone(),
            }),
        });
    }
    if run.spans.len() > before {
        run.spans.sort_by_key(|s| s.range.start);
    }
}

/// Document order of the places of duties: the preamble, the clauses, the register, the steps.
pub(super) fn place_order(p: &DutyPlace) -> (u8, usize, usize) {
    match *p {
        DutyPlace::Preamble => (0, 0, 0),
        DutyPlace::Clause { clause } => (1, clause, 0),
        DutyPlace::Register { row } => (2, row, 0),
        DutyPlace::Step { procedure, step } => (3, procedure, step),
    }
}

/// Scans one regulation's tree, register and procedures in document order (one scanner, so terms
/// are linked at their first occurrence whichever output shows them).
pub(super) fn scan_regulation(
    lib: &Library,
    index: &Index,
    role_index: &RoleIndex,
    r: usize,
    mut doc: Body,
) -> Scanned {
    let reg = &lib.regulations[r];
    let mut out = Scanned {
        doc: Body::default(),
        cells: Vec::new(),
        steps: Vec::new(),
        refs: Vec::new(),
        duties: Vec::new(),
        diags: Vec::new(),
    };
    let mut scanner = Scanner::new(index, lib, reg);
    // Roles are found in the same runs, in the same walk.
    let (words, suppressed, assigned, role_diags) =
        crate::structure::roles::overrides(reg, &lib.roles);
    out.diags.extend(role_diags);
    let detector = Detector::new(role_index, words);
    let mut duties = Duties::new(r, &lib.roles, suppressed);
    let locator = Locator::new(&reg.body);
    let lines = locator.index();
    let at = |offset: usize| {
        let (line, column) = locator.line_col(offset);
        (reg.file_line(line), column)
    };
    for block in &mut doc.blocks {
        out.diags.extend(addresses::check_raw_html(
            block,
            &reg.body,
            lines,
            lib.config.raw_html,
            |l| reg.file_line(l),
            &reg.source.path,
        ));
        let place = Place {
            clause: block.clause,
            para: block.para,
        };
        let anchor = block.clause.map(|c| reg.clauses[c].anchor.clone());
        for piece in &mut block.pieces {
            match piece {
                Piece::Text(run) => {
                    for f in scanner.scan(&run.text, place) {
                        let (line, column) = at(run.offset + f.range.start);
                        let target = match f.result {
                            Ok(target) => {
                                out.refs.push(Reference {
                                    from: reg.id.clone(),
                                    clause: anchor.clone(),
                                    origin: Origin::Body,
                                    text: run.text[f.range.clone()].to_string(),
                                    target: target.clone(),
                                    path: reg.source.path.clone(),
                                    line,
                                    column,
                                });
                                Some(target)
                            }
                            Err(p) => {
                                out.diags
                                    .push(problem(&reg.source.path, line, column, p, false));
                                None
                            }
                        };
                        run.spans.push(Span {
                            range: f.range,
                            target,
                        });
                    }
                    // Forms named without 《》 (site.yaml `form_names:`), outside what was found.
                    let taken: Vec<std::ops::Range<usize>> =
                        run.spans.iter().map(|s| s.range.clone()).collect();
                    for (range, name) in index.bare_forms.scan(&run.text, &taken) {
                        let (line, column) = at(run.offset + range.start);
                        let target = Target::Form { name };
                        out.refs.push(Reference {
                            from: reg.id.clone(),
                            clause: anchor.clone(),
                            origin: Origin::Body,
                            text: run.text[range.clone()].to_string(),
                            target: target.clone(),
                            path: reg.source.path.clone(),
                            line,
                            column,
                        });
                        run.spans.push(Span {
                            range,
                            target: Some(target),
                        });
                    }
                    run.spans.sort_by_key(|s| s.range.start);
                    let mentions = detector.scan(&run.text);
                    if !mentions.is_empty() {
                        let duty_place = match block.clause {
                            Some(clause) => DutyPlace::Clause { clause },
                            None => DutyPlace::Preamble,
                        };
                        let offset = run.offset;
                        let link =
                            duties.record(&run.text, &mentions, duty_place, |b| at(offset + b).0);
                        role_spans(run, &mentions, &link, &lib.roles);
                    }
                }
                Piece::Link {
                    to, offset, image, ..
                } => {
                    let LinkTo::Url(dest) = to else { continue };
                    let (line, column) = at(*offset);
                    let Some(res) = explicit(lib, index, reg, dest) else {
                        // Not a reference: an address, which the URL policy may refuse.
                        out.diags.extend(addresses::check_link(
                            to,
                            *image,
                            &reg.source.path,
                            (line, column),
                        ));
                        continue;
                    };
                    *to = match res {
                        Ok(target) => {
                            out.refs.push(Reference {
                                from: reg.id.clone(),
                                clause: anchor.clone(),
                                origin: Origin::Body,
                                text: dest.clone(),
                                target: target.clone(),
                                path: reg.source.path.clone(),
                                line,
                                column,
                            });
                            LinkTo::Target(target)
                        }
                        Err(p) => {
                            out.diags
                                .push(problem(&reg.source.path, line, column, p, true));
                            LinkTo::Unresolved
                        }
                    };
                }
                Piece::Event(_) => {}
            }
        }
    }
    out.doc = doc;

    // Short texts outside the body (register cells, procedure steps) are located by the line of the
    // source file that holds them.
    let mut scan_short =
        |text: &str, path: &std::path::Path, line: usize, origin: &Origin, out: &mut Scanned| {
            let mut run = Run::new(text, 0);
            for f in scanner.scan(text, Place::default()) {
                let target = match f.result {
                    Ok(target) => {
                        out.refs.push(Reference {
                            from: reg.id.clone(),
                            clause: None,
                            origin: origin.clone(),
                            text: text[f.range.clone()].to_string(),
                            target: target.clone(),
                            path: path.to_path_buf(),
                            line,
                            column: 1,
                        });
                        Some(target)
                    }
                    Err(p) => {
                        out.diags.push(problem(path, line, 1, p, false));
                        None
                    }
                };
                run.spans.push(Span {
                    range: f.range,
                    target,
                });
            }
            let taken: Vec<std::ops::Range<usize>> =
                run.spans.iter().map(|s| s.range.clone()).collect();
            for (range, name) in index.bare_forms.scan(text, &taken) {
                let target = Target::Form { name };
                out.refs.push(Reference {
                    from: reg.id.clone(),
                    clause: None,
                    origin: origin.clone(),
                    text: text[range.clone()].to_string(),
                    target: target.clone(),
                    path: path.to_path_buf(),
                    line,
                    column: 1,
                });
                run.spans.push(Span {
                    range,
                    target: Some(target),
                });
            }
            run.spans.sort_by_key(|s| s.range.start);
            run
        };
    if let Some(rr) = &reg.risk_register {
        // Front-matter starts on the file's second line, after the opening `---`. The lines of all
        // cells in one pass (a search per cell was quadratic in a big register).
        let items: Vec<&str> = rr
            .rows
            .iter()
            .flat_map(|row| {
                rr.columns
                    .iter()
                    .flat_map(|col| row.get(col).into_iter().flatten().map(String::as_str))
            })
            .collect();
        let mut lines = first_lines(&reg.front_matter, &items)
            .into_iter()
            .map(|l| l.map_or(1, |l| l + 1));
        for (ri, row) in rr.rows.iter().enumerate() {
            let mut cells = Vec::with_capacity(rr.columns.len());
            for col in &rr.columns {
                let items = row.get(col).map(Vec::as_slice).unwrap_or_default();
                let runs = items
                    .iter()
                    .map(|item| {
                        let line = lines.next().unwrap_or(1);
                        let mut run = scan_short(
                            item,
                            &reg.source.path,
                            line,
                            &Origin::RiskRegister,
                            &mut out,
                        );
                        let mentions = detector.scan(item);
                        let link =
                            duties
                                .record(item, &mentions, DutyPlace::Register { row: ri }, |_| line);
                        role_spans(&mut run, &mentions, &link, &lib.roles);
                        run
                    })
                    .collect();
                cells.push(runs);
            }
            out.cells.push(cells);
        }
    }
    for (pi, p) in lib.procedures_of_indexed(&reg.id) {
        let texts: Vec<&str> = p
            .steps
            .iter()
            .flat_map(|s| std::iter::once(s.text.as_str()).chain(s.note.as_deref()))
            .collect();
        let mut lines = first_lines(&p.text, &texts)
            .into_iter()
            .map(|l| l.unwrap_or(1));
        for (si, step) in p.steps.iter().enumerate() {
            let origin = Origin::Procedure {
                id: p.id.clone(),
                step: si,
            };
            let place = DutyPlace::Step {
                procedure: pi,
                step: si,
            };
            let mut first_line = None;
            let runs = std::iter::once(&step.text)
                .chain(step.note.as_ref())
                .map(|text| {
                    let line = lines.next().unwrap_or(1);
                    first_line.get_or_insert(line);
                    let mut run = scan_short(text, &p.source.path, line, &origin, &mut out);
                    let mentions = detector.scan(text);
                    let link = duties.record(text, &mentions, place, |_| line);
                    role_spans(&mut run, &mentions, &link, &lib.roles);
                    run
                })
                .collect();
            out.steps.push((pi, si, runs));
            // The step's `role:` is who performs it, named or not in its text.
            if let Some(role) = step.role.as_deref().and_then(|n| duties.role(n)) {
                duties.declare(
                    role,
                    place,
                    DutyKind::Performs,
                    &step.text,
                    Detection::StepRole,
                    first_line.unwrap_or(1),
                );
            }
        }
    }
    // What the editor assigns in the front-matter, where the text does not name the role.
    for (clause, role, line) in assigned {
        let (place, text) = match clause {
            Some(c) => (
                DutyPlace::Clause { clause: c },
                out.doc_clause_text(c, &reg.clauses[c].text),
            ),
            None => (DutyPlace::Preamble, String::new()),
        };
        duties.declare(
            role,
            place,
            DutyKind::Unclassified,
            &text,
            Detection::Assigned,
            line,
        );
    }
    duties.inherit(&reg.clauses, |l| reg.file_line(l));
    let mut list = duties.duties;
    list.sort_by_key(|d| place_order(&d.place));
    out.duties = list;
    out
}

/// Scan every regulation body, risk register and procedure of the library for references: the
/// spans are stored in the model's trees and runs, the references in [`Library::references`]; the
/// diagnostics for those that do not resolve are returned.
pub fn link(lib: &mut Library, index: &Index, roles: &RoleIndex) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let docs: Vec<Body> = lib
        .regulations
        .iter_mut()
        .map(|r| std::mem::take(&mut r.doc))
        .collect();
    let scanned: Vec<Scanned> = {
        let lib: &Library = lib;
        docs.into_par_iter()
            .enumerate()
            .map(|(r, doc)| scan_regulation(lib, index, roles, r, doc))
            .collect()
    };
    let mut refs = Vec::new();
    let mut duties = Vec::new();
    let mut diags = Vec::new();
    for (r, mut s) in scanned.into_iter().enumerate() {
        duties.append(&mut s.duties);
        refs.append(&mut s.refs);
        diags.append(&mut s.diags);
        s.doc_into(lib, r);
    }
    lib.set_references(refs);
    lib.set_duties(duties);
    diags
}

/// [`link`] for one regulation of a linked library (its body parsed again into `doc`): its
/// references and duties replace the ones it had, in their place.
pub fn relink(lib: &mut Library, index: &Index, roles: &RoleIndex, r: usize) -> Vec<Diagnostic> {
    let doc = std::mem::take(&mut lib.regulations[r].doc);
    let mut s = scan_regulation(lib, index, roles, r, doc);
    // References are kept in regulation order: this one's go where its old ones were, after
    // those of the regulations before it.
    let mut refs = std::mem::take(&mut lib.references);
    let before = |x: &Reference, end: usize| lib.position(&x.from).is_some_and(|p| p < end);
    let start = refs.partition_point(|x| before(x, r));
    let end = refs.partition_point(|x| before(x, r + 1));
    debug_assert!(
        refs[start..end]
            .iter()
            .all(|x| x.from == lib.regulations[r].id)
    );
    refs.splice(start..end, std::mem::take(&mut s.refs));
    lib.set_references(refs);
    let mut duties = lib.take_duties();
    duties.retain(|d| d.regulation != r);
    duties.append(&mut s.duties);
    lib.set_duties(duties);
    let diags = std::mem::take(&mut s.diags);
    s.doc_into(lib, r);
    diags
}
