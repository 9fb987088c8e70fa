//! Field decoders shared by every response model.
//!
//! The service is loose about types: the same count arrives as `42`, as
//! `"42"` or as `<count>42</count>`; "no value" arrives as `null`, `""`,
//! `<comment/>` or a MySQL zero date; old XML zero-pads IPv4 octets. These
//! helpers accept all of those and turn them into one Rust value, so the
//! models stay plain `Option<u64>`, `IpAddr` and `jiff` types.
//!
//! Use them as `#[serde(default, deserialize_with = "field::opt")]` for
//! optional fields and `#[serde(deserialize_with = "field::req")]` for fields
//! an answer cannot do without.

use std::fmt;
use std::marker::PhantomData;
use std::net::{IpAddr, Ipv4Addr};

use jiff::civil::{Date, DateTime};
use serde::de::{self, Deserializer, Unexpected, Visitor};

/// A value that can be read from the service's text or numbers.
pub(crate) trait FromText: Sized {
    /// What a valid value looks like, for error messages.
    const EXPECTING: &'static str;

    /// Parses trimmed, non-empty text; `Ok(None)` means "no value"
    /// (a zero date, for example).
    fn from_text(text: &str) -> Result<Option<Self>, ()>;

    fn from_u64(_: u64) -> Option<Self> {
        None
    }

    fn from_i64(n: i64) -> Option<Self> {
        u64::try_from(n).ok().and_then(Self::from_u64)
    }

    fn from_f64(_: f64) -> Option<Self> {
        None
    }
}

macro_rules! unsigned_from_text {
    ($($t:ty => $what:literal),*) => {$(
        impl FromText for $t {
            const EXPECTING: &'static str = $what;

            fn from_text(text: &str) -> Result<Option<Self>, ()> {
                text.parse().map(Some).map_err(|_| ())
            }

            fn from_u64(n: u64) -> Option<Self> {
                <$t>::try_from(n).ok()
            }

            fn from_f64(n: f64) -> Option<Self> {
                // Integral floats only: 42.0 is 42, 42.5 is an error.
                (n.fract() == 0.0 && n >= 0.0 && n <= <$t>::MAX as f64).then(|| n as $t)
            }
        }
    )*};
}

unsigned_from_text!(
    u64 => "a non-negative whole number",
    u32 => "a non-negative whole number below 2^32",
    u16 => "a whole number from 0 to 65535"
);

impl FromText for f64 {
    const EXPECTING: &'static str = "a number";

    fn from_text(text: &str) -> Result<Option<Self>, ()> {
        text.parse().map(Some).map_err(|_| ())
    }

    fn from_u64(n: u64) -> Option<Self> {
        Some(n as f64)
    }

    fn from_i64(n: i64) -> Option<Self> {
        Some(n as f64)
    }

    fn from_f64(n: f64) -> Option<Self> {
        Some(n)
    }
}

impl FromText for String {
    const EXPECTING: &'static str = "text";

    fn from_text(text: &str) -> Result<Option<Self>, ()> {
        Ok(Some(text.to_owned()))
    }

    fn from_u64(n: u64) -> Option<Self> {
        Some(n.to_string())
    }

    fn from_i64(n: i64) -> Option<Self> {
        Some(n.to_string())
    }

    fn from_f64(n: f64) -> Option<Self> {
        Some(n.to_string())
    }
}

impl FromText for IpAddr {
    const EXPECTING: &'static str = "an IPv4 or IPv6 address";

    fn from_text(text: &str) -> Result<Option<Self>, ()> {
        parse_ip(text).map(Some).ok_or(())
    }
}

impl FromText for Date {
    const EXPECTING: &'static str = "a date as YYYY-MM-DD";

    fn from_text(text: &str) -> Result<Option<Self>, ()> {
        if is_zero_date(text) {
            return Ok(None);
        }
        parse_date(text).map(Some).ok_or(())
    }
}

impl FromText for DateTime {
    const EXPECTING: &'static str = "a date and time as YYYY-MM-DD HH:MM:SS";

    fn from_text(text: &str) -> Result<Option<Self>, ()> {
        if is_zero_date(text) {
            return Ok(None);
        }
        parse_datetime(text).map(Some).ok_or(())
    }
}

/// MySQL's "no date": `0000-00-00`, with or without a zero time.
fn is_zero_date(text: &str) -> bool {
    text.starts_with("0000-00-00")
        && text
            .bytes()
            .all(|b| matches!(b, b'0' | b'-' | b':' | b' ' | b'T'))
}

/// Parses an IPv4 or IPv6 address, accepting zero-padded IPv4 octets
/// (`046.101.124.074`) as the decimal numbers the service means by them.
pub(crate) fn parse_ip(text: &str) -> Option<IpAddr> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(ip);
    }
    let mut octets = [0u8; 4];
    let mut parts = text.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *octet = part.parse().ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(IpAddr::V4(Ipv4Addr::from(octets)))
}

fn digits(bytes: &[u8]) -> Option<i32> {
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    bytes.iter().try_fold(0i32, |n, &b| {
        n.checked_mul(10)?.checked_add(i32::from(b - b'0'))
    })
}

/// Parses exactly `YYYY-MM-DD` into a real calendar date.
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let year = i16::try_from(digits(b.get(0..4)?)?).ok()?;
    let month = i8::try_from(digits(b.get(5..7)?)?).ok()?;
    let day = i8::try_from(digits(b.get(8..10)?)?).ok()?;
    Date::new(year, month, day).ok()
}

