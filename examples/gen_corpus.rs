//! Generates a large, realistic site folder for the scale benchmark (`benches/scale.rs`).
//!
//! ```text
//! cargo run --release --example gen_corpus -- --docs N --out DIR [--seed-content content] [--seed 42]
//!                                             [--clean] [--error-shapes]
//! ```
//!
//! Writes `DIR/content/…` with N regulations: the bundled regulations themselves (all of them when
//! N ≥ their number, so `terms.yaml` and the bundled procedures stay valid), plus regulations derived
//! from them: paragraphs and clauses of the bundled documents shuffled and recombined, re-numbered so
//! the numbering is consistent (第X条 through the document, 一、 sections, （一） items, 1． sub-items,
//! optional 第X章 chapters and 附件), titles made unique with a department name and a number, spread over
//! 8–40 categories, with cross-references of the kinds rulebook links (《title》, 《title》第三条,
//! 本办法第五条, 第三条第（二）项), role mentions, risk registers and procedures with valid anchors.
//!
//! Like real rulebooks (typed in from paper, amended by hand), and unless `--clean`, the corpus also
//! has: numbering gaps (第三条, 第五条), repeats (第三条 twice), clauses out of order and skipped items
//! (warnings under the current rules); plain paragraphs in shuffled order; very long regulations
//! (150–300 articles, 0.5 %); and 《…》 that match no regulation of the corpus — outside laws
//! (《中华人民共和国刑法》), titles without their document number, short titles with one character
//! wrong — in the forms the current rules take for outside documents (no diagnostic). `--error-shapes`
//! adds what the current rules report as errors: one character wrong in a full title, an unknown
//! 《short_name…》, a bare 第N条 the regulation does not have, 《law》第N条 (the 第N条 is looked up in
//! the citing regulation), 《title》第N条 where that regulation has no such article. How the rules treat
//! each shape is mirrored here (`Names`, from src/structure/references/), and the counts are printed
//! and written to `DIR/gen_corpus.json`.
//!
//! The output depends only on N, the seed content and `--seed` (a built-in xorshift generator; no
//! dependency). Document i's structure depends only on i, so a smaller corpus's documents are a prefix of
//! a larger one's (their cross-references differ, as they point anywhere in the corpus).
//!
//! Apart from the Chinese numerals the generator does not use the rulebook library, so it keeps working
//! while the library changes; its marker detection mirrors `src/structure/clauses.rs`, its anchors
//! (`art3-2` for a repeated 第三条) the clause outline, and `Names` the title rules of
//! `src/structure/references/` — if those rules change, `Names` must follow, or the corpus may not
//! build.
#![allow(clippy::type_complexity)] // the generator passes plain tuples of its own data around

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------------
// Random numbers

/// xorshift64* seeded through splitmix64.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x1234_5678 } else { z })
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// 0..n
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    /// lo..=hi
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        if hi <= lo {
            lo
        } else {
            lo + self.below(hi - lo + 1)
        }
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Chinese numerals and clause markers (mirrors src/structure/{numerals,clauses}.rs)

fn to_chinese(n: usize) -> String {
    assert!((1..=9999).contains(&n));
    rulebook::structure::numerals::to_chinese(n as u32)
}

const CN_DIGITS: &str = "零〇一二三四五六七八九十百千两";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Chapter,
    Article,
    Section,
    Item,
    Sub,
}

fn take_while(s: &str, f: impl Fn(char) -> bool) -> &str {
    let end = s
        .char_indices()
        .find(|&(_, c)| !f(c))
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// The marker at the start of a paragraph and the text after it (trimmed), if any.
fn detect(text: &str) -> Option<(Kind, &str)> {
    fn rest_after(s: &str) -> &str {
        s.trim_start_matches([' ', '\u{3000}', '\t', '\n', '\r'])
            .trim_end()
    }
    if let Some(rest) = text.strip_prefix('第') {
        let num = take_while(rest, |c| CN_DIGITS.contains(c) || c.is_ascii_digit());
        if num.is_empty() {
            return None;
        }
        let after = &rest[num.len()..];
        return match after.chars().next() {
            Some('章') => Some((Kind::Chapter, rest_after(&after['章'.len_utf8()..]))),
            Some('条') => Some((Kind::Article, rest_after(&after['条'.len_utf8()..]))),
            _ => None,
        };
    }
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = text.strip_prefix(open) {
            let num = take_while(rest, |c| CN_DIGITS.contains(c));
            if !num.is_empty()
                && let Some(after) = rest[num.len()..].strip_prefix(close)
            {
                return Some((Kind::Item, rest_after(after)));
            }
            return None;
        }
    }
    let num = take_while(text, |c| CN_DIGITS.contains(c));
    if !num.is_empty() {
        return text[num.len()..]
            .strip_prefix('、')
            .map(|a| (Kind::Section, rest_after(a)));
    }
    let num = take_while(text, |c| c.is_ascii_digit());
    if !num.is_empty() && num.len() <= 3 {
        let after = &text[num.len()..];
        let sep = after.chars().next()?;
        if matches!(sep, '．' | '.' | '、') {
            let after = &after[sep.len_utf8()..];
            if after.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            return Some((Kind::Sub, rest_after(after)));
        }
    }
    None
}

fn heading_like(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty() && s.chars().count() <= 20 && !s.contains(['。', '；', '，', '：', ';', ':'])
}

/// Replace citations of numbered clauses inside a text (`违反第五条规定`) with a neutral phrase: after
/// recombination they would point at clauses that do not exist.
fn neutralise_refs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut first = true;
    while let Some(i) = rest.find('第') {
        let after = &rest[i + '第'.len_utf8()..];
        let num = take_while(after, |c| CN_DIGITS.contains(c));
        let tail = &after[num.len()..];
        let unit = tail.chars().next();
        if !(num.is_empty() || first && i == 0) && matches!(unit, Some('条' | '章' | '项' | '款'))
        {
            out.push_str(&rest[..i]);
            out.push_str("有关条款");
            rest = &tail[unit.map_or(0, char::len_utf8)..];
        } else {
            out.push_str(&rest[..i + '第'.len_utf8()]);
            rest = after;
        }
        first = false;
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------------
// The seed

struct SeedDoc {
    /// Path under content/, e.g. `caiwu-zichan/caiwu-guanli.md`.
    rel: String,
    category: String,
    id: String,
    title: String,
    /// `aliases:` (a block or a flow list).
    aliases: Vec<String>,
    text: String,
}

/// A risk register of the seed, taken apart.
struct SeedRegister {
    filled_by_label: String,
    /// The `groups:` and `columns:` lines, verbatim.
    head: String,
    columns: Vec<String>,
    /// Rows: column → items.
    rows: Vec<BTreeMap<String, Vec<String>>>,
}

#[derive(Default)]
struct Pools {
    preambles: Vec<String>,
    plain: Vec<String>,
    chapter_titles: Vec<String>,
    article_titles: Vec<String>,
    article_texts: Vec<String>,
    section_heads: Vec<String>,
    section_texts: Vec<String>,
    item_heads: Vec<String>,
    item_texts: Vec<String>,
    sub_texts: Vec<String>,
    appendix_lines: Vec<String>,
    /// Title cores without the office prefix, e.g. `财务管理制度`.
    title_cores: Vec<String>,
    registers: Vec<SeedRegister>,
    step_texts: Vec<String>,
    step_notes: Vec<String>,
    branches: Vec<String>,
    /// Names (and aliases) from roles.yaml.
    role_names: Vec<String>,
    role_mentions: Vec<String>,
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    // Drop a trailing comment after a quoted value.
    if let Some(rest) = v.strip_prefix('"')
        && let Some(end) = rest.find('"')
    {
        return rest[..end].to_string();
    }
    if let Some(rest) = v.strip_prefix('\'')
        && let Some(end) = rest.find('\'')
    {
        return rest[..end].to_string();
    }
    match v.find(" #") {
        Some(i) => v[..i].trim().to_string(),
        None => v.to_string(),
    }
}

fn split_front(text: &str) -> (&str, &str) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text.strip_prefix("---\n") else {
        return ("", text);
    };
    match rest.find("\n---\n") {
        Some(i) => (&rest[..i + 1], &rest[i + 5..]),
        None => match rest
            .strip_suffix("\n---")
            .or_else(|| rest.find("\n---").map(|i| &rest[..i]))
        {
            Some(y) => (y, ""),
            None => ("", text),
        },
    }
}

fn front_value(front: &str, key: &str) -> Option<String> {
    front.lines().find_map(|l| {
        l.strip_prefix(key)
            .and_then(|r| r.strip_prefix(':'))
            .map(unquote)
    })
}

/// A list value of the front-matter: `key: [a, b]` or `key:` followed by `  - a` lines.
fn front_list(front: &str, key: &str) -> Vec<String> {
    let mut lines = front.lines();
    while let Some(l) = lines.next() {
        let Some(v) = l.strip_prefix(key).and_then(|r| r.strip_prefix(':')) else {
            continue;
        };
        let v = v.trim();
        if let Some(inner) = v.strip_prefix('[') {
            let inner = inner.split(']').next().unwrap_or("");
            return inner
                .split(',')
                .map(unquote)
                .filter(|s| !s.is_empty())
                .collect();
        }
        if !v.is_empty() {
            return vec![unquote(v)];
        }
        return lines
            .map_while(|l| l.trim_start().strip_prefix("- "))
            .map(unquote)
            .collect();
    }
    Vec::new()
}

