//! `port`, `portdate` and `porthistory`: activity on one port.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::de::{Deserializer, MapAccess};
use serde::{Deserialize, Serialize};

use crate::decode::field;
use crate::decode::list::{Metadata, visit_rows};
use crate::endpoint::{self, IntoDate, IntoPort};
use crate::{Decodable, Endpoint, Error, Row};

const PORT_REFUSALS: &[&str] = &["bad port number"];

/// The latest day's activity on a port, and its service names.
/// Path: `port/{port}`.
///
/// python-dshield: `port(number)`.
///
/// ```
/// use dshield::{Endpoint, endpoints::Port};
///
/// assert_eq!(Port::new(80)?.path(), "port/80");
/// assert_eq!(Port::new("80")?.path(), "port/80");
/// assert!(Port::new(70000).is_err());
/// # Ok::<(), dshield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Port {
    port: u16,
}

impl Port {
    /// A port from 0 to 65535, as a number or as text.
    pub fn new(port: impl IntoPort) -> Result<Self, Error> {
        Ok(Port {
            port: endpoint::port("port", port)?,
        })
    }
}

impl Endpoint for Port {
    type Response = PortReport;

    fn name(&self) -> &'static str {
        "port"
    }

    fn segments(&self) -> Vec<String> {
        vec!["port".to_owned(), self.port.to_string()]
    }

    fn refusals(&self) -> &'static [&'static str] {
        PORT_REFUSALS
    }
}

/// Activity on a port on a given day. Path: `portdate/{port}[/{date}]`.
///
/// python-dshield: `portdate(number, date)`. Without a date the service
/// answers for today.
///
/// ```
/// use dshield::{Endpoint, endpoints::PortDate};
///
/// assert_eq!(PortDate::new(80)?.path(), "portdate/80");
/// assert_eq!(PortDate::new(80)?.on("2011-07-03")?.path(), "portdate/80/2011-07-03");
/// # Ok::<(), dshield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortDate {
    port: u16,
    date: Option<Date>,
}

impl PortDate {
    /// A port, for the service's current day.
    pub fn new(port: impl IntoPort) -> Result<Self, Error> {
        Ok(PortDate {
            port: endpoint::port("portdate", port)?,
            date: None,
        })
    }

    /// The day to report on.
    pub fn on(mut self, date: impl IntoDate) -> Result<Self, Error> {
        self.date = Some(endpoint::date("portdate", "date", date)?);
        Ok(self)
    }
}

impl Endpoint for PortDate {
    type Response = PortReport;

    fn name(&self) -> &'static str {
        "portdate"
    }

    fn segments(&self) -> Vec<String> {
        let mut segments = vec!["portdate".to_owned(), self.port.to_string()];
        segments.extend(self.date.map(endpoint::ymd));
        segments
    }

    fn refusals(&self) -> &'static [&'static str] {
        PORT_REFUSALS
    }
}

/// Answer of [`Port`] and [`PortDate`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PortReport {
    /// The port.
    #[serde(deserialize_with = "field::req")]
    pub number: u16,
    /// The day's activity, absent when nothing was reported.
    #[serde(default)]
    pub data: Option<PortActivity>,
    /// Names of the services usually found on the port.
    #[serde(default)]
    pub services: Option<PortServices>,
}

impl Decodable for PortReport {
    const JSON_ENVELOPE: &'static [&'static str] = &["port", "portdate"];
}

/// One day of activity on a port, in a [`PortReport`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PortActivity {
    /// The day.
    #[serde(default, deserialize_with = "field::opt")]
    pub date: Option<Date>,
    /// Records (packets) reported.
    #[serde(default, deserialize_with = "field::opt")]
    pub records: Option<u64>,
    /// Distinct target addresses.
    #[serde(default, deserialize_with = "field::opt")]
    pub targets: Option<u64>,
    /// Distinct source addresses.
    #[serde(default, deserialize_with = "field::opt")]
    pub sources: Option<u64>,
    /// TCP share of the records.
    #[serde(default, deserialize_with = "field::opt")]
    pub tcp: Option<u64>,
    /// UDP share of the records.
    #[serde(default, deserialize_with = "field::opt")]
    pub udp: Option<u64>,
    /// The day the request asked for, echoed.
    #[serde(default, deserialize_with = "field::opt")]
    pub datein: Option<Date>,
    /// The port the request asked for, echoed.
    #[serde(default, deserialize_with = "field::opt")]
    pub portin: Option<u16>,
}

/// Service names of a port, per protocol.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PortServices {
    /// The UDP service.
    #[serde(default)]
    pub udp: Option<PortService>,
    /// The TCP service.
    #[serde(default)]
    pub tcp: Option<PortService>,
}

