//! The bound rulebook (`rulebook pdf`): the seed handbook printed, and read back with poppler
//! (`pdftotext`, `pdfinfo`) and the PDF's outline, as the print shop and a reader would see it.
#![cfg(feature = "pdf")]

use crate::common;

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::common::pdf::{contents, folio, lines, outline, pages, sizes, squash, starts};
use rulebook::Site;
use rulebook::model::Library;

/// The seed printed once per test binary (under cargo's target/tmp), with its library.
fn seed() -> &'static (PathBuf, Library) {
    static PDF: OnceLock<(PathBuf, Library)> = OnceLock::new();
    PDF.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("print-seed.pdf");
        let mut site = Site::new(common::repo_root());
        rulebook::pdf::write(&mut site, None, Some(&out))
            .unwrap_or_else(|e| panic!("printing the seed failed: {e}"));
        (out, site.library.expect("loaded"))
    })
}

/// A regulation's title with its subtitle, as the contents and the outline give it.
fn heading(r: &rulebook::model::Regulation) -> String {
    match &r.subtitle {
        Some(s) => format!("{}（{s}）", r.title),
        None => r.title.clone(),
    }
}

/// The headings in reading order.
fn headings(lib: &Library) -> Vec<String> {
    rulebook::render::print::reading_order(lib)
        .into_iter()
        .flat_map(|(c, _)| lib.categories[c].regulations.iter())
        .map(|&i| heading(&lib.regulations[i]))
        .collect()
}

/// The titles in reading order (categories in display order, then their regulations).
fn titles(lib: &Library) -> Vec<&str> {
    rulebook::render::print::reading_order(lib)
        .into_iter()
        .flat_map(|(c, _)| lib.categories[c].regulations.iter())
        .map(|&i| lib.regulations[i].title.as_str())
        .collect()
}

struct Printed {
    pages: Vec<String>,
    /// 0-based page on which each regulation starts.
    starts: Vec<usize>,
    /// 0-based page on which the appendices start (after the last regulation).
    appendix: usize,
}

fn printed() -> &'static Printed {
    static P: OnceLock<Printed> = OnceLock::new();
    P.get_or_init(|| {
        let (pdf, lib) = seed();
        let pages = pages(pdf);
        // The cover and the contents come first; a regulation's first page opens with its
        // category's heading (if it is the first of it) and its title.
        let body = pages
            .iter()
            .position(|p| folio(p) == Some(1))
            .expect("a page numbered 1");
        let regulations = starts(&pages, &titles(lib), body, 3);
        let appendix = starts(&pages, &["附录"], regulations[regulations.len() - 1] + 1, 1)[0];
        let starts = regulations;
        Printed {
            pages,
            starts,
            appendix,
        }
    })
}

#[test]
fn every_title_starts_a_page_on_the_right_hand_side() {
    let (_, lib) = seed();
    assert!(lib.config.binding == rulebook::config::Binding::Duplex);
    let p = printed();
    assert_eq!(p.starts.len(), 24);
    for (t, &s) in titles(lib).iter().zip(&p.starts) {
        // Page s (0-based) is page s + 1: odd pages are the right-hand ones.
        assert_eq!(s % 2, 0, "{t} starts on the left-hand page {}", s + 1);
        // A first page has no running head: the title is the page's first or second line.
        let first = lines(&p.pages[s]);
        assert!(
            first.iter().take(2).any(|l| squash(l) == squash(t))
                || squash(first[0]).contains(&squash(t)),
            "{t}: {first:?}"
        );
    }
}

#[test]
fn the_contents_give_the_page_each_regulation_starts_on() {
    let (_, lib) = seed();
    let p = printed();
    let toc = contents(&p.pages[1..p.starts[0]]);
    let mut at = 0;
    for (t, &s) in headings(lib).iter().zip(&p.starts) {
        let want = squash(t);
        let i = (at..toc.len())
            .find(|&i| toc[i].0 == want)
            .unwrap_or_else(|| panic!("{t} is not in the contents after entry {at}: {toc:?}"));
        at = i + 1;
        let printed_on =
            folio(&p.pages[s]).unwrap_or_else(|| panic!("no page number on {t}'s first page"));
        assert_eq!(
            toc[i].1, printed_on,
            "contents give {t} page {}, it starts on {printed_on}",
            toc[i].1
        );
    }
}

