//! Revisions: a 修订记录 page per regulation (each version's clauses added, removed and changed,
//! with the editor's `revisions:` notes), a page per earlier version with its text in full, the
//! site-wide 最近修订 and 待复审 pages, and an Atom feed of the revisions.

use std::collections::BTreeMap;

use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;

use super::context::base_context;
use super::links::{encode_segment, regulation_href};
use super::markdown::{PlainText, render_body};
use super::minify::page;
use super::theme::Theme;
use crate::error::{Error, Result};
use crate::model::{ChangeKind, Library, Regulation, Status, lifecycle};
use crate::output::write::Sink;

/// Entries on the 最近修订 page and in the feed.
const RECENT_LIMIT: usize = 100;

/// How far ahead the 待复审 page looks (days).
const REVIEW_AHEAD_DAYS: i64 = 90;

/// Where a regulation's 修订记录 page is in the output.
pub fn revisions_path(id: &str) -> String {
    format!("revisions/{id}.html")
}

/// The site-relative href of a regulation's 修订记录 page.
pub fn revisions_href(id: &str) -> String {
    format!("revisions/{}.html", encode_segment(id))
}

/// Where the page of a regulation's version (by abbreviated commit id) is.
pub fn version_path(id: &str, commit: &str) -> String {
    format!("revisions/{id}/{commit}.html")
}

/// Where the 新旧对照 of a regulation's git version (by abbreviated commit id) with the version
/// before it is.
pub fn git_compare_path(id: &str, commit: &str) -> String {
    format!("compare/{id}/{commit}.html")
}

/// Whether a regulation has a 修订记录 page: it has a history, or recorded revisions.
pub fn has_revisions(r: &Regulation) -> bool {
    !r.history.is_empty() || !r.lifecycle.revisions.is_empty()
}

#[derive(Serialize)]
struct ChangeCtx {
    anchor: String,
    label: String,
    kind: ChangeKind,
    kind_label: String,
    /// HTML: the old and new text with `<del>`/`<ins>`.
    diff: String,
    /// The clause's row on the version's 新旧对照 page.
    compare_href: Option<String>,
}

#[derive(Serialize)]
struct VersionCtx {
    commit: String,
    date: String,
    message: String,
    first: bool,
    href: String,
    author: String,
    /// The version's 新旧对照 page (with the version before it), when a clause changed.
    compare_href: Option<String>,
    changes: Vec<ChangeCtx>,
}

#[derive(Serialize)]
struct NoteCtx {
    date: String,
    summary: String,
    kind: Option<String>,
    approved_by: Option<String>,
}

/// One revision as the 最近修订 page and the feed list it.
struct Entry<'a> {
    reg: &'a Regulation,
    date: Date,
    summary: String,
    /// Within the regulation's 修订记录 page.
    fragment: String,
    /// Clauses changed, as cited (empty for a note).
    clauses: Vec<String>,
    /// Who made it: the commit's author, or the note's `author:`.
    author: Option<String>,
}

/// Clause labels as a list: 第三条、第五条, but 一、十三、 (a label that ends in 、 needs no other).
fn cited(labels: &[String]) -> String {
    let mut out = String::new();
    for (i, l) in labels.iter().enumerate() {
        if i > 0 && !out.ends_with('、') {
            out.push('、');
        }
        out.push_str(l);
    }
    out.trim_end_matches('、').to_string()
}

fn kind_label(lib: &Library, k: ChangeKind) -> String {
    lib.config.string(match k {
        ChangeKind::Added => "change_added",
        ChangeKind::Removed => "change_removed",
        ChangeKind::Changed => "change_changed",
    })
}

