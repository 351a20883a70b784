//! Revisions: the lifecycle front-matter and its checks, the 修订记录 built from a git history made
//! here with gix (two commits after the seed: one changes 一、's 3000元, one adds an article), the
//! version pages, `--as-of`, 待复审 and the Atom feed.

use crate::common;

use std::path::Path;
use std::sync::OnceLock;

use crate::common::{copy_content, fixture_site, html_text, run_rulebook, squash};

const FINANCE: &str = "content/caiwu-zichan/caiwu-guanli.md";

/// Commit the work tree of `root` as it is now, at `time` ("seconds offset").
fn commit(repo: &gix::Repository, root: &Path, message: &str, time: &str) {
    let tree = common::write_tree(repo, root);
    let sig = gix::actor::SignatureRef {
        name: "编辑".into(),
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

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let p = root.join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, f(text)).unwrap();
}

// 2024-01-01 09:00, 2024-03-15 10:00 and 2024-06-01 11:00 in Beijing time.
const DAY1: &str = "1704070800 +0800";
const DAY2: &str = "1710468000 +0800";
const DAY3: &str = "1717210800 +0800";

/// The seed in a git repository: committed as it is, then 一、's 3000元 made 5000元, then an
/// article 十三、 added. Built once; returns (site root, output folder).
fn history_site() -> &'static (tempfile::TempDir, std::path::PathBuf) {
    static SITE: OnceLock<(tempfile::TempDir, std::path::PathBuf)> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        copy_content(root);
        // The bundled handbook turns history off (its git history is rulebook's development); this
        // repository's history is the regulations' own.
        edit(root, "content/site.yaml", |t| {
            t.replace("history: false", "history: true")
        });
        let repo = gix::init(root).unwrap();
        commit(&repo, root, "2020年版", DAY1);
        edit(root, FINANCE, |t| {
            assert!(t.contains("超出3000元以上支出"));
            t.replace("超出3000元以上支出", "超出5000元以上支出")
        });
        // The 费用报销 checklist quotes 一、: its editor changes it too (else `build` stops on the
        // stale step, RB140).
        edit(root, "content/procedures/caiwu-baoxiao.yaml", |t| {
            t.replace("3000", "5000")
        });
        commit(&repo, root, "提高办务会讨论的支出限额", DAY2);
        edit(root, FINANCE, |t| {
            format!(
                "{}\n\n十三、本制度自印发之日起施行，由办公室负责解释。\n",
                t.trim_end()
            )
        });
        commit(&repo, root, "增加施行条款", DAY3);
        let out = root.join("public");
        let (code, _, err) = run_rulebook(&["build".as_ref(), "--root".as_ref(), root.as_os_str()]);
        assert_eq!(code, 0, "{err}");
        (dir, out)
    })
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The `<li class="version">` elements of a 修订记录 page, newest first: (id, inner HTML).
fn versions(html: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("li.version").unwrap();
    doc.select(&sel)
        .map(|e| (e.value().id().unwrap_or("").to_string(), e.inner_html()))
        .collect()
}

/// The changes listed in a version: (kind class, clause anchor, diff HTML).
fn changes(version_html: &str) -> Vec<(String, String, String)> {
    let doc = scraper::Html::parse_fragment(version_html);
    let sel = scraper::Selector::parse("li.change").unwrap();
    let diff = scraper::Selector::parse(".diff").unwrap();
    doc.select(&sel)
        .map(|e| {
            let class = e
                .value()
                .classes()
                .find(|c| c.starts_with("change-"))
                .unwrap_or("")
                .to_string();
            let anchor = e.value().attr("data-anchor").unwrap_or("").to_string();
            let d = e
                .select(&diff)
                .next()
                .map(|d| d.inner_html())
                .unwrap_or_default();
            (class, anchor, d)
        })
        .collect()
}

