//! Builds the bundled handbook (the real seed content) and checks it against the seed text itself.

use crate::common;

use std::collections::BTreeMap;

use crate::common::{all_files, html_text, main_of, pretty, seed_site, seed_text, squash};

fn page(rel: &str) -> String {
    std::fs::read_to_string(seed_site().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// (id, title) of every regulation page, from the output.
fn regulation_pages() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(seed_site().join("regulations")).unwrap() {
        let path = entry.unwrap().path();
        let html = std::fs::read_to_string(&path).unwrap();
        let h1 = html
            .split("<h1>")
            .nth(1)
            .and_then(|s| s.split("</h1>").next())
            .expect("h1");
        out.push((
            path.file_stem().unwrap().to_string_lossy().to_string(),
            html_text(h1),
        ));
    }
    out.sort();
    out
}

/// The seed cut into documents: (title, lines), by the title lines the built pages carry.
fn seed_documents() -> Vec<(String, Vec<String>)> {
    let titles: Vec<String> = regulation_pages().into_iter().map(|(_, t)| t).collect();
    let text = seed_text();
    let mut docs: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        let t = squash(line);
        // The flowchart boxes at the end belong to no document's running text.
        if t == "主要领导主持保密办全面工作" {
            break;
        }
        if titles.iter().any(|x| squash(x) == t) {
            docs.push((t, Vec::new()));
        } else if let Some(d) = docs.last_mut() {
            d.1.push(line.to_string());
        }
    }
    docs
}

fn visible_text_of_site() -> String {
    all_files(seed_site())
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(_, b)| squash(&html_text(&String::from_utf8(b).unwrap())))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn twenty_four_regulation_pages_and_all_on_home() {
    let pages = regulation_pages();
    assert_eq!(pages.len(), 24, "{pages:?}");
    let home = page("index.html");
    for (id, _) in &pages {
        assert!(
            home.contains(&format!("href=regulations/{id}.html"))
                || home.contains(&format!("href=\"regulations/{id}.html\"")),
            "home lacks {id}"
        );
    }
    // The two registers that share a title are told apart by their 填报人.
    let wu = page("regulations/fengxian-wu-yanzhang.html");
    let wang = page("regulations/fengxian-wang-chunyu.html");
    assert!(html_text(&wu).contains("填报人：吴彦章"));
    assert!(html_text(&wang).contains("填报人：王春雨"));
    assert!(html_text(&home).contains("（填报人：吴彦章）"));
    assert!(html_text(&home).contains("（填报人：王春雨）"));
}

