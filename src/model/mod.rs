//! The handbook model: one [`Library`] holding every regulation, category, role, term and procedure.
//!
//! Loading fills it from `content/`; the analysis stage adds each body's parsed tree, its clauses and
//! the references between them. Everything after that (pages, role lists, checklists, print edition,
//! search index) is a pure function of this model.

pub mod body;
pub mod clause;
pub mod duty;
pub mod lifecycle;
pub mod reference;
pub mod versions;

use std::collections::HashMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use body::{Block, BlockKind, Body, LinkTo, Piece, Run, Span};
pub use clause::{Clause, ClauseKind, group_heads};
pub use duty::{Detection, Duty, DutyKind, DutyPlace, RoleOverride};
pub use lifecycle::{ChangeKind, ClauseChange, Lifecycle, RevisionKind, RevisionNote, Version};
pub use reference::{Origin, Reference, Target};
pub use versions::{Family, Timeliness};

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
    /// Dates parsed, successor and predecessors, review, recorded revisions.
    pub lifecycle: Lifecycle,
    /// The versions found in the content's git history, oldest first (empty without git).
    #[serde(skip)]
    pub history: Vec<Version>,
    pub aliases: Vec<String>,
    /// Its former ids (`old_ids:`): each keeps its old address alive as a redirect page, and a
    /// procedure citing one is pointed at the new id (src/content/load/moved.rs).
    #[serde(skip)]
    pub old_ids: Vec<String>,
    pub summary: Option<String>,
    /// Tags and keywords, as other tools' front-matter gives them (`tags:`, `keywords:`).
    pub tags: Vec<String>,
    pub incomplete: bool,
    /// 密级 (`classification:`, a level at or below the site's `publish_level`) and 保密期限
    /// (`secrecy_period:`), printed as GB/T 9704 places them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secrecy_period: Option<String>,
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
            lifecycle: Lifecycle::default(),
            history: Vec::new(),
            aliases: Vec::new(),
            old_ids: Vec::new(),
            summary: None,
            tags: Vec::new(),
            incomplete: false,
            classification: None,
            secrecy_period: None,
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

    /// The whole text of every clause, as a reader sees it under its number: its own paragraphs,
    /// then each clause nested in it (items, sub-items, the articles of a chapter) on a line of its
    /// own, led by its label. One pass over the body; what in-place previews show.
    pub fn clause_full_texts(&self) -> Vec<String> {
        let own = self.doc.clause_texts(self.clauses.len());
        let mut full = own.clone();
        for (j, c) in self.clauses.iter().enumerate() {
            // A nested clause reads as its label, then its heading or first paragraph.
            let mut line = c.label.clone();
            let text = if own[j].is_empty() {
                c.title.as_deref().unwrap_or_default()
            } else {
                own[j].as_str()
            };
            if c.kind == ClauseKind::Article || c.kind.is_division() {
                line.push('\u{3000}');
            }
            line.push_str(text);
            let mut up = c.parent;
            while let Some(p) = up {
                if !full[p].is_empty() {
                    full[p].push('\n');
                }
                full[p].push_str(&line);
                up = self.clauses[p].parent;
            }
        }
        // A chapter or an article that opens with items has no text of its own: its heading.
        for (j, c) in self.clauses.iter().enumerate() {
            if let (true, Some(t)) = (own[j].is_empty(), &c.title) {
                full[j] = if full[j].is_empty() {
                    t.clone()
                } else {
                    format!("{t}\n{}", full[j])
                };
            }
        }
        full
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
            if !c.kind.is_division() {
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

/// The column of a risk register that holds its risk points (廉政风险点); each item gets the anchor
/// `risk-N`, counted through the register, which procedures name in `risk_point:`.
pub const RISK_POINT_COLUMN: &str = "廉政风险点";

impl RiskRegister {
    /// The risk points, in order (anchor `risk-1` is the first).
    pub fn risk_points(&self) -> Vec<&str> {
        self.rows
            .iter()
            .filter_map(|r| r.get(RISK_POINT_COLUMN))
            .flatten()
            .map(String::as_str)
            .collect()
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
    /// Its former ids (`old_ids:`), so that what cites one is withheld with it.
    pub old_ids: Vec<String>,
    pub path: PathBuf,
    /// The front-matter as written (for locating keys in messages).
    pub front_matter: String,
    /// The date it speaks from (`effective`, else `issued`/`date`): a withheld draft of a new
    /// version may share its title with the published versions.
    pub version_date: Option<jiff::civil::Date>,
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
    /// Clauses of `source` that explain a term the text never defines (一岗双责: 一、（四） and 三、
    /// say what it asks): shown, in their own words, where a definition would be — never a
    /// definition the editors wrote.
    #[serde(default)]
    pub explained_in: Vec<String>,
    /// The line of `explained_in:` in terms.yaml (set when loading), where RB142 points.
    #[serde(skip)]
    pub explained_line: usize,
    /// Whether mentions in the text link to the definition (off for words too common to link).
    #[serde(default = "yes")]
    pub link: bool,
}

fn yes() -> bool {
    true
}

/// A value written either alone or as a list (`box: 1138` or `box: [1444, 1447]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

fn one_or_many<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(t) => vec![t],
        OneOrMany::Many(v) => v,
    })
}

