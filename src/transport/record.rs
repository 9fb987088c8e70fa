//! [`Recorder`]: a transport that records real exchanges into a cassette
//! file and replays them, so tests run offline and see the same answers
//! every time. The file format, matching and redaction are documented on
//! the type, where rustdoc shows them.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use http::header::USER_AGENT;
use http::{HeaderMap, Request, Response};
use serde::{Deserialize, Serialize};

use super::Transport;
use crate::client::CONTACT_MARK;

/// The cassette format this code reads and writes.
const VERSION: u64 = 1;

/// What the contact in the User-Agent becomes.
const CONTACT_PLACEHOLDER: &str = "<CONTACT>";

/// What the value of a header named in [`Recorder::redact_header`] becomes.
const HEADER_PLACEHOLDER: &str = "<REDACTED>";

/// When a [`Recorder`] sends requests through its inner transport, and when
/// it answers from the cassette.
///
/// The names are the ones vcrpy uses, and [`FromStr`] accepts only those,
/// so a mode can come from an environment variable without a typo silently
/// turning into another mode:
///
/// ```
/// use dshield::transport::RecordMode;
///
/// assert_eq!("new_episodes".parse::<RecordMode>()?, RecordMode::NewEpisodes);
/// assert!("new-episodes".parse::<RecordMode>().is_err());
/// # Ok::<(), dshield::transport::RecordError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordMode {
    /// `once`: when the cassette file does not exist yet, send every
    /// request and record it; when it exists, behave exactly like
    /// [`RecordMode::None`]. The usual mode for a test: the first run
    /// records, every later run replays.
    Once,
    /// `new_episodes`: replay what the cassette holds; send and record any
    /// request that has no unplayed recording, including a repeat of a
    /// request beyond the number of times it was recorded.
    NewEpisodes,
    /// `none`: replay only. The inner transport is never called; a request
    /// without an unplayed recording is [`RecordError::NotRecorded`] or
    /// [`RecordError::Exhausted`]. The cassette must exist.
    None,
    /// `all`: start from an empty cassette, send every request and record
    /// it. The old file is not read, and is replaced at the first recorded
    /// exchange.
    All,
}

impl RecordMode {
    /// Every mode, in the order of the documentation.
    const EVERY: [RecordMode; 4] = [
        RecordMode::Once,
        RecordMode::NewEpisodes,
        RecordMode::None,
        RecordMode::All,
    ];

    /// The mode's name as [`FromStr`] accepts it, e.g. `"new_episodes"`.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordMode::Once => "once",
            RecordMode::NewEpisodes => "new_episodes",
            RecordMode::None => "none",
            RecordMode::All => "all",
        }
    }
}

impl fmt::Display for RecordMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RecordMode {
    type Err = RecordError;

    /// Accepts exactly `once`, `new_episodes`, `none` or `all`.
    fn from_str(name: &str) -> Result<Self, RecordError> {
        RecordMode::EVERY
            .into_iter()
            .find(|mode| mode.as_str() == name)
            .ok_or_else(|| RecordError::UnknownMode {
                name: name.to_owned(),
            })
    }
}

