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

use crate::error::{Diagnostic, Error, Result};
use crate::output::write::Sink;
use crate::site::Site;

/// Where the preview's own resources live; no page of a handbook can be there (`__` is not a
/// character rulebook puts at the start of a path).
const PREFIX: &str = "/__rulebook/";
/// The script that follows the build: reloads the page after a good build, shows the diagnostics
/// over it after a failed one.
const LIVE_JS: &str = include_str!("../../themes/default/static/live.js");
/// The shared worker that holds one reload channel for every open page of the preview (a browser
/// opens at most six connections to a server: six tabs each with a channel of its own left the
/// seventh without any).
const LIVE_WORKER_JS: &str = include_str!("../../themes/default/static/live-worker.js");
/// How long the watcher waits for more changes before it rebuilds: an editor saving writes a file
/// in several steps (and some write a backup first).
const DEBOUNCE: Duration = Duration::from_millis(25);

mod http;
pub mod quick;
mod watch;

pub use http::host_allowed;

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
    /// The page each source is shown on (`content/x/y.md` → `regulations/y.html`), from the last
    /// good build: a page's own warnings are those of its source.
    pages: HashMap<PathBuf, String>,
    /// Which server this is: pages are tagged with it, so that a page served by a server since
    /// stopped knows, when its channel reconnects to a new one, that it must reload.
    server: String,
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
    http: http::Stopper,
    addr: SocketAddr,
    // Keeps the watcher running; dropped with the server.
    _watcher: watch::Watcher,
    /// To tell the rebuild worker to stop (it holds a sender of its own, for its builds' results,
    /// so the channel never closes by itself).
    worker: mpsc::Sender<Message>,
    threads: Vec<std::thread::JoinHandle<()>>,
    /// The accept loop, joined when the server is dropped so that its port is free again.
    accept: Option<std::thread::JoinHandle<()>>,
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
    /// The page of each source (a good build only).
    pages: Option<HashMap<PathBuf, String>>,
    /// The regulations (ids) this build found withheld (draft or classified), good or failed.
    withheld: Vec<String>,
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
    let withheld = site.withheld.iter().map(|w| w.id.clone()).collect();
    let pages = result.is_ok().then(|| source_pages(site.library.as_ref()));
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
        pages,
        withheld,
    }
}

/// The page each source of `library` is shown on: regulations on theirs, procedures on their
/// checklist.
fn source_pages(library: Option<&crate::model::Library>) -> HashMap<PathBuf, String> {
    let Some(lib) = library else {
        return HashMap::new();
    };
    lib.regulations
        .iter()
        .map(|r| {
            (
                r.source.path.clone(),
                crate::render::links::regulation_path(&r.id),
            )
        })
        .chain(lib.procedures.iter().map(|p| {
            (
                p.source.path.clone(),
                crate::render::checklists::checklist_path(&p.id),
            )
        }))
        .collect()
}

