//! Safety of the output folder (issue 7, "Nothing lost"): rulebook deletes only files it wrote (the
//! manifest in `.rulebook-output`), `--force` keeps foreign files, every path check sees through
//! symlinks, system and home folders are refused, and killed builds leave nothing behind for long.
//!
//! Every test works inside its own temporary folder.
#![cfg(unix)]

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{listing, put, snapshot};
use rulebook::output::write::{self, MARKER};
use rulebook::{Error, Site};

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

const A: &str = "---\ntitle: 甲制度\n---\n一、第一项。\n";
const B: &str = "---\ntitle: 乙制度\n---\n一、第一项。\n";

/// A temporary folder holding the minimal site `site/` (content/a.md); returns (tmp, site root).
fn minimal() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    put(&root, "content/a.md", A);
    (tmp, root)
}

/// Names under `dir` that look like rulebook's work folders.
fn work_folders(dir: &Path) -> Vec<String> {
    listing(dir)
        .into_iter()
        .filter(|n| n != MARKER && n.contains(".rulebook-"))
        .collect()
}

/// Run the real binary in `cwd` with `HOME=/x`.
fn rulebook(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .current_dir(cwd)
        .env("HOME", "/x")
        .args(args)
        .output()
        .expect("run rulebook")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The reason of an [`Error::UnsafeOutput`], panicking on anything else.
fn unsafe_reason<T: std::fmt::Debug>(r: rulebook::Result<T>) -> String {
    match r {
        Err(Error::UnsafeOutput { reason, .. }) => reason,
        other => panic!("expected UnsafeOutput, got {other:?}"),
    }
}

fn build(root: &Path, out: &Path, force: bool) -> rulebook::Result<rulebook::BuildReport> {
    Site::new(root).build(Some(out), force)
}

/// A process id that is certainly not running: a child that has exited and been reaped.
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

// ---------------------------------------------------------------------------------------------------
// 1. --force keeps foreign files; rulebook deletes only what its manifest lists
// ---------------------------------------------------------------------------------------------------

#[test]
fn cli_force_keeps_a_foreign_file_byte_identical() {
    // The reported case: `mkdir -p t/u; touch t/u/keep; rulebook build --out t/u --force`.
    let (tmp, _root) = minimal();
    let keep = "用户的文件 — keep me\n\0binary\u{1}";
    put(tmp.path(), "t/u/keep", keep);
    put(tmp.path(), "t/u/sub/notes.txt", "notes\n");
    for round in 0..2 {
        let o = rulebook(
            tmp.path(),
            &["build", "--root", "site", "--out", "t/u", "--force"],
        );
        assert_eq!(o.status.code(), Some(0), "round {round}: {}", stderr(&o));
        let u = tmp.path().join("t/u");
        assert_eq!(std::fs::read(u.join("keep")).unwrap(), keep.as_bytes());
        assert_eq!(
            std::fs::read_to_string(u.join("sub/notes.txt")).unwrap(),
            "notes\n"
        );
        // The site is built next to it.
        assert!(u.join("index.html").is_file());
        assert!(u.join("regulations/a.html").is_file());
        assert!(u.join(MARKER).is_file());
        assert_eq!(work_folders(&u), Vec::<String>::new(), "round {round}");
        assert_eq!(work_folders(&tmp.path().join("t")), Vec::<String>::new());
    }
}

#[test]
fn rebuild_removes_only_generated_files_that_are_gone() {
    let (tmp, root) = minimal();
    put(&root, "content/b.md", B);
    let out = tmp.path().join("out");
    put(&out, "mine.txt", "the user's\n");
    put(&out, "regulations/mine.html", "the user's page\n");
    build(&root, &out, true).unwrap();
    assert!(out.join("regulations/b.html").is_file());
    // b is withdrawn: its page goes, the user's files stay.
    std::fs::remove_file(root.join("content/b.md")).unwrap();
    build(&root, &out, true).unwrap();
    assert!(!out.join("regulations/b.html").exists());
    assert!(out.join("regulations/a.html").is_file());
    assert_eq!(
        std::fs::read_to_string(out.join("mine.txt")).unwrap(),
        "the user's\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("regulations/mine.html")).unwrap(),
        "the user's page\n"
    );
}

#[test]
fn a_generated_path_held_by_a_foreign_file_is_an_error_not_an_overwrite() {
    let (tmp, root) = minimal();
    let out = tmp.path().join("out");
    put(&out, "index.html", "the user's own index\n");
    put(&out, "notes.txt", "notes\n");
    let before = snapshot(tmp.path());
    let r = build(&root, &out, true);
    let reason = unsafe_reason(r);
    assert!(reason.contains("index.html"), "{reason}");
    assert_eq!(snapshot(tmp.path()), before);
    // The same when the foreign file appears in a folder that rulebook generated earlier.
    std::fs::remove_file(out.join("index.html")).unwrap();
    build(&root, &out, true).unwrap();
    put(&root, "content/b.md", B);
    put(&out, "regulations/b.html", "the user's b\n");
    let before = snapshot(tmp.path());
    let reason = unsafe_reason(build(&root, &out, true));
    assert!(reason.contains("regulations/b.html"), "{reason}");
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn foreign_files_in_an_own_output_need_force_and_are_kept() {
    let (tmp, root) = minimal();
    let out = root.join("public");
    Site::new(&root).build(None, false).unwrap();
    put(&out, "robots.txt", "User-agent: *\n");
    let before = snapshot(tmp.path());
    let reason = unsafe_reason(Site::new(&root).build(None, false));
    assert!(
        reason.starts_with("it holds files rulebook did not generate")
            && reason.contains("robots.txt"),
        "{reason}"
    );
    assert!(!reason.contains("replace"), "{reason}");
    assert_eq!(snapshot(tmp.path()), before);
    Site::new(&root).build(None, true).unwrap();
    assert_eq!(
        std::fs::read_to_string(out.join("robots.txt")).unwrap(),
        "User-agent: *\n"
    );
    // The CLI says what --force does now.
    let o = rulebook(tmp.path(), &["build", "--root", "site"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("replace it"), "{}", stderr(&o));
    let help = rulebook(tmp.path(), &["build", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    assert!(help.contains("--force"), "{help}");
    assert!(!help.contains("Replace"), "{help}");
    // The site is Chinese, and so is its help (issue 24, item 7): the files are kept.
    assert!(help.contains("保留不动"), "{help}");
}

#[test]
fn own_output_rebuild_swaps_atomically_and_links_unchanged_pages() {
    use std::os::unix::fs::MetadataExt;
    let (tmp, root) = minimal();
    put(&root, "content/b.md", B);
    let out = tmp.path().join("out");
    build(&root, &out, false).unwrap();
    let dir_inode = std::fs::metadata(&out).unwrap().ino();
    let page_inode = std::fs::metadata(out.join("assets/style.css"))
        .unwrap()
        .ino();
    std::fs::remove_file(root.join("content/b.md")).unwrap();
    build(&root, &out, false).unwrap();
    // A new folder was swapped in (atomic), the unchanged page is the same file (hard link), the
    // withdrawn one is gone, and nothing is left beside the output.
    assert_ne!(std::fs::metadata(&out).unwrap().ino(), dir_inode);
    assert_eq!(
        std::fs::metadata(out.join("assets/style.css"))
            .unwrap()
            .ino(),
        page_inode
    );
    assert!(!out.join("regulations/b.html").exists());
    assert_eq!(work_folders(tmp.path()), Vec::<String>::new());
    // The manifest lists exactly the generated files and folders.
    let text = std::fs::read_to_string(out.join(MARKER)).unwrap();
    let listed: Vec<&str> = text.split("\n\n").nth(1).unwrap().lines().collect();
    let mut want: Vec<String> = common::all_files(&out)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p != MARKER)
        .collect();
    want.extend(
        [
            "assets/",
            "categories/",
            "preview/",
            "preview/r/",
            "regulations/",
            // (No roles.yaml: no role pages, so no roles/.)
            "search/",
            "search/s/",
            "search/t/",
        ]
        .map(String::from),
    );
    want.sort();
    assert_eq!(listed, want);
}

#[test]
fn a_failed_build_leaves_a_forced_folder_byte_identical() {
    let (tmp, root) = minimal();
    let out = tmp.path().join("out");
    put(&out, "keep.txt", "keep\n");
    build(&root, &out, true).unwrap();
    let before = snapshot(&out);
    // A content error, a template error and a collision: nothing changes.
    put(&root, "content/bad.md", "---\ntitle: [\n---\n");
    assert!(matches!(build(&root, &out, true), Err(Error::Content(_))));
    assert_eq!(snapshot(&out), before);
    std::fs::remove_file(root.join("content/bad.md")).unwrap();
    put(&root, "templates/index.html", "{% if %}");
    assert!(matches!(
        build(&root, &out, true),
        Err(Error::Content(d)) if d[0].code == Some("RB130")
    ));
    assert_eq!(snapshot(&out), before);
    std::fs::remove_file(root.join("templates/index.html")).unwrap();
    put(&root, "content/b.md", B);
    put(&out, "regulations/b.html", "the user's b\n");
    let before = snapshot(tmp.path());
    assert!(matches!(
        build(&root, &out, true),
        Err(Error::UnsafeOutput { .. })
    ));
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn a_tampered_manifest_cannot_delete_outside_the_output() {
    let (tmp, root) = minimal();
    let out = tmp.path().join("site/public");
    Site::new(&root).build(None, false).unwrap();
    put(tmp.path(), "outside.txt", "outside\n");
    put(&root, "content/../sentinel.txt", "sentinel\n");
    let mut text = std::fs::read_to_string(out.join(MARKER)).unwrap();
    text.push_str("../../outside.txt\n/etc/hostname\nregulations/../../sentinel.txt\n../\n");
    std::fs::write(out.join(MARKER), text).unwrap();
    Site::new(&root).build(None, false).unwrap();
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("outside.txt")).unwrap(),
        "outside\n"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("sentinel.txt")).unwrap(),
        "sentinel\n"
    );
    assert!(out.join("index.html").is_file());
}

#[test]
fn an_output_of_an_earlier_version_keeps_files_it_cannot_vouch_for() {
    // A marker without a list (written by rulebook before the manifest): the files at paths this build
    // generates are replaced; anything else is kept, since nothing says rulebook wrote it.
    let (tmp, root) = minimal();
    let out = tmp.path().join("out");
    build(&root, &out, false).unwrap();
    std::fs::write(
        out.join(MARKER),
        "This folder is generated by rulebook; it is replaced on every build.\n",
    )
    .unwrap();
    put(&out, "regulations/withdrawn.html", "old page\n");
    std::fs::write(out.join("index.html"), "old index\n").unwrap();
    build(&root, &out, false).unwrap();
    assert_eq!(
        std::fs::read_to_string(out.join("regulations/withdrawn.html")).unwrap(),
        "old page\n"
    );
    assert_ne!(
        std::fs::read(out.join("index.html")).unwrap(),
        b"old index\n"
    );
    assert!(
        std::fs::read_to_string(out.join(MARKER))
            .unwrap()
            .contains("index.html")
    );
}

// ---------------------------------------------------------------------------------------------------
// 4. Symlinks in the previous output are never followed
// ---------------------------------------------------------------------------------------------------

#[test]
fn symlinks_in_the_previous_output_are_never_followed() {
    use std::os::unix::fs::symlink;
    let (tmp, root) = minimal();
    put(&root, "content/b.md", B);
    let out = tmp.path().join("out");
    build(&root, &out, false).unwrap();
    put(tmp.path(), "precious/b.html", "precious b\n");
    put(tmp.path(), "precious/a.html", "precious a\n");
    put(tmp.path(), "precious.txt", "precious file\n");
    // A generated file replaced by a link to a file elsewhere, then withdrawn from the site.
    std::fs::remove_file(out.join("regulations/b.html")).unwrap();
    symlink(
        tmp.path().join("precious.txt"),
        out.join("regulations/b.html"),
    )
    .unwrap();
    std::fs::remove_file(root.join("content/b.md")).unwrap();
    let precious = snapshot(&tmp.path().join("precious"));
    // It is not rulebook's any more: a foreign entry (force needed), kept, its target untouched.
    assert!(unsafe_reason(build(&root, &out, false)).contains("regulations/b.html"));
    build(&root, &out, true).unwrap();
    assert!(out.join("regulations/b.html").is_symlink());
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("precious.txt")).unwrap(),
        "precious file\n"
    );
    // A generated folder replaced by a link to a folder elsewhere: never written or deleted through.
    let regs = out.join("regulations");
    std::fs::remove_dir_all(&regs).unwrap();
    symlink(tmp.path().join("precious"), &regs).unwrap();
    let before = snapshot(tmp.path());
    let reason = unsafe_reason(build(&root, &out, true));
    assert!(reason.contains("regulations"), "{reason}");
    assert_eq!(snapshot(tmp.path()), before);
    assert_eq!(snapshot(&tmp.path().join("precious")), precious);
    // Once the link is gone the build goes on, and the folder it pointed to is untouched.
    std::fs::remove_file(&regs).unwrap();
    build(&root, &out, true).unwrap();
    assert_eq!(snapshot(&tmp.path().join("precious")), precious);
}

