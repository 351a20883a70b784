//! Laws citing laws (tests/fixtures/laws, short laws written for the tests): 《…》第N条 and lists of
//! articles, short names in running text (测试甲法第一条), 本法 / 本款 / 前两款, citations of laws the
//! handbook does not hold (依据文件 with their articles), and an amendment quoting another law's new
//! wording; then a near miss and a missing article, which warn and stay plain.

mod common;

use std::path::Path;

use common::{broken_links, fixture_build, fixture_site, main_of, repo_root};
use rulebook::model::Target;
use scraper::{Html, Selector};

fn rulebook(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    common::run_rulebook(args)
}

/// (text, href) of the links of class `class` in the page's body.
fn links(out: &Path, page: &str, class: &str) -> Vec<(String, String)> {
    let html = std::fs::read_to_string(out.join(page)).unwrap();
    let main = main_of(&html);
    let doc = Html::parse_fragment(main);
    doc.select(&Selector::parse(&format!(".reg-body a.{class}")).unwrap())
        .map(|a| {
            (
                a.text().collect(),
                a.value().attr("href").unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn href(id: &str, anchor: &str) -> String {
    format!(
        "../regulations/{}.html#{anchor}",
        rulebook::render::links::encode_segment(id)
    )
}

const JIA: &str = "中华人民共和国测试甲法";
const YI: &str = "中华人民共和国测试乙法";
/// Their ids: the paths under content/ (`法律/中华人民共和国测试甲法.md`).
const JIA_ID: &str = "法律-中华人民共和国测试甲法";
const YI_ID: &str = "法律-中华人民共和国测试乙法";

#[test]
fn laws_cite_each_other_with_no_error_and_no_warning() {
    let (code, v) = common::check_json(&repo_root().join("tests/fixtures/laws"), &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(
        (v["errors"].as_u64(), v["warnings"].as_u64()),
        (Some(0), Some(0)),
        "{v:#}"
    );
}

#[test]
fn articles_of_laws_in_the_site_are_linked() {
    let out = fixture_build("laws");
    let t = |s: &str| s.to_string();
    assert_eq!(
        links(&out, &format!("regulations/{JIA_ID}.html"), "xref"),
        [
            // 本法第N条, 本款, 前两款: within the law.
            (t("本法第五条"), t("#art5")),
            (t("本款"), t("#art3-para2")),
            (t("前两款"), t("#art3")),
            (t("本法第二条"), t("#art2")),
            // 《…》第N条、第M条: both articles of the law named.
            (format!("《{YI}》第三条"), href(YI_ID, "art3")),
            (t("第四条"), href(YI_ID, "art4")),
        ]
    );
    assert_eq!(
        links(&out, "regulations/行政法规-测试丙条例.html", "xref"),
        [
            // A short name (an alias) in running text, and 第K款 of an article.
            (t("测试甲法第一条"), href(JIA_ID, "art1")),
            (format!("《{JIA}》第三条第二款"), href(JIA_ID, "art3-para2")),
            (t("本条例第二条"), t("#art2")),
        ]
    );
    assert_eq!(
        links(&out, "regulations/地方-测试戊办法.html", "xref"),
        [
            (format!("《{JIA}》第一条"), href(JIA_ID, "art1")),
            (t("第二条"), href(JIA_ID, "art2")),
            (t("第五条"), href(JIA_ID, "art5")),
        ]
    );
    assert_eq!(broken_links(&out), Vec::<(String, String)>::new());
}

#[test]
fn an_amendment_quoting_new_wording_is_not_read_as_the_current_documents() {
    let out = fixture_build("laws");
    // 将刑法第一百六十八条修改为：“违反本法第十条……本法第九十九条……”: 刑法 is another law, the quoted
    // 本法 is that law; 将测试乙法第三条修改为：“有前款行为……”: the quoted 前款 is 乙法's.
    assert_eq!(
        links(
            &out,
            "regulations/法律-修正-关于修改《测试乙法》的决定.html",
            "xref"
        ),
        [("测试乙法第三条".to_string(), href(YI_ID, "art3"))]
    );
    let mut site = rulebook::Site::new(repo_root().join("tests/fixtures/laws"));
    let lib = site.load().unwrap();
    let texts: Vec<&str> = lib
        .references
        .iter()
        .filter(|r| r.from == "法律-修正-关于修改《测试乙法》的决定")
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(texts, ["测试乙法第三条"]);
}

#[test]
fn laws_outside_the_site_are_cited_with_their_articles() {
    let mut site = rulebook::Site::new(repo_root().join("tests/fixtures/laws"));
    let lib = site.load().unwrap();
    let cited: Vec<(&str, &Target)> = lib
        .references
        .iter()
        .filter(|r| matches!(r.target, Target::External { .. }))
        .map(|r| (r.text.as_str(), &r.target))
        .collect();
    let ext = |name: &str, article: &str| Target::External {
        name: name.into(),
        article: Some(article.into()),
    };
    // In display order: categories 地方, 法律, 行政法规.
    assert_eq!(
        cited,
        [
            (
                "《中华人民共和国民法典》第一千条",
                &ext("中华人民共和国民法典", "第一千条")
            ),
            (
                "《中华人民共和国刑法》第十条",
                &ext("中华人民共和国刑法", "第十条")
            ),
            (
                "《中华人民共和国刑法》第二十条",
                &ext("中华人民共和国刑法", "第二十条")
            ),
            ("第三十条", &ext("中华人民共和国刑法", "第三十条")),
        ]
    );
    // The 依据文件 page lists each law with the articles cited of it.
    let out = fixture_build("laws");
    let basis = std::fs::read_to_string(out.join("basis.html")).unwrap();
    let doc = Html::parse_document(&basis);
    let entries: Vec<(String, String)> = doc
        .select(&Selector::parse(".ref-list dt").unwrap())
        .zip(doc.select(&Selector::parse(".ref-list dd .articles").unwrap()))
        .map(|(dt, arts)| (dt.text().collect(), arts.text().collect()))
        .collect();
    // In pinyin order: 民法典 (min) before 刑法 (xing).
    assert_eq!(
        entries,
        [
            (
                "《中华人民共和国民法典》".to_string(),
                "引用条款：第一千条".to_string()
            ),
            (
                "《中华人民共和国刑法》".to_string(),
                "引用条款：第十条、第二十条、第三十条".to_string()
            ),
        ]
    );
}

#[test]
fn a_near_miss_and_a_missing_article_warn_and_stay_plain() {
    let jia = "---\ntitle: 中华人民共和国测试甲法\n---\n第一条　为了测试，制定本法。\n\n第二条　本法自公布之日起施行。\n";
    let cite = "---\ntitle: 测试己规定\n---\n第一条　依照《中华人民共和国测试甲去》制定。\n\n第二条　违反本规定第九十九条的，依法处理。\n";
    let dir = fixture_site(&[
        ("content/site.yaml", "title: 测试\n"),
        ("content/法律/甲法.md", jia),
        ("content/规定/测试己规定.md", cite),
    ]);
    let (code, v) = common::check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(
        (v["errors"].as_u64(), v["warnings"].as_u64()),
        (Some(0), Some(2)),
        "{v:#}"
    );
    let messages: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        messages[0].contains("《中华人民共和国测试甲去》"),
        "{messages:?}"
    );
    assert!(messages[1].contains("第九十九条"), "{messages:?}");

    let out = dir.path().join("public");
    let (code, _, err) = rulebook(&["build".as_ref(), "--root".as_ref(), dir.path().as_os_str()]);
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(out.join("regulations/规定-测试己规定.html")).unwrap();
    assert!(
        page.contains("依照《中华人民共和国测试甲去》制定。"),
        "{page}"
    );
    assert!(page.contains("违反本规定第九十九条的"), "{page}");
    assert!(links(&out, "regulations/规定-测试己规定.html", "xref").is_empty());

    // With warnings denied, the build fails and the previous output stays.
    let before = common::snapshot(&out);
    let (code, _, err) = rulebook(&[
        "build".as_ref(),
        "--deny-warnings".as_ref(),
        "--root".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("设置了警告即失败"), "{err}");
    assert_eq!(common::snapshot(&out), before);
}