/// Parses `YYYY-MM-DD HH:MM:SS` (or with `T`); other ISO 8601 forms fall
/// back to jiff's parser.
fn parse_datetime(text: &str) -> Option<DateTime> {
    let b = text.as_bytes();
    if b.len() == 19
        && matches!(b.get(10), Some(b' ' | b'T'))
        && b.get(13) == Some(&b':')
        && b.get(16) == Some(&b':')
    {
        let date = parse_date(text.get(..10)?)?;
        let hour = i8::try_from(digits(b.get(11..13)?)?).ok()?;
        let minute = i8::try_from(digits(b.get(14..16)?)?).ok()?;
        let second = i8::try_from(digits(b.get(17..19)?)?).ok()?;
        return date
            .to_datetime(jiff::civil::Time::new(hour, minute, second, 0).ok()?)
            .into();
    }
    text.parse().ok()
}

struct OptVisitor<T>(PhantomData<T>);

impl<'de, T: FromText> Visitor<'de> for OptVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let text = v.trim();
        if text.is_empty() {
            return Ok(None);
        }
        T::from_text(text).map_err(|()| E::invalid_value(Unexpected::Str(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::from_u64(v)
            .map(Some)
            .ok_or_else(|| E::invalid_value(Unexpected::Unsigned(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::from_i64(v)
            .map(Some)
            .ok_or_else(|| E::invalid_value(Unexpected::Signed(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::from_f64(v)
            .map(Some)
            .ok_or_else(|| E::invalid_value(Unexpected::Float(v), &self))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// An optional field: missing, `null`, empty text and zero dates are `None`.
pub(crate) fn opt<'de, D: Deserializer<'de>, T: FromText>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_any(OptVisitor(PhantomData))
}

/// A required field: like [`opt`], but "no value" is an error.
pub(crate) fn req<'de, D: Deserializer<'de>, T: FromText>(d: D) -> Result<T, D::Error> {
    opt(d)?
        .ok_or_else(|| de::Error::custom(format_args!("expected {}, found no value", T::EXPECTING)))
}

/// An optional value read with the lenient rules of [`opt`], for places
/// where a `deserialize_with` attribute cannot go (list metadata).
pub(crate) struct Opt<T>(pub(crate) Option<T>);

impl<'de, T: FromText> serde::Deserialize<'de> for Opt<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        opt(d).map(Opt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct Row {
        #[serde(default, deserialize_with = "opt")]
        n: Option<u64>,
        #[serde(default, deserialize_with = "opt")]
        ip: Option<IpAddr>,
        #[serde(default, deserialize_with = "opt")]
        day: Option<Date>,
        #[serde(default, deserialize_with = "opt")]
        at: Option<DateTime>,
    }

    fn row(json: &str) -> Result<Row, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn numbers_come_as_numbers_or_strings() {
        assert_eq!(row(r#"{"n": 42}"#).unwrap().n, Some(42));
        assert_eq!(row(r#"{"n": "42"}"#).unwrap().n, Some(42));
        assert_eq!(row(r#"{"n": " 42 "}"#).unwrap().n, Some(42));
        assert_eq!(row(r#"{"n": 42.0}"#).unwrap().n, Some(42));
        assert!(row(r#"{"n": 42.5}"#).is_err());
        assert!(row(r#"{"n": -1}"#).is_err());
        assert!(row(r#"{"n": "many"}"#).is_err());
    }

    #[test]
    fn null_empty_and_missing_are_no_value() {
        for json in [r#"{"n": null}"#, r#"{"n": ""}"#, "{}"] {
            assert_eq!(row(json).unwrap().n, None, "{json}");
        }
        assert_eq!(
            row(r#"{"day": "0000-00-00", "at": "0000-00-00 00:00:00"}"#)
                .unwrap()
                .day,
            None
        );
    }

    #[test]
    fn zero_padded_ipv4_decodes() {
        let r = row(r#"{"ip": "046.101.124.074"}"#).unwrap();
        assert_eq!(r.ip, Some(IpAddr::V4(Ipv4Addr::new(46, 101, 124, 74))));
        assert!(parse_ip("1.2.3.256").is_none());
        assert!(parse_ip("1.2.3").is_none());
        assert!(parse_ip("1.2.3.4.5").is_none());
        assert!(parse_ip("1.2.3.0004").is_none());
        assert_eq!(parse_ip("::1"), Some("::1".parse().unwrap()));
    }

    #[test]
    fn dates_must_be_real_calendar_days() {
        assert_eq!(
            parse_date("2012-02-29"),
            Some(jiff::civil::date(2012, 2, 29))
        );
        for bad in [
            "2011-02-29",
            "2011-13-01",
            "2011-1-01",
            "20110101",
            "2011-01-01x",
            "+011-01-01",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn timestamps_decode_with_space_or_t() {
        let want = jiff::civil::date(2017, 7, 25).at(10, 57, 57, 0);
        assert_eq!(
            row(r#"{"at": "2017-07-25 10:57:57"}"#).unwrap().at,
            Some(want)
        );
        assert_eq!(
            row(r#"{"at": "2017-07-25T10:57:57"}"#).unwrap().at,
            Some(want)
        );
        assert!(row(r#"{"at": "2017-07-25 25:00:00"}"#).is_err());
    }
}
