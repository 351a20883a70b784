//! Reads `content/` into a [`Library`]: every file parsed (in parallel), every problem collected.
//!
//! This is also the one place that decides what is published: a regulation with `draft: true` or a
//! `classification` above the site's `publish_level` never enters the [`Library`], so no output built
//! from the model can leak it. Its ids are kept in [`Loaded::withheld`] so a reference to it is an error.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;
use walkdir::WalkDir;

use super::frontmatter;
use super::text;
use super::yaml;
use crate::config::Config;
use crate::error::{Diagnostic, Severity};
use crate::messages::phrase;
use crate::model::lifecycle;
use crate::model::*;

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
    "summary",
    "draft",
    "classification",
    "secrecy_period",
    "incomplete",
    "subtitle",
    "risk_register",
    "roles",
    // Other tools' names (Hugo, Jekyll …): a folder of their Markdown builds as it is.
    "date",
    "weight",
    "description",
    "tags",
    "keywords",
];

/// The code of an unknown front-matter key's warning: one per key, however many files use it.
const UNKNOWN_KEY: &str = "RB006";
/// The same, merged for a key many files use.
const UNKNOWN_KEY_MANY: &str = "RB026";

/// A role name that roles.yaml does not know (RB024), with the nearest known name if one is close.
fn unknown_role<'a>(
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

/// A front-matter value of the wrong form, from the parser's words: a wrong type (`order: 第三`)
/// gets its own message with the key and what it must be.
fn value_error(shown: &Path, line: usize, column: usize, detail: String) -> Diagnostic {
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
const KEY_FILES_SHOWN: usize = 3;

/// One warning per unknown key, at its first use, naming how many files use it and the first few;
/// the other uses are kept in [`Diagnostic::also`] for tools. A handbook written for another tool
/// uses its keys (`layout`, `redirect_from` …) in hundreds of files: one line each drowned the rest.
fn merge_unknown_keys(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
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

/// Keys that decide whether a regulation is published: a near miss of one of these is an error.
const EXCLUSION_KEYS: &[&str] = &["draft", "classification"];

/// Files at the top of `content/` that are data, not regulations.
const DATA_FILES: &[&str] = &["site.yaml", "roles.yaml", "terms.yaml"];
const PROCEDURES_DIR: &str = "procedures";

#[derive(Debug, Default, Deserialize)]
struct FrontMatter {
    title: Option<String>,
    id: Option<String>,
    category: Option<String>,
    order: Option<i64>,
    status: Option<Status>,
    issued: Option<String>,
    effective: Option<String>,
    issuer: Option<String>,
    owner: Option<String>,
    expires: Option<String>,
    supersedes: Option<OneOrMany>,
    superseded_by: Option<String>,
    review_every: Option<String>,
    review_by: Option<String>,
    revisions: Option<Vec<RawRevision>>,
    aliases: Option<Vec<String>>,
    summary: Option<String>,
    draft: Option<bool>,
    classification: Option<String>,
    secrecy_period: Option<String>,
    incomplete: Option<bool>,
    subtitle: Option<String>,
    risk_register: Option<RiskRegister>,
    /// Per-clause role assignments and suppressions, and what plain words mean here.
    roles: Option<HashMap<String, RoleEntry>>,
    /// Other tools' names for `issued`, `order` and `summary`; `tags` and `keywords` are kept.
    date: Option<String>,
    weight: Option<i64>,
    description: Option<String>,
    tags: Option<OneOrMany>,
    keywords: Option<OneOrMany>,
}

/// One entry of the `revisions:` front-matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRevision {
    date: String,
    summary: String,
    kind: Option<RevisionKind>,
    approved_by: Option<String>,
}

/// The lifecycle keys checked within the file: every date parses, issued ≤ effective < expires,
/// `review_every` is an interval. Each problem is an error at the key's file line (`at` turns a
/// front-matter line into a file line). What needs the other files (ids, roles) is checked by
/// [`check_lifecycle`].
fn lifecycle(
    fm: &mut FrontMatter,
    yaml: &str,
    at: impl Fn(usize) -> usize,
    shown: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Lifecycle {
    let line_of = |key: &str| at(front_matter_line(yaml, key));
    let date = |key: &str, value: Option<&str>, diags: &mut Vec<Diagnostic>| {
        let v = value?;
        let d = lifecycle::parse_date(v);
        if d.is_none() {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB040",
                shown,
                line_of(key),
                1,
                vec![("key", key.to_string()), ("value", v.to_string())],
            ));
        }
        d
    };
    let issued = date("issued", fm.issued.as_deref().or(fm.date.as_deref()), diags);
    let effective = date("effective", fm.effective.as_deref(), diags);
    let expires = date("expires", fm.expires.as_deref(), diags);
    let review_by = date("review_by", fm.review_by.as_deref(), diags);
    let mut order = |a: (&str, Option<jiff::civil::Date>),
                     b: (&str, Option<jiff::civil::Date>),
                     strict: bool| {
        if let ((ka, Some(da)), (kb, Some(db))) = (a, b)
            && (db < da || (strict && db == da))
        {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB041",
                shown,
                line_of(kb),
                1,
                vec![
                    ("later", kb.to_string()),
                    ("later_date", db.to_string()),
                    ("earlier", ka.to_string()),
                    ("earlier_date", da.to_string()),
                ],
            ));
        }
    };
    order(("issued", issued), ("effective", effective), false);
    order(
        ("effective", effective.or(issued)),
        ("expires", expires),
        true,
    );
    let mut revisions = Vec::new();
    for r in fm.revisions.take().unwrap_or_default() {
        let Some(d) = lifecycle::parse_date(&r.date) else {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB040",
                shown,
                at(find_line(yaml, &r.date)),
                1,
                vec![("key", "revisions".to_string()), ("value", r.date.clone())],
            ));
            continue;
        };
        revisions.push(RevisionNote {
            date: d,
            summary: r.summary,
            kind: r.kind,
            approved_by: r.approved_by,
        });
    }
    revisions.sort_by_key(|r| std::cmp::Reverse(r.date));
    let review_every = fm.review_every.take();
    let review_by = review_by.or_else(|| {
        let every = review_every.as_deref()?;
        let Some(span) = lifecycle::parse_interval(every) else {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB042",
                shown,
                line_of("review_every"),
                1,
                vec![("value", every.to_string())],
            ));
            return None;
        };
        let since = revisions
            .iter()
            .map(|r| r.date)
            .chain(effective)
            .chain(issued)
            .max()?;
        since.checked_add(span).ok()
    });
    Lifecycle {
        issued,
        effective,
        expires,
        supersedes: fm
            .supersedes
            .take()
            .map(OneOrMany::into_vec)
            .unwrap_or_default(),
        superseded_by: fm.superseded_by.take().filter(|s| !s.trim().is_empty()),
        review_by,
        review_every,
        revisions,
    }
}

