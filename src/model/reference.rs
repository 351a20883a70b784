//! References as the model keeps them: what a piece of text points at, and where it stands.

use std::path::PathBuf;

use serde::Serialize;

/// What a reference points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Target {
    /// A regulation of the handbook, or one of its clauses.
    Regulation { id: String, anchor: Option<String> },
    /// A glossary term.
    Term { term: String },
    /// A law or document the handbook does not contain (依据文件), and the article cited of it, as
    /// written (第十条, 第二百四十二条第二款), if the text names one.
    External {
        name: String,
        article: Option<String>,
    },
    /// A form staff fill in (表单).
    Form { name: String },
    /// A role of `roles.yaml` (by id): a mention in the text, linked to the role's page. Kept in the
    /// runs' spans only; the duties are in `Library::duties`, not in `Library::references`.
    Role { id: String },
}

/// Where in a regulation a reference stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "in", rename_all = "snake_case")]
pub enum Origin {
    Body,
    RiskRegister,
    Procedure { id: String, step: usize },
}

/// One resolved reference, kept in the model for every later output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// Id of the regulation the reference stands in.
    pub from: String,
    /// Anchor of the clause it stands in, if any.
    pub clause: Option<String>,
    pub origin: Origin,
    /// The text as written.
    pub text: String,
    pub target: Target,
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}
