//! Cross-references: on the seed (the examples) and on small fixture sites.

use crate::common;

use std::process::Command;

use crate::common::{fixture_site, has_href, has_id, html_text, links, seed_site};
use rulebook::Site;
use rulebook::model::{Origin, Target};

fn seed_library() -> rulebook::model::Library {
    let mut site = Site::new(common::repo_root());
    site.load().expect("seed loads");
    site.library.take().unwrap()
}

fn page(rel: &str) -> String {
    std::fs::read_to_string(seed_site().join(rel)).unwrap()
}

fn reg(id: &str, anchor: Option<&str>) -> Target {
    Target::Regulation {
        id: id.into(),
        anchor: anchor.map(String::from),
    }
}

#[test]
fn book_titles_in_the_office_register_link_to_regulations() {
    let lib = seed_library();
    let from_office: Vec<_> = lib
        .references
        .iter()
        .filter(|r| r.from == "fengxian-bangongshi")
        .collect();
    let finance = from_office
        .iter()
        .find(|r| r.text == "《市委保密办财务管理制度》")
        .expect("finance cited");
    assert_eq!(finance.target, reg("caiwu-guanli", None));
    assert_eq!(finance.origin, Origin::RiskRegister);
    assert_eq!(
        finance.path,
        std::path::Path::new("content/fengxian-fangkong/fengxian-bangongshi.md")
    );
    let cars = from_office
        .iter()
        .find(|r| r.text == "《公车管理制度》")
        .expect("公车管理制度 cited");
    assert_eq!(
        cars.target,
        reg("cheliang-guanli", None),
        "alias of 车辆管理制度"
    );
    let html = page("regulations/fengxian-bangongshi.html");
    assert!(html.contains(
        "<a class=xref href=../regulations/caiwu-guanli.html>《市委保密办财务管理制度》</a>"
    ));
    assert!(
        html.contains(
            "<a class=xref href=../regulations/cheliang-guanli.html>《公车管理制度》</a>"
        )
    );
}

#[test]
fn sanzhong_yida_mentions_link_to_its_regulation() {
    let lib = seed_library();
    // 党风廉政建设责任清单 二、（四）严格执行“三重一大”民主决策制度
    let r = lib
        .references
        .iter()
        .find(|r| r.from == "dangfeng-zeren-qingdan" && r.clause.as_deref() == Some("sec2-item4"))
        .expect("reference in 责任清单 二、（四）");
    assert_eq!(r.target, reg("sanzhong-yida", None));
    assert!(r.text.contains("三重一大"));
    // The 主要领导 register: the term and the 制度 both lead to the 三重一大 regulation.
    let html = page("regulations/fengxian-zhuyao-lingdao.html");
    let table = &html[html.find("<table").unwrap()..];
    assert!(
        table.contains(
            "href=../regulations/sanzhong-yida.html#preamble data-term=三重一大 title=术语释义>三重一大</a>"
        ),
        "term link"
    );
    assert!(
        table.contains("<a class=xref href=../regulations/sanzhong-yida.html>“三重一大”制度</a>")
    );
}

#[test]
fn in_document_article_reference_in_the_seed() {
    // 车辆管理制度 七、违反第五条规定…: a regulation numbered 一、二、 means its 五、.
    let lib = seed_library();
    let r = lib
        .references
        .iter()
        .find(|r| r.from == "cheliang-guanli" && r.text == "第五条")
        .expect("第五条");
    assert_eq!(r.target, reg("cheliang-guanli", Some("sec5")));
    assert_eq!(r.clause.as_deref(), Some("sec7"));
    assert_eq!(
        (r.line, r.column),
        (22, 5),
        "file line and column of 第五条"
    );
    let html = page("regulations/cheliang-guanli.html");
    assert!(html.contains(
        "<a class=xref href=#sec5 data-cite=（见《市委保密办车辆管理制度》五、）>第五条</a>"
    ));
    // …and 五、 shows who cites it.
    let sec5 = &html[html.find("id=sec5").unwrap()..];
    let sec5 = &sec5[..sec5.find("</section>").unwrap()];
    assert!(
        sec5.contains(
            "被引用：</span><a href=#sec7 aria-label=《市委保密办车辆管理制度》七、>七、</a>"
        ),
        "{sec5}"
    );
}