fn parse_register(front: &str) -> Option<SeedRegister> {
    let start = front
        .lines()
        .position(|l| l.starts_with("risk_register:"))?;
    let lines: Vec<&str> = front
        .lines()
        .skip(start + 1)
        .take_while(|l| l.starts_with(' ') || l.is_empty())
        .collect();
    let mut reg = SeedRegister {
        filled_by_label: "填报人".into(),
        head: String::new(),
        columns: Vec::new(),
        rows: Vec::new(),
    };
    let mut in_head = false;
    let mut in_rows = false;
    let mut col: Option<String> = None;
    for l in lines {
        if let Some(v) = l.strip_prefix("  filled_by_label:") {
            reg.filled_by_label = unquote(v);
            continue;
        }
        if l.starts_with("  groups:") {
            in_head = true;
        }
        if let Some(v) = l.strip_prefix("  columns:") {
            reg.head.push_str(l);
            reg.head.push('\n');
            in_head = false;
            let v = v.trim().trim_start_matches('[').trim_end_matches(']');
            reg.columns = v.split(',').map(unquote).collect();
            continue;
        }
        if in_head {
            reg.head.push_str(l);
            reg.head.push('\n');
            continue;
        }
        if l.starts_with("  rows:") {
            in_rows = true;
            continue;
        }
        if !in_rows {
            continue;
        }
        if let Some(k) = l.strip_prefix("    - ") {
            reg.rows.push(BTreeMap::new());
            col = Some(unquote(k.trim_end_matches(':')));
        } else if l.starts_with("      ")
            && !l.trim_start().starts_with('-')
            && l.trim_end().ends_with(':')
        {
            col = Some(unquote(l.trim().trim_end_matches(':')));
        } else if let Some(item) = l.trim_start().strip_prefix("- ")
            && let (Some(c), Some(row)) = (&col, reg.rows.last_mut())
        {
            row.entry(c.clone()).or_default().push(unquote(item));
        }
    }
    (!reg.columns.is_empty() && !reg.rows.is_empty()).then_some(reg)
}

