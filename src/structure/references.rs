//! Finds references in the text — 《titles》, 本办法第五条, 第三条第（二）项, 前款, glossary terms,
//! cited laws and forms — resolves them against the [`Library`], and records them in the model.
//!
//! The same [`Scanner`] runs when the model is built (to record references and report unresolved
//! ones) and when a page is rendered (to turn them into links), so the two always agree.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

use super::clauses::{ClauseKind, markdown_options};
use super::limits;
use super::lines::{LineIndex, first_lines};
use super::numerals;
use crate::content::load::Withheld;
use crate::content::model::{Library, Regulation};
use crate::error::Diagnostic;

/// What a reference points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Target {
    /// A regulation of the handbook, or one of its clauses.
    Regulation { id: String, anchor: Option<String> },
    /// A glossary term.
    Term { term: String },
    /// A law or document the handbook does not contain (依据文件).
    External { name: String },
    /// A form staff fill in (表单).
    Form { name: String },
}

/// Where in a regulation a reference stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "in", rename_all = "snake_case")]
pub enum Origin {
    Body,
    RiskRegister,
    Procedure { id: String, step: usize },
}

/// One resolved reference, kept in the model for every later output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// Id of the regulation the reference stands in.
    pub from: String,
    /// Anchor of the clause it stands in, if any.
    pub clause: Option<String>,
    pub origin: Origin,
    /// The text as written.
    pub text: String,
    pub target: Target,
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

/// A match in a run of text, before it is recorded or rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub result: Result<Target, Problem>,
}

/// Why a reference could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub help: String,
}

#[derive(Debug, Clone)]
enum Bare {
    Regulation(usize),
    Term(usize),
}

/// Everything needed to recognise references, built once per library.
pub struct Index {
    /// Normalised title or alias → regulation index.
    titles: HashMap<String, usize>,
    /// Titles and aliases of withheld regulations → their title.
    withheld: HashMap<String, String>,
    withheld_ids: HashSet<String>,
    /// Bare-text matcher over aliases, titles and glossary terms (leftmost-longest).
    bare: Option<AhoCorasick>,
    bare_targets: Vec<Bare>,
    /// Term index → the regulation that defines it (terms are not linked inside it).
    term_home: Vec<Option<String>>,
    term_names: Vec<String>,
    forms: HashSet<String>,
    short_name: Option<String>,
    /// (normalised title, regulation index) for suggestions.
    all_titles: Vec<(String, usize)>,
    /// Unmatched 《name》 → whether it must be ours (with a suggestion). The same citations recur in
    /// many regulations, and the near-miss search is linear in the number of titles.
    internal_cache: std::sync::Mutex<HashMap<String, Option<String>>>,
    /// Each regulation's clauses by anchor, built when first needed.
    clauses: Vec<OnceLock<Clauses>>,
    /// What is left of the work the "did you mean" help of broken explicit references may take
    /// (candidate characters compared), so that many of them in a big handbook cannot hang it.
    hint_budget: AtomicU64,
}

/// Characters the "did you mean" search for broken explicit references may compare, in all.
const HINT_BUDGET: u64 = 200_000_000;

/// One regulation's clauses by anchor, so that resolving a reference does not search the clause list.
#[derive(Debug, Clone, Default)]
pub struct Clauses {
    by_anchor: HashMap<String, usize>,
    has_articles: bool,
    /// (clause, paragraph) of every later paragraph (款) of an article.
    paras: HashSet<(usize, u32)>,
}

impl Clauses {
    pub fn new(reg: &Regulation) -> Clauses {
        let mut by_anchor = HashMap::with_capacity(reg.clauses.len());
        for (i, c) in reg.clauses.iter().enumerate() {
            by_anchor.entry(c.anchor.clone()).or_insert(i);
        }
        Clauses {
            by_anchor,
            has_articles: reg.clauses.iter().any(|c| c.kind == ClauseKind::Article),
            paras: reg
                .blocks
                .iter()
                .filter_map(|b| Some((b.clause?, b.para?)))
                .collect(),
        }
    }

    /// Index of the clause with this anchor.
    pub fn get(&self, anchor: &str) -> Option<usize> {
        self.by_anchor.get(anchor).copied()
    }

