//! `topports` and `topips`: the busiest ports and sources of a day.

use std::net::IpAddr;

use jiff::civil::Date;
use serde::de::{Deserializer, MapAccess};
use serde::{Deserialize, Serialize};

use crate::decode::field;
use crate::decode::list::{Metadata, visit_rows};
use crate::endpoint::{self, IntoDate, sort_key};
use crate::{Decodable, Endpoint, Error, Row};

sort_key! {
    /// How [`TopPorts`] ranks ports.
    TopPortsSort for "topports", default Records {
        /// By records (packets) reported.
        Records => "records",
        /// By distinct targets.
        Targets => "targets",
        /// By distinct sources.
        Sources => "sources",
    }
}

sort_key! {
    /// How [`TopIps`] ranks source addresses.
    TopIpsSort for "topips", default Records {
        /// By records (packets) reported.
        Records => "records",
        /// By distinct targets attacked.
        Attacks => "attacks",
    }
}

/// The top ports of a day. Path: `topports/{sort}/{limit}[/{date}]`.
///
/// python-dshield: `topports(sort_by, limit, date)`. As there, the sort key
/// and limit are always sent: `records` and 10 unless set. Without a date
/// the service answers for its latest day.
///
/// ```
/// use dshield::{Endpoint, endpoints::{TopPorts, TopPortsSort}};
///
/// assert_eq!(TopPorts::default().path(), "topports/records/10");
/// let top = TopPorts::new(TopPortsSort::Targets, 25)?.on("2011-07-23")?;
/// assert_eq!(top.path(), "topports/targets/25/2011-07-23");
/// # Ok::<(), dshield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopPorts {
    sort: TopPortsSort,
    limit: u32,
    date: Option<Date>,
}

impl Default for TopPorts {
    fn default() -> Self {
        TopPorts {
            sort: TopPortsSort::Records,
            limit: 10,
            date: None,
        }
    }
}

impl TopPorts {
    /// A sort key and a number of ports (at least 1).
    pub fn new(sort: TopPortsSort, limit: u32) -> Result<Self, Error> {
        TopPorts::default().sort_by(sort).limit(limit)
    }

    /// The sort key.
    pub fn sort_by(mut self, sort: TopPortsSort) -> Self {
        self.sort = sort;
        self
    }

    /// How many ports (at least 1).
    pub fn limit(mut self, limit: u32) -> Result<Self, Error> {
        self.limit = endpoint::limit("topports", "limit", limit, None)?;
        Ok(self)
    }

    /// The day.
    pub fn on(mut self, date: impl IntoDate) -> Result<Self, Error> {
        self.date = Some(endpoint::date("topports", "date", date)?);
        Ok(self)
    }
}

impl Endpoint for TopPorts {
    type Response = TopPortsReport;

    fn name(&self) -> &'static str {
        "topports"
    }

    fn segments(&self) -> Vec<String> {
        let mut segments = vec![
            "topports".to_owned(),
            self.sort.as_str().to_owned(),
            self.limit.to_string(),
        ];
        segments.extend(self.date.map(endpoint::ymd));
        segments
    }
}

/// Answer of [`TopPorts`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[non_exhaustive]
pub struct TopPortsReport {
    /// The day, as the service echoed it.
    pub date: Option<Date>,
    /// The limit, as the service echoed it.
    pub limit: Option<u32>,
    /// The ports, best first.
    pub ports: Vec<TopPort>,
}

impl Decodable for TopPortsReport {}

/// One port of a [`TopPortsReport`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct TopPort {
    /// Rank, from 1.
    #[serde(default, deserialize_with = "field::opt")]
    pub rank: Option<u32>,
    /// The port.
    #[serde(deserialize_with = "field::req")]
    pub targetport: u16,
    /// Records (packets) reported.
    #[serde(default, deserialize_with = "field::opt")]
    pub records: Option<u64>,
    /// Distinct target addresses.
    #[serde(default, deserialize_with = "field::opt")]
    pub targets: Option<u64>,
    /// Distinct source addresses.
    #[serde(default, deserialize_with = "field::opt")]
    pub sources: Option<u64>,
}

