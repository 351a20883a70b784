//! Finds references in the text — 《titles》, 本办法第五条, 第三条第（二）项, 前款, glossary terms,
//! cited laws and forms — resolves them against the [`Library`], and records them in the model.
//!
//! The [`Scanner`] runs once, over the runs of each body's parsed tree (and register cells and
//! procedure steps); what it finds is stored in the model as spans, and outputs only read them.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::addresses;
use super::limits;
use super::lines::{Locator, first_lines};
use super::numerals;
use super::roles::{Detector, Duties, Mention, RoleIndex};
use crate::error::Diagnostic;
use crate::model::{
    Body, ClauseKind, Detection, Duty, DutyKind, DutyPlace, Library, LinkTo, Origin, Piece,
    Reference, Regulation, Role, Run, Span, Target, Withheld,
};

/// A match in a run of text, before it is recorded or rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub result: Result<Target, Problem>,
}

/// Why a reference could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Its kind in the message catalogue ([`crate::messages`]) and the values the text names.
    pub code: &'static str,
    pub args: Vec<(&'static str, String)>,
    /// Advice that depends on the case (a near miss or none).
    pub hint: Option<(&'static str, Vec<(&'static str, String)>)>,
}

impl Problem {
    fn new(code: &'static str, args: Vec<(&'static str, String)>) -> Problem {
        Problem {
            code,
            args,
            hint: None,
        }
    }

    fn with_hint(mut self, name: &'static str, args: Vec<(&'static str, String)>) -> Problem {
        self.hint = Some((name, args));
        self
    }
}

