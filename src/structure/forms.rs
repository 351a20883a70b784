//! Forms named without 《》 (派车单, 费用报销单, 入党申请书 …): the regulations often write a form's name
//! bare. site.yaml's `form_names:` lists the forms and the other names the text uses for them; each
//! name found in a run is a reference to the form (on the 表单 page and in checklists), unless it
//! stands inside a 《》 citation (the reference scan handles those) or another reference.

use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::config::FormName;

/// The names and aliases of the listed forms, matched leftmost-longest (预备党员考察登记表 before
/// 考察登记表).
pub struct FormIndex {
    ac: Option<AhoCorasick>,
    /// Pattern → the form's name.
    names: Vec<String>,
}

impl FormIndex {
    pub fn new(forms: &[FormName]) -> FormIndex {
        let mut patterns = Vec::new();
        let mut names = Vec::new();
        for f in forms {
            for n in std::iter::once(&f.name).chain(&f.aliases) {
                if !n.trim().is_empty() {
                    patterns.push(n.trim().to_string());
                    names.push(f.name.trim().to_string());
                }
            }
        }
        let ac = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .expect("patterns are plain strings")
        });
        FormIndex { ac, names }
    }

    /// The forms `text` names bare: (byte range, the form's name), in order. A name inside 《》 or
    /// overlapping `taken` (ranges already referenced) is left out.
    pub fn scan(&self, text: &str, taken: &[Range<usize>]) -> Vec<(Range<usize>, String)> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        ac.find_iter(text)
            .filter(|m| {
                let before = &text[..m.start()];
                before.matches('《').count() <= before.matches('》').count()
            })
            .filter(|m| !taken.iter().any(|t| t.start < m.end() && m.start() < t.end))
            .map(|m| (m.range(), self.names[m.pattern().as_usize()].clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> FormIndex {
        FormIndex::new(&[
            FormName {
                name: "派车单".into(),
                aliases: vec![],
            },
            FormName {
                name: "入党积极分子考察登记表".into(),
                aliases: vec![],
            },
            FormName {
                name: "预备党员考察登记表".into(),
                aliases: vec![],
            },
            FormName {
                name: "费用报销单".into(),
                aliases: vec!["报销单".into()],
            },
        ])
    }

    #[test]
    fn bare_names_and_aliases_are_forms() {
        let found: Vec<String> = index()
            .scan("由经手人填写费用报销单，凭派车单用车；另附报销单", &[])
            .into_iter()
            .map(|(_, n)| n)
            .collect();
        assert_eq!(found, ["费用报销单", "派车单", "费用报销单"]);
        let text = "按期把意见写入“预备党员考察登记表”";
        let found = index().scan(text, &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].0.clone()], "预备党员考察登记表");
    }

    #[test]
    fn cited_or_taken_names_are_left_to_the_reference_scan() {
        assert!(index().scan("填写《派车单》", &[]).is_empty());
        let text = "填写派车单";
        let at = text.find("派车单").unwrap();
        let taken = std::iter::once(at..text.len()).collect::<Vec<_>>();
        assert!(index().scan(text, &taken).is_empty());
    }
}
