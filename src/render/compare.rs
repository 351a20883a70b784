//! 新旧对照: two consecutive versions of a regulation kept as files, side by side
//! (`compare/<newer id>.html`) — and of a regulation's git history (`compare/<id>/<commit>.html`,
//! written with its 修订记录, `render::revisions`) — clauses paired by content (`model::versions::align`), so an inserted
//! article that renumbers the rest still lines the old 第五条 up with the new 第六条; the words that
//! changed marked as whole words — an amount with its unit, a number, a Latin word — so a raised
//! limit reads 3000元 → 5000元, not 3 → 5.

use rayon::prelude::*;
use serde_json::json;
use similar::{Algorithm, ChangeTag, capture_diff_slices};

use super::context::base_context;
use super::links::regulation_href;
use super::minify::page;
use super::theme::Theme;
use crate::error::Result;
use crate::model::{Library, Regulation, versions::align};
use crate::output::write::Sink;

/// Units that belong to the number before them in a diff (longest first).
const UNITS: &[&str] = &[
    "万元", "亿元", "个月", "周岁", "小时", "分钟", "公里", "元", "天", "日", "年", "月", "周",
    "人", "次", "岁", "倍", "%", "％",
];

fn is_chinese_numeral(c: char) -> bool {
    "零〇一二两三四五六七八九十百千万亿".contains(c)
}

/// The text cut into the units a reader compares: a number (Arabic, with `.` and `,` inside, or
/// Chinese numerals) together with its unit, a run of Latin letters or digits, and otherwise one
/// character each (Chinese has no spaces between words).
pub fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let run_of = |pred: &dyn Fn(char) -> bool| {
            rest.char_indices()
                .find(|&(_, c)| !pred(c))
                .map_or(rest.len(), |(i, _)| i)
        };
        let mut end = if c.is_ascii_digit() {
            let mut end = run_of(&|c: char| c.is_ascii_digit() || c == '.' || c == ',');
            // A trailing separator is punctuation, not part of the number.
            while end > 1 && matches!(rest.as_bytes()[end - 1], b'.' | b',') {
                end -= 1;
            }
            end
        } else if is_chinese_numeral(c) {
            run_of(&is_chinese_numeral)
        } else if c.is_ascii_alphabetic() {
            run_of(&|c: char| c.is_ascii_alphanumeric())
        } else {
            c.len_utf8()
        };
        if (c.is_ascii_digit() || is_chinese_numeral(c))
            && let Some(u) = UNITS.iter().find(|u| rest[end..].starts_with(**u))
        {
            end += u.len();
        }
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// A word-level diff as HTML: deleted words in `<del>`, inserted in `<ins>`, everything escaped.
pub fn diff_html(old: &str, new: &str) -> String {
    let (a, b) = (tokens(old), tokens(new));
    let mut out = String::new();
    let mut open: Option<ChangeTag> = None;
    let close = |tag: Option<ChangeTag>, out: &mut String| match tag {
        Some(ChangeTag::Delete) => out.push_str("</del>"),
        Some(ChangeTag::Insert) => out.push_str("</ins>"),
        _ => {}
    };
    for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
        for change in op.iter_changes(&a, &b) {
            let (tag, token) = (change.tag(), change.value());
            if open != Some(tag) {
                close(open, &mut out);
                match tag {
                    ChangeTag::Delete => out.push_str("<del>"),
                    ChangeTag::Insert => out.push_str("<ins>"),
                    ChangeTag::Equal => {}
                }
                open = Some(tag);
            }
            super::markdown::text_into(token, &mut out);
        }
    }
    close(open, &mut out);
    out
}

/// Every 新旧对照 page: one per version that has an earlier one.
pub(crate) fn render(lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
    let pairs: Vec<(usize, usize)> = lib
        .families
        .iter()
        .flat_map(|f| f.members.windows(2).map(|w| (w[0], w[1])))
        .collect();
    pairs
        .par_iter()
        .try_for_each(|&(old, new)| compare_page(lib, theme, old, new, sink))
}

