//! Document numbers (中保委〔2004〕7号) and the text an amendment quotes (修改为“…”), found
//! before the references around them.

use std::ops::Range;

use super::Found;
use crate::model::Target;

/// Verbs after which an amendment quotes the new wording of another law.
pub(super) const AMENDING: &[&str] = &["修改为", "增加", "规定为", "表述为", "改为"];

/// The byte ranges of text quoted in “…” after an amending verb in the same sentence (将刑法第十条
/// 修改为：“…”): to the matching ” or, when the quotation goes on into the next paragraph, to the
/// end of the text.
pub(super) fn quoted_amendments(text: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (open, _) in text.match_indices('“') {
        if out.last().is_some_and(|q| q.end > open) {
            continue;
        }
        let sentence_start = text[..open].rfind(['。', '；', '”']).map_or(0, |i| {
            i + text[i..].chars().next().map_or(0, char::len_utf8)
        });
        if !AMENDING
            .iter()
            .any(|v| text[sentence_start..open].contains(v))
        {
            continue;
        }
        let mut depth = 0usize;
        let mut end = text.len();
        for (i, c) in text[open..].char_indices() {
            match c {
                '“' => depth += 1,
                '”' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push(open..end);
    }
    out
}

/// 中保委〔2004〕7号-style document numbers.
pub(super) fn doc_number(text: &str, at: usize) -> Option<Found> {
    let rest = &text[at..];
    let first = rest.chars().next()?;
    if !is_han(first) {
        return None;
    }
    // The issuer is a short run of Han characters right before 〔.
    let issuer_len: usize = rest
        .chars()
        .take_while(|&c| is_han(c))
        .take(10)
        .map(char::len_utf8)
        .sum();
    let after = rest[issuer_len..].strip_prefix('〔')?;
    let year: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
    if year.len() != 4 {
        return None;
    }
    let after = after[year.len()..].strip_prefix('〕')?;
    let num: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
    if num.is_empty() {
        return None;
    }
    let after = after[num.len()..].strip_prefix('号')?;
    // Only start at the beginning of the issuer run (not in its middle).
    if at > 0 && text[..at].chars().next_back().is_some_and(is_han) {
        return None;
    }
    let end = text.len() - after.len();
    Some(Found {
        range: at..end,
        result: Ok(Target::External {
            name: text[at..end].to_string(),
            article: None,
        }),
    })
}

pub(super) fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}
