//! Withdrawing always works (issue 23): each of the seed's 24 regulations marked `draft: true` in
//! turn builds (with warnings: what cited it degrades to plain text or is left out, one warning per
//! citing place), and none of its clauses' text appears anywhere in the output — pages, search
//! data, previews, checklists' scripts, print. `--deny-warnings` still stops such a build.

use crate::common;

use std::path::Path;

use crate::common::{copy_content, html_text};

/// Every regulation of the seed: (source path relative to the site, own text of each clause).
fn seed_texts() -> Vec<(String, Vec<String>)> {
    let dir = tempfile::tempdir().unwrap();
    copy_content(dir.path());
    let mut site = rulebook::Site::new(dir.path());
    let lib = site.load().expect("the seed loads");
    lib.regulations
        .iter()
        .map(|r| {
            let mut texts = r.doc.clause_texts(r.clauses.len());
            texts.push(r.doc.preamble_text());
            (r.source.path.to_string_lossy().into_owned(), texts)
        })
        .collect()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every output file's text, twice: as written (scripts and JSON included) and, for pages, as read.
fn output_texts(out: &Path) -> Vec<(String, String)> {
    common::all_files(out)
        .into_iter()
        .filter(|(rel, _)| !rel.ends_with(".png") && !rel.ends_with(".woff2"))
        .flat_map(|(rel, bytes)| {
            let raw = String::from_utf8_lossy(&bytes).into_owned();
            let read = if rel.ends_with(".html") {
                html_text(&raw)
            } else {
                String::new()
            };
            [(rel.clone(), squash(&raw)), (rel, squash(&read))]
        })
        .collect()
}

fn mark_draft(root: &Path, rel: &str) {
    let p = root.join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    let text = text.replacen("---\n", "---\ndraft: true\n", 1);
    std::fs::write(&p, text).unwrap();
}

/// `rulebook build` run from the site folder, as the README writes it.
fn build_here(root: &Path, extra: &[&str]) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .arg("build")
        .args(extra)
        .current_dir(root)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_seed_regulation_can_be_withdrawn_and_its_text_is_nowhere() {
    let all = seed_texts();
    assert_eq!(all.len(), 24);
    let mut failures = Vec::new();
    for (path, texts) in &all {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        copy_content(root);
        mark_draft(root, path);
        let (code, err) = build_here(root, &[]);
        if code != 0 {
            failures.push(format!("{path}: build failed\n{err}"));
            continue;
        }
        // Words another regulation also says are that regulation's own: only the rest must go.
        let others: String = all
            .iter()
            .filter(|(p, _)| p != path)
            .map(|(p, _)| squash(&std::fs::read_to_string(root.join(p)).unwrap()))
            .collect();
        let outputs = output_texts(&root.join("public"));
        for t in texts.iter().map(|t| squash(t)) {
            if t.chars().count() < 12 || others.contains(&t) {
                continue;
            }
            if let Some((rel, _)) = outputs.iter().find(|(_, o)| o.contains(&t)) {
                failures.push(format!("{path}: `{t}` is in {rel}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn withdrawing_a_cited_regulation_warns_once_per_citing_place_and_deny_warnings_fails() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_content(root);
    // 三重一大: cited by glossary terms, by steps of the 一把手 procedure and in regulations' text.
    mark_draft(root, "content/juece-jiandu/sanzhong-yida.md");
    // An explicit link written by an editor in another regulation.
    let other = root.join("content/xingzheng-shiwu/qingxiaojia.md");
    let text = std::fs::read_to_string(&other).unwrap();
    std::fs::write(
        &other,
        format!("{text}\n[见三重一大](@sanzhong-yida#sec2)\n"),
    )
    .unwrap();
    let (code, json) = common::check_json(root, &[]);
    assert_eq!(code, 0, "{json}");
    let diags = json
        .as_array()
        .cloned()
        .or_else(|| json["diagnostics"].as_array().cloned())
        .unwrap();
    let count = |code: &str| diags.iter().filter(|d| d["code"] == code).count();
    // One per term whose source it is, one per step resting on it, one for the explicit link.
    let terms = std::fs::read_to_string(root.join("content/terms.yaml")).unwrap();
    assert_eq!(
        count("RB105"),
        terms.matches("source: sanzhong-yida").count()
    );
    let steps =
        std::fs::read_to_string(root.join("content/procedures/yibashou-quanli-liucheng.yaml"))
            .unwrap();
    assert_eq!(
        count("RB103"),
        steps.matches("clause: \"sanzhong-yida#").count()
    );
    assert_eq!(count("RB037"), 1, "{json}");
    assert!(diags.iter().all(|d| d["severity"] == "warning"), "{json}");

    let (code, err) = build_here(root, &[]);
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(root.join("public/regulations/qingxiaojia.html")).unwrap();
    assert!(
        page.contains("见三重一大") && !page.contains("sanzhong-yida"),
        "{page}"
    );
    let (code, _) = build_here(root, &["--deny-warnings"]);
    assert_ne!(code, 0);
}
