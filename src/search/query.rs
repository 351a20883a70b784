//! The query engine over the index files: the algorithm `search.js` runs in the browser, step for
//! step, so that tests and the benchmark can ask the index what a reader would see.
//!
//! 1. The query is read ([`analyse`]): an article number (公司法第二十条, 第12条, 本办法第五条) makes
//!    it an article query; question words (怎么, 多久, 吗 …, [`QUESTION_WORDS`]) are dropped and cut
//!    it into words; a quantity (5000元, 五千元, 2天) is taken out of its word; Arabic and Chinese
//!    numerals before a unit are one (3个月 = 三个月); a word holding a synonym (请假/休假, from
//!    roles, the glossary and `synonyms.yaml`) also matches with the other names.
//! 2. An article query finds the article of that number in the regulations whose title holds the
//!    name (all regulations without one): it comes first.
//! 3. A quantity finds the clauses whose condition covers it (5000元 ≥ 3000元 for 超出3000元以上:
//!    [`super::numbers`]) and that hold the query's other words; they come first, with the reason.
//! 4. The words: candidates are documents holding every key (bigram) of some variant of every
//!    word, from the postings (a single character's postings name regulations); title-field
//!    documents (titles, glossary terms, roles, checklists, forms, categories) first, then the body.
//!    Each candidate is checked by exact substring match of the folded text, loading the text of
//!    its regulation, until `want` hits are found. When no document holds the words as typed, each
//!    long word is cut into pieces of two characters (报销差旅 finds 差旅报销) and ranked by how close
//!    the pieces stand.
//! 5. Ranking ([`score`]): 废止 last; answers (article, quantity) first; among versions of one
//!    regulation (`model::versions`), the one in force on the build's day before the others (which
//!    carry their 时效性, `tl`); then title, a name given
//!    exactly, a glossary term by name, heading; the words as typed whole before pieces and before
//!    synonyms; the whole phrase; a clause that opens with (defines) the words; national law above
//!    local rules (`lv`); status; a regulation whose title holds the words; clauses before steps
//!    before register rows, articles before their items; earlier clauses of such a regulation; then
//!    closeness of the quantity, proximity and density.

use std::cell::RefCell;
use std::collections::HashMap;

use serde_json::Value;

use super::analyse::{self, Analysis, Article, Quantity, Word};
use super::fold::normalise;
use super::format::{
    self, KIND_CLAUSE, KIND_DIRECTORY, KIND_ROW, KIND_STEP, KIND_TERM, KIND_TITLE, TITLE,
};
use super::numbers::{self, BUCKET_SPAN, Op};

/// Regulations per window of candidates: a query stops after the window in which it has found
/// enough, so a frequent word does not load all of a large index.
pub const WINDOW_REGS: u64 = 256;
/// Hits collected (and ranked) for the results shown while typing.
pub const WANT_TYPING: usize = 20;
/// Hits collected for the results page.
pub const WANT_PAGE: usize = 200;
/// Fewer hits of the words as typed than this: their pieces are looked up too.
pub const LOOSE_BELOW: usize = 3;

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
    /// 时效性 of a version of a regulation that is not the one in force (`meta.timeliness`):
    /// 1 已被修改, 3 尚未生效; 0 otherwise.
    pub timeliness: u64,
    pub score: i64,
    /// Why a quantity answers: 5000元 ≥ 3000元.
    pub why: Option<String>,
}

type Term = Word;

/// How the words are looked up in a pass: whole or in pieces, for a question or not, and the query.
#[derive(Clone, Copy)]
struct Pass<'a> {
    whole: bool,
    asked: bool,
    q: &'a str,
}

/// What a hit is ranked by ([`score`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Features {
    pub repealed: bool,
    /// 2: the article asked for; 1: a condition covering the quantity asked for.
    pub answer: i64,
    /// A version of a regulation other than the one in force on the build's day.
    pub superseded: bool,
    /// 5: a name given exactly (role, checklist, form, category); 4: a title or name; 3: a glossary
    /// term by its name; 2: a heading; 1: text.
    pub tier: i64,
    /// The words whole, not in pieces.
    pub whole: bool,
    /// As typed, not a synonym.
    pub exact: bool,
    pub phrase: bool,
    /// The text opens with the words, or says what they are (X是指).
    pub defining: bool,
    /// 3 法律, 2 行政法规, 1 部门规章, 0 others.
    pub level: i64,
    pub status: i64,
    /// In a regulation whose title holds the words.
    pub about: bool,
    /// 2 clause, 1 procedure step, 0 register row.
    pub kind: i64,
    /// An article or section, not an item of a list.
    pub top: bool,
    /// Earlier clauses of a regulation the words are about: 999 − position.
    pub early: i64,
    /// Closeness of the quantity, proximity of the pieces or density of the words: 0–999.
    pub close: i64,
}

