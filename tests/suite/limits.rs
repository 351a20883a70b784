//! No input crashes or hangs the build: nesting deep enough to overflow a recursive parser is an
//! error with the file and line, every stage is linear in the size of a file, and over-long titles
//! and aliases are refused. These tests run the real binary, so an abort (a signal) or a hang shows
//! up as such instead of taking the test harness down with it.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rulebook::structure::limits::{MAX_NAME_CHARS, MAX_NESTING};

/// What a run of the binary gave: exit code (None if killed by a signal), stdout, stderr, time.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

impl Run {
    fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// `rulebook <cmd> --root <root>`, killed after `limit` (a hang fails the test instead of stalling it).
fn rulebook(cmd: &str, root: &Path, limit: Duration) -> Run {
    let start = Instant::now();
    // The summary lines are read in English.
    let mut child = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["--lang", "en", cmd])
        .arg("--root")
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run rulebook");
    // Read both pipes on threads so a chatty child never blocks on a full pipe.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`rulebook {cmd}` still running after {limit:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = start.elapsed();
    Run {
        code: status.code(),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        took,
    }
}

/// A site holding `content/<name>` for each (name, text).
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        let p = dir.path().join("content").join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

const FRONT: &str = "---\ntitle: 深层嵌套\n---\n";

// ---------------------------------------------------------------------------------------------------
// Nesting
// ---------------------------------------------------------------------------------------------------

/// Bodies nested 6,000 deep in every way Markdown (and raw HTML) nests: each is an error at the
/// line where the nesting passes the limit, from `check` and from `build`, never an abort.
#[test]
fn deep_nesting_is_an_error_not_an_abort() {
    // (what, body, file line of the problem): the front-matter takes 3 lines, then two paragraph
    // lines come first, so a shape on one line is on line 6.
    let nested_list: String = (0..1000)
        .map(|i| format!("{}- a\n", "  ".repeat(i)))
        .collect();
    let shapes: Vec<(&str, String, usize)> = vec![
        ("block quotes", "> ".repeat(6000) + "x\n", 6),
        ("list markers", "* ".repeat(6000) + "x\n", 6),
        ("ordered list markers", "1. ".repeat(6000) + "x\n", 6),
        // One level per line: the 65th list is on the 65th line.
        ("nested lists", nested_list, 6 + MAX_NESTING),
        (
            "emphasis runs",
            format!("{}text{}\n", "*".repeat(6000), "*".repeat(6000)),
            6,
        ),
        (
            "emphasis pairs",
            format!("{}x{}\n", "*a ".repeat(3000), " a*".repeat(3000)),
            6,
        ),
        ("mixed", "> * 1. ".repeat(2000) + "x\n", 6),
        ("raw html", "<div>".repeat(6000) + "\n", 6),
        ("inline html", format!("x {}y\n", "<em>".repeat(6000)), 6),
        (
            "table in a cell",
            format!("x {}y\n", "<tr><td>".repeat(6000)),
            6,
        ),
    ];
    for (what, body, line) in shapes {
        let text = format!("{FRONT}第一条　正文。\n\n{body}");
        let dir = site(&[("deep.md", &text)]);
        for cmd in ["check", "build"] {
            let r = rulebook(cmd, dir.path(), Duration::from_secs(120));
            assert_eq!(
                r.code,
                Some(1),
                "{what}: `{cmd}` gave {:?} (None: killed by a signal)\n{}",
                r.code,
                r.all()
            );
            let all = r.all();
            assert!(
                all.contains(&format!("deep.md:{line}:1")),
                "{what}: `{cmd}` does not name line {line}:\n{all}"
            );
            assert!(
                all.contains("nested"),
                "{what}: `{cmd}` does not say what is wrong:\n{all}"
            );
        }
        assert!(
            !dir.path().join("public").exists(),
            "{what}: a failed build wrote output"
        );
    }
}

