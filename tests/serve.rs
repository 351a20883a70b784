//! The preview server (`rulebook serve`, src/serve/) on a copy of the seed handbook in a
//! temporary folder: an edit is rebuilt and announced on the reload channel, the new page is
//! served; a broken edit is announced with its diagnostics while the last good page is still
//! served; nothing outside the build is reachable.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use rulebook::serve::{Options, Server};
use serde_json::Value;

/// A raw GET (no client normalises the path): status and body.
fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
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
    assert!(page.contains("<script src=\"/__rulebook/live.js\"></script></body>"));
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
    assert_eq!(full_page, quick_page);
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
