//! Numbers in search: Chinese and Arabic numerals read as values, the quantities of the text
//! (3000元, 超过一天, 年满十八岁, 三年) read as conditions with their comparison, and the
//! comparison rule of Chinese legal drafting — 以上、以下、以内、届满 include the number; 不满、
//! 超过、以外 do not ([`COMPARISONS`]).
//!
//! The tables here (units, comparison words) are written into the index's `meta.js`, and the browser
//! reads quantities of a query with the same tables (`search.js`), so the two sides cannot drift.
//! Checklist conditions read their bounds with the same table (`src/structure/thresholds.rs`), so
//! a search answer and a checklist cannot read one phrase two ways.

use serde::Serialize;

/// How a condition compares a value with its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Op {
    /// ≥: 以上, 届满, 年满 …
    Ge,
    /// >: 超过, 超出 …
    Gt,
    /// ≤: 以下, 以内, 不超过 …
    Le,
    /// <: 不满, 不足, 未满 …
    Lt,
}

impl Op {
    /// Whether a value `v` meets the condition "op `n`".
    pub fn covers(self, v: f64, n: f64) -> bool {
        match self {
            Op::Ge => v >= n,
            Op::Gt => v > n,
            Op::Le => v <= n,
            Op::Lt => v < n,
        }
    }
    pub fn code(self) -> u8 {
        match self {
            Op::Ge => 0,
            Op::Gt => 1,
            Op::Le => 2,
            Op::Lt => 3,
        }
    }
    pub fn from_code(c: u64) -> Option<Op> {
        [Op::Ge, Op::Gt, Op::Le, Op::Lt].get(c as usize).copied()
    }
    /// The sign shown in a result's reason ("5000元 ≥ 3000元").
    pub fn sign(self) -> &'static str {
        ["≥", ">", "≤", "<"][self.code() as usize]
    }
}

/// The comparison words of Chinese legal drafting, as (word, before the number?, comparison). A word
/// before the number decides over one after it: in 超出3000元以上 the text says "more than", and at
/// 3000元 itself it is not claimed to apply (a wrong answer is worse than none).
/// Longest words first where one begins another (不超过 before 超过).
pub const COMPARISONS: &[(&str, bool, Op)] = &[
    ("不得超过", true, Op::Le),
    ("不超过", true, Op::Le),
    ("不超出", true, Op::Le),
    ("不高于", true, Op::Le),
    ("不多于", true, Op::Le),
    ("不大于", true, Op::Le),
    ("最多", true, Op::Le),
    ("至多", true, Op::Le),
    ("不少于", true, Op::Ge),
    ("不低于", true, Op::Ge),
    ("不小于", true, Op::Ge),
    ("至少", true, Op::Ge),
    ("年满", true, Op::Ge),
    ("已满", true, Op::Ge),
    ("达到", true, Op::Ge),
    ("未满", true, Op::Lt),
    ("不满", true, Op::Lt),
    ("不足", true, Op::Lt),
    ("低于", true, Op::Lt),
    ("少于", true, Op::Lt),
    ("小于", true, Op::Lt),
    ("超过", true, Op::Gt),
    ("超出", true, Op::Gt),
    ("高于", true, Op::Gt),
    ("多于", true, Op::Gt),
    ("大于", true, Op::Gt),
    ("满", true, Op::Ge),
    ("及以上", false, Op::Ge),
    ("以上", false, Op::Ge),
    ("届满", false, Op::Ge),
    ("期满", false, Op::Ge),
    ("及以下", false, Op::Le),
    ("以下", false, Op::Le),
    ("以内", false, Op::Le),
    ("之内", false, Op::Le),
    ("内", false, Op::Le),
    ("以外", false, Op::Gt),
];

