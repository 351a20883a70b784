//! In-place previews against the model: every link of the built seed to a clause, a regulation or a
//! term finds, in the preview file the build wrote, exactly what the model holds for its target —
//! no stale, mismatched or missing preview. The browser behaviour is in `tests/browser/tests.rs`.

use std::collections::HashMap;
use std::path::Path;

use crate::common::{all_files, percent_decode, repo_root, seed_site};
use rulebook::Site;
use rulebook::model::Library;
use rulebook::render::preview;
use rulebook::search::format::parse_script_for;
use scraper::{Html, Selector};
use serde_json::Value;

fn library() -> Library {
    let mut site = Site::new(repo_root());
    site.load().expect("the seed loads").clone()
}

/// The data of a preview file of the built seed (`preview/r/{id}.js`, `preview/terms.js`), checked
/// to register itself under `key`.
fn preview_file(out: &Path, rel: &str, key: &str) -> Value {
    let bytes =
        std::fs::read(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e} (no preview file)"));
    let (name, data) = parse_script_for(preview::CALLBACK, &bytes)
        .unwrap_or_else(|| panic!("{rel}: not rbPreview(name, data);"));
    assert_eq!(name, key, "{rel} registers under the wrong name");
    data
}

/// A link's href resolved against its page: the site-relative path (decoded) and fragment.
fn resolve(page: &str, href: &str) -> Option<(String, String)> {
    if href.contains(':') {
        return None;
    }
    let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    let decoded = percent_decode(path)?;
    if decoded.is_empty() {
        parts.push(page.rsplit('/').next()?);
    }
    for seg in decoded.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    Some((parts.join("/"), percent_decode(fragment)?))
}

/// A preview's text as it must be: the model's text, or — marked cut — its beginning.
fn check_text(what: &str, shown: &Value, model: &str) {
    let text = shown[0]
        .as_str()
        .unwrap_or_else(|| panic!("{what}: no text"));
    if shown.get(1).and_then(Value::as_i64) == Some(1) {
        assert!(
            model.starts_with(text) && model.chars().count() > text.chars().count(),
            "{what}: the cut preview is not the beginning of the clause\npreview: {text}\nmodel:   {model}"
        );
        // Cut at the limit (white space at the cut dropped).
        let n = text.chars().count();
        assert!(
            n <= preview::MAX_CHARS && n + 3 >= preview::MAX_CHARS,
            "{what}: cut at {n}"
        );
    } else {
        assert_eq!(text, model, "{what}: the preview is not the clause's text");
    }
}

