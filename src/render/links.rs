//! Where links go: page paths, hrefs of reference targets, and capped lists of citing places.

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::model::{Duty, DutyPlace, Library, Origin, Reference, Target};
use crate::url;

/// Where a regulation's page is in the output: its id as it is, so the file on disk has the
/// readable name (`regulations/测试 办法.html`).
pub fn regulation_path(id: &str) -> String {
    format!("regulations/{id}.html")
}

/// The page of a category in the output.
pub fn category_path(id: &str) -> String {
    format!("categories/{id}.html")
}

/// Where a role's page is in the output.
pub fn role_path(id: &str) -> String {
    format!("roles/{id}.html")
}

/// The site-relative href of a role's page.
pub fn role_href(id: &str) -> String {
    format!("roles/{}.html", encode_segment(id))
}

/// Where a person's page is in the output: the name as it is (people have no other id).
pub fn person_path(name: &str) -> String {
    format!("people/{name}.html")
}

/// The site-relative href of a person's page.
pub fn person_href(name: &str) -> String {
    format!("people/{}.html", encode_segment(name))
}

/// The site-relative href of a regulation's page: [`regulation_path`] with the id percent-encoded.
pub fn regulation_href(id: &str) -> String {
    format!("regulations/{}.html", encode_segment(id))
}

/// The site-relative href of a category's page.
pub fn category_href(id: &str) -> String {
    format!("categories/{}.html", encode_segment(id))
}

/// A path segment as RFC 3986 writes it: unreserved characters, sub-delimiters, `:` and `@` as they
/// are, every other byte of the UTF-8 (space, `%`, `#`, `?`, Chinese, 《》 …) percent-encoded. An
/// ASCII id such as `caiwu-guanli` is unchanged.
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A clause that explains a term without a definition (`explained_in:` of terms.yaml).
pub(crate) struct Explanation {
    /// As people cite it: 《title》一、（四）.
    pub citation: String,
    /// Site-relative: `regulations/<id>.html#<anchor>`.
    pub href: String,
    /// The clause's own words (its paragraphs, not its items).
    pub text: String,
}

/// The clauses that explain `term` (none when it has a definition: the definition is what shows).
/// An anchor its regulation does not have was reported when loading (RB142) and is left out.
pub(crate) fn term_explanations(lib: &Library, term: &crate::model::Term) -> Vec<Explanation> {
    if term.definition.is_some() {
        return Vec::new();
    }
    let Some(r) = term.source.as_deref().and_then(|s| lib.regulation(s)) else {
        return Vec::new();
    };
    term.explained_in
        .iter()
        .filter_map(|anchor| {
            let i = r.clause_index(anchor)?;
            Some(Explanation {
                citation: format!(
                    "{}{}",
                    lib.config.quoted(&r.title),
                    r.citation(anchor).unwrap_or_default()
                ),
                href: format!("{}#{anchor}", regulation_href(&r.id)),
                text: r.doc.clause_text(i),
            })
        })
        .collect()
}

/// Whether a reference target has a page to link to. A role with nothing to show (its duties all
/// 待确认, no holder) gets no page ([`super::roles::has_page`]), so its name stays text wherever
/// it is written: regulation pages, the print edition, checklists. Every other target has a page.
pub(crate) fn linkable(lib: &Library, target: &Target) -> bool {
    match target {
        Target::Role { id } => lib
            .roles
            .iter()
            .position(|r| &r.id == id)
            .is_some_and(|i| super::roles::has_page(lib, i)),
        _ => true,
    }
}

