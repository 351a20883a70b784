//! Versions of one regulation kept as files of their own (公司法(2018-10-26).md beside
//! 公司法(2023-12-29).md; 财务管理制度(2019).md beside the 2023 text), and 时效性: where a text stands
//! on the build's day — 现行有效, 已被修改, 已废止, 尚未生效.
//!
//! Two published regulations are versions of one when they have the same title (and the same
//! subtitle, or none) and each has its own date (`effective`, else `issued`/`date`), the dates all
//! different. The loader lets such files share a title (and aliases); any other shared title is
//! still an error there. Which version is meant is then a matter of the day: a citation resolves to
//! the version in force on the citing text's date, a page says whether its text is the one in force.

use jiff::civil::Date;
use serde::Serialize;

use super::{Regulation, Status, title_key};

/// The versions of one regulation, oldest first (indices into `Library::regulations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Family {
    pub members: Vec<usize>,
    /// The id of the regulation as a whole (its page, `regulations/<address>.html`, shows the
    /// version [`Family::shown`] on the build's day): the versions' ids without their dates
    /// (`falv-公司法` for `falv-公司法(2018-10-26)`, `falv-公司法(2023-12-29)`). `None` when the ids
    /// do not say it — they differ once the bracketed dates are taken off, or what remains is the
    /// id of a page already — and then each version keeps only its own address.
    pub address: Option<String>,
}

/// An id without its trailing bracketed part holding a digit: `falv-公司法(2018-10-26)` →
/// `falv-公司法`, `财务管理制度（2019）` → `财务管理制度`. `None` when there is no such part, or
/// nothing but a separator would be left.
fn undated(id: &str) -> Option<&str> {
    let (open, close) = if id.ends_with(')') {
        ('(', ')')
    } else if id.ends_with('）') {
        ('（', '）')
    } else {
        return None;
    };
    let start = id.rfind(open)?;
    let inner = &id[start + open.len_utf8()..id.len() - close.len_utf8()];
    if !inner.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let stem = id[..start].trim_end_matches([' ', '_', '-', '　']);
    (!stem.is_empty() && !stem.ends_with('/')).then_some(stem)
}

/// The date a version is shown by, as written: its `effective`, else its `issued`.
pub fn version_label(r: &Regulation) -> Option<&str> {
    r.effective.as_deref().or(r.issued.as_deref())
}

/// The date a version speaks from: when it took effect, else when it was issued.
pub fn version_date(r: &Regulation) -> Option<Date> {
    r.lifecycle.effective.or(r.lifecycle.issued)
}

/// Group regulations into families of versions. Returns the families and, per regulation, the
/// family it belongs to. A title shared by documents without dates, or with one date twice, makes
/// no family (the loader reports it); neither does a title used once.
pub fn families(regulations: &[Regulation]) -> (Vec<Family>, Vec<Option<usize>>) {
    // Versions stand beside one another, in one category: one title in two folders is two pages
    // (each section's “Records management”), whatever their dates.
    type Key = (String, Option<String>, String);
    let mut by_name: std::collections::BTreeMap<Key, Vec<usize>> = Default::default();
    for (i, r) in regulations.iter().enumerate() {
        by_name
            .entry((
                title_key(&r.title),
                r.subtitle.as_deref().map(title_key),
                r.category.clone(),
            ))
            .or_default()
            .push(i);
    }
    let mut families = Vec::new();
    let mut family_of = vec![None; regulations.len()];
    for (_, mut members) in by_name {
        if members.len() < 2 {
            continue;
        }
        let dates: Option<Vec<Date>> = members
            .iter()
            .map(|&i| version_date(&regulations[i]))
            .collect();
        let Some(mut dates) = dates else { continue };
        dates.sort();
        if dates.windows(2).any(|w| w[0] == w[1]) {
            continue;
        }
        members.sort_by_key(|&i| version_date(&regulations[i]));
        for &m in &members {
            family_of[m] = Some(families.len());
        }
        let stems: Option<Vec<&str>> = members
            .iter()
            .map(|&i| undated(&regulations[i].id))
            .collect();
        let address = stems
            .filter(|s| s.windows(2).all(|w| w[0] == w[1]))
            .map(|s| s[0].to_string());
        families.push(Family { members, address });
    }
    // An address is never the id of a page already, nor shared by two families: the address
    // would show two texts.
    let ids: std::collections::HashSet<&str> = regulations.iter().map(|r| r.id.as_str()).collect();
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    for f in &families {
        if let Some(a) = &f.address {
            *seen.entry(a.clone()).or_default() += 1;
        }
    }
    for f in &mut families {
        if f.address
            .as_deref()
            .is_some_and(|a| ids.contains(a) || seen[a] > 1)
        {
            f.address = None;
        }
    }
    (families, family_of)
}

