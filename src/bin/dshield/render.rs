//! Typed answers as JSON or as tables.

use dshield::List;
use dshield::endpoints::{
    AsnAddress, AttackType, BackscatterRow, Daily404Day, Daily404Request, DailySummaryDay,
    GlossaryTerm, HandlerOfTheDay, InfoconStatus, IpReport, PortHistoryReport, PortReport,
    PortService, Source, TopIpsReport, TopPortsReport, WebHoneypotDay,
};
use jiff::civil::DateTime;
use serde::Serialize;

use crate::args::OutputArg;
use crate::table::{Column, Table, number, opt, render_all, text, value};

/// Width of the terminal the tables are made for.
pub const WIDTH: usize = 80;

/// An answer as tables for people.
pub trait Tabular {
    /// The answer's tables, in reading order.
    fn tables(&self) -> Vec<Table>;
}

/// The answer as `output` asks: pretty JSON or tables, ending in a newline.
pub fn render<R: Serialize + Tabular>(
    answer: &R,
    output: OutputArg,
) -> Result<String, serde_json::Error> {
    Ok(match output {
        OutputArg::Json => {
            let mut json = serde_json::to_string_pretty(answer)?;
            json.push('\n');
            json
        }
        OutputArg::Table => render_all(&answer.tables(), WIDTH),
    })
}

/// A row type of a list answer, shown one row per line.
pub trait Rows: Sized {
    /// The columns, in order.
    fn columns() -> Vec<Column>;
    /// One row's cells, in the order of [`Rows::columns`].
    fn cells(&self) -> Vec<String>;
    /// A line above the table, from the rows.
    fn title(_rows: &[Self]) -> Option<String> {
        None
    }
}

impl<T: Rows> Tabular for List<T> {
    fn tables(&self) -> Vec<Table> {
        let mut table = rows_table(&self.rows);
        if let Some(title) = T::title(&self.rows) {
            table = table.titled(title);
        }
        vec![table]
    }
}

fn rows_table<T: Rows>(rows: &[T]) -> Table {
    let mut table = Table::new(T::columns());
    for row in rows {
        table.push(row.cells());
    }
    table
}

/// A timestamp without the `T`, as people write it.
fn stamp(at: Option<DateTime>) -> String {
    opt(at.map(|t| t.strftime("%Y-%m-%d %H:%M:%S")))
}

fn service(service: Option<&PortService>) -> String {
    match service {
        Some(PortService {
            service: Some(short),
            name: Some(long),
            ..
        }) => format!("{short} ({long})"),
        Some(s) => opt(s.service.as_ref().or(s.name.as_ref())),
        None => opt(None::<&str>),
    }
}

impl Tabular for InfoconStatus {
    fn tables(&self) -> Vec<Table> {
        vec![Table::fields(vec![("infocon", self.status.to_string())])]
    }
}

impl Tabular for HandlerOfTheDay {
    fn tables(&self) -> Vec<Table> {
        vec![Table::fields(vec![("handler", opt(self.name.as_ref()))])]
    }
}

impl Tabular for IpReport {
    fn tables(&self) -> Vec<Table> {
        let report = Table::fields(vec![
            ("address", self.number.to_string()),
            ("reports", opt(self.count)),
            ("targets", opt(self.attacks)),
            ("first seen", opt(self.mindate)),
            ("last seen", opt(self.maxdate)),
            ("updated", stamp(self.updated)),
            ("risk", opt(self.maxrisk)),
            ("comment", opt(self.comment.as_ref())),
            ("AS", opt(self.asn)),
            ("AS name", opt(self.asname.as_ref())),
            ("AS country", opt(self.ascountry.as_ref())),
            ("AS size", opt(self.assize)),
            ("AS abuse", opt(self.asabusecontact.as_ref())),
            ("network", opt(self.network.as_ref())),
        ]);
        if self.threatfeeds.is_empty() {
            return vec![report];
        }
        let mut feeds = Table::new(vec![
            text("threat feed"),
            value("first seen"),
            value("last seen"),
        ])
        .titled("listed by threat feeds:");
        for sighting in &self.threatfeeds {
            feeds.push(vec![
                sighting.feed.clone(),
                opt(sighting.firstseen),
                opt(sighting.lastseen),
            ]);
        }
        vec![report, feeds]
    }
}

impl Tabular for PortReport {
    fn tables(&self) -> Vec<Table> {
        let data = self.data.as_ref();
        let services = self.services.as_ref();
        vec![Table::fields(vec![
            ("port", self.number.to_string()),
            ("date", opt(data.and_then(|d| d.date))),
            ("records", opt(data.and_then(|d| d.records))),
            ("targets", opt(data.and_then(|d| d.targets))),
            ("sources", opt(data.and_then(|d| d.sources))),
            ("tcp", opt(data.and_then(|d| d.tcp))),
            ("udp", opt(data.and_then(|d| d.udp))),
            (
                "tcp service",
                service(services.and_then(|s| s.tcp.as_ref())),
            ),
            (
                "udp service",
                service(services.and_then(|s| s.udp.as_ref())),
            ),
        ])]
    }
}

