//! The default transport: real HTTP through isahc (libcurl).

use std::io::Read;
use std::time::Duration;

use http::{Request, Response, StatusCode};
use isahc::HttpClient;
use isahc::config::{Configurable, RedirectPolicy};

use super::Transport;

/// Why the isahc transport returned no answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IsahcError {
    /// libcurl could not be initialised.
    #[error("could not set up the HTTP client: {0}")]
    Setup(#[source] isahc::Error),
    /// The request could not be made: connection refused, DNS failure, TLS
    /// failure, or a timeout.
    #[error("{0}")]
    Http(#[source] isahc::Error),
    /// The connection broke while the body was being read, for example
    /// before `Content-Length` bytes arrived.
    #[error("reading the answer failed: {0}")]
    Read(#[source] std::io::Error),
    /// The answer is larger than the configured cap.
    #[error(
        "the answer is larger than the cap of {limit} bytes; raise it with \
         IsahcTransportBuilder::max_body_bytes if such answers are expected"
    )]
    TooLarge {
        /// The cap, in bytes.
        limit: u64,
    },
    /// The request could not be handed to isahc (it uses an older `http`).
    #[error("the request cannot be sent: {0}")]
    Request(String),
}

/// Real HTTP over isahc, with timeouts, no redirects and a size cap.
///
/// - TLS certificates are verified (libcurl's default; there is no switch to
///   turn that off).
/// - Redirects are not followed: the API never redirects a valid call, and a
///   redirect off the API host is not something a client should follow
///   blindly. A 3xx answer becomes [`Error::Status`](crate::Error::Status).
/// - The body is read up to [`max_body_bytes`](IsahcTransportBuilder::max_body_bytes)
///   (4 MiB by default) and refused beyond, so a huge or endless answer ends
///   in [`IsahcError::TooLarge`], not in memory exhaustion.
#[derive(Debug, Clone)]
pub struct IsahcTransport {
    client: HttpClient,
    max_body_bytes: u64,
}

impl IsahcTransport {
    /// Defaults: 10 s to connect, 30 s for the whole exchange, 4 MiB cap.
    pub fn new() -> Result<Self, IsahcError> {
        Self::builder().build()
    }

    /// Starts a builder to change timeouts or the size cap.
    pub fn builder() -> IsahcTransportBuilder {
        IsahcTransportBuilder::default()
    }

    /// The size cap, in bytes.
    pub fn max_body_bytes(&self) -> u64 {
        self.max_body_bytes
    }
}

/// Settings for an [`IsahcTransport`].
#[derive(Debug, Clone)]
pub struct IsahcTransportBuilder {
    connect_timeout: Duration,
    timeout: Duration,
    max_body_bytes: u64,
}

impl Default for IsahcTransportBuilder {
    fn default() -> Self {
        IsahcTransportBuilder {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body_bytes: 4 * 1024 * 1024,
        }
    }
}

impl IsahcTransportBuilder {
    /// Time allowed to establish the connection (TLS included).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for the whole exchange, from connecting to the last byte.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Largest body accepted, in bytes.
    pub fn max_body_bytes(mut self, bytes: u64) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Creates the transport.
    pub fn build(self) -> Result<IsahcTransport, IsahcError> {
        let client = HttpClient::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .redirect_policy(RedirectPolicy::None)
            .build()
            .map_err(IsahcError::Setup)?;
        Ok(IsahcTransport {
            client,
            max_body_bytes: self.max_body_bytes,
        })
    }
}

impl Transport for IsahcTransport {
    type Error = IsahcError;

    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, IsahcError> {
        // isahc speaks http 0.2; copy the request over field by field.
        let (parts, body) = request.into_parts();
        let mut outgoing = isahc::Request::builder()
            .method(parts.method.as_str())
            .uri(parts.uri.to_string());
        for (name, value) in &parts.headers {
            outgoing = outgoing.header(name.as_str(), value.as_bytes());
        }
        let outgoing = outgoing
            .body(body)
            .map_err(|e| IsahcError::Request(e.to_string()))?;

        let mut incoming = self.client.send(outgoing).map_err(IsahcError::Http)?;
        let declared = incoming
            .headers()
            .get(isahc::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|len| len > self.max_body_bytes) {
            return Err(IsahcError::TooLarge {
                limit: self.max_body_bytes,
            });
        }
        let mut body = Vec::with_capacity(declared.unwrap_or(0).min(self.max_body_bytes) as usize);
        incoming
            .body_mut()
            .take(self.max_body_bytes.saturating_add(1))
            .read_to_end(&mut body)
            .map_err(IsahcError::Read)?;
        if body.len() as u64 > self.max_body_bytes {
            return Err(IsahcError::TooLarge {
                limit: self.max_body_bytes,
            });
        }

        let status = StatusCode::from_u16(incoming.status().as_u16())
            .map_err(|e| IsahcError::Request(e.to_string()))?;
        let mut response = Response::builder().status(status);
        for (name, value) in incoming.headers() {
            response = response.header(name.as_str(), value.as_bytes());
        }
        response
            .body(body)
            .map_err(|e| IsahcError::Request(e.to_string()))
    }
}
