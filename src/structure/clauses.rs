//! Recognises 章/条/一、/（一）/1． at the start of body paragraphs and builds the clause tree with anchors.
//!
//! Anchor scheme (stable, derived only from numbers and nesting, documented in the README):
//! 第X章 → `ch{n}`, 第X条 → `art{n}`, 一、 → `sec{n}`, （一） → `{parent}-item{n}`, 1． → `{parent}-sub{n}`,
//! 附件 → `appendix`. Chapters are left out of child anchors because 条 are numbered through the whole
//! document, so `art5` stays valid when a chapter is inserted.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::Options;

use super::numerals;
use crate::error::{Diagnostic, Severity};
use crate::model::{Clause, ClauseKind};

/// The Markdown dialect of regulation bodies.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// A numbering marker found at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub kind: ClauseKind,
    pub number: u32,
    /// 之N after the number (第一百三十三条之一: 1), 0 when there is none.
    pub suffix: u32,
    /// The marker as written, e.g. `第三条`, `一、`, `（二）`, `1．`.
    pub label: String,
    /// Bytes of the paragraph text taken by the marker and the spaces after it.
    pub len: usize,
}

const CN_DIGITS: &str = "零〇一二三四五六七八九十百千两";

fn take_while(s: &str, f: impl Fn(char) -> bool) -> &str {
    let end = s
        .char_indices()
        .find(|&(_, c)| !f(c))
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}

fn spaces_len(s: &str) -> usize {
    s.len() - s.trim_start_matches([' ', '\u{3000}', '\t']).len()
}

/// The unit words of 第X…: longest first (分编 before 编).
const UNITS: [(&str, ClauseKind); 6] = [
    ("分编", ClauseKind::SubBook),
    ("编", ClauseKind::Book),
    ("章", ClauseKind::Chapter),
    ("节", ClauseKind::Division),
    ("条", ClauseKind::Article),
    // 第X条 is the usual form; a handful of old texts write 第X條.
    ("條", ClauseKind::Article),
];

/// Recognise a numbering marker at the start of `text`.
pub fn detect(text: &str) -> Option<Marker> {
    let make = |kind, number, label: &str, rest: &str| {
        Some(Marker {
            kind,
            number,
            suffix: 0,
            label: label.to_string(),
            len: label.len() + spaces_len(rest),
        })
    };
    if let Some(rest) = text.strip_prefix('第') {
        let num = take_while(rest, |c| CN_DIGITS.contains(c) || c.is_ascii_digit());
        let after = &rest[num.len()..];
        let (unit, kind) = UNITS.iter().find(|(u, _)| after.starts_with(u))?;
        let n = numerals::parse(num)?;
        let mut label_len = '第'.len_utf8() + num.len() + unit.len();
        // 之一, 之二: an article (or chapter) inserted after this one by an amendment.
        let mut suffix = 0;
        if let Some(s) = text[label_len..].strip_prefix('之') {
            let k = take_while(s, |c| CN_DIGITS.contains(c));
            if let Some(k) = numerals::parse(k).filter(|_| !k.is_empty()) {
                suffix = k;
                label_len += '之'.len_utf8() + take_while(s, |c| CN_DIGITS.contains(c)).len();
            }
        }
        let mut m = make(*kind, n, &text[..label_len], &text[label_len..])?;
        m.suffix = suffix;
        return Some(m);
    }
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = text.strip_prefix(open) {
            let num = take_while(rest, |c| CN_DIGITS.contains(c));
            if let Some(after) = rest[num.len()..].strip_prefix(close) {
                let n = numerals::parse(num)?;
                let label_len = text.len() - after.len();
                return make(ClauseKind::Item, n, &text[..label_len], after);
            }
            return None;
        }
    }
    let num = take_while(text, |c| CN_DIGITS.contains(c));
    if !num.is_empty() {
        let after = text[num.len()..].strip_prefix('、')?;
        let n = numerals::parse(num)?;
        let label_len = text.len() - after.len();
        return make(ClauseKind::Section, n, &text[..label_len], after);
    }
    let num = take_while(text, |c| c.is_ascii_digit());
    if !num.is_empty() && num.len() <= 3 {
        let after = &text[num.len()..];
        let sep = after.chars().next()?;
        if matches!(sep, '．' | '.' | '、') {
            let after = &after[sep.len_utf8()..];
            // "1.5倍" is a number, not a marker.
            if after.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            let n = numerals::parse(num)?;
            let label_len = text.len() - after.len();
            return make(ClauseKind::Sub, n, &text[..label_len], after);
        }
    }
    None
}

