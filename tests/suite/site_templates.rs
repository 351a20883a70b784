//! `check` runs the templates as `build` does (issue 24, item 8): a site template that breaks the
//! build breaks the check with the same coded diagnostic, at the template's own line and column,
//! in the site's language — and the check writes nothing. Run from the site folder, as the README
//! writes the commands.

use crate::common;

use std::path::Path;

use serde_json::Value;

/// `rulebook ARGS` in `dir`: status, stdout, stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("rulebook runs");
    (
        out.status.code().expect("exited"),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// The diagnostics of `rulebook COMMAND --format json [--lang L]` (check or build).
fn diagnostics(dir: &Path, command: &str, lang: &str) -> (i32, Vec<Value>) {
    let (code, out, err) = run(dir, &[command, "--format", "json", "--lang", lang]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (
        code,
        v["diagnostics"].as_array().cloned().unwrap_or_default(),
    )
}

fn site(template: &str) -> tempfile::TempDir {
    common::fixture_site(&[
        ("content/site.yaml", "title: 测试手册\n"),
        (
            "content/zonghe/a.md",
            "---\ntitle: 甲制度\n---\n\n第一条　甲。\n",
        ),
        ("templates/index.html", template),
    ])
}

#[test]
fn a_template_syntax_error_fails_check_as_it_fails_build() {
    let dir =
        site("{% extends \"base.html\" %}\n{% block main %}\n{% if %}\n{% endblock main %}\n");
    for command in ["check", "build"] {
        for lang in ["zh-CN", "en"] {
            let (code, diags) = diagnostics(dir.path(), command, lang);
            assert_eq!(code, 1, "{command}");
            assert_eq!(diags.len(), 1, "{command} {lang}: {diags:#?}");
            let d = &diags[0];
            assert_eq!(d["code"], "RB130", "{d}");
            assert_eq!(d["path"], "templates/index.html");
            assert_eq!(
                (d["line"].as_u64(), d["column"].as_u64()),
                (Some(3), Some(7))
            );
            let message = d["message"].as_str().unwrap();
            if lang == "zh-CN" {
                assert_eq!(
                    message,
                    "模板 `index.html` 的写法有误，无法解析：此处不合模板语法"
                );
                assert!(!d["help"].as_str().unwrap().contains("check"), "{d}");
            } else {
                assert!(message.starts_with("template `index.html` cannot be parsed: expected"));
            }
        }
    }
    // The check wrote nothing; the failed build did not either.
    assert!(!dir.path().join("public").exists());
    // The terminal says it at the file, in the site's language.
    let (_, _, err) = run(dir.path(), &["check"]);
    assert!(
        err.starts_with("templates/index.html:3:7: [RB130] 模板 `index.html` 的写法有误"),
        "{err}"
    );
}

#[test]
fn a_template_using_an_undefined_name_fails_check_as_it_fails_build() {
    let dir = site(
        "{% extends \"base.html\" %}\n{% block main %}{{ nosuch.thing }}{% endblock main %}\n",
    );
    for command in ["check", "build"] {
        let (code, diags) = diagnostics(dir.path(), command, "zh-CN");
        assert_eq!(code, 1, "{command}");
        let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["RB131"], "{command}: {diags:#?}");
        assert_eq!(diags[0]["path"], "templates/index.html");
        assert_eq!(
            diags[0]["message"],
            "模板 `index.html`：`nosuch.thing` 未定义（没有这个名称的变量、过滤器或函数）"
        );
    }
    assert!(!dir.path().join("public").exists());
    // A good template passes both, and only build writes.
    std::fs::remove_file(dir.path().join("templates/index.html")).unwrap();
    let (code, _, err) = run(dir.path(), &["check"]);
    assert_eq!(code, 0, "{err}");
    assert!(!dir.path().join("public").exists());
}
