//! The `dshield` binary (feature `cli`) run as a user runs it, against a
//! local server answering from the fixtures: the request each command
//! sends, what it prints, and its exit status.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::Duration;

use jiff::ToSpan;
use serde_json::Value;

use crate::support::fixture;
use crate::support::server::{Reply, Server};

const CONTACT: &str = "tests@example.org";

/// The binary, in an environment without a contact or a proxy.
fn dshield() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dshield"));
    for var in [
        "DSHIELD_CONTACT",
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ] {
        command.env_remove(var);
    }
    command
}

/// `dshield --base-url <server> --contact tests@example.org ARGS`.
fn run(server: &Server, args: &[&str]) -> Output {
    dshield()
        .args(["--base-url", &server.base_url(), "--contact", CONTACT])
        .args(args)
        .output()
        .unwrap()
}

/// A server answering every request with `tests/fixtures/{name}`.
fn serving(name: &str) -> Server {
    let body = fixture(name);
    Server::start(move |_| Reply::ok(body.clone()))
}

/// A server answering `{stem}.json` or `{stem}.xml`, as the request asks.
fn serving_both(stem: &str) -> Server {
    let (json, xml) = (
        fixture(&format!("{stem}.json")),
        fixture(&format!("{stem}.xml")),
    );
    Server::start(move |line| {
        if line.contains("?xml ") {
            Reply::ok(xml.clone())
        } else {
            Reply::ok(json.clone())
        }
    })
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn assert_success(output: &Output) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        stdout(output),
        stderr(output)
    );
}

/// Exit status `code` and exactly one line on stderr, starting `dshield: `.
fn assert_failure(output: &Output, code: i32) -> String {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(code), "stderr: {err}");
    assert!(output.stdout.is_empty(), "stdout: {}", stdout(output));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("dshield: "), "{err}");
    err
}

fn request_line(path: &str) -> String {
    format!("GET /api/{path} HTTP/1.1")
}

/// Runs `args` against a server answering with fixture `name`, checks that
/// it sent exactly `GET /api/{path}` and returns its JSON output.
fn typed(name: &str, args: &[&str], path: &str) -> Value {
    let server = serving(name);
    let output = run(&server, args);
    assert_success(&output);
    assert_eq!(server.request_lines(), [request_line(path)]);
    let text = stdout(&output);
    assert!(text.ends_with("\n") && !text.ends_with("\n\n"), "{text:?}");
    serde_json::from_str(&text).unwrap()
}

fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

