//! The search index (see `crate::search::format` for its files) and the `search.html` results page:
//! every clause (条, 一、, （一）, 1．), preamble, risk-register row and procedure step a document,
//! plus regulation titles and glossary terms, all from the model. Withheld regulations are not in
//! the library, so they are in no index file.

use rayon::prelude::*;
use serde_json::{Value, json};

use super::context::base_context;
use super::links::{category_href, regulation_href, role_href};
use super::minify::page;
use super::theme::Theme;
use crate::error::Result;
use crate::model::Target;
use crate::model::{Library, Regulation, Status, Timeliness};
use crate::output::write::Sink;
use crate::search::analyse::{COUNTERS, QUESTION_WORDS};
use crate::search::fold::{fold_char, normalise, table_runs};
use crate::search::format::{
    ARTICLE_BASE, ARTICLE_MARK, DIR, KIND_CLAUSE, KIND_DIRECTORY, KIND_ROW, KIND_STEP, KIND_TERM,
    KIND_TITLE, TITLE, encode_postings, script,
};
use crate::search::numbers::{self, BUCKET_BASE, COMPARISONS, Condition, UNITS};

/// One searchable document of a regulation: (anchor, label, heading, text, kind).
type Doc = (String, String, String, String, u64);

/// Search rank of a status: regulations are numbered in this order.
pub fn status_rank(s: Status) -> usize {
    match s {
        Status::Current => 0,
        Status::Trial => 1,
        Status::Draft => 2,
        Status::Repealed => 3,
    }
}
const STATUSES: [Status; 4] = [
    Status::Current,
    Status::Trial,
    Status::Draft,
    Status::Repealed,
];

/// The 时效性 the index keeps (`meta.timeliness`, in this order).
const TIMELINESS: [Timeliness; 4] = [
    Timeliness::InForce,
    Timeliness::Amended,
    Timeliness::Repealed,
    Timeliness::NotYetInForce,
];

/// The 时效性 of regulation `i` as the index keeps it (`tl`, into [`TIMELINESS`]): only for a
/// version of a regulation kept as files (`model::versions`) that is not the one in force on the
/// build's day — such a result ranks after the version in force and says where it stands. 0 for
/// every other regulation.
fn timeliness_rank(lib: &Library, i: usize) -> usize {
    if lib.family(i).is_none() {
        return 0;
    }
    let t = lib.timeliness(i);
    TIMELINESS.iter().position(|x| *x == t).unwrap_or(0)
}

/// The regulations in search order (status, then the version in force before the other versions
/// of a regulation, then display order), as indices into the library: a query reads regulations in
/// this order and stops once it has enough.
pub fn search_order(lib: &Library) -> Vec<usize> {
    let mut order: Vec<usize> = (0..lib.regulations.len()).collect();
    order.sort_by_key(|&i| {
        (
            status_rank(lib.regulations[i].status),
            timeliness_rank(lib, i) != 0,
            i,
        )
    });
    order
}

/// The documents of one regulation, its title document first.
fn regulation_docs(lib: &Library, r: &Regulation) -> Vec<Doc> {
    let t = |k: &str| lib.config.string(k);
    let mut title_text = r.title.clone();
    for extra in r.subtitle.iter().chain(&r.aliases) {
        title_text.push('\n');
        title_text.push_str(extra);
    }
    let mut docs: Vec<Doc> = vec![(
        String::new(),
        String::new(),
        r.title.clone(),
        title_text,
        KIND_TITLE,
    )];
    let preamble = r.doc.preamble_text();
    if !preamble.trim().is_empty() {
        docs.push((
            "preamble".into(),
            String::new(),
            String::new(),
            preamble,
            KIND_CLAUSE,
        ));
    }
    let texts = r.doc.clause_texts(r.clauses.len());
    for (c, text) in r.clauses.iter().zip(texts) {
        let label = r.citation(&c.anchor).unwrap_or_else(|| c.label.clone());
        let heading = c.title.clone().unwrap_or_default();
        // A chapter's text is its heading; an article's may be empty when it opens with items.
        let text = if text.is_empty() {
            heading.clone()
        } else {
            text
        };
        docs.push((c.anchor.clone(), label, heading, text, KIND_CLAUSE));
    }
    if let Some(rr) = &r.risk_register {
        for (n, row) in rr.rows.iter().enumerate() {
            let mut text = String::new();
            for col in &rr.columns {
                for item in row.get(col).into_iter().flatten() {
                    if !text.is_empty() {
                        text.push('\n');
                    }
                    text.push_str(item);
                }
            }
            let label = format!(
                "{} {}",
                t("risk_register"),
                t("search_row").replace("{n}", &(n + 1).to_string())
            );
            docs.push(("risk-register".into(), label, String::new(), text, KIND_ROW));
        }
    }
    for p in lib.procedures_of(&r.id) {
        for (n, s) in p.steps.iter().enumerate() {
            let mut text = s.text.clone();
            if let Some(note) = &s.note {
                text.push('\n');
                text.push_str(note);
            }
            let number = s.number.map_or(n + 1, |k| k as usize);
            let label = format!("{} · {} {number}", p.title, t("step"));
            docs.push((
                format!("proc-{}", p.id),
                label,
                String::new(),
                text,
                KIND_STEP,
            ));
        }
    }
    docs
}

