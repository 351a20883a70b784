//! The preview server (`rulebook serve`, src/serve/) on a copy of the seed handbook in a
//! temporary folder: an edit is rebuilt and announced on the reload channel, the new page is
//! served; a broken edit is announced with its diagnostics while the last good page is still
//! served; nothing outside the build is reachable.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::common::served::{Running, get};
use rulebook::serve::{Options, Server};
use serde_json::Value;

/// A served page without the reload script's tag (which names the publication it was served
/// from).
fn without_live(page: &str) -> String {
    match page.find("<script src=\"/__rulebook/live.js\"") {
        Some(at) => {
            let end = at + page[at..].find("</script>").unwrap() + "</script>".len();
            format!("{}{}", &page[..at], &page[end..])
        }
        None => page.to_string(),
    }
}

/// The reload channel, read as a client would.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        write!(s, "GET /__rulebook/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        Events {
            reader: BufReader::new(s),
        }
    }

    /// The next `build` event's data.
    fn next_build(&mut self) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut line = String::new();
        while Instant::now() < deadline {
            line.clear();
            if self.reader.read_line(&mut line).unwrap_or(0) == 0 {
                panic!("the reload channel closed");
            }
            if let Some(data) = line.trim_end().strip_prefix("data: ") {
                return serde_json::from_str(data).expect("JSON state");
            }
        }
        panic!("no build event within 20 s");
    }

    /// The next event of a full build (the quick updates before it passed over).
    fn next_complete(&mut self) -> Value {
        loop {
            let e = self.next_build();
            if e["complete"] == true {
                return e;
            }
        }
    }
}

/// The pages a build event says it changed (`None`: all).
fn changed(event: &Value) -> Option<Vec<String>> {
    event["changed"]
        .as_array()
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
}