fn load_seed(dir: &Path) -> Result<(Vec<SeedDoc>, Pools), String> {
    let mut docs = Vec::new();
    let mut cats: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n != "procedures" && !n.to_string_lossy().starts_with('.'))
        })
        .collect();
    cats.sort();
    for cat in cats {
        let mut files: Vec<PathBuf> = fs::read_dir(&cat)
            .map_err(|e| format!("cannot read {}: {e}", cat.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        files.sort();
        for f in files {
            let text =
                fs::read_to_string(&f).map_err(|e| format!("cannot read {}: {e}", f.display()))?;
            let (front, _) = split_front(&text);
            let stem = f.file_stem().unwrap().to_string_lossy().to_string();
            let category = cat.file_name().unwrap().to_string_lossy().to_string();
            docs.push(SeedDoc {
                rel: format!("{category}/{}", f.file_name().unwrap().to_string_lossy()),
                id: front_value(front, "id").unwrap_or(stem),
                title: front_value(front, "title").unwrap_or_default(),
                aliases: front_list(front, "aliases"),
                category,
                text,
            });
        }
    }
    if docs.is_empty() {
        return Err(format!("no regulations under {}", dir.display()));
    }

    let mut p = Pools::default();
    for d in &docs {
        let (front, body) = split_front(&d.text);
        if let Some(r) = parse_register(front) {
            p.registers.push(r);
            continue;
        }
        if body.trim().is_empty() {
            continue;
        }
        let core = d
            .title
            .trim_start_matches("市委保密办")
            .replace("（试行）", "");
        p.title_cores.push(core);
        let mut seen_marker = false;
        let mut appendix = false;
        for para in body.split("\n\n").map(str::trim).filter(|s| !s.is_empty()) {
            if para.starts_with("附件") && para["附件".len()..].chars().all(|c| c.is_ascii_digit())
            {
                appendix = true;
                continue;
            }
            if appendix {
                p.appendix_lines.push(para.to_string());
                continue;
            }
            match detect(para) {
                None => {
                    let t = neutralise_refs(para);
                    if seen_marker {
                        p.plain.push(t)
                    } else {
                        p.preambles.push(t)
                    }
                }
                Some((kind, rest)) => {
                    seen_marker = true;
                    if rest.is_empty() {
                        continue;
                    }
                    let t = neutralise_refs(rest);
                    let head = heading_like(&t);
                    match (kind, head) {
                        (Kind::Chapter, _) => p.chapter_titles.push(t),
                        (Kind::Article, true) => p.article_titles.push(t),
                        (Kind::Article, false) => p.article_texts.push(t),
                        (Kind::Section, true) => p.section_heads.push(t),
                        (Kind::Section, false) => p.section_texts.push(t),
                        (Kind::Item, true) => p.item_heads.push(t),
                        (Kind::Item, false) => p.item_texts.push(t),
                        (Kind::Sub, _) => p.sub_texts.push(t),
                    }
                }
            }
        }
    }
    // Plain paragraphs may not begin with something a later rulebook could read as a marker.
    p.plain
        .retain(|t| detect(t).is_none() && !t.starts_with("附件"));
    p.preambles
        .retain(|t| detect(t).is_none() && !t.starts_with("附件"));
    p.appendix_lines.retain(|t| detect(t).is_none());
    for v in [
        &mut p.preambles,
        &mut p.plain,
        &mut p.chapter_titles,
        &mut p.article_titles,
        &mut p.article_texts,
        &mut p.section_heads,
        &mut p.section_texts,
        &mut p.item_heads,
        &mut p.item_texts,
        &mut p.sub_texts,
        &mut p.appendix_lines,
        &mut p.title_cores,
    ] {
        let mut seen = HashSet::new();
        v.retain(|t| seen.insert(t.clone()));
    }
    // Fall-backs so that a small or unusual seed still generates.
    let fill = |v: &mut Vec<String>, from: &[String], default: &[&str]| {
        if v.is_empty() {
            v.extend(from.iter().cloned());
        }
        if v.is_empty() {
            v.extend(default.iter().map(|s| s.to_string()));
        }
    };
    let all_sentences: Vec<String> = p
        .article_texts
        .iter()
        .chain(&p.section_texts)
        .chain(&p.item_texts)
        .chain(&p.plain)
        .cloned()
        .collect();
    let defaults_text = ["各科室（站）应当严格执行本规定，确保各项工作规范有序开展。"];
    fill(&mut p.plain, &all_sentences, &defaults_text);
    fill(&mut p.preambles, &p.plain.clone(), &defaults_text);
    fill(&mut p.article_texts, &all_sentences, &defaults_text);
    fill(&mut p.section_texts, &all_sentences, &defaults_text);
    fill(&mut p.item_texts, &all_sentences, &defaults_text);
    fill(&mut p.sub_texts, &all_sentences, &defaults_text);
    fill(
        &mut p.appendix_lines,
        &[],
        &["组长：（略）", "成员：（略）"],
    );
    fill(
        &mut p.chapter_titles,
        &[],
        &[
            "总则",
            "职责分工",
            "工作程序",
            "监督检查",
            "责任追究",
            "附则",
        ],
    );
    for extra in [
        "总则",
        "职责分工",
        "工作程序",
        "监督检查",
        "责任追究",
        "附则",
    ] {
        if !p.chapter_titles.iter().any(|t| t == extra) {
            p.chapter_titles.push(extra.to_string());
        }
    }
    let heads: Vec<String> = p
        .article_titles
        .iter()
        .chain(&p.section_heads)
        .chain(&p.item_heads)
        .cloned()
        .collect();
    let default_heads = ["基本原则", "适用范围", "工作要求", "监督检查"];
    fill(&mut p.section_heads, &heads, &default_heads);
    fill(&mut p.article_titles, &heads, &default_heads);
    fill(&mut p.item_heads, &heads, &default_heads);
    fill(&mut p.title_cores, &[], &["管理制度"]);

    // Procedures: step texts, notes and branch names.
    let proc_dir = dir.join("procedures");
    if let Ok(rd) = fs::read_dir(&proc_dir) {
        let mut files: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files {
            let Ok(text) = fs::read_to_string(&f) else {
                continue;
            };
            for l in text.lines() {
                let l = l.trim_start().trim_start_matches("- ");
                if let Some(v) = l.strip_prefix("text:") {
                    p.step_texts.push(unquote(v));
                } else if let Some(v) = l.strip_prefix("note:") {
                    p.step_notes.push(unquote(v));
                } else if let Some(v) = l.strip_prefix("branch:") {
                    p.branches.push(unquote(v));
                }
            }
        }
    }
    for v in [&mut p.step_texts, &mut p.step_notes, &mut p.branches] {
        let mut seen = HashSet::new();
        v.retain(|t| !t.is_empty() && seen.insert(t.clone()));
    }
    fill(
        &mut p.step_texts,
        &[],
        &["提出申请", "审核", "审批", "办理", "归档"],
    );
    fill(&mut p.step_notes, &[], &["（派驻纪检组监督）"]);
    fill(&mut p.branches, &[], &["一般事项", "重大事项"]);

    // Roles: names only (procedure steps use them); aliases too for mentions in the text.
    if let Ok(text) = fs::read_to_string(dir.join("roles.yaml")) {
        for l in text.lines() {
            // `- name:` opens an entry, or `name:` follows its `- id:`.
            let t = l.trim_start();
            if let Some(v) = t
                .strip_prefix("- name:")
                .or_else(|| t.strip_prefix("name:"))
            {
                let n = unquote(v);
                p.role_names.push(n.clone());
                p.role_mentions.push(n);
            } else if let Some(v) = l.trim_start().strip_prefix("aliases:") {
                let v = v.trim().trim_start_matches('[');
                let v = v.split(']').next().unwrap_or("");
                p.role_mentions
                    .extend(v.split(',').map(unquote).filter(|s| !s.is_empty()));
            }
        }
    }
    Ok((docs, p))
}

// ---------------------------------------------------------------------------------------------------
// Generated documents

const DEPARTMENTS: &[&str] = &[
    "办公室",
    "秘密管理科",
    "监督检查科",
    "保密技术工作站",
    "通信报务科",
    "技术密码科",
    "宣传教育科",
    "法规科",
    "机要科",
    "人事科",
    "财务科",
    "综合科",
    "督查室",
    "档案室",
    "信息中心",
    "后勤服务中心",
    "机关党支部",
    "机关工会",
    "团支部",
    "定密管理科",
];

/// Category folders: the bundled ones are added first (from the seed); these follow.
const EXTRA_CATEGORIES: &[(&str, &str)] = &[
    ("baomi-xuanchuan", "保密宣传"),
    ("dingmi-guanli", "定密管理"),
    ("shemi-renyuan", "涉密人员管理"),
    ("shemi-zaiti", "涉密载体管理"),
    ("xinxi-xitong", "信息系统安全"),
    ("wangluo-anquan", "网络安全"),
    ("dangan-guanli", "档案管理"),
    ("renshi-laozi", "人事劳资"),
    ("jixiao-kaohe", "绩效考核"),
    ("houqin-baozhang", "后勤保障"),
    ("anquan-shengchan", "安全生产"),
    ("ducha-duban", "督查督办"),
    ("xinfang-gongzuo", "信访工作"),
    ("yingji-guanli", "应急管理"),
    ("caigou-guanli", "采购管理"),
    ("hetong-guanli", "合同管理"),
    ("tongji-gongzuo", "统计工作"),
    ("zhengwu-gongkai", "政务公开"),
    ("jiyao-tongxin", "机要通信"),
    ("jishu-jiancha", "技术检查"),
    ("jiandu-jiancha", "监督检查"),
    ("fazhi-gongzuo", "法制工作"),
    ("gonghui-gongzuo", "工会工作"),
    ("gongqingtuan", "共青团工作"),
    ("funv-gongzuo", "妇女工作"),
    ("lituixiu-ganbu", "离退休干部工作"),
    ("jiguan-shiwu", "机关事务"),
    ("xinxi-baosong", "信息报送"),
    ("gongwen-chuli", "公文处理"),
    ("huiwu-guanli", "会务管理"),
    ("niandu-kaohe", "年度考核"),
    ("ganbu-jiaoyu", "干部教育"),
];

const GENRES: &[&str] = &["制度", "办法", "规定", "实施细则", "规则"];
const NAMES: &[&str] = &[
    "张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴霞", "徐强", "孙丽",
    "马超", "朱琳", "胡军", "郭颖",
];

/// One top-level paragraph of a generated body.
struct Para {
    /// `第三条`, `一、`, `（二）`, `4．`, `第一章`, `附件`, or empty for a plain paragraph.
    label: String,
    kind: Option<Kind>,
    text: String,
    /// Whether a sentence may be appended (the text is a sentence, not a heading or a list lead).
    open: bool,
}

/// An article (第N条) as written: its number and the numbers of its items （一）….
#[derive(Clone)]
struct Article {
    number: u32,
    items: Vec<u32>,
}

struct Doc {
    id: String,
    category: String,
    title: String,
    /// The word documents use for themselves: 本办法, 本制度 …
    selfword: String,
    order: usize,
    paras: Vec<Para>,
    /// Every clause anchor of the body, as rulebook gives them (a repeated number gets `art3-2`).
    anchors: Vec<String>,
    /// Top-level anchors (art*/sec*), for procedure-level clauses.
    top_anchors: Vec<String>,
    /// The articles in document order, as numbered (with any gaps, repeats and displacements);
    /// empty for section-style bodies.
    articles: Vec<Article>,
    register: Option<String>,
    subtitle: Option<String>,
    status: &'static str,
    issued: Option<String>,
    alias: Option<String>,
}

impl Doc {
    /// Anchors given so far, to give a repeated number the anchor rulebook gives it.
    fn anchor(&mut self, base: String) -> String {
        if !self.anchors.contains(&base) {
            return base;
        }
        (2..)
            .map(|k| format!("{base}-{k}"))
            .find(|a| !self.anchors.contains(a))
            .expect("some suffix is free")
    }

    /// What a reference 第N条[第（M）项] may point at: the first article written with each number
    /// (rulebook resolves 第N条 to the anchor `artN`, which is the first), with its items.
    fn citable_articles(&self) -> Vec<Article> {
        let mut seen = HashSet::new();
        self.articles
            .iter()
            .filter(|a| seen.insert(a.number))
            .map(|a| {
                let mut s = HashSet::new();
                Article {
                    number: a.number,
                    items: a.items.iter().copied().filter(|i| s.insert(*i)).collect(),
                }
            })
            .collect()
    }
}

fn push(doc: &mut Doc, kind: Option<Kind>, label: String, text: String, anchor: Option<String>) {
    let open = text.ends_with('。') && !heading_like(&text);
    if let Some(a) = anchor {
        doc.anchors.push(a);
    }
    doc.paras.push(Para {
        label,
        kind,
        text,
        open,
    });
}

fn lead(text: &str) -> String {
    // A clause that introduces items reads better ending in a colon.
    let t = text.trim_end_matches(['。', '；', '：']);
    format!("{t}：")
}

/// The irregularities of one document: what real rulebooks contain (typed in from paper, amended
/// by hand) and a consistently numbered corpus does not. Decided per document from its own random
/// stream, so a document is the same whatever the corpus size.
#[derive(Debug, Clone, Copy, Default)]
struct Mess {
    /// A number skipped: 第三条, 第五条.
    gap: bool,
    /// A number written twice: 第三条, 第三条 (rulebook gives the second the anchor `art3-2`).
    repeat: bool,
    /// Two to four neighbouring clauses in the wrong order: 第四条, 第六条, 第五条.
    displaced: bool,
    /// An item skipped inside one article or section: （一）, （三）.
    item_gap: bool,
    /// The plain paragraphs (those without a number) of the document in shuffled order.
    shuffled: bool,
    /// 150–300 articles in chapters (beside the 1 % of 40–90 that every corpus has).
    very_long: bool,
}

impl Mess {
    fn draw(rng: &mut Rng) -> Mess {
        Mess {
            gap: rng.chance(0.04),
            repeat: rng.chance(0.03),
            displaced: rng.chance(0.03),
            item_gap: rng.chance(0.03),
            shuffled: rng.chance(0.10),
            very_long: rng.chance(0.005),
        }
    }
}

/// The numbers of `n` clauses as written: 1, 2, 3 … with the gap, repeat or displacement of `mess`.
fn numbering(n: usize, rng: &mut Rng, mess: &Mess, stats: &mut Stats) -> Vec<u32> {
    let mut v: Vec<u32> = (1..=n as u32).collect();
    if n < 3 {
        return v;
    }
    if mess.gap {
        let k = rng.range(1, n - 1);
        let d = rng.range(1, 2) as u32;
        v[k..].iter_mut().for_each(|x| *x += d);
        stats.gaps += 1;
    }
    if mess.repeat {
        let k = rng.range(1, n - 1);
        v[k..].iter_mut().for_each(|x| *x -= 1);
        stats.repeats += 1;
    }
    if mess.displaced {
        let w = rng.range(2, 4.min(n));
        let s = rng.range(0, n - w);
        let before = v[s..s + w].to_vec();
        rng.shuffle(&mut v[s..s + w]);
        if v[s..s + w] == before[..] {
            v.swap(s, s + 1);
        }
        stats.displaced += usize::from(v[s..s + w] != before[..]);
    }
    v
}

/// Item numbers （一）… for `n` items: 1..=n, or with one skipped.
fn item_numbering(n: usize, rng: &mut Rng, gap: bool) -> Vec<u32> {
    let mut v: Vec<u32> = (1..=n as u32).collect();
    if gap && n >= 2 {
        let k = rng.range(1, n - 1);
        v[k..].iter_mut().for_each(|x| *x += 1);
    }
    v
}

/// Items （一）… under `parent`, numbered `numbers`, each optionally with sub-items 1．…
fn gen_items(
    doc: &mut Doc,
    rng: &mut Rng,
    p: &Pools,
    parent: &str,
    numbers: &[u32],
    sub_chance: f64,
) {
    for &k in numbers {
        let anchor = doc.anchor(format!("{parent}-item{k}"));
        let with_subs = rng.chance(sub_chance);
        let text = if with_subs && rng.chance(0.5) {
            rng.pick(&p.item_heads).clone()
        } else {
            rng.pick(&p.item_texts).clone()
        };
        push(
            doc,
            Some(Kind::Item),
            format!("（{}）", to_chinese(k as usize)),
            text,
            Some(anchor.clone()),
        );
        if with_subs {
            for m in 1..=rng.range(2, 4) {
                let a = doc.anchor(format!("{anchor}-sub{m}"));
                push(
                    doc,
                    Some(Kind::Sub),
                    format!("{m}．"),
                    rng.pick(&p.sub_texts).clone(),
                    Some(a),
                );
            }
        }
    }
}

fn gen_body(doc: &mut Doc, rng: &mut Rng, p: &Pools, mess: &Mess, stats: &mut Stats) {
    let long = rng.chance(0.01);
    // Whether one article or section (chosen below) has an item skipped.
    let mut item_gap_left = mess.item_gap;
    if rng.chance(0.5) || mess.very_long {
        // 第X条 style, optionally in chapters.
        if rng.chance(0.3) {
            push(
                doc,
                None,
                String::new(),
                rng.pick(&p.preambles).clone(),
                None,
            );
        }
        let n = if mess.very_long {
            stats.very_long += 1;
            rng.range(150, 300)
        } else if long {
            rng.range(40, 90)
        } else {
            rng.range(3, 14)
        };
        let numbers = numbering(n, rng, mess, stats);
        let mut chapter_starts = Vec::new();
        if n >= 8 && (rng.chance(0.35) || mess.very_long) {
            let chapters = rng.range(2, (n / 3).min(if mess.very_long { 12 } else { 6 }));
            chapter_starts.push(1);
            while chapter_starts.len() < chapters {
                let s = rng.range(2, n);
                if !chapter_starts.contains(&s) {
                    chapter_starts.push(s);
                }
            }
            chapter_starts.sort();
        }
        for a in 1..=n {
            if let Some(c) = chapter_starts.iter().position(|&s| s == a) {
                let title = if c == 0 {
                    "总则".to_string()
                } else if c + 1 == chapter_starts.len() {
                    "附则".to_string()
                } else {
                    rng.pick(&p.chapter_titles).clone()
                };
                let anchor = doc.anchor(format!("ch{}", c + 1));
                push(
                    doc,
                    Some(Kind::Chapter),
                    format!("第{}章", to_chinese(c + 1)),
                    title,
                    Some(anchor),
                );
            }
            let number = numbers[a - 1];
            let anchor = doc.anchor(format!("art{number}"));
            doc.top_anchors.push(anchor.clone());
            let label = format!("第{}条", to_chinese(number as usize));
            let r = rng.below(100);
            let mut items = Vec::new();
            if r < 55 {
                push(
                    doc,
                    Some(Kind::Article),
                    label,
                    rng.pick(&p.article_texts).clone(),
                    Some(anchor),
                );
            } else if r < 75 {
                push(
                    doc,
                    Some(Kind::Article),
                    label,
                    rng.pick(&p.article_titles).clone(),
                    Some(anchor),
                );
                for _ in 0..rng.range(1, 2) {
                    push(doc, None, String::new(), rng.pick(&p.plain).clone(), None);
                }
            } else {
                let t: &String = rng.pick(&p.article_texts);
                let text = lead(t);
                push(doc, Some(Kind::Article), label, text, Some(anchor.clone()));
                let k = rng.range(2, 5);
                items = item_numbering(k, rng, item_gap_left);
                stats.item_gaps += usize::from(item_gap_left);
                item_gap_left = false;
                gen_items(doc, rng, p, &anchor, &items, 0.15);
            }
            doc.articles.push(Article { number, items });
        }
    } else {
        // 一、 style.
        if rng.chance(0.7) {
            push(
                doc,
                None,
                String::new(),
                rng.pick(&p.preambles).clone(),
                None,
            );
        }
        let n = if long {
            rng.range(15, 30)
        } else {
            rng.range(3, 10)
        };
        let numbers = numbering(n, rng, mess, stats);
        for &s in &numbers {
            let anchor = doc.anchor(format!("sec{s}"));
            doc.top_anchors.push(anchor.clone());
            let label = format!("{}、", to_chinese(s as usize));
            let r = rng.below(100);
            if r < 35 {
                push(
                    doc,
                    Some(Kind::Section),
                    label,
                    rng.pick(&p.section_texts).clone(),
                    Some(anchor),
                );
                if rng.chance(0.3) {
                    push(doc, None, String::new(), rng.pick(&p.plain).clone(), None);
                }
            } else if r < 65 {
                push(
                    doc,
                    Some(Kind::Section),
                    label,
                    rng.pick(&p.section_heads).clone(),
                    Some(anchor.clone()),
                );
                let k = rng.range(2, 5);
                let items = item_numbering(k, rng, item_gap_left);
                stats.item_gaps += usize::from(item_gap_left);
                item_gap_left = false;
                gen_items(doc, rng, p, &anchor, &items, 0.15);
            } else if r < 85 {
                push(
                    doc,
                    Some(Kind::Section),
                    label,
                    rng.pick(&p.section_heads).clone(),
                    Some(anchor.clone()),
                );
                for m in 1..=rng.range(2, 6) {
                    let a = doc.anchor(format!("{anchor}-sub{m}"));
                    push(
                        doc,
                        Some(Kind::Sub),
                        format!("{m}．"),
                        rng.pick(&p.sub_texts).clone(),
                        Some(a),
                    );
                }
            } else {
                push(
                    doc,
                    Some(Kind::Section),
                    label,
                    rng.pick(&p.section_heads).clone(),
                    Some(anchor),
                );
                for _ in 0..rng.range(1, 3) {
                    push(doc, None, String::new(), rng.pick(&p.plain).clone(), None);
                }
            }
        }
    }
    if mess.shuffled {
        // The plain paragraphs trade places (a preamble may end up inside an article and the other
        // way round); numbered paragraphs stay where they are.
        let plain: Vec<usize> = (0..doc.paras.len())
            .filter(|&i| doc.paras[i].kind.is_none() && doc.paras[i].label.is_empty())
            .collect();
        if plain.len() >= 2 {
            let mut order = plain.clone();
            rng.shuffle(&mut order);
            let texts: Vec<(String, bool)> = order
                .iter()
                .map(|&i| (doc.paras[i].text.clone(), doc.paras[i].open))
                .collect();
            for (&i, (t, open)) in plain.iter().zip(texts) {
                doc.paras[i].text = t;
                doc.paras[i].open = open;
            }
            stats.shuffled += 1;
        }
    }
    if rng.chance(0.05) {
        doc.paras.push(Para {
            label: "附件".into(),
            kind: None,
            text: String::new(),
            open: false,
        });
        doc.anchors.push("appendix".into());
        for _ in 0..rng.range(2, 4) {
            let t = rng.pick(&p.appendix_lines).clone();
            doc.paras.push(Para {
                label: String::new(),
                kind: None,
                text: t,
                open: false,
            });
        }
    }
}

fn gen_register(rng: &mut Rng, p: &Pools, unit: &str) -> (String, Option<String>) {
    let base = rng.pick(&p.registers);
    let family: Vec<&SeedRegister> = p
        .registers
        .iter()
        .filter(|r| r.columns == base.columns)
        .collect();
    let filled_by = *rng.pick(NAMES);
    let mut y = String::new();
    y.push_str("risk_register:\n");
    let _ = writeln!(y, "  unit: {}", yaml_str(unit));
    let _ = writeln!(y, "  filled_by_label: {}", yaml_str(&base.filled_by_label));
    let _ = writeln!(y, "  filled_by: {}", yaml_str(filled_by));
    let _ = writeln!(
        y,
        "  date: {}",
        yaml_str(&format!(
            "20{}年{}月{}日",
            rng.range(18, 24),
            rng.range(1, 12),
            rng.range(1, 28)
        ))
    );
    y.push_str(&base.head);
    y.push_str("  rows:\n");
    for _ in 0..rng.range(1, 3) {
        let mut first = true;
        for col in &base.columns {
            let src = rng.pick(&family);
            let row = rng.pick(&src.rows);
            let mut items: Vec<String> = row.get(col).cloned().unwrap_or_default();
            if items.is_empty() {
                continue;
            }
            // Numbered items (1．…) are shuffled and renumbered.
            let numbered = items
                .iter()
                .all(|i| matches!(detect(i), Some((Kind::Sub, _))));
            if numbered && items.len() > 1 {
                let mut bare: Vec<String> = items
                    .iter()
                    .map(|i| detect(i).map_or(i.as_str(), |(_, r)| r).to_string())
                    .collect();
                rng.shuffle(&mut bare);
                let n = bare.len();
                items = bare
                    .into_iter()
                    .enumerate()
                    .map(|(k, t)| {
                        let t = t.trim_end_matches(['。', '；']);
                        format!("{}．{t}{}", k + 1, if k + 1 == n { "。" } else { "；" })
                    })
                    .collect();
            }
            let _ = writeln!(y, "{}{col}:", if first { "    - " } else { "      " });
            first = false;
            for i in items {
                let _ = writeln!(y, "        - {}", yaml_str(&i));
            }
        }
    }
    let subtitle = (base.filled_by_label == "填报人" && rng.chance(0.5))
        .then(|| format!("填报人：{filled_by}"));
    (y, subtitle)
}

fn yaml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Append a sentence to a random open paragraph (one that ends with 。), before its final 。's successor.
fn append_sentence(doc: &mut Doc, rng: &mut Rng, sentence: &str) -> bool {
    let open: Vec<usize> = doc
        .paras
        .iter()
        .enumerate()
        .filter(|(_, p)| p.open)
        .map(|(i, _)| i)
        .collect();
    if open.is_empty() {
        return false;
    }
    let i = *rng.pick(&open);
    doc.paras[i].text.push_str(sentence);
    true
}

#[derive(Default)]
struct Stats {
    refs: [usize; 5],
    roles: usize,
    procedures: usize,
    registers: usize,
    chapters: usize,
    appendices: usize,
    // Irregular numbering (warnings under the current rules).
    gaps: usize,
    repeats: usize,
    displaced: usize,
    item_gaps: usize,
    shuffled: usize,
    very_long: usize,
    // 《…》 that match no regulation but build (no diagnostic under the current rules).
    laws: usize,
    dropped_number: usize,
    short_typo: usize,
    /// Candidates of the two shapes above left out because the current rules would call them errors.
    rejected: usize,
    // --error-shapes (errors under the current rules).
    err_title_typo: usize,
    err_short_name: usize,
    err_bare_article: usize,
    err_law_article: usize,
    /// 《law》第N条 where the citing regulation has a 第N条: rulebook links it there, silently.
    law_article_mislinked: usize,
    err_title_article: usize,
}

/// Outside documents a regulation of the office cites (none of them is in the handbook).
const LAWS: &[&str] = &[
    "中华人民共和国刑法",
    "中华人民共和国保守国家秘密法",
    "中华人民共和国保守国家秘密法实施条例",
    "中华人民共和国公务员法",
    "中华人民共和国档案法",
    "中华人民共和国预算法",
    "中华人民共和国会计法",
    "中华人民共和国政府采购法",
    "中华人民共和国网络安全法",
    "中华人民共和国监察法",
    "中国共产党纪律处分条例",
    "中国共产党党内监督条例",
    "中国共产党问责条例",
    "中国共产党廉洁自律准则",
    "中国共产党支部工作条例（试行）",
    "党政机关厉行节约反对浪费条例",
    "党政机关国内公务接待管理规定",
    "党政机关公文处理工作条例",
    "行政事业单位内部控制规范（试行）",
    "机关事业单位工作人员带薪年休假实施办法",
    "党政领导干部选拔任用工作条例",
    "事业单位国有资产管理暂行办法",
    "国家秘密定密管理暂行规定",
    "中央和国家机关会议费管理办法",
];

/// Characters a typist puts in the place of another in a title.
const TYPO_CHARS: &str = "管理规定办法制度细则工作实施保密财务公务会议";

/// What makes a 《name》 a form or a document, as the analysis reads it.
use rulebook::structure::references::{DOC_SUFFIXES, FORM_SUFFIXES};

/// What rulebook's reference index knows about titles, to tell how it treats a 《name》: mirrors
/// `Index::new`, `is_form` and `looks_internal` in src/structure/references/index.rs (a 《name》 that matches
/// no title or alias is an error when it begins with `short_name` or is at least 0.8 similar
/// (normalised Levenshtein) to a title or alias; otherwise a form or an outside document).
struct Names {
    short_name: Option<String>,
    /// Names that resolve: titles, aliases, titles without the short name.
    exact: HashSet<String>,
    /// Titles and aliases, with their characters sorted (for a cheap lower bound on the distance).
    all: Vec<(String, Vec<char>)>,
}

impl Names {
    fn new(short_name: Option<String>, titles_and_aliases: &[(String, bool)]) -> Names {
        let mut exact = HashSet::new();
        let mut all = Vec::new();
        for (t, is_title) in titles_and_aliases {
            let t: String = t
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
                .collect();
            if *is_title
                && let Some(s) = short_name.as_deref()
                && let Some(rest) = t.strip_prefix(s)
                && rest.chars().count() >= 2
            {
                exact.insert(rest.to_string());
            }
            exact.insert(t.clone());
            let mut sorted: Vec<char> = t.chars().collect();
            sorted.sort_unstable();
            all.push((t, sorted));
        }
        Names {
            short_name,
            exact,
            all,
        }
    }

    fn resolves(&self, name: &str) -> bool {
        self.exact.contains(name)
    }

    fn is_form(name: &str) -> bool {
        !DOC_SUFFIXES.iter().any(|s| name.ends_with(s))
            && FORM_SUFFIXES.iter().any(|s| name.ends_with(s))
    }

    /// Whether rulebook reports 《name》 as matching no regulation (an error under the current rules).
    fn is_error(&self, name: &str) -> bool {
        if self.resolves(name) || Names::is_form(name) {
            return false;
        }
        if self
            .short_name
            .as_deref()
            .is_some_and(|s| name.starts_with(s))
        {
            return true;
        }
        let mut sorted: Vec<char> = name.chars().collect();
        sorted.sort_unstable();
        self.all.iter().any(|(t, ts)| {
            let m = sorted.len().max(ts.len()) as f64;
            // The Levenshtein distance is at least the bag distance; skip when that is too far.
            bag_distance(&sorted, ts) as f64 <= 0.2 * m
                && strsim::normalized_levenshtein(name, t) >= 0.8
        })
    }
}

/// max(|a − b|, |b − a|) of two sorted multisets of characters.
fn bag_distance(a: &[char], b: &[char]) -> usize {
    let (mut i, mut j, mut only_a, mut only_b) = (0, 0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => {
                only_a += 1;
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                only_b += 1;
                j += 1;
            }
        }
    }
    (only_a + a.len() - i).max(only_b + b.len() - j)
}

