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
const LIVE_JS: &str = include_str!("../../themes/default/static/live.js");
/// How long the watcher waits for more changes before it rebuilds: an editor saving writes a file
/// in several steps (and some write a backup first).
const DEBOUNCE: Duration = Duration::from_millis(25);

pub mod quick;

/// What `rulebook serve` needs.
pub struct Options {
    pub root: PathBuf,
    pub addr: SocketAddr,
    /// How source files that are not UTF-8 are read (`--encoding`), as `build` does.
    pub encoding: crate::content::text::Encoding,
}

/// Served files: output path (`regulations/x.html`) → bytes.
type Files = HashMap<String, Arc<[u8]>>;

/// More changed pages than this and a build says "everything changed" (every open page reloads)
/// rather than listing them.
const MAX_LISTED: usize = 200;

/// The files served: the last good full build's, and the pages the quick path made since.
#[derive(Clone, Default)]
struct Served {
    /// Path (`regulations/x.html`) → bytes, from the last full build that succeeded.
    built: Arc<Files>,
    /// The pages the quick path made since that build, served in place of its (emptied by the
    /// next full build: a handful of pages, where copying the map of every file would cost
    /// milliseconds at thousands of regulations).
    quick: Arc<Files>,
}

impl Served {
    /// The bytes served under `name`.
    fn get(&self, name: &str) -> Option<&Arc<[u8]>> {
        self.quick.get(name).or_else(|| self.built.get(name))
    }
}

/// The result of the last build and the pages of the last good one.
struct State {
    files: Served,
    /// Counts publications, good or failed; the reload channel sends each new one.
    generation: u64,
    /// Whether the last build failed (its pages are not served; the previous ones are).
    failed: bool,
    /// The diagnostics of the last build: errors when it failed, warnings otherwise.
    diagnostics: Vec<Diagnostic>,
    /// How long the last build took.
    took: Duration,
    /// The interface strings of the last good build (the overlay's words).
    strings: std::collections::BTreeMap<String, String>,
    /// The pages (HTML files) the last publication changed, added or removed, for open pages to
    /// reload only if they are among them; `None` when every page is to reload (the theme's assets
    /// changed, or too many pages to list).
    changed: Option<Vec<String>>,
    /// The regulations (ids) the quick path showed in this publication; empty for a full build
    /// (the handbook is then complete: the full build has caught up with every change).
    quick: Vec<String>,
}

/// One publication, as the terminal is told of it ([`Server::on_build`]).
#[derive(Debug, Clone)]
pub struct Update {
    /// The build failed: the last good pages are still served.
    pub failed: bool,
    /// Errors if it failed, warnings if not.
    pub diagnostics: Vec<Diagnostic>,
    pub took: Duration,
    /// The quick path showed these regulations (ids); the full build follows. Empty for a full
    /// build.
    pub quick: Vec<String>,
    /// The pages this publication changed (`None`: every page, as for the first build).
    pub changed: Option<Vec<String>>,
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
    /// To tell the rebuild worker to stop (it holds a sender of its own, for its builds' results,
    /// so the channel never closes by itself).
    worker: mpsc::Sender<Message>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

/// Collects a build's files in memory; refuses more once the build is cancelled (a newer change
/// arrived), which stops the renderers.
struct Memory {
    files: Mutex<Files>,
    cancel: Arc<AtomicBool>,
}

impl Sink for Memory {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_string(), Arc::from(bytes));
        Ok(())
    }
}

/// One full build of the site at `root` into memory.
struct Built {
    /// The files, or `None` if the build failed.
    files: Option<Files>,
    /// Errors if it failed, warnings if not.
    diagnostics: Vec<Diagnostic>,
    /// The site's interface strings, if its configuration could be read.
    strings: Option<std::collections::BTreeMap<String, String>>,
    /// The model and theme, for the quick path (a good build only).
    warm: Option<quick::Warm>,
    took: Duration,
    cancelled: bool,
}

fn build(root: &Path, encoding: crate::content::text::Encoding, cancel: Arc<AtomicBool>) -> Built {
    let started = Instant::now();
    let memory = Memory {
        files: Mutex::default(),
        cancel,
    };
    let mut site = Site::new(root);
    site.encoding = encoding;
    let result = site.render_into(&memory);
    let strings = site.library.as_ref().map(|l| l.config.strings.clone());
    // The overlay speaks the site's language (Chinese when its configuration could not be read).
    let lang = site
        .library
        .as_ref()
        .map(|l| l.config.lang())
        .unwrap_or_default();
    let cancelled = matches!(result, Err(Error::Cancelled));
    let (files, mut diagnostics, warm) = match result {
        Ok(_) => {
            let warm = match (site.library.take(), site.theme.take(), site.index.take()) {
                (Some(library), Some(theme), Some(index)) => Some(quick::Warm {
                    library,
                    theme,
                    index,
                }),
                _ => None,
            };
            (
                Some(
                    memory
                        .files
                        .into_inner()
                        .unwrap_or_else(PoisonError::into_inner),
                ),
                site.diagnostics,
                warm,
            )
        }
        Err(Error::Content(diags)) => (None, diags, None),
        Err(e) => (
            None,
            vec![Diagnostic::error(root, 1, 1, e.to_string())],
            None,
        ),
    };
    for d in &mut diagnostics {
        d.localize(lang);
    }
    Built {
        files,
        diagnostics,
        strings,
        warm,
        took: started.elapsed(),
        cancelled,
    }
}

