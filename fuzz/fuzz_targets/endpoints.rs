//! Endpoint constructors and setters fed hostile arguments.
//!
//! Input layout: fields separated by `0xFF` (a byte that never occurs in
//! UTF-8, so seeds stay readable); missing fields are empty, non-UTF-8 is
//! replaced lossily.
//!
//! | field | used as |
//! |---|---|
//! | 0 | IP address text |
//! | 1 | port text, and (as a number) the integer port forms |
//! | 2 | date A: `on`, `start`, `between`/`windows` start, single-date endpoints |
//! | 3 | date B: `end`, `between`/`windows` end |
//! | 4 | sort key text (`FromStr` of the three sort enums) |
//! | 5 | limit / rows (as a number) |
//! | 6 | AS number (as a number) |
//! | 7 | glossary term |
//!
//! A field is read as a number by `i64::from_str` when it is decimal text,
//! otherwise from its first 8 bytes, little-endian.
//!
//! For every endpoint that builds, `check` asserts the path and request
//! invariants; argument checks are compared with a reference oracle written
//! here. Any violation panics.
#![no_main]

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr};

use dshield::endpoints::{
    ASNUM_MAX_LIMIT, AsNum, Backscatter, DAILY_SUMMARY_FIRST_DAY, DAILY_SUMMARY_MAX_DAYS,
    Daily404Detail, Daily404Summary, DailySummary, Glossary, Handler, Infocon, Ip, Port, PortDate,
    PortHistory, SOURCES_MAX_LIMIT, Sources, SourcesSort, TopIps, TopIpsSort, TopPorts,
    TopPortsSort, WebHoneypotByType, WebHoneypotSummary,
};
use dshield::{Endpoint, Error, Format};
use jiff::civil::Date;
use libfuzzer_sys::fuzz_target;
use std::sync::Once;

const BASE: &str = "https://isc.sans.edu/api/";

/// `windows` is only called for ranges up to this many days (at most 14
/// windows), so the fuzzer measures correctness rather than allocation.
const MAX_WINDOW_RANGE_DAYS: i64 = 400;

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes one encoded path segment, asserting that every `%` starts an
/// upper-case `%XX` escape and every other byte is unreserved or `:`.
fn decode_segment(part: &str, path: &str) -> Vec<u8> {
    let bytes = part.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let pair = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            );
            let (Some(hi), Some(lo)) = pair else {
                panic!("a '%' that does not start an upper-case %XX escape in {path:?}");
            };
            out.push(hi << 4 | lo);
            i += 3;
        } else {
            assert!(
                is_unreserved(b) || b == b':',
                "byte {b:#04x} ({:?}) is neither unreserved, ':', '/' nor an escape in {path:?}",
                char::from(b)
            );
            out.push(b);
            i += 1;
        }
    }
    out
}

/// The invariants every endpoint that builds must keep. Returns its
/// segments as the path carries them (decoded).
fn check<E: Endpoint>(endpoint: &E) -> Vec<String> {
    let name = endpoint.name();
    let segments = endpoint.segments();
    let path = endpoint.path();

    assert_eq!(
        segments.first().map(String::as_str),
        Some(name),
        "first segment of {path:?}"
    );
    assert!(
        path == name || path.starts_with(&format!("{name}/")),
        "{path:?} does not start with the endpoint name {name:?}"
    );
    assert!(
        !path.contains('?') && !path.contains('#'),
        "{path:?} has a query or fragment"
    );

    let parts: Vec<&str> = path.split('/').collect();
    assert_eq!(
        parts.len(),
        segments.len(),
        "{path:?} does not have one part per segment {segments:?}"
    );
    for (part, segment) in parts.iter().zip(&segments) {
        assert!(!part.is_empty(), "empty segment in {path:?}");
        assert!(
            *part != "." && *part != "..",
            "dot segment {part:?} in {path:?}"
        );
        let decoded = decode_segment(part, &path);
        assert_eq!(
            decoded,
            segment.as_bytes(),
            "{part:?} does not decode to {segment:?}"
        );
        // WHATWG URL parsers and servers that decode before normalising
        // treat `%2E%2E` as `..`, so the decoded form must not be a dot
        // segment either.
        let only_dots = decoded.iter().all(|&b| b == b'.');
        assert!(
            !(only_dots && matches!(decoded.len(), 1 | 2)),
            "segment {part:?} of {path:?} decodes to a dot segment {segment:?}"
        );
    }
    assert!(endpoint.query().is_empty(), "{name} has query parameters");

    // JSON for every endpoint; the format only sets the query, so the
    // other three are checked on the fixed endpoints (see `fixed`).
    request(endpoint, &path, Format::Json);
    segments
}

