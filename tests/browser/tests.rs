//! Real-browser tests: Debian's headless Chromium, driven over the DevTools protocol by
//! `headless_chrome`, opens the built seed handbook over HTTP (a tiny_http server on 127.0.0.1,
//! ephemeral port) and from file://, clicks through it, and saves screenshots under
//! `target/screenshots/` (or `$CARGO_TARGET_DIR/screenshots/`).
//!
//! * One browser serves the whole test binary (launched on first use, ended at exit). Each test
//!   works in a window of its own (reused by a later test once it is done), so tests run in
//!   parallel.
//! * headless_chrome pays up to 100 ms for each DevTools call, so the helpers do their work in one
//!   `Runtime.evaluate` where they can (see [`js`], [`wait_for`], [`click`]).
//! * Chromium is required: `/usr/bin/chromium`, or `$CHROME`. Without it every browser test FAILS
//!   with an install hint; nothing is skipped.
//! * Every wait is bounded ([`WAIT`]); a timeout panics with what was awaited and what was seen.
//!
//! Run: `cargo test --test browser` (add `-- --nocapture` to see what each test observed).
//!
//! Adding a link test (e.g. the coming text cross-references, `a.xref`) is a few lines with
//! [`check_link`]:
//!
//! ```ignore
//! fn xref_links(o: &Origin) {
//!     let tab = open_window();
//!     goto(&tab, &o.url("regulations/sanzhong-yida.html"));
//!     check_link(&tab, "a.xref[href='yibashou-quanli.html#art4']",
//!         "regulations/yibashou-quanli.html", "art4", "坚持带头执行民主集中制");
//! }
//! // …and add `xref_links` to the `both_origins!(…)` list to run it over HTTP and file://.
//! ```

use crate::common;

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::types::{Event, Method};
use headless_chrome::protocol::cdp::{CSS, DOM, Emulation, Input, Page, Runtime, Target};
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

/// The longest any single wait may take (page load, element, condition).
const WAIT: Duration = Duration::from_secs(20);
/// How often a condition is polled.
const POLL: Duration = Duration::from_millis(25);
/// The window and viewport every test uses (a desktop layout: the theme switches at 760 px).
const VIEWPORT: (u32, u32) = (1280, 900);

const CHROME_MISSING: &str = "Chromium not found: install it with `apt-get install -y chromium` (Debian) or set CHROME=/path/to/chrome";

/// The flags the browser must run with (besides a fresh `--user-data-dir`). `headless_chrome` adds
/// `--headless`, `--no-sandbox` and `--disable-gpu` from [`LaunchOptions`], and `--no-first-run`
/// always; the rest go in `args`.
const REQUIRED_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// Flags beyond the required ones: the tests run many windows at once, and Chromium throttles the
/// ones it considers hidden — a screenshot or a DevTools call on such a window waited for a frame
/// that never came (the `screenshots` test hung under load). Puppeteer sets these by default;
/// headless_chrome's defaults are off here (`disable_default_args`).
const NO_THROTTLING: &[&str] = &[
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--disable-background-timer-throttling",
];

/// Regulation ids and titles the tests rely on (from content/).
const CATEGORY_HREF: &str = "categories/caiwu-zichan.html";
const CATEGORY_TITLE: &str = "财务与资产";
const FINANCE_TITLE: &str = "市委保密办财务管理制度";
const FINANCE_PAGE: &str = "regulations/caiwu-guanli.html";
const FINANCE_NEXT_TITLE: &str = "市委保密办公出差旅报销制度";
const YIBASHOU_PAGE: &str = "regulations/yibashou-quanli.html";
const YINZHANG_PAGE: &str = "regulations/yinzhang-shiyong.html";
const RISK_PAGE: &str = "regulations/fengxian-bangongshi.html";
const PAYMENT_CHECKLIST: &str = "checklists/caiwu-zhichu-liucheng-1.html";
const LEAVE_CHECKLIST: &str = "checklists/qingxiaojia-liucheng.html";
const SEED_REGULATIONS: usize = 24;

// ---------------------------------------------------------------------------------------------
// The browser
// ---------------------------------------------------------------------------------------------

fn chrome_path() -> PathBuf {
    match std::env::var_os("CHROME") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from("/usr/bin/chromium"),
    }
}

static BROWSER: Mutex<Option<Arc<Browser>>> = Mutex::new(None);

/// The browser shared by every test of this binary, launched on first use.
fn browser() -> Arc<Browser> {
    // A panic while launching poisons the lock; the next test then simply tries again (and fails
    // with the same message), so every test reports the missing browser.
    let mut slot = BROWSER.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(b) = slot.as_ref() {
        return Arc::clone(b);
    }
    let b = Arc::new(launch());
    *slot = Some(Arc::clone(&b));
    b
}

fn launch() -> Browser {
    let path = chrome_path();
    if !path.is_file() {
        panic!("{CHROME_MISSING} (looked for {})", path.display());
    }
    let profile = tempfile::Builder::new()
        .prefix("rulebook-chromium-profile-")
        .tempdir()
        .expect("temporary --user-data-dir")
        .keep(); // removed at exit, once the browser is gone (see `reaper`)
    let tmp = profile.join("tmp");
    std::fs::create_dir_all(&tmp).expect("temporary folder for Chromium");
    // `headless`, `sandbox` and `enable_gpu` become --headless, --no-sandbox (plus
    // --disable-setuid-sandbox) and --disable-gpu; headless_chrome itself always adds
    // --remote-debugging-port, --no-first-run, --verbose, --log-level=0 and --user-data-dir.
    // Its puppeteer-style defaults (--enable-automation, --disable-extensions, …) are turned off.
    // (Debian's /usr/bin/chromium wrapper adds its own from /etc/chromium.d/.)
    let args: Vec<&OsStr> = REQUIRED_FLAGS
        .iter()
        .filter(|f| {
            !matches!(
                **f,
                "--headless" | "--no-sandbox" | "--disable-gpu" | "--no-first-run"
            )
        })
        .chain(NO_THROTTLING)
        .map(OsStr::new)
        .collect();
    let options = LaunchOptions {
        path: Some(path.clone()),
        headless: true,
        sandbox: false,
        enable_gpu: false,
        user_data_dir: Some(profile.clone()),
        args,
        disable_default_args: true,
        ignore_certificate_errors: false,
        window_size: None,
        idle_browser_timeout: Duration::from_secs(300),
        // Chromium's own temporary files go inside the profile, so they are removed with it.
        process_envs: Some([("TMPDIR".to_string(), tmp.to_string_lossy().into_owned())].into()),
        ..LaunchOptions::default()
    };
    let browser = Browser::new(options)
        .unwrap_or_else(|e| panic!("could not start {} in headless mode: {e:#}", path.display()));
    browser.set_default_timeout(WAIT);
    reaper::browser(browser.get_process_id());
    reaper::remove_dir(profile);
    browser
}

/// Cleans up when the test binary exits: ends the shared browser and removes temporary folders.
/// Statics are never dropped, so without this every run would leave a Chromium process, its
/// profile and the built seed site (`common::seed_site`) behind.
mod reaper {
    use std::path::PathBuf;
    use std::sync::{Mutex, Once, PoisonError};
    use std::time::{Duration, Instant};

    /// The browser's process id, and folders to remove.
    static STATE: Mutex<(Option<u32>, Vec<PathBuf>)> = Mutex::new((None, Vec::new()));

    #[cfg(unix)]
    unsafe extern "C" {
        fn atexit(callback: extern "C" fn()) -> std::ffi::c_int;
        fn kill(pid: i32, signal: i32) -> std::ffi::c_int;
        fn waitpid(pid: i32, status: *mut std::ffi::c_int, options: std::ffi::c_int) -> i32;
    }

    fn register() {
        static ONCE: Once = Once::new();
        #[cfg(unix)]
        ONCE.call_once(|| {
            // SAFETY: `at_exit` is a plain `extern "C" fn()` that does not unwind.
            unsafe {
                atexit(at_exit);
            }
        });
    }

    /// End the browser process `pid` (ours) at exit.
    pub fn browser(pid: Option<u32>) {
        STATE.lock().unwrap_or_else(PoisonError::into_inner).0 = pid;
        register();
    }

    /// Remove the folder `dir` at exit (after the browser has ended).
    pub fn remove_dir(dir: PathBuf) {
        STATE
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .1
            .push(dir);
        register();
    }

    #[cfg(unix)]
    extern "C" fn at_exit() {
        const SIGTERM: i32 = 15;
        const SIGKILL: i32 = 9;
        const WNOHANG: i32 = 1;
        let Ok(mut state) = STATE.try_lock() else {
            return;
        };
        let (pid, dirs) = std::mem::take(&mut *state);
        if let Some(pid) = pid.and_then(|p| i32::try_from(p).ok()) {
            let mut status = 0;
            // SAFETY: `pid` is the Chromium process this binary started (our own child).
            unsafe {
                if kill(pid, SIGTERM) == 0 {
                    let deadline = Instant::now() + Duration::from_secs(5);
                    while waitpid(pid, &mut status, WNOHANG) == 0 {
                        if Instant::now() > deadline {
                            kill(pid, SIGKILL);
                            waitpid(pid, &mut status, 0);
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(20));
                    }
                }
            }
        }
        for dir in dirs {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The built seed site (built once per binary by `common::seed_site`; removed at exit).
fn site() -> &'static Path {
    static ONCE: std::sync::Once = std::sync::Once::new();
    let out = common::seed_site();
    ONCE.call_once(|| {
        // common keeps the build in a temporary folder that is never dropped: `<tmp>/.tmpXXXX/public`.
        if let Some(dir) = out.parent().filter(|d| d.starts_with(std::env::temp_dir())) {
            reaper::remove_dir(dir.to_path_buf());
        }
    });
    out
}

/// A browser window for one test at a time. Opening a window costs about a second, so a test that
/// passes hands its window back for the next test ([`POOL`]); one that fails, or that changed the
/// window's DevTools state ([`Window::discard`]), closes it.
struct Window {
    tab: Arc<Tab>,
    reuse: bool,
    _browser: Arc<Browser>,
}

/// Idle windows, ready for the next test.
static POOL: Mutex<Vec<Arc<Tab>>> = Mutex::new(Vec::new());

impl Window {
    /// Close this window after the test instead of handing it on (event listeners, enabled domains).
    fn discard(&mut self) {
        self.reuse = false;
    }
}

impl Deref for Window {
    type Target = Tab;
    fn deref(&self) -> &Tab {
        &self.tab
    }
}

impl Drop for Window {
    fn drop(&mut self) {
        if self.reuse && !thread::panicking() {
            POOL.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Arc::clone(&self.tab));
        } else {
            let _ = self.tab.close_target();
        }
    }
}

/// Send a DevTools command given as JSON (the generated structs have many optional fields).
fn cdp<M>(tab: &Tab, params: Value) -> M::ReturnObject
where
    M: Method + serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let method = || -> M {
        serde_json::from_value(params.clone())
            .unwrap_or_else(|e| panic!("{} {params}: {e}", M::NAME))
    };
    // A call the browser did not answer in time (a loaded machine, many windows) is sent once more
    // before the test fails: the answer, not the wait, is what is tested.
    tab.call_method(method())
        .or_else(|first| {
            eprintln!("{} {params}: {first:#}; sending it again", M::NAME);
            tab.call_method(method())
        })
        .unwrap_or_else(|e| panic!("{} {params} failed: {e:#}", M::NAME))
}

/// A window (not a background tab: background tabs do not paint) with a [`VIEWPORT`]-sized
/// viewport, from the pool or new.
fn open_window() -> Window {
    let browser = browser();
    let pooled = POOL.lock().unwrap_or_else(PoisonError::into_inner).pop();
    let tab = pooled.unwrap_or_else(|| {
        let (width, height) = VIEWPORT;
        let create: Target::CreateTarget = serde_json::from_value(
            json!({"url": "about:blank", "width": width, "height": height, "newWindow": true}),
        )
        .expect("CreateTarget");
        let tab = browser
            .new_tab_with_options(create)
            .unwrap_or_else(|e| panic!("could not open a window: {e:#}"));
        tab.set_default_timeout(WAIT);
        cdp::<Emulation::SetDeviceMetricsOverride>(
            &tab,
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        );
        tab
    });
    Window {
        tab,
        reuse: true,
        _browser: browser,
    }
}

// ---------------------------------------------------------------------------------------------
// Where the site is served from
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Via {
    Http,
    File,
}

/// The built seed site, reached over HTTP or from file://.
struct Origin {
    via: Via,
    /// Ends with `/`: `http://127.0.0.1:PORT/` or `file:///…/public/`.
    base: String,
}

impl Origin {
    fn new(via: Via) -> Origin {
        let base = match via {
            Via::Http => format!("http://127.0.0.1:{}/", server_port()),
            Via::File => format!("file://{}/", url_path(site())),
        };
        Origin { via, base }
    }

    /// The fixture site tests/fixtures/tree (nested folders, names with spaces, Chinese, 《》),
    /// served under `/tree/` beside the seed, or from its own folder.
    fn tree(via: Via) -> Origin {
        let base = match via {
            Via::Http => format!("http://127.0.0.1:{}/{TREE_PREFIX}/", server_port()),
            Via::File => format!("file://{}/", url_path(&tree_site())),
        };
        Origin { via, base }
    }

    fn url(&self, rel: &str) -> String {
        format!("{}{rel}", self.base)
    }

    /// Whether the browser may request `url` when showing this site: only this site's own server
    /// (127.0.0.1) or local files, and the blank page a window starts with.
    fn is_local(&self, url: &str) -> bool {
        url == "about:blank"
            || match self.via {
                Via::File => url.starts_with("file:///"),
                Via::Http => url.starts_with(&self.base),
            }
    }
}

