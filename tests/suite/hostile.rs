//! Hostile content against the whole build ("nothing leaked"): every URL vector a Markdown body, raw
//! HTML or site.yaml can carry, control characters, and files site.yaml or static/ would have copied
//! into the output (drafts' sources, links out of the site, missing files).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{all_files, fixture_site};
use rulebook::{Severity, Site};
use scraper::{Html, Node};

// ---------------------------------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------------------------------

/// Every way the editor can write an address, good and bad. The texts of refused links (甲 … 癸,
/// 子 …) must stay, unlinked; the good links must stay linked.
const VECTORS: &str = r#"---
title: 链接测试
id: vectors
order: 1
---

一、[甲点我](javascript:alert(1))

二、[乙实体](&#106;avascript:alert(2))[丙十六](&#x6A;avascript:alert(3))[丁冒号](javascript&colon;alert(4))

三、<javascript:alert(5)>和<VBScript:msgbox(5)>

四、![戊图](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)

五、[己参考][r1]与[庚参考][r2]

六、[辛制表](<java	script:alert(8)>)[壬大写](JAVASCRIPT:alert(9))[癸百分](javascript%3Aalert(10))

七、[子文件](file:///etc/passwd)[丑未知](foo:bar)[寅数据](data:text/html,<script>alert(11)</script>)

八、<a href="&#106;avascript:alert(12)">卯原始</a><a href="java&#x09;script:alert(13)">辰原始</a><img src="data:image/png;base64,AAAA" alt="图"><a href=" JAVASCRIPT&colon;alert(14)">巳原始</a>

<div><a
href="javascript:alert(15)">午块</a><form action="javascript:alert(16)"><button formaction="vbscript:x">未</button></form><svg><a xlink:href="javascript:alert(17)">申</a></svg></div>

九、[好链接](https://example.org/)[邮件](mailto:office@example.org)[电话](tel:+86-436-1234567)[相对](../index.html)[锚](#sec1)，按《印章使用审批单》办理，依据《中国共产党问责条例》。

[r1]: javascript:alert(6)
[r2]: vbscript:msgbox(7)
"#;

/// The texts of the refused links, each of which must be on the page, not inside a link.
const DROPPED_TEXTS: &[&str] = &[
    "甲点我",
    "乙实体",
    "丙十六",
    "丁冒号",
    "己参考",
    "庚参考",
    "辛制表",
    "壬大写",
    "癸百分",
    "子文件",
    "丑未知",
    "寅数据",
];

const SITE: &str = "title: 测试\nexternal:\n  中国共产党问责条例: https://example.org/wenze\nforms:\n  印章使用审批单: forms/yinzhang.docx\n";

fn vector_site(policy: &str) -> (tempfile::TempDir, PathBuf) {
    let site = format!("{SITE}raw_html: {policy}\n");
    let dir = fixture_site(&[
        ("content/site.yaml", &site),
        ("content/a/vectors.md", VECTORS),
        ("content/forms/yinzhang.docx", "印章使用审批单（表格）"),
    ]);
    let out = dir.path().join("public");
    Site::new(dir.path())
        .build(None, false)
        .unwrap_or_else(|e| panic!("{policy}: {e}: {:#?}", e.diagnostics()));
    (dir, out)
}

/// An attribute value as a browser might read the address in it (entities are already decoded by
/// the HTML parser): white space and control characters removed, `%XX` decoded, lower case.
fn as_address(value: &str) -> String {
    let squeezed: String = value
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect();
    let mut out = String::new();
    let mut rest = squeezed.as_str();
    while let Some(p) = rest.find('%') {
        out.push_str(&rest[..p]);
        match u8::from_str_radix(rest.get(p + 1..p + 3).unwrap_or("zz"), 16) {
            Ok(b) if b.is_ascii() => {
                out.push(b as char);
                rest = &rest[p + 3..];
            }
            _ => {
                out.push('%');
                rest = &rest[p + 1..];
            }
        }
    }
    out.push_str(rest);
    out.to_ascii_lowercase()
}

const BAD_SCHEMES: &[&str] = &["javascript:", "vbscript:", "data:"];

fn count_ci(hay: &str, needle: &str) -> usize {
    hay.to_ascii_lowercase().matches(needle).count()
}

/// The theme's own empty favicon, `<link rel=icon href="data:,">` (so browsers do not ask a server
/// for /favicon.ico): not content, and the only `data:` the build may write.
fn is_theme_favicon(element: &scraper::node::Element, value: &str) -> bool {
    element.name() == "link" && element.attr("rel") == Some("icon") && value == "data:,"
}

/// Visible text of the page (script and style contents left out).
fn visible_text(doc: &Html) -> String {
    let mut out = String::new();
    for node in doc.tree.nodes() {
        if let Node::Text(t) = node.value() {
            let in_code = node.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "script" | "style"))
            });
            if !in_code {
                out.push_str(t);
            }
        }
    }
    out
}

