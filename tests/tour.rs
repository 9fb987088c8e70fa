//! The tour's cassette: built from the fixtures, and replayed through every
//! endpoint of python-dshield in both wire formats.

use std::path::PathBuf;

use dshield::endpoints::*;
use dshield::transport::{RecordMode, Recorder};
use dshield::{Client, Transport, Wire};
use http::{Request, Response};

use crate::support::fixture;

/// The cassette `cargo run --example tour` replays.
fn shipped_cassette() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/cassettes/tour.json")
}

/// Request path (below the API root, without the format) and the fixture
/// stem that answers it.
const ANSWERS: &[(&str, &str)] = &[
    ("infocon", "infocon"),
    ("handler", "handler"),
    ("ip/1.85.2.119", "ip-1.85.2.119"),
    ("ip/104.213.54.128", "ip-104.213.54.128"),
    ("port/80", "port-80"),
    ("portdate/80/2011-07-03", "portdate-80-2011-07-03"),
    (
        "porthistory/80/2011-07-20/2011-07-23",
        "porthistory-80-2011-07-20-2011-07-23",
    ),
    ("topports/records/25", "topports-records-25-2026-10-05"),
    ("topips/records/40", "topips-records-40-2026-10-05"),
    ("sources/attacks/10", "sources-attacks-10"),
    ("asnum/10/4837", "asnum-10-4837"),
    ("backscatter", "backscatter"),
    (
        "dailysummary/2012-05-01/2012-05-03",
        "dailysummary-2012-05-01-2012-05-03",
    ),
    ("daily404summary/2012-02-23", "daily404summary-2012-02-23"),
    (
        "daily404detail/2012-02-23/10",
        "daily404detail-2012-02-23-10",
    ),
    ("glossary/test", "glossary-test"),
    (
        "webhoneypotsummary/2012-12-10",
        "webhoneypotsummary-2012-12-10",
    ),
    (
        "webhoneypotbytype/2012-12-10",
        "webhoneypotbytype-2012-12-10",
    ),
];