#[test]
fn revisions_page_lists_exactly_the_changed_and_added_articles() {
    let (_, out) = history_site();
    let page = read(out, "revisions/caiwu-guanli.html");
    let v = versions(&page);
    assert_eq!(v.len(), 3, "three versions: {v:#?}");
    // Newest first, each dated with its commit's date.
    assert!(v[0].1.contains("2024-06-01") && v[0].1.contains("增加施行条款"));
    assert!(v[1].1.contains("2024-03-15") && v[1].1.contains("提高办务会讨论的支出限额"));
    assert!(v[2].1.contains("2024-01-01"));

    let added = changes(&v[0].1);
    assert_eq!(added.len(), 1, "{added:?}");
    assert_eq!(
        (added[0].0.as_str(), added[0].1.as_str()),
        ("change-added", "sec13")
    );
    assert!(
        added[0].2.contains("<ins>本制度自印发之日起施行"),
        "{}",
        added[0].2
    );

    let changed = changes(&v[1].1);
    assert_eq!(changed.len(), 1, "only 一、 changed: {changed:?}");
    assert_eq!(
        (changed[0].0.as_str(), changed[0].1.as_str()),
        ("change-changed", "sec1")
    );
    assert!(
        // The amount changes whole, with its unit (not 3 → 5).
        changed[0].2.contains("<del>3000元</del><ins>5000元</ins>"),
        "{}",
        changed[0].2
    );
    // Old and new text are both there: the deleted and the inserted characters around the rest.
    let text = html_text(&changed[0].2);
    assert!(text.contains("保密办严格财务收支审批制度"), "{text}");
    // The first version changes nothing: it is the text as first recorded.
    assert!(changes(&v[2].1).is_empty());

    // The regulation's page links its 修订记录.
    let reg = read(out, "regulations/caiwu-guanli.html");
    assert!(
        common::has_href(&reg, "../revisions/caiwu-guanli.html"),
        "link to 修订记录"
    );
    // Committed once, never changed: no 修订记录 and no version page (issue 26: only regulations
    // that changed get them), and its page links none.
    assert!(!out.join("revisions/chailv-baoxiao.html").exists());
    assert!(!out.join("revisions/chailv-baoxiao").exists());
    let other = read(out, "regulations/chailv-baoxiao.html");
    assert!(!common::has_href(
        &other,
        "../revisions/chailv-baoxiao.html"
    ));
}

#[test]
fn a_version_page_shows_the_old_text_in_full() {
    let (_, out) = history_site();
    let page = read(out, "revisions/caiwu-guanli.html");
    let v = versions(&page);
    let first = v[2].0.trim_start_matches("v-");
    let old = read(out, &format!("revisions/caiwu-guanli/{first}.html"));
    let text = squash(&html_text(&old));
    assert!(
        text.contains("超出3000元以上支出需经办务会讨论通过后方可付款"),
        "{text}"
    );
    assert!(!text.contains("5000元"));
    // In full: every article of that version, 十二、 the last.
    assert!(text.contains("九、机关固定资产"), "{text}");
    assert!(text.contains("十二、加强内部财务审计"), "{text}");
    assert!(!text.contains("十三、"));
    assert!(common::has_href(
        &page,
        &format!("caiwu-guanli/{first}.html")
    ));
    let now = squash(&html_text(&read(out, "regulations/caiwu-guanli.html")));
    assert!(now.contains("超出5000元以上") && now.contains("十三、本制度自印发之日起施行"));
}

