//! Moving and removing regulations (issue 24, item 6), run as the README writes the commands,
//! from the site folder: `old_ids:` keeps a former address alive as a small redirect page (meta
//! refresh, a link, `rel=canonical`, noindex) beside the regulation's page, never over another
//! regulation's page; a procedure citing an old id is read with the new one and told what to
//! change; a procedure citing a removed regulation is told where, what it may have meant, and that
//! `old_ids:` exists.

use crate::common;

use std::path::Path;

use serde_json::Value;

const SITE: &str = "title: 测试手册\nlanguage: zh-CN\n";

/// `rulebook ARGS` with `dir` as the current folder: exit status, stdout, stderr.
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

/// `rulebook check --format json [--lang L]` from the site folder: status and diagnostics.
fn check(dir: &Path, lang: &str) -> (i32, Vec<Value>) {
    let (code, out, err) = run(dir, &["check", "--format", "json", "--lang", lang]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (
        code,
        v["diagnostics"].as_array().cloned().unwrap_or_default(),
    )
}

fn with_code<'a>(diags: &'a [Value], code: &str) -> Vec<&'a Value> {
    diags.iter().filter(|d| d["code"] == code).collect()
}

fn attr(html: &str, selector: &str, name: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr(name).map(str::to_string))
}

#[test]
fn old_ids_keep_old_addresses_as_redirect_pages() {
    let dir = common::fixture_site(&[
        ("content/site.yaml", SITE),
        // An `id:` changed from `gongche` to `gongwuche`.
        (
            "content/zonghe/gongche.md",
            "---\ntitle: 公务用车管理制度\nid: gongwuche\nold_ids: [gongche]\n---\n\n第一条　派车须经批准。\n",
        ),
        // A file renamed from jiu.md to xin.md: its default id changed from zonghe-jiu.
        (
            "content/zonghe/xin.md",
            "---\ntitle: 会议管理制度\nold_ids:\n  - zonghe-jiu\n---\n\n第一条　会议须有记录。\n",
        ),
        // A withheld regulation's former address is not published either.
        (
            "content/zonghe/caogao.md",
            "---\ntitle: 草稿制度\ndraft: true\nold_ids: [caogao-jiu]\n---\n\n第一条　草稿。\n",
        ),
    ]);
    let (code, _, err) = run(dir.path(), &["build"]);
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("public/regulations");
    for (old, new, title) in [
        ("gongche", "gongwuche", "公务用车管理制度"),
        ("zonghe-jiu", "zonghe-xin", "会议管理制度"),
    ] {
        let page = std::fs::read_to_string(out.join(format!("{old}.html")))
            .unwrap_or_else(|e| panic!("{old}: {e}"));
        let target = format!("{new}.html");
        // Relative to the page itself: it works from a server path and from file:// alike.
        assert!(out.join(&target).is_file(), "{target}");
        assert_eq!(
            attr(&page, "meta[http-equiv=refresh]", "content").as_deref(),
            Some(format!("0; url={target}").as_str()),
            "{page}"
        );
        assert_eq!(
            attr(&page, "link[rel=canonical]", "href"),
            Some(target.clone())
        );
        assert_eq!(
            attr(&page, "meta[name=robots]", "content").as_deref(),
            Some("noindex")
        );
        assert!(common::has_href(&page, &target), "a link: {page}");
        assert!(common::html_text(&page).contains(title), "{page}");
        assert!(
            page.contains("本页已迁移至"),
            "in the site's language: {page}"
        );
    }
    assert!(!out.join("caogao-jiu.html").exists());
    assert!(!out.join("zonghe-caogao.html").exists());
    // No link of the handbook is broken by them.
    assert_eq!(
        common::broken_links(&dir.path().join("public")),
        Vec::<(String, String)>::new()
    );
}

