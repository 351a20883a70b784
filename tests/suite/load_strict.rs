//! What the editor wrote explicitly and is wrong is an error; debris is cleaned with a warning.
//! Diagnostics are read through `rulebook check --format json`, as editors' tools read them.

use crate::common;

use std::path::Path;
use std::process::Command;

use crate::common::{fixture_site, repo_root};
use serde_json::Value;

/// `(exit code, diagnostics)` of `rulebook check --format json` on the site at `root`.
fn check(root: &Path) -> (i32, Vec<Value>) {
    let (code, json) = common::check_json(root, &["--lang", "en"]);
    (
        code,
        json["diagnostics"].as_array().cloned().unwrap_or_default(),
    )
}

/// `(severity, path, line, column, message)` of each diagnostic.
fn brief(d: &[Value]) -> Vec<(String, String, u64, u64, String)> {
    d.iter()
        .map(|d| {
            (
                d["severity"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn errors(d: &[Value]) -> Vec<(String, String, u64, u64, String)> {
    brief(d).into_iter().filter(|d| d.0 == "error").collect()
}

const A: &str = "---\ntitle: 甲制度\n---\n一、第一项。\n";

#[test]
fn misspelt_exclusion_keys_are_errors_not_publications() {
    for (key, value, meant) in [
        ("darft", "true", "draft"),
        ("Draft", "true", "draft"),
        ("DRAFT", "yes", "draft"),
        ("draf", "true", "draft"),
        ("classificaton", "绝密", "classification"),
        ("Classification", "绝密", "classification"),
        ("clasification", "秘密", "classification"),
    ] {
        let site = fixture_site(&[
            ("content/a.md", A),
            (
                "content/b.md",
                &format!("---\ntitle: 乙制度\n{key}: {value}\n---\n一、机密内容。\n"),
            ),
        ]);
        let (code, d) = check(site.path());
        assert_eq!(code, 1, "{key}: {:?}", brief(&d));
        let e = errors(&d);
        assert_eq!(e.len(), 1, "{key}: {e:?}");
        assert_eq!((e[0].1.as_str(), e[0].2, e[0].3), ("content/b.md", 3, 1));
        assert!(e[0].4.contains(&format!("`{meant}`")), "{e:?}");
        // And the build publishes nothing.
        let out = site.path().join("public");
        let mut s = rulebook::Site::new(site.path());
        assert!(s.build(Some(&out), false).is_err(), "{key}");
        assert!(!out.exists(), "{key}");
    }
    // Keys far from both stay warnings.
    let site = fixture_site(&[(
        "content/a.md",
        "---\ntitle: 甲\nlayout: page\n---\n一、x。\n",
    )]);
    let (code, d) = check(site.path());
    assert_eq!(code, 0, "{:?}", brief(&d));
    assert_eq!(brief(&d)[0].0, "warning");
}

#[test]
fn unknown_classification_is_an_error_at_its_line() {
    let site = fixture_site(&[
        ("content/a.md", A),
        (
            "content/b.md",
            "---\ntitle: 乙制度\nid: yi\nclassification: 超级机密\n---\n一、x。\n",
        ),
    ]);
    let (code, d) = check(site.path());
    assert_eq!(code, 1);
    let e = errors(&d);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].1.as_str(), e[0].2), ("content/b.md", 4));
    assert!(e[0].4.contains("超级机密"), "{e:?}");
}

#[test]
fn duplicate_titles_and_aliases_are_errors_naming_both_files() {
    let site = fixture_site(&[
        ("content/a.md", A),
        // In one folder (one title in two folders is allowed: its citation is RB204).
        (
            "content/d.md",
            "---\nid: d\ntitle: 甲制度\n---\n一、重复。\n",
        ),
    ]);
    let (code, d) = check(site.path());
    assert_eq!(code, 1);
    let e = errors(&d);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].1.as_str(), e[0].2), ("content/d.md", 3));
    assert!(e[0].4.contains("content/a.md"), "{e:?}");

    // Whitespace does not tell titles apart (references ignore it too).
    let site = fixture_site(&[
        ("content/a.md", A),
        ("content/b.md", "---\ntitle: 甲　制度\n---\n一、x。\n"),
    ]);
    assert_eq!(errors(&check(site.path()).1).len(), 1);

    // An alias that is another document's title or alias.
    let site = fixture_site(&[
        ("content/a.md", A),
        (
            "content/b.md",
            "---\ntitle: 乙制度\naliases: [甲制度]\n---\n一、x。\n",
        ),
        (
            "content/c.md",
            "---\ntitle: 丙制度\naliases: [甲制度]\n---\n一、x。\n",
        ),
    ]);
    let (code, d) = check(site.path());
    assert_eq!(code, 1);
    let e = errors(&d);
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(
        e.iter().all(|e| e.4.contains("甲制度") && e.2 == 3),
        "{e:?}"
    );

    // A withheld draft holds its title too.
    let site = fixture_site(&[
        ("content/a.md", A),
        (
            "content/b.md",
            "---\ntitle: 甲制度\ndraft: true\n---\n一、x。\n",
        ),
    ]);
    assert_eq!(errors(&check(site.path()).1).len(), 1);

    // Same title, told apart by subtitles (the seed's two 一岗双责 registers): fine.
    let site = fixture_site(&[
        (
            "content/a.md",
            "---\ntitle: 登记表\nsubtitle: 填报人：甲\n---\n一、x。\n",
        ),
        (
            "content/b.md",
            "---\ntitle: 登记表\nsubtitle: 填报人：乙\n---\n一、y。\n",
        ),
    ]);
    let (code, d) = check(site.path());
    assert_eq!(code, 0, "{:?}", brief(&d));
}

