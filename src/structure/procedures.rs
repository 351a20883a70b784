//! Checks what procedures say of the clause tree: every governing clause they name (of the
//! procedure, a step, a condition, a choice or a constraint) exists, and so does the risk point it
//! guards. What rests on a withheld regulation is taken out first ([`withdraw`]), so that
//! withdrawing a regulation never fails the build.
//! guards; a step of a procedure written from clauses (`kind: text`) is its clause's words, so a
//! step the clause no longer says is an error (RB140, with the clause's wording now); a choice's
//! numeric bound reads its label by the Chinese legal rule of [`super::thresholds`] (RB141).

use std::collections::HashSet;

use crate::content::load::{find_line, nearest};
use crate::error::{Diagnostic, Severity};
use crate::model::{Library, ProcedureKind, Regulation, Withheld};

use super::thresholds::{self, Bound};

/// Take out of the library what rests on a withheld (draft or classified) regulation, with one
/// warning per place: a procedure step or standing rule (constraint) whose clause is one of its
/// clauses is left out, as is a risk point of its register and a glossary term it is the source of
/// (the definitions are its words); the clause of a procedure, condition or choice is dropped, the
/// rest kept. Withdrawing a regulation then never fails the build and none of its text is shown;
/// `--deny-warnings` still stops it.
pub fn withdraw(lib: &mut Library, withheld: &[Withheld]) -> Vec<Diagnostic> {
    let ids: HashSet<&str> = withheld.iter().map(|w| w.id.as_str()).collect();
    let rests = |c: &Option<String>| {
        c.as_deref()
            .and_then(|c| c.split_once('#'))
            .is_some_and(|(r, _)| ids.contains(r))
    };
    let mut diags = Vec::new();
    let warn = |path: &std::path::Path, line: usize, code: &'static str, args| {
        Diagnostic::coded(Severity::Warning, code, path, line, 1, args)
    };
    for p in &mut lib.procedures {
        let place = |c: &str| find_line(&p.text, c);
        let mut notes = Vec::new();
        if rests(&p.clause) {
            let c = p.clause.take().unwrap_or_default();
            notes.push((place(&c), "RB102", vec![("clause", c)]));
        }
        for s in p.steps.iter().filter(|s| rests(&s.clause)) {
            let c = s.clause.clone().unwrap_or_default();
            notes.push((place(&c), "RB103", vec![("clause", c)]));
        }
        p.steps.retain(|s| !rests(&s.clause));
        for s in p.constraints.iter().filter(|s| rests(&s.clause)) {
            let c = s.clause.clone().unwrap_or_default();
            notes.push((place(&c), "RB103", vec![("clause", c)]));
        }
        p.constraints.retain(|s| !rests(&s.clause));
        for cond in &mut p.conditions {
            if rests(&cond.clause) {
                let c = cond.clause.take().unwrap_or_default();
                notes.push((place(&c), "RB102", vec![("clause", c)]));
            }
            for o in &mut cond.choices {
                if rests(&o.clause) {
                    let c = o.clause.take().unwrap_or_default();
                    notes.push((place(&c), "RB102", vec![("clause", c)]));
                }
            }
        }
        if rests(&p.risk_point) {
            let rp = p.risk_point.take().unwrap_or_default();
            notes.push((place("risk_point:"), "RB104", vec![("point", rp)]));
        }
        diags.extend(
            notes
                .into_iter()
                .map(|(line, code, args)| warn(&p.source.path, line, code, args)),
        );
    }
    // Shown as the loader shows it (relative to the site root), like its other terms.yaml notes.
    let terms_path = std::path::PathBuf::from("content/terms.yaml");
    lib.terms.retain(|t| {
        let Some(src) = t.source.as_deref().filter(|s| ids.contains(s)) else {
            return true;
        };
        diags.push(warn(
            &terms_path,
            1,
            "RB105",
            vec![("term", t.term.clone()), ("id", src.to_string())],
        ));
        false
    });
    diags
}