#[test]
fn page_numbers_on_every_page_after_the_front_matter_and_none_on_blank_pages() {
    let p = printed();
    let first = p.starts[0];
    let mut blank = 0;
    for (i, page) in p.pages.iter().enumerate().skip(first) {
        // A page left blank so that the next part starts on the right carries nothing at all
        // (`print: number_blank_pages:` is off by default); the count goes on through it.
        let want = if page.trim().is_empty() {
            blank += 1;
            None
        } else {
            Some((i - first + 1) as u32)
        };
        assert_eq!(
            folio(page),
            want,
            "page {}: {:?}",
            i + 1,
            lines(page).last()
        );
    }
    assert!(blank > 0);
    // The front matter has no body page number.
    assert_eq!(folio(&p.pages[0]), None);
}

/// The contents open on a right-hand page: the cover's back is left blank, unnumbered.
#[test]
fn the_contents_are_on_a_right_hand_page() {
    let p = printed();
    let at = p
        .pages
        .iter()
        .position(|pg| lines(pg).first().is_some_and(|l| squash(l) == "目录"))
        .expect("a contents page");
    assert_eq!(at % 2, 0, "the contents start on page {}", at + 1);
    assert!(p.pages[1].trim().is_empty(), "{:?}", p.pages[1]);
}

#[test]
fn running_heads_carry_the_title_and_blank_pages_have_none() {
    let (_, lib) = seed();
    let p = printed();
    let titles = titles(lib);
    let mut continued = 0;
    let mut blank = 0;
    for (k, &s) in p.starts.iter().enumerate() {
        let end = p.starts.get(k + 1).copied().unwrap_or(p.appendix);
        for page in &p.pages[s + 1..end] {
            let l = lines(page);
            if l.len() <= 1 {
                // A blank page left so that the next regulation starts on the right: its number only.
                blank += 1;
                continue;
            }
            continued += 1;
            assert_eq!(
                squash(l[0]),
                squash(titles[k]),
                "running head on a page of {}",
                titles[k]
            );
        }
    }
    assert!(
        continued >= 10 && blank > 0,
        "{continued} continued, {blank} blank"
    );
}

#[test]
fn risk_registers_are_on_landscape_pages() {
    let (pdf, lib) = seed();
    let p = printed();
    let sizes = sizes(pdf, p.pages.len());
    assert_eq!(sizes.len(), p.pages.len());
    let order = titles(lib);
    let mut registers = 0;
    for (k, &s) in p.starts.iter().enumerate() {
        let reg = lib
            .regulations
            .iter()
            .find(|r| r.title == order[k])
            .unwrap();
        let Some(rr) = &reg.risk_register else {
            continue;
        };
        registers += 1;
        let end = p.starts.get(k + 1).copied().unwrap_or(p.appendix);
        // Every page with the register's header row is landscape; and there is one.
        let header = squash(&rr.columns[0]);
        let with_table: Vec<usize> = (s..end)
            .filter(|&i| squash(&p.pages[i]).contains(&header))
            .collect();
        assert!(
            !with_table.is_empty(),
            "{}: no page with its register",
            reg.title
        );
        for i in with_table {
            let (w, h) = sizes[i];
            assert!(w > h, "{}: page {} is {w}×{h}", reg.title, i + 1);
        }
    }
    assert_eq!(registers, 5);
    // The rest is portrait A4.
    assert!((sizes[0].0 - 595.3).abs() < 1.0 && (sizes[0].1 - 841.9).abs() < 1.0);
}

#[test]
fn no_interface_words_and_the_chinese_text_is_extractable() {
    let p = printed();
    let all = squash(&p.pages.concat());
    for ui in common::pdf::INTERFACE_WORDS {
        assert!(!all.contains(ui), "{ui} in the PDF");
    }
    // Sentences of the seed, as text: fonts embedded with their Unicode mapping.
    for s in [
        "坚决贯彻落实会议表决末位表态制",
        "“三重一大”事项必须按照“集体领导、民主集中、个别酝酿、会议决定”的要求",
    ] {
        assert!(all.contains(&squash(s)), "{s} not extractable");
    }
    // Procedures are checklists; references to another regulation give its page.
    assert!(all.contains("办理清单"));
    assert!(regex::Regex::new(r"（见第\d+页）").unwrap().is_match(&all));
}

