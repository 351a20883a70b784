//! Link and image addresses written in the bodies, checked against the URL policy ([`crate::url`]):
//! what it refuses is marked dropped in the tree (the text stays, unlinked) and reported.

use std::path::Path;

use pulldown_cmark::Event;

use super::lines::LineIndex;
use crate::config::RawHtml;
use crate::error::Diagnostic;
use crate::model::{Block, LinkTo, Piece};
use crate::url;

fn help() -> String {
    format!(
        "links may go to {}, a page of the handbook (`@id#anchor`) or a relative path",
        url::ALLOWED_SCHEMES
            .iter()
            .map(|s| format!("`{s}:`"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Check the address of a Markdown link or image (`to` is still the address as written); a refused
/// one becomes [`LinkTo::Dropped`] and a warning at `at` (file line, column).
pub fn check_link(
    to: &mut LinkTo,
    image: bool,
    path: &Path,
    at: (usize, usize),
) -> Option<Diagnostic> {
    let LinkTo::Url(dest) = to else { return None };
    if url::allowed(dest) {
        return None;
    }
    let what = if image { "image" } else { "link" };
    let scheme = url::scheme(dest).unwrap_or_default();
    let d = Diagnostic::warning(
        path,
        at.0,
        at.1,
        format!(
            "{what} to `{}`: the scheme `{scheme}:` is not allowed, so the {what} is left out and its text shown as it is",
            url::shown(dest)
        ),
    )
    .with_help(help())
    .with_code("refused-address");
    *to = LinkTo::Dropped;
    Some(d)
}

/// Warnings for raw HTML attributes in a block whose address the policy refuses (the renderer
/// removes them). Raw HTML is read per block, so a tag written over several lines is read whole.
pub fn check_raw_html(
    block: &Block,
    body: &str,
    lines: &LineIndex,
    policy: RawHtml,
    file_line: impl Fn(usize) -> usize,
    path: &Path,
) -> Vec<Diagnostic> {
    if policy == RawHtml::Escape {
        return Vec::new();
    }
    let raw: String = block
        .pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Event(Event::Html(h) | Event::InlineHtml(h)) => Some(h.as_ref()),
            _ => None,
        })
        .collect();
    if raw.is_empty() {
        return Vec::new();
    }
    let block_start = lines.start(block.line).unwrap_or(0);
    url::refused_attributes(&raw)
        .into_iter()
        .map(|cut| {
            // Located by finding the attribute in the body from the block's first line on.
            let attr = &raw[cut.clone()];
            let offset = body[block_start.min(body.len())..]
                .find(attr)
                .map_or(block_start, |i| block_start + i);
            let (line, column) = lines.line_col(body, offset);
            Diagnostic::warning(
                path,
                file_line(line),
                column,
                format!(
                    "raw HTML `{}`: the address is not allowed, so the attribute is removed",
                    url::shown(attr)
                ),
            )
            .with_help(help())
            .with_code("refused-address")
        })
        .collect()
}
