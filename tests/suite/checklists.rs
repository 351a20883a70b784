//! Checklists on the seed: the procedures as the model holds them (steps, roles, conditions,
//! alternatives, constraints, citations) checked against the seed text, the checklist pages as built,
//! and the errors a procedure file's author gets.

use crate::common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use crate::common::{fixture_site, html_text, repo_root, seed_site, seed_text, squash};
use rulebook::Site;
use rulebook::model::{Answers, Library, Procedure, ProcedureKind};
use scraper::{Html, Selector};
use serde_json::Value;

fn library() -> Library {
    let mut site = Site::new(repo_root());
    site.load().expect("the seed loads").clone()
}

fn procedure<'a>(lib: &'a Library, id: &str) -> &'a Procedure {
    lib.procedures
        .iter()
        .find(|p| p.id == id)
        .unwrap_or_else(|| panic!("procedure {id}"))
}

fn page(rel: &str) -> String {
    std::fs::read_to_string(seed_site().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

fn text_of(e: &scraper::ElementRef) -> String {
    squash(&e.text().collect::<String>())
}

/// The answers `condition → choice`.
fn answers(pairs: &[(&str, &str)]) -> Answers {
    pairs
        .iter()
        .map(|(c, o)| (c.to_string(), o.to_string()))
        .collect::<HashMap<_, _>>()
}

#[test]
fn large_payment_checklist_has_the_seed_six_steps_in_order_with_roles() {
    let html = Html::parse_document(&page("checklists/caiwu-zhichu-liucheng-1.html"));
    let steps = select(&html, "li.check-step");
    let want = [
        ("1.提请支付款项（3000元以上）", Some("经办人")),
        ("2.办务会研究决定（纪检组列席）", Some("办务会")),
        ("3.经办人、科室（站）负责人、财务负责人签字", None),
        ("4.分管财务副主任、主要领导签字", None),
        ("5.管局财务审核", None),
        ("6.银行转账", Some("出纳")),
    ];
    assert_eq!(steps.len(), want.len());
    for (li, (text, role)) in steps.iter().zip(want) {
        // A real checkbox with a label that names it.
        let input = select_in(li, "input[type=checkbox]");
        let id = input.value().attr("id").unwrap();
        let label = select_in(li, &format!("label[for='{id}']"));
        assert_eq!(text_of(&label), text);
        let roles: Vec<String> = li
            .select(&Selector::parse(".step-role").unwrap())
            .map(|r| text_of(&r))
            .collect();
        assert_eq!(
            roles,
            role.map(|r| format!("责任人：{r}"))
                .into_iter()
                .collect::<Vec<_>>()
        );
    }
    // Without a script the page is a list of steps: the run controls, which need the script, are
    // hidden until it shows them.
    assert_eq!(select(&html, "ol.check-steps > li.check-step").len(), 6);
    let runs = select(&html, "section#runs");
    assert!(
        runs[0].value().attr("hidden").is_some(),
        "run controls hidden without a script"
    );
    // The seed numbers these boxes: no editorial-order notice.
    assert!(select(&html, ".editorial-order").is_empty());
    // The governing clause is linked.
    assert!(common::has_href(
        &page("checklists/caiwu-zhichu-liucheng-1.html"),
        "../regulations/caiwu-guanli.html#sec1"
    ));
}

fn select_in<'a>(e: &scraper::ElementRef<'a>, css: &str) -> scraper::ElementRef<'a> {
    e.select(&Selector::parse(css).unwrap())
        .next()
        .unwrap_or_else(|| panic!("{css} in {}", e.html()))
}

#[test]
fn fazhan_dangyuan_has_its_24_numbered_items() {
    let lib = library();
    let p = procedure(&lib, "fazhan-dangyuan-chengxu");
    assert_eq!(p.kind, ProcedureKind::Text);
    assert_eq!(p.steps.len(), 24);
    for (i, s) in p.steps.iter().enumerate() {
        let n = i as u32 + 1;
        assert_eq!(s.number, Some(n));
        let clause = s.clause.as_deref().unwrap();
        assert!(clause.ends_with(&format!("-sub{n}")), "{n}: {clause}");
    }
    let limit = p.steps[12].time_limit.as_deref();
    assert_eq!(limit, Some("公示期不少于5个工作日"));
    let html = Html::parse_document(&page("checklists/fazhan-dangyuan-chengxu.html"));
    assert_eq!(
        select(&html, "li.check-step input[type=checkbox]").len(),
        24
    );
    assert!(text_of(&select(&html, "li.check-step")[12]).contains("时限：公示期不少于5个工作日"));
    // The 16-box flowchart states no numbers: its order is marked as the editors'.
    let chart = procedure(&lib, "fazhan-dangyuan-liucheng");
    assert!(chart.editorial_order && chart.order_note.is_some());
}

