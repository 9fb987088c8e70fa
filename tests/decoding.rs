//! Decoding real answers, and their constructed twins in the other format
//! into equal values. The fixtures README says which body is which.

use std::net::IpAddr;

use dshield::endpoints::*;
use dshield::{Decodable, List, Wire, decode_body};
use jiff::civil::date;

use crate::support::fixture;

fn decode<R: Decodable>(name: &str) -> R {
    let wire = if name.ends_with(".xml") {
        Wire::Xml
    } else {
        Wire::Json
    };
    decode_body("fixture", wire, &fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Decodes `stem.json` and `stem.xml` and checks they agree.
fn twins<R: Decodable + PartialEq + std::fmt::Debug>(stem: &str) -> R {
    let json: R = decode(&format!("{stem}.json"));
    let xml: R = decode(&format!("{stem}.xml"));
    assert_eq!(json, xml, "{stem}: JSON and XML disagree");
    json
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

#[test]
fn infocon_real_json_and_xml() {
    let status: InfoconStatus = twins("infocon");
    assert_eq!(status.status, InfoconLevel::Green);
}

#[test]
fn topports_keyed_object_keeps_its_metadata() {
    let top: TopPortsReport = twins("topports-records-25-2026-10-05");
    assert_eq!(top.date, Some(date(2026, 10, 5)));
    assert_eq!(top.limit, Some(25));
    assert_eq!(top.ports.len(), 25);
    let first = &top.ports[0];
    assert_eq!(
        (first.rank, first.targetport, first.records),
        (Some(1), 8080, Some(503088))
    );
    assert_eq!((first.targets, first.sources), (Some(265), Some(7965)));
    assert_eq!(top.ports[24].targetport, 36398);
}

#[test]
fn topips_array_decodes() {
    let top: TopIpsReport = twins("topips-records-40-2026-10-05");
    assert_eq!(top.ips.len(), 40);
    assert_eq!(top.ips[0].source, ip("13.94.254.200"));
    assert_eq!(top.ips[39].reports, Some(19162));
    assert_eq!((top.date, top.limit), (None, None));
}

#[test]
fn ip_with_threat_feeds_and_empty_comment() {
    let report: IpReport = twins("ip-1.85.2.119");
    assert_eq!(report.number, ip("1.85.2.119"));
    assert_eq!((report.count, report.attacks), (Some(9843), Some(34)));
    assert_eq!(report.maxdate, Some(date(2015, 11, 12)));
    assert_eq!(report.updated, Some(date(2015, 11, 12).at(14, 3, 22, 0)));
    assert_eq!(report.comment, None);
    assert_eq!(report.asn, Some(4134));
    assert_eq!(
        report.asname.as_deref(),
        Some("CHINANET-BACKBONE No.31,Jin-rong Street")
    );
    assert_eq!(report.network.as_deref(), Some("1.80.0.0/13"));
    let feeds: Vec<&str> = report.threatfeeds.iter().map(|f| f.feed.as_str()).collect();
    assert_eq!(feeds.len(), 7);
    assert_eq!(feeds[5], "forumspam");
    assert_eq!(report.threatfeeds[5].firstseen, Some(date(2013, 1, 5)));
    assert_eq!(report.threatfeeds[6].feed, "openbl_smtp");
}

#[test]
fn ip_nobody_reported_has_no_activity() {
    let report: IpReport = twins("ip-104.213.54.128");
    assert_eq!(report.number, ip("104.213.54.128"));
    assert_eq!(
        (report.count, report.attacks, report.maxdate, report.updated),
        (None, None, None, None)
    );
    assert_eq!((report.asn, report.assize), (Some(8075), Some(44952576)));
    assert!(report.threatfeeds.is_empty());
}

#[test]
fn port_with_nested_blocks() {
    let report: PortReport = twins("port-80");
    assert_eq!(report.number, 80);
    let data = report.data.unwrap();
    assert_eq!(
        (data.date, data.records, data.udp),
        (Some(date(2011, 8, 3)), Some(183473), Some(151))
    );
    assert_eq!(data.portin, Some(80));
    let services = report.services.unwrap();
    assert_eq!(
        services.tcp.unwrap().name.as_deref(),
        Some("World Wide Web HTTP")
    );
}

#[test]
fn asnum_zero_padded_addresses_and_empty_dates() {
    let rows: List<AsnAddress> = twins("asnum-10-4837");
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[0].ip, ip("222.141.119.85"));
    assert_eq!(rows[1].ip, ip("222.140.87.140"));
    assert_eq!(rows[0].number, Some(4837));
    assert_eq!((rows[0].firstseen, rows[0].lastseen), (None, None));
    assert_eq!(rows[9].updated, Some(date(2017, 7, 26).at(3, 22, 9, 0)));
}

#[test]
fn backscatter_numbers_sent_as_strings() {
    let rows: List<BackscatterRow> = twins("backscatter");
    assert_eq!(rows.len(), 10);
    assert_eq!((rows[0].sourceport, rows[0].count), (6000, Some(563542)));
    assert_eq!(rows[9].targets, Some(54745));
}

#[test]
fn handler_from_cdata() {
    let handler: HandlerOfTheDay = twins("handler");
    assert_eq!(handler.name.as_deref(), Some("Johannes Ullrich"));
}

#[test]
fn portdate_wrapped_json_matches_xml() {
    let report: PortReport = twins("portdate-80-2011-07-03");
    assert_eq!(report.data.unwrap().date, Some(date(2011, 7, 3)));
}

#[test]
fn sources_mixed_numbers_nulls_and_addresses() {
    let rows: List<Source> = twins("sources-attacks-10");
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0].ip, ip("46.101.124.74"));
    assert_eq!(rows[1].attacks, Some(51200));
    assert_eq!(rows[2].ip, ip("2001:db8::25"));
    assert_eq!(rows[3].firstseen, None);
    assert_eq!(rows[4].attacks, None);
    assert_eq!(rows[4].ip, ip("152.89.198.163"));
}

