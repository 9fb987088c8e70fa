//! Every error path of a call: status, rate limiting, refusals by the
//! service, broken bodies, failing transports.

use std::io;

use dshield::endpoints::*;
use dshield::{Error, Format, Position, RetryAfter, Wire};

use crate::support::{Canned, client, fixture};

fn query_with<E: dshield::Endpoint>(
    transport: Canned,
    wire: Wire,
    endpoint: &E,
) -> Result<E::Response, Error> {
    client(transport, wire).query(endpoint)
}

#[test]
fn rate_limited_with_retry_after() {
    let transport = Canned::new("Try again after 300 seconds")
        .status(429)
        .header("Retry-After", "300");
    let err = query_with(transport, Wire::Json, &Infocon).unwrap_err();
    assert!(
        matches!(
            err,
            Error::RateLimited {
                endpoint: "infocon",
                retry_after: Some(RetryAfter::Seconds(300))
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("rate limiting"), "{err}");
    assert!(err.is_temporary());
}

#[test]
fn rate_limited_without_retry_after_says_five_minutes() {
    let err = query_with(Canned::new("").status(429), Wire::Xml, &Handler).unwrap_err();
    assert!(
        matches!(
            err,
            Error::RateLimited {
                retry_after: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("five minutes"), "{err}");
}

#[test]
fn server_error_status_keeps_an_excerpt() {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>".repeat(20);
    let err = query_with(Canned::new(page).status(502), Wire::Json, &Infocon).unwrap_err();
    match &err {
        Error::Status {
            endpoint: "infocon",
            status,
            excerpt,
        } => {
            assert_eq!(status.as_u16(), 502);
            assert!(
                excerpt.starts_with("<html><body><h1>502 Bad Gateway"),
                "{excerpt}"
            );
            assert!(excerpt.chars().count() <= 81, "excerpt is short: {excerpt}");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.is_temporary());
}

#[test]
fn not_found_is_a_status_error() {
    let err = query_with(Canned::new("Not Found").status(404), Wire::Json, &Infocon).unwrap_err();
    assert!(
        matches!(&err, Error::Status { status, .. } if status.as_u16() == 404),
        "{err:?}"
    );
    assert!(!err.is_temporary());
}

#[test]
fn redirects_are_not_success() {
    let transport = Canned::new("")
        .status(302)
        .header("Location", "https://elsewhere.example/");
    let err = query_with(transport, Wire::Json, &Infocon).unwrap_err();
    assert!(
        matches!(&err, Error::Status { status, .. } if status.as_u16() == 302),
        "{err:?}"
    );
}

#[test]
fn bad_ip_address_quotes_the_service() {
    let ip = Ip::new("1.2.3.4").unwrap();
    for (wire, body) in [
        (Wire::Json, r#"{"ip":{"number":"bad IP address"}}"#),
        (Wire::Xml, "<ip><number>bad IP address</number></ip>"),
        (Wire::Json, r#"{"error":"bad IP address"}"#),
    ] {
        let err = query_with(Canned::new(body), wire, &ip).unwrap_err();
        match &err {
            Error::Service {
                endpoint: "ip",
                message,
            } => assert_eq!(message, "bad IP address"),
            other => panic!("{body}: {other:?}"),
        }
        assert!(err.to_string().contains("\"bad IP address\""), "{err}");
    }
}

#[test]
fn bad_port_number_quotes_the_service_for_every_port_endpoint() {
    let body = "<port><number>bad port number</number></port>";
    let port = Port::new(80).unwrap();
    let err = query_with(Canned::new(body), Wire::Xml, &port).unwrap_err();
    assert!(
        matches!(&err, Error::Service { endpoint: "port", message } if message == "bad port number"),
        "{err:?}"
    );
    let err = query_with(Canned::new(body), Wire::Xml, &PortDate::new(80).unwrap()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Service {
                endpoint: "portdate",
                ..
            }
        ),
        "{err:?}"
    );
    let err = query_with(Canned::new(body), Wire::Xml, &PortHistory::new(80).unwrap()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Service {
                endpoint: "porthistory",
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn raw_calls_report_refusals_too() {
    let client = client(Canned::new("bad IP address"), Wire::Json);
    let err = client
        .raw(&Ip::new("1.2.3.4").unwrap(), Format::Text)
        .unwrap_err();
    assert!(matches!(err, Error::Service { .. }), "{err:?}");
}

#[track_caller]
fn decode_error<E: dshield::Endpoint>(
    endpoint: &E,
    wire: Wire,
    body: impl Into<Vec<u8>>,
) -> (String, Option<Position>, String) {
    let Err(err) = query_with(Canned::new(body), wire, endpoint) else {
        panic!("expected a decode error, got an answer");
    };
    let message = err.to_string();
    match err {
        Error::Decode {
            endpoint: name,
            format,
            position,
            reason,
            excerpt,
        } => {
            assert_eq!(name, endpoint.name());
            assert_eq!(format, Format::from(wire));
            assert!(message.contains(&reason), "{message}");
            (reason, position, excerpt)
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn truncated_json_names_where_it_stopped() {
    let mut body = fixture("topports-records-25-2026-10-05.json");
    body.truncate(500);
    let (reason, position, _) = decode_error(&TopPorts::default(), Wire::Json, body);
    assert!(reason.contains("EOF"), "{reason}");
    assert_eq!(position.map(|p| p.line), Some(1));
}

#[test]
fn truncated_xml_names_the_open_element() {
    let body = fixture("port-80.xml");
    let (reason, position, _) = decode_error(&Port::new(80).unwrap(), Wire::Xml, &body[..200]);
    assert!(reason.contains("cut short"), "{reason}");
    assert!(position.is_some());
}

#[test]
fn html_page_with_status_200_is_a_decode_error() {
    let page = "<!DOCTYPE html>\n<html><head><title>Maintenance</title></head></html>";
    for wire in [Wire::Json, Wire::Xml] {
        let (reason, _, excerpt) = decode_error(&Infocon, wire, page);
        assert!(reason.contains("HTML page"), "{reason}");
        assert!(excerpt.contains("Maintenance"), "{excerpt}");
    }
}

#[test]
fn empty_body_is_a_decode_error() {
    for wire in [Wire::Json, Wire::Xml] {
        let (reason, position, _) = decode_error(&Sources::default(), wire, "  \n");
        assert_eq!(reason, "the answer is empty");
        assert_eq!(position, None);
    }
}

#[test]
fn wrong_format_is_a_decode_error() {
    let (_, position, excerpt) = decode_error(&Infocon, Wire::Json, fixture("infocon.xml"));
    assert_eq!(position, Some(Position { line: 1, column: 1 }));
    assert!(excerpt.starts_with("<?xml"), "{excerpt}");
    let (reason, _, _) = decode_error(&Infocon, Wire::Xml, fixture("infocon.json"));
    assert!(reason.contains("text outside"), "{reason}");
}

#[test]
fn a_bad_value_is_located_in_the_body() {
    let body = "<asnum>\n<data>\n<ip>999.1.1.1</ip>\n</data>\n</asnum>";
    let (reason, position, excerpt) = decode_error(&AsNum::new(4837), Wire::Xml, body);
    assert!(
        reason.contains("999.1.1.1") && reason.contains("IPv4 or IPv6"),
        "{reason}"
    );
    assert_eq!(position, Some(Position { line: 3, column: 1 }));
    assert!(excerpt.contains("999.1.1.1"), "{excerpt}");
    let body = "[{\"ip\": \"1.2.3.4\",\n \"count\": \"many\"}]";
    let (reason, position, _) = decode_error(&Sources::default(), Wire::Json, body);
    assert!(reason.contains("many"), "{reason}");
    assert_eq!(position.map(|p| p.line), Some(2));
}

#[test]
fn binary_garbage_is_a_decode_error() {
    let garbage: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    decode_error(&Infocon, Wire::Json, garbage.clone());
    decode_error(&Infocon, Wire::Xml, garbage);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    decode_error(&Infocon, Wire::Json, "[".repeat(100_000));
    decode_error(&Infocon, Wire::Xml, "<a>".repeat(100_000));
}

#[test]
fn missing_required_value_is_a_decode_error() {
    let (reason, _, _) = decode_error(&Infocon, Wire::Json, r#"{"status":null}"#);
    assert!(reason.contains("no value"), "{reason}");
}

#[test]
fn transport_failures_keep_their_source() {
    let failing = |_: http::Request<Vec<u8>>| -> Result<http::Response<Vec<u8>>, io::Error> {
        Err(io::Error::new(
            io::ErrorKind::ConnectionRefused,
            "connection refused",
        ))
    };
    let client = dshield::Client::builder()
        .contact("t@example.org")
        .build_with(failing)
        .unwrap();
    let err = client.query(&Infocon).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                endpoint: "infocon",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_temporary());
    let source = std::error::Error::source(&err).unwrap();
    assert_eq!(source.to_string(), "connection refused");
}
