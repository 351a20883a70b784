//! History benchmark (issue 26, item 5): what reading the content's git history costs a build — a
//! handbook of 10,000 regulations with 1,000 commits, built with `history: true` and with
//! `history: false` (target: within 1.5 × the time, ≤ 600 MB), and one regulation of 12 MB with 15
//! versions (target: ≤ 300 MB).
//!
//! ```text
//! cargo bench --bench history                                   # both cases, 3 timed builds each
//! HISTORY_SIZE=1000 HISTORY_COMMITS=100 cargo bench --bench history
//! cargo bench --bench history -- --no-build --runs 1            # release binaries already built
//! ```
//!
//! Settings (environment variable, or argument after `--`): `HISTORY_SIZE` / `--size` (regulations,
//! 10000), `HISTORY_COMMITS` / `--commits` (1000), `HISTORY_RUNS` / `--runs` (3), `--no-build`,
//! `--only big|many`.
//!
//! What it does: builds the release binaries (`cargo build --release --bin rulebook --example
//! gen_corpus`) into the target folder (`CARGO_TARGET_DIR`, else `target/`); generates the corpus
//! with `examples/gen_corpus.rs` (seed 42) into `<target>/history-bench/n<N>/` and commits it with
//! gix as a first commit, then commits the remaining ones, each rewording one sentence in three
//! regulations chosen by a fixed pseudo-random sequence, a day apart. The 12 MB regulation (articles
//! 第一条 … of about 600 bytes each) is committed 15 times, each version changing 20 articles.
//! Repositories are kept and reused while N and the commit count are the same. Each case is built
//! once untimed, then `--runs` times each with the history and without (`history:` of site.yaml,
//! which is not committed, switched between runs), alternating; the figures are the median wall
//! time and the largest peak memory (max RSS from `wait4`), with the `history` stage rulebook
//! prints. Results go to stdout and `<target>/history-bench/report.md`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use gix::ObjectId;
use gix::objs::tree::{Entry, EntryKind};

#[path = "common/mod.rs"]
mod common;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

struct Opts {
    size: usize,
    commits: usize,
    runs: usize,
    build: bool,
    only: Option<String>,
}

fn opts() -> Opts {
    let mut o = Opts {
        size: env_or("HISTORY_SIZE", "10000").parse().unwrap_or(10000),
        commits: env_or("HISTORY_COMMITS", "1000").parse().unwrap_or(1000),
        runs: env_or("HISTORY_RUNS", "3").parse().unwrap_or(3),
        build: true,
        only: None,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let next = |i: usize| args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--size" => {
                o.size = next(i).parse().unwrap_or(o.size);
                i += 1;
            }
            "--commits" => {
                o.commits = next(i).parse().unwrap_or(o.commits);
                i += 1;
            }
            "--runs" => {
                o.runs = next(i).parse().unwrap_or(o.runs);
                i += 1;
            }
            "--only" => {
                o.only = Some(next(i));
                i += 1;
            }
            "--no-build" => o.build = false,
            _ => {} // cargo bench passes --bench
        }
        i += 1;
    }
    o
}

/// The `history` stage's time from `rulebook build`'s summary line (`history 123.4 ms`), if any.
fn history_stage(stdout: &str) -> Option<f64> {
    let at = stdout.find("history ")?;
    stdout[at + 8..].split(' ').next()?.parse().ok()
}

/// A repository under construction: the work tree's folders as trees kept in memory, so that a
/// commit rewrites only the trees above the files it changed.
struct Builder {
    repo: gix::Repository,
    /// Folder (relative, "" for the root) → its entries: name → (is folder, object).
    trees: BTreeMap<String, BTreeMap<String, (bool, ObjectId)>>,
    head: Option<ObjectId>,
}

