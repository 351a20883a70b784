//! `rulebook serve`: the editors' preview. Builds the site into memory, serves it over HTTP (loopback
//! by default), watches the sources, rebuilds after a change and tells open pages to reload over
//! Server-Sent Events; a failed build keeps the last good pages and shows its diagnostics over them.
//!
//! Nothing is written to disk: the build goes into memory (`Site::render_into`), so a preview never
//! touches `public/` and a Ctrl-C leaves nothing behind. Only files of the build are served — a path
//! is looked up in that map, never joined to a folder — so `..`, `%2e%2e` and symlinks cannot reach
//! anything else. The reload script is added to HTML pages as they are served, so the built pages
//! (and `build`'s output) carry none of it.

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, mpsc};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::error::{Diagnostic, Error, Result};
use crate::output::write::Sink;
use crate::site::Site;

/// Where the preview's own resources live; no page of a handbook can be there (`__` is not a
/// character rulebook puts at the start of a path).
const PREFIX: &str = "/__rulebook/";
/// The script that follows the build: reloads the page after a good build, shows the diagnostics
/// over it after a failed one.
const LIVE_JS: &str = include_str!("../themes/default/static/live.js");
/// How long the watcher waits for more changes before it rebuilds: an editor saving writes a file
/// in several steps (and some write a backup first).
const DEBOUNCE: Duration = Duration::from_millis(25);

/// What `rulebook serve` needs.
pub struct Options {
    pub root: PathBuf,
    pub addr: SocketAddr,
    /// How source files that are not UTF-8 are read (`--encoding`), as `build` does.
    pub encoding: crate::content::text::Encoding,
}

/// The result of the last build and the pages of the last good one.
struct State {
    /// Path (`regulations/x.html`) → bytes, from the last build that succeeded.
    files: Arc<HashMap<String, Arc<[u8]>>>,
    /// Counts builds, good or failed; the reload channel sends each new one.
    generation: u64,
    /// Whether the last build failed (its pages are not served; the previous ones are).
    failed: bool,
    /// The diagnostics of the last build: errors when it failed, warnings otherwise.
    diagnostics: Vec<Diagnostic>,
    /// How long the last build took.
    took: Duration,
    /// The interface strings of the last good build (the overlay's words).
    strings: std::collections::BTreeMap<String, String>,
}

struct Shared {
    state: Mutex<State>,
    /// Notified after every build.
    built: Condvar,
    stop: AtomicBool,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running preview server. Dropping it stops it.
pub struct Server {
    shared: Arc<Shared>,
    http: Arc<tiny_http::Server>,
    addr: SocketAddr,
    // Keeps the watcher running; dropped with the server.
    _watcher: Box<dyn Send>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

/// Collects a build's files in memory.
#[derive(Default)]
struct Memory(Mutex<HashMap<String, Arc<[u8]>>>);

impl Sink for Memory {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_string(), Arc::from(bytes));
        Ok(())
    }
}

/// One build of the site at `root` into memory.
struct Built {
    /// The files, or `None` if the build failed.
    files: Option<HashMap<String, Arc<[u8]>>>,
    /// Errors if it failed, warnings if not.
    diagnostics: Vec<Diagnostic>,
    /// The site's interface strings, if its configuration could be read.
    strings: Option<std::collections::BTreeMap<String, String>>,
}

fn build(root: &Path, encoding: crate::content::text::Encoding) -> Built {
    let memory = Memory::default();
    let mut site = Site::new(root);
    site.encoding = encoding;
    let result = site.render_into(&memory);
    let strings = site.library.as_ref().map(|l| l.config.strings.clone());
    let (files, diagnostics) = match result {
        Ok(_) => (
            Some(
                memory
                    .0
                    .into_inner()
                    .unwrap_or_else(PoisonError::into_inner),
            ),
            site.diagnostics,
        ),
        Err(Error::Content(diags)) => (None, diags),
        Err(e) => (None, vec![Diagnostic::error(root, 1, 1, e.to_string())]),
    };
    // The overlay speaks the site's language (Chinese when its configuration could not be read).
    let lang = site
        .library
        .as_ref()
        .map_or(crate::messages::Lang::Zh, |l| {
            crate::messages::Lang::for_tag(&l.config.language)
        });
    let mut diagnostics = diagnostics;
    for d in &mut diagnostics {
        d.localize(lang);
    }
    Built {
        files,
        diagnostics,
        strings,
    }
}

