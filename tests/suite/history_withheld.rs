//! The one rule for withheld text, applied to the git history (issue 23): a version whose own
//! front-matter withholds it, a commit listed in `history_exclude:`, a regulation with
//! `history: false`, a withheld file deleted and replaced at its path, and a document withheld now
//! never show their text in any output. Each withheld version carries a marker string; the whole
//! built output is scanned for them. Repositories are made here with gix, in temporary folders.

use crate::common;

use std::path::Path;

use crate::common::{put, run_rulebook};

/// Commit the work tree of `root` as it is now, `n` days after 2024-01-01; returns the commit's hash.
fn commit(repo: &gix::Repository, root: &Path, message: &str, n: i64) -> String {
    let tree = common::write_tree(repo, root);
    let time = format!("{} +0800", 1_704_070_800 + n * 86_400);
    let sig = gix::actor::SignatureRef {
        name: "编辑".into(),
        email: "editor@example.invalid".into(),
        time: &time,
    };
    let parents: Vec<gix::ObjectId> = repo
        .head_id()
        .ok()
        .map(|i| i.detach())
        .into_iter()
        .collect();
    repo.commit_as(sig, sig, "HEAD", message, tree, parents)
        .unwrap()
        .detach()
        .to_hex()
        .to_string()
}

fn doc(front: &str, body: &str) -> String {
    format!("---\n{front}\n---\n{body}\n")
}

/// Every output file that contains one of `markers`: (file, marker).
fn leaks(out: &Path, markers: &[&str]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (rel, bytes) in common::all_files(out) {
        let text = String::from_utf8_lossy(&bytes);
        for m in markers {
            if text.contains(m) {
                found.push((rel.clone(), m.to_string()));
            }
        }
    }
    found
}

fn build(root: &Path) -> (i32, String) {
    let (code, _, err) = run_rulebook(&["build".as_ref(), "--root".as_ref(), root.as_os_str()]);
    (code, err)
}

const SITE: &str = "title: 历史测试\n";

/// The markers planted in withheld versions by [`history_site`].
const MARKERS: [&str; 8] = [
    "MARKERDRAFTFIRST",
    "MARKERTOPSECRET",
    "MARKERCLASSIFIEDMID",
    "MARKERNOHISTORY",
    "MARKERMOVEDAWAY",
    "MARKEREMPTYDRAFT",
    "MARKERMERGEKEY",
    "MARKEREXCLUDED",
];

