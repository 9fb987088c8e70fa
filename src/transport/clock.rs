//! Time as the politeness wrappers see it, so tests can replace it.

use std::time::{Duration, Instant};

/// A source of monotonic time that can wait.
///
/// [`Retry`](super::Retry) and [`Pace`](super::Pace) only look at time
/// through this trait. [`SystemClock`] is the real one; a test can pass a
/// clock whose `sleep_until` just moves its own hands, so no test sleeps.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> Instant;

    /// Returns at or after `deadline`.
    fn sleep_until(&self, deadline: Instant);
}

/// The system's monotonic clock and `std::thread::sleep`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn sleep_until(&self, deadline: Instant) {
        let wait = deadline.saturating_duration_since(Instant::now());
        if wait > Duration::ZERO {
            std::thread::sleep(wait);
        }
    }
}

impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now(&self) -> Instant {
        (**self).now()
    }

    fn sleep_until(&self, deadline: Instant) {
        (**self).sleep_until(deadline)
    }
}
