//! Terms the text never defines but explains (`explained_in:` of terms.yaml): the glossary, the
//! in-place preview's data and the print edition show the explaining clauses in their own words
//! instead of "原文未作定义"; an anchor the source does not have is an error at its line (RB142).

use crate::common;

use crate::common::{html_text, seed_site};

fn read(rel: &str) -> String {
    std::fs::read_to_string(seed_site().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn sel(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).expect("selector")
}

/// 一岗双责: no sentence defines it; 责任清单 一、（四） and 三、 say what it asks.
#[test]
fn yigang_shuangze_shows_the_clauses_that_explain_it() {
    let doc = scraper::Html::parse_document(&read("glossary.html"));
    let dd = doc
        .select(&sel("dt[id='term-一岗双责'] + dd"))
        .next()
        .expect("the glossary lists 一岗双责");
    let text: String = dd.text().collect();
    assert!(text.contains("原文未作定义，以下条款作了说明"), "{text}");
    assert!(!text.contains("见首次使用处"), "{text}");
    let links: Vec<(String, String)> = dd
        .select(&sel("ul.explained a"))
        .map(|a| {
            (
                a.text().collect(),
                a.value().attr("href").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            (
                "《市委保密办党风廉政建设责任清单》一、（四）".to_string(),
                "regulations/dangfeng-zeren-qingdan.html#sec1-item4".to_string()
            ),
            (
                "《市委保密办党风廉政建设责任清单》三、".to_string(),
                "regulations/dangfeng-zeren-qingdan.html#sec3".to_string()
            ),
        ]
    );
    // Each in its own words: 三、's own paragraph, not its four items.
    assert!(text.contains(
        "班子成员根据工作分工，履行“一岗双责”，对职责范围内的党风廉政建设负直接领导责任。"
    ));
    assert!(!text.contains("协助主任抓好党风廉政建设工作"), "{text}");
    assert!(text.contains("主要领导切实履行党风廉政建设“第一责任人”责任。"));
    // A term neither defined nor explained keeps the note.
    let other: String = doc
        .select(&sel("dt[id='term-民主集中制'] + dd"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(other.contains("原文未作定义，见首次使用处"), "{other}");
}

/// The preview's data (preview/terms.js) carries the same clauses, and the print edition's 术语
/// appendix points at them.
#[test]
fn preview_and_print_carry_the_explanation() {
    let js = read("preview/terms.js");
    let start = js
        .find("\"一岗双责\"")
        .expect("一岗双责 in the preview data");
    let entry = &js[start..];
    let entry = &entry[..entry.find("]]]").map_or(entry.len(), |i| i + 3)];
    assert!(
        entry.contains("《市委保密办党风廉政建设责任清单》三、"),
        "{entry}"
    );
    assert!(entry.contains("负直接领导责任"), "{entry}");
    let print = html_text(&read("print.html"));
    let at = print
        .find("原文未作定义，以下条款作了说明")
        .expect("print's 术语 appendix");
    let around: String = print[at..].chars().take(200).collect();
    assert!(around.contains("三、"), "{around}");
}

/// An `explained_in:` anchor the source does not have: RB142 at the line of `explained_in:`.
#[test]
fn an_unknown_explaining_clause_is_an_error_at_its_line() {
    let terms = "- term: 甲\n  source: jia\n  clause: sec1\n  explained_in: [sec1, sec9]\n";
    let dir = common::fixture_site(&[
        ("content/terms.yaml", terms),
        (
            "content/a/jia.md",
            "---\ntitle: 甲制度\nid: jia\n---\n\n一、甲是办公室的事。\n\n二、乙。\n",
        ),
    ]);
    let (code, json) = common::check_json(dir.path(), &[]);
    assert_ne!(code, 0);
    let found: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "RB142")
        .collect();
    assert_eq!(found.len(), 1, "{json}");
    assert!(found[0]["path"].as_str().unwrap().ends_with("terms.yaml"));
    assert_eq!(found[0]["line"].as_u64(), Some(4));
    assert!(found[0]["message"].as_str().unwrap().contains("sec9"));
}

/// Issue 27: a term the text does not define sends the reader to its first use (见首次使用处), so
/// the place its glossary entry links must contain the term. 五个不直接管's only use is the 主要领导
/// register's 4th risk point; 一把手 第三条 (不得直接分管下列五项工作) does not contain it.
#[test]
fn an_undefined_terms_place_contains_the_term() {
    let mut site = rulebook::Site::new(common::repo_root());
    let lib = site.load().expect("the seed loads").clone();
    let mut checked = 0;
    for t in lib.terms.iter().filter(|t| t.definition.is_none()) {
        let (Some(src), Some(anchor)) = (t.source.as_deref(), t.clause.as_deref()) else {
            continue;
        };
        let doc = scraper::Html::parse_document(&read(&format!("regulations/{src}.html")));
        let place = doc
            .select(&sel(&format!("[id='{anchor}']")))
            .next()
            .unwrap_or_else(|| panic!("{}: {src}#{anchor} is on the page", t.term));
        let text: String = place.text().collect();
        // A term used only in its regulation's title (三会一课) is at the page's top.
        let title = lib
            .regulation(src)
            .map(|r| r.title.clone())
            .unwrap_or_default();
        assert!(
            std::iter::once(&t.term)
                .chain(&t.aliases)
                .any(|w| text.contains(w.as_str()) || title.contains(w.as_str())),
            "{}: its place {src}#{anchor} does not contain it: {text}",
            t.term
        );
        checked += 1;
    }
    assert!(checked >= 3, "the seed has undefined terms with places");
    let doc = scraper::Html::parse_document(&read("glossary.html"));
    let dd = doc
        .select(&sel("dt[id='term-五个不直接管'] + dd"))
        .next()
        .expect("the glossary lists 五个不直接管");
    let hrefs: Vec<&str> = dd
        .select(&sel("a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        hrefs.first().copied(),
        Some("regulations/fengxian-zhuyao-lingdao.html#risk-4"),
        "{hrefs:?}"
    );
}

/// Issue 27: a definition is only a sentence of the text that defines, in its own words. Every
/// definition in terms.yaml is in the seed as written (党的组织生活 keeps its “主要”); 末位表态制's
/// sentence (集体决策会议实行末位表态制，保密办主任应当最后发表结论性意见) is a rule, so it has none.
#[test]
fn definitions_are_the_texts_own_defining_words() {
    let mut site = rulebook::Site::new(common::repo_root());
    let lib = site.load().expect("the seed loads").clone();
    let seed = common::squash(&common::seed_text());
    let mut defined = 0;
    for t in &lib.terms {
        if let Some(d) = &t.definition {
            assert!(
                seed.contains(&common::squash(d)),
                "{}: definition not in the seed as written: {d}",
                t.term
            );
            defined += 1;
        }
    }
    assert!(defined >= 5, "{defined}");
    let term = |name: &str| lib.terms.iter().find(|t| t.term == name).unwrap();
    assert_eq!(term("末位表态制").definition, None);
    assert_eq!(
        term("党的组织生活").definition.as_deref(),
        Some("主要是指党的支部委员会、党小组会、党员大会和党课")
    );
    let doc = scraper::Html::parse_document(&read("glossary.html"));
    let dd: String = doc
        .select(&sel("dt[id='term-末位表态制'] + dd"))
        .next()
        .expect("the glossary lists 末位表态制")
        .text()
        .collect();
    assert!(dd.contains("原文未作定义"), "{dd}");
}