#[test]
fn every_seed_sentence_is_in_the_site() {
    let site = visible_text_of_site();
    let seed = seed_text();
    let mut missing = Vec::new();
    let mut checked = 0;
    for (n, line) in seed.lines().enumerate() {
        for piece in line.split(['。', '；']) {
            let piece = squash(piece);
            if piece.is_empty() {
                continue;
            }
            checked += 1;
            if !site.contains(&piece) {
                missing.push(format!("seed line {}: {piece}", n + 1));
            }
        }
    }
    assert!(checked > 900, "only {checked} fragments");
    assert!(
        missing.is_empty(),
        "{} fragments missing:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn conversion_debris_is_gone() {
    let page = page("regulations/yibashou-quanli.html");
    assert!(
        page.contains("不得违反干部任免程序和规定"),
        "stray full-width space inside 程序"
    );
    assert!(!page.contains("程\u{3000}序"));
    let qingdan = page_text("regulations/dangfeng-zeren-qingdan.html");
    assert!(qingdan.contains("党风廉政建设的部署和要求"));
    let zhidu = page_text("regulations/dangfeng-zeren-zhidu.html");
    assert!(zhidu.contains("组长：于清岩"), "{zhidu}");
}

fn page_text(rel: &str) -> String {
    html_text(&page(rel))
}

fn count_markers(lines: &[String]) -> (usize, usize) {
    let mut articles = 0;
    let mut sections = 0;
    for l in lines {
        let t = l.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
        if let Some(rest) = t.strip_prefix('第') {
            let num: String = rest
                .chars()
                .take_while(|c| "一二三四五六七八九十百".contains(*c))
                .collect();
            if !num.is_empty() && rest[num.len()..].starts_with('条') {
                articles += 1;
            }
        }
        let num: String = t
            .chars()
            .take_while(|c| "一二三四五六七八九十".contains(*c))
            .collect();
        if !num.is_empty() && t[num.len()..].starts_with('、') {
            sections += 1;
        }
    }
    (articles, sections)
}

#[test]
fn every_article_and_section_has_an_anchor() {
    let ids_of = |html: &str, prefix: &str| -> usize {
        html.match_indices(&format!("id={prefix}"))
            .chain(html.match_indices(&format!("id=\"{prefix}")))
            .filter(|(i, m)| {
                let rest = &html[i + m.len()..];
                rest.chars().next().is_some_and(|c| c.is_ascii_digit()) && {
                    let after: String = rest
                        .chars()
                        .skip_while(|c| c.is_ascii_digit())
                        .take(1)
                        .collect();
                    after == "\"" || after == " " || after == ">"
                }
            })
            .count()
    };
    let by_title: BTreeMap<String, String> = regulation_pages()
        .into_iter()
        .map(|(id, t)| (squash(&t), id))
        .collect();
    let docs = seed_documents();
    assert_eq!(
        docs.len(),
        24,
        "24 documents (two share a title): {:?}",
        docs.iter().map(|d| &d.0).collect::<Vec<_>>()
    );
    let mut total = (0, 0);
    for (title, lines) in &docs {
        let id = &by_title[title];
        let (articles, sections) = count_markers(lines);
        let html = page(&format!("regulations/{id}.html"));
        assert_eq!(ids_of(&html, "art"), articles, "{id}: 第X条 anchors");
        assert_eq!(ids_of(&html, "sec"), sections, "{id}: 一、 anchors");
        total.0 += articles;
        total.1 += sections;
    }
    assert_eq!(total, (34, 86), "articles and sections across the seed");
    // Exact anchors, as the README's scheme promises.
    let yibashou = page("regulations/yibashou-quanli.html");
    for id in ["art1", "art3", "art3-item2", "art9"] {
        assert!(
            yibashou.contains(&format!("id={id}>")) || yibashou.contains(&format!("id=\"{id}\"")),
            "{id}"
        );
    }
    let yinzhang = page("regulations/yinzhang-shiyong.html");
    assert!(yinzhang.contains("id=sec2-sub9"), "印章 二、9．");
    let fazhan = page("regulations/fazhan-dangyuan.html");
    assert!(
        fazhan.contains("id=sec3-item5-sub24"),
        "发展党员 三、（五）24．"
    );
    let peixun = page("regulations/baomi-peixun.html");
    assert!(
        peixun.contains("id=ch1") && peixun.contains("id=ch2") && peixun.contains("id=art7-item4")
    );
}

#[test]
fn the_toc_lists_articles_and_sections_with_clause_heads() {
    let html = page("regulations/sanzhong-yida.html");
    let toc = html
        .split("class=\"toc\"")
        .nth(1)
        .expect("toc")
        .split("</ol>")
        .next()
        .unwrap();
    let text = squash(&html_text(toc));
    for s in [
        "一、基本原则",
        "二、事项范围",
        "三、决策程序",
        "四、监督检查",
        "五、责任追究",
    ] {
        assert!(text.contains(s), "{s} in {text}");
    }
    // 末位表态 has its anchor and a clause head, where the script adds its copy-link button (the
    // browser test `copy_link` clicks one).
    assert!(
        html.contains("id=sec3-item2-sub4><p class=clause-head>"),
        "clause head of 末位表态"
    );
}

/// The five 廉政风险排查登记表: every header and data cell of the seed's table is a cell of the page's table.
#[test]
fn risk_registers_have_the_seed_rows() {
    let docs = seed_documents();
    let registers = [
        (
            "fengxian-zhuyao-lingdao",
            "主要领导“一岗双责”廉政风险排查登记表",
            0usize,
        ),
        (
            "fengxian-wu-yanzhang",
            "领导班子成员“一岗双责”廉政风险排查登记表",
            0,
        ),
        (
            "fengxian-wang-chunyu",
            "领导班子成员“一岗双责”廉政风险排查登记表",
            1,
        ),
        ("fengxian-bangongshi", "办公室廉政风险排查登记表", 0),
        ("fengxian-jishu-zhan", "保密技术工作站廉政风险排查登记表", 0),
    ];
    for (id, title, nth) in registers {
        let (_, lines) = docs
            .iter()
            .filter(|(t, _)| t == &squash(title))
            .nth(nth)
            .expect(title);
        let html = page(&format!("regulations/{id}.html"));
        let table = html
            .split("<table")
            .nth(1)
            .expect("table")
            .split("</table>")
            .next()
            .unwrap();
        let tbody = table.split("<tbody>").nth(1).unwrap();
        // Each risk point is a row; a column's cells read top to bottom give the seed's cell.
        let mut columns: Vec<(String, String)> = Vec::new();
        for td in tbody.split("<td").skip(1) {
            let column = td
                .split("data-column=")
                .nth(1)
                .unwrap()
                .split(['>', ' '])
                .next()
                .unwrap()
                .trim_matches('"')
                .to_string();
            // The links to the procedures that guard a risk point are not the seed's words.
            let cell = td.split("</td>").next().unwrap();
            let cell: String = cell
                .split("<span class=\"risk-procedure\">")
                .enumerate()
                .map(|(i, part)| {
                    if i == 0 {
                        part
                    } else {
                        part.split_once("</span>").map_or("", |(_, rest)| rest)
                    }
                })
                .collect();
            let text = squash(&html_text(&format!("<td{cell}")));
            match columns.iter_mut().find(|(c, _)| *c == column) {
                Some((_, t)) => t.push_str(&text),
                None => columns.push((column, text)),
            }
        }
        let cells: Vec<String> = columns.iter().map(|(_, t)| t.clone()).collect();
        let risk_points = columns
            .iter()
            .find(|(c, _)| c == "廉政风险点")
            .map(|(_, t)| t.matches('．').count())
            .unwrap();
        assert_eq!(
            tbody.matches("<tr").count(),
            risk_points,
            "{id}: a row per risk point"
        );
        let heads = squash(&html_text(table.split("<tbody>").next().unwrap()));
        // Cells in the seed are the tab-indented lines; a header may be split over two lines.
        let mut seed_cells: Vec<String> = Vec::new();
        for l in lines {
            if l.starts_with('\t') {
                seed_cells.push(squash(l));
            } else if !squash(l).is_empty() && !l.contains("单位：") && !seed_cells.is_empty() {
                let last = seed_cells.last_mut().unwrap();
                last.push_str(&squash(l));
            }
        }
        let mut data = 0;
        for c in seed_cells.iter().filter(|c| !c.is_empty()) {
            let in_data = cells.iter().any(|cell| cell == c);
            assert!(
                in_data || heads.contains(c.as_str()),
                "{id}: seed cell not in table: {c}"
            );
            data += usize::from(in_data);
        }
        assert!(data >= 4, "{id}: {data} data cells");
        let meta = squash(&html_text(
            html.split("class=\"risk-meta\"")
                .nth(1)
                .unwrap()
                .split("</p>")
                .next()
                .unwrap(),
        ));
        assert!(meta.contains("单位：市委保密办"), "{meta}");
    }
    // The 办公室 register's risk points are separate items of their cell.
    let html = page("regulations/fengxian-bangongshi.html");
    assert!(html.contains("<td data-column=\"廉政风险点\" id=\"risk-1\">1．大额经费支出；<span class=\"risk-procedure\">"), "risk point 1 anchored, with its procedures");
    assert!(html.contains("办事清单</a></span></td><td data-column=\"具体表现形式\">1．可能出现未严格按照资金使用管理规定和程序，集体研究不充分，导致资金使用不当；</td>"), "risk point 1 and its 表现形式 on one row");
    assert!(html.contains("<td data-column=\"廉政风险点\" id=\"risk-8\">8．固定资产管理。<span"));
    // Where the numbering does not pair them (5 risk points, 4 表现形式), the 表现形式 span the rows.
    let zy = page("regulations/fengxian-zhuyao-lingdao.html");
    assert!(
        zy.contains("<td data-column=\"具体表现形式\" rowspan=\"5\">"),
        "unpaired column spans"
    );
}

/// The flowchart boxes at the end of the seed: each is a step (or note) of a procedure, numbered
/// procedures in the seed's order.
#[test]
fn procedures_have_the_seed_steps_in_order() {
    let seed = seed_text();
    let start = seed.find("主要领导主持保密办全面工作").unwrap();
    let boxes_text = &seed[start..];
    let site = visible_text_of_site();
    let mut n = 0;
    for line in boxes_text.lines() {
        let t = squash(line);
        if t.is_empty() {
            continue;
        }
        n += 1;
        assert!(site.contains(&t), "flowchart box not in the site: {t}");
    }
    assert!(n > 75, "{n} box lines");

    // 3000元以上支出: numbered 1–6 in order, on the finance regulation, governed by its 一、.
    let caiwu = page("regulations/caiwu-guanli.html");
    let procs = caiwu
        .split("class=\"procedures\"")
        .nth(1)
        .expect("procedures on 财务管理制度");
    let first = html_text(procs.split("class=\"procedure\"").nth(1).unwrap());
    let order = [
        "1.提请支付款项（3000元以上）",
        "2.办务会研究决定（纪检组列席）",
        "3.经办人、科室（站）负责人、财务负责人签字",
        "4.分管财务副主任、主要领导签字",
        "5.管局财务审核",
        "6.银行转账",
    ];
    let mut pos = 0;
    for step in order {
        let at = squash(&first)[pos..]
            .find(&squash(step))
            .unwrap_or_else(|| panic!("{step} out of order in {first}"));
        pos += at;
    }
    assert!(common::has_href(procs, "#sec1"), "governing clause link");

    // 印章使用: the order of 印章使用管理制度 二、9．.
    let yinzhang = squash(&page_text("regulations/yinzhang-shiyong.html"));
    let steps = [
        "科室负责人填写《印章使用审批单》",
        "保密办办公室主任签字",
        "主要领导签字",
        "使用人持审批单到保密办办公室印章专管人员处盖章",
        "保密办办公室存档",
    ];
    let proc_text = &yinzhang[yinzhang.find("流程").unwrap()..];
    let mut pos = 0;
    for s in steps {
        pos += proc_text[pos..]
            .find(s)
            .unwrap_or_else(|| panic!("{s} out of order"));
    }
    // 发展党员: 16 steps, 入党申请书 first and 材料归档 last.
    let fazhan = page("regulations/fazhan-dangyuan.html");
    let p = fazhan
        .split("id=\"proc-")
        .nth(1)
        .expect("发展党员 procedure");
    assert_eq!(p.matches("<li class=\"step\"").count(), 16);
    let t = squash(&html_text(p));
    assert!(t.find("本人提交入党申请书").unwrap() < t.find("材料归档").unwrap());
}

#[test]
fn incomplete_documents_are_marked() {
    for id in ["baomi-peixun", "fengxian-fazhan-dangyuan"] {
        let html = page(&format!("regulations/{id}.html"));
        assert!(html.contains("incomplete-notice"), "{id}");
    }
    let peixun = page_text("regulations/baomi-peixun.html");
    assert!(peixun.contains("（四）在规定培训时间内，不准从事与培训无关的事情。"));
    assert!(!page("regulations/caiwu-guanli.html").contains("incomplete-notice"));
}

#[test]
fn no_external_urls_anywhere() {
    for (path, bytes) in all_files(seed_site()) {
        let text = String::from_utf8_lossy(&bytes);
        // The Atom feed's namespace is a name, never fetched: the one URL-shaped string allowed.
        let text = text.replacen("xmlns=\"http://www.w3.org/2005/Atom\"", "", 1);
        for scheme in ["http://", "https://", "//cdn", "url(http"] {
            assert!(!text.contains(scheme), "{path} contains {scheme}");
        }
    }
}

#[test]
fn links_are_relative_and_resolve() {
    let root = seed_site();
    for (path, bytes) in all_files(root) {
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let dir = std::path::Path::new(&path).parent().unwrap().to_path_buf();
        for part in html
            .split("href=")
            .skip(1)
            .chain(html.split("src=").skip(1))
        {
            let target = part.trim_start_matches('"');
            let end = target.find(['"', ' ', '>']).unwrap_or(target.len());
            let target = &target[..end];
            if target.starts_with("data:") {
                continue; // the empty favicon, so browsers do not ask the server for /favicon.ico
            }
            assert!(!target.starts_with('/'), "{path}: absolute link {target}");
            let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
            // Person pages are named by the person (Chinese), percent-encoded in links.
            let file = &common::percent_decode(file).expect("valid percent-encoding");
            let anchor = &common::percent_decode(anchor).expect("valid percent-encoding");
            let file_path = if file.is_empty() {
                root.join(&path)
            } else {
                root.join(&dir).join(file)
            };
            assert!(file_path.is_file(), "{path}: broken link {target}");
            if !anchor.is_empty() {
                let t = std::fs::read_to_string(&file_path).unwrap();
                assert!(
                    t.contains(&format!("id={anchor}>"))
                        || t.contains(&format!("id={anchor} "))
                        || t.contains(&format!("id=\"{anchor}\"")),
                    "{path}: missing anchor {target}"
                );
            }
        }
    }
}

#[test]
fn snapshot_of_main() {
    let html = page("regulations/yinzhang-shiyong.html");
    insta::assert_snapshot!("yinzhang_main", pretty(main_of(&html)));
    let html = page("regulations/fengxian-jishu-zhan.html");
    insta::assert_snapshot!("fengxian_jishu_zhan_main", pretty(main_of(&html)));
}

/// Previous/next follow the handbook's reading order across categories (发展党员, alone in 党建,
/// leads on to the next category and back), with subtitles telling apart the two registers of one
/// title; the navigation landmarks are labelled.
#[test]
fn previous_and_next_cross_categories_in_reading_order() {
    let mut site = rulebook::Site::new(common::repo_root());
    let lib = site.load().expect("the seed loads");
    let order: Vec<&rulebook::model::Regulation> = rulebook::render::print::reading_order(lib)
        .into_iter()
        .flat_map(|(c, _)| lib.categories[c].regulations.iter())
        .map(|&i| &lib.regulations[i])
        .collect();
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    for (k, reg) in order.iter().enumerate() {
        let html =
            std::fs::read_to_string(seed_site().join(format!("regulations/{}.html", reg.id)))
                .unwrap();
        let doc = scraper::Html::parse_document(&html);
        let nav = doc.select(&sel("nav.prev-next")).next().expect("prev-next");
        assert_eq!(nav.value().attr("aria-label"), Some("上一篇和下一篇"));
        for (class, want) in [
            ("a.prev", k.checked_sub(1).map(|p| order[p])),
            ("a.next", order.get(k + 1).copied()),
        ] {
            let got = nav.select(&sel(class)).next();
            match (got, want) {
                (None, None) => {}
                (Some(a), Some(w)) => {
                    assert_eq!(
                        a.value().attr("href"),
                        Some(format!("../regulations/{}.html", w.id).as_str()),
                        "{}: {class}",
                        reg.id
                    );
                    let text: String = a.text().collect();
                    assert!(text.contains(&w.title), "{text}");
                    if let Some(sub) = &w.subtitle {
                        assert!(text.contains(sub.as_str()), "{text} lacks {sub}");
                    }
                }
                (got, want) => panic!(
                    "{}: {class} is {:?}, want {:?}",
                    reg.id,
                    got.map(|a| a.html()),
                    want.map(|w| &w.id)
                ),
            }
        }
        assert!(
            doc.select(&sel("nav.crumbs[aria-label]")).next().is_some(),
            "{}",
            reg.id
        );
    }
    let dang =
        std::fs::read_to_string(seed_site().join("regulations/fazhan-dangyuan.html")).unwrap();
    assert!(dang.contains("rel=\"prev\"") && dang.contains("rel=\"next\""));
}

/// 依据文件 grouped by kind, 术语 by pinyin initial, each page with an index of its groups whose
/// links land on the groups; a backlink that reads only 七、 is named in full.
#[test]
fn reference_pages_are_grouped_with_an_index() {
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let read = |p: &str| {
        scraper::Html::parse_document(&std::fs::read_to_string(seed_site().join(p)).unwrap())
    };
    let basis = read("basis.html");
    let groups: Vec<String> = basis
        .select(&sel("h2.ref-group"))
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(
        groups,
        [
            "法律",
            "党内法规",
            "法规和规章",
            "文件（按文号）",
            "其他文件"
        ]
    );
    // Each document under the heading of its kind.
    let mut kind = String::new();
    let mut seen = Vec::new();
    for e in basis.select(&sel("h2.ref-group, dl.ref-list > dt")) {
        let text: String = e.text().collect();
        if e.value().name() == "h2" {
            kind = text;
        } else if text.contains("保守国家秘密法")
            || text.contains("中国共产党问责条例")
            || text.contains("中保委〔2004〕7号")
        {
            seen.push((
                text.split_whitespace().next().unwrap().to_string(),
                kind.clone(),
            ));
        }
    }
    assert_eq!(
        seen,
        [
            (
                "《中华人民共和国保守国家秘密法》".to_string(),
                "法律".to_string()
            ),
            ("《中国共产党问责条例》".to_string(), "党内法规".to_string()),
            (
                "中保委〔2004〕7号".to_string(),
                "文件（按文号）".to_string()
            ),
        ]
    );
    for (page, count) in [("basis.html", 5), ("glossary.html", 2)] {
        let doc = read(page);
        let index: Vec<String> = doc
            .select(&sel("nav.ref-index a"))
            .map(|a| {
                a.value()
                    .attr("href")
                    .unwrap()
                    .trim_start_matches('#')
                    .to_string()
            })
            .collect();
        assert!(index.len() >= count, "{page}: {index:?}");
        for id in &index {
            assert!(
                doc.select(&sel(&format!("h2.ref-group[id='{id}']")))
                    .next()
                    .is_some(),
                "{page}: #{id}"
            );
        }
    }
    // 术语: initials in order, each term under its initial (三重一大 under S).
    let glossary = read("glossary.html");
    let initials: Vec<String> = glossary
        .select(&sel("h2.ref-group"))
        .map(|h| h.text().collect())
        .collect();
    let mut sorted = initials.clone();
    sorted.sort();
    assert_eq!(initials, sorted);
    let car = read("regulations/cheliang-guanli.html");
    let back = car
        .select(&sel("p.backlinks a"))
        .next()
        .expect("五、 is cited by 七、");
    assert_eq!(back.text().collect::<String>(), "七、");
    assert_eq!(
        back.value().attr("aria-label"),
        Some("《市委保密办车辆管理制度》七、")
    );
}

/// A list whose titles all begin with the organisation's short name shows them without it (the full
/// title stays the link's title); a list that mixes keeps them whole.
#[test]
fn lists_drop_the_shared_organisation_prefix() {
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let read = |p: &str| {
        scraper::Html::parse_document(&std::fs::read_to_string(seed_site().join(p)).unwrap())
    };
    let finance = read("categories/caiwu-zichan.html");
    let links: Vec<(String, String)> = finance
        .select(&sel("main .reg-list a"))
        .map(|a| {
            (
                a.text().collect(),
                a.value().attr("title").unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        links[0],
        ("财务管理制度".into(), "市委保密办财务管理制度".into())
    );
    assert!(
        links
            .iter()
            .all(|(shown, full)| full == &format!("市委保密办{shown}"))
    );
    // 廉政风险防控 mixes 主要领导… and 市委保密办…: whole titles, no title attribute.
    let risks = read("categories/fengxian-fangkong.html");
    let shown: Vec<String> = risks
        .select(&sel("main .reg-list a"))
        .map(|a| a.text().collect())
        .collect();
    assert!(
        shown.iter().any(|t| t.starts_with("市委保密办")),
        "{shown:?}"
    );
    assert!(
        risks
            .select(&sel("main .reg-list a[title]"))
            .next()
            .is_none()
    );
}