/// Why a [`Recorder`] could not be built or could not answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// A record mode name was not one of vcrpy's four. Use `once`,
    /// `new_episodes`, `none` or `all`.
    #[error("unknown record mode {name:?}; expected one of: once, new_episodes, none, all")]
    UnknownMode {
        /// The refused name, as given.
        name: String,
    },

    /// Mode `none` (or [`Recorder::replay`]) was asked to replay a cassette
    /// that does not exist. Record it first, or fix the path.
    #[error(
        "cassette {} does not exist and mode none only replays; record it first \
         with mode once, new_episodes or all, or check the path",
        path.display()
    )]
    Missing {
        /// The cassette file.
        path: PathBuf,
    },

    /// The cassette could not be read or written: a missing directory, a
    /// permission problem, a full disk.
    #[error("cannot {action} cassette {}: {source}; check the path and its permissions", path.display())]
    Io {
        /// The cassette file.
        path: PathBuf,
        /// What was being done: `"read"`, `"write"`, ...
        action: &'static str,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },

    /// The cassette is not JSON, or not shaped like a cassette. Fix the
    /// file by hand, or delete it and record it again.
    #[error(
        "cassette {} is not a valid cassette: {source}; fix it, or delete it and record again",
        path.display()
    )]
    Corrupt {
        /// The cassette file.
        path: PathBuf,
        /// Where and why parsing stopped.
        #[source]
        source: serde_json::Error,
    },

    /// The cassette was written in another format version. Record it again
    /// with [`RecordMode::All`].
    #[error(
        "cassette {} has format version {found}, but this version of dshield reads version \
         {expected}; record it again with mode all",
        path.display()
    )]
    Version {
        /// The cassette file.
        path: PathBuf,
        /// The version in the file.
        found: u64,
        /// The version this code reads.
        expected: u64,
    },

    /// A recorded response cannot be turned back into an HTTP response
    /// (a bad status code, header or hex body), usually after a hand edit.
    #[error(
        "cassette {}: interactions[{index}] cannot be replayed: {reason}; fix it, or record \
         the cassette again with mode all",
        path.display()
    )]
    InvalidInteraction {
        /// The cassette file.
        path: PathBuf,
        /// The interaction's position in the `interactions` list, from 0.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },

    /// While replaying only, a request matched nothing in the cassette.
    /// Record it with mode `new_episodes` (adds it) or `all` (records the
    /// cassette afresh), or fix the request if it changed by mistake.
    #[error(
        "{method} {uri} is not recorded in cassette {}; {}; record it with mode new_episodes \
         (adds it) or all (records the cassette afresh)",
        path.display(),
        closest_hint(closest)
    )]
    NotRecorded {
        /// The request's method.
        method: String,
        /// The request's URI, redacted.
        uri: String,
        /// The recorded request most like it (method and URI), if any
        /// request was recorded.
        closest: Option<String>,
        /// The cassette file.
        path: PathBuf,
    },

    /// While replaying only, a request was sent more often than it was
    /// recorded. Record the extra calls with mode `new_episodes` or `all`.
    #[error(
        "{method} {uri} was recorded {recorded} time(s) in cassette {} and every recording \
         has been replayed; record the extra call with mode new_episodes or all",
        path.display()
    )]
    Exhausted {
        /// The request's method.
        method: String,
        /// The request's URI, redacted.
        uri: String,
        /// How many times it was recorded.
        recorded: usize,
        /// The cassette file.
        path: PathBuf,
    },

    /// The inner transport failed to deliver a request that was to be
    /// recorded. Nothing was recorded; see the source for the cause.
    #[error("{method} {uri}: the inner transport failed, nothing was recorded: {source}")]
    Inner {
        /// The request's method.
        method: String,
        /// The request's URI, redacted.
        uri: String,
        /// The inner transport's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },

    /// Another thread panicked while it held the recorder's state, which may
    /// be half updated. Build a new recorder.
    #[error(
        "the recorder for cassette {} is unusable because a thread panicked while using it; \
         build a new recorder",
        path.display()
    )]
    Poisoned {
        /// The cassette file.
        path: PathBuf,
    },
}

fn closest_hint(closest: &Option<String>) -> String {
    match closest {
        Some(request) => format!("the closest recorded request is {request}"),
        None => "no interactions recorded".to_owned(),
    }
}

/// An inner transport with no network: every request fails. It is what
/// [`Recorder::replay`] wraps, where it is never called.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoNetwork;

impl Transport for NoNetwork {
    type Error = io::Error;

    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, io::Error> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            format!(
                "{} {}: NoNetwork sends nothing; give the recorder a real transport to record",
                request.method(),
                request.uri()
            ),
        ))
    }
}

