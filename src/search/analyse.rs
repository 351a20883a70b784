//! Reading a query before it is looked up: article numbers (公司法第二十条), question words (怎么,
//! 吗), a quantity (5000元), numerals (3个月 = 三个月) and synonyms. Pure functions of the folded
//! query and the synonym groups; `search.js` has the same steps (`analyse`), with the tables of
//! [`super::numbers`] and [`QUESTION_WORDS`] read from the index's `meta.js`.

use super::fold::normalise;
use super::numbers::{self, read_number, read_unit};

/// Words that ask rather than say what is sought (怎么认定 → 认定): dropped from a query, cutting it
/// there. Longest first where one begins another.
pub const QUESTION_WORDS: &[&str] = &[
    "怎么办",
    "怎么样",
    "怎么",
    "怎样",
    "如何",
    "多长时间",
    "多久",
    "多少钱",
    "多少",
    "是什么",
    "什么",
    "哪些",
    "哪个",
    "哪里",
    "为什么",
    "是否",
    "能否",
    "可以吗",
    "能不能",
    "可不可以",
    "有没有",
    "请问",
    "我想",
    "我要",
    "东西",
    "谁",
    "吗",
    "呢",
    "吧",
];

/// Characters after a numeral that make it a count (3个月, 五次, 第12条): only there are Arabic and
/// Chinese numerals made one, so 一把手 stays as it is.
pub const COUNTERS: &str = "个次天日年月周人名元岁条款项小分倍季届";

/// One word of a query: its variants, the first as typed (numerals and synonyms after).
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub variants: Vec<String>,
}

/// A quantity asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub value: f64,
    pub unit: char,
    /// As typed (folded): 5000元, 五千元.
    pub text: String,
}

/// An article asked for by number.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// The regulation's name as typed (folded, without 本): empty for 第二十条 alone.
    pub name: String,
    pub number: u64,
    /// The article's label as regulations are labelled: 第二十条.
    pub label: String,
}

/// What a query asks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Analysis {
    /// The words, question words dropped.
    pub words: Vec<Word>,
    pub quantity: Option<Quantity>,
    /// The words beside the quantity (请假 in 请假2天).
    pub rest: Vec<Word>,
    pub article: Option<Article>,
    /// Question words were dropped: an answer (a clause) is sought, not a document.
    pub asked: bool,
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "零〇一二两三四五六七八九十百千万亿".contains(c)
}

/// `s` with its numerals before a counter written the other way: 3个月 → 三个月, 第十二条 → 第12条.
pub fn numeral_variant(s: &str) -> Option<String> {
    let cs: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut changed = false;
    let mut i = 0;
    while i < cs.len() {
        if is_numeral(cs[i]) {
            let mut j = i;
            while j < cs.len() && is_numeral(cs[j]) {
                j += 1;
            }
            let run: String = cs[i..j].iter().collect();
            let counted = cs.get(j).is_some_and(|c| COUNTERS.contains(*c));
            let other = if !counted {
                None
            } else if cs[i].is_ascii_digit() {
                run.parse::<u64>().ok().and_then(numbers::to_chinese)
            } else {
                numbers::chinese_value(&run)
                    .filter(|v| v.fract() == 0.0)
                    .map(|v| (v as u64).to_string())
            };
            match other {
                Some(o) if o != run => {
                    out.push_str(&o);
                    changed = true;
                }
                _ => out.push_str(&run),
            }
            i = j;
        } else {
            out.push(cs[i]);
            i += 1;
        }
    }
    changed.then_some(out)
}

/// The variants of a folded word: as typed, with its numerals the other way, and with a synonym in
/// place of a name it holds (the longest; a whole word equal to a name also takes the others).
pub fn variants(t: &str, synonyms: &[Vec<String>]) -> Vec<String> {
    let mut out = vec![t.to_string()];
    let push = |v: String, out: &mut Vec<String>| {
        if !v.is_empty() && !out.contains(&v) {
            out.push(v);
        }
    };
    if let Some(v) = numeral_variant(t) {
        push(v, &mut out);
    }
    let mut best: Option<(&Vec<String>, &str)> = None;
    for g in synonyms {
        for m in g {
            if !m.is_empty()
                && t.contains(m.as_str())
                && best.is_none_or(|(_, b)| m.chars().count() > b.chars().count())
            {
                best = Some((g, m));
            }
        }
    }
    if let Some((g, m)) = best {
        for other in g {
            if other != m {
                push(t.replacen(m, other, 1), &mut out);
            }
        }
    }
    out
}

