//! [`Pace`]: at most N requests a second, across threads.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use http::{Request, Response, StatusCode};

use super::clock::{Clock, SystemClock};
use super::{Transport, retry::retry_after_delay};

/// The pause the service asks for after an HTTP 429 without `Retry-After`.
pub const RATE_LIMIT_PAUSE: Duration = Duration::from_secs(300);

/// Spaces requests out to at most `rate` a second, shared by every thread
/// that uses the transport, and stops everyone after an HTTP 429.
///
/// The service asks bulk clients for at most about one request a second,
/// which is the default. Each request takes the next free slot; a caller
/// whose slot is in the future waits for it. After a 429 answer no slot is
/// handed out until the service's `Retry-After` has passed, or five minutes
/// when it sent none, as the service asks.
///
/// ```
/// use std::convert::Infallible;
/// use dshield::transport::Pace;
///
/// let inner = |_: http::Request<Vec<u8>>| Ok::<_, Infallible>(http::Response::new(Vec::<u8>::new()));
/// let polite = Pace::new(inner).per_second(2.0);
/// # let _ = polite;
/// ```
pub struct Pace<T, C = SystemClock> {
    inner: T,
    clock: C,
    interval: Duration,
    next_slot: Mutex<Option<Instant>>,
}

impl<T> Pace<T> {
    /// One request a second through `inner`.
    pub fn new(inner: T) -> Self {
        Pace::with_clock(inner, SystemClock)
    }
}

impl<T, C: Clock> Pace<T, C> {
    /// Like [`Pace::new`], with time taken from `clock`.
    pub fn with_clock(inner: T, clock: C) -> Self {
        Pace {
            inner,
            clock,
            interval: Duration::from_secs(1),
            next_slot: Mutex::new(None),
        }
    }

    /// At most `rate` requests a second. Rates that are not positive and
    /// finite are ignored, keeping the previous rate.
    pub fn per_second(mut self, rate: f64) -> Self {
        if rate.is_finite() && rate > 0.0 {
            self.interval = Duration::from_secs_f64(1.0 / rate);
        }
        self
    }

    /// The time between two requests.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// The wrapped transport.
    pub fn inner(&self) -> &T {
        &self.inner
    }

    /// Reserves the next slot and returns when it starts.
    fn reserve(&self) -> Instant {
        let now = self.clock.now();
        // A poisoned lock only means another thread panicked while holding
        // a plain `Option<Instant>`; the value is still good.
        let mut next = self.next_slot.lock().unwrap_or_else(|e| e.into_inner());
        let slot = next.map_or(now, |n| n.max(now));
        *next = Some(slot + self.interval);
        slot
    }

    /// Holds every later slot back until `until`.
    fn pause_until(&self, until: Instant) {
        let mut next = self.next_slot.lock().unwrap_or_else(|e| e.into_inner());
        *next = Some(next.map_or(until, |n| n.max(until)));
    }
}

impl<T: std::fmt::Debug, C> std::fmt::Debug for Pace<T, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pace")
            .field("inner", &self.inner)
            .field("interval", &self.interval)
            .finish()
    }
}

impl<T: Transport, C: Clock> Transport for Pace<T, C> {
    type Error = T::Error;

    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, T::Error> {
        let slot = self.reserve();
        self.clock.sleep_until(slot);
        let response = self.inner.send(request)?;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            let now = self.clock.now();
            let pause = retry_after_delay(&response).unwrap_or(RATE_LIMIT_PAUSE);
            self.pause_until(now + pause);
        }
        Ok(response)
    }
}
