//! Article references: 第N条[第（M）项][第K款] parsed, and resolved to a clause anchor of a
//! regulation.

use crate::model::{ClauseKind, Regulation};
use crate::structure::numerals;

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

/// Parse `第N条[第（M）项][第K款]` at the start of `s`: (article, item, para, bytes used).
pub(super) fn parse_article_ref(s: &str) -> Option<(u32, Option<u32>, Option<u32>, usize)> {
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
