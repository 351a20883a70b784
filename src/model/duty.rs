//! Duties: what a clause, register row or procedure step gives a role to do, as the analysis found
//! it (or an editor declared it). Role pages, the matrix, and later search, print edition and
//! checklists all read these from [`super::Library::duties`].

use serde::Serialize;

/// What the wording says the role does. Only set where a word says so; [`DutyKind::Unclassified`]
/// otherwise (better than a wrong guess).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DutyKind {
    /// 批准, 审批, 签批, 审签, 决定 …
    Approves,
    /// 填写, 负责, 办理, 组织 …
    Performs,
    /// 列席, 参加, 备案, is reported to (向…报告) …
    Attends,
    /// 签字, 签名, 签字确认: a signature that confirms or acknowledges (经手人签字, 驾驶员签字确认),
    /// which is no approval.
    Signs,
    Unclassified,
}

impl DutyKind {
    /// The UI string key for this kind.
    pub fn key(self) -> &'static str {
        match self {
            DutyKind::Approves => "duty_approves",
            DutyKind::Performs => "duty_performs",
            DutyKind::Attends => "duty_attends",
            DutyKind::Signs => "duty_signs",
            DutyKind::Unclassified => "duty_unclassified",
        }
    }
}

/// Where in a regulation a duty stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "in", rename_all = "snake_case")]
pub enum DutyPlace {
    /// A numbered clause (index into the regulation's `clauses`).
    Clause { clause: usize },
    /// The text before the first numbered clause.
    Preamble,
    /// A row of the regulation's risk register.
    Register { row: usize },
    /// A step of one of the regulation's procedures (index into `Library::procedures`).
    Step { procedure: usize, step: usize },
}

/// How the role was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Detection {
    /// Its name or an alias, as written.
    Named { word: String },
    /// A plain word (主任) taken for the role: by the default of `roles.yaml`, or by what the
    /// regulation's front-matter says the word means there (`declared`).
    Plain { word: String, declared: bool },
    /// An editor's `roles:` front-matter entry for the clause (an assertion, not the text's words).
    Assigned,
    /// A procedure step's `role:`.
    StepRole,
}

/// One duty of one role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duty {
    /// Index into `Library::roles`.
    pub role: usize,
    /// Index into `Library::regulations`.
    pub regulation: usize,
    pub place: DutyPlace,
    pub kind: DutyKind,
    /// The sentence that names the role (or the clause's start, for an assigned duty).
    pub excerpt: String,
    pub detection: Detection,
    /// File line of the mention (of the regulation's file, or of the procedure's for a step).
    pub line: usize,
    /// The text names the role but no word says it acts there (acted upon, only mentioned, or a
    /// verb the detector does not know): not published until the front-matter confirms it
    /// (`sec1: [role]`) — `check --roles` lists it as 待确认.
    pub pending: bool,
}

/// One entry of a regulation's `roles:` front-matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleOverride {
    /// `sec8: [出纳]`: the clause (or `preamble`) gives the role a duty, whatever the text says.
    Assign {
        anchor: String,
        role: String,
        line: usize,
    },
    /// `sec8: [-主任]`: a detection in the clause is wrong.
    Suppress {
        anchor: String,
        role: String,
        line: usize,
    },
    /// `主任: 办公室主任`: what a plain word means in this regulation (`None`: nobody).
    Word {
        word: String,
        role: Option<String>,
        line: usize,
    },
}
