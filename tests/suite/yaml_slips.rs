//! The commonest YAML slips in a front-matter are reported at their own line and column with the
//! advice for them (issue 24), in both languages: an unclosed quote, a full-width colon, a tab in
//! the indentation, a missing space after the colon, an unclosed bracket.

use crate::common;

#[test]
fn each_yaml_slip_at_its_true_line_and_column() {
    // (front-matter, code, line in the file, column, words of the zh message, of the en message)
    let cases = [
        (
            "title: \"财务制度\nissued: 2020-01-01\nsummary: 摘要\nowner: 办公室\n",
            "RB124",
            2,
            8,
            "引号",
            "quote",
        ),
        (
            "title: 财务制度\nissued： 2020-01-01\n",
            "RB122",
            3,
            7,
            "全角冒号",
            "full-width colon",
        ),
        (
            "title: 财务制度\nroles:\n\tart1: 主任\n",
            "RB121",
            4,
            1,
            "制表符",
            "tab",
        ),
        (
            "title: 财务制度\nissued:2020-01-01\n",
            "RB123",
            3,
            7,
            "空格",
            "space after the colon",
        ),
        (
            "title: 财务制度\naliases: [甲, 乙\nissued: 2020-01-01\n",
            "RB125",
            3,
            10,
            "没有闭合",
            "not closed",
        ),
    ];
    for (yaml, code, line, column, zh, en) in cases {
        let dir = common::fixture_site(&[
            ("content/site.yaml", "title: 测试\n"),
            ("content/c/a.md", &format!("---\n{yaml}---\n\n一、甲。\n")),
        ]);
        for (lang, words) in [("zh-CN", zh), ("en", en)] {
            let (status, json) = common::check_json(dir.path(), &["--lang", lang]);
            assert_eq!(status, 1);
            let diags = json["diagnostics"].as_array().unwrap();
            assert_eq!(diags.len(), 1, "{code} {lang}: {diags:#?}");
            let d = &diags[0];
            assert_eq!(d["code"], code, "{d}");
            assert_eq!(d["path"], "content/c/a.md");
            assert_eq!(
                (d["line"].as_u64(), d["column"].as_u64()),
                (Some(line), Some(column)),
                "{code}: {d}"
            );
            assert!(
                d["message"].as_str().unwrap().contains(words),
                "{lang}: {d}"
            );
            assert!(d["help"].as_str().is_some_and(|h| !h.is_empty()), "{d}");
        }
    }
}

/// The same slips in a procedure file and in roles.yaml: at their own line and column, the file
/// named for what it is, in both languages — not where the parser noticed them, nor with its
/// advice for a symptom (a tab was "quote the value").
#[test]
fn yaml_slips_in_procedure_and_data_files_at_their_true_place() {
    const REG: &str = "---\ntitle: 甲制度\nid: jia\n---\n\n第一条　甲。\n";
    // (file, text, code, line, column, zh words, en words)
    let cases = [
        (
            "content/procedures/p.yaml",
            "id: p\ntitle: 流程\nregulation: jia\nsteps:\n\t- text: 第一步\n    clause: art1\n",
            "RB121",
            5,
            1,
            "流程文件不是有效的 YAML：缩进里有制表符",
            "the procedure file is not valid YAML: a tab",
        ),
        (
            "content/procedures/p.yaml",
            "id: p\ntitle: \"流程\nregulation: jia\nsteps:\n  - text: 第一步\n    clause: art1\n",
            "RB124",
            2,
            8,
            "流程文件不是有效的 YAML：这个值开头的引号",
            "the procedure file is not valid YAML: the quote",
        ),
        (
            "content/roles.yaml",
            "- name: 出纳\n  aliases： [会计]\n- name: 主任\n",
            "RB122",
            2,
            10,
            "roles.yaml 不是有效的 YAML：键后面是全角冒号",
            "roles.yaml is not valid YAML: a full-width colon",
        ),
    ];
    for (file, text, code, line, column, zh, en) in cases {
        let dir = common::fixture_site(&[
            ("content/site.yaml", "title: 测试\n"),
            ("content/c/a.md", REG),
            (file, text),
        ]);
        for (lang, words) in [("zh-CN", zh), ("en", en)] {
            let (status, json) = common::check_json(dir.path(), &["--lang", lang]);
            assert_eq!(status, 1);
            let diags = json["diagnostics"].as_array().unwrap();
            assert_eq!(diags.len(), 1, "{code} {lang}: {diags:#?}");
            let d = &diags[0];
            assert_eq!(d["code"], code, "{d}");
            assert_eq!(d["path"], file);
            assert_eq!(
                (d["line"].as_u64(), d["column"].as_u64()),
                (Some(line), Some(column)),
                "{code}: {d}"
            );
            assert!(
                d["message"].as_str().unwrap().contains(words),
                "{lang}: {d}"
            );
        }
    }
}

/// Root cause first for a procedure that cannot be parsed (issue 24, item 4): nothing else is
/// derived from a procedure file, so its one diagnostic is the whole report — in the terminal, in
/// `--format json` and in the preview's overlay (its state) — with no follow-on errors in the
/// regulation it belongs to, the roles it names or the checklists; and a tab that breaks roles.yaml
/// still counts the problems that follow from it (RB120) when reported as a slip.
#[test]
fn a_procedure_that_cannot_be_parsed_is_reported_alone_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_content(dir.path());
    let file = dir
        .path()
        .join("content/procedures/bangong-yongpin-yijiao.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("steps:\n  - ", "steps:\n\t- ", 1)).unwrap();
    let line = text
        .lines()
        .position(|l| l == "steps:")
        .expect("a steps: line")
        + 2;

    let (status, json) = common::check_json(dir.path(), &[]);
    assert_eq!(status, 1);
    let diags = json["diagnostics"].as_array().unwrap();
    let places: Vec<(&str, &str, u64)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["path"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [(
            "RB121",
            "content/procedures/bangong-yongpin-yijiao.yaml",
            line as u64
        )]
    );

    // The terminal, run from the site folder as the README writes it.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let first = err.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        format!(
            "content/procedures/bangong-yongpin-yijiao.yaml:{line}:1: [RB121] 流程文件不是有效的 YAML：缩进里有制表符（Tab）"
        ),
        "{err}"
    );
    assert_eq!(err.matches("[RB").count() / 2, 1, "one diagnostic: {err}");

    // The overlay: the preview's state after its first (failed) build.
    let server = common::served::Running::start(dir.path(), &[]);
    let state = server.failed_after(0);
    let shown: Vec<&str> = state["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(shown, ["RB121"], "{state}");

    // roles.yaml broken by a tab: the slip is the cause the follow-on problems are counted under.
    std::fs::write(&file, &text).unwrap();
    let roles = dir.path().join("content/roles.yaml");
    let r = std::fs::read_to_string(&roles).unwrap();
    let at = r.find("\n- ").expect("a list item") + 1;
    std::fs::write(&roles, format!("{}\t{}", &r[..at], &r[at..])).unwrap();
    let (_, json) = common::check_json(dir.path(), &[]);
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(&codes[..2], ["RB121", "RB120"], "{json:#}");
}
