//! Integration tests of the whole build as it lands on disk: reproducible output, safe writing of the
//! output folder, exclusion of unpublished documents, escaping of hostile input, and error reports of
//! the command-line tool.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{
    all_files, fixture_site, html_text, listing, main_of, put, repo_root, snapshot,
};
use rulebook::output::write::{self, MARKER};
use rulebook::{Error, Severity, Site};

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

/// Copy a folder tree (files and folders only).
fn copy_dir(src: &Path, dst: &Path) {
    for e in walkdir::WalkDir::new(src).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(src).unwrap();
        let to = dst.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
}

/// A temporary folder holding `site/` with a copy of the bundled `content/`; returns (tmp, site root).
fn bundled_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&repo_root().join("content"), &root.join("content"));
    (tmp, root)
}

/// Names of leftover staging folders (`.<name>.rulebook-new-*` / `-old-*`) directly under `dir`.
fn staging_leftovers(dir: &Path) -> Vec<String> {
    listing(dir)
        .into_iter()
        .filter(|n| n.contains(".rulebook-new-") || n.contains(".rulebook-old-"))
        .collect()
}

/// Run the `rulebook` binary in `cwd`.
/// (In English: these tests read the English texts; tests/suite/editor.rs reads both languages.)
fn rulebook(cwd: &Path, args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .current_dir(cwd)
        .args(args)
        .args(["--lang", "en"])
        .output()
        .expect("run rulebook")
}

/// `rulebook build --root <root> [--out <out>] [--force]`, run in `cwd`.
fn cli_build(cwd: &Path, root: &Path, out: Option<&Path>, force: bool) -> Output {
    let mut args: Vec<&std::ffi::OsStr> =
        vec!["build".as_ref(), "--root".as_ref(), root.as_os_str()];
    if let Some(out) = out {
        args.push("--out".as_ref());
        args.push(out.as_os_str());
    }
    if force {
        args.push("--force".as_ref());
    }
    rulebook(cwd, &args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Build `root` into `out` through the library.
fn build(root: &Path, out: Option<&Path>, force: bool) -> rulebook::Result<rulebook::BuildReport> {
    Site::new(root).build(out, force)
}

/// The reason of an [`Error::UnsafeOutput`], panicking on anything else.
fn unsafe_reason(r: rulebook::Result<rulebook::BuildReport>) -> String {
    match r {
        Err(Error::UnsafeOutput { reason, .. }) => reason,
        Err(e) => panic!("expected UnsafeOutput, got {e:?}"),
        Ok(r) => panic!(
            "expected UnsafeOutput, the build wrote {} files into {}",
            r.files,
            r.out.display()
        ),
    }
}

/// One diagnostic as the CLI prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Printed {
    kind: String,
    message: String,
    path: String,
    line: usize,
    column: usize,
    /// The quoted source line, if printed.
    source: Option<String>,
    help: Option<String>,
}

/// Parse the diagnostics out of the CLI's stderr. Each starts with the plain `path:line:col: message`
/// line that editors look for, then miette's report: `  × message` (error) or `  ⚠ message`
/// (warning), the source excerpt (` 4 │ text`) and `  help: …`. The CLI's earlier compiler-like form
/// (`error: message`, `  --> path:line:col`, `  4| text`, `  = help: …`) is read too.
fn printed(stderr: &str) -> Vec<Printed> {
    let header = regex::Regex::new(r"^(\S[^:]*):(\d+):(\d+): (.*)$").unwrap();
    let old_loc = regex::Regex::new(r"^  --> ([^:]*):(\d+):(\d+)$").unwrap();
    let source_line = regex::Regex::new(r"^ *(\d+) ?[│|] (.*)$").unwrap();
    let code_prefix = regex::Regex::new(r"^\[[A-Za-z0-9-]+\] ").unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let next = lines.get(i + 1).copied().unwrap_or("");
        let mut d = if let (Some(h), Some(kind)) = (
            header.captures(lines[i]),
            if next.starts_with("  × ") {
                Some("error")
            } else if next.starts_with("  ⚠ ") {
                Some("warning")
            } else {
                None
            },
        ) {
            Printed {
                kind: kind.into(),
                // Without the code (`[RB004] `), which tests check through --format json.
                message: code_prefix.replace(&h[4], "").into_owned(),
                path: h[1].to_string(),
                line: h[2].parse().unwrap(),
                column: h[3].parse().unwrap(),
                source: None,
                help: None,
            }
        } else if let (Some(kind), Some(loc)) = (
            ["error", "warning"]
                .into_iter()
                .find(|k| lines[i].starts_with(&format!("{k}: "))),
            old_loc.captures(next),
        ) {
            Printed {
                kind: kind.into(),
                message: lines[i][kind.len() + 2..].to_string(),
                path: loc[1].to_string(),
                line: loc[2].parse().unwrap(),
                column: loc[3].parse().unwrap(),
                source: None,
                help: None,
            }
        } else {
            i += 1;
            continue;
        };
        i += 2;
        let mut in_help = false;
        while i < lines.len() && !lines[i].is_empty() {
            let s = lines[i];
            if let Some(h) = s
                .strip_prefix("  help: ")
                .or_else(|| s.strip_prefix("  = help: "))
            {
                d.help = Some(h.to_string());
                in_help = true;
            } else if in_help && s.starts_with("  ") {
                // A help text wrapped over lines.
                let h = d.help.as_mut().unwrap();
                h.push(' ');
                h.push_str(s.trim());
            } else if let Some(c) = source_line
                .captures(s)
                .filter(|c| c[1].parse::<usize>().ok() == Some(d.line))
            {
                d.source = Some(c[2].to_string());
            }
            i += 1;
        }
        out.push(d);
    }
    out
}

/// The start tags of an HTML text, each as (lower-case name, [(lower-case attribute name, value)]),
/// as a browser's tokenizer finds them: escaped text (`&lt;img …>`) is not a tag, and neither is
/// anything inside `<script>`, `<style>`, `<title>` or `<textarea>` before its end tag.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' || i + 1 >= b.len() || !b[i + 1].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        i += 1;
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let s = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'>' {
                i += 1;
            }
            let an = html[s..i].to_ascii_lowercase();
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i];
                    i += 1;
                    let vs = i;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                    value = html[vs..i].to_string();
                    i += 1;
                } else {
                    let vs = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = html[vs..i].to_string();
                }
            }
            attrs.push((an, value));
        }
        if ["script", "style", "title", "textarea"].contains(&name.as_str()) {
            // Raw text (script, style) and escapable raw text (title, textarea): nothing in it is a tag
            // until the element's own end tag.
            let end = format!("</{name}");
            i = html[i..]
                .to_ascii_lowercase()
                .find(&end)
                .map_or(b.len(), |p| i + p);
        }
        out.push((name, attrs));
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    hay.windows(n.len()).any(|w| w == n)
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// Regulation ids linked from an HTML fragment, in order (`regulations/<id>.html`, any prefix).
fn linked_regulations(html: &str) -> Vec<String> {
    let re = regex::Regex::new(r##"href="?(?:\.\./)?regulations/([^"#> ]+)\.html"##).unwrap();
    re.captures_iter(html).map(|c| c[1].to_string()).collect()
}

fn page(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

// ---------------------------------------------------------------------------------------------------
// 1. Reproducible output
// ---------------------------------------------------------------------------------------------------

fn assert_same_tree(a: &Path, b: &Path) {
    let fa = all_files(a);
    let fb = all_files(b);
    let na: Vec<&str> = fa.iter().map(|(p, _)| p.as_str()).collect();
    let nb: Vec<&str> = fb.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(na, nb, "the two builds have different file lists");
    for ((p, x), (_, y)) in fa.iter().zip(&fb) {
        assert!(x == y, "{p} differs between the two builds");
    }
    // 24 regulation pages + 8 categories + index + 404 + 2 assets + marker: a real build, not two empty ones.
    assert!(na.len() >= 36, "{na:?}");
    assert!(na.contains(&MARKER));
}

#[test]
fn bundled_site_builds_byte_identical_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("one/public"), tmp.path().join("two/out"));
    // A copy of content/, as common::seed_site builds: in place, the project's own git history
    // would add 修订记录 pages.
    let src = tmp.path().join("src");
    common::copy_content(&src);
    let ra = build(&src, Some(&a), false).unwrap();
    let rb = build(&src, Some(&b), false).unwrap();
    assert_eq!(ra.files, rb.files);
    assert_eq!(ra.bytes, rb.bytes);
    assert_eq!(ra.documents, 24);
    assert_same_tree(&a, &b);
    // And identical to the shared build of the other test files.
    assert_same_tree(&a, common::seed_site());
}

