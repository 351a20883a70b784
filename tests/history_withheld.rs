//! The one rule for withheld text, applied to the git history (issue 23): a version whose own
//! front-matter withholds it, a commit listed in `history_exclude:`, a regulation with
//! `history: false`, a withheld file deleted and replaced at its path, and a document withheld now
//! never show their text in any output. Each withheld version carries a marker string; the whole
//! built output is scanned for them. Repositories are made here with gix, in temporary folders.

mod common;

use std::path::Path;

use common::{put, run_rulebook};

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

#[test]
fn withheld_versions_never_reach_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
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

    let (code, err) = build(root);
    assert_eq!(code, 0, "{err}");
    let out = root.join("public");
    let markers = [
        "MARKERDRAFTFIRST",
        "MARKERTOPSECRET",
        "MARKERCLASSIFIEDMID",
        "MARKERNOHISTORY",
        "MARKERMOVEDAWAY",
        "MARKEREMPTYDRAFT",
        "MARKERMERGEKEY",
        "MARKEREXCLUDED",
    ];
    assert_eq!(leaks(&out, &markers), Vec::<(String, String)>::new());
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
