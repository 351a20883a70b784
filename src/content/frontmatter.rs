//! Splits a Markdown file into its YAML front-matter and body, keeping line numbers for both.

/// A file cut in two. Line numbers are 1-based lines of the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` fences (without them).
    pub yaml: &'a str,
    /// File line of the first YAML line (the line after the opening fence).
    pub yaml_line: usize,
    /// Everything after the closing fence.
    pub body: &'a str,
    /// File line of the first body line.
    pub body_line: usize,
}

/// Why a file could not be split; `line` is the file line to point the editor at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    pub line: usize,
    /// The catalogue's code ([`crate::messages`]): RB001 no front-matter, RB002 not closed.
    pub code: &'static str,
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', ' ', '\t']) == "---"
}

/// Split `text` at its `---` fences. A UTF-8 byte-order mark before the first fence is ignored.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').unwrap_or(text.len());
    if !is_fence(&text[..first_end]) {
        return Err(SplitError {
            line: 1,
            code: "RB001",
        });
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut pos = yaml_start;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if is_fence(&text[pos..end]) {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..pos],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        pos = end + 1;
        line += 1;
    }
    Err(SplitError {
        line: 1,
        code: "RB002",
    })
}

#[cfg(test)]
#[allow(clippy::type_complexity)] // table-driven tests spell out their rows' types
mod tests {
    use super::*;

    #[test]
    fn table() {
        // (input, Ok((yaml, body, body_line)) or Err(line))
        let cases: &[(&str, Result<(&str, &str, usize), usize>)] = &[
            (
                "---\ntitle: a\n---\nbody\n",
                Ok(("title: a\n", "body\n", 4)),
            ),
            ("---\r\ntitle: a\r\n---\r\nx", Ok(("title: a\r\n", "x", 4))),
            ("\u{feff}---\ntitle: a\n---\n", Ok(("title: a\n", "", 4))),
            ("---\n---\n", Ok(("", "", 3))),
            ("---\ntitle: a\n---", Ok(("title: a\n", "", 4))),
            (
                "---\na: 1\nb: 2\n---  \n\n第一条",
                Ok(("a: 1\nb: 2\n", "\n第一条", 5)),
            ),
            ("title: a\n", Err(1)),
            ("", Err(1)),
            ("---\ntitle: a\n", Err(1)),
            ("---\ntitle: a\n--- x\n", Err(1)),
        ];
        for (input, want) in cases {
            let got = split(input)
                .map(|s| (s.yaml, s.body, s.body_line))
                .map_err(|e| e.line);
            assert_eq!(&got, want, "{input:?}");
        }
    }
}