#[test]
fn the_outline_has_every_regulation_under_its_category() {
    let (pdf, lib) = seed();
    // After the regulations, the appendices under 附录.
    let (mut appendices, items): (Vec<_>, Vec<_>) = outline(pdf)
        .into_iter()
        .partition(|i| i.1.starts_with("附录"));
    // (The last top-level item is written after its children.)
    appendices.sort_by_key(|i| i.0);
    assert_eq!(
        appendices,
        [
            (0, "附录".to_string()),
            (1, "附录一　岗位职责清单".to_string()),
            (1, "附录二　术语".to_string()),
            (1, "附录三　依据文件".to_string()),
            (1, "附录四　表单".to_string()),
        ]
    );
    let cats: Vec<&str> = items
        .iter()
        .filter(|i| i.0 == 0)
        .map(|i| i.1.as_str())
        .collect();
    let regs: Vec<&str> = items
        .iter()
        .filter(|i| i.0 == 1)
        .map(|i| i.1.as_str())
        .collect();
    let want_cats: Vec<&str> = lib.categories.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(cats, want_cats);
    assert_eq!(regs, headings(lib));
    // Chapters (第一章 …) are bookmarked under their regulation.
    assert!(
        items.iter().any(|i| i.0 == 2 && i.1.starts_with("第一章")),
        "{items:?}"
    );
}

#[test]
fn one_volume_per_category() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("vol.pdf");
    let mut site = Site::new(common::repo_root());
    let r = rulebook::pdf::write(&mut site, Some("fengxian-fangkong"), Some(&out)).unwrap();
    assert_eq!(r.documents, 6);
    let (appendices, items): (Vec<_>, Vec<_>) = outline(&out)
        .into_iter()
        .partition(|i| i.1.starts_with("附录"));
    assert_eq!(appendices.len(), 5, "{appendices:?}");
    let regs: Vec<&str> = items
        .iter()
        .filter(|i| i.0 == 1)
        .map(|i| i.1.as_str())
        .collect();
    let lib = &seed().1;
    let cat = lib.category("fengxian-fangkong").unwrap();
    let want: Vec<String> = cat
        .regulations
        .iter()
        .map(|&i| heading(&lib.regulations[i]))
        .collect();
    assert_eq!(regs, want);
    assert_eq!(items.iter().filter(|i| i.0 == 0).count(), 1);
    let e = rulebook::pdf::write(
        &mut Site::new(common::repo_root()),
        Some("nope"),
        Some(&out),
    )
    .err()
    .expect("an unknown volume is refused");
    assert!(e.to_string().contains("no category `nope`"), "{e}");
}

/// Text that looks like Typst markup is printed as it is: the model goes to Typst as data.
#[test]
fn editors_text_is_never_markup() {
    let site = common::fixture_site(&[
        ("content/site.yaml", "title: 测试\n"),
        (
            "content/a/x.md",
            "---\ntitle: 标记测试\n---\n\n第一条　#pagebreak() #set page(flipped: true) $x^2$ #label(\"x\") @ref \\[链接\\] 和 #\"str\"。\n",
        ),
    ]);
    let out = site.path().join("x.pdf");
    rulebook::pdf::write(&mut Site::new(site.path()), None, Some(&out)).unwrap();
    let pages = pages(&out);
    let text = squash(&pages.concat());
    for s in [
        "#pagebreak()",
        "#setpage(flipped:true)",
        "$x^2$",
        "#label(\"x\")",
        "@ref",
        "[链接]",
        "#\"str\"",
    ] {
        assert!(text.contains(s), "{s} not printed as text: {text}");
    }
    // Cover, contents, one page of text.
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(sizes(&out, 3).iter().all(|(w, h)| w < h));
}

