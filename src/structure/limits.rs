//! Limits on what a regulation may contain, so that no input can crash or hang the build.
//!
//! **Nesting.** pulldown-cmark parses any depth without recursion, but the HTML minifier the
//! pages go through (minify-html) parses elements recursively: a body of a few thousand `>` or `*`
//! overflowed the stack of a rayon worker and aborted the whole process (a debug build from about
//! 400 levels). A body nested deeper than [`MAX_NESTING`] is an error found while the body is
//! parsed ([`Nesting`], fed by [`super::parse::parse`]'s one pass over the Markdown events),
//! long before anything is rendered.
//!
//! **Names.** A title or alias longer than [`MAX_NAME_CHARS`] is refused
//! ([`name_problems`], reported by the references stage), and a 《…》 longer than that is not a
//! reference: no regulation can have that title.

use pulldown_cmark::{Event, Tag, TagEnd};

/// Deepest nesting a body may have: block quotes, lists, emphasis, links and raw HTML elements
/// inside one another (a list and its items count as one level).
pub const MAX_NESTING: usize = 64;

/// Longest title or alias, in characters.
pub const MAX_NAME_CHARS: usize = 500;

/// Elements without content (no closing tag).
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose closing tag may be left out before one of the following opening tags: such a
/// tag closes the element first (`<li>a<li>b` are siblings, `<tr><td>a<tr>` nests the second row
/// in the cell). The rules of the minifier (minify-html's `can_omit_as_before`).
const CLOSED_BEFORE: &[(&str, &[&str])] = &[
    ("li", &["li"]),
    ("dt", &["dt", "dd"]),
    ("dd", &["dd", "dt"]),
    (
        "p",
        &[
            "address",
            "article",
            "aside",
            "blockquote",
            "details",
            "div",
            "dl",
            "fieldset",
            "figcaption",
            "figure",
            "footer",
            "form",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "header",
            "hgroup",
            "hr",
            "main",
            "menu",
            "nav",
            "ol",
            "p",
            "pre",
            "section",
            "table",
            "ul",
        ],
    ),
    ("rt", &["rt", "rp"]),
    ("rp", &["rt", "rp"]),
    ("optgroup", &["optgroup"]),
    ("option", &["option", "optgroup"]),
    ("thead", &["tbody", "tfoot"]),
    ("tbody", &["tbody", "tfoot"]),
    ("tr", &["tr"]),
    ("td", &["td", "th"]),
    ("th", &["td", "th"]),
    ("head", &["body"]),
];

fn closed_before(open: &str, next: &str) -> bool {
    CLOSED_BEFORE
        .iter()
        .any(|(o, followers)| *o == open && followers.contains(&next))
}

/// Elements a closing tag of their parent also closes (`<tr><td>a</tr>`), the minifier's
/// `can_omit_as_last_node` (for `p`, unless the parent is one of a few inline elements).
fn closed_by_parent_end(parent: &str, child: &str) -> bool {
    match child {
        "html" | "head" | "body" | "li" | "dd" | "rt" | "rp" | "optgroup" | "option" | "tbody"
        | "tfoot" | "tr" | "td" | "th" => true,
        "p" => !matches!(
            parent,
            "a" | "audio" | "del" | "ins" | "map" | "noscript" | "video"
        ),
        _ => false,
    }
}