#[test]
fn single_thread_build_matches_default_pool() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("pool-default"), tmp.path().join("pool-one"));
    build(&repo_root(), Some(&a), false).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let threads = pool.install(|| {
        build(&repo_root(), Some(&b), false).unwrap();
        rayon::current_num_threads()
    });
    assert_eq!(threads, 1);
    assert_same_tree(&a, &b);
    // The same with many threads (more than files in some stages), which shuffles completion order.
    let c = tmp.path().join("pool-many");
    rayon::ThreadPoolBuilder::new()
        .num_threads(16)
        .build()
        .unwrap()
        .install(|| build(&repo_root(), Some(&c), false).unwrap());
    assert_same_tree(&a, &c);
}

// ---------------------------------------------------------------------------------------------------
// 2. Safe output
// ---------------------------------------------------------------------------------------------------

/// A site root `tmp/site` (a copy of the bundle), a foreign folder `tmp/foreign` with a user's file,
/// and sentinels beside them.
fn safety_fixture() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (tmp, root) = bundled_copy();
    put(tmp.path(), "foreign/notes.txt", "my own notes\n");
    put(tmp.path(), "foreign/sub/keep.md", "keep me\n");
    put(tmp.path(), "beside.txt", "sentinel beside the site\n");
    put(&root, "sentinel.txt", "sentinel in the root\n");
    let foreign = tmp.path().join("foreign");
    (tmp, root, foreign)
}

#[test]
fn api_refuses_protected_and_foreign_targets() {
    let (tmp, root, foreign) = safety_fixture();
    let before = snapshot(tmp.path());
    let slash = listing(Path::new("/"));

    let cases: Vec<(PathBuf, &str)> = vec![
        (root.join("content"), "it is inside the content folder"),
        (
            root.join("content/huiyi-zuzhi"),
            "it is inside the content folder",
        ),
        (
            root.clone(),
            "it is the site's root folder; use a subfolder such as public/",
        ),
        (
            root.join("public/.."),
            "it is the site's root folder; use a subfolder such as public/",
        ),
        (tmp.path().to_path_buf(), "it contains the site's sources"),
        (
            foreign.clone(),
            "it holds files rulebook did not generate (`notes.txt`, `sub`); choose an empty or new folder, or pass --force to build into it and keep them (rulebook never deletes or overwrites files it did not write)",
        ),
    ];
    for (out, reason) in &cases {
        assert_eq!(
            unsafe_reason(build(&root, Some(out), false)),
            *reason,
            "--out {}",
            out.display()
        );
        assert_eq!(
            snapshot(tmp.path()),
            before,
            "--out {} changed the disk",
            out.display()
        );
    }
    // Protected targets stay protected with force.
    for (out, reason) in &cases[..5] {
        assert_eq!(
            unsafe_reason(build(&root, Some(out), true)),
            *reason,
            "--force --out {}",
            out.display()
        );
        assert_eq!(
            snapshot(tmp.path()),
            before,
            "--force --out {} changed the disk",
            out.display()
        );
    }
    // `/`: check the pure test first, so a regression cannot reach the writing stage in this test.
    for force in [false, true] {
        let e = write::check_target(&root, Path::new("/"), force).unwrap_err();
        assert!(
            matches!(&e, Error::UnsafeOutput { reason, .. } if reason == "it is the file-system root"),
            "{e:?}"
        );
        assert_eq!(
            unsafe_reason(build(&root, Some(Path::new("/")), force)),
            "it is the file-system root"
        );
    }
    assert_eq!(listing(Path::new("/")), slash);
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn output_path_through_a_missing_folder_and_dotdot_is_the_root() {
    // `site/nope/..` is the site root although `nope` does not exist: it must be recognised as the root
    // (and refused) without creating `nope/`.
    let (tmp, root, _) = safety_fixture();
    let before = snapshot(tmp.path());
    for out in [
        root.join("nope/.."),
        root.join("nope/../content"),
        root.join("nope/x/../.."),
    ] {
        let e = write::check_target(&root, &out, true).unwrap_err();
        assert!(
            matches!(e, Error::UnsafeOutput { .. }),
            "{}: {e:?}",
            out.display()
        );
        assert!(
            matches!(
                build(&root, Some(&out), true),
                Err(Error::UnsafeOutput { .. })
            ),
            "{}",
            out.display()
        );
        assert_eq!(
            snapshot(tmp.path()),
            before,
            "--out {} changed the disk",
            out.display()
        );
    }
    // The same through a missing folder above the root: `tmp/nope/..` contains the site.
    let out = tmp.path().join("nope/..");
    assert!(matches!(
        build(&root, Some(&out), true),
        Err(Error::UnsafeOutput { .. })
    ));
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn a_folder_containing_home_is_refused() {
    // HOME is read by the check; the CLI child gets its own HOME, so this does not touch the real one.
    let (tmp, root, _) = safety_fixture();
    let home = tmp.path().join("users/alice");
    put(&home, "diary.txt", "dear diary\n");
    let before = snapshot(tmp.path());
    for out in [home.clone(), tmp.path().join("users")] {
        let o = Command::new(env!("CARGO_BIN_EXE_rulebook"))
            .current_dir(tmp.path())
            .env("HOME", &home)
            .args([
                "build".as_ref(),
                "--force".as_ref(),
                "--root".as_ref(),
                root.as_os_str(),
                "--out".as_ref(),
                out.as_os_str(),
            ])
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(1),
            "--out {}: {}",
            out.display(),
            stderr(&o)
        );
        // The site is Chinese, and so is the reason (issue 24, item 7).
        assert!(stderr(&o).contains("用户的主文件夹"), "{}", stderr(&o));
        assert_eq!(snapshot(tmp.path()), before, "--out {}", out.display());
    }
}

#[test]
fn cli_refuses_protected_and_foreign_targets() {
    let (tmp, root, foreign) = safety_fixture();
    let before = snapshot(tmp.path());
    let slash = listing(Path::new("/"));
    let cwd = tmp.path();
    let cases: Vec<(PathBuf, bool, &str)> = vec![
        (
            root.join("content"),
            false,
            "it is inside the content folder",
        ),
        (
            root.join("content"),
            true,
            "it is inside the content folder",
        ),
        (root.clone(), false, "it is the site's root folder"),
        (root.clone(), true, "it is the site's root folder"),
        (PathBuf::from("site"), true, "it is the site's root folder"), // relative to the working folder
        (
            tmp.path().to_path_buf(),
            false,
            "it contains the site's sources",
        ),
        (
            tmp.path().to_path_buf(),
            true,
            "it contains the site's sources",
        ),
        (PathBuf::from("."), true, "it contains the site's sources"),
        (PathBuf::from("/"), false, "it is the file-system root"),
        (PathBuf::from("/"), true, "it is the file-system root"),
        (
            foreign.clone(),
            false,
            "it holds files rulebook did not generate",
        ),
    ];
    for (out, force, reason) in &cases {
        if out == Path::new("/") {
            assert!(
                write::check_target(&root, out, *force).is_err(),
                "guard: `/` must be refused before building"
            );
        }
        let o = cli_build(cwd, &root, Some(out), *force);
        let err = stderr(&o);
        assert_eq!(
            o.status.code(),
            Some(1),
            "--out {} force={force}: {err}",
            out.display()
        );
        assert!(err.starts_with("error: refusing to write to "), "{err}");
        assert!(
            err.contains(reason),
            "--out {}: expected {reason:?} in {err}",
            out.display()
        );
        assert!(
            err.contains("Build failed. The previous output was left untouched."),
            "{err}"
        );
        assert!(stdout(&o).is_empty(), "{}", stdout(&o));
        assert_eq!(
            snapshot(tmp.path()),
            before,
            "--out {} force={force} changed the disk",
            out.display()
        );
    }
    assert_eq!(listing(Path::new("/")), slash);
    // The foreign folder's refusal tells the user the way out.
    let o = cli_build(cwd, &root, Some(&foreign), false);
    assert!(
        stderr(&o).contains("pass --force to build into it and keep them"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn force_builds_into_a_foreign_folder_and_keeps_its_files_api_and_cli() {
    for via_cli in [false, true] {
        let (tmp, root, foreign) = safety_fixture();
        if via_cli {
            let o = cli_build(tmp.path(), &root, Some(&foreign), true);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            assert!(
                stdout(&o).starts_with("Built 24 documents, "),
                "{}",
                stdout(&o)
            );
        } else {
            let r = build(&root, Some(&foreign), true).unwrap();
            assert_eq!(r.out, foreign.canonicalize().unwrap());
        }
        // The folder now holds a build beside the user's files, which are untouched.
        assert_eq!(
            std::fs::read_to_string(foreign.join("notes.txt")).unwrap(),
            "my own notes\n"
        );
        assert_eq!(
            std::fs::read_to_string(foreign.join("sub/keep.md")).unwrap(),
            "keep me\n"
        );
        assert!(foreign.join(MARKER).is_file());
        let got: Vec<String> = all_files(&foreign).into_iter().map(|(p, _)| p).collect();
        let mut want: Vec<String> = all_files(common::seed_site())
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        want.extend(["notes.txt".to_string(), "sub/keep.md".to_string()]);
        want.sort();
        assert_eq!(got, want);
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("beside.txt")).unwrap(),
            "sentinel beside the site\n"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("sentinel.txt")).unwrap(),
            "sentinel in the root\n"
        );
        assert_eq!(staging_leftovers(tmp.path()), Vec::<String>::new());
        // The user's files are still there: a second build needs force again, and keeps them.
        assert!(build(&root, Some(&foreign), false).is_err());
        build(&root, Some(&foreign), true).unwrap();
        assert!(foreign.join("sub/keep.md").is_file());
    }
}

#[test]
fn empty_or_new_folder_needs_no_force() {
    let (tmp, root, _) = safety_fixture();
    std::fs::create_dir(tmp.path().join("empty")).unwrap();
    build(&root, Some(&tmp.path().join("empty")), false).unwrap();
    build(&root, Some(&tmp.path().join("new/deeper/out")), false).unwrap();
    assert!(tmp.path().join("empty").join(MARKER).is_file());
    assert!(tmp.path().join("new/deeper/out/index.html").is_file());
}

#[test]
fn rebuild_over_own_output_replaces_it_exactly() {
    let (tmp, root, _) = safety_fixture();
    let public = root.join("public");
    // First build: default output folder, with a regulation in a category of its own.
    let temp = "content/linshi/temp.md";
    put(&root, temp, "---\ntitle: 临时制度\n---\n\n第一条　临时。\n");
    let o = cli_build(tmp.path(), &root, None, false);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(public.join(MARKER).is_file());
    assert!(public.join("regulations/linshi-temp.html").is_file());
    assert!(public.join("categories/linshi.html").is_file());
    // Withdraw it: its page and category page are stale output the next build does not produce.
    std::fs::remove_file(root.join(temp)).unwrap();
    // Second build over its own output: succeeds without --force, via both the CLI and the API.
    let o = cli_build(tmp.path(), &root, None, false);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!public.join("regulations/linshi-temp.html").exists());
    assert!(!public.join("categories/linshi.html").exists());
    put(&root, temp, "---\ntitle: 临时制度\n---\n\n第一条　临时。\n");
    build(&root, None, false).unwrap();
    assert!(public.join("regulations/linshi-temp.html").is_file());
    std::fs::remove_file(root.join(temp)).unwrap();
    build(&root, None, false).unwrap();
    assert!(!public.join("regulations/linshi-temp.html").exists());
    // The output is exactly a fresh build (byte for byte), and nothing is left beside it.
    assert_same_tree(&public, common::seed_site());
    assert_eq!(staging_leftovers(&root), Vec::<String>::new());
    assert_eq!(
        std::fs::read_to_string(root.join("sentinel.txt")).unwrap(),
        "sentinel in the root\n"
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("beside.txt")).unwrap(),
        "sentinel beside the site\n"
    );
}