/// Page-relative href of a reference target. `up` leads from the page to the site root; `here` is
/// the regulation whose page this is, if any.
pub fn target_href(lib: &Library, target: &Target, up: &str, here: Option<&str>) -> String {
    match target {
        Target::Regulation { id, anchor } => {
            let fragment = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
            if here == Some(id.as_str()) {
                if fragment.is_empty() {
                    "#top".into()
                } else {
                    fragment
                }
            } else {
                // An undated text cites the regulation as a whole, not a version of it: its link
                // goes to the regulation's own address, which shows the version in force on the
                // build's day (a dated text's link goes to the version in force on its date).
                let undated = here
                    .and_then(|h| lib.regulation(h))
                    .is_some_and(|r| crate::model::versions::version_date(r).is_none());
                let page = lib
                    .position(id)
                    .filter(|_| undated)
                    .and_then(|i| lib.whole_address(i))
                    .unwrap_or(id);
                format!("{up}{}{fragment}", regulation_href(page))
            }
        }
        Target::Term { term } => {
            let t = lib.terms.iter().find(|t| &t.term == term);
            match t.and_then(|t| t.source.as_deref().map(|s| (s, t.clause.as_deref()))) {
                Some((src, clause)) if lib.regulation(src).is_some() => {
                    let fragment = clause.map(|c| format!("#{c}")).unwrap_or_default();
                    if here == Some(src) {
                        fragment
                    } else {
                        format!("{up}{}{fragment}", regulation_href(src))
                    }
                }
                _ => format!("{up}glossary.html#term-{term}"),
            }
        }
        Target::External { name, .. } => {
            match lib
                .config
                .external
                .get(name)
                .and_then(|d| configured_href(d, up))
            {
                Some(href) => href,
                None => format!("{up}basis.html#ext-{name}"),
            }
        }
        Target::Role { id } => format!("{up}{}", role_href(id)),
        Target::Form { name } => {
            match lib
                .config
                .forms
                .get(name)
                .and_then(|d| configured_href(d, up))
            {
                Some(href) => href,
                None => format!("{up}forms.html#form-{name}"),
            }
        }
    }
}

/// The href of a site.yaml `external:` or `forms:` value: a URL as it is (if the URL policy allows
/// it: site.yaml with any other is refused when loaded), a file under content/ where it is published
/// (files/…); `None` for anything else.
pub(crate) fn configured_href(dest: &str, up: &str) -> Option<String> {
    if url::scheme(dest).is_some() {
        return url::allowed(dest).then(|| dest.to_string());
    }
    let path = url::output_path(dest)?;
    Some(format!("{up}{}", encode_path(&path)))
}

/// A file path as a URL path: each segment percent-encoded as [`encode_segment`] does.
fn encode_path(path: &str) -> String {
    path.split('/')
        .map(encode_segment)
        .collect::<Vec<_>>()
        .join("/")
}

pub(crate) fn target_class(target: &Target) -> &'static str {
    match target {
        Target::Regulation { .. } => "xref",
        Target::Term { .. } => "term",
        Target::External { .. } => "cite",
        Target::Form { .. } => "form",
        Target::Role { .. } => "role",
    }
}

/// The attributes the in-place preview (`assets/preview.js`) and print read from a reference's
/// link: the glossary term (its text may be an alias), or the cited document's name and article;
/// for a clause, what print adds after the link (`（见《title》五、）`, the `print_cite` string),
/// since on paper there is neither a preview nor a link to follow. The preview needs nothing more
/// for a clause: the href says which file holds it.
pub(crate) fn preview_attrs(lib: &Library, target: &Target, out: &mut String) {
    use super::markdown::attr_into;
    // A version of a regulation that is not the one in force on the build's day (a citation
    // resolves to the version in force when the citing text was written): the preview says so.
    if let Target::Regulation { id, .. } = target
        && let Some(i) = lib.position(id)
        && let Some(family) = lib.family(i)
        && family.in_force_on(&lib.regulations, lib.today) != Some(i)
    {
        let r = &lib.regulations[i];
        let when = crate::model::versions::version_label(r).unwrap_or("");
        let text = lib.config.string("cited_version").replace("{date}", when);
        attr_into("data-version", &text, out);
    }
    match target {
        Target::Regulation {
            id,
            anchor: Some(anchor),
        } => {
            let cited = lib.regulation(id).and_then(|r| {
                Some(format!(
                    "{}{}",
                    lib.config.quoted(&r.title),
                    r.citation(anchor)?
                ))
            });
            if let Some(cited) = cited {
                let text = lib.config.string("print_cite").replace("{cite}", &cited);
                attr_into("data-cite", &text, out);
            }
        }
        Target::Term { term } => attr_into("data-term", term, out),
        Target::External { name, article } => {
            attr_into("data-ext", name, out);
            if let Some(a) = article {
                attr_into("data-art", a, out);
            }
        }
        _ => {}
    }
}