/// `name` with one character (among the first `within`) replaced by a different one.
fn typo(rng: &mut Rng, name: &str, within: usize) -> Option<String> {
    let chars: Vec<char> = name.chars().collect();
    let within = within.min(chars.len());
    if within == 0 {
        return None;
    }
    let pos = rng.below(within);
    let pool: Vec<char> = TYPO_CHARS.chars().filter(|&c| c != chars[pos]).collect();
    let mut out = chars.clone();
    out[pos] = *rng.pick(&pool);
    Some(out.into_iter().collect())
}

fn add_references(docs: &mut [Doc], first_generated: usize, seed: u64, stats: &mut Stats) {
    let n = docs.len();
    let generated = n - first_generated;
    if generated == 0 {
        return;
    }
    // What each document offers as a target: its title and the articles a reference can name.
    let targets: Vec<(String, Vec<Article>)> = docs
        .iter()
        .map(|d| (d.title.clone(), d.citable_articles()))
        .collect();
    for i in first_generated..n {
        let mut rng = Rng::new(seed ^ 0xC0FF_EE00 ^ (i as u64).wrapping_mul(0x9E37_79B9));
        let pick_other = |rng: &mut Rng, need_articles: bool| -> Option<usize> {
            for _ in 0..20 {
                let j = first_generated + rng.below(generated);
                if j != i && (!need_articles || !targets[j].1.is_empty()) {
                    return Some(j);
                }
            }
            None
        };
        let with_items = |j: usize| -> Vec<&Article> {
            targets[j]
                .1
                .iter()
                .filter(|a| !a.items.is_empty())
                .collect()
        };
        for _ in 0..rng.range(1, 4) {
            let kind = rng.below(5);
            let own = &targets[i].1;
            let sentence = match kind {
                0 => pick_other(&mut rng, false).map(|j| {
                    let t = &targets[j].0;
                    if rng.chance(0.5) {
                        format!("参照《{t}》执行。")
                    } else {
                        format!("有关要求按照《{t}》办理。")
                    }
                }),
                1 => pick_other(&mut rng, true).map(|j| {
                    let a = rng.pick(&targets[j].1).number;
                    format!(
                        "具体按照《{}》第{}条的规定执行。",
                        targets[j].0,
                        to_chinese(a as usize)
                    )
                }),
                2 if !own.is_empty() => {
                    let a = rng.pick(own).number;
                    Some(format!(
                        "违反{}第{}条规定的，按照有关规定处理。",
                        docs[i].selfword,
                        to_chinese(a as usize)
                    ))
                }
                3 => {
                    let w = with_items(i);
                    (!w.is_empty()).then(|| {
                        let a = *rng.pick(&w);
                        let y = *rng.pick(&a.items);
                        format!(
                            "属于第{}条第（{}）项情形的，从其规定。",
                            to_chinese(a.number as usize),
                            to_chinese(y as usize)
                        )
                    })
                }
                4 => pick_other(&mut rng, true).and_then(|j| {
                    let w = with_items(j);
                    if w.is_empty() {
                        return None;
                    }
                    let a = *rng.pick(&w);
                    let y = *rng.pick(&a.items);
                    Some(format!(
                        "另见《{}》第{}条第（{}）项。",
                        targets[j].0,
                        to_chinese(a.number as usize),
                        to_chinese(y as usize)
                    ))
                }),
                _ => None,
            };
            if let Some(s) = sentence
                && append_sentence(&mut docs[i], &mut rng, &s)
            {
                stats.refs[kind] += 1;
            }
        }
    }
}

