//! Roles: roles.yaml's entries checked (ids, kinds, names unique), a regulation's `roles:`
//! front-matter read into overrides, and every role name a regulation or procedure uses known.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::{find_line, nearest, valid_id};
use crate::error::{Diagnostic, Severity};
use crate::messages::phrase;
use crate::model::*;

/// A role name that roles.yaml does not know (RB024), with the nearest known name if one is close.
pub(super) fn unknown_role<'a>(
    path: &Path,
    line: usize,
    role: &str,
    known: impl Iterator<Item = &'a str>,
) -> Diagnostic {
    let d = Diagnostic::coded(
        Severity::Error,
        "RB024",
        path,
        line,
        1,
        vec![("role", role.to_string())],
    );
    match nearest(role, known) {
        Some(n) => d.with_hint("role-did-you-mean", vec![("near", n.to_string())]),
        None => d.with_hint("role-add", Vec::new()),
    }
}

/// One entry of the `roles:` front-matter: a clause anchor with roles to assign (`出纳`) or suppress
/// (`-主任`), or a plain word with the role it means in this regulation (`~` for none).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RoleEntry {
    Clause(Vec<String>),
    Word(Option<String>),
}

/// The `roles:` front-matter as the model keeps it, each entry with its file line (`at` turns a
/// front-matter line into a file line). Names are checked once roles.yaml is read, anchors once
/// the body is outlined.
pub(super) fn role_overrides(
    entries: HashMap<String, RoleEntry>,
    yaml: &str,
    at: impl Fn(usize) -> usize,
) -> Vec<RoleOverride> {
    let key_line = |key: &str| {
        yaml.lines()
            .position(|l| l.trim_start().starts_with(&format!("{key}:")))
            .map_or(1, |i| i + 1)
    };
    let mut out = Vec::new();
    for (key, entry) in entries {
        let line = at(key_line(&key));
        match entry {
            RoleEntry::Word(role) => out.push(RoleOverride::Word {
                word: key,
                role: role.filter(|r| !r.trim().is_empty()),
                line,
            }),
            RoleEntry::Clause(names) => {
                for n in names {
                    let n = n.trim();
                    match n.strip_prefix(['-', '－']) {
                        Some(role) => out.push(RoleOverride::Suppress {
                            anchor: key.clone(),
                            role: role.trim().to_string(),
                            line,
                        }),
                        None => out.push(RoleOverride::Assign {
                            anchor: key.clone(),
                            role: n.to_string(),
                            line,
                        }),
                    }
                }
            }
        }
    }
    // Map order is arbitrary: keep the file's.
    out.sort_by_key(|o| match o {
        RoleOverride::Assign { line, .. }
        | RoleOverride::Suppress { line, .. }
        | RoleOverride::Word { line, .. } => *line,
    });
    out
}

/// Role ids (the name when none is given) must be usable in an address and unique; a kind must be
/// one of [`ROLE_KINDS`]. Both are written by the editor: errors.
pub(super) fn check_roles(
    roles: &mut [Role],
    text: &str,
    path: &Path,
    diags: &mut Vec<Diagnostic>,
) {
    let mut ids: HashSet<String> = HashSet::new();
    for role in roles.iter_mut() {
        // The role's `name:` line, quoted or not.
        let line = [
            format!("name: \"{}\"", role.name),
            format!("name: {}", role.name),
        ]
        .iter()
        .find(|n| text.lines().any(|l| l.contains(n.as_str())))
        .map_or(1, |n| find_line(text, n));
        if role.id.is_empty() {
            role.id = role.name.clone();
        }
        let id = || vec![("id", role.id.clone())];
        if role.id == "index" || role.id == "matrix" {
            diags.push(
                Diagnostic::coded(Severity::Error, "RB053", path, line, 1, id())
                    .with_hint("reserved-role-id", Vec::new()),
            );
        } else if !valid_id(&role.id) {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB053",
                path,
                line,
                1,
                id(),
            ));
        } else if !ids.insert(role.id.clone()) {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB054",
                path,
                line,
                1,
                id(),
            ));
        }
        if let Some(k) = &role.kind
            && !ROLE_KINDS.contains(&k.as_str())
        {
            let mut d = Diagnostic::coded(
                Severity::Error,
                "RB055",
                path,
                line,
                1,
                vec![("kind", k.clone()), ("choices", ROLE_KINDS.join(", "))],
            );
            if let Some(n) = nearest(k, ROLE_KINDS.iter().copied()) {
                d = d.with_hint("did-you-mean", vec![("near", n.to_string())]);
            }
            diags.push(d);
        }
    }
}

/// A regulation's `roles:` front-matter names roles of roles.yaml, and its words are plain words
/// of one: anything else is an error at its line (the anchors are checked by the analysis).
pub(super) fn check_role_overrides(
    reg: &Regulation,
    roles: &[Role],
    names: &HashMap<&str, &str>,
    diags: &mut Vec<Diagnostic>,
) {
    let unknown =
        |role: &str, line: usize| unknown_role(&reg.source.path, line, role, names.keys().copied());
    for o in &reg.role_overrides {
        match o {
            RoleOverride::Assign { role, line, .. } | RoleOverride::Suppress { role, line, .. } => {
                if !names.contains_key(role.as_str()) {
                    diags.push(unknown(role, *line));
                }
            }
            RoleOverride::Word { word, role, line } => {
                if !roles.iter().any(|r| r.plain.contains(word)) {
                    let plain: Vec<&str> = roles
                        .iter()
                        .flat_map(|r| r.plain.iter().map(String::as_str))
                        .collect();
                    let (plain, plain_zh) = if plain.is_empty() {
                        phrase("plain-words-none", &[])
                    } else {
                        (plain.join("、"), plain.join("、"))
                    };
                    diags.push(Diagnostic::coded(
                        Severity::Error,
                        "RB056",
                        &reg.source.path,
                        *line,
                        1,
                        vec![
                            ("word", word.clone()),
                            ("plain", plain),
                            ("plain_zh", plain_zh),
                        ],
                    ));
                }
                if let Some(role) = role
                    && !names.contains_key(role.as_str())
                {
                    diags.push(unknown(role, *line));
                }
            }
        }
    }
}

/// Every name a role is known by (its name, aliases and plain words) → the role's name; a name
/// two roles claim is an error at its line of roles.yaml.
pub(super) fn role_names<'a>(
    roles: &'a [Role],
    roles_text: &str,
    roles_path: &Path,
    diags: &mut Vec<Diagnostic>,
) -> HashMap<&'a str, &'a str> {
    let mut names: HashMap<&str, &str> = HashMap::new();
    for role in roles {
        for n in std::iter::once(&role.name)
            .chain(&role.aliases)
            .chain(&role.plain)
        {
            if let Some(other) = names.insert(n, &role.name) {
                diags.push(Diagnostic::coded(
                    Severity::Error,
                    "RB062",
                    roles_path,
                    find_line(roles_text, n),
                    1,
                    vec![
                        ("name", n.clone()),
                        ("other", other.to_string()),
                        ("role", role.name.clone()),
                    ],
                ));
            }
        }
    }
    names
}