// ---------------------------------------------------------------------------------------------------
// 2. Path checks see through symlinks
// ---------------------------------------------------------------------------------------------------

#[test]
fn a_symlinked_content_folder_is_recognised() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    put(t, "real/a.md", A);
    put(t, "tpl/page.txt", "x");
    // static/ links inside the site (files copied into the output must come from inside it).
    put(t, "site/assets-src/style.css", "x");
    symlink("../real", t.join("site/content")).unwrap();
    symlink("../tpl", t.join("site/templates")).unwrap();
    symlink("assets-src", t.join("site/static")).unwrap();
    symlink("site", t.join("site-link")).unwrap();
    let root = t.join("site");
    let before = snapshot(t);
    let cases: Vec<(PathBuf, bool)> = vec![
        (t.join("real/sub"), false),
        (t.join("real/sub"), true),
        (t.join("real"), true),
        (t.join("site/content/sub"), true),
        (t.join("tpl/x"), true),
        (t.join("site/assets-src"), true),
        (t.join("site-link"), true),
    ];
    for (out, force) in &cases {
        let e = write::check_target(&root, out, *force);
        assert!(
            matches!(e, Err(Error::UnsafeOutput { .. })),
            "--out {} force={force}: {e:?}",
            out.display()
        );
        let r = build(&root, out, *force);
        assert!(
            matches!(r, Err(Error::UnsafeOutput { .. })),
            "--out {} force={force}: {r:?}",
            out.display()
        );
        assert_eq!(snapshot(t), before, "--out {}", out.display());
    }
    // The same through the symlinked root, and via the binary with relative paths.
    for out in ["../real/sub", "../real"] {
        let o = rulebook(&root, &["build", "--root", ".", "--out", out, "--force"]);
        assert_eq!(o.status.code(), Some(1), "--out {out}: {}", stderr(&o));
        // A site without `language:` is Chinese: so is the refusal (issue 24, item 7).
        assert!(stderr(&o).contains("拒绝写入"), "{}", stderr(&o));
        assert!(!stderr(&o).contains("refusing"), "{}", stderr(&o));
    }
    let o = rulebook(
        t,
        &["build", "--root", "site-link", "--out", "real", "--force"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(snapshot(t), before);
    // A folder beside them is fine.
    build(&root, &t.join("out"), false).unwrap();
}

#[test]
fn system_and_home_stand_ins_are_refused() {
    use std::os::unix::fs::symlink;
    let (tmp, root) = minimal();
    let t = tmp.path();
    put(t, "sys/etc/passwd", "not the real one\n");
    put(t, "sys/usr/share/doc/x", "x\n");
    put(t, "homes/alice/diary.txt", "dear diary\n");
    symlink(t.join("sys/etc"), t.join("etc-link")).unwrap();
    symlink(t.join("homes/alice"), t.join("alice-link")).unwrap();
    let passwd = format!(
        "root:x:0:0:root:/root:/bin/bash\n# bob:x:1001:1001::{t}/homes/bob:/bin/sh\n\
         alice:x:1000:1000:Alice,,,:{t}/homes/alice:/bin/bash\n",
        t = t.display()
    );
    let protected = write::Protected {
        folders: vec![
            t.join("sys/etc"),
            t.join("sys/usr"),
            t.join("sys/usr/share"),
        ],
        trees: vec![t.join("sys/etc")],
        homes: rulebook::output::target::passwd_homes(&passwd),
    };
    let before = snapshot(t);
    for (out, why) in [
        (t.join("sys/etc"), "system folder"),
        (t.join("etc-link"), "system folder"),
        (t.join("sys/etc/nginx/site"), "inside the system folder"),
        (t.join("sys/usr/share"), "system folder"),
        (t.join("sys"), "contains the system folder"),
        (t.join("homes/alice"), "home folder"),
        (t.join("alice-link"), "home folder"),
        (t.join("homes"), "home folder"),
        (t.join("homes/alice/../alice"), "home folder"),
    ] {
        for force in [false, true] {
            let reason = unsafe_reason(write::check_target_with(&root, &out, force, &protected));
            assert!(reason.contains(why), "--out {}: {reason}", out.display());
            let reason = unsafe_reason(Site::new(&root).build_with(Some(&out), force, &protected));
            assert!(reason.contains(why), "--out {}: {reason}", out.display());
            assert_eq!(snapshot(t), before, "--out {}", out.display());
        }
    }
    // Inside a home, or in a web root below a system folder, is allowed (and commented-out users
    // protect nothing).
    for out in [
        t.join("homes/alice/site-out"),
        t.join("sys/usr/share/www/html"),
        t.join("homes/bob"),
    ] {
        write::check_target_with(&root, &out, false, &protected).unwrap();
    }
    Site::new(&root)
        .build_with(Some(&t.join("homes/alice/www")), false, &protected)
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(t.join("homes/alice/diary.txt")).unwrap(),
        "dear diary\n"
    );
}

