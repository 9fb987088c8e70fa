//! Transports: whatever moves a request to the service and its answer back.
//!
//! A [`Transport`] takes an `http::Request<Vec<u8>>` and returns an
//! `http::Response<Vec<u8>>`. It knows nothing about DShield, so any HTTP
//! stack fits in a few lines, and behaviour such as retrying or pacing can
//! be a transport that wraps another one.
//!
//! Any closure of the right shape is a transport:
//!
//! ```
//! use std::convert::Infallible;
//! use dshield::{Client, endpoints::Infocon};
//!
//! let canned = |_request: http::Request<Vec<u8>>| {
//!     Ok::<_, Infallible>(http::Response::new(br#"{"status":"green"}"#.to_vec()))
//! };
//! let client = Client::builder().contact("soc@example.org").build_with(canned)?;
//! assert_eq!(client.query(&Infocon)?.status.as_str(), "green");
//! # Ok::<(), dshield::Error>(())
//! ```

mod clock;
#[cfg(feature = "isahc")]
mod isahc;
mod pace;
mod record;
mod retry;

pub use self::clock::{Clock, SystemClock};
#[cfg(feature = "isahc")]
pub use self::isahc::{IsahcError, IsahcTransport, IsahcTransportBuilder};
pub use self::pace::{Pace, RATE_LIMIT_PAUSE};
pub use self::record::{NoNetwork, RecordError, RecordMode, Recorder};
pub use self::retry::{MAX_HONOURED_PAUSE, Retry};

use http::{Request, Response};

/// Sends one HTTP request and returns the complete response.
///
/// Implementations must return non-2xx answers as `Ok` responses: the
/// client reads the status itself (to recognise 429, for example). Return
/// `Err` only when no complete answer arrived: the connection failed, timed
/// out, or the body exceeded a size limit.
// mockall copies the trait's documentation to `MockTransport`, so the part
// about the mock is written to read well on both pages.
#[cfg_attr(
    feature = "mock",
    doc = r##"
# Mocking

With the `mock` feature, `dshield::transport::MockTransport` is a
[mockall](https://docs.rs/mockall) mock of this trait, with
`Error = std::io::Error`, for unit tests that want to assert the exact
request sent:

```
use dshield::{Client, endpoints::Infocon, transport::MockTransport};

let mut transport = MockTransport::new();
transport
    .expect_send()
    .withf(|request| request.uri() == "https://isc.sans.edu/api/infocon?json")
    .times(1)
    .returning(|_| Ok(http::Response::new(br#"{"status":"green"}"#.to_vec())));
let client = Client::builder().contact("soc@example.org").build_with(transport)?;
assert_eq!(client.query(&Infocon)?.status.as_str(), "green");
# Ok::<(), dshield::Error>(())
```
"##
)]
#[cfg_attr(feature = "mock", mockall::automock(type Error = std::io::Error;))]
pub trait Transport {
    /// The transport's failure type.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Sends `request` and waits for the whole answer.
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, Self::Error>;
}

impl<F, E> Transport for F
where
    F: Fn(Request<Vec<u8>>) -> Result<Response<Vec<u8>>, E>,
    E: std::error::Error + Send + Sync + 'static,
{
    type Error = E;

    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, E> {
        self(request)
    }
}