impl Family {
    /// The version in force on `day`: the newest whose date is on or before it, among those not
    /// repealed. Before the first version took effect, none.
    pub fn in_force_on(&self, regulations: &[Regulation], day: Date) -> Option<usize> {
        self.members
            .iter()
            .rev()
            .copied()
            .find(|&i| version_date(&regulations[i]).is_some_and(|d| d <= day))
            .filter(|&i| regulations[i].status != Status::Repealed)
    }

    /// The version the regulation's own address shows on `day`: the one in force; before the
    /// first took effect, the first (with its 尚未生效 banner); when none is in force after that
    /// (the newest repealed), the newest.
    pub fn shown(&self, regulations: &[Regulation], day: Date) -> usize {
        let first = self.members[0];
        let newest = *self.members.last().expect("a family has members");
        self.in_force_on(regulations, day).unwrap_or_else(|| {
            if version_date(&regulations[first]).is_some_and(|d| d > day) {
                first
            } else {
                newest
            }
        })
    }

    /// The version a text dated `day` cites: the one in force then; a text older than every
    /// version cites the first; an undated text (`None`) cites the regulation as a whole, the
    /// version its address shows on `today` ([`Family::shown`]).
    pub fn cited_on(&self, regulations: &[Regulation], day: Option<Date>, today: Date) -> usize {
        let first = self.members[0];
        match day {
            Some(d) => self
                .members
                .iter()
                .rev()
                .copied()
                .find(|&i| version_date(&regulations[i]).is_some_and(|v| v <= d))
                .unwrap_or(first),
            None => self.shown(regulations, today),
        }
    }
}

/// Where a text stands on a day (时效性), as 北大法宝 shows it on every text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// 现行有效.
    InForce,
    /// 已被修改: a later version of the same regulation is in force.
    Amended,
    /// 已废止 (or, past its `expires`, 已失效).
    Repealed,
    /// 尚未生效: its date of effect is still to come.
    NotYetInForce,
}

impl Timeliness {
    /// The catalogue key of its label.
    pub fn key(self) -> &'static str {
        match self {
            Timeliness::InForce => "timeliness_in_force",
            Timeliness::Amended => "timeliness_amended",
            Timeliness::Repealed => "timeliness_repealed",
            Timeliness::NotYetInForce => "timeliness_not_yet",
        }
    }
}

/// Where regulation `i` stands on `day`, given the family it belongs to (if any).
pub fn timeliness(
    regulations: &[Regulation],
    family: Option<&Family>,
    i: usize,
    day: Date,
) -> Timeliness {
    let r = &regulations[i];
    if r.status == Status::Repealed || r.lifecycle.expired(day) {
        return Timeliness::Repealed;
    }
    if r.lifecycle.not_yet_effective(day) {
        return Timeliness::NotYetInForce;
    }
    if let Some(f) = family {
        let mine = version_date(r);
        if mine.is_some_and(|d| d > day) {
            return Timeliness::NotYetInForce;
        }
        if let Some(now) = f.in_force_on(regulations, day)
            && now != i
            && version_date(&regulations[now]) > mine
        {
            return Timeliness::Amended;
        }
    }
    Timeliness::InForce
}

/// Clauses of two versions paired by content, not by number, in order: an inserted article
/// renumbers the rest (old 第五条 ↔ new 第六条), and the pairing follows the words. Each pair is
/// (old index, new index); `None` on one side is a clause added or removed. Two clauses pair when
/// they share at least half of their character pairs (Dice coefficient ≥ 0.5); among orderings,
/// the one with the most shared text wins (a monotone alignment, as the texts keep their order).
///
/// Clauses equal on both sides are paired first (a diff of the two lists), and the search for the
/// best pairing runs only in the gaps between them: an amendment changes a few clauses of many,
/// and the work (and memory) is that of the gaps, not of the whole texts multiplied.
pub fn align(old: &[String], new: &[String]) -> Vec<(Option<usize>, Option<usize>)> {
    use similar::{Algorithm, DiffOp, capture_diff_slices};
    let mut out = Vec::new();
    // Where the run of unequal clauses being gathered starts, on each side.
    let (mut o, mut n) = (0, 0);
    let gap = |o: std::ops::Range<usize>, n: std::ops::Range<usize>, out: &mut Vec<_>| {
        for (i, j) in align_gap(&old[o.clone()], &new[n.clone()]) {
            out.push((i.map(|i| i + o.start), j.map(|j| j + n.start)));
        }
    };
    for op in capture_diff_slices(Algorithm::Myers, old, new) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            gap(o..old_index, n..new_index, &mut out);
            out.extend((0..len).map(|k| (Some(old_index + k), Some(new_index + k))));
            (o, n) = (old_index + len, new_index + len);
        }
    }
    gap(o..old.len(), n..new.len(), &mut out);
    out
}