/// Which irregular references to write.
#[derive(Debug, Clone, Copy)]
struct Shapes {
    /// Those that build under the current rules: outside laws, near-misses rulebook takes for outside
    /// documents.
    building: bool,
    /// Those that are errors under the current rules.
    errors: bool,
}

/// 《…》 that match nothing, and clause numbers that do not exist: what real rulebooks cite.
fn add_irregular_references(
    docs: &mut [Doc],
    first_generated: usize,
    seed: u64,
    shapes: Shapes,
    names: &Names,
    stats: &mut Stats,
) {
    let n = docs.len();
    if n == first_generated || !(shapes.building || shapes.errors) {
        return;
    }
    // Generated regulations (not registers), and the seed's titles without the short name.
    let generated: Vec<usize> = (first_generated..n)
        .filter(|&j| docs[j].register.is_none())
        .collect();
    let short_titles: Vec<String> = docs[..first_generated]
        .iter()
        .filter_map(|d| {
            let s = names.short_name.as_deref()?;
            d.title
                .strip_prefix(s)
                .filter(|r| r.chars().count() >= 4)
                .map(|r| r.to_string())
        })
        .collect();
    let clause_exists = |d: &Doc, k: u32| {
        let prefix = if d.articles.is_empty() { "sec" } else { "art" };
        d.anchors.iter().any(|a| *a == format!("{prefix}{k}"))
    };
    let missing_number = |rng: &mut Rng, d: &Doc| -> Option<u32> {
        if d.articles.is_empty() {
            return None;
        }
        let max = d.articles.iter().map(|a| a.number).max().unwrap_or(0);
        let gaps: Vec<u32> = (1..max)
            .filter(|&k| !d.articles.iter().any(|a| a.number == k))
            .collect();
        Some(if !gaps.is_empty() && rng.chance(0.5) {
            *rng.pick(&gaps)
        } else {
            max + rng.range(1, 10) as u32
        })
    };
    for i in first_generated..n {
        if docs[i].register.is_some() {
            continue;
        }
        let mut rng = Rng::new(seed ^ 0x0DD_5EED ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A));
        let mut sentences: Vec<(String, &'static str)> = Vec::new();
        if shapes.building {
            if rng.chance(0.15) {
                let law = *rng.pick(LAWS);
                if names.is_error(law) {
                    stats.rejected += 1;
                } else {
                    let s = match rng.below(3) {
                        0 => format!("依照《{law}》有关规定处理。"),
                        1 => format!("根据《{law}》，结合工作实际执行。"),
                        _ => format!("本条未尽事宜，按照《{law}》执行。"),
                    };
                    sentences.push((s, "laws"));
                }
            }
            if rng.chance(0.05) && !generated.is_empty() {
                // The title as people write it: without its document number.
                let j = *rng.pick(&generated);
                let name = docs[j].title.split('（').next().unwrap_or("").to_string();
                if j == i || name.chars().count() < 4 || names.resolves(&name) {
                    // Nothing to miss.
                } else if names.is_error(&name) {
                    stats.rejected += 1;
                } else {
                    sentences.push((format!("按照《{name}》的要求执行。"), "dropped_number"));
                }
            }
            if rng.chance(0.02) && !short_titles.is_empty() {
                // One character wrong in the short form of a bundled title (《财务管理治度》).
                let t = rng.pick(&short_titles).clone();
                if let Some(name) = typo(&mut rng, &t, t.chars().count())
                    && !names.resolves(&name)
                {
                    if names.is_error(&name) {
                        stats.rejected += 1;
                    } else {
                        sentences.push((format!("参照《{name}》执行。"), "short_typo"));
                    }
                }
            }
        }
        if shapes.errors {
            if rng.chance(0.04) {
                // One character wrong in a full title.
                let t = docs[rng.below(n)].title.clone();
                let core = t.split('（').next().unwrap_or(&t).chars().count();
                if let Some(name) = typo(&mut rng, &t, core)
                    && names.is_error(&name)
                {
                    sentences.push((format!("参照《{name}》执行。"), "err_title_typo"));
                }
            }
            if rng.chance(0.02)
                && let Some(s) = names.short_name.clone()
            {
                let name = format!(
                    "{s}{}补充规定",
                    docs[i].title.split('（').next().unwrap_or("")
                );
                if names.is_error(&name) {
                    sentences.push((format!("另按《{name}》执行。"), "err_short_name"));
                }
            }
            if rng.chance(0.04)
                && let Some(k) = missing_number(&mut rng, &docs[i])
            {
                sentences.push((
                    format!("依照第{}条的规定办理。", to_chinese(k as usize)),
                    "err_bare_article",
                ));
            }
            if rng.chance(0.04) {
                let law = *rng.pick(LAWS);
                let k = rng.range(1, 60) as u32;
                let which = if clause_exists(&docs[i], k) {
                    "law_article_mislinked"
                } else {
                    "err_law_article"
                };
                sentences.push((
                    format!("依照《{law}》第{}条的规定处理。", to_chinese(k as usize)),
                    which,
                ));
            }
            if rng.chance(0.03) && !generated.is_empty() {
                let j = *rng.pick(&generated);
                if j != i
                    && let Some(k) = missing_number(&mut rng, &docs[j])
                {
                    let t = docs[j].title.clone();
                    sentences.push((
                        format!("按照《{t}》第{}条的规定执行。", to_chinese(k as usize)),
                        "err_title_article",
                    ));
                }
            }
        }
        for (s, what) in sentences {
            if append_sentence(&mut docs[i], &mut rng, &s) {
                *match what {
                    "laws" => &mut stats.laws,
                    "dropped_number" => &mut stats.dropped_number,
                    "short_typo" => &mut stats.short_typo,
                    "err_title_typo" => &mut stats.err_title_typo,
                    "err_short_name" => &mut stats.err_short_name,
                    "err_bare_article" => &mut stats.err_bare_article,
                    "law_article_mislinked" => &mut stats.law_article_mislinked,
                    "err_law_article" => &mut stats.err_law_article,
                    _ => &mut stats.err_title_article,
                } += 1;
            }
        }
    }
}