#[test]
fn failed_build_leaves_previous_output_and_no_staging() {
    let (tmp, root, _) = safety_fixture();
    let public = root.join("public");
    build(&root, None, false).unwrap();
    let before = snapshot(&public);

    // A content error (invalid YAML) via the API…
    put(
        &root,
        "content/huiyi-zuzhi/broken.md",
        "---\ntitle: 坏文件\norder: [1, 2\n---\n\n正文。\n",
    );
    let e = build(&root, None, false).unwrap_err();
    let Error::Content(diags) = &e else {
        panic!("{e:?}")
    };
    assert!(
        diags
            .iter()
            .any(|d| d.is_error() && d.path == Path::new("content/huiyi-zuzhi/broken.md")),
        "{diags:#?}"
    );
    assert_eq!(snapshot(&public), before);
    assert_eq!(staging_leftovers(&root), Vec::<String>::new());

    // …and via the CLI.
    let o = cli_build(tmp.path(), &root, None, false);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("Build failed: 1 error(s). The previous output was left untouched."),
        "{}",
        stderr(&o)
    );
    assert_eq!(snapshot(&public), before);
    assert_eq!(staging_leftovers(&root), Vec::<String>::new());

    // A failure after loading (a broken site template) leaves it too.
    std::fs::remove_file(root.join("content/huiyi-zuzhi/broken.md")).unwrap();
    put(&root, "templates/index.html", "{% if %}");
    // A coded diagnostic at the template's line (RB130), as `check` reports it too.
    assert!(matches!(
        build(&root, None, false),
        Err(Error::Content(d)) if d[0].code == Some("RB130")
    ));
    let o = cli_build(tmp.path(), &root, None, false);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(snapshot(&public), before);
    assert_eq!(staging_leftovers(&root), Vec::<String>::new());

    // A template that fails only while rendering (unknown variable).
    put(
        &root,
        "templates/index.html",
        "{{ no_such_variable.field }}",
    );
    assert!(matches!(
        build(&root, None, false),
        Err(Error::Content(d)) if d[0].code == Some("RB131")
    ));
    assert_eq!(snapshot(&public), before);
    assert_eq!(staging_leftovers(&root), Vec::<String>::new());
    assert_eq!(
        std::fs::read_to_string(root.join("sentinel.txt")).unwrap(),
        "sentinel in the root\n"
    );
}

#[test]
fn a_second_build_call_after_a_content_error_still_fails() {
    // The same `Site` asked twice: the second call must not write what the first refused.
    let (tmp, root, _) = safety_fixture();
    put(
        &root,
        "content/huiyi-zuzhi/broken.md",
        "---\ntitle: 坏文件\norder: [1, 2\n---\n",
    );
    let mut site = Site::new(&root);
    assert!(matches!(site.build(None, false), Err(Error::Content(_))));
    assert!(
        matches!(site.build(None, false), Err(Error::Content(_))),
        "second build() wrote the output"
    );
    assert!(!root.join("public").exists());
    assert_eq!(staging_leftovers(&root), Vec::<String>::new());
    drop(tmp);
}

#[test]
fn build_after_check_with_errors_fails() {
    let (_tmp, root, _) = safety_fixture();
    build(&root, None, false).unwrap();
    let before = snapshot(&root.join("public"));
    put(
        &root,
        "content/huiyi-zuzhi/broken.md",
        "---\ntitle: 坏文件\norder: [1, 2\n---\n",
    );
    let mut site = Site::new(&root);
    assert!(site.check().iter().any(|d| d.is_error()));
    let r = site.build(None, false);
    assert!(
        matches!(r, Err(Error::Content(_))),
        "build() after check() found errors: {:?}",
        r.map(|r| r.files)
    );
    assert_eq!(snapshot(&root.join("public")), before);
}

#[test]
fn concurrent_builds_of_one_output_never_publish_a_partial_site() {
    // Builds of the same output from one process (a library user, a watch mode, parallel tests) must
    // not share a staging folder: one would delete or publish the other's half-written files. Each
    // build either succeeds or fails cleanly; the folder left is one complete build.
    let (tmp, root, _) = safety_fixture();
    let out = root.join("public");
    build(&root, None, false).unwrap();
    for _ in 0..3 {
        let results: Vec<rulebook::Result<rulebook::BuildReport>> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..4)
                .map(|_| s.spawn(|| build(&root, None, false)))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(results.iter().any(Result::is_ok), "{results:?}");
        for r in &results {
            assert!(matches!(r, Ok(_) | Err(Error::Write { .. })), "{r:?}");
        }
        assert_same_tree(&out, common::seed_site());
        assert_eq!(staging_leftovers(&root), Vec::<String>::new());
    }
    drop(tmp);
}