/// A transport that records exchanges into a cassette file and replays
/// them later, so tests run offline and see the same answers every time.
///
/// A recorder wraps another transport. Depending on its [`RecordMode`] it
/// answers a request from the cassette, or sends it through the inner
/// transport and appends the exchange to the cassette. It can be shared
/// between threads: it is `Sync` when the inner transport is, and its state
/// sits behind a mutex that is never held while the inner transport works.
///
/// # Example
///
/// Record an answer once, then replay it with no network at all:
///
/// ```
/// use std::convert::Infallible;
/// use dshield::{Client, endpoints::Infocon};
/// use dshield::transport::{RecordMode, Recorder};
///
/// let cassette = std::env::temp_dir()
///     .join(format!("dshield-doc-recorder-{}.json", std::process::id()));
/// # let _ = std::fs::remove_file(&cassette);
///
/// // Stands in for the real service.
/// let service = |_request: http::Request<Vec<u8>>| {
///     Ok::<_, Infallible>(http::Response::new(br#"{"status":"green"}"#.to_vec()))
/// };
/// let recorder = Recorder::new(service, &cassette, RecordMode::Once)?
///     .redact_header("x-api-key");
/// let client = Client::builder().contact("soc@example.org").build_with(recorder)?;
/// assert_eq!(client.query(&Infocon)?.status.as_str(), "green");
///
/// // The cassette now holds the exchange, without the contact.
/// let text = std::fs::read_to_string(&cassette)?;
/// assert!(text.contains("<CONTACT>") && !text.contains("soc@example.org"));
///
/// // Replaying needs no transport.
/// let client = Client::builder()
///     .contact("soc@example.org")
///     .build_with(Recorder::replay(&cassette)?)?;
/// assert_eq!(client.query(&Infocon)?.status.as_str(), "green");
/// # std::fs::remove_file(&cassette)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # The cassette
///
/// A cassette is one pretty-printed JSON file:
///
/// ```json
/// {
///   "version": 1,
///   "interactions": [
///     {
///       "recorded_at": "2026-10-05T09:12:44Z",
///       "request": {
///         "method": "GET",
///         "uri": "https://isc.sans.edu/api/infocon?json",
///         "headers": {
///           "accept": "application/json, text/json;q=0.9, */*;q=0.1",
///           "user-agent": "dshield-rs/0.1.0 (+https://crates.io/crates/dshield; contact: <CONTACT>)"
///         }
///       },
///       "response": {
///         "status": 200,
///         "headers": {
///           "content-type": "application/json"
///         },
///         "body": "{\"status\":\"green\"}"
///       }
///     }
///   ]
/// }
/// ```
///
/// A header sent more than once holds a list of values. A body that is not
/// UTF-8 is stored as lower-case hex under `body_hex` instead of `body`; an
/// empty request body is left out. Header values that are not UTF-8 are
/// stored with the invalid bytes replaced by U+FFFD.
///
/// # Matching
///
/// A request matches a recorded one when the method and the URI are equal,
/// the order of the query parameters aside: `?json&a=1` matches `?a=1&json`.
/// Headers and bodies are not compared. When the same request was recorded
/// several times, the recordings are replayed in the order they were made,
/// each once. What happens when a request finds no unplayed recording is
/// up to the mode; see [`RecordMode`].
///
/// # Redaction
///
/// Nothing secret should reach a file that gets committed. Before an
/// exchange is written (and before a live request is matched, so matching
/// still works), the recorder
///
/// 1. replaces the contact in the User-Agent (the text after `; contact: `
///    that [`ClientBuilder::contact`](crate::ClientBuilder::contact) puts
///    there) with `<CONTACT>`;
/// 2. replaces every text given to [`Recorder::redact_text`] with its
///    placeholder, in URIs, header values and bodies;
/// 3. replaces the value of every header named with
///    [`Recorder::redact_header`] with `<REDACTED>`, in requests and
///    responses.
///
/// Replayed answers carry the redacted text, not the original.
///
/// # Writing
///
/// After every newly recorded exchange the whole cassette is written to a
/// temporary file beside it, which is then renamed over the cassette. A
/// crash or a failed test keeps every exchange recorded before it, and a
/// reader never sees half a file. Rewriting the whole file is quadratic in
/// the number of exchanges, which is harmless at the size of a test
/// cassette.
pub struct Recorder<T> {
    inner: T,
    path: PathBuf,
    mode: RecordMode,
    /// True when a miss is an error rather than a reason to record.
    replay_only: bool,
    redaction: Redaction,
    state: Mutex<State>,
}