/// Check one built site: no attribute anywhere holds a refused address, and the bytes hold those
/// schemes only where the page shows them as text (an autolink's text, raw HTML under `escape`).
fn assert_no_refused_url(policy: &str, out: &Path) {
    let files = all_files(out);
    assert!(files.iter().any(|(p, _)| p == "regulations/vectors.html"));
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            if path.starts_with("files/") || path.starts_with("assets/") {
                for bad in BAD_SCHEMES {
                    assert_eq!(
                        count_ci(&String::from_utf8_lossy(bytes), bad),
                        0,
                        "{policy}: {path} has {bad}"
                    );
                }
            }
            continue;
        }
        let html = std::str::from_utf8(bytes).unwrap();
        let doc = Html::parse_document(html);
        let mut favicons = 0;
        for node in doc.tree.nodes() {
            let Some(element) = node.value().as_element() else {
                continue;
            };
            for (name, value) in element.attrs() {
                if is_theme_favicon(element, value) {
                    favicons += 1;
                    continue;
                }
                let address = as_address(value);
                for bad in BAD_SCHEMES {
                    assert!(
                        !address.starts_with(bad),
                        "{policy}: {path}: <{} {name}={value:?}>",
                        element.name()
                    );
                }
                for bad in ["javascript:", "vbscript:"] {
                    assert!(
                        !address.contains(bad),
                        "{policy}: {path}: <{} {name}={value:?}>",
                        element.name()
                    );
                }
            }
        }
        // Raw bytes: each occurrence must be one the reader sees as text.
        let text = visible_text(&doc);
        for bad in BAD_SCHEMES {
            let raw = count_ci(html, bad);
            let favicon = if *bad == "data:" { favicons } else { 0 };
            assert!(
                raw <= count_ci(&text, bad) + favicon,
                "{policy}: {path}: {raw} `{bad}` in the bytes, {} in the text: {html}",
                count_ci(&text, bad)
            );
        }
    }

    let page = std::fs::read_to_string(out.join("regulations/vectors.html")).unwrap();
    let doc = Html::parse_document(&page);
    let text = visible_text(&doc);
    let links: Vec<(String, String)> = doc
        .select(&scraper::Selector::parse(".reg-body a[href]").unwrap())
        .map(|a| {
            (
                a.value().attr("href").unwrap().to_string(),
                a.text().collect::<String>(),
            )
        })
        .collect();
    for t in DROPPED_TEXTS {
        assert!(text.contains(t), "{policy}: {t} not shown: {page}");
        assert!(
            !links.iter().any(|(_, l)| l.contains(t)),
            "{policy}: {t} still linked: {links:?}"
        );
    }
    for (href, label) in [
        ("https://example.org/", "好链接"),
        ("mailto:office@example.org", "邮件"),
        ("tel:+86-436-1234567", "电话"),
        ("../index.html", "相对"),
        ("#sec1", "锚"),
        ("../files/forms/yinzhang.docx", "印章使用审批单"),
        ("https://example.org/wenze", "中国共产党问责条例"),
    ] {
        assert!(
            links.iter().any(|(h, l)| h == href && l.contains(label)),
            "{policy}: no <a href={href}>{label}: {links:?}"
        );
    }
    if policy != "escape" {
        // Raw HTML links keep their text, without the address.
        for t in ["卯原始", "辰原始", "巳原始", "午块"] {
            assert!(text.contains(t), "{policy}: {t}");
            assert!(
                !links.iter().any(|(_, l)| l.contains(t)),
                "{policy}: {t} {links:?}"
            );
        }
    }
}

#[test]
fn no_refused_url_is_written_under_any_raw_html_policy() {
    for policy in ["safe", "escape", "trust"] {
        let (_dir, out) = vector_site(policy);
        assert_no_refused_url(policy, &out);
    }
}