/// 《title》 has no such clause (RB030).
fn no_clause(reg: &Regulation, clause: &str) -> Problem {
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
fn problem(
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
    /// Forms named without 《》 (site.yaml `form_names:`).
    pub bare_forms: super::forms::FormIndex,
    short_name: Option<String>,
    /// Titles and aliases for "did you mean" suggestions.
    near: NearTitles,
    /// Unmatched 《name》 → whether it must be ours (with a suggestion). The same citations recur in
    /// many regulations, and the near-miss search is linear in the number of titles.
    internal_cache: std::sync::Mutex<HashMap<String, Option<String>>>,
    /// Some regulation file failed to load, so a title that matches nothing may be its own.
    pub incomplete: bool,
}

/// Titles and aliases indexed by their character bigrams, for the nearest one to a 《name》 that
/// matches none: only names that share enough bigrams with it are compared (a similarity of 0.6
/// allows few edits, and each edit breaks at most two bigrams), so a suggestion costs what the few
/// near candidates cost, not a comparison with every title of the handbook.
struct NearTitles {
    names: Vec<(Vec<char>, usize)>,
    bigrams: HashMap<(char, char), Vec<u32>>,
    /// Names of each length (for short names, which share too few bigrams to be found by them).
    by_len: HashMap<usize, Vec<u32>>,
}

/// Similarity (normalised Levenshtein) a name needs to be suggested.
const SUGGEST: f64 = 0.6;

impl NearTitles {
    fn new(names: Vec<(String, usize)>) -> NearTitles {
        let names: Vec<(Vec<char>, usize)> = names
            .into_iter()
            .map(|(n, i)| (n.chars().collect(), i))
            .filter(|(n, _): &(Vec<char>, usize)| !n.is_empty() && n.len() <= MAX_NAME)
            .collect();
        let mut bigrams: HashMap<(char, char), Vec<u32>> = HashMap::new();
        let mut by_len: HashMap<usize, Vec<u32>> = HashMap::new();
        for (k, (n, _)) in names.iter().enumerate() {
            let k = k as u32;
            by_len.entry(n.len()).or_default().push(k);
            let mut seen = HashSet::new();
            for w in n.windows(2) {
                if seen.insert((w[0], w[1])) {
                    bigrams.entry((w[0], w[1])).or_default().push(k);
                }
            }
        }
        NearTitles {
            names,
            bigrams,
            by_len,
        }
    }

    /// Most edits a name of length `m` may be from one of length `n` and still be suggested.
    fn max_edits(n: usize, m: usize) -> usize {
        ((1.0 - SUGGEST) * n.max(m) as f64).floor() as usize
    }

    /// The regulation whose title or alias is nearest to `name`, if one is near enough.
    fn nearest(&self, name: &str) -> Option<usize> {
        let q: Vec<char> = name.chars().collect();
        let n = q.len();
        if n == 0 || n > MAX_NAME {
            return None;
        }
        // Shared bigrams per candidate.
        let mut shared: HashMap<u32, usize> = HashMap::new();
        let mut seen = HashSet::new();
        for w in q.windows(2) {
            if seen.insert((w[0], w[1])) {
                for &k in self.bigrams.get(&(w[0], w[1])).into_iter().flatten() {
                    *shared.entry(k).or_default() += 1;
                }
            }
        }
        // Lengths at which a name sharing no bigram could still be near enough (short names).
        let lens = (n * 3 / 5).max(1)..=(n * 5 / 3 + 1);
        let unshared = lens
            .filter(|&m| (n - 1) <= 2 * Self::max_edits(n, m))
            .flat_map(|m| self.by_len.get(&m).into_iter().flatten().copied());
        // Each candidate with the most its shared bigrams allow: an edit breaks at most two, so
        // `n - 1 - shared` missing bigrams mean at least half as many edits.
        // So do their bigrams that are not shared, and the difference in length.
        let bound = |k: u32, s: usize| {
            let m = self.names[k as usize].0.len();
            let edits = (n.saturating_sub(1).saturating_sub(s).div_ceil(2))
                .max(m.saturating_sub(1).saturating_sub(s).div_ceil(2))
                .max(n.abs_diff(m));
            1.0 - edits as f64 / n.max(m) as f64
        };
        let mut candidates: Vec<(f64, u32)> = shared
            .iter()
            .map(|(&k, &s)| (bound(k, s), k))
            .chain(unshared.map(|k| (bound(k, 0), k)))
            .filter(|&(b, _)| b >= SUGGEST)
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        candidates.dedup_by_key(|c| c.1);
        let mut best: Option<(f64, usize, u32)> = None;
        for (b, k) in candidates {
            // The rest cannot beat what was found.
            if best.is_some_and(|(bs, _, _)| b < bs) {
                break;
            }
            let (t, reg) = &self.names[k as usize];
            let (a, m) = (n, t.len());
            if a.min(m) * 5 < a.max(m) * 3 {
                continue;
            }
            let s = 1.0 - strsim::generic_levenshtein(&q, t) as f64 / a.max(m) as f64;
            // Ties go to the first name (in handbook order), whatever order the map gave.
            if s >= SUGGEST && best.is_none_or(|(bs, _, bk)| s > bs || (s == bs && k < bk)) {
                best = Some((s, *reg, k));
            }
        }
        best.map(|(_, reg, _)| reg)
    }
}

/// Longest title or alias compared for suggestions (characters).
const MAX_NAME: usize = 500;

/// Titles are matched without white space (the loader checks them for duplicates the same way).
fn normalise(s: &str) -> String {
    crate::model::title_key(s)
}

/// What joins the articles of one citation: 第五条、第七条, 第五条和第七条, 第五条至第七条.
const LIST_JOINERS: &[&str] = &["、", "和", "及", "或", "与", "以及", "至"];

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
            bare_forms: super::forms::FormIndex::new(&lib.config.form_names),
            short_name: short,
            near: NearTitles::new(near),
            internal_cache: Default::default(),
            incomplete: false,
        }
    }

    /// The regulation a 《name》 denotes, if any.
    pub fn regulation_by_title(&self, name: &str) -> Option<usize> {
        self.titles.get(&normalise(name)).copied()
    }

    fn suggestion(&self, lib: &Library, name: &str) -> Option<String> {
        self.near
            .nearest(&normalise(name))
            .map(|i| lib.regulations[i].title.clone())
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
/// 第五条 means its 五、.
pub fn article_anchor(
    reg: &Regulation,
    article: u32,
    item: Option<u32>,
    para: Option<u32>,
) -> Option<String> {
    let has_articles = reg.clauses.iter().any(|c| c.kind == ClauseKind::Article);
    let base = if has_articles {
        format!("art{article}")
    } else {
        format!("sec{article}")
    };
    reg.clause(&base)?;
    let mut anchor = base;
    if let Some(m) = item {
        anchor = format!("{anchor}-item{m}");
        reg.clause(&anchor)?;
    }
    if let Some(k) = para
        && k > 1
    {
        if !has_para(reg, &anchor, k) {
            return None;
        }
        anchor = format!("{anchor}-para{k}");
    }
    Some(anchor)
}

fn has_para(reg: &Regulation, anchor: &str, k: u32) -> bool {
    reg.clause(anchor).is_some_and(|c| k <= c.paras)
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
    seen_terms: HashSet<(Option<usize>, usize)>,
}

impl<'a> Scanner<'a> {
    pub fn new(index: &'a Index, lib: &'a Library, reg: &'a Regulation) -> Scanner<'a> {
        Scanner {
            index,
            lib,
            reg,
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
        // Text quoted after 修改为 / 增加 / 规定为 / 表述为 is another law's new wording: its 本法第十条
        // is that law's, never the current document's.
        let quoted = quoted_amendments(text);
        let in_quote = |at: usize| quoted.iter().any(|q| q.contains(&at));
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
                '第' => match self.listed_article(text, i, found.last()) {
                    Some(f) => Some(f),
                    None => {
                        let from = found.last().map_or(0, |f| f.range.end);
                        match self.named_article(text, from, i) {
                            Named::Found(f) => Some(f),
                            // Another law's article (刑法第十条): plain text, nobody's error.
                            Named::Elsewhere(end) => {
                                i = end;
                                continue;
                            }
                            Named::No if in_quote(i) => None,
                            Named::No => self.in_document(text, i, place),
                        }
                    }
                },
                '本' | '前' | '上' if !in_quote(i) => self.in_document(text, i, place),
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
                match article_anchor(reg, art, item, para) {
                    Some(a) => anchor = Some(a),
                    None => {
                        return Some(Found {
                            range: at..at + end,
                            result: Err(no_clause(
                                reg,
                                &rest['《'.len_utf8() + close + '》'.len_utf8()..end],
                            )),
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
        // A 第N条 right after a document that is not in the handbook is that document's article,
        // never one of the current regulation: it belongs to the citation.
        let mut article = None;
        if let Some((.., used)) = parse_article_ref(&rest[end..]) {
            article = Some(rest[end..end + used].to_string());
            end += used;
        }
        if let Some(title) = idx.withheld.get(&normalise(name)) {
            return Some(Found {
                range: at..at + end,
                result: Err(Problem::new(
                    "RB031",
                    vec![("name", name.to_string()), ("title", title.to_string())],
                )),
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
            if idx.incomplete {
                // A regulation failed to load (its error is reported): this may well be its title,
                // so no second error; the reference is checked once that file loads.
                return None;
            }
            let problem = Problem::new("RB032", vec![("name", name.to_string())]);
            let problem = if suggestion.is_empty() {
                problem.with_hint("title-none", Vec::new())
            } else {
                problem.with_hint("title-did-you-mean", vec![("near", suggestion.to_string())])
            };
            return Some(Found {
                range: at..at + end,
                result: Err(problem),
            });
        }
        Some(Found {
            range: at..at + end,
            result: Ok(Target::External {
                name: normalise(name),
                article,
            }),
        })
    }

    /// A 第N条 in a list right after a cited document's article — 《…》第五条、第七条和第九条 — is
    /// that document's, not the current regulation's.
    fn listed_article(&self, text: &str, at: usize, previous: Option<&Found>) -> Option<Found> {
        let previous = previous?;
        let between = text.get(previous.range.end..at)?;
        if !LIST_JOINERS.contains(&between) {
            return None;
        }
        // Only after a citation that named an article itself.
        let cited = &text[previous.range.clone()];
        if !cited.ends_with(['条', '项', '款']) {
            return None;
        }
        let (art, item, para, used) = parse_article_ref(&text[at..])?;
        let range = at..at + used;
        let result = match previous.result.as_ref().ok()? {
            Target::Regulation { id, .. } => {
                let reg = self.lib.regulation(id)?;
                match article_anchor(reg, art, item, para) {
                    Some(a) => Ok(Target::Regulation {
                        id: id.clone(),
                        anchor: Some(a),
                    }),
                    None => Err(no_clause(reg, &text[range.clone()])),
                }
            }
            Target::External { name, .. } => Ok(Target::External {
                name: name.clone(),
                article: Some(text[range.clone()].to_string()),
            }),
            _ => return None,
        };
        Some(Found { range, result })
    }

    /// A 第N条 right after a short name in running text (刑法第十条, 违反测试甲法第二条), the name being
    /// the Han characters between `from` (the end of the last reference) and `at`: a title or alias
    /// of the handbook's → that regulation's article (the name in the link); a name ending like a
    /// law's (法, 条例), or 作为 (增加一条，作为第五条) → another law's article, left as text; else not
    /// a named article.
    fn named_article(&self, text: &str, from: usize, at: usize) -> Named {
        let Some((art, item, para, used)) = parse_article_ref(&text[at..]) else {
            return Named::No;
        };
        let end = at + used;
        let before = &text[from..at];
        let starts: Vec<usize> = before
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_han(c))
            .take(MAX_SHORT_NAME)
            .map(|(i, _)| from + i)
            .collect();
        // The longest name first: 测试甲法 before 甲法.
        for &start in starts.iter().rev() {
            let name = &text[start..at];
            if name.chars().count() < 2 || name.starts_with('本') {
                continue;
            }
            if let Some(&r) = self.index.titles.get(&normalise(name)) {
                let reg = &self.lib.regulations[r];
                if reg.id == self.reg.id {
                    continue;
                }
                let result = match article_anchor(reg, art, item, para) {
                    Some(a) => Ok(Target::Regulation {
                        id: reg.id.clone(),
                        anchor: Some(a),
                    }),
                    None => Err(no_clause(reg, &text[at..end])),
                };
                return Named::Found(Found {
                    range: start..end,
                    result,
                });
            }
        }
        let own = ["本法", "本条例", "本法典"]
            .iter()
            .any(|p| before.ends_with(p));
        if !own && ["法", "法典", "条例"].iter().any(|s| before.ends_with(s)) {
            return Named::Elsewhere(end);
        }
        // 增加一条，作为第五条: the place of a new article in the law amended, which does not have it
        // yet.
        if before.ends_with("作为") {
            return Named::Elsewhere(end);
        }
        Named::No
    }

    /// 本办法第五条, 第三条第（二）项, 前款, 前两款, 本款, 本条第二款 in the current regulation.
    fn in_document(&self, text: &str, at: usize, place: Place) -> Option<Found> {
        let rest = &text[at..];
        // 本款: the paragraph the text stands in; 前两款 (前N款): the N paragraphs before it, linked
        // at the first of them.
        let back = if rest.starts_with("本款") {
            Some((0, "本款".len()))
        } else if let Some(r) = rest.strip_prefix('前') {
            let (num, after) = take_num(r);
            match (after.strip_prefix('款'), numerals::parse(num)) {
                (Some(a), Some(n)) if !num.is_empty() && n >= 2 => Some((n, rest.len() - a.len())),
                _ => None,
            }
        } else {
            None
        };
        if let Some((n, len)) = back {
            let c = &self.reg.clauses[place.clause?];
            if c.kind != ClauseKind::Article {
                return None;
            }
            let k = place.para?;
            let end = at + len;
            return Some(Found {
                range: at..end,
                result: if k > n {
                    Ok(Target::Regulation {
                        id: self.reg.id.clone(),
                        anchor: Some(if k - n == 1 {
                            c.anchor.clone()
                        } else {
                            format!("{}-para{}", c.anchor, k - n)
                        }),
                    })
                } else {
                    Err(Problem::new(
                        "RB033",
                        vec![
                            ("text", text[at..end].to_string()),
                            ("k", k.to_string()),
                            ("label", c.label.clone()),
                        ],
                    ))
                },
            });
        }
        // 本条第二款: a paragraph of the article the text stands in.
        if let Some(r) = rest.strip_prefix("本条第") {
            let c = &self.reg.clauses[place.clause?];
            if c.kind != ClauseKind::Article {
                return None;
            }
            let (num, after) = take_num(r);
            let after = after.strip_prefix('款')?;
            let k = numerals::parse(num)?;
            let end = text.len() - after.len();
            return Some(Found {
                range: at..end,
                result: if k >= 1 && k <= c.paras {
                    Ok(Target::Regulation {
                        id: self.reg.id.clone(),
                        anchor: Some(if k == 1 {
                            c.anchor.clone()
                        } else {
                            format!("{}-para{k}", c.anchor)
                        }),
                    })
                } else {
                    Err(Problem::new(
                        "RB034",
                        vec![
                            ("text", text[at..end].to_string()),
                            ("label", c.label.clone()),
                        ],
                    ))
                },
            });
        }
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
                        Err(Problem::new(
                            "RB035",
                            vec![("text", p.to_string()), ("label", c.label.clone())],
                        ))
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
            "本决定",
            "本法",
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
            result: match article_anchor(self.reg, art, item, para) {
                Some(a) => Ok(Target::Regulation {
                    id: self.reg.id.clone(),
                    anchor: Some(a),
                }),
                None => Err(Problem::new(
                    "RB036",
                    vec![
                        ("label", label.to_string()),
                        ("title", self.reg.title.clone()),
                    ],
                )),
            },
        })
    }
}

/// The longest short name looked for before a 第N条 (中华人民共和国测试甲法 is 11 characters).
const MAX_SHORT_NAME: usize = 24;

/// What stands before a 第N条: a name of the handbook's, another law's name, or neither.
enum Named {
    Found(Found),
    /// Another law's article, ending here: plain text.
    Elsewhere(usize),
    No,
}

/// Verbs after which an amendment quotes the new wording of another law.
const AMENDING: &[&str] = &["修改为", "增加", "规定为", "表述为", "改为"];

/// The byte ranges of text quoted in “…” after an amending verb in the same sentence (将刑法第十条
/// 修改为：“…”): to the matching ” or, when the quotation goes on into the next paragraph, to the
/// end of the text.
fn quoted_amendments(text: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (open, _) in text.match_indices('“') {
        if out.last().is_some_and(|q| q.end > open) {
            continue;
        }
        let sentence_start = text[..open].rfind(['。', '；', '”']).map_or(0, |i| {
            i + text[i..].chars().next().map_or(0, char::len_utf8)
        });
        if !AMENDING
            .iter()
            .any(|v| text[sentence_start..open].contains(v))
        {
            continue;
        }
        let mut depth = 0usize;
        let mut end = text.len();
        for (i, c) in text[open..].char_indices() {
            match c {
                '“' => depth += 1,
                '”' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push(open..end);
    }
    out
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
            article: None,
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

/// What scanning one regulation gave: its tree with spans and decided links, its register cells and
/// procedure steps as runs, the references and the diagnostics.
struct Scanned {
    doc: Body,
    cells: Vec<Vec<Vec<Run>>>,
    /// (procedure index, step index, runs of text and note)
    steps: Vec<(usize, usize, Vec<Run>)>,
    refs: Vec<Reference>,
    duties: Vec<Duty>,
    diags: Vec<Diagnostic>,
}

impl Scanned {
    /// Put the linked tree, register cells and procedure steps into the library.
    fn doc_into(self, lib: &mut Library, r: usize) {
        let reg = &mut lib.regulations[r];
        reg.doc = self.doc;
        reg.register_cells = self.cells;
        for (pi, si, runs) in self.steps {
            lib.procedures[pi].steps[si].runs = runs;
        }
    }
}

/// Link the mentions `link` picked (the first of each role in its place) where no reference
/// stands already; spans stay in order.
fn role_spans(run: &mut Run, mentions: &[Mention], link: &[usize], roles: &[Role]) {
    let before = run.spans.len();
    for &k in link {
        let m = &mentions[k];
        if run
            .spans
            .iter()
            .any(|s| s.range.start < m.range.end && m.range.start < s.range.end)
        {
            continue;
        }
        run.spans.push(Span {
            range: m.range.clone(),
            target: Some(Target::Role {
                id: roles[m.role].id.clone(),
            }),
        });
    }
    if run.spans.len() > before {
        run.spans.sort_by_key(|s| s.range.start);
    }
}

/// Document order of the places of duties: the preamble, the clauses, the register, the steps.
fn place_order(p: &DutyPlace) -> (u8, usize, usize) {
    match *p {
        DutyPlace::Preamble => (0, 0, 0),
        DutyPlace::Clause { clause } => (1, clause, 0),
        DutyPlace::Register { row } => (2, row, 0),
        DutyPlace::Step { procedure, step } => (3, procedure, step),
    }
}

/// Scans one regulation's tree, register and procedures in document order (one scanner, so terms
/// are linked at their first occurrence whichever output shows them).
fn scan_regulation(
    lib: &Library,
    index: &Index,
    role_index: &RoleIndex,
    r: usize,
    mut doc: Body,
) -> Scanned {
    let reg = &lib.regulations[r];
    let mut out = Scanned {
        doc: Body::default(),
        cells: Vec::new(),
        steps: Vec::new(),
        refs: Vec::new(),
        duties: Vec::new(),
        diags: Vec::new(),
    };
    let mut scanner = Scanner::new(index, lib, reg);
    // Roles are found in the same runs, in the same walk.
    let (words, suppressed, assigned, role_diags) = super::roles::overrides(reg, &lib.roles);
    out.diags.extend(role_diags);
    let detector = Detector::new(role_index, words);
    let mut duties = Duties::new(r, &lib.roles, suppressed);
    let locator = Locator::new(&reg.body);
    let lines = locator.index();
    let at = |offset: usize| {
        let (line, column) = locator.line_col(offset);
        (reg.file_line(line), column)
    };
    for block in &mut doc.blocks {
        out.diags.extend(addresses::check_raw_html(
            block,
            &reg.body,
            lines,
            lib.config.raw_html,
            |l| reg.file_line(l),
            &reg.source.path,
        ));
        let place = Place {
            clause: block.clause,
            para: block.para,
        };
        let anchor = block.clause.map(|c| reg.clauses[c].anchor.clone());
        for piece in &mut block.pieces {
            match piece {
                Piece::Text(run) => {
                    for f in scanner.scan(&run.text, place) {
                        let (line, column) = at(run.offset + f.range.start);
                        let target = match f.result {
                            Ok(target) => {
                                out.refs.push(Reference {
                                    from: reg.id.clone(),
                                    clause: anchor.clone(),
                                    origin: Origin::Body,
                                    text: run.text[f.range.clone()].to_string(),
                                    target: target.clone(),
                                    path: reg.source.path.clone(),
                                    line,
                                    column,
                                });
                                Some(target)
                            }
                            Err(p) => {
                                out.diags
                                    .push(problem(&reg.source.path, line, column, p, false));
                                None
                            }
                        };
                        run.spans.push(Span {
                            range: f.range,
                            target,
                        });
                    }
                    let taken: Vec<Range<usize>> =
                        run.spans.iter().map(|s| s.range.clone()).collect();
                    for (range, name) in index.bare_forms.scan(&run.text, &taken) {
                        let (line, column) = at(run.offset + range.start);
                        let target = Target::Form { name };
                        out.refs.push(Reference {
                            from: reg.id.clone(),
                            clause: anchor.clone(),
                            origin: Origin::Body,
                            text: run.text[range.clone()].to_string(),
                            target: target.clone(),
                            path: reg.source.path.clone(),
                            line,
                            column,
                        });
                        run.spans.push(Span {
                            range,
                            target: Some(target),
                        });
                    }
                    run.spans.sort_by_key(|s| s.range.start);
                    let mentions = detector.scan(&run.text);
                    if !mentions.is_empty() {
                        let duty_place = match block.clause {
                            Some(clause) => DutyPlace::Clause { clause },
                            None => DutyPlace::Preamble,
                        };
                        let offset = run.offset;
                        let link =
                            duties.record(&run.text, &mentions, duty_place, |b| at(offset + b).0);
                        role_spans(run, &mentions, &link, &lib.roles);
                    }
                }
                Piece::Link {
                    to, offset, image, ..
                } => {
                    let LinkTo::Url(dest) = to else { continue };
                    let (line, column) = at(*offset);
                    let Some(res) = explicit(lib, index, reg, dest) else {
                        // Not a reference: an address, which the URL policy may refuse.
                        out.diags.extend(addresses::check_link(
                            to,
                            *image,
                            &reg.source.path,
                            (line, column),
                        ));
                        continue;
                    };
                    *to = match res {
                        Ok(target) => {
                            out.refs.push(Reference {
                                from: reg.id.clone(),
                                clause: anchor.clone(),
                                origin: Origin::Body,
                                text: dest.clone(),
                                target: target.clone(),
                                path: reg.source.path.clone(),
                                line,
                                column,
                            });
                            LinkTo::Target(target)
                        }
                        Err(p) => {
                            out.diags
                                .push(problem(&reg.source.path, line, column, p, true));
                            LinkTo::Unresolved
                        }
                    };
                }
                Piece::Event(_) => {}
            }
        }
    }
    out.doc = doc;

    // Short texts outside the body (register cells, procedure steps) are located by the line of the
    // source file that holds them.
    let mut scan_short =
        |text: &str, path: &std::path::Path, line: usize, origin: &Origin, out: &mut Scanned| {
            let mut run = Run::new(text, 0);
            for f in scanner.scan(text, Place::default()) {
                let target = match f.result {
                    Ok(target) => {
                        out.refs.push(Reference {
                            from: reg.id.clone(),
                            clause: None,
                            origin: origin.clone(),
                            text: text[f.range.clone()].to_string(),
                            target: target.clone(),
                            path: path.to_path_buf(),
                            line,
                            column: 1,
                        });
                        Some(target)
                    }
                    Err(p) => {
                        out.diags.push(problem(path, line, 1, p, false));
                        None
                    }
                };
                run.spans.push(Span {
                    range: f.range,
                    target,
                });
            }
            let taken: Vec<Range<usize>> = run.spans.iter().map(|s| s.range.clone()).collect();
            for (range, name) in index.bare_forms.scan(text, &taken) {
                let target = Target::Form { name };
                out.refs.push(Reference {
                    from: reg.id.clone(),
                    clause: None,
                    origin: origin.clone(),
                    text: text[range.clone()].to_string(),
                    target: target.clone(),
                    path: path.to_path_buf(),
                    line,
                    column: 1,
                });
                run.spans.push(Span {
                    range,
                    target: Some(target),
                });
            }
            run.spans.sort_by_key(|s| s.range.start);
            run
        };
    if let Some(rr) = &reg.risk_register {
        // Front-matter starts on the file's second line, after the opening `---`. The lines of all
        // cells in one pass (a search per cell was quadratic in a big register).
        let items: Vec<&str> = rr
            .rows
            .iter()
            .flat_map(|row| {
                rr.columns
                    .iter()
                    .flat_map(|col| row.get(col).into_iter().flatten().map(String::as_str))
            })
            .collect();
        let mut lines = first_lines(&reg.front_matter, &items)
            .into_iter()
            .map(|l| l.map_or(1, |l| l + 1));
        for (ri, row) in rr.rows.iter().enumerate() {
            let mut cells = Vec::with_capacity(rr.columns.len());
            for col in &rr.columns {
                let items = row.get(col).map(Vec::as_slice).unwrap_or_default();
                let runs = items
                    .iter()
                    .map(|item| {
                        let line = lines.next().unwrap_or(1);
                        let mut run = scan_short(
                            item,
                            &reg.source.path,
                            line,
                            &Origin::RiskRegister,
                            &mut out,
                        );
                        let mentions = detector.scan(item);
                        let link =
                            duties
                                .record(item, &mentions, DutyPlace::Register { row: ri }, |_| line);
                        role_spans(&mut run, &mentions, &link, &lib.roles);
                        run
                    })
                    .collect();
                cells.push(runs);
            }
            out.cells.push(cells);
        }
    }
    for (pi, p) in lib.procedures_of_indexed(&reg.id) {
        let texts: Vec<&str> = p
            .steps
            .iter()
            .flat_map(|s| std::iter::once(s.text.as_str()).chain(s.note.as_deref()))
            .collect();
        let mut lines = first_lines(&p.text, &texts)
            .into_iter()
            .map(|l| l.unwrap_or(1));
        for (si, step) in p.steps.iter().enumerate() {
            let origin = Origin::Procedure {
                id: p.id.clone(),
                step: si,
            };
            let place = DutyPlace::Step {
                procedure: pi,
                step: si,
            };
            let mut first_line = None;
            let runs = std::iter::once(&step.text)
                .chain(step.note.as_ref())
                .map(|text| {
                    let line = lines.next().unwrap_or(1);
                    first_line.get_or_insert(line);
                    let mut run = scan_short(text, &p.source.path, line, &origin, &mut out);
                    let mentions = detector.scan(text);
                    let link = duties.record(text, &mentions, place, |_| line);
                    role_spans(&mut run, &mentions, &link, &lib.roles);
                    run
                })
                .collect();
            out.steps.push((pi, si, runs));
            // The step's `role:` is who performs it, named or not in its text.
            if let Some(role) = step.role.as_deref().and_then(|n| duties.role(n)) {
                duties.declare(
                    role,
                    place,
                    DutyKind::Performs,
                    &step.text,
                    Detection::StepRole,
                    first_line.unwrap_or(1),
                );
            }
        }
    }
    // What the editor assigns in the front-matter, where the text does not name the role.
    for (clause, role, line) in assigned {
        let (place, text) = match clause {
            Some(c) => (
                DutyPlace::Clause { clause: c },
                out.doc_clause_text(c, &reg.clauses[c].text),
            ),
            None => (DutyPlace::Preamble, String::new()),
        };
        duties.declare(
            role,
            place,
            DutyKind::Unclassified,
            &text,
            Detection::Assigned,
            line,
        );
    }
    duties.inherit(&reg.clauses, |l| reg.file_line(l));
    let mut list = duties.duties;
    list.sort_by_key(|d| place_order(&d.place));
    out.duties = list;
    out
}

impl Scanned {
    /// The first sentence of a clause's own text, for the excerpt of an assigned duty.
    fn doc_clause_text(&self, clause: usize, fallback: &str) -> String {
        let text = self.doc.clause_text(clause);
        let text = if text.is_empty() { fallback } else { &text };
        let end = text.find(['。', '\n']).map_or(text.len(), |i| {
            i + text[i..]
                .chars()
                .next()
                .map_or(0, |c| if c == '。' { c.len_utf8() } else { 0 })
        });
        text[..end].to_string()
    }
}

/// Scan every regulation body, risk register and procedure of the library for references: the
/// spans are stored in the model's trees and runs, the references in [`Library::references`]; the
/// diagnostics for those that do not resolve are returned.
pub fn link(lib: &mut Library, index: &Index, roles: &RoleIndex) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let docs: Vec<Body> = lib
        .regulations
        .iter_mut()
        .map(|r| std::mem::take(&mut r.doc))
        .collect();
    let scanned: Vec<Scanned> = {
        let lib: &Library = lib;
        docs.into_par_iter()
            .enumerate()
            .map(|(r, doc)| scan_regulation(lib, index, roles, r, doc))
            .collect()
    };
    let mut refs = Vec::new();
    let mut duties = Vec::new();
    let mut diags = Vec::new();
    for (r, mut s) in scanned.into_iter().enumerate() {
        duties.append(&mut s.duties);
        refs.append(&mut s.refs);
        diags.append(&mut s.diags);
        s.doc_into(lib, r);
    }
    lib.set_references(refs);
    lib.set_duties(duties);
    diags
}

/// [`link`] for one regulation of a linked library (its body parsed again into `doc`): its
/// references and duties replace the ones it had, in their place.
pub fn relink(lib: &mut Library, index: &Index, roles: &RoleIndex, r: usize) -> Vec<Diagnostic> {
    let doc = std::mem::take(&mut lib.regulations[r].doc);
    let mut s = scan_regulation(lib, index, roles, r, doc);
    // References are kept in regulation order: this one's go where its old ones were, after
    // those of the regulations before it.
    let mut refs = std::mem::take(&mut lib.references);
    let before = |x: &Reference, end: usize| lib.position(&x.from).is_some_and(|p| p < end);
    let start = refs.partition_point(|x| before(x, r));
    let end = refs.partition_point(|x| before(x, r + 1));
    debug_assert!(
        refs[start..end]
            .iter()
            .all(|x| x.from == lib.regulations[r].id)
    );
    refs.splice(start..end, std::mem::take(&mut s.refs));
    lib.set_references(refs);
    let mut duties = lib.take_duties();
    duties.retain(|d| d.regulation != r);
    duties.append(&mut s.duties);
    lib.set_duties(duties);
    let diags = std::mem::take(&mut s.diags);
    s.doc_into(lib, r);
    diags
}

#[cfg(test)]
#[allow(clippy::type_complexity)] // table-driven tests spell out their rows' types
mod tests {
    use super::*;

    #[test]
    fn near_titles_find_the_nearest_without_comparing_all() {
        let titles = [
            "市委保密办财务管理制度",
            "市委保密办公务接待制度",
            "市委保密办印章使用管理制度",
            "财务制度",
            "会议制度",
        ];
        let near = NearTitles::new(
            titles
                .iter()
                .enumerate()
                .map(|(i, t)| (t.to_string(), i))
                .collect(),
        );
        // (name, nearest title)
        let cases: &[(&str, Option<&str>)] = &[
            ("市委保密办财务管理治度", Some("市委保密办财务管理制度")),
            ("市甲保密办财务管理制度", Some("市委保密办财务管理制度")),
            ("市委保密办公务接待办法", Some("市委保密办公务接待制度")),
            ("印章使用管理制度", Some("市委保密办印章使用管理制度")),
            ("财务治度", Some("财务制度")),
            ("会义制度", Some("会议制度")),
            ("中华人民共和国刑法", None),
            ("", None),
        ];
        for (name, want) in cases {
            let got = near.nearest(name).map(|i| titles[i]);
            assert_eq!(got, *want, "{name}");
        }
        // The same as comparing with every title.
        for name in [
            "市委保密办财务",
            "保密办印章管理制度",
            "财务管理",
            "公务接待制度",
        ] {
            let q: Vec<char> = name.chars().collect();
            let brute = titles
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let t: Vec<char> = t.chars().collect();
                    let s = 1.0
                        - strsim::generic_levenshtein(&q, &t) as f64 / q.len().max(t.len()) as f64;
                    (s, i)
                })
                .filter(|(s, _)| *s >= SUGGEST)
                .fold(None, |best: Option<(f64, usize)>, (s, i)| match best {
                    Some((bs, _)) if bs >= s => best,
                    _ => Some((s, i)),
                })
                .map(|(_, i)| i);
            assert_eq!(near.nearest(name), brute, "{name}");
        }
    }

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
    fn quoted_amendments_are_found_after_an_amending_verb_only() {
        let quoted = |t: &str| -> Vec<String> {
            quoted_amendments(t)
                .into_iter()
                .map(|r| t[r].to_string())
                .collect()
        };
        assert_eq!(
            quoted("将刑法第十条修改为：“违反本法第五条的，处罚。”第二款不变。"),
            ["“违反本法第五条的，处罚。"]
        );
        // Nested quotation marks; a quotation going on into the next paragraph runs to the end.
        assert_eq!(
            quoted("增加一条：“称“单位”，见本法第二条。”"),
            ["“称“单位”，见本法第二条。"]
        );
        assert_eq!(quoted("表述为：“本法第三条"), ["“本法第三条"]);
        // Quotation marks elsewhere are text like any other; so is one after another sentence's verb.
        assert!(quoted("本制度所称“一把手”，见本办法第一条。").is_empty());
        assert!(quoted("修改为下列文字。所称“一把手”，见第一条。").is_empty());
    }

    #[test]
    fn line_col_never_splits_a_character() {
        // Found by the fuzzer: a run's source offset plus a position in its unescaped text can
        // land inside a character.
        let lc = |offset| super::super::lines::LineIndex::new("一\n二").line_col("一\n二", offset);
        assert_eq!(lc(1), (1, 1));
        assert_eq!(lc(5), (2, 1));
        assert_eq!(lc(99), (2, 2));
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