/// Units of quantities, as (word, canonical unit, factor): a duration is counted in days, an amount
/// in 元. Longest words first where one begins another.
pub const UNITS: &[(&str, char, f64)] = &[
    ("万元", '元', 10_000.0),
    ("千元", '元', 1_000.0),
    ("元", '元', 1.0),
    ("个工作日", '天', 1.0),
    ("工作日", '天', 1.0),
    ("个小时", '时', 1.0),
    ("小时", '时', 1.0),
    ("个星期", '天', 7.0),
    ("星期", '天', 7.0),
    ("个月", '天', 30.0),
    ("周岁", '岁', 1.0),
    ("天", '天', 1.0),
    ("日", '天', 1.0),
    ("周", '天', 7.0),
    ("月", '天', 30.0),
    ("年", '天', 365.0),
    ("岁", '岁', 1.0),
    ("人", '人', 1.0),
    ("名", '人', 1.0),
    ("次", '次', 1.0),
    ("个", '个', 1.0),
];

/// The value of a Chinese numeral (三千, 十八, 一百零五, 两, 1万 is not one: see [`read_number`]).
pub fn chinese_value(s: &str) -> Option<f64> {
    let (mut total, mut section, mut digit) = (0f64, 0f64, None::<f64>);
    if s.is_empty() {
        return None;
    }
    for c in s.chars() {
        if let Some(d) = chinese_digit(c) {
            digit = Some(d);
            continue;
        }
        let unit = match c {
            '十' => 10.0,
            '百' => 100.0,
            '千' => 1000.0,
            '万' => 10_000.0,
            '亿' => 100_000_000.0,
            _ => return None,
        };
        if unit >= 10_000.0 {
            section += digit.take().unwrap_or(0.0);
            total = (total + section) * unit;
            section = 0.0;
        } else {
            section += digit.take().unwrap_or(1.0) * unit;
        }
    }
    Some(total + section + digit.unwrap_or(0.0))
}

fn chinese_digit(c: char) -> Option<f64> {
    Some(match c {
        '零' | '〇' => 0.0,
        '一' => 1.0,
        '二' | '两' => 2.0,
        '三' => 3.0,
        '四' => 4.0,
        '五' => 5.0,
        '六' => 6.0,
        '七' => 7.0,
        '八' => 8.0,
        '九' => 9.0,
        _ => return None,
    })
}

fn is_chinese_numeral(c: char) -> bool {
    chinese_digit(c).is_some() || matches!(c, '十' | '百' | '千' | '万' | '亿')
}

/// A number at the start of `cs`: Arabic digits (with a decimal part and a 万/千 after them: 5千, 3万)
/// or a Chinese numeral. Its value and how many characters it took.
pub fn read_number(cs: &[char]) -> Option<(f64, usize)> {
    let mut n = 0;
    while n < cs.len() && cs[n].is_ascii_digit() {
        n += 1;
    }
    if n > 0 {
        let mut end = n;
        if cs.get(n) == Some(&'.') && cs.get(n + 1).is_some_and(char::is_ascii_digit) {
            end = n + 1;
            while end < cs.len() && cs[end].is_ascii_digit() {
                end += 1;
            }
        }
        let mut v: f64 = cs[..end].iter().collect::<String>().parse().ok()?;
        // 5千, 3万 (3万元 is then 30000 元, as 3 万元 would be).
        match cs.get(end) {
            Some('万') => {
                v *= 10_000.0;
                end += 1;
            }
            Some('千') => {
                v *= 1000.0;
                end += 1;
            }
            _ => {}
        }
        return Some((v, end));
    }
    while n < cs.len() && is_chinese_numeral(cs[n]) {
        n += 1;
    }
    let s: String = cs[..n].iter().collect();
    chinese_value(&s).map(|v| (v, n))
}

fn starts_with(cs: &[char], w: &str) -> bool {
    let wc: Vec<char> = w.chars().collect();
    cs.starts_with(&wc)
}

/// The unit at the start of `cs`: (word length, canonical unit, factor).
pub fn read_unit(cs: &[char]) -> Option<(usize, char, f64)> {
    UNITS
        .iter()
        .find(|(w, _, _)| starts_with(cs, w))
        .map(|(w, u, f)| (w.chars().count(), *u, *f))
}

/// A quantity condition of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub unit: char,
    /// In the unit's base (元, days, hours …).
    pub value: f64,
    pub op: Op,
    /// The number and unit as written (folded): 3000元, 一天.
    pub text: String,
    /// Holds together with the condition before it: the second half of a range (一千元以上二千元以下).
    pub joined: bool,
}

