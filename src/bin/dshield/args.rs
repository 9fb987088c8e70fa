//! The command line: global options and one subcommand per endpoint, with
//! python-dshield's names and argument order.
//!
//! Arguments that the library validates (addresses, ports, dates, sort keys,
//! limits) arrive here as text or plain integers and are checked by the
//! endpoint constructors, so the error names the endpoint and the rule.

use std::fmt::Display;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use dshield::endpoints::{
    ASNUM_MAX_LIMIT, DAILY_SUMMARY_FIRST_DAY, DAILY_SUMMARY_MAX_DAYS, SOURCES_MAX_LIMIT,
    SourcesSort, TopIpsSort, TopPortsSort,
};
use dshield::{Format, Wire};

/// Heading of the options every command takes.
const GLOBAL: &str = "Global options";

const AFTER_HELP: &str = "\
Exit status: 0 on success; 2 when the arguments are refused (nothing was sent);
1 when the service, the network, the cassette or decoding failed.

Environment: DSHIELD_CONTACT is the contact used when --contact is not given.

Examples:
  dshield --contact soc@example.org ip 1.85.2.119
  dshield topports targets 25 2026-10-05 --output table
  dshield --format xml infocon
  dshield --replay examples/cassettes/tour.json sources --output table";

/// Queries the Internet Storm Center (DShield) API and prints typed answers
/// as JSON, or as a table for people.
#[derive(Debug, Parser)]
#[command(
    name = "dshield",
    version,
    max_term_width = 80,
    disable_help_subcommand = true,
    after_help = AFTER_HELP
)]
pub struct Cli {
    /// API root
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
        value_name = "URL",
        default_value = dshield::DEFAULT_BASE_URL
    )]
    pub base_url: String,

    /// Wire format used for the typed answer (the printed JSON is the same)
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "WIRE", default_value = "json")]
    pub wire: WireArg,

    /// Print the service's raw body in this format instead of a typed answer
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
        value_name = "FORMAT",
        conflicts_with = "output"
    )]
    pub format: Option<FormatArg>,

    /// Typed answer as pretty JSON, or as a table for people (80 columns)
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
        value_name = "OUTPUT",
        default_value = "json"
    )]
    pub output: OutputArg,

    /// Who runs this client, for the User-Agent [default: $DSHIELD_CONTACT]
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "EMAIL")]
    pub contact: Option<String>,

    /// Total time for one request, in seconds
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
        value_name = "SECS",
        default_value = "30",
        value_parser = parse_timeout
    )]
    pub timeout: Duration,

    /// Send a request again up to N times after a 429 (waiting as long as
    /// Retry-After says, or five minutes), a 5xx or a failed connection
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
        value_name = "N",
        default_value = "0"
    )]
    pub retries: u32,

    /// Send at most R requests a second (the service asks for about one)
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
        value_name = "R",
        default_value = "1",
        value_parser = parse_rate
    )]
    pub rate: f64,

    /// Answer from this cassette and never touch the network
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
        value_name = "FILE",
        conflicts_with = "record"
    )]
    pub replay: Option<PathBuf>,

    /// Call the service and record the exchange in this cassette; requests
    /// already in the cassette are replayed from it, not sent again
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "FILE")]
    pub record: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// `--wire`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum WireArg {
    Json,
    Xml,
}

impl From<WireArg> for Wire {
    fn from(wire: WireArg) -> Wire {
        match wire {
            WireArg::Json => Wire::Json,
            WireArg::Xml => Wire::Xml,
        }
    }
}

/// `--format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// The service's XML
    Xml,
    /// The service's JSON
    Json,
    /// A plain-text rendering
    Text,
    /// PHP's serialize() format
    Php,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Xml => Format::Xml,
            FormatArg::Json => Format::Json,
            FormatArg::Text => Format::Text,
            FormatArg::Php => Format::Php,
        }
    }
}

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputArg {
    /// The typed answer, pretty-printed JSON
    Json,
    /// Aligned columns within 80 characters
    Table,
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    let refuse = || "expected a number of seconds above 0, such as 30 or 2.5".to_owned();
    let seconds: f64 = text.trim().parse().map_err(|_| refuse())?;
    // NaN and infinity are refused too.
    if !seconds.is_finite() || seconds <= 0.0 {
        return Err(refuse());
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| refuse())
}