/// The lifecycle facts a page about a regulation shows: its banner (废止, 草案, not yet effective,
/// expired), the successor, the dates. Shared by the regulation page and the version pages.
pub(crate) fn lifecycle_ctx(lib: &Library, reg: &Regulation, up: &str) -> serde_json::Value {
    let lc = &reg.lifecycle;
    let today = lib.today;
    let successor = lc
        .superseded_by
        .as_deref()
        .and_then(|id| lib.regulation(id))
        .map(|s| serde_json::json!({"title": s.title, "href": format!("{up}{}", regulation_href(&s.id))}));
    let banner = match reg.status {
        Status::Repealed if successor.is_some() => Some(lib.config.string("banner_repealed_by")),
        Status::Repealed => Some(lib.config.string("banner_repealed")),
        Status::Draft => Some(lib.config.string("banner_draft")),
        _ if lc.not_yet_effective(today) => Some(
            lib.config
                .string("banner_not_yet")
                .replace("{date}", &reg.effective.clone().unwrap_or_default()),
        ),
        _ if lc.expired(today) => Some(lib.config.string("banner_expired").replace(
            "{date}",
            &lc.expires.map(|d| d.to_string()).unwrap_or_default(),
        )),
        _ => None,
    };
    let supersedes: Vec<serde_json::Value> = lc
        .supersedes
        .iter()
        .filter_map(|id| lib.regulation(id))
        .map(|s| serde_json::json!({"title": s.title, "href": format!("{up}{}", regulation_href(&s.id))}))
        .collect();
    let (timeliness, amended_by, versions) = versions_ctx(lib, reg, up);
    serde_json::json!({
        "timeliness": timeliness,
        "amended_by": amended_by,
        "compare_href": lib.position(&reg.id)
            .and_then(|i| lib.family(i).map(|f| f.members.first() != Some(&i)))
            .unwrap_or(false)
            .then(|| format!("{up}{}", super::compare::compare_href(&reg.id))),
        "versions": versions,
        "banner": banner,
        "successor": if reg.status == Status::Repealed { successor } else { None },
        "supersedes": supersedes,
        "expires": lc.expires.map(|d| d.to_string()),
        "review_by": lc.review_by.map(|d| d.to_string()),
        "review_every": lc.review_every,
        "revisions_href": has_revisions(reg).then(|| format!("{up}{}", revisions_href(&reg.id))),
    })
}

/// 时效性 for the build's day, and for a regulation kept as one file per version: the version in
/// force when this one is no longer, and the list of versions (oldest first).
fn versions_ctx(
    lib: &Library,
    reg: &Regulation,
    up: &str,
) -> (serde_json::Value, serde_json::Value, Vec<serde_json::Value>) {
    let Some(i) = lib.position(&reg.id) else {
        return (serde_json::Value::Null, serde_json::Value::Null, Vec::new());
    };
    let t = lib.timeliness(i);
    let timeliness = serde_json::json!({"key": t.key(), "label": lib.config.string(t.key())});
    let Some(family) = lib.family(i) else {
        return (timeliness, serde_json::Value::Null, Vec::new());
    };
    let in_force = family.in_force_on(&lib.regulations, lib.today);
    let when = |r: &Regulation| crate::model::versions::version_label(r).map(str::to_string);
    let amended_by = match (t, in_force) {
        (crate::model::Timeliness::Amended, Some(now)) => {
            let now = &lib.regulations[now];
            serde_json::json!({
                "title": now.title,
                "href": format!("{up}{}", regulation_href(&now.id)),
                "date": when(now),
            })
        }
        _ => serde_json::Value::Null,
    };
    let versions = family
        .members
        .iter()
        .map(|&m| {
            let v = &lib.regulations[m];
            serde_json::json!({
                "label": when(v),
                "href": format!("{up}{}", regulation_href(&v.id)),
                "this": m == i,
                "in_force": Some(m) == in_force,
            })
        })
        .collect();
    (timeliness, amended_by, versions)
}

fn reg_ctx(lib: &Library, reg: &Regulation) -> serde_json::Value {
    serde_json::json!({
        "id": reg.id, "title": reg.title, "subtitle": reg.subtitle,
        "status": lib.config.string(reg.status.key()), "status_key": reg.status.key(),
        "issued": reg.issued, "effective": reg.effective, "owner": reg.owner,
    })
}

