//! `sources`: the most active source addresses of the last 30 days.

use std::net::IpAddr;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::decode::field;
use crate::endpoint::{self, IntoDate, sort_key};
use crate::{Endpoint, Error, List, Row};

sort_key! {
    /// How [`Sources`] ranks addresses.
    SourcesSort for "sources", default Attacks {
        /// By address.
        Ip => "ip",
        /// By records (packets) reported.
        Count => "count",
        /// By distinct targets attacked.
        Attacks => "attacks",
        /// By first report.
        FirstSeen => "firstseen",
        /// By last report.
        LastSeen => "lastseen",
    }
}

/// The API refuses more rows than this.
pub const SOURCES_MAX_LIMIT: u32 = 10_000;

/// Source addresses of the last 30 days. Path: `sources/{sort}/{limit}[/{date}]`.
///
/// python-dshield: `sources(sort_by, limit, date)`. The sort key and limit
/// are always sent: `attacks` and 10 unless set. The limit is at most
/// 10 000.
///
/// ```
/// use dshield::{Endpoint, endpoints::{Sources, SourcesSort}};
///
/// assert_eq!(Sources::default().path(), "sources/attacks/10");
/// let sources = Sources::default().sort_by(SourcesSort::Ip).on("2012-03-08")?;
/// assert_eq!(sources.path(), "sources/ip/10/2012-03-08");
/// assert!(Sources::default().limit(10_001).is_err());
/// # Ok::<(), dshield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sources {
    sort: SourcesSort,
    limit: u32,
    date: Option<Date>,
}

impl Default for Sources {
    fn default() -> Self {
        Sources {
            sort: SourcesSort::Attacks,
            limit: 10,
            date: None,
        }
    }
}

impl Sources {
    /// A sort key and a number of rows (1 to 10 000).
    pub fn new(sort: SourcesSort, limit: u32) -> Result<Self, Error> {
        Sources::default().sort_by(sort).limit(limit)
    }

    /// The sort key.
    pub fn sort_by(mut self, sort: SourcesSort) -> Self {
        self.sort = sort;
        self
    }

    /// How many rows (1 to 10 000).
    pub fn limit(mut self, limit: u32) -> Result<Self, Error> {
        self.limit = endpoint::limit("sources", "limit", limit, Some(SOURCES_MAX_LIMIT))?;
        Ok(self)
    }

    /// The day.
    pub fn on(mut self, date: impl IntoDate) -> Result<Self, Error> {
        self.date = Some(endpoint::date("sources", "date", date)?);
        Ok(self)
    }
}

impl Endpoint for Sources {
    type Response = List<Source>;

    fn name(&self) -> &'static str {
        "sources"
    }

    fn segments(&self) -> Vec<String> {
        let mut segments = vec![
            "sources".to_owned(),
            self.sort.as_str().to_owned(),
            self.limit.to_string(),
        ];
        segments.extend(self.date.map(endpoint::ymd));
        segments
    }
}

/// One address of a [`Sources`] answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Source {
    /// The source address.
    #[serde(deserialize_with = "field::req")]
    pub ip: IpAddr,
    /// Distinct targets attacked.
    #[serde(default, deserialize_with = "field::opt")]
    pub attacks: Option<u64>,
    /// Records (packets) reported.
    #[serde(default, deserialize_with = "field::opt")]
    pub count: Option<u64>,
    /// First day reported.
    #[serde(default, deserialize_with = "field::opt")]
    pub firstseen: Option<Date>,
    /// Last day reported.
    #[serde(default, deserialize_with = "field::opt")]
    pub lastseen: Option<Date>,
}

impl Row for Source {
    const XML_NAMES: &'static [&'static str] = &["data"];
}
