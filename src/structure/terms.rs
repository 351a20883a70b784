//! terms.yaml against the analysed regulations: a term's `explained_in:` anchors must be clauses of
//! its `source:` (RB142). Checked here, not when loading, because clause anchors exist only once the
//! bodies are parsed.

use std::path::PathBuf;

use crate::error::{Diagnostic, Severity};
use crate::model::Library;

/// RB142 for every `explained_in:` anchor its source regulation does not have. A source that is
/// missing was reported when loading (RB063); a withheld one dropped the term (RB105).
pub fn check(lib: &Library) -> Vec<Diagnostic> {
    // Shown as the loader shows it (relative to the site root), like its other terms.yaml notes.
    let path = PathBuf::from("content/terms.yaml");
    let mut diags = Vec::new();
    for t in &lib.terms {
        let Some(r) = t.source.as_deref().and_then(|s| lib.regulation(s)) else {
            continue;
        };
        for anchor in &t.explained_in {
            if r.clause_index(anchor).is_none() {
                diags.push(Diagnostic::coded(
                    Severity::Error,
                    "RB142",
                    &path,
                    t.explained_line.max(1),
                    1,
                    vec![
                        ("term", t.term.clone()),
                        ("anchor", anchor.clone()),
                        ("id", r.id.clone()),
                    ],
                ));
            }
        }
    }
    diags
}
