//! `webhoneypotsummary` and `webhoneypotbytype`: the web honeypot project.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::decode::field;
use crate::endpoint::{self, IntoDate};
use crate::{Decodable, Endpoint, Error, List, Row};

/// Report volume of the web honeypots on a day.
/// Path: `webhoneypotsummary/{date}`.
///
/// python-dshield: `webhoneypotsummary(date)`.
///
/// ```
/// use dshield::{Endpoint, endpoints::WebHoneypotSummary};
///
/// assert_eq!(WebHoneypotSummary::new("2012-12-10")?.path(), "webhoneypotsummary/2012-12-10");
/// # Ok::<(), dshield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebHoneypotSummary {
    date: Date,
}

impl WebHoneypotSummary {
    /// The day.
    pub fn new(date: impl IntoDate) -> Result<Self, Error> {
        Ok(WebHoneypotSummary {
            date: endpoint::date("webhoneypotsummary", "date", date)?,
        })
    }
}

impl Endpoint for WebHoneypotSummary {
    type Response = WebHoneypotDay;

    fn name(&self) -> &'static str {
        "webhoneypotsummary"
    }

    fn segments(&self) -> Vec<String> {
        vec!["webhoneypotsummary".to_owned(), endpoint::ymd(self.date)]
    }
}

/// Answer of [`WebHoneypotSummary`].
//
// TODO: no real answer of this endpoint has been seen. The fields follow the
// project's "report volume" page (reports, submitters, average per
// submitter); confirm their names with a live capture.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct WebHoneypotDay {
    /// The day.
    #[serde(default, deserialize_with = "field::opt")]
    pub date: Option<Date>,
    /// Reports received.
    #[serde(default, deserialize_with = "field::opt")]
    pub reports: Option<u64>,
    /// Honeypots that submitted reports.
    #[serde(default, deserialize_with = "field::opt")]
    pub submitters: Option<u64>,
    /// Reports per submitter.
    #[serde(default, deserialize_with = "field::opt")]
    pub average: Option<f64>,
}

impl Decodable for WebHoneypotDay {
    const JSON_ENVELOPE: &'static [&'static str] = &["webhoneypotsummary"];
}

/// The top 30 attack types the web honeypots saw in the month before a day.
/// Path: `webhoneypotbytype/{date}`.
///
/// python-dshield: `webhoneypotbytype(date)`.
///
/// ```
/// use dshield::{Endpoint, endpoints::WebHoneypotByType};
///
/// assert_eq!(WebHoneypotByType::new("2012-12-10")?.path(), "webhoneypotbytype/2012-12-10");
/// # Ok::<(), dshield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebHoneypotByType {
    date: Date,
}

impl WebHoneypotByType {
    /// The day.
    pub fn new(date: impl IntoDate) -> Result<Self, Error> {
        Ok(WebHoneypotByType {
            date: endpoint::date("webhoneypotbytype", "date", date)?,
        })
    }
}

impl Endpoint for WebHoneypotByType {
    type Response = List<AttackType>;

    fn name(&self) -> &'static str {
        "webhoneypotbytype"
    }

    fn segments(&self) -> Vec<String> {
        vec!["webhoneypotbytype".to_owned(), endpoint::ymd(self.date)]
    }
}

/// One attack type of a [`WebHoneypotByType`] answer.
//
// TODO: no real answer of this endpoint has been seen; only the row element
// name (`item`) is known. Confirm the field names with a live capture.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AttackType {
    /// The attack type, e.g. `sql injection`.
    #[serde(rename = "type", default, deserialize_with = "field::opt")]
    pub kind: Option<String>,
    /// Reports of this type.
    #[serde(default, deserialize_with = "field::opt")]
    pub count: Option<u64>,
}

impl Row for AttackType {
    const XML_NAMES: &'static [&'static str] = &["item"];
}
