//! A template that cannot be used, as a coded diagnostic at its file, line and column (issue 24,
//! item 8): the same for `build`, `check` (which runs the templates into nothing) and `serve`.
//!
//! Tera reports a syntax error at its position in the template as compacted for rendering
//! (`1:9024`); the site's own file is parsed again alone, as written, to find the line and column
//! an editor sees. What fails while rendering names no position: the file, and the variable, filter
//! or function that is not there when Tera says so.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Severity};

/// A template's syntax error.
const SYNTAX: &str = "RB130";
/// A name the template uses that is not defined.
const UNKNOWN_NAME: &str = "RB131";
/// Any other failure while rendering.
const RENDER: &str = "RB132";

/// The Chinese words for what only Tera's English message explains (a message never mixes the
/// languages; `--lang en` shows Tera's words).
fn unexplained_zh() -> String {
    crate::messages::phrase("english-only", &[]).1
}

/// The parser's expectation in Chinese: the tokens it names (`%}`, `}}` …) when it names some.
fn expected_zh(detail: &str) -> String {
    let tokens: Vec<String> = detail
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|t| !t.is_empty())
        .map(|t| format!("`{t}`"))
        .collect();
    if tokens.is_empty() {
        crate::messages::phrase("template-not-syntax", &[]).1
    } else {
        crate::messages::phrase("template-expected", &[("tokens", tokens.join(", "))]).1
    }
}

/// Tera's message with the messages of its source chain.
fn chain(e: &tera::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// Where a template is shown: the site's file (`templates/x.html`) if it has one, else the name
/// under the theme's folder.
fn shown(site: &[(String, PathBuf)], name: &str) -> PathBuf {
    site.iter()
        .find(|(n, _)| n == name)
        .map_or_else(|| Path::new("templates").join(name), |(_, p)| p.clone())
}

/// The position (line, column) and the parser's expectation in a pest error's text.
fn position(message: &str) -> Option<(usize, usize, String)> {
    let re = regex::Regex::new(r"--> (\d+):(\d+)").expect("regex");
    let c = re.captures(message)?;
    let detail = message
        .lines()
        .rev()
        .find_map(|l| l.trim_start().strip_prefix("= "))
        .unwrap_or("syntax error")
        .to_string();
    Some((c[1].parse().ok()?, c[2].parse().ok()?, detail))
}

/// The error of templates that could not be parsed together: the first of the site's templates
/// (`site`: name, file as shown, text as written) that does not parse alone, at its line and
/// column; else (a missing parent, a loop of `extends`) Tera's message at the first line of
/// the templates folder.
pub fn syntax(site: &[(String, PathBuf, String)], e: &tera::Error) -> Error {
    for (name, path, text) in site {
        if let Err(alone) = tera::Template::new(name, None, text)
            && let Some((line, column, detail)) = position(&chain(&alone))
        {
            return Error::Content(vec![Diagnostic::coded(
                Severity::Error,
                SYNTAX,
                path,
                line,
                column,
                vec![
                    ("name", name.clone()),
                    ("detail_zh", expected_zh(&detail)),
                    ("detail", detail),
                ],
            )]);
        }
    }
    Error::Content(vec![Diagnostic::coded(
        Severity::Error,
        RENDER,
        "templates",
        1,
        1,
        vec![
            ("name", "templates".into()),
            ("detail_zh", unexplained_zh()),
            ("detail", chain(e)),
        ],
    )])
}

/// The error of rendering `name`.
pub fn render(site: &[(String, PathBuf)], name: &str, e: &tera::Error) -> Error {
    let message = chain(e);
    let re =
        regex::Regex::new(r"(?:Variable|Filter|Function|Test) `([^`]+)` not found").expect("regex");
    let path = shown(site, name);
    let d = match re.captures(&message) {
        Some(c) => Diagnostic::coded(
            Severity::Error,
            UNKNOWN_NAME,
            path,
            1,
            1,
            vec![("name", name.to_string()), ("item", c[1].to_string())],
        ),
        None => Diagnostic::coded(
            Severity::Error,
            RENDER,
            path,
            1,
            1,
            vec![
                ("name", name.to_string()),
                ("detail_zh", unexplained_zh()),
                ("detail", message),
            ],
        ),
    };
    Error::Content(vec![d])
}
