//! A handbook laid out as other tools lay out a site (tests/fixtures/tree): folders three levels
//! deep are nested categories, folder pages (`_index.md`, an `index.md` beside other pages) describe
//! them, a leaf bundle is a regulation, Hugo's keys are read, and names with spaces, Chinese,
//! parentheses and 《》 are files under their readable names with percent-encoded links.

use crate::common;

use std::path::Path;

use crate::common::{broken_links, fixture_build, main_of, repo_root};
use scraper::{Html, Selector};

fn page(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The text of each element `selector` matches in `html`, white space collapsed.
fn texts(html: &str, selector: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
    doc.select(&Selector::parse(selector).unwrap())
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn hrefs(html: &str, selector: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
    doc.select(&Selector::parse(selector).unwrap())
        .filter_map(|e| e.value().attr("href").map(str::to_string))
        .collect()
}

#[test]
fn every_folder_level_is_a_category_with_its_page() {
    let out = fixture_build("tree");
    let mut cats = common::listing(&out.join("categories"));
    cats.sort();
    assert_eq!(
        cats,
        [
            "总则-人事 管理-考勤.html",
            "总则-人事 管理.html",
            "总则.html",
            "财务.html"
        ]
    );
    // Files on disk under their readable names; the leaf bundle at its folder's address; the
    // folder pages are no regulations.
    assert_eq!(
        common::listing(&out.join("regulations")),
        [
            "总则-人事 管理-招聘（试行）.html",
            "总则-人事 管理-考勤-《考勤》细则.html",
            "总则-章程.html",
            "财务-报销.html",
            "财务-预算 管理 (2024).html"
        ]
    );

    // Third level, no folder page: titled by its folder, the path in the breadcrumb.
    let kaoqin = main_of(&page(&out, "categories/总则-人事 管理-考勤.html")).to_string();
    assert_eq!(
        texts(&kaoqin, ".crumbs"),
        ["首页 › 总则类 › 人事管理 › 考勤"]
    );
    assert_eq!(texts(&kaoqin, "h1"), ["考勤"]);
    assert_eq!(
        hrefs(&kaoqin, ".crumbs a"),
        [
            "../index.html",
            "../categories/%E6%80%BB%E5%88%99.html",
            "../categories/%E6%80%BB%E5%88%99-%E4%BA%BA%E4%BA%8B%20%E7%AE%A1%E7%90%86.html"
        ]
    );
    assert_eq!(texts(&kaoqin, ".reg-list a"), ["〈考勤〉实施细则"]);

    // _index.md: title, description, its body as an introduction; subcategories with counts.
    let zongze = main_of(&page(&out, "categories/总则.html")).to_string();
    assert_eq!(texts(&zongze, "h1"), ["总则类"]);
    assert_eq!(texts(&zongze, ".summary"), ["本类收录章程和人事制度。"]);
    assert_eq!(texts(&zongze, ".intro strong"), ["办公室"]);
    assert_eq!(texts(&zongze, ".cat-list li"), ["人事管理 2"]);
    assert_eq!(texts(&zongze, ".reg-list a"), ["测试章程"]);

    // index.md beside other pages: the folder's page (title, and its body as introduction).
    let renshi = main_of(&page(&out, "categories/总则-人事 管理.html")).to_string();
    assert_eq!(texts(&renshi, "h1"), ["人事管理"]);
    assert_eq!(texts(&renshi, ".intro"), ["人事管理类制度。"]);
    assert_eq!(texts(&renshi, ".cat-list li"), ["考勤 1"]);
    assert_eq!(texts(&renshi, ".reg-list a"), ["测试人事招聘办法"]);

    // A regulation three levels down: the whole path in its breadcrumb.
    let xize = main_of(&page(
        &out,
        "regulations/总则-人事 管理-考勤-《考勤》细则.html",
    ))
    .to_string();
    assert_eq!(texts(&xize, ".crumbs"), ["首页 › 总则类 › 人事管理 › 考勤"]);
    // The leaf bundle is a regulation of the folder holding it.
    let baoxiao = main_of(&page(&out, "regulations/财务-报销.html")).to_string();
    assert_eq!(texts(&baoxiao, ".crumbs"), ["首页 › 财务"]);
}

#[test]
fn the_home_page_shows_the_top_level_with_counts_of_everything_below() {
    let out = fixture_build("tree");
    let home = main_of(&page(&out, "index.html")).to_string();
    assert_eq!(
        texts(&home, ".category-block h2"),
        ["财务 2", "总则类 3"],
        "top level only; 总则类 counts its subcategories' regulations"
    );
    assert_eq!(texts(&home, ".category-block .cat-list li"), ["人事管理 2"]);
    // The navigation: the top level, and on a category's page the path down to it with the
    // subcategories along it.
    let nav = |rel: &str| {
        let html = page(&out, rel);
        texts(&html, ".site-nav ul:first-of-type li")
    };
    assert_eq!(nav("index.html"), ["财务 2", "总则类 3"]);
    assert_eq!(
        nav("categories/总则-人事 管理-考勤.html"),
        ["财务 2", "总则类 3", "人事管理 2", "考勤 1"]
    );
}

#[test]
fn every_link_is_percent_encoded_and_resolves() {
    let out = fixture_build("tree");
    assert_eq!(broken_links(&out), Vec::<(String, String)>::new());
    // References between pages with such names are links (《…》第N条 to the article).
    let zhangcheng = main_of(&page(&out, "regulations/总则-章程.html")).to_string();
    assert!(
        hrefs(&zhangcheng, "a.xref").contains(
            &"../regulations/%E6%80%BB%E5%88%99-%E4%BA%BA%E4%BA%8B%20%E7%AE%A1%E7%90%86-%E6%8B%9B%E8%81%98%EF%BC%88%E8%AF%95%E8%A1%8C%EF%BC%89.html#art2"
                .to_string()
        ),
        "{zhangcheng}"
    );
    let yusuan = page(&out, "index.html");
    assert!(
        yusuan.contains(
            "regulations/%E8%B4%A2%E5%8A%A1-%E9%A2%84%E7%AE%97%20%E7%AE%A1%E7%90%86%20(2024).html"
        ),
        "ASCII parentheses are sub-delimiters, kept; the spaces encoded"
    );
}

#[test]
fn hugo_keys_are_read() {
    let mut site = rulebook::Site::new(repo_root().join("tests/fixtures/tree"));
    let lib = site.load().unwrap();
    let r = lib.regulation("总则-章程").unwrap();
    assert_eq!(r.issued.as_deref(), Some("2024-01-02"));
    assert_eq!(r.tags, ["章程"]);
    assert_eq!(r.category, "总则");
    let zhaopin = lib.regulation("总则-人事 管理-招聘（试行）").unwrap();
    assert_eq!(zhaopin.category, "总则-人事 管理");
    let zongze = lib.category("总则").unwrap();
    assert_eq!((zongze.order, zongze.total), (1, 3));
    assert_eq!(zongze.parent, None);
    let kaoqin = lib.category_index("总则-人事 管理-考勤").unwrap();
    let path: Vec<&str> = lib
        .ancestors(kaoqin)
        .into_iter()
        .map(|i| lib.categories[i].id.as_str())
        .collect();
    assert_eq!(path, ["总则", "总则-人事 管理"]);
}

#[test]
fn one_warning_for_the_unknown_key_however_many_files_use_it() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["check", "--format", "json", "--lang", "en", "--root"])
        .arg(repo_root().join("tests/fixtures/tree"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["errors"].as_u64(), v["warnings"].as_u64()),
        (Some(0), Some(1)),
        "{v:#}"
    );
    let d = &v["diagnostics"][0];
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("`layout`"), "{message}");
    assert!(message.contains("3 files use it"), "{message}");
    assert!(message.contains("content/总则/章程.md:6"), "{message}");
    // Every use is in the JSON: the warning's place and the two others.
    assert_eq!(d["also"].as_array().unwrap().len(), 2, "{d:#}");
}