fn add_roles(doc: &mut Doc, rng: &mut Rng, p: &Pools, stats: &mut Stats) {
    if p.role_mentions.is_empty() {
        return;
    }
    for _ in 0..rng.range(0, 3) {
        let role = rng.pick(&p.role_mentions);
        let s = match rng.below(3) {
            0 => format!("由{role}负责监督落实。"),
            1 => format!("重要事项报{role}审定。"),
            _ => format!("{role}应当及时督促检查。"),
        };
        if append_sentence(doc, rng, &s) {
            stats.roles += 1;
        }
    }
}

fn render_doc(doc: &Doc) -> String {
    let mut s = String::with_capacity(4096);
    s.push_str("---\n");
    let _ = writeln!(s, "title: {}", yaml_str(&doc.title));
    let _ = writeln!(s, "id: {}", doc.id);
    let _ = writeln!(s, "order: {}", doc.order);
    let _ = writeln!(s, "status: {}", doc.status);
    if let Some(sub) = &doc.subtitle {
        let _ = writeln!(s, "subtitle: {}", yaml_str(sub));
    }
    if let Some(d) = &doc.issued {
        let _ = writeln!(s, "issued: {}", yaml_str(d));
    }
    if let Some(a) = &doc.alias {
        let _ = writeln!(s, "aliases:\n  - {}", yaml_str(a));
    }
    if let Some(r) = &doc.register {
        s.push_str(r);
    }
    s.push_str("---\n\n");
    for p in &doc.paras {
        match p.kind {
            Some(Kind::Article | Kind::Chapter) => {
                s.push_str(&p.label);
                s.push('\u{3000}');
            }
            _ => s.push_str(&p.label),
        }
        if p.label == "附件" {
            s.push_str("\n\n");
            continue;
        }
        s.push_str(&p.text);
        s.push_str("\n\n");
    }
    s
}

fn render_procedure(
    id: &str,
    title: &str,
    reg: &str,
    clause: Option<&str>,
    order: usize,
    steps: &[(
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    )],
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Generated by examples/gen_corpus.rs");
    let _ = writeln!(s, "id: {id}");
    let _ = writeln!(s, "title: {}", yaml_str(title));
    let _ = writeln!(s, "regulation: {reg}");
    if let Some(c) = clause {
        let _ = writeln!(s, "clause: {}", yaml_str(c));
    }
    let _ = writeln!(s, "order: {order}");
    s.push_str("steps:\n");
    for (k, (text, role, clause, note, branch)) in steps.iter().enumerate() {
        let _ = writeln!(s, "  - number: {}", k + 1);
        let _ = writeln!(s, "    text: {}", yaml_str(text));
        if let Some(r) = role {
            let _ = writeln!(s, "    role: {}", yaml_str(r));
        }
        if let Some(c) = clause {
            let _ = writeln!(s, "    clause: {}", yaml_str(c));
        }
        if let Some(n) = note {
            let _ = writeln!(s, "    note: {}", yaml_str(n));
        }
        if let Some(b) = branch {
            let _ = writeln!(s, "    branch: {}", yaml_str(b));
        }
    }
    s
}

