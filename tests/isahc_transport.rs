//! The isahc transport against a real HTTP server on 127.0.0.1.

#![cfg(feature = "isahc")]

use std::time::Duration;

use dshield::endpoints::{Infocon, TopPorts};
use dshield::transport::{IsahcError, IsahcTransport};
use dshield::{Client, Error, Wire};

use crate::support::fixture;
use crate::support::server::{Reply, Server};

fn client_for(server: &Server, transport: IsahcTransport) -> Client<IsahcTransport> {
    Client::builder()
        .base_url(server.base_url())
        .contact("tests@example.org")
        .wire(Wire::Json)
        .build_with(transport)
        .unwrap()
}

fn quick() -> IsahcTransport {
    IsahcTransport::builder()
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap()
}

/// The isahc error inside a transport failure.
fn isahc_error(err: &Error) -> &IsahcError {
    match err {
        Error::Transport { source, .. } => source.downcast_ref::<IsahcError>().unwrap(),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[test]
fn a_real_exchange_sends_the_path_and_user_agent() {
    let server = Server::start(|line| {
        if line.starts_with("GET /api/topports/records/10?json ") {
            Reply::ok(fixture("topports-records-25-2026-10-05.json"))
        } else {
            Reply::status(404, "no")
        }
    });
    let client = client_for(&server, quick());
    let top = client.query(&TopPorts::default()).unwrap();
    assert_eq!(top.ports.len(), 25);
    assert_eq!(
        server.request_lines(),
        ["GET /api/topports/records/10?json HTTP/1.1"]
    );
    let agent = server.first_header("user-agent").unwrap();
    assert!(agent.contains("contact: tests@example.org"), "{agent}");
}

#[test]
fn redirects_are_not_followed() {
    let server = Server::start(|line| {
        if line.contains("/api/infocon") {
            Reply::Full {
                status: 302,
                headers: vec![("Location".into(), "/elsewhere".into())],
                body: Vec::new(),
            }
        } else {
            Reply::ok(r#"{"status":"red"}"#)
        }
    });
    let err = client_for(&server, quick()).query(&Infocon).unwrap_err();
    assert!(
        matches!(&err, Error::Status { status, .. } if status.as_u16() == 302),
        "{err:?}"
    );
    assert_eq!(
        server.request_lines().len(),
        1,
        "the redirect target was requested"
    );
}

#[test]
fn declared_size_over_the_cap_is_refused() {
    let server = Server::start(|_| Reply::ok(vec![b' '; 64 * 1024]));
    let transport = IsahcTransport::builder()
        .max_body_bytes(1024)
        .build()
        .unwrap();
    let err = client_for(&server, transport).query(&Infocon).unwrap_err();
    assert!(
        matches!(isahc_error(&err), IsahcError::TooLarge { limit: 1024 }),
        "{err:?}"
    );
    assert!(err.to_string().contains("max_body_bytes"), "{err}");
}

#[test]
fn endless_body_without_length_stops_at_the_cap() {
    let server = Server::start(|_| Reply::Endless { bytes: 1 << 30 });
    let transport = IsahcTransport::builder()
        .max_body_bytes(256 * 1024)
        .build()
        .unwrap();
    let err = client_for(&server, transport).query(&Infocon).unwrap_err();
    assert!(
        matches!(isahc_error(&err), IsahcError::TooLarge { .. }),
        "{err:?}"
    );
}

#[test]
fn a_silent_server_hits_the_timeout() {
    let server = Server::start(|_| Reply::Silent {
        hold: Duration::from_secs(30),
    });
    let transport = IsahcTransport::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = client_for(&server, transport).query(&Infocon).unwrap_err();
    match isahc_error(&err) {
        IsahcError::Http(e) => assert!(e.is_timeout(), "{e:?}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[test]
fn a_connection_cut_before_content_length_is_a_transport_error() {
    let server = Server::start(|_| Reply::CutShort {
        declared: 1000,
        body: br#"{"status":"gr"#.to_vec(),
    });
    let err = client_for(&server, quick()).query(&Infocon).unwrap_err();
    assert!(
        matches!(isahc_error(&err), IsahcError::Read(_) | IsahcError::Http(_)),
        "{err:?}"
    );
}

#[test]
fn connection_refused_is_a_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}/api/"))
        .contact("tests@example.org")
        .build_with(quick())
        .unwrap();
    let err = client.query(&Infocon).unwrap_err();
    assert!(matches!(isahc_error(&err), IsahcError::Http(_)), "{err:?}");
    assert!(err.is_temporary());
}