/// Cut a folded piece at question words.
fn cut_questions(piece: &str) -> Vec<String> {
    let cs: Vec<char> = piece.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut i = 0;
    'outer: while i < cs.len() {
        for w in QUESTION_WORDS {
            let wc: Vec<char> = w.chars().collect();
            if cs[i..].starts_with(&wc) {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                i += wc.len();
                continue 'outer;
            }
        }
        cur.push(cs[i]);
        i += 1;
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// An article number in a folded query: (name before it, number, label).
pub fn article(q: &str) -> Option<Article> {
    let cs: Vec<char> = q.chars().collect();
    // The first 条 after a numeral.
    let tiao = (1..cs.len()).find(|&p| cs[p] == '条' && is_numeral(cs[p - 1]))?;
    let mut start = tiao;
    while start > 0 && is_numeral(cs[start - 1]) {
        start -= 1;
    }
    let run: String = cs[start..tiao].iter().collect();
    let number = if cs[start].is_ascii_digit() {
        run.parse::<u64>().ok()?
    } else {
        let v = numbers::chinese_value(&run)?;
        (v.fract() == 0.0).then_some(v as u64)?
    };
    if number == 0 {
        return None;
    }
    let mut name_end = start;
    if name_end > 0 && cs[name_end - 1] == '第' {
        name_end -= 1;
    }
    // What follows may only be 之N, 第N款, 第N项 (the article is the answer).
    let rest: String = cs[tiao + 1..].iter().collect();
    if !rest
        .chars()
        .all(|c| is_numeral(c) || "之第款项目".contains(c))
    {
        return None;
    }
    let mut name: String = cs[..name_end].iter().collect();
    if let Some(n) = name.strip_suffix('的') {
        name = n.to_string();
    }
    if let Some(n) = name.strip_prefix('本') {
        name = n.to_string();
    }
    // 第十二条之一 is an article of its own (之一 articles share their number's key).
    let mut label = format!("第{}条", numbers::to_chinese(number)?);
    let after: Vec<char> = cs[tiao + 1..].to_vec();
    if after.first() == Some(&'之') {
        let run: String = after[1..].iter().take_while(|c| is_numeral(**c)).collect();
        if let Some(k) = numbers::chinese_value(&run).or_else(|| run.parse().ok()) {
            label.push('之');
            label.push_str(&numbers::to_chinese(k as u64)?);
        }
    }
    Some(Article {
        name,
        number,
        label,
    })
}

/// The first quantity of a folded piece: its value, unit and where it stands (chars).
fn quantity_in(piece: &str) -> Option<(Quantity, usize, usize)> {
    let cs: Vec<char> = piece.chars().collect();
    for i in 0..cs.len() {
        if !is_numeral(cs[i]) || (i > 0 && is_numeral(cs[i - 1])) {
            continue;
        }
        let Some((value, n)) = read_number(&cs[i..]) else {
            continue;
        };
        if let Some((un, unit, factor)) = read_unit(&cs[i + n..]) {
            let text: String = cs[i..i + n + un].iter().collect();
            return Some((
                Quantity {
                    value: value * factor,
                    unit,
                    text,
                },
                i,
                i + n + un,
            ));
        }
        // A bare Arabic number of the whole piece (5000) is an amount.
        if i == 0 && n == cs.len() && cs[0].is_ascii_digit() {
            return Some((
                Quantity {
                    value,
                    unit: '元',
                    text: piece.to_string(),
                },
                0,
                n,
            ));
        }
    }
    None
}

/// Read a query.
pub fn analyse(q: &str, synonyms: &[Vec<String>]) -> Analysis {
    let whole = normalise(q);
    let word = |t: &str| Word {
        variants: variants(t, synonyms),
    };
    let mut pieces: Vec<String> = Vec::new();
    for raw in q.split(char::is_whitespace) {
        for p in cut_questions(&normalise(raw)) {
            if !pieces.contains(&p) {
                pieces.push(p);
            }
        }
    }
    let asked: String = cut_questions(&whole).concat();
    let mut a = Analysis {
        words: pieces.iter().map(|p| word(p)).collect(),
        asked: asked != whole,
        ..Analysis::default()
    };
    if let Some(art) = article(&asked) {
        a.article = Some(art);
        return a;
    }
    for (k, p) in pieces.iter().enumerate() {
        if let Some((qty, from, to)) = quantity_in(p) {
            a.quantity = Some(qty);
            let cs: Vec<char> = p.chars().collect();
            let mut rest: Vec<String> = pieces
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != k)
                .map(|(_, s)| s.clone())
                .collect();
            for part in [&cs[..from], &cs[to..]] {
                let s: String = part.iter().collect();
                let comparison = numbers::COMPARISONS.iter().any(|(w, _, _)| *w == s);
                if !s.is_empty() && !comparison {
                    rest.push(s);
                }
            }
            a.rest = rest.iter().map(|s| word(s)).collect();
            break;
        }
    }
    a
}