#[test]
fn as_of_the_first_commit_builds_the_text_of_that_day() {
    let (dir, _) = history_site();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let (code, _, err) = run_rulebook(&[
        "build".as_ref(),
        "--root".as_ref(),
        dir.path().as_os_str(),
        "--out".as_ref(),
        target.as_os_str(),
        "--as-of".as_ref(),
        "2024-01-01".as_ref(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = squash(&html_text(&read(&target, "regulations/caiwu-guanli.html")));
    assert!(text.contains("超出3000元以上支出"), "{text}");
    assert!(!text.contains("5000元") && !text.contains("十三、本制度"));
    // The day between the second and third commits: 5000元, no 十、 yet.
    let (code, _, err) = run_rulebook(&[
        "build".as_ref(),
        "--root".as_ref(),
        dir.path().as_os_str(),
        "--out".as_ref(),
        target.as_os_str(),
        "--as-of".as_ref(),
        "2024年4月1日".as_ref(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = squash(&html_text(&read(&target, "regulations/caiwu-guanli.html")));
    assert!(text.contains("超出5000元以上支出") && !text.contains("十三、本制度"));
    // Before the history begins there is nothing to build.
    let (code, _, err) = run_rulebook(&[
        "build".as_ref(),
        "--root".as_ref(),
        dir.path().as_os_str(),
        "--out".as_ref(),
        target.as_os_str(),
        "--as-of".as_ref(),
        "2023-01-01".as_ref(),
        "--lang".as_ref(),
        "en".as_ref(),
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("no commit on or before"), "{err}");
}

#[test]
fn the_atom_feed_is_xml_and_lists_the_revisions() {
    let (_, out) = history_site();
    let xml = read(out, "revisions.xml");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut entries: Vec<(String, String)> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut root = None;
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_string();
                if root.is_none() {
                    root = Some((
                        name.clone(),
                        e.try_get_attribute("xmlns")
                            .unwrap()
                            .map(|a| a.unescape_value().unwrap().to_string()),
                    ));
                }
                if name == "entry" {
                    entries.push(Default::default());
                }
                path.push(name);
            }
            quick_xml::events::Event::Empty(e)
                if e.name().as_ref() == b"link"
                    && path.last().map(String::as_str) == Some("entry") =>
            {
                let href = e.try_get_attribute("href").unwrap().unwrap();
                entries.last_mut().unwrap().1 = href.unescape_value().unwrap().to_string();
            }
            quick_xml::events::Event::Text(t)
                if path.ends_with(&["entry".to_string(), "title".to_string()]) =>
            {
                entries.last_mut().unwrap().0 = t.decode().unwrap().to_string();
            }
            quick_xml::events::Event::End(_) => {
                path.pop();
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(
        root,
        Some(("feed".into(), Some("http://www.w3.org/2005/Atom".into())))
    );
    let finance: Vec<&(String, String)> = entries
        .iter()
        .filter(|(t, _)| t.starts_with("市委保密办财务管理制度"))
        .collect();
    assert_eq!(finance.len(), 2, "{entries:#?}");
    assert!(finance[0].0.contains("增加施行条款"));
    assert!(finance[1].0.contains("提高办务会讨论的支出限额"));
    assert!(finance[0].1.starts_with("revisions/caiwu-guanli.html#v-"));
    // The newest first, and the 最近修订 page lists the same.
    let recent = html_text(&read(out, "recent.html"));
    assert!(recent.find("增加施行条款") < recent.find("提高办务会讨论的支出限额"));
}

const ROLES: &str = "- name: 办公室\n  kind: body\n- name: 财务负责人\n  kind: position\n";

#[test]
fn a_repealed_regulation_has_its_banner_and_citing_it_is_a_warning() {
    let site = fixture_site(&[
        ("content/roles.yaml", ROLES),
        (
            "content/jiu.md",
            "---\ntitle: 旧报销办法\nstatus: 废止\nsuperseded_by: xin\nissued: 2018年1月1日\n---\n一、旧规定。\n",
        ),
        (
            "content/xin.md",
            "---\ntitle: 新报销办法\nsupersedes: jiu\nissued: 2024-01-01\neffective: 2024年2月1日\nowner: 办公室\n---\n一、新规定。\n",
        ),
        (
            "content/yinyong.md",
            "---\ntitle: 差旅规定\n---\n一、报销按《旧报销办法》执行。\n",
        ),
    ]);
    let root = site.path().as_os_str();
    let (code, json, err) = run_rulebook(&[
        "check".as_ref(),
        "--root".as_ref(),
        root,
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(code, 0, "warnings only: {json}{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let warnings: Vec<&serde_json::Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "RB048")
        .collect();
    assert_eq!(warnings.len(), 1, "{json}");
    assert_eq!(warnings[0]["path"], "content/yinyong.md");
    assert_eq!(warnings[0]["line"], 4);
    assert!(warnings[0]["help"].as_str().unwrap().contains("新报销办法"));

    let (code, _, err) = run_rulebook(&["build".as_ref(), "--root".as_ref(), root]);
    assert_eq!(code, 0, "{err}");
    let out = site.path().join("public");
    let old = read(&out, "regulations/jiu.html");
    let doc = scraper::Html::parse_document(&old);
    let banner = doc
        .select(&scraper::Selector::parse(".lifecycle-banner").unwrap())
        .next()
        .expect("banner");
    assert!(banner.text().collect::<String>().contains("已废止"));
    let link = banner
        .select(&scraper::Selector::parse("a").unwrap())
        .next()
        .expect("link to the successor");
    assert_eq!(link.value().attr("href"), Some("../regulations/xin.html"));
    // The successor has no banner, shows its dates and what it replaces; the lists mark 废止.
    let new = read(&out, "regulations/xin.html");
    assert!(!new.contains("lifecycle-banner"));
    assert!(html_text(&new).contains("2024年2月1日"));
    assert!(common::has_href(&new, "../regulations/jiu.html"));
    let list = read(&out, "categories/uncategorised.html");
    assert!(list.contains("status-status_repealed"), "{list}");

    // Search: 报销办法 is in both titles (a title hit), and in 差旅规定's text only as a citation;
    // the 废止 regulation comes after every hit of the others, title or not, and says it is 废止.
    let engine =
        rulebook::search::query::Engine::new(|name: &str| std::fs::read(out.join(name)).ok());
    let hits = engine.search("报销办法", &Default::default());
    let titles: Vec<&str> = hits.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(titles.last(), Some(&"旧报销办法"), "{titles:?}");
    assert!(
        titles.contains(&"新报销办法") && titles.contains(&"差旅规定"),
        "{titles:?}"
    );
    let js = read(&out, "assets/search.js");
    assert!(
        js.contains("status-status_"),
        "the label uses the badge's class"
    );
}

#[test]
fn lifecycle_front_matter_errors_point_at_the_line() {
    let site = fixture_site(&[
        ("content/roles.yaml", ROLES),
        (
            "content/x.md",
            "---\ntitle: 甲制度\nissued: 2024-03-01\neffective: 2024-02-01\nowner: 财务科\nsuperseded_by: nowhere\n---\n一、正文。\n",
        ),
        (
            "content/y.md",
            "---\ntitle: 乙制度\nreview_by: 明年\n---\n一、正文。\n",
        ),
    ]);
    let (code, json, _) = run_rulebook(&[
        "check".as_ref(),
        "--root".as_ref(),
        site.path().as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--lang".as_ref(),
        "en".as_ref(),
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let errors: Vec<(String, u64, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let has = |path: &str, line: u64, words: &str| {
        errors
            .iter()
            .any(|(p, l, m)| p == path && *l == line && m.contains(words))
    };
    assert!(has("content/x.md", 5, "owner `财务科`"), "{errors:#?}");
    assert!(
        has(
            "content/x.md",
            4,
            "`effective` (2024-02-01) is before `issued`"
        ),
        "{errors:#?}"
    );
    assert!(
        has("content/x.md", 6, "unknown regulation `nowhere`"),
        "{errors:#?}"
    );
    assert!(has("content/x.md", 6, "must be 废止"), "{errors:#?}");
    assert!(has("content/y.md", 3, "is not a date"), "{errors:#?}");
}

#[test]
fn review_due_lists_an_overdue_regulation_under_its_owner() {
    let site = fixture_site(&[
        ("content/roles.yaml", ROLES),
        (
            "content/guoqi.md",
            "---\ntitle: 过期制度\nowner: 财务负责人\nreview_by: 2020-01-01\n---\n一、正文。\n",
        ),
        (
            "content/zhouqi.md",
            "---\ntitle: 周期制度\nowner: 办公室\neffective: 2019年5月1日\nreview_every: 2年\n---\n一、正文。\n",
        ),
        (
            "content/yuanqi.md",
            "---\ntitle: 远期制度\nowner: 办公室\nreview_by: 2999-01-01\n---\n一、正文。\n",
        ),
    ]);
    let (code, _, err) =
        run_rulebook(&["build".as_ref(), "--root".as_ref(), site.path().as_os_str()]);
    assert_eq!(code, 0, "{err}");
    let html = read(&site.path().join("public"), "review.html");
    let doc = scraper::Html::parse_document(&html);
    let sections = scraper::Selector::parse("section.review-owner").unwrap();
    let h2 = scraper::Selector::parse("h2").unwrap();
    let li = scraper::Selector::parse("li").unwrap();
    let groups: Vec<(String, Vec<String>)> = doc
        .select(&sections)
        .map(|s| {
            (
                s.select(&h2).next().unwrap().text().collect(),
                s.select(&li).map(|l| l.text().collect()).collect(),
            )
        })
        .collect();
    assert_eq!(groups.len(), 2, "{groups:#?}");
    let of = |owner: &str| groups.iter().find(|(o, _)| o == owner).map(|(_, l)| l);
    let finance = of("财务负责人").expect("财务负责人's group");
    assert_eq!(finance.len(), 1);
    assert!(
        finance[0].contains("过期制度")
            && finance[0].contains("2020-01-01")
            && finance[0].contains("已逾期")
    );
    // review_every counts from the effective date: due 2021-05-01, overdue too.
    let office = of("办公室").expect("办公室's group");
    assert_eq!(office.len(), 1, "远期制度 is not due: {office:?}");
    assert!(office[0].contains("周期制度") && office[0].contains("2021-05-01"));
}

#[test]
fn compare_with_a_tag_starts_the_record_there() {
    let site = fixture_site(&[(
        "content/x.md",
        "---\ntitle: 甲制度\n---\n一、限额1000元。\n\n二、乙。\n",
    )]);
    let root = site.path();
    let repo = gix::init(root).unwrap();
    commit(&repo, root, "初版", DAY1);
    edit(root, "content/x.md", |t| t.replace("1000元", "2000元"));
    commit(&repo, root, "2024年版", DAY2);
    let tagged = repo.head_id().unwrap().detach();
    repo.tag_reference(
        "2024年版",
        tagged,
        gix::refs::transaction::PreviousValue::Any,
    )
    .unwrap();
    edit(root, "content/x.md", |t| t.replace("二、乙。", "二、丙。"));
    commit(&repo, root, "改二", DAY3);
    std::fs::write(root.join("content/site.yaml"), "compare_with: 2024年版\n").unwrap();
    let (code, _, err) = run_rulebook(&["build".as_ref(), "--root".as_ref(), root.as_os_str()]);
    assert_eq!(code, 0, "{err}");
    let page = read(&root.join("public"), "revisions/x.html");
    let v = versions(&page);
    // The tagged edition is where the record starts: 1000元 → 2000元 came before it.
    assert_eq!(v.len(), 2, "{v:#?}");
    assert!(v[1].1.contains("2024-03-15") && changes(&v[1].1).is_empty());
    let c = changes(&v[0].1);
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].1, "sec2");
    assert!(!page.contains("1000"));

    // A tag that does not exist: a warning, and the pages are built without the history.
    std::fs::write(
        root.join("content/site.yaml"),
        "title: 测试手册\ncompare_with: 2019年版\n",
    )
    .unwrap();
    let (code, _, err) = run_rulebook(&["build".as_ref(), "--root".as_ref(), root.as_os_str()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("compare_with: 2019年版"), "{err}");
    // At the line that names it.
    assert!(err.contains("content/site.yaml:2:1: [RB097]"), "{err}");
    assert!(!root.join("public/revisions/x.html").exists());
}

/// The print edition's appendix 修订情况 lists the revisions, newest first, each citing the clauses
/// it changed (print.html: linked in-page).
#[test]
fn the_print_edition_lists_the_revisions() {
    let (_, out) = history_site();
    let html = read(out, "print.html");
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let appendix = doc
        .select(&sel("section.appendix"))
        .find(|a| a.text().collect::<String>().contains("修订情况"))
        .expect("an appendix 修订情况");
    let entries: Vec<String> = appendix
        .select(&sel("li"))
        .map(|li| squash(&li.text().collect::<String>()))
        .collect();
    let added = entries
        .iter()
        .position(|e| e.starts_with("2024-06-01") && e.contains("增加施行条款"))
        .unwrap_or_else(|| panic!("{entries:?}"));
    let raised = entries
        .iter()
        .position(|e| e.starts_with("2024-03-15") && e.contains("提高办务会讨论的支出限额"))
        .unwrap_or_else(|| panic!("{entries:?}"));
    assert!(added < raised, "newest first: {entries:?}");
    assert!(
        entries[raised].contains("《市委保密办财务管理制度》一、"),
        "{entries:?}"
    );
    let links: Vec<&str> = appendix
        .select(&sel("a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(links.contains(&"#caiwu-guanli--sec1"), "{links:?}");
    assert!(links.contains(&"#caiwu-guanli--sec13"), "{links:?}");
}
