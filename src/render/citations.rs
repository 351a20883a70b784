//! The 依据文件, 表单 and 术语 pages: every cited document, form and term, with where it is used.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::context::base_context;
use super::links::{
    ENTRY_CITATIONS, LinkList, configured_href, regulation_href, source_link, term_explanations,
};
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
    /// A term without a definition: the clauses that explain it (citation, href, their words).
    explained: Vec<(String, String, String)>,
    source: Option<(String, String)>,
    aliases: Vec<String>,
    /// The articles cited of an external document (第十条 …).
    articles: Vec<String>,
    citations: Vec<(String, String)>,
    /// "等，共 N 处" when more places cite it than are listed.
    more: Option<String>,
    /// Set on the first entry of a group (a kind of document, a pinyin initial): its heading.
    group: Option<Group>,
}

/// A group of entries on a reference page, with its heading and anchor (for the page's index).
#[derive(Serialize, Clone, PartialEq, Eq)]
struct Group {
    id: String,
    title: String,
}

/// The kinds 依据文件 are grouped by, in the order shown: laws, party regulations, regulations and
/// rules, documents cited by their number, anything else. Read from the name as written, so a
/// name that says nothing of its kind is "other".
fn document_kind(name: &str) -> usize {
    let n = name.trim_matches(['《', '》']);
    // （试行） and the like say nothing of the kind.
    let stem = n
        .strip_suffix('）')
        .and_then(|s| s.rfind('（').map(|i| &s[..i]))
        .unwrap_or(n);
    if n.contains('〔') {
        3
    } else if ["中国共产党", "中共", "党政"]
        .iter()
        .any(|p| n.starts_with(p))
        || n.contains("党内")
        || n.contains("党员")
    {
        1
    } else if (stem.ends_with('法') && !stem.ends_with("办法")) || stem.ends_with("法典") {
        0
    } else if ["条例", "规定", "办法", "细则", "规则", "准则", "规范"]
        .iter()
        .any(|s| stem.ends_with(s))
    {
        2
    } else {
        4
    }
}

const DOCUMENT_KINDS: [&str; 5] = [
    "basis_kind_law",
    "basis_kind_party",
    "basis_kind_rules",
    "basis_kind_numbered",
    "basis_kind_other",
];

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
                    lib.config.quoted(name)
                },
                id: format!("{prefix}{name}"),
                href: configured.get(name).and_then(|d| configured_href(d, "")),
                definition: None,
                explained: Vec::new(),
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
                group: None,
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
                    explained: term_explanations(lib, t)
                        .into_iter()
                        .map(|x| (x.citation, x.href, x.text))
                        .collect(),
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
                                format!("{}{what}", lib.config.quoted(&r.title)),
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
                    group: None,
                })
                .collect(),
        ),
    ];
    for (path, title_key, intro_key, mut list) in pages {
        // 依据文件 and 术语 in the order a Chinese reader looks things up in (pinyin), not by code
        // point (中, 党, 公, 关 …); forms keep theirs.
        // 依据文件 are grouped by kind, 术语 by the initial of their pinyin (an index to jump by).
        match path {
            "basis.html" => {
                list.sort_by_cached_key(|e| {
                    (document_kind(&e.name), pinyin_key(&e.name), e.name.clone())
                });
                mark_groups(&mut list, |e| {
                    let k = document_kind(&e.name);
                    Group {
                        id: format!("kind-{k}"),
                        title: lib.config.string(DOCUMENT_KINDS[k]),
                    }
                });
            }
            "glossary.html" => {
                list.sort_by_cached_key(|e| (pinyin_key(&e.name), e.name.clone()));
                mark_groups(&mut list, |e| {
                    let initial: String = pinyin_key(&e.name)
                        .chars()
                        .next()
                        .filter(char::is_ascii_alphabetic)
                        .map_or("#".into(), |c| c.to_ascii_uppercase().to_string());
                    Group {
                        id: format!("initial-{initial}"),
                        title: initial,
                    }
                });
            }
            _ => {}
        }
        let groups: Vec<Group> = list.iter().filter_map(|e| e.group.clone()).collect();
        let mut ctx = base_context(lib, theme, "", None)?;
        ctx.insert("page_kind", title_key);
        ctx.insert("page_title", &lib.config.string(title_key));
        ctx.insert("page_intro", &lib.config.string(intro_key));
        ctx.insert("entries", &list);
        ctx.insert("groups", &groups);
        let html = theme.render("references.html", &ctx)?;
        sink.put(path, &page(&html))?;
    }
    Ok(())
}

/// Mark the first entry of each run of entries in one group (the list is sorted by group first).
fn mark_groups(list: &mut [RefEntry], group: impl Fn(&RefEntry) -> Group) {
    let mut last: Option<Group> = None;
    for e in list.iter_mut() {
        let g = group(e);
        if last.as_ref() != Some(&g) {
            e.group = Some(g.clone());
            last = Some(g);
        }
    }
}

/// The sort key of `text` in pinyin order: each Chinese character's syllable without tone (from the
/// `pinyin` crate's tables), then a space so that syllables compare one by one (xi an < xian); any
/// other character as it is, lower-cased.
pub(crate) fn pinyin_key(text: &str) -> String {
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
    fn documents_are_grouped_by_kind() {
        for (name, kind) in [
            ("《中华人民共和国保守国家秘密法》", 0),
            ("《道路交通安全法》", 0),
            ("《吉林省基层工会经费收支管理实施办法》", 2),
            ("《中国共产党问责条例》", 1),
            ("《关于新形势下党内政治生活的若干准则》", 1),
            ("《党政机关国内公务接待管理规定》", 1),
            ("《中共中央、国务院关于实行党风廉政建设责任制的规定》", 1),
            ("《公务员考核规定》", 2),
            ("《行政事业单位内部控制规范（试行）》", 2),
            ("中保委〔2004〕7号", 3),
            (
                "《建立健全教育、制度、监督并重的惩治和预防腐败体系实施纲要》",
                4,
            ),
        ] {
            assert_eq!(super::document_kind(name), kind, "{name}");
        }
    }

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