/// The quantity conditions of a folded text: a number with a unit and a comparison word before or
/// after it. A number without a comparison is no condition (its words are found as text).
pub fn conditions(folded: &str) -> Vec<Condition> {
    let cs: Vec<char> = folded.chars().collect();
    let mut out: Vec<Condition> = Vec::new();
    let mut i = 0;
    // Where the last condition's comparison word ended: a condition right after it is its range's
    // other end.
    let mut last_end = usize::MAX;
    while i < cs.len() {
        let starts = cs[i].is_ascii_digit() || is_chinese_numeral(cs[i]);
        let after_number = i > 0 && (cs[i - 1].is_ascii_digit() || is_chinese_numeral(cs[i - 1]));
        if !starts || after_number {
            i += 1;
            continue;
        }
        let Some((value, n)) = read_number(&cs[i..]) else {
            i += 1;
            continue;
        };
        let Some((un, unit, factor)) = read_unit(&cs[i + n..]) else {
            i += n.max(1);
            continue;
        };
        let end = i + n + un;
        let before = COMPARISONS.iter().find(|(w, pre, _)| {
            *pre && {
                let wl = w.chars().count();
                i >= wl && starts_with(&cs[i - wl..], w)
            }
        });
        let after = COMPARISONS
            .iter()
            .find(|(w, pre, _)| !*pre && starts_with(&cs[end..], w));
        if let Some((_, _, op)) = before.or(after) {
            out.push(Condition {
                unit,
                value: value * factor,
                op: *op,
                text: cs[i..end].iter().collect(),
                joined: before.is_none() && i == last_end,
            });
            last_end = end + after.map_or(0, |(w, _, _)| w.chars().count());
        }
        i = end;
    }
    out
}

/// The bucket of a value in the index: values within a factor of two share one, so a query looks
/// up a few buckets around its value.
pub fn bucket(value: f64) -> u32 {
    if value <= 0.0 {
        return 0;
    }
    ((value * 16.0).log2().floor().max(0.0) as u32).min(255)
}

/// Buckets a query value looks at on each side of its own (a threshold within a factor of 2⁴).
pub const BUCKET_SPAN: u32 = 4;

/// First private-use code point of bucket characters in index keys: a quantity's key is its unit
/// followed by `char(BUCKET_BASE + bucket)`, which no text holds.
pub const BUCKET_BASE: u32 = 0xF0000;

/// Key of a quantity: unit and bucket.
pub fn quantity_key(unit: char, bucket: u32) -> String {
    let mut s = String::new();
    s.push(unit);
    s.extend(char::from_u32(BUCKET_BASE + bucket));
    s
}

