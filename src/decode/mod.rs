//! Turning an answer body into a typed value, from JSON or from XML.
//!
//! Both formats go through the same serde models. JSON is read by
//! `serde_json` directly; XML by a deserializer over quick-xml's events
//! ([`xml`]) that presents elements the way JSON presents objects and
//! strings. The quirks of the service (numbers as strings, empty elements,
//! zero-padded addresses, keyed lists) are handled once, in [`field`] and
//! [`list`], rather than in each model.

pub(crate) mod field;
pub(crate) mod list;
pub(crate) mod xml;

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::error::{Position, excerpt};
use crate::{Error, Format, Wire};

/// A typed answer that can be decoded from the service's JSON and XML.
///
/// Every response type of this crate implements it. To add an endpoint of
/// your own, derive `serde::Deserialize` for its answer and implement this
/// trait (usually with no items).
pub trait Decodable: DeserializeOwned {
    /// Keys that may wrap the whole JSON answer: `ip` answers
    /// `{"ip": {...}}`, while its XML root `<ip>` is dropped like every XML
    /// root. An answer without the wrapper is accepted too.
    const JSON_ENVELOPE: &'static [&'static str] = &[];
}

/// Decodes `body`, an answer to `endpoint` in `wire` format, into `R`.
///
/// This only looks at the bytes: HTTP status and service refusals are
/// handled by [`decode_response`](crate::decode_response), which calls it.
pub fn decode_body<R: Decodable>(
    endpoint: &'static str,
    wire: Wire,
    body: &[u8],
) -> Result<R, Error> {
    let format = Format::from(wire);
    let fail = |offset: Option<usize>, reason: String| Error::Decode {
        endpoint,
        format,
        position: offset.map(|o| Position::from_offset(body, o)),
        excerpt: excerpt(body, offset.unwrap_or(0)),
        reason,
    };
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    let Some(start) = start else {
        return Err(fail(None, "the answer is empty".to_owned()));
    };
    if looks_like_html(body.get(start..).unwrap_or_default()) {
        return Err(fail(
            Some(start),
            format!(
                "the service sent an HTML page, not {format}; it may be down or blocking this client"
            ),
        ));
    }
    match wire {
        Wire::Json => {
            // serde_json refuses a byte-order mark; some servers send one.
            let (skipped, json) = match body.strip_prefix(b"\xEF\xBB\xBF") {
                Some(rest) => (3, rest),
                None => (0, body),
            };
            decode_json(json).map_err(|(offset, reason)| fail(offset.map(|o| o + skipped), reason))
        }
        Wire::Xml => {
            let text = std::str::from_utf8(body).map_err(|e| {
                fail(
                    Some(e.valid_up_to()),
                    "the answer is not valid UTF-8".to_owned(),
                )
            })?;
            xml::from_str(text).map_err(|e| fail(e.offset(), e.into_message()))
        }
    }
}

fn looks_like_html(body: &[u8]) -> bool {
    let head = body.get(..body.len().min(64)).unwrap_or(body);
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

type JsonFailure = (Option<usize>, String);

fn decode_json<R: Decodable>(body: &[u8]) -> Result<R, JsonFailure> {
    if !R::JSON_ENVELOPE.is_empty() {
        // Only small answers are wrapped, so looking twice costs little.
        if let Ok(map) = serde_json::from_slice::<HashMap<&str, &RawValue>>(body) {
            let wrapped = R::JSON_ENVELOPE.iter().find_map(|key| map.get(key));
            if let (1, Some(inner)) = (map.len(), wrapped) {
                let base = offset_in(body, inner.get());
                return serde_json::from_str(inner.get()).map_err(|e| {
                    let offset = json_offset(inner.get().as_bytes(), &e).map(|o| o + base);
                    (offset, json_reason(&e))
                });
            }
        }
    }
    serde_json::from_slice(body).map_err(|e| (json_offset(body, &e), json_reason(&e)))
}

/// serde_json's message without its " at line L column C" suffix, which the
/// error's position already carries.
fn json_reason(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(cut) => message.get(..cut).unwrap_or(&message).to_owned(),
        None => message,
    }
}

/// Byte offset of a serde_json error's line and column in `body`.
fn json_offset(body: &[u8], e: &serde_json::Error) -> Option<usize> {
    if e.line() == 0 {
        return None;
    }
    let mut line_start = 0;
    for _ in 1..e.line() {
        line_start += body.get(line_start..)?.iter().position(|&b| b == b'\n')? + 1;
    }
    Some(line_start + e.column().saturating_sub(1))
}

/// Offset of `inner`, a slice borrowed from `body`, within `body`.
fn offset_in(body: &[u8], inner: &str) -> usize {
    (inner.as_ptr() as usize).saturating_sub(body.as_ptr() as usize)
}

/// Finds a refusal the service wrote into an otherwise successful answer:
/// `{"error": "..."}`, `<error>...</error>`, or one of `phrases` (such as
/// `bad IP address`) anywhere in the body. Returns the service's words.
pub(crate) fn service_refusal(body: &[u8], phrases: &[&str]) -> Option<String> {
    // Every answer passes through here, so look closer only at the few
    // that can be refusals: small ones, or those of endpoints with phrases.
    let small = body.len() < 4096;
    if !small && phrases.is_empty() {
        return None;
    }
    let text = String::from_utf8_lossy(body.get(..body.len().min(64 * 1024)).unwrap_or(body));
    let trimmed = text.trim_start();
    if small && trimmed.starts_with('{') && trimmed.contains("\"error\"") {
        if let Ok(map) = serde_json::from_str::<HashMap<String, serde_json::Value>>(trimmed) {
            if let Some(serde_json::Value::String(message)) = map.get("error") {
                return Some(message.clone());
            }
        }
    }
    if small && trimmed.starts_with('<') && trimmed.contains("<error") {
        if let Ok(("error", text)) = xml::root_text(trimmed) {
            return Some(text);
        }
    }
    phrases.iter().find_map(|phrase| {
        let at = text.find(phrase)?;
        // Quote the whole run of text around the phrase, up to the
        // surrounding markup.
        let stop = |c: char| matches!(c, '<' | '>' | '"' | '{' | '}' | '\n');
        let begin = text.get(..at)?.rfind(stop).map_or(0, |i| i + 1);
        let end = text.get(at..)?.find(stop).map_or(text.len(), |i| at + i);
        Some(text.get(begin..end)?.trim().to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_quote_the_service() {
        assert_eq!(
            service_refusal(br#"{"error":"bad IP address"}"#, &[]).as_deref(),
            Some("bad IP address")
        );
        assert_eq!(
            service_refusal(b"<error>Too many requests</error>", &[]).as_deref(),
            Some("Too many requests")
        );
        assert_eq!(
            service_refusal(
                br#"{"ip":{"number":"bad IP address 999"}}"#,
                &["bad IP address"]
            )
            .as_deref(),
            Some("bad IP address 999")
        );
        assert_eq!(
            service_refusal(b"<ip><number>1.2.3.4</number></ip>", &["bad IP address"]),
            None
        );
    }

    #[test]
    fn json_offsets_follow_lines() {
        let body = b"{\n  \"a\": x\n}";
        let e = serde_json::from_slice::<serde_json::Value>(body).unwrap_err();
        assert_eq!(json_offset(body, &e), Some(9));
    }
}
