//! A law in full (tests/fixtures/laws-full, written for these tests): 编/分编/章/节, 之一 articles,
//! a 款 after a list of items, and documents citing it as lawyers do — lists and ranges of
//! articles, 之一, 前款/前两款/前条/本条第一款, 第N条第K款第（M）项, a short name (测试法 for
//! 中华人民共和国测试法), a title with 〈〉 inside 《》 — and amendments. Every citation is checked
//! against the anchor it must land on, every link is resolved in the built HTML, and the fixture
//! gives no warning; with three deliberate mistakes it gives exactly three.

use crate::common;

use std::path::Path;

use crate::common::{broken_links, fixture_build, main_of, repo_root};
use scraper::{Html, Selector};

const LAW: &str = "中华人民共和国测试法";
const INTERPRETATION: &str = "关于适用〈中华人民共和国测试法〉的解释";

/// (text, href) of the cross-reference links in a page's body.
fn xrefs(out: &Path, id: &str) -> Vec<(String, String)> {
    let html = std::fs::read_to_string(out.join(format!("regulations/{id}.html")))
        .unwrap_or_else(|e| panic!("{id}: {e}"));
    let doc = Html::parse_fragment(main_of(&html));
    doc.select(&Selector::parse(".reg-body a.xref").unwrap())
        .map(|a| {
            (
                a.text().collect(),
                a.value().attr("href").unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn to(id: &str, anchor: &str) -> String {
    let page = format!(
        "../regulations/{}.html",
        rulebook::render::links::encode_segment(id)
    );
    if anchor.is_empty() {
        page
    } else {
        format!("{page}#{anchor}")
    }
}

fn pairs(list: &[(&str, String)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(t, h)| (t.to_string(), h.clone()))
        .collect()
}

fn here(anchor: &str) -> String {
    format!("#{anchor}")
}

#[test]
fn the_fixture_gives_no_error_and_no_warning() {
    let (code, v) = common::check_json(&repo_root().join("tests/fixtures/laws-full"), &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(
        (v["errors"].as_u64(), v["warnings"].as_u64()),
        (Some(0), Some(0)),
        "{v:#}"
    );
}

#[test]
fn every_level_of_the_law_is_anchored() {
    let out = fixture_build("laws-full");
    let html = std::fs::read_to_string(out.join(format!("regulations/{LAW}.html"))).unwrap();
    for id in [
        "part1",
        "part1-ch1",
        "part1-ch2",
        "part1-ch2-div1",
        "part1-ch2-div2",
        "part2",
        "part2-subpart1",
        "part2-ch1",
        "part2-subpart2",
        "part2-ch2",
        "art3",
        "art3-item1",
        "art3-para2",
        "art3-1",
        "art4-item2",
        "art4-para2",
        "art4-para2-item2",
        "art6-1",
        "art6-1-para2",
        "art6-2",
        "art7-para3",
    ] {
        assert!(common::has_id(&html, id), "{id}");
    }
    // The page contents list 编, 分编, 章 and 节 with the articles.
    let doc = Html::parse_document(&html);
    let toc: Vec<String> = doc
        .select(&Selector::parse("#page-toc a").unwrap())
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    for a in ["#part1", "#part2-subpart2", "#part1-ch2-div1", "#art3-1"] {
        assert!(toc.iter().any(|h| h == a), "{a} in {toc:?}");
    }
}

#[test]
fn the_law_cites_itself() {
    let out = fixture_build("laws-full");
    assert_eq!(
        xrefs(&out, LAW),
        pairs(&[
            ("前款第（一）项", here("art3-item1")),
            ("本法第三条第二款", here("art3-para2")),
            ("本法第七条", here("art7")),
            ("本法第三条", here("art3")),
            ("第三条之一", here("art3-1")),
            ("第四条", here("art4")),
            ("第一条", here("art1")),
            ("第三条", here("art3")),
            ("本法第四条第二款第（二）项", here("art4-para2-item2")),
            ("本条第一款", here("art6-1")),
            ("前条", here("art6-1")),
            ("本法第七条", here("art7")),
            ("前款", here("art7")),
            ("前两款", here("art7")),
        ])
    );
}

#[test]
fn other_documents_cite_the_law_by_short_name_lists_and_ranges() {
    let out = fixture_build("laws-full");
    assert_eq!(
        xrefs(&out, INTERPRETATION),
        pairs(&[
            (&format!("《{LAW}》"), to(LAW, "")),
            ("测试法第三条第一款第（二）项", to(LAW, "art3-item2")),
            ("测试法第三条", to(LAW, "art3")),
            ("第四条", to(LAW, "art4")),
            ("第六条之一", to(LAW, "art6-1")),
            ("测试法第一条", to(LAW, "art1")),
            ("第四条", to(LAW, "art4")),
        ])
    );
    assert_eq!(
        xrefs(&out, "测试法实施条例"),
        pairs(&[
            (&format!("《{LAW}》第三条之一"), to(LAW, "art3-1")),
            ("第六条之二", to(LAW, "art6-2")),
            (
                &format!("《{INTERPRETATION}》第二条"),
                to(INTERPRETATION, "art2")
            ),
            ("测试法第三条第二款", to(LAW, "art3-para2")),
            ("本条例第二条", here("art2")),
            ("测试法第四条", to(LAW, "art4")),
            ("第六条之一", to(LAW, "art6-1")),
        ])
    );
    // A document that heads its articles with 一、二、: 第二条 is its article.
    assert_eq!(
        xrefs(&out, "测试办法"),
        pairs(&[
            ("本办法第二条", here("art2")),
            ("测试法第七条第一款", to(LAW, "art7")),
        ])
    );
}

#[test]
fn amendments_cite_the_law_amended_and_not_the_quoted_text() {
    let out = fixture_build("laws-full");
    assert_eq!(
        xrefs(&out, "中华人民共和国测试法修正案（二）"),
        pairs(&[
            ("测试法第六条", to(LAW, "art6")),
            ("测试法第七条第一款", to(LAW, "art7")),
        ])
    );
    assert_eq!(
        xrefs(&out, "中华人民共和国测试法修正案（十一）"),
        pairs(&[("测试法第三条之一", to(LAW, "art3-1"))])
    );
}

#[test]
fn outside_laws_are_recorded_under_their_exact_names() {
    let mut site = rulebook::Site::new(repo_root().join("tests/fixtures/laws-full"));
    let lib = site.load().unwrap();
    let mut cited: Vec<(String, Option<String>)> = lib
        .references
        .iter()
        .filter_map(|r| match &r.target {
            rulebook::model::Target::External { name, article } => {
                Some((name.clone(), article.clone()))
            }
            _ => None,
        })
        .collect();
    cited.sort();
    // 测验法 is near 中华人民共和国测试法, but a law's name: never "corrected" to it.
    let s = |n: &str, a: Option<&str>| (n.to_string(), a.map(str::to_string));
    assert_eq!(
        cited,
        [
            s("中华人民共和国刑法", Some("第二十条")),
            s("中华人民共和国测验法", None),
            s("中华人民共和国行政处罚法", Some("第三十三条")),
            s("中华人民共和国行政处罚法", Some("第三十二条")),
        ]
    );
}

#[test]
fn every_link_of_the_built_fixture_resolves() {
    let out = fixture_build("laws-full");
    assert_eq!(broken_links(&out), Vec::<(String, String)>::new());
}

#[test]
fn amendments_are_in_the_order_of_their_numbers() {
    let out = fixture_build("laws-full");
    let html = std::fs::read_to_string(out.join("categories/法律-修正.html")).unwrap();
    let doc = Html::parse_document(&html);
    let titles: Vec<String> = doc
        .select(&Selector::parse("main a[href*='regulations/']").unwrap())
        .map(|a| a.text().collect::<String>())
        .filter(|t| t.contains("修正案"))
        .collect();
    assert_eq!(
        titles,
        [
            "中华人民共和国测试法修正案（二）",
            "中华人民共和国测试法修正案（九）",
            "中华人民共和国测试法修正案（十一）",
        ]
    );
}

#[test]
fn three_deliberate_mistakes_give_exactly_three_warnings() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("tests/fixtures/laws-full"), dir.path());
    let edit = |rel: &str, from: &str, to: &str| {
        let p = dir.path().join("content").join(rel);
        let s = std::fs::read_to_string(&p).unwrap();
        assert!(s.contains(from), "{rel}: {from}");
        std::fs::write(&p, s.replacen(from, to, 1)).unwrap();
    };
    // 1. An article the law does not have.
    edit("地方/测试办法.md", "测试法第七条第一款", "测试法第九十九条");
    // 2. A misspelt title that is no plausible name of a law.
    edit(
        "行政法规/测试法实施条例.md",
        "《中华人民共和国测试法》第三条之一",
        "《中华人民共和国测试去》第三条之一",
    );
    // 3. A gap in the numbering: （二） written as （三）.
    edit(
        "法律/中华人民共和国测试法.md",
        "（二）妥善保存",
        "（三）妥善保存",
    );
    let (code, v) = common::check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{v:#}");
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        (v["errors"].as_u64(), v["warnings"].as_u64()),
        (Some(0), Some(3)),
        "{v:#}"
    );
    let mut codes = codes;
    codes.sort();
    assert_eq!(codes, ["RB015", "RB030", "RB032"], "{v:#}");
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// While a file fails to load, only a citation that may be its title waits (its title is read from
/// the front-matter that failed); a near miss of another title is reported as when nothing fails,
/// so `check` shows the same RB032 before and after the error is fixed.
#[test]
fn while_a_file_fails_only_citations_of_its_title_wait() {
    let law = "---\ntitle: 中华人民共和国测试甲法\n---\n第一条　甲。\n";
    let cite = "---\ntitle: 测试己规定\n---\n第一条　依照《中华人民共和国测试甲去》第二十条、第二十一条处理。\n\n第二条　另见《测试庚规定》第一条。\n";
    // category: names a folder the file is not in: an error, and the file does not load.
    let bad = "---\ntitle: 测试庚规定\ncategory: 别处/某处\n---\n第一条　乙。\n";
    let dir = common::fixture_site(&[
        ("content/site.yaml", "title: 测试\n"),
        ("content/法律/甲法.md", law),
        ("content/规定/测试己规定.md", cite),
        ("content/规定/测试庚规定.md", bad),
    ]);
    let codes = |v: &serde_json::Value| -> Vec<String> {
        let mut c: Vec<String> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect();
        c.sort();
        c
    };
    // 《测试庚规定》 is the failed file's title: not reported. 《中华人民共和国测试甲去》 is near no
    // failed title: its near miss is reported now, once for the whole list (its 第二十条、第二十一条
    // are not read as 测试己规定's own: no RB036).
    let (_, v) = common::check_json(dir.path(), &[]);
    assert_eq!(codes(&v), ["RB032", "RB050"], "{v:#}");
    let rb032 = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "RB032")
        .unwrap();
    assert!(
        rb032["message"].as_str().unwrap().contains("测试甲去"),
        "{rb032}"
    );
    // Once the file loads, the same warning and nothing else: 《测试庚规定》第一条 resolves.
    common::put(
        dir.path(),
        "content/规定/测试庚规定.md",
        &bad.replace("category: 别处/某处\n", ""),
    );
    let (_, v) = common::check_json(dir.path(), &[]);
    assert_eq!(codes(&v), ["RB032"], "{v:#}");
}

/// The books of a code kept as a file each, named without numbers (总则, 合同编, 人格权编), are in
/// the order their text numbers them (第一编, 第三编, 第四编), not by character code (人格权编 first);
/// a document that is no book (the code's 说明) keeps its name order, before them.
#[test]
fn books_named_without_numbers_follow_their_headings() {
    let book = |n: &str, name: &str| {
        format!(
            "---\ntitle: 测试法典{name}\n---\n第{n}编　{name}\n\n第一章　一般规定\n\n第一条　甲。\n"
        )
    };
    let dir = common::fixture_site(&[
        ("content/site.yaml", "title: 测试\n"),
        ("content/测试法典/人格权编.md", &book("四", "人格权")),
        ("content/测试法典/总则.md", &book("一", "总则")),
        ("content/测试法典/合同编.md", &book("三", "合同")),
        (
            "content/测试法典/说明.md",
            "---\ntitle: 测试法典说明\n---\n本法典分四编。\n",
        ),
    ]);
    let out = dir.path().join("public");
    let (code, _, err) =
        common::run_rulebook(&["build".as_ref(), "--root".as_ref(), dir.path().as_os_str()]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(out.join("categories/测试法典.html")).unwrap();
    let doc = Html::parse_document(&html);
    let titles: Vec<String> = doc
        .select(&Selector::parse("main a[href*='regulations/']").unwrap())
        .map(|a| a.text().collect::<String>())
        .collect();
    assert_eq!(
        titles,
        [
            "测试法典说明",
            "测试法典总则",
            "测试法典合同",
            "测试法典人格权"
        ]
    );
}
