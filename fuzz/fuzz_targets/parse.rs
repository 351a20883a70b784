//! Fuzz target `parse`: one regulation file, from bytes to HTML.
//!
//! clean text → front-matter split → YAML (keys + a small struct) → the one parse (tree, clause
//! outline, nesting) → references over the tree → body HTML, checking the invariants the later stages
//! rely on. See fuzz/README.md for how to run it.

#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use rulebook::config::RawHtml;
use rulebook::content::{frontmatter, text, yaml};
use rulebook::model::{Piece, Regulation};
use rulebook::render::markdown::{render_body, PlainText};
use rulebook::structure::parse::{self, Parsed};

/// A few front-matter keys of different shapes, enough to drive serde_yaml's deserializer.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct FrontMatter {
    title: Option<String>,
    id: Option<String>,
    order: Option<i64>,
    aliases: Option<Vec<String>>,
    draft: Option<bool>,
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    // As the loader reads a file: line endings unified, control characters out.
    let (clean, _) = text::clean(raw.to_string());
    assert!(!clean.contains('\r'), "a CR survived cleaning");
    let body = match frontmatter::split(&clean) {
        Ok(split) => {
            check_split(&clean, &split);
            check_yaml(split.yaml);
            split.body
        }
        Err(e) => {
            assert!(e.line >= 1, "split error line {}", e.line);
            // Not a regulation file, but still a fine Markdown body: parse and render it whole,
            // so the fuzzer need not rediscover the fences to reach the body parsers.
            clean.as_str()
        }
    };
    let parsed = parse::parse(body);
    check_outline(body, &parsed);

    // References: the fuzzed regulation in a library with a second one (so 《titles》 resolve) and a
    // glossary term, analysed as a build would: every span on char boundaries of its run, every
    // resolved anchor a clause of its regulation, every diagnostic located.
    let lib = library(body);
    let reg = &lib.regulations[0];
    for block in &reg.doc.blocks {
        for p in &block.pieces {
            if let Piece::Text(run) = p {
                let mut last = 0;
                for s in &run.spans {
                    assert!(
                        s.range.start >= last && s.range.start < s.range.end && s.range.end <= run.text.len(),
                        "{s:?} in {:?}",
                        run.text
                    );
                    assert!(
                        run.text.is_char_boundary(s.range.start) && run.text.is_char_boundary(s.range.end),
                        "{s:?} in {:?}",
                        run.text
                    );
                    last = s.range.end;
                }
            }
        }
    }
    for r in &lib.references {
        assert!(r.line >= 1 && r.column >= 1, "{r:?}");
        if let rulebook::model::Target::Regulation { id, anchor: Some(a) } = &r.target {
            let target = lib.regulation(id).expect("resolved to a regulation of the library");
            let base = a.split("-para").next().unwrap_or(a);
            assert!(target.clause(base).is_some(), "{a} not a clause of {id}");
        }
    }

    for policy in [RawHtml::Safe, RawHtml::Escape, RawHtml::Trust] {
        let html = render_body(reg, policy, &mut PlainText);
        // `Trust` passes raw HTML through, so a body may bring its own <section> tags.
        if policy != RawHtml::Trust {
            check_sections(&html, reg.clauses.len());
        }
        // With raw HTML shown as text, every tag is one the renderer wrote: they must pair up.
        if policy == RawHtml::Escape {
            check_tags(&html);
        }
        assert!(
            !html.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
            "control character in {html:?}"
        );
    }
});

/// The fuzzed body as a regulation of a small library, analysed as a build would.
fn library(body: &str) -> rulebook::model::Library {
    use rulebook::model::{Library, Term};
    let mut other = Regulation::new(
        "other",
        "市委保密办乙办法",
        "第一条　甲。\n\n第二条　乙：\n\n（一）丙；\n\n（二）丁。\n",
    );
    other.aliases = vec!["乙办法".into()];
    let term = Term {
        term: "三重一大".into(),
        aliases: vec![],
        definition: None,
        source: Some("other".into()),
        clause: Some("art1".into()),
        link: true,
    };
    let mut config = rulebook::config::Config::default();
    config.short_name = Some("市委保密办".into());
    let mut lib = Library::new(
        config,
        vec![Regulation::new("fuzz", "Fuzz", body), other],
        vec![],
        vec![],
        vec![term],
        vec![],
    );
    let diags = rulebook::structure::analyse(&mut lib, &[], &Default::default());
    for d in diags {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
    }
    lib
}