/// One step of a procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// Where the step's flowchart box stands in the original document (its line numbers): what the
    /// step rests on when no clause states it.
    #[serde(default, rename = "box", deserialize_with = "one_or_many")]
    pub boxes: Vec<u32>,
    /// A heading for a group of steps (a flowchart's lane); steps with `when:` are grouped under
    /// their choices' labels without one.
    #[serde(default)]
    pub branch: Option<String>,
    /// The step applies only when one of these choices (ids of the procedure's `conditions`) is
    /// taken; empty: always.
    #[serde(default, deserialize_with = "one_or_many")]
    pub when: Vec<String>,
    /// A time limit as the text states it (七个工作日内, 公示期不少于5个工作日).
    #[serde(default)]
    pub time_limit: Option<String>,
    /// Stable id: the procedure id and a hash of the normalised step text (set when loading), so
    /// that an edit elsewhere in the procedure does not move a saved tick to another step.
    #[serde(skip)]
    pub id: String,
    /// `text` and `note` as text runs with their references (filled by the analysis).
    #[serde(skip)]
    pub runs: Vec<Run>,
}

/// A question whose answer decides which steps apply (leave length → approver; amount ≥ 3000元;
/// the “一把手” chart's two kinds of 日常工作). Each choice is one alternative path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub id: String,
    pub question: String,
    /// For a numeric answer (days, 元): the unit shown beside the input; the choice is then taken
    /// from the number by each choice's `max`/`under`.
    #[serde(default)]
    pub unit: Option<String>,
    /// Asked only when one of these choices (of another condition) is taken.
    #[serde(default, deserialize_with = "one_or_many")]
    pub when: Vec<String>,
    #[serde(default)]
    pub clause: Option<String>,
    #[serde(default, rename = "box", deserialize_with = "one_or_many")]
    pub boxes: Vec<u32>,
    pub choices: Vec<Choice>,
}

/// One answer to a [`Condition`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Unique within the procedure (steps name it in `when:`).
    pub id: String,
    /// As the text words it (半天以内, 超过一天或离开白城).
    pub label: String,
    /// A numeric answer up to and including this takes the choice …
    #[serde(default)]
    pub max: Option<f64>,
    /// … or below this (exclusive). A choice with neither takes what the others leave.
    #[serde(default)]
    pub under: Option<f64>,
    #[serde(default)]
    pub clause: Option<String>,
    #[serde(default, rename = "box", deserialize_with = "one_or_many")]
    pub boxes: Vec<u32>,
}

impl Choice {
    fn takes(&self, value: f64) -> bool {
        self.max.is_none_or(|m| value <= m) && self.under.is_none_or(|u| value < u)
    }
}

/// A standing rule shown beside the steps, never ticked (the “一把手” chart's 不直接分管 boxes, 民主生活会).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constraint {
    pub text: String,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub clause: Option<String>,
    #[serde(default, rename = "box", deserialize_with = "one_or_many")]
    pub boxes: Vec<u32>,
}

/// Where a procedure comes from: a flowchart of the original, or clauses written as text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProcedureKind {
    #[default]
    Flowchart,
    Text,
}

/// An ordered procedure (a flowchart, or clauses that prescribe steps), attached to a regulation
/// (`procedures/*.yaml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    pub id: String,
    pub title: String,
    pub regulation: String,
    #[serde(default)]
    pub kind: ProcedureKind,
    #[serde(default)]
    pub clause: Option<String>,
    #[serde(default)]
    pub order: i64,
    /// The original does not number the steps: their order is the editors' reading, said on the page
    /// with `order_note` (what the order rests on).
    #[serde(default)]
    pub editorial_order: bool,
    /// The risk point of a 廉政风险排查登记表 this procedure guards: `regulation-id#risk-N`, the N-th
    /// item of the register's 廉政风险点 column (linked both ways).
    #[serde(default)]
    pub risk_point: Option<String>,
    #[serde(default)]
    pub order_note: Option<String>,
    #[serde(default)]
    pub conditions: Vec<Condition>,
    #[serde(default)]
    pub constraints: Vec<Constraint>,
    pub steps: Vec<Step>,
    #[serde(skip)]
    pub source: Source,
    /// The file as written (for locating references in steps).
    #[serde(skip)]
    pub text: String,
}

