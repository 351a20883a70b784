//! Issue 23's smaller cases, as a careless or hostile user would try them: `--as-of` snapshots left
//! by killed runs, `rulebook new` with names that are no ids or folders that lead outside
//! `content/`, markers of output and staging folders that are not rulebook's, front-matter that
//! would publish silently. Everything runs in temporary folders.

use crate::common;

use std::path::Path;
use std::process::Command;

use crate::common::put;

fn rulebook(dir: &Path, args: &[&str], tmp: Option<&Path>) -> (i32, String, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rulebook"));
    c.args(args).current_dir(dir);
    if let Some(t) = tmp {
        c.env("TMPDIR", t);
    }
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The pid of a process that has ended.
fn dead_pid() -> u32 {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

const SITE: &[(&str, &str)] = &[
    ("content/site.yaml", "title: 测试\n"),
    (
        "content/zonghe/jia.md",
        "---\ntitle: 甲制度\n---\n一、第一条。\n",
    ),
];

// --- 5. --as-of snapshots ------------------------------------------------------------------------

#[test]
fn as_of_leaves_no_snapshot_and_cleans_those_killed_runs_left() {
    let site = common::fixture_site(SITE);
    let root = site.path();
    let repo = gix::init(root).unwrap();
    // One commit holding the content (a tree made of the files as they are).
    let blob = |p: &str| {
        repo.write_blob(std::fs::read(root.join(p)).unwrap())
            .unwrap()
            .detach()
    };
    use gix::objs::tree::{Entry, EntryKind};
    let tree = |entries: Vec<(&str, EntryKind, gix::ObjectId)>| {
        let mut entries: Vec<Entry> = entries
            .into_iter()
            .map(|(n, k, oid)| Entry {
                mode: k.into(),
                filename: n.into(),
                oid,
            })
            .collect();
        entries.sort();
        repo.write_object(gix::objs::Tree { entries })
            .unwrap()
            .detach()
    };
    let zonghe = tree(vec![(
        "jia.md",
        EntryKind::Blob,
        blob("content/zonghe/jia.md"),
    )]);
    let content = tree(vec![
        ("site.yaml", EntryKind::Blob, blob("content/site.yaml")),
        ("zonghe", EntryKind::Tree, zonghe),
    ]);
    let top = tree(vec![("content", EntryKind::Tree, content)]);
    let sig = gix::actor::SignatureRef {
        name: "编辑".into(),
        email: "e@example.invalid".into(),
        time: "1704070800 +0800",
    };
    repo.commit_as(sig, sig, "HEAD", "一", top, Vec::<gix::ObjectId>::new())
        .unwrap();

    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let dead = dead_pid();
    // A killed run's snapshot (with its marker) and two look-alikes that are not rulebook's.
    let leftover = t.join(format!("rulebook-as-of-{dead}-0123456789ab"));
    put(
        &leftover,
        ".rulebook-as-of",
        &format!("rulebook-as-of 1\npid {dead}\n"),
    );
    put(
        &leftover,
        "content/secret.md",
        "---\ntitle: 秘\ndraft: true\n---\n",
    );
    let crafted = t.join(format!("rulebook-as-of-{dead}-ffffffffffff"));
    put(&crafted, ".rulebook-as-of", "");
    put(&crafted, "mine.txt", "someone's file\n");
    let unmarked = t.join(format!("rulebook-as-of-{dead}-eeeeeeeeeeee"));
    put(&unmarked, "mine.txt", "someone's file\n");

    let (code, _, err) = rulebook(root, &["build", "--as-of", "2024-06-01"], Some(t));
    assert_eq!(code, 0, "{err}");
    assert!(!leftover.exists(), "the killed run's snapshot is removed");
    assert!(crafted.join("mine.txt").is_file() && unmarked.join("mine.txt").is_file());
    let names = common::listing(t);
    assert_eq!(
        names
            .iter()
            .filter(|n| n.starts_with("rulebook-as-of-"))
            .count(),
        2,
        "no snapshot of this run is left: {names:?}"
    );
}

// --- 7. rulebook new ---------------------------------------------------------------------------------

#[test]
fn new_refuses_names_that_are_no_ids_and_folders_outside_content() {
    let site = common::fixture_site(SITE);
    let root = site.path();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("content/lianjie")).unwrap();
    let before = common::snapshot(root);
    for name in [
        "zonghe/a\u{1b}]0;pwned\u{7}",
        "zonghe/a#b",
        "zonghe/a:b",
        "zonghe/a\nb",
        "zong\thé/a",
        "zonghe/ a",
        "lianjie/a",
        "lianjie/sub/a",
    ] {
        let (code, _, err) = rulebook(root, &["new", name], None);
        assert_ne!(code, 0, "{name:?} was created");
        // Refused with the catalogue's words, and no control character reaches the terminal raw.
        assert!(err.contains("无法创建"), "{name:?}: {err}");
        assert!(!err.contains(['\u{1b}', '\u{7}']), "{name:?}: {err:?}");
    }
    assert_eq!(common::snapshot(root), before);
    assert_eq!(common::listing(outside.path()), Vec::<String>::new());
    // A plain name still works.
    let (code, _, err) = rulebook(root, &["new", "zonghe/xin"], None);
    assert_eq!(code, 0, "{err}");
}

// --- 8. markers ------------------------------------------------------------------------------------

#[test]
fn an_empty_or_foreign_marker_does_not_make_a_folder_rulebooks() {
    let site = common::fixture_site(SITE);
    let root = site.path();
    for marker in ["", "hello\n"] {
        let out = root.join("docs");
        put(&out, ".rulebook-output", marker);
        put(&out, "notes.txt", "my notes\n");
        let (code, _, err) = rulebook(root, &["build", "--out", "docs"], None);
        assert_ne!(
            code, 0,
            "built into a folder with someone's files: {marker:?}"
        );
        // The site is Chinese, and so is the refusal (issue 24, item 7).
        assert!(err.contains("不是 rulebook 生成的文件"), "{err}");
        assert_eq!(
            std::fs::read_to_string(out.join("notes.txt")).unwrap(),
            "my notes\n"
        );
    }
}

#[test]
fn crafted_staging_folders_are_kept_unless_their_marker_is_rulebooks() {
    let site = common::fixture_site(SITE);
    let root = site.path();
    let dead = dead_pid();
    let crafted = root.join(format!(".public.rulebook-old-{dead}-0"));
    put(&crafted, ".rulebook-output", "");
    put(&crafted, "thesis.docx", "years of work\n");
    let other = root.join(format!(".public.rulebook-new-{dead}-1"));
    put(&other, ".rulebook-output", "not rulebook's\n");
    put(&other, "photo.jpg", "x");
    let (code, _, err) = rulebook(root, &["build"], None);
    assert_eq!(code, 0, "{err}");
    assert!(crafted.join("thesis.docx").is_file());
    assert!(other.join("photo.jpg").is_file());
}

// --- 8. diagnostics never show what is outside the site, nor raw control characters ---------------

#[test]
fn a_diagnostic_never_shows_a_file_outside_the_site_nor_raw_control_characters() {
    let site = common::fixture_site(SITE);
    let root = site.path();
    let outside = tempfile::tempdir().unwrap();
    put(
        outside.path(),
        "secret.md",
        "---\ntitle: [unclosed\n---\nTOPSECRETLINE root:x:0:0\n",
    );
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        root.join("content/zonghe/link.md"),
    )
    .unwrap();
    put(
        root,
        "content/zonghe/bad\u{1b}]0;pwned\u{7}.md",
        "---\ntitle: [unclosed\n---\n",
    );
    let (code, _, err) = rulebook(root, &["check"], None);
    assert_ne!(code, 0);
    assert!(!err.contains("TOPSECRETLINE"), "{err}");
    assert!(!err.contains(['\u{1b}', '\u{7}']), "{err:?}");
}

