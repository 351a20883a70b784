//! `rulebook serve` as a client sees it: a raw HTTP GET, the server started as the README says
//! (a child process in the site folder) and its build state polled.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A raw GET (no client normalises the path): status and body as text.
pub fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let (status, body) = get_bytes(addr, path);
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// A raw GET (no client normalises the path): status and body bytes.
pub fn get_bytes(addr: SocketAddr, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(raw.len(), |at| at + 4);
    let head = String::from_utf8_lossy(&raw[..end]);
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, raw[end..].to_vec())
}

/// `rulebook serve` as the README writes it, run by a child process from the site folder.
pub struct Running {
    pub child: std::process::Child,
    pub addr: SocketAddr,
}

impl Running {
    /// Start `rulebook serve --port 0 [args]` with `dir` as the current folder (no `--root`), and
    /// read the address it prints.
    pub fn start(dir: &std::path::Path, args: &[&str]) -> Running {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
            .current_dir(dir)
            .args(["serve", "--port", "0"])
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("rulebook serve runs");
        let mut line = String::new();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        out.read_line(&mut line).unwrap();
        // Read the rest as it comes: the server's later lines must not meet a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Running { child, addr }
    }

    /// The server's build state (`/__rulebook/state`).
    pub fn state(&self) -> Value {
        let (status, body) = get(self.addr, "/__rulebook/state");
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).expect("JSON state")
    }

    /// Poll the state until a publication newer than `generation` is a good full build (a full
    /// build is slow in a debug binary: the timeout is generous, the edits after it are not).
    pub fn settled_after(&self, generation: u64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let s = self.state();
            if s["generation"].as_u64().unwrap() > generation
                && s["failed"] == false
                && s["complete"] == true
            {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "no good build after {generation}: {s}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Poll until the last publication failed, after `generation`.
    pub fn failed_after(&self, generation: u64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let s = self.state();
            if s["generation"].as_u64().unwrap() > generation && s["failed"] == true {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "no failed build after {generation}: {s}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Poll `path` until its text contains `marker` (true) or `timeout` passes (false).
    pub fn shows(&self, path: &str, marker: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            let (status, body) = get(self.addr, path);
            if status == 200 && super::html_text(&body).contains(marker) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::yield_now();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