#[test]
fn an_old_id_never_takes_another_regulations_address() {
    let dir = common::fixture_site(&[
        ("content/site.yaml", SITE),
        (
            "content/zonghe/a.md",
            "---\ntitle: 甲制度\nid: jia\n---\n\n第一条　甲。\n",
        ),
        (
            "content/zonghe/b.md",
            "---\ntitle: 乙制度\nid: yi\nold_ids:\n  - bing\n  - jia\n  - \"x/y\"\n---\n\n第一条　乙。\n",
        ),
        (
            "content/zonghe/c.md",
            "---\ntitle: 丙制度\nid: ding\nold_ids: [bing]\n---\n\n第一条　丙。\n",
        ),
    ]);
    let (code, diags) = check(dir.path(), "zh-CN");
    assert_ne!(code, 0);
    let taken = with_code(&diags, "RB127");
    let places: Vec<(String, u64)> = taken
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            ("content/zonghe/b.md".to_string(), 6),
            ("content/zonghe/c.md".to_string(), 4)
        ],
        "{diags:#?}"
    );
    assert!(
        taken[0]["message"]
            .as_str()
            .unwrap()
            .contains("content/zonghe/a.md"),
        "{:#}",
        taken[0]
    );
    let invalid = with_code(&diags, "RB126");
    assert_eq!(invalid.len(), 1, "{diags:#?}");
    assert_eq!(invalid[0]["line"], 7);
    // `build` fails the same way and writes nothing over 甲's page.
    let (code, _, err) = run(dir.path(), &["build"]);
    assert_ne!(code, 0);
    assert!(err.contains("RB127"), "{err}");
    assert!(!dir.path().join("public").exists());
}

const PROCEDURE: &str = "id: paiche\ntitle: 派车\nregulation: gongche\nsteps:\n  - text: 提出申请\n    clause: art1\n  - text: 审批\n    clause: gongche#art2\n";

const CHE: &str = "---\ntitle: 公务用车管理制度\nid: gongwuche\n{old}---\n\n第一条　派车须经批准。\n\n第二条　由办公室主任审批。\n";

#[test]
fn a_procedure_citing_an_old_id_is_read_with_the_new_one_and_told_to_change() {
    let dir = common::fixture_site(&[
        ("content/site.yaml", SITE),
        (
            "content/zonghe/gongche.md",
            &CHE.replace("{old}", "old_ids: [gongche]\n"),
        ),
        ("content/procedures/paiche.yaml", PROCEDURE),
    ]);
    let (code, diags) = check(dir.path(), "zh-CN");
    assert_eq!(code, 0, "{diags:#?}");
    let told: Vec<(u64, String)> = with_code(&diags, "RB128")
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["help"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        told,
        [
            (3, "请在此处改写为 `gongwuche`".to_string()),
            (8, "请在此处改写为 `gongwuche#art2`".to_string())
        ]
    );
    let (code, _, err) = run(dir.path(), &["build"]);
    assert_eq!(code, 0, "{err}");
    let checklist = std::fs::read_to_string(dir.path().join("public/checklists/paiche.html"))
        .expect("the procedure's checklist");
    assert!(checklist.contains("审批"));
}

#[test]
fn a_procedure_citing_a_removed_regulation_is_told_where_and_what_to_change() {
    let dir = common::fixture_site(&[
        ("content/site.yaml", SITE),
        ("content/zonghe/gongche.md", &CHE.replace("{old}", "")),
        ("content/procedures/paiche.yaml", PROCEDURE),
    ]);
    for (lang, near, old_ids) in [
        ("zh-CN", "是不是要写 `gongwuche`？", "`old_ids: [gongche]`"),
        ("en", "did you mean `gongwuche`?", "`old_ids: [gongche]`"),
    ] {
        let (code, diags) = check(dir.path(), lang);
        assert_ne!(code, 0);
        let d = with_code(&diags, "RB065");
        assert_eq!(d.len(), 1, "{diags:#?}");
        assert_eq!(d[0]["path"], "content/procedures/paiche.yaml");
        assert_eq!(d[0]["line"], 3, "the `regulation:` line");
        let help = d[0]["help"].as_str().unwrap();
        assert!(help.starts_with(near), "{help}");
        assert!(help.contains(old_ids), "{help}");
    }
    // A step citing a clause of a regulation that is gone entirely, in a procedure of one that is
    // there: the step's own line, no candidate, and both ways out.
    let dir = common::fixture_site(&[
        ("content/site.yaml", SITE),
        ("content/zonghe/gongche.md", &CHE.replace("{old}", "")),
        (
            "content/procedures/paiche.yaml",
            &PROCEDURE
                .replace("regulation: gongche", "regulation: gongwuche")
                .replace("gongche#art2", "shanchu#art2"),
        ),
    ]);
    let (_, diags) = check(dir.path(), "zh-CN");
    let d = with_code(&diags, "RB129");
    assert_eq!(d.len(), 1, "{diags:#?}");
    assert_eq!(d[0]["line"], 8);
    assert_eq!(
        d[0]["message"],
        "条款 `shanchu#art2`：制度 `shanchu` 不存在（已删除，或其 id 已更改）"
    );
    let help = d[0]["help"].as_str().unwrap();
    assert!(help.contains("old_ids: [shanchu]"), "{help}");
    assert!(with_code(&diags, "RB090").is_empty(), "{diags:#?}");
}
