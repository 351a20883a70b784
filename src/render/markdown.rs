//! Renders a regulation body's parsed tree to HTML: clause sections with permanent anchors, number
//! links and copy-link controls, references as links, raw HTML handled by the site's policy, every
//! link and image address by the URL policy ([`crate::url`]), and no control characters.
//!
//! Nothing here parses Markdown or looks for references: the tree in the model has both already.

use std::borrow::Cow;
use std::fmt::Write as _;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd, html};

use crate::config::RawHtml;
use crate::model::{
    BlockKind, Clause, ClauseKind, LinkTo, Piece, Regulation, Run, is_stray_control,
};
use crate::url;

/// How a page shows what the analysis found: references in text runs, links' destinations, and
/// what follows a clause's heading (its backlinks).
pub trait Links {
    /// Write `run` as HTML: its text escaped, its references as links.
    fn run(&mut self, run: &Run, out: &mut String);

    /// The href of a Markdown link.
    fn href(&mut self, to: &LinkTo) -> String;

    /// HTML to show right after a clause's heading (its backlinks), if any.
    fn after_clause_head(&mut self, _anchor: &str, _out: &mut String) {}

    /// How an anchor of the body (a clause's, a paragraph's, the preamble's) is written as an `id`
    /// and in the `#…` of its own number link. Unchanged on a regulation's page; a page holding many
    /// regulations (print.html) makes them unique.
    fn id<'a>(&self, anchor: &'a str) -> Cow<'a, str> {
        Cow::Borrowed(anchor)
    }
}

/// Escapes text, writes links as they are, and nothing more.
pub struct PlainText;

impl Links for PlainText {
    fn run(&mut self, run: &Run, out: &mut String) {
        escape_into(&run.text, out);
    }

    fn href(&mut self, to: &LinkTo) -> String {
        match to {
            LinkTo::Url(u) | LinkTo::Site(u) => u.clone(),
            LinkTo::Target(_) | LinkTo::Unresolved | LinkTo::Dropped => "#".into(),
        }
    }
}

/// [`PlainText`] for a page `.0` from the site root (`../`): the addresses of the site's own pages
/// and files an author's link was resolved to ([`LinkTo::Site`]) get the way to the root.
pub struct Rooted(pub &'static str);

impl Links for Rooted {
    fn run(&mut self, run: &Run, out: &mut String) {
        escape_into(&run.text, out);
    }

    fn href(&mut self, to: &LinkTo) -> String {
        match to {
            LinkTo::Site(path) => format!("{}{path}", self.0),
            other => PlainText.href(other),
        }
    }
}

/// Remove [stray control characters](is_stray_control) from `s`.
pub fn strip_controls(s: &mut String) {
    if super::minify::first_control(s.as_bytes()).is_none() {
        return;
    }
    let mut bytes = std::mem::take(s).into_bytes();
    super::minify::strip_control_bytes(&mut bytes);
    // Whole characters were removed, so the rest is still UTF-8.
    *s = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into());
}

/// Escape text for HTML (text or a quoted attribute value), leaving out forbidden control characters.
pub fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if is_stray_control(c) => {}
            _ => out.push(c),
        }
    }
}

/// Escape text for an HTML text node as the minifier would write it: `&`, `<` and `>` escaped,
/// quotes as they are; no control characters. (The body is not run through the minifier: it is
/// written minified, which is most of a page.)
pub fn text_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if is_stray_control(c) => {}
            _ => out.push(c),
        }
    }
}

/// Write the attribute ` name=value` as the minifier would: unquoted where that is safe, else in
/// double quotes (single quotes if the value has double ones).
pub fn attr_into(name: &str, value: &str, out: &mut String) {
    out.push(' ');
    out.push_str(name);
    out.push('=');
    let plain = !value.is_empty()
        && !value.contains(|c: char| c.is_ascii_whitespace() || "\"'=<>`".contains(c));
    if plain {
        escape_into(value, out);
    } else if value.contains('"') && !value.contains('\'') {
        out.push('\'');
        escape_into(&value.replace('\'', ""), out);
        out.push('\'');
    } else {
        out.push('"');
        escape_into(value, out);
        out.push('"');
    }
}

pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    escape_into(text, &mut s);
    s
}

/// Depth of a clause (0 for top level).
fn depth(clauses: &[Clause], mut i: usize) -> usize {
    let mut d = 0;
    while let Some(p) = clauses[i].parent {
        d += 1;
        i = p;
    }
    d
}

fn sanitizer() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["class", "title", "colspan", "rowspan", "align"]);
    b.url_schemes(url::ALLOWED_SCHEMES.iter().copied().collect());
    // ammonia's own scheme check and then the build's URL policy, so the two can never disagree.
    b.attribute_filter(|element, attribute, value| {
        (!url::refused_attribute(element, attribute, value)).then_some(value.into())
    });
    b
}

/// Render the pieces of one block; `wrap` are events around them (a heading's start and end).
fn render_pieces(
    pieces: &[Piece],
    wrap: Option<(Event<'static>, Event<'static>)>,
    policy: RawHtml,
    links: &mut dyn Links,
    out: &mut String,
) {
    let raw = pieces
        .iter()
        .any(|p| matches!(p, Piece::Event(Event::Html(_) | Event::InlineHtml(_))));
    let mut pending: Vec<Event> = Vec::with_capacity(pieces.len() + 2);
    let mut last_cjk = false;
    // For each open link or image: whether it was dropped (its text stays, unlinked).
    let mut dropped: Vec<bool> = Vec::new();
    let (start, end) = wrap.unzip();
    pending.extend(start);
    for p in pieces {
        match p {
            Piece::Text(run) => {
                // The rendered text goes in as raw HTML so that one writer sees the whole block: a
                // writer per run of events forgets table state (`<td>x</th>`) and footnote numbers.
                let mut rendered = String::with_capacity(run.text.len() + 16);
                links.run(run, &mut rendered);
                pending.push(Event::InlineHtml(CowStr::from(rendered)));
                last_cjk = run.text.chars().last().is_some_and(|c| !c.is_ascii());
            }
            Piece::Link {
                to,
                title,
                link_type,
                image,
                ..
            } => {
                // The analysis drops what the URL policy refuses; an address a renderer makes is
                // checked again here, so no page ever carries a refused one. The text stays.
                let href = (*to != LinkTo::Dropped)
                    .then(|| links.href(to))
                    .filter(|h| url::allowed(h));
                dropped.push(href.is_none());
                if let Some(href) = href {
                    let (dest_url, title, id) = (
                        CowStr::from(href),
                        CowStr::Borrowed(title.as_str()),
                        CowStr::Borrowed(""),
                    );
                    let link_type = *link_type;
                    if *image {
                        pending.push(Event::Start(Tag::Image {
                            link_type,
                            dest_url,
                            title,
                            id,
                        }));
                    } else {
                        // Written as the minifier would (pulldown-cmark quotes every attribute).
                        let mut a = String::from("<a");
                        let href = if link_type == pulldown_cmark::LinkType::Email {
                            format!("mailto:{dest_url}")
                        } else {
                            dest_url.to_string()
                        };
                        attr_into("href", &href, &mut a);
                        if !title.is_empty() {
                            attr_into("title", &title, &mut a);
                        }
                        a.push('>');
                        pending.push(Event::InlineHtml(CowStr::from(a)));
                    }
                }
            }
            Piece::Event(e @ Event::End(TagEnd::Link | TagEnd::Image)) => {
                if !dropped.pop().unwrap_or(false) {
                    pending.push(e.clone());
                }
            }
            Piece::Event(Event::SoftBreak) => {
                // A line break inside Chinese text is not a space.
                if !last_cjk {
                    pending.push(Event::Text(CowStr::Borrowed(" ")));
                }
            }
            Piece::Event(Event::Html(h) | Event::InlineHtml(h)) if policy == RawHtml::Escape => {
                pending.push(Event::Text(CowStr::Borrowed(h)));
            }
            Piece::Event(e) => {
                if let Event::Text(t) = e {
                    last_cjk = t.chars().last().is_some_and(|c| !c.is_ascii());
                }
                pending.push(e.clone());
            }
        }
    }
    pending.extend(end);
    let mut buf = String::new();
    html::push_html(&mut buf, pending.into_iter());
    // (Control characters pulldown-cmark writes in code, link text and addresses are stripped from
    // the whole body at the end.)
    if raw {
        if policy == RawHtml::Safe {
            buf = sanitizer().clean(&buf).to_string();
        } else if let std::borrow::Cow::Owned(filtered) = url::filter_html(&buf) {
            // Trusted raw HTML still obeys the URL policy (and again over the whole body below).
            buf = filtered;
        }
        // Raw HTML is the editor's own markup, in any form (or, escaped, its text): the minifier
        // writes it (a block with raw HTML is rare; every other block is written minified already).
        buf = String::from_utf8(super::minify::fragment(&buf)).unwrap_or(buf);
    }
    compact_into(&buf, out);
}

