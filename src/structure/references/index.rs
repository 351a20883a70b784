//! The names references are recognised by, built once per library: titles and aliases (with
//! the site's short name left off), glossary terms, forms and withheld documents' titles.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::near::NearTitles;
use crate::model::{Library, Withheld};

#[derive(Debug, Clone)]
pub(super) enum Bare {
    Regulation(usize),
    Term(usize),
}

/// Everything needed to recognise references, built once per library.
pub struct Index {
    /// Normalised title or alias → regulation index.
    pub(super) titles: HashMap<String, usize>,
    /// A title two or more regulations bear (in different folders) → all of them: cited, it is
    /// reported (RB204) and not linked; in running text it is not looked for.
    pub(super) ambiguous: HashMap<String, Vec<usize>>,
    /// Titles and aliases of withheld regulations → their title.
    pub(super) withheld: HashMap<String, String>,
    pub(super) withheld_ids: HashSet<String>,
    /// Bare-text matcher over aliases, titles and glossary terms (leftmost-longest).
    pub(super) bare: Option<AhoCorasick>,
    pub(super) bare_targets: Vec<Bare>,
    /// Term index → the regulation that defines it (terms are not linked inside it).
    pub(super) term_home: Vec<Option<String>>,
    pub(super) term_names: Vec<String>,
    pub(super) forms: HashSet<String>,
    /// Forms named without 《》 (site.yaml `form_names:`).
    pub bare_forms: crate::structure::forms::FormIndex,
    pub(super) short_name: Option<String>,
    /// Titles and aliases for "did you mean" suggestions.
    pub(super) near: NearTitles,
    /// Unmatched 《name》 → whether it must be ours (with a suggestion). The same citations recur in
    /// many regulations, and the near-miss search is linear in the number of titles.
    pub(super) internal_cache: std::sync::Mutex<HashMap<String, Option<String>>>,
    /// Some regulation file failed to load, so a title that matches nothing may be its own.
    pub incomplete: bool,
    /// The titles the failed files may go by (normalised): only a 《name》 near one of them is
    /// held back while they fail ([`Index::may_be_failed`]).
    pub failed_titles: Vec<String>,
}

/// Titles are matched without white space (the loader checks them for duplicates the same way).
pub(super) fn normalise(s: &str) -> String {
    crate::model::title_key(s)
}

/// Suffixes that make a 《name》 a form rather than a document.
pub const FORM_SUFFIXES: &[&str] = &[
    "单",
    "函",
    "表",
    "志愿书",
    "申请书",
    "登记卡",
    "卡片",
    "清单",
];
/// Suffixes of documents (laws, rules); a name ending so is a citation even if it ends like a form.
pub const DOC_SUFFIXES: &[&str] = &[
    "法",
    "条例",
    "规定",
    "办法",
    "细则",
    "准则",
    "意见",
    "纲要",
    "规范",
    "通知",
    "制度",
    "决定",
    "规则",
    "责任清单",
];