/// The nesting depth of a body, followed event by event. Linear in the body and never recursive.
///
/// Markdown elements and raw HTML elements share one stack, as they share one page: a Markdown
/// element's closing tag closes it only when nothing opened inside it is left open. Behind an
/// unclosed raw element (`* a <td>`) it is lost: the minifier drops a closing tag that does not
/// match the innermost element, and the sanitiser ignores one that a table cell is in the way of,
/// so everything after nests inside. Such an element stays open and counts as a level, whatever
/// its kind.
#[derive(Debug, Clone, Default)]
pub struct Nesting {
    /// Open elements, innermost last. Tracking stops at the first place that is too deep.
    stack: Vec<Open>,
    /// Positions in `stack` of the Markdown elements whose end has not come yet, innermost last.
    markdown: Vec<usize>,
    /// Levels the open elements count for.
    depth: usize,
    /// Open `svg` and `math` elements (where `<x/>` closes itself).
    foreign: usize,
    /// The deepest point so far (up to the first that is too deep).
    deepest: usize,
    /// Byte offset in the body of the first event deeper than [`MAX_NESTING`].
    too_deep: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Open {
    /// A Markdown element; `counted` if it counts as a level.
    Markdown { counted: bool },
    /// A raw HTML element (lower-case name).
    Html(String),
}

impl Nesting {
    /// Follow one event; `offset` is where it starts in the body.
    pub fn event(&mut self, event: &Event, offset: usize) {
        if self.too_deep.is_some() {
            return;
        }
        match event {
            // No element of their own: the raw HTML block's lines, the front-matter block.
            Event::Start(Tag::HtmlBlock | Tag::MetadataBlock(_))
            | Event::End(TagEnd::HtmlBlock | TagEnd::MetadataBlock(_)) => {}
            Event::Start(tag) => {
                self.markdown.push(self.stack.len());
                self.push(Open::Markdown {
                    counted: counts(tag),
                });
            }
            Event::End(_) => {
                let Some(at) = self.markdown.pop() else {
                    return;
                };
                if at + 1 == self.stack.len() {
                    self.pop();
                } else if let Open::Markdown { counted } = &mut self.stack[at]
                    && !*counted
                {
                    // Lost behind a raw element: it stays open, and counts.
                    *counted = true;
                    self.depth += 1;
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => self.html(h),
            _ => {}
        }
        self.deepest = self.deepest.max(self.depth);
        if self.deepest > MAX_NESTING {
            self.too_deep = Some(offset);
        }
    }

    /// Current depth.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The deepest point so far.
    pub fn deepest(&self) -> usize {
        self.deepest
    }

    /// Where the body first nests deeper than [`MAX_NESTING`] (a byte offset), if it does.
    pub fn too_deep(&self) -> Option<usize> {
        self.too_deep
    }

    fn push(&mut self, open: Open) {
        match &open {
            Open::Markdown { counted } => self.depth += usize::from(*counted),
            Open::Html(name) => {
                self.depth += 1;
                self.foreign += usize::from(name == "svg" || name == "math");
            }
        }
        self.stack.push(open);
    }

    fn pop(&mut self) {
        match self.stack.pop() {
            Some(Open::Markdown { counted }) => self.depth -= usize::from(counted),
            Some(Open::Html(name)) => {
                self.depth -= 1;
                self.foreign -= usize::from(name == "svg" || name == "math");
            }
            None => {}
        }
    }

    fn top_html(&self) -> Option<&str> {
        match self.stack.last() {
            Some(Open::Html(n)) => Some(n),
            _ => None,
        }
    }

    /// Follow the tags in a run of raw HTML the way the minifier nests them: an opening tag
    /// closes the elements whose closing tag may be left out before it, then opens an element
    /// (unless void); a closing tag closes the innermost element if it has that name (or its parent,
    /// when the innermost one's closing tag may be left out), and is dropped otherwise. Comments and
    /// declarations open nothing.
    fn html(&mut self, h: &str) {
        let b = h.as_bytes();
        let mut i = 0;
        while let Some(p) = b[i..].iter().position(|&c| c == b'<').map(|p| p + i) {
            i = p + 1;
            // Comments, declarations and processing instructions open nothing.
            if b[i..].starts_with(b"!--") {
                i = find(b, i + 3, b"-->").map_or(b.len(), |e| e + 3);
                continue;
            }
            if matches!(b.get(i), Some(b'!' | b'?')) {
                i = find(b, i, b">").map_or(b.len(), |e| e + 1);
                continue;
            }
            let closing = b.get(i) == Some(&b'/');
            let name_start = if closing { i + 1 } else { i };
            let name_len = b[name_start..]
                .iter()
                .take_while(|c| !c.is_ascii_whitespace() && !matches!(c, b'/' | b'>' | b'<'))
                .count();
            if name_len == 0 || !b[name_start].is_ascii_alphabetic() {
                continue;
            }
            let name = h[name_start..name_start + name_len].to_ascii_lowercase();
            i = name_start + name_len;
            if closing {
                let n = self.stack.len();
                if self.top_html() == Some(name.as_str()) {
                    self.pop();
                } else if n >= 2
                    && self.stack[n - 2] == Open::Html(name.clone())
                    && self
                        .top_html()
                        .is_some_and(|child| closed_by_parent_end(&name, child))
                {
                    self.pop();
                    self.pop();
                }
                continue;
            }
            while self.top_html().is_some_and(|top| closed_before(top, &name)) {
                self.pop();
            }
            if VOID.contains(&name.as_str()) {
                continue;
            }
            // `<x/>` closes itself only in SVG and MathML.
            let end = b[i..]
                .iter()
                .position(|&c| c == b'>' || c == b'<')
                .map(|e| e + i);
            let self_closing = end.is_some_and(|e| b[e] == b'>' && b[e - 1] == b'/');
            if self_closing && self.foreign > 0 {
                continue;
            }
            self.push(Open::Html(name));
            self.deepest = self.deepest.max(self.depth);
            if self.deepest > MAX_NESTING {
                return;
            }
        }
    }
}

/// Position of `needle` in `b` at or after `from`.
fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Markdown containers that nest: everything but leaves (paragraphs, headings, code) and the parts
/// of a list or table, which come one level inside their list or table.
fn counts(tag: &Tag) -> bool {
    !matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::Item
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::MetadataBlock(_)
    )
}

/// A title or alias that is too long: (which, its length in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameProblem {
    /// `None` for the title, `Some(i)` for the i-th alias.
    pub alias: Option<usize>,
    pub chars: usize,
}

/// Titles and aliases longer than [`MAX_NAME_CHARS`].
pub fn name_problems(title: &str, aliases: &[String]) -> Vec<NameProblem> {
    std::iter::once((None, title))
        .chain(
            aliases
                .iter()
                .enumerate()
                .map(|(i, a)| (Some(i), a.as_str())),
        )
        .filter(|(_, n)| too_long(n))
        .map(|(alias, n)| NameProblem {
            alias,
            chars: n.chars().count(),
        })
        .collect()
}

/// Whether a name is longer than [`MAX_NAME_CHARS`] characters (without counting all of a long one).
pub fn too_long(name: &str) -> bool {
    name.len() > MAX_NAME_CHARS && name.chars().nth(MAX_NAME_CHARS).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::clauses::markdown_options;
    use pulldown_cmark::Parser;

    fn depth_of(body: &str) -> (usize, Option<usize>) {
        let mut n = Nesting::default();
        for (e, r) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
            n.event(&e, r.start);
        }
        (n.deepest(), n.too_deep())
    }