#[test]
fn leave_approver_follows_the_place_and_the_length_of_leave() {
    let lib = library();
    let p = procedure(&lib, "qingxiaojia-liucheng");
    // Two conditions, two questions (一、): leaving 白城, then (in 白城) the length.
    let questions: Vec<&str> = p.conditions.iter().map(|c| c.question.as_str()).collect();
    assert!(questions.contains(&"是否离开白城") && questions.contains(&"请假时长"));
    let approvers = |a: &Answers| -> Vec<(String, String)> {
        p.steps_for(a)
            .filter(|s| s.role.is_some() && !s.when.is_empty())
            .map(|s| (s.role.clone().unwrap(), s.text.clone()))
            .collect()
    };
    let in_baicheng = |days: f64| {
        let choice = p.choose("length", days).expect("a choice for every length");
        approvers(&answers(&[("place", "stay"), ("length", choice)]))
    };
    let two = in_baicheng(2.0);
    assert_eq!(two.len(), 1, "{two:?}");
    assert_eq!(two[0].0, "主要领导");
    assert!(two[0].1.contains("主要领导批准"));
    let half = in_baicheng(0.5);
    assert_eq!(half.len(), 1, "{half:?}");
    assert_eq!(half[0].0, "科室（站）负责人");
    assert!(half[0].1.contains("本科科长批准"), "{half:?}");
    // 以内 includes the number: one day is the 分管领导's, and so is 0.8.
    assert_eq!(in_baicheng(1.0)[0].0, "分管领导");
    assert_eq!(in_baicheng(0.8)[0].0, "分管领导");
    // Half a day out of 白城: the 主要领导 (“超过一天或离开白城的必须由主要领导批准”), and only them;
    // the length is not asked.
    let half = p.choose("length", 0.5).unwrap();
    for a in [
        answers(&[("place", "leave")]),
        answers(&[("place", "leave"), ("length", half)]),
    ] {
        let out = approvers(&a);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].0, "主要领导");
    }
    // 病假证明 (三、) for sick leave only.
    let cert = |a: &Answers| p.steps_for(a).any(|s| s.text.contains("《病假证明单》"));
    assert!(cert(&answers(&[("sick", "sick-leave")])));
    assert!(!cert(&answers(&[("sick", "not-sick")])));
    // Unanswered, every alternative shows.
    assert_eq!(p.steps_for(&Answers::new()).count(), p.steps.len());
    // 办公室备案 and 销假 apply whatever the place and the length.
    for days in [0.5, 1.0, 3.0] {
        for place in ["leave", "stay"] {
            let a = answers(&[
                ("place", place),
                ("length", p.choose("length", days).unwrap()),
            ]);
            let texts: Vec<&str> = p.steps_for(&a).map(|s| s.text.as_str()).collect();
            assert!(texts.contains(&"经领导同意后将假条交办公室备案"));
            assert!(texts.contains(&"各种假期期满后必须销假"));
        }
    }
}

/// 费用报销: 不足3000元 without the 办务会; above it with; exactly 3000元 is a choice of its own that
/// says the text (“超出3000元以上”) does not decide, and names the clause.
#[test]
fn three_thousand_yuan_follows_the_texts_own_words() {
    let lib = library();
    let p = procedure(&lib, "caiwu-baoxiao");
    let banwuhui = |v: f64| {
        let a = answers(&[("amount", p.choose("amount", v).unwrap())]);
        p.steps_for(&a).any(|s| s.role.as_deref() == Some("办务会"))
    };
    assert!(!banwuhui(2999.0));
    assert!(banwuhui(3000.5));
    let at = p.choose("amount", 3000.0).unwrap();
    let (cond, choice) = p.choice(at).unwrap();
    assert_eq!(cond.id, "amount");
    assert!(choice.label.contains("未写明"), "{}", choice.label);
    assert_eq!(choice.clause.as_deref(), Some("sec1"));
    let exactly = answers(&[("amount", at)]);
    let step = p
        .steps_for(&exactly)
        .find(|s| s.role.as_deref() == Some("办务会"))
        .expect("the 办务会 step shows under the choice that says the text does not decide");
    assert!(step.text.contains("超出3000元以上"));
}

