//! Who does what: the role index (`roles/index.html`), a page per role (`roles/<id>.html`), a page
//! per person the text names as a holder (`people/<name>.html`) and the matrix of regulations and
//! roles (`roles/matrix.html`), all read from [`Library::duties`] and the risk registers.
//!
//! Lists are capped (with "and N more") so no page grows with the size of the handbook; the caps
//! of the matrix and of the role pages agree, so every cell of the matrix links to a group that the
//! role's page shows.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::context::base_context;
use super::links::{
    duty_link, encode_segment, person_href, person_path, regulation_href, role_href, role_path,
};
use super::minify::page;
use super::theme::Theme;
use crate::error::Result;
use crate::model::{Detection, Duty, DutyKind, DutyPlace, Library, ROLE_KINDS, Regulation, Role};
use crate::output::write::Sink;

/// Regulations a role page lists duties of, and rows of the matrix: the same number, so a matrix
/// cell always has its group on the role's page.
pub(crate) const ROLE_REGULATIONS: usize = 200;
/// Duties listed per regulation on a role page (the regulation's page has them all).
pub(crate) const DUTIES_PER_REGULATION: usize = 50;
/// Procedure steps and risk rows listed on a role or person page.
pub(crate) const STEPS_SHOWN: usize = 100;
pub(crate) const RISKS_SHOWN: usize = 50;
/// People listed on the role index (each has a page of their own).
pub(crate) const PEOPLE_SHOWN: usize = 200;

/// The register column that holds the risk points of a row.
const RISK_POINTS: &str = "廉政风险点";
/// The register column that names the person responsible for a row.
const RESPONSIBLE: &str = "责任人";

/// The id of a regulation's group on a role page (`roles/chuna.html#reg-caiwu-guanli`).
pub(crate) fn group_id(regulation: &str) -> String {
    format!("reg-{regulation}")
}

/// The href of a role's page from a page `up` from the root, at its group for a regulation.
pub(crate) fn role_group_href(role: &Role, regulation: &str, up: &str) -> String {
    format!(
        "{up}{}#{}",
        role_href(&role.id),
        encode_segment(&group_id(regulation))
    )
}

/// A person's name as the id of their page: the text writes names with spaces in them (康　睿).
pub(crate) fn person_key(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether a duty stands in the regulation's own text (clauses, preamble, register) rather than a
/// procedure step: what the matrix counts and the role page groups by regulation.
fn in_text(d: &Duty) -> bool {
    !matches!(d.place, DutyPlace::Step { .. })
}

/// A regulation's title as lists show it: with its subtitle, which tells documents of one title
/// apart (the two 领导班子成员 registers).
fn display_title(lib: &Library, r: &Regulation) -> String {
    match &r.subtitle {
        Some(s) => format!("{}{}", r.title, lib.config.paren(s)),
        None => r.title.clone(),
    }
}

fn kind_label(lib: &Library, kind: Option<&str>) -> String {
    lib.config
        .string(&format!("role_kind_{}", kind.unwrap_or("other")))
}

#[derive(Serialize)]
struct DutyCtx {
    label: String,
    href: String,
    kind: DutyKind,
    kind_label: String,
    excerpt: String,
    /// What marks how it was found: an editor's assignment, or a plain word (主任) taken for it.
    note: Option<String>,
}

fn duty_ctx(lib: &Library, d: &Duty, up: &str) -> DutyCtx {
    let (label, href) = duty_link(lib, d, up);
    let note = match &d.detection {
        Detection::Assigned => Some(lib.config.string("duty_assigned")),
        Detection::Plain { word, .. } => {
            Some(lib.config.string("duty_plain").replace("{word}", word))
        }
        Detection::Named { .. } | Detection::StepRole => None,
    };
    DutyCtx {
        label,
        href,
        kind: d.kind,
        kind_label: if d.kind == DutyKind::Unclassified {
            String::new()
        } else {
            lib.config.string(d.kind.key())
        },
        excerpt: d.excerpt.clone(),
        note,
    }
}

#[derive(Serialize)]
struct Group {
    id: String,
    title: String,
    href: String,
    count: usize,
    duties: Vec<DutyCtx>,
    more: Option<String>,
}

#[derive(Serialize)]
struct Link {
    name: String,
    href: String,
}

#[derive(Serialize)]
struct RiskRow {
    points: Vec<String>,
    /// (column, names) of the columns that say who answers for the row.
    who: Vec<(String, String)>,
}

#[derive(Serialize)]
struct RiskCtx {
    title: String,
    href: String,
    /// Why it is listed: the register is the role's or person's own, or names them in a column.
    why: String,
    rows: Vec<RiskRow>,
}

fn and_more(lib: &Library, total: usize) -> String {
    lib.config
        .string("and_more")
        .replace("{n}", &total.to_string())
}

/// The roles a register's columns name (分管领导): each answers for the rows of its column.
fn column_role(lib: &Library, column: &str) -> Option<usize> {
    lib.role_by_name(column)
}

/// The role whose register a regulation is: the longest role name or alias its title begins with
/// (办公室廉政风险排查登记表 is the 办公室's, 领导班子成员…登记表 the 班子成员's).
fn register_owner(lib: &Library, reg: &Regulation) -> Option<usize> {
    reg.risk_register.as_ref()?;
    let title = person_key(&reg.title);
    lib.roles
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            std::iter::once(&r.name)
                .chain(&r.aliases)
                .map(move |n| (i, person_key(n)))
        })
        .filter(|(_, n)| !n.is_empty() && title.starts_with(n.as_str()))
        .max_by_key(|(_, n)| n.len())
        .map(|(i, _)| i)
}