#[test]
fn edits_are_rebuilt_announced_and_served() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_content(dir.path());
    let server = Server::start(Options {
        root: dir.path().to_path_buf(),
        addr: "127.0.0.1:0".parse().unwrap(),
        encoding: rulebook::content::text::Encoding::Utf8,
    })
    .expect("server starts");
    let addr = server.addr();
    let mut events = Events::open(addr);
    let first = events.next_build();
    assert_eq!(first["failed"], false, "{first}");
    let generation = first["generation"].as_u64().unwrap();

    // The page is served with the reload script; the built page itself has none (see below).
    let (status, page) = get(addr, "/regulations/caiwu-guanli.html");
    assert_eq!(status, 200);
    assert!(
        common::html_text(&page).contains("出纳方可付款"),
        "the seed's text"
    );
    let tag = page
        .find("<script src=\"/__rulebook/live.js\"")
        .expect("the reload script");
    assert!(page[tag..].contains("></script></body>"));
    let (status, script) = get(addr, "/__rulebook/live.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));

    // An edit of the text is shown at once by the quick path — the edited page alone, announced
    // as changing that page only — and served.
    let file = dir.path().join("content/caiwu-zichan/caiwu-guanli.md");
    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{original}\n预览时新加的一句话。\n")).unwrap();
    let next = events.next_build();
    assert_eq!(next["failed"], false, "{next}");
    assert_eq!(
        next["complete"], false,
        "the quick update comes first: {next}"
    );
    assert!(next["generation"].as_u64().unwrap() > generation);
    assert_eq!(
        changed(&next).unwrap(),
        ["regulations/caiwu-guanli.html"],
        "{next}"
    );
    let (_, quick_page) = get(addr, "/regulations/caiwu-guanli.html");
    assert!(
        quick_page.contains("预览时新加的一句话。"),
        "the edit is served"
    );
    // The full build follows. Its page is byte for byte the quick one (so it is not announced
    // again and the editor's page does not reload twice); what else it changed is listed.
    let full = events.next_complete();
    assert_eq!(full["failed"], false, "{full}");
    let also = changed(&full).expect("a few pages, listed");
    assert!(
        !also.contains(&"regulations/caiwu-guanli.html".to_string()),
        "{also:?}"
    );
    assert!(also.contains(&"print.html".to_string()), "{also:?}");
    let (_, full_page) = get(addr, "/regulations/caiwu-guanli.html");
    assert_eq!(without_live(&full_page), without_live(&quick_page));
    let (_, print) = get(addr, "/print.html");
    assert!(
        print.contains("预览时新加的一句话。"),
        "the print page caught up"
    );

    // A reference written out that points nowhere is the editor's error: the quick path shows it
    // over the page at once, and the full build confirms it; the last good page stays.
    std::fs::write(
        &file,
        format!("{original}\n详见[不存在的条](@caiwu-guanli#art99)。\n"),
    )
    .unwrap();
    let quick_error = events.next_build();
    assert_eq!(quick_error["failed"], true, "{quick_error}");
    assert_eq!(quick_error["complete"], false, "{quick_error}");
    assert!(
        quick_error["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "RB039"),
        "{quick_error}"
    );
    let full_error = events.next_complete();
    assert_eq!(full_error["failed"], true, "{full_error}");
    let (_, page) = get(addr, "/regulations/caiwu-guanli.html");
    assert!(page.contains("预览时新加的一句话。"), "the last good page");

    // A broken front-matter is not the quick path's: the full build announces it with the file
    // and line; the last good page stays.
    let broken = original.replacen("title:", "title: [unclosed\nx:", 1);
    std::fs::write(&file, broken).unwrap();
    let failed = events.next_build();
    assert_eq!(failed["complete"], true, "{failed}");
    assert_eq!(failed["failed"], true, "{failed}");
    let diags = failed["diagnostics"].as_array().unwrap();
    assert!(
        diags.iter().any(|d| d["severity"] == "error"
            && d["path"].as_str().unwrap().ends_with("caiwu-guanli.md")
            && d["line"].as_u64().unwrap() >= 2),
        "{diags:?}"
    );
    assert!(
        failed["strings"]["preview_failed"]
            .as_str()
            .unwrap()
            .contains("构建失败")
    );
    let (status, page) = get(addr, "/regulations/caiwu-guanli.html");
    assert_eq!(status, 200);
    assert!(page.contains("预览时新加的一句话。"), "the last good page");

    // Fixed again: the page follows.
    std::fs::write(&file, &original).unwrap();
    let fixed = events.next_complete();
    assert_eq!(fixed["failed"], false, "{fixed}");
    let (_, page) = get(addr, "/regulations/caiwu-guanli.html");
    assert!(!page.contains("预览时新加的一句话。"));

    // Only files of the build: no way out of it.
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc", dir.path().join("content/etc-link")).ok();
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/regulations/..%2f..%2fCargo.toml",
        "/content/caiwu-zichan/caiwu-guanli.md",
        "/content/etc-link/passwd",
        "/etc-link/passwd",
    ] {
        let (status, body) = get(addr, path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("root:"), "{path}");
    }
    drop(server);
}

#[test]
fn built_pages_carry_no_preview_script() {
    let out = common::seed_site();
    for (path, bytes) in common::all_files(out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__rulebook"),
            "{path}"
        );
    }
}

