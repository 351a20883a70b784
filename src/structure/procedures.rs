//! Checks what procedures say of the clause tree: every governing clause they name (of the
//! procedure, a step, a condition, a choice or a constraint) exists, and so does the risk point it
//! guards.

use std::collections::HashSet;

use crate::content::load::{find_line, nearest};
use crate::error::{Diagnostic, Severity};
use crate::model::Library;

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
            let mut args = vec![("clause", c.clone())];
            if let Some(t) = target {
                args.push(("id", t.id.clone()));
            }
            let mut d = Diagnostic::coded(
                Severity::Error,
                "RB090",
                &p.source.path,
                find_line(&p.text, c),
                1,
                args,
            );
            d = match target {
                Some(t) => match nearest(anchor, t.clauses.iter().map(|c| c.anchor.as_str())) {
                    Some(n) => d.with_hint("anchor-did-you-mean", vec![("near", n.to_string())]),
                    None => d,
                },
                None => d.with_hint("procedure-clause-form", Vec::new()),
            };
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