/// Runs a command whose request depends on today's date; `path` makes the
/// expected path from the date. A run across midnight may use either day.
fn typed_on_today(name: &str, args: &[&str], path: impl Fn(jiff::civil::Date) -> String) -> Value {
    let server = serving(name);
    let before = today();
    let output = run(&server, args);
    let after = today();
    assert_success(&output);
    let lines = server.request_lines();
    assert!(
        lines == [request_line(&path(before))] || lines == [request_line(&path(after))],
        "{lines:?}"
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Each command of python-dshield with the arguments the tests use, the
/// path it requests (with `?json`) and the fixture stem that answers it.
const COMMANDS: &[(&[&str], &str, &str)] = &[
    (&["backscatter"], "backscatter?json", "backscatter"),
    (&["handler"], "handler?json", "handler"),
    (&["infocon"], "infocon?json", "infocon"),
    (&["ip", "1.85.2.119"], "ip/1.85.2.119?json", "ip-1.85.2.119"),
    (
        &["ip", "104.213.54.128"],
        "ip/104.213.54.128?json",
        "ip-104.213.54.128",
    ),
    (&["port", "80"], "port/80?json", "port-80"),
    (
        &["portdate", "80", "2011-07-03"],
        "portdate/80/2011-07-03?json",
        "portdate-80-2011-07-03",
    ),
    (
        &["topports", "records", "25"],
        "topports/records/25?json",
        "topports-records-25-2026-10-05",
    ),
    (
        &["topips", "records", "40"],
        "topips/records/40?json",
        "topips-records-40-2026-10-05",
    ),
    (
        &["sources"],
        "sources/attacks/10?json",
        "sources-attacks-10",
    ),
    (
        &["porthistory", "80", "2011-07-20", "2011-07-23"],
        "porthistory/80/2011-07-20/2011-07-23?json",
        "porthistory-80-2011-07-20-2011-07-23",
    ),
    (
        &["asnum", "4837", "10"],
        "asnum/10/4837?json",
        "asnum-10-4837",
    ),
    (
        &["dailysummary", "2012-05-01", "2012-05-03"],
        "dailysummary/2012-05-01/2012-05-03?json",
        "dailysummary-2012-05-01-2012-05-03",
    ),
    (
        &["daily404summary", "2012-02-23"],
        "daily404summary/2012-02-23?json",
        "daily404summary-2012-02-23",
    ),
    (
        &["daily404detail", "2012-02-23", "10"],
        "daily404detail/2012-02-23/10?json",
        "daily404detail-2012-02-23-10",
    ),
    (&["glossary", "test"], "glossary/test?json", "glossary-test"),
    (
        &["webhoneypotsummary", "2012-12-10"],
        "webhoneypotsummary/2012-12-10?json",
        "webhoneypotsummary-2012-12-10",
    ),
    (
        &["webhoneypotbytype", "2012-12-10"],
        "webhoneypotbytype/2012-12-10?json",
        "webhoneypotbytype-2012-12-10",
    ),
];

// One test per command: the request and a few values of the JSON output.

#[test]
fn backscatter_requests_the_latest_day_or_a_date_and_rows() {
    let rows = typed("backscatter.json", &["backscatter"], "backscatter?json");
    assert_eq!(rows[0]["sourceport"], 6000);
    assert_eq!(rows[0]["count"], 563542);
    typed(
        "backscatter.json",
        &["backscatter", "2011-12-01", "10"],
        "backscatter/2011-12-01/10?json",
    );
}

#[test]
fn handler_prints_the_handler_on_duty() {
    let answer = typed("handler.json", &["handler"], "handler?json");
    assert_eq!(answer["name"], "Johannes Ullrich");
}

#[test]
fn infocon_prints_the_level() {
    let answer = typed("infocon.json", &["infocon"], "infocon?json");
    assert_eq!(answer, serde_json::json!({"status": "green"}));
}

#[test]
fn ip_requests_the_address_in_normal_form() {
    let report = typed(
        "ip-1.85.2.119.json",
        &["ip", "1.85.2.119"],
        "ip/1.85.2.119?json",
    );
    assert_eq!(report["number"], "1.85.2.119");
    assert_eq!(report["count"], 9843);
    assert_eq!(report["as"], 4134);
    assert_eq!(report["comment"], Value::Null);
    assert_eq!(report["threatfeeds"][0]["feed"], "blocklistde110");
    // Zero-padded octets are read as decimal and sent without padding.
    typed(
        "ip-1.85.2.119.json",
        &["ip", "001.085.002.119"],
        "ip/1.85.2.119?json",
    );
}

#[test]
fn ip_nobody_reported_prints_nulls() {
    let report = typed(
        "ip-104.213.54.128.json",
        &["ip", "104.213.54.128"],
        "ip/104.213.54.128?json",
    );
    assert_eq!(report["count"], Value::Null);
    assert_eq!(report["maxdate"], Value::Null);
    assert_eq!(report["as"], 8075);
}

#[test]
fn port_requests_the_port() {
    let report = typed("port-80.json", &["port", "80"], "port/80?json");
    assert_eq!(report["number"], 80);
    assert_eq!(report["data"]["records"], 183473);
    assert_eq!(report["data"]["portin"], 80);
    assert_eq!(report["services"]["tcp"]["service"], "www");
}

#[test]
fn portdate_requests_the_port_and_the_day_when_given() {
    let report = typed(
        "portdate-80-2011-07-03.json",
        &["portdate", "80", "2011-07-03"],
        "portdate/80/2011-07-03?json",
    );
    assert_eq!(report["data"]["date"], "2011-07-03");
    assert_eq!(report["data"]["records"], 171234);
    typed(
        "portdate-80-2011-07-03.json",
        &["portdate", "80"],
        "portdate/80?json",
    );
}

#[test]
fn topports_defaults_to_records_and_10_like_python_dshield() {
    let report = typed(
        "topports-records-25-2026-10-05.json",
        &["topports"],
        "topports/records/10?json",
    );
    assert_eq!(report["date"], "2026-10-05");
    assert_eq!(report["ports"][0]["targetport"], 8080);
    assert_eq!(report["ports"][0]["records"], 503088);
    typed(
        "topports-records-25-2026-10-05.json",
        &["topports", "targets", "25", "2026-10-05"],
        "topports/targets/25/2026-10-05?json",
    );
}

#[test]
fn topips_defaults_to_records_and_10_like_python_dshield() {
    let report = typed(
        "topips-records-40-2026-10-05.json",
        &["topips"],
        "topips/records/10?json",
    );
    assert_eq!(report["ips"][0]["source"], "13.94.254.200");
    assert_eq!(report["ips"][0]["reports"], 319739);
    typed(
        "topips-records-40-2026-10-05.json",
        &["topips", "attacks", "40"],
        "topips/attacks/40?json",
    );
}

#[test]
fn sources_defaults_to_attacks_and_10_like_python_dshield() {
    let rows = typed(
        "sources-attacks-10.json",
        &["sources"],
        "sources/attacks/10?json",
    );
    assert_eq!(rows[0]["ip"], "46.101.124.74");
    assert_eq!(rows[0]["attacks"], 65123);
    assert_eq!(rows[2]["ip"], "2001:db8::25");
    assert_eq!(rows[4]["attacks"], Value::Null);
    typed(
        "sources-attacks-10.json",
        &["sources", "firstseen", "10000", "2026-10-05"],
        "sources/firstseen/10000/2026-10-05?json",
    );
}

#[test]
fn porthistory_starts_30_days_ago_unless_told() {
    let report = typed(
        "porthistory-80-2011-07-20-2011-07-23.json",
        &["porthistory", "80", "2011-07-20", "2011-07-23"],
        "porthistory/80/2011-07-20/2011-07-23?json",
    );
    assert_eq!(report["port"], 80);
    assert_eq!(report["days"][0]["date"], "2011-07-20");
    assert_eq!(report["days"][2]["udp"], Value::Null);
    typed_on_today(
        "porthistory-80-2011-07-20-2011-07-23.json",
        &["porthistory", "80"],
        |today| format!("porthistory/80/{}?json", today.saturating_sub(30.days())),
    );
}

#[test]
fn asnum_sends_the_count_before_the_as_number_as_the_api_wants() {
    let rows = typed(
        "asnum-10-4837.json",
        &["asnum", "4837", "10"],
        "asnum/10/4837?json",
    );
    assert_eq!(rows[0]["ip"], "222.141.119.85");
    assert_eq!(rows[0]["number"], 4837);
    assert_eq!(rows[0]["firstseen"], Value::Null);
    assert_eq!(rows[0]["updated"], "2017-07-25T10:57:57");
    typed("asnum-10-4837.json", &["asnum", "4837"], "asnum/4837?json");
}

#[test]
fn dailysummary_starts_today_unless_told() {
    let rows = typed(
        "dailysummary-2012-05-01-2012-05-03.json",
        &["dailysummary", "2012-05-01", "2012-05-03"],
        "dailysummary/2012-05-01/2012-05-03?json",
    );
    assert_eq!(rows[0]["date"], "2012-05-01");
    assert_eq!(rows[0]["reports"], 23456789);
    typed_on_today(
        "dailysummary-2012-05-01-2012-05-03.json",
        &["dailysummary"],
        |today| format!("dailysummary/{today}?json"),
    );
    typed(
        "dailysummary-2012-05-01-2012-05-03.json",
        &["dailysummary", "2012-05-01"],
        "dailysummary/2012-05-01?json",
    );
}

#[test]
fn daily404summary_requests_the_day() {
    let rows = typed(
        "daily404summary-2012-02-23.json",
        &["daily404summary", "2012-02-23"],
        "daily404summary/2012-02-23?json",
    );
    assert_eq!(rows[0]["count"], 18213);
}

#[test]
fn daily404detail_requests_the_day_and_limit() {
    let rows = typed(
        "daily404detail-2012-02-23-10.json",
        &["daily404detail", "2012-02-23", "10"],
        "daily404detail/2012-02-23/10?json",
    );
    assert_eq!(rows[0]["ip"], "61.147.80.12");
    assert_eq!(rows[0]["count"], 212);
    assert_eq!(rows[1]["user_agent"], Value::Null);
}

#[test]
fn glossary_requests_every_term_or_one() {
    let rows = typed(
        "glossary-test.json",
        &["glossary", "test"],
        "glossary/test?json",
    );
    assert_eq!(rows[0]["term"], "Penetration Test");
    typed("glossary-test.json", &["glossary"], "glossary?json");
    // A term cannot add path levels or a query.
    typed(
        "glossary-test.json",
        &["glossary", "a/b?c"],
        "glossary/a%2Fb%3Fc?json",
    );
}

#[test]
fn webhoneypotsummary_requests_the_day() {
    let day = typed(
        "webhoneypotsummary-2012-12-10.json",
        &["webhoneypotsummary", "2012-12-10"],
        "webhoneypotsummary/2012-12-10?json",
    );
    assert_eq!(day["reports"], 48213);
    assert_eq!(day["average"], 1303.05);
}

#[test]
fn webhoneypotbytype_requests_the_day() {
    let rows = typed(
        "webhoneypotbytype-2012-12-10.json",
        &["webhoneypotbytype", "2012-12-10"],
        "webhoneypotbytype/2012-12-10?json",
    );
    assert_eq!(rows[0]["type"], "Remote File Inclusion");
    assert_eq!(rows[1]["count"], 8120);
}

// Wire formats and raw output.

#[test]
fn xml_and_json_wire_print_the_same_json_for_every_command() {
    for (args, path, stem) in COMMANDS {
        let server = serving_both(stem);
        let json = run(&server, args);
        let xml = run(&server, &[&["--wire", "xml"][..], args].concat());
        assert_success(&json);
        assert_success(&xml);
        let xml_path = path.replace("?json", "?xml");
        assert_eq!(
            server.request_lines(),
            [request_line(path), request_line(&xml_path)]
        );
        assert_eq!(stdout(&json), stdout(&xml), "{args:?}");
    }
}

#[test]
fn format_prints_the_body_byte_for_byte() {
    let body = fixture("infocon.xml");
    let server = serving("infocon.xml");
    let output = run(&server, &["--format", "xml", "infocon"]);
    assert_success(&output);
    assert_eq!(output.stdout, body);
    assert_eq!(server.request_lines(), [request_line("infocon?xml")]);

    // Nothing is added, not even a final newline.
    let server = Server::start(|_| Reply::ok("status: green"));
    let output = run(&server, &["topports", "--format", "text"]);
    assert_success(&output);
    assert_eq!(output.stdout, b"status: green");
    assert_eq!(
        server.request_lines(),
        [request_line("topports/records/10?text")]
    );
}

#[test]
fn format_still_reports_refusals() {
    let server = Server::start(|_| Reply::ok("bad IP address"));
    let output = run(&server, &["--format", "php", "ip", "4.4.4.4"]);
    let err = assert_failure(&output, 1);
    assert!(err.contains("\"bad IP address\""), "{err}");
    assert_eq!(server.request_lines(), [request_line("ip/4.4.4.4?php")]);
}

// Exit status and messages.

#[test]
fn refused_input_exits_2_and_sends_nothing() {
    let cases: &[(&[&str], &str)] = &[
        (&["ip", "1.2.3.4/../x"], "ip: invalid ip"),
        (&["ip", "localhost"], "ip: invalid ip"),
        (&["port", "70000"], "0 to 65535"),
        (&["port", "http"], "port: invalid port"),
        (&["portdate", "80", "2011-02-30"], "YYYY-MM-DD"),
        (&["topports", "bogus"], "topports: invalid sort key"),
        (&["topips", "targets"], "topips: invalid sort key"),
        (&["sources", "records"], "sources: invalid sort key"),
        (&["sources", "attacks", "10001"], "at most 10000"),
        (&["asnum", "4837", "2001"], "at most 2000"),
        (&["topports", "records", "0"], "at least 1"),
        (&["topports", "records", "ten"], "LIMIT"),
        (&["backscatter", "yesterday"], "backscatter: invalid date"),
        (
            &["porthistory", "80", "2011-07-20", "2011-07-19"],
            "end date",
        ),
        (&["dailysummary", "2012-05-01", "2012-07-01"], "30 days"),
        (&["dailysummary", "1999-01-01"], "2002-01-01"),
        (&["glossary", " "], "glossary: invalid term"),
        (&["topport"], "topports"),
        (&["ip"], "<IP>"),
        (&["--wire", "yaml", "infocon"], "--wire"),
        (&["--timeout", "0", "infocon"], "--timeout"),
        (
            &["--format", "xml", "--output", "table", "infocon"],
            "--output",
        ),
        (&[], "--help"),
    ];
    for (args, says) in cases {
        let server = Server::start(|_| Reply::ok("{}"));
        let output = run(&server, args);
        let err = assert_failure(&output, 2);
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(server.request_lines().is_empty(), "{args:?}");
    }
}

#[test]
fn refusals_point_to_the_commands_help() {
    let server = Server::start(|_| Reply::ok("{}"));
    let err = assert_failure(&run(&server, &["topports", "bogus"]), 2);
    assert!(
        err.contains("expected one of: records, targets, sources"),
        "{err}"
    );
    assert!(err.contains("dshield topports --help"), "{err}");
}

#[test]
fn a_bad_base_url_exits_2() {
    let output = dshield()
        .args(["--base-url", "ftp://127.0.0.1/api/", "infocon"])
        .output()
        .unwrap();
    let err = assert_failure(&output, 2);
    assert!(err.contains("--base-url"), "{err}");
}

#[test]
fn a_server_error_exits_1() {
    let server = Server::start(|_| Reply::status(500, "Internal Server Error"));
    let err = assert_failure(&run(&server, &["infocon"]), 1);
    assert!(err.contains("HTTP 500"), "{err}");
    assert!(err.contains("try again later"), "{err}");
}

#[test]
fn rate_limiting_exits_1_and_says_when_to_retry() {
    let server = Server::start(|_| Reply::Full {
        status: 429,
        headers: vec![("Retry-After".to_owned(), "120".to_owned())],
        body: b"Too many requests".to_vec(),
    });
    let err = assert_failure(&run(&server, &["topports"]), 1);
    assert!(err.contains("rate limiting"), "{err}");
    assert!(err.contains("retry after 120 s"), "{err}");
}

#[test]
fn a_refused_address_exits_1_and_quotes_the_service() {
    let server = Server::start(|_| Reply::ok(r#"{"ip":{"number":"bad IP address"}}"#));
    let err = assert_failure(&run(&server, &["ip", "4.4.4.4"]), 1);
    assert!(err.contains("\"bad IP address\""), "{err}");
    assert_eq!(server.request_lines(), [request_line("ip/4.4.4.4?json")]);

    let server = Server::start(|_| Reply::ok("<port><number>bad port number</number></port>"));
    let err = assert_failure(&run(&server, &["--wire", "xml", "port", "80"]), 1);
    assert!(err.contains("\"bad port number\""), "{err}");
}

#[test]
fn an_undecodable_answer_exits_1_and_suggests_the_raw_format() {
    let server = Server::start(|_| Reply::ok("<html><body>maintenance</body></html>"));
    let err = assert_failure(&run(&server, &["infocon"]), 1);
    assert!(err.contains("--format json"), "{err}");
    let err = assert_failure(&run(&server, &["--wire", "xml", "sources"]), 1);
    assert!(err.contains("--format xml"), "{err}");
}

#[test]
fn an_unreachable_service_exits_1_and_names_the_base_url() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = dshield()
        .args(["--base-url", &format!("http://127.0.0.1:{port}/api/")])
        .args(["--contact", CONTACT, "infocon"])
        .output()
        .unwrap();
    let err = assert_failure(&output, 1);
    assert!(err.contains("check your network or --base-url"), "{err}");
}

#[test]
fn timeout_bounds_the_request() {
    let server = Server::start(|_| Reply::Silent {
        hold: Duration::from_secs(10),
    });
    let started = std::time::Instant::now();
    let err = assert_failure(&run(&server, &["--timeout", "1", "infocon"]), 1);
    assert!(started.elapsed() < Duration::from_secs(8));
    assert!(err.contains("--timeout"), "{err}");
}

// Cassettes.

fn tour_cassette() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/cassettes/tour.json")
        .display()
        .to_string()
}

#[test]
fn replay_answers_from_the_tour_cassette_without_a_server() {
    let output = dshield()
        .args(["--replay", &tour_cassette(), "topports", "records", "25"])
        .output()
        .unwrap();
    assert_success(&output);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["ports"].as_array().unwrap().len(), 25);
    // No contact is needed to replay, so there is no hint either.
    assert_eq!(stderr(&output), "");

    let xml = dshield()
        .args(["--replay", &tour_cassette(), "--wire", "xml"])
        .args(["topports", "records", "25"])
        .output()
        .unwrap();
    assert_success(&xml);
    assert_eq!(xml.stdout, output.stdout);
}

#[test]
fn replaying_a_request_not_in_the_cassette_exits_1_and_suggests_record() {
    let output = dshield()
        .args(["--replay", &tour_cassette(), "ip", "4.4.4.4"])
        .output()
        .unwrap();
    let err = assert_failure(&output, 1);
    assert!(err.contains("not recorded"), "{err}");
    assert!(err.contains("--record"), "{err}");
}

#[test]
fn replaying_a_missing_cassette_exits_1() {
    let output = dshield()
        .args(["--replay", "/nonexistent/dshield-cassette.json", "infocon"])
        .output()
        .unwrap();
    let err = assert_failure(&output, 1);
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn record_calls_the_service_once_and_replays_after() {
    let dir = std::env::temp_dir().join(format!("dshield-cli-record-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let cassette = dir.join("infocon.json").display().to_string();
    let server = serving("infocon.json");

    let recorded = run(&server, &["--record", &cassette, "infocon"]);
    assert_success(&recorded);
    // Already in the cassette: replayed, not sent again.
    let again = run(&server, &["--record", &cassette, "infocon"]);
    assert_success(&again);
    let replayed = run(&server, &["--replay", &cassette, "infocon"]);
    assert_success(&replayed);

    assert_eq!(server.request_lines(), [request_line("infocon?json")]);
    assert_eq!(recorded.stdout, again.stdout);
    assert_eq!(recorded.stdout, replayed.stdout);
    let text = std::fs::read_to_string(&cassette).unwrap();
    assert!(!text.contains(CONTACT), "the contact is redacted");
    let _ = std::fs::remove_dir_all(&dir);
}

// Tables.

fn assert_fits_80_columns(text: &str, what: &str) {
    assert!(!text.trim().is_empty(), "{what}: no output");
    for line in text.lines() {
        assert!(
            line.chars().count() <= 80,
            "{what}: {} characters: {line:?}",
            line.chars().count()
        );
    }
}

#[test]
fn table_output_fits_80_columns_for_every_command() {
    for (args, path, stem) in COMMANDS {
        let server = serving(&format!("{stem}.json"));
        let output = run(&server, &[*args, &["--output", "table"]].concat());
        assert_success(&output);
        assert_eq!(server.request_lines(), [request_line(path)]);
        assert_fits_80_columns(&stdout(&output), &args.join(" "));
    }
}

#[test]
fn table_output_aligns_columns_and_shows_missing_values_as_dashes() {
    let server = serving("sources-attacks-10.json");
    let table = stdout(&run(&server, &["sources", "--output", "table"]));
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("address "), "{table}");
    assert!(lines[2].starts_with("46.101.124.74 "), "{table}");
    // Numbers are right-aligned: every row's first number ends in one column.
    let end = lines[0].find("targets").unwrap() + "targets".len();
    assert_eq!(&lines[2][end - 5..end], "65123", "{table}");
    assert_eq!(&lines[6][end - 1..end], "-", "{table}");
    assert!(lines[5].contains("  -  "), "{table}");
}

#[test]
fn table_output_cuts_long_text_with_an_ellipsis() {
    let long = "x".repeat(300);
    let body = format!(
        r#"[{{"term":"{long}","definition":"{long}"}},
           {{"term":"short","definition":null}}]"#
    );
    let server = Server::start(move |_| Reply::ok(body.clone()));
    let table = stdout(&run(&server, &["glossary", "--output", "table"]));
    assert_fits_80_columns(&table, "glossary");
    assert!(table.contains('…'), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("short") && l.ends_with(" -"))
    );

    let v6 = "2001:db8:1234:5678:9abc:def0:1234:5678";
    let body = format!(
        r#"[{{"number":4837,"ip":"{v6}","reports":123456789012,"targets":987654321,
              "firstseen":"2017-01-01","lastseen":"2017-07-25","updated":"2017-07-25 10:57:57"}}]"#
    );
    let server = Server::start(move |_| Reply::ok(body.clone()));
    let table = stdout(&run(&server, &["asnum", "4837", "--output", "table"]));
    assert_fits_80_columns(&table, "asnum");

    let body = format!(r#"{{"ip":{{"number":"1.2.3.4","asname":"{long}","comment":"{long}"}}}}"#);
    let server = Server::start(move |_| Reply::ok(body.clone()));
    let table = stdout(&run(&server, &["ip", "1.2.3.4", "--output", "table"]));
    assert_fits_80_columns(&table, "ip");
    assert!(table.contains("reports     -"), "{table}");
}

