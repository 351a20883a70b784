//! Ids and titles name one document each: a second regulation with an id, a title or an alias
//! already taken is an error (published and withheld documents alike).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::find_line;
use crate::error::{Diagnostic, Severity};
use crate::messages::phrase;
use crate::model::{Regulation, Withheld, title_key};

/// Ids are unique across published and withheld documents alike: a second document with an id
/// already taken is reported and dropped. Returns the documents kept.
pub(super) fn unique_ids(
    root: &Path,
    regulations: Vec<Regulation>,
    mut withheld: Vec<Withheld>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Regulation>, Vec<Withheld>) {
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    let mut dup = |id: &str, path: &Path, diags: &mut Vec<Diagnostic>| {
        if let Some(first) = seen.get(id) {
            let text = std::fs::read_to_string(root.join(path)).unwrap_or_default();
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with("id:"))
                .map_or(1, |i| i + 1);
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB010",
                path,
                line,
                1,
                vec![
                    ("id", id.to_string()),
                    ("first", first.display().to_string()),
                ],
            ));
            false
        } else {
            seen.insert(id.to_string(), path.to_path_buf());
            true
        }
    };
    let mut keep = Vec::with_capacity(regulations.len());
    for r in regulations {
        if dup(&r.id, &r.source.path, diags) {
            keep.push(r);
        }
    }
    withheld.retain(|w| dup(&w.id, &w.path, diags));
    (keep, withheld)
}

/// Titles and aliases name regulations in references (《…》), so each must name one document only:
/// a second file with the same title would silently take over every reference to the first. Two
/// documents may share a title only when their `subtitle`s tell them apart (the seed's two
/// 一岗双责 registers, one per person; such a shared title then names neither), or when each has a
/// date of its own — versions of one regulation kept as files (`model::versions`): the title then
/// names the version in force on the citing text's date, and the versions may share aliases.
pub(super) fn check_names(
    regulations: &[Regulation],
    withheld: &[Withheld],
    diags: &mut Vec<Diagnostic>,
) {
    struct Doc<'a> {
        title: &'a str,
        subtitle: Option<&'a str>,
        aliases: &'a [String],
        path: &'a Path,
        front_matter: &'a str,
        date: Option<jiff::civil::Date>,
    }
    let docs = regulations
        .iter()
        .map(|r| Doc {
            title: &r.title,
            subtitle: r.subtitle.as_deref(),
            aliases: &r.aliases,
            path: &r.source.path,
            front_matter: &r.front_matter,
            date: crate::model::versions::version_date(r),
        })
        .chain(withheld.iter().map(|w| Doc {
            title: &w.title,
            subtitle: w.subtitle.as_deref(),
            aliases: &w.aliases,
            path: &w.path,
            front_matter: &w.front_matter,
            date: w.version_date,
        }));
    // Front-matter starts on the file's second line.
    let line_of = |d: &Doc, needle: &str| 1 + find_line(d.front_matter, needle);
    // Title and subtitle → the files that have them, with their dates.
    type Dated<'p> = Vec<(&'p Path, Option<jiff::civil::Date>)>;
    let mut full: HashMap<(String, Option<String>), Dated> = HashMap::new();
    let mut titles: HashMap<String, &Path> = HashMap::new();
    let mut aliases: Vec<(String, &Path, usize)> = Vec::new();
    // Files that are versions of one regulation (one title, a date each): they may share aliases.
    let mut version_of: HashMap<&Path, String> = HashMap::new();
    let mut docs: Vec<Doc> = docs.collect();
    // Report against the later file, in path order, whatever order loading produced.
    docs.sort_by(|a, b| a.path.cmp(b.path));
    for d in &docs {
        let key = (title_key(d.title), d.subtitle.map(title_key));
        // One title in two folders is normal in a handbook (each section's “Records
        // management”): a citation of it is what is ambiguous, and is reported where it stands
        // (RB204). Twice in one folder it is a mistake — unless each file has a date of its own:
        // versions of one regulation kept as files (`model::versions`).
        let earlier: Vec<(&Path, Option<jiff::civil::Date>)> = full
            .get(&key)
            .map(|v| {
                v.iter()
                    .filter(|(p, _)| p.parent() == d.path.parent())
                    .copied()
                    .collect()
            })
            .unwrap_or_default();
        let versions = d.date.is_some()
            && earlier
                .iter()
                .all(|(_, date)| date.is_some() && *date != d.date);
        if let (Some((first, _)), false) = (earlier.first(), versions) {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB011",
                d.path,
                line_of(d, "title:"),
                1,
                vec![
                    ("title", d.title.to_string()),
                    ("first", first.display().to_string()),
                ],
            ));
            continue;
        }
        if !earlier.is_empty() {
            // One regulation: this title in this folder.
            let family = format!("{}/{}", d.path.parent().unwrap_or(d.path).display(), key.0);
            for (p, _) in earlier {
                version_of.insert(p, family.clone());
            }
            version_of.insert(d.path, family);
        }
        full.entry(key).or_default().push((d.path, d.date));
        titles.entry(title_key(d.title)).or_insert(d.path);
        for a in d.aliases {
            aliases.push((title_key(a), d.path, line_of(d, a)));
        }
    }
    let mut seen_alias: HashMap<&str, &Path> = HashMap::new();
    let same_regulation = |a: &Path, b: &Path| {
        a == b
            || version_of
                .get(a)
                .is_some_and(|t| version_of.get(b) == Some(t))
    };
    for (a, path, line) in &aliases {
        let clash = match titles.get(a.as_str()) {
            Some(other) if !same_regulation(other, path) => Some(phrase(
                "alias-is-title",
                &[("file", other.display().to_string())],
            )),
            _ => match seen_alias.get(a.as_str()) {
                Some(other) if !same_regulation(other, path) => Some(phrase(
                    "alias-is-alias",
                    &[("file", other.display().to_string())],
                )),
                _ => None,
            },
        };
        if let Some((clash, clash_zh)) = clash {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB019",
                *path,
                *line,
                1,
                vec![
                    ("alias", a.to_string()),
                    ("clash", clash),
                    ("clash_zh", clash_zh),
                ],
            ));
        }
        seen_alias.entry(a.as_str()).or_insert(path);
    }
}