/// Nesting up to the limit is fine, one more level is not.
#[test]
fn nesting_limit_is_exact() {
    let ok = format!("{FRONT}{}x\n", "> ".repeat(MAX_NESTING));
    let dir = site(&[("ok.md", &ok)]);
    let r = rulebook("build", dir.path(), Duration::from_secs(120));
    assert_eq!(r.code, Some(0), "{}", r.all());
    let deep = format!("{FRONT}{}x\n", "> ".repeat(MAX_NESTING + 1));
    let dir = site(&[("deep.md", &deep)]);
    let r = rulebook("check", dir.path(), Duration::from_secs(120));
    assert_eq!(r.code, Some(1), "{}", r.all());
    assert!(r.all().contains("deep.md:4:1"), "{}", r.all());
}

// ---------------------------------------------------------------------------------------------------
// Size: every stage linear in the file
// ---------------------------------------------------------------------------------------------------

/// A regulation of about `bytes` bytes with everything the stages look at: chapters, articles,
/// items, sub-items, later paragraphs, 本办法第N条, 前款, 《titles》 of another regulation, a glossary
/// term, document numbers and a risk register. `lines` false puts the body on one line (one
/// paragraph: one clause). Returns (text, clauses, articles).
fn big_regulation(bytes: usize, lines: bool) -> (String, usize, usize) {
    let mut s = String::from(
        "---\ntitle: 市委保密办大型制度\naliases: [大型制度]\nrisk_register:\n  columns: [职责, 措施]\n  rows:\n",
    );
    for i in 0..200 {
        s.push_str(&format!(
            "    - 职责: [执行《市委保密办小制度》第一条的职责{i}]\n      措施: [依照本办法第一条办理{i}]\n"
        ));
    }
    s.push_str("---\n");
    let sep = if lines { "\n\n" } else { " " };
    let mut clauses = 0;
    let mut art = 0;
    while s.len() < bytes {
        if lines && art % 500 == 0 {
            s.push_str(&format!("第{}章　总则{sep}", art / 500 + 1));
            clauses += 1;
        }
        art += 1;
        // On one line, a 第N条 after the first would be a reference to a clause that is not there.
        if lines || art == 1 {
            s.push_str(&format!("第{art}条　"));
        }
        s.push_str(&format!(
            "依照本办法第1条和《市委保密办小制度》第二条，按中保委〔2004〕7号落实三重一大。{sep}"
        ));
        clauses += 1;
        if lines {
            s.push_str(&format!(
                "前款所称事项，见本办法第{art}条第（一）项，遵守《中国共产党问责条例》。{sep}（一）甲事项；{sep}1．子项一；{sep}（二）乙事项。{sep}"
            ));
            clauses += 3;
        }
    }
    (s, if lines { clauses } else { 1 }, art)
}

const SMALL: &str = "---\ntitle: 市委保密办小制度\nid: small\n---\n第一条　甲。\n\n第二条　乙。\n";
const SITE: &str = "short_name: 市委保密办\n";
const TERMS: &str =
    "- term: 三重一大\n  definition: 重大事项决策\n  source: small\n  clause: art1\n";