/// The score of a hit: the features in order of weight, each above all those after it (below
/// 2^53, so that the browser's numbers hold it exactly).
pub fn score(f: &Features) -> i64 {
    let b = |x: bool| i64::from(x);
    b(!f.repealed) * 2_000_000_000_000
        + f.answer * 400_000_000_000
        + b(!f.superseded) * 200_000_000_000
        + f.tier * 20_000_000_000
        + b(f.whole) * 8_000_000_000
        + b(f.exact) * 4_000_000_000
        + b(f.phrase) * 2_000_000_000
        + b(f.defining) * 1_000_000_000
        + f.level * 100_000_000
        + (3 - f.status.min(3)) * 20_000_000
        + b(f.about) * 10_000_000
        + f.kind * 2_000_000
        + b(f.top) * 1_000_000
        + f.early * 1000
        + f.close
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
    matches!(d[4].as_u64(), Some(KIND_TITLE | KIND_TERM | KIND_DIRECTORY))
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

    /// Check one candidate against the words and rank it (`None`: it does not hold them all).
    fn check(
        &self,
        words: &[Term],
        pass: &Pass,
        doc: u64,
        reg: &Value,
        d: &Value,
    ) -> Option<(Hit, Features)> {
        let Pass { whole, asked, q } = *pass;
        let text = normalise(d[3].as_str().unwrap_or(""));
        let heading = normalise(&heading_of(d));
        let kind = d[4].as_u64().unwrap_or(KIND_CLAUSE);
        let status = reg["st"].as_u64().unwrap_or(0);
        let (mut exact, mut in_heading, mut matched) = (true, !heading.is_empty(), 0);
        let mut first: Vec<usize> = Vec::new();
        let mut used: Vec<&str> = Vec::new();
        for t in words {
            let (i, v) = t
                .variants
                .iter()
                .enumerate()
                .find(|(_, v)| text.contains(v.as_str()))?;
            exact &= i == 0;
            in_heading &= heading.contains(v.as_str());
            matched += occurrences(&text, v) * units(v);
            first.push(
                text[..text.find(v.as_str()).unwrap_or(0)]
                    .encode_utf16()
                    .count(),
            );
            used.push(v);
        }
        // A document of a regulation whose title holds each word's characters in order (请假 in
        // 请销假制度): the regulation is about what was asked.
        let title = normalise(reg["title"].as_str().unwrap_or(""));
        let about = !words.is_empty()
            && words.iter().all(|t| {
                let mut rest = title.chars();
                t.variants[0].chars().all(|c| rest.any(|x| x == c))
            });
        let phrase = whole && words.len() > 1 && {
            let all: String = words.iter().map(|t| t.variants[0].as_str()).collect();
            text.contains(&all)
        };
        // What a word is: 大额资金使用事项，是指…, 本制度所称公司，是指…
        let defining = used.first().is_some_and(|w| {
            text.contains(&format!("{w}是指")) || text.contains(&format!("{w}指"))
        });
        let asked_for = normalise(q);
        let named = heading == asked_for;
        // Another name of a role (一把手 for 主要领导) ranks as a title does.
        let alias = kind == KIND_DIRECTORY
            && d[3]
                .as_str()
                .unwrap_or("")
                .split('\n')
                .any(|l| normalise(l) == asked_for);
        let tier = match kind {
            KIND_DIRECTORY if named => 5,
            KIND_DIRECTORY if alias => 4,
            // A question asks for an answer, a clause: a title or name holding its words is one
            // text among others.
            KIND_TITLE if !asked => 4,
            KIND_DIRECTORY | KIND_TITLE => 1,
            // A glossary term by its name; by its definition it is one text among others.
            KIND_TERM if in_heading => 3,
            _ if in_heading => 2,
            _ => 1,
        };
        let anchor = d[0].as_str().unwrap_or("");
        let close = if whole {
            (matched * 1000 / (units(&text) + 20)).min(999)
        } else {
            let span = first.iter().max().unwrap_or(&0) - first.iter().min().unwrap_or(&0);
            999 - (span as i64).min(999)
        };
        let f = Features {
            repealed: status >= 3,
            superseded: superseded(reg),
            answer: 0,
            tier,
            whole,
            exact,
            phrase,
            defining,
            level: reg["lv"].as_i64().unwrap_or(0),
            status: status as i64,
            about,
            // A role, checklist or form holding the words (but not named by them) after the clauses.
            kind: match kind {
                KIND_STEP | KIND_DIRECTORY => 1,
                KIND_ROW => 0,
                _ => 2,
            },
            top: !anchor.contains("-item") && !anchor.contains("-sub"),
            early: 0,
            close,
        };
        Some((self.hit(doc, reg, d), f))
    }

    fn hit(&self, doc: u64, reg: &Value, d: &Value) -> Hit {
        let anchor = d[0].as_str().unwrap_or("");
        let page = reg["h"].as_str().unwrap_or("");
        Hit {
            doc,
            // The directory (roles, checklists, forms, categories) gives each entry's page whole.
            href: if page.is_empty() || anchor.is_empty() {
                if page.is_empty() {
                    anchor.to_string()
                } else {
                    page.to_string()
                }
            } else {
                format!("{page}#{anchor}")
            },
            // A directory entry's title is its name.
            title: match reg["title"].as_str().unwrap_or("") {
                "" => heading_of(d),
                t => t.to_string(),
            },
            label: d[1].as_str().unwrap_or("").to_string(),
            kind: d[4].as_u64().unwrap_or(KIND_CLAUSE),
            status: reg["st"].as_u64().unwrap_or(0),
            timeliness: reg["tl"].as_u64().unwrap_or(0),
            score: 0,
            why: None,
        }
    }

    /// The hits of the words (`whole`: as typed; else in pieces), until `want`.
    fn word_hits(
        &self,
        meta: &Value,
        words: &[Term],
        whole: bool,
        asked: bool,
        q: &str,
        opts: &Options,
    ) -> Vec<(Hit, Features)> {
        let stride = meta["stride"].as_u64().unwrap_or(1).max(1);
        let regs = meta["regs"].as_u64().unwrap_or(0);
        let status_of = status_of(meta);
        // Single characters are indexed per regulation (per document they would be a third of the
        // index): a query with a word of one character checks every document of the regulations
        // that have all its words.
        let one = words
            .iter()
            .any(|t| t.variants.iter().any(|v| v.chars().count() == 1));
        let mut hits: Vec<(Hit, Features)> = Vec::new();
        'fields: for title in [true, false] {
            let mut lo_reg = 0;
            while lo_reg < regs {
                let (lo, hi) = (lo_reg * stride, (lo_reg + WINDOW_REGS) * stride);
                lo_reg += WINDOW_REGS;
                let cands = self.candidates(meta, words, title, lo, hi, one);
                let mut i = 0;
                while i < cands.len() {
                    let reg_no = cands[i] / stride;
                    let mut e = i;
                    while e < cands.len() && cands[e] / stride == reg_no {
                        e += 1;
                    }
                    let group = &cands[i..e];
                    i = e;
                    let Some(reg) = self.regulation(reg_no, opts, &status_of) else {
                        continue;
                    };
                    let docs = reg["d"].as_array().map_or(&[][..], Vec::as_slice);
                    let locals: Vec<usize> = if one {
                        (0..docs.len())
                            .filter(|&l| in_title_field(&docs[l]) == title)
                            .collect()
                    } else {
                        group.iter().map(|d| (d % stride) as usize).collect()
                    };
                    for local in locals {
                        let doc = reg_no * stride + local as u64;
                        if let Some((h, mut f)) = docs.get(local).and_then(|d| {
                            self.check(words, &Pass { whole, asked, q }, doc, &reg, d)
                        }) {
                            if f.about && h.kind != KIND_TITLE {
                                f.early = 999 - (local as i64).min(999);
                            }
                            hits.push((h, f));
                        }
                    }
                    if hits.len() >= opts.want {
                        break 'fields;
                    }
                }
            }
        }
        hits
    }

    /// A regulation's texts, if the options keep it.
    fn regulation(
        &self,
        reg_no: u64,
        opts: &Options,
        status_of: &dyn Fn(u64) -> u64,
    ) -> Option<Value> {
        if !opts.statuses.is_empty() && !opts.statuses.contains(&status_of(reg_no)) {
            return None;
        }
        let reg = self.file(&format!("t/{reg_no}"))?;
        if !opts.categories.is_empty()
            && !reg["cat"]
                .as_u64()
                .is_some_and(|c| opts.categories.contains(&c))
        {
            return None;
        }
        Some(reg)
    }

    /// Every document of a body-field key (all windows).
    fn key_docs(&self, meta: &Value, key: &str) -> Vec<u64> {
        match self.entry(meta, false, key) {
            Some((shard, e)) => self.postings(shard, &e, 0, u64::MAX, None),
            None => Vec::new(),
        }
    }

    /// The clauses whose conditions cover the quantity and that hold the other words.
    fn quantity_hits(
        &self,
        meta: &Value,
        qty: &Quantity,
        rest: &[Term],
        asked: bool,
        q: &str,
        opts: &Options,
    ) -> Vec<(Hit, Features)> {
        let stride = meta["stride"].as_u64().unwrap_or(1).max(1);
        let status_of = status_of(meta);
        let b = numbers::bucket(qty.value);
        let mut cands: Vec<u64> = Vec::new();
        for k in b.saturating_sub(BUCKET_SPAN)..=b + BUCKET_SPAN {
            cands = union(
                &cands,
                &self.key_docs(meta, &numbers::quantity_key(qty.unit, k)),
            );
        }
        let mut hits = Vec::new();
        let mut i = 0;
        while i < cands.len() {
            let reg_no = cands[i] / stride;
            let mut e = i;
            while e < cands.len() && cands[e] / stride == reg_no {
                e += 1;
            }
            let group = cands[i..e].to_vec();
            i = e;
            let Some(reg) = self.regulation(reg_no, opts, &status_of) else {
                continue;
            };
            let docs = reg["d"].as_array().map_or(&[][..], Vec::as_slice);
            for d in group {
                let Some(doc) = docs.get((d % stride) as usize) else {
                    continue;
                };
                let Some((why, close)) = covers(qty, &doc[5]) else {
                    continue;
                };
                let Some((mut h, mut f)) = self.check(
                    rest,
                    &Pass {
                        whole: true,
                        asked,
                        q,
                    },
                    d,
                    &reg,
                    doc,
                ) else {
                    continue;
                };
                f.answer = 1;
                f.close = close;
                h.why = why;
                hits.push((h, f));
            }
        }
        hits
    }

    /// The article asked for, in the regulations whose title holds its name.
    fn article_hits(&self, meta: &Value, art: &Article, opts: &Options) -> Vec<(Hit, Features)> {
        let stride = meta["stride"].as_u64().unwrap_or(1).max(1);
        let status_of = status_of(meta);
        let mut cands = self.key_docs(meta, &format::article_key(art.number));
        if art.name.chars().count() > 1 {
            let name = Word {
                variants: vec![art.name.clone()],
            };
            let titles: Vec<u64> = self
                .candidates(meta, &[name], true, 0, u64::MAX, false)
                .into_iter()
                .filter(|d| d % stride == 0)
                .collect();
            cands.retain(|d| titles.binary_search(&(d / stride * stride)).is_ok());
        }
        let mut hits = Vec::new();
        for d in cands {
            let Some(reg) = self.regulation(d / stride, opts, &status_of) else {
                continue;
            };
            let Some(doc) = reg["d"].get((d % stride) as usize) else {
                continue;
            };
            if normalise(doc[1].as_str().unwrap_or("")) != art.label {
                continue;
            }
            let mut h = self.hit(d, &reg, doc);
            let status = h.status;
            h.score = 0;
            let f = Features {
                repealed: status >= 3,
                superseded: superseded(&reg),
                answer: 2,
                tier: 1,
                whole: true,
                exact: true,
                level: reg["lv"].as_i64().unwrap_or(0),
                status: status as i64,
                kind: 2,
                top: true,
                ..Features::default()
            };
            hits.push((h, f));
        }
        hits
    }

    /// What the query asks, read with the index's synonyms.
    pub fn analyse(&self, q: &str) -> Analysis {
        let meta = self.file("meta").unwrap_or(Value::Null);
        analyse::analyse(q, &synonyms(&meta))
    }

    /// The hits for `q`, best first.
    pub fn search(&self, q: &str, opts: &Options) -> Vec<Hit> {
        let Some(meta) = self.file("meta") else {
            return Vec::new();
        };
        let syn = synonyms(&meta);
        let a = analyse::analyse(q, &syn);
        if a.words.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<(Hit, Features)> = Vec::new();
        if let Some(art) = &a.article {
            found = self.article_hits(&meta, art, opts);
        }
        if found.is_empty() {
            if let Some(qty) = &a.quantity {
                found = self.quantity_hits(&meta, qty, &a.rest, a.asked, q, opts);
            }
            let words = self.word_hits(&meta, &a.words, true, a.asked, q, opts);
            // Few hits of the words as typed: their pieces may find what was meant (报销差旅).
            let few = words.len() < LOOSE_BELOW;
            merge(&mut found, words);
            if few {
                let pieces: Vec<Term> = a
                    .words
                    .iter()
                    .flat_map(|w| analyse::pieces(&w.variants[0], &syn))
                    .collect();
                if pieces.len() > a.words.len() || pieces.iter().zip(&a.words).any(|(p, w)| p != w)
                {
                    merge(
                        &mut found,
                        self.word_hits(&meta, &pieces, false, a.asked, q, opts),
                    );
                }
            }
        }
        let mut hits: Vec<Hit> = found
            .into_iter()
            .map(|(mut h, f)| {
                h.score = score(&f);
                h
            })
            .collect();
        hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
        hits
    }
}

