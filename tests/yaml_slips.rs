//! The commonest YAML slips in a front-matter are reported at their own line and column with the
//! advice for them (issue 24), in both languages: an unclosed quote, a full-width colon, a tab in
//! the indentation, a missing space after the colon, an unclosed bracket.

mod common;

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