/// A well-known service name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PortService {
    /// Short name, e.g. `www`.
    #[serde(default, deserialize_with = "field::opt")]
    pub service: Option<String>,
    /// Long name, e.g. `World Wide Web HTTP`.
    #[serde(default, deserialize_with = "field::opt")]
    pub name: Option<String>,
}

/// Daily activity on a port over a range of days.
/// Path: `porthistory/{port}/{start}[/{end}]`.
///
/// python-dshield: `porthistory(number, start, end)`. Like python-dshield,
/// the start date is always sent: 30 days before today (local date) unless
/// set. Without an end date the service answers up to today.
///
/// ```
/// use dshield::{Endpoint, endpoints::PortHistory};
///
/// let history = PortHistory::new(80)?.start("2011-07-20")?.end("2011-07-23")?;
/// assert_eq!(history.path(), "porthistory/80/2011-07-20/2011-07-23");
/// assert!(PortHistory::new(80)?.start("2011-07-20")?.end("2011-07-19").is_err());
/// # Ok::<(), dshield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortHistory {
    port: u16,
    start: Date,
    end: Option<Date>,
}

impl PortHistory {
    /// A port, from 30 days ago.
    pub fn new(port: impl IntoPort) -> Result<Self, Error> {
        let start = endpoint::today().saturating_sub(30.days());
        Ok(PortHistory {
            port: endpoint::port("porthistory", port)?,
            start,
            end: None,
        })
    }

    /// The first day.
    pub fn start(mut self, date: impl IntoDate) -> Result<Self, Error> {
        self.start = endpoint::date("porthistory", "start date", date)?;
        if let Some(end) = self.end {
            endpoint::ordered("porthistory", self.start, end)?;
        }
        Ok(self)
    }

    /// The last day; not before the start.
    pub fn end(mut self, date: impl IntoDate) -> Result<Self, Error> {
        let end = endpoint::date("porthistory", "end date", date)?;
        endpoint::ordered("porthistory", self.start, end)?;
        self.end = Some(end);
        Ok(self)
    }

    /// The first day that will be requested.
    pub fn start_date(&self) -> Date {
        self.start
    }
}

impl Endpoint for PortHistory {
    type Response = PortHistoryReport;

    fn name(&self) -> &'static str {
        "porthistory"
    }

    fn segments(&self) -> Vec<String> {
        let mut segments = vec![
            "porthistory".to_owned(),
            self.port.to_string(),
            endpoint::ymd(self.start),
        ];
        segments.extend(self.end.map(endpoint::ymd));
        segments
    }

    fn refusals(&self) -> &'static [&'static str] {
        PORT_REFUSALS
    }
}

/// Answer of [`PortHistory`]: one row per day, and the range it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[non_exhaustive]
pub struct PortHistoryReport {
    /// First day, as the service echoed it.
    pub start: Option<Date>,
    /// Last day, as the service echoed it.
    pub end: Option<Date>,
    /// The port, as the service echoed it.
    pub port: Option<u16>,
    /// One row per day.
    pub days: Vec<PortDay>,
}

impl Decodable for PortHistoryReport {}

/// One day of a [`PortHistoryReport`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PortDay {
    /// The day.
    #[serde(deserialize_with = "field::req")]
    pub date: Date,
    /// Records (packets) reported.
    #[serde(default, deserialize_with = "field::opt")]
    pub records: Option<u64>,
    /// Distinct target addresses.
    #[serde(default, deserialize_with = "field::opt")]
    pub targets: Option<u64>,
    /// Distinct source addresses.
    #[serde(default, deserialize_with = "field::opt")]
    pub sources: Option<u64>,
    /// TCP share of the records.
    #[serde(default, deserialize_with = "field::opt")]
    pub tcp: Option<u64>,
    /// UDP share of the records.
    #[serde(default, deserialize_with = "field::opt")]
    pub udp: Option<u64>,
}

impl Row for PortDay {
    const XML_NAMES: &'static [&'static str] = &["portinfo"];
}

struct HistoryMeta {
    start: Option<Date>,
    end: Option<Date>,
    port: Option<u16>,
}

impl<'de> Metadata<'de> for HistoryMeta {
    fn take<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        let slot = match key {
            "startdate" | "start" => &mut self.start,
            "enddate" | "end" => &mut self.end,
            "port" => {
                self.port = map.next_value::<field::Opt<u16>>()?.0;
                return Ok(true);
            }
            _ => return Ok(false),
        };
        *slot = map.next_value::<field::Opt<Date>>()?.0;
        Ok(true)
    }
}

impl<'de> Deserialize<'de> for PortHistoryReport {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut meta = HistoryMeta {
            start: None,
            end: None,
            port: None,
        };
        let days = visit_rows(d, &mut meta)?;
        Ok(PortHistoryReport {
            start: meta.start,
            end: meta.end,
            port: meta.port,
            days,
        })
    }
}
