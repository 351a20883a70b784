//! A regulation body parsed once: its top-level blocks, each with the clause it belongs to, and text
//! runs that carry the references the analysis found in them.
//!
//! The analysis stage builds this tree (one Markdown parse, one scan for references); every output
//! reads it and none parses or scans the text again.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, LinkType};

use super::reference::Target;

/// The parsed body of one regulation.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub blocks: Vec<Block>,
}

/// One top-level Markdown block (a paragraph, heading, list, table …).
#[derive(Debug, Clone)]
pub struct Block {
    /// Index of the clause the block belongs to in [`super::Regulation::clauses`].
    pub clause: Option<usize>,
    /// Whether this block opens its clause; its numbering marker (一、, 第三条 …) is then already cut
    /// from `pieces` (the clause's label carries it).
    pub opens: bool,
    /// The paragraph (款) of an article this block is: 1 for the article's first paragraph, 2 for the
    /// next one directly in the article, and so on. `None` outside articles.
    pub para: Option<u32>,
    /// 1-based line within the body.
    pub line: usize,
    pub kind: BlockKind,
    /// A heading that opens no clause: its anchor (a readable slug of its text, unique on the page;
    /// see `structure::parse::slug`). Clauses have their own anchors.
    pub anchor: Option<String>,
    /// The block's content. For paragraphs and headings, without their own start and end events.
    pub pieces: Vec<Piece>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading(HeadingLevel),
    /// Lists, tables, quotes, code, rules, raw HTML: rendered as Markdown renders them.
    Other,
}

/// A piece of a block: a Markdown event as parsed, a run of text with its references, or the start
/// of a link whose destination the analysis has decided.
#[derive(Debug, Clone)]
pub enum Piece {
    Event(Event<'static>),
    Text(Run),
    /// Start of a link (or, with `image`, of an image); its end is an ordinary
    /// `Event::End(TagEnd::Link | TagEnd::Image)`. `offset` is where it stands in the body.
    Link {
        to: LinkTo,
        title: String,
        link_type: LinkType,
        offset: usize,
        image: bool,
    },
}

/// Where a link written in Markdown goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTo {
    /// A URL as the editor wrote it (the URL policy decides at the edge whether it is written).
    Url(String),
    /// An editor's explicit reference (`@id#anchor`), resolved.
    Target(Target),
    /// An explicit reference that does not resolve (reported as an error): rendered as a dead link.
    Unresolved,
    /// An address the URL policy refuses (reported as a warning): the text stays, unlinked.
    Dropped,
    /// A page or file of the built site the author's relative link leads to (a folder's category
    /// page, a file copied beside the pages): its path from the site root, percent-encoded, with
    /// its `#fragment` if any. The renderer puts the way to the root in front.
    Site(String),
}

/// A run of plain text and the references found in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    /// Byte offset of the run in the source it came from (the body, for body text), for locating
    /// what is found in it. Approximate where Markdown unescaped the text (entities).
    pub offset: usize,
    /// References in `text`, in order, not overlapping.
    pub spans: Vec<Span>,
}

impl Run {
    pub fn new(text: impl Into<String>, offset: usize) -> Run {
        Run {
            text: text.into(),
            offset,
            spans: Vec::new(),
        }
    }
}

/// A reference inside a [`Run`]: its byte range in the run's text and what it points at (`None` if
/// it does not resolve; that is reported as a diagnostic and the text is marked, not linked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub range: Range<usize>,
    pub target: Option<Target>,
}

impl Body {
    /// The plain text of the blocks belonging directly to a clause (its own paragraphs, not its
    /// sub-clauses), marker cut, paragraphs separated by newlines.
    pub fn clause_text(&self, clause: usize) -> String {
        let mut out = String::new();
        for b in self.blocks.iter().filter(|b| b.clause == Some(clause)) {
            if !out.is_empty() {
                out.push('\n');
            }
            b.push_text(&mut out);
        }
        out
    }

    /// [`Body::clause_text`] of every clause at once (`clauses` of them), in one pass.
    pub fn clause_texts(&self, clauses: usize) -> Vec<String> {
        let mut out = vec![String::new(); clauses];
        for b in &self.blocks {
            if let Some(text) = b.clause.and_then(|c| out.get_mut(c)) {
                if !text.is_empty() {
                    text.push('\n');
                }
                b.push_text(text);
            }
        }
        out
    }

    /// The text before the first numbered clause.
    pub fn preamble_text(&self) -> String {
        let mut out = String::new();
        for b in self.blocks.iter().take_while(|b| b.clause.is_none()) {
            if !out.is_empty() {
                out.push('\n');
            }
            b.push_text(&mut out);
        }
        out
    }
}

impl Block {
    /// Append the block's plain text (text runs and inline code; soft breaks as nothing between
    /// Chinese characters, hard breaks and block ends as newlines).
    pub fn push_text(&self, out: &mut String) {
        use pulldown_cmark::TagEnd;
        for p in &self.pieces {
            match p {
                Piece::Text(r) => out.push_str(&r.text),
                Piece::Event(Event::Text(t) | Event::Code(t)) => out.push_str(t),
                Piece::Event(Event::SoftBreak)
                    if out
                        .chars()
                        .last()
                        .is_some_and(|c| c.is_ascii_alphanumeric()) =>
                {
                    out.push(' ')
                }
                Piece::Event(
                    Event::HardBreak
                    | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableRow),
                ) if !out.ends_with('\n') && !out.is_empty() => out.push('\n'),
                Piece::Event(Event::End(TagEnd::TableCell)) => out.push(' '),
                _ => {}
            }
        }
        while out.ends_with('\n') {
            out.pop();
        }
    }

    pub fn text(&self) -> String {
        let mut s = String::new();
        self.push_text(&mut s);
        s
    }
}
