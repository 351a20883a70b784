//! An English handbook written for another generator (tests/fixtures/handbook-en, in the shape of a
//! public government handbook made with Jekyll/Hugo): nested folders, same-named files in different
//! folders, one title twice, relative `.md` links with anchors, root-relative and folder links,
//! images beside pages, Liquid and Hugo template tags, `language: en`. It builds as it is, as a user
//! builds it (`rulebook build` from the site folder); every link the authors wrote resolves over
//! `file://`; headings are anchored; no template tag and no Chinese interface word is published.

use crate::common;

use std::path::{Path, PathBuf};

use crate::common::{all_files, broken_links, repo_root};
use scraper::{Html, Selector};

/// A copy of the fixture in a temporary folder, built with `rulebook build` run there: (temporary
/// folder, site root, stderr).
fn built() -> &'static (PathBuf, String) {
    static BUILT: std::sync::OnceLock<(PathBuf, String)> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("handbook-en");
        let _ = std::fs::remove_dir_all(&tmp);
        copy_dir(&repo_root().join("tests/fixtures/handbook-en"), &tmp);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
            .arg("build")
            .current_dir(&tmp)
            .output()
            .expect("rulebook runs");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "build failed:\n{stderr}");
        (tmp, stderr)
    })
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

fn public() -> PathBuf {
    built().0.join("public")
}

fn page(rel: &str) -> Html {
    Html::parse_document(
        &std::fs::read_to_string(public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")),
    )
}

fn select<'a>(doc: &'a Html, sel: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(sel).unwrap()).collect()
}

#[test]
fn builds_with_no_error_and_reports_template_tags_once_per_kind() {
    let (root, _) = built();
    let (code, json) = common::check_json(root, &[]);
    assert_eq!(code, 0, "{json:#}");
    let diags = json["diagnostics"].as_array().unwrap();
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    // Liquid tags, expressions, both kinds of shortcode: one warning each, nothing else.
    assert_eq!(codes, ["RB203", "RB203", "RB203", "RB203"], "{json:#}");
    let liquid = diags
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("Liquid"))
        .unwrap();
    let msg = liquid["message"].as_str().unwrap();
    // Counted, and the first places named with their lines.
    assert!(msg.starts_with("5 Liquid tags"), "{msg}");
    assert!(msg.contains("content/about-us/history.md:4"), "{msg}");
    assert_eq!(liquid["also"].as_array().unwrap().len(), 4, "{liquid:#}");
}

#[test]
fn every_link_resolves_over_file_urls() {
    let out = public();
    assert_eq!(broken_links(&out), Vec::<(String, String)>::new());
    // No address that only a web server could read: a root-relative href reads from the disk's
    // root over file://.
    for (rel, bytes) in all_files(&out) {
        // The 404 page is a server's: its addresses start at base_path on purpose.
        if !rel.ends_with(".html") || rel == "404.html" {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8_lossy(&bytes));
        for e in select(&doc, "a[href], img[src], link[href], script[src]") {
            let v = e.value();
            let href = v.attr("href").or_else(|| v.attr("src")).unwrap();
            assert!(!href.starts_with('/'), "{rel}: {href}");
        }
    }
}

