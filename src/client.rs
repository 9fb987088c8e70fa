//! The [`Client`] and its builder.

use http::HeaderValue;

use crate::request::{build_request, check_response, decode_response};
use crate::{Endpoint, Error, Format, Transport, Wire};

/// The API root used unless [`ClientBuilder::base_url`] says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://isc.sans.edu/api/";

/// The environment variable read for the User-Agent contact when the builder
/// was given none.
pub const CONTACT_ENV: &str = "DSHIELD_CONTACT";

/// What precedes the contact in the User-Agent; the recorder finds the
/// contact by it to redact it.
pub(crate) const CONTACT_MARK: &str = "; contact: ";

/// Sends endpoints through a transport and decodes their answers.
///
/// Build one with [`Client::builder`]. A client is cheap to share: it holds
/// only its settings and the transport.
///
/// # Example
///
/// ```
/// use std::convert::Infallible;
/// use dshield::{Client, endpoints::Port};
///
/// // Answers every request from memory; a real client uses `.build()`.
/// let transport = |request: http::Request<Vec<u8>>| {
///     assert_eq!(request.uri(), "https://isc.sans.edu/api/port/22?json");
///     let body = br#"{"number":22,"data":{"date":"2026-10-05","records":312165}}"#;
///     Ok::<_, Infallible>(http::Response::new(body.to_vec()))
/// };
/// let client = Client::builder().contact("soc@example.org").build_with(transport)?;
/// let report = client.query(&Port::new(22)?)?;
/// assert_eq!(report.data.and_then(|d| d.records), Some(312165));
/// # Ok::<(), dshield::Error>(())
/// ```
#[derive(Clone)]
pub struct Client<T> {
    transport: T,
    base_url: String,
    user_agent: HeaderValue,
    has_contact: bool,
    wire: Wire,
}

// Closures are not `Debug`, so the transport is left out.
impl<T> std::fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("user_agent", &self.user_agent)
            .field("wire", &self.wire)
            .finish_non_exhaustive()
    }
}

impl Client<()> {
    /// Starts a [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }
}

impl<T: Transport> Client<T> {
    /// Calls `endpoint` and decodes its answer, in the client's wire format.
    pub fn query<E: Endpoint + ?Sized>(&self, endpoint: &E) -> Result<E::Response, Error> {
        let response = self.send(endpoint, self.wire.into())?;
        decode_response(endpoint, self.wire, &response)
    }

    /// Calls `endpoint` in any of the API's formats and returns the body as
    /// text, untouched: python-dshield's `return_format`.
    ///
    /// HTTP errors, rate limiting and refusals such as `bad IP address` are
    /// still errors, and so is a body that is not UTF-8; use
    /// [`raw_bytes`](Self::raw_bytes) to get such a body as it is.
    pub fn raw<E: Endpoint + ?Sized>(&self, endpoint: &E, format: Format) -> Result<String, Error> {
        let body = self.raw_bytes(endpoint, format)?;
        String::from_utf8(body).map_err(|e| Error::Decode {
            endpoint: endpoint.name(),
            format,
            position: None,
            reason: "the answer is not valid UTF-8".to_owned(),
            excerpt: crate::error::excerpt(e.as_bytes(), e.utf8_error().valid_up_to()),
        })
    }

    /// Like [`raw`](Self::raw), but returns the body's bytes exactly as they
    /// arrived, whatever their encoding.
    pub fn raw_bytes<E: Endpoint + ?Sized>(
        &self,
        endpoint: &E,
        format: Format,
    ) -> Result<Vec<u8>, Error> {
        let response = self.send(endpoint, format)?;
        check_response(endpoint, &response)?;
        Ok(response.into_body())
    }

    /// The request [`query`](Self::query) or [`raw`](Self::raw) would send.
    pub fn request<E: Endpoint + ?Sized>(
        &self,
        endpoint: &E,
        format: Format,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        build_request(&self.base_url, &self.user_agent, endpoint, format)
    }

    fn send<E: Endpoint + ?Sized>(
        &self,
        endpoint: &E,
        format: Format,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        let request = self.request(endpoint, format)?;
        self.transport.send(request).map_err(|e| Error::Transport {
            endpoint: endpoint.name(),
            source: Box::new(e),
        })
    }
}

impl<T> Client<T> {
    /// The wire format of typed answers.
    pub fn wire(&self) -> Wire {
        self.wire
    }

    /// The API root, ending with `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The User-Agent sent with every request.
    pub fn user_agent(&self) -> &str {
        self.user_agent.to_str().unwrap_or_default()
    }

    /// Whether the User-Agent carries a contact. The service asks for one;
    /// without it a client may be blocked.
    pub fn has_contact(&self) -> bool {
        self.has_contact
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }
}