// --- 8. front-matter that would publish silently -----------------------------------------------------

#[test]
fn empty_exclusion_keys_and_merge_keys_are_errors() {
    for (front, code) in [
        ("draft:", "RB106"),
        ("classification:", "RB106"),
        ("draft: ~", "RB106"),
        ("<<: {draft: true}", "RB107"),
    ] {
        let site = common::fixture_site(SITE);
        let root = site.path();
        put(
            root,
            "content/zonghe/yi.md",
            &format!("---\ntitle: 乙制度\n{front}\n---\n一、MARKERSILENT 条文。\n"),
        );
        let (status, json) = common::check_json(root, &[]);
        assert_ne!(status, 0, "{front}");
        let errors: Vec<&serde_json::Value> = json
            .as_array()
            .or_else(|| json["diagnostics"].as_array())
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error")
            .collect();
        assert!(errors.iter().any(|d| d["code"] == code), "{front}: {json}");
        let (status, _, _) = rulebook(root, &["build"], None);
        assert_ne!(status, 0);
        assert!(!root.join("public").exists());
    }
}

#[test]
fn language_must_be_a_language_tag() {
    let site = common::fixture_site(SITE);
    let root = site.path();
    put(
        root,
        "content/site.yaml",
        "title: 测试\nlanguage: \"../../../etc/passwd\"\n",
    );
    let (status, json) = common::check_json(root, &[]);
    assert_ne!(status, 0);
    assert!(json.to_string().contains("RB108"), "{json}");
    put(
        root,
        "content/site.yaml",
        "title: 测试\nlanguage: zh-Hans-CN\n",
    );
    let (status, json) = common::check_json(root, &[]);
    assert_eq!(status, 0, "{json}");
}

/// `check` and `build` with a FIFO in static/ end (with a diagnostic) instead of waiting forever to
/// read it: bounded by a deadline, polled.
#[test]
fn a_fifo_in_static_never_hangs_check_or_build() {
    let site = common::fixture_site(SITE);
    let root = site.path();
    std::fs::create_dir_all(root.join("static")).unwrap();
    let fifo = root.join("static/pipe.css");
    let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
    unsafe extern "C" {
        fn mkfifo(path: *const std::ffi::c_char, mode: u32) -> i32;
    }
    assert_eq!(unsafe { mkfifo(c.as_ptr(), 0o644) }, 0);
    // In content/ too: a pipe with a regulation's name, and a link to one.
    let pipe = root.join("content/zonghe/pipe.md");
    let c = std::ffi::CString::new(pipe.as_os_str().as_encoded_bytes()).unwrap();
    assert_eq!(unsafe { mkfifo(c.as_ptr(), 0o644) }, 0);
    std::os::unix::fs::symlink(&pipe, root.join("content/zonghe/link.md")).unwrap();
    for cmd in ["check", "build"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rulebook"))
            .arg(cmd)
            .current_dir(root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break Some(s);
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let status = status.unwrap_or_else(|| panic!("`rulebook {cmd}` hangs on a FIFO"));
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        assert!(!status.success() && err.contains("RB087"), "{cmd}: {err}");
        assert!(
            err.contains("RB109") && err.contains("RB061"),
            "{cmd}: {err}"
        );
    }
}
