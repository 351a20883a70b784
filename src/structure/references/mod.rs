//! Finds references in the text — 《titles》, 本办法第五条, 第三条第（二）项, 前款, glossary terms,
//! cited laws and forms — resolves them against the library, and records them in the model.
//!
//! The [`Scanner`] runs once, over the runs of each body's parsed tree (and register cells and
//! procedure steps); what it finds is stored in the model as spans, and outputs only read them.
//!
//! The parts: [`index`] holds the names to recognise (titles, aliases, terms, forms) and [`near`]
//! the nearest title to one that matches none; [`scanner`] finds references in a run of text, with
//! [`articles`] for 第N条第（M）项第K款 and [`numbers`] for document numbers and quoted amendments;
//! [`explicit`] resolves an editor's `@id#anchor`; [`link`] scans whole regulations and stores what
//! was found in the model; [`diagnostics`] turns what does not resolve into messages.

use std::ops::Range;

use crate::model::Target;

mod articles;
mod diagnostics;
mod explicit;
mod index;
mod link;
mod near;
mod numbers;
mod scanner;

pub use articles::article_anchor;
pub use diagnostics::name_diagnostics;
pub use explicit::explicit;
pub use index::{DOC_SUFFIXES, FORM_SUFFIXES, Index};
pub use link::{link, relink};
pub use scanner::{Place, Scanner};

/// A match in a run of text, before it is recorded or rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub result: Result<Target, Problem>,
}

/// Why a reference could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Its kind in the message catalogue ([`crate::messages`]) and the values the text names.
    pub code: &'static str,
    pub args: Vec<(&'static str, String)>,
    /// Advice that depends on the case (a near miss or none).
    pub hint: Option<(&'static str, Vec<(&'static str, String)>)>,
}

impl Problem {
    fn new(code: &'static str, args: Vec<(&'static str, String)>) -> Problem {
        Problem {
            code,
            args,
            hint: None,
        }
    }

    fn with_hint(mut self, name: &'static str, args: Vec<(&'static str, String)>) -> Problem {
        self.hint = Some((name, args));
        self
    }
}

#[cfg(test)]
#[allow(clippy::type_complexity)] // table-driven tests spell out their rows' types
mod tests {
    use super::articles::parse_article_ref;
    use super::near::{NearTitles, SUGGEST};
    use super::numbers::{doc_number, quoted_amendments};
    use super::*;
    use crate::model::Library;

