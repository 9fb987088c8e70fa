//! The formats the API answers in.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// A format the service can answer in, chosen by the `?xml`, `?json`,
/// `?text` or `?php` suffix of the request.
///
/// Only [`Format::Json`] and [`Format::Xml`] decode into typed responses (see
/// [`Wire`]); all four are available as raw text through
/// [`Client::raw`](crate::Client::raw), the equivalent of python-dshield's
/// `return_format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `?xml`, the service's default.
    Xml,
    /// `?json`, sent with `Content-Type: text/json`.
    Json,
    /// `?text`, a plain-text rendering.
    Text,
    /// `?php`, PHP's `serialize()` format.
    Php,
}

impl Format {
    /// The query suffix without the `?`: `"xml"`, `"json"`, `"text"` or `"php"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xml => "xml",
            Format::Json => "json",
            Format::Text => "text",
            Format::Php => "php",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s.to_ascii_lowercase().as_str() {
            "xml" => Ok(Format::Xml),
            "json" => Ok(Format::Json),
            "text" => Ok(Format::Text),
            "php" => Ok(Format::Php),
            _ => Err(Error::invalid(
                "client",
                "format",
                s,
                "expected xml, json, text or php",
            )),
        }
    }
}

/// The wire format used for typed responses. Both decode into the same
/// values; JSON is the default because it is smaller and faster to decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Wire {
    /// Ask for `?json`.
    #[default]
    Json,
    /// Ask for `?xml`.
    Xml,
}

impl From<Wire> for Format {
    fn from(wire: Wire) -> Format {
        match wire {
            Wire::Json => Format::Json,
            Wire::Xml => Format::Xml,
        }
    }
}

impl fmt::Display for Wire {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Format::from(*self).fmt(f)
    }
}

impl FromStr for Wire {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s.to_ascii_lowercase().as_str() {
            "json" => Ok(Wire::Json),
            "xml" => Ok(Wire::Xml),
            _ => Err(Error::invalid(
                "client",
                "wire format",
                s,
                "expected json or xml",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_case_insensitively_and_refuse_others() {
        assert_eq!("JSON".parse::<Format>().ok(), Some(Format::Json));
        assert_eq!("php".parse::<Format>().ok(), Some(Format::Php));
        assert!("yaml".parse::<Format>().is_err());
        assert_eq!("xml".parse::<Wire>().ok(), Some(Wire::Xml));
        assert!("text".parse::<Wire>().is_err());
    }
}
