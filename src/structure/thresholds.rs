//! Numbers that decide, read as Chinese legal drafting reads them: 以上、以下、以内、届满 include the
//! number itself; 超过、不满、不足、以外 do not (《立法技术规范》, 民法典第一千二百五十九条). One module, so
//! that checklists, their checks and search answers all apply the same rule. A phrase that joins
//! two words pulling different ways (超出3000元以上: 超出 excludes, 以上 includes) is *ambiguous*:
//! whoever shows it says so and names the clause, never picks one reading silently.

use std::ops::Range;

use crate::search::numbers::{COMPARISONS, Op};

/// Which side of the number a phrase takes, and whether the number itself belongs to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    /// The number and more (3000元以上, 届满一年).
    AtLeast,
    /// More than the number (超过一天).
    Above,
    /// The number and less (半天以内, 3000元以下).
    AtMost,
    /// Less than the number (不满一年, 不足3000元).
    Below,
    /// Words that disagree on whether the number belongs (超出3000元以上).
    Ambiguous,
}

impl Bound {
    /// Whether `value` falls on this side of `number`; `None` when the wording does not say
    /// (an ambiguous bound at the number itself).
    pub fn takes(self, number: f64, value: f64) -> Option<bool> {
        Some(match self {
            Bound::AtLeast => value >= number,
            Bound::Above => value > number,
            Bound::AtMost => value <= number,
            Bound::Below => value < number,
            Bound::Ambiguous if value == number => return None,
            Bound::Ambiguous => value > number,
        })
    }
}

/// A number the text sets as a bound.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    pub value: f64,
    /// The unit written after the number (元, 天, 个工作日); may be empty.
    pub unit: String,
    pub bound: Bound,
    /// Where the phrase stands in the text (bytes), from the first bounding word to the last.
    pub range: Range<usize>,
}

/// The comparison words, from the one table of them ([`COMPARISONS`], which search writes into its
/// index for the browser): (word, before the number?, the side it takes).
fn words() -> impl Iterator<Item = (&'static str, bool, Bound)> {
    COMPARISONS.iter().map(|&(w, before, op)| {
        let bound = match op {
            Op::Ge => Bound::AtLeast,
            Op::Gt => Bound::Above,
            Op::Le => Bound::AtMost,
            Op::Lt => Bound::Below,
        };
        (w, before, bound)
    })
}
/// Units a bound's number may carry.
const UNITS: &[&str] = &[
    "个工作日",
    "工作日",
    "个月",
    "万元",
    "元",
    "天",
    "日",
    "年",
    "次",
    "人",
    "周",
    "小时",
    "分钟",
];

/// The value of a number as written: Arabic (3000, 0.5), Chinese (一, 十五, 两), 半 (0.5); the
/// length in bytes it takes.
fn number(s: &str) -> Option<(f64, usize)> {
    let digits: String = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if !digits.is_empty() {
        return digits.parse().ok().map(|v| (v, digits.len()));
    }
    if s.starts_with('半') {
        return Some((0.5, '半'.len_utf8()));
    }
    let chinese: String = s
        .chars()
        .take_while(|c| "零一二两三四五六七八九十百千万".contains(*c))
        .collect();
    if chinese.is_empty() {
        return None;
    }
    let normal = chinese.replace('两', "二");
    super::numerals::parse(&normal).map(|v| (f64::from(v), chinese.len()))
}

