//! No input crashes or hangs the build: nesting deep enough to overflow a recursive parser is an
//! error with the file and line, every stage is linear in the size of a file, and over-long titles
//! and aliases are refused. These tests run the real binary, so an abort (a signal) or a hang shows
//! up as such instead of taking the test harness down with it.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rulebook::structure::limits::MAX_NESTING;

/// What a run of the binary gave: exit code (None if killed by a signal), stdout, stderr, time.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    #[allow(dead_code)] // read by the timing tests
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
    let mut child = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .arg(cmd)
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
