//! Roles in the text: which role of `roles.yaml` a clause, register row or procedure step names,
//! and what the wording says it does there (approves, performs, attends) — the duties of
//! [`crate::model::Library::duties`].
//!
//! Names are found by one Aho-Corasick automaton, leftmost-longest, so 办公室主任 is never 主任 and
//! 主管财务副主任 never 副主任. Whitespace inside a name (converted documents scatter full-width
//! spaces: 分管　领导) does not count. A plain word (主任) means its role's default unless the
//! regulation's front-matter says otherwise. The reference scan calls [`Detector::scan`] on the
//! same runs it scans (one walk of the tree); duties are collected per regulation by [`Duties`].

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::error::{Diagnostic, Severity};
use crate::model::{
    Detection, Duty, DutyKind, DutyPlace, Regulation, Role, RoleOverride, role_by_name,
};

/// A role named in a run of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte range in the text as given (whitespace inside included).
    pub range: Range<usize>,
    /// Index into the library's roles.
    pub role: usize,
    /// Where the role's name starts with the words that only qualify it (市委保密办党支部, 单位分管领导):
    /// what stands before these is what says whether the role acts.
    pub lead: usize,
    /// The word as written (whitespace left out).
    pub word: String,
    /// Found by a plain word (主任): `Some(declared)`, declared by the front-matter or not.
    pub plain: Option<bool>,
}

/// What a pattern of the automaton stands for.
#[derive(Debug, Clone)]
enum Name {
    /// A name or alias: always this role.
    Fixed(usize),
    /// A plain word: this role unless the regulation says otherwise.
    Plain(usize),
}

/// The names, aliases and plain words of every role, built once per library.
pub struct RoleIndex {
    ac: Option<AhoCorasick>,
    names: Vec<Name>,
    words: Vec<String>,
    /// Names in which a role's word is no role (the organisation's own name: 中共白城市委保密委员会
    /// 办公室 is not the 办公室), from site.yaml.
    not_roles: Vec<String>,
    /// Words that only qualify the role after them (the organisation's short name, 单位, 有关 …).
    qualifiers: Vec<String>,
}

/// Words that only qualify a role written after them, in any handbook.
const QUALIFIERS: &[&str] = &["本单位", "单位", "有关", "相关", "各", "全体", "机关"];
/// What a role's last character is followed by when the two make another word (采购办法 is no
/// 采购办; 办理, 办公).
const NOT_A_NAME_END: &[(char, &[char])] = &[('办', &['法', '理', '公', '事'])];

impl RoleIndex {
    pub fn new(roles: &[Role]) -> RoleIndex {
        let mut patterns = Vec::new();
        let mut names = Vec::new();
        for (i, r) in roles.iter().enumerate() {
            for n in std::iter::once(&r.name).chain(&r.aliases) {
                patterns.push(strip(n));
                names.push(Name::Fixed(i));
            }
            for n in &r.plain {
                patterns.push(strip(n));
                names.push(Name::Plain(i));
            }
        }
        let keep: Vec<bool> = patterns.iter().map(|p| !p.is_empty()).collect();
        let mut k = keep.iter();
        names.retain(|_| *k.next().unwrap_or(&false));
        patterns.retain(|p| !p.is_empty());
        // Role names are short and few: a DFA (fast to run) unless roles.yaml is unusually large,
        // where building one would cost more than it saves.
        let total: usize = patterns.iter().map(String::len).sum();
        let kind = if total <= 64 * 1024 {
            AhoCorasickKind::DFA
        } else {
            AhoCorasickKind::ContiguousNFA
        };
        let ac = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .kind(Some(kind))
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .expect("patterns are plain strings")
        });
        RoleIndex {
            ac,
            names,
            words: patterns,
            not_roles: Vec::new(),
            qualifiers: QUALIFIERS.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// The organisation's name (no role word inside it is a role) and short name (it qualifies a
    /// role after it), from site.yaml.
    pub fn with_organisation(mut self, name: Option<&str>, short: Option<&str>) -> RoleIndex {
        self.not_roles
            .extend(name.map(strip).filter(|s| !s.is_empty()));
        if let Some(s) = short.map(strip).filter(|s| !s.is_empty()) {
            // Longest first: 市委保密办 before 单位.
            self.qualifiers.insert(0, s);
        }
        self
    }
}

fn strip(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Finds roles in the runs of one regulation: the index, and what its plain words mean there.
pub struct Detector<'a> {
    index: &'a RoleIndex,
    /// Plain word → the role it means in this regulation (`None`: nobody), from the front-matter.
    declared: HashMap<String, Option<usize>>,
}

