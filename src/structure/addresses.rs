//! Link and image addresses written in the bodies, checked against the URL policy ([`crate::url`]):
//! what it refuses is marked dropped in the tree (the text stays, unlinked) and reported.

use std::path::Path;

use pulldown_cmark::Event;

use super::lines::LineIndex;
use crate::config::RawHtml;
use crate::error::{Diagnostic, Severity};
use crate::model::{Block, LinkTo, Piece};
use crate::url;

/// The allowed schemes as the advice lists them (`` `https:`, `mailto:` ``).
fn schemes() -> (&'static str, String) {
    ("schemes", url::allowed_schemes_shown())
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
    let (what, what_zh) = crate::messages::phrase(if image { "image" } else { "link" }, &[]);
    let scheme = url::scheme(dest).unwrap_or_default();
    let d = Diagnostic::coded(
        Severity::Warning,
        "RB092",
        path,
        at.0,
        at.1,
        vec![
            ("what", what),
            ("what_zh", what_zh),
            ("dest", url::shown(dest).to_string()),
            ("scheme", scheme.to_string()),
            schemes(),
        ],
    );
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
            Diagnostic::coded(
                Severity::Warning,
                "RB093",
                path,
                file_line(line),
                column,
                vec![("attr", url::shown(attr).to_string()), schemes()],
            )
        })
        .collect()
}
