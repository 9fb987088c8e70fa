//! A minimal HTTP/1.1 server on 127.0.0.1 for transport tests.
//!
//! Each accepted connection reads one request head, hands its request line
//! to the test's handler and writes whatever [`Reply`] the handler chose,
//! including deliberately broken ones.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// What the server does with one request.
pub enum Reply {
    /// A complete response with `Content-Length`.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Sends `Content-Length: declared` but only `body`, then closes.
    CutShort { declared: usize, body: Vec<u8> },
    /// A body of `bytes` bytes without `Content-Length`, streamed until the
    /// client hangs up.
    Endless { bytes: u64 },
    /// Accepts and never answers (holds the connection for `hold`).
    Silent { hold: Duration },
}

impl Reply {
    pub fn ok(body: impl Into<Vec<u8>>) -> Reply {
        Reply::Full {
            status: 200,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn status(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Full {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }
}

/// A running server; its thread ends with the test process.
pub struct Server {
    pub addr: SocketAddr,
    /// Request head of every request received: request line, then headers.
    pub requests: Arc<Mutex<Vec<Vec<String>>>>,
}

impl Server {
    pub fn start(handler: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let handler = Arc::new(handler);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let seen = Arc::clone(&seen);
                let handler = Arc::clone(&handler);
                thread::spawn(move || serve(stream, &*handler, &seen));
            }
        });
        Server { addr, requests }
    }

    /// The API root on this server.
    pub fn base_url(&self) -> String {
        format!("http://{}/api/", self.addr)
    }

    pub fn request_lines(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter_map(|r| r.first().cloned())
            .collect()
    }

    /// The value of header `name` in the first request.
    pub fn first_header(&self, name: &str) -> Option<String> {
        let requests = self.requests.lock().unwrap();
        let prefix = format!("{}:", name.to_ascii_lowercase());
        requests.first()?.iter().find_map(|line| {
            line.to_ascii_lowercase()
                .starts_with(&prefix)
                .then(|| line[prefix.len()..].trim().to_owned())
        })
    }
}

fn serve(stream: TcpStream, handler: &dyn Fn(&str) -> Reply, seen: &Mutex<Vec<Vec<String>>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end().to_owned();
        if line.is_empty() {
            break;
        }
        head.push(line);
    }
    let request_line = head.first().cloned().unwrap_or_default();
    seen.lock().unwrap().push(head);
    let mut stream = stream;
    // Write errors mean the client hung up, which some tests cause on purpose.
    let _ = match handler(&request_line) {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let mut out = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
            out.push_str("\r\n");
            stream
                .write_all(out.as_bytes())
                .and_then(|()| stream.write_all(&body))
        }
        Reply::CutShort { declared, body } => {
            let out = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n"
            );
            stream
                .write_all(out.as_bytes())
                .and_then(|()| stream.write_all(&body))
        }
        Reply::Endless { bytes } => {
            let head = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n";
            let chunk = vec![b'x'; 64 * 1024];
            let mut sent = 0u64;
            let mut result = stream.write_all(head.as_bytes());
            while result.is_ok() && sent < bytes {
                result = stream.write_all(&chunk);
                sent += chunk.len() as u64;
            }
            result
        }
        Reply::Silent { hold } => {
            thread::sleep(hold);
            Ok(())
        }
    };
}