#[test]
fn backlinks_of_the_finance_regulation() {
    let html = page("regulations/caiwu-guanli.html");
    let cited = &html[html.find("id=\"cited-by\"").expect("被引用 section")..];
    let text = html_text(cited);
    assert!(text.contains("《办公室廉政风险排查登记表》"), "{text}");
    assert!(has_href(
        cited,
        "../regulations/fengxian-bangongshi.html#risk-register"
    ));
}

#[test]
fn forms_page_lists_the_seal_form_with_clause_and_procedure() {
    let html = page("forms.html");
    let entry = &html[html.find("id=\"form-印章使用审批单\"").expect("form entry")..];
    let entry = &entry[..entry.find("</dd>").unwrap()];
    let entry_links = links(entry);
    assert!(
        entry_links.contains(&(
            "regulations/yinzhang-shiyong.html#sec2-sub9".into(),
            "《市委保密办印章使用管理制度》二、9．".into()
        )),
        "{entry}"
    );
    assert!(
        has_href(
            entry,
            "regulations/yinzhang-shiyong.html#proc-yinzhang-shiyong-liucheng"
        ),
        "{entry}"
    );
    assert!(html_text(entry).contains("印章使用流程（步骤1）"));
    // A form is linked where it is required.
    let seal = page("regulations/yinzhang-shiyong.html");
    assert!(seal.contains(
        "<a class=form href=../forms.html#form-印章使用审批单 title=表单>《印章使用审批单》</a>"
    ));
}

#[test]
fn accountability_regulations_on_the_basis_page() {
    let html = page("basis.html");
    let entry = &html[html
        .find("id=\"ext-中国共产党问责条例\"")
        .expect("依据文件 entry")..];
    let entry = &entry[..entry.find("</dd>").unwrap()];
    assert!(
        entry.contains("regulations/yibashou-quanli.html"),
        "{entry}"
    );
    // Cited laws are shown as citations, not as (broken) links to regulations.
    let yibashou = page("regulations/yibashou-quanli.html");
    assert!(yibashou.contains("<a class=cite href=../basis.html#ext-中国共产党问责条例"));
    // Document numbers are citations too.
    assert!(has_id(&html, "ext-中保委〔2004〕7号"));
}

#[test]
fn terms_link_once_per_clause() {
    let lib = seed_library();
    let mut seen = std::collections::HashSet::new();
    for r in &lib.references {
        if let Target::Term { term } = &r.target {
            if r.origin == Origin::Body {
                assert!(
                    seen.insert((r.from.clone(), r.clause.clone(), term.clone())),
                    "{term} twice in {} {:?}",
                    r.from,
                    r.clause
                );
            }
            assert_ne!(term, "保密办", "link: false terms are not linked");
        }
    }
}

const JIA: &str = "---\ntitle: 市委保密办甲制度\nid: jia\n---\n第一条　总则。\n\n第二条　第一款内容。\n\n违反前款规定的，按本办法第三条第（二）项处理。\n\n第三条　处理办法：\n\n（一）甲；\n\n（二）乙。\n\n第四条　依照《市委保密办乙办法》第二条执行，另见[乙办法第一条](@yi#art1)。\n";
const YI: &str = "---\ntitle: 市委保密办乙办法\nid: yi\n---\n第一条　本办法依据《甲制度》制定。\n\n第二条　具体规定。\n";
const SITE: &str = "title: 测试\nshort_name: 市委保密办\n";

