//! One regulation file: its front-matter split off and read (keys, id, category, publication,
//! risk register, lifecycle, role overrides) into a [`Regulation`], or a [`Withheld`] when it is a
//! draft or classified above the site's level. All files are parsed in parallel.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

use super::categories::{category_folder, folder_id};
use super::keys::{EXCLUSION_KEYS, KNOWN_KEYS, UNKNOWN_KEY, value_error};
use super::lifecycle::lifecycle;
use super::roles::{RoleEntry, role_overrides};
use super::{Ctx, Failed, find_line, nearest, valid_id};
use crate::config::Config;
use crate::content::{frontmatter, text, yaml};
use crate::error::{Diagnostic, Severity};
use crate::model::*;

/// Parse every regulation file (in parallel; diagnostics kept in file order): the published
/// regulations, the withheld ones and the files that failed.
pub(super) fn parse_all(
    ctx: &Ctx,
    config: &Config,
    md_files: &[PathBuf],
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Regulation>, Vec<Withheld>, Vec<Failed>) {
    let parsed: Vec<(Option<Parsed>, Vec<Diagnostic>)> = md_files
        .par_iter()
        .map(|p| {
            let mut d = Vec::new();
            let r = parse_regulation(ctx, config, p, &mut d);
            (r, d)
        })
        .collect();
    let mut regulations = Vec::new();
    let mut withheld = Vec::new();
    let mut failed = Vec::new();
    for ((r, d), path) in parsed.into_iter().zip(md_files) {
        diags.extend(d);
        match r {
            Some(Parsed::Published(r)) => regulations.push(*r),
            Some(Parsed::Withheld(w)) => withheld.push(w),
            None => {
                // What refers to a file that did not load is not reported again: by its default
                // id, and by its file name, which its unreadable `id:` most often repeats.
                let default =
                    super::super::ids::default_id(path.strip_prefix(ctx.content).unwrap_or(path));
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_string())
                    .unwrap_or_default();
                let titles = failed_titles(path, &stem);
                for id in [Some(default.clone()), (stem != default).then_some(stem)]
                    .into_iter()
                    .flatten()
                {
                    failed.push(Failed {
                        id,
                        path: ctx.display(path),
                        titles: titles.clone(),
                    });
                }
            }
        }
    }
    (regulations, withheld, failed)
}

/// The titles a file that failed to load may go by, read line by line (its front-matter may be the
/// part that fails): the `title:` of its front-matter, its first `#` heading, and its file name.
fn failed_titles(path: &Path, stem: &str) -> Vec<String> {
    let text = std::fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let mut titles = Vec::new();
    let mut lines = text.lines();
    if lines.next().is_some_and(|l| l.trim_end() == "---") {
        for l in lines.by_ref() {
            if l.trim_end() == "---" {
                break;
            }
            if let Some(v) = l.strip_prefix("title:") {
                titles.push(v.trim().trim_matches(['"', '\'']).trim().to_string());
            }
        }
    }
    if let Some(h) = lines.find_map(|l| l.strip_prefix("# ")) {
        titles.push(h.trim().to_string());
    }
    titles.push(stem.to_string());
    titles.retain(|t| !t.is_empty());
    titles.dedup();
    titles
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct FrontMatter {
    pub(super) title: Option<String>,
    pub(super) id: Option<String>,
    pub(super) category: Option<String>,
    pub(super) order: Option<i64>,
    pub(super) status: Option<Status>,
    pub(super) issued: Option<String>,
    pub(super) effective: Option<String>,
    pub(super) issuer: Option<String>,
    pub(super) owner: Option<String>,
    pub(super) expires: Option<String>,
    pub(super) supersedes: Option<OneOrMany>,
    pub(super) superseded_by: Option<String>,
    pub(super) review_every: Option<String>,
    pub(super) review_by: Option<String>,
    pub(super) revisions: Option<Vec<RawRevision>>,
    pub(super) aliases: Option<Vec<String>>,
    /// Former ids kept as addresses (src/content/load/moved.rs).
    pub(super) old_ids: Option<OneOrMany>,
    pub(super) summary: Option<String>,
    pub(super) draft: Option<bool>,
    pub(super) classification: Option<String>,
    pub(super) secrecy_period: Option<String>,
    pub(super) incomplete: Option<bool>,
    pub(super) subtitle: Option<String>,
    pub(super) risk_register: Option<RiskRegister>,
    /// Per-clause role assignments and suppressions, and what plain words mean here.
    pub(super) roles: Option<HashMap<String, RoleEntry>>,
    /// Other tools' names for `issued`, `order` and `summary`; `tags` and `keywords` are kept.
    pub(super) date: Option<String>,
    pub(super) weight: Option<i64>,
    pub(super) description: Option<String>,
    pub(super) tags: Option<OneOrMany>,
    pub(super) keywords: Option<OneOrMany>,
}

/// One entry of the `revisions:` front-matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRevision {
    pub(super) date: String,
    pub(super) summary: String,
    pub(super) kind: Option<RevisionKind>,
    pub(super) approved_by: Option<String>,
    pub(super) author: Option<String>,
}