fn risk_row(reg: &Regulation, row: &HashMap<String, Vec<String>>, lib: &Library) -> RiskRow {
    let rr = reg.risk_register.as_ref();
    let who = rr
        .map(|rr| {
            rr.columns
                .iter()
                .filter(|c| c.as_str() == RESPONSIBLE || column_role(lib, c).is_some())
                .filter_map(|c| {
                    let names = row.get(c)?;
                    (!names.is_empty())
                        .then(|| (c.clone(), names.join(&lib.config.string("list_sep"))))
                })
                .collect()
        })
        .unwrap_or_default();
    RiskRow {
        points: row.get(RISK_POINTS).cloned().unwrap_or_default(),
        who,
    }
}

/// Everything the role pages share: which regulations are registers of which role.
struct Registers {
    /// Role → regulation indices whose register is the role's.
    owned: HashMap<usize, Vec<usize>>,
    /// Role → (regulation, row) of rows a column named like the role fills.
    by_column: HashMap<usize, Vec<(usize, usize)>>,
    /// Person → regulations they filled in.
    filled: HashMap<String, Vec<usize>>,
    /// Person → (regulation, row, column) of rows a 责任人 or role-named column names them in.
    named: HashMap<String, Vec<(usize, usize, String)>>,
}

fn registers(lib: &Library) -> Registers {
    let mut r = Registers {
        owned: HashMap::new(),
        by_column: HashMap::new(),
        filled: HashMap::new(),
        named: HashMap::new(),
    };
    for (i, reg) in lib.regulations.iter().enumerate() {
        let Some(rr) = &reg.risk_register else {
            continue;
        };
        if let Some(owner) = register_owner(lib, reg) {
            r.owned.entry(owner).or_default().push(i);
        }
        if let Some(p) = &rr.filled_by {
            r.filled.entry(person_key(p)).or_default().push(i);
        }
        for (ri, row) in rr.rows.iter().enumerate() {
            for c in &rr.columns {
                let role = column_role(lib, c);
                if c != RESPONSIBLE && role.is_none() {
                    continue;
                }
                let Some(names) = row.get(c).filter(|n| !n.is_empty()) else {
                    continue;
                };
                if let Some(role) = role {
                    r.by_column.entry(role).or_default().push((i, ri));
                }
                for n in names {
                    r.named
                        .entry(person_key(n))
                        .or_default()
                        .push((i, ri, c.clone()));
                }
            }
        }
    }
    r
}

/// Everyone a role of roles.yaml names as holder, or a register names (填表人, 责任人, 分管领导 …), in
/// the order first met.
fn people(lib: &Library, regs: &Registers) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |n: &str| {
        let k = person_key(n);
        if !k.is_empty() && !out.contains(&k) {
            out.push(k);
        }
    };
    for r in &lib.roles {
        r.holders.iter().for_each(|h| add(h));
    }
    for reg in &lib.regulations {
        if let Some(p) = reg
            .risk_register
            .as_ref()
            .and_then(|rr| rr.filled_by.as_deref())
        {
            add(p);
        }
    }
    let mut named: Vec<&String> = regs.named.keys().collect();
    named.sort();
    for n in named {
        add(n);
    }
    out
}

#[derive(Serialize)]
struct RoleItem {
    id: String,
    name: String,
    href: String,
    aliases: Vec<String>,
    holders: Vec<Link>,
    count: usize,
}

#[derive(Serialize)]
struct KindGroup {
    kind: String,
    title: String,
    roles: Vec<RoleItem>,
}