/// The pages that differ between the files served and a new build's (`None`: reload everything —
/// an asset every page uses changed, or more pages changed than are worth listing).
fn changed_pages(old: &Served, new: &Files) -> Option<Vec<String>> {
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(k, v)| old.get(k).is_none_or(|o| o[..] != v[..]))
        .map(|(k, _)| k.clone())
        .chain(old.built.keys().filter(|k| !new.contains_key(*k)).cloned())
        .collect();
    if changed.iter().any(|k| k.starts_with("assets/")) {
        return None;
    }
    changed.retain(|k| k.ends_with(".html"));
    changed.sort();
    (changed.len() <= MAX_LISTED).then_some(changed)
}

impl Server {
    /// Build once, then serve on `options.addr` (port 0: any free port, see [`Server::addr`]) and
    /// rebuild on every change under the root's `content/`, `templates/`, `static/` and
    /// `site.yaml`. A first build that fails still starts the server: it shows the diagnostics.
    pub fn start(options: Options) -> Result<Server> {
        let root = options.root.clone();
        let encoding = options.encoding;
        let built = build(&root, encoding, Arc::default());
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                failed: built.files.is_none(),
                files: Served {
                    built: Arc::new(built.files.unwrap_or_default()),
                    quick: Arc::default(),
                },
                generation: 1,
                diagnostics: built.diagnostics,
                took: built.took,
                strings: built
                    .strings
                    .unwrap_or_else(|| crate::i18n::builtin("zh-CN")),
                changed: None,
                quick: Vec::new(),
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

        // Changes and finished builds go to one worker, in order.
        let (tx, rx) = mpsc::channel::<Message>();
        let watcher = watch(&root, tx.clone())?;
        let worker = tx.clone();
        let mut threads = Vec::new();
        {
            let shared = Arc::clone(&shared);
            let root = root.clone();
            let warm = built.warm;
            threads.push(std::thread::spawn(move || {
                Worker {
                    root,
                    encoding,
                    shared,
                    tx,
                    warm,
                    epoch: 0,
                    running: None,
                }
                .run(&rx)
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
            worker,
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

    /// Calls `f` after every publication (from a thread of its own), first for the build
    /// [`Server::start`] made; for the terminal.
    pub fn on_build(&self, f: impl Fn(&Update) + Send + 'static) {
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
                let update = Update {
                    failed: state.failed,
                    diagnostics: state.diagnostics.clone(),
                    took: state.took,
                    quick: state.quick.clone(),
                    changed: state.changed.clone(),
                };
                seen = state.generation;
                drop(state);
                f(&update);
            }
        });
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        let _ = self.worker.send(Message::Stop);
        self.shared.built.notify_all();
        self.http.unblock();
    }
}

/// What the rebuild worker is told.
enum Message {
    /// These paths changed (debounced).
    Changed(Vec<PathBuf>),
    /// A full build started for change number `epoch` has finished.
    Built { epoch: u64, built: Box<Built> },
    /// The server is going away.
    Stop,
}

/// Watch what a build reads, sending the changed paths (debounced) when any of it changes.
fn watch(root: &Path, tx: mpsc::Sender<Message>) -> Result<Box<dyn Send>> {
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
        let mut paths: Vec<PathBuf> = events
            .iter()
            .filter(|e| !matches!(e.kind, EventKind::Access(_) | EventKind::Other))
            .flat_map(|e| e.paths.iter())
            .filter(|p| relevant.iter().any(|w| p.starts_with(w)))
            .cloned()
            .collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            let _ = tx.send(Message::Changed(paths));
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

/// The rebuild worker: after each change, the quick path if it applies (the edited page at once),
/// then a full build in a thread of its own. A change that arrives meanwhile cancels that build
/// and starts another, so only the newest full build is ever published.
struct Worker {
    root: PathBuf,
    encoding: crate::content::text::Encoding,
    shared: Arc<Shared>,
    tx: mpsc::Sender<Message>,
    /// The last good full build's model, edited by quick updates since; `None` while a change the
    /// quick path cannot take waits for its full build.
    warm: Option<quick::Warm>,
    /// Counts changes; a full build is published only if no change came after it started.
    epoch: u64,
    /// The running full build's cancel flag.
    running: Option<Arc<AtomicBool>>,
}

impl Worker {
    fn run(mut self, rx: &mpsc::Receiver<Message>) {
        while let Ok(message) = rx.recv() {
            if self.shared.stop.load(Ordering::Relaxed) {
                return;
            }
            match message {
                Message::Changed(mut paths) => {
                    // Changes that arrived meanwhile go with these (finished builds are older
                    // than them: dropped).
                    while let Ok(more) = rx.try_recv() {
                        match more {
                            Message::Changed(p) => paths.extend(p),
                            Message::Stop => return self.cancel_running(),
                            Message::Built { .. } => {}
                        }
                    }
                    self.changed(&paths);
                }
                Message::Built { epoch, built } if epoch == self.epoch => {
                    self.running = None;
                    self.publish_full(*built);
                }
                // A build overtaken by a newer change.
                Message::Built { .. } => {}
                Message::Stop => return self.cancel_running(),
            }
        }
    }

    /// Cancel the full build under way (a newer change makes it pointless, or the server is going
    /// away).
    fn cancel_running(&mut self) {
        if let Some(cancel) = self.running.take() {
            cancel.store(true, Ordering::Relaxed);
        }
    }

    fn changed(&mut self, paths: &[PathBuf]) {
        self.epoch += 1;
        self.cancel_running();
        let started = Instant::now();
        let quick = self
            .warm
            .as_mut()
            .and_then(|warm| quick::apply(&self.root, self.encoding, warm, paths));
        match quick {
            Some(q) => self.publish_quick(q, started.elapsed()),
            // The model no longer matches the sources until the full build is done.
            None => self.warm = None,
        }
        let cancel = Arc::new(AtomicBool::new(false));
        self.running = Some(Arc::clone(&cancel));
        let (root, encoding, tx, epoch) = (
            self.root.clone(),
            self.encoding,
            self.tx.clone(),
            self.epoch,
        );
        std::thread::spawn(move || {
            let built = build(&root, encoding, cancel);
            if !built.cancelled {
                let _ = tx.send(Message::Built {
                    epoch,
                    built: Box::new(built),
                });
            }
        });
    }

    /// Serve the quick path's pages in place of the old ones (or, if the edited text has errors,
    /// show them over the last good pages).
    fn publish_quick(&self, q: quick::Quick, took: Duration) {
        let lang = self
            .warm
            .as_ref()
            .map(|w| w.library.config.lang())
            .unwrap_or_default();
        let mut state = self.shared.lock();
        let errors: Vec<Diagnostic> = q
            .diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .map(|mut d| {
                d.localize(lang);
                d
            })
            .collect();
        if errors.is_empty() {
            let mut quick = (*state.files.quick).clone();
            let mut changed: Vec<String> = Vec::new();
            for (path, bytes) in q.files {
                let old = state.files.get(&path);
                if path.ends_with(".html") && old.is_none_or(|o| o[..] != bytes[..]) {
                    changed.push(path.clone());
                }
                quick.insert(path, bytes);
            }
            changed.sort();
            state.files.quick = Arc::new(quick);
            state.failed = false;
            state.changed = Some(changed);
        } else {
            state.failed = true;
            state.diagnostics = errors;
            state.changed = Some(Vec::new());
        }
        state.quick = q.regulations;
        state.took = took;
        state.generation += 1;
        drop(state);
        self.shared.built.notify_all();
    }

    /// Serve a full build (or show its errors over the last good pages).
    fn publish_full(&mut self, built: Built) {
        let mut state = self.shared.lock();
        state.failed = built.files.is_none();
        if let Some(files) = built.files {
            state.changed = changed_pages(&state.files, &files);
            state.files = Served {
                built: Arc::new(files),
                quick: Arc::default(),
            };
        } else {
            state.changed = Some(Vec::new());
        }
        if let Some(strings) = built.strings {
            state.strings = strings;
        }
        state.diagnostics = built.diagnostics;
        state.generation += 1;
        state.took = built.took;
        state.quick = Vec::new();
        drop(state);
        self.warm = built.warm;
        self.shared.built.notify_all();
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
        let files = shared.lock().files.clone();
        match lookup(|name| files.get(name).cloned(), path) {
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
fn lookup(
    files: impl Fn(&str) -> Option<Arc<[u8]>>,
    url_path: &str,
) -> Option<(String, Arc<[u8]>)> {
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
    files(&name).map(|b| (name.clone(), b)).or_else(|| {
        let index = format!("{name}/index.html");
        files(&index).map(|b| (index, b))
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
        "changed": state.changed,
        "complete": state.quick.is_empty(),
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
                lookup(|n| files.get(n).cloned(), url)
                    .map(|(n, _)| n)
                    .as_deref(),
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