/// A site in `root` with a git history of five commits in which every way of withholding a version
/// is used once, each withheld version carrying one of [`MARKERS`].
fn history_site(root: &Path) {
    put(root, "content/site.yaml", SITE);
    let repo = gix::init(root).unwrap();

    // 1. A regulation drafted first (draft: true), then published.
    put(
        root,
        "content/zonghe/caogao.md",
        &doc(
            "title: 先草稿后发布\ndraft: true",
            "一、MARKERDRAFTFIRST 草稿中的条文。\n\n二、共同条文。",
        ),
    );
    // 2. A 绝密 file that is later deleted, and another document written at its path.
    put(
        root,
        "content/zonghe/tihuan.md",
        &doc(
            "title: 绝密文件\nclassification: 绝密",
            "一、MARKERTOPSECRET 绝密内容。",
        ),
    );
    // 3. Published, then classified (机密) with new words, then published again without them.
    put(
        root,
        "content/zonghe/mimi.md",
        &doc("title: 中途定密\nclassification: 公开", "一、公开条文。"),
    );
    // 4. A regulation its editors keep out of the history (`history: false`).
    put(
        root,
        "content/zonghe/buji.md",
        &doc("title: 不记历史", "一、MARKERNOHISTORY 旧条文。"),
    );
    // 5. A document withheld now, moved away from a path another document now holds.
    put(
        root,
        "content/zonghe/yidong.md",
        &doc("title: 移走的制度", "一、MARKERMOVEDAWAY 旧条文。"),
    );
    // 6. An empty `draft:` and a merge key withhold a version of the history too.
    put(
        root,
        "content/zonghe/kong.md",
        &doc("title: 空草稿\ndraft:", "一、MARKEREMPTYDRAFT 条文。"),
    );
    put(
        root,
        "content/zonghe/hebing.md",
        &doc(
            "title: 合并键\n<<: {draft: true}",
            "一、MARKERMERGEKEY 条文。",
        ),
    );
    // 8. An ordinary regulation, published throughout: its history is shown as before.
    put(
        root,
        "content/zonghe/putong.md",
        &doc("title: 普通制度", "一、限额三千元。"),
    );
    commit(&repo, root, "起草", 0);
    put(
        root,
        "content/zonghe/putong.md",
        &doc("title: 普通制度", "一、限额五千元。"),
    );

    put(
        root,
        "content/zonghe/caogao.md",
        &doc("title: 先草稿后发布", "一、正式条文。\n\n二、共同条文。"),
    );
    std::fs::remove_file(root.join("content/zonghe/tihuan.md")).unwrap();
    put(
        root,
        "content/zonghe/mimi.md",
        &doc(
            "title: 中途定密\nclassification: 机密",
            "一、公开条文。\n\n二、MARKERCLASSIFIEDMID 机密条文。",
        ),
    );
    put(
        root,
        "content/zonghe/kong.md",
        &doc("title: 空草稿", "一、发布的条文。"),
    );
    put(
        root,
        "content/zonghe/hebing.md",
        &doc("title: 合并键", "一、发布的条文。"),
    );
    commit(&repo, root, "发布与删除", 1);

    put(
        root,
        "content/zonghe/tihuan.md",
        &doc("title: 公开的新文件", "一、公开的新条文。"),
    );
    put(
        root,
        "content/zonghe/mimi.md",
        &doc("title: 中途定密", "一、公开条文。\n\n二、解密后的条文。"),
    );
    put(
        root,
        "content/zonghe/buji.md",
        &doc("title: 不记历史\nhistory: false", "一、新条文。"),
    );
    put(
        root,
        "content/zonghe/yidong2.md",
        &doc(
            "title: 移走的制度\ndraft: true",
            "一、MARKERMOVEDAWAY 旧条文。",
        ),
    );
    put(
        root,
        "content/zonghe/yidong.md",
        &doc("title: 接替的制度", "一、接替的条文。"),
    );
    commit(&repo, root, "再次发布", 2);

    // 7. A sensitive clause added, then deleted; the commit that added it is kept out.
    put(
        root,
        "content/zonghe/caogao.md",
        &doc(
            "title: 先草稿后发布",
            "一、正式条文。\n\n二、共同条文。\n\n三、MARKEREXCLUDED 敏感条文。",
        ),
    );
    let sensitive = commit(&repo, root, "增加一条", 3);
    put(
        root,
        "content/zonghe/caogao.md",
        &doc(
            "title: 先草稿后发布",
            "一、正式条文。\n\n二、共同条文（修订）。",
        ),
    );
    commit(&repo, root, "删去敏感条文", 4);
    put(
        root,
        "content/site.yaml",
        &format!("{SITE}history_exclude:\n  - {}\n", &sensitive[..10]),
    );
}

#[test]
fn withheld_versions_never_reach_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    history_site(root);
    let (code, err) = build(root);
    assert_eq!(code, 0, "{err}");
    let out = root.join("public");
    assert_eq!(leaks(&out, &MARKERS), Vec::<(String, String)>::new());
    // The history is still there for what was published throughout.
    let page = std::fs::read_to_string(out.join("revisions/zonghe-putong.html")).unwrap();
    assert!(
        page.contains("<del>三千元</del><ins>五千元</ins>"),
        "{page}"
    );
    // After a cut the next version is a first one, not a change from the withheld text: with
    // nothing before it shown, the regulation has no 修订记录 at all (one version is no history).
    assert!(!out.join("revisions/zonghe-caogao.html").exists());
    assert!(!out.join("compare/zonghe-caogao").exists());
}

