//! The 依据文件, 表单 and 术语 pages: every cited document, form and term, with where it is used.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::context::base_context;
use super::links::{ENTRY_CITATIONS, LinkList, configured_href, regulation_href, source_link};
use super::minify::page;
use super::theme::Theme;
use crate::error::Result;
use crate::model::{Library, Target};
use crate::output::write::Sink;

#[derive(Serialize)]
struct RefEntry {
    name: String,
    /// As shown: 《title》, or a document number as it is (中保委〔2004〕7号).
    display: String,
    id: String,
    href: Option<String>,
    definition: Option<String>,
    source: Option<(String, String)>,
    aliases: Vec<String>,
    /// The articles cited of an external document (第十条 …).
    articles: Vec<String>,
    citations: Vec<(String, String)>,
    /// "等，共 N 处" when more places cite it than are listed.
    more: Option<String>,
}

/// The 依据文件, 表单 and 术语 pages: every cited document, form and term with where it is used.
pub(crate) fn reference_pages(lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
    let mut externals: BTreeMap<&str, LinkList> = BTreeMap::new();
    // The articles cited of each external document, in the order first cited.
    let mut articles: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut forms: BTreeMap<&str, LinkList> = BTreeMap::new();
    let mut terms: HashMap<&str, LinkList> = HashMap::new();
    for r in &lib.references {
        let list = match &r.target {
            Target::External { name, article } => {
                if let Some(a) = article {
                    let list = articles.entry(name).or_default();
                    if !list.contains(&a.as_str()) {
                        list.push(a);
                    }
                }
                externals.entry(name)
            }
            Target::Form { name } => forms.entry(name),
            Target::Term { term } => {
                terms
                    .entry(term)
                    .or_insert_with(|| LinkList::new(ENTRY_CITATIONS))
                    .push(source_link(lib, r, "", None));
                continue;
            }
            Target::Regulation { .. } | Target::Role { .. } => continue,
        };
        list.or_insert_with(|| LinkList::new(ENTRY_CITATIONS))
            .push(source_link(lib, r, "", None));
    }
    let entries = |map: BTreeMap<&str, LinkList>,
                   configured: &BTreeMap<String, String>,
                   prefix: &str|
     -> Vec<RefEntry> {
        map.into_iter()
            .map(|(name, list)| RefEntry {
                name: name.to_string(),
                display: if name.contains('〔') {
                    name.to_string()
                } else {
                    format!("《{name}》")
                },
                id: format!("{prefix}{name}"),
                href: configured.get(name).and_then(|d| configured_href(d, "")),
                definition: None,
                source: None,
                aliases: Vec::new(),
                articles: articles
                    .get(name)
                    .map(|l| l.iter().map(|a| a.to_string()).collect())
                    .unwrap_or_default(),
                more: (list.more() > 0).then(|| {
                    lib.config
                        .string("and_more")
                        .replace("{n}", &list.total.to_string())
                }),
                citations: list.shown,
            })
            .collect()
    };
    let pages = [
        (
            "basis.html",
            "basis_page",
            "basis_intro",
            entries(externals, &lib.config.external, "ext-"),
        ),
        (
            "forms.html",
            "forms_page",
            "forms_intro",
            entries(forms, &lib.config.forms, "form-"),
        ),
        (
            "glossary.html",
            "glossary_page",
            "glossary_intro",
            lib.terms
                .iter()
                .map(|t| RefEntry {
                    name: t.term.clone(),
                    display: t.term.clone(),
                    id: format!("term-{}", t.term),
                    href: None,
                    definition: t.definition.clone(),
                    source: t
                        .source
                        .as_deref()
                        .and_then(|s| lib.regulation(s))
                        .map(|r| {
                            let what = t
                                .clause
                                .as_deref()
                                .and_then(|c| r.citation(c))
                                .unwrap_or_default();
                            let fragment = t
                                .clause
                                .as_deref()
                                .map(|c| format!("#{c}"))
                                .unwrap_or_default();
                            (
                                format!("《{}》{what}", r.title),
                                format!("{}{fragment}", regulation_href(&r.id)),
                            )
                        }),
                    aliases: t.aliases.clone(),
                    articles: Vec::new(),
                    more: terms
                        .get(t.term.as_str())
                        .filter(|l| l.more() > 0)
                        .map(|l| {
                            lib.config
                                .string("and_more")
                                .replace("{n}", &l.total.to_string())
                        }),
                    citations: terms
                        .remove(t.term.as_str())
                        .map(|l| l.shown)
                        .unwrap_or_default(),
                })
                .collect(),
        ),
    ];
    for (path, title_key, intro_key, mut list) in pages {
        // 依据文件 and 术语 in the order a Chinese reader looks things up in (pinyin), not by code
        // point (中, 党, 公, 关 …); forms keep theirs.
        if path != "forms.html" {
            list.sort_by_cached_key(|e| (pinyin_key(&e.name), e.name.clone()));
        }
        let mut ctx = base_context(lib, theme, "", None)?;
        ctx.insert("page_kind", title_key);
        ctx.insert("page_title", &lib.config.string(title_key));
        ctx.insert("page_intro", &lib.config.string(intro_key));
        ctx.insert("entries", &list);
        let html = theme.render("references.html", &ctx)?;
        sink.put(path, &page(&html))?;
    }
    Ok(())
}

/// The sort key of `text` in pinyin order: each Chinese character's syllable without tone (from the
/// `pinyin` crate's tables), then a space so that syllables compare one by one (xi an < xian); any
/// other character as it is, lower-cased.
fn pinyin_key(text: &str) -> String {
    use pinyin::ToPinyin;
    let mut key = String::with_capacity(text.len() * 2);
    for (c, p) in text.chars().zip(text.to_pinyin()) {
        match p {
            Some(p) => {
                key.push_str(p.plain());
                key.push(' ');
            }
            None => key.extend(c.to_lowercase()),
        }
    }
    key
}

#[cfg(test)]
mod tests {
    #[test]
    fn pinyin_order() {
        let mut names = [
            "中国共产党问责条例",
            "党政领导干部选拔任用工作条例",
            "公务员考核规定",
            "关于加强保密工作的意见",
        ];
        names.sort_by_key(|n| super::pinyin_key(n));
        assert_eq!(
            names,
            [
                "党政领导干部选拔任用工作条例",
                "公务员考核规定",
                "关于加强保密工作的意见",
                "中国共产党问责条例"
            ]
        );
        assert!(super::pinyin_key("西安") < super::pinyin_key("先"));
    }
}
