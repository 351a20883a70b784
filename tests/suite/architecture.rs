//! The pipeline's shape: outputs are functions of the model. Rendering cannot reach the scanner,
//! the Markdown parser, the loader or the file system, and a site renders from a library built in
//! memory, with no content folder at all.

use crate::common;

use rulebook::config::Config;
use rulebook::model::{Library, Regulation, Target};
use rulebook::render::theme::Theme;

/// The source of a module without its `#[cfg(test)]` part (tests may build models any way).
fn code(path: &std::path::Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    match text.find("#[cfg(test)]") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

#[test]
fn render_modules_reach_neither_the_analysis_nor_the_file_system() {
    let dir = common::repo_root().join("src/render");
    let mut checked = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        // The theme is loaded (from the site's templates/ and static/) before rendering starts;
        // renderers are handed it loaded.
        if path.file_name().unwrap() == "theme.rs" {
            continue;
        }
        let src = code(&path);
        for forbidden in [
            "crate::structure",
            "crate::content",
            "std::fs",
            "fs::",
            "Parser::new",
            "walkdir",
            "Scanner",
        ] {
            assert!(
                !src.contains(forbidden),
                "{} uses {forbidden}",
                path.display()
            );
        }
        checked += 1;
    }
    assert!(checked >= 8, "{checked} render modules");
    // …and the loader does not reach into the analysis either (imports point down the pipeline).
    for e in walkdir::WalkDir::new(common::repo_root().join("src/content")) {
        let path = e.unwrap().into_path();
        if !path.is_file() {
            continue;
        }
        let src = code(&path);
        for forbidden in ["crate::structure", "crate::render", "crate::output"] {
            assert!(
                !src.contains(forbidden),
                "{} uses {forbidden}",
                path.display()
            );
        }
    }
    let model = code(&common::repo_root().join("src/model/mod.rs"));
    for forbidden in ["crate::structure", "crate::content", "crate::render"] {
        assert!(!model.contains(forbidden), "the model uses {forbidden}");
    }
}

#[test]
fn a_library_built_in_memory_renders() {
    let mut jia = Regulation::new(
        "jia",
        "甲制度",
        "第一条　总则。\n\n第二条　依照《乙办法》第一条执行。\n",
    );
    jia.category = "c".into();
    let mut yi = Regulation::new("yi", "乙办法", "第一条　乙的规定。\n");
    yi.category = "c".into();
    let mut lib = Library::new(
        Config::default(),
        vec![jia, yi],
        vec![rulebook::model::Category {
            regulations: vec![0, 1],
            total: 2,
            ..rulebook::model::Category::new("c", "类别")
        }],
        vec![],
        vec![],
        vec![],
    );
    let diags = rulebook::structure::analyse(&mut lib, &[], &Default::default());
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        lib.references[0].target,
        Target::Regulation {
            id: "yi".into(),
            anchor: Some("art1".into())
        }
    );
    // No content folder, no templates: the built-in theme.
    let nowhere = tempfile::tempdir().unwrap();
    let theme = Theme::load(nowhere.path(), &[]).unwrap();
    let files = rulebook::render::render_all(&lib, &theme).unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for want in [
        "index.html",
        "regulations/jia.html",
        "regulations/yi.html",
        "categories/c.html",
        "assets/style.css",
    ] {
        assert!(paths.contains(&want), "{want} in {paths:?}");
    }
    let jia = files
        .iter()
        .find(|f| f.path == "regulations/jia.html")
        .unwrap();
    let html = String::from_utf8_lossy(&jia.bytes);
    assert!(
        html.contains("<a class=xref href=../regulations/yi.html#art1 data-cite=（见《乙办法》第一条）>《乙办法》第一条</a>"),
        "{html}"
    );
}

/// The calendar is read in one place, when the build starts (`site::build_day`); the loader, the
/// analysis, the renderers, the search index and the PDF take the day from the build, so a page is
/// a function of the model and the build's inputs — the day included.
#[test]
fn only_the_build_reads_the_calendar() {
    let src = common::repo_root().join("src");
    let mut checked = 0;
    for e in walkdir::WalkDir::new(&src) {
        let path = e.unwrap().into_path();
        if path.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // site.rs decides the build's day; the command line times its commands (Instant, not the
        // calendar) and serve times its rebuilds.
        if rel == "site.rs" {
            continue;
        }
        let text = code(&path);
        for forbidden in [
            "ZonedDateTime::now",
            "Zoned::now",
            "Timestamp::now",
            "SystemTime",
            "Date::today",
            "lifecycle::today",
        ] {
            assert!(!text.contains(forbidden), "src/{rel} uses {forbidden}");
        }
        checked += 1;
    }
    assert!(checked > 40, "{checked} modules");
}

/// What is in force is decided for the library's day, not the day the pages are rendered.
#[test]
fn a_library_renders_for_its_own_day() {
    let render_on = |day: jiff::civil::Date| {
        let mut jia = Regulation::new("jia", "甲制度", "第一条　总则。\n");
        jia.category = "c".into();
        jia.effective = Some("2025年1月1日".into());
        jia.lifecycle.effective = Some(jiff::civil::date(2025, 1, 1));
        let mut lib = Library::new(
            Config::default(),
            vec![jia],
            vec![rulebook::model::Category {
                regulations: vec![0],
                total: 1,
                ..rulebook::model::Category::new("c", "类别")
            }],
            vec![],
            vec![],
            vec![],
        );
        lib.today = day;
        rulebook::structure::analyse(&mut lib, &[], &Default::default());
        let nowhere = tempfile::tempdir().unwrap();
        let theme = Theme::load(nowhere.path(), &[]).unwrap();
        let files = rulebook::render::render_all(&lib, &theme).unwrap();
        let page = files
            .iter()
            .find(|f| f.path == "regulations/jia.html")
            .unwrap();
        String::from_utf8_lossy(&page.bytes).into_owned()
    };
    let not_yet = "目前尚未生效";
    assert!(render_on(jiff::civil::date(2024, 6, 1)).contains(not_yet));
    assert!(!render_on(jiff::civil::date(2025, 1, 1)).contains(not_yet));
    assert!(!render_on(jiff::civil::date(2026, 6, 1)).contains(not_yet));
}
