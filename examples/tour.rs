//! A tour of every endpoint of python-dshield, with a short summary of each
//! typed answer.
//!
//! By default it replays answers recorded in `examples/cassettes/tour.json`
//! and touches no network: real bodies from the API where one was
//! available, constructed ones otherwise (`tests/fixtures/README.md` says
//! which). Options:
//!
//! ```text
//! cargo run --example tour                   replay, JSON wire format
//! cargo run --example tour -- --xml          replay, XML wire format
//! cargo run --example tour -- --live         call isc.sans.edu instead
//! cargo run --example tour -- --record FILE  call isc.sans.edu and record to FILE
//! ```
//!
//! Live calls are paced one a second, as the service asks; set
//! `DSHIELD_CONTACT` to your e-mail address first.

use std::path::PathBuf;
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use dshield::endpoints::*;
use dshield::transport::{IsahcTransport, RecordMode, Recorder};
use dshield::{Client, Endpoint, Error, Transport, Wire};

const USAGE: &str = "usage: tour [--xml] [--live | --record FILE]";

enum Source {
    Replay,
    Live,
    Record(PathBuf),
}

fn main() -> ExitCode {
    let mut source = Source::Replay;
    let mut wire = Wire::Json;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--xml" => wire = Wire::Xml,
            "--live" => source = Source::Live,
            "--record" => match args.next() {
                Some(file) => source = Source::Record(file.into()),
                None => return usage("--record needs a file name"),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => return usage(&format!("unknown argument {other:?}")),
        }
    }
    let result = match source {
        Source::Replay => {
            let cassette =
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/cassettes/tour.json");
            println!("Replaying {} (no network).\n", cassette.display());
            Recorder::replay(&cassette)
                .map_err(|e| e.to_string())
                .and_then(|r| run(r, wire, false))
        }
        Source::Live => {
            println!(
                "Calling the live service at {} (one request a second).\n",
                dshield::DEFAULT_BASE_URL
            );
            IsahcTransport::new()
                .map_err(|e| e.to_string())
                .and_then(|t| run(t, wire, true))
        }
        Source::Record(file) => {
            println!(
                "Calling the live service and recording to {}.\n",
                file.display()
            );
            IsahcTransport::new()
                .map_err(|e| e.to_string())
                .and_then(|t| Recorder::new(t, &file, RecordMode::All).map_err(|e| e.to_string()))
                .and_then(|r| run(r, wire, true))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tour: {message}");
            ExitCode::FAILURE
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("tour: {problem}\n{USAGE}");
    ExitCode::from(2)
}

/// Runs every endpoint once and prints a summary line or two for each.
fn run<T: Transport>(transport: T, wire: Wire, live: bool) -> Result<(), String> {
    let client = Client::builder()
        .application(concat!("dshield-tour/", env!("CARGO_PKG_VERSION")))
        .wire(wire)
        .build_with(transport)
        .map_err(|e| e.to_string())?;
    if live && !client.has_contact() {
        eprintln!(
            "tour: no contact set; the service asks for one: export DSHIELD_CONTACT=you@example.org"
        );
    }
    let tour = Tour { client, live };
    tour.all().map_err(|e| e.to_string())
}

struct Tour<T> {
    client: Client<T>,
    live: bool,
}

impl<T: Transport> Tour<T> {
    fn ask<E: Endpoint>(&self, endpoint: &E) -> Result<E::Response, Error> {
        if self.live {
            thread::sleep(Duration::from_secs(1));
        }
        println!("{}  ({})", endpoint.name(), endpoint.path());
        self.client.query(endpoint)
    }

    fn all(&self) -> Result<(), Error> {
        let status = self.ask(&Infocon)?;
        println!("    INFOCON level: {}", status.status);

        let handler = self.ask(&Handler)?;
        println!(
            "    handler on duty: {}",
            handler.name.as_deref().unwrap_or("(unknown)")
        );

        for address in ["1.85.2.119", "104.213.54.128"] {
            let ip = self.ask(&Ip::new(address)?)?;
            println!(
                "    {}: {} reports against {} targets, AS{} {} ({}), {} threat feeds",
                ip.number,
                show(ip.count),
                show(ip.attacks),
                show(ip.asn),
                ip.asname.as_deref().unwrap_or("?"),
                ip.ascountry.as_deref().unwrap_or("?"),
                ip.threatfeeds.len()
            );
        }

        let port = self.ask(&Port::new(80)?)?;
        print_port(&port);
        let portdate = self.ask(&PortDate::new(80)?.on("2011-07-03")?)?;
        print_port(&portdate);

        let history = self.ask(
            &PortHistory::new(80)?
                .start("2011-07-20")?
                .end("2011-07-23")?,
        )?;
        for day in &history.days {
            println!(
                "    {}: {} records, {} sources",
                day.date,
                show(day.records),
                show(day.sources)
            );
        }

        let top = self.ask(&TopPorts::new(TopPortsSort::Records, 25)?)?;
        println!(
            "    {} ports on {}; top three:",
            top.ports.len(),
            show(top.date)
        );
        for port in top.ports.iter().take(3) {
            println!(
                "      port {:>5}: {} records",
                port.targetport,
                show(port.records)
            );
        }

        let top = self.ask(&TopIps::new(TopIpsSort::Records, 40)?)?;
        for ip in top.ips.iter().take(3) {
            println!(
                "    #{} {}: {} reports",
                show(ip.rank),
                ip.source,
                show(ip.reports)
            );
        }

        let sources = self.ask(&Sources::default())?;
        for source in sources.iter().take(3) {
            println!(
                "    {}: {} targets, seen {} to {}",
                source.ip,
                show(source.attacks),
                show(source.firstseen),
                show(source.lastseen)
            );
        }

        let asn = self.ask(&AsNum::new(4837).limit(10)?)?;
        println!(
            "    {} addresses of AS4837, e.g. {} (updated {})",
            asn.len(),
            asn.first().map_or("-".to_owned(), |a| a.ip.to_string()),
            show(asn.first().and_then(|a| a.updated))
        );

        let backscatter = self.ask(&Backscatter::latest())?;
        for row in backscatter.iter().take(3) {
            println!(
                "    source port {:>5}: {} packets",
                row.sourceport,
                show(row.count)
            );
        }

        let days = self.ask(&DailySummary::between("2012-05-01", "2012-05-03")?)?;
        for day in &days {
            println!(
                "    {}: {} reports from {} sources",
                day.date,
                show(day.reports),
                show(day.sources)
            );
        }

        let summary = self.ask(&Daily404Summary::new("2012-02-23")?)?;
        for day in &summary {
            println!("    {}: {} 404 reports", show(day.date), show(day.count));
        }
        let detail = self.ask(&Daily404Detail::new("2012-02-23")?.limit(10)?)?;
        for request in detail.iter().take(3) {
            println!(
                "    {} from {}",
                request.url.as_deref().unwrap_or("?"),
                show(request.ip)
            );
        }

        let glossary = self.ask(&Glossary::term("test")?)?;
        for term in &glossary {
            println!("    {}", term.term.as_deref().unwrap_or("?"));
        }

        let honeypot = self.ask(&WebHoneypotSummary::new("2012-12-10")?)?;
        println!(
            "    {} reports from {} honeypots",
            show(honeypot.reports),
            show(honeypot.submitters)
        );
        let types = self.ask(&WebHoneypotByType::new("2012-12-10")?)?;
        for kind in types.iter().take(3) {
            println!(
                "    {}: {}",
                kind.kind.as_deref().unwrap_or("?"),
                show(kind.count)
            );
        }
        Ok(())
    }
}

fn print_port(report: &PortReport) {
    let data = report.data.as_ref();
    let service = report
        .services
        .as_ref()
        .and_then(|s| s.tcp.as_ref())
        .and_then(|s| s.name.as_deref());
    println!(
        "    port {} ({}): {} records from {} sources on {}",
        report.number,
        service.unwrap_or("no service name"),
        show(data.and_then(|d| d.records)),
        show(data.and_then(|d| d.sources)),
        show(data.and_then(|d| d.date))
    );
}

/// A value or a dash.
fn show<V: std::fmt::Display>(value: Option<V>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}