    /// Resolve 第N条 [第（M）项] [第K款]; see [`article_anchor`].
    pub fn article_anchor(
        &self,
        article: u32,
        item: Option<u32>,
        para: Option<u32>,
    ) -> Option<String> {
        let base = if self.has_articles {
            format!("art{article}")
        } else {
            format!("sec{article}")
        };
        let mut ci = self.get(&base)?;
        let mut anchor = base;
        if let Some(m) = item {
            anchor = format!("{anchor}-item{m}");
            ci = self.get(&anchor)?;
        }
        if let Some(k) = para
            && k > 1
        {
            if !self.paras.contains(&(ci, k)) {
                return None;
            }
            anchor = format!("{anchor}-para{k}");
        }
        Some(anchor)
    }
}

fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect()
}

/// Suffixes that make a 《name》 a form rather than a document.
const FORM_SUFFIXES: &[&str] = &[
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
const DOC_SUFFIXES: &[&str] = &[
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
        let mut all_titles = Vec::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut bare_targets = Vec::new();
        let strip = |t: &str| -> Option<String> {
            let s = short.as_deref()?;
            t.strip_prefix(s)
                .filter(|r| r.chars().count() >= 2)
                .map(str::to_string)
        };
        for (i, r) in lib.regulations.iter().enumerate() {
            let title = normalise(&r.title);
            all_titles.push((title.clone(), i));
            let mut names = vec![title.clone()];
            names.extend(r.aliases.iter().map(|a| normalise(a)));
            if let Some(s) = strip(&title) {
                // Only the book-title form: "财务管理制度" alone in running text is too generic.
                titles.entry(s).or_insert(i);
            }
            for n in names {
                titles.entry(n.clone()).or_insert(i);
                // Full titles and aliases are specific enough to find without 《》 too.
                if n.chars().count() >= 4 {
                    patterns.push(n);
                    bare_targets.push(Bare::Regulation(i));
                }
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
            withheld: withheld_titles,
            withheld_ids: withheld.iter().map(|w| w.id.clone()).collect(),
            bare,
            bare_targets,
            term_home,
            term_names,
            forms: lib.config.forms.keys().map(|k| normalise(k)).collect(),
            short_name: short,
            all_titles,
            internal_cache: Default::default(),
            clauses: lib.regulations.iter().map(|_| OnceLock::new()).collect(),
            hint_budget: AtomicU64::new(HINT_BUDGET),
        }
    }

    /// The clauses of `reg`: built once per regulation of `lib`, or now for one outside it.
    pub fn clauses_of<'a>(&'a self, lib: &Library, reg: &Regulation) -> Cow<'a, Clauses> {
        match lib.position(&reg.id) {
            Some(i) if i < self.clauses.len() && std::ptr::eq(&lib.regulations[i], reg) => {
                Cow::Borrowed(self.clauses[i].get_or_init(|| Clauses::new(reg)))
            }
            _ => Cow::Owned(Clauses::new(reg)),
        }
    }

    /// Take `cost` from the "did you mean" budget; false when it is spent.
    fn spend_hint(&self, cost: u64) -> bool {
        self.hint_budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(cost)
            })
            .is_ok()
    }

    /// The regulation a 《name》 denotes, if any.
    pub fn regulation_by_title(&self, name: &str) -> Option<usize> {
        self.titles.get(&normalise(name)).copied()
    }

    fn suggestion(&self, lib: &Library, name: &str) -> Option<String> {
        let name = normalise(name);
        let name = name.as_str();
        if limits::too_long(name) {
            return None;
        }
        let len = name.chars().count();
        // A similarity of 0.6 needs lengths within 0.6 of each other (the edit distance is at
        // least their difference): compare only those, and never an over-long name.
        let similar = |t: &str| -> Option<f64> {
            if limits::too_long(t) {
                return None;
            }
            let l = t.chars().count();
            (len.min(l) * 5 >= len.max(l) * 3).then(|| strsim::normalized_levenshtein(name, t))
        };
        self.all_titles
            .iter()
            .filter_map(|(t, i)| Some((similar(t)?, *i)))
            .chain(lib.regulations.iter().enumerate().flat_map(|(i, r)| {
                r.aliases
                    .iter()
                    .filter_map(move |a| Some((similar(&normalise(a))?, i)))
            }))
            .filter(|(s, _)| *s >= 0.6)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, i)| lib.regulations[i].title.clone())
    }

    fn is_form(&self, name: &str) -> bool {
        let n = normalise(name);
        if self.forms.contains(&n) {
            return true;
        }
        !DOC_SUFFIXES.iter().any(|s| n.ends_with(s)) && FORM_SUFFIXES.iter().any(|s| n.ends_with(s))
    }

    /// Whether a 《name》 that matched nothing must be one of ours (and so is an error).
    fn looks_internal(&self, lib: &Library, name: &str) -> Option<String> {
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

    fn looks_internal_uncached(&self, lib: &Library, n: &str) -> Option<String> {
        let ours = self.short_name.as_deref().is_some_and(|s| n.starts_with(s));
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

/// Resolve 第N条 [第（M）项] [第K款] inside `reg`. In a regulation numbered 一、二、 (no 条),
/// 第五条 means its 五、. This indexes the clauses of `reg` first; to resolve many references, use
/// [`Clauses::article_anchor`] on one [`Clauses`] (or [`Index::clauses_of`]).
pub fn article_anchor(
    reg: &Regulation,
    article: u32,
    item: Option<u32>,
    para: Option<u32>,
) -> Option<String> {
    Clauses::new(reg).article_anchor(article, item, para)
}

const CN_NUM: &str = "零〇一二三四五六七八九十百千两";

fn take_num(s: &str) -> (&str, &str) {
    let end = s
        .char_indices()
        .find(|&(_, c)| !(CN_NUM.contains(c) || c.is_ascii_digit()))
        .map_or(s.len(), |(i, _)| i);
    (&s[..end], &s[end..])
}

/// Parse `第N条[第（M）项][第K款]` at the start of `s`: (article, item, para, bytes used).
fn parse_article_ref(s: &str) -> Option<(u32, Option<u32>, Option<u32>, usize)> {
    let rest = s.strip_prefix('第')?;
    let (num, rest) = take_num(rest);
    let rest = rest.strip_prefix('条')?;
    let article = numerals::parse(num)?;
    let mut used = s.len() - rest.len();
    let mut item = None;
    let mut para = None;
    let mut rest = rest;
    if let Some(r) = rest.strip_prefix('第') {
        let (n, r2) = take_num(r);
        if let Some(r3) = r2.strip_prefix('款') {
            para = numerals::parse(n);
            used = s.len() - r3.len();
            rest = r3;
        }
    }
    for (open, close) in [("第（", "）项"), ("第(", ")项"), ("（", "）项")] {
        if let Some(r) = rest.strip_prefix(open) {
            let (n, r2) = take_num(r);
            if let Some(r3) = r2.strip_prefix(close) {
                item = numerals::parse(n);
                used = s.len() - r3.len();
                break;
            }
        }
    }
    Some((article, item, para, used))
}

/// Where a run of text stands, for resolving 本办法第五条 and 前款.
#[derive(Debug, Clone, Copy, Default)]
pub struct Place {
    pub clause: Option<usize>,
    pub para: Option<u32>,
}

/// Scans the text runs of one regulation, in document order. Terms are linked at their first
/// occurrence in each clause only, so the scanner remembers what it has seen.
pub struct Scanner<'a> {
    index: &'a Index,
    lib: &'a Library,
    reg: &'a Regulation,
    /// The clauses of `reg` by anchor.
    clauses: Cow<'a, Clauses>,
    seen_terms: HashSet<(Option<usize>, usize)>,
}

impl<'a> Scanner<'a> {
    pub fn new(index: &'a Index, lib: &'a Library, reg: &'a Regulation) -> Scanner<'a> {
        Scanner {
            index,
            lib,
            reg,
            clauses: index.clauses_of(lib, reg),
            seen_terms: HashSet::new(),
        }
    }

    /// Find the references in `text`, non-overlapping, in order.
    pub fn scan(&mut self, text: &str, place: Place) -> Vec<Found> {
        let mut found: Vec<Found> = Vec::new();
        // Document numbers first: they are found from their 〔, which is rare.
        let mut numbers: Vec<Found> = Vec::new();
        for (bracket, _) in text.match_indices('〔') {
            let start = text[..bracket]
                .char_indices()
                .rev()
                .take_while(|&(_, c)| is_han(c))
                .take(10)
                .last()
                .map_or(bracket, |(i, _)| i);
            if numbers.last().is_some_and(|f| f.range.end > start) {
                continue;
            }
            numbers.extend(doc_number(text, start));
        }
        let mut numbers = numbers.into_iter().peekable();
        let mut i = 0;
        while i < text.len() {
            if let Some(f) = numbers.next_if(|f| f.range.start <= i)
                && f.range.start == i
            {
                i = f.range.end;
                found.push(f);
                continue;
            }
            let rest = &text[i..];
            let c = rest.chars().next().unwrap_or(' ');
            // Every reference starts with one of these characters; skip the rest quickly.
            let f = match c {
                '《' => self.book_title(rest, i),
                '本' | '第' | '前' | '上' => self.in_document(text, i, place),
                _ => None,
            };
            if let Some(f) = f {
                // A document number inside a matched reference is part of it.
                while numbers.next_if(|n| n.range.start < f.range.end).is_some() {}
                i = f.range.end;
                found.push(f);
                continue;
            }
            i += c.len_utf8();
        }
        // Bare titles, aliases and terms, outside what was found above.
        if let Some(ac) = &self.index.bare {
            let mut extra = Vec::new();
            // `found` is in order and without overlaps, and so are the matches: one pass over both
            // (testing every match against every reference found was quadratic on a long line).
            let mut next = 0;
            for m in ac.find_iter(text) {
                while found.get(next).is_some_and(|f| f.range.end <= m.start()) {
                    next += 1;
                }
                if found.get(next).is_some_and(|f| f.range.start < m.end()) {
                    continue;
                }
                match &self.index.bare_targets[m.pattern().as_usize()] {
                    Bare::Regulation(r) => {
                        let target = &self.lib.regulations[*r];
                        if target.id != self.reg.id {
                            extra.push(Found {
                                range: m.range(),
                                result: Ok(Target::Regulation {
                                    id: target.id.clone(),
                                    anchor: None,
                                }),
                            });
                        }
                    }
                    Bare::Term(t) => {
                        let home = self.index.term_home[*t].as_deref();
                        if home != Some(self.reg.id.as_str())
                            && self.seen_terms.insert((place.clause, *t))
                        {
                            extra.push(Found {
                                range: m.range(),
                                result: Ok(Target::Term {
                                    term: self.index.term_names[*t].clone(),
                                }),
                            });
                        }
                    }
                }
            }
            if !extra.is_empty() {
                found.extend(extra);
                found.sort_by_key(|f| f.range.start);
            }
        }
        found
    }

    /// 《…》, optionally followed by 第N条….
    fn book_title(&self, rest: &str, at: usize) -> Option<Found> {
        let inner_start = rest.strip_prefix('《')?;
        // Up to the next 《 or 》: a 《 first means this one is not closed. Looking for the 》 alone
        // went on to the end of the text from every 《 of a long unclosed run (quadratic).
        let close = inner_start.find(['《', '》'])?;
        if !inner_start[close..].starts_with('》') {
            return None;
        }
        let name = &inner_start[..close];
        // No regulation has a title that long: not a reference, and not worth comparing.
        if name.is_empty() || limits::too_long(name) {
            return None;
        }
        let mut end = '《'.len_utf8() + close + '》'.len_utf8();
        let idx = self.index;
        if let Some(&r) = idx.titles.get(&normalise(name)) {
            let reg = &self.lib.regulations[r];
            let mut anchor = None;
            if let Some((art, item, para, used)) = parse_article_ref(&rest[end..]) {
                end += used;
                match idx
                    .clauses_of(self.lib, reg)
                    .article_anchor(art, item, para)
                {
                    Some(a) => anchor = Some(a),
                    None => {
                        return Some(Found {
                            range: at..at + end,
                            result: Err(Problem {
                                message: format!(
                                    "《{}》 has no {}",
                                    reg.title,
                                    &rest['《'.len_utf8() + close + '》'.len_utf8()..end]
                                ),
                                help: format!(
                                    "check the clause number against regulations/{}.html",
                                    reg.id
                                ),
                            }),
                        });
                    }
                }
            }
            return Some(Found {
                range: at..at + end,
                result: Ok(Target::Regulation {
                    id: reg.id.clone(),
                    anchor,
                }),
            });
        }
        if let Some(title) = idx.withheld.get(&normalise(name)) {
            return Some(Found {
                range: at..at + end,
                result: Err(Problem {
                    message: format!("《{name}》 is not published (draft or classified): {title}"),
                    help: "publish that regulation, or remove the reference".into(),
                }),
            });
        }
        if idx.is_form(name) {
            return Some(Found {
                range: at..at + end,
                result: Ok(Target::Form {
                    name: normalise(name),
                }),
            });
        }
        if let Some(suggestion) = idx.looks_internal(self.lib, name) {
            let help = if suggestion.is_empty() {
                "no regulation of the handbook has this title or alias; add `aliases:` to the one meant, or correct the title".to_string()
            } else {
                format!(
                    "did you mean 《{suggestion}》? Otherwise add the name to that regulation's `aliases:`"
                )
            };
            return Some(Found {
                range: at..at + end,
                result: Err(Problem {
                    message: format!("《{name}》 matches no regulation of the handbook"),
                    help,
                }),
            });
        }
        Some(Found {
            range: at..at + end,
            result: Ok(Target::External {
                name: normalise(name),
            }),
        })
    }

    /// 本办法第五条, 第三条第（二）项, 前款, 本条第二款 in the current regulation.
    fn in_document(&self, text: &str, at: usize, place: Place) -> Option<Found> {
        let rest = &text[at..];
        for p in ["前款", "上款"] {
            if rest.starts_with(p) {
                let clause = place.clause?;
                let c = &self.reg.clauses[clause];
                if c.kind != ClauseKind::Article {
                    return None;
                }
                let k = place.para?;
                let end = at + p.len();
                return Some(Found {
                    range: at..end,
                    result: if k > 1 {
                        Ok(Target::Regulation {
                            id: self.reg.id.clone(),
                            anchor: Some(if k == 2 {
                                c.anchor.clone()
                            } else {
                                format!("{}-para{}", c.anchor, k - 1)
                            }),
                        })
                    } else {
                        Err(Problem {
                            message: format!(
                                "{p} in the first paragraph of {} refers to nothing",
                                c.label
                            ),
                            help: "前款 means the previous paragraph of the same article".into(),
                        })
                    },
                });
            }
        }
        let mut r = rest;
        for p in [
            "本实施办法",
            "本办法",
            "本制度",
            "本规定",
            "本细则",
            "本条例",
            "本规则",
            "本准则",
        ] {
            if let Some(x) = r.strip_prefix(p) {
                r = x;
                break;
            }
        }
        if !r.starts_with('第') {
            return None;
        }
        // A clause marker at the very start of a paragraph is the clause itself, not a reference.
        let (art, item, para, used) = parse_article_ref(r)?;
        let end = at + (rest.len() - r.len()) + used;
        let label = &text[at..end];
        Some(Found {
            range: at..end,
            result: match self.clauses.article_anchor(art, item, para) {
                Some(a) => Ok(Target::Regulation {
                    id: self.reg.id.clone(),
                    anchor: Some(a),
                }),
                None => Err(Problem {
                    message: format!("{label}: this regulation has no such clause"),
                    help: format!(
                        "check the number; the clauses of {} are listed in its table of contents",
                        self.reg.title
                    ),
                }),
            },
        })
    }
}

/// 中保委〔2004〕7号-style document numbers.
fn doc_number(text: &str, at: usize) -> Option<Found> {
    let rest = &text[at..];
    let first = rest.chars().next()?;
    if !is_han(first) {
        return None;
    }
    // The issuer is a short run of Han characters right before 〔.
    let issuer_len: usize = rest
        .chars()
        .take_while(|&c| is_han(c))
        .take(10)
        .map(char::len_utf8)
        .sum();
    let after = rest[issuer_len..].strip_prefix('〔')?;
    let year: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
    if year.len() != 4 {
        return None;
    }
    let after = after[year.len()..].strip_prefix('〕')?;
    let num: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
    if num.is_empty() {
        return None;
    }
    let after = after[num.len()..].strip_prefix('号')?;
    // Only start at the beginning of the issuer run (not in its middle).
    if at > 0 && text[..at].chars().next_back().is_some_and(is_han) {
        return None;
    }
    let end = text.len() - after.len();
    Some(Found {
        range: at..end,
        result: Ok(Target::External {
            name: text[at..end].to_string(),
        }),
    })
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

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
        return Some(Err(Problem {
            message: format!(
                "explicit reference `{dest}`: `{id}` is not published (draft or classified)"
            ),
            help: "publish that regulation, or remove the reference".into(),
        }));
    }
    let Some(reg) = reg else {
        let near = near_miss(
            index,
            id,
            lib.regulations.len(),
            lib.regulations.iter().map(|r| r.id.as_str()),
        );
        return Some(Err(Problem {
            message: format!("explicit reference `{dest}`: no regulation has the id `{id}`"),
            help: near.map_or("write `@regulation-id#anchor`".into(), |n| {
                format!("did you mean `@{n}`?")
            }),
        }));
    };
    if let Some(a) = anchor
        && index.clauses_of(lib, reg).get(a).is_none()
        && !a.contains("-para")
    {
        let near = near_miss(
            index,
            a,
            reg.clauses.len(),
            reg.clauses.iter().map(|c| c.anchor.as_str()),
        );
        return Some(Err(Problem {
            message: format!(
                "explicit reference `{dest}`: {} has no clause `{a}`",
                reg.id
            ),
            help: near.map_or("see the anchor scheme in the README".into(), |n| {
                format!("did you mean `#{n}`?")
            }),
        }));
    }
    Some(Ok(Target::Regulation {
        id: reg.id.clone(),
        anchor: anchor.map(str::to_string),
    }))
}

/// The candidate nearest to `query` (at most 3 edits away), for a "did you mean". Gives up when
/// the library's budget for these is spent: a hint must never make a big handbook hang.
fn near_miss<'a>(
    index: &Index,
    query: &str,
    count: usize,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<String> {
    let cost = (count as u64).saturating_mul(query.len() as u64 + 16);
    if query.len() > 200 || !index.spend_hint(cost) {
        return None;
    }
    candidates
        // 3 edits change the length by at most 3 characters, 12 bytes.
        .filter(|c| c.len().abs_diff(query.len()) <= 12)
        .map(|c| (strsim::levenshtein(query, c), c))
        .min()
        .filter(|(d, _)| *d <= 3)
        .map(|(_, c)| c.to_string())
}

/// Each text run of a regulation body as the renderer sees it: (body byte offset, text, place).
/// Marker text at the start of a clause is left out, as the renderer strips it.
pub fn text_runs(reg: &Regulation) -> Vec<(usize, String, Place, Option<String>)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut block = 0usize;
    let mut in_link = 0usize;
    let mut marker_left = 0usize;
    let mut place = Place::default();
    let mut started = false;
    for (event, range) in Parser::new_ext(&reg.body, markdown_options()).into_offset_iter() {
        if depth == 0 {
            if let Some(b) = reg.blocks.get(block) {
                place = Place {
                    clause: b.clause,
                    para: b.para,
                };
                marker_left = b.marker.unwrap_or(0);
            }
            started = true;
        }
        match event {
            Event::Start(tag) => {
                if let Tag::Link { dest_url, .. } = &tag {
                    in_link += 1;
                    out.push((
                        range.start,
                        String::new(),
                        place,
                        Some(dest_url.to_string()),
                    ));
                }
                depth += 1;
            }
            Event::End(end) => {
                if end == TagEnd::Link {
                    in_link = in_link.saturating_sub(1);
                }
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    block += 1;
                }
            }
            Event::Text(t) | Event::Code(t) => {
                let mut t = t.to_string();
                let mut start = range.start;
                if marker_left > 0 {
                    let mut cut = marker_left.min(t.len());
                    while !t.is_char_boundary(cut) {
                        cut += 1;
                    }
                    t = t[cut..].to_string();
                    start += cut;
                    marker_left -= cut;
                }
                if in_link == 0 && !t.is_empty() {
                    out.push((start, t, place, None));
                }
                if depth == 0 {
                    block += 1;
                }
            }
            _ => {
                if depth == 0 && started {
                    block += 1;
                }
            }
        }
    }
    out
}