/// Add `more` to `found`, a document once, with its better rank.
fn merge(found: &mut Vec<(Hit, Features)>, more: Vec<(Hit, Features)>) {
    for (h, f) in more {
        match found.iter_mut().find(|(g, _)| g.doc == h.doc) {
            Some(slot) => {
                if score(&f) > score(&slot.1) {
                    let why = slot.0.why.take();
                    *slot = (h, f);
                    if slot.0.why.is_none() {
                        slot.0.why = why;
                    }
                }
            }
            None => found.push((h, f)),
        }
    }
}

/// The synonym groups of the index.
fn synonyms(meta: &Value) -> Vec<Vec<String>> {
    meta["synonyms"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|g| {
            g.as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .collect()
}

/// Whether a regulation of the index is a version not in force on the build's day (`tl`).
fn superseded(reg: &Value) -> bool {
    reg["tl"].as_u64().is_some_and(|t| t != 0)
}

/// The status rank of a regulation number.
fn status_of(meta: &Value) -> impl Fn(u64) -> u64 {
    let status_start: Vec<u64> = meta["statusStart"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_u64)
        .collect();
    let first_extra = meta["glossary"].as_u64().unwrap_or(u64::MAX);
    move |reg: u64| -> u64 {
        if reg >= first_extra {
            return 0;
        }
        (0..4u64)
            .rev()
            .find(|&k| status_start.get(k as usize).is_some_and(|&s| reg >= s))
            .unwrap_or(0)
    }
}

/// Whether a document's conditions (`[unit, value, op, text, with previous]` …) cover the quantity:
/// the reason (5000元 ≥ 3000元) and how close its numbers are to the quantity (0–999). Conditions
/// joined to the one before (一千元以上二千元以下) must hold together.
pub fn covers(qty: &Quantity, conds: &Value) -> Option<(Option<String>, i64)> {
    let list = conds.as_array()?;
    let mut best: Option<(Option<String>, f64)> = None;
    let mut i = 0;
    while i < list.len() {
        let mut j = i + 1;
        while j < list.len() && list[j][4].as_u64() == Some(1) {
            j += 1;
        }
        let group = &list[i..j];
        i = j;
        let same_unit = group
            .iter()
            .all(|c| c[0].as_str().and_then(|u| u.chars().next()) == Some(qty.unit));
        if !same_unit {
            continue;
        }
        let mut why = Vec::new();
        let mut distance = 0.0;
        let (mut ok, mut equal) = (true, group.len() == 1);
        for c in group {
            let (Some(v), Some(op)) = (c[1].as_f64(), c[2].as_u64().and_then(Op::from_code)) else {
                ok = false;
                continue;
            };
            distance += (qty.value / v.max(1e-9)).log2().abs();
            why.push(format!("{} {}", op.sign(), c[3].as_str().unwrap_or("")));
            ok &= op.covers(qty.value, v);
            equal &= v == qty.value;
        }
        // The very number of a condition that excludes it (超出3000元以上 for 3000元): the clause
        // is about that number, but it is not said to cover it.
        let reason = ok.then(|| format!("{} {}", qty.text, why.join("，")));
        if (ok || equal) && best.as_ref().is_none_or(|(_, d)| distance < *d) {
            best = Some((reason, distance));
        }
    }
    best.map(|(w, d)| (w, 999 - ((d * 100.0) as i64).min(999)))
}
