//! The transport the options ask for: the network, a cassette replayed, or
//! the network recorded into a cassette.

use std::path::Path;
use std::time::Duration;

use dshield::Transport;
use dshield::transport::{
    IsahcError, IsahcTransport, NoNetwork, Pace, RecordError, RecordMode, Recorder, Retry,
};
use http::{Request, Response};

/// Real HTTP, paced and retried as `--rate` and `--retries` say.
type Http = Retry<Pace<IsahcTransport>>;

/// How the tool talks to the network.
pub struct NetOptions<'a> {
    /// `--replay`.
    pub replay: Option<&'a Path>,
    /// `--record`.
    pub record: Option<&'a Path>,
    /// `--timeout`.
    pub timeout: Duration,
    /// `--retries`.
    pub retries: u32,
    /// `--rate`.
    pub rate: f64,
}

/// One of the three transports, so that one client type serves them all.
pub enum Net {
    /// Real HTTP.
    Live(Http),
    /// `--replay`: the cassette only, never the network.
    Replay(Recorder<NoNetwork>),
    /// `--record`: the cassette first, then the network, recording. The
    /// cassette wraps the retries, so it keeps only the final answers.
    Record(Recorder<Http>),
}

/// Why [`Net`] returned no answer.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// The HTTP transport failed.
    #[error(transparent)]
    Http(#[from] IsahcError),
    /// The cassette could not answer or be written.
    #[error(transparent)]
    Cassette(#[from] RecordError),
}

/// Why [`Net::open`] failed, before any request.
#[derive(Debug)]
pub enum OpenError {
    /// libcurl could not be set up.
    Http(IsahcError),
    /// The cassette could not be read.
    Cassette(RecordError),
}

impl Net {
    /// The transport for `--replay`, `--record` or neither.
    pub fn open(options: &NetOptions<'_>) -> Result<Net, OpenError> {
        let timeout = options.timeout;
        if let Some(cassette) = options.replay {
            return Recorder::replay(cassette)
                .map(Net::Replay)
                .map_err(OpenError::Cassette);
        }
        let http = IsahcTransport::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(OpenError::Http)?;
        let http =
            Retry::new(Pace::new(http).per_second(options.rate)).max_retries(options.retries);
        match options.record {
            Some(cassette) => Recorder::new(http, cassette, RecordMode::NewEpisodes)
                .map(Net::Record)
                .map_err(OpenError::Cassette),
            None => Ok(Net::Live(http)),
        }
    }
}

impl Transport for Net {
    type Error = NetError;

    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, NetError> {
        Ok(match self {
            Net::Live(http) => http.send(request)?,
            Net::Replay(cassette) => cassette.send(request)?,
            Net::Record(cassette) => cassette.send(request)?,
        })
    }
}