#[test]
fn dropped_links_are_warnings_with_file_and_line() {
    let dir = fixture_site(&[
        ("content/site.yaml", SITE),
        ("content/a/vectors.md", VECTORS),
        ("content/forms/yinzhang.docx", "表格"),
    ]);
    let mut site = Site::new(dir.path());
    let diags = site.check().to_vec();
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:#?}");
    let line_of = |needle: &str| {
        VECTORS
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap()
    };
    let warned: Vec<usize> = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning && d.path == Path::new("content/a/vectors.md"))
        .map(|d| d.line)
        .collect();
    for (needle, times) in [
        ("甲点我", 1),
        ("乙实体", 3),
        ("三、", 2),
        ("戊图", 1),
        ("五、", 2),
        ("辛制表", 3),
        ("子文件", 3),
        ("卯原始", 4),
        // A tag over two lines of an HTML block is read whole, and reported where the address is;
        // the rest of that line has an action, a formaction and an xlink:href.
        ("<div><a", 0),
        ("href=\"javascript:alert(15)", 4),
    ] {
        let line = line_of(needle);
        assert_eq!(
            warned.iter().filter(|&&l| l == line).count(),
            times,
            "{needle} (line {line}): {diags:#?}"
        );
    }
    assert!(
        !warned.contains(&line_of("好链接")),
        "good links are not warned about: {diags:#?}"
    );
    assert!(diags.iter().all(|d| d.help.is_some()));
}

#[test]
fn site_yaml_addresses_with_refused_schemes_are_errors_at_their_line() {
    let site = "title: T\nexternal:\n  中国共产党问责条例: \"javascript://example.org/%0aalert(1)\"\n  好文件: https://example.org/ok\nforms:\n  印章使用审批单: \"data:text/html,<script>alert(1)</script>\"\n  请假单: \"JaVa\\tScript:alert(1)\"\n";
    let dir = fixture_site(&[
        ("content/site.yaml", site),
        (
            "content/a/x.md",
            "---\ntitle: 甲\n---\n\n第一条　依据《中国共产党问责条例》。\n",
        ),
    ]);
    let e = Site::new(dir.path()).build(None, false).unwrap_err();
    let errors: Vec<(PathBuf, usize, String)> = e
        .diagnostics()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.path.clone(), d.line, d.message.clone()))
        .collect();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    for ((path, line, message), (want_line, scheme)) in
        errors
            .iter()
            .zip([(3, "javascript"), (6, "data"), (7, "javascript")])
    {
        assert_eq!(path, Path::new("content/site.yaml"));
        assert_eq!(*line, want_line, "{message}");
        assert!(message.contains(&format!("`{scheme}:`")), "{message}");
    }
    assert!(
        e.diagnostics()
            .iter()
            .all(|d| d.help.as_deref().is_some_and(|h| h.contains("https:"))),
        "{:#?}",
        e.diagnostics()
    );
    assert!(!dir.path().join("public").exists());
}

