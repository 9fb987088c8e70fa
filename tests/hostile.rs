//! Broken and hostile answers from a real HTTP server on 127.0.0.1, through
//! the isahc transport, in both wire formats: each ends in the right typed
//! error, and nothing panics.

#![cfg(feature = "isahc")]

use std::time::Duration;

use dshield::endpoints::{Port, TopPorts};
use dshield::transport::{IsahcError, IsahcTransport};
use dshield::{Client, Error, RetryAfter, Wire};

use crate::support::fixture;
use crate::support::server::{Reply, Server};

const WIRES: [Wire; 2] = [Wire::Json, Wire::Xml];

/// The error a `topports` call ends in when the server answers with the
/// reply `make` builds for the wire format.
fn error_for(wire: Wire, make: impl Fn(Wire) -> Reply + Send + Sync + 'static) -> Error {
    let server = Server::start(move |_| make(wire));
    let transport = IsahcTransport::builder()
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(server.base_url())
        .contact("tests@example.org")
        .wire(wire)
        .build_with(transport)
        .unwrap();
    match client.query(&TopPorts::default()) {
        Ok(answer) => panic!("{wire}: expected an error, got {answer:?}"),
        Err(e) => e,
    }
}

fn topports_body(wire: Wire) -> Vec<u8> {
    fixture(&format!("topports-records-25-2026-10-05.{wire}"))
}

