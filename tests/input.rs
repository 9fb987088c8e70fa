//! Bad arguments are refused when the endpoint is built, before any request
//! exists, with an error naming the endpoint, the parameter and the value.

use std::str::FromStr;

use dshield::endpoints::*;
use dshield::{Endpoint, Error};

/// Asserts `result` is an `InvalidInput` for `endpoint`/`parameter`/`value`.
#[track_caller]
fn refused<T: std::fmt::Debug>(
    result: Result<T, Error>,
    endpoint: &str,
    parameter: &str,
    value: &str,
) {
    match result {
        Err(Error::InvalidInput {
            endpoint: e,
            parameter: p,
            value: v,
            reason,
        }) => {
            assert_eq!((e, p, v.as_str()), (endpoint, parameter, value));
            assert!(!reason.is_empty());
        }
        other => panic!("expected {endpoint}/{parameter}/{value:?} to be refused, got {other:?}"),
    }
}

#[test]
fn ip_must_be_an_address_and_nothing_else() {
    for bad in [
        "4.4.4.4/../../admin",
        "4.4.4.4?xml",
        "example.org",
        "1.2.3.256",
        "",
        "::g",
    ] {
        refused(Ip::new(bad), "ip", "ip", bad);
    }
    let message = Ip::new("4.4.4.4/x").unwrap_err().to_string();
    assert_eq!(
        message,
        r#"ip: invalid ip "4.4.4.4/x": expected an IPv4 or IPv6 address"#
    );
    assert_eq!(Ip::new("010.001.002.003").unwrap().path(), "ip/10.1.2.3");
}

#[test]
fn ports_are_0_to_65535() {
    refused(Port::new(65536u32), "port", "port", "65536");
    refused(Port::new(-1i32), "port", "port", "-1");
    refused(Port::new("http"), "port", "port", "http");
    refused(PortDate::new("80/x"), "portdate", "port", "80/x");
    refused(
        PortHistory::new(100_000i64),
        "porthistory",
        "port",
        "100000",
    );
    assert_eq!(Port::new(0).unwrap().path(), "port/0");
    assert_eq!(Port::new(65535u32).unwrap().path(), "port/65535");
}

#[test]
fn dates_must_be_real_calendar_days() {
    refused(
        Backscatter::on("2011-02-30"),
        "backscatter",
        "date",
        "2011-02-30",
    );
    refused(
        PortDate::new(80).unwrap().on("2011-7-3"),
        "portdate",
        "date",
        "2011-7-3",
    );
    refused(
        TopPorts::default().on("yesterday"),
        "topports",
        "date",
        "yesterday",
    );
    refused(
        Sources::default().on("2012-03-08/../x"),
        "sources",
        "date",
        "2012-03-08/../x",
    );
    refused(
        Daily404Summary::new("2012-13-01"),
        "daily404summary",
        "date",
        "2012-13-01",
    );
    refused(WebHoneypotByType::new(""), "webhoneypotbytype", "date", "");
}

#[test]
fn end_dates_never_precede_start_dates() {
    let history = PortHistory::new(80).unwrap().start("2011-07-20").unwrap();
    refused(
        history.end("2011-07-19"),
        "porthistory",
        "end date",
        "2011-07-19",
    );
    let history = PortHistory::new(80).unwrap().end("2011-07-19");
    // The default start is 30 days ago, so an end in 2011 precedes it.
    refused(history, "porthistory", "end date", "2011-07-19");
    refused(
        DailySummary::between("2012-05-03", "2012-05-01"),
        "dailysummary",
        "end date",
        "2012-05-01",
    );
}