/// A problem found while outlining, at a body line: a gap or repeat in the numbering (a warning), or
/// a body nested too deep to render (an error, see [`super::limits`]); its code in the message
/// catalogue and the values its texts name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub line: usize,
    pub severity: Severity,
    pub code: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Note {
    fn numbering(line: usize, code: &'static str, args: Vec<(&'static str, String)>) -> Note {
        Note {
            line,
            severity: Severity::Warning,
            code,
            args,
        }
    }

    /// The note as a diagnostic of the file `path` whose body starts at file line `body_line`.
    pub fn diagnostic(&self, path: &std::path::Path, body_line: usize) -> Diagnostic {
        let line = body_line.max(1) + self.line.max(1) - 1;
        Diagnostic::coded(self.severity, self.code, path, line, 1, self.args.clone())
    }
}

/// What the outline says of one top-level block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub clause: Option<usize>,
    /// Set when this block opens its clause: the marker's byte length within the block's text.
    pub marker: Option<usize>,
    /// The paragraph (款) of an article this block is (see [`crate::model::Block::para`]).
    pub para: Option<u32>,
}

/// Characters of a clause's first paragraph kept in [`Clause::text`].
const LEAD: usize = 40;

fn heading_like(rest: &str) -> Option<String> {
    let rest = rest.trim();
    let short = !rest.is_empty() && rest.chars().count() <= 20;
    let sentence = rest.contains(['。', '；', '，', '：', ';', ':']);
    (short && !sentence).then(|| rest.to_string())
}

type NumberKey = (Option<usize>, u32, ClauseKind);

/// Paragraphs after an article's list of items, placed as the article's next 款 until the next
/// numbered clause tells whether the list goes on after them.
#[derive(Debug)]
struct Pending {
    article: usize,
    /// The open clauses before the first of the paragraphs closed the list.
    stack: Vec<usize>,
    /// The article's 款 before them.
    paras: u32,
    /// The blocks placed since (their index among the blocks offered).
    blocks: Vec<usize>,
}

/// Builds the clause tree block by block, in document order: each top-level block's text is offered
/// once, and the outliner says which clause it opens or belongs to.
#[derive(Debug, Default)]
pub struct Outliner {
    pub clauses: Vec<Clause>,
    pub notes: Vec<Note>,
    /// Open clauses, innermost last.
    stack: Vec<usize>,
    /// The last number given among siblings: keyed by what the numbering restarts in, the 款
    /// (for items of an article; 0 otherwise) and the kind.
    last_number: HashMap<NumberKey, u32>,
    /// The last 之N after the last number, among the same siblings.
    last_suffix: HashMap<NumberKey, u32>,
    last_sub_in_scope: HashMap<Option<usize>, u32>,
    paras: HashMap<usize, u32>,
    // Anchors given so far, and the last `-k` tried for each duplicated one: scanning the clauses
    // from `-2` each time made many duplicates (一、 ×1500) cubic.
    used: HashSet<String>,
    next_k: HashMap<String, usize>,
    /// For each article with items, the 款 of its first list.
    first_list: HashMap<usize, u32>,
    /// The lists (article, 款) whose items were found to have paragraphs of their own.
    items_with_paras: HashSet<(usize, u32)>,
    /// Blocks offered so far.
    seen: usize,
    pending: Option<Pending>,
    /// Blocks placed again once what followed them was known: (block index, new place).
    revised: Vec<(usize, Placed)>,
}

impl Outliner {
    /// The blocks placed again after the fact (see [`Outliner::block`]): apply each to the block
    /// of that index once all are placed.
    pub fn take_revisions(&mut self) -> Vec<(usize, Placed)> {
        std::mem::take(&mut self.revised)
    }

