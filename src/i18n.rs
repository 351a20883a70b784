//! UI strings: the catalogue for the site language — built in (every file of
//! `themes/default/i18n/`, embedded by `build.rs`) or the site's own `i18n/<language>.yaml` — with
//! `site.yaml` overrides on top. Adding a language is adding a file.

use std::collections::BTreeMap;
use std::path::Path;

use crate::content::yaml;

/// Built-in string tables, by language tag; zh-CN first (the table others fall back to).
const BUILTIN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/i18n.rs"));

/// The built-in table for `language`: the exact tag, else one of the same language (`en-GB` reads
/// `en`), else zh-CN.
fn builtin_text(language: &str) -> &'static str {
    let primary = |t: &str| t.split(['-', '_']).next().unwrap_or(t).to_ascii_lowercase();
    BUILTIN
        .iter()
        .find(|(l, _)| l.eq_ignore_ascii_case(language))
        .or_else(|| {
            BUILTIN
                .iter()
                .find(|(l, _)| primary(l) == primary(language))
        })
        .or_else(|| BUILTIN.first())
        .map(|(_, t)| *t)
        .unwrap_or_default()
}

/// The built-in strings for `language` (falling back to zh-CN, whose keys every table must have).
pub fn builtin(language: &str) -> BTreeMap<String, String> {
    // Every key of zh-CN first, so a table that lacks one still shows a string.
    let mut strings: BTreeMap<String, String> =
        yaml::from_str(BUILTIN.first().map_or("", |t| t.1)).unwrap_or_default();
    // The built-in tables are part of the binary and covered by a test, so a parse failure is a bug.
    let own: BTreeMap<String, String> = yaml::from_str(builtin_text(language)).unwrap_or_default();
    strings.extend(own);
    strings
}

/// The strings for `language` in a site at `root`: the built-in ones, then the site's own
/// catalogue `root/i18n/<language>.yaml` if it has one (a language rulebook does not ship, or a
/// retranslation). A catalogue that is not a map of strings is `Err` with the parser's words.
pub fn for_site(root: &Path, language: &str) -> Result<BTreeMap<String, String>, String> {
    let mut strings = builtin(language);
    let file = root.join("i18n").join(format!("{language}.yaml"));
    if let Ok(text) = std::fs::read_to_string(&file) {
        let own: BTreeMap<String, String> = yaml::from_str(&text)
            .map_err(|e| format!("{}:{}: {}", file.display(), e.line, e.message))?;
        strings.extend(own);
    }
    Ok(strings)
}

/// The languages built in.
pub fn languages() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(l, _)| *l)
}

#[cfg(test)]
mod tests {
    #[test]
    fn builtin_tables_parse_and_agree() {
        let base: std::collections::BTreeMap<String, String> =
            crate::content::yaml::from_str(super::BUILTIN[0].1).unwrap();
        assert_eq!(super::BUILTIN[0].0, "zh-CN");
        assert!(base.len() > 30);
        assert_eq!(base["toc"], "目录");
        for (lang, text) in super::BUILTIN {
            let t: std::collections::BTreeMap<String, String> =
                crate::content::yaml::from_str(text)
                    .unwrap_or_else(|e| panic!("{lang}: {}", e.message));
            for k in base.keys() {
                assert!(t.contains_key(k), "{lang} lacks {k}");
            }
            for k in t.keys() {
                assert!(base.contains_key(k), "{lang} has {k}, which zh-CN does not");
            }
        }
        assert_eq!(super::builtin("en")["toc"], "Contents");
        assert_eq!(super::builtin("en-GB")["toc"], "Contents");
        assert_eq!(super::builtin("xx")["toc"], "目录");
        assert!(super::languages().any(|l| l == "en"));
    }
}
