//! `handler` and `infocon`: the state of the Internet Storm Center.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::decode::field::{self, FromText};
use crate::{Decodable, Endpoint};

/// The handler on duty today. Path: `handler`.
///
/// python-dshield: `handler()`.
///
/// ```
/// use dshield::{Endpoint, endpoints::Handler};
/// assert_eq!(Handler.path(), "handler");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Handler;

/// Answer of [`Handler`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct HandlerOfTheDay {
    /// The handler's name.
    #[serde(default, deserialize_with = "field::opt")]
    pub name: Option<String>,
}

impl Decodable for HandlerOfTheDay {
    const JSON_ENVELOPE: &'static [&'static str] = &["handler"];
}

impl Endpoint for Handler {
    type Response = HandlerOfTheDay;

    fn name(&self) -> &'static str {
        "handler"
    }

    fn segments(&self) -> Vec<String> {
        vec!["handler".to_owned()]
    }
}

/// The current INFOCON level. Path: `infocon`.
///
/// python-dshield: `infocon()`.
///
/// ```
/// use dshield::{Endpoint, endpoints::Infocon};
/// assert_eq!(Infocon.path(), "infocon");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Infocon;

/// Answer of [`Infocon`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct InfoconStatus {
    /// The level.
    #[serde(deserialize_with = "field::req")]
    pub status: InfoconLevel,
}

impl Decodable for InfoconStatus {
    const JSON_ENVELOPE: &'static [&'static str] = &["infocon"];
}

impl Endpoint for Infocon {
    type Response = InfoconStatus;

    fn name(&self) -> &'static str {
        "infocon"
    }

    fn segments(&self) -> Vec<String> {
        vec!["infocon".to_owned()]
    }
}

/// The INFOCON threat level, from green (normal) to red.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InfoconLevel {
    /// Everything normal.
    Green,
    /// A new threat is expected or in progress.
    Yellow,
    /// A major disruption of connectivity.
    Orange,
    /// Loss of connectivity across a large part of the Internet.
    Red,
    /// A level this crate does not know yet, as the service spelled it.
    Other(String),
}

impl InfoconLevel {
    /// The level in lower case, as the service writes it.
    pub fn as_str(&self) -> &str {
        match self {
            InfoconLevel::Green => "green",
            InfoconLevel::Yellow => "yellow",
            InfoconLevel::Orange => "orange",
            InfoconLevel::Red => "red",
            InfoconLevel::Other(other) => other,
        }
    }
}

impl fmt::Display for InfoconLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromText for InfoconLevel {
    const EXPECTING: &'static str = "an infocon level";

    fn from_text(text: &str) -> Result<Option<Self>, ()> {
        Ok(Some(match text.to_ascii_lowercase().as_str() {
            "green" => InfoconLevel::Green,
            "yellow" => InfoconLevel::Yellow,
            "orange" => InfoconLevel::Orange,
            "red" => InfoconLevel::Red,
            _ => InfoconLevel::Other(text.to_owned()),
        }))
    }
}

impl Serialize for InfoconLevel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