impl Server {
    /// Build once, then serve on `options.addr` (port 0: any free port, see [`Server::addr`]) and
    /// rebuild on every change under the root's `content/`, `templates/`, `static/` and
    /// `site.yaml`. A first build that fails still starts the server: it shows the diagnostics.
    pub fn start(options: Options) -> Result<Server> {
        let root = options.root.clone();
        let started = Instant::now();
        let encoding = options.encoding;
        let built = build(&root, encoding);
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                failed: built.files.is_none(),
                files: Arc::new(built.files.unwrap_or_default()),
                generation: 1,
                diagnostics: built.diagnostics,
                took: started.elapsed(),
                strings: built
                    .strings
                    .unwrap_or_else(|| crate::i18n::builtin("zh-CN")),
            }),
            built: Condvar::new(),
            stop: AtomicBool::new(false),
        });
        let http = tiny_http::Server::http(options.addr).map_err(|e| Error::Write {
            path: PathBuf::from(options.addr.to_string()),
            source: std::io::Error::other(e.to_string()),
        })?;
        let addr = http.server_addr().to_ip().ok_or_else(|| Error::Write {
            path: PathBuf::from(options.addr.to_string()),
            source: std::io::Error::other("not an IP address"),
        })?;
        let http = Arc::new(http);

        // Changes go to one rebuild worker: whatever arrives during a build causes exactly one
        // more build after it.
        let (tx, rx) = mpsc::channel::<()>();
        let watcher = watch(&root, tx)?;
        let mut threads = Vec::new();
        {
            let shared = Arc::clone(&shared);
            let root = root.clone();
            threads.push(std::thread::spawn(move || {
                rebuild_worker(&root, encoding, &shared, &rx)
            }));
        }
        {
            let shared = Arc::clone(&shared);
            let http = Arc::clone(&http);
            threads.push(std::thread::spawn(move || accept(&http, &shared)));
        }
        Ok(Server {
            shared,
            http,
            addr,
            _watcher: watcher,
            threads,
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Block until the server is stopped (the process is ended by Ctrl-C: nothing is on disk to
    /// clean up).
    pub fn wait(mut self) {
        for t in std::mem::take(&mut self.threads) {
            let _ = t.join();
        }
    }

    /// Calls `f` after every build (from the rebuild worker), with whether it failed, its
    /// diagnostics and how long it took; for the terminal.
    pub fn on_build(&self, f: impl Fn(bool, &[Diagnostic], Duration) + Send + 'static) {
        let shared = Arc::clone(&self.shared);
        std::thread::spawn(move || {
            let mut seen = 0;
            loop {
                let state = shared.lock();
                let state = shared
                    .built
                    .wait_while(state, |s| {
                        s.generation == seen && !shared.stop.load(Ordering::Relaxed)
                    })
                    .unwrap_or_else(PoisonError::into_inner);
                if shared.stop.load(Ordering::Relaxed) {
                    return;
                }
                seen = state.generation;
                let (failed, diags, took) = (state.failed, state.diagnostics.clone(), state.took);
                drop(state);
                f(failed, &diags, took);
            }
        });
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.shared.built.notify_all();
        self.http.unblock();
    }
}

/// Watch what a build reads, sending a message (debounced) when any of it changes.
fn watch(root: &Path, tx: mpsc::Sender<()>) -> Result<Box<dyn Send>> {
    // site.yaml, roles.yaml and the rest of the configuration live in content/.
    let watched: Vec<PathBuf> = ["content", "templates", "static"]
        .iter()
        .map(|n| root.join(n))
        .collect();
    let relevant = watched.clone();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |r: DebounceEventResult| {
        let Ok(events) = r else { return };
        // Only changes: a build reading the sources must not announce itself (opening and
        // closing a file are events too).
        if events.iter().any(|e| {
            !matches!(e.kind, EventKind::Access(_) | EventKind::Other)
                && e.paths
                    .iter()
                    .any(|p| relevant.iter().any(|w| p.starts_with(w)))
        }) {
            let _ = tx.send(());
        }
    })
    .map_err(|e| Error::Read {
        path: root.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    // Each source folder, recursively; never the output.
    for w in &watched {
        if w.is_dir() {
            debouncer
                .watch(w, RecursiveMode::Recursive)
                .map_err(|e| Error::Read {
                    path: w.clone(),
                    source: std::io::Error::other(e.to_string()),
                })?;
        }
    }
    Ok(Box::new(debouncer))
}

fn rebuild_worker(
    root: &Path,
    encoding: crate::content::text::Encoding,
    shared: &Shared,
    rx: &mpsc::Receiver<()>,
) {
    while rx.recv().is_ok() {
        // Changes that arrived meanwhile are covered by this build.
        while rx.try_recv().is_ok() {}
        if shared.stop.load(Ordering::Relaxed) {
            return;
        }
        let started = Instant::now();
        let built = build(root, encoding);
        let mut state = shared.lock();
        state.failed = built.files.is_none();
        if let Some(files) = built.files {
            state.files = Arc::new(files);
        }
        if let Some(strings) = built.strings {
            state.strings = strings;
        }
        state.diagnostics = built.diagnostics;
        state.generation += 1;
        state.took = started.elapsed();
        drop(state);
        shared.built.notify_all();
    }
}

fn accept(http: &tiny_http::Server, shared: &Arc<Shared>) {
    for request in http.incoming_requests() {
        if shared.stop.load(Ordering::Relaxed) {
            return;
        }
        let shared = Arc::clone(shared);
        // A thread per request: the reload channel holds its connection open.
        std::thread::spawn(move || respond(request, &shared));
    }
}

fn respond(request: tiny_http::Request, shared: &Arc<Shared>) {
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let response = if path == format!("{PREFIX}events") {
        stream_events(request, shared);
        return;
    } else if path == format!("{PREFIX}live.js") {
        file_response(
            LIVE_JS.as_bytes().to_vec(),
            "text/javascript; charset=utf-8",
        )
    } else if path == format!("{PREFIX}state") {
        file_response(
            state_json(&shared.lock()).into_bytes(),
            "application/json; charset=utf-8",
        )
    } else {
        let files = Arc::clone(&shared.lock().files);
        match lookup(&files, path) {
            Some((name, bytes)) if name.ends_with(".html") => {
                file_response(with_live_script(&bytes), content_type(&name))
            }
            Some((name, bytes)) => file_response(bytes.to_vec(), content_type(&name)),
            None => match files.get("404.html") {
                Some(page) => file_response(with_live_script(page), "text/html; charset=utf-8")
                    .with_status_code(404),
                // No build has succeeded yet: an empty page, for the overlay to show the errors on.
                None => file_response(
                    with_live_script(
                        b"<!DOCTYPE html><html><head><meta charset=utf-8><title>rulebook</title></head><body></body></html>",
                    ),
                    "text/html; charset=utf-8",
                )
                .with_status_code(404),
            },
        }
    };
    let _ = request.respond(response);
}

/// The file a URL path names: percent-decoded, `/` and folders mean their `index.html`. Only names
/// of the build are looked up, and a path with a `..`, `.`, backslash or NUL segment names nothing.
fn lookup(files: &HashMap<String, Arc<[u8]>>, url_path: &str) -> Option<(String, Arc<[u8]>)> {
    let decoded = percent_decode(url_path)?;
    let rel = decoded.trim_start_matches('/');
    if rel
        .split('/')
        .any(|seg| seg == ".." || seg == "." || seg.contains(['\\', '\0']))
    {
        return None;
    }
    let name = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    files
        .get(&name)
        .map(|b| (name.clone(), Arc::clone(b)))
        .or_else(|| {
            let index = format!("{name}/index.html");
            files.get(&index).map(|b| (index, Arc::clone(b)))
        })
}

/// `%XX` escapes decoded (percent-encoding); `None` if the result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

/// An HTML page with the reload script before `</body>` (or at the end).
fn with_live_script(page: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{PREFIX}live.js\"></script>");
    let at = page
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + tag.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

fn state_json(state: &State) -> String {
    serde_json::json!({
        "generation": state.generation,
        "failed": state.failed,
        "took_ms": state.took.as_secs_f64() * 1e3,
        "diagnostics": state.diagnostics,
        "strings": state
            .strings
            .iter()
            .filter(|(k, _)| k.starts_with("preview_"))
            .collect::<std::collections::BTreeMap<_, _>>(),
    })
    .to_string()
}

/// The reload channel: a `text/event-stream` that sends the build state now and after every build,
/// until the page goes away. tiny_http buffers streamed bodies, so the connection is taken over
/// (its "upgrade") after the headers and every event is flushed as it is written.
fn stream_events(request: tiny_http::Request, shared: &Shared) {
    let response = tiny_http::Response::new(
        tiny_http::StatusCode(200),
        vec![
            header("Content-Type", "text/event-stream; charset=utf-8"),
            header("Cache-Control", "no-store"),
        ],
        std::io::empty(),
        None,
        None,
    );
    let mut stream = request.upgrade("event-stream", response);
    let mut seen = 0;
    loop {
        let state = shared.lock();
        // Wake every 15 s to send a comment: a closed connection then ends this thread.
        let (state, timeout) = shared
            .built
            .wait_timeout_while(state, Duration::from_secs(15), |s| {
                s.generation == seen && !shared.stop.load(Ordering::Relaxed)
            })
            .unwrap_or_else(PoisonError::into_inner);
        if shared.stop.load(Ordering::Relaxed) {
            return;
        }
        let message = if timeout.timed_out() {
            ": keep-alive\n\n".to_string()
        } else {
            seen = state.generation;
            format!("event: build\ndata: {}\n\n", state_json(&state))
        };
        drop(state);
        if stream
            .write_all(message.as_bytes())
            .and_then(|()| stream.flush())
            .is_err()
        {
            return;
        }
    }
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn file_response(
    bytes: Vec<u8>,
    content_type: &str,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    tiny_http::Response::from_data(bytes)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "pdf" => "application/pdf",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_of_the_build_are_found() {
        let files: HashMap<String, Arc<[u8]>> = [
            ("index.html", "home"),
            ("regulations/a.html", "a"),
            ("categories/x/index.html", "x"),
            ("regulations/印章.html", "seal"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), Arc::from(v.as_bytes())))
        .collect();
        // (URL path, the file it names)
        let cases: &[(&str, Option<&str>)] = &[
            ("/", Some("index.html")),
            ("/regulations/a.html", Some("regulations/a.html")),
            ("/categories/x/", Some("categories/x/index.html")),
            ("/categories/x", Some("categories/x/index.html")),
            (
                "/regulations/%E5%8D%B0%E7%AB%A0.html",
                Some("regulations/印章.html"),
            ),
            ("/../Cargo.toml", None),
            ("/%2e%2e/Cargo.toml", None),
            ("/regulations/../index.html", None),
            ("/regulations/..%2Findex.html", None),
            ("/./index.html", None),
            ("/regulations\\a.html", None),
            ("/%00", None),
            ("/%zz", None),
            ("/missing.html", None),
        ];
        for (url, want) in cases {
            assert_eq!(
                lookup(&files, url).map(|(n, _)| n).as_deref(),
                *want,
                "{url}"
            );
        }
    }

    #[test]
    fn the_live_script_goes_before_the_end_of_body() {
        let page = with_live_script(b"<html><body><p>x</p></body></html>");
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<html><body><p>x</p><script src=\"/__rulebook/live.js\"></script></body></html>"
        );
        let bare = with_live_script(b"<p>x");
        assert!(
            String::from_utf8(bare)
                .unwrap()
                .ends_with("live.js\"></script>")
        );
    }
}