/// Line of the first occurrence of each needle in `text` (needles that do not occur are left out).
fn needle_lines<'a>(text: &str, needles: &[&'a str]) -> HashMap<&'a str, usize> {
    needles
        .iter()
        .zip(first_lines(text, needles))
        .filter_map(|(n, l)| Some((*n, l?)))
        .collect()
}

/// Errors for a title or alias longer than [`limits::MAX_NAME_CHARS`], at its front-matter line.
fn name_diagnostics(reg: &Regulation) -> Vec<Diagnostic> {
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
            Diagnostic::error(&reg.source.path, line, 1, p.message()).with_help(p.help())
        })
        .collect()
}

/// Scan every regulation and procedure of the library: the references found, and diagnostics for
/// those that do not resolve.
pub fn collect(lib: &Library, index: &Index) -> (Vec<Reference>, Vec<Diagnostic>) {
    use rayon::prelude::*;
    let per_reg: Vec<(Vec<Reference>, Vec<Diagnostic>)> = lib
        .regulations
        .par_iter()
        .map(|reg| {
            let mut refs = Vec::new();
            let mut diags = name_diagnostics(reg);
            let mut scanner = Scanner::new(index, lib, reg);
            let anchor_of = |p: Place| p.clause.map(|c| reg.clauses[c].anchor.clone());
            // Text runs and the references in them come in order: columns are counted on from the
            // previous one, not from the start of the line.
            let mut lines = LineIndex::new(&reg.body);
            for (offset, text, place, link) in text_runs(reg) {
                if let Some(dest) = link {
                    if let Some(res) = explicit(lib, index, reg, &dest) {
                        let (line, column) = lines.line_col(offset);
                        let line = reg.file_line(line);
                        match res {
                            Ok(target) => refs.push(Reference {
                                from: reg.id.clone(),
                                clause: anchor_of(place),
                                origin: Origin::Body,
                                text: dest.clone(),
                                target,
                                path: reg.source.path.clone(),
                                line,
                                column,
                            }),
                            Err(p) => diags.push(
                                Diagnostic::error(&reg.source.path, line, column, p.message)
                                    .with_help(p.help),
                            ),
                        }
                    }
                    continue;
                }
                for f in scanner.scan(&text, place) {
                    let (line, column) = lines.line_col(offset + f.range.start);
                    let line = reg.file_line(line);
                    match f.result {
                        Ok(target) => refs.push(Reference {
                            from: reg.id.clone(),
                            clause: anchor_of(place),
                            origin: Origin::Body,
                            text: text[f.range.clone()].to_string(),
                            target,
                            path: reg.source.path.clone(),
                            line,
                            column,
                        }),
                        Err(p) => diags.push(
                            Diagnostic::error(&reg.source.path, line, column, p.message)
                                .with_help(p.help),
                        ),
                    }
                }
            }
            if let Some(rr) = &reg.risk_register {
                // Front-matter starts on the file's second line, after the opening `---`.
                let file = format!("---\n{}", reg.front_matter);
                let items: Vec<&str> = rr
                    .rows
                    .iter()
                    .flat_map(|row| rr.columns.iter().filter_map(|c| row.get(c)))
                    .flatten()
                    .map(String::as_str)
                    .collect();
                // The line of each item, found once for all of them (when the first is needed):
                // searching the file for every reference found was quadratic in a big register.
                let mut item_lines: Option<HashMap<&str, usize>> = None;
                for row in &rr.rows {
                    for col in &rr.columns {
                        for item in row.get(col).into_iter().flatten() {
                            for f in scanner.scan(item, Place::default()) {
                                let line = *item_lines
                                    .get_or_insert_with(|| needle_lines(&file, &items))
                                    .get(item.as_str())
                                    .unwrap_or(&1);
                                match f.result {
                                    Ok(target) => refs.push(Reference {
                                        from: reg.id.clone(),
                                        clause: None,
                                        origin: Origin::RiskRegister,
                                        text: item[f.range.clone()].to_string(),
                                        target,
                                        path: reg.source.path.clone(),
                                        line,
                                        column: 1,
                                    }),
                                    Err(p) => diags.push(
                                        Diagnostic::error(&reg.source.path, line, 1, p.message)
                                            .with_help(p.help),
                                    ),
                                }
                            }
                        }
                    }
                }
            }
            for p in lib.procedures_of(&reg.id) {
                let texts: Vec<&str> = p
                    .steps
                    .iter()
                    .flat_map(|s| std::iter::once(&s.text).chain(s.note.as_ref()))
                    .map(String::as_str)
                    .collect();
                let mut text_lines: Option<HashMap<&str, usize>> = None;
                for (i, step) in p.steps.iter().enumerate() {
                    for text in std::iter::once(&step.text).chain(step.note.as_ref()) {
                        for f in scanner.scan(text, Place::default()) {
                            let line = *text_lines
                                .get_or_insert_with(|| needle_lines(&p.text, &texts))
                                .get(text.as_str())
                                .unwrap_or(&1);
                            match f.result {
                                Ok(target) => refs.push(Reference {
                                    from: reg.id.clone(),
                                    clause: None,
                                    origin: Origin::Procedure {
                                        id: p.id.clone(),
                                        step: i,
                                    },
                                    text: text[f.range.clone()].to_string(),
                                    target,
                                    path: p.source.path.clone(),
                                    line,
                                    column: 1,
                                }),
                                Err(pr) => diags.push(
                                    Diagnostic::error(&p.source.path, line, 1, pr.message)
                                        .with_help(pr.help),
                                ),
                            }
                        }
                    }
                }
            }
            (refs, diags)
        })
        .collect();
    let mut refs = Vec::new();
    let mut diags = Vec::new();
    for (r, d) in per_reg {
        refs.extend(r);
        diags.extend(d);
    }
    (refs, diags)
}

