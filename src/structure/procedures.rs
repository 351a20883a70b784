//! Checks what procedures say of the clause tree: every governing clause they name (of the
//! procedure, a step, a condition, a choice or a constraint) exists, and so does the risk point it
//! guards. What rests on a withheld regulation is taken out first ([`withdraw`]), so that
//! withdrawing a regulation never fails the build.

use std::collections::HashSet;

use crate::content::load::{find_line, nearest};
use crate::error::{Diagnostic, Severity};
use crate::model::{Library, Withheld};

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
    }
    diags
}