/// Role indices grouped by kind, in the order of [`ROLE_KINDS`] (roles without a kind last).
fn by_kind(lib: &Library) -> Vec<(Option<&str>, Vec<usize>)> {
    let mut groups: Vec<(Option<&str>, Vec<usize>)> = ROLE_KINDS
        .iter()
        .map(|k| (Some(*k), Vec::new()))
        .chain(std::iter::once((None, Vec::new())))
        .collect();
    for (i, r) in lib.roles.iter().enumerate() {
        if !has_page(lib, i) {
            continue;
        }
        let at = r
            .kind
            .as_deref()
            .and_then(|k| ROLE_KINDS.iter().position(|x| *x == k))
            .unwrap_or(ROLE_KINDS.len());
        groups[at].1.push(i);
    }
    groups.retain(|(_, v)| !v.is_empty());
    groups
}

fn holder_links(r: &Role, up: &str) -> Vec<Link> {
    r.holders
        .iter()
        .map(|h| Link {
            name: h.clone(),
            href: format!("{up}{}", person_href(&person_key(h))),
        })
        .collect()
}

/// The role index, a page per role and per person, and the matrix.
/// Whether the handbook has role pages: roles in roles.yaml, or risk registers naming people. A
/// handbook with neither (an English one without roles.yaml) gets no empty role index.
pub(crate) fn has_roles(lib: &Library) -> bool {
    !lib.roles.is_empty() || lib.regulations.iter().any(|r| r.risk_register.is_some())
}

/// Whether role `i` has a page: something to show — a duty (in the text or a procedure step) or a
/// holder. A role roles.yaml lists but no text gives anything gets no empty page and no link.
pub(crate) fn has_page(lib: &Library, i: usize) -> bool {
    lib.duties_of(i).next().is_some() || !lib.roles[i].holders.is_empty()
}

/// What a role page quotes of a step: the step's text, unless the role acts only in the step's
/// note. 发展党员 step 6 reads 培养联系人…对入党积极分子进行…考察 (the 入党积极分子 acted upon) and its
/// note 入党积极分子每三个月向党支部作书面形式思想汇报: the 入党积极分子's page quotes the note's
/// sentence, the one they act in, not the text that examines them.
fn step_text<'a>(s: &'a crate::model::Step, d: &'a Duty) -> &'a str {
    let core = d.excerpt.trim_matches('…');
    match s.note.as_deref() {
        Some(note) if !core.is_empty() && note.contains(core) && !s.text.contains(core) => {
            &d.excerpt
        }
        _ => &s.text,
    }
}