#[test]
fn base_path_must_be_a_path() {
    for bad in [
        "//evil.example/",
        "javascript:alert(1)//",
        "/a b/",
        "/a\"onload=x/",
    ] {
        let site = format!("title: T\nbase_path: '{bad}'\n");
        let dir = fixture_site(&[
            ("content/site.yaml", &site),
            ("content/a/x.md", "---\ntitle: 甲\n---\n\n第一条　无。\n"),
        ]);
        let e = Site::new(dir.path()).build(None, false).unwrap_err();
        let d = &e.diagnostics()[0];
        assert_eq!(
            (d.path.as_path(), d.line),
            (Path::new("content/site.yaml"), 2),
            "{bad}: {d:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------------
// Control characters
// ---------------------------------------------------------------------------------------------------

#[test]
fn control_characters_are_never_written() {
    // YAML escapes put them into site.yaml and front-matter values; the body has them raw.
    let site = "title: \"站\\x01点\\x7f名\"\norganisation: \"机\\x85关\\x9f\"\n";
    let reg = "---\ntitle: \"控\\x02制\\x1b字\\x0b符\"\nsummary: \"摘\\0要\\x08\"\nid: ctl\n---\n\n一、甲\u{1}乙\u{7f}丙\u{85}丁\u{9f}戊\u{b}己\u{c}庚\r\n`代\u{2}码`[链\u{3}接](#sec1)&#1;&#x7f;&#133;\n\n<span title=\"属\u{5}性&#2;\">辛\u{6}</span>\n";
    for policy in ["safe", "escape", "trust"] {
        let site = format!("{site}raw_html: {policy}\n");
        let dir = fixture_site(&[("content/site.yaml", &site), ("content/a/ctl.md", reg)]);
        let out = dir.path().join("public");
        Site::new(dir.path())
            .build(None, false)
            .unwrap_or_else(|e| panic!("{e}: {:#?}", e.diagnostics()));
        for (path, bytes) in all_files(&out) {
            if !path.ends_with(".html") {
                continue;
            }
            let html = String::from_utf8(bytes).unwrap();
            let bad: Vec<(usize, char)> = html
                .char_indices()
                .filter(|&(_, c)| {
                    (c.is_control() && c != '\t' && c != '\n') || ('\u{80}'..='\u{9f}').contains(&c)
                })
                .collect();
            assert!(bad.is_empty(), "{policy}: {path}: {bad:?}");
            assert!(html.contains("站点名"), "{policy}: {path}");
        }
        let page = std::fs::read_to_string(out.join("regulations/ctl.html")).unwrap();
        for shown in ["控制字符", "摘要", "甲乙丙丁戊己庚", "代码", "链接", "机关"]
        {
            assert!(page.contains(shown), "{policy}: {shown} not in {page}");
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Files copied into the output
// ---------------------------------------------------------------------------------------------------

const GOOD: &str = "---\ntitle: 正常制度\nid: good\n---\n\n第一条　按《印章使用审批单》办理。\n";
const DRAFT: &str =
    "---\ntitle: 草稿制度\nid: draft\ndraft: true\n---\n\n第一条　草稿机密正文ZZX。\n";

/// A site whose `forms:` has one entry, `印章使用审批单: <dest>`, on line 3 of site.yaml.
fn form_site(dest: &str, extra: &[(&str, &str)]) -> tempfile::TempDir {
    let site = format!("title: 测试\nforms:\n  印章使用审批单: {dest}\n");
    let mut files = vec![
        ("content/site.yaml", site.as_str()),
        ("content/a/good.md", GOOD),
        ("content/a/draft.md", DRAFT),
    ];
    files.extend_from_slice(extra);
    fixture_site(&files)
}

/// The errors of building the site (which must fail and write nothing).
fn build_errors(dir: &Path) -> Vec<rulebook::Diagnostic> {
    let e = Site::new(dir)
        .build(None, false)
        .expect_err("the build must fail");
    assert!(!dir.join("public").exists(), "nothing is written");
    e.diagnostics()
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect()
}

/// One error, at site.yaml line 3, whose message contains `says`.
fn assert_form_error(dir: &Path, says: &str) {
    let errors = build_errors(dir);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let d = &errors[0];
    assert_eq!(
        (d.path.as_path(), d.line),
        (Path::new("content/site.yaml"), 3),
        "{d:#?}"
    );
    assert!(d.message.contains(says), "{says:?} not in {d:#?}");
    assert!(d.help.is_some(), "{d:#?}");
}

#[test]
fn a_form_file_is_copied_and_linked() {
    let dir = form_site(
        "forms/印章 使用#1.docx",
        &[("content/forms/印章 使用#1.docx", "DOCX")],
    );
    Site::new(dir.path()).build(None, false).unwrap();
    let out = dir.path().join("public");
    assert_eq!(
        std::fs::read(out.join("files/forms/印章 使用#1.docx")).unwrap(),
        b"DOCX"
    );
    let page = std::fs::read_to_string(out.join("regulations/good.html")).unwrap();
    let doc = Html::parse_document(&page);
    let form = doc
        .select(&scraper::Selector::parse("a.form").unwrap())
        .next()
        .expect("the form is linked");
    assert_eq!(
        form.value().attr("href"),
        // Every segment as RFC 3986 writes it (the Chinese too), as page links are.
        Some("../files/forms/%E5%8D%B0%E7%AB%A0%20%E4%BD%BF%E7%94%A8%231.docx")
    );
}

#[test]
fn a_form_pointing_at_a_regulation_source_is_an_error() {
    // A draft: its raw text would have been published under files/.
    let dir = form_site("a/draft.md", &[]);
    assert_form_error(dir.path(), "source file");
    // A published regulation, and the same through a symbolic link.
    let dir = form_site("a/good.md", &[]);
    assert_form_error(dir.path(), "source file");
    let dir = form_site("forms/x.docx", &[]);
    std::fs::create_dir_all(dir.path().join("content/forms")).unwrap();
    std::os::unix::fs::symlink("../a/draft.md", dir.path().join("content/forms/x.docx")).unwrap();
    assert_form_error(dir.path(), "source file");
    // A procedure of a withheld regulation, and site.yaml itself.
    let proc = "id: p\ntitle: 流程\nregulation: draft\nsteps:\n  - text: 第一步\n";
    let dir = form_site("procedures/p.yaml", &[("content/procedures/p.yaml", proc)]);
    assert_form_error(dir.path(), "source file");
    let dir = form_site("site.yaml", &[]);
    assert_form_error(dir.path(), "source file");
}

#[test]
fn a_form_leading_out_of_the_site_is_an_error() {
    // A symbolic link under content/ to a file outside the site folder, and to /etc/passwd.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "SECRET").unwrap();
    for target in [
        outside.path().join("secret.txt"),
        PathBuf::from("/etc/passwd"),
    ] {
        let dir = form_site("forms/x.docx", &[]);
        std::fs::create_dir_all(dir.path().join("content/forms")).unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("content/forms/x.docx")).unwrap();
        assert_form_error(dir.path(), "outside the site folder");
    }
    // `..`, a hidden file, a folder.
    let dir = form_site("../outside.txt", &[("outside.txt", "x")]);
    assert_form_error(dir.path(), "not a path of a file under content/");
    let dir = form_site(".git/config", &[("content/.git/config", "x")]);
    assert_form_error(dir.path(), "not a path of a file under content/");
    let dir = form_site("forms", &[("content/forms/x.docx", "x")]);
    assert_form_error(dir.path(), "not a regular file");
    // A link to a hidden file inside the site.
    let dir = form_site("forms/x.docx", &[(".env", "TOKEN")]);
    std::fs::create_dir_all(dir.path().join("content/forms")).unwrap();
    std::os::unix::fs::symlink("../../.env", dir.path().join("content/forms/x.docx")).unwrap();
    assert_form_error(dir.path(), "hidden");
}

#[test]
fn a_missing_form_file_fails_check_with_the_site_yaml_line() {
    let dir = form_site("forms/missing.docx", &[]);
    let o = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .current_dir(dir.path())
        .args(["check", "--format", "json", "--lang", "en"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["errors"], 1, "{json:#}");
    let d = &json["diagnostics"][0];
    assert_eq!(d["path"], "content/site.yaml", "{json:#}");
    assert_eq!(d["line"], 3, "{json:#}");
    assert_eq!(d["severity"], "error", "{json:#}");
    assert!(
        d["message"].as_str().unwrap().contains("does not exist"),
        "{json:#}"
    );
    assert!(!dir.path().join("public").exists());
}

#[test]
fn static_files_must_stay_inside_the_site() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.css"), "SECRET").unwrap();
    let site = [
        ("content/site.yaml", "title: 测试\n"),
        ("content/a/good.md", GOOD),
        ("content/a/draft.md", DRAFT),
        ("static/logo.css", "LOGO"),
        ("shared/theme.css", "SHARED"),
        ("static/.gitkeep", ""),
    ];
    // A link to a file inside the site is followed; hidden files are left out.
    let dir = fixture_site(&site);
    std::os::unix::fs::symlink("../shared/theme.css", dir.path().join("static/theme.css")).unwrap();
    Site::new(dir.path()).build(None, false).unwrap();
    let out = dir.path().join("public");
    assert_eq!(std::fs::read(out.join("assets/logo.css")).unwrap(), b"LOGO");
    assert_eq!(
        std::fs::read(out.join("assets/theme.css")).unwrap(),
        b"SHARED"
    );
    assert!(!out.join("assets/.gitkeep").exists());
    // Links out of the site, to a source, and the folder itself linked out: errors at the file.
    for (link, target, says) in [
        (
            "static/x.css",
            outside.path().join("secret.css"),
            "outside the site folder",
        ),
        (
            "static/y.css",
            PathBuf::from("/etc/passwd"),
            "outside the site folder",
        ),
        (
            "static/z.txt",
            PathBuf::from("../content/a/draft.md"),
            "source file",
        ),
    ] {
        let dir = fixture_site(&site);
        std::os::unix::fs::symlink(&target, dir.path().join(link)).unwrap();
        let errors = build_errors(dir.path());
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(errors[0].path, Path::new(link), "{errors:#?}");
        assert!(errors[0].message.contains(says), "{errors:#?}");
    }
    let dir = fixture_site(&site[..3]);
    std::os::unix::fs::symlink(outside.path(), dir.path().join("static")).unwrap();
    let errors = build_errors(dir.path());
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].path, Path::new("static"), "{errors:#?}");
}