/// Whether a served file shows a regulation now withheld (`id`): its page, preview file and
/// versions, every page that links to it or quotes it, and the files that carry the whole
/// handbook's text (print edition, search index, feed). Dropped at once when a build that
/// noticed the withholding failed: the last good pages must not go on publishing it.
fn shows_withheld(name: &str, bytes: &[u8], id: &str) -> bool {
    let page = crate::render::links::regulation_path(id);
    let href = crate::render::links::regulation_href(id);
    name == page
        || name == format!("preview/r/{id}.js")
        || name.starts_with(&format!("revisions/{id}/"))
        || name.starts_with("search/")
        || name.starts_with("preview/")
        || name == "print.html"
        || name == "revisions.xml"
        || contains(bytes, page.as_bytes())
        || contains(bytes, href.as_bytes())
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Stop serving what shows a regulation the failed build found withheld while the last good build
/// published it ([`shows_withheld`]); the pages to reload (those dropped: they now answer 404), or
/// none.
fn withdraw(files: &mut Served, withheld: &[String]) -> Option<Vec<String>> {
    let ids: Vec<&String> = withheld
        .iter()
        .filter(|id| {
            files
                .get(&crate::render::links::regulation_path(id))
                .is_some()
        })
        .collect();
    if ids.is_empty() {
        return Some(Vec::new());
    }
    let drop = |map: &Files| -> (Files, Vec<String>) {
        let mut kept = Files::with_capacity(map.len());
        let mut gone = Vec::new();
        for (name, bytes) in map {
            if ids.iter().any(|id| shows_withheld(name, bytes, id)) {
                gone.push(name.clone());
            } else {
                kept.insert(name.clone(), Arc::clone(bytes));
            }
        }
        (kept, gone)
    };
    let (built, mut gone) = drop(&files.built);
    let (quick, more) = drop(&files.quick);
    gone.extend(more);
    files.built = Arc::new(built);
    files.quick = Arc::new(quick);
    gone.retain(|n| n.ends_with(".html"));
    gone.sort();
    gone.dedup();
    Some(gone)
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
        // Once, here: the watcher reports canonical paths, and they are compared with the root's
        // folders (a root of `.` or one through a symlink matched none of them).
        let root = std::fs::canonicalize(&options.root).map_err(|source| Error::Read {
            path: options.root.clone(),
            source,
        })?;
        let encoding = options.encoding;
        // Listen first: a port in use is said before a build is spent.
        let listener = http::Http::bind(options.addr).map_err(|source| Error::Bind {
            addr: options.addr,
            source,
        })?;
        let addr = listener.addr();
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
                pages: built.pages.unwrap_or_default(),
                // Random per start (std's hasher keys are): a restart in the same process differs.
                server: format!(
                    "{:x}",
                    std::hash::BuildHasher::hash_one(
                        &std::collections::hash_map::RandomState::new(),
                        std::process::id()
                    )
                ),
            }),
            built: Condvar::new(),
            stop: AtomicBool::new(false),
        });

        // Changes and finished builds go to one worker, in order.
        let (tx, rx) = mpsc::channel::<Message>();
        let changes = tx.clone();
        let watcher = watch::start(&root, DEBOUNCE, move |paths| {
            let _ = changes.send(Message::Changed(paths));
        })?;
        let worker = tx.clone();
        let mut threads = Vec::new();
        {
            let shared = Arc::clone(&shared);
            let root = root.clone();
            let warm = built.warm;
            let watcher = watcher.clone();
            threads.push(std::thread::spawn(move || {
                Worker {
                    root,
                    encoding,
                    shared,
                    tx,
                    warm,
                    epoch: 0,
                    running: None,
                    watcher,
                }
                .run(&rx)
            }));
        }
        let stopper = listener.stopper();
        let accept;
        {
            let handler: Arc<dyn http::Handler> = Arc::new(Preview {
                shared: Arc::clone(&shared),
            });
            accept = Some(std::thread::spawn(move || listener.run(handler)));
        }
        Ok(Server {
            shared,
            http: stopper,
            addr,
            _watcher: watcher,
            worker,
            threads,
            accept,
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Block until the server is stopped (the process is ended by Ctrl-C: nothing is on disk to
    /// clean up).
    pub fn wait(mut self) {
        for t in std::mem::take(&mut self.threads)
            .into_iter()
            .chain(self.accept.take())
        {
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
        if self.http.stop()
            && let Some(accept) = self.accept.take()
        {
            let _ = accept.join();
        }
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
    /// To watch a source folder again when it is created, moved or replaced.
    watcher: watch::Watcher,
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
        if self.watcher.folders_changed(paths) {
            self.watcher.rewatch();
        }
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
            state.pages = built.pages.unwrap_or_default();
        } else {
            state.changed = withdraw(&mut state.files, &built.withheld);
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

/// The preview's answers to HTTP requests ([`http::Handler`]).
struct Preview {
    shared: Arc<Shared>,
}

impl http::Handler for Preview {
    fn reply(&self, request: &http::Request<'_>) -> http::Reply {
        let path = request.path;
        let data = |status, content_type, body| http::Reply::Data {
            status,
            content_type,
            body,
        };
        if path == format!("{PREFIX}events") {
            return http::Reply::Events;
        }
        if path == format!("{PREFIX}live.js") {
            return data(
                200,
                "text/javascript; charset=utf-8",
                LIVE_JS.as_bytes().to_vec(),
            );
        }
        if path == format!("{PREFIX}live-worker.js") {
            return data(
                200,
                "text/javascript; charset=utf-8",
                LIVE_WORKER_JS.as_bytes().to_vec(),
            );
        }
        if path == format!("{PREFIX}state") {
            return data(
                200,
                "application/json; charset=utf-8",
                state_json(&self.shared.lock()).into_bytes(),
            );
        }
        let (files, generation, server) = {
            let state = self.shared.lock();
            (state.files.clone(), state.generation, state.server.clone())
        };
        match lookup(|name| files.get(name).cloned(), path) {
            Some((name, bytes)) if name.ends_with(".html") => data(
                200,
                content_type(&name),
                with_live_script(&bytes, generation, &server),
            ),
            Some((name, bytes)) => data(200, content_type(&name), bytes.to_vec()),
            None => match files.get("404.html") {
                Some(page) => data(
                    404,
                    "text/html; charset=utf-8",
                    with_live_script(page, generation, &server),
                ),
                // No build has succeeded yet: an empty page, for the overlay to show the errors on.
                None => data(
                    404,
                    "text/html; charset=utf-8",
                    with_live_script(
                        b"<!DOCTYPE html><html><head><meta charset=utf-8><title>rulebook</title></head><body></body></html>",
                        generation,
                        &server,
                    ),
                ),
            },
        }
    }

    fn stream(&self, out: &mut std::net::TcpStream) {
        stream_events(out, &self.shared);
    }

    fn refused(&self) -> String {
        let strings = &self.shared.lock().strings;
        strings
            .get("preview_wrong_host")
            .cloned()
            .unwrap_or_default()
    }
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

/// An HTML page with the reload script before `</body>` (or at the end). The script is told the
/// publication the page was served from and which server process served it, so that a page that
/// missed a build, or outlived a restarted server, knows it is out of date.
fn with_live_script(page: &[u8], generation: u64, server: &str) -> Vec<u8> {
    let tag = format!(
        "<script src=\"{PREFIX}live.js\" data-generation=\"{generation}\" data-server=\"{server}\"></script>"
    );
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
    let diagnostics: Vec<serde_json::Value> = state
        .diagnostics
        .iter()
        .map(|d| {
            let mut v = serde_json::to_value(d).unwrap_or_default();
            // The page that shows the diagnostic's source, for the page's own banner.
            if let Some(page) = state.pages.get(&d.path) {
                v["page"] = serde_json::Value::from(page.as_str());
            }
            v
        })
        .collect();
    serde_json::json!({
        "server": state.server,
        "generation": state.generation,
        "failed": state.failed,
        "took_ms": state.took.as_secs_f64() * 1e3,
        "changed": state.changed,
        "complete": state.quick.is_empty(),
        "diagnostics": diagnostics,
        "strings": state
            .strings
            .iter()
            .filter(|(k, _)| k.starts_with("preview_"))
            .collect::<std::collections::BTreeMap<_, _>>(),
    })
    .to_string()
}

/// The reload channel: a `text/event-stream` that sends the build state now and after every build,
/// until the page goes away (a browser's `EventSource` reconnects by itself, one second after a
/// lost connection as `retry:` asks).
fn stream_events(stream: &mut std::net::TcpStream, shared: &Shared) {
    if stream
        .write_all(b"retry: 1000\n\n")
        .and_then(|()| stream.flush())
        .is_err()
    {
        return;
    }
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
        "xml" => "application/xml",
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
        let page = with_live_script(b"<html><body><p>x</p></body></html>", 7, "ab");
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<html><body><p>x</p><script src=\"/__rulebook/live.js\" data-generation=\"7\" \
             data-server=\"ab\"></script></body></html>"
        );
        let bare = with_live_script(b"<p>x", 1, "ab");
        assert!(String::from_utf8(bare).unwrap().ends_with("\"></script>"));
    }
}
