//! Scale benchmark: how long `rulebook build` takes, and how much memory and output it makes, as the
//! handbook grows — and, when `hugo` is installed, how long Hugo takes for the same texts.
//!
//! ```text
//! cargo bench --bench scale                         # seed + 1,000 + 10,000 regulations, 5 runs each
//! SCALE_SIZES=1000 SCALE_RUNS=3 cargo bench --bench scale       # or: -- --sizes 1000 --runs 3
//! SCALE_SIZES=200 SCALE_HUGO=0 cargo bench --bench scale        # without the Hugo column
//! cargo bench --bench scale -- --no-seed --sizes 100000
//! cargo bench --bench scale -- --out-root /dev/shm/rulebook-bench   # outputs on tmpfs: CPU without disk
//! SCALE_CORPUS=clean cargo bench --bench scale      # corpora without irregularities (as before)
//! SCALE_CORPUS=errors cargo bench --bench scale     # with the shapes that are errors today
//! ```
//!
//! Settings (environment variable, or argument after `--`; arguments win):
//! - `SCALE_SIZES=1000,10000` / `--sizes`: corpus sizes (number of regulations).
//! - `SCALE_RUNS=5` / `--runs`: timed runs per corpus (of rulebook and of Hugo alike).
//! - `SCALE_SEED_SITE=0` / `--no-seed`: leave out the bundled site.
//! - `SCALE_HUGO=0` / `--no-hugo`: no Hugo column; `SCALE_HUGO=/path/to/hugo` / `--hugo PATH`: that
//!   binary instead of `hugo` on the PATH. Nothing is installed: without Hugo the column is skipped.
//! - `SCALE_CORPUS=messy|clean|errors` / `--corpus`: what `examples/gen_corpus.rs` writes (default
//!   `messy`: numbering gaps, repeats and displaced clauses, shuffled paragraphs, long documents,
//!   《…》 that match nothing — everything that builds under the current rules; `clean`: none of that;
//!   `errors`: also the shapes the current rules report as errors, so rulebook's build fails and only
//!   its diagnostics are reported).
//! - `--out-root DIR`: where the outputs go; `--no-build`: use the binaries already built.
//!
//! What it does:
//! 1. `cargo build --release --bin rulebook --example gen_corpus` (the release binary is what is timed;
//!    this file only drives it, so the figures are those of the real command line). Both binaries are
//!    copied to `target/scale-bench/bin/` first, so a concurrent build cannot swap them mid-run.
//! 2. Generates corpora with `examples/gen_corpus.rs` under `target/scale-bench/n<N>/` (`n<N>-clean`,
//!    `n<N>-errors`) and keeps them: a corpus is regenerated only when the generator's source, the
//!    bundled `content/`, N or the corpus kind change. `rulebook check --format json` counts its
//!    warnings and errors by kind.
//! 3. With Hugo: writes the same regulations as a Hugo site next to the corpus (`hugo/`): the same
//!    Markdown bodies and folders, front-matter reduced to `title` and `weight` (from `order`); a
//!    `config.toml` without theme and with the kinds rulebook has no counterpart for disabled
//!    (taxonomy, term, RSS, sitemap, robotsTXT, 404); `layouts/_default/single.html` and `list.html`
//!    of five lines that print the title and `.Content` (lists: links to their pages). Procedures
//!    (YAML) and risk registers (front-matter) have no Hugo counterpart beyond the page's title.
//! 4. Builds the bundled site (`content/`) and each corpus: one untimed build of each tool into an empty
//!    output folder, then `--runs` timed rebuilds over the previous output, rulebook and Hugo in turn
//!    (rulebook, Hugo, rulebook, Hugo …), so a change of load on a shared machine hits both alike.
//!    Hugo runs with `--minify`, as rulebook always minifies.
//! 5. Prints Markdown tables (paste them into the README) and writes them with the raw figures to
//!    `target/scale-bench/report.md` and `report.json`: per corpus, wall time of the whole process
//!    (median, min–max), CPU time (user+sys, median), peak memory (max RSS of the build process, from
//!    `wait4`), rulebook's own stage times, output size, the largest regulation page, warnings and
//!    errors; the targets and whether each is met; and rulebook beside Hugo with the ratios
//!    rulebook/Hugo of wall time, CPU time and peak memory.
//!
//! Peak memory comes from `wait4(2)`'s `ru_maxrss` on Linux, so no extra tool is needed. (Elsewhere the
//! column reads n/a; on Linux the same figure is available from GNU time: `apt-get install -y time`, then
//! `/usr/bin/time -v target/release/rulebook build …`, "Maximum resident set size".)
//!
//! The machine is shared in many setups: the table also shows the load average before and after, and the
//! CPU-time column, which contention inflates less than wall time.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

#[path = "common/mod.rs"]
mod common;
use common::{Usage, run_measured};

const GEN_SEED: u64 = 42;

/// What the generator writes; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CorpusKind {
    Messy,
    Clean,
    Errors,
}

impl CorpusKind {
    fn parse(s: &str) -> CorpusKind {
        match s {
            "messy" | "" => CorpusKind::Messy,
            "clean" => CorpusKind::Clean,
            "errors" => CorpusKind::Errors,
            other => panic!("corpus kind `{other}`: use messy, clean or errors"),
        }
    }
    fn name(self) -> &'static str {
        match self {
            CorpusKind::Messy => "messy",
            CorpusKind::Clean => "clean",
            CorpusKind::Errors => "errors",
        }
    }
    /// Folder suffix and generator argument.
    fn suffix(self) -> &'static str {
        match self {
            CorpusKind::Messy => "",
            CorpusKind::Clean => "-clean",
            CorpusKind::Errors => "-errors",
        }
    }
    fn gen_arg(self) -> Option<&'static str> {
        match self {
            CorpusKind::Messy => None,
            CorpusKind::Clean => Some("--clean"),
            CorpusKind::Errors => Some("--error-shapes"),
        }
    }
}

/// Whether and which Hugo to run.
#[derive(Debug, Clone)]
enum HugoChoice {
    /// `hugo` on the PATH, if there is one.
    Auto,
    Off,
    Path(PathBuf),
}

struct Opts {
    sizes: Vec<usize>,
    runs: usize,
    seed: bool,
    build: bool,
    hugo: HugoChoice,
    corpus: CorpusKind,
    /// Where the outputs go (default: next to each corpus, under target/scale-bench/).
    out_root: Option<PathBuf>,
}