    #[test]
    fn depths() {
        let cases: &[(&str, usize)] = &[
            ("第一条　正文。", 0),
            ("> a", 1),
            ("> > > a", 3),
            ("* a\n  * b\n    * c", 3),
            ("1. 2. 3. a", 3),
            ("***a***", 2),
            ("*a **b** c*", 2),
            ("[*a*](x)", 2),
            // A link inside a link is not one.
            ("[[[a](u)](v)](w)", 1),
            ("| a |\n|---|\n| *b* |", 2),
            ("> | a |\n> |---|\n> | b |", 2),
            ("<div><div>a</div></div>", 2),
            ("<div><span>a</div>", 2),
            ("x <b>a</b> <i>b</i>", 1),
            ("x <br> <br/> <img src=a> <hr>", 0),
            ("<ul><li>a<li>b<li>c</ul>", 2),
            ("<table><tr><td>a<td>b</tr><tr><td>c</table>", 3),
            // The minifier nests a row left open in a cell (`<td>` is not closed by `<tr>`).
            ("<table><tr><td>a<td>b<tr><td>c</table>", 5),
            ("<dl><dt>a<dd>b<dt>c<dd>d</dl>", 2),
            ("<div><p>a<div>b</div></div>", 2),
            ("<!-- <div><div> -->x", 0),
            ("<svg><path/><path/></svg>", 1),
            // `<span/>` is an opening tag in HTML: the paragraph ends behind two open spans.
            ("x <span/> <span/>", 3),
            ("a < b, 3<4, <3", 0),
            // A Markdown element's end behind an unclosed raw element is lost: it stays open.
            ("* a <span>\n* b <span>\n* c", 5),
            ("* a <span></span>\n* b <span></span>\n* c", 2),
            ("| a |\n|---|\n| <td> |\n| <td> |", 7),
            ("`<div><div>`", 0),
        ];
        for (body, want) in cases {
            assert_eq!(depth_of(body).0, *want, "{body:?}");
        }
    }