impl Row for TopPort {
    const XML_NAMES: &'static [&'static str] = &["port"];
}

/// Day and limit echoed beside the rows of a top list.
#[derive(Default)]
struct DayAndLimit {
    date: Option<Date>,
    limit: Option<u32>,
}

impl<'de> Metadata<'de> for DayAndLimit {
    fn take<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "date" => self.date = map.next_value::<field::Opt<Date>>()?.0,
            "limit" => self.limit = map.next_value::<field::Opt<u32>>()?.0,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

impl<'de> Deserialize<'de> for TopPortsReport {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut meta = DayAndLimit::default();
        let ports = visit_rows(d, &mut meta)?;
        Ok(TopPortsReport {
            date: meta.date,
            limit: meta.limit,
            ports,
        })
    }
}

/// The top source addresses of a day. Path: `topips/{sort}/{limit}[/{date}]`.
///
/// python-dshield: `topips(sort_by, limit, date)`. The sort key and limit are
/// always sent: `records` and 10 unless set.
///
/// ```
/// use dshield::{Endpoint, endpoints::{TopIps, TopIpsSort}};
///
/// assert_eq!(TopIps::default().path(), "topips/records/10");
/// assert_eq!(TopIps::new(TopIpsSort::Attacks, 40)?.path(), "topips/attacks/40");
/// # Ok::<(), dshield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopIps {
    sort: TopIpsSort,
    limit: u32,
    date: Option<Date>,
}

impl Default for TopIps {
    fn default() -> Self {
        TopIps {
            sort: TopIpsSort::Records,
            limit: 10,
            date: None,
        }
    }
}

impl TopIps {
    /// A sort key and a number of addresses (at least 1).
    pub fn new(sort: TopIpsSort, limit: u32) -> Result<Self, Error> {
        TopIps::default().sort_by(sort).limit(limit)
    }

    /// The sort key.
    pub fn sort_by(mut self, sort: TopIpsSort) -> Self {
        self.sort = sort;
        self
    }

    /// How many addresses (at least 1).
    pub fn limit(mut self, limit: u32) -> Result<Self, Error> {
        self.limit = endpoint::limit("topips", "limit", limit, None)?;
        Ok(self)
    }

    /// The day.
    pub fn on(mut self, date: impl IntoDate) -> Result<Self, Error> {
        self.date = Some(endpoint::date("topips", "date", date)?);
        Ok(self)
    }
}

impl Endpoint for TopIps {
    type Response = TopIpsReport;

    fn name(&self) -> &'static str {
        "topips"
    }

    fn segments(&self) -> Vec<String> {
        let mut segments = vec![
            "topips".to_owned(),
            self.sort.as_str().to_owned(),
            self.limit.to_string(),
        ];
        segments.extend(self.date.map(endpoint::ymd));
        segments
    }
}

/// Answer of [`TopIps`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[non_exhaustive]
pub struct TopIpsReport {
    /// The day, when the service echoes it.
    pub date: Option<Date>,
    /// The limit, when the service echoes it.
    pub limit: Option<u32>,
    /// The addresses, best first.
    pub ips: Vec<TopIp>,
}

impl Decodable for TopIpsReport {}

/// One address of a [`TopIpsReport`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct TopIp {
    /// Rank, from 1.
    #[serde(default, deserialize_with = "field::opt")]
    pub rank: Option<u32>,
    /// The source address.
    #[serde(deserialize_with = "field::req")]
    pub source: IpAddr,
    /// Records (packets) reported.
    #[serde(default, deserialize_with = "field::opt")]
    pub reports: Option<u64>,
    /// Distinct targets.
    #[serde(default, deserialize_with = "field::opt")]
    pub targets: Option<u64>,
}

impl Row for TopIp {
    const XML_NAMES: &'static [&'static str] = &["ipaddress"];
}

impl<'de> Deserialize<'de> for TopIpsReport {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut meta = DayAndLimit::default();
        let ips = visit_rows(d, &mut meta)?;
        Ok(TopIpsReport {
            date: meta.date,
            limit: meta.limit,
            ips,
        })
    }
}