impl<'a> Detector<'a> {
    pub fn new(index: &'a RoleIndex, declared: HashMap<String, Option<usize>>) -> Detector<'a> {
        Detector { index, declared }
    }

    /// The roles named in `text`, in order, not overlapping, longest first.
    pub fn scan(&self, text: &str) -> Vec<Mention> {
        let Some(ac) = &self.index.ac else {
            return Vec::new();
        };
        // Matched on the text without whitespace; `at[i]` is where byte `i` of it stands in `text`.
        let (flat, at): (std::borrow::Cow<str>, Option<Vec<usize>>) =
            if text.chars().any(char::is_whitespace) {
                let mut flat = String::with_capacity(text.len());
                let mut at = Vec::with_capacity(text.len() + 1);
                for (i, c) in text.char_indices() {
                    if !c.is_whitespace() {
                        flat.push(c);
                        at.extend((0..c.len_utf8()).map(|k| i + k));
                    }
                }
                at.push(text.len());
                (flat.into(), Some(at))
            } else {
                (text.into(), None)
            };
        let orig = |i: usize, end: bool| match &at {
            // The end of a match is just after its last byte (not at whitespace that follows it).
            Some(at) if end && i > 0 => at[i - 1] + 1,
            Some(at) => at[i],
            None => i,
        };
        let mut out = Vec::new();
        // Spans of the flat text that are names in which role words are no roles.
        let not_roles: Vec<Range<usize>> = self
            .index
            .not_roles
            .iter()
            .flat_map(|n| flat.match_indices(n.as_str()).map(|(i, n)| i..i + n.len()))
            .collect();
        for m in ac.find_iter(flat.as_ref()) {
            if not_roles
                .iter()
                .any(|r| r.start <= m.start() && m.end() <= r.end)
            {
                continue;
            }
            let word = &self.index.words[m.pattern().as_usize()];
            let next = flat[m.end()..].chars().next();
            if NOT_A_NAME_END.iter().any(|(last, follow)| {
                word.ends_with(*last) && next.is_some_and(|c| follow.contains(&c))
            }) {
                continue;
            }
            let pattern = m.pattern().as_usize();
            let (role, plain) = match self.index.names[pattern] {
                Name::Fixed(r) => (r, None),
                Name::Plain(r) => match self.declared.get(&self.index.words[pattern]) {
                    Some(Some(d)) => (*d, Some(true)),
                    Some(None) => continue,
                    None => (r, Some(false)),
                },
            };
            // A role written right before another one qualifies it (保密办办公室印章专管人员 is the
            // office's seal keeper, not the office): only the second is meant.
            if out
                .last()
                .is_some_and(|l: &Mention| l.range.end == orig(m.start(), false))
            {
                out.pop();
            }
            // The qualifiers right before the name (市委保密办党支部, 单位分管领导).
            let mut lead = m.start();
            while let Some(q) = self
                .index
                .qualifiers
                .iter()
                .find(|q| flat[..lead].ends_with(q.as_str()))
            {
                lead -= q.len();
            }
            out.push(Mention {
                range: orig(m.start(), false)..orig(m.end(), true),
                lead: orig(lead, false),
                role,
                word: self.index.words[pattern].clone(),
                plain,
            });
        }
        out
    }
}

pub use super::actor::classify;

/// Most characters an excerpt keeps.
const EXCERPT: usize = 120;

/// Bytes around a mention searched for its sentence, and after it for its verb.
const SEARCH: usize = 1200;

/// The char boundary at or before `i`.
fn boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The sentence of `text` around `range`; a sentence longer than [`EXCERPT`] characters is cut to
/// a window around the mention, with … where it is cut.
pub fn excerpt(text: &str, range: Range<usize>) -> String {
    let ends = ['。', '；', '！', '？', '\n'];
    // The sentence is looked for within a window around the mention, so that a huge paragraph
    // with no full stop costs what the window costs, not its length for every role in it.
    let lo = boundary(text, range.start.saturating_sub(SEARCH));
    let hi = boundary(text, (range.end + SEARCH).min(text.len()));
    let start = text[lo..range.start].rfind(ends).map_or(lo, |i| {
        lo + i + text[lo + i..].chars().next().map_or(1, char::len_utf8)
    });
    let end = match text[range.end..hi].find(ends) {
        // The sentence's own full stop is kept, a line break is not.
        Some(i) => {
            let c = text[range.end + i..].chars().next().unwrap_or('\n');
            range.end + i + if c == '\n' { 0 } else { c.len_utf8() }
        }
        None => hi,
    };
    let sentence = &text[start..end];
    if sentence.chars().count() <= EXCERPT {
        return sentence.trim().to_string();
    }
    // A window: up to a third before the mention, the rest after it.
    let before: Vec<char> = text[start..range.start].chars().collect();
    let keep_before = before.len().min(EXCERPT / 3);
    let mut out = String::new();
    if keep_before < before.len() {
        out.push('…');
    }
    out.extend(&before[before.len() - keep_before..]);
    let after: Vec<char> = text[range.start..end].chars().collect();
    let keep_after = after.len().min(EXCERPT - keep_before);
    out.extend(&after[..keep_after]);
    if keep_after < after.len() {
        out.push('…');
    }
    out.trim().to_string()
}

/// `s` cut to [`EXCERPT`] characters, with … when cut.
pub fn shorten(s: &str) -> String {
    if s.chars().count() <= EXCERPT {
        return s.to_string();
    }
    let mut out: String = s.chars().take(EXCERPT).collect();
    out.push('…');
    out
}

/// The duties of one regulation as its runs are scanned: one per role and place, the first
/// mention's excerpt, the first word that classifies it.
pub struct Duties<'a> {
    pub regulation: usize,
    index: HashMap<(DutyPlace, usize), usize>,
    pub duties: Vec<Duty>,
    /// (clause, role) pairs the front-matter suppresses (`None` clause: the preamble).
    suppressed: HashSet<(Option<usize>, usize)>,
    /// Roles linked already per place: only the first mention in a clause is a link.
    linked: HashSet<(DutyPlace, usize)>,
    roles: &'a [Role],
}