fn parse_rate(text: &str) -> Result<f64, String> {
    let refuse = || "expected requests per second above 0, such as 1 or 0.5".to_owned();
    let rate: f64 = text.trim().parse().map_err(|_| refuse())?;
    if !rate.is_finite() || rate <= 0.0 {
        return Err(refuse());
    }
    Ok(rate)
}

/// "How to rank: a, b or c [default: a]", from a sort key enum.
fn sort_help<K: Display>(keys: &[K], default: K) -> String {
    let names: Vec<String> = keys.iter().map(ToString::to_string).collect();
    let list = match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    };
    format!("How to rank: {list} [default: {default}]")
}

const DATE_LATEST: &str = "The day, as YYYY-MM-DD [default: the service's latest day]";
const PORT: &str = "Port number, 0 to 65535";

fn sources_limit() -> String {
    format!("How many rows, 1 to {SOURCES_MAX_LIMIT} [default: 10]")
}

fn asnum_limit() -> String {
    format!("How many addresses, 1 to {ASNUM_MAX_LIMIT} [default: what the service sends]")
}

fn dailysummary_start() -> String {
    format!("First day, as YYYY-MM-DD, {DAILY_SUMMARY_FIRST_DAY} or later [default: today]")
}

fn dailysummary_end() -> String {
    format!(
        "Last day, as YYYY-MM-DD: not before START, at most {DAILY_SUMMARY_MAX_DAYS} days \
         from START counting both [default: up to today]"
    )
}

