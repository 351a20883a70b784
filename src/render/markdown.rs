//! Renders a regulation body to HTML: clause sections with permanent anchors, number links and
//! copy-link controls, raw HTML handled by the site's policy, every link and image address by the
//! URL policy ([`crate::url`]), and no control characters.

use std::fmt::Write as _;

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd, html};

use crate::config::RawHtml;
use crate::content::model::Regulation;
use crate::error::Diagnostic;
use crate::structure::clauses::{Clause, ClauseKind, markdown_options};
use crate::structure::references::Place;
use crate::url;

/// Turns a run of plain text into HTML (escaped, possibly with links), and resolves editors' explicit
/// link targets. `place` is where the text stands (clause, paragraph).
pub trait TextRenderer {
    fn render(&mut self, text: &str, place: Place, out: &mut String);

    /// The href for a Markdown link destination, if this renderer rewrites it (`@id#anchor`).
    fn link_dest(&mut self, _dest: &str) -> Option<String> {
        None
    }

    /// HTML to show right after a clause's heading (its backlinks), if any.
    fn after_clause_head(&mut self, _anchor: &str, _out: &mut String) {}
}

/// Escapes text and nothing more.
pub struct PlainText;

impl TextRenderer for PlainText {
    fn render(&mut self, text: &str, _place: Place, out: &mut String) {
        escape_into(text, out);
    }
}

/// Control characters that are never written into HTML: C0 but tab and newline, DEL, C1.
pub fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || ('\u{80}'..='\u{9f}').contains(&c)
}

/// Remove [forbidden control characters](is_forbidden_control) from `s` (a quick byte scan first:
/// they are rare).
pub fn strip_controls(s: &mut String) {
    let b = s.as_bytes();
    let found = b.iter().enumerate().any(|(i, &c)| {
        (c < 0x20 && c != b'\t' && c != b'\n')
            || c == 0x7f
            || (c == 0xc2 && b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    });
    if found {
        s.retain(|c| !is_forbidden_control(c));
    }
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
            c if is_forbidden_control(c) => {}
            _ => out.push(c),
        }
    }
}

pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    escape_into(text, &mut s);
    s
}

/// Labels the renderer puts into the page (from the UI strings).
pub struct Labels<'a> {
    pub copy_link: &'a str,
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

fn has_raw_html(events: &[Event]) -> bool {
    events
        .iter()
        .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
}

