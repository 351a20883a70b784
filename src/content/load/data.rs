//! The YAML lists at the top of `content/` (roles.yaml, terms.yaml): read as clean text, parsed,
//! and what terms.yaml says about regulations checked.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::Ctx;
use crate::content::{text, yaml};
use crate::error::{Diagnostic, Severity};
use crate::model::{Regulation, Term};

/// Read a data file (YAML) as clean text; a missing file is `None` without a diagnostic.
pub(super) fn read_text(ctx: &Ctx, path: &Path, diags: &mut Vec<Diagnostic>) -> Option<String> {
    if !path.exists() {
        return None;
    }
    text::read_as(path, &ctx.display(path), ctx.encoding, diags)
        .map_err(|d| diags.push(*d))
        .ok()
}

/// A YAML list at the top of `content/` and its text; a missing or unreadable file is an empty list.
pub(super) fn load_list<T: for<'de> Deserialize<'de>>(
    ctx: &Ctx,
    name: &str,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<T>, String) {
    let path = ctx.content.join(name);
    let Some(text) = read_text(ctx, &path, diags) else {
        return (Vec::new(), String::new());
    };
    match yaml::from_str::<Option<Vec<T>>>(&text) {
        Ok(v) => (v.unwrap_or_default(), text),
        Err(e) => {
            let shown = ctx.display(&path);
            let slip = crate::content::slips::diagnostic(
                &text,
                e.line,
                crate::content::slips::Kind::Data(name),
                &shown,
                |l| l,
            );
            diags.push(slip.unwrap_or_else(|| {
                Diagnostic::coded(
                    Severity::Error,
                    "RB057",
                    shown,
                    e.line,
                    e.column,
                    crate::messages::yaml_detail(e.message)
                        .into_iter()
                        .chain([("file", name.to_string())])
                        .collect(),
                )
            }));
            (Vec::new(), text)
        }
    }
}

/// The line of each term's `explained_in:` key: the first one after the line that names the term
/// (RB142 points there once the clauses are known).
pub(super) fn explained_lines(terms: &mut [Term], text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    let mut from = 0;
    for t in terms.iter_mut() {
        let quoted = [format!("\"{}\"", t.term), format!("term: {}", t.term)];
        if let Some(i) = (from..lines.len()).find(|&i| {
            lines[i].contains("term:") && quoted.iter().any(|q| lines[i].contains(q.as_str()))
        }) {
            from = i + 1;
        }
        if t.explained_in.is_empty() {
            continue;
        }
        t.explained_line = (from..lines.len())
            .find(|&i| lines[i].contains("explained_in:"))
            .map_or(1, |i| i + 1);
    }
}

/// A term's `source:` names a regulation that exists (or one that failed to load, reported already).
pub(super) fn check_terms(
    ctx: &Ctx,
    terms: &[Term],
    regulations: &[Regulation],
    failed_ids: &HashSet<String>,
    withheld: &[crate::model::Withheld],
    diags: &mut Vec<Diagnostic>,
) {
    let withheld_ids: HashSet<&str> = withheld.iter().map(|w| w.id.as_str()).collect();
    let by_id: HashMap<&str, &Regulation> =
        regulations.iter().map(|r| (r.id.as_str(), r)).collect();
    let terms_path = ctx.display(&ctx.content.join("terms.yaml"));
    for t in terms {
        if let Some(src) = &t.source
            && !by_id.contains_key(src.as_str())
            && !failed_ids.contains(src)
            // a warning when analysed (procedures::withdraw)
            && !withheld_ids.contains(src.as_str())
        {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB063",
                &terms_path,
                1,
                1,
                vec![("term", t.term.clone()), ("id", src.clone())],
            ));
        }
    }
}