fn revision_page(lib: &Library, theme: &Theme, reg: &Regulation, sink: &dyn Sink) -> Result<()> {
    let mut ctx = base_context(lib, theme, "../", Some(&reg.category))?;
    ctx.insert("page_kind", "revisions");
    ctx.insert("reg", &reg_ctx(lib, reg));
    ctx.insert("reg_href", &format!("../{}", regulation_href(&reg.id)));
    ctx.insert("life", &lifecycle_ctx(lib, reg, "../"));
    // 新旧对照 of each git version with the one before it (the history as `history::attach` kept
    // it: after its last cut, so nothing withheld is on either side), its clauses paired by
    // content; each changed clause links to its row.
    let compares = git_compares(lib, theme, reg, sink)?;
    let versions: Vec<VersionCtx> = reg
        .history
        .iter()
        .zip(compares)
        .rev()
        .map(|(v, rows)| {
            let page = format!("../{}", git_compare_href(&reg.id, &v.commit));
            VersionCtx {
                commit: v.commit.clone(),
                date: v.date.to_string(),
                message: v.message.clone(),
                first: v.first,
                href: format!("{}/{}.html", encode_segment(&reg.id), v.commit),
                author: v.author.clone(),
                compare_href: rows.as_ref().map(|_| page.clone()),
                changes: v
                    .changes
                    .iter()
                    .map(|c| ChangeCtx {
                        anchor: c.anchor.clone(),
                        label: if c.anchor == lifecycle::PREAMBLE {
                            lib.config.string("preamble")
                        } else {
                            c.label.clone()
                        },
                        kind: c.kind,
                        kind_label: kind_label(lib, c.kind),
                        diff: diff_html(&c.old, &c.new),
                        compare_href: rows.as_ref().and_then(|r| {
                            // The row of the clause: removed ones stand by their old anchor.
                            let anchor = if c.anchor == lifecycle::PREAMBLE {
                                ""
                            } else {
                                c.anchor.as_str()
                            };
                            let row = match c.kind {
                                ChangeKind::Removed => r.old_row.get(anchor),
                                _ => r.new_row.get(anchor),
                            }?;
                            Some(format!("{page}#{row}"))
                        }),
                    })
                    .collect(),
            }
        })
        .collect();
    ctx.insert("versions", &versions);
    let notes: Vec<NoteCtx> = reg
        .lifecycle
        .revisions
        .iter()
        .map(|n| NoteCtx {
            date: n.date.to_string(),
            summary: n.summary.clone(),
            kind: n.kind.map(|k| lib.config.string(k.key())),
            approved_by: n.approved_by.clone(),
        })
        .collect();
    ctx.insert("notes", &notes);
    sink.put(
        &revisions_path(&reg.id),
        &page(&theme.render("revisions.html", &ctx)?),
    )?;
    // Each version in full, as it stood: its body rendered as the regulation's own is (raw HTML by
    // the site's policy), without links (the other regulations it cited may have changed since).
    for v in &reg.history {
        let mut old = Regulation::new(&reg.id, &reg.title, "");
        old.doc = v.doc.clone();
        old.clauses = v.clauses.clone();
        let body = render_body(&old, lib.config.raw_html, &mut PlainText);
        let mut ctx = base_context(lib, theme, "../../", Some(&reg.category))?;
        ctx.insert("page_kind", "version");
        ctx.insert("reg", &reg_ctx(lib, reg));
        ctx.insert("reg_href", &format!("../../{}", regulation_href(&reg.id)));
        ctx.insert(
            "revisions_href",
            &format!("../{}.html", encode_segment(&reg.id)),
        );
        ctx.insert(
            "notice",
            &lib.config
                .string("version_notice")
                .replace("{date}", &v.date.to_string())
                .replace("{commit}", &v.commit),
        );
        ctx.insert("date", &v.date.to_string());
        ctx.insert("body", &body);
        sink.put(
            &version_path(&reg.id, &v.commit),
            &page(&theme.render("version.html", &ctx)?),
        )?;
    }
    Ok(())
}

/// The site-relative href of a git version's 新旧对照 page.
pub fn git_compare_href(id: &str, commit: &str) -> String {
    format!("compare/{}/{commit}.html", encode_segment(id))
}

/// Write the 新旧对照 page of each version of `reg`'s history that changed a clause of the one
/// before it; per version (in history order), where its clauses stand on that page, if it has one.
fn git_compares(
    lib: &Library,
    theme: &Theme,
    reg: &Regulation,
    sink: &dyn Sink,
) -> Result<Vec<Option<super::compare::Rows>>> {
    use super::compare::{Side, clauses, rows, write_page};
    let side = |v: &crate::model::Version| {
        let mut text = Regulation::new(&reg.id, &reg.title, "");
        text.doc = v.doc.clone();
        text.clauses = v.clauses.clone();
        Side {
            clauses: clauses(&text),
            href: format!(
                "../../revisions/{}/{}.html",
                encode_segment(&reg.id),
                v.commit
            ),
            date: format!("{} {}", v.date, v.commit),
        }
    };
    let mut out = Vec::with_capacity(reg.history.len());
    let mut previous: Option<Side> = None;
    for v in &reg.history {
        let new = side(v);
        let made = match &previous {
            // A first version (the file's first, or the first after a cut) is compared with
            // nothing: what came before it is not shown.
            Some(old) if !v.first && !v.changes.is_empty() => {
                let r = rows(old, &new);
                write_page(
                    lib,
                    theme,
                    reg,
                    (old, &new),
                    &r,
                    (&git_compare_path(&reg.id, &v.commit), "../../"),
                    sink,
                )?;
                Some(r)
            }
            _ => None,
        };
        out.push(made);
        previous = Some(new);
    }
    Ok(out)
}

