//! Laws citing laws (tests/fixtures/laws, short laws written for the tests): 《…》第N条 and lists of
//! articles, short names in running text (测试甲法第一条), 本法 / 本款 / 前两款, citations of laws the
//! handbook does not hold (依据文件 with their articles), and an amendment quoting another law's new
//! wording; then a near miss and a missing article, which warn and stay plain.

use crate::common;

use std::path::Path;

use crate::common::{broken_links, fixture_build, fixture_site, main_of, repo_root};
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

/// Versions of one law kept as files (tests/fixtures/versions: 测试公司法 of 2005, 2018 and 2023,
/// whose 2023 text inserts an article so that the old 第三条 becomes 第四条), built for a day.
fn versions_built_on(day: jiff::civil::Date) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let mut site = rulebook::Site::new(repo_root().join("tests/fixtures/versions"));
    site.today = day;
    site.build(Some(&out.path().join("public")), false)
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", e.diagnostics()));
    out
}

/// The 时效性 badge, the in-force banner's link and the version list of a page.
fn timeliness_of(out: &Path, id: &str) -> (String, Option<String>, Vec<String>) {
    // Files are written under the readable name; links percent-encode it.
    let page = out.join(format!("public/regulations/{id}.html"));
    let page = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{id}: {e}"));
    let doc = Html::parse_document(&page);
    let one = |css: &str| {
        doc.select(&Selector::parse(css).unwrap())
            .next()
            .map(|e| e.text().collect::<String>())
    };
    let badge = one(".badge.timeliness").unwrap_or_default();
    let amended = doc
        .select(&Selector::parse(".amended-banner a").unwrap())
        .next()
        .and_then(|a| a.value().attr("href"))
        .and_then(common::percent_decode);
    let versions = doc
        .select(&Selector::parse("ol.versions li").unwrap())
        .map(|li| li.text().collect::<String>())
        .collect();
    (badge, amended, versions)
}

#[test]
fn versions_as_files_build_and_say_which_is_in_force() {
    use jiff::civil::date;
    let (code, v) = common::check_json(&repo_root().join("tests/fixtures/versions"), &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["warnings"].as_u64(), Some(0), "{v:#}");
    let all = [
        "falv-公司法(2005-10-27)",
        "falv-公司法(2018-10-26)",
        "falv-公司法(2023-12-29)",
    ];
    let list = vec![
        "2006-01-01".to_string(),
        "2018-10-26（现行）".to_string(),
        "2024-07-01".to_string(),
    ];
    // Between the second and the third: the 2018 text is in force, 2005's amended, 2023's to come.
    let between = versions_built_on(date(2020, 1, 1));
    let b = between.path();
    assert_eq!(
        timeliness_of(b, all[0]),
        (
            "已被修改".into(),
            Some("../regulations/falv-公司法(2018-10-26).html".into()),
            list.clone()
        )
    );
    assert_eq!(
        timeliness_of(b, all[1]),
        ("现行有效".into(), None, list.clone())
    );
    assert_eq!(timeliness_of(b, all[2]).0, "尚未生效");
    // After the third: it is in force, both earlier ones amended and pointing at it.
    let after = versions_built_on(date(2026, 6, 1));
    let a = after.path();
    for old in &all[..2] {
        let (badge, to, _) = timeliness_of(a, old);
        assert_eq!(badge, "已被修改", "{old}");
        assert_eq!(
            to.as_deref(),
            Some("../regulations/falv-公司法(2023-12-29).html")
        );
    }
    assert_eq!(timeliness_of(a, all[2]).0, "现行有效");
    // Before the first: none is in force yet.
    let before = versions_built_on(date(2000, 1, 1));
    for id in all {
        assert_eq!(timeliness_of(before.path(), id).0, "尚未生效", "{id}");
    }
    // A regulation that is the only version of itself is 现行有效.
    assert_eq!(timeliness_of(b, "jieshi-解释(2020)").0, "现行有效");
}

