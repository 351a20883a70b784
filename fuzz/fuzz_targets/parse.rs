//! Fuzz target `parse`: one regulation file, from bytes to HTML.
//!
//! front-matter split → YAML (keys + a small struct) → clause outline → (references) → body HTML,
//! checking the invariants the later stages rely on. See fuzz/README.md for how to run it.

#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use rulebook::config::RawHtml;
use rulebook::model::Regulation;
use rulebook::content::{frontmatter, yaml};
use rulebook::render::markdown::{render_body, Labels, PlainText};
use rulebook::structure::clauses::{self, Outline};

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
    let Ok(text) = std::str::from_utf8(data) else { return };
    let body = match frontmatter::split(text) {
        Ok(split) => {
            check_split(text, &split);
            check_yaml(split.yaml);
            split.body
        }
        Err(e) => {
            assert!(e.line >= 1, "split error line {}", e.line);
            // Not a regulation file, but still a fine Markdown body: outline and render it whole,
            // so the fuzzer need not rediscover the fences to reach the body parsers.
            text
        }
    };
    let outline = clauses::outline(body);
    check_outline(body, &outline);

    // References: the fuzzed regulation in a library with a second one (so 《titles》 resolve) and a
    // glossary term; every span must lie on char boundaries of its text run, every resolved anchor must
    // exist, and collecting the whole library must not panic.
    check_references(regulation(body));

    let reg = regulation(body);
    let labels = Labels { copy_link: "复制链接" };
    for policy in [RawHtml::Safe, RawHtml::Escape, RawHtml::Trust] {
        let html = render_body(&reg, policy, &labels, &mut PlainText);
        // `Trust` passes raw HTML through, so a body may bring its own <section> tags.
        if policy != RawHtml::Trust {
            check_sections(&html, reg.clauses.len());
        }
        // With raw HTML shown as text, every tag is one the renderer wrote: they must pair up.
        if policy == RawHtml::Escape {
            check_tags(&html);
        }
    }
});

fn check_references(fuzzed: Regulation) {
    use rulebook::model::{Library, Term};
    use rulebook::structure::references::{self, Index, Scanner, Target};
    let other_body = "第一条　甲。\n\n第二条　乙：\n\n（一）丙；\n\n（二）丁。\n";
    let mut other = regulation(other_body);
    other.id = "other".into();
    other.title = "市委保密办乙办法".into();
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
    let lib = Library::new(config, vec![fuzzed, other], vec![], vec![], vec![term], vec![]);
    let index = Index::new(&lib, &[]);
    let reg = &lib.regulations[0];
    let mut scanner = Scanner::new(&index, &lib, reg);
    for (offset, text, place, _link) in references::text_runs(reg) {
        assert!(offset <= reg.body.len());
        for f in scanner.scan(&text, place) {
            assert!(f.range.start < f.range.end && f.range.end <= text.len(), "{f:?} in {text:?}");
            assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end), "{f:?} in {text:?}");
            if let Ok(Target::Regulation { id, anchor: Some(a) }) = &f.result {
                let target = lib.regulation(id).expect("resolved to a regulation of the library");
                let base = a.split("-para").next().unwrap_or(a);
                assert!(target.clause(base).is_some(), "{a} not a clause of {id}");
            }
        }
    }
    let (refs, _diags) = references::collect(&lib, &index);
    for r in refs {
        assert!(r.line >= 1 && r.column >= 1, "{r:?}");
    }
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

fn check_outline(body: &str, o: &Outline) {
    let body_lines = body.lines().count();
    let mut anchors = HashSet::new();
    for (i, c) in o.clauses.iter().enumerate() {
        assert!(anchors.insert(c.anchor.as_str()), "anchor {:?} twice", c.anchor);
        assert!(c.line >= 1 && c.line <= body_lines, "clause {} at line {} of {body_lines}", c.anchor, c.line);
        if let Some(p) = c.parent {
            assert!(p < i, "clause {i} has parent {p}");
        }
    }
    for n in &o.notes {
        assert!(n.line >= 1 && n.line <= body_lines, "note at line {} of {body_lines}", n.line);
    }
    let texts = clauses::top_level_blocks(body);
    assert_eq!(texts.len(), o.blocks.len(), "outline and top_level_blocks disagree on the blocks");
    let mut opened = vec![0usize; o.clauses.len()];
    for (b, (_, text, _)) in o.blocks.iter().zip(&texts) {
        let r = &b.range;
        assert!(r.start <= r.end && r.end <= body.len(), "block {r:?} outside the body ({})", body.len());
        assert!(body.is_char_boundary(r.start) && body.is_char_boundary(r.end), "block {r:?} splits a character");
        if let Some(ci) = b.clause {
            assert!(ci < o.clauses.len(), "block {r:?} in clause {ci} of {}", o.clauses.len());
        }
        if let Some(len) = b.marker {
            assert!(len <= text.len(), "marker of {len} bytes in {text:?}");
            assert!(text.is_char_boundary(len), "marker of {len} bytes splits {text:?}");
            let ci = b.clause.expect("a marker block belongs to its clause");
            opened[ci] += 1;
        }
    }
    assert!(opened.iter().all(|&n| n == 1), "each clause opens in exactly one block: {opened:?}");
}

fn check_sections(html: &str, clauses: usize) {
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

fn regulation(body: &str) -> Regulation {
    Regulation::from_body("fuzz", "Fuzz", body)
}
