//! The handbook model: one [`Library`] holding every regulation, category, role, term and procedure.
//!
//! Loading fills it from `content/`; the analysis stage adds each body's parsed tree, its clauses and
//! the references between them. Everything after that (pages, role lists, checklists, print edition,
//! search index) is a pure function of this model.

pub mod body;
pub mod clause;
pub mod duty;
pub mod reference;

use std::collections::HashMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use body::{Block, BlockKind, Body, LinkTo, Piece, Run, Span};
pub use clause::{Clause, ClauseKind};
pub use duty::{Detection, Duty, DutyKind, DutyPlace, RoleOverride};
pub use reference::{Origin, Reference, Target};

use crate::config::Config;

/// Where a regulation stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    #[default]
    #[serde(rename = "现行")]
    Current,
    #[serde(rename = "试行")]
    Trial,
    #[serde(rename = "草案")]
    Draft,
    #[serde(rename = "废止")]
    Repealed,
}

impl Status {
    /// The UI string key for this status.
    pub fn key(self) -> &'static str {
        match self {
            Status::Current => "status_current",
            Status::Trial => "status_trial",
            Status::Draft => "status_draft",
            Status::Repealed => "status_repealed",
        }
    }
}

/// A 廉政风险排查登记表: columns, optional column groups, and rows of list-valued cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskRegister {
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub filled_by_label: Option<String>,
    #[serde(default)]
    pub filled_by: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub groups: Vec<ColumnGroup>,
    pub columns: Vec<String>,
    /// Each row maps a column name to the items of that cell.
    pub rows: Vec<HashMap<String, Vec<String>>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnGroup {
    pub title: String,
    pub span: usize,
}

/// The source a model item came from, for error messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Relative to the site root, as the editor sees it.
    pub path: PathBuf,
    /// File line where the body starts (front-matter lines come before it).
    pub body_line: usize,
}

/// One regulation (a `.md` file).
#[derive(Debug, Clone, Serialize)]
pub struct Regulation {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub category: String,
    pub order: i64,
    pub status: Status,
    pub issued: Option<String>,
    pub effective: Option<String>,
    pub issuer: Option<String>,
    pub owner: Option<String>,
    pub aliases: Vec<String>,
    pub summary: Option<String>,
    /// Tags and keywords, as other tools' front-matter gives them (`tags:`, `keywords:`).
    pub tags: Vec<String>,
    pub incomplete: bool,
    pub risk_register: Option<RiskRegister>,
    /// The Markdown body as written (after the front-matter). The analysis parses it into `doc` and
    /// then lets it go (everything an output needs is in the tree), so that a large handbook is not
    /// held twice.
    #[serde(skip)]
    pub body: String,
    /// The front-matter as written (for locating keys and register cells in messages).
    #[serde(skip)]
    pub front_matter: String,
    pub source: Source,
    /// The numbered clauses, in document order (filled by the analysis).
    pub clauses: Vec<Clause>,
    /// The body parsed once, with its references (filled by the analysis).
    #[serde(skip)]
    pub doc: Body,
    /// The risk register's cells as text runs with their references: row → column (in the order of
    /// `columns`) → items (filled by the analysis).
    #[serde(skip)]
    pub register_cells: Vec<Vec<Vec<Run>>>,
    /// Clause anchor → index into `clauses`.
    #[serde(skip)]
    pub anchors: HashMap<String, usize>,
    /// The editor's `roles:` front-matter: roles assigned to or suppressed in a clause, and what a
    /// plain word (主任) means in this regulation.
    #[serde(skip)]
    pub role_overrides: Vec<RoleOverride>,
}

impl Regulation {
    /// A regulation made from a body alone, with defaults for everything else and nothing analysed:
    /// for tests, the fuzz target and tools that have no file.
    pub fn new(id: &str, title: &str, body: &str) -> Regulation {
        Regulation {
            id: id.into(),
            title: title.into(),
            subtitle: None,
            category: id.into(),
            order: 0,
            status: Status::default(),
            issued: None,
            effective: None,
            issuer: None,
            owner: None,
            aliases: Vec::new(),
            summary: None,
            tags: Vec::new(),
            incomplete: false,
            risk_register: None,
            body: body.into(),
            front_matter: String::new(),
            source: Source::default(),
            clauses: Vec::new(),
            doc: Body::default(),
            register_cells: Vec::new(),
            anchors: HashMap::new(),
            role_overrides: Vec::new(),
        }
    }