/// `build_request` succeeds, keeps the encoded path below `/api/` and
/// sets exactly the format as the query.
fn request<E: Endpoint>(endpoint: &E, path: &str, format: Format) {
    let agent = http::HeaderValue::from_static("fuzz");
    let request = match dshield::build_request(BASE, &agent, endpoint, format) {
        Ok(request) => request,
        Err(e) => panic!("build_request failed for {path:?} ({format}): {e}"),
    };
    let uri = request.uri();
    assert_eq!(uri.scheme_str(), Some("https"), "{uri}");
    assert_eq!(uri.host(), Some("isc.sans.edu"), "{uri}");
    assert!(uri.path().starts_with("/api/"), "{uri}");
    assert_eq!(
        uri.path(),
        format!("/api/{path}"),
        "the URI changed the path"
    );
    assert_eq!(uri.query(), Some(format.as_str()), "{uri}");
    assert_eq!(request.method(), http::Method::GET);
    assert_eq!(
        request.headers().get(http::header::USER_AGENT),
        Some(&agent)
    );
}

/// A refusal must be `InvalidInput` naming the endpoint, and print.
fn refused(e: &Error, endpoint: &str) {
    match e {
        Error::InvalidInput {
            endpoint: named, ..
        } => {
            assert_eq!(*named, endpoint, "the error names the wrong endpoint: {e}")
        }
        other => panic!("{endpoint}: expected InvalidInput, got {other:?}"),
    }
    let _ = e.to_string();
}

/// Checks a built endpoint or a refusal; `Some` segments when it built.
fn outcome<E: Endpoint>(result: &Result<E, Error>, endpoint: &str) -> Option<Vec<String>> {
    match result {
        Ok(e) => Some(check(e)),
        Err(err) => {
            refused(err, endpoint);
            None
        }
    }
}

// Reference oracles: what the README promises each argument accepts.

fn oracle_port(text: &str) -> Option<u16> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn oracle_ip(text: &str) -> Option<IpAddr> {
    if let Ok(ip) = text.parse() {
        return Some(ip);
    }
    // Zero-padded IPv4 octets, read as decimal.
    let parts: Vec<&str> = text.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut octets = [0u8; 4];
    for (octet, part) in octets.iter_mut().zip(&parts) {
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *octet = part.parse().ok()?;
    }
    Some(IpAddr::V4(Ipv4Addr::from(octets)))
}