// Closures are not `Debug`, and the redacted texts are secrets.
impl<T> fmt::Debug for Recorder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recorder")
            .field("path", &self.path)
            .field("mode", &self.mode)
            .field("replay_only", &self.replay_only)
            .field("redacted_headers", &self.redaction.headers)
            .field("redacted_texts", &self.redaction.texts.len())
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Recorder<T> {
    /// Wraps `inner`, recording into and replaying from the cassette at
    /// `path` as `mode` says.
    ///
    /// The cassette is read here, unless the mode is
    /// [`All`](RecordMode::All) or it is [`Once`](RecordMode::Once) and the
    /// file does not exist. A file that is not a cassette, or one in another
    /// format version, is an error now rather than at the first request; so
    /// is a missing file in mode [`None`](RecordMode::None). The file's
    /// directory is created when the first exchange is written.
    pub fn new(inner: T, path: impl Into<PathBuf>, mode: RecordMode) -> Result<Self, RecordError> {
        let path = path.into();
        let exists = || {
            path.try_exists().map_err(|source| RecordError::Io {
                path: path.clone(),
                action: "look for",
                source,
            })
        };
        let (replay_only, entries) = match mode {
            RecordMode::All => (false, Vec::new()),
            RecordMode::NewEpisodes if !exists()? => (false, Vec::new()),
            RecordMode::NewEpisodes => (false, load(&path)?),
            RecordMode::Once if !exists()? => (false, Vec::new()),
            RecordMode::Once | RecordMode::None => (true, load(&path)?),
        };
        Ok(Recorder {
            inner,
            path,
            mode,
            replay_only,
            redaction: Redaction::default(),
            state: Mutex::new(State { entries }),
        })
    }
}

impl Recorder<NoNetwork> {
    /// Replays the cassette at `path` in mode [`None`](RecordMode::None),
    /// with no inner transport: for tests that must never reach the
    /// network.
    pub fn replay(path: impl Into<PathBuf>) -> Result<Self, RecordError> {
        Recorder::new(NoNetwork, path, RecordMode::None)
    }
}

impl<T> Recorder<T> {
    /// Also hides the value of the header `name` (any case), in requests and
    /// responses: it is written as `<REDACTED>`.
    pub fn redact_header(mut self, name: impl AsRef<str>) -> Self {
        self.redaction
            .headers
            .push(name.as_ref().to_ascii_lowercase());
        self
    }

    /// Also replaces every occurrence of `secret` with `placeholder` in
    /// URIs, header values and bodies, in requests and responses. An empty
    /// `secret` is ignored.
    ///
    /// Replacements run in the order they were added. Keep `placeholder`
    /// to printable ASCII so that a header holding it can still be replayed.
    pub fn redact_text(
        mut self,
        secret: impl Into<String>,
        placeholder: impl Into<String>,
    ) -> Self {
        let secret = secret.into();
        if !secret.is_empty() {
            self.redaction.texts.push((secret, placeholder.into()));
        }
        self
    }

    /// The cassette file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The mode the recorder was built with. A [`Once`](RecordMode::Once)
    /// recorder stays `Once`, whether it records or replays.
    pub fn mode(&self) -> RecordMode {
        self.mode
    }

    /// The wrapped transport.
    pub fn inner(&self) -> &T {
        &self.inner
    }

    fn lock(&self) -> Result<MutexGuard<'_, State>, RecordError> {
        self.state.lock().map_err(|_| RecordError::Poisoned {
            path: self.path.clone(),
        })
    }

    fn save(&self, state: &State) -> Result<(), RecordError> {
        let cassette = CassetteOut {
            version: VERSION,
            interactions: state
                .entries
                .iter()
                .map(|entry| &entry.interaction)
                .collect(),
        };
        let mut text = serde_json::to_vec_pretty(&cassette).map_err(|e| RecordError::Io {
            path: self.path.clone(),
            action: "encode",
            source: io::Error::other(e),
        })?;
        text.push(b'\n');
        write_atomically(&self.path, &text)
    }
}

impl<T: Transport> Transport for Recorder<T> {
    type Error = RecordError;

    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, RecordError> {
        let method = request.method().as_str().to_owned();
        let uri = self.redaction.text(&request.uri().to_string());
        let key = match_key(&method, &uri);

        {
            let mut state = self.lock()?;
            if let Some(response) = state.replay(&key, &self.path)? {
                return Ok(response);
            }
            if self.replay_only {
                return Err(state.miss(method, uri, &key, &self.path));
            }
        }

        // The lock is not held here, so a slow inner transport does not hold
        // up other threads' replays.
        let recorded_request = RecordedRequest {
            method: method.clone(),
            uri: uri.clone(),
            headers: self.redaction.headers(request.headers()),
            body: Body::from_bytes(&self.redaction.bytes(request.body()), false),
        };
        let response = self.inner.send(request).map_err(|e| RecordError::Inner {
            method,
            uri,
            source: Box::new(e),
        })?;
        let now = jiff::Timestamp::now();
        let interaction = Interaction {
            recorded_at: now.round(jiff::Unit::Second).unwrap_or(now),
            request: recorded_request,
            response: RecordedResponse {
                status: response.status().as_u16(),
                headers: self.redaction.headers(response.headers()),
                body: Body::from_bytes(&self.redaction.bytes(response.body()), true),
            },
        };

        let mut state = self.lock()?;
        // Played already: a repeat of this request in the same session is
        // recorded again, so that the next session replays both in order.
        state.entries.push(Entry {
            key,
            played: true,
            interaction,
        });
        self.save(&state)?;
        Ok(response)
    }
}