#[test]
fn porthistory_keyed_rows_with_metadata() {
    let history: PortHistoryReport = twins("porthistory-80-2011-07-20-2011-07-23");
    assert_eq!(history.days.len(), 4, "METAKEYINFO must not become a row");
    assert_eq!(history.start, Some(date(2011, 7, 20)));
    assert_eq!(history.end, Some(date(2011, 7, 23)));
    assert_eq!(history.port, Some(80));
    assert_eq!(history.days[1].records, Some(181002));
    assert_eq!(history.days[2].udp, None);
}

#[test]
fn dailysummary_rows() {
    let days: List<DailySummaryDay> = twins("dailysummary-2012-05-01-2012-05-03");
    assert_eq!(
        days.iter().map(|d| d.date).collect::<Vec<_>>(),
        [1, 2, 3].map(|d| date(2012, 5, d))
    );
    assert_eq!(days[1].reports, Some(22998310));
}

#[test]
fn daily404_rows() {
    let summary: List<Daily404Day> = twins("daily404summary-2012-02-23");
    assert_eq!(summary[0].count, Some(18213));
    let detail: List<Daily404Request> = twins("daily404detail-2012-02-23-10");
    assert_eq!(detail[0].ip, Some(ip("61.147.80.12")));
    assert_eq!(
        detail[1].url.as_deref(),
        Some("/w00tw00t.at.blackhats.romanian.anti-sec:)")
    );
    assert_eq!(detail[1].user_agent, None);
}

#[test]
fn glossary_entities_and_cdata() {
    let terms: List<GlossaryTerm> = twins("glossary-test");
    assert!(
        terms[0]
            .definition
            .as_deref()
            .unwrap()
            .contains("security & find")
    );
    assert_eq!(
        terms[1].definition.as_deref(),
        Some("A <b>TAP</b> copies network traffic for monitoring.")
    );
}

