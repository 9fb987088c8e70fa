//! `backscatter`: SYN-ACK packets summarised by source port.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::decode::field;
use crate::endpoint::{self, IntoDate};
use crate::{Endpoint, Error, List, Row};

/// Backscatter ("syn ack" packets, the replies to spoofed traffic)
/// summarised by source port. Path: `backscatter[/{date}[/{rows}]]`.
///
/// python-dshield: `backscatter(date, rows)`. Without a date the service
/// answers for its latest day; without a row count it sends 1000 rows.
///
/// ```
/// use dshield::{Endpoint, endpoints::Backscatter};
///
/// assert_eq!(Backscatter::latest().path(), "backscatter");
/// assert_eq!(Backscatter::on("2011-12-01")?.rows(10)?.path(), "backscatter/2011-12-01/10");
/// # Ok::<(), dshield::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Backscatter {
    date: Option<Date>,
    rows: Option<u32>,
}

impl Backscatter {
    /// The service's latest day, 1000 rows.
    pub fn latest() -> Self {
        Backscatter::default()
    }

    /// A given day.
    pub fn on(date: impl IntoDate) -> Result<Self, Error> {
        Ok(Backscatter {
            date: Some(endpoint::date("backscatter", "date", date)?),
            rows: None,
        })
    }

    /// How many rows to return (at least 1). The API takes a row count only
    /// after a date, so this needs [`Backscatter::on`] first.
    pub fn rows(mut self, rows: u32) -> Result<Self, Error> {
        if self.date.is_none() {
            return Err(Error::invalid(
                "backscatter",
                "rows",
                rows,
                "the API takes a row count only after a date: use Backscatter::on(date) first",
            ));
        }
        self.rows = Some(endpoint::limit("backscatter", "rows", rows, None)?);
        Ok(self)
    }
}

impl Endpoint for Backscatter {
    type Response = List<BackscatterRow>;

    fn name(&self) -> &'static str {
        "backscatter"
    }

    fn segments(&self) -> Vec<String> {
        let mut segments = vec!["backscatter".to_owned()];
        if let Some(date) = self.date {
            segments.push(endpoint::ymd(date));
            segments.extend(self.rows.map(|r| r.to_string()));
        }
        segments
    }
}

/// One source port of a [`Backscatter`] answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BackscatterRow {
    /// Source port of the SYN-ACK packets.
    #[serde(deserialize_with = "field::req")]
    pub sourceport: u16,
    /// Packets reported.
    #[serde(default, deserialize_with = "field::opt")]
    pub count: Option<u64>,
    /// Distinct sources.
    #[serde(default, deserialize_with = "field::opt")]
    pub sources: Option<u64>,
    /// Distinct targets.
    #[serde(default, deserialize_with = "field::opt")]
    pub targets: Option<u64>,
}

impl Row for BackscatterRow {
    // TODO: no XML answer of this endpoint has been seen; "port" and "data"
    // are the row names its sibling endpoints use. Confirm with a capture.
    const XML_NAMES: &'static [&'static str] = &["port", "data", "backscatter"];
}