#[test]
fn the_real_list_refuses_system_and_home_folders_without_writing() {
    // check_target only: it reads and never writes, so a regression cannot touch these folders.
    let (_tmp, root) = minimal();
    let slash = listing(Path::new("/"));
    for out in [
        "/",
        "/etc",
        "/usr",
        "/var",
        "/bin",
        "/sbin",
        "/lib",
        "/boot",
        "/proc",
        "/sys",
        "/dev",
        "/root",
        "/home",
        "/tmp",
        "/etc/nginx",
        "/proc/self",
        "/usr/lib/x",
        "/etc/..",
    ] {
        for force in [false, true] {
            let e = write::check_target(&root, Path::new(out), force);
            assert!(
                matches!(e, Err(Error::UnsafeOutput { .. })),
                "--out {out} force={force}: {e:?}"
            );
        }
    }
    // Every home folder of the password database, whatever $HOME says.
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let homes = rulebook::output::target::passwd_homes(&passwd);
    assert!(homes.contains(&PathBuf::from("/root")) || passwd.is_empty());
    for home in &homes {
        let e = write::check_target(&root, home, true);
        assert!(
            matches!(e, Err(Error::UnsafeOutput { .. })),
            "--out {}: {e:?}",
            home.display()
        );
    }
    assert!(!write::Protected::system().homes.is_empty() || passwd.is_empty());
    assert_eq!(listing(Path::new("/")), slash);
}