/// The front-matter line (1-based) of a top-level `key:`, or 1.
fn front_matter_line(yaml: &str, key: &str) -> usize {
    yaml.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(1, |i| i + 1)
}

/// What the lifecycle front-matter says about other files: `owner` is a role of roles.yaml,
/// `supersedes`/`superseded_by` name regulations that exist, and a superseded regulation is 废止.
/// Each is an error at the key's line.
fn check_lifecycle(
    regulations: &[Regulation],
    withheld: &[Withheld],
    failed: &HashSet<String>,
    roles: &[Role],
    diags: &mut Vec<Diagnostic>,
) {
    let by_id: HashMap<&str, &Regulation> =
        regulations.iter().map(|r| (r.id.as_str(), r)).collect();
    let known = |id: &str| {
        by_id.contains_key(id) || withheld.iter().any(|w| w.id == id) || failed.contains(id)
    };
    let line = |r: &Regulation, key: &str| 1 + front_matter_line(&r.front_matter, key);
    for r in regulations {
        if let Some(owner) = &r.owner
            && role_by_name(roles, owner).is_none()
        {
            let d = Diagnostic::coded(
                Severity::Error,
                "RB043",
                &r.source.path,
                line(r, "owner"),
                1,
                vec![("role", owner.clone())],
            );
            diags.push(
                match nearest(owner, roles.iter().map(|x| x.name.as_str())) {
                    Some(n) => d.with_hint("role-did-you-mean", vec![("near", n.to_string())]),
                    None => d.with_hint("role-add", Vec::new()),
                },
            );
        }
        let lc = &r.lifecycle;
        for (key, id) in lc
            .supersedes
            .iter()
            .map(|s| ("supersedes", s))
            .chain(lc.superseded_by.iter().map(|s| ("superseded_by", s)))
        {
            if id == &r.id {
                diags.push(Diagnostic::coded(
                    Severity::Error,
                    "RB044",
                    &r.source.path,
                    line(r, key),
                    1,
                    vec![("key", key.to_string())],
                ));
            } else if !known(id) {
                let d = Diagnostic::coded(
                    Severity::Error,
                    "RB045",
                    &r.source.path,
                    line(r, key),
                    1,
                    vec![("key", key.to_string()), ("id", id.clone())],
                );
                diags.push(match nearest(id, by_id.keys().copied()) {
                    Some(n) => d.with_hint("did-you-mean", vec![("near", n.to_string())]),
                    None => d.with_hint("regulation-id", Vec::new()),
                });
            }
        }
        if lc.superseded_by.is_some() && r.status != Status::Repealed {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB046",
                &r.source.path,
                line(r, "superseded_by"),
                1,
                Vec::new(),
            ));
        }
        for id in &lc.supersedes {
            if let Some(old) = by_id.get(id.as_str())
                && old.status != Status::Repealed
            {
                diags.push(Diagnostic::coded(
                    Severity::Error,
                    "RB047",
                    &old.source.path,
                    line(old, "status"),
                    1,
                    vec![
                        ("id", r.id.clone()),
                        ("file", r.source.path.display().to_string()),
                    ],
                ));
            }
        }
    }
}

/// One entry of the `roles:` front-matter: a clause anchor with roles to assign (`出纳`) or suppress
/// (`-主任`), or a plain word with the role it means in this regulation (`~` for none).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RoleEntry {
    Clause(Vec<String>),
    Word(Option<String>),
}

