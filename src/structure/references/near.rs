//! "Did you mean": the title or alias nearest to a 《name》 that matches none.

use std::collections::{HashMap, HashSet};

/// Titles and aliases indexed by their character bigrams, for the nearest one to a 《name》 that
/// matches none: only names that share enough bigrams with it are compared (a similarity of 0.6
/// allows few edits, and each edit breaks at most two bigrams), so a suggestion costs what the few
/// near candidates cost, not a comparison with every title of the handbook.
pub(super) struct NearTitles {
    names: Vec<(Vec<char>, usize)>,
    bigrams: HashMap<(char, char), Vec<u32>>,
    /// Names of each length (for short names, which share too few bigrams to be found by them).
    by_len: HashMap<usize, Vec<u32>>,
}

/// Similarity (normalised Levenshtein) a name needs to be suggested.
pub(super) const SUGGEST: f64 = 0.6;

impl NearTitles {
    pub(super) fn new(names: Vec<(String, usize)>) -> NearTitles {
        let names: Vec<(Vec<char>, usize)> = names
            .into_iter()
            .map(|(n, i)| (n.chars().collect(), i))
            .filter(|(n, _): &(Vec<char>, usize)| !n.is_empty() && n.len() <= MAX_NAME)
            .collect();
        let mut bigrams: HashMap<(char, char), Vec<u32>> = HashMap::new();
        let mut by_len: HashMap<usize, Vec<u32>> = HashMap::new();
        for (k, (n, _)) in names.iter().enumerate() {
            let k = k as u32;
            by_len.entry(n.len()).or_default().push(k);
            let mut seen = HashSet::new();
            for w in n.windows(2) {
                if seen.insert((w[0], w[1])) {
                    bigrams.entry((w[0], w[1])).or_default().push(k);
                }
            }
        }
        NearTitles {
            names,
            bigrams,
            by_len,
        }
    }

    /// Most edits a name of length `m` may be from one of length `n` and still be suggested.
    pub(super) fn max_edits(n: usize, m: usize) -> usize {
        ((1.0 - SUGGEST) * n.max(m) as f64).floor() as usize
    }

    /// The regulation whose title or alias is nearest to `name`, if one is near enough.
    pub(super) fn nearest(&self, name: &str) -> Option<usize> {
        let q: Vec<char> = name.chars().collect();
        let n = q.len();
        if n == 0 || n > MAX_NAME {
            return None;
        }
        // Shared bigrams per candidate.
        let mut shared: HashMap<u32, usize> = HashMap::new();
        let mut seen = HashSet::new();
        for w in q.windows(2) {
            if seen.insert((w[0], w[1])) {
                for &k in self.bigrams.get(&(w[0], w[1])).into_iter().flatten() {
                    *shared.entry(k).or_default() += 1;
                }
            }
        }
        // Lengths at which a name sharing no bigram could still be near enough (short names).
        let lens = (n * 3 / 5).max(1)..=(n * 5 / 3 + 1);
        let unshared = lens
            .filter(|&m| (n - 1) <= 2 * Self::max_edits(n, m))
            .flat_map(|m| self.by_len.get(&m).into_iter().flatten().copied());
        // Each candidate with the most its shared bigrams allow: an edit breaks at most two, so
        // `n - 1 - shared` missing bigrams mean at least half as many edits.
        // So do their bigrams that are not shared, and the difference in length.
        let bound = |k: u32, s: usize| {
            let m = self.names[k as usize].0.len();
            let edits = (n.saturating_sub(1).saturating_sub(s).div_ceil(2))
                .max(m.saturating_sub(1).saturating_sub(s).div_ceil(2))
                .max(n.abs_diff(m));
            1.0 - edits as f64 / n.max(m) as f64
        };
        let mut candidates: Vec<(f64, u32)> = shared
            .iter()
            .map(|(&k, &s)| (bound(k, s), k))
            .chain(unshared.map(|k| (bound(k, 0), k)))
            .filter(|&(b, _)| b >= SUGGEST)
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        candidates.dedup_by_key(|c| c.1);
        let mut best: Option<(f64, usize, u32)> = None;
        for (b, k) in candidates {
            // The rest cannot beat what was found.
            if best.is_some_and(|(bs, _, _)| b < bs) {
                break;
            }
            let (t, reg) = &self.names[k as usize];
            let (a, m) = (n, t.len());
            if a.min(m) * 5 < a.max(m) * 3 {
                continue;
            }
            let s = 1.0 - strsim::generic_levenshtein(&q, t) as f64 / a.max(m) as f64;
            // Ties go to the first name (in handbook order), whatever order the map gave.
            if s >= SUGGEST && best.is_none_or(|(bs, _, bk)| s > bs || (s == bs && k < bk)) {
                best = Some((s, *reg, k));
            }
        }
        best.map(|(_, reg, _)| reg)
    }
}

/// Longest title or alias compared for suggestions (characters).
pub(super) const MAX_NAME: usize = 500;
