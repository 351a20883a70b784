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
}

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
        }
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
        for m in ac.find_iter(flat.as_ref()) {
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
            out.push(Mention {
                range: orig(m.start(), false)..orig(m.end(), true),
                role,
                word: self.index.words[pattern].clone(),
                plain,
            });
        }
        out
    }
}

/// Words that say the role approves.
const APPROVES: &[&str] = &[
    "批准",
    "审批",
    "签批",
    "审签",
    "签字",
    "同意",
    "审定",
    "研究决定",
    "讨论决定",
];
/// Words that say the role does the work.
const PERFORMS: &[&str] = &[
    "填写", "负责", "办理", "组织", "召集", "主持", "审核", "保管", "提出", "督办", "购买", "核实",
    "检查", "付款", "承担", "赔偿", "确定", "报告", "汇报", "代管", "转告",
];
/// What follows a word that makes it part of a form's name (审批单, 签批表), not a verb.
const FORM_ENDS: &[char] = &['单', '表', '函', '书'];
/// Words that say the role attends or is kept informed.
const ATTENDS: &[&str] = &["列席", "参加", "出席", "备案"];
/// After 向 the role is told: these make it *informed*; any other verb says nothing of it.
const INFORMED: &[&str] = &["报告", "汇报", "请示", "反馈", "报案"];
/// Where a mention's words end.
const STOPS: &[char] = &[
    '，', '。', '；', '：', ',', ';', '！', '？', '\n', '（', '）',
];
/// What joins roles that share a verb (科室负责人、财务负责人签字).
const JOINERS: &[&str] = &["、", "和", "与", "或", "及", "或者", "以及"];
/// Words before a mention that make the role someone else's concern (协助主任: the 主任 does nothing).
const NOT_SUBJECT: &[&str] = &["协助", "对", "除", "受"];

/// What the wording says role `k` of `mentions` (all of `text`) does: the first classifying word
/// after it, in its stretch of the sentence — up to the next stop or the next role that is not
/// coordinated with it (a role after 向 is the one told, so the stretch goes on past it).
pub fn classify(text: &str, mentions: &[Mention], k: usize) -> DutyKind {
    let m = &mentions[k];
    let before = text[..m.range.start].trim_end_matches(['“', '"', ' ', '\u{3000}']);
    if NOT_SUBJECT.iter().any(|w| before.ends_with(w)) {
        return DutyKind::Unclassified;
    }
    let told = before.ends_with('向');
    // Skip coordinated roles: they share the verb.
    let mut end = m.range.end;
    let mut next = k + 1;
    loop {
        let rest = text[end..].trim_start_matches(['”', '"']);
        let skipped = text.len() - end - rest.len();
        let joined = JOINERS
            .iter()
            .filter(|j| rest.starts_with(**j))
            .map(|j| j.len())
            .max();
        match (joined, mentions.get(next)) {
            (Some(j), Some(n)) if n.range.start == end + skipped + j => {
                end = n.range.end;
                next += 1;
            }
            _ => break,
        }
    }
    // The stretch: to a stop, or to a role that is not the one told.
    let mut stretch = String::new();
    let mut i = end;
    // Bounded: the verb of a role stands near it, and a long run must not cost its length per role.
    let limit = (end + SEARCH / 4).min(text.len());
    while i < limit {
        if let Some(n) = mentions.get(next)
            && n.range.start == i
        {
            if text[..i].ends_with('向') {
                stretch.push('□');
                i = n.range.end;
                next += 1;
                continue;
            }
            break;
        }
        let c = text[i..].chars().next().unwrap_or('。');
        if STOPS.contains(&c) {
            break;
        }
        stretch.push(c);
        i += c.len_utf8();
    }
    let first = |words: &[&str]| {
        words
            .iter()
            .flat_map(|w| {
                stretch
                    .match_indices(w)
                    .filter(|(i, w)| !stretch[i + w.len()..].starts_with(FORM_ENDS))
                    .map(|(i, _)| i)
            })
            .min()
            .unwrap_or(usize::MAX)
    };
    if told {
        return if first(INFORMED) < usize::MAX {
            DutyKind::Attends
        } else {
            DutyKind::Unclassified
        };
    }
    let (a, p, t) = (first(APPROVES), first(PERFORMS), first(ATTENDS));
    let min = a.min(p).min(t);
    if min == usize::MAX {
        DutyKind::Unclassified
    } else if min == a {
        DutyKind::Approves
    } else if min == t {
        DutyKind::Attends
    } else {
        DutyKind::Performs
    }
}

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
                    // Only a duty still unclassified needs the wording of a later mention.
                    if self.duties[i].kind == DutyKind::Unclassified {
                        self.duties[i].kind = classify(text, mentions, k);
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
    /// the role is found there already).
    pub fn declare(
        &mut self,
        role: usize,
        place: DutyPlace,
        kind: DutyKind,
        excerpt: &str,
        detection: Detection,
        line: usize,
    ) {
        if self.index.contains_key(&(place, role)) {
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
        });
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
    fn classification_by_the_words_after_the_role() {
        use DutyKind::*;
        let cases: &[(&str, &str, DutyKind)] = &[
            (
                "主管财务副主任签批后，出纳方可付款",
                "主管财务副主任",
                Approves,
            ),
            ("主管财务副主任签批后，出纳方可付款", "出纳", Performs),
            (
                "并由经办人签名、科室负责人、财务负责人签字",
                "科室负责人",
                Approves,
            ),
            (
                "并由经办人签名、科室负责人、财务负责人签字",
                "财务负责人",
                Approves,
            ),
            (
                "出纳员要向主管财务副主任报告，及时复核清楚",
                "出纳员",
                Performs,
            ),
            (
                "出纳员要向主管财务副主任报告，及时复核清楚",
                "主管财务副主任",
                Attends,
            ),
            (
                "经保密办办公室主任签字后报请主要领导审签",
                "保密办办公室主任",
                Approves,
            ),
            (
                "经保密办办公室主任签字后报请主要领导审签",
                "主要领导",
                Approves,
            ),
            ("印章管理人员进行审核", "印章管理人员", Performs),
            ("各科室向办公室提出购置计划", "办公室", Unclassified),
            (
                "由办公室统一汇总并经主管财务副主任审批同意",
                "办公室",
                Unclassified,
            ),
            ("协助主任抓好党风廉政建设工作", "主任", Unclassified),
            ("将假条交办公室备案", "办公室", Attends),
            ("须经主任或分管领导批准", "主任", Approves),
            ("出纳员违反规定", "出纳员", Unclassified),
            ("使用人持审批单到印章专管人员处盖章", "使用人", Unclassified),
            (
                "会后应由会议主持人或办公室向其转告会议的情况及决定",
                "办公室",
                Performs,
            ),
        ];
        let roles = roles();
        let index = RoleIndex::new(&roles);
        let detector = Detector::new(&index, HashMap::new());
        for (text, who, want) in cases {
            let mentions = detector.scan(text);
            let k = mentions
                .iter()
                .position(|m| &text[m.range.clone()] == *who)
                .unwrap_or_else(|| panic!("{who} not found in {text}"));
            assert_eq!(classify(text, &mentions, k), *want, "{who} in {text}");
        }
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
