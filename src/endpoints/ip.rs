//! `ip`: what DShield knows about one address.

use std::fmt;
use std::net::IpAddr;

use jiff::civil::{Date, DateTime};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::decode::field;
use crate::decode::list::Key;
use crate::endpoint::{self, IntoIp};
use crate::{Decodable, Endpoint, Error};

/// Summary of the reports about one IP address. Path: `ip/{ip}`.
///
/// python-dshield: `ip(address)`. An address nobody reported answers with
/// empty activity fields (`count`, `attacks`, dates are `None`), not with an
/// error. Only IPv4 and IPv6 addresses are accepted, so nothing else can
/// reach the URL.
///
/// ```
/// use dshield::{Endpoint, endpoints::Ip};
///
/// assert_eq!(Ip::new("4.4.4.4")?.path(), "ip/4.4.4.4");
/// assert!(Ip::new("4.4.4.4/../../admin").is_err());
/// # Ok::<(), dshield::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ip {
    address: IpAddr,
}

impl Ip {
    /// An address as text or as a `std::net` address.
    pub fn new(address: impl IntoIp) -> Result<Self, Error> {
        Ok(Ip {
            address: endpoint::ip("ip", address)?,
        })
    }

    /// The address asked about.
    pub fn address(&self) -> IpAddr {
        self.address
    }
}

impl Endpoint for Ip {
    type Response = IpReport;

    fn name(&self) -> &'static str {
        "ip"
    }

    fn segments(&self) -> Vec<String> {
        vec!["ip".to_owned(), self.address.to_string()]
    }

    fn refusals(&self) -> &'static [&'static str] {
        &["bad IP address"]
    }
}

/// Answer of [`Ip`].
///
/// The service's own field names are kept; `count` is also called reports
/// or records, `attacks` is also called targets.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct IpReport {
    /// The address.
    #[serde(deserialize_with = "field::req")]
    pub number: IpAddr,
    /// Packets reported from this address.
    #[serde(default, deserialize_with = "field::opt")]
    pub count: Option<u64>,
    /// Distinct targets of those packets.
    #[serde(default, deserialize_with = "field::opt")]
    pub attacks: Option<u64>,
    /// Last day the address was reported.
    #[serde(default, deserialize_with = "field::opt")]
    pub maxdate: Option<Date>,
    /// First day the address was reported.
    #[serde(default, deserialize_with = "field::opt")]
    pub mindate: Option<Date>,
    /// When this summary was computed.
    #[serde(default, deserialize_with = "field::opt")]
    pub updated: Option<DateTime>,
    /// A handler's comment.
    #[serde(default, deserialize_with = "field::opt")]
    pub comment: Option<String>,
    /// Risk score, when the service has one.
    #[serde(default, deserialize_with = "field::opt")]
    pub maxrisk: Option<f64>,
    /// Abuse contact of the network.
    #[serde(default, deserialize_with = "field::opt")]
    pub asabusecontact: Option<String>,
    /// Autonomous system number (`as` in the answer).
    #[serde(rename = "as", default, deserialize_with = "field::opt")]
    pub asn: Option<u32>,
    /// Name of the autonomous system.
    #[serde(default, deserialize_with = "field::opt")]
    pub asname: Option<String>,
    /// Country of the autonomous system.
    #[serde(default, deserialize_with = "field::opt")]
    pub ascountry: Option<String>,
    /// Addresses announced by the autonomous system.
    #[serde(default, deserialize_with = "field::opt")]
    pub assize: Option<u64>,
    /// The announced network, in CIDR notation.
    #[serde(default, deserialize_with = "field::opt")]
    pub network: Option<String>,
    /// Threat feeds listing the address, in the order the service sent them.
    #[serde(default, deserialize_with = "threat_feeds")]
    pub threatfeeds: Vec<ThreatFeedSighting>,
}

impl Decodable for IpReport {
    const JSON_ENVELOPE: &'static [&'static str] = &["ip"];
}

/// One threat feed that lists an address, from [`IpReport::threatfeeds`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ThreatFeedSighting {
    /// The feed's name, e.g. `blocklistde22` or `openbl_smtp`.
    pub feed: String,
    /// First day the feed listed the address.
    pub firstseen: Option<Date>,
    /// Last day the feed listed the address.
    pub lastseen: Option<Date>,
}

#[derive(Deserialize)]
struct SeenDates {
    #[serde(default, deserialize_with = "field::opt")]
    firstseen: Option<Date>,
    #[serde(default, deserialize_with = "field::opt")]
    lastseen: Option<Date>,
}

/// The `threatfeeds` block is keyed by feed name, in XML (`<forumspam>`)
/// and JSON alike; it becomes a list that keeps the name.
fn threat_feeds<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ThreatFeedSighting>, D::Error> {
    struct Feeds;

    impl<'de> Visitor<'de> for Feeds {
        type Value = Vec<ThreatFeedSighting>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("threat feeds keyed by name")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut feeds = Vec::new();
            while let Some(Key(feed)) = map.next_key()? {
                let seen: SeenDates = map.next_value()?;
                feeds.push(ThreatFeedSighting {
                    feed: feed.into_owned(),
                    firstseen: seen.firstseen,
                    lastseen: seen.lastseen,
                });
            }
            Ok(feeds)
        }

        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            // An empty JSON array is PHP's way of writing an empty map.
            match seq.next_element::<de::IgnoredAny>()? {
                None => Ok(Vec::new()),
                Some(_) => Err(de::Error::custom(
                    "expected threat feeds keyed by name, found a list",
                )),
            }
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            if v.trim().is_empty() {
                Ok(Vec::new())
            } else {
                Err(E::invalid_type(de::Unexpected::Str(v), &self))
            }
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }

    d.deserialize_any(Feeds)
}
