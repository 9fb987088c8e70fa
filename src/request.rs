//! Building requests and reading responses: plain functions, no I/O.
//!
//! [`Client`](crate::Client) is a thin loop around these two functions, so
//! an async client, a batch job with its own HTTP stack, or a test can reuse
//! them unchanged.

use http::header::{ACCEPT, RETRY_AFTER, USER_AGENT};
use http::{HeaderValue, Method, Request, Response, StatusCode};

use crate::decode::{decode_body, service_refusal};
use crate::error::{RetryAfter, excerpt};
use crate::{Endpoint, Error, Format, Wire};

/// Characters left as they are in a path segment: RFC 3986's unreserved
/// set plus `:` so IPv6 addresses stay readable. Everything else, `/`, `?`,
/// `#`, `%` and spaces included, is percent-encoded.
fn is_segment_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':')
}

/// Percent-encodes one path segment. A segment made only of dots is encoded
/// too, so that `.` and `..` cannot climb out of the API root.
pub(crate) fn encode_segment(segment: &str, out: &mut String) {
    let only_dots = !segment.is_empty() && segment.bytes().all(|b| b == b'.');
    for b in segment.bytes() {
        if is_segment_safe(b) && !(only_dots && b == b'.') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// Joins `segments` into an encoded path, one segment each.
pub(crate) fn encode_path(segments: &[String]) -> String {
    let mut path = String::new();
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            path.push('/');
        }
        encode_segment(segment, &mut path);
    }
    path
}

fn accept(format: Format) -> &'static str {
    match format {
        Format::Json => "application/json, text/json;q=0.9, */*;q=0.1",
        Format::Xml => "application/xml, text/xml;q=0.9, */*;q=0.1",
        Format::Text | Format::Php => "text/plain, */*;q=0.1",
    }
}

/// Builds the GET request for `endpoint` in `format`.
///
/// `base_url` is the API root and must end with `/`; the URL is
/// `{base_url}{path}?{format}`, for example
/// `https://isc.sans.edu/api/topports/records/10?json`.
pub fn build_request<E: Endpoint + ?Sized>(
    base_url: &str,
    user_agent: &HeaderValue,
    endpoint: &E,
    format: Format,
) -> Result<Request<Vec<u8>>, Error> {
    let mut url = String::with_capacity(base_url.len() + 64);
    url.push_str(base_url);
    url.push_str(&endpoint.path());
    url.push('?');
    url.push_str(format.as_str());
    for (key, value) in endpoint.query() {
        url.push('&');
        encode_segment(key, &mut url);
        url.push('=');
        encode_segment(&value, &mut url);
    }
    Request::builder()
        .method(Method::GET)
        .uri(&url)
        .header(USER_AGENT, user_agent.clone())
        .header(ACCEPT, accept(format))
        .body(Vec::new())
        .map_err(|e| Error::invalid(endpoint.name(), "url", url.clone(), e.to_string()))
}

/// Reads `Retry-After`: delay-seconds or an HTTP-date.
pub(crate) fn retry_after<B>(response: &Response<B>) -> Option<RetryAfter> {
    let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse() {
        return Some(RetryAfter::Seconds(seconds));
    }
    jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(value)
        .ok()
        .map(RetryAfter::At)
}

/// Turns an unsuccessful status or a refusal in the body into an error.
///
/// Both typed and raw calls go through this: a 429 is [`Error::RateLimited`],
/// other non-2xx statuses are [`Error::Status`], and a body that carries one
/// of the endpoint's refusal phrases (or an `error` element or key) is
/// [`Error::Service`].
pub fn check_response<E: Endpoint + ?Sized>(
    endpoint: &E,
    response: &Response<Vec<u8>>,
) -> Result<(), Error> {
    let status = response.status();
    if status == StatusCode::TOO_MANY_REQUESTS {
        return Err(Error::RateLimited {
            endpoint: endpoint.name(),
            retry_after: retry_after(response),
        });
    }
    if !status.is_success() {
        return Err(Error::Status {
            endpoint: endpoint.name(),
            status,
            excerpt: excerpt(response.body(), 0),
        });
    }
    match service_refusal(response.body(), endpoint.refusals()) {
        Some(message) => Err(Error::Service {
            endpoint: endpoint.name(),
            message,
        }),
        None => Ok(()),
    }
}

/// Decodes the answer to a typed request for `endpoint` made in `wire`
/// format: status and refusals first ([`check_response`]), then the body.
pub fn decode_response<E: Endpoint + ?Sized>(
    endpoint: &E,
    wire: Wire,
    response: &Response<Vec<u8>>,
) -> Result<E::Response, Error> {
    check_response(endpoint, response)?;
    decode_body(endpoint.name(), wire, response.body())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(segment: &str) -> String {
        let mut out = String::new();
        encode_segment(segment, &mut out);
        out
    }

    #[test]
    fn segments_cannot_escape_or_add_a_query() {
        assert_eq!(encoded("a/b?c#d e%"), "a%2Fb%3Fc%23d%20e%25");
        assert_eq!(encoded(".."), "%2E%2E");
        assert_eq!(encoded("."), "%2E");
        assert_eq!(encoded("v1.2"), "v1.2");
        assert_eq!(encoded("2001:db8::1"), "2001:db8::1");
        assert_eq!(encoded("é"), "%C3%A9");
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let r = Response::builder()
            .status(429)
            .header(RETRY_AFTER, "120")
            .body(())
            .unwrap();
        assert_eq!(retry_after(&r), Some(RetryAfter::Seconds(120)));
        let r = Response::builder()
            .status(429)
            .header(RETRY_AFTER, "Wed, 21 Oct 2015 07:28:00 GMT")
            .body(())
            .unwrap();
        assert_eq!(
            retry_after(&r),
            Some(RetryAfter::At("2015-10-21T07:28:00Z".parse().unwrap()))
        );
        let r = Response::builder()
            .status(429)
            .header(RETRY_AFTER, "soon")
            .body(())
            .unwrap();
        assert_eq!(retry_after(&r), None);
    }
}