/// The glossary as one more "regulation" after the last: its documents link to glossary.html.
fn glossary_docs(lib: &Library) -> Vec<Doc> {
    let mut docs: Vec<Doc> = vec![(
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        KIND_TITLE,
    )];
    for term in &lib.terms {
        let mut text = term.term.clone();
        for a in &term.aliases {
            text.push('\n');
            text.push_str(a);
        }
        if let Some(d) = &term.definition {
            text.push('\n');
            text.push_str(d);
        }
        docs.push((
            format!("term-{}", term.term),
            term.term.clone(),
            term.term.clone(),
            text,
            KIND_TERM,
        ));
    }
    docs
}

/// The directory as one more "regulation" after the glossary: roles, checklists, forms and
/// categories, each found by its name (and a role by its other names), its anchor its page.
fn directory_docs(lib: &Library) -> Vec<Doc> {
    let t = |k: &str| lib.config.string(k);
    let mut docs: Vec<Doc> = vec![(
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        KIND_TITLE,
    )];
    let mut entry = |href: String, label: String, name: &str, others: &[String]| {
        let mut text = name.to_string();
        for o in others {
            text.push('\n');
            text.push_str(o);
        }
        docs.push((href, label, name.to_string(), text, KIND_DIRECTORY));
    };
    // Only roles with a page (`roles::has_page`): a result must lead somewhere.
    for (i, r) in lib.roles.iter().enumerate() {
        if super::roles::has_page(lib, i) {
            entry(role_href(&r.id), t("search_kind_role"), &r.name, &r.aliases);
        }
    }
    for p in &lib.procedures {
        entry(
            format!("checklists/{}.html", p.id),
            t("search_kind_checklist"),
            &p.title,
            &[],
        );
    }
    let mut forms: Vec<&str> = lib
        .references
        .iter()
        .filter_map(|r| match &r.target {
            Target::Form { name } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    forms.sort_unstable();
    forms.dedup();
    for f in forms {
        entry(
            format!("forms.html#form-{f}"),
            t("search_kind_form"),
            f,
            &[],
        );
    }
    for c in &lib.categories {
        entry(
            category_href(&c.id),
            t("search_kind_category"),
            &c.title,
            &[],
        );
    }
    docs
}

/// The authority of a regulation for ranking (national law above local rules): 3 法律, 2 行政法规 or
/// 司法解释, 1 部门规章, 0 others — from its category's folder or title, else from its own title
/// (中华人民共和国…法).
pub fn level(lib: &Library, r: &Regulation) -> i64 {
    let cat = lib
        .categories
        .iter()
        .find(|c| c.id == r.category)
        .map(|c| format!("{} {}", c.id, c.title))
        .unwrap_or_default();
    let has = |w: &str| cat.contains(w);
    if has("法律") || (r.title.starts_with("中华人民共和国") && r.title.ends_with('法')) {
        3
    } else if has("行政法规") || has("司法解释") {
        2
    } else if has("部门规章") {
        1
    } else {
        0
    }
}

/// What a document is found by beyond its words: its quantity conditions and its article number.
fn doc_extras(d: &Doc) -> (Vec<Condition>, Option<u64>) {
    let conds = if matches!(d.4, KIND_CLAUSE | KIND_STEP | KIND_ROW) {
        numbers::conditions(&normalise(&d.3))
    } else {
        Vec::new()
    };
    // 第N条, and 第N条之一 under N too (the label tells them apart).
    let full = normalise(&d.1);
    let label: Vec<char> = match full.split_once("条之") {
        Some((base, k))
            if k.chars()
                .all(|c| numbers::chinese_value(&c.to_string()).is_some()) =>
        {
            format!("{base}条").chars().collect()
        }
        _ => full.chars().collect(),
    };
    let article = (label.len() > 2 && label[0] == '第' && label[label.len() - 1] == '条')
        .then(|| {
            let run: String = label[1..label.len() - 1].iter().collect();
            numbers::chinese_value(&run)
                .filter(|v| v.fract() == 0.0 && *v > 0.0)
                .map(|v| v as u64)
        })
        .flatten();
    (conds, article)
}

/// The packed keys of a document's quantities (unit, bucket) and article number.
fn extra_keys(conds: &[Condition], article: Option<u64>, out: &mut Vec<u64>) {
    for c in conds {
        if let Some(b) = char::from_u32(BUCKET_BASE + numbers::bucket(c.value)) {
            out.push(pack(false, c.unit, Some(b)));
        }
    }
    if let Some(n) = article
        && let Some(c) = u32::try_from(n)
            .ok()
            .filter(|&n| n < 0xD000)
            .and_then(|n| char::from_u32(ARTICLE_BASE + n))
    {
        out.push(pack(false, ARTICLE_MARK, Some(c)));
    }
}

/// Positions of documents in a regulation fit in 21 bits.
const LOCAL_MAX: u64 = (1 << 21) - 1;

/// Packed key: field bit, then the one or two characters (21 bits each).
fn pack(field: bool, a: char, b: Option<char>) -> u64 {
    let b = b.map_or(0x1F_FFFF, |c| c as u64);
    (u64::from(field) << 42) | ((a as u64) << 21) | b
}

fn unpack(k: u64) -> String {
    let mut s = String::new();
    if k >> 42 & 1 == 1 {
        s.push(TITLE);
    }
    let a = (k >> 21) & 0x1F_FFFF;
    let b = k & 0x1F_FFFF;
    s.extend(char::from_u32(a as u32));
    if b != 0x1F_FFFF {
        s.extend(char::from_u32(b as u32));
    }
    s
}

/// The packed keys of a document: every character and every bigram of its folded text, once.
fn doc_keys(doc: &Doc, out: &mut Vec<u64>) {
    // Titles, glossary terms and the directory's names: looked up first, before any clause.
    let field = matches!(doc.4, KIND_TITLE | KIND_TERM | KIND_DIRECTORY);
    let chars: Vec<char> = doc.3.chars().filter_map(fold_char).collect();
    let start = out.len();
    for (i, &c) in chars.iter().enumerate() {
        out.push(pack(field, c, None));
        if let Some(&d) = chars.get(i + 1) {
            out.push(pack(field, c, Some(d)));
        }
    }
    out[start..].sort_unstable();
    let mut w = start;
    for r in start..out.len() {
        if w == start || out[r] != out[w - 1] {
            out[w] = out[r];
            w += 1;
        }
    }
    out.truncate(w);
}

/// Write the documents of regulation number `r` (library index `i`; `None`: the glossary).
fn write_texts(
    lib: &Library,
    i: Option<usize>,
    r: usize,
    docs: &[Doc],
    extras: &[(Vec<Condition>, Option<u64>)],
    counter: &Counter,
) -> Result<()> {
    let lv = i.map_or(0, |i| level(lib, &lib.regulations[i]));
    let (href, title, cat, st) = match i {
        Some(i) => {
            let reg = &lib.regulations[i];
            let title = match &reg.subtitle {
                Some(s) => format!(
                    "{}{}{s}{}",
                    reg.title,
                    lib.config.string("paren_open"),
                    lib.config.string("paren_close")
                ),
                None => reg.title.clone(),
            };
            (
                regulation_href(&reg.id),
                title,
                lib.categories.iter().position(|c| c.id == reg.category),
                status_rank(reg.status),
            )
        }
        None if r == lib.regulations.len() => (
            "glossary.html".to_string(),
            lib.config.string("glossary_page"),
            None,
            0,
        ),
        None => (String::new(), String::new(), None, 0),
    };
    let d: Vec<Value> = docs
        .iter()
        .zip(extras)
        .map(|((a, l, h, t, k), (conds, _))| {
            // A heading is mostly the start of the text: then only its length is written.
            let heading = if !h.is_empty() && t.starts_with(h.as_str()) {
                json!(h.chars().count())
            } else {
                json!(h)
            };
            if conds.is_empty() {
                return json!([a, l, heading, t, k]);
            }
            // [unit, value, comparison, as written, holds with the one before]
            let c: Vec<Value> = conds
                .iter()
                .map(|c| {
                    json!([
                        c.unit.to_string(),
                        c.value,
                        c.op.code(),
                        c.text,
                        u8::from(c.joined)
                    ])
                })
                .collect();
            json!([a, l, heading, t, k, c])
        })
        .collect();
    let name = format!("t/{r}");
    let mut data = json!({"h": href, "title": title, "cat": cat, "st": st, "d": d});
    if lv > 0 {
        data["lv"] = json!(lv);
    }
    if let Some(tl) = i.map(|i| timeliness_rank(lib, i)).filter(|&t| t > 0) {
        data["tl"] = json!(tl);
    }
    counter.put(&format!("{DIR}/{name}.js"), &script(&name, &data))
}

/// Shards gathered at a time by [`build_index`].
const SHARDS_PER_GROUP: u64 = 256;
// Group numbers are kept in a byte: at most 4096 shards.
const _: () = assert!(4096 / SHARDS_PER_GROUP <= 256);

/// [`format::hash`] of a packed key, without building its string.
fn key_hash(k: u64) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    let a = ((k >> 21) & 0x1F_FFFF) as u32;
    let b = (k & 0x1F_FFFF) as u32;
    for c in [a, b] {
        if c == 0x1F_FFFF {
            break;
        }
        h ^= c;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Write one shard: its keys' postings, long lists in chunk files of their own.
fn write_shard(s: u64, slice: &[(u64, u64)], counter: &Counter) -> Result<()> {
    let key_of = |p: &(u64, u64)| p.0 & ((1 << 43) - 1);
    let mut obj = serde_json::Map::new();
    let mut j = 0usize;
    let mut i = 0;
    while i < slice.len() {
        let k = key_of(&slice[i]);
        let mut e = i;
        while e < slice.len() && key_of(&slice[e]) == k {
            e += 1;
        }
        let docs: Vec<u64> = slice[i..e].iter().map(|p| p.1).collect();
        let pieces = encode_postings(&docs);
        let value = if pieces.len() == 1 {
            Value::String(pieces.into_iter().next().map(|p| p.1).unwrap_or_default())
        } else {
            let firsts: Vec<u64> = pieces.iter().map(|p| p.0).collect();
            let entry = json!({"n": docs.len(), "j": j, "f": firsts});
            for (p, (_, enc)) in pieces.into_iter().enumerate() {
                let name = format!("c/{s}-{}", j + p);
                counter.put(
                    &format!("{DIR}/{name}.js"),
                    &script(&name, &Value::String(enc)),
                )?;
            }
            j += firsts.len();
            entry
        };
        obj.insert(unpack(k), value);
        i = e;
    }
    let name = format!("s/{s}");
    counter.put(
        &format!("{DIR}/{name}.js"),
        &script(&name, &Value::Object(obj)),
    )
}

/// Synonym groups (folded): a role with its other names, a term with its aliases.
fn synonyms(lib: &Library) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = Vec::new();
    let names = lib
        .roles
        .iter()
        .map(|r| {
            std::iter::once(&r.name)
                .chain(&r.aliases)
                .collect::<Vec<_>>()
        })
        .chain(
            lib.terms
                .iter()
                .map(|t| std::iter::once(&t.term).chain(&t.aliases).collect()),
        )
        .chain(lib.config.synonyms.iter().map(|g| g.iter().collect()));
    for g in names {
        let mut g: Vec<String> = g
            .into_iter()
            .map(|s| normalise(s))
            .filter(|s| !s.is_empty())
            .collect();
        g.sort();
        g.dedup();
        if g.len() > 1 {
            groups.push(g);
        }
    }
    groups
}

/// What the index came to: its documents, files and bytes.
pub struct IndexStats {
    pub documents: usize,
    pub files: usize,
    pub bytes: u64,
}

/// Build the index and put its files into `sink`.
pub fn build_index(lib: &Library, sink: &dyn Sink) -> Result<IndexStats> {
    let order = search_order(lib);
    let glossary_no = order.len();
    let counter = Counter::new(sink);
    // Each regulation's documents, written at once (for checking candidates and showing snippets),
    // and their keys, kept: (number of documents, keys), in parallel.
    let per_reg: Vec<(usize, Vec<u64>)> = order
        .par_iter()
        .map(|&i| Some(i))
        .chain(rayon::iter::repeat_n(None, 2))
        .enumerate()
        .map(|(r, i)| {
            let docs = match i {
                Some(i) => regulation_docs(lib, &lib.regulations[i]),
                None if r == glossary_no => glossary_docs(lib),
                None => directory_docs(lib),
            };
            let extras: Vec<(Vec<Condition>, Option<u64>)> = docs.iter().map(doc_extras).collect();
            write_texts(lib, i, r, &docs, &extras, &counter)?;
            // (key << 21 | position): a key is 43 bits, and no regulation has 2 million documents.
            let mut keys = Vec::new();
            let mut packed: Vec<u64> = Vec::new();
            for (local, d) in docs.iter().enumerate().take(LOCAL_MAX as usize) {
                if local == 0 && d.3.is_empty() {
                    continue;
                }
                keys.clear();
                doc_keys(d, &mut keys);
                let (conds, article) = &extras[local];
                extra_keys(conds, *article, &mut keys);
                // A single character is indexed per regulation (as its position 0): per document it
                // would be a third of the postings, for the rare query of one character.
                packed.extend(keys.iter().map(|&k| {
                    let unigram = k & 0x1F_FFFF == 0x1F_FFFF;
                    k << 21 | if unigram { 0 } else { local as u64 }
                }));
            }
            packed.sort_unstable();
            packed.dedup();
            // Every regulation's keys are held until all are made (the shard count depends on
            // their total): without this, each held up to twice its length in spare capacity.
            packed.shrink_to_fit();
            Ok((docs.len(), packed))
        })
        .collect::<Result<_>>()?;
    let stride = per_reg
        .iter()
        .map(|(d, _)| *d)
        .max()
        .unwrap_or(1)
        .clamp(1, LOCAL_MAX as usize) as u64;
    let documents: usize = per_reg.iter().map(|(d, _)| *d).sum();
    let total: usize = per_reg.iter().map(|(_, p)| p.len()).sum();
    // About 2 bytes a posting; aim at shards of a few KB, a power of two between 8 and 4096.
    let shards = ((total as u64 * 2) / 4096)
        .clamp(8, 4096)
        .next_power_of_two();
    let shard_of = |p: u64| -> u64 { u64::from(key_hash(p >> 21)) % shards };
    let groups = shards.div_ceil(SHARDS_PER_GROUP);
    // Each regulation's pairs in order of their group of shards (a counting sort: one pass), with
    // where each group starts, so that a group's part of it is one slice.
    let per_reg: Vec<(Vec<u64>, Vec<u32>)> = per_reg
        .into_par_iter()
        .map(|(_, packed)| {
            let group: Vec<u8> = packed
                .iter()
                .map(|&p| (shard_of(p) / SHARDS_PER_GROUP) as u8)
                .collect();
            let mut start = vec![0u32; groups as usize + 1];
            for &g in &group {
                start[g as usize + 1] += 1;
            }
            for g in 0..groups as usize {
                start[g + 1] += start[g];
            }
            let mut at = start.clone();
            let mut sorted = vec![0u64; packed.len()];
            for (&p, &g) in packed.iter().zip(&group) {
                sorted[at[g as usize] as usize] = p;
                at[g as usize] += 1;
            }
            (sorted, start)
        })
        .collect();

    // Shards in groups, so that only a group's postings are gathered at a time (a large handbook has
    // tens of millions of them), then sorted by shard, key and document.
    // One buffer for every group, filled in order of regulation: a buffer collected anew from
    // parallel pieces per group cost more in fresh memory and copying than the filling itself.
    let mut pairs: Vec<(u64, u64)> = Vec::new();
    for g in 0..groups {
        let (from, to) = (
            g * SHARDS_PER_GROUP,
            ((g + 1) * SHARDS_PER_GROUP).min(shards),
        );
        pairs.clear();
        for (r, (packed, start)) in per_reg.iter().enumerate() {
            let slice = &packed[start[g as usize] as usize..start[g as usize + 1] as usize];
            pairs.extend(slice.iter().map(|&p| {
                (
                    shard_of(p) << 43 | p >> 21,
                    r as u64 * stride + (p & LOCAL_MAX),
                )
            }));
        }
        // A key's documents are distinct, so (shard and key, document) orders them all.
        pairs.par_sort_unstable();
        let mut bounds: Vec<usize> = vec![0];
        for s in from + 1..to {
            bounds.push(pairs.partition_point(|p| p.0 >> 43 < s));
        }
        bounds.push(pairs.len());
        (from..to).into_par_iter().try_for_each(|s| {
            let k0 = (s - from) as usize;
            write_shard(s, &pairs[bounds[k0]..bounds[k0 + 1]], &counter)
        })?;
    }

    let mut status_start = vec![0usize; STATUSES.len() + 1];
    for (k, s) in STATUSES.iter().enumerate() {
        status_start[k + 1] =
            status_start[k] + lib.regulations.iter().filter(|r| r.status == *s).count();
    }
    let meta = json!({
        "v": 1,
        "shards": shards,
        "stride": stride,
        "regs": glossary_no + 2,
        "glossary": glossary_no,
        "statusStart": status_start,
        "statuses": STATUSES.iter().map(|s| lib.config.string(s.key())).collect::<Vec<_>>(),
        "timeliness": TIMELINESS.iter().map(|t| lib.config.string(t.key())).collect::<Vec<_>>(),
        "categories": lib.categories.iter().map(|c| json!([c.id, c.title])).collect::<Vec<_>>(),
        "synonyms": synonyms(lib),
        "fold": table_runs(),
        // How a query is read (src/search/analyse.rs, numbers.rs): the same tables on both sides.
        "question": QUESTION_WORDS,
        "counters": COUNTERS,
        "units": UNITS.iter().map(|(w, u, f)| json!([w, u.to_string(), f])).collect::<Vec<_>>(),
        "cmp": COMPARISONS.iter().map(|(w, pre, op)| json!([w, pre, op.code()])).collect::<Vec<_>>(),
        "bucketSpan": numbers::BUCKET_SPAN,
    });
    counter.put(&format!("{DIR}/meta.js"), &script("meta", &meta))?;
    Ok(IndexStats {
        documents,
        files: counter.files.load(std::sync::atomic::Ordering::Relaxed),
        bytes: counter.bytes.load(std::sync::atomic::Ordering::Relaxed),
    })
}

/// Counts the index's files and bytes on their way to the sink.
struct Counter<'a> {
    sink: &'a dyn Sink,
    files: std::sync::atomic::AtomicUsize,
    bytes: std::sync::atomic::AtomicU64,
}

impl<'a> Counter<'a> {
    fn new(sink: &'a dyn Sink) -> Counter<'a> {
        Counter {
            sink,
            files: Default::default(),
            bytes: Default::default(),
        }
    }

    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        use std::sync::atomic::Ordering::Relaxed;
        self.files.fetch_add(1, Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Relaxed);
        self.sink.put(path, bytes)
    }
}

/// The `search.html` results page (filled by search.js from `?q=`).
pub fn results_page(lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
    let mut ctx = base_context(lib, theme, "", None)?;
    ctx.insert("page_kind", "search");
    let statuses: Vec<Value> = STATUSES
        .iter()
        .enumerate()
        .filter(|(_, s)| lib.regulations.iter().any(|r| r.status == **s))
        .map(|(k, s)| json!({"rank": k, "title": lib.config.string(s.key())}))
        .collect();
    ctx.insert("statuses", &statuses);
    let categories: Vec<Value> = lib
        .categories
        .iter()
        .enumerate()
        .map(|(k, c)| json!({"index": k, "title": c.title}))
        .collect();
    ctx.insert("search_categories", &categories);
    sink.put("search.html", &page(&theme.render("search.html", &ctx)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_keys_hash_as_their_strings() {
        for key in ["印章", "印", "a", "𠀀a", "3"] {
            let mut cs = key.chars();
            let k = pack(false, cs.next().unwrap(), cs.next());
            assert_eq!(key_hash(k), crate::search::format::hash(key), "{key}");
        }
    }

    #[test]
    fn keys_pack_and_unpack() {
        assert_eq!(unpack(pack(false, '印', Some('章'))), "印章");
        assert_eq!(unpack(pack(true, '印', Some('章'))), "^印章");
        assert_eq!(unpack(pack(false, '印', None)), "印");
        assert_eq!(unpack(pack(true, 'a', None)), "^a");
    }
}