fn parse_sizes(s: &str) -> Vec<usize> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.replace(['_', '\''], "")
                .parse()
                .expect("sizes are numbers, e.g. SCALE_SIZES=1000,10000")
        })
        .collect()
}

fn parse_runs(s: &str) -> usize {
    s.trim()
        .parse()
        .ok()
        .filter(|&n| n >= 1)
        .expect("runs is a number ≥ 1, e.g. SCALE_RUNS=3")
}

fn off(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "0" | "no" | "off" | "false"
    )
}

fn opts() -> Opts {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    let mut o = Opts {
        sizes: env("SCALE_SIZES").map_or(vec![1000, 10_000], |s| parse_sizes(&s)),
        runs: env("SCALE_RUNS").map_or(5, |s| parse_runs(&s)),
        seed: !env("SCALE_SEED_SITE").is_some_and(|v| off(&v)),
        build: true,
        hugo: match env("SCALE_HUGO") {
            None => HugoChoice::Auto,
            Some(v) if off(&v) => HugoChoice::Off,
            Some(v) if matches!(v.as_str(), "1" | "yes" | "on" | "true") => HugoChoice::Auto,
            Some(v) => HugoChoice::Path(PathBuf::from(v)),
        },
        corpus: env("SCALE_CORPUS").map_or(CorpusKind::Messy, |s| CorpusKind::parse(s.trim())),
        out_root: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--sizes" => o.sizes = parse_sizes(&args.next().unwrap_or_default()),
            "--runs" => o.runs = parse_runs(&args.next().unwrap_or_default()),
            "--no-seed" => o.seed = false,
            "--no-build" => o.build = false,
            "--no-hugo" => o.hugo = HugoChoice::Off,
            "--hugo" => {
                o.hugo = HugoChoice::Path(PathBuf::from(
                    args.next().expect("--hugo takes the path of a hugo binary"),
                ))
            }
            "--corpus" => o.corpus = CorpusKind::parse(&args.next().unwrap_or_default()),
            "--out-root" => {
                o.out_root = Some(PathBuf::from(
                    args.next()
                        .expect("--out-root takes a folder, e.g. /dev/shm/rulebook-bench"),
                ))
            }
            // cargo bench passes --bench (and filters); ignore anything else.
            _ => {}
        }
    }
    o
}

// ---------------------------------------------------------------------------------------------------
// Running a child and measuring it

// (`Usage`, `run_measured`: benches/common/mod.rs)

// ---------------------------------------------------------------------------------------------------
// What the build printed

#[derive(Debug, Clone, Default)]
struct Printed {
    documents: Option<u64>,
    clauses: Option<u64>,
    /// (stage, ms) in the order printed.
    stages: Vec<(String, f64)>,
}

/// Parse `Built 24 documents, 355 clauses, 36 files (269.1 KiB) into … in 11 ms (load 2.5 ms, …)`.
fn parse_built(stdout: &str) -> Printed {
    let mut p = Printed::default();
    let Some(line) = stdout.lines().find(|l| l.starts_with("Built ")) else {
        return p;
    };
    let words: Vec<&str> = line.split_whitespace().collect();
    for w in words.windows(2) {
        match w[1].trim_end_matches(',') {
            "documents" => p.documents = w[0].parse().ok(),
            "clauses" => p.clauses = w[0].parse().ok(),
            _ => {}
        }
    }
    if let (Some(open), true) = (line.rfind('('), line.ends_with(')')) {
        for part in line[open + 1..line.len() - 1].split(", ") {
            let mut it = part.rsplitn(3, ' ');
            if let (Some("ms"), Some(v), Some(name)) = (it.next(), it.next(), it.next())
                && let Ok(v) = v.parse()
            {
                p.stages.push((name.trim().to_string(), v));
            }
        }
    }
    p
}

// ---------------------------------------------------------------------------------------------------
// Output folder

#[derive(Debug, Clone, Default)]
struct OutputStats {
    files: u64,
    bytes: u64,
    search_index: Option<u64>,
    /// (bytes, relative path) of the largest page under regulations/.
    largest_regulation: Option<(u64, String)>,
    /// (bytes, relative path) of the largest HTML file anywhere.
    largest_html: Option<(u64, String)>,
    /// Size of every HTML file, by relative path.
    html: BTreeMap<String, u64>,
}

fn walk(dir: &Path, base: &Path, s: &mut OutputStats) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        let Ok(md) = e.metadata() else { continue };
        if md.is_dir() {
            walk(&p, base, s);
            continue;
        }
        let rel = p
            .strip_prefix(base)
            .unwrap_or(&p)
            .to_string_lossy()
            .replace('\\', "/");
        if rel == ".rulebook-output" {
            continue;
        }
        s.files += 1;
        s.bytes += md.len();
        if !rel.contains('/') && rel.starts_with("search-index") {
            *s.search_index.get_or_insert(0) += md.len();
        }
        if rel.ends_with(".html") {
            s.html.insert(rel.clone(), md.len());
            if rel.starts_with("regulations/")
                && s.largest_regulation
                    .as_ref()
                    .is_none_or(|(b, _)| md.len() > *b)
            {
                s.largest_regulation = Some((md.len(), rel.clone()));
            }
            if s.largest_html.as_ref().is_none_or(|(b, _)| md.len() > *b) {
                s.largest_html = Some((md.len(), rel));
            }
        }
    }
}

fn output_stats(out: &Path) -> OutputStats {
    let mut s = OutputStats::default();
    walk(out, out, &mut s);
    s
}

fn dir_bytes(dir: &Path, ext: &str) -> (u64, u64) {
    let mut files = 0;
    let mut bytes = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "public") {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|x| x == ext) {
                files += 1;
                bytes += e.metadata().map_or(0, |m| m.len());
            }
        }
    }
    (files, bytes)
}

// ---------------------------------------------------------------------------------------------------
// Corpora

fn fnv(h: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *h ^= u64::from(*b);
        *h = h.wrapping_mul(0x100_0000_01b3);
    }
}

