//! Front-matter key names: the keys a regulation may have, a near miss of one (an error for the
//! keys that decide publication, a warning with the nearest key otherwise, merged per key), and
//! a value of the wrong form.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Diagnostic, Severity};

/// Front-matter keys a regulation may have; anything else is a warning with the nearest of these.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "id",
    "category",
    "order",
    "status",
    "issued",
    "effective",
    "issuer",
    "owner",
    "expires",
    "supersedes",
    "superseded_by",
    "review_every",
    "review_by",
    "revisions",
    "aliases",
    // Former ids kept as redirect addresses (src/content/load/moved.rs).
    "old_ids",
    "summary",
    "draft",
    "classification",
    "secrecy_period",
    "incomplete",
    "subtitle",
    "risk_register",
    "roles",
    // `history: false`: no 修订记录 from git for this regulation (src/history.rs reads it).
    "history",
    // Other tools' names (Hugo, Jekyll …): a folder of their Markdown builds as it is.
    "date",
    "weight",
    "description",
    "tags",
    "keywords",
];

/// The code of an unknown front-matter key's warning: one per key, however many files use it.
pub(super) const UNKNOWN_KEY: &str = "RB006";
/// The same, merged for a key many files use.
const UNKNOWN_KEY_MANY: &str = "RB026";

/// Keys that decide whether a regulation is published: a near miss of one of these is an error.
pub(super) const EXCLUSION_KEYS: &[&str] = &["draft", "classification"];

/// A front-matter value of the wrong form, from the parser's words: a wrong type (`order: 第三`)
/// gets its own message with the key and what it must be.
pub(super) fn value_error(shown: &Path, line: usize, column: usize, detail: String) -> Diagnostic {
    let re = regex::Regex::new(r"^(?:(\S+): )?invalid type: (.+), expected (.+)$").expect("regex");
    match re.captures(&detail) {
        Some(c) => Diagnostic::coded(
            Severity::Error,
            "RB004",
            shown,
            line,
            column,
            vec![
                ("key", c.get(1).map_or("", |m| m.as_str()).to_string()),
                ("found", c[2].to_string()),
                ("expected", crate::messages::expected_en(&c[3])),
                ("expected_zh", crate::messages::expected_zh(&c[3])),
            ],
        ),
        None => Diagnostic::coded(
            Severity::Error,
            "RB005",
            shown,
            line,
            column,
            vec![("detail", detail)],
        ),
    }
}

/// Files listed in the message of an unknown key that many files use.
pub(super) const KEY_FILES_SHOWN: usize = 3;

/// One warning per unknown key, at its first use, naming how many files use it and the first few;
/// the other uses are kept in [`Diagnostic::also`] for tools. A handbook written for another tool
/// uses its keys (`layout`, `redirect_from` …) in hundreds of files: one line each drowned the rest.
pub(super) fn merge_unknown_keys(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diags.len());
    let mut first: HashMap<String, usize> = HashMap::new();
    for d in diags {
        if d.code != Some(UNKNOWN_KEY) {
            out.push(d);
            continue;
        }
        match first.get(&d.message) {
            Some(&i) => out[i]
                .also
                .get_or_insert_default()
                .push(crate::error::Location {
                    path: d.path,
                    line: d.line,
                    column: d.column,
                }),
            None => {
                first.insert(d.message.clone(), out.len());
                out.push(d);
            }
        }
    }
    for &i in first.values() {
        let d = &mut out[i];
        let Some(also) = &d.also else {
            continue;
        };
        let places: Vec<String> = std::iter::once((&d.path, d.line))
            .chain(also.iter().map(|l| (&l.path, l.line)))
            .take(KEY_FILES_SHOWN)
            .map(|(p, line)| format!("{}:{line}", p.display()))
            .collect();
        let files = 1 + also.len();
        let tail = if files > KEY_FILES_SHOWN { ", …" } else { "" };
        d.code = Some(UNKNOWN_KEY_MANY);
        d.push_arg("files", files.to_string());
        d.push_arg("places", format!("{}{tail}", places.join(", ")));
        d.localize(crate::messages::Lang::En);
    }
    out
}
