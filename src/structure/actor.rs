//! Who acts: whether a role named in a sentence is the one that does something there (the subject
//! of a verb, the body reported to), and what — approves, performs, attends, signs. A role only
//! mentioned (acted upon, inside a form's name, a stage heading, a place, a possessive, someone
//! chosen by another) is [`DutyKind::Unclassified`], which the duties keep as *pending*: not
//! published, listed by `check --roles` for the editors (待确认). A wrong duty is worse than none.
//!
//! The reading is local and by word lists (Chinese regulations are written in a small set of
//! patterns: 由X批准, 经X签批, X要…, 报X备案, 向X报告, X对Y进行…); each rule is in the tables of the
//! unit tests below, one case per error class found by reading the seed.

use crate::model::DutyKind;

use super::roles::Mention;

/// Words that say the role approves (decides).
const APPROVES: &[&str] = &[
    "批准",
    "审批",
    "签批",
    "审签",
    "同意",
    "审定",
    "研究决定",
    "讨论决定",
    "决定",
    "决策",
    "讨论",
    "通过",
    "作出决议",
    "预审",
    // A signature that consents is an approval (经主要领导签字同意后，方可用章), whatever 签字 alone says.
    "签字同意",
    "签字批准",
];
/// Words that say the role signs: a signature confirms or acknowledges, it does not approve.
const SIGNS: &[&str] = &["签字", "签名", "签收"];
/// Words that say the role does the work.
const PERFORMS: &[&str] = &[
    "填写", "负责", "办理", "组织", "召集", "主持", "审核", "保管", "提出", "督办", "购买", "核实",
    "检查", "付款", "承担", "赔偿", "确定", "报告", "汇报", "代管", "转告", "调度", "递交", "谈话",
    "派人", "指派", "培养", "教育", "审查", "培训", "做好", "通知", "宣布", "指导", "述职", "执行",
    "坚持", "督促", "协助", "征求", "报案", "复核", "处理", "移交", "登记", "编页", "公开", "制订",
    "制定",
];
/// Words that say the role attends or is kept informed.
const ATTENDS: &[&str] = &["列席", "参加", "出席", "备案", "知悉", "知晓"];
/// After 向 the role is told: these make it *informed*; any other verb says nothing of it.
const INFORMED: &[&str] = &["报告", "汇报", "请示", "反馈", "报案"];
/// A role right after one of these is acted upon, helped, chosen or led by someone else — never
/// the actor (协助主任: the helper acts; 对发展对象进行审查; 指定一名领导班子成员; 带领班子成员).
const NOT_SUBJECT: &[&str] = &[
    "协助",
    "对",
    "除",
    "受",
    "同",
    "指定",
    "明确",
    "支持",
    "带领",
    "通知",
    "将",
    "把",
    "编入",
    "征求",
    "听取",
    "作为",
    "列为",
    "确定为",
    "一名",
    "两名",
    "组织",
    "加强",
    "乘坐",
    "串",
];
/// A role right after these heads an obligation or a prohibition (X要…, X应当…, X不得…): the
/// subject, performing, when no more telling verb follows.
const MODALS: &[&str] = &[
    "要",
    "应当",
    "应该",
    "应",
    "必须",
    "须",
    "不得",
    "不准",
    "不事先",
    "只可",
    "只能",
];
/// Nouns that end a form's name: a role right before such a name (入党积极分子考察登记表) is part of
/// it.
const FORM_NOUNS: &[&str] = &[
    "登记表",
    "申请书",
    "志愿书",
    "审批表",
    "审批单",
    "报销单",
    "请假条",
    "派车单",
    "介绍信",
    "清单",
    "证明单",
];
/// What follows a word that makes it part of a form's name (审批单, 签批表), not a verb.
const FORM_ENDS: &[char] = &['单', '表', '函', '书'];
/// Where a mention's words end.
const STOPS: &[char] = &[
    '，', '。', '；', '：', ',', ';', '！', '？', '\n', '（', '）',
];
/// What joins roles that share a verb (科室负责人、财务负责人签字).
pub const JOINERS: &[&str] = &["、", "和", "与", "或", "及", "或者", "以及"];
/// A role named after one of these, further on in a stretch, is its object: the stretch goes on
/// past it (培养联系人、党小组和党支部对入党积极分子进行…培养).
const OBJECT_MARKS: &[char] = &['向', '对', '同', '把', '将', '与'];
/// Quotes around a role's name (“一把手”) do not count.
const QUOTES: &[char] = &['“', '"', '”', ' ', '\u{3000}', '「', '」'];
/// How far back (in characters) a 向 still governs a role (向中共白城市委保密办党支部).
const TOLD_REACH: usize = 14;