pub(crate) fn render(lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
    if !has_roles(lib) {
        return Ok(());
    }
    let regs = registers(lib);
    let people = people(lib, &regs);

    // The index.
    let mut ctx = base_context(lib, theme, "../", None)?;
    ctx.insert("page_kind", "roles");
    let groups: Vec<KindGroup> = by_kind(lib)
        .into_iter()
        .map(|(kind, roles)| KindGroup {
            kind: kind.unwrap_or("other").to_string(),
            title: kind_label(lib, kind),
            roles: roles
                .into_iter()
                .map(|i| {
                    let r = &lib.roles[i];
                    RoleItem {
                        id: r.id.clone(),
                        name: r.name.clone(),
                        href: format!("../{}", role_href(&r.id)),
                        aliases: r.aliases.clone(),
                        holders: holder_links(r, "../"),
                        count: lib.duties_of(i).count(),
                    }
                })
                .collect(),
        })
        .collect();
    ctx.insert("groups", &groups);
    // Registers may name people by the thousand in a large handbook: the index lists the first.
    let people_links: Vec<Link> = people
        .iter()
        .take(PEOPLE_SHOWN)
        .map(|p| Link {
            name: p.clone(),
            href: format!("../{}", person_href(p)),
        })
        .collect();
    ctx.insert("people", &people_links);
    if people.len() > PEOPLE_SHOWN {
        ctx.insert("people_more", &and_more(lib, people.len()));
    }
    sink.put(
        "roles/index.html",
        &page(&theme.render("roles.html", &ctx)?),
    )?;

    // A page per role.
    for (i, role) in lib.roles.iter().enumerate() {
        if !has_page(lib, i) {
            continue;
        }
        let mut ctx = base_context(lib, theme, "../", None)?;
        ctx.insert("page_kind", "role");
        let mut groups: Vec<Group> = Vec::new();
        let mut by_reg: BTreeMap<usize, usize> = BTreeMap::new();
        let mut steps = Vec::new();
        let mut steps_total = 0;
        let mut regs_total = 0;
        for d in lib.duties_of(i) {
            if !in_text(d) {
                steps_total += 1;
                if steps.len() < STEPS_SHOWN {
                    let (label, href) = duty_link(lib, d, "../");
                    let DutyPlace::Step { procedure, step } = d.place else {
                        continue;
                    };
                    let s = &lib.procedures[procedure].steps[step];
                    steps.push(serde_json::json!({
                        "label": label, "href": href, "text": step_text(s, d),
                        "kind_label": if d.kind == DutyKind::Unclassified { String::new() } else { lib.config.string(d.kind.key()) },
                        "regulation": lib.regulations[d.regulation].title,
                    }));
                }
                continue;
            }
            let g = match by_reg.get(&d.regulation) {
                Some(&g) => g,
                None => {
                    regs_total += 1;
                    if groups.len() >= ROLE_REGULATIONS {
                        continue;
                    }
                    let reg = &lib.regulations[d.regulation];
                    by_reg.insert(d.regulation, groups.len());
                    groups.push(Group {
                        id: group_id(&reg.id),
                        title: display_title(lib, reg),
                        href: format!("../{}", regulation_href(&reg.id)),
                        count: 0,
                        duties: Vec::new(),
                        more: None,
                    });
                    groups.len() - 1
                }
            };
            let group = &mut groups[g];
            group.count += 1;
            if group.duties.len() < DUTIES_PER_REGULATION {
                group.duties.push(duty_ctx(lib, d, "../"));
            }
        }
        for g in &mut groups {
            if g.count > g.duties.len() {
                g.more = Some(and_more(lib, g.count));
            }
        }
        let mut risks = Vec::new();
        let mut risks_total = 0;
        for &reg in regs.owned.get(&i).into_iter().flatten() {
            let r = &lib.regulations[reg];
            let rows: Vec<RiskRow> = r
                .risk_register
                .iter()
                .flat_map(|rr| &rr.rows)
                .map(|row| risk_row(r, row, lib))
                .collect();
            risks_total += rows.len();
            if risks.len() < RISKS_SHOWN {
                risks.push(RiskCtx {
                    title: display_title(lib, r),
                    href: format!("../{}#risk-register", regulation_href(&r.id)),
                    why: lib.config.string("risk_own_register"),
                    rows,
                });
            }
        }
        for &(reg, row) in regs.by_column.get(&i).into_iter().flatten() {
            risks_total += 1;
            if risks.len() >= RISKS_SHOWN {
                continue;
            }
            let r = &lib.regulations[reg];
            let Some(rr) = &r.risk_register else { continue };
            risks.push(RiskCtx {
                title: r.title.clone(),
                href: format!("../{}#risk-register", regulation_href(&r.id)),
                why: lib
                    .config
                    .string("risk_column")
                    .replace("{column}", &role.name),
                rows: vec![risk_row(r, &rr.rows[row], lib)],
            });
        }
        ctx.insert(
            "role",
            &serde_json::json!({
                "id": role.id, "name": role.name, "aliases": role.aliases, "plain": role.plain,
                "kind": role.kind.as_deref().unwrap_or("other"),
                "kind_label": kind_label(lib, role.kind.as_deref()),
                "holders": holder_links(role, "../"),
                "count": lib.duties_of(i).count(),
                "text_count": lib.duties_of(i).filter(|d| in_text(d)).count(),
            }),
        );
        ctx.insert("groups", &groups);
        if regs_total > groups.len() {
            ctx.insert("groups_more", &and_more(lib, regs_total));
        }
        ctx.insert("steps", &steps);
        // The checklists it takes part in (src/render/checklists.rs).
        let checklists: Vec<serde_json::Value> = lib
            .procedures_with_role(&role.name)
            .map(|p| {
                serde_json::json!({
                    "title": p.title,
                    "href": format!("../{}", super::checklists::checklist_href(&p.id)),
                    "regulation": lib.regulation(&p.regulation).map(|r| r.title.as_str()),
                })
            })
            .collect();
        ctx.insert("checklists", &checklists);
        if steps_total > steps.len() {
            ctx.insert("steps_more", &and_more(lib, steps_total));
        }
        ctx.insert("risks", &risks);
        if risks_total > RISKS_SHOWN {
            ctx.insert("risks_more", &and_more(lib, risks_total));
        }
        sink.put(
            &role_path(&role.id),
            &page(&theme.render("role.html", &ctx)?),
        )?;
    }

    // A page per person.
    for p in &people {
        let mut ctx = base_context(lib, theme, "../", None)?;
        ctx.insert("page_kind", "person");
        let roles: Vec<Link> = lib
            .roles
            .iter()
            .filter(|r| r.holders.iter().any(|h| person_key(h) == *p))
            .map(|r| Link {
                name: r.name.clone(),
                href: format!("../{}", role_href(&r.id)),
            })
            .collect();
        // Each register once: the whole of one they filled in, else the rows that name them; why
        // it is theirs says every way it is (填表人, 责任人 …).
        let mut risks: Vec<RiskCtx> = Vec::new();
        let mut at: HashMap<usize, usize> = HashMap::new();
        for &reg in regs.filled.get(p).into_iter().flatten() {
            let r = &lib.regulations[reg];
            let Some(rr) = &r.risk_register else { continue };
            if risks.len() >= RISKS_SHOWN {
                break;
            }
            at.insert(reg, risks.len());
            risks.push(RiskCtx {
                title: display_title(lib, r),
                href: format!("../{}#risk-register", regulation_href(&r.id)),
                why: format!(
                    "{}：{p}",
                    rr.filled_by_label
                        .clone()
                        .unwrap_or_else(|| lib.config.string("filled_by"))
                ),
                rows: rr.rows.iter().map(|row| risk_row(r, row, lib)).collect(),
            });
        }
        let mut whole: Vec<bool> = vec![true; risks.len()];
        for (reg, row, column) in regs.named.get(p).into_iter().flatten() {
            let r = &lib.regulations[*reg];
            let Some(rr) = &r.risk_register else { continue };
            let why = format!("{column}：{p}");
            match at.get(reg) {
                Some(&k) => {
                    if !risks[k].why.contains(&why) {
                        risks[k].why = format!("{}；{why}", risks[k].why);
                    }
                    if !whole[k] && risks[k].rows.len() < RISKS_SHOWN {
                        risks[k].rows.push(risk_row(r, &rr.rows[*row], lib));
                    }
                }
                None if risks.len() < RISKS_SHOWN => {
                    at.insert(*reg, risks.len());
                    whole.push(false);
                    risks.push(RiskCtx {
                        title: display_title(lib, r),
                        href: format!("../{}#risk-register", regulation_href(&r.id)),
                        why,
                        rows: vec![risk_row(r, &rr.rows[*row], lib)],
                    });
                }
                None => {}
            }
        }
        ctx.insert("person", p);
        ctx.insert("roles", &roles);
        ctx.insert("risks", &risks);
        sink.put(&person_path(p), &page(&theme.render("person.html", &ctx)?))?;
    }

    matrix(lib, theme, sink)
}