    /// The clause with this anchor.
    pub fn clause(&self, anchor: &str) -> Option<&Clause> {
        self.clause_index(anchor).map(|i| &self.clauses[i])
    }

    /// Index into `clauses` of the clause with this anchor.
    pub fn clause_index(&self, anchor: &str) -> Option<usize> {
        if self.anchors.len() == self.clauses.len() {
            self.anchors.get(anchor).copied()
        } else {
            self.clauses.iter().position(|c| c.anchor == anchor)
        }
    }

    /// File line of a body-relative line.
    pub fn file_line(&self, body_line: usize) -> usize {
        // A regulation built in code (tests, tools) may have no file: count from line 1.
        self.source.body_line.max(1) + body_line.max(1) - 1
    }

    /// The label of a clause with its ancestors, as people cite it: 第三条（二）, 二、9．, 三、（二）5．
    /// (chapters left out).
    pub fn citation(&self, anchor: &str) -> Option<String> {
        let mut i = self.clause_index(anchor)?;
        let mut parts = vec![];
        loop {
            let c = &self.clauses[i];
            if c.kind != ClauseKind::Chapter {
                parts.push(c.label.as_str());
            }
            match c.parent {
                Some(p) => i = p,
                None => break,
            }
        }
        parts.reverse();
        Some(parts.concat())
    }
}

/// A regulation left out of the output (draft, or classified above the publish level), remembered so
/// that a reference to it can be reported.
#[derive(Debug, Clone)]
pub struct Withheld {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub aliases: Vec<String>,
    pub path: PathBuf,
    /// The front-matter as written (for locating keys in messages).
    pub front_matter: String,
}

/// A category: a folder of `content/` (at any depth), or a `category:` named in front-matter.
#[derive(Debug, Clone, Serialize)]
pub struct Category {
    pub id: String,
    pub title: String,
    /// Indices into [`Library::regulations`], in display order: the regulations directly in this
    /// category (those of subcategories are theirs).
    pub regulations: Vec<usize>,
    /// The enclosing category (index into [`Library::categories`]), `None` at the top level.
    pub parent: Option<usize>,
    /// Subcategories (indices into [`Library::categories`]), in display order.
    pub children: Vec<usize>,
    /// Regulations here and in every subcategory below.
    pub total: usize,
    /// Position among its siblings (the folder page's `order:`/`weight:`).
    pub order: i64,
    /// The folder page's `summary:`/`description:`.
    pub summary: Option<String>,
    /// The folder page's body, an introduction shown on the category page: parsed by the analysis
    /// as a regulation body is (held as one so the same renderer writes it), never scanned for
    /// references.
    #[serde(skip)]
    pub intro: Option<Box<Regulation>>,
}

impl Category {
    /// A top-level category with no folder page.
    pub fn new(id: &str, title: &str) -> Category {
        Category {
            id: id.into(),
            title: title.into(),
            regulations: Vec::new(),
            parent: None,
            children: Vec::new(),
            total: 0,
            order: 0,
            summary: None,
            intro: None,
        }
    }
}

/// A position or body the regulations assign duties to (`roles.yaml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Stable id, used in the role page's address (`roles/<id>.html`); the loader sets it to the
    /// name when `roles.yaml` gives none.
    #[serde(default)]
    pub id: String,
    pub name: String,
    /// Other names the text uses for the role; each means this role wherever it stands.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Short names that usually mean this role but not always (主任): detected as this role unless a
    /// regulation's front-matter says what they mean there, and listed by `check --roles`.
    #[serde(default)]
    pub plain: Vec<String>,
    /// People the text names as holding the role.
    #[serde(default)]
    pub holders: Vec<String>,
    /// `leadership`, `position`, `body` or `outside` (see [`ROLE_KINDS`]).
    #[serde(default)]
    pub kind: Option<String>,
}

