//! UI strings: the theme's file for the site language, with `site.yaml` overrides on top.

use std::collections::BTreeMap;

use crate::content::yaml;

/// Built-in string tables, by language tag.
const BUILTIN: &[(&str, &str)] = &[("zh-CN", include_str!("../themes/default/i18n/zh-CN.yaml"))];

/// The built-in strings for `language` (falling back to zh-CN, whose keys every table must have).
pub fn builtin(language: &str) -> BTreeMap<String, String> {
    let text = BUILTIN
        .iter()
        .find(|(l, _)| *l == language)
        .or_else(|| BUILTIN.first())
        .map(|(_, t)| *t)
        .unwrap_or_default();
    // The built-in tables are part of the binary and covered by a test, so a parse failure is a bug.
    yaml::from_str(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn builtin_tables_parse_and_agree() {
        let base = super::builtin("zh-CN");
        assert!(base.len() > 30);
        assert_eq!(base["toc"], "目录");
        for (lang, _) in super::BUILTIN {
            let t = super::builtin(lang);
            for k in base.keys() {
                assert!(t.contains_key(k), "{lang} lacks {k}");
            }
        }
    }
}