/// [`align`] within a gap between equal clauses: the best monotone pairing by shared text.
fn align_gap(old: &[String], new: &[String]) -> Vec<(Option<usize>, Option<usize>)> {
    use std::collections::HashSet;
    fn bigrams(s: &str) -> HashSet<(char, char)> {
        let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
        let mut set: HashSet<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
        if chars.len() == 1 {
            set.insert((chars[0], chars[0]));
        }
        set
    }
    let a: Vec<_> = old.iter().map(|s| bigrams(s)).collect();
    let b: Vec<_> = new.iter().map(|s| bigrams(s)).collect();
    let similarity = |i: usize, j: usize| -> f64 {
        if old[i] == new[j] {
            return 1.0;
        }
        let (x, y) = (&a[i], &b[j]);
        if x.is_empty() || y.is_empty() {
            return 0.0;
        }
        2.0 * x.intersection(y).count() as f64 / (x.len() + y.len()) as f64
    };
    let (n, m) = (old.len(), new.len());
    // best[i][j]: the most shared text aligning old[i..] with new[j..].
    let mut best = vec![vec![0.0f64; m + 1]; n + 1];
    let mut pair = vec![vec![false; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let skip = best[i + 1][j].max(best[i][j + 1]);
            let s = similarity(i, j);
            if s >= 0.5 && best[i + 1][j + 1] + s >= skip {
                best[i][j] = best[i + 1][j + 1] + s;
                pair[i][j] = true;
            } else {
                best[i][j] = skip;
            }
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n || j < m {
        if i < n && j < m && pair[i][j] {
            out.push((Some(i), Some(j)));
            i += 1;
            j += 1;
        } else if j < m && (i == n || best[i][j + 1] >= best[i + 1][j]) {
            out.push((None, Some(j)));
            j += 1;
        } else {
            out.push((Some(i), None));
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn version(id: &str, title: &str, effective: Option<Date>) -> Regulation {
        let mut r = Regulation::new(id, title, "第一条　甲。\n");
        r.category = "falv".into();
        r.lifecycle.effective = effective;
        r
    }

    fn three() -> Vec<Regulation> {
        vec![
            version("gs-2023", "公司法", Some(date(2024, 7, 1))),
            version("other", "证券法", Some(date(2020, 3, 1))),
            version("gs-2005", "公司法", Some(date(2006, 1, 1))),
            version("gs-2018", "公司法", Some(date(2018, 10, 26))),
        ]
    }

    #[test]
    fn versions_group_by_title_in_date_order() {
        let regs = three();
        let (families, of) = families(&regs);
        assert_eq!(
            families,
            vec![Family {
                members: vec![2, 3, 0],
                address: None,
            }]
        );
        assert_eq!(of, vec![Some(0), None, Some(0), Some(0)]);
    }

    #[test]
    fn a_family_has_an_address_when_its_ids_say_it() {
        let named = |ids: &[&str]| -> Option<String> {
            let regs: Vec<Regulation> = ids
                .iter()
                .enumerate()
                .map(|(n, id)| version(id, "公司法", Some(date(2000 + n as i16, 1, 1))))
                .collect();
            families(&regs).0[0].address.clone()
        };
        assert_eq!(
            named(&["falv-公司法(2018-10-26)", "falv-公司法(2023-12-29)"]).as_deref(),
            Some("falv-公司法")
        );
        assert_eq!(
            named(&["财务管理制度（2019）", "财务管理制度 (2023)"]).as_deref(),
            Some("财务管理制度")
        );
        // The ids do not say it: another stem, no date in the bracket, or the address is a page.
        assert_eq!(named(&["falv-公司法(2018)", "falv-新公司法(2023)"]), None);
        assert_eq!(named(&["falv-公司法(旧)", "falv-公司法(新)"]), None);
        assert_eq!(named(&["财务管理制度", "财务管理制度(2023)"]), None);
    }

    #[test]
    fn the_address_shows_the_version_in_force_else_the_first_to_come() {
        let regs = three();
        let f = &families(&regs).0[0];
        for (day, want) in [
            (date(2000, 1, 1), "gs-2005"),
            (date(2020, 1, 1), "gs-2018"),
            (date(2025, 1, 1), "gs-2023"),
        ] {
            assert_eq!(regs[f.shown(&regs, day)].id, want, "{day}");
            assert_eq!(regs[f.cited_on(&regs, None, day)].id, want, "{day}");
        }
    }

    #[test]
    fn no_family_without_distinct_dates() {
        for regs in [
            vec![
                version("a", "甲", None),
                version("b", "甲", Some(date(2020, 1, 1))),
            ],
            vec![
                version("a", "甲", Some(date(2020, 1, 1))),
                version("b", "甲", Some(date(2020, 1, 1))),
            ],
        ] {
            assert!(families(&regs).0.is_empty());
        }
        // Subtitles tell documents apart: not versions of one another.
        let mut a = version("a", "甲", Some(date(2019, 1, 1)));
        a.subtitle = Some("填报人：甲".into());
        let b = version("b", "甲", Some(date(2020, 1, 1)));
        assert!(families(&[a, b]).0.is_empty());
    }

    #[test]
    fn the_version_cited_is_the_one_in_force_on_the_citing_day() {
        let regs = three();
        let f = &families(&regs).0[0];
        let today = date(2026, 12, 7);
        for (day, want) in [
            (Some(date(2000, 1, 1)), "gs-2005"),
            (Some(date(2006, 1, 1)), "gs-2005"),
            (Some(date(2018, 10, 25)), "gs-2005"),
            (Some(date(2018, 10, 26)), "gs-2018"),
            (Some(date(2020, 5, 1)), "gs-2018"),
            (Some(date(2024, 7, 1)), "gs-2023"),
            (None, "gs-2023"),
        ] {
            assert_eq!(regs[f.cited_on(&regs, day, today)].id, want, "{day:?}");
        }
        // Undated, on a day before the newest took effect: the one in force then.
        assert_eq!(
            regs[f.cited_on(&regs, None, date(2020, 1, 1))].id,
            "gs-2018"
        );
    }

    #[test]
    fn timeliness_on_the_builds_day() {
        let regs = three();
        let (fams, of) = families(&regs);
        let t = |i: usize, day: Date| timeliness(&regs, of[i].map(|f| &fams[f]), i, day);
        use Timeliness::*;
        // Between the 2018 and the 2023 texts.
        assert_eq!(t(2, date(2020, 1, 1)), Amended);
        assert_eq!(t(3, date(2020, 1, 1)), InForce);
        assert_eq!(t(0, date(2020, 1, 1)), NotYetInForce);
        // After.
        assert_eq!(t(3, date(2025, 1, 1)), Amended);
        assert_eq!(t(0, date(2025, 1, 1)), InForce);
        // Before any.
        assert_eq!(t(2, date(2005, 1, 1)), NotYetInForce);
        assert_eq!(t(1, date(2025, 1, 1)), InForce);
        let mut repealed = regs.clone();
        repealed[1].status = Status::Repealed;
        assert_eq!(timeliness(&repealed, None, 1, date(2025, 1, 1)), Repealed);
    }

    #[test]
    fn clauses_pair_by_content_across_a_renumbering() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let old = v(&[
            "为了规范公司的组织和行为，制定本法。",
            "本法所称公司是指依照本法在中国境内设立的有限责任公司和股份有限公司。",
            "公司股东依法享有资产收益、参与重大决策和选择管理者等权利。",
            "公司应当依法纳税。",
        ]);
        let new = v(&[
            "为了规范公司的组织和行为，制定本法。",
            "本法所称公司，是指依照本法在中华人民共和国境内设立的有限责任公司和股份有限公司。",
            "公司是企业法人，有独立的法人财产。",
            "公司股东依法享有资产收益、参与重大决策和选择管理者等权利。",
        ]);
        assert_eq!(
            align(&old, &new),
            vec![
                (Some(0), Some(0)),
                (Some(1), Some(1)),
                (None, Some(2)),
                (Some(2), Some(3)),
                (Some(3), None),
            ]
        );
        assert_eq!(align(&[], &v(&["甲"])), vec![(None, Some(0))]);
        assert_eq!(align(&v(&["甲"]), &[]), vec![(Some(0), None)]);
    }
}