/// The recorder's mutable part.
struct State {
    entries: Vec<Entry>,
}

struct Entry {
    /// [`match_key`] of the recorded request.
    key: String,
    played: bool,
    interaction: Interaction,
}

impl State {
    /// The first unplayed recording of `key`, marked played, or `None`.
    fn replay(&mut self, key: &str, path: &Path) -> Result<Option<Response<Vec<u8>>>, RecordError> {
        let Some((index, entry)) = self
            .entries
            .iter_mut()
            .enumerate()
            .find(|(_, entry)| !entry.played && entry.key == key)
        else {
            return Ok(None);
        };
        entry.played = true;
        let response = entry.interaction.response.to_response().map_err(|reason| {
            RecordError::InvalidInteraction {
                path: path.to_owned(),
                index,
                reason,
            }
        })?;
        Ok(Some(response))
    }

    /// The error for a request that has no unplayed recording.
    fn miss(&self, method: String, uri: String, key: &str, path: &Path) -> RecordError {
        let recorded = self.entries.iter().filter(|entry| entry.key == key).count();
        if recorded > 0 {
            return RecordError::Exhausted {
                method,
                uri,
                recorded,
                path: path.to_owned(),
            };
        }
        let closest = self
            .entries
            .iter()
            .min_by_key(|entry| edit_distance(&entry.key, key))
            .map(|entry| {
                let request = &entry.interaction.request;
                format!("{} {}", request.method, request.uri)
            });
        RecordError::NotRecorded {
            method,
            uri,
            closest,
            path: path.to_owned(),
        }
    }
}

/// What requests are matched on: the method and the URI with its query
/// parameters sorted.
fn match_key(method: &str, uri: &str) -> String {
    match uri.split_once('?') {
        None => format!("{method} {uri}"),
        Some((base, query)) => {
            let mut parameters: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
            parameters.sort_unstable();
            format!("{method} {base}?{}", parameters.join("&"))
        }
    }
}

/// Levenshtein distance, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    // `row[j]` is the distance between the part of `a` seen so far and the
    // first `j` characters of `b`.
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut next = Vec::with_capacity(row.len());
        let mut left = i + 1;
        next.push(left);
        for (cb, (diagonal, up)) in b.iter().zip(row.iter().zip(row.iter().skip(1))) {
            let substitution = diagonal + usize::from(ca != *cb);
            left = substitution.min(up + 1).min(left + 1);
            next.push(left);
        }
        row = next;
    }
    row.last().copied().unwrap_or_default()
}

/// The redaction settings.
#[derive(Default)]
struct Redaction {
    /// Lower-case names of headers whose values are hidden.
    headers: Vec<String>,
    /// `(secret, placeholder)` pairs.
    texts: Vec<(String, String)>,
}

impl Redaction {
    fn text(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for (secret, placeholder) in &self.texts {
            text = text.replace(secret.as_str(), placeholder);
        }
        text
    }

    fn bytes(&self, bytes: &[u8]) -> Vec<u8> {
        let mut bytes = bytes.to_vec();
        for (secret, placeholder) in &self.texts {
            bytes = replace_bytes(&bytes, secret.as_bytes(), placeholder.as_bytes());
        }
        bytes
    }

    fn headers(&self, headers: &HeaderMap) -> Headers {
        let mut out = Headers::new();
        for (name, value) in headers {
            let value = if self.headers.iter().any(|hidden| hidden == name.as_str()) {
                HEADER_PLACEHOLDER.to_owned()
            } else {
                let value = String::from_utf8_lossy(value.as_bytes());
                let value = if name == USER_AGENT {
                    redact_contact(&value)
                } else {
                    value.into_owned()
                };
                self.text(&value)
            };
            out.entry(name.as_str().to_owned())
                .and_modify(|values| values.push(value.clone()))
                .or_insert(HeaderText::One(value));
        }
        out
    }
}