    #[test]
    fn too_deep_where() {
        let at = MAX_NESTING;
        let body = format!("x\n\n{}y\n", "> ".repeat(at));
        assert_eq!(depth_of(&body).1, None);
        let body = format!("x\n\n{}y\n", "> ".repeat(at + 1));
        let (_, offset) = depth_of(&body);
        let offset = offset.expect("too deep");
        assert_eq!(
            &body[..offset].matches('\n').count(),
            &2,
            "on the third line"
        );
        for deep in [
            "> ".repeat(6000) + "x",
            "* ".repeat(6000) + "x",
            "1. ".repeat(6000) + "x",
            format!("{}x{}", "*".repeat(6000), "*".repeat(6000)),
            format!("{}x{}", "_".repeat(6000), "_".repeat(6000)),
            format!("{}x{}", "*a ".repeat(3000), " a*".repeat(3000)),
            "<div>".repeat(6000),
            format!("x {}", "<em>".repeat(6000)),
            format!("x {}", "<li><p>".repeat(6000)),
            format!("x {}", "<tr><td>".repeat(6000)),
        ] {
            assert!(depth_of(&deep).1.is_some(), "{}", &deep[..20]);
        }
    }

    /// Inputs the fuzzer (fuzz/fuzz_targets/parse.rs) found nesting deeper than this measured.
    #[test]
    fn fuzz_regressions() {
        // Lists 30 deep, each ending in an unclosed raw table cell: the sanitiser ignores the list
        // ends behind the cell, so the next lists nest inside it (254 elements deep, measured 38
        // when Markdown and raw HTML were counted apart).
        let body = "* ".repeat(30) + "a <table><td>\n\n";
        assert!(depth_of(&body.repeat(4)).1.is_some());
        // One of them: 30 lists, the paragraph, the table and cell, then the 30 items whose ends
        // are lost (the lists' ends are lost too, but they count already).
        assert_eq!(depth_of(&body).0, 62);
    }

    #[test]
    fn names() {
        assert!(!too_long(&"甲".repeat(MAX_NAME_CHARS)));
        assert!(too_long(&"甲".repeat(MAX_NAME_CHARS + 1)));
        assert!(!too_long(&"a".repeat(MAX_NAME_CHARS)));
        let long = "乙".repeat(100_000);
        let problems = name_problems("短", &["a".into(), long]);
        assert_eq!(
            problems,
            [NameProblem {
                alias: Some(1),
                chars: 100_000
            }]
        );
        // Reported at the alias, with the limit.
        let mut reg = crate::model::Regulation::new("r", "短", "");
        reg.aliases = vec!["a".into(), "乙".repeat(100_000)];
        let d = crate::structure::references::name_diagnostics(&reg);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Some("RB095"));
        assert!(d[0].message.contains("at most 500"), "{}", d[0].message);
    }
}
