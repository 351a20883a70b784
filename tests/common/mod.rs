//! Helpers shared by the integration tests: building the bundled seed handbook and fixture sites.
#![allow(dead_code)]

pub mod pdf;
pub mod served;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rulebook::Site;

/// The repository root (the bundled handbook's site root).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The seed text as delivered (a copy kept in tests/fixtures so the repo stands alone).
pub fn seed_text() -> String {
    std::fs::read_to_string(repo_root().join("tests/fixtures/seed.txt"))
        .expect("tests/fixtures/seed.txt")
}

/// Build the bundled handbook once per test binary; returns the output folder.
pub fn seed_site() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        // Built from a copy of content/, outside the project's git history: in place, the build
        // would add 修订记录 pages from this repository's own commits, and the seed's pages would
        // change with every commit (and differ from the copies other tests build).
        let src = target_tmp("seed-src");
        copy_content(&src);
        build_in_target_tmp("seed", &src)
    })
}

/// A fresh folder `<cargo target/tmp>/<label>-<test binary>`.
fn target_tmp(label: &str) -> PathBuf {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().to_string()))
        .unwrap_or_default();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{label}-{exe}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("target/tmp");
    dir
}

/// Build the site at `root` into `<cargo target/tmp>/<label>-<test binary>/public` and return that
/// folder. Under cargo's target/tmp (one folder per test binary, replaced on every run) because a
/// static is never dropped and a temporary folder would be left behind in /tmp by every run.
fn build_in_target_tmp(label: &str, root: &Path) -> PathBuf {
    let dir = target_tmp(label);
    let out = dir.join("public");
    let mut site = Site::new(root);
    site.build(Some(&out), false)
        .unwrap_or_else(|e| panic!("{label} build failed: {e}\n{:#?}", e.diagnostics()));
    out
}

/// Copy the bundled handbook's `content/` into `to/content` (for tests that edit it).
pub fn copy_content(to: &Path) {
    let from = repo_root().join("content");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.expect("content/");
        let dest = to
            .join("content")
            .join(entry.path().strip_prefix(&from).expect("below content/"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("folder");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// Run the `rulebook` binary with `args`: exit status, stdout, stderr.
pub fn run_rulebook(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(args)
        .output()
        .expect("rulebook runs");
    (
        out.status.code().expect("exited"),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// `rulebook check --format json --root ROOT [extra…]`: its exit status and its JSON.
pub fn check_json(root: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--root".as_ref(),
        root.as_os_str(),
    ];
    args.extend(extra.iter().map(|a| std::ffi::OsStr::new(*a)));
    let (code, out, err) = run_rulebook(&args);
    (
        code,
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}")),
    )
}

/// Write a fixture site from (relative path, text) pairs into a new temporary folder.
pub fn fixture_site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// Every file under `dir`, as (relative path with `/`, bytes), sorted.
pub fn all_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// Visible text of an HTML page: tags removed, entities decoded for the few the renderer emits.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut in_script = false;
    let lower = html.to_string();
    let mut i = 0;
    let bytes = lower.as_bytes();
    while i < bytes.len() {
        if !in_tag && lower[i..].starts_with("<script") {
            in_script = true;
        }
        if in_script {
            if lower[i..].starts_with("</script>") {
                in_script = false;
                i += "</script>".len();
            } else {
                // By characters: a script may hold Chinese (a checklist's steps as JSON).
                i += lower[i..].chars().next().map_or(1, char::len_utf8);
            }
            continue;
        }
        let c = lower[i..].chars().next().unwrap();
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
        i += c.len_utf8();
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Remove every kind of white space (ASCII, U+3000, NBSP) for text comparison.
pub fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}' && *c != '\u{a0}')
        .collect()
}

/// Slice the `<main>` element out of a page.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("<main>");
    let end = html.find("</main>").expect("</main>") + "</main>".len();
    &html[start..end]
}

/// Break minified HTML before block-level tags so snapshots diff line by line.
pub fn pretty(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 10);
    for (i, part) in html.split('<').enumerate() {
        if i > 0 {
            let block = [
                "section", "/section", "p ", "p>", "h1", "h2", "h3", "h4", "li", "ol", "/ol", "ul",
                "/ul", "tr", "table", "nav", "dl", "header", "article",
            ]
            .iter()
            .any(|t| part.starts_with(t));
            if block && !out.is_empty() {
                out.push('\n');
            }
            out.push('<');
        }
        out.push_str(part);
    }
    out
}

/// Everything under `dir` (every entry; file bytes, link targets; folders too, so an added empty
/// folder is a change), for before/after comparisons.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let ft = e.file_type();
            let v = if ft.is_symlink() {
                let mut v = b"symlink:".to_vec();
                v.extend(
                    std::fs::read_link(e.path())
                        .unwrap()
                        .to_string_lossy()
                        .as_bytes(),
                );
                v
            } else if ft.is_dir() {
                b"dir".to_vec()
            } else {
                let mut v = b"file:".to_vec();
                v.extend(std::fs::read(e.path()).unwrap());
                v
            };
            (rel, v)
        })
        .collect()
}