/// A file path as the path of a file:// URL.
fn url_path(p: &Path) -> String {
    let mut out = String::new();
    for b in p.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Generate `http::NAME` and `file::NAME` tests running `NAME(&Origin)` over both origins (of the
/// seed; `tree: NAME, …` for the tree fixture).
macro_rules! both_origins {
    ($($name:ident),* $(,)? $(; tree: $($tname:ident),* $(,)?)?) => {
        mod http {
            $( #[test] fn $name() { super::$name(&super::Origin::new(super::Via::Http)); } )*
            $($( #[test] fn $tname() { super::$tname(&super::Origin::tree(super::Via::Http)); } )*)?
        }
        mod file {
            $( #[test] fn $name() { super::$name(&super::Origin::new(super::Via::File)); } )*
            $($( #[test] fn $tname() { super::$tname(&super::Origin::tree(super::Via::File)); } )*)?
        }
    };
}

both_origins!(
    navigation,
    clause_anchor_target,
    procedure_step_links,
    xref_links,
    copy_link,
    no_network,
    checklist_runs,
    role_pages,
    duties_and_forms,
    search_box,
    search_popup_accessible,
    search_results_page,
    search_engine_agrees,
    clause_preview_on_focus,
    cite_and_term_previews,
    search_result_previews,
    preview_sheet_on_a_phone,
    checklist_storage_is_validated,
    search_page_takes_a_bare_percent;
    tree: tree_names_and_levels
);

// ---------------------------------------------------------------------------------------------
// The static HTTP server
// ---------------------------------------------------------------------------------------------

/// The URL path under which the server serves the tree fixture's build.
const TREE_PREFIX: &str = "tree";

/// The built tree fixture (tests/fixtures/tree), built once per binary.
fn tree_site() -> PathBuf {
    common::fixture_build("tree")
}

/// Serve the built seed site on 127.0.0.1 (ephemeral port) from background threads, and the tree
/// fixture under `/tree/`; returns the port.
fn server_port() -> u16 {
    static PORT: OnceLock<u16> = OnceLock::new();
    *PORT.get_or_init(|| {
        let root = site().to_path_buf();
        tree_site();
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1:0"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        for i in 0..4 {
            let (server, root) = (Arc::clone(&server), root.clone());
            thread::Builder::new()
                .name(format!("static-http-{i}"))
                .spawn(move || {
                    while let Ok(request) = server.recv() {
                        serve(&root, request);
                    }
                })
                .expect("server thread");
        }
        port
    })
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(OsStr::to_str)
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        _ => "application/octet-stream",
    }
}

/// The file a request URL names, if it exists under `root` (directories serve their index.html).
fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let path = common::percent_decode(path)?;
    let mut file = root.to_path_buf();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s if s.contains('\\') => return None,
            s => file.push(s),
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn serve(root: &Path, request: tiny_http::Request) {
    let tree = tree_site();
    let (root, url) = match request.url().strip_prefix(&format!("/{TREE_PREFIX}/")) {
        Some(rest) => (tree.as_path(), format!("/{rest}")),
        None => (root, request.url().to_string()),
    };
    let (status, file) = match resolve(root, &url) {
        Some(f) => (200, f),
        None => (404, root.join("404.html")),
    };
    let body = std::fs::read(&file).unwrap_or_default();
    let header = |k: &str, v: &str| {
        tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("header")
    };
    let response = tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type(&file)))
        .with_header(header("Cache-Control", "no-store"));
    let _ = request.respond(response);
}

/// A plain HTTP/1.0 GET to the test server: (status, Content-Type, body).
fn http_get(path: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", server_port())).expect("connect");
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let ctype = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_default();
    (status, ctype, raw[split + 4..].to_vec())
}

// ---------------------------------------------------------------------------------------------
// Driving pages
// ---------------------------------------------------------------------------------------------

/// Run `body` (a JS function body that `return`s something JSON-serialisable; it may `await`) in
/// the page and return its result.
fn js(tab: &Tab, body: &str) -> Result<Value, String> {
    let expr = format!("(async () => JSON.stringify(await (async () => {{ {body} }})()))()");
    let r = tab.evaluate(&expr, true).map_err(|e| format!("{e:#}"))?;
    match r.Type {
        Runtime::RemoteObjectType::String => {
            let s = r.value.as_ref().and_then(Value::as_str).unwrap_or("null");
            serde_json::from_str(s).map_err(|e| format!("bad JSON from page ({e}): {s}"))
        }
        Runtime::RemoteObjectType::Undefined => Ok(Value::Null),
        _ => Err(r.description.unwrap_or_else(|| format!("{:?}", r.value))),
    }
}

/// [`js`], panicking on a script error.
fn eval(tab: &Tab, body: &str) -> Value {
    js(tab, body).unwrap_or_else(|e| panic!("script failed on {}: {e}\n{body}", tab.get_url()))
}

fn eval_str(tab: &Tab, body: &str) -> String {
    match eval(tab, body) {
        Value::String(s) => s,
        other => panic!("expected a string from `{body}`, got {other}"),
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => false,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        _ => true,
    }
}

/// Poll `body` until it returns something truthy (errors while a page changes are retried);
/// panics after [`WAIT`] with what it waited for and the last result.
fn wait_for(tab: &Tab, what: &str, body: &str) -> Value {
    let start = Instant::now();
    loop {
        let last = match js(tab, body) {
            Ok(v) if truthy(&v) => return v,
            Ok(v) => v.to_string(),
            Err(e) => e,
        };
        if start.elapsed() > WAIT {
            panic!(
                "timed out after {WAIT:?} waiting for {what} (at {}); last result: {last}",
                tab.get_url()
            );
        }
        thread::sleep(POLL);
    }
}

/// A JS string literal.
fn lit(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// Open `url` in a fresh document, as from a bookmark, and wait until it has loaded (sub-resources
/// included).
///
/// (Not `Tab::wait_until_navigated`: it waits for Chromium's "network almost idle", 0.5 s after the
/// last request, on every page.)
fn goto(tab: &Tab, url: &str) {
    // Mark the document shown now, so that `wait_until_at` cannot take it for the new one.
    let here = eval_str(tab, "window.__rulebookOld = true; return location.href");
    if url.contains('#') && here.split('#').next() == url.split('#').next() {
        // Page.navigate would only scroll within the open page: load the page afresh.
        tab.navigate_to("about:blank")
            .unwrap_or_else(|e| panic!("navigating to about:blank: {e:#}"));
        wait_until_at(tab, "about:blank");
    }
    tab.navigate_to(url)
        .unwrap_or_else(|e| panic!("navigating to {url}: {e:#}"));
    wait_until_at(tab, url);
}

/// Before following a link to `url`: mark the current document when `url` is another one, so that
/// [`wait_until_at`] does not take the old page for the new one. A hash-only change keeps the
/// document (and the mark would stay).
fn mark_if_leaving(tab: &Tab, url: &str) {
    eval(
        tab,
        &format!(
            "const to = {}; if (!to.includes('#') || to.split('#')[0] !== location.href.split('#')[0]) \
             window.__rulebookOld = true; return true",
            lit(url)
        ),
    );
}

/// Wait until the page at `url` (exactly, hash included) has loaded.
///
/// A page whose parser still waits for a script after [`STALLED`] is loaded once more: now and
/// then (about one run in three of `http::checklist_runs`, six resources on one page) Chromium
/// sends the request for its last script only 20 s later, although the test server answered the
/// others at once; the server log shows the request arriving then. What is tested is the page.
fn wait_until_at(tab: &Tab, url: &str) {
    let loaded = format!(
        "return !window.__rulebookOld && location.href === {} && document.readyState === 'complete'",
        lit(url)
    );
    let start = Instant::now();
    while start.elapsed() < STALLED {
        if js(tab, &loaded).is_ok_and(|v| truthy(&v)) {
            return;
        }
        thread::sleep(POLL);
    }
    let stalled = js(
        tab,
        &format!(
            "return location.href === {} && document.readyState === 'loading'",
            lit(url)
        ),
    );
    if stalled.is_ok_and(|v| truthy(&v)) {
        eprintln!("{url}: still loading after {STALLED:?}; loading it once more");
        tab.navigate_to(url)
            .unwrap_or_else(|e| panic!("navigating to {url}: {e:#}"));
    }
    wait_for(tab, &format!("{url} to load"), &loaded);
}

/// How long a page may take to load before [`wait_until_at`] loads it once more.
const STALLED: Duration = Duration::from_secs(6);

/// A JS expression for the first element matching a CSS selector.
fn css(selector: &str) -> String {
    format!("document.querySelector({})", lit(selector))
}

/// A JS expression for the link in `main`'s regulation lists whose text is `text`.
fn reg_list_link(text: &str) -> String {
    format!(
        "Array.from(document.querySelectorAll('main .reg-list a')).find(a => (a.title || a.textContent.trim()) === {})",
        lit(text)
    )
}

/// Click, with a real mouse (press and release), the element `element` (a JS expression, see
/// [`css`]) once it is there: scrolled into view and not covered by anything else.
/// (Element::click would cost eight DevTools round trips; each costs up to 100 ms in headless_chrome.)
fn click(tab: &Tab, element: &str) {
    let point = wait_for(
        tab,
        &format!("`{element}` to be clickable"),
        &format!(
            r"const el = {element};
            if (!el) return null;
            el.scrollIntoView({{ block: 'center', inline: 'nearest' }});
            const r = el.getClientRects()[0];
            if (!r || r.width === 0 || r.height === 0) return null;
            const x = r.left + r.width / 2, y = r.top + r.height / 2;
            const hit = document.elementFromPoint(x, y);
            return hit && (hit === el || el.contains(hit)) ? {{ x, y }} : null;"
        ),
    );
    for kind in ["mousePressed", "mouseReleased"] {
        cdp::<Input::DispatchMouseEvent>(
            tab,
            json!({"type": kind, "x": point["x"], "y": point["y"], "button": "left", "buttons": 1, "clickCount": 1}),
        );
    }
}

/// Click a link (a JS expression, see [`css`]) and wait until the page it points to has loaded
/// (or the hash it names is set). Returns the link's absolute href.
fn click_link(tab: &Tab, link: &str) -> String {
    let href = wait_for(
        tab,
        &format!("link `{link}`"),
        &format!("const a = {link}; return a && a.href"),
    );
    let Value::String(href) = href else {
        unreachable!()
    };
    mark_if_leaving(tab, &href);
    click(tab, link);
    wait_until_at(tab, &href);
    href
}

fn h1(tab: &Tab) -> String {
    eval_str(
        tab,
        "const h = document.querySelector('h1'); return h ? h.textContent.trim() : ''",
    )
}

/// What the reader sees at the element the URL's #fragment names.
#[derive(Debug)]
struct Landing {
    url: String,
    hash: String,
    id: String,
    text: String,
    top: f64,
    is_target: bool,
}

/// Wait until the element named by `location.hash` exists and is scrolled into view (its top near
/// the top of the viewport, or inside the viewport when the page cannot scroll further), and
/// describe it.
fn landing(tab: &Tab) -> Landing {
    let v = wait_for(
        tab,
        "the #fragment's target to be scrolled into view",
        r#"
        const id = decodeURIComponent(location.hash.slice(1));
        const el = id && document.getElementById(id);
        if (!el) return null;
        const r = el.getBoundingClientRect();
        const maxScroll = document.documentElement.scrollHeight - innerHeight;
        const atBottom = scrollY >= maxScroll - 1;
        const nearTop = r.top >= -2 && r.top <= 40;
        const inView = r.top >= -2 && r.top < innerHeight;
        if (!(nearTop || (atBottom && inView))) return null;
        return { url: location.href, hash: location.hash, id, text: el.innerText.trim(), top: r.top,
                 isTarget: el.matches(':target') };
        "#,
    );
    Landing {
        url: v["url"].as_str().unwrap_or_default().to_string(),
        hash: v["hash"].as_str().unwrap_or_default().to_string(),
        id: v["id"].as_str().unwrap_or_default().to_string(),
        text: v["text"].as_str().unwrap_or_default().to_string(),
        top: v["top"].as_f64().unwrap_or(f64::NAN),
        is_target: v["isTarget"].as_bool().unwrap_or(false),
    }
}

/// Click the link `selector` and check where it lands: the page (`page`, relative to the site root,
/// e.g. `regulations/x.html`), the element id and a piece of its text. The element must exist, be
/// the `:target` and be scrolled into view. Works for same-page (`#id`) and other-page links.
fn check_link(tab: &Tab, selector: &str, page: &str, id: &str, text: &str) -> Landing {
    let href = click_link(tab, &css(selector));
    let got = landing(tab);
    let path = got.url.split('#').next().unwrap_or_default();
    assert!(
        path.ends_with(&format!("/{page}")),
        "`{selector}` ({href}) led to {}, not {page}",
        got.url
    );
    assert_eq!(
        got.hash,
        format!("#{id}"),
        "`{selector}` ({href}) landed on the wrong anchor"
    );
    assert_eq!(got.id, id);
    assert!(
        got.is_target,
        "#{id} is not :target after following `{selector}`"
    );
    assert!(
        got.text.contains(text),
        "#{id} should contain {text:?}; it reads {:?}",
        got.text
    );
    got
}

/// Wait for web fonts and two animation frames, so a screenshot shows the painted page.
fn settle(tab: &Tab) {
    eval(
        tab,
        "await document.fonts.ready; \
         await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))); return true",
    );
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

/// The browser runs with the required flags and none of headless_chrome's automation defaults.
#[test]
fn launch_flags() {
    let browser = browser();
    let pid = browser.get_process_id().expect("browser pid");
    let raw = std::fs::read(format!("/proc/{pid}/cmdline")).expect("/proc/PID/cmdline (Linux)");
    let args: Vec<String> = raw
        .split(|&b| b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into())
        .collect();
    eprintln!("chromium command line: {}", args.join(" "));
    for flag in REQUIRED_FLAGS.iter().chain(NO_THROTTLING) {
        assert!(
            args.iter().any(|a| a == flag),
            "{flag} missing from {args:?}"
        );
    }
    let profile = args
        .iter()
        .find_map(|a| a.strip_prefix("--user-data-dir="))
        .expect("--user-data-dir");
    assert!(
        Path::new(profile).starts_with(std::env::temp_dir()),
        "profile {profile} is not in a temp folder"
    );
    for unwanted in [
        "--enable-automation",
        "--disable-extensions",
        "--disable-popup-blocking",
        "--ignore-certificate-errors",
    ] {
        assert!(
            !args.iter().any(|a| a == unwanted),
            "unexpected {unwanted} in {args:?}"
        );
    }
}

/// The harness's own server: Content-Type per extension, index.html for /, 404.html with 404.
#[test]
fn static_server_content_types_and_404() {
    for (path, want) in [
        ("/", "text/html; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/categories/caiwu-zichan.html", "text/html; charset=utf-8"),
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/assets/rulebook.js", "text/javascript; charset=utf-8"),
    ] {
        let (status, ctype, body) = http_get(path);
        assert_eq!((status, ctype.as_str()), (200, want), "GET {path}");
        assert!(!body.is_empty(), "GET {path}: empty body");
    }
    assert_eq!(content_type(Path::new("a/shot.PNG")), "image/png");
    let not_found = std::fs::read(site().join("404.html")).unwrap();
    for path in [
        "/no-such-page.html",
        "/regulations/no-such-page.html",
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
    ] {
        let (status, ctype, body) = http_get(path);
        assert_eq!(
            (status, ctype.as_str()),
            (404, "text/html; charset=utf-8"),
            "GET {path}"
        );
        assert_eq!(body, not_found, "GET {path} should serve 404.html");
    }
}

/// 1. Home → category → regulation → TOC entry → next/previous links.
fn navigation(o: &Origin) {
    let tab = open_window();
    goto(&tab, &o.url("index.html"));

    // The home page lists every regulation once.
    let links = eval(
        &tab,
        r"return Array.from(document.querySelectorAll('main .category-block .reg-list a'))
                .map(a => a.getAttribute('href')).filter(h => /^regulations\/[^\/]+\.html$/.test(h))",
    );
    let links: Vec<String> = serde_json::from_value(links).unwrap();
    assert_eq!(
        links.len(),
        SEED_REGULATIONS,
        "regulation links on the home page: {links:?}"
    );
    assert_eq!(
        links.iter().collect::<BTreeSet<_>>().len(),
        SEED_REGULATIONS,
        "duplicate links: {links:?}"
    );
    for l in &links {
        assert!(site().join(l).is_file(), "home page links to missing {l}");
    }

    // → the category.
    let cat_link = format!("main .category-block h2 a[href='{CATEGORY_HREF}']");
    assert_eq!(
        eval_str(
            &tab,
            &format!(
                "return document.querySelector({}).textContent.trim()",
                lit(&cat_link)
            )
        ),
        CATEGORY_TITLE
    );
    click_link(&tab, &css(&cat_link));
    assert_eq!(eval_str(&tab, "return location.href"), o.url(CATEGORY_HREF));
    assert_eq!(h1(&tab), CATEGORY_TITLE);
    let titles: Vec<String> = serde_json::from_value(eval(
        &tab,
        "return Array.from(document.querySelectorAll('main .reg-list a')).map(a => a.title || a.textContent.trim())",
    ))
    .unwrap();
    assert_eq!(
        titles.first().map(String::as_str),
        Some(FINANCE_TITLE),
        "category lists {titles:?}"
    );
    assert_eq!(
        titles.get(1).map(String::as_str),
        Some(FINANCE_NEXT_TITLE),
        "category lists {titles:?}"
    );

    // → the regulation, clicked by its title.
    let href = click_link(&tab, &reg_list_link(FINANCE_TITLE));
    assert_eq!(href, o.url(FINANCE_PAGE));
    assert_eq!(h1(&tab), FINANCE_TITLE);
    let title = eval_str(&tab, "return document.title");
    assert!(title.starts_with(FINANCE_TITLE), "title {title:?}");

    // A TOC entry scrolls its section into view.
    let toc: Vec<String> = serde_json::from_value(eval(
        &tab,
        "return Array.from(document.querySelectorAll('.page-toc .toc a')).map(a => a.getAttribute('href'))",
    ))
    .unwrap();
    assert!(
        toc.len() >= 3 && toc[..3] == ["#sec1", "#sec2", "#sec3"],
        "TOC: {toc:?}"
    );
    let got = check_link(
        &tab,
        ".page-toc .toc a[href='#sec3']",
        FINANCE_PAGE,
        "sec3",
        "干部公出归来要及时报账",
    );
    assert!(got.text.starts_with("三、"), "#sec3 reads {:?}", got.text);
    assert_eq!(eval(&tab, "return location.hash"), json!("#sec3"));

    // Previous/next follow the reading order: the category in its order, and on across categories
    // (财务与资产 is neither the first category nor the last).
    assert_eq!(
        eval(
            &tab,
            "return document.querySelector('a[rel=prev]') !== null"
        ),
        json!(true),
        "the category's first leads back into the previous category"
    );
    let mut walked = vec![h1(&tab)];
    while walked.len() < titles.len() {
        let label = eval_str(
            &tab,
            "return document.querySelector('a[rel=next]').textContent",
        );
        let expected = &titles[walked.len()];
        assert!(
            label.contains(expected.as_str()),
            "next link {label:?} should name {expected}"
        );
        click_link(&tab, &css("a[rel=next]"));
        walked.push(h1(&tab));
    }
    assert_eq!(
        eval(
            &tab,
            "return document.querySelector('a[rel=next]') !== null"
        ),
        json!(true),
        "the category's last leads on into the next category"
    );
    assert_eq!(walked, titles, "next links walk the category in order");
    assert_eq!(walked[1], FINANCE_NEXT_TITLE);
    // … and previous goes back.
    click_link(&tab, &css("a[rel=prev]"));
    assert_eq!(h1(&tab), titles[titles.len() - 2]);
}

/// 2. Opening a clause URL scrolls to it and highlights it with the CSS :target rule.
fn clause_anchor_target(o: &Origin) {
    let tab = open_window();
    goto(&tab, &o.url(&format!("{YIBASHOU_PAGE}#art3-item2")));
    let got = landing(&tab);
    assert_eq!(got.id, "art3-item2");
    assert!(
        got.text.starts_with("（二）不得直接分管财务工作"),
        "#art3-item2 reads {:?}",
        got.text
    );
    assert!(got.is_target, "#art3-item2 should match :target");
    let bg = |id: &str| {
        eval_str(
            &tab,
            &format!(
                "return getComputedStyle(document.querySelector('#{id} > .clause-head')).backgroundColor"
            ),
        )
    };
    let target_bg = bg("art3-item2");
    let transparent = ["transparent", "rgba(0, 0, 0, 0)"];
    assert!(
        !transparent.contains(&target_bg.as_str()),
        "the :target clause head is not highlighted ({target_bg})"
    );
    // Only the target is highlighted.
    let other_bg = bg("art3-item1");
    assert!(
        transparent.contains(&other_bg.as_str()),
        "#art3-item1 is highlighted too ({other_bg})"
    );
    eprintln!(
        "[{:?}] #art3-item2 top {:.0}px, highlight {target_bg}",
        o.via, got.top
    );
}

/// 3. A procedure step's clause link leads to the clause it cites.
fn procedure_step_links(o: &Origin) {
    let tab = open_window();
    goto(&tab, &o.url(YINZHANG_PAGE));
    let hrefs: Vec<String> = serde_json::from_value(eval(
        &tab,
        "return Array.from(document.querySelectorAll('#procedures a.step-clause')).map(a => a.getAttribute('href'))",
    ))
    .unwrap();
    assert!(!hrefs.is_empty(), "no step links in #procedures");
    assert_eq!(hrefs[0], "#sec2-sub9");
    let got = check_link(
        &tab,
        "#procedures a.step-clause",
        YINZHANG_PAGE,
        "sec2-sub9",
        "《印章使用审批单》",
    );
    assert!(
        got.text.starts_with("9．"),
        "#sec2-sub9 reads {:?}",
        got.text
    );
    // The procedure's governing-clause link too.
    goto(&tab, &o.url(YINZHANG_PAGE));
    check_link(
        &tab,
        "#procedures a.governing",
        YINZHANG_PAGE,
        "sec2-sub9",
        "《印章使用审批单》",
    );
}

/// 3b. References found in the text lead to the clause they name: an in-document 第五条, a backlink,
/// a glossary term in a register, and a cited law to its entry on the 依据文件 page.
fn xref_links(o: &Origin) {
    let tab = open_window();
    // 车辆管理制度 七、违反第五条规定 → 五、 of the same regulation (numbered 一、二、).
    goto(&tab, &o.url("regulations/cheliang-guanli.html"));
    check_link(
        &tab,
        "#sec7 a.xref[href='#sec5']",
        "regulations/cheliang-guanli.html",
        "sec5",
        "严禁酒后或疲劳驾驶机动车",
    );
    // …and 五、 shows 被引用 七、, which leads back.
    check_link(
        &tab,
        "#sec5 .backlinks a[href='#sec7']",
        "regulations/cheliang-guanli.html",
        "sec7",
        "违反第五条规定",
    );
    // 主要领导 register: 三重一大 → its definition in the 三重一大 regulation.
    goto(&tab, &o.url("regulations/fengxian-zhuyao-lingdao.html"));
    check_link(
        &tab,
        "table a.term[href$='sanzhong-yida.html#preamble']",
        "regulations/sanzhong-yida.html",
        "preamble",
        "以下简称“三重一大”",
    );
    // A cited law is not a broken link: it leads to its entry on the 依据文件 page.
    goto(&tab, &o.url(YIBASHOU_PAGE));
    click_link(&tab, &css("#preamble a.cite[href$='中国共产党问责条例']"));
    let got = landing(&tab);
    assert!(
        got.url
            .split('#')
            .next()
            .unwrap_or_default()
            .ends_with("/basis.html"),
        "{}",
        got.url
    );
    assert_eq!(got.id, "ext-中国共产党问责条例");
    assert!(got.text.contains("中国共产党问责条例"), "{:?}", got.text);
}

/// 3c. Who does what: the role index is reachable from the home page and from the navigation of
/// every page; the 出纳 page's first duty leads to its clause; a matrix cell to the role's duties in
/// that regulation.
fn role_pages(o: &Origin) {
    let tab = open_window();
    goto(&tab, &o.url("index.html"));
    click_link(&tab, &css("main a[href='roles/index.html']"));
    assert_eq!(h1(&tab), "职责");
    goto(&tab, &o.url(FINANCE_PAGE));
    click_link(&tab, &css(".site-nav a[href='../roles/index.html']"));
    assert_eq!(h1(&tab), "职责");
    click_link(&tab, &css("main a[href='../roles/chuna.html']"));
    assert_eq!(h1(&tab), "出纳");
    let got = check_link(
        &tab,
        "#duties a.duty-place",
        "regulations/caiwu-guanli.html",
        "sec1",
        "出纳方可付款",
    );
    eprintln!(
        "[{:?}] first duty of 出纳 → #{} (top {:.0}px)",
        o.via, got.id, got.top
    );
    // From the clause, the role link of its 出纳 leads back to the role's page.
    click_link(&tab, &css("#sec1 a.role[href='../roles/chuna.html']"));
    assert_eq!(h1(&tab), "出纳");
    goto(&tab, &o.url("roles/matrix.html"));
    check_link(
        &tab,
        "a[href='../roles/chuna.html#reg-caiwu-guanli']",
        "roles/chuna.html",
        "reg-caiwu-guanli",
        "市委保密办财务管理制度",
    );
}

/// 3d. Who acts and what forms (issue 27): the 主要领导's page claims no holder, lists the five items
/// of the “一把手” regulation's 第三条 list and not its preamble or definition, and its 请销假 duty leads
/// to 一、; the 表单 page lists 派车单, named without 《》 in the text, and its use leads to the clause
/// that names it. axe finds nothing serious on either page, light or dark.
fn duties_and_forms(o: &Origin) {
    let tab = open_window();
    goto(&tab, &o.url("roles/zhuyao-lingdao.html"));
    assert_eq!(h1(&tab), "主要领导");
    let meta = eval_str(&tab, "return document.querySelector('dl.meta').textContent");
    assert!(meta.contains("原文未载明任职人员"), "{meta}");
    let anchors: Vec<String> = serde_json::from_value(eval(
        &tab,
        "return Array.from(document.querySelectorAll('#reg-yibashou-quanli a.duty-place')) \
           .map(a => a.getAttribute('href').split('#')[1])",
    ))
    .unwrap();
    assert!(anchors.contains(&"art3-item1".to_string()), "{anchors:?}");
    assert!(
        !anchors.iter().any(|a| a == "preamble" || a == "art1"),
        "{anchors:?}"
    );
    check_link(
        &tab,
        "#reg-qingxiaojia a.duty-place",
        "regulations/qingxiaojia.html",
        "sec1",
        "离开白城",
    );
    goto(&tab, &o.url("forms.html"));
    let entry = eval_str(
        &tab,
        "return document.getElementById('form-派车单').textContent",
    );
    assert!(entry.contains("派车单"), "{entry}");
    check_link(
        &tab,
        "#form-派车单 + dd a",
        "regulations/cheliang-guanli.html",
        "proc-gongche-shiyong-liucheng",
        "派车单",
    );
    for page in ["roles/zhuyao-lingdao.html", "forms.html"] {
        for scheme in ["light", "dark"] {
            goto(&tab, &o.url(page));
            cdp::<Emulation::SetEmulatedMedia>(
                &tab,
                json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
            );
            load_axe(&tab);
            let v = eval(
                &tab,
                "const r = await axe.run(document, {resultTypes: ['violations']}); \
                 return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical') \
                   .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))",
            );
            assert_eq!(v, json!([]), "{page} ({scheme})");
            save_screenshot(
                &tab,
                &format!("duties-{}-{scheme}.png", page.replace('/', "-")),
            );
        }
    }
}

/// 4. The copy-link control copies (or offers) the clause URL and says so.
fn copy_link(o: &Origin) {
    let tab = open_window();
    let page = o.url(YIBASHOU_PAGE);
    goto(&tab, &page);
    // Record every status element the script inserts (a successful copy removes it after 2.5 s).
    eval(
        &tab,
        r"window.__copyStatus = [];
          new MutationObserver(ms => ms.forEach(m => m.addedNodes.forEach(n => {
            if (n.nodeType !== 1 || !n.classList.contains('copy-status')) return;
            const input = n.querySelector('input');
            window.__copyStatus.push({ role: n.getAttribute('role'), text: n.textContent,
              input: input && input.value, readonly: !!input && input.hasAttribute('readonly') });
          }))).observe(document.body, { childList: true, subtree: true });
          return true",
    );
    let button = "#art5 > .clause-head button.copy-link";
    click(&tab, &css(button));
    let copied = wait_for(
        &tab,
        "the copy button to react",
        &format!(
            "const b = document.querySelector({}); return b.getAttribute('data-copied')",
            lit(button)
        ),
    );
    let expected = format!("{page}#art5");
    assert_eq!(copied, json!(expected), "data-copied");
    assert_eq!(
        eval(&tab, "return location.hash"),
        json!("#art5"),
        "the URL names the clause"
    );
    let status = wait_for(
        &tab,
        "a .copy-status element",
        "return window.__copyStatus.length && window.__copyStatus",
    );
    let status = &status[0];
    assert_eq!(status["role"], json!("status"), "{status}");
    let copied_label = eval_str(
        &tab,
        "return document.querySelector('meta[name=rulebook-copied]').content",
    );
    if status["input"].is_null() {
        assert_eq!(
            status["text"].as_str(),
            Some(copied_label.as_str()),
            "{status}"
        );
        eprintln!(
            "[{:?}] copy-link: copied to the clipboard ({copied_label})",
            o.via
        );
    } else {
        assert_eq!(status["input"], json!(expected), "{status}");
        assert_eq!(status["readonly"], json!(true), "{status}");
        eprintln!(
            "[{:?}] copy-link: clipboard unavailable, offered {expected} in a read-only field",
            o.via
        );
    }
}

/// One page of each kind in the built site: every page at the top (home, 404, and whatever pages
/// are added there) and the first page in each folder (categories/, regulations/, …).
fn page_kinds() -> Vec<String> {
    let html = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".html"))
            .collect();
        names.sort();
        names
    };
    let mut pages = html(site());
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(site())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        if let Some(first) = html(&dir).into_iter().next() {
            // As the browser's address bar has it: people/ pages have Chinese names.
            pages.push(format!(
                "{}/{}",
                dir.file_name().unwrap().to_string_lossy(),
                url_path(Path::new(&first))
            ));
        }
    }
    assert!(pages.len() >= 4, "page kinds: {pages:?}");
    pages
}

/// 6. No page kind makes the browser reach beyond 127.0.0.1 / file://.
fn no_network(o: &Origin) {
    let mut tab = open_window();
    tab.discard(); // it gets a listener and the Network domain
    let requests: Arc<Mutex<Vec<String>>> = Arc::default();
    let responses: Arc<Mutex<Vec<(String, u32, String)>>> = Arc::default();
    {
        let (requests, responses) = (Arc::clone(&requests), Arc::clone(&responses));
        tab.add_event_listener(Arc::new(move |event: &Event| match event {
            Event::NetworkRequestWillBeSent(e) => {
                requests.lock().unwrap().push(e.params.request.url.clone())
            }
            Event::NetworkResponseReceived(e) => {
                let r = &e.params.response;
                responses
                    .lock()
                    .unwrap()
                    .push((r.url.clone(), r.status, r.mime_type.clone()));
            }
            _ => {}
        }))
        .expect("event listener");
    }
    cdp::<headless_chrome::protocol::cdp::Network::Enable>(&tab, json!({}));

    let not_found = "no-such-page.html"; // over HTTP: served 404.html with status 404
    let pages: Vec<String> = page_kinds()
        .into_iter()
        .chain([
            FINANCE_PAGE.into(),
            format!("{YIBASHOU_PAGE}#art3-item2"),
            RISK_PAGE.into(),
            format!("{YINZHANG_PAGE}#procedures"),
        ])
        .chain((o.via == Via::Http).then(|| not_found.to_string()))
        // The 404 page is only ever served by a web server, at any path: its links start at the
        // server root, so from file:// it would look for /assets.
        .filter(|p| !(o.via == Via::File && p == "404.html"))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for page in &pages {
        let url = o.url(page);
        let before = requests.lock().unwrap().len();
        goto(&tab, &url);
        // The DevTools events show the page and its stylesheet and script being requested (so the
        // listener works) …
        // (print.html is one self-contained file: its style sheet is inlined and it has no script.)
        let mut wanted = vec![o.url(page.split('#').next().unwrap())];
        if page != "print.html" {
            wanted.extend([o.url("assets/style.css"), o.url("assets/rulebook.js")]);
        }
        let start = Instant::now();
        loop {
            let got: Vec<String> = requests.lock().unwrap()[before..].to_vec();
            let missing: Vec<&String> = wanted
                .iter()
                .filter(|w| !got.iter().any(|g| g.split('#').next() == Some(w.as_str())))
                .collect();
            if missing.is_empty() {
                break;
            }
            assert!(
                start.elapsed() < WAIT,
                "{page}: no Network.requestWillBeSent for {missing:?}; saw {got:?}"
            );
            thread::sleep(POLL);
        }
        // … and so does the page itself (Resource Timing: over HTTP only, file:// has no entries).
        let entries: Vec<Value> = serde_json::from_value(eval(
            &tab,
            "return performance.getEntries().filter(e => e.entryType === 'navigation' || e.entryType === 'resource')
                    .map(e => ({ name: e.name, type: e.entryType, status: e.responseStatus }))",
        ))
        .unwrap();
        if o.via == Via::Http {
            let names: Vec<&str> = entries.iter().filter_map(|e| e["name"].as_str()).collect();
            for sub in &wanted[1..] {
                assert!(
                    names.contains(&sub.as_str()),
                    "{page}: no resource timing entry for {sub}: {names:?}"
                );
            }
            // The page and its stylesheet and script were served (/favicon.ico, which the browser
            // asks for by itself, is not part of the site).
            for e in entries.iter().filter(|e| {
                e["type"] == "navigation" || wanted[1..].iter().any(|w| e["name"] == w.as_str())
            }) {
                let want = if e["type"] == "navigation" && page == not_found {
                    404
                } else {
                    200
                };
                assert_eq!(e["status"], json!(want), "{page}: {e}");
            }
        }
        seen.extend(
            entries
                .iter()
                .filter_map(|e| e["name"].as_str())
                .map(String::from),
        );
    }
    seen.extend(requests.lock().unwrap().iter().cloned());
    seen.extend(responses.lock().unwrap().iter().map(|r| r.0.clone()));
    let outside: Vec<&String> = seen.iter().filter(|u| !o.is_local(u)).collect();
    assert!(
        outside.is_empty(),
        "requests beyond {}: {outside:?}",
        o.base
    );
    if o.via == Via::Http {
        for (url, status, mime) in responses.lock().unwrap().iter() {
            let want = match url.rsplit('.').next() {
                Some("css") => "text/css",
                Some("js") => "text/javascript",
                _ => "text/html",
            };
            assert_eq!(mime, want, "{url} ({status})");
        }
    }
    eprintln!(
        "[{:?}] {} pages, {} distinct URLs requested, all local",
        o.via,
        pages.len(),
        seen.len()
    );
}

/// A JS expression for the checkbox of the `n`th step (0-based) of a checklist page.
fn tick(n: usize) -> String {
    format!("document.querySelectorAll('.check-step .tick')[{n}]")
}

/// Ticked step indices, the progress text and the current run's name on a checklist page.
fn checklist_state(tab: &Tab) -> (Vec<usize>, String, String) {
    let v = eval(
        tab,
        "const boxes = Array.from(document.querySelectorAll('.check-step .tick'));
         const sel = document.getElementById('run-select');
         return [boxes.map((b, i) => b.checked ? i : -1).filter(i => i >= 0),
                 document.getElementById('progress').textContent,
                 sel.selectedIndex >= 0 ? sel.options[sel.selectedIndex].text : ''];",
    );
    let ticked = v[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect();
    (
        ticked,
        v[1].as_str().unwrap().to_string(),
        v[2].as_str().unwrap().to_string(),
    )
}

/// Load a checklist page and wait for its script to have set it up.
fn open_checklist(tab: &Tab, url: &str) {
    goto(tab, url);
    wait_for(
        tab,
        "checklist.js to show the run controls",
        "const r = document.getElementById('runs'); return r && !r.hidden && document.getElementById('progress').textContent",
    );
}

/// Start a named run from the form on a checklist page.
fn start_run(tab: &Tab, name: &str) {
    eval(
        tab,
        &format!(
            "document.getElementById('run-name').value = {}; return true",
            lit(name)
        ),
    );
    click(tab, &css("#run-new button[type=submit]"));
    wait_for(
        tab,
        &format!("run {name} to be current"),
        &format!(
            "const s = document.getElementById('run-select'); return s.selectedIndex >= 0 && s.options[s.selectedIndex].text === {}",
            lit(name)
        ),
    );
}

/// 6. The large-payment checklist: a named run keeps its ticks across a reload, a second run is
///    independent, reset clears, export then import restores, the run prints to PDF as a record,
///    and a run saved before the procedure changed says what changed. Then the leave checklist's
///    condition picks the approver. Screenshots at desktop and phone width.
fn checklist_runs(o: &Origin) {
    let mut tab = open_window();
    tab.discard(); // DOM domain enabled, viewport changed for the phone screenshot
    let url = o.url(PAYMENT_CHECKLIST);
    goto(&tab, &url);
    // A clean slate for this origin (the http and file origins have storage of their own).
    eval(&tab, "localStorage.clear(); return true");
    open_checklist(&tab, &url);
    let steps = eval(
        &tab,
        "return document.querySelectorAll('.check-step .tick').length",
    );
    assert_eq!(steps, json!(6), "six steps");
    let (ticked, progress, _) = checklist_state(&tab);
    assert!(ticked.is_empty());
    assert_eq!(progress, "已完成 0/6");

    start_run(&tab, "报销单 2026-118");
    for n in [0, 1, 3] {
        click(&tab, &tick(n));
    }
    wait_for(
        &tab,
        "3/6",
        "return document.getElementById('progress').textContent === '已完成 3/6'",
    );
    // Each tick has its time.
    let times = eval(
        &tab,
        "return Array.from(document.querySelectorAll('.check-step.done .tick-time')).map(e => e.textContent)",
    );
    assert_eq!(times.as_array().unwrap().len(), 3, "{times}");
    assert!(
        times[0].as_str().unwrap().starts_with("完成于 20"),
        "{times}"
    );

    // Reload: the three stay ticked.
    open_checklist(&tab, &url);
    let (ticked, progress, name) = checklist_state(&tab);
    assert_eq!(ticked, vec![0, 1, 3], "after reload");
    assert_eq!(progress, "已完成 3/6");
    assert_eq!(name, "报销单 2026-118");

    // Screenshots of the checklist in use: desktop, then phone width.
    settle(&tab);
    let dir = screenshot_dir();
    let suffix = match o.via {
        Via::Http => "",
        Via::File => "-file",
    };
    save_screenshot(&tab, &format!("checklist{suffix}.png"));

    // A second run is independent.
    start_run(&tab, "报销单 2026-119");
    let (ticked, progress, _) = checklist_state(&tab);
    assert!(ticked.is_empty(), "a new run starts empty: {ticked:?}");
    assert_eq!(progress, "已完成 0/6");
    click(&tab, &tick(5));
    wait_for(
        &tab,
        "1/6",
        "return document.getElementById('progress').textContent === '已完成 1/6'",
    );
    eval(
        &tab,
        "const s = document.getElementById('run-select'); s.selectedIndex = 0; s.dispatchEvent(new Event('change')); return true",
    );
    let (ticked, _, name) = checklist_state(&tab);
    assert_eq!(name, "报销单 2026-118");
    assert_eq!(
        ticked,
        vec![0, 1, 3],
        "the first run is untouched by the second"
    );

    // Export the first run (the file the browser would save), then reset: nothing ticked.
    let exported = eval_str(
        &tab,
        "let blobUrl = null;
         const orig = HTMLAnchorElement.prototype.click;
         HTMLAnchorElement.prototype.click = function () { if (this.download) blobUrl = this.href; else orig.call(this); };
         document.getElementById('run-export').click();
         HTMLAnchorElement.prototype.click = orig;
         if (!blobUrl) return 'no download';
         return await (await fetch(blobUrl)).text();",
    );
    let data: Value = serde_json::from_str(&exported).expect("the export is JSON");
    assert_eq!(data["procedure"], "caiwu-zhichu-liucheng-1");
    assert_eq!(data["run"]["name"], "报销单 2026-118");
    eval(&tab, "window.confirm = () => true; return true");
    click(&tab, &css("#run-reset"));
    wait_for(
        &tab,
        "reset",
        "return document.getElementById('progress').textContent === '已完成 0/6'",
    );
    assert!(checklist_state(&tab).0.is_empty(), "reset clears the ticks");

    // Import the exported file through the file input: the ticks are back.
    let file = tempfile::Builder::new()
        .suffix(".json")
        .tempfile()
        .expect("temp file");
    std::fs::write(file.path(), &exported).expect("write export");
    cdp::<DOM::Enable>(&tab, json!({}));
    let root = cdp::<DOM::GetDocument>(&tab, json!({"depth": 0}))
        .root
        .node_id;
    let input =
        cdp::<DOM::QuerySelector>(&tab, json!({"nodeId": root, "selector": "#run-import"})).node_id;
    cdp::<DOM::SetFileInputFiles>(
        &tab,
        json!({"files": [file.path().to_string_lossy()], "nodeId": input}),
    );
    wait_for(
        &tab,
        "import",
        "return document.getElementById('progress').textContent === '已完成 3/6'",
    );
    let (ticked, _, name) = checklist_state(&tab);
    assert_eq!(ticked, vec![0, 1, 3], "import restores the ticks");
    assert_eq!(name, "报销单 2026-118");

    // Print the run to PDF: the record has the run's name and its ticked steps with their dates.
    let pdf = tab.print_to_pdf(None).expect("Page.printToPDF");
    let pdf_file = dir.join(format!("checklist-record{suffix}.pdf"));
    std::fs::write(&pdf_file, &pdf).expect("write PDF");
    let out = std::process::Command::new("pdftotext")
        .arg(&pdf_file)
        .arg("-")
        .output()
        .expect("pdftotext (apt-get install -y poppler-utils)");
    let text = String::from_utf8_lossy(&out.stdout);
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        flat.contains("报销单2026-118"),
        "run name in the PDF: {text}"
    );
    for step in [
        "提请支付款项（3000元以上）",
        "办务会研究决定（纪检组列席）",
        "分管财务副主任、主要领导签字",
    ] {
        assert!(flat.contains(step), "{step} in the PDF: {text}");
    }
    assert_eq!(
        flat.matches("完成于").count(),
        3,
        "three tick dates in the PDF: {text}"
    );
    assert!(
        flat.contains("经办人签字"),
        "signature line in the PDF: {text}"
    );

    // The blank form (打印空白表 sets this class while printing): the steps, no ticks, dates or name.
    eval(
        &tab,
        "document.body.classList.add('print-blank'); return true",
    );
    let pdf = tab.print_to_pdf(None).expect("Page.printToPDF");
    eval(
        &tab,
        "document.body.classList.remove('print-blank'); return true",
    );
    let blank_file = dir.join(format!("checklist-blank{suffix}.pdf"));
    std::fs::write(&blank_file, &pdf).expect("write PDF");
    let out = std::process::Command::new("pdftotext")
        .arg(&blank_file)
        .arg("-")
        .output()
        .expect("pdftotext");
    let blank: String = String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(
        blank.contains("银行转账") && blank.contains("经办人签字"),
        "{blank}"
    );
    assert!(
        !blank.contains("完成于") && !blank.contains("报销单2026-118") && !blank.contains('☑'),
        "a blank form: {blank}"
    );

    // The procedure changed since the run was saved (as if an editor had reworded step 3 and added
    // step 6): the run says which steps changed or were added, and its ticks stay on their steps.
    eval(
        &tab,
        "const key = 'rulebook.checklist.caiwu-zhichu-liucheng-1';
         const state = JSON.parse(localStorage.getItem(key));
         const run = state.runs.find(r => r.id === state.current);
         run.steps = run.steps.slice(0, 5);
         run.steps[2] = { id: 'caiwu-zhichu-liucheng-1-000000', text: '旧的第三步' };
         localStorage.setItem(key, JSON.stringify(state));
         return true",
    );
    open_checklist(&tab, &url);
    let changes = eval(
        &tab,
        "const box = document.getElementById('run-changes');
         return [box.hidden, Array.from(box.querySelectorAll('li')).map(li => li.className + ' ' + li.textContent),
                 Array.from(document.querySelectorAll('.check-step')).map(li => li.className)]",
    );
    assert_eq!(changes[0], json!(false), "the changes are shown: {changes}");
    let items: Vec<&str> = changes[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(
        items[0].starts_with("change-changed")
            && items[0].contains("旧的第三步 → 经办人、科室（站）负责人、财务负责人签字"),
        "{items:?}"
    );
    assert!(
        items[1].starts_with("change-added") && items[1].contains("银行转账"),
        "{items:?}"
    );
    assert!(
        changes[2][2].as_str().unwrap().contains("step-changed"),
        "{changes}"
    );
    assert!(
        changes[2][5].as_str().unwrap().contains("step-added"),
        "{changes}"
    );
    assert_eq!(
        checklist_state(&tab).0,
        vec![0, 1, 3],
        "ticks stay on their steps"
    );
    click(&tab, &css("#run-accept"));
    wait_for(
        &tab,
        "the changes acknowledged",
        "return document.getElementById('run-changes').hidden",
    );

    // Phone width.
    cdp::<Emulation::SetDeviceMetricsOverride>(
        &tab,
        json!({"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true}),
    );
    settle(&tab);
    let overflow = eval(
        &tab,
        "return document.documentElement.scrollWidth - innerWidth",
    );
    assert!(
        overflow.as_f64().unwrap_or(0.0) <= 0.0,
        "the checklist scrolls sideways at 390 px by {overflow}px"
    );
    eval(
        &tab,
        "document.getElementById('runs').scrollIntoView(); return true",
    );
    settle(&tab);
    save_screenshot(&tab, &format!("checklist-phone{suffix}.png"));
    cdp::<Emulation::SetDeviceMetricsOverride>(
        &tab,
        json!({"width": VIEWPORT.0, "height": VIEWPORT.1, "deviceScaleFactor": 1, "mobile": false}),
    );

    // 请销假: two conditions, two questions — leaving 白城, then (in 白城) the length of leave.
    let leave = o.url(LEAVE_CHECKLIST);
    open_checklist(&tab, &leave);
    let approvers = |place: &str, days: &str| -> Vec<String> {
        eval(
            &tab,
            &format!(
                "const r = document.querySelector(\"input[name='cond-place'][value='\" + {} + \"']\");
                 r.checked = true; r.dispatchEvent(new Event('change'));
                 const i = document.querySelector(\".condition-value[data-condition='length']\");
                 i.value = {}; i.dispatchEvent(new Event('input'));
                 return Array.from(document.querySelectorAll('.step-group'))
                   .filter(g => !g.hidden && g.dataset.when)
                   .flatMap(g => Array.from(g.querySelectorAll('.step-role')).map(r => r.textContent));",
                lit(place),
                lit(days)
            ),
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
    };
    assert_eq!(approvers("stay", "2"), vec!["责任人：主要领导"], "2 days");
    assert_eq!(
        approvers("stay", "0.5"),
        vec!["责任人：科室（站）负责人"],
        "half a day"
    );
    assert_eq!(approvers("stay", "1"), vec!["责任人：分管领导"], "one day");
    // Half a day out of 白城: the 主要领导 (“超过一天或离开白城的必须由主要领导批准”), and the length
    // question is not asked.
    assert_eq!(
        approvers("leave", "0.5"),
        vec!["责任人：主要领导"],
        "half a day out of 白城"
    );
    assert_eq!(
        eval(
            &tab,
            "return document.querySelector(\"fieldset[data-condition='length']\").hidden"
        ),
        json!(true)
    );
    save_screenshot(&tab, &format!("checklist-two-conditions{suffix}.png"));
}

// ---------------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------------

/// Press a key (down and up) in the page, as the keyboard would.
fn key(tab: &Tab, key: &str, code: &str, vk: u32, text: Option<&str>) {
    let mut down = json!({"type": if text.is_some() { "keyDown" } else { "rawKeyDown" },
        "key": key, "code": code, "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk});
    if let Some(t) = text {
        down["text"] = json!(t);
        down["unmodifiedText"] = json!(t);
    }
    cdp::<Input::DispatchKeyEvent>(tab, down);
    cdp::<Input::DispatchKeyEvent>(
        tab,
        json!({"type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk}),
    );
}

/// Type `text` into the focused element (input events, as from an input method).
fn type_text(tab: &Tab, text: &str) {
    cdp::<Input::InsertText>(tab, json!({ "text": text }));
}

/// Wait until the header's result list shows results for `q`; returns their hrefs (as written).
fn popup_hits(tab: &Tab, q: &str) -> Vec<String> {
    let v = wait_for(
        tab,
        &format!("results for {q} under the search box"),
        &format!(
            "const p = document.querySelector('.search-popup');
             if (!p || p.hidden || p.getAttribute('data-query') !== {}) return null;
             return Array.from(p.querySelectorAll('a.search-hit')).map(a => a.getAttribute('href'))",
            lit(q)
        ),
    );
    serde_json::from_value(v).unwrap()
}

/// 7. The search box: `/` focuses it, typing shows results with the words marked, arrows move, Esc
///    closes, Enter opens the clause, which is scrolled to and has the words marked.
fn search_box(o: &Origin) {
    let tab = open_window();
    goto(&tab, &o.url(CATEGORY_HREF));
    key(&tab, "/", "Slash", 191, Some("/"));
    assert_eq!(
        eval(
            &tab,
            "return document.activeElement && document.activeElement.matches('.site-search input')"
        ),
        json!(true),
        "/ did not focus the search box"
    );
    type_text(&tab, "3000元");
    let hits = popup_hits(&tab, "3000元");
    assert_eq!(
        hits.first().map(String::as_str),
        Some("../regulations/caiwu-guanli.html#sec1"),
        "{hits:?}"
    );
    assert!(hits.len() >= 3, "{hits:?}");
    let marked = eval_str(
        &tab,
        "return document.querySelector('.search-hit mark').textContent",
    );
    assert_eq!(marked, "3000元");
    let active = |tab: &Tab| {
        eval_str(
            tab,
            "return document.querySelector('.search-hit.active').getAttribute('href')",
        )
    };
    assert_eq!(active(&tab), hits[0]);
    key(&tab, "ArrowDown", "ArrowDown", 40, None);
    assert_eq!(active(&tab), hits[1], "ArrowDown");
    key(&tab, "ArrowDown", "ArrowDown", 40, None);
    key(&tab, "ArrowUp", "ArrowUp", 38, None);
    assert_eq!(active(&tab), hits[1], "ArrowUp");
    key(&tab, "ArrowUp", "ArrowUp", 38, None);
    assert_eq!(active(&tab), hits[0]);
    key(&tab, "Escape", "Escape", 27, None);
    assert_eq!(
        eval(
            &tab,
            "return document.querySelector('.search-popup').hidden"
        ),
        json!(true),
        "Esc"
    );
    // A new query, then Enter opens its first result: 派车单 is a form (site.yaml `form_names:`),
    // so its 表单 entry comes first, with the checklist steps that need it listed there.
    eval(
        &tab,
        "const i = document.querySelector('.site-search input'); i.value = ''; i.focus(); return true",
    );
    type_text(&tab, "派车单");
    let hits = popup_hits(&tab, "派车单");
    assert_eq!(
        hits.first().map(String::as_str),
        Some("../forms.html#form-派车单"),
        "{hits:?}"
    );
    // The address bar holds the fragment percent-encoded.
    let url = o.url(&format!(
        "forms.html#{}",
        url_path(Path::new("form-派车单"))
    ));
    mark_if_leaving(&tab, &url);
    key(&tab, "Enter", "Enter", 13, Some("\r"));
    wait_until_at(&tab, &url);
    let got = landing(&tab);
    assert_eq!(got.id, "form-派车单");
    assert!(got.is_target);
    assert!(got.text.contains("派车单"), "{:?}", got.text);
    let marks = wait_for(
        &tab,
        "the words marked in the landing",
        "return Array.from(document.querySelectorAll('[id=\"form-派车单\"] mark.search-arrival')).map(m => m.textContent)",
    );
    assert_eq!(marks[0], json!("派车单"), "{marks}");
    eprintln!(
        "[{:?}] search box: 3000元 → {} …; Enter on 派车单 → #{}",
        o.via, hits[0], got.id
    );
}

/// 7b. The popup open is axe-clean in the light and the dark scheme (a combobox controlling a
///    listbox of options only); a quantity's result says why it answers; Esc closes it and keeps
///    the query; a malformed address (search.html?q=%) is read, not thrown on. The time from the
///    last keystroke to the results painted (the page's `rb-search` measure) is printed.
fn search_popup_accessible(o: &Origin) {
    for dark in [false, true] {
        let tab = open_window();
        cdp::<Emulation::SetEmulatedMedia>(
            &tab,
            json!({"features": [{"name": "prefers-color-scheme", "value": if dark { "dark" } else { "light" }}]}),
        );
        goto(&tab, &o.url("index.html"));
        eval(
            &tab,
            "document.querySelector('.site-search input').focus(); return true",
        );
        // Typed a character at a time, as a person does.
        for c in ["5", "0", "0", "0", "元"] {
            type_text(&tab, c);
        }
        let hits = popup_hits(&tab, "5000元");
        assert_eq!(
            hits.first().map(String::as_str),
            Some("regulations/caiwu-guanli.html#sec1"),
            "{hits:?}"
        );
        let why = eval_str(
            &tab,
            "return document.querySelector('.search-popup .search-hit .hit-why').textContent",
        );
        assert_eq!(why, "5000元 > 3000元");
        let painted = wait_for(
            &tab,
            "the rb-search measure",
            "const m = performance.getEntriesByName('rb-search'); return m.length ? m[m.length - 1].duration : null",
        );
        eprintln!(
            "[{:?}] search popup (dark={dark}): 5000元 typed a character at a time, last keystroke to results painted {painted} ms",
            o.via
        );
        load_axe(&tab);
        let v = eval(
            &tab,
            "const r = await axe.run(document, {resultTypes: ['violations']}); \
             return r.violations.map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' + \
                 v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))",
        );
        assert_eq!(v, json!([]), "axe with the popup open, dark={dark}");
        let scheme = if dark { "dark" } else { "light" };
        save_screenshot(&tab, &format!("search-popup-why-{scheme}.png"));
        key(&tab, "Escape", "Escape", 27, None);
        let state = eval(
            &tab,
            "const i = document.querySelector('.site-search input'); \
             return [document.querySelector('.search-popup').hidden, i.value, i.getAttribute('aria-expanded')]",
        );
        assert_eq!(
            state,
            json!([true, "5000元", "false"]),
            "Esc closes and keeps the query"
        );
        if dark {
            save_screenshot(&tab, "search-popup-dark.png");
        }
    }
    let tab = open_window();
    goto(&tab, &o.url("search.html?q=%"));
    let read = wait_for(
        &tab,
        "search.html?q=% read",
        "const i = document.querySelector('form.search-page input'); return i && i.value === '%' ? i.value : null",
    );
    assert_eq!(read, json!("%"));
}

/// 8. search.html?q=… (bookmarkable) lists the results; filters by category and status.
fn search_results_page(o: &Origin) {
    let tab = open_window();
    let results = |tab: &Tab, url: &str| -> Vec<String> {
        goto(tab, url);
        let v = wait_for(
            tab,
            "search.html to show its results",
            "const s = document.getElementById('search-status');
             if (!s || !s.hasAttribute('data-ms')) return null;
             return Array.from(document.querySelectorAll('#search-results a.search-hit')).map(a => a.getAttribute('href'))",
        );
        serde_json::from_value(v).unwrap()
    };
    let all = results(&tab, &o.url("search.html?q=%E5%85%AC%E5%8A%A1%E5%8D%A1")); // 公务卡
    assert_eq!(
        all.first().map(String::as_str),
        Some("regulations/caiwu-guanli.html#sec6"),
        "{all:?}"
    );
    assert_eq!(
        eval_str(
            &tab,
            "return document.querySelector('form.search-page input').value"
        ),
        "公务卡"
    );
    // Following a result lands on the clause.
    check_link(
        &tab,
        "#search-results a.search-hit",
        "regulations/caiwu-guanli.html",
        "sec6",
        "公务卡",
    );
    // 培训, only 试行: the one 试行 regulation, labelled.
    let trial = results(&tab, &o.url("search.html?q=%E5%9F%B9%E8%AE%AD&st=1"));
    assert!(!trial.is_empty());
    assert!(
        trial
            .iter()
            .all(|h| h.starts_with("regulations/baomi-peixun.html")),
        "{trial:?}"
    );
    assert_eq!(
        eval_str(
            &tab,
            "return document.querySelector('#search-results .badge').textContent"
        ),
        "试行"
    );
    // 报销 in 财务与资产 (the fifth category) only.
    let finance = results(&tab, &o.url("search.html?q=%E6%8A%A5%E9%94%80&cat=4"));
    assert!(!finance.is_empty());
    for h in &finance {
        assert!(
            [
                "caiwu-guanli",
                "chailv-baoxiao",
                "bangong-yongpin",
                "guding-zichan"
            ]
            .iter()
            .any(|id| h.contains(id)),
            "{h}"
        );
    }
    // No match: says so.
    let none = results(&tab, &o.url("search.html?q=qqq%E4%B8%8D%E5%AD%98%E5%9C%A8"));
    assert!(none.is_empty());
    assert_eq!(
        eval_str(
            &tab,
            "return document.getElementById('search-status').textContent"
        ),
        "无结果"
    );
}

/// 9. The browser's engine (search.js) gives what the Rust engine gives: folding, hashing and
///    the ranked results of real queries.
fn search_engine_agrees(o: &Origin) {
    let tab = open_window();
    goto(&tab, &o.url("index.html"));
    let samples = "３０００元（二）ＡＢＣ abc “一把手”《印章使用审批单》第　三　条 ΑΒΓ Дж 二〇二〇年々 İ 𠀀a\u{3000}\t、。…—";
    let folded = eval_str(
        &tab,
        &format!("return await window.rulebookSearch.fold({})", lit(samples)),
    );
    assert_eq!(folded, rulebook::search::fold::normalise(samples));
    for k in ["印章", "3000", "𠀀a", "^x"] {
        let h = eval(
            &tab,
            &format!("return window.rulebookSearch.hash({})", lit(k)),
        );
        assert_eq!(h, json!(rulebook::search::format::hash(k)), "hash of {k}");
    }
    let engine =
        rulebook::search::query::Engine::new(|name: &str| std::fs::read(site().join(name)).ok());
    // Every query of the yardstick (tests/fixtures/search/queries.yaml) and a few more.
    let set = rulebook::search::yardstick::QuerySet::parse(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search/queries.yaml"),
        )
        .unwrap(),
    )
    .unwrap();
    let more = [
        "３０００元",
        "印章",
        "一把手",
        "印章 审批",
        "印",
        "qqq不存在",
        "search.html?q=%",
        "第十二条之一",
        "10005元",
    ];
    let queries: Vec<&str> = set.seed.iter().map(|c| c.q.as_str()).chain(more).collect();
    for q in queries {
        type Row = (String, i64, Option<String>);
        let want: Vec<Row> = engine
            .search(q, &Default::default())
            .into_iter()
            .map(|h| (h.href, h.score, h.why))
            .collect();
        let got: Vec<Row> = serde_json::from_value::<Vec<(String, f64, Option<String>)>>(eval(
            &tab,
            &format!(
                "return (await window.rulebookSearch.search({})).map(h => [h.href, h.score, h.why])",
                lit(q)
            ),
        ))
        .unwrap()
        .into_iter()
        .map(|(h, s, w)| (h, s as i64, w))
        .collect();
        assert_eq!(got, want, "{q}: the browser and the Rust engine disagree");
    }
}

/// 10. The search box in the phone layout: full width under the title, results inside the screen.
#[test]
fn search_on_a_phone() {
    let o = Origin::new(Via::Http);
    let mut tab = open_window();
    tab.discard(); // its viewport changes
    cdp::<Emulation::SetDeviceMetricsOverride>(
        &tab,
        json!({"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true}),
    );
    goto(&tab, &o.url(FINANCE_PAGE));
    eval(
        &tab,
        "document.querySelector('.site-search input').focus(); return true",
    );
    type_text(&tab, "公务卡");
    let hits = popup_hits(&tab, "公务卡");
    assert_eq!(
        hits.first().map(String::as_str),
        Some("../regulations/caiwu-guanli.html#sec6")
    );
    let boxes = eval(
        &tab,
        "const r = e => { const b = document.querySelector(e).getBoundingClientRect(); return [b.left, b.right, b.width]; };
         return { input: r('.site-search input'), popup: r('.search-popup'), overflow: document.documentElement.scrollWidth - innerWidth }",
    );
    eprintln!("phone layout: {boxes}");
    for what in ["input", "popup"] {
        let b = &boxes[what];
        assert!(
            b[0].as_f64().unwrap() >= 0.0 && b[1].as_f64().unwrap() <= 390.0,
            "{what} leaves the screen: {boxes}"
        );
        assert!(b[2].as_f64().unwrap() > 300.0, "{what} is narrow: {boxes}");
    }
    assert!(boxes["overflow"].as_f64().unwrap() <= 0.0, "{boxes}");
    settle(&tab);
    save_screenshot(&tab, "search-phone.png");
}

/// 5. A screenshot of each page kind, saved under target/screenshots/ (look at them!).
#[test]
fn screenshots() {
    let o = Origin::new(Via::Http);
    let dir = screenshot_dir();
    let mut tab = open_window();
    tab.discard(); // DOM and CSS domains get enabled
    // On one of the site's pages first: a new window may still show Chromium's own new-tab page,
    // where enabling the CSS domain never finished (the test hung when run with the others).
    goto(&tab, &o.url("index.html"));
    cdp::<DOM::Enable>(&tab, json!({}));
    cdp::<CSS::Enable>(&tab, json!({}));
    let shots = [
        ("home", "index.html".to_string()),
        ("category", CATEGORY_HREF.to_string()),
        ("regulation-toc", FINANCE_PAGE.to_string()),
        ("risk-register", RISK_PAGE.to_string()),
        ("procedure", format!("{YINZHANG_PAGE}#procedures")),
        ("role-index", "roles/index.html".to_string()),
        ("role-chuna", "roles/chuna.html".to_string()),
        ("role-matrix", "roles/matrix.html".to_string()),
        (
            "person",
            format!("people/{}", url_path(Path::new("陈之光.html"))),
        ),
        ("404", "no-such-page.html".to_string()),
    ];
    let mut fonts = BTreeSet::new();
    for (name, page) in &shots {
        goto(&tab, &o.url(page));
        // Styled: the stylesheet applied (the header's accent border) …
        let border = eval_str(
            &tab,
            "return getComputedStyle(document.querySelector('.site-header')).borderBottomColor",
        );
        assert_eq!(border, "rgb(158, 27, 27)", "{page}: style.css not applied");
        // … and laid out for the desktop without sideways scrolling.
        let overflow = eval(
            &tab,
            "return document.documentElement.scrollWidth - innerWidth",
        );
        assert!(
            overflow.as_f64().unwrap_or(0.0) <= 0.0,
            "{page} scrolls sideways by {overflow}px"
        );
        if page.ends_with("#procedures") {
            landing(&tab);
        }
        settle(&tab);
        // The Chinese text is drawn with a CJK font, not tofu boxes: ask Chromium which fonts it
        // used for the h1 and for the first other text in <main> with Chinese in it.
        eval(
            &tab,
            r"const own = el => Array.from(el.childNodes).some(n => n.nodeType === 3 && /[\u4e00-\u9fff]/.test(n.data));
              const body = Array.from(document.querySelectorAll('main *')).find(el => el.tagName !== 'H1' && own(el));
              [document.querySelector('h1'), body].forEach(el => el && el.setAttribute('data-font-probe', ''));
              return true",
        );
        let root = cdp::<DOM::GetDocument>(&tab, json!({"depth": 0}))
            .root
            .node_id;
        let probes = cdp::<DOM::QuerySelectorAll>(
            &tab,
            json!({"nodeId": root, "selector": "[data-font-probe]"}),
        )
        .node_ids;
        assert_eq!(
            probes.len(),
            2,
            "{page}: no h1 or no Chinese text in <main>"
        );
        for node in probes {
            let used = cdp::<CSS::GetPlatformFontsForNode>(&tab, json!({"nodeId": node})).fonts;
            let names: Vec<String> = used
                .iter()
                .map(|f| format!("{} ({} glyphs)", f.family_name, f.glyph_count))
                .collect();
            let cjk = used.iter().any(|f| {
                [
                    "CJK",
                    "Source Han",
                    "YaHei",
                    "PingFang",
                    "Hiragino",
                    "WenQuanYi",
                    "SimSun",
                    "SimHei",
                    "Droid Sans Fallback",
                    "AR PL",
                ]
                .iter()
                .any(|k| f.family_name.contains(k))
            });
            assert!(
                cjk,
                "{page}: Chinese text is drawn with {names:?}, no CJK font, so it shows as boxes; \
                 install one: `apt-get install -y fonts-noto-cjk` (CI does)"
            );
            fonts.extend(used.into_iter().map(|f| f.family_name));
        }
        let png = tab
            .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
            .unwrap_or_else(|e| panic!("screenshot of {page}: {e:#}"));
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}: not a PNG");
        let file = dir.join(format!("{name}.png"));
        std::fs::write(&file, &png).unwrap_or_else(|e| panic!("writing {}: {e}", file.display()));
        let size = std::fs::metadata(&file).unwrap().len();
        assert!(
            size > 10 * 1024,
            "{} is only {size} bytes: a blank page?",
            file.display()
        );
        eprintln!("screenshot {} ({} KiB)", file.display(), size / 1024);
    }
    eprintln!("fonts used: {fonts:?}");
}

/// A screenshot of the results while typing, and of the results page (look at them!).
#[test]
fn search_screenshots() {
    let o = Origin::new(Via::Http);
    let tab = open_window();
    goto(&tab, &o.url(YINZHANG_PAGE));
    eval(
        &tab,
        "document.querySelector('.site-search input').focus(); return true",
    );
    type_text(&tab, "印章 审批");
    popup_hits(&tab, "印章 审批");
    settle(&tab);
    save_screenshot(&tab, "search-popup.png");
    goto(&tab, &o.url("search.html?q=%E4%B8%80%E6%8A%8A%E6%89%8B")); // 一把手
    wait_for(
        &tab,
        "results",
        "return document.querySelectorAll('#search-results a').length",
    );
    settle(&tab);
    save_screenshot(&tab, "search-page.png");
}

/// The 404 page is served for any missing path, so it must also work at a nested one
/// (`/regulations/gone.html`): styled, with links that lead home.
#[test]
fn not_found_page_at_a_nested_path() {
    let o = Origin::new(Via::Http);
    let tab = open_window();
    goto(&tab, &o.url("regulations/no-such-page.html"));
    settle(&tab);
    save_screenshot(&tab, "404-nested.png");
    let border = eval_str(
        &tab,
        "return getComputedStyle(document.querySelector('.site-header')).borderBottomColor",
    );
    assert_eq!(
        border, "rgb(158, 27, 27)",
        "style.css not applied on the nested 404 page"
    );
    let home = eval_str(&tab, "return document.querySelector('.site-title').href");
    assert_eq!(home, o.url("index.html"), "the 404 page's home link");
}

/// A screenshot of what `tab` shows, saved as `name` under [`screenshot_dir`] (to look at).
fn save_screenshot(tab: &Tab, name: &str) {
    let png = tab
        .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
        .expect("screenshot");
    std::fs::write(screenshot_dir().join(name), png).expect("write screenshot");
}

fn screenshot_dir() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => manifest.join(d), // an absolute CARGO_TARGET_DIR replaces the base
        _ => manifest.join("target"),
    };
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    dir
}

/// The tree fixture: from the home page down three category levels and back by the breadcrumb, to
/// pages whose file names hold spaces, Chinese, parentheses and 《》, and along a reference to an
/// article of one of them: every link (percent-encoded) opens its page over HTTP and from disk.
fn tree_names_and_levels(o: &Origin) {
    let tab = open_window();
    goto(&tab, &o.url("index.html"));
    assert_eq!(h1(&tab), "树形测试手册");
    let cat = |title: &str, list: &str| {
        format!(
            "Array.from(document.querySelectorAll({})).find(a => a.textContent.trim() === {})",
            lit(list),
            lit(title)
        )
    };
    click_link(&tab, &cat("总则类", "main .category-block h2 a"));
    assert_eq!(h1(&tab), "总则类");
    click_link(&tab, &cat("人事管理", "main .cat-list a"));
    assert_eq!(h1(&tab), "人事管理");
    click_link(&tab, &cat("考勤", "main .cat-list a"));
    assert_eq!(h1(&tab), "考勤");
    assert_eq!(
        eval_str(
            &tab,
            "return document.querySelector('.crumbs').textContent.replace(/\\s+/g, ' ').trim()"
        ),
        "首页 › 总则类 › 人事管理 › 考勤"
    );
    let href = click_link(&tab, &reg_list_link("〈考勤〉实施细则"));
    assert!(
        href.ends_with(
            "/regulations/%E6%80%BB%E5%88%99-%E4%BA%BA%E4%BA%8B%20%E7%AE%A1%E7%90%86-%E8%80%83%E5%8B%A4-%E3%80%8A%E8%80%83%E5%8B%A4%E3%80%8B%E7%BB%86%E5%88%99.html"
        ),
        "{href}"
    );
    assert_eq!(h1(&tab), "〈考勤〉实施细则");
    // 《测试人事招聘办法》第三条 → 招聘（试行）.html#art3
    check_link(
        &tab,
        "main a.xref",
        "regulations/%E6%80%BB%E5%88%99-%E4%BA%BA%E4%BA%8B%20%E7%AE%A1%E7%90%86-%E6%8B%9B%E8%81%98%EF%BC%88%E8%AF%95%E8%A1%8C%EF%BC%89.html",
        "art3",
        "违反本办法第二条",
    );
    assert_eq!(h1(&tab), "测试人事招聘办法");
    // Back up by the breadcrumb (a folder name with a space) and home, then to the page whose name
    // has spaces and ASCII parentheses.
    click_link(&tab, &cat("人事管理", ".crumbs a"));
    assert_eq!(h1(&tab), "人事管理");
    click_link(&tab, &css(".crumbs a"));
    assert_eq!(h1(&tab), "树形测试手册");
    click_link(&tab, &reg_list_link("预算管理办法"));
    assert_eq!(h1(&tab), "预算管理办法");
}

/// `rulebook serve` (src/serve/) in a real browser, on a copy of the bundled site: an edit reloads
/// the open page by itself, once, and no page it does not change; a broken edit shows its error
/// (file and line) over the page, which stays the last good one; the fix takes the overlay away
/// and shows the new page.
#[test]
fn preview_server_reloads_and_shows_errors() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_content(dir.path());
    let server = rulebook::serve::Server::start(rulebook::serve::Options {
        root: dir.path().to_path_buf(),
        addr: "127.0.0.1:0".parse().unwrap(),
        encoding: rulebook::content::text::Encoding::Utf8,
    })
    .expect("preview server");
    let url = format!("http://{}/regulations/caiwu-guanli.html", server.addr());
    let mut tab = open_window();
    // Closed at the end, not given to another test: its page keeps a connection to this server.
    tab.discard();
    goto(&tab, &url);
    assert_eq!(h1(&tab), "市委保密办财务管理制度");
    // Mark this document: a reload replaces it.
    eval(&tab, "window.__notReloaded = true; return 1");
    let mut other = open_window();
    other.discard();
    goto(
        &other,
        &format!("http://{}/regulations/huiyi.html", server.addr()),
    );
    eval(&other, "window.__notReloaded = true; return 1");
    // Wait until the pages are subscribed (the script connects on load).
    thread::sleep(Duration::from_millis(300));

    let file = dir.path().join("content/caiwu-zichan/caiwu-guanli.md");
    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{original}\n预览时新加的一句话。\n")).unwrap();
    wait_for(
        &tab,
        "the page to reload with the edit",
        "return !window.__notReloaded && document.body.textContent.includes('预览时新加的一句话。')",
    );
    // That was the quick path's page. The full build that follows gives the same page, so the
    // editor's page does not reload a second time; a page the edit does not change (会议制度, open
    // in another window) never reloads.
    eval(&tab, "window.__afterQuick = true; return 1");
    wait_for(
        &tab,
        "the full build to catch up",
        "const s = await (await fetch('/__rulebook/state')).json(); return s.complete && s.generation",
    );
    thread::sleep(Duration::from_millis(300));
    assert!(
        truthy(&eval(&tab, "return window.__afterQuick === true")),
        "the edited page reloaded twice"
    );
    assert!(
        truthy(&eval(&other, "return window.__notReloaded === true")),
        "a page the edit did not change reloaded"
    );
    drop(other);

    std::fs::write(&file, original.replacen("title:", "title: [oops\nx:", 1)).unwrap();
    let overlay = wait_for(
        &tab,
        "the error overlay",
        "const o = document.getElementById('rulebook-overlay'); return o && o.textContent",
    );
    let overlay = overlay.as_str().unwrap_or_default().to_string();
    assert!(overlay.contains("构建失败"), "{overlay}");
    assert!(
        // The unclosed bracket where it opens (RB125), not where the parser noticed it.
        overlay.contains("content/caiwu-zichan/caiwu-guanli.md:2:8"),
        "file and line: {overlay}"
    );
    assert!(
        eval_str(&tab, "return document.querySelector('h1').textContent")
            == "市委保密办财务管理制度",
        "the last good page stays"
    );
    save_screenshot(&tab, "preview-error-overlay.png");

    std::fs::write(&file, &original).unwrap();
    wait_for(
        &tab,
        "the fixed page without the overlay",
        "return !document.getElementById('rulebook-overlay') && !document.body.textContent.includes('预览时新加的一句话。')",
    );
    drop(server);
}

/// On a phone (390 × 844) every regulation page shows its title on the first screen: the
/// navigation and table of contents follow the text instead of preceding it; no clause's copy-link
/// control wraps onto a line of its own.
#[test]
fn phone_title_on_the_first_screen() {
    let o = Origin::new(Via::Http);
    let mut tab = open_window();
    tab.discard(); // its viewport changes
    cdp::<Emulation::SetDeviceMetricsOverride>(
        &tab,
        json!({"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true}),
    );
    let pages: Vec<String> = std::fs::read_dir(site().join("regulations"))
        .expect("regulations/")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".html"))
        .collect();
    assert_eq!(pages.len(), 24);
    for name in &pages {
        goto(&tab, &o.url(&format!("regulations/{name}")));
        let at = eval(
            &tab,
            "const h = document.querySelector('main h1').getBoundingClientRect(); \
             const n = document.querySelector('.site-nav'); const nav = n.getBoundingClientRect(); \
             return [h.top, h.bottom, n.offsetParent === null ? 1e9 : nav.top, innerHeight]",
        );
        let (top, bottom, nav, height) = (
            at[0].as_f64().unwrap(),
            at[1].as_f64().unwrap(),
            at[2].as_f64().unwrap(),
            at[3].as_f64().unwrap(),
        );
        assert!(
            top >= 0.0 && bottom <= height && bottom < 400.0,
            "{name}: the title is at {top}–{bottom} px of {height}"
        );
        // Behind the 分类 button (hidden), or after the text.
        assert!(nav > bottom, "{name}: the navigation comes before the text");
        // Every clause's copy-link control stands on the line of the text before it, never alone
        // on a line of its own.
        let alone = eval(
            &tab,
            "const out = [];              for (const b of document.querySelectorAll('.clause-head .copy-link')) {                const prev = b.previousSibling; if (!prev) { out.push('none'); continue; }                const r = document.createRange(); r.selectNodeContents(prev);                const rs = r.getClientRects(); if (!rs.length) { continue; }                const t = rs[rs.length - 1], c = b.getBoundingClientRect();                const mid = (c.top + c.bottom) / 2;                if (mid < t.top || mid > t.bottom) { out.push(b.dataset.anchor); } }              return out",
        );
        assert_eq!(alone, json!([]), "{name}: controls alone on a line");
    }
    settle(&tab);
    save_screenshot(&tab, "phone-regulation.png");
}

/// Links in the text are underlined (not told from text by colour alone), and the pages follow the
/// system's dark setting with body text and links readable on the dark background (WCAG AA 4.5:1).
#[test]
fn links_underlined_and_dark_mode_readable() {
    let o = Origin::new(Via::File);
    let mut tab = open_window();
    tab.discard(); // its emulated media changes
    // Light first, whatever the window was given (a pooled window may carry another test's
    // emulated scheme).
    cdp::<Emulation::SetEmulatedMedia>(
        &tab,
        json!({"features": [{"name": "prefers-color-scheme", "value": "light"}]}),
    );
    // 车辆管理制度 cites its own 第五条: a clause link in the text.
    goto(&tab, &o.url("regulations/cheliang-guanli.html"));
    let probe = "const link = document.querySelector('.reg-body a.xref'); \
                 const s = getComputedStyle(link); const b = getComputedStyle(document.body); \
                 const p = getComputedStyle(document.querySelector('.reg-body p')); \
                 return [s.textDecorationLine, s.color, b.backgroundColor, p.color, link.textContent]";
    let light = eval(&tab, probe);
    assert_eq!(light[0], "underline", "{light}");
    assert_eq!(light[2], "rgb(255, 255, 255)", "{light}");
    cdp::<Emulation::SetEmulatedMedia>(
        &tab,
        json!({"features": [{"name": "prefers-color-scheme", "value": "dark"}]}),
    );
    let dark = eval(&tab, probe);
    fn rgb(v: &Value) -> [f64; 3] {
        let s = v.as_str().unwrap();
        let n: Vec<f64> = s
            .trim_start_matches("rgba(")
            .trim_start_matches("rgb(")
            .trim_end_matches(')')
            .split(',')
            .map(|x| x.trim().parse().unwrap())
            .collect();
        [n[0], n[1], n[2]]
    }
    fn luminance(c: [f64; 3]) -> f64 {
        let l = |v: f64| {
            let v = v / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * l(c[0]) + 0.7152 * l(c[1]) + 0.0722 * l(c[2])
    }
    let contrast = |a: &Value, b: &Value| {
        let (x, y) = (luminance(rgb(a)), luminance(rgb(b)));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    };
    let bg = &dark[2];
    assert!(luminance(rgb(bg)) < 0.05, "dark background: {dark}");
    assert!(contrast(&dark[3], bg) >= 4.5, "body text on dark: {dark}");
    assert!(contrast(&dark[1], bg) >= 4.5, "links on dark: {dark}");
    assert!(
        contrast(&light[1], &light[2]) >= 4.5,
        "links on light: {light}"
    );
    settle(&tab);
    save_screenshot(&tab, "dark-regulation.png");
}

// ---------------------------------------------------------------------------------------------
// Cited articles in place (preview.js)
// ---------------------------------------------------------------------------------------------

/// A regulation whose text cites its own article: 违反第五条规定 (五、, the same page).
const CAR_PAGE: &str = "regulations/cheliang-guanli.html";
const CAR_ARTICLE_LINK: &str = "main a.xref[href='#sec5']";
/// A regulation that cites a law the handbook does not hold, and uses glossary terms.
const LEADER_RISK_PAGE: &str = "regulations/fengxian-zhuyao-lingdao.html";

/// The open preview: its title, text, extra notes, class, the link's and its own box; null when
/// none is shown or it is still loading.
const PREVIEW_STATE: &str = r"
    const p = document.getElementById('rb-preview');
    if (!p || p.hidden || p.querySelector('.pv-loading')) return null;
    const q = s => { const e = p.querySelector(s); return e ? e.textContent : null; };
    const a = document.querySelector('[aria-expanded=true][aria-controls=rb-preview]');
    const box = e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom, r.left, r.right]; };
    return { title: q('.pv-title'), text: q('.pv-text'), absent: q('.pv-absent'), articles: q('.pv-articles'),
             status: q('.pv-status'),
             described: a && a.getAttribute('aria-describedby') && document.getElementById(a.getAttribute('aria-describedby')).textContent,
             more: p.querySelector('.pv-more a') && p.querySelector('.pv-more a').href,
             cls: p.className, role: p.getAttribute('role'), label: p.getAttribute('aria-labelledby'),
             link: a ? box(a) : null, panel: box(p), height: innerHeight,
             linkText: a ? a.textContent : null, focused: document.activeElement === a };";

/// The text of a clause as its page shows it: its first paragraph, number and controls left out.
fn clause_head_text(tab: &Tab, anchor: &str) -> String {
    eval_str(
        tab,
        &format!(
            "const h = document.getElementById({}).querySelector('.clause-head').cloneNode(true);
             h.querySelectorAll('.clause-num, .copy-link').forEach(e => e.remove());
             return h.textContent.trim()",
            lit(anchor)
        ),
    )
}

/// Focusing a 第五条 link shows that clause's text beside it; Esc closes it and keeps the focus.
fn clause_preview_on_focus(o: &Origin) {
    let tab = open_window();
    goto(&tab, &o.url(CAR_PAGE));
    let clause = clause_head_text(&tab, "sec5");
    assert!(clause.chars().count() > 20, "五、 reads {clause:?}");
    let link = css(CAR_ARTICLE_LINK);
    eval(&tab, &format!("{link}.focus(); return true"));
    let shown = wait_for(&tab, "the preview of 五、 on focus", PREVIEW_STATE);
    eprintln!("{:?} focus on 第五条: {shown}", o.via);
    let text = shown["text"].as_str().unwrap_or_default();
    assert!(
        text.starts_with(&clause),
        "the preview shows {text:?}, not 五、: {clause:?}"
    );
    let title = shown["title"].as_str().unwrap_or_default();
    let h1 = h1(&tab);
    assert_eq!(title, format!("《{h1}》五、"), "{shown}");
    assert_eq!(shown["role"], "dialog");
    assert_eq!(shown["label"], "rb-preview-title");
    // A screen reader reads the preview as the link's description: its title and text.
    let described = shown["described"].as_str().unwrap_or_default();
    assert!(
        described.starts_with(title) && described.contains(&clause),
        "{shown}"
    );
    assert!(
        shown["focused"].as_bool().unwrap(),
        "focus left the link: {shown}"
    );
    assert!(
        shown["more"]
            .as_str()
            .unwrap()
            .ends_with("cheliang-guanli.html#sec5")
    );
    // Beside the link, not over it.
    let (link_box, panel) = (&shown["link"], &shown["panel"]);
    assert!(
        panel[0].as_f64() >= link_box[1].as_f64() || panel[1].as_f64() <= link_box[0].as_f64(),
        "the preview covers its link: {shown}"
    );
    key(&tab, "Escape", "Escape", 27, None);
    wait_for(
        &tab,
        "Esc to close the preview and leave the focus on the link",
        &format!(
            "const p = document.getElementById('rb-preview'); const a = {link};
             return p.hidden && document.activeElement === a && a.getAttribute('aria-expanded') === 'false'"
        ),
    );
    // Keyboard: Tab from the link goes into its preview (the close button first).
    eval(&tab, &format!("{link}.blur(); {link}.focus(); return true"));
    wait_for(&tab, "the preview to open again", PREVIEW_STATE);
    key(&tab, "Tab", "Tab", 9, None);
    wait_for(
        &tab,
        "Tab to reach the preview",
        "const p = document.getElementById('rb-preview'); return !p.hidden && p.contains(document.activeElement)",
    );
    key(&tab, "Escape", "Escape", 27, None);
    wait_for(
        &tab,
        "Esc in the preview to close it and return to the link",
        &format!(
            "return document.getElementById('rb-preview').hidden && document.activeElement === {link}"
        ),
    );
}

/// A cited law the handbook does not hold previews its name and 本手册未收录 (and the article, if
/// the text names one); a glossary term previews its definition, as the glossary page gives it.
fn cite_and_term_previews(o: &Origin) {
    let tab = open_window();
    goto(&tab, &o.url("glossary.html"));
    let definition = eval_str(
        &tab,
        "const dt = document.getElementById('term-三重一大'); return dt.nextElementSibling.querySelector('.definition').textContent.trim()",
    );
    goto(&tab, &o.url(LEADER_RISK_PAGE));
    let cite = css("main a.cite[data-ext]");
    let name = eval_str(&tab, &format!("return {cite}.getAttribute('data-ext')"));
    eval(&tab, &format!("{cite}.focus(); return true"));
    let shown = wait_for(&tab, "the preview of a cited law", PREVIEW_STATE);
    eprintln!("{:?} cited law: {shown}", o.via);
    assert_eq!(shown["title"], format!("《{name}》"));
    assert_eq!(shown["absent"], "本手册未收录");
    assert!(
        shown["more"].as_str().unwrap().contains("basis.html#ext-"),
        "{shown}"
    );
    key(&tab, "Escape", "Escape", 27, None);
    let term = css("main a.term[data-term='三重一大']");
    eval(&tab, &format!("{term}.focus(); return true"));
    let shown = wait_for(&tab, "the preview of 三重一大", PREVIEW_STATE);
    eprintln!("{:?} term: {shown}", o.via);
    assert_eq!(shown["title"], "三重一大");
    assert_eq!(shown["text"].as_str(), Some(definition.as_str()));
}

/// Search results preview their clause too, with the status of a regulation not 现行.
fn search_result_previews(o: &Origin) {
    let tab = open_window();
    goto(&tab, &o.url("search.html?q=%E5%85%AC%E5%8A%A1%E5%8D%A1")); // 公务卡
    let hit = css("#search-results a.search-hit");
    wait_for(&tab, "the results for 公务卡", &format!("return {hit}"));
    eval(&tab, &format!("{hit}.focus(); return true"));
    let shown = wait_for(&tab, "the preview of the first result", PREVIEW_STATE);
    eprintln!("{:?} search result: {shown}", o.via);
    assert!(
        shown["title"].as_str().unwrap().ends_with("》六、"),
        "{shown}"
    );
    assert!(
        shown["text"].as_str().unwrap().contains("公务卡"),
        "{shown}"
    );
    assert!(
        shown["status"].is_null(),
        "a 现行 regulation shows no status: {shown}"
    );
    key(&tab, "Escape", "Escape", 27, None);
    // 培训, only 试行.
    goto(&tab, &o.url("search.html?q=%E5%9F%B9%E8%AE%AD&st=1"));
    wait_for(&tab, "the results for 培训", &format!("return {hit}"));
    eval(&tab, &format!("{hit}.focus(); return true"));
    let shown = wait_for(&tab, "the preview of a 试行 result", PREVIEW_STATE);
    assert_eq!(shown["status"], "试行", "{shown}");
}

/// Switch a window to a phone: 390 × 844, touch.
fn phone(tab: &Tab) {
    cdp::<Emulation::SetDeviceMetricsOverride>(
        tab,
        json!({"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true}),
    );
    cdp::<Emulation::SetTouchEmulationEnabled>(tab, json!({"enabled": true, "maxTouchPoints": 1}));
}

/// Tap (touch down and up) the element `element` (a JS expression) at its centre.
fn tap(tab: &Tab, element: &str) {
    let point = wait_for(
        tab,
        &format!("`{element}` to be tappable"),
        &format!(
            r"const el = {element}; if (!el) return null;
            el.scrollIntoView({{ block: 'center' }});
            const r = el.getClientRects()[0]; if (!r) return null;
            return {{ x: r.left + r.width / 2, y: r.top + r.height / 2 }};"
        ),
    );
    cdp::<Input::DispatchTouchEvent>(
        tab,
        json!({"type": "touchStart", "touchPoints": [{"x": point["x"], "y": point["y"]}]}),
    );
    cdp::<Input::DispatchTouchEvent>(tab, json!({"type": "touchEnd", "touchPoints": []}));
}

/// On a phone a tap opens the preview as a sheet at the bottom, the link above it in view; a tap
/// elsewhere closes it.
fn preview_sheet_on_a_phone(o: &Origin) {
    let mut tab = open_window();
    tab.discard(); // its viewport changes
    phone(&tab);
    goto(&tab, &o.url(CAR_PAGE));
    let link = css(CAR_ARTICLE_LINK);
    tap(&tab, &link);
    let shown = wait_for(&tab, "a tap to open the preview", PREVIEW_STATE);
    eprintln!("{:?} tap at 390 px: {shown}", o.via);
    assert!(
        tab.get_url().ends_with(CAR_PAGE),
        "the tap followed the link"
    );
    assert!(shown["cls"].as_str().unwrap().contains("sheet"), "{shown}");
    let f = |v: &Value| v.as_f64().unwrap();
    let (link_box, panel, height) = (&shown["link"], &shown["panel"], f(&shown["height"]));
    assert!(
        f(&link_box[0]) >= 0.0,
        "the link is above the screen: {shown}"
    );
    assert!(
        f(&link_box[1]) <= f(&panel[0]),
        "the sheet hides the link: {shown}"
    );
    assert!(
        (f(&panel[1]) - height).abs() < 1.0,
        "not at the bottom: {shown}"
    );
    assert!(
        f(&panel[2]) <= 0.0 && f(&panel[3]) >= 389.0,
        "not full width: {shown}"
    );
    let clause = clause_head_text(&tab, "sec5");
    assert!(shown["text"].as_str().unwrap().starts_with(&clause));
    // A tap on the page's title, away from link and sheet, closes it.
    tap(&tab, "document.querySelector('main h1')");
    wait_for(
        &tab,
        "a tap elsewhere to close the sheet",
        "return document.getElementById('rb-preview').hidden",
    );
}

/// In print an open preview is not shown, and a reference to a clause reads as text: （见《…》五、）.
#[test]
fn previews_never_print() {
    let o = Origin::new(Via::Http);
    let mut tab = open_window();
    tab.discard(); // its media changes
    goto(&tab, &o.url(CAR_PAGE));
    let link = css(CAR_ARTICLE_LINK);
    eval(&tab, &format!("{link}.focus(); return true"));
    wait_for(&tab, "the preview of 五、", PREVIEW_STATE);
    cdp::<Emulation::SetEmulatedMedia>(&tab, json!({"media": "print"}));
    let printed = eval(
        &tab,
        &format!(
            "const p = document.getElementById('rb-preview'); const a = {link};
             return {{ preview: getComputedStyle(p).display, after: getComputedStyle(a, '::after').content,
                      cite: a.getAttribute('data-cite'), h1: document.querySelector('h1').textContent }}"
        ),
    );
    eprintln!("print: {printed}");
    assert_eq!(printed["preview"], "none", "{printed}");
    let h1 = printed["h1"].as_str().unwrap();
    assert_eq!(printed["cite"], format!("（见《{h1}》五、）"));
    assert_eq!(
        printed["after"],
        format!("\"{}\"", printed["cite"].as_str().unwrap())
    );
}

/// Screenshots of an open preview, at 1366 px (hover) and 390 px (tap): target/screenshots/.
#[test]
fn preview_screenshots() {
    let o = Origin::new(Via::Http);
    let mut tab = open_window();
    tab.discard(); // its viewport changes
    cdp::<Emulation::SetDeviceMetricsOverride>(
        &tab,
        json!({"width": 1366, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
    );
    goto(&tab, &o.url(CAR_PAGE));
    let link = css(CAR_ARTICLE_LINK);
    let point = wait_for(
        &tab,
        "the 第五条 link",
        &format!(
            "const el = {link}; el.scrollIntoView({{ block: 'center' }}); const r = el.getBoundingClientRect();
             return {{ x: r.left + r.width / 2, y: r.top + r.height / 2 }}"
        ),
    );
    cdp::<Input::DispatchMouseEvent>(
        &tab,
        json!({"type": "mouseMoved", "x": point["x"], "y": point["y"]}),
    );
    let shown = wait_for(&tab, "hovering 第五条 to open its preview", PREVIEW_STATE);
    eprintln!("hover at 1366 px: {shown}");
    settle(&tab);
    save_screenshot(&tab, "preview-desktop.png");
    // Moving away closes it.
    cdp::<Input::DispatchMouseEvent>(&tab, json!({"type": "mouseMoved", "x": 5, "y": 5}));
    wait_for(
        &tab,
        "leaving the link to close its preview",
        "return document.getElementById('rb-preview').hidden",
    );

    // A term, a cited law, and a clause with nested items (cut: the 三重一大制度's source, 二、).
    let shots = [
        (
            "preview-term",
            LEADER_RISK_PAGE,
            "main a.term[data-term='三重一大']",
        ),
        ("preview-cite", LEADER_RISK_PAGE, "main a.cite[data-ext]"),
        (
            "preview-nested",
            "glossary.html",
            "main a[href$='sanzhong-yida.html#sec2']",
        ),
    ];
    for (name, page, selector) in shots {
        goto(&tab, &o.url(page));
        let link = css(selector);
        eval(
            &tab,
            &format!(
                "const a = {link}; a.scrollIntoView({{ block: 'center' }}); a.focus(); return true"
            ),
        );
        let shown = wait_for(&tab, &format!("the preview of {selector}"), PREVIEW_STATE);
        eprintln!("{name}: {shown}");
        let (top, bottom) = (
            shown["panel"][0].as_f64().unwrap(),
            shown["panel"][1].as_f64().unwrap(),
        );
        assert!(
            top >= 0.0 && bottom <= shown["height"].as_f64().unwrap(),
            "{name}: the preview leaves the screen: {shown}"
        );
        settle(&tab);
        save_screenshot(&tab, &format!("{name}.png"));
    }

    phone(&tab);
    goto(&tab, &o.url(YINZHANG_PAGE));
    tap(&tab, &css("main a.step-clause"));
    wait_for(&tab, "a tap to open the preview", PREVIEW_STATE);
    settle(&tab);
    save_screenshot(&tab, "preview-phone.png");
}

// ---------------------------------------------------------------------------------------------
// Reading on a desktop and a phone (issue 13)
// ---------------------------------------------------------------------------------------------

const PARTY_PAGE: &str = "regulations/fazhan-dangyuan.html";

/// A window with the viewport of a desktop (1366 × 900) or a phone (390 × 844); discarded after
/// the test, as its viewport changed.
fn sized_window(width: u32, height: u32) -> Window {
    let mut tab = open_window();
    tab.discard();
    cdp::<Emulation::SetDeviceMetricsOverride>(
        &tab,
        json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 700}),
    );
    tab
}

/// On a desktop the page's contents stand beside the text, in the first screen and while
/// scrolling, and mark the section scrolled to; entries are short (number and caption), list the
/// 流程 and 被引用 sections and, for 发展党员, its stages.
fn toc_beside_the_text(o: &Origin) {
    let tab = sized_window(1366, 900);
    goto(&tab, &o.url(FINANCE_PAGE));
    let place = eval(
        &tab,
        "const t = document.querySelector('.page-toc').getBoundingClientRect(); \
         const m = document.querySelector('main').getBoundingClientRect(); \
         return [t.left, t.top, m.right, t.bottom]",
    );
    assert!(
        place[0].as_f64().unwrap() >= place[2].as_f64().unwrap() - 1.0,
        "the contents stand right of the text: {place}"
    );
    assert!(
        place[1].as_f64().unwrap() < 200.0,
        "the contents start in the first screen: {place}"
    );
    let entries: Vec<(String, String)> = serde_json::from_value(eval(
        &tab,
        "return Array.from(document.querySelectorAll('.page-toc a')).map(a => [a.getAttribute('href'), a.textContent])",
    ))
    .unwrap();
    // Short labels, not sentences cut off: 六、现金管理。要严格… reads 六、现金管理.
    for (href, text) in &entries {
        assert!(text.chars().count() <= 20, "{href}: {text:?} is long");
    }
    let six = entries.iter().find(|(h, _)| h == "#sec6").expect("#sec6");
    let sentence = eval_str(
        &tab,
        "return document.querySelector('#sec6 > .clause-head').textContent",
    );
    assert!(
        six.1.ends_with("现金管理") && sentence.starts_with(&format!("{}。", six.1)),
        "{six:?} vs {sentence:?}"
    );
    for section in ["#procedures", "#cited-by"] {
        assert!(
            entries.iter().any(|(h, _)| h == section),
            "{section} in {entries:?}"
        );
    }

    // Scrolled to a section, the contents are still on screen and mark it (one entry,
    // aria-current); at the end of the page, the last section. The sections tried are those that
    // can reach the top of the window.
    let anchors: Vec<String> = serde_json::from_value(eval(
        &tab,
        "const max = document.documentElement.scrollHeight - innerHeight; \
         const ids = Array.from(document.querySelectorAll('.page-toc a')).map(a => a.getAttribute('href').slice(1)); \
         const reach = ids.filter(id => document.getElementById(id).getBoundingClientRect().top + scrollY < max - 50); \
         return [reach[reach.length - 1], reach[1], ids[ids.length - 1]]",
    ))
    .unwrap();
    for (i, anchor) in anchors.iter().enumerate() {
        let to = if i == 2 {
            "window.scrollTo(0, document.documentElement.scrollHeight); return true".to_string()
        } else {
            format!(
                "document.getElementById({}).scrollIntoView({{block: 'start'}}); return true",
                lit(anchor)
            )
        };
        eval(&tab, &to);
        let marked = eval(
            &tab,
            "await new Promise(r => setTimeout(r, 200)); \
             return [Array.from(document.querySelectorAll('.page-toc a.current')).map(a => a.getAttribute('href')), scrollY]",
        );
        wait_for(
            &tab,
            &format!("the contents to mark #{anchor} (marked: {marked})"),
            &format!(
                "const c = document.querySelectorAll('.page-toc a.current'); \
                 return c.length === 1 && c[0].getAttribute('href') === {} \
                   && c[0].getAttribute('aria-current') === 'location'",
                lit(&format!("#{anchor}"))
            ),
        );
        let top = eval(
            &tab,
            "const r = document.querySelector('.page-toc a.current').getBoundingClientRect(); return [r.top, r.bottom, innerHeight]",
        );
        assert!(
            top[0].as_f64().unwrap() >= 0.0 && top[1].as_f64().unwrap() <= top[2].as_f64().unwrap(),
            "#{anchor}'s entry is on screen: {top}"
        );
    }

    // 发展党员: the stages （一）…（五） are headings and entries under 三、.
    goto(&tab, &o.url(PARTY_PAGE));
    let stages: Vec<String> = serde_json::from_value(eval(
        &tab,
        "return Array.from(document.querySelectorAll('.page-toc .toc-stage a')).map(a => a.textContent)",
    ))
    .unwrap();
    assert_eq!(stages.len(), 5, "{stages:?}");
    assert!(
        stages[0].starts_with("（一）") && stages[0].ends_with("阶段"),
        "{stages:?}"
    );
    let heads = eval(
        &tab,
        "return Array.from(document.querySelectorAll('.page-toc .toc-stage a')).map(a => \
           document.getElementById(a.getAttribute('href').slice(1)).querySelector(':scope > .clause-head').tagName)",
    );
    assert!(
        heads.as_array().unwrap().iter().all(|h| h == "H3"),
        "{heads}"
    );
}

/// On a phone the contents and the categories are behind the header's 目录 and 分类 buttons
/// (disclosures); without a script the page keeps them after the text.
fn phone_navigation_behind_buttons(o: &Origin) {
    let tab = sized_window(390, 844);
    goto(&tab, &o.url(FINANCE_PAGE));
    let state = "return Array.from(document.querySelectorAll('.nav-toggle')).map(b => \
                   [b.textContent, b.getAttribute('aria-expanded'), b.offsetParent !== null, \
                    document.getElementById(b.getAttribute('aria-controls')).offsetParent !== null])";
    let closed: Vec<(String, String, bool, bool)> =
        serde_json::from_value(eval(&tab, state)).unwrap();
    assert_eq!(closed.len(), 2, "{closed:?}");
    for (name, expanded, shown, panel) in &closed {
        assert!(
            expanded == "false" && *shown && !panel,
            "{name}: closed at first: {closed:?}"
        );
    }
    // 目录 opens the contents above the text; an entry closes it and goes to its section.
    click(
        &tab,
        "document.querySelector(\".nav-toggle[aria-controls='page-toc']\")",
    );
    let open: Vec<(String, String, bool, bool)> =
        serde_json::from_value(eval(&tab, state)).unwrap();
    assert_eq!(
        (open[0].1.as_str(), open[0].3, open[1].3),
        ("true", true, false),
        "{open:?}"
    );
    let above = eval(
        &tab,
        "return document.getElementById('page-toc').getBoundingClientRect().bottom \
                <= document.querySelector('main h1').getBoundingClientRect().top",
    );
    assert_eq!(above, json!(true));
    click_link(&tab, &css(".page-toc a[href='#sec3']"));
    let after: Vec<(String, String, bool, bool)> =
        serde_json::from_value(eval(&tab, state)).unwrap();
    assert!(!after[0].3 && after[0].1 == "false", "{after:?}");
    // 分类 opens the categories (and closes the contents).
    click(
        &tab,
        "document.querySelector(\".nav-toggle[aria-controls='site-nav']\")",
    );
    let cats: Vec<(String, String, bool, bool)> =
        serde_json::from_value(eval(&tab, state)).unwrap();
    assert!(cats[1].3 && cats[1].1 == "true" && !cats[0].3, "{cats:?}");
    assert_eq!(
        no_horizontal_scroll(&tab),
        json!(true),
        "the page does not scroll sideways"
    );

    // Without a script: no buttons, the navigation stacked after the text.
    cdp::<Emulation::SetScriptExecutionDisabled>(&tab, json!({"value": true}));
    goto(&tab, &o.url(FINANCE_PAGE));
    cdp::<Emulation::SetScriptExecutionDisabled>(&tab, json!({"value": false}));
    let plain = eval(
        &tab,
        "const h = document.querySelector('main h1').getBoundingClientRect(); \
         return [document.querySelector('.nav-toggle').offsetParent === null, \
                 document.getElementById('page-toc').getBoundingClientRect().top > h.bottom, \
                 document.getElementById('site-nav').getBoundingClientRect().top > h.bottom]",
    );
    assert_eq!(plain, json!([true, true, true]));
}

/// Whether the page is no wider than the window.
fn no_horizontal_scroll(tab: &Tab) -> Value {
    eval(
        tab,
        "return document.documentElement.scrollWidth <= innerWidth",
    )
}

/// A risk register takes the width of a desktop (not the 880 px text column), keeps its header row
/// in sight while its rows scroll, and on a phone scrolls sideways in its own box, whose scrollbar
/// is on the screen, with header words kept whole.
fn risk_register_width_and_scrolling(o: &Origin) {
    let tab = sized_window(1366, 900);
    goto(&tab, &o.url(RISK_PAGE));
    let width = eval(
        &tab,
        "return document.querySelector('.risk-table').getBoundingClientRect().width",
    );
    assert!(width.as_f64().unwrap() > 1000.0, "table width {width}");
    let sticky = eval(
        &tab,
        "const w = document.querySelector('.table-wrap'); w.scrollIntoView(); w.scrollTop = 400; \
         await new Promise(r => requestAnimationFrame(r)); \
         return [w.scrollTop, w.getBoundingClientRect().top, \
                 document.querySelector('.risk-table thead').getBoundingClientRect().top]",
    );
    let (scrolled, box_top, head_top) = (
        sticky[0].as_f64().unwrap(),
        sticky[1].as_f64().unwrap(),
        sticky[2].as_f64().unwrap(),
    );
    assert!(
        scrolled > 0.0 && (head_top - box_top).abs() <= 2.0,
        "the header row stays at the top of the scrolled register: {sticky}"
    );

    let tab = sized_window(390, 844);
    goto(&tab, &o.url(RISK_PAGE));
    assert_eq!(no_horizontal_scroll(&tab), json!(true), "page width");
    let phone = eval(
        &tab,
        "const w = document.querySelector('.table-wrap'); const r = w.getBoundingClientRect(); \
         const lines = Array.from(document.querySelectorAll('.risk-table thead th')).map(th => { \
           const range = document.createRange(); range.selectNodeContents(th); \
           return new Set(Array.from(range.getClientRects()).map(q => Math.round(q.top))).size; }); \
         return [w.scrollWidth > w.clientWidth, r.height <= innerHeight, Math.max(...lines), \
                 getComputedStyle(w).backgroundImage.includes('radial-gradient')]",
    );
    assert_eq!(
        phone,
        json!([true, true, 1, true]),
        "[scrolls in its box, box within a screen, lines per header cell, edge shadow]"
    );
}

/// Lists: no 现行 badge (only other states), 原件不全 in a colour of its own; the 依据文件 and 术语
/// pages in pinyin order, without an 引用处 label under each entry.
fn list_pages_badges(o: &Origin) {
    let tab = sized_window(1366, 900);
    goto(&tab, &o.url("index.html"));
    let badges = eval(
        &tab,
        "const shown = s => Array.from(document.querySelectorAll(s)).filter(b => b.offsetParent !== null).length; \
         const probe = document.createElement('span'); probe.className = 'badge status-status_trial'; \
         document.querySelector('.reg-list li').appendChild(probe); \
         const gap = document.querySelector('.reg-list .badge.incomplete'); \
         return [document.querySelectorAll('.reg-list .status-status_current').length > 0, \
                 shown('.reg-list .status-status_current'), shown('.reg-list .status-status_trial') > 0, \
                 !!gap && getComputedStyle(gap).color !== getComputedStyle(probe).color]",
    );
    assert_eq!(
        badges,
        json!([true, 0, true, true]),
        "[现行 in the markup, 现行 shown, 试行 shown, 原件不全 coloured apart]"
    );
    // Pinyin order as Chromium's own collation (ICU, zh-u-co-pinyin) has it, within each group
    // (依据文件 by kind, 术语 by initial); no 引用处： under every entry.
    for (page, label) in [("basis.html", "引用处："), ("glossary.html", "引用处：")] {
        goto(&tab, &o.url(page));
        let order = eval(
            &tab,
            &format!(
                "const c = new Intl.Collator('zh-u-co-pinyin'); let count = 0; const bad = []; \
                 document.querySelectorAll('.ref-list').forEach(dl => {{ \
                   const names = Array.from(dl.querySelectorAll('dt')).map(d => d.id.replace(/^(ext|term)-/, '')); \
                   count += names.length; \
                   names.slice(1).forEach((n, i) => {{ if (c.compare(names[i], n) > 0) bad.push([names[i], n]); }}); }}); \
                 return [count, bad, document.querySelector('main').innerText.includes({})]",
                lit(label)
            ),
        );
        assert!(order[0].as_u64().unwrap() > 5, "{page}: {order}");
        assert_eq!(order[1], json!([]), "{page}: out of pinyin order: {order}");
        assert_eq!(order[2], json!(false), "{page}: {label} repeated");
    }
}

/// The outline starts with the page's `<h1>` (the sidebars' labels are not headings); headings are
/// named by their text, not by the copy control in them; each clause is one tab stop; 404.html is
/// styled when opened from disk.
fn headings_tab_stops_and_404(o: &Origin) {
    let tab = sized_window(1366, 900);
    goto(&tab, &o.url(PARTY_PAGE));
    wait_for(
        &tab,
        "copy controls",
        "return document.querySelectorAll('.copy-link').length > 0",
    );
    let first = eval_str(
        &tab,
        "return document.querySelector('h1, h2, h3, h4, h5, h6').tagName",
    );
    assert_eq!(first, "H1");
    let copy = eval_str(
        &tab,
        "return document.querySelector('meta[name=rulebook-copy-link]').content",
    );
    // The accessible names as axe-core computes them (the accessible-name algorithm).
    load_axe(&tab);
    let names: Vec<String> = serde_json::from_value(eval(
        &tab,
        "axe.setup(document); \
         const n = Array.from(document.querySelectorAll('main h1, main h2, main h3, main h4')) \
           .map(h => axe.commons.text.accessibleText(h)); \
         axe.teardown(); return n",
    ))
    .unwrap();
    assert!(names.len() > 5, "{names:?}");
    assert!(
        names.iter().all(|n| !n.contains(&copy) && !n.is_empty()),
        "heading names: {names:?}"
    );
    assert!(names.iter().any(|n| n == "（一）申请入党阶段"), "{names:?}");
    let stops = eval(
        &tab,
        "return Array.from(document.querySelectorAll('section.clause > .clause-head')).map(h => \
           Array.from(h.querySelectorAll('a.clause-num, button.copy-link')).filter(e => e.tabIndex >= 0).length)",
    );
    let stops = stops.as_array().unwrap();
    assert!(!stops.is_empty());
    assert!(
        stops.iter().all(|n| n == 1),
        "tab stops of the clause controls: {stops:?}"
    );

    goto(&tab, &o.url("404.html"));
    let styled = eval_str(
        &tab,
        "return getComputedStyle(document.querySelector('.site-header')).borderBottomColor",
    );
    assert_ne!(styled, "rgb(0, 0, 0)", "404.html is styled ({:?})", o.via);
    assert_eq!(
        eval(
            &tab,
            "return document.querySelector('.sidebar').offsetParent === null"
        ),
        json!(true)
    );
}

/// Load axe-core (tests/vendor/axe.min.js, MPL-2.0, vendored: the tests run offline) into the page.
fn load_axe(tab: &Tab) {
    static AXE: OnceLock<String> = OnceLock::new();
    let axe = AXE.get_or_init(|| {
        std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vendor/axe.min.js"),
        )
        .expect("tests/vendor/axe.min.js")
    });
    tab.evaluate(axe, false).expect("loading axe");
}

/// axe-core finds no serious or critical problem on each kind
/// of page, at desktop and phone widths.
fn accessibility_check(o: &Origin) {
    let pages = [
        "index.html",
        FINANCE_PAGE,
        RISK_PAGE,
        PAYMENT_CHECKLIST,
        "search.html?q=3000",
    ];
    let mut found = Vec::new();
    for (width, height) in [(1366, 900), (390, 844)] {
        let tab = sized_window(width, height);
        for page in pages {
            goto(&tab, &o.url(page));
            load_axe(&tab);
            let v = eval(
                &tab,
                "const r = await axe.run(document, {resultTypes: ['violations']}); \
                 return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical') \
                   .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' + \
                        v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ') + \
                        (v.nodes.length > 3 ? ' … (' + v.nodes.length + ')' : ''))",
            );
            for line in v.as_array().unwrap() {
                found.push(format!("{page} at {width}px: {}", line.as_str().unwrap()));
            }
        }
    }
    assert!(found.is_empty(), "axe:\n{}", found.join("\n"));
}

/// Screenshots of a regulation and a register page at 1366 and 390 px, light and dark, for a
/// person to look at (target/screenshots/reading-*.png, the first screen only).
#[test]
fn reading_screenshots() {
    let o = Origin::new(Via::Http);
    for (width, height) in [(1366, 900), (390, 844)] {
        for dark in [false, true] {
            let tab = sized_window(width, height);
            cdp::<Emulation::SetEmulatedMedia>(
                &tab,
                json!({"features": [{"name": "prefers-color-scheme", "value": if dark { "dark" } else { "light" }}]}),
            );
            for (name, page) in [("regulation", FINANCE_PAGE), ("register", RISK_PAGE)] {
                goto(&tab, &o.url(page));
                let bg = eval_str(
                    &tab,
                    "return getComputedStyle(document.body).backgroundColor",
                );
                assert_eq!(
                    bg == "rgb(255, 255, 255)",
                    !dark,
                    "{name} {width} dark={dark}: {bg}"
                );
                settle(&tab);
                let scheme = if dark { "dark" } else { "light" };
                save_screenshot(&tab, &format!("reading-{name}-{width}-{scheme}.png"));
            }
            if width < 700 && !dark {
                // The phone's contents opened by the header's 目录 button.
                goto(&tab, &o.url(PARTY_PAGE));
                click(
                    &tab,
                    "document.querySelector(\".nav-toggle[aria-controls='page-toc']\")",
                );
                settle(&tab);
                save_screenshot(&tab, "reading-toc-open-390.png");
            }
        }
    }
}

mod reading {
    use super::*;
    both_origins!(
        toc_beside_the_text,
        phone_navigation_behind_buttons,
        risk_register_width_and_scrolling,
        list_pages_badges,
        headings_tab_stops_and_404,
        accessibility_check,
    );
}

// ---------------------------------------------------------------------------------------------
// Issue 23: checklist storage validated on import and on load; search.html?q=% does not throw
// ---------------------------------------------------------------------------------------------

/// Crafted imports are refused with a message and nothing is saved (`steps: [null]`, a name that is
/// an object, a file over 1 MiB); a damaged stored run does not break the page, is named as damaged
/// and can be deleted from it.
fn checklist_storage_is_validated(o: &Origin) {
    let tab = open_window();
    // A checklist no other browser test opens: the tests share the browser, and so the origin's
    // storage, while they run side by side.
    let url = o.url("checklists/caiwu-zhichu-liucheng-2.html");
    goto(&tab, &url);
    // Runs an earlier test run left for this checklist are removed (this checklist's key only:
    // other tests use the same origin at the same time), and the page opened again.
    open_checklist(&tab, &url);
    eval(
        &tab,
        "localStorage.removeItem('rulebook.checklist.caiwu-zhichu-liucheng-2'); return true",
    );
    open_checklist(&tab, &url);
    let key = "rulebook.checklist.caiwu-zhichu-liucheng-2";
    let attempt = |run: &str| {
        eval(
            &tab,
            &format!(
                "const ok = document.getElementById('checklist').importRun(JSON.stringify({{
                   format: 'rulebook-checklist-run', version: 1,
                   procedure: 'caiwu-zhichu-liucheng-2', title: 't', run: {run} }}));
                 return [ok, document.getElementById('run-message').textContent,
                         localStorage.getItem({})]",
                lit(key)
            ),
        )
    };
    for run in [
        "{ id: 'r1', name: 'x', ticks: {}, steps: [null] }",
        "{ id: 'r2', name: { toString: 1 }, ticks: {} }",
        "{ id: 'r3', name: 'x', ticks: { a: { b: 1 } } }",
        "{ id: { x: 1 }, name: 'x', ticks: {} }",
    ] {
        let got = attempt(run);
        assert_eq!(got[0], json!(false), "{run} was imported: {got}");
        assert_eq!(
            got[1],
            json!("无法导入：文件不是办事清单记录"),
            "{run}: {got}"
        );
        // Nothing of the refused run is stored (the page may have saved its own first run
        // meanwhile: every crafted run here, and only they, is named `x`).
        let stored = got[2].as_str().unwrap_or("");
        assert!(!stored.contains("\"name\":\"x\""), "{run} was saved: {got}");
    }
    let big = eval(
        &tab,
        "const ok = document.getElementById('checklist').importRun('x'.repeat(2 * 1024 * 1024));
         return [ok, document.getElementById('run-message').textContent]",
    );
    assert_eq!(big, json!([false, "无法导入：文件超过 1 MB"]));
    // A well-formed run still imports.
    let good = attempt("{ id: 'r9', name: '好的记录', ticks: {}, answers: {} }");
    assert_eq!(good[0], json!(true), "{good}");

    // A damaged run in storage (as a crafted import of an earlier version left it).
    eval(
        &tab,
        &format!(
            "localStorage.setItem({}, JSON.stringify({{ version: 1, current: 'bad',
               runs: [{{ id: 'bad', name: {{ toString: 1 }}, ticks: {{}}, steps: [null] }},
                      {{ id: 'ok', name: '完好的记录', ticks: {{}}, answers: {{}} }}] }}));
             return true",
            lit(key)
        ),
    );
    open_checklist(&tab, &url);
    let shown = eval(
        &tab,
        "return [Array.from(document.querySelectorAll('#run-select option')).map(o => o.textContent),
                 document.getElementById('run-message').textContent,
                 document.getElementById('progress').textContent]",
    );
    assert_eq!(shown[0], json!(["已损坏的记录 1", "完好的记录"]), "{shown}");
    assert!(
        shown[1].as_str().unwrap().contains("1 条记录已损坏"),
        "{shown}"
    );
    assert_eq!(shown[2], json!("已完成 0/4"));
    // Deleted from the page.
    eval(
        &tab,
        "window.confirm = () => true;
         const s = document.getElementById('run-select');
         s.value = s.options[0].value; s.dispatchEvent(new Event('change'));
         document.getElementById('run-delete').click(); return true",
    );
    let left = eval(
        &tab,
        &format!(
            "return JSON.parse(localStorage.getItem({})).runs.map(r => r.name)",
            lit(key)
        ),
    );
    assert_eq!(left, json!(["完好的记录"]));
}

