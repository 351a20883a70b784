//! Parses a regulation body once: Markdown events grouped into top-level blocks, each placed in the
//! clause tree, clause markers cut, plain text gathered into runs for the reference scan.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};

use super::clauses::{Note, Outliner, markdown_options};
use super::limits::{self, Nesting};
use super::lines::LineIndex;
use crate::error::Severity;
use crate::model::{Block, BlockKind, Body, Clause, LinkTo, Piece, Run};

/// A body parsed: its tree, its clauses, and numbering problems.
#[derive(Debug, Default)]
pub struct Parsed {
    pub body: Body,
    pub clauses: Vec<Clause>,
    pub notes: Vec<Note>,
}

type Spanned = (Event<'static>, Range<usize>);

/// Parse `source` (a regulation body).
pub fn parse(source: &str) -> Parsed {
    let lines = LineIndex::new(source);
    let mut outliner = Outliner::default();
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut current: Vec<Spanned> = Vec::new();
    let mut nesting = Nesting::default();
    for (event, range) in Parser::new_ext(source, markdown_options()).into_offset_iter() {
        nesting.event(&event, range.start);
        let event = event.into_static();
        match event {
            Event::Start(_) => {
                depth += 1;
                current.push((event, range));
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                current.push((event, range));
                if depth == 0 {
                    blocks.push(block(std::mem::take(&mut current), &lines, &mut outliner));
                }
            }
            _ if depth == 0 => blocks.push(block(vec![(event, range)], &lines, &mut outliner)),
            _ => current.push((event, range)),
        }
    }
    for (i, placed) in outliner.take_revisions() {
        if let Some(b) = blocks.get_mut(i) {
            b.clause = placed.clause;
            b.para = placed.para;
        }
    }
    anchor_headings(&mut blocks, &outliner.clauses);
    let mut notes = outliner.notes;
    if let Some(at) = nesting.too_deep() {
        notes.insert(
            0,
            Note {
                line: lines.line(at),
                severity: Severity::Error,
                code: "RB096",
                args: vec![("max", limits::MAX_NESTING.to_string())],
            },
        );
    }
    Parsed {
        body: Body { blocks },
        clauses: outliner.clauses,
        notes,
    }
}

/// Make one top-level block of its events and place it in the outline.
fn block(mut events: Vec<Spanned>, lines: &LineIndex, outliner: &mut Outliner) -> Block {
    let line = events.first().map_or(1, |(_, r)| lines.line(r.start));
    let kind = match events.first() {
        Some((Event::Start(Tag::Paragraph), _)) => BlockKind::Paragraph,
        Some((Event::Start(Tag::Heading { level, .. }), _)) => BlockKind::Heading(*level),
        _ => BlockKind::Other,
    };
    let textual = kind != BlockKind::Other;
    let text: String = events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let placed = outliner.block(&text, textual, line);
    if textual && events.len() >= 2 {
        events.remove(0);
        events.pop();
    }
    if let Some(len) = placed.marker {
        strip_marker(&mut events, len);
    }
    Block {
        clause: placed.clause,
        opens: placed.marker.is_some(),
        para: placed.para,
        line,
        kind,
        anchor: None,
        pieces: pieces(events),
    }
}

/// Ids a page's template gives its own elements, which a heading's anchor must not take.
const RESERVED_IDS: &[&str] = &[
    "top",
    "main",
    "preamble",
    "page-toc",
    "page-toc-label",
    "site-nav",
    "search-popup",
    "risk-register",
    "procedures",
    "cited-by",
    "roles-involved",
    "contents",
];

/// Give every heading that opens no clause an anchor: [`slug`] of its text, made unique on the page
/// (`-2`, `-3` … after a repeat, as GitHub and Hugo do) and never one of the clauses' anchors.
fn anchor_headings(blocks: &mut [Block], clauses: &[Clause]) {
    let mut taken: std::collections::HashSet<String> = clauses
        .iter()
        .map(|c| c.anchor.clone())
        .chain(RESERVED_IDS.iter().map(|s| s.to_string()))
        .collect();
    for b in blocks.iter_mut() {
        if b.opens || !matches!(b.kind, BlockKind::Heading(_)) {
            continue;
        }
        let mut base = slug(&b.text());
        if base.is_empty() {
            base = "section".into();
        }
        let mut anchor = base.clone();
        let mut n = 1;
        while taken.contains(&anchor) || is_clause_like(&anchor) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        taken.insert(anchor.clone());
        b.anchor = Some(anchor);
    }
}

/// Whether `a` has the shape of a clause, paragraph or register anchor (`art3`, `sec2-item1`,
/// `art2-para2`, `risk-4`, `proc-x`), which a heading must not take even where the page has no such
/// clause: such addresses belong to the clause scheme.
fn is_clause_like(a: &str) -> bool {
    let first = a.split('-').next().unwrap_or(a);
    let numbered = |p: &str| {
        first
            .strip_prefix(p)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    numbered("art")
        || numbered("sec")
        || numbered("ch")
        || a.starts_with("risk-")
        || a.starts_with("proc-")
}

/// A heading's readable anchor, as GitHub and Hugo write it, so authors' `#heading` links keep
/// working: letters and digits lower-cased (any script: a Chinese heading keeps its characters),
/// spaces and hyphens as `-`, `_` kept, other punctuation left out; no leading or trailing `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == ' ' || c == '-' || c == '\u{3000}' {
            out.push('-');
        } else if c == '_' {
            out.push('_');
        }
    }
    out.trim_matches('-').to_string()
}

