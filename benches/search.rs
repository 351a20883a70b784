//! Search benchmark: what the search index costs at scale — its build time within `rulebook build`,
//! its size on disk and number of files — and what a query costs a reader: bytes loaded and time, in
//! headless Chromium, for ten sample queries (and the same queries in the Rust engine).
//!
//! ```text
//! cargo bench --bench search                       # 1,000 and 10,000 regulations, 3 builds each
//! SEARCH_SIZES=1000 cargo bench --bench search     # or: -- --sizes 1000
//! SEARCH_BROWSER=0 cargo bench --bench search      # without Chromium (Rust engine figures only)
//! cargo bench --bench search -- --no-build         # with the release binaries already built
//! ```
//!
//! Corpora are the scale benchmark's (`target/scale-bench/n<N>/`, made by `examples/gen_corpus.rs`
//! with seed 42); a missing one is generated the same way under `target/search-bench/n<N>/`. Each is
//! built once untimed and `SEARCH_RUNS` (3) times over its previous output; the figure is the median
//! of the `search` stage that `rulebook build` prints (the index and the results page). Then each
//! sample query is run in a fresh page opened from disk (nothing loaded yet) by the page's own
//! engine (`window.rulebookSearch.search`), timing it and adding up the bytes of the `search/` files
//! it loaded. (Over the test harness's tiny_http server every request that waits for the previous
//! one costs some 40 ms of TCP delayed acknowledgement, a property of that server, not of the index.) Results go to stdout and to
//! `target/search-bench/report.md`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use headless_chrome::{Browser, LaunchOptions};
use rulebook::search::query::{Engine, Options};
use serde_json::Value;

#[path = "common/mod.rs"]
mod common;

const QUERIES: &[&str] = &[
    "3000元",
    "公务卡",
    "印章",
    "派车单",
    "一把手",
    "请假",
    "三重一大",
    "固定资产 报废",
    "印",
    "量子计算机",
];

/// The seed queries of the yardstick (tests/fixtures/search/queries.yaml).
fn yardstick_queries() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search/queries.yaml");
    fs::read_to_string(path)
        .ok()
        .and_then(|t| rulebook::search::yardstick::QuerySet::parse(&t).ok())
        .map(|s| s.seed.into_iter().map(|c| c.q).collect())
        .unwrap_or_default()
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

struct Cli {
    sizes: Vec<usize>,
    runs: usize,
    browser: bool,
    build: bool,
}

fn cli() -> Cli {
    let mut c = Cli {
        sizes: env_or("SEARCH_SIZES", "1000,10000")
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect(),
        runs: env_or("SEARCH_RUNS", "3").parse().unwrap_or(3),
        browser: env_or("SEARCH_BROWSER", "1") != "0",
        build: true,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--sizes" => {
                i += 1;
                c.sizes = args[i].split(',').filter_map(|s| s.parse().ok()).collect();
            }
            "--runs" => {
                i += 1;
                c.runs = args[i].parse().unwrap_or(3);
            }
            "--no-browser" => c.browser = false,
            "--no-build" => c.build = false,
            _ => {} // cargo bench passes --bench
        }
        i += 1;
    }
    c
}

/// Files and bytes under `dir` (apparent size, and as allocated on disk), by first folder.
fn index_size(dir: &Path) -> (usize, u64, u64, Vec<(String, usize, u64)>) {
    use std::os::unix::fs::MetadataExt;
    let (mut files, mut bytes, mut disk) = (0, 0, 0);
    let mut parts: Vec<(String, usize, u64)> = Vec::new();
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        let m = e.metadata().expect("metadata");
        files += 1;
        bytes += m.len();
        disk += m.blocks() * 512;
        let rel = e.path().strip_prefix(dir).unwrap();
        let part = match rel.components().count() {
            1 => rel.to_string_lossy().into_owned(),
            _ => format!(
                "{}/",
                rel.components()
                    .next()
                    .unwrap()
                    .as_os_str()
                    .to_string_lossy()
            ),
        };
        match parts.iter_mut().find(|p| p.0 == part) {
            Some(p) => {
                p.1 += 1;
                p.2 += m.len();
            }
            None => parts.push((part, 1, m.len())),
        }
    }
    parts.sort();
    (files, bytes, disk, parts)
}

