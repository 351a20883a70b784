//! Reads a source file into clean text: UTF-8 checked, line endings made `\n`, control characters out.
//!
//! Every later stage counts lines by `\n` and never sees a control character, so a file saved with
//! old Mac line endings (lone CR) or carrying NUL bytes from a converter reads like any other.

use std::path::Path;

use crate::error::{Diagnostic, Severity};

/// The catalogue's codes of encoding problems ([`crate::messages`]).
pub const ENCODING_GB18030: &str = "RB012";
pub const ENCODING_INVALID: &str = "RB013";
pub const ENCODING_UTF16: &str = "RB014";
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

/// How files that are not UTF-8 are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 only (UTF-16 with a byte-order mark too: it says what it is); anything else is an
    /// error that names the encoding it looks like.
    #[default]
    Utf8,
    /// Files that are not UTF-8 are read as GB18030 (which includes GBK and GB2312), as WPS and
    /// older Word save Chinese text (`--encoding gb18030`).
    Gb18030,
}

/// Read `path` as clean text; `shown` is the path as the editor knows it. A stray control character
/// is a warning pushed to `diags`; unreadable or undecodable files are an error (returned).
pub fn read(
    path: &Path,
    shown: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Result<String, Box<Diagnostic>> {
    read_as(path, shown, Encoding::Utf8, diags)
}

/// [`read`], reading files that are not UTF-8 as `encoding` says.
pub fn read_as(
    path: &Path,
    shown: &Path,
    encoding: Encoding,
    diags: &mut Vec<Diagnostic>,
) -> Result<String, Box<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|e| {
        Box::new(Diagnostic::coded(
            Severity::Error,
            "RB021",
            shown,
            1,
            1,
            vec![
                ("error_zh", crate::messages::io_reason_zh(&e)),
                ("error", e.to_string()),
            ],
        ))
    })?;
    let text = decode(bytes, shown, encoding, diags)?;
    let (text, stray) = clean(text);
    if let Some(s) = stray {
        diags.push(Diagnostic::coded(
            Severity::Warning,
            "RB020",
            shown,
            s.line,
            s.column,
            vec![("count", s.count.to_string())],
        ));
    }
    Ok(text)
}

/// The text of a file's bytes: UTF-8; UTF-16 with a byte-order mark (read, with a warning); with
/// [`Encoding::Gb18030`], GB18030. Otherwise an error that says which encoding the bytes look like
/// and how to convert them.
fn decode(
    bytes: Vec<u8>,
    shown: &Path,
    encoding: Encoding,
    diags: &mut Vec<Diagnostic>,
) -> Result<String, Box<Diagnostic>> {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e.into_bytes(),
    };
    if let Some((utf16, _)) = encoding_rs::Encoding::for_bom(&bytes)
        .filter(|(e, _)| *e == encoding_rs::UTF_16LE || *e == encoding_rs::UTF_16BE)
    {
        let (text, had_errors) = utf16.decode_with_bom_removal(&bytes);
        if !had_errors {
            diags.push(Diagnostic::coded(
                Severity::Warning,
                ENCODING_UTF16,
                shown,
                1,
                1,
                vec![("encoding", utf16.name().to_string())],
            ));
            return Ok(text.into_owned());
        }
    }
    // The line of the first byte that is not UTF-8: where the editor can see the problem.
    let offset = std::str::from_utf8(&bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
    let gb = encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(&bytes)
        .filter(|t| looks_chinese(t));
    match (gb, encoding) {
        (Some(text), Encoding::Gb18030) => Ok(text.into_owned()),
        (Some(_), Encoding::Utf8) => Err(Box::new(Diagnostic::coded(
            Severity::Error,
            ENCODING_GB18030,
            shown,
            line,
            1,
            Vec::new(),
        ))),
        (None, _) => Err(Box::new(Diagnostic::coded(
            Severity::Error,
            ENCODING_INVALID,
            shown,
            line,
            1,
            Vec::new(),
        ))),
    }
}

/// Whether text decoded from a legacy encoding reads as Chinese: most of what is not ASCII is CJK
/// ideographs or CJK punctuation (bytes of another encoding decode as GB18030 too, into a jumble of
/// rare characters).
fn looks_chinese(text: &str) -> bool {
    let (mut cjk, mut other) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_ascii()) {
        if matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}')
        {
            cjk += 1;
        } else {
            other += 1;
        }
    }
    cjk > 0 && cjk >= 9 * other
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

    #[test]
    fn encodings_are_named_and_read_as_told() {
        let dir = std::env::temp_dir().join(format!("rb-enc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = "---\ntitle: 财务管理制度\n---\n一、保密办严格财务收支审批制度。\n";
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        let mut utf16 = vec![0xff, 0xfe];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        // (bytes, encoding option, Ok(text) or Err(message part), warning code)
        let cases: Vec<(&str, Vec<u8>, Encoding, Result<&str, &str>, Option<&str>)> = vec![
            (
                "utf8",
                text.as_bytes().to_vec(),
                Encoding::Utf8,
                Ok(text),
                None,
            ),
            (
                "gbk",
                gb.to_vec(),
                Encoding::Utf8,
                Err("looks like GB18030/GBK"),
                None,
            ),
            ("gbk-read", gb.to_vec(), Encoding::Gb18030, Ok(text), None),
            (
                "utf16",
                utf16,
                Encoding::Utf8,
                Ok(text),
                Some(ENCODING_UTF16),
            ),
            (
                "latin1",
                b"caf\xe9 \xff\xfe\xfd".to_vec(),
                Encoding::Gb18030,
                Err("not valid UTF-8"),
                None,
            ),
        ];
        for (name, bytes, encoding, want, warning) in cases {
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            let mut diags = Vec::new();
            let got = read_as(&path, Path::new(name), encoding, &mut diags);
            match want {
                Ok(t) => assert_eq!(got.as_deref().ok(), Some(t), "{name}: {got:?}"),
                Err(m) => {
                    let d = got.expect_err(name);
                    assert!(d.message.contains(m), "{name}: {}", d.message);
                    assert!(
                        [ENCODING_GB18030, ENCODING_INVALID].contains(&d.code.unwrap()),
                        "{name}"
                    );
                }
            }
            assert_eq!(
                diags.first().and_then(|d| d.code),
                warning,
                "{name}: {diags:?}"
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