/// Where a version's 新旧对照 page is (it compares the version with the one before it), as a link.
pub fn compare_href(id: &str) -> String {
    format!("compare/{}.html", super::links::encode_segment(id))
}

/// The file of a version's 新旧对照 page, under its readable name (as regulation pages are).
fn compare_path(id: &str) -> String {
    format!("compare/{id}.html")
}

/// A version's clauses: (anchor, label as cited, text), the text before the first clause first
/// (its anchor empty).
pub(crate) fn clauses(r: &Regulation) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let preamble = r.doc.preamble_text();
    if !preamble.is_empty() {
        out.push((String::new(), String::new(), preamble));
    }
    let texts = r.doc.clause_texts(r.clauses.len());
    for (c, text) in r.clauses.iter().zip(texts) {
        let label = r.citation(&c.anchor).unwrap_or_default();
        out.push((c.anchor.clone(), label, text));
    }
    out
}

/// One side of a comparison: its clauses ([`clauses`]), the page that shows it (relative to the
/// comparison page, anchors appended), its date as shown.
pub(crate) struct Side {
    pub clauses: Vec<(String, String, String)>,
    pub href: String,
    pub date: String,
}

/// The rows of a comparison, and where each clause of either side stands in them (row ids, for
/// links from a changed clause to its row).
pub(crate) struct Rows {
    rows: Vec<serde_json::Value>,
    changed: usize,
    /// Old clause anchor → the id of its row ("" is the text before the first clause).
    pub old_row: std::collections::HashMap<String, String>,
    /// New clause anchor → the id of its row.
    pub new_row: std::collections::HashMap<String, String>,
}

/// The id of a clause's row: its anchor; the text before the first clause is `preamble`.
fn row_id(anchor: &str) -> String {
    if anchor.is_empty() {
        crate::model::lifecycle::PREAMBLE.to_string()
    } else {
        anchor.to_string()
    }
}

/// Pair the clauses of two versions by content ([`align`]) and mark the changed words.
pub(crate) fn rows(old: &Side, new: &Side) -> Rows {
    let (oc, nc) = (&old.clauses, &new.clauses);
    let old_texts: Vec<String> = oc.iter().map(|c| c.2.clone()).collect();
    let new_texts: Vec<String> = nc.iter().map(|c| c.2.clone()).collect();
    let side = |s: &Side, c: &(String, String, String), html: String| {
        json!({
            "label": c.1,
            "href": if c.0.is_empty() { String::new() } else { format!("{}#{}", s.href, c.0) },
            "html": html,
        })
    };
    let mut changed = 0;
    let mut old_row = std::collections::HashMap::new();
    let mut new_row = std::collections::HashMap::new();
    let rows: Vec<serde_json::Value> = align(&old_texts, &new_texts)
        .into_iter()
        .map(|pair| {
            let (kind, left, right, id) = match pair {
                (Some(i), Some(j)) => {
                    let same = oc[i].2 == nc[j].2;
                    let renumbered = oc[i].1 != nc[j].1;
                    let (l, r) = if same {
                        let mut t = String::new();
                        super::markdown::text_into(&nc[j].2, &mut t);
                        (t.clone(), t)
                    } else {
                        let d = diff_html(&oc[i].2, &nc[j].2);
                        (strip(&d, "ins"), strip(&d, "del"))
                    };
                    let kind = match (same, renumbered) {
                        (true, false) => "same",
                        (true, true) => "renumbered",
                        _ => "changed",
                    };
                    let id = row_id(&nc[j].0);
                    old_row.insert(oc[i].0.clone(), id.clone());
                    new_row.insert(nc[j].0.clone(), id.clone());
                    (
                        kind,
                        Some(side(old, &oc[i], l)),
                        Some(side(new, &nc[j], r)),
                        id,
                    )
                }
                (None, Some(j)) => {
                    let mut t = String::from("<ins>");
                    super::markdown::text_into(&nc[j].2, &mut t);
                    t.push_str("</ins>");
                    let id = row_id(&nc[j].0);
                    new_row.insert(nc[j].0.clone(), id.clone());
                    ("added", None, Some(side(new, &nc[j], t)), id)
                }
                (Some(i), None) => {
                    let mut t = String::from("<del>");
                    super::markdown::text_into(&oc[i].2, &mut t);
                    t.push_str("</del>");
                    let id = format!("old-{}", row_id(&oc[i].0));
                    old_row.insert(oc[i].0.clone(), id.clone());
                    ("removed", Some(side(old, &oc[i], t)), None, id)
                }
                (None, None) => unreachable!("align pairs at least one side"),
            };
            if kind != "same" {
                changed += 1;
            }
            json!({"kind": kind, "left": left, "right": right, "id": id})
        })
        .collect();
    Rows {
        rows,
        changed,
        old_row,
        new_row,
    }
}