#[cfg(test)]
#[allow(clippy::type_complexity)] // table-driven tests spell out their rows' types
mod tests {
    use super::*;

    #[test]
    fn article_references() {
        let cases: &[(&str, Option<(u32, Option<u32>, Option<u32>, &str)>)] = &[
            ("第五条规定", Some((5, None, None, "第五条"))),
            (
                "第三条第（二）项处理",
                Some((3, Some(2), None, "第三条第（二）项")),
            ),
            ("第三条（二）项", Some((3, Some(2), None, "第三条（二）项"))),
            (
                "第十二条第二款",
                Some((12, None, Some(2), "第十二条第二款")),
            ),
            (
                "第二条第一款第（三）项",
                Some((2, Some(3), Some(1), "第二条第一款第（三）项")),
            ),
            ("第一责任人", None),
            ("第四季度", None),
            ("第条", None),
        ];
        for (text, want) in cases {
            let got = parse_article_ref(text).map(|(a, i, p, used)| (a, i, p, &text[..used]));
            assert_eq!(got, *want, "{text}");
        }
    }

    #[test]
    fn line_col_never_splits_a_character() {
        // Found by the fuzzer: a run's source offset plus a position in its unescaped text can
        // land inside a character.
        let line_col = |offset| LineIndex::new("一\n二").line_col(offset);
        assert_eq!(line_col(1), (1, 1));
        assert_eq!(line_col(5), (2, 1));
        assert_eq!(line_col(99), (2, 2));
    }

