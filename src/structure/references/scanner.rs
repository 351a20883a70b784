//! The [`Scanner`]: finds the references in one run of text, in order and without overlaps —
//! 《titles》 (with an article), listed and named articles, references within the document
//! (本办法第五条, 前款, 本条第二款), document numbers, and bare titles and terms.

use std::collections::HashSet;

use super::articles::{article_anchor, item_anchor, parse_article_ref, parse_item_ref, take_num};
use super::diagnostics::no_clause;
use super::index::{Bare, normalise};
use super::numbers::{doc_number, is_han, quoted_amendments};
use super::{Found, Index, Problem};
use crate::model::{ClauseKind, Library, Regulation, Target};
use crate::structure::{limits, numerals};

/// What joins the articles of one citation: 第五条、第七条, 第五条和第七条, 第五条至第七条.
pub(super) const LIST_JOINERS: &[&str] = &["、", "和", "及", "或", "与", "以及", "至"];

/// Where a run of text stands, for resolving 本办法第五条 and 前款.
#[derive(Debug, Clone, Copy, Default)]
pub struct Place {
    pub clause: Option<usize>,
    pub para: Option<u32>,
}

/// Scans the text runs of one regulation, in document order. Terms are linked at their first
/// occurrence in each clause only, so the scanner remembers what it has seen.
pub struct Scanner<'a> {
    pub(super) index: &'a Index,
    pub(super) lib: &'a Library,
    pub(super) reg: &'a Regulation,
    pub(super) seen_terms: HashSet<(Option<usize>, usize)>,
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

    /// The version of regulation `r` this text means: the one in force on the citing text's date
    /// when `r` is one of several versions (`model::versions`).
    fn in_time(&self, r: usize) -> usize {
        self.lib
            .cited_version(r, crate::model::versions::version_date(self.reg))
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
                '《' => match self.book_title(rest, i) {
                    Some(f) => Some(f),
                    // Not checked while a regulation failed to load and this may be its title: the
                    // title and its article are passed over whole, so what they cite is not read
                    // as the current document's (a 第二十条 of theirs is no RB036 of ours).
                    None if self.index.incomplete => match title_end(rest) {
                        Some(len) => {
                            i += len;
                            continue;
                        }
                        None => None,
                    },
                    None => None,
                },
                '第' => match self.listed_article(text, i, found.last()) {
                    Some(f) => Some(f),
                    // Listed after a citation already reported (《不存在的法》第五条、第七条): the
                    // list is that document's; one problem, not one per article.
                    None if let Some(end) = listed_after_problem(text, i, found.last()) => {
                        i = end;
                        continue;
                    }
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
                        let target = &self.lib.regulations[self.in_time(*r)];
                        // Whole words only: “Acquisition Service” is not in “Acquisition Services”.
                        if target.id != self.reg.id
                            && crate::structure::names::whole_words(text, &m.range())
                        {
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
        let close = closing_bracket(inner_start)?;
        let name = &inner_start[..close];
        // No regulation has a title that long: not a reference, and not worth comparing.
        if name.is_empty() || limits::too_long(name) {
            return None;
        }
        let mut end = '《'.len_utf8() + close + '》'.len_utf8();
        let idx = self.index;
        if let Some(candidates) = idx.ambiguous.get(&normalise(name)) {
            // Two pages bear this title: which one is meant is the editor's to say, never a pick.
            let regs: Vec<&crate::model::Regulation> = candidates
                .iter()
                .map(|&r| &self.lib.regulations[r])
                .collect();
            let shown: Vec<String> = regs
                .iter()
                .map(|r| format!("{} ({})", r.id, r.source.path.display()))
                .collect();
            return Some(Found {
                range: at..at + end,
                result: Err(Problem::new(
                    "RB204",
                    vec![
                        ("title", name.to_string()),
                        ("candidates", shown.join(", ")),
                        ("first", regs[0].id.clone()),
                    ],
                )),
            });
        }
        if let Some(&r) = idx.titles.get(&normalise(name)) {
            let reg = &self.lib.regulations[self.in_time(r)];
            let mut anchor = None;
            if let Some(r) = parse_article_ref(&rest[end..]) {
                end += r.used;
                match article_anchor(reg, &r) {
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
        if let Some(r) = parse_article_ref(&rest[end..]) {
            article = Some(rest[end..end + r.used].to_string());
            end += r.used;
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
            if idx.may_be_failed(name) {
                // A regulation failed to load (its error is reported) and this is near its title:
                // no second error; the reference is checked once that file loads.
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
            // Under its exact name (white space aside): 〈〉 stay as written.
            result: Ok(Target::External {
                name: name.chars().filter(|c| !c.is_whitespace()).collect(),
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
        if !ends_with_article(cited) {
            return None;
        }
        let r = parse_article_ref(&text[at..])?;
        let range = at..at + r.used;
        let result = match previous.result.as_ref().ok()? {
            Target::Regulation { id, .. } => {
                let reg = self.lib.regulation(id)?;
                match article_anchor(reg, &r) {
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
        let Some(cite) = parse_article_ref(&text[at..]) else {
            return Named::No;
        };
        let end = at + cite.used;
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
                let reg = &self.lib.regulations[self.in_time(r)];
                if reg.id == self.reg.id {
                    continue;
                }
                let result = match article_anchor(reg, &cite) {
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
        // Another law's article, and the articles listed after it (刑法第十条、第十二条和第十五条,
        // 刑法第十条至第十二条): all that law's, none the current document's.
        if !own && ["法", "法典", "条例"].iter().any(|s| before.ends_with(s)) {
            return Named::Elsewhere(list_end(text, end));
        }
        // 增加一条，作为第五条: the place of a new article in the law amended, which does not have it
        // yet.
        if before.ends_with("作为") {
            return Named::Elsewhere(list_end(text, end));
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
            let (ci, k) = self.article_para(place)?;
            let c = &self.reg.clauses[ci];
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
            let (ci, _) = self.article_para(place)?;
            let c = &self.reg.clauses[ci];
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
        // 前条: the article before the one the text stands in (之一 counted as written).
        if rest.starts_with("前条") {
            let (ci, _) = self.article_para(place)?;
            let before = self.reg.clauses[..ci]
                .iter()
                .rposition(|c| c.kind == ClauseKind::Article)?;
            return Some(Found {
                range: at..at + "前条".len(),
                result: Ok(Target::Regulation {
                    id: self.reg.id.clone(),
                    anchor: Some(self.reg.clauses[before].anchor.clone()),
                }),
            });
        }
        for p in ["前款", "上款"] {
            if rest.starts_with(p) {
                let (clause, k) = self.article_para(place)?;
                let c = &self.reg.clauses[clause];
                let end = at + p.len();
                // 前款第（一）项: an item of that paragraph.
                if k > 1
                    && let Some((m, len)) = parse_item_ref(&text[end..])
                {
                    let item = item_anchor(self.reg, clause, Some(k - 1), m);
                    let cited = at..end + len;
                    return Some(Found {
                        result: match item {
                            Some(a) => Ok(Target::Regulation {
                                id: self.reg.id.clone(),
                                anchor: Some(a),
                            }),
                            None => Err(Problem::new(
                                "RB036",
                                vec![
                                    ("label", text[cited.clone()].to_string()),
                                    ("title", self.reg.title.clone()),
                                ],
                            )),
                        },
                        range: cited,
                    });
                }
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
        let a = parse_article_ref(r)?;
        let end = at + (rest.len() - r.len()) + a.used;
        let label = &text[at..end];
        Some(Found {
            range: at..end,
            result: match article_anchor(self.reg, &a) {
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

impl Scanner<'_> {
    /// The article a place stands in and its paragraph (款): the place's own for text of an
    /// article, the item's 款 for text of an item (（二）有前款规定情形的).
    fn article_para(&self, place: Place) -> Option<(usize, u32)> {
        let clauses = &self.reg.clauses;
        let mut at = place.clause?;
        if clauses[at].kind == ClauseKind::Article {
            return Some((at, place.para?));
        }
        let mut para = 0;
        while clauses[at].kind != ClauseKind::Article {
            if clauses[at].kind == ClauseKind::Item {
                para = clauses[at].para;
            }
            at = clauses[at].parent?;
        }
        (para > 0).then_some((at, para))
    }
}

/// Where the 《 of a title closes, in the text after it: at its 》, over titles nested in it
/// (《关于适用《中华人民共和国民事诉讼法》的解释》, as converters write 〈〉). None if it does not
/// close within a title's length: looking further went on to the end of a long unclosed run from
/// each of its 《 (quadratic).
fn closing_bracket(s: &str) -> Option<usize> {
    // One title inside a title, as law titles have; a second level, or a 《 right inside a 《,
    // is no title (and stops the scan at once on a run of 《).
    let mut inner = false;
    for (i, c) in s.char_indices().take(limits::MAX_NAME_CHARS + 1) {
        match c {
            '《' if inner || i == 0 => return None,
            '《' => inner = true,
            '》' if inner => inner = false,
            '》' => return Some(i),
            _ => {}
        }
    }
    None
}

/// The bytes a 《title》 at the start of `rest` takes with the articles cited after it.
fn title_end(rest: &str) -> Option<usize> {
    let inner = rest.strip_prefix('《')?;
    let end = '《'.len_utf8() + closing_bracket(inner)? + '》'.len_utf8();
    Some(match parse_article_ref(&rest[end..]) {
        Some(r) => list_end(rest, end + r.used),
        None => end,
    })
}

/// Whether a reference's text ends with an article, paragraph or item (第五条, 第五条之一, 第二款,
/// 第（三）项), so a 第N条 listed after it is of the same document.
fn ends_with_article(cited: &str) -> bool {
    if cited.ends_with(['条', '项', '款']) {
        return true;
    }
    let digits = cited.trim_end_matches(|c| super::articles::CN_NUM.contains(c));
    digits.len() < cited.len() && digits.ends_with("条之")
}

/// The end of a 第N条 at `at` listed right after a reference that was a problem and named an
/// article itself.
fn listed_after_problem(text: &str, at: usize, previous: Option<&Found>) -> Option<usize> {
    let previous = previous.filter(|p| p.result.is_err())?;
    let between = text.get(previous.range.end..at)?;
    if !LIST_JOINERS.contains(&between) || !ends_with_article(&text[previous.range.clone()]) {
        return None;
    }
    parse_article_ref(&text[at..]).map(|r| at + r.used)
}

/// The end of a list of articles that starts with one ending at `end`: 、第十二条, 和第十五条,
/// 至第二十条 … each taken while one follows.
fn list_end(text: &str, mut end: usize) -> usize {
    loop {
        let rest = &text[end..];
        let Some(j) = LIST_JOINERS.iter().find(|j| rest.starts_with(**j)) else {
            return end;
        };
        match parse_article_ref(&rest[j.len()..]) {
            Some(r) => end += j.len() + r.used,
            None => return end,
        }
    }
}

/// The longest short name looked for before a 第N条 (中华人民共和国测试甲法 is 11 characters).
pub(super) const MAX_SHORT_NAME: usize = 24;

/// What stands before a 第N条: a name of the handbook's, another law's name, or neither.
pub(super) enum Named {
    Found(Found),
    /// Another law's article, ending here: plain text.
    Elsewhere(usize),
    No,
}
