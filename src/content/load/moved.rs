//! Moving and removing regulations (issue 24): a regulation's `old_ids:` lists the ids it had
//! before (an `id:` changed, or a file renamed so that its default id changed). Each keeps its old
//! address alive as a small redirect page (src/render/redirects.rs), and a procedure that still
//! cites an old id is pointed at the new one with a warning that says what to change where.
//!
//! An old id must be usable as an id, and must name no other document: the redirect page would
//! otherwise be written over a regulation's own page (or two regulations would claim one
//! address). Each such entry is an error at its line and is dropped.

use std::collections::HashMap;
use std::path::Path;

use super::{find_line, valid_id};
use crate::error::{Diagnostic, Severity};
use crate::model::{Regulation, Withheld};

/// An old id that cannot be an id.
const INVALID: &str = "RB126";
/// An old id that is the id (or an old id) of another document.
const TAKEN: &str = "RB127";

/// The line of `old` in the front-matter `yaml` of a file whose front-matter starts on line 2:
/// the first line from `old_ids:` on that names it.
fn line_of(yaml: &str, old: &str) -> usize {
    let from = find_line(yaml, "old_ids");
    let at = yaml
        .lines()
        .enumerate()
        .skip(from - 1)
        .find(|(_, l)| l.contains(old))
        .map_or(from, |(i, _)| i + 1);
    at + 1
}

/// Check every document's `old_ids:` (published and withheld alike: an address stays reserved
/// while its regulation is withdrawn) and drop the entries that cannot be kept. Returns old id →
/// current id, for the procedures.
pub(super) fn check_old_ids(
    regulations: &mut [Regulation],
    withheld: &mut [Withheld],
    diags: &mut Vec<Diagnostic>,
) -> HashMap<String, String> {
    // Every current id → its file.
    let owners: HashMap<String, std::path::PathBuf> = regulations
        .iter()
        .map(|r| (r.id.clone(), r.source.path.clone()))
        .chain(withheld.iter().map(|w| (w.id.clone(), w.path.clone())))
        .collect();
    let mut moved: HashMap<String, String> = HashMap::new();
    let mut claimed: HashMap<String, std::path::PathBuf> = HashMap::new();
    let mut keep = |id: &str, path: &Path, yaml: &str, old: &str, diags: &mut Vec<Diagnostic>| {
        let line = line_of(yaml, old);
        let taken_by = owners.get(old).or_else(|| claimed.get(old)).cloned();
        let problem = if !valid_id(old) {
            Some((INVALID, vec![("id", old.to_string())]))
        } else {
            taken_by.map(|other| {
                (
                    TAKEN,
                    vec![
                        ("id", old.to_string()),
                        ("other", other.display().to_string()),
                    ],
                )
            })
        };
        match problem {
            Some((code, args)) => {
                diags.push(Diagnostic::coded(
                    Severity::Error,
                    code,
                    path,
                    line,
                    1,
                    args,
                ));
                false
            }
            None => {
                claimed.insert(old.to_string(), path.to_path_buf());
                moved.insert(old.to_string(), id.to_string());
                true
            }
        }
    };
    for r in regulations.iter_mut() {
        let mut olds = std::mem::take(&mut r.old_ids);
        olds.retain(|o| keep(&r.id, &r.source.path, &r.front_matter, o, diags));
        r.old_ids = olds;
    }
    for w in withheld.iter_mut() {
        let mut olds = std::mem::take(&mut w.old_ids);
        olds.retain(|o| keep(&w.id, &w.path, &w.front_matter, o, diags));
        w.old_ids = olds;
    }
    moved
}

/// A clause or risk point (`id#anchor`) or a regulation id (`id`) that names an old id, written
/// with the current one; `None` when it names none.
pub(super) fn renamed(moved: &HashMap<String, String>, cited: &str) -> Option<String> {
    let (id, rest) = match cited.split_once('#') {
        Some((id, anchor)) => (id, Some(anchor)),
        None => (cited, None),
    };
    let new = moved.get(id)?;
    Some(match rest {
        Some(anchor) => format!("{new}#{anchor}"),
        None => new.clone(),
    })
}

/// A procedure that cites an old id — as its `regulation:`, in a `clause:` or its `risk_point:` —
/// is read with the current id, with one warning per citation at its line saying what to write.
pub(super) fn follow_old_ids(
    p: &mut crate::model::Procedure,
    moved: &HashMap<String, String>,
    shown: &Path,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) {
    if moved.is_empty() {
        return;
    }
    let mut follow = |cited: &mut String, line: usize| {
        if let Some(new) = renamed(moved, cited) {
            let old_id = cited.split('#').next().unwrap_or_default().to_string();
            diags.push(Diagnostic::coded(
                Severity::Warning,
                CITES_OLD_ID,
                shown,
                line,
                1,
                vec![
                    ("cited", cited.clone()),
                    ("old", old_id.clone()),
                    ("new", moved[&old_id].clone()),
                    ("now", new.clone()),
                ],
            ));
            *cited = new;
        }
    };
    let regulation_line = find_line(text, "regulation:");
    follow(&mut p.regulation, regulation_line);
    let at = |c: &str| find_line(text, c);
    let clauses = p
        .clause
        .iter_mut()
        .chain(p.steps.iter_mut().filter_map(|s| s.clause.as_mut()))
        .chain(p.constraints.iter_mut().filter_map(|c| c.clause.as_mut()))
        .chain(p.conditions.iter_mut().flat_map(|c| {
            c.clause
                .iter_mut()
                .chain(c.choices.iter_mut().filter_map(|o| o.clause.as_mut()))
        }))
        .chain(p.risk_point.iter_mut());
    for c in clauses {
        // Only `id#anchor` names another regulation; a bare anchor is of the procedure's own.
        if c.contains('#') {
            let line = at(c);
            follow(c, line);
        }
    }
}

/// A procedure citing an old id (read with the current one).
const CITES_OLD_ID: &str = "RB128";