/// A hand-typed `%` that is no escape: the results page takes it as written instead of throwing.
fn search_page_takes_a_bare_percent(o: &Origin) {
    let tab = open_window();
    goto(&tab, &o.url("search.html?q=%"));
    wait_for(
        &tab,
        "the search page to take `%` as the query",
        "const f = document.querySelector('form.search-page'); return f && f.q.value === '%'",
    );
}
// The preview server (`rulebook serve`) in the browser
// ---------------------------------------------------------------------------------------------

/// A running preview of a copy of the seed handbook, and its folder.
fn preview_server() -> (tempfile::TempDir, rulebook::serve::Server) {
    let dir = tempfile::tempdir().unwrap();
    common::copy_content(dir.path());
    let server = rulebook::serve::Server::start(rulebook::serve::Options {
        root: dir.path().to_path_buf(),
        addr: "127.0.0.1:0".parse().unwrap(),
        encoding: rulebook::content::text::Encoding::Utf8,
    })
    .expect("the preview starts");
    (dir, server)
}

/// Fifty tabs of the preview — an editor's day — all load (a browser opens at most six connections
/// to one server, and each tab used to hold one for its reload channel: the seventh never loaded)
/// and all reload when an edit changes every page; the reload channel is one shared worker's.
#[test]
fn fifty_preview_tabs_load_and_reload() {
    let (dir, server) = preview_server();
    let base = format!("http://{}/", server.addr());
    let pages = [
        "index.html",
        "regulations/caiwu-guanli.html",
        "regulations/huiyi.html",
        "regulations/qingxiaojia.html",
        "categories/caiwu-zichan.html",
        "checklists/index.html",
        "roles/index.html",
        "glossary.html",
        "basis.html",
        "forms.html",
    ];
    let tabs: Vec<Window> = (0..50).map(|_| open_window()).collect();
    for (i, tab) in tabs.iter().enumerate() {
        goto(tab, &format!("{base}{}", pages[i % pages.len()]));
    }
    for tab in &tabs {
        wait_for(
            tab,
            "the reload channel's first state",
            "return document.documentElement.getAttribute('data-rulebook-live')",
        );
        eval(tab, "window.__beforeEdit = true; return true");
    }
    let site = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    let title = text
        .lines()
        .find_map(|l| l.strip_prefix("title:"))
        .expect("a title")
        .trim()
        .trim_matches('"')
        .to_string();
    std::fs::write(&site, text.replacen(&title, "预览改名测试手册", 1)).unwrap();
    for tab in &tabs {
        wait_for(
            tab,
            "the page to reload with the new title",
            "return !window.__beforeEdit && document.readyState === 'complete' && \
             document.querySelector('.site-title').textContent.includes('预览改名测试手册')",
        );
    }
    drop(tabs);
    drop(server);
}