/// An integer written in Chinese numerals, as the regulations write them (12 → 十二, 105 → 一百零五,
/// 3000 → 三千). `None` above 99,999,999.
pub fn to_chinese(n: u64) -> Option<String> {
    const D: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    if n >= 100_000_000 {
        return None;
    }
    if n == 0 {
        return Some("零".into());
    }
    fn below_10000(n: u64, out: &mut String) {
        let units = [(1000, '千'), (100, '百'), (10, '十')];
        let mut zero = false;
        let mut started = false;
        let mut rest = n;
        for (u, c) in units {
            let d = rest / u;
            rest %= u;
            if d == 0 {
                zero = started;
                continue;
            }
            if zero {
                out.push('零');
                zero = false;
            }
            // 十二, not 一十二, at the start of a number.
            if !(u == 10 && d == 1 && !started && out.is_empty()) {
                out.push(D[d as usize]);
            }
            out.push(c);
            started = true;
        }
        if rest > 0 {
            if zero {
                out.push('零');
            }
            out.push(D[rest as usize]);
        }
    }
    let mut out = String::new();
    let (high, low) = (n / 10_000, n % 10_000);
    if high > 0 {
        below_10000(high, &mut out);
        out.push('万');
        if low > 0 {
            if low < 1000 {
                out.push('零');
            }
            below_10000(low, &mut out);
        }
    } else {
        below_10000(low, &mut out);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        for (s, v) in [
            ("三", 3.0),
            ("十", 10.0),
            ("十八", 18.0),
            ("二十", 20.0),
            ("一百零五", 105.0),
            ("三千", 3000.0),
            ("两", 2.0),
            ("五十", 50.0),
            ("一万二千", 12000.0),
        ] {
            assert_eq!(chinese_value(s), Some(v), "{s}");
        }
        for n in [1, 10, 12, 20, 23, 105, 110, 1000, 3000, 12000, 30_005] {
            let s = to_chinese(n).unwrap();
            assert_eq!(chinese_value(&s), Some(n as f64), "{n} {s}");
        }
        assert_eq!(to_chinese(12).unwrap(), "十二");
        assert_eq!(to_chinese(20).unwrap(), "二十");
        assert_eq!(to_chinese(105).unwrap(), "一百零五");
        assert_eq!(to_chinese(3000).unwrap(), "三千");
        assert_eq!(to_chinese(30_005).unwrap(), "三万零五");
        assert_eq!(to_chinese(10_010).unwrap(), "一万零一十");
        assert_eq!(to_chinese(110).unwrap(), "一百一十");
    }

    #[test]
    fn numbers_with_multipliers() {
        let cs = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(read_number(&cs("5千元")), Some((5000.0, 2)));
        assert_eq!(read_number(&cs("5000元")), Some((5000.0, 4)));
        assert_eq!(read_number(&cs("五千元")), Some((5000.0, 2)));
        assert_eq!(read_number(&cs("3万元")), Some((30000.0, 2)));
        assert_eq!(read_number(&cs("1.5天")), Some((1.5, 3)));
    }

    /// The legal rule: 以上/以下/以内/届满 include the number; 不满/超过/以外 do not.
    #[test]
    fn the_comparison_rule() {
        let c = |s: &str| conditions(s);
        let one = |s: &str| {
            let v = c(s);
            assert_eq!(v.len(), 1, "{s}: {v:?}");
            v[0].clone()
        };
        let q = one("3000元以上");
        assert!(q.op.covers(3000.0, q.value) && q.op.covers(5000.0, q.value));
        let q = one("超过一天的");
        assert_eq!((q.unit, q.value, q.op), ('天', 1.0, Op::Gt));
        assert!(!q.op.covers(1.0, q.value) && q.op.covers(2.0, q.value));
        let q = one("十人以下");
        assert!(q.op.covers(10.0, q.value));
        let q = one("五个工作日内报账");
        assert_eq!((q.value, q.op), (5.0, Op::Le));
        let q = one("不满十六周岁");
        assert!(!q.op.covers(16.0, q.value) && q.op.covers(15.0, q.value));
        let q = one("年满十八岁的");
        assert_eq!((q.unit, q.value, q.op), ('岁', 18.0, Op::Ge));
        let q = one("试用期最长不得超过六个月");
        assert_eq!((q.value, q.op), (180.0, Op::Le));
        let q = one("任期三年届满");
        assert_eq!((q.value, q.op), (1095.0, Op::Ge));
        let q = one("三日以外");
        assert!(!q.op.covers(3.0, q.value));
        // A word before the number decides: 超出…以上 is "more than".
        let q = one("超出3000元以上支出");
        assert_eq!(q.op, Op::Gt);
        assert_eq!(q.text, "3000元");
        // No comparison, no condition; a number that is a name is none either.
        assert!(c("提前10日报上级").is_empty());
        assert!(c("一把手三重一大").is_empty());
        let range = c("处一千元以上二千元以下罚款");
        assert_eq!(range.len(), 2);
        assert!(!range[0].joined && range[1].joined);
        assert!(!c("三天以内由科长批准；五天以内由分管领导批准")[1].joined);
    }

    #[test]
    fn buckets_and_keys() {
        assert!(bucket(3000.0) < bucket(5000.0) + 1);
        assert_eq!(bucket(0.0), 0);
        assert_eq!(quantity_key('元', 3).chars().count(), 2);
    }
}