#[test]
fn failed_write_changes_nothing() {
    // The output's parent is a file, so the staging folder cannot be created: the build fails at the
    // write stage, after rendering. Nothing on disk may change, and the previous output stays.
    let (tmp, root, _) = safety_fixture();
    let out = tmp.path().join("out");
    build(&root, Some(&out), false).unwrap();
    let before = snapshot(tmp.path());
    let bad = tmp.path().join("beside.txt/out");
    assert!(matches!(
        build(&root, Some(&bad), false),
        Err(Error::Write { .. })
    ));
    let o = cli_build(tmp.path(), &root, Some(&bad), false);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("error: cannot write "),
        "{}",
        stderr(&o)
    );
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn sentinels_survive_every_build() {
    let (tmp, root, foreign) = safety_fixture();
    let out = tmp.path().join("out");
    put(tmp.path(), "out-sibling.txt", "beside the output\n");
    let sentinels = [
        (tmp.path().join("beside.txt"), "sentinel beside the site\n"),
        (tmp.path().join("out-sibling.txt"), "beside the output\n"),
        (root.join("sentinel.txt"), "sentinel in the root\n"),
    ];
    let content = snapshot(&root.join("content"));
    let check = |step: &str| {
        for (p, t) in &sentinels {
            assert_eq!(
                std::fs::read_to_string(p).ok().as_deref(),
                Some(*t),
                "after {step}: {}",
                p.display()
            );
        }
        assert_eq!(
            snapshot(&root.join("content")),
            content,
            "after {step}: content changed"
        );
        assert_eq!(
            staging_leftovers(tmp.path()),
            Vec::<String>::new(),
            "after {step}"
        );
        assert_eq!(
            staging_leftovers(&root),
            Vec::<String>::new(),
            "after {step}"
        );
    };
    build(&root, None, false).unwrap();
    check("first default build");
    build(&root, None, false).unwrap();
    check("rebuild");
    build(&root, Some(&out), false).unwrap();
    check("build to a sibling folder");
    build(&root, Some(&out), false).unwrap();
    check("rebuild of the sibling folder");
    build(&root, Some(&foreign), true).unwrap();
    check("forced build");
    assert!(build(&root, Some(&root), true).is_err());
    check("refused build");
    let o = cli_build(tmp.path(), &root, Some(Path::new("out")), false);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    check("CLI build with a relative --out");
}

#[test]
fn content_cannot_make_a_page_path_leave_the_output_folder() {
    // A page's path is built from content: `category:` from the front-matter names the category page.
    // `../` in it must never write beside (or above) the output folder.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("a/b/site");
    put(
        &root,
        "content/x/t.md",
        "---\ntitle: 逃逸\ncategory: \"../../../../escaped\"\n---\n\n第一条　正文。\n",
    );
    put(&root, "content/x/ok.md", GOOD);
    let before = snapshot(tmp.path());
    // Stopped twice over: as a content error with file and line, and by the writer's guard behind it.
    let r = build(&root, None, false);
    assert!(
        matches!(&r, Err(Error::Content(d)) if d.iter().any(|d| d.is_error() && d.line == 3 && d.message.contains("cannot be used as a category"))),
        "{r:?}"
    );
    assert_eq!(
        snapshot(tmp.path()),
        before,
        "files were written outside the output folder"
    );
    let o = cli_build(tmp.path(), &root, None, false);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("content/x/t.md:3:1"), "{}", stderr(&o));
    assert_eq!(
        snapshot(tmp.path()),
        before,
        "files were written outside the output folder"
    );
}

#[test]
fn category_with_path_characters_is_a_content_error() {
    let dir = fixture_site(&[
        (
            "content/x/t.md",
            "---\ntitle: 逃逸\ncategory: \"../escaped\"\n---\n\n第一条　正文。\n",
        ),
        ("content/x/ok.md", GOOD),
    ]);
    let e = build(dir.path(), None, false).unwrap_err();
    let d: Vec<_> = e.diagnostics().iter().filter(|d| d.is_error()).collect();
    assert_eq!(d.len(), 1, "{e:?}");
    assert_eq!(
        (d[0].path.as_path(), d[0].line),
        (Path::new("content/x/t.md"), 3),
        "{e:?}"
    );
    assert!(d[0].help.is_some());
}

#[test]
fn two_pages_with_one_path_fail_instead_of_racing() {
    // Two output files with one path would be written in parallel, and which survives would vary from
    // build to build; the writer refuses and writes nothing. (Content cannot produce this any more:
    // see top_level_files_and_a_folder_named_uncategorised_build. The guard stays.)
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let page = |bytes: &[u8]| rulebook::output::write::OutputFile {
        path: "categories/x.html".into(),
        bytes: bytes.to_vec(),
    };
    let r = rulebook::output::write::write_site(&out, &[page(b"a"), page(b"b")]);
    assert!(
        matches!(&r, Err(Error::Write { path, source }) if path.ends_with("public/categories/x.html") && source.kind() == std::io::ErrorKind::AlreadyExists),
        "{r:?}"
    );
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no staging folder left"
    );
    // A path that leaves the output folder is refused the same way, before anything is written.
    let escape = rulebook::output::write::OutputFile {
        path: "../escaped.html".into(),
        bytes: b"x".to_vec(),
    };
    let r = rulebook::output::write::write_site(&out, &[escape]);
    assert!(
        matches!(&r, Err(Error::UnsafeOutput { reason, .. }) if reason.contains("leads outside the output folder")),
        "{r:?}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn top_level_files_and_a_folder_named_uncategorised_build() {
    let dir = fixture_site(&[
        ("content/top.md", "---\ntitle: 顶层\n---\n\n第一条　甲。\n"),
        (
            "content/uncategorised/x.md",
            "---\ntitle: 子目录\n---\n\n第一条　乙。\n",
        ),
    ]);
    let mut site = Site::new(dir.path());
    match site.build(None, false) {
        // Either a content error naming the folder's file…
        Err(Error::Content(d)) => assert!(
            d.iter()
                .any(|d| d.is_error() && d.path.starts_with("content/uncategorised")),
            "{d:#?}"
        ),
        // …or two categories with two pages, each regulation listed once.
        Ok(_) => {
            let out = dir.path().join("public");
            let mut listed = Vec::new();
            for (p, _) in all_files(&out.join("categories")) {
                listed.extend(linked_regulations(main_of(&page(
                    &out,
                    &format!("categories/{p}"),
                ))));
            }
            listed.sort();
            assert_eq!(listed, ["top", "uncategorised-x"]);
        }
        Err(e) => panic!("{e:?}"),
    }
}

#[test]
fn a_file_as_output_is_refused() {
    let (tmp, root, _) = safety_fixture();
    let before = snapshot(tmp.path());
    let out = tmp.path().join("beside.txt");
    assert_eq!(
        unsafe_reason(build(&root, Some(&out), true)),
        "it is a file, not a folder"
    );
    assert_eq!(snapshot(tmp.path()), before);
}

// ---------------------------------------------------------------------------------------------------
// 3. Exclusion of drafts and classified documents
// ---------------------------------------------------------------------------------------------------

const DRAFT: &str = "---
title: 草稿标记ZQX管理办法
id: zqx-draft
order: 9
draft: true
aliases: [草稿标记ZQX别名]
summary: 草稿标记ZQX摘要
---

第一条　草稿标记ZQX正文，不得出现在输出中。

第二条　草稿标记ZQX第二条。
";

const SECRET: &str = "---
title: 机密标记JMX办法
id: jmx-secret
order: 8
classification: 机密
aliases: [机密标记JMX别名]
subtitle: 机密标记JMX副标题
---

第一条　机密标记JMX正文，不得出现在输出中。
";

const DRAFT_PROCEDURE: &str = "id: zqx-draft-liucheng
title: 草稿标记ZQX流程
regulation: zqx-draft
clause: art1
steps:
  - text: 草稿标记ZQX第一步
    role: 主要领导
    clause: art1
";

/// The bundled site plus a draft (in an existing category), a 机密 document (in a folder of its own)
/// and a procedure of the draft.
fn exclusion_fixture() -> (tempfile::TempDir, PathBuf) {
    let (tmp, root) = bundled_copy();
    put(&root, "content/huiyi-zuzhi/zqx-draft.md", DRAFT);
    put(&root, "content/jmx-folder/jmx-secret.md", SECRET);
    put(&root, "content/procedures/x.yaml", DRAFT_PROCEDURE);
    (tmp, root)
}

/// Every output file that contains `marker` (case-insensitive for ASCII).
fn files_with(out: &Path, marker: &str) -> Vec<String> {
    let m = marker.to_lowercase();
    all_files(out)
        .into_iter()
        .filter(|(_, b)| contains(&b.to_ascii_lowercase(), &m))
        .map(|(p, _)| p)
        .collect()
}