// ---------------------------------------------------------------------------------------------------
// 3. Leftovers of killed builds
// ---------------------------------------------------------------------------------------------------

#[test]
fn leftovers_of_killed_builds_are_removed_and_nothing_else() {
    use std::os::unix::fs::symlink;
    let (tmp, root) = minimal();
    let t = tmp.path();
    let out = t.join("public");
    build(&root, &out, false).unwrap();
    let dead = dead_pid();
    let alive = std::process::id();
    let old_marker = "This folder is generated by rulebook; it is replaced on every build.\n";
    // Killed builds of an earlier version: a staging folder and a previous output, each with the marker.
    put(
        t,
        &format!(".public.rulebook-new-{dead}-0/{MARKER}"),
        old_marker,
    );
    put(
        t,
        &format!(".public.rulebook-new-{dead}-0/regulations/a.html"),
        "x",
    );
    put(
        t,
        &format!(".public.rulebook-old-{dead}-0/{MARKER}"),
        old_marker,
    );
    put(t, &format!(".public.rulebook-old-{dead}-0/index.html"), "x");
    // Not rulebook's or not dead: kept.
    // A build killed right after creating its folder: empty, no marker yet.
    std::fs::create_dir(t.join(format!(".public.rulebook-new-{dead}-2"))).unwrap();
    let keep = [
        format!(".public.rulebook-new-{dead}-1"), // no marker, not empty
        format!(".public.rulebook-new-{alive}-99"), // a build still running (this process)
        format!(".other.rulebook-new-{dead}-0"),  // another output's
        format!(".public.rulebook-new-x{dead}-0"), // not rulebook's naming
        format!(".public.rulebook-new-{dead}-3"), // a symlink, below
    ];
    put(t, &format!("{}/keep.txt", keep[0]), "keep\n");
    put(t, &format!("{}/{MARKER}", keep[1]), old_marker);
    put(t, &format!("{}/{MARKER}", keep[2]), old_marker);
    put(t, &format!("{}/{MARKER}", keep[3]), old_marker);
    put(t, &format!("elsewhere/{MARKER}"), old_marker);
    put(t, "elsewhere/precious.txt", "precious\n");
    symlink(t.join("elsewhere"), t.join(&keep[4])).unwrap();
    build(&root, &out, false).unwrap();
    let mut want: Vec<String> = keep.to_vec();
    want.sort();
    assert_eq!(work_folders(t), want);
    assert_eq!(
        std::fs::read_to_string(t.join("elsewhere/precious.txt")).unwrap(),
        "precious\n"
    );
    assert_eq!(
        std::fs::read_to_string(t.join(&keep[0]).join("keep.txt")).unwrap(),
        "keep\n"
    );
}

