//! Editors' commands on fixture sites in temporary folders: `rulebook new` scaffolds a draft that
//! builds without a warning and never overwrites; a GB18030 file is named as such (and read with
//! `--encoding gb18030`); `build --format json` prints its summary for tools; the terminal speaks
//! the site's language around the diagnostics.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn rulebook(args: &[&str], root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("rulebook runs")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

const SITE: &str = "title: 测试手册\norganisation: 测试办公室\nlanguage: zh-CN\n";

#[test]
fn new_scaffolds_a_draft_that_builds_and_never_overwrites() {
    let dir = common::fixture_site(&[
        ("content/site.yaml", SITE),
        (
            "content/caiwu/jiu.md",
            "---\ntitle: 旧制度\n---\n第一条　旧。\n",
        ),
    ]);
    let out = rulebook(&["new", "caiwu/xin-zhidu", "--title", "新制度"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = dir.path().join("content/caiwu/xin-zhidu.md");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with("---\ntitle: \"新制度\"\nissuer: \"测试办公室\"\nissued: \"20"),
        "{text}"
    );
    assert!(text.contains("\ndraft: true\n"), "{text}");
    // It checks clean, and as a draft it is not published.
    let check = json(&rulebook(&["check", "--format", "json"], dir.path()));
    assert_eq!(
        (check["errors"].as_u64(), check["warnings"].as_u64()),
        (Some(0), Some(0)),
        "{check}"
    );
    // Never overwritten; names that leave content/ are refused.
    std::fs::write(&file, "编辑过的内容").unwrap();
    let again = rulebook(&["new", "caiwu/xin-zhidu", "--lang", "en"], dir.path());
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "编辑过的内容");
    for bad in ["../x", "caiwu/../../x", "xin", "caiwu/.hidden"] {
        let out = rulebook(&["new", bad], dir.path());
        assert_eq!(out.status.code(), Some(1), "{bad}");
    }
    assert!(!dir.path().join("x.md").exists());
}

#[test]
fn a_gb18030_file_is_named_and_read_when_asked() {
    let (gb, _, _) = encoding_rs::GB18030.encode("---\ntitle: 财务制度\n---\n一、经办人签字。\n");
    let dir = common::fixture_site(&[("content/site.yaml", SITE)]);
    std::fs::create_dir_all(dir.path().join("content/caiwu")).unwrap();
    std::fs::write(dir.path().join("content/caiwu/caiwu.md"), &gb).unwrap();
    let out = rulebook(&["check", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let check = json(&out);
    let d = &check["diagnostics"][0];
    assert_eq!(d["path"], "content/caiwu/caiwu.md", "{check}");
    assert_eq!(d["code"], "RB012");
    // In the site's language (Chinese by default), and in English when asked.
    assert_eq!(
        d["message"],
        "文件不是 UTF-8 编码：看起来是 GB18030/GBK（WPS、Word 保存中文时常用）"
    );
    assert!(
        d["help"].as_str().unwrap().contains("--encoding gb18030"),
        "{d}"
    );
    let en = json(&rulebook(
        &["check", "--format", "json", "--lang", "en"],
        dir.path(),
    ));
    let d = &en["diagnostics"][0];
    assert_eq!(d["code"], "RB012");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("it looks like GB18030/GBK"),
        "{d}"
    );
    assert!(
        d["help"].as_str().unwrap().contains("--encoding gb18030"),
        "{d}"
    );
    let read = rulebook(
        &["check", "--format", "json", "--encoding", "gb18030"],
        dir.path(),
    );
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stdout)
    );
    assert_eq!(json(&read)["errors"], 0);
}

#[test]
fn build_prints_its_summary_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("public");
    let out = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["build", "--format", "json", "--root"])
        .arg(common::repo_root())
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = json(&out);
    assert_eq!(summary["documents"], 24, "{summary}");
    assert_eq!(summary["warnings"], 0);
    assert!(summary["files"].as_u64().unwrap() > 24);
    // The renderers run side by side: one `render` stage, and each renderer's own time.
    for stage in ["load", "analyse", "render", "pages ∥", "search ∥", "write"] {
        assert!(
            summary["stages_ms"][stage].as_f64().is_some(),
            "{stage}: {summary}"
        );
    }
    assert!(out_dir.join("index.html").exists());
}

/// On a terminal a build shows the stage under way (in the site's language); under CI, in a log or a
/// pipe it shows nothing of the kind, and every build ends with its one summary line. (`script`, from
/// util-linux, gives the build a terminal.)
#[test]
fn progress_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let run = |ci: bool| {
        let out = dir.path().join(if ci { "ci" } else { "tty" });
        let command = format!(
            "{} build --root {} --out {}",
            env!("CARGO_BIN_EXE_rulebook"),
            common::repo_root().display(),
            out.display()
        );
        let mut c = Command::new("script");
        c.args(["-qec", &command, "/dev/null"]);
        if ci {
            c.env("CI", "true");
        } else {
            c.env_remove("CI");
        }
        let o = c
            .output()
            .expect("`script` (util-linux) runs the build on a terminal");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let tty = run(false);
    assert!(tty.contains("读取文件…"), "{tty}");
    // The summary speaks the site's language, as the progress line does.
    assert!(tty.contains("已生成 24 篇制度"), "{tty}");
    let ci = run(true);
    assert!(
        !ci.contains("读取文件…") && !ci.contains("生成页面"),
        "{ci}"
    );
    assert!(ci.contains("已生成 24 篇制度"), "{ci}");
    // Piped, as the other tests run it: no progress either.
    let piped = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["build", "--root"])
        .arg(common::repo_root())
        .arg("--out")
        .arg(dir.path().join("piped"))
        .env_remove("CI")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&piped.stderr).contains("…"));
}

/// The terminal speaks the site's language around the diagnostics too: the marker under the
/// source line, the advice's label and the summary are Chinese for a Chinese site, English with
/// `--lang en`.
#[test]
fn the_terminal_speaks_the_site_language() {
    let dir = common::fixture_site(&[(
        "content/a/x.md",
        "---\ntitle: 甲制度\nordr: 3\n---\n第一条　甲。\n",
    )]);
    let zh = rulebook(&["check"], dir.path());
    let (err, out) = (
        String::from_utf8_lossy(&zh.stderr),
        String::from_utf8_lossy(&zh.stdout),
    );
    assert!(
        err.contains("content/a/x.md:3:1: [RB006] 不认识的 front-matter 键 `ordr`，已忽略"),
        "{err}"
    );
    assert!(err.contains("╰── 此处"), "{err}");
    assert!(err.contains("\n  提示：是不是要写 `order`？"), "{err}");
    assert!(!err.contains("help:"), "{err}");
    assert_eq!(
        out.trim(),
        "已检查 1 篇制度、1 个条款、0 处引用：0 个错误，1 个警告"
    );
    let en = rulebook(&["check", "--lang", "en"], dir.path());
    let (err, out) = (
        String::from_utf8_lossy(&en.stderr),
        String::from_utf8_lossy(&en.stdout),
    );
    assert!(err.contains("╰── here"), "{err}");
    assert!(err.contains("\n  help: did you mean `order`?"), "{err}");
    assert_eq!(
        out.trim(),
        "Checked 1 documents, 1 clauses, 0 references: 0 error(s), 1 warning(s)"
    );
}