/// A key that changes when the generator, the seed content, N or the corpus kind change.
fn corpus_key(manifest: &Path, n: usize, kind: CorpusKind) -> String {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    fnv(
        &mut h,
        &fs::read(manifest.join("examples/gen_corpus.rs")).unwrap_or_default(),
    );
    let mut files = Vec::new();
    let mut stack = vec![manifest.join("content")];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p)
            } else {
                files.push(p)
            }
        }
    }
    files.sort();
    for f in files {
        fnv(&mut h, f.to_string_lossy().as_bytes());
        fnv(&mut h, &fs::read(&f).unwrap_or_default());
    }
    format!("n={n} seed={GEN_SEED} corpus={} hash={h:016x}", kind.name())
}

fn ensure_corpus(manifest: &Path, generator: &Path, dir: &Path, n: usize, kind: CorpusKind) {
    let key = corpus_key(manifest, n, kind);
    let key_file = dir.join(".bench-key");
    if fs::read_to_string(&key_file).is_ok_and(|k| k == key) && dir.join("content").is_dir() {
        eprintln!(
            "scale: corpus of {n} regulations is up to date in {}",
            dir.display()
        );
        return;
    }
    eprintln!("scale: generating {n} regulations into {} …", dir.display());
    let _ = fs::remove_dir_all(dir.join("public"));
    let _ = fs::remove_file(&key_file);
    let status = Command::new(generator)
        .args([
            "--docs",
            &n.to_string(),
            "--seed",
            &GEN_SEED.to_string(),
            "--out",
        ])
        .arg(dir)
        .arg("--seed-content")
        .arg(manifest.join("content"))
        .args(kind.gen_arg())
        .stdout(Stdio::from(std::io::stderr()))
        .status()
        .expect("run gen_corpus");
    assert!(status.success(), "gen_corpus failed for N={n}");
    fs::write(&key_file, key).expect("write corpus key");
}

// ---------------------------------------------------------------------------------------------------
// The same texts as a Hugo site

/// Kinds of page Hugo makes that rulebook has no counterpart for.
const HUGO_DISABLED: &[&str] = &["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"];

const HUGO_SINGLE: &str = r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1>
{{ .Content }}
</body></html>
"#;