/// Append `html` without the line breaks pulldown-cmark writes between tags (`</p>\n<ul>\n<li>`),
/// as the minifier would drop them; inside `<pre>`, `<textarea>`, `<script>` and `<style>` nothing
/// changes.
fn compact_into(html: &str, out: &mut String) {
    if !html.contains(">\n") {
        out.push_str(html);
        return;
    }
    let bytes = html.as_bytes();
    let mut keep_until: Option<&str> = None;
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => {
                let rest = &bytes[i..];
                let starts = |s: &str| {
                    rest.len() >= s.len() && rest[..s.len()].eq_ignore_ascii_case(s.as_bytes())
                };
                if let Some(end) = keep_until {
                    if starts(end) {
                        keep_until = None;
                    }
                } else {
                    for (open, close) in [
                        ("<pre", "</pre"),
                        ("<textarea", "</textarea"),
                        ("<script", "</script"),
                        ("<style", "</style"),
                    ] {
                        if starts(open) {
                            keep_until = Some(close);
                        }
                    }
                }
            }
            b'\n'
                if keep_until.is_none()
                    && (if i > 0 {
                        bytes[i - 1] == b'>'
                    } else {
                        out.ends_with('>')
                    })
                    && bytes.get(i + 1).is_none_or(|&b| b == b'<') =>
            {
                out.push_str(&html[last..i]);
                last = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push_str(&html[last..]);
}

/// Whether clause `a` is an ancestor of clause `d`.
fn is_ancestor_of(clauses: &[crate::model::Clause], a: usize, d: usize) -> bool {
    let mut at = clauses[d].parent;
    while let Some(p) = at {
        if p == a {
            return true;
        }
        at = clauses[p].parent;
    }
    false
}

/// Render the body of `reg` (its parsed tree) to HTML.
pub fn render_body(reg: &Regulation, policy: RawHtml, links: &mut dyn Links) -> String {
    let mut out = String::with_capacity(4096);
    // Sections currently open, innermost last.
    let mut open: Vec<usize> = Vec::new();
    let mut preamble_done = false;
    let heads = crate::model::group_heads(&reg.clauses);
    for block in &reg.doc.blocks {
        if let (Some(ci), true) = (block.clause, block.opens) {
            let clause = &reg.clauses[ci];
            // Close sections that are not ancestors of this clause.
            while let Some(&top) = open.last() {
                let mut anc = clause.parent;
                let mut is_ancestor = false;
                while let Some(a) = anc {
                    if a == top {
                        is_ancestor = true;
                        break;
                    }
                    anc = reg.clauses[a].parent;
                }
                if is_ancestor {
                    break;
                }
                open.pop();
                out.push_str("</section>");
            }
            let _ = write!(
                out,
                "<section class=\"clause clause-{}\"",
                clause.kind.name()
            );
            let id = links.id(&clause.anchor);
            attr_into("id", &id, &mut out);
            out.push('>');
            open.push(ci);
            let is_heading_block = matches!(block.kind, BlockKind::Heading(_));
            // Titled clauses that head a group (发展党员's stages) are headings too, as in the TOC.
            let heading =
                clause.title.is_some() && (clause.kind.in_toc() || is_heading_block || heads[ci]);
            let level = (2 + depth(&reg.clauses, ci)).min(6);
            if heading {
                let _ = write!(out, "<h{level} class=clause-head>");
            } else {
                out.push_str("<p class=clause-head>");
            }
            out.push_str("<a class=clause-num");
            attr_into("href", &format!("#{id}"), &mut out);
            out.push('>');
            text_into(&clause.label, &mut out);
            out.push_str("</a>");
            if clause.kind == ClauseKind::Article || clause.kind.is_division() {
                out.push('\u{3000}');
            }
            render_pieces(&block.pieces, None, policy, links, &mut out);
            // The copy-link button is added by the theme's script: it works only with a script,
            // and written here it was a sixth of every page.
            if heading {
                let _ = write!(out, "</h{level}>");
            } else {
                out.push_str("</p>");
            }
            links.after_clause_head(&clause.anchor, &mut out);
            continue;
        }
        // A paragraph after an article's list of items is the article's next 款: the items'
        // sections close before it.
        if let Some(ci) = block.clause {
            while let Some(&top) = open.last() {
                if top == ci || !is_ancestor_of(&reg.clauses, ci, top) {
                    break;
                }
                open.pop();
                out.push_str("</section>");
            }
        }
        match block.kind {
            BlockKind::Paragraph => {
                // Later paragraphs (款) of an article and the preamble get anchors of their own.
                match (block.clause, block.para) {
                    (Some(ci), Some(k)) if k > 1 => {
                        let anchor = format!("{}-para{k}", reg.clauses[ci].anchor);
                        out.push_str("<p");
                        attr_into("id", &links.id(&anchor), &mut out);
                        out.push('>');
                        render_pieces(&block.pieces, None, policy, links, &mut out);
                        out.push_str("</p>");
                        links.after_clause_head(&anchor, &mut out);
                        continue;
                    }
                    (None, _) if !preamble_done => {
                        preamble_done = true;
                        out.push_str("<p");
                        attr_into("id", &links.id("preamble"), &mut out);
                        out.push('>');
                    }
                    _ => out.push_str("<p>"),
                }
                render_pieces(&block.pieces, None, policy, links, &mut out);
                out.push_str("</p>");
            }
            BlockKind::Heading(level) => {
                let wrap = match &block.anchor {
                    // An anchored heading, written as the minifier would; the theme's script adds
                    // its copy-link control (class `heading`).
                    Some(anchor) => {
                        let mut open = format!("<{level}");
                        attr_into("id", &links.id(anchor), &mut open);
                        open.push_str(" class=heading>");
                        (
                            Event::InlineHtml(CowStr::from(open)),
                            Event::InlineHtml(CowStr::from(format!("</{level}>"))),
                        )
                    }
                    None => (
                        Event::Start(Tag::Heading {
                            level,
                            id: None,
                            classes: Vec::new(),
                            attrs: Vec::new(),
                        }),
                        Event::End(TagEnd::Heading(level)),
                    ),
                };
                render_pieces(&block.pieces, Some(wrap), policy, links, &mut out);
            }
            BlockKind::Other => render_pieces(&block.pieces, None, policy, links, &mut out),
        }
    }
    for _ in open {
        out.push_str("</section>");
    }
    if policy == RawHtml::Trust {
        // Raw HTML passed through: its URL attributes still obey the URL policy. The whole body at
        // once, because a tag may open in one block and go on in the next.
        if let std::borrow::Cow::Owned(filtered) = url::filter_html(&out) {
            out = filtered;
        }
    }
    // The body is not run through the page minifier's sweep: no control character, whatever wrote
    // it (the sanitizer decodes entities such as `&#2;`).
    strip_controls(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(body: &str) -> Regulation {
        crate::structure::analyse_one("t", "T", body)
    }

    fn render(body: &str, policy: RawHtml) -> String {
        render_body(&reg(body), policy, &mut PlainText)
    }

    #[test]
    fn sections_nest_and_close() {
        let html = render(
            "序。\n\n第一条　甲：\n\n（一）乙；\n\n第二条　丙。\n",
            RawHtml::Safe,
        );
        // Written as the minifier writes HTML (unquoted where safe, attributes in order).
        assert!(html.starts_with("<p id=preamble>序。</p><section class=\"clause clause-article\" id=art1><p class=clause-head><a class=clause-num href=#art1>第一条</a>\u{3000}甲："), "{html}");
        assert!(html.contains("<section class=\"clause clause-item\" id=art1-item1><p class=clause-head><a class=clause-num href=#art1-item1>（一）</a>乙；"), "{html}");
        assert!(
            html.contains("</section></section><section class=\"clause clause-article\" id=art2>"),
            "{html}"
        );
        assert!(html.ends_with("</section>"));
        assert_eq!(
            html.matches("<section").count(),
            html.matches("</section>").count()
        );
    }

    #[test]
    fn plain_headings_are_anchored() {
        let html = render("## Billing\n\nBill [here](#billing).\n", RawHtml::Safe);
        assert!(
            html.starts_with("<h2 id=billing class=heading>Billing</h2>"),
            "{html}"
        );
    }

    #[test]
    fn headings_and_soft_breaks() {
        let html = render(
            "一、基本原则\n\n（一）\n会议集体决策原则。\n",
            RawHtml::Safe,
        );
        assert!(
            html.contains(
                "<h2 class=clause-head><a class=clause-num href=#sec1>一、</a>基本原则</"
            ),
            "{html}"
        );
        assert!(html.contains("</a>会议集体决策原则。</"), "{html}");
    }

    #[test]
    fn raw_html_policy() {
        let body = "第一条　a<sup>2</sup><script>alert(1)</script><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">x</a>\n";
        let safe = render(body, RawHtml::Safe);
        assert!(safe.contains("<sup>2</sup>"), "{safe}");
        for bad in ["<script", "onerror", "javascript:"] {
            assert!(!safe.contains(bad), "{bad} in {safe}");
        }
        let escaped = render(body, RawHtml::Escape);
        assert!(escaped.contains("&lt;script>"), "{escaped}");
        assert!(!escaped.contains("<script"), "{escaped}");
        let block = render(
            "<script>alert(1)</script>\n\n<table><tr><td onclick=\"x()\">1</td></tr></table>\n",
            RawHtml::Safe,
        );
        assert!(
            !block.contains("<script") && !block.contains("onclick"),
            "{block}"
        );
        assert!(block.contains("<td>1</td>"), "{block}");
    }

    /// Markdown links, images, autolinks and reference links: a refused address is left out under
    /// every raw HTML policy, the text staying; allowed ones are kept. (body, must contain, must not).
    #[test]
    fn url_policy_for_markdown_links() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            (
                "一、[点我](javascript:alert(1))\n",
                &["点我</"],
                &["<a href", "javascript", "alert"],
            ),
            (
                "一、[甲](&#106;avascript:alert(1))[乙](&#x6A;avascript:alert(1))[丙](javascript&colon;alert(1))\n",
                &["</a>甲乙丙</"],
                &["<a href", "avascript", "alert"],
            ),
            (
                "一、<javascript:alert(1)>\n",
                &["javascript:alert(1)</"],
                &["<a href"],
            ),
            (
                "一、<JavaScript:alert(1)>\n",
                &["JavaScript:alert(1)</"],
                &["<a href"],
            ),
            (
                "一、[参考][r]\n\n[r]: vbscript:msgbox(1)\n",
                &["参考</"],
                &["<a href", "vbscript"],
            ),
            (
                "一、[制表](<java\tscript:alert(1)>)\n",
                &["制表</"],
                &["<a href", "script"],
            ),
            (
                "一、[大写](JAVASCRIPT:alert(1))\n",
                &["大写</"],
                &["<a href", "JAVASCRIPT"],
            ),
            (
                "一、[百分号](javascript%3Aalert(1))\n",
                &["百分号</"],
                &["<a href"],
            ),
            (
                "一、[文件](file:///etc/passwd)\n",
                &["文件</"],
                &["<a href", "passwd"],
            ),
            (
                "一、![图](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)\n",
                &["图</"],
                &["<img", "data:"],
            ),
            (
                "一、[![图](javascript:x)](https://example.org/)\n",
                &["<a href=https://example.org/>图</a>"],
                &["<img", "javascript"],
            ),
            (
                "一、[好](https://example.org/)[邮件](mailto:a@example.org)[电话](tel:+86-1)[相对](../index.html)[锚](#sec1)![图](a.png)\n",
                &[
                    "<a href=https://example.org/>好</a>",
                    "<a href=mailto:a@example.org>邮件</a>",
                    "<a href=tel:+86-1>电话</a>",
                    "<a href=../index.html>相对</a>",
                    "<a href=#sec1>锚</a>",
                    "<img src=\"a.png\" alt=\"图\"",
                ],
                &[],
            ),
        ];
        for policy in [RawHtml::Safe, RawHtml::Escape, RawHtml::Trust] {
            for (body, want, not) in cases {
                let html = render(body, policy);
                for w in *want {
                    assert!(html.contains(w), "{policy:?}: {w:?} not in {html}");
                }
                for n in *not {
                    assert!(!html.contains(n), "{policy:?}: {n:?} in {html}");
                }
            }
        }
    }

    /// Raw HTML with refused addresses, under `safe` (sanitised) and `trust` (passed through but
    /// for those attributes).
    #[test]
    fn url_policy_for_raw_html() {
        let body = "一、<a href=\"&#106;avascript:alert(1)\">甲</a><a href=\"java&#x09;script:alert(2)\">乙</a><img src=\"data:image/png;base64,AAAA\"><a href=\"tel:+86-1\">电话</a>\n\n<div><a\nhref=\"javascript:alert(3)\">块</a><form action=\"javascript:alert(4)\"><button formaction=\"vbscript:x\">b</button></form></div>\n";
        for policy in [RawHtml::Safe, RawHtml::Trust] {
            let html = render(body, policy);
            for bad in ["avascript", "vbscript", "data:", "alert"] {
                assert!(!html.contains(bad), "{policy:?}: {bad} in {html}");
            }
            for good in ["甲</a>", "乙</a>", "块</a>", "href=tel:+86-1"] {
                assert!(html.contains(good), "{policy:?}: {good} not in {html}");
            }
        }
    }

    #[test]
    fn control_characters_are_never_written() {
        let body = "一、甲\u{1}乙\u{7f}丙\u{85}丁\u{9f}戊\u{b}己\u{c}庚`\u{2}码`[\u{3}链](#a\u{4})\n\n<span title=\"\u{5}\">辛\u{6}</span>\n";
        for policy in [RawHtml::Safe, RawHtml::Escape, RawHtml::Trust] {
            let html = render(body, policy);
            assert!(html.contains("甲乙丙丁戊己庚"), "{policy:?}: {html}");
            assert!(html.contains("<code>码</code>"), "{policy:?}: {html}");
            assert!(!html.chars().any(is_stray_control), "{policy:?}: {html:?}");
        }
    }

    /// Inputs the fuzzer (fuzz/fuzz_targets/parse.rs) broke, rendered with raw HTML escaped (so every
    /// tag is the renderer's): (body, must contain, must not contain).
    #[test]
    fn fuzz_regressions() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            // A writer per run of text forgot it was in the table body: `<td>x</th>`.
            (
                "| a |\n|---|\n| x |\n",
                &["<td>x</td>"],
                &["</th></tr>\n<tr>", "<td>x</th>"],
            ),
            // … and an image's alt text came out as page text after `alt=""`.
            (
                "第一条　见![图一](a.png)。\n",
                &["alt=\"图一\""],
                &["alt=\"\""],
            ),
            // … and footnote references in one paragraph were all numbered 1.
            (
                "甲[^a]乙[^b]\n\n[^a]: x\n[^b]: y\n",
                &["<a href=\"#b\">2</a>"],
                &[],
            ),
        ];
        for (body, want, not) in cases {
            let html = render(body, RawHtml::Escape);
            for w in *want {
                assert!(html.contains(w), "{w:?} not in {html}");
            }
            for n in *not {
                assert!(!html.contains(n), "{n:?} in {html}");
            }
            for tag in ["section", "p", "table", "tr", "td", "th", "sup", "a"] {
                let open = html.matches(&format!("<{tag}>")).count()
                    + html.matches(&format!("<{tag} ")).count();
                assert_eq!(
                    open,
                    html.matches(&format!("</{tag}>")).count(),
                    "<{tag}> in {html}"
                );
            }
        }
    }
}
