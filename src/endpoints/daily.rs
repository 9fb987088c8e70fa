//! `dailysummary`, `daily404summary` and `daily404detail`.

use std::net::IpAddr;

use jiff::ToSpan;
use jiff::civil::{Date, date};
use serde::{Deserialize, Serialize};

use crate::decode::field;
use crate::endpoint::{self, IntoDate};
use crate::{Endpoint, Error, List, Row};

/// The first day DShield has daily totals for.
pub const DAILY_SUMMARY_FIRST_DAY: Date = date(2002, 1, 1);

/// The most days one `dailysummary` call may cover.
pub const DAILY_SUMMARY_MAX_DAYS: i32 = 30;

/// Daily totals of reports, sources and targets.
/// Path: `dailysummary/{start}[/{end}]`.
///
/// python-dshield: `dailysummary(start, end)`. As there, the start date is
/// always sent: today (local date) unless set.
///
/// The API serves at most 30 days a call, from 2002-01-01 on. A longer range
/// is refused here rather than silently cut by the service; use
/// [`DailySummary::windows`] to split it into calls of 30 days.
///
/// ```
/// use dshield::{Endpoint, endpoints::DailySummary};
///
/// let summary = DailySummary::between("2012-05-01", "2012-05-03")?;
/// assert_eq!(summary.path(), "dailysummary/2012-05-01/2012-05-03");
/// assert!(DailySummary::between("2012-05-01", "2012-07-01").is_err());
/// assert_eq!(DailySummary::windows("2012-05-01", "2012-07-01")?.len(), 3);
/// # Ok::<(), dshield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailySummary {
    start: Date,
    end: Option<Date>,
}

impl Default for DailySummary {
    fn default() -> Self {
        DailySummary {
            start: endpoint::today(),
            end: None,
        }
    }
}

impl DailySummary {
    /// Today's totals.
    pub fn today() -> Self {
        DailySummary::default()
    }

    /// Totals from `start` to today, as the service sees it.
    pub fn from(start: impl IntoDate) -> Result<Self, Error> {
        let start = endpoint::date("dailysummary", "start date", start)?;
        check_start(start)?;
        Ok(DailySummary { start, end: None })
    }

    /// Totals from `start` to `end`, both included: at most 30 days.
    pub fn between(start: impl IntoDate, end: impl IntoDate) -> Result<Self, Error> {
        let summary = DailySummary::from(start)?;
        let end = endpoint::date("dailysummary", "end date", end)?;
        endpoint::ordered("dailysummary", summary.start, end)?;
        let last = summary
            .start
            .saturating_add((DAILY_SUMMARY_MAX_DAYS - 1).days());
        if end > last {
            return Err(Error::invalid(
                "dailysummary",
                "end date",
                end,
                format!(
                    "the API serves at most {DAILY_SUMMARY_MAX_DAYS} days a call, up to {last} \
                     from this start; split the range with DailySummary::windows"
                ),
            ));
        }
        Ok(DailySummary {
            end: Some(end),
            ..summary
        })
    }

    /// The first day that will be requested.
    pub fn start_date(&self) -> Date {
        self.start
    }

    /// The last day that will be requested, when one is set.
    pub fn end_date(&self) -> Option<Date> {
        self.end
    }

    /// Splits `start..=end` into consecutive calls of at most 30 days.
    pub fn windows(start: impl IntoDate, end: impl IntoDate) -> Result<Vec<Self>, Error> {
        let first = DailySummary::from(start)?.start;
        let end = endpoint::date("dailysummary", "end date", end)?;
        endpoint::ordered("dailysummary", first, end)?;
        let mut windows = Vec::new();
        let mut start = first;
        loop {
            let last = start
                .saturating_add((DAILY_SUMMARY_MAX_DAYS - 1).days())
                .min(end);
            windows.push(DailySummary {
                start,
                end: Some(last),
            });
            if last >= end {
                return Ok(windows);
            }
            start = last.saturating_add(1.day());
        }
    }
}

fn check_start(start: Date) -> Result<(), Error> {
    if start < DAILY_SUMMARY_FIRST_DAY {
        return Err(Error::invalid(
            "dailysummary",
            "start date",
            start,
            format!("daily totals start on {DAILY_SUMMARY_FIRST_DAY}"),
        ));
    }
    Ok(())
}

impl Endpoint for DailySummary {
    type Response = List<DailySummaryDay>;

    fn name(&self) -> &'static str {
        "dailysummary"
    }

    fn segments(&self) -> Vec<String> {
        let mut segments = vec!["dailysummary".to_owned(), endpoint::ymd(self.start)];
        segments.extend(self.end.map(endpoint::ymd));
        segments
    }
}