/// The appendices: every role with duties, every defined term, every document and form cited, each
/// entry with its place in the book and the page that place is printed on.
#[test]
fn appendices_give_duties_terms_documents_and_forms_with_their_pages() {
    use rulebook::model::Target;
    let (_, lib) = seed();
    let p = printed();
    let first = p.appendix;
    assert!(squash(&p.pages[first]).starts_with("附录附录一岗位职责清单"));
    // Its running head is the appendix's title.
    assert_eq!(squash(lines(&p.pages[first + 1])[0]), "附录一岗位职责清单");
    let text: String = p.pages[first..].iter().map(|pg| squash(pg)).collect();
    for (i, role) in lib.roles.iter().enumerate() {
        if lib.duties_of(i).next().is_some() {
            assert!(text.contains(&squash(&role.name)), "role {}", role.name);
        }
    }
    for t in lib.terms.iter().filter(|t| t.definition.is_some()) {
        assert!(text.contains(&squash(&t.term)), "term {}", t.term);
    }
    for r in &lib.references {
        if let Target::External { name, .. } | Target::Form { name } = &r.target {
            assert!(text.contains(&squash(name)), "{name}");
        }
    }
    // A duty's place reads as a citation with the page on which that clause is printed: the 出纳
    // pays once the deputy has signed (财务管理制度 一、, on the regulation's first page).
    let reg = lib.regulation("caiwu-guanli").unwrap();
    let i = lib.regulations.iter().position(|r| r.id == reg.id).unwrap();
    let order: Vec<&str> = titles(lib);
    let start = p.starts[order.iter().position(|t| *t == reg.title).unwrap()];
    assert!(squash(&p.pages[start]).contains("出纳方可付款"));
    let page = folio(&p.pages[start]).unwrap();
    let cashier = lib.roles.iter().position(|r| r.name == "出纳").unwrap();
    assert!(
        lib.duties_of(cashier).any(|d| d.regulation == i),
        "the model has the cashier's duty in the finance regulation"
    );
    let cited = format!("《{}》一、（见第{page}页）", reg.title);
    assert!(text.contains(&cited), "{cited} not in the appendix");
    // 附录一 lists a duty written the same way in several places once, with all its places; a duty
    // that is a checklist step points at the checklist, not at the regulation's first page.
    let printed_ids: std::collections::HashSet<&str> =
        lib.regulations.iter().map(|r| r.id.as_str()).collect();
    let roles = &rulebook::render::print::appendices(lib, &printed_ids)[0];
    let mut at_steps = 0;
    for section in &roles.sections {
        let mut seen = std::collections::HashSet::new();
        for e in &section.entries {
            assert!(
                seen.insert((&e.tag, &e.text)),
                "{:?} repeats {}",
                section.heading,
                e.text
            );
            at_steps += e.places.iter().filter(|p| p.id.contains("proc-")).count();
        }
    }
    assert!(at_steps > 0, "no duty points at its checklist");
    // Every page reference in the appendices names a page of the book that exists.
    let last = folio(p.pages.last().unwrap()).unwrap();
    let re = regex::Regex::new(r"（见第(\d+)页）").unwrap();
    let refs: Vec<u32> = re
        .captures_iter(&text)
        .map(|c| c[1].parse().unwrap())
        .collect();
    assert!(refs.len() > 100, "{} page references", refs.len());
    assert!(refs.iter().all(|&n| n >= 1 && n <= last));
}

