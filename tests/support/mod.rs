//! Shared helpers: fixtures, a canned transport, and a tiny HTTP server.

#![allow(dead_code)]

pub mod server;

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Mutex;

use dshield::{Client, Transport, Wire};
use http::{Request, Response};

/// The bytes of `tests/fixtures/{name}`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Answers every request with one canned response and keeps the requests.
pub struct Canned {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    pub seen: Mutex<Vec<Request<Vec<u8>>>>,
}

impl Canned {
    pub fn new(body: impl Into<Vec<u8>>) -> Self {
        Canned {
            status: 200,
            headers: Vec::new(),
            body: body.into(),
            seen: Mutex::new(Vec::new()),
        }
    }

    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn uris(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.uri().to_string())
            .collect()
    }
}

impl Transport for Canned {
    type Error = Infallible;

    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, Infallible> {
        self.seen.lock().unwrap().push(request);
        let mut response = Response::builder().status(self.status);
        for (name, value) in &self.headers {
            response = response.header(*name, value);
        }
        Ok(response.body(self.body.clone()).unwrap())
    }
}

/// A client on `transport`, with a contact, in `wire` format.
pub fn client<T: Transport>(transport: T, wire: Wire) -> Client<T> {
    Client::builder()
        .contact("tests@example.org")
        .wire(wire)
        .build_with(transport)
        .unwrap()
}
