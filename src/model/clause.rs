//! Clauses: the numbered parts of a regulation (编, 分编, 章, 节, 条, 一、, （一）, 1．, 附件) and
//! their anchors.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClauseKind {
    /// 第X编 (a code's or a long law's book: 民法典 第一编 总则).
    Book,
    /// 第X分编, within a 编 (民法典 第三编 第二分编 典型合同).
    SubBook,
    Chapter,
    /// 第X节, within a 章.
    Division,
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
            ClauseKind::Book | ClauseKind::Appendix => 0,
            ClauseKind::SubBook => 1,
            ClauseKind::Chapter => 2,
            ClauseKind::Division => 3,
            ClauseKind::Section => 4,
            ClauseKind::Article => 5,
            ClauseKind::Item => 6,
            ClauseKind::Sub => 7,
        }
    }

    /// The kind's name, as serialised (`article`): the class of its HTML and the print data.
    pub fn name(self) -> &'static str {
        match self {
            ClauseKind::Book => "book",
            ClauseKind::SubBook => "subbook",
            ClauseKind::Division => "division",
            ClauseKind::Chapter => "chapter",
            ClauseKind::Section => "section",
            ClauseKind::Article => "article",
            ClauseKind::Item => "item",
            ClauseKind::Sub => "sub",
            ClauseKind::Appendix => "appendix",
        }
    }

    pub fn segment(self) -> &'static str {
        match self {
            ClauseKind::Book => "part",
            ClauseKind::SubBook => "subpart",
            ClauseKind::Division => "div",
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
            ClauseKind::Book
                | ClauseKind::SubBook
                | ClauseKind::Chapter
                | ClauseKind::Division
                | ClauseKind::Section
                | ClauseKind::Article
                | ClauseKind::Appendix
        )
    }

    /// The parts above articles that group them under a heading (编, 分编, 章, 节): written with a
    /// full-width space between the label and the heading, left out of a clause's citation.
    pub fn is_division(self) -> bool {
        matches!(
            self,
            ClauseKind::Book | ClauseKind::SubBook | ClauseKind::Chapter | ClauseKind::Division
        )
    }
}

/// One numbered part of a regulation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Clause {
    pub kind: ClauseKind,
    pub number: u32,
    /// 之N: 第一百三十三条之一 is number 133, suffix 1 (0 when there is none); anchored `art133-1`.
    #[serde(skip_serializing_if = "is_zero")]
    pub suffix: u32,
    /// For an item (项) of an article: the paragraph (款) it stands in, 1 for the first; 0 for
    /// any other clause. 第三条第二款第（一）项 is the item of article 3 with `para` 2, number 1.
    #[serde(skip_serializing_if = "is_zero")]
    pub para: u32,
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

fn is_zero(n: &u32) -> bool {
    *n == 0
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

    /// What the page's table of contents shows after the number: the title, or the first phrase
    /// of the text up to its first punctuation mark, kept short so that an entry reads as a
    /// heading (六、现金管理) and not as a sentence cut off mid-word.
    pub fn toc_caption(&self) -> String {
        if let Some(t) = &self.title {
            return t.clone();
        }
        const MAX: usize = 16;
        let phrase: Vec<char> = self
            .text
            .chars()
            .take_while(|c| !"，。；：、！？,.;:!?（(".contains(*c))
            .collect();
        if phrase.is_empty() {
            return self.caption();
        }
        let mut s: String = phrase.iter().take(MAX).collect();
        if phrase.len() > MAX {
            s.push('…');
        }
        s
    }
}

/// For each clause, whether it heads a group: it has a title and clauses nested under it, as the
/// stages （一）申请入党阶段 … of 发展党员 head their numbered steps. Such a clause is a heading of the
/// page and an entry of its table of contents, whatever its kind. One pass, for long regulations.
pub fn group_heads(clauses: &[Clause]) -> Vec<bool> {
    let mut parent = vec![false; clauses.len()];
    for c in clauses {
        if let Some(p) = c.parent {
            parent[p] = true;
        }
    }
    clauses
        .iter()
        .zip(parent)
        .map(|(c, p)| p && c.title.is_some())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::ClauseKind;

    #[test]
    fn a_kind_is_named_as_it_is_serialised() {
        for kind in [
            ClauseKind::Book,
            ClauseKind::SubBook,
            ClauseKind::Division,
            ClauseKind::Chapter,
            ClauseKind::Section,
            ClauseKind::Article,
            ClauseKind::Item,
            ClauseKind::Sub,
            ClauseKind::Appendix,
        ] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.name());
        }
    }
}
