//! Article references: 第N条[第（M）项][第K款] parsed, and resolved to a clause anchor of a
//! regulation.

use crate::model::{ClauseKind, Regulation};
use crate::structure::numerals;

/// A citation of an article as written: 第N条[之M][第K款][第（I）项].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleRef {
    pub article: u32,
    /// 之M (第一百三十三条之一: 1), 0 when there is none.
    pub suffix: u32,
    pub para: Option<u32>,
    pub item: Option<u32>,
    /// Bytes of the text the citation takes.
    pub used: usize,
}

/// Resolve 第N条[之M][第K款][第（I）项] inside `reg`: the anchor of that article, paragraph or
/// item. In a regulation numbered 一、二、 (no 条), 第五条 means its 五、. An item is looked up
/// in the 款 named (the first when none is): 第四条第二款第（二）项 is `art4-para2-item2` when
/// the article's second 款 has a list of its own, `art4-item2` when that is the article's only list.
pub fn article_anchor(reg: &Regulation, r: &ArticleRef) -> Option<String> {
    let has_articles = reg.clauses.iter().any(|c| c.kind == ClauseKind::Article);
    let mut base = if has_articles {
        format!("art{}", r.article)
    } else {
        format!("sec{}", r.article)
    };
    if r.suffix > 0 {
        base = format!("{base}-{}", r.suffix);
    }
    let at = reg.clause_index(&base)?;
    if let Some(m) = r.item {
        // The items of the article in the 款 cited (the first if none is).
        return item_anchor(reg, at, r.para, m);
    }
    if let Some(k) = r.para
        && k > 1
    {
        if !has_para(reg, &base, k) {
            return None;
        }
        return Some(format!("{base}-para{k}"));
    }
    Some(base)
}

/// The anchor of item `m` in 款 `k` of the article at `article` (its clauses follow it); with no
/// 款 named, in the article's first list, whichever 款 it stands in (第三条第（一）项).
pub(super) fn item_anchor(
    reg: &Regulation,
    article: usize,
    k: Option<u32>,
    m: u32,
) -> Option<String> {
    let rank = ClauseKind::Article.rank();
    let mut items = reg.clauses[article + 1..]
        .iter()
        .take_while(|c| c.kind.rank() > rank)
        .filter(|c| c.parent == Some(article) && c.kind == ClauseKind::Item)
        .peekable();
    let k = match k {
        Some(k) => k,
        None => items.peek()?.para,
    };
    items
        .find(|c| c.number == m && (c.para == k || (c.para == 0 && k == 1)))
        .map(|c| c.anchor.clone())
}

pub(super) fn has_para(reg: &Regulation, anchor: &str, k: u32) -> bool {
    reg.clause(anchor).is_some_and(|c| k <= c.paras)
}

pub(super) const CN_NUM: &str = "零〇一二三四五六七八九十百千两";

pub(super) fn take_num(s: &str) -> (&str, &str) {
    let end = s
        .char_indices()
        .find(|&(_, c)| !(CN_NUM.contains(c) || c.is_ascii_digit()))
        .map_or(s.len(), |(i, _)| i);
    (&s[..end], &s[end..])
}

/// Parse `第N条[之M][第K款][第（I）项]` at the start of `s`.
pub fn parse_article_ref(s: &str) -> Option<ArticleRef> {
    let rest = s.strip_prefix('第')?;
    let (num, rest) = take_num(rest);
    let rest = rest.strip_prefix('条')?;
    let article = numerals::parse(num)?;
    let mut used = s.len() - rest.len();
    let mut item = None;
    let mut para = None;
    let mut suffix = 0;
    let mut rest = rest;
    // 之一: an article inserted after this one (not 之规定, 之日).
    if let Some(r) = rest.strip_prefix('之') {
        let (n, r2) = take_num(r);
        if let Some(k) = numerals::parse(n).filter(|_| !n.is_empty()) {
            suffix = k;
            used = s.len() - r2.len();
            rest = r2;
        }
    }
    if let Some(r) = rest.strip_prefix('第') {
        let (n, r2) = take_num(r);
        if let Some(r3) = r2.strip_prefix('款') {
            para = numerals::parse(n);
            used = s.len() - r3.len();
            rest = r3;
        }
    }
    if let Some((i, len)) = parse_item_ref(rest) {
        item = Some(i);
        used = s.len() - rest.len() + len;
    }
    Some(ArticleRef {
        article,
        suffix,
        para,
        item,
        used,
    })
}

/// Parse `第（I）项` (or `（I）项`) at the start of `s`: the item and the bytes it takes.
pub(super) fn parse_item_ref(s: &str) -> Option<(u32, usize)> {
    for (open, close) in [("第（", "）项"), ("第(", ")项"), ("（", "）项")] {
        if let Some(r) = s.strip_prefix(open) {
            let (n, r2) = take_num(r);
            if let Some(r3) = r2.strip_prefix(close) {
                return Some((numerals::parse(n)?, s.len() - r3.len()));
            }
        }
    }
    None
}