/// Replaces the contact in a User-Agent built by
/// [`ClientBuilder`](crate::ClientBuilder): the text between `; contact: `
/// and the last `)`.
fn redact_contact(agent: &str) -> String {
    let Some((head, tail)) = agent.split_once(CONTACT_MARK) else {
        return agent.to_owned();
    };
    let rest = tail
        .rfind(')')
        .and_then(|end| tail.get(end..))
        .unwrap_or_default();
    format!("{head}{CONTACT_MARK}{CONTACT_PLACEHOLDER}{rest}")
}

fn replace_bytes(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    if needle.is_empty() {
        return haystack.to_vec();
    }
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some((&first, tail)) = rest.split_first() {
        if let Some(after) = rest.strip_prefix(needle) {
            out.extend_from_slice(with);
            rest = after;
        } else {
            out.push(first);
            rest = tail;
        }
    }
    out
}

/// Reads and checks a cassette, and prepares its entries for matching.
fn load(path: &Path) -> Result<Vec<Entry>, RecordError> {
    let text = match fs::read(path) {
        Ok(text) => text,
        Err(source) if source.kind() == io::ErrorKind::NotFound => {
            return Err(RecordError::Missing {
                path: path.to_owned(),
            });
        }
        Err(source) => {
            return Err(RecordError::Io {
                path: path.to_owned(),
                action: "read",
                source,
            });
        }
    };
    let corrupt = |source| RecordError::Corrupt {
        path: path.to_owned(),
        source,
    };
    // The version is read on its own first, so that a cassette from another
    // version is reported as such rather than as a shape error.
    let probe: VersionProbe = serde_json::from_slice(&text).map_err(corrupt)?;
    if probe.version != VERSION {
        return Err(RecordError::Version {
            path: path.to_owned(),
            found: probe.version,
            expected: VERSION,
        });
    }
    let cassette: CassetteIn = serde_json::from_slice(&text).map_err(corrupt)?;
    cassette
        .interactions
        .into_iter()
        .enumerate()
        .map(|(index, interaction)| {
            interaction.response.to_response().map_err(|reason| {
                RecordError::InvalidInteraction {
                    path: path.to_owned(),
                    index,
                    reason,
                }
            })?;
            let request = &interaction.request;
            let key = match_key(&request.method, &request.uri);
            Ok(Entry {
                key,
                played: false,
                interaction,
            })
        })
        .collect()
}

/// Tells temporary files of concurrent writers in one process apart.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to a temporary file beside `path`, then renames it over
/// `path`, so that `path` always holds a complete cassette.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), RecordError> {
    let failed = |action, source| RecordError::Io {
        path: path.to_owned(),
        action,
        source,
    };
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    fs::create_dir_all(directory).map_err(|e| failed("create the directory of", e))?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = directory.join(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let written = File::create_new(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        // On disk before the rename, so a power cut cannot leave an empty
        // cassette behind the new name.
        file.sync_all()
    });
    let renamed = written.and_then(|()| fs::rename(&temporary, path));
    if let Err(source) = renamed {
        // Best effort: the error that matters is the one returned.
        let _ = fs::remove_file(&temporary);
        return Err(failed("write", source));
    }
    Ok(())
}

#[derive(Deserialize)]
struct VersionProbe {
    version: u64,
}

#[derive(Deserialize)]
struct CassetteIn {
    interactions: Vec<Interaction>,
}

#[derive(Serialize)]
struct CassetteOut<'a> {
    version: u64,
    interactions: Vec<&'a Interaction>,
}

#[derive(Serialize, Deserialize)]
struct Interaction {
    recorded_at: jiff::Timestamp,
    request: RecordedRequest,
    response: RecordedResponse,
}

#[derive(Serialize, Deserialize)]
struct RecordedRequest {
    method: String,
    uri: String,
    #[serde(default)]
    headers: Headers,
    #[serde(flatten)]
    body: Body,
}

#[derive(Serialize, Deserialize)]
struct RecordedResponse {
    status: u16,
    #[serde(default)]
    headers: Headers,
    #[serde(flatten)]
    body: Body,
}