    /// Place the next top-level block: `text` is its plain text, `textual` whether it is a paragraph
    /// or heading (only those can open a clause), `line` its body line.
    pub fn block(&mut self, text: &str, textual: bool, line: usize) -> Placed {
        let trimmed = text.trim();
        let marker = if textual {
            if trimmed == "附件"
                || (trimmed.starts_with("附件")
                    && trimmed["附件".len()..].chars().all(|c| c.is_ascii_digit())
                    && trimmed.len() > "附件".len())
            {
                Some(Marker {
                    kind: ClauseKind::Appendix,
                    suffix: 0,
                    number: trimmed["附件".len()..].parse().unwrap_or(1),
                    label: trimmed.to_string(),
                    len: text.len(),
                })
            } else {
                detect(text)
            }
        } else {
            None
        };
        let index = self.seen;
        self.seen += 1;
        let Some(marker) = marker else {
            // A paragraph after a list of items （一）…（N） in an article is the article's next 款,
            // not more of the last item: Chinese drafting gives an item one paragraph, and the
            // paragraph after the list is what 前款 and 第N条第K款 count. Unless the list goes on
            // after it (（二） follows): then it is the item's own second paragraph, as offices
            // write (一把手 第三条（一）), and is put back there when the next item comes.
            if let Some(p) = &mut self.pending {
                p.blocks.push(index);
            } else if textual
                && let Some(at) = self
                    .stack
                    .iter()
                    .rposition(|&i| self.clauses[i].kind == ClauseKind::Article)
                && at + 1 < self.stack.len()
                // A list whose items have paragraphs of their own keeps the last one's too
                // (培训类别 （一）内部培训。 ＋ a paragraph, （二）外派培训。 ＋ a paragraph).
                && !self
                    .items_with_paras
                    .contains(&(self.stack[at], self.clauses[self.stack[at]].paras))
            {
                let article = self.stack[at];
                self.pending = Some(Pending {
                    article,
                    stack: self.stack.clone(),
                    paras: self.clauses[article].paras,
                    blocks: vec![index],
                });
                self.stack.truncate(at + 1);
            }
            let clause = self.stack.last().copied();
            let para = clause
                .filter(|&c| self.clauses[c].kind == ClauseKind::Article && textual)
                .map(|c| {
                    let n = self.paras.entry(c).or_insert(1);
                    *n += 1;
                    self.clauses[c].paras = *n;
                    *n
                });
            return Placed {
                clause,
                marker: None,
                para,
            };
        };
        if let Some(p) = self.pending.take() {
            // The paragraphs were the next 款 if what follows is a new article (or a heading
            // above articles), or a new list starting at （一）; anything else continues the list.
            let new_paragraph = match marker.kind {
                ClauseKind::Item => marker.number == 1,
                ClauseKind::Sub | ClauseKind::Section => false,
                _ => true,
            };
            if !new_paragraph {
                let inner = p.stack.last().copied();
                for b in p.blocks {
                    self.revised.push((
                        b,
                        Placed {
                            clause: inner,
                            marker: None,
                            para: None,
                        },
                    ));
                }
                self.items_with_paras.insert((p.article, p.paras));
                self.paras.insert(p.article, p.paras);
                self.clauses[p.article].paras = p.paras;
                self.stack = p.stack;
            }
        }
        while let Some(&top) = self.stack.last() {
            if self.clauses[top].kind.rank() >= marker.kind.rank() {
                self.stack.pop();
            } else {
                break;
            }
        }
        let parent = self.stack.last().copied();
        let nearest = |kinds: &[ClauseKind]| {
            self.stack
                .iter()
                .rev()
                .find(|&&i| kinds.contains(&self.clauses[i].kind))
                .copied()
        };
        // The 款 of the article an item stands in: items are numbered afresh in each 款.
        let para = parent
            .filter(|&p| {
                marker.kind == ClauseKind::Item && self.clauses[p].kind == ClauseKind::Article
            })
            .map(|p| self.paras.get(&p).copied().unwrap_or(1));
        // What the anchor is made under. 条 are numbered through the whole document and 章 through
        // their 编, so neither takes the headings above it (`art5` stays valid when a chapter or
        // a 一、 heading is added); 分编 and 节 are numbered afresh in their 编 and 章.
        let anchor_parent = match marker.kind {
            ClauseKind::Book | ClauseKind::Appendix | ClauseKind::Article => None,
            ClauseKind::SubBook | ClauseKind::Chapter => nearest(&[ClauseKind::Book]),
            ClauseKind::Division => nearest(&[ClauseKind::Chapter]),
            ClauseKind::Section | ClauseKind::Item | ClauseKind::Sub => self
                .stack
                .iter()
                .rev()
                .find(|&&i| {
                    let k = self.clauses[i].kind;
                    !k.is_division() && k != ClauseKind::Appendix
                })
                .copied(),
        };
        let mut seg = if marker.kind == ClauseKind::Appendix {
            if marker.number > 1 {
                format!("appendix{}", marker.number)
            } else {
                "appendix".to_string()
            }
        } else {
            format!("{}{}", marker.kind.segment(), marker.number)
        };
        if marker.suffix > 0 {
            seg = format!("{seg}-{}", marker.suffix);
        }
        // Items of the first 款 that has a list are `art3-item1` whichever 款 it is; a list in a
        // later 款 of the same article is told apart by its 款: `art3-para2-item1`.
        if let (Some(k), Some(article)) = (para, parent) {
            let first = *self.first_list.entry(article).or_insert(k);
            if first != k {
                seg = format!("para{k}-{seg}");
            }
        }
        let mut anchor = match anchor_parent {
            Some(p) => format!("{}-{seg}", self.clauses[p].anchor),
            None => seg.clone(),
        };
        // Articles numbered afresh under each 一、 heading (a collection of short texts): the
        // heading's anchor tells them apart.
        if marker.kind == ClauseKind::Article
            && self.used.contains(&anchor)
            && let Some(sec) = nearest(&[ClauseKind::Section])
        {
            anchor = format!("{}-{seg}", self.clauses[sec].anchor);
        }
        if self.used.contains(&anchor) {
            let base = anchor.clone();
            let k = self.next_k.entry(base.clone()).or_insert(2);
            while self.used.contains(&anchor) {
                anchor = format!("{base}-{k}");
                *k += 1;
            }
            self.notes.push(Note::numbering(
                line,
                "RB027",
                vec![("label", marker.label.clone()), ("anchor", anchor.clone())],
            ));
        }
        self.used.insert(anchor.clone());
        if marker.kind != ClauseKind::Appendix {
            // Numbers count up from 1 among siblings, with the restarts Chinese drafting uses: 条
            // count through the whole document, 章 through their 编 (not their 分编), 项 afresh in
            // each 款; sub-items may also run on across the items of one section (发展党员制度
            // numbers 1–24 across （一）–（五）).
            let scope_of_number = match marker.kind {
                ClauseKind::Article => None,
                ClauseKind::Chapter => nearest(&[ClauseKind::Book]),
                _ => parent,
            };
            let key = (scope_of_number, para.unwrap_or(0), marker.kind);
            let scope = self
                .stack
                .iter()
                .rev()
                .find(|&&i| {
                    matches!(
                        self.clauses[i].kind,
                        ClauseKind::Section | ClauseKind::Article
                    )
                })
                .copied();
            let last = self.last_number.get(&key).copied();
            // 之一, 之二 follow the article they are inserted after (第一百三十三条之一 after
            // 第一百三十三条, 之二 after 之一) and leave the count where it was.
            let in_order = if marker.suffix > 0 {
                let prev = self.last_suffix.get(&key).copied().unwrap_or(0);
                last == Some(marker.number) && (marker.suffix == prev + 1 || prev == 0)
            } else {
                // u64: the previous number may be u32::MAX (第4294967295条).
                u64::from(marker.number) == last.map_or(1, |n| u64::from(n) + 1)
            };
            let runs_on = marker.kind == ClauseKind::Sub
                && last.is_none()
                && self
                    .last_sub_in_scope
                    .get(&scope)
                    .is_some_and(|n| n + 1 == marker.number);
            if !in_order && !runs_on {
                self.notes.push(Note::numbering(
                    line,
                    "RB015",
                    vec![
                        ("label", marker.label.clone()),
                        ("previous", last.unwrap_or(0).to_string()),
                    ],
                ));
            }
            if marker.suffix > 0 {
                self.last_suffix.insert(key, marker.suffix);
            } else {
                self.last_number.insert(key, marker.number);
                self.last_suffix.remove(&key);
            }
            if marker.kind == ClauseKind::Sub {
                self.last_sub_in_scope.insert(scope, marker.number);
            }
        }
        let rest = &text[marker.len.min(text.len())..];
        let idx = self.clauses.len();
        self.clauses.push(Clause {
            kind: marker.kind,
            number: marker.number,
            suffix: marker.suffix,
            para: para.unwrap_or(0),
            title: if marker.kind == ClauseKind::Appendix {
                None
            } else {
                heading_like(rest)
            },
            label: marker.label,
            anchor,
            // The start is enough for captions; the whole text is in the tree.
            text: rest.trim().chars().take(LEAD).collect(),
            parent,
            paras: 1,
            line,
        });
        self.stack.push(idx);
        Placed {
            clause: Some(idx),
            marker: Some(marker.len),
            para: (marker.kind == ClauseKind::Article).then_some(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body parsed: its clauses, blocks and notes.
    struct Outlined {
        clauses: Vec<Clause>,
        blocks: Vec<crate::model::Block>,
        notes: Vec<Note>,
    }

    fn outline(body: &str) -> Outlined {
        let p = crate::structure::parse::parse(body);
        Outlined {
            clauses: p.clauses,
            blocks: p.body.blocks,
            notes: p.notes,
        }
    }

    /// A marker's kind, number and label.
    type Want<'a> = Option<(ClauseKind, u32, &'a str)>;

    #[test]
    fn a_law_in_full_is_anchored_level_by_level() {
        let body = "第一编　总则\n\n第一章　一般规定\n\n第一条　甲。\n\n第二章　单位\n\n第一节　登记\n\n\
第二条　有下列情形之一的：\n\n（一）甲；\n\n（二）乙。\n\n有前款情形的，办理。\n\n（一）丙；\n\n（二）丁。\n\n\
第二条之一　插入。\n\n第二条之二　插入。\n\n第二节　责任\n\n第三条　丙。\n\n第二编　分则\n\n第一分编　通则\n\n\
第一章　规则\n\n第四条　丁。\n\n第二分编　特别\n\n第二章　特别\n\n第一节　戊\n\n第五条　戊。\n";
        let o = outline(body);
        let anchors: Vec<&str> = o.clauses.iter().map(|c| c.anchor.as_str()).collect();
        assert_eq!(
            anchors,
            [
                "part1",
                "part1-ch1",
                "art1",
                "part1-ch2",
                "part1-ch2-div1",
                "art2",
                "art2-item1",
                "art2-item2",
                "art2-para2-item1",
                "art2-para2-item2",
                "art2-1",
                "art2-2",
                "part1-ch2-div2",
                "art3",
                "part2",
                "part2-subpart1",
                "part2-ch1",
                "art4",
                "part2-subpart2",
                "part2-ch2",
                "part2-ch2-div1",
                "art5",
            ]
        );
        // Chapters restart in each 编 and run on across its 分编, items restart in each 款, 之一
        // follows its article: nothing to warn.
        assert!(o.notes.is_empty(), "{:?}", o.notes);
        // The paragraph after the items is the article's second 款, not part of （二）.
        let after = o
            .blocks
            .iter()
            .find(|b| b.text().starts_with("有前款"))
            .unwrap();
        assert_eq!((after.clause, after.para), (Some(5), Some(2)));
        assert_eq!(o.clauses[5].paras, 2);
        assert_eq!(o.clauses[10].label, "第二条之一");
        assert_eq!((o.clauses[10].number, o.clauses[10].suffix), (2, 1));
        assert_eq!(o.clauses[0].title.as_deref(), Some("总则"));
    }

    #[test]
    fn a_paragraph_between_items_stays_with_its_item() {
        // 一把手 第三条: each item has a second paragraph, and the list goes on after it.
        let o = outline(
            "第一条　下列五项：\n\n（一）甲。\n\n应当指定。\n\n（二）乙。\n\n应当明确。\n\n第二条　丙。\n",
        );
        let anchors: Vec<&str> = o.clauses.iter().map(|c| c.anchor.as_str()).collect();
        assert_eq!(anchors, ["art1", "art1-item1", "art1-item2", "art2"]);
        let placed: Vec<(Option<usize>, Option<u32>)> =
            o.blocks.iter().map(|b| (b.clause, b.para)).collect();
        // The items have paragraphs of their own: the last one's, before a new article, is still
        // its item's, not the article's second 款.
        assert_eq!(
            placed,
            [
                (Some(0), Some(1)),
                (Some(1), None),
                (Some(1), None),
                (Some(2), None),
                (Some(2), None),
                (Some(3), Some(1)),
            ]
        );
        assert_eq!(o.clauses[0].paras, 1);
        // A list of one-paragraph items: the paragraph after it is the article's second 款.
        let o = outline(
            "第一条　下列：\n\n（一）甲；\n\n（二）乙。\n\n有前款情形的，处理。\n\n第二条　丙。\n",
        );
        let after: Vec<(Option<usize>, Option<u32>)> =
            o.blocks.iter().map(|b| (b.clause, b.para)).collect();
        assert_eq!(after[3], (Some(0), Some(2)));
        assert_eq!(o.clauses[0].paras, 2);
        assert!(o.notes.is_empty(), "{:?}", o.notes);
    }

    #[test]
    fn articles_under_numbered_headings_are_articles() {
        let o = outline("一、总则\n\n第一条　甲。\n\n第二条　乙。\n\n二、附则\n\n第三条　丙。\n");
        let anchors: Vec<&str> = o.clauses.iter().map(|c| c.anchor.as_str()).collect();
        assert_eq!(anchors, ["sec1", "art1", "art2", "sec2", "art3"]);
        assert!(o.notes.is_empty(), "{:?}", o.notes);
    }

    #[test]
    fn numbering_that_does_not_follow_still_warns() {
        // A skipped article, a 之一 after the wrong article (and the article after it), a repeated
        // article. (之二 right after its article is accepted: the 之一 may have been repealed.)
        let o = outline(
            "第一条　甲。\n\n第三条　乙。\n\n第三条之一　丙。\n\n第五条之一　丁。\n\n第五条　戊。\n\n第五条　己。\n",
        );
        let codes: Vec<&str> = o.notes.iter().map(|n| n.code).collect();
        assert_eq!(codes, ["RB015", "RB015", "RB015", "RB027", "RB015"]);
    }

    #[test]
    fn detect_table() {
        let cases: &[(&str, Want)] = &[
            ("第一条　本制度", Some((ClauseKind::Article, 1, "第一条"))),
            (
                "第二十三条 x",
                Some((ClauseKind::Article, 23, "第二十三条")),
            ),
            ("第一章  总则", Some((ClauseKind::Chapter, 1, "第一章"))),
            ("一、基本原则", Some((ClauseKind::Section, 1, "一、"))),
            ("十二、其他", Some((ClauseKind::Section, 12, "十二、"))),
            (
                "（二）不得直接分管财务工作。",
                Some((ClauseKind::Item, 2, "（二）")),
            ),
            ("(三)x", Some((ClauseKind::Item, 3, "(三)"))),
            ("1．调查研究。", Some((ClauseKind::Sub, 1, "1．"))),
            ("24．入党材料归档。", Some((ClauseKind::Sub, 24, "24．"))),
            ("3.经办人", Some((ClauseKind::Sub, 3, "3."))),
            ("第一责任人", None),
            ("第二编　分则", Some((ClauseKind::Book, 2, "第二编"))),
            ("第一分编 通则", Some((ClauseKind::SubBook, 1, "第一分编"))),
            ("第三节　x", Some((ClauseKind::Division, 3, "第三节"))),
            (
                "第一百三十三条之一　x",
                Some((ClauseKind::Article, 133, "第一百三十三条之一")),
            ),
            ("第五条之规定", Some((ClauseKind::Article, 5, "第五条"))),
            ("第五条规定", Some((ClauseKind::Article, 5, "第五条"))),
            ("一把手", None),
            ("2019001工程", None),
            ("1.5倍", None),
            ("3000元以上", None),
            ("（以下简称）", None),
            ("“三重一大”", None),
        ];
        for (text, want) in cases {
            let got = detect(text).map(|m| (m.kind, m.number, m.label));
            let want = want.map(|(k, n, l)| (k, n, l.to_string()));
            assert_eq!(got, want, "{text}");
        }
        assert_eq!(detect("第一条　本").unwrap().len, "第一条　".len());
    }

    #[test]
    fn outline_anchors() {
        let body = "序言。\n\n第一章　总则\n\n第一条　培训目的\n\n正文。\n\n第二条　x：\n\n（一）甲；\n\n1．子；\n\n2．子。\n\n（二）乙。\n\n第二章　职责\n\n第三条　y\n\n附件\n\n名单\n";
        let o = outline(body);
        let anchors: Vec<&str> = o.clauses.iter().map(|c| c.anchor.as_str()).collect();
        assert_eq!(
            anchors,
            [
                "ch1",
                "art1",
                "art2",
                "art2-item1",
                "art2-item1-sub1",
                "art2-item1-sub2",
                "art2-item2",
                "ch2",
                "art3",
                "appendix"
            ]
        );
        assert_eq!(o.clauses[1].title.as_deref(), Some("培训目的"));
        assert_eq!(o.clauses[0].title.as_deref(), Some("总则"));
        assert_eq!(o.clauses[2].title, None);
        assert_eq!(o.clauses[3].parent, Some(2));
        assert_eq!(o.clauses[1].line, 5);
        // preamble, then blocks; "正文。" belongs to 第一条, "名单" to the appendix
        assert_eq!(o.blocks[0].clause, None);
        assert_eq!(o.blocks[3].clause, Some(1));
        assert_eq!(o.blocks.last().unwrap().clause, Some(9));
        assert!(o.notes.is_empty(), "{:?}", o.notes);
        let paras: Vec<Option<u32>> = o.blocks.iter().map(|b| b.para).collect();
        assert_eq!(
            paras,
            [
                None,
                None,
                Some(1),
                Some(2),
                Some(1),
                None,
                None,
                None,
                None,
                None,
                Some(1),
                None,
                None
            ]
        );
    }

    #[test]
    fn sections_items_subs_and_gaps() {
        let o = outline("一、原则\n\n（一）\n甲。\n\n二、范围\n\n1．a\n\n3．b\n\n四、c\n");
        let anchors: Vec<&str> = o.clauses.iter().map(|c| c.anchor.as_str()).collect();
        assert_eq!(
            anchors,
            [
                "sec1",
                "sec1-item1",
                "sec2",
                "sec2-sub1",
                "sec2-sub3",
                "sec4"
            ]
        );
        assert_eq!(o.clauses[1].text, "甲。");
        // 3． after 1． is a gap, and so is 四、 after 二、.
        let lines: Vec<usize> = o.notes.iter().map(|n| n.line).collect();
        assert_eq!(lines, [10, 12], "{:?}", o.notes);
        // Sub-items running on across items are fine.
        let o = outline(
            "一、程序\n\n（一）甲\n\n1．a\n\n2．b\n\n（二）乙\n\n3．c\n\n（三）丙\n\n1．d\n",
        );
        assert!(o.notes.is_empty(), "{:?}", o.notes);
    }

    /// Inputs the fuzzer (fuzz/fuzz_targets/parse.rs) broke: each must outline without panicking,
    /// give unique anchors, keep blocks within the body and clause lines within its lines.
    #[test]
    fn fuzz_regressions() {
        // (body, anchors, note lines)
        let cases: &[(&str, &[&str], &[usize])] = &[
            // `expected = last + 1` overflowed after the largest u32.
            (
                "第4294967295条\n\n第4条",
                &["art4294967295", "art4"],
                &[1, 3],
            ),
        ];
        for (body, anchors, note_lines) in cases {
            let o = outline(body);
            let got: Vec<&str> = o.clauses.iter().map(|c| c.anchor.as_str()).collect();
            assert_eq!(&got, anchors, "{body:?}");
            let lines: Vec<usize> = o.notes.iter().map(|n| n.line).collect();
            assert_eq!(&lines, note_lines, "{body:?}: {:?}", o.notes);
            let body_lines = body.lines().count();
            assert!(
                o.clauses.iter().all(|c| (1..=body_lines).contains(&c.line)),
                "{body:?}"
            );
            for b in &o.blocks {
                assert!((1..=body_lines.max(1)).contains(&b.line), "{body:?}");
            }
        }
        // Many duplicates: giving each one its anchor used to take cubic time (minutes for this).
        let o = outline(&"一、\n\n".repeat(3000));
        assert_eq!(o.clauses[1].anchor, "sec1-2");
        assert_eq!(o.clauses[2999].anchor, "sec1-3000");
        assert_eq!(o.notes.len(), 2 * 2999);
    }

    #[test]
    fn duplicate_numbers_get_unique_anchors() {
        let o = outline("第一条　a\n\n第一条　b\n");
        assert_eq!(o.clauses[1].anchor, "art1-2");
        assert_eq!(o.notes.len(), 2);
    }
}
