//! Diagnostics at scale: identical problems are grouped on the terminal, every one is in the JSON.

use crate::common;

use crate::common::fixture_site;

fn rulebook(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    common::run_rulebook(args)
}

#[test]
fn ten_thousand_warnings_print_a_screenful_and_json_lists_all() {
    // 10,000 numbering gaps (第1条 第3条 第5条 …) in one file, one unknown key in 200 files.
    let gaps: String = (0..10_000)
        .map(|i| format!("第{}条　第{i}项。\n\n", 2 * i + 1))
        .collect();
    let mut files: Vec<(String, String)> = vec![(
        "content/gaps.md".into(),
        format!("---\ntitle: 缺号制度\n---\n{gaps}"),
    )];
    for i in 0..200 {
        files.push((
            format!("content/p/{i:03}.md"),
            format!("---\ntitle: 制度{i}\nlayout: page\n---\n一、正文。\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = fixture_site(&refs);
    let root = site.path().as_os_str();

    let (code, out, err) = rulebook(&[
        "check".as_ref(),
        "--root".as_ref(),
        root,
        "--lang".as_ref(),
        "en".as_ref(),
    ]);
    assert_eq!(code, 0, "warnings only");
    // 9,999 gaps, and one warning for the key however many files use it.
    assert!(out.contains("0 error(s), 10000 warning(s)"), "{out}");
    let lines = err.lines().count();
    assert!(lines <= 60, "{lines} lines:\n{err}");
    assert!(err.contains("… and 9998 more like this [RB015]"), "{err}");
    assert!(
        err.contains("unknown front-matter key `layout` is ignored (200 files use it: content/p/000.md:3, content/p/001.md:3, content/p/002.md:3, …)"),
        "{err}"
    );

    let (_, json, _) = rulebook(&[
        "check".as_ref(),
        "--root".as_ref(),
        root,
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let all = v["diagnostics"].as_array().unwrap();
    assert_eq!(all.len(), 10_000);
    // Every use of the key is in the JSON: the warning's own place and the others under `also`.
    let key = all.iter().find(|d| d["also"].is_array()).unwrap();
    assert_eq!(key["path"], "content/p/000.md");
    assert_eq!(key["also"].as_array().unwrap().len(), 199);
    assert_eq!(key["also"][198]["path"], "content/p/199.md");

    let (_, _, err) = rulebook(&[
        "check".as_ref(),
        "--root".as_ref(),
        root,
        "--verbose".as_ref(),
    ]);
    assert!(err.lines().count() > 10_000, "--verbose shows every one");

    // A build with them prints the same screenful and succeeds.
    let out_dir = site.path().join("public");
    let (code, _, err) = rulebook(&[
        "build".as_ref(),
        "--root".as_ref(),
        root,
        "--out".as_ref(),
        out_dir.as_os_str(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.lines().count() <= 60, "{err}");
}