/// The `search` stage of the build's one-line report, in ms.
fn search_stage(stdout: &str) -> Option<f64> {
    // `build --format json`: stage names carry " ∥" when they run beside others.
    let v: serde_json::Value = serde_json::from_str(stdout).ok()?;
    let stages = v.get("stages_ms")?.as_object()?;
    stages
        .iter()
        .find(|(k, _)| k.trim_end_matches(" ∥") == "search")
        .and_then(|(_, ms)| ms.as_f64())
}

/// (ms, bytes of search/ files, files, hits, first href) of each query, each in a fresh page opened
/// from disk (file://): no server between the page and its files, so the time is the engine's and
/// the browser's own. The bytes are those of the files the page's engine loaded
/// (`rulebookSearch.stats.names`), as a web server would send them.
fn browser_queries(site: &Path) -> Vec<(f64, f64, f64, usize, String)> {
    let chrome = std::env::var_os("CHROME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let profile = tempfile::tempdir().expect("profile");
    let browser = Browser::new(LaunchOptions {
        path: Some(chrome),
        headless: true,
        sandbox: false,
        enable_gpu: false,
        user_data_dir: Some(profile.path().to_path_buf()),
        idle_browser_timeout: Duration::from_secs(600),
        ..LaunchOptions::default()
    })
    .expect("start Chromium");
    let tab = browser.new_tab().expect("tab");
    tab.set_default_timeout(Duration::from_secs(120));
    let mut out = Vec::new();
    for q in QUERIES {
        tab.navigate_to(&format!("file://{}/index.html", site.display()))
            .expect("navigate");
        tab.wait_until_navigated().expect("loaded");
        let script = format!(
            "(async () => {{
                const t0 = performance.now();
                const hits = await window.rulebookSearch.search({q});
                const ms = performance.now() - t0;
                return JSON.stringify([ms, window.rulebookSearch.stats.names, hits.length, hits.length ? hits[0].href : '']);
            }})()",
            q = serde_json::to_string(q).unwrap()
        );
        let r = tab.evaluate(&script, true).expect("query");
        let v: Value =
            serde_json::from_str(r.value.as_ref().and_then(Value::as_str).unwrap_or("[]"))
                .expect("result");
        let names: Vec<&str> = v[1]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let bytes: u64 = names
            .iter()
            .map(|n| {
                fs::metadata(site.join(format!("search/{n}.js")))
                    .map(|m| m.len())
                    .unwrap_or(0)
            })
            .sum();
        out.push((
            v[0].as_f64().unwrap_or(f64::NAN),
            bytes as f64,
            names.len() as f64,
            v[2].as_u64().unwrap_or(0) as usize,
            v[3].as_str().unwrap_or("").to_string(),
        ));
    }
    out
}

