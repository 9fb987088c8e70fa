//! Decoding hostile answer bodies.
//!
//! Input layout: `[selector][rest...]`.
//!
//! - `selector & 1` picks the wire format: 0 = JSON, 1 = XML.
//! - `(selector >> 1) % KINDS` picks what is decoded:
//!   - `0..=15`: `decode_body::<T>` for one of the 16 response types of the
//!     17 endpoints (`rest` is the body);
//!   - `16..=20`: the full `decode_response` path for one endpoint, with
//!     `rest = [status][n][n bytes of Retry-After][body...]` (`n = 0`: no
//!     Retry-After header), so status handling and refusal detection are
//!     fuzzed too.
//!
//! Nothing may panic. A value that decodes is serialised with serde_json,
//! which must succeed. Seeds use `selector = kind * 2 + wire`.
//!
#![no_main]

use dshield::endpoints::{
    AsnAddress, AttackType, BackscatterRow, Daily404Day, Daily404Request, DailySummaryDay,
    Glossary, GlossaryTerm, HandlerOfTheDay, Infocon, InfoconStatus, Ip, IpReport, Port,
    PortHistory, PortHistoryReport, PortReport, Source, TopIpsReport, TopPorts, TopPortsReport,
    WebHoneypotDay,
};
use dshield::{Decodable, Endpoint, List, Wire};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;

/// 16 response types + 5 endpoints through `decode_response`.
const KINDS: u8 = 21;

/// Statuses picked by the first byte of the `decode_response` input; bytes
/// beyond this table map to `100 + 2 * (b - len)` (100..=590).
const STATUSES: [u16; 10] = [200, 429, 500, 503, 404, 403, 301, 204, 400, 201];

fn serialise<T: Serialize>(value: &T) {
    if let Err(e) = serde_json::to_vec(value) {
        panic!("a decoded value does not serialise: {e}");
    }
}

fn body<T: Decodable + Serialize>(wire: Wire, body: &[u8]) {
    if let Ok(value) = dshield::decode_body::<T>("fuzz", wire, body) {
        serialise(&value);
    }
}

fn response<E>(endpoint: &E, wire: Wire, rest: &[u8])
where
    E: Endpoint,
    E::Response: Serialize,
{
    let (status, rest) = match rest.split_first() {
        Some((&b, rest)) => {
            let status = match STATUSES.get(usize::from(b)) {
                Some(&s) => s,
                None => 100 + 2 * (u16::from(b) - STATUSES.len() as u16),
            };
            (status, rest)
        }
        None => (200, rest),
    };
    let (retry_after, rest) = match rest.split_first() {
        Some((&n, rest)) => {
            let n = usize::from(n).min(rest.len());
            rest.split_at(n)
        }
        None => (&[][..], rest),
    };
    let mut builder = http::Response::builder().status(status);
    if !retry_after.is_empty()
        && let Ok(value) = http::HeaderValue::from_bytes(retry_after)
    {
        builder = builder.header(http::header::RETRY_AFTER, value);
    }
    let Ok(response) = builder.body(rest.to_vec()) else {
        return;
    };
    if let Ok(value) = dshield::decode_response(endpoint, wire, &response) {
        serialise(&value);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let wire = if selector & 1 == 0 {
        Wire::Json
    } else {
        Wire::Xml
    };
    match (selector >> 1) % KINDS {
        0 => body::<InfoconStatus>(wire, rest),
        1 => body::<HandlerOfTheDay>(wire, rest),
        2 => body::<IpReport>(wire, rest),
        3 => body::<PortReport>(wire, rest),
        4 => body::<PortHistoryReport>(wire, rest),
        5 => body::<TopPortsReport>(wire, rest),
        6 => body::<TopIpsReport>(wire, rest),
        7 => body::<List<Source>>(wire, rest),
        8 => body::<List<AsnAddress>>(wire, rest),
        9 => body::<List<BackscatterRow>>(wire, rest),
        10 => body::<List<DailySummaryDay>>(wire, rest),
        11 => body::<List<Daily404Day>>(wire, rest),
        12 => body::<List<Daily404Request>>(wire, rest),
        13 => body::<List<GlossaryTerm>>(wire, rest),
        14 => body::<WebHoneypotDay>(wire, rest),
        15 => body::<List<AttackType>>(wire, rest),
        16 => response(&Infocon, wire, rest),
        // `ip` and `port` carry refusal phrases ("bad IP address", ...).
        17 => {
            if let Ok(ip) = Ip::new("1.85.2.119") {
                response(&ip, wire, rest)
            }
        }
        18 => {
            if let Ok(port) = Port::new(80) {
                response(&port, wire, rest)
            }
        }
        19 => {
            let history = PortHistory::new(80).and_then(|h| h.start("2011-07-20"));
            if let Ok(history) = history.and_then(|h| h.end("2011-07-23")) {
                response(&history, wire, rest)
            }
        }
        _ => {
            if let Ok(top) = TopPorts::default().limit(25) {
                response(&top, wire, rest)
            }
            // Glossary answers are lists; the term goes through the path
            // only, so the same body is read for it too.
            if let Ok(glossary) = Glossary::term("test") {
                response(&glossary, wire, rest)
            }
        }
    }
});