/// The `roles:` front-matter as the model keeps it, each entry with its file line (`at` turns a
/// front-matter line into a file line). Names are checked once roles.yaml is read, anchors once
/// the body is outlined.
fn role_overrides(
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

/// A list written as a list, or as one value (`tags: 财务`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// The result of loading: the model plus everything that was said about the content.
#[derive(Debug)]
pub struct Loaded {
    pub library: Library,
    pub withheld: Vec<Withheld>,
    /// Regulation files that could not be loaded (their error is reported once): their default ids,
    /// so that what refers to them is not reported again as a follow-on error.
    pub failed: Vec<Failed>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A regulation file that failed to load.
#[derive(Debug, Clone)]
pub struct Failed {
    /// The id it would have had: the `id:` if the front-matter could be read, else the file name.
    pub id: String,
    pub path: PathBuf,
}

/// Paths are shown relative to the site root; `root` is that root.
struct Ctx<'a> {
    root: &'a Path,
    content: &'a Path,
    /// How files that are not UTF-8 are read (`--encoding`).
    encoding: text::Encoding,
}

impl Ctx<'_> {
    fn display(&self, p: &Path) -> PathBuf {
        p.strip_prefix(self.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| p.to_path_buf())
    }
}

pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.chars().count() / 3))
        .min()
        .map(|(_, c)| c)
}

/// Line (1-based) of the first line of `text` containing `needle`, or 1.
pub(crate) fn find_line(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(1, |i| i + 1)
}