    #[test]
    fn near_titles_find_the_nearest_without_comparing_all() {
        let titles = [
            "市委保密办财务管理制度",
            "市委保密办公务接待制度",
            "市委保密办印章使用管理制度",
            "财务制度",
            "会议制度",
        ];
        let near = NearTitles::new(
            titles
                .iter()
                .enumerate()
                .map(|(i, t)| (t.to_string(), i))
                .collect(),
        );
        // (name, nearest title)
        let cases: &[(&str, Option<&str>)] = &[
            ("市委保密办财务管理治度", Some("市委保密办财务管理制度")),
            ("市甲保密办财务管理制度", Some("市委保密办财务管理制度")),
            ("市委保密办公务接待办法", Some("市委保密办公务接待制度")),
            ("印章使用管理制度", Some("市委保密办印章使用管理制度")),
            ("财务治度", Some("财务制度")),
            ("会义制度", Some("会议制度")),
            ("中华人民共和国刑法", None),
            ("", None),
        ];
        for (name, want) in cases {
            let got = near.nearest(name).map(|i| titles[i]);
            assert_eq!(got, *want, "{name}");
        }
        // The same as comparing with every title.
        for name in [
            "市委保密办财务",
            "保密办印章管理制度",
            "财务管理",
            "公务接待制度",
        ] {
            let q: Vec<char> = name.chars().collect();
            let brute = titles
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let t: Vec<char> = t.chars().collect();
                    let s = 1.0
                        - strsim::generic_levenshtein(&q, &t) as f64 / q.len().max(t.len()) as f64;
                    (s, i)
                })
                .filter(|(s, _)| *s >= SUGGEST)
                .fold(None, |best: Option<(f64, usize)>, (s, i)| match best {
                    Some((bs, _)) if bs >= s => best,
                    _ => Some((s, i)),
                })
                .map(|(_, i)| i);
            assert_eq!(near.nearest(name), brute, "{name}");
        }
    }

    #[test]
    fn article_references() {
        let cases: &[(&str, Option<(u32, Option<u32>, Option<u32>, &str)>)] = &[
            ("第五条规定", Some((5, None, None, "第五条"))),
            (
                "第三条第（二）项处理",
                Some((3, Some(2), None, "第三条第（二）项")),
            ),
            ("第三条（二）项", Some((3, Some(2), None, "第三条（二）项"))),
            (
                "第十二条第二款",
                Some((12, None, Some(2), "第十二条第二款")),
            ),
            (
                "第二条第一款第（三）项",
                Some((2, Some(3), Some(1), "第二条第一款第（三）项")),
            ),
            ("第一责任人", None),
            ("第四季度", None),
            ("第条", None),
        ];
        for (text, want) in cases {
            let got = parse_article_ref(text).map(|(a, i, p, used)| (a, i, p, &text[..used]));
            assert_eq!(got, *want, "{text}");
        }
    }

    #[test]
    fn quoted_amendments_are_found_after_an_amending_verb_only() {
        let quoted = |t: &str| -> Vec<String> {
            quoted_amendments(t)
                .into_iter()
                .map(|r| t[r].to_string())
                .collect()
        };
        assert_eq!(
            quoted("将刑法第十条修改为：“违反本法第五条的，处罚。”第二款不变。"),
            ["“违反本法第五条的，处罚。"]
        );
        // Nested quotation marks; a quotation going on into the next paragraph runs to the end.
        assert_eq!(
            quoted("增加一条：“称“单位”，见本法第二条。”"),
            ["“称“单位”，见本法第二条。"]
        );
        assert_eq!(quoted("表述为：“本法第三条"), ["“本法第三条"]);
        // Quotation marks elsewhere are text like any other; so is one after another sentence's verb.
        assert!(quoted("本制度所称“一把手”，见本办法第一条。").is_empty());
        assert!(quoted("修改为下列文字。所称“一把手”，见第一条。").is_empty());
    }

    #[test]
    fn line_col_never_splits_a_character() {
        // Found by the fuzzer: a run's source offset plus a position in its unescaped text can
        // land inside a character.
        let lc = |offset| super::super::lines::LineIndex::new("一\n二").line_col("一\n二", offset);
        assert_eq!(lc(1), (1, 1));
        assert_eq!(lc(5), (2, 1));
        assert_eq!(lc(99), (2, 2));
    }

    #[test]
    fn document_numbers() {
        let cases: &[(&str, usize, Option<&str>)] = &[
            (
                "5．中保委〔2004〕7号；",
                "5．".len(),
                Some("中保委〔2004〕7号"),
            ),
            ("白会总字〔2018〕45号", 0, Some("白会总字〔2018〕45号")),
            ("中办发〔15〕15号", 0, None),
            ("中保委〔2004〕号", 0, None),
            ("保委〔2004〕7号", 0, Some("保委〔2004〕7号")),
        ];
        for (text, at, want) in cases {
            let got = doc_number(text, *at).map(|f| &text[f.range]);
            assert_eq!(got, *want, "{text}");
        }
        // Not from the middle of the issuer's name.
        assert_eq!(doc_number("中保委〔2004〕7号", "中".len()), None);
    }

    #[test]
    fn forms_and_documents_by_name() {
        let lib = Library::new(Default::default(), vec![], vec![], vec![], vec![], vec![]);
        let index = Index::new(&lib, &[]);
        for (name, form) in [
            ("印章使用审批单", true),
            ("空编使用函", true),
            ("中国共产党入党志愿书", true),
            ("公务接待清单", true),
            ("党风廉政建设责任清单", false),
            ("中国共产党问责条例", false),
            ("国家公务员法", false),
            ("省委办公厅党风廉政建设责任制度", false),
        ] {
            assert_eq!(index.is_form(name), form, "{name}");
        }
    }
}
