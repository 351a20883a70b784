//! The real cause first: when a data file cannot be read (roles.yaml, terms.yaml), the problems that
//! only follow from its absence are not listed one by one — one tab in roles.yaml made every role
//! named in a procedure "unknown", 117 errors burying the one that mattered. They are counted
//! instead, in one diagnostic beside the cause (RB120: "另有 117 个问题因 roles.yaml 无法读取而未检查"),
//! in the terminal, the preview's overlay and `--format json` alike.
//!
//! A pure function of the diagnostics: which codes follow from which file is a table
//! ([`CONSEQUENCES`]); a regulation whose front-matter cannot be read is already left out of the
//! analysis of references to it (`structure::analyse_indexed` takes the failed ids).

use crate::error::{Diagnostic, Severity};

/// A data file of `content/`, and the codes of the problems that its being unreadable causes by
/// itself everywhere else.
const CONSEQUENCES: &[(&str, &[&str])] = &[
    // Roles: every role word and `role:` of a procedure step is checked against roles.yaml.
    ("content/roles.yaml", &["RB024", "RB056", "RB062", "RB094"]),
    // The glossary's links to regulations are checked against terms.yaml's entries.
    ("content/terms.yaml", &["RB063"]),
];

/// The codes that say a data file could not be read (its YAML slips included).
const UNREADABLE: &[&str] = &[
    "RB057", "RB021", "RB012", "RB013", "RB121", "RB122", "RB123", "RB124", "RB125",
];

/// `diags` with the problems that only follow from an unreadable data file taken out and counted
/// in one RB120 beside its cause.
pub fn first(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let causes: Vec<(&Diagnostic, &[&str])> = CONSEQUENCES
        .iter()
        .filter_map(|(file, codes)| {
            diags
                .iter()
                .find(|d| {
                    d.is_error()
                        && d.path.as_path() == std::path::Path::new(file)
                        && d.code.is_some_and(|c| UNREADABLE.contains(&c))
                })
                .map(|d| (d, *codes))
        })
        .collect();
    if causes.is_empty() {
        return diags;
    }
    let mut counts = vec![0usize; causes.len()];
    let mut kept = Vec::with_capacity(diags.len());
    let mut notes = Vec::new();
    for d in &diags {
        let by = causes.iter().position(|(cause, codes)| {
            d.path != cause.path && d.code.is_some_and(|c| codes.contains(&c))
        });
        match by {
            Some(i) => counts[i] += 1,
            None => kept.push(d.clone()),
        }
    }
    for ((cause, _), n) in causes.iter().zip(counts) {
        if n > 0 {
            let file = cause
                .path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            notes.push(Diagnostic::coded(
                Severity::Warning,
                "RB120",
                cause.path.clone(),
                cause.line,
                cause.column,
                vec![("count", n.to_string()), ("file", file)],
            ));
        }
    }
    // Each count right after its cause.
    for note in notes {
        let at = kept
            .iter()
            .position(|d| d.path == note.path && d.line == note.line && d.is_error())
            .map_or(kept.len(), |i| i + 1);
        kept.insert(at, note);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coded(code: &'static str, path: &str, line: usize) -> Diagnostic {
        Diagnostic::coded(Severity::Error, code, path, line, 1, vec![])
    }

    #[test]
    fn consequences_of_an_unreadable_roles_file_are_counted_not_listed() {
        let diags = vec![
            coded("RB024", "content/procedures/a.yaml", 3),
            coded("RB024", "content/procedures/b.yaml", 4),
            coded("RB056", "content/x/y.md", 2),
            coded("RB057", "content/roles.yaml", 8),
            coded("RB030", "content/x/y.md", 9),
        ];
        let out = first(diags);
        let codes: Vec<_> = out.iter().map(|d| d.code.unwrap()).collect();
        assert_eq!(codes, ["RB057", "RB120", "RB030"]);
        assert_eq!(out[1].path, std::path::Path::new("content/roles.yaml"));
        assert_eq!(out[1].line, 8);
        assert!(out[1].message.contains('3'), "{}", out[1].message);
        assert!(!out[1].is_error());
    }

    #[test]
    fn nothing_is_hidden_when_the_data_files_are_read() {
        let diags = vec![
            coded("RB024", "content/procedures/a.yaml", 3),
            coded("RB056", "content/x/y.md", 2),
        ];
        assert_eq!(first(diags.clone()).len(), 2);
    }
}