/// Whether a file, folder or front-matter name can be an id. Ids are file names in the output and
/// are percent-encoded in links, so spaces, Chinese, parentheses and 《》 are fine; what is refused
/// would change a path or a link (`/`, `#`, `?`, `%`), could not be a file name everywhere (`:`,
/// `*`, `|`, `"`, `<`, `>`), or breaks HTML and the manifest (`&`, `'`, line breaks, controls).
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && id.trim() == id
        && !id.chars().any(|c| {
            (c.is_whitespace() && c != ' ' && c != '\u{3000}')
                || c.is_control()
                || "/\\#?%\"'<>&:*|".contains(c)
        })
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
    let (keys, fm) = match yaml::document::<FrontMatter>(split.yaml) {
        Ok(d) => (d.keys, d.value),
        Err(e) => {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB003",
                &shown,
                at(e.line),
                e.column,
                crate::messages::yaml_detail(e.message),
            ));
            return None;
        }
    };
    for (key, line) in &keys {
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
                &shown,
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
                &shown,
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
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let from_file_name = fm.id.is_none();
    // `index.md` (Hugo's leaf bundle, Jekyll's folder page) is named by its folder: `a/index.md`
    // and `b/index.md` never collide. Every other file is named by its file name.
    let stem = if stem == "index" {
        path.strip_prefix(ctx.content)
            .ok()
            .and_then(|p| p.parent())
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("-")
            })
            .filter(|s| !s.is_empty())
            .unwrap_or(stem)
    } else {
        stem
    };
    let id = fm.id.unwrap_or(stem);
    if !valid_id(&id) && from_file_name {
        diags.push(Diagnostic::coded(
            Severity::Error,
            "RB049",
            &shown,
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
            &shown,
            at(find_line(split.yaml, "id:")),
            1,
            vec![("id", id.clone())],
        ));
        return None;
    }
    let category = fm.category.unwrap_or_else(|| {
        path.strip_prefix(ctx.content)
            .map(|rel| folder_id(&category_folder(rel)))
            .unwrap_or_default()
    });
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
            path: shown,
            front_matter: split.yaml.to_string(),
        }));
    }
    if let Some(rr) = &fm.risk_register {
        let line = at(find_line(split.yaml, "risk_register:"));
        let span: usize = rr.groups.iter().map(|g| g.span).sum();
        if !rr.groups.is_empty() && span != rr.columns.len() {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB051",
                &shown,
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
                        &shown,
                        at(find_line(split.yaml, &format!("{key}:"))),
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

/// Role ids (the name when none is given) must be usable in an address and unique; a kind must be
/// one of [`ROLE_KINDS`]. Both are written by the editor: errors.
fn check_roles(roles: &mut [Role], text: &str, path: &Path, diags: &mut Vec<Diagnostic>) {
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
fn check_role_overrides(
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

/// Read a data file (YAML) as clean text; a missing file is `None` without a diagnostic.
fn read_text(ctx: &Ctx, path: &Path, diags: &mut Vec<Diagnostic>) -> Option<String> {
    if !path.exists() {
        return None;
    }
    text::read_as(path, &ctx.display(path), ctx.encoding, diags)
        .map_err(|d| diags.push(*d))
        .ok()
}

fn load_list<T: for<'de> Deserialize<'de>>(
    ctx: &Ctx,
    name: &str,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<T>, String) {
    let path = ctx.content.join(name);
    let Some(text) = read_text(ctx, &path, diags) else {
        return (Vec::new(), String::new());
    };
    match yaml::from_str::<Option<Vec<T>>>(&text) {
        Ok(v) => (v.unwrap_or_default(), text),
        Err(e) => {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB057",
                ctx.display(&path),
                e.line,
                e.column,
                crate::messages::yaml_detail(e.message)
                    .into_iter()
                    .chain([("file", name.to_string())])
                    .collect(),
            ));
            (Vec::new(), text)
        }
    }
}

/// Titles and aliases name regulations in references (《…》), so each must name one document only:
/// a second file with the same title would silently take over every reference to the first. Two
/// documents may share a title only when their `subtitle`s tell them apart (the seed's two
/// 一岗双责 registers, one per person); such a shared title then names neither.
fn check_names(regulations: &[Regulation], withheld: &[Withheld], diags: &mut Vec<Diagnostic>) {
    struct Doc<'a> {
        title: &'a str,
        subtitle: Option<&'a str>,
        aliases: &'a [String],
        path: &'a Path,
        front_matter: &'a str,
    }
    let docs = regulations
        .iter()
        .map(|r| Doc {
            title: &r.title,
            subtitle: r.subtitle.as_deref(),
            aliases: &r.aliases,
            path: &r.source.path,
            front_matter: &r.front_matter,
        })
        .chain(withheld.iter().map(|w| Doc {
            title: &w.title,
            subtitle: w.subtitle.as_deref(),
            aliases: &w.aliases,
            path: &w.path,
            front_matter: &w.front_matter,
        }));
    // Front-matter starts on the file's second line.
    let line_of = |d: &Doc, needle: &str| 1 + find_line(d.front_matter, needle);
    let mut full: HashMap<(String, Option<String>), &Path> = HashMap::new();
    let mut titles: HashMap<String, &Path> = HashMap::new();
    let mut aliases: Vec<(String, &Path, usize)> = Vec::new();
    let mut docs: Vec<Doc> = docs.collect();
    // Report against the later file, in path order, whatever order loading produced.
    docs.sort_by(|a, b| a.path.cmp(b.path));
    for d in &docs {
        let key = (title_key(d.title), d.subtitle.map(title_key));
        if let Some(first) = full.get(&key) {
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
        full.insert(key, d.path);
        titles.entry(title_key(d.title)).or_insert(d.path);
        for a in d.aliases {
            aliases.push((title_key(a), d.path, line_of(d, a)));
        }
    }
    let mut seen_alias: HashMap<&str, &Path> = HashMap::new();
    for (a, path, line) in &aliases {
        let clash = match titles.get(a.as_str()) {
            Some(other) if other != path => Some(phrase(
                "alias-is-title",
                &[("file", other.display().to_string())],
            )),
            _ => match seen_alias.get(a.as_str()) {
                Some(other) if other != path => Some(phrase(
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

/// What a folder page (`_index.md`, or an `index.md` beside other pages) says about its folder's
/// category: title, position, summary, and its body as an introduction.
struct FolderPage {
    title: Option<String>,
    order: Option<i64>,
    summary: Option<String>,
    intro: Option<Box<Regulation>>,
}

/// Read the folder pages, keyed by their folder (its path under `content/`, as names).
fn folder_pages(
    ctx: &Ctx,
    files: &[PathBuf],
    diags: &mut Vec<Diagnostic>,
) -> HashMap<Vec<String>, FolderPage> {
    // Other tools' names (`weight`, `description`) as for a regulation; any other key (Hugo's
    // `layout`, `cascade` …) belongs to that tool and is left alone.
    #[derive(Deserialize)]
    struct Raw {
        title: Option<String>,
        order: Option<i64>,
        weight: Option<i64>,
        summary: Option<String>,
        description: Option<String>,
    }
    let mut out = HashMap::new();
    for path in files {
        let Some(folder) = path
            .strip_prefix(ctx.content)
            .ok()
            .and_then(|p| p.parent())
            .map(names)
            .filter(|f| !f.is_empty())
        else {
            continue;
        };
        let shown = ctx.display(path);
        let text = match text::read_as(path, &shown, ctx.encoding, diags) {
            Ok(t) => t,
            Err(d) => {
                diags.push(*d);
                continue;
            }
        };
        // A folder page without front-matter is all introduction.
        let (raw, body, body_line) = match frontmatter::split(&text) {
            Ok(split) => match yaml::from_str::<Option<Raw>>(split.yaml) {
                Ok(raw) => (raw, split.body, split.body_line),
                Err(e) => {
                    diags.push(Diagnostic::coded(
                        Severity::Error,
                        "RB058",
                        &shown,
                        split.yaml_line + e.line - 1,
                        e.column,
                        crate::messages::yaml_detail(e.message),
                    ));
                    continue;
                }
            },
            Err(_) => (None, text.as_str(), 1),
        };
        let (title, order, summary) = match raw {
            Some(r) => (r.title, r.order.or(r.weight), r.summary.or(r.description)),
            None => (None, None, None),
        };
        let title = title
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        let intro = (!body.trim().is_empty()).then(|| {
            let id = folder.join("-");
            let mut r = Regulation::new(&id, title.as_deref().unwrap_or(&id), body);
            r.source = Source {
                path: shown.clone(),
                body_line,
            };
            Box::new(r)
        });
        out.insert(
            folder,
            FolderPage {
                title,
                order,
                summary,
                intro,
            },
        );
    }
    out
}

/// The names of a relative folder path's parts.
fn names(p: &Path) -> Vec<String> {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect()
}

/// The folder (under `content/`, as names) whose category a regulation file is in by default: its
/// own folder, or for a leaf bundle (`a/b/index.md`, alone in `b/`) the folder holding the bundle.
fn category_folder(rel: &Path) -> Vec<String> {
    let mut dir = rel.parent();
    if rel.file_name().is_some_and(|n| n == "index.md") {
        dir = dir.and_then(Path::parent);
    }
    dir.map(names).unwrap_or_default()
}

/// A category's id from its folder: the names joined with `-` (`a/b` is `a-b`, as `a/b/index.md`
/// is), so a top-level folder's category keeps the folder's name.
fn folder_id(folder: &[String]) -> String {
    folder.join("-")
}

/// One node of the category tree while it is built.
struct Node {
    id: String,
    parent: Option<String>,
    title: String,
    order: i64,
    /// Position in site.yaml's `categories:`, which comes before everything else.
    listed: Option<usize>,
    summary: Option<String>,
    intro: Option<Box<Regulation>>,
}

/// The category tree, depth first (a category before its subcategories, siblings in order: site.yaml's
/// list, then `order`, then id), with only categories that hold a regulation somewhere below; the
/// regulations are sorted into it (category, then `order`, then id).
fn category_tree(
    ctx: &Ctx,
    config: &Config,
    regulations: &mut [Regulation],
    folders: &HashMap<String, Vec<String>>,
    mut pages: HashMap<Vec<String>, FolderPage>,
    top_level: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Category> {
    let mut nodes: HashMap<String, Node> = HashMap::new();
    let listed = |id: &str| config.categories.iter().position(|c| c.id == id);
    let configured_title = |id: &str| {
        config
            .categories
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.title.clone())
    };
    // Every folder holding a regulation, and every folder above it.
    let mut seen_folders: HashMap<String, Vec<String>> = HashMap::new();
    let mut reported: HashSet<Vec<String>> = HashSet::new();
    let mut all: Vec<&Vec<String>> = folders.values().collect();
    all.sort();
    all.dedup();
    for folder in all {
        for n in 1..=folder.len() {
            let f = folder[..n].to_vec();
            let id = folder_id(&f);
            if nodes.contains_key(&id) {
                if seen_folders.get(&id).is_some_and(|g| *g != f) && reported.insert(f.clone()) {
                    // `a-b/` and `a/b/` would be one category: the second is reported, once.
                    diags.push(Diagnostic::coded(
                        Severity::Error,
                        "RB059",
                        ctx.display(&ctx.content.join(f.join("/"))),
                        1,
                        1,
                        vec![
                            ("first", seen_folders[&id].join("/")),
                            ("second", f.join("/")),
                            ("id", id.clone()),
                        ],
                    ));
                }
                continue;
            }
            let page = pages.remove(&f);
            let (page_title, order, summary, intro) = match page {
                Some(p) => (p.title, p.order, p.summary, p.intro),
                None => (None, None, None, None),
            };
            nodes.insert(
                id.clone(),
                Node {
                    parent: (n > 1).then(|| folder_id(&f[..n - 1])),
                    title: configured_title(&id)
                        .or(page_title)
                        .unwrap_or_else(|| f[n - 1].clone()),
                    order: order.unwrap_or(0),
                    listed: listed(&id),
                    summary,
                    intro,
                    id: id.clone(),
                },
            );
            seen_folders.insert(id, f);
        }
    }
    // A `category:` that names no folder is a category of its own, at the top level; files at the
    // top of content/ are in one under an id no folder has.
    for r in regulations.iter_mut() {
        if r.category.is_empty() {
            r.category = top_level.to_string();
        }
        if !nodes.contains_key(&r.category) {
            let title = if r.category == top_level {
                config.string("uncategorised")
            } else {
                configured_title(&r.category).unwrap_or_else(|| r.category.clone())
            };
            nodes.insert(
                r.category.clone(),
                Node {
                    id: r.category.clone(),
                    parent: None,
                    title,
                    order: 0,
                    listed: listed(&r.category),
                    summary: None,
                    intro: None,
                },
            );
        }
    }
    // Keep the categories holding a regulation somewhere below.
    let mut total: HashMap<String, usize> = HashMap::new();
    for r in regulations.iter() {
        let mut at = Some(r.category.as_str());
        while let Some(id) = at {
            *total.entry(id.to_string()).or_default() += 1;
            at = nodes.get(id).and_then(|n| n.parent.as_deref());
        }
    }
    let mut children: HashMap<Option<&str>, Vec<&Node>> = HashMap::new();
    for n in nodes.values() {
        if total.contains_key(n.id.as_str()) {
            children.entry(n.parent.as_deref()).or_default().push(n);
        }
    }
    for list in children.values_mut() {
        // The top-level files' category sorts as an empty folder name did before: first of the
        // categories not in site.yaml.
        list.sort_by(|a, b| {
            let key = |n: &Node| {
                (
                    n.listed.unwrap_or(usize::MAX),
                    n.order,
                    if n.id == top_level {
                        String::new()
                    } else {
                        n.id.clone()
                    },
                )
            };
            key(a).cmp(&key(b))
        });
    }
    // Depth first: the display order of categories, and so of regulations.
    let mut order: Vec<(&Node, Option<usize>)> = Vec::new();
    let mut stack: Vec<(&Node, Option<usize>)> = children
        .get(&None)
        .map(|l| l.iter().rev().map(|n| (*n, None)).collect())
        .unwrap_or_default();
    while let Some((n, parent)) = stack.pop() {
        let i = order.len();
        order.push((n, parent));
        if let Some(kids) = children.get(&Some(n.id.as_str())) {
            stack.extend(kids.iter().rev().map(|k| (*k, Some(i))));
        }
    }
    let pos: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (n.id.as_str(), i))
        .collect();
    regulations.sort_by(|a, b| {
        (pos.get(a.category.as_str()), a.order, &a.id).cmp(&(
            pos.get(b.category.as_str()),
            b.order,
            &b.id,
        ))
    });
    let mut categories: Vec<Category> = order
        .iter()
        .map(|(n, parent)| Category {
            id: n.id.clone(),
            title: n.title.clone(),
            regulations: Vec::new(),
            parent: *parent,
            children: Vec::new(),
            total: total.get(&n.id).copied().unwrap_or(0),
            order: n.order,
            summary: n.summary.clone(),
            intro: None,
        })
        .collect();
    for i in 0..categories.len() {
        if let Some(p) = categories[i].parent {
            categories[p].children.push(i);
        }
    }
    for (i, r) in regulations.iter().enumerate() {
        if let Some(&c) = pos.get(r.category.as_str()) {
            categories[c].regulations.push(i);
        }
    }
    for c in &mut categories {
        c.intro = nodes.get_mut(&c.id).and_then(|n| n.intro.take());
    }
    categories
}

/// Whether a file name is one the loader reads (a regulation, a procedure or a data file).
fn is_source_name(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "yaml" | "yml")
    ) || path.extension().is_none()
}

/// Load and check everything under `root/content`.
pub fn load(root: &Path) -> Loaded {
    load_with(root, text::Encoding::Utf8)
}

/// [`load`], reading files that are not UTF-8 as `encoding` says.
pub fn load_with(root: &Path, encoding: text::Encoding) -> Loaded {
    let content = root.join("content");
    let ctx = Ctx {
        root,
        content: &content,
        encoding,
    };
    let mut diags = Vec::new();
    let config = match Config::load(&content, &ctx.display(&content.join("site.yaml"))) {
        Ok(c) => c,
        Err(d) => {
            diags.extend(d);
            Config::default()
        }
    };
    if !content.is_dir() {
        diags.push(Diagnostic::coded(
            Severity::Error,
            "RB022",
            ctx.display(&content),
            1,
            1,
            Vec::new(),
        ));
    }

    let canonical_root = root.canonicalize().ok();
    // Collect paths first (sorted, so output never depends on directory order), then parse in parallel.
    let mut md_files = Vec::new();
    let mut index_files = Vec::new();
    let mut procedure_files = Vec::new();
    for entry in WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| content.clone());
                diags.push(Diagnostic::coded(
                    Severity::Error,
                    "RB060",
                    ctx.display(&p),
                    1,
                    1,
                    vec![("error", e.to_string())],
                ));
                continue;
            }
        };
        let path = entry.path();
        if entry.path_is_symlink() && entry.depth() > 0 {
            // Links are followed only to files inside the site root: content/ must not pull in
            // files from elsewhere on the machine. Folders linked in are not walked (no loops).
            // Why, from the catalogue's phrases.
            let skipped = match path.canonicalize() {
                Err(e) => Some(phrase("link-broken", &[("error", e.to_string())])),
                Ok(target)
                    if !canonical_root
                        .as_deref()
                        .is_some_and(|r| target.starts_with(r)) =>
                {
                    Some(phrase(
                        "link-outside",
                        &[("target", target.display().to_string())],
                    ))
                }
                Ok(target) if target.is_dir() => Some(phrase("link-to-folder", &[])),
                Ok(_) => None,
            };
            if let Some((why, why_zh)) = skipped {
                if is_source_name(path) {
                    diags.push(Diagnostic::coded(
                        Severity::Warning,
                        "RB061",
                        ctx.display(path),
                        1,
                        1,
                        vec![("why", why), ("why_zh", why_zh)],
                    ));
                }
                continue;
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        let rel = path.strip_prefix(&content).unwrap_or(path);
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if rel.parent() == Some(Path::new(PROCEDURES_DIR)) && matches!(ext, "yaml" | "yml") {
            procedure_files.push(path.to_path_buf());
        } else if ext == "md" && entry.file_name() == "_index.md" {
            // A folder's own page (Hugo's branch bundle): it describes the category, it is no
            // regulation.
            index_files.push(path.to_path_buf());
        } else if ext == "md" {
            md_files.push(path.to_path_buf());
        } else if rel.parent() == Some(Path::new(""))
            && DATA_FILES.contains(&rel.to_str().unwrap_or(""))
        {
            // read below
        }
    }

    // An `index.md` in a folder that holds other pages (here or further down) is that folder's
    // page, as `_index.md` is; alone in its folder it is a regulation (Hugo's leaf bundle).
    let mut pages_in: HashMap<&Path, usize> = HashMap::new();
    for p in &md_files {
        for dir in p.ancestors().skip(1) {
            if !dir.starts_with(&content) || dir == content {
                break;
            }
            *pages_in.entry(dir).or_default() += 1;
        }
    }
    let with_folder_page: HashSet<&Path> = index_files.iter().filter_map(|p| p.parent()).collect();
    let (branch, md_files): (Vec<PathBuf>, Vec<PathBuf>) =
        md_files.iter().cloned().partition(|p| {
            p.file_name().is_some_and(|n| n == "index.md")
                && p.parent().is_some_and(|dir| {
                    pages_in.get(dir).is_some_and(|&n| n > 1) && !with_folder_page.contains(dir)
                })
        });
    index_files.extend(branch);

    let parsed: Vec<(Option<Parsed>, Vec<Diagnostic>)> = md_files
        .par_iter()
        .map(|p| {
            let mut d = Vec::new();
            let r = parse_regulation(&ctx, &config, p, &mut d);
            (r, d)
        })
        .collect();
    let mut regulations = Vec::new();
    let mut withheld = Vec::new();
    let mut failed = Vec::new();
    for ((r, d), path) in parsed.into_iter().zip(&md_files) {
        diags.extend(d);
        match r {
            Some(Parsed::Published(r)) => regulations.push(*r),
            Some(Parsed::Withheld(w)) => withheld.push(w),
            None => failed.push(Failed {
                id: path
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_string())
                    .unwrap_or_default(),
                path: ctx.display(path),
            }),
        }
    }
    // In file order (md_files is sorted), so the first use is the one shown.
    let mut diags = merge_unknown_keys(diags);
    let failed_ids: HashSet<String> = failed.iter().map(|f| f.id.clone()).collect();

    // Ids are unique across published and withheld documents alike.
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
        if dup(&r.id, &r.source.path, &mut diags) {
            keep.push(r);
        }
    }
    let mut regulations = keep;
    withheld.retain(|w| dup(&w.id, &w.path, &mut diags));
    check_names(&regulations, &withheld, &mut diags);

    // Categories: the folders (at any depth), site.yaml's order and titles first, then folder
    // pages'; files at the top of content/ get a category of their own, under an id no folder has.
    let mut top_level = "uncategorised".to_string();
    let mut k = 1;
    while regulations.iter().any(|r| r.category == top_level)
        || config.categories.iter().any(|c| c.id == top_level)
    {
        top_level = format!("uncategorised-{k}");
        k += 1;
    }
    let folders: HashMap<String, Vec<String>> = regulations
        .iter()
        .filter_map(|r| {
            let rel = root.join(&r.source.path);
            let rel = rel.strip_prefix(&content).ok()?;
            Some((r.id.clone(), category_folder(rel)))
        })
        .filter(|(_, f)| !f.is_empty())
        .collect();
    let pages = folder_pages(&ctx, &index_files, &mut diags);
    let categories = category_tree(
        &ctx,
        &config,
        &mut regulations,
        &folders,
        pages,
        &top_level,
        &mut diags,
    );

    let (mut roles, roles_text) = load_list::<Role>(&ctx, "roles.yaml", &mut diags);
    let roles_path = ctx.display(&content.join("roles.yaml"));
    check_roles(&mut roles, &roles_text, &roles_path, &mut diags);
    let mut names: HashMap<&str, &str> = HashMap::new();
    for role in &roles {
        for n in std::iter::once(&role.name)
            .chain(&role.aliases)
            .chain(&role.plain)
        {
            if let Some(other) = names.insert(n, &role.name) {
                diags.push(Diagnostic::coded(
                    Severity::Error,
                    "RB062",
                    &roles_path,
                    find_line(&roles_text, n),
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
    for r in &regulations {
        check_role_overrides(r, &roles, &names, &mut diags);
    }
    check_lifecycle(&regulations, &withheld, &failed_ids, &roles, &mut diags);
    let (terms, _) = load_list::<Term>(&ctx, "terms.yaml", &mut diags);

    let by_id: HashMap<&str, &Regulation> =
        regulations.iter().map(|r| (r.id.as_str(), r)).collect();
    let withheld_ids: HashSet<&str> = withheld.iter().map(|w| w.id.as_str()).collect();
    let terms_path = ctx.display(&content.join("terms.yaml"));
    for t in &terms {
        if let Some(src) = &t.source
            && !by_id.contains_key(src.as_str())
            && !failed_ids.contains(src)
        {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB063",
                &terms_path,
                1,
                1,
                vec![("term", t.term.clone()), ("id", src.clone())],
            ));
        }
    }

    let mut procedures = Vec::new();
    for path in &procedure_files {
        let shown = ctx.display(path);
        let Some(text) = read_text(&ctx, path, &mut diags) else {
            continue;
        };
        let mut p: Procedure = match yaml::from_str(&text) {
            Ok(p) => p,
            Err(e) => {
                diags.push(Diagnostic::coded(
                    Severity::Error,
                    "RB064",
                    &shown,
                    e.line,
                    e.column,
                    crate::messages::yaml_detail(e.message),
                ));
                continue;
            }
        };
        p.source = Source {
            path: shown.clone(),
            body_line: 1,
        };
        p.text = text.clone();
        if withheld_ids.contains(p.regulation.as_str()) {
            continue; // belongs to an unpublished regulation: withheld with it
        }
        if failed_ids.contains(&p.regulation) {
            continue; // its regulation did not load: that error is reported already
        }
        if !by_id.contains_key(p.regulation.as_str()) {
            let mut d = Diagnostic::coded(
                Severity::Error,
                "RB065",
                &shown,
                find_line(&text, "regulation:"),
                1,
                vec![("id", p.id.clone()), ("regulation", p.regulation.clone())],
            );
            if let Some(n) = nearest(&p.regulation, by_id.keys().copied()) {
                d = d.with_hint("did-you-mean", vec![("near", n.to_string())]);
            }
            diags.push(d);
            continue;
        }
        // Clauses named by the steps are checked by the analysis, once the bodies are outlined.
        let roles_named = p
            .steps
            .iter()
            .map(|s| s.role.as_ref())
            .chain(p.constraints.iter().map(|c| c.role.as_ref()))
            .flatten();
        for role in roles_named {
            if !names.contains_key(role.as_str()) {
                diags.push(unknown_role(
                    &shown,
                    find_line(&text, &format!("role: {role}")),
                    role,
                    names.keys().copied(),
                ));
            }
        }
        check_procedure_shape(&p, &shown, &text, &mut diags);
        p.assign_step_ids();
        if p.steps.is_empty() {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB066",
                &shown,
                1,
                1,
                Vec::new(),
            ));
        }
        procedures.push(p);
    }
    let reg_pos: HashMap<&str, usize> = regulations
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    procedures.sort_by(|a, b| {
        (reg_pos.get(a.regulation.as_str()), a.order, &a.id).cmp(&(
            reg_pos.get(b.regulation.as_str()),
            b.order,
            &b.id,
        ))
    });
    let mut proc_ids = HashSet::new();
    for p in &procedures {
        if !proc_ids.insert(p.id.as_str()) {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB067",
                &p.source.path,
                1,
                1,
                vec![("id", p.id.clone())],
            ));
        }
    }
    drop(by_id);

    // Files copied into the output as they are (site.yaml's forms/external files, static/): checked
    // here, so `check` reports them; rendering reads only the checked paths (src/content/files.rs).
    let mut config = config;
    let (copied, file_diags) = super::files::validate(
        root,
        &config,
        md_files
            .iter()
            .chain(&procedure_files)
            .map(PathBuf::as_path),
    );
    config.copied = copied;
    diags.extend(file_diags);

    diags.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    Loaded {
        library: Library::new(config, regulations, categories, roles, terms, procedures),
        withheld,
        failed,
        diagnostics: diags,
    }
}

