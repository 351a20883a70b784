//! The preview's HTTP/1.1 server: a thread per connection, requests parsed with `httparse`.
//!
//! Written for what a preview needs rather than taken from a general server: tiny_http's pool
//! queued a new connection behind a busy one whenever two arrived together (a page's first load
//! then hung on `live.js`), and had no time limit for a request that never finishes. Here:
//! - every connection has a thread of its own, so a held reload channel never delays a request;
//! - a request must arrive whole within [`REQUEST_TIMEOUT`] (a half-open or trickling connection
//!   is closed), an idle kept-alive connection is closed after as long, and writes time out too;
//! - only requests whose `Host` names the bound address are answered (localhost names for
//!   loopback): a page of another site that renames itself to 127.0.0.1 (DNS rebinding) gets 421,
//!   never the preview. A request without a `Host` gets 400.
//! - only GET and HEAD; no request bodies.

use std::io::{Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long a request may take to arrive whole, and how long a kept-alive connection may wait
/// idle for the next one.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a write may block (a client that stopped reading).
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest request head read; a longer one is refused (431).
const MAX_HEAD: usize = 16 * 1024;
/// Connections served at once; more are closed at once (a preview has a handful of tabs, each
/// with at most a few connections, and one reload channel for all of them).
const MAX_CONNECTIONS: usize = 512;

/// A request as the preview sees it.
pub struct Request<'a> {
    /// The path of the URL, query and fragment removed (not yet percent-decoded).
    pub path: &'a str,
}

/// What a request is answered with.
pub enum Reply {
    /// A whole response.
    Data {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
    /// The reload channel: the connection is handed to [`Handler::stream`] after the headers.
    Events,
}

/// What the server asks of the preview.
pub trait Handler: Send + Sync + 'static {
    /// The answer to a request.
    fn reply(&self, request: &Request<'_>) -> Reply;
    /// Write events to `out` until the client goes away or the server stops.
    fn stream(&self, out: &mut TcpStream);
    /// The text sent with a refused request (in the site's language).
    fn refused(&self) -> String;
}

/// A listening server; [`Http::stop`] ends its accept loop.
pub struct Http {
    listener: TcpListener,
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl Http {
    /// Listen on `addr` (port 0: any free port).
    pub fn bind(addr: SocketAddr) -> std::io::Result<Http> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        Ok(Http {
            listener,
            addr,
            stop: Arc::new(AtomicBool::new(false)),
        })
    }

    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A handle that stops the accept loop.
    pub fn stopper(&self) -> Stopper {
        Stopper {
            stop: Arc::clone(&self.stop),
            addr: self.addr,
        }
    }

    /// Accept connections until stopped, each served by a thread of its own.
    pub fn run(self, handler: Arc<dyn Handler>) {
        let open = Arc::new(AtomicUsize::new(0));
        for stream in self.listener.incoming() {
            if self.stop.load(Ordering::Relaxed) {
                return;
            }
            let Ok(stream) = stream else { continue };
            if open.fetch_add(1, Ordering::AcqRel) >= MAX_CONNECTIONS {
                open.fetch_sub(1, Ordering::AcqRel);
                let _ = stream.shutdown(Shutdown::Both);
                continue;
            }
            let (handler, open, bound) = (Arc::clone(&handler), Arc::clone(&open), self.addr);
            std::thread::spawn(move || {
                connection(stream, bound, handler.as_ref());
                open.fetch_sub(1, Ordering::AcqRel);
            });
        }
    }
}

/// Stops a running [`Http`].
pub struct Stopper {
    stop: Arc<AtomicBool>,
    addr: SocketAddr,
}

impl Stopper {
    /// Stop the accept loop; whether it was woken to see it (it then ends, and the port is free).
    pub fn stop(&self) -> bool {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accept loop with a connection of our own.
        let mut to = self.addr;
        if to.ip().is_unspecified() {
            to.set_ip(match to.ip() {
                IpAddr::V4(_) => IpAddr::from([127, 0, 0, 1]),
                IpAddr::V6(_) => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
            });
        }
        TcpStream::connect_timeout(&to, Duration::from_secs(1)).is_ok()
    }
}

/// Serve the requests of one connection, one after another, until it closes, times out or asks
/// to close.
fn connection(mut stream: TcpStream, bound: SocketAddr, handler: &dyn Handler) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let mut buf: Vec<u8> = Vec::with_capacity(2048);
    loop {
        let deadline = Instant::now() + REQUEST_TIMEOUT;
        let head = match read_head(&mut stream, &mut buf, deadline) {
            Head::Complete(len) => len,
            Head::TooLarge => {
                let _ = write_response(
                    &mut stream,
                    431,
                    "text/plain; charset=utf-8",
                    b"",
                    false,
                    false,
                );
                return;
            }
            Head::Closed => return,
        };
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut req = httparse::Request::new(&mut headers);
        let parsed = req.parse(&buf[..head]);
        if !matches!(parsed, Ok(httparse::Status::Complete(_))) {
            let _ = write_response(
                &mut stream,
                400,
                "text/plain; charset=utf-8",
                b"",
                false,
                false,
            );
            return;
        }
        let header = |name: &str| {
            req.headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name))
                .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
        };
        let host = header("host");
        let has_body = header("transfer-encoding").is_some()
            || header("content-length").is_some_and(|n| n != "0");
        let close_asked = header("connection")
            .is_some_and(|c| c.split(',').any(|t| t.trim().eq_ignore_ascii_case("close")));
        let keep_alive = req.version == Some(1) && !close_asked && !has_body;
        let head_only = req.method == Some("HEAD");
        let method_ok = matches!(req.method, Some("GET" | "HEAD"));
        let target = req.path.unwrap_or("/").to_string();
        buf.drain(..head);

        let (status, body) = match &host {
            None => (400, handler.refused()),
            Some(h) if !host_allowed(h, bound) => (421, handler.refused()),
            Some(_) if !method_ok => (405, String::new()),
            Some(_) => (0, String::new()),
        };
        if status != 0 {
            let _ = write_response(
                &mut stream,
                status,
                "text/plain; charset=utf-8",
                body.as_bytes(),
                head_only,
                false,
            );
            return;
        }
        let path = target.split(['?', '#']).next().unwrap_or("/");
        match handler.reply(&Request { path }) {
            Reply::Events => {
                let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                            Cache-Control: no-store\r\nConnection: close\r\n\r\n";
                if stream.write_all(head.as_bytes()).is_ok() && !head_only {
                    handler.stream(&mut stream);
                }
                return;
            }
            Reply::Data {
                status,
                content_type,
                body,
            } => {
                if write_response(
                    &mut stream,
                    status,
                    content_type,
                    &body,
                    head_only,
                    keep_alive,
                )
                .is_err()
                    || !keep_alive
                {
                    return;
                }
            }
        }
    }
}