/// Every bound the text sets, in order.
pub fn find(text: &str) -> Vec<Threshold> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let Some((value, len)) = number(&text[i..]) else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let mut end = i + len;
        let unit = UNITS
            .iter()
            .find(|u| text[end..].starts_with(**u))
            .map_or("", |u| u);
        end += unit.len();
        // The longest word before the number (不超过 before 超过), and after it.
        let before = words()
            .filter(|&(w, pre, _)| pre && text[..i].ends_with(w))
            .map(|(w, _, b)| (w, b))
            .max_by_key(|(w, _)| w.len());
        let after = words()
            .filter(|&(w, pre, _)| !pre && text[end..].starts_with(w))
            .map(|(w, _, b)| (w, b))
            .max_by_key(|(w, _)| w.len());
        let bound = match (before.as_ref(), after.as_ref()) {
            (Some((_, b)), None) | (None, Some((_, b))) => Some(*b),
            (Some((_, a)), Some((_, b))) if a == b => Some(*a),
            // 届满…以上 or 超出…以上: the two words must agree on the number itself.
            (Some((_, a)), Some((_, b))) => {
                let includes = |x: &Bound| matches!(x, Bound::AtLeast | Bound::AtMost);
                let upper = |x: &Bound| matches!(x, Bound::AtMost | Bound::Below);
                if includes(a) == includes(b) && upper(a) == upper(b) {
                    Some(*a)
                } else {
                    Some(Bound::Ambiguous)
                }
            }
            (None, None) => None,
        };
        if let Some(bound) = bound {
            let start = before.map_or(i, |(w, _)| i - w.len());
            let stop = after.map_or(end, |(w, _)| end + w.len());
            out.push(Threshold {
                value,
                unit: unit.to_string(),
                bound,
                range: start..stop,
            });
        }
        i = end.max(i + len);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legal_rule_table() {
        use Bound::*;
        let cases: &[(&str, f64, &str, Bound)] = &[
            ("3000元以下", 3000.0, "元", AtMost),
            ("3000元以上", 3000.0, "元", AtLeast),
            ("半天以内", 0.5, "天", AtMost),
            ("一天以内", 1.0, "天", AtMost),
            ("超过一天", 1.0, "天", Above),
            ("不满一年", 1.0, "年", Below),
            ("不足3000元", 3000.0, "元", Below),
            ("届满两年", 2.0, "年", AtLeast),
            ("三日内", 3.0, "日", AtMost),
            ("五个工作日内", 5.0, "个工作日", AtMost),
            ("不超过七个工作日", 7.0, "个工作日", AtMost),
            ("不少于5个工作日", 5.0, "个工作日", AtLeast),
            ("累计事假1个月以上", 1.0, "个月", AtLeast),
            ("累计超过30天", 30.0, "天", Above),
            ("超出3000元以上", 3000.0, "元", Ambiguous),
        ];
        for (text, value, unit, bound) in cases {
            let found = find(text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            let t = &found[0];
            assert_eq!(
                (t.value, t.unit.as_str(), t.bound),
                (*value, *unit, *bound),
                "{text}"
            );
        }
    }

    #[test]
    fn the_number_itself() {
        // 3000元以下 includes 3000; 不足3000元 does not; 超出3000元以上 does not say.
        assert_eq!(Bound::AtMost.takes(3000.0, 3000.0), Some(true));
        assert_eq!(Bound::Below.takes(3000.0, 3000.0), Some(false));
        assert_eq!(Bound::AtLeast.takes(3000.0, 3000.0), Some(true));
        assert_eq!(Bound::Above.takes(1.0, 1.0), Some(false));
        assert_eq!(Bound::Ambiguous.takes(3000.0, 3000.0), None);
        assert_eq!(Bound::Ambiguous.takes(3000.0, 3000.5), Some(true));
        assert_eq!(Bound::Ambiguous.takes(3000.0, 2999.0), Some(false));
    }

    #[test]
    fn several_bounds_in_one_sentence() {
        let t = find(
            "半天以内由本科科长批准；一天以内由分管领导批准；超过一天或离开白城的必须由主要领导批准",
        );
        let got: Vec<(f64, Bound)> = t.iter().map(|t| (t.value, t.bound)).collect();
        assert_eq!(
            got,
            [
                (0.5, Bound::AtMost),
                (1.0, Bound::AtMost),
                (1.0, Bound::Above)
            ]
        );
        // A number with no bounding word is no bound.
        assert!(find("注明发票张数、报销金额，共3张").is_empty());
    }
}