/// Write `text` to `root/rel`, creating folders.
pub fn put(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Names directly under `dir`, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Every link of an HTML page or fragment as (href, text), read with an HTML parser so that the
/// tests do not depend on how attributes are quoted.
pub fn links(html: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_fragment(html);
    let a = scraper::Selector::parse("a[href]").expect("selector");
    doc.select(&a)
        .map(|e| {
            (
                e.value().attr("href").unwrap_or_default().to_string(),
                e.text().collect(),
            )
        })
        .collect()
}

/// Whether `html` has a link to `href`.
pub fn has_href(html: &str, href: &str) -> bool {
    links(html).iter().any(|(h, _)| h == href)
}

/// Whether an element of `html` has the id `id`.
pub fn has_id(html: &str, id: &str) -> bool {
    let doc = scraper::Html::parse_fragment(html);
    let sel = scraper::Selector::parse("[id]").expect("selector");
    doc.select(&sel).any(|e| e.value().id() == Some(id))
}

/// Build the fixture site `tests/fixtures/<name>` once per test binary (as [`seed_site`] does);
/// returns the output folder.
pub fn fixture_build(name: &'static str) -> PathBuf {
    static BUILT: std::sync::Mutex<Vec<(&'static str, PathBuf)>> =
        std::sync::Mutex::new(Vec::new());
    let mut built = BUILT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, out)) = built.iter().find(|(n, _)| *n == name) {
        return out.clone();
    }
    let out = build_in_target_tmp(name, &repo_root().join("tests/fixtures").join(name));
    built.push((name, out.clone()));
    out
}

/// Decode `%XX` escapes (UTF-8); `None` if they do not make UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

/// Every relative `href`/`src` of every page under `out` that names no file there, or names an
/// `id` its page does not have: (page, href). An href must be a valid RFC 3986 reference (no raw
/// space or non-ASCII character in its path), since that is what a server and file:// both read.
pub fn broken_links(out: &Path) -> Vec<(String, String)> {
    let sel = scraper::Selector::parse("a[href], link[href], script[src], img[src]").unwrap();
    let ids = scraper::Selector::parse("[id]").unwrap();
    let mut broken = Vec::new();
    for (rel, bytes) in all_files(out) {
        if !rel.ends_with(".html") || rel == "404.html" {
            continue;
        }
        let page = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        for el in page.select(&sel) {
            let v = el.value();
            let href = v.attr("href").or_else(|| v.attr("src")).unwrap_or("");
            if href.contains(':') || href.is_empty() {
                continue; // data:, mailto: and other absolute URLs are not files of the site
            }
            let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
            let ok = (|| {
                if path.bytes().any(|b| b <= b' ' || b >= 0x7f) {
                    return false;
                }
                let target = if path.is_empty() {
                    out.join(&rel)
                } else {
                    let decoded = match percent_decode(path) {
                        Some(d) => d,
                        None => return false,
                    };
                    let mut t = out.join(&rel).parent().unwrap().to_path_buf();
                    for seg in decoded.split('/') {
                        match seg {
                            ".." => {
                                t.pop();
                            }
                            "." | "" => {}
                            s => t.push(s),
                        }
                    }
                    t
                };
                if !target.is_file() {
                    return false;
                }
                if fragment.is_empty()
                    || fragment == "top"
                    || target.extension().is_none_or(|e| e != "html")
                {
                    return true;
                }
                let text = std::fs::read_to_string(&target).unwrap();
                let doc = scraper::Html::parse_document(&text);
                let want = percent_decode(fragment).unwrap_or_default();
                doc.select(&ids)
                    .any(|e| e.value().id() == Some(want.as_str()))
            })();
            if !ok {
                broken.push((rel.clone(), href.to_string()));
            }
        }
    }
    broken
}

/// Write the folder `dir` into `repo` as a git tree (files and folders; `.git` and the output
/// folder `public/` left out): the history tests commit a site as it stands.
pub fn write_tree(repo: &gix::Repository, dir: &Path) -> gix::ObjectId {
    use gix::objs::tree::{Entry, EntryKind};
    let mut entries = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        if name == ".git" || name == "public" {
            continue;
        }
        let (mode, oid) = if e.file_type().unwrap().is_dir() {
            (EntryKind::Tree, write_tree(repo, &e.path()))
        } else {
            let id = repo.write_blob(std::fs::read(e.path()).unwrap()).unwrap();
            (EntryKind::Blob, id.detach())
        };
        entries.push(Entry {
            mode: mode.into(),
            filename: name.into(),
            oid,
        });
    }
    entries.sort();
    repo.write_object(gix::objs::Tree { entries })
        .unwrap()
        .detach()
}
