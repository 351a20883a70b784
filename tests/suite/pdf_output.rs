//! `rulebook pdf --out` writes as `build` does (issue 23): never into the sources, never over a
//! file rulebook did not write unless `--force`, through a private partial file that cannot be
//! anyone else's, renamed into place. Run as users run it: from the site folder, relative paths.
#![cfg(feature = "pdf")]

use crate::common;

use std::path::Path;

use crate::common::put;

const SITE: &[(&str, &str)] = &[
    ("content/site.yaml", "title: 打印测试\n"),
    (
        "content/zonghe/jiandan.md",
        "---\ntitle: 简单制度\n---\n一、第一条。\n\n二、第二条。\n",
    ),
];

/// `rulebook pdf ARGS…` run in `dir`: exit status and stderr.
fn pdf(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .arg("pdf")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn pdf_never_overwrites_sources_or_foreign_files() {
    let site = common::fixture_site(SITE);
    let root = site.path();
    put(root, "notes.txt", "my notes\n");
    put(root, "foreign.pdf", "%PDF-1.7 someone else's\n");
    put(root, "content/zonghe/old.pdf", "%PDF-1.7 a form\n");
    let before = common::snapshot(root);
    for (out, force) in [
        ("notes.txt", false),
        ("notes.txt", true),
        ("content/zonghe/jiandan.md", true),
        ("content/site.yaml", true),
        ("foreign.pdf", false),
        ("content/zonghe/old.pdf", true),
        ("content/new.pdf", true),
        ("templates/book.pdf", true),
        (".git/x.pdf", true),
    ] {
        let mut args = vec!["--out", out];
        if force {
            args.push("--force");
        }
        let (code, err) = pdf(root, &args);
        assert_ne!(code, 0, "{out} was written: {err}");
        // The site is Chinese: so is the refusal, with no English inside (issue 24, item 7).
        assert!(err.contains("错误: 拒绝写入"), "{out}: {err}");
        assert!(
            !err.contains("refusing") && !err.contains(" it "),
            "{out}: {err}"
        );
    }
    assert_eq!(common::snapshot(root), before, "nothing changed");
}

#[test]
fn pdf_writes_atomically_and_replaces_only_its_own_pdf() {
    let site = common::fixture_site(SITE);
    let root = site.path();
    // Someone's file with the name the partial file used to have: never touched.
    put(root, "out/book.pdf.partial", "someone's partial\n");
    put(root, "out/theirs.pdf", "%PDF-1.7 someone else's\n");
    let (code, err) = pdf(root, &["--out", "out/book.pdf"]);
    assert_eq!(code, 0, "{err}");
    let first = std::fs::read(root.join("out/book.pdf")).unwrap();
    assert!(first.starts_with(b"%PDF-") && rulebook::pdf::is_ours(&first));
    assert_eq!(
        std::fs::read_to_string(root.join("out/book.pdf.partial")).unwrap(),
        "someone's partial\n"
    );
    // Its own PDF is replaced without --force; no partial file is left behind.
    let (code, err) = pdf(root, &["--out", "out/book.pdf"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        common::listing(&root.join("out")),
        ["book.pdf", "book.pdf.partial", "theirs.pdf"]
    );
    // A foreign PDF only with --force.
    let (code, _) = pdf(root, &["--out", "out/theirs.pdf"]);
    assert_ne!(code, 0);
    let (code, err) = pdf(root, &["--out", "out/theirs.pdf", "--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(rulebook::pdf::is_ours(
        &std::fs::read(root.join("out/theirs.pdf")).unwrap()
    ));
}

/// `rulebook pdf --each` writes every file as `--out` writes one: each target checked before
/// anything is typeset (a refused one leaves the folder as it was), a foreign file replaced only
/// with `--force`, its own replaced, the sources never a target; other files in the folder are left
/// alone, and a regulation now withheld loses the PDF an earlier run left for it.
#[test]
fn pdf_each_writes_every_file_through_the_same_checks() {
    let site = common::fixture_site(&[
        (
            "content/site.yaml",
            "title: 打印测试\nprint:\n  fonts: noto\n",
        ),
        (
            "content/zonghe/jiandan.md",
            "---\ntitle: 简单制度\n---\n一、第一条。\n",
        ),
        (
            "content/zonghe/fuza.md",
            "---\ntitle: 复杂制度\n---\n一、第一条。\n",
        ),
    ]);
    let root = site.path();
    put(root, "pdfs/notes.txt", "keep\n");
    let (code, err) = pdf(root, &["--each", "--out", "pdfs"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        common::listing(&root.join("pdfs")),
        ["notes.txt", "zonghe-fuza.pdf", "zonghe-jiandan.pdf"],
        "no partial file left behind"
    );
    let ours = |rel: &str| rulebook::pdf::is_ours(&std::fs::read(root.join(rel)).unwrap());
    assert!(ours("pdfs/zonghe-fuza.pdf") && ours("pdfs/zonghe-jiandan.pdf"));
    // Its own files are replaced without --force.
    let (code, err) = pdf(root, &["--each", "--out", "pdfs"]);
    assert_eq!(code, 0, "{err}");

    // One target is someone else's: refused before anything is written, unless --force.
    put(root, "pdfs/zonghe-jiandan.pdf", "%PDF-1.7 someone else's\n");
    let before = common::snapshot(root);
    let (code, err) = pdf(root, &["--each", "--out", "pdfs"]);
    assert_ne!(code, 0);
    assert!(err.contains("错误: 拒绝写入"), "{err}");
    assert_eq!(common::snapshot(root), before, "nothing changed");
    let (code, err) = pdf(root, &["--each", "--out", "pdfs", "--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(ours("pdfs/zonghe-jiandan.pdf"));

    // The sources are never targets, --force or not.
    for out in ["content", "content/zonghe", "templates", ".git"] {
        let before = common::snapshot(root);
        let (code, err) = pdf(root, &["--each", "--out", out, "--force"]);
        assert_ne!(code, 0, "{out} was written");
        assert!(err.contains("错误: 拒绝写入"), "{out}: {err}");
        assert_eq!(common::snapshot(root), before, "{out}: nothing changed");
    }

    // A regulation made a draft: its old PDF (rulebook's) goes; a foreign file of its name stays.
    put(
        root,
        "content/zonghe/fuza.md",
        "---\ntitle: 复杂制度\ndraft: true\n---\n一、第一条。\n",
    );
    let (code, err) = pdf(root, &["--each", "--out", "pdfs"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        common::listing(&root.join("pdfs")),
        ["notes.txt", "zonghe-jiandan.pdf"]
    );
    assert_eq!(
        std::fs::read_to_string(root.join("pdfs/notes.txt")).unwrap(),
        "keep\n"
    );
    put(root, "pdfs/zonghe-fuza.pdf", "%PDF-1.7 someone else's\n");
    let (code, err) = pdf(root, &["--each", "--out", "pdfs"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(root.join("pdfs/zonghe-fuza.pdf")).unwrap(),
        "%PDF-1.7 someone else's\n"
    );
}
