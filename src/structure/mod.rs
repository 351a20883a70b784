//! Analysis stage: what the text means. Each body is parsed once into the model's tree ([`parse`]),
//! its clauses numbered ([`clauses`]), its references found and resolved ([`references`]) and, in
//! the same walk, the roles it names and their duties ([`roles`]).

pub mod actor;
pub mod addresses;
pub mod clauses;
pub mod forms;
pub mod limits;
pub mod lines;
pub mod names;
pub mod numerals;
pub mod pagelinks;
pub mod parse;
pub mod procedures;
pub mod references;
pub mod roles;
pub mod templates;
pub mod terms;
pub mod thresholds;

use std::collections::HashSet;

use rayon::prelude::*;

use crate::error::Diagnostic;
use crate::model::{Library, Withheld};

/// Analyse a loaded library in place: parse and outline every body (once), check procedures against
/// the clauses, then find and resolve every reference. `failed` holds the ids of regulation files
/// that did not load (what refers to them is not reported again). Returns the diagnostics.
pub fn analyse(
    lib: &mut Library,
    withheld: &[Withheld],
    failed: &HashSet<String>,
) -> Vec<Diagnostic> {
    analyse_indexed(lib, withheld, failed).0
}

/// [`analyse`], also giving the index of names references were resolved against (the preview
/// server keeps it for [`reanalyse_body`]).
pub fn analyse_indexed(
    lib: &mut Library,
    withheld: &[Withheld],
    failed: &HashSet<String>,
) -> (Vec<Diagnostic>, references::Index) {
    // Other generators' template tags come out of the text first, reported once per kind.
    let mut places = Vec::new();
    for r in &mut lib.regulations {
        places.extend(strip_templates(r));
    }
    for c in &mut lib.categories {
        if let Some(intro) = &mut c.intro {
            places.extend(strip_templates(intro));
        }
    }
    let mut diags: Vec<Diagnostic> = lib
        .regulations
        .par_iter_mut()
        .flat_map_iter(outline)
        .collect();
    places.sort_by(|a, b| (&a.2, a.3, a.4).cmp(&(&b.2, b.3, b.4)));
    diags.extend(templates::report(places));
    // Folder pages' introductions: parsed as bodies are, for the same renderer; their numbering
    // is nobody's concern and they cite nothing (they are not scanned for references).
    for c in &mut lib.categories {
        if let Some(intro) = &mut c.intro {
            let parsed = parse::parse(&intro.body);
            intro.clauses = parsed.clauses;
            intro.doc = parsed.body;
            intro.body = String::new();
        }
    }
    diags.extend(procedures::withdraw(lib, withheld));
    diags.extend(pagelinks::resolve(lib, withheld, None));
    diags.extend(procedures::check(lib, failed));
    diags.extend(terms::check(lib));
    let mut index = references::Index::new(lib, withheld);
    index.incomplete = !failed.is_empty();
    let role_index = roles::RoleIndex::new(&lib.roles).with_organisation(
        lib.config.organisation.as_deref(),
        lib.config.short_name.as_deref(),
    );
    diags.extend(references::link(lib, &index, &role_index));
    diags.extend(repealed_references(lib));
    for r in &mut lib.regulations {
        r.body = String::new();
    }
    (diags, index)
}

/// Take other generators' template tags out of a body ([`templates`]): where each stood, for the
/// report.
fn strip_templates(
    r: &mut crate::model::Regulation,
) -> Vec<(templates::Kind, String, std::path::PathBuf, usize, usize)> {
    let (stripped, found) = templates::strip(&r.body);
    let Some(stripped) = stripped else {
        return Vec::new();
    };
    let lines = lines::LineIndex::new(&r.body);
    let places = found
        .into_iter()
        .map(|f| {
            let (line, column) = lines.line_col(&r.body, f.offset);
            (
                f.kind,
                f.text,
                r.source.path.clone(),
                r.file_line(line),
                column,
            )
        })
        .collect();
    r.body = stripped;
    places
}