impl<'a> Duties<'a> {
    pub fn new(
        regulation: usize,
        roles: &'a [Role],
        suppressed: HashSet<(Option<usize>, usize)>,
    ) -> Duties<'a> {
        Duties {
            regulation,
            index: HashMap::new(),
            duties: Vec::new(),
            suppressed,
            linked: HashSet::new(),
            roles,
        }
    }

    /// Record the mentions of one run at `place`; returns the mentions to link (the first of each
    /// role at the place, not suppressed). `line` gives the file line of a byte of the run.
    pub fn record(
        &mut self,
        text: &str,
        mentions: &[Mention],
        place: DutyPlace,
        line: impl Fn(usize) -> usize,
    ) -> Vec<usize> {
        let clause = match place {
            DutyPlace::Clause { clause } => Some(clause),
            _ => None,
        };
        let body = matches!(place, DutyPlace::Clause { .. } | DutyPlace::Preamble);
        let mut link = Vec::new();
        for (k, m) in mentions.iter().enumerate() {
            if body && self.suppressed.contains(&(clause, m.role)) {
                continue;
            }
            match self.index.get(&(place, m.role)) {
                Some(&i) => {
                    // Only a duty still unclassified needs the wording of a later mention; the
                    // mention that says what the role does gives the excerpt.
                    let d = &mut self.duties[i];
                    if d.kind == DutyKind::Unclassified {
                        let kind = classify(text, mentions, k);
                        if kind != DutyKind::Unclassified {
                            d.kind = kind;
                            d.excerpt = excerpt(text, m.range.clone());
                            d.line = line(m.range.start);
                            d.pending = false;
                        }
                    }
                }
                None => {
                    let kind = classify(text, mentions, k);
                    self.index.insert((place, m.role), self.duties.len());
                    self.duties.push(Duty {
                        role: m.role,
                        regulation: self.regulation,
                        place,
                        kind,
                        excerpt: excerpt(text, m.range.clone()),
                        detection: match m.plain {
                            Some(declared) => Detection::Plain {
                                word: m.word.clone(),
                                declared,
                            },
                            None => Detection::Named {
                                word: m.word.clone(),
                            },
                        },
                        line: line(m.range.start),
                        pending: kind == DutyKind::Unclassified,
                    });
                }
            }
            if self.linked.insert((place, m.role)) {
                link.push(k);
            }
        }
        link
    }

    /// A duty the text does not name but an editor or a procedure declares (nothing is added if
    /// the role is found there already; a pending one found there is confirmed).
    pub fn declare(
        &mut self,
        role: usize,
        place: DutyPlace,
        kind: DutyKind,
        excerpt: &str,
        detection: Detection,
        line: usize,
    ) {
        if let Some(&i) = self.index.get(&(place, role)) {
            let d = &mut self.duties[i];
            if d.pending {
                d.pending = false;
                if d.kind == DutyKind::Unclassified {
                    d.kind = kind;
                }
            }
            return;
        }
        self.index.insert((place, role), self.duties.len());
        self.duties.push(Duty {
            role,
            regulation: self.regulation,
            place,
            kind,
            excerpt: shorten(excerpt),
            detection,
            line,
            pending: false,
        });
    }

    /// A clause that opens a list with its subject (“一把手”不得直接分管下列五项工作：) gives that
    /// subject to the items below it, which name none of their own: each item is the role's duty,
    /// of the same kind. `line` gives the file line of a clause.
    pub fn inherit(&mut self, clauses: &[crate::model::Clause], line: impl Fn(usize) -> usize) {
        let heads: Vec<(usize, usize, DutyKind, Detection)> = self
            .duties
            .iter()
            .filter(|d| !d.pending && d.kind != DutyKind::Unclassified)
            .filter_map(|d| match d.place {
                DutyPlace::Clause { clause } => {
                    let e = d.excerpt.trim_end();
                    (e.ends_with(['：', ':'])
                        && ["下列", "以下", "如下"].iter().any(|w| e.contains(w)))
                    .then(|| (clause, d.role, d.kind, d.detection.clone()))
                }
                _ => None,
            })
            .collect();
        for (head, role, kind, detection) in heads {
            for (c, clause) in clauses.iter().enumerate() {
                if clause.parent != Some(head) {
                    continue;
                }
                let place = DutyPlace::Clause { clause: c };
                match self.index.get(&(place, role)) {
                    Some(&i) if self.duties[i].pending => {
                        self.duties[i].pending = false;
                        self.duties[i].kind = kind;
                    }
                    Some(_) => {}
                    None => {
                        self.index.insert((place, role), self.duties.len());
                        self.duties.push(Duty {
                            role,
                            regulation: self.regulation,
                            place,
                            kind,
                            excerpt: shorten(&clause.caption()),
                            detection: detection.clone(),
                            line: line(clause.line),
                            pending: false,
                        });
                    }
                }
            }
        }
    }

    /// The role index of a name, alias or plain word.
    pub fn role(&self, name: &str) -> Option<usize> {
        role_by_name(self.roles, name)
    }
}