/// One day of a [`DailySummary`] answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct DailySummaryDay {
    /// The day.
    #[serde(deserialize_with = "field::req")]
    pub date: Date,
    /// Distinct source addresses.
    #[serde(default, deserialize_with = "field::opt")]
    pub sources: Option<u64>,
    /// Distinct target addresses.
    #[serde(default, deserialize_with = "field::opt")]
    pub targets: Option<u64>,
    /// Records (packets) reported.
    #[serde(default, deserialize_with = "field::opt")]
    pub reports: Option<u64>,
}

impl Row for DailySummaryDay {
    const XML_NAMES: &'static [&'static str] = &["daily"];
}

/// Summary of the 404 pages web honeypots reported on a day.
/// Path: `daily404summary/{date}`.
///
/// python-dshield: `daily404summary(date)`.
///
/// ```
/// use dshield::{Endpoint, endpoints::Daily404Summary};
///
/// assert_eq!(Daily404Summary::new("2012-02-23")?.path(), "daily404summary/2012-02-23");
/// # Ok::<(), dshield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Daily404Summary {
    date: Date,
}

impl Daily404Summary {
    /// The day.
    pub fn new(date: impl IntoDate) -> Result<Self, Error> {
        Ok(Daily404Summary {
            date: endpoint::date("daily404summary", "date", date)?,
        })
    }
}

impl Endpoint for Daily404Summary {
    type Response = List<Daily404Day>;

    fn name(&self) -> &'static str {
        "daily404summary"
    }

    fn segments(&self) -> Vec<String> {
        vec!["daily404summary".to_owned(), endpoint::ymd(self.date)]
    }
}

/// One row of a [`Daily404Summary`] answer.
//
// TODO: no real answer of this endpoint has been seen; only the row element
// name (`Daily404Data`) is known. The fields are the counts the 404 project
// publishes; confirm their names with a live capture.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Daily404Day {
    /// The day.
    #[serde(default, deserialize_with = "field::opt")]
    pub date: Option<Date>,
    /// 404 reports received.
    #[serde(default, deserialize_with = "field::opt")]
    pub count: Option<u64>,
    /// Distinct reporting sensors.
    #[serde(default, deserialize_with = "field::opt")]
    pub sources: Option<u64>,
}

impl Row for Daily404Day {
    const XML_NAMES: &'static [&'static str] = &["Daily404Data"];
}

/// The 404 requests web honeypots reported on a day.
/// Path: `daily404detail/{date}[/{limit}]`.
///
/// python-dshield: `daily404detail(date, limit)`.
///
/// ```
/// use dshield::{Endpoint, endpoints::Daily404Detail};
///
/// let detail = Daily404Detail::new("2012-02-23")?.limit(10)?;
/// assert_eq!(detail.path(), "daily404detail/2012-02-23/10");
/// # Ok::<(), dshield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Daily404Detail {
    date: Date,
    limit: Option<u32>,
}

impl Daily404Detail {
    /// The day.
    pub fn new(date: impl IntoDate) -> Result<Self, Error> {
        Ok(Daily404Detail {
            date: endpoint::date("daily404detail", "date", date)?,
            limit: None,
        })
    }

    /// How many rows (at least 1).
    pub fn limit(mut self, limit: u32) -> Result<Self, Error> {
        self.limit = Some(endpoint::limit("daily404detail", "limit", limit, None)?);
        Ok(self)
    }
}

impl Endpoint for Daily404Detail {
    type Response = List<Daily404Request>;

    fn name(&self) -> &'static str {
        "daily404detail"
    }

    fn segments(&self) -> Vec<String> {
        let mut segments = vec!["daily404detail".to_owned(), endpoint::ymd(self.date)];
        segments.extend(self.limit.map(|l| l.to_string()));
        segments
    }
}

/// One request of a [`Daily404Detail`] answer.
//
// TODO: no real answer of this endpoint has been seen; only the row element
// name (`data`) is known. Confirm the field names with a live capture.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Daily404Request {
    /// The day.
    #[serde(default, deserialize_with = "field::opt")]
    pub date: Option<Date>,
    /// The requested URL.
    #[serde(default, deserialize_with = "field::opt")]
    pub url: Option<String>,
    /// The requesting address.
    #[serde(default, deserialize_with = "field::opt")]
    pub ip: Option<IpAddr>,
    /// The requester's User-Agent.
    #[serde(default, deserialize_with = "field::opt")]
    pub user_agent: Option<String>,
    /// How often the request was seen.
    #[serde(default, deserialize_with = "field::opt")]
    pub count: Option<u64>,
}

impl Row for Daily404Request {
    const XML_NAMES: &'static [&'static str] = &["data"];
}