#[test]
fn drafts_and_classified_documents_are_excluded_everywhere() {
    let (_tmp, root) = exclusion_fixture();
    let out = root.join("public");
    let mut site = Site::new(&root);
    let r = site
        .build(None, false)
        .unwrap_or_else(|e| panic!("{e}: {:#?}", e.diagnostics()));
    assert_eq!(r.documents, 24);
    let withheld: Vec<&str> = site.withheld.iter().map(|w| w.id.as_str()).collect();
    assert_eq!(withheld, ["zqx-draft", "jmx-secret"]);
    assert!(r.warnings.is_empty(), "{:#?}", r.warnings);

    for marker in [
        "草稿标记",
        "ZQX",
        "机密标记",
        "JMX",
        "zqx-draft",
        "jmx-secret",
        "jmx-folder",
        "x.yaml",
    ] {
        assert_eq!(
            files_with(&out, marker),
            Vec::<String>::new(),
            "{marker} leaked"
        );
    }
    for p in [
        "regulations/zqx-draft.html",
        "regulations/jmx-secret.html",
        "categories/jmx-folder.html",
    ] {
        assert!(!out.join(p).exists(), "{p}");
    }
    // The search index: the markers above are checked in its files too, but its postings hold the
    // text cut into bigrams, so look for the markers' own bigrams among the keys, and ask it.
    let index = all_files(&out.join("search"));
    assert!(index.len() > 30, "{} search files", index.len());
    let mut keys = std::collections::BTreeSet::new();
    for (p, bytes) in &index {
        let (_, data) = rulebook::search::format::parse_script(bytes).unwrap();
        if p.starts_with("s/") {
            keys.extend(data.as_object().unwrap().keys().cloned());
        }
    }
    assert!(keys.contains("草稿"), "the seed's 草稿纸 is indexed");
    for leak in [
        "稿标", "zq", "qx", "jm", "mx", "密标", "^稿标", "^zq", "^jm",
    ] {
        assert!(!keys.contains(leak), "{leak} leaked into the search index");
    }
    let engine =
        rulebook::search::query::Engine::new(|name: &str| std::fs::read(out.join(name)).ok());
    for q in ["草稿标记ZQX", "ZQX", "机密标记", "JMX", "草稿标记ZQX第一步"] {
        let hits = engine.search(q, &Default::default());
        assert!(hits.is_empty(), "{q}: {hits:?}");
    }
    assert_eq!(
        std::fs::read_dir(out.join("regulations")).unwrap().count(),
        24
    );

    let home = page(&out, "index.html");
    let listed = linked_regulations(main_of(&home));
    assert_eq!(listed.len(), 24, "{listed:?}");
    assert!(
        html_text(main_of(&home)).contains("24 篇制度"),
        "{}",
        html_text(main_of(&home))
    );
    let mut on_category_pages = Vec::new();
    for (p, _) in all_files(&out.join("categories")) {
        on_category_pages.extend(linked_regulations(main_of(&page(
            &out,
            &format!("categories/{p}"),
        ))));
    }
    assert_eq!(on_category_pages.len(), 24, "{on_category_pages:?}");
    let (mut a, mut b) = (listed.clone(), on_category_pages.clone());
    a.sort();
    b.sort();
    a.dedup();
    assert_eq!(a.len(), 24);
    assert_eq!(a, b, "home and category pages list the same regulations");
    assert_eq!(
        linked_regulations(main_of(&page(&out, "categories/huiyi-zuzhi.html"))),
        ["huiyi", "minzhu-shenghuohui", "sanhui-yike"]
    );
    // The navigation's count and prev/next agree: the last of its category has no "next".
    let sanhui = page(&out, "regulations/sanhui-yike.html");
    assert!(
        sanhui.contains("huiyi-zuzhi.html\">会议与组织生活</a> <span class=\"count\">3</span>"),
        "{sanhui}"
    );
    assert!(!sanhui.contains("rel=next"));
}

#[test]
fn publish_level_admits_classified_documents_but_never_drafts() {
    let (_tmp, root) = exclusion_fixture();
    let site_yaml = std::fs::read_to_string(root.join("content/site.yaml")).unwrap();
    assert!(
        !site_yaml.contains("publish_level"),
        "the bundled site.yaml already sets publish_level"
    );
    std::fs::write(
        root.join("content/site.yaml"),
        format!("{site_yaml}publish_level: 机密\n"),
    )
    .unwrap();
    let out = root.join("public");
    let mut site = Site::new(&root);
    let r = site
        .build(None, false)
        .unwrap_or_else(|e| panic!("{e}: {:#?}", e.diagnostics()));
    assert_eq!(r.documents, 25);
    assert_eq!(
        site.withheld
            .iter()
            .map(|w| w.id.as_str())
            .collect::<Vec<_>>(),
        ["zqx-draft"]
    );

    for marker in ["草稿标记", "ZQX", "zqx-draft"] {
        assert_eq!(
            files_with(&out, marker),
            Vec::<String>::new(),
            "{marker} leaked"
        );
    }
    assert!(!out.join("regulations/zqx-draft.html").exists());
    let secret = page(&out, "regulations/jmx-secret.html");
    let text = html_text(main_of(&secret));
    for s in [
        "机密标记JMX办法",
        "机密标记JMX副标题",
        "机密标记JMX别名",
        "机密标记JMX正文，不得出现在输出中。",
    ] {
        assert!(text.contains(s), "{s} missing from {text}");
    }
    let home = page(&out, "index.html");
    let listed = linked_regulations(main_of(&home));
    assert_eq!(listed.len(), 25);
    assert_eq!(
        listed.last().map(String::as_str),
        Some("jmx-secret"),
        "a folder not in site.yaml comes last"
    );
    assert_eq!(
        linked_regulations(main_of(&page(&out, "categories/jmx-folder.html"))),
        ["jmx-secret"]
    );
}

#[test]
fn publish_level_default_is_internal_with_and_without_site_yaml() {
    // The documented default publish level is 内部: an 内部 document is published and a 秘密 one is not,
    // whether site.yaml is missing, empty, or silent about publish_level.
    let reg =
        |c: &str| format!("---\ntitle: 文件{c}\nclassification: {c}\n---\n\n第一条　正文。\n");
    for site_yaml in [None, Some(""), Some("title: 手册\n")] {
        let mut files = vec![
            ("content/a/neibu.md".to_string(), reg("内部")),
            ("content/a/gongkai.md".to_string(), reg("公开")),
            ("content/a/mimi.md".to_string(), reg("秘密")),
        ];
        if let Some(y) = site_yaml {
            files.push(("content/site.yaml".into(), y.into()));
        }
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let dir = fixture_site(&refs);
        let mut site = Site::new(dir.path());
        site.build(None, false).unwrap();
        let ids: Vec<&str> = site
            .library
            .as_ref()
            .unwrap()
            .regulations
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(ids, ["a-gongkai", "a-neibu"], "site.yaml {site_yaml:?}");
        assert_eq!(
            site.withheld
                .iter()
                .map(|w| w.id.as_str())
                .collect::<Vec<_>>(),
            ["a-mimi"],
            "site.yaml {site_yaml:?}"
        );
    }
}