/// What a regulation's front-matter declares: plain words' meanings, suppressed (clause, role)
/// pairs, assigned (clause, role, line). An anchor the regulation does not have is an error (the
/// loader has checked the names).
#[allow(clippy::type_complexity)]
pub fn overrides(
    reg: &Regulation,
    roles: &[Role],
) -> (
    HashMap<String, Option<usize>>,
    HashSet<(Option<usize>, usize)>,
    Vec<(Option<usize>, usize, usize)>,
    Vec<Diagnostic>,
) {
    let mut words = HashMap::new();
    let mut suppressed = HashSet::new();
    let mut assigned = Vec::new();
    let mut diags = Vec::new();
    let clause = |anchor: &str, line: usize, diags: &mut Vec<Diagnostic>| {
        if anchor == "preamble" {
            return Some(None);
        }
        match reg.clause_index(anchor) {
            Some(i) => Some(Some(i)),
            None => {
                let near = reg
                    .clauses
                    .iter()
                    .map(|c| c.anchor.as_str())
                    .min_by_key(|a| strsim::levenshtein(a, anchor));
                let mut d = Diagnostic::coded(
                    Severity::Error,
                    "RB094",
                    &reg.source.path,
                    line,
                    1,
                    vec![("anchor", anchor.to_string())],
                );
                if let Some(a) = near {
                    d = d.with_hint("roles-anchor-did-you-mean", vec![("near", a.to_string())]);
                }
                diags.push(d);
                None
            }
        }
    };
    for o in &reg.role_overrides {
        match o {
            RoleOverride::Word { word, role, .. } => {
                // An unknown role was reported by the loader: the word then means nobody.
                words.insert(
                    strip(word),
                    role.as_deref().and_then(|r| role_by_name(roles, r)),
                );
            }
            RoleOverride::Suppress { anchor, role, line } => {
                if let (Some(c), Some(r)) =
                    (clause(anchor, *line, &mut diags), role_by_name(roles, role))
                {
                    suppressed.insert((c, r));
                }
            }
            RoleOverride::Assign { anchor, role, line } => {
                if let (Some(c), Some(r)) =
                    (clause(anchor, *line, &mut diags), role_by_name(roles, role))
                {
                    assigned.push((c, r, *line));
                }
            }
        }
    }
    (words, suppressed, assigned, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(name: &str, aliases: &[&str], plain: &[&str]) -> Role {
        Role {
            id: name.into(),
            name: name.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            plain: plain.iter().map(|s| s.to_string()).collect(),
            holders: Vec::new(),
            kind: None,
        }
    }

    fn roles() -> Vec<Role> {
        vec![
            role("主要领导", &["一把手", "保密办主任"], &["主任"]),
            role("副主任", &[], &[]),
            role("分管财务副主任", &["主管财务副主任"], &[]),
            role("办公室主任", &["保密办办公室主任"], &[]),
            role("办公室", &["保密办办公室"], &[]),
            role("出纳", &["出纳员"], &[]),
            role("主任办公会", &["主任办公会议"], &[]),
            role("分管领导", &[], &[]),
            role("科室（站）负责人", &["科室负责人"], &[]),
            role("财务负责人", &[], &[]),
            role("印章管理人员", &["印章专管人员"], &[]),
            role("使用人", &["借用人"], &[]),
            role("会议主持人", &["召集人"], &[]),
        ]
    }

    fn names(text: &str, declared: &[(&str, Option<usize>)]) -> Vec<(String, String)> {
        let roles = roles();
        let index = RoleIndex::new(&roles);
        let declared = declared.iter().map(|(w, r)| (w.to_string(), *r)).collect();
        Detector::new(&index, declared)
            .scan(text)
            .into_iter()
            .map(|m| (text[m.range].to_string(), roles[m.role].name.clone()))
            .collect()
    }

    #[test]
    fn longest_name_first() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("办公室主任签字", &[("办公室主任", "办公室主任")]),
            (
                "经保密办办公室主任签字后报请主要领导审签",
                &[("保密办办公室主任", "办公室主任"), ("主要领导", "主要领导")],
            ),
            (
                "主管财务副主任签批",
                &[("主管财务副主任", "分管财务副主任")],
            ),
            (
                "由主任、副主任组成",
                &[("主任", "主要领导"), ("副主任", "副主任")],
            ),
            (
                "保密办主任应当最后发表结论性意见",
                &[("保密办主任", "主要领导")],
            ),
            (
                "主任办公会议由主任召集",
                &[("主任办公会议", "主任办公会"), ("主任", "主要领导")],
            ),
            (
                "须经主任或分管　领导批准",
                &[("主任", "主要领导"), ("分管　领导", "分管领导")],
            ),
            (
                "使用人持审批单到保密办办公室印章专管人员处盖章",
                &[("使用人", "使用人"), ("印章专管人员", "印章管理人员")],
            ),
            ("出纳员审核", &[("出纳员", "出纳")]),
        ];
        for (text, want) in cases {
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            assert_eq!(names(text, &[]), want, "{text}");
        }
    }

    #[test]
    fn a_regulation_says_what_a_plain_word_means() {
        // 主任 here is the 办公室主任 (index 3); or nobody.
        assert_eq!(
            names("由主任审批", &[("主任", Some(3))]),
            vec![("主任".to_string(), "办公室主任".to_string())]
        );
        assert!(names("由主任审批", &[("主任", None)]).is_empty());
        // Longer names are not plain words: the declaration does not touch them.
        assert_eq!(
            names("副主任审批", &[("主任", None)]),
            vec![("副主任".to_string(), "副主任".to_string())]
        );
    }

    #[test]
    fn excerpts_are_the_sentence() {
        let text = "一、甲。出纳员要向主管财务副主任报告，及时复核清楚。乙。";
        let at = text.find("出纳员").unwrap();
        assert_eq!(
            excerpt(text, at..at + "出纳员".len()),
            "出纳员要向主管财务副主任报告，及时复核清楚。"
        );
        let long = "出纳".to_string() + &"很".repeat(200);
        assert_eq!(excerpt(&long, 0..6).chars().count(), EXCERPT + 1);
        // A long sentence is cut around the mention, not after its first 120 characters.
        let long = "甲".repeat(200) + "出纳" + &"乙".repeat(200) + "。";
        let at = long.find("出纳").unwrap();
        let e = excerpt(&long, at..at + 6);
        assert!(
            e.starts_with('…') && e.ends_with('…') && e.contains("甲出纳乙"),
            "{e}"
        );
        assert_eq!(e.chars().count(), EXCERPT + 2);
        // A paragraph with no full stop: the window, not the paragraph.
        let long = "甲".repeat(100_000) + "出纳" + &"乙".repeat(100_000);
        let at = long.find("出纳").unwrap();
        assert_eq!(excerpt(&long, at..at + 6).chars().count(), EXCERPT + 2);
    }
}
