//! Nothing the editors wrote is cut off in the bound rulebook (issues 23 and 30): a register cell of
//! 1 MB and a list of 120 items print whole, read back with `pdftotext` as a reader would copy
//! them. Run as users run it: `rulebook pdf --out …` from the site folder.
#![cfg(feature = "pdf")]

use crate::common;

use crate::common::pdf::{pages, squash};

/// Chinese numerals for the phrases' numbers: no header, footer, 续表 line or column title of the
/// book uses them, so the cell's text can be picked out of every page by its alphabet alone.
const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Phrase `i`: 甲 and five numerals (甲〇〇〇〇一).
fn phrase(i: usize) -> String {
    let mut s = String::from("甲");
    s.extend(
        format!("{i:05}")
            .bytes()
            .map(|b| DIGITS[usize::from(b - b'0')]),
    );
    s
}

/// `rulebook pdf --out book.pdf` in `dir`, which must succeed.
fn print(dir: &std::path::Path) -> std::path::PathBuf {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["pdf", "--out", "book.pdf"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir.join("book.pdf")
}

/// A register cell of more than 1 MB (47,700 phrases, one item) prints every phrase, in order,
/// none twice: the row continues from page to page (issue 23 found 367 of 100,000 phrases lost).
#[test]
fn a_one_megabyte_register_cell_prints_every_phrase() {
    let count = 47_700;
    let cell = (1..=count).map(phrase).collect::<Vec<_>>().join("；");
    assert!(cell.len() > 1_000_000, "{} bytes", cell.len());
    let yaml = format!(
        "---\ntitle: 登记表\nrisk_register:\n  columns: [职责, 风险点]\n  rows:\n    - 职责: [管理]\n      风险点:\n        - \"{cell}\"\n---\n"
    );
    let site = common::fixture_site(&[
        ("content/site.yaml", "title: 汇编\nprint:\n  fonts: noto\n"),
        ("content/a/x.md", &yaml),
    ]);
    let pdf = print(site.path());
    let pages = pages(&pdf);
    // The cell's characters, page after page; a phrase broken over a page end joins up again.
    let alphabet: Vec<char> = DIGITS.iter().copied().chain(['甲', '；']).collect();
    let printed: String = pages
        .concat()
        .chars()
        .filter(|c| alphabet.contains(c))
        .collect();
    let found: std::collections::HashSet<&str> = printed.split('；').collect();
    let missing: Vec<usize> = (1..=count)
        .filter(|&i| !found.contains(phrase(i).as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {count} phrases missing, the first {:?}",
        missing.len(),
        &missing[..missing.len().min(10)]
    );
    assert!(printed == cell, "the phrases are out of order or repeated");
    assert!(pages.len() > 20, "{} pages", pages.len());
    assert!(pages.iter().filter(|p| p.contains("续表")).count() >= pages.len() - 3);
}

/// A list of 120 items in a regulation's text prints all 120 (issue 30 found 59).
#[test]
fn a_list_of_120_items_prints_whole() {
    let mut md = String::from("---\ntitle: 清单制度\n---\n\n第一条　应当备齐下列材料：\n\n");
    for i in 1..=120 {
        md.push_str(&format!("- 第{i}份材料\n"));
    }
    let site = common::fixture_site(&[
        ("content/site.yaml", "title: 汇编\nprint:\n  fonts: noto\n"),
        ("content/a/x.md", &md),
    ]);
    let pdf = print(site.path());
    let text = squash(&pages(&pdf).concat());
    let missing: Vec<usize> = (1..=120)
        .filter(|i| !text.contains(&format!("第{i}份材料")))
        .collect();
    assert!(missing.is_empty(), "missing items {missing:?}");
}
