//! Versions in time from git (issue 26): an `--as-of` build says on every page which day it shows,
//! in the site's language; 新旧对照 pages between consecutive git versions, clauses aligned by
//! content, linked from each changed clause, with nothing withheld on them; 最近修订 lists each
//! change once, with its author. Repositories are made here, in temporary folders.

use crate::common;

use std::path::Path;

use scraper::{Html, Selector};

/// Commit the work tree of `root` as it is now, at `time` ("seconds offset"), by `author`.
fn commit(repo: &gix::Repository, root: &Path, message: &str, time: &str, author: &str) {
    let tree = common::write_tree(repo, root);
    let sig = gix::actor::SignatureRef {
        name: author.into(),
        email: "editor@example.invalid".into(),
        time,
    };
    let parents: Vec<gix::ObjectId> = repo
        .head_id()
        .ok()
        .map(|i| i.detach())
        .into_iter()
        .collect();
    repo.commit_as(sig, sig, "HEAD", message, tree, parents)
        .unwrap();
}

// 2024-01-01, 2024-03-15 and 2024-06-01 in Beijing time.
const DAY1: &str = "1704070800 +0800";
const DAY2: &str = "1710468000 +0800";
const DAY3: &str = "1717210800 +0800";

/// `rulebook ARGS` run from the site folder `root`, as the README shows it: (status, stderr).
fn rulebook_in(root: &Path, args: &[&str]) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(args)
        .current_dir(root)
        .output()
        .expect("rulebook runs");
    (
        out.status.code().expect("exited"),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// The text of every `.as-of-notice` of each HTML page under `out`: (page, notices).
fn notices(out: &Path) -> Vec<(String, Vec<String>)> {
    let sel = Selector::parse(".as-of-notice").unwrap();
    let mut pages: Vec<(String, Vec<String>)> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let html = std::fs::read_to_string(e.path()).unwrap();
            let doc = Html::parse_document(&html);
            let found = doc
                .select(&sel)
                .map(|n| n.text().collect::<String>().trim().to_string())
                .collect();
            let rel = e.path().strip_prefix(out).unwrap();
            (rel.to_string_lossy().replace('\\', "/"), found)
        })
        .collect();
    pages.sort();
    pages
}

/// An `--as-of` build says, on every page and the home page, which day its 时效性 and banners are
/// for — in Chinese, and in English once the site's `language:` is `en` on that day; a build of
/// the content as it is says nothing of the kind.
#[test]
fn as_of_pages_say_which_day_they_show() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::put(
        root,
        "content/site.yaml",
        "title: 测试手册\nhistory: true\n",
    );
    common::put(
        root,
        "content/guize/jia.md",
        "---\ntitle: 甲制度\neffective: 2024-02-01\n---\n一、超出3000元以上支出需讨论。\n",
    );
    let repo = gix::init(root).unwrap();
    commit(&repo, root, "初版", DAY1, "编辑甲");
    common::put(
        root,
        "content/site.yaml",
        "title: Test handbook\nlanguage: en\nhistory: true\n",
    );
    commit(&repo, root, "English", DAY3, "编辑甲");

    let (code, err) = rulebook_in(
        root,
        &["build", "--as-of", "2024-03-01", "--out", "asof-zh"],
    );
    assert_eq!(code, 0, "{err}");
    let pages = notices(&root.join("asof-zh"));
    assert!(
        pages.iter().any(|(p, _)| p == "index.html")
            && pages.iter().any(|(p, _)| p == "regulations/guize-jia.html")
            && pages.iter().any(|(p, _)| p == "print.html"),
        "{pages:?}"
    );
    for (page, found) in &pages {
        assert_eq!(
            found,
            &["本手册按 2024年3月1日 的效力状态生成。".to_string()],
            "{page}"
        );
    }
    // The day decides the page: in force from 2024-02-01, so in force on 2024-03-01.
    let page = std::fs::read_to_string(root.join("asof-zh/regulations/guize-jia.html")).unwrap();
    assert!(!page.contains("尚未生效"), "{page}");

    let (code, err) = rulebook_in(
        root,
        &["build", "--as-of", "2024-06-02", "--out", "asof-en"],
    );
    assert_eq!(code, 0, "{err}");
    for (page, found) in notices(&root.join("asof-en")) {
        assert_eq!(
            found,
            ["This handbook shows the regulations as they stood on 2024-06-02.".to_string()],
            "{page}"
        );
    }

    let (code, err) = rulebook_in(root, &["build", "--out", "now"]);
    assert_eq!(code, 0, "{err}");
    for (page, found) in notices(&root.join("now")) {
        assert!(found.is_empty(), "{page}: {found:?}");
    }
}