#[test]
fn every_clause_link_previews_its_clause_text() {
    let lib = library();
    let out = seed_site();
    let links = Selector::parse("a[href]").unwrap();
    let mut files: HashMap<String, Value> = HashMap::new();
    let mut fulls: HashMap<String, Vec<String>> = HashMap::new();
    let (mut clause_links, mut reg_links, mut term_links, mut cite_links) = (0, 0, 0, 0);
    let mut seen_self_article = false;
    let mut not_current = false;
    let mut printed = 0;
    for (rel, bytes) in all_files(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let page = Html::parse_document(&String::from_utf8_lossy(&bytes));
        for a in page.select(&links) {
            let href = a.value().attr("href").unwrap_or_default();
            let what = format!("{rel}: <a href={href}>{}</a>", a.text().collect::<String>());
            if let Some(term) = a.value().attr("data-term") {
                let data = files
                    .entry("terms".into())
                    .or_insert_with(|| preview_file(out, preview::TERMS_FILE, "terms"));
                let t = lib
                    .terms
                    .iter()
                    .find(|t| t.term == term)
                    .unwrap_or_else(|| panic!("{what}: data-term names no term"));
                assert_eq!(
                    data[term][0].as_str(),
                    t.definition.as_deref(),
                    "{what}: the term's preview is not its definition"
                );
                term_links += 1;
                continue;
            }
            if let Some(name) = a.value().attr("data-ext") {
                assert!(
                    lib.references.iter().any(|r| matches!(&r.target,
                        rulebook::model::Target::External { name: n, .. } if n == name)),
                    "{what}: data-ext names no cited document"
                );
                assert!(lib.regulation(name).is_none());
                cite_links += 1;
                continue;
            }
            let Some((path, fragment)) = resolve(&rel, href) else {
                continue;
            };
            let Some(id) = path
                .strip_prefix("regulations/")
                .and_then(|p| p.strip_suffix(".html"))
            else {
                continue;
            };
            let reg = lib
                .regulation(id)
                .unwrap_or_else(|| panic!("{what}: links to a regulation the model lacks"));
            let data = files.entry(format!("r/{id}")).or_insert_with(|| {
                preview_file(out, &preview::regulation_file(id), &format!("r/{id}"))
            });
            let full = fulls
                .entry(id.to_string())
                .or_insert_with(|| reg.clause_full_texts());
            assert_eq!(data["title"].as_str(), Some(reg.title.as_str()), "{what}");
            // The status, only where it is not 现行.
            let status = (reg.status != rulebook::model::Status::Current)
                .then(|| lib.config.string(reg.status.key()));
            assert_eq!(data["status"].as_str(), status.as_deref(), "{what}");
            not_current |= status.is_some();
            if fragment.is_empty() || fragment == "top" {
                check_text(&what, &data["lead"], &preview::lead(reg, full));
                reg_links += 1;
                continue;
            }
            let Some(i) = reg.clause_index(&fragment) else {
                continue; // a risk point, a procedure, a section of the page: not a clause
            };
            let shown = &data["clauses"][fragment.as_str()];
            assert_eq!(
                shown[0].as_str(),
                reg.citation(&fragment).as_deref(),
                "{what}: the preview names another clause"
            );
            let rest: Value = shown
                .as_array()
                .map(|a| a[1..].to_vec())
                .unwrap_or_default()
                .into();
            check_text(&what, &rest, &full[i]);
            // The model's whole text of a clause is its own text, then each nested clause's.
            let own = reg.doc.clause_text(i);
            assert!(
                full[i].starts_with(own.as_str()) || own.is_empty(),
                "{what}"
            );
            for (j, c) in reg.clauses.iter().enumerate() {
                if c.parent == Some(i) {
                    let child = reg.doc.clause_text(j);
                    assert!(full[i].contains(&child), "{what}: misses {}", c.label);
                }
            }
            // On paper a reference to a clause reads （见《title》五、）.
            if a.value().classes().any(|c| c == "xref") {
                let cited = format!("《{}》{}", reg.title, reg.citation(&fragment).unwrap());
                assert_eq!(
                    a.value().attr("data-cite"),
                    Some(
                        lib.config
                            .string("print_cite")
                            .replace("{cite}", &cited)
                            .as_str()
                    ),
                    "{what}: printed as another clause"
                );
                printed += 1;
            }
            seen_self_article |= rel == "regulations/cheliang-guanli.html" && href == "#sec5";
            clause_links += 1;
        }
    }
    eprintln!(
        "checked {clause_links} clause links, {reg_links} regulation links, {term_links} term links, {cite_links} cited documents"
    );
    assert!(
        seen_self_article,
        "the seed's 第五条 link in 公车管理制度 was not checked"
    );
    assert!(
        not_current,
        "no link to the seed's 试行 regulation was checked"
    );
    assert!(printed > 0, "no reference to a clause in the text");
    assert!(clause_links > 100 && reg_links > 20 && term_links > 0 && cite_links > 0);
}

/// Only the published regulations have preview files, one each; nothing else is under preview/r/.
#[test]
fn one_preview_file_per_published_regulation() {
    let lib = library();
    let out = seed_site();
    let mut files: Vec<String> = all_files(out)
        .into_iter()
        .filter_map(|(rel, _)| rel.strip_prefix("preview/r/").map(str::to_string))
        .collect();
    files.sort();
    let mut want: Vec<String> = lib
        .regulations
        .iter()
        .map(|r| format!("{}.js", r.id))
        .collect();
    want.sort();
    assert_eq!(files, want);
}

/// No page carries preview data: pages stay the same size however large the handbook grows.
#[test]
fn pages_hold_no_preview_data() {
    for (rel, bytes) in all_files(seed_site()) {
        if rel.ends_with(".html") {
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("rbPreview("), "{rel} embeds preview data");
        }
    }
}
