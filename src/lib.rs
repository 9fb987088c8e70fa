/*!
A typed client for the [Internet Storm Center / DShield API][api]: threat
levels, port and address reports, top lists and honeypot data, decoded into
plain Rust values from the service's JSON or XML.

Every call of the Python package `dshield` is an endpoint type here. An
endpoint is data: it validates its arguments when built and knows its URL,
but does no I/O. A [`Client`] sends it through a [`Transport`] (real HTTP by
default, or anything that turns an `http::Request` into an `http::Response`)
and decodes the answer.

```
use std::convert::Infallible;
use dshield::{Client, endpoints::{Ip, TopPorts}};

// A transport that answers from memory, so this example runs offline.
let transport = |request: http::Request<Vec<u8>>| {
    let body: &[u8] = match request.uri().path() {
        "/api/topports/records/3" => br#"{"0":{"rank":1,"targetport":8080,"records":503088},
                                         "date":"2026-10-05","limit":3}"#,
        _ => br#"{"ip":{"number":"104.213.54.128","count":null,"as":8075}}"#,
    };
    Ok::<_, Infallible>(http::Response::new(body.to_vec()))
};
let client = Client::builder().contact("soc@example.org").build_with(transport)?;

let top = client.query(&TopPorts::default().limit(3)?)?;
assert_eq!(top.ports[0].targetport, 8080);

let report = client.query(&Ip::new("104.213.54.128")?)?;
assert_eq!((report.count, report.asn), (None, Some(8075)));
# Ok::<(), dshield::Error>(())
```

# Map

- [`endpoints`]: one type per API call and the answers they decode into,
  with a table from python-dshield's functions to these types.
- [`Endpoint`], [`Client`], [`Transport`]: the three parts. Requests are
  built and answers decoded by plain functions ([`build_request`],
  [`decode_response`]) that an async client can reuse.
- [`transport`]: the isahc transport (feature `isahc`, on by default), the
  closure impl that lets any HTTP stack in, the recording transport
  ([`transport::Recorder`]), the politeness wrappers ([`transport::Retry`],
  [`transport::Pace`]) and, with feature `mock`, a mockall mock.
- [`Error`]: the one error type.

[api]: https://isc.sans.edu/api/
*/
#![deny(missing_docs)]
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

mod client;
mod decode;
mod endpoint;
pub mod endpoints;
mod error;
mod format;
mod request;
pub mod transport;

pub use client::{CONTACT_ENV, Client, ClientBuilder, DEFAULT_BASE_URL};
pub use decode::list::{List, Row};
pub use decode::{Decodable, decode_body};
pub use endpoint::{Endpoint, IntoDate, IntoIp, IntoPort};
pub use error::{Error, Position, RetryAfter};
pub use format::{Format, Wire};
pub use request::{build_request, check_response, decode_response};
pub use transport::Transport;

// The README's examples are compiled as doctests, so they cannot drift from
// the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