/// The bytes of `text` this far apart from the end.
fn last_chars(s: &str, n: usize) -> &str {
    let start = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &s[start..]
}

/// The text before `start` in its part of the sentence (since the last stop), quotes trimmed.
fn segment_before(text: &str, start: usize) -> &str {
    let before = &text[..start];
    let from = before
        .rfind(|c: char| ['，', '。', '；', '：', '\n', '！', '？'].contains(&c))
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    before[from..].trim_end_matches(QUOTES)
}

/// Whether `m` (or the group it is joined to) is told: 向 stands shortly before it, with no verb
/// between (同时向单位分管领导, 向中共白城市委保密办党支部).
fn is_told(seg: &str) -> bool {
    let near = last_chars(seg, TOLD_REACH);
    match near.rfind('向') {
        Some(i) => {
            let between = &near[i + '向'.len_utf8()..];
            !PERFORMS.iter().chain(APPROVES).any(|w| between.contains(w))
                && !between.contains(['、', '和'])
        }
        None => false,
    }
}

/// Whether 通过 followed by `after` is the preposition “by means of” (通过一定方式向党员干部公开), not
/// “pass” (讨论通过后, 讨论通过。): a noun follows it.
fn by_means(after: &str) -> bool {
    after
        .chars()
        .next()
        .is_some_and(|c| !['后', '的', '了', '并', '即'].contains(&c))
}

