//! Scale benchmark: how long `rulebook build` takes, and how much memory and output it makes, as the
//! handbook grows.
//!
//! ```text
//! cargo bench --bench scale                       # seed + 1,000 + 10,000 regulations, 5 runs each
//! cargo bench --bench scale -- --sizes 1000 --runs 3
//! cargo bench --bench scale -- --no-seed --sizes 100000
//! cargo bench --bench scale -- --out-root /dev/shm/rulebook-bench   # outputs on tmpfs: CPU without disk
//! ```
//!
//! What it does:
//! 1. `cargo build --release --bin rulebook --example gen_corpus` (the release binary is what is timed;
//!    this file only drives it, so the figures are those of the real command line). Both binaries are
//!    copied to `target/scale-bench/bin/` first, so a concurrent build cannot swap them mid-run.
//! 2. Generates corpora with `examples/gen_corpus.rs` under `target/scale-bench/n<N>/` and keeps them:
//!    a corpus is regenerated only when the generator's source, the bundled `content/` or N change.
//! 3. Builds the bundled site (`content/`) and each corpus: one untimed build into an empty output
//!    folder, then `--runs` timed rebuilds over the previous output (what an editor's rebuild does; the
//!    `write` stage includes swapping out and deleting the previous output).
//! 4. Prints a Markdown table (paste it into the README) with, per corpus: wall time of the whole
//!    process (median, min–max), CPU time (user+sys, median), peak memory (max RSS of the build process,
//!    from `wait4`), rulebook's own stage times (median per stage), output size (bytes, files),
//!    the size of `search-index*` (if the build writes one), the largest regulation page and the number
//!    of warnings the build printed; then the targets and whether each is met.
//!
//! Peak memory comes from `wait4(2)`'s `ru_maxrss` on Linux, so no extra tool is needed. (Elsewhere the
//! column reads n/a; on Linux the same figure is available from GNU time: `apt-get install -y time`, then
//! `/usr/bin/time -v target/release/rulebook build …`, "Maximum resident set size".)
//!
//! The machine is shared in many setups: the table also shows the load average before and after, and the
//! CPU-time column, which contention inflates less than wall time.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const GEN_SEED: u64 = 42;

struct Opts {
    sizes: Vec<usize>,
    runs: usize,
    seed: bool,
    build: bool,
    /// Where the outputs go (default: next to each corpus, under target/scale-bench/).
    out_root: Option<PathBuf>,
}

fn opts() -> Opts {
    let mut o = Opts {
        sizes: vec![1000, 10_000],
        runs: 5,
        seed: true,
        build: true,
        out_root: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--sizes" => {
                o.sizes = args
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        s.replace('_', "")
                            .parse()
                            .expect("--sizes takes numbers, e.g. 1000,10000")
                    })
                    .collect()
            }
            "--runs" => {
                o.runs = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .filter(|&n| n >= 1)
                    .expect("--runs takes a number ≥ 1")
            }
            "--no-seed" => o.seed = false,
            "--no-build" => o.build = false,
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

#[derive(Debug, Clone, Default)]
struct Usage {
    wall: Duration,
    cpu: Duration,
    /// Peak resident set size in bytes, if known.
    max_rss: Option<u64>,
    code: i32,
}

#[cfg(target_os = "linux")]
mod sys {
    #[repr(C)]
    #[derive(Default)]
    pub struct Timeval {
        pub tv_sec: i64,
        pub tv_usec: i64,
    }
    /// `struct rusage` of 64-bit Linux: two timevals and fourteen longs.
    #[repr(C)]
    #[derive(Default)]
    pub struct Rusage {
        pub ru_utime: Timeval,
        pub ru_stime: Timeval,
        pub ru_maxrss: i64,
        pub rest: [i64; 13],
    }
    unsafe extern "C" {
        pub fn wait4(pid: i32, status: *mut i32, options: i32, rusage: *mut Rusage) -> i32;
    }
}

