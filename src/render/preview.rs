//! In-place previews of cited clauses, regulations and terms (`assets/preview.js` shows them): one
//! classic script per regulation, `preview/r/{id}.js`, with its title, status, lead and the whole
//! text of each clause, and `preview/terms.js` with the glossary. A page loads only the files of
//! what its reader points at, with `<script src>` so that it works from `file://` (no fetch there),
//! and no page grows with the size of the handbook. Withheld regulations are not in the library, so
//! they have no file and nothing links to them.

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use crate::error::Result;
use crate::model::{Library, Regulation, Status};
use crate::output::write::Sink;
use crate::search::format::script_for;

/// The function the preview files call.
pub const CALLBACK: &str = "rbPreview";

/// Longest text a preview holds, in characters: a longer one is cut, marked, and the preview
/// links to the clause for the rest (a chapter holds all its articles).
pub const MAX_CHARS: usize = 320;

/// Where the preview file of a regulation is in the output (the id as it is, like its page).
pub fn regulation_file(id: &str) -> String {
    format!("preview/r/{id}.js")
}

/// The glossary's preview file.
pub const TERMS_FILE: &str = "preview/terms.js";

/// `text` cut to [`MAX_CHARS`]: the text, and whether it was cut.
pub fn cut(text: &str) -> (String, bool) {
    match text.char_indices().nth(MAX_CHARS) {
        Some((at, _)) => (text[..at].trim_end().to_string(), true),
        None => (text.to_string(), false),
    }
}

/// A text as the files hold it: `[text]`, or `[text, 1]` when cut.
fn text_value(text: &str) -> Value {
    match cut(text) {
        (t, false) => json!([t]),
        (t, true) => json!([t, 1]),
    }
}

/// What a link to the whole regulation shows: its summary, else its preamble, else its first
/// clause (with its label).
pub fn lead(reg: &Regulation, full: &[String]) -> String {
    if let Some(s) = reg.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        return s.to_string();
    }
    let preamble = reg.doc.preamble_text();
    if !preamble.trim().is_empty() {
        return preamble;
    }
    match (reg.clauses.first(), full.first()) {
        (Some(c), Some(text)) => format!("{}\u{3000}{text}", c.label),
        _ => String::new(),
    }
}

/// The data of one regulation's preview file.
pub fn regulation_data(lib: &Library, reg: &Regulation) -> Value {
    let full = reg.clause_full_texts();
    let mut clauses = Map::new();
    for (c, text) in reg.clauses.iter().zip(&full) {
        let label = reg.citation(&c.anchor).unwrap_or_else(|| c.label.clone());
        let mut v = text_value(text);
        if let Value::Array(a) = &mut v {
            a.insert(0, Value::from(label));
        }
        clauses.insert(c.anchor.clone(), v);
    }
    let status = (reg.status != Status::Current).then(|| lib.config.string(reg.status.key()));
    json!({
        "title": reg.title,
        "subtitle": reg.subtitle,
        "status": status,
        "lead": text_value(&lead(reg, &full)),
        "clauses": clauses,
    })
}

/// The glossary's data: term → [definition or null, source citation or null, the clauses that
/// explain a term without a definition as [citation, their words]].
pub fn terms_data(lib: &Library) -> Value {
    let mut terms = Map::new();
    for t in &lib.terms {
        let source = t.source.as_deref().and_then(|id| {
            let r = lib.regulation(id)?;
            let at = t
                .clause
                .as_deref()
                .and_then(|c| r.citation(c))
                .unwrap_or_default();
            Some(format!("{}{at}", lib.config.quoted(&r.title)))
        });
        let explained: Vec<Value> = super::links::term_explanations(lib, t)
            .into_iter()
            .map(|x| json!([x.citation, x.text]))
            .collect();
        terms.insert(t.term.clone(), json!([t.definition, source, explained]));
    }
    Value::Object(terms)
}

/// Write one regulation's preview file.
pub fn write_regulation(lib: &Library, reg: &Regulation, sink: &dyn Sink) -> Result<()> {
    let data = regulation_data(lib, reg);
    // The version shown at the regulation's own address (`Library::whole_address`) previews
    // there too: links from undated texts go to that address.
    if let Some(address) = lib.position(&reg.id).and_then(|i| lib.whole_address(i)) {
        sink.put(
            &regulation_file(address),
            &script_for(CALLBACK, &format!("r/{address}"), &data),
        )?;
    }
    sink.put(
        &regulation_file(&reg.id),
        &script_for(CALLBACK, &format!("r/{}", reg.id), &data),
    )
}

/// Write every regulation's preview file and the glossary's.
pub fn write(lib: &Library, sink: &dyn Sink) -> Result<()> {
    lib.regulations
        .par_iter()
        .try_for_each(|reg| write_regulation(lib, reg, sink))?;
    sink.put(TERMS_FILE, &script_for(CALLBACK, "terms", &terms_data(lib)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(body: &str) -> Regulation {
        crate::structure::analyse_one("t", "T", body)
    }

    #[test]
    fn a_clause_previews_its_nested_clauses() {
        let r = reg(
            "第一条　总则。\n\n第二条　处理办法：\n\n（一）甲；\n\n（二）乙。\n\n第三条　附则。\n",
        );
        let full = r.clause_full_texts();
        let at = |a: &str| full[r.clause_index(a).unwrap()].as_str();
        assert_eq!(at("art1"), "总则。");
        assert_eq!(at("art2"), "处理办法：\n（一）甲；\n（二）乙。");
        assert_eq!(at("art2-item1"), "甲；");
        assert_eq!(at("art3"), "附则。");
        // A whole regulation: its first clause, labelled.
        assert_eq!(lead(&r, &full), "第一条\u{3000}总则。");
    }

    #[test]
    fn long_texts_are_cut_on_a_character() {
        let long = "甲".repeat(MAX_CHARS + 5);
        let (text, cut_off) = cut(&long);
        assert!(cut_off);
        assert_eq!(text.chars().count(), MAX_CHARS);
        assert_eq!(cut("短"), ("短".to_string(), false));
    }
}