/// Serves the fixtures as the service would, with its content types.
fn fixtures_as_service(request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, std::io::Error> {
    let path = request.uri().path().trim_start_matches("/api/");
    let format = request.uri().query().unwrap_or_default();
    let (_, stem) = ANSWERS
        .iter()
        .find(|(p, _)| *p == path)
        .ok_or_else(|| std::io::Error::other(format!("no fixture for {path}")))?;
    let content_type = if format == "xml" {
        "text/xml"
    } else {
        "text/json"
    };
    Ok(Response::builder()
        .header("content-type", content_type)
        .body(fixture(&format!("{stem}.{format}")))
        .unwrap())
}

/// Everything the tour prints, as values to compare between formats.
#[derive(Debug, PartialEq)]
struct Answers {
    infocon: InfoconStatus,
    handler: HandlerOfTheDay,
    ips: Vec<IpReport>,
    port: PortReport,
    portdate: PortReport,
    history: PortHistoryReport,
    topports: TopPortsReport,
    topips: TopIpsReport,
    sources: dshield::List<Source>,
    asnum: dshield::List<AsnAddress>,
    backscatter: dshield::List<BackscatterRow>,
    daily: dshield::List<DailySummaryDay>,
    summary404: dshield::List<Daily404Day>,
    detail404: dshield::List<Daily404Request>,
    glossary: dshield::List<GlossaryTerm>,
    honeypot: WebHoneypotDay,
    bytype: dshield::List<AttackType>,
}

/// Calls every endpoint the tour calls, with the same arguments.
fn every_endpoint<T: Transport>(transport: T, wire: Wire) -> Answers {
    let client = Client::builder()
        .contact("tour@example.org")
        .wire(wire)
        .build_with(transport)
        .unwrap();
    Answers {
        infocon: client.query(&Infocon).unwrap(),
        handler: client.query(&Handler).unwrap(),
        ips: ["1.85.2.119", "104.213.54.128"]
            .iter()
            .map(|ip| client.query(&Ip::new(*ip).unwrap()).unwrap())
            .collect(),
        port: client.query(&Port::new(80).unwrap()).unwrap(),
        portdate: client
            .query(&PortDate::new(80).unwrap().on("2011-07-03").unwrap())
            .unwrap(),
        history: client
            .query(
                &PortHistory::new(80)
                    .unwrap()
                    .start("2011-07-20")
                    .unwrap()
                    .end("2011-07-23")
                    .unwrap(),
            )
            .unwrap(),
        topports: client
            .query(&TopPorts::new(TopPortsSort::Records, 25).unwrap())
            .unwrap(),
        topips: client
            .query(&TopIps::new(TopIpsSort::Records, 40).unwrap())
            .unwrap(),
        sources: client.query(&Sources::default()).unwrap(),
        asnum: client.query(&AsNum::new(4837).limit(10).unwrap()).unwrap(),
        backscatter: client.query(&Backscatter::latest()).unwrap(),
        daily: client
            .query(&DailySummary::between("2012-05-01", "2012-05-03").unwrap())
            .unwrap(),
        summary404: client
            .query(&Daily404Summary::new("2012-02-23").unwrap())
            .unwrap(),
        detail404: client
            .query(
                &Daily404Detail::new("2012-02-23")
                    .unwrap()
                    .limit(10)
                    .unwrap(),
            )
            .unwrap(),
        glossary: client.query(&Glossary::term("test").unwrap()).unwrap(),
        honeypot: client
            .query(&WebHoneypotSummary::new("2012-12-10").unwrap())
            .unwrap(),
        bytype: client
            .query(&WebHoneypotByType::new("2012-12-10").unwrap())
            .unwrap(),
    }
}

/// Records a fresh tour cassette from the fixtures into `path`.
fn record_cassette(path: &std::path::Path) {
    let _ = std::fs::remove_file(path);
    for wire in [Wire::Json, Wire::Xml] {
        let mode = if wire == Wire::Json {
            RecordMode::All
        } else {
            RecordMode::NewEpisodes
        };
        let recorder = Recorder::new(fixtures_as_service, path, mode).unwrap();
        every_endpoint(recorder, wire);
    }
}

/// The parts of a cassette that matter for replay, without record times.
fn replayed_parts(path: &std::path::Path) -> Vec<(String, String, serde_json::Value)> {
    let text = std::fs::read_to_string(path).unwrap();
    let cassette: serde_json::Value = serde_json::from_str(&text).unwrap();
    cassette["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["request"]["method"].as_str().unwrap().to_owned(),
                i["request"]["uri"].as_str().unwrap().to_owned(),
                i["response"].clone(),
            )
        })
        .collect()
}

#[test]
fn shipped_cassette_replays_every_endpoint_in_both_formats() {
    let json = every_endpoint(Recorder::replay(shipped_cassette()).unwrap(), Wire::Json);
    let xml = every_endpoint(Recorder::replay(shipped_cassette()).unwrap(), Wire::Xml);
    assert_eq!(json, xml);
    assert_eq!(json.infocon.status, InfoconLevel::Green);
    assert_eq!(json.topports.ports.len(), 25);
    assert_eq!(
        json.asnum[0].ip,
        "222.141.119.85".parse::<std::net::IpAddr>().unwrap()
    );
}

#[test]
fn shipped_cassette_is_what_the_fixtures_record() {
    let dir = std::env::temp_dir().join(format!("dshield-tour-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fresh = dir.join("tour.json");
    record_cassette(&fresh);
    let (want, got) = (replayed_parts(&fresh), replayed_parts(&shipped_cassette()));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(want.len(), 2 * ANSWERS.len());
    assert!(
        want == got,
        "examples/cassettes/tour.json is stale: run \
         `cargo test -q --test lib tour::write_tour_cassette -- --ignored` to rebuild it"
    );
}

/// Rebuilds `examples/cassettes/tour.json` from the fixtures.
#[test]
#[ignore = "writes the shipped cassette; run by hand after changing fixtures"]
fn write_tour_cassette() {
    record_cassette(&shipped_cassette());
}