// ---------------------------------------------------------------------------------------------------
// main

struct Args {
    docs: usize,
    out: PathBuf,
    seed_content: PathBuf,
    seed: u64,
    /// No irregularities: numbering 1, 2, 3 … everywhere, every 《…》 a title of the corpus.
    clean: bool,
    /// Also the shapes the current rules report as errors (the corpus then does not build).
    error_shapes: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut docs = None;
    let mut out = None;
    let mut seed_content = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut seed = 42u64;
    let mut clean = false;
    let mut error_shapes = false;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--docs" => docs = Some(val("--docs")?.parse().map_err(|e| format!("--docs: {e}"))?),
            "--out" => out = Some(PathBuf::from(val("--out")?)),
            "--seed-content" => seed_content = PathBuf::from(val("--seed-content")?),
            "--seed" => seed = val("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--clean" => clean = true,
            "--error-shapes" => error_shapes = true,
            "-h" | "--help" => {
                println!(
                    "usage: gen_corpus --docs N --out DIR [--seed-content content] [--seed 42] [--clean | --error-shapes]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument `{other}` (see --help)")),
        }
    }
    Ok(Args {
        docs: docs.ok_or("--docs N is required")?,
        out: out.ok_or("--out DIR is required")?,
        seed_content,
        seed,
        clean,
        error_shapes,
    })
}

