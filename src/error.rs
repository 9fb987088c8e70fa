//! The crate's one error type.

use std::fmt;

use crate::format::Format;

/// Where in a response body decoding stopped, counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line number, starting at 1.
    pub line: usize,
    /// Column (in bytes) on that line, starting at 1.
    pub column: usize,
}

impl Position {
    /// Turns a byte offset into `body` into a line and column.
    pub(crate) fn from_offset(body: &[u8], offset: usize) -> Self {
        let head = body.get(..offset.min(body.len())).unwrap_or(body);
        let line = head.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = head.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        Position { line, column }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// How long the service asked the client to wait after an HTTP 429.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    /// `Retry-After: <seconds>`.
    Seconds(u64),
    /// `Retry-After: <HTTP-date>`.
    At(jiff::Timestamp),
}

impl fmt::Display for RetryAfter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetryAfter::Seconds(s) => write!(f, "after {s} s"),
            RetryAfter::At(t) => write!(f, "at {t}"),
        }
    }
}

/// Everything that can go wrong between building an endpoint and holding its
/// typed answer.
///
/// Every variant names the endpoint (`"topports"`, `"ip"`, ...) so that a
/// message read in a log says which call failed. Match on the variant to
/// decide what to do: [`Error::InvalidInput`] is a bug in the caller's data
/// and will fail again, [`Error::RateLimited`] and most [`Error::Transport`]
/// failures are worth retrying later, [`Error::Decode`] usually means the
/// service changed or answered with something that is not an API response.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An argument was refused while building an endpoint or a client, before
    /// any request existed. Fix the value named in the message.
    #[error("{endpoint}: invalid {parameter} {value:?}: {reason}")]
    InvalidInput {
        /// The endpoint (or `"client"` for builder settings).
        endpoint: &'static str,
        /// The parameter that was refused, e.g. `"port"` or `"limit"`.
        parameter: &'static str,
        /// The refused value, as given.
        value: String,
        /// What a valid value looks like.
        reason: String,
    },

    /// The transport could not deliver the request or read the answer
    /// (connection refused, timeout, answer over the size cap, ...). Often
    /// temporary: retry later, and check network access to the API host.
    #[error("{endpoint}: request failed: {source}")]
    Transport {
        /// The endpoint whose request failed.
        endpoint: &'static str,
        /// The transport's own error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },

    /// The service answered with an HTTP status other than success or 429.
    /// A 404 usually means the endpoint or a date is not served; a 5xx is the
    /// service's trouble and worth retrying later.
    #[error(
        "{endpoint}: the service answered HTTP {status}; the body begins {excerpt:?}; {}",
        status_hint(*status)
    )]
    Status {
        /// The endpoint that was called.
        endpoint: &'static str,
        /// The HTTP status code.
        status: http::StatusCode,
        /// The start of the body, for diagnosis.
        excerpt: String,
    },

    /// The service is rate limiting this client (HTTP 429). It asks clients
    /// to pause for five minutes, or for the time in `Retry-After`, before
    /// sending anything else.
    #[error(
        "{endpoint}: the service is rate limiting this client (HTTP 429); {}",
        retry_hint(retry_after)
    )]
    RateLimited {
        /// The endpoint that was called.
        endpoint: &'static str,
        /// The `Retry-After` header, when the service sent one.
        retry_after: Option<RetryAfter>,
    },

    /// The service understood the request and refused it, e.g. with
    /// `bad IP address` or `bad port number`. The message quotes its words.
    /// Check the argument; repeating the call will not help.
    #[error(
        "{endpoint}: the service refused the request: {message:?}; check the argument, \
         repeating the call will not help"
    )]
    Service {
        /// The endpoint that was called.
        endpoint: &'static str,
        /// The service's own words.
        message: String,
    },

    /// The answer could not be read as the typed response: it was cut short,
    /// not in the requested format (an HTML error page, say) or its shape
    /// changed. The excerpt shows what arrived.
    #[error(
        "{endpoint}: cannot decode the {format} answer{}: {reason}; the body begins \
         {excerpt:?}; the service may be failing or may have changed its format",
        position.map(|p| format!(" at {p}")).unwrap_or_default()
    )]
    Decode {
        /// The endpoint that was called.
        endpoint: &'static str,
        /// The wire format that was being decoded.
        format: Format,
        /// Where decoding stopped, when known.
        position: Option<Position>,
        /// What the decoder expected.
        reason: String,
        /// The start of the body, or the text around `position`.
        excerpt: String,
    },
}