/// A step quotes its clause: after 3000元 → 5000元 in the regulation (a temporary copy of the
/// seed), the 费用报销 step that still says 3000元 is an error at its line of the procedure file,
/// showing the clause's new words.
#[test]
fn a_changed_clause_makes_its_stale_step_an_error() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_content(dir.path());
    let reg = dir.path().join("content/caiwu-zichan/caiwu-guanli.md");
    let text = std::fs::read_to_string(&reg).unwrap();
    assert!(text.contains("超出3000元以上支出"));
    std::fs::write(
        &reg,
        text.replace("超出3000元以上支出", "超出5000元以上支出"),
    )
    .unwrap();
    let (code, json) = common::check_json(dir.path(), &[]);
    assert_ne!(code, 0);
    let stale: Vec<&Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "RB140")
        .collect();
    let procedure =
        std::fs::read_to_string(repo_root().join("content/procedures/caiwu-baoxiao.yaml")).unwrap();
    let line = procedure
        .lines()
        .position(|l| l.contains("text: \"超出3000元以上支出需经办务会"))
        .unwrap()
        + 1;
    let here: Vec<&&Value> = stale
        .iter()
        .filter(|d| {
            d["path"]
                .as_str()
                .unwrap_or("")
                .ends_with("caiwu-baoxiao.yaml")
        })
        .collect();
    assert_eq!(here.len(), 1, "{stale:?}");
    assert_eq!(here[0]["line"].as_u64(), Some(line as u64));
    let message = here[0]["message"].as_str().unwrap();
    assert!(message.contains("超出5000元以上支出"), "{message}");
    // The seed itself has no stale step.
    let (code, json) = common::check_json(&repo_root(), &[]);
    assert_eq!(code, 0, "{json}");
}

#[test]
fn yibashou_alternatives_are_branches_and_the_rules_are_constraints() {
    let lib = library();
    let p = procedure(&lib, "yibashou-quanli-liucheng");
    assert!(p.editorial_order);
    let daily = p.conditions.iter().find(|c| c.id == "daily-kind").unwrap();
    let labels: Vec<&str> = daily.choices.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(labels, ["一般常规性工作", "复杂或专业性比较强的问题"]);
    let on = |choice: &str| -> Vec<String> {
        let a = answers(&[("matter", "daily"), ("daily-kind", choice)]);
        p.steps_for(&a).map(|s| s.text.clone()).collect()
    };
    assert_eq!(
        on("routine"),
        ["主要领导主持保密办全面工作", "直接签批处理意见"]
    );
    assert_eq!(
        on("complex"),
        [
            "主要领导主持保密办全面工作",
            "征求分管领导意见",
            "签批办理意见"
        ]
    );
    // The meeting path shows none of the daily steps, and the daily question is not asked.
    let meeting: Vec<String> = p
        .steps_for(&answers(&[("matter", "meeting")]))
        .map(|s| s.text.clone())
        .collect();
    assert!(meeting.contains(&"会前个别酝酿".to_string()));
    assert!(!meeting.iter().any(|t| t.contains("签批")));
    // The five 不直接分管 rules and 民主生活会 are constraints, not steps.
    let rules: Vec<&str> = p.constraints.iter().map(|c| c.text.as_str()).collect();
    for what in ["人事", "财务", "采购", "项目", "审批"] {
        let rule = format!("不直接分管{what}");
        assert!(rules.contains(&rule.as_str()), "{rule}");
        assert!(!p.steps.iter().any(|s| s.text == rule), "{rule} is no step");
    }
    assert!(rules.iter().any(|r| r.contains("民主生活会")));
    assert!(!p.steps.iter().any(|s| s.text.contains("民主生活会")));
    // On the page: beside the steps, with no checkbox.
    let html = Html::parse_document(&page("checklists/yibashou-quanli-liucheng.html"));
    let aside = select(&html, "aside.constraints");
    assert_eq!(aside.len(), 1);
    assert!(
        aside[0]
            .select(&Selector::parse("input").unwrap())
            .next()
            .is_none()
    );
    assert_eq!(aside[0].select(&Selector::parse("li").unwrap()).count(), 6);
    assert!(select(&html, ".editorial-order").len() == 1);
}