/// A word in pieces for the looser pass: cut at 的, then into pieces of two characters (a third
/// joins the last), a synonym it holds kept whole as one piece with its other names.
pub fn pieces(t: &str, synonyms: &[Vec<String>]) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    for part in t.split('的').filter(|s| !s.is_empty()) {
        // A name of a synonym group stays whole.
        let mut best: Option<(&Vec<String>, &str)> = None;
        for g in synonyms {
            for m in g {
                if !m.is_empty()
                    && part.contains(m.as_str())
                    && best.is_none_or(|(_, b)| m.chars().count() > b.chars().count())
                {
                    best = Some((g, m));
                }
            }
        }
        let (left, right) = match best {
            Some((g, m)) => {
                let at = part.find(m).unwrap_or(0);
                let mut vs = vec![m.to_string()];
                vs.extend(g.iter().filter(|o| *o != m).cloned());
                out.push(Word { variants: vs });
                (&part[..at], &part[at + m.len()..])
            }
            None => (part, ""),
        };
        for s in [left, right] {
            let cs: Vec<char> = s.chars().collect();
            let mut i = 0;
            while i < cs.len() {
                let n = if cs.len() - i == 3 {
                    3
                } else {
                    2.min(cs.len() - i)
                };
                let chunk: String = cs[i..i + n].iter().collect();
                i += n;
                if !out.iter().any(|w| w.variants[0] == chunk) {
                    let variants = variants(&chunk, &[]);
                    out.push(Word { variants });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syn() -> Vec<Vec<String>> {
        vec![
            vec!["请假".into(), "休假".into()],
            vec!["采购".into(), "购买".into(), "买".into()],
        ]
    }

    #[test]
    fn articles() {
        let a = |q: &str| article(&normalise(q)).map(|a| (a.name, a.number, a.label));
        let w = |n: &str, k: u64, l: &str| Some((n.to_string(), k, l.to_string()));
        assert_eq!(a("公司法第二十条"), w("公司法", 20, "第二十条"));
        assert_eq!(a("第二十条"), w("", 20, "第二十条"));
        assert_eq!(a("公司法20条"), w("公司法", 20, "第二十条"));
        assert_eq!(a("本办法第五条"), w("办法", 5, "第五条"));
        assert_eq!(a("第12条"), w("", 12, "第十二条"));
        assert_eq!(a("公司法 第20条"), w("公司法", 20, "第二十条"));
        assert_eq!(a("刑法第133条之1"), w("刑法", 133, "第一百三十三条之一"));
        assert_eq!(a("请假条"), None);
        assert_eq!(a("第三条规定的人员"), None);
    }

    #[test]
    fn questions_quantities_numerals() {
        let s = syn();
        let a = analyse("工伤怎么认定", &s);
        let firsts: Vec<&str> = a.words.iter().map(|w| w.variants[0].as_str()).collect();
        assert_eq!(firsts, ["工伤", "认定"]);
        let a = analyse("请假2天", &s);
        let q = a.quantity.unwrap();
        assert_eq!((q.value, q.unit, q.text.as_str()), (2.0, '天', "2天"));
        assert_eq!(a.rest[0].variants, ["请假", "休假"]);
        for (q, v) in [
            ("5000元", 5000.0),
            ("五千元", 5000.0),
            ("5千元", 5000.0),
            ("5000", 5000.0),
        ] {
            assert_eq!(
                analyse(q, &s).quantity.map(|q| (q.value, q.unit)),
                Some((v, '元')),
                "{q}"
            );
        }
        assert_eq!(analyse("3个月", &s).words[0].variants, ["3个月", "三个月"]);
        assert_eq!(analyse("开一次", &s).words[0].variants, ["开一次", "开1次"]);
        assert_eq!(analyse("一把手", &s).words[0].variants, ["一把手"]);
        assert!(analyse("一把手", &s).quantity.is_none());
        assert_eq!(analyse("买", &s).words[0].variants, ["买", "采购", "购买"]);
    }

    #[test]
    fn pieces_of_a_word() {
        let s = syn();
        let firsts = |t: &str| -> Vec<String> {
            pieces(t, &s)
                .into_iter()
                .map(|w| w.variants[0].clone())
                .collect()
        };
        assert_eq!(firsts("报销差旅"), ["报销", "差旅"]);
        assert_eq!(firsts("工伤认定申请"), ["工伤", "认定", "申请"]);
        assert_eq!(firsts("买办公用品"), ["买", "办公", "用品"]);
        assert_eq!(firsts("股东的权利"), ["股东", "权利"]);
        assert_eq!(firsts("会议人数不足"), ["会议", "人数", "不足"]);
        assert_eq!(firsts("党小组会议"), ["党小", "组会议"]);
    }
}