#[test]
fn a_citation_lands_on_the_version_in_force_on_the_citing_texts_date() {
    use jiff::civil::date;
    // Whatever the build's day, a text of 2020 cites the 2018 text, a text of 2025 the 2023 one:
    // the 2020 interpretation's 第三条 is 2018's 第三条, not 2023's (which is another article).
    for day in [date(2020, 1, 1), date(2026, 6, 1)] {
        let built = versions_built_on(day);
        let out = built.path().join("public");
        let cites = |page: &str| -> Vec<(String, String)> {
            links(&out, &format!("regulations/{page}.html"), "xref")
                .into_iter()
                .map(|(t, h)| (t, common::percent_decode(&h).unwrap()))
                .collect()
        };
        assert_eq!(
            cites("jieshi-解释(2020)"),
            [
                (
                    "《中华人民共和国测试公司法》第三条".to_string(),
                    "../regulations/falv-公司法(2018-10-26).html#art3".to_string()
                ),
                (
                    "测试公司法第三条".to_string(),
                    "../regulations/falv-公司法(2018-10-26).html#art3".to_string()
                ),
            ],
            "{day}"
        );
        // The preview says which version it shows when it is not the one in force on the day.
        let page = std::fs::read_to_string(out.join("regulations/jieshi-解释(2020).html")).unwrap();
        let doc = Html::parse_document(&page);
        let version = doc
            .select(&Selector::parse(".reg-body a.xref").unwrap())
            .next()
            .unwrap()
            .value()
            .attr("data-version")
            .map(str::to_string);
        let want = (day > date(2024, 7, 1)).then(|| "引用时的版本（2018-10-26）".to_string());
        assert_eq!(version, want, "{day}");
        assert_eq!(
            cites("jieshi-解释(2025)"),
            [(
                "《中华人民共和国测试公司法》第四条".to_string(),
                "../regulations/falv-公司法(2023-12-29).html#art4".to_string()
            )],
            "{day}"
        );
    }
}

