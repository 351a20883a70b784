//! The commonest YAML slips, found where they are: when a front-matter cannot be parsed, the
//! parser often notices only lines later (an unclosed quote on line 2 reported at line 11, a
//! full-width `：` at the next key) and names a symptom ("quote the value" for a tab). Each line
//! is read here, in order, for the five slips editors make, and the first one found is reported
//! at its own line and column with the advice for it (RB121–RB125); a failure that is none of
//! them keeps the parser's own report (RB003).

/// A slip: 1-based line and column (in characters) of the text, and its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    pub line: usize,
    pub column: usize,
    pub code: &'static str,
}

/// What kind of YAML text a slip is in, as its message names it.
#[derive(Debug, Clone, Copy)]
pub enum Kind<'a> {
    FrontMatter,
    Procedure,
    /// A data file of `content/` (roles.yaml, terms.yaml), by its name.
    Data(&'a str),
}

/// The diagnostic for the first slip in `yaml` that failed to parse, the parser having noticed it
/// at `parser_line` (1-based in `yaml`): a slip after that line cannot be its cause, and then the
/// parser's own report stands (`None`). `line` maps a line of `yaml` to the file's line.
pub fn diagnostic(
    yaml: &str,
    parser_line: usize,
    kind: Kind,
    shown: &std::path::Path,
    line: impl Fn(usize) -> usize,
) -> Option<crate::error::Diagnostic> {
    let s = find(yaml).filter(|s| s.line <= parser_line.max(1))?;
    let (what, what_zh) = match kind {
        Kind::FrontMatter => ("front-matter".to_string(), "front-matter ".to_string()),
        Kind::Procedure => ("the procedure file".to_string(), "流程文件".to_string()),
        Kind::Data(name) => (name.to_string(), format!("{name} ")),
    };
    Some(crate::error::Diagnostic::coded(
        crate::error::Severity::Error,
        s.code,
        shown,
        line(s.line),
        s.column,
        vec![("what", what), ("what_zh", what_zh)],
    ))
}

/// The first slip in `yaml` (a front-matter that failed to parse), if any.
pub fn find(yaml: &str) -> Option<Slip> {
    for (i, line) in yaml.lines().enumerate() {
        let at = |byte: usize, code| Slip {
            line: i + 1,
            column: line[..byte].chars().count() + 1,
            code,
        };
        let indent_end = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(tab) = line[..indent_end].find('\t') {
            return Some(at(tab, "RB121"));
        }
        let rest = &line[indent_end..];
        if rest.starts_with('#') || rest.is_empty() {
            continue;
        }
        // A key: letters, digits, `_` or `-`, after an optional `- ` of a list item.
        let item = rest.strip_prefix("- ").map_or(0, |_| 2);
        let body = &rest[item..];
        let key_len = body
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
            .map_or(body.len(), |(i, _)| i);
        if key_len == 0 {
            continue;
        }
        let start = indent_end + item;
        let after = &body[key_len..];
        if after.starts_with('：') {
            return Some(at(start + key_len, "RB122"));
        }
        let Some(value) = after.strip_prefix(':') else {
            continue;
        };
        if let Some(c) = value.chars().next()
            && !c.is_whitespace()
            && c != ':'
            && !value.starts_with("//")
        {
            return Some(at(start + key_len, "RB123"));
        }
        let trimmed = value.trim_start();
        let value_at = start + key_len + 1 + (value.len() - trimmed.len());
        match trimmed.chars().next() {
            Some(q @ ('"' | '\'')) if !closed_quote(&trimmed[1..], q) => {
                return Some(at(value_at, "RB124"));
            }
            Some(open @ ('[' | '{')) if !closed_bracket(trimmed, open) => {
                return Some(at(value_at, "RB125"));
            }
            _ => {}
        }
    }
    None
}

/// Whether a quoted value that began before `rest` ends on this line (`\"` escapes in double
/// quotes, `''` in single ones).
fn closed_quote(rest: &str, q: char) -> bool {
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if q == '"' && c == '\\' {
            chars.next();
        } else if c == q {
            if q == '\'' && chars.peek() == Some(&'\'') {
                chars.next();
            } else {
                return true;
            }
        }
    }
    false
}

/// Whether a flow list or map that opens at the start of `value` closes on this line (brackets in
/// quotes do not count).
fn closed_bracket(value: &str, open: char) -> bool {
    let close = if open == '[' { ']' } else { '}' };
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for c in value.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '[' || c == '{' => depth += 1,
            None if c == ']' || c == '}' => {
                depth -= 1;
                if depth == 0 {
                    return c == close;
                }
            }
            None => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_slip_at_its_own_place() {
        /// The front-matter, and the slip found in it: line, column, code.
        type Case<'a> = (&'a str, Option<(usize, usize, &'a str)>);
        let cases: &[Case] = &[
            ("title: 甲\nroles:\n\tart1: 主任\n", Some((3, 1, "RB121"))),
            (
                "title： 财务制度\nissued: 2020-01-01\n",
                Some((1, 6, "RB122")),
            ),
            ("title: 甲\nissued:2020-01-01\n", Some((2, 7, "RB123"))),
            (
                "title: \"财务制度\nissued: 2020-01-01\n",
                Some((1, 8, "RB124")),
            ),
            ("title: '它''s\nx: 1\n", Some((1, 8, "RB124"))),
            (
                "aliases: [甲, 乙\nissued: 2020-01-01\n",
                Some((1, 10, "RB125")),
            ),
            ("title: \"甲\"\naliases: [甲, \"]\"]\nurl: http://x\n", None),
            ("# 注释：说明\ntitle: 甲\n", None),
        ];
        for (text, want) in cases {
            let got = find(text).map(|s| (s.line, s.column, s.code));
            assert_eq!(got, *want, "{text:?}");
        }
    }
}