/// Render the inner events of one block (text through `text`, the rest through pulldown-cmark).
fn render_inline(
    events: Vec<Event>,
    place: Place,
    policy: RawHtml,
    text: &mut dyn TextRenderer,
    out: &mut String,
) {
    let sanitize = policy == RawHtml::Safe && has_raw_html(&events);
    let mut buf = String::new();
    let mut pending: Vec<Event> = Vec::new();
    let mut last_cjk = false;
    // Inside a link or an image (whose text is its alt attribute), text is left to pulldown-cmark.
    let mut in_link = 0usize;
    // For each open link or image: whether the URL policy dropped it (its text stays, unlinked).
    let mut dropped: Vec<bool> = Vec::new();
    for e in events {
        match e {
            Event::Text(t) if in_link == 0 => {
                // The rendered text goes back in as raw HTML so that one writer sees the whole block:
                // a writer per run of events forgets table state (`<td>x</th>`) and footnote numbers.
                let mut rendered = String::new();
                text.render(&t, place, &mut rendered);
                pending.push(Event::InlineHtml(CowStr::from(rendered)));
                last_cjk = t.chars().last().is_some_and(|c| !c.is_ascii());
            }
            Event::SoftBreak => {
                // A line break inside Chinese text is not a space.
                if !last_cjk {
                    pending.push(Event::Text(CowStr::Borrowed(" ")));
                }
            }
            Event::Html(h) | Event::InlineHtml(h) if policy == RawHtml::Escape => {
                pending.push(Event::Text(h));
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                in_link += 1;
                let refused = !url::allowed(dest_url);
                dropped.push(refused);
                if !refused {
                    pending.push(e);
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                in_link += 1;
                let dest_url = match text.link_dest(&dest_url) {
                    Some(href) => CowStr::from(href),
                    None => dest_url,
                };
                let refused = !url::allowed(&dest_url);
                dropped.push(refused);
                if !refused {
                    pending.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                in_link = in_link.saturating_sub(1);
                if !dropped.pop().unwrap_or(false) {
                    pending.push(e);
                }
            }
            other => {
                if let Event::Text(t) = &other {
                    last_cjk = t.chars().last().is_some_and(|c| !c.is_ascii());
                }
                pending.push(other);
            }
        }
    }
    html::push_html(&mut buf, pending.into_iter());
    // pulldown-cmark writes code, link text and addresses itself.
    strip_controls(&mut buf);
    if sanitize {
        out.push_str(&sanitizer().clean(&buf).to_string());
    } else {
        out.push_str(&buf);
    }
}

/// Drop `len` bytes of leading text (the clause marker) from a block's inner events.
fn strip_marker(events: &mut Vec<Event>, mut len: usize) {
    let mut i = 0;
    while len > 0 && i < events.len() {
        match &events[i] {
            Event::Text(t) | Event::Code(t) => {
                if t.len() <= len {
                    len -= t.len();
                    events.remove(i);
                } else {
                    let rest = t[len..].to_string();
                    events[i] = Event::Text(CowStr::from(rest));
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
    while let Some(Event::SoftBreak) = events.first() {
        events.remove(0);
    }
}

/// Render the body of `reg` to HTML.
pub fn render_body(
    reg: &Regulation,
    policy: RawHtml,
    labels: &Labels,
    text: &mut dyn TextRenderer,
) -> String {
    let mut out = String::with_capacity(reg.body.len() * 2);
    // Sections currently open, innermost last.
    let mut open: Vec<usize> = Vec::new();
    let mut blocks = reg.blocks.iter();
    let mut depth_level = 0usize;
    let mut current: Vec<Event> = Vec::new();
    let mut preamble_done = false;

    let mut emit = |events: Vec<Event>, out: &mut String, open: &mut Vec<usize>| {
        let Some(block) = blocks.next() else {
            // Every top-level block was seen when outlining; a mismatch would be a bug, so keep the text.
            html::push_html(out, events.into_iter());
            return;
        };
        if let (Some(ci), Some(marker_len)) = (block.clause, block.marker) {
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
            let kind = match clause.kind {
                ClauseKind::Chapter => "chapter",
                ClauseKind::Section => "section",
                ClauseKind::Article => "article",
                ClauseKind::Item => "item",
                ClauseKind::Sub => "sub",
                ClauseKind::Appendix => "appendix",
            };
            let _ = write!(
                out,
                "<section class=\"clause clause-{kind}\" id=\"{}\">",
                clause.anchor
            );
            open.push(ci);
            let mut inner: Vec<Event> = events;
            let is_heading_block = matches!(inner.first(), Some(Event::Start(Tag::Heading { .. })));
            let textual = matches!(
                inner.first(),
                Some(Event::Start(Tag::Paragraph | Tag::Heading { .. }))
            );
            if textual {
                inner.remove(0);
                inner.pop();
            }
            strip_marker(&mut inner, marker_len);
            let heading = clause.title.is_some() && (clause.kind.in_toc() || is_heading_block);
            let level = (2 + depth(&reg.clauses, ci)).min(6);
            if heading {
                let _ = write!(out, "<h{level} class=\"clause-head\">");
            } else {
                out.push_str("<p class=\"clause-head\">");
            }
            out.push_str("<a class=\"clause-num\" href=\"#");
            out.push_str(&clause.anchor);
            out.push_str("\">");
            escape_into(&clause.label, out);
            out.push_str("</a>");
            if clause.kind == ClauseKind::Article || clause.kind == ClauseKind::Chapter {
                out.push('\u{3000}');
            }
            render_inline(
                inner,
                Place {
                    clause: Some(ci),
                    para: block.para,
                },
                policy,
                text,
                out,
            );
            let _ = write!(
                out,
                "<button type=\"button\" class=\"copy-link\" data-anchor=\"{}\" title=\"{t}\" aria-label=\"{t}\">#</button>",
                clause.anchor,
                t = escape(labels.copy_link)
            );
            if heading {
                let _ = write!(out, "</h{level}>");
            } else {
                out.push_str("</p>");
            }
            text.after_clause_head(&clause.anchor, out);
        } else {
            let place = Place {
                clause: block.clause,
                para: block.para,
            };
            let textual = matches!(events.first(), Some(Event::Start(Tag::Paragraph)));
            if textual {
                let mut inner = events;
                inner.remove(0);
                inner.pop();
                // Later paragraphs (款) of an article and the preamble get anchors of their own.
                match (block.clause, block.para) {
                    (Some(ci), Some(k)) if k > 1 => {
                        let anchor = format!("{}-para{k}", reg.clauses[ci].anchor);
                        let _ = write!(out, "<p id=\"{anchor}\">");
                        render_inline(inner, place, policy, text, out);
                        out.push_str("</p>");
                        text.after_clause_head(&anchor, out);
                        return;
                    }
                    (None, _) if !preamble_done => {
                        preamble_done = true;
                        out.push_str("<p id=\"preamble\">");
                    }
                    _ => out.push_str("<p>"),
                }
                render_inline(inner, place, policy, text, out);
                out.push_str("</p>");
            } else {
                render_inline(events, place, policy, text, out);
            }
        }
    };

    for event in Parser::new_ext(&reg.body, markdown_options()) {
        match &event {
            Event::Start(_) => {
                depth_level += 1;
                current.push(event);
            }
            Event::End(_) => {
                depth_level = depth_level.saturating_sub(1);
                current.push(event);
                if depth_level == 0 {
                    emit(std::mem::take(&mut current), &mut out, &mut open);
                }
            }
            _ if depth_level == 0 => emit(vec![event], &mut out, &mut open),
            _ => current.push(event),
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
    out
}

/// [`dropped_links`] for every regulation (in parallel), in order.
pub fn dropped_links_all(regs: &[Regulation], policy: RawHtml) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    regs.par_iter()
        .flat_map_iter(|r| dropped_links(r, policy))
        .collect()
}

/// Warnings for what the URL policy drops from a regulation's body, with the file and line: links
/// and images whose address it refuses (their text stays, unlinked), and raw HTML attributes with
/// such an address (unless `policy` shows raw HTML as text).
pub fn dropped_links(reg: &Regulation, policy: RawHtml) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // No scheme can be written without `:`, an entity or a `%` escape: most bodies need no parse.
    if !reg.body.bytes().any(|b| matches!(b, b':' | b'&' | b'%')) {
        return out;
    }
    let at = |offset: usize| {
        let mut offset = offset.min(reg.body.len());
        while !reg.body.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &reg.body[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (reg.file_line(line), column)
    };
    let help = format!(
        "links may go to {}, a page of the handbook (`@id#anchor`) or a relative path",
        url::ALLOWED_SCHEMES
            .iter()
            .map(|s| format!("`{s}:`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // Raw HTML, gathered so a tag written over several lines of a block is read whole: the text and
    // (offset in the text, offset in the body) of each piece.
    let mut raw = String::new();
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let report_raw =
        |raw: &mut String, pieces: &mut Vec<(usize, usize)>, out: &mut Vec<Diagnostic>| {
            for cut in url::refused_attributes(raw) {
                let (text_at, body_at) = pieces
                    .iter()
                    .rev()
                    .find(|(t, _)| *t <= cut.start)
                    .copied()
                    .unwrap_or((0, 0));
                let (line, column) = at(body_at + cut.start - text_at);
                out.push(
                Diagnostic::warning(
                    &reg.source.path,
                    line,
                    column,
                    format!(
                        "raw HTML `{}`: the address is not allowed, so the attribute is removed",
                        url::shown(&raw[cut])
                    ),
                )
                .with_help(help.clone()),
            );
            }
            raw.clear();
            pieces.clear();
        };
    for (event, range) in Parser::new_ext(&reg.body, markdown_options()).into_offset_iter() {
        let (what, dest) = match &event {
            Event::Start(Tag::Link { dest_url, .. }) if !dest_url.starts_with('@') => {
                ("link", dest_url.to_string())
            }
            Event::Start(Tag::Image { dest_url, .. }) => ("image", dest_url.to_string()),
            Event::Html(h) | Event::InlineHtml(h) if policy != RawHtml::Escape => {
                pieces.push((raw.len(), range.start));
                raw.push_str(h);
                if matches!(event, Event::InlineHtml(_)) {
                    report_raw(&mut raw, &mut pieces, &mut out);
                }
                continue;
            }
            Event::End(TagEnd::HtmlBlock) => {
                report_raw(&mut raw, &mut pieces, &mut out);
                continue;
            }
            _ => continue,
        };
        if url::allowed(&dest) {
            continue;
        }
        let scheme = url::scheme(&dest).unwrap_or_default();
        let (line, column) = at(range.start);
        out.push(
            Diagnostic::warning(
                &reg.source.path,
                line,
                column,
                format!(
                    "{what} to `{}`: the scheme `{scheme}:` is not allowed, so the {what} is left out and its text shown as it is",
                    url::shown(&dest)
                ),
            )
            .with_help(help.clone()),
        );
    }
    report_raw(&mut raw, &mut pieces, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(body: &str) -> Regulation {
        Regulation::from_body("t", "T", body)
    }

    fn render(body: &str, policy: RawHtml) -> String {
        render_body(
            &reg(body),
            policy,
            &Labels {
                copy_link: "复制链接",
            },
            &mut PlainText,
        )
    }

    #[test]
    fn sections_nest_and_close() {
        let html = render(
            "序。\n\n第一条　甲：\n\n（一）乙；\n\n第二条　丙。\n",
            RawHtml::Safe,
        );
        assert!(html.starts_with("<p id=\"preamble\">序。</p><section class=\"clause clause-article\" id=\"art1\"><p class=\"clause-head\"><a class=\"clause-num\" href=\"#art1\">第一条</a>\u{3000}甲："), "{html}");
        assert!(html.contains("<section class=\"clause clause-item\" id=\"art1-item1\"><p class=\"clause-head\"><a class=\"clause-num\" href=\"#art1-item1\">（一）</a>乙；"), "{html}");
        assert!(
            html.contains(
                "</section></section><section class=\"clause clause-article\" id=\"art2\">"
            ),
            "{html}"
        );
        assert!(html.ends_with("</section>"));
        assert_eq!(
            html.matches("<section").count(),
            html.matches("</section>").count()
        );
    }

    #[test]
    fn headings_and_soft_breaks() {
        let html = render(
            "一、基本原则\n\n（一）\n会议集体决策原则。\n",
            RawHtml::Safe,
        );
        assert!(html.contains("<h2 class=\"clause-head\"><a class=\"clause-num\" href=\"#sec1\">一、</a>基本原则<button"), "{html}");
        assert!(html.contains("</a>会议集体决策原则。<button"), "{html}");
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
        assert!(escaped.contains("&lt;script&gt;"), "{escaped}");
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
                &["点我<button"],
                &["<a href", "javascript", "alert"],
            ),
            (
                "一、[甲](&#106;avascript:alert(1))[乙](&#x6A;avascript:alert(1))[丙](javascript&colon;alert(1))\n",
                &["</a>甲乙丙<button"],
                &["<a href", "avascript", "alert"],
            ),
            (
                "一、<javascript:alert(1)>\n",
                &["javascript:alert(1)<button"],
                &["<a href"],
            ),
            (
                "一、<JavaScript:alert(1)>\n",
                &["JavaScript:alert(1)<button"],
                &["<a href"],
            ),
            (
                "一、[参考][r]\n\n[r]: vbscript:msgbox(1)\n",
                &["参考<button"],
                &["<a href", "vbscript"],
            ),
            (
                "一、[制表](<java\tscript:alert(1)>)\n",
                &["制表<button"],
                &["<a href", "script"],
            ),
            (
                "一、[大写](JAVASCRIPT:alert(1))\n",
                &["大写<button"],
                &["<a href", "JAVASCRIPT"],
            ),
            (
                "一、[百分号](javascript%3Aalert(1))\n",
                &["百分号<button"],
                &["<a href"],
            ),
            (
                "一、[文件](file:///etc/passwd)\n",
                &["文件<button"],
                &["<a href", "passwd"],
            ),
            (
                "一、![图](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)\n",
                &["图<button"],
                &["<img", "data:"],
            ),
            (
                "一、[![图](javascript:x)](https://example.org/)\n",
                &["<a href=\"https://example.org/\">图</a>"],
                &["<img", "javascript"],
            ),
            (
                "一、[好](https://example.org/)[邮件](mailto:a@example.org)[电话](tel:+86-1)[相对](../index.html)[锚](#sec1)![图](a.png)\n",
                &[
                    "<a href=\"https://example.org/\">好</a>",
                    "<a href=\"mailto:a@example.org\">邮件</a>",
                    "<a href=\"tel:+86-1\">电话</a>",
                    "<a href=\"../index.html\">相对</a>",
                    "<a href=\"#sec1\">锚</a>",
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
            for good in ["甲</a>", "乙</a>", "块</a>", "href=\"tel:+86-1\""] {
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
            assert!(
                !html.chars().any(is_forbidden_control),
                "{policy:?}: {html:?}"
            );
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