#[test]
fn a_history_exclude_entry_that_is_no_commit_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, "content/site.yaml", SITE);
    put(root, "content/zonghe/a.md", &doc("title: 甲", "一、条文。"));
    let repo = gix::init(root).unwrap();
    commit(&repo, root, "一", 0);
    put(
        root,
        "content/site.yaml",
        &format!("{SITE}history_exclude:\n  - deadbeefdeadbeef\n"),
    );
    let (_, json) = common::check_json(root, &[]);
    assert!(json.to_string().contains("RB101"), "{json}");
    put(
        root,
        "content/site.yaml",
        &format!("{SITE}history_exclude:\n  - HEAD~1\n"),
    );
    let (code, json) = common::check_json(root, &[]);
    assert_ne!(code, 0);
    assert!(json.to_string().contains("RB100"), "{json}");
}

/// The URL path `href` names from the page at `page` (`/a/b.html`), without query or fragment;
/// `None` for another site's address, a `data:`/`mailto:`/`javascript:` one or a bare fragment.
fn resolve(page: &str, href: &str) -> Option<String> {
    let href = href.split(['#', '?']).next().unwrap_or_default();
    if href.is_empty() || href.contains(':') || href.starts_with("//") {
        return None;
    }
    let joined = if href.starts_with('/') {
        href.to_string()
    } else {
        format!("{}{href}", &page[..=page.rfind('/').unwrap_or(0)])
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/').skip(1) {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

/// Every answer `addr` gives to the paths in `start` and to every address its HTML answers link to
/// or load (`href`, `src`), followed until no new one is found: URL path → (status, body).
fn crawl(
    addr: std::net::SocketAddr,
    start: Vec<String>,
) -> std::collections::BTreeMap<String, (u16, Vec<u8>)> {
    let attrs = scraper::Selector::parse("[href], [src]").unwrap();
    let mut seen = std::collections::BTreeMap::new();
    let mut queue = start;
    while let Some(path) = queue.pop() {
        if seen.contains_key(&path) {
            continue;
        }
        let (status, body) = common::served::get_bytes(addr, &path);
        if path.ends_with(".html") || path.ends_with('/') {
            let doc = scraper::Html::parse_document(&String::from_utf8_lossy(&body));
            for e in doc.select(&attrs) {
                for a in ["href", "src"] {
                    if let Some(next) = e.value().attr(a).and_then(|h| resolve(&path, h)) {
                        queue.push(next);
                    }
                }
            }
        }
        seen.insert(path, (status, body));
    }
    seen
}

/// What `rulebook serve` answers for the history site — every file of the build fetched over HTTP,
/// every address reachable from the served pages, the print edition and the preview's state —
/// carries none of the markers of withheld versions (issue 23: "built, served and printed").
#[test]
fn withheld_versions_are_never_served() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    history_site(root);
    // The paths of the built output, to ask the server for each of them.
    let (code, err) = build(root);
    assert_eq!(code, 0, "{err}");
    let built: Vec<String> = common::all_files(&root.join("public"))
        .into_iter()
        .map(|(rel, _)| format!("/{rel}"))
        .filter(|p| p != "/.rulebook-output")
        .collect();
    assert!(
        built.iter().any(|p| p.starts_with("/revisions/")),
        "{built:?}"
    );

    let server = common::served::Running::start(root, &[]);
    server.settled_after(0);
    let mut start = built.clone();
    start.extend(["/".into(), "/print.html".into(), "/__rulebook/state".into()]);
    let answers = crawl(server.addr, start);

    // Every built file is served, and the crawl reached pages of the history.
    for p in &built {
        assert_eq!(answers[p].0, 200, "{p} is not served");
    }
    let print = String::from_utf8_lossy(&answers["/print.html"].1).into_owned();
    assert!(print.contains("正式条文"), "the print edition as served");
    let history = String::from_utf8_lossy(&answers["/revisions/zonghe-putong.html"].1).into_owned();
    assert!(
        history.contains("<del>三千元</del>"),
        "the history as served"
    );
    let mut found = Vec::new();
    for (path, (_, body)) in &answers {
        let text = String::from_utf8_lossy(body);
        for m in MARKERS {
            if text.contains(m) {
                found.push((path.clone(), m));
            }
        }
    }
    assert_eq!(found, Vec::<(String, &str)>::new());
}