/// The cover carries the organisation, the title, the edition and a date: `date:` from site.yaml,
/// else from the regulations.
#[test]
fn the_cover_has_organisation_title_edition_and_date() {
    let (_, lib) = seed();
    let cover = squash(&printed().pages[0]);
    for want in [
        lib.config.organisation.as_deref().unwrap(),
        &lib.config.title,
        lib.config.edition.as_deref().unwrap(),
    ] {
        assert!(cover.contains(&squash(want)), "{want} not on the cover");
    }
    let site = common::fixture_site(&[
        ("content/site.yaml", "title: 制度汇编\ndate: 2025年1月\n"),
        ("content/a/x.md", "---\ntitle: 甲\n---\n\n第一条　内容。\n"),
    ]);
    let out = site.path().join("out.pdf");
    rulebook::pdf::write(&mut Site::new(site.path()), None, Some(&out)).unwrap();
    let cover = squash(&pages(&out)[0]);
    assert!(
        cover.contains("制度汇编") && cover.contains("2025年1月"),
        "{cover}"
    );
    // Without `date:`, the latest date the regulations were issued or took effect; never the day
    // of printing (an unchanged book is not dated anew).
    let site = common::fixture_site(&[
        (
            "content/site.yaml",
            "title: 制度汇编
print:
  fonts: noto
",
        ),
        (
            "content/a/x.md",
            "---
title: 甲
issued: 2019-05-01
effective: 2020-03-27
---

第一条　内容。
",
        ),
        (
            "content/a/y.md",
            "---
title: 乙
issued: 2018-01-02
---

第一条　内容。
",
        ),
    ]);
    let out = site.path().join("out.pdf");
    rulebook::pdf::write(&mut Site::new(site.path()), None, Some(&out)).unwrap();
    let cover = squash(&pages(&out)[0]);
    assert!(cover.contains("2020年3月27日"), "{cover}");
}

/// Procedures print as checklists: every step, the alternative each conditional step is on, and the
/// standing rules (须遵守的规定) with no box.
#[test]
fn procedures_print_with_their_alternatives_and_standing_rules() {
    let (_, lib) = seed();
    let text: String = printed().pages.iter().map(|p| squash(p)).collect();
    let mut rules = 0;
    let mut conditional = 0;
    for p in &lib.procedures {
        for c in &p.constraints {
            assert!(text.contains(&squash(&c.text)), "{}: rule {}", p.id, c.text);
            rules += 1;
        }
        for s in p.steps.iter().filter(|s| !s.when.is_empty()) {
            let label = squash(&p.when_label(&s.when));
            assert!(text.contains(&label), "{}: alternative {label}", p.id);
            conditional += 1;
        }
        for s in &p.steps {
            assert!(text.contains(&squash(&s.text)), "{}: step {}", p.id, s.text);
        }
    }
    assert!(
        rules > 0 && conditional > 0,
        "{rules} rules, {conditional} conditional steps"
    );
}

/// `pdfinfo` (poppler) and `qpdf --check` read the book without a complaint.
#[test]
fn poppler_and_qpdf_accept_the_file() {
    let (pdf, _) = seed();
    let info = std::process::Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .unwrap();
    assert!(info.status.success());
    assert_eq!(String::from_utf8_lossy(&info.stderr), "");
    let check = std::process::Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .unwrap_or_else(|e| panic!("qpdf: {e} (install qpdf; .ci/run does)"));
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{out}");
    assert!(out.contains("No syntax or stream encoding errors"), "{out}");
    assert!(!out.to_lowercase().contains("warning"), "{out}");
}

/// Dates and amounts print as written: no space between Chinese and digits (2020年4月7日, not
/// 2020 年 4 月 7 日).
#[test]
fn no_space_between_chinese_and_digits() {
    let text = printed().pages.concat();
    assert!(text.contains("2020年4月7日"), "the register's date");
    let spaced = regex::Regex::new(r"[0-9] [年月日元]|[年月] [0-9]").unwrap();
    let found: Vec<&str> = spaced
        .find_iter(&text)
        .map(|m| m.as_str())
        .take(5)
        .collect();
    assert!(found.is_empty(), "{found:?}");
}

