//! Clauses: the numbered parts of a regulation (章, 条, 一、, （一）, 1．, 附件) and their anchors.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClauseKind {
    Chapter,
    Section,
    Article,
    Item,
    Sub,
    Appendix,
}

impl ClauseKind {
    /// Nesting rank: a clause nests under the nearest open clause of lower rank.
    pub fn rank(self) -> u8 {
        match self {
            ClauseKind::Chapter | ClauseKind::Appendix => 0,
            ClauseKind::Section => 1,
            ClauseKind::Article => 2,
            ClauseKind::Item => 3,
            ClauseKind::Sub => 4,
        }
    }

    pub fn segment(self) -> &'static str {
        match self {
            ClauseKind::Chapter => "ch",
            ClauseKind::Section => "sec",
            ClauseKind::Article => "art",
            ClauseKind::Item => "item",
            ClauseKind::Sub => "sub",
            ClauseKind::Appendix => "appendix",
        }
    }

    /// Whether the page's table of contents lists this kind.
    pub fn in_toc(self) -> bool {
        matches!(
            self,
            ClauseKind::Chapter | ClauseKind::Section | ClauseKind::Article | ClauseKind::Appendix
        )
    }
}

/// One numbered part of a regulation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Clause {
    pub kind: ClauseKind,
    pub number: u32,
    pub label: String,
    /// Unique within the regulation; the HTML id.
    pub anchor: String,
    /// A short heading after the marker (一、基本原则 → 基本原则), if the rest is heading-like.
    pub title: Option<String>,
    /// The start (up to 40 characters) of the clause's first paragraph after the marker, for
    /// captions; the whole text is [`super::Body::clause_text`].
    pub text: String,
    pub parent: Option<usize>,
    /// For articles: how many paragraphs (款) the article has directly (1 if one).
    pub paras: u32,
    /// 1-based line within the body.
    pub line: usize,
}

impl Clause {
    /// What the table of contents and link titles show: the title, or the start of the text.
    pub fn caption(&self) -> String {
        match &self.title {
            Some(t) => t.clone(),
            None => {
                let mut s: String = self.text.chars().take(24).collect();
                if self.text.chars().count() > 24 {
                    s.push('…');
                }
                s
            }
        }
    }
}