/// Every step of every procedure cites a clause of the seed, or flowchart box lines of the seed
/// that hold its text. A text procedure's step (and note) is the clause's own words.
#[test]
fn every_step_cites_a_clause_or_a_flowchart_box() {
    let lib = library();
    let seed: Vec<String> = seed_text().lines().map(squash).collect();
    let mut checked = 0;
    for p in &lib.procedures {
        let reg = lib.regulation(&p.regulation).unwrap();
        for s in &p.steps {
            assert!(
                s.clause.is_some() || !s.boxes.is_empty(),
                "{}: {} cites nothing",
                p.id,
                s.text
            );
            if !s.boxes.is_empty() {
                let boxed: String = s
                    .boxes
                    .iter()
                    .map(|&n| seed[n as usize - 1].clone())
                    .collect();
                let joined = squash(&format!("{}{}", s.text, s.note.as_deref().unwrap_or("")));
                assert!(
                    joined.contains(&boxed) || boxed.contains(&squash(&s.text)),
                    "{}: box {:?} is `{boxed}`, the step `{joined}`",
                    p.id,
                    s.boxes
                );
            }
            if let Some(c) = &s.clause {
                let (r, anchor) = match c.split_once('#') {
                    Some((id, a)) => (lib.regulation(id).unwrap(), a),
                    None => (reg, c.as_str()),
                };
                let i = r
                    .clause_index(anchor)
                    .unwrap_or_else(|| panic!("{}: {c}", p.id));
                if p.kind == ProcedureKind::Text {
                    // The clause with its items: a paragraph after an article's last item is
                    // outlined into that item.
                    let within = |mut k: usize| loop {
                        if k == i {
                            break true;
                        }
                        match r.clauses[k].parent {
                            Some(up) => k = up,
                            None => break false,
                        }
                    };
                    let text: String = (0..r.clauses.len())
                        .filter(|&k| within(k))
                        .map(|k| squash(&r.doc.clause_text(k)))
                        .collect();
                    for part in std::iter::once(&s.text).chain(s.note.as_ref()) {
                        assert!(
                            text.contains(&squash(part)),
                            "{}: `{part}` is not the words of {c}: {text}",
                            p.id
                        );
                    }
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked} steps");
    // The flowcharts the seed does not number say that their order is the editors'.
    for id in [
        "gongche-shiyong-liucheng",
        "yinzhang-shiyong-liucheng",
        "guding-zichan-gouzhi-liucheng",
        "fazhan-dangyuan-liucheng",
        "yibashou-quanli-liucheng",
    ] {
        assert!(procedure(&lib, id).editorial_order, "{id}");
    }
    for id in ["caiwu-zhichu-liucheng-1", "ganbu-xuanba-liucheng"] {
        assert!(!procedure(&lib, id).editorial_order, "{id}");
    }
}

#[test]
fn step_ids_are_stable_hashes_of_the_step_text() {
    let lib = library();
    let p = procedure(&lib, "caiwu-zhichu-liucheng-1");
    let ids: Vec<&str> = p.steps.iter().map(|s| s.id.as_str()).collect();
    assert!(
        ids.iter()
            .all(|id| id.starts_with("caiwu-zhichu-liucheng-1-"))
    );
    assert_eq!(
        ids.iter().collect::<std::collections::HashSet<_>>().len(),
        6
    );
    // An edit to one step changes its id only; inserting a step moves no other id.
    let mut edited = p.clone();
    edited.steps[2].text.push_str("（改）");
    edited.steps.insert(0, p.steps[4].clone());
    edited.steps[0].text = "新的一步".into();
    edited.assign_step_ids();
    let after: Vec<&str> = edited.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(after[1..3], ids[0..2]);
    assert_ne!(after[3], ids[2]);
    assert_eq!(after[4..], ids[3..]);
    // Re-wrapping the text does not count as an edit.
    let mut spaced = p.clone();
    spaced.steps[0].text = "提请支付款项 （3000元以上）".into();
    spaced.assign_step_ids();
    assert_eq!(spaced.steps[0].id, ids[0]);
}

#[test]
fn index_by_category_and_role_reachable_from_nav_home_and_regulations() {
    let index = page("checklists/index.html");
    let doc = Html::parse_document(&index);
    let links: Vec<String> = select(&doc, "#by-category a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(String::from))
        .collect();
    for p in library().procedures {
        assert!(
            links.contains(&format!("{}.html", p.id)),
            "{} in the index",
            p.id
        );
    }
    let by_role = html_text(&index);
    assert!(by_role.contains("主要领导") && by_role.contains("出纳"));
    assert!(common::has_href(
        &page("index.html"),
        "checklists/index.html"
    ));
    assert!(common::has_href(
        &page("regulations/qingxiaojia.html"),
        "../checklists/index.html"
    ));
    assert!(common::has_href(
        &page("regulations/qingxiaojia.html"),
        "../checklists/qingxiaojia-liucheng.html"
    ));
    assert!(common::has_href(
        &page("regulations/caiwu-guanli.html"),
        "../checklists/caiwu-zhichu-liucheng-1.html"
    ));
    // Forms a step names link to the 表单 page; time limits are shown.
    let travel = page("checklists/chailv-baoxiao-liucheng.html");
    assert!(travel.contains("时限：七个工作日内"));
    assert!(common::has_href(&travel, "../forms.html#form-审批单"));
}

// ---------------------------------------------------------------------------------------------
// What a procedure file's author gets wrong
// ---------------------------------------------------------------------------------------------

/// `(line, message)` of each error of `rulebook check --format json` on the site at `root`.
fn errors(root: &Path) -> Vec<(u64, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["check", "--format", "json", "--lang", "en", "--root"])
        .arg(root)
        .output()
        .expect("run rulebook");
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

// Its id is its path under content/: `a-jia`.
const REG: &str = "---\ntitle: 甲制度\n---\n一、第一项。\n\n二、第二项。\n";

fn site_with(procedure: &str) -> tempfile::TempDir {
    fixture_site(&[
        ("content/a/jia.md", REG),
        ("content/procedures/p.yaml", procedure),
    ])
}

#[test]
fn procedure_file_errors_point_at_their_line() {
    let ok = "id: p\ntitle: 流程\nregulation: a-jia\nsteps:\n  - text: 第一项\n    clause: sec1\n";
    assert!(errors(site_with(ok).path()).is_empty());

    // An unknown key.
    let e = errors(
        site_with(&ok.replace("    clause: sec1\n", "    clause: sec1\n    rol: 甲\n")).path(),
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].1.contains("rol"), "{e:?}");
    assert!(e[0].0 >= 5, "{e:?}");

    // A step that cites nothing.
    let e = errors(site_with(&ok.replace("    clause: sec1\n", "")).path());
    assert_eq!(
        e,
        vec![(
            5,
            "step `第一项` cites neither a clause nor a flowchart box".to_string()
        )]
    );

    // An unknown clause.
    let e = errors(site_with(&ok.replace("sec1", "sec9")).path());
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, 6);

    // A step on an unknown choice.
    let cond = "id: p\ntitle: 流程\nregulation: a-jia\nconditions:\n  - id: amount\n    question: 金额\n    unit: 元\n    choices:\n      - {id: small, label: 不足3000元, under: 3000}\n      - {id: large, label: 3000元以上}\nsteps:\n  - text: 第一项\n    clause: sec1\n    when: larg\n";
    let e = errors(site_with(cond).path());
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, 12);
    assert!(e[0].1.contains("unknown choice `larg`"), "{e:?}");
    assert!(errors(site_with(&cond.replace("larg\n", "large\n")).path()).is_empty());

    // 3000元以下 includes 3000 (the Chinese legal rule): `under: 3000` misreads it.
    let misread = cond
        .replace("不足3000元", "3000元以下")
        .replace("larg\n", "large\n");
    let e = errors(site_with(&misread).path());
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, 9);
    assert!(e[0].1.contains("3000元以下"), "{e:?}");
    assert!(errors(site_with(&misread.replace("under: 3000", "max: 3000")).path()).is_empty());

    // An editorial order that does not say what it rests on.
    let e = errors(site_with(&ok.replace("steps:", "editorial_order: true\nsteps:")).path());
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, 4);
}