/// Wait for `child`, returning (exit code, cpu time, max rss).
#[cfg(target_os = "linux")]
fn wait_measured(child: std::process::Child) -> (i32, Duration, Option<u64>) {
    assert!(
        std::mem::size_of::<sys::Rusage>() == 144,
        "unexpected struct rusage layout"
    );
    let pid = child.id() as i32;
    let mut status = 0i32;
    let mut ru = sys::Rusage::default();
    loop {
        // SAFETY: plain FFI call with valid pointers to owned, correctly sized structs.
        let r = unsafe { sys::wait4(pid, &mut status, 0, &mut ru) };
        if r == pid {
            break;
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            panic!("wait4 failed: {e}");
        }
    }
    std::mem::forget(child); // already reaped
    let code = if status & 0x7f == 0 {
        (status >> 8) & 0xff
    } else {
        128 + (status & 0x7f)
    };
    let tv = |t: &sys::Timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    (
        code,
        tv(&ru.ru_utime) + tv(&ru.ru_stime),
        Some(ru.ru_maxrss as u64 * 1024),
    )
}

#[cfg(not(target_os = "linux"))]
fn wait_measured(mut child: std::process::Child) -> (i32, Duration, Option<u64>) {
    let s = child.wait().expect("wait");
    (s.code().unwrap_or(-1), Duration::ZERO, None)
}

/// Run a command with stdout and stderr going to files; measure it.
fn run_measured(cmd: &mut Command, log_dir: &Path) -> (Usage, String, String) {
    let out_path = log_dir.join("stdout.txt");
    let err_path = log_dir.join("stderr.txt");
    cmd.stdin(Stdio::null())
        .stdout(File::create(&out_path).expect("create stdout log"))
        .stderr(File::create(&err_path).expect("create stderr log"));
    let start = Instant::now();
    let child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let (code, cpu, max_rss) = wait_measured(child);
    let wall = start.elapsed();
    let stdout = fs::read_to_string(&out_path).unwrap_or_default();
    let stderr = fs::read_to_string(&err_path).unwrap_or_default();
    (
        Usage {
            wall,
            cpu,
            max_rss,
            code,
        },
        stdout,
        stderr,
    )
}

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

/// A key that changes when the generator, the seed content or N change.
fn corpus_key(manifest: &Path, n: usize) -> String {
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
    format!("n={n} seed={GEN_SEED} hash={h:016x}")
}

fn ensure_corpus(manifest: &Path, generator: &Path, dir: &Path, n: usize) {
    let key = corpus_key(manifest, n);
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
        .status()
        .expect("run gen_corpus");
    assert!(status.success(), "gen_corpus failed for N={n}");
    fs::write(&key_file, key).expect("write corpus key");
}

// ---------------------------------------------------------------------------------------------------
// Results

