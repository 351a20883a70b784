//! An editor's explicit reference (`[text](@id#anchor)`), resolved or refused with the nearest
//! id or anchor.

use super::{Index, Problem};
use crate::model::{Library, Regulation, Target};

/// An explicit reference written by an editor: `[text](@id#anchor)` or `[text](@#anchor)`.
pub fn explicit(
    lib: &Library,
    index: &Index,
    from: &Regulation,
    dest: &str,
) -> Option<Result<Target, Problem>> {
    let spec = dest.strip_prefix('@')?;
    let (id, anchor) = match spec.split_once('#') {
        Some((id, a)) => (id, Some(a)),
        None => (spec, None),
    };
    let reg = if id.is_empty() {
        Some(from)
    } else {
        lib.regulation(id)
    };
    if reg.is_none() && index.withheld_ids.contains(id) {
        return Some(Err(Problem::new(
            "RB037",
            vec![("dest", dest.to_string()), ("id", id.to_string())],
        )));
    }
    let Some(reg) = reg else {
        let near = lib
            .regulations
            .iter()
            .map(|r| (strsim::levenshtein(id, &r.id), &r.id))
            .min()
            .filter(|(d, _)| *d <= 3)
            .map(|(_, i)| i.clone());
        let problem = Problem::new(
            "RB038",
            vec![("dest", dest.to_string()), ("id", id.to_string())],
        );
        return Some(Err(match near {
            Some(n) => problem.with_hint("did-you-mean", vec![("near", format!("@{n}"))]),
            None => problem.with_hint("explicit-form", Vec::new()),
        }));
    };
    if let Some(a) = anchor
        && reg.clause(a).is_none()
        && !a.contains("-para")
    {
        let near = reg
            .clauses
            .iter()
            .map(|c| (strsim::levenshtein(a, &c.anchor), &c.anchor))
            .min()
            .filter(|(d, _)| *d <= 3)
            .map(|(_, i)| i.clone());
        let problem = Problem::new(
            "RB039",
            vec![
                ("dest", dest.to_string()),
                ("id", reg.id.clone()),
                ("anchor", a.to_string()),
            ],
        );
        return Some(Err(match near {
            Some(n) => problem.with_hint("did-you-mean", vec![("near", format!("#{n}"))]),
            None => problem.with_hint("anchor-scheme", Vec::new()),
        }));
    }
    Some(Ok(Target::Regulation {
        id: reg.id.clone(),
        anchor: anchor.map(str::to_string),
    }))
}