/// "top ports on 2026-10-05 (limit 25)", with whatever the service echoed.
fn top_title(what: &str, date: Option<jiff::civil::Date>, limit: Option<u32>) -> String {
    let mut title = what.to_owned();
    if let Some(date) = date {
        title.push_str(&format!(" on {date}"));
    }
    if let Some(limit) = limit {
        title.push_str(&format!(" (limit {limit})"));
    }
    title
}

impl Tabular for TopPortsReport {
    fn tables(&self) -> Vec<Table> {
        let mut table = Table::new(vec![
            number("rank"),
            number("port"),
            number("records"),
            number("targets"),
            number("sources"),
        ])
        .titled(top_title("top ports", self.date, self.limit));
        for port in &self.ports {
            table.push(vec![
                opt(port.rank),
                port.targetport.to_string(),
                opt(port.records),
                opt(port.targets),
                opt(port.sources),
            ]);
        }
        vec![table]
    }
}

impl Tabular for TopIpsReport {
    fn tables(&self) -> Vec<Table> {
        let mut table = Table::new(vec![
            number("rank"),
            value("source"),
            number("reports"),
            number("targets"),
        ])
        .titled(top_title("top sources", self.date, self.limit));
        for ip in &self.ips {
            table.push(vec![
                opt(ip.rank),
                ip.source.to_string(),
                opt(ip.reports),
                opt(ip.targets),
            ]);
        }
        vec![table]
    }
}

impl Tabular for PortHistoryReport {
    fn tables(&self) -> Vec<Table> {
        let mut title = match self.port {
            Some(port) => format!("port {port}"),
            None => "port".to_owned(),
        };
        if self.start.is_some() || self.end.is_some() {
            title.push_str(&format!(", {} to {}", opt(self.start), opt(self.end)));
        }
        vec![rows_table(&self.days).titled(title)]
    }
}

impl Rows for dshield::endpoints::PortDay {
    fn columns() -> Vec<Column> {
        vec![
            value("date"),
            number("records"),
            number("targets"),
            number("sources"),
            number("tcp"),
            number("udp"),
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.date.to_string(),
            opt(self.records),
            opt(self.targets),
            opt(self.sources),
            opt(self.tcp),
            opt(self.udp),
        ]
    }
}

impl Rows for BackscatterRow {
    fn columns() -> Vec<Column> {
        vec![
            number("source port"),
            number("packets"),
            number("sources"),
            number("targets"),
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.sourceport.to_string(),
            opt(self.count),
            opt(self.sources),
            opt(self.targets),
        ]
    }
}

impl Rows for Source {
    fn columns() -> Vec<Column> {
        vec![
            value("address"),
            number("targets"),
            number("reports"),
            value("first seen"),
            value("last seen"),
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.ip.to_string(),
            opt(self.attacks),
            opt(self.count),
            opt(self.firstseen),
            opt(self.lastseen),
        ]
    }
}

impl Rows for AsnAddress {
    // The AS number is the same on every row: it goes in the title.
    fn columns() -> Vec<Column> {
        vec![
            value("address"),
            number("reports"),
            number("targets"),
            value("first seen"),
            value("last seen"),
            value("updated"),
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.ip.to_string(),
            opt(self.reports),
            opt(self.targets),
            opt(self.firstseen),
            opt(self.lastseen),
            stamp(self.updated),
        ]
    }

    fn title(rows: &[Self]) -> Option<String> {
        let asn = rows.iter().find_map(|row| row.number)?;
        Some(format!("addresses of AS {asn}"))
    }
}

impl Rows for DailySummaryDay {
    fn columns() -> Vec<Column> {
        vec![
            value("date"),
            number("reports"),
            number("sources"),
            number("targets"),
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.date.to_string(),
            opt(self.reports),
            opt(self.sources),
            opt(self.targets),
        ]
    }
}

impl Rows for Daily404Day {
    fn columns() -> Vec<Column> {
        vec![value("date"), number("404 reports"), number("sensors")]
    }

    fn cells(&self) -> Vec<String> {
        vec![opt(self.date), opt(self.count), opt(self.sources)]
    }
}

impl Rows for Daily404Request {
    fn columns() -> Vec<Column> {
        vec![
            value("date"),
            value("address"),
            number("count"),
            text("url"),
            text("user agent"),
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            opt(self.date),
            opt(self.ip),
            opt(self.count),
            opt(self.url.as_ref()),
            opt(self.user_agent.as_ref()),
        ]
    }
}

impl Rows for GlossaryTerm {
    fn columns() -> Vec<Column> {
        vec![text("term"), text("definition")]
    }

    fn cells(&self) -> Vec<String> {
        vec![opt(self.term.as_ref()), opt(self.definition.as_ref())]
    }
}

impl Tabular for WebHoneypotDay {
    fn tables(&self) -> Vec<Table> {
        vec![Table::fields(vec![
            ("date", opt(self.date)),
            ("reports", opt(self.reports)),
            ("submitters", opt(self.submitters)),
            ("average", opt(self.average)),
        ])]
    }
}

impl Rows for AttackType {
    fn columns() -> Vec<Column> {
        vec![text("attack type"), number("reports")]
    }

    fn cells(&self) -> Vec<String> {
        vec![opt(self.kind.as_ref()), opt(self.count)]
    }
}