const MARKER: &str = ".gen_corpus";

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(p) = path.parent() {
        fs::create_dir_all(p).map_err(|e| format!("cannot create {}: {e}", p.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let start = std::time::Instant::now();
    let (seed_docs, pools) = load_seed(&args.seed_content)?;

    // Never delete anything we did not generate.
    let content = args.out.join("content");
    if content.exists() {
        let ours = args.out.join(MARKER).is_file();
        let empty = fs::read_dir(&content)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !ours && !empty {
            return Err(format!(
                "{} exists and was not written by gen_corpus; choose a new folder",
                content.display()
            ));
        }
        fs::remove_dir_all(&content)
            .map_err(|e| format!("cannot remove {}: {e}", content.display()))?;
    }
    fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    write(
        &args.out.join(MARKER),
        &format!(
            "generated by examples/gen_corpus.rs --docs {} --seed {}{}\n",
            args.docs,
            args.seed,
            if args.clean {
                " --clean"
            } else if args.error_shapes {
                " --error-shapes"
            } else {
                ""
            }
        ),
    )?;

    // Categories: the seed's (in the order of its site.yaml), then extra ones, 8-40 in all.
    let seed_site = fs::read_to_string(args.seed_content.join("site.yaml")).unwrap_or_default();
    let mut categories: Vec<(String, String)> = Vec::new();
    {
        let mut id: Option<String> = None;
        for l in seed_site.lines() {
            let t = l.trim_start().trim_start_matches("- ");
            if let Some(v) = t.strip_prefix("id:") {
                id = Some(unquote(v));
            } else if let (Some(v), Some(i)) = (t.strip_prefix("title:"), id.take()) {
                categories.push((i, unquote(v)));
            }
        }
    }
    for d in &seed_docs {
        if !categories.iter().any(|(c, _)| *c == d.category) {
            categories.push((d.category.clone(), d.category.clone()));
        }
    }
    let wanted = (args.docs / 25).clamp(categories.len().clamp(8, 40), 40);
    for (id, title) in EXTRA_CATEGORIES {
        if categories.len() >= wanted {
            break;
        }
        categories.push((id.to_string(), title.to_string()));
    }

    // The seed's own regulations come first (as many as fit).
    let keep_seed = seed_docs.len().min(args.docs);
    let kept: HashSet<&str> = seed_docs[..keep_seed]
        .iter()
        .map(|d| d.id.as_str())
        .collect();
    for d in &seed_docs[..keep_seed] {
        write(&content.join(&d.rel), &d.text)?;
    }

    let mut stats = Stats::default();
    let mut docs: Vec<Doc> = Vec::with_capacity(args.docs);
    // Placeholders for the seed documents: they are not rewritten, but they take index positions.
    for d in &seed_docs[..keep_seed] {
        docs.push(Doc {
            id: d.id.clone(),
            category: d.category.clone(),
            title: d.title.clone(),
            selfword: String::new(),
            order: 0,
            paras: Vec::new(),
            anchors: Vec::new(),
            top_anchors: Vec::new(),
            articles: Vec::new(),
            register: None,
            subtitle: None,
            status: "现行",
            issued: None,
            alias: None,
        });
    }
    for i in keep_seed..args.docs {
        let mut rng = Rng::new(args.seed.wrapping_mul(0x1000_0000_01B3) ^ i as u64);
        let (category, _) = rng.pick(&categories).clone();
        let dept = *rng.pick(DEPARTMENTS);
        let id = format!("{category}-{i:05}");
        let is_register = !pools.registers.is_empty() && rng.chance(0.06);
        let (title, selfword, register, subtitle) = if is_register {
            let (r, sub) = gen_register(&mut rng, &pools, &format!("市委保密办{dept}"));
            let kind = if sub.is_some() {
                "“一岗双责”廉政风险排查登记表"
            } else {
                "廉政风险排查登记表"
            };
            (
                format!("{dept}{kind}（第{}号）", i),
                String::new(),
                Some(r),
                sub,
            )
        } else {
            let core = rng.pick(&pools.title_cores).clone();
            let genre = *rng.pick(GENRES);
            let stem = ["制度", "办法", "规定", "清单", "细则", "规则"]
                .iter()
                .find_map(|g| core.strip_suffix(g))
                .map(str::to_string);
            let (core, word) = match stem {
                Some(s) if rng.chance(0.7) => (format!("{s}{genre}"), genre),
                Some(_) | None => {
                    let w = ["制度", "办法", "规定", "清单", "细则", "规则"]
                        .iter()
                        .find(|g| core.ends_with(**g))
                        .copied()
                        .unwrap_or("规定");
                    (core.clone(), w)
                }
            };
            let word = if word == "实施细则" {
                "细则"
            } else {
                word
            };
            (
                format!("{dept}{core}（第{}号）", i),
                format!("本{word}"),
                None,
                None,
            )
        };
        let mut doc = Doc {
            alias: (!is_register && rng.chance(0.15))
                .then(|| format!("{}第{}号", title.split('（').next().unwrap_or(&title), i)),
            id,
            category,
            title,
            selfword,
            order: 100 + i,
            paras: Vec::new(),
            anchors: Vec::new(),
            top_anchors: Vec::new(),
            articles: Vec::new(),
            register,
            subtitle,
            status: if rng.chance(0.85) { "现行" } else { "试行" },
            issued: rng.chance(0.6).then(|| {
                format!(
                    "20{}年{}月{}日",
                    rng.range(15, 24),
                    rng.range(1, 12),
                    rng.range(1, 28)
                )
            }),
        };
        if is_register {
            stats.registers += 1;
        } else {
            let mess = if args.clean {
                Mess::default()
            } else {
                Mess::draw(&mut Rng::new(
                    args.seed ^ 0x3E55_0000 ^ (i as u64).wrapping_mul(0x2545_F491_4F6C),
                ))
            };
            gen_body(&mut doc, &mut rng, &pools, &mess, &mut stats);
            stats.chapters += doc
                .paras
                .iter()
                .filter(|p| p.kind == Some(Kind::Chapter))
                .count();
            stats.appendices += usize::from(doc.anchors.iter().any(|a| a == "appendix"));
            add_roles(&mut doc, &mut rng, &pools, &mut stats);
        }
        docs.push(doc);
    }
    add_references(&mut docs, keep_seed, args.seed, &mut stats);
    let short_name = seed_site
        .lines()
        .find_map(|l| l.strip_prefix("short_name:").map(unquote))
        .filter(|s| !s.is_empty());
    let mut all_names: Vec<(String, bool)> = Vec::new();
    for d in &seed_docs[..keep_seed] {
        all_names.push((d.title.clone(), true));
        all_names.extend(d.aliases.iter().map(|a| (a.clone(), false)));
    }
    for d in &docs[keep_seed..] {
        all_names.push((d.title.clone(), true));
        all_names.extend(d.alias.iter().map(|a| (a.clone(), false)));
    }
    let names = Names::new(short_name, &all_names);
    add_irregular_references(
        &mut docs,
        keep_seed,
        args.seed,
        Shapes {
            building: !args.clean,
            errors: args.error_shapes,
        },
        &names,
        &mut stats,
    );

    let mut bytes = 0usize;
    for d in &docs[keep_seed..] {
        let text = render_doc(d);
        bytes += text.len();
        write(
            &content.join(&d.category).join(format!("{}.md", d.id)),
            &text,
        )?;
    }

    // Procedures: the seed's (for the seed regulations kept), then generated ones.
    if let Ok(rd) = fs::read_dir(args.seed_content.join("procedures")) {
        let mut files: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files {
            let Ok(text) = fs::read_to_string(&f) else {
                continue;
            };
            let reg = text
                .lines()
                .find_map(|l| l.strip_prefix("regulation:").map(unquote))
                .unwrap_or_default();
            let cross_ok = text
                .lines()
                .filter_map(|l| l.trim_start().strip_prefix("clause:").map(unquote))
                .filter_map(|c| c.split_once('#').map(|(r, _)| r.to_string()))
                .all(|r| kept.contains(r.as_str()));
            if kept.contains(reg.as_str()) && cross_ok {
                write(
                    &content.join("procedures").join(f.file_name().unwrap()),
                    &text,
                )?;
            }
        }
    }
    let citable: Vec<Vec<Article>> = docs.iter().map(Doc::citable_articles).collect();
    let with_articles: Vec<usize> = (keep_seed..docs.len())
        .filter(|&j| !citable[j].is_empty())
        .collect();
    for i in keep_seed..docs.len() {
        let mut rng = Rng::new(args.seed ^ 0x0BAD_5EED ^ (i as u64).wrapping_mul(0x2545_F491));
        let d = &docs[i];
        if d.anchors.len() < 2 || !rng.chance(0.08) {
            continue;
        }
        for k in 1..=rng.range(1, 2) {
            let n = rng.range(3, 9);
            let branched = n >= 5 && rng.chance(0.15);
            let (b1, b2) = (
                rng.pick(&pools.branches).clone(),
                rng.pick(&pools.branches).clone(),
            );
            let split = rng.range(2, n - 1);
            let steps: Vec<_> = (0..n)
                .map(|s| {
                    let text = rng.pick(&pools.step_texts).clone();
                    let role = (!pools.role_names.is_empty() && rng.chance(0.6))
                        .then(|| rng.pick(&pools.role_names).clone());
                    let clause = if rng.chance(0.05) && !with_articles.is_empty() {
                        let j = *rng.pick(&with_articles);
                        Some(format!(
                            "{}#art{}",
                            docs[j].id,
                            rng.pick(&citable[j]).number
                        ))
                    } else if rng.chance(0.7) {
                        Some(rng.pick(&d.anchors).clone())
                    } else {
                        // Every step cites a clause (a procedure file's rule); the draw above is
                        // kept so the rest of the corpus stays as it was.
                        Some(d.anchors[0].clone())
                    };
                    let note = rng.chance(0.1).then(|| rng.pick(&pools.step_notes).clone());
                    let branch = (branched && s >= 1)
                        .then(|| if s < split { b1.clone() } else { b2.clone() });
                    (text, role, clause, note, branch)
                })
                .collect();
            let top = (!d.top_anchors.is_empty() && rng.chance(0.8))
                .then(|| rng.pick(&d.top_anchors).clone());
            let pid = format!("{}-liucheng-{k}", d.id);
            let short = d.title.split('（').next().unwrap_or(&d.title);
            let title = format!("{short}办理流程（{k}）");
            let text = render_procedure(&pid, &title, &d.id, top.as_deref(), k, &steps);
            write(
                &content.join("procedures").join(format!("{pid}.yaml")),
                &text,
            )?;
            stats.procedures += 1;
        }
    }

    // roles.yaml, terms.yaml (citations of seed regulations left out are dropped), site.yaml.
    if let Ok(t) = fs::read_to_string(args.seed_content.join("roles.yaml")) {
        write(&content.join("roles.yaml"), &t)?;
    }
    if let Ok(t) = fs::read_to_string(args.seed_content.join("terms.yaml")) {
        let mut out = String::new();
        let mut drop_clause = false;
        for l in t.lines() {
            let tl = l.trim_start();
            if tl.starts_with("- term:") {
                drop_clause = false;
            }
            if let Some(v) = tl.strip_prefix("source:")
                && !kept.contains(unquote(v).as_str())
            {
                drop_clause = true;
                continue;
            }
            if drop_clause && tl.starts_with("clause:") {
                continue;
            }
            out.push_str(l);
            out.push('\n');
        }
        write(&content.join("terms.yaml"), &out)?;
    }
    let mut site =
        String::from("# Generated by examples/gen_corpus.rs from the bundled site.yaml.\n");
    let mut in_categories = false;
    for l in seed_site.lines() {
        if l.starts_with("categories:") {
            in_categories = true;
            continue;
        }
        if in_categories
            && (l.starts_with(' ')
                || l.starts_with('-')
                || l.starts_with('#')
                || l.trim().is_empty())
        {
            continue;
        }
        in_categories = false;
        site.push_str(l);
        site.push('\n');
    }
    site.push_str("categories:\n");
    for (id, title) in &categories {
        let _ = writeln!(site, "  - id: {id}\n    title: {}", yaml_str(title));
    }
    write(&content.join("site.yaml"), &site)?;

    let used: HashSet<&str> = docs.iter().map(|d| d.category.as_str()).collect();
    println!(
        "gen_corpus: {} regulations ({} bundled, {} generated, {:.1} MiB of Markdown) in {} categories, {} risk registers, {} procedures, \
         {} chapters, {} appendices; references: {} 《title》, {} 《title》第X条, {} 本…第X条, {} 第X条第（Y）项, {} 《title》第X条第（Y）项; {} role mentions; into {} in {:.2} s",
        docs.len(),
        keep_seed,
        docs.len() - keep_seed,
        bytes as f64 / (1024.0 * 1024.0),
        used.len(),
        stats.registers,
        stats.procedures,
        stats.chapters,
        stats.appendices,
        stats.refs[0],
        stats.refs[1],
        stats.refs[2],
        stats.refs[3],
        stats.refs[4],
        stats.roles,
        args.out.display(),
        start.elapsed().as_secs_f64()
    );
    // What the corpus contains beyond consistent numbering and resolvable titles, and how the current
    // rules treat it: `warning` (numbering notes), `none` (taken for an outside document or a form,
    // no diagnostic), `error` (the build fails).
    let shapes = serde_json::json!({
        "numbering": {
            "gap": {"documents": stats.gaps, "diagnostic": "warning"},
            "repeat": {"documents": stats.repeats, "diagnostic": "warning"},
            "displaced": {"documents": stats.displaced, "diagnostic": "warning"},
            "item_gap": {"documents": stats.item_gaps, "diagnostic": "warning"},
            "shuffled_plain_paragraphs": {"documents": stats.shuffled, "diagnostic": "none"},
            "very_long_150_300_articles": {"documents": stats.very_long, "diagnostic": "none"},
        },
        "references": {
            "outside_law": {"count": stats.laws, "example": "《中华人民共和国刑法》", "diagnostic": "none"},
            "title_without_number": {"count": stats.dropped_number, "example": "《办公室财务管理办法》 for 《办公室财务管理办法（第123号）》", "diagnostic": "none"},
            "short_title_typo": {"count": stats.short_typo, "example": "《财务管理治度》 for 《财务管理制度》", "diagnostic": "none"},
            "left_out_as_errors": stats.rejected,
        },
        "error_shapes": {
            "title_typo": {"count": stats.err_title_typo, "example": "《办公室财务管理办发（第123号）》", "diagnostic": "error"},
            "short_name_unknown": {"count": stats.err_short_name, "example": "《市委保密办…补充规定》", "diagnostic": "error"},
            "bare_article_missing": {"count": stats.err_bare_article, "example": "依照第九十九条的规定办理", "diagnostic": "error"},
            "law_article": {"count": stats.err_law_article, "example": "《中华人民共和国刑法》第二十条 (resolved in the citing regulation)", "diagnostic": "error"},
            "law_article_mislinked": {"count": stats.law_article_mislinked, "example": "《中华人民共和国刑法》第三条 linked to the citing regulation's own 第三条", "diagnostic": "none"},
            "title_article_missing": {"count": stats.err_title_article, "example": "《…（第123号）》第九十九条", "diagnostic": "error"},
        },
        "clean": args.clean,
        "error_shapes_on": args.error_shapes,
    });
    println!(
        "gen_corpus: irregular: numbering gap in {}, repeat in {}, displaced clauses in {}, item gap in {}, shuffled paragraphs in {}, {} very long; \
         《…》 matching nothing: {} outside laws, {} titles without their number, {} short titles with a typo ({} left out: errors today){}",
        stats.gaps,
        stats.repeats,
        stats.displaced,
        stats.item_gaps,
        stats.shuffled,
        stats.very_long,
        stats.laws,
        stats.dropped_number,
        stats.short_typo,
        stats.rejected,
        if args.error_shapes {
            format!(
                "; error shapes: {} title typos, {} unknown 《short_name…》, {} bare 第N条 missing, {} 《law》第N条 ({} more linked to the citing regulation's own clause), {} 《title》第N条 missing",
                stats.err_title_typo,
                stats.err_short_name,
                stats.err_bare_article,
                stats.err_law_article,
                stats.law_article_mislinked,
                stats.err_title_article
            )
        } else {
            String::new()
        }
    );
    write(
        &args.out.join("gen_corpus.json"),
        &serde_json::to_string_pretty(&shapes).unwrap_or_default(),
    )?;
    Ok(())
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