/// The README's command, from the site folder: `SOURCE_DATE_EPOCH` sets the build's day.
#[test]
fn source_date_epoch_sets_the_day_of_a_build_run_from_the_site_folder() {
    let site = tempfile::tempdir().unwrap();
    let from = repo_root().join("tests/fixtures/versions");
    for e in walkdir::WalkDir::new(&from) {
        let e = e.unwrap();
        let to = site.path().join(e.path().strip_prefix(&from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .arg("build")
        .current_dir(site.path())
        .env("SOURCE_DATE_EPOCH", "1577836800") // 2020-01-01
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    assert_eq!(
        timeliness_of(site.path(), "falv-公司法(2018-10-26)").0,
        "现行有效"
    );
    assert_eq!(
        timeliness_of(site.path(), "falv-公司法(2023-12-29)").0,
        "尚未生效"
    );
}

/// 新旧对照 of two versions kept as files: the 2023 text inserts a 第三条, so the old 第三条 is
/// the new 第四条; the rows pair them by content, and changed words are marked whole.
#[test]
fn the_comparison_aligns_a_renumbered_article() {
    let built = versions_built_on(jiff::civil::date(2026, 6, 1));
    let out = built.path().join("public");
    let page = std::fs::read_to_string(out.join("compare/falv-公司法(2023-12-29).html")).unwrap();
    let doc = Html::parse_document(&page);
    let cell = Selector::parse("td").unwrap();
    let label = Selector::parse(".clause-label").unwrap();
    let rows: Vec<(String, Vec<String>, String, String)> = doc
        .select(&Selector::parse(".compare-table tbody tr").unwrap())
        .map(|tr| {
            let cells: Vec<_> = tr.select(&cell).collect();
            let labels = tr.select(&label).map(|l| l.text().collect()).collect();
            (
                tr.value().attr("class").unwrap().to_string(),
                labels,
                cells[0].inner_html(),
                cells[1].inner_html(),
            )
        })
        .collect();
    let kinds: Vec<(&str, Vec<&str>)> = rows
        .iter()
        .map(|(k, l, _, _)| (k.as_str(), l.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("compare-same", vec!["第一条", "第一条"]),
            ("compare-changed", vec!["第二条", "第二条"]),
            ("compare-added", vec!["第三条"]),
            ("compare-changed", vec!["第三条", "第四条"]),
        ]
    );
    // The renumbered article's own change is marked, not the whole article.
    assert!(rows[3].3.contains("<ins>二〇二三年</ins>"), "{}", rows[3].3);
    assert!(rows[3].2.contains("<del>二〇一八年</del>"), "{}", rows[3].2);
    // The newer version links to its comparison; the first has none.
    let has_link = |id: &str| {
        std::fs::read_to_string(out.join(format!("regulations/{id}.html")))
            .unwrap()
            .contains("compare-link")
    };
    assert!(has_link("falv-公司法(2023-12-29)"));
    assert!(has_link("falv-公司法(2018-10-26)"));
    assert!(!has_link("falv-公司法(2005-10-27)"));
    assert!(
        common::broken_links(&out).is_empty(),
        "{:?}",
        common::broken_links(&out)
    );
}

/// The versions fixture copied into a temporary site, with an undated notice that cites the law by
/// its alias, built for `day`.
fn versions_with_undated_notice(day: jiff::civil::Date) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let from = repo_root().join("tests/fixtures/versions");
    for e in walkdir::WalkDir::new(&from) {
        let e = e.unwrap();
        let to = site.path().join(e.path().strip_prefix(&from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    std::fs::write(
        site.path().join("content/jieshi/通知.md"),
        "---\ntitle: 关于学习测试公司法的通知\n---\n一、请学习测试公司法第一条。\n",
    )
    .unwrap();
    let mut s = rulebook::Site::new(site.path());
    s.today = day;
    s.build(None, false)
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", e.diagnostics()));
    site
}

/// The regulation as a whole has one address, `regulations/falv-公司法.html` (the versions' file
/// names without their dates), showing the version in force on the build's day — before the first
/// took effect, the first, with its 尚未生效 — and an undated text's citation goes there, while a
/// dated text's stays on the version of its date.
#[test]
fn the_regulation_has_one_address_that_shows_the_version_in_force() {
    use jiff::civil::date;
    for (day, shown, badge) in [
        (date(2000, 1, 1), "二〇〇五年文本", "尚未生效"),
        (date(2020, 1, 1), "二〇一八年文本", "现行有效"),
        (date(2026, 6, 1), "二〇二三年文本", "现行有效"),
    ] {
        let built = versions_with_undated_notice(day);
        let out = built.path().join("public");
        let page = std::fs::read_to_string(out.join("regulations/falv-公司法.html"))
            .unwrap_or_else(|e| panic!("{day}: {e}"));
        let doc = Html::parse_document(&page);
        let body: String = doc
            .select(&Selector::parse(".reg-body").unwrap())
            .flat_map(|b| b.text())
            .collect();
        assert!(body.contains(shown), "{day}: {body}");
        assert_eq!(timeliness_of(built.path(), "falv-公司法").0, badge, "{day}");
        // Its preview file is there too (links from undated texts preview from it).
        assert!(out.join("preview/r/falv-公司法.js").is_file(), "{day}");
        let cites = |page: &str| -> Vec<(String, String)> {
            links(&out, &format!("regulations/{page}.html"), "xref")
                .into_iter()
                .map(|(t, h)| (t, common::percent_decode(&h).unwrap()))
                .collect()
        };
        assert_eq!(
            cites("jieshi-通知"),
            [(
                "测试公司法第一条".to_string(),
                "../regulations/falv-公司法.html#art1".to_string()
            )],
            "{day}"
        );
        // A dated text keeps the version of its date.
        assert_eq!(
            cites("jieshi-解释(2020)")[0].1,
            "../regulations/falv-公司法(2018-10-26).html#art3",
            "{day}"
        );
        assert!(
            common::broken_links(&out).is_empty(),
            "{day}: {:?}",
            common::broken_links(&out)
        );
    }
}
