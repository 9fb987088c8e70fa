//! How fast a large list answer decodes, typed and untyped, from JSON and
//! from XML.
//!
//! The body is a 10 000-row `sources` answer, the largest the API sends,
//! generated from a fixed seed so every run measures the same bytes. It has
//! the service's quirks: counts sent as JSON numbers or as strings,
//! zero-padded IPv4 octets, IPv6 addresses, and missing values sent as
//! `null`, `""` or a zero date (empty elements in XML). The JSON and the XML
//! carry the same rows, and both are checked to decode to the same 10 000
//! values before anything is timed, so no case can quietly measure an
//! error path.
//!
//! One group, three cases:
//!
//! - `typed_json`: [`dshield::decode_body`] into `List<Source>` from JSON;
//! - `typed_xml`: the same from XML (streaming serde over quick-xml events);
//! - `untyped_json_value`: `serde_json::from_slice::<serde_json::Value>` on
//!   the same JSON bytes, the floor a typed decoder should beat.
//!
//! Throughput is the input size of each case: the JSON bytes for the two
//! JSON cases, the XML bytes for the XML case. Each iteration includes
//! dropping the decoded value, as a caller would.
//!
//! Targets: `typed_json` at least as fast as `untyped_json_value`, and
//! `typed_xml` within 3x the time of `typed_json`.
//!
//! Run with `cargo bench --bench decode`.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dshield::endpoints::Source;
use dshield::{List, Wire, decode_body};

/// The most rows the `sources` endpoint answers with.
const ROWS: usize = 10_000;

/// A xorshift64 generator: deterministic, and enough to vary the rows.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number below `n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True about once in `n` draws.
    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }
}

/// A field's value, written the same way into both formats.
///
/// Writing into a `String` cannot fail, so the `fmt::Result`s below are
/// dropped with `unwrap_or_default`.
enum Field {
    /// `null` in JSON, an empty element in XML.
    Null,
    /// A JSON number.
    Number(u64),
    /// A JSON string; the same text in XML.
    Text(String),
}

impl Field {
    fn json(&self, out: &mut String) {
        match self {
            Field::Null => out.push_str("null"),
            Field::Number(n) => write!(out, "{n}").unwrap_or_default(),
            Field::Text(text) => write!(out, "\"{text}\"").unwrap_or_default(),
        }
    }

    fn xml(&self, name: &str, out: &mut String) {
        match self {
            Field::Null => writeln!(out, "<{name}/>").unwrap_or_default(),
            Field::Number(n) => writeln!(out, "<{name}>{n}</{name}>").unwrap_or_default(),
            Field::Text(text) => writeln!(out, "<{name}>{text}</{name}>").unwrap_or_default(),
        }
    }
}

fn ip(rng: &mut XorShift) -> Field {
    let text = if rng.one_in(8) {
        let [a, b, c] = [
            rng.below(0x1_0000),
            rng.below(0x1_0000),
            rng.below(0x1_0000),
        ];
        if rng.one_in(2) {
            format!("2001:db8:{a:x}::{b:x}:{c:x}")
        } else {
            format!("2a02:{a:x}:{b:x}:{c:x}:0:0:0:{:x}", rng.below(0x1_0000))
        }
    } else {
        let octets = [
            rng.below(256),
            rng.below(256),
            rng.below(256),
            rng.below(256),
        ];
        let [a, b, c, d] = octets;
        if rng.one_in(3) {
            // How older answers write addresses: every octet three digits.
            format!("{a:03}.{b:03}.{c:03}.{d:03}")
        } else {
            format!("{a}.{b}.{c}.{d}")
        }
    };
    Field::Text(text)
}

fn number(rng: &mut XorShift, max: u64) -> Field {
    match rng.below(20) {
        0 => Field::Null,
        1 => Field::Text(String::new()),
        2..=9 => Field::Number(rng.below(max)),
        _ => Field::Text(rng.below(max).to_string()),
    }
}

fn date(rng: &mut XorShift) -> Field {
    match rng.below(20) {
        0 => Field::Null,
        1 => Field::Text("0000-00-00".to_owned()),
        _ => {
            let (month, day) = (1 + rng.below(12), 1 + rng.below(28));
            Field::Text(format!("2026-{month:02}-{day:02}"))
        }
    }
}

/// A `sources` answer of `rows` rows, as (JSON, XML) with the same content.
fn sources_answer(rows: usize) -> (Vec<u8>, Vec<u8>) {
    let mut rng = XorShift(0x5EED_0D51_E1D0_0001);
    let mut json = String::with_capacity(rows * 110);
    let mut xml = String::with_capacity(rows * 160);
    json.push('[');
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sources>\n");
    for row in 0..rows {
        let fields = [
            ("ip", ip(&mut rng)),
            ("attacks", number(&mut rng, 70_000)),
            ("count", number(&mut rng, 5_000_000)),
            ("firstseen", date(&mut rng)),
            ("lastseen", date(&mut rng)),
        ];
        if row > 0 {
            json.push(',');
        }
        json.push('{');
        xml.push_str("<data>\n");
        for (i, (name, value)) in fields.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            write!(json, "\"{name}\":").unwrap_or_default();
            value.json(&mut json);
            value.xml(name, &mut xml);
        }
        json.push('}');
        xml.push_str("</data>\n");
    }
    json.push(']');
    xml.push_str("</sources>\n");
    (json.into_bytes(), xml.into_bytes())
}

fn typed(wire: Wire, body: &[u8]) -> List<Source> {
    match decode_body::<List<Source>>("sources", wire, body) {
        Ok(list) => list,
        Err(e) => panic!("the generated {wire:?} answer does not decode: {e}"),
    }
}

/// Fails unless both bodies decode, to the same rows, with the quirks the
/// generator means to exercise actually present.
fn check(json: &[u8], xml: &[u8]) {
    let from_json = typed(Wire::Json, json);
    let from_xml = typed(Wire::Xml, xml);
    assert_eq!(from_json.len(), ROWS, "rows decoded from JSON");
    assert_eq!(from_json, from_xml, "JSON and XML decode differently");

    let ipv6 = from_json.iter().filter(|s| s.ip.is_ipv6()).count();
    let no_attacks = from_json.iter().filter(|s| s.attacks.is_none()).count();
    let no_firstseen = from_json.iter().filter(|s| s.firstseen.is_none()).count();
    assert!(
        ipv6 > 0 && no_attacks > 0 && no_firstseen > 0,
        "the rows lack the quirks"
    );

    let text = String::from_utf8_lossy(json);
    for quirk in [
        r#""attacks":"1"#,
        r#""count":1"#,
        r#""ip":"0"#,
        r#":null"#,
        r#":"""#,
    ] {
        assert!(text.contains(quirk), "the JSON never has {quirk}");
    }

    match serde_json::from_slice::<serde_json::Value>(json) {
        Ok(serde_json::Value::Array(rows)) => assert_eq!(rows.len(), ROWS),
        other => panic!("the generated JSON is not an array of rows: {other:?}"),
    }
}

fn decode(c: &mut Criterion) {
    let (json, xml) = sources_answer(ROWS);
    check(&json, &xml);

    let mut group = c.benchmark_group("decode_sources_10000");
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("typed_json", |b| {
        b.iter(|| typed(Wire::Json, black_box(&json)))
    });
    group.throughput(Throughput::Bytes(xml.len() as u64));
    group.bench_function("typed_xml", |b| {
        b.iter(|| typed(Wire::Xml, black_box(&xml)))
    });
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("untyped_json_value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&json)))
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
