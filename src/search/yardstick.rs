//! The search yardstick: a set of realistic queries with the results that answer them
//! (`tests/fixtures/search/queries.yaml`), and the measures of a ranking against it — hit@1, hit@5
//! and the mean reciprocal rank — shared by the tests (a floor) and the benchmark (the figures).

use serde::Deserialize;

/// One query and what answers it.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub q: String,
    /// Any of these (page#anchor, relative to the site root) answers the query.
    #[serde(deserialize_with = "one_or_many")]
    pub want: Vec<String>,
    /// What the query tries (number, article, order, question, synonym, role, form, term, concept).
    #[serde(default)]
    pub kind: String,
}

/// The query sets, by corpus.
#[derive(Debug, Clone, Deserialize)]
pub struct QuerySet {
    #[serde(default)]
    pub seed: Vec<Case>,
    #[serde(default)]
    pub laws: Vec<Case>,
    /// tests/fixtures/versions: a regulation kept as three versions, the one in force first.
    #[serde(default)]
    pub versions: Vec<Case>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

impl QuerySet {
    pub fn parse(yaml: &str) -> Result<QuerySet, serde_yaml::Error> {
        serde_yaml::from_str(yaml)
    }
}

/// Where the first answer stands in `results` (1-based), if it is there.
pub fn rank(case: &Case, results: &[String]) -> Option<usize> {
    results
        .iter()
        .position(|r| case.want.iter().any(|w| w == r))
        .map(|p| p + 1)
}

/// The measures of a run: each case's rank, and hit@1, hit@5 and MRR over them.
#[derive(Debug, Clone, Default)]
pub struct Score {
    pub ranks: Vec<Option<usize>>,
}

impl Score {
    pub fn of(ranks: Vec<Option<usize>>) -> Score {
        Score { ranks }
    }
    fn share(&self, f: impl Fn(Option<usize>) -> f64) -> f64 {
        if self.ranks.is_empty() {
            return 0.0;
        }
        self.ranks.iter().map(|&r| f(r)).sum::<f64>() / self.ranks.len() as f64
    }
    pub fn hit_at(&self, k: usize) -> f64 {
        self.share(|r| f64::from(u8::from(r.is_some_and(|r| r <= k))))
    }
    pub fn mrr(&self) -> f64 {
        self.share(|r| r.map_or(0.0, |r| 1.0 / r as f64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures() {
        let set =
            QuerySet::parse("seed:\n  - {q: a, want: x}\n  - {q: b, want: [y, z]}\n").unwrap();
        assert_eq!(set.seed[1].want, ["y", "z"]);
        let r = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let s = Score::of(vec![
            rank(&set.seed[0], &r(&["x"])),
            rank(&set.seed[1], &r(&["a", "b", "z"])),
        ]);
        assert_eq!(s.hit_at(1), 0.5);
        assert_eq!(s.hit_at(5), 1.0);
        assert!((s.mrr() - (1.0 + 1.0 / 3.0) / 2.0).abs() < 1e-9);
    }
}