#[test]
fn killed_builds_leave_nothing_after_the_next_build() {
    use std::os::unix::fs::PermissionsExt;
    let (tmp, root) = minimal();
    let t = tmp.path();
    put(&root, "content/b.md", B);
    put(t, "out/keep.txt", "keep\n");
    let mut seen_work = 0;
    for i in 0..12u64 {
        for force_dir in ["out", "own"] {
            let mut child = Command::new(env!("CARGO_BIN_EXE_rulebook"))
                .current_dir(t)
                .env("HOME", "/x")
                .args(["build", "--root", "site", "--out", force_dir, "--force"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(std::time::Duration::from_millis(i * 9));
            let _ = child.kill();
            child.wait().unwrap();
            // Whatever was left is private while it exists.
            for dir in [t.to_path_buf(), t.join(force_dir)] {
                if !dir.is_dir() {
                    continue;
                }
                for n in work_folders(&dir) {
                    seen_work += 1;
                    let mode = std::fs::metadata(dir.join(&n))
                        .unwrap()
                        .permissions()
                        .mode();
                    assert_eq!(mode & 0o077, 0, "{n} is readable by others: {mode:o}");
                    assert!(n.starts_with('.'), "{n}");
                }
            }
        }
    }
    for force_dir in ["out", "own"] {
        let o = rulebook(
            t,
            &["build", "--root", "site", "--out", force_dir, "--force"],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(work_folders(&t.join(force_dir)), Vec::<String>::new());
        assert!(t.join(force_dir).join("regulations/b.html").is_file());
    }
    assert_eq!(work_folders(t), Vec::<String>::new());
    assert_eq!(
        std::fs::read_to_string(t.join("out/keep.txt")).unwrap(),
        "keep\n"
    );
    eprintln!("work folders seen after kills: {seen_work}");
}

#[test]
fn a_previous_output_left_in_a_killed_swap_is_put_back_or_disposed_of_by_its_list() {
    // The layout of a work folder is documented in src/output/staging.rs.
    let (tmp, root) = minimal();
    let t = tmp.path();
    let out = t.join("public");
    build(&root, &out, false).unwrap();
    let dead = dead_pid();
    let staging_marker = format!("rulebook-staging 1\npid {dead}\n");
    // Killed between moving the output away and moving the new one in: the output is missing.
    let work = t.join(format!(".public.rulebook-new-{dead}-0"));
    put(&work, MARKER, &staging_marker);
    put(&work, "site/index.html", "half a build");
    std::fs::rename(&out, work.join("old")).unwrap();
    put(&root, "content/b.md", B);
    build(&root, &out, false).unwrap();
    assert_eq!(work_folders(t), Vec::<String>::new());
    assert!(out.join("regulations/b.html").is_file());
    // Killed after the swap, with a foreign file that appeared in the old output meanwhile: the listed
    // files go, the foreign one is put back into the output.
    let old = work.join("old");
    put(&work, MARKER, &staging_marker);
    std::fs::create_dir_all(&old).unwrap();
    for (rel, _) in common::all_files(&out) {
        put(&old, &rel, "old version");
    }
    std::fs::copy(out.join(MARKER), old.join(MARKER)).unwrap();
    put(&old, "regulations/late.txt", "written during the swap\n");
    put(&old, "index.html.user", "the user's\n");
    build(&root, &out, false).unwrap();
    assert_eq!(work_folders(t), Vec::<String>::new());
    assert_eq!(
        std::fs::read_to_string(out.join("regulations/late.txt")).unwrap(),
        "written during the swap\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("index.html.user")).unwrap(),
        "the user's\n"
    );
    assert_ne!(
        std::fs::read(out.join("index.html")).unwrap(),
        b"old version"
    );
    // From now on the foreign files ask for --force.
    assert!(unsafe_reason(build(&root, &out, false)).contains("index.html.user"));
}