/// The number before `what` in "Checked 2 documents, 123 clauses, 456 references: …".
fn count(out: &str, what: &str) -> usize {
    let line = out
        .lines()
        .find(|l| l.starts_with("Checked"))
        .unwrap_or_else(|| panic!("{out}"));
    let at = line.find(what).unwrap_or_else(|| panic!("{line}"));
    line[..at]
        .trim_end()
        .rsplit([' ', ','])
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// A 20 MB regulation loads, with every line or on a single line; the time grows linearly with the
/// file (2 MB against 20 MB).
#[test]
fn big_files_load_in_linear_time() {
    let mut times = Vec::new();
    for (mb, lines) in [(2, true), (20, true), (2, false), (20, false)] {
        let (text, clauses, articles) = big_regulation(mb << 20, lines);
        let dir = site(&[
            ("big.md", &text),
            ("small.md", SMALL),
            ("site.yaml", SITE),
            ("terms.yaml", TERMS),
        ]);
        // Generous: a quadratic stage takes hours on 20 MB, a linear one seconds (in a debug build).
        let r = rulebook("check", dir.path(), Duration::from_secs(600));
        let out = r.all();
        assert_eq!(r.code, Some(0), "{mb} MB:\n{}", &out[..out.len().min(4000)]);
        // Everything was read: every clause counted, references found in every article.
        assert_eq!(count(&r.stdout, "clauses"), clauses + 2, "{mb} MB");
        // Per article: 本办法第1条, 《…》第二条, the document number (and, one per line, the term,
        // 前款, 本办法第N条第（一）项 and the cited law).
        let per_article = if lines { 7 } else { 3 };
        assert!(
            count(&r.stdout, "references") >= per_article * articles,
            "{mb} MB, {articles} articles: {}",
            r.stdout
        );
        eprintln!(
            "{mb} MB ({}): {:?}",
            if lines { "lines" } else { "one line" },
            r.took
        );
        times.push(r.took);
    }
    // Linear: 10× the input within 30× the time (quadratic would be 100×).
    for pair in times.chunks(2) {
        let ratio = pair[1].as_secs_f64() / pair[0].as_secs_f64();
        assert!(
            ratio < 30.0,
            "2 MB {:?}, 20 MB {:?}: not linear",
            pair[0],
            pair[1]
        );
    }
}

// ---------------------------------------------------------------------------------------------------
// Titles, aliases and 《…》
// ---------------------------------------------------------------------------------------------------

/// A 100,000-character title or alias is refused with the file and line, quickly.
#[test]
fn over_long_titles_and_aliases_are_refused() {
    let long = "甲".repeat(100_000);
    for (what, text, line) in [
        (
            "title",
            format!("---\ntitle: {long}\n---\n第一条　正文。\n"),
            2,
        ),
        (
            "alias",
            format!("---\ntitle: 短\nid: a\naliases: [乙, {long}]\n---\n第一条　正文。\n"),
            4,
        ),
    ] {
        let dir = site(&[("long.md", &text), ("small.md", SMALL), ("site.yaml", SITE)]);
        let r = rulebook("check", dir.path(), Duration::from_secs(60));
        let all = r.all();
        assert_eq!(r.code, Some(1), "{what}: {all}");
        assert!(all.contains(&format!("long.md:{line}:1")), "{what}: {all}");
        assert!(
            all.contains(&format!("at most {MAX_NAME_CHARS}")),
            "{what}: {all}"
        );
    }
}

/// Long or unclosed 《…》 and other long runs in a body are handled in linear time.
#[test]
fn long_and_unclosed_book_titles_are_quick() {
    // A million characters: linear is well under a second, quadratic minutes.
    let n = 1_000_000;
    let long = "甲".repeat(n);
    for (what, body) in [
        ("unclosed", "《".repeat(n)),
        ("unclosed with text", "《甲".repeat(n / 2)),
        ("long", format!("《{long}》")),
        ("many opens, one close", format!("{}》", "《".repeat(n))),
        ("long near-miss", format!("《市委保密办{long}》")),
        ("doc-number brackets", "〔".repeat(n)),
        ("article numbers", format!("本办法第{}条", "一".repeat(n))),
        ("many titles", "《市委保密办小制度》第二条".repeat(n / 12)),
    ] {
        let text = format!("---\ntitle: 市委保密办甲制度\n---\n第一条　{body}\n");
        let dir = site(&[("a.md", &text), ("small.md", SMALL), ("site.yaml", SITE)]);
        let r = rulebook("check", dir.path(), Duration::from_secs(60));
        assert!(r.code.is_some(), "{what}: killed by a signal");
        assert!(r.took < Duration::from_secs(60), "{what}");
        eprintln!("{what}: {:?}", r.took);
    }
}
