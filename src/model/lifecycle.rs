//! A regulation's life: its dates, what it replaces and what replaced it, who reviews it and when,
//! the revisions its editors recorded, and the versions found in the content's git history.

use jiff::civil::Date;
use serde::Serialize;

use super::{Body, Clause};

/// What kind of change a recorded revision was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum RevisionKind {
    /// Wording only (编辑性): the rules are the same.
    #[serde(rename = "编辑性")]
    Editorial,
    /// The rules changed (实质性).
    #[serde(rename = "实质性")]
    Substantive,
}

impl RevisionKind {
    pub fn key(self) -> &'static str {
        match self {
            RevisionKind::Editorial => "revision_editorial",
            RevisionKind::Substantive => "revision_substantive",
        }
    }
}

/// One entry of the `revisions:` front-matter, as the editor recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevisionNote {
    pub date: Date,
    pub summary: String,
    pub kind: Option<RevisionKind>,
    pub approved_by: Option<String>,
    /// Who made the revision (`author:`), shown on 最近修订.
    pub author: Option<String>,
}

/// The lifecycle front-matter of a regulation, dates parsed (the texts as written stay in
/// `issued`/`effective` of the regulation, for display).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Lifecycle {
    pub issued: Option<Date>,
    pub effective: Option<Date>,
    pub expires: Option<Date>,
    /// Ids of the regulations this one replaces.
    pub supersedes: Vec<String>,
    /// Id of the regulation that replaced this one.
    pub superseded_by: Option<String>,
    /// When the regulation is next due for review: `review_by`, or `review_every` after the latest
    /// of its effective/issued date and its recorded revisions.
    pub review_by: Option<Date>,
    /// `review_every` as written (2年, 2 years), for the page.
    pub review_every: Option<String>,
    /// Newest first.
    pub revisions: Vec<RevisionNote>,
}

impl Lifecycle {
    /// Whether the regulation is not yet in force on `today`.
    pub fn not_yet_effective(&self, today: Date) -> bool {
        self.effective.is_some_and(|e| e > today)
    }

    /// Whether it has expired by `today`.
    pub fn expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|e| e <= today)
    }
}

/// The anchor of the text before the first numbered clause, in a [`ClauseChange`] (as `roles:`
/// and terms.yaml name it).
pub const PREAMBLE: &str = "preamble";

/// A clause's change between two versions, matched by the clause's permanent anchor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseChange {
    pub anchor: String,
    /// The clause as cited (第三条, 二、（一）), in the newer version if it is there.
    pub label: String,
    pub kind: ChangeKind,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// The regulation as it stood after one commit of the content's history.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    /// The commit's id, abbreviated (the version page's name).
    pub commit: String,
    /// The commit's date, in the committer's time zone.
    pub date: Date,
    /// The commit message's first line.
    pub message: String,
    /// Who made the commit (its author's name).
    pub author: String,
    /// The clauses changed since the previous version (empty for the first one).
    pub changes: Vec<ClauseChange>,
    /// Whether the regulation's file first appears in this version.
    pub first: bool,
    /// The body as it stood, parsed (for the version page).
    #[serde(skip)]
    pub doc: Body,
    #[serde(skip)]
    pub clauses: Vec<Clause>,
}

/// Parse a date as editors write it: 2020年3月27日, 2020-03-27 (a time after it is ignored, as
/// other tools write `date:`), 2020.3.27, 2020/3/27.
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim();
    let t = t.split(['T', ' ']).next().unwrap_or(t);
    let nums: Vec<&str> = t
        .split(['年', '月', '日', '-', '.', '/'])
        .filter(|s| !s.is_empty())
        .collect();
    if nums.len() != 3 || !t.chars().next()?.is_ascii_digit() {
        return None;
    }
    let y: i16 = nums[0].parse().ok()?;
    let m: i8 = nums[1].parse().ok()?;
    let d: i8 = nums[2].parse().ok()?;
    if !(1900..=2999).contains(&y) {
        return None;
    }
    Date::new(y, m, d).ok()
}

/// A review interval: `2 years`, `2年`, `18 months`, `18个月`, `6 月`.
pub fn parse_interval(text: &str) -> Option<jiff::Span> {
    let t = text.trim();
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    let n: i64 = digits.parse().ok().filter(|&n| n > 0 && n <= 100)?;
    let unit = t[digits.len()..].trim().trim_start_matches('个');
    match unit {
        "年" | "year" | "years" | "y" => Some(jiff::Span::new().years(n)),
        "月" | "month" | "months" | "m" => Some(jiff::Span::new().months(n)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_written() {
        let d = |y, m, dd| Date::new(y, m, dd).ok();
        assert_eq!(parse_date("2020年3月27日"), d(2020, 3, 27));
        assert_eq!(parse_date("2020-03-27"), d(2020, 3, 27));
        assert_eq!(parse_date("2024-05-01T10:00:00+08:00"), d(2024, 5, 1));
        assert_eq!(parse_date("2020.3.27"), d(2020, 3, 27));
        assert_eq!(parse_date("2020/3/7"), d(2020, 3, 7));
        assert_eq!(parse_date("2020年2月30日"), None);
        assert_eq!(parse_date("三月"), None);
        assert_eq!(parse_date("2020年3月"), None);
    }

    #[test]
    fn intervals() {
        let base = Date::new(2020, 1, 31).unwrap();
        let after = |s: &str| parse_interval(s).map(|i| base.checked_add(i).unwrap());
        assert_eq!(after("2年"), Date::new(2022, 1, 31).ok());
        assert_eq!(after("2 years"), Date::new(2022, 1, 31).ok());
        assert_eq!(after("18个月"), Date::new(2021, 7, 31).ok());
        assert_eq!(after("1 month"), Date::new(2020, 2, 29).ok());
        assert!(parse_interval("两年").is_none());
        assert!(parse_interval("0年").is_none());
    }
}
