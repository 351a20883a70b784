//! Other site generators' template syntax in a body — Jekyll's Liquid (`{% include … %}`,
//! `{{ page.title }}`) and Hugo's shortcodes (`{{< note >}}`, `{{% alert %}}`) — is not Markdown:
//! rulebook does not run it, and published as it stands it is noise on the page. It is taken out of
//! the text before the body is parsed (what a paired shortcode wraps stays: it is the author's
//! text; what `{% comment %}` wraps goes), and reported once per kind for the whole handbook with
//! the count and the first places.
//!
//! Code (fenced blocks and `inline code`) is left alone: a page documenting Liquid shows its tags.

use std::path::PathBuf;

use crate::error::{Diagnostic, Location, Severity};

/// The kinds of template syntax, as the catalogue's phrases name them (RB203).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `{% … %}`
    LiquidTag,
    /// `{{ … }}`
    Expression,
    /// `{{< … >}}`
    Shortcode,
    /// `{{% … %}}`
    MarkdownShortcode,
}

impl Kind {
    fn phrase(self) -> &'static str {
        match self {
            Kind::LiquidTag => "template-liquid-tag",
            Kind::Expression => "template-expression",
            Kind::Shortcode => "template-shortcode",
            Kind::MarkdownShortcode => "template-shortcode-markdown",
        }
    }

    /// The delimiters of this kind.
    fn delimiters(self) -> (&'static str, &'static str) {
        match self {
            Kind::LiquidTag => ("{%", "%}"),
            Kind::Expression => ("{{", "}}"),
            Kind::Shortcode => ("{{<", ">}}"),
            Kind::MarkdownShortcode => ("{{%", "%}}"),
        }
    }
}

/// One tag taken out: its kind, where it stood in the body (byte offset) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    pub offset: usize,
    pub text: String,
}

/// A tag longer than this is not one (an unclosed `{{` in prose): it is left as written.
const MAX_TAG: usize = 2000;