impl Builder {
    fn init(root: &Path) -> Builder {
        let repo = gix::init(root).expect("git init");
        let mut b = Builder {
            repo,
            trees: BTreeMap::new(),
            head: None,
        };
        b.trees.insert(String::new(), BTreeMap::new());
        for e in walkdir::WalkDir::new(root.join("content")).sort_by_file_name() {
            let e = e.expect("walk");
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if e.file_type().is_dir() {
                b.trees.entry(rel).or_default();
            } else if e.file_type().is_file() && !rel.ends_with("site.yaml") {
                let bytes = fs::read(e.path()).expect("read");
                b.put(&rel, &bytes);
            }
        }
        b
    }

    /// Record `rel`'s new bytes (its folders are rewritten at the next commit).
    fn put(&mut self, rel: &str, bytes: &[u8]) {
        let id = self.repo.write_blob(bytes).expect("blob").detach();
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        self.trees
            .entry(dir.to_string())
            .or_default()
            .insert(name.to_string(), (false, id));
    }

    /// Write the tree of `dir` and those below it.
    fn write(&mut self, dir: &str) -> ObjectId {
        let children: Vec<String> = self
            .trees
            .keys()
            .filter(|k| {
                !k.is_empty()
                    && k.rsplit_once('/').map_or("", |(p, _)| p) == dir
                    && k.as_str() != dir
            })
            .cloned()
            .collect();
        for c in children {
            let id = self.write(&c);
            let name = c
                .rsplit_once('/')
                .map_or(c.as_str(), |(_, n)| n)
                .to_string();
            self.trees.get_mut(dir).unwrap().insert(name, (true, id));
        }
        let mut entries: Vec<Entry> = self.trees[dir]
            .iter()
            .map(|(name, (is_dir, oid))| Entry {
                mode: if *is_dir {
                    EntryKind::Tree.into()
                } else {
                    EntryKind::Blob.into()
                },
                filename: name.as_str().into(),
                oid: *oid,
            })
            .collect();
        entries.sort();
        self.repo
            .write_object(gix::objs::Tree { entries })
            .expect("tree")
            .detach()
    }

    fn commit(&mut self, message: &str, seconds: i64) {
        let tree = self.write("");
        let time = format!("{seconds} +0800");
        let sig = gix::actor::SignatureRef {
            name: "编辑".into(),
            email: "editor@example.invalid".into(),
            time: time.as_str(),
        };
        let parents: Vec<ObjectId> = self.head.into_iter().collect();
        let id = self
            .repo
            .commit_as(sig, sig, "HEAD", message, tree, parents)
            .expect("commit")
            .detach();
        self.head = Some(id);
    }
}

/// A fixed pseudo-random sequence (the corpus and its edits are the same on every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

const DAY: i64 = 86_400;
/// 2020-01-01 00:00 UTC: the first commit.
const START: i64 = 1_577_836_800;

/// `history: true|false` in the site's site.yaml (left uncommitted).
fn set_history(root: &Path, on: bool) {
    let path = root.join("content/site.yaml");
    let text = fs::read_to_string(&path).unwrap_or_default();
    let mut out: String = text
        .lines()
        .filter(|l| !l.starts_with("history:"))
        .map(|l| format!("{l}\n"))
        .collect();
    out.push_str(&format!("history: {on}\n"));
    fs::write(&path, out).expect("site.yaml");
}

