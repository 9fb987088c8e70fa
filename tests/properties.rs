//! Property tests: any endpoint built from valid arguments has a path of
//! the documented form, and every segment is safe in a URL.

use std::net::IpAddr;

use dshield::endpoints::*;
use dshield::{Endpoint, Format};
use jiff::civil::Date;
use proptest::prelude::*;

/// Characters a segment may hold as they are; anything else must be `%XX`.
fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | ':')
}

/// Decodes `%XX` escapes, refusing any other character outside the plain set.
fn decode_segment(segment: &str) -> Result<String, String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = segment.get(i + 1..i + 3).ok_or("a cut-off escape")?;
                if !hex
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
                {
                    return Err(format!("a bad escape %{hex}"));
                }
                out.push(u8::from_str_radix(hex, 16).map_err(|e| e.to_string())?);
                i += 3;
            }
            b if is_plain(char::from(b)) => {
                out.push(b);
                i += 1;
            }
            b => return Err(format!("the raw byte {b:#04x}")),
        }
    }
    String::from_utf8(out).map_err(|e| e.to_string())
}

/// Checks the invariants every path has and returns its segments.
fn segments_of(endpoint: &impl Endpoint) -> Vec<String> {
    let path = endpoint.path();
    let segments: Vec<String> = path.split('/').map(str::to_owned).collect();
    assert_eq!(segments[0], endpoint.name(), "{path}");
    for segment in &segments {
        assert!(!segment.is_empty(), "empty segment in {path}");
        assert!(segment != "." && segment != "..", "dot segment in {path}");
        let decoded = decode_segment(segment).unwrap_or_else(|e| panic!("{path}: {e}"));
        // Normalisers treat `%2E` as `.`, so the decoded form counts too.
        assert!(decoded != "." && decoded != "..", "dot segment in {path}");
    }
    let request = dshield::build_request(
        "https://isc.sans.edu/api/",
        &http::HeaderValue::from_static("proptest"),
        endpoint,
        Format::Json,
    )
    .unwrap();
    assert_eq!(request.uri().path(), format!("/api/{path}"));
    assert_eq!(request.uri().query(), Some("json"));
    segments
}

fn is_ymd(segment: &str) -> bool {
    let b = segment.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && segment.parse::<Date>().is_ok()
}

fn is_number(segment: &str) -> bool {
    !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) && !segment.starts_with('0')
        || segment == "0"
}

fn date() -> impl Strategy<Value = Date> {
    (2002i16..=2099, 1i16..=366).prop_map(|(year, day)| {
        let first = jiff::civil::date(year, 1, 1);
        first
            .with()
            .day_of_year_no_leap(day.min(365))
            .build()
            .unwrap_or(first)
    })
}

fn ip() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        any::<u32>().prop_map(|n| IpAddr::from(n.to_be_bytes())),
        any::<u128>().prop_map(|n| IpAddr::from(n.to_be_bytes()))
    ]
}

