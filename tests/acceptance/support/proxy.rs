//! A recording TCP proxy in front of a Halo (halo-sim here): every HTTP request
//! that passes is noted (method and target), whatever its path, so a test can say
//! what a process that knew only the proxy's URL sent, control paths (`/__...`)
//! included, which halo-sim's own journal leaves out.
//!
//! Bytes are forwarded as they come, both ways; only the client's side is parsed,
//! to find each request's head and skip its body (`Content-Length`). A chunked
//! request body ends the parsing of that connection (it is still forwarded), which
//! is noted as a request to `?chunked`.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// One request seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub method: String,
    /// The request target as sent: path and query.
    pub target: String,
}

/// The proxy; it runs until the test process ends.
pub struct Proxy {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Proxy {
    /// A proxy on a free loopback port forwarding to `upstream`
    /// (`http://127.0.0.1:PORT`).
    pub fn start(upstream: &str) -> Proxy {
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let url = format!(
            "http://{}",
            listener.local_addr().expect("the proxy's address")
        );
        let seen = Arc::new(Mutex::new(Vec::new()));
        let noted = Arc::clone(&seen);
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let upstream = upstream.clone();
                let noted = Arc::clone(&noted);
                std::thread::spawn(move || relay(client, &upstream, &noted));
            }
        });
        Proxy { url, seen }
    }

    /// The proxy's base URL, to give a process instead of the upstream's.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// Every request seen so far, in order of arrival per connection.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

fn relay(mut client: TcpStream, upstream: &str, seen: &Mutex<Vec<Seen>>) {
    let Ok(mut server) = TcpStream::connect(upstream) else {
        return;
    };
    let (Ok(mut client_back), Ok(mut server_read)) = (client.try_clone(), server.try_clone())
    else {
        return;
    };
    let back = std::thread::spawn(move || {
        let _ = std::io::copy(&mut server_read, &mut client_back);
        let _ = client_back.shutdown(Shutdown::Write);
    });
    let mut parser = Parser::default();
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = match client.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        for request in parser.feed(&buf[..n]) {
            if let Ok(mut all) = seen.lock() {
                all.push(request);
            }
        }
        if server.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = server.shutdown(Shutdown::Write);
    let _ = back.join();
}

/// Finds request heads in the client's byte stream.
#[derive(Default)]
struct Parser {
    head: Vec<u8>,
    /// Body bytes of the current request still to skip.
    body_left: usize,
    /// A chunked body was seen: stop parsing.
    lost: bool,
}

impl Parser {
    fn feed(&mut self, mut bytes: &[u8]) -> Vec<Seen> {
        let mut found = Vec::new();
        while !bytes.is_empty() && !self.lost {
            if self.body_left > 0 {
                let skip = self.body_left.min(bytes.len());
                self.body_left -= skip;
                bytes = &bytes[skip..];
                continue;
            }
            self.head.push(bytes[0]);
            bytes = &bytes[1..];
            if !self.head.ends_with(b"\r\n\r\n") {
                continue;
            }
            let head = String::from_utf8_lossy(&self.head).into_owned();
            self.head.clear();
            let mut lines = head.split("\r\n");
            let mut first = lines.next().unwrap_or("").split_whitespace();
            let method = first.next().unwrap_or("").to_owned();
            let target = first.next().unwrap_or("").to_owned();
            if method.is_empty() {
                continue;
            }
            for line in lines {
                let Some((name, value)) = line.split_once(':') else {
                    continue;
                };
                let name = name.trim().to_ascii_lowercase();
                if name == "content-length" {
                    self.body_left = value.trim().parse().unwrap_or(0);
                } else if name == "transfer-encoding"
                    && value.to_ascii_lowercase().contains("chunked")
                {
                    self.lost = true;
                }
            }
            found.push(Seen { method, target });
            if self.lost {
                found.push(Seen {
                    method: "?".into(),
                    target: "?chunked".into(),
                });
            }
        }
        found
    }
}