enum Head {
    /// The head ends at this many bytes into the buffer.
    Complete(usize),
    TooLarge,
    /// The client went away, or did not finish in time.
    Closed,
}

/// Read until `buf` holds a whole request head (up to its blank line), or the deadline passes.
fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>, deadline: Instant) -> Head {
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            return Head::Complete(end + 4);
        }
        if buf.len() > MAX_HEAD {
            return Head::TooLarge;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Head::Closed;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return Head::Closed,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        _ => "",
    }
}

fn write_response(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    head_only: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: {}\r\n\r\n",
        reason(status),
        body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    );
    let mut out = Vec::with_capacity(head.len() + body.len());
    out.extend_from_slice(head.as_bytes());
    if !head_only {
        out.extend_from_slice(body);
    }
    stream.write_all(&out)?;
    stream.flush()
}

/// Whether a `Host` header names the address the server is bound to: the same port, and a name
/// that reaches it — `localhost` names or a loopback address when bound to loopback, that address
/// when bound to one, any address (never a name: DNS can be made to point anywhere) when bound to
/// all of them.
pub fn host_allowed(host: &str, bound: SocketAddr) -> bool {
    let host = host.trim();
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let Some((inside, after)) = rest.split_once(']') else {
            return false;
        };
        (inside, after.strip_prefix(':'))
    } else {
        match host.rsplit_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (host, None),
        }
    };
    let port_ok = match port {
        Some(p) => p.parse::<u16>().is_ok_and(|p| p == bound.port()),
        None => bound.port() == 80,
    };
    if !port_ok {
        return false;
    }
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let localhost = name == "localhost" || name.ends_with(".localhost");
    let ip = name.parse::<IpAddr>().ok();
    let bound_ip = bound.ip();
    if bound_ip.is_loopback() {
        localhost || ip.is_some_and(|ip| ip.is_loopback())
    } else if bound_ip.is_unspecified() {
        localhost || ip.is_some()
    } else {
        ip == Some(bound_ip)
    }
}

#[cfg(test)]
mod tests {
    use super::host_allowed;

    #[test]
    fn only_hosts_naming_the_bound_address_are_answered() {
        let lo = "127.0.0.1:1111".parse().unwrap();
        for ok in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST:1111",
            "preview.localhost:1111",
            "[::1]:1111",
        ] {
            assert!(host_allowed(ok, lo), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "127.0.0.1",
            "127.0.0.1:80",
            "localhost:2222",
            "10.0.0.5:1111",
            "[::1",
            "",
            "localhost.evil.example:1111",
        ] {
            assert!(!host_allowed(bad, lo), "{bad}");
        }
        let all = "0.0.0.0:1111".parse().unwrap();
        assert!(host_allowed("192.168.1.20:1111", all));
        assert!(host_allowed("localhost:1111", all));
        assert!(!host_allowed("intranet.example:1111", all));
        let one = "192.168.1.20:1111".parse().unwrap();
        assert!(host_allowed("192.168.1.20:1111", one));
        assert!(!host_allowed("192.168.1.21:1111", one));
        assert!(!host_allowed("rebind.example:1111", one));
    }
}