/// The role a name, alias or plain word denotes (an index into `roles`).
pub fn role_by_name(roles: &[Role], name: &str) -> Option<usize> {
    roles.iter().position(|r| {
        r.name == name || r.aliases.iter().any(|a| a == name) || r.plain.iter().any(|a| a == name)
    })
}

/// The kinds of role, in the order the role index groups them.
pub const ROLE_KINDS: &[&str] = &["leadership", "position", "body", "outside"];

/// A glossary entry (`terms.yaml`), defined in the regulations' own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub term: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub definition: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub clause: Option<String>,
    /// Whether mentions in the text link to the definition (off for words too common to link).
    #[serde(default = "yes")]
    pub link: bool,
}

fn yes() -> bool {
    true
}

/// One step of a procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The number the source flowchart gives the step, if any.
    #[serde(default)]
    pub number: Option<u32>,
    pub text: String,
    #[serde(default)]
    pub note: Option<String>,
    /// A role name from `roles.yaml`.
    #[serde(default)]
    pub role: Option<String>,
    /// Governing clause: an anchor of the procedure's regulation, or `regulation-id#anchor`.
    #[serde(default)]
    pub clause: Option<String>,
    /// For branching flowcharts: the branch this step is on.
    #[serde(default)]
    pub branch: Option<String>,
    /// `text` and `note` as text runs with their references (filled by the analysis).
    #[serde(skip)]
    pub runs: Vec<Run>,
}

/// An ordered procedure (from the flowcharts), attached to a regulation (`procedures/*.yaml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    pub id: String,
    pub title: String,
    pub regulation: String,
    #[serde(default)]
    pub clause: Option<String>,
    #[serde(default)]
    pub order: i64,
    pub steps: Vec<Step>,
    #[serde(skip)]
    pub source: Source,
    /// The file as written (for locating references in steps).
    #[serde(skip)]
    pub text: String,
}

/// The whole handbook, loaded and checked.
#[derive(Debug, Clone, Serialize)]
pub struct Library {
    pub config: Config,
    /// Published regulations only, in display order (category order, then `order`, then id).
    pub regulations: Vec<Regulation>,
    pub categories: Vec<Category>,
    pub roles: Vec<Role>,
    pub terms: Vec<Term>,
    pub procedures: Vec<Procedure>,
    /// Every reference found in the text, resolved (filled by the structure stage).
    pub references: Vec<Reference>,
    /// What the text assigns to each role, in handbook order (filled by the structure stage).
    pub duties: Vec<Duty>,
    #[serde(skip)]
    by_id: HashMap<String, usize>,
    /// Regulation id → indices into `procedures`.
    #[serde(skip)]
    procedures_by_regulation: HashMap<String, Vec<usize>>,
    /// Target regulation id → indices into `references` pointing at it.
    #[serde(skip)]
    incoming: HashMap<String, Vec<usize>>,
    /// Role index → indices into `duties`.
    #[serde(skip)]
    duties_by_role: Vec<Vec<usize>>,
    /// Regulation index → the range of `duties` that stand in it (duties are kept in regulation
    /// order).
    #[serde(skip)]
    duties_by_regulation: Vec<std::ops::Range<usize>>,
}

impl Library {
    pub fn new(
        config: Config,
        regulations: Vec<Regulation>,
        categories: Vec<Category>,
        roles: Vec<Role>,
        terms: Vec<Term>,
        procedures: Vec<Procedure>,
    ) -> Library {
        let by_id = regulations
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let mut procedures_by_regulation: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in procedures.iter().enumerate() {
            procedures_by_regulation
                .entry(p.regulation.clone())
                .or_default()
                .push(i);
        }
        Library {
            config,
            regulations,
            categories,
            roles,
            terms,
            procedures,
            references: Vec::new(),
            duties: Vec::new(),
            by_id,
            procedures_by_regulation,
            incoming: HashMap::new(),
            duties_by_role: Vec::new(),
            duties_by_regulation: Vec::new(),
        }
    }