/// The 10,000 regulations with 1,000 commits (a repository made once and kept).
fn many(target: &Path, work: &Path, manifest: &Path, n: usize, commits: usize) -> PathBuf {
    let root = work.join(format!("n{n}-c{commits}"));
    let done = root.join(".bench-done");
    if done.is_file() {
        return root;
    }
    let _ = fs::remove_dir_all(&root);
    eprintln!(
        "history: generating {n} regulations into {}",
        root.display()
    );
    let ok = Command::new(target.join("release/examples/gen_corpus"))
        .args(["--docs", &n.to_string(), "--seed", "42", "--out"])
        .arg(&root)
        .arg("--seed-content")
        .arg(manifest.join("content"))
        .stdout(Stdio::null())
        .status()
        .expect("gen_corpus")
        .success();
    assert!(ok, "gen_corpus failed");
    let t = Instant::now();
    let mut b = Builder::init(&root);
    b.commit("初版", START);
    let files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let mut rng = Lcg(42);
    for k in 1..commits {
        for _ in 0..3 {
            let path = &files[rng.next(files.len())];
            let text = fs::read_to_string(path).expect("read");
            // One sentence reworded: the first 。 of the body gets a clause before it.
            let body_at = text.find("\n---").map_or(0, |i| i + 4);
            let text = match text[body_at..].find('。') {
                Some(at) => {
                    let at = body_at + at;
                    format!("{}（第{k}次修订）{}", &text[..at], &text[at..])
                }
                None => format!("{text}\n第{k}次修订。\n"),
            };
            fs::write(path, &text).expect("write");
            let rel = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            b.put(&rel, text.as_bytes());
        }
        b.commit(&format!("第{k}次修订"), START + k as i64 * DAY);
    }
    eprintln!(
        "history: {commits} commits in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    fs::write(&done, "").expect("marker");
    root
}

/// A number in Chinese numerals, as article numbers are written (up to 99,999).
fn chinese(mut n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    const U: [&str; 5] = ["", "十", "百", "千", "万"];
    if n == 0 {
        return D[0].into();
    }
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(n % 10);
        n /= 10;
    }
    let mut s = String::new();
    let mut zero = false;
    for (i, &d) in digits.iter().enumerate().rev() {
        if d == 0 {
            zero = true;
            continue;
        }
        if zero && !s.is_empty() {
            s.push_str(D[0]);
        }
        zero = false;
        // 十一, not 一十一, at the start.
        if !(d == 1 && i == 1 && s.is_empty()) {
            s.push_str(D[d]);
        }
        s.push_str(U[i]);
    }
    s
}

/// The 12 MB regulation with 15 versions (a repository made once and kept).
fn big(work: &Path) -> PathBuf {
    let root = work.join("big-12mb-v15");
    let done = root.join(".bench-done");
    if done.is_file() {
        return root;
    }
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(root.join("content/falv")).expect("folders");
    fs::write(
        root.join("content/site.yaml"),
        "title: 大文件测试\nhistory: true\n",
    )
    .expect("site.yaml");
    let sentence = "单位应当依照本法规定建立健全内部管理制度，明确工作职责，规范工作程序，加强监督检查，\
                    对违反规定的行为依法追究责任，所需经费超出3000元以上的应当报经批准";
    let mut articles: Vec<String> = Vec::new();
    let mut bytes = 0;
    let mut k = 0;
    while bytes < 12 * 1024 * 1024 {
        k += 1;
        let a = format!("{sentence}（{k}）。");
        bytes += a.len() + chinese(k).len() + 12;
        articles.push(a);
    }
    let text = |articles: &[String]| {
        let mut s = String::from("---\ntitle: 大型测试法\neffective: 2020-01-01\n---\n");
        for (i, a) in articles.iter().enumerate() {
            s.push_str(&format!("第{}条　{a}\n\n", chinese(i + 1)));
        }
        s
    };
    let rel = "content/falv/big.md";
    fs::write(root.join(rel), text(&articles)).expect("write");
    let mut b = Builder::init(&root);
    b.commit("第1版", START);
    let mut rng = Lcg(7);
    for v in 2..=15 {
        for _ in 0..20 {
            let i = rng.next(articles.len());
            articles[i] = articles[i].replace("3000元", &format!("{}000元", v + 3));
        }
        let t = text(&articles);
        fs::write(root.join(rel), &t).expect("write");
        b.put(rel, t.as_bytes());
        b.commit(&format!("第{v}版"), START + v as i64 * 30 * DAY);
    }
    fs::write(&done, "").expect("marker");
    root
}

struct Figures {
    wall: Vec<f64>,
    rss: u64,
    stage: Vec<f64>,
}