#[test]
fn two_folders_that_would_be_one_category_are_an_error() {
    let site = common::fixture_site(&[
        ("content/a-b/x.md", "---\ntitle: 甲制度\n---\n一、甲。\n"),
        ("content/a-b/c/z.md", "---\ntitle: 丙制度\n---\n一、丙。\n"),
        ("content/a/b/y.md", "---\ntitle: 乙制度\n---\n一、乙。\n"),
    ]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["check", "--format", "json", "--lang", "en", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"], 1, "{v:#}");
    let d = &v["diagnostics"][0];
    assert_eq!(d["path"], "content/a-b", "{d:#}");
    assert!(
        d["message"].as_str().unwrap().contains("`a/b` and `a-b`"),
        "{d:#}"
    );
}

#[test]
fn the_navigation_does_not_grow_with_the_number_of_subcategories() {
    let files: Vec<(String, String)> = (0..50)
        .map(|i| {
            (
                format!("content/大类/子{i:02}/r{i:02}.md"),
                format!("---\ntitle: 制度{i:02}\n---\n一、正文。\n"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = common::fixture_site(&refs);
    let out = site.path().join("public");
    rulebook::Site::new(site.path())
        .build(Some(&out), false)
        .unwrap();
    let nav = |rel: &str| texts(&page(&out, rel), ".site-nav ul:first-of-type li").len();
    // The top level and the first 40 subcategories; the category page lists all 50.
    assert_eq!(nav("categories/大类.html"), 41);
    assert_eq!(
        texts(&page(&out, "categories/大类.html"), "main .cat-list li").len(),
        50
    );
    // A page further down still finds itself in the navigation.
    let last = page(&out, "regulations/大类-子49-r49.html");
    assert_eq!(texts(&last, ".site-nav ul:first-of-type li").len(), 42);
    assert_eq!(texts(&last, ".site-nav li.current"), ["子49 1"]);
}