    /// Record the duties found, in regulation order (and index them by role for the role pages,
    /// by regulation for regulation pages).
    pub fn set_duties(&mut self, mut duties: Vec<Duty>) {
        duties.sort_by_key(|d| d.regulation);
        let mut by_role = vec![Vec::new(); self.roles.len()];
        let mut by_regulation = vec![0..0; self.regulations.len()];
        for (i, d) in duties.iter().enumerate() {
            if let Some(list) = by_role.get_mut(d.role) {
                list.push(i);
            }
            if let Some(range) = by_regulation.get_mut(d.regulation) {
                if range.start == range.end {
                    *range = i..i;
                }
                range.end = i + 1;
            }
        }
        self.duties = duties;
        self.duties_by_role = by_role;
        self.duties_by_regulation = by_regulation;
    }

    /// The duties that stand in a regulation (an index into `regulations`), in document order.
    pub fn duties_in(&self, regulation: usize) -> &[Duty] {
        self.duties_by_regulation
            .get(regulation)
            .map_or(&[], |r| &self.duties[r.clone()])
    }

    /// The duties of a role (an index into `roles`), in handbook order.
    pub fn duties_of(&self, role: usize) -> impl Iterator<Item = &Duty> + '_ {
        self.duties_by_role
            .get(role)
            .into_iter()
            .flatten()
            .map(move |&i| &self.duties[i])
    }

    /// The role with this name, alias or plain word (an index into `roles`).
    pub fn role_by_name(&self, name: &str) -> Option<usize> {
        role_by_name(&self.roles, name)
    }

    /// Record the resolved references (and index them by target for backlinks).
    pub fn set_references(&mut self, references: Vec<Reference>) {
        let mut incoming: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, r) in references.iter().enumerate() {
            if let Target::Regulation { id, .. } = &r.target {
                incoming.entry(id.clone()).or_default().push(i);
            }
        }
        self.references = references;
        self.incoming = incoming;
    }

    /// References that point at a regulation (any of its clauses), in source order.
    pub fn references_to<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Reference> + 'a {
        self.incoming
            .get(id)
            .into_iter()
            .flatten()
            .map(move |&i| &self.references[i])
    }

    pub fn regulation(&self, id: &str) -> Option<&Regulation> {
        self.by_id.get(id).map(|&i| &self.regulations[i])
    }

    /// Position of a regulation in [`Library::regulations`].
    pub fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.category_index(id).map(|i| &self.categories[i])
    }

    /// Position of a category in [`Library::categories`].
    pub fn category_index(&self, id: &str) -> Option<usize> {
        self.categories.iter().position(|c| c.id == id)
    }

    /// The categories enclosing `category` (an index into `categories`), outermost first, itself
    /// left out: the path a breadcrumb shows.
    pub fn ancestors(&self, category: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut at = self.categories[category].parent;
        while let Some(p) = at {
            out.push(p);
            at = self.categories[p].parent;
        }
        out.reverse();
        out
    }

    /// Procedures attached to a regulation, in order.
    pub fn procedures_of<'a>(
        &'a self,
        regulation: &str,
    ) -> impl Iterator<Item = &'a Procedure> + 'a {
        self.procedures_of_indexed(regulation).map(|(_, p)| p)
    }

    /// Procedures attached to a regulation, in order, with their indices into `procedures`.
    pub fn procedures_of_indexed<'a>(
        &'a self,
        regulation: &str,
    ) -> impl Iterator<Item = (usize, &'a Procedure)> + 'a {
        self.procedures_by_regulation
            .get(regulation)
            .into_iter()
            .flatten()
            .map(move |&i| (i, &self.procedures[i]))
    }

    /// Total number of clauses across the handbook.
    pub fn clause_count(&self) -> usize {
        self.regulations.iter().map(|r| r.clauses.len()).sum()
    }
}

/// Whether `c` is a control character that has no place in a regulation's text nor in a page: C0
/// but tab and newline, DEL, C1. The loader drops them (with a warning), and no output writes them.
pub fn is_stray_control(c: char) -> bool {
    c != '\t' && c != '\n' && c.is_control()
}

/// The form of a title or alias that references are matched on: whitespace (ASCII and full-width)
/// does not count, since converted documents scatter it through titles.
pub fn title_key(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}