#[test]
fn in_document_and_explicit_references_resolve() {
    let dir = fixture_site(&[
        ("content/site.yaml", SITE),
        ("content/a/jia.md", JIA),
        ("content/a/yi.md", YI),
    ]);
    let out = dir.path().join("public");
    let mut site = Site::new(dir.path());
    site.build(Some(&out), false)
        .unwrap_or_else(|e| panic!("{e}: {:#?}", e.diagnostics()));
    let lib = site.library.as_ref().unwrap();
    let find = |text: &str| {
        lib.references
            .iter()
            .find(|r| r.text == text)
            .unwrap_or_else(|| panic!("{text}: {:#?}", lib.references))
    };
    assert_eq!(find("前款").target, reg("jia", Some("art2")));
    assert_eq!(find("前款").clause.as_deref(), Some("art2"));
    assert_eq!(
        find("本办法第三条第（二）项").target,
        reg("jia", Some("art3-item2"))
    );
    assert_eq!(
        find("《市委保密办乙办法》第二条").target,
        reg("yi", Some("art2"))
    );
    assert_eq!(find("@yi#art1").target, reg("yi", Some("art1")));
    // The short form without the office's name finds the full title.
    assert_eq!(find("《甲制度》").target, reg("jia", None));

    let jia = std::fs::read_to_string(out.join("regulations/jia.html")).unwrap();
    assert!(
        jia.contains("<a class=xref href=#art3-item2 data-cite=（见《市委保密办甲制度》第三条（二））>本办法第三条第（二）项</a>"),
        "{jia}"
    );
    assert!(
        jia.contains(
            "<a class=xref href=#art2 data-cite=（见《市委保密办甲制度》第二条）>前款</a>"
        )
    );
    assert!(
        jia.contains("<p id=art2-para2>"),
        "second paragraph of 第二条 has its own anchor"
    );
    assert!(
        jia.contains(
            "<a class=xref href=../regulations/yi.html#art2 data-cite=（见《市委保密办乙办法》第二条）>《市委保密办乙办法》第二条</a>"
        )
    );
    assert!(
        jia.contains("<a href=../regulations/yi.html#art1>乙办法第一条</a>"),
        "explicit link rewritten: {jia}"
    );
    let yi = std::fs::read_to_string(out.join("regulations/yi.html")).unwrap();
    // 乙办法第二条 shows it is cited by 甲制度 第四条.
    assert!(
        yi.contains(
            "被引用：</span><a href=../regulations/jia.html#art4>《市委保密办甲制度》第四条</a>"
        ),
        "{yi}"
    );
}