#[test]
fn reference_to_a_withheld_regulation_warns_and_stays_plain() {
    // A published regulation that cites an excluded one by title must not link to a page that does
    // not exist: the citation was inferred from the text, so it is a warning naming the citing file
    // and line, and the title stays plain text.
    let (_tmp, root) = exclusion_fixture();
    put(
        &root,
        "content/huiyi-zuzhi/cite.md",
        "---\ntitle: 引用测试\nid: cite\n---\n\n第一条　总则。\n\n第二条　依照《机密标记JMX办法》第一条和《草稿标记ZQX管理办法》执行。\n",
    );
    let report = build(&root, None, false).unwrap();
    let cite: Vec<_> = report
        .warnings
        .iter()
        .filter(|d| d.path == Path::new("content/huiyi-zuzhi/cite.md"))
        .collect();
    assert_eq!(cite.len(), 2, "{:#?}", report.warnings);
    assert!(cite.iter().all(|d| d.line == 8), "{cite:#?}");
    assert!(
        cite.iter()
            .all(|d| d.help.is_some() && d.message.contains("not published")),
        "{cite:#?}"
    );
    let page = std::fs::read_to_string(root.join("public/regulations/cite.html")).unwrap();
    assert!(page.contains("依照《机密标记JMX办法》第一条和《草稿标记ZQX管理办法》执行"));
    for (path, bytes) in all_files(&root.join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        for withheld in [
            "机密标记JMX正文",
            "草稿标记ZQX正文",
            "jmx-secret",
            "zqx-draft",
        ] {
            assert!(!text.contains(withheld), "{path}: {withheld}");
        }
    }
    // With warnings denied (an office's CI), the same fails through the CLI, nothing written.
    std::fs::remove_dir_all(root.join("public")).unwrap();
    let o = rulebook(
        &root,
        &[
            "build".as_ref(),
            "--deny-warnings".as_ref(),
            "--root".as_ref(),
            root.as_os_str(),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("content/huiyi-zuzhi/cite.md:8:"),
        "{}",
        stderr(&o)
    );
    assert!(!root.join("public").exists());
}

// ---------------------------------------------------------------------------------------------------
// 4. Escaping
// ---------------------------------------------------------------------------------------------------

const HOSTILE_SITE: &str = "title: '<b>粗体</b>站点 & 手册'\norganisation: '<i>机关</i> & 办'\n";

const HOSTILE_REG: &str = r#"---
title: "<script>alert(1)</script>标题"
id: hostile
order: 1
subtitle: '"><img src=x onerror=alert(1)></title>副标题 & 附'
summary: '"><img src=x onerror=alert(2)>摘要 & 说明'
aliases: ['"><img src=x onerror=alert(3)>别名', '甲 & 乙']
issuer: '<b>机关</b>'
---

前言<sup>注</sup>。

第一条　正文<sup>2</sup>与换行<br>继续。<script>alert(4)</script><a href="javascript:alert(5)">链接</a><span onclick="alert(6)">点</span>

<iframe src="https://evil.example/x"></iframe>

<table><tr><td onclick="alert(7)">单元格</td><td>普通</td></tr></table>

第二条　<a href="https://example.org/ok" onmouseover="alert(8)">好链接</a>结束。
"#;

const NEIGHBOUR: &str = "---\ntitle: 邻居制度\nid: neighbour\norder: 2\n---\n\n第一条　无。\n";

fn hostile_site(extra_site_yaml: &str) -> (tempfile::TempDir, PathBuf) {
    let site = format!("{HOSTILE_SITE}{extra_site_yaml}");
    let dir = fixture_site(&[
        ("content/site.yaml", &site),
        ("content/a/hostile.md", HOSTILE_REG),
        ("content/a/neighbour.md", NEIGHBOUR),
    ]);
    let out = dir.path().join("public");
    Site::new(dir.path())
        .build(None, false)
        .unwrap_or_else(|e| panic!("{e}: {:#?}", e.diagnostics()));
    (dir, out)
}

/// The escaped title, as it appears wherever the title is shown in the page body.
const TITLE_ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;标题";

/// Decode the entities the renderer and the minifier emit.
fn decode(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// (raw contents of the page's `<title>` element, the page with that element cut out).
fn cut_title(html: &str) -> (&str, String) {
    let start = html.find("<title>").expect("<title>");
    let end = start + html[start..].find("</title>").expect("</title>");
    (
        &html[start + "<title>".len()..end],
        format!("{}{}", &html[..start], &html[end + "</title>".len()..]),
    )
}

#[test]
fn hostile_front_matter_and_body_are_neutralised() {
    let (_dir, out) = hostile_site("");
    let files = all_files(&out);
    // Every file is checked below, whatever pages the build grows; these must be among them.
    let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    for p in [
        MARKER,
        "404.html",
        "assets/rulebook.js",
        "categories/a.html",
        "index.html",
        "regulations/hostile.html",
        "regulations/neighbour.html",
    ] {
        assert!(names.contains(&p), "{p} missing from {names:?}");
    }
    let theme_script = regex::Regex::new(
        r#"<script src="?(\.\./|/)?assets/(rulebook|search|preview)\.js"?></script>"#,
    )
    .unwrap();
    for (path, bytes) in &files {
        let (title, rest) = match std::str::from_utf8(bytes) {
            Ok(html) if path.ends_with(".html") => {
                // A hostile title cannot end the <title> element early: the page has exactly one end tag.
                assert_eq!(count(html, "</title>"), 1, "{path}");
                let (t, r) = cut_title(html);
                (Some(t.to_string()), r.into_bytes())
            }
            _ => (None, bytes.clone()),
        };
        // Outside <title> (see `no_raw_markup_bytes_in_title` for inside it), the hostile strings do not
        // occur at all, not even as text: scripts, handlers and javascript: URLs are removed from the body.
        for bad in [
            "<script>alert",
            "onclick=",
            "onmouseover=",
            "javascript:",
            "<iframe",
            "<img",
            "<b>",
            "<i>",
        ] {
            assert!(!contains(&rest, bad), "{path} contains {bad}");
        }
        let Some(title) = title else { continue };
        let html = std::str::from_utf8(&rest).unwrap();
        // The only scripts are the theme's own (rulebook.js, search.js, preview.js), each once
        // (print.html, a book to print, has none).
        let scripts = if path == "print.html" { 0 } else { 3 };
        assert_eq!(count(html, "<script"), scripts, "{path}");
        assert_eq!(theme_script.find_iter(html).count(), scripts, "{path}");
        for (tag, attrs) in tags(&String::from_utf8(bytes.clone()).unwrap()) {
            assert!(
                !["iframe", "img", "object", "embed", "b", "i"].contains(&tag.as_str()),
                "{path}: <{tag}>"
            );
            for (name, value) in attrs {
                assert!(!name.starts_with("on"), "{path}: <{tag} {name}={value}>");
                assert!(
                    !value.to_ascii_lowercase().contains("javascript"),
                    "{path}: <{tag} {name}={value}>"
                );
                assert!(
                    tag != "script"
                        || value.ends_with("assets/rulebook.js")
                        || value.ends_with("assets/search.js")
                        || value.ends_with("assets/preview.js"),
                    "{path}: <script {name}={value}>"
                );
            }
        }
        // `onerror=` may only appear as escaped text (it is part of the hostile subtitle, summary and
        // alias, which are shown as text): every occurrence is right after an escaped `<img src=x `.
        assert_eq!(
            count(html, "onerror="),
            count(html, "&lt;img src=x onerror="),
            "{path}"
        );
        // The site title and organisation are text on every page.
        assert!(
            html.contains("&lt;b&gt;粗体&lt;/b&gt;站点 &amp; 手册"),
            "{path}"
        );
        assert!(html.contains("&lt;i&gt;机关&lt;/i&gt; &amp; 办"), "{path}");
        assert!(
            decode(&title).ends_with("<b>粗体</b>站点 & 手册"),
            "{path}: {title}"
        );
    }

    let reg = page(&out, "regulations/hostile.html");
    let (title, _) = cut_title(&reg);
    // The browser's title: the text exactly as written, `</title>` included, closed only by the real end tag.
    assert_eq!(
        decode(title),
        "<script>alert(1)</script>标题（\"><img src=x onerror=alert(1)></title>副标题 & 附） - <b>粗体</b>站点 & 手册"
    );
    assert!(title.contains("&lt;/title&gt;副标题"), "{title}");
    let main = main_of(&reg);
    assert!(
        main.contains(&format!("<h1>{TITLE_ESCAPED}</h1>")),
        "{main}"
    );
    assert!(
        main.contains(
            "<p class=\"subtitle\">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;/title&gt;副标题 &amp; 附</p>"
        ),
        "{main}"
    );
    assert!(
        main.contains(
            "<p class=\"summary\">&quot;&gt;&lt;img src=x onerror=alert(2)&gt;摘要 &amp; 说明</p>"
        ),
        "{main}"
    );
    assert!(
        main.contains("<dd>&quot;&gt;&lt;img src=x onerror=alert(3)&gt;别名、甲 &amp; 乙</dd>"),
        "{main}"
    );
    assert!(main.contains("<dd>&lt;b&gt;机关&lt;/b&gt;</dd>"), "{main}");
    // Lists and neighbours show the title escaped too.
    for p in [
        "index.html",
        "categories/a.html",
        "regulations/neighbour.html",
    ] {
        let html = page(&out, p);
        let main = main_of(&html);
        let shown = if p.starts_with("regulations/") {
            // …with its subtitle, escaped as well.
            format!(
                "‹ 上一篇：{TITLE_ESCAPED}（&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;/title&gt;副标题 &amp; 附）</a>"
            )
        } else {
            format!("hostile.html\">{TITLE_ESCAPED}</a>")
        };
        assert!(main.contains(&shown), "{p}: {shown} not in {main}");
        assert_eq!(
            count(&html, "alert(1)&lt;/script&gt;"),
            1,
            "{p}: the title once"
        );
    }
    assert_eq!(
        html_text(main_of(&page(&out, "index.html")))
            .matches("<script>alert(1)</script>标题")
            .count(),
        1
    );

    // Safe raw HTML in the body survives; the rest is gone (with its content for <script>).
    let body = &main[main.find("reg-body").unwrap()..];
    assert!(body.contains(">前言<sup>注</sup>。</p>"), "{body}");
    assert!(body.contains("</a>　正文<sup>2</sup>与换行<br>继续。<a rel=\"noopener noreferrer\">链接</a><span>点</span></p>"), "{body}");
    assert!(
        body.contains("<table><tbody><tr><td>单元格</td><td>普通</td></tr></tbody></table>"),
        "{body}"
    );
    assert!(
        body.contains(
            "<a rel=\"noopener noreferrer\" href=https://example.org/ok>好链接</a>结束。"
        ),
        "{body}"
    );
    for gone in [
        "alert(4)",
        "alert(5)",
        "alert(6)",
        "alert(7)",
        "alert(8)",
        "evil.example",
    ] {
        assert!(!body.contains(gone), "{gone} in {body}");
    }
}

#[test]
fn no_raw_markup_bytes_in_title() {
    // Browsers read <title> as text up to `</title>` (which stays escaped), so this is not script
    // execution in a browser. But every other consumer of the files (grep-based audits, search
    // indexers, feed or print tooling scraping the head) sees `<script>alert(1)</script>` and
    // `<img src=x onerror=…>` as live markup. The rest of the page keeps them escaped; the title should too.
    let (_dir, out) = hostile_site("");
    for (path, bytes) in all_files(&out) {
        for bad in ["<script>alert", "<img", "<b>"] {
            assert!(!contains(&bytes, bad), "{path} contains {bad}");
        }
    }
}

#[test]
fn raw_html_escape_policy_shows_tags_as_text() {
    let (_dir, out) = hostile_site("raw_html: escape\n");
    let reg = page(&out, "regulations/hostile.html");
    let main = main_of(&reg);
    let body = &main[main.find("reg-body").unwrap()..];
    for shown in [
        ">前言&lt;sup>注&lt;/sup>。</p>",
        "正文&lt;sup>2&lt;/sup>与换行&lt;br>继续。&lt;script>alert(4)&lt;/script>&lt;a href=\"javascript:alert(5)\">链接&lt;/a>&lt;span onclick=\"alert(6)\">点&lt;/span></p>",
        "&lt;iframe src=\"https://evil.example/x\">&lt;/iframe>",
        "&lt;table>&lt;tr>&lt;td onclick=\"alert(7)\">单元格&lt;/td>&lt;td>普通&lt;/td>&lt;/tr>&lt;/table>",
    ] {
        assert!(body.contains(shown), "{shown} not in {body}");
    }
    for (tag, attrs) in tags(body) {
        assert!(
            !["sup", "br", "iframe", "table", "td", "span", "script"].contains(&tag.as_str()),
            "<{tag}> in {body}"
        );
        assert!(
            attrs.iter().all(|(n, _)| !n.starts_with("on")),
            "<{tag} {attrs:?}>"
        );
    }
    assert_eq!(
        count(&cut_title(&reg).1, "<script"),
        3,
        "only the theme's scripts (rulebook.js, search.js, preview.js) outside <title>"
    );
    assert!(html_text(body).contains("<script>alert(4)</script>"));
}

#[test]
fn raw_html_trust_policy_passes_html_through() {
    let (_dir, out) = hostile_site("raw_html: trust\n");
    let reg = page(&out, "regulations/hostile.html");
    let main = main_of(&reg);
    let body = &main[main.find("reg-body").unwrap()..];
    assert!(body.contains("前言<sup>注</sup>。"), "{body}");
    assert!(body.contains("<script>alert(4)</script>"), "{body}");
    // … except addresses the URL policy refuses, under every policy (src/url.rs): the link keeps its text.
    assert!(body.contains("正文<sup>2</sup>与换行<br>继续。<script>alert(4)</script><a>链接</a><span onclick=alert(6)>点</span></p>"), "{body}");
    assert!(body.contains("<iframe src=https://evil.example/x></iframe><table><tr><td onclick=alert(7)>单元格</td>"), "{body}");
    assert!(
        body.contains("<a href=https://example.org/ok onmouseover=alert(8)>好链接</a>"),
        "{body}"
    );
    // Trust concerns the body only: front-matter and site.yaml are still text.
    assert!(
        main.contains(&format!("<h1>{TITLE_ESCAPED}</h1>")),
        "{main}"
    );
    assert!(
        reg.contains("<a class=\"site-title\" href=\"../index.html\">&lt;b&gt;粗体&lt;/b&gt;站点 &amp; 手册</a>"),
        "{reg}"
    );
    // The theme's rulebook.js, search.js and preview.js, nothing else.
    assert_eq!(count(&page(&out, "index.html"), "<script"), 3);
}

#[test]
fn unknown_raw_html_policy_is_an_error() {
    let dir = fixture_site(&[
        ("content/site.yaml", "title: T\nraw_html: unsafe\n"),
        ("content/a/x.md", NEIGHBOUR),
    ]);
    let e = build(dir.path(), None, false).unwrap_err();
    let d = &e.diagnostics()[0];
    assert_eq!(
        (d.path.as_path(), d.line, d.severity),
        (Path::new("content/site.yaml"), 2, Severity::Error),
        "{d:?}"
    );
    assert!(d.message.contains("unsafe"), "{d:?}");
    assert!(!dir.path().join("public").exists());
}

// ---------------------------------------------------------------------------------------------------
// 5. Error reports of the command-line tool
// ---------------------------------------------------------------------------------------------------

const GOOD: &str = "---\ntitle: 正常制度\nid: good\n---\n\n第一条　正文。\n";

/// A small site with one good regulation plus `files`; runs `rulebook build` in its root.
fn cli_fixture(files: &[(&str, &str)]) -> (tempfile::TempDir, Output) {
    let mut all = vec![
        ("content/site.yaml", "title: 测试\n"),
        ("content/a/good.md", GOOD),
    ];
    all.extend_from_slice(files);
    let dir = fixture_site(&all);
    let o = rulebook(dir.path(), &["build".as_ref()]);
    (dir, o)
}

fn assert_failed(dir: &Path, o: &Output, errors: usize) {
    assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
    assert!(stdout(o).is_empty(), "{}", stdout(o));
    assert!(
        stderr(o).ends_with(&format!(
            "Build failed: {errors} error(s). The previous output was left untouched.\n"
        )),
        "{}",
        stderr(o)
    );
    assert!(!dir.join("public").exists());
}

#[test]
fn error_file_without_front_matter() {
    let (dir, o) = cli_fixture(&[("content/a/bare.md", "第一条　没有前言。\n")]);
    assert_failed(dir.path(), &o, 1);
    assert_eq!(
        printed(&stderr(&o)),
        [Printed {
            kind: "error".into(),
            message: "the file does not start with front-matter".into(),
            path: "content/a/bare.md".into(),
            line: 1,
            column: 1,
            source: Some("第一条　没有前言。".into()),
            help: Some(
                "begin the file with a line `---`, then `title: …`, then a closing `---` line"
                    .into()
            ),
        }]
    );
}

#[test]
fn error_invalid_yaml_reports_the_file_line() {
    // Front-matter line 3 (`  c: 2`, bad indentation) is file line 4: the opening `---` is file line 1.
    let text = "---\ntitle: 坏缩进\nb: 1\n  c: 2\nowner: 办公室\n---\n\n第一条　正文。\n";
    let (dir, o) = cli_fixture(&[("content/a/bad-yaml.md", text)]);
    assert_failed(dir.path(), &o, 1);
    let p = printed(&stderr(&o));
    assert_eq!(p.len(), 1, "{}", stderr(&o));
    let d = &p[0];
    assert_eq!(
        (d.kind.as_str(), d.path.as_str(), d.line),
        ("error", "content/a/bad-yaml.md", 4),
        "{}",
        stderr(&o)
    );
    assert_eq!(d.source.as_deref(), Some("  c: 2"));
    assert!(d.message.starts_with("invalid front-matter: "), "{d:?}");
    assert!(
        d.help
            .as_deref()
            .is_some_and(|h| h.contains("front-matter is YAML")),
        "{d:?}"
    );

    // An unclosed flow list, reported where the problem is seen (the last YAML line), as a file line.
    let text = "---\ntitle: 列表\naliases: [甲, 乙\n---\n\n第一条　正文。\n";
    let (dir, o) = cli_fixture(&[("content/a/bad-list.md", text)]);
    assert_failed(dir.path(), &o, 1);
    let d = &printed(&stderr(&o))[0];
    assert_eq!(
        (d.path.as_str(), d.line),
        ("content/a/bad-list.md", 3),
        "{}",
        stderr(&o)
    );

    // A wrong type (`order` must be a number) on front-matter line 3 = file line 4.
    let text = "---\ntitle: 类型\nid: leixing\norder: 第一\n---\n\n第一条　正文。\n";
    let (dir, o) = cli_fixture(&[("content/a/bad-type.md", text)]);
    assert_failed(dir.path(), &o, 1);
    let d = &printed(&stderr(&o))[0];
    assert_eq!(
        (d.path.as_str(), d.line),
        ("content/a/bad-type.md", 4),
        "{}",
        stderr(&o)
    );
    assert_eq!(d.source.as_deref(), Some("order: 第一"));
    assert!(
        d.message.contains("order") || d.message.contains("integer") || d.message.contains("i64"),
        "{d:?}"
    );
    assert!(d.help.is_some());
}

#[test]
fn error_missing_title() {
    let (dir, o) = cli_fixture(&[(
        "content/a/untitled.md",
        "---\nid: untitled\norder: 1\n---\n\n第一条　正文。\n",
    )]);
    assert_failed(dir.path(), &o, 1);
    assert_eq!(
        printed(&stderr(&o)),
        [Printed {
            kind: "error".into(),
            message: "the front-matter has no `title`".into(),
            path: "content/a/untitled.md".into(),
            line: 1,
            column: 1,
            source: Some("---".into()),
            help: Some(
                "add a line `title: <the regulation's title>` between the `---` lines".into()
            ),
        }]
    );
    // A blank title is no title, reported at its line.
    let (dir, o) = cli_fixture(&[("content/a/blank.md", "---\ntitle: \"  \"\n---\n")]);
    assert_failed(dir.path(), &o, 1);
    let p = &printed(&stderr(&o))[0];
    assert_eq!((p.message.as_str(), p.line), ("the `title` is empty", 2));
}

#[test]
fn error_duplicate_id_names_both_files() {
    let (dir, o) = cli_fixture(&[(
        "content/b/other.md",
        "---\ntitle: 另一个\norder: 2\nid: good\n---\n\n第一条　正文。\n",
    )]);
    assert_failed(dir.path(), &o, 1);
    assert_eq!(
        printed(&stderr(&o)),
        [Printed {
            kind: "error".into(),
            message: "id `good` is already used by content/a/good.md".into(),
            path: "content/b/other.md".into(),
            line: 4,
            column: 1,
            source: Some("id: good".into()),
            help: Some("give one of the two files a different `id:` (ids must be unique; the default is the file's path under content/)".into()),
        }]
    );
    // Also when one of them is a draft (ids are unique across published and withheld documents), and
    // when the id is the file's path (a file at the top of content/).
    let (dir, o) = cli_fixture(&[("content/good.md", "---\ntitle: 草稿\ndraft: true\n---\n")]);
    assert_failed(dir.path(), &o, 1);
    let p = printed(&stderr(&o));
    assert_eq!(p.len(), 1, "{}", stderr(&o));
    assert_eq!(
        (p[0].path.as_str(), p[0].message.as_str()),
        (
            "content/good.md",
            "id `good` is already used by content/a/good.md"
        )
    );
}

/// Whether this process can read a file whose permissions forbid it (root can).
fn reads_despite_chmod_000(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join("probe");
    std::fs::write(&p, "x").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read(&p).is_ok();
    std::fs::remove_file(&p).unwrap();
    readable
}

#[test]
fn error_unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let probe = tempfile::tempdir().unwrap();
    if !reads_despite_chmod_000(probe.path()) {
        // An ordinary user: chmod 000 makes the file unreadable.
        let dir = fixture_site(&[
            ("content/site.yaml", "title: 测试\n"),
            ("content/a/good.md", GOOD),
            ("content/a/locked.md", GOOD),
        ]);
        std::fs::set_permissions(
            dir.path().join("content/a/locked.md"),
            std::fs::Permissions::from_mode(0o000),
        )
        .unwrap();
        let o = rulebook(dir.path(), &["build".as_ref()]);
        assert_failed(dir.path(), &o, 1);
        let p = printed(&stderr(&o));
        assert_eq!(
            (p[0].path.as_str(), p[0].line, p[0].column),
            ("content/a/locked.md", 1, 1),
            "{}",
            stderr(&o)
        );
        assert!(p[0].message.starts_with("cannot read the file: "), "{p:?}");
        assert_eq!(
            p[0].help.as_deref(),
            Some("check that the file exists and is readable")
        );
    }
    // Tests run as root here, where chmod 000 does not stop reading. A file that cannot be read *as
    // text* is the case that matters on every machine: a non-UTF-8 file (GBK, as Windows editors save
    // Chinese). The error points at the line with the first bad byte.
    let dir = fixture_site(&[
        ("content/site.yaml", "title: 测试\n"),
        ("content/a/good.md", GOOD),
    ]);
    let mut gbk = b"---\ntitle: ok\n---\n\n".to_vec();
    gbk.extend([0xB5, 0xDA, 0xD2, 0xBB, 0xCC, 0xF5]); // 第一条 in GBK
    gbk.extend(b"\n");
    std::fs::write(dir.path().join("content/a/gbk.md"), gbk).unwrap();
    let o = rulebook(dir.path(), &["build".as_ref()]);
    assert_failed(dir.path(), &o, 1);
    let p = printed(&stderr(&o));
    assert_eq!(p.len(), 1, "{}", stderr(&o));
    assert_eq!(
        (
            p[0].kind.as_str(),
            p[0].path.as_str(),
            p[0].line,
            p[0].column,
            p[0].message.as_str()
        ),
        (
            "error",
            "content/a/gbk.md",
            5,
            1,
            "the file is not UTF-8: it looks like GB18030/GBK, as WPS and Word save Chinese text"
        ),
        "{}",
        stderr(&o)
    );
    assert!(
        p[0].help
            .as_deref()
            .is_some_and(|h| h.contains("--encoding gb18030")),
        "{:?}",
        p[0].help
    );
}

#[test]
fn folder_named_like_a_regulation_is_not_a_regulation() {
    // The other stand-in the brief allows for an unreadable file: a folder named `x.md`. It cannot be
    // read as a file, and it is not reported: the walk skips folders and goes into them. Pin that: the
    // build succeeds, `x` is no page, and the folder's own Markdown file is a regulation (of the
    // nested category `b-x.md`, under `b`).
    let dir = fixture_site(&[
        ("content/site.yaml", "title: 测试\n"),
        ("content/a/good.md", GOOD),
        ("content/b/x.md/inner.md", NEIGHBOUR),
    ]);
    let o = rulebook(dir.path(), &["build".as_ref()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("Built 2 documents, "),
        "{}",
        stdout(&o)
    );
    assert!(
        dir.path()
            .join("public/regulations/neighbour.html")
            .is_file()
    );
    assert!(!dir.path().join("public/regulations/x.html").exists());
    assert_eq!(
        linked_regulations(main_of(&page(
            &dir.path().join("public"),
            "categories/b-x.md.html"
        ))),
        ["neighbour"]
    );
}

#[test]
fn unknown_key_warns_with_the_nearest_known_key() {
    let text = "---\ntitle: 拼写\nid: pinxie\nower: 办公室\nsumary: 摘要\nflavour: 甜\n---\n\n第一条　正文。\n";
    let (dir, o) = cli_fixture(&[("content/a/typo.md", text)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("Built 2 documents, "),
        "{}",
        stdout(&o)
    );
    let p = printed(&stderr(&o));
    let w = |line: usize, key: &str, help: &str, src: &str| Printed {
        kind: "warning".into(),
        message: format!("unknown front-matter key `{key}` is ignored"),
        path: "content/a/typo.md".into(),
        line,
        column: 1,
        source: Some(src.into()),
        help: Some(help.into()),
    };
    assert_eq!(
        p,
        [
            w(4, "ower", "did you mean `owner`?", "ower: 办公室"),
            w(5, "sumary", "did you mean `summary`?", "sumary: 摘要"),
            w(
                6,
                "flavour",
                &format!(
                    "known keys: {}",
                    rulebook::content::load::KNOWN_KEYS.join(", ")
                ),
                "flavour: 甜"
            ),
        ],
        "{}",
        stderr(&o)
    );
    let page = page(&dir.path().join("public"), "regulations/pinxie.html");
    assert!(!page.contains("甜") && !page.contains("办公室"));
}

#[test]
fn all_errors_are_reported_at_once() {
    let (dir, o) = cli_fixture(&[
        ("content/a/bare.md", "no front-matter\n"),
        ("content/a/untitled.md", "---\nid: untitled\n---\n"),
        ("content/b/dup.md", "---\ntitle: 重复\nid: good\n---\n"),
    ]);
    assert_failed(dir.path(), &o, 3);
    let p = printed(&stderr(&o));
    let at: Vec<(&str, usize)> = p.iter().map(|d| (d.path.as_str(), d.line)).collect();
    assert_eq!(
        at,
        [
            ("content/a/bare.md", 1),
            ("content/a/untitled.md", 1),
            ("content/b/dup.md", 3),
            // A warning: the file has no text.
            ("content/b/dup.md", 4)
        ]
    );
}
