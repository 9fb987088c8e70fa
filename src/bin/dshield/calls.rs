//! From a subcommand to the library's endpoint, and from the endpoint to
//! printed text.
//!
//! Every endpoint is built here, before a client or a transport exists, so
//! an argument the library refuses never turns into a request.

use dshield::endpoints::{
    AsNum, Backscatter, Daily404Detail, Daily404Summary, DailySummary, Glossary, Handler, Infocon,
    Ip, Port, PortDate, PortHistory, Sources, TopIps, TopPorts, WebHoneypotByType,
    WebHoneypotSummary,
};
use dshield::{Client, Endpoint, Error, Format};
use serde::Serialize;

use crate::args::{Command, OutputArg};
use crate::net::Net;
use crate::render::{Tabular, render};

/// Why a call printed nothing.
pub enum CallError {
    /// The library failed: the request, the service or decoding.
    Api(Error),
    /// The typed answer could not be written as JSON.
    Json(serde_json::Error),
}

/// One endpoint, ready to call.
pub trait Call {
    /// The typed answer, as `output` asks.
    fn typed(&self, client: &Client<Net>, output: OutputArg) -> Result<String, CallError>;
    /// The service's body in `format`, byte for byte.
    fn raw(&self, client: &Client<Net>, format: Format) -> Result<Vec<u8>, Error>;
}

struct Typed<E>(E);

impl<E> Call for Typed<E>
where
    E: Endpoint,
    E::Response: Serialize + Tabular,
{
    fn typed(&self, client: &Client<Net>, output: OutputArg) -> Result<String, CallError> {
        let answer = client.query(&self.0).map_err(CallError::Api)?;
        render(&answer, output).map_err(CallError::Json)
    }

    fn raw(&self, client: &Client<Net>, format: Format) -> Result<Vec<u8>, Error> {
        client.raw_bytes(&self.0, format)
    }
}

fn call<E>(endpoint: E) -> Box<dyn Call>
where
    E: Endpoint + 'static,
    E::Response: Serialize + Tabular,
{
    Box::new(Typed(endpoint))
}

/// A top list (`topports`, `topips`, `sources`): the three share their
/// arguments, sort key, limit and date, each optional after the one before.
macro_rules! top_list {
    ($endpoint:ty, $sort:expr, $limit:expr, $date:expr) => {{
        let mut endpoint = <$endpoint>::default();
        if let Some(sort) = $sort {
            endpoint = endpoint.sort_by(sort.parse()?);
        }
        if let Some(limit) = $limit {
            endpoint = endpoint.limit(*limit)?;
        }
        if let Some(date) = $date {
            endpoint = endpoint.on(date)?;
        }
        call(endpoint)
    }};
}

/// The endpoint `command` names, with its arguments checked by the library.
pub fn plan(command: &Command) -> Result<Box<dyn Call>, Error> {
    Ok(match command {
        Command::Backscatter { date, rows } => match (date, rows) {
            (None, _) => call(Backscatter::latest()),
            (Some(date), None) => call(Backscatter::on(date)?),
            (Some(date), Some(rows)) => call(Backscatter::on(date)?.rows(*rows)?),
        },
        Command::Handler => call(Handler),
        Command::Infocon => call(Infocon),
        Command::Ip { ip } => call(Ip::new(ip)?),
        Command::Port { port } => call(Port::new(port.as_str())?),
        Command::Portdate { port, date } => {
            let endpoint = PortDate::new(port.as_str())?;
            match date {
                Some(date) => call(endpoint.on(date)?),
                None => call(endpoint),
            }
        }
        Command::Topports { sort, limit, date } => top_list!(TopPorts, sort, limit, date),
        Command::Topips { sort, limit, date } => top_list!(TopIps, sort, limit, date),
        Command::Sources { sort, limit, date } => top_list!(Sources, sort, limit, date),
        Command::Porthistory { port, start, end } => {
            let mut endpoint = PortHistory::new(port.as_str())?;
            if let Some(start) = start {
                endpoint = endpoint.start(start)?;
            }
            if let Some(end) = end {
                endpoint = endpoint.end(end)?;
            }
            call(endpoint)
        }
        Command::Asnum { asn, limit } => match limit {
            Some(limit) => call(AsNum::new(*asn).limit(*limit)?),
            None => call(AsNum::new(*asn)),
        },
        Command::Dailysummary { start, end } => match (start, end) {
            (None, _) => call(DailySummary::today()),
            (Some(start), None) => call(DailySummary::from(start)?),
            (Some(start), Some(end)) => call(DailySummary::between(start, end)?),
        },
        Command::Daily404summary { date } => call(Daily404Summary::new(date)?),
        Command::Daily404detail { date, limit } => {
            let endpoint = Daily404Detail::new(date)?;
            match limit {
                Some(limit) => call(endpoint.limit(*limit)?),
                None => call(endpoint),
            }
        }
        Command::Glossary { term } => match term {
            Some(term) => call(Glossary::term(term.as_str())?),
            None => call(Glossary::all()),
        },
        Command::Webhoneypotsummary { date } => call(WebHoneypotSummary::new(date)?),
        Command::Webhoneypotbytype { date } => call(WebHoneypotByType::new(date)?),
    })
}