fn check_split(text: &str, split: &frontmatter::Split) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    assert!(text.ends_with(split.body), "body is not the end of the file");
    assert!(split.yaml_line >= 2 && split.body_line > split.yaml_line, "{split:?}");
    assert!(split.body_line <= text.split('\n').count() + 1, "body_line {} past the file", split.body_line);
}

fn check_yaml(yaml_text: &str) {
    let lines = yaml_text.lines().count().max(1);
    match yaml::top_level_keys(yaml_text) {
        Ok(keys) => {
            for (key, line) in keys {
                assert!((1..=lines).contains(&line), "key {key:?} at line {line} of {lines}");
            }
        }
        Err(e) => assert!((1..=lines).contains(&e.line), "error at line {} of {lines}: {e:?}", e.line),
    }
    if let Err(e) = yaml::from_str::<FrontMatter>(yaml_text) {
        assert!((1..=lines).contains(&e.line), "error at line {} of {lines}: {e:?}", e.line);
    }
}

fn check_outline(body: &str, p: &Parsed) {
    let body_lines = body.lines().count();
    let mut anchors = HashSet::new();
    for (i, c) in p.clauses.iter().enumerate() {
        assert!(anchors.insert(c.anchor.as_str()), "anchor {:?} twice", c.anchor);
        assert!(c.line >= 1 && c.line <= body_lines, "clause {} at line {} of {body_lines}", c.anchor, c.line);
        if let Some(parent) = c.parent {
            assert!(parent < i, "clause {i} has parent {parent}");
        }
    }
    for n in &p.notes {
        assert!(n.line >= 1 && n.line <= body_lines.max(1), "note at line {} of {body_lines}", n.line);
    }
    let mut opened = vec![0usize; p.clauses.len()];
    for b in &p.body.blocks {
        assert!(b.line >= 1 && b.line <= body_lines.max(1), "block at line {} of {body_lines}", b.line);
        if let Some(ci) = b.clause {
            assert!(ci < p.clauses.len(), "block in clause {ci} of {}", p.clauses.len());
            if b.opens {
                opened[ci] += 1;
            }
        } else {
            assert!(!b.opens, "a block opens no clause");
        }
    }
    assert!(opened.iter().all(|&n| n == 1), "each clause opens in exactly one block: {opened:?}");
}

fn check_sections(html: &str, clauses: usize) {
    let html: &str = &markup_only(html);
    let open = html.matches("<section").count();
    let close = html.matches("</section>").count();
    assert_eq!(open, close, "unbalanced sections in {html}");
    assert_eq!(open, clauses, "one section per clause in {html}");
    // Properly nested, too: never more closes than opens so far.
    let mut depth = 0i64;
    let mut rest = html;
    while let Some(i) = rest.find("<section").into_iter().chain(rest.find("</section>")).min() {
        if rest[i..].starts_with("</section>") {
            depth -= 1;
            assert!(depth >= 0, "</section> without <section> in {html}");
        } else {
            depth += 1;
        }
        rest = &rest[i + 1..];
    }
}

/// Elements the Markdown renderer and `render_body` write, each opened as often as closed.
fn check_tags(html: &str) {
    let html: &str = &markup_only(html);
    const TAGS: &[&str] = &[
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th",
        "td", "em", "strong", "del", "a", "code", "pre", "sup", "div", "button",
    ];
    for tag in TAGS {
        let open = html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
        let close = html.matches(&format!("</{tag}>")).count();
        assert_eq!(open, close, "<{tag}> opened {open} times, closed {close} times in {html}");
    }
}

/// `html` with the values of quoted attributes left out: a `<` may stand in one (the minifier writes
/// `alt="a<li>b"` as it is), and it is not a tag.
fn markup_only(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let (mut in_tag, mut quote) = (false, None);
    for c in html.chars() {
        match (in_tag, quote, c) {
            (true, None, '"' | '\'') => quote = Some(c),
            (true, Some(q), _) if c == q => quote = None,
            (true, Some(_), _) => continue,
            (false, _, '<') => in_tag = true,
            (true, None, '>') => in_tag = false,
            _ => {}
        }
        out.push(c);
    }
    out
}