fn main() {
    let c = cli();
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = common::target_dir(&manifest);
    let work = target.join("search-bench");
    fs::create_dir_all(&work).expect("target/search-bench");
    if c.build {
        eprintln!("search: cargo build --release --bin rulebook --example gen_corpus");
        assert!(
            common::build_release(&manifest),
            "cargo build --release failed"
        );
    }
    let bin = work.join("rulebook");
    fs::copy(target.join("release/rulebook"), &bin).expect("release binary (drop --no-build?)");
    let mut report = String::from("# Search index benchmark\n\n");
    for &n in &c.sizes {
        let scale = target.join(format!("scale-bench/n{n}"));
        let root = if scale.join("content").is_dir() {
            scale
        } else {
            let dir = work.join(format!("n{n}"));
            if !dir.join("content").is_dir() {
                eprintln!("search: generating {n} regulations into {}", dir.display());
                let ok = Command::new(target.join("release/examples/gen_corpus"))
                    .args(["--docs", &n.to_string(), "--seed", "42", "--out"])
                    .arg(&dir)
                    .arg("--seed-content")
                    .arg(manifest.join("content"))
                    .stdout(Stdio::null())
                    .status()
                    .expect("gen_corpus")
                    .success();
                assert!(ok, "gen_corpus failed");
            }
            dir
        };
        let out = work.join(format!("n{n}-public"));
        let mut stage = Vec::new();
        let mut wall = Vec::new();
        for run in 0..=c.runs {
            let t0 = Instant::now();
            let o = Command::new(&bin)
                .args(["build", "--root"])
                .arg(&root)
                .arg("--out")
                .arg(&out)
                .args(["--format", "json"])
                .output()
                .expect("rulebook build");
            let dt = t0.elapsed().as_secs_f64();
            let stdout = String::from_utf8_lossy(&o.stdout);
            assert!(
                o.status.success(),
                "build failed: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            if run > 0 {
                stage.push(search_stage(&stdout).expect("search stage in the build line"));
                wall.push(dt);
            } else {
                let ms = search_stage(&stdout).unwrap_or(f64::NAN);
                eprintln!("search: first build, search stage {ms:.0} ms");
            }
        }
        let (files, bytes, disk, parts) = index_size(&out.join("search"));
        let mib = |b: u64| b as f64 / 1024.0 / 1024.0;
        let mut t = format!(
            "## {n} regulations\n\nindex build (the `search` stage, median of {}): **{:.0} ms** (whole build {:.2} s)  \n\
             index: **{files} files, {:.1} MiB** ({:.1} MiB allocated on disk)\n\n| part | files | MiB |\n|---|---|---|\n",
            c.runs,
            median(stage),
            median(wall),
            mib(bytes),
            mib(disk)
        );
        for (p, f, b) in &parts {
            t.push_str(&format!("| {p} | {f} | {:.2} |\n", mib(*b)));
        }
        // The Rust engine: bytes loaded per query (what the browser loads, the same files).
        let engine_rows: Vec<(u64, usize, String, f64)> = QUERIES
            .iter()
            .map(|q| {
                let e = Engine::new(|name: &str| fs::read(out.join(name)).ok());
                let t0 = Instant::now();
                let hits = e.search(q, &Options::default());
                let ms = t0.elapsed().as_secs_f64() * 1e3;
                let first = hits.first().map(|h| h.href.clone()).unwrap_or_default();
                let loaded = *e.loaded.borrow();
                (loaded, hits.len(), first, ms)
            })
            .collect();
        // Every query of the yardstick too: bytes loaded per query, 90th percentile and maximum
        // (the target holds for every query, not the median).
        let yard = yardstick_queries();
        let mut loads: Vec<f64> = QUERIES
            .iter()
            .map(|s| s.to_string())
            .chain(yard)
            .map(|q| {
                let e = Engine::new(|name: &str| fs::read(out.join(name)).ok());
                e.search(&q, &Options::default());
                *e.loaded.borrow() as f64 / 1024.0
            })
            .collect();
        loads.sort_by(f64::total_cmp);
        let p90 = loads[(loads.len() * 9 / 10).min(loads.len() - 1)];
        let max = loads.last().copied().unwrap_or(0.0);
        t.push_str(&format!(
            "\nper query over {} queries (the samples and the yardstick's), Rust engine: **p90 {p90:.1} KB, max {max:.1} KB loaded**\n",
            loads.len()
        ));
        let browser = if c.browser {
            browser_queries(&out)
        } else {
            Vec::new()
        };
        t.push_str("\n| query | KB loaded | files | ms (Chromium, file://) | hits | first result | Rust engine: KB, ms |\n|---|---|---|---|---|---|---|\n");
        for (i, q) in QUERIES.iter().enumerate() {
            let (loaded, hits, first, ms) = &engine_rows[i];
            let (bms, bkb, bfiles) = browser
                .get(i)
                .map(|b| {
                    (
                        format!("{:.1}", b.0),
                        format!("{:.1}", b.1 / 1024.0),
                        format!("{}", b.2),
                    )
                })
                .unwrap_or_else(|| ("n/a".into(), "n/a".into(), "n/a".into()));
            if let Some(b) = browser.get(i)
                && b.4 != *first
            {
                eprintln!("search: {q}: browser first {} ≠ Rust first {first}", b.4);
            }
            t.push_str(&format!(
                "| {q} | {bkb} | {bfiles} | {bms} | {hits} | {first} | {:.1}, {ms:.1} |\n",
                *loaded as f64 / 1024.0
            ));
        }
        let kb: Vec<f64> = if browser.is_empty() {
            engine_rows.iter().map(|r| r.0 as f64 / 1024.0).collect()
        } else {
            browser.iter().map(|b| b.1 / 1024.0).collect()
        };
        let ms: Vec<f64> = browser.iter().map(|b| b.0).collect();
        t.push_str(&format!(
            "\nmedian per query: **{:.1} KB loaded, {:.1} ms**\n\n",
            median(kb),
            median(ms)
        ));
        print!("{t}");
        report.push_str(&t);
    }
    fs::write(work.join("report.md"), &report).expect("write report");
    eprintln!("search: written to {}", work.join("report.md").display());
}
