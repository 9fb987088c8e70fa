//! [`Retry`]: send a GET again after a 429, a 5xx or a failed connection.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use http::{Method, Request, Response, StatusCode};

use super::Transport;
use super::clock::{Clock, SystemClock};
use super::pace::RATE_LIMIT_PAUSE;
use crate::RetryAfter;

/// No pause asked for by the service is honoured beyond this, so a hostile
/// or broken `Retry-After` cannot stall a client for days.
pub const MAX_HONOURED_PAUSE: Duration = Duration::from_secs(3600);

/// The pause a 429 answer asks for, if it says: `Retry-After` in seconds or
/// as an HTTP date, capped at [`MAX_HONOURED_PAUSE`].
pub(crate) fn retry_after_delay<B>(response: &Response<B>) -> Option<Duration> {
    let delay = match crate::request::retry_after(response)? {
        RetryAfter::Seconds(seconds) => Duration::from_secs(seconds),
        RetryAfter::At(when) => {
            let seconds = when.duration_since(jiff::Timestamp::now()).as_secs_f64();
            Duration::try_from_secs_f64(seconds.max(0.0)).unwrap_or(MAX_HONOURED_PAUSE)
        }
    };
    Some(delay.min(MAX_HONOURED_PAUSE))
}

/// Sends a GET again when the answer is a 429 or a 5xx, or when the inner
/// transport fails, backing off between attempts.
///
/// - After a 429 it waits for the service's `Retry-After`, or five minutes
///   when there is none (the service asks for that pause).
/// - After a 5xx or a failure it waits `base_delay * 2^attempt` (capped at
///   `max_delay`), half of it fixed and half random, so that many clients
///   that failed together do not come back together.
/// - It gives up, returning the last answer or error, after `max_retries`
///   retries or when the next wait would take the total past
///   `max_total_wait`.
/// - Other methods than GET are sent once: the API is read-only, and a
///   POST repeated by a transport is never what the caller meant.
///
/// Put it outside [`Pace`](super::Pace) so that every attempt is paced:
/// `Retry::new(Pace::new(IsahcTransport::new()?))`.
///
/// ```
/// use std::convert::Infallible;
/// use std::time::Duration;
/// use dshield::transport::Retry;
///
/// let inner = |_: http::Request<Vec<u8>>| Ok::<_, Infallible>(http::Response::new(Vec::<u8>::new()));
/// let patient = Retry::new(inner).max_retries(5).max_total_wait(Duration::from_secs(900));
/// # let _ = patient;
/// ```
pub struct Retry<T, C = SystemClock> {
    inner: T,
    clock: C,
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_total_wait: Duration,
    retry_errors: bool,
    jitter: AtomicU64,
}

impl<T> Retry<T> {
    /// Three retries, 1 s base delay, 60 s at most between 5xx retries, at
    /// most 10 minutes of waiting in all.
    pub fn new(inner: T) -> Self {
        Retry::with_clock(inner, SystemClock)
    }
}

impl<T, C: Clock> Retry<T, C> {
    /// Like [`Retry::new`], with time taken from `clock`.
    pub fn with_clock(inner: T, clock: C) -> Self {
        let seed = jiff::Timestamp::now().as_nanosecond() as u64 | 1;
        Retry {
            inner,
            clock,
            max_retries: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            max_total_wait: Duration::from_secs(600),
            retry_errors: true,
            jitter: AtomicU64::new(seed),
        }
    }

    /// How many times a request may be sent again (0 turns retrying off).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The first backoff after a 5xx or a failure; it doubles each attempt.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest backoff after a 5xx or a failure.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The most time spent waiting for one request, all retries together.
    pub fn max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait;
        self
    }

    /// Whether a failure of the inner transport (no answer at all) is
    /// retried; on by default. Turn it off when the inner transport's errors
    /// are mostly permanent, such as an answer over the size cap.
    pub fn retry_transport_errors(mut self, retry: bool) -> Self {
        self.retry_errors = retry;
        self
    }

    /// Seeds the jitter, for reproducible waits in tests.
    pub fn jitter_seed(self, seed: u64) -> Self {
        self.jitter.store(seed | 1, Ordering::Relaxed);
        self
    }

    /// The wrapped transport.
    pub fn inner(&self) -> &T {
        &self.inner
    }

    /// A number in `[0, 1)` from a shared xorshift generator.
    fn random_fraction(&self) -> f64 {
        let mut x = self.jitter.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.jitter.store(x, Ordering::Relaxed);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Backoff before retry number `attempt` (0 for the first retry).
    fn backoff(&self, attempt: u32) -> Duration {
        let doubled = self.base_delay.saturating_mul(2u32.saturating_pow(attempt));
        let capped = doubled.min(self.max_delay);
        capped / 2 + (capped / 2).mul_f64(self.random_fraction())
    }
}

impl<T: std::fmt::Debug, C> std::fmt::Debug for Retry<T, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Retry")
            .field("inner", &self.inner)
            .field("max_retries", &self.max_retries)
            .field("max_total_wait", &self.max_total_wait)
            .finish_non_exhaustive()
    }
}

/// A copy of `request` to send again (`http::Request` is not `Clone`).
fn copy_of(request: &Request<Vec<u8>>) -> Request<Vec<u8>> {
    let mut copy = Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    copy
}

impl<T: Transport, C: Clock> Transport for Retry<T, C> {
    type Error = T::Error;

    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, T::Error> {
        if request.method() != Method::GET {
            return self.inner.send(request);
        }
        let mut waited = Duration::ZERO;
        let mut attempt = 0;
        loop {
            let outcome = self.inner.send(copy_of(&request));
            let delay = match &outcome {
                Ok(response) if response.status() == StatusCode::TOO_MANY_REQUESTS => {
                    retry_after_delay(response).unwrap_or(RATE_LIMIT_PAUSE)
                }
                Ok(response) if response.status().is_server_error() => self.backoff(attempt),
                Err(_) if self.retry_errors => self.backoff(attempt),
                _ => return outcome,
            };
            if attempt >= self.max_retries || waited + delay > self.max_total_wait {
                return outcome;
            }
            self.clock.sleep_until(self.clock.now() + delay);
            waited += delay;
            attempt += 1;
        }
    }
}
