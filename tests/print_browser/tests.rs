//! print.html printed by headless Chromium (`Page.printToPDF`), in a test binary and browser of its
//! own: printing the whole book in tests/browser/tests.rs's shared browser, beside the other tests'
//! windows, held them up until one of their DevTools calls timed out. Chromium is required
//! (`/usr/bin/chromium` or `$CHROME`), as for tests/browser/tests.rs.

use crate::common;

use std::path::PathBuf;

use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::{Value, json};

fn launch() -> Browser {
    let path = match std::env::var_os("CHROME") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from("/usr/bin/chromium"),
    };
    assert!(
        path.is_file(),
        "Chromium not found: install it with `apt-get install -y chromium` or set CHROME=/path/to/chrome"
    );
    Browser::new(LaunchOptions {
        path: Some(path),
        headless: true,
        sandbox: false,
        enable_gpu: false,
        ..LaunchOptions::default()
    })
    .expect("Chromium starts")
}

/// The value a JavaScript function body returns in the page (through JSON, so that arrays come
/// back as values, not as remote objects).
fn eval(tab: &Tab, body: &str) -> Value {
    let json = tab
        .evaluate(&format!("JSON.stringify((() => {{ {body} }})())"), false)
        .expect("evaluate")
        .value
        .unwrap_or(Value::Null);
    serde_json::from_str(json.as_str().unwrap_or("null")).unwrap()
}

/// print.html printed by Chromium (Ctrl+P, as the office would): the checks the bound PDF passes
/// (tests/suite/pdf.rs), except what a browser cannot do: page numbers in the contents (no
/// `target-counter()`) and right-hand starts (`break-before: right` is `page` in Chromium). The
/// PDF and PNGs of its pages are saved under target/screenshots/ (print-*.png, look at them).
#[test]
fn print_page_printed_by_chromium() {
    use crate::common::pdf::{folio, lines, pages, sizes, squash, starts};
    let browser = launch();
    let tab = browser.new_tab().expect("a tab");
    let url = format!(
        "file://{}",
        common::seed_site().join("print.html").display()
    );
    tab.navigate_to(&url)
        .and_then(|t| t.wait_until_navigated())
        .expect("print.html loads");
    // A register cell's items number themselves (1．…): the list adds no second number (1. 1．).
    let marker = eval(
        &tab,
        "return [...new Set([...document.querySelectorAll('.cell-items')].map(l => getComputedStyle(l).listStyleType))]",
    );
    assert_eq!(marker, json!(["none"]), "list markers in register cells");
    let pdf = tab
        .print_to_pdf(Some(headless_chrome::types::PrintToPdfOptions {
            prefer_css_page_size: Some(true),
            ..Default::default()
        }))
        .expect("Page.printToPDF");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("../screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("print-chromium.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let pages = pages(&file);
    let lib = {
        let mut s = rulebook::Site::new(common::repo_root());
        s.load().expect("the seed loads");
        s.library.take().unwrap()
    };
    let titles: Vec<&str> = rulebook::render::print::reading_order(&lib)
        .into_iter()
        .flat_map(|(c, _)| lib.categories[c].regulations.iter())
        .map(|&i| lib.regulations[i].title.as_str())
        .collect();
    // The cover, then the contents (from the second page on), then the regulations.
    assert!(squash(&pages[0]).contains("市委保密办规章制度汇编"));
    let contents = (1..pages.len())
        .rev()
        .find(|&p| lines(&pages[p]).first() == Some(&"目录"))
        .expect("a contents page");
    // Each regulation's first page: its running head (a named page), the category heading if it
    // is the first of it, then its title.
    let starts = starts(&pages, &titles, contents + 1, 4);
    assert_eq!(starts.len(), 24);
    // Then the appendices, each with its title as the running head.
    let appendix = common::pdf::starts(&pages, &["附录一"], starts[23] + 1, 4)[0];
    assert!(squash(&pages[appendix]).contains("附录附录一岗位职责清单"));
    assert_eq!(squash(lines(&pages[appendix + 1])[0]), "附录一岗位职责清单");
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(appendix);
        for page in &pages[s + 1..end] {
            assert_eq!(
                squash(lines(page)[0]),
                squash(titles[k]),
                "running head on a page of {}",
                titles[k]
            );
        }
    }
    for (i, page) in pages.iter().enumerate().skip(1) {
        assert_eq!(
            folio(page),
            Some(i as u32 + 1),
            "page number on page {}",
            i + 1
        );
    }
    let sizes = sizes(&file, pages.len());
    let mut landscape = 0;
    for (k, &s) in starts.iter().enumerate() {
        let reg = lib
            .regulations
            .iter()
            .find(|r| r.title == titles[k])
            .unwrap();
        let Some(rr) = &reg.risk_register else {
            continue;
        };
        let end = starts.get(k + 1).copied().unwrap_or(appendix);
        let header = squash(&rr.columns[0]);
        for i in (s..end).filter(|&i| squash(&pages[i]).contains(&header)) {
            assert!(
                sizes[i].0 > sizes[i].1,
                "{}: page {} is portrait",
                reg.title,
                i + 1
            );
            landscape += 1;
        }
    }
    assert!(landscape >= 5, "{landscape} landscape register pages");
    let all = squash(&pages.concat());
    for ui in common::pdf::INTERFACE_WORDS {
        assert!(!all.contains(ui), "{ui} in the printed page");
    }
    assert!(
        all.contains("坚决贯彻落实会议表决末位表态制"),
        "Chinese text extractable"
    );
    let twice = regex::Regex::new(r"[0-9]+\.[0-9]+．").unwrap();
    assert!(
        twice.find(&all).is_none(),
        "double numbering: {:?}",
        twice.find(&all)
    );
    // Links stay on the page: every in-page href has its target.
    let dangling = eval(
        &tab,
        "return [...document.querySelectorAll('a[href^=\"#\"]')].filter(a => !document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))).map(a => a.getAttribute('href'))",
    );
    assert_eq!(dangling, json!([]), "links without a target on print.html");
    let ids = eval(
        &tab,
        "const ids = [...document.querySelectorAll('[id]')].map(e => e.id); return ids.length - new Set(ids).size",
    );
    assert_eq!(ids, json!(0), "duplicate ids on print.html");
}