/// A list written as a list, or as one value (`tags: 财务`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub(super) fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

enum Parsed {
    Published(Box<Regulation>),
    Withheld(Withheld),
}

fn parse_regulation(
    ctx: &Ctx,
    config: &Config,
    path: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<Parsed> {
    let shown = ctx.display(path);
    let text = match text::read_as(path, &shown, ctx.encoding, diags) {
        Ok(t) => t,
        Err(d) => {
            diags.push(*d);
            return None;
        }
    };
    let split = match frontmatter::split(&text) {
        Ok(s) => s,
        Err(e) => {
            diags.push(Diagnostic::coded(
                Severity::Error,
                e.code,
                &shown,
                e.line,
                1,
                Vec::new(),
            ));
            return None;
        }
    };
    // The YAML parser counts from the first front-matter line; the editor counts from the file's first line.
    let at = |line: usize| split.yaml_line + line - 1;
    let (keys, empty, fm) = match yaml::document::<FrontMatter>(split.yaml) {
        Ok(d) => (d.keys, d.empty, d.value),
        Err(e) => {
            // A common slip is reported where it is, with its advice (content/slips.rs).
            let slip = crate::content::slips::diagnostic(
                split.yaml,
                e.line,
                crate::content::slips::Kind::FrontMatter,
                &shown,
                at,
            );
            diags.push(match slip {
                Some(d) => d,
                None => Diagnostic::coded(
                    Severity::Error,
                    "RB003",
                    &shown,
                    at(e.line),
                    e.column,
                    crate::messages::yaml_detail(e.message),
                ),
            });
            return None;
        }
    };
    check_keys(&keys, &empty, at, &shown, diags);
    let mut fm: FrontMatter = match fm {
        Ok(f) => f,
        Err(e) => {
            diags.push(value_error(&shown, at(e.line), e.column, e.message));
            return None;
        }
    };
    let lifecycle = lifecycle(&mut fm, split.yaml, at, &shown, diags);
    let Some(title) = fm
        .title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
    else {
        let d = match keys.iter().find(|(k, _)| k == "title") {
            Some((_, line)) => {
                Diagnostic::coded(Severity::Error, "RB009", &shown, at(*line), 1, Vec::new())
            }
            None => Diagnostic::coded(Severity::Error, "RB008", &shown, 1, 1, Vec::new()),
        };
        diags.push(d);
        return None;
    };
    let id = regulation_id(ctx, path, fm.id.take(), split.yaml, at, &shown, diags)?;
    let folder = path
        .strip_prefix(ctx.content)
        .map(category_folder)
        .unwrap_or_default();
    // `category: 部门规章/公安部`, the folder path as converters write it, names the file's own
    // folder: its category.
    let category = match fm.category {
        Some(c) if c.contains('/') && c.split('/').eq(folder.iter().map(String::as_str)) => {
            folder_id(&folder)
        }
        Some(c) => c,
        None => folder_id(&folder),
    };
    if !valid_id(&category) && !category.is_empty() {
        diags.push(Diagnostic::coded(
            Severity::Error,
            "RB050",
            &shown,
            at(find_line(split.yaml, "category:")),
            1,
            vec![("category", category.clone())],
        ));
        return None;
    }
    if let Some(c) = &fm.classification
        && !config.classification_levels.iter().any(|l| l == c)
    {
        diags.push(Diagnostic::coded(
            Severity::Error,
            "RB023",
            &shown,
            at(find_line(split.yaml, "classification:")),
            1,
            vec![
                ("value", c.clone()),
                ("choices", config.classification_levels.join(", ")),
            ],
        ));
    }
    if fm.draft == Some(true) || !config.publishable(fm.classification.as_deref()) {
        return Some(Parsed::Withheld(Withheld {
            id,
            title,
            subtitle: fm.subtitle,
            aliases: fm.aliases.unwrap_or_default(),
            old_ids: fm.old_ids.map(OneOrMany::into_vec).unwrap_or_default(),
            path: shown,
            front_matter: split.yaml.to_string(),
            version_date: fm
                .effective
                .as_deref()
                .or(fm.issued.as_deref())
                .or(fm.date.as_deref())
                .and_then(crate::model::lifecycle::parse_date),
        }));
    }
    if let Some(rr) = &fm.risk_register {
        check_risk_register(rr, split.yaml, at, &shown, diags);
    }
    let body_line = split.body_line;
    // A published regulation with nothing to read (a register alone is content; a document marked
    // `incomplete: true` says so already).
    if fm.risk_register.is_none() && fm.incomplete != Some(true) && split.body.trim().is_empty() {
        diags.push(Diagnostic::coded(
            Severity::Warning,
            "RB018",
            &shown,
            body_line.saturating_sub(1).max(1),
            1,
            Vec::new(),
        ));
    }
    let role_overrides = fm
        .roles
        .map(|r| role_overrides(r, split.yaml, at))
        .unwrap_or_default();
    Some(Parsed::Published(Box::new(Regulation {
        id,
        title,
        subtitle: fm.subtitle,
        category,
        order: fm.order.or(fm.weight).unwrap_or(0),
        status: fm.status.unwrap_or_default(),
        issued: fm.issued.or(fm.date),
        effective: fm.effective,
        issuer: fm.issuer,
        owner: fm.owner,
        lifecycle,
        history: Vec::new(),
        aliases: fm.aliases.unwrap_or_default(),
        old_ids: fm.old_ids.map(OneOrMany::into_vec).unwrap_or_default(),
        summary: fm.summary.or(fm.description),
        tags: fm
            .tags
            .into_iter()
            .chain(fm.keywords)
            .flat_map(OneOrMany::into_vec)
            .collect(),
        incomplete: fm.incomplete.unwrap_or(false),
        classification: fm.classification,
        secrecy_period: fm.secrecy_period,
        risk_register: fm.risk_register,
        body: split.body.to_string(),
        front_matter: split.yaml.to_string(),
        source: Source {
            path: shown,
            body_line,
        },
        clauses: Vec::new(),
        doc: Default::default(),
        register_cells: Vec::new(),
        anchors: Default::default(),
        role_overrides,
    })))
}

/// Warn of every front-matter key that is not a known one (with the nearest known key); a near
/// miss of a key that decides publication is an error instead.
fn check_keys(
    keys: &[(String, usize)],
    empty: &[String],
    at: impl Fn(usize) -> usize,
    shown: &Path,
    diags: &mut Vec<Diagnostic>,
) {
    for (key, line) in keys {
        // An exclusion key with no value, or a merge key (which may hide one), must never publish
        // silently: an error (issue 23).
        if key == "<<" || (EXCLUSION_KEYS.contains(&key.as_str()) && empty.contains(key)) {
            let code = if key == "<<" { "RB107" } else { "RB106" };
            let args = vec![("key", key.clone())];
            diags.push(Diagnostic::coded(
                Severity::Error,
                code,
                shown,
                at(*line),
                1,
                args,
            ));
            continue;
        }
        if KNOWN_KEYS.contains(&key.as_str()) {
            continue;
        }
        // A misspelt exclusion key would publish what the editor meant to withhold: an error.
        let folded = key.to_lowercase();
        if let Some(meant) = EXCLUSION_KEYS
            .iter()
            .find(|k| strsim::damerau_levenshtein(&folded, k) <= 2)
        {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB007",
                shown,
                at(*line),
                1,
                vec![("key", key.clone()), ("meant", meant.to_string())],
            ));
            continue;
        }
        {
            let mut d = Diagnostic::coded(
                Severity::Warning,
                UNKNOWN_KEY,
                shown,
                at(*line),
                1,
                vec![("key", key.clone())],
            );
            d = match nearest(key, KNOWN_KEYS.iter().copied()) {
                Some(n) => d.with_hint("did-you-mean", vec![("near", n.to_string())]),
                None => d.with_hint("known-keys", vec![("choices", KNOWN_KEYS.join(", "))]),
            };
            diags.push(d);
        }
    }
}

