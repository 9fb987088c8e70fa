//! Every endpoint requests exactly the path python-dshield 0.2.1 requests
//! for the same arguments (its own test suite's cases), with `?json` for
//! typed calls and the chosen suffix for raw ones.

use dshield::endpoints::*;
use dshield::{Endpoint, Format, Wire};
use jiff::ToSpan;

use crate::support::{Canned, client};

const ROOT: &str = "https://isc.sans.edu/api/";

/// The URL a typed call sends.
fn url(endpoint: &impl Endpoint) -> String {
    let client = client(Canned::new(Vec::new()), Wire::Json);
    client
        .request(endpoint, Format::Json)
        .unwrap()
        .uri()
        .to_string()
}

fn api(path: &str) -> String {
    format!("{ROOT}{path}?json")
}

fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

/// A path that contains a default computed from today's date: accept the
/// value for the day before too, in case the clock passed midnight between
/// the call and the check.
fn assert_dated(actual: String, expected: impl Fn(jiff::civil::Date) -> String) {
    let now = today();
    let candidates = [expected(now), expected(now.saturating_sub(1.day()))];
    assert!(
        candidates.contains(&actual),
        "{actual} is none of {candidates:?}"
    );
}

#[test]
fn backscatter_paths() {
    assert_eq!(url(&Backscatter::latest()), api("backscatter"));
    assert_eq!(
        url(&Backscatter::on("2011-12-01").unwrap()),
        api("backscatter/2011-12-01")
    );
    assert_eq!(
        url(&Backscatter::on(jiff::civil::date(2011, 12, 1)).unwrap()),
        api("backscatter/2011-12-01")
    );
    assert_eq!(
        url(&Backscatter::on("2011-12-01").unwrap().rows(10).unwrap()),
        api("backscatter/2011-12-01/10")
    );
}

#[test]
fn handler_and_infocon_paths() {
    assert_eq!(url(&Handler), api("handler"));
    assert_eq!(url(&Infocon), api("infocon"));
}

#[test]
fn ip_path() {
    assert_eq!(url(&Ip::new("4.4.4.4").unwrap()), api("ip/4.4.4.4"));
    assert_eq!(url(&Ip::new("2001:db8::1").unwrap()), api("ip/2001:db8::1"));
}

#[test]
fn port_paths_from_numbers_and_text() {
    assert_eq!(url(&Port::new(80).unwrap()), api("port/80"));
    assert_eq!(url(&Port::new("80").unwrap()), api("port/80"));
    assert_eq!(url(&PortDate::new(80).unwrap()), api("portdate/80"));
    assert_eq!(
        url(&PortDate::new(80).unwrap().on("2011-07-03").unwrap()),
        api("portdate/80/2011-07-03")
    );
}

#[test]
fn top_lists_always_send_sort_and_limit() {
    assert_eq!(url(&TopPorts::default()), api("topports/records/10"));
    let top = TopPorts::new(TopPortsSort::Records, 10)
        .unwrap()
        .on("2011-07-23")
        .unwrap();
    assert_eq!(url(&top), api("topports/records/10/2011-07-23"));
    assert_eq!(url(&TopIps::default()), api("topips/records/10"));
    assert_eq!(url(&Sources::default()), api("sources/attacks/10"));
    assert_eq!(
        url(&Sources::default().sort_by(SourcesSort::Ip)),
        api("sources/ip/10")
    );
    let sources = Sources::new(SourcesSort::Ip, 10)
        .unwrap()
        .on("2012-03-08")
        .unwrap();
    assert_eq!(url(&sources), api("sources/ip/10/2012-03-08"));
}

#[test]
fn porthistory_defaults_to_thirty_days_ago() {
    assert_dated(url(&PortHistory::new(80).unwrap()), |today| {
        api(&format!(
            "porthistory/80/{}",
            today.saturating_sub(30.days())
        ))
    });
    let history = PortHistory::new(80)
        .unwrap()
        .start("2011-07-20")
        .unwrap()
        .end("2011-07-23")
        .unwrap();
    assert_eq!(url(&history), api("porthistory/80/2011-07-20/2011-07-23"));
}

#[test]
fn asnum_sends_the_count_first() {
    assert_eq!(url(&AsNum::new(10)), api("asnum/10"));
    assert_eq!(
        url(&AsNum::new(4837).limit(10).unwrap()),
        api("asnum/10/4837")
    );
}

#[test]
fn dailysummary_defaults_to_today() {
    assert_dated(url(&DailySummary::today()), |today| {
        api(&format!("dailysummary/{today}"))
    });
    let summary = DailySummary::between("2012-05-01", "2012-05-03").unwrap();
    assert_eq!(url(&summary), api("dailysummary/2012-05-01/2012-05-03"));
}

#[test]
fn daily404_paths() {
    assert_eq!(
        url(&Daily404Summary::new("2012-02-23").unwrap()),
        api("daily404summary/2012-02-23")
    );
    assert_eq!(
        url(&Daily404Detail::new("2012-02-23")
            .unwrap()
            .limit(10)
            .unwrap()),
        api("daily404detail/2012-02-23/10")
    );
}

#[test]
fn glossary_paths() {
    assert_eq!(url(&Glossary::all()), api("glossary"));
    assert_eq!(url(&Glossary::term("test").unwrap()), api("glossary/test"));
}

#[test]
fn webhoneypot_paths() {
    assert_eq!(
        url(&WebHoneypotSummary::new("2012-12-10").unwrap()),
        api("webhoneypotsummary/2012-12-10")
    );
    assert_eq!(
        url(&WebHoneypotByType::new(jiff::civil::date(2012, 12, 10)).unwrap()),
        api("webhoneypotbytype/2012-12-10")
    );
}

#[test]
fn raw_calls_use_the_chosen_suffix_and_return_the_body_untouched() {
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<infocon>\n<status>green</status>\n</infocon>\n";
    let transport = Canned::new(body);
    let client = client(transport, Wire::Json);
    assert_eq!(client.raw(&Infocon, Format::Xml).unwrap(), body);
    for format in [Format::Json, Format::Text, Format::Php] {
        client.raw(&Infocon, format).unwrap();
    }
    assert_eq!(
        client.transport().uris(),
        ["infocon?xml", "infocon?json", "infocon?text", "infocon?php"]
            .map(|p| format!("{ROOT}{p}"))
    );
}

#[test]
fn xml_wire_asks_for_xml() {
    let client = client(
        Canned::new(crate::support::fixture("infocon.xml")),
        Wire::Xml,
    );
    client.query(&Infocon).unwrap();
    assert_eq!(client.transport().uris(), [format!("{ROOT}infocon?xml")]);
}

#[test]
fn requests_carry_the_user_agent_with_contact() {
    let client = client(Canned::new(Vec::new()), Wire::Json);
    let request = client.request(&Infocon, Format::Json).unwrap();
    let agent = request.headers()["user-agent"].to_str().unwrap();
    assert!(agent.starts_with("dshield-rs/"), "{agent}");
    assert!(agent.contains("contact: tests@example.org"), "{agent}");
    assert_eq!(request.method(), http::Method::GET);
}