/// `serve --encoding gb18030` previews a file saved as GBK (by WPS or older Word) as `build` reads
/// it; without it the preview shows RB012, in the site's language, over the page.
#[test]
fn a_gb18030_file_previews_with_the_encoding_given() {
    let (gb, _, _) = encoding_rs::GB18030.encode("---\ntitle: 财务制度\n---\n\n一、经办人签字。\n");
    let dir = common::fixture_site(&[("content/site.yaml", "title: 测试\n")]);
    std::fs::create_dir_all(dir.path().join("content/caiwu")).unwrap();
    std::fs::write(dir.path().join("content/caiwu/caiwu.md"), &gb).unwrap();
    for (encoding, ok) in [
        (rulebook::content::text::Encoding::Gb18030, true),
        (rulebook::content::text::Encoding::Utf8, false),
    ] {
        let server = Server::start(Options {
            root: dir.path().to_path_buf(),
            addr: "127.0.0.1:0".parse().unwrap(),
            encoding,
        })
        .expect("server starts");
        let mut events = Events::open(server.addr());
        let first = events.next_build();
        assert_eq!(first["failed"], !ok, "{first}");
        if ok {
            let (status, page) = get(server.addr(), "/regulations/caiwu-caiwu.html");
            assert_eq!(status, 200);
            assert!(common::html_text(&page).contains("经办人签字"), "{page}");
        } else {
            let d = &first["diagnostics"][0];
            assert_eq!(d["code"], "RB012", "{first}");
            assert!(
                d["message"].as_str().unwrap().contains("GB18030/GBK"),
                "{d}"
            );
        }
        drop(server);
    }
}

/// The quick path gives what a full build gives, for every regulation of the seed: each in turn
/// gets a sentence citing an article of its own and another regulation, and after each edit the
/// model the quick path edited has the references and duties a full load of the edited handbook
/// has, and the quick page and preview file are the bytes the full model renders. The edits add
/// up, as an editor's do while the server runs.
#[test]
fn the_quick_path_agrees_with_a_full_build_on_every_seed_regulation() {
    use rulebook::output::write::Collect;
    use rulebook::serve::quick;
    let dir = tempfile::tempdir().unwrap();
    common::copy_content(dir.path());
    let mut site = rulebook::Site::new(dir.path());
    site.render_into(&Collect::default())
        .expect("the seed builds");
    let mut warm = quick::Warm {
        library: site.library.take().unwrap(),
        theme: site.theme.take().unwrap(),
        index: site.index.take().unwrap(),
    };
    let sources: Vec<(String, std::path::PathBuf)> = warm
        .library
        .regulations
        .iter()
        .map(|r| (r.id.clone(), dir.path().join(&r.source.path)))
        .collect();
    assert_eq!(sources.len(), 24);
    for (id, path) in &sources {
        let original = std::fs::read_to_string(path).unwrap();
        std::fs::write(
            path,
            format!("{original}\n本条所称事项，见本办法第一条和《市委保密办财务管理制度》。\n"),
        )
        .unwrap();
        let q = quick::apply(
            dir.path(),
            rulebook::content::text::Encoding::Utf8,
            &mut warm,
            std::slice::from_ref(path),
        )
        .unwrap_or_else(|| panic!("{id}: a body edit takes the quick path"));
        assert!(q.diagnostics.iter().all(|d| !d.is_error()), "{id}");
        assert_eq!(q.regulations, std::slice::from_ref(id));

        let mut full = rulebook::Site::new(dir.path());
        full.load().expect("the edited seed loads");
        let lib = full.library.as_ref().unwrap();
        assert_eq!(warm.library.references, lib.references, "{id}");
        assert_eq!(warm.library.duties, lib.duties, "{id}");
        let sink = Collect::default();
        rulebook::render::regulation_alone(lib, &warm.theme, lib.position(id).unwrap(), &sink)
            .unwrap();
        let files = sink.into_files();
        assert_eq!(files.len(), 2, "{id}: the page and its preview file");
        for f in files {
            assert!(
                q.files.get(&f.path).is_some_and(|b| b[..] == f.bytes[..]),
                "{id}: {} differs from the full build's",
                f.path
            );
        }
    }
    // Not the quick path's: a front-matter edit, a new file, site.yaml.
    let (_, first) = &sources[0];
    let text = std::fs::read_to_string(first).unwrap();
    std::fs::write(first, text.replacen("title:", "summary: 新摘要\ntitle:", 1)).unwrap();
    let new = dir.path().join("content/caiwu-zichan/xin.md");
    std::fs::write(&new, "---\ntitle: 新制度\n---\n第一条　甲。\n").unwrap();
    let site_yaml = dir.path().join("content/site.yaml");
    for changed in [first, &new, &site_yaml] {
        assert!(
            quick::apply(
                dir.path(),
                rulebook::content::text::Encoding::Utf8,
                &mut warm,
                std::slice::from_ref(changed),
            )
            .is_none(),
            "{}",
            changed.display()
        );
    }
}