/// The endpoints, named and ordered as python-dshield's functions.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Backscatter by source port: backscatter[/DATE[/ROWS]]
    #[command(
        name = "backscatter",
        after_help = "Example: dshield backscatter 2011-12-01 10"
    )]
    Backscatter {
        #[arg(help = DATE_LATEST)]
        date: Option<String>,
        /// How many rows, at least 1; needs DATE [default: 1000, the service's]
        rows: Option<u32>,
    },

    /// The handler on duty today: handler
    #[command(name = "handler")]
    Handler,

    /// The INFOCON threat level: infocon
    #[command(name = "infocon")]
    Infocon,

    /// Reports about one address: ip/IP
    #[command(name = "ip", after_help = "Example: dshield ip 1.85.2.119")]
    Ip {
        /// IPv4 or IPv6 address; zero-padded IPv4 such as 046.101.124.074 is read as 46.101.124.74
        ip: String,
    },

    /// The latest day's activity on a port: port/PORT
    #[command(name = "port", after_help = "Example: dshield port 22")]
    Port {
        #[arg(help = PORT)]
        port: String,
    },

    /// Activity on a port on a day: portdate/PORT[/DATE]
    #[command(
        name = "portdate",
        after_help = "Example: dshield portdate 80 2011-07-03"
    )]
    Portdate {
        #[arg(help = PORT)]
        port: String,
        /// The day, as YYYY-MM-DD [default: today]
        date: Option<String>,
    },

    /// Top target ports of a day: topports/SORT/LIMIT[/DATE]
    #[command(
        name = "topports",
        after_help = "Example: dshield topports targets 25 2026-10-05"
    )]
    Topports {
        #[arg(help = sort_help(TopPortsSort::ALL, TopPortsSort::default()))]
        sort: Option<String>,
        /// How many ports, at least 1 [default: 10]
        limit: Option<u32>,
        #[arg(help = DATE_LATEST)]
        date: Option<String>,
    },

    /// Top source addresses of a day: topips/SORT/LIMIT[/DATE]
    #[command(
        name = "topips",
        after_help = "Example: dshield topips attacks 40 2026-10-05"
    )]
    Topips {
        #[arg(help = sort_help(TopIpsSort::ALL, TopIpsSort::default()))]
        sort: Option<String>,
        /// How many addresses, at least 1 [default: 10]
        limit: Option<u32>,
        #[arg(help = DATE_LATEST)]
        date: Option<String>,
    },

    /// Busiest sources of 30 days: sources/SORT/LIMIT[/DATE]
    #[command(
        name = "sources",
        after_help = "Example: dshield sources count 100 2026-10-05"
    )]
    Sources {
        #[arg(help = sort_help(SourcesSort::ALL, SourcesSort::default()))]
        sort: Option<String>,
        #[arg(help = sources_limit())]
        limit: Option<u32>,
        #[arg(help = DATE_LATEST)]
        date: Option<String>,
    },

    /// Activity on a port per day: porthistory/PORT/START[/END]
    #[command(
        name = "porthistory",
        after_help = "Example: dshield porthistory 80 2011-07-20 2011-07-23"
    )]
    Porthistory {
        #[arg(help = PORT)]
        port: String,
        /// First day, as YYYY-MM-DD [default: 30 days before today, local date]
        start: Option<String>,
        /// Last day, as YYYY-MM-DD, not before START [default: up to today]
        end: Option<String>,
    },

    /// Reported addresses of an AS: asnum[/LIMIT]/ASN
    ///
    /// The API takes the row count first: "asnum 4837 10" requests
    /// asnum/10/4837, ten addresses of AS 4837.
    #[command(name = "asnum", after_help = "Example: dshield asnum 4837 10")]
    Asnum {
        /// Autonomous system number, such as 4837
        asn: u32,
        #[arg(help = asnum_limit())]
        limit: Option<u32>,
    },

    /// Daily totals: dailysummary/START[/END]
    ///
    /// Reports, sources and targets per day, at most 30 days a call.
    #[command(
        name = "dailysummary",
        after_help = "Example: dshield dailysummary 2012-05-01 2012-05-03"
    )]
    Dailysummary {
        #[arg(help = dailysummary_start())]
        start: Option<String>,
        #[arg(help = dailysummary_end())]
        end: Option<String>,
    },

    /// 404 pages of web honeypots: daily404summary/DATE
    #[command(
        name = "daily404summary",
        after_help = "Example: dshield daily404summary 2012-02-23"
    )]
    Daily404summary {
        /// The day, as YYYY-MM-DD
        date: String,
    },

    /// 404 requests of web honeypots: daily404detail/DATE[/LIMIT]
    #[command(
        name = "daily404detail",
        after_help = "Example: dshield daily404detail 2012-02-23 10"
    )]
    Daily404detail {
        /// The day, as YYYY-MM-DD
        date: String,
        /// How many rows, at least 1 [default: what the service sends]
        limit: Option<u32>,
    },

    /// Glossary terms and their definitions: glossary[/TERM]
    #[command(name = "glossary", after_help = "Example: dshield glossary worm")]
    Glossary {
        /// A word or part of one, at most 200 bytes [default: every term]
        term: Option<String>,
    },

    /// Web honeypot report volume: webhoneypotsummary/DATE
    #[command(
        name = "webhoneypotsummary",
        after_help = "Example: dshield webhoneypotsummary 2012-12-10"
    )]
    Webhoneypotsummary {
        /// The day, as YYYY-MM-DD
        date: String,
    },

    /// Web honeypot attack types: webhoneypotbytype/DATE
    ///
    /// The top 30 attack types the web honeypots saw in the month before DATE.
    #[command(
        name = "webhoneypotbytype",
        after_help = "Example: dshield webhoneypotbytype 2012-12-10"
    )]
    Webhoneypotbytype {
        /// The day, as YYYY-MM-DD
        date: String,
    },
}

impl Command {
    /// The subcommand's name, as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Backscatter { .. } => "backscatter",
            Command::Handler => "handler",
            Command::Infocon => "infocon",
            Command::Ip { .. } => "ip",
            Command::Port { .. } => "port",
            Command::Portdate { .. } => "portdate",
            Command::Topports { .. } => "topports",
            Command::Topips { .. } => "topips",
            Command::Sources { .. } => "sources",
            Command::Porthistory { .. } => "porthistory",
            Command::Asnum { .. } => "asnum",
            Command::Dailysummary { .. } => "dailysummary",
            Command::Daily404summary { .. } => "daily404summary",
            Command::Daily404detail { .. } => "daily404detail",
            Command::Glossary { .. } => "glossary",
            Command::Webhoneypotsummary { .. } => "webhoneypotsummary",
            Command::Webhoneypotbytype { .. } => "webhoneypotbytype",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