    #[test]
    fn document_numbers() {
        let cases: &[(&str, usize, Option<&str>)] = &[
            (
                "5．中保委〔2004〕7号；",
                "5．".len(),
                Some("中保委〔2004〕7号"),
            ),
            ("白会总字〔2018〕45号", 0, Some("白会总字〔2018〕45号")),
            ("中办发〔15〕15号", 0, None),
            ("中保委〔2004〕号", 0, None),
            ("保委〔2004〕7号", 0, Some("保委〔2004〕7号")),
        ];
        for (text, at, want) in cases {
            let got = doc_number(text, *at).map(|f| &text[f.range]);
            assert_eq!(got, *want, "{text}");
        }
        // Not from the middle of the issuer's name.
        assert_eq!(doc_number("中保委〔2004〕7号", "中".len()), None);
    }

    #[test]
    fn forms_and_documents_by_name() {
        let lib = Library::new(Default::default(), vec![], vec![], vec![], vec![], vec![]);
        let index = Index::new(&lib, &[]);
        for (name, form) in [
            ("印章使用审批单", true),
            ("空编使用函", true),
            ("中国共产党入党志愿书", true),
            ("公务接待清单", true),
            ("党风廉政建设责任清单", false),
            ("中国共产党问责条例", false),
            ("国家公务员法", false),
            ("省委办公厅党风廉政建设责任制度", false),
        ] {
            assert_eq!(index.is_form(name), form, "{name}");
        }
    }
}
