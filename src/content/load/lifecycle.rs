//! The lifecycle front-matter (issued, effective, expires, revisions, review, supersedes): each
//! file's dates checked as it is parsed, what they say about other files once all are read.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::regulation::{FrontMatter, OneOrMany};
use super::{find_line, nearest};
use crate::error::{Diagnostic, Severity};
use crate::model::lifecycle;
use crate::model::*;

/// The lifecycle keys checked within the file: every date parses, issued ≤ effective < expires,
/// `review_every` is an interval. Each problem is an error at the key's file line (`at` turns a
/// front-matter line into a file line). What needs the other files (ids, roles) is checked by
/// [`check_lifecycle`].
pub(super) fn lifecycle(
    fm: &mut FrontMatter,
    yaml: &str,
    at: impl Fn(usize) -> usize,
    shown: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Lifecycle {
    let line_of = |key: &str| at(front_matter_line(yaml, key));
    let date = |key: &str, value: Option<&str>, diags: &mut Vec<Diagnostic>| {
        let v = value?;
        let d = lifecycle::parse_date(v);
        if d.is_none() {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB040",
                shown,
                line_of(key),
                1,
                vec![("key", key.to_string()), ("value", v.to_string())],
            ));
        }
        d
    };
    let issued = date("issued", fm.issued.as_deref().or(fm.date.as_deref()), diags);
    let effective = date("effective", fm.effective.as_deref(), diags);
    let expires = date("expires", fm.expires.as_deref(), diags);
    let review_by = date("review_by", fm.review_by.as_deref(), diags);
    let mut order = |a: (&str, Option<jiff::civil::Date>),
                     b: (&str, Option<jiff::civil::Date>),
                     strict: bool| {
        if let ((ka, Some(da)), (kb, Some(db))) = (a, b)
            && (db < da || (strict && db == da))
        {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB041",
                shown,
                line_of(kb),
                1,
                vec![
                    ("later", kb.to_string()),
                    ("later_date", db.to_string()),
                    ("earlier", ka.to_string()),
                    ("earlier_date", da.to_string()),
                ],
            ));
        }
    };
    order(("issued", issued), ("effective", effective), false);
    order(
        ("effective", effective.or(issued)),
        ("expires", expires),
        true,
    );
    let mut revisions = Vec::new();
    for r in fm.revisions.take().unwrap_or_default() {
        let Some(d) = lifecycle::parse_date(&r.date) else {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB040",
                shown,
                at(find_line(yaml, &r.date)),
                1,
                vec![("key", "revisions".to_string()), ("value", r.date.clone())],
            ));
            continue;
        };
        revisions.push(RevisionNote {
            date: d,
            summary: r.summary,
            kind: r.kind,
            approved_by: r.approved_by,
            author: r.author,
        });
    }
    revisions.sort_by_key(|r| std::cmp::Reverse(r.date));
    let review_every = fm.review_every.take();
    let review_by = review_by.or_else(|| {
        let every = review_every.as_deref()?;
        let Some(span) = lifecycle::parse_interval(every) else {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB042",
                shown,
                line_of("review_every"),
                1,
                vec![("value", every.to_string())],
            ));
            return None;
        };
        let since = revisions
            .iter()
            .map(|r| r.date)
            .chain(effective)
            .chain(issued)
            .max()?;
        since.checked_add(span).ok()
    });
    Lifecycle {
        issued,
        effective,
        expires,
        supersedes: fm
            .supersedes
            .take()
            .map(OneOrMany::into_vec)
            .unwrap_or_default(),
        superseded_by: fm.superseded_by.take().filter(|s| !s.trim().is_empty()),
        review_by,
        review_every,
        revisions,
    }
}

/// The front-matter line (1-based) of a top-level `key:`, or 1.
pub(super) fn front_matter_line(yaml: &str, key: &str) -> usize {
    yaml.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(1, |i| i + 1)
}

/// What the lifecycle front-matter says about other files: `owner` is a role of roles.yaml,
/// `supersedes`/`superseded_by` name regulations that exist, and a superseded regulation is 废止.
/// Each is an error at the key's line.
pub(super) fn check_lifecycle(
    regulations: &[Regulation],
    withheld: &[Withheld],
    failed: &HashSet<String>,
    roles: &[Role],
    diags: &mut Vec<Diagnostic>,
) {
    let by_id: HashMap<&str, &Regulation> =
        regulations.iter().map(|r| (r.id.as_str(), r)).collect();
    let known = |id: &str| {
        by_id.contains_key(id) || withheld.iter().any(|w| w.id == id) || failed.contains(id)
    };
    let line = |r: &Regulation, key: &str| 1 + front_matter_line(&r.front_matter, key);
    for r in regulations {
        if let Some(owner) = &r.owner
            && role_by_name(roles, owner).is_none()
        {
            let d = Diagnostic::coded(
                Severity::Error,
                "RB043",
                &r.source.path,
                line(r, "owner"),
                1,
                vec![("role", owner.clone())],
            );
            diags.push(
                match nearest(owner, roles.iter().map(|x| x.name.as_str())) {
                    Some(n) => d.with_hint("role-did-you-mean", vec![("near", n.to_string())]),
                    None => d.with_hint("role-add", Vec::new()),
                },
            );
        }
        let lc = &r.lifecycle;
        for (key, id) in lc
            .supersedes
            .iter()
            .map(|s| ("supersedes", s))
            .chain(lc.superseded_by.iter().map(|s| ("superseded_by", s)))
        {
            if id == &r.id {
                diags.push(Diagnostic::coded(
                    Severity::Error,
                    "RB044",
                    &r.source.path,
                    line(r, key),
                    1,
                    vec![("key", key.to_string())],
                ));
            } else if !known(id) {
                let d = Diagnostic::coded(
                    Severity::Error,
                    "RB045",
                    &r.source.path,
                    line(r, key),
                    1,
                    vec![("key", key.to_string()), ("id", id.clone())],
                );
                diags.push(match nearest(id, by_id.keys().copied()) {
                    Some(n) => d.with_hint("did-you-mean", vec![("near", n.to_string())]),
                    None => d.with_hint("regulation-id", Vec::new()),
                });
            }
        }
        if lc.superseded_by.is_some() && r.status != Status::Repealed {
            diags.push(Diagnostic::coded(
                Severity::Error,
                "RB046",
                &r.source.path,
                line(r, "superseded_by"),
                1,
                Vec::new(),
            ));
        }
        for id in &lc.supersedes {
            if let Some(old) = by_id.get(id.as_str())
                && old.status != Status::Repealed
            {
                diags.push(Diagnostic::coded(
                    Severity::Error,
                    "RB047",
                    &old.source.path,
                    line(old, "status"),
                    1,
                    vec![
                        ("id", r.id.clone()),
                        ("file", r.source.path.display().to_string()),
                    ],
                ));
            }
        }
    }
}