/// The seed's six regulations written as "一、…" provisions print their text in the body face:
/// on a page of their text (no checklist: the copy has no procedures) no bold font is used. Set
/// in the 公文 layout (3号, in Noto here: the 公文 faces are not installed), whose titles and
/// headings are not bold either, so that every page of theirs is checked, the first too.
#[test]
fn provisions_are_text_not_bold_headings() {
    let seed = common::repo_root().join("content");
    let six = [
        "财务管理",
        "公出差旅报销",
        "办公用品",
        "办公管理",
        "请销假",
        "车辆管理",
    ];
    let mut files: Vec<(String, String)> = vec![(
        "content/site.yaml".into(),
        "title: 汇编\nbinding: simplex\nprint:\n  fonts: gongwen\n".into(),
    )];
    for data in ["roles.yaml"] {
        if let Ok(text) = std::fs::read_to_string(seed.join(data)) {
            files.push((format!("content/{data}"), text));
        }
    }
    for e in walkdir::WalkDir::new(&seed)
        .into_iter()
        .filter_map(|e| e.ok())
    {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("title: "))
            .unwrap_or("");
        if e.path().extension().is_some_and(|x| x == "md")
            && !e.path().starts_with(seed.join("procedures"))
            && six.iter().any(|s| title.contains(s))
        {
            let rel = e.path().strip_prefix(&seed).unwrap();
            files.push((format!("content/{}", rel.display()), text));
        }
    }
    assert!(
        files.len() >= 7,
        "{:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = common::fixture_site(&refs);
    let out = site.path().join("six.pdf");
    rulebook::pdf::write(&mut Site::new(site.path()), None, Some(&out)).unwrap();
    let pages = pages(&out);
    let mut checked = 0;
    for (i, page) in pages.iter().enumerate() {
        let l = lines(page);
        // A page that goes on with a regulation's text: the running head is the title.
        let Some(head) = l.first() else { continue };
        if l.len() < 5 || !six.iter().any(|s| head.contains(s)) || page.contains("附录") {
            continue;
        }
        let n = (i + 1).to_string();
        let fonts = std::process::Command::new("pdffonts")
            .args(["-f", &n, "-l", &n])
            .arg(&out)
            .output()
            .unwrap();
        let fonts = String::from_utf8_lossy(&fonts.stdout);
        assert!(
            !fonts.contains("Bold"),
            "page {n} ({head}) uses a bold font:\n{fonts}"
        );
        checked += 1;
    }
    assert!(checked >= 3, "{checked} pages of text checked");
}

/// A regulation classified within `publish_level` (内部) prints its 密级★保密期限 at the top left
/// of its first page, the cover the highest level in the book and `print: notice:`; an
/// unclassified regulation carries no mark.
#[test]
fn a_classified_regulation_carries_its_mark() {
    let site = common::fixture_site(&[
        (
            "content/site.yaml",
            "title: 汇编\nprint:\n  fonts: noto\n  notice: 内部资料 注意保存\n",
        ),
        (
            "content/a/x.md",
            "---\ntitle: 甲制度\nclassification: 内部\nsecrecy_period: 5年\n---\n\n第一条　内容。\n",
        ),
        (
            "content/a/y.md",
            "---\ntitle: 乙制度\n---\n\n第一条　内容。\n",
        ),
    ]);
    let out = site.path().join("x.pdf");
    rulebook::pdf::write(&mut Site::new(site.path()), None, Some(&out)).unwrap();
    let pages = pages(&out);
    let cover = lines(&pages[0]);
    assert_eq!(squash(cover[0]), "内部", "{cover:?}");
    assert_eq!(squash(cover[1]), "内部资料注意保存", "{cover:?}");
    let first = pages
        .iter()
        .position(|p| p.contains("甲制度") && !p.contains("目录"))
        .unwrap();
    assert_eq!(
        squash(lines(&pages[first])[0]),
        "内部★5年",
        "{:?}",
        pages[first]
    );
    let other = pages
        .iter()
        .position(|p| p.contains("乙制度") && !p.contains("目录"))
        .unwrap();
    assert!(!pages[other].contains("内部"), "{:?}", pages[other]);
}

/// A register cell of 600 items prints every one: a row taller than a page continues on the
/// next page (with 续表 over the repeated header), nothing is cut off.
#[test]
fn a_cell_of_600_items_prints_whole() {
    let mut yaml = String::from(
        "---\ntitle: 登记表\nrisk_register:\n  columns: [职责, 风险点]\n  rows:\n    - 职责:\n        - 管理\n      风险点:\n",
    );
    for i in 1..=600 {
        yaml.push_str(&format!("        - 第{i}项风险\n"));
    }
    yaml.push_str("---\n");
    let site = common::fixture_site(&[
        ("content/site.yaml", "title: 汇编\nprint:\n  fonts: noto\n"),
        ("content/a/x.md", &yaml),
    ]);
    let out = site.path().join("x.pdf");
    rulebook::pdf::write(&mut Site::new(site.path()), None, Some(&out)).unwrap();
    let pages = pages(&out);
    let text = squash(&pages.concat());
    for i in 1..=600 {
        assert!(
            text.contains(&format!("第{i}项风险")),
            "item {i} is missing"
        );
    }
    let continued = pages.iter().filter(|p| p.contains("续表")).count();
    assert!(continued >= 1, "no 续表");
}