#[test]
fn dailysummary_ranges_are_at_most_30_days_from_2002() {
    assert!(DailySummary::between("2012-05-01", "2012-05-30").is_ok());
    refused(
        DailySummary::between("2012-05-01", "2012-05-31"),
        "dailysummary",
        "end date",
        "2012-05-31",
    );
    refused(
        DailySummary::from("2001-12-31"),
        "dailysummary",
        "start date",
        "2001-12-31",
    );

    let windows = DailySummary::windows("2012-05-01", "2012-07-01").unwrap();
    let paths: Vec<String> = windows.iter().map(Endpoint::path).collect();
    assert_eq!(
        paths,
        [
            "dailysummary/2012-05-01/2012-05-30",
            "dailysummary/2012-05-31/2012-06-29",
            "dailysummary/2012-06-30/2012-07-01",
        ]
    );
}

#[test]
fn sort_keys_are_checked_per_endpoint() {
    assert_eq!(
        TopPortsSort::from_str("targets").unwrap(),
        TopPortsSort::Targets
    );
    refused(
        TopPortsSort::from_str("attacks"),
        "topports",
        "sort key",
        "attacks",
    );
    assert_eq!(
        TopIpsSort::from_str("attacks").unwrap(),
        TopIpsSort::Attacks
    );
    refused(
        TopIpsSort::from_str("targets"),
        "topips",
        "sort key",
        "targets",
    );
    assert_eq!(
        SourcesSort::from_str("firstseen").unwrap(),
        SourcesSort::FirstSeen
    );
    refused(
        SourcesSort::from_str("records"),
        "sources",
        "sort key",
        "records",
    );
    let message = SourcesSort::from_str("x").unwrap_err().to_string();
    assert!(
        message.contains("ip, count, attacks, firstseen, lastseen"),
        "{message}"
    );
}

#[test]
fn limits_are_positive_and_capped() {
    refused(TopPorts::default().limit(0), "topports", "limit", "0");
    refused(TopIps::default().limit(0), "topips", "limit", "0");
    refused(Sources::default().limit(0), "sources", "limit", "0");
    refused(
        Sources::default().limit(10_001),
        "sources",
        "limit",
        "10001",
    );
    assert!(Sources::default().limit(10_000).is_ok());
    refused(AsNum::new(4837).limit(2001), "asnum", "limit", "2001");
    assert!(AsNum::new(4837).limit(2000).is_ok());
    refused(
        Daily404Detail::new("2012-02-23").unwrap().limit(0),
        "daily404detail",
        "limit",
        "0",
    );
    refused(
        Backscatter::on("2011-12-01").unwrap().rows(0),
        "backscatter",
        "rows",
        "0",
    );
}

#[test]
fn backscatter_rows_need_a_date() {
    refused(Backscatter::latest().rows(10), "backscatter", "rows", "10");
}

#[test]
fn glossary_terms_are_one_encoded_segment() {
    assert_eq!(Glossary::term("a/b").unwrap().path(), "glossary/a%2Fb");
    refused(Glossary::term(".."), "glossary", "term", "..");
    refused(Glossary::term("."), "glossary", "term", ".");
    assert_eq!(Glossary::term("a..b").unwrap().path(), "glossary/a..b");
    assert_eq!(
        Glossary::term("x?json#y").unwrap().path(),
        "glossary/x%3Fjson%23y"
    );
    assert_eq!(Glossary::term("100%").unwrap().path(), "glossary/100%25");
    assert_eq!(
        Glossary::term("port scan").unwrap().path(),
        "glossary/port%20scan"
    );
    assert_eq!(
        Glossary::term("x\r\nHost: evil").unwrap().path(),
        "glossary/x%0D%0AHost:%20evil"
    );
    refused(Glossary::term(" "), "glossary", "term", " ");
    assert!(Glossary::term("x".repeat(201)).is_err());
}

#[test]
fn bad_input_never_reaches_the_network() {
    // Construction fails, so there is no endpoint to send: the transport is
    // never asked for anything.
    let transport = crate::support::Canned::new(Vec::new());
    let client = crate::support::client(transport, dshield::Wire::Json);
    let sent = Ip::new("1.2.3.4/../x").and_then(|ip| client.query(&ip));
    assert!(matches!(sent, Err(Error::InvalidInput { .. })));
    assert!(client.transport().uris().is_empty());
}