const HUGO_LIST: &str = r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1>
{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</body></html>
"#;

fn hugo_config() -> String {
    format!(
        "# Written by benches/scale.rs: the minimum for a page-for-page comparison with rulebook.\n\
         baseURL = \"/\"\ntitle = \"scale benchmark\"\nlanguageCode = \"zh-CN\"\nhasCJKLanguage = true\n\
         disableKinds = [{}]\n",
        HUGO_DISABLED
            .iter()
            .map(|k| format!("\"{k}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// `hugo` on the PATH, or the binary asked for; with its version line.
fn find_hugo(choice: &HugoChoice) -> Result<(PathBuf, String), String> {
    let path = match choice {
        HugoChoice::Off => return Err("switched off (SCALE_HUGO=0 or --no-hugo)".into()),
        HugoChoice::Path(p) => p.clone(),
        HugoChoice::Auto => std::env::var_os("PATH")
            .into_iter()
            .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
            .map(|d| d.join("hugo"))
            .find(|p| p.is_file())
            .ok_or("`hugo` is not on the PATH (nothing is installed by the benchmark)")?,
    };
    let out = Command::new(&path)
        .arg("version")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", path.display()))?;
    if !out.status.success() {
        return Err(format!("`{} version` failed", path.display()));
    }
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    Ok((path, version))
}

/// Split `---\nYAML\n---\nbody`.
fn split_front(text: &str) -> (&str, &str) {
    let t = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = t.strip_prefix("---\n") else {
        return ("", t);
    };
    match rest.find("\n---\n") {
        Some(i) => (&rest[..i + 1], &rest[i + 5..]),
        None => match rest.strip_suffix("\n---") {
            Some(y) => (y, ""),
            None => ("", t),
        },
    }
}

/// Category id → title, from site.yaml (`- id: x` then `title: y`).
fn category_titles(site_yaml: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut id: Option<String> = None;
    let mut in_categories = false;
    for l in site_yaml.lines() {
        if l.starts_with("categories:") {
            in_categories = true;
            continue;
        }
        if !l.starts_with([' ', '-']) && !l.trim().is_empty() {
            in_categories = false;
        }
        if !in_categories {
            continue;
        }
        let t = l.trim_start().trim_start_matches("- ").trim();
        if let Some(v) = t.strip_prefix("id:") {
            id = Some(v.trim().trim_matches('"').to_string());
        } else if let (Some(v), Some(i)) = (t.strip_prefix("title:"), id.take()) {
            out.insert(i, v.trim().to_string());
        }
    }
    out
}

/// Write the regulations under `content` (a rulebook content folder) as a Hugo site in `site`:
/// same folders and Markdown bodies, front-matter reduced to title and weight. Returns the number of
/// pages written. Rewritten only when `key` changes.
fn ensure_hugo_site(content: &Path, site: &Path, key: &str) -> usize {
    let key = format!("{key} hugo-layout={:016x}", {
        let mut h = 0xcbf2_9ce4_8422_2325u64;
        fnv(&mut h, hugo_config().as_bytes());
        fnv(&mut h, HUGO_SINGLE.as_bytes());
        fnv(&mut h, HUGO_LIST.as_bytes());
        h
    });
    let key_file = site.join(".bench-key");
    let count_file = site.join(".bench-pages");
    if fs::read_to_string(&key_file).is_ok_and(|k| k == key)
        && let Some(n) = fs::read_to_string(&count_file)
            .ok()
            .and_then(|t| t.trim().parse().ok())
    {
        return n;
    }
    let _ = fs::remove_file(&key_file);
    let _ = fs::remove_dir_all(site.join("content"));
    fs::create_dir_all(site.join("layouts/_default")).expect("create Hugo layouts");
    fs::write(site.join("config.toml"), hugo_config()).expect("write config.toml");
    fs::write(site.join("layouts/_default/single.html"), HUGO_SINGLE).expect("write single.html");
    fs::write(site.join("layouts/_default/list.html"), HUGO_LIST).expect("write list.html");
    let titles =
        category_titles(&fs::read_to_string(content.join("site.yaml")).unwrap_or_default());
    let mut pages = 0;
    let mut cats: Vec<PathBuf> = fs::read_dir(content)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir()
                && p.file_name().is_some_and(|n| {
                    n != "procedures" && !n.to_string_lossy().starts_with(['.', '_'])
                })
        })
        .collect();
    cats.sort();
    for cat in cats {
        let name = cat.file_name().unwrap().to_string_lossy().to_string();
        let dest = site.join("content").join(&name);
        fs::create_dir_all(&dest).expect("create Hugo section");
        if let Some(t) = titles.get(&name) {
            fs::write(dest.join("_index.md"), format!("---\ntitle: {t}\n---\n"))
                .expect("write _index.md");
        }
        for e in fs::read_dir(&cat).into_iter().flatten().flatten() {
            let p = e.path();
            if p.extension().is_none_or(|x| x != "md") {
                continue;
            }
            let Ok(text) = fs::read_to_string(&p) else {
                continue;
            };
            let (front, body) = split_front(&text);
            // rulebook leaves drafts out; so does the comparison.
            if front.lines().any(|l| l.trim() == "draft: true") {
                continue;
            }
            let title = front
                .lines()
                .find(|l| l.starts_with("title:"))
                .unwrap_or("title: \"\"");
            let weight = front
                .lines()
                .find_map(|l| l.strip_prefix("order:"))
                .map(|v| format!("weight: {}\n", v.trim()))
                .unwrap_or_default();
            fs::write(
                dest.join(p.file_name().unwrap()),
                format!("---\n{title}\n{weight}---\n{body}"),
            )
            .expect("write Hugo page");
            pages += 1;
        }
    }
    fs::write(&count_file, pages.to_string()).expect("write page count");
    fs::write(&key_file, key).expect("write Hugo key");
    pages
}

/// `Pages | 1234` from Hugo's summary table.
fn hugo_pages(stdout: &str) -> Option<u64> {
    stdout.lines().find_map(|l| {
        let mut parts = l.split('|');
        let name = parts.next()?.trim();
        (name == "Pages").then(|| parts.next()?.trim().parse().ok())?
    })
}

// ---------------------------------------------------------------------------------------------------
// Results

/// Timed runs of one tool on one corpus.
#[derive(Debug, Clone, Default)]
struct Series {
    walls: Vec<Duration>,
    cpus: Vec<Duration>,
    /// Max over the timed runs.
    rss: Option<u64>,
    /// The untimed first build, into an empty folder.
    cold: Usage,
}

impl Series {
    fn push(&mut self, u: &Usage) {
        self.walls.push(u.wall);
        self.cpus.push(u.cpu);
        if let Some(m) = u.max_rss {
            self.rss = Some(self.rss.map_or(m, |r| r.max(m)));
        }
    }
    fn wall_ms(&self) -> Vec<f64> {
        self.walls.iter().map(|d| ms(*d)).collect()
    }
    fn wall(&self) -> f64 {
        median(&self.wall_ms())
    }
    fn cpu(&self) -> f64 {
        median(&self.cpus.iter().map(|d| ms(*d)).collect::<Vec<_>>())
    }
    fn wall_range(&self) -> (f64, f64) {
        let w = self.wall_ms();
        (
            w.iter().cloned().fold(f64::INFINITY, f64::min),
            w.iter().cloned().fold(0.0, f64::max),
        )
    }
    fn json(&self) -> Value {
        json!({
            "wall_ms": self.wall_ms(),
            "cpu_ms": self.cpus.iter().map(|d| ms(*d)).collect::<Vec<_>>(),
            "wall_median_ms": self.wall(),
            "cpu_median_ms": self.cpu(),
            "peak_rss_bytes": self.rss,
            "cold": {
                "wall_ms": ms(self.cold.wall),
                "cpu_ms": ms(self.cold.cpu),
                "peak_rss_bytes": self.cold.max_rss,
            },
        })
    }
}

/// What `rulebook check --format json` reports, by kind of message.
#[derive(Debug, Clone, Default)]
struct Diags {
    errors: usize,
    warnings: usize,
    /// (severity, message with numbers and names replaced) → count, most frequent first.
    kinds: Vec<(String, String, usize)>,
    /// One full example per kind.
    examples: BTreeMap<String, String>,
}

/// A message with its particulars (《names》, `anchors`, numbers, numerals) replaced, so that
/// messages of one kind group together.
fn message_kind(m: &str) -> String {
    const NUMERALS: &str = "零〇一二三四五六七八九十百千两0123456789";
    let mut out = String::new();
    let mut skip_until: Option<char> = None;
    let mut last_n = false;
    for c in m.chars() {
        if let Some(end) = skip_until {
            if c == end {
                skip_until = None;
                out.push(c);
            }
            continue;
        }
        match c {
            '《' => {
                out.push_str("《…");
                skip_until = Some('》');
                last_n = false;
            }
            '`' => {
                out.push_str("`…");
                skip_until = Some('`');
                last_n = false;
            }
            c if NUMERALS.contains(c) => {
                if !last_n {
                    out.push('N');
                }
                last_n = true;
            }
            c => {
                out.push(c);
                last_n = false;
            }
        }
    }
    out
}

fn check_site(bin: &Path, root: &Path, logs: &Path) -> Diags {
    let out = Command::new(bin)
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(["--format", "json"])
        .stderr(Stdio::null())
        .output()
        .expect("run rulebook check");
    let _ = fs::write(logs.join("check.json"), &out.stdout);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let mut d = Diags {
        errors: v["errors"].as_u64().unwrap_or(0) as usize,
        warnings: v["warnings"].as_u64().unwrap_or(0) as usize,
        ..Diags::default()
    };
    let mut kinds: BTreeMap<(String, String), usize> = BTreeMap::new();
    for x in v["diagnostics"].as_array().into_iter().flatten() {
        let sev = x["severity"].as_str().unwrap_or("?").to_string();
        let msg = x["message"].as_str().unwrap_or("");
        let kind = message_kind(msg);
        d.examples.entry(kind.clone()).or_insert_with(|| {
            format!(
                "{} ({}:{})",
                msg,
                x["path"].as_str().unwrap_or(""),
                x["line"].as_u64().unwrap_or(0)
            )
        });
        *kinds.entry((sev, kind)).or_default() += 1;
    }
    d.kinds = kinds.into_iter().map(|((s, k), n)| (s, k, n)).collect();
    d.kinds.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
    d
}

struct HugoRow {
    series: Series,
    /// Pages Hugo says it built, and the source pages written for it.
    pages: Option<u64>,
    sources: usize,
    out: OutputStats,
    /// Lines Hugo printed as WARN or ERROR.
    complaints: Vec<String>,
}

struct Row {
    name: String,
    source_files: u64,
    source_bytes: u64,
    printed: Printed,
    /// `None` when the build failed (a corpus with errors).
    rb: Option<Series>,
    /// Why the build failed.
    failed: Option<String>,
    stages: Vec<(String, f64)>,
    out: OutputStats,
    diags: Diags,
    hugo: Option<HugoRow>,
}

fn median<T: Copy + PartialOrd>(v: &[T]) -> T {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    s[s.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn fmt_ms(v: f64) -> String {
    if v >= 1000.0 {
        format!("{:.2} s", v / 1000.0)
    } else if v >= 10.0 {
        format!("{v:.0} ms")
    } else {
        format!("{v:.1} ms")
    }
}

fn mib(b: u64) -> String {
    format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0))
}

fn kib(b: u64) -> String {
    format!("{:.1} KiB", b as f64 / 1024.0)
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.2}", a / b)
    } else {
        "—".into()
    }
}

/// The Hugo side of one corpus: binary, site folder, output folder.
struct HugoJob<'a> {
    bin: &'a Path,
    site: &'a Path,
    out: &'a Path,
    cache: &'a Path,
    sources: usize,
}

