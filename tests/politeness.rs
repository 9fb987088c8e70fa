//! `Retry` and `Pace` against a local server, with a clock that only
//! pretends to sleep.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dshield::endpoints::Infocon;
use dshield::transport::{Clock, IsahcTransport, Pace, Retry};
use dshield::{Client, Error, Transport};

use crate::support::server::{Reply, Server};

/// A clock whose hands move only when someone sleeps.
struct FakeClock {
    start: Instant,
    elapsed: Mutex<Duration>,
    sleeps: Mutex<Vec<Duration>>,
    deadlines: Mutex<Vec<Duration>>,
}

impl FakeClock {
    fn new() -> Arc<Self> {
        Arc::new(FakeClock {
            start: Instant::now(),
            elapsed: Mutex::new(Duration::ZERO),
            sleeps: Mutex::new(Vec::new()),
            deadlines: Mutex::new(Vec::new()),
        })
    }

    fn slept(&self) -> Vec<Duration> {
        self.sleeps.lock().unwrap().clone()
    }

    /// Every deadline anyone waited for, even ones already past.
    fn deadlines(&self) -> Vec<Duration> {
        self.deadlines.lock().unwrap().clone()
    }

    fn elapsed(&self) -> Duration {
        *self.elapsed.lock().unwrap()
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Instant {
        self.start + *self.elapsed.lock().unwrap()
    }

    fn sleep_until(&self, deadline: Instant) {
        let mut elapsed = self.elapsed.lock().unwrap();
        let target = deadline.saturating_duration_since(self.start);
        self.deadlines.lock().unwrap().push(target);
        if target > *elapsed {
            self.sleeps.lock().unwrap().push(target - *elapsed);
            *elapsed = target;
        }
    }
}

/// A server that plays `replies` in order, then answers 200 green.
fn scripted(replies: Vec<Reply>) -> (Server, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let replies = Mutex::new(replies.into_iter());
    let server = Server::start(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
        replies
            .lock()
            .unwrap()
            .next()
            .unwrap_or_else(|| Reply::ok(r#"{"status":"green"}"#))
    });
    (server, calls)
}

fn with_retry_after(seconds: &str) -> Reply {
    Reply::Full {
        status: 429,
        headers: vec![("Retry-After".into(), seconds.into())],
        body: b"Try again later".to_vec(),
    }
}

fn client_on<T: Transport>(server: &Server, transport: T) -> Client<T> {
    Client::builder()
        .base_url(server.base_url())
        .contact("tests@example.org")
        .build_with(transport)
        .unwrap()
}

fn isahc() -> IsahcTransport {
    IsahcTransport::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

#[test]
fn server_errors_are_retried_with_growing_jittered_backoff() {
    let (server, calls) = scripted(vec![Reply::status(500, "oops"), Reply::status(503, "busy")]);
    let clock = FakeClock::new();
    let retry = Retry::with_clock(isahc(), Arc::clone(&clock))
        .base_delay(Duration::from_secs(2))
        .jitter_seed(7);
    let status = client_on(&server, retry).query(&Infocon).unwrap();
    assert_eq!(status.status.as_str(), "green");
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    let slept = clock.slept();
    assert_eq!(slept.len(), 2);
    // Half fixed, half random: 1..2 s after the first failure, 2..4 s after the second.
    assert!(
        slept[0] >= Duration::from_secs(1) && slept[0] <= Duration::from_secs(2),
        "{slept:?}"
    );
    assert!(
        slept[1] >= Duration::from_secs(2) && slept[1] <= Duration::from_secs(4),
        "{slept:?}"
    );
}

#[test]
fn jitter_spreads_clients_that_failed_together() {
    let waits: Vec<Duration> = (1..=4u64)
        .map(|seed| {
            let (server, _) = scripted(vec![Reply::status(500, "oops")]);
            let clock = FakeClock::new();
            let retry = Retry::with_clock(isahc(), Arc::clone(&clock))
                .base_delay(Duration::from_secs(10))
                .jitter_seed(seed);
            client_on(&server, retry).query(&Infocon).unwrap();
            clock.slept()[0]
        })
        .collect();
    let mut distinct = waits.clone();
    distinct.dedup();
    assert!(
        distinct.len() > 1,
        "every client waited the same: {waits:?}"
    );
}

#[test]
fn rate_limiting_waits_as_long_as_retry_after_says() {
    let (server, calls) = scripted(vec![with_retry_after("7")]);
    let clock = FakeClock::new();
    let retry = Retry::with_clock(isahc(), Arc::clone(&clock));
    client_on(&server, retry).query(&Infocon).unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(clock.slept(), [Duration::from_secs(7)]);
}

#[test]
fn rate_limiting_without_retry_after_waits_five_minutes() {
    let (server, _) = scripted(vec![Reply::status(429, "Try again later")]);
    let clock = FakeClock::new();
    let retry = Retry::with_clock(isahc(), Arc::clone(&clock));
    client_on(&server, retry).query(&Infocon).unwrap();
    assert_eq!(clock.slept(), [Duration::from_secs(300)]);
}

#[test]
fn giving_up_past_the_total_wait_returns_the_rate_limit() {
    let (server, calls) = scripted(vec![
        with_retry_after("120"),
        with_retry_after("120"),
        with_retry_after("120"),
    ]);
    let clock = FakeClock::new();
    let retry =
        Retry::with_clock(isahc(), Arc::clone(&clock)).max_total_wait(Duration::from_secs(200));
    let err = client_on(&server, retry).query(&Infocon).unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(clock.elapsed(), Duration::from_secs(120));
}

#[test]
fn giving_up_after_max_retries_returns_the_last_status() {
    let (server, calls) = scripted((0..10).map(|_| Reply::status(502, "bad gateway")).collect());
    let clock = FakeClock::new();
    let retry = Retry::with_clock(isahc(), Arc::clone(&clock)).max_retries(2);
    let err = client_on(&server, retry).query(&Infocon).unwrap_err();
    assert!(
        matches!(&err, Error::Status { status, .. } if status.as_u16() == 502),
        "{err:?}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[test]
fn connection_failures_are_retried() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let clock = FakeClock::new();
    let attempts = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&attempts);
    let inner = isahc();
    let counting = move |request: http::Request<Vec<u8>>| {
        counted.fetch_add(1, Ordering::SeqCst);
        inner.send(request)
    };
    let retry = Retry::with_clock(counting, Arc::clone(&clock)).max_retries(2);
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}/api/"))
        .contact("tests@example.org")
        .build_with(retry)
        .unwrap();
    let err = client.query(&Infocon).unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(attempts.load(Ordering::SeqCst), 3);
    assert_eq!(clock.slept().len(), 2);
}

#[test]
fn only_get_is_retried() {
    let (server, calls) = scripted(vec![Reply::status(500, "oops")]);
    let clock = FakeClock::new();
    let retry = Retry::with_clock(isahc(), Arc::clone(&clock));
    let post = http::Request::post(format!("{}infocon?json", server.base_url()))
        .body(Vec::new())
        .unwrap();
    let response = retry.send(post).unwrap();
    assert_eq!(response.status().as_u16(), 500);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(clock.slept().is_empty());
}

#[test]
fn pace_spaces_requests_across_threads() {
    let (server, calls) = scripted(Vec::new());
    let clock = FakeClock::new();
    let pace = Pace::with_clock(isahc(), Arc::clone(&clock)).per_second(2.0);
    let client = Arc::new(client_on(&server, pace));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let client = Arc::clone(&client);
            std::thread::spawn(move || {
                for _ in 0..3 {
                    client.query(&Infocon).unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 12);
    // Every request waited for a slot of its own; the fake clock cannot
    // tell concurrent sleeps apart, so check the slots rather than when
    // each thread woke.
    let mut slots = clock.deadlines();
    slots.sort();
    assert_eq!(slots.len(), 12);
    for pair in slots.windows(2) {
        assert_eq!(
            pair[1] - pair[0],
            Duration::from_millis(500),
            "slots: {slots:?}"
        );
    }
}

#[test]
fn pace_defaults_to_one_request_a_second() {
    let inner = |_: http::Request<Vec<u8>>| {
        Ok::<_, std::convert::Infallible>(http::Response::new(Vec::<u8>::new()))
    };
    assert_eq!(Pace::new(inner).interval(), Duration::from_secs(1));
    assert_eq!(
        Pace::new(inner).per_second(0.0).interval(),
        Duration::from_secs(1)
    );
    assert_eq!(
        Pace::new(inner).per_second(4.0).interval(),
        Duration::from_millis(250)
    );
}

#[test]
fn pace_holds_everyone_back_after_a_rate_limit() {
    let (server, _) = scripted(vec![with_retry_after("30")]);
    let clock = FakeClock::new();
    let client = client_on(&server, Pace::with_clock(isahc(), Arc::clone(&clock)));
    assert!(matches!(
        client.query(&Infocon),
        Err(Error::RateLimited { .. })
    ));
    client.query(&Infocon).unwrap();
    assert_eq!(clock.slept(), [Duration::from_secs(30)]);
}

#[test]
fn retry_outside_pace_paces_every_attempt() {
    let (server, calls) = scripted(vec![Reply::status(500, "oops")]);
    let clock = FakeClock::new();
    let transport = Retry::with_clock(
        Pace::with_clock(isahc(), Arc::clone(&clock)),
        Arc::clone(&clock),
    )
    .base_delay(Duration::from_millis(100))
    .jitter_seed(3);
    client_on(&server, transport).query(&Infocon).unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // The backoff (at most 100 ms) is shorter than the pace (1 s), so the
    // second attempt still waits for its slot a second after the first.
    assert_eq!(clock.elapsed(), Duration::from_secs(1));
}
