//! The query engine over the index files: the algorithm `search.js` runs in the browser, step for
//! step, so that tests and the benchmark can ask the index what a reader would see.
//!
//! 1. The query is cut at whitespace into terms, each folded ([`super::fold`]); a term that is a
//!    role's or a glossary term's name also matches its other names (一把手 ↔ 主要领导).
//! 2. Candidates: documents holding every key (bigram) of some variant of every term, taken from the
//!    postings (a single character's postings name regulations: every document of those is a
//!    candidate); title-field documents (titles, glossary terms) first, then the body, each in
//!    document order, which puts 现行 before 试行 before 废止.
//! 3. Each candidate is checked by exact substring match of the folded text (公务…财务卡 is no hit
//!    for 公务卡), loading the text of its regulation, until `want` hits are found.
//! 4. The hits are ranked: every hit of a 废止 regulation after all others; then title, then glossary term by name, then heading matches; the query as
//!    typed before synonyms; in a regulation whose title holds the words' characters; the whole
//!    phrase; status (现行, 试行, 草案, 废止); clauses before procedure steps before register rows;
//!    then denser and shorter.

use std::cell::RefCell;
use std::collections::HashMap;

use serde_json::Value;

use super::fold::normalise;
use super::format::{self, KIND_CLAUSE, KIND_ROW, KIND_STEP, KIND_TERM, KIND_TITLE, TITLE};

/// Regulations per window of candidates: a query stops after the window in which it has found
/// enough, so a frequent word does not load all of a large index.
pub const WINDOW_REGS: u64 = 256;
/// Hits collected (and ranked) for the results shown while typing.
pub const WANT_TYPING: usize = 20;
/// Hits collected for the results page.
pub const WANT_PAGE: usize = 200;

/// What to look for beyond the words: filters of the results page.
#[derive(Debug, Clone)]
pub struct Options {
    pub want: usize,
    /// Category indices (of `meta.categories`) to keep; empty keeps all.
    pub categories: Vec<u64>,
    /// Status ranks (0 现行, 1 试行, 2 草案, 3 废止) to keep; empty keeps all.
    pub statuses: Vec<u64>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            want: WANT_TYPING,
            categories: Vec::new(),
            statuses: Vec::new(),
        }
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub doc: u64,
    /// Page of the result relative to the site root, with `#anchor` when it has one.
    pub href: String,
    pub title: String,
    pub label: String,
    pub kind: u64,
    pub status: u64,
    pub score: i64,
}

struct Term {
    /// Folded; the first is the term as typed.
    variants: Vec<String>,
}

/// An index to query, reading its files through `load` (`search/NAME.js` → bytes).
pub struct Engine<F: Fn(&str) -> Option<Vec<u8>>> {
    load: F,
    files: RefCell<HashMap<String, Option<Value>>>,
    /// Bytes of the files loaded so far (what a browser would download for the queries run).
    pub loaded: RefCell<u64>,
}

fn postings_count(v: &Value) -> u64 {
    match v {
        Value::String(s) => format::count_postings(s),
        _ => v["n"].as_u64().unwrap_or(0),
    }
}

fn intersect(a: &[u64], b: &[u64]) -> Vec<u64> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