/// Fonts are found by family name in the site's `fonts/` folder (no system folder involved).
#[test]
fn fonts_are_found_in_the_site_fonts_folder() {
    use rulebook::pdf::world::Fonts;
    // Any Noto CJK file the machine has, wherever it is.
    let noto = [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        "/System/Library/Fonts",
        "/Library/Fonts",
    ]
    .iter()
    .flat_map(|d| walkdir::WalkDir::new(d).into_iter().filter_map(|e| e.ok()))
    .map(|e| e.into_path())
    .find(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("NotoSansCJK-Regular"))
    })
    .expect("a Noto Sans CJK file (fonts-noto-cjk)");
    let site = tempfile::tempdir().unwrap();
    let dir = site.path().join("fonts");
    assert!(!Fonts::search(std::slice::from_ref(&dir)).has("Noto Sans CJK SC"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&noto, dir.join("any-name.ttc")).unwrap();
    let fonts = Fonts::search(std::slice::from_ref(&dir));
    assert!(fonts.has("Noto Sans CJK SC"));
    assert!(!fonts.has("Noto Serif CJK SC"));
    // The compact layout is set in what is there: the sans for both faces.
    let chosen =
        rulebook::pdf::typeface::choose(&fonts, rulebook::config::FontChoice::Auto).unwrap();
    assert_eq!(chosen.typeface.body, vec!["Noto Sans CJK SC".to_string()]);
    assert_eq!(chosen.missing, vec!["小标宋", "仿宋", "黑体", "楷体"]);
}

/// `rulebook pdf --each --out pdfs`, run from the site folder as the README writes it: one PDF a
/// regulation (no cover, no contents) in a folder written as `build` writes its output; a folder
/// holding a file rulebook did not write is refused and the file left alone.
#[test]
fn each_regulation_prints_on_its_own_into_a_safe_folder() {
    let site = common::fixture_site(&[
        ("content/site.yaml", "title: 汇编\nprint:\n  fonts: noto\n"),
        (
            "content/a/x.md",
            "---\ntitle: 甲制度\n---\n\n第一条　内容甲。\n",
        ),
        (
            "content/a/y.md",
            "---\ntitle: 乙制度\n---\n\n第一条　内容乙。\n",
        ),
    ]);
    let run = |out: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
            .args(["pdf", "--each", "--out", out])
            .current_dir(site.path())
            .output()
            .unwrap()
    };
    let done = run("pdfs");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    // `<id>.pdf`: a regulation's id is made of its path under content/.
    for (id, title) in [("a-x", "甲制度"), ("a-y", "乙制度")] {
        let pdf = site.path().join(format!("pdfs/{id}.pdf"));
        let pages = pages(&pdf);
        assert_eq!(pages.len(), 1, "{pages:?}");
        assert!(squash(&pages[0]).contains(title) && !pages[0].contains("目录"));
    }
    // Printed again: replaced, not refused (the files are rulebook's).
    assert!(run("pdfs").status.success());
    // A folder holding other files: they are left as they were (tests/suite/pdf_output.rs has the rest).
    std::fs::create_dir_all(site.path().join("mine")).unwrap();
    std::fs::write(site.path().join("mine/notes.txt"), "keep").unwrap();
    assert!(run("mine").status.success());
    assert_eq!(
        std::fs::read_to_string(site.path().join("mine/notes.txt")).unwrap(),
        "keep"
    );
    assert!(site.path().join("mine/a-x.pdf").exists());
    assert!(
        !run("content").status.success(),
        "the sources are never an output folder"
    );
}