// The contact.

#[test]
fn without_a_contact_a_hint_names_the_option_and_the_variable() {
    let server = serving("infocon.json");
    let output = dshield()
        .args(["--base-url", &server.base_url(), "infocon"])
        .output()
        .unwrap();
    assert_success(&output);
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("dshield: "), "{err}");
    assert!(
        err.contains("--contact") && err.contains("DSHIELD_CONTACT"),
        "{err}"
    );
    let agent = server.first_header("user-agent").unwrap();
    assert!(agent.starts_with("dshield-cli/"), "{agent}");
    assert!(!agent.contains("contact:"), "{agent}");
}

#[test]
fn a_contact_from_the_option_or_the_variable_silences_the_hint() {
    let server = serving("infocon.json");
    let output = run(&server, &["infocon"]);
    assert_success(&output);
    assert_eq!(stderr(&output), "");
    let agent = server.first_header("user-agent").unwrap();
    assert!(agent.starts_with("dshield-cli/"), "{agent}");
    assert!(agent.contains(&format!("contact: {CONTACT}")), "{agent}");

    let server = serving("infocon.json");
    let output = dshield()
        .env("DSHIELD_CONTACT", "env@example.org")
        .args(["--base-url", &server.base_url(), "infocon"])
        .output()
        .unwrap();
    assert_success(&output);
    assert_eq!(stderr(&output), "");
    let agent = server.first_header("user-agent").unwrap();
    assert!(agent.contains("contact: env@example.org"), "{agent}");
}

