//! The natural order of names that hold numbers: 修正案（九） before 修正案（十一）, （三） before
//! （七）, 第二编 before 第十二编, a9 before a10 — for documents and folders, which people number.
//! A leaf of the crate (it reads Chinese numerals as clause numbers are read, nothing else), so
//! the loader can sort with it.

use crate::structure::numerals;

/// One piece of a name in its natural order: text compared as written, numbers by value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Natural {
    Text(String),
    Number(u64),
}

/// The key that sorts names in their natural order: runs of digits (ASCII or full-width) by value,
/// and Chinese numerals by value where they are numbers — inside brackets (修正案（十一）, （三）) or
/// after 第 (第二编) — so 修正案（九） comes before 修正案（十一） and （三） before （七）. Elsewhere
/// Chinese numerals are words (一把手, 三重一大) and stay text.
pub fn natural_key(name: &str) -> Vec<Natural> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        let digits = rest
            .char_indices()
            .find(|&(_, d)| !(d.is_ascii_digit() || ('０'..='９').contains(&d)))
            .map_or(rest.len(), |(i, _)| i);
        let chinese = if text.ends_with(['（', '(', '第']) {
            let run = rest
                .char_indices()
                .find(|&(_, d)| !"零〇一二三四五六七八九十百千两".contains(d))
                .map_or(rest.len(), |(i, _)| i);
            let after = &rest[run..];
            let closed = text.ends_with('第') || after.starts_with(['）', ')']);
            (run > 0 && closed).then_some(run)
        } else {
            None
        };
        let (len, value) = if digits > 0 {
            let v: String = rest[..digits]
                .chars()
                .map(|d| d.to_digit(10).unwrap_or_else(|| d as u32 - '０' as u32))
                .map(|d| char::from_digit(d, 10).unwrap_or('0'))
                .collect();
            (digits, v.parse::<u64>().ok())
        } else if let Some(run) = chinese {
            (run, numerals::parse(&rest[..run]).map(u64::from))
        } else {
            (0, None)
        };
        match value {
            Some(v) => {
                if !text.is_empty() {
                    out.push(Natural::Text(std::mem::take(&mut text)));
                }
                out.push(Natural::Number(v));
                rest = &rest[len..];
            }
            None => {
                text.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !text.is_empty() {
        out.push(Natural::Text(text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut names = vec![
            "中华人民共和国刑法修正案（十一）",
            "中华人民共和国刑法修正案（三）",
            "中华人民共和国刑法修正案（九）",
            "中华人民共和国刑法修正案（七）",
            "中华人民共和国刑法修正案",
            "第十二编",
            "第二编",
            "a10",
            "a9",
            "一把手",
            "三重一大",
        ];
        names.sort_by_key(|n| natural_key(n));
        assert_eq!(
            names,
            [
                "a9",
                "a10",
                "一把手",
                "三重一大",
                "中华人民共和国刑法修正案",
                "中华人民共和国刑法修正案（三）",
                "中华人民共和国刑法修正案（七）",
                "中华人民共和国刑法修正案（九）",
                "中华人民共和国刑法修正案（十一）",
                "第二编",
                "第十二编",
            ]
        );
        // Words stay text: 一把手 is not the number one.
        assert_eq!(natural_key("一把手"), [Natural::Text("一把手".into())]);
    }
}