/// The body without its template syntax (line breaks inside a tag kept, so every later line number
/// still holds), and what was taken out. A body without `{%` or `{{` is returned as it is.
pub fn strip(body: &str) -> (Option<String>, Vec<Found>) {
    if !body.contains("{%") && !body.contains("{{") {
        return (None, Vec::new());
    }
    let mut out = String::with_capacity(body.len());
    let mut found = Vec::new();
    let mut fence: Option<&str> = None;
    // Inside `{% comment %}` … `{% endcomment %}`: everything but line breaks is left out.
    let mut comment = false;
    let mut pos = 0;
    let mut line_start = true;
    while pos < body.len() {
        let rest = &body[pos..];
        if line_start {
            line_start = false;
            let line_len = rest.find('\n').map_or(rest.len(), |n| n + 1);
            let trimmed = rest[..line_len].trim_start();
            let opens = trimmed.starts_with("```") || trimmed.starts_with("~~~");
            if let Some(f) = fence {
                // Fenced code is copied as it is, up to and with its closing fence.
                if trimmed.starts_with(f) {
                    fence = None;
                }
                out.push_str(&rest[..line_len]);
                pos += line_len;
                line_start = true;
                continue;
            }
            if opens && !comment {
                fence = Some(&trimmed[..3]);
                out.push_str(&rest[..line_len]);
                pos += line_len;
                line_start = true;
                continue;
            }
        }
        if !comment && rest.starts_with('`') {
            // An inline code span: copied as it is up to its closing run of backticks (same line).
            let ticks = rest.bytes().take_while(|&b| b == b'`').count();
            let line_len = rest.find('\n').unwrap_or(rest.len());
            let len = rest[ticks..line_len]
                .find(&"`".repeat(ticks))
                .map_or(ticks, |c| ticks + c + ticks);
            out.push_str(&rest[..len]);
            pos += len;
            continue;
        }
        if let Some((kind, len)) = tag_at(rest) {
            let text = &rest[..len];
            let name = text
                .trim_start_matches(['{', '%', '<', '-'])
                .split_whitespace()
                .next()
                .unwrap_or("");
            if kind == Kind::LiquidTag && name == "comment" {
                comment = true;
            } else if kind == Kind::LiquidTag && name == "endcomment" {
                comment = false;
            }
            found.push(Found {
                kind,
                offset: pos,
                text: text.to_string(),
            });
            // Line breaks inside the tag are kept, so later lines keep their numbers.
            out.extend(text.chars().filter(|&c| c == '\n'));
            pos += len;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        pos += c.len_utf8();
        if c == '\n' {
            line_start = true;
            out.push(c);
        } else if !comment {
            out.push(c);
        }
    }
    (Some(out), found)
}

/// The template tag `rest` starts with, if any: its kind and length (closing delimiter included).
fn tag_at(rest: &str) -> Option<(Kind, usize)> {
    if !rest.starts_with("{%") && !rest.starts_with("{{") {
        return None;
    }
    // The longest opening first: `{{<` and `{{%` before `{{`.
    for kind in [
        Kind::Shortcode,
        Kind::MarkdownShortcode,
        Kind::LiquidTag,
        Kind::Expression,
    ] {
        let (open, close) = kind.delimiters();
        if let Some(after) = rest.strip_prefix(open) {
            let window = &after[..floor_boundary(after, MAX_TAG)];
            if let Some(end) = window.find(close) {
                // An empty `{{}}` is no tag.
                if kind == Kind::Expression && after[..end].trim().is_empty() {
                    return None;
                }
                return Some((kind, open.len() + end + close.len()));
            }
            return None;
        }
    }
    None
}

fn floor_boundary(s: &str, max: usize) -> usize {
    if s.len() <= max {
        return s.len();
    }
    let mut i = max;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One warning per kind for the whole handbook: at the first place, with the count, the first tag
/// and the first three places; every other place under `also` for tools. `places` are (file, file
/// line, column) of each tag found, in the order of the files.
pub fn report(places: Vec<(Kind, String, PathBuf, usize, usize)>) -> Vec<Diagnostic> {
    let mut by_kind: std::collections::BTreeMap<Kind, Vec<(String, PathBuf, usize, usize)>> =
        std::collections::BTreeMap::new();
    for (kind, text, path, line, column) in places {
        by_kind
            .entry(kind)
            .or_default()
            .push((text, path, line, column));
    }
    by_kind
        .into_iter()
        .map(|(kind, all)| {
            let (first_text, path, line, column) = all[0].clone();
            let shown: Vec<String> = all
                .iter()
                .take(3)
                .map(|(_, p, l, _)| format!("{}:{l}", p.display()))
                .collect();
            let (k, k_zh) = crate::messages::phrase(kind.phrase(), &[]);
            let mut first: String = first_text.split_whitespace().collect::<Vec<_>>().join(" ");
            if first.chars().count() > 60 {
                first = first.chars().take(59).collect::<String>() + "…";
            }
            let mut d = Diagnostic::coded(
                Severity::Warning,
                "RB203",
                path,
                line,
                column,
                vec![
                    ("count", all.len().to_string()),
                    ("kind", k),
                    ("kind_zh", k_zh),
                    ("first", first),
                    ("places", shown.join(", ")),
                ],
            );
            if all.len() > 1 {
                d.also = Some(Box::new(
                    all[1..]
                        .iter()
                        .map(|(_, p, l, c)| Location {
                            path: p.clone(),
                            line: *l,
                            column: *c,
                        })
                        .collect(),
                ));
            }
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(body: &str) -> (String, Vec<(Kind, String)>) {
        let (out, found) = strip(body);
        (
            out.unwrap_or_else(|| body.to_string()),
            found.into_iter().map(|f| (f.kind, f.text)).collect(),
        )
    }

    #[test]
    fn every_kind_is_taken_out_and_lines_kept() {
        let body = "Intro {{ page.title }} end.\n\n{% include note.html content=\"x\" %}\n\n{{< note >}}\nKept text.\n{{< /note >}}\n\n{{% alert title=\"W\" %}}Careful.{{% /alert %}}\n\n{% if a\n  and b %}Shown{% endif %}\n";
        let (out, found) = stripped(body);
        assert_eq!(
            out,
            "Intro  end.\n\n\n\n\nKept text.\n\n\nCareful.\n\n\nShown\n"
        );
        assert_eq!(out.lines().count(), body.lines().count());
        let kinds: Vec<Kind> = found.iter().map(|f| f.0).collect();
        assert_eq!(
            kinds,
            [
                Kind::Expression,
                Kind::LiquidTag,
                Kind::Shortcode,
                Kind::Shortcode,
                Kind::MarkdownShortcode,
                Kind::MarkdownShortcode,
                Kind::LiquidTag,
                Kind::LiquidTag
            ]
        );
    }

    #[test]
    fn comments_go_code_stays() {
        let (out, found) = stripped(
            "A {% comment %}secret\nnote{% endcomment %}B\n\n`{{ kept }}` and\n\n```\n{% raw %}\n```\n",
        );
        assert_eq!(out, "A \nB\n\n`{{ kept }}` and\n\n```\n{% raw %}\n```\n");
        assert_eq!(found.len(), 2);
        // No template syntax: nothing to do.
        assert_eq!(strip("第一条　甲。{不是}\n").0, None);
        // An unclosed `{{` in prose is left as written.
        assert_eq!(stripped("a {{ b\n").0, "a {{ b\n");
    }
}