fn isahc_error(err: &Error) -> &IsahcError {
    match err {
        Error::Transport { source, .. } => source.downcast_ref().unwrap(),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[track_caller]
fn assert_decode_error(err: &Error, wire: Wire, reason_part: &str) {
    match err {
        Error::Decode { format, reason, .. } => {
            assert_eq!(*format, dshield::Format::from(wire));
            assert!(
                reason.contains(reason_part),
                "{wire}: {reason:?} lacks {reason_part:?}"
            );
        }
        other => panic!("{wire}: expected a decode error, got {other:?}"),
    }
}

#[test]
fn truncated_bodies() {
    for wire in WIRES {
        let err = error_for(wire, |wire| {
            let mut body = topports_body(wire);
            body.truncate(body.len() / 2);
            Reply::ok(body)
        });
        let expected = if wire == Wire::Json {
            "EOF"
        } else {
            "cut short"
        };
        assert_decode_error(&err, wire, expected);
    }
}

#[test]
fn connection_cut_before_content_length() {
    for wire in WIRES {
        let err = error_for(wire, |wire| {
            let body = topports_body(wire);
            Reply::CutShort {
                declared: body.len() + 500,
                body,
            }
        });
        assert!(
            matches!(isahc_error(&err), IsahcError::Read(_) | IsahcError::Http(_)),
            "{err:?}"
        );
    }
}

#[test]
fn html_error_page_with_status_200() {
    for wire in WIRES {
        let err = error_for(wire, |_| {
            Reply::ok("<!DOCTYPE html><html><body>Service unavailable</body></html>")
        });
        assert_decode_error(&err, wire, "HTML page");
    }
}

#[test]
fn html_error_page_with_status_5xx() {
    for wire in WIRES {
        let err = error_for(wire, |_| {
            Reply::status(503, "<html><body>Service unavailable</body></html>")
        });
        assert!(
            matches!(&err, Error::Status { status, excerpt, .. }
            if status.as_u16() == 503 && excerpt.contains("Service unavailable")),
            "{err:?}"
        );
    }
}

#[test]
fn empty_body() {
    for wire in WIRES {
        let err = error_for(wire, |_| Reply::ok(Vec::new()));
        assert_decode_error(&err, wire, "empty");
    }
}

#[test]
fn binary_garbage() {
    for wire in WIRES {
        let err = error_for(wire, |_| {
            let mut x = 0x9E37_79B9_7F4A_7C15u64;
            let garbage: Vec<u8> = (0..8192)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            Reply::ok(garbage)
        });
        assert!(matches!(err, Error::Decode { .. }), "{wire}: {err:?}");
    }
}

#[test]
fn deeply_nested_documents() {
    for wire in WIRES {
        let err = error_for(wire, |wire| match wire {
            // Inside an unknown key, which the decoder skips by recursing.
            Wire::Json => Reply::ok(format!(
                r#"{{"0":{{"targetport":1}},"extra":{}"#,
                "[".repeat(1_000_000)
            )),
            Wire::Xml => Reply::ok(format!("<topports><extra>{}", "<a>".repeat(1_000_000))),
        });
        // serde_json skips unknown values without recursing, so JSON ends
        // at the end of input; the XML parser refuses the depth itself.
        let expected = if wire == Wire::Json {
            "EOF"
        } else {
            "nested more than"
        };
        assert_decode_error(&err, wire, expected);
    }
}

/// Peak resident memory of this process so far, from /proc.
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[test]
fn a_body_of_hundreds_of_megabytes_stops_at_the_cap_in_bounded_memory() {
    const HUGE: u64 = 400 * 1024 * 1024;
    for wire in WIRES {
        // No Content-Length: the cap must hold while reading.
        let err = error_for(wire, |_| Reply::Endless { bytes: HUGE });
        assert!(
            matches!(isahc_error(&err), IsahcError::TooLarge { limit } if *limit == 4 * 1024 * 1024),
            "{err:?}"
        );
        // Declared up front: refused before reading.
        let err = error_for(wire, |_| Reply::Full {
            status: 200,
            headers: Vec::new(),
            body: vec![b' '; 8 * 1024 * 1024],
        });
        assert!(
            matches!(isahc_error(&err), IsahcError::TooLarge { .. }),
            "{err:?}"
        );
    }
    // The whole test binary, every test included, stayed far below the
    // 400 MB that reading the endless body would have taken.
    if let Some(peak) = peak_rss_bytes() {
        eprintln!(
            "peak resident memory of the test process: {} MiB",
            peak >> 20
        );
        assert!(peak < HUGE / 2, "peak resident memory {} MiB", peak >> 20);
    }
}

#[test]
fn rate_limited_with_and_without_retry_after() {
    for wire in WIRES {
        let err = error_for(wire, |_| Reply::Full {
            status: 429,
            headers: vec![("Retry-After".into(), "120".into())],
            body: b"Try again after 120 seconds".to_vec(),
        });
        assert!(
            matches!(
                err,
                Error::RateLimited {
                    retry_after: Some(RetryAfter::Seconds(120)),
                    ..
                }
            ),
            "{err:?}"
        );
        let err = error_for(wire, |_| Reply::status(429, "Too many requests"));
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
    }
}

#[test]
fn not_found() {
    for wire in WIRES {
        let err = error_for(wire, |_| Reply::status(404, "Not Found"));
        assert!(
            matches!(&err, Error::Status { status, .. } if status.as_u16() == 404),
            "{err:?}"
        );
    }
}

#[test]
fn a_server_that_never_answers_hits_the_timeout() {
    for wire in WIRES {
        let err = error_for(wire, |_| Reply::Silent {
            hold: Duration::from_secs(20),
        });
        match isahc_error(&err) {
            IsahcError::Http(e) => assert!(e.is_timeout(), "{e:?}"),
            other => panic!("expected a timeout, got {other:?}"),
        }
    }
}

#[test]
fn refusals_in_either_format_are_service_errors() {
    for wire in WIRES {
        let server = Server::start(move |_| match wire {
            Wire::Json => Reply::ok(r#"{"port":{"number":"bad port number"}}"#),
            Wire::Xml => Reply::ok("<port><number>bad port number</number></port>"),
        });
        let client = Client::builder()
            .base_url(server.base_url())
            .contact("tests@example.org")
            .wire(wire)
            .build_with(IsahcTransport::new().unwrap())
            .unwrap();
        let err = client.query(&Port::new(80).unwrap()).unwrap_err();
        assert!(
            matches!(&err, Error::Service { message, .. } if message == "bad port number"),
            "{err:?}"
        );
    }
}