/// The README's own command, from the site folder: edits in place and by renaming a temporary
/// file over the original are served within 2 s; so are edits after `content/` was moved away
/// and back, and after it was replaced by a copy (a backup restored). Before the root was
/// canonicalised, the watcher compared its events with `./content` and ignored every save.
#[test]
fn serve_from_the_site_folder_follows_every_kind_of_save() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_content(dir.path());
    let server = Running::start(dir.path(), &[]);
    let page = "/regulations/caiwu-guanli.html";
    let file = dir.path().join("content/caiwu-zichan/caiwu-guanli.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let within = Duration::from_secs(2);
    assert!(
        server.shows(page, "出纳方可付款", Duration::from_secs(60)),
        "first build: {}",
        server.state()
    );

    // In place.
    std::fs::write(&file, format!("{original}\n就地保存的一句。\n")).unwrap();
    assert!(server.shows(page, "就地保存的一句。", within), "in place");

    // A temporary file renamed over the original (as most editors save).
    let tmp = dir.path().join("content/caiwu-zichan/.caiwu-guanli.md.swp");
    std::fs::write(&tmp, format!("{original}\n改名保存的一句。\n")).unwrap();
    std::fs::rename(&tmp, &file).unwrap();
    assert!(
        server.shows(page, "改名保存的一句。", within),
        "renamed over"
    );

    // content/ moved away (the build fails: there is nothing to build) and back (a full build).
    let away = tempfile::tempdir().unwrap();
    let moved = away.path().join("content");
    let before = server.settled_after(0)["generation"].as_u64().unwrap();
    std::fs::rename(dir.path().join("content"), &moved).unwrap();
    let gone = server.failed_after(before)["generation"].as_u64().unwrap();
    std::fs::rename(&moved, dir.path().join("content")).unwrap();
    let back = server.settled_after(gone)["generation"].as_u64().unwrap();
    std::fs::write(&file, format!("{original}\n搬回之后的一句。\n")).unwrap();
    assert!(server.shows(page, "搬回之后的一句。", within), "moved back");

    // content/ removed and replaced by another folder (a backup restored).
    let settled = server.settled_after(back)["generation"].as_u64().unwrap();
    let backup = dir.path().join("backup");
    common::copy_content(&backup);
    std::fs::remove_dir_all(dir.path().join("content")).unwrap();
    std::fs::rename(backup.join("content"), dir.path().join("content")).unwrap();
    server.settled_after(settled);
    std::fs::write(&file, format!("{original}\n恢复备份之后的一句。\n")).unwrap();
    assert!(
        server.shows(page, "恢复备份之后的一句。", within),
        "restored"
    );
}

/// A preview started before `content/` exists watches for it, and serves the handbook once it is
/// created.
#[test]
fn serve_waits_for_content_created_after_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let server = Running::start(dir.path(), &[]);
    let staging = tempfile::tempdir().unwrap();
    common::copy_content(staging.path());
    std::fs::rename(staging.path().join("content"), dir.path().join("content")).unwrap();
    assert!(
        server.shows(
            "/regulations/caiwu-guanli.html",
            "出纳方可付款",
            Duration::from_secs(60)
        ),
        "content created after the start"
    );
}