struct Row {
    name: String,
    source_files: u64,
    source_bytes: u64,
    printed: Printed,
    walls: Vec<Duration>,
    cpus: Vec<Duration>,
    rss: Option<u64>,
    stages: Vec<(String, f64)>,
    out: OutputStats,
    warnings: usize,
    first_warnings: Vec<String>,
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

fn bench_site(name: &str, bin: &Path, root: &Path, out: &Path, runs: usize, logs: &Path) -> Row {
    fs::create_dir_all(logs).expect("create log folder");
    let (source_files, source_bytes) = dir_bytes(&root.join("content"), "md");
    // The first build writes into an empty folder and is not timed.
    let _ = fs::remove_dir_all(out);
    let mut cmd = Command::new(bin);
    cmd.arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out);
    let (u, stdout, stderr) = run_measured(&mut cmd, logs);
    if u.code != 0 {
        eprintln!("{stdout}{stderr}");
        panic!(
            "rulebook build of {name} failed (exit {}); logs in {}",
            u.code,
            logs.display()
        );
    }
    let warning_lines: Vec<String> = stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .map(str::to_string)
        .collect();
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    let mut rss: Option<u64> = None;
    let mut stage_runs: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut stage_order: Vec<String> = Vec::new();
    let mut printed = Printed::default();
    for r in 0..runs {
        let mut cmd = Command::new(bin);
        cmd.arg("build")
            .arg("--root")
            .arg(root)
            .arg("--out")
            .arg(out);
        let (u, stdout, stderr) = run_measured(&mut cmd, logs);
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
        eprintln!(
            "scale: {name} run {}/{runs}: {} wall, {} cpu, {} peak RSS — {}",
            r + 1,
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
        walls.push(u.wall);
        cpus.push(u.cpu);
        if let Some(m) = u.max_rss {
            rss = Some(rss.map_or(m, |r: u64| r.max(m)));
        }
        let _ = stderr;
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
        walls,
        cpus,
        rss,
        stages,
        out: output_stats(out),
        warnings: warning_lines.len(),
        first_warnings: {
            // Show each distinct message once (with its location), up to ten.
            let mut seen = Vec::new();
            for l in stderr.lines().collect::<Vec<_>>().windows(2) {
                if l[0].starts_with("warning")
                    && !seen.iter().any(|(m, _): &(String, String)| *m == l[0])
                {
                    seen.push((l[0].to_string(), l[1].trim().to_string()));
                }
            }
            seen.into_iter()
                .take(10)
                .map(|(m, at)| format!("{m} ({at})"))
                .collect()
        },
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

fn main() {
    let o = opts();
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("target"));
    let target = if target.is_absolute() {
        target
    } else {
        manifest.join(target)
    };
    let work = target.join("scale-bench");
    fs::create_dir_all(&work).expect("create target/scale-bench");

    if o.build {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        eprintln!("scale: cargo build --release --bin rulebook --example gen_corpus");
        let s = Command::new(cargo)
            .current_dir(&manifest)
            .args([
                "build",
                "--release",
                "--bin",
                "rulebook",
                "--example",
                "gen_corpus",
            ])
            .status()
            .expect("run cargo");
        assert!(s.success(), "cargo build --release failed");
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

    let load_before = loadavg();
    let mut rows = Vec::new();
    if o.seed {
        let out = o
            .out_root
            .as_ref()
            .map_or_else(|| work.join("seed-public"), |r| r.join("seed-public"));
        rows.push(bench_site(
            "bundled (content/)",
            &bin,
            &manifest,
            &out,
            o.runs,
            &work.join("logs/seed"),
        ));
    }
    for &n in &o.sizes {
        let dir = work.join(format!("n{n}"));
        ensure_corpus(&manifest, &generator, &dir, n);
        let out = o
            .out_root
            .as_ref()
            .map_or_else(|| dir.join("public"), |r| r.join(format!("n{n}-public")));
        rows.push(bench_site(
            &format!("{n} regulations"),
            &bin,
            &dir,
            &out,
            o.runs,
            &work.join(format!("logs/n{n}")),
        ));
    }
    let load_after = loadavg();

    // ------------------------------------------------------------------------------------------
    println!();
    println!("### Build time and size by handbook size");
    println!();
    println!(
        "Machine: {}. Load average before/after: {load_before} / {load_after}.",
        machine()
    );
    println!(
        "`rulebook build` (release), {} timed rebuilds per corpus after one untimed build; wall = whole process; \
         peak RSS = max over runs; stages = rulebook's own timings (median).",
        o.runs
    );
    println!();
    println!(
        "| Corpus | Sources | Clauses | Wall median (min–max) | CPU (user+sys) | Peak RSS | Stages (median) | Output | Search index | Largest regulation page | Warnings |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for r in &rows {
        let walls: Vec<f64> = r.walls.iter().map(|d| ms(*d)).collect();
        let cpus: Vec<f64> = r.cpus.iter().map(|d| ms(*d)).collect();
        let min = walls.iter().cloned().fold(f64::INFINITY, f64::min);
        let max = walls.iter().cloned().fold(0.0, f64::max);
        println!(
            "| {} | {} docs, {} | {} | **{}** ({}–{}) | {} | {} | {} | {} in {} files | {} | {} | {} |",
            r.name,
            r.printed.documents.unwrap_or(r.source_files),
            mib(r.source_bytes),
            r.printed.clauses.map_or("?".into(), |c| c.to_string()),
            fmt_ms(median(&walls)),
            fmt_ms(min),
            fmt_ms(max),
            fmt_ms(median(&cpus)),
            r.rss.map_or("n/a".into(), mib),
            r.stages
                .iter()
                .map(|(s, v)| format!("{s} {}", fmt_ms(*v)))
                .collect::<Vec<_>>()
                .join(" · "),
            mib(r.out.bytes),
            r.out.files,
            r.out.search_index.map_or("—".into(), kib),
            r.out
                .largest_regulation
                .as_ref()
                .map_or("—".into(), |(b, _)| kib(*b)),
            r.warnings,
        );
    }
    println!();

    // Targets (release build, 2 cores).
    println!("Targets:");
    let find = |pred: &dyn Fn(&Row) -> bool| rows.iter().find(|r| pred(r));
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    if let Some(r) = find(&|r| r.name.starts_with("bundled")) {
        let w = median(&r.walls.iter().map(|d| ms(*d)).collect::<Vec<_>>());
        println!(
            "- bundled site under 50 ms: {} ({})",
            verdict(w < 50.0),
            fmt_ms(w)
        );
    }
    if let Some(r) = find(&|r| r.name == "1000 regulations") {
        let w = median(&r.walls.iter().map(|d| ms(*d)).collect::<Vec<_>>());
        println!(
            "- 1,000 regulations under 0.35 s: {} ({})",
            verdict(w < 350.0),
            fmt_ms(w)
        );
    }
    if let Some(r) = find(&|r| r.name == "10000 regulations") {
        let w = median(&r.walls.iter().map(|d| ms(*d)).collect::<Vec<_>>());
        println!(
            "- 10,000 regulations under 3 s: {} ({})",
            verdict(w < 3000.0),
            fmt_ms(w)
        );
        if let Some(m) = r.rss {
            println!(
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
        println!("- largest regulation page per corpus (should not grow with the site):");
        for (name, b, p) in &pages {
            println!("  - {name}: {} ({p})", kib(*b));
        }
        let gen_pages: Vec<u64> = pages
            .iter()
            .filter(|(n, _, _)| !n.starts_with("bundled"))
            .map(|(_, b, _)| *b)
            .collect();
        if gen_pages.len() >= 2 {
            let (lo, hi) = (
                gen_pages.iter().min().unwrap(),
                gen_pages.iter().max().unwrap(),
            );
            let ratio = *hi as f64 / *lo as f64;
            println!(
                "  - ratio largest/smallest across generated corpora: {ratio:.2} ({})",
                verdict(ratio < 1.25)
            );
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
        .filter(|r| !r.name.starts_with("bundled"))
        .collect();
    let small = if generated.len() >= 2 {
        generated.first().copied()
    } else {
        rows.first()
    };
    if let (Some(small), Some(big)) = (small, rows.last())
        && !std::ptr::eq(small, big)
    {
        if let (Some(first), true) = (generated.first(), generated.len() >= 2)
            && let Some((b, p)) = &first.out.largest_regulation
        {
            let s10 = big.out.html.get(p).copied();
            println!(
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
            println!(
                "- {} regulation pages in both the {} and the {} corpus: median size ratio {:.2}, largest {:.2} — no regulation page grows with the site: {}",
                regs.len(),
                small.name,
                big.name,
                median(&regs),
                worst,
                verdict(worst < 1.25)
            );
        }
        println!(
            "- pages that grow most from the {} to the {} corpus:",
            small.name, big.name
        );
        for (ratio, p, a, b) in growth.iter().take(8) {
            println!("  - {p}: {} → {} (×{ratio:.1})", kib(*a), kib(*b));
        }
    }
    for r in &rows {
        if let Some((b, p)) = &r.out.largest_html {
            println!("- {}: largest HTML file overall {} ({p})", r.name, kib(*b));
        }
    }
    for r in &rows {
        if !r.first_warnings.is_empty() {
            println!("- {} printed {} warning(s), e.g.:", r.name, r.warnings);
            for w in &r.first_warnings {
                println!("  - `{w}`");
            }
        }
    }
    println!();
    println!("Corpora and logs: {}", work.display());
    if let Some(r) = &o.out_root {
        println!("Outputs: {}", r.display());
    }
}