/// The 办公室 register's risk points and flowcharts 2–10 link both ways (大额经费支出 has two).
#[test]
fn risk_points_and_flowcharts_link_both_ways() {
    let register = page("regulations/fengxian-bangongshi.html");
    let doc = Html::parse_document(&register);
    let pairs = [
        (1, "caiwu-zhichu-liucheng-1", "caiwu-guanli"),
        (1, "caiwu-zhichu-liucheng-2", "caiwu-guanli"),
        (2, "ganbu-xuanba-liucheng", "fengxian-bangongshi"),
        (3, "pingxian-xuanyou-liucheng", "fengxian-bangongshi"),
        (4, "fazhan-dangyuan-liucheng", "fazhan-dangyuan"),
        (5, "renyuan-diaodong-liucheng", "fengxian-bangongshi"),
        (6, "gongche-shiyong-liucheng", "cheliang-guanli"),
        (7, "yinzhang-shiyong-liucheng", "yinzhang-shiyong"),
        (8, "guding-zichan-gouzhi-liucheng", "guding-zichan"),
    ];
    for (n, proc, reg) in pairs {
        let cell = select(&doc, &format!("td#risk-{n}"));
        assert_eq!(cell.len(), 1, "risk-{n}");
        let hrefs: Vec<&str> = cell[0]
            .select(&Selector::parse("a").unwrap())
            .filter_map(|a| a.value().attr("href"))
            .collect();
        let to_proc = if reg == "fengxian-bangongshi" {
            format!("#proc-{proc}")
        } else {
            format!("{reg}.html#proc-{proc}")
        };
        assert!(
            hrefs.contains(&to_proc.as_str()),
            "risk-{n} → {to_proc}: {hrefs:?}"
        );
        assert!(hrefs.contains(&format!("../checklists/{proc}.html").as_str()));
        // And back, from the procedure on its page and from its checklist.
        let back = if reg == "fengxian-bangongshi" {
            format!("#risk-{n}")
        } else {
            format!("fengxian-bangongshi.html#risk-{n}")
        };
        assert!(
            common::has_href(&page(&format!("regulations/{reg}.html")), &back),
            "{proc} → {back}"
        );
        assert!(common::has_href(
            &page(&format!("checklists/{proc}.html")),
            &format!("../regulations/fengxian-bangongshi.html#risk-{n}")
        ));
    }
    // A wrong risk point is an error.
    let e = errors(
        site_with(
            "id: p\ntitle: 流程\nregulation: a-jia\nrisk_point: \"a-jia#risk-1\"\nsteps:\n  - text: 第一项\n    clause: sec1\n",
        )
        .path(),
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, 4);
}