/// Only a `Host` naming the bound address is answered (a DNS-rebinding page gets 421, a request
/// without one 400), and a connection that never finishes its request is closed.
#[test]
fn serve_answers_only_its_own_host_and_drops_unfinished_requests() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_content(dir.path());
    let server = Running::start(dir.path(), &[]);
    assert!(server.shows(
        "/regulations/caiwu-guanli.html",
        "出纳方可付款",
        Duration::from_secs(60)
    ));
    let raw = |request: &str| {
        let mut s = TcpStream::connect(server.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).to_string()
    };
    let port = server.addr.port();
    for (host, ok) in [
        (format!("127.0.0.1:{port}"), true),
        (format!("localhost:{port}"), true),
        (format!("evil.example:{port}"), false),
        (format!("127.0.0.1:{}", port.wrapping_add(1)), false),
    ] {
        let answer = raw(&format!(
            "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ));
        let status = answer.split(' ').nth(1).unwrap_or("");
        assert_eq!(status == "200", ok, "{host}: {answer:.80}");
        if !ok {
            assert_eq!(status, "421", "{host}");
            assert!(answer.contains("此预览只回应"), "in the site's language");
            assert!(!answer.contains("财务"), "no page text");
        }
    }
    let answer = raw("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer:.80}");

    // Half a request, then silence: the server closes the connection (its timeout is 10 s).
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: ").unwrap();
    let started = Instant::now();
    let mut out = Vec::new();
    let n = s.read_to_end(&mut out).unwrap_or(0);
    assert_eq!(n, 0, "nothing answered");
    assert!(
        started.elapsed() < Duration::from_secs(25),
        "closed, not held"
    );
}

/// A regulation marked `draft: true` is no longer served at once, even when the build that
/// noticed it fails for another reason (issue 23): its page, its preview file, the print edition
/// and the search index go; pages that neither link to it nor quote it stay.
#[test]
fn a_regulation_withheld_in_a_failing_build_is_no_longer_served() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_content(dir.path());
    let server = Server::start(Options {
        root: dir.path().to_path_buf(),
        addr: "127.0.0.1:0".parse().unwrap(),
        encoding: rulebook::content::text::Encoding::Utf8,
    })
    .expect("server starts");
    let addr = server.addr();
    let mut events = Events::open(addr);
    assert_eq!(events.next_build()["failed"], false);
    let page = "/regulations/caiwu-guanli.html";
    assert_eq!(get(addr, page).0, 200);
    let (_, other) = get(addr, "/regulations/qingxiaojia.html");
    assert!(
        !other.contains("caiwu-guanli"),
        "a page that does not link to it"
    );

    let draft = dir.path().join("content/caiwu-zichan/caiwu-guanli.md");
    let text = std::fs::read_to_string(&draft).unwrap();
    std::fs::write(&draft, text.replacen("title:", "draft: true\ntitle:", 1)).unwrap();
    let broken = dir.path().join("content/xingzheng-shiwu/qingxiaojia.md");
    let text = std::fs::read_to_string(&broken).unwrap();
    std::fs::write(&broken, text.replacen("title:", "title: [unclosed\nx:", 1)).unwrap();
    loop {
        let e = events.next_complete();
        if e["failed"] == true {
            break;
        }
    }
    for gone in [
        page,
        "/preview/r/caiwu-guanli.js",
        "/print.html",
        "/categories/caiwu-zichan.html",
    ] {
        let (status, body) = get(addr, gone);
        assert_eq!(status, 404, "{gone}");
        assert!(!body.contains("出纳方可付款"), "{gone}");
    }
    assert_eq!(get(addr, "/regulations/qingxiaojia.html").0, 200);
    drop(server);
}

/// `build --format json` prints JSON when the build fails too: the diagnostics that stopped it.
#[test]
fn build_format_json_on_failure() {
    let dir = common::fixture_site(&[
        ("content/site.yaml", "title: 测试\n"),
        (
            "content/caiwu/a.md",
            "---\ntitle: [unclosed\n---\n\n一、甲。\n",
        ),
    ]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .current_dir(dir.path())
        .args(["build", "--format", "json"])
        .output()
        .expect("rulebook runs");
    assert!(!out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(json["failed"], true, "{json}");
    assert!(json["errors"].as_u64().unwrap() >= 1, "{json}");
    assert!(
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["path"] == "content/caiwu/a.md"),
        "{json}"
    );
}