#[derive(Serialize)]
struct MatrixRow {
    title: String,
    href: String,
    /// Per column: the count and the link to the role's group, or nothing.
    cells: Vec<Option<(usize, String)>>,
}

/// Regulations × roles: how many duties each regulation's text gives each role, each cell a link
/// to that role's duties in that regulation.
fn matrix(lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
    let order: Vec<usize> = by_kind(lib).into_iter().flat_map(|(_, v)| v).collect();
    // Columns: the roles with a duty in some regulation's text.
    let mut has = vec![false; lib.roles.len()];
    for d in lib.duties.iter().filter(|d| in_text(d)) {
        has[d.role] = true;
    }
    let columns: Vec<usize> = order.into_iter().filter(|&r| has[r]).collect();
    let mut rows = Vec::new();
    let mut total = 0;
    for (i, reg) in lib.regulations.iter().enumerate() {
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for d in lib.duties_in(i).iter().filter(|d| in_text(d)) {
            *counts.entry(d.role).or_default() += 1;
        }
        if counts.is_empty() {
            continue;
        }
        total += 1;
        if rows.len() >= ROLE_REGULATIONS {
            continue;
        }
        rows.push(MatrixRow {
            title: display_title(lib, reg),
            href: format!("../{}", regulation_href(&reg.id)),
            cells: columns
                .iter()
                .map(|&r| {
                    counts
                        .get(&r)
                        .map(|&n| (n, role_group_href(&lib.roles[r], &reg.id, "../")))
                })
                .collect(),
        });
    }
    let mut ctx = base_context(lib, theme, "../", None)?;
    ctx.insert("page_kind", "matrix");
    let heads: Vec<Link> = columns
        .iter()
        .map(|&r| Link {
            name: lib.roles[r].name.clone(),
            href: format!("../{}", role_href(&lib.roles[r].id)),
        })
        .collect();
    ctx.insert("columns", &heads);
    ctx.insert("rows", &rows);
    if total > rows.len() {
        ctx.insert("rows_more", &and_more(lib, total));
    }
    sink.put(
        "roles/matrix.html",
        &page(&theme.render("role_matrix.html", &ctx)?),
    )
}