/// Answers to a procedure's conditions: condition id → choice id.
pub type Answers = HashMap<String, String>;

impl Procedure {
    /// The choice with this id, and its condition.
    pub fn choice(&self, id: &str) -> Option<(&Condition, &Choice)> {
        self.conditions
            .iter()
            .find_map(|c| c.choices.iter().find(|o| o.id == id).map(|o| (c, o)))
    }

    /// The choice a numeric answer to condition `condition` takes (the first that admits it).
    pub fn choose(&self, condition: &str, value: f64) -> Option<&str> {
        let c = self.conditions.iter().find(|c| c.id == condition)?;
        c.choices
            .iter()
            .find(|o| o.takes(value))
            .map(|o| o.id.as_str())
    }

    /// Whether something with `when` applies under `answers`. Unanswered conditions hide nothing
    /// (every alternative shows until the user chooses); an answered one hides the paths it rules
    /// out, and so does a choice whose own condition is not asked.
    pub fn applies(&self, when: &[String], answers: &Answers) -> bool {
        if when.is_empty() {
            return true;
        }
        let mut by_condition: HashMap<&str, Vec<&str>> = HashMap::new();
        for w in when {
            if let Some((c, _)) = self.choice(w) {
                by_condition.entry(&c.id).or_default().push(w);
            }
        }
        by_condition.into_iter().all(|(cid, ids)| {
            let c = self.conditions.iter().find(|c| c.id == cid);
            let asked = c.is_none_or(|c| self.applies(&c.when, answers));
            asked && answers.get(cid).is_none_or(|a| ids.iter().any(|i| i == a))
        })
    }

    /// The path to an alternative, as the user answers it: the labels of the choices in `when`, each
    /// after the choices its condition is asked on (日常工作 › 一般常规性工作).
    pub fn when_label(&self, when: &[String]) -> String {
        let mut labels = Vec::new();
        for w in when {
            let Some((c, o)) = self.choice(w) else {
                continue;
            };
            let mut path = vec![o.label.as_str()];
            let mut at = c;
            // Conditions are asked only on choices of earlier ones (checked when loading): no loop.
            while let Some((up, upo)) = at.when.first().and_then(|x| self.choice(x)) {
                path.push(upo.label.as_str());
                at = up;
            }
            path.reverse();
            labels.push(path.join(" › "));
        }
        labels.join("、")
    }

    /// The steps that apply under `answers`, in order.
    pub fn steps_for<'a>(&'a self, answers: &'a Answers) -> impl Iterator<Item = &'a Step> + 'a {
        self.steps.iter().filter(|s| self.applies(&s.when, answers))
    }

    /// Give every step its stable id (see [`Step::id`]); a repeated text gets `-2`, `-3` ….
    pub fn assign_step_ids(&mut self) {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for s in &mut self.steps {
            let base = format!("{}-{}", self.id, step_hash(&s.text));
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            s.id = if *n == 1 { base } else { format!("{base}-{n}") };
        }
    }
}