/// Every revision of the handbook, newest first: each version after a regulation's first, and
/// each recorded note.
fn entries(lib: &Library) -> Vec<Entry<'_>> {
    let mut out: Vec<Entry> = Vec::new();
    for reg in &lib.regulations {
        let from = out.len();
        for v in reg.history.iter().filter(|v| !v.first) {
            out.push(Entry {
                reg,
                date: v.date,
                summary: v.message.clone(),
                fragment: format!("v-{}", v.commit),
                clauses: v.changes.iter().map(|c| c.label.clone()).collect(),
                author: Some(v.author.clone()).filter(|a| !a.is_empty()),
            });
        }
        for (i, n) in reg.lifecycle.revisions.iter().enumerate() {
            // A change both committed and noted in `revisions:` (the same regulation, the same
            // day) is one change: listed once, in the editor's words, with the clauses the
            // history found and the note's author, else the commit's.
            if let Some(e) = out[from..].iter_mut().find(|e| e.date == n.date) {
                e.summary = n.summary.clone();
                e.author = n.author.clone().or(e.author.take());
                continue;
            }
            out.push(Entry {
                reg,
                date: n.date,
                summary: n.summary.clone(),
                fragment: format!("note-{}", i + 1),
                clauses: Vec::new(),
                author: n.author.clone(),
            });
        }
    }
    out.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.reg.id.cmp(&b.reg.id))
            .then_with(|| a.fragment.cmp(&b.fragment))
    });
    out.truncate(RECENT_LIMIT);
    out
}

fn recent_page(lib: &Library, theme: &Theme, entries: &[Entry], sink: &dyn Sink) -> Result<()> {
    let mut ctx = base_context(lib, theme, "", None)?;
    ctx.insert("page_kind", "recent");
    let list: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| {
            serde_json::json!({
                "date": e.date.to_string(),
                "title": e.reg.title,
                "status": lib.config.string(e.reg.status.key()),
                "status_key": e.reg.status.key(),
                "summary": e.summary,
                "clauses": cited(&e.clauses),
                "author": e.author,
                "href": format!("{}#{}", revisions_href(&e.reg.id), e.fragment),
            })
        })
        .collect();
    ctx.insert("entries", &list);
    sink.put("recent.html", &page(&theme.render("recent.html", &ctx)?))
}

fn review_page(lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
    let today = lib.today;
    let horizon = today
        .checked_add(jiff::Span::new().days(REVIEW_AHEAD_DAYS))
        .unwrap_or(today);
    let none = lib.config.string("owner_none");
    let mut by_owner: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    let mut due: Vec<&Regulation> = lib
        .regulations
        .iter()
        .filter(|r| r.status != Status::Repealed)
        .filter(|r| r.lifecycle.review_by.is_some_and(|d| d <= horizon))
        .collect();
    due.sort_by_key(|r| r.lifecycle.review_by);
    for r in due {
        let by = r.lifecycle.review_by.expect("filtered above");
        by_owner
            .entry(r.owner.clone().unwrap_or_else(|| none.clone()))
            .or_default()
            .push(serde_json::json!({
                "title": r.title,
                "href": regulation_href(&r.id),
                "review_by": by.to_string(),
                "overdue": by < today,
                "status": lib.config.string(r.status.key()),
                "status_key": r.status.key(),
            }));
    }
    let groups: Vec<serde_json::Value> = by_owner
        .into_iter()
        .map(|(owner, regs)| {
            let href = lib
                .role_by_name(&owner)
                .filter(|&i| super::roles::has_page(lib, i))
                .map(|i| super::links::role_href(&lib.roles[i].id));
            serde_json::json!({"owner": owner, "href": href, "regulations": regs})
        })
        .collect();
    let mut ctx = base_context(lib, theme, "", None)?;
    ctx.insert("page_kind", "review");
    ctx.insert("groups", &groups);
    ctx.insert("today", &today.to_string());
    sink.put("review.html", &page(&theme.render("review.html", &ctx)?))
}