/// What a procedure file says of itself that can be checked without the regulations' clauses:
/// an editorial order says what it rests on, choice and condition ids are unique, every `when:`
/// names a choice (of an earlier condition, for a condition), and every step cites a clause or a
/// flowchart box. Each problem is an error at its line.
fn check_procedure_shape(p: &Procedure, shown: &Path, text: &str, diags: &mut Vec<Diagnostic>) {
    let mut err = |line: usize, code: &'static str, args: Vec<(&'static str, String)>| {
        diags.push(Diagnostic::coded(
            Severity::Error,
            code,
            shown,
            line,
            1,
            args,
        ));
    };
    if p.editorial_order && p.order_note.as_deref().is_none_or(|n| n.trim().is_empty()) {
        err(find_line(text, "editorial_order:"), "RB068", Vec::new());
    }
    let mut conditions = HashSet::new();
    // Choice id → index of its condition.
    let mut choices: HashMap<&str, usize> = HashMap::new();
    for (ci, c) in p.conditions.iter().enumerate() {
        if !conditions.insert(c.id.as_str()) {
            err(
                find_line(text, &format!("id: {}", c.id)),
                "RB069",
                vec![("id", c.id.clone())],
            );
        }
        for w in &c.when {
            if !choices.contains_key(w.as_str()) {
                err(
                    find_line(text, &format!("when: {w}")).max(find_line(text, w)),
                    "RB070",
                    vec![("id", c.id.clone()), ("when", w.clone())],
                );
            }
        }
        if c.choices.is_empty() {
            err(
                find_line(text, &format!("id: {}", c.id)),
                "RB071",
                vec![("id", c.id.clone())],
            );
        }
        for o in &c.choices {
            if choices.insert(o.id.as_str(), ci).is_some() {
                err(
                    find_line(text, &format!("id: {}", o.id)),
                    "RB072",
                    vec![("id", o.id.clone())],
                );
            }
            if c.unit.is_none() && (o.max.is_some() || o.under.is_some()) {
                err(
                    find_line(text, &format!("id: {}", o.id)),
                    "RB073",
                    vec![("id", o.id.clone())],
                );
            }
        }
    }
    for s in &p.steps {
        let line = find_line(text, &s.text);
        for w in &s.when {
            if !choices.contains_key(w.as_str()) {
                let mut d = Diagnostic::coded(
                    Severity::Error,
                    "RB074",
                    shown,
                    line,
                    1,
                    vec![("step", s.text.clone()), ("when", w.clone())],
                );
                if let Some(n) = nearest(w, choices.keys().copied()) {
                    d = d.with_hint("did-you-mean", vec![("near", n.to_string())]);
                }
                diags.push(d);
            }
        }
        if s.clause.is_none() && s.boxes.is_empty() {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB075",
                shown,
                line,
                1,
                vec![("step", s.text.clone())],
            ));
        }
    }
}