/// What the wording says role `k` of `mentions` (all of `text`) does.
pub fn classify(text: &str, mentions: &[Mention], k: usize) -> DutyKind {
    // The head of the group `k` is joined to (科室负责人、财务负责人签字: both heads' context).
    let mut head = k;
    while head > 0 {
        let prev = &mentions[head - 1];
        let gap = text[prev.range.end..mentions[head].range.start].trim_matches(QUOTES);
        if gap.is_empty() || JOINERS.contains(&gap) {
            head -= 1;
        } else {
            break;
        }
    }
    let m = &mentions[k];
    let lead = mentions[head].lead;
    let seg = segment_before(text, lead);
    let rest_of = |end: usize| text[end..].trim_start_matches(QUOTES);
    // Inside 《…》: a title or a form's name.
    if seg.matches('《').count() > seg.matches('》').count() {
        return DutyKind::Unclassified;
    }
    // 在X的指导下: X guides; 在X上 (在党员大会上宣布): a place.
    if seg.ends_with('在') {
        let after = rest_of(m.range.end);
        return if ["的指导", "的领导", "的帮助"]
            .iter()
            .any(|w| after.starts_with(w))
        {
            DutyKind::Performs
        } else {
            DutyKind::Unclassified
        };
    }
    if NOT_SUBJECT.iter().any(|w| seg.ends_with(w)) {
        return DutyKind::Unclassified;
    }
    let told = is_told(seg);
    let reported = !told && seg.ends_with('报') && !seg.ends_with("汇报");
    // Skip coordinated roles: they share the verb.
    let mut end = m.range.end;
    let mut next = k + 1;
    loop {
        let rest = rest_of(end);
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
    let after = rest_of(end);
    // X的Y: the role qualifies a noun (入党积极分子的培养联系人, 入党积极分子的确定和培养教育阶段).
    if after.starts_with('的') {
        return DutyKind::Unclassified;
    }
    // Inside parentheses (（一般由党支部书记）同…谈话) the sentence goes on after the closing one.
    let in_parens = seg.matches('（').count() > seg.matches('）').count();
    // The stretch: to a stop, past roles that are objects (after 向, 对 …), up to any other role.
    let mut stretch = String::new();
    let mut i = end;
    // Bounded: the verb of a role stands near it, and a long run must not cost its length per role.
    let limit = (end + 300).min(text.len());
    while i < limit {
        if let Some(n) = mentions.get(next)
            && n.range.start <= i
        {
            if stretch.contains(OBJECT_MARKS) {
                stretch.push('□');
                i = n.range.end.max(i);
                next += 1;
                continue;
            }
            break;
        }
        let c = text[i..].chars().next().unwrap_or('。');
        if c == '）' && in_parens && stretch.is_empty() {
            i += c.len_utf8();
            continue;
        }
        if STOPS.contains(&c) {
            break;
        }
        stretch.push(c);
        i += c.len_utf8();
    }
    let stretch = stretch.trim_matches(QUOTES);
    // The role is the start of a form's name (入党积极分子考察登记表, 预备党员考察登记表).
    // X对Y…: Y is a noun phrase, and a verb word that qualifies a noun in it (对“三重一大”事项决策的
    // 情况) is no act of X's.
    let object_first = stretch.starts_with('对');
    let first_verb = |words: &[&str]| {
        words
            .iter()
            .flat_map(|w| {
                stretch
                    .match_indices(w)
                    .filter(|(i, w)| {
                        let after = &stretch[i + w.len()..];
                        // Not a verb: part of a form's name, a qualifier in 对's object, 通过 as “by”.
                        let not_verb = after.starts_with(FORM_ENDS)
                            || object_first && after.starts_with('的')
                            || *w == "通过" && by_means(after);
                        !not_verb
                    })
                    .map(|(i, _)| i)
            })
            .min()
            .unwrap_or(usize::MAX)
    };
    if let Some(noun) = FORM_NOUNS.iter().find(|n| stretch.ends_with(**n)) {
        let name = &stretch[..stretch.len() - noun.len()];
        let verb = [PERFORMS, APPROVES, SIGNS, ATTENDS]
            .iter()
            .any(|ws| ws.iter().any(|w| name.starts_with(w)));
        if name.chars().count() <= 4 && !verb && !name.contains(OBJECT_MARKS) {
            return DutyKind::Unclassified;
        }
    }
    if told {
        return if first_verb(INFORMED) < usize::MAX {
            DutyKind::Attends
        } else {
            DutyKind::Unclassified
        };
    }
    let (a, s, p, t) = (
        first_verb(APPROVES),
        first_verb(SIGNS),
        first_verb(PERFORMS),
        first_verb(ATTENDS),
    );
    let min = a.min(s).min(p).min(t);
    if min == usize::MAX {
        if reported && stretch.is_empty() {
            // 报党工委。: the body is reported to.
            return DutyKind::Attends;
        }
        let modal = MODALS.iter().any(|w| stretch.starts_with(w))
            || stretch.starts_with('不')
                && !["不在", "不是", "不能", "不少于", "不超过"]
                    .iter()
                    .any(|w| stretch.starts_with(w));
        return if modal {
            DutyKind::Performs
        } else {
            DutyKind::Unclassified
        };
    }
    if min == a {
        DutyKind::Approves
    } else if min == t {
        DutyKind::Attends
    } else if min == s {
        DutyKind::Signs
    } else {
        DutyKind::Performs
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::model::Role;
    use crate::structure::roles::{Detector, RoleIndex};

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
            role("主要领导", &["一把手", "主要负责同志"], &["主任"]),
            role("分管财务副主任", &["主管财务副主任"], &[]),
            role("办公室", &["保密办办公室"], &[]),
            role("出纳", &["出纳员"], &[]),
            role("分管领导", &[], &[]),
            role("科室（站）负责人", &["科室负责人", "本科科长"], &[]),
            role("科室（站）", &["科室"], &[]),
            role("财务负责人", &[], &[]),
            role("经办人", &["经手人"], &[]),
            role("驾驶员", &[], &[]),
            role("会议主持人", &[], &[]),
            role("使用人", &["借用人"], &[]),
            role("印章管理人员", &["印章专管人员"], &[]),
            role("班子成员", &["领导班子成员"], &[]),
            role("办务会", &[], &[]),
            role("主任办公会", &[], &[]),
            role("党支部", &[], &[]),
            role("党支部书记", &[], &[]),
            role("党小组", &[], &[]),
            role("党工委", &[], &[]),
            role("支部委员会", &[], &[]),
            role("支部大会", &["党员大会"], &[]),
            role("入党申请人", &["申请入党的同志"], &[]),
            role("入党积极分子", &[], &[]),
            role("培养联系人", &[], &[]),
            role("入党介绍人", &[], &[]),
            role("发展对象", &[], &[]),
            role("预备党员", &[], &[]),
            role("采购办", &[], &[]),
            role("领导小组办公室", &[], &[]),
            role("保密技术工作站", &[], &[]),
        ]
    }

    /// The kind of the role written `who` (its `nth` mention) in `text`; `None` if not found.
    fn kind_of(text: &str, who: &str) -> Option<DutyKind> {
        let roles = roles();
        let index = RoleIndex::new(&roles)
            .with_organisation(Some("中共白城市委保密委员会办公室"), Some("市委保密办"));
        let detector = Detector::new(&index, HashMap::new());
        let mentions = detector.scan(text);
        let k = mentions
            .iter()
            .position(|m| text[m.range.clone()] == *who)?;
        Some(classify(text, &mentions, k))
    }

    fn check(cases: &[(&str, &str, DutyKind)]) {
        for (text, who, want) in cases {
            assert_eq!(kind_of(text, who), Some(*want), "{who} in {text}");
        }
    }

    use DutyKind::*;

    #[test]
    fn the_verb_after_the_subject() {
        check(&[
            (
                "主管财务副主任签批后，出纳方可付款",
                "主管财务副主任",
                Approves,
            ),
            ("主管财务副主任签批后，出纳方可付款", "出纳", Performs),
            (
                "出纳员要向主管财务副主任报告，及时复核清楚",
                "出纳员",
                Performs,
            ),
            ("印章专管人员进行审核", "印章专管人员", Performs),
            ("须经主任或分管领导批准", "主任", Approves),
            ("车辆由办公室统一调度。", "办公室", Performs),
            ("单位介绍信由办公室统一编页", "办公室", Performs),
            ("需经办务会讨论通过后方可付款", "办务会", Approves),
            ("须由办务会决定后，方可实施", "办务会", Approves),
            ("一律召开办务会集体决策", "办务会", Approves),
            (
                "会后应由会议主持人或办公室向其转告会议的情况及决定",
                "办公室",
                Performs,
            ),
            (
                "再由支部委员会研究决定将其确定为入党积极分子",
                "支部委员会",
                Approves,
            ),
            (
                "申请入党的同志自愿向中共白城市委保密办党支部递交入党申请书",
                "申请入党的同志",
                Performs,
            ),
            (
                "预备期满的预备党员向党支部递交转正申请书",
                "预备党员",
                Performs,
            ),
            // The sentence goes on after a parenthesis that names the role.
            (
                "党支部在一个月内派人（一般由党支部书记）同入党申请人谈话",
                "党支部书记",
                Performs,
            ),
            (
                "党支部在一个月内派人（一般由党支部书记）同入党申请人谈话",
                "党支部",
                Performs,
            ),
            // A role that is an object does not end the subject's stretch.
            (
                "培养联系人、党小组和党支部对入党积极分子进行一年以上的培养",
                "培养联系人",
                Performs,
            ),
            (
                "培养联系人、党小组和党支部对入党积极分子进行一年以上的培养",
                "党支部",
                Performs,
            ),
            ("支部委员会对发展对象进行政治审查", "支部委员会", Performs),
            (
                "培训计划由保密技术工作站制订，并报市委保密办批准",
                "保密技术工作站",
                Performs,
            ),
            // 通过 as “by means of” is no approval; a verb qualifying the object of 对 is no act.
            (
                "由保密办办公室通过一定方式向党员干部公开",
                "保密办办公室",
                Performs,
            ),
            (
                "保密办办公室对“三重一大”事项决策的情况，包括决策参与人",
                "保密办办公室",
                Unclassified,
            ),
            (
                "在入党介绍人的指导下，严肃认真地填写",
                "入党介绍人",
                Performs,
            ),
        ]);
    }

    #[test]
    fn an_obligation_names_its_subject() {
        check(&[
            ("“一把手”不得直接分管下列五项工作：", "一把手", Performs),
            ("“一把手”应当坚持带头执行民主集中制", "一把手", Performs),
            ("“一把手”不事先定调子、不事先表态", "一把手", Performs),
            ("各科室（站）要严格按照卫生达标要求", "科室（站）", Performs),
            ("借用人只可将公章用于申请事由", "借用人", Performs),
            (
                "班子成员应及时向“一把手”请示汇报分管工作",
                "班子成员",
                Performs,
            ),
        ]);
    }

    #[test]
    fn the_role_acted_upon_is_not_the_actor() {
        check(&[
            (
                "党支部在一个月内派人同入党申请人谈话",
                "入党申请人",
                Unclassified,
            ),
            ("支部委员会对发展对象进行政治审查", "发展对象", Unclassified),
            ("确定两名正式党员作为入党介绍人", "入党介绍人", Unclassified),
            ("及时将预备党员编入党支部和党小组", "预备党员", Unclassified),
            ("及时将预备党员编入党支部和党小组", "党小组", Unclassified),
            (
                "以书面形式通知市委保密办党支部并发放",
                "党支部",
                Unclassified,
            ),
            (
                "应当明确一名领导班子成员直接分管财务签批",
                "领导班子成员",
                Unclassified,
            ),
            ("带领班子成员严格执行党的政治纪律", "班子成员", Unclassified),
            (
                "为切实加强和改进对“一把手”行使权力的制约与监督",
                "一把手",
                Unclassified,
            ),
            (
                "在听取党小组、培养联系人、党员和群众等意见的基础上",
                "培养联系人",
                Unclassified,
            ),
            (
                "乘坐车辆人员对驾驶员饮酒或长时间疲劳驾驶不进行劝阻",
                "驾驶员",
                Unclassified,
            ),
        ]);
    }

    #[test]
    fn another_persons_duty() {
        // 协助主任: the helper's duty; the passengers' duty is not the driver's.
        check(&[
            ("协助主任抓好党风廉政建设工作", "主任", Unclassified),
            ("各科室向办公室提出购置计划", "办公室", Unclassified),
        ]);
    }

    #[test]
    fn a_role_word_inside_another_name_is_no_role() {
        // A form's name, a stage heading, a title, the organisation's own name, 办法.
        check(&[
            (
                "按期填写入党积极分子考察登记表。",
                "入党积极分子",
                Unclassified,
            ),
            (
                "按期把意见写入“预备党员考察登记表”。",
                "预备党员",
                Unclassified,
            ),
            (
                "入党积极分子的确定和培养教育阶段",
                "入党积极分子",
                Unclassified,
            ),
            ("发放《办公室工作手册》", "办公室", Unclassified),
            ("在党员大会上宣布", "党员大会", Unclassified),
            (
                "本制度中的“一把手”，指市委保密办主要负责同志。",
                "一把手",
                Unclassified,
            ),
            (
                "办务会、主任办公会需要进行表决的议题",
                "办务会",
                Unclassified,
            ),
            (
                "机关办公室、机房、库房内严禁存放私人物品。",
                "办公室",
                Unclassified,
            ),
        ]);
        assert_eq!(kind_of("中共白城市委保密委员会办公室印发", "办公室"), None);
        assert_eq!(kind_of("按照市采购办法执行", "采购办"), None);
        // The longer role's name still wins.
        assert_eq!(
            kind_of("领导小组办公室负责监督考核", "领导小组办公室"),
            Some(Performs)
        );
    }

    #[test]
    fn signatures_and_reports_are_their_own_kinds() {
        check(&[
            (
                "并由经办人签名、科室负责人、财务负责人签字",
                "科室负责人",
                Signs,
            ),
            (
                "并由经办人签名、科室负责人、财务负责人签字",
                "财务负责人",
                Signs,
            ),
            ("由经手人签字", "经手人", Signs),
            ("驾驶员签字确认", "驾驶员", Signs),
            // 签字同意 consents: an approval; 签字 alone confirms.
            ("经主要领导签字同意后，方可用章", "主要领导", Approves),
            ("由经手人填写费用报销单", "经手人", Performs),
            (
                "经保密办办公室主任签批后报请主要领导审签",
                "主要领导",
                Approves,
            ),
            (
                "出纳员要向主管财务副主任报告，及时复核清楚",
                "主管财务副主任",
                Attends,
            ),
            ("同时向单位分管领导和办公室报告", "分管领导", Attends),
            ("同时向单位分管领导和办公室报告", "办公室", Attends),
            ("将假条交办公室备案", "办公室", Attends),
            ("报党工委。报备后向党工委申领", "党工委", Attends),
            ("报党工委备案后，将其列为发展对象", "党工委", Attends),
            ("报党工委预审。", "党工委", Approves),
            ("分管领导知悉", "分管领导", Attends),
        ]);
    }
}