/// Drop `len` bytes of leading text (the clause marker) from a block's inner events.
fn strip_marker(events: &mut Vec<Spanned>, mut len: usize) {
    let mut i = 0;
    while len > 0 && i < events.len() {
        match &events[i].0 {
            Event::Text(t) | Event::Code(t) => {
                if t.len() <= len {
                    len -= t.len();
                    events.remove(i);
                } else {
                    let mut cut = len;
                    while !t.is_char_boundary(cut) {
                        cut += 1;
                    }
                    let rest = t[cut..].to_string();
                    let range = &mut events[i].1;
                    range.start = (range.start + cut).min(range.end);
                    events[i].0 = Event::Text(CowStr::from(rest));
                    len = 0;
                }
            }
            Event::SoftBreak => {
                events.remove(i);
            }
            _ => i += 1,
        }
    }
    // The spaces after a marker belong to it even when the text goes on after a line break.
    while let Some((Event::SoftBreak, _)) = events.first() {
        events.remove(0);
    }
}

/// Events to pieces: text outside links and images becomes runs (adjacent text merged, so that a
/// reference Markdown split in two is still found); everything else stays an event.
fn pieces(events: Vec<Spanned>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(events.len());
    // Inside a link or an image (whose text is its alt attribute), text is the editor's own.
    let mut in_link = 0usize;
    let mut last_end = usize::MAX;
    for (event, range) in events {
        let image = matches!(event, Event::Start(Tag::Image { .. }));
        match event {
            Event::Text(t) if in_link == 0 => {
                if let Some(Piece::Text(run)) = out.last_mut()
                    && last_end == range.start
                {
                    run.text.push_str(&t);
                } else {
                    out.push(Piece::Text(Run::new(t.to_string(), range.start)));
                }
                last_end = range.end;
                continue;
            }
            Event::Start(
                Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    ..
                }
                | Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    ..
                },
            ) => {
                in_link += 1;
                last_end = usize::MAX;
                out.push(Piece::Link {
                    to: LinkTo::Url(dest_url.to_string()),
                    title: title.to_string(),
                    link_type,
                    offset: range.start,
                    image,
                });
                continue;
            }
            Event::End(TagEnd::Link | TagEnd::Image) => in_link = in_link.saturating_sub(1),
            _ => {}
        }
        last_end = usize::MAX;
        out.push(Piece::Event(event));
    }
    out
}

#[cfg(test)]
#[allow(clippy::type_complexity)] // table-driven tests spell out their rows' types
mod tests {
    use super::*;

    fn texts(p: &Parsed) -> Vec<(Option<usize>, bool, Option<u32>, usize, String)> {
        p.body
            .blocks
            .iter()
            .map(|b| (b.clause, b.opens, b.para, b.line, b.text()))
            .collect()
    }

    #[test]
    fn blocks_clauses_and_text() {
        let p = parse("前言。\n\n第一条　甲\n乙。\n\n第二款。\n\n第二条　丙**重**。\n\n- 列表\n");
        let anchors: Vec<&str> = p.clauses.iter().map(|c| c.anchor.as_str()).collect();
        assert_eq!(anchors, ["art1", "art2"]);
        assert_eq!(
            texts(&p),
            [
                (None, false, None, 1, "前言。".to_string()),
                (Some(0), true, Some(1), 3, "甲乙。".into()),
                (Some(0), false, Some(2), 6, "第二款。".into()),
                (Some(1), true, Some(1), 8, "丙重。".into()),
                (Some(1), false, None, 10, "列表".into()),
            ]
        );
        // The full text of a clause: its own paragraphs, not its sub-clauses.
        assert_eq!(p.body.clause_text(0), "甲乙。\n第二款。");
        assert_eq!(p.body.clause_text(1), "丙重。\n列表");
        assert_eq!(p.body.clause_texts(2), ["甲乙。\n第二款。", "丙重。\n列表"]);
        assert_eq!(p.body.preamble_text(), "前言。");
    }

    #[test]
    fn headings_get_readable_unique_anchors() {
        let p = parse(
            "## Billing\n\ntext\n\n## Two-factor authentication!\n\n## Billing\n\n## Art 1\n\n## 一、总则\n\n## 附则说明\n\n## Top\n",
        );
        let anchors: Vec<Option<&str>> =
            p.body.blocks.iter().map(|b| b.anchor.as_deref()).collect();
        assert_eq!(
            anchors,
            [
                Some("billing"),
                None,
                Some("two-factor-authentication"),
                Some("billing-2"),
                Some("art-1"),
                None, // a clause: its anchor is sec1
                Some("附则说明"),
                Some("top-2"),
            ]
        );
        assert_eq!(slug("Q&A: what's new?"), "qa-whats-new");
        assert_eq!(slug("art1"), "art1");
        assert!(
            is_clause_like("art1") && is_clause_like("sec2-item1") && !is_clause_like("article")
        );
    }

    #[test]
    fn runs_point_into_the_source() {
        let src = "一、见《甲》\n和[链接](x)与`代码`。\n";
        let p = parse(src);
        let runs: Vec<(&str, usize)> = p.body.blocks[0]
            .pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Text(r) => Some((r.text.as_str(), r.offset)),
                _ => None,
            })
            .collect();
        // The marker is cut; link text and code are not runs.
        assert_eq!(runs, [("见《甲》", 6), ("和", 19), ("与", 33), ("。", 44)]);
        for (text, offset) in runs {
            assert!(src[offset..].starts_with(text), "{text}");
        }
    }
}
