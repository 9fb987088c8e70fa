//! The [`Endpoint`] trait, and the argument types endpoints accept.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use jiff::civil::Date;

use crate::decode::field;
use crate::{Decodable, Error};

/// One call of the API, as data: where it goes and what it answers.
///
/// An endpoint does no I/O. It is built from validated arguments (bad ones
/// are refused by its constructor), knows its URL path below the API root
/// and names the type its answer decodes into. A [`Client`](crate::Client)
/// turns it into a request, sends it through a [`Transport`](crate::Transport)
/// and decodes the answer.
///
/// # Example
///
/// ```
/// use dshield::{Endpoint, endpoints::TopPorts};
///
/// let top = TopPorts::default().limit(25)?.on("2026-10-05")?;
/// assert_eq!(top.path(), "topports/records/25/2026-10-05");
/// # Ok::<(), dshield::Error>(())
/// ```
pub trait Endpoint {
    /// The typed answer.
    type Response: Decodable;

    /// The endpoint's name as the API spells it (`"topports"`), used in
    /// error messages.
    fn name(&self) -> &'static str;

    /// The path segments below the API root, not yet percent-encoded: the
    /// endpoint name first, then its arguments. The request builder encodes
    /// each one as a single segment, so no argument can add path levels or a
    /// query.
    fn segments(&self) -> Vec<String>;

    /// Query parameters beyond the format suffix. None of the API's current
    /// endpoints takes any.
    fn query(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    /// Phrases that mean the service refused the arguments, such as
    /// `bad IP address`. An answer containing one becomes
    /// [`Error::Service`].
    fn refusals(&self) -> &'static [&'static str] {
        &[]
    }

    /// The encoded path below the API root, without the format suffix.
    fn path(&self) -> String {
        crate::request::encode_path(&self.segments())
    }
}

/// A date argument: a [`jiff::civil::Date`], or text in `YYYY-MM-DD` form.
pub trait IntoDate {
    /// The date, or the text that could not be read as one.
    fn into_date(self) -> Result<Date, String>;
}

impl IntoDate for Date {
    fn into_date(self) -> Result<Date, String> {
        Ok(self)
    }
}

impl IntoDate for &str {
    fn into_date(self) -> Result<Date, String> {
        field::parse_date(self).ok_or_else(|| self.to_owned())
    }
}

impl IntoDate for String {
    fn into_date(self) -> Result<Date, String> {
        self.as_str().into_date()
    }
}

impl IntoDate for &String {
    fn into_date(self) -> Result<Date, String> {
        self.as_str().into_date()
    }
}

/// A port argument: any integer type, or text holding a number from 0 to
/// 65535.
pub trait IntoPort {
    /// The port, or the value that is not one, as text.
    fn into_port(self) -> Result<u16, String>;
}

macro_rules! int_into_port {
    ($($t:ty),*) => {$(
        impl IntoPort for $t {
            fn into_port(self) -> Result<u16, String> {
                u16::try_from(self).map_err(|_| self.to_string())
            }
        }
    )*};
}

int_into_port!(u16, u32, u64, usize, i32, i64);

impl IntoPort for &str {
    fn into_port(self) -> Result<u16, String> {
        let digits = !self.is_empty() && self.bytes().all(|b| b.is_ascii_digit());
        digits
            .then(|| self.parse().ok())
            .flatten()
            .ok_or_else(|| self.to_owned())
    }
}

impl IntoPort for String {
    fn into_port(self) -> Result<u16, String> {
        self.as_str().into_port()
    }
}

/// An IP address argument: a `std::net` address, or text holding an IPv4
/// (zero-padded octets accepted) or IPv6 address.
pub trait IntoIp {
    /// The address, or the text that is not one.
    fn into_ip(self) -> Result<IpAddr, String>;
}

impl IntoIp for IpAddr {
    fn into_ip(self) -> Result<IpAddr, String> {
        Ok(self)
    }
}

impl IntoIp for Ipv4Addr {
    fn into_ip(self) -> Result<IpAddr, String> {
        Ok(IpAddr::V4(self))
    }
}

impl IntoIp for Ipv6Addr {
    fn into_ip(self) -> Result<IpAddr, String> {
        Ok(IpAddr::V6(self))
    }
}

impl IntoIp for &str {
    fn into_ip(self) -> Result<IpAddr, String> {
        field::parse_ip(self).ok_or_else(|| self.to_owned())
    }
}