/// Where a reference stands, as a link from a page `up` from the root (label, href).
pub(crate) fn source_link(
    lib: &Library,
    r: &Reference,
    up: &str,
    here: Option<&str>,
) -> (String, String) {
    let Some(from) = lib.regulation(&r.from) else {
        return (r.from.clone(), String::new());
    };
    let same = here == Some(from.id.as_str());
    let title = match &from.subtitle {
        Some(s) => format!("{}{}", lib.config.quoted(&from.title), lib.config.paren(s)),
        None => lib.config.quoted(&from.title),
    };
    let (what, fragment) = match (&r.origin, &r.clause) {
        (Origin::Body, Some(c)) => (from.citation(c).unwrap_or_default(), c.clone()),
        (Origin::Body, None) => (String::new(), "preamble".to_string()),
        (Origin::RiskRegister, _) => (
            lib.config.string("risk_register"),
            "risk-register".to_string(),
        ),
        (Origin::Procedure { id, step }, _) => {
            let p = lib.procedures.iter().find(|p| &p.id == id);
            let name = p.map_or(id.as_str(), |p| p.title.as_str());
            (
                format!(
                    "{name}{}",
                    lib.config
                        .paren(&format!("{}{}", lib.config.string("step"), step + 1))
                ),
                format!("proc-{id}"),
            )
        }
    };
    let label = match r.origin {
        // A register's title already says what it is.
        Origin::RiskRegister if !same => title,
        _ if same && !what.is_empty() => what,
        _ => format!("{title}{what}"),
    };
    let href = if same {
        format!("#{fragment}")
    } else {
        format!("{up}{}#{fragment}", regulation_href(&from.id))
    };
    (label, href)
}

/// Distinct (label, href) links, the first `cap` of them kept: a regulation cited by thousands must
/// not make its page (or a 术语 page) grow with the size of the handbook. `total` counts them all.
pub(crate) struct LinkList {
    seen: HashSet<(String, String)>,
    pub(crate) shown: Vec<(String, String)>,
    pub(crate) total: usize,
    cap: usize,
}

impl LinkList {
    pub(crate) fn new(cap: usize) -> LinkList {
        LinkList {
            seen: HashSet::new(),
            shown: Vec::new(),
            total: 0,
            cap,
        }
    }

    pub(crate) fn push(&mut self, link: (String, String)) {
        if self.seen.insert(link.clone()) {
            self.total += 1;
            if self.shown.len() < self.cap {
                self.shown.push(link);
            }
        }
    }

    pub(crate) fn more(&self) -> usize {
        self.total - self.shown.len()
    }
}

/// How many citing places a page lists (per clause, per regulation, per cited document or term).
pub(crate) const CLAUSE_BACKLINKS: usize = 10;

pub(crate) const PAGE_BACKLINKS: usize = 50;

pub(crate) const ENTRY_CITATIONS: usize = 50;

/// Where a duty stands in its regulation, as a label (二、9．, 序言, 登记表第2行, 印章使用流程（步骤4）)
/// and the fragment of its place on the regulation's page.
pub fn duty_place(lib: &Library, d: &Duty) -> (String, String) {
    let reg = &lib.regulations[d.regulation];
    match d.place {
        DutyPlace::Clause { clause } => {
            let anchor = &reg.clauses[clause].anchor;
            (reg.citation(anchor).unwrap_or_default(), anchor.clone())
        }
        DutyPlace::Preamble => (lib.config.string("preamble"), "preamble".into()),
        DutyPlace::Register { row } => (
            lib.config
                .string("register_row")
                .replace("{n}", &(row + 1).to_string()),
            "risk-register".into(),
        ),
        DutyPlace::Step { procedure, step } => {
            let p = &lib.procedures[procedure];
            (
                // The number the checklist shows: the original's, when it numbers its steps.
                format!(
                    "{}{}",
                    p.title,
                    lib.config.paren(&format!(
                        "{}{}",
                        lib.config.string("step"),
                        p.steps
                            .get(step)
                            .and_then(|s| s.number)
                            .map_or(step + 1, |n| n as usize)
                    ))
                ),
                format!("proc-{}", p.id),
            )
        }
    }
}

/// A duty's place as a link from a page `up` from the root: (label, href).
pub fn duty_link(lib: &Library, d: &Duty, up: &str) -> (String, String) {
    let (label, fragment) = duty_place(lib, d);
    let reg = &lib.regulations[d.regulation];
    (
        label,
        format!("{up}{}#{fragment}", regulation_href(&reg.id)),
    )
}
