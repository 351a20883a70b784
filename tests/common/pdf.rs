//! Reading a printed PDF back for the print tests: page texts (`pdftotext`), page sizes (`pdfinfo`),
//! where each regulation starts, the contents' page numbers and the PDF outline (bookmarks).
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// Run a poppler tool; poppler-utils is required (`.ci/run` installs it).
fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e} (install poppler-utils)"));
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text of each page (layout kept, so a page's lines are in reading order).
pub fn pages(pdf: &Path) -> Vec<String> {
    let text = poppler("pdftotext", &["-layout", &pdf.to_string_lossy(), "-"]);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// (width, height) in points of each page.
pub fn sizes(pdf: &Path, pages: usize) -> Vec<(f64, f64)> {
    let info = poppler(
        "pdfinfo",
        &["-f", "1", "-l", &pages.to_string(), &pdf.to_string_lossy()],
    );
    info.lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
        .map(|l| {
            let nums: Vec<f64> = l
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            (nums[1], nums[2])
        })
        .collect()
}

/// Words of the site's interface that a printed edition must not carry.
pub const INTERFACE_WORDS: &[&str] = &[
    "搜索",
    "上一篇",
    "下一篇",
    "复制链接",
    "被引用",
    "返回顶部",
    "站点导航",
];

/// Text without any whitespace (pdftotext spaces Chinese and Latin apart, and breaks long lines).
pub fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{2060}')
        .collect()
}

/// The non-empty lines of a page, trimmed.
pub fn lines(page: &str) -> Vec<&str> {
    page.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// The page (0-based) on which each title starts: the first page after the previous title's
/// start whose opening lines (`head` of them) hold the title.
pub fn starts(pages: &[String], titles: &[&str], from: usize, head: usize) -> Vec<usize> {
    let mut at = from;
    titles
        .iter()
        .map(|t| {
            let want = squash(t);
            let p = (at..pages.len())
                .find(|&p| {
                    squash(
                        &lines(&pages[p])
                            .iter()
                            .take(head)
                            .copied()
                            .collect::<String>(),
                    )
                    .contains(&want)
                })
                .unwrap_or_else(|| panic!("no page from {} on starts with {t}", at + 1));
            at = p + 1;
            p
        })
        .collect()
}

/// The page number printed in a page's footer (`第 N 页`).
pub fn folio(page: &str) -> Option<u32> {
    let re = regex::Regex::new(r"第\s*(\d+)\s*页\s*$").unwrap();
    re.captures(page.trim_end()).map(|c| c[1].parse().unwrap())
}

/// The entries of the contents: (title without spaces, page number), in order.
pub fn contents(pages: &[String]) -> Vec<(String, u32)> {
    let re = regex::Regex::new(r"^(.+?)[\s.]*\u{2060}?\s*(\d+)$").unwrap();
    pages
        .iter()
        .flat_map(|p| lines(p))
        .filter_map(|l| {
            let c = re.captures(l)?;
            let title = squash(c[1].trim_end_matches(['.', ' ']));
            Some((title, c[2].parse().ok()?))
        })
        .collect()
}

/// The PDF outline as (depth, title), in order, read from the file's outline items (written
/// uncompressed by the PDF writer): `/Title <FEFF…>` and `/Parent n 0 R`.
pub fn outline(pdf: &Path) -> Vec<(usize, String)> {
    let bytes = std::fs::read(pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let obj = regex::Regex::new(r"(?s)(\d+) 0 obj\s*<<(.*?)endobj").unwrap();
    let title = regex::Regex::new(r"/Title\s*<([0-9A-Fa-f]+)>").unwrap();
    let parent = regex::Regex::new(r"/Parent (\d+) 0 R").unwrap();
    let outlines = regex::Regex::new(r"/Outlines (\d+) 0 R").unwrap();
    let root: u32 = outlines
        .captures(&text)
        .expect("the PDF has an outline (/Outlines)")[1]
        .parse()
        .unwrap();
    let mut items: Vec<(u32, u32, String)> = Vec::new();
    for c in obj.captures_iter(&text) {
        let body = &c[2];
        let (Some(t), Some(p)) = (title.captures(body), parent.captures(body)) else {
            continue;
        };
        let hex = &t[1];
        let units: Vec<u16> = (0..hex.len() / 4)
            .map(|i| u16::from_str_radix(&hex[i * 4..i * 4 + 4], 16).unwrap())
            .collect();
        let s = String::from_utf16_lossy(&units)
            .trim_start_matches('\u{feff}')
            .to_string();
        items.push((c[1].parse().unwrap(), p[1].parse().unwrap(), s));
    }
    let depth = |mut parent: u32| {
        let mut d = 0;
        while parent != root {
            d += 1;
            parent = items.iter().find(|i| i.0 == parent).map_or(root, |i| i.1);
        }
        d
    };
    // Objects are written in document order.
    items
        .iter()
        .map(|(_, p, t)| (depth(*p), t.clone()))
        .collect()
}