// Help.

fn help(args: &[&str]) -> String {
    let output = dshield().args(args).arg("--help").output().unwrap();
    assert_success(&output);
    stdout(&output)
}

#[test]
fn command_help_lists_the_valid_values() {
    let topports = help(&["topports"]);
    for word in ["records, targets or sources", "[default: 10]", "YYYY-MM-DD"] {
        assert!(topports.contains(word), "{word}: {topports}");
    }
    let sources = help(&["sources"]);
    for word in ["ip, count, attacks, firstseen or lastseen", "1 to 10000"] {
        assert!(sources.contains(word), "{word}: {sources}");
    }
    let asnum = help(&["asnum"]);
    for word in ["1 to 2000", "asnum/10/4837"] {
        assert!(asnum.contains(word), "{word}: {asnum}");
    }
    assert!(help(&["port"]).contains("0 to 65535"));
    assert!(help(&["porthistory"]).contains("30 days before today"));
    assert!(help(&["dailysummary"]).contains("2002-01-01"));
}

#[test]
fn global_help_lists_every_command_and_explains_record() {
    let text = help(&[]);
    for (args, _, _) in COMMANDS {
        assert!(text.contains(&format!("\n  {} ", args[0])), "{}", args[0]);
    }
    assert!(text.contains("replayed"), "{text}");
    assert!(text.contains("DSHIELD_CONTACT"), "{text}");
    assert_fits_80_columns(&text, "--help");
}