fn retry_hint(retry_after: &Option<RetryAfter>) -> String {
    match retry_after {
        Some(r) => format!("retry {r}"),
        None => "wait five minutes before the next request, as the service asks".to_owned(),
    }
}

fn status_hint(status: http::StatusCode) -> &'static str {
    if status.is_server_error() {
        "the service is failing, try again later"
    } else if status.is_redirection() {
        "redirects are not followed; check the base URL"
    } else {
        "check the endpoint's arguments (is that day served?) and the base URL"
    }
}

impl Error {
    /// The endpoint the error belongs to.
    pub fn endpoint(&self) -> &'static str {
        match self {
            Error::InvalidInput { endpoint, .. }
            | Error::Transport { endpoint, .. }
            | Error::Status { endpoint, .. }
            | Error::RateLimited { endpoint, .. }
            | Error::Service { endpoint, .. }
            | Error::Decode { endpoint, .. } => endpoint,
        }
    }

    /// True when the same request may succeed later (rate limiting, a 5xx, a
    /// transport failure); false when the input or the answer is at fault.
    pub fn is_temporary(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Transport { .. } => true,
            Error::Status { status, .. } => status.is_server_error(),
            _ => false,
        }
    }

    pub(crate) fn invalid(
        endpoint: &'static str,
        parameter: &'static str,
        value: impl fmt::Display,
        reason: impl Into<String>,
    ) -> Self {
        Error::InvalidInput {
            endpoint,
            parameter,
            value: value.to_string(),
            reason: reason.into(),
        }
    }
}

/// At most this many characters of a body are quoted in an error.
const EXCERPT_CHARS: usize = 80;

/// A short, printable excerpt of `body` starting near `offset`.
pub(crate) fn excerpt(body: &[u8], offset: usize) -> String {
    let start = offset.saturating_sub(EXCERPT_CHARS / 4).min(body.len());
    let tail = body.get(start..).unwrap_or_default();
    let text = String::from_utf8_lossy(
        tail.get(..tail.len().min(EXCERPT_CHARS * 4))
            .unwrap_or(tail),
    );
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(EXCERPT_CHARS)
        .collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_lines_and_columns_from_one() {
        let body = b"ab\ncd\nef";
        assert_eq!(
            Position::from_offset(body, 0),
            Position { line: 1, column: 1 }
        );
        assert_eq!(
            Position::from_offset(body, 4),
            Position { line: 2, column: 2 }
        );
        assert_eq!(
            Position::from_offset(body, 999),
            Position { line: 3, column: 3 }
        );
    }

    #[test]
    fn excerpt_is_short_and_printable() {
        let body = "x\u{0}".repeat(500);
        let e = excerpt(body.as_bytes(), 0);
        assert!(e.chars().count() <= EXCERPT_CHARS + 1);
        assert!(!e.chars().any(char::is_control));
        assert_eq!(excerpt(b"", 10), "");
    }

    #[test]
    fn rate_limit_message_says_when_to_retry() {
        let e = Error::RateLimited {
            endpoint: "ip",
            retry_after: Some(RetryAfter::Seconds(30)),
        };
        assert!(e.to_string().contains("retry after 30 s"), "{e}");
        let e = Error::RateLimited {
            endpoint: "ip",
            retry_after: None,
        };
        assert!(e.to_string().contains("five minutes"), "{e}");
    }
}