/// Diagnostics for clauses named by procedures (`clause:` of the procedure or a step) that the
/// regulations do not have. Regulations in `failed` did not load; what names them is not reported
/// again.
pub fn check(lib: &Library, failed: &HashSet<String>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for p in &lib.procedures {
        let Some(reg) = lib.regulation(&p.regulation) else {
            continue; // reported when loading
        };
        let named = p
            .clause
            .iter()
            .chain(p.steps.iter().filter_map(|s| s.clause.as_ref()))
            .chain(p.constraints.iter().filter_map(|c| c.clause.as_ref()))
            .chain(p.conditions.iter().flat_map(|c| {
                c.clause
                    .iter()
                    .chain(c.choices.iter().filter_map(|o| o.clause.as_ref()))
            }));
        for c in named {
            let (target, anchor) = match c.split_once('#') {
                Some((r, _)) if failed.contains(r) => continue,
                Some((r, a)) => (lib.regulation(r), a),
                None => (Some(reg), c.as_str()),
            };
            if target.is_some_and(|t| t.clause(anchor).is_some() || anchor == "preamble") {
                continue;
            }
            let line = find_line(&p.text, c);
            let Some(t) = target else {
                // The regulation itself is not there: removed, or its id changed.
                let cited = c.split('#').next().unwrap_or_default();
                let d = Diagnostic::coded(
                    Severity::Error,
                    "RB129",
                    &p.source.path,
                    line,
                    1,
                    vec![("clause", c.clone()), ("regulation", cited.to_string())],
                );
                diags.push(crate::content::load::moved_hint(
                    d,
                    cited,
                    lib.regulations.iter().map(|r| r.id.as_str()),
                ));
                continue;
            };
            let mut d = Diagnostic::coded(
                Severity::Error,
                "RB090",
                &p.source.path,
                line,
                1,
                vec![("clause", c.clone()), ("id", t.id.clone())],
            );
            if let Some(n) = nearest(anchor, t.clauses.iter().map(|c| c.anchor.as_str())) {
                d = d.with_hint("anchor-did-you-mean", vec![("near", n.to_string())]);
            }
            diags.push(d);
        }
        if let Some(rp) = &p.risk_point
            && lib.risk_point(rp).is_none()
            && !rp.split_once('#').is_some_and(|(r, _)| failed.contains(r))
        {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB091",
                &p.source.path,
                find_line(&p.text, "risk_point:"),
                1,
                vec![("point", rp.clone())],
            ));
        }
        diags.extend(stale_steps(lib, p, reg, failed));
        diags.extend(label_bounds(p));
    }
    diags
}

/// Text without white space, for comparing a step with its clause (converted documents scatter
/// spaces; a step is written on one line).
fn flat(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// RB140: a step of a `kind: text` procedure that its clause no longer says, at the step's line,
/// with what the clause says now.
fn stale_steps(
    lib: &Library,
    p: &crate::model::Procedure,
    reg: &Regulation,
    failed: &HashSet<String>,
) -> Vec<Diagnostic> {
    if p.kind != ProcedureKind::Text {
        return Vec::new();
    }
    let mut texts: std::collections::HashMap<String, Vec<String>> = Default::default();
    let mut diags = Vec::new();
    for step in &p.steps {
        let Some(c) = step.clause.as_ref().or(p.clause.as_ref()) else {
            continue;
        };
        let (target, anchor) = match c.split_once('#') {
            Some((r, _)) if failed.contains(r) => continue,
            Some((r, a)) => (lib.regulation(r), a),
            None => (Some(reg), c.as_str()),
        };
        let Some(target) = target else { continue };
        let Some(i) = target.clause_index(anchor) else {
            continue; // RB090 above
        };
        let full = texts
            .entry(target.id.clone())
            .or_insert_with(|| target.clause_full_texts());
        let Some(now) = full.get(i) else { continue };
        if now.is_empty() || flat(now).contains(&flat(&step.text)) {
            continue;
        }
        diags.push(Diagnostic::coded(
            Severity::Error,
            "RB140",
            &p.source.path,
            step_line(&p.text, &step.text),
            1,
            vec![
                ("step", step.text.clone()),
                ("clause", target.clauses[i].label.clone()),
                ("now", super::roles::shorten(now.trim())),
            ],
        ));
    }
    diags
}

/// The line of a step's `text:` (not of a comment or an `order_note:` quoting the same words).
fn step_line(file: &str, text: &str) -> usize {
    file.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches("- ");
            l.starts_with("text:") && l.contains(text)
        })
        .map_or_else(|| find_line(file, text), |i| i + 1)
}

/// RB141: a choice whose numeric bound (`max:` includes the number, `under:` excludes it) reads
/// its label otherwise than the Chinese legal rule does (3000元以下 with `under: 3000`), or that
/// decides a bound the label leaves open (超出3000元以上).
fn label_bounds(p: &crate::model::Procedure) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for cond in &p.conditions {
        for choice in &cond.choices {
            // What the label quotes (“超出3000元以上”) is the text's words cited, not its reading.
            let label = &choice.label;
            let quoted =
                |at: usize| label[..at].matches('“').count() > label[..at].matches('”').count();
            let found: Vec<_> = thresholds::find(label)
                .into_iter()
                .filter(|t| !quoted(t.range.start))
                .collect();
            let [t] = found.as_slice() else { continue };
            let wrong = match (t.bound, choice.max, choice.under) {
                (Bound::AtMost, _, Some(u)) => u == t.value,
                (Bound::Below, Some(m), _) => m == t.value,
                (Bound::Ambiguous, m, u) => m == Some(t.value) || u == Some(t.value),
                _ => false,
            };
            if wrong {
                diags.push(Diagnostic::coded(
                    Severity::Error,
                    "RB141",
                    &p.source.path,
                    find_line(&p.text, &format!("id: {}", choice.id)),
                    1,
                    vec![("label", choice.label.clone())],
                ));
            }
        }
    }
    diags
}
