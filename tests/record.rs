//! The recording transport: record modes, matching, redaction and the
//! cassette file. Every inner transport here is a closure that counts its
//! calls; nothing reaches the network.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use dshield::endpoints::Infocon;
use dshield::transport::{RecordError, RecordMode, Recorder};
use dshield::{Client, Transport};
use http::{Request, Response};

/// A directory of its own under the system temporary directory, removed
/// when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "dshield-record-{}-{}-{test}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn cassette(&self) -> PathBuf {
        self.0.join("cassette.json")
    }

    fn file_names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A stand-in for the service that answers `call <n>: <uri>` (counting from
/// 1) and counts its calls.
fn service() -> (
    Arc<AtomicUsize>,
    impl Transport<Error = Infallible> + Send + Sync,
) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let transport = move |request: Request<Vec<u8>>| {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        let body = format!("call {n}: {}", request.uri());
        Ok::<_, Infallible>(
            Response::builder()
                .status(200)
                .header("content-type", "text/plain")
                .body(body.into_bytes())
                .unwrap(),
        )
    };
    (calls, transport)
}

fn get(uri: &str) -> Request<Vec<u8>> {
    Request::builder()
        .uri(uri)
        .header("accept", "text/plain")
        .body(Vec::new())
        .unwrap()
}

fn body_of<E: std::fmt::Debug>(answer: Result<Response<Vec<u8>>, E>) -> String {
    String::from_utf8(answer.unwrap().into_body()).unwrap()
}