fn oracle_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i32> {
        let s = text.get(r)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

/// An accepted IP, port or date carries no character a path could use.
fn plain_argument(text: &str) {
    assert!(
        text.bytes()
            .all(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.' | b'-')),
        "an argument with path-significant characters was accepted: {text:?}"
    );
}

fn days(from: Date, to: Date) -> i64 {
    i64::from((to - from).get_days())
}

/// A date argument: accepted exactly when the oracle accepts it, and then
/// written into the path as it was given.
fn date_arg<E: Endpoint>(result: &Result<E, Error>, endpoint: &str, text: &str, index: usize) {
    let expected = oracle_date(text);
    let segments = outcome(result, endpoint);
    assert_eq!(
        segments.is_some(),
        expected.is_some(),
        "{endpoint}: date {text:?} accepted = {}",
        segments.is_some()
    );
    if let Some(segments) = segments {
        plain_argument(text);
        assert_eq!(
            segments.get(index).map(String::as_str),
            Some(text),
            "{endpoint}: date segment"
        );
    }
}

fn limit_ok(n: u32, max: Option<u32>) -> bool {
    n >= 1 && max.is_none_or(|max| n <= max)
}

fn limit_arg<E: Endpoint>(
    result: &Result<E, Error>,
    endpoint: &str,
    n: u32,
    max: Option<u32>,
    index: usize,
) {
    let segments = outcome(result, endpoint);
    assert_eq!(
        segments.is_some(),
        limit_ok(n, max),
        "{endpoint}: limit {n}"
    );
    if let Some(segments) = segments {
        assert_eq!(
            segments.get(index),
            Some(&n.to_string()),
            "{endpoint}: limit segment"
        );
    }
}

fn number(field: &[u8]) -> i64 {
    if let Some(n) = std::str::from_utf8(field).ok().and_then(|s| s.parse().ok()) {
        return n;
    }
    let mut buf = [0u8; 8];
    let n = field.len().min(8);
    buf[..n].copy_from_slice(&field[..n]);
    i64::from_le_bytes(buf)
}

fn ip(text: &str) {
    let result = Ip::new(text);
    let segments = outcome(&result, "ip");
    let expected = oracle_ip(text);
    assert_eq!(
        result.as_ref().ok().map(Ip::address),
        expected,
        "ip {text:?}"
    );
    if let (Some(segments), Ok(ip)) = (segments, &result) {
        plain_argument(text);
        let written = segments.get(1).and_then(|s| s.parse::<IpAddr>().ok());
        assert_eq!(
            written,
            Some(ip.address()),
            "the ip segment does not read back"
        );
    }
    assert_eq!(
        Ip::new(text.to_owned()).ok(),
        result.ok(),
        "String and &str differ"
    );
}

fn ports(text: &str, n: i64) {
    let expected = oracle_port(text);
    for (result, name) in [
        (Port::new(text).map(|p| check(&p)), "port"),
        (PortDate::new(text).map(|p| check(&p)), "portdate"),
        (PortHistory::new(text).map(|p| check(&p)), "porthistory"),
    ] {
        match result {
            Ok(segments) => {
                plain_argument(text);
                let port = expected.unwrap_or_else(|| panic!("{name}: port {text:?} accepted"));
                assert_eq!(
                    segments.get(1),
                    Some(&port.to_string()),
                    "{name}: port segment"
                );
            }
            Err(e) => {
                refused(&e, name);
                assert_eq!(expected, None, "{name}: port {text:?} refused");
            }
        }
    }
    assert_eq!(Port::new(text.to_owned()).ok(), Port::new(text).ok());

    // The integer forms: accepted exactly when the value fits in 0..=65535.
    let fits = |v: i128| (0..=65535).contains(&v);
    let cases: [(Result<Port, Error>, i128); 6] = [
        (Port::new(n), i128::from(n)),
        (Port::new(n as i32), i128::from(n as i32)),
        (Port::new(n as u64), i128::from(n as u64)),
        (Port::new(n as u32), i128::from(n as u32)),
        (Port::new(n as usize), n as usize as i128),
        (Port::new(n as u16), i128::from(n as u16)),
    ];
    for (i, (result, value)) in cases.into_iter().enumerate() {
        // All forms give the same path: full checks on the first only.
        let segments = match &result {
            Ok(port) if i > 0 => Some(port.segments()),
            Err(e) if i > 0 => {
                refused(e, "port");
                None
            }
            _ => outcome(&result, "port"),
        };
        assert_eq!(segments.is_some(), fits(value), "port {value}");
        if let Some(segments) = segments {
            assert_eq!(segments.get(1), Some(&value.to_string()));
        }
    }
}

fn sorted<T: std::str::FromStr<Err = Error> + Copy>(
    text: &str,
    all: &[T],
    as_str: fn(T) -> &'static str,
    endpoint: &str,
) -> T {
    match text.parse::<T>() {
        Ok(sort) => {
            assert_eq!(as_str(sort), text, "{endpoint}: sort key");
            sort
        }
        Err(e) => {
            refused(&e, endpoint);
            assert!(
                all.iter().all(|&s| as_str(s) != text),
                "{endpoint}: {text:?} refused"
            );
            all[text.len() % all.len()]
        }
    }
}

fn top_lists(sort_text: &str, n: u32, a: &str) {
    let sort = sorted(
        sort_text,
        TopPortsSort::ALL,
        TopPortsSort::as_str,
        "topports",
    );
    limit_arg(&TopPorts::new(sort, n), "topports", n, None, 2);
    let top = TopPorts::default().sort_by(sort);
    date_arg(&top.on(a), "topports", a, 3);
    if let Ok(top) = top.limit(n) {
        date_arg(&top.on(a), "topports", a, 3);
    }

    let sort = sorted(sort_text, TopIpsSort::ALL, TopIpsSort::as_str, "topips");
    limit_arg(&TopIps::new(sort, n), "topips", n, None, 2);
    let top = TopIps::default().sort_by(sort);
    if let Ok(top) = top.limit(n) {
        date_arg(&top.on(a), "topips", a, 3);
    }

    let sort = sorted(sort_text, SourcesSort::ALL, SourcesSort::as_str, "sources");
    limit_arg(
        &Sources::new(sort, n),
        "sources",
        n,
        Some(SOURCES_MAX_LIMIT),
        2,
    );
    let sources = Sources::default().sort_by(sort);
    limit_arg(&sources.limit(n), "sources", n, Some(SOURCES_MAX_LIMIT), 2);
    date_arg(&sources.on(a), "sources", a, 3);
}

fn port_dates(port: &str, a: &str, b: &str) {
    let (da, db) = (oracle_date(a), oracle_date(b));
    if let Ok(pd) = PortDate::new(port) {
        date_arg(&pd.on(a), "portdate", a, 2);
    }
    let Ok(history) = PortHistory::new(port) else {
        return;
    };
    let started = history.start(a);
    date_arg(&started, "porthistory", a, 2);
    if let Ok(started) = started {
        let ended = started.end(b);
        let segments = outcome(&ended, "porthistory");
        let expected = matches!((da, db), (Some(da), Some(db)) if db >= da);
        assert_eq!(segments.is_some(), expected, "porthistory {a:?}..{b:?}");
        if let Some(segments) = segments {
            assert_eq!(segments.get(2).map(String::as_str), Some(a));
            assert_eq!(segments.get(3).map(String::as_str), Some(b));
        }
    }
    // End first, then start: whatever builds must still be ordered.
    if let Ok(ended) = history.end(b)
        && let Some(segments) = outcome(&ended.start(a), "porthistory")
    {
        let start = segments.get(2).and_then(|s| oracle_date(s));
        let end = segments.get(3).and_then(|s| oracle_date(s));
        match (start, end) {
            (Some(start), Some(end)) => assert!(start <= end, "porthistory {start}..{end} built"),
            _ => panic!("porthistory segments {segments:?} are not dates"),
        }
    }
}

fn daily(a: &str, b: &str, n: u32) {
    let (da, db) = (oracle_date(a), oracle_date(b));

    // Single-date endpoints; they also establish that the library reads
    // `a` and `b` exactly as the oracle does (which bounds `windows` below).
    for text in [a, b] {
        date_arg(&Daily404Summary::new(text), "daily404summary", text, 1);
    }
    date_arg(&WebHoneypotSummary::new(a), "webhoneypotsummary", a, 1);
    date_arg(&WebHoneypotByType::new(a), "webhoneypotbytype", a, 1);
    date_arg(&Backscatter::on(a), "backscatter", a, 1);
    date_arg(&Daily404Detail::new(a), "daily404detail", a, 1);
    if let Ok(detail) = Daily404Detail::new(a) {
        limit_arg(&detail.limit(n), "daily404detail", n, None, 2);
    }
    if let Ok(backscatter) = Backscatter::on(a) {
        limit_arg(&backscatter.rows(n), "backscatter", n, None, 2);
    }
    let latest = Backscatter::latest().rows(n);
    assert!(latest.is_err(), "backscatter rows without a date");
    outcome(&latest, "backscatter");

    let from_ok = da.is_some_and(|d| d >= DAILY_SUMMARY_FIRST_DAY);
    let from = DailySummary::from(a);
    assert_eq!(
        outcome(&from, "dailysummary").is_some(),
        from_ok,
        "dailysummary from {a:?}"
    );

    let between = DailySummary::between(a, b);
    let expected = match (da, db) {
        (Some(da), Some(db)) => {
            from_ok && db >= da && days(da, db) < i64::from(DAILY_SUMMARY_MAX_DAYS)
        }
        _ => false,
    };
    let segments = outcome(&between, "dailysummary");
    assert_eq!(
        segments.is_some(),
        expected,
        "dailysummary between {a:?} and {b:?}"
    );
    if let Some(segments) = segments {
        assert_eq!(segments.get(1).map(String::as_str), Some(a));
        assert_eq!(segments.get(2).map(String::as_str), Some(b));
    }

    // `windows` over a huge range allocates one endpoint per 30 days: only
    // bounded ranges are split (refusals are cheap and always checked).
    let range = match (da, db) {
        (Some(da), Some(db)) if from_ok && db >= da => Some((da, db)),
        _ => None,
    };
    if range.is_some_and(|(da, db)| days(da, db) > MAX_WINDOW_RANGE_DAYS) {
        return;
    }
    let windows = DailySummary::windows(a, b);
    match (&windows, range) {
        (Err(e), None) => refused(e, "dailysummary"),
        (Err(e), Some(_)) => panic!("dailysummary windows {a:?}..{b:?} refused: {e}"),
        (Ok(w), None) => panic!(
            "dailysummary windows {a:?}..{b:?} built {} windows",
            w.len()
        ),
        (Ok(windows), Some((da, db))) => {
            let span = days(da, db) + 1;
            let max = i64::from(DAILY_SUMMARY_MAX_DAYS);
            assert_eq!(
                windows.len() as i64,
                (span + max - 1) / max,
                "window count for {a}..{b}"
            );
            let mut next = da;
            for (i, window) in windows.iter().enumerate() {
                // Full checks on the first and last window; the rest are
                // compared with `between`, whose results are checked above.
                let segments = if i == 0 || i + 1 == windows.len() {
                    check(window)
                } else {
                    window.segments()
                };
                assert_eq!(segments.len(), 3, "a window without an end: {segments:?}");
                let start = oracle_date(&segments[1]).expect("window start");
                let end = oracle_date(&segments[2]).expect("window end");
                assert_eq!(start, next, "windows are not consecutive");
                assert!(
                    start <= end && days(start, end) < max,
                    "window {start}..{end}"
                );
                let again = DailySummary::between(start, end);
                assert_eq!(
                    again.as_ref().ok(),
                    Some(window),
                    "a window that between() refuses"
                );
                next = end.tomorrow().unwrap_or(end);
            }
            let last = windows.last().map(|w| w.segments()[2].clone());
            assert_eq!(
                last.as_deref(),
                Some(b),
                "the last window does not end on {b}"
            );
        }
    }
}

fn asnum(asn: u32, n: u32) {
    let plain = AsNum::new(asn);
    assert_eq!(check(&plain), ["asnum".to_owned(), asn.to_string()]);
    let limited = plain.limit(n);
    limit_arg(&limited, "asnum", n, Some(ASNUM_MAX_LIMIT), 1);
    if let Ok(limited) = limited {
        assert_eq!(limited.segments().get(2), Some(&asn.to_string()));
    }
}

fn glossary(term: Cow<'_, str>) {
    let only_dots = term.trim().bytes().all(|b| b == b'.');
    let expected = !term.trim().is_empty() && !only_dots && term.len() <= 200;
    let result = Glossary::term(term.clone().into_owned());
    let segments = outcome(&result, "glossary");
    assert_eq!(segments.is_some(), expected, "glossary term {term:?}");
    if let Some(segments) = segments {
        assert_eq!(segments.len(), 2);
        assert_eq!(segments[1], term, "the glossary term changed");
    }
}

fuzz_target!(|data: &[u8]| {
    let mut fields = data.split(|&b| b == 0xFF);
    let mut next = || fields.next().unwrap_or_default();
    let (f_ip, f_port, f_a, f_b, f_sort, f_limit, f_asn, f_term) = (
        next(),
        next(),
        next(),
        next(),
        next(),
        next(),
        next(),
        next(),
    );
    let text = |f: &[u8]| String::from_utf8_lossy(f).into_owned();
    let (ip_text, port_text, a, b, sort_text) =
        (text(f_ip), text(f_port), text(f_a), text(f_b), text(f_sort));
    let n = number(f_limit) as u32;

    ip(&ip_text);
    ports(&port_text, number(f_port));
    top_lists(&sort_text, n, &a);
    port_dates(&port_text, &a, &b);
    daily(&a, &b, n);
    asnum(number(f_asn) as u32, n);
    glossary(String::from_utf8_lossy(f_term));

    fixed();
});

/// Endpoints that take no input: checked once, in every format.
fn fixed() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        fn all<E: Endpoint>(endpoint: &E) {
            let path = endpoint.path();
            check(endpoint);
            for format in [Format::Xml, Format::Text, Format::Php] {
                request(endpoint, &path, format);
            }
        }
        all(&Glossary::all());
        all(&Infocon);
        all(&Handler);
        all(&Backscatter::latest());
        all(&DailySummary::today());
        all(&TopPorts::default());
        all(&TopIps::default());
        all(&Sources::default());
        all(&AsNum::new(4837));
    });
}