/// 甲制度 in three commits — an article inserted before 第二条 (so the old 第二条 is the new 第三条)
/// while its 3000元 becomes 5000元, then 第四条 reworded — and 乙制度, whose middle version was a
/// draft holding words that must never be published. Returns the site root (kept by the TempDir).
fn history_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let jia = |body: &str, notes: &str| format!("---\ntitle: 甲制度\n{notes}---\n{body}");
    common::put(
        root,
        "content/site.yaml",
        "title: 测试手册\nhistory: true\n",
    );
    common::put(
        root,
        "content/guize/jia.md",
        &jia(
            "第一条　为了规范管理，制定本制度。\n\n第二条　超出3000元以上支出需经办务会讨论。\n\n第三条　本制度由办公室负责解释。\n",
            "",
        ),
    );
    common::put(
        root,
        "content/guize/yi.md",
        "---\ntitle: 乙制度\n---\n一、车辆由办公室统一管理。\n",
    );
    let repo = gix::init(root).unwrap();
    commit(&repo, root, "初版", DAY1, "编辑甲");
    common::put(
        root,
        "content/guize/jia.md",
        &jia(
            "第一条　为了规范管理，制定本制度。\n\n第二条　各部门应当编制年度预算。\n\n第三条　超出5000元以上支出需经办务会讨论。\n\n第四条　本制度由办公室负责解释。\n",
            "revisions:\n  - {date: 2024-03-15, summary: 提高办务会讨论的限额, author: 王五}\n",
        ),
    );
    common::put(
        root,
        "content/guize/yi.md",
        "---\ntitle: 乙制度\ndraft: true\n---\n一、车辆由办公室统一管理。\n\n二、绝密口令是青龙七号。\n",
    );
    commit(&repo, root, "增加预算条款，提高限额", DAY2, "编辑乙");
    common::put(
        root,
        "content/guize/jia.md",
        &jia(
            "第一条　为了规范管理，制定本制度。\n\n第二条　各部门应当编制年度预算。\n\n第三条　超出5000元以上支出需经办务会讨论。\n\n第四条　本制度由综合办公室负责解释。\n",
            "revisions:\n  - {date: 2024-03-15, summary: 提高办务会讨论的限额, author: 王五}\n",
        ),
    );
    common::put(
        root,
        "content/guize/yi.md",
        "---\ntitle: 乙制度\n---\n一、车辆由办公室统一管理。\n\n二、车辆钥匙由司机保管。\n",
    );
    commit(&repo, root, "明确解释部门", DAY3, "编辑丙");
    dir
}

/// The versions of a 修订记录 page, newest first: (commit, compare link, [(change kind, compare
/// link)]).
type Listed = Vec<(String, Option<String>, Vec<(String, Option<String>)>)>;

fn listed(page: &str) -> Listed {
    let doc = Html::parse_document(page);
    let version = Selector::parse("li.version").unwrap();
    let own = Selector::parse("h3 a.compare-link").unwrap();
    let change = Selector::parse("li.change").unwrap();
    let link = Selector::parse("a.compare-link").unwrap();
    let href = |e: scraper::ElementRef| e.value().attr("href").map(str::to_string);
    doc.select(&version)
        .map(|v| {
            let commit = v.value().id().unwrap().trim_start_matches("v-").to_string();
            let changes = v
                .select(&change)
                .map(|c| {
                    let kind = c
                        .value()
                        .classes()
                        .find(|k| k.starts_with("change-"))
                        .unwrap()
                        .to_string();
                    (kind, c.select(&link).next().and_then(href))
                })
                .collect();
            (commit, v.select(&own).next().and_then(href), changes)
        })
        .collect()
}