impl Figures {
    fn median(v: &[f64]) -> f64 {
        let mut v = v.to_vec();
        v.sort_by(|a, b| a.total_cmp(b));
        if v.is_empty() {
            f64::NAN
        } else {
            v[v.len() / 2]
        }
    }
}

/// Build `root` with and without its history, alternating: (with, without).
fn measure(bin: &Path, root: &Path, work: &Path, runs: usize) -> (Figures, Figures) {
    let out = work.join(format!(
        "{}-public",
        root.file_name().unwrap().to_string_lossy()
    ));
    let logs = work.join("logs");
    fs::create_dir_all(&logs).expect("logs");
    let mut with = Figures {
        wall: vec![],
        rss: 0,
        stage: vec![],
    };
    let mut without = Figures {
        wall: vec![],
        rss: 0,
        stage: vec![],
    };
    for run in 0..=runs {
        for on in [true, false] {
            set_history(root, on);
            let (usage, stdout, stderr) = common::run_measured(
                Command::new(bin)
                    .args(["build", "--root"])
                    .arg(root)
                    .arg("--out")
                    .arg(&out)
                    .arg("--force"),
                &logs,
            );
            assert_eq!(usage.code, 0, "rulebook build failed: {stderr}");
            if run == 0 {
                continue; // untimed: caches warm, the output folder exists
            }
            let f = if on { &mut with } else { &mut without };
            f.wall.push(usage.wall.as_secs_f64());
            // Unknown off Linux: counted as 0, as before.
            f.rss = f.rss.max(usage.max_rss.unwrap_or(0));
            f.stage.extend(history_stage(&stdout));
        }
    }
    set_history(root, true);
    (with, without)
}

fn main() {
    let o = opts();
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = common::target_dir(&manifest);
    let work = target.join("history-bench");
    fs::create_dir_all(&work).expect("history-bench");
    if o.build {
        assert!(
            common::build_release(&manifest),
            "cargo build --release failed"
        );
    }
    // A copy: a concurrent build cannot swap the binary mid-run.
    let bin = work.join("rulebook");
    fs::copy(target.join("release/rulebook"), &bin).expect("release binary (drop --no-build?)");
    let mb = |b: u64| b as f64 / (1024.0 * 1024.0);
    let mut report = String::from(
        "# History benchmark\n\n| case | with history (median) | without | ratio (target ≤ 1.5) | history stage | peak memory with (target) | peak memory without |\n|---|---|---|---|---|---|---|\n",
    );
    let cases: Vec<(String, PathBuf, u64)> = [
        (o.only.as_deref() != Some("big")).then(|| {
            (
                format!("{} regulations × {} commits", o.size, o.commits),
                many(&target, &work, &manifest, o.size, o.commits),
                600,
            )
        }),
        (o.only.as_deref() != Some("many")).then(|| {
            (
                "12 MB regulation × 15 versions".to_string(),
                big(&work),
                300,
            )
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    for (name, root, limit) in cases {
        eprintln!("history: building {name}");
        let (with, without) = measure(&bin, &root, &work, o.runs);
        let (w, wo) = (Figures::median(&with.wall), Figures::median(&without.wall));
        let row = format!(
            "| {name} | {w:.2} s | {wo:.2} s | {:.2} {} | {:.0} ms | {:.0} MB (≤ {limit}) {} | {:.0} MB |\n",
            w / wo,
            if w / wo <= 1.5 { "met" } else { "NOT met" },
            Figures::median(&with.stage),
            mb(with.rss),
            if mb(with.rss) <= limit as f64 {
                "met"
            } else {
                "NOT met"
            },
            mb(without.rss),
        );
        print!("{row}");
        report.push_str(&row);
    }
    let load = fs::read_to_string("/proc/loadavg").unwrap_or_default();
    report.push_str(&format!(
        "\n{} timed builds each way; load average at the end: {}\n",
        o.runs,
        load.trim()
    ));
    println!("{report}");
    fs::write(work.join("report.md"), report).expect("report");
}
