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

/// The number of the book (编) a document is, when its text opens with the book's heading
/// (第四编　人格权, `# 第一编 总则`): a file per book named without a number (人格权编, 总则) sorts by
/// it. `None` when the first line of the text is not a book's heading: nothing is guessed from the
/// name, so unnumbered documents keep their name order, before the books.
pub fn book_number(body: &str) -> Option<u64> {
    let first = body.lines().map(str::trim).find(|l| !l.is_empty())?;
    let heading = first.trim_start_matches('#').trim_start();
    let rest = heading.strip_prefix('第')?;
    let end = rest.find('编')?;
    // 第一编 but not 第一分编 (a part of a book) nor 第一编号 …: the numeral, then 编, then a
    // space or the end.
    let after = &rest[end + '编'.len_utf8()..];
    if !(after.is_empty() || after.starts_with(char::is_whitespace)) {
        return None;
    }
    numerals::parse(&rest[..end]).map(u64::from)
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

    #[test]
    fn a_book_is_numbered_by_its_heading() {
        assert_eq!(book_number("第四编　人格权\n\n第一章　一般规定"), Some(4));
        assert_eq!(book_number("\n# 第一编 总则\n"), Some(1));
        assert_eq!(book_number("第十二编"), Some(12));
        // A part of a book, a clause, a heading that only mentions a book: no number.
        assert_eq!(book_number("第一分编　通则"), None);
        assert_eq!(book_number("第一条　本编调整…"), None);
        assert_eq!(book_number("总则\n第一编　总则"), None);
    }
}