/// 新旧对照 between consecutive git versions: a page per version that changed a clause, the
/// clauses paired by content (the inserted 第二条 renumbers the old 第二条 to 第三条, and the pair
/// shows 3000元 → 5000元 whole), each changed clause of the 修订记录 linked to its row; the draft
/// version of 乙制度 is a cut, so no page shows its words and its versions before it are gone.
/// (The history is read by comparing the trees of consecutive commits: `history::Repo::changes`.)
#[test]
fn git_versions_are_compared_clause_by_clause() {
    let dir = history_repo();
    let root = dir.path();
    let (code, err) = rulebook_in(root, &["build"]);
    assert_eq!(code, 0, "{err}");
    let out = root.join("public");
    let revisions = std::fs::read_to_string(out.join("revisions/guize-jia.html")).unwrap();
    let versions = listed(&revisions);
    assert_eq!(versions.len(), 3, "{versions:?}");
    // The first version has nothing to compare with.
    assert_eq!((&versions[2].1, versions[2].2.len()), (&None, 0));
    let second = &versions[1];
    let page_href = second
        .1
        .clone()
        .expect("the second version has a comparison");
    assert_eq!(
        page_href,
        format!("../compare/guize-jia/{}.html", second.0),
        "{second:?}"
    );
    let page =
        std::fs::read_to_string(out.join(format!("compare/guize-jia/{}.html", second.0))).unwrap();
    let doc = Html::parse_document(&page);
    let label = Selector::parse(".clause-label").unwrap();
    let td = Selector::parse("td").unwrap();
    let rows: Vec<(String, String, Vec<String>, String)> = doc
        .select(&Selector::parse(".compare-table tbody tr").unwrap())
        .map(|tr| {
            (
                tr.value().attr("class").unwrap().to_string(),
                tr.value().id().unwrap_or("").to_string(),
                tr.select(&label).map(|l| l.text().collect()).collect(),
                tr.select(&td)
                    .map(|c| c.inner_html())
                    .collect::<Vec<_>>()
                    .join("|"),
            )
        })
        .collect();
    let kinds: Vec<(&str, Vec<&str>)> = rows
        .iter()
        .map(|(k, _, l, _)| (k.as_str(), l.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("compare-same", vec!["第一条", "第一条"]),
            ("compare-added", vec!["第二条"]),
            ("compare-changed", vec!["第二条", "第三条"]),
            ("compare-renumbered", vec!["第三条", "第四条"]),
        ]
    );
    assert!(
        rows[2].3.contains("<del>3000元</del>") && rows[2].3.contains("<ins>5000元</ins>"),
        "{}",
        rows[2].3
    );
    // Each changed clause of the 修订记录 links to a row of that page that exists.
    let ids: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    assert!(!second.2.is_empty());
    for (kind, link) in &second.2 {
        let link = link.as_deref().unwrap_or_else(|| panic!("{kind}: no link"));
        let (file, row) = link.split_once('#').unwrap();
        assert_eq!(file, page_href, "{kind}");
        assert!(ids.contains(&row), "{kind}: #{row} not in {ids:?}");
    }
    // The sides link to the version pages, which exist.
    assert!(
        common::broken_links(&out).is_empty(),
        "{:?}",
        common::broken_links(&out)
    );

    // 乙制度: its draft is a cut; only the version after it could be shown, a first one with
    // nothing to compare — a regulation with one version shown has no 修订记录 at all.
    assert!(!out.join("revisions/guize-yi.html").exists());
    assert!(!out.join("compare/guize-yi").exists());
    for (path, bytes) in common::all_files(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("青龙七号"), "{path}");
    }
}

/// 最近修订 lists each change once: the commit of 2024-03-15 and the `revisions:` note of that day
/// are one entry, in the note's words, by the note's author; the other change by its commit's author.
#[test]
fn recent_revisions_list_each_change_once_with_its_author() {
    let dir = history_repo();
    let root = dir.path();
    let (code, err) = rulebook_in(root, &["build"]);
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(root.join("public/recent.html")).unwrap();
    let doc = Html::parse_document(&page);
    let entries: Vec<(String, String, String)> = doc
        .select(&Selector::parse("ol.recent li").unwrap())
        .map(|li| {
            let one = |css: &str| {
                li.select(&Selector::parse(css).unwrap())
                    .next()
                    .map(|e| e.text().collect::<String>())
                    .unwrap_or_default()
            };
            (one("time"), one(".message"), one(".author"))
        })
        .collect();
    assert_eq!(
        entries,
        [
            (
                "2024-06-01".to_string(),
                "明确解释部门".to_string(),
                "修订人：编辑丙".to_string()
            ),
            (
                "2024-03-15".to_string(),
                "提高办务会讨论的限额".to_string(),
                "修订人：王五".to_string()
            ),
        ]
    );
}