proptest! {
    #[test]
    fn ip_paths(address in ip()) {
        let segments = segments_of(&Ip::new(address).unwrap());
        prop_assert_eq!(segments.len(), 2);
        prop_assert_eq!(segments[1].parse::<IpAddr>().unwrap(), address);
    }

    #[test]
    fn ip_from_text_round_trips(address in ip()) {
        let segments = segments_of(&Ip::new(address.to_string()).unwrap());
        prop_assert_eq!(&segments[1], &address.to_string());
    }

    #[test]
    fn port_paths(port in any::<u16>(), day in date()) {
        let segments = segments_of(&Port::new(port).unwrap());
        prop_assert_eq!(segments, vec!["port".to_owned(), port.to_string()]);
        let segments = segments_of(&PortDate::new(port).unwrap().on(day).unwrap());
        prop_assert_eq!(segments.len(), 3);
        prop_assert!(is_ymd(&segments[2]));
    }

    #[test]
    fn porthistory_paths(port in any::<u16>(), start in date(), days in 0i64..400) {
        let end = start.checked_add(jiff::Span::new().days(days)).unwrap();
        let segments = segments_of(&PortHistory::new(port).unwrap().start(start).unwrap().end(end).unwrap());
        prop_assert_eq!(segments.len(), 4);
        prop_assert_eq!(&segments[1], &port.to_string());
        prop_assert!(is_ymd(&segments[2]) && is_ymd(&segments[3]));
        prop_assert!(segments[2] <= segments[3]);
    }

    #[test]
    fn top_list_paths(
        sort in 0usize..5,
        limit in 1u32..=u32::MAX,
        source_limit in 1u32..=10_000,
        day in proptest::option::of(date()),
    ) {
        let mut top = TopPorts::new(TopPortsSort::ALL[sort % 3], limit).unwrap();
        let mut ips = TopIps::new(TopIpsSort::ALL[sort % 2], limit).unwrap();
        let mut sources = Sources::new(SourcesSort::ALL[sort], source_limit).unwrap();
        if let Some(day) = day {
            top = top.on(day).unwrap();
            ips = ips.on(day).unwrap();
            sources = sources.on(day).unwrap();
        }
        for (segments, keys) in [
            (segments_of(&top), TopPortsSort::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>()),
            (segments_of(&ips), TopIpsSort::ALL.iter().map(|k| k.as_str()).collect()),
            (segments_of(&sources), SourcesSort::ALL.iter().map(|k| k.as_str()).collect()),
        ] {
            prop_assert_eq!(segments.len(), 3 + usize::from(day.is_some()));
            prop_assert!(keys.contains(&segments[1].as_str()));
            prop_assert!(is_number(&segments[2]));
            if day.is_some() {
                prop_assert!(is_ymd(&segments[3]));
            }
        }
    }

    #[test]
    fn asnum_paths(asn in any::<u32>(), limit in proptest::option::of(1u32..=2000)) {
        let mut endpoint = AsNum::new(asn);
        if let Some(limit) = limit {
            endpoint = endpoint.limit(limit).unwrap();
        }
        let segments = segments_of(&endpoint);
        let expected: Vec<String> = std::iter::once("asnum".to_owned())
            .chain(limit.map(|l| l.to_string()))
            .chain(std::iter::once(asn.to_string()))
            .collect();
        prop_assert_eq!(segments, expected);
    }

    #[test]
    fn dated_paths(day in date(), rows in 1u32..100_000, days in 0i64..30) {
        for segments in [
            segments_of(&Backscatter::on(day).unwrap().rows(rows).unwrap()),
            segments_of(&Daily404Summary::new(day).unwrap()),
            segments_of(&Daily404Detail::new(day).unwrap().limit(rows).unwrap()),
            segments_of(&WebHoneypotSummary::new(day).unwrap()),
            segments_of(&WebHoneypotByType::new(day).unwrap()),
            segments_of(&DailySummary::between(day, day.checked_add(jiff::Span::new().days(days)).unwrap()).unwrap()),
        ] {
            prop_assert!(segments.len() <= 3);
            prop_assert!(is_ymd(&segments[1]));
            if let Some(last) = segments.get(2) {
                prop_assert!(is_ymd(last) || is_number(last));
            }
        }
    }

    #[test]
    fn dailysummary_windows_cover_the_range_exactly(start in date(), days in 0i64..2000) {
        let end = start.checked_add(jiff::Span::new().days(days)).unwrap();
        let windows = DailySummary::windows(start, end).unwrap();
        let mut expected_start = start;
        for window in &windows {
            let segments = segments_of(window);
            let (first, last): (Date, Date) = (segments[1].parse().unwrap(), segments[2].parse().unwrap());
            prop_assert_eq!(first, expected_start);
            prop_assert!(last >= first && (last - first).get_days() < 30);
            expected_start = last.tomorrow().unwrap();
        }
        prop_assert_eq!(expected_start, end.tomorrow().unwrap());
    }

    #[test]
    fn glossary_terms_are_one_segment_that_decodes_back(term in "\\PC{1,60}") {
        prop_assume!(!term.trim().is_empty());
        // Dot-only terms would be dot segments to URL normalisers.
        if term.trim().bytes().all(|b| b == b'.') {
            prop_assert!(Glossary::term(term).is_err());
            return Ok(());
        }
        let segments = segments_of(&Glossary::term(term.clone()).unwrap());
        prop_assert_eq!(segments.len(), 2);
        prop_assert_eq!(decode_segment(&segments[1]).unwrap(), term);
    }

    #[test]
    fn glossary_terms_of_any_bytes_stay_one_segment(term in any::<String>()) {
        if let Ok(glossary) = Glossary::term(term.clone()) {
            let segments = segments_of(&glossary);
            prop_assert_eq!(segments.len(), 2);
            prop_assert_eq!(decode_segment(&segments[1]).unwrap(), term);
        }
    }
}