/// Settings for a [`Client`].
///
/// The service asks every client to say who runs it: set a contact (an
/// e-mail address or URL) with [`contact`](Self::contact), or in the
/// `DSHIELD_CONTACT` environment variable. It goes into the User-Agent with
/// this crate's name and version, and the name of your tool if you give one
/// with [`application`](Self::application).
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    contact: Option<String>,
    application: Option<String>,
    wire: Wire,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientBuilder {
    /// Defaults: the public API root, JSON, contact from `DSHIELD_CONTACT`.
    pub fn new() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            contact: None,
            application: None,
            wire: Wire::Json,
        }
    }

    /// The API root, for a mirror or a test server. `http` and `https` only;
    /// a missing trailing `/` is added.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Who to contact about this client's traffic, e.g. an e-mail address.
    /// Overrides `DSHIELD_CONTACT`.
    pub fn contact(mut self, contact: impl Into<String>) -> Self {
        self.contact = Some(contact.into());
        self
    }

    /// Your tool's name and version, e.g. `"siem-enricher/2.1"`, put first in
    /// the User-Agent.
    pub fn application(mut self, name_and_version: impl Into<String>) -> Self {
        self.application = Some(name_and_version.into());
        self
    }

    /// The wire format for typed answers (JSON unless told otherwise).
    pub fn wire(mut self, wire: Wire) -> Self {
        self.wire = wire;
        self
    }

    /// Builds a client that sends through `transport`.
    pub fn build_with<T: Transport>(self, transport: T) -> Result<Client<T>, Error> {
        let base_url = checked_base_url(&self.base_url)?;
        let contact = match self.contact {
            Some(contact) => Some(contact),
            None => std::env::var(CONTACT_ENV)
                .ok()
                .filter(|c| !c.trim().is_empty()),
        };
        let contact = contact.map(|c| header_text("contact", c)).transpose()?;
        let application = self
            .application
            .map(|a| header_text("application", a))
            .transpose()?;

        let mut agent = String::new();
        if let Some(application) = &application {
            agent.push_str(application);
            agent.push(' ');
        }
        agent.push_str(concat!(
            "dshield-rs/",
            env!("CARGO_PKG_VERSION"),
            " (+https://crates.io/crates/dshield"
        ));
        if let Some(contact) = &contact {
            agent.push_str(CONTACT_MARK);
            agent.push_str(contact);
        }
        agent.push(')');
        let user_agent = HeaderValue::from_str(&agent)
            .map_err(|e| Error::invalid("client", "user agent", &agent, e.to_string()))?;
        Ok(Client {
            transport,
            base_url,
            user_agent,
            has_contact: contact.is_some(),
            wire: self.wire,
        })
    }

    /// Builds a client on the default transport, [`IsahcTransport`] with its
    /// default timeouts and size cap.
    ///
    /// [`IsahcTransport`]: crate::transport::IsahcTransport
    #[cfg(feature = "isahc")]
    pub fn build(self) -> Result<Client<crate::transport::IsahcTransport>, Error> {
        let transport = crate::transport::IsahcTransport::new().map_err(|e| Error::Transport {
            endpoint: "client",
            source: Box::new(e),
        })?;
        self.build_with(transport)
    }
}

/// Refuses text that cannot travel in a header, or that would let a
/// caller's value add a second header line.
fn header_text(parameter: &'static str, value: String) -> Result<String, Error> {
    let value = value.trim().to_owned();
    if value.is_empty() || value.len() > 200 || !value.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return Err(Error::invalid(
            "client",
            parameter,
            value,
            "expected 1 to 200 printable ASCII characters",
        ));
    }
    Ok(value)
}

fn checked_base_url(url: &str) -> Result<String, Error> {
    let refuse = |reason: &str| Error::invalid("client", "base URL", url, reason.to_owned());
    let uri: http::Uri = url
        .parse()
        .map_err(|_| refuse("expected an absolute http or https URL"))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        _ => return Err(refuse("expected an http or https URL")),
    }
    if uri.authority().is_none() {
        return Err(refuse("expected a host name"));
    }
    if uri.query().is_some() || url.contains('#') {
        return Err(refuse(
            "expected no query or fragment: the format goes there",
        ));
    }
    let mut url = url.to_owned();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;

    fn never(_: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, Infallible> {
        unreachable!("these tests send nothing")
    }

    #[test]
    fn user_agent_names_the_library_the_tool_and_the_contact() {
        let client = Client::builder()
            .contact("soc@example.org")
            .application("enricher/2.1")
            .build_with(never)
            .unwrap();
        let ua = client.user_agent();
        assert!(ua.starts_with("enricher/2.1 dshield-rs/"), "{ua}");
        assert!(ua.ends_with("; contact: soc@example.org)"), "{ua}");
        assert!(client.has_contact());
    }

    #[test]
    fn header_injection_through_the_contact_is_refused() {
        let err = Client::builder()
            .contact("a@b\r\nX-Evil: 1")
            .build_with(never)
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidInput {
                    parameter: "contact",
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn base_urls_are_checked_and_completed() {
        let client = Client::builder()
            .base_url("http://127.0.0.1:8080/api")
            .build_with(never)
            .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:8080/api/");
        for bad in ["ftp://x/api/", "/api/", "https://x/api/?json", "not a url"] {
            assert!(
                Client::builder().base_url(bad).build_with(never).is_err(),
                "{bad}"
            );
        }
    }
}