fn cassette_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn recorded_uris(path: &Path) -> Vec<String> {
    cassette_json(path)["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["request"]["uri"].as_str().unwrap().to_owned())
        .collect()
}

const A: &str = "https://isc.sans.edu/api/port/22?json";
const B: &str = "https://isc.sans.edu/api/port/80?json";

/// Records `uris` in mode `all`, one request each, and returns the cassette.
fn record(scratch: &Scratch, uris: &[&str]) -> PathBuf {
    let (_, inner) = service();
    let recorder = Recorder::new(inner, scratch.cassette(), RecordMode::All).unwrap();
    for uri in uris {
        recorder.send(get(uri)).unwrap();
    }
    scratch.cassette()
}

#[test]
fn once_records_everything_when_the_cassette_does_not_exist() {
    let scratch = Scratch::new("once-missing");
    let (calls, inner) = service();
    let recorder = Recorder::new(inner, scratch.cassette(), RecordMode::Once).unwrap();
    assert_eq!(body_of(recorder.send(get(A))), format!("call 1: {A}"));
    assert_eq!(body_of(recorder.send(get(A))), format!("call 2: {A}"));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(recorded_uris(&scratch.cassette()), [A, A]);
}

#[test]
fn once_replays_an_existing_cassette_and_refuses_new_requests() {
    let scratch = Scratch::new("once-existing");
    let cassette = record(&scratch, &[A]);
    let (calls, inner) = service();
    let recorder = Recorder::new(inner, &cassette, RecordMode::Once).unwrap();
    assert_eq!(body_of(recorder.send(get(A))), format!("call 1: {A}"));
    let err = recorder.send(get(B)).unwrap_err();
    assert!(matches!(err, RecordError::NotRecorded { .. }), "{err}");
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    assert_eq!(recorded_uris(&cassette), [A]);
}

#[test]
fn none_mode_never_calls_the_inner_transport() {
    let scratch = Scratch::new("none");
    let cassette = record(&scratch, &[A]);
    let (calls, inner) = service();
    let recorder = Recorder::new(inner, &cassette, RecordMode::None).unwrap();
    assert_eq!(body_of(recorder.send(get(A))), format!("call 1: {A}"));
    assert!(
        recorder.send(get(A)).is_err(),
        "the one recording was used up"
    );
    assert!(recorder.send(get(B)).is_err(), "B was never recorded");
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[test]
fn replay_needs_no_transport_and_refuses_a_missing_cassette() {
    let scratch = Scratch::new("replay");
    let err = Recorder::replay(scratch.cassette()).unwrap_err();
    assert!(matches!(err, RecordError::Missing { .. }), "{err}");
    assert!(err.to_string().contains("cassette.json"), "{err}");

    let cassette = record(&scratch, &[A]);
    let recorder = Recorder::replay(&cassette).unwrap();
    assert_eq!(recorder.mode(), RecordMode::None);
    assert_eq!(body_of(recorder.send(get(A))), format!("call 1: {A}"));
}

#[test]
fn new_episodes_replays_known_requests_and_records_new_ones() {
    let scratch = Scratch::new("new-episodes");
    let cassette = record(&scratch, &[A]);
    let (calls, inner) = service();
    let recorder = Recorder::new(inner, &cassette, RecordMode::NewEpisodes).unwrap();
    assert_eq!(
        body_of(recorder.send(get(A))),
        format!("call 1: {A}"),
        "replayed"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    assert_eq!(
        body_of(recorder.send(get(B))),
        format!("call 1: {B}"),
        "sent"
    );
    // A second A finds its one recording played, so it is recorded too.
    assert_eq!(
        body_of(recorder.send(get(A))),
        format!("call 2: {A}"),
        "sent"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(recorded_uris(&cassette), [A, B, A]);
}

#[test]
fn new_episodes_starts_a_cassette_that_does_not_exist() {
    let scratch = Scratch::new("new-episodes-missing");
    let (calls, inner) = service();
    let recorder = Recorder::new(inner, scratch.cassette(), RecordMode::NewEpisodes).unwrap();
    recorder.send(get(A)).unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(recorded_uris(&scratch.cassette()), [A]);
}

#[test]
fn all_mode_sends_every_request_and_replaces_the_old_cassette() {
    let scratch = Scratch::new("all");
    let cassette = record(&scratch, &[A, B]);
    let (calls, inner) = service();
    let recorder = Recorder::new(inner, &cassette, RecordMode::All).unwrap();
    assert_eq!(
        recorded_uris(&cassette),
        [A, B],
        "untouched until something is recorded"
    );
    recorder.send(get(A)).unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(recorded_uris(&cassette), [A]);
}

#[test]
fn all_mode_does_not_read_the_old_cassette() {
    let scratch = Scratch::new("all-corrupt");
    std::fs::write(scratch.cassette(), "not json").unwrap();
    let (_, inner) = service();
    let recorder = Recorder::new(inner, scratch.cassette(), RecordMode::All).unwrap();
    recorder.send(get(A)).unwrap();
    assert_eq!(recorded_uris(&scratch.cassette()), [A]);
}

#[test]
fn record_modes_parse_by_their_vcrpy_names() {
    let parsed: Vec<RecordMode> = ["once", "new_episodes", "none", "all"]
        .iter()
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(
        parsed,
        [
            RecordMode::Once,
            RecordMode::NewEpisodes,
            RecordMode::None,
            RecordMode::All
        ]
    );
}

#[test]
fn unknown_record_modes_are_refused_with_the_valid_names() {
    for name in ["new-episodes", "ONCE", "", "replay"] {
        let err = name.parse::<RecordMode>().unwrap_err();
        assert!(
            matches!(&err, RecordError::UnknownMode { name: n } if n == name),
            "{err}"
        );
        let message = err.to_string();
        assert!(message.contains(&format!("{name:?}")), "{message}");
        for valid in ["once", "new_episodes", "none", "all"] {
            assert!(message.contains(valid), "{message}");
        }
    }
}

#[test]
fn query_parameter_order_does_not_matter_when_matching() {
    let scratch = Scratch::new("query-order");
    let cassette = record(
        &scratch,
        &["https://isc.sans.edu/api/sources/attacks/10?json&a=1"],
    );
    let recorder = Recorder::replay(&cassette).unwrap();
    let answer =
        body_of(recorder.send(get("https://isc.sans.edu/api/sources/attacks/10?a=1&json")));
    assert!(answer.starts_with("call 1:"), "{answer}");
}

#[test]
fn different_query_values_do_not_match() {
    let scratch = Scratch::new("query-values");
    let cassette = record(&scratch, &["https://isc.sans.edu/api/x?json&a=1"]);
    let recorder = Recorder::replay(&cassette).unwrap();
    let err = recorder
        .send(get("https://isc.sans.edu/api/x?json&a=2"))
        .unwrap_err();
    assert!(matches!(err, RecordError::NotRecorded { .. }), "{err}");
}

#[test]
fn identical_requests_replay_in_recorded_order_until_they_run_out() {
    let scratch = Scratch::new("order");
    let cassette = record(&scratch, &[A, B, A, A]);
    let recorder = Recorder::replay(&cassette).unwrap();
    assert_eq!(body_of(recorder.send(get(A))), format!("call 1: {A}"));
    assert_eq!(body_of(recorder.send(get(A))), format!("call 3: {A}"));
    assert_eq!(body_of(recorder.send(get(B))), format!("call 2: {B}"));
    assert_eq!(body_of(recorder.send(get(A))), format!("call 4: {A}"));

    let err = recorder.send(get(A)).unwrap_err();
    assert!(
        matches!(err, RecordError::Exhausted { recorded: 3, .. }),
        "{err}"
    );
    let message = err.to_string();
    assert!(message.contains(&format!("GET {A}")), "{message}");
    assert!(message.contains("new_episodes"), "{message}");
}

#[test]
fn a_miss_names_the_request_and_the_closest_recorded_one() {
    let scratch = Scratch::new("miss");
    let cassette = record(
        &scratch,
        &[
            "https://isc.sans.edu/api/infocon?json",
            "https://isc.sans.edu/api/port/8080?json",
        ],
    );
    let recorder = Recorder::replay(&cassette).unwrap();
    let missed = "https://isc.sans.edu/api/port/8081?json";
    let err = recorder.send(get(missed)).unwrap_err();
    let RecordError::NotRecorded { closest, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(
        closest.as_deref(),
        Some("GET https://isc.sans.edu/api/port/8080?json")
    );
    let message = err.to_string();
    assert!(message.contains(&format!("GET {missed}")), "{message}");
    assert!(
        message.contains("closest recorded request is GET https://isc.sans.edu/api/port/8080?json"),
        "{message}"
    );
    assert!(message.contains("cassette.json"), "{message}");
    assert!(
        message.contains("new_episodes") && message.contains("all"),
        "{message}"
    );
}

#[test]
fn a_miss_in_an_empty_cassette_says_nothing_was_recorded() {
    let scratch = Scratch::new("miss-empty");
    std::fs::write(scratch.cassette(), r#"{"version": 1, "interactions": []}"#).unwrap();
    let recorder = Recorder::replay(scratch.cassette()).unwrap();
    let err = recorder.send(get(A)).unwrap_err();
    assert!(
        err.to_string().contains("no interactions recorded"),
        "{err}"
    );
}

#[test]
fn the_contact_in_the_user_agent_never_reaches_the_cassette() {
    let scratch = Scratch::new("contact");
    let inner =
        |_: Request<Vec<u8>>| Ok::<_, Infallible>(Response::new(br#"{"status":"green"}"#.to_vec()));
    let recorder = Recorder::new(inner, scratch.cassette(), RecordMode::Once).unwrap();
    let client = Client::builder()
        .contact("secret-soc@example.org")
        .build_with(recorder)
        .unwrap();
    client.query(&Infocon).unwrap();

    let text = std::fs::read_to_string(scratch.cassette()).unwrap();
    assert!(!text.contains("secret-soc@example.org"), "{text}");
    assert!(text.contains("; contact: <CONTACT>)"), "{text}");

    // Another contact replays the same cassette: the User-Agent is not matched.
    let client = Client::builder()
        .contact("someone-else@example.org")
        .build_with(Recorder::replay(scratch.cassette()).unwrap())
        .unwrap();
    assert_eq!(client.query(&Infocon).unwrap().status.as_str(), "green");
}

#[test]
fn named_headers_are_redacted_in_requests_and_responses() {
    let scratch = Scratch::new("headers");
    let inner = |_: Request<Vec<u8>>| {
        Ok::<_, Infallible>(
            Response::builder()
                .header("set-cookie", "session=cookie-secret")
                .header("x-kept", "visible")
                .body(b"ok".to_vec())
                .unwrap(),
        )
    };
    let recorder = Recorder::new(inner, scratch.cassette(), RecordMode::Once)
        .unwrap()
        .redact_header("X-Api-Key")
        .redact_header("set-cookie");
    let request = Request::builder()
        .uri(A)
        .header("x-api-key", "key-secret")
        .body(Vec::new())
        .unwrap();
    recorder.send(request).unwrap();

    let text = std::fs::read_to_string(scratch.cassette()).unwrap();
    assert!(
        !text.contains("key-secret") && !text.contains("cookie-secret"),
        "{text}"
    );
    let json = cassette_json(&scratch.cassette());
    let interaction = &json["interactions"][0];
    assert_eq!(interaction["request"]["headers"]["x-api-key"], "<REDACTED>");
    assert_eq!(
        interaction["response"]["headers"]["set-cookie"],
        "<REDACTED>"
    );
    assert_eq!(interaction["response"]["headers"]["x-kept"], "visible");
}

#[test]
fn configured_text_is_redacted_everywhere_and_matching_still_works() {
    let scratch = Scratch::new("text");
    let secret = "tok-12345";
    let uri = format!("https://isc.sans.edu/api/x?json&token={secret}");
    let inner = |request: Request<Vec<u8>>| {
        Ok::<_, Infallible>(
            Response::builder()
                .header("x-echo", format!("saw {}", request.uri()))
                .body(format!("your token is {secret}").into_bytes())
                .unwrap(),
        )
    };
    let recorder = Recorder::new(inner, scratch.cassette(), RecordMode::Once)
        .unwrap()
        .redact_text(secret, "<TOKEN>");
    let request = Request::builder()
        .uri(&uri)
        .header("authorization", format!("Bearer {secret}"))
        .body(Vec::new())
        .unwrap();
    let live = body_of(recorder.send(request));
    assert_eq!(
        live,
        format!("your token is {secret}"),
        "the caller sees the real answer"
    );

    let text = std::fs::read_to_string(scratch.cassette()).unwrap();
    assert!(!text.contains(secret), "{text}");
    let json = cassette_json(&scratch.cassette());
    let interaction = &json["interactions"][0];
    assert_eq!(
        interaction["request"]["uri"],
        "https://isc.sans.edu/api/x?json&token=<TOKEN>"
    );
    assert_eq!(
        interaction["request"]["headers"]["authorization"],
        "Bearer <TOKEN>"
    );
    assert_eq!(interaction["response"]["body"], "your token is <TOKEN>");

    // The live request still carries the secret and is redacted before it is
    // matched.
    let recorder = Recorder::replay(scratch.cassette())
        .unwrap()
        .redact_text(secret, "<TOKEN>");
    assert_eq!(body_of(recorder.send(get(&uri))), "your token is <TOKEN>");
}

#[test]
fn a_corrupt_cassette_is_refused_naming_the_file() {
    let scratch = Scratch::new("corrupt");
    std::fs::write(scratch.cassette(), r#"{"version": 1, "interactions": [{"#).unwrap();
    for mode in [RecordMode::None, RecordMode::Once, RecordMode::NewEpisodes] {
        let (_, inner) = service();
        let err = Recorder::new(inner, scratch.cassette(), mode).unwrap_err();
        assert!(matches!(err, RecordError::Corrupt { .. }), "{mode}: {err}");
        assert!(
            err.to_string()
                .contains(&scratch.cassette().display().to_string()),
            "{err}"
        );
    }
}

#[test]
fn a_cassette_of_another_version_is_refused() {
    let scratch = Scratch::new("version");
    std::fs::write(scratch.cassette(), r#"{"version": 2, "interactions": []}"#).unwrap();
    let err = Recorder::replay(scratch.cassette()).unwrap_err();
    assert!(
        matches!(
            err,
            RecordError::Version {
                found: 2,
                expected: 1,
                ..
            }
        ),
        "{err}"
    );
    let message = err.to_string();
    assert!(
        message.contains("cassette.json") && message.contains("version 2"),
        "{message}"
    );
}

#[test]
fn a_hand_edited_response_that_cannot_be_replayed_is_refused_at_load() {
    let scratch = Scratch::new("bad-interaction");
    let cassette = record(&scratch, &[A]);
    let text = std::fs::read_to_string(&cassette)
        .unwrap()
        .replace("\"status\": 200", "\"status\": 99");
    std::fs::write(&cassette, text).unwrap();
    let err = Recorder::replay(&cassette).unwrap_err();
    assert!(
        matches!(err, RecordError::InvalidInteraction { index: 0, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("interactions[0]"), "{err}");
}

#[test]
fn the_cassette_is_complete_after_every_request_and_no_temporary_file_remains() {
    let scratch = Scratch::new("atomic");
    let (_, inner) = service();
    let recorder = Recorder::new(inner, scratch.cassette(), RecordMode::All).unwrap();
    for n in 1..=5 {
        recorder
            .send(get(&format!("https://isc.sans.edu/api/port/{n}?json")))
            .unwrap();
        let json = cassette_json(&scratch.cassette());
        assert_eq!(json["version"], 1);
        assert_eq!(json["interactions"].as_array().unwrap().len(), n);
        assert_eq!(scratch.file_names(), ["cassette.json"]);
    }
    let json = cassette_json(&scratch.cassette());
    let recorded_at = json["interactions"][0]["recorded_at"].as_str().unwrap();
    assert!(
        recorded_at.parse::<jiff::Timestamp>().is_ok(),
        "{recorded_at}"
    );
}

#[test]
fn the_cassette_is_pretty_printed_with_text_bodies() {
    let scratch = Scratch::new("pretty");
    let cassette = record(&scratch, &[A]);
    let text = std::fs::read_to_string(&cassette).unwrap();
    assert!(text.lines().count() > 10, "{text}");
    assert!(
        text.contains(&format!("\"body\": \"call 1: {A}\"")),
        "{text}"
    );
}

#[test]
fn bodies_that_are_not_utf8_are_stored_as_hex_and_replayed_intact() {
    let scratch = Scratch::new("hex");
    let bytes = vec![0xff, 0x00, b'a', 0xfe];
    let answer = bytes.clone();
    let inner = move |_: Request<Vec<u8>>| Ok::<_, Infallible>(Response::new(answer.clone()));
    let recorder = Recorder::new(inner, scratch.cassette(), RecordMode::Once).unwrap();
    recorder.send(get(A)).unwrap();

    let json = cassette_json(&scratch.cassette());
    assert_eq!(json["interactions"][0]["response"]["body_hex"], "ff0061fe");
    let replayed = Recorder::replay(scratch.cassette())
        .unwrap()
        .send(get(A))
        .unwrap();
    assert_eq!(replayed.into_body(), bytes);
}

#[test]
fn a_failing_inner_transport_records_nothing() {
    let scratch = Scratch::new("inner-fails");
    let inner = |_: Request<Vec<u8>>| -> Result<Response<Vec<u8>>, std::io::Error> {
        Err(std::io::Error::other("connection refused"))
    };
    let recorder = Recorder::new(inner, scratch.cassette(), RecordMode::Once).unwrap();
    let err = recorder.send(get(A)).unwrap_err();
    assert!(matches!(err, RecordError::Inner { .. }), "{err}");
    assert!(
        err.to_string().contains(A) && err.to_string().contains("connection refused"),
        "{err}"
    );
    assert!(!scratch.cassette().exists());
}

#[test]
fn two_threads_can_record_and_replay_through_one_recorder() {
    let scratch = Scratch::new("threads");
    let uris: Vec<Vec<String>> = (0..2)
        .map(|thread| {
            (0..10)
                .map(|n| format!("https://isc.sans.edu/api/port/{thread}{n}?json"))
                .collect()
        })
        .collect();
    let (calls, inner) = service();
    let recorder = Recorder::new(inner, scratch.cassette(), RecordMode::Once).unwrap();
    std::thread::scope(|scope| {
        for mine in &uris {
            let recorder = &recorder;
            scope.spawn(move || {
                for uri in mine {
                    recorder.send(get(uri)).unwrap();
                }
            });
        }
    });
    assert_eq!(calls.load(Ordering::SeqCst), 20);
    assert_eq!(recorded_uris(&scratch.cassette()).len(), 20);
    assert_eq!(scratch.file_names(), ["cassette.json"]);

    let (calls, inner) = service();
    let recorder = Recorder::new(inner, scratch.cassette(), RecordMode::None).unwrap();
    std::thread::scope(|scope| {
        for mine in &uris {
            let recorder = &recorder;
            scope.spawn(move || {
                for uri in mine {
                    assert!(body_of(recorder.send(get(uri))).ends_with(uri.as_str()));
                }
            });
        }
    });
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[cfg(feature = "mock")]
#[test]
fn the_mock_transport_checks_the_exact_request() {
    use dshield::transport::MockTransport;

    let user_agent = concat!(
        "dshield-rs/",
        env!("CARGO_PKG_VERSION"),
        " (+https://crates.io/crates/dshield; contact: x@example.org)"
    );
    let mut mock = MockTransport::new();
    mock.expect_send()
        .withf(move |request| {
            request.uri() == "https://isc.sans.edu/api/infocon?json"
                && request
                    .headers()
                    .get("user-agent")
                    .is_some_and(|ua| ua == user_agent)
        })
        .times(1)
        .returning(|_| Ok(Response::new(br#"{"status":"green"}"#.to_vec())));
    let client = Client::builder()
        .contact("x@example.org")
        .build_with(mock)
        .unwrap();
    assert_eq!(client.query(&Infocon).unwrap().status.as_str(), "green");
}
