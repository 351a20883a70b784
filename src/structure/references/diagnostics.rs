//! Messages: a reference that does not resolve (an error when written explicitly, a warning
//! when inferred), and a title or alias too long to be one.

use super::Problem;
use crate::error::Diagnostic;
use crate::model::Regulation;
use crate::structure::limits;
use crate::structure::lines::first_lines;

/// 《title》 has no such clause (RB030).
pub(super) fn no_clause(reg: &Regulation, clause: &str) -> Problem {
    Problem::new(
        "RB030",
        vec![
            ("title", reg.title.clone()),
            ("clause", clause.to_string()),
            ("id", reg.id.clone()),
        ],
    )
}

/// Diagnostic for a problem with a reference. What the editor wrote explicitly (`@id#anchor`) is an
/// error; what was only inferred from plain text (a 《title》, 第N条, 前款) is a warning, and the
/// text stays plain.
pub(super) fn problem(
    path: &std::path::Path,
    line: usize,
    column: usize,
    p: Problem,
    explicit: bool,
) -> Diagnostic {
    let severity = if explicit {
        crate::error::Severity::Error
    } else {
        crate::error::Severity::Warning
    };
    let d = Diagnostic::coded(severity, p.code, path, line, column, p.args);
    match p.hint {
        Some((name, args)) => d.with_hint(name, args),
        None => d,
    }
}

/// Errors for a title or alias longer than [`limits::MAX_NAME_CHARS`], at its front-matter line.
pub fn name_diagnostics(reg: &Regulation) -> Vec<Diagnostic> {
    let problems = limits::name_problems(&reg.title, &reg.aliases);
    if problems.is_empty() {
        return Vec::new();
    }
    // The front-matter starts on the file's second line.
    let key_line = |key: &str| {
        reg.front_matter
            .lines()
            .position(|l| l.starts_with(key))
            .map_or(1, |i| i + 2)
    };
    problems
        .iter()
        .map(|p| {
            let line = match p.alias {
                None => key_line("title:"),
                Some(i) => first_lines(&reg.front_matter, &[reg.aliases[i].as_str()])[0]
                    .map_or_else(|| key_line("aliases:"), |l| l + 1),
            };
            let (what, what_zh) = crate::messages::phrase(
                if p.alias.is_some() {
                    "an-alias"
                } else {
                    "the-title"
                },
                &[],
            );
            let d = Diagnostic::coded(
                crate::error::Severity::Error,
                "RB095",
                &reg.source.path,
                line,
                1,
                vec![
                    ("what", what),
                    ("what_zh", what_zh),
                    ("chars", p.chars.to_string()),
                    ("max", limits::MAX_NAME_CHARS.to_string()),
                ],
            );
            if p.alias.is_some() {
                d.with_hint("alias-too-long", Vec::new())
            } else {
                d
            }
        })
        .collect()
}
