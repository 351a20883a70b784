//! The one module that talks to serde_yaml: every other module parses YAML through these functions.
//!
//! serde_yaml 0.9 is archived upstream; keeping it behind this seam means a replacement touches one file.

use serde::de::DeserializeOwned;

/// A YAML problem located inside the parsed text (1-based line and column of that text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

fn convert(e: serde_yaml::Error, text: &str) -> YamlError {
    let (mut line, mut column) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((1, 1));
    // At end of input the parser points one line past the text; point at the last line instead.
    let lines = text.lines().count().max(1);
    if line > lines {
        line = lines;
        column = text.lines().last().map_or(1, |l| l.chars().count() + 1);
    }
    // serde_yaml appends " at line X column Y" to its message; we report the position ourselves.
    let mut message = e.to_string();
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    YamlError {
        line,
        column,
        message,
    }
}

/// Parse `text` into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| convert(e, text))
}

/// The keys of a top-level mapping, in order, each with its 1-based line in `text`.
/// Empty text or `null` gives no keys; any other non-mapping document is an error.
#[cfg(test)]
fn top_level_keys(text: &str) -> Result<Vec<(String, usize)>, YamlError> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| convert(e, text))?;
    keys_of(&value, text)
}

/// A front-matter: its top-level keys, each with its 1-based line and, when they are valid,
/// its values as `T`. The text is parsed once; only when `T` refuses a value is it parsed again,
/// to locate the problem (a parsed value keeps no positions).
pub struct Document<T> {
    pub keys: Vec<(String, usize)>,
    /// The top-level keys written with no value (`draft:`), which `T` cannot tell from absent ones.
    pub empty: Vec<String>,
    pub value: Result<T, YamlError>,
}

/// Parse `text` once into its keys and `T`; `Err` if it is not YAML or not a mapping.
pub fn document<T: DeserializeOwned>(text: &str) -> Result<Document<T>, YamlError> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| convert(e, text))?;
    let keys = keys_of(&value, text)?;
    let empty = match &value {
        serde_yaml::Value::Mapping(m) => m
            .iter()
            .filter(|(_, v)| v.is_null())
            .filter_map(|(k, _)| k.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    let value = serde_yaml::from_value(value).or_else(|_| from_str(text));
    Ok(Document { keys, empty, value })
}

fn keys_of(value: &serde_yaml::Value, text: &str) -> Result<Vec<(String, usize)>, YamlError> {
    let map = match value {
        serde_yaml::Value::Null => return Ok(Vec::new()),
        serde_yaml::Value::Mapping(m) => m,
        _ => {
            return Err(YamlError {
                line: 1,
                column: 1,
                message: "expected `key: value` pairs".into(),
            });
        }
    };
    Ok(map
        .keys()
        .map(|k| {
            let key = match k {
                serde_yaml::Value::String(s) => s.clone(),
                other => serde_yaml::to_string(other)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            };
            let line = key_line(text, &key).unwrap_or(1);
            (key, line)
        })
        .collect())
}

/// The line of a top-level `key:` in `text` (values do not carry positions in serde_yaml).
fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
                || l.strip_prefix(&format!("\"{key}\"")).is_some()
                || l.strip_prefix(&format!("'{key}'")).is_some()
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct T {
        #[allow(dead_code)]
        title: String,
    }

    #[test]
    fn error_positions_are_in_the_text() {
        let cases: &[(&str, usize)] = &[
            ("title: x\nlist: [1, 2\n", 2),
            ("title: [a]\n", 1),
            ("a: 1\nb: 2\ntitle: \"x\n", 3),
            ("title: a\nb: 1\n  c: 2\n", 3),
        ];
        for (text, line) in cases {
            let e = from_str::<T>(text).unwrap_err();
            assert_eq!(e.line, *line, "{text:?}: {e:?}");
            assert!(!e.message.contains(" at line "), "{}", e.message);
        }
    }

    #[test]
    fn keys_with_lines() {
        let keys = top_level_keys("title: x\n# c\nidd: y\n").unwrap();
        assert_eq!(keys, vec![("title".into(), 1), ("idd".into(), 3)]);
        assert!(top_level_keys("").unwrap().is_empty());
        assert!(top_level_keys("- a\n").is_err());
    }

    /// Every problem the catalogue explains in Chinese is one the parser really words that way
    /// (a newer parser wording one otherwise shows its own words, and fails here).
    #[test]
    fn the_chinese_yaml_problems_are_the_parsers_words() {
        // (text, the parser's words)
        let cases: &[(&str, &str)] = &[
            ("title: [oops\nx: 1\n", "did not find expected ',' or ']'"),
            ("title: {a\n", "did not find expected ',' or '}'"),
            (
                "title: a: b\n",
                "mapping values are not allowed in this context",
            ),
            (
                "title: x\n\tbad: 1\n",
                "found a tab character that violates indentation",
            ),
            ("title: \"unclosed\n", "found unexpected end of stream"),
            ("title: @x\n", "found character that cannot start any token"),
            ("title: *alias\n", "unknown anchor"),
            ("title: \"a\" b\n", "did not find expected key"),
            ("a:\n  - b\n c: 1\n", "did not find expected key"),
            ("title: x\nfoo\n", "could not find expected ':'"),
            ("title: ]\n", "did not find expected node content"),
            ("title: x\n% y\n", "could not find expected directive name"),
            (
                "title: &\n",
                "did not find expected alphabetic or numeric character",
            ),
            ("title: !x!y z\n", "found undefined tag handle"),
            (
                "title: - x\n",
                "block sequence entries are not allowed in this context",
            ),
            (
                "title: x\n---\ny: 1\n",
                "deserializing from YAML containing more than one document is not supported",
            ),
        ];
        for (text, words) in cases {
            let e = from_str::<std::collections::BTreeMap<String, serde_yaml::Value>>(text)
                .expect_err(text);
            assert_eq!(e.message, *words, "{text:?}");
        }
        assert_eq!(
            document::<T>("- a\n").err().map(|e| e.message).as_deref(),
            Some("expected `key: value` pairs")
        );
        for (en, zh) in crate::messages::YAML_PROBLEMS {
            assert!(
                cases.iter().any(|(_, w)| w == en) || *en == "expected `key: value` pairs",
                "no case words `{en}`"
            );
            let args = crate::messages::yaml_detail(en.to_string());
            assert_eq!(args[1], ("detail_zh", zh.to_string()));
        }
        // What the table does not know is shown in the parser's words.
        let args = crate::messages::yaml_detail("something new".into());
        assert_eq!(args[1], ("detail_zh", "something new".to_string()));
    }
}