impl RecordedResponse {
    fn to_response(&self) -> Result<Response<Vec<u8>>, String> {
        let mut response = Response::builder().status(self.status);
        for (name, values) in &self.headers {
            for value in values.iter() {
                response = response.header(name.as_str(), value);
            }
        }
        response
            .body(self.body.to_bytes()?)
            .map_err(|e| e.to_string())
    }
}

/// Header names, lower case and sorted, with their values.
type Headers = BTreeMap<String, HeaderText>;

/// One value as a plain string, so the usual case reads simply; several
/// (a header sent more than once) as a list.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum HeaderText {
    One(String),
    Many(Vec<String>),
}

impl HeaderText {
    fn push(&mut self, value: String) {
        match self {
            HeaderText::One(first) => *self = HeaderText::Many(vec![std::mem::take(first), value]),
            HeaderText::Many(values) => values.push(value),
        }
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        match self {
            HeaderText::One(value) => std::slice::from_ref(value).iter(),
            HeaderText::Many(values) => values.iter(),
        }
        .map(String::as_str)
    }
}

/// A body as text when it is UTF-8, as hex otherwise.
#[derive(Default, Serialize, Deserialize)]
struct Body {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body_hex: Option<String>,
}

impl Body {
    /// `keep_empty` writes an empty body as `""` rather than leaving the
    /// field out.
    fn from_bytes(bytes: &[u8], keep_empty: bool) -> Self {
        if bytes.is_empty() && !keep_empty {
            return Body::default();
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Body {
                body: Some(text.to_owned()),
                body_hex: None,
            },
            Err(_) => Body {
                body: None,
                body_hex: Some(to_hex(bytes)),
            },
        }
    }

    fn to_bytes(&self) -> Result<Vec<u8>, String> {
        match (&self.body, &self.body_hex) {
            (Some(_), Some(_)) => Err("it has both body and body_hex; keep one".to_owned()),
            (Some(text), None) => Ok(text.clone().into_bytes()),
            (None, Some(hex)) => from_hex(hex),
            (None, None) => Ok(Vec::new()),
        }
    }
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(hex: &str) -> Result<Vec<u8>, String> {
    let refuse = || format!("body_hex {hex:?} is not an even number of hex digits");
    hex.as_bytes()
        .chunks(2)
        .map(|pair| match pair {
            [high, low] => std::str::from_utf8(&[*high, *low])
                .ok()
                .and_then(|digits| u8::from_str_radix(digits, 16).ok())
                .ok_or_else(refuse),
            _ => Err(refuse()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_order_does_not_change_the_match_key() {
        assert_eq!(
            match_key("GET", "https://h/api/x?json&a=1"),
            match_key("GET", "https://h/api/x?a=1&json")
        );
        assert_ne!(
            match_key("GET", "https://h/api/x?json"),
            match_key("POST", "https://h/api/x?json")
        );
        assert_ne!(
            match_key("GET", "https://h/api/x?json"),
            match_key("GET", "https://h/api/y?json")
        );
    }

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn contact_is_cut_out_of_the_user_agent() {
        let agent = "tool/1 dshield-rs/0.1.0 (+https://crates.io/crates/dshield; contact: a@b.org)";
        assert_eq!(
            redact_contact(agent),
            "tool/1 dshield-rs/0.1.0 (+https://crates.io/crates/dshield; contact: <CONTACT>)"
        );
        assert_eq!(redact_contact("curl/8"), "curl/8");
    }

    #[test]
    fn secrets_are_replaced_in_bytes_that_are_not_utf8() {
        assert_eq!(
            replace_bytes(b"\xffkey=s3cret\xfe", b"s3cret", b"<K>"),
            b"\xffkey=<K>\xfe"
        );
        assert_eq!(replace_bytes(b"aaa", b"aa", b"b"), b"ba");
    }

    #[test]
    fn hex_bodies_round_trip_and_bad_hex_is_refused() {
        let bytes = [0u8, 0x7f, 0xff, 0x10];
        assert_eq!(from_hex(&to_hex(&bytes)).unwrap(), bytes);
        assert!(from_hex("abc").is_err());
        assert!(from_hex("zz").is_err());
    }

    #[test]
    fn record_modes_print_as_they_parse() {
        for mode in RecordMode::EVERY {
            assert_eq!(mode.to_string().parse::<RecordMode>().unwrap(), mode);
        }
    }
}