impl HugoJob<'_> {
    fn command(&self) -> Command {
        let mut c = Command::new(self.bin);
        c.arg("--source")
            .arg(self.site)
            .arg("--destination")
            .arg(self.out)
            .arg("--minify")
            .env("HUGO_CACHEDIR", self.cache);
        c
    }
}

fn bench_site(
    name: &str,
    bin: &Path,
    root: &Path,
    out: &Path,
    runs: usize,
    logs: &Path,
    hugo: Option<HugoJob>,
) -> Row {
    fs::create_dir_all(logs).expect("create log folder");
    let hugo_logs = logs.join("hugo");
    fs::create_dir_all(&hugo_logs).expect("create log folder");
    let (source_files, source_bytes) = dir_bytes(&root.join("content"), "md");
    let diags = check_site(bin, root, logs);
    let rb_command = || {
        let mut cmd = Command::new(bin);
        cmd.arg("build")
            .arg("--root")
            .arg(root)
            .arg("--out")
            .arg(out);
        cmd
    };
    // The first build of each writes into an empty folder and is not counted in the medians.
    let _ = fs::remove_dir_all(out);
    let (cold, stdout, stderr) = run_measured(&mut rb_command(), logs);
    let mut failed = None;
    if cold.code != 0 {
        let why = stderr
            .lines()
            .rev()
            .find_map(|l| l.strip_prefix("Build failed: "))
            .map_or("", |l| l.split(". ").next().unwrap_or(l))
            .to_string();
        eprintln!(
            "scale: rulebook build of {name} failed (exit {}): {why} — logs in {}",
            cold.code,
            logs.display()
        );
        if diags.errors == 0 {
            eprintln!("{stdout}{stderr}");
            panic!("rulebook build of {name} failed without content errors");
        }
        failed = Some(format!("exit {}: {why}", cold.code));
    }
    let mut rb = failed.is_none().then(|| Series {
        cold,
        ..Series::default()
    });
    let mut hugo_row = hugo.as_ref().map(|h| {
        let _ = fs::remove_dir_all(h.out);
        let (cold, stdout, stderr) = run_measured(&mut h.command(), &hugo_logs);
        if cold.code != 0 {
            eprintln!("{stdout}{stderr}");
            panic!(
                "hugo build of {name} failed (exit {}); logs in {}",
                cold.code,
                hugo_logs.display()
            );
        }
        HugoRow {
            series: Series {
                cold,
                ..Series::default()
            },
            pages: hugo_pages(&stdout),
            sources: h.sources,
            out: OutputStats::default(),
            complaints: stdout
                .lines()
                .chain(stderr.lines())
                .filter(|l| l.starts_with("WARN") || l.starts_with("ERROR"))
                .map(str::to_string)
                .collect(),
        }
    });
    let mut stage_runs: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut stage_order: Vec<String> = Vec::new();
    let mut printed = parse_built(&stdout);
    for r in 0..runs {
        let mut line = format!("scale: {name} run {}/{runs}:", r + 1);
        if let Some(series) = rb.as_mut() {
            let (u, stdout, stderr) = run_measured(&mut rb_command(), logs);
            if u.code != 0 {
                eprintln!("{stdout}{stderr}");
                panic!("rulebook build of {name} failed (exit {})", u.code);
            }
            printed = parse_built(&stdout);
            for (s, v) in &printed.stages {
                if !stage_order.contains(s) {
                    stage_order.push(s.clone());
                }
                stage_runs.entry(s.clone()).or_default().push(*v);
            }
            series.push(&u);
            line += &format!(
                " rulebook {} wall, {} cpu, {} peak RSS ({})",
                fmt_ms(ms(u.wall)),
                fmt_ms(ms(u.cpu)),
                u.max_rss.map_or("n/a".into(), mib),
                printed
                    .stages
                    .iter()
                    .map(|(s, v)| format!("{s} {v:.1}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        if let (Some(h), Some(row)) = (hugo.as_ref(), hugo_row.as_mut()) {
            let (u, stdout, stderr) = run_measured(&mut h.command(), &hugo_logs);
            if u.code != 0 {
                eprintln!("{stdout}{stderr}");
                panic!("hugo build of {name} failed (exit {})", u.code);
            }
            row.series.push(&u);
            line += &format!(
                "; hugo {} wall, {} cpu, {} peak RSS",
                fmt_ms(ms(u.wall)),
                fmt_ms(ms(u.cpu)),
                u.max_rss.map_or("n/a".into(), mib),
            );
        }
        eprintln!("{line}");
    }
    if let (Some(h), Some(row)) = (hugo.as_ref(), hugo_row.as_mut()) {
        row.out = output_stats(h.out);
    }
    let stages = stage_order
        .iter()
        .map(|s| (s.clone(), median(&stage_runs[s])))
        .collect();
    Row {
        name: name.to_string(),
        source_files,
        source_bytes,
        printed,
        rb,
        failed,
        stages,
        out: output_stats(out),
        diags,
        hugo: hugo_row,
    }
}

fn machine() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let ram = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or("unknown RAM".into(), |kb| {
            format!("{:.1} GiB RAM", kb as f64 / 1024.0 / 1024.0)
        });
    let nproc = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rustc = Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!(
        "{nproc} CPUs ({cpu}), {ram}, {} {rustc}",
        std::env::consts::OS
    )
}

fn loadavg() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|t| t.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "n/a".into())
}

