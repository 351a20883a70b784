//! Chinese numerals as used in clause numbers (第二十三条 = 23, 一百零五 = 105), and back.

/// Parse a Chinese (or ASCII-digit) numeral. `None` for anything else or for zero.
pub fn parse(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok().filter(|&n| n > 0);
    }
    if s.chars()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        let ascii: String = s
            .chars()
            .map(|c| {
                char::from_digit(c.to_digit(10).unwrap_or_else(|| c as u32 - '０' as u32), 10)
                    .unwrap_or('0')
            })
            .collect();
        return ascii.parse().ok().filter(|&n| n > 0);
    }
    let mut total: u32 = 0;
    let mut digit: Option<u32> = None;
    for c in s.chars() {
        let d = match c {
            '零' | '〇' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            '十' | '百' | '千' => {
                let unit = match c {
                    '十' => 10,
                    '百' => 100,
                    _ => 1000,
                };
                // 十 alone means 一十.
                total = total.checked_add(digit.take().unwrap_or(1).checked_mul(unit)?)?;
                continue;
            }
            _ => return None,
        };
        if digit.is_some() && d != 0 {
            // Two digits in a row (一二) is not a numeral in clause numbering.
            return None;
        }
        digit = if d == 0 { None } else { Some(d) };
    }
    total = total.checked_add(digit.unwrap_or(0))?;
    (total > 0).then_some(total)
}

/// Write `n` (1..=9999) as a Chinese numeral: 23 → 二十三, 105 → 一百零五.
pub fn to_chinese(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 || n > 9999 {
        return n.to_string();
    }
    let parts = [
        (n / 1000, "千"),
        (n / 100 % 10, "百"),
        (n / 10 % 10, "十"),
        (n % 10, ""),
    ];
    let mut out = String::new();
    let mut pending_zero = false;
    for (d, unit) in parts {
        if d == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        if pending_zero {
            out.push('零');
            pending_zero = false;
        }
        // 十三, not 一十三, at the start.
        if !(d == 1 && unit == "十" && out.is_empty()) {
            out.push_str(DIGITS[d as usize]);
        }
        out.push_str(unit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let cases: &[(&str, Option<u32>)] = &[
            ("一", Some(1)),
            ("十", Some(10)),
            ("十一", Some(11)),
            ("二十", Some(20)),
            ("二十三", Some(23)),
            ("一百", Some(100)),
            ("一百零五", Some(105)),
            ("一百一十", Some(110)),
            ("两千零二十", Some(2020)),
            ("12", Some(12)),
            ("１２", Some(12)),
            ("", None),
            ("零", None),
            ("0", None),
            ("一二", None),
            ("第", None),
        ];
        for (s, want) in cases {
            assert_eq!(parse(s), *want, "{s}");
        }
    }

    #[test]
    fn round_trip() {
        for n in 1..=1200 {
            assert_eq!(parse(&to_chinese(n)), Some(n), "{n} {}", to_chinese(n));
        }
        assert_eq!(to_chinese(23), "二十三");
        assert_eq!(to_chinese(105), "一百零五");
        assert_eq!(to_chinese(10), "十");
    }
}
