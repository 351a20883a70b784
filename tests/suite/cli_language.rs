//! Every word the command line says is in the site's language (issue 24, item 7): `--help` of
//! every command (in the site's language, else the terminal's `LANG`), the errors of a command line
//! that cannot be read (`--as-of` with no date), with no English fragment inside a Chinese line.
//! Run from the site folder, as the README writes the commands.

use crate::common;

use std::path::Path;

/// `rulebook ARGS` in `dir` with `LANG` (the locale variables that outrank it unset).
fn run(dir: &Path, lang: &str, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .current_dir(dir)
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(args)
        .output()
        .expect("rulebook runs");
    (
        out.status.code().expect("exited"),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// clap's own English words, which must not reach a Chinese help.
const CLAP_ENGLISH: &[&str] = &[
    "Usage",
    "Options",
    "Commands",
    "Arguments",
    "Print help",
    "Print version",
    "[default",
    "possible values",
    "error:",
    "For more information",
];

const COMMANDS: &[&str] = &["build", "check", "serve", "new", "pdf"];

#[test]
fn help_speaks_the_sites_language() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_content(dir.path());
    // The seed is Chinese: its help is, whatever the terminal's LANG.
    for args in std::iter::once(vec!["--help"]).chain(COMMANDS.iter().map(|c| vec![*c, "--help"])) {
        let (code, out, _) = run(dir.path(), "en_US.UTF-8", &args);
        assert_eq!(code, 0, "{args:?}");
        assert!(out.contains("用法：rulebook"), "{args:?}: {out}");
        assert!(out.contains("显示帮助"), "{args:?}: {out}");
        for word in CLAP_ENGLISH {
            assert!(!out.contains(word), "{args:?}: {word:?} in {out}");
        }
    }
    let (_, out, _) = run(dir.path(), "C", &["build", "--help"]);
    assert!(out.contains("--root <文件夹>"), "{out}");
    assert!(out.contains("［默认：.］"), "{out}");
    // An English site's help is English.
    std::fs::write(
        dir.path().join("content/site.yaml"),
        "title: Handbook\nlanguage: en\n",
    )
    .unwrap();
    let (_, out, _) = run(dir.path(), "zh_CN.UTF-8", &["check", "--help"]);
    assert!(out.contains("Usage: rulebook check"), "{out}");
    assert!(out.contains("--format <FORMAT>"), "{out}");
    assert!(!out.contains("用法"), "{out}");
}

#[test]
fn outside_a_site_help_follows_the_terminals_lang_and_lang_decides() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out, _) = run(dir.path(), "en_GB.UTF-8", &["--help"]);
    assert!(out.contains("Usage: rulebook"), "{out}");
    let (_, out, _) = run(dir.path(), "zh_CN.UTF-8", &["--help"]);
    assert!(out.contains("用法：rulebook"), "{out}");
    let (_, out, _) = run(
        dir.path(),
        "zh_CN.UTF-8",
        &["--lang", "en", "new", "--help"],
    );
    assert!(out.contains("Usage: rulebook new <CATEGORY/NAME>"), "{out}");
}

#[test]
fn a_command_line_that_cannot_be_read_is_said_in_the_sites_language() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_content(dir.path());
    let (code, _, err) = run(dir.path(), "en_US.UTF-8", &["build", "--as-of", "去年"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "错误: `去年` 不是日期：请写成 2024-01-01 或 2024年1月1日\n请用 --help 查看用法。\n"
    );
    let (code, _, err) = run(dir.path(), "C", &["check", "--format", "xml"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("错误: `xml` 不是 --format 可取的值（可取：human, json）"),
        "{err}"
    );
    let (_, _, err) = run(dir.path(), "C", &["build", "--fast"]);
    assert!(err.starts_with("错误: 无法识别的参数 `--fast`"), "{err}");
    let (_, _, err) = run(
        dir.path(),
        "C",
        &["--lang", "en", "build", "--as-of", "soon"],
    );
    assert!(
        err.starts_with("error: `soon` is not a date: write it as 2024-01-01"),
        "{err}"
    );
}

/// The refusal of an output folder is said in the site's language, the reason included.
#[test]
fn an_output_folder_refused_is_said_in_the_sites_language() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_content(dir.path());
    let (code, _, err) = run(dir.path(), "C", &["build", "--out", "content/x"]);
    assert_eq!(code, 1);
    let first = err.lines().next().unwrap_or_default();
    assert!(first.starts_with("错误: 拒绝写入 "), "{err}");
    assert!(first.ends_with("：它在 content 文件夹之内"), "{err}");
    let (_, _, err) = run(
        dir.path(),
        "C",
        &["--lang", "en", "build", "--out", "content/x"],
    );
    assert!(err.contains(": it is inside the content folder"), "{err}");
}
