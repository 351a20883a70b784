//! The print edition as one HTML page (`print.html`): cover, table of contents, then every
//! regulation in reading order, with ids made unique across regulations and references turned into
//! in-page links, and a print style sheet without the site's interface.

use serde::Serialize;

use super::markdown;
use super::minify;
use super::regulation::{
    Linker, ProcedureCtx, RiskCtx, print_href, print_id, procedure_ctx, risk_ctx,
};
use super::theme::Theme;
use crate::error::Result;
use crate::model::{Library, Regulation};
use crate::output::write::Sink;

/// Where the print page is written.
pub const PRINT_PATH: &str = "print.html";

/// The categories in reading order (depth-first from the top level, display order), each with its
/// depth: the order of the printed book.
pub fn reading_order(lib: &Library) -> Vec<(usize, usize)> {
    fn walk(lib: &Library, c: usize, depth: usize, out: &mut Vec<(usize, usize)>) {
        out.push((c, depth));
        for &child in &lib.categories[c].children {
            walk(lib, child, depth + 1, out);
        }
    }
    let mut out = Vec::with_capacity(lib.categories.len());
    for (i, c) in lib.categories.iter().enumerate() {
        if c.parent.is_none() {
            walk(lib, i, 0, &mut out);
        }
    }
    out
}

#[derive(Serialize)]
struct TocRegulation<'a> {
    title: &'a str,
    href: String,
}

#[derive(Serialize)]
struct PrintRegulation<'a> {
    id: String,
    title: &'a str,
    subtitle: Option<&'a str>,
    status: String,
    issued: Option<&'a str>,
    effective: Option<&'a str>,
    issuer: Option<&'a str>,
    owner: Option<&'a str>,
    incomplete: bool,
    body: String,
    risk: Option<RiskCtx<'a>>,
    risk_id: String,
    procedures: Vec<ProcedureCtx<'a>>,
    /// The CSS named page of the regulation (`r7`; its register's is `r7-reg`): browsers have no
    /// `string-set`, so a running head per regulation is a named page per regulation.
    page: String,
    /// The title as a CSS string, for the running head.
    css_title: String,
}

#[derive(Serialize)]
struct PrintCategory<'a> {
    id: String,
    title: &'a str,
    depth: usize,
    toc: Vec<TocRegulation<'a>>,
    regulations: Vec<PrintRegulation<'a>>,
}

/// `s` as a quoted CSS string that is safe inside `<style>`: quotes, backslashes, line breaks and
/// `<` escaped (so no `</style>` can close the element).
fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn print_regulation<'a>(lib: &'a Library, reg: &'a Regulation, n: usize) -> PrintRegulation<'a> {
    let mut linker = Linker::for_print(lib, reg);
    let body = markdown::render_body(reg, lib.config.raw_html, &mut linker);
    let risk = risk_ctx(lib, reg, &mut linker);
    let procedures = lib
        .procedures_of(&reg.id)
        .map(|p| procedure_ctx(lib, reg, p, &mut linker))
        .collect();
    PrintRegulation {
        id: print_id(&reg.id, None),
        title: &reg.title,
        subtitle: reg.subtitle.as_deref(),
        status: lib.config.string(reg.status.key()),
        issued: reg.issued.as_deref(),
        effective: reg.effective.as_deref(),
        issuer: reg.issuer.as_deref(),
        owner: reg.owner.as_deref(),
        incomplete: reg.incomplete,
        body,
        risk,
        risk_id: print_id(&reg.id, Some("risk-register")),
        procedures,
        page: format!("r{n}"),
        css_title: css_string(&reg.title),
    }
}

/// `print.html`: the whole handbook on one page.
pub(crate) fn render(lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
    // No navigation: the print page is the book, without the site around it.
    let mut ctx = super::context::shared_context(lib, "");
    ctx.insert("page_kind", "print");
    let categories: Vec<PrintCategory> = reading_order(lib)
        .into_iter()
        .map(|(ci, depth)| {
            let c = &lib.categories[ci];
            let regs = c.regulations.iter().map(|&i| &lib.regulations[i]);
            PrintCategory {
                id: format!("cat-{}", c.id),
                title: &c.title,
                depth,
                toc: regs
                    .map(|r| TocRegulation {
                        title: &r.title,
                        href: print_href(&r.id, None),
                    })
                    .collect(),
                regulations: c
                    .regulations
                    .iter()
                    .map(|&i| print_regulation(lib, &lib.regulations[i], i))
                    .collect(),
            }
        })
        .collect();
    ctx.insert("print_categories", &categories);
    let css = theme
        .assets
        .iter()
        .find(|(n, _)| n == "print.css")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    ctx.insert("print_css", &css);
    sink.put(
        PRINT_PATH,
        &minify::page(&theme.render("print.html", &ctx)?),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn css_strings_cannot_close_the_style_element() {
        assert_eq!(super::css_string("制度"), "\"制度\"");
        assert_eq!(
            super::css_string("a\"b\\c</style>\n"),
            "\"a\\22 b\\5c c\\3c /style\\3e \\a \""
        );
    }
}
