//! Plugging in an HTTP stack of your own.
//!
//! A transport is any closure from `http::Request<Vec<u8>>` to
//! `http::Response<Vec<u8>>`. This one speaks plain HTTP/1.1 over
//! `std::net::TcpStream` in about forty lines; a real program would wrap
//! reqwest, ureq or its company's HTTP client the same way.
//!
//! To run offline, the example starts a stand-in for the API on 127.0.0.1
//! that answers `infocon` from a recorded body.
//!
//! ```sh
//! cargo run --example own_http_stack
//! ```

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

use dshield::Client;
use dshield::endpoints::Infocon;
use http::{Request, Response};

/// Refuse answers larger than this, as any transport should.
const MAX_BODY: u64 = 4 * 1024 * 1024;

/// A minimal HTTP/1.1 client: one request per connection, `Connection: close`.
fn send_over_tcp(request: Request<Vec<u8>>) -> io::Result<Response<Vec<u8>>> {
    let uri = request.uri();
    let host = uri
        .host()
        .ok_or_else(|| io::Error::other("no host in the URI"))?;
    let port = uri.port_u16().unwrap_or(80);
    let target = uri.path_and_query().map_or("/", |p| p.as_str());

    let mut stream = TcpStream::connect((host, port))?;
    let mut head = format!(
        "{} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n",
        request.method()
    );
    for (name, value) in request.headers() {
        let value = value.to_str().map_err(io::Error::other)?;
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;

    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line)?;
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| io::Error::other(format!("bad status line {status_line:?}")))?;
    let mut response = Response::builder().status(status);
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            response = response.header(name.trim(), value.trim());
        }
    }
    let mut body = Vec::new();
    reader.take(MAX_BODY + 1).read_to_end(&mut body)?;
    if body.len() as u64 > MAX_BODY {
        return Err(io::Error::other("answer larger than the cap"));
    }
    response.body(body).map_err(io::Error::other)
}

/// A stand-in for the API, answering every request with the real body the
/// service sends for `infocon?json`.
fn start_stand_in() -> io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base_url = format!("http://{}/api/", listener.local_addr()?);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let body = r#"{"status":"green"}"#;
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            let _ = (&stream).write_all(answer.as_bytes());
        }
    });
    Ok(base_url)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = start_stand_in()?;
    let client = Client::builder()
        .base_url(&base_url)
        .contact("you@example.org")
        .build_with(send_over_tcp)?;
    let status = client.query(&Infocon)?;
    println!(
        "infocon from {base_url} over a plain TcpStream: {}",
        status.status
    );
    Ok(())
}