impl IntoIp for String {
    fn into_ip(self) -> Result<IpAddr, String> {
        self.as_str().into_ip()
    }
}

impl IntoIp for &String {
    fn into_ip(self) -> Result<IpAddr, String> {
        self.as_str().into_ip()
    }
}

/// Reads a date argument, naming the endpoint and parameter if it is bad.
pub(crate) fn date(
    endpoint: &'static str,
    parameter: &'static str,
    value: impl IntoDate,
) -> Result<Date, Error> {
    value.into_date().map_err(|bad| {
        Error::invalid(
            endpoint,
            parameter,
            bad,
            "expected a real calendar date as YYYY-MM-DD",
        )
    })
}

pub(crate) fn port(endpoint: &'static str, value: impl IntoPort) -> Result<u16, Error> {
    value.into_port().map_err(|bad| {
        Error::invalid(
            endpoint,
            "port",
            bad,
            "expected a port number from 0 to 65535",
        )
    })
}

pub(crate) fn ip(endpoint: &'static str, value: impl IntoIp) -> Result<IpAddr, Error> {
    value
        .into_ip()
        .map_err(|bad| Error::invalid(endpoint, "ip", bad, "expected an IPv4 or IPv6 address"))
}

/// Checks a row limit: at least 1, at most `max` when the API has a maximum.
pub(crate) fn limit(
    endpoint: &'static str,
    parameter: &'static str,
    value: u32,
    max: Option<u32>,
) -> Result<u32, Error> {
    match max {
        _ if value == 0 => Err(Error::invalid(
            endpoint,
            parameter,
            value,
            "expected at least 1",
        )),
        Some(max) if value > max => Err(Error::invalid(
            endpoint,
            parameter,
            value,
            format!("expected at most {max}"),
        )),
        _ => Ok(value),
    }
}

/// Refuses an end date before its start date.
pub(crate) fn ordered(endpoint: &'static str, start: Date, end: Date) -> Result<(), Error> {
    if end < start {
        return Err(Error::invalid(
            endpoint,
            "end date",
            end,
            format!("the end date must not be before the start date {start}"),
        ));
    }
    Ok(())
}

/// Today in the local time zone, as python-dshield computes its defaults.
pub(crate) fn today() -> Date {
    jiff::Zoned::now().date()
}

/// Writes a date as the API expects it.
pub(crate) fn ymd(date: Date) -> String {
    date.strftime("%Y-%m-%d").to_string()
}

/// Defines a sort key enum with its API spelling, parsing and display.
macro_rules! sort_key {
    (
        $(#[$meta:meta])*
        $name:ident for $endpoint:literal, default $default:ident {
            $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[doc = concat!("`", $text, "`")]
                $variant,
            )+
        }

        impl $name {
            /// Every key, in the API's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The key as it appears in the URL.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl Default for $name {
            fn default() -> Self { $name::$default }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::Error;

            fn from_str(s: &str) -> Result<Self, $crate::Error> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::Error::invalid(
                        $endpoint,
                        "sort key",
                        s,
                        format!(
                            "expected one of: {}",
                            $name::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    )),
                }
            }
        }
    };
}

pub(crate) use sort_key;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_from_text_and_integers() {
        assert_eq!("80".into_port(), Ok(80));
        assert_eq!(65535u32.into_port(), Ok(65535));
        assert_eq!(65536u32.into_port(), Err("65536".to_owned()));
        assert_eq!((-1i32).into_port(), Err("-1".to_owned()));
        for bad in ["", "+80", "80/../x", " 80", "0x50"] {
            assert!(bad.into_port().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn ips_refuse_anything_but_addresses() {
        assert!("4.4.4.4".into_ip().is_ok());
        assert!("2001:db8::1".into_ip().is_ok());
        for bad in [
            "4.4.4.4/../../x",
            "localhost",
            "4.4.4.4?xml",
            "",
            "1.2.3.4 ",
        ] {
            assert!(bad.into_ip().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn limits_are_positive_and_capped() {
        assert!(limit("sources", "limit", 0, Some(10)).is_err());
        assert!(limit("sources", "limit", 11, Some(10)).is_err());
        assert_eq!(limit("sources", "limit", 10, Some(10)).ok(), Some(10));
        assert_eq!(
            limit("topports", "limit", u32::MAX, None).ok(),
            Some(u32::MAX)
        );
    }
}