/// (In English: these tests read the English texts.)
fn rulebook(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(args)
        .args(["--lang", "en"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn check_reports_unresolved_references_with_file_line_and_suggestion() {
    let bad_yi = YI.replace(
        "第二条　具体规定。",
        "第二条　按照《市委保密办丙制度》和本办法第九条办理。",
    );
    let bad_jia = JIA.replace("(@yi#art1)", "(@yii#art1)");
    let dir = fixture_site(&[
        ("content/site.yaml", SITE),
        ("content/a/jia.md", &bad_jia),
        ("content/a/yi.md", &bad_yi),
    ]);
    let root = dir.path().to_str().unwrap();
    let (code, _, err) = rulebook(&["check", "--root", root]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/a/yi.md:7:7"),
        "file:line:column of 《市委保密办丙制度》: {err}"
    );
    assert!(err.contains("did you mean 《市委保密办甲制度》"), "{err}");
    assert!(err.contains("content/a/yi.md:7:18"), "本办法第九条: {err}");
    assert!(err.contains("no such clause"), "{err}");
    assert!(
        err.contains("content/a/jia.md:17:25"),
        "explicit reference: {err}"
    );
    assert!(err.contains("did you mean `@yi`?"), "{err}");

    let (code, json, _) = rulebook(&["check", "--root", root, "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    // The explicit `@yii` link is an error; what was inferred from the text is a warning.
    assert_eq!(v["errors"], 1, "{json}");
    assert_eq!(v["warnings"], 2, "{json}");
    let d = &v["diagnostics"];
    assert_eq!(
        (&d[0]["path"], &d[0]["line"], &d[0]["severity"]),
        (&"content/a/jia.md".into(), &17.into(), &"error".into())
    );
    for w in [&d[1], &d[2]] {
        assert_eq!(
            (&w["path"], &w["severity"]),
            (&"content/a/yi.md".into(), &"warning".into())
        );
        // What was only inferred from the text: a 《title》 that names nothing (RB032), a clause
        // of its own it does not have (RB036).
        assert!(
            ["RB032", "RB036"].contains(&w["code"].as_str().unwrap()),
            "{w}"
        );
    }

    // build reports the same and fails on the error.
    let (code, _, err) = rulebook(&["build", "--root", root]);
    assert_eq!(code, 1);
    assert!(err.contains("did you mean 《市委保密办甲制度》"));
    assert!(!dir.path().join("public").exists(), "nothing written");

    // Without the explicit error, the inferred ones do not block publishing; the text stays plain.
    std::fs::write(dir.path().join("content/a/jia.md"), JIA).unwrap();
    let (code, _, err) = rulebook(&["build", "--root", root]);
    assert_eq!(code, 0, "{err}");
    let yi = std::fs::read_to_string(dir.path().join("public/regulations/yi.html")).unwrap();
    assert!(
        yi.contains("按照《市委保密办丙制度》和本办法第九条办理。"),
        "{yi}"
    );
    // …unless warnings are denied (an office's own CI).
    let (code, _, err) = rulebook(&["check", "--root", root, "--deny-warnings"]);
    assert_eq!(code, 1, "{err}");
    std::fs::write(
        dir.path().join("content/site.yaml"),
        format!("{SITE}strict: true\n"),
    )
    .unwrap();
    let (code, _, err) = rulebook(&["check", "--root", root]);
    assert_eq!(code, 1, "{err}");

    // A valid site checks clean.
    let dir = fixture_site(&[
        ("content/site.yaml", SITE),
        ("content/a/jia.md", JIA),
        ("content/a/yi.md", YI),
    ]);
    let (code, out, err) = rulebook(&["check", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("0 error(s)"), "{out}");
    // And so does the bundled handbook.
    let (code, out, err) = rulebook(&["check", "--root", common::repo_root().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("24 documents"), "{out}");
}

#[test]
fn a_reference_to_an_unpublished_regulation_warns() {
    let draft =
        "---\ntitle: 市委保密办草稿制度\nid: caogao\ndraft: true\n---\n第一条　草稿内容。\n";
    let cites = YI.replace(
        "第二条　具体规定。",
        "第二条　参照《市委保密办草稿制度》执行。",
    );
    let dir = fixture_site(&[
        ("content/site.yaml", SITE),
        ("content/a/yi.md", &cites),
        ("content/a/caogao.md", draft),
    ]);
    let (code, _, err) = rulebook(&["check", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("content/a/yi.md:7:7"), "{err}");
    assert!(err.contains("not published"), "{err}");
    // An explicit link to it warns too (issue 23: withdrawing never fails the build); it stays
    // plain text, and --deny-warnings makes it stop the build.
    let explicit = YI.replace("第二条　具体规定。", "第二条　参照[草稿](@caogao)执行。");
    std::fs::write(dir.path().join("content/a/yi.md"), explicit).unwrap();
    let (code, _, err) = rulebook(&["check", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("not published"), "{err}");
    let root = dir.path().to_str().unwrap();
    let (code, _, err) = rulebook(&["check", "--deny-warnings", "--root", root]);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn references_in_inline_code_are_neither_linked_nor_recorded() {
    // Code is literal text: a 《title》 or a term written in `code` is not a reference, and does not
    // use up the term's one link per clause either.
    let jia = "---\ntitle: 市委保密办甲制度\nid: jia\n---\n第一条　示例：`《市委保密办乙办法》第二条` 与 `保密要害` 原样显示；保密要害依照《市委保密办乙办法》办理。\n";
    let terms = "- term: 保密要害\n  definition: 定义\n  source: yi\n  clause: art1\n";
    let dir = fixture_site(&[
        ("content/site.yaml", SITE),
        ("content/a/jia.md", jia),
        ("content/a/yi.md", YI),
        ("content/terms.yaml", terms),
    ]);
    let out = dir.path().join("public");
    let mut site = Site::new(dir.path());
    site.build(Some(&out), false)
        .unwrap_or_else(|e| panic!("{e}: {:#?}", e.diagnostics()));
    let lib = site.library.as_ref().unwrap();
    let from_jia: Vec<(&str, usize)> = lib
        .references
        .iter()
        .filter(|r| r.from == "jia")
        .map(|r| (r.text.as_str(), r.column))
        .collect();
    // One term (outside code) and one title (outside code), nothing from the code spans.
    assert_eq!(from_jia, [("保密要害", 38), ("《市委保密办乙办法》", 44)]);
    let page = std::fs::read_to_string(out.join("regulations/jia.html")).unwrap();
    assert!(
        page.contains("<code>《市委保密办乙办法》第二条</code>"),
        "code stays literal: {page}"
    );
    assert!(page.contains("<code>保密要害</code>"), "{page}");
    assert_eq!(page.matches("class=term").count(), 1, "{page}");
    assert_eq!(page.matches("class=xref").count(), 1, "{page}");
}

#[test]
fn articles_listed_after_a_cited_document_are_that_documents() {
    // 《乙办法》第一条、第二条: both of 乙; 《中华人民共和国刑法》第一条和第二条: both part of the citation of
    // a law outside the handbook, never the citing regulation's own 第二条.
    let jia = "---\ntitle: 市委保密办甲制度\nid: jia\n---\n第一条　总则。\n\n第二条　依照《市委保密办乙办法》第一条、第二条执行；违反《中华人民共和国刑法》第一条和第二条的，依法处理。\n\n第三条　本法第一条所称总则。\n\n本条第一款不适用于第二条。\n";
    let dir = fixture_site(&[
        ("content/site.yaml", SITE),
        ("content/a/jia.md", jia),
        ("content/a/yi.md", YI),
    ]);
    let out = dir.path().join("public");
    let mut site = Site::new(dir.path());
    let report = site
        .build(Some(&out), false)
        .unwrap_or_else(|e| panic!("{e}: {:#?}", e.diagnostics()));
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let lib = site.library.as_ref().unwrap();
    let got: Vec<(&str, &Target)> = lib
        .references
        .iter()
        .filter(|r| r.from == "jia")
        .map(|r| (r.text.as_str(), &r.target))
        .collect();
    let law = |article: &str| Target::External {
        name: "中华人民共和国刑法".into(),
        article: Some(article.into()),
    };
    assert_eq!(
        got,
        [
            ("《市委保密办乙办法》第一条", &reg("yi", Some("art1"))),
            ("第二条", &reg("yi", Some("art2"))),
            ("《中华人民共和国刑法》第一条", &law("第一条")),
            ("第二条", &law("第二条")),
            // 本法 is the current document, as 本办法 is.
            ("本法第一条", &reg("jia", Some("art1"))),
            // 本条第一款: the first paragraph of the article it stands in.
            ("本条第一款", &reg("jia", Some("art3"))),
            ("第二条", &reg("jia", Some("art2"))),
        ]
    );
    let page = std::fs::read_to_string(out.join("regulations/jia.html")).unwrap();
    assert!(
        page.contains("、<a class=xref href=../regulations/yi.html#art2 data-cite=（见《市委保密办乙办法》第二条）>第二条</a>执行"),
        "{page}"
    );
}

#[test]
fn paragraphs_meant_by_this_and_the_previous_ones_and_other_laws_articles() {
    // 本款 is the paragraph it stands in, 前两款 the two before; 前两款 in a second paragraph has
    // only one before it: a warning, plain text. 宪法第五条 is another law's: plain, no warning.
    let text = "---\ntitle: 市委保密办丙制度\nid: bing\n---\n第一条　总则，依照宪法第五条。\n\n本款所称总则，即本制度。\n\n前两款不适用于外单位。\n\n第二条　具体规定。\n\n前两款另有规定的除外。\n";
    let dir = fixture_site(&[("content/site.yaml", SITE), ("content/a/bing.md", text)]);
    let out = dir.path().join("public");
    let mut site = Site::new(dir.path());
    let report = site
        .build(Some(&out), false)
        .unwrap_or_else(|e| panic!("{e}: {:#?}", e.diagnostics()));
    assert_eq!(report.warnings.len(), 1, "{:#?}", report.warnings);
    assert!(
        report.warnings[0]
            .message
            .contains("前两款 in paragraph 2 of 第二条"),
        "{:#?}",
        report.warnings
    );
    let lib = site.library.as_ref().unwrap();
    let got: Vec<(&str, &Target)> = lib
        .references
        .iter()
        .map(|r| (r.text.as_str(), &r.target))
        .collect();
    assert_eq!(
        got,
        [
            ("本款", &reg("bing", Some("art1-para2"))),
            ("前两款", &reg("bing", Some("art1"))),
        ]
    );
    let page = std::fs::read_to_string(out.join("regulations/bing.html")).unwrap();
    assert!(page.contains("依照宪法第五条。"), "{page}");
    assert!(
        page.contains("<p id=art2-para2>前两款另有规定的除外。"),
        "{page}"
    );
}
