//! Reads a source file into clean text: UTF-8 checked, line endings made `\n`, control characters out.
//!
//! Every later stage counts lines by `\n` and never sees a control character, so a file saved with
//! old Mac line endings (lone CR) or carrying NUL bytes from a converter reads like any other.

use std::path::Path;

use crate::error::Diagnostic;
use crate::model::is_stray_control;

/// Where the first stray control character was, and how many there were (they are removed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stray {
    /// 1-based line and character column in the cleaned text's numbering.
    pub line: usize,
    pub column: usize,
    pub count: usize,
}

/// `\r\n` and lone `\r` become `\n`; other control characters (but tab) are dropped and reported.
/// A leading byte-order mark is kept (the front-matter splitter skips it).
pub fn clean(text: String) -> (String, Option<Stray>) {
    if !text
        .bytes()
        .any(|b| b == b'\r' || (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7f || b == 0xc2)
    {
        // Fast path: nothing to do (0xc2 starts every C1 control character, U+0080–U+009F).
        return (text, None);
    }
    let mut out = String::with_capacity(text.len());
    let mut stray: Option<Stray> = None;
    let (mut line, mut column) = (1, 1);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
                line += 1;
                column = 1;
            }
            '\n' => {
                out.push('\n');
                line += 1;
                column = 1;
            }
            c if is_stray_control(c) => match &mut stray {
                Some(s) => s.count += 1,
                None => {
                    stray = Some(Stray {
                        line,
                        column,
                        count: 1,
                    })
                }
            },
            c => {
                out.push(c);
                column += 1;
            }
        }
    }
    (out, stray)
}

/// Read `path` as clean text; `shown` is the path as the editor knows it. A stray control character
/// is a warning pushed to `diags`; unreadable or non-UTF-8 files are an error (returned).
pub fn read(path: &Path, shown: &Path, diags: &mut Vec<Diagnostic>) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(shown, 1, 1, format!("cannot read the file: {e}"))
            .with_help("check that the file exists and is readable")
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        Diagnostic::error(shown, line, 1, "the file is not valid UTF-8")
            .with_help("save the file as UTF-8 (many editors call it \"UTF-8 without BOM\")")
    })?;
    let (text, stray) = clean(text);
    if let Some(s) = stray {
        diags.push(
            Diagnostic::warning(
                shown,
                s.line,
                s.column,
                format!(
                    "{} control character(s) in the text (the first here) are left out",
                    s.count
                ),
            )
            .with_help(
                "they are usually debris from a conversion; delete them (only tab and newline belong in the text)",
            )
            .with_code("control-characters"),
        );
    }
    Ok(text)
}

#[cfg(test)]
#[allow(clippy::type_complexity)] // table-driven tests spell out their rows' types
mod tests {
    use super::*;

    #[test]
    fn table() {
        // (input, cleaned, first stray (line, column, count))
        let cases: &[(&str, &str, Option<(usize, usize, usize)>)] = &[
            ("a\nb\n", "a\nb\n", None),
            ("a\r\nb\r\n", "a\nb\n", None),
            (
                "---\rtitle: x\r---\r一、x\r",
                "---\ntitle: x\n---\n一、x\n",
                None,
            ),
            ("a\r\r\nb", "a\n\nb", None),
            ("一、x\u{1}y\u{0}z\n", "一、xyz\n", Some((1, 4, 2))),
            ("a\n\tb\u{7f}\u{85}c", "a\n\tbc", Some((2, 3, 2))),
            ("\u{feff}---\n", "\u{feff}---\n", None),
            ("全角　空格", "全角　空格", None),
        ];
        for (input, want, stray) in cases {
            let (got, s) = clean(input.to_string());
            assert_eq!(&got, want, "{input:?}");
            assert_eq!(s.map(|s| (s.line, s.column, s.count)), *stray, "{input:?}");
        }
    }
}
