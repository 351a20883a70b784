//! Procedure files (`content/procedures/*.yaml`): parsed, attached to a published regulation
//! (withheld with an unpublished one), their role names and shape checked, sorted in the
//! regulations' order, ids unique.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::data::read_text;
use super::roles::unknown_role;
use super::{Ctx, find_line, nearest};
use crate::content::yaml;
use crate::error::{Diagnostic, Severity};
use crate::model::*;

/// Read every procedure file; what cannot be used is reported and left out.
#[allow(clippy::too_many_arguments)] // each is one of the loader's results the procedures rest on
pub(super) fn load_procedures(
    ctx: &Ctx,
    procedure_files: &[PathBuf],
    regulations: &[Regulation],
    withheld: &[Withheld],
    failed_ids: &HashSet<String>,
    names: &HashMap<&str, &str>,
    moved: &HashMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Procedure> {
    let by_id: HashMap<&str, &Regulation> =
        regulations.iter().map(|r| (r.id.as_str(), r)).collect();
    let withheld_ids: HashSet<&str> = withheld.iter().map(|w| w.id.as_str()).collect();
    let mut procedures = Vec::new();
    for path in procedure_files {
        let shown = ctx.display(path);
        let Some(text) = read_text(ctx, path, diags) else {
            continue;
        };
        let mut p: Procedure = match yaml::from_str(&text) {
            Ok(p) => p,
            Err(e) => {
                // A common slip at its own line with its advice, not where the parser noticed it.
                let slip = crate::content::slips::diagnostic(
                    &text,
                    e.line,
                    crate::content::slips::Kind::Procedure,
                    &shown,
                    |l| l,
                );
                diags.push(slip.unwrap_or_else(|| {
                    Diagnostic::coded(
                        Severity::Error,
                        "RB064",
                        &shown,
                        e.line,
                        e.column,
                        crate::messages::yaml_detail(e.message),
                    )
                }));
                continue;
            }
        };
        p.source = Source {
            path: shown.clone(),
            body_line: 1,
        };
        p.text = text.clone();
        super::moved::follow_old_ids(&mut p, moved, &shown, &text, diags);
        if withheld_ids.contains(p.regulation.as_str()) {
            continue; // belongs to an unpublished regulation: withheld with it
        }
        if failed_ids.contains(&p.regulation) {
            continue; // its regulation did not load: that error is reported already
        }
        if !by_id.contains_key(p.regulation.as_str()) {
            let mut d = Diagnostic::coded(
                Severity::Error,
                "RB065",
                &shown,
                find_line(&text, "regulation:"),
                1,
                vec![("id", p.id.clone()), ("regulation", p.regulation.clone())],
            );
            d = moved_hint(d, &p.regulation, by_id.keys().copied());
            diags.push(d);
            continue;
        }
        // Clauses named by the steps are checked by the analysis, once the bodies are outlined.
        let roles_named = p
            .steps
            .iter()
            .map(|s| s.role.as_ref())
            .chain(p.constraints.iter().map(|c| c.role.as_ref()))
            .flatten();
        for role in roles_named {
            if !names.contains_key(role.as_str()) {
                diags.push(unknown_role(
                    &shown,
                    find_line(&text, &format!("role: {role}")),
                    role,
                    names.keys().copied(),
                ));
            }
        }
        check_procedure_shape(&p, &shown, &text, diags);
        p.assign_step_ids();
        if p.steps.is_empty() {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB066",
                &shown,
                1,
                1,
                Vec::new(),
            ));
        }
        procedures.push(p);
    }
    sort_and_check_ids(&mut procedures, regulations, diags);
    procedures
}