impl Index {
    pub fn new(lib: &Library, withheld: &[Withheld]) -> Index {
        let short = lib.config.short_name.clone();
        let mut titles = HashMap::new();
        let mut near: Vec<(String, usize)> = Vec::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut bare_targets = Vec::new();
        let strip = |t: &str| -> Option<String> {
            let s = short.as_deref()?;
            t.strip_prefix(s)
                .filter(|r| r.chars().count() >= 2)
                .map(str::to_string)
        };
        // Titles more than one regulation bears.
        // The versions of one regulation kept as files share their title without making it
        // ambiguous: which one is meant is a matter of the citing text's date (`Scanner::in_time`).
        let mut ambiguous: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, r) in lib.regulations.iter().enumerate() {
            let first = lib.family(i).map_or(i, |f| f.members[0]);
            let v = ambiguous.entry(normalise(&r.title)).or_default();
            if !v.contains(&first) {
                v.push(first);
            }
        }
        ambiguous.retain(|_, v| v.len() > 1);
        for (i, r) in lib.regulations.iter().enumerate() {
            let title = normalise(&r.title);
            near.push((title.clone(), i));
            near.extend(r.aliases.iter().map(|a| (normalise(a), i)));
            let mut names = vec![title.clone()];
            names.extend(r.aliases.iter().map(|a| normalise(a)));
            if let Some(s) = strip(&title) {
                // Only the book-title form: "财务管理制度" alone in running text is too generic.
                titles.entry(s).or_insert(i);
            }
            for n in names {
                if ambiguous.contains_key(&n) {
                    continue;
                }
                titles.entry(n.clone()).or_insert(i);
                // Full titles and aliases that are distinctive names are found without 《》 too
                // (never a bare common word: structure::names).
                if crate::structure::names::bare_ok(&n) {
                    patterns.push(n);
                    bare_targets.push(Bare::Regulation(i));
                }
            }
        }
        // A law's short name, as laws are cited (刑法第十条 for 中华人民共和国刑法): after every
        // title and alias, so it never takes one's place, and only where no other document
        // derives the same one (both would be guessing).
        let mut short_names: HashMap<String, Option<usize>> = HashMap::new();
        for (i, r) in lib.regulations.iter().enumerate() {
            if let Some(s) = crate::model::short_title(&normalise(&r.title)) {
                short_names
                    .entry(s)
                    .and_modify(|e| {
                        if *e != Some(i) {
                            *e = None;
                        }
                    })
                    .or_insert(Some(i));
            }
        }
        for (s, i) in short_names {
            if let Some(i) = i {
                titles.entry(s).or_insert(i);
            }
        }
        let mut term_home = Vec::new();
        let mut term_names = Vec::new();
        for (i, t) in lib.terms.iter().enumerate() {
            term_home.push(t.source.clone());
            term_names.push(t.term.clone());
            if !t.link {
                continue;
            }
            for n in std::iter::once(&t.term).chain(&t.aliases) {
                let n = normalise(n).trim_matches(['“', '”', '"']).to_string();
                if n.chars().count() >= 2 {
                    patterns.push(n);
                    bare_targets.push(Bare::Term(i));
                }
            }
        }
        let mut withheld_titles = HashMap::new();
        for w in withheld {
            let t = normalise(&w.title);
            if let Some(s) = strip(&t) {
                withheld_titles.insert(s, w.title.clone());
            }
            withheld_titles.insert(t, w.title.clone());
            for a in &w.aliases {
                withheld_titles.insert(normalise(a), w.title.clone());
            }
        }
        let bare = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                // Not the DFA: building it is quadratic in the length of a repetitive title
                // (8,000 characters took a second, 100,000 hung).
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .expect("patterns are plain strings")
        });
        Index {
            titles,
            ambiguous,
            withheld: withheld_titles,
            withheld_ids: withheld.iter().map(|w| w.id.clone()).collect(),
            bare,
            bare_targets,
            term_home,
            term_names,
            forms: lib.config.forms.keys().map(|k| normalise(k)).collect(),
            bare_forms: crate::structure::forms::FormIndex::new(&lib.config.form_names),
            short_name: short,
            near: NearTitles::new(near),
            internal_cache: Default::default(),
            incomplete: false,
            failed_titles: lib.failed_titles.iter().map(|t| normalise(t)).collect(),
        }
    }

    /// Whether `name` may be the title of a file that failed to load: the same title, the title
    /// without the organisation's short name, or a near miss of it (as the "did you mean" search
    /// judges one). Such a citation is checked once that file loads; any other is reported now.
    pub(super) fn may_be_failed(&self, name: &str) -> bool {
        if !self.incomplete {
            return false;
        }
        let n = normalise(name);
        self.failed_titles.iter().any(|t| {
            *t == n
                || self
                    .short_name
                    .as_deref()
                    .is_some_and(|s| t.strip_prefix(s) == Some(n.as_str()))
                || strsim::normalized_levenshtein(&n, t) >= 0.8
        })
    }

    /// The regulation a 《name》 denotes, if any.
    pub fn regulation_by_title(&self, name: &str) -> Option<usize> {
        self.titles.get(&normalise(name)).copied()
    }

    pub(super) fn suggestion(&self, lib: &Library, name: &str) -> Option<String> {
        self.near
            .nearest(&normalise(name))
            .map(|i| lib.regulations[i].title.clone())
    }

    pub(super) fn is_form(&self, name: &str) -> bool {
        let n = normalise(name);
        if self.forms.contains(&n) {
            return true;
        }
        !DOC_SUFFIXES.iter().any(|s| n.ends_with(s)) && FORM_SUFFIXES.iter().any(|s| n.ends_with(s))
    }

    /// Whether a 《name》 that matched nothing must be one of ours (and so is an error).
    pub(super) fn looks_internal(&self, lib: &Library, name: &str) -> Option<String> {
        let n = normalise(name);
        if let Some(hit) = self
            .internal_cache
            .lock()
            .ok()
            .and_then(|c| c.get(&n).cloned())
        {
            return hit;
        }
        let result = self.looks_internal_uncached(lib, &n);
        if let Ok(mut c) = self.internal_cache.lock() {
            c.insert(n, result.clone());
        }
        result
    }

    pub(super) fn looks_internal_uncached(&self, lib: &Library, n: &str) -> Option<String> {
        let ours = self.short_name.as_deref().is_some_and(|s| n.starts_with(s));
        // A name that is itself a plausible document's (《中华人民共和国刑法》) is another law the
        // handbook does not hold, however near one of ours it is (《中华人民共和国国旗法》): it is
        // recorded under its own name, never "corrected".
        if !ours && plausible_document_name(n) {
            return None;
        }
        let best = self.suggestion(lib, n);
        let near = best
            .clone()
            .filter(|t| strsim::normalized_levenshtein(n, &normalise(t)) >= 0.8);
        if ours || near.is_some() {
            Some(near.or(best).unwrap_or_default())
        } else {
            None
        }
    }
}

/// How the names of laws and state documents end: a 《name》 ending so that matches none of the
/// handbook's is another document, not a misspelling of one of ours.
const LAW_SUFFIXES: &[&str] = &[
    "法",
    "法典",
    "条例",
    "规定",
    "办法",
    "决定",
    "解释",
    "决议",
    "批复",
    "答复",
    "公约",
    "修正案",
    "细则",
    "规则",
    "意见",
    "通知",
    "纲要",
    "准则",
];

/// Whether `name` ends as the name of a law or state document does.
pub(super) fn plausible_document_name(name: &str) -> bool {
    name.chars().count() >= 3 && LAW_SUFFIXES.iter().any(|s| name.ends_with(s))
}