/// The regulation's id: `id:` if given, else its path under content/ with the folders joined
/// (`about-us/org-chart.md` is `about-us-org-chart`; see `content::ids`). An id that cannot be one
/// is an error, and the file is not loaded (`None`).
fn regulation_id(
    ctx: &Ctx,
    path: &Path,
    id: Option<String>,
    yaml: &str,
    at: impl Fn(usize) -> usize,
    shown: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let from_file_name = id.is_none();
    // The path under content/, folders joined (content::ids): never collides, never moves.
    let stem = super::super::ids::default_id(path.strip_prefix(ctx.content).unwrap_or(path));
    let id = id.unwrap_or(stem);
    if !valid_id(&id) && from_file_name {
        diags.push(Diagnostic::coded(
            Severity::Error,
            "RB049",
            shown,
            1,
            1,
            vec![("id", id.clone())],
        ));
        return None;
    }
    if !valid_id(&id) {
        diags.push(Diagnostic::coded(
            Severity::Error,
            "RB025",
            shown,
            at(find_line(yaml, "id:")),
            1,
            vec![("id", id.clone())],
        ));
        return None;
    }
    Some(id)
}

/// A risk register's column groups span its columns, and its rows use only its columns.
fn check_risk_register(
    rr: &RiskRegister,
    yaml: &str,
    at: impl Fn(usize) -> usize,
    shown: &Path,
    diags: &mut Vec<Diagnostic>,
) {
    let line = at(find_line(yaml, "risk_register:"));
    let span: usize = rr.groups.iter().map(|g| g.span).sum();
    if !rr.groups.is_empty() && span != rr.columns.len() {
        diags.push(Diagnostic::coded(
            Severity::Error,
            "RB051",
            shown,
            line,
            1,
            vec![
                ("span", span.to_string()),
                ("columns", rr.columns.len().to_string()),
            ],
        ));
    }
    for row in &rr.rows {
        for key in row.keys() {
            if !rr.columns.contains(key) {
                let mut d = Diagnostic::coded(
                    Severity::Error,
                    "RB052",
                    shown,
                    at(find_line(yaml, &format!("{key}:"))),
                    1,
                    vec![("key", key.clone()), ("choices", rr.columns.join(", "))],
                );
                if let Some(n) = nearest(key, rr.columns.iter().map(String::as_str)) {
                    d = d.with_hint("did-you-mean", vec![("near", n.to_string())]);
                }
                diags.push(d);
            }
        }
    }
}
