//! Diagnostics in the site's language: each kind of problem an editor makes, in a fixture of its
//! own, read through `check --format json` in Chinese (the default for a zh-CN site) and in English
//! (`--lang en`): code, file, line, column, severity, the text in both languages, the exit status.

use crate::common;

use serde_json::Value;

const SITE: &str = "title: 测试手册\nlanguage: zh-CN\nshort_name: 市委保密办\n";

struct Case {
    name: &'static str,
    /// Files besides site.yaml: (path under the site root, bytes).
    files: Vec<(&'static str, Vec<u8>)>,
    code: &'static str,
    severity: &'static str,
    at: (&'static str, u64, u64),
    /// A piece of the Chinese message and of the English one.
    zh: &'static str,
    en: &'static str,
}

fn md(path: &'static str, text: &str) -> (&'static str, Vec<u8>) {
    (path, text.as_bytes().to_vec())
}

const OK: &str = "---\ntitle: 市委保密办正常制度\nid: ok\n---\n\n第一条　正文。\n";

fn cases() -> Vec<Case> {
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "---\ntitle: 乙制度\n---\n\n第一条　正文。\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let (gb, _, _) =
        encoding_rs::GB18030.encode("---\ntitle: 丙制度\n---\n\n第一条　经办人签字。\n");
    vec![
        Case {
            name: "no front-matter",
            files: vec![md("content/a/x.md", "第一条　没有元数据。\n")],
            code: "RB001",
            severity: "error",
            at: ("content/a/x.md", 1, 1),
            zh: "文件开头没有 front-matter",
            en: "the file does not start with front-matter",
        },
        Case {
            name: "front-matter never closed",
            files: vec![md("content/a/x.md", "---\ntitle: 甲\n\n第一条　正文。\n")],
            code: "RB002",
            severity: "error",
            at: ("content/a/x.md", 1, 1),
            zh: "front-matter 没有结束行",
            en: "the front-matter is never closed",
        },
        Case {
            // The front-matter's line 2 is the file's line 3; the bracket that is never closed is
            // pointed at where it opens (a slip of its own, RB125; other YAML errors are RB003).
            name: "YAML syntax error at the file's line",
            files: vec![md(
                "content/a/x.md",
                "---\ntitle: 甲\naliases: [甲制度\n---\n\n第一条　正文。\n",
            )],
            code: "RB125",
            severity: "error",
            at: ("content/a/x.md", 3, 10),
            zh: "此处开始的列表（或映射）在本行没有闭合",
            en: "the list or map that opens here is not closed on its line",
        },
        Case {
            name: "wrong type",
            files: vec![md(
                "content/a/x.md",
                "---\ntitle: 甲\norder: 第三\n---\n\n第一条　正文。\n",
            )],
            code: "RB004",
            severity: "error",
            at: ("content/a/x.md", 3, 8),
            zh: "`order` 的值应为整数",
            en: "`order` must be an integer",
        },
        Case {
            name: "missing title",
            files: vec![md("content/a/x.md", "---\nid: x\n---\n\n第一条　正文。\n")],
            code: "RB008",
            severity: "error",
            at: ("content/a/x.md", 1, 1),
            zh: "front-matter 中没有 `title`",
            en: "the front-matter has no `title`",
        },
        Case {
            name: "empty title",
            files: vec![md(
                "content/a/x.md",
                "---\ntitle: \"  \"\n---\n\n第一条　正文。\n",
            )],
            code: "RB009",
            severity: "error",
            at: ("content/a/x.md", 2, 1),
            zh: "`title`（标题）是空的",
            en: "the `title` is empty",
        },
        Case {
            name: "unknown key, with the key meant",
            files: vec![md(
                "content/a/x.md",
                "---\ntitle: 甲\nsumary: 摘要\n---\n\n第一条　正文。\n",
            )],
            code: "RB006",
            severity: "warning",
            at: ("content/a/x.md", 3, 1),
            zh: "不认识的 front-matter 键 `sumary`",
            en: "unknown front-matter key `sumary` is ignored",
        },
        Case {
            name: "duplicate id",
            files: vec![
                md("content/a/x.md", OK),
                md(
                    "content/b/y.md",
                    "---\ntitle: 乙\nid: ok\n---\n\n第一条　正文。\n",
                ),
            ],
            code: "RB010",
            severity: "error",
            at: ("content/b/y.md", 3, 1),
            zh: "id `ok` 已被 content/a/x.md 使用",
            en: "id `ok` is already used by content/a/x.md",
        },
        Case {
            name: "duplicate title",
            files: vec![
                md("content/a/x.md", OK),
                // In one folder: one title in two folders is allowed (its citation is RB204).
                md(
                    "content/a/y.md",
                    "---\ntitle: 市委保密办正常制度\n---\n\n第一条　正文。\n",
                ),
            ],
            code: "RB011",
            severity: "error",
            at: ("content/a/y.md", 2, 1),
            zh: "标题《市委保密办正常制度》已被 content/a/x.md 使用",
            en: "the title 《市委保密办正常制度》 is already used by content/a/x.md",
        },
        Case {
            name: "GB18030 file",
            files: vec![("content/a/x.md", gb.into_owned())],
            code: "RB012",
            severity: "error",
            at: ("content/a/x.md", 2, 1),
            zh: "看起来是 GB18030/GBK",
            en: "it looks like GB18030/GBK",
        },
        Case {
            name: "UTF-16 with a byte-order mark",
            files: vec![("content/a/x.md", utf16)],
            code: "RB014",
            severity: "warning",
            at: ("content/a/x.md", 1, 1),
            zh: "文件是 UTF-16LE 编码（已按此读取）",
            en: "the file is UTF-16LE (read as such)",
        },
        Case {
            name: "numbering gap",
            files: vec![md(
                "content/a/x.md",
                "---\ntitle: 甲\n---\n\n第一条　正文。\n\n第三条　正文。\n",
            )],
            code: "RB015",
            severity: "warning",
            at: ("content/a/x.md", 7, 1),
            zh: "第三条的前一个编号是 1",
            en: "第三条 follows number 1",
        },
        Case {
            name: "numbering repeat",
            files: vec![md(
                "content/a/x.md",
                "---\ntitle: 甲\n---\n\n第一条　正文。\n\n第一条　又一条。\n",
            )],
            code: "RB027",
            severity: "warning",
            at: ("content/a/x.md", 7, 1),
            zh: "第一条在同一层级出现了两次",
            en: "第一条 appears twice at this level",
        },
        Case {
            // Inferred from plain text: a warning, the text stays plain.
            name: "unresolved reference to an own title",
            files: vec![
                md("content/a/x.md", OK),
                md(
                    "content/a/y.md",
                    "---\ntitle: 乙\n---\n\n第一条　按《市委保密办不存在制度》执行。\n",
                ),
            ],
            code: "RB032",
            severity: "warning",
            at: ("content/a/y.md", 5, 6),
            zh: "《市委保密办不存在制度》与本手册的任何制度都对不上",
            en: "《市委保密办不存在制度》 matches no regulation of the handbook",
        },
        Case {
            // Written explicitly by the editor: an error.
            name: "explicit reference to no regulation",
            files: vec![
                md("content/a/x.md", OK),
                md(
                    "content/a/y.md",
                    "---\ntitle: 乙\n---\n\n第一条　见[该条](@nope#art1)。\n",
                ),
            ],
            code: "RB038",
            severity: "error",
            at: ("content/a/y.md", 5, 6),
            zh: "没有 id 为 `nope` 的制度",
            en: "no regulation has the id `nope`",
        },
        Case {
            name: "not a date",
            files: vec![md(
                "content/a/x.md",
                "---\ntitle: 甲\nissued: 去年春天\n---\n\n第一条　正文。\n",
            )],
            code: "RB040",
            severity: "error",
            at: ("content/a/x.md", 3, 1),
            zh: "`issued: 去年春天` 不是日期",
            en: "`issued: 去年春天` is not a date",
        },
        Case {
            name: "dates out of order",
            files: vec![md(
                "content/a/x.md",
                "---\ntitle: 甲\nissued: 2024年3月1日\neffective: 2024-02-01\n---\n\n第一条　正文。\n",
            )],
            code: "RB041",
            severity: "error",
            at: ("content/a/x.md", 4, 1),
            zh: "`effective`（2024-02-01）早于 `issued`（2024-03-01）",
            en: "`effective` (2024-02-01) is before `issued` (2024-03-01)",
        },
        Case {
            name: "empty regulation",
            files: vec![md("content/a/x.md", "---\ntitle: 甲\n---\n\n")],
            code: "RB018",
            severity: "warning",
            at: ("content/a/x.md", 3, 1),
            zh: "这份制度没有正文",
            en: "the regulation has no text",
        },
        Case {
            name: "unknown publish_level in site.yaml",
            files: vec![
                md(
                    "content/site.yaml",
                    &format!("{SITE}publish_level: 不存在\n"),
                ),
                md("content/a/x.md", OK),
            ],
            code: "RB078",
            severity: "error",
            at: ("content/site.yaml", 4, 1),
            zh: "不认识的发布密级（publish_level）`不存在`",
            en: "unknown publish_level `不存在`",
        },
        Case {
            name: "a category listed twice in site.yaml",
            files: vec![
                md(
                    "content/site.yaml",
                    &format!(
                        "{SITE}categories:\n  - id: a\n    title: 甲\n  - id: a\n    title: 乙\n"
                    ),
                ),
                md("content/a/x.md", OK),
            ],
            code: "RB080",
            severity: "error",
            at: ("content/site.yaml", 4, 1),
            zh: "分类 `a` 列了两次",
            en: "category `a` is listed twice",
        },
        Case {
            name: "a category that cannot be a folder name",
            files: vec![md(
                "content/a/x.md",
                "---\ntitle: 甲\ncategory: 财务/资产\n---\n\n第一条　正文。\n",
            )],
            code: "RB050",
            severity: "error",
            at: ("content/a/x.md", 3, 1),
            zh: "`财务/资产` 不能用作分类",
            en: "`财务/资产` cannot be used as a category",
        },
        Case {
            name: "unknown role kind in roles.yaml",
            files: vec![
                md("content/a/x.md", OK),
                md("content/roles.yaml", "- name: 出纳\n  kind: positon\n"),
            ],
            code: "RB055",
            severity: "error",
            at: ("content/roles.yaml", 1, 1),
            zh: "不认识的岗位类型 `positon`",
            en: "unknown role kind `positon`",
        },
        Case {
            name: "a procedure with no steps",
            files: vec![
                md("content/a/x.md", OK),
                md(
                    "content/procedures/p.yaml",
                    "id: p\ntitle: 流程\nregulation: ok\nsteps: []\n",
                ),
            ],
            code: "RB066",
            severity: "error",
            at: ("content/procedures/p.yaml", 1, 1),
            zh: "这个流程没有步骤",
            en: "the procedure has no steps",
        },
        Case {
            name: "a step that cites nothing",
            files: vec![
                md("content/a/x.md", OK),
                md(
                    "content/procedures/p.yaml",
                    "id: p\ntitle: 流程\nregulation: ok\nsteps:\n  - text: 第一项\n",
                ),
            ],
            code: "RB075",
            severity: "error",
            at: ("content/procedures/p.yaml", 5, 1),
            zh: "步骤 `第一项` 既没有引用条款，也没有对应的流程图方框",
            en: "step `第一项` cites neither a clause nor a flowchart box",
        },
        Case {
            name: "a form file that does not exist",
            files: vec![
                md(
                    "content/site.yaml",
                    &format!("{SITE}forms:\n  印章申请表: forms/nope.docx\n"),
                ),
                md("content/a/x.md", OK),
            ],
            code: "RB083",
            severity: "error",
            at: ("content/site.yaml", 5, 10),
            zh: "forms：`forms/nope.docx` 不存在",
            en: "forms: `forms/nope.docx` does not exist",
        },
        Case {
            name: "a link with a refused scheme",
            files: vec![md(
                "content/a/x.md",
                "---\ntitle: 甲\n---\n\n第一条　见[此处](javascript:alert(1))。\n",
            )],
            code: "RB092",
            severity: "warning",
            at: ("content/a/x.md", 5, 6),
            zh: "链接指向 `javascript:alert(1)`：不允许使用 `javascript:` 协议，已去掉该链接",
            en: "link to `javascript:alert(1)`: the scheme `javascript:` is not allowed, so the link is left out",
        },
    ]
}

fn check(root: &std::path::Path, lang: Option<&str>) -> (i32, Value) {
    match lang {
        Some(l) => common::check_json(root, &["--lang", l]),
        None => common::check_json(root, &[]),
    }
}

#[test]
fn each_kind_in_chinese_and_english_at_its_place() {
    for case in cases() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/site.yaml"), SITE).unwrap();
        for (path, bytes) in &case.files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
        // The site's language (zh-CN) by default, and English when asked.
        for (lang, want) in [(None, case.zh), (Some("en"), case.en)] {
            let (status, v) = check(dir.path(), lang);
            let all = v["diagnostics"].as_array().unwrap();
            let d = all
                .iter()
                .find(|d| d["code"] == case.code)
                .unwrap_or_else(|| panic!("{}: no {} in {v:#}", case.name, case.code));
            assert_eq!(d["severity"], case.severity, "{}", case.name);
            assert_eq!(
                (
                    d["path"].as_str().unwrap(),
                    d["line"].as_u64().unwrap(),
                    d["column"].as_u64().unwrap()
                ),
                case.at,
                "{}: {d}",
                case.name
            );
            let message = d["message"].as_str().unwrap();
            assert!(
                message.contains(want),
                "{} ({lang:?}): {message}",
                case.name
            );
            assert!(
                d["help"].as_str().is_some_and(|h| !h.is_empty()),
                "{}: every kind says what to do: {d}",
                case.name
            );
            let errors = all.iter().any(|d| d["severity"] == "error");
            assert_eq!(status, i32::from(errors), "{}: exit status", case.name);
        }
    }
}

/// The terminal shows the code with the message, in the site's language.
#[test]
fn the_terminal_shows_the_code_and_the_chinese_text() {
    let dir = common::fixture_site(&[
        ("content/site.yaml", SITE),
        (
            "content/a/x.md",
            "---\ntitle: 甲\norder: 第三\n---\n\n第一条　正文。\n",
        ),
    ]);
    let (status, _, err) =
        common::run_rulebook(&["check".as_ref(), "--root".as_ref(), dir.path().as_os_str()]);
    assert_eq!(status, 1);
    assert!(
        err.contains("content/a/x.md:3:8: [RB004] `order` 的值应为整数（阿拉伯数字，如 3），现为 string \"第三\""),
        "{err}"
    );
    assert!(err.contains("例如 `order: 3` 只能写阿拉伯数字"), "{err}");
}

/// Every code in the catalogue is listed in the README with its name.
#[test]
fn the_readme_lists_every_code() {
    let readme = std::fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    for m in rulebook::messages::CATALOGUE {
        assert!(
            readme.contains(&format!("`{}`", m.code)) && readme.contains(m.name),
            "{} {} is not in the README",
            m.code,
            m.name
        );
    }
}

/// Advice chosen per case (a near miss, a reserved name) is in the language asked for too.
#[test]
fn per_case_advice_in_chinese_and_english() {
    type HintCase = (
        &'static str,
        Vec<(&'static str, &'static str)>,
        &'static str,
        &'static str,
        &'static str,
    );
    let cases: Vec<HintCase> = vec![
        (
            "unknown role kind near a known one",
            vec![("content/roles.yaml", "- name: 出纳\n  kind: positon\n")],
            "RB055",
            "是不是要写 `position`？",
            "did you mean `position`?",
        ),
        (
            "unknown role kind far from any",
            vec![("content/roles.yaml", "- name: 出纳\n  kind: 岗位\n")],
            "RB055",
            "请用其中之一：leadership, position, body, outside",
            "use one of: leadership, position, body, outside",
        ),
        (
            "a role id that names a page of its own",
            vec![("content/roles.yaml", "- name: 出纳\n  id: matrix\n")],
            "RB053",
            "roles/index.html 和 roles/matrix.html 是岗位索引和岗位矩阵页：请另选一个 id",
            "roles/index.html and roles/matrix.html are the role index and the matrix: choose another id",
        ),
        (
            "a procedure's unknown clause near a known one",
            vec![(
                "content/procedures/p.yaml",
                "id: p\ntitle: 流程\nregulation: ok\nsteps:\n  - text: 第一项\n    clause: art2\n",
            )],
            "RB090",
            "是不是要写 `art1`？（ok 的锚点形如 art3、sec2-sub9 …）",
            "did you mean `art1`? (anchors of ok: art3, sec2-sub9 …)",
        ),
    ];
    for (name, files, code, zh, en) in cases {
        let mut all = vec![("content/site.yaml", SITE), ("content/a/x.md", OK)];
        all.extend(files);
        let dir = common::fixture_site(&all);
        for (lang, want) in [("zh-CN", zh), ("en", en)] {
            let (_, v) = check(dir.path(), Some(lang));
            let d = v["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["code"] == code)
                .unwrap_or_else(|| panic!("{name}: no {code} in {v:#}"));
            assert_eq!(d["help"], want, "{name} ({lang})");
        }
    }
}