#[test]
fn retries_send_again_after_a_rate_limit() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let calls = AtomicUsize::new(0);
    // Retry-After: 0 keeps the test from sleeping.
    let server = Server::start(move |_| {
        if calls.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::Full {
                status: 429,
                headers: vec![("Retry-After".into(), "0".into())],
                body: b"Too many requests".to_vec(),
            }
        } else {
            Reply::ok(fixture("infocon.json"))
        }
    });
    let output = run(&server, &["--retries", "1", "infocon"]);
    assert_success(&output);
    assert_eq!(
        server.request_lines(),
        vec![request_line("infocon?json"); 2]
    );
}

#[test]
fn without_retries_a_rate_limit_fails_at_once() {
    let server = Server::start(|_| Reply::Full {
        status: 429,
        headers: vec![("Retry-After".into(), "0".into())],
        body: Vec::new(),
    });
    let err = assert_failure(&run(&server, &["infocon"]), 1);
    assert!(err.contains("rate limiting"), "{err}");
    assert_eq!(server.request_lines().len(), 1);
}

#[test]
fn retries_and_rate_are_checked() {
    let server = Server::start(|_| Reply::ok("{}"));
    for args in [
        &["--retries", "1.5", "infocon"][..],
        &["--retries", "many", "infocon"],
        &["--rate", "0", "infocon"],
        &["--rate=-2", "infocon"],
        &["--retries=-1", "infocon"],
        &["--rate", "inf", "infocon"],
    ] {
        let err = assert_failure(&run(&server, args), 2);
        let option = args[0].split('=').next().unwrap();
        assert!(err.contains(option), "{err}");
    }
    assert!(server.request_lines().is_empty());
}