/// Forms the text names without 《》 (site.yaml `form_names:`) are on the 表单 page, with the clauses
/// and steps that use them, and in the checklists of those steps.
#[test]
fn forms_named_without_brackets_are_on_the_forms_page_and_in_checklists() {
    let forms = page("forms.html");
    for name in [
        "派车单",
        "费用报销单",
        "请假条",
        "出差审批表",
        "移交清单",
        "入党申请书",
        "转正申请书",
        "入党积极分子考察登记表",
        "预备党员考察登记表",
    ] {
        assert!(common::has_id(&forms, &format!("form-{name}")), "{name}");
    }
    // 假条 (一、“将假条交办公室备案”) is the 请假条.
    let leave = page("checklists/qingxiaojia-liucheng.html");
    assert!(common::has_href(&leave, "../forms.html#form-请假条"));
    let expenses = page("checklists/caiwu-baoxiao.html");
    assert!(common::has_href(&expenses, "../forms.html#form-费用报销单"));
}

/// Issue 27: a “如果：” heading stands over exactly the steps that depend on an answer, on every
/// checklist of the seed. A step that always applies is never under one; a conditional step on a
/// named path (三重一大 决策实施 三、（三）3．, asked only in an emergency) says its condition too.
#[test]
fn headings_say_if_and_only_if_the_steps_depend_on_an_answer() {
    let lib = library();
    let mut conditional = 0;
    for p in &lib.procedures {
        let html = Html::parse_document(&page(&format!("checklists/{}.html", p.id)));
        let mut headed = false;
        for g in select(&html, "div.step-group") {
            let when = g.value().attr("data-when").unwrap_or("");
            let heading = select_heading(&g);
            let says_if = heading.as_deref().is_some_and(|h| h.contains("如果："));
            assert_eq!(
                says_if,
                !when.is_empty(),
                "{}: group headed {heading:?} with data-when {when:?}",
                p.id
            );
            if !when.is_empty() {
                conditional += 1;
            }
            // Once a heading has been drawn, a group without one would read as under it.
            headed |= heading.is_some();
            assert!(
                heading.is_some() || !headed,
                "{}: a group with no heading after a headed one",
                p.id
            );
        }
    }
    assert!(conditional > 5, "the seed has conditional groups");
    let html = Html::parse_document(&page("checklists/sanzhong-yida-juece.html"));
    let headings: Vec<String> = select(&html, "h3.branch").iter().map(text_of).collect();
    assert!(
        headings.contains(&"决策实施›如果：如遇重大突发事件和紧急情况需作出临时处置".to_string()),
        "{headings:?}"
    );
}