/// `writeln!` into the report, which is printed and written to files at the end.
macro_rules! out {
    ($md:expr) => { $md.push('\n') };
    ($md:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($md, $($arg)*);
    }};
}

fn main() {
    let o = opts();
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = common::target_dir(&manifest);
    let work = target.join("scale-bench");
    fs::create_dir_all(&work).expect("create target/scale-bench");

    if o.build {
        eprintln!("scale: cargo build --release --bin rulebook --example gen_corpus");
        assert!(
            common::build_release(&manifest),
            "cargo build --release failed"
        );
    }
    // Work on copies: other builds in the same target folder must not swap the binaries mid-run.
    let bin = work.join("bin/rulebook");
    let generator = work.join("bin/gen_corpus");
    fs::create_dir_all(work.join("bin")).expect("create bin folder");
    for (from, to) in [
        (target.join("release/rulebook"), &bin),
        (target.join("release/examples/gen_corpus"), &generator),
    ] {
        fs::copy(&from, to).unwrap_or_else(|e| {
            panic!(
                "cannot copy {}: {e} (build it first, or drop --no-build)",
                from.display()
            )
        });
    }
    let hugo = find_hugo(&o.hugo);
    match &hugo {
        Ok((p, v)) => eprintln!("scale: comparing with {v} ({})", p.display()),
        Err(why) => eprintln!("scale: no Hugo column: {why}"),
    }
    let hugo_cache = work.join("hugo-cache");

    let load_before = loadavg();
    let mut rows = Vec::new();
    if o.seed {
        let out = o
            .out_root
            .as_ref()
            .map_or_else(|| work.join("seed-public"), |r| r.join("seed-public"));
        let hugo_out = o.out_root.as_ref().map_or_else(
            || work.join("seed-hugo-public"),
            |r| r.join("seed-hugo-public"),
        );
        let hugo_site = work.join("seed-hugo");
        let job = hugo.as_ref().ok().map(|(hb, _)| HugoJob {
            bin: hb,
            site: &hugo_site,
            out: &hugo_out,
            cache: &hugo_cache,
            sources: ensure_hugo_site(
                &manifest.join("content"),
                &hugo_site,
                &corpus_key(&manifest, 0, CorpusKind::Clean),
            ),
        });
        rows.push(bench_site(
            "bundled (content/)",
            &bin,
            &manifest,
            &out,
            o.runs,
            &work.join("logs/seed"),
            job,
        ));
    }
    for &n in &o.sizes {
        let tag = format!("n{n}{}", o.corpus.suffix());
        let dir = work.join(&tag);
        ensure_corpus(&manifest, &generator, &dir, n, o.corpus);
        let out = o
            .out_root
            .as_ref()
            .map_or_else(|| dir.join("public"), |r| r.join(format!("{tag}-public")));
        let hugo_out = o.out_root.as_ref().map_or_else(
            || dir.join("hugo-public"),
            |r| r.join(format!("{tag}-hugo-public")),
        );
        let hugo_site = dir.join("hugo");
        let job = hugo.as_ref().ok().map(|(hb, _)| HugoJob {
            bin: hb,
            site: &hugo_site,
            out: &hugo_out,
            cache: &hugo_cache,
            sources: ensure_hugo_site(
                &dir.join("content"),
                &hugo_site,
                &fs::read_to_string(dir.join(".bench-key")).unwrap_or_default(),
            ),
        });
        rows.push(bench_site(
            &format!("{n} regulations"),
            &bin,
            &dir,
            &out,
            o.runs,
            &work.join(format!("logs/{tag}")),
            job,
        ));
    }
    let load_after = loadavg();

    // ------------------------------------------------------------------------------------------
    let mut md = String::new();
    out!(md, "### Build time and size by handbook size");
    out!(md);
    out!(
        md,
        "Machine: {}. Load average before/after: {load_before} / {load_after}.",
        machine()
    );
    out!(
        md,
        "`rulebook build` (release), {} timed rebuilds per corpus after one untimed build; wall = whole process; \
         peak RSS = max over runs; stages = rulebook's own timings (median). Generated corpora: `{}` \
         (examples/gen_corpus.rs, seed {GEN_SEED}).",
        o.runs,
        o.corpus.name()
    );
    out!(md);
    out!(
        md,
        "| Corpus | Sources | Clauses | Wall median (min–max) | CPU (user+sys) | Peak RSS | Stages (median) | Output | Search index | Largest regulation page | Warnings | Errors |"
    );
    out!(md, "|---|---|---|---|---|---|---|---|---|---|---|---|");
    for r in &rows {
        let timing = match &r.rb {
            Some(s) => {
                let (min, max) = s.wall_range();
                format!(
                    "**{}** ({}–{}) | {} | {}",
                    fmt_ms(s.wall()),
                    fmt_ms(min),
                    fmt_ms(max),
                    fmt_ms(s.cpu()),
                    s.rss.map_or("n/a".into(), mib)
                )
            }
            None => format!(
                "build failed ({}) | — | —",
                r.failed.as_deref().unwrap_or("")
            ),
        };
        out!(
            md,
            "| {} | {} docs, {} | {} | {timing} | {} | {} | {} | {} | {} | {} |",
            r.name,
            r.printed.documents.unwrap_or(r.source_files),
            mib(r.source_bytes),
            r.printed.clauses.map_or("?".into(), |c| c.to_string()),
            if r.stages.is_empty() {
                "—".to_string()
            } else {
                r.stages
                    .iter()
                    .map(|(s, v)| format!("{s} {}", fmt_ms(*v)))
                    .collect::<Vec<_>>()
                    .join(" · ")
            },
            if r.rb.is_some() {
                format!("{} in {} files", mib(r.out.bytes), r.out.files)
            } else {
                "—".into()
            },
            r.out.search_index.map_or("—".into(), kib),
            r.out
                .largest_regulation
                .as_ref()
                .map_or("—".into(), |(b, _)| kib(*b)),
            r.diags.warnings,
            r.diags.errors,
        );
    }
    out!(md);

    // Targets (release build, 2 cores).
    out!(md, "Targets:");
    let find = |pred: &dyn Fn(&Row) -> bool| rows.iter().find(|r| pred(r));
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    if let Some(r) = find(&|r| r.name.starts_with("bundled"))
        && let Some(s) = &r.rb
    {
        let w = s.wall();
        out!(
            md,
            "- bundled site under 50 ms: {} ({})",
            verdict(w < 50.0),
            fmt_ms(w)
        );
    }
    if let Some(r) = find(&|r| r.name == "1000 regulations")
        && let Some(s) = &r.rb
    {
        let w = s.wall();
        out!(
            md,
            "- 1,000 regulations under 0.35 s: {} ({})",
            verdict(w < 350.0),
            fmt_ms(w)
        );
    }
    if let Some(r) = find(&|r| r.name == "10000 regulations")
        && let Some(s) = &r.rb
    {
        let w = s.wall();
        out!(
            md,
            "- 10,000 regulations under 3 s: {} ({})",
            verdict(w < 3000.0),
            fmt_ms(w)
        );
        if let Some(m) = s.rss {
            out!(
                md,
                "- 10,000 regulations under 500 MB peak memory: {} ({}, {:.1} MB)",
                verdict(m < 500 * 1000 * 1000),
                mib(m),
                m as f64 / 1e6
            );
        }
    }
    // Page size must not grow with the site.
    let pages: Vec<(&str, u64, &str)> = rows
        .iter()
        .filter_map(|r| {
            r.out
                .largest_regulation
                .as_ref()
                .map(|(b, p)| (r.name.as_str(), *b, p.as_str()))
        })
        .collect();
    if pages.len() >= 2 {
        out!(
            md,
            "- largest regulation page per corpus (informative: a larger corpus has more of the long documents, so its longest one is longer):"
        );
        for (name, b, p) in &pages {
            out!(md, "  - {name}: {} ({p})", kib(*b));
        }
    }
    // The same page in the smallest and the largest corpus: does any page grow with the site?
    // (Document i of a generated corpus is the same in every corpus, only the targets of its
    // cross-references differ; the bundled regulations are in every corpus.) Category pages list
    // every regulation of their category by design and are left out.
    // Compare the smallest and the largest generated corpus when there are two (same categories, and
    // the smaller one's documents are a prefix of the larger one's), else the bundled site and the corpus.
    let generated: Vec<&Row> = rows
        .iter()
        .filter(|r| !r.name.starts_with("bundled") && r.rb.is_some())
        .collect();
    let small = if generated.len() >= 2 {
        generated.first().copied()
    } else {
        rows.first()
    };
    if let (Some(small), Some(big)) = (small, rows.last())
        && !std::ptr::eq(small, big)
        && big.rb.is_some()
    {
        if let (Some(first), true) = (generated.first(), generated.len() >= 2)
            && let Some((b, p)) = &first.out.largest_regulation
        {
            let s10 = big.out.html.get(p).copied();
            out!(
                md,
                "- the largest regulation page of the {} corpus ({p}, {}) is {} in the {} corpus",
                first.name,
                kib(*b),
                s10.map_or("absent".into(), kib),
                big.name
            );
        }
        let mut growth: Vec<(f64, &str, u64, u64)> = small
            .out
            .html
            .iter()
            .filter(|(p, _)| !p.starts_with("categories/"))
            .filter_map(|(p, &a)| {
                big.out
                    .html
                    .get(p)
                    .map(|&b| (b as f64 / a.max(1) as f64, p.as_str(), a, b))
            })
            .collect();
        growth.sort_by(|x, y| y.0.total_cmp(&x.0));
        let regs: Vec<f64> = growth
            .iter()
            .filter(|g| g.1.starts_with("regulations/"))
            .map(|g| g.0)
            .collect();
        if !regs.is_empty() {
            let worst = regs.iter().cloned().fold(0.0, f64::max);
            out!(
                md,
                "- {} regulation pages in both the {} and the {} corpus: median size ratio {:.2}, largest {:.2} — {}",
                regs.len(),
                small.name,
                big.name,
                median(&regs),
                worst,
                if small.name.starts_with("bundled") {
                    // The bundled pages gain backlinks from the generated regulations (up to the caps):
                    // growth is expected here; two generated sizes tell whether pages grow with the site.
                    "informative (bundled site against one corpus: its pages gain backlinks, up to the caps; run two sizes for the growth check)".to_string()
                } else {
                    format!(
                        "no regulation page grows with the site: {}",
                        verdict(worst < 1.25)
                    )
                }
            );
        }
        out!(
            md,
            "- pages that grow most from the {} to the {} corpus:",
            small.name,
            big.name
        );
        for (ratio, p, a, b) in growth.iter().take(8) {
            out!(md, "  - {p}: {} → {} (×{ratio:.1})", kib(*a), kib(*b));
        }
    }
    for r in &rows {
        if let Some((b, p)) = &r.out.largest_html {
            out!(
                md,
                "- {}: largest HTML file overall {} ({p})",
                r.name,
                kib(*b)
            );
        }
    }
    out!(md);
    out!(md, "Diagnostics (`rulebook check`), by kind:");
    for r in &rows {
        if r.diags.kinds.is_empty() {
            out!(md, "- {}: none", r.name);
            continue;
        }
        out!(
            md,
            "- {}: {} warning(s), {} error(s)",
            r.name,
            r.diags.warnings,
            r.diags.errors
        );
        for (sev, kind, n) in &r.diags.kinds {
            out!(
                md,
                "  - {n} × {sev}: {kind} — e.g. {}",
                r.diags.examples.get(kind).map_or("", String::as_str)
            );
        }
    }

    // ------------------------------------------------------------------------------------------
    out!(md);
    out!(md, "### rulebook and Hugo, page for page");
    out!(md);
    match &hugo {
        Err(why) => out!(md, "Hugo: skipped — {why}."),
        Ok((path, version)) => {
            out!(
                md,
                "{version} ({}). The same regulations as a Hugo site: same Markdown bodies and folders, \
                 front-matter reduced to `title` and `weight`; `layouts/_default/single.html` and `list.html` \
                 of five lines (title and `.Content`; lists also link their pages); `config.toml` without theme; \
                 disabled kinds: {}; `hugo --minify` (rulebook minifies too). Procedures and risk registers \
                 have no Hugo counterpart beyond the page's title. Both tools: one untimed build into an empty \
                 folder, then {} timed rebuilds over the previous output, taken in turn (rulebook, Hugo, …). \
                 Ratios are rulebook / Hugo (below 1: rulebook is faster or smaller). rulebook also does what \
                 the Hugo site does not: clause anchors, reference detection and links, backlinks, terms, \
                 procedures, registers, the 依据文件/表单/术语 pages; and it hard-links unchanged pages on a \
                 rebuild, which Hugo does not.",
                path.display(),
                HUGO_DISABLED.join(", "),
                o.runs
            );
            out!(md);
            out!(
                md,
                "| Corpus | Pages rulebook / Hugo | Wall rulebook | Wall Hugo | **Wall ratio** | CPU rulebook | CPU Hugo | CPU ratio | Peak RSS rulebook | Peak RSS Hugo | RSS ratio | Into empty folder (1 run) rulebook / Hugo |"
            );
            out!(md, "|---|---|---|---|---|---|---|---|---|---|---|---|");
            for r in &rows {
                let Some(h) = &r.hugo else { continue };
                let hs = &h.series;
                let html = |o: &OutputStats| o.html.len();
                match &r.rb {
                    Some(s) => out!(
                        md,
                        "| {} | {} / {} | {} | {} | **{}** | {} | {} | {} | {} | {} | {} | {} / {} |",
                        r.name,
                        html(&r.out),
                        html(&h.out),
                        fmt_ms(s.wall()),
                        fmt_ms(hs.wall()),
                        ratio(s.wall(), hs.wall()),
                        fmt_ms(s.cpu()),
                        fmt_ms(hs.cpu()),
                        ratio(s.cpu(), hs.cpu()),
                        s.rss.map_or("n/a".into(), mib),
                        hs.rss.map_or("n/a".into(), mib),
                        match (s.rss, hs.rss) {
                            (Some(a), Some(b)) => ratio(a as f64, b as f64),
                            _ => "—".into(),
                        },
                        fmt_ms(ms(s.cold.wall)),
                        fmt_ms(ms(hs.cold.wall)),
                    ),
                    None => out!(
                        md,
                        "| {} | — / {} | build failed | {} | — | — | {} | — | — | {} | — | — / {} |",
                        r.name,
                        html(&h.out),
                        fmt_ms(hs.wall()),
                        fmt_ms(hs.cpu()),
                        hs.rss.map_or("n/a".into(), mib),
                        fmt_ms(ms(hs.cold.wall)),
                    ),
                }
            }
            out!(md);
            for r in &rows {
                let Some(h) = &r.hugo else { continue };
                out!(
                    md,
                    "- {}: Hugo built {} pages from {} source pages, {} in {} files{}",
                    r.name,
                    h.pages.map_or("?".into(), |p| p.to_string()),
                    h.sources,
                    mib(h.out.bytes),
                    h.out.files,
                    if h.complaints.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; it printed {} warning(s)/error(s), e.g. `{}`",
                            h.complaints.len(),
                            h.complaints[0]
                        )
                    }
                );
            }
        }
    }
    out!(md);
    out!(md, "Corpora and logs: {}", work.display());
    if let Some(r) = &o.out_root {
        out!(md, "Outputs: {}", r.display());
    }

    println!();
    print!("{md}");
    let report = json!({
        "machine": machine(),
        "load_before": load_before,
        "load_after": load_after,
        "unix_time": std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        "runs": o.runs,
        "corpus": o.corpus.name(),
        "generator_seed": GEN_SEED,
        "hugo": match &hugo {
            Ok((p, v)) => json!({"path": p, "version": v, "disabled_kinds": HUGO_DISABLED, "flags": ["--minify"]}),
            Err(why) => json!({"skipped": why}),
        },
        "rows": rows.iter().map(|r| {
            let gen_stats: Value = fs::read_to_string(
                work.join(format!("n{}{}", r.name.split(' ').next().unwrap_or(""), o.corpus.suffix()))
                    .join("gen_corpus.json"),
            )
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(Value::Null);
            json!({
                "corpus": r.name,
                "documents": r.printed.documents.unwrap_or(r.source_files),
                "clauses": r.printed.clauses,
                "source_files": r.source_files,
                "source_bytes": r.source_bytes,
                "generated": if r.name.starts_with("bundled") { Value::Null } else { gen_stats },
                "rulebook": r.rb.as_ref().map(Series::json),
                "rulebook_failed": r.failed,
                "stages_median_ms": r.stages.iter().map(|(s, v)| (s.clone(), json!(v))).collect::<serde_json::Map<_, _>>(),
                "output": {
                    "bytes": r.out.bytes,
                    "files": r.out.files,
                    "html_files": r.out.html.len(),
                    "largest_regulation": r.out.largest_regulation,
                },
                "diagnostics": {
                    "warnings": r.diags.warnings,
                    "errors": r.diags.errors,
                    "kinds": r.diags.kinds.iter().map(|(s, k, n)| json!({"severity": s, "kind": k, "count": n, "example": r.diags.examples.get(k)})).collect::<Vec<_>>(),
                },
                "hugo": r.hugo.as_ref().map(|h| json!({
                    "timing": h.series.json(),
                    "pages": h.pages,
                    "source_pages": h.sources,
                    "output": {"bytes": h.out.bytes, "files": h.out.files, "html_files": h.out.html.len()},
                    "complaints": h.complaints,
                })),
                "ratio_rulebook_over_hugo": match (&r.rb, &r.hugo) {
                    (Some(s), Some(h)) => json!({
                        "wall": s.wall() / h.series.wall(),
                        "cpu": s.cpu() / h.series.cpu(),
                        "peak_rss": match (s.rss, h.series.rss) {
                            (Some(a), Some(b)) => json!(a as f64 / b as f64),
                            _ => Value::Null,
                        },
                    }),
                    _ => Value::Null,
                },
            })
        }).collect::<Vec<_>>(),
    });
    fs::write(work.join("report.md"), &md).expect("write report.md");
    fs::write(
        work.join("report.json"),
        serde_json::to_string_pretty(&report).unwrap_or_default(),
    )
    .expect("write report.json");
    println!(
        "Report written to {} and {}",
        work.join("report.md").display(),
        work.join("report.json").display()
    );
}