/// Six hex digits of FNV-1a over a step text with its white space removed: stable across builds,
/// platforms and Rust versions (the std hasher is not), and blind to re-wrapping.
pub fn step_hash(text: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in title_key(text).bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{:06x}", h & 0x00ff_ffff)
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
    /// The day the handbook is built for: what is in force, not yet effective or overdue is
    /// decided against it. An input of the build (`--as-of`, `SOURCE_DATE_EPOCH`, or the clock read
    /// once when the build starts — see `site::build_day`); renderers never read the clock.
    pub today: jiff::civil::Date,
    /// The titles regulation files that failed to load go by (read from their front-matter, first
    /// heading or file name; set by the build): a 《name》 near one of them is not reported as
    /// unknown while they fail, and every other is.
    #[serde(skip)]
    pub failed_titles: Vec<String>,
    /// The day of an `--as-of` build (then equal to `today`): every page says which day it shows.
    /// `None` for a build of the content as it is.
    pub as_of: Option<jiff::civil::Date>,
    /// Regulations kept as one file per version (see [`versions`]), oldest first.
    pub families: Vec<Family>,
    /// Regulation index → its family, if it is one of several versions.
    #[serde(skip)]
    family_of: Vec<Option<usize>>,
    /// Duties whose actor is uncertain (`Duty::pending`): listed for the editors, published nowhere.
    pub pending: Vec<Duty>,
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
    /// The versions regulation `i` is one of (oldest first), if it is one of several.
    pub fn family(&self, i: usize) -> Option<&Family> {
        self.family_of
            .get(i)
            .copied()
            .flatten()
            .map(|f| &self.families[f])
    }

    /// The version of regulation `i` that a text dated `on` cites (see [`Family::cited_on`]): `i`
    /// itself unless it is one of several versions.
    pub fn cited_version(&self, i: usize, on: Option<jiff::civil::Date>) -> usize {
        self.family(i)
            .map_or(i, |f| f.cited_on(&self.regulations, on, self.today))
    }

    /// The address of the regulation as a whole that regulation `i` is shown at on the build's day
    /// (see [`Family::address`]): `Some` only for the version the family's address shows.
    pub fn whole_address(&self, i: usize) -> Option<&str> {
        let f = self.family(i)?;
        let address = f.address.as_deref()?;
        (f.shown(&self.regulations, self.today) == i).then_some(address)
    }

    /// Where regulation `i` stands on the build's day (时效性).
    pub fn timeliness(&self, i: usize) -> Timeliness {
        versions::timeliness(&self.regulations, self.family(i), i, self.today)
    }

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
        let (families, family_of) = versions::families(&regulations);
        Library {
            config,
            families,
            family_of,
            regulations,
            categories,
            roles,
            terms,
            procedures,
            references: Vec::new(),
            duties: Vec::new(),
            // The build sets the day it is for (`Site::load`); a library made in memory is for a
            // fixed day, so its output does not depend on when it was made.
            today: jiff::civil::date(1970, 1, 1),
            failed_titles: Vec::new(),
            pending: Vec::new(),
            as_of: None,
            by_id,
            procedures_by_regulation,
            incoming: HashMap::new(),
            duties_by_role: Vec::new(),
            duties_by_regulation: Vec::new(),
        }
    }

    /// Record the duties found, in regulation order (and index them by role for the role pages,
    /// by regulation for regulation pages).
    /// Pending duties (`Duty::pending`) go to `pending`, not into the indexes.
    pub fn set_duties(&mut self, duties: Vec<Duty>) {
        let (mut duties, mut pending): (Vec<Duty>, Vec<Duty>) =
            duties.into_iter().partition(|d| !d.pending);
        duties.sort_by_key(|d| d.regulation);
        pending.sort_by_key(|d| d.regulation);
        self.pending = pending;
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

    /// Every duty, published and pending (to analyse one regulation again).
    pub fn take_duties(&mut self) -> Vec<Duty> {
        let mut all = std::mem::take(&mut self.duties);
        all.append(&mut self.pending);
        all
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

    /// The file a duty was found in: its procedure's for a checklist step, else its regulation's
    /// (shown relative to the root, as in messages).
    pub fn duty_source(&self, d: &Duty) -> &std::path::Path {
        match d.place {
            DutyPlace::Step { procedure, .. } => &self.procedures[procedure].source.path,
            _ => &self.regulations[d.regulation].source.path,
        }
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

    /// The text of a risk point named `regulation-id#risk-N` (see [`RISK_POINT_COLUMN`]), if that
    /// register has it.
    pub fn risk_point(&self, reference: &str) -> Option<&str> {
        let (id, anchor) = reference.split_once('#')?;
        let n: usize = anchor.strip_prefix("risk-")?.parse().ok()?;
        let points = self.regulation(id)?.risk_register.as_ref()?.risk_points();
        n.checked_sub(1).and_then(|i| points.get(i).copied())
    }

    /// Procedures in which a role (a `roles.yaml` name) does a step or is bound by a standing rule,
    /// in order: what a role's page lists as its checklists.
    pub fn procedures_with_role<'a>(
        &'a self,
        role: &'a str,
    ) -> impl Iterator<Item = &'a Procedure> + 'a {
        self.procedures.iter().filter(move |p| {
            p.steps.iter().any(|s| s.role.as_deref() == Some(role))
                || p.constraints
                    .iter()
                    .any(|c| c.role.as_deref() == Some(role))
        })
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
/// does not count, since converted documents scatter it through titles; a title inside a title is
/// the same written 〈…〉 or 《…》 (关于适用〈中华人民共和国民事诉讼法〉的解释, as it is cited inside
/// 《》, and as converters often write it in the front-matter).
pub fn title_key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '〈' => '《',
            '〉' => '》',
            c => c,
        })
        .collect()
}

/// The short name a law is cited by, from its title: 中华人民共和国刑法 → 刑法 (None for other
/// titles, or when what is left is too short to be a name). References resolve 刑法第十条 by it
/// (as by an alias) when no other document has the same short name.
pub fn short_title(title: &str) -> Option<String> {
    let rest = title.strip_prefix("中华人民共和国")?;
    (rest.chars().count() >= 2 && !rest.contains(['《', '》', '〈', '〉']))
        .then(|| rest.to_string())
}