fn union(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut out: Vec<u64> = a.iter().chain(b).copied().collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether a document is looked up by its title-field keys (regulation titles, glossary terms).
fn in_title_field(d: &Value) -> bool {
    matches!(d[4].as_u64(), Some(KIND_TITLE | KIND_TERM))
}

/// A document's heading: written out, or as the number of characters of the text it is the start of.
pub fn heading_of(d: &Value) -> String {
    match &d[2] {
        Value::Number(n) => d[3]
            .as_str()
            .unwrap_or("")
            .chars()
            .take(n.as_u64().unwrap_or(0) as usize)
            .collect(),
        v => v.as_str().unwrap_or("").to_string(),
    }
}

/// Length in UTF-16 code units, as the browser counts.
fn units(s: &str) -> i64 {
    s.encode_utf16().count() as i64
}

fn occurrences(hay: &str, needle: &str) -> i64 {
    hay.matches(needle).count() as i64
}

impl<F: Fn(&str) -> Option<Vec<u8>>> Engine<F> {
    pub fn new(load: F) -> Engine<F> {
        Engine {
            load,
            files: RefCell::default(),
            loaded: RefCell::new(0),
        }
    }

    fn file(&self, name: &str) -> Option<Value> {
        if let Some(v) = self.files.borrow().get(name) {
            return v.clone();
        }
        let bytes = (self.load)(&format!("{}/{name}.js", format::DIR));
        *self.loaded.borrow_mut() += bytes.as_ref().map_or(0, |b| b.len() as u64);
        let v = bytes
            .and_then(|b| format::parse_script(&b))
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v);
        self.files.borrow_mut().insert(name.to_string(), v.clone());
        v
    }

    fn terms(&self, q: &str, meta: &Value) -> Vec<Term> {
        let mut seen: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for raw in q.split(char::is_whitespace) {
            let t = normalise(raw);
            if t.is_empty() || seen.contains(&t) {
                continue;
            }
            seen.push(t.clone());
            let mut variants = vec![t.clone()];
            for g in meta["synonyms"].as_array().into_iter().flatten() {
                let g: Vec<&str> = g
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                if g.contains(&t.as_str()) {
                    for s in g {
                        if !variants.iter().any(|v| v == s) {
                            variants.push(s.to_string());
                        }
                    }
                }
            }
            out.push(Term { variants });
        }
        out
    }

    /// The posting entry of a key in a field (`None`: no document has it).
    fn entry(&self, meta: &Value, title: bool, key: &str) -> Option<(u64, Value)> {
        let shards = meta["shards"].as_u64().unwrap_or(1).max(1);
        let shard = u64::from(format::hash(key)) % shards;
        let file = self.file(&format!("s/{shard}"))?;
        let name = if title {
            format!("{TITLE}{key}")
        } else {
            key.to_string()
        };
        file.get(&name).map(|v| (shard, v.clone()))
    }

    /// The documents in `[lo, hi)` of a posting entry; of a chunked list only the chunks that may
    /// hold one of `need`.
    fn postings(&self, shard: u64, e: &Value, lo: u64, hi: u64, need: Option<&[u64]>) -> Vec<u64> {
        let keep = |d: &u64| *d >= lo && *d < hi;
        match e {
            Value::String(s) => format::decode_postings(s)
                .into_iter()
                .filter(keep)
                .collect(),
            _ => {
                let firsts: Vec<u64> = e["f"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_u64)
                    .collect();
                let j = e["j"].as_u64().unwrap_or(0);
                let mut out = Vec::new();
                for (k, &from) in firsts.iter().enumerate() {
                    let to = firsts.get(k + 1).copied().unwrap_or(u64::MAX);
                    if to <= lo || from >= hi {
                        continue;
                    }
                    if let Some(need) = need {
                        let i = need.partition_point(|&d| d < from);
                        if need.get(i).is_none_or(|&d| d >= to) {
                            continue;
                        }
                    }
                    if let Some(Value::String(s)) =
                        self.file(&format!("c/{shard}-{}", j + k as u64))
                    {
                        out.extend(format::decode_postings(&s).into_iter().filter(keep));
                    }
                }
                out
            }
        }
    }

    /// Documents in `[lo, hi)` holding every key of `variant`.
    fn all_keys(&self, meta: &Value, title: bool, variant: &str, lo: u64, hi: u64) -> Vec<u64> {
        let mut entries = Vec::new();
        for k in format::keys(variant) {
            match self.entry(meta, title, &k) {
                Some(e) => entries.push(e),
                None => return Vec::new(),
            }
        }
        entries.sort_by_key(|(_, e)| postings_count(e));
        let mut running: Option<Vec<u64>> = None;
        for (shard, e) in &entries {
            let list = self.postings(*shard, e, lo, hi, running.as_deref());
            let next = match running {
                Some(r) => intersect(&r, &list),
                None => list,
            };
            if next.is_empty() {
                return next;
            }
            running = Some(next);
        }
        running.unwrap_or_default()
    }

    /// Candidates in `[lo, hi)`: documents, or with `whole` (a term of one character, whose
    /// postings name regulations, not documents) the first document number of each regulation whose
    /// documents of this field are all candidates.
    fn candidates(
        &self,
        meta: &Value,
        terms: &[Term],
        title: bool,
        lo: u64,
        hi: u64,
        whole: bool,
    ) -> Vec<u64> {
        let stride = meta["stride"].as_u64().unwrap_or(1).max(1);
        let mut result: Option<Vec<u64>> = None;
        for t in terms {
            let mut set: Vec<u64> = Vec::new();
            for v in &t.variants {
                let mut docs = self.all_keys(meta, title, v, lo, hi);
                if whole {
                    docs = docs.iter().map(|d| d / stride * stride).collect();
                    docs.dedup();
                }
                set = union(&set, &docs);
            }
            let next = match result {
                Some(r) => intersect(&r, &set),
                None => set,
            };
            if next.is_empty() {
                return next;
            }
            result = Some(next);
        }
        result.unwrap_or_default()
    }

    /// Check one candidate against the terms and score it.
    fn check(&self, terms: &[Term], doc: u64, reg: &Value, d: &Value) -> Option<Hit> {
        let text = normalise(d[3].as_str().unwrap_or(""));
        let heading = normalise(&heading_of(d));
        let kind = d[4].as_u64().unwrap_or(KIND_CLAUSE);
        let status = reg["st"].as_u64().unwrap_or(0);
        let (mut exact, mut in_heading, mut matched) = (true, !heading.is_empty(), 0);
        for t in terms {
            let (i, v) = t
                .variants
                .iter()
                .enumerate()
                .find(|(_, v)| text.contains(v.as_str()))?;
            exact &= i == 0;
            in_heading &= heading.contains(v.as_str());
            matched += occurrences(&text, v) * units(v);
        }
        // A document of a regulation whose title holds each term's characters in order (请假 in
        // 请销假制度): the regulation is about what was asked.
        let title = normalise(reg["title"].as_str().unwrap_or(""));
        let about = terms.iter().all(|t| {
            let mut rest = title.chars();
            t.variants[0].chars().all(|c| rest.any(|x| x == c))
        });
        let phrase = terms.len() > 1 && {
            let whole: String = terms.iter().map(|t| t.variants[0].as_str()).collect();
            text.contains(&whole)
        };
        let tier = match kind {
            KIND_TITLE => 4,
            // A glossary term by its name; by its definition it is one text among others.
            KIND_TERM if in_heading => 3,
            _ if in_heading => 2,
            _ => 1,
        };
        let kind_rank = match kind {
            KIND_STEP => 1,
            KIND_ROW => 0,
            _ => 2,
        };
        let density = (matched * 10_000 / (units(&text) + 20)).min(99_999);
        // As search.js: a 废止 regulation's hits come after every other hit.
        let score = if status >= 3 { 0 } else { 10_000_000_000 }
            + tier * 1_000_000_000
            + i64::from(exact) * 100_000_000
            + i64::from(about) * 50_000_000
            + i64::from(phrase) * 10_000_000
            + (3 - status.min(3) as i64) * 1_000_000
            + kind_rank * 100_000
            + density;
        let anchor = d[0].as_str().unwrap_or("");
        let page = reg["h"].as_str().unwrap_or("");
        Some(Hit {
            doc,
            href: if anchor.is_empty() {
                page.to_string()
            } else {
                format!("{page}#{anchor}")
            },
            title: reg["title"].as_str().unwrap_or("").to_string(),
            label: d[1].as_str().unwrap_or("").to_string(),
            kind,
            status,
            score,
        })
    }

    /// The hits for `q`, best first.
    pub fn search(&self, q: &str, opts: &Options) -> Vec<Hit> {
        let Some(meta) = self.file("meta") else {
            return Vec::new();
        };
        let terms = self.terms(q, &meta);
        if terms.is_empty() {
            return Vec::new();
        }
        let stride = meta["stride"].as_u64().unwrap_or(1).max(1);
        let regs = meta["regs"].as_u64().unwrap_or(0);
        let status_start: Vec<u64> = meta["statusStart"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_u64)
            .collect();
        let glossary = meta["glossary"].as_u64().unwrap_or(u64::MAX);
        let status_of = |reg: u64| -> u64 {
            if reg == glossary {
                return 0;
            }
            (0..4u64)
                .rev()
                .find(|&k| status_start.get(k as usize).is_some_and(|&s| reg >= s))
                .unwrap_or(0)
        };
        // Single characters are indexed per regulation (per document they would be a third of the
        // index): a query with a term of one character checks every document of the regulations
        // that have all its terms.
        let whole = terms
            .iter()
            .any(|t| t.variants.iter().any(|v| v.chars().count() == 1));
        let mut hits: Vec<Hit> = Vec::new();
        'fields: for title in [true, false] {
            let mut lo_reg = 0;
            while lo_reg < regs {
                let (lo, hi) = (lo_reg * stride, (lo_reg + WINDOW_REGS) * stride);
                lo_reg += WINDOW_REGS;
                let cands = self.candidates(&meta, &terms, title, lo, hi, whole);
                let mut i = 0;
                while i < cands.len() {
                    let reg_no = cands[i] / stride;
                    let mut e = i;
                    while e < cands.len() && cands[e] / stride == reg_no {
                        e += 1;
                    }
                    let group = &cands[i..e];
                    i = e;
                    if !opts.statuses.is_empty() && !opts.statuses.contains(&status_of(reg_no)) {
                        continue;
                    }
                    let Some(reg) = self.file(&format!("t/{reg_no}")) else {
                        continue;
                    };
                    if !opts.categories.is_empty()
                        && !reg["cat"]
                            .as_u64()
                            .is_some_and(|c| opts.categories.contains(&c))
                    {
                        continue;
                    }
                    let docs = reg["d"].as_array().map_or(&[][..], Vec::as_slice);
                    let locals: Vec<usize> = if whole {
                        (0..docs.len())
                            .filter(|&l| in_title_field(&docs[l]) == title)
                            .collect()
                    } else {
                        group.iter().map(|d| (d % stride) as usize).collect()
                    };
                    for local in locals {
                        let doc = reg_no * stride + local as u64;
                        if let Some(h) = docs
                            .get(local)
                            .and_then(|d| self.check(&terms, doc, &reg, d))
                        {
                            hits.push(h);
                        }
                    }
                    if hits.len() >= opts.want {
                        break 'fields;
                    }
                }
            }
        }
        hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
        hits
    }
}