/// A good build with warnings shows each page its own (a banner with file, line and advice) and
/// every warning one click away; a fix takes them away. axe finds nothing serious in them, light
/// or dark.
#[test]
fn preview_warnings_in_the_page() {
    let (dir, server) = preview_server();
    let base = format!("http://{}/", server.addr());
    let file = dir.path().join("content/caiwu-zichan/caiwu-guanli.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let tab = open_window();
    goto(&tab, &format!("{base}regulations/caiwu-guanli.html"));
    wait_for(
        &tab,
        "the reload channel",
        "return document.documentElement.getAttribute('data-rulebook-live')",
    );
    assert!(
        !truthy(&eval(
            &tab,
            "return !!document.getElementById('rulebook-page-warnings')"
        )),
        "no warnings in the seed"
    );
    // A numbering gap (十二、 then 十五、): a warning of this page.
    std::fs::write(&file, format!("{original}\n十五、预览警告测试。\n")).unwrap();
    let banner = wait_for(
        &tab,
        "this page's warning banner",
        "const b = document.getElementById('rulebook-page-warnings'); return b && b.textContent",
    );
    let banner = banner.as_str().unwrap();
    assert!(banner.contains("本页有 1 条警告"), "{banner}");
    assert!(
        banner.contains("content/caiwu-zichan/caiwu-guanli.md:"),
        "file and line: {banner}"
    );
    assert!(banner.contains("建议"), "advice: {banner}");
    // The site-wide list, one click away.
    click(&tab, "document.querySelector('#rulebook-warnings button')");
    let list = wait_for(
        &tab,
        "the site's warnings",
        "const l = document.getElementById('rulebook-warnings-list'); \
         return l && l.style.display === 'block' && l.textContent",
    );
    assert!(list.as_str().unwrap().contains("caiwu-guanli.md"), "{list}");
    settle(&tab);
    save_screenshot(&tab, "preview-warnings.png");
    for dark in [false, true] {
        cdp::<Emulation::SetEmulatedMedia>(
            &tab,
            json!({"features": [{"name": "prefers-color-scheme", "value": if dark { "dark" } else { "light" }}]}),
        );
        load_axe(&tab);
        let v = eval(
            &tab,
            "const r = await axe.run(document.getElementById('rulebook-warnings'), {resultTypes: ['violations']}); \
             const s = await axe.run(document.getElementById('rulebook-page-warnings'), {resultTypes: ['violations']}); \
             return r.violations.concat(s.violations) \
               .filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id)",
        );
        assert_eq!(v, json!([]), "axe, dark={dark}");
    }
    // On another page: the list, not the banner.
    goto(&tab, &format!("{base}regulations/huiyi.html"));
    wait_for(
        &tab,
        "the site's warnings button",
        "return !!document.querySelector('#rulebook-warnings button')",
    );
    assert!(!truthy(&eval(
        &tab,
        "return !!document.getElementById('rulebook-page-warnings')"
    )));
    // Fixed: gone.
    std::fs::write(&file, &original).unwrap();
    wait_for(
        &tab,
        "the warnings to go",
        "return !document.getElementById('rulebook-warnings')",
    );
    let mut tab = tab;
    tab.discard();
    drop(server);
}
/// A long law's page contents fold each 编 under its heading (细目), all folded at first; the part
/// holding the article scrolled to unfolds; axe finds no serious problem with the folds.
#[test]
fn long_law_contents_fold_by_part() {
    let mut body = String::from("---\ntitle: 中华人民共和国长法\n---\n");
    let cn = rulebook::structure::numerals::to_chinese;
    let mut article = 1;
    for book in 1..=3 {
        body.push_str(&format!("第{}编　编名\n\n", cn(book)));
        for chapter in 1..=3 {
            body.push_str(&format!("第{}章　章名\n\n", cn(chapter)));
            for _ in 0..10 {
                body.push_str(&format!("第{}条　条文。\n\n", cn(article)));
                article += 1;
            }
        }
    }
    let dir = common::fixture_site(&[
        ("content/site.yaml", "title: 测试\n"),
        ("content/法律/长法.md", &body),
    ]);
    let out = dir.path().join("public");
    rulebook::Site::new(dir.path())
        .build(Some(&out), false)
        .expect("builds");
    let page = format!(
        "file://{}",
        url_path(&out.join("regulations/法律-长法.html"))
    );
    let tab = sized_window(1366, 900);
    goto(&tab, &page);
    let folds = eval_str(
        &tab,
        "return Array.from(document.querySelectorAll('#page-toc details')) \
           .map(d => (d.open ? 'open ' : 'closed ') + d.querySelectorAll('a').length).join(',')",
    );
    assert_eq!(folds, "closed 33,closed 33,closed 33");
    // 第四十五条 is in the second 编: reading it unfolds that part only.
    goto(&tab, &format!("{page}#art45"));
    wait_for(
        &tab,
        "the second part unfolded",
        "const d = document.querySelectorAll('#page-toc details'); \
         return d[1].open && !d[0].open && !d[2].open",
    );
    load_axe(&tab);
    let v = eval(
        &tab,
        "const r = await axe.run(document, {resultTypes: ['violations']}); \
         return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical') \
           .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))",
    );
    assert_eq!(v, serde_json::json!([]), "axe");
    save_screenshot(&tab, "long-law-contents.png");
}

/// A page open while the preview server is stopped and started again (same address) reloads
/// once the new server answers: its reload channel reconnects by itself, and the new server is
/// known by its tag.
#[test]
fn preview_tab_reloads_after_the_server_restarts() {
    let (dir, server) = preview_server();
    let addr = server.addr();
    let tab = open_window();
    goto(&tab, &format!("http://{addr}/regulations/huiyi.html"));
    wait_for(
        &tab,
        "the reload channel",
        "return document.documentElement.getAttribute('data-rulebook-live')",
    );
    eval(&tab, "window.__beforeRestart = true; return true");
    drop(server);
    let again = rulebook::serve::Server::start(rulebook::serve::Options {
        root: dir.path().to_path_buf(),
        addr,
        encoding: rulebook::content::text::Encoding::Utf8,
    })
    .expect("the preview starts again on the same address");
    wait_for(
        &tab,
        "the page to reload from the new server",
        "return !window.__beforeRestart && document.readyState === 'complete' && \
         !!document.documentElement.getAttribute('data-rulebook-live')",
    );
    drop(again);
}