/// The Atom feed (RFC 4287) of the revisions, written with quick-xml so that it is well-formed
/// whatever the titles hold. Links are relative to the feed (the handbook has no fixed address);
/// ids are `urn:` names that stay the same wherever it is served.
fn feed(lib: &Library, entries: &[Entry]) -> Result<Vec<u8>> {
    use quick_xml::Writer;
    use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
    let err = |e: std::io::Error| Error::Template {
        name: "revisions.xml".into(),
        message: e.to_string(),
    };
    let stamp = |d: Date| format!("{d}T00:00:00Z");
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    let text = |w: &mut Writer<Vec<u8>>, tag: &str, value: &str| -> std::io::Result<()> {
        w.write_event(Event::Start(BytesStart::new(tag)))?;
        w.write_event(Event::Text(BytesText::new(value)))?;
        w.write_event(Event::End(BytesEnd::new(tag)))
    };
    let link = |w: &mut Writer<Vec<u8>>, href: &str, rel: &str| -> std::io::Result<()> {
        let mut l = BytesStart::new("link");
        l.push_attribute(("href", href));
        l.push_attribute(("rel", rel));
        w.write_event(Event::Empty(l))
    };
    let site = format!(
        "urn:rulebook:{}",
        encode_segment(
            lib.config
                .organisation
                .as_deref()
                .unwrap_or(&lib.config.title)
        )
    );
    (|| -> std::io::Result<()> {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        let mut root = BytesStart::new("feed");
        root.push_attribute(("xmlns", "http://www.w3.org/2005/Atom"));
        root.push_attribute(("xml:lang", lib.config.language.as_str()));
        w.write_event(Event::Start(root))?;
        text(
            &mut w,
            "title",
            &format!("{} · {}", lib.config.title, lib.config.string("feed_title")),
        )?;
        text(&mut w, "id", &format!("{site}:revisions"))?;
        let updated = entries.first().map(|e| e.date).unwrap_or(Date::ZERO);
        text(&mut w, "updated", &stamp(updated))?;
        link(&mut w, "recent.html", "alternate")?;
        w.write_event(Event::Start(BytesStart::new("author")))?;
        text(
            &mut w,
            "name",
            lib.config
                .organisation
                .as_deref()
                .unwrap_or(&lib.config.title),
        )?;
        w.write_event(Event::End(BytesEnd::new("author")))?;
        for e in entries {
            w.write_event(Event::Start(BytesStart::new("entry")))?;
            text(
                &mut w,
                "title",
                &format!("{}{}{}", e.reg.title, lib.config.string("colon"), e.summary),
            )?;
            text(
                &mut w,
                "id",
                &format!("{site}:{}:{}", encode_segment(&e.reg.id), e.fragment),
            )?;
            text(&mut w, "updated", &stamp(e.date))?;
            link(
                &mut w,
                &format!("{}#{}", revisions_href(&e.reg.id), e.fragment),
                "alternate",
            )?;
            let summary = if e.clauses.is_empty() {
                e.summary.clone()
            } else {
                format!("{}{}", e.summary, lib.config.paren(&cited(&e.clauses)))
            };
            text(&mut w, "summary", &summary)?;
            w.write_event(Event::End(BytesEnd::new("entry")))?;
        }
        w.write_event(Event::End(BytesEnd::new("feed")))
    })()
    .map_err(err)?;
    Ok(w.into_inner())
}

pub(crate) fn render(lib: &Library, theme: &Theme, sink: &dyn Sink) -> Result<()> {
    lib.regulations
        .par_iter()
        .filter(|r| has_revisions(r))
        .try_for_each(|r| revision_page(lib, theme, r, sink))?;
    let entries = entries(lib);
    recent_page(lib, theme, &entries, sink)?;
    review_page(lib, theme, sink)?;
    sink.put("revisions.xml", &feed(lib, &entries)?)
}

/// The diff of a clause's two texts as HTML, by words (an amount with its unit, a number, a Latin
/// word, else a character): see [`super::compare::diff_html`].
pub fn diff_html(old: &str, new: &str) -> String {
    super::compare::diff_html(old, new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clause_lists() {
        let l = |v: &[&str]| cited(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(l(&["一、", "十三、"]), "一、十三");
        assert_eq!(l(&["第三条", "第五条（二）"]), "第三条、第五条（二）");
        assert_eq!(l(&["二、（一）", "第三条"]), "二、（一）、第三条");
    }

    #[test]
    fn word_diff() {
        // An amount changes as a whole, with its unit (it was 3 → 5 character by character).
        assert_eq!(
            diff_html("超出3000元<b>", "超出5000元<b>"),
            "超出<del>3000元</del><ins>5000元</ins>&lt;b&gt;"
        );
    }
}