fn select_heading(g: &scraper::ElementRef) -> Option<String> {
    g.select(&Selector::parse("h3.branch").unwrap())
        .next()
        .map(|h| text_of(&h))
}

/// Issue 27, checklists as the text decides: 单位介绍信 names both approvers of 二、5． and asks
/// whether the letter is on 财务/人事/工资 (二、2．: the 主要领导 signs); the reordered 公务接待审批 and
/// 主任办公会议 say the order is the editors' and why; standing rules are kept (三重一大's voting rule,
/// the trainees' 10 minutes).
#[test]
fn the_texts_decisions_are_in_the_checklists() {
    let lib = library();
    let p = procedure(&lib, "yinzhang-jieshaoxin");
    let first = &p.steps[0];
    assert!(
        first.text.contains("分管领导批准或办公室主任批准") && first.role.is_none(),
        "{first:?}"
    );
    let signers = |a: &Answers| -> Vec<String> {
        p.steps_for(a)
            .filter_map(|s| s.role.clone())
            .filter(|r| r == "主要领导")
            .collect()
    };
    assert_eq!(signers(&answers(&[("content", "finance")])), ["主要领导"]);
    assert!(signers(&answers(&[("content", "other")])).is_empty());
    let finance = p.steps.iter().find(|s| s.when == ["finance"]).unwrap();
    assert_eq!(finance.clause.as_deref(), Some("sec2-sub2"));

    for (id, says) in [
        ("gongwu-jiedai-shenpi", "列在填写清单之后"),
        ("zhuren-bangonghui", "召集和主持一步列在最后"),
    ] {
        let p = procedure(&lib, id);
        assert!(p.editorial_order, "{id}");
        let html = Html::parse_document(&page(&format!("checklists/{id}.html")));
        let notice: String = select(&html, ".editorial-order")
            .iter()
            .map(text_of)
            .collect();
        assert!(notice.contains("步骤顺序为编者整理"), "{id}: {notice}");
        assert!(notice.contains(says), "{id}: {notice}");
    }

    for (id, rule, clause) in [
        (
            "sanzhong-yida-juece",
            "以超过应到会人数的半数同意为通过",
            "sec3-item2-sub4",
        ),
        ("baomi-peixun-zuzhi", "参训人员提前10分钟到达", "art6-item1"),
    ] {
        let c = procedure(&lib, id)
            .constraints
            .iter()
            .find(|c| c.text.contains(rule))
            .unwrap_or_else(|| panic!("{id}: {rule}"));
        assert_eq!(c.clause.as_deref(), Some(clause), "{id}");
        let html = Html::parse_document(&page(&format!("checklists/{id}.html")));
        let shown: String = select(&html, "body").iter().map(text_of).collect();
        assert!(shown.contains(rule), "{id}");
    }
}