#[test]
fn authors_links_become_the_built_addresses() {
    let mission = page("regulations/about-us-mission.html");
    let hrefs: Vec<&str> = select(&mission, ".reg-body a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.contains(&"../regulations/about-us-org-chart.html#leadership"),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"#values"), "{hrefs:?}");
    // A folder link is its category's page; a root-relative one too.
    let welcome = page("regulations/tools-slack.html");
    let imgs: Vec<&str> = select(&welcome, ".reg-body img")
        .iter()
        .filter_map(|i| i.value().attr("src"))
        .collect();
    assert_eq!(imgs, ["../files/tools/slack/screenshot.png"]);
    assert!(public().join("files/tools/slack/etiquette.pdf").is_file());
    assert!(public().join("files/about-us/images/team.png").is_file());
    let booking = page("regulations/travel-booking.html");
    let back: Vec<&str> = select(&booking, ".reg-body a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(back.contains(&"../categories/travel.html"), "{back:?}");
}

#[test]
fn every_heading_is_anchored_and_in_the_contents() {
    for (rel, _) in all_files(&public()) {
        if !rel.starts_with("regulations/") {
            continue;
        }
        let doc = page(&rel);
        let headings = select(&doc, ".reg-body h2, .reg-body h3, .reg-body h4");
        let toc: Vec<&str> = select(&doc, ".page-toc a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .collect();
        for h in headings {
            let id = h
                .value()
                .id()
                .unwrap_or_else(|| panic!("{rel}: {}", h.html()));
            assert!(
                toc.contains(&format!("#{id}").as_str()),
                "{rel}: #{id} not in {toc:?}"
            );
        }
    }
    let tock = page("regulations/tools-tock.html");
    let ids: Vec<&str> = select(&tock, ".reg-body h2")
        .iter()
        .filter_map(|h| h.value().id())
        .collect();
    assert_eq!(ids, ["billing", "reporting"]);
}

/// Text of a JS or CSS file without its comments (the theme's own notes are no interface words).
fn without_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("*/").map_or("", |j| &rest[i + j + 2..]);
    }
    out.push_str(rest);
    out.lines()
        .map(|l| match l.find("// ") {
            Some(i) if l[..i].trim().is_empty() || l[..i].ends_with(' ') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}' | '\u{f900}'..='\u{faff}')
}

#[test]
fn no_template_tag_and_no_chinese_word_in_the_output() {
    for (rel, bytes) in all_files(&public()) {
        let Ok(text) = String::from_utf8(bytes) else {
            continue; // images
        };
        let text = if rel.ends_with(".js") || rel.ends_with(".css") {
            without_comments(&text)
        } else {
            text
        };
        // The fixture's content has no Chinese: any such character is the interface's. The search
        // engine's code and its tables (search/meta.js) hold the Chinese numerals, units and legal
        // comparison words it reads queries with (第十二条, 三个月, 不超过): data it parses, never
        // words it shows, so they are left out here.
        let text = if rel == "assets/search.js" || rel == "search/meta.js" {
            String::new()
        } else {
            text
        };
        let found: String = text.chars().filter(|&c| cjk(c)).take(20).collect();
        assert!(found.is_empty(), "{rel}: {found}");
        if !rel.starts_with("assets/") {
            for tag in ["{%", "%}", "{{<", "{{%", "{{ page", "{{ site", ">}}"] {
                assert!(!text.contains(tag), "{rel}: {tag}");
            }
        }
    }
}

#[test]
fn common_words_are_not_linked_and_empty_roles_are_not_shown() {
    // "Acquisition" is a page's title; inside "Federal Acquisition Service" it is no citation.
    let org = page("regulations/about-us-org-chart.html");
    for a in select(&org, ".reg-body a") {
        let text: String = a.text().collect();
        assert_ne!(text, "Acquisition", "{}", a.html());
    }
    // No roles.yaml: no role pages and no link to them.
    assert!(!public().join("roles").exists());
    for (rel, bytes) in all_files(&public()) {
        if rel.ends_with(".html") {
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("roles/"), "{rel}");
        }
    }
}

/// A language rulebook does not ship is a file: `i18n/zh-TW.yaml` in the site folder.
#[test]
fn a_language_is_a_file() {
    let site = common::fixture_site(&[
        ("content/site.yaml", "title: 測試\nlanguage: zh-TW\n"),
        ("content/a/x.md", "---\ntitle: 甲\n---\n## 總則\n\n文字。\n"),
        ("i18n/zh-TW.yaml", "toc: 目次\non_this_page: 本頁目次\n"),
    ]);
    let (code, _, err) =
        common::run_rulebook(&["build".as_ref(), "--root".as_ref(), site.path().as_os_str()]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(site.path().join("public/regulations/a-x.html")).unwrap();
    assert!(html.contains("本頁目次"), "{html}");
}

/// Ids come from the file's own path: a second file of one name, in another folder, builds without
/// an edit and moves no page; a citation of a title two pages bear is a warning naming both.
#[test]
fn same_names_build_and_nothing_moves() {
    let page = |title: &str, body: &str| format!("---\ntitle: {title}\n---\n{body}\n");
    let site = common::fixture_site(&[
        ("content/site.yaml", "title: T\nlanguage: en\n"),
        (
            "content/about-us/org-chart.md",
            &page("Org chart", "## Teams\n\nText."),
        ),
        (
            "content/about-us/records-management.md",
            &page("Records management", "Keep records."),
        ),
        (
            "content/tools/tock.md",
            &page("Tock", "See 《Records management》."),
        ),
    ]);
    let build = || {
        let (code, _, err) =
            common::run_rulebook(&["build".as_ref(), "--root".as_ref(), site.path().as_os_str()]);
        assert_eq!(code, 0, "{err}");
        let mut pages = common::listing(&site.path().join("public/regulations"));
        pages.sort();
        pages
    };
    assert_eq!(
        build(),
        [
            "about-us-org-chart.html",
            "about-us-records-management.html",
            "tools-tock.html"
        ]
    );
    // Same-named files and a second "Records management" elsewhere: nothing that was there moves.
    common::put(
        site.path(),
        "content/office-of-solutions/org-chart.md",
        &page("Org chart", "Divisions."),
    );
    common::put(
        site.path(),
        "content/office-of-solutions/records-management.md",
        &page("Records management", "Contract files."),
    );
    assert_eq!(
        build(),
        [
            "about-us-org-chart.html",
            "about-us-records-management.html",
            "office-of-solutions-org-chart.html",
            "office-of-solutions-records-management.html",
            "tools-tock.html"
        ]
    );
    // The citation of the title both bear is not linked to either, and says which they are.
    let (_, json) = common::check_json(site.path(), &[]);
    let diags = json["diagnostics"].as_array().unwrap();
    let ambiguous: Vec<&serde_json::Value> =
        diags.iter().filter(|d| d["code"] == "RB204").collect();
    assert_eq!(ambiguous.len(), 1, "{json:#}");
    let d = ambiguous[0];
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["path"], "content/tools/tock.md");
    let msg = d["message"].as_str().unwrap();
    assert!(
        msg.contains("about-us-records-management")
            && msg.contains("office-of-solutions-records-management"),
        "{msg}"
    );
    let tock = Html::parse_document(
        &std::fs::read_to_string(site.path().join("public/regulations/tools-tock.html")).unwrap(),
    );
    assert!(select(&tock, ".reg-body a").is_empty());
}

/// An author's link that leads nowhere is a warning at its file and line, and its text stays
/// unlinked; an anchor the page lacks is a warning too; a file that may not be copied (a symbolic
/// link out of the site) is never copied.
#[test]
fn broken_author_links_are_warnings_at_their_line() {
    let site = common::fixture_site(&[
        ("content/site.yaml", "title: T\nlanguage: en\n"),
        (
            "content/a/x.md",
            "---\ntitle: X page\n---\nIntro.\n\nSee [gone](../nowhere.md) here.\n\n![missing](missing.png)\n\n[bad anchor](y.md#nope) and [good](y.md#rules).\n\n![secret](secret.txt)\n",
        ),
        (
            "content/a/y.md",
            "---\ntitle: Y page\n---\n## Rules\n\nText.\n",
        ),
    ]);
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", site.path().join("content/a/secret.txt")).unwrap();
    let (code, json) = common::check_json(site.path(), &[]);
    assert_eq!(code, 0, "{json:#}");
    let got: Vec<(String, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut want = vec![
        ("RB200".to_string(), 6),
        ("RB200".to_string(), 8),
        ("RB201".to_string(), 10),
    ];
    if cfg!(unix) {
        want.push(("RB200".to_string(), 12));
    }
    assert_eq!(got, want, "{json:#}");
    let (code, _, err) =
        common::run_rulebook(&["build".as_ref(), "--root".as_ref(), site.path().as_os_str()]);
    assert_eq!(code, 0, "{err}");
    let out = site.path().join("public");
    let x =
        Html::parse_document(&std::fs::read_to_string(out.join("regulations/a-x.html")).unwrap());
    let hrefs: Vec<&str> = select(&x, ".reg-body a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        hrefs,
        ["../regulations/a-y.html", "../regulations/a-y.html#rules"]
    );
    assert!(select(&x, ".reg-body img").is_empty());
    assert!(!out.join("files").exists());
}
