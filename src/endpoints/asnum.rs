//! `asnum`: reported addresses of one autonomous system.

use std::net::IpAddr;

use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};

use crate::decode::field;
use crate::endpoint;
use crate::{Endpoint, Error, List, Row};

/// The API refuses more rows than this.
pub const ASNUM_MAX_LIMIT: u32 = 2000;

/// Reported addresses of an autonomous system.
/// Path: `asnum/{asn}` or `asnum/{count}/{asn}`.
///
/// The API takes the row count *first*: `asnum/10/4837` is ten addresses of
/// AS 4837. python-dshield's `asnum(number, limit)` builds
/// `asnum/{number}/{limit}`, so its names are the wrong way round: there
/// `asnum(10, 4837)` means 10 rows of AS 4837. Here the AS number is the
/// constructor argument and the count is [`AsNum::limit`], and the path
/// follows the API.
///
/// ```
/// use dshield::{Endpoint, endpoints::AsNum};
///
/// assert_eq!(AsNum::new(4837).path(), "asnum/4837");
/// assert_eq!(AsNum::new(4837).limit(10)?.path(), "asnum/10/4837");
/// assert!(AsNum::new(4837).limit(2001).is_err());
/// # Ok::<(), dshield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsNum {
    asn: u32,
    limit: Option<u32>,
}

impl AsNum {
    /// An autonomous system number, all rows the service sends by default.
    pub fn new(asn: u32) -> Self {
        AsNum { asn, limit: None }
    }

    /// How many addresses (1 to 2000).
    pub fn limit(mut self, limit: u32) -> Result<Self, Error> {
        self.limit = Some(endpoint::limit(
            "asnum",
            "limit",
            limit,
            Some(ASNUM_MAX_LIMIT),
        )?);
        Ok(self)
    }
}

impl Endpoint for AsNum {
    type Response = List<AsnAddress>;

    fn name(&self) -> &'static str {
        "asnum"
    }

    fn segments(&self) -> Vec<String> {
        let mut segments = vec!["asnum".to_owned()];
        segments.extend(self.limit.map(|l| l.to_string()));
        segments.push(self.asn.to_string());
        segments
    }
}

/// One address of an [`AsNum`] answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AsnAddress {
    /// The autonomous system number.
    #[serde(default, deserialize_with = "field::opt")]
    pub number: Option<u32>,
    /// The address.
    #[serde(deserialize_with = "field::req")]
    pub ip: IpAddr,
    /// Records (packets) reported.
    #[serde(default, deserialize_with = "field::opt")]
    pub reports: Option<u64>,
    /// Distinct targets.
    #[serde(default, deserialize_with = "field::opt")]
    pub targets: Option<u64>,
    /// First day reported.
    #[serde(default, deserialize_with = "field::opt")]
    pub firstseen: Option<Date>,
    /// Last day reported.
    #[serde(default, deserialize_with = "field::opt")]
    pub lastseen: Option<Date>,
    /// When the row was computed.
    #[serde(default, deserialize_with = "field::opt")]
    pub updated: Option<DateTime>,
}

impl Row for AsnAddress {
    const XML_NAMES: &'static [&'static str] = &["data"];
}
