//! The typefaces the book is set in, chosen by family name among the fonts found (the site's
//! `fonts/` folder and the system's): the 公文 preset of GB/T 9704-2012 (小标宋 titles, 仿宋 body,
//! 黑体 and 楷体 for the heading levels, 3号 body) when its fonts are there, else Noto CJK (or the
//! Song and Hei faces Windows and macOS ship), as `print: fonts:` of `site.yaml` chooses.

use serde::Serialize;

use super::world::Fonts;
use crate::config::FontChoice;

/// Family names of one role, as font files name them (English and Chinese names, the Founder,
/// Windows, macOS and GB2312 variants), best first.
const XIAOBIAOSONG: &[&str] = &[
    "FZXiaoBiaoSong-B05S",
    "方正小标宋简体",
    "FZXiaoBiaoSong-B05",
    "方正小标宋_GBK",
    "FZXBSJW--GB1-0",
];
const FANGSONG: &[&str] = &[
    "FangSong_GB2312",
    "仿宋_GB2312",
    "FangSong",
    "仿宋",
    "STFangsong",
    "华文仿宋",
];
const HEITI: &[&str] = &["SimHei", "黑体", "Heiti SC", "STHeiti", "华文黑体"];
const KAITI: &[&str] = &[
    "KaiTi_GB2312",
    "楷体_GB2312",
    "KaiTi",
    "楷体",
    "Kaiti SC",
    "STKaiti",
    "华文楷体",
];
/// The fallback serif and sans: Noto CJK first (Linux), then what Windows and macOS ship.
const SERIF: &[&str] = &[
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Songti SC",
    "STSong",
    "SimSun",
    "宋体",
];
const SANS: &[&str] = &[
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
    "Heiti SC",
    "Microsoft YaHei",
    "SimHei",
];

/// What `book.typ` reads as `data.fonts`: the layout and a list of families for each role (the
/// first found first, the fallback after it for glyphs the first lacks).
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Typeface {
    /// `gongwen` (3号, 28 × 22) or `compact` (五号).
    pub layout: &'static str,
    pub title: Vec<String>,
    pub body: Vec<String>,
    /// 一、 headings and the running head.
    pub h1: Vec<String>,
    /// （一） headings.
    pub h2: Vec<String>,
}

/// The choice made, and the 公文 roles that had no font (for the line saying so).
pub struct Chosen {
    pub typeface: Typeface,
    pub missing: Vec<&'static str>,
}

fn found(fonts: &Fonts, names: &[&str]) -> Option<String> {
    names.iter().find(|n| fonts.has(n)).map(|n| n.to_string())
}

/// Choose the typefaces; `None` if no Chinese serif or sans is installed at all.
pub fn choose(fonts: &Fonts, choice: FontChoice) -> Option<Chosen> {
    let serif = found(fonts, SERIF);
    let sans = found(fonts, SANS);
    let roles = [
        ("小标宋", found(fonts, XIAOBIAOSONG)),
        ("仿宋", found(fonts, FANGSONG)),
        ("黑体", found(fonts, HEITI)),
        ("楷体", found(fonts, KAITI)),
    ];
    let missing: Vec<&'static str> = roles
        .iter()
        .filter(|(_, f)| f.is_none())
        .map(|(n, _)| *n)
        .collect();
    // Each list: the role's face, then the fallback (serif or sans), without repeats; empty if
    // nothing at all was found.
    let list = |first: &Option<String>, fallback: &Option<String>| -> Vec<String> {
        let mut v: Vec<String> = first.iter().chain(fallback).cloned().collect();
        v.dedup();
        v
    };
    let gongwen = match choice {
        FontChoice::Noto => false,
        FontChoice::Gongwen => true,
        FontChoice::Auto => missing.is_empty(),
    };
    if serif.is_none() && sans.is_none() && !(gongwen && missing.is_empty()) {
        return None;
    }
    // One of the two stands in for the other.
    let (serif, sans) = (serif.clone().or(sans.clone()), sans.or(serif));
    let typeface = if gongwen {
        Typeface {
            layout: "gongwen",
            title: list(&roles[0].1, &sans),
            body: list(&roles[1].1, &serif),
            h1: list(&roles[2].1, &sans),
            h2: list(&roles[3].1, &serif),
        }
    } else {
        Typeface {
            layout: "compact",
            title: list(&None, &sans),
            body: list(&None, &serif),
            h1: list(&None, &sans),
            h2: list(&None, &sans),
        }
    };
    let missing = match choice {
        FontChoice::Noto => Vec::new(),
        _ => missing,
    };
    Some(Chosen { typeface, missing })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_no_fonts_there_is_no_typeface() {
        let none = Fonts::search(&[]);
        assert!(choose(&none, FontChoice::Auto).is_none());
    }
}