/// Write a 新旧对照 page at `path` (`up` leads from it to the site root) for the regulation
/// `reg` (title, category), its rows made by [`rows`].
pub(crate) fn write_page(
    lib: &Library,
    theme: &Theme,
    reg: &Regulation,
    (old, new): (&Side, &Side),
    rows: &Rows,
    (path, up): (&str, &str),
    sink: &dyn Sink,
) -> Result<()> {
    let mut ctx = base_context(lib, theme, up, Some(&reg.category))?;
    ctx.insert("page_kind", "compare");
    ctx.insert("title", &reg.title);
    ctx.insert("old", &json!({"date": old.date, "href": old.href}));
    ctx.insert("new", &json!({"date": new.date, "href": new.href}));
    ctx.insert("rows", &rows.rows);
    ctx.insert("changed", &rows.changed.to_string());
    sink.put(path, &page(&theme.render("compare.html", &ctx)?))
}

fn compare_page(
    lib: &Library,
    theme: &Theme,
    old: usize,
    new: usize,
    sink: &dyn Sink,
) -> Result<()> {
    let (o, n) = (&lib.regulations[old], &lib.regulations[new]);
    let side = |r: &Regulation| Side {
        clauses: clauses(r),
        href: format!("../{}", regulation_href(&r.id)),
        date: crate::model::versions::version_label(r)
            .unwrap_or_default()
            .to_string(),
    };
    let (os, ns) = (side(o), side(n));
    let rows = rows(&os, &ns);
    write_page(
        lib,
        theme,
        n,
        (&os, &ns),
        &rows,
        (&compare_path(&n.id), "../"),
        sink,
    )
}

/// One side of a diff: the other side's marks taken out with their text.
fn strip(html: &str, tag: &str) -> String {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        out.push_str(&rest[..at]);
        rest = rest[at..]
            .find(&close)
            .map_or("", |e| &rest[at + e + close.len()..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_units_and_words_stay_whole() {
        for (text, want) in [
            ("超出3000元以上", vec!["超", "出", "3000元", "以", "上"]),
            ("三个月内", vec!["三个月", "内"]),
            ("1,500.5万元。", vec!["1,500.5万元", "。"]),
            ("第5条, PDF2", vec!["第", "5", "条", ",", " ", "PDF2"]),
            ("十八周岁", vec!["十八周岁"]),
            ("", vec![]),
        ] {
            assert_eq!(tokens(text), want, "{text}");
        }
    }

    #[test]
    fn a_changed_amount_is_marked_whole() {
        assert_eq!(
            diff_html(
                "超出3000元以上的，报办务会",
                "超出5000元以上的，报主任办公会"
            ),
            "超出<del>3000元</del><ins>5000元</ins>以上的，报<ins>主任</ins>办<del>务</del><ins>公</ins>会"
        );
        assert_eq!(diff_html("a<b", "a<b"), "a&lt;b");
        assert_eq!(
            strip("甲<del>3</del><ins>5</ins>乙", "ins"),
            "甲<del>3</del>乙"
        );
    }
}