#[test]
fn webhoneypot_answers() {
    let day: WebHoneypotDay = twins("webhoneypotsummary-2012-12-10");
    assert_eq!(
        (day.reports, day.submitters, day.average),
        (Some(48213), Some(37), Some(1303.05))
    );
    let types: List<AttackType> = twins("webhoneypotbytype-2012-12-10");
    assert_eq!(types.len(), 3);
    assert_eq!(types[1].kind.as_deref(), Some("SQL Injection"));
    assert_eq!(types[1].count, Some(8120));
}

#[test]
fn unknown_fields_and_blocks_are_ignored() {
    let json = br#"{"status":"yellow","since":"2026-10-05","detail":{"why":["x"]}}"#;
    let status: InfoconStatus = decode_body("infocon", Wire::Json, json).unwrap();
    assert_eq!(status.status, InfoconLevel::Yellow);
    let xml = b"<infocon><extra><deep>1</deep></extra><status>red</status><more/></infocon>";
    let status: InfoconStatus = decode_body("infocon", Wire::Xml, xml).unwrap();
    assert_eq!(status.status, InfoconLevel::Red);
}

#[test]
fn empty_lists_in_every_shape() {
    for (wire, body) in [
        (Wire::Json, &b"[]"[..]),
        (Wire::Json, b"{}"),
        (Wire::Json, b"null"),
        (Wire::Xml, b"<sources/>"),
        (Wire::Xml, b"<sources>\n</sources>"),
    ] {
        let rows: List<Source> = decode_body("sources", wire, body).unwrap();
        assert!(rows.is_empty(), "{}", String::from_utf8_lossy(body));
    }
}

#[test]
fn typed_answers_serialise_the_same_from_either_format() {
    let json: IpReport = decode("ip-1.85.2.119.json");
    let xml: IpReport = decode("ip-1.85.2.119.xml");
    let a = serde_json::to_string(&json).unwrap();
    assert_eq!(a, serde_json::to_string(&xml).unwrap());
    assert!(a.contains(r#""number":"1.85.2.119""#), "{a}");
    assert!(a.contains(r#""comment":null"#), "{a}");
}

/// Decodes `stem.xml` with and without a UTF-8 byte-order mark in front.
fn same_with_bom<R: Decodable + PartialEq + std::fmt::Debug>(stem: &str) {
    let body = fixture(&format!("{stem}.xml"));
    let plain: R = decode_body("fixture", Wire::Xml, &body).unwrap();
    let mut marked = b"\xEF\xBB\xBF".to_vec();
    marked.extend_from_slice(&body);
    let with_bom: R =
        decode_body("fixture", Wire::Xml, &marked).unwrap_or_else(|e| panic!("{stem}: {e}"));
    assert_eq!(plain, with_bom, "{stem}");
}

#[test]
fn a_byte_order_mark_changes_nothing() {
    same_with_bom::<InfoconStatus>("infocon");
    same_with_bom::<IpReport>("ip-1.85.2.119");
    same_with_bom::<TopPortsReport>("topports-records-25-2026-10-05");
    same_with_bom::<List<AsnAddress>>("asnum-10-4837");
    same_with_bom::<List<GlossaryTerm>>("glossary-test");
    same_with_bom::<List<Source>>("sources-attacks-10");
    same_with_bom::<WebHoneypotDay>("webhoneypotsummary-2012-12-10");
}

#[test]
fn a_byte_order_mark_before_json_changes_nothing() {
    let body = fixture("topports-records-25-2026-10-05.json");
    let plain: TopPortsReport = decode_body("fixture", Wire::Json, &body).unwrap();
    let mut marked = b"\xEF\xBB\xBF".to_vec();
    marked.extend_from_slice(&body);
    let with_bom: TopPortsReport = decode_body("fixture", Wire::Json, &marked).unwrap();
    assert_eq!(plain, with_bom);
    let err = decode_body::<TopPortsReport>("fixture", Wire::Json, b"\xEF\xBB\xBF{\"0\": x}")
        .unwrap_err();
    assert!(
        matches!(err, dshield::Error::Decode { position: Some(p), .. } if p.column == 10),
        "{err:?}"
    );
}