/// Procedures in their regulations' order (then `order`, then id); an id used twice is an error.
fn sort_and_check_ids(
    procedures: &mut [Procedure],
    regulations: &[Regulation],
    diags: &mut Vec<Diagnostic>,
) {
    let reg_pos: HashMap<&str, usize> = regulations
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    procedures.sort_by(|a, b| {
        (reg_pos.get(a.regulation.as_str()), a.order, &a.id).cmp(&(
            reg_pos.get(b.regulation.as_str()),
            b.order,
            &b.id,
        ))
    });
    let mut proc_ids = HashSet::new();
    for p in procedures.iter() {
        if !proc_ids.insert(p.id.as_str()) {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB067",
                &p.source.path,
                1,
                1,
                vec![("id", p.id.clone())],
            ));
        }
    }
}

/// What a procedure file says of itself that can be checked without the regulations' clauses:
/// an editorial order says what it rests on, choice and condition ids are unique, every `when:`
/// names a choice (of an earlier condition, for a condition), and every step cites a clause or a
/// flowchart box. Each problem is an error at its line.
fn check_procedure_shape(p: &Procedure, shown: &Path, text: &str, diags: &mut Vec<Diagnostic>) {
    let mut err = |line: usize, code: &'static str, args: Vec<(&'static str, String)>| {
        diags.push(Diagnostic::coded(
            Severity::Error,
            code,
            shown,
            line,
            1,
            args,
        ));
    };
    if p.editorial_order && p.order_note.as_deref().is_none_or(|n| n.trim().is_empty()) {
        err(find_line(text, "editorial_order:"), "RB068", Vec::new());
    }
    let mut conditions = HashSet::new();
    // Choice id → index of its condition.
    let mut choices: HashMap<&str, usize> = HashMap::new();
    for (ci, c) in p.conditions.iter().enumerate() {
        if !conditions.insert(c.id.as_str()) {
            err(
                find_line(text, &format!("id: {}", c.id)),
                "RB069",
                vec![("id", c.id.clone())],
            );
        }
        for w in &c.when {
            if !choices.contains_key(w.as_str()) {
                err(
                    find_line(text, &format!("when: {w}")).max(find_line(text, w)),
                    "RB070",
                    vec![("id", c.id.clone()), ("when", w.clone())],
                );
            }
        }
        if c.choices.is_empty() {
            err(
                find_line(text, &format!("id: {}", c.id)),
                "RB071",
                vec![("id", c.id.clone())],
            );
        }
        for o in &c.choices {
            if choices.insert(o.id.as_str(), ci).is_some() {
                err(
                    find_line(text, &format!("id: {}", o.id)),
                    "RB072",
                    vec![("id", o.id.clone())],
                );
            }
            if c.unit.is_none() && (o.max.is_some() || o.under.is_some()) {
                err(
                    find_line(text, &format!("id: {}", o.id)),
                    "RB073",
                    vec![("id", o.id.clone())],
                );
            }
        }
    }
    for s in &p.steps {
        let line = find_line(text, &s.text);
        for w in &s.when {
            if !choices.contains_key(w.as_str()) {
                let mut d = Diagnostic::coded(
                    Severity::Error,
                    "RB074",
                    shown,
                    line,
                    1,
                    vec![("step", s.text.clone()), ("when", w.clone())],
                );
                if let Some(n) = nearest(w, choices.keys().copied()) {
                    d = d.with_hint("did-you-mean", vec![("near", n.to_string())]);
                }
                diags.push(d);
            }
        }
        if s.clause.is_none() && s.boxes.is_empty() {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB075",
                shown,
                line,
                1,
                vec![("step", s.text.clone())],
            ));
        }
    }
}

/// The advice for a citation of a regulation that is not there (removed, or its id changed): the
/// regulation it most likely means, and that `old_ids:` keeps a former id working.
pub(crate) fn moved_hint<'a>(
    d: Diagnostic,
    cited: &str,
    ids: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    match nearest(cited, ids) {
        Some(n) => d.with_hint(
            "moved-did-you-mean",
            vec![("near", n.to_string()), ("cited", cited.to_string())],
        ),
        None => d.with_hint("moved-or-removed", vec![("cited", cited.to_string())]),
    }
}