/// A copy of the bundled content in a temporary folder.
fn seed_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for e in walkdir::WalkDir::new(repo_root().join("content")) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(repo_root()).unwrap();
        let to = tmp.path().join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    tmp
}

#[test]
fn a_file_without_front_matter_gives_one_error() {
    // 财务管理制度 is cited by a register and three procedures: none of them is a second error.
    let site = seed_copy();
    let path = site.path().join("content/caiwu-zichan/caiwu-guanli.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let body = text.splitn(3, "---\n").nth(2).unwrap();
    std::fs::write(&path, body).unwrap();
    let (code, d) = check(site.path());
    assert_eq!(code, 1);
    assert_eq!(
        errors(&d),
        vec![(
            "error".into(),
            "content/caiwu-zichan/caiwu-guanli.md".into(),
            1,
            1,
            "the file does not start with front-matter".into()
        )]
    );
}

#[test]
fn lone_cr_and_crlf_files_read_like_lf() {
    let lf = "---\ntitle: 甲制度\n---\n一、第一项。\n\n二、第二项：\n\n（一）甲；\n";
    for (name, text) in [
        ("cr", lf.replace('\n', "\r")),
        ("crlf", lf.replace('\n', "\r\n")),
    ] {
        let site = fixture_site(&[("content/a.md", &text)]);
        let mut s = rulebook::Site::new(site.path());
        let lib = s.load().unwrap_or_else(|e| panic!("{name}: {e}"));
        let anchors: Vec<&str> = lib.regulations[0]
            .clauses
            .iter()
            .map(|c| c.anchor.as_str())
            .collect();
        assert_eq!(anchors, ["sec1", "sec2", "sec2-item1"], "{name}");
    }
}

#[test]
fn control_characters_warn_and_never_reach_the_output() {
    let site = fixture_site(&[(
        "content/a.md",
        "---\ntitle: 甲制度\n---\n一、第一\u{0}项\u{1b}。\n\n二、正常\u{7}。\n",
    )]);
    let (code, d) = check(site.path());
    assert_eq!(code, 0);
    let b = brief(&d);
    assert_eq!(b.len(), 1, "{b:?}");
    assert_eq!((b[0].0.as_str(), b[0].2, b[0].3), ("warning", 4, 5));
    assert!(b[0].4.starts_with("3 control"), "{b:?}");
    let out = site.path().join("public");
    rulebook::Site::new(site.path())
        .build(Some(&out), false)
        .unwrap();
    for f in common::all_files(&out) {
        assert!(
            !f.1.iter()
                .any(|&b| b < 0x20 && b != b'\n' && b != b'\t' && b != b'\r' || b == 0x7f),
            "{}",
            f.0
        );
    }
    let page = std::fs::read_to_string(out.join("regulations/a.html")).unwrap();
    assert!(page.contains("第一项。"), "text kept, debris out");
}

#[test]
fn a_file_name_that_is_no_id_says_to_set_id() {
    // Spaces and Chinese are fine in ids (links are percent-encoded); a `#` would cut a link short.
    let site = fixture_site(&[("content/甲#制度.md", A)]);
    let (code, d) = check(site.path());
    assert_eq!(code, 1);
    let e = &d[0];
    assert!(e["message"].as_str().unwrap().contains("file name"), "{e}");
    assert!(e["help"].as_str().unwrap().contains("id:"), "{e}");
    // …and setting it is enough.
    let site = fixture_site(&[(
        "content/甲#制度.md",
        "---\ntitle: 甲制度\nid: jia\n---\n一、x。\n",
    )]);
    assert_eq!(check(site.path()).0, 0);
}

#[test]
fn an_empty_title_points_at_its_line() {
    let site = fixture_site(&[("content/a.md", "---\nid: a\ntitle: \"\"\n---\n一、x。\n")]);
    let (code, d) = check(site.path());
    assert_eq!(code, 1);
    let e = errors(&d);
    assert_eq!((e[0].2, e[0].3), (3, 1), "{e:?}");
    assert!(e[0].4.contains("empty"), "{e:?}");
}

#[test]
fn columns_count_characters_in_message_and_source_box() {
    let site = fixture_site(&[(
        "content/a.md",
        "---\ntitle: 甲制度\nshort_name: x\n---\n一、见[乙](@nope)。\n",
    )]);
    let (code, d) = check(site.path());
    assert_eq!(code, 1);
    let e = errors(&d);
    let (line, col) = (e[0].2, e[0].3);
    assert_eq!((line, col), (5, 4), "{e:?}");
    let out = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["check", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("content/a.md:5:4: "), "{stderr}");
    assert!(stderr.contains("[content/a.md:5:4]"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_inside_the_root_only_and_skips_are_warned() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: 外部文件\n---\n一、不应发布。\n",
    )
    .unwrap();
    let site = fixture_site(&[
        ("content/a.md", A),
        ("shared/b.md", "---\ntitle: 乙制度\n---\n一、共享。\n"),
    ]);
    let c = site.path().join("content");
    symlink(site.path().join("shared/b.md"), c.join("b.md")).unwrap();
    symlink(outside.path().join("secret.md"), c.join("secret.md")).unwrap();
    symlink(c.join("loop2.md"), c.join("loop1.md")).unwrap();
    symlink(c.join("loop1.md"), c.join("loop2.md")).unwrap();
    let (code, d) = check(site.path());
    assert_eq!(code, 0, "{:?}", brief(&d));
    let mut w: Vec<(String, String)> = brief(&d).into_iter().map(|d| (d.0, d.1)).collect();
    w.sort();
    assert_eq!(
        w,
        [
            ("warning".to_string(), "content/loop1.md".to_string()),
            ("warning".into(), "content/loop2.md".into()),
            ("warning".into(), "content/secret.md".into()),
        ]
    );
    let out = site.path().join("public");
    rulebook::Site::new(site.path())
        .build(Some(&out), false)
        .unwrap();
    assert!(out.join("regulations/b.html").is_file());
    assert!(!out.join("regulations/secret.html").exists());
    for f in common::all_files(&out) {
        assert!(
            !String::from_utf8_lossy(&f.1).contains("不应发布"),
            "{}",
            f.0
        );
    }
}

#[test]
fn other_tools_front_matter_builds_with_one_warning_per_unknown_key() {
    // Hugo/Jekyll keys: date → issued, weight → order, description → summary, tags/keywords kept.
    let hugo = "---\ntitle: 甲制度\ndate: 2020-03-27\nweight: 2\ndescription: 一句话\ntags: [财务, 报销]\nkeywords: 支出\nlayout: page\n---\n一、第一项。\n";
    let site = fixture_site(&[
        ("content/a.md", hugo),
        (
            "content/b.md",
            "---\ntitle: 乙制度\nweight: 1\n---\n一、x。\n",
        ),
    ]);
    let (code, d) = check(site.path());
    assert_eq!(code, 0, "{:?}", brief(&d));
    let b = brief(&d);
    assert_eq!(b.len(), 1, "{b:?}");
    assert_eq!((b[0].0.as_str(), b[0].2), ("warning", 8));
    assert!(b[0].4.contains("`layout`"), "{b:?}");
    let mut s = rulebook::Site::new(site.path());
    let lib = s.load().unwrap();
    let a = lib.regulation("a").unwrap();
    assert_eq!(a.issued.as_deref(), Some("2020-03-27"));
    assert_eq!(a.order, 2);
    assert_eq!(a.summary.as_deref(), Some("一句话"));
    assert_eq!(a.tags, ["财务", "报销", "支出"]);
    // weight orders the category: 乙 (1) before 甲 (2).
    let ids: Vec<&str> = lib.regulations.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["b", "a"]);
}

#[test]
fn index_pages_are_named_by_their_folder_and_folder_pages_title_categories() {
    let site = fixture_site(&[
        (
            "content/jia/index.md",
            "---\ntitle: 甲制度\n---\n一、甲。\n",
        ),
        (
            "content/yi/bing/index.md",
            "---\ntitle: 乙丙制度\n---\n一、乙。\n",
        ),
        (
            "content/yi/_index.md",
            "---\ntitle: 乙类制度\nlayout: list\n---\n本类收录乙类制度。\n",
        ),
        ("content/yi/ding.md", "---\ntitle: 丁制度\n---\n一、丁。\n"),
    ]);
    let (code, d) = check(site.path());
    assert_eq!(code, 0, "{:?}", brief(&d));
    let mut s = rulebook::Site::new(site.path());
    let lib = s.load().unwrap();
    let mut ids: Vec<&str> = lib.regulations.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    // Two index.md never collide; _index.md is no regulation.
    assert_eq!(ids, ["jia", "yi-bing", "yi-ding"]);
    let yi = lib.category("yi").unwrap();
    assert_eq!(yi.title, "乙类制度");
    assert_eq!(yi.regulations.len(), 2);
}