/// Parse one regulation's body into its tree and numbered clauses; the parser's notes and the
/// name checks as diagnostics.
fn outline(r: &mut crate::model::Regulation) -> Vec<Diagnostic> {
    let parsed = parse::parse(&r.body);
    r.anchors = parsed
        .clauses
        .iter()
        .enumerate()
        .map(|(i, c)| (c.anchor.clone(), i))
        .collect();
    r.clauses = parsed.clauses;
    r.doc = parsed.body;
    let path = r.source.path.clone();
    let body_line = r.source.body_line.max(1);
    let mut diags: Vec<Diagnostic> = parsed
        .notes
        .into_iter()
        .map(|note| note.diagnostic(&path, body_line))
        .collect();
    diags.extend(references::name_diagnostics(r));
    diags
}

/// Analyse again one regulation of an analysed library whose body (only) has changed: `body` and
/// `body_line` are the new ones, everything from its front-matter is as before. Its tree, clauses,
/// references, duties and procedure steps are replaced; the rest of the library is left as it was.
///
/// This is the preview server's quick path (`src/serve/`): what the edited page shows is what
/// [`analyse`] gives for it, as long as nothing another regulation resolves against has moved (a
/// clause renumbered keeps the others' links to the old number until the full build that follows).
/// `index` is the one [`analyse_indexed`] gave. Returns the regulation's own diagnostics (not the
/// handbook-wide checks).
pub fn reanalyse_body(
    lib: &mut Library,
    r: usize,
    body: String,
    body_line: usize,
    index: &references::Index,
) -> Vec<Diagnostic> {
    let reg = &mut lib.regulations[r];
    reg.body = body;
    reg.source.body_line = body_line;
    let places = strip_templates(reg);
    let mut diags = outline(reg);
    diags.extend(templates::report(places));
    diags.extend(pagelinks::resolve(lib, &[], Some(r)));
    // The index holds names from front-matter, terms.yaml and the withheld files, none of which
    // a body edit changes: the full analysis's index still holds.
    let role_index = roles::RoleIndex::new(&lib.roles).with_organisation(
        lib.config.organisation.as_deref(),
        lib.config.short_name.as_deref(),
    );
    diags.extend(references::relink(lib, index, &role_index, r));
    lib.regulations[r].body = String::new();
    diags
}

/// A regulation in force (现行) that cites a 废止 one sends staff to rules that no longer apply: a
/// warning at the reference, naming the successor where there is one. Only inferred text is
/// involved here, never the editor's front-matter, so it does not stop the build.
fn repealed_references(lib: &Library) -> Vec<Diagnostic> {
    use crate::model::{Status, Target};
    let mut out = Vec::new();
    for r in &lib.references {
        let Target::Regulation { id, .. } = &r.target else {
            continue;
        };
        if id == &r.from {
            continue;
        }
        let (Some(from), Some(to)) = (lib.regulation(&r.from), lib.regulation(id)) else {
            continue;
        };
        if from.status != Status::Current || to.status != Status::Repealed {
            continue;
        }
        let d = crate::error::Diagnostic::coded(
            crate::error::Severity::Warning,
            "RB048",
            &r.path,
            r.line,
            r.column,
            vec![("title", to.title.clone())],
        );
        out.push(
            match to
                .lifecycle
                .superseded_by
                .as_deref()
                .and_then(|s| lib.regulation(s))
            {
                Some(next) => d.with_hint("superseded-by", vec![("next", next.title.clone())]),
                None => d.with_hint("cite-in-force", Vec::new()),
            },
        );
    }
    out
}

/// One regulation made from a body alone and analysed as a handbook of its own (for tests, the fuzz
/// target and tools that have no file).
pub fn analyse_one(id: &str, title: &str, body: &str) -> crate::model::Regulation {
    let mut lib = Library::new(
        crate::config::Config::default(),
        vec![crate::model::Regulation::new(id, title, body)],
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    analyse(&mut lib, &[], &HashSet::new());
    lib.regulations.pop().expect("one regulation")
}
